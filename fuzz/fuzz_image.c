/*
 * fuzz_image.c - the image path below the writers: sniffing, the JPEG
 * segment walker, and processing (decode under the pixel limit, scale,
 * flatten, gray, re-encode) with and without no_alpha and grayscale. What
 * comes out must be a JPEG or PNG within the size asked for, and must
 * process again to the same size.
 */
#include <stdlib.h>

#include "fuzz_common.h"
#include "image/image.h"
#include "image/imgint.h"

static void check(const gz_img *img, uint32_t max_side) {
  gz_img_type t = gz_img_sniff(img->data, img->len);
  if (t != GZ_IMG_JPEG && t != GZ_IMG_PNG) __builtin_trap();
  if (img->width == 0 || img->height == 0) __builtin_trap();
  if (img->width > max_side || img->height > max_side) __builtin_trap();
  if (img->alpha && t != GZ_IMG_PNG) __builtin_trap();
  gz_img again;
  char why[256];
  gz_img_opts o = {.max_side = max_side, .max_pixels = 1u << 22};
  if (gz_img_process(NULL, img->data, img->len, &o, &again, why, sizeof why) != 0) __builtin_trap();
  if (again.width != img->width || again.height != img->height) __builtin_trap();
  gz_img_free(NULL, &again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_img_sniff(data, size);
  gz_img_jpeg_orientation(data, size);
  gz_buf b;
  gz_buf_init(&b, gz_default_allocator());
  gz_img_jpeg_strip(data, size, &b);
  gz_buf_free(&b);
  /* the pixel limit is lowered so that a run stays fast */
  static const gz_img_opts opts[] = {
      {.max_side = 0, .max_pixels = 1u << 22},
      {.max_side = 64, .max_pixels = 1u << 22, .grayscale = true, .no_alpha = true},
      {.max_side = 17, .max_pixels = 1u << 22, .no_alpha = true},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(opts); i++) {
    gz_img img;
    char why[256];
    if (gz_img_process(NULL, data, size, &opts[i], &img, why, sizeof why) == 0) {
      check(&img, opts[i].max_side ? opts[i].max_side : GZ_IMG_DEFAULT_MAX_SIDE);
      if (opts[i].no_alpha && img.alpha) __builtin_trap();
      gz_img_free(NULL, &img);
    } else if (!why[0]) {
      __builtin_trap(); /* a refusal always says why */
    }
  }
  return 0;
}
