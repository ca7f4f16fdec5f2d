/*
 * columns.c - an article's body in two columns (--columns 2 on A4 and
 * letter paper): down the left column, then the right, then the next
 * page's left, the title above them full width. At the article's end the
 * two columns of its last page are balanced: dry passes (laid out and
 * placed, nothing drawn) find where the left column of that page should
 * end for both to end nearest each other, then the body is drawn so.
 */
#include <stdint.h>

#include "write/pdf/pdf.h"

/* The gutter between the columns: 1.5 em of the body text. */
static float gutter(const pdf_ctx *c) { return 1.5f * c->g.body; }

static void set_bottom(pdf_ctx *c) {
  c->flow.bottom =
      c->cols.page == c->cols.bal_page && c->cols.col == 0 ? c->cols.bal_bottom : c->g.mb;
  c->flow.cut_short = c->flow.bottom > c->g.mb;
}

/* The flow's next page: the right column, or the next page's left one. */
static void next_column(void *user) {
  pdf_ctx *c = user;
  struct pdf_cols *k = &c->cols;
  if (k->col == 0) {
    k->left_end = c->flow.y;
    k->col = 1;
    c->flow.x = c->g.ml + c->flow.w + gutter(c);
    c->flow.y = k->top;
  } else {
    if (c->dry)
      c->flow.y = pdf_top(c);
    else if (!pdf_body_page(c))
      return;
    k->page++;
    k->col = 0;
    k->top = c->flow.y;
    c->flow.x = c->g.ml;
  }
  set_bottom(c);
}

/* The body laid out from `start` (the columns' flow at the top of the
 * body) with the columns of page `bal_page` ending at `bottom`. */
static int pass(pdf_ctx *c, const pdf_flow *start, size_t bal_page, float bottom, bool dry,
                const gz_body *body, uint8_t adir, const char *alang, pdf_missing *missing) {
  c->flow = *start;
  c->cols.col = 0;
  c->cols.top = start->y;
  c->cols.left_end = start->y;
  c->cols.page = 0;
  c->cols.bal_page = bal_page;
  c->cols.bal_bottom = bottom;
  set_bottom(c);
  c->dry = dry;
  int rc = pdf_draw_body(c, body, adir, alang, missing);
  c->dry = false;
  return rc;
}

int pdf_columns_body(pdf_ctx *c, const gz_body *body, uint8_t adir, const char *alang,
                     pdf_missing *missing) {
  pdf_flow full = c->flow;
  pdf_flow start = full;
  start.x = c->g.ml;
  start.w = (full.w - gutter(c)) / 2;
  start.new_page = next_column;
  start.user = c;
  /* characters no font has are told of once, by the pass that draws */
  pdf_missing scratch = {{0}, 0, 0};
  int rc = pass(c, &start, SIZE_MAX, c->g.mb, true, body, adir, alang, &scratch);
  size_t last = c->cols.page;
  /* the height of the last page's text, and half of it per column */
  float top = last == 0 ? start.y : pdf_top(c);
  float h = c->cols.col == 0 ? top - c->flow.y : (top - c->cols.left_end) + (top - c->flow.y);
  /* The left column of that page ends at a bottom found by trial, the
   * right one takes the rest: from three lines above half the height to
   * three below, by thirds of a line, the bottom whose columns end
   * nearest each other (the highest of equals). The keep rules move
   * whole lines and paragraphs, so a bottom is tried, not computed. */
  float best = c->g.mb, best_diff = -1;
  for (int j = -9; rc == 0 && h > 0 && j <= 9; j++) {
    float b = top - h / 2 + (float)j * c->g.leading / 3;
    if (b < c->g.mb || b >= top) continue;
    rc = pass(c, &start, last, b, true, body, adir, alang, &scratch);
    if (c->cols.page != last) continue;
    float left = c->cols.col == 1 ? c->cols.left_end : c->flow.y;
    float right = c->cols.col == 1 ? c->flow.y : top;
    float diff = left > right ? left - right : right - left;
    if (best_diff < 0 || diff < best_diff - 0.01f) best = b, best_diff = diff;
  }
  float fits = best;
  if (rc == 0) rc = pass(c, &start, last, fits, false, body, adir, alang, missing);
  /* what follows starts under both columns, full width */
  float y = c->cols.col == 1 && c->cols.left_end < c->flow.y ? c->cols.left_end : c->flow.y;
  c->flow = full;
  c->flow.y = y;
  c->cols.bal_page = SIZE_MAX;
  return rc;
}
