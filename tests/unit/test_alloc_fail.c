/*
 * test_alloc_fail.c - running out of memory at every allocation point, in
 * the manner of curl's torture tests.
 *
 * A reference run counts the allocations that read, finish and write an
 * EPUB and a PDF make through the digest's allocator; then for every n
 * from 1 to that count the same run is made with the n-th allocation
 * failing. Each run must end in GZ_ERR_NOMEM with a message (or, where
 * the library recovers, in exactly the reference's files), leave no byte
 * or block of the allocator outstanding after gz_digest_free, and leave
 * nothing in the output folder but complete outputs and nothing in the
 * spool folder. Everything runs with one job so the allocation order is
 * the same on every run.
 *
 * What does not go through the allocator is not exercised: libxml2
 * (xmlMemSetup is process-wide), libzip, fontconfig, and the zlib
 * streams libharu opens itself.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "testing.h"

/* ---- the counting allocator ---- */

typedef union head {
  size_t size;
  max_align_t align;
} head;

typedef struct counter {
  pthread_mutex_t lock;
  unsigned long calls;   /* malloc and realloc calls so far */
  unsigned long fail_at; /* the call that fails; 0: none */
  bool failed;           /* fail_at was reached */
  long blocks;
  long long bytes;
} counter;

/* A place for a debugger's breakpoint: the failing allocation. */
__attribute__((noinline)) static void failing_now(void) { __asm__ volatile(""); }

static bool next_fails(counter *c) {
  pthread_mutex_lock(&c->lock);
  bool fail = ++c->calls == c->fail_at;
  if (fail) c->failed = true;
  pthread_mutex_unlock(&c->lock);
  if (fail) failing_now();
  return fail;
}

static void account(counter *c, long blocks, long long bytes) {
  pthread_mutex_lock(&c->lock);
  c->blocks += blocks;
  c->bytes += bytes;
  pthread_mutex_unlock(&c->lock);
}

static void *c_malloc(void *ctx, size_t size) {
  counter *c = ctx;
  if (next_fails(c)) return NULL;
  head *h = malloc(sizeof *h + size);
  if (!h) return NULL;
  h->size = size;
  account(c, 1, (long long)size);
  return h + 1;
}

static void c_free(void *ctx, void *ptr) {
  if (!ptr) return;
  head *h = (head *)ptr - 1;
  account(ctx, -1, -(long long)h->size);
  free(h);
}

static void *c_realloc(void *ctx, void *ptr, size_t size) {
  counter *c = ctx;
  if (!ptr) return c_malloc(ctx, size);
  if (next_fails(c)) return NULL;
  head *h = (head *)ptr - 1;
  size_t old = h->size;
  head *n = realloc(h, sizeof *n + size);
  if (!n) return NULL;
  n->size = size;
  account(c, 0, (long long)size - (long long)old);
  return n + 1;
}

/* ---- the input: a few JSON articles with HTML bodies and a text dump ---- */

static const char json_dump[] =
    "[{\"title\":\"Council Approves Budget\",\"date\":\"2020-12-07T18:00:00Z\","
    "\"author\":\"Ida Brenner\",\"url\":\"https://news.example/budget\",\"tags\":[\"council\"],"
    "\"content\":\"<p>The council <em>approved</em> the budget.</p><ul><li>Roads</li>"
    "<li>Warming centres</li></ul><p>See <a href=\\\"https://example.org/plan\\\">the "
    "plan</a>.</p>\"},"
    "{\"title\":\"Bakery Reopens\",\"date\":\"2020-12-08T09:30:00Z\","
    "\"content\":\"<h2>Fresh bread</h2><p>The bakery on Mill Street has <strong>reopened"
    "</strong>.</p><blockquote><p>We missed it.</p></blockquote>\"}]";

static const char text_dump[] =
    "Harbour Wall Repairs Finish\n"
    "Date: 2020-12-11\n"
    "Author: Ann Lee\n"
    "\n"
    "Repairs to the east harbour wall have been finished before the storms.\n"
    "Divers replaced the loosened blocks with new marine concrete.\n";

/* ---- one run ---- */

/* ST_AGAIN writes the EPUB a second time: its bytes do not change, so
 * the output is compared and left as it is. */
enum { ST_NEW, ST_READ, ST_FINISH, ST_EPUB, ST_AGAIN, ST_PDF, ST_COUNT };
static const char *const stage_names[ST_COUNT] = {"new", "read", "finish", "epub", "again", "pdf"};

/* How a configuration writes: `split` one EPUB per day in folders the
 * template names, `again` the EPUB twice, `pdfa` PDF/A-1b. */
typedef struct config {
  bool epub, pdf, text, split, again, pdfa;
} config;

typedef struct run_result {
  int stage;                    /* the stage that failed, or ST_COUNT */
  gz_error err;                 /* its error */
  unsigned long ends[ST_COUNT]; /* allocation count at the end of each stage */
  size_t diags;
} run_result;

static char g_dir[200], g_spool[256], g_out[256];

static int run(counter *c, const config *cf, run_result *r) {
  bool epub = cf->epub, pdf = cf->pdf, text = cf->text;
  memset(r, 0, sizeof *r);
  gz_allocator al = {c_malloc, c_realloc, c_free, c};
  gz_options o;
  gz_options_init(&o);
  o.jobs = 1;
  o.now = 1608000000;
  o.spool_dir = g_spool;
  o.alloc = &al;
  gz_write_options w;
  gz_write_options_init(&w);
  w.jobs = 1;
  w.title = "Torture";
  w.modified = 1608000000;
  w.has_modified = 1;
  w.split = cf->split;
  w.pdfa = cf->pdfa;
  char path[1024];
  r->stage = ST_NEW;
  gz_digest *d = gz_digest_new(&o, &r->err);
  r->ends[ST_NEW] = c->calls;
  if (d) {
    r->stage = ST_READ;
    bool ok = gz_digest_add_memory(d, "dump.json", json_dump, sizeof json_dump - 1, &r->err) == 0;
    if (ok && text)
      ok = gz_digest_add_memory(d, "harbour.txt", text_dump, sizeof text_dump - 1, &r->err) == 0;
    r->ends[ST_READ] = c->calls;
    if (ok) r->stage = ST_FINISH, ok = gz_digest_finish(d, &r->err) == 0;
    r->ends[ST_FINISH] = c->calls;
    if (ok && epub) {
      r->stage = ST_EPUB;
      if (cf->split)
        snprintf(path, sizeof path, "%s/%%Y/%%m-%%d.epub", g_out);
      else
        snprintf(path, sizeof path, "%s/out.epub", g_out);
      ok = gz_digest_write(d, &w, path, &r->err) == 0;
    }
    r->ends[ST_EPUB] = c->calls;
    if (ok && epub && cf->again) {
      r->stage = ST_AGAIN;
      ok = gz_digest_write(d, &w, path, &r->err) == 0;
    }
    r->ends[ST_AGAIN] = c->calls;
    if (ok && pdf) {
      r->stage = ST_PDF;
      w.format = GZ_FORMAT_PDF;
      w.split = 0;
      snprintf(path, sizeof path, "%s/out.pdf", g_out);
      ok = gz_digest_write(d, &w, path, &r->err) == 0;
    }
    r->ends[ST_PDF] = c->calls;
    if (ok) r->stage = ST_COUNT;
    r->diags = gz_digest_diag_count(d);
  }
  gz_digest_free(d);
  return r->stage == ST_COUNT ? 0 : -1;
}

/* ---- files ---- */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

static bool same_file(const char *path, const char *want, size_t want_len) {
  size_t len;
  char *got = slurp(path, &len);
  bool same = got && len == want_len && memcmp(got, want, len) == 0;
  free(got);
  return same;
}

/* The files under a folder (one level of subfolders), as relative paths. */
typedef struct tree {
  char rel[16][300];
  size_t n;
  bool more; /* over 16, or a folder too deep */
} tree;

static void walk(const char *dir, const char *prefix, tree *t, int depth) {
  DIR *dp = opendir(dir);
  if (!dp) return;
  struct dirent *e;
  while ((e = readdir(dp))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char p[600], rel[300];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    snprintf(rel, sizeof rel, "%s%s", prefix, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      char sub[320];
      snprintf(sub, sizeof sub, "%s/", rel);
      if (depth > 0)
        walk(p, sub, t, depth - 1);
      else
        t->more = true;
      continue;
    }
    if (t->n < 16)
      snprintf(t->rel[t->n++], sizeof t->rel[0], "%s", rel);
    else
      t->more = true;
  }
  closedir(dp);
}

static bool tree_has(const tree *t, const char *rel) {
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->rel[i], rel) == 0) return true;
  return false;
}

static void tree_names(const tree *t, char *out, size_t cap) {
  out[0] = '\0';
  for (size_t i = 0; i < t->n; i++) {
    size_t n = strlen(out);
    snprintf(out + n, cap - n, "%s ", t->rel[i]);
  }
}

/* Empties a folder, and its subfolders (removed too). */
static void empty_dir(const char *dir) {
  DIR *dp = opendir(dir);
  if (!dp) return;
  struct dirent *e;
  char p[600];
  while ((e = readdir(dp))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      empty_dir(p);
      rmdir(p);
    } else {
      unlink(p);
    }
  }
  closedir(dp);
}

static bool is_pdf(const char *rel) {
  size_t n = strlen(rel);
  return n > 4 && strcmp(rel + n - 4, ".pdf") == 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the failure points of one configuration: every one, or, with
 * `dense` > 0, every one up to `dense` points into the last stage, every
 * one of the last `tail` points and a stride of about 120 points over the
 * rest (GZ_FAIL_ALL=1: every one).
 * Returns the number of points. */
static unsigned long torture(const char *what, const config *cf, unsigned long dense,
                             unsigned long tail) {
  double t0 = now_s();
  counter c;
  memset(&c, 0, sizeof c);
  pthread_mutex_init(&c.lock, NULL);
  empty_dir(g_out);
  run_result ref;
  CHECK_INT(run(&c, cf, &ref), 0);
  if (ref.stage != ST_COUNT) {
    fprintf(stderr, "%s: the reference run failed: %s\n", what, ref.err.message);
    return 0;
  }
  CHECK_INT(c.blocks, 0);
  CHECK_INT(c.bytes, 0);
  /* the reference's files and bytes */
  tree ref_tree;
  memset(&ref_tree, 0, sizeof ref_tree);
  walk(g_out, "", &ref_tree, 1);
  CHECK(!ref_tree.more);
  char *ref_data[16] = {NULL};
  size_t ref_len[16] = {0};
  char path[1024];
  for (size_t i = 0; i < ref_tree.n; i++) {
    snprintf(path, sizeof path, "%s/%s", g_out, ref_tree.rel[i]);
    ref_data[i] = slurp(path, &ref_len[i]);
    CHECK(ref_data[i] != NULL);
  }
  size_t want_epubs = 0, want_pdfs = 0;
  for (size_t i = 0; i < ref_tree.n; i++) is_pdf(ref_tree.rel[i]) ? want_pdfs++ : want_epubs++;
  CHECK_INT(want_epubs, cf->epub ? (cf->split ? 3 : 1) : 0);
  CHECK_INT(want_pdfs, cf->pdf ? 1 : 0);
  unsigned long total = c.calls, per_stage[ST_COUNT] = {0}, recovered = 0;
  int bad = 0;
  /* GZ_FAIL_AT=n runs one point only, for a debugger. */
  const char *only = getenv("GZ_FAIL_AT");
  unsigned long first = only ? strtoul(only, NULL, 10) : 1, last = only ? first : total;
  unsigned long from = 0, stride = 1, tried = 0;
  if (dense && !only && !getenv("GZ_FAIL_ALL")) {
    from = ref.ends[cf->pdf ? ST_AGAIN : ST_FINISH] + dense;
    stride = from < total ? (total - from) / 120 + 1 : 1;
  }
  for (unsigned long n = first; n <= last && bad < 20; n++) {
    /* The stride skips the middle; the last `tail` points (finishing
     * and saving the document) all run. */
    if (n > from && n + tail < total && (n - from) % stride != 0) continue;
    tried++;
    if (getenv("GZ_FAIL_TRACE")) fprintf(stderr, "%s: %lu\n", what, n);
    empty_dir(g_out);
    c.calls = 0;
    c.fail_at = n;
    c.failed = false;
    run_result r;
    int rc = run(&c, cf, &r);
    int st = 0;
    while (st < ST_COUNT - 1 && n > ref.ends[st]) st++;
    per_stage[st]++;
    tree got, spool;
    memset(&got, 0, sizeof got);
    memset(&spool, 0, sizeof spool);
    walk(g_out, "", &got, 1);
    walk(g_spool, "", &spool, 0);
    char names[5000], spool_names[5000];
    tree_names(&got, names, sizeof names);
    tree_names(&spool, spool_names, sizeof spool_names);
    /* The outputs of the stages that succeeded, nothing else; a failed
     * second EPUB leaves the first one as it was. */
    size_t want_n = 0;
    bool files_ok = !got.more;
    for (size_t i = 0; i < ref_tree.n; i++) {
      bool pdf = is_pdf(ref_tree.rel[i]);
      bool want = pdf ? r.stage > ST_PDF : r.stage > ST_EPUB;
      if (!want) continue;
      want_n++;
      snprintf(path, sizeof path, "%s/%s", g_out, ref_tree.rel[i]);
      if (!tree_has(&got, ref_tree.rel[i]) || !same_file(path, ref_data[i], ref_len[i]))
        files_ok = false;
    }
    if (got.n != want_n) files_ok = false;
    const char *why = NULL;
    if (!c.failed)
      why = "the failing allocation was never made";
    else if (rc == 0) {
      /* Recovered: only acceptable with the very same output. */
      if (!files_ok) why = "succeeded with other files";
      if (r.diags != ref.diags) why = "succeeded with other messages";
      recovered++;
    } else if (r.err.code != GZ_ERR_NOMEM)
      why = "failed with another code than GZ_ERR_NOMEM";
    else if (!r.err.message[0])
      why = "failed without a message";
    if (!why && (c.blocks || c.bytes)) why = "leaked";
    if (!why && (spool.n || spool.more)) why = "left spool files";
    if (!why && !files_ok) why = "left other files in the output folder";
    if (why) {
      bad++;
      gz_test_failures++;
      fprintf(stderr,
              "%s: allocation %lu of %lu (%s): %s [code %d \"%s\", %ld blocks, %lld bytes "
              "outstanding, folder: \"%s\", spool: \"%s\"]\n",
              what, n, total, stage_names[st], why, (int)r.err.code, r.err.message, c.blocks,
              c.bytes, names, spool_names);
    }
    gz_test_checks++;
    c.blocks = 0;
    c.bytes = 0;
  }
  printf("%s: %lu of %lu allocation points failed in turn (", what, tried, total);
  for (int s = 0; s < ST_COUNT; s++)
    printf("%s%s %lu", s ? ", " : "", stage_names[s], per_stage[s]);
  if (stride > 1) printf("; every %luth from point %lu to the last %lu", stride, from, tail);
  printf("), %lu recovered with the same output, %.1f s\n", recovered, now_s() - t0);
  for (size_t i = 0; i < ref_tree.n; i++) free(ref_data[i]);
  pthread_mutex_destroy(&c.lock);
  return total;
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(g_dir, sizeof g_dir, "%s/gz-alloc-fail-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(g_dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(g_spool, sizeof g_spool, "%s/spool", g_dir);
  snprintf(g_out, sizeof g_out, "%s/out", g_dir);
  mkdir(g_spool, 0700);
  mkdir(g_out, 0700);
  /* Read, finish and the EPUB with every input, at every point. The
   * PDF with the smallest input: libharu makes some 28,000 allocations
   * loading three faces of DejaVu, about 25 minutes of runs in the debug
   * build, so its stage runs densely for the first 150 points (our own
   * set-up and the first font), by a stride after that and densely again
   * at the end. The EPUB is written twice (the second time its bytes
   * do not change and the file is left as it is), and once more split
   * into folders that the template names. */
  static const config epub = {.epub = true, .text = true, .again = true};
  static const config split = {.epub = true, .text = true, .split = true, .again = true};
  static const config pdf = {.pdf = true};
  static const config pdfa = {.pdf = true, .pdfa = true};
  CHECK(torture("read+finish+epub twice", &epub, 0, 0) > 0);
  CHECK(torture("epub --split into folders, twice", &split, 0, 0) > 0);
  CHECK(torture("pdf", &pdf, 150, 150) > 0);
  /* PDF/A adds its document information, XMP and CIDSets some 830
   * allocations before the end (libharu's save makes the rest). */
  CHECK(torture("pdf/a", &pdfa, 150, 1000) > 0);
  empty_dir(g_out);
  empty_dir(g_spool);
  rmdir(g_out);
  rmdir(g_spool);
  rmdir(g_dir);
  TEST_MAIN_END();
}
