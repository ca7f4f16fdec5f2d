/*
 * draw.c - drawing on the PDF's pages: laid-out lines with their fonts,
 * styles and links (shaped lines as glyphs in display order), plain strings, rules, boxes and links
 * to pages. The other parts draw through these rather than with libharu's calls.
 */
#include <hb.h>
#include <math.h>
#include <string.h>

#include "write/pdf/pdf.h"

static void link_annot(pdf_fonts *fonts, HPDF_Page page, float x0, float y0, float x1, float y1,
                       const gz_run *run, bool pdfa) {
  /* PDF URI actions hold 7-bit ASCII */
  gz_buf uri;
  gz_buf_init(&uri, fonts->al);
  gz_uri_encode(&uri, run->href, run->href_len);
  HPDF_Rect rect = {x0, y0, x1, y1};
  HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, rect, gz_buf_cstr(&uri));
  if (uri.failed) fonts->oom = true;
  gz_buf_free(&uri);
  if (!a) return;
  HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
  if (pdfa) gzh_annot_set_print(a); /* printable, as PDF/A wants */
}

/* Sets font, size and colour of a run's style; returns the slant. */
static float set_style(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, HPDF_Page page, int font,
                       uint16_t run_i, bool *fake_bold) {
  const gz_run *run = &p->runs[run_i];
  uint16_t style = run->style;
  float size = pdf_size_of(st, style);
  HPDF_Page_SetFontAndSize(page, fonts->fonts[font].font, size);
  if (run->href)
    HPDF_Page_SetRGBFill(page, 0.05f, 0.2f, 0.55f);
  else
    HPDF_Page_SetRGBFill(page, st->r, st->g, st->b);
  font_role r = pdf_role_for(st->role, style);
  bool bold_role = r == ROLE_SERIF_BOLD || r == ROLE_SANS_BOLD || r == ROLE_SERIF_BOLD_ITALIC;
  *fake_bold = bold_role && font < fonts->n_user;
  if (*fake_bold) {
    HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
    HPDF_Page_SetLineWidth(page, size * 0.03f);
  }
  return pdf_slanted(fonts, st->role, style) || (font < fonts->n_user && (style & GZ_STYLE_EM))
             ? 0.2f
             : 0.0f;
}

/* ---- shaped lines ---- */

typedef struct piece {
  uint32_t item, lo, hi; /* chars lo .. hi of an item */
  uint8_t level;
} piece;

/* Reverses every run of pieces at `level` or above, from the highest
 * level down to the lowest odd one: rule L2 of UAX #9. */
static void reorder(piece *pc, size_t n) {
  uint8_t hi = 0, lo_odd = 255;
  for (size_t i = 0; i < n; i++) {
    if (pc[i].level > hi) hi = pc[i].level;
    if ((pc[i].level & 1) && pc[i].level < lo_odd) lo_odd = pc[i].level;
  }
  for (int lev = hi; lev >= lo_odd && lev > 0; lev--)
    for (size_t i = 0; i < n;) {
      if (pc[i].level < lev) {
        i++;
        continue;
      }
      size_t j = i;
      while (j < n && pc[j].level >= lev) j++;
      for (size_t a = i, b = j - 1; a < b; a++, b--) {
        piece t = pc[a];
        pc[a] = pc[b];
        pc[b] = t;
      }
      i = j;
    }
}

/* The glyphs of the line in display order, each shown through its code
 * point when the font's cmap gives that glyph for it, else through a CID
 * of its own (fonts.c). Positions that the widths of the PDF would not
 * give (kerning, marks) start a new string at an explicit place. */
static void draw_shaped_line(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, HPDF_Page page,
                             const pdf_line *line, float x, float y, bool pdfa) {
  uint32_t a = line->first, b = line->first + line->count;
  while (b > a && (p->chars[b - 1].space || p->cps[b - 1] == '\n')) b--;
  piece pcs[256];
  size_t n = 0;
  for (size_t i = 0; i < p->n_items && n < GZ_ARRAY_LEN(pcs); i++) {
    const pdf_item *it = &p->items[i];
    uint32_t lo = it->first > a ? it->first : a, hi = it->end < b ? it->end : b;
    if (lo >= hi) continue;
    pcs[n].item = (uint32_t)i;
    pcs[n].lo = lo;
    pcs[n].hi = hi;
    pcs[n].level = it->level;
    n++;
  }
  reorder(pcs, n);
  struct {
    float x0, x1;
    uint16_t run;
  } links[64];
  size_t n_links = 0;
  char buf[1024];
  HPDF_Page_BeginText(page);
  float pen = x;
  for (size_t k = 0; k < n; k++) {
    const pdf_item *it = &p->items[pcs[k].item];
    bool fake_bold = false;
    float skew = set_style(p, fonts, st, page, it->font, it->run, &fake_bold);
    uint16_t style = p->runs[it->run].style;
    float size = pdf_size_of(st, style);
    float base = y + ((style & GZ_STYLE_SUP)   ? st->size * 0.35f
                      : (style & GZ_STYLE_SUB) ? -st->size * 0.15f
                                               : 0);
    hb_font_t *hf = pdf_font_hb(fonts, it->font);
    float start = pen, cur_x = -1e9f, cur_y = 0;
    size_t len = 0;
    for (uint32_t g = it->g0; g < it->g1; g++) {
      const pdf_glyph *gl = &p->glyphs[g];
      if (gl->ch < pcs[k].lo || gl->ch >= pcs[k].hi) continue;
      int cid = -1, w = 0;
      uint32_t cp = p->cps[gl->ch];
      hb_codepoint_t nominal = 0;
      /* the text of a cluster of several glyphs goes with an inkless
       * glyph (the font's space) that spans the cluster, the glyphs
       * themselves carry none: pdftotext then sees the cluster's text
       * where the cluster stands, whatever the glyphs' offsets */
      hb_codepoint_t carrier = 0;
      bool lead = gl->first && !gl->alone && hf && hb_font_get_nominal_glyph(hf, ' ', &carrier);
      for (int pass = lead ? 0 : 1; pass < 2; pass++) {
        float gx = pen + (pass ? gl->dx : 0), gy = base + (pass ? gl->dy : 0);
        uint32_t text[64];
        size_t nt = gl->first && (pass == 0 || !lead) ? gl->ch_end - gl->ch : 0;
        if (nt > GZ_ARRAY_LEN(text)) nt = GZ_ARRAY_LEN(text);
        /* pdftotext reads a right-to-left line backwards, the several
         * characters of one glyph (lam-alef) included: they are given in
         * that order to come out right */
        for (size_t t = 0; t < nt; t++)
          text[t] = p->cps[(it->level & 1) ? gl->ch_end - 1 - t : gl->ch + t];
        if (pass == 0) {
          w = gl->width;
          cid = pdf_font_glyph_cid(fonts, it->font, (uint16_t)carrier, text, nt, w);
        } else if (gl->alone && gl->ch_end == gl->ch + 1 && cp <= 0xFFFF && hf &&
                   hb_font_get_nominal_glyph(hf, cp, &nominal) && nominal == gl->gid) {
          cid = (int)cp;
          w = pdf_font_width(fonts, it->font, cp);
        } else {
          w = lead ? (int)(gl->adv * 1000.0f / size + 0.5f) : gl->width;
          cid = pdf_font_glyph_cid(fonts, it->font, gl->gid, text, nt, w);
        }
        if (cid < 0) {
          fonts->undrawn++;
          continue;
        }
        if (len + 4 >= sizeof buf || gx - cur_x > 0.01f || cur_x - gx > 0.01f || gy != cur_y) {
          if (len) {
            buf[len] = '\0';
            HPDF_Page_ShowText(page, buf);
            len = 0;
          }
          HPDF_Page_SetTextMatrix(page, 1, 0, skew, 1, gx, gy);
          cur_x = gx;
          cur_y = gy;
        }
        len += gz_utf8_encode((uint32_t)cid, buf + len);
        cur_x += (float)(w < 0 ? 0 : w) * size / 1000.0f;
      }
      pen += gl->adv;
      /* a justified line's space is wider: the next glyph moves */
      if (line->ratio != 0 && gl->first && pdf_glue_char(p->cps[gl->ch]))
        pen += pdf_space_extra(p->chars[gl->ch].width, line->ratio);
    }
    if (len) {
      buf[len] = '\0';
      HPDF_Page_ShowText(page, buf);
    }
    if (fake_bold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    if (p->runs[it->run].href && n_links < GZ_ARRAY_LEN(links)) {
      links[n_links].x0 = start;
      links[n_links].x1 = pen;
      links[n_links].run = it->run;
      n_links++;
    }
  }
  HPDF_Page_EndText(page);
  for (size_t i = 0; i < n_links; i++)
    link_annot(fonts, page, links[i].x0, y - st->size * 0.25f, links[i].x1, y + st->size * 0.85f,
               &p->runs[links[i].run], pdfa);
}

/* ---- lines of text that is not shaped ----
 *
 * Each run of one font and style on a line is one TJ array: the two-byte
 * codes of its chars (CIDs that are their BMP code points) and, between
 * them, the adjustments that set each char where lines.c measured it:
 * the font's kerning and the wider spaces of a justified line. A space
 * stays in the text (pdftotext keeps the words apart by it), and Tw
 * cannot widen it: it acts on one-byte codes only (docs/typography.md).
 * Adjustments are whole thousandths of the font size; each one makes up
 * for the rounding of those before it, so no error builds up along a
 * line. */

typedef struct tj {
  char b[2048];
  size_t n;
  bool in_str; /* inside a <...> string */
  float size;  /* of the font: adjustments are thousandths of it */
  float pen;   /* where the PDF sets the next glyph (points) */
  float start; /* the pen when the array began */
} tj;

static void tj_begin(tj *t, float size, float x) {
  t->b[0] = '[';
  t->n = 1;
  t->in_str = false;
  t->size = size;
  t->pen = t->start = x;
}

/* Shows the array so far (its operand closed), and begins the next one
 * where it ends: the PDF goes on from there. */
static void tj_flush(tj *t, HPDF_Page page) {
  if (t->n <= 1) return;
  if (t->in_str) t->b[t->n++] = '>';
  t->b[t->n++] = ']';
  gzh_page_show_tj(page, t->b, t->n, t->pen - t->start);
  tj_begin(t, t->size, t->pen);
}

static const char g_hex[] = "0123456789abcdef";

/* Adds the glyph of cp (advance `adv` points) where the line wants it,
 * at x: an adjustment first if the pen is elsewhere. Inside a word
 * (`in_word`) the adjustment is the kern table's own number (`kern`,
 * thousandths of an em, 0 for none) and what rounding leaves goes to
 * the next space's. */
static void tj_glyph(tj *t, HPDF_Page page, uint32_t cp, float adv, float x, bool in_word,
                     int kern) {
  if (t->n + 40 > sizeof t->b) tj_flush(t, page);
  long adj = in_word ? -kern : lrintf((t->pen - x) * 1000.0f / t->size);
  if (adj != 0) {
    if (t->in_str) t->b[t->n++] = '>';
    t->in_str = false;
    /* written by hand: libharu's own number writing was a seventh of
     * the PDF's time when every word had its move */
    char d[24];
    int nd = 0;
    unsigned long u = adj < 0 ? 0ul - (unsigned long)adj : (unsigned long)adj;
    do d[nd++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    t->b[t->n++] = ' ';
    if (adj < 0) t->b[t->n++] = '-';
    while (nd) t->b[t->n++] = d[--nd];
    t->b[t->n++] = ' ';
    t->pen -= (float)adj * t->size / 1000.0f;
  }
  if (!t->in_str) t->b[t->n++] = '<';
  t->in_str = true;
  if (cp > 0xFFFF) cp = 0xFFFD; /* such text is shaped (shape.c): never here */
  for (int sh = 12; sh >= 0; sh -= 4) t->b[t->n++] = g_hex[(cp >> sh) & 0xF];
  t->pen += adv;
}

void pdf_para_draw_line(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, HPDF_Page page,
                        size_t li, float x, float y, bool pdfa) {
  if (li >= p->n_lines) return;
  if (p->shaped) {
    draw_shaped_line(p, fonts, st, page, &p->lines[li], x, y, pdfa);
    return;
  }
  const pdf_line *line = &p->lines[li];
  uint32_t end = line->first + line->count;
  while (end > line->first && p->chars[end - 1].space) end--;
  HPDF_Page_BeginText(page);
  /* font expansion: Tz widens the glyphs, the spaces and the array's
   * adjustments alike */
  float scale = line->scale;
  if (scale != 1) HPDF_Page_SetHorizontalScalling(page, scale * 100);
  uint32_t k = line->first;
  float cx = x;
  /* link areas are collected and annotated after the text object */
  struct {
    float x0, x1;
    uint16_t run;
  } links[64];
  size_t n_links = 0;
  float last_gap = 0;
  tj t;
  while (k < end) {
    pdf_char *c = &p->chars[k];
    if (c->invisible || c->font < 0) {
      cx += c->width * scale;
      k++;
      continue;
    }
    /* a segment: one font and run (chars that draw nothing may be inside) */
    const gz_run *run = &p->runs[c->run];
    uint16_t style = run->style;
    float size = pdf_size_of(st, style);
    float dy = (style & GZ_STYLE_SUP)   ? st->size * 0.35f
               : (style & GZ_STYLE_SUB) ? -st->size * 0.15f
                                        : 0;
    bool fake_bold = false;
    float skew = set_style(p, fonts, st, page, c->font, c->run, &fake_bold);
    HPDF_Page_SetTextMatrix(page, 1, 0, skew, 1, cx, y + dy);
    float seg_x0 = cx, seg_x1 = cx, gap = 0;
    tj_begin(&t, size * scale, cx);
    uint32_t j = k;
    int kern_before = 0;
    bool in_word = false;
    for (; j < end; j++) {
      const pdf_char *d = &p->chars[j];
      if (d->invisible || d->font < 0) {
        cx += d->width * scale;
        in_word = false;
        continue;
      }
      if (d->font != c->font || d->run != c->run) break;
      /* the advance the PDF gives the glyph: its width without kerning */
      tj_glyph(&t, page, d->cp, (d->width - d->kern) * scale, cx, in_word, kern_before);
      kern_before = (int)lrintf(d->kern * 1000.0f / size);
      in_word = !pdf_glue_char(d->cp);
      cx += d->width * scale;
      /* the last char's kerning is with the next line's first */
      if (j + 1 == end) cx -= d->kern * scale;
      seg_x1 = cx;
      gap = 0;
      if (line->ratio != 0 && pdf_glue_char(d->cp)) {
        gap = pdf_space_extra(d->width, line->ratio);
        cx += gap;
      }
    }
    tj_flush(&t, page);
    if (fake_bold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    if (run->href && n_links < GZ_ARRAY_LEN(links)) {
      if (n_links > 0 && links[n_links - 1].run == c->run &&
          links[n_links - 1].x1 >= seg_x0 - 0.5f - last_gap)
        links[n_links - 1].x1 = seg_x1;
      else {
        links[n_links].x0 = seg_x0;
        links[n_links].x1 = seg_x1;
        links[n_links].run = c->run;
        n_links++;
      }
    }
    last_gap = gap;
    k = j;
  }
  if (scale != 1) HPDF_Page_SetHorizontalScalling(page, 100);
  if (line->hyphen && end > line->first) {
    /* the hyphen of a hyphenated line, in the font and style of the word */
    const pdf_char *lc = &p->chars[end - 1];
    font_role role = pdf_role_for(st->role, p->runs[lc->run].style);
    int hf = pdf_font_for(fonts, role, '-');
    if (hf >= 0) {
      bool fake_bold = false;
      float skew = set_style(p, fonts, st, page, hf, lc->run, &fake_bold);
      HPDF_Page_SetTextMatrix(page, 1, 0, skew, 1, cx, y);
      HPDF_Page_ShowText(page, "-");
      if (fake_bold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    }
  }
  HPDF_Page_EndText(page);
  for (size_t i = 0; i < n_links; i++)
    link_annot(fonts, page, links[i].x0, y - st->size * 0.25f, links[i].x1, y + st->size * 0.85f,
               &p->runs[links[i].run], pdfa);
}

void pdf_draw_text(pdf_fonts *fonts, HPDF_Page page, font_role role, float size, float grey,
                   float x, float y, const char *s) {
  pdf_style st;
  memset(&st, 0, sizeof st);
  st.role = role;
  st.size = size;
  st.r = st.g = st.b = grey;
  pdf_para p;
  pdf_para_init(&p, fonts->al);
  if (pdf_para_layout(&p, fonts, &st, s, strlen(s), NULL, 0, 1e9f, 1e9f, NULL) == 0)
    pdf_para_draw_line(&p, fonts, &st, page, 0, x, y, false);
  pdf_para_free(&p);
}

void pdf_draw_stroke(HPDF_Page p, float x0, float y0, float x1, float y1, float width, float grey) {
  HPDF_Page_SetLineWidth(p, width);
  HPDF_Page_SetRGBStroke(p, grey, grey, grey);
  HPDF_Page_MoveTo(p, x0, y0);
  HPDF_Page_LineTo(p, x1, y1);
  HPDF_Page_Stroke(p);
}

void pdf_draw_hline(HPDF_Page p, float x0, float x1, float y, float width, float grey) {
  pdf_draw_stroke(p, x0, y, x1, y, width, grey);
}

void pdf_draw_box(HPDF_Page p, float x, float y, float w, float h, float grey) {
  HPDF_Page_SetRGBFill(p, grey, grey, grey); /* text drawn since may have changed it */
  HPDF_Page_Rectangle(p, x, y, w, h);
  HPDF_Page_Fill(p);
}

void pdf_draw_page_link(HPDF_Page from, float x0, float y0, float x1, float y1, HPDF_Page to,
                        float y, bool pdfa) {
  HPDF_Destination dst = HPDF_Page_CreateDestination(to);
  if (dst) HPDF_Destination_SetFitH(dst, y);
  HPDF_Rect r = {x0, y0, x1, y1};
  HPDF_Annotation a = dst ? HPDF_Page_CreateLinkAnnot(from, r, dst) : NULL;
  if (a) {
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    HPDF_LinkAnnot_SetHighlightMode(a, HPDF_ANNOT_NO_HIGHTLIGHT);
    if (pdfa) gzh_annot_set_print(a);
  }
}
