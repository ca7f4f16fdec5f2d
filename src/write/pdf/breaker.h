/*
 * breaker.h - breaking a paragraph into lines by total fit: the
 * box/glue/penalty model and the optimum-fit algorithm of D. E. Knuth and
 * M. F. Plass, "Breaking Paragraphs into Lines", Software: Practice and
 * Experience 11 (1981) 1119-1184, and a first-fit mode over the same
 * model for comparison.
 *
 * The module knows nothing of fonts, text or PDF: the caller turns a
 * paragraph into items (boxes for the glyph runs between break
 * opportunities, glue for the spaces, penalties for hyphenation points
 * and other places a line may end) and gets back where the lines end and
 * how much each line's glue is to be stretched or shrunk.
 *
 * The demerits of a line ending at a break of penalty p, with badness b
 * (100 |r|^3 for an adjustment ratio r, at most 10,000) and line
 * penalty l, are (l + b)^2 + p^2 (p >= 0), (l + b)^2 - p^2 (p < 0) or
 * (l + b)^2 (a forced break); to them are added `fitness_demerits` when
 * its fitness class is not next to the previous line's, `flagged_demerits`
 * when it and the previous line both end flagged (hyphenated), and
 * `hyphen_run_demerits` for each hyphenated line beyond `max_hyphen_run`
 * in a row. That last limit is a large demerit, not a hard rule: a
 * paragraph that cannot be set otherwise keeps its third hyphen.
 *
 * Passes. Total fit first looks for breaks whose lines all have an
 * adjustment ratio of at most `tolerance`; when there are none, or when
 * a looser line could still give fewer demerits than what was found (its
 * badness alone would cost more: then the answer is final), it looks
 * again at `retry_tolerance`, and last in an emergency pass that takes
 * any looseness (badness 10,000 beyond 4.64) and lets a line be overfull
 * when it holds a single unbreakable stretch (a word or URL wider than
 * the line: the caller cuts it as it likes). The answer is so the
 * optimum over every breaking of that last kind whenever no penalty but
 * forced breaks is negative, and never has more demerits than the
 * first-fit breaking. Looseness is always 0.
 *
 * Cost: O(n * active) time for n items; active nodes are at most a few
 * per break position within one line's width (four fitness classes,
 * three hyphen-run states and the lines of distinct width), and never
 * more than PDF_KP_MAX_ACTIVE (the oldest go first: only hostile input
 * of thousands of zero-width items meets that bound). Memory is O(n),
 * from the allocator given to pdf_kp_init, kept for the next paragraph.
 */
#ifndef GZ_WRITE_PDF_BREAKER_H
#define GZ_WRITE_PDF_BREAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* A penalty of at least this forbids a break; at most its negative
 * forces one. */
#define PDF_KP_INF 10000.0
/* The badness of a line that cannot be set (TeX's inf_bad). */
#define PDF_KP_INF_BAD 10000.0
#define PDF_KP_MAX_ACTIVE 2048

typedef enum pdf_kp_type { PDF_KP_BOX = 0, PDF_KP_GLUE, PDF_KP_PENALTY } pdf_kp_type;

typedef struct pdf_kp_item {
  float width;   /* a penalty's width counts only when the line ends there */
  float stretch; /* glue, or an expandable box */
  float shrink;  /* glue, or an expandable box */
  float penalty; /* penalty: PDF_KP_INF or more forbids, -PDF_KP_INF or less forces */
  uint8_t type;  /* pdf_kp_type */
  bool flagged;  /* penalty: a hyphen (explicit or inserted) */
  bool fill;     /* glue: infinitely stretchable (the end of a ragged last line) */
} pdf_kp_item;

static inline pdf_kp_item pdf_kp_box(float width) {
  pdf_kp_item it = {width, 0, 0, 0, PDF_KP_BOX, false, false};
  return it;
}
/* A box whose width may grow or shrink by `by` (font expansion). */
static inline pdf_kp_item pdf_kp_box_expandable(float width, float by) {
  pdf_kp_item it = {width, by, by, 0, PDF_KP_BOX, false, false};
  return it;
}
static inline pdf_kp_item pdf_kp_glue(float width, float stretch, float shrink) {
  pdf_kp_item it = {width, stretch, shrink, 0, PDF_KP_GLUE, false, false};
  return it;
}
static inline pdf_kp_item pdf_kp_penalty(float width, float penalty, bool flagged) {
  pdf_kp_item it = {width, 0, 0, penalty, PDF_KP_PENALTY, flagged, false};
  return it;
}
/* The end of a paragraph whose last line is set ragged: no break before
 * an infinitely stretchable glue, then a forced break. Writes 3 items. */
void pdf_kp_para_end(pdf_kp_item out[3]);

typedef struct pdf_kp_params {
  /* Line i (from 0) is widths[i] wide, the last one given for the rest:
   * {first, rest} for an indented first line. n_widths >= 1. */
  const float *widths;
  size_t n_widths;
  double tolerance;           /* adjustment ratio of the first pass (1: 1 + stretch) */
  double retry_tolerance;     /* of the second pass */
  double line_penalty;        /* l: fewer lines are better (10) */
  double flagged_demerits;    /* two hyphenated lines in a row (3,000) */
  double fitness_demerits;    /* classes not next to each other (3,000) */
  int max_hyphen_run;         /* hyphenated lines in a row beyond which... (2) */
  double hyphen_run_demerits; /* ...each costs this (1e9); 0: no limit */
  bool greedy;                /* first fit: each line as full as its shrink allows */
} pdf_kp_params;

/* The defaults above (widths left NULL: set them). */
pdf_kp_params pdf_kp_defaults(void);

typedef struct pdf_kp_line {
  size_t start;    /* first item of the line (glue and penalties after a break dropped) */
  size_t end;      /* the break: a glue or penalty item (not drawn; a penalty's width
                      is), or n_items for a paragraph not ended by a forced break */
  double ratio;    /* stretch (> 0) or shrink (< 0) of the line's glue in units of its
                      stretch or shrink; 0 for a ragged last line, a line without glue
                      or an overfull line */
  double demerits; /* of this line */
  uint8_t fitness; /* 0 very loose, 1 loose, 2 decent, 3 tight */
  bool flagged;    /* ends with a hyphen */
  bool overfull;   /* wider than its width even with all glue shrunk */
} pdf_kp_line;

typedef struct pdf_kp_result {
  const pdf_kp_line *lines; /* owned by the pdf_kp, valid until its next use */
  size_t n_lines;
  double demerits; /* sum over the lines */
  int pass;        /* 0 first fit, 1 tolerance, 2 retry tolerance, 3 emergency */
  size_t n_overfull;
} pdf_kp_result;

struct pdf_kp_node;
/* The breaker's working memory, reused from paragraph to paragraph. */
typedef struct pdf_kp {
  const gz_allocator *al;
  double *sums; /* 3 per item boundary: width, stretch, shrink */
  uint32_t *fills;
  size_t cap_sums;
  struct pdf_kp_node *nodes;
  size_t n_nodes, cap_nodes;
  uint32_t *active;
  size_t n_active, cap_active;
  struct pdf_kp_node *cands; /* the best new node of each kind at one break */
  size_t cap_cands;
  pdf_kp_line *lines;
  size_t cap_lines;
} pdf_kp;

void pdf_kp_init(pdf_kp *k, const gz_allocator *al);
void pdf_kp_free(pdf_kp *k);

/* Breaks items[0 .. n) into lines (see above). A paragraph with no box
 * gives no line. Returns 0, or -1 when out of memory or the parameters
 * are unusable (no widths). */
int pdf_kp_break(pdf_kp *k, const pdf_kp_item *items, size_t n, const pdf_kp_params *p,
                 pdf_kp_result *out);

/* The badness of an adjustment ratio: 100 |r|^3, at most PDF_KP_INF_BAD. */
double pdf_kp_badness(double r);

#endif /* GZ_WRITE_PDF_BREAKER_H */
