/*
 * toc.c - the PDF's contents pages (an entry per group and article, with
 * page numbers and links) and its outline (bookmarks).
 *
 * The contents come before the articles but their page numbers are known
 * only after the articles are laid out: the number of contents pages is
 * computed first (each entry is one line), blank pages are reserved, and
 * they are drawn last. libharu keeps every page in memory until it
 * saves, so pages can be drawn on in any order.
 */
#include <stdio.h>
#include <string.h>

#include "write/pdf/pdf.h"

typedef struct toc_metrics {
  float group_lead, article_lead, group_gap, head;
} toc_metrics;

static toc_metrics toc_sizes(const pdf_ctx *c) {
  toc_metrics m = {c->g.body * 1.5f, c->g.body * 1.3f, c->g.body * 0.5f, c->g.body * 3.6f};
  return m;
}

/* Walks the entries as they will be placed; with draw set, draws them. */
size_t pdf_toc_walk(pdf_ctx *c, bool draw) {
  toc_metrics m = toc_sizes(c);
  size_t page = 0;
  float y = pdf_top(c) - m.head;
  size_t k = 0;
  float cw = pdf_content_w(c), num_w = c->g.body * 3.2f;
  pdf_style gs = pdf_plain_style(ROLE_SANS_BOLD, c->g.body * 0.98f, m.group_lead, 0);
  pdf_style as = pdf_plain_style(ROLE_SERIF, c->g.body * 0.9f, m.article_lead, 0.1f);
  gs.nowrap_ellipsis = as.nowrap_ellipsis = true;
  if (draw) {
    HPDF_Page p = c->pages[1];
    pdf_draw_text(&c->fonts, p, ROLE_SANS_BOLD, c->g.body * 1.7f, 0, c->g.ml,
                  pdf_top(c) - c->g.body * 1.7f, "Contents");
  }
  for (size_t g = 0; g < c->job->n_groups; g++) {
    const gz_group *grp = &c->job->groups[g];
    for (size_t i = 0; i <= grp->n_items; i++) {
      bool is_group = i == 0;
      float lead = is_group ? m.group_lead + (g ? m.group_gap : 0) : m.article_lead;
      if (y - lead < c->g.mb) {
        page++;
        y = pdf_top(c);
      }
      y -= lead;
      size_t article = is_group ? 0 : k++;
      if (!draw) continue;
      HPDF_Page p = c->pages[1 + page];
      const place *target = is_group ? &c->group_at[g] : &c->article_at[article];
      const pdf_style *st = is_group ? &gs : &as;
      float indent = is_group ? 0 : 14;
      const char *text = is_group ? grp->label : gz_group_article(c->d, grp, i - 1)->title;
      if (!text) text = "Untitled";
      if (pdf_para_layout(&c->para, &c->fonts, st, text, strlen(text), NULL, 0, cw - indent - num_w,
                          cw - indent - num_w, NULL) == 0)
        pdf_para_draw_line(&c->para, &c->fonts, st, p, 0, c->g.ml + indent, y + lead * 0.28f,
                           false);
      char num[24];
      snprintf(num, sizeof num, "%u", target->page + 1);
      float nw = pdf_text_width(&c->fonts, st->role, st->size, num);
      pdf_draw_text(&c->fonts, p, st->role, st->size, 0.1f, c->g.w - c->g.mr - nw, y + lead * 0.28f,
                    num);
      pdf_draw_page_link(p, c->g.ml + indent, y, c->g.w - c->g.mr, y + lead, c->pages[target->page],
                         target->y + 4, c->pdfa);
    }
  }
  return page + 1;
}

void pdf_outlines(pdf_ctx *c) {
  HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
  size_t k = 0;
  for (size_t g = 0; g < c->job->n_groups; g++) {
    const gz_group *grp = &c->job->groups[g];
    HPDF_Outline o = HPDF_CreateOutline(c->pdf, NULL, grp->label, enc);
    HPDF_Destination dst = HPDF_Page_CreateDestination(c->pages[c->group_at[g].page]);
    if (!o || !dst) return;
    HPDF_Destination_SetFitH(dst, c->group_at[g].y + 4);
    HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, c->job->n_groups <= 40 ? HPDF_TRUE : HPDF_FALSE);
    for (size_t i = 0; i < grp->n_items; i++, k++) {
      const gz_article *a = gz_group_article(c->d, grp, i);
      HPDF_Outline ao = HPDF_CreateOutline(c->pdf, o, a->title ? a->title : "Untitled", enc);
      HPDF_Destination ad = HPDF_Page_CreateDestination(c->pages[c->article_at[k].page]);
      if (!ao || !ad) return;
      HPDF_Destination_SetFitH(ad, c->article_at[k].y + 4);
      HPDF_Outline_SetDestination(ao, ad);
    }
  }
}
