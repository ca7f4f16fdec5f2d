/*
 * test_html.c - the HTML allow-list sanitiser: what is kept, what goes,
 * and that nothing active survives.
 */
#include <stdlib.h>
#include <string.h>

#include "read/read.h"
#include "testing.h"

typedef struct result {
  gz_arena arena;
  gz_body_builder b;
  gz_html *h;
  bool deep;
} result;

static void parse(result *r, const char *html, int max_depth) {
  gz_arena_init(&r->arena, NULL);
  gz_body_init(&r->b, NULL, &r->arena);
  r->h = gz_html_new(NULL);
  gz_html_to_body(r->h, html, strlen(html), &r->b, max_depth, &r->deep);
}

static void done(result *r) {
  gz_html_free(r->h);
  gz_body_free(&r->b);
  gz_arena_clear(&r->arena);
}

/* All block texts joined with " | " */
static const char *texts(result *r) {
  static char out[8192];
  out[0] = '\0';
  for (size_t i = 0; i < r->b.n_blocks; i++) {
    if (i) strcat(out, " | ");
    strncat(out, r->b.blocks[i].text, r->b.blocks[i].len);
  }
  return out;
}

static bool any_href(result *r, const char *needle) {
  for (size_t i = 0; i < r->b.n_blocks; i++)
    for (uint32_t k = 0; k < r->b.blocks[i].n_runs; k++) {
      const gz_run *run = &r->b.blocks[i].runs[k];
      if (!run->href) continue;
      size_t nl = strlen(needle);
      for (size_t j = 0; j + nl <= run->href_len; j++)
        if (memcmp(run->href + j, needle, nl) == 0) return true;
    }
  return false;
}

static void test_drops_active_content(void) {
  result r;
  parse(&r,
        "<p>Before<script>alert('x')</script> after</p><style>p{color:red}</style>"
        "<iframe src='http://evil.example'>frame text</iframe><object>obj</object>"
        "<embed src=x><form><input value=v>form text</form><p onclick=\"steal()\">Click</p>",
        256);
  CHECK_STR(texts(&r), "Before after | Click");
  done(&r);
}

static void test_links(void) {
  result r;
  parse(
      &r,
      "<p><a href=\"javascript:alert(1)\">js</a> <a href=\" JaVaScRiPt:alert(1)\">js2</a> "
      "<a href=\"java\tscript:x\">js3</a> <a href=\"data:text/html,<b>x</b>\">data</a> "
      "<a href=\"https://example.com/a?b=1&amp;c=2\">ok</a> <a href=\"mailto:x@example.com\">m</a> "
      "<a href=\"/relative\">rel</a> <a href=\"vbscript:x\">vb</a></p>",
      256);
  CHECK_STR(texts(&r), "js js2 js3 data ok m rel vb");
  CHECK(!any_href(&r, "script"));
  CHECK(!any_href(&r, "data:"));
  CHECK(!any_href(&r, "relative"));
  CHECK(any_href(&r, "https://example.com/a?b=1&c=2"));
  CHECK(any_href(&r, "mailto:x@example.com"));
  int links = 0;
  for (uint32_t k = 0; k < r.b.blocks[0].n_runs; k++)
    if (r.b.blocks[0].runs[k].href) links++;
  CHECK_INT(links, 2);
  done(&r);
}

static void test_entities_and_spaces(void) {
  result r;
  parse(&r, "<p>Tom &amp; Jerry &lt;b&gt; &#x41;&#66; caf&eacute;\n   and   more</p>", 256);
  CHECK_STR(texts(&r), "Tom & Jerry <b> AB café and more");
  done(&r);
}

static void test_nested_lists(void) {
  result r;
  parse(&r,
        "<ul><li>one<ul><li>one.a</li><li>one.b</li></ul></li><li>two</li></ul>"
        "<ol start=\"3\"><li>third</li><li><p>fourth</p></li></ol>",
        256);
  CHECK_INT(r.b.n_blocks, 6);
  if (r.b.n_blocks == 6) {
    gz_block *b = r.b.blocks;
    CHECK_INT(b[0].type, GZ_BLOCK_ITEM);
    CHECK_INT(b[0].item.depth, 1);
    CHECK_INT(b[1].item.depth, 2);
    CHECK_STR(b[1].text, "one.a");
    CHECK_INT(b[2].item.depth, 2);
    CHECK_INT(b[3].item.depth, 1);
    CHECK_STR(b[3].text, "two");
    CHECK_INT(b[3].item.ordered, 0);
    CHECK_INT(b[4].item.ordered, 1);
    CHECK_INT(b[4].item.number, 3);
    CHECK_STR(b[5].text, "fourth");
    CHECK_INT(b[5].type, GZ_BLOCK_ITEM);
    CHECK_INT(b[5].item.number, 4);
  }
  done(&r);
}

static void test_blocks_and_styles(void) {
  result r;
  parse(&r,
        "<h2>Head</h2><p>a <em>b</em> <strong>c</strong><br>d</p><blockquote><p>q</p>"
        "<blockquote>qq</blockquote></blockquote><pre>  x\n  y</pre><hr>"
        "<figure><img src=\"a.png\" alt=\"A harbour at dawn\"><figcaption>Caption</figcaption>"
        "</figure><div>tail</div>",
        256);
  CHECK_STR(texts(&r),
            "Head | a b c\nd | q | qq |   x\n  y |  | A harbour at dawn | Caption | tail");
  if (r.b.n_blocks >= 6) {
    CHECK_INT(r.b.blocks[0].type, GZ_BLOCK_HEADING);
    CHECK_INT(r.b.blocks[0].heading.level, 2);
    CHECK_INT(r.b.blocks[2].quote, 1);
    CHECK_INT(r.b.blocks[3].quote, 2);
    CHECK_INT(r.b.blocks[4].type, GZ_BLOCK_PRE);
    CHECK_INT(r.b.blocks[5].type, GZ_BLOCK_RULE);
    gz_block *p = &r.b.blocks[1];
    CHECK_INT(p->n_runs, 5);
    if (p->n_runs == 5) {
      CHECK_INT(p->runs[1].style, GZ_STYLE_EM);
      CHECK_INT(p->runs[2].style, 0);
      CHECK_INT(p->runs[3].style, GZ_STYLE_STRONG);
      CHECK_INT(p->runs[4].style, 0);
      CHECK_INT(p->runs[4].len, 2); /* "\nd": the line break, then d */
    }
  }
  done(&r);
}

static void test_depth_limit(void) {
  size_t n = 10000;
  char *html = malloc(n * 5 + 64);
  char *p = html;
  for (size_t i = 0; i < n; i++) p += sprintf(p, "<div>");
  strcpy(p, "<b>deep</b> text<script>x()</script>");
  result r;
  parse(&r, html, 256);
  CHECK(r.deep);
  CHECK_STR(texts(&r), "deep text");
  done(&r);
  parse(&r, "<div><div><p>shallow</p></div></div>", 256);
  CHECK(!r.deep);
  done(&r);
  free(html);
}

static void test_meta_charset_ignored(void) {
  result r;
  parse(&r, "<meta charset=\"iso-8859-1\"><p>café Ωμέγα</p>", 256);
  CHECK_STR(texts(&r), "café Ωμέγα");
  done(&r);
}

static void test_text_only(void) {
  gz_html *h = gz_html_new(NULL);
  gz_buf out;
  gz_buf_init(&out, NULL);
  const char *t = "Council&#8217;s <em>new</em> plan &amp; budget<script>x</script>";
  gz_html_to_text(h, t, strlen(t), &out);
  CHECK_STR(gz_buf_cstr(&out), "Council\xE2\x80\x99s new plan & budget");
  gz_buf_free(&out);
  gz_html_free(h);
}

static void test_looks_like_html(void) {
  CHECK(gz_looks_like_html("<p>x</p>", 8));
  CHECK(gz_looks_like_html("a<br/>b", 7));
  CHECK(gz_looks_like_html("x <!-- c --> y", 14));
  CHECK(!gz_looks_like_html("a < b and c > d", 15));
  CHECK(!gz_looks_like_html("Tom & Jerry", 11));
  CHECK(!gz_looks_like_html("<notatag>", 9));
}

int main(void) {
  test_drops_active_content();
  test_links();
  test_entities_and_spaces();
  test_nested_lists();
  test_blocks_and_styles();
  test_depth_limit();
  test_meta_charset_ignored();
  test_text_only();
  test_looks_like_html();
  TEST_MAIN_END();
}
