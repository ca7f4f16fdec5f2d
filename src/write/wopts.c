/*
 * wopts.c - the write options made safe once, where the library is
 * entered: --title and --author become valid UTF-8 without control
 * characters and with single spaces (as article strings are), and
 * --lang must be a well-formed BCP 47 tag, so neither writer can be handed
 * a string that makes a document malformed.
 */
#include <string.h>

#include "write/write.h"

/* Repaired (U+FFFD), controls dropped, white space collapsed and trimmed;
 * NULL when out of memory. */
static const char *clean_text(const char *s, gz_arena *arena) {
  gz_buf repaired, collapsed;
  gz_buf_init(&repaired, arena->al);
  gz_buf_init(&collapsed, arena->al);
  gz_utf8_clean_append(&repaired, s, strlen(s));
  gz_buf_put_collapsed(&collapsed, repaired.data ? repaired.data : "", repaired.len);
  const char *out = repaired.failed || collapsed.failed
                        ? NULL
                        : gz_arena_strndup(arena, gz_buf_cstr(&collapsed), collapsed.len);
  gz_buf_free(&repaired);
  gz_buf_free(&collapsed);
  return out;
}

/* ---- BCP 47 (RFC 5646, section 2.1) well-formedness ----
 * Syntax only, no registry look-up. libxml2's xmlCheckLanguageID was the
 * obvious candidate but rejects well-formed tags (de-CH-1996, en-US-x-foo,
 * en-US-u-ca-gregory), and ICU would be a new library for one check. */

/* ASCII only, whatever the process locale says */
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }

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

int gz_write_options_clean(const gz_write_options *in, gz_write_options *out, gz_arena *arena,
                           gz_error *err) {
  *out = *in;
  if (in->lang && *in->lang && !gz_lang_tag_ok(in->lang)) {
    char shown[64];
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                        "the language %s is not a BCP 47 tag such as en, pt-BR or sr-Latn",
                        gz_printable(in->lang, shown, sizeof shown));
  }
  if (in->title && !(out->title = clean_text(in->title, arena)))
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  if (in->author && !(out->author = clean_text(in->author, arena)))
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  return 0;
}
