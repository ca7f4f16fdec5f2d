/*
 * test_pdf_flow.c - the PDF writer's flow (src/write/pdf/lines.c and
 * flow.c): exact line breaks of known text at known widths, and exact
 * page breaks of known paragraphs on a page of known height.
 *
 * Lines are measured in DejaVu Sans Mono (the monospace role), whose
 * every advance is 602/1000 em: at 10 points a character is 6.02 points
 * wide, so a width of 61 points holds 10 characters and the breaks can
 * be worked out by hand.
 */
#include <math.h>
#include <string.h>

#include "testing.h"
#include "util/util.h"
#include "write/pdf/pdf.h"

/* ---- lines onto pages: a page 300 points high, its top at 400 ---- */

typedef struct fake_pages {
  pdf_flow *flow;
  int pages; /* pages begun after the first */
} fake_pages;

static void next_page(void *user) {
  fake_pages *fp = user;
  fp->pages++;
  fp->flow->y = 400;
}

/* Places n lines of leading 20 from y; page[i] and top[i] receive the
 * page (0: the one the paragraph started on) and top of each line. */
static void place_lines(size_t n, float y, int *page, float *top) {
  fake_pages fp = {NULL, 0};
  pdf_flow f = {.y = y, .bottom = 100, .new_page = next_page, .user = &fp, .w = 400};
  fp.flow = &f;
  for (size_t i = 0; i < n; i++) {
    top[i] = pdf_flow_line(&f, i, n, 20);
    page[i] = fp.pages;
  }
}

static void check_pages(void) {
  int page[64];
  float top[64];

  /* room for all: no break, one line under the other */
  place_lines(5, 400, page, top);
  for (int i = 0; i < 5; i++) {
    CHECK_INT(page[i], 0);
    CHECK_INT(lroundf(top[i]), 400 - 20 * i);
  }

  /* a single line that does not fit goes to the next page */
  place_lines(1, 115, page, top);
  CHECK_INT(page[0], 1);
  CHECK_INT(lroundf(top[0]), 400);
  /* one that just fits stays: 120 - 20 reaches the bottom, no lower */
  place_lines(1, 120, page, top);
  CHECK_INT(page[0], 0);
  CHECK_INT(lroundf(top[0]), 120);

  /* no single first line at the foot: room for one line, not two */
  place_lines(3, 135, page, top);
  CHECK_INT(page[0], 1);
  CHECK_INT(page[2], 1);
  CHECK_INT(lroundf(top[0]), 400);
  CHECK_INT(lroundf(top[2]), 360);
  place_lines(2, 139, page, top);
  CHECK_INT(page[0], 1);
  CHECK_INT(page[1], 1);
  /* with room for two, the first two stay */
  place_lines(2, 140, page, top);
  CHECK_INT(page[0], 0);
  CHECK_INT(page[1], 0);
  CHECK_INT(lroundf(top[1]), 120);

  /* no single last line at the top of the next page, and two lines on
   * each side of a break: a paragraph of three lines, with room for two,
   * goes whole to the next page */
  place_lines(3, 150, page, top);
  CHECK_INT(page[0], 1);
  CHECK_INT(page[1], 1);
  CHECK_INT(page[2], 1);
  CHECK_INT(lroundf(top[0]), 400);
  CHECK_INT(lroundf(top[1]), 380);
  CHECK_INT(lroundf(top[2]), 360);

  /* 20 lines from the top: 15 fit (the 15th at 120), 5 go over */
  place_lines(20, 400, page, top);
  CHECK_INT(page[14], 0);
  CHECK_INT(lroundf(top[14]), 120);
  CHECK_INT(page[15], 1);
  CHECK_INT(lroundf(top[15]), 400);
  CHECK_INT(page[19], 1);

  /* 16 lines: the 15th would leave the 16th alone, so both go over */
  place_lines(16, 400, page, top);
  CHECK_INT(page[13], 0);
  CHECK_INT(lroundf(top[13]), 140);
  CHECK_INT(page[14], 1);
  CHECK_INT(lroundf(top[14]), 400);
  CHECK_INT(page[15], 1);
  CHECK_INT(lroundf(top[15]), 380);

  /* 40 lines: two full pages and ten on the third */
  place_lines(40, 400, page, top);
  CHECK_INT(page[29], 1);
  CHECK_INT(page[30], 2);
  CHECK_INT(page[39], 2);
  CHECK_INT(lroundf(top[39]), 220);
}

/* ---- lines into columns, the second cut short (ending at 350, as the
 * left column of a balanced page ends above the foot) ---- */

typedef struct fake_cols {
  pdf_flow *flow;
  int col; /* columns begun after the first */
} fake_cols;

static void next_col(void *user) {
  fake_cols *fc = user;
  fc->col++;
  fc->flow->y = 400;
  fc->flow->bottom = fc->col == 1 ? 350 : 100;
  fc->flow->cut_short = fc->col == 1;
}

/* Places 6 lines of leading 20 from 200 (room for five), their last two
 * kept with `after` points below them, then ensures `after`; col[i] and
 * top[i] receive the column and top of each line, *after_col the column
 * of what follows. */
static void place_cols(float after, int *col, float *top, int *after_col) {
  fake_cols fc = {NULL, 0};
  pdf_flow f = {.y = 200, .bottom = 100, .new_page = next_col, .user = &fc, .w = 400};
  fc.flow = &f;
  for (size_t i = 0; i < 6; i++) {
    top[i] = pdf_flow_line_keep(&f, i, 6, 20, after);
    col[i] = fc.col;
  }
  pdf_flow_ensure(&f, after);
  *after_col = fc.col;
}

static void check_cut_short(void) {
  int col[6], after_col;
  float top[6];
  /* the last two lines do not fit the first column; the short second
   * holds them (40 of its 50 points) */
  place_cols(0, col, top, &after_col);
  CHECK_INT(col[3], 0);
  CHECK_INT(lroundf(top[3]), 140);
  CHECK_INT(col[4], 1);
  CHECK_INT(lroundf(top[4]), 400);
  CHECK_INT(col[5], 1);
  CHECK_INT(lroundf(top[5]), 380);
  /* with 40 points kept under them (an article's closing lines) it does
   * not: they go on to the third, never leaving what they keep alone at
   * the top of a column */
  place_cols(40, col, top, &after_col);
  CHECK_INT(col[3], 0);
  CHECK_INT(col[4], 2);
  CHECK_INT(lroundf(top[4]), 400);
  CHECK_INT(col[5], 2);
  CHECK_INT(lroundf(top[5]), 380);
  CHECK_INT(after_col, 2);
}

/* Spaces between blocks: stretched by gap_stretch or shrunk by a share
 * (gap_shrink), and counted as filled only when something is set under
 * them in the same column (a space at a column's foot moves nothing that
 * is seen); lines but a column's first moved apart by line_stretch. */
static void check_gaps(void) {
  fake_cols fc = {NULL, 0};
  pdf_flow f = {.y = 200, .bottom = 100, .new_page = next_col, .user = &fc, .w = 400};
  fc.flow = &f;
  f.gap_stretch = 3;
  pdf_flow_gap(&f, 6);
  CHECK_INT(lroundf(f.y), 191);
  CHECK_INT((int)f.gaps, 1);
  CHECK_INT((int)f.gaps_filled, 0);
  CHECK_INT(lroundf(pdf_flow_line(&f, 0, 1, 20)), 191);
  CHECK_INT((int)f.gaps_filled, 1);
  pdf_flow_gap(&f, 6);
  pdf_flow_gap(&f, 6);
  CHECK_INT(lroundf(f.y), 153);
  CHECK_INT((int)f.gaps, 3);
  CHECK_INT((int)f.gaps_filled, 1);
  pdf_flow_filled(&f); /* a picture under them */
  CHECK_INT((int)f.gaps_filled, 3);
  CHECK_INT(lroundf(f.gap_sum_filled), 18);
  CHECK_INT(lroundf(f.ink), 153);
  /* lines moved apart (not the column's first), spaces shrunk by half */
  f.gap_stretch = 0;
  f.gap_shrink = 0.5f;
  f.line_stretch = 2;
  pdf_flow_gap(&f, 6);
  CHECK_INT(lroundf(f.y), 150);
  CHECK_INT(lroundf(pdf_flow_line(&f, 0, 1, 20)), 148);
  CHECK_INT(lroundf(f.ink), 128);
  CHECK_INT(lroundf(f.gap_sum), 24);
  CHECK_INT((int)f.lines, 2);
}

/* ---- text into lines ---- */

typedef struct env {
  HPDF_Doc pdf;
  pdf_fonts fonts;
  pdf_para para;
} env;

/* Line i of the paragraph as text (the characters it shows, trailing
 * spaces left out). */
static const char *line_text(const pdf_para *p, size_t i, char *buf, size_t cap) {
  size_t n = 0;
  if (i >= p->n_lines) return "(no such line)";
  const pdf_line *l = &p->lines[i];
  uint32_t end = l->first + l->count;
  while (end > l->first && p->chars[end - 1].space) end--;
  for (uint32_t k = l->first; k < end && n + 5 < cap; k++)
    if (!p->chars[k].invisible) n += gz_utf8_encode(p->chars[k].cp, buf + n);
  buf[n] = '\0';
  return buf;
}

/* Lays out text in the monospace role at 10 points; returns the count
 * of lines. */
static size_t lay(env *e, const char *text, float first, float width, bool pre, bool ellipsis) {
  pdf_style st = pdf_plain_style(ROLE_MONO, 10, 12, 0);
  st.pre = pre;
  st.nowrap_ellipsis = ellipsis;
  CHECK_INT(
      pdf_para_layout(&e->para, &e->fonts, &st, text, strlen(text), NULL, 0, first, width, NULL),
      0);
  return e->para.n_lines;
}

#define CHECK_LINE(e, i, want)                                  \
  do {                                                          \
    char b_[256];                                               \
    CHECK_STR(line_text(&(e)->para, (i), b_, sizeof b_), want); \
  } while (0)

/* Widths in hundredths of a point. */
#define CHECK_WIDTH(e, i, want) CHECK_INT(lroundf((e)->para.lines[i].width * 100), want)

static void check_lines(env *e) {
  /* the measure the expectations rest on */
  int mono = e->fonts.role[ROLE_MONO];
  CHECK(mono >= 0 && strstr(e->fonts.fonts[mono].path, "DejaVuSansMono") != NULL);
  CHECK_INT(pdf_font_width(&e->fonts, mono, 'a'), 602);
  CHECK_INT(pdf_font_width(&e->fonts, mono, ' '), 602);
  CHECK_INT(lroundf(pdf_text_width(&e->fonts, ROLE_MONO, 10, "abcde") * 100), 3010);

  /* greedy filling at 10 characters a line */
  CHECK_INT(lay(e, "the quick brown fox jumps over the lazy dog", 61, 61, false, false), 5);
  CHECK_LINE(e, 0, "the quick");
  CHECK_LINE(e, 1, "brown fox");
  CHECK_LINE(e, 2, "jumps over");
  CHECK_LINE(e, 3, "the lazy");
  CHECK_LINE(e, 4, "dog");
  CHECK_WIDTH(e, 0, 5418);
  CHECK_WIDTH(e, 2, 6020);
  CHECK_WIDTH(e, 4, 1806);

  /* one point less and "jumps over" no longer fits */
  CHECK_INT(lay(e, "the quick brown fox jumps over the lazy dog", 60, 60, false, false), 5);
  CHECK_LINE(e, 2, "jumps");
  CHECK_LINE(e, 3, "over the");
  CHECK_LINE(e, 4, "lazy dog");

  /* leading spaces are dropped, runs of spaces stay inside a line */
  CHECK_INT(lay(e, "   ab  cd", 61, 61, false, false), 1);
  CHECK_LINE(e, 0, "ab  cd");

  /* a narrower first line */
  CHECK_INT(lay(e, "aaaa bbbb cccc dddd", 31, 61, false, false), 3);
  CHECK_LINE(e, 0, "aaaa");
  CHECK_LINE(e, 1, "bbbb cccc");
  CHECK_LINE(e, 2, "dddd");

  /* a word longer than the line is cut between characters */
  CHECK_INT(lay(e, "abcdefghijklmnopqrstuvwxy", 61, 61, false, false), 3);
  CHECK_LINE(e, 0, "abcdefghij");
  CHECK_LINE(e, 1, "klmnopqrst");
  CHECK_LINE(e, 2, "uvwxy");

  /* a break after a hyphen, where Unicode allows one */
  CHECK_INT(lay(e, "well-known words", 61, 61, false, false), 2);
  CHECK_LINE(e, 0, "well-known");
  CHECK_LINE(e, 1, "words");
  CHECK_INT(lay(e, "co-operation", 61, 61, false, false), 2);
  CHECK_LINE(e, 0, "co-");
  CHECK_LINE(e, 1, "operation");

  /* preformatted: line feeds break, spaces are kept */
  CHECK_INT(lay(e, "a\n  b\n\nc", 61, 61, true, false), 4);
  CHECK_LINE(e, 0, "a");
  CHECK_LINE(e, 1, "  b");
  CHECK_LINE(e, 2, "");
  CHECK_LINE(e, 3, "c");

  /* one line cut with an ellipsis where it fits */
  CHECK_INT(lay(e, "the quick brown fox", 61, 61, false, true), 1);
  CHECK_LINE(e, 0, "the quick\xE2\x80\xA6");
  CHECK_WIDTH(e, 0, 6020);
  CHECK_INT(lay(e, "the quick", 61, 61, false, true), 1);
  CHECK_LINE(e, 0, "the quick");

  /* nothing to lay out */
  CHECK_INT(lay(e, "", 61, 61, false, false), 0);
}

/* Lines then pages: the first paragraph above, from near the foot. */
static void check_lines_onto_pages(env *e) {
  size_t n = lay(e, "the quick brown fox jumps over the lazy dog", 61, 61, false, false);
  CHECK_INT(n, 5);
  int page[8];
  float top[8];
  place_lines(n, 150, page, top);
  int want[5] = {0, 0, 1, 1, 1};
  for (size_t i = 0; i < n; i++) CHECK_INT(page[i], want[i]);
  CHECK_INT(lroundf(top[1]), 130);
  CHECK_INT(lroundf(top[2]), 400);
}

int main(void) {
  check_pages();
  check_cut_short();
  check_gaps();

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
  check_lines(&e);
  check_lines_onto_pages(&e);
  pdf_para_free(&e.para);
  pdf_fonts_free(&e.fonts);
  HPDF_Free(e.pdf);
  TEST_MAIN_END();
}
