/*
 * test_image.c - the image library's bytes-to-embedding half
 * (src/image/): sniffing each type and garbage, the JPEG that passes
 * through without its EXIF (GPS included), scaling a generated photograph,
 * transparency kept and flattened, a GIF's first frame, WebP, the EXIF
 * orientation, and truncated files, pixel bombs and SVG refused with their
 * sentences. Pictures from fixtures/images (see its README).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "image/image.h"
#include "image/imgint.h"
#include "testing.h"

static unsigned char *slurp(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/images/%s", getenv("GZ_FIXTURES"), name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc((size_t)n + 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) exit(2);
  fclose(f);
  *len = (size_t)n;
  return b;
}

static bool contains(const unsigned char *h, size_t hl, const void *n, size_t nl) {
  for (size_t i = 0; i + nl <= hl; i++)
    if (memcmp(h + i, n, nl) == 0) return true;
  return false;
}

/* RGBA pixels of a PNG, through libpng's simplified API */
static unsigned char *png_pixels(const gz_img *img, uint32_t *w, uint32_t *h) {
  png_image pi;
  memset(&pi, 0, sizeof pi);
  pi.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&pi, img->data, img->len)) return NULL;
  pi.format = PNG_FORMAT_RGBA;
  unsigned char *px = malloc(PNG_IMAGE_SIZE(pi));
  if (!px || !png_image_finish_read(&pi, NULL, px, 0, NULL)) {
    free(px);
    return NULL;
  }
  *w = pi.width;
  *h = pi.height;
  return px;
}

static void check_px(const unsigned char *px, uint32_t w, uint32_t x, uint32_t y, int r, int g,
                     int b, int a) {
  const unsigned char *p = px + ((size_t)y * w + x) * 4;
  CHECK_INT(p[0], r);
  CHECK_INT(p[1], g);
  CHECK_INT(p[2], b);
  CHECK_INT(p[3], a);
}

static void test_sniff(void) {
  static const struct {
    const char *file;
    gz_img_type t;
  } files[] = {{"photo.jpg", GZ_IMG_JPEG},
               {"alpha.png", GZ_IMG_PNG},
               {"anim.gif", GZ_IMG_GIF},
               {"photo.webp", GZ_IMG_WEBP},
               {"logo.svg", GZ_IMG_SVG}};
  for (size_t i = 0; i < GZ_ARRAY_LEN(files); i++) {
    size_t n;
    unsigned char *b = slurp(files[i].file, &n);
    CHECK_INT(gz_img_sniff(b, n), files[i].t);
    free(b);
  }
  static const struct {
    const char *s;
    gz_img_type t;
  } texts[] = {
      {"", GZ_IMG_UNKNOWN},
      {"\xFF\xD8", GZ_IMG_UNKNOWN},
      {"\xFF\xD8\xFF", GZ_IMG_JPEG},
      {"GIF87a", GZ_IMG_GIF},
      {"GIF88a", GZ_IMG_UNKNOWN},
      {"<svg/>", GZ_IMG_SVG},
      {"  \r\n\t<svg xmlns=\"http://www.w3.org/2000/svg\">", GZ_IMG_SVG},
      {"<?xml version=\"1.0\"?><!-- x --><svg>", GZ_IMG_SVG},
      {"<!DOCTYPE svg [ <!ENTITY a \"<b>\"> ]><svg>", GZ_IMG_SVG},
      {"<svgx>", GZ_IMG_UNKNOWN},
      {"<svg", GZ_IMG_UNKNOWN},
      {"<html><svg>", GZ_IMG_UNKNOWN},
      {"<?xml version=\"1.0\"", GZ_IMG_UNKNOWN},
      {"just some words about a picture", GZ_IMG_UNKNOWN},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(texts); i++)
    CHECK_INT(gz_img_sniff((const unsigned char *)texts[i].s, strlen(texts[i].s)), texts[i].t);
  CHECK_INT(gz_img_sniff((const unsigned char *)"RIFF\x10\0\0\0WEBPVP8 ", 16), GZ_IMG_WEBP);
  CHECK_INT(gz_img_sniff((const unsigned char *)"RIFF\x10\0\0\0WAVEfmt ", 16), GZ_IMG_UNKNOWN);
  CHECK_INT(gz_img_sniff((const unsigned char *)"RIFF\x10\0\0\0WEB", 11), GZ_IMG_UNKNOWN);
  CHECK_INT(gz_img_sniff(NULL, 0), GZ_IMG_UNKNOWN);
  CHECK_STR(gz_img_type_name(GZ_IMG_WEBP), "WebP");
}

/* The bytes of the APP1 segments of a JPEG (markers and lengths included). */
static size_t app1_bytes(const unsigned char *b, size_t n) {
  size_t pos = 2, total = 0;
  while (pos + 4 <= n && b[pos] == 0xFF && b[pos + 1] != 0xDA) {
    size_t seg = ((size_t)b[pos + 2] << 8) | b[pos + 3];
    if (b[pos + 1] == 0xE1) total += seg + 2;
    pos += seg + 2;
  }
  return total;
}

static void test_jpeg_passthrough(void) {
  size_t n;
  unsigned char *b = slurp("photo.jpg", &n);
  CHECK(contains(b, n, "GZGPSDATUM", 10)); /* the fixture has what we strip */
  gz_img img;
  char why[200] = "";
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), 0);
  CHECK_STR(why, "");
  CHECK_INT(img.passthrough, 1);
  CHECK_STR(img.media_type, "image/jpeg");
  CHECK_INT(img.width, 320);
  CHECK_INT(img.height, 240);
  CHECK_INT(img.alpha, 0);
  size_t app1 = app1_bytes(b, n);
  CHECK(app1 > 100);
  CHECK_INT(img.len, n - app1);
  CHECK_INT(app1_bytes(img.data, img.len), 0);
  CHECK(!contains(img.data, img.len, "GZGPSDATUM", 10));
  CHECK(!contains(img.data, img.len, "Exif", 4));
  CHECK(!contains(img.data, img.len, "Gazette Test Camera", 19));
  /* what is left after the APP1 segment is the source, byte for byte */
  CHECK(memcmp(img.data + 20, b + 20 + app1, n - 20 - app1) == 0);
  /* and still a whole JPEG that passes through again unchanged */
  gz_img again;
  CHECK_INT(gz_img_process(NULL, img.data, img.len, NULL, &again, why, sizeof why), 0);
  CHECK_INT(again.len, img.len);
  CHECK_INT(again.passthrough, 1);
  gz_img_free(NULL, &again);
  gz_img_free(NULL, &img);

  /* a comment, Photoshop's APP13, an ICC profile, and bytes after EOI */
  static const unsigned char com[] = "\xFF\xFE\x00\x0BGZCOMMENT";
  static const unsigned char app13[] = "\xFF\xED\x00\x11Photoshop 3.0\0GZ";
  static const unsigned char icc[] = "\xFF\xE2\x00\x10ICC_PROFILE\0\x01\x01";
  static const char tail[] = "GZTRAILER with GZGPSDATUM";
  size_t m = 2 + 13 + 19 + 18 + (n - 2) + sizeof tail - 1;
  unsigned char *x = malloc(m);
  memcpy(x, b, 2);
  memcpy(x + 2, com, 13);
  memcpy(x + 15, app13, 19);
  memcpy(x + 34, icc, 18);
  memcpy(x + 52, b + 2, n - 2);
  memcpy(x + 50 + n, tail, sizeof tail - 1);
  CHECK_INT(gz_img_process(NULL, x, m, NULL, &img, why, sizeof why), 0);
  CHECK_INT(img.passthrough, 1);
  CHECK_INT(img.len, n - app1 + 18);
  CHECK(contains(img.data, img.len, icc, 18));
  CHECK(!contains(img.data, img.len, "GZCOMMENT", 9));
  CHECK(!contains(img.data, img.len, "Photoshop", 9));
  CHECK(!contains(img.data, img.len, "GZTRAILER", 9));
  CHECK(!contains(img.data, img.len, "GZGPSDATUM", 10));
  CHECK_INT(img.data[img.len - 2], 0xFF);
  CHECK_INT(img.data[img.len - 1], 0xD9);
  gz_img_free(NULL, &img);
  free(x);

  /* scaled: a new JPEG, without the GPS either */
  gz_img_opts o = {.max_side = 160};
  CHECK_INT(gz_img_process(NULL, b, n, &o, &img, why, sizeof why), 0);
  CHECK_INT(img.passthrough, 0);
  CHECK_STR(img.media_type, "image/jpeg");
  CHECK_INT(img.width, 160);
  CHECK_INT(img.height, 120);
  CHECK(!contains(img.data, img.len, "GZGPSDATUM", 10));
  CHECK(!contains(img.data, img.len, "Exif", 4));
  gz_img_free(NULL, &img);

  /* gray: re-encoded with one component */
  o = (gz_img_opts){.grayscale = true};
  CHECK_INT(gz_img_process(NULL, b, n, &o, &img, why, sizeof why), 0);
  CHECK_INT(img.passthrough, 0);
  CHECK_INT(img.width, 320);
  uint32_t w, h;
  int kind = -1;
  CHECK_INT(gz_img_jpeg_info(img.data, img.len, &w, &h, &kind, why, sizeof why), 0);
  CHECK_INT(kind, 1);
  /* a gray JPEG needs no change for --grayscale-images: it passes */
  gz_img gray2;
  CHECK_INT(gz_img_process(NULL, img.data, img.len, &o, &gray2, why, sizeof why), 0);
  CHECK_INT(gray2.passthrough, 1);
  gz_img_free(NULL, &gray2);
  gz_img_free(NULL, &img);

  /* truncated: refused, whether it would pass through or be scaled */
  CHECK_INT(gz_img_process(NULL, b, n / 2, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "a truncated JPEG");
  CHECK(img.data == NULL);
  o = (gz_img_opts){.max_side = 100};
  CHECK_INT(gz_img_process(NULL, b, n / 2, &o, &img, why, sizeof why), -1);
  CHECK_STR(why, "a truncated JPEG");
  CHECK_INT(gz_img_process(NULL, b, 300, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "a truncated JPEG");

  /* a bomb: the frame header claims 40000 x 40000 */
  size_t pos = 2;
  while (pos + 9 < n && !(b[pos] == 0xFF && b[pos + 1] == 0xC0))
    pos += 2 + (((size_t)b[pos + 2] << 8) | b[pos + 3]);
  CHECK(pos + 9 < n);
  b[pos + 5] = 40000 >> 8, b[pos + 6] = 40000 & 255; /* height */
  b[pos + 7] = 40000 >> 8, b[pos + 8] = 40000 & 255; /* width */
  clock_t t0 = clock();
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "an image of 40000 x 40000 pixels, over the limit of 50000000 pixels");
  CHECK((clock() - t0) < CLOCKS_PER_SEC / 10); /* refused from the header */
  o = (gz_img_opts){.max_pixels = 2000000000u};
  b[pos + 5] = 0, b[pos + 6] = 240, b[pos + 7] = 1, b[pos + 8] = 64; /* back to 320 x 240 */
  o.max_pixels = 320 * 240 - 1;
  CHECK_INT(gz_img_process(NULL, b, n, &o, &img, why, sizeof why), -1);
  CHECK_STR(why, "an image of 320 x 240 pixels, over the limit of 76799 pixels");
  o.max_pixels = 320 * 240;
  CHECK_INT(gz_img_process(NULL, b, n, &o, &img, why, sizeof why), 0);
  gz_img_free(NULL, &img);
  free(b);
}

/* A photograph-like picture made here: gradients and grain. */
static void test_scale_generated(void) {
  const uint32_t W = 2400, H = 1800;
  unsigned char *px = malloc((size_t)W * H * 3);
  unsigned seed = 1;
  for (uint32_t y = 0; y < H; y++)
    for (uint32_t x = 0; x < W; x++) {
      seed = seed * 1103515245u + 12345u;
      int n = (int)((seed >> 16) % 21) - 10;
      unsigned char *p = px + ((size_t)y * W + x) * 3;
      int v[3] = {(int)(x * 200 / W) + 20 + n, (int)(y * 200 / H) + 20 + n, 128 + n};
      for (int k = 0; k < 3; k++) p[k] = (unsigned char)v[k];
    }
  gz_buf src;
  gz_buf_init(&src, gz_default_allocator());
  char why[200] = "";
  CHECK_INT(gz_img_encode_jpeg(px, W, H, 3, 90, &src, why, sizeof why), 0);
  free(px);
  gz_img img;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  CHECK_INT(gz_img_process(NULL, (unsigned char *)src.data, src.len, NULL, &img, why, sizeof why),
            0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("2400x1800 JPEG of %zu bytes to %ux%u (%zu bytes) in %.1f ms\n", src.len, img.width,
         img.height, img.len, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
  CHECK_STR(img.media_type, "image/jpeg");
  CHECK_INT(img.passthrough, 0);
  CHECK_INT(img.width, 1600);
  CHECK_INT(img.height, 1200);
  gz_img_free(NULL, &img);
  gz_buf_free(&src);
}

static void test_png_alpha(void) {
  size_t n;
  unsigned char *b = slurp("alpha.png", &n);
  gz_img img;
  char why[200] = "";
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), 0);
  CHECK_STR(img.media_type, "image/png");
  CHECK_INT(img.alpha, 1);
  CHECK_INT(img.width, 64);
  CHECK_INT(img.height, 48);
  uint32_t w = 0, h = 0;
  unsigned char *px = png_pixels(&img, &w, &h);
  CHECK(px != NULL);
  if (px) {
    CHECK_INT(w, 64);
    check_px(px, w, 0, 0, 255, 255, 255, 0); /* transparent white */
    check_px(px, w, 32, 24, 200, 30, 30, 255);
    free(px);
  }
  gz_img_free(NULL, &img);

  gz_img_opts o = {.no_alpha = true};
  CHECK_INT(gz_img_process(NULL, b, n, &o, &img, why, sizeof why), 0);
  CHECK_STR(img.media_type, "image/png");
  CHECK_INT(img.alpha, 0);
  CHECK(!contains(img.data, img.len, "tRNS", 4));
  CHECK_INT(img.data[25], 2); /* IHDR colour type: RGB */
  px = png_pixels(&img, &w, &h);
  CHECK(px != NULL);
  if (px) {
    check_px(px, w, 0, 0, 255, 255, 255, 255);
    check_px(px, w, 32, 24, 200, 30, 30, 255);
    free(px);
  }
  gz_img_free(NULL, &img);

  /* halved: the disc's colour does not bleed into the transparent field */
  o = (gz_img_opts){.max_side = 32};
  CHECK_INT(gz_img_process(NULL, b, n, &o, &img, why, sizeof why), 0);
  CHECK_INT(img.width, 32);
  CHECK_INT(img.height, 24);
  px = png_pixels(&img, &w, &h);
  CHECK(px != NULL);
  if (px) {
    check_px(px, w, 16, 12, 200, 30, 30, 255);
    check_px(px, w, 0, 0, 255, 255, 255, 0); /* transparent white */
    free(px);
  }
  gz_img_free(NULL, &img);

  /* truncated, and a bomb (IHDR of 40000 x 40000 with its CRC made right) */
  CHECK_INT(gz_img_process(NULL, b, n - 30, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "a truncated PNG");
  for (int k = 16; k < 24; k += 4) {
    b[k] = 0, b[k + 1] = 0, b[k + 2] = 40000 >> 8, b[k + 3] = 40000 & 255;
  }
  uLong crc = crc32(0, b + 12, 17);
  b[29] = (unsigned char)(crc >> 24), b[30] = (unsigned char)(crc >> 16);
  b[31] = (unsigned char)(crc >> 8), b[32] = (unsigned char)crc;
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "an image of 40000 x 40000 pixels, over the limit of 50000000 pixels");
  b[29] ^= 1;
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "a damaged PNG (IHDR: CRC error)");
  free(b);
}

static void test_gif_webp_turned(void) {
  size_t n;
  unsigned char *b = slurp("anim.gif", &n);
  gz_img img;
  char why[200] = "";
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), 0);
  CHECK_STR(img.media_type, "image/png"); /* two colours: line art */
  CHECK_INT(img.width, 40);
  CHECK_INT(img.height, 30);
  CHECK_INT(img.alpha, 0);
  uint32_t w, h;
  unsigned char *px = png_pixels(&img, &w, &h);
  CHECK(px != NULL);
  if (px) {
    check_px(px, w, 0, 0, 0, 160, 0, 255); /* the first frame's green */
    check_px(px, w, 39, 29, 0, 160, 0, 255);
    free(px);
  }
  gz_img_free(NULL, &img);
  /* cut inside the first frame's pixels (bytes 64-124) */
  CHECK_INT(gz_img_process(NULL, b, 90, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "a truncated GIF");
  /* cut inside the second frame: the first is whole */
  CHECK_INT(gz_img_process(NULL, b, n - 20, NULL, &img, why, sizeof why), 0);
  gz_img_free(NULL, &img);
  free(b);

  b = slurp("photo.webp", &n);
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), 0);
  CHECK_STR(img.media_type, "image/jpeg"); /* a photograph */
  CHECK_INT(img.width, 120);
  CHECK_INT(img.height, 80);
  gz_img_free(NULL, &img);
  gz_img_opts o = {.max_side = 60};
  CHECK_INT(gz_img_process(NULL, b, n, &o, &img, why, sizeof why), 0);
  CHECK_INT(img.width, 60);
  CHECK_INT(img.height, 40);
  gz_img_free(NULL, &img);
  CHECK_INT(gz_img_process(NULL, b, n / 2, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "a truncated WebP");
  free(b);

  b = slurp("turned.jpg", &n);
  CHECK_INT(gz_img_jpeg_orientation(b, n), 6);
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), 0);
  CHECK_INT(img.passthrough, 0);
  CHECK_INT(img.width, 32);
  CHECK_INT(img.height, 64);
  CHECK(!contains(img.data, img.len, "Exif", 4));
  gz_img_free(NULL, &img);
  free(b);
}

/* The RGB pixels of a JPEG, through libjpeg. */
static unsigned char *jpeg_pixels(const gz_img *img, uint32_t *w, uint32_t *h) {
  struct jpeg_decompress_struct c;
  struct jpeg_error_mgr e;
  c.err = jpeg_std_error(&e);
  jpeg_create_decompress(&c);
  jpeg_mem_src(&c, img->data, (unsigned long)img->len);
  jpeg_read_header(&c, TRUE);
  c.out_color_space = JCS_RGB;
  jpeg_start_decompress(&c);
  *w = c.output_width;
  *h = c.output_height;
  unsigned char *px = malloc((size_t)*w * *h * 3);
  while (c.output_scanline < c.output_height) {
    JSAMPROW row = px + (size_t)c.output_scanline * *w * 3;
    jpeg_read_scanlines(&c, &row, 1);
  }
  jpeg_finish_decompress(&c);
  jpeg_destroy_decompress(&c);
  return px;
}

/* Which of red, green, blue the pixel at x, y is (0, 1, 2). */
static int hue(const unsigned char *px, uint32_t w, uint32_t x, uint32_t y) {
  const unsigned char *p = px + ((size_t)y * w + x) * 3;
  return p[0] > 150 && p[1] < 100 && p[2] < 100   ? 0
         : p[1] > 150 && p[0] < 100 && p[2] < 100 ? 1
         : p[2] > 150 && p[0] < 100 && p[1] < 100 ? 2
                                                  : -1;
}

/* A 32 x 16 JPEG, red on the left, blue on the right, green along the
 * bottom rows, with an EXIF orientation; shown turned as EXIF says. */
static void test_orientation(void) {
  unsigned char px[32 * 16 * 3];
  for (int y = 0; y < 16; y++)
    for (int x = 0; x < 32; x++) {
      unsigned char *p = px + (y * 32 + x) * 3;
      p[0] = y < 8 && x < 16 ? 255 : 0;
      p[1] = y >= 8 ? 255 : 0;
      p[2] = y < 8 && x >= 16 ? 255 : 0;
    }
  static const struct {
    int orient;
    int top_left, top_right, bottom_left;
  } cases[] = {
      {1, 0, 2, 1}, /* as stored: red, blue / green */
      {3, 1, 1, 2}, /* upside down */
      {6, 1, 0, 1}, /* 90 clockwise: the bottom (green) comes to the left */
      {8, 2, 1, 0}, /* 90 anticlockwise: the right (blue) comes to the top */
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) {
    gz_buf src;
    gz_buf_init(&src, gz_default_allocator());
    char why[200] = "";
    CHECK_INT(gz_img_encode_jpeg(px, 32, 16, 3, 95, &src, why, sizeof why), 0);
    /* APP1 Exif, big-endian TIFF, IFD0 with one entry: 0x0112 SHORT 1 */
    unsigned char app1[] = {
        0xFF, 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
        'M',  'M',  0, 42, 0,   0,   0,   8,   0, 1,
        0x01, 0x12, 0, 3,  0,   0,   0,   1,   0, (unsigned char)cases[i].orient,
        0,    0,    0, 0,  0,   0};
    size_t n = src.len + sizeof app1;
    unsigned char *j = malloc(n);
    memcpy(j, src.data, 2);
    memcpy(j + 2, app1, sizeof app1);
    memcpy(j + 2 + sizeof app1, src.data + 2, src.len - 2);
    CHECK_INT(gz_img_jpeg_orientation(j, n), cases[i].orient);
    gz_img img;
    CHECK_INT(gz_img_process(NULL, j, n, NULL, &img, why, sizeof why), 0);
    bool turned = cases[i].orient >= 5;
    CHECK_INT(img.width, turned ? 16 : 32);
    CHECK_INT(img.height, turned ? 32 : 16);
    CHECK_INT(img.passthrough, cases[i].orient == 1);
    uint32_t w, h;
    unsigned char *out = jpeg_pixels(&img, &w, &h);
    CHECK_INT(hue(out, w, 2, 2), cases[i].top_left);
    CHECK_INT(hue(out, w, w - 3, 2), cases[i].top_right);
    CHECK_INT(hue(out, w, 2, h - 3), cases[i].bottom_left);
    free(out);
    gz_img_free(NULL, &img);
    free(j);
    gz_buf_free(&src);
  }
}

static void test_refused(void) {
  size_t n;
  unsigned char *b = slurp("logo.svg", &n);
  gz_img img;
  char why[200] = "";
  CHECK_INT(gz_img_process(NULL, b, n, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "SVG is not embedded");
  free(b);
  CHECK_INT(gz_img_process(NULL, (const unsigned char *)"hello", 5, NULL, &img, why, sizeof why),
            -1);
  CHECK_STR(why, "not a JPEG, PNG, GIF or WebP image");
  CHECK_INT(gz_img_process(NULL, (const unsigned char *)"", 0, NULL, &img, why, sizeof why), -1);
  CHECK_STR(why, "an empty file");
  CHECK_INT(gz_img_process(NULL, (const unsigned char *)"\xFF\xD8\xFF\xE0", 4, NULL, &img, why,
                           sizeof why),
            -1);
  CHECK_STR(why, "a truncated JPEG");
  CHECK(img.data == NULL);
}

int main(void) {
  test_sniff();
  test_jpeg_passthrough();
  test_scale_generated();
  test_png_alpha();
  test_gif_webp_turned();
  test_orientation();
  test_refused();
  TEST_MAIN_END();
}
