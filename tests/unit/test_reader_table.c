/*
 * test_reader_table.c - a reader is one row of a table: a throwaway
 * format (one article per line, "YYYY-MM-DD|title|body") written here
 * as a reader would be in its folder, added to a copy of the built-in
 * table, and read through the library's reading path (folder walk,
 * extension, sniffing, --input-format, ingest, pipeline, finish).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/core.h" /* the test looks inside the digest */
#include "read/reader.h"
#include "read_digest.h"

/* ---- the reader ---- */

typedef struct pipe_reader {
  gz_input *in;
  gz_buf partial; /* a line cut by the chunk's end */
  unsigned long line_no;
} pipe_reader;

static void *pipe_new(gz_input *in, const char *path) {
  (void)path;
  pipe_reader *r = gz_malloc(in->d->al, sizeof *r);
  if (!r) return NULL;
  r->in = in;
  r->line_no = 0;
  gz_buf_init(&r->partial, in->d->al);
  return r;
}

static void pipe_free(void *self) {
  pipe_reader *r = self;
  if (!r) return;
  gz_buf_free(&r->partial);
  gz_free(r->in->d->al, r);
}

static int pipe_line(pipe_reader *r, const char *s, size_t n) {
  r->line_no++;
  if (n == 0) return 0;
  const char *bar = memchr(s, '|', n);
  const char *bar2 = bar ? memchr(bar + 1, '|', (size_t)(s + n - bar - 1)) : NULL;
  if (!bar2) {
    gz_ingest_skip(r->in, r->line_no, 1, "not date|title|body; skipped");
    return 0;
  }
  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = r->line_no;
  raw.col = 1;
  raw.bytes = n;
  raw.date = (gz_raw_date){s, (size_t)(bar - s), 0, r->line_no, 1};
  raw.title = bar + 1;
  raw.title_len = (size_t)(bar2 - bar - 1);
  raw.body = bar2 + 1;
  raw.body_len = (size_t)(s + n - bar2 - 1);
  raw.body_kind = GZ_BODY_PLAIN;
  return gz_ingest_raw(r->in, &raw);
}

static int pipe_feed(void *self, const char *s, size_t n) {
  pipe_reader *r = self;
  for (const char *end = s + n, *nl; s < end; s = nl + 1) {
    if (!(nl = memchr(s, '\n', (size_t)(end - s)))) {
      gz_buf_append(&r->partial, s, (size_t)(end - s));
      break;
    }
    gz_buf_append(&r->partial, s, (size_t)(nl - s));
    int rc = pipe_line(r, r->partial.data, r->partial.len);
    gz_buf_clear(&r->partial);
    if (rc) return -1;
  }
  if (r->partial.failed) {
    r->in->failed = true;
    return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  return 0;
}

static int pipe_finish(void *self) {
  pipe_reader *r = self;
  return r->partial.len ? pipe_line(r, r->partial.data, r->partial.len) : 0;
}

/* Starts with "dddd-dd-dd|". */
static bool pipe_sniff(const char *s, size_t n) {
  static const char shape[] = "dddd-dd-dd|";
  if (n < sizeof shape - 1) return false;
  for (size_t i = 0; i < sizeof shape - 1; i++)
    if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i]) return false;
  return true;
}

static const char *const pipe_ext[] = {".pipe", NULL};
static const gz_reader_class pipe_class = {"pipe",   "pipe lines", pipe_ext,    pipe_sniff,
                                           pipe_new, pipe_feed,    pipe_finish, pipe_free};

/* ---- the test ---- */

static const gz_article *by_title(const gz_digest *d, const char *title) {
  for (size_t i = 0; i < d->n_articles; i++)
    if (d->articles[i].title && strcmp(d->articles[i].title, title) == 0) return &d->articles[i];
  fprintf(stderr, "no article \"%s\"\n", title);
  return NULL;
}

/* The article's day as YYYY-MM-DD, "undated" without one. */
static const char *day_of(const gz_article *a, char *buf, size_t cap) {
  if (!a || !a->dated) return "undated";
  gz_format_ymd(buf, cap, a->when.day);
  return buf;
}

/* The body's blocks' texts, joined by "/". */
static const char *body_of(gz_digest *d, const gz_article *a, char *buf, size_t cap) {
  buf[0] = '\0';
  if (!a) return buf;
  gz_arena arena;
  gz_arena_init(&arena, d->al);
  gz_body body;
  gz_error err;
  if (gz_body_load(gz_digest_view(d), a, &arena, &body, &err) == 0) {
    size_t used = 0;
    for (size_t i = 0; i < body.n && used < cap; i++)
      used += (size_t)snprintf(buf + used, cap - used, "%s%.*s", i ? "/" : "",
                               (int)body.blocks[i].len, body.blocks[i].text);
  }
  gz_arena_clear(&arena);
  return buf;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static void test_throwaway_reader(void) {
  /* the built-in rows and the new one */
  const gz_reader_class *rows[8];
  size_t n = 0;
  for (size_t i = 0; i < gz_builtin_readers.n; i++) rows[n++] = gz_builtin_readers.rows[i];
  rows[n++] = &pipe_class;
  const gz_reader_table table = {rows, n, gz_builtin_readers.fallback};

  char dir[] = "/tmp/gz-reader-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char a[64], b[64], c[64];
  snprintf(a, sizeof a, "%s/a.pipe", dir);
  snprintf(b, sizeof b, "%s/b.json", dir);
  snprintf(c, sizeof c, "%s/c.other", dir);
  write_file(a,
             "2020-12-07|First|Body one\n\n2020-12-08|Second|Body two\n"
             "no bars here\n2020-13-45|Third|Body three");
  write_file(b, "[{\"title\":\"Json\",\"date\":\"2020-12-09\",\"body\":\"From JSON\"}]");
  write_file(c, "2020-12-10|Not walked|a folder reads only the table's extensions\n");

  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_INT(gz_read_add_path(d, &table, dir, &err), 0);
  /* no extension: the new row's sniff claims it */
  const char *sniffed = "2021-01-02|Sniffed|Found by its first bytes\n";
  CHECK_INT(gz_read_add_memory(d, &table, "noext", sniffed, strlen(sniffed), &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);

  gz_counts counts = gz_digest_counts(d);
  CHECK_INT(counts.read, 6);
  CHECK_INT(counts.written, 5);
  CHECK_INT(counts.skipped, 1);
  char day[16], body[256];
  static const struct {
    const char *title, *day, *body;
  } want[] = {
      {"First", "2020-12-07", "Body one"},
      {"Second", "2020-12-08", "Body two"},
      {"Third", "undated", "Body three"},
      {"Json", "2020-12-09", "From JSON"},
      {"Sniffed", "2021-01-02", "Found by its first bytes"},
  };
  CHECK_INT(d->n_articles, GZ_ARRAY_LEN(want));
  for (size_t i = 0; i < GZ_ARRAY_LEN(want); i++) {
    const gz_article *art = by_title(d, want[i].title);
    CHECK(art != NULL);
    CHECK_STR(day_of(art, day, sizeof day), want[i].day);
    CHECK_STR(body_of(d, art, body, sizeof body), want[i].body);
  }
  /* the shared ingest rules speak for the new reader, at its positions */
  bool skip = false, undated = false;
  for (size_t i = 0; i < gz_digest_diag_count(d); i++) {
    const gz_diag *dg = gz_digest_diag(d, i);
    if (strcmp(dg->message, "not date|title|body; skipped") == 0 && dg->line == 4) skip = true;
    if (strcmp(dg->message,
               "cannot read the date \"2020-13-45\" of \"Third\"; it goes to Undated") == 0 &&
        dg->line == 5)
      undated = true;
  }
  CHECK(skip);
  CHECK(undated);
  gz_digest_free(d);

  /* --input-format's value k is row k - 1 of the table */
  gz_options_init(&o);
  o.input_format = (gz_input_format)(gz_builtin_readers.n + 1);
  d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_INT(gz_read_add_path(d, &table, c, &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  CHECK_INT(d->n_articles, 1);
  const gz_article *art = by_title(d, "Not walked");
  CHECK_STR(day_of(art, day, sizeof day), "2020-12-10");
  gz_digest_free(d);

  unlink(a);
  unlink(b);
  unlink(c);
  rmdir(dir);
}

int main(void) {
  test_throwaway_reader();
  TEST_MAIN_END();
}
