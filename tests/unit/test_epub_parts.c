/*
 * test_epub_parts.c - the EPUB writer's parts on a small digest read
 * through the public API: the plan of content documents, the chapter,
 * navigation, NCX, title page with its chart and the package document,
 * each as its exact bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "read_digest.h"
#include "write/epub/epub.h"

static const char dump[] =
    "[{\"title\":\"Late\",\"date\":\"2020-12-08T09:00:00Z\",\"url\":\"https://a.example/1\","
    "\"author\":\"Ann\",\"body\":\"<p>Tuesday</p>\"},"
    "{\"title\":\"Early\",\"date\":\"2020-12-07T08:00:00Z\",\"url\":\"https://a.example/2\","
    "\"author\":\"Ann\",\"tags\":[\"x\"],"
    "\"body\":\"<h3>Head</h3><p>One <em>two</em></p><blockquote><ul><li>item</li></ul>"
    "</blockquote>\"}]";

typedef struct fixture {
  gz_digest *d;
  gz_write_options w;
  gz_job job;
  epub_ctx e;
} fixture;

static void setup(fixture *f) {
  memset(f, 0, sizeof *f);
  f->d = read_digest("e.json", dump, strlen(dump), NULL);
  const gz_view *v = gz_digest_view(f->d);
  gz_write_options_init(&f->w);
  f->w.has_modified = 1;
  f->w.modified = 1607299200; /* 2020-12-07 */
  f->job.groups = v->groups;
  f->job.n_groups = v->n_groups;
  gz_arena_init(&f->job.diag_arena, NULL);
  f->e.d = v;
  f->e.w = &f->w;
  f->e.job = &f->job;
  f->e.level = DEFAULT_LEVEL;
  f->e.lang = "en";
  pthread_mutex_init(&f->e.err_lock, NULL);
  f->e.group_base = calloc(v->n_groups, sizeof *f->e.group_base);
  CHECK_INT(gz_epub_plan(&f->e), 0);
}

static void teardown(fixture *f) {
  for (size_t i = 0; i < f->e.n_parts; i++) gz_free(f->e.d->al, f->e.parts[i].z.data);
  gz_free(f->e.d->al, f->e.parts);
  free(f->e.group_base);
  pthread_mutex_destroy(&f->e.err_lock);
  gz_arena_clear(&f->job.diag_arena);
  gz_digest_free(f->d);
}

/* A document written by `fn` into memory, as a string to free. */
typedef void (*doc_fn)(const epub_ctx *e, gz_xw *x, const void *arg);

static char *render(const epub_ctx *e, doc_fn fn, const void *arg) {
  xmlBufferPtr buf = xmlBufferCreate();
  gz_xw x = {xmlNewTextWriterMemory(buf, 0), false, NULL};
  fn(e, &x, arg);
  CHECK(!x.failed);
  gz_xw_finish(&x);
  xmlFreeTextWriter(x.w);
  char *s = strdup((const char *)xmlBufferContent(buf));
  xmlBufferFree(buf);
  return s;
}

static void nav(const epub_ctx *e, gz_xw *x, const void *arg) {
  (void)arg;
  gz_epub_write_nav(e, x);
}

static void ncx(const epub_ctx *e, gz_xw *x, const void *arg) {
  (void)arg;
  gz_epub_write_ncx(e, x, "urn:uuid:u", "The title");
}

static void title_page(const epub_ctx *e, gz_xw *x, const void *arg) {
  gz_epub_write_title_page(e, x, arg,
                           "Digest \xE2\x80\x94 7\xE2\x80\x93"
                           "8 Dec 2020");
}

static void opf(const epub_ctx *e, gz_xw *x, const void *arg) {
  gz_epub_write_opf(e, x, arg, "Digest");
}

#define XHTML_HEAD(title)                                                               \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html><html "                   \
  "xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" " \
  "xml:lang=\"en\" lang=\"en\"><head><title>" title                                     \
  "</title><link rel=\"stylesheet\" "                                                   \
  "type=\"text/css\" href=\"style.css\"/></head><body>"

static void test_plan(void) {
  fixture f;
  setup(&f);
  CHECK_INT(f.e.n_parts, 2);
  if (f.e.n_parts == 2) {
    CHECK_STR(f.e.parts[0].name, "g0001.xhtml");
    CHECK_STR(f.e.parts[1].name, "g0002.xhtml");
    CHECK_INT(f.e.parts[1].group, 1);
    CHECK_INT(f.e.parts[1].first, 0);
    CHECK_INT(f.e.parts[1].count, 1);
  }
  CHECK_INT(f.e.group_base[1], 1);
  CHECK_INT(gz_epub_article_number(&f.e, 1, 0), 2);
  CHECK(gz_epub_part_of(&f.e, 1, 0) == &f.e.parts[1]);
  CHECK(gz_epub_part_of(&f.e, 1, 1) == NULL);
  teardown(&f);
}

static void test_chapter(void) {
  fixture f;
  setup(&f);
  gz_epub_render_parts(&f.e, 1);
  CHECK(!f.e.failed);
  const zblob *z = &f.e.parts[0].z;
  char out[4096] = "";
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  inflateInit2(&zs, -15);
  zs.next_in = z->data;
  zs.avail_in = (uInt)z->comp_len;
  zs.next_out = (Bytef *)out;
  zs.avail_out = sizeof out - 1;
  CHECK_INT(inflate(&zs, Z_FINISH), Z_STREAM_END);
  inflateEnd(&zs);
  CHECK_INT(z->raw_len, strlen(out));
  CHECK_STR(out, XHTML_HEAD("Mon 7 Dec 2020")
    "<h1 id=\"g1\">Mon 7 Dec 2020</h1><article id=\"a1\"><h2>Early</h2><p class=\"meta\"><t"
    "ime datetime=\"2020-12-07T08:00:00+00:00\">7 December 2020, 08:00</time> \xC2\xB7 Ann "
    "\xC2\xB7 <a href=\"https://a.example/2\">a.example</a></p><p class=\"tags\">x</p><h3>H"
    "ead</h3><p>One <em>two</em></p><blockquote><ul><li>item</li></ul></blockquote></articl"
    "e></body></html>\n");
  teardown(&f);
}

static void test_nav_and_ncx(void) {
  fixture f;
  setup(&f);
  char *s = render(&f.e, nav, NULL);
  CHECK_STR(s, XHTML_HEAD("Contents")
    "<nav epub:type=\"toc\" id=\"toc\"><h1>Contents</h1><ol><li><a href=\"g0001.xhtml\">Mon"
    " 7 Dec 2020</a><ol><li><a href=\"g0001.xhtml#a1\">Early</a></li></ol></li><li><a href="
    "\"g0002.xhtml\">Tue 8 Dec 2020</a><ol><li><a href=\"g0002.xhtml#a2\">Late</a></li></ol"
    "></li></ol></nav><nav epub:type=\"landmarks\" hidden=\"hidden\"><ol><li><a epub:type="
    "\"titlepage\" href=\"title.xhtml\">Title page</a></li><li><a epub:type=\"toc\" href=\""
    "nav.xhtml\">Contents</a></li><li><a epub:type=\"bodymatter\" href=\"g0001.xhtml\">Arti"
    "cles</a></li></ol></nav></body></html>\n");
  free(s);
  s = render(&f.e, ncx, NULL);
  CHECK_STR(s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ncx xmlns=\"http://www.daisy.org/z3986/20"
            "05/ncx/\" version=\"2005-1\" xml:lang=\"en\"><head><meta name=\"dtb:uid\" content=\"ur"
            "n:uuid:u\"/><meta name=\"dtb:depth\" content=\"2\"/><meta name=\"dtb:totalPageCount\" "
            "content=\"0\"/><meta name=\"dtb:maxPageNumber\" content=\"0\"/></head><docTitle><text>"
            "The title</text></docTitle><navMap><navPoint id=\"g1\" playOrder=\"1\"><navLabel><text"
            ">Mon 7 Dec 2020</text></navLabel><content src=\"g0001.xhtml\"/><navPoint id=\"a1\" pla"
            "yOrder=\"2\"><navLabel><text>Early</text></navLabel><content src=\"g0001.xhtml#a1\"/><"
            "/navPoint></navPoint><navPoint id=\"g2\" playOrder=\"3\"><navLabel><text>Tue 8 Dec 202"
            "0</text></navLabel><content src=\"g0002.xhtml\"/><navPoint id=\"a2\" playOrder=\"4\"><"
            "navLabel><text>Late</text></navLabel><content src=\"g0002.xhtml#a2\"/></navPoint></nav"
            "Point></navMap></ncx>\n");
  free(s);
  teardown(&f);
}

static void test_title_and_package(void) {
  fixture f;
  setup(&f);
  gz_job_facts facts;
  gz_job_facts_compute(f.e.d, &f.w, &f.job, &facts);
  CHECK_INT(facts.articles, 2);
  char *s = render(&f.e, title_page, &facts);
  CHECK_STR(s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html><html xmlns=\"http://www.w3"
            ".org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"en\" lang=\"e"
            "n\"><head><title>Digest \xE2\x80\x94 7\xE2\x80\x93"
            "8 Dec 2020</title><link rel=\"styles"
            "heet\" type=\"text/css\" href=\"style.css\"/></head><body><section epub:type=\"titlepa"
            "ge\" class=\"titlepage\"><h1>Digest</h1><p class=\"range\">7 \xE2\x80\x93 8 Dec 2020</"
            "p><p class=\"counts\">2 articles in 2 groups</p><svg xmlns=\"http://www.w3.org/2000/sv"
            "g\" viewBox=\"0 0 600 240\" class=\"chart\" role=\"img\" aria-label=\"Articles per gro"
            "up\"><title>Articles per group</title><line x1=\"10\" x2=\"590\" y1=\"200\" y2=\"200\""
            " stroke=\"#000\"/><rect x=\"53.50\" y=\"20.00\" width=\"203.00\" height=\"180.00\" fil"
            "l=\"#222\"><title>Mon 7 Dec 2020</title></rect><text x=\"155.00\" y=\"16.00\" font-siz"
            "e=\"11\" text-anchor=\"middle\" font-family=\"sans-serif\">1</text><rect x=\"343.50\" "
            "y=\"20.00\" width=\"203.00\" height=\"180.00\" fill=\"#222\"><title>Tue 8 Dec 2020</ti"
            "tle></rect><text x=\"445.00\" y=\"16.00\" font-size=\"11\" text-anchor=\"middle\" font"
            "-family=\"sans-serif\">1</text><text x=\"155.00\" y=\"218\" font-size=\"12\" font-fami"
            "ly=\"sans-serif\" text-anchor=\"middle\">7 Dec</text><text x=\"445.00\" y=\"218\" font"
            "-size=\"12\" font-family=\"sans-serif\" text-anchor=\"middle\">8 Dec</text></svg></sec"
            "tion></body></html>\n");
  free(s);
  book_meta meta;
  gz_epub_make_meta(&f.e, &facts, "Digest", &meta);
  CHECK_STR(meta.creator, "Ann");
  CHECK_STR(meta.date, "2020-12-08T09:00:00Z");
  CHECK_STR(meta.modified, "2020-12-07T00:00:00Z");
  s = render(&f.e, opf, &meta);
  CHECK_STR(s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/"
            "opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"en\"><metadata xmlns:dc=\"h"
            "ttp://purl.org/dc/elements/1.1/\"><dc:identifier id=\"uid\">urn:uuid:1f49278d-def7-825"
            "0-9bd4-ee2ca5d4f092</dc:identifier><dc:title>Digest</dc:title><dc:language>en</dc:lang"
            "uage><dc:creator>Ann</dc:creator><dc:date>2020-12-08T09:00:00Z</dc:date><dc:publisher>"
            "gazette</dc:publisher><meta property=\"dcterms:modified\">2020-12-07T00:00:00Z</meta><"
            "/metadata><manifest><item id=\"title\" href=\"title.xhtml\" media-type=\"application/x"
            "html+xml\" properties=\"svg\"/><item id=\"nav\" href=\"nav.xhtml\" media-type=\"applic"
            "ation/xhtml+xml\" properties=\"nav\"/><item id=\"ncx\" href=\"toc.ncx\" media-type=\"a"
            "pplication/x-dtbncx+xml\"/><item id=\"css\" href=\"style.css\" media-type=\"text/css\""
            "/><item id=\"c1\" href=\"g0001.xhtml\" media-type=\"application/xhtml+xml\"/><item id="
            "\"c2\" href=\"g0002.xhtml\" media-type=\"application/xhtml+xml\"/></manifest><spine to"
            "c=\"ncx\"><itemref idref=\"title\"/><itemref idref=\"nav\"/><itemref idref=\"c1\"/><it"
            "emref idref=\"c2\"/></spine></package>\n");
  free(s);
  teardown(&f);
}

int main(void) {
  test_plan();
  test_chapter();
  test_nav_and_ncx();
  test_title_and_package();
  TEST_MAIN_END();
}
