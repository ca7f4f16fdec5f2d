/*
 * test_markdown.c - the Markdown reader: what it hands to ingest for Hugo
 * (YAML and TOML front matter), Jekyll and bare Markdown files, field by
 * field, and its bad cases (drafts, malformed or unclosed front matter,
 * raw HTML, files over the size limit). gz_ingest_raw is wrapped at link
 * time (-Wl,--wrap=gz_ingest_raw), so every raw article is seen here.
 */
#include <stdlib.h>
#include <string.h>

#include "model/core.h"
#include "read/reader.h"
#include "testing.h"

#include "raw_capture.h"

#define CHECK_NULL(p) CHECK((p) == NULL)

static gz_digest *read_md(const char *name, const char *doc, size_t max_size) {
  forget();
  gz_options o;
  gz_options_init(&o);
  if (max_size) o.max_article_size = max_size;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return NULL;
  CHECK_INT(gz_digest_add_memory(d, name, doc, strlen(doc), &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  return d;
}

/* The only diagnostic of a severity (undated warnings aside): its message
 * and place. */
static const char *diag(const gz_digest *d, gz_severity sev, unsigned long *line,
                        unsigned long *col) {
  const char *msg = "";
  int n = 0;
  for (size_t i = 0; i < gz_digest_diag_count(d); i++) {
    const gz_diag *g = gz_digest_diag(d, i);
    if (g->severity != sev || strstr(g->message, "goes to Undated")) continue;
    if (!n++) {
      msg = g->message;
      if (line) *line = g->line;
      if (col) *col = g->col;
    }
  }
  CHECK(n <= 1);
  return msg;
}

static void test_yaml(void) {
  gz_digest *d = read_md("posts/late.md",
                         "---\n"
                         "title: \"Late hours\"\n"
                         "Date: 2021-03-04T18:30:00+01:00\n"
                         "lastmod: 2021-03-05\n"
                         "authors: [Ann One, {name: Bo Two}]\n"
                         "author: Not Used\n"
                         "tags: [a, b c]\n"
                         "categories: town\n"
                         "description: Not used\n"
                         "summary: The teaser.\n"
                         "cover: {image: /c.jpg}\n"
                         "image: /i.jpg\n"
                         "lang: de\n"
                         "slug: relative-slug\n"
                         "url: https://x.example/late/\n"
                         "params:\n"
                         "  title: Not the title\n"
                         "  lang: fr\n"
                         "---\n"
                         "Body *here*.\n",
                         0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    seen *a = &got[0];
    CHECK_STR(a->title, "Late hours");
    CHECK(!a->title_html);
    CHECK_STR(a->date, "2021-03-04T18:30:00+01:00");
    CHECK_INT(a->date_line, 3);
    CHECK_INT(a->date_col, 7);
    CHECK_STR(a->captured, "2021-03-05");
    CHECK_STR(a->authors, "Ann One|Bo Two");
    CHECK_STR(a->tags, "a|b c|town");
    CHECK_STR(a->summary, "The teaser.");
    CHECK_STR(a->image, "/c.jpg");
    CHECK_STR(a->lang, "de");
    CHECK_STR(a->url, "https://x.example/late/");
    CHECK_STR(a->body, "<p>Body <em>here</em>.</p>\n");
    CHECK_INT(a->body_kind, GZ_BODY_HTML);
    CHECK(!a->has_fallback_day);
    CHECK_STR(a->shape, "hugo"); /* lastmod and params are Hugo's */
  }
  CHECK_INT(gz_digest_diag_count(d), 0);
  if (d->n_articles == 1) {
    CHECK_INT(d->articles[0].when.utc, 1614879000); /* 2021-03-04T17:30:00Z */
    CHECK(d->articles[0].has_captured);
  }
  gz_digest_free(d);
}

static void test_toml(void) {
  gz_digest *d = read_md("ferry.md",
                         "+++ \n"
                         "# a comment\n"
                         "title = \"Caf\\u00e9 \\\"open\\\"\"\n"
                         "'date' = 2021-03-06T07:15:00Z # unquoted\n"
                         "authors = ['Ann One',\n"
                         "  \"Bo Two\", # second\n"
                         "]\n"
                         "tags = [ \"x\" , 'y' ]\n"
                         "draft = false\n"
                         "weight = 3\n"
                         "meta = { a = 1 }\n"
                         "[params]\n"
                         "  featured_image = \"/f.jpg\"\n"
                         "  title = \"Not the title\"\n"
                         "[other]\n"
                         "  lang = \"fr\"\n"
                         "+++\n"
                         "# Heading stays\n\nText.\n",
                         0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    seen *a = &got[0];
    CHECK_STR(a->title, "Caf\xC3\xA9 \"open\"");
    CHECK_STR(a->date, "2021-03-06T07:15:00Z");
    CHECK_INT(a->date_line, 4);
    CHECK_INT(a->date_col, 10);
    CHECK_STR(a->authors, "Ann One|Bo Two");
    CHECK_STR(a->tags, "x|y");
    CHECK_STR(a->image, "/f.jpg");
    CHECK_NULL(a->lang);
    CHECK_STR(a->body, "<h1>Heading stays</h1>\n<p>Text.</p>\n");
    CHECK_STR(a->shape, "hugo");
  }
  CHECK_INT(gz_digest_diag_count(d), 0);
  gz_digest_free(d);
}

static void test_bare_markdown(void) {
  /* no front matter: the first level-1 heading is the title and leaves
   * the body; raw HTML never passes libcmark */
  gz_digest *d = read_md("notes.md",
                         "Intro line.\n\n## Second level\n\nSetext *title*\n===\n\n"
                         "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n",
                         0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    seen *a = &got[0];
    CHECK_STR(a->title, "<h1>Setext <em>title</em></h1>\n");
    CHECK(a->title_html);
    CHECK_STR(a->body,
              "<p>Intro line.</p>\n<h2>Second level</h2>\n<!-- raw HTML omitted -->\n"
              "<p><a href=\"\">x</a></p>\n");
    CHECK_STR(a->shape, "markdown");
  }
  if (d->n_articles == 1) CHECK_STR(d->articles[0].title, "Setext title");
  gz_digest_free(d);
  /* nothing gives a title: the file name's words, as Jekyll makes them */
  d = read_md("dir/my_first-POST.md", "Just text.\n", 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_STR(got[0].title, "My First Post");
  gz_digest_free(d);
}

static void test_repeated_title(void) {
  /* a post that opens with its title as a heading: the heading is left
   * out; another first heading stays */
  gz_digest *d =
      read_md("r.md", "---\ntitle: Same  Title\n---\n# same *title*\n\nText.\n# Later\n", 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_STR(got[0].body, "<p>Text.</p>\n<h1>Later</h1>\n");
  gz_digest_free(d);
  d = read_md("r.md", "---\ntitle: Other\n---\n# Heading\n\nText.\n", 0);
  if (n_got == 1) CHECK_STR(got[0].body, "<h1>Heading</h1>\n<p>Text.</p>\n");
  gz_digest_free(d);
  d = read_md("r.md", "---\ntitle: Later\n---\nText.\n\n# Later\n", 0);
  if (n_got == 1) CHECK_STR(got[0].body, "<p>Text.</p>\n<h1>Later</h1>\n");
  gz_digest_free(d);
}

static void test_jekyll_name(void) {
  gz_digest *d = read_md("_posts/2020-12-07-choir-moves.markdown",
                         "---\nlayout: post\ncategories: food classes\n---\nText.\n", 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    seen *a = &got[0];
    CHECK_STR(a->title, "Choir Moves");
    CHECK_NULL(a->date);
    CHECK(a->has_fallback_day);
    CHECK_INT(a->fallback_day, 18603); /* 2020-12-07 */
    CHECK_STR(a->tags, "food|classes");
    CHECK_STR(a->shape, "jekyll");
  }
  if (d->n_articles == 1) CHECK(d->articles[0].dated);
  gz_digest_free(d);
  /* not a date: not Jekyll's */
  d = read_md("2020-13-07-x.md", "Text.\n", 0);
  if (n_got == 1) {
    CHECK(!got[0].has_fallback_day);
    CHECK_STR(got[0].title, "2020 13 07 X");
    CHECK_STR(got[0].shape, "markdown");
  }
  gz_digest_free(d);
}

static void test_drafts(void) {
  unsigned long line = 0, col = 0;
  gz_digest *d = read_md("d.md", "---\ntitle: Not yet\ndraft: yes\n---\nText.\n", 0);
  CHECK_INT(n_got, 0);
  CHECK_STR(diag(d, GZ_SEV_SKIP, &line, &col), "\"Not yet\" is a draft (draft: true); skipped");
  CHECK_INT(line, 1);
  CHECK_INT(col, 1);
  CHECK_INT(gz_digest_counts(d).skipped, 1);
  CHECK_INT(gz_digest_counts(d).read, 1);
  gz_digest_free(d);
  d = read_md("p.md", "---\npublished: false\n---\nText.\n", 0);
  CHECK_INT(n_got, 0);
  CHECK_STR(diag(d, GZ_SEV_SKIP, NULL, NULL),
            "\"untitled\" is a draft (published: false); skipped");
  gz_digest_free(d);
  /* a quoted "true" is a string, and draft = false is no draft */
  d = read_md("q.md", "---\ndraft: \"true\"\n---\nText.\n", 0);
  CHECK_INT(n_got, 1);
  gz_digest_free(d);
  d = read_md("t.md", "+++\ndraft = false\n+++\nText.\n", 0);
  CHECK_INT(n_got, 1);
  gz_digest_free(d);
  d = read_md("t.md", "+++\ndraft = true\n+++\nText.\n", 0);
  CHECK_INT(n_got, 0);
  gz_digest_free(d);
}

static void test_bad_front_matter(void) {
  unsigned long line = 0, col = 0;
  /* malformed YAML: a warning with libyaml's problem and place; the
   * text is still the article, without metadata */
  gz_digest *d =
      read_md("y.md", "---\ntitle: A\ntags: [a, b\ndate: x\n---\n# Heading\n\nText.\n", 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    CHECK_STR(got[0].title, "<h1>Heading</h1>\n");
    CHECK_STR(got[0].tags, "");
  }
  CHECK_STR(diag(d, GZ_SEV_WARNING, &line, &col),
            "the YAML front matter cannot be read (did not find expected ',' or ']', while "
            "parsing a flow sequence); the file is read as Markdown without metadata");
  CHECK_INT(line, 4);
  CHECK_INT(col, 5);
  gz_digest_free(d);
  /* no closing line: the whole file is Markdown */
  d = read_md("u.md", "---\ntitle: A\n\nText.\n", 0);
  CHECK_INT(n_got, 1);
  CHECK_STR(diag(d, GZ_SEV_WARNING, &line, &col),
            "the front matter opened here has no closing --- line; the file is read as "
            "Markdown without metadata");
  CHECK_INT(line, 1);
  gz_digest_free(d);
  /* a TOML line gazette cannot read */
  d = read_md("t.md", "+++\ntitle = \"A\"\ndate = \"unclosed\n+++\nText.\n", 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_STR(got[0].title, "T");
  CHECK_STR(diag(d, GZ_SEV_WARNING, &line, &col),
            "the TOML front matter cannot be read here (gazette reads key = value lines of "
            "strings, dates, booleans and arrays); the file is read as Markdown without "
            "metadata");
  CHECK_INT(line, 3);
  CHECK_INT(col, 8);
  gz_digest_free(d);
  /* columns count characters */
  d = read_md("t.md", "+++\n\"\xC3\xA9t\xC3\xA9\" = ]\n+++\nText.\n", 0);
  diag(d, GZ_SEV_WARNING, &line, &col);
  CHECK_INT(line, 2);
  CHECK_INT(col, 9);
  gz_digest_free(d);
  /* a YAML list is no mapping */
  d = read_md("l.md", "---\n- a\n- b\n---\nText.\n", 0);
  CHECK_INT(n_got, 1);
  CHECK_STR(diag(d, GZ_SEV_WARNING, &line, &col),
            "the YAML front matter is not a mapping of keys to values; the file is read as "
            "Markdown without metadata");
  CHECK_INT(line, 2);
  gz_digest_free(d);
  /* a front matter too large to be fields is not parsed */
  size_t big = 300 * 1024;
  char *doc = malloc(big + 16);
  memcpy(doc, "---\n", 4);
  for (size_t i = 4; i < big; i += 4) memcpy(doc + i, "[a]\n", 4);
  strcpy(doc + big, "---\nText.\n");
  d = read_md("huge.md", doc, 0);
  free(doc);
  CHECK_INT(n_got, 1);
  CHECK_STR(diag(d, GZ_SEV_WARNING, &line, &col),
            "the front matter is larger than 262144 bytes; the file is read as Markdown without "
            "metadata");
  gz_digest_free(d);
  /* an empty front matter is none */
  d = read_md("e.md", "---\n---\nText.\n", 0);
  CHECK_INT(n_got, 1);
  CHECK_INT(gz_digest_diag_count(d), 1); /* no date */
  gz_digest_free(d);
}

static void test_size_limit(void) {
  static char big[9000];
  memset(big, 'a', sizeof big - 1);
  big[0] = '#', big[1] = ' ';
  gz_digest *d = read_md("big.md", big, 4096);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK(got[0].too_big);
  CHECK_STR(diag(d, GZ_SEV_SKIP, NULL, NULL),
            "article larger than the limit of 4096 bytes (--max-article-size); skipped");
  CHECK_INT(d->n_articles, 0);
  gz_digest_free(d);
}

int main(void) {
  test_yaml();
  test_toml();
  test_bare_markdown();
  test_repeated_title();
  test_jekyll_name();
  test_drafts();
  test_bad_front_matter();
  test_size_limit();
  forget();
  TEST_MAIN_END();
}
