/*
 * test_page.c - the saved-page reader: what it hands to ingest for pages
 * of each metadata source, the title without the site's name, the body
 * without page chrome, the index-page rule on both sides of its line, and
 * hostile pages. gz_ingest_raw is wrapped at link time
 * (-Wl,--wrap=gz_ingest_raw), so every raw article is seen here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/reader.h"
#include "testing.h"

#include "raw_capture.h"

#define CHECK_NULL(p) CHECK((p) == NULL)
#define CHECK_HAS(hay, needle) CHECK((hay) && strstr((hay), (needle)) != NULL)
#define CHECK_LACKS(hay, needle) CHECK(!(hay) || strstr((hay), (needle)) == NULL)

/* Reads `doc` as the file `name` with an article size limit (0: the
 * default); returns the digest for its diagnostics. */
static gz_digest *read_doc(const char *name, const char *doc, size_t len, size_t limit) {
  forget();
  gz_options o;
  gz_options_init(&o);
  if (limit) o.max_article_size = limit;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return NULL;
  CHECK_INT(gz_digest_add_memory(d, name, doc, len, &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  return d;
}

static const char *first_skip(const gz_digest *d) {
  for (size_t i = 0; i < gz_digest_diag_count(d); i++) {
    const gz_diag *g = gz_digest_diag(d, i);
    if (g->severity == GZ_SEV_SKIP) return g->message;
  }
  return "";
}

/* JSON-LD wins over Open Graph and plain HTML, field by field; Yoast's
 * author given by @id is found in the graph. */
static void test_jsonld(void) {
  static const char doc[] =
      "<!DOCTYPE html><html lang=\"en\"><head><title>Page title | Site</title>\n"
      "<meta property=\"og:title\" content=\"OG title\">\n"
      "<meta property=\"og:image\" content=\"https://x.example/og.jpg\">\n"
      "<meta name=\"author\" content=\"Meta Author\">\n"
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
      "{\"@type\":\"WebPage\",\"name\":\"Not this\"},"
      "{\"@type\":[\"BlogPosting\"],\"headline\":\"LD headline\","
      "\"datePublished\":\"2024-05-01T10:00:00Z\",\"dateModified\":\"2024-05-02\","
      "\"author\":[{\"@id\":\"#p1\"},\"Plain Name\"],\"keywords\":\"a, b ,c\","
      "\"articleSection\":\"Sec\",\"image\":[{\"url\":\"https://x.example/ld.jpg\"}],"
      "\"description\":\"LD summary\",\"inLanguage\":\"fr\",\"url\":\"https://x.example/ld\"},"
      "{\"@type\":\"Person\",\"@id\":\"#p1\",\"name\":\"Graph Person\"}]}</script>\n"
      "</head><body><article><h1>LD headline</h1><p>One paragraph of the post.</p>"
      "</article></body></html>";
  gz_digest *d = read_doc("p.html", doc, sizeof doc - 1, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    CHECK_STR(got[0].shape, "json-ld");
    CHECK_STR(got[0].title, "LD headline");
    CHECK_STR(got[0].date, "2024-05-01T10:00:00Z");
    CHECK_STR(got[0].captured, "2024-05-02");
    CHECK_STR(got[0].authors, "Graph Person|Plain Name");
    CHECK_STR(got[0].tags, "Sec|a|b|c");
    CHECK_STR(got[0].image, "https://x.example/ld.jpg");
    CHECK_STR(got[0].summary, "LD summary");
    CHECK_STR(got[0].lang, "fr");
    CHECK_STR(got[0].url, "https://x.example/ld");
    CHECK_INT(got[0].body_kind, GZ_BODY_HTML);
    CHECK_STR(got[0].body, "<p>One paragraph of the post.</p>");
  }
  gz_digest_free(d);

  /* the article as a WebPage's mainEntity */
  static const char main_entity[] =
      "<html><head><script type=\"application/ld+json\">{\"@type\":\"WebPage\","
      "\"mainEntity\":{\"@type\":\"ReportageNewsArticle\",\"headline\":\"Inside\","
      "\"author\":{\"@type\":\"Person\",\"name\":\"One Person\"},"
      "\"keywords\":[\"k1\",\"k2\"],\"image\":\"https://x.example/i.jpg\"}}</script>"
      "</head><body><main><p>Text.</p></main></body></html>";
  d = read_doc("m.html", main_entity, sizeof main_entity - 1, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    CHECK_STR(got[0].shape, "json-ld");
    CHECK_STR(got[0].title, "Inside");
    CHECK_STR(got[0].authors, "One Person");
    CHECK_STR(got[0].tags, "k1|k2");
    CHECK_STR(got[0].image, "https://x.example/i.jpg");
  }
  gz_digest_free(d);

  /* malformed or too deep JSON-LD is passed over for Open Graph */
  char deep[4096];
  int n = snprintf(deep, sizeof deep, "%s", "<html><head><script type=\"application/ld+json\">");
  for (int i = 0; i < 40; i++) n += snprintf(deep + n, sizeof deep - (size_t)n, "[");
  n += snprintf(deep + n, sizeof deep - (size_t)n, "{\"@type\":\"Article\",\"headline\":\"Deep\"}");
  for (int i = 0; i < 40; i++) n += snprintf(deep + n, sizeof deep - (size_t)n, "]");
  n += snprintf(deep + n, sizeof deep - (size_t)n,
                "</script><script type=\"application/ld+json\">{\"@type\":\"Article\","
                "\"headline\":</script><meta property=\"og:title\" content=\"From OG\">"
                "<meta property=\"article:author\" content=\"https://fb.example/x\">"
                "<meta property=\"article:author\" content=\"Og Author\">"
                "<meta property=\"article:section\" content=\"S\">"
                "<meta property=\"article:tag\" content=\"t1\">"
                "</head><body><main><p>Text.</p></main></body></html>");
  d = read_doc("deep.html", deep, (size_t)n, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    CHECK_STR(got[0].shape, "open-graph");
    CHECK_STR(got[0].title, "From OG");
    CHECK_STR(got[0].authors, "Og Author");
    CHECK_STR(got[0].tags, "S|t1");
  }
  gz_digest_free(d);
}

/* The <title> loses the site's name, and only that. */
static void test_title(void) {
  static const struct {
    const char *site, *title, *want;
  } cases[] = {
      {NULL, "Ferry timetable changes | Lowtide Gazette", "Ferry timetable changes"},
      {NULL, "Ferry timetable changes - Transport - Lowtide Gazette", "Ferry timetable changes"},
      {NULL, "Beans go in :: Fen Edge Notes", "Beans go in"},
      {NULL, "Rathaus \xE2\x80\x94 Rheinauer Rundschau", "Rathaus"},
      /* a long tail is part of the headline */
      {NULL, "Why the tide came late - and what it means for the harbour",
       "Why the tide came late - and what it means for the harbour"},
      /* the site's name is cut however long it is, at either end */
      {"The Very Long Name Of This Paper", "Council votes | The Very Long Name Of This Paper",
       "Council votes"},
      {"Meridian", "Meridian | Reservoir levels fall to a ten-year low",
       "Reservoir levels fall to a ten-year low"},
      /* no separator, no cut */
      {NULL, "Just a headline", "Just a headline"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) {
    char doc[1024];
    int n =
        snprintf(doc, sizeof doc,
                 "<html><head><title>%s</title>%s%s%s</head><body><article><p>Some text "
                 "here.</p></article></body></html>",
                 cases[i].title, cases[i].site ? "<meta property=\"og:site_name\" content=\"" : "",
                 cases[i].site ? cases[i].site : "", cases[i].site ? "\">" : "");
    gz_digest *d = read_doc("t.html", doc, (size_t)n, 0);
    CHECK_INT(n_got, 1);
    if (n_got == 1) CHECK_STR(got[0].title, cases[i].want);
    gz_digest_free(d);
  }
}

/* Chrome inside and around the article is left out; the heading that
 * repeats the title and the dateline too. */
static void test_chrome(void) {
  static const char doc[] =
      "<html><head><title>Big story | Paper</title></head><body class=\"has-sidebar\">"
      "<nav>NAVTEXT</nav><header>HEADERTEXT</header><div id=\"page\" class=\"site "
      "has-navigation\"><article class=\"post category-social tag-cookies no-comments\"><h1>Big "
      "story</h1><div class=\"post-date\"><time datetime=\"2024-01-02\">2 Jan"
      "</time></div><div class=\"share-bar\">SHARETEXT</div>"
      "<p>First paragraph.</p><aside>ASIDETEXT</aside>"
      "<div id=\"comments\">COMMENTTEXT</div><div class=\"related-links\">RELATEDTEXT</div>"
      "<div class=\"cookie-banner\">COOKIETEXT</div><div class=\"ad-slot\">ADTEXT</div>"
      "<div class=\"newsletter-signup\">NEWSTEXT</div><div role=\"navigation\">ROLETEXT</div>"
      "<form>FORMTEXT</form><script>SCRIPTTEXT</script><!-- COMMENTNODE -->"
      "<div class=\"commentary\"><p>Commentary stays.</p></div>"
      "<p>Last paragraph.</p></article>"
      "<article class=\"card\"><p>Teaser.</p></article></div><footer>FOOTERTEXT</footer>"
      "</body></html>";
  gz_digest *d = read_doc("c.html", doc, sizeof doc - 1, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    CHECK_STR(got[0].shape, "html");
    CHECK_STR(got[0].title, "Big story");
    CHECK_STR(got[0].date, "2024-01-02");
    CHECK_STR(got[0].body,
              "<p>First paragraph.</p>\n<div class=\"commentary\"><p>Commentary stays.</p></div>\n"
              "<p>Last paragraph.</p>");
  }
  gz_digest_free(d);

  /* no semantic element: the container with most paragraph text */
  static const char plain[] =
      "<html><body><div id=\"a\"><p>Short.</p></div>"
      "<div id=\"b\"><p>The first real paragraph of the post.</p><p>And the second one.</p>"
      "</div><div id=\"right\"><p><a href=\"/x\">A link list item with many words in it</a>"
      "</p></div></body></html>";
  d = read_doc("plain.html", plain, sizeof plain - 1, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1)
    CHECK_STR(got[0].body,
              "<p>The first real paragraph of the post.</p>\n<p>And the second one.</p>");
  gz_digest_free(d);
}

/* The index-page line: five words of text per link, without article
 * metadata; with it, the page is an article whatever its links. */
static void index_page(char *doc, size_t cap, int links, int words, bool og_article) {
  int n = snprintf(doc, cap, "<html><head>%s</head><body><nav>",
                   og_article ? "<meta property=\"og:type\" content=\"article\">" : "");
  for (int i = 0; i < links; i++)
    n += snprintf(doc + n, cap - (size_t)n, "<a href=\"/%d\">x</a>", i);
  n += snprintf(doc + n, cap - (size_t)n, "</nav><article><p>");
  for (int i = 0; i < words; i++) n += snprintf(doc + n, cap - (size_t)n, "word ");
  snprintf(doc + n, cap - (size_t)n, "</p></article></body></html>");
}

static void test_index(void) {
  char doc[4096];
  index_page(doc, sizeof doc, 10, 49, false);
  gz_digest *d = read_doc("i.html", doc, strlen(doc), 0);
  CHECK_INT(n_got, 0);
  CHECK_STR(first_skip(d), "looks like an index page: 10 links and 49 words of text; skipped");
  CHECK_INT(gz_digest_counts(d).skipped, 1);
  gz_digest_free(d);

  index_page(doc, sizeof doc, 10, 50, false);
  d = read_doc("i.html", doc, strlen(doc), 0);
  CHECK_INT(n_got, 1);
  CHECK_STR(first_skip(d), "");
  gz_digest_free(d);

  index_page(doc, sizeof doc, 10, 3, true);
  d = read_doc("i.html", doc, strlen(doc), 0);
  CHECK_INT(n_got, 1);
  gz_digest_free(d);
}

/* Hostile and broken pages: deep nesting, a page over the size limit,
 * truncated markup, no markup at all. */
static void test_hostile(void) {
  size_t depth = 20000, cap = depth * 11 + 256;
  char *doc = malloc(cap);
  size_t n = (size_t)snprintf(doc, cap, "<html><body><article><p>Top text.</p>");
  for (size_t i = 0; i < depth; i++) memcpy(doc + n, "<div>", 5), n += 5;
  n += (size_t)snprintf(doc + n, cap - n, "deep");
  for (size_t i = 0; i < depth; i++) memcpy(doc + n, "</div>", 6), n += 6;
  n += (size_t)snprintf(doc + n, cap - n, "</article></body></html>");
  gz_digest *d = read_doc("deep.html", doc, n, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_HAS(got[0].body, "Top text.");
  gz_digest_free(d);
  free(doc);

  static const char page[] =
      "<html><body><article><p>Some words of a page.</p></article>"
      "</body></html>";
  d = read_doc("big.html", page, sizeof page - 1, 40);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK(got[0].too_big);
  CHECK_INT(gz_digest_counts(d).skipped, 1);
  gz_digest_free(d);

  static const char cut[] =
      "<!DOCTYPE html><html><head><title>Cut off</title></head><body>"
      "<article><p>The text before the cut.</p><p>Half a sent";
  d = read_doc("cut.html", cut, sizeof cut - 1, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) {
    CHECK_STR(got[0].title, "Cut off");
    CHECK_STR(got[0].body, "<p>The text before the cut.</p>\n<p>Half a sent</p>");
  }
  gz_digest_free(d);
}

static void test_sniff(void) {
  const gz_reader_class *page = gz_builtin_readers.rows[GZ_INPUT_HTML - 1];
  static const struct {
    const char *s;
    bool want;
  } cases[] = {
      {"<!DOCTYPE html>", true},
      {"\n  <!doctype html>", true},
      {"<html lang=\"en\">", true},
      {"<html>", true},
      {"<htmlx>", false},
      {"<rss>", false},
      {"Title\n<html>", false},
      {"<!DOCTYPE html", false},
      {"<body>", false},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++)
    CHECK_INT(page->sniff(cases[i].s, strlen(cases[i].s)), cases[i].want);

  static const char doc[] =
      "<!DOCTYPE html><html><body><article><p>In a txt.</p></article>"
      "</body></html>";
  gz_digest *d = read_doc("saved.txt", doc, sizeof doc - 1, 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_STR(got[0].shape, "html");
  gz_digest_free(d);
}

int main(void) {
  test_jsonld();
  test_title();
  test_chrome();
  test_index();
  test_hostile();
  test_sniff();
  forget();
  TEST_MAIN_END();
}
