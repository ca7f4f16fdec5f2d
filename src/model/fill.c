/*
 * fill.c - how the read stage and grouping fill the digest: its setup,
 * the articles and inputs as they arrive, the chrome set, the read
 * stage's state, the groups and the finished flag (model.h, "filling the
 * digest").
 */
#include "model/core.h"

const gz_setup *gz_digest_setup(const gz_digest *d) { return &d->setup; }

int gz_digest_article_add(gz_digest *d, const gz_article *a) {
  if (gz_grow(d->al, (void **)&d->articles, &d->cap_articles, d->n_articles + 1,
              sizeof *d->articles))
    return -1;
  d->articles[d->n_articles++] = *a;
  return 0;
}

gz_article *gz_digest_articles(gz_digest *d, size_t *n) {
  if (n) *n = d->n_articles;
  return d->articles;
}

int gz_digest_input_read(gz_digest *d, const char *file, const char *format, const char *shape) {
  if (gz_grow(d->al, (void **)&d->inputs, &d->cap_inputs, d->n_inputs + 1, sizeof *d->inputs))
    return -1;
  d->inputs[d->n_inputs++] = (gz_input_info){file, format, shape};
  return 0;
}

int gz_digest_chrome_add(gz_digest *d, uint64_t key) {
  return gz_set64_add(&d->chrome, key) < 0 ? -1 : 0;
}

struct gz_read_state *gz_digest_read_state(const gz_digest *d) {
  return d->rd;
}

void gz_digest_set_read_state(gz_digest *d, struct gz_read_state *rs,
                              void (*free_state)(gz_digest *d)) {
  d->rd = rs;
  d->rd_free = free_state;
}

void gz_digest_set_read_end(gz_digest *d, void (*read_end)(gz_digest *d)) {
  d->rd_end = read_end;
}

void gz_digest_read_end(gz_digest *d) {
  void (*end)(gz_digest *) = d->rd_end;
  d->rd_end = NULL;
  if (end) end(d);
}

void gz_digest_set_groups(gz_digest *d, gz_group *groups, size_t n) {
  d->groups = groups;
  d->n_groups = n;
}

bool gz_digest_finished(const gz_digest *d) { return d->finished; }

void gz_digest_mark_finished(gz_digest *d) { d->finished = true; }
