/*
 * hyphens.c - the hyphenation dictionaries of a PDF job: the languages
 * of its articles are known before any is drawn, so their dictionaries
 * are loaded by a thread of their own while the cover, contents and
 * first pages are set (Debian's German one takes libhyphen some 6 s),
 * and looked up by the flow through a small cache of its own rather
 * than the hyphen module's lock for every paragraph.
 */
#include <pthread.h>
#include <string.h>

#include "write/pdf/pdf.h"

enum { MAX_LANGS = 32, MAX_TAG = 36 };

typedef struct pdf_hyph {
  pthread_t thread;
  bool started;
  char tags[MAX_LANGS][MAX_TAG]; /* to load, in order of first use */
  size_t n_tags;
  /* the flow's lookups (its thread only) */
  char seen[MAX_LANGS][MAX_TAG];
  const gz_hyphenator *seen_h[MAX_LANGS];
  size_t n_seen;
} pdf_hyph;

static void *load_all(void *arg) {
  pdf_hyph *h = arg;
  for (size_t i = 0; i < h->n_tags; i++) gz_hyphen_for(h->tags[i]);
  return NULL;
}

static void add_tag(pdf_hyph *h, const char *lang) {
  if (!lang || !*lang || strlen(lang) >= MAX_TAG || h->n_tags == MAX_LANGS) return;
  for (size_t i = 0; i < h->n_tags; i++)
    if (strcmp(h->tags[i], lang) == 0) return;
  memcpy(h->tags[h->n_tags++], lang, strlen(lang) + 1);
}

int pdf_hyph_start(pdf_ctx *c) {
  if (c->w->align == GZ_ALIGN_LEFT || c->w->no_hyphenate) return 0;
  pdf_hyph *h = gz_malloc(c->d->al, sizeof *h);
  if (!h) return -1;
  memset(h, 0, sizeof *h);
  c->hyph = h;
  for (size_t g = 0; g < c->job->n_groups; g++) {
    const gz_group *grp = &c->job->groups[g];
    for (size_t i = 0; i < grp->n_items; i++) add_tag(h, c->d->articles[grp->items[i]].lang);
  }
  /* without a thread the dictionaries load on first use, in the flow */
  h->started = h->n_tags && pthread_create(&h->thread, NULL, load_all, h) == 0;
  return 0;
}

void pdf_hyph_stop(pdf_ctx *c) {
  if (!c->hyph) return;
  if (c->hyph->started) pthread_join(c->hyph->thread, NULL);
  gz_free(c->d->al, c->hyph);
  c->hyph = NULL;
}

const gz_hyphenator *pdf_hyph_for(pdf_ctx *c, const char *lang) {
  pdf_hyph *h = c->hyph;
  if (!h || !lang || !*lang || strlen(lang) >= MAX_TAG) return NULL;
  for (size_t i = 0; i < h->n_seen; i++)
    if (strcmp(h->seen[i], lang) == 0) return h->seen_h[i];
  const gz_hyphenator *hy = gz_hyphen_for(lang);
  if (h->n_seen < MAX_LANGS) {
    memcpy(h->seen[h->n_seen], lang, strlen(lang) + 1);
    h->seen_h[h->n_seen++] = hy;
  }
  return hy;
}
