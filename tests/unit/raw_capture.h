/*
 * raw_capture.h - what a reader hands ingest, seen by a reader's unit test.
 *
 * The test links with -Wl,--wrap=gz_ingest_raw (tests/CMakeLists.txt):
 * every raw article is copied into got[] before ingest sees it, so a test
 * asserts each field exactly as the reader found it. forget() empties it.
 * Included by one test file each.
 */
#ifndef GZ_TEST_RAW_CAPTURE_H
#define GZ_TEST_RAW_CAPTURE_H

#include <stdlib.h>
#include <string.h>

#include "read/read.h"

typedef struct seen {
  char *title, *body, *summary, *date, *captured, *authors, *url, *tags, *image, *lang;
  bool title_html, summary_html, has_captured, too_big, has_fallback_day;
  int64_t fallback_day;
  gz_body_kind body_kind;
  unsigned long line, col;           /* where the item starts */
  unsigned long date_line, date_col; /* where its date was found */
  const char *shape;
} seen;

static seen got[4000];
static size_t n_got;

static char *dup_n(const char *s, size_t n) {
  if (!s) return NULL;
  char *c = malloc(n + 1);
  memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

/* A NUL-separated list as "a|b|c". */
static char *list_str(const gz_raw_list *l) {
  char *c = dup_n(l->data ? l->data : "", l->data ? l->len : 0);
  for (size_t i = 0; l->len && i + 1 < l->len; i++)
    if (c[i] == '\0') c[i] = '|';
  if (l->len) c[l->len - 1] = '\0';
  return c;
}

int __real_gz_ingest_raw(gz_input *in, const gz_raw_article *raw);
int __wrap_gz_ingest_raw(gz_input *in, const gz_raw_article *raw);
int __wrap_gz_ingest_raw(gz_input *in, const gz_raw_article *raw) {
  if (n_got < GZ_ARRAY_LEN(got)) {
    seen *s = &got[n_got++];
    s->title = dup_n(raw->title, raw->title_len);
    s->body = dup_n(raw->body, raw->body_len);
    s->summary = dup_n(raw->summary, raw->summary_len);
    s->date = dup_n(raw->date.text, raw->date.len);
    s->captured = dup_n(raw->captured.text, raw->captured.len);
    s->authors = list_str(&raw->authors);
    s->url = dup_n(raw->url, raw->url_len);
    s->tags = list_str(&raw->tags);
    s->image = dup_n(raw->image, raw->image_len);
    s->lang = dup_n(raw->lang, raw->lang_len);
    s->title_html = raw->title_html;
    s->summary_html = raw->summary_html;
    s->has_captured = raw->has_captured;
    s->too_big = raw->too_big;
    s->has_fallback_day = raw->has_fallback_day;
    s->fallback_day = raw->fallback_day;
    s->body_kind = raw->body_kind;
    s->line = raw->line;
    s->col = raw->col;
    s->date_line = raw->date.line;
    s->date_col = raw->date.col;
    s->shape = in->shape;
  }
  return __real_gz_ingest_raw(in, raw);
}

static void forget(void) {
  for (size_t i = 0; i < n_got; i++) {
    seen *s = &got[i];
    char *all[] = {s->title,   s->body, s->summary, s->date,  s->captured,
                   s->authors, s->url,  s->tags,    s->image, s->lang};
    for (size_t k = 0; k < GZ_ARRAY_LEN(all); k++) free(all[k]);
  }
  memset(got, 0, sizeof got);
  n_got = 0;
}

#endif /* GZ_TEST_RAW_CAPTURE_H */
