/*
 * chart.c - the title page's chart of articles per group, as SVG.
 */
#include "write/epub/epub.h"

/* A bar per group, articles per group as height: small and legible on
 * e-ink (black bars, no colour). */
void gz_epub_write_chart(const epub_ctx *e, gz_xw *x) {
  size_t n = e->job->n_groups, max = 1;
  for (size_t g = 0; g < n; g++)
    if (e->job->groups[g].n_items > max) max = e->job->groups[g].n_items;
  const double width = 600, height = 240, top = 20, bottom = 200, left = 10, right = 590;
  double slot = (right - left) / (double)n, bar = slot * 0.7;
  gz_xw_start(x, "svg");
  gz_xw_attr(x, "xmlns", "http://www.w3.org/2000/svg");
  gz_xw_attrf(x, "viewBox", "0 0 %.0f %.0f", width, height);
  gz_xw_attr(x, "class", "chart");
  gz_xw_attr(x, "role", "img");
  gz_xw_attr(x, "aria-label", "Articles per group");
  gz_xml_elem_text(x, "title", "Articles per group");
  gz_xw_start(x, "line");
  gz_xw_attrf(x, "x1", "%.0f", left);
  gz_xw_attrf(x, "x2", "%.0f", right);
  gz_xw_attrf(x, "y1", "%.0f", bottom);
  gz_xw_attrf(x, "y2", "%.0f", bottom);
  gz_xw_attr(x, "stroke", "#000");
  gz_xw_end(x);
  for (size_t g = 0; g < n; g++) {
    const gz_group *grp = &e->job->groups[g];
    double h = (bottom - top) * (double)grp->n_items / (double)max;
    double bx = left + slot * (double)g + (slot - bar) / 2;
    gz_xw_start(x, "rect");
    gz_xw_attrf(x, "x", "%.2f", bx);
    gz_xw_attrf(x, "y", "%.2f", bottom - h);
    gz_xw_attrf(x, "width", "%.2f", bar);
    gz_xw_attrf(x, "height", "%.2f", h);
    gz_xw_attr(x, "fill", "#222");
    gz_xml_elem_text(x, "title", grp->label);
    gz_xw_end(x);
    if (n <= GZ_CHART_COUNTS_MAX) {
      gz_xw_start(x, "text");
      gz_xw_attrf(x, "x", "%.2f", bx + bar / 2);
      gz_xw_attrf(x, "y", "%.2f", bottom - h - 4);
      gz_xw_attr(x, "font-size", "11");
      gz_xw_attr(x, "text-anchor", "middle");
      gz_xw_attrf(x, "font-family", "sans-serif");
      gz_xw_stringf(x, "%zu", grp->n_items);
      gz_xw_end(x);
    }
  }
  /* Few groups: each bar gets its short label; many: the first and the
   * last group under the axis. */
  if (n <= GZ_CHART_LABELS_MAX) {
    for (size_t g = 0; g < n; g++) {
      gz_xw_start(x, "text");
      gz_xw_attrf(x, "x", "%.2f", left + slot * (double)g + slot / 2);
      gz_xw_attr(x, "y", "218");
      gz_xw_attr(x, "font-size", "12");
      gz_xw_attr(x, "font-family", "sans-serif");
      gz_xw_attr(x, "text-anchor", "middle");
      gz_xw_string(x, e->job->groups[g].short_label);
      gz_xw_end(x);
    }
  }
  for (int end = 0; end < 2 && n > GZ_CHART_LABELS_MAX; end++) {
    const gz_group *grp = &e->job->groups[end ? n - 1 : 0];
    if (end && n == 1) break;
    gz_xw_start(x, "text");
    gz_xw_attrf(x, "x", "%.0f", end ? right : left);
    gz_xw_attr(x, "y", "222");
    gz_xw_attr(x, "font-size", "12");
    gz_xw_attr(x, "font-family", "sans-serif");
    gz_xw_attr(x, "text-anchor", end ? "end" : "start");
    gz_xw_string(x, grp->label);
    gz_xw_end(x);
  }
  gz_xw_end(x); /* svg */
}
