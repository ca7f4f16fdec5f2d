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
  float cw = pdf_content_w(c), num_w = c->g.body * 3.2f;
  pdf_style gs = pdf_plain_style(ROLE_SANS_BOLD, c->g.body * 0.98f, m.group_lead, 0);
  pdf_style as = pdf_plain_style(ROLE_SERIF, c->g.body * 0.9f, m.article_lead, 0.1f);
  gs.nowrap_ellipsis = as.nowrap_ellipsis = true;
  if (draw) {
    HPDF_Page p = c->pages[1];
    pdf_draw_text(&c->fonts, p, ROLE_SANS_BOLD, c->g.body * 1.7f, 0, c->g.ml,
                  pdf_top(c) - c->g.body * 1.7f, "Contents");
  }
  /* a walk without bodies cannot fail */
  gz_walk it;
  gz_walk_init(&it, c->d, c->job->groups, c->job->n_groups, 0);
  while (gz_walk_next(&it, NULL) > GZ_WALK_DONE) {
    if (it.ev != GZ_WALK_ENTER || it.node == GZ_NODE_ROOT) continue;
    bool is_group = it.node == GZ_NODE_GROUP;
    float lead = is_group ? m.group_lead + (it.group ? m.group_gap : 0) : m.article_lead;
    if (y - lead < c->g.mb) {
      page++;
      y = pdf_top(c);
    }
    y -= lead;
    if (!draw) continue;
    HPDF_Page p = c->pages[1 + page];
    const place *target = is_group ? &c->group_at[it.group] : &c->article_at[it.ordinal - 1];
    const pdf_style *st = is_group ? &gs : &as;
    float indent = is_group ? 0 : 14;
    const char *text = is_group ? it.grp->label : it.article->title;
    if (!text) text = "Untitled";
    if (pdf_para_layout(&c->para, &c->fonts, st, text, strlen(text), NULL, 0, cw - indent - num_w,
                        cw - indent - num_w, NULL) == 0)
      pdf_para_draw_line(&c->para, &c->fonts, st, p, 0, c->g.ml + indent, y + lead * 0.28f, false);
    char num[24];
    snprintf(num, sizeof num, "%u", target->page + 1);
    float nw = pdf_text_width(&c->fonts, st->role, st->size, num);
    pdf_draw_text(&c->fonts, p, st->role, st->size, 0.1f, c->g.w - c->g.mr - nw, y + lead * 0.28f,
                  num);
    pdf_draw_page_link(p, c->g.ml + indent, y, c->g.w - c->g.mr, y + lead, c->pages[target->page],
                       target->y + 4, c->pdfa);
  }
  gz_walk_free(&it);
  return page + 1;
}

void pdf_outlines(pdf_ctx *c) {
  HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
  HPDF_Outline o = NULL;
  gz_walk it;
  gz_walk_init(&it, c->d, c->job->groups, c->job->n_groups, 0);
  while (gz_walk_next(&it, NULL) > GZ_WALK_DONE) {
    if (it.ev != GZ_WALK_ENTER) continue;
    if (it.node == GZ_NODE_GROUP) {
      const place *at = &c->group_at[it.group];
      o = HPDF_CreateOutline(c->pdf, NULL, it.grp->label, enc);
      HPDF_Destination dst = HPDF_Page_CreateDestination(c->pages[at->page]);
      if (!o || !dst) break;
      HPDF_Destination_SetFitH(dst, at->y + 4);
      HPDF_Outline_SetDestination(o, dst);
      HPDF_Outline_SetOpened(o, c->job->n_groups <= 40 ? HPDF_TRUE : HPDF_FALSE);
    } else if (it.node == GZ_NODE_ARTICLE) {
      const place *at = &c->article_at[it.ordinal - 1];
      const char *title = it.article->title ? it.article->title : "Untitled";
      HPDF_Outline ao = HPDF_CreateOutline(c->pdf, o, title, enc);
      HPDF_Destination ad = HPDF_Page_CreateDestination(c->pages[at->page]);
      if (!ao || !ad) break;
      HPDF_Destination_SetFitH(ad, at->y + 4);
      HPDF_Outline_SetDestination(ao, ad);
    }
  }
  gz_walk_free(&it);
}
