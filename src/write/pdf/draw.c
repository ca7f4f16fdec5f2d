/*
 * draw.c - drawing on the PDF's pages: laid-out lines with their fonts,
 * styles and links, plain strings, rules, boxes and links to pages. The
 * other parts draw through these rather than with libharu's calls.
 */
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

void pdf_para_draw_line(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, HPDF_Page page,
                        size_t li, float x, float y, bool pdfa) {
  if (li >= p->n_lines) return;
  const pdf_line *line = &p->lines[li];
  uint32_t end = line->first + line->count;
  while (end > line->first && p->chars[end - 1].space) end--;
  char buf[4096];
  HPDF_Page_BeginText(page);
  uint32_t k = line->first;
  float cx = x;
  /* link areas are collected and annotated after the text object */
  struct {
    float x0, x1;
    uint16_t run;
  } links[64];
  size_t n_links = 0;
  while (k < end) {
    pdf_char *c = &p->chars[k];
    if (c->invisible || c->font < 0) {
      cx += c->width;
      k++;
      continue;
    }
    /* a segment: same font and run */
    size_t n = 0;
    float seg_w = 0;
    uint32_t j = k;
    while (j < end && !p->chars[j].invisible && p->chars[j].font == c->font &&
           p->chars[j].run == c->run && n + 4 < sizeof buf) {
      n += gz_utf8_encode(p->chars[j].cp, buf + n);
      seg_w += p->chars[j].width;
      j++;
    }
    buf[n] = '\0';
    const gz_run *run = &p->runs[c->run];
    uint16_t style = run->style;
    float size = pdf_size_of(st, style);
    float dy = (style & GZ_STYLE_SUP)   ? st->size * 0.35f
               : (style & GZ_STYLE_SUB) ? -st->size * 0.15f
                                        : 0;
    pdf_font *pf = &fonts->fonts[c->font];
    HPDF_Page_SetFontAndSize(page, pf->font, size);
    if (run->href)
      HPDF_Page_SetRGBFill(page, 0.05f, 0.2f, 0.55f);
    else
      HPDF_Page_SetRGBFill(page, st->r, st->g, st->b);
    bool bold_role = pdf_role_for(st->role, style) == ROLE_SERIF_BOLD ||
                     pdf_role_for(st->role, style) == ROLE_SANS_BOLD ||
                     pdf_role_for(st->role, style) == ROLE_SERIF_BOLD_ITALIC;
    bool fake_bold = bold_role && c->font < fonts->n_user;
    if (fake_bold) {
      HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
      HPDF_Page_SetLineWidth(page, size * 0.03f);
    }
    float skew =
        pdf_slanted(fonts, st->role, style) || (c->font < fonts->n_user && (style & GZ_STYLE_EM))
            ? 0.2f
            : 0.0f;
    HPDF_Page_SetTextMatrix(page, 1, 0, skew, 1, cx, y + dy);
    HPDF_Page_ShowText(page, buf);
    if (fake_bold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    if (run->href && n_links < GZ_ARRAY_LEN(links)) {
      if (n_links > 0 && links[n_links - 1].run == c->run && links[n_links - 1].x1 >= cx - 0.5f)
        links[n_links - 1].x1 = cx + seg_w;
      else {
        links[n_links].x0 = cx;
        links[n_links].x1 = cx + seg_w;
        links[n_links].run = c->run;
        n_links++;
      }
    }
    cx += seg_w;
    k = j;
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
