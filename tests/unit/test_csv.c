/*
 * test_csv.c - the CSV and TSV readers through the library: header
 * names and --field columns, the delimiter told from the header line,
 * RFC 4180 quoting across lines and chunks, row positions, Instapaper's
 * and Pocket's exports, and bad input (extra cells, an unclosed quote, rows over the
 * size limit, a header naming nothing).
 */
#include <stdlib.h>
#include <string.h>

#include "model/core.h" /* the test looks inside the digest */
#include "read/read.h"
#include "read/reader.h"
#include "read_digest.h"

static gz_digest *read_str(const char *name, const char *data) {
  return read_digest(name, data, strlen(data), NULL);
}

static const gz_diag *find_diag(const gz_digest *d, const char *message) {
  for (size_t i = 0; i < gz_digest_diag_count(d); i++) {
    const gz_diag *dg = gz_digest_diag(d, i);
    if (strcmp(dg->message, message) == 0) return dg;
  }
  fprintf(stderr, "no diagnostic \"%s\"; there are:\n", message);
  for (size_t i = 0; i < gz_digest_diag_count(d); i++)
    fprintf(stderr, "  \"%s\"\n", gz_digest_diag(d, i)->message);
  return NULL;
}

/* The articles' titles joined by '|', for one check of a whole read. */
static const char *titles(const gz_digest *d) {
  static char out[4096];
  out[0] = 0;
  for (size_t i = 0; i < d->n_articles; i++) {
    if (i) strcat(out, "|");
    strncat(out, d->articles[i].title ? d->articles[i].title : "(null)",
            sizeof out - strlen(out) - 2);
  }
  return out;
}

static void test_header_names(void) {
  /* Header names as spreadsheets write them: any case; the body column
   * of lower rank wins, an empty cell gives way to the next. */
  gz_digest *d = read_str("a.csv",
                          "Title,URL,Date,Author,Tags,Description,Content\n"
                          "First,https://a.example/1,2020-12-07 10:30,Ann Lee,\"x, y;z\",teaser,"
                          "full text\n"
                          "Second,https://a.example/2,1607385600,,,only the teaser,\n");
  CHECK_INT(d->n_articles, 2);
  if (d->n_articles == 2) {
    const gz_article *a = &d->articles[0];
    CHECK_STR(a->title, "First");
    CHECK_STR(a->url, "https://a.example/1");
    CHECK_INT(a->line, 2);
    CHECK_INT(a->col, 1);
    CHECK(a->dated && a->when.has_time);
    CHECK_INT(a->when.utc, 1607337000); /* 2020-12-07T10:30:00Z */
    CHECK_INT(a->n_authors, 1);
    if (a->n_authors == 1) CHECK_STR(a->authors[0], "Ann Lee");
    CHECK_INT(a->n_tags, 3);
    if (a->n_tags == 3) {
      CHECK_STR(a->tags[0], "x");
      CHECK_STR(a->tags[1], "y");
      CHECK_STR(a->tags[2], "z");
    }
    CHECK_INT(a->words, 2); /* "full text", not the teaser */
    a = &d->articles[1];
    CHECK_INT(a->when.utc, 1607385600); /* digits are epoch seconds */
    CHECK_INT(a->n_authors, 0);
    CHECK_INT(a->words, 3);
  }
  CHECK_INT(gz_digest_counts(d).skipped, 0);
  gz_digest_free(d);
  /* Loose names: "Published At" is published_at, "Source-URL" source_url. */
  d = read_str("b.csv",
               "HEADLINE,Published At,Source-URL,TEXT\nT,2020-12-08,https://b.example/,b\n");
  CHECK_INT(d->n_articles, 1);
  if (d->n_articles == 1) {
    CHECK_STR(d->articles[0].title, "T");
    CHECK(d->articles[0].dated && !d->articles[0].when.has_time);
    CHECK_STR(d->articles[0].url, "https://b.example/");
  }
  gz_digest_free(d);
}

static void test_delimiters(void) {
  /* ';' outnumbers ',' outside quotes in the header line */
  gz_digest *d = read_str("s.csv", "\"Title, as written\";Title;Body\nx;\"A; B, C\";\"1,5 t\"\n");
  CHECK_STR(titles(d), "A; B, C");
  gz_digest_free(d);
  /* ',' wins a tie, and when the ';' are inside quotes */
  d = read_str("c.csv", "\"a;b;c\",Title,Body\nx,T;1,b\n");
  CHECK_STR(titles(d), "T;1");
  gz_digest_free(d);
  /* a .csv of tabs */
  d = read_str("t.csv", "Title\tBody\nTabbed, not commas\tb\n");
  CHECK_STR(titles(d), "Tabbed, not commas");
  gz_digest_free(d);
  /* TSV: tabs whatever the header holds; quoting as spreadsheets write it */
  d = read_str("t.tsv", "Title\tBody;x,y,z\nA, b; c\t\"two\tcells\"\n");
  CHECK_STR(titles(d), "A, b; c");
  gz_digest_free(d);
  /* UTF-16LE with a BOM and tabs, as spreadsheets save "Unicode text" */
  static const char u16[] =
      "\xFF\xFET\0i\0t\0l\0e\0\t\0B\0o\0d\0y\0\r\0\n\0"
      "\x16\x04\t\0b\0\r\0\n\0";
  d = read_digest("unicode.tsv", u16, sizeof u16 - 1, NULL);
  CHECK_STR(titles(d), "\xD0\x96");
  gz_digest_free(d);
  /* a header line longer than the first chunk (8 KB) is gathered whole */
  size_t pad = 20000;
  char *doc = malloc(pad + 64);
  strcpy(doc, "Title;Body;");
  memset(doc + strlen(doc), 'x', pad);
  strcpy(doc + 11 + pad, "\nA,1;b\n");
  d = read_str("long.csv", doc);
  CHECK_STR(titles(d), "A,1");
  gz_digest_free(d);
  free(doc);
}

static void test_quoting_and_positions(void) {
  /* BOM, CRLF, quoted newlines and doubled quotes; blank lines and a
   * blank spreadsheet row are no articles and no skips. */
  const char doc[] =
      "\xEF\xBB\xBFTitle;Body\r\n"
      "\"Say \"\"cheese\"\"\";\"one\r\n\r\ntwo\"\r\n"
      "\r\n"
      ";\r\n"
      "Third line;\"x\"\r\n"
      "5\" screen;stray quote\r\n";
  gz_digest *d = read_digest("q.csv", doc, sizeof doc - 1, NULL);
  CHECK_STR(titles(d), "Say \"cheese\"|Third line|5\" screen");
  if (d->n_articles == 3) {
    CHECK_INT(d->articles[0].line, 2);
    CHECK_INT(d->articles[0].words, 2);
    CHECK_INT(d->articles[1].line, 7);
    CHECK_INT(d->articles[2].line, 8);
  }
  gz_counts c = gz_digest_counts(d);
  CHECK_INT(c.read, 3);
  CHECK_INT(c.skipped, 0);
  gz_digest_free(d);
  /* rows across the reading chunks (8 KB, then 256 KB): every one read,
   * the last at its line */
  gz_buf b;
  gz_buf_init(&b, gz_default_allocator());
  gz_buf_puts(&b, "title,date,body\n");
  for (int i = 0; i < 3000; i++)
    gz_buf_printf(&b, "Row %d,2020-12-07,\"Line one of row %d,\nand line two.\"\n", i, i);
  d = read_digest("many.csv", b.data, b.len, NULL);
  CHECK_INT(d->n_articles, 3000);
  if (d->n_articles == 3000) {
    CHECK_STR(d->articles[2999].title, "Row 2999");
    CHECK_INT(d->articles[2999].line, 2 + 2 * 2999);
  }
  gz_digest_free(d);
  gz_buf_free(&b);
}

static void test_bad_rows(void) {
  /* more cells than the header: one warning per file, cells ignored */
  gz_digest *d = read_str("x.csv", "Title,Body\nA,a,extra\nB,b\nC,c,more,still\n");
  CHECK_STR(titles(d), "A|B|C");
  const gz_diag *dg = find_diag(d,
                                "this row has 3 cells but the header names 2 columns; cells beyond "
                                "them are ignored (in this row and any other)");
  CHECK(dg != NULL);
  if (dg) {
    CHECK_INT(dg->line, 2);
    CHECK_INT(dg->col, 1);
    CHECK_INT(dg->severity, GZ_SEV_WARNING);
  }
  size_t n = 0;
  for (size_t i = 0; i < gz_digest_diag_count(d); i++)
    n += strstr(gz_digest_diag(d, i)->message, "cells but the header") != NULL;
  CHECK_INT(n, 1);
  gz_digest_free(d);
  /* a quote never closed: the rows before are kept, the last skipped */
  d = read_str("u.csv", "Title,Body\nA,a\nB,\"never closed\nC,c\n");
  CHECK_STR(titles(d), "A");
  dg = find_diag(d,
                 "a quoted field of the row that starts here is never closed (truncated?); "
                 "the row is skipped");
  CHECK(dg != NULL);
  if (dg) CHECK_INT(dg->line, 3);
  CHECK_INT(gz_digest_counts(d).skipped, 1);
  gz_digest_free(d);
  /* in the header: an error, nothing read */
  d = read_str("h.csv", "Title,\"Body\n");
  CHECK_INT(d->n_articles, 0);
  CHECK(find_diag(d,
                  "a quoted field of the header row is never closed (truncated?); reading of "
                  "this file stops here (articles before are kept)") != NULL);
  gz_digest_free(d);
  /* a header that names no text column */
  d = read_str("n.csv", "id,score\n1,2\n");
  CHECK_INT(d->n_articles, 0);
  dg = find_diag(d,
                 "the header row names no title, body or summary column (columns are found by "
                 "their names, or given with --field NAME=COLUMN); reading of this file stops "
                 "here (articles before are kept)");
  CHECK(dg != NULL);
  if (dg) CHECK_INT(dg->severity, GZ_SEV_ERROR);
  CHECK_INT(gz_digest_counts(d).errors, 1);
  gz_digest_free(d);
}

/* Counts the largest block asked of the allocator. */
static size_t largest;
static void *big_malloc(void *ctx, size_t n) {
  (void)ctx;
  if (n > largest) largest = n;
  return malloc(n);
}
static void *big_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  if (n > largest) largest = n;
  return realloc(p, n);
}
static void big_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

static void test_size_limit(void) {
  /* A row over --max-article-size is skipped with the message of every
   * reader, and the rows after it are read; a 4 MB field, quoted or not,
   * never makes a block much larger than the limit. */
  static const gz_allocator counting = {big_malloc, big_realloc, big_free, NULL};
  for (int quoted = 0; quoted < 2; quoted++) {
    gz_buf b;
    gz_buf_init(&b, gz_default_allocator());
    gz_buf_puts(&b, "Title,Body\nBefore,b\nHuge,");
    if (quoted) gz_buf_putc(&b, '"');
    for (int i = 0; i < 4 * 1024 * 1024 / 8; i++)
      gz_buf_puts(&b, quoted ? "a\"\"b,\nc " : "abc def ");
    if (quoted) gz_buf_puts(&b, "\"  ");
    gz_buf_puts(&b, "\nAfter,a\n");
    gz_options o;
    gz_options_init(&o);
    o.max_article_size = 100000;
    o.alloc = &counting;
    largest = 0;
    gz_digest *d = read_digest("big.csv", b.data, b.len, &o);
    CHECK_STR(titles(d), "Before|After");
    const gz_diag *dg =
        find_diag(d, "article larger than the limit of 100000 bytes (--max-article-size); skipped");
    CHECK(dg != NULL);
    if (dg) CHECK_INT(dg->line, 3);
    if (d->n_articles == 2) CHECK_INT(d->articles[1].line, quoted ? 4 + 4 * 1024 * 1024 / 8 : 4);
    CHECK(largest < 1024 * 1024);
    gz_digest_free(d);
    gz_buf_free(&b);
  }
}

/* A reader made of the CSV row, that keeps what its input was read as
 * and whether each --field mapping matched, before they go. */
#define CSV_ROW (gz_builtin_readers.rows[GZ_INPUT_CSV - 1])
static const char *seen_shape;
static bool seen_hits[4];
static gz_input *last_in;
static void *wrap_new(gz_input *in, const char *path) {
  seen_shape = NULL;
  last_in = in;
  return CSV_ROW->new_reader(in, path);
}
static int wrap_finish(void *r) {
  int rc = CSV_ROW->finish(r);
  seen_shape = last_in->shape;
  gz_read_state *rs = gz_digest_read_state(last_in->d);
  for (size_t i = 0; i < 4 && i < gz_digest_setup(last_in->d)->n_maps; i++)
    seen_hits[i] = rs->map_hits[i];
  return rc;
}
static int wrap_feed(void *r, const char *s, size_t n) { return CSV_ROW->feed(r, s, n); }
static void wrap_free(void *r) { CSV_ROW->free_reader(r); }
static const char *const wrap_ext[] = {".csv", NULL};
static const gz_reader_class wrap_class = {"csv",    "CSV",     wrap_ext,    NULL,
                                           wrap_new, wrap_feed, wrap_finish, wrap_free};

static gz_digest *read_wrapped(const char *name, const char *doc, gz_options *o) {
  static const gz_reader_class *const rows[] = {&wrap_class};
  const gz_reader_table t = {rows, 1, &wrap_class};
  gz_error err;
  gz_digest *d = gz_digest_new(o, &err);
  CHECK(d != NULL);
  if (!d) return NULL;
  CHECK_INT(gz_read_add_memory(d, &t, name, doc, strlen(doc), &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  return d;
}

static void test_field_maps(void) {
  gz_options o;
  gz_options_init(&o);
  const char *maps[] = {"title=Story Title", "body=story text", "tags=Nothing", "date=Released"};
  o.field_maps = maps;
  o.n_field_maps = 4;
  memset(seen_hits, 0, sizeof seen_hits);
  gz_digest *d = read_wrapped("m.csv",
                              "Title,Story Title,STORY TEXT,Released,Date\n"
                              "alias title,mapped title,mapped body,2020-12-09,2020-01-01\n"
                              "alias only,,body two,,2020-01-02\n",
                              &o);
  /* a mapped column wins over the aliases; when its cell is empty the
   * aliases give the value */
  CHECK_STR(titles(d), "mapped title|alias only");
  if (d->n_articles == 2) {
    CHECK_INT(d->articles[0].when.day, gz_days_from_civil(2020, 12, 9));
    CHECK_INT(d->articles[1].when.day, gz_days_from_civil(2020, 1, 2));
  }
  CHECK_STR(seen_shape, "csv");
  CHECK(seen_hits[0] && seen_hits[1] && !seen_hits[2] && seen_hits[3]);
  gz_digest_free(d);
}

static void test_instapaper(void) {
  /* docs/producers.md section 10: Selection is the text, a user Folder a
   * tag, Timestamp the save date (never the publication date). */
  gz_options o;
  gz_options_init(&o);
  gz_digest *d =
      read_wrapped("instapaper-export.csv",
                   "URL,Title,Selection,Folder,Timestamp\n"
                   "https://i.example/1,Saved one,,Unread,1763741400\n"
                   "https://i.example/2,Saved two,A selected sentence.,Long reads,1764100800\n"
                   "https://i.example/3,Saved three,,Starred,1764379500\n",
                   &o);
  CHECK_STR(seen_shape, "instapaper");
  CHECK_STR(titles(d), "Saved one|Saved two|Saved three");
  if (d->n_articles == 3) {
    const gz_article *a = &d->articles[1];
    CHECK(!a->dated);
    CHECK(a->has_captured);
    CHECK_INT(a->captured, 1764100800);
    CHECK(a->captured_time);
    CHECK_INT(a->n_tags, 1);
    if (a->n_tags == 1) CHECK_STR(a->tags[0], "Long reads");
    CHECK_INT(a->words, 3);
    CHECK_INT(d->articles[0].n_tags, 0);
    CHECK_INT(d->articles[2].n_tags, 0);
    CHECK_INT(d->articles[0].words, 0);
  }
  gz_digest_free(d);
  /* Pocket's export (section 9): time_added is the save date, tags are
   * joined with '|', status is a reading state */
  d = read_wrapped(
      "part_000000.csv",
      "title,url,time_added,tags,status\n"
      "Old ferry pier to close,https://p.example/pier,1709712000,harbour|ferries,unread\n",
      &o);
  CHECK_STR(seen_shape, "pocket");
  CHECK_INT(d->n_articles, 1);
  if (d->n_articles == 1) {
    const gz_article *a = &d->articles[0];
    CHECK(!a->dated);
    CHECK(a->has_captured);
    CHECK_INT(a->captured, 1709712000);
    CHECK(a->captured_time);
    CHECK_INT(a->n_tags, 2);
    if (a->n_tags == 2) {
      CHECK_STR(a->tags[0], "harbour");
      CHECK_STR(a->tags[1], "ferries");
    }
  }
  gz_digest_free(d);
  /* the same columns without Selection: a CSV like any other */
  d = read_wrapped("links.csv", "URL,Title,Folder,Timestamp\nhttps://i.example/4,Four,Unread,1\n",
                   &o);
  CHECK_STR(seen_shape, "csv");
  if (d->n_articles == 1) CHECK(d->articles[0].dated); /* timestamp: a date alias */
  gz_digest_free(d);
}

int main(void) {
  test_header_names();
  test_delimiters();
  test_quoting_and_positions();
  test_bad_rows();
  test_size_limit();
  test_field_maps();
  test_instapaper();
  TEST_MAIN_END();
}
