/*
 * test_ingest.c - the value rules every reader shares (read/ingest.c,
 * read/names.c): which of a body and a teaser is the article and which
 * its standfirst, news APIs' truncation marks, teaser marks, "None"
 * dates, capture dates, bylines split into names, the lead image, and
 * what the plan says of them and of the inputs read. A throwaway reader
 * hands prepared raw articles to gz_ingest_raw(), as any reader would:
 * each line of its input names one record of the table below.
 *
 * Given a folder as its argument it writes instead the EPUB and PDF of
 * some of those records there (tests/e2e/test_standfirst.py looks at
 * them).
 */
#include <stdlib.h>
#include <string.h>

#include "model/core.h" /* the test looks inside the digest */
#include "read/names.h"
#include "read/reader.h"
#include "read_digest.h"

/* ---- the records ---- */

typedef struct rec {
  const char *title, *body, *summary;
  bool summary_html, teaser;
  const char *date;
  unsigned date_flags;
  const char *captured;
  const char *image;
  const char *authors; /* NUL-separated, n_authors items */
  uint32_t n_authors;
  const char *tags;
} rec;

static char long_summary[2048];

static rec recs[] = {
    /* 0: a teaser the body does not start with is the standfirst */
    {"Harbour reopens",
     "<p>The old harbour reopened on Monday after six weeks of repairs.</p>"
     "<p>Fishing boats returned before dawn.</p>",
     "Six weeks of repairs &amp; a dawn   return for the fleet.", false, false,
     "2024-03-05 14:30:00", 0, "2024-03-06T08:15:00+0100", "https://img.example/harbour.jpg",
     "By Ann Lee and Bo Park", 1, NULL},
    /* 1: a WordPress auto-excerpt is the start of the body */
    {"Budget passes",
     "<p>The council approved the budget on Tuesday after a long debate about bus routes.</p>",
     "<p>The council approved the budget on Tuesday after a long debate [&hellip;]</p>\n", true,
     false, "2024-03-05T09:00:00Z", 0, NULL, NULL, NULL, 0, NULL},
    /* 2: a teaser alone is the body; "None" is no date */
    {"Summary only", NULL, "A short teaser only.", false, false, "None", 0, "2024-03-07", NULL,
     NULL, 0, NULL},
    /* 3: NewsAPI's cut body, with a description of its own */
    {"Wasserwerk",
     "Der Stadtrat hat am Montag beschlossen, das alte Wasserwerk zu erneuern\xE2\x80\xA6 [+646 "
     "chars]",
     "Die Stadtwerke erneuern das Wasserwerk am Fluss.", false, false, "2024-03-05T14:30:00Z", 0,
     NULL, NULL, "Reuters", 1, NULL},
    /* 4: the other form of the mark; a Reddit created_utc */
    {"Short cut", "Short cut text...[+12 chars]", NULL, false, false, "1733750400.0", GZ_DATE_EPOCH,
     NULL, NULL, NULL, 0, NULL},
    /* 5: the producer's own teaser mark; a list of authors it split
     * itself; a tag string */
    {"Lead only", "Lead paragraph only.", NULL, false, true, "2024-03-05", 0, "null", NULL,
     "Lee, Ann\0Park, Bo", 2, "politics; economy, trade"},
    /* 6: a cut body that is the start of the summary: the summary is fuller */
    {"Ferry", "The ferry timetable changes in May\xE2\x80\xA6",
     "The ferry timetable changes in May, with two more crossings a day.", false, false,
     "2024-03-05", 0, NULL, NULL, NULL, 0, NULL},
    /* 7: a teaser that only repeats the title; a capture date to read */
    {"Night trams return", "Trams run all night again from Friday.", "Night trams return", false,
     false, "NaT", 0, "sometime last week", NULL, NULL, 0, NULL},
    /* 8: NewsAPI's description that its cut content starts with */
    {"Frost",
     "Fruit growers picked through daylight.\r\nMost of the crop was in by late October, but a "
     "c\xE2\x80\xA6 [+432 chars]",
     "Fruit growers picked through daylight.", false, false, "2024-03-05", 0, NULL, NULL, NULL, 0,
     NULL},
    /* 9: a whole article given as the summary: the standfirst is cut */
    {"Long teaser", "A body that says something else entirely.", long_summary, false, false,
     "2024-03-05", 0, NULL, NULL, NULL, 0, NULL},
    /* 10: an excerpt that is not the start of its body keeps its mark */
    {"Observatory", "<p>Amateur astronomers reopened the dome.</p>",
     "<p>The hilltop observatory, closed since its dome jammed during a [&hellip;]</p>\n", true,
     false, "2024-03-05", 0, NULL, NULL, NULL, 0, NULL},
};

static gz_raw_article raw_of(const rec *r, unsigned long line) {
  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = line;
  raw.col = 1;
  raw.title = r->title;
  raw.title_len = r->title ? strlen(r->title) : 0;
  raw.body = r->body;
  raw.body_len = r->body ? strlen(r->body) : 0;
  raw.summary = r->summary;
  raw.summary_len = r->summary ? strlen(r->summary) : 0;
  raw.summary_html = r->summary_html;
  raw.teaser = r->teaser;
  if (r->date) raw.date = (gz_raw_date){r->date, strlen(r->date), r->date_flags, line, 1};
  if (r->captured) raw.captured = (gz_raw_date){r->captured, strlen(r->captured), 0, line, 1};
  raw.image = r->image;
  raw.image_len = r->image ? strlen(r->image) : 0;
  if (r->authors) {
    size_t len = 0;
    for (uint32_t i = 0; i < r->n_authors; i++) len += strlen(r->authors + len) + 1;
    raw.authors = (gz_raw_list){r->authors, len - 1, r->n_authors};
  }
  if (r->tags) raw.tags = (gz_raw_list){r->tags, strlen(r->tags), 1};
  raw.bytes = raw.body_len + raw.summary_len;
  return raw;
}

/* ---- the reader: each line is the index of a record ---- */

typedef struct rec_reader {
  gz_input *in;
  unsigned long line;
} rec_reader;

static void *rec_new(gz_input *in, const char *path) {
  (void)path;
  rec_reader *r = gz_malloc(in->d->al, sizeof *r);
  if (!r) return NULL;
  r->in = in;
  r->line = 0;
  in->shape = "records";
  return r;
}

static void rec_free(void *self) {
  rec_reader *r = self;
  if (r) gz_free(r->in->d->al, r);
}

/* The tests' inputs are small: each arrives in one chunk. */
static int rec_feed(void *self, const char *s, size_t n) {
  rec_reader *r = self;
  for (const char *end = s + n; s < end;) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t k = (size_t)atoi(s);
    r->line++;
    if (k < GZ_ARRAY_LEN(recs)) {
      gz_raw_article raw = raw_of(&recs[k], r->line);
      if (gz_ingest_raw(r->in, &raw)) return -1;
    }
    s = nl ? nl + 1 : end;
  }
  return 0;
}

static int rec_finish(void *self) {
  (void)self;
  return 0;
}

static const char *const rec_ext[] = {".rec", NULL};
static const gz_reader_class rec_class = {"rec",   "records", rec_ext,    NULL,
                                          rec_new, rec_feed,  rec_finish, rec_free};
static const gz_reader_class *const rec_rows[] = {&rec_class};
static const gz_reader_table rec_table = {rec_rows, 1, &rec_class};

static void make_long_summary(void) {
  size_t used = 0;
  for (int i = 1; i <= 300; i++)
    used += (size_t)snprintf(long_summary + used, sizeof long_summary - used, "%sw%03d",
                             i > 1 ? " " : "", i);
}

static gz_digest *read_recs_tz(const char *name, const char *lines, const char *tz) {
  gz_options o;
  gz_options_init(&o);
  o.tz = tz;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return NULL;
  CHECK_INT(gz_read_add_memory(d, &rec_table, name, lines, strlen(lines), &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  return d;
}

static gz_digest *read_recs(const char *name, const char *lines) {
  return read_recs_tz(name, lines, NULL);
}

static const gz_article *by_title(const gz_digest *d, const char *title) {
  for (size_t i = 0; i < d->n_articles; i++)
    if (d->articles[i].title && strcmp(d->articles[i].title, title) == 0) return &d->articles[i];
  fprintf(stderr, "no article \"%s\"\n", title);
  return NULL;
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

static bool has_diag(const gz_digest *d, const char *message) {
  for (size_t i = 0; i < gz_digest_diag_count(d); i++)
    if (strcmp(gz_digest_diag(d, i)->message, message) == 0) return true;
  fprintf(stderr, "no message \"%s\"\n", message);
  return false;
}

static const char *list_of(const char **items, uint32_t n, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = '\0';
  for (uint32_t i = 0; i < n && used < cap; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "|" : "", items[i]);
  return buf;
}

static const char *iso_of(const gz_digest *d, const gz_when *w, bool has, char *buf, size_t cap) {
  if (!has) return "none";
  gz_format_iso(buf, cap, d->tz, w);
  return buf;
}

static const char *captured_of(const gz_digest *d, const gz_article *a, char *buf, size_t cap) {
  gz_when w = {a->captured, gz_tz_day(d->tz, a->captured), a->captured_time};
  return iso_of(d, &w, a->has_captured, buf, cap);
}

/* ---- names ---- */

static void test_names(void) {
  static const struct {
    gz_names_mode mode;
    const char *in, *want; /* names joined by "|" */
  } cases[] = {
      {GZ_NAMES_BYLINE, "By Ann Lee and Bo Park", "Ann Lee|Bo Park"},
      {GZ_NAMES_BYLINE, "Ann Lee, Bo Park", "Ann Lee|Bo Park"},
      {GZ_NAMES_BYLINE, "Ann Lee; Bo Park", "Ann Lee|Bo Park"},
      {GZ_NAMES_BYLINE, "Ann Lee, Bo Park and Cy Dunn", "Ann Lee|Bo Park|Cy Dunn"},
      {GZ_NAMES_BYLINE, "Ann Lee, Bo Park, and Cy Dunn", "Ann Lee|Bo Park|Cy Dunn"},
      {GZ_NAMES_BYLINE, "Ann Lee & Bo Park", "Ann Lee|Bo Park"},
      {GZ_NAMES_BYLINE, "BY ANN LEE AND BO PARK", "ANN LEE|BO PARK"},
      {GZ_NAMES_BYLINE, "by Ann Lee", "Ann Lee"},
      {GZ_NAMES_BYLINE, "John Smith, Jr. and Ann Lee", "John Smith, Jr.|Ann Lee"},
      {GZ_NAMES_BYLINE, "Ann Lee, PhD; Bo Park, III", "Ann Lee, PhD|Bo Park, III"},
      {GZ_NAMES_BYLINE, "Ines Costa & Co", "Ines Costa & Co"},
      {GZ_NAMES_BYLINE, "Ann Lee and Smith and Sons", "Ann Lee|Smith and Sons"},
      {GZ_NAMES_BYLINE, "Lee & Co., Bo Park", "Lee & Co.|Bo Park"},
      {GZ_NAMES_BYLINE, "Reuters", "Reuters"},
      {GZ_NAMES_BYLINE, "AT&T Newsroom", "AT&T Newsroom"},
      {GZ_NAMES_BYLINE, "Byron Bay Staff", "Byron Bay Staff"},
      {GZ_NAMES_BYLINE, "Anderson Cooper and Sandra Band", "Anderson Cooper|Sandra Band"},
      {GZ_NAMES_BYLINE, "  Ann Lee \t and\tBo Park  ", "Ann Lee|Bo Park"},
      {GZ_NAMES_BYLINE, " ; , and ", ""},
      {GZ_NAMES_BYLINE, "By", ""},
      {GZ_NAMES_BYLINE, "", ""},
      {GZ_NAMES_AUTHOR, "Lee, Ann", "Lee, Ann"},
      {GZ_NAMES_AUTHOR, "By Ann Lee; Bo Park", "Ann Lee|Bo Park"},
      {GZ_NAMES_AUTHOR, "Ann Lee and Bo Park", "Ann Lee and Bo Park"},
      {GZ_NAMES_TAGS, "politics; economy, trade", "politics|economy|trade"},
      {GZ_NAMES_TAGS, "by the sea", "by the sea"},
      {GZ_NAMES_TAGS, "rock and roll", "rock and roll"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) {
    char got[256] = "";
    size_t used = 0;
    gz_names it;
    gz_names_init(&it, cases[i].in, strlen(cases[i].in), cases[i].mode);
    const char *s;
    size_t n;
    while (gz_names_next(&it, &s, &n))
      used += (size_t)snprintf(got + used, sizeof got - used, "%s%.*s", used ? "|" : "", (int)n, s);
    gz_test_checks++;
    if (strcmp(got, cases[i].want) != 0) {
      gz_test_failures++;
      fprintf(stderr, "%s: names of \"%s\" are \"%s\", want \"%s\"\n", __FILE__, cases[i].in, got,
              cases[i].want);
    }
  }
}

/* ---- the rules, article by article ---- */

static void test_rules(void) {
  gz_digest *d = read_recs("all.rec", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
  if (!d) return;
  CHECK_INT(d->n_articles, 11);
  char buf[2048], when[64];
  const gz_article *a = by_title(d, "Harbour reopens");
  if (a) {
    CHECK_STR(a->standfirst, "Six weeks of repairs & a dawn return for the fleet.");
    CHECK_STR(body_of(d, a, buf, sizeof buf),
              "The old harbour reopened on Monday after six weeks of repairs./"
              "Fishing boats returned before dawn.");
    CHECK_STR(iso_of(d, &a->when, a->dated, when, sizeof when), "2024-03-05T14:30:00+00:00");
    CHECK_STR(captured_of(d, a, when, sizeof when), "2024-03-06T07:15:00+00:00");
    CHECK_STR(a->image, "https://img.example/harbour.jpg");
    CHECK_STR(list_of(a->authors, a->n_authors, buf, sizeof buf), "Ann Lee|Bo Park");
    CHECK_INT(a->teaser, 0);
  }
  a = by_title(d, "Budget passes");
  if (a) {
    CHECK(a->standfirst == NULL);
    CHECK_INT(a->words, 14);
    CHECK(!a->has_captured);
    CHECK(a->image == NULL);
  }
  a = by_title(d, "Summary only");
  if (a) {
    CHECK(a->standfirst == NULL);
    CHECK_STR(body_of(d, a, buf, sizeof buf), "A short teaser only.");
    CHECK_INT(a->words, 4);
    CHECK_INT(a->teaser, 0);
    CHECK_INT(a->dated, 0);
    CHECK_STR(captured_of(d, a, when, sizeof when), "2024-03-07");
  }
  a = by_title(d, "Wasserwerk");
  if (a) {
    CHECK_STR(a->standfirst, "Die Stadtwerke erneuern das Wasserwerk am Fluss.");
    CHECK_STR(body_of(d, a, buf, sizeof buf),
              "Der Stadtrat hat am Montag beschlossen, das alte Wasserwerk zu erneuern");
    CHECK_INT(a->words, 11);
    CHECK_INT(a->teaser, 1);
    CHECK_STR(list_of(a->authors, a->n_authors, buf, sizeof buf), "Reuters");
  }
  a = by_title(d, "Short cut");
  if (a) {
    CHECK_STR(body_of(d, a, buf, sizeof buf), "Short cut text");
    CHECK_INT(a->teaser, 1);
    CHECK_STR(iso_of(d, &a->when, a->dated, when, sizeof when), "2024-12-09T13:20:00+00:00");
  }
  a = by_title(d, "Lead only");
  if (a) {
    CHECK_INT(a->teaser, 1);
    CHECK(!a->has_captured);
    CHECK_STR(list_of(a->authors, a->n_authors, buf, sizeof buf), "Lee, Ann|Park, Bo");
    CHECK_STR(list_of(a->tags, a->n_tags, buf, sizeof buf), "politics|economy|trade");
  }
  a = by_title(d, "Ferry");
  if (a) {
    CHECK(a->standfirst == NULL);
    CHECK_STR(body_of(d, a, buf, sizeof buf),
              "The ferry timetable changes in May, with two more crossings a day.");
    CHECK_INT(a->words, 12);
  }
  a = by_title(d, "Night trams return");
  if (a) {
    CHECK(a->standfirst == NULL);
    CHECK(!a->has_captured);
    CHECK_INT(a->dated, 0);
  }
  a = by_title(d, "Frost");
  if (a) {
    CHECK(a->standfirst == NULL);
    CHECK_STR(body_of(d, a, buf, sizeof buf),
              "Fruit growers picked through daylight./"
              "Most of the crop was in by late October, but a c");
    CHECK_INT(a->teaser, 1);
  }
  a = by_title(d, "Observatory");
  if (a)
    CHECK_STR(a->standfirst,
              "The hilltop observatory, closed since its dome jammed during a [\xE2\x80\xA6]");
  a = by_title(d, "Long teaser");
  if (a) {
    /* 200 words of 4 letters and their spaces: 999 bytes, and the ellipsis */
    char want[1100];
    memcpy(want, long_summary, 999);
    memcpy(want + 999, "\xE2\x80\xA6", 4);
    CHECK_STR(a->standfirst, want);
  }
  /* "None" and "NaT" are no dates, not unreadable ones; a capture date
   * that cannot be read is said */
  CHECK(has_diag(d, "\"Summary only\" has no date; it goes to Undated"));
  CHECK(has_diag(d, "\"Night trams return\" has no date; it goes to Undated"));
  CHECK(has_diag(d,
                 "cannot read the capture date \"sometime last week\" of \"Night trams "
                 "return\"; it is left out"));
  CHECK_INT(gz_digest_diag_count(d), 3);
  gz_digest_free(d);
}

/* Capture dates in the digest's zone: a time moves to it, a day stays
 * the day written. */
static void test_captured_zone(void) {
  gz_digest *d = read_recs_tz("ny.rec", "0\n2\n", "America/New_York");
  if (!d) return;
  char when[64];
  const gz_article *a = by_title(d, "Harbour reopens");
  if (a) CHECK_STR(captured_of(d, a, when, sizeof when), "2024-03-06T02:15:00-05:00");
  a = by_title(d, "Summary only");
  if (a) CHECK_STR(captured_of(d, a, when, sizeof when), "2024-03-07");
  gz_digest_free(d);
}

/* ---- the plan ---- */

typedef struct sink {
  char buf[8192];
  size_t len;
} sink;

static int collect(const void *s, size_t n, void *user) {
  sink *k = user;
  if (k->len + n >= sizeof k->buf) return -1;
  memcpy(k->buf + k->len, s, n);
  k->len += n;
  k->buf[k->len] = '\0';
  return 0;
}

static void test_plan(void) {
  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_INT(gz_read_add_memory(d, &rec_table, "one.rec", "0\n", 2, &err), 0);
  /* the JSON reader names the common names' shape "generic" */
  const char *json = "[{\"title\":\"Plain\",\"date\":\"2024-03-04\",\"body\":\"Plain words.\"}]";
  CHECK_INT(gz_digest_add_memory(d, "plain.json", json, strlen(json), &err), 0);
  CHECK_INT(gz_read_add_memory(d, &rec_table, "two.rec", "3\n", 2, &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  sink k = {.len = 0};
  CHECK_INT(gz_digest_write_plan(d, 0, collect, &k, &err), 0);
  CHECK_STR(k.buf,
            "one.rec: read as records\n"
            "two.rec: read as records\n"
            "\n"
            "Mon 4 Mar 2024 (1 article)\n"
            "  2024-03-04                 Plain  [plain.json:1]\n"
            "\n"
            "Tue 5 Mar 2024 (2 articles)\n"
            "  2024-03-05T14:30:00+00:00  Harbour reopens  [one.rec:1]\n"
            "  2024-03-05T14:30:00+00:00  Wasserwerk  [two.rec:1]\n"
            "\n"
            "3 articles in 2 groups (read 3, 0 duplicates, 0 filtered, 0 skipped)\n");
  k.len = 0;
  CHECK_INT(gz_digest_write_plan(d, 1, collect, &k, &err), 0);
  const char *want_start =
      "{\n"
      "  \"inputs\": [\n"
      "    {\n"
      "      \"file\": \"one.rec\",\n"
      "      \"format\": \"rec\",\n"
      "      \"shape\": \"records\"\n"
      "    },\n"
      "    {\n"
      "      \"file\": \"plain.json\",\n"
      "      \"format\": \"json\",\n"
      "      \"shape\": \"generic\"\n"
      "    },\n"
      "    {\n"
      "      \"file\": \"two.rec\",\n"
      "      \"format\": \"rec\",\n"
      "      \"shape\": \"records\"\n"
      "    }\n"
      "  ],\n";
  CHECK(strncmp(k.buf, want_start, strlen(want_start)) == 0);
  const char *harbour =
      "        {\n"
      "          \"title\": \"Harbour reopens\",\n"
      "          \"date\": \"2024-03-05T14:30:00+00:00\",\n"
      "          \"authors\": [\n"
      "            \"Ann Lee\",\n"
      "            \"Bo Park\"\n"
      "          ],\n"
      "          \"url\": null,\n"
      "          \"tags\": [],\n"
      "          \"standfirst\": \"Six weeks of repairs & a dawn return for the "
      "fleet.\",\n"
      "          \"image\": \"https://img.example/harbour.jpg\",\n"
      "          \"captured\": \"2024-03-06T07:15:00+00:00\",\n"
      "          \"source\": \"one.rec:1\",\n"
      "          \"words\": 16,\n"
      "          \"teaser\": false,\n"
      "          \"lang\": \"en\"\n"
      "        },\n";
  CHECK(strstr(k.buf, harbour) != NULL);
  const char *wasser =
      "          \"standfirst\": \"Die Stadtwerke erneuern das Wasserwerk am "
      "Fluss.\",\n"
      "          \"image\": null,\n"
      "          \"captured\": null,\n"
      "          \"source\": \"two.rec:1\",\n"
      "          \"words\": 11,\n"
      "          \"teaser\": true,\n";
  CHECK(strstr(k.buf, wasser) != NULL);
  if (gz_test_failures) fputs(k.buf, stderr);
  gz_digest_free(d);
}

/* ---- outputs for tests/e2e/test_standfirst.py ---- */

static int write_outputs(const char *dir) {
  gz_digest *d = read_recs("standfirst.rec", "0\n3\n1\n");
  if (!d) return 1;
  gz_write_options w;
  gz_write_options_init(&w);
  w.title = "Standfirsts";
  gz_error err;
  char path[4096];
  int rc = 0;
  snprintf(path, sizeof path, "%s/standfirst.epub", dir);
  if (gz_digest_write(d, &w, path, &err)) rc = 1;
  snprintf(path, sizeof path, "%s/standfirst.pdf", dir);
  w.format = GZ_FORMAT_PDF;
  if (gz_digest_write(d, &w, path, &err)) rc = 1;
  if (rc) fprintf(stderr, "%s\n", err.message);
  gz_digest_free(d);
  return rc;
}

int main(int argc, char **argv) {
  make_long_summary();
  if (argc > 1) return write_outputs(argv[1]);
  test_names();
  test_rules();
  test_captured_zone();
  test_plan();
  TEST_MAIN_END();
}
