/*
 * image.h - pictures for the writers: where an image's bytes come from (a
 * local file confined to the input's folder tree, a data: URI, or with
 * --fetch-images a remote http(s) URL through libcurl, cached), what they
 * are (sniffed from the bytes), and what the writers embed (decoded,
 * bounded, scaled, stripped of metadata, re-encoded as JPEG or PNG).
 */
#ifndef GZ_IMAGE_H
#define GZ_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gazette/gazette.h"
#include "util/util.h"

/* 1600 px on the long side: a 5.3 in (135 mm) PDF text column at 300 dpi
 * needs 1594 px, and large e-reader screens are 1404-1680 px across. */
#define GZ_IMG_DEFAULT_MAX_SIDE 1600u
/* 50 megapixels: above any camera photo a news archive holds, far below
 * what a bomb claims (a 40000 x 40000 header is 1600 megapixels). */
#define GZ_IMG_DEFAULT_MAX_PIXELS 50000000u
#define GZ_IMG_DEFAULT_TIMEOUT_MS 10000L
#define GZ_IMG_DEFAULT_MAX_BYTES (20u * 1024u * 1024u)
#define GZ_IMG_DEFAULT_MAX_TOTAL (200u * 1024u * 1024u)
#define GZ_IMG_DEFAULT_MAX_REDIRECTS 5

typedef enum gz_img_type {
  GZ_IMG_UNKNOWN = 0,
  GZ_IMG_JPEG,
  GZ_IMG_PNG,
  GZ_IMG_GIF,
  GZ_IMG_WEBP,
  GZ_IMG_SVG
} gz_img_type;

/* The type from the bytes alone (never the name or a Content-Type). */
gz_img_type gz_img_sniff(const unsigned char *bytes, size_t len);
/* "JPEG", "PNG", "GIF", "WebP", "SVG" or "unknown" (static). */
const char *gz_img_type_name(gz_img_type t);

typedef struct gz_img_opts {
  uint32_t max_side;   /* long side in pixels after scaling (--image-max); 0: default */
  uint64_t max_pixels; /* refuse before decoding above this (decompression bombs); 0: default */
  bool grayscale;      /* --grayscale-images */
  bool no_alpha;       /* flatten transparency on white (PDF/A-1) */
} gz_img_opts;

/* What a writer embeds: JPEG or PNG bytes of width x height pixels.
 * `passthrough`: the source JPEG's own bytes (no scaling or change needed,
 * metadata segments removed). */
typedef struct gz_img {
  unsigned char *data; /* owned, from the allocator given */
  size_t len;
  const char *media_type; /* "image/jpeg" or "image/png" (static) */
  uint32_t width, height;
  bool alpha; /* PNG with an alpha channel */
  bool passthrough;
} gz_img;

/* Decodes, checks limits, scales, strips, re-encodes. 0, or -1 with a plain
 * sentence in why ("a truncated JPEG", "an image of 40000 x 40000 pixels,
 * over the limit of ...", "SVG is not embedded"). */
int gz_img_process(const gz_allocator *al, const unsigned char *bytes, size_t len,
                   const gz_img_opts *o, gz_img *out, char *why, size_t why_len);
void gz_img_free(const gz_allocator *al, gz_img *img);

/* Encodes pixels a writer drew itself (the EPUB cover) as PNG: `channels`
 * 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA, rows packed. 0, or -1 when out of
 * memory (out->failed) or libpng failed. */
int gz_img_png_of_pixels(const unsigned char *px, uint32_t w, uint32_t h, int channels,
                         gz_buf *out);

/* Where bytes come from. One loader per write job (thread-safe: writers
 * call it from their workers), its fetch budget shared. */
typedef struct gz_img_loader gz_img_loader;
typedef struct gz_img_loader_opts {
  bool fetch;               /* --fetch-images */
  bool allow_private_hosts; /* --allow-private-hosts */
  const char *cache_dir; /* --image-cache; NULL: $XDG_CACHE_HOME/gazette/images (or ~/.cache/...) */
  long timeout_ms;       /* per request; 0: default */
  size_t max_bytes;      /* per image; 0: default */
  size_t max_total;      /* per digest; 0: default */
  int max_redirects;     /* 0: default */
} gz_img_loader_opts;
/* NULL when out of memory. */
gz_img_loader *gz_img_loader_new(const gz_allocator *al, const gz_img_loader_opts *o);
void gz_img_loader_free(gz_img_loader *l);

typedef enum gz_img_status {
  GZ_IMGSRC_OK = 0,
  GZ_IMGSRC_REMOTE_SKIPPED, /* http(s) without --fetch-images: left out, counted */
  GZ_IMGSRC_REFUSED,        /* outside the input tree, private address, scheme, too big, ... */
  GZ_IMGSRC_FAILED          /* missing file, network error, time-out */
} gz_img_status;

/* Loads the bytes of `src` (as written in the article: relative to the
 * folder of `input_file`, absolute inside that folder's tree, data:,
 * http(s)). *bytes owned by the caller (al). */
gz_img_status gz_img_load(gz_img_loader *l, const char *src, const char *input_file,
                          unsigned char **bytes, size_t *len, char *why, size_t why_len);
/* Requests actually sent (for tests and the summary). */
size_t gz_img_loader_requests(const gz_img_loader *l);

#endif
