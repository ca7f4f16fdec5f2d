/*
 * test_breaker.c - the paragraph line breaker (src/write/pdf/breaker.c):
 * small paragraphs whose optimal breaks are worked out by hand below,
 * an exhaustive search over every breaking of random small paragraphs
 * (its own code for the rules of breaker.h) that total fit must match,
 * total fit never worse than first fit over the fixtures' text
 * paragraphs (DejaVu Serif widths, hyphenated by the English patterns),
 * and the edge cases: empty, one word, a word wider than the line, run
 * of hyphens, forced breaks, out of memory.
 *
 * With `--bench FILE` it instead times both modes over the paragraphs of
 * FILE (one a line) and prints paragraphs per second; with `--lines FILE
 * total|greedy WIDTH SIZE [ADVANCES]` it prints them set in lines
 * (ADVANCES: "code point advance" lines for characters beyond ASCII);
 * GZ_HYPHEN_PENALTY sets the penalty of hyphenation points in both.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/hyphen.h"
#include "lang/lang.h"
#include "testing.h"
#include "write/pdf/breaker.h"

#define CHECK_NEAR(got, want)                                                              \
  do {                                                                                     \
    double g_ = (got), w_ = (want);                                                        \
    gz_test_checks++;                                                                      \
    if (!(fabs(g_ - w_) <= 1e-6 * (1 + fabs(w_)))) {                                       \
      gz_test_failures++;                                                                  \
      fprintf(stderr, "%s:%d: %s is %.6f, want %.6f\n", __FILE__, __LINE__, #got, g_, w_); \
    }                                                                                      \
  } while (0)

/* ---- building paragraphs ---- */

typedef struct items {
  pdf_kp_item v[4096];
  uint32_t from[4096], to[4096]; /* the bytes of a text paragraph's boxes */
  size_t n;
} items;

static void add(items *it, pdf_kp_item x) {
  if (it->n < GZ_ARRAY_LEN(it->v)) it->v[it->n++] = x;
}

static void add_text(items *it, pdf_kp_item x, size_t from, size_t to) {
  if (it->n < GZ_ARRAY_LEN(it->v)) {
    it->from[it->n] = (uint32_t)from;
    it->to[it->n] = (uint32_t)to;
    it->v[it->n++] = x;
  }
}

static void end_para(items *it) {
  pdf_kp_item e[3];
  pdf_kp_para_end(e);
  for (int i = 0; i < 3; i++) add(it, e[i]);
}

/* Words of the given widths between glue (1, stretch y, shrink z). */
static void words(items *it, const float *w, size_t n, float y, float z) {
  for (size_t i = 0; i < n; i++) {
    if (i) add(it, pdf_kp_glue(1, y, z));
    add(it, pdf_kp_box(w[i]));
  }
  end_para(it);
}

static pdf_kp_params params(const float *widths, size_t n_widths) {
  pdf_kp_params p = pdf_kp_defaults();
  p.widths = widths;
  p.n_widths = n_widths;
  return p;
}

/* ---- hand-checked paragraphs ---- */

/* Five words 4 4 1 6 6, spaces 1 wide stretching 2 and shrinking 1, a
 * line 10 wide (items: 0 B4, 1 G, 2 B4, 3 G, 4 B1, 5 G, 6 B6, 7 G, 8 B6,
 * 9-11 the end). The lines a line may hold:
 *   4 4 1  natural 11, shrink 2: r = -0.5, badness 12.5, decent
 *   4 4    natural 9, stretch 2: r = 0.5, badness 12.5, decent
 *   1 6    natural 8, stretch 2: r = 1, badness 100, loose
 *   6      alone, no glue: cannot be stretched (badness 10,000)
 *   6 6    natural 13, shrink 1: overfull
 * Total fit: "4 4 | 1 6 | 6": (10 + 12.5)^2 + (10 + 100)^2 + 10^2
 *   = 506.25 + 12,100 + 100 = 12,706.25 (classes 2, 1, 2: no jump).
 * First fit: "4 4 1 | 6 | 6": 506.25, then (10 + 10,000)^2 + 3,000 (very
 * loose after decent) = 100,203,100, then 100 + 3,000 (decent after very
 * loose) = 100,206,706.25. */
static void test_hand_optimum(void) {
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  items it = {.n = 0};
  float w[] = {4, 4, 1, 6, 6};
  words(&it, w, 5, 2, 1);
  float width = 10;
  pdf_kp_params p = params(&width, 1);
  pdf_kp_result r;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.n_lines, 3);
  CHECK_INT(r.pass, 1);
  CHECK_NEAR(r.demerits, 12706.25);
  if (r.n_lines == 3) {
    CHECK_INT(r.lines[0].start, 0);
    CHECK_INT(r.lines[0].end, 3);
    CHECK_NEAR(r.lines[0].ratio, 0.5);
    CHECK_INT(r.lines[0].fitness, 2);
    CHECK_INT(r.lines[1].start, 4);
    CHECK_INT(r.lines[1].end, 7);
    CHECK_NEAR(r.lines[1].ratio, 1.0);
    CHECK_INT(r.lines[1].fitness, 1);
    CHECK_NEAR(r.lines[1].demerits, 12100);
    CHECK_INT(r.lines[2].start, 8);
    CHECK_INT(r.lines[2].end, 11);
    CHECK_NEAR(r.lines[2].ratio, 0);
    CHECK_INT(r.n_overfull, 0);
  }
  p.greedy = true;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.pass, 0);
  CHECK_INT(r.n_lines, 3);
  CHECK_NEAR(r.demerits, 100206706.25);
  if (r.n_lines == 3) {
    CHECK_INT(r.lines[0].end, 5);
    CHECK_NEAR(r.lines[0].ratio, -0.5);
    CHECK_INT(r.lines[1].end, 7);
    CHECK_INT(r.lines[1].fitness, 0);
    CHECK_INT(r.lines[2].end, 11);
  }
  pdf_kp_free(&k);
}

/* Words 3 2 4 2 3, spaces (1, 1, 1), line 8. A first line must be
 * "3" (no glue: infinitely bad) or "3 2" (r = 2, badness 800: beyond the
 * first tolerance, 1), so the first pass finds nothing and the second
 * (2) sets "3 2 | 4 2 | 3": (10 + 800)^2 + 3,000 (very loose after the
 * start's decent) + (10 + 100)^2 (r = 1, loose) + 10^2 = 671,300. The
 * emergency pass is then tried, as a looser line could still cost less
 * than that, and finds nothing better. First fit sets the same. */
static void test_hand_second_pass(void) {
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  items it = {.n = 0};
  float w[] = {3, 2, 4, 2, 3};
  words(&it, w, 5, 1, 1);
  float width = 8;
  pdf_kp_params p = params(&width, 1);
  pdf_kp_result r;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.pass, 2);
  CHECK_INT(r.n_lines, 3);
  CHECK_NEAR(r.demerits, 671300);
  if (r.n_lines == 3) {
    CHECK_INT(r.lines[0].end, 3);
    CHECK_NEAR(r.lines[0].ratio, 2);
    CHECK_INT(r.lines[1].end, 7);
  }
  p.greedy = true;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_NEAR(r.demerits, 671300);
  pdf_kp_free(&k);
}

/* One word of eight syllables 5 wide, hyphen points (width 0, penalty
 * 50, flagged) between them, lines 10 wide: the only lines that are not
 * infinitely bad hold two syllables and end at a hyphen, so four lines,
 * the first three hyphenated. Demerits: 10^2 + 50^2 = 2,600, then
 * 2,600 + 3,000 (two hyphens in a row) twice, then 100 for the last; the
 * third hyphen in a row costs 1e9 more when at most two are wanted. */
static void test_hand_hyphen_run(void) {
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  items it = {.n = 0};
  for (int i = 0; i < 8; i++) {
    if (i) add(&it, pdf_kp_penalty(0, 50, true));
    add(&it, pdf_kp_box(5));
  }
  end_para(&it);
  float width = 10;
  pdf_kp_params p = params(&width, 1);
  p.max_hyphen_run = 0;
  pdf_kp_result r;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.n_lines, 4);
  CHECK_NEAR(r.demerits, 13900);
  CHECK_INT(r.pass, 1);
  if (r.n_lines == 4) {
    CHECK(r.lines[0].flagged && r.lines[1].flagged && r.lines[2].flagged);
    CHECK(!r.lines[3].flagged);
    CHECK_INT(r.lines[0].end, 3);
    CHECK_INT(r.lines[1].end, 7);
    CHECK_INT(r.lines[2].end, 11);
  }
  p.max_hyphen_run = 2;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.n_lines, 4);
  CHECK_NEAR(r.demerits, 13900 + 1e9);
  pdf_kp_free(&k);
}

/* A width per line: {first, rest}: words of 2 with spaces (1, 1, 1)
 * and a first line of 5 ("2 2") and then 8 ("2 2 2", with a spare of 0:
 * 2+1+2+1+2 = 8). Seven words: "2 2 | 2 2 2 | 2 2" all at r = 0. */
static void test_widths(void) {
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  items it = {.n = 0};
  float w[] = {2, 2, 2, 2, 2, 2, 2};
  words(&it, w, 7, 1, 1);
  float widths[] = {5, 8};
  pdf_kp_params p = params(widths, 2);
  pdf_kp_result r;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.n_lines, 3);
  CHECK_NEAR(r.demerits, 300);
  if (r.n_lines == 3) {
    CHECK_INT(r.lines[0].end, 3);
    CHECK_INT(r.lines[1].end, 9);
    CHECK_NEAR(r.lines[1].ratio, 0);
  }
  pdf_kp_free(&k);
}

static void test_edges(void) {
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  float width = 10;
  pdf_kp_params p = params(&width, 1);
  pdf_kp_result r;
  /* empty, and only glue: no line */
  CHECK_INT(pdf_kp_break(&k, NULL, 0, &p, &r), 0);
  CHECK_INT(r.n_lines, 0);
  pdf_kp_item g[2] = {pdf_kp_glue(1, 1, 1), pdf_kp_penalty(0, -PDF_KP_INF, false)};
  CHECK_INT(pdf_kp_break(&k, g, 2, &p, &r), 0);
  CHECK_INT(r.n_lines, 0);
  /* no widths */
  pdf_kp_params bad = pdf_kp_defaults();
  CHECK_INT(pdf_kp_break(&k, g, 2, &bad, &r), -1);

  /* one word: one ragged line, 10^2 */
  items it = {.n = 0};
  float one[] = {5};
  words(&it, one, 1, 1, 1);
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.n_lines, 1);
  CHECK_NEAR(r.demerits, 100);
  CHECK_INT(r.pass, 1);

  /* items not ended by a forced break end at n_items */
  pdf_kp_item lone = pdf_kp_box(4);
  CHECK_INT(pdf_kp_break(&k, &lone, 1, &p, &r), 0);
  CHECK_INT(r.n_lines, 1);
  if (r.n_lines == 1) CHECK_INT(r.lines[0].end, 1);

  /* a word wider than the line: the emergency pass sets it overfull on a
   * line of its own; "2" before it cannot be stretched (no glue in its
   * line): 10,000 each, and 3,000 for very loose after decent */
  it.n = 0;
  float wide[] = {2, 20, 2};
  words(&it, wide, 3, 1, 1);
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.pass, 3);
  CHECK_INT(r.n_lines, 3);
  CHECK_INT(r.n_overfull, 1);
  if (r.n_lines == 3) {
    CHECK(!r.lines[0].overfull && r.lines[1].overfull && !r.lines[2].overfull);
    CHECK_INT(r.lines[1].start, 2);
    CHECK_INT(r.lines[1].end, 3);
  }
  /* 10010^2 + 3000, then overfull (tight, three classes from very
   * loose): 10010^2 + 3000, then 100 (decent next to tight) */
  CHECK_NEAR(r.demerits, 2.0 * 10010.0 * 10010.0 + 6000 + 100);
  double total = r.demerits;
  p.greedy = true;
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_NEAR(r.demerits, total);
  CHECK_INT(r.n_overfull, 1);
  p.greedy = false;

  /* only a word too wide */
  it.n = 0;
  float huge[] = {25};
  words(&it, huge, 1, 1, 1);
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.n_lines, 1);
  CHECK_INT(r.n_overfull, 1);
  CHECK_NEAR(r.demerits, 10010.0 * 10010.0);

  /* forced breaks inside (lines of a poem), each ended as a paragraph */
  it.n = 0;
  add(&it, pdf_kp_box(3));
  end_para(&it);
  end_para(&it); /* an empty line */
  add(&it, pdf_kp_box(3));
  end_para(&it);
  CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
  CHECK_INT(r.n_lines, 3);
  CHECK_NEAR(r.demerits, 300);
  CHECK_INT(r.pass, 1);
  if (r.n_lines == 3) {
    CHECK_INT(r.lines[0].end, 3);
    CHECK_INT(r.lines[1].end, 6);
    CHECK_INT(r.lines[1].start, 6); /* empty */
    CHECK_INT(r.lines[2].end, 10);
  }
  pdf_kp_free(&k);
}

/* ---- exhaustive search ---- */

/* The rules of breaker.h written again, plainly: the demerits of every
 * breaking (each line fitting with r >= -1, or overfull and holding no
 * legal break), the least of them. */
typedef struct brute {
  const pdf_kp_item *v;
  size_t n;
  const pdf_kp_params *p;
  double best;
} brute;

static bool b_legal(const brute *s, size_t i) {
  if (i >= s->n) return true;
  if (s->v[i].type == PDF_KP_PENALTY) return s->v[i].penalty < PDF_KP_INF;
  return s->v[i].type == PDF_KP_GLUE && i > 0 && s->v[i - 1].type == PDF_KP_BOX;
}

static void b_search(brute *s, size_t from, size_t line, int fit, int run, bool flag, double d) {
  if (d >= s->best) return;
  size_t st = from;
  while (st < s->n && s->v[st].type != PDF_KP_BOX &&
         !(s->v[st].type == PDF_KP_PENALTY && s->v[st].penalty <= -PDF_KP_INF))
    st++;
  if (st >= s->n && line > 0) {
    if (d < s->best) s->best = d;
    return;
  }
  bool seen = false;
  for (size_t b = st; b <= s->n; b++) {
    if (!b_legal(s, b)) continue;
    double w = 0, y = 0, z = 0;
    int fill = 0;
    for (size_t i = st; i < b; i++) {
      if (s->v[i].type == PDF_KP_PENALTY) continue;
      w += s->v[i].width;
      if (s->v[i].type == PDF_KP_GLUE)
        y += s->v[i].stretch, z += s->v[i].shrink, fill += s->v[i].fill;
    }
    bool pen = b < s->n && s->v[b].type == PDF_KP_PENALTY;
    if (pen) w += s->v[b].width;
    double target = s->p->widths[line < s->p->n_widths ? line : s->p->n_widths - 1];
    double bad, r;
    bool over = false;
    if (b == st) {
      r = 0;
    } else if (fabs(target - w) < 1e-6) {
      r = 0;
    } else if (w < target) {
      r = fill ? 0 : (y > 0 ? (target - w) / y : INFINITY);
    } else {
      r = z > 0 ? (target - w) / z : -INFINITY;
      if (r < -1) over = true;
    }
    if (over && seen) break;
    bad = over ? PDF_KP_INF_BAD : pdf_kp_badness(r);
    double dd = (s->p->line_penalty + bad) * (s->p->line_penalty + bad);
    double pv = pen ? s->v[b].penalty : 0;
    if (pv >= 0) dd += pv * pv;
    bool fl = pen && s->v[b].flagged;
    if (fl && flag) dd += s->p->flagged_demerits;
    int c = over ? 3 : r > 1 ? 0 : r > 0.5 ? 1 : r >= -0.5 ? 2 : 3;
    if (abs(c - fit) > 1) dd += s->p->fitness_demerits;
    int nrun = fl ? run + 1 : 0;
    if (fl && s->p->hyphen_run_demerits > 0 && s->p->max_hyphen_run > 0 &&
        nrun > s->p->max_hyphen_run)
      dd += s->p->hyphen_run_demerits;
    b_search(s, b + 1, line + 1, c, nrun, fl, d + dd);
    seen = true;
    bool forced = b >= s->n || (pen && s->v[b].penalty <= -PDF_KP_INF);
    if (forced || over) break;
  }
}

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 16) % n;
}

static void test_exhaustive(void) {
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  int mismatches = 0, worse = 0;
  for (int t = 0; t < 400; t++) {
    items it = {.n = 0};
    int nw = 3 + (int)rnd(8);
    for (int i = 0; i < nw; i++) {
      if (i) add(&it, pdf_kp_glue(1, 1 + (float)rnd(2), 0.5f));
      int syl = 1 + (int)rnd(3);
      for (int s = 0; s < syl; s++) {
        if (s) add(&it, pdf_kp_penalty(0.5f, 50, true));
        add(&it, pdf_kp_box(1 + (float)rnd(4)));
      }
    }
    end_para(&it);
    float widths[2] = {6 + (float)rnd(8), 6 + (float)rnd(8)};
    pdf_kp_params p = params(widths, 2);
    p.max_hyphen_run = t % 3 == 0 ? 0 : 1 + t % 2; /* none, 1, 2 */
    p.hyphen_run_demerits = 5000;
    brute s = {it.v, it.n, &p, INFINITY};
    b_search(&s, 0, 0, 2, 0, false, 0);
    pdf_kp_result r;
    CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
    double total = r.demerits;
    if (fabs(total - s.best) > 1e-6 * (1 + s.best)) {
      if (mismatches++ < 5)
        fprintf(stderr, "paragraph %d: total fit %.3f, exhaustive %.3f\n", t, total, s.best);
    }
    p.greedy = true;
    CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
    if (r.demerits < total - 1e-6) worse++;
  }
  CHECK_INT(mismatches, 0);
  CHECK_INT(worse, 0);
  pdf_kp_free(&k);
}

/* ---- the fixtures' paragraphs ---- */

/* DejaVu Serif's advances of U+0020 .. U+007E in thousandths of an em
 * (its hmtx, through its cmap); other characters count 600. */
static const short g_adv[95] = {
    318,  402, 460, 838, 636, 950, 890, 275,  390, 390, 500, 838, 318, 338,  318, 337,
    636,  636, 636, 636, 636, 636, 636, 636,  636, 636, 337, 337, 838, 838,  838, 536,
    1000, 722, 735, 765, 802, 730, 694, 799,  872, 395, 401, 747, 664, 1024, 875, 820,
    673,  820, 753, 685, 667, 843, 722, 1028, 712, 660, 695, 390, 337, 390,  838, 500,
    500,  596, 640, 560, 640, 592, 370, 640,  644, 320, 310, 606, 320, 948,  644, 602,
    640,  640, 478, 513, 402, 644, 565, 856,  564, 565, 527, 636, 337, 636,  838};

/* Advances of other characters (--lines with a widths file), 0: 600. */
static short g_bmp[65536];

static float text_width(const char *s, size_t n, float size) {
  float w = 0;
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    i += gz_utf8_decode(u + i, n - i, &cp);
    int adv = cp >= 32 && cp < 127 ? g_adv[cp - 32] : cp < 65536 && g_bmp[cp] ? g_bmp[cp] : 600;
    if (cp == 0xAD) adv = 0;
    w += (float)adv * size / 1000.0f;
  }
  return w;
}

/* A paragraph of text as items: words (hyphenated with h) between
 * spaces of DejaVu Serif at 10 pt stretching 1/2 and shrinking 1/3. */
/* The penalty of a hyphenation point (the writer's choice; 50 as TeX's
 * \\hyphenpenalty unless GZ_HYPHEN_PENALTY says otherwise, for trying). */
static float hyphen_penalty(void) {
  const char *e = getenv("GZ_HYPHEN_PENALTY");
  return e ? (float)atof(e) : 50.0f;
}

static void text_items_at(items *it, const gz_hyphenator *h, const char *s, size_t n, float size) {
  float space = 0.318f * size, hyphen = 0.338f * size, pen = hyphen_penalty();
  it->n = 0;
  size_t i = 0;
  while (i < n) {
    while (i < n && s[i] == ' ') i++;
    size_t j = i;
    while (j < n && s[j] != ' ') j++;
    if (j == i) break;
    if (it->n) add(it, pdf_kp_glue(space, space / 2, space / 3));
    gz_hyph_point pts[64];
    size_t np = gz_hyphen_points(h, s + i, j - i, pts, 64);
    if (np > 64) np = 64;
    size_t from = 0;
    for (size_t q = 0; q < np; q++) {
      add_text(it, pdf_kp_box(text_width(s + i + from, pts[q].at - from, size)), i + from,
               i + pts[q].at);
      bool draws = pts[q].kind != GZ_HYPH_EXPLICIT;
      add(it, pdf_kp_penalty(draws ? hyphen : 0, pen, true));
      from = pts[q].at;
    }
    add_text(it, pdf_kp_box(text_width(s + i + from, j - i - from, size)), i + from, j);
    i = j;
  }
  end_para(it);
}

static void text_items(items *it, const gz_hyphenator *h, const char *s, size_t n) {
  text_items_at(it, h, s, n, 10);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    char *more = realloc(buf, cap * 2);
    if (!more) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = more;
    cap *= 2;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  *len = n;
  return buf;
}

static void test_fixtures(void) {
  const char *dir = getenv("GZ_FIXTURES");
  CHECK(dir != NULL);
  if (!dir) return;
  static const char *const files[] = {
      "2020-12-11-harbour.txt", "20201212_bakery.txt", "headers-by.txt", "headers.txt",
      "multi-equals.txt",       "multi-formfeed.txt",  "popular.txt",    "scraped-en.txt"};
  const gz_hyphenator *h = gz_hyphen_for("en");
  CHECK(h != NULL);
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  static items it;
  size_t paras = 0, worse = 0, better = 0, hyphenated = 0;
  float widths[3][1] = {{150}, {220}, {300}};
  for (size_t f = 0; f < GZ_ARRAY_LEN(files); f++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/text/%s", dir, files[f]);
    size_t len;
    char *text = slurp(path, &len);
    CHECK(text != NULL);
    if (!text) continue;
    for (char *line = text; line && *line;) {
      char *nl = strchr(line, '\n');
      size_t n = nl ? (size_t)(nl - line) : strlen(line);
      if (gz_count_words(line, n) >= 12) {
        text_items(&it, h, line, n);
        for (int w = 0; w < 3; w++) {
          pdf_kp_params p = params(widths[w], 1);
          pdf_kp_result r;
          CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
          double total = r.demerits;
          for (size_t l = 0; l < r.n_lines; l++) hyphenated += r.lines[l].flagged;
          p.greedy = true;
          CHECK_INT(pdf_kp_break(&k, it.v, it.n, &p, &r), 0);
          if (total > r.demerits + 1e-6 * r.demerits) {
            if (worse++ < 5)
              fprintf(stderr, "%s: total fit %.1f > first fit %.1f at width %.0f\n", files[f],
                      total, r.demerits, (double)widths[w][0]);
          }
          better += total < r.demerits - 1e-6 * r.demerits;
          paras++;
        }
      }
      line = nl ? nl + 1 : NULL;
    }
    free(text);
  }
  CHECK(paras >= 60); /* 20 paragraphs and more, at three widths */
  CHECK_INT(worse, 0);
  CHECK(better > 0);
  CHECK(hyphenated > 0);
  pdf_kp_free(&k);
}

/* Hostile: thousands of empty boxes between glue that never fills a
 * line would keep every break active; the oldest go beyond
 * PDF_KP_MAX_ACTIVE and the paragraph is still set. */
static void test_many_active(void) {
  size_t n = 3 * PDF_KP_MAX_ACTIVE;
  pdf_kp_item *v = malloc((2 * n + 3) * sizeof *v);
  CHECK(v != NULL);
  if (!v) return;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (i) v[m++] = pdf_kp_glue(0, 1, 0);
    v[m++] = pdf_kp_box(0);
  }
  pdf_kp_para_end(v + m);
  m += 3;
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  float width = 10;
  pdf_kp_params p = params(&width, 1);
  pdf_kp_result r;
  CHECK_INT(pdf_kp_break(&k, v, m, &p, &r), 0);
  CHECK(r.n_lines >= 1);
  CHECK(k.cap_active <= 2 * PDF_KP_MAX_ACTIVE);
  if (r.n_lines) CHECK_INT(r.lines[r.n_lines - 1].end, m - 1);
  pdf_kp_free(&k);
  free(v);
}

/* ---- out of memory ---- */

static int g_fail_after = -1;
static void *fail_malloc(void *ctx, size_t n) {
  (void)ctx;
  if (g_fail_after == 0) return NULL;
  if (g_fail_after > 0) g_fail_after--;
  return malloc(n);
}
static void *fail_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  if (g_fail_after == 0) return NULL;
  if (g_fail_after > 0) g_fail_after--;
  return realloc(p, n);
}
static void fail_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

static void test_oom(void) {
  gz_allocator al = {fail_malloc, fail_realloc, fail_free, NULL};
  items it = {.n = 0};
  float w[] = {4, 4, 1, 6, 6, 3, 2, 4, 2, 3};
  words(&it, w, 10, 1, 1);
  float width = 10;
  pdf_kp_params p = params(&width, 1);
  pdf_kp ok;
  pdf_kp_init(&ok, gz_default_allocator());
  pdf_kp_result want;
  CHECK_INT(pdf_kp_break(&ok, it.v, it.n, &p, &want), 0);
  int failures = 0, successes = 0;
  for (int n = 0; n < 40; n++) {
    pdf_kp k;
    pdf_kp_init(&k, &al);
    g_fail_after = n;
    pdf_kp_result r;
    int rc = pdf_kp_break(&k, it.v, it.n, &p, &r);
    if (rc == 0) {
      successes++;
      CHECK_INT(r.n_lines, want.n_lines);
      CHECK_NEAR(r.demerits, want.demerits);
    } else {
      failures++;
    }
    g_fail_after = -1;
    pdf_kp_free(&k);
  }
  CHECK(failures > 0);
  CHECK(successes > 0);
  pdf_kp_free(&ok);
}

/* ---- speed ---- */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(const char *path) {
  size_t len;
  char *text = slurp(path, &len);
  if (!text) return 2;
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  static items it;
  size_t hyphenated = 0;
  float width = 300; /* A4's text column at 10 pt, in points */
  double t[2] = {0, 0}, dem[2] = {0, 0};
  size_t paras = 0, lines[2] = {0, 0}, passes[4] = {0, 0, 0, 0}, over[2] = {0, 0};
  for (char *line = text; line && *line;) {
    char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    /* each paragraph in its language, as the writer will */
    char lang[GZ_LANG_MAX];
    gz_lang_detect(line, n, lang);
    const gz_hyphenator *h = lang[0] ? gz_hyphen_for(lang) : NULL;
    hyphenated += h != NULL;
    text_items(&it, h, line, n);
    for (int g = 0; g < 2; g++) {
      pdf_kp_params p = params(&width, 1);
      p.greedy = g == 1;
      pdf_kp_result r;
      double t0 = now();
      pdf_kp_break(&k, it.v, it.n, &p, &r);
      t[g] += now() - t0;
      dem[g] += r.demerits;
      lines[g] += r.n_lines;
      over[g] += r.n_overfull;
      if (g == 0 && r.pass >= 1 && r.pass <= 3) passes[r.pass]++;
    }
    paras++;
    line = nl ? nl + 1 : NULL;
  }
  printf("%zu paragraphs (%zu with a dictionary), %zu / %zu lines (total fit / first fit)\n", paras,
         hyphenated, lines[0], lines[1]);
  printf("total fit: %.0f paragraphs/s (%.2f s); first fit: %.0f paragraphs/s (%.2f s)\n",
         (double)paras / t[0], t[0], (double)paras / t[1], t[1]);
  printf(
      "passes: %zu first, %zu retry, %zu emergency; demerits %.4g vs %.4g; overfull lines "
      "%zu vs %zu\n",
      passes[1], passes[2], passes[3], dem[0], dem[1], over[0], over[1]);
  pdf_kp_free(&k);
  free(text);
  gz_hyphen_release_all();
  return 0;
}

/* Prints the paragraphs of FILE (one a line) set in lines `width` points
 * wide at `size` points, one line a line after its adjustment ratio and
 * a tab, "-" after a hyphenated one
 * (soft hyphens dropped), a blank line after each paragraph: what
 * bench/layout-metric-preview draws. */
static int print_lines(const char *path, bool greedy, float width, float size, const char *adv) {
  FILE *f = adv ? fopen(adv, "r") : NULL;
  unsigned cp, w;
  while (f && fscanf(f, "%u %u", &cp, &w) == 2)
    if (cp < 65536 && w < 32768) g_bmp[cp] = (short)w;
  if (f) fclose(f);
  size_t len;
  char *text = slurp(path, &len);
  if (!text) return 2;
  pdf_kp k;
  pdf_kp_init(&k, gz_default_allocator());
  static items it;
  for (char *line = text; line && *line;) {
    char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    char lang[GZ_LANG_MAX];
    gz_lang_detect(line, n, lang);
    text_items_at(&it, lang[0] ? gz_hyphen_for(lang) : NULL, line, n, size);
    pdf_kp_params p = params(&width, 1);
    p.greedy = greedy;
    pdf_kp_result r;
    if (pdf_kp_break(&k, it.v, it.n, &p, &r) == 0) {
      for (size_t l = 0; l < r.n_lines; l++) {
        size_t a = r.lines[l].start, b = r.lines[l].end;
        while (b > a && it.v[b - 1].type != PDF_KP_BOX) b--;
        if (b <= a) continue;
        printf("%.4f\t", r.lines[l].ratio);
        for (size_t q = it.from[a]; q < it.to[b - 1]; q++)
          if (!(line[q] == '\xC2' && q + 1 < n && line[q + 1] == '\xAD'))
            putchar(line[q]);
          else
            q++;
        bool dash = r.lines[l].flagged && it.v[r.lines[l].end].width > 0;
        printf("%s\n", dash ? "-" : "");
      }
      putchar('\n');
    }
    line = nl ? nl + 1 : NULL;
  }
  pdf_kp_free(&k);
  free(text);
  gz_hyphen_release_all();
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--bench") == 0) return bench(argv[2]);
  if ((argc == 6 || argc == 7) && strcmp(argv[1], "--lines") == 0)
    return print_lines(argv[2], strcmp(argv[3], "greedy") == 0, (float)atof(argv[4]),
                       (float)atof(argv[5]), argc == 7 ? argv[6] : NULL);
  test_hand_optimum();
  test_hand_second_pass();
  test_hand_hyphen_run();
  test_widths();
  test_edges();
  test_exhaustive();
  test_fixtures();
  test_many_active();
  test_oom();
  gz_hyphen_release_all();
  TEST_MAIN_END();
}
