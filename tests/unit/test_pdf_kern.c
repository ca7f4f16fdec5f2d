/*
 * test_pdf_kern.c - kerning of the PDF's text that is not shaped
 * (src/write/pdf/fonts.c, lines.c): the kern table's pairs in thousandths
 * of an em, and exact line widths with them, never across a space, a run
 * or a line's end.
 *
 * The figures are DejaVu Serif's (units per em 2048): A and V advance 1479
 * units (722/1000 em as libharu rounds), the space 651 (317); its 'kern'
 * table gives A V -102 units (-49.8: -50/1000 em), V A -139 (-68), T o
 * -159 (-78), and nothing for a v. At 10 points A is 7.22 points wide,
 * kerned before V 6.72.
 */
#include <math.h>
#include <string.h>

#include "testing.h"
#include "util/util.h"
#include "write/pdf/pdf.h"

typedef struct env {
  HPDF_Doc pdf;
  pdf_fonts fonts;
  pdf_para para;
} env;

/* Widths in hundredths of a point. */
#define CHECK_WIDTH(e, i, want) CHECK_INT(lroundf((e)->para.lines[i].width * 100), want)

static size_t lay_runs(env *e, const char *text, const gz_run *runs, size_t n_runs, float width) {
  pdf_style st = pdf_plain_style(ROLE_SERIF, 10, 12, 0);
  CHECK_INT(pdf_para_layout(&e->para, &e->fonts, &st, text, strlen(text), runs, n_runs, width,
                            width, NULL),
            0);
  return e->para.n_lines;
}

static size_t lay(env *e, const char *text, float width) {
  return lay_runs(e, text, NULL, 0, width);
}

static void check_pairs(env *e) {
  int serif = e->fonts.role[ROLE_SERIF], mono = e->fonts.role[ROLE_MONO];
  CHECK(strstr(e->fonts.fonts[serif].path, "DejaVuSerif.ttf") != NULL);
  CHECK_INT(pdf_font_width(&e->fonts, serif, 'A'), 722);
  CHECK_INT(pdf_font_kern(&e->fonts, serif, 'A', 'V'), -50);
  CHECK_INT(pdf_font_kern(&e->fonts, serif, 'V', 'A'), -68);
  CHECK_INT(pdf_font_kern(&e->fonts, serif, 'T', 'o'), -78);
  CHECK_INT(pdf_font_kern(&e->fonts, serif, 'a', 'v'), 0);
  /* no kern table in the monospace face */
  CHECK_INT(pdf_font_kern(&e->fonts, mono, 'A', 'V'), 0);
  /* outside the BMP, and no font */
  CHECK_INT(pdf_font_kern(&e->fonts, serif, 'A', 0x1F600), 0);
  CHECK_INT(pdf_font_kern(&e->fonts, -1, 'A', 'V'), 0);
  /* the cache: thousands of other pairs asked, the answers stay */
  int sum = 0;
  for (uint32_t l = 0x21; l < 0x7F; l++)
    for (uint32_t r = 0x21; r < 0x7F; r++) sum += pdf_font_kern(&e->fonts, serif, l, r);
  int again = 0;
  for (uint32_t l = 0x21; l < 0x7F; l++)
    for (uint32_t r = 0x21; r < 0x7F; r++) again += pdf_font_kern(&e->fonts, serif, l, r);
  CHECK_INT(again, sum);
  CHECK(sum < -5000);
  CHECK_INT(pdf_font_kern(&e->fonts, serif, 'A', 'V'), -50);
  CHECK_INT(pdf_font_kern(&e->fonts, serif, 'V', 'A'), -68);
}

static void check_widths(env *e) {
  /* 7.22 * 3 - 0.50 - 0.68 */
  CHECK_INT(lay(e, "AVA", 100), 1);
  CHECK_WIDTH(e, 0, 2048);
  CHECK_INT(lroundf(e->para.chars[0].kern * 100), -50);
  CHECK_INT(lroundf(e->para.chars[1].kern * 100), -68);
  CHECK_INT(lroundf(e->para.chars[2].kern * 100), 0);

  /* not across a space: 7.22 * 4 + 3.17 - 0.50 * 2 */
  CHECK_INT(lay(e, "AV AV", 100), 1);
  CHECK_WIDTH(e, 0, 3105);
  CHECK_INT(lroundf(e->para.chars[1].kern * 100), 0);

  /* not across runs, even of one font and style */
  const char *two = "AV";
  gz_run runs[2] = {{two, 1, 0, 0, NULL}, {two + 1, 1, 0, 0, NULL}};
  CHECK_INT(lay_runs(e, two, runs, 2, 100), 1);
  CHECK_WIDTH(e, 0, 1444);
  /* nor into a strong run (a bold face) */
  gz_run bold[2] = {{two, 1, 0, 0, NULL}, {two + 1, 1, GZ_STYLE_STRONG, 0, NULL}};
  CHECK_INT(lay_runs(e, two, bold, 2, 100), 1);
  CHECK_INT(lroundf(e->para.chars[0].kern * 100), 0);

  /* a word cut between characters: a line does without its last char's
   * kerning with the next line's first. At 21 points "AVA" takes 19.98
   * points with the A V kern after it, and is 20.48 wide without it;
   * "VAV" the same. */
  CHECK_INT(lay(e, "AVAVAV", 21), 2);
  CHECK_INT(e->para.lines[0].count, 3);
  CHECK_WIDTH(e, 0, 2048);
  CHECK_WIDTH(e, 1, 2048);
}

int main(void) {
  env e;
  memset(&e, 0, sizeof e);
  const gz_allocator *al = gz_default_allocator();
  e.pdf = HPDF_New(NULL, NULL);
  CHECK(e.pdf != NULL);
  if (!e.pdf) TEST_MAIN_END();
  HPDF_UseUTFEncodings(e.pdf);
  HPDF_SetCurrentEncoder(e.pdf, "UTF-8");
  gz_write_options w;
  gz_write_options_init(&w);
  gz_error err;
  gz_error_clear(&err);
  CHECK_INT(pdf_fonts_init(&e.fonts, e.pdf, al, &w, &err), 0);
  pdf_para_init(&e.para, al);
  check_pairs(&e);
  check_widths(&e);
  pdf_para_free(&e.para);
  pdf_fonts_free(&e.fonts);
  HPDF_Free(e.pdf);
  TEST_MAIN_END();
}
