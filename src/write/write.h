/*
 * write.h - what the writers share: output files (atomic, split
 * templates), the EPUB and PDF renderers, and small formatting helpers.
 */
#ifndef GZ_WRITE_H
#define GZ_WRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"
#include "model/walk.h"

/* "file:line" of an article, and "file:line:col" of a diagnostic. */
void gz_article_source(const gz_article *a, char *out, size_t cap);
void gz_diag_source(const gz_diag *dg, char *out, size_t cap);

/* A set of groups written as one file. */
typedef struct gz_job {
  const gz_group *groups;
  size_t n_groups;
  const char *path;      /* the final path, or NULL for a descriptor */
  gz_progress *progress; /* the run's, owned by run_jobs */
  /* diagnostics raised while rendering, replayed in job order so that
   * messages come out the same whatever the number of threads */
  gz_diag_rec *diags;
  size_t n_diags, cap_diags;
  gz_arena diag_arena;
  gz_error err;
  int rc;
} gz_job;

/* Records a diagnostic of a rendering job. */
GZ_PRINTF(3, 4) void gz_job_diag(gz_job *job, gz_severity sev, const char *fmt, ...);

/* ---- facts.c: what every writer says the same way ---- */

/* Facts about the whole output that the title pages show. */
typedef struct gz_job_facts {
  uint64_t articles;
  int64_t first_day, last_day; /* dated range; first > last when none */
  int64_t newest;              /* the newest article's time; INT64_MIN when none */
  int64_t modified;            /* Unix time for dcterms:modified, PDF dates */
} gz_job_facts;

void gz_job_facts_compute(const gz_view *d, const gz_write_options *w, const gz_job *job,
                          gz_job_facts *facts);

/* --title, or "Digest" when none was given. */
const char *gz_digest_title(const gz_write_options *w);
/* Appends "1,234 articles in 56 groups". */
void gz_put_counts(gz_buf *b, uint64_t articles, uint64_t groups);

/* The title page's chart of articles per group, in every writer: the
 * count over each bar up to this many bars, and each group's short label
 * under its bar up to this many groups (else the first and last labels). */
#define GZ_CHART_COUNTS_MAX 31
#define GZ_CHART_LABELS_MAX 12

/* "Digest — 30 Nov – 6 Dec 2020" */
void gz_full_title(const gz_write_options *w, const gz_job_facts *f, char *out, size_t cap);

/* Copies `in` to `out` with title and author cleaned like article strings
 * (invalid UTF-8 repaired with U+FFFD, control characters dropped, white
 * space collapsed; the strings live in `arena`). A language that is not
 * a well-formed BCP 47 tag is GZ_ERR_USAGE. */
int gz_write_options_clean(const gz_write_options *in, gz_write_options *out, gz_arena *arena,
                           gz_error *err);

/* Renderers: one job's file from the finished digest's view. */
int gz_epub_render(const gz_view *d, const gz_write_options *w, gz_job *job, int threads);
int gz_pdf_render(const gz_view *d, const gz_write_options *w, gz_job *job, int threads);

#endif
