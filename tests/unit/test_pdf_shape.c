/*
 * test_pdf_shape.c - the PDF writer's shaped path (src/write/pdf/shape.c
 * with lines.c): which characters take it, the base direction and levels
 * of bidi paragraphs, one font per run of a shaped script, clusters and
 * their widths, and the CIDs that draw glyphs by id (fonts.c).
 *
 * The fonts are those scripts/install-deps.sh installs (DejaVu, Noto);
 * glyph counts are those of HarfBuzz with them: lam-alef is one glyph in
 * DejaVu Sans, Devanagari "कि" two (the vowel sign drawn first).
 */
#include <math.h>
#include <string.h>

#include "testing.h"
#include "util/util.h"
#include "write/pdf/pdf.h"

static void check_needs(void) {
  CHECK(!pdf_needs_shaping('a'));
  CHECK(!pdf_needs_shaping(0xE9));   /* é, precomposed */
  CHECK(pdf_needs_shaping(0x301));   /* combining acute */
  CHECK(pdf_needs_shaping(0x5D0));   /* Hebrew alef */
  CHECK(pdf_needs_shaping(0x627));   /* Arabic alef */
  CHECK(pdf_needs_shaping(0x915));   /* Devanagari ka */
  CHECK(pdf_needs_shaping(0xE01));   /* Thai ko kai */
  CHECK(!pdf_needs_shaping(0x10D0)); /* Georgian an */
  CHECK(!pdf_needs_shaping(0xAC00)); /* Hangul ga */
  CHECK(!pdf_needs_shaping(0x4E2D)); /* CJK */
  CHECK(pdf_needs_shaping(0x200F));  /* right-to-left mark */
  CHECK(pdf_needs_shaping(0x1F389)); /* party popper */
}

static float sum_widths(const pdf_para *p) {
  float w = 0;
  for (size_t i = 0; i < p->n_chars; i++) w += p->chars[i].width;
  return w;
}

static float sum_advances(const pdf_para *p) {
  float w = 0;
  for (size_t i = 0; i < p->n_glyphs; i++) w += p->glyphs[i].adv;
  return w;
}

static void layout(pdf_para *p, pdf_fonts *f, const char *s, uint8_t dir) {
  pdf_style st = pdf_plain_style(ROLE_SERIF, 10, 14, 0);
  st.dir = dir;
  CHECK_INT(pdf_para_layout(p, f, &st, s, strlen(s), NULL, 0, 1000, 1000, NULL), 0);
}

static void check_paragraphs(pdf_fonts *f, pdf_para *p) {
  /* Latin stays on the per-character path */
  layout(p, f, "plain words", GZ_DIR_ARTICLE);
  CHECK(!p->shaped);
  CHECK(!p->rtl);

  /* Arabic: right to left found from the text, one item, lam-alef joined */
  layout(p, f, "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", GZ_DIR_ARTICLE); /* سلام */
  CHECK(p->shaped);
  CHECK(p->rtl);
  CHECK_INT(p->n_chars, 4);
  CHECK_INT(p->n_items, 1);
  CHECK_INT(p->items[0].level, 1);
  CHECK_INT(p->n_glyphs, 3);
  /* in display order: mim first (logically last), seen left to right */
  CHECK_INT(p->glyphs[0].ch, 3);
  CHECK_INT(p->glyphs[1].ch, 1); /* lam-alef: chars 1 and 2 */
  CHECK_INT(p->glyphs[1].ch_end, 3);
  CHECK(p->glyphs[1].alone);
  CHECK(fabsf(sum_widths(p) - sum_advances(p)) < 0.01f);
  CHECK(p->chars[2].width == 0); /* the alef is inside the ligature */

  /* the same text in a block given as left to right: level 1 inside a
   * left-to-right paragraph */
  layout(p, f, "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", GZ_DIR_LTR);
  CHECK(!p->rtl);
  CHECK_INT(p->items[0].level, 1);

  /* Hebrew with an English name: two items, levels 1 and 2 */
  layout(p, f, "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D Daniel", GZ_DIR_RTL); /* שלום Daniel */
  CHECK(p->rtl);
  CHECK(p->n_items >= 2);
  CHECK_INT(p->items[0].level, 1);
  CHECK_INT(p->items[p->n_items - 1].level, 2);

  /* Devanagari "कि": one cluster of two glyphs, the vowel sign first */
  layout(p, f, "\xE0\xA4\x95\xE0\xA4\xBF", GZ_DIR_ARTICLE);
  CHECK(p->shaped);
  CHECK(!p->rtl);
  CHECK_INT(p->n_glyphs, 2);
  CHECK(p->glyphs[0].first);
  CHECK(!p->glyphs[0].alone);
  CHECK(!p->glyphs[1].first);
  CHECK_INT(p->glyphs[0].ch, 0);
  CHECK_INT(p->glyphs[0].ch_end, 2);
  CHECK(p->chars[0].width > 0);
  CHECK(p->chars[1].width == 0);
  /* the first glyph spans the cluster in the PDF's widths */
  int16_t font = p->items[0].font;
  int upem = (int)f->fonts[font].upem;
  CHECK(upem > 0);
  CHECK(abs(p->glyphs[0].width - (int)lroundf(sum_advances(p) * 1000.0f / 10.0f)) <= 1);
  /* the run took a Devanagari face, not the serif role's DejaVu */
  CHECK(strstr(f->fonts[font].path, "Devanagari") != NULL);
}

static void check_cids(pdf_fonts *f) {
  int dv = -1;
  for (size_t i = 0; i < f->n_fonts; i++)
    if (strstr(f->fonts[i].path, "Devanagari")) dv = (int)i;
  CHECK(dv >= 0);
  if (dv < 0) return;
  uint32_t ki[] = {0x915, 0x93F};
  int a = pdf_font_glyph_cid(f, dv, 100, ki, 2, 600);
  int b = pdf_font_glyph_cid(f, dv, 100, ki, 2, 600);
  int c = pdf_font_glyph_cid(f, dv, 100, ki, 1, 600);
  int d = pdf_font_glyph_cid(f, dv, 100, NULL, 0, 600);
  int e = pdf_font_glyph_cid(f, dv, 100, ki, 2, 500);
  /* the same glyph, text and width: the same CID; else a new one */
  CHECK_INT(a, b);
  CHECK(c != a && d != a && e != a && c != d && d != e);
  /* private-use CIDs the face does not map, in order */
  CHECK_INT(a, 0xE000);
  CHECK(c > a && c <= 0xF8FF);
  /* a glyph the face does not have gets none */
  CHECK_INT(pdf_font_glyph_cid(f, dv, 65535, ki, 1, 600), -1);
}

int main(void) {
  const gz_allocator *al = gz_default_allocator();
  HPDF_Doc pdf = HPDF_New(NULL, NULL);
  CHECK(pdf != NULL);
  if (!pdf) TEST_MAIN_END();
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCurrentEncoder(pdf, "UTF-8");
  gz_write_options w;
  gz_write_options_init(&w);
  gz_error err;
  gz_error_clear(&err);
  pdf_fonts fonts;
  CHECK_INT(pdf_fonts_init(&fonts, pdf, al, &w, &err), 0);
  pdf_para para;
  pdf_para_init(&para, al);
  check_needs();
  check_paragraphs(&fonts, &para);
  check_cids(&fonts);
  pdf_para_free(&para);
  pdf_fonts_free(&fonts);
  HPDF_Free(pdf);
  TEST_MAIN_END();
}
