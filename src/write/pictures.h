/*
 * pictures.h - the pictures of one output being written, for both
 * writers: each image of an article loaded (src/image/: confined local
 * files, data: URIs, remote only with --fetch-images) and processed as
 * the article is rendered, stored once however often it is used, and
 * every picture left out told in a warning naming its article.
 *
 * One gz_pics per write job; gz_pics_get is safe from the EPUB writer's
 * chapter workers at once. Pictures are not held for the whole output:
 * the EPUB keeps each new one in an unlinked temporary file until the
 * container is written (gz_pics_at, gz_pics_pread), the PDF takes the
 * bytes at once.
 */
#ifndef GZ_WRITE_PICTURES_H
#define GZ_WRITE_PICTURES_H

#include "write/write.h"

typedef struct gz_pics gz_pics;

/* A picture ready to embed. */
typedef struct gz_pic {
  char name[40];          /* "images/<hash>.jpg": unique per picture in the output */
  const char *media_type; /* "image/jpeg" or "image/png" */
  uint32_t width, height; /* in pixels */
  uint64_t hash;          /* of the processed bytes */
  bool alpha;             /* a PNG with transparency */
  bool passthrough;       /* a JPEG's own data (no re-encoding) */
  unsigned char *data;    /* with `bytes`: the processed bytes (gz_pic_release) */
  size_t len;
} gz_pic;

/* `no_alpha` flattens transparency (PDF/A-1); `spill` keeps new pictures'
 * bytes in a temporary file for gz_pics_each (the EPUB). NULL with
 * job->err set when out of memory or when no temporary file can be made. */
gz_pics *gz_pics_new(const gz_view *d, const gz_write_options *w, gz_job *job, bool no_alpha,
                     bool spill);
void gz_pics_free(gz_pics *p);

/* The picture `src` of article `a` (a block's, or its lead image): 0 with
 * *out filled, or -1 when it is left out (counted when remote without
 * --fetch-images, else a warning ordered by `order`: the article's number
 * in the output times 2^20 plus the block's). `bytes` asks for the
 * processed bytes in out->data, given only the first time a src is met
 * (out->data stays NULL for one seen before: the caller keeps what it
 * made of it by out->hash). -1 also when out of memory (gz_pics_failed). */
int gz_pics_get(gz_pics *p, const gz_article *a, const char *src, uint64_t order, bool bytes,
                gz_pic *out);
void gz_pic_release(gz_pics *p, gz_pic *pic);

/* Was the run given no pictures at all (--no-images)? */
bool gz_pics_off(const gz_pics *p);

/* The pictures kept (spill), sorted by name once every part is rendered
 * (gz_pics_sort); out->len is each one's size and `off` where its bytes
 * are in the temporary file, read back with gz_pics_pread. */
void gz_pics_sort(gz_pics *p);
size_t gz_pics_count(const gz_pics *p);
const gz_pic *gz_pics_at(const gz_pics *p, size_t i, uint64_t *off);
/* Reads n bytes at off of the temporary file; -1 on a short read. */
int gz_pics_pread(const gz_pics *p, void *buf, size_t n, uint64_t off);

/* Did an allocation or the temporary file fail (the output is not
 * what it should be)? */
bool gz_pics_failed(const gz_pics *p);

/* Hands the warnings to the job in output order, then the count of
 * remote pictures left out as one warning. */
void gz_pics_report(gz_pics *p);

/* Does the body's first picture show the lead image already? Then the
 * lead is not drawn again. */
bool gz_pics_lead_in_body(const gz_article *a, const gz_body *body);

#endif
