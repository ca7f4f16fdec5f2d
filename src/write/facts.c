/*
 * facts.c - what every writer says the same way about an output: the
 * facts of its articles (count, dated range, newest time), its title and
 * "N articles in M groups".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "write/write.h"

void gz_job_facts_compute(const gz_view *d, const gz_write_options *w, const gz_job *job,
                          gz_job_facts *f) {
  f->articles = 0;
  f->first_day = INT64_MAX;
  f->last_day = INT64_MIN;
  f->newest = INT64_MIN;
  gz_walk it;
  gz_walk_init(&it, d, job->groups, job->n_groups, 0);
  gz_walk_ev ev;
  while ((ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    const gz_article *a = it.article;
    if (ev != GZ_WALK_ENTER || it.node != GZ_NODE_ARTICLE) continue;
    f->articles++;
    if (!a->dated) continue;
    if (a->when.day < f->first_day) f->first_day = a->when.day;
    if (a->when.day > f->last_day) f->last_day = a->when.day;
    if (a->when.utc > f->newest) f->newest = a->when.utc;
  }
  gz_walk_free(&it);
  if (w->has_modified)
    f->modified = w->modified;
  else
    f->modified = f->newest == INT64_MIN ? 0 : f->newest;
}

const char *gz_digest_title(const gz_write_options *w) {
  return w->title && *w->title ? w->title : "Digest";
}

void gz_put_counts(gz_buf *b, uint64_t articles, uint64_t groups) {
  gz_buf_put_count(b, articles);
  gz_buf_printf(b, " article%s in ", articles == 1 ? "" : "s");
  gz_buf_put_count(b, groups);
  gz_buf_printf(b, " group%s", groups == 1 ? "" : "s");
}

void gz_full_title(const gz_write_options *w, const gz_job_facts *f, char *out, size_t cap) {
  const char *title = gz_digest_title(w);
  char range[128] = "";
  if (f->first_day <= f->last_day) gz_format_range(range, sizeof range, f->first_day, f->last_day);
  size_t tail = range[0] ? strlen(range) + 5 : 0; /* " — " and the range */
  /* A title too long for the buffer loses its end, never half a
   * character, and the range stays. */
  gz_strlcpy(out, title, cap > tail ? cap - tail : 1);
  if (range[0]) {
    size_t n = strlen(out);
    snprintf(out + n, cap - n, " \xE2\x80\x94 %s", range);
  }
}
