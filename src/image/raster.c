/*
 * raster.c - the pixels between a decoder and an encoder: each decoded row
 * is flattened on white when transparency must go, its colours counted
 * (the photograph-or-line-art choice), and box-averaged into the output
 * size as it arrives, so a large picture never lies in memory whole.
 */
#include <stdlib.h>
#include <string.h>

#include "image/imgint.h"

void gz_img_fit(uint32_t w, uint32_t h, uint32_t max_side, uint32_t *ow, uint32_t *oh) {
  *ow = w;
  *oh = h;
  if (w <= max_side && h <= max_side) return;
  if (w >= h) {
    *ow = max_side;
    uint64_t v = ((uint64_t)h * max_side + w / 2) / w;
    *oh = v ? (uint32_t)v : 1;
  } else {
    *oh = max_side;
    uint64_t v = ((uint64_t)w * max_side + h / 2) / h;
    *ow = v ? (uint32_t)v : 1;
  }
}

int gz_img_sink_init(gz_img_sink *s, const gz_allocator *al, uint32_t sw, uint32_t sh, uint32_t ow,
                     uint32_t oh, int in_ch, bool has_alpha, const gz_img_opts *o) {
  memset(s, 0, sizeof *s);
  s->al = al;
  s->sw = sw;
  s->sh = sh;
  s->ow = ow;
  s->oh = oh;
  s->in_ch = in_ch;
  s->keep_alpha = has_alpha && !o->no_alpha;
  s->gray = o->grayscale;
  s->out_ch = (s->gray ? 1 : 3) + (s->keep_alpha ? 1 : 0);
  s->min_alpha = 255;
  s->count = true;
  s->acc = gz_malloc(al, (size_t)ow * 4 * sizeof *s->acc);
  s->colcnt = gz_malloc(al, (size_t)ow * sizeof *s->colcnt);
  s->out = gz_malloc(al, (size_t)ow * oh * (size_t)s->out_ch);
  if (!s->acc || !s->colcnt || !s->out) {
    gz_img_sink_free(s);
    return -1;
  }
  memset(s->acc, 0, (size_t)ow * 4 * sizeof *s->acc);
  memset(s->colcnt, 0, (size_t)ow * sizeof *s->colcnt);
  for (uint32_t x = 0; x < sw; x++) s->colcnt[(uint64_t)x * ow / sw]++;
  return 0;
}

void gz_img_sink_free(gz_img_sink *s) {
  gz_free(s->al, s->acc);
  gz_free(s->al, s->colcnt);
  gz_free(s->al, s->out);
  s->acc = NULL;
  s->colcnt = NULL;
  s->out = NULL;
}

static void count_colour(gz_img_sink *s, uint32_t c) {
  if (s->ncolours > GZ_IMG_FEW_COLOURS || (s->have_last && c == s->last_colour)) return;
  s->have_last = true;
  s->last_colour = c;
  size_t h = (size_t)((c * 2654435761u) >> 22) & 1023;
  while (s->colour_used[h]) {
    if (s->colours[h] == c) return;
    h = (h + 1) & 1023;
  }
  s->colour_used[h] = true;
  s->colours[h] = c;
  s->ncolours++;
}

static void emit_row(gz_img_sink *s) {
  if (s->out_y >= s->oh) return;
  unsigned char *o = s->out + (size_t)s->out_y * s->ow * (size_t)s->out_ch;
  for (uint32_t x = 0; x < s->ow; x++) {
    uint64_t *a = s->acc + (size_t)x * 4;
    uint64_t n = (uint64_t)s->colcnt[x] * s->acc_rows;
    unsigned v[3] = {255, 255, 255};
    unsigned alpha = 0;
    /* one division a pixel, in double (exact for these sums): integer
     * divisions here were half the time of scaling a photograph */
    if (a[3]) {
      double inv = 1.0 / (double)a[3];
      for (int k = 0; k < 3; k++) v[k] = (unsigned)((double)a[k] * inv + 0.5);
    }
    if (n) alpha = (unsigned)((double)a[3] / (double)n + 0.5);
    if (s->gray) {
      /* ITU-R BT.601 luma, as JPEG's own YCbCr uses (T.871 7) */
      *o++ = (unsigned char)((299 * v[0] + 587 * v[1] + 114 * v[2] + 500) / 1000);
    } else {
      *o++ = (unsigned char)v[0];
      *o++ = (unsigned char)v[1];
      *o++ = (unsigned char)v[2];
    }
    if (s->keep_alpha) *o++ = (unsigned char)alpha;
    a[0] = a[1] = a[2] = a[3] = 0;
  }
  s->out_y++;
  s->acc_rows = 0;
}

/* Opaque rows (gray or RGB): no alpha to weigh by, so the sums are plain
 * and alpha counts pixels (times 255, as the alpha path would). */
static void row_opaque(gz_img_sink *s, const unsigned char *row) {
  uint32_t xo = 0;
  uint64_t next = ((uint64_t)s->sw + s->ow - 1) / s->ow;
  uint64_t *acc = s->acc;
  const int ch = s->in_ch;
  for (uint32_t x = 0; x < s->sw; x++, row += ch) {
    if (x >= next && xo + 1 < s->ow) {
      while (x >= next && xo + 1 < s->ow) {
        xo++;
        next = ((uint64_t)(xo + 1) * s->sw + s->ow - 1) / s->ow;
      }
      acc = s->acc + (size_t)xo * 4;
    }
    unsigned r = row[0], g = ch == 1 ? r : row[1], b = ch == 1 ? r : row[2];
    if (s->count) count_colour(s, (uint32_t)r << 24 | g << 16 | b << 8 | 255u);
    acc[0] += r * 255u;
    acc[1] += g * 255u;
    acc[2] += b * 255u;
    acc[3] += 255u;
  }
}

static void row_alpha(gz_img_sink *s, const unsigned char *row) {
  uint32_t xo = 0;
  /* first input column of the next output column: ceil((xo+1)*sw/ow) */
  uint64_t next = ((uint64_t)s->sw + s->ow - 1) / s->ow;
  for (uint32_t x = 0; x < s->sw; x++) {
    while (x >= next && xo + 1 < s->ow) {
      xo++;
      next = ((uint64_t)(xo + 1) * s->sw + s->ow - 1) / s->ow;
    }
    const unsigned char *p = row + (size_t)x * 4;
    unsigned r = p[0], g = p[1], b = p[2], a = p[3];
    if (!s->keep_alpha && a < 255) {
      r = (r * a + 255 * (255 - a) + 127) / 255;
      g = (g * a + 255 * (255 - a) + 127) / 255;
      b = (b * a + 255 * (255 - a) + 127) / 255;
      a = 255;
    }
    if (a < s->min_alpha) s->min_alpha = (uint8_t)a;
    if (s->count) count_colour(s, (uint32_t)r << 24 | g << 16 | b << 8 | a);
    uint64_t *acc = s->acc + (size_t)xo * 4;
    acc[0] += (uint64_t)r * a;
    acc[1] += (uint64_t)g * a;
    acc[2] += (uint64_t)b * a;
    acc[3] += a;
  }
}

void gz_img_sink_row(gz_img_sink *s, const unsigned char *row) {
  if (s->in_y >= s->sh) return;
  if (s->in_ch == 4)
    row_alpha(s, row);
  else
    row_opaque(s, row);
  s->in_y++;
  s->acc_rows++;
  /* the output row of the next input row, floor(in_y*oh/sh) */
  uint64_t yo_next = (uint64_t)s->in_y * s->oh / s->sh;
  if (s->in_y == s->sh || yo_next > s->out_y) emit_row(s);
}
