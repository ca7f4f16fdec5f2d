/*
 * test_fontfile.c - finding a font's file through fontconfig
 * (src/write/fontfile.c): the best match, the first of fontconfig's
 * order a test takes, none taken, and a copy that cannot be made.
 *
 * Needs the DejaVu fonts (fonts-dejavu-core, a dependency of the
 * package) that the writers themselves ask for.
 */
#include <stdlib.h>

#include "testing.h"
#include "write/fontfile.h"

static const char *base(const char *path) {
  const char *s = path ? strrchr(path, '/') : NULL;
  return s ? s + 1 : path;
}

static int offered;
static char first[4096];

static bool take_none(FcPattern *font, const char *file, int index) {
  (void)font;
  (void)index;
  if (offered++ == 0) snprintf(first, sizeof first, "%s", file);
  return false;
}

static bool take_mono(FcPattern *font, const char *file, int index) {
  (void)font;
  return index == 0 && strstr(base(file), "Mono") != NULL;
}

/* An allocator that counts its allocations, or fails them all. */
typedef struct budget {
  int allocs;
  bool fail;
} budget;

static void *b_malloc(void *ctx, size_t n) {
  budget *b = ctx;
  if (b->fail) return NULL;
  b->allocs++;
  return malloc(n);
}
static void *b_realloc(void *ctx, void *p, size_t n) {
  budget *b = ctx;
  return b->fail ? NULL : realloc(p, n);
}
static void b_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

int main(void) {
  /* fontconfig's best match and its face index, copied by the C library */
  bool oom = false;
  int index = -7;
  char *best = gz_font_file("DejaVu Sans:bold", NULL, NULL, &index, &oom);
  CHECK_STR(base(best), "DejaVuSans-Bold.ttf");
  CHECK_INT(index, 0);
  CHECK(!oom);

  /* with a test: every font offered, the best first; none taken is NULL
   * and leaves the index alone */
  index = -7;
  char *none = gz_font_file("DejaVu Sans:bold", take_none, NULL, &index, &oom);
  CHECK(none == NULL);
  CHECK(!oom);
  CHECK_INT(index, -7);
  CHECK(offered > 1);
  CHECK_STR(first, best);

  /* the first font of fontconfig's order that the test takes, copied
   * with the allocator given */
  budget counted = {0, false};
  const gz_allocator counting = {b_malloc, b_realloc, b_free, &counted};
  char *mono = gz_font_file("DejaVu Sans", take_mono, &counting, &index, &oom);
  CHECK_STR(base(mono), "DejaVuSansMono.ttf");
  CHECK_INT(index, 0);
  CHECK(!oom);
  CHECK_INT(counted.allocs, 1);

  /* no index wanted */
  char *plain = gz_font_file("DejaVu Sans", NULL, NULL, NULL, NULL);
  CHECK_STR(base(plain), "DejaVuSans.ttf");

  /* the copy fails: NULL and *oom, in both ways of asking */
  budget none_left = {0, true};
  const gz_allocator failing = {b_malloc, b_realloc, b_free, &none_left};
  index = -7;
  CHECK(gz_font_file("DejaVu Sans", NULL, &failing, &index, &oom) == NULL);
  CHECK(oom);
  CHECK_INT(index, -7);
  oom = false;
  CHECK(gz_font_file("DejaVu Sans", take_mono, &failing, &index, &oom) == NULL);
  CHECK(oom);
  CHECK(gz_font_file("DejaVu Sans", take_mono, &failing, &index, NULL) == NULL);

  free(best);
  gz_free(&counting, mono);
  free(plain);
  TEST_MAIN_END();
}
