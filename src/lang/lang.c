/*
 * lang.c - BCP 47 tags (well-formedness and case) and the language of a
 * text: CLD2 first (cld2.cc), then a script that means one language.
 */
#include <string.h>

#include "lang/lang.h"
#include "util/util.h"

/* ASCII only, whatever the process locale says */
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static char to_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }
static char to_upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

/* ---- BCP 47 (RFC 5646, section 2.1) well-formedness ----
 * Syntax only, no registry look-up. libxml2's xmlCheckLanguageID was the
 * obvious candidate but rejects well-formed tags (de-CH-1996, en-US-x-foo,
 * en-US-u-ca-gregory), and ICU would be a new library for one check. */

static bool all_of(const char *s, size_t n, int (*pred)(int)) {
  for (size_t i = 0; i < n; i++)
    if (!pred((unsigned char)s[i])) return false;
  return true;
}

static bool alpha(const char *s, size_t n, size_t lo, size_t hi) {
  return n >= lo && n <= hi && all_of(s, n, is_alpha);
}

static bool alnum(const char *s, size_t n, size_t lo, size_t hi) {
  return n >= lo && n <= hi && all_of(s, n, is_alnum);
}

static bool grandfathered(const char *tag) {
  static const char *const tags[] = {
      "en-GB-oed", "i-ami",     "i-bnn",     "i-default",  "i-enochian",  "i-hak",  "i-klingon",
      "i-lux",     "i-mingo",   "i-navajo",  "i-pwn",      "i-tao",       "i-tay",  "i-tsu",
      "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE", "art-lojban", "cel-gaulish", "no-bok", "no-nyn",
      "zh-guoyu",  "zh-hakka",  "zh-min",    "zh-min-nan", "zh-xiang",
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(tags); i++)
    if (gz_ascii_ieq(tag, strlen(tag), tags[i])) return true;
  return false;
}

bool gz_lang_tag_ok(const char *tag) {
  if (!tag || !*tag || strlen(tag) > 255) return false;
  if (grandfathered(tag)) return true;
  /* Subtags in order; `stage` is the last kind seen, so each kind comes
   * only after the ones that may precede it. */
  enum { LANG, EXTLANG, SCRIPT, REGION, VARIANT, EXTENSION, PRIVATE } stage = LANG;
  int extlangs = 0;
  bool need_ext = false; /* a singleton waits for its first subtag */
  const char *p = tag;
  for (size_t k = 0;; k++) {
    size_t n = strcspn(p, "-");
    if (n == 0 || n > 8 || !alnum(p, n, 1, 8)) return false;
    bool single_x = n == 1 && (p[0] == 'x' || p[0] == 'X');
    if (k == 0) {
      if (single_x)
        stage = PRIVATE, need_ext = true; /* a private-use tag, "x-..." */
      else if (!alpha(p, n, 2, 8))
        return false;
      /* 4-letter languages take no extlang; 2-3 letters may */
      else if (n >= 4)
        extlangs = 3;
    } else if (stage == PRIVATE) {
      need_ext = false; /* 1 to 8 alphanumerics, any number */
    } else if (need_ext) {
      if (n < 2) return false;
      need_ext = false;
    } else if (stage == EXTENSION && n >= 2) {
      /* another subtag of the extension */
    } else if (single_x) {
      stage = PRIVATE, need_ext = true;
    } else if (n == 1) {
      stage = EXTENSION, need_ext = true;
    } else if (stage <= EXTLANG && extlangs < 3 && alpha(p, n, 3, 3)) {
      stage = EXTLANG, extlangs++;
    } else if (stage <= EXTLANG && alpha(p, n, 4, 4)) {
      stage = SCRIPT;
    } else if (stage <= SCRIPT && (alpha(p, n, 2, 2) || (n == 3 && all_of(p, 3, is_digit)))) {
      stage = REGION;
    } else if (stage <= VARIANT &&
               ((n >= 5 && n <= 8) || (n == 4 && is_digit((unsigned char)p[0])))) {
      stage = VARIANT;
    } else {
      return false;
    }
    if (!p[n]) break;
    p += n + 1;
  }
  return !need_ext;
}

bool gz_lang_normalize(const char *s, size_t n, char out[GZ_LANG_MAX]) {
  gz_trim(&s, &n);
  /* POSIX locales: "uk_UA.UTF-8", "sr_RS@latin" */
  for (size_t i = 0; i < n; i++)
    if (s[i] == '.' || s[i] == '@') n = i;
  if (n == 0 || n >= GZ_LANG_MAX) return false;
  size_t k = 0, sub = 0;
  for (size_t i = 0; i <= n; sub++) {
    size_t j = i;
    while (j < n && s[j] != '-' && s[j] != '_') j++;
    size_t len = j - i;
    /* the language: 2 or 3 letters; then subtags of 1 to 8 letters or
     * digits (RFC 5646 2.1) */
    if (sub == 0 && (len < 2 || len > 3)) return false;
    if (len < 1 || len > 8) return false;
    for (size_t p = i; p < j; p++) {
      if (!is_alpha((unsigned char)s[p]) && !(sub > 0 && is_digit((unsigned char)s[p])))
        return false;
      char c = to_lower(s[p]);
      /* script subtags are title case, regions upper case (RFC 5646 2.1.1) */
      if (sub > 0 && len == 4 && p == i) c = to_upper(c);
      if (sub > 0 && len == 2) c = to_upper(c);
      out[k++] = c;
    }
    if (j < n) out[k++] = '-';
    i = j + 1;
    if (j >= n) break;
  }
  out[k] = '\0';
  return strcmp(out, "und") != 0;
}

/* CLD2's code as a BCP 47 tag: CLD2 keeps Google's old codes for Hebrew
 * and Javanese (ISO 639 withdrew iw and jw in 1989 and 2001), and answers
 * "xx-Latn"-style codes and zz* test languages, which are no language. */
static bool cld2_tag(const char *code, char out[GZ_LANG_MAX]) {
  if (strcmp(code, "iw") == 0) code = "he";
  if (strcmp(code, "jw") == 0) code = "jv";
  if (strncmp(code, "xx", 2) == 0 || strncmp(code, "zz", 2) == 0 || strcmp(code, "un") == 0)
    return false;
  return gz_lang_normalize(code, strlen(code), out);
}

/* The language a script of one language means, when that script holds
 * the most letters; "" otherwise. For texts CLD2 is unsure of. */
static void script_language(const char *s, size_t len, char out[GZ_LANG_MAX]) {
  size_t latin = 0, cyr = 0, arm = 0, geo = 0, greek = 0, han = 0, kana = 0, hangul = 0, arabic = 0,
         hebrew = 0, thai = 0;
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    if (u[i] < 0x80) {
      if (is_alpha(u[i++])) latin++;
      continue;
    }
    i += gz_utf8_decode(u + i, len - i, &cp);
    if (cp >= 0x400 && cp <= 0x4FF)
      cyr++;
    else if (cp >= 0x530 && cp <= 0x58F)
      arm++;
    else if ((cp >= 0x10A0 && cp <= 0x10FF) || (cp >= 0x1C90 && cp <= 0x1CBF))
      geo++;
    else if (cp >= 0x370 && cp <= 0x3FF)
      greek++;
    else if (cp >= 0x590 && cp <= 0x5FF)
      hebrew++;
    else if (cp >= 0x600 && cp <= 0x6FF)
      arabic++;
    else if (cp >= 0xE00 && cp <= 0xE7F)
      thai++;
    else if (cp >= 0x3040 && cp <= 0x30FF)
      kana++;
    else if (cp >= 0x4E00 && cp <= 0x9FFF)
      han++;
    else if (cp >= 0xAC00 && cp <= 0xD7AF)
      hangul++;
    else if (cp < 0x250)
      latin++;
  }
  out[0] = '\0';
  size_t best = latin + cyr + arabic + han;
  struct {
    size_t n;
    const char *tag;
  } scripts[] = {{arm, "hy"},
                 {geo, "ka"},
                 {greek, "el"},
                 {hebrew, "he"},
                 {hangul, "ko"},
                 {thai, "th"},
                 {kana ? han + kana : 0, "ja"}};
  for (size_t k = 0; k < GZ_ARRAY_LEN(scripts); k++)
    if (scripts[k].n > best) {
      best = scripts[k].n;
      gz_strlcpy(out, scripts[k].tag, GZ_LANG_MAX);
    }
}

void gz_lang_detect(const char *s, size_t len, char out[GZ_LANG_MAX]) {
  char code[GZ_LANG_MAX];
  if (gz_lang_cld2(s, len, code) && cld2_tag(code, out)) return;
  script_language(s, len, out);
}
