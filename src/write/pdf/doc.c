/*
 * doc.c - the life of a PDF digest with libharu: the document made with
 * gazette's allocator and error handler, its parts drawn in order (cover,
 * reserved contents pages, articles, then contents, footers and outline),
 * its information and PDF/A parts, saving, and what a failure is called.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write/pdf/pdf.h"

/* libharu's allocation callbacks take no context: the allocator of the
 * document being built in this thread is kept here, and every block
 * records it in front, so freeing needs no context either.
 *
 * libharu 2.3 does not survive a failed allocation everywhere (a new
 * page's content stream, a font added to a page's resources are used
 * unchecked and crash it), so when the allocator fails the block comes
 * from the C library instead, the failure is noted (tl_hpdf_oom) and the
 * document is given up as "out of memory" before it is saved. */
static _Thread_local const gz_allocator *tl_hpdf_al;
/* libharu reports a failed allocation under many codes (the first
 * error is often overwritten before its handler runs): noted here. */
static _Thread_local bool tl_hpdf_oom;

typedef union hpdf_head {
  const gz_allocator *al;
  max_align_t align;
} hpdf_head;

static void *hpdf_alloc(HPDF_UINT size) {
  const gz_allocator *al = tl_hpdf_al;
  hpdf_head *h = gz_malloc(al, sizeof *h + size);
  if (!h) {
    tl_hpdf_oom = true;
    al = NULL; /* from the C library */
    if (!(h = malloc(sizeof *h + size))) return NULL;
  }
  h->al = al;
  return h + 1;
}

static void hpdf_free(void *ptr) {
  if (!ptr) return;
  hpdf_head *h = (hpdf_head *)ptr - 1;
  if (h->al)
    gz_free(h->al, h);
  else
    free(h);
}

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user) {
  pdf_ctx *c = user;
  if (c->fonts.loading) return;
  if (!c->error) {
    c->error = error;
    c->detail = detail;
  }
}

static HPDF_Date pdf_date(int64_t t) {
  int64_t day = gz_floor_div(t, 86400), secs = t - day * 86400, y;
  int m, dd;
  gz_civil_from_days(day, &y, &m, &dd);
  HPDF_Date date;
  memset(&date, 0, sizeof date);
  date.year = (HPDF_INT)y;
  date.month = m;
  date.day = dd;
  date.hour = (HPDF_INT)(secs / 3600);
  date.minutes = (HPDF_INT)(secs / 60 % 60);
  date.seconds = (HPDF_INT)(secs % 60);
  date.ind = 'Z';
  return date;
}

int gz_pdf_render(const gz_view *d, const gz_write_options *w, gz_job *job, int threads) {
  /* the internals this writer uses are those of one libharu version */
  if (gzh_check_version(HPDF_GetVersion(), &job->err)) return -1;
  pdf_ctx *c = gz_malloc(d->al, sizeof *c);
  if (!c) return gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  memset(c, 0, sizeof *c);
  c->d = d;
  c->w = w;
  c->job = job;
  c->g = pdf_geometry_of(w->page_size);
  c->pdfa = w->pdfa != 0;
  c->threads = threads;
  /* two columns want the width of A4 or letter paper */
  c->cols.n = w->columns == 2 && w->page_size != GZ_PAGE_A5 ? 2 : 1;
  if (w->columns == 2 && w->page_size == GZ_PAGE_A5)
    gz_job_diag(job, GZ_SEV_WARNING,
                "two columns need A4 or letter paper: the A5 digest is set in one column");
  pdf_flow_on_pages(c);
  pdf_para_init(&c->para, d->al);
  gz_job_facts_compute(d, w, job, &c->facts);
  gz_full_title(w, &c->facts, c->full_title, sizeof c->full_title);
  int rc = 0;
  const gz_allocator *outer_al = tl_hpdf_al;
  tl_hpdf_al = d->al;
  bool outer_oom = tl_hpdf_oom;
  tl_hpdf_oom = false;
  /* the job's hyphenation dictionaries load while the rest begins */
  if (pdf_hyph_start(c)) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  c->pdf = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, c);
  if (!c->pdf) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  /* Compression first: fonts loaded before it stay uncompressed. */
  HPDF_SetCompressionMode(c->pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(c->pdf);
  HPDF_SetCurrentEncoder(c->pdf, "UTF-8");
  HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (pdf_fonts_init(&c->fonts, c->pdf, d->al, w, &job->err)) {
    rc = -1;
    goto done;
  }
  if (pdf_figures_new(c)) {
    rc = -1;
    goto done;
  }
  c->group_at = gz_malloc(d->al, job->n_groups * sizeof *c->group_at);
  c->article_at = gz_malloc(d->al, c->facts.articles * sizeof *c->article_at);
  if (!c->group_at || !c->article_at) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  memset(c->group_at, 0, job->n_groups * sizeof *c->group_at);
  memset(c->article_at, 0, c->facts.articles * sizeof *c->article_at);
  /* cover, then room for the contents */
  HPDF_Page cover = pdf_add_page(c);
  c->n_toc = pdf_toc_walk(c, false);
  for (size_t i = 0; i < c->n_toc; i++) pdf_add_page(c);
  c->first_body = c->n_pages;
  if (pdf_seal_start(c)) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  size_t k = 0;
  for (size_t g = 0; g < job->n_groups && rc == 0 && !c->error; g++) {
    rc = pdf_draw_group(c, &job->groups[g], &c->group_at[g], &c->article_at[k]);
    k += job->groups[g].n_items;
  }
  if (rc == 0 && !c->error && c->n_pages > c->first_body &&
      (pdf_seal_page(c, pdf_cur(c)) || pdf_seal_put_back(c, true)))
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while compressing");
  if (rc == 0 && !c->error && pdf_figures_report(c)) rc = -1;
  if (rc == 0 && !c->error) {
    if (cover) pdf_draw_cover(c, cover);
    pdf_toc_walk(c, true);
    pdf_footers(c);
    pdf_outlines(c);
    /* the last text is drawn: glyphs drawn by id go into their fonts */
    if (pdf_fonts_finish(&c->fonts) && !c->error && !c->fonts.oom) c->error = GZH_ERR_NOMEM;
    /* some 60,000 distinct glyphs of one font: never silent */
    if (c->fonts.undrawn && !c->fonts.oom)
      gz_job_diag(c->job, GZ_SEV_WARNING,
                  "%zu glyphs of shaped text are left out: their font has no code left for "
                  "glyphs drawn by id",
                  c->fonts.undrawn);
    /* Title and author come cleaned (gz_write_options_clean): valid
     * UTF-8, no control characters, fit for XML and PDF text strings. */
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_TITLE, c->full_title);
    if (w->author && *w->author) HPDF_SetInfoAttr(c->pdf, HPDF_INFO_AUTHOR, w->author);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_CREATOR, "gazette " GAZETTE_VERSION);
    HPDF_Date date = pdf_date(c->facts.modified);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, date);
    /* the language of the text, for screen readers and text to speech */
    const char *lang = w->lang && *w->lang ? w->lang : "en";
    if (gzh_doc_set_lang(c->pdf, lang)) {
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      goto done;
    }
    if (c->pdfa && pdf_make_pdfa(c)) {
      if (!job->err.message[0] && (tl_hpdf_oom || c->fonts.oom))
        gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      else if (!job->err.message[0])
        gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot build the PDF/A metadata");
      rc = -1;
    }
  }
  if (rc == 0 && !c->error && c->pdfa && pdf_fonts_add_cidsets(&c->fonts)) {
    if (!c->error && (tl_hpdf_oom || c->fonts.oom))
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    else if (!c->error)
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot build the PDF/A font subsets");
    else
      rc = -1;
  }
  /* A failed allocation that was worked around (by libharu, or a
   * width or a link left out) leaves a document that is not right. */
  if (rc == 0 && !c->error && (tl_hpdf_oom || c->fonts.oom)) c->error = GZH_ERR_NOMEM;
  if (rc == 0 && !c->error && HPDF_SaveToFile(c->pdf, job->path) != HPDF_OK && !c->error)
    c->error = GZH_ERR_FILE_IO;
  if (rc == 0 && !c->error && !gzh_file_complete(job->path)) c->error = GZH_ERR_FILE_IO;
  /* A libharu error can end the drawing early with nothing said yet:
   * it is described here, so no failure reads as "no error". */
  if ((c->error || tl_hpdf_oom || c->fonts.oom) && (rc == 0 || job->err.code == GZ_OK)) {
    bool io = c->error == GZH_ERR_FILE_IO || c->error == GZH_ERR_FILE_OPEN ||
              c->detail == GZH_ERR_FILE_IO || c->detail == GZH_ERR_FILE_OPEN;
    if (tl_hpdf_oom || c->fonts.oom || c->error == GZH_ERR_NOMEM || c->detail == GZH_ERR_NOMEM)
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    else if (io)
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "cannot write the PDF (disk full, or a file size limit)");
    else
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "the PDF library failed (error 0x%04X, detail %u)", (unsigned)c->error,
                        (unsigned)c->detail);
  } else if (rc != 0 && job->err.code == GZ_OK) {
    rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "the PDF writer failed");
  }
done:
  pdf_seal_stop(c);
  pdf_figures_free(c);
  pdf_hyph_stop(c);
  if (c->pdf) HPDF_Free(c->pdf);
  tl_hpdf_al = outer_al;
  tl_hpdf_oom = outer_oom;
  pdf_fonts_free(&c->fonts);
  pdf_para_free(&c->para);
  gz_free(d->al, c->pages);
  gz_free(d->al, c->group_at);
  gz_free(d->al, c->article_at);
  gz_free(d->al, c);
  return rc;
}
