/*
 * fonts.c - fonts for the PDF: found through fontconfig, embedded by
 * libharu, chosen per character.
 *
 * Each role (serif, bold, italic, sans, mono) has a primary TrueType face;
 * --font files go ahead of them; a character none of these has is looked
 * up in every TrueType face fontconfig knows, in fontconfig's order of
 * preference. Faces are loaded into the document only when a character
 * needs them, so only used fonts are embedded. Widths are cached per face
 * in pages of 256 code points.
 */
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "write/pdf/pdf.h"

#define W_UNKNOWN 0xFFFFu
#define W_MISSING 0xFFFEu

/* ---- the process-wide list of TrueType faces ---- */

typedef struct face {
  char *path;
  int index;
  FcCharSet *charset;
} face;

static face *g_faces;
static size_t g_n_faces;
static pthread_once_t g_faces_once = PTHREAD_ONCE_INIT;

static uint32_t be32(const unsigned char *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Can libharu embed face `index` of this file? It reads TrueType outlines
 * only: a face without a 'glyf' table (CFF-flavoured OpenType, colour
 * bitmap fonts such as Noto Color Emoji) loads, or half loads, and then
 * fails when the document is saved. The sfnt table directory tells. */
static bool embeddable(const char *path, int index) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  unsigned char h[12], rec[16];
  bool ok = false, glyf = false, unusable = false;
  if (fread(h, 1, sizeof h, f) != sizeof h) goto out;
  if (memcmp(h, "ttcf", 4) == 0) {
    if (index < 0 || (uint32_t)index >= be32(h + 8)) goto out;
    if (fseek(f, 12 + 4L * index, SEEK_SET) != 0 || fread(rec, 1, 4, f) != 4) goto out;
    if (fseek(f, (long)be32(rec), SEEK_SET) != 0 || fread(h, 1, sizeof h, f) != sizeof h) goto out;
  }
  /* 'OTTO' (CFF outlines) and anything else is refused */
  if (be32(h) != 0x00010000u && memcmp(h, "true", 4) != 0) goto out;
  unsigned n_tables = (unsigned)h[4] << 8 | h[5];
  for (unsigned i = 0; i < n_tables; i++) {
    if (fread(rec, 1, sizeof rec, f) != sizeof rec) goto out;
    if (memcmp(rec, "glyf", 4) == 0) glyf = true;
    if (memcmp(rec, "CBDT", 4) == 0 || memcmp(rec, "sbix", 4) == 0 || memcmp(rec, "CFF ", 4) == 0 ||
        memcmp(rec, "CFF2", 4) == 0)
      unusable = true;
  }
  ok = glyf && !unusable;
out:
  fclose(f);
  return ok;
}

static bool is_truetype(FcPattern *p) {
  FcChar8 *format = NULL, *file = NULL;
  if (FcPatternGetString(p, FC_FONTFORMAT, 0, &format) != FcResultMatch) return false;
  if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch) return false;
  if (strcmp((const char *)format, "TrueType") != 0) return false;
#ifdef FC_COLOR
  FcBool color = FcFalse;
  if (FcPatternGetBool(p, FC_COLOR, 0, &color) == FcResultMatch && color) return false;
#endif
  /* libharu reads .ttf and .ttc, not CFF-flavoured OpenType */
  return gz_has_ext((const char *)file, ".ttf") || gz_has_ext((const char *)file, ".ttc");
}

static void list_faces(void) {
  FcInit();
  FcPattern *pat = FcNameParse((const FcChar8 *)"sans-serif");
  if (!pat) return;
  FcConfigSubstitute(NULL, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcFontSet *fs = FcFontSort(NULL, pat, FcFalse, NULL, &res);
  FcPatternDestroy(pat);
  if (!fs) return;
  /* Process-wide and kept for the life of the process (fontconfig's own
   * lists are too), so no digest's allocator owns it: C library. */
  g_faces = calloc((size_t)fs->nfont, sizeof *g_faces);
  for (int i = 0; g_faces && i < fs->nfont; i++) {
    FcPattern *p = fs->fonts[i];
    FcChar8 *file;
    FcCharSet *cs;
    int index = 0;
    if (!is_truetype(p) || FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
        FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch)
      continue;
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    face *f = &g_faces[g_n_faces];
    f->path = strdup((const char *)file);
    f->index = index;
    f->charset = FcCharSetCopy(cs);
    if (f->path && f->charset) g_n_faces++;
  }
  FcFontSetDestroy(fs);
}

/* The file of the best TrueType match of a fontconfig pattern; for the
 * process-wide role table, so from the C library like g_faces. */
static char *match_file(const char *pattern, int *index) {
  FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
  if (!pat) return NULL;
  FcConfigSubstitute(NULL, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  char *path = NULL;
  FcFontSet *fs = FcFontSort(NULL, pat, FcFalse, NULL, &res);
  for (int i = 0; fs && i < fs->nfont && !path; i++) {
    FcChar8 *file;
    if (!is_truetype(fs->fonts[i]) ||
        FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
      continue;
    *index = 0;
    FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, index);
    if (!embeddable((const char *)file, *index)) continue;
    path = strdup((const char *)file);
  }
  if (fs) FcFontSetDestroy(fs);
  FcPatternDestroy(pat);
  return path;
}

/* ---- faces of one document ---- */

static int add_font(pdf_fonts *f, const char *path, int index) {
  for (size_t i = 0; i < f->n_fonts; i++)
    if (strcmp(f->fonts[i].path, path) == 0 && f->fonts[i].index == index) return (int)i;
  if (gz_grow(f->al, (void **)&f->fonts, &f->cap_fonts, f->n_fonts + 1, sizeof *f->fonts))
    return -1;
  pdf_font *pf = &f->fonts[f->n_fonts];
  memset(pf, 0, sizeof *pf);
  pf->path = gz_malloc(f->al, strlen(path) + 1);
  if (pf->path) memcpy(pf->path, path, strlen(path) + 1);
  pf->index = index;
  if (!pf->path) return -1;
  return (int)f->n_fonts++;
}

static bool load(pdf_fonts *f, int i) {
  pdf_font *pf = &f->fonts[i];
  if (pf->loaded) return true;
  if (pf->failed) return false;
  if (!embeddable(pf->path, pf->index)) {
    pf->failed = true;
    return false;
  }
  /* errors raised while loading are answered here, not by the writer */
  f->loading = true;
  const char *name =
      gz_has_ext(pf->path, ".ttc")
          ? HPDF_LoadTTFontFromFile2(f->pdf, pf->path, (HPDF_UINT)pf->index, HPDF_TRUE)
          : HPDF_LoadTTFontFromFile(f->pdf, pf->path, HPDF_TRUE);
  if (!name) {
    /* libharu's error state must not poison the document: a face that
     * fails to load is simply not used. */
    HPDF_ResetError(f->pdf);
    f->loading = false;
    pf->failed = true;
    return false;
  }
  pf->def = gzh_font_def(f->pdf, name);
  pf->font = HPDF_GetFont(f->pdf, name, "UTF-8");
  f->loading = false;
  if (!pf->def || !pf->font) {
    HPDF_ResetError(f->pdf);
    pf->failed = true;
    return false;
  }
  gzh_font_fix_tounicode(pf->font);
  pf->loaded = true;
  return true;
}

int pdf_font_width(pdf_fonts *f, int i, uint32_t cp) {
  if (i < 0 || cp > 0xFFFF) return 0;
  pdf_font *pf = &f->fonts[i];
  uint16_t *page = pf->widths[cp >> 8];
  if (!page) {
    page = gz_malloc(f->al, 256 * sizeof *page);
    if (!page) {
      f->oom = true;
      return 500;
    }
    for (int k = 0; k < 256; k++) page[k] = W_UNKNOWN;
    pf->widths[cp >> 8] = page;
  }
  uint16_t w = page[cp & 0xFF];
  if (w == W_UNKNOWN) {
    if (!load(f, i) || !gzh_ttf_has(pf->def, (uint16_t)cp)) {
      w = W_MISSING;
    } else {
      int cw = gzh_ttf_width(pf->def, (uint16_t)cp);
      w = (uint16_t)(cw < 0 ? 0 : cw);
    }
    page[cp & 0xFF] = w;
  }
  return w == W_MISSING ? -1 : w;
}

static bool has(pdf_fonts *f, int i, uint32_t cp) {
  return i >= 0 && pdf_font_width(f, i, cp) >= 0;
}

int pdf_font_for(pdf_fonts *f, font_role role, uint32_t cp) {
  if (cp > 0xFFFF) return -1; /* libharu cannot show characters above U+FFFF */
  for (int i = 0; i < f->n_user; i++)
    if (has(f, i, cp)) return i;
  int primary = f->role[role];
  if (has(f, primary, cp)) return primary;
  /* the same family's regular face, then what we found for others */
  int plain = f->role[role == ROLE_MONO ? ROLE_MONO : role >= ROLE_SANS ? ROLE_SANS : ROLE_SERIF];
  if (has(f, plain, cp)) return plain;
  uint32_t cached = gz_count64_get(&f->fallback, (uint64_t)cp + 1);
  if (cached) return (int)cached - 2;
  int found = -1;
  for (size_t i = 0; i < f->n_fonts && found < 0; i++)
    if (f->fonts[i].loaded && has(f, (int)i, cp)) found = (int)i;
  pthread_once(&g_faces_once, list_faces);
  for (size_t k = 0; k < g_n_faces && found < 0; k++) {
    if (!FcCharSetHasChar(g_faces[k].charset, cp)) continue;
    int i = add_font(f, g_faces[k].path, g_faces[k].index);
    if (i < 0) f->oom = true;
    if (i >= 0 && has(f, i, cp)) found = i;
  }
  gz_count64_add(&f->fallback, (uint64_t)cp + 1, (uint32_t)(found + 2));
  return found;
}

/* PDF/A-1 wants a /CIDSet in the descriptor of every subset font (see
 * gzh_font_add_cidset). */
int pdf_fonts_add_cidsets(pdf_fonts *f) {
  for (size_t i = 0; i < f->n_fonts; i++)
    if (f->fonts[i].loaded && gzh_font_add_cidset(f->fonts[i].font, f->al, &f->oom)) return -1;
  return 0;
}

static const char *const role_patterns[ROLE_COUNT][2] = {
    {"DejaVu Serif:style=Book", "serif"},
    {"DejaVu Serif:style=Bold", "serif:bold"},
    {"DejaVu Serif:style=Italic", "serif:italic"},
    {"DejaVu Serif:style=Bold Italic", "serif:bold:italic"},
    {"DejaVu Sans:style=Book", "sans-serif"},
    {"DejaVu Sans:style=Bold", "sans-serif:bold"},
    {"DejaVu Sans Mono:style=Book", "monospace"},
};

/* The primary face of each role, found once per process: the answer
 * does not change, and fontconfig's matching is slow next to a small
 * digest of a --split run. */
static char *g_role_path[ROLE_COUNT];
static int g_role_index[ROLE_COUNT];
static pthread_once_t g_roles_once = PTHREAD_ONCE_INIT;

static void find_roles(void) {
  FcInit();
  for (int r = 0; r < ROLE_COUNT; r++) {
    g_role_path[r] = match_file(role_patterns[r][0], &g_role_index[r]);
    if (!g_role_path[r]) g_role_path[r] = match_file(role_patterns[r][1], &g_role_index[r]);
  }
}

int pdf_fonts_init(pdf_fonts *f, HPDF_Doc pdf, const gz_allocator *al, const gz_write_options *w,
                   gz_error *err) {
  memset(f, 0, sizeof *f);
  f->pdf = pdf;
  f->al = al;
  gz_count64_init(&f->fallback, al);
  for (size_t i = 0; i < w->n_fonts; i++) {
    int k = add_font(f, w->fonts[i], 0);
    if (k < 0) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    if (!load(f, k))
      return gz_error_set(err, GZ_ERR_USAGE, w->fonts[i], 0, 0,
                          "--font: cannot use this file (a TrueType .ttf or .ttc is needed)");
  }
  f->n_user = (int)f->n_fonts;
  pthread_once(&g_roles_once, find_roles);
  for (int r = 0; r < ROLE_COUNT; r++) {
    if (!g_role_path[r]) {
      if (r == ROLE_SERIF)
        return gz_error_set(err, GZ_ERR_OUTPUT, "", 0, 0,
                            "no TrueType font found (install fonts-dejavu-core)");
      f->role[r] = f->role[ROLE_SERIF];
      continue;
    }
    f->role[r] = add_font(f, g_role_path[r], g_role_index[r]);
    if (f->role[r] < 0) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  /* Without an italic face the upright one is slanted. */
  f->slant[ROLE_SERIF_ITALIC] = f->role[ROLE_SERIF_ITALIC] == f->role[ROLE_SERIF] ||
                                f->role[ROLE_SERIF_ITALIC] == f->role[ROLE_SERIF_BOLD];
  f->slant[ROLE_SERIF_BOLD_ITALIC] = f->role[ROLE_SERIF_BOLD_ITALIC] == f->role[ROLE_SERIF_BOLD] ||
                                     f->role[ROLE_SERIF_BOLD_ITALIC] == f->role[ROLE_SERIF];
  if (f->slant[ROLE_SERIF_BOLD_ITALIC]) f->role[ROLE_SERIF_BOLD_ITALIC] = f->role[ROLE_SERIF_BOLD];
  return 0;
}

void pdf_fonts_free(pdf_fonts *f) {
  for (size_t i = 0; i < f->n_fonts; i++) {
    for (int k = 0; k < 256; k++) gz_free(f->al, f->fonts[i].widths[k]);
    gz_free(f->al, f->fonts[i].path);
  }
  gz_free(f->al, f->fonts);
  gz_count64_free(&f->fallback);
  memset(f, 0, sizeof *f);
}
