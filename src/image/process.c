/*
 * process.c - gz_img_process: from the bytes of a picture to what a writer
 * embeds. The type comes from the bytes; the pixel limit is checked from
 * the header; a JPEG that needs nothing done passes through with its
 * metadata segments taken out; everything else is decoded, scaled, turned
 * upright, and encoded again.
 *
 * JPEG or PNG: a picture that keeps transparency is PNG (JPEG has none);
 * a JPEG source stays JPEG (it is a photograph already, and PNG would only
 * store its noise at five times the size); any other picture with at most
 * GZ_IMG_FEW_COLOURS distinct colours before scaling is line art (charts,
 * logos, screenshots of text, most GIFs) and becomes PNG, which keeps its
 * edges sharp; more colours means a photograph, which becomes JPEG at
 * quality 85 (no visible loss at reading size, a third of quality 95).
 */
#include <stdio.h>
#include <string.h>

#include "image/imgint.h"

#define GZ_IMG_JPEG_QUALITY 85

static int fail(char *why, size_t why_len, const char *msg) {
  snprintf(why, why_len, "%s", msg);
  return -1;
}

static void job_free(gz_img_job *j) {
  if (j->sink_ready) gz_img_sink_free(&j->sink);
  j->sink_ready = false;
  gz_free(j->al, j->scratch);
  gz_free(j->al, j->rows);
  j->scratch = NULL;
  j->rows = NULL;
}

/* The pixels turned as EXIF orientation `orient` says (EXIF 2.32, tag
 * 0x0112): what the camera meant, since the tag itself is not kept. */
static unsigned char *orient_raster(const gz_allocator *al, const unsigned char *src, uint32_t w,
                                    uint32_t h, int ch, int orient, uint32_t *nw, uint32_t *nh) {
  bool swap = orient >= 5;
  *nw = swap ? h : w;
  *nh = swap ? w : h;
  unsigned char *dst = gz_malloc(al, (size_t)w * h * (size_t)ch);
  if (!dst) return NULL;
  for (uint32_t y = 0; y < h; y++) {
    for (uint32_t x = 0; x < w; x++) {
      uint32_t dx, dy;
      switch (orient) {
        case 2:
          dx = w - 1 - x, dy = y;
          break;
        case 3:
          dx = w - 1 - x, dy = h - 1 - y;
          break;
        case 4:
          dx = x, dy = h - 1 - y;
          break;
        case 5:
          dx = y, dy = x;
          break;
        case 6:
          dx = h - 1 - y, dy = x;
          break;
        case 7:
          dx = h - 1 - y, dy = w - 1 - x;
          break;
        case 8:
          dx = y, dy = w - 1 - x;
          break;
        default:
          dx = x, dy = y;
          break;
      }
      memcpy(dst + ((size_t)dy * *nw + dx) * (size_t)ch, src + ((size_t)y * w + x) * (size_t)ch,
             (size_t)ch);
    }
  }
  return dst;
}

static int passthrough(const gz_allocator *al, const unsigned char *bytes, size_t len,
                       const gz_img_opts *o, uint32_t w, uint32_t h, gz_img *out, char *why,
                       size_t why_len) {
  /* Decoded at 1/8 first: a cheap pass that still reads every coefficient,
   * so a truncated or damaged file is refused rather than passed on. */
  gz_img_job j = {.al = al,
                  .bytes = bytes,
                  .len = len,
                  .o = o,
                  .why = why,
                  .why_len = why_len,
                  .verify_only = true};
  int rc = gz_img_decode_jpeg(&j);
  job_free(&j);
  if (rc != 0) return -1;
  gz_buf b;
  gz_buf_init(&b, al);
  if (gz_buf_reserve(&b, len) != 0) return fail(why, why_len, "out of memory");
  if (gz_img_jpeg_strip(bytes, len, &b) != 0) {
    bool oom = b.failed;
    gz_buf_free(&b);
    return fail(why, why_len, oom ? "out of memory" : "a damaged JPEG (broken segments)");
  }
  out->data = (unsigned char *)b.data;
  out->len = b.len;
  out->media_type = "image/jpeg";
  out->width = w;
  out->height = h;
  out->passthrough = true;
  return 0;
}

int gz_img_process(const gz_allocator *al, const unsigned char *bytes, size_t len,
                   const gz_img_opts *o, gz_img *out, char *why, size_t why_len) {
  char scratch_why[8];
  if (!why || why_len == 0) why = scratch_why, why_len = sizeof scratch_why;
  why[0] = '\0';
  memset(out, 0, sizeof *out);
  if (!al) al = gz_default_allocator();
  gz_img_opts eff = {0};
  if (o) eff = *o;
  if (!eff.max_side) eff.max_side = GZ_IMG_DEFAULT_MAX_SIDE;
  if (!eff.max_pixels) eff.max_pixels = GZ_IMG_DEFAULT_MAX_PIXELS;
  if (!bytes || len == 0) return fail(why, why_len, "an empty file");
  gz_img_type t = gz_img_sniff(bytes, len);
  if (t == GZ_IMG_SVG) return fail(why, why_len, "SVG is not embedded");
  if (t == GZ_IMG_UNKNOWN) return fail(why, why_len, "not a JPEG, PNG, GIF or WebP image");
  int orient = 1;
  if (t == GZ_IMG_JPEG) {
    uint32_t w, h;
    int kind;
    if (gz_img_jpeg_info(bytes, len, &w, &h, &kind, why, why_len) != 0) return -1;
    if ((uint64_t)w * h > eff.max_pixels) return gz_img_too_big(w, h, eff.max_pixels, why, why_len);
    orient = gz_img_jpeg_orientation(bytes, len);
    if (kind && w <= eff.max_side && h <= eff.max_side && (kind == 1 || !eff.grayscale) &&
        orient == 1)
      return passthrough(al, bytes, len, &eff, w, h, out, why, why_len);
  }
  gz_img_job j = {.al = al, .bytes = bytes, .len = len, .o = &eff, .why = why, .why_len = why_len};
  int rc;
  switch (t) {
    case GZ_IMG_JPEG:
      rc = gz_img_decode_jpeg(&j);
      break;
    case GZ_IMG_PNG:
      rc = gz_img_decode_png(&j);
      break;
    case GZ_IMG_GIF:
      rc = gz_img_decode_gif(&j);
      break;
    default:
      rc = gz_img_decode_webp(&j);
      break;
  }
  if (rc != 0) {
    job_free(&j);
    return -1;
  }
  gz_img_sink *s = &j.sink;
  if (s->out_y != s->oh) {
    job_free(&j);
    return fail(why, why_len, "the picture ended before its last row");
  }
  int ch = s->out_ch;
  /* an alpha channel with every pixel opaque is dropped */
  if (s->keep_alpha && s->min_alpha == 255) {
    size_t n = (size_t)s->ow * s->oh;
    for (size_t i = 0; i < n; i++)
      memmove(s->out + i * (size_t)(ch - 1), s->out + i * (size_t)ch, (size_t)(ch - 1));
    ch--;
  }
  bool alpha = ch == 2 || ch == 4;
  const unsigned char *px = s->out;
  uint32_t w = s->ow, h = s->oh;
  unsigned char *turned = NULL;
  if (orient != 1) {
    turned = orient_raster(al, s->out, s->ow, s->oh, ch, orient, &w, &h);
    if (!turned) {
      job_free(&j);
      return fail(why, why_len, "out of memory");
    }
    px = turned;
  }
  bool png = alpha || (t != GZ_IMG_JPEG && s->ncolours <= GZ_IMG_FEW_COLOURS);
  gz_buf b;
  gz_buf_init(&b, al);
  rc = png ? gz_img_encode_png(px, w, h, ch, &b, why, why_len)
           : gz_img_encode_jpeg(px, w, h, ch, GZ_IMG_JPEG_QUALITY, &b, why, why_len);
  gz_free(al, turned);
  job_free(&j);
  if (rc != 0) {
    gz_buf_free(&b);
    return -1;
  }
  out->data = (unsigned char *)b.data;
  out->len = b.len;
  out->media_type = png ? "image/png" : "image/jpeg";
  out->width = w;
  out->height = h;
  out->alpha = alpha;
  return 0;
}

void gz_img_free(const gz_allocator *al, gz_img *img) {
  if (!img) return;
  if (!al) al = gz_default_allocator();
  gz_free(al, img->data);
  memset(img, 0, sizeof *img);
}
