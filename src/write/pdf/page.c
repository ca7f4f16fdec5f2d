/*
 * page.c - page geometry of the PDF: the sizes and margins of each paper
 * size, adding pages, the running header of article pages and the page
 * numbers at their feet.
 */
#include <stdio.h>

#include "write/pdf/pdf.h"

static const geometry geometries[] = {
    [GZ_PAGE_A4] = {595.28f, 841.89f, 64, 64, 72, 66, 10.5f, 14.6f},
    [GZ_PAGE_LETTER] = {612, 792, 66, 66, 70, 64, 10.5f, 14.6f},
    [GZ_PAGE_A5] = {419.53f, 595.28f, 44, 44, 58, 52, 9.2f, 12.8f},
};

geometry pdf_geometry_of(gz_page_size size) {
  return geometries[size <= GZ_PAGE_A5 ? size : GZ_PAGE_A4];
}

float pdf_content_w(const pdf_ctx *c) { return c->g.w - c->g.ml - c->g.mr; }
float pdf_top(const pdf_ctx *c) { return c->g.h - c->g.mt; }
HPDF_Page pdf_cur(const pdf_ctx *c) { return c->pages[c->n_pages - 1]; }

HPDF_Page pdf_add_page(pdf_ctx *c) {
  if (gz_grow(c->d->al, (void **)&c->pages, &c->cap_pages, c->n_pages + 1, sizeof *c->pages)) {
    c->fonts.oom = true;
    return NULL;
  }
  HPDF_Page p = HPDF_AddPage(c->pdf);
  if (!p) {
    c->fonts.oom = true;
    return NULL;
  }
  HPDF_Page_SetWidth(p, c->g.w);
  HPDF_Page_SetHeight(p, c->g.h);
  c->pages[c->n_pages++] = p;
  return p;
}

/* The running header carries the digest's title and the group of the
 * page. The page before is final now: its content goes to compression. */
HPDF_Page pdf_body_page(pdf_ctx *c) {
  if (c->n_pages > c->first_body && pdf_seal_page(c, pdf_cur(c))) c->error = GZH_ERR_NOMEM;
  HPDF_Page p = pdf_add_page(c);
  if (!p) return NULL;
  float y = c->g.h - c->g.mt + 24;
  float size = 7.8f;
  char left[1100];
  gz_strlcpy(left, gz_digest_title(c->w), sizeof left);
  pdf_draw_text(&c->fonts, p, ROLE_SANS, size, 0.35f, c->g.ml, y, left);
  if (c->group_label) {
    float lw = pdf_text_width(&c->fonts, ROLE_SANS_BOLD, size, c->group_label);
    pdf_draw_text(&c->fonts, p, ROLE_SANS_BOLD, size, 0.35f, c->g.w - c->g.mr - lw, y,
                  c->group_label);
  }
  pdf_draw_hline(p, c->g.ml, c->g.w - c->g.mr, y - 5, 0.4f, 0.6f);
  c->flow.y = pdf_top(c);
  return p;
}

static void next_page(void *c) { pdf_body_page(c); }

void pdf_flow_on_pages(pdf_ctx *c) {
  c->flow.bottom = c->g.mb;
  c->flow.new_page = next_page;
  c->flow.user = c;
  c->flow.x = c->g.ml;
  c->flow.w = pdf_content_w(c);
  c->flow.gap_stretch = 0;
  c->flow.gap_shrink = 0;
}

void pdf_footers(pdf_ctx *c) {
  size_t n = c->n_pages;
  for (size_t i = 1; i < n; i++) {
    char s[48];
    snprintf(s, sizeof s, "%zu / %zu", i + 1, n);
    float w = pdf_text_width(&c->fonts, ROLE_SANS, 7.8f, s);
    /* an article page's first content stream went to compression */
    if (i >= c->first_body) {
      HPDF_Dict extra;
      HPDF_Page_New_Content_Stream(c->pages[i], &extra);
    }
    pdf_draw_text(&c->fonts, c->pages[i], ROLE_SANS, 7.8f, 0.35f, (c->g.w - w) / 2, c->g.mb - 30,
                  s);
  }
}
