/*
 * images.c - the EPUB's pictures: each article's lead image and body
 * images as <figure> in its chapter, each picture once in the manifest
 * and once in the container (OEBPS/images/<hash>.jpg|png, stored: JPEG
 * and PNG are compressed already).
 *
 * Pictures are loaded and processed by the chapter workers as their
 * article is rendered (write/pictures.h); their bytes wait in a
 * temporary file, not in memory, until the container is written.
 */
#include <string.h>
#include <zip.h>

#include "write/epub/epub.h"
#include "write/epub/zipsource.h"
#include "write/pictures.h"

/* A picture's bytes for libzip, read from the temporary file. */
typedef struct blob {
  const gz_pics *pics;
  uint64_t off;
  size_t len, pos;
} blob;

struct epub_images {
  gz_pics *pics;
  blob *blobs;
};

int gz_epub_images_new(epub_ctx *e) {
  e->img = gz_malloc(e->d->al, sizeof *e->img);
  if (!e->img) return gz_error_set(&e->job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  memset(e->img, 0, sizeof *e->img);
  e->img->pics = gz_pics_new(e->d, e->w, e->job, false, true);
  return e->img->pics ? 0 : -1;
}

void gz_epub_images_free(epub_ctx *e) {
  if (!e->img) return;
  gz_pics_free(e->img->pics);
  gz_free(e->d->al, e->img->blobs);
  gz_free(e->d->al, e->img);
  e->img = NULL;
}

int gz_epub_images_done(epub_ctx *e) {
  gz_pics *p = e->img->pics;
  gz_pics_sort(p);
  gz_pics_report(p);
  if (gz_pics_failed(p)) {
    if (e->job->err.code == GZ_OK)
      gz_error_set(&e->job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return -1;
  }
  return 0;
}

/* <figure class="cls"><img/><figcaption>caption</figcaption></figure>:
 * valid XHTML with or without a caption. */
static void write_figure(gz_xw *x, const char *cls, const gz_pic *pic, const char *alt,
                         const gz_block *caption) {
  gz_xw_start(x, "figure");
  gz_xw_attr(x, "class", cls);
  gz_xw_start(x, "img");
  gz_xw_attr(x, "src", pic->name);
  gz_xw_attr(x, "alt", alt ? alt : "");
  gz_xw_attrf(x, "width", "%u", pic->width);
  gz_xw_attrf(x, "height", "%u", pic->height);
  gz_xw_end(x);
  if (caption && caption->len) {
    gz_xw_start(x, "figcaption");
    gz_xhtml_runs(x, caption);
    gz_xw_end(x);
  }
  gz_xw_end(x);
}

typedef struct body_ctx {
  epub_ctx *e;
  const gz_article *a;
  const gz_body *body;
  uint64_t number;
} body_ctx;

static void on_image(gz_xw *x, const gz_block *blk, void *ctx) {
  body_ctx *bc = ctx;
  gz_pic pic;
  uint64_t order = bc->number << 20 | (uint64_t)(blk - bc->body->blocks + 1);
  if (gz_pics_get(bc->e->img->pics, bc->a, blk->image.src, order, false, &pic) != 0) {
    gz_xhtml_image_text(x, blk); /* left out: its words stay */
    return;
  }
  write_figure(x, "image", &pic, blk->image.alt, blk);
}

void gz_epub_body(epub_ctx *e, gz_xw *x, const gz_article *a, size_t number, const gz_body *body) {
  body_ctx bc = {e, a, body, number};
  /* without pictures set up (a part rendered alone), their words only */
  if (!e->img) {
    gz_xhtml_body(x, body, 3);
    return;
  }
  gz_pics *p = e->img->pics;
  if (!gz_pics_off(p) && a->image && !gz_pics_lead_in_body(a, body)) {
    gz_pic pic;
    if (gz_pics_get(p, a, a->image, (uint64_t)number << 20, false, &pic) == 0)
      write_figure(x, "lead", &pic, "", NULL);
  }
  gz_xhtml_body_with(x, body, 3, on_image, &bc);
}

void gz_epub_manifest_images(const epub_ctx *e, gz_xw *x) {
  if (!e->img) return;
  const gz_pics *p = e->img->pics;
  for (size_t i = 0; i < gz_pics_count(p); i++) {
    uint64_t off;
    const gz_pic *pic = gz_pics_at(p, i, &off);
    gz_xw_start(x, "item");
    gz_xw_attrf(x, "id", "img-%016llx", (unsigned long long)pic->hash);
    gz_xw_attr(x, "href", pic->name);
    gz_xw_attr(x, "media-type", pic->media_type);
    gz_xw_end(x);
  }
}

static zip_int64_t blob_source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
  blob *b = ud;
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      b->pos = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      size_t n = b->len - b->pos;
      if (n > len) n = (size_t)len;
      if (n && gz_pics_pread(b->pics, data, n, b->off + b->pos)) return -1;
      b->pos += n;
      return (zip_int64_t)n;
    }
    case ZIP_SOURCE_STAT: {
      zip_stat_t *st = data;
      zip_stat_init(st);
      st->valid = ZIP_STAT_SIZE;
      st->size = b->len;
      return sizeof *st;
    }
    default:
      return gz_zip_source_rest(data, len, cmd);
  }
}

int gz_epub_add_images(epub_ctx *e, struct zip *za,
                       int (*set_time)(struct zip *za, int64_t idx, const void *t), const void *t) {
  if (!e->img) return 0;
  gz_pics *p = e->img->pics;
  size_t n = gz_pics_count(p);
  if (!n) return 0;
  e->img->blobs = gz_malloc(e->d->al, n * sizeof *e->img->blobs);
  if (!e->img->blobs) return -1;
  for (size_t i = 0; i < n; i++) {
    blob *b = &e->img->blobs[i];
    const gz_pic *pic = gz_pics_at(p, i, &b->off);
    b->pics = p;
    b->len = pic->len;
    b->pos = 0;
    char name[64];
    snprintf(name, sizeof name, "OEBPS/%s", pic->name);
    zip_source_t *src = zip_source_function(za, blob_source, b);
    zip_int64_t idx = src ? zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (src) zip_source_free(src);
      return -1;
    }
    if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) || set_time(za, idx, t))
      return -1;
  }
  return 0;
}
