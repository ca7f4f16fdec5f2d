/*
 * shape.c - the PDF's text that per-character widths cannot set:
 * right-to-left text (the Unicode bidirectional algorithm, FriBidi),
 * scripts whose letters join or reorder (Arabic, the Indic scripts,
 * Thai, Khmer, Myanmar...), combining marks and characters above U+FFFF.
 *
 * A paragraph takes this path only when one of its characters calls for
 * it (pdf_needs_shaping); other text keeps the per-character widths of
 * lines.c. Here the paragraph's characters get their embedding levels,
 * runs of a shaped script one font for the whole run (fonts.c), and the
 * paragraph is cut into items of one font, style, script and level,
 * each shaped by HarfBuzz in logical order. A cluster's advance becomes
 * the width of its first character, so lines are still broken in logical
 * order by lines.c; draw.c then orders each line's items for display
 * (rule L2 of UAX #9) and draws the glyphs.
 */
#include <fribidi.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>

#include "write/pdf/pdf.h"

bool pdf_needs_shaping(uint32_t cp) {
  if (cp < 0x0300) return false;
  if (cp <= 0x036F) return true; /* combining diacritics */
  if (cp < 0x0590) return false;
  if (cp <= 0x1CFF) /* Hebrew .. Vedic extensions, but for Georgian, Hangul jamo, Ethiopic,
                       Cherokee, Canadian syllabics, Ogham, Runic */
    return !((cp >= 0x10A0 && cp <= 0x10FF) || (cp >= 0x1100 && cp <= 0x167F) ||
             (cp >= 0x1680 && cp <= 0x16FF) || (cp >= 0x1C80 && cp <= 0x1CBF));
  if (cp >= 0x1DC0 && cp <= 0x1DFF) return true;
  if (cp >= 0x200C && cp <= 0x200F) return true;
  if (cp >= 0x202A && cp <= 0x202E) return true;
  if (cp >= 0x2066 && cp <= 0x2069) return true;
  if (cp >= 0x20D0 && cp <= 0x20FF) return true;
  if (cp >= 0x302A && cp <= 0x302F) return true;
  if (cp >= 0x3099 && cp <= 0x309A) return true;
  if (cp >= 0xA800 && cp <= 0xABFF) return true; /* Syloti Nagri .. Meetei Mayek */
  if (cp >= 0xFB1D && cp <= 0xFDFF) return true;
  if (cp >= 0xFE00 && cp <= 0xFE0F) return true;
  if (cp >= 0xFE20 && cp <= 0xFE2F) return true;
  if (cp >= 0xFE70 && cp <= 0xFEFE) return true;
  return cp > 0xFFFF;
}

/* Scripts whose runs take one font for the whole run, with the
 * language fontconfig is asked for them. */
static const struct {
  hb_script_t script;
  const char *lang;
} shaped_scripts[] = {
    {HB_SCRIPT_ARABIC, "ar"},   {HB_SCRIPT_HEBREW, "he"},    {HB_SCRIPT_SYRIAC, "syr"},
    {HB_SCRIPT_THAANA, "dv"},   {HB_SCRIPT_NKO, "nqo"},      {HB_SCRIPT_DEVANAGARI, "hi"},
    {HB_SCRIPT_BENGALI, "bn"},  {HB_SCRIPT_GURMUKHI, "pa"},  {HB_SCRIPT_GUJARATI, "gu"},
    {HB_SCRIPT_ORIYA, "or"},    {HB_SCRIPT_TAMIL, "ta"},     {HB_SCRIPT_TELUGU, "te"},
    {HB_SCRIPT_KANNADA, "kn"},  {HB_SCRIPT_MALAYALAM, "ml"}, {HB_SCRIPT_SINHALA, "si"},
    {HB_SCRIPT_THAI, "th"},     {HB_SCRIPT_LAO, "lo"},       {HB_SCRIPT_TIBETAN, "bo"},
    {HB_SCRIPT_MYANMAR, "my"},  {HB_SCRIPT_KHMER, "km"},     {HB_SCRIPT_MONGOLIAN, "mn-cn"},
    {HB_SCRIPT_ETHIOPIC, "am"},
};

static const char *shaped_lang(hb_script_t s) {
  for (size_t i = 0; i < GZ_ARRAY_LEN(shaped_scripts); i++)
    if (shaped_scripts[i].script == s) return shaped_scripts[i].lang;
  return NULL;
}

static bool weak_script(hb_script_t s) {
  return s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN;
}

void pdf_shape_free(pdf_para *p) {
  gz_free(p->al, p->items);
  gz_free(p->al, p->glyphs);
  gz_free(p->al, p->cps);
  gz_free(p->al, p->levels);
  if (p->hb) hb_buffer_destroy(p->hb);
  p->items = NULL;
  p->glyphs = NULL;
  p->cps = NULL;
  p->levels = NULL;
  p->hb = NULL;
  p->cap_items = p->cap_glyphs = p->cap_cps = 0;
}

/* Embedding levels of the paragraph (UAX #9 through rule I2). */
static int bidi_levels(pdf_para *p, const pdf_style *st) {
  size_t n = p->n_chars;
  FriBidiCharType *types = gz_malloc(p->al, n * sizeof *types);
  FriBidiBracketType *brackets = gz_malloc(p->al, n * sizeof *brackets);
  FriBidiLevel *lev = gz_malloc(p->al, n * sizeof *lev);
  int rc = types && brackets && lev ? 0 : -1;
  if (rc == 0) {
    fribidi_get_bidi_types(p->cps, (FriBidiStrIndex)n, types);
    fribidi_get_bracket_types(p->cps, (FriBidiStrIndex)n, types, brackets);
    FriBidiParType base = st->dir == GZ_DIR_RTL   ? FRIBIDI_PAR_RTL
                          : st->dir == GZ_DIR_LTR ? FRIBIDI_PAR_LTR
                                                  : FRIBIDI_PAR_ON;
    if (!fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n, &base, lev)) {
      memset(p->levels, base == FRIBIDI_PAR_RTL ? 1 : 0, n);
    } else {
      for (size_t k = 0; k < n; k++) p->levels[k] = (uint8_t)lev[k];
    }
    p->rtl = base == FRIBIDI_PAR_RTL;
  }
  gz_free(p->al, types);
  gz_free(p->al, brackets);
  gz_free(p->al, lev);
  return rc;
}

/* One font for each run of a shaped script (of one style), where one
 * font has all of it: HarfBuzz joins and reorders only inside a font. */
static void run_fonts(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, const hb_script_t *sc) {
  size_t n = p->n_chars;
  for (size_t a = 0; a < n;) {
    const char *lang = shaped_lang(sc[a]);
    size_t b = a + 1;
    while (b < n && sc[b] == sc[a] && p->chars[b].run == p->chars[a].run && p->cps[b] != '\n') b++;
    if (lang && p->cps[a] != '\n') {
      /* the characters to draw: invisible ones and U+FFFD stand-ins aside */
      uint32_t *want = gz_malloc(p->al, (b - a) * sizeof *want);
      size_t m = 0;
      if (!want) {
        fonts->oom = true;
        return;
      }
      for (size_t k = a; k < b; k++)
        if (!p->chars[k].invisible && p->chars[k].font >= 0) want[m++] = p->cps[k];
      font_role role = pdf_role_for(st->role, p->runs[p->chars[a].run].style);
      int f = m ? pdf_font_for_run(fonts, role, want, m, lang) : -1;
      gz_free(p->al, want);
      if (f >= 0)
        for (size_t k = a; k < b; k++)
          if (!p->chars[k].invisible && p->chars[k].font >= 0 &&
              pdf_font_width(fonts, f, p->cps[k]) >= 0)
            p->chars[k].font = (int16_t)f;
    }
    a = b;
  }
}

static int add_item(pdf_para *p, uint32_t first, uint32_t end, int16_t font, uint16_t run,
                    uint8_t level) {
  if (gz_grow(p->al, (void **)&p->items, &p->cap_items, p->n_items + 1, sizeof *p->items))
    return -1;
  pdf_item *it = &p->items[p->n_items++];
  memset(it, 0, sizeof *it);
  it->first = first;
  it->end = end;
  it->font = font;
  it->run = run;
  it->level = level;
  return 0;
}

/* Items: runs of one font, style, script and level. Invisible characters
 * (joiners, marks of direction) go with the item around them, as the
 * shaper needs the joiners; line feeds belong to none. */
static int make_items(pdf_para *p, const hb_script_t *sc) {
  size_t n = p->n_chars;
  p->n_items = 0;
  for (size_t a = 0; a < n;) {
    if (p->cps[a] == '\n') {
      a++;
      continue;
    }
    int16_t font = -1;
    for (size_t k = a; k < n && p->cps[k] != '\n' && font < 0; k++)
      if (!p->chars[k].invisible) font = p->chars[k].font;
    size_t b = a + 1;
    while (b < n && p->cps[b] != '\n' && p->chars[b].run == p->chars[a].run &&
           p->levels[b] == p->levels[a] && sc[b] == sc[a] &&
           (p->chars[b].invisible || p->chars[b].font == font || font < 0))
      b++;
    if (font >= 0 && add_item(p, (uint32_t)a, (uint32_t)b, font, p->chars[a].run, p->levels[a]))
      return -1;
    for (size_t k = a; k < b; k++) p->chars[k].width = 0;
    a = b;
  }
  return 0;
}

static int shape_item(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, pdf_item *it,
                      hb_script_t script) {
  hb_font_t *hf = pdf_font_hb(fonts, it->font);
  if (!hf) return 0; /* drawn as nothing, like a face libharu could not load */
  unsigned upem = fonts->fonts[it->font].upem;
  hb_buffer_t *buf = p->hb;
  hb_buffer_clear_contents(buf);
  hb_buffer_add_utf32(buf, p->cps, (int)p->n_chars, it->first, (int)(it->end - it->first));
  hb_buffer_set_direction(buf, it->level & 1 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  hb_buffer_set_script(buf, script);
  const char *lang = shaped_lang(script);
  if (lang) hb_buffer_set_language(buf, hb_language_from_string(lang, -1));
  hb_buffer_set_flags(buf, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
  hb_shape(hf, buf, NULL, 0);
  unsigned n = 0;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
  if (gz_grow(p->al, (void **)&p->glyphs, &p->cap_glyphs, p->n_glyphs + n, sizeof *p->glyphs))
    return -1;
  float scale = pdf_size_of(st, p->runs[it->run].style) / (float)upem;
  bool rtl = it->level & 1;
  it->g0 = (uint32_t)p->n_glyphs;
  for (unsigned i = 0; i < n; i++) {
    pdf_glyph *g = &p->glyphs[p->n_glyphs++];
    uint32_t c = info[i].cluster;
    g->gid = (uint16_t)info[i].codepoint;
    g->ch = c;
    g->first = i == 0 || info[i - 1].cluster != c;
    /* clusters rise in logical order: the next one ends this one */
    uint32_t end = it->end;
    if (!rtl) {
      for (unsigned j = i + 1; j < n; j++)
        if (info[j].cluster != c) {
          end = info[j].cluster;
          break;
        }
    } else {
      for (unsigned j = i; j-- > 0;)
        if (info[j].cluster != c) {
          end = info[j].cluster;
          break;
        }
    }
    g->ch_end = end > c ? end : c + 1;
    g->alone = g->first && (i + 1 == n || info[i + 1].cluster != c);
    /* a cluster's first glyph takes the width of the whole cluster, so
     * that its text spans it for text extraction (pdftotext puts a space
     * wherever text leaves a gap) */
    hb_position_t units = pos[i].x_advance;
    for (unsigned j = i + 1; g->first && j < n && info[j].cluster == c; j++)
      units += pos[j].x_advance;
    g->width = (int16_t)((units * 1000 + (int)upem / 2) / (int)upem);
    g->adv = (float)pos[i].x_advance * scale;
    g->dx = (float)pos[i].x_offset * scale;
    g->dy = (float)pos[i].y_offset * scale;
    if (c < p->n_chars) p->chars[c].width += g->adv;
  }
  it->g1 = (uint32_t)p->n_glyphs;
  return 0;
}

int pdf_shape(pdf_para *p, pdf_fonts *fonts, const pdf_style *st) {
  size_t n = p->n_chars;
  p->shaped = true;
  p->n_glyphs = 0;
  p->n_items = 0;
  if (n > p->cap_cps) {
    uint32_t *cps = gz_realloc(p->al, p->cps, n * sizeof *cps);
    if (!cps) return -1;
    p->cps = cps;
    uint8_t *lev = gz_realloc(p->al, p->levels, n);
    if (!lev) return -1;
    p->levels = lev;
    p->cap_cps = n;
  }
  if (!p->hb) {
    p->hb = hb_buffer_create();
    if (!hb_buffer_allocation_successful(p->hb)) return -1;
  }
  for (size_t k = 0; k < n; k++) p->cps[k] = p->chars[k].cp;
  if (bidi_levels(p, st)) return -1;
  hb_script_t *sc = gz_malloc(p->al, n * sizeof *sc);
  if (!sc) return -1;
  hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
  hb_script_t last = HB_SCRIPT_COMMON;
  for (size_t k = 0; k < n; k++) {
    sc[k] = hb_unicode_script(uf, p->cps[k]);
    /* common and inherited characters go with the script before them */
    if (weak_script(sc[k]))
      sc[k] = last;
    else
      last = sc[k];
  }
  /* and those that open the paragraph with the first script after them */
  size_t lead = 0;
  while (lead < n && weak_script(sc[lead])) lead++;
  for (size_t k = 0; k < lead && lead < n; k++) sc[k] = sc[lead];
  run_fonts(p, fonts, st, sc);
  int rc = make_items(p, sc);
  for (size_t i = 0; rc == 0 && i < p->n_items; i++)
    rc = shape_item(p, fonts, st, &p->items[i], sc[p->items[i].first]);
  gz_free(p->al, sc);
  return rc;
}
