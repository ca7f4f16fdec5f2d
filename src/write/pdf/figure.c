/*
 * figure.c - pictures in the PDF: each article's lead image under its
 * title and the image blocks of its body, at their aspect ratio, scaled
 * to the text column (never above their size at 150 dpi), kept whole
 * with their caption on one page, and each picture embedded once (an
 * image XObject per picture, drawn wherever it is used).
 *
 * Pictures come from write/pictures.h as their article is drawn; a JPEG
 * goes in as its DCT data, a PNG through libharu's PNG reader (its alpha
 * as a soft mask, flattened on white beforehand under --pdfa, since
 * PDF/A-1 allows no transparency).
 */
#include <string.h>

#include "write/pdf/pdf.h"
#include "write/pictures.h"

/* A picture at 150 dpi: 72 points an inch. */
#define PT_PER_PX (72.0f / 150.0f)

typedef struct xobject {
  uint64_t hash;
  HPDF_Image image;
} xobject;

struct pdf_figures {
  gz_pics *pics;
  xobject *xo;
  size_t n_xo, cap_xo;
  const gz_article *a; /* the article being drawn */
  uint64_t number;     /* its number in the output, from 1 */
  /* the lead image prepared for the article (pdf_figure_lead_height) */
  bool lead;
  gz_pic lead_pic;
  HPDF_Image lead_image;
  /* the article's block pictures as first met: a dry pass (columns.c)
   * and the drawing after it get the same one, told of once */
  struct fig_seen {
    size_t index;
    HPDF_Image image;
    gz_pic pic;
  } * seen;
  size_t n_seen, cap_seen;
};

int pdf_figures_new(pdf_ctx *c) {
  c->figures = gz_malloc(c->d->al, sizeof *c->figures);
  if (!c->figures) return gz_error_set(&c->job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  memset(c->figures, 0, sizeof *c->figures);
  c->figures->pics = gz_pics_new(c->d, c->w, c->job, c->pdfa, false);
  return c->figures->pics ? 0 : -1;
}

void pdf_figures_free(pdf_ctx *c) {
  if (!c->figures) return;
  gz_pics_free(c->figures->pics);
  gz_free(c->d->al, c->figures->xo);
  gz_free(c->d->al, c->figures->seen);
  gz_free(c->d->al, c->figures);
  c->figures = NULL;
}

int pdf_figures_report(pdf_ctx *c) {
  if (!c->figures) return 0;
  gz_pics_report(c->figures->pics);
  return gz_pics_failed(c->figures->pics) ? -1 : 0;
}

/* The XObject of a picture: made from its bytes the first time, found by
 * its hash after. NULL when libharu refuses it (a warning names it). */
static HPDF_Image xobject_of(pdf_ctx *c, gz_pic *pic) {
  struct pdf_figures *f = c->figures;
  for (size_t i = 0; i < f->n_xo; i++)
    if (f->xo[i].hash == pic->hash) return f->xo[i].image;
  if (!pic->data) return NULL;
  /* A picture libharu cannot read is this picture's loss, not the
   * document's: its error is set aside like a font face's. */
  bool was = c->fonts.loading;
  c->fonts.loading = true;
  HPDF_Image img = strcmp(pic->media_type, "image/png") == 0
                       ? HPDF_LoadPngImageFromMem(c->pdf, pic->data, (HPDF_UINT)pic->len)
                       : HPDF_LoadJpegImageFromMem(c->pdf, pic->data, (HPDF_UINT)pic->len);
  c->fonts.loading = was;
  if (!img) {
    HPDF_ResetError(c->pdf);
    char title[96], where[1100];
    gz_article_source(f->a, where, sizeof where);
    gz_job_diag(c->job, GZ_SEV_WARNING,
                "an image of \"%s\" (%s) is left out: the PDF library "
                "cannot read it",
                gz_short(f->a->title ? f->a->title : "Untitled", title, sizeof title), where);
    return NULL;
  }
  if (gz_grow(c->d->al, (void **)&f->xo, &f->cap_xo, f->n_xo + 1, sizeof *f->xo)) {
    c->fonts.oom = true;
    return img;
  }
  f->xo[f->n_xo].hash = pic->hash;
  f->xo[f->n_xo].image = img;
  f->n_xo++;
  return img;
}

/* The picture of `src` for the article being drawn, or NULL (left out,
 * told). */
static HPDF_Image picture(pdf_ctx *c, const char *src, uint64_t order, gz_pic *pic) {
  struct pdf_figures *f = c->figures;
  if (gz_pics_get(f->pics, f->a, src, order, true, pic) != 0) return NULL;
  HPDF_Image img = xobject_of(c, pic);
  gz_pic_release(f->pics, pic);
  return img;
}

/* The size a picture is drawn at in a column `w` wide, its height at most
 * `max_h`. */
static void fit(const gz_pic *pic, float w, float max_h, float *dw, float *dh) {
  float pw = (float)pic->width * PT_PER_PX, ph = (float)pic->height * PT_PER_PX;
  if (pw > w) ph *= w / pw, pw = w;
  if (ph > max_h) pw *= max_h / ph, ph = max_h;
  *dw = pw;
  *dh = ph;
}

static pdf_style caption_style(const pdf_ctx *c) {
  return pdf_plain_style(ROLE_SANS, c->g.body * 0.82f, c->g.body * 1.12f, 0.25f);
}

/* The tallest a picture and its caption may be: a page's column. */
static float column_h(const pdf_ctx *c) { return pdf_top(c) - c->flow.bottom; }

/* Draws the lines laid out in c->para from the flow's top, x in from
 * the column's edge, breaking pages as a paragraph does. */
static void draw_lines(pdf_ctx *c, const pdf_style *st, float x) {
  size_t n = c->para.n_lines;
  for (size_t i = 0; i < n; i++) {
    float y = pdf_flow_line(&c->flow, i, n, st->leading);
    if (!c->dry)
      pdf_para_draw_line(&c->para, &c->fonts, st, pdf_cur(c), i, c->flow.x + x,
                         y - st->size * 0.98f, c->pdfa);
  }
}

/* A picture and its caption (laid out in c->para when cap_lines > 0),
 * moved whole to the next page when it does not fit on this one; `held`
 * by a heading above it, it shrinks to the room left instead. */
static void draw_figure(pdf_ctx *c, HPDF_Image img, const gz_pic *pic, float x, float w,
                        size_t cap_lines, const pdf_style *cs, bool held) {
  float gap = c->g.leading * 0.3f;
  float cap_h = cap_lines ? (float)cap_lines * cs->leading : 0;
  float dw, dh;
  fit(pic, w, column_h(c) - cap_h - 2 * gap, &dw, &dh);
  float room = c->flow.y - c->flow.bottom - cap_h - 2 * gap;
  if (held && dh > room && room >= 3 * c->g.leading) {
    fit(pic, w, room, &dw, &dh);
  } else if (!pdf_flow_room(&c->flow, dh + cap_h + 2 * gap)) {
    c->flow.new_page(c->flow.user);
    /* the next column can be shorter than a page (the right one, under
     * the article's title): the picture shrinks to keep its caption */
    room = c->flow.y - c->flow.bottom - cap_h - 2 * gap;
    if (dh > room && room > 0) fit(pic, w, room, &dw, &dh);
  }
  float top = c->flow.y - gap;
  if (!c->dry) HPDF_Page_DrawImage(pdf_cur(c), img, c->flow.x + x + (w - dw) / 2, top - dh, dw, dh);
  c->flow.y = top - dh;
  pdf_flow_filled(&c->flow);
  c->flow.y -= gap * (cap_lines ? 0.6f : 1);
  if (cap_lines) draw_lines(c, cs, x);
  pdf_flow_gap(&c->flow, c->g.leading * 0.45f);
}

float pdf_figure_lead_height(pdf_ctx *c, const gz_article *a, const gz_body *body) {
  struct pdf_figures *f = c->figures;
  f->a = a;
  f->number++;
  f->lead = false;
  f->n_seen = 0;
  if (gz_pics_off(f->pics) || !a->image || gz_pics_lead_in_body(a, body)) return 0;
  f->lead_image = picture(c, a->image, f->number << 20, &f->lead_pic);
  if (!f->lead_image) return 0;
  f->lead = true;
  float dw, dh, gap = c->g.leading * 0.3f;
  fit(&f->lead_pic, pdf_content_w(c), column_h(c) - 2 * gap, &dw, &dh);
  (void)dw;
  return dh + 2 * gap + c->g.leading * 0.45f;
}

void pdf_figure_lead(pdf_ctx *c) {
  struct pdf_figures *f = c->figures;
  if (!f->lead) return;
  f->lead = false;
  draw_figure(c, f->lead_image, &f->lead_pic, 0, pdf_content_w(c), 0, NULL, false);
}

/* The picture of image block `index` of the article, NULL when it is
 * left out; looked up once per article (the dry passes of columns.c, the
 * keep of a heading above it and the drawing get the same one, told of
 * once). -1 when out of memory. */
static int block_picture(pdf_ctx *c, const gz_block *blk, size_t index, HPDF_Image *img,
                         gz_pic *pic) {
  struct pdf_figures *f = c->figures;
  for (size_t s = 0; s < f->n_seen; s++)
    if (f->seen[s].index == index) {
      *img = f->seen[s].image;
      *pic = f->seen[s].pic;
      return 0;
    }
  *img = picture(c, blk->image.src, f->number << 20 | (uint64_t)(index + 1), pic);
  if (gz_grow(c->d->al, (void **)&f->seen, &f->cap_seen, f->n_seen + 1, sizeof *f->seen)) {
    c->fonts.oom = true;
    return -1;
  }
  f->seen[f->n_seen].index = index;
  f->seen[f->n_seen].image = *img;
  f->seen[f->n_seen].pic = *pic;
  f->n_seen++;
  return 0;
}

/* The caption of an image block (the alt text when the picture is left
 * out and there is no caption) laid out in c->para w wide: its lines. */
static int caption_lines(pdf_ctx *c, const gz_block *blk, HPDF_Image img, float w,
                         const pdf_style *cs, pdf_missing *missing, size_t *lines) {
  const char *text = blk->len || img ? blk->text : blk->image.alt;
  size_t len = blk->len || img ? blk->len : strlen(blk->image.alt);
  const gz_run *runs = blk->len ? blk->runs : NULL;
  size_t n_runs = blk->len ? blk->n_runs : 0;
  *lines = 0;
  if (len && pdf_para_layout(&c->para, &c->fonts, cs, text, len, runs, n_runs, w, w, missing))
    return -1;
  *lines = len ? c->para.n_lines : 0;
  return 0;
}

float pdf_figure_need(pdf_ctx *c, const gz_block *blk, size_t index, float w) {
  pdf_style cs = caption_style(c);
  HPDF_Image img;
  gz_pic pic;
  size_t lines;
  if (block_picture(c, blk, index, &img, &pic) || caption_lines(c, blk, img, w, &cs, NULL, &lines))
    return 0;
  float cap_h = (float)lines * cs.leading, gap = c->g.leading * 0.3f;
  /* the caption's first lines: all, or two of a long one set as text */
  float first = (float)(lines > 3 ? 2 : lines) * cs.leading;
  if (!img) return first;
  float dw, dh;
  if (cap_h > column_h(c) / 2) {
    fit(&pic, w, column_h(c) - 2 * gap, &dw, &dh);
    return dh + 2 * gap + first;
  }
  fit(&pic, w, column_h(c) - cap_h - 2 * gap, &dw, &dh);
  return dh + cap_h + 2 * gap;
}

int pdf_figure_draw(pdf_ctx *c, const gz_block *blk, size_t index, float x, float w, bool held,
                    pdf_missing *missing) {
  pdf_style cs = caption_style(c);
  gz_pic pic;
  HPDF_Image img = NULL;
  if (block_picture(c, blk, index, &img, &pic)) return -1;
  /* the caption under the picture; left out, the caption or else the
   * alt text stands in its place */
  size_t lines;
  if (caption_lines(c, blk, img, w, &cs, missing, &lines)) return -1;
  if (img) {
    /* a caption taller than half a page is text, not a caption */
    if ((float)lines * cs.leading > column_h(c) / 2) {
      draw_figure(c, img, &pic, x, w, 0, NULL, held);
      if (lines) draw_lines(c, &cs, x);
    } else {
      draw_figure(c, img, &pic, x, w, lines, &cs, held);
    }
  } else if (lines) {
    draw_lines(c, &cs, x);
    pdf_flow_gap(&c->flow, c->g.leading * 0.45f);
  }
  return 0;
}
