/*
 * digest.c - the digest handle: options, the arena that owns every
 * string, diagnostics, the spool file and the counts.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <fingerprint.h>

#include "model/core.h"

const char *gz_version(void) { return GAZETTE_VERSION; }

void gz_options_init(gz_options *o) {
  memset(o, 0, sizeof *o);
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
  gz_options defaults;
  if (!opts) {
    gz_options_init(&defaults);
    opts = &defaults;
  }
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
  d->utc = gz_tz_load("UTC", al, why, sizeof why);
  if (!d->utc) goto nomem;
  if (open_spool(d, err)) goto fail;
  xmlInitParser();
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

/* ---- language ---- */

static char ascii_lower_c(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }
static char ascii_upper_c(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }
static bool ascii_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

bool gz_lang_normalize(const char *s, size_t n, char out[GZ_LANG_MAX]) {
  gz_trim(&s, &n);
  /* POSIX locales: "uk_UA.UTF-8", "sr_RS@latin" */
  for (size_t i = 0; i < n; i++)
    if (s[i] == '.' || s[i] == '@') n = i;
  if (n == 0 || n >= GZ_LANG_MAX) return false;
  size_t k = 0, sub = 0;
  for (size_t i = 0; i <= n; sub++) {
    size_t j = i;
    while (j < n && s[j] != '-' && s[j] != '_') j++;
    size_t len = j - i;
    /* the language: 2 or 3 letters; then subtags of 1 to 8 letters or
     * digits (RFC 5646 2.1) */
    if (sub == 0 && (len < 2 || len > 3)) return false;
    if (len < 1 || len > 8) return false;
    for (size_t p = i; p < j; p++) {
      if (!ascii_alpha(s[p]) && !(sub > 0 && ascii_digit(s[p]))) return false;
      char c = ascii_lower_c(s[p]);
      /* script subtags are title case, regions upper case (RFC 5646 2.1.1) */
      if (sub > 0 && len == 4 && p == i) c = ascii_upper_c(c);
      if (sub > 0 && len == 2) c = ascii_upper_c(c);
      out[k++] = c;
    }
    if (j < n) out[k++] = '-';
    i = j + 1;
    if (j >= n) break;
  }
  out[k] = '\0';
  return strcmp(out, "und") != 0;
}

#ifndef GZ_TEXTCAT_DIR
#define GZ_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

/* libexttextcat's textcat_ClassifyFull compares the sample with each of
 * its 164 models (fp_Compare, cut short once a score passes the threshold,
 * 1.03 times the best so far), 0.45 ms an article. gazette runs that same
 * loop over the library's fingerprint functions, but skips a model when
 * the sample n-grams it surely lacks (TC_OUT_OF_PLACE each; a Bloom filter
 * of its n-grams tells) already pass the threshold: fp_Compare would have
 * answered "too far" too. The language last found is compared first, so
 * that the threshold is low from the start. The set of candidates does
 * not depend on that order (a comparison cut short scored above every
 * later threshold), and gazette uses only the set. */
#define TC_NGRAMS 400       /* n-grams in a fingerprint (constants.h MAXNGRAMS) */
#define TC_NGRAM_BYTES 20   /* MAXNGRAMSIZE */
#define TC_OUT_OF_PLACE 400 /* MAXOUTOFPLACE: a sample n-gram a model lacks */
#define BLOOM_BITS 8192     /* about 5 % false hits for 400 n-grams */
#define BLOOM_AFTER 32      /* classifications */

struct gz_langid {
  void **fp;       /* the models, as listed in fpdb.conf; NULL without them */
  uint64_t *bloom; /* a Bloom filter per model, stored bit by bit: row h
                    * holds a bit for each model that may have an n-gram
                    * hashed to h */
  uint32_t words;  /* in a row */
  uint32_t *hits;  /* per model: sample n-grams it may have */
  uint32_t *order; /* the order they are compared in */
  int *score;
  uint32_t n;
  char *print;   /* a fingerprint as fp_Print writes it */
  uint32_t uses; /* classifications so far */
  uint32_t hashes[TC_NGRAMS];
  gz_langid *next; /* in the pool of idle classifiers */
};

#define PRINT_SIZE (TC_NGRAMS * (TC_NGRAM_BYTES + 1) + 2)

/* The Bloom filter bits of a fingerprint's n-grams, read back with
 * fp_Print, the library's one way to list them; the number of n-grams. */
static uint32_t fp_hashes(void *fp, char *print, uint32_t out[TC_NGRAMS]) {
  FILE *f = fmemopen(print, PRINT_SIZE, "w");
  if (!f) return 0;
  fp_Print(fp, f);
  long len = ftell(f);
  fclose(f);
  /* a listing that filled the buffer may be cut: tell nothing */
  if (len < 0 || len >= PRINT_SIZE - 1) return 0;
  uint32_t n = 0;
  for (long i = 0; i < len && n < TC_NGRAMS;) {
    long j = i;
    while (j < len && print[j] != '\n') j++;
    out[n++] = (uint32_t)gz_hash64(print + i, (size_t)(j - i), 0x6e6772) % BLOOM_BITS;
    i = j + 1;
  }
  return n;
}

/* Loading the 160 language models takes about 20 ms, so classifiers are
 * kept for the next digest instead of loaded for each (fuzzers and hosts
 * make many): at most POOL_MAX idle ones, about 2 MB each. */
#define POOL_MAX 8
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static gz_langid *pool;
static int pool_n;

/* The Bloom filters and their work space; without them no model is
 * skipped. */
static void langid_bloom_free(gz_langid *id) {
  free(id->bloom);
  free(id->hits);
  free(id->print);
  id->bloom = NULL;
  id->hits = NULL;
  id->print = NULL;
}

static void langid_models_free(gz_langid *id) {
  for (uint32_t i = 0; i < id->n; i++) fp_Done(id->fp[i]);
  free(id->fp);
  free(id->order);
  free(id->score);
  langid_bloom_free(id);
  id->fp = NULL;
  id->order = NULL;
  id->score = NULL;
  id->n = 0;
}

/* Reads the models the way special_textcat_Init does: "file name" a line,
 * '#' starts a comment, each file read to its first 400 n-grams. */
static bool langid_load(gz_langid *id, const char *dir) {
  char path[1024];
  snprintf(path, sizeof path, "%s/fpdb.conf", dir);
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char line[1024];
  uint32_t cap = 0;
  bool ok = true;
  while (ok && fgets(line, sizeof line, f)) {
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *save = NULL, *file = strtok_r(line, " \t\r\n", &save);
    char *name = file ? strtok_r(NULL, " \t\r\n", &save) : NULL;
    if (!name) continue;
    if (id->n == cap) {
      cap = cap ? cap * 2 : 256;
      void **fp = realloc(id->fp, cap * sizeof *fp);
      if (!fp) {
        ok = false;
        break;
      }
      id->fp = fp;
    }
    void *m = fp_Init(name);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!m || fp_Read(m, path, 400) == 0) {
      if (m) fp_Done(m);
      ok = false;
      break;
    }
    id->fp[id->n++] = m;
  }
  fclose(f);
  if (ok && id->n) {
    id->order = malloc(id->n * sizeof *id->order);
    id->score = malloc(id->n * sizeof *id->score);
    ok = id->order && id->score;
    for (uint32_t i = 0; ok && i < id->n; i++) id->order[i] = i;
  }
  if (!ok || !id->n) langid_models_free(id);
  return id->n > 0;
}

/* Makes the Bloom filters; without them no model is skipped. */
static void langid_bloom(gz_langid *id) {
  id->hits = malloc(id->n * sizeof *id->hits);
  id->words = (id->n + 63) / 64;
  id->bloom = calloc((size_t)BLOOM_BITS * id->words, sizeof *id->bloom);
  id->print = malloc(PRINT_SIZE);
  if (!id->hits || !id->bloom || !id->print) {
    langid_bloom_free(id);
    return;
  }
  for (uint32_t i = 0; i < id->n; i++) {
    uint32_t k = fp_hashes(id->fp[i], id->print, id->hashes);
    uint64_t bit = (uint64_t)1 << (i % 64);
    /* a model fp_Print cannot list would be skipped wrongly: keep it */
    if (k == 0)
      for (uint32_t h = 0; h < BLOOM_BITS; h++) id->bloom[(size_t)h * id->words + i / 64] |= bit;
    while (k--) id->bloom[(size_t)id->hashes[k] * id->words + i / 64] |= bit;
  }
}

gz_langid *gz_langid_new(void) {
  pthread_mutex_lock(&pool_lock);
  gz_langid *id = pool;
  if (id) {
    pool = id->next;
    pool_n--;
  }
  pthread_mutex_unlock(&pool_lock);
  if (id) return id;
  id = calloc(1, sizeof *id);
  if (!id) return NULL;
  langid_load(id, GZ_TEXTCAT_DIR);
  return id;
}

void gz_langid_free(gz_langid *id) {
  if (!id) return;
  pthread_mutex_lock(&pool_lock);
  bool kept = pool_n < POOL_MAX;
  if (kept) {
    id->next = pool;
    pool = id;
    pool_n++;
  }
  pthread_mutex_unlock(&pool_lock);
  if (kept) return;
  langid_models_free(id);
  free(id);
}

/* textcat_ClassifyFull's verdict (constants.h: 1.03, at most 5
 * candidates, 400 n-grams) with the models in id->order: the number of
 * candidates, their indexes in cand[], or 0 when unsure, -1 when the
 * sample is too short. */
#define TC_MAX_CANDIDATES 5
static int langid_classify(gz_langid *id, const char *s, size_t len,
                           uint32_t cand[TC_MAX_CANDIDATES]) {
  void *u = fp_Init(NULL);
  if (!u) return 0;
  fp_SetProperty(u, TCPROP_UTF8AWARE, TC_TRUE);
  fp_SetProperty(u, TCPROP_MINIMUM_DOCUMENT_SIZE, 1);
  if (fp_Create(u, s, (uint4)len, 400) == 0) {
    fp_Done(u);
    return -1;
  }
  /* The filters cost about as much as 30 classifications: small digests
   * do without them. */
  if (++id->uses == BLOOM_AFTER) langid_bloom(id);
  uint32_t nh = id->bloom ? fp_hashes(u, id->print, id->hashes) : 0;
  if (id->bloom) memset(id->hits, 0, id->n * sizeof *id->hits);
  for (uint32_t h = 0; h < nh; h++) {
    const uint64_t *row = id->bloom + (size_t)id->hashes[h] * id->words;
    for (uint32_t w = 0; w < id->words; w++)
      for (uint64_t m = row[w]; m; m &= m - 1) id->hits[w * 64 + (uint32_t)__builtin_ctzll(m)]++;
  }
  int minscore = INT_MAX, threshold = INT_MAX;
  uint32_t best = 0;
  for (uint32_t k = 0; k < id->n; k++) {
    uint32_t i = id->order[k];
    /* Each sample n-gram the model surely lacks adds TC_OUT_OF_PLACE to
     * its score; once that alone passes the threshold, fp_Compare would
     * stop and answer INT_MAX too, so it need not run. */
    int low = id->bloom ? (int)(nh - id->hits[i]) * TC_OUT_OF_PLACE : 0;
    int score = low > threshold ? INT_MAX : fp_Compare(id->fp[i], u, threshold);
    id->score[i] = score;
    if (score < minscore) {
      minscore = score;
      best = k;
      threshold = (int)((double)score * 1.03);
    }
  }
  fp_Done(u);
  /* the winner is compared first next time: a feed keeps its language */
  uint32_t w = id->order[best];
  memmove(id->order + 1, id->order, best * sizeof *id->order);
  id->order[0] = w;
  int n = 0;
  for (uint32_t i = 0; i < id->n; i++)
    if (id->score[i] < threshold) {
      if (n == TC_MAX_CANDIDATES) return 0;
      cand[n++] = i;
    }
  return n;
}

int gz_langid_candidates(gz_langid *id, const char *s, size_t len, const char *names[5]) {
  uint32_t cand[TC_MAX_CANDIDATES];
  int n = id && id->n ? langid_classify(id, s, len, cand) : 0;
  for (int k = 0; k < n; k++) names[k] = fp_Name(id->fp[cand[k]]);
  return n;
}

/* Letters that tell close languages of one script apart. */
enum {
  L_UK = 1, /* і ї є ґ: Ukrainian, not Russian */
  L_RU = 2, /* ы э ъ ё: Russian, not Ukrainian */
  L_FA = 4  /* پ چ ژ گ ی ک: Persian (and Urdu), not Arabic */
};

/* A libexttextcat category ("uk--utf8", "zh-CN-utf8", "az-cyrillic-utf8")
 * as a BCP 47 tag; false for models gazette does not answer with: close
 * minority relatives of a big language that win on short news text
 * (Rusyn for Ukrainian, Scots for English, Ancient Greek for Greek) and
 * the retired Serbo-Croatian tag. */
static bool textcat_tag(const char *name, char out[GZ_LANG_MAX]) {
  static const char *const skipped[] = {"rue", "sco", "grc", "sh"};
  char buf[GZ_LANG_MAX];
  gz_strlcpy(buf, name, sizeof buf);
  size_t n = strlen(buf);
  if (n > 5 && strcmp(buf + n - 5, "-utf8") == 0) buf[n -= 5] = '\0';
  while (n > 0 && buf[n - 1] == '-') buf[--n] = '\0';
  char *cyr = strstr(buf, "-cyrillic");
  if (cyr) strcpy(cyr, "-Cyrl");
  for (size_t i = 0; i < GZ_ARRAY_LEN(skipped); i++)
    if (strcmp(buf, skipped[i]) == 0) return false;
  return gz_lang_normalize(buf, strlen(buf), out);
}

/* Is a guess ruled out by letters its alphabet lacks? */
static bool ruled_out(const char *tag, unsigned letters) {
  if (strcmp(tag, "ru") == 0) return letters & L_UK;
  if (strcmp(tag, "uk") == 0) return letters & L_RU;
  if (strcmp(tag, "ar") == 0) return letters & L_FA;
  return false;
}

void gz_detect_lang(gz_langid *id, const char *s, size_t len, char out[GZ_LANG_MAX]) {
  size_t latin = 0, cyr = 0, arm = 0, geo = 0, greek = 0, han = 0, kana = 0, hangul = 0, arabic = 0,
         hebrew = 0, thai = 0, uk = 0, ru = 0, fa = 0;
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    uint32_t cp;
    if (u[i] < 0x80) {
      cp = u[i++];
      if (((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) latin++;
      continue;
    }
    i += gz_utf8_decode(u + i, len - i, &cp);
    if (cp >= 0x400 && cp <= 0x4FF) {
      cyr++;
      uint32_t lc = cp < 0x410 ? cp + 0x50 : cp < 0x430 ? cp + 0x20 : cp;
      if (cp == 0x490 || cp == 0x491 || lc == 0x456 || lc == 0x457 || lc == 0x454) uk++;
      if (lc == 0x44B || lc == 0x44D || lc == 0x44A || lc == 0x451) ru++;
    } else if (cp >= 0x530 && cp <= 0x58F)
      arm++;
    else if ((cp >= 0x10A0 && cp <= 0x10FF) || (cp >= 0x1C90 && cp <= 0x1CBF))
      geo++;
    else if (cp >= 0x370 && cp <= 0x3FF)
      greek++;
    else if (cp >= 0x590 && cp <= 0x5FF)
      hebrew++;
    else if (cp >= 0x600 && cp <= 0x6FF) {
      arabic++;
      if (cp == 0x67E || cp == 0x686 || cp == 0x698 || cp == 0x6AF || cp == 0x6CC || cp == 0x6A9)
        fa++;
    } else if (cp >= 0xE00 && cp <= 0xE7F)
      thai++;
    else if (cp >= 0x3040 && cp <= 0x30FF)
      kana++;
    else if (cp >= 0x4E00 && cp <= 0x9FFF)
      han++;
    else if (cp >= 0xAC00 && cp <= 0xD7AF)
      hangul++;
    else if (cp < 0x250)
      latin++;
  }
  out[0] = '\0';
  /* A letter counts once it is more than a quoted name: 1 in 200. */
  unsigned letters =
      (uk * 200 > cyr ? L_UK : 0) | (ru * 200 > cyr ? L_RU : 0) | (fa * 200 > arabic ? L_FA : 0);
  /* Fewer letters than this make textcat guess (Abkhaz for "Да"). */
  size_t letters_n = latin + cyr + arm + geo + greek + han + kana + hangul + arabic + hebrew + thai;
  if (id && id->n && letters_n >= 30) {
    uint32_t cand[TC_MAX_CANDIDATES];
    int n = langid_classify(id, s, len, cand);
    char tag[GZ_LANG_MAX], found[GZ_LANG_MAX] = "";
    int left = 0;
    for (int k = 0; k < n; k++) {
      if (!textcat_tag(fp_Name(id->fp[cand[k]]), tag) || ruled_out(tag, letters)) continue;
      if (left++ == 0) memcpy(found, tag, sizeof found);
    }
    /* One language left among textcat's close candidates: it is sure. */
    if (left == 1) {
      memcpy(out, found, GZ_LANG_MAX);
      return;
    }
  }
  /* Unsure or too short: only a script of one language tells it. */
  size_t best = latin + cyr + arabic + han;
  struct {
    size_t n;
    const char *tag;
  } scripts[] = {{arm, "hy"},
                 {geo, "ka"},
                 {greek, "el"},
                 {hebrew, "he"},
                 {hangul, "ko"},
                 {thai, "th"},
                 {kana ? han + kana : 0, "ja"}};
  for (size_t k = 0; k < GZ_ARRAY_LEN(scripts); k++)
    if (scripts[k].n > best) {
      best = scripts[k].n;
      gz_strlcpy(out, scripts[k].tag, GZ_LANG_MAX);
    }
}
