/*
 * test_feed.c - the feed reader's shapes: what it hands to ingest for RSS
 * 2.0, RSS 1.0 and Atom 1.0 items, field by field. gz_ingest_raw is
 * wrapped at link time (-Wl,--wrap=gz_ingest_raw), so every raw article
 * the reader makes is seen here before ingest reads it.
 */
#include <stdlib.h>
#include <string.h>

#include "read/reader.h"
#include "testing.h"

#include "raw_capture.h"

#define CHECK_NULL(p) CHECK((p) == NULL)

/* Reads `doc` as the file `name`; returns the number of errors. */
static size_t read_doc(const char *name, const char *doc, size_t len, gz_digest **out) {
  forget();
  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return 0;
  CHECK_INT(gz_digest_add_memory(d, name, doc, len, &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  *out = d;
  return (size_t)gz_digest_counts(d).errors;
}

/* The first diagnostic of a severity: its message, or "". */
static const char *first_diag(const gz_digest *d, gz_severity sev, unsigned long *line,
                              unsigned long *col) {
  for (size_t i = 0; i < gz_digest_diag_count(d); i++) {
    const gz_diag *g = gz_digest_diag(d, i);
    if (g->severity != sev) continue;
    if (line) *line = g->line;
    if (col) *col = g->col;
    return g->message;
  }
  return "";
}

static void test_rss2(void) {
  static const char doc[] =
      "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
      "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
      "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:media=\"http://search.yahoo.com/mrss/\">\n"
      "<channel><title>Channel title</title><language>de-AT</language>\n"
      "<dc:creator>Desk</dc:creator><link>https://chan.example/</link>\n"
      "  <item><title>Fish &amp;amp; &lt;i&gt;chips&lt;/i&gt;</title>\n"
      "    <link> https://a.example/1 </link><guid>https://a.example/guid</guid>\n"
      "    <dc:creator>Ann One</dc:creator><dc:creator>Bo Two</dc:creator>\n"
      "    <author>x@a.example (Not Used)</author>\n"
      "    <category>Food</category><category><![CDATA[Town & Gown]]></category>\n"
      "    <pubDate>Tue, 08 Dec 2020 07:30:00 +0000</pubDate><dc:date>2019-01-01</dc:date>\n"
      "    <description>A &lt;b&gt;teaser&lt;/b&gt;</description>\n"
      "    <content:encoded><![CDATA[<p>Full <em>body</em>.</p>]]></content:encoded>\n"
      "    <media:thumbnail url=\"https://a.example/thumb.jpg\"/>\n"
      "    <media:group><media:content url=\"https://a.example/v.mp4\" type=\"video/mp4\"/>\n"
      "      <media:content url=\"https://a.example/big.jpg\" medium=\"image\"/></media:group>\n"
      "  </item>"
      "<item><title>Plain title</title><author>desk@a.example (Cy Three)</author>\n"
      "    <guid isPermaLink=\"false\">tag:a.example,2020:2</guid><dc:date>2020-12-09</dc:date>\n"
      "    <description>Only a description.</description>\n"
      "    <enclosure url=\"https://a.example/a.mp3\" type=\"audio/mpeg\" length=\"1\"/>\n"
      "    <enclosure url=\"https://a.example/p.png\" type=\"image/png\" length=\"1\"/></item>\n"
      "<item><title>Guid link</title><guid> https://a.example/3 </guid></item>\n"
      "</channel></rss>\n";
  gz_digest *d;
  CHECK_INT(read_doc("chan.rss", doc, sizeof doc - 1, &d), 0);
  CHECK_INT(n_got, 3);
  if (n_got == 3) {
    seen *a = &got[0];
    CHECK_STR(a->shape, "rss-2.0");
    CHECK_INT(a->line, 6);
    CHECK_INT(a->col, 3);
    CHECK_STR(a->title, "Fish &amp; <i>chips</i>");
    CHECK(a->title_html);
    CHECK_STR(a->body, "<p>Full <em>body</em>.</p>");
    CHECK_INT(a->body_kind, GZ_BODY_HTML);
    CHECK_STR(a->summary, "A <b>teaser</b>");
    CHECK(a->summary_html);
    CHECK_STR(a->date, "Tue, 08 Dec 2020 07:30:00 +0000");
    CHECK_NULL(a->captured);
    CHECK_STR(a->authors, "Ann One|Bo Two");
    CHECK_STR(a->url, "https://a.example/1");
    CHECK_STR(a->tags, "Food|Town & Gown");
    CHECK_STR(a->image, "https://a.example/big.jpg");
    CHECK_STR(a->lang, "de-AT");

    seen *b = &got[1];
    CHECK_INT(b->line, 17);
    CHECK_INT(b->col, 10);
    CHECK_STR(b->title, "Plain title");
    CHECK(!b->title_html);
    CHECK_STR(b->body, "Only a description.");
    CHECK_INT(b->body_kind, GZ_BODY_AUTO);
    CHECK_NULL(b->summary);
    CHECK_STR(b->date, "2020-12-09");
    CHECK_STR(b->authors, "Cy Three");
    CHECK_NULL(b->url); /* a guid that is not a permalink */
    CHECK_STR(b->tags, "");
    CHECK_STR(b->image, "https://a.example/p.png");

    seen *c = &got[2];
    CHECK_STR(c->url, "https://a.example/3");
    CHECK_STR(c->authors, "Desk"); /* the channel's dc:creator */
    CHECK_NULL(c->body);
    CHECK_NULL(c->date);
  }
  gz_digest_free(d);
}

static void test_atom(void) {
  static const char doc[] =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"
      "<author><name>Feed Author</name></author><title>Feed title</title>\n"
      "<entry xml:lang=\"fr\"><title type=\"html\">A &amp;lt;b&amp;gt; title</title>\n"
      " <link rel=\"self\" href=\"https://b.example/self\"/>\n"
      " <link rel=\"alternate\" href=\"https://b.example/1?a=1&amp;b=2\"/>\n"
      " <link href=\"https://b.example/no-rel\"/>\n"
      " <link rel=\"enclosure\" type=\"image/jpeg\" href=\"https://b.example/i.jpg\"/>\n"
      " <published>2020-12-11T08:15:00+01:00</published><updated>2020-12-13T10:00:00Z</updated>\n"
      " <author><name>One</name></author><author><name> Two </name><email>t@b</email></author>\n"
      " <category term=\"x\" label=\"Ex\"/><category term=\"y\"/>\n"
      " <summary>Short &amp; plain</summary>\n"
      " <content type=\"xhtml\"> <div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"a&amp;b\">"
      "Para &lt;1&gt;<br/>x</p><ul><li>i</li></ul></div> </content></entry>\n"
      "<entry><title>Second</title><link href=\"https://b.example/2\"/>"
      "<updated>2020-12-12T15:30:00Z</updated>"
      "<content type=\"text\">Line one\n\nLine two</content>"
      "<source><title>Elsewhere</title><author><name>Source "
      "Author</name></author></source></entry>\n"
      "<entry><title>Third</title><content src=\"https://b.example/out\"/>"
      "<summary type=\"html\">&lt;p&gt;Sum&lt;/p&gt;</summary></entry>\n"
      "</feed>";
  gz_digest *d;
  CHECK_INT(read_doc("b.atom", doc, sizeof doc - 1, &d), 0);
  CHECK_INT(n_got, 3);
  if (n_got == 3) {
    seen *a = &got[0];
    CHECK_STR(a->shape, "atom-1.0");
    CHECK_INT(a->line, 3);
    CHECK_INT(a->col, 1);
    CHECK_STR(a->title, "A &lt;b&gt; title");
    CHECK(a->title_html);
    CHECK_STR(a->body, "<p class=\"a&#38;b\">Para &lt;1&gt;<br>x</p><ul><li>i</li></ul>");
    CHECK_INT(a->body_kind, GZ_BODY_HTML);
    CHECK_STR(a->summary, "Short & plain");
    CHECK(!a->summary_html);
    CHECK_STR(a->date, "2020-12-11T08:15:00+01:00");
    CHECK_STR(a->captured, "2020-12-13T10:00:00Z");
    CHECK(a->has_captured);
    CHECK_STR(a->authors, "One|Two");
    CHECK_STR(a->url, "https://b.example/1?a=1&b=2");
    CHECK_STR(a->tags, "x|y");
    CHECK_STR(a->image, "https://b.example/i.jpg");
    CHECK_STR(a->lang, "fr");

    seen *b = &got[1];
    CHECK_STR(b->title, "Second");
    CHECK_STR(b->body, "Line one\n\nLine two");
    CHECK_INT(b->body_kind, GZ_BODY_PLAIN);
    CHECK_STR(b->date, "2020-12-12T15:30:00Z");
    CHECK_NULL(b->captured);
    CHECK(!b->has_captured);
    CHECK_STR(b->authors, "Source Author"); /* the source's, before the feed's */
    CHECK_STR(b->url, "https://b.example/2");
    CHECK_STR(b->lang, "en");

    seen *c = &got[2];
    CHECK_STR(c->body, "<p>Sum</p>"); /* out-of-line content: the summary */
    CHECK_INT(c->body_kind, GZ_BODY_HTML);
    CHECK_STR(c->authors, "Feed Author");
    CHECK_NULL(c->url);
  }
  gz_digest_free(d);
}

static void test_rss1(void) {
  static const char doc[] =
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
      " xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "<channel rdf:about=\"https://c.example/\"><title>C</title><dc:language>nl</dc:language>"
      "</channel>\n"
      "<item rdf:about=\"https://c.example/about\"><title>One</title>"
      "<description>Body one.</description><dc:date>2020-12-03T19:30:00Z</dc:date>"
      "<dc:subject>S</dc:subject><dc:creator>Cr</dc:creator></item>\n"
      "<item "
      "rdf:about=\"https://c.example/2\"><title>Two</title><link>https://c.example/link</link>"
      "</item></rdf:RDF>";
  gz_digest *d;
  CHECK_INT(read_doc("c.rdf", doc, sizeof doc - 1, &d), 0);
  CHECK_INT(n_got, 2);
  if (n_got == 2) {
    CHECK_STR(got[0].shape, "rss-1.0");
    CHECK_INT(got[0].line, 4);
    CHECK_STR(got[0].url, "https://c.example/about");
    CHECK_STR(got[0].date, "2020-12-03T19:30:00Z");
    CHECK_STR(got[0].tags, "S");
    CHECK_STR(got[0].authors, "Cr");
    CHECK_STR(got[0].lang, "nl");
    CHECK_STR(got[0].body, "Body one.");
    CHECK_STR(got[1].url, "https://c.example/link");
  }
  gz_digest_free(d);
}

/* A feed longer than the input's chunks: items across chunk ends are
 * whole, and their places right. */
static void test_chunks(void) {
  gz_buf b;
  gz_buf_init(&b, gz_default_allocator());
  gz_buf_puts(&b, "<rss version=\"2.0\"><channel>\n");
  for (int i = 0; i < 3000; i++)
    gz_buf_printf(&b,
                  "<item><title>Item %d</title><description>%0200d</description>"
                  "<pubDate>Tue, 08 Dec 2020 07:30:00 +0000</pubDate></item>\n",
                  i, i);
  gz_buf_puts(&b, "</channel></rss>\n");
  gz_digest *d;
  CHECK_INT(read_doc("long.xml", b.data, b.len, &d), 0);
  CHECK_INT(n_got, 3000);
  bool all = n_got == 3000;
  for (size_t i = 0; all && i < n_got; i++) {
    char want[32];
    snprintf(want, sizeof want, "Item %zu", i);
    all = strcmp(got[i].title, want) == 0 && got[i].line == i + 2 && got[i].col == 1 &&
          strlen(got[i].body) == 200;
  }
  CHECK(all);
  gz_digest_free(d);
  gz_buf_free(&b);
}

static void test_entities(void) {
  unsigned long line = 0, col = 0;
  gz_digest *d;
  static const char internal[] =
      "<!DOCTYPE rss [<!ENTITY co \"Mill &amp; Co\">]>\n"
      "<rss><channel><item><title>&co; and &co;</title></item></channel></rss>";
  CHECK_INT(read_doc("i.rss", internal, sizeof internal - 1, &d), 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_STR(got[0].title, "Mill & Co and Mill & Co");
  gz_digest_free(d);

  static const char external[] =
      "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n"
      "<rss><channel><item><title>[&x;]</title></item></channel></rss>";
  CHECK_INT(read_doc("e.rss", external, sizeof external - 1, &d), 0);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_STR(got[0].title, "[]");
  CHECK_STR(first_diag(d, GZ_SEV_WARNING, &line, &col),
            "the external entity &x; is not loaded: its text is left out");
  CHECK_INT(line, 2);
  gz_digest_free(d);

  /* One big entity referenced many times: past the budget, an error. */
  gz_buf b;
  gz_buf_init(&b, gz_default_allocator());
  gz_buf_puts(&b, "<!DOCTYPE rss [<!ENTITY big \"");
  for (int i = 0; i < 5000; i++) gz_buf_puts(&b, "0123456789");
  gz_buf_puts(&b, "\">]>\n<rss><channel><item><title>T</title></item>\n<item><description>");
  for (int i = 0; i < 100; i++) gz_buf_puts(&b, "&big;");
  gz_buf_puts(&b, "</description></item></channel></rss>");
  CHECK_INT(read_doc("q.rss", b.data, b.len, &d), 1);
  CHECK_INT(n_got, 1);
  char want[160];
  snprintf(want, sizeof want,
           "entity references expand to more than %zu bytes; reading of this file stops here "
           "(articles before are kept)",
           (size_t)(1u << 20) + b.len);
  CHECK_STR(first_diag(d, GZ_SEV_ERROR, &line, &col), want);
  CHECK_INT(line, 3);
  gz_digest_free(d);
  gz_buf_free(&b);
}

/* An item whose fields pass the article size limit is kept no further
 * and marked too big (ingest skips it); the next item is whole. */
static void test_limit(void) {
  gz_buf b;
  gz_buf_init(&b, gz_default_allocator());
  gz_buf_puts(&b, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>Many</title>");
  for (int i = 0; i < 2000; i++) gz_buf_printf(&b, "<category term=\"tag%d\"/>", i);
  gz_buf_puts(&b, "</entry><entry><title>Next</title></entry></feed>");
  forget();
  gz_options o;
  gz_options_init(&o);
  o.max_article_size = 1000;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_INT(gz_digest_add_memory(d, "many.atom", b.data, b.len, &err), 0);
  CHECK_INT(n_got, 2);
  if (n_got == 2) {
    CHECK(got[0].too_big);
    CHECK(strlen(got[0].tags) <= 1000);
    CHECK(!got[1].too_big);
    CHECK_STR(got[1].title, "Next");
  }
  CHECK_INT(gz_digest_counts(d).skipped, 1);
  gz_digest_free(d);
  gz_buf_free(&b);
}

static void test_sniff(void) {
  const gz_reader_class *feed = gz_builtin_readers.rows[GZ_INPUT_FEED - 1];
  CHECK_STR(feed->name, "feed");
  static const struct {
    const char *s;
    bool want;
  } cases[] = {
      {"<?xml version=\"1.0\"?><x/>", true},
      {"  \n<rss version=\"2.0\">", true},
      {"<feed xmlns=\"x\">", true},
      {"<rdf:RDF\n xmlns:rdf=\"x\">", true},
      {"<rss>", true},
      {"<rssfeed>", false},
      {"<html><body>", false},
      {"Title\n<rss>", false},
      {"<?xml", false},
      {"[{\"title\":1}]", false},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++)
    CHECK_INT(feed->sniff(cases[i].s, strlen(cases[i].s)), cases[i].want);

  /* a feed saved as .txt is a feed; text stays text */
  gz_digest *d;
  static const char doc[] = "<rss><channel><item><title>In a txt</title></item></channel></rss>";
  read_doc("saved.txt", doc, sizeof doc - 1, &d);
  CHECK_INT(n_got, 1);
  if (n_got == 1) CHECK_STR(got[0].shape, "rss-2.0");
  gz_digest_free(d);
}

int main(void) {
  test_rss2();
  test_atom();
  test_rss1();
  test_chunks();
  test_entities();
  test_limit();
  test_sniff();
  forget();
  TEST_MAIN_END();
}
