/*
 * cover.c - the EPUB's cover image: the title page drawn as a raster
 * (title, date range, author, counts, a bar per group), declared as the
 * book's cover so that libraries and e-readers show it as its thumbnail.
 *
 * Why a raster and not SVG: an SVG cover is valid EPUB 3, but e-readers
 * and library software build their thumbnails from a JPEG or PNG
 * cover-image (calibre, for one, draws its generated covers as JPEG), and
 * Kindle conversions need one. So the page is drawn here into a grey
 * canvas: the text with FreeType from the fonts fontconfig finds (DejaVu,
 * as the PDF writer uses), the bars as boxes, and written as an 8-bit
 * greyscale PNG (zlib), which keeps it sharp and small. Without a font
 * there is no cover: the title page alone serves.
 */
#include <ft2build.h>
#include <string.h>
#include FT_FREETYPE_H

#include "image/image.h"
#include "write/epub/epub.h"
#include "write/fontfile.h"

#define COVER_W 1200
#define COVER_H 1600

typedef struct canvas {
  unsigned char *px; /* COVER_W x COVER_H, 255 white */
  FT_Library ft;
  FT_Face bold, regular;
} canvas;

static FT_Face open_face(canvas *c, const gz_allocator *al, const char *pattern, bool *oom) {
  char *path = gz_font_file(pattern, NULL, al, NULL, oom);
  FT_Face f = NULL;
  if (path && FT_New_Face(c->ft, path, 0, &f)) f = NULL;
  gz_free(al, path);
  return f;
}

static void box(canvas *c, int x, int y, int w, int h, unsigned char grey) {
  for (int j = y < 0 ? 0 : y; j < y + h && j < COVER_H; j++)
    for (int i = x < 0 ? 0 : x; i < x + w && i < COVER_W; i++)
      c->px[(size_t)j * COVER_W + i] = grey;
}

/* The width in pixels of s[0..n) at the face's size. */
static int measure(FT_Face f, const char *s, size_t n) {
  int w = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = gz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    i += k ? k : 1;
    if (!FT_Load_Char(f, cp, FT_LOAD_DEFAULT)) w += (int)(f->glyph->advance.x >> 6);
  }
  return w;
}

/* Draws s[0..n) with its baseline at y, from x. */
static void draw(canvas *c, FT_Face f, const char *s, size_t n, int x, int y) {
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = gz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    i += k ? k : 1;
    if (FT_Load_Char(f, cp, FT_LOAD_RENDER)) continue;
    FT_Bitmap *b = &f->glyph->bitmap;
    int gx = x + f->glyph->bitmap_left, gy = y - f->glyph->bitmap_top;
    for (unsigned r = 0; r < b->rows; r++)
      for (unsigned col = 0; col < b->width; col++) {
        int px = gx + (int)col, py = gy + (int)r;
        if (px < 0 || py < 0 || px >= COVER_W || py >= COVER_H) continue;
        unsigned char cov = b->buffer[r * (unsigned)b->pitch + col];
        unsigned char *d = &c->px[(size_t)py * COVER_W + px];
        unsigned char ink = (unsigned char)(255 - cov);
        if (ink < *d) *d = ink;
      }
    x += (int)(f->glyph->advance.x >> 6);
  }
}

/* Draws text centred, broken at spaces into lines of at most `width`
 * pixels (a word longer than that stands alone, cut by the margin), at
 * most `max_lines`; returns the baseline below the last line. */
static int centred(canvas *c, FT_Face f, int size, const char *s, int y, int width, int max_lines) {
  FT_Set_Pixel_Sizes(f, 0, (FT_UInt)size);
  int lead = size * 5 / 4, lines = 0;
  size_t n = strlen(s), start = 0;
  while (start < n && lines < max_lines) {
    size_t end = start, last_fit = start;
    for (;;) {
      size_t next = end;
      while (next < n && s[next] == ' ') next++;
      while (next < n && s[next] != ' ') next++;
      if (measure(f, s + start, next - start) > width && last_fit > start) break;
      last_fit = end = next;
      if (next >= n) break;
    }
    if (lines == max_lines - 1) end = n; /* the rest, cut by the margin */
    size_t len = end - start;
    draw(c, f, s + start, len, (COVER_W - measure(f, s + start, len)) / 2, y);
    y += lead;
    lines++;
    start = end;
    while (start < n && s[start] == ' ') start++;
  }
  return y;
}

/* The bars of the title page's chart, black on white. */
static void bars(canvas *c, const epub_ctx *e, int top, int bottom) {
  size_t n = e->job->n_groups, max = 1;
  for (size_t g = 0; g < n; g++)
    if (e->job->groups[g].n_items > max) max = e->job->groups[g].n_items;
  if (!n) return;
  int left = 150, right = COVER_W - 150;
  double slot = (double)(right - left) / (double)n;
  int bar = slot * 0.7 < 1 ? 1 : (int)(slot * 0.7);
  for (size_t g = 0; g < n; g++) {
    int h = (int)((double)(bottom - top) * (double)e->job->groups[g].n_items / (double)max);
    if (h < 2) h = 2;
    box(c, left + (int)(slot * (double)g + (slot - bar) / 2), bottom - h, bar, h, 34);
  }
  box(c, left, bottom, right - left, 3, 0);
}

int gz_epub_make_cover(const epub_ctx *e, const gz_job_facts *f, gz_buf *png) {
  const gz_allocator *al = e->d->al;
  canvas c;
  memset(&c, 0, sizeof c);
  if (FT_Init_FreeType(&c.ft)) return 0;
  bool oom = false;
  c.bold = open_face(&c, al, "DejaVu Sans:bold", &oom);
  c.regular = open_face(&c, al, "DejaVu Sans", &oom);
  /* no font: no cover; no memory: the book fails rather than lose it */
  int rc = oom ? -1 : 0;
  if (c.bold && c.regular) {
    c.px = gz_malloc(al, (size_t)COVER_W * COVER_H);
    if (!c.px) {
      rc = -1;
    } else {
      memset(c.px, 255, (size_t)COVER_W * COVER_H);
      /* a frame and a rule under the title, as a printed title page */
      box(&c, 60, 60, COVER_W - 120, 6, 0);
      box(&c, 60, COVER_H - 66, COVER_W - 120, 6, 0);
      int y = centred(&c, c.bold, 104, gz_digest_title(e->w), 330, COVER_W - 200, 4);
      box(&c, COVER_W / 2 - 120, y - 40, 240, 4, 0);
      y += 60;
      if (f->first_day <= f->last_day) {
        char range[128];
        gz_format_range(range, sizeof range, f->first_day, f->last_day);
        y = centred(&c, c.regular, 60, range, y, COVER_W - 200, 2);
      }
      if (e->w->author && *e->w->author)
        y = centred(&c, c.regular, 48, e->w->author, y, COVER_W - 200, 2);
      gz_buf counts;
      gz_buf_init(&counts, al);
      gz_put_counts(&counts, f->articles, e->job->n_groups);
      if (counts.failed)
        rc = -1;
      else
        centred(&c, c.regular, 48, gz_buf_cstr(&counts), y + 20, COVER_W - 200, 2);
      gz_buf_free(&counts);
      bars(&c, e, 1050, 1400);
      if (rc == 0) rc = gz_img_png_of_pixels(c.px, COVER_W, COVER_H, 1, png) ? -1 : 1;
    }
  }
  gz_free(al, c.px);
  if (c.bold) FT_Done_Face(c.bold);
  if (c.regular) FT_Done_Face(c.regular);
  FT_Done_FreeType(c.ft);
  return rc;
}
