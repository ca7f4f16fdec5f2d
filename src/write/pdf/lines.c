/*
 * lines.c - breaking styled text into lines (drawn by draw.c).
 *
 * libunibreak tells where Unicode allows a line break (UAX #14); lines
 * are filled greedily, measured with the width of each character in the
 * font that will really draw it (fallback included), and a word longer
 * than the line (a 2,000-character URL) is broken between characters
 * rather than overflowing the margin. A pair of neighbours in one font
 * and run is kerned as the font's 'kern' table says (text that is shaped
 * gets its kerning from HarfBuzz instead): the adjustment is part of the
 * first one's width, so lines are measured as draw.c sets them. We break lines ourselves because
 * libharu's HPDF_Font_MeasureText cuts inside UTF-8 sequences.
 *
 * Justified text (pdf_style.justify) is broken by the paragraph-wide
 * breaker of breaker.c instead: the characters become boxes, glue and
 * penalties as docs/typography.md describes, and each line keeps the
 * adjustment ratio draw.c spreads over its spaces.
 */
#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "write/pdf/pdf.h"

static pthread_once_t g_lb_once = PTHREAD_ONCE_INIT;
static void lb_init(void) { init_linebreak(); }

void pdf_para_init(pdf_para *p, const gz_allocator *al) {
  memset(p, 0, sizeof *p);
  p->al = al;
  pdf_kp_init(&p->kp, al);
}

void pdf_para_free(pdf_para *p) {
  const gz_allocator *al = p->al;
  gz_free(al, p->chars);
  gz_free(al, p->lines);
  gz_free(al, p->brks);
  gz_free(al, p->lb_text);
  gz_free(al, p->kpi);
  gz_free(al, p->kpat);
  pdf_kp_free(&p->kp);
  pdf_shape_free(p);
  memset(p, 0, sizeof *p);
  p->al = al;
  pdf_kp_init(&p->kp, al);
}

/* The role that draws a run's style in a base role. */
font_role pdf_role_for(font_role base, uint16_t style) {
  if (style & GZ_STYLE_CODE) return ROLE_MONO;
  bool bold = (style & GZ_STYLE_STRONG) || base == ROLE_SERIF_BOLD || base == ROLE_SANS_BOLD;
  bool italic = (style & GZ_STYLE_EM) || base == ROLE_SERIF_ITALIC;
  if (base == ROLE_MONO) return ROLE_MONO;
  if (base == ROLE_SANS || base == ROLE_SANS_BOLD) return bold ? ROLE_SANS_BOLD : ROLE_SANS;
  if (bold && italic) return ROLE_SERIF_BOLD_ITALIC;
  if (bold) return ROLE_SERIF_BOLD;
  if (italic) return ROLE_SERIF_ITALIC;
  return ROLE_SERIF;
}

bool pdf_slanted(const pdf_fonts *f, font_role base, uint16_t style) {
  font_role r = pdf_role_for(base, style);
  if ((style & GZ_STYLE_EM) && (r == ROLE_SANS || r == ROLE_SANS_BOLD || r == ROLE_MONO))
    return true; /* no italic face in these roles */
  return f->slant[r];
}

/* Characters that take no room and draw nothing. */
static bool invisible(uint32_t cp) {
  return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF ||
         (cp >= 0x202A && cp <= 0x202E);
}

/* ---- what libunibreak is shown ----
 *
 * Debian's libunibreak 1.1 has Unicode 6.2 tables and aborts the process
 * (an assertion in set_linebreaks) on classes its pair table lacks, such
 * as regional indicators (flag emoji). It is handed a copy of the text in
 * which such characters are replaced by stand-ins of the same UTF-8 length
 * and a fitting class, so its verdicts stay at the right byte offsets;
 * invalid bytes become one-byte letters for the same reason (libunibreak
 * and gz_utf8_decode could otherwise disagree on a sequence's length).
 * The verdicts the tables cannot give are then set by fix_break. */

static bool regional(uint32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

/* The stand-in for a character libunibreak 1.1 cannot take, or 0. Fed
 * every code point in every position, it aborts on these alone: regional
 * indicators (class RI, beyond its pair table) and U+FFFF (its own end of
 * text marker). */
static uint32_t stand_in(uint32_t cp) {
  /* an ideograph (class ID): breaks allowed on both sides, none before
   * closing punctuation, as UAX #14 gives regional indicators today */
  if (regional(cp)) return 0x20000;
  /* a noncharacter: treated like the replacement character (class AL) */
  if (cp == 0xFFFF) return 0xFFFD;
  return 0;
}

/* The text libunibreak may see: `text` itself when it holds nothing to
 * replace, else p->lb_text. NULL when out of memory. */
static const char *breakable_text(pdf_para *p, const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  char *copy = NULL;
  for (size_t i = 0; i < len;) {
    size_t n = gz_utf8_valid_len(u + i, len - i);
    uint32_t cp = 0, sub = 0;
    if (n) gz_utf8_decode(u + i, n, &cp), sub = stand_in(cp);
    if (n && !sub) {
      i += n;
      continue;
    }
    if (!copy) {
      if (len > p->cap_lb_text) {
        char *b = gz_realloc(p->al, p->lb_text, len);
        if (!b) return NULL;
        p->lb_text = b;
        p->cap_lb_text = len;
      }
      copy = p->lb_text;
      memcpy(copy, text, len);
    }
    if (!n) {
      copy[i++] = 'a';
    } else {
      gz_utf8_encode(sub, copy + i);
      i += n;
    }
  }
  return copy ? copy : text;
}

/* Characters that belong to the one before them (a variation selector, an
 * emoji modifier, a zero width joiner, a tag of a subdivision flag): no
 * line break before them. Unicode 6.2 knows some of them only as unassigned. */
static bool attaches(uint32_t cp) {
  return cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
         (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool hangul(uint32_t cp) {
  return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
         (cp >= 0x3130 && cp <= 0x318F);
}

/* Sets the verdict for a break between prev and cp (`ri` regional
 * indicators end at prev) where the old tables cannot, and where
 * UAX #14 allows what the text's convention does not: Korean is broken
 * at spaces, not between syllables as UAX #14's class ID would have it
 * (its note on Korean, section 4 of the standard). */
static void fix_break(pdf_char *prev, uint32_t prev_cp, uint32_t cp, size_t ri) {
  if (!prev || prev->brk != LINEBREAK_ALLOWBREAK) return;
  bool flag_half = regional(cp) && ri % 2 == 1; /* the second of a pair */
  if (flag_half || attaches(cp) || prev_cp == 0x200D) prev->brk = LINEBREAK_NOBREAK;
  if ((hangul(prev_cp) || hangul(cp)) && prev_cp != ' ' && prev_cp != 0x3000 && cp != ' ')
    prev->brk = LINEBREAK_NOBREAK;
}

static void note_missing(pdf_missing *m, uint32_t cp) {
  if (!m) return;
  for (size_t i = 0; i < m->n; i++)
    if (m->cps[i] == cp) return;
  m->total++;
  if (m->n < GZ_ARRAY_LEN(m->cps)) m->cps[m->n++] = cp;
}

float pdf_size_of(const pdf_style *st, uint16_t style) {
  return (style & (GZ_STYLE_SUB | GZ_STYLE_SUP)) ? st->size * 0.72f : st->size;
}

static int push_line(pdf_para *p, uint32_t first, uint32_t end) {
  /* trailing spaces take no room at the end of a line */
  uint32_t last = end;
  while (last > first && p->chars[last - 1].space) last--;
  if (gz_grow(p->al, (void **)&p->lines, &p->cap_lines, p->n_lines + 1, sizeof *p->lines))
    return -1;
  pdf_line *l = &p->lines[p->n_lines++];
  l->first = first;
  l->count = end - first;
  l->width = 0;
  l->ratio = 0;
  l->scale = 1;
  l->hyphen = false;
  for (uint32_t i = first; i < last; i++) l->width += p->chars[i].width;
  /* the last char's kerning is with the next line's first */
  if (last > first) l->width -= p->chars[last - 1].kern;
  return 0;
}

/* ---- justified paragraphs: the breaker's items ---- */

/* Where an item stands in the chars: a box begins at char c0, a glue's
 * spaces begin there, a penalty breaks before it. */
struct pdf_kp_at {
  uint32_t c0;
  bool drawn_hyphen; /* a penalty where a hyphen is drawn if the line ends */
};

/* The demerits of a hyphen: TeX's \hyphenpenalty. With font expansion it
 * hyphenates 8 % of the English lines of the bench corpus (16 % of the
 * Russian) for even spacing; 150 hardly any, at looser spacing
 * (docs/typography.md, Figures). */
#define HYPHEN_PENALTY 50.0f
/* An explicit hyphen of the text: TeX's \exhyphenpenalty. */
#define EXPLICIT_HYPHEN_PENALTY 50.0f
/* A break without a space inside a word or URL (after a slash, a dash):
 * taken when nothing better exists. */
#define OTHER_BREAK_PENALTY 500.0f
/* A justified line's spaces are 2.5 times their width at most. */
#define MAX_SPACE 2.5f

static int kp_push(pdf_para *p, size_t *n, pdf_kp_item it, uint32_t c0) {
  if (gz_grow(p->al, (void **)&p->kpi, &p->cap_kpi, *n + 1, sizeof *p->kpi) ||
      gz_grow(p->al, (void **)&p->kpat, &p->cap_kpat, *n + 1, sizeof *p->kpat))
    return -1;
  p->kpi[*n] = it;
  p->kpat[*n].c0 = c0;
  p->kpat[*n].drawn_hyphen = false;
  (*n)++;
  return 0;
}

/* Ideographs, kana and fullwidth forms: lines break between them freely. */
static bool cjk(uint32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool hard_break(const pdf_char *c) { return c->cp == '\n' && c->invisible; }

/* The width of the hyphen drawn after char c (draw.c draws the same). */
static float hyphen_width(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, const pdf_char *c) {
  uint16_t style = p->runs[c->run].style;
  int f = pdf_font_for(fonts, pdf_role_for(st->role, style), '-');
  return f < 0 ? 0 : (float)pdf_font_width(fonts, f, '-') * pdf_size_of(st, style) / 1000.0f;
}

/* The hyphenation points of the word of chars k .. end, as the char each
 * point breaks before (0: none) and its kind, into pts (at most max). */
static size_t word_points(pdf_para *p, const pdf_style *st, uint32_t k, uint32_t end, uint32_t *at,
                          uint8_t *kind, size_t max) {
  if (p->shaped) return 0; /* joined and reordered scripts are not hyphenated */
  uint32_t b0 = p->chars[k].byte, b1 = end < p->n_chars ? p->chars[end].byte : (uint32_t)p->len;
  gz_hyph_point pts[64];
  size_t n = gz_hyphen_points(st->hyph, p->text + b0, b1 - b0, pts, GZ_ARRAY_LEN(pts));
  if (n > GZ_ARRAY_LEN(pts)) n = GZ_ARRAY_LEN(pts);
  size_t m = 0;
  uint32_t c = k;
  for (size_t i = 0; i < n && m < max; i++) {
    while (c < end && p->chars[c].byte < b0 + pts[i].at) c++;
    if (c < end && c > k && p->chars[c].byte == b0 + pts[i].at) {
      at[m] = c;
      kind[m++] = pts[i].kind;
    }
  }
  return m;
}

/* Font expansion suits glyphs drawn one by one from their code points:
 * not shaped scripts (their joins and marks are HarfBuzz's), nor CJK,
 * set on a grid of equal squares. */
static bool expandable(const pdf_para *p, uint32_t start) {
  if (p->shaped) return false;
  for (uint32_t k = start; k < p->n_chars; k++)
    if (cjk(p->chars[k].cp)) return false;
  return true;
}

/* Items of chars start .. n_chars: boxes between break opportunities,
 * glue at spaces, penalties at hyphenation points and other breaks, the
 * ragged end of the paragraph (and of each hard line break). */
static int kp_items(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, uint32_t start,
                    size_t *out_n) {
  size_t n = 0;
  uint32_t box0 = start;
  float box_w = 0;
  bool in_box = false;
  uint32_t pts_at[64];
  uint8_t pts_kind[64];
  size_t n_pts = 0, next_pt = 0;
  uint32_t word_end = start;
  bool in_address = false; /* the word is a URL, an e-mail address or a path */
  pdf_kp_item end3[3];
  pdf_kp_para_end(end3);
  float e = expandable(p, start) ? PDF_EXPANSION : 0;
#define FLUSH()                                                                             \
  do {                                                                                      \
    if (in_box && kp_push(p, &n, pdf_kp_box_expandable(box_w, box_w * e), box0)) return -1; \
    in_box = false;                                                                         \
    box_w = 0;                                                                              \
  } while (0)
  for (uint32_t k = start; k < p->n_chars;) {
    pdf_char *c = &p->chars[k];
    if (hard_break(c)) {
      FLUSH();
      for (int j = 0; j < 3; j++)
        if (kp_push(p, &n, end3[j], k)) return -1;
      k++;
      continue;
    }
    if (pdf_glue_char(c->cp)) {
      uint32_t j = k;
      float w = 0;
      while (j < p->n_chars && pdf_glue_char(p->chars[j].cp)) w += p->chars[j++].width;
      /* spaces before a line break or the end take no room */
      if (j < p->n_chars && !hard_break(&p->chars[j]) && (n > 0 || in_box)) {
        FLUSH();
        /* glue where UAX #14 forbids a break (before "!" in French) */
        if (p->chars[j - 1].brk != LINEBREAK_ALLOWBREAK &&
            kp_push(p, &n, pdf_kp_penalty(0, PDF_KP_INF, false), k))
          return -1;
        if (kp_push(p, &n, pdf_kp_glue(w, w / 2 + w * e, w / 3 + w * e), k)) return -1;
      }
      k = j;
      continue;
    }
    if (k >= word_end) { /* a new word: its hyphenation points */
      word_end = k;
      while (word_end < p->n_chars && !pdf_glue_char(p->chars[word_end].cp) &&
             !hard_break(&p->chars[word_end]))
        word_end++;
      n_pts = word_points(p, st, k, word_end, pts_at, pts_kind, GZ_ARRAY_LEN(pts_at));
      next_pt = 0;
      in_address = false;
      for (uint32_t j = k; j < word_end && !in_address; j++)
        in_address = p->chars[j].cp == '/' || p->chars[j].cp == '@';
    }
    if (!in_box) box0 = k, in_box = true;
    box_w += c->width;
    k++;
    if (k >= word_end) continue; /* the space or end after the word */
    while (next_pt < n_pts && pts_at[next_pt] < k) next_pt++;
    pdf_kp_item pen;
    bool drawn = false;
    /* a line that ends here does without c's kerning with the next
     * char (the box before holds it) */
    if (next_pt < n_pts && pts_at[next_pt] == k) {
      drawn = pts_kind[next_pt] != GZ_HYPH_EXPLICIT;
      pen = pdf_kp_penalty((drawn ? hyphen_width(p, fonts, st, c) : 0) - c->kern,
                           drawn ? HYPHEN_PENALTY : EXPLICIT_HYPHEN_PENALTY, true);
    } else if (in_address && (c->cp == '-' || p->chars[k].cp == '-')) {
      /* an address breaks before its hyphens, never after: a line
       * ending in "-" would read as a hyphen added (Chicago Manual of
       * Style, 17th ed., 6.17 and 14.18) */
      if (c->cp == '-') continue;
      pen = pdf_kp_penalty(-c->kern, OTHER_BREAK_PENALTY, false);
    } else if (c->brk == LINEBREAK_ALLOWBREAK) {
      pen = pdf_kp_penalty(-c->kern, cjk(c->cp) || cjk(p->chars[k].cp) ? 0 : OTHER_BREAK_PENALTY,
                           false);
    } else {
      continue;
    }
    FLUSH();
    if (kp_push(p, &n, pen, k)) return -1;
    p->kpat[n - 1].drawn_hyphen = drawn;
  }
  FLUSH();
#undef FLUSH
  for (int j = 0; j < 3; j++)
    if (kp_push(p, &n, end3[j], (uint32_t)p->n_chars)) return -1;
  *out_n = n;
  return 0;
}

/* Cuts chars first .. end (an unbreakable stretch wider than the line)
 * between characters into ragged lines. */
static int cut_overfull(pdf_para *p, uint32_t first, uint32_t end, float first_width, float width) {
  float x = 0, avail = p->n_lines ? width : first_width;
  uint32_t s = first;
  for (uint32_t k = first; k < end; k++) {
    if (x + p->chars[k].width > avail && k > s) {
      if (push_line(p, s, k)) return -1;
      s = k;
      x = 0;
      avail = width;
    }
    x += p->chars[k].width;
  }
  return s < end ? push_line(p, s, end) : 0;
}

/* Breaks chars start .. n_chars into justified lines with the breaker. */
static int layout_justified(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, uint32_t start,
                            float first_width, float width) {
  size_t n = 0;
  if (kp_items(p, fonts, st, start, &n)) return -1;
  float widths[2] = {first_width, width};
  pdf_kp_params kpp = pdf_kp_defaults();
  kpp.widths = widths;
  kpp.n_widths = 2;
  kpp.greedy = st->first_fit;
  pdf_kp_result res;
  if (pdf_kp_break(&p->kp, p->kpi, n, &kpp, &res)) return -1;
  float e = expandable(p, start) ? PDF_EXPANSION : 0;
  for (size_t i = 0; i < res.n_lines; i++) {
    const pdf_kp_line *l = &res.lines[i];
    uint32_t first = l->start < n ? p->kpat[l->start].c0 : (uint32_t)p->n_chars;
    uint32_t end = l->end < n ? p->kpat[l->end].c0 : (uint32_t)p->n_chars;
    if (end < first) end = first;
    if (l->overfull) {
      if (cut_overfull(p, first, end, first_width, width)) return -1;
      continue;
    }
    if (push_line(p, first, end)) return -1;
    pdf_line *ln = &p->lines[p->n_lines - 1];
    float natural = ln->width;
    if (l->flagged && l->end < n && p->kpat[l->end].drawn_hyphen && end > first) {
      ln->hyphen = true;
      ln->width += hyphen_width(p, fonts, st, &p->chars[end - 1]);
    }
    float r = (float)l->ratio;
    if (r != 0) {
      uint32_t last = first + ln->count;
      while (last > first && p->chars[last - 1].space) last--;
      float spaces = 0;
      for (uint32_t k = first; k < last; k++)
        if (pdf_glue_char(p->chars[k].cp)) spaces += p->chars[k].width;
      /* the breaker's ratio r spreads the line's slack over the glyphs'
       * expansion and the spaces' stretch together: the glyphs take
       * their share up to their limit, the spaces the rest */
      float glue = r > 0 ? spaces / 2 : spaces / 3;
      float rc = r > 1 ? 1 : r < -1 ? -1 : r;
      float glue_extra = r * (glue + natural * e) - rc * e * natural;
      float scale = 1 + rc * e;
      float ratio = glue > 0 ? glue_extra / glue : 0;
      /* a line that could only be justified with spaces over 2.5 times
       * their width (text without hyphenation patterns, a long word
       * after few short ones) is set ragged instead */
      if (scale + (ratio > 0 ? ratio / 2 : 0) <= MAX_SPACE) {
        ln->scale = scale;
        ln->ratio = ratio;
        ln->width += natural * (scale - 1) + glue_extra;
      }
    }
  }
  if (p->n_lines == 0) return push_line(p, start, (uint32_t)p->n_chars);
  return 0;
}

/* Folds the kerning of each pair of neighbours of one font and run into
 * the first one's width; never across a space, a line break or an
 * invisible char. */
static void kern_pairs(pdf_para *p, pdf_fonts *fonts, const pdf_style *st) {
  for (size_t k = 0; k + 1 < p->n_chars; k++) {
    pdf_char *a = &p->chars[k], *b = a + 1;
    if (a->font < 0 || a->font != b->font || a->run != b->run || a->space || b->space ||
        a->invisible || b->invisible)
      continue;
    int kern = pdf_font_kern(fonts, a->font, a->cp, b->cp);
    if (kern == 0) continue;
    a->kern = (float)kern * pdf_size_of(st, p->runs[a->run].style) / 1000.0f;
    a->width += a->kern;
  }
}

static int layout(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, const char *text, size_t len,
                  const gz_run *runs, size_t n_runs, float first_width, float width,
                  pdf_missing *missing) {
  pthread_once(&g_lb_once, lb_init);
  p->text = text;
  p->len = len;
  if (!runs) {
    memset(&p->single, 0, sizeof p->single);
    p->single.text = text;
    p->single.len = (uint32_t)len;
    runs = &p->single;
    n_runs = 1;
  }
  p->runs = runs;
  p->n_runs = n_runs;
  p->n_chars = 0;
  p->n_lines = 0;
  p->shaped = p->rtl = false;
  if (len == 0) return 0;
  if (len + 1 > p->cap_brks) {
    char *b = gz_realloc(p->al, p->brks, len + 1);
    if (!b) return -1;
    p->brks = b;
    p->cap_brks = len + 1;
  }
  const char *lb = breakable_text(p, text, len);
  if (!lb) return -1;
  set_linebreaks_utf8((const utf8_t *)lb, len, NULL, p->brks);

  const unsigned char *u = (const unsigned char *)text;
  size_t run = 0, i = 0, ri = 0;
  uint32_t prev_cp = 0;
  bool shaping = false;
  while (i < len) {
    while (run + 1 < n_runs && i >= (size_t)(runs[run].text - text) + runs[run].len) run++;
    uint32_t cp;
    size_t n = gz_utf8_decode(u + i, len - i, &cp);
    if (gz_grow(p->al, (void **)&p->chars, &p->cap_chars, p->n_chars + 1, sizeof *p->chars))
      return -1;
    pdf_char *c = &p->chars[p->n_chars++];
    memset(c, 0, sizeof *c);
    c->byte = (uint32_t)i;
    c->run = (uint16_t)(run > 65535 ? 65535 : run);
    c->brk = (uint8_t)p->brks[i + n - 1];
    fix_break(p->n_chars > 1 ? c - 1 : NULL, prev_cp, cp, ri);
    ri = regional(cp) ? ri + 1 : 0;
    prev_cp = cp;
    if (pdf_needs_shaping(cp)) shaping = true;
    uint16_t style = runs[run].style;
    font_role role = pdf_role_for(st->role, style);
    if (cp == '\t') cp = ' ';
    if (cp == '\n') {
      c->cp = '\n';
      c->invisible = true;
      c->brk = LINEBREAK_MUSTBREAK;
      c->font = -1;
    } else if (invisible(cp)) {
      c->cp = cp;
      c->invisible = true;
      c->font = -1;
    } else {
      int f = pdf_font_for(fonts, role, cp);
      if (f < 0) {
        note_missing(missing, cp);
        cp = 0xFFFD;
        f = pdf_font_for(fonts, role, cp);
        if (f < 0) cp = '?', f = pdf_font_for(fonts, role, cp);
      }
      c->cp = cp;
      c->font = (int16_t)f;
      c->space = cp == ' ' || cp == 0xA0 || cp == 0x3000;
      c->width = (float)pdf_font_width(fonts, f, cp) * pdf_size_of(st, style) / 1000.0f;
      if (c->width < 0) c->width = 0;
    }
    i += n;
  }
  if (shaping && pdf_shape(p, fonts, st)) return -1;
  if (!shaping) kern_pairs(p, fonts, st);

  /* Greedy filling. */
  uint32_t start = 0;
  while (start < p->n_chars && !st->pre && p->chars[start].space) start++;
  if (st->justify && !st->pre && !st->nowrap_ellipsis)
    return layout_justified(p, fonts, st, start, first_width, width);
  float x = 0, avail = first_width;
  long last_break = -1;
  for (uint32_t k = start; k < p->n_chars; k++) {
    pdf_char *c = &p->chars[k];
    if (c->cp == '\n' && c->invisible) {
      if (push_line(p, start, k)) return -1;
      start = k + 1;
      x = 0;
      avail = width;
      last_break = -1;
      continue;
    }
    if (k == start && !st->pre && c->space) {
      start = k + 1;
      continue;
    }
    x += c->width;
    if (x > avail && k > start && !c->space) {
      uint32_t end;
      if (last_break >= (long)start && !st->nowrap_ellipsis) {
        end = (uint32_t)last_break + 1;
      } else {
        end = k; /* no break opportunity: cut the word */
      }
      if (st->nowrap_ellipsis) break;
      if (push_line(p, start, end)) return -1;
      start = end;
      while (!st->pre && start < p->n_chars && p->chars[start].space) start++;
      avail = width;
      last_break = -1;
      x = 0;
      for (uint32_t j = start; j <= k && j < p->n_chars; j++) x += p->chars[j].width;
      if (start > k) x = 0;
    }
    if (c->brk == LINEBREAK_ALLOWBREAK) last_break = k;
  }
  if (st->nowrap_ellipsis) {
    /* one line: cut before the ellipsis fits */
    float ell = (float)pdf_font_width(fonts, pdf_font_for(fonts, st->role, 0x2026), 0x2026) *
                st->size / 1000.0f;
    float total = 0;
    uint32_t end = start;
    for (uint32_t k = start; k < p->n_chars; k++) total += p->chars[k].width;
    if (total <= first_width) {
      end = (uint32_t)p->n_chars;
    } else {
      float acc = 0;
      while (end < p->n_chars && acc + p->chars[end].width + ell <= first_width)
        acc += p->chars[end++].width;
      while (end > start && p->chars[end - 1].space) end--;
      /* The ellipsis replaces the rest: reuse the next char slot. */
      if (end < p->n_chars) {
        if (end > start) { /* the kerning was with the char replaced */
          p->chars[end - 1].width -= p->chars[end - 1].kern;
          p->chars[end - 1].kern = 0;
        }
        pdf_char *c = &p->chars[end];
        c->cp = 0x2026;
        c->font = (int16_t)pdf_font_for(fonts, st->role, 0x2026);
        c->width = ell;
        c->kern = 0;
        c->invisible = false;
        c->space = false;
        end++;
        /* shaped text is shaped again as it will be drawn */
        if (p->shaped) {
          p->n_chars = end;
          if (pdf_shape(p, fonts, st)) return -1;
        }
      }
    }
    return push_line(p, start, end);
  }
  if (start < p->n_chars || p->n_lines == 0) return push_line(p, start, (uint32_t)p->n_chars);
  return 0;
}

/* Only allocations fail in layout(); the failure marks the document. */
int pdf_para_layout(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, const char *text,
                    size_t len, const gz_run *runs, size_t n_runs, float first_width, float width,
                    pdf_missing *missing) {
  int rc = layout(p, fonts, st, text, len, runs, n_runs, first_width, width, missing);
  if (rc) fonts->oom = true;
  return rc;
}

int pdf_para_kp_compare(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, const char *text,
                        size_t len, const gz_run *runs, size_t n_runs, float first_width,
                        float width, pdf_kp_compare *out) {
  memset(out, 0, sizeof *out);
  pdf_style js = *st;
  js.justify = true;
  js.first_fit = false;
  if (pdf_para_layout(p, fonts, &js, text, len, runs, n_runs, first_width, width, NULL)) return -1;
  if (js.pre || js.nowrap_ellipsis || p->n_chars == 0) return 0;
  /* the items again, as layout_justified made them */
  uint32_t start = 0;
  while (start < p->n_chars && p->chars[start].space) start++;
  size_t n = 0;
  if (kp_items(p, fonts, &js, start, &n)) return -1;
  float widths[2] = {first_width, width};
  pdf_kp_params kpp = pdf_kp_defaults();
  kpp.widths = widths;
  kpp.n_widths = 2;
  pdf_kp_result res;
  if (pdf_kp_break(&p->kp, p->kpi, n, &kpp, &res)) return -1;
  out->total = res.demerits;
  out->total_lines = res.n_lines;
  out->total_pass = res.pass;
  kpp.greedy = true;
  if (pdf_kp_break(&p->kp, p->kpi, n, &kpp, &res)) return -1;
  out->greedy = res.demerits;
  out->greedy_lines = res.n_lines;
  out->items = n;
  return 0;
}

pdf_style pdf_plain_style(font_role role, float size, float leading, float grey) {
  pdf_style st;
  memset(&st, 0, sizeof st);
  st.role = role;
  st.size = size;
  st.leading = leading;
  st.r = st.g = st.b = grey;
  return st;
}

float pdf_text_width(pdf_fonts *fonts, font_role role, float size, const char *s) {
  pdf_style st;
  memset(&st, 0, sizeof st);
  st.role = role;
  st.size = size;
  pdf_para p;
  pdf_para_init(&p, fonts->al);
  float w = 0;
  if (pdf_para_layout(&p, fonts, &st, s, strlen(s), NULL, 0, 1e9f, 1e9f, NULL) == 0)
    for (size_t i = 0; i < p.n_lines; i++) w = p.lines[i].width > w ? p.lines[i].width : w;
  pdf_para_free(&p);
  return w;
}
