/*
 * encode.c - the bytes a writer embeds: JPEG through libjpeg(-turbo) with
 * a destination manager that appends to a gz_buf (libjpeg.txt, "Compressed
 * data handling"), PNG through libpng with a write function (libpng manual
 * IV.5, "Setting up output code"). Both report errors by longjmp, which
 * never leaves this file.
 */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <zlib.h> /* Z_RLE */

#include "image/imgint.h"

/* ---- JPEG ---- */

typedef struct jerr {
  struct jpeg_error_mgr pub;
  jmp_buf jmp;
} jerr;

static void jerr_exit(j_common_ptr c) { longjmp(((jerr *)c->err)->jmp, 1); }
static void jerr_quiet(j_common_ptr c, int level) { (void)c, (void)level; }

typedef struct jdest {
  struct jpeg_destination_mgr pub;
  gz_buf *b;
  JOCTET chunk[16384];
} jdest;

static void jd_init(j_compress_ptr c) {
  jdest *d = (jdest *)c->dest;
  d->pub.next_output_byte = d->chunk;
  d->pub.free_in_buffer = sizeof d->chunk;
}

static boolean jd_empty(j_compress_ptr c) {
  jdest *d = (jdest *)c->dest;
  /* libjpeg asks for more room when the chunk is full: all of it is data */
  if (gz_buf_append(d->b, d->chunk, sizeof d->chunk) != 0) ERREXIT(c, JERR_OUT_OF_MEMORY);
  d->pub.next_output_byte = d->chunk;
  d->pub.free_in_buffer = sizeof d->chunk;
  return TRUE;
}

static void jd_term(j_compress_ptr c) {
  jdest *d = (jdest *)c->dest;
  size_t n = sizeof d->chunk - d->pub.free_in_buffer;
  if (gz_buf_append(d->b, d->chunk, n) != 0) ERREXIT(c, JERR_OUT_OF_MEMORY);
}

int gz_img_encode_jpeg(const unsigned char *px, uint32_t w, uint32_t h, int ch, int quality,
                       gz_buf *b, char *why, size_t why_len) {
  struct jpeg_compress_struct c;
  jerr e;
  jdest *d = gz_malloc(b->al, sizeof *d);
  if (!d) {
    snprintf(why, why_len, "out of memory");
    return -1;
  }
  memset(&c, 0, sizeof c);
  c.err = jpeg_std_error(&e.pub);
  e.pub.error_exit = jerr_exit;
  e.pub.emit_message = jerr_quiet;
  if (setjmp(e.jmp)) {
    jpeg_destroy_compress(&c);
    gz_free(b->al, d);
    snprintf(why, why_len, "the JPEG could not be written");
    return -1;
  }
  jpeg_create_compress(&c);
  d->b = b;
  d->pub.init_destination = jd_init;
  d->pub.empty_output_buffer = jd_empty;
  d->pub.term_destination = jd_term;
  c.dest = &d->pub;
  c.image_width = w;
  c.image_height = h;
  c.input_components = ch;
  c.in_color_space = ch == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  c.optimize_coding = TRUE;
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = (JSAMPROW)(px + (size_t)c.next_scanline * w * (size_t)ch);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  gz_free(b->al, d);
  if (b->failed) {
    snprintf(why, why_len, "out of memory");
    return -1;
  }
  return 0;
}

/* ---- PNG ---- */

static void pw_write(png_structp p, png_bytep data, size_t n) {
  gz_buf *b = png_get_io_ptr(p);
  if (gz_buf_append(b, data, n) != 0) png_error(p, "out of memory");
}
static void pw_flush(png_structp p) { (void)p; }
static void pw_error(png_structp p, png_const_charp msg) {
  (void)msg;
  png_longjmp(p, 1);
}
static void pw_warn(png_structp p, png_const_charp msg) { (void)p, (void)msg; }

/* Drawn pictures (flat: a cover of text on a plain ground) skip libpng's
 * per-row choice among the five filters and deflate's search for
 * matches (zlib's Z_RLE: runs only): on rows that are mostly one value
 * that costs little size, and the two were most of the time of writing
 * a book of --split (bench/RESULTS.md). */
static int gz_img_encode_png_flat(const unsigned char *px, uint32_t w, uint32_t h, int ch,
                                  bool flat, gz_buf *b, char *why, size_t why_len) {
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, pw_error, pw_warn);
  png_infop info = p ? png_create_info_struct(p) : NULL;
  if (!info) {
    png_destroy_write_struct(&p, NULL);
    snprintf(why, why_len, "out of memory");
    return -1;
  }
  if (setjmp(png_jmpbuf(p))) {
    png_destroy_write_struct(&p, &info);
    snprintf(why, why_len, "the PNG could not be written");
    return -1;
  }
  static const int types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                              PNG_COLOR_TYPE_RGB_ALPHA};
  png_set_write_fn(p, b, pw_write, pw_flush);
  if (flat) {
    png_set_filter(p, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_strategy(p, Z_RLE);
  }
  png_set_IHDR(p, info, w, h, 8, types[ch], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(p, info);
  for (uint32_t y = 0; y < h; y++) png_write_row(p, px + (size_t)y * w * (size_t)ch);
  png_write_end(p, info);
  png_destroy_write_struct(&p, &info);
  return 0;
}

int gz_img_encode_png(const unsigned char *px, uint32_t w, uint32_t h, int ch, gz_buf *b, char *why,
                      size_t why_len) {
  return gz_img_encode_png_flat(px, w, h, ch, false, b, why, why_len);
}

int gz_img_png_of_pixels(const unsigned char *px, uint32_t w, uint32_t h, int channels,
                         gz_buf *out) {
  char why[64];
  if (channels < 1 || channels > 4) return -1;
  return gz_img_encode_png_flat(px, w, h, channels, true, out, why, sizeof why) || out->failed ? -1
                                                                                               : 0;
}
