/*
 * output.c - getting digests onto disk safely: temporary files beside the
 * target renamed into place only when complete, --split templates checked
 * for collisions before anything is written, jobs rendered by a pool of
 * threads, and their messages replayed in a fixed order.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write/write.h"

void gz_write_options_init(gz_write_options *w) {
  memset(w, 0, sizeof *w);
  w->format = GZ_FORMAT_EPUB;
  w->title = "Digest";
  w->lang = "en";
  w->page_size = GZ_PAGE_A4;
}

void gz_job_diag(gz_job *job, gz_severity sev, const char *fmt, ...) {
  if (gz_grow(job->diag_arena.al, (void **)&job->diags, &job->cap_diags, job->n_diags + 1,
              sizeof *job->diags))
    return;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  gz_diag *dg = &job->diags[job->n_diags].diag;
  dg->severity = sev;
  dg->file = "";
  dg->line = dg->col = 0;
  dg->message = gz_arena_strdup(&job->diag_arena, msg);
  if (dg->message) job->n_diags++;
}

void gz_job_facts_compute(const gz_digest *d, const gz_write_options *w, const gz_job *job,
                          gz_job_facts *f) {
  f->articles = 0;
  f->first_day = INT64_MAX;
  f->last_day = INT64_MIN;
  int64_t newest = INT64_MIN;
  for (size_t g = 0; g < job->n_groups; g++) {
    const gz_group *grp = &job->groups[g];
    f->articles += grp->n_items;
    for (size_t i = 0; i < grp->n_items; i++) {
      const gz_article *a = &d->articles[grp->items[i]];
      if (!a->dated) continue;
      if (a->when.day < f->first_day) f->first_day = a->when.day;
      if (a->when.day > f->last_day) f->last_day = a->when.day;
      if (a->when.utc > newest) newest = a->when.utc;
    }
  }
  if (w->has_modified)
    f->modified = w->modified;
  else
    f->modified = newest == INT64_MIN ? 0 : newest;
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

/* ---- temporary files ---- */

static mode_t g_mode = 0;
static pthread_once_t g_mode_once = PTHREAD_ONCE_INIT;

static void read_umask(void) {
  mode_t m = umask(022);
  umask(m);
  g_mode = 0666 & ~m;
}

/* Creates an empty temporary file beside `target`; returns its path
 * (malloc'd) or NULL with err set. */
static char *make_temp(const gz_allocator *al, const char *target, gz_error *err) {
  pthread_once(&g_mode_once, read_umask);
  const char *slash = strrchr(target, '/');
  size_t dir_len = slash ? (size_t)(slash - target + 1) : 0;
  const char *base = slash ? slash + 1 : target;
  size_t n = dir_len + strlen(base) + 32;
  char *path = gz_malloc(al, n);
  if (!path) {
    gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return NULL;
  }
  snprintf(path, n, "%.*s.%s.gz-XXXXXX", (int)dir_len, target, base);
  int fd = mkstemp(path);
  if (fd < 0) {
    gz_error_set(err, GZ_ERR_OUTPUT, target, 0, 0, "cannot write here: %s", strerror(errno));
    gz_free(al, path);
    return NULL;
  }
  fchmod(fd, g_mode);
  close(fd);
  return path;
}

/* ---- split templates ---- */

static int expand_path(const char *tmpl, const gz_group *g, char *out, size_t cap, gz_error *err) {
  char why[256];
  if (g->undated) {
    /* No date to fill in: the Undated group goes to "undated" with the
     * template's extension, in the deepest folder of the template that
     * holds no field ("digests/%G/W%V.pdf" -> "digests/undated.pdf"). */
    const char *field = strchr(tmpl, '%');
    size_t dir_len = 0;
    for (const char *p = tmpl; *p && (!field || p < field); p++)
      if (*p == '/') dir_len = (size_t)(p - tmpl) + 1;
    const char *slash = strrchr(tmpl, '/');
    const char *dot = strrchr(slash ? slash + 1 : tmpl, '.');
    if ((size_t)snprintf(out, cap, "%.*sundated%s", (int)dir_len, tmpl, dot ? dot : "") >= cap)
      return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "--split template %s: too long", tmpl);
    return 0;
  }
  if (gz_expand_template(tmpl, g->start, out, cap, why, sizeof why))
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "--split template %s: %s", tmpl, why);
  return 0;
}

/* ---- rendering jobs ---- */

typedef struct pool {
  gz_digest *d;
  const gz_write_options *w;
  gz_job *jobs;
  int inner_threads;
} pool;

static int render(gz_digest *d, const gz_write_options *w, gz_job *job, int threads) {
  if (w->format == GZ_FORMAT_PDF) return gz_pdf_render(d, w, job, threads);
  return gz_epub_render(d, w, job, threads);
}

static void render_job(void *ctx, size_t i) {
  pool *p = ctx;
  gz_job *job = &p->jobs[i];
  if (gz_canceled(p->d))
    job->rc = gz_error_set(&job->err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
  else
    job->rc = render(p->d, p->w, job, p->inner_threads);
}

static void run_jobs(gz_digest *d, const gz_write_options *w, gz_job *jobs, size_t n_jobs) {
  int threads = w->jobs > 0 ? w->jobs : gz_cores();
  uint64_t total = 0;
  for (size_t i = 0; i < n_jobs; i++)
    for (size_t g = 0; g < jobs[i].n_groups; g++) total += jobs[i].groups[g].n_items;
  atomic_store(&d->written, 0);
  d->write_total = total;
  /* One big output uses the threads inside (chapters); many outputs use
   * them one job each. */
  pool p = {.d = d, .w = w, .jobs = jobs, .inner_threads = n_jobs == 1 ? threads : 1};
  gz_parallel_for(n_jobs, n_jobs == 1 ? 1 : threads, render_job, &p);
}

static void free_jobs(const gz_allocator *al, gz_job *jobs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    gz_free(al, jobs[i].diags);
    gz_arena_clear(&jobs[i].diag_arena);
  }
  gz_free(al, jobs);
}

/* Replays each job's messages in job order, naming its file. */
static void replay(gz_digest *d, gz_job *jobs, size_t n, const char *const *names) {
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < jobs[i].n_diags; k++) {
      const gz_diag *dg = &jobs[i].diags[k].diag;
      gz_diag_add(d, dg->severity, names[i], 0, 0, "%s", dg->message);
    }
}

static int check_ready(gz_digest *d, gz_error *err) {
  gz_error_clear(err);
  if (!d->finished)
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "gz_digest_finish() must come first");
  if (d->n_groups == 0) return gz_error_set(err, GZ_ERR_EMPTY, "", 0, 0, "no articles to write");
  return 0;
}

int gz_digest_write(gz_digest *d, const gz_write_options *w, const char *path, gz_error *err) {
  if (check_ready(d, err)) return -1;
  size_t n_jobs = w->split ? d->n_groups : 1;
  gz_job *jobs = gz_malloc(d->al, n_jobs * sizeof *jobs);
  char **finals = gz_malloc(d->al, n_jobs * sizeof *finals);
  int rc = 0;
  if (!jobs || !finals) {
    gz_free(d->al, jobs);
    gz_free(d->al, finals);
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  memset(jobs, 0, n_jobs * sizeof *jobs);
  memset(finals, 0, n_jobs * sizeof *finals);
  for (size_t i = 0; i < n_jobs; i++) {
    gz_arena_init(&jobs[i].diag_arena, d->al);
    jobs[i].groups = w->split ? &d->groups[i] : d->groups;
    jobs[i].n_groups = w->split ? 1 : d->n_groups;
  }
  /* Every final path first: a template collision is a usage error
   * before anything is written. */
  for (size_t i = 0; i < n_jobs && rc == 0; i++) {
    char buf[4096];
    if (w->split) {
      if (expand_path(path, &d->groups[i], buf, sizeof buf, err)) {
        rc = -1;
        break;
      }
    } else {
      gz_strlcpy(buf, path, sizeof buf);
    }
    finals[i] = gz_malloc(d->al, strlen(buf) + 1);
    if (finals[i]) memcpy(finals[i], buf, strlen(buf) + 1);
    if (!finals[i]) rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    for (size_t k = 0; k < i && rc == 0; k++)
      if (strcmp(finals[k], finals[i]) == 0)
        rc = gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                          "--split template %s gives \"%s\" and \"%s\" the same file %s; add "
                          "fields such as %%d or %%V",
                          path, d->groups[k].label, d->groups[i].label, finals[i]);
  }
  for (size_t i = 0; i < n_jobs && rc == 0; i++) {
    char *tmp = make_temp(d->al, finals[i], err);
    if (!tmp) {
      rc = -1;
      break;
    }
    jobs[i].path = tmp;
  }
  if (rc == 0) {
    run_jobs(d, w, jobs, n_jobs);
    replay(d, jobs, n_jobs, (const char *const *)finals);
    for (size_t i = 0; i < n_jobs && rc == 0; i++)
      if (jobs[i].rc) {
        *err = jobs[i].err;
        if (!err->file[0] || strcmp(err->file, jobs[i].path) == 0)
          gz_strlcpy(err->file, finals[i], sizeof err->file);
        rc = -1;
      }
  }
  if (rc == 0 && gz_canceled(d)) rc = gz_error_set(err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
  for (size_t i = 0; i < n_jobs && rc == 0; i++) {
    if (rename(jobs[i].path, finals[i]) != 0)
      rc = gz_error_set(err, GZ_ERR_OUTPUT, finals[i], 0, 0, "cannot move into place: %s",
                        strerror(errno));
    else {
      gz_free(d->al, (char *)jobs[i].path);
      jobs[i].path = NULL;
    }
  }
  for (size_t i = 0; i < n_jobs; i++) {
    if (jobs[i].path) {
      unlink(jobs[i].path);
      gz_free(d->al, (char *)jobs[i].path);
    }
    gz_free(d->al, finals[i]);
  }
  gz_free(d->al, finals);
  free_jobs(d->al, jobs, n_jobs);
  return rc;
}

int gz_digest_write_fd(gz_digest *d, const gz_write_options *w, int fd, gz_error *err) {
  if (check_ready(d, err)) return -1;
  if (w->split)
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "--split cannot write to one stream");
  /* Renderers need a seekable file; the stream gets a copy when done. */
  char target[4096];
  snprintf(target, sizeof target, "%s/gazette-out", gz_temp_dir(d));
  char *tmp = make_temp(d->al, target, err);
  if (!tmp) return -1;
  gz_job *job = gz_malloc(d->al, sizeof *job);
  if (!job) {
    unlink(tmp);
    gz_free(d->al, tmp);
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  memset(job, 0, sizeof *job);
  gz_arena_init(&job->diag_arena, d->al);
  job->groups = d->groups;
  job->n_groups = d->n_groups;
  job->path = tmp;
  run_jobs(d, w, job, 1);
  const char *name = "<stdout>";
  replay(d, job, 1, &name);
  int rc = 0;
  if (job->rc) {
    *err = job->err;
    rc = -1;
  }
  if (rc == 0) {
    int in = open(tmp, O_RDONLY | O_CLOEXEC);
    if (in < 0)
      rc = gz_error_set(err, GZ_ERR_OUTPUT, "", 0, 0, "cannot reopen: %s", strerror(errno));
    char buf[65536];
    while (rc == 0) {
      ssize_t n = read(in, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (gz_write_all(fd, buf, (size_t)n))
        rc =
            gz_error_set(err, GZ_ERR_OUTPUT, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
    }
    if (in >= 0) close(in);
  }
  unlink(tmp);
  gz_free(d->al, tmp);
  free_jobs(d->al, job, 1);
  return rc;
}
