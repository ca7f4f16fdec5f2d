/*
 * imgint.h - what the parts of the image library share: the row sink that
 * every decoder feeds (flattening, colour counting, box scaling into the
 * output raster), the decoders, the encoders and the JPEG segment walker.
 * Not for the writers: they use image.h.
 */
#ifndef GZ_IMGINT_H
#define GZ_IMGINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "util/util.h"

/* Rows go in at sw x sh (1: gray, 3: RGB or 4: RGBA bytes a pixel) and come
 * out box-averaged at ow x oh into `out` (out_ch: 1 gray, 2 gray+alpha,
 * 3 RGB, 4 RGBA). Averaging is done on alpha-premultiplied values so that
 * transparent pixels lend no colour to their neighbours. */
typedef struct gz_img_sink {
  const gz_allocator *al;
  uint32_t sw, sh, ow, oh;
  int in_ch, out_ch;
  bool keep_alpha, gray;
  bool count;        /* count colours (not for JPEG sources: always photographs) */
  uint64_t *acc;     /* ow x 4: premultiplied colour sums and alpha sum */
  uint32_t *colcnt;  /* input columns landing in each output column */
  uint32_t in_y;     /* rows fed */
  uint32_t acc_rows; /* rows in acc */
  uint32_t out_y;    /* rows written */
  unsigned char *out;
  uint8_t min_alpha;
  /* distinct colours seen, up to GZ_IMG_FEW_COLOURS + 1 */
  uint32_t colours[1024];
  bool colour_used[1024];
  size_t ncolours;
  uint32_t last_colour;
  bool have_last;
} gz_img_sink;

/* At most this many distinct colours (before scaling) and the picture is
 * line art, a chart or a logo: PNG keeps its edges; more is a photograph. */
#define GZ_IMG_FEW_COLOURS 256

/* 0, or -1 when out of memory. */
int gz_img_sink_init(gz_img_sink *s, const gz_allocator *al, uint32_t sw, uint32_t sh, uint32_t ow,
                     uint32_t oh, int in_ch, bool has_alpha, const gz_img_opts *o);
void gz_img_sink_row(gz_img_sink *s, const unsigned char *row);
void gz_img_sink_free(gz_img_sink *s);

/* The size after scaling w x h so its long side is at most max_side. */
void gz_img_fit(uint32_t w, uint32_t h, uint32_t max_side, uint32_t *ow, uint32_t *oh);

/* A decoder reads the header, checks the pixel limit, then feeds the rows
 * into a sink it sets up for the target size. 0, or -1 with `why`. */
typedef struct gz_img_job {
  const gz_allocator *al;
  const unsigned char *bytes;
  size_t len;
  const gz_img_opts *o; /* limits filled in */
  gz_img_sink sink;     /* set up by the decoder */
  bool sink_ready;
  bool verify_only;       /* JPEG: decode at 1/8 to find damage, feed nothing */
  bool has_alpha;         /* the source has an alpha channel or a transparent colour */
  unsigned char *scratch; /* the decoder's row or frame buffers, freed by the caller */
  unsigned char **rows;
  char *why;
  size_t why_len;
} gz_img_job;

int gz_img_decode_jpeg(gz_img_job *j);
int gz_img_decode_png(gz_img_job *j);
int gz_img_decode_gif(gz_img_job *j);
int gz_img_decode_webp(gz_img_job *j);
/* The header's size, for a JPEG that may pass through, and its kind: 0 not
 * fit to pass through, 1 plain gray, 3 plain YCbCr. -1 with why. */
int gz_img_jpeg_info(const unsigned char *bytes, size_t len, uint32_t *w, uint32_t *h, int *kind,
                     char *why, size_t why_len);
/* The pixel limit message; always -1. */
int gz_img_too_big(uint64_t w, uint64_t h, uint64_t limit, char *why, size_t why_len);

/* Encoders into `b`; 0, or -1 with why. */
int gz_img_encode_jpeg(const unsigned char *px, uint32_t w, uint32_t h, int ch, int quality,
                       gz_buf *b, char *why, size_t why_len);
int gz_img_encode_png(const unsigned char *px, uint32_t w, uint32_t h, int ch, gz_buf *b, char *why,
                      size_t why_len);

/* The JPEG's segments with the metadata ones left out (see jpegmeta.c). 0,
 * or -1 when the segment structure is broken. */
int gz_img_jpeg_strip(const unsigned char *in, size_t len, gz_buf *b);
/* The EXIF orientation (1-8; 1 when absent or unreadable). */
int gz_img_jpeg_orientation(const unsigned char *in, size_t len);

/* ---- the loader's parts (source.c, fetch.c) ---- */

struct sockaddr;
/* Is the address one a hostile URL may not reach: loopback, private,
 * link-local, shared (CGNAT), multicast, reserved or documentation ranges,
 * in IPv4, IPv6, or IPv4 inside IPv6? */
bool gz_img_addr_public(const struct sockaddr *sa);
/* For the tests' loopback server: the loader treats this one IP address
 * as public (NULL: none), so that the rule is still applied to the next
 * hop of a redirect. */
void gz_img_loader_treat_as_public(gz_img_loader *l, const char *ip);

/* Remote bytes (fetch.c); the loader's state is shared with source.c. */
gz_img_status gz_img_fetch(gz_img_loader *l, const char *url, unsigned char **bytes, size_t *len,
                           char *why, size_t why_len);
/* The cache file of `url` under the loader's folder, or NULL (no folder). */
char *gz_img_cache_path(gz_img_loader *l, const char *url);

#endif
