/*
 * cover.c - the PDF's cover: title, date range, author, counts and a bar
 * chart of the articles per group.
 */
#include <stdio.h>
#include <string.h>

#include "write/pdf/pdf.h"

static void center_text(pdf_ctx *c, HPDF_Page p, font_role role, float size, float grey, float y,
                        const char *s, pdf_missing *missing) {
  pdf_style st = pdf_plain_style(role, size, size * 1.25f, grey);
  if (pdf_para_layout(&c->para, &c->fonts, &st, s, strlen(s), NULL, 0, pdf_content_w(c),
                      pdf_content_w(c), missing))
    return;
  for (size_t i = 0; i < c->para.n_lines; i++) {
    float x = c->g.ml + (pdf_content_w(c) - c->para.lines[i].width) / 2;
    pdf_para_draw_line(&c->para, &c->fonts, &st, p, i, x, y - (float)i * st.leading, c->pdfa);
  }
}

void pdf_draw_cover(pdf_ctx *c, HPDF_Page p) {
  float y = c->g.h * 0.78f;
  const char *title = gz_digest_title(c->w);
  float ts = c->g.body * 3.0f;
  pdf_missing title_missing;
  memset(&title_missing, 0, sizeof title_missing);
  center_text(c, p, ROLE_SANS_BOLD, ts, 0, y, title, &title_missing);
  pdf_report_missing_in(c, "the title (--title)", title, &title_missing);
  y -= ts * 1.25f * (float)(c->para.n_lines ? c->para.n_lines : 1) + 6;
  if (c->facts.first_day <= c->facts.last_day) {
    char range[128];
    gz_format_range(range, sizeof range, c->facts.first_day, c->facts.last_day);
    center_text(c, p, ROLE_SANS, c->g.body * 1.4f, 0.25f, y, range, NULL);
    y -= c->g.body * 2.4f;
  }
  if (c->w->author && *c->w->author) {
    pdf_missing author_missing;
    memset(&author_missing, 0, sizeof author_missing);
    center_text(c, p, ROLE_SERIF_ITALIC, c->g.body * 1.15f, 0.2f, y, c->w->author, &author_missing);
    pdf_report_missing_in(c, "the author (--author)", c->w->author, &author_missing);
    y -= c->g.body * 2.2f;
  }
  gz_buf counts;
  gz_buf_init(&counts, c->d->al);
  gz_put_counts(&counts, c->facts.articles, c->job->n_groups);
  center_text(c, p, ROLE_SANS, c->g.body * 1.05f, 0.2f, y, gz_buf_cstr(&counts), NULL);
  if (counts.failed) c->fonts.oom = true;
  gz_buf_free(&counts);

  /* The bar chart: articles per group, at most 60 bars (neighbouring
   * groups share a bar when there are more). */
  size_t n = c->job->n_groups, bins = n < 60 ? n : 60;
  float chart_h = c->g.h * 0.22f, x0 = c->g.ml, cw = pdf_content_w(c);
  float chart_y = y - c->g.body * 5 - chart_h;
  uint64_t counts_bin[60] = {0}, max = 1;
  for (size_t g = 0; g < n; g++) {
    size_t b = g * bins / n;
    counts_bin[b] += c->job->groups[g].n_items;
  }
  for (size_t b = 0; b < bins; b++)
    if (counts_bin[b] > max) max = counts_bin[b];
  float slot = cw / (float)bins, bar = slot * 0.72f;
  for (size_t b = 0; b < bins; b++) {
    float h = chart_h * (float)counts_bin[b] / (float)max;
    float bx = x0 + slot * (float)b + (slot - bar) / 2;
    if (h > 0) pdf_draw_box(p, bx, chart_y, bar, h, 0.15f);
    if (bins <= GZ_CHART_COUNTS_MAX) {
      char num[24];
      snprintf(num, sizeof num, "%llu", (unsigned long long)counts_bin[b]);
      float nw = pdf_text_width(&c->fonts, ROLE_SANS, 7.5f, num);
      pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.2f, bx + bar / 2 - nw / 2, chart_y + h + 3,
                    num);
    }
  }
  pdf_draw_hline(p, x0, x0 + cw, chart_y, 0.8f, 0);
  if (n > 0 && n <= GZ_CHART_LABELS_MAX) {
    for (size_t b = 0; b < n; b++) {
      const char *lab = c->job->groups[b].short_label;
      float lw = pdf_text_width(&c->fonts, ROLE_SANS, 7.5f, lab);
      pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0 + slot * (float)b + slot / 2 - lw / 2,
                    chart_y - 12, lab);
    }
  } else if (n > 0) {
    const char *first = c->job->groups[0].label, *last = c->job->groups[n - 1].label;
    pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0, chart_y - 12, first);
    if (n > 1) {
      float lw = pdf_text_width(&c->fonts, ROLE_SANS, 7.5f, last);
      pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0 + cw - lw, chart_y - 12, last);
    }
  }
  if (n > 0) {
    char cap[80];
    snprintf(cap, sizeof cap, "Articles per group (highest: %llu)", (unsigned long long)max);
    pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0, chart_y + chart_h + 16, cap);
  }
  char made[64];
  snprintf(made, sizeof made, "gazette %s", GAZETTE_VERSION);
  center_text(c, p, ROLE_SANS, 7.5f, 0.45f, c->g.mb, made, NULL);
}
