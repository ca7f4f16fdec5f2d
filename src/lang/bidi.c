/*
 * bidi.c - the direction and the scripts of a text (see bidi.h).
 *
 * Bidi classes come from libfribidi (fribidi_get_bidi_type, the
 * Unicode Character Database's Bidi_Class). The paragraph rule P2/P3
 * is applied here over those classes, not with
 * fribidi_get_par_direction, because that one wants the whole
 * paragraph's classes in an array: this walks the UTF-8 once with no
 * allocation, whatever the length. Rules: UAX #9, 3.3.1
 * (https://www.unicode.org/reports/tr9/#P2).
 */
#include "lang/bidi.h"

#include <fribidi.h>
#include <string.h>

#include "util/util.h"

void gz_bidi_init(gz_bidi_info *info) { memset(info, 0, sizeof *info); }

void gz_bidi_add(gz_bidi_info *info, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  /* P2: characters between an isolate initiator and its matching PDI
   * (or the end of the paragraph) are skipped when looking for the
   * first strong one; they still count as letters. */
  uint32_t isolates = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += gz_utf8_decode(u + i, len - i, &cp);
    FriBidiCharType t = fribidi_get_bidi_type((FriBidiChar)cp);
    if (t == FRIBIDI_TYPE_PDI) {
      if (isolates) isolates--;
      continue;
    }
    if (FRIBIDI_IS_ISOLATE(t)) {
      isolates++;
      continue;
    }
    if (!FRIBIDI_IS_LETTER(t)) continue;
    bool rtl = FRIBIDI_IS_RTL(t);
    if (rtl)
      info->rtl++;
    else
      info->ltr++;
    if (!info->first_strong && !isolates) info->first_strong = rtl ? GZ_BIDI_RTL : GZ_BIDI_LTR;
    gz_script sc = gz_script_of(cp);
    info->letters[sc == GZ_SCRIPT_NONE ? GZ_SCRIPT_OTHER : sc]++;
  }
}

void gz_bidi_finish(gz_bidi_info *info) {
  uint32_t all = info->ltr + info->rtl;
  info->dir = info->first_strong;
  /* Only the isolated text had strong letters: it still tells. */
  if (!info->dir && all) info->dir = info->rtl > info->ltr ? GZ_BIDI_RTL : GZ_BIDI_LTR;
  if (info->dir == GZ_BIDI_LTR && (uint64_t)info->rtl * 3 >= (uint64_t)all * 2)
    info->dir = GZ_BIDI_RTL;
  else if (info->dir == GZ_BIDI_RTL && (uint64_t)info->ltr * 3 >= (uint64_t)all * 2)
    info->dir = GZ_BIDI_LTR;
  info->script = GZ_SCRIPT_NONE;
  uint32_t best = 0;
  /* ties go to the earlier script of the enum: the same answer always */
  for (int sc = 1; sc < GZ_SCRIPT_COUNT; sc++)
    if (info->letters[sc] > best) {
      best = info->letters[sc];
      info->script = (uint8_t)sc;
    }
}

void gz_bidi_text(const char *s, size_t len, gz_bidi_info *info) {
  gz_bidi_init(info);
  gz_bidi_add(info, s, len);
  gz_bidi_finish(info);
}

/* Unicode blocks (Blocks.txt) by script, sorted by first code point. */
static const struct {
  uint32_t lo, hi;
  uint8_t script;
} ranges[] = {
    {0x0041, 0x005A, GZ_SCRIPT_LATIN},      {0x0061, 0x007A, GZ_SCRIPT_LATIN},
    {0x00AA, 0x00AA, GZ_SCRIPT_LATIN},      {0x00BA, 0x00BA, GZ_SCRIPT_LATIN},
    {0x00C0, 0x00D6, GZ_SCRIPT_LATIN},      {0x00D8, 0x00F6, GZ_SCRIPT_LATIN},
    {0x00F8, 0x024F, GZ_SCRIPT_LATIN},      {0x0250, 0x02AF, GZ_SCRIPT_LATIN},
    {0x0370, 0x03FF, GZ_SCRIPT_GREEK},      {0x0400, 0x052F, GZ_SCRIPT_CYRILLIC},
    {0x0530, 0x058F, GZ_SCRIPT_ARMENIAN},   {0x0590, 0x05FF, GZ_SCRIPT_HEBREW},
    {0x0600, 0x06FF, GZ_SCRIPT_ARABIC},     {0x0700, 0x074F, GZ_SCRIPT_SYRIAC},
    {0x0750, 0x077F, GZ_SCRIPT_ARABIC},     {0x0780, 0x07BF, GZ_SCRIPT_THAANA},
    {0x0860, 0x086F, GZ_SCRIPT_SYRIAC},     {0x0870, 0x08FF, GZ_SCRIPT_ARABIC},
    {0x0900, 0x097F, GZ_SCRIPT_DEVANAGARI}, {0x0980, 0x09FF, GZ_SCRIPT_BENGALI},
    {0x0A00, 0x0A7F, GZ_SCRIPT_GURMUKHI},   {0x0A80, 0x0AFF, GZ_SCRIPT_GUJARATI},
    {0x0B00, 0x0B7F, GZ_SCRIPT_ORIYA},      {0x0B80, 0x0BFF, GZ_SCRIPT_TAMIL},
    {0x0C00, 0x0C7F, GZ_SCRIPT_TELUGU},     {0x0C80, 0x0CFF, GZ_SCRIPT_KANNADA},
    {0x0D00, 0x0D7F, GZ_SCRIPT_MALAYALAM},  {0x0D80, 0x0DFF, GZ_SCRIPT_SINHALA},
    {0x0E00, 0x0E7F, GZ_SCRIPT_THAI},       {0x0E80, 0x0EFF, GZ_SCRIPT_LAO},
    {0x0F00, 0x0FFF, GZ_SCRIPT_TIBETAN},    {0x1000, 0x109F, GZ_SCRIPT_MYANMAR},
    {0x10A0, 0x10FF, GZ_SCRIPT_GEORGIAN},   {0x1100, 0x11FF, GZ_SCRIPT_HANGUL},
    {0x1200, 0x139F, GZ_SCRIPT_ETHIOPIC},   {0x1780, 0x17FF, GZ_SCRIPT_KHMER},
    {0x19E0, 0x19FF, GZ_SCRIPT_KHMER},      {0x1C80, 0x1C8F, GZ_SCRIPT_CYRILLIC},
    {0x1C90, 0x1CBF, GZ_SCRIPT_GEORGIAN},   {0x1D00, 0x1DBF, GZ_SCRIPT_LATIN},
    {0x1E00, 0x1EFF, GZ_SCRIPT_LATIN},      {0x1F00, 0x1FFF, GZ_SCRIPT_GREEK},
    {0x2C60, 0x2C7F, GZ_SCRIPT_LATIN},      {0x2D00, 0x2D2F, GZ_SCRIPT_GEORGIAN},
    {0x2D80, 0x2DDF, GZ_SCRIPT_ETHIOPIC},   {0x2DE0, 0x2DFF, GZ_SCRIPT_CYRILLIC},
    {0x2E80, 0x2FDF, GZ_SCRIPT_HAN},        {0x3005, 0x3007, GZ_SCRIPT_HAN},
    {0x3021, 0x3029, GZ_SCRIPT_HAN},        {0x3038, 0x303B, GZ_SCRIPT_HAN},
    {0x3041, 0x30FF, GZ_SCRIPT_KANA},       {0x3131, 0x318F, GZ_SCRIPT_HANGUL},
    {0x31F0, 0x31FF, GZ_SCRIPT_KANA},       {0x3400, 0x4DBF, GZ_SCRIPT_HAN},
    {0x4E00, 0x9FFF, GZ_SCRIPT_HAN},        {0xA640, 0xA69F, GZ_SCRIPT_CYRILLIC},
    {0xA720, 0xA7FF, GZ_SCRIPT_LATIN},      {0xA8E0, 0xA8FF, GZ_SCRIPT_DEVANAGARI},
    {0xA960, 0xA97F, GZ_SCRIPT_HANGUL},     {0xA9E0, 0xA9FF, GZ_SCRIPT_MYANMAR},
    {0xAA60, 0xAA7F, GZ_SCRIPT_MYANMAR},    {0xAB00, 0xAB2F, GZ_SCRIPT_ETHIOPIC},
    {0xAB30, 0xAB6F, GZ_SCRIPT_LATIN},      {0xAC00, 0xD7FF, GZ_SCRIPT_HANGUL},
    {0xF900, 0xFAFF, GZ_SCRIPT_HAN},        {0xFB00, 0xFB06, GZ_SCRIPT_LATIN},
    {0xFB13, 0xFB17, GZ_SCRIPT_ARMENIAN},   {0xFB1D, 0xFB4F, GZ_SCRIPT_HEBREW},
    {0xFB50, 0xFDFF, GZ_SCRIPT_ARABIC},     {0xFE70, 0xFEFF, GZ_SCRIPT_ARABIC},
    {0xFF21, 0xFF3A, GZ_SCRIPT_LATIN},      {0xFF41, 0xFF5A, GZ_SCRIPT_LATIN},
    {0xFF66, 0xFF9F, GZ_SCRIPT_KANA},       {0xFFA0, 0xFFDC, GZ_SCRIPT_HANGUL},
    {0x1B000, 0x1B16F, GZ_SCRIPT_KANA},     {0x1EE00, 0x1EEFF, GZ_SCRIPT_ARABIC},
    {0x20000, 0x3FFFF, GZ_SCRIPT_HAN},
};

gz_script gz_script_of(uint32_t cp) {
  size_t lo = 0, hi = sizeof ranges / sizeof ranges[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < ranges[mid].lo)
      hi = mid;
    else if (cp > ranges[mid].hi)
      lo = mid + 1;
    else
      return (gz_script)ranges[mid].script;
  }
  return GZ_SCRIPT_NONE;
}

const char *gz_script_name(gz_script s) {
  static const char *const names[GZ_SCRIPT_COUNT] = {
      "none",     "latin",   "greek",      "cyrillic", "armenian", "georgian", "hebrew",  "arabic",
      "syriac",   "thaana",  "devanagari", "bengali",  "gurmukhi", "gujarati", "oriya",   "tamil",
      "telugu",   "kannada", "malayalam",  "sinhala",  "thai",     "lao",      "tibetan", "myanmar",
      "ethiopic", "khmer",   "hangul",     "kana",     "han",      "other"};
  return (unsigned)s < GZ_SCRIPT_COUNT ? names[s] : "other";
}

/* Does subtag [s, s+n) equal w, ignoring ASCII case? */
static bool subtag_is(const char *s, size_t n, const char *w) {
  if (strlen(w) != n) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != w[i]) return false;
  }
  return true;
}

static bool is_alpha_run(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) return false;
  return true;
}

bool gz_lang_is_rtl(const char *tag) {
  if (!tag || !*tag) return false;
  /* ISO 15924 codes of the scripts written right to left (Unicode's
   * Script_Direction; only those in use today). */
  static const char *const rtl_scripts[] = {"adlm", "arab", "hebr", "mand", "nkoo",
                                            "rohg", "samr", "syrc", "thaa"};
  /* Languages whose usual script is one of those: a tag without a
   * script subtag means that script (IANA registry Suppress-Script,
   * or the CLDR likely subtags for those without one). */
  static const char *const rtl_langs[] = {"ar",  "arc", "azb", "bal", "ckb", "dv",  "fa",  "glk",
                                          "he",  "iw",  "ji",  "ks",  "lrc", "mzn", "nqo", "pnb",
                                          "prs", "ps",  "sd",  "syr", "ug",  "ur",  "yi"};
  const char *p = tag;
  size_t n = strcspn(p, "-_");
  const char *primary = p;
  size_t primary_n = n;
  /* a script subtag is four letters, after the language and any
   * extended language subtags, before a region or a singleton */
  while (p[n]) {
    p += n + 1;
    n = strcspn(p, "-_");
    if (n == 4 && is_alpha_run(p, n)) {
      for (size_t i = 0; i < sizeof rtl_scripts / sizeof *rtl_scripts; i++)
        if (subtag_is(p, n, rtl_scripts[i])) return true;
      return false;
    }
    if (!(n == 3 && is_alpha_run(p, n))) break;
  }
  for (size_t i = 0; i < sizeof rtl_langs / sizeof *rtl_langs; i++)
    if (subtag_is(primary, primary_n, rtl_langs[i])) return true;
  return false;
}
