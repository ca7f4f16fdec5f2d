/*
 * test_xhtml.c - the write options cleaned at the library's entry, BCP 47
 * tags, and the XHTML writer on an xmlTextWriter whose output fails: the
 * failure is kept and reported, never a shorter document taken for whole.
 */
#include <libxml/xmlIO.h>
#include <string.h>

#include "testing.h"
#include "write/xhtml.h"

static void test_clean_options(void) {
  static const struct {
    const char *in, *want;
  } cases[] = {
      {"Bad\x01Title", "BadTitle"},
      {"Bad\xffTitle", "Bad\xEF\xBF\xBDTitle"},
      {"  Two\t\tlines\nhere  ", "Two lines here"},
      {"C1 \xC2\x85 control", "C1 control"},
      {"cut \xE2\x82", "cut \xEF\xBF\xBD\xEF\xBF\xBD"}, /* a repair per byte */
      {"\x01\x02", ""},
      {"Вести \xE2\x80\x94 выпуск", "Вести \xE2\x80\x94 выпуск"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) {
    gz_write_options w, out;
    gz_write_options_init(&w);
    w.title = cases[i].in;
    w.author = cases[i].in;
    gz_arena arena;
    gz_arena_init(&arena, NULL);
    gz_error err;
    gz_error_clear(&err);
    CHECK_INT(gz_write_options_clean(&w, &out, &arena, &err), 0);
    CHECK_STR(out.title, cases[i].want);
    CHECK_STR(out.author, cases[i].want);
    CHECK_STR(out.lang, "en");
    gz_arena_clear(&arena);
  }
  /* no author stays no author */
  gz_write_options w, out;
  gz_write_options_init(&w);
  gz_arena arena;
  gz_arena_init(&arena, NULL);
  gz_error err;
  CHECK_INT(gz_write_options_clean(&w, &out, &arena, &err), 0);
  CHECK(out.author == NULL);
  CHECK_STR(out.title, "Digest");
  /* a bad language tag */
  w.lang = "en_US";
  CHECK_INT(gz_write_options_clean(&w, &out, &arena, &err), -1);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  CHECK_STR(err.message, "the language en_US is not a BCP 47 tag such as en, pt-BR or sr-Latn");
  gz_arena_clear(&arena);
}

static void test_lang_tags(void) {
  static const char *const good[] = {
      "en",         "pt-BR",          "zh-Hant-TW", "sr-Latn-RS",
      "de-CH-1996", "en-US-x-foo",    "x-private",  "i-klingon",
      "hy",         "es-419",         "tlh",        "en-GB-oed",
      "zh-min-nan", "sl-rozaj-biske", "zh-yue-HK",  "en-US-u-ca-gregory",
      "EN-us",      "ar-arb-Arab",
  };
  static const char *const bad[] = {
      "",
      "1234",
      "en_US",
      "e",
      "english-x",
      "en--US",
      "en-",
      "-en",
      "abcdefghi",
      "en-a",
      "en-US-",
      "x",
      "en-x",
      "en-Latn-Cyrl",
      "en-US-GB",
      "en-a-b",
      "en US",
      "é",
      "en-123456789",
      "ab-abc-abc-abc-abc",
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(good); i++)
    if (!gz_lang_tag_ok(good[i])) {
      fprintf(stderr, "well-formed tag refused: %s\n", good[i]);
      CHECK(0);
    }
  for (size_t i = 0; i < GZ_ARRAY_LEN(bad); i++)
    if (gz_lang_tag_ok(bad[i])) {
      fprintf(stderr, "malformed tag taken: %s\n", bad[i]);
      CHECK(0);
    }
}

/* ---- a writer whose output takes nothing ---- */

static int refused_writes;

static int refuse(void *ctx, const char *buf, int len) {
  (void)ctx, (void)buf, (void)len;
  refused_writes++;
  return -1;
}

static int close_io(void *ctx) {
  (void)ctx;
  return 0;
}

static void test_failing_writer(void) {
  static char text[20000];
  memset(text, 'a', sizeof text - 1);
  gz_run run = {.text = text, .len = (uint32_t)(sizeof text - 1)};
  gz_block blk;
  memset(&blk, 0, sizeof blk);
  blk.type = GZ_BLOCK_PARA;
  blk.text = text;
  blk.len = run.len;
  blk.n_runs = 1;
  blk.runs = &run;
  gz_body body = {&blk, 1};

  xmlOutputBufferPtr out = xmlOutputBufferCreateIO(refuse, close_io, NULL, NULL);
  CHECK(out != NULL);
  gz_xw x = {xmlNewTextWriter(out), false, NULL};
  CHECK(x.w != NULL);
  gz_xml_quiet q;
  gz_xml_quiet_begin(&q);
  gz_xhtml_start(&x, "en", "Title", true);
  gz_xhtml_body(&x, &body, 3);
  CHECK(x.failed);
  CHECK(refused_writes > 0);
  /* later calls do nothing, the end says so */
  int before = refused_writes;
  gz_xw_start(&x, "p");
  gz_xw_string(&x, "more");
  CHECK_INT(gz_xhtml_end(&x), -1);
  CHECK_INT(refused_writes, before);
  xmlFreeTextWriter(x.w);
  gz_xml_quiet_end(&q);
  CHECK(q.raised); /* libxml2 reported the write error, to q, not to stderr */

  /* the same on a memory buffer works and says so */
  xmlBufferPtr buf = xmlBufferCreate();
  gz_xw ok = {xmlNewTextWriterMemory(buf, 0), false, NULL};
  gz_xhtml_start(&ok, "en", "Title", true);
  gz_xhtml_body(&ok, &body, 3);
  CHECK_INT(gz_xhtml_end(&ok), 0);
  CHECK(!ok.failed);
  xmlFreeTextWriter(ok.w);
  CHECK(strstr((const char *)xmlBufferContent(buf), "<p>aaaa") != NULL);
  CHECK(strstr((const char *)xmlBufferContent(buf), "</p></body></html>") != NULL);
  xmlBufferFree(buf);
}

/* A block's own direction and language become attributes of its
 * element; a block as its article's gets none; a right-to-left book
 * says so on <html>. */
static void test_dir_lang(void) {
  static const char *const texts[] = {"مرحبا", "Hello", "One", "Two"};
  gz_run runs[4];
  gz_block blk[4];
  memset(blk, 0, sizeof blk);
  for (int i = 0; i < 4; i++) {
    runs[i] = (gz_run){.text = texts[i], .len = (uint32_t)strlen(texts[i])};
    blk[i] = (gz_block){
        .type = GZ_BLOCK_PARA, .text = texts[i], .len = runs[i].len, .n_runs = 1, .runs = &runs[i]};
  }
  blk[0].dir = GZ_DIR_RTL;
  blk[0].lang = "ar";
  blk[2].type = blk[3].type = GZ_BLOCK_ITEM;
  blk[2].item.depth = blk[3].item.depth = 1;
  blk[3].dir = GZ_DIR_LTR;
  gz_body body = {blk, 4};
  xmlBufferPtr buf = xmlBufferCreate();
  gz_xw x = {xmlNewTextWriterMemory(buf, 0), false, NULL};
  gz_xhtml_start_dir(&x, "he", GZ_DIR_RTL, "T", false);
  gz_xhtml_body(&x, &body, 3);
  CHECK_INT(gz_xhtml_end(&x), 0);
  xmlFreeTextWriter(x.w);
  const char *s = (const char *)xmlBufferContent(buf);
  CHECK(strstr(s,
               "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"he\" lang=\"he\" "
               "dir=\"rtl\">") != NULL);
  CHECK(strstr(s,
               "<body><p xml:lang=\"ar\" lang=\"ar\" dir=\"rtl\">مرحبا</p><p>Hello</p>"
               "<ul><li>One</li><li dir=\"ltr\">Two</li></ul></body>") != NULL);
  xmlBufferFree(buf);
}

int main(void) {
  test_clean_options();
  test_lang_tags();
  test_failing_writer();
  test_dir_lang();
  TEST_MAIN_END();
}
