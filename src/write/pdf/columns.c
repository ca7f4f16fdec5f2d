/*
 * columns.c - an article's body in two columns (--columns 2 on A4 and
 * letter paper): down the left column, then the right, then the next
 * page's left, the title above them full width. At the article's end the
 * two columns of its last page are balanced: dry passes (laid out and
 * placed, nothing drawn) find where the left column of that page should
 * end for both to end nearest each other; columns still more than a
 * line apart then have the shorter one's spaces between blocks
 * stretched (see ragged_limit). Then the body is drawn so.
 */
#include <math.h>
#include <stdint.h>

#include "write/pdf/pdf.h"

/* The gutter between the columns: 1.5 em of the body text. */
static float gutter(const pdf_ctx *c) { return 1.5f * c->g.body; }

/* Balanced columns may end up to a line apart, as LaTeX's multicol sets
 * them with \raggedcolumns. Beyond that the shorter one's spaces between
 * blocks stretch, each by half a line at most, to end a line above the
 * other; and when that leaves them over two lines apart, by a line at
 * most, to end two lines above it (more would read as a break in the
 * text rather than as the space between paragraphs). Still over two
 * lines apart, the shorter one's lines move apart by a tenth of their
 * leading at most, and the longer one's spaces shrink by half at most,
 * too little either to be seen next to the other column. */
static float ragged_limit(const pdf_ctx *c) { return c->g.leading; }

/* How much the spaces under a column's last line were stretched (or
 * shrunk): none are seen, and what follows the columns begins as it
 * would without. */
static float trail(const pdf_flow *f) {
  return f->gap_stretch * (float)(f->gaps - f->gaps_filled) -
         f->gap_shrink * (f->gap_sum - f->gap_sum_filled);
}

static void set_bottom(pdf_ctx *c) {
  const struct pdf_cols *k = &c->cols;
  const pdf_balance *b = &k->bal;
  bool bal = k->page == b->page;
  c->flow.bottom = bal && k->col == 0 ? b->bottom : c->g.mb;
  c->flow.cut_short = c->flow.bottom > c->g.mb;
  bool shorter = bal && k->col == b->stretch_col;
  c->flow.gap_stretch = shorter ? b->stretch : 0;
  c->flow.line_stretch = shorter ? b->line_stretch : 0;
  c->flow.gap_shrink = bal && b->stretch_col >= 0 && !shorter ? b->shrink : 0;
  c->flow.lines = 0;
  c->flow.gaps = c->flow.gaps_filled = 0;
  c->flow.gap_sum = c->flow.gap_sum_filled = 0;
  c->flow.ink = c->flow.y;
}

/* The flow's next page: the right column, or the next page's left one. */
static void next_column(void *user) {
  pdf_ctx *c = user;
  struct pdf_cols *k = &c->cols;
  if (k->col == 0) {
    k->left = c->flow;
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

/* Where a pass left the last page's columns: each column's flow as it
 * ended (the right one, when empty, at the top with nothing set). */
typedef struct col_ends {
  size_t page; /* the body's last page */
  bool both;   /* the right column holds text */
  pdf_flow col[2];
  float next; /* where what follows may begin: under both, and the space after their text */
} col_ends;

/* The body laid out from `start` (the columns' flow at the top of the
 * body) with its columns ended as `bal` says. */
static int pass(pdf_ctx *c, const pdf_flow *start, const pdf_balance *bal, bool dry,
                const gz_body *body, uint8_t adir, const char *alang, pdf_missing *missing,
                col_ends *ends) {
  struct pdf_cols *k = &c->cols;
  c->flow = *start;
  k->col = 0;
  k->top = start->y;
  k->page = 0;
  k->bal = *bal;
  set_bottom(c);
  c->dry = dry;
  int rc = pdf_draw_body(c, body, adir, alang, missing);
  c->dry = false;
  ends->page = k->page;
  ends->both = k->col == 1;
  if (ends->both) {
    ends->col[0] = k->left;
    ends->col[1] = c->flow;
  } else {
    ends->col[0] = c->flow;
    pdf_flow empty = {0};
    empty.y = empty.ink = k->top;
    ends->col[1] = empty;
  }
  float left_end = ends->col[0].y + trail(&ends->col[0]);
  float right_end = ends->col[1].y + trail(&ends->col[1]);
  ends->next = left_end < right_end ? left_end : right_end;
  return rc;
}

static float apart(const col_ends *e) { return fabsf(e->col[0].ink - e->col[1].ink); }

/* How far `b` moves the end of column `col` of `e` down (up: < 0). */
static float moved_by(const pdf_balance *b, const col_ends *e, int col) {
  const pdf_flow *f = &e->col[col];
  if (b->stretch_col < 0) return 0;
  if (col != b->stretch_col) return -b->shrink * f->gap_sum_filled;
  return b->stretch * (float)f->gaps_filled +
         (f->lines > 1 ? b->line_stretch * (float)(f->lines - 1) : 0);
}

/* The stretch of the shorter column of `e` (see ragged_limit); the left
 * column's bottom goes down by as much as its spaces take. */
static pdf_balance stretch_shorter(const pdf_ctx *c, const col_ends *e, float bottom) {
  pdf_balance b = {e->page, bottom, -1, 0, 0, 0};
  float l = c->g.leading;
  float d = apart(e);
  if (!e->both || d <= ragged_limit(c) + 0.01f) return b;
  int shorter = e->col[0].ink > e->col[1].ink ? 0 : 1;
  b.stretch_col = shorter;
  float gaps = (float)e->col[shorter].gaps_filled;
  unsigned lines = e->col[shorter].lines;
  if (gaps > 0) {
    float want = (d - ragged_limit(c)) / gaps;
    b.stretch = want < l / 2 ? want : l / 2;
    if (d - b.stretch * gaps > 2 * l) {
      b.stretch = (d - 2 * l) / gaps;
      if (b.stretch > l) b.stretch = l;
    }
  }
  float over = d - b.stretch * gaps - 2 * l;
  if (over > 0.01f && lines > 1) {
    b.line_stretch = over / (float)(lines - 1);
    if (b.line_stretch > l / 10) b.line_stretch = l / 10;
    over -= b.line_stretch * (float)(lines - 1);
  }
  float long_gaps = e->col[1 - shorter].gap_sum_filled;
  if (over > 0.01f && long_gaps > 0) {
    b.shrink = over / long_gaps;
    if (b.shrink > 0.5f) b.shrink = 0.5f;
  }
  /* the left column holds the same text: its bottom moves with it */
  b.bottom -= moved_by(&b, e, 0);
  if (b.bottom < c->g.mb) b.bottom = c->g.mb;
  return b;
}

/* The body being set in columns, and where it starts. */
typedef struct col_body {
  const pdf_flow *start;
  const gz_body *body;
  uint8_t adir;
  const char *alang;
  pdf_missing *scratch; /* characters no font has are told of by the pass that draws */
} col_body;

static int dry(pdf_ctx *c, const col_body *cb, const pdf_balance *bal, col_ends *ends) {
  return pass(c, cb->start, bal, true, cb->body, cb->adir, cb->alang, cb->scratch, ends);
}

/* How the body's last page is best ended: `bal` and its columns' ends,
 * `apart` how far apart their last lines are then. */
typedef struct col_plan {
  pdf_balance bal;
  col_ends ends;
  float apart;
} col_plan;

static int plan_columns(pdf_ctx *c, const col_body *cb, col_plan *plan) {
  col_ends ends;
  pdf_balance none = {SIZE_MAX, c->g.mb, -1, 0, 0, 0};
  int rc = dry(c, cb, &none, &ends);
  size_t last = ends.page;
  plan->bal = none;
  plan->ends = ends;
  plan->apart = apart(&ends);
  /* the height of the last page's text, and half of it per column */
  float top = last == 0 ? cb->start->y : pdf_top(c);
  float h = (top - ends.col[0].ink) + (top - ends.col[1].ink);
  /* The left column of that page ends at a bottom found by trial, the
   * right one takes the rest: from three lines above half the height to
   * three below, by thirds of a line, the bottom whose columns end
   * nearest each other (the highest of equals). The keep rules move
   * whole lines and paragraphs, so a bottom is tried, not computed. */
  float best_diff = -1;
  for (int j = -9; rc == 0 && h > 0 && j <= 9; j++) {
    pdf_balance b = {last, top - h / 2 + (float)j * c->g.leading / 3, -1, 0, 0, 0};
    if (b.bottom < c->g.mb || b.bottom >= top) continue;
    rc = dry(c, cb, &b, &ends);
    if (ends.page != last) continue;
    float diff = apart(&ends);
    if (best_diff < 0 || diff < best_diff - 0.01f) {
      plan->bal = b, plan->ends = ends, plan->apart = best_diff = diff;
    }
  }
  /* The shorter column stretched, when the stretched pass sets the same
   * text in each column: each ends where its spaces' stretch moves it
   * (a lower bottom could let more text in, or a picture grow). */
  if (rc == 0 && best_diff > ragged_limit(c)) {
    pdf_balance b = stretch_shorter(c, &plan->ends, plan->bal.bottom);
    if (b.stretch > 0 || b.line_stretch > 0 || b.shrink > 0) {
      rc = dry(c, cb, &b, &ends);
      float left = plan->ends.col[0].ink - moved_by(&b, &plan->ends, 0);
      float right = plan->ends.col[1].ink - moved_by(&b, &plan->ends, 1);
      bool same = ends.page == last && ends.both && fabsf(ends.col[0].ink - left) < 0.05f &&
                  fabsf(ends.col[1].ink - right) < 0.05f;
      if (same) plan->bal = b, plan->ends = ends, plan->apart = apart(&ends);
    }
  }
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
  pdf_missing scratch = {{0}, 0, 0};
  col_body cb = {&start, body, adir, alang, &scratch};
  col_plan plan;
  int rc = plan_columns(c, &cb, &plan);
  if (rc == 0) rc = pass(c, &start, &plan.bal, false, body, adir, alang, missing, &plan.ends);
  /* what follows starts under both columns, full width */
  c->flow = full;
  c->flow.y = plan.ends.next;
  c->cols.bal.page = SIZE_MAX;
  return rc;
}
