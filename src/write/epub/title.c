/*
 * title.c - the title page: title, dates, author, counts and the chart.
 */
#include "write/epub/epub.h"

void gz_epub_write_title_page(const epub_ctx *e, gz_xw *x, const gz_job_facts *f,
                              const char *full_title) {
  gz_xhtml_start_dir(x, e->lang, e->dir, full_title, true);
  gz_xw_start(x, "section");
  gz_xw_attr(x, "epub:type", "titlepage");
  gz_xw_attr(x, "class", "titlepage");
  gz_xw_start(x, "h1");
  gz_xhtml_dir_lang(x, gz_epub_text_dir(e, gz_digest_title(e->w)), NULL);
  gz_xw_string(x, gz_digest_title(e->w));
  gz_xw_end(x);
  if (f->first_day <= f->last_day) {
    char range[128];
    gz_format_range(range, sizeof range, f->first_day, f->last_day);
    gz_xw_start(x, "p");
    gz_xw_attr(x, "class", "range");
    gz_xw_string(x, range);
    gz_xw_end(x);
  }
  if (e->w->author && *e->w->author) {
    gz_xw_start(x, "p");
    gz_xw_attr(x, "class", "author");
    gz_xw_string(x, e->w->author);
    gz_xw_end(x);
  }
  gz_buf counts;
  gz_buf_init(&counts, e->d->al);
  gz_put_counts(&counts, f->articles, e->job->n_groups);
  if (counts.failed) x->failed = true; /* out of memory */
  gz_xw_start(x, "p");
  gz_xw_attr(x, "class", "counts");
  gz_xw_string(x, gz_buf_cstr(&counts));
  gz_xw_end(x);
  gz_buf_free(&counts);
  gz_epub_write_chart(e, x);
  gz_xw_end(x);    /* section */
  gz_xhtml_end(x); /* a failure stays in x for doc_close */
}
