/*
 * digest.c - the digest handle: options, the arena that owns every
 * string, diagnostics, the spool file and the counts.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "model/core.h"
#include "util/fieldmap.h"

const char *gz_version(void) { return GAZETTE_VERSION; }

void gz_options_init_sized(gz_options *opts, size_t size) {
  gz_options full, *o = &full;
  memset(o, 0, sizeof *o);
  o->size = size;
  o->input_format = GZ_INPUT_AUTO;
  o->date_order = GZ_ORDER_DMY;
  o->group_by = GZ_GROUP_DAY;
  o->dedupe = 1;
  o->now = (int64_t)time(NULL);
  o->max_article_size = GZ_DEFAULT_MAX_ARTICLE_SIZE;
  o->max_line = GZ_DEFAULT_MAX_LINE;
  o->max_json_depth = GZ_DEFAULT_MAX_JSON_DEPTH;
  o->max_html_depth = GZ_DEFAULT_MAX_HTML_DEPTH;
  o->max_articles = GZ_DEFAULT_MAX_ARTICLES;
  /* a caller built against an older header has a shorter struct */
  memcpy(opts, o, size < sizeof *o ? size : sizeof *o);
}

static const char *copy_opt(gz_digest *d, const char *s) {
  return s ? gz_arena_strdup(&d->arena, s) : NULL;
}

const char *gz_temp_dir(const gz_digest *d) {
  const char *dir = d->opts.spool_dir;
  if (!dir || !*dir) dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

static int open_spool(gz_digest *d, gz_error *err) {
  const char *dir = gz_temp_dir(d);
  char *path = gz_arena_printf(&d->arena, "%s/gazette-spool-XXXXXX", dir);
  if (!path) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  int fd = mkstemp(path);
  if (fd < 0)
    return gz_error_set(err, GZ_ERR_OUTPUT, dir, 0, 0,
                        "cannot create a temporary file in this folder: %s", strerror(errno));
  /* Unlinked at once: the spool vanishes however the process ends. */
  unlink(path);
  d->spool_fd = fd;
  d->spool_folder = gz_arena_strdup(&d->arena, dir);
  return 0;
}

gz_digest *gz_digest_new(const gz_options *opts, gz_error *err) {
  gz_error_clear(err);
  /* Only the bytes of the caller's struct are read; fields it is too old
   * to have keep their defaults (gazette.h, before gz_options). */
  gz_options full;
  gz_options_init(&full);
  if (opts && opts->size < offsetof(gz_options, input_format) + sizeof opts->input_format) {
    gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "the options were not filled by gz_options_init");
    return NULL;
  }
  if (opts) memcpy(&full, opts, opts->size < sizeof full ? opts->size : sizeof full);
  full.size = sizeof full;
  opts = &full;
  const gz_allocator *al = opts->alloc ? opts->alloc : gz_default_allocator();
  gz_digest *d = gz_malloc(al, sizeof *d);
  if (!d) {
    gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return NULL;
  }
  memset(d, 0, sizeof *d);
  d->al = al;
  d->spool_fd = -1;
  d->opts = *opts;
  gz_arena_init(&d->arena, al);
  gz_buf_init(&d->spool_buf, al);
  gz_set64_init(&d->chrome, al);
  gz_set64_init(&d->input_ids, al);
  pthread_mutex_init(&d->diag_lock, NULL);
  d->opts.tz = copy_opt(d, opts->tz ? opts->tz : "UTC");
  d->opts.since = copy_opt(d, opts->since);
  d->opts.until = copy_opt(d, opts->until);
  d->opts.new_since_state = copy_opt(d, opts->new_since_state);
  d->opts.spool_dir = copy_opt(d, opts->spool_dir);
  if (!d->opts.tz) goto nomem;
  if (!d->opts.max_article_size) d->opts.max_article_size = GZ_DEFAULT_MAX_ARTICLE_SIZE;
  if (!d->opts.max_line) d->opts.max_line = GZ_DEFAULT_MAX_LINE;
  if (d->opts.max_json_depth <= 0) d->opts.max_json_depth = GZ_DEFAULT_MAX_JSON_DEPTH;
  if (d->opts.max_html_depth <= 0) d->opts.max_html_depth = GZ_DEFAULT_MAX_HTML_DEPTH;
  if (!d->opts.max_articles) d->opts.max_articles = GZ_DEFAULT_MAX_ARTICLES;

  char why[256];
  d->tz = gz_tz_load(d->opts.tz, al, why, sizeof why);
  if (!d->tz) {
    /* gz_tz_load says why in words only; running out of memory is not
     * a usage error. */
    bool nomem = strncmp(why, "out of memory", 13) == 0;
    gz_error_set(err, nomem ? GZ_ERR_NOMEM : GZ_ERR_USAGE, "", 0, 0, "--tz: %s", why);
    goto fail;
  }
  if (d->opts.since) {
    if (gz_date_parse_filter(d->opts.since, d->tz, d->opts.now, &d->since_day)) {
      gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                   "--since %s: not a date (use 2020-12-07, today, yesterday, -7d, -2w, -1m)",
                   d->opts.since);
      goto fail;
    }
    d->has_since = true;
  }
  if (d->opts.until) {
    if (gz_date_parse_filter(d->opts.until, d->tz, d->opts.now, &d->until_day)) {
      gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                   "--until %s: not a date (use 2020-12-07, today, yesterday, -7d, -2w, -1m)",
                   d->opts.until);
      goto fail;
    }
    d->has_until = true;
  }
  if (d->opts.new_since_state && !(d->seen = gz_seen_load(d->opts.new_since_state, al, err)))
    goto fail;
  if (d->opts.n_field_maps) {
    d->maps = gz_arena_alloc(&d->arena, d->opts.n_field_maps * sizeof *d->maps);
    if (!d->maps) goto nomem;
    for (size_t i = 0; i < d->opts.n_field_maps; i++) {
      char msg[300];
      if (gz_field_map_parse(d->opts.field_maps[i], &d->arena, &d->maps[i], msg, sizeof msg)) {
        bool nomem = strcmp(msg, "out of memory") == 0;
        gz_error_set(err, nomem ? GZ_ERR_NOMEM : GZ_ERR_USAGE, "", 0, 0, "%s", msg);
        goto fail;
      }
    }
  }
  d->opts.field_maps = NULL; /* the caller's strings need not outlive the call */
  d->utc = gz_tz_load("UTC", al, why, sizeof why);
  if (!d->utc) goto nomem;
  if (open_spool(d, err)) goto fail;
  xmlInitParser();
  d->setup = (gz_setup){.al = al,
                        .opts = &d->opts,
                        .tz = d->tz,
                        .utc = d->utc,
                        .has_since = d->has_since,
                        .has_until = d->has_until,
                        .since_day = d->since_day,
                        .until_day = d->until_day,
                        .maps = d->maps,
                        .n_maps = d->opts.n_field_maps};
  return d;
nomem:
  gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
fail:
  gz_digest_free(d);
  return NULL;
}

void gz_digest_free(gz_digest *d) {
  if (!d) return;
  if (d->rd_free) d->rd_free(d);
  if (d->spool_fd >= 0) close(d->spool_fd);
  gz_tz_free(d->tz);
  gz_tz_free(d->utc);
  for (size_t i = 0; i < d->n_groups; i++) gz_free(d->al, d->groups[i].items);
  gz_free(d->al, d->groups);
  gz_free(d->al, d->articles);
  gz_free(d->al, d->inputs);
  gz_free(d->al, d->diags);
  gz_buf_free(&d->spool_buf);
  gz_set64_free(&d->chrome);
  gz_seen_free(d->seen);
  gz_set64_free(&d->input_ids);
  gz_arena_clear(&d->arena);
  pthread_mutex_destroy(&d->diag_lock);
  gz_free(d->al, d);
}

/* A lock-free atomic: a signal handler may store to it (C11 7.14.1.1)
 * while worker threads load it. */
#if ATOMIC_INT_LOCK_FREE != 2
#error "gz_cancel_raise needs a lock-free atomic_int to be async-signal-safe"
#endif
struct gz_cancel {
  atomic_int raised;
};

gz_cancel *gz_cancel_new(void) {
  gz_cancel *c = malloc(sizeof *c);
  if (c) atomic_init(&c->raised, 0);
  return c;
}

void gz_cancel_free(gz_cancel *c) { free(c); }

void gz_cancel_raise(gz_cancel *c) {
  if (c) atomic_store(&c->raised, 1);
}

int gz_cancel_raised(const gz_cancel *c) { return c ? atomic_load(&c->raised) : 0; }

bool gz_canceled(const gz_digest *d) { return gz_cancel_raised(d->opts.cancel) != 0; }

bool gz_view_canceled(const gz_view *v) { return gz_cancel_raised(v->opts->cancel) != 0; }

const gz_view *gz_digest_view(gz_digest *d) {
  gz_view *v = &d->view;
  v->digest = d;
  v->al = d->al;
  v->opts = &d->opts;
  v->tz = d->tz;
  v->articles = d->articles;
  v->n_articles = d->n_articles;
  v->groups = d->groups;
  v->n_groups = d->n_groups;
  v->counts = &d->counts;
  v->inputs = d->inputs;
  v->n_inputs = d->n_inputs;
  v->finished = d->finished;
  return v;
}

gz_counts *gz_digest_tally(gz_digest *d) { return &d->counts; }

struct gz_seen *gz_digest_seen(gz_digest *d) {
  return d->seen;
}

gz_arena *gz_digest_arena(gz_digest *d) { return &d->arena; }

int gz_digest_input_add(gz_digest *d, uint64_t key) {
  return gz_set64_add(&d->input_ids, key) < 0 ? -1 : 0;
}

bool gz_digest_input_has(const gz_digest *d, uint64_t key) {
  return gz_set64_has(&d->input_ids, key);
}

const char *gz_digest_intern(gz_digest *d, const char *s) {
  /* Files are named once each, in order: the last one is usually it. */
  static const size_t probe = 4;
  for (size_t i = 0; i < d->n_articles && i < probe; i++) {
    const char *f = d->articles[d->n_articles - 1 - i].file;
    if (f && strcmp(f, s) == 0) return f;
  }
  return gz_arena_strdup(&d->arena, s);
}

void gz_diag_add(gz_digest *d, gz_severity sev, const char *file, unsigned long line,
                 unsigned long col, const char *fmt, ...) {
  char msg[1024], name[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* Messages are one line each, whatever a file is called. */
  file = gz_printable(file ? file : "", name, sizeof name);
  pthread_mutex_lock(&d->diag_lock);
  gz_diag_rec *rec = NULL;
  if (!gz_grow(d->al, (void **)&d->diags, &d->cap_diags, d->n_diags + 1, sizeof *d->diags) &&
      (rec = gz_arena_alloc(&d->arena, sizeof *rec)) != NULL) {
    rec->diag.severity = sev;
    rec->diag.file = gz_arena_strdup(&d->arena, file);
    rec->diag.line = line;
    rec->diag.col = col;
    rec->diag.message = gz_arena_strdup(&d->arena, msg);
    if (rec->diag.file && rec->diag.message)
      d->diags[d->n_diags++] = rec;
    else
      rec = NULL;
  }
  pthread_mutex_unlock(&d->diag_lock);
  if (d->opts.on_diag) {
    gz_diag tmp = {sev, file, line, col, msg};
    d->opts.on_diag(rec ? &rec->diag : &tmp, d->opts.diag_user);
  }
}

gz_counts gz_digest_counts(const gz_digest *d) { return d->counts; }

size_t gz_digest_diag_count(const gz_digest *d) { return d->n_diags; }

const gz_diag *gz_digest_diag(const gz_digest *d, size_t i) {
  return i < d->n_diags ? &d->diags[i]->diag : NULL;
}

/* ---- keys for duplicate detection ---- */

uint64_t gz_title_key(const char *title) {
  /* Case, punctuation and spacing differences do not make a new title. */
  uint64_t h = 0xcbf29ce484222325ULL;
  const unsigned char *u = (const unsigned char *)title;
  size_t len = strlen(title), i = 0, n = 0;
  while (i < len) {
    uint32_t cp;
    i += gz_utf8_decode(u + i, len - i, &cp);
    if (!gz_is_alnum_cp(cp)) continue;
    cp = gz_lower_cp(cp);
    h = (h ^ cp) * 0x100000001b3ULL;
    n++;
  }
  return n ? gz_hash_mix(h, n) : 0;
}

uint64_t gz_url_key(const char *url) {
  const char *s = url;
  size_t len = strlen(url);
  gz_trim(&s, &len);
  const char *hash = memchr(s, '#', len);
  if (hash) len = (size_t)(hash - s);
  while (len > 0 && s[len - 1] == '/') len--;
  if (len == 0) return 0;
  /* Scheme and host are case-insensitive; http and https are one page. */
  char buf[2048];
  size_t n = len < sizeof buf ? len : sizeof buf;
  memcpy(buf, s, n);
  size_t start = 0;
  if (n > 7 && gz_ascii_iprefix(buf, n, "http://")) start = 7;
  if (n > 8 && gz_ascii_iprefix(buf, n, "https://")) start = 8;
  size_t host_end = start;
  while (host_end < n && buf[host_end] != '/') {
    if (buf[host_end] >= 'A' && buf[host_end] <= 'Z') buf[host_end] += 32;
    host_end++;
  }
  uint64_t h = gz_hash64(buf + start, n - start, 0x75726c);
  return len > n ? gz_hash_mix(h, gz_hash64(s + n, len - n, 1)) : h;
}
