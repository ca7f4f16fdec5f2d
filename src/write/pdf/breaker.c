/*
 * breaker.c - total-fit and first-fit line breaking over boxes, glue and
 * penalties (see breaker.h; the algorithm is Knuth and Plass's, 1981).
 *
 * Every break the search keeps is a node: where it is, the line it ends,
 * that line's fitness class and how many hyphenated lines in a row end
 * there. The active nodes are those from which a line may still reach
 * the break being looked at; at each legal break the best new node of
 * each kind (line width class, fitness, hyphen run) is kept, so the
 * nodes at one position are few.
 */
#include "write/pdf/breaker.h"

#include <math.h>
#include <string.h>

typedef struct pdf_kp_node {
  size_t pos;      /* the break item (SIZE_MAX: the paragraph's start) */
  size_t start;    /* first item of the line after it */
  uint32_t prev;   /* the node before, UINT32_MAX at the start */
  uint32_t line;   /* lines ended here */
  double total;    /* demerits up to here */
  double ratio;    /* of the line ending here */
  double demerits; /* of the line ending here */
  uint8_t fitness;
  uint8_t run; /* hyphenated lines in a row ending here (capped) */
  bool flagged, overfull;
  bool seen_break; /* a legal break was met after it */
} node;

#define NONE UINT32_MAX

void pdf_kp_para_end(pdf_kp_item out[3]) {
  out[0] = pdf_kp_penalty(0, (float)PDF_KP_INF, false);
  out[1] = pdf_kp_glue(0, 0, 0);
  out[1].fill = true;
  out[2] = pdf_kp_penalty(0, (float)-PDF_KP_INF, false);
}

pdf_kp_params pdf_kp_defaults(void) {
  pdf_kp_params p;
  memset(&p, 0, sizeof p);
  p.tolerance = 1.0;
  p.retry_tolerance = 2.0;
  p.line_penalty = 10;
  p.flagged_demerits = 3000;
  p.fitness_demerits = 3000;
  p.max_hyphen_run = 2;
  p.hyphen_run_demerits = 1e9;
  return p;
}

void pdf_kp_init(pdf_kp *k, const gz_allocator *al) {
  memset(k, 0, sizeof *k);
  k->al = al;
}

void pdf_kp_free(pdf_kp *k) {
  const gz_allocator *al = k->al;
  gz_free(al, k->sums);
  gz_free(al, k->fills);
  gz_free(al, k->nodes);
  gz_free(al, k->active);
  gz_free(al, k->cands);
  gz_free(al, k->lines);
  pdf_kp_init(k, al);
}

double pdf_kp_badness(double r) {
  if (!(r == r)) return PDF_KP_INF_BAD;
  double a = fabs(r);
  if (a >= 4.65) return PDF_KP_INF_BAD; /* 100 * 4.65^3 > 10,000 */
  double b = 100.0 * a * a * a;
  return b > PDF_KP_INF_BAD ? PDF_KP_INF_BAD : b;
}

/* ---- the paragraph as seen by every pass ---- */

typedef struct para {
  const pdf_kp_item *items;
  size_t n;
  const double *sums;
  const uint32_t *fills;
  const pdf_kp_params *p;
  int limit;   /* hyphenated lines in a row before demerits; 0: no limit */
  int max_run; /* run states kept: 1 when there is no limit (flagged or not) */
} para;

static bool is_forced(const para *q, size_t b) {
  return b >= q->n || (q->items[b].type == PDF_KP_PENALTY && q->items[b].penalty <= -PDF_KP_INF);
}

static bool is_legal(const para *q, size_t b) {
  if (b >= q->n) return true; /* the end of items that lack a forced break */
  const pdf_kp_item *it = &q->items[b];
  if (it->type == PDF_KP_PENALTY) return it->penalty < PDF_KP_INF;
  if (it->type == PDF_KP_GLUE) return b > 0 && q->items[b - 1].type == PDF_KP_BOX;
  return false;
}

/* The first item of a line after a break at pos: glue and unforced
 * penalties are dropped at a line's start, as at a break. */
static size_t line_start(const para *q, size_t from) {
  size_t j = from;
  while (j < q->n && q->items[j].type != PDF_KP_BOX && !is_forced(q, j)) j++;
  return j;
}

static double width_of(const para *q, size_t line) {
  const pdf_kp_params *p = q->p;
  return p->widths[line < p->n_widths ? line : p->n_widths - 1];
}

typedef enum { LINE_SKIP, LINE_FITS, LINE_LOOSE, LINE_OVERFULL } line_kind;

/* The adjustment ratio of the line from node a to break b. */
static line_kind measure(const para *q, const node *a, size_t b, double *ratio) {
  size_t s = a->start;
  *ratio = 0;
  if (s >= b) return is_forced(q, b) ? LINE_FITS : LINE_SKIP; /* an empty line */
  double w = q->sums[3 * b] - q->sums[3 * s];
  double y = q->sums[3 * b + 1] - q->sums[3 * s + 1];
  double z = q->sums[3 * b + 2] - q->sums[3 * s + 2];
  uint32_t f = q->fills[b] - q->fills[s];
  if (b < q->n && q->items[b].type == PDF_KP_PENALTY) w += q->items[b].width;
  double shortfall = width_of(q, a->line) - w;
  if (fabs(shortfall) < 1e-6) return LINE_FITS;
  if (shortfall > 0) {
    if (f > 0) return LINE_FITS; /* ragged: the fill takes it */
    if (y <= 0) {
      *ratio = INFINITY;
      return LINE_LOOSE;
    }
    *ratio = shortfall / y;
    return LINE_LOOSE;
  }
  if (z <= 0 || shortfall / z < -1.0) {
    *ratio = z > 0 ? shortfall / z : -INFINITY;
    return LINE_OVERFULL;
  }
  *ratio = shortfall / z;
  return LINE_FITS;
}

static uint8_t fitness_of(double r, bool overfull) {
  if (overfull) return 3;
  if (r > 1) return 0;
  if (r > 0.5) return 1;
  if (r >= -0.5) return 2;
  return 3;
}

/* The node a line from a to b makes, with its demerits. */
static node make_node(const para *q, const node *a, uint32_t ai, size_t b, double r,
                      bool overfull) {
  const pdf_kp_params *p = q->p;
  node c;
  memset(&c, 0, sizeof c);
  c.pos = b;
  c.start = line_start(q, b + 1 > q->n ? q->n : b + 1);
  c.prev = ai;
  c.line = a->line + 1;
  c.overfull = overfull;
  c.ratio = overfull || !isfinite(r) ? 0 : r;
  double bad = overfull ? PDF_KP_INF_BAD : pdf_kp_badness(r);
  double d = p->line_penalty + bad;
  d *= d;
  double pen = 0;
  if (b < q->n && q->items[b].type == PDF_KP_PENALTY) {
    pen = q->items[b].penalty;
    c.flagged = q->items[b].flagged;
  }
  if (pen >= 0)
    d += pen * pen;
  else if (pen > -PDF_KP_INF)
    d -= pen * pen;
  if (c.flagged && a->flagged) d += p->flagged_demerits;
  c.fitness = fitness_of(r, overfull);
  int diff = (int)c.fitness - (int)a->fitness;
  if (diff > 1 || diff < -1) d += p->fitness_demerits;
  if (c.flagged) {
    int run = a->run + 1;
    if (q->limit && run > q->limit) d += p->hyphen_run_demerits;
    c.run = (uint8_t)(run > q->max_run ? q->max_run : run);
  }
  c.demerits = d;
  c.total = a->total + d;
  return c;
}

static size_t width_class(const para *q, uint32_t line) {
  return line < q->p->n_widths - 1 ? line : q->p->n_widths - 1;
}

static bool same_kind(const para *q, const node *x, const node *y) {
  return x->fitness == y->fitness && x->run == y->run && x->flagged == y->flagged &&
         width_class(q, x->line) == width_class(q, y->line);
}

static int push_node(pdf_kp *k, const node *c) {
  if (k->n_nodes >= NONE - 1) return -1;
  if (gz_grow(k->al, (void **)&k->nodes, &k->cap_nodes, k->n_nodes + 1, sizeof *k->nodes))
    return -1;
  k->nodes[k->n_nodes++] = *c;
  return 0;
}

static node start_node(const para *q) {
  node s;
  memset(&s, 0, sizeof s);
  s.pos = SIZE_MAX;
  s.start = line_start(q, 0);
  s.prev = NONE;
  s.fitness = 2; /* decent: the first line may be anything next to it */
  return s;
}

/* One total-fit pass at tolerance tol (INFINITY: the emergency pass).
 * Returns the index of the best final node, NONE when no breaking fits,
 * or OOM when out of memory. */
#define OOM (NONE - 1)
static uint32_t total_fit(pdf_kp *k, const para *q, double tol) {
  bool emergency = isinf(tol);
  k->n_nodes = 0;
  k->n_active = 0;
  node s = start_node(q);
  if (push_node(k, &s)) return OOM;
  if (gz_grow(k->al, (void **)&k->active, &k->cap_active, 1, sizeof *k->active)) return OOM;
  k->active[k->n_active++] = 0;
  uint32_t best = NONE;
  for (size_t b = 0; b <= q->n && k->n_active; b++) {
    if (!is_legal(q, b)) continue;
    bool forced = is_forced(q, b);
    size_t n_cands = 0, kept = 0;
    for (size_t i = 0; i < k->n_active; i++) {
      uint32_t ai = k->active[i];
      node *a = &k->nodes[ai];
      double r;
      line_kind kind = measure(q, a, b, &r);
      bool first = !a->seen_break;
      bool drop = forced;
      bool take = false, overfull = false;
      if (kind == LINE_SKIP) {
        drop = false;
      } else {
        a->seen_break = true;
        if (kind == LINE_OVERFULL) {
          drop = true;
          take = overfull = emergency && first;
        } else {
          take = r <= tol;
        }
      }
      if (take) {
        node c = make_node(q, a, ai, b, r, overfull);
        size_t j = 0;
        while (j < n_cands && !same_kind(q, &k->cands[j], &c)) j++;
        if (j == n_cands) {
          if (gz_grow(k->al, (void **)&k->cands, &k->cap_cands, n_cands + 1, sizeof *k->cands))
            return OOM;
          k->cands[n_cands++] = c;
        } else if (c.total < k->cands[j].total) {
          k->cands[j] = c;
        }
      }
      if (!drop) k->active[kept++] = ai;
    }
    k->n_active = kept;
    for (size_t j = 0; j < n_cands; j++) {
      if (push_node(k, &k->cands[j])) return OOM;
      uint32_t ni = (uint32_t)(k->n_nodes - 1);
      if (k->nodes[ni].start >= q->n) {
        /* the paragraph's end: nothing follows */
        if (best == NONE || k->nodes[ni].total < k->nodes[best].total) best = ni;
        continue;
      }
      if (k->n_active >= PDF_KP_MAX_ACTIVE) {
        memmove(k->active, k->active + 1, (k->n_active - 1) * sizeof *k->active);
        k->n_active--;
      }
      if (gz_grow(k->al, (void **)&k->active, &k->cap_active, k->n_active + 1, sizeof *k->active))
        return OOM;
      k->active[k->n_active++] = ni;
    }
  }
  return best;
}

/* First fit: from each break, the farthest break the line reaches with
 * its glue shrunk at most fully (one without a third hyphen in a row
 * when there is one), else the first break (an overfull line). */
static uint32_t first_fit(pdf_kp *k, const para *q) {
  k->n_nodes = 0;
  node s = start_node(q);
  if (push_node(k, &s)) return OOM;
  uint32_t cur = 0;
  for (;;) {
    node *a = &k->nodes[cur];
    if (a->start >= q->n && a->pos != SIZE_MAX) return cur;
    size_t fit = SIZE_MAX, fit_ok = SIZE_MAX, over = SIZE_MAX;
    double fit_r = 0, fit_ok_r = 0;
    for (size_t b = a->start; b <= q->n; b++) {
      if (!is_legal(q, b)) continue;
      double r;
      line_kind kind = measure(q, a, b, &r);
      if (kind == LINE_SKIP) continue;
      if (kind == LINE_OVERFULL) {
        if (fit == SIZE_MAX) over = b;
        break;
      }
      bool flagged = b < q->n && q->items[b].type == PDF_KP_PENALTY && q->items[b].flagged;
      fit = b, fit_r = r;
      if (!(flagged && q->limit && a->run >= q->limit)) fit_ok = b, fit_ok_r = r;
      if (is_forced(q, b)) break;
    }
    node c;
    if (fit_ok != SIZE_MAX)
      c = make_node(q, a, cur, fit_ok, fit_ok_r, false);
    else if (fit != SIZE_MAX)
      c = make_node(q, a, cur, fit, fit_r, false);
    else if (over != SIZE_MAX)
      c = make_node(q, a, cur, over, 0, true);
    else
      return cur; /* no break left (cannot happen: the end is one) */
    if (push_node(k, &c)) return OOM;
    cur = (uint32_t)(k->n_nodes - 1);
    if (c.pos >= q->n || c.start >= q->n) return cur;
  }
}

/* Copies the lines ending at node `last` into k->lines. */
static int collect(pdf_kp *k, uint32_t last, pdf_kp_result *out) {
  size_t n = 0;
  for (uint32_t i = last; k->nodes[i].prev != NONE; i = k->nodes[i].prev) n++;
  if (gz_grow(k->al, (void **)&k->lines, &k->cap_lines, n ? n : 1, sizeof *k->lines)) return -1;
  out->n_lines = n;
  out->n_overfull = 0;
  out->demerits = k->nodes[last].total;
  for (uint32_t i = last; k->nodes[i].prev != NONE; i = k->nodes[i].prev) {
    const node *c = &k->nodes[i];
    pdf_kp_line *l = &k->lines[--n];
    l->start = k->nodes[c->prev].start;
    l->end = c->pos;
    l->ratio = c->ratio;
    l->demerits = c->demerits;
    l->fitness = c->fitness;
    l->flagged = c->flagged;
    l->overfull = c->overfull;
    if (c->overfull) out->n_overfull++;
  }
  out->lines = k->lines;
  return 0;
}

static int prepare(pdf_kp *k, const pdf_kp_item *items, size_t n) {
  if (n >= ((size_t)1 << 28)) return -1;
  if (n + 1 > k->cap_sums) {
    double *s = gz_realloc(k->al, k->sums, 3 * (n + 1) * sizeof *s);
    if (!s) return -1;
    k->sums = s;
    uint32_t *f = gz_realloc(k->al, k->fills, (n + 1) * sizeof *f);
    if (!f) return -1;
    k->fills = f;
    k->cap_sums = n + 1;
  }
  double w = 0, y = 0, z = 0;
  uint32_t fill = 0;
  for (size_t i = 0; i <= n; i++) {
    k->sums[3 * i] = w, k->sums[3 * i + 1] = y, k->sums[3 * i + 2] = z;
    k->fills[i] = fill;
    if (i == n) break;
    const pdf_kp_item *it = &items[i];
    if (it->type == PDF_KP_PENALTY) continue;
    w += it->width;
    y += it->stretch > 0 ? it->stretch : 0;
    z += it->shrink > 0 ? it->shrink : 0;
    if (it->type == PDF_KP_GLUE) fill += it->fill;
  }
  return 0;
}

int pdf_kp_break(pdf_kp *k, const pdf_kp_item *items, size_t n, const pdf_kp_params *p,
                 pdf_kp_result *out) {
  memset(out, 0, sizeof *out);
  if (!p->widths || p->n_widths == 0) return -1;
  bool any_box = false;
  for (size_t i = 0; i < n && !any_box; i++) any_box = items[i].type == PDF_KP_BOX;
  if (!any_box) return 0;
  if (prepare(k, items, n)) return -1;
  para q = {items, n, k->sums, k->fills, p, 0, 1};
  if (p->hyphen_run_demerits > 0 && p->max_hyphen_run >= 1)
    q.limit = q.max_run = p->max_hyphen_run > 100 ? 100 : p->max_hyphen_run;

  if (p->greedy) {
    uint32_t last = first_fit(k, &q);
    if (last == OOM) return -1;
    out->pass = 0;
    return collect(k, last, out);
  }
  double tols[3] = {p->tolerance, p->retry_tolerance, INFINITY};
  double best = INFINITY;
  for (int pass = 0; pass < 3; pass++) {
    double tol = tols[pass];
    if (pass == 1 && !(tol > tols[0])) continue;
    uint32_t last = total_fit(k, &q, tol);
    if (last == OOM) return -1;
    if (last != NONE && k->nodes[last].total < best) {
      best = k->nodes[last].total;
      if (collect(k, last, out)) return -1;
      out->pass = pass + 1;
    }
    /* A breaking this pass could not see has a line looser than tol:
     * its badness alone costs more than what was found, or it is worth
     * a look. */
    if (best < INFINITY && !isinf(tol)) {
      double least = p->line_penalty + pdf_kp_badness(tol);
      if (best <= least * least) break;
    }
  }
  return 0;
}
