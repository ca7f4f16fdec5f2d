/*
 * book.c - one EPUB from start to end: plan and render the parts, write
 * the small documents, then the container (epub.h tells how).
 */
#include <string.h>

#include "write/epub/epub.h"

typedef struct doc {
  xmlBufferPtr buf;
  gz_xw x;
} doc;

static int doc_open(doc *dc, const gz_allocator *al) {
  dc->x.al = al;
  dc->buf = xmlBufferCreate();
  dc->x.w = dc->buf ? xmlNewTextWriterMemory(dc->buf, 0) : NULL;
  dc->x.failed = false;
  return dc->x.w ? 0 : -1;
}

/* Flushes and frees the writer; -1 when any of its calls failed. */
static int doc_close(doc *dc) {
  int rc = 0;
  if (dc->x.w) {
    rc = gz_xw_finish(&dc->x);
    xmlFreeTextWriter(dc->x.w);
    dc->x.w = NULL;
  }
  return rc;
}

static void doc_free(doc *dc) {
  doc_close(dc);
  if (dc->buf) xmlBufferFree(dc->buf);
  dc->buf = NULL;
}

int gz_epub_render(const gz_view *d, const gz_write_options *w, gz_job *job, int threads) {
  epub_ctx e;
  memset(&e, 0, sizeof e);
  e.d = d;
  e.w = w;
  e.job = job;
  e.level = w->deflate_level >= 1 && w->deflate_level <= 9 ? w->deflate_level : DEFAULT_LEVEL;
  e.lang = w->lang && *w->lang ? w->lang : "en";
  e.dir = gz_epub_book_dir(&e);
  pthread_mutex_init(&e.err_lock, NULL);
  doc opf = {0}, nav = {0}, ncx = {0}, title = {0};
  int rc = 0;
  e.group_base = gz_malloc(d->al, (job->n_groups ? job->n_groups : 1) * sizeof *e.group_base);
  if (!e.group_base || gz_epub_plan(&e)) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  if (gz_epub_images_new(&e)) {
    rc = -1;
    goto done;
  }
  gz_epub_render_parts(&e, threads);
  if (e.failed) {
    job->err = e.err;
    rc = -1;
    goto done;
  }
  if (gz_epub_images_done(&e)) {
    rc = -1;
    goto done;
  }

  gz_job_facts facts;
  gz_job_facts_compute(d, w, job, &facts);
  char full_title[4096];
  book_meta meta;
  gz_full_title(w, &facts, full_title, sizeof full_title);
  gz_epub_make_meta(&e, &facts, full_title, &meta);
  gz_buf cover;
  gz_buf_init(&cover, d->al);
  int made = gz_epub_make_cover(&e, &facts, &cover);
  if (made < 0) {
    gz_buf_free(&cover);
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  e.cover = made > 0;
  gz_xml_quiet q;
  gz_xml_quiet_begin(&q);
  if (doc_open(&opf, d->al) || doc_open(&nav, d->al) || doc_open(&ncx, d->al) ||
      doc_open(&title, d->al)) {
    gz_xml_quiet_end(&q);
    gz_buf_free(&cover);
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  gz_epub_write_opf(&e, &opf.x, &meta, full_title);
  gz_epub_write_nav(&e, &nav.x);
  gz_epub_write_ncx(&e, &ncx.x, meta.uuid, full_title);
  gz_epub_write_title_page(&e, &title.x, &facts, full_title);
  /* every document whole, or no EPUB */
  const char *broken = doc_close(&opf)     ? "content.opf"
                       : doc_close(&nav)   ? "nav.xhtml"
                       : doc_close(&ncx)   ? "toc.ncx"
                       : doc_close(&title) ? "title.xhtml"
                       : q.raised          ? "the package documents"
                                           : NULL;
  gz_xml_quiet_end(&q);
  if (broken) {
    gz_buf_free(&cover);
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while writing %s", broken);
    goto done;
  }
  const gz_epub_file files[] = {
      {"META-INF/container.xml", gz_epub_container_xml, strlen(gz_epub_container_xml)},
      {"OEBPS/content.opf", xmlBufferContent(opf.buf), (size_t)xmlBufferLength(opf.buf)},
      {"OEBPS/nav.xhtml", xmlBufferContent(nav.buf), (size_t)xmlBufferLength(nav.buf)},
      {"OEBPS/toc.ncx", xmlBufferContent(ncx.buf), (size_t)xmlBufferLength(ncx.buf)},
      {"OEBPS/style.css", gz_epub_style_css, strlen(gz_epub_style_css)},
      {"OEBPS/title.xhtml", xmlBufferContent(title.buf), (size_t)xmlBufferLength(title.buf)},
      {"OEBPS/cover.png", cover.data, cover.len},
  };
  rc = gz_epub_write_container(&e, files, GZ_ARRAY_LEN(files) - (e.cover ? 0 : 1), facts.modified);
  gz_buf_free(&cover);
done:
  doc_free(&opf);
  doc_free(&nav);
  doc_free(&ncx);
  doc_free(&title);
  for (size_t i = 0; i < e.n_parts; i++) gz_free(d->al, e.parts[i].z.data);
  gz_free(d->al, e.parts);
  gz_free(d->al, e.group_base);
  gz_epub_images_free(&e);
  pthread_mutex_destroy(&e.err_lock);
  return rc;
}
