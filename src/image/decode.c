/*
 * decode.c - JPEG (libjpeg-turbo), PNG (libpng), GIF (giflib, first frame)
 * and WebP (libwebp) into the row sink of raster.c. Each decoder reads the
 * header first and refuses a picture over the pixel limit before any pixel
 * is decoded; damage is an error sentence, never a crash: libjpeg and
 * libpng report through error functions that longjmp back here (libjpeg.txt
 * "Error handling", libpng manual "Setjmp/longjmp issues"), giflib and
 * libwebp through return codes. Buffers live in the job, so a longjmp
 * leaks nothing: the caller frees them.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <gif_lib.h>
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "image/imgint.h"

int gz_img_too_big(uint64_t w, uint64_t h, uint64_t limit, char *why, size_t why_len) {
  snprintf(why, why_len,
           "an image of %" PRIu64 " x %" PRIu64 " pixels, over the limit of %" PRIu64 " pixels", w,
           h, limit);
  return -1;
}

static int over_limit(gz_img_job *j, uint64_t w, uint64_t h) {
  if (w == 0 || h == 0) {
    snprintf(j->why, j->why_len, "an image without pixels");
    return 1;
  }
  if (w * h > j->o->max_pixels) {
    gz_img_too_big(w, h, j->o->max_pixels, j->why, j->why_len);
    return 1;
  }
  return 0;
}

static int start_sink(gz_img_job *j, uint32_t sw, uint32_t sh, uint32_t w, uint32_t h, int in_ch,
                      bool alpha) {
  uint32_t ow, oh;
  gz_img_fit(w, h, j->o->max_side, &ow, &oh);
  if (ow > sw) ow = sw;
  if (oh > sh) oh = sh;
  j->has_alpha = alpha;
  if (gz_img_sink_init(&j->sink, j->al, sw, sh, ow, oh, in_ch, alpha, j->o) != 0) {
    snprintf(j->why, j->why_len, "out of memory");
    return -1;
  }
  j->sink_ready = true;
  return 0;
}

/* ---- JPEG ---- */

typedef struct jderr {
  struct jpeg_error_mgr pub;
  jmp_buf jmp;
  bool eof;
  bool no_memory;
  char msg[JMSG_LENGTH_MAX];
} jderr;

static void jd_exit(j_common_ptr c) {
  jderr *e = (jderr *)c->err;
  e->no_memory =
      c->err->msg_code == JERR_NO_BACKING_STORE || c->err->msg_code == JERR_OUT_OF_MEMORY;
  c->err->format_message(c, e->msg);
  longjmp(e->jmp, 1);
}

/* Warnings (level -1) are how libjpeg reports a file that ends early: it
 * inserts a fake EOI and carries on with grey pixels (jdatasrc.c). */
static void jd_message(j_common_ptr c, int level) {
  if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF) ((jderr *)c->err)->eof = true;
}

/* A progressive JPEG of thousands of tiny scans costs minutes to decode;
 * libjpeg-turbo's own djpeg offers -maxscans for this (doc/libjpeg.txt,
 * "Progress monitoring"). */
static void jd_progress(j_common_ptr c) {
  j_decompress_ptr d = (j_decompress_ptr)c;
  if (d->input_scan_number > 500) {
    snprintf(((jderr *)c->err)->msg, JMSG_LENGTH_MAX, "too many scans");
    longjmp(((jderr *)c->err)->jmp, 1);
  }
}

static int jpeg_fail(gz_img_job *j, jderr *e) {
  if (e->eof)
    snprintf(j->why, j->why_len, "a truncated JPEG");
  else if (e->no_memory)
    snprintf(j->why, j->why_len, "a JPEG that needs more memory to decode than is allowed");
  else
    snprintf(j->why, j->why_len, "a damaged JPEG (%s)", e->msg);
  return -1;
}

int gz_img_decode_jpeg(gz_img_job *j) {
  struct jpeg_decompress_struct c;
  struct jpeg_progress_mgr prog;
  jderr e;
  memset(&c, 0, sizeof c);
  memset(&e, 0, sizeof e);
  c.err = jpeg_std_error(&e.pub);
  e.pub.error_exit = jd_exit;
  e.pub.emit_message = jd_message;
  if (setjmp(e.jmp)) {
    jpeg_destroy_decompress(&c);
    return jpeg_fail(j, &e);
  }
  jpeg_create_decompress(&c);
  prog.progress_monitor = jd_progress;
  c.progress = &prog;
  /* A progressive JPEG keeps every coefficient of the picture until its
   * last scan (6 bytes a pixel at 4:4:4), whatever the scaling: bounded
   * here, libjpeg-turbo stops with JERR_NO_BACKING_STORE rather than
   * grow past it (jmemnobs.c, jpeg_mem_available). */
  c.mem->max_memory_to_use = 256L << 20;
  jpeg_mem_src(&c, j->bytes, (unsigned long)j->len);
  jpeg_read_header(&c, TRUE);
  if (over_limit(j, c.image_width, c.image_height)) {
    jpeg_destroy_decompress(&c);
    return -1;
  }
  uint32_t ow, oh;
  gz_img_fit(c.image_width, c.image_height, j->o->max_side, &ow, &oh);
  unsigned num = 8;
  if (j->verify_only) {
    num = 1;
  } else {
    /* libjpeg-turbo scales by any N/8 inside the IDCT (jidctred.c,
     * jidctint.c; libjpeg.txt, scale_num), far cheaper than decoding it
     * all and averaging: the smallest N whose size is still at or above
     * the target leaves the box filter little to do */
    while (num > 1 && ((uint64_t)c.image_width * (num - 1) + 7) / 8 >= ow &&
           ((uint64_t)c.image_height * (num - 1) + 7) / 8 >= oh)
      num--;
  }
  c.scale_num = num;
  c.scale_denom = 8;
  bool cmyk = c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK;
  bool inverted = cmyk && c.saw_Adobe_marker;
  if (cmyk)
    c.out_color_space = JCS_CMYK;
  else if (c.num_components == 1 || j->o->grayscale)
    c.out_color_space = JCS_GRAYSCALE;
  else
    c.out_color_space = JCS_RGB;
  jpeg_start_decompress(&c);
  uint32_t sw = c.output_width, sh = c.output_height;
  int comps = c.output_components;
  j->scratch = gz_malloc(j->al, (size_t)sw * (size_t)comps);
  if (!j->scratch) ERREXIT(&c, JERR_OUT_OF_MEMORY);
  if (!j->verify_only &&
      start_sink(j, sw, sh, c.image_width, c.image_height, cmyk ? 3 : comps, false) != 0) {
    jpeg_destroy_decompress(&c);
    return -1;
  }
  if (!j->verify_only) j->sink.count = false;
  while (c.output_scanline < c.output_height) {
    JSAMPROW row = j->scratch;
    jpeg_read_scanlines(&c, &row, 1);
    if (j->verify_only) continue;
    if (cmyk) {
      /* Adobe writes CMYK inverted (255: no ink); the product of the
       * remaining light of ink and black is the RGB value. */
      for (uint32_t x = 0; x < sw; x++) {
        unsigned char *p = row + (size_t)x * 4;
        unsigned cc = p[0], m = p[1], y = p[2], k = p[3];
        if (!inverted) cc = 255 - cc, m = 255 - m, y = 255 - y, k = 255 - k;
        row[x * 3] = (unsigned char)(cc * k / 255);
        row[x * 3 + 1] = (unsigned char)(m * k / 255);
        row[x * 3 + 2] = (unsigned char)(y * k / 255);
      }
    }
    gz_img_sink_row(&j->sink, row);
  }
  jpeg_finish_decompress(&c);
  jpeg_destroy_decompress(&c);
  if (e.eof) return jpeg_fail(j, &e);
  return 0;
}

int gz_img_jpeg_info(const unsigned char *bytes, size_t len, uint32_t *w, uint32_t *h, int *kind,
                     char *why, size_t why_len) {
  struct jpeg_decompress_struct c;
  jderr e;
  memset(&c, 0, sizeof c);
  memset(&e, 0, sizeof e);
  c.err = jpeg_std_error(&e.pub);
  e.pub.error_exit = jd_exit;
  e.pub.emit_message = jd_message;
  if (setjmp(e.jmp)) {
    jpeg_destroy_decompress(&c);
    if (e.eof)
      snprintf(why, why_len, "a truncated JPEG");
    else
      snprintf(why, why_len, "a damaged JPEG (%s)", e.msg);
    return -1;
  }
  jpeg_create_decompress(&c);
  jpeg_mem_src(&c, bytes, (unsigned long)len);
  jpeg_read_header(&c, TRUE);
  *w = c.image_width;
  *h = c.image_height;
  /* Embedded as it is only when every reader shows it the same: 8-bit
   * Huffman-coded gray or YCbCr (PDF's DCTDecode and EPUB readers are not
   * required to handle arithmetic coding or CMYK alike). */
  bool plain =
      !c.arith_code && c.data_precision == 8 &&
      (c.num_components == 1 || (c.num_components == 3 && c.jpeg_color_space == JCS_YCbCr));
  *kind = plain ? c.num_components : 0;
  jpeg_destroy_decompress(&c);
  return 0;
}

/* ---- PNG ---- */

typedef struct pdec {
  const unsigned char *b;
  size_t len, pos;
  bool short_read;
  char msg[160];
} pdec;

static void pd_read(png_structp p, png_bytep out, size_t n) {
  pdec *d = png_get_io_ptr(p);
  if (n > d->len - d->pos) {
    d->short_read = true;
    png_error(p, "the data ends early");
  }
  memcpy(out, d->b + d->pos, n);
  d->pos += n;
}

static void pd_error(png_structp p, png_const_charp msg) {
  pdec *d = png_get_error_ptr(p);
  snprintf(d->msg, sizeof d->msg, "%s", msg);
  png_longjmp(p, 1);
}
static void pd_warn(png_structp p, png_const_charp msg) { (void)p, (void)msg; }

int gz_img_decode_png(gz_img_job *j) {
  pdec d = {j->bytes, j->len, 0, false, ""};
  png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d, pd_error, pd_warn);
  png_infop info = p ? png_create_info_struct(p) : NULL;
  if (!info) {
    png_destroy_read_struct(&p, NULL, NULL);
    snprintf(j->why, j->why_len, "out of memory");
    return -1;
  }
  if (setjmp(png_jmpbuf(p))) {
    png_destroy_read_struct(&p, &info, NULL);
    if (d.short_read)
      snprintf(j->why, j->why_len, "a truncated PNG");
    else
      snprintf(j->why, j->why_len, "a damaged PNG (%s)", d.msg);
    return -1;
  }
  png_set_read_fn(p, &d, pd_read);
  /* text and profile chunks are inflated before the pixels: bound them */
  png_set_chunk_malloc_max(p, 8u << 20);
  png_read_info(p, info);
  uint32_t w = png_get_image_width(p, info), h = png_get_image_height(p, info);
  if (over_limit(j, w, h)) {
    png_destroy_read_struct(&p, &info, NULL);
    return -1;
  }
  int type = png_get_color_type(p, info);
  bool alpha = (type & PNG_COLOR_MASK_ALPHA) || png_get_valid(p, info, PNG_INFO_tRNS);
  /* everything to 8-bit RGB or RGBA (libpng manual IV.3, transformations) */
  png_set_expand(p);
  png_set_scale_16(p);
  png_set_gray_to_rgb(p);
  int passes = png_set_interlace_handling(p);
  png_read_update_info(p, info);
  int ch = png_get_channels(p, info);
  size_t rowbytes = png_get_rowbytes(p, info);
  if ((ch != 3 && ch != 4) || rowbytes != (size_t)w * (size_t)ch) png_error(p, "unexpected layout");
  if (start_sink(j, w, h, w, h, ch, alpha && ch == 4) != 0) {
    png_destroy_read_struct(&p, &info, NULL);
    return -1;
  }
  if (passes == 1) {
    j->scratch = gz_malloc(j->al, rowbytes);
    if (!j->scratch) png_error(p, "out of memory");
    for (uint32_t y = 0; y < h; y++) {
      png_read_row(p, j->scratch, NULL);
      gz_img_sink_row(&j->sink, j->scratch);
    }
  } else {
    /* Adam7 rows arrive over seven passes: the whole picture is kept
     * (within the pixel limit) before it can be scaled. */
    j->scratch = gz_malloc(j->al, rowbytes * h);
    j->rows = gz_malloc(j->al, sizeof *j->rows * h);
    if (!j->scratch || !j->rows) png_error(p, "out of memory");
    for (uint32_t y = 0; y < h; y++) j->rows[y] = j->scratch + rowbytes * y;
    png_read_image(p, j->rows);
    for (uint32_t y = 0; y < h; y++) gz_img_sink_row(&j->sink, j->rows[y]);
  }
  png_destroy_read_struct(&p, &info, NULL);
  return 0;
}

/* ---- GIF ---- */

typedef struct gdec {
  const unsigned char *b;
  size_t len, pos;
  bool short_read;
} gdec;

static int gd_read(GifFileType *g, GifByteType *out, int n) {
  gdec *d = g->UserData;
  size_t want = n < 0 ? 0 : (size_t)n;
  if (want > d->len - d->pos) {
    d->short_read = true;
    want = d->len - d->pos;
  }
  memcpy(out, d->b + d->pos, want);
  d->pos += want;
  return (int)want;
}

static int gif_fail(gz_img_job *j, GifFileType *g, gdec *d, int err) {
  if (d->short_read)
    snprintf(j->why, j->why_len, "a truncated GIF");
  else
    snprintf(j->why, j->why_len, "a damaged GIF (%s)",
             GifErrorString(err) ? GifErrorString(err) : "unknown error");
  int e2;
  if (g) DGifCloseFile(g, &e2);
  return -1;
}

int gz_img_decode_gif(gz_img_job *j) {
  gdec d = {j->bytes, j->len, 0, false};
  int err = 0;
  GifFileType *g = DGifOpen(&d, gd_read, &err);
  if (!g) return gif_fail(j, NULL, &d, err);
  uint32_t cw = (uint32_t)g->SWidth, chh = (uint32_t)g->SHeight;
  if (over_limit(j, cw, chh)) {
    DGifCloseFile(g, &err);
    return -1;
  }
  int transparent = NO_TRANSPARENT_COLOR;
  for (;;) {
    GifRecordType rt;
    if (DGifGetRecordType(g, &rt) == GIF_ERROR) return gif_fail(j, g, &d, g->Error);
    if (rt == TERMINATE_RECORD_TYPE) {
      snprintf(j->why, j->why_len, "a GIF without a picture");
      DGifCloseFile(g, &err);
      return -1;
    }
    if (rt == EXTENSION_RECORD_TYPE) {
      int code;
      GifByteType *ext;
      if (DGifGetExtension(g, &code, &ext) == GIF_ERROR) return gif_fail(j, g, &d, g->Error);
      if (code == GRAPHICS_EXT_FUNC_CODE && ext) {
        GraphicsControlBlock gcb;
        if (DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
      }
      while (ext) {
        if (DGifGetExtensionNext(g, &ext) == GIF_ERROR) return gif_fail(j, g, &d, g->Error);
      }
      continue;
    }
    if (rt != IMAGE_DESC_RECORD_TYPE) continue;
    if (DGifGetImageDesc(g) == GIF_ERROR) return gif_fail(j, g, &d, g->Error);
    break;
  }
  GifImageDesc *im = &g->Image;
  uint32_t fw = (uint32_t)im->Width, fh = (uint32_t)im->Height;
  if (over_limit(j, fw, fh)) {
    DGifCloseFile(g, &err);
    return -1;
  }
  ColorMapObject *map = im->ColorMap ? im->ColorMap : g->SColorMap;
  if (!map || map->ColorCount <= 0) {
    snprintf(j->why, j->why_len, "a damaged GIF (no colour table)");
    DGifCloseFile(g, &err);
    return -1;
  }
  j->scratch = gz_malloc(j->al, (size_t)fw * fh + (size_t)cw * 4);
  if (!j->scratch) {
    snprintf(j->why, j->why_len, "out of memory");
    DGifCloseFile(g, &err);
    return -1;
  }
  /* interlaced frames store rows 0, 8, 16.. then 4, 12.. then 2, 6.. then
   * the odd ones (GIF89a appendix E) */
  static const uint32_t start[] = {0, 4, 2, 1}, step[] = {8, 8, 4, 2};
  int npass = im->Interlace ? 4 : 1;
  for (int ps = 0; ps < npass; ps++) {
    uint32_t y0 = im->Interlace ? start[ps] : 0, dy = im->Interlace ? step[ps] : 1;
    for (uint32_t y = y0; y < fh; y += dy)
      if (DGifGetLine(g, j->scratch + (size_t)y * fw, (int)fw) == GIF_ERROR)
        return gif_fail(j, g, &d, g->Error);
  }
  /* the first frame on its logical screen; the screen outside it is
   * transparent, as browsers show it */
  bool alpha =
      transparent != NO_TRANSPARENT_COLOR || im->Left != 0 || im->Top != 0 || fw < cw || fh < chh;
  if (start_sink(j, cw, chh, cw, chh, 4, alpha) != 0) {
    DGifCloseFile(g, &err);
    return -1;
  }
  unsigned char *row = j->scratch + (size_t)fw * fh;
  for (uint32_t y = 0; y < chh; y++) {
    memset(row, 0, (size_t)cw * 4);
    int64_t fy = (int64_t)y - im->Top;
    if (fy >= 0 && fy < (int64_t)fh) {
      for (uint32_t x = 0; x < cw; x++) {
        int64_t fx = (int64_t)x - im->Left;
        if (fx < 0 || fx >= (int64_t)fw) continue;
        int idx = j->scratch[(size_t)fy * fw + (size_t)fx];
        if (idx == transparent) continue;
        if (idx >= map->ColorCount) idx = 0;
        unsigned char *px = row + (size_t)x * 4;
        px[0] = map->Colors[idx].Red;
        px[1] = map->Colors[idx].Green;
        px[2] = map->Colors[idx].Blue;
        px[3] = 255;
      }
    }
    gz_img_sink_row(&j->sink, row);
  }
  DGifCloseFile(g, &err);
  return 0;
}

/* ---- WebP ---- */

static int webp_status(gz_img_job *j, VP8StatusCode st) {
  if (st == VP8_STATUS_NOT_ENOUGH_DATA)
    snprintf(j->why, j->why_len, "a truncated WebP");
  else if (st == VP8_STATUS_OUT_OF_MEMORY)
    snprintf(j->why, j->why_len, "out of memory");
  else
    snprintf(j->why, j->why_len, "a damaged WebP (status %d)", (int)st);
  return -1;
}

/* An animation: its first frame on the canvas, through the demuxer
 * (webp/demux.h, WebPAnimDecoder). */
static int webp_first_frame(gz_img_job *j, uint32_t w, uint32_t h) {
  WebPAnimDecoderOptions ao;
  if (!WebPAnimDecoderOptionsInit(&ao)) return webp_status(j, VP8_STATUS_INVALID_PARAM);
  ao.color_mode = MODE_RGBA;
  ao.use_threads = 0;
  WebPData data = {j->bytes, j->len};
  WebPAnimDecoder *ad = WebPAnimDecoderNew(&data, &ao);
  if (!ad) return webp_status(j, VP8_STATUS_BITSTREAM_ERROR);
  uint8_t *buf;
  int ts;
  if (!WebPAnimDecoderGetNext(ad, &buf, &ts)) {
    WebPAnimDecoderDelete(ad);
    return webp_status(j, VP8_STATUS_BITSTREAM_ERROR);
  }
  if (start_sink(j, w, h, w, h, 4, true) != 0) {
    WebPAnimDecoderDelete(ad);
    return -1;
  }
  for (uint32_t y = 0; y < h; y++) gz_img_sink_row(&j->sink, buf + (size_t)y * w * 4);
  WebPAnimDecoderDelete(ad);
  return 0;
}

int gz_img_decode_webp(gz_img_job *j) {
  WebPDecoderConfig cfg;
  if (!WebPInitDecoderConfig(&cfg)) return webp_status(j, VP8_STATUS_INVALID_PARAM);
  VP8StatusCode st = WebPGetFeatures(j->bytes, j->len, &cfg.input);
  if (st != VP8_STATUS_OK) return webp_status(j, st);
  uint32_t w = (uint32_t)cfg.input.width, h = (uint32_t)cfg.input.height;
  if (over_limit(j, w, h)) return -1;
  if (cfg.input.has_animation) return webp_first_frame(j, w, h);
  bool alpha = cfg.input.has_alpha;
  uint32_t ow, oh;
  gz_img_fit(w, h, j->o->max_side, &ow, &oh);
  /* libwebp scales while decoding (WebPDecoderOptions.use_scaling), so
   * only the target size is ever held */
  if (ow != w || oh != h) {
    cfg.options.use_scaling = 1;
    cfg.options.scaled_width = (int)ow;
    cfg.options.scaled_height = (int)oh;
  }
  cfg.output.colorspace = alpha ? MODE_RGBA : MODE_RGB;
  st = WebPDecode(j->bytes, j->len, &cfg);
  if (st != VP8_STATUS_OK) {
    WebPFreeDecBuffer(&cfg.output);
    return webp_status(j, st);
  }
  int ch = alpha ? 4 : 3;
  uint32_t dw = (uint32_t)cfg.output.width, dh = (uint32_t)cfg.output.height;
  if (start_sink(j, dw, dh, dw, dh, ch, alpha) != 0) {
    WebPFreeDecBuffer(&cfg.output);
    return -1;
  }
  const uint8_t *px = cfg.output.u.RGBA.rgba;
  for (uint32_t y = 0; y < dh; y++)
    gz_img_sink_row(&j->sink, px + (size_t)y * (size_t)cfg.output.u.RGBA.stride);
  WebPFreeDecBuffer(&cfg.output);
  return 0;
}
