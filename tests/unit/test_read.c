/*
 * test_read.c - the readers through the library: JSON shapes and field
 * aliases, error positions, JSON Lines recovery, the text reader's rules
 * and the byte clean-up (BOM, UTF-16, NUL, invalid UTF-8, CRLF).
 */
#include <stdlib.h>
#include <string.h>

#include "model/core.h" /* the test looks inside the digest */
#include "read/fields.h"
#include "read/read.h"
#include "read/reader.h"
#include "read_digest.h"

static gz_digest *read_str(const char *name, const char *data) {
  return read_digest(name, data, strlen(data), NULL);
}

/* The diagnostic whose message is exactly `message`; on a miss, every
 * message there is goes to standard error, so a changed wording shows. */
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

static void test_shapes(void) {
  const char *docs[] = {
      "[{\"title\":\"A\",\"body\":\"x\"},{\"title\":\"B\",\"body\":\"y\"}]",
      "{\"items\":[{\"title\":\"A\"},{\"title\":\"B\"}],\"title\":\"feed\"}",
      "{\"version\":1,\"articles\":[{\"headline\":\"A\"},{\"name\":\"B\"}]}",
      "{\"entries\":[{\"title\":\"A\"},{\"title\":\"B\"}]}",
      "{\"posts\":[{\"title\":\"A\"},{\"title\":\"B\"}]}",
      "{\"data\":[{\"title\":\"A\"},{\"title\":\"B\"}]}",
      "{\"results\":[{\"title\":\"A\"},{\"title\":\"B\"}]}",
      "{\"title\":\"A\"}\n{\"title\":\"B\"}\n",
      "\n\n{\"title\":\"A\"}\n\n\n{\"title\":\"B\"}",
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(docs); i++) {
    gz_digest *d = read_str("x.json", docs[i]);
    gz_counts c = gz_digest_counts(d);
    CHECK_INT(c.read, 2);
    CHECK_INT(c.written, 2);
    if (d->n_articles == 2) {
      CHECK_STR(d->articles[0].title, "A");
      CHECK_STR(d->articles[1].title, "B");
    }
    gz_digest_free(d);
  }
  gz_digest *d = read_str("one.json", "{\n  \"title\": \"Only\",\n  \"body\": \"text\"\n}\n");
  CHECK_INT(gz_digest_counts(d).written, 1);
  CHECK_INT(d->articles[0].line, 1);
  gz_digest_free(d);
}

static void test_aliases_and_precedence(void) {
  /* body comes before content in the object, but content wins */
  gz_digest *d = read_str(
      "a.json",
      "[{\"body\":\"low\",\"content\":\"<p>high <b>x</b></p>\",\"name\":\"n\",\"title\":\"t\","
      "\"date\":\"2020-12-01\",\"date_published\":\"2020-12-07T12:16:00+03:00\","
      "\"link\":{\"href\":\"https://b.example/\"},\"url\":\"https://a.example/\","
      "\"authors\":[{\"name\":\"Ann\"},\"Bob\",{\"name\":\"Ann\"}],\"byline\":\"ignored\","
      "\"keywords\":\"k1, k2\",\"tags\":[{\"label\":\"L\"},{\"name\":\"N\"},7,\"S\"]}]");
  CHECK_INT(d->n_articles, 1);
  gz_article *a = &d->articles[0];
  CHECK_STR(a->title, "t");
  CHECK_STR(a->url, "https://a.example/");
  CHECK_INT(a->n_authors, 2);
  if (a->n_authors == 2) {
    CHECK_STR(a->authors[0], "Ann");
    CHECK_STR(a->authors[1], "Bob");
  }
  CHECK_INT(a->n_tags, 3);
  if (a->n_tags == 3) CHECK_STR(a->tags[2], "S");
  CHECK_INT(a->when.utc, 1607332560); /* 2020-12-07T09:16:00Z */
  CHECK_INT(a->words, 2);
  gz_digest_free(d);

  d = read_str("w.json",
               "[{\"title\":{\"rendered\":\"Caf&eacute; <em>news</em> &amp; more\"},"
               "\"content\":{\"rendered\":\"<p>one two</p>\",\"protected\":false},"
               "\"date\":\"2020-12-07T15:16:00\",\"date_gmt\":\"2020-12-07T12:16:00\"}]");
  CHECK_STR(d->articles[0].title, "Café news & more");
  CHECK_INT(d->articles[0].when.utc, 1607343360);
  CHECK_INT(d->articles[0].words, 2);
  gz_digest_free(d);

  d = read_str("lit.json", "[{\"title\":\"<b>Bold</b> & co\",\"body\":\"plain\"}]");
  CHECK_STR(d->articles[0].title, "<b>Bold</b> & co");
  gz_digest_free(d);

  /* epoch numbers, a body array of paragraphs, a MongoDB-style date */
  d = read_str("e.json",
               "[{\"title\":\"s\",\"timestamp\":1607343360,\"body\":[\"p one\",\"p two\"]},"
               "{\"title\":\"ms\",\"time\":\"1607343360000\"},"
               "{\"title\":\"m\",\"date\":{\"$date\":\"2020-12-07T12:16:00Z\"}}]");
  CHECK_INT(d->n_articles, 3);
  for (size_t i = 0; i < d->n_articles; i++) CHECK_INT(d->articles[i].when.utc, 1607343360);
  CHECK_INT(d->articles[0].n_blocks, 2);
  gz_digest_free(d);
}

static void test_wrong_types(void) {
  gz_digest *d = read_str("t.json",
                          "[{\"title\":42,\"body\":\"b\"},{\"title\":\"x\",\"date\":{\"a\":1}},"
                          "{\"title\":\"y\",\"date\":[1]},{\"title\":null,\"body\":null},\"str\",7,"
                          "[1],{\"title\":\"dup\",\"title\":\"second\"}]");
  gz_counts c = gz_digest_counts(d);
  CHECK_INT(c.read, 8);
  CHECK_INT(c.skipped, 4);
  CHECK_INT(c.written, 4);
  CHECK_STR(d->articles[0].title, "42");
  CHECK(find_diag(d, "the date of \"x\" is an object, not a date; it goes to Undated") != NULL);
  CHECK(find_diag(d, "the date of \"y\" is an array, not a date; it goes to Undated") != NULL);
  const gz_diag *dg = find_diag(d, "item has neither title nor body; skipped");
  CHECK(dg && dg->line == 1 && dg->col == 80);
  dg = find_diag(d, "item is a string, not an article object; skipped");
  CHECK(dg && dg->line == 1 && dg->col == 107);
  CHECK_STR(d->articles[3].title, "dup");
  gz_digest_free(d);
}

static void test_errors(void) {
  const char *midway =
      "[\n {\"title\":\"one\"},\n {\"title\":\"two\"},\n {\"title\" \"three\"},\n"
      " {\"title\":\"four\"}\n]\n";
  gz_digest *d = read_str("m.json", midway);
  gz_counts c = gz_digest_counts(d);
  CHECK_INT(c.written, 2);
  CHECK_INT(c.errors, 1);
  const gz_diag *dg =
      find_diag(d,
                "malformed JSON: expected ':' after an object key; reading of this file "
                "stops here (articles before are kept)");
  CHECK(dg != NULL);
  if (dg) {
    CHECK_INT(dg->line, 4);
    CHECK_INT(dg->col, 11);
    CHECK_INT(dg->severity, GZ_SEV_ERROR);
    CHECK_STR(dg->message,
              "malformed JSON: expected ':' after an object key; reading of this file stops here "
              "(articles before are kept)");
  }
  gz_digest_free(d);

  d = read_str("l.jsonl", "{\"title\":\"one\"}\n{\"title\":\"two\",}\n{\"title\":\"three\"}\n");
  c = gz_digest_counts(d);
  CHECK_INT(c.read, 3);
  CHECK_INT(c.written, 2);
  CHECK_INT(c.skipped, 1);
  dg = find_diag(d, "malformed JSON: expected a string as object key; the line is skipped");
  CHECK(dg && dg->line == 2 && dg->col == 16);
  gz_digest_free(d);

  d = read_str("t.json", "[{\"title\":\"one\"},{\"title\":\"tw");
  dg = find_diag(d,
                 "the JSON ends too early (truncated?): expected more data; reading of this "
                 "file stops here (articles before are kept)");
  CHECK(dg && dg->line == 1 && dg->col == 30);
  CHECK_INT(gz_digest_counts(d).written, 1);
  gz_digest_free(d);

  /* nesting deeper than the limit: an error at its position */
  size_t depth = 10000;
  char *deep = malloc(depth * 2 + 64);
  strcpy(deep, "[{\"title\":\"kept\"},");
  size_t n = strlen(deep);
  for (size_t i = 0; i < depth; i++) deep[n++] = '[';
  for (size_t i = 0; i < depth; i++) deep[n++] = ']';
  strcpy(deep + n, "]");
  d = read_str("deep.json", deep);
  dg = find_diag(d,
                 "JSON nested deeper than 512 levels (--max-json-depth); reading of this file "
                 "stops here (articles before are kept)");
  CHECK(dg && dg->line == 1 && dg->col == 19 + 511);
  CHECK_INT(gz_digest_counts(d).written, 1);
  gz_digest_free(d);
  free(deep);
}

static void test_text_reader(void) {
  const char *page =
      "Harbour Reopens After Storm Repairs\n"
      "\n"
      "The old harbour reopened on Monday after six weeks of repairs.\n"
      "Fishing boats returned before dawn.\n"
      "07.12.2020 12:16\n"
      "Latest newsCouncil Approves Budget\n"
      "11.Jan.2026\n"
      "Popular demand brings back the market\n"
      "10.Jan.2026\n"
      "\n"
      "14 Jan 2026\n";
  gz_digest *d = read_str("page.txt", page);
  CHECK_INT(d->n_articles, 1);
  gz_article *a = &d->articles[0];
  CHECK_STR(a->title, "Harbour Reopens After Storm Repairs");
  CHECK_INT(a->when.utc, 1607343360);
  CHECK(a->when.has_time);
  CHECK(a->has_captured);
  CHECK_INT(a->captured, 20467LL * 86400); /* 2026-01-14, midnight UTC */
  CHECK(!a->captured_time);
  CHECK_INT(a->words, 16);
  gz_digest_free(d);

  /* a sidebar glued to a Georgian headline (a script without case), with
   * a headline longer than 200 bytes */
  d = read_str("ka.txt",
               "სათაური\n\nპირველი აბზაცი ტექსტით.\n07.12.2020 12:16\n"
               "Latest newsმთის გზებზე პირველი თოვლი მოვიდა და ქალაქის ქუჩებში "
               "მოძრაობა შეფერხდა დილით ადრე\n11.Jan.2026\n\n14 Jan 2026\n");
  CHECK_INT(d->articles[0].words, 3);
  CHECK(d->articles[0].has_captured);
  gz_digest_free(d);
  d = read_str("pop.txt", "T\n\nPopularity of the market grew.\nMore newsletters came.\n");
  CHECK_INT(d->articles[0].words, 8); /* "Popularity", "More newsletters": body */
  gz_digest_free(d);

  /* "Popular ..." starting a body line is body; headers; wrapped text */
  d = read_str("h.txt",
               "Title Here\n"
               "Date: 2020-12-09 08:00\n"
               "Author: Ann Lee; By Bob Roe\n"
               "Tags: a, b, , c\n"
               "URL: https://example.com/x\n"
               "\n"
               "Popular demand brought the market back to the square this year,\n"
               "and the stalls stayed open late.\n"
               "\n"
               "A second paragraph, also wrapped at\n"
               "a narrow width.\n");
  a = &d->articles[0];
  CHECK_INT(a->n_authors, 2);
  if (a->n_authors == 2) CHECK_STR(a->authors[1], "Bob Roe");
  CHECK_INT(a->n_tags, 3);
  CHECK_STR(a->url, "https://example.com/x");
  CHECK_INT(a->n_blocks, 2);
  CHECK_INT(a->words, 26);
  CHECK_INT(a->when.utc, 1607500800);
  gz_digest_free(d);

  /* separators, dates from the file name, undated */
  d = read_str("2020-12-11-x.txt", "One\n\nbody one\n\f\nTwo\n\nbody two\n=====\nThree\nbody\n");
  CHECK_INT(d->n_articles, 3);
  for (size_t i = 0; i < d->n_articles; i++) {
    CHECK(d->articles[i].dated);
    CHECK_INT(d->articles[i].when.day, 18607); /* 2020-12-11 */
    CHECK(!d->articles[i].when.has_time);
  }
  gz_digest_free(d);
  d = read_str("notes.txt", "Lonely\n\nno date anywhere\n");
  CHECK(!d->articles[0].dated);
  CHECK(find_diag(d, "\"Lonely\" has no date; it goes to Undated") != NULL);
  gz_digest_free(d);
}

static void test_repeated_lines(void) {
  gz_options o;
  gz_options_init(&o);
  const char *dump =
      "A one\n\nbody of a\nFooter line here.\n=====\n"
      "B two\n\nbody of b\nFooter line here.\n=====\n"
      "C three\n\nbody of c\nFooter line here.\n=====\n"
      "C three\n\nbody of c again\nShared twice.\n=====\n"
      "D four\n\nbody of d\nShared twice.\n";
  gz_digest *d = read_digest("dump.txt", dump, strlen(dump), &o);
  CHECK_INT(d->n_articles, 5);
  CHECK_INT(d->articles[0].words, 3); /* the footer is chrome */
  CHECK_INT(d->articles[3].words, 6); /* in two articles only: body */
  gz_arena arena;
  gz_arena_init(&arena, NULL);
  gz_body body;
  gz_error err;
  CHECK_INT(gz_body_load(gz_digest_view(d), &d->articles[1], &arena, &body, &err), 0);
  CHECK_INT(body.n, 1);
  gz_arena_clear(&arena);
  gz_digest_free(d);
  o.keep_chrome = 1;
  d = read_digest("dump.txt", dump, strlen(dump), &o);
  CHECK_INT(d->articles[0].words, 6);
  gz_digest_free(d);
}

static void test_bytes(void) {
  /* UTF-8 BOM, CRLF */
  gz_digest *d = read_str("b.txt", "\xEF\xBB\xBFTitle\r\n\r\nLine one\r\nLine two\r\n");
  CHECK_STR(d->articles[0].title, "Title");
  CHECK_INT(d->articles[0].n_blocks, 2);
  gz_digest_free(d);
  /* UTF-16LE with a BOM */
  const char u16[] =
      "\xFF\xFE"
      "T\0i\0t\0l\0e\0\n\0\n\0b\0o\0d\0y\0";
  d = read_digest("u.txt", u16, sizeof u16 - 1, NULL);
  CHECK_INT(d->n_articles, 1);
  if (d->n_articles) CHECK_STR(d->articles[0].title, "Title");
  gz_digest_free(d);
  /* UTF-16LE whose first fault is a high surrogate left alone (bytes 8-9,
   * before 'l'), then a lone low surrogate (bytes 16-17): the warning
   * names the first */
  const char u16bad[] =
      "\xFF\xFE"
      "T\0i\0t\0\x00\xD8l\0e\0\n\0\x00\xDC\n\0b\0o\0d\0y\0";
  d = read_digest("s.txt", u16bad, sizeof u16bad - 1, NULL);
  CHECK(find_diag(d, "invalid UTF-8 replaced by U+FFFD in 2 places (the first at byte offset 8)") !=
        NULL);
  gz_digest_free(d);
  /* ... and a high surrogate at the very end is found where it stands */
  const char u16end[] =
      "\xFF\xFE"
      "T\0i\0t\0l\0e\0\n\0\n\0b\0\x00\xD8";
  d = read_digest("e.txt", u16end, sizeof u16end - 1, NULL);
  CHECK(find_diag(d, "invalid UTF-8 replaced by U+FFFD in 1 place (the first at byte offset 18)") !=
        NULL);
  gz_digest_free(d);
  /* UTF-16 without a BOM: refused with a hint */
  const char u16n[] = "T\0i\0t\0l\0e\0\n\0\n\0b\0o\0d\0y\0";
  d = read_digest("n.txt", u16n, sizeof u16n - 1, NULL);
  CHECK_INT(gz_digest_counts(d).inputs_skipped, 1);
  CHECK(find_diag(d,
                  "looks like UTF-16 without a byte order mark; convert it to UTF-8 (e.g. iconv -f "
                  "UTF-16LE -t UTF-8); skipped") != NULL);
  gz_digest_free(d);
  /* a few NULs and invalid bytes in a long text: dropped and repaired */
  char buf[4096];
  memset(buf, 'a', sizeof buf);
  memcpy(buf, "Title\n\n", 7);
  for (size_t i = 100; i < sizeof buf; i += 61) buf[i] = ' ';
  buf[500] = '\0';
  buf[900] = (char)0xFF;
  d = read_digest("z.txt", buf, sizeof buf, NULL);
  const gz_diag *dg = find_diag(d, "1 NUL byte dropped (the first at byte offset 500)");
  CHECK(dg != NULL);
  dg = find_diag(d, "invalid UTF-8 replaced by U+FFFD in 1 place (the first at byte offset 900)");
  CHECK(dg != NULL);
  CHECK_INT(gz_digest_counts(d).written, 1);
  gz_digest_free(d);
  /* binary */
  unsigned char bin[2048];
  for (size_t i = 0; i < sizeof bin; i++) bin[i] = (unsigned char)(i * 37 + 11);
  d = read_digest("bin.json", (const char *)bin, sizeof bin, NULL);
  CHECK(find_diag(d, "not a text file (binary data); skipped") != NULL);
  gz_digest_free(d);
  d = read_digest("empty.json", "", 0, NULL);
  CHECK(find_diag(d, "empty file; nothing to read") != NULL);
  CHECK_INT(gz_digest_counts(d).inputs_skipped, 1);
  gz_digest_free(d);
}

static void test_limits(void) {
  gz_options o;
  gz_options_init(&o);
  o.max_article_size = 1000;
  char big[3000];
  memset(big, 'x', sizeof big);
  memcpy(big, "[{\"title\":\"big\",\"body\":\"", 24);
  memcpy(big + sizeof big - 4, "\"}]\n", 4);
  gz_digest *d = read_digest("big.json", big, sizeof big, &o);
  gz_counts c = gz_digest_counts(d);
  CHECK_INT(c.read, 1);
  CHECK_INT(c.skipped, 1);
  CHECK(find_diag(d, "article larger than the limit of 1000 bytes (--max-article-size); skipped") !=
        NULL);
  gz_digest_free(d);
  o.max_article_size = GZ_DEFAULT_MAX_ARTICLE_SIZE;
  o.max_articles = 2;
  d = read_str("x.jsonl", "");
  gz_digest_free(d);
  d = read_digest("n.jsonl", "{\"title\":\"1\"}\n{\"title\":\"2\"}\n{\"title\":\"3\"}\n", 42, &o);
  c = gz_digest_counts(d);
  CHECK_INT(c.written, 2);
  CHECK_INT(c.skipped, 1);
  gz_digest_free(d);
}

/* Author and tag lists: distinct items by hash, at most GZ_MAX_AUTHORS and
 * GZ_MAX_TAGS kept, the rest counted in one warning per list. 60,000
 * distinct tags took seconds when each was compared with every other. */
static void test_list_caps(void) {
  gz_buf j;
  gz_buf_init(&j, NULL);
  gz_buf_puts(&j, "[{\"title\":\"Many\",\"body\":\"x\",\"tags\":[");
  for (int i = 0; i < 60000; i++) gz_buf_printf(&j, "%s\"t%d\"", i ? "," : "", i);
  /* copies of a kept tag and of a left-out one count once */
  gz_buf_puts(&j, ",\"t1\",\"t59999\",\" t2 \"],\"author\":\"");
  for (int i = 0; i < 150; i++) gz_buf_printf(&j, "%sBy A%d", i ? "; " : "", i % 120);
  gz_buf_puts(&j, "\"}]");
  gz_digest *d = read_digest("tags.json", j.data, j.len, NULL);
  CHECK_INT(d->n_articles, 1);
  if (d->n_articles == 1) {
    const gz_article *a = &d->articles[0];
    CHECK_INT(a->n_tags, 500);
    CHECK_STR(a->tags[0], "t0");
    CHECK_STR(a->tags[499], "t499");
    CHECK_INT(a->n_authors, 100);
    CHECK_STR(a->authors[0], "A0");
    CHECK_STR(a->authors[99], "A99");
  }
  CHECK_INT(gz_digest_diag_count(d), 3); /* and "no date" */
  const gz_diag *dg =
      find_diag(d, "\"Many\" has 60000 tags; the first 500 are kept and 59500 left out");
  CHECK(dg != NULL);
  if (dg) {
    CHECK_INT(dg->line, 1);
    CHECK_INT(dg->severity, GZ_SEV_WARNING);
  }
  CHECK(find_diag(d, "\"Many\" has 120 authors; the first 100 are kept and 20 left out") != NULL);
  gz_digest_free(d);
  gz_buf_free(&j);
  /* a list within the limits keeps every distinct item, in order */
  d = read_str("few.json",
               "[{\"title\":\"F\",\"tags\":\"b, a, b,  a ,c\",\"author\":\"X; by Y; X\"}]");
  CHECK_INT(d->articles[0].n_tags, 3);
  CHECK_STR(d->articles[0].tags[2], "c");
  CHECK_INT(d->articles[0].n_authors, 2);
  CHECK_STR(d->articles[0].authors[1], "Y");
  CHECK_INT(gz_digest_diag_count(d), 1); /* no date */
  gz_digest_free(d);
}

/* A diagnostic handed out stays where it is while thousands more are
 * added (the header promises it until the digest is freed). */
static void test_diag_stable(void) {
  gz_error err;
  gz_digest *d = gz_digest_new(NULL, &err);
  CHECK(d != NULL);
  if (!d) return;
  const char *one = "[{\"title\":\"Lone\",\"body\":\"x\"}]";
  CHECK_INT(gz_digest_add_memory(d, "one.json", one, strlen(one), &err), 0);
  CHECK_INT(gz_digest_diag_count(d), 1);
  const gz_diag *first = gz_digest_diag(d, 0);
  gz_buf bad;
  gz_buf_init(&bad, NULL);
  for (int i = 0; i < 5000; i++) gz_buf_puts(&bad, "{\"title\":\"\"}\n");
  CHECK_INT(gz_digest_add_memory(d, "bad.jsonl", bad.data, bad.len, &err), 0);
  CHECK_INT(gz_digest_diag_count(d), 5001);
  CHECK(first == gz_digest_diag(d, 0));
  CHECK_INT(first->severity, GZ_SEV_WARNING);
  CHECK_STR(first->file, "one.json");
  CHECK_INT(first->line, 1);
  CHECK_STR(first->message, "\"Lone\" has no date; it goes to Undated");
  CHECK_STR(gz_digest_diag(d, 5000)->message, "item has neither title nor body; skipped");
  CHECK_INT(gz_digest_diag(d, 5000)->line, 5000);
  gz_buf_free(&bad);
  gz_digest_free(d);
}

/* The cancel flag is an atomic object: raised from any thread or a signal
 * handler, read by the reader threads. */
static void test_cancel_flag(void) {
  CHECK_INT(gz_cancel_raised(NULL), 0);
  gz_cancel_raise(NULL);
  gz_cancel *c = gz_cancel_new();
  CHECK(c != NULL);
  if (!c) return;
  CHECK_INT(gz_cancel_raised(c), 0);
  gz_options o;
  gz_options_init(&o);
  o.cancel = c;
  o.jobs = 2;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  const char *doc = "[{\"title\":\"A\"},{\"title\":\"B\"}]";
  CHECK_INT(gz_digest_add_memory(d, "a.json", doc, strlen(doc), &err), 0);
  CHECK_INT(gz_digest_counts(d).read, 2);
  gz_cancel_raise(c);
  CHECK_INT(gz_cancel_raised(c), 1);
  CHECK_INT(gz_digest_add_memory(d, "b.json", doc, strlen(doc), &err), -1);
  CHECK_INT(err.code, GZ_ERR_CANCELED);
  CHECK_STR(err.message, "interrupted");
  CHECK_INT(gz_digest_counts(d).read, 2);
  gz_digest_free(d);
  gz_cancel_free(c);
}

static const char *lang_of(const char *text) {
  static char out[GZ_LANG_MAX];
  gz_lang_detect(text, strlen(text), out);
  return out;
}

/* The language: the source's tag first, then CLD2, then a script
 * that means one language; Ukrainian is not Russian, Persian not Arabic. */
static void test_languages(void) {
  CHECK_STR(lang_of("Київ готується до зими. Міська рада затвердила план ремонту теплових "
                    "мереж у трьох районах міста. За словами заступника голови, роботи мають "
                    "завершитися до початку опалювального сезону."),
            "uk");
  CHECK_STR(lang_of("Москва готовится к зиме. Городской совет утвердил план ремонта тепловых "
                    "сетей в трёх районах города. По словам заместителя главы, работы должны "
                    "завершиться до начала отопительного сезона."),
            "ru");
  CHECK_STR(
      lang_of("شورای شهر طرح تعمیر شبکه‌های گرمایشی را در سه "
              "منطقه "
              "از "
              "شهر "
              "تصویب "
              "کرد. "
              "به "
              "گفته معاون شهردار، کارها باید پیش از آغاز فصل سرما به پایان برسد."),
      "fa");
  CHECK_STR(lang_of("وافق مجلس المدينة على خطة لإصلاح شبكات التدفئة في ثلاث مناطق من المدينة. "
                    "وقال نائب المحافظ إن الأعمال يجب أن تنتهي قبل بداية موسم البرد."),
            "ar");
  CHECK_STR(lang_of("The council approved a plan to repair the heating network in three "
                    "districts before the cold season starts."),
            "en");
  /* short words: CLD2 knows a script of one language; "Да" (Russian,
   * Bulgarian, Serbian, …) and "Hello" are too short to tell */
  CHECK_STR(lang_of("Καλό"), "el");
  CHECK_STR(lang_of("Բարև"), "hy");
  CHECK_STR(lang_of("ขอบคุณ"), "th");
  CHECK_STR(lang_of("Да"), "");
  CHECK_STR(lang_of("Hello"), "");
  /* CLD2's old code for Hebrew is given as he */
  CHECK_STR(lang_of("מועצת העיר אישרה תוכנית לתיקון רשת החימום בשלושה אזורים"), "he");
  /* a text CLD2 is unsure of but whose script means one language */
  CHECK_STR(lang_of("Բ"), "hy");

  char tag[GZ_LANG_MAX];
  CHECK(gz_lang_normalize("pt_br", 5, tag));
  CHECK_STR(tag, "pt-BR");
  CHECK(gz_lang_normalize(" uk-UA.UTF-8 ", 13, tag));
  CHECK_STR(tag, "uk-UA");
  CHECK(gz_lang_normalize("ZH-hant-tw", 10, tag));
  CHECK_STR(tag, "zh-Hant-TW");
  CHECK(!gz_lang_normalize("english", 7, tag));
  CHECK(!gz_lang_normalize("und", 3, tag));
  CHECK(!gz_lang_normalize("en-", 3, tag));

  gz_digest *d = read_str(
      "l.json",
      "[{\"title\":\"Lisboa\",\"language\":\"pt-BR\",\"body\":\"Москва готовится к зиме\"},"
      "{\"title\":\"T\",\"inLanguage\":{\"name\":\"x\"},\"locale\":\"de_AT\"},"
      "{\"title\":\"H\",\"body\":\"<body><article lang=fa-IR><p>Hi</p></article></body>\"},"
      "{\"title\":\"N\",\"lang\":7,\"body\":\"<p lang=uk>x</p><p lang=ru>y</p>\"}]");
  CHECK_INT(d->n_articles, 4);
  if (d->n_articles == 4) {
    CHECK_STR(d->articles[0].lang, "pt-BR");
    CHECK_STR(d->articles[1].lang, "de-AT");
    CHECK_STR(d->articles[2].lang, "fa-IR");
    CHECK_STR(d->articles[3].lang, "uk");
  }
  gz_digest_free(d);
}

/* A link whose host libidn2 rejects keeps its text and loses its link;
 * an IDNA host keeps its link. */
static void test_link_hosts(void) {
  char html[512] = "<p>see <a href=\"https://";
  for (int i = 0; i < 70; i++) strcat(html, "\xC3\xBC");
  strcat(html,
         ".example/\">this</a> and <a href=\"https://B\xC3\xBC"
         "cher.example/\">that</a></p>");
  gz_arena arena;
  gz_arena_init(&arena, NULL);
  gz_body_builder b;
  gz_body_init(&b, NULL, &arena);
  gz_html *h = gz_html_new(NULL);
  bool deep = false;
  CHECK_INT(gz_html_to_body(h, html, strlen(html), &b, 64, &deep), 0);
  CHECK_INT(b.n_blocks, 1);
  if (b.n_blocks == 1) {
    const gz_block *blk = &b.blocks[0];
    CHECK_INT(blk->len, 17);
    CHECK(memcmp(blk->text, "see this and that", 17) == 0);
    int links = 0;
    for (uint32_t i = 0; i < blk->n_runs; i++) {
      const gz_run *r = &blk->runs[i];
      if (!r->href) continue;
      links++;
      CHECK_INT(r->len, 4);
      CHECK(memcmp(r->text, "that", 4) == 0);
      CHECK_INT(r->href_len, 24);
    }
    CHECK_INT(links, 1);
  }
  gz_html_free(h);
  gz_body_free(&b);
  gz_arena_clear(&arena);
}

/* One language for each text of a dozen languages and scripts, from CLD2
 * alone (no letter rules), and a text with no letters has none. */
static void test_language_texts(void) {
  static const char *const texts[] = {
      "Київ готується до зими. Міська рада затвердила план ремонту теплових мереж у трьох "
      "районах міста. За словами заступника голови, роботи мають завершитися до початку "
      "опалювального сезону.",
      "Москва готовится к зиме. Городской совет утвердил план ремонта тепловых сетей в трёх "
      "районах города. По словам заместителя главы, работы должны завершиться до начала "
      "отопительного сезона.",
      "شورای شهر طرح تعمیر شبکه‌های گرمایشی را در سه منطقه از شهر تصویب کرد. "
      "به "
      "گفته "
      "معاون "
      "شهردار، کارها باید پیش از آغاز فصل سرما به پایان برسد.",
      "وافق مجلس المدينة على خطة لإصلاح شبكات التدفئة في ثلاث مناطق من المدينة. وقال نائب "
      "المحافظ إن الأعمال يجب أن تنتهي قبل بداية موسم البرد.",
      "The council approved a plan to repair the heating network in three districts before "
      "the cold season starts. Work on the northern line begins on Monday, officials said.",
      "Le conseil municipal a approuvé un plan de réparation du réseau de chauffage dans trois "
      "quartiers avant le début de la saison froide. Les travaux commencent lundi.",
      "Der Stadtrat hat einen Plan zur Reparatur des Heiznetzes in drei Bezirken beschlossen, "
      "bevor die kalte Jahreszeit beginnt. Die Arbeiten beginnen am Montag.",
      "Belediye meclisi, soğuk mevsim başlamadan önce üç ilçedeki ısıtma şebekesinin onarımı "
      "için bir planı onayladı. Çalışmalar pazartesi günü başlıyor.",
      "Rada miasta zatwierdziła plan naprawy sieci ciepłowniczej w trzech dzielnicach przed "
      "początkiem sezonu grzewczego. Prace rozpoczną się w poniedziałek.",
      "Յուրաքանչյուր ջուր հարաբերություններ հետ որոշում ցույց տվեց, քաղաքային խորհուրդը "
      "հաստատեց ջեռուցման ցանցի վերանորոգման ծրագիրը երեք թաղամասերում։",
      "ქალაქის საბჭომ დაამტკიცა გათბობის ქსელის შეკეთების გეგმა სამ რაიონში ცივი სეზონის "
      "დაწყებამდე. სამუშაოები ორშაბათს იწყება.",
      "Το δημοτικό συμβούλιο ενέκρινε σχέδιο επισκευής του δικτύου θέρμανσης σε τρεις "
      "συνοικίες πριν από την έναρξη της ψυχρής περιόδου.",
      "市议会批准了在寒冷季节开始前修复三个区供暖网络的计划。工程将于星期一开始。",
      "市議会は寒い季節が始まる前に三つの地区の暖房網を修理する計画を承認した。",
      "El concejo aprobó un plan para reparar la red de calefacción en tres distritos antes "
      "de que empiece la temporada de frío. 2026-11-29, 10:00 -- «¡Sí!»",
      "!!! ??? ... 12345 ,,, --- ;;; ((( ))) *** ### @@@ %%% &&& +++ === ~~~ ^^^"};
  static const char *const want[] = {"uk", "ru", "fa", "ar", "en", "fr", "de", "tr",
                                     "pl", "hy", "ka", "el", "zh", "ja", "es", ""};
  CHECK_INT(GZ_ARRAY_LEN(texts), GZ_ARRAY_LEN(want));
  for (size_t i = 0; i < GZ_ARRAY_LEN(texts); i++) CHECK_STR(lang_of(texts[i]), want[i]);
}

/* The field names' table: each field's ranks run 0, 1, 2, ... in table
 * order (a name added out of place would change which value wins), and
 * names are found exactly. */
static void test_fields(void) {
  int next[GZ_F_COUNT] = {0};
  for (size_t i = 0; i < gz_n_field_aliases; i++) {
    const gz_field_alias *a = &gz_field_aliases[i];
    CHECK(a->field < GZ_F_COUNT);
    if (a->field >= GZ_F_COUNT) continue;
    CHECK_INT(a->rank, next[a->field]);
    next[a->field] = a->rank + 1;
    CHECK(gz_field_find(a->key, strlen(a->key)) == a);
  }
  CHECK_INT(next[GZ_F_TITLE], 3);
  CHECK_INT(next[GZ_F_BODY], 11);
  CHECK_INT(next[GZ_F_DATE], 17);
  CHECK_INT(next[GZ_F_AUTHOR], 5);
  CHECK_INT(next[GZ_F_URL], 7);
  CHECK_INT(next[GZ_F_TAGS], 4);
  CHECK_INT(next[GZ_F_LANG], 4);
  CHECK_INT(next[GZ_F_SUMMARY], 8);
  CHECK_INT(next[GZ_F_CAPTURED], 9);
  CHECK_INT(next[GZ_F_IMAGE], 10);
  /* a teaser is not a body: ingest makes it one only when there is none */
  const gz_field_alias *teaser = gz_field_find("description", 11);
  CHECK(teaser && teaser->field == GZ_F_SUMMARY && teaser->rank == 0);
  const gz_field_alias *a = gz_field_find("content_html", 12);
  CHECK(a && a->field == GZ_F_BODY && a->rank == 0 && a->flags == GZ_FIELD_HTML);
  a = gz_field_find("date_gmt", 8);
  CHECK(a && a->field == GZ_F_DATE && a->rank == 5 && a->flags == GZ_FIELD_UTC);
  a = gz_field_find("publishedAt", 11);
  CHECK(a && a->field == GZ_F_DATE && a->rank == 10 && a->flags == 0);
  CHECK(gz_field_find("Title", 5) == NULL);
  CHECK(gz_field_find("titles", 6) == NULL);
  CHECK(gz_field_find("tit", 3) == NULL);
}

/* The public enum names the built-in reader table's rows in order, and
 * the table tells the formats' names, words and extensions. */
static void test_input_formats(void) {
  static const struct {
    gz_input_format f;
    const char *name, *about, *ext[3];
  } want[] = {
      {GZ_INPUT_JSON, "json", "JSON", {".json", NULL, NULL}},
      {GZ_INPUT_JSONL, "jsonl", "JSON Lines", {".jsonl", ".ndjson", NULL}},
      {GZ_INPUT_TEXT, "text", "scraped text", {".txt", NULL, NULL}},
      {GZ_INPUT_CSV, "csv", "CSV with a header row", {".csv", NULL, NULL}},
      {GZ_INPUT_TSV, "tsv", "TSV with a header row", {".tsv", NULL, NULL}},
      {GZ_INPUT_FEED, "feed", "RSS or Atom feed", {".xml", ".rss", ".atom"}},
      {GZ_INPUT_MARKDOWN, "markdown", "Markdown with front matter", {".md", ".markdown", NULL}},
      {GZ_INPUT_HTML, "html", "saved HTML article page", {".html", ".htm", NULL}},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(want); i++) {
    const char *name = NULL, *about = NULL;
    const char *const *ext = NULL;
    CHECK_INT(gz_input_format_info(want[i].f, &name, &about, &ext), 0);
    CHECK_STR(name, want[i].name);
    CHECK_STR(about, want[i].about);
    for (size_t k = 0; ext && k < 3; k++) {
      if (!want[i].ext[k]) {
        CHECK(ext[k] == NULL);
        break;
      }
      CHECK_STR(ext[k], want[i].ext[k]);
    }
  }
  const char *name = "unset";
  CHECK_INT(gz_input_format_info(GZ_INPUT_AUTO, &name, NULL, NULL), -1);
  CHECK_INT(gz_input_format_info((gz_input_format)(GZ_INPUT_HTML + 1), &name, NULL, NULL), -1);
  CHECK_STR(name, "unset");
  CHECK_INT(gz_builtin_readers.n, GZ_INPUT_HTML);
  CHECK(gz_builtin_readers.fallback == gz_builtin_readers.rows[GZ_INPUT_TEXT - 1]);
  /* --input-format picks the row whatever the name and bytes say */
  gz_options o;
  gz_options_init(&o);
  o.input_format = GZ_INPUT_TEXT;
  static const char doc[] = "[{\"title\":\"A\"}]\n";
  gz_digest *d = read_digest("a.json", doc, strlen(doc), &o);
  CHECK_INT(gz_digest_counts(d).written, 1);
  if (d->n_articles == 1) CHECK_STR(d->articles[0].title, "[{\"title\":\"A\"}]");
  gz_digest_free(d);
  /* without a known extension, the first bytes choose */
  d = read_str("noext", "  {\"title\":\"B\"}");
  if (d->n_articles == 1) CHECK_STR(d->articles[0].title, "B");
  CHECK_INT(d->n_articles, 1);
  gz_digest_free(d);
}

int main(void) {
  test_shapes();
  test_aliases_and_precedence();
  test_wrong_types();
  test_errors();
  test_text_reader();
  test_repeated_lines();
  test_bytes();
  test_limits();
  test_list_caps();
  test_diag_stable();
  test_cancel_flag();
  test_languages();
  test_link_hosts();
  test_language_texts();
  test_fields();
  test_input_formats();
  TEST_MAIN_END();
}
