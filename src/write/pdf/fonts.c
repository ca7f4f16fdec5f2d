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
 *
 * Runs of a script that is shaped take one font for the whole run, the
 * first that has all of it, looked for also among the faces fontconfig
 * sorts for the script's language. Glyphs that HarfBuzz chooses and the
 * font's cmap does not give for one character (joined Arabic forms,
 * Indic conjuncts, characters above U+FFFF) are drawn through CIDs of
 * their own: private-use code points the face leaves unmapped, then any
 * BMP code point it leaves unmapped, each for one glyph, the text it
 * stands for and the width it takes; hpdf_compat.c points them at their glyphs when the
 * document is finished.
 *
 * Kerning of the text that is not shaped comes from the face's 'kern'
 * table through FreeType, pair by pair as lines.c asks, and is kept in a
 * small cache per face.
 */
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ot.h>
#include <hb.h>
#include <math.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "write/fontfile.h"
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

static bool usable(FcPattern *font, const char *file, int index) {
  return is_truetype(font) && embeddable(file, index);
}

/* The file of the best TrueType match of a fontconfig pattern; for the
 * process-wide role table, so from the C library like g_faces. */
static char *match_file(const char *pattern, int *index) {
  return gz_font_file(pattern, usable, NULL, index, NULL);
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
  gz_count64_init(&pf->gcid_of, f->al);
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

hb_font_t *pdf_font_hb(pdf_fonts *f, int i) {
  pdf_font *pf = &f->fonts[i];
  if (pf->hb) return pf->hb;
  if (!load(f, i)) return NULL;
  hb_blob_t *blob = hb_blob_create_from_file(pf->path);
  hb_face_t *hf = hb_face_create(blob, (unsigned)pf->index);
  hb_blob_destroy(blob);
  pf->upem = hb_face_get_upem(hf);
  hb_font_t *font = hb_font_create(hf);
  hb_face_destroy(hf);
  if (!font || font == hb_font_get_empty() || !pf->upem) {
    if (font) hb_font_destroy(font);
    pf->upem = 0;
    return NULL;
  }
  /* positions in font units */
  hb_font_set_scale(font, (int)pf->upem, (int)pf->upem);
  pf->hb = font;
  return font;
}

/* Above U+FFFF libharu's cmap reader sees nothing: HarfBuzz's answers. */
static int astral_width(pdf_fonts *f, int i, uint32_t cp) {
  hb_font_t *hb = pdf_font_hb(f, i);
  hb_codepoint_t gid;
  if (!hb || !hb_font_get_nominal_glyph(hb, cp, &gid) || gid == 0) return -1;
  return pdf_font_glyph_width(f, i, (uint16_t)gid);
}

int pdf_font_glyph_width(pdf_fonts *f, int i, uint16_t gid) {
  pdf_font *pf = &f->fonts[i];
  if (!load(f, i)) return 0;
  return gzh_ttf_gid_width(pf->def, gid);
}

int pdf_font_width(pdf_fonts *f, int i, uint32_t cp) {
  if (i < 0) return 0;
  if (cp > 0xFFFF) return astral_width(f, i, cp);
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

/* ---- kerning ----
 *
 * FT_Get_Kerning with FT_KERNING_UNSCALED gives the 'kern' table's value
 * of a pair of glyphs in font units, and FT_HAS_KERNING says whether the
 * face has such a table (FreeType API reference, "FT_Get_Kerning",
 * freetype.org/freetype2/docs/reference/ft2-base_interface.html; GPOS
 * kerning is not read there, and HarfBuzz gives it only by shaping).
 * lines.c asks for every pair of neighbours of one font and run, some
 * ten million pairs for a digest of 10,000 articles, drawn from a few
 * hundred distinct ones: a direct-mapped cache per face answers nearly
 * all of them without FreeType's two cmap look-ups and binary search. */

#define KERN_SLOTS_LOG2 12

struct pdf_kern_slot {
  uint32_t pair; /* left << 16 | right; 0: empty (U+0000 is never drawn) */
  int32_t kern;  /* thousandths of an em */
};

/* Opens FreeType's view of face i; false when it has no kerning to give. */
static bool kern_open(pdf_fonts *f, pdf_font *pf) {
  if (!f->ft && FT_Init_FreeType(&f->ft)) {
    f->ft = NULL;
    return false;
  }
  if (FT_New_Face(f->ft, pf->path, pf->index, &pf->ft)) {
    pf->ft = NULL;
    return false;
  }
  if (!FT_HAS_KERNING(pf->ft) || pf->ft->units_per_EM == 0) {
    FT_Done_Face(pf->ft);
    pf->ft = NULL;
    return false;
  }
  size_t n = (size_t)1 << KERN_SLOTS_LOG2;
  pf->kern_cache = gz_malloc(f->al, n * sizeof *pf->kern_cache);
  if (!pf->kern_cache) {
    f->oom = true;
    return false;
  }
  memset(pf->kern_cache, 0, n * sizeof *pf->kern_cache);
  return true;
}

int pdf_font_kern(pdf_fonts *f, int i, uint32_t left, uint32_t right) {
  if (i < 0 || left > 0xFFFF || right > 0xFFFF || (left | right) == 0) return 0;
  pdf_font *pf = &f->fonts[i];
  if (pf->kerns == 0) pf->kerns = kern_open(f, pf) ? 1 : -1;
  if (pf->kerns < 0) return 0;
  uint32_t pair = left << 16 | right;
  struct pdf_kern_slot *s = &pf->kern_cache[(pair * 0x9E3779B1u) >> (32 - KERN_SLOTS_LOG2)];
  if (s->pair == pair) return s->kern;
  FT_UInt gl = FT_Get_Char_Index(pf->ft, left), gr = FT_Get_Char_Index(pf->ft, right);
  FT_Vector v = {0, 0};
  int k = 0;
  if (gl && gr && FT_Get_Kerning(pf->ft, gl, gr, FT_KERNING_UNSCALED, &v) == 0 && v.x)
    /* in thousandths of an em like the widths; rounded, as the PDF's
     * adjustments are whole numbers */
    k = (int)lround((double)v.x * 1000.0 / pf->ft->units_per_EM);
  s->pair = pair;
  s->kern = k;
  return k;
}

static bool has(pdf_fonts *f, int i, uint32_t cp) {
  return i >= 0 && pdf_font_width(f, i, cp) >= 0;
}

int pdf_font_for(pdf_fonts *f, font_role role, uint32_t cp) {
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

/* ---- runs of shaped scripts ---- */

/* The faces of g_faces in the order fontconfig prefers them for a
 * language, per language and family, found once per process. */
typedef struct lang_faces {
  char key[24];
  uint32_t *faces; /* indices in g_faces */
  size_t n;
} lang_faces;

static lang_faces g_langs[48];
static size_t g_n_langs;
static pthread_mutex_t g_langs_lock = PTHREAD_MUTEX_INITIALIZER;

static void sort_for(lang_faces *lf, const char *lang, bool sans) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "%s:lang=%s", sans ? "sans-serif" : "serif", lang);
  FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
  if (!pat) return;
  FcConfigSubstitute(NULL, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcFontSet *fs = FcFontSort(NULL, pat, FcFalse, NULL, &res);
  FcPatternDestroy(pat);
  if (!fs) return;
  lf->faces = calloc((size_t)fs->nfont, sizeof *lf->faces); /* process-wide, as g_faces */
  for (int i = 0; lf->faces && i < fs->nfont; i++) {
    FcChar8 *file;
    int index = 0;
    if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
    FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
    for (size_t k = 0; k < g_n_faces; k++)
      if (g_faces[k].index == index && strcmp(g_faces[k].path, (const char *)file) == 0) {
        lf->faces[lf->n++] = (uint32_t)k;
        break;
      }
  }
  FcFontSetDestroy(fs);
}

static const lang_faces *faces_for(const char *lang, bool sans) {
  char key[24];
  snprintf(key, sizeof key, "%s%s", sans ? "s:" : "r:", lang);
  pthread_mutex_lock(&g_langs_lock);
  const lang_faces *found = NULL;
  for (size_t i = 0; i < g_n_langs && !found; i++)
    if (strcmp(g_langs[i].key, key) == 0) found = &g_langs[i];
  if (!found && g_n_langs < GZ_ARRAY_LEN(g_langs)) {
    lang_faces *lf = &g_langs[g_n_langs++];
    memcpy(lf->key, key, sizeof key);
    sort_for(lf, lang, sans);
    found = lf;
  }
  pthread_mutex_unlock(&g_langs_lock);
  return found;
}

static bool covers(pdf_fonts *f, int i, const uint32_t *cps, size_t n) {
  if (i < 0) return false;
  for (size_t k = 0; k < n; k++)
    if (cps[k] != ' ' && cps[k] != 0xA0 && !has(f, i, cps[k])) return false;
  return true;
}

int pdf_font_for_run(pdf_fonts *f, font_role role, const uint32_t *cps, size_t n,
                     const char *lang) {
  for (int i = 0; i < f->n_user; i++)
    if (covers(f, i, cps, n)) return i;
  int plain = f->role[role == ROLE_MONO ? ROLE_MONO : role >= ROLE_SANS ? ROLE_SANS : ROLE_SERIF];
  if (covers(f, f->role[role], cps, n)) return f->role[role];
  if (covers(f, plain, cps, n)) return plain;
  pthread_once(&g_faces_once, list_faces);
  const lang_faces *lf = lang ? faces_for(lang, role >= ROLE_SANS && role != ROLE_MONO) : NULL;
  for (size_t k = 0; lf && k < lf->n; k++) {
    const face *fc = &g_faces[lf->faces[k]];
    bool all = true;
    for (size_t j = 0; j < n && all; j++)
      all = cps[j] == ' ' || cps[j] == 0xA0 || FcCharSetHasChar(fc->charset, cps[j]);
    if (!all) continue;
    int i = add_font(f, fc->path, fc->index);
    if (i < 0) {
      f->oom = true;
      return -1;
    }
    if (covers(f, i, cps, n)) return i;
  }
  return -1;
}

/* ---- glyphs drawn by id ---- */

static uint64_t gcid_key(uint16_t gid, const uint32_t *text, size_t n, int width) {
  uint64_t k = gz_hash_mix(gz_hash64(text, n * sizeof *text, 0x67637964u),
                           (uint64_t)gid << 32 | (uint32_t)width);
  return k ? k : 1;
}

static bool same_gcid(const pdf_font *pf, const pdf_gcid *g, uint16_t gid, const uint32_t *text,
                      size_t n, int width) {
  return g->gid == gid && g->n_text == n && g->width == width &&
         (n == 0 || memcmp(pf->gtext + g->text, text, n * sizeof *text) == 0);
}

/* The next CID the face leaves unmapped: the Private Use Area first,
 * then the rest of the BMP above Latin-1 (surrogates left out). */
static int free_cid(pdf_font *pf) {
  if (pf->next_cid == 0) pf->next_cid = 0xE000;
  while (pf->next_cid != 0xE000 - 1) {
    uint32_t c = pf->next_cid;
    pf->next_cid = c == 0xF8FF ? 0x100 : c == 0xD7FF ? 0xE000 - 1 : c + 1;
    if (c == 0xFFFD || gzh_ttf_has(pf->def, (uint16_t)c)) continue;
    return (int)c;
  }
  return -1;
}

int pdf_font_glyph_cid(pdf_fonts *f, int i, uint16_t gid, const uint32_t *text, size_t n,
                       int width) {
  pdf_font *pf = &f->fonts[i];
  if (!load(f, i) || gid >= gzh_ttf_num_glyphs(pf->def)) return -1;
  uint64_t key = gcid_key(gid, text, n, width);
  uint32_t at = gz_count64_get(&pf->gcid_of, key);
  if (at && same_gcid(pf, &pf->gcids[at - 1], gid, text, n, width)) return pf->gcids[at - 1].cid;
  if (at) /* two pairs with one hash: look them all through */
    for (size_t k = 0; k < pf->n_gcids; k++)
      if (same_gcid(pf, &pf->gcids[k], gid, text, n, width)) return pf->gcids[k].cid;
  int cid = free_cid(pf);
  if (cid < 0) return -1;
  if (gz_grow(f->al, (void **)&pf->gcids, &pf->cap_gcids, pf->n_gcids + 1, sizeof *pf->gcids) ||
      gz_grow(f->al, (void **)&pf->gtext, &pf->cap_gtext, pf->n_gtext + n + 1, sizeof *pf->gtext) ||
      (!at && gz_count64_add(&pf->gcid_of, key, (uint32_t)pf->n_gcids + 1))) {
    f->oom = true;
    return -1;
  }
  pdf_gcid *g = &pf->gcids[pf->n_gcids++];
  g->cid = (uint16_t)cid;
  g->gid = gid;
  g->width = width;
  g->text = (uint32_t)pf->n_gtext;
  g->n_text = (uint32_t)n;
  if (n) memcpy(pf->gtext + pf->n_gtext, text, n * sizeof *text);
  pf->n_gtext += n;
  return cid;
}

static uint16_t be16(const unsigned char *b) { return (uint16_t)(b[0] << 8 | b[1]); }

/* Keeps glyph gid and, for a composite glyph, its parts (the 'glyf'
 * table of the OpenType specification: a negative numberOfContours,
 * then components of flags, glyphIndex, two arguments of one or two
 * bytes each and an optional scale of 2, 4 or 8 bytes). */
static void keep_glyph(HPDF_FontDef def, hb_blob_t *glyf, hb_blob_t *loca, bool long_loca,
                       uint16_t gid, int depth) {
  gzh_ttf_keep_glyph(def, gid);
  unsigned gl, ll;
  const unsigned char *g = (const unsigned char *)hb_blob_get_data(glyf, &gl);
  const unsigned char *l = (const unsigned char *)hb_blob_get_data(loca, &ll);
  if (depth > 8 || !g || !l) return;
  size_t a, b;
  if (long_loca) {
    if (4 * (size_t)gid + 8 > ll) return;
    a = be32(l + 4 * gid);
    b = be32(l + 4 * gid + 4);
  } else {
    if (2 * (size_t)gid + 4 > ll) return;
    a = 2 * (size_t)be16(l + 2 * gid);
    b = 2 * (size_t)be16(l + 2 * gid + 2);
  }
  if (b > gl || a + 10 > b || (int16_t)be16(g + a) >= 0) return;
  size_t p = a + 10;
  for (;;) {
    if (p + 4 > b) return;
    uint16_t flags = be16(g + p), part = be16(g + p + 2);
    keep_glyph(def, glyf, loca, long_loca, part, depth + 1);
    p += 4 + ((flags & 0x0001) ? 4 : 2);
    p += (flags & 0x0008) ? 2 : (flags & 0x0040) ? 4 : (flags & 0x0080) ? 8 : 0;
    if (!(flags & 0x0020)) return;
  }
}

static int by_cid(const void *a, const void *b) {
  const pdf_gcid *x = a, *y = b;
  return (x->cid > y->cid) - (x->cid < y->cid);
}

static int finish_font(pdf_fonts *f, pdf_font *pf) {
  if (pf->n_gcids) qsort(pf->gcids, pf->n_gcids, sizeof *pf->gcids, by_cid);
  hb_face_t *hf = hb_font_get_face(pf->hb);
  hb_blob_t *glyf = hb_face_reference_table(hf, HB_TAG('g', 'l', 'y', 'f'));
  hb_blob_t *loca = hb_face_reference_table(hf, HB_TAG('l', 'o', 'c', 'a'));
  hb_blob_t *head = hb_face_reference_table(hf, HB_TAG('h', 'e', 'a', 'd'));
  unsigned hl;
  const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &hl);
  bool long_loca = h && hl >= 54 && be16(h + 50) == 1;
  /* The parts of every composite glyph kept: libharu 2.3.0 flags those
   * of the glyphs it measures, but not all of them (DejaVu Sans's U+0623,
   * alef with hamza above, lost its hamza). */
  for (unsigned gid = 0, ng = gzh_ttf_num_glyphs(pf->def); gid < ng; gid++)
    if (gzh_ttf_glyph_kept(pf->def, (uint16_t)gid))
      keep_glyph(pf->def, glyf, loca, long_loca, (uint16_t)gid, 0);
  size_t n = pf->n_gcids, units = 0;
  for (size_t k = 0; k < n; k++) units += 2 * (size_t)pf->gcids[k].n_text;
  uint16_t *cids = gz_malloc(f->al, n * sizeof *cids + 1);
  int *widths = gz_malloc(f->al, n * sizeof *widths + 1);
  gzh_cid_text *over = gz_malloc(f->al, n * sizeof *over + 1);
  uint16_t *u16 = gz_malloc(f->al, units * sizeof *u16 + 1);
  int rc = cids && widths && over && u16 ? 0 : -1;
  if (rc) f->oom = true;
  size_t at = 0;
  for (size_t k = 0; rc == 0 && k < n; k++) {
    const pdf_gcid *g = &pf->gcids[k];
    if (!gzh_font_map_cid(pf->font, g->cid, g->gid)) rc = -1;
    keep_glyph(pf->def, glyf, loca, long_loca, g->gid, 0);
    cids[k] = g->cid;
    widths[k] = g->width;
    over[k].cid = g->cid;
    over[k].units = u16 + at;
    size_t start = at;
    for (uint32_t t = 0; t < g->n_text; t++) {
      uint32_t cp = pf->gtext[g->text + t];
      if (cp > 0xFFFF) {
        u16[at++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
        u16[at++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
      } else {
        u16[at++] = (uint16_t)cp;
      }
    }
    over[k].n_units = (uint16_t)(at - start > 64 ? 64 : at - start);
  }
  if (rc == 0 && n && gzh_font_add_widths(pf->font, cids, widths, n)) rc = -1;
  if (rc == 0 && n && gzh_font_write_tounicode(pf->font, over, n)) rc = -1;
  gz_free(f->al, cids);
  gz_free(f->al, widths);
  gz_free(f->al, over);
  gz_free(f->al, u16);
  hb_blob_destroy(glyf);
  hb_blob_destroy(loca);
  hb_blob_destroy(head);
  return rc;
}

int pdf_fonts_finish(pdf_fonts *f) {
  for (size_t i = 0; i < f->n_fonts; i++)
    if (f->fonts[i].loaded && pdf_font_hb(f, (int)i) && finish_font(f, &f->fonts[i])) return -1;
  return 0;
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
    pdf_font *pf = &f->fonts[i];
    for (int k = 0; k < 256; k++) gz_free(f->al, pf->widths[k]);
    gz_free(f->al, pf->path);
    if (pf->hb) hb_font_destroy(pf->hb);
    gz_free(f->al, pf->gcids);
    gz_free(f->al, pf->gtext);
    gz_count64_free(&pf->gcid_of);
    if (pf->ft) FT_Done_Face(pf->ft);
    gz_free(f->al, pf->kern_cache);
  }
  if (f->ft) FT_Done_FreeType(f->ft);
  gz_free(f->al, f->fonts);
  gz_count64_free(&f->fallback);
  memset(f, 0, sizeof *f);
}
