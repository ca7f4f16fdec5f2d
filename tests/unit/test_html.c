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
  CHECK_STR(texts(&r), "Head | a b c\nd | q | qq |   x\n  y |  | Caption | tail");
  if (r.b.n_blocks == 8) {
    const gz_block *img = &r.b.blocks[6];
    CHECK_INT(img->type, GZ_BLOCK_IMAGE);
    CHECK_STR(img->image.src, "a.png");
    CHECK_STR(img->image.alt, "A harbour at dawn");
  }
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

/* Each block as TYPE:text, an image as IMG[src|alt|WxH]:caption. */
static const char *shapes(result *r) {
  static char out[8192];
  out[0] = '\0';
  for (size_t i = 0; i < r->b.n_blocks; i++) {
    const gz_block *blk = &r->b.blocks[i];
    char one[1024];
    if (blk->type == GZ_BLOCK_IMAGE)
      snprintf(one, sizeof one, "%sIMG[%s|%s|%ux%u]:%.*s", i ? " / " : "", blk->image.src,
               blk->image.alt, blk->image.width, blk->image.height, (int)blk->len, blk->text);
    else
      snprintf(one, sizeof one, "%s%d:%.*s", i ? " / " : "", blk->type, (int)blk->len, blk->text);
    strncat(out, one, sizeof out - strlen(out) - 1);
  }
  return out;
}

static void test_images(void) {
  result r;
  /* an image inside a paragraph splits it, text order kept */
  parse(&r,
        "<p>Before <em>it <img src=' pics/a.jpg ' alt='A  cat' width=640 height='480px'> "
        "after</em></p><p><img alt='only alt'> text</p>",
        256);
  CHECK_STR(shapes(&r), "0:Before it / IMG[pics/a.jpg|A cat|640x480]: / 0:after / 0:only alt text");
  if (r.b.n_blocks == 4) CHECK_INT(r.b.blocks[2].runs[0].style, GZ_STYLE_EM);
  done(&r);
  /* a caption before its image, runs kept; a figure of two images keeps
   * its caption as a paragraph */
  parse(&r,
        "<figure><figcaption>The <b>dam</b></figcaption><img src=d.png width=50%></figure>"
        "<figure><img src=1.png><img src=2.png><figcaption>Two</figcaption></figure>",
        256);
  CHECK_STR(shapes(&r), "IMG[d.png||0x0]:The dam / IMG[1.png||0x0]: / IMG[2.png||0x0]: / 0:Two");
  if (r.b.n_blocks == 4 && r.b.blocks[0].n_runs == 2)
    CHECK_INT(r.b.blocks[0].runs[1].style, GZ_STYLE_STRONG);
  done(&r);
  /* srcset: widths up to 1600 win over src; a <picture> takes its first
   * source of a type we decode, SVG and AVIF skipped */
  parse(&r,
        "<img src=s.jpg srcset='w400.jpg 400w, w2400.jpg 2400w, w1200.jpg 1200w' alt=x>"
        "<picture><source type='image/svg+xml' srcset='v.svg'>"
        "<source type='image/avif' srcset='a.avif 2x'><source srcset='p1.webp 1x, p2.webp 2x' "
        "type='image/webp'><img src=fallback.jpg alt='pic'></picture>"
        "<picture><source type=image/avif srcset=x.avif><img src=f.jpg></picture>"
        "<img data-src=lazy.jpg>",
        256);
  CHECK_STR(shapes(&r),
            "IMG[w1200.jpg|x|0x0]: / IMG[p2.webp|pic|0x0]: / IMG[f.jpg||0x0]: / "
            "IMG[lazy.jpg||0x0]:");
  done(&r);
  /* images in text-only mode give their alt text, as before */
  gz_html *h = gz_html_new(NULL);
  gz_buf out;
  gz_buf_init(&out, NULL);
  const char *t = "<p>a<img src=x.png alt=Pic>b</p>";
  gz_html_to_text(h, t, strlen(t), &out);
  CHECK_STR(gz_buf_cstr(&out), "a Pic b");
  gz_buf_free(&out);
  gz_html_free(h);
}

static void test_srcset(void) {
  const char *u;
  size_t n;
  char got[256];
  static const struct {
    const char *set, *want;
  } cases[] = {
      {"a.jpg", "a.jpg"},
      {"a.jpg 1x, b.jpg 2x, c.jpg 1.5x", "b.jpg"},
      {"a.jpg 2000w, b.jpg 3000w", "a.jpg"},
      {"a.jpg 100w, b.jpg 1600w, c.jpg 1601w", "b.jpg"},
      {"a.jpg 1x, b.jpg 10w", "b.jpg"},
      /* a data: URI keeps its comma; trailing commas end a candidate */
      {"data:image/png;base64,iVBO 1x,, z.png,", "data:image/png;base64,iVBO"},
      /* no white space: one URL holding a comma (the standard reads it so) */
      {"  x.png,y.png 3x", "x.png,y.png"},
      /* bad or repeated descriptors drop the candidate */
      {"a.jpg 2x 3x, b.jpg 1x", "b.jpg"},
      {"a.jpg -2w, b.jpg 0w, c.jpg 5q, d.jpg", "d.jpg"},
      {"a.jpg 100w 50h, b.jpg 50h", "a.jpg"},
      {"a.jpg (min-width: 1px, x) 2x, b.jpg 1x", "b.jpg"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    got[0] = '\0';
    if (gz_srcset_best(cases[i].set, strlen(cases[i].set), &u, &n))
      snprintf(got, sizeof got, "%.*s", (int)n, u);
    CHECK_STR(got, cases[i].want);
  }
  CHECK(!gz_srcset_best(" , ,", 4, &u, &n));
  CHECK(!gz_srcset_best("", 0, &u, &n));
  CHECK(gz_image_type_ok(" image/JPEG ; q=1"));
  CHECK(gz_image_type_ok("image/webp"));
  CHECK(!gz_image_type_ok("image/svg+xml"));
  CHECK(!gz_image_type_ok("image/avif"));
}

int main(void) {
  test_images();
  test_srcset();
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
