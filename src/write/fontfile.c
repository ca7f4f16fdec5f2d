/*
 * fontfile.c - finding a font's file through fontconfig (fontfile.h).
 *
 * The pattern is completed as fontconfig's own matching wants it: the
 * configuration's substitutions, then the defaults (FcConfigSubstitute,
 * FcDefaultSubstitute; fontconfig's developer reference,
 * https://www.freedesktop.org/software/fontconfig/fontconfig-devel/).
 * A caller that takes any font gets FcFontMatch's one best font; a
 * caller with a test walks FcFontSort's list, best first, since the best
 * may fail the test.
 */
#include <string.h>

#include "write/fontfile.h"

char *gz_font_file(const char *pattern, gz_font_accept accept, const gz_allocator *al, int *index,
                   bool *oom) {
  FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
  if (!pat) return NULL;
  FcConfigSubstitute(NULL, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern *best = accept ? NULL : FcFontMatch(NULL, pat, &res);
  FcFontSet *sorted = accept ? FcFontSort(NULL, pat, FcFalse, NULL, &res) : NULL;
  FcPattern **fonts = best ? &best : sorted ? sorted->fonts : NULL;
  int n = best ? 1 : sorted ? sorted->nfont : 0;
  const char *file = NULL;
  int face = 0;
  for (int i = 0; i < n && !file; i++) {
    FcChar8 *f;
    if (FcPatternGetString(fonts[i], FC_FILE, 0, &f) != FcResultMatch) continue;
    face = 0;
    FcPatternGetInteger(fonts[i], FC_INDEX, 0, &face);
    if (!accept || accept(fonts[i], (const char *)f, face)) file = (const char *)f;
  }
  char *out = NULL;
  if (file) {
    size_t len = strlen(file);
    if ((out = gz_malloc(al, len + 1))) {
      memcpy(out, file, len + 1);
      if (index) *index = face;
    } else if (oom) {
      *oom = true;
    }
  }
  if (best) FcPatternDestroy(best);
  if (sorted) FcFontSetDestroy(sorted);
  FcPatternDestroy(pat);
  return out;
}
