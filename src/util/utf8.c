/*
 * utf8.c - UTF-8 decoding, repair and the few character classes gazette
 * needs (spaces, letters, case) for the scripts it targets.
 *
 * Written by hand because the classes needed are small and hot (word
 * counting and text sniffing run over every byte of a dump); a full
 * Unicode library would be a large dependency for a few ranges.
 */
#include <string.h>

#include "util/util.h"

size_t gz_utf8_valid_len(const unsigned char *s, size_t len) {
  if (len == 0) return 0;
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    if (len < 2 || (s[1] & 0xC0) != 0x80) return 0;
    return 2;
  }
  if (c < 0xF0) {
    if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
    if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
    return 3;
  }
  if (c < 0xF5) {
    if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
      return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
    if (c == 0xF4 && s[1] >= 0x90) return 0; /* above U+10FFFF */
    return 4;
  }
  return 0;
}

size_t gz_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) {
  size_t n = gz_utf8_valid_len(s, len);
  switch (n) {
    case 1:
      *cp = s[0];
      return 1;
    case 2:
      *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
      return 2;
    case 3:
      *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
      return 3;
    case 4:
      *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
            ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
      return 4;
    default:
      *cp = GZ_REPLACEMENT;
      return len ? 1 : 0;
  }
}

size_t gz_utf8_encode(uint32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = GZ_REPLACEMENT;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp > 0x10FFFF) return gz_utf8_encode(GZ_REPLACEMENT, out);
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t gz_utf8_count(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

static bool is_dropped_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
}

bool gz_utf8_dropped(const unsigned char *s, size_t n) {
  /* C1 controls (U+0080..U+009F), and U+FFFE/U+FFFF, which XML forbids. */
  if (n == 2) return s[0] == 0xC2 && s[1] < 0xA0;
  if (n == 3) return s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF);
  return false;
}

size_t gz_utf8_clean_append(gz_buf *b, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t repairs = 0;
  size_t i = 0;
  if (gz_buf_reserve(b, len)) return 0;
  while (i < len) {
    /* Copy the longest clean ASCII run at once: the common case. */
    size_t start = i;
    while (i < len && u[i] < 0x80 && !is_dropped_control(u[i])) i++;
    if (i > start) gz_buf_append(b, s + start, i - start);
    if (i >= len) break;
    if (u[i] < 0x80) { /* a control character */
      i++;
      continue;
    }
    size_t n = gz_utf8_valid_len(u + i, len - i);
    if (n == 0) {
      gz_buf_append(b, "\xEF\xBF\xBD", 3);
      repairs++;
      i++;
      continue;
    }
    if (gz_utf8_dropped(u + i, n)) {
      i += n;
      continue;
    }
    gz_buf_append(b, s + i, n);
    i += n;
  }
  return repairs;
}

/* Are all 8 bytes printable ASCII (0x20..0x7E)? Checked a word at a time,
 * since nearly all text is. */
static inline bool printable8(const unsigned char *p) {
  uint64_t w;
  memcpy(&w, p, sizeof w);
  const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  uint64_t below_space = (w - 0x20 * ones) & ~w & highs; /* a byte < 0x20 */
  uint64_t del = ((w ^ (0x7F * ones)) - ones) & ~(w ^ (0x7F * ones)) & highs;
  return ((w & highs) | below_space | del) == 0;
}

size_t gz_ascii_printable_prefix(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i + 8 <= len && printable8(u + i)) i += 8;
  while (i < len && u[i] >= 0x20 && u[i] < 0x7F) i++;
  return i;
}

bool gz_utf8_is_clean(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    i += gz_ascii_printable_prefix(s + i, len - i);
    if (i >= len) break;
    if (u[i] < 0x80) {
      if (is_dropped_control(u[i])) return false;
      i++;
      continue;
    }
    size_t n = gz_utf8_valid_len(u + i, len - i);
    if (n == 0 || gz_utf8_dropped(u + i, n)) return false;
    i += n;
  }
  return true;
}

bool gz_is_space_cp(uint32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\v':
    case '\f':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200B;
  }
}

bool gz_is_alnum_cp(uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp < 0x2000) {
    /* Combining marks and the Greek/Armenian/Hebrew/Arabic punctuation
     * inside these blocks are rare enough to count as word characters. */
    if (cp == 0x37E || cp == 0x387 || (cp >= 0x55A && cp <= 0x55F) || cp == 0x589 || cp == 0x10FB)
      return false;
    return true;
  }
  if (cp < 0x2C00) return cp == 0x2071 || cp == 0x207F || (cp >= 0x2090 && cp <= 0x209C);
  if (cp >= 0x2E00 && cp <= 0x2E7F) return false; /* supplemental punctuation */
  if (cp >= 0x3000 && cp <= 0x303F) return false; /* CJK punctuation */
  if (cp >= 0xFE10 && cp <= 0xFE6F) return false; /* vertical and small forms */
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return false;   /* specials, U+FFFD */
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false; /* emoji and symbols */
  if (cp >= 0xE000 && cp <= 0xF8FF) return false;   /* private use */
  return true;
}

/* Upper-case letters whose lower case is cp + delta, as ranges. */
typedef struct {
  uint32_t lo, hi;
  int32_t delta;
  uint8_t alternate; /* only even code points in the range are upper */
} case_range;

static const case_range upper_ranges[] = {
    {0x41, 0x5A, 32, 0},        {0xC0, 0xD6, 32, 0},       {0xD8, 0xDE, 32, 0},
    {0x100, 0x12F, 1, 1},       {0x132, 0x137, 1, 1},      {0x139, 0x148, 1, 2},
    {0x14A, 0x177, 1, 1},       {0x179, 0x17E, 1, 2},      {0x18F, 0x18F, 202, 0},
    {0x1CD, 0x1DC, 1, 2},       {0x1DE, 0x1EF, 1, 1},      {0x1F8, 0x21F, 1, 1},
    {0x386, 0x386, 38, 0},      {0x388, 0x38A, 37, 0},     {0x38C, 0x38C, 64, 0},
    {0x38E, 0x38F, 63, 0},      {0x391, 0x3A1, 32, 0},     {0x3A3, 0x3AB, 32, 0},
    {0x400, 0x40F, 80, 0},      {0x410, 0x42F, 32, 0},     {0x460, 0x481, 1, 1},
    {0x48A, 0x4BF, 1, 1},       {0x4C1, 0x4CE, 1, 2},      {0x4D0, 0x52F, 1, 1},
    {0x531, 0x556, 48, 0},      {0x10A0, 0x10C5, 7264, 0}, {0x1C90, 0x1CBA, -3008, 0},
    {0x1CBD, 0x1CBF, -3008, 0}, {0x1E00, 0x1E95, 1, 1},    {0x1EA0, 0x1EFF, 1, 1},
};

static const case_range *find_upper(uint32_t cp) {
  for (size_t i = 0; i < GZ_ARRAY_LEN(upper_ranges); i++) {
    const case_range *r = &upper_ranges[i];
    if (cp < r->lo || cp > r->hi) continue;
    if (r->alternate == 1 && (cp & 1)) return NULL;
    if (r->alternate == 2 && !(cp & 1)) return NULL;
    return r;
  }
  return NULL;
}

uint32_t gz_lower_cp(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp == 0x130) return 'i'; /* Turkish dotted capital I */
  if (cp == 0x178) return 0xFF;
  const case_range *r = find_upper(cp);
  return r ? (uint32_t)((int32_t)cp + r->delta) : cp;
}

bool gz_is_upper_cp(uint32_t cp) { return cp == 0x130 || cp == 0x178 || find_upper(cp) != NULL; }

bool gz_is_lower_cp(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  if (gz_is_upper_cp(cp)) return false;
  if (cp >= 0x10D0 && cp <= 0x10FF) return false; /* Georgian Mkhedruli is caseless */
  return gz_is_alnum_cp(cp) && !(cp >= 0x2E80);   /* no case in CJK and beyond */
}

/* ASCII classes for word counting: 1 space, 2 letter or digit, 0 other. */
static const unsigned char ascii_class[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0};

size_t gz_count_words(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t words = 0;
  bool in_token = false, token_has_alnum = false;
  size_t i = 0;
  while (i < len) {
    unsigned cls;
    if (u[i] < 0x80) {
      cls = ascii_class[u[i]];
      i++;
    } else {
      uint32_t cp;
      i += gz_utf8_decode(u + i, len - i, &cp);
      cls = gz_is_space_cp(cp) ? 1 : gz_is_alnum_cp(cp) ? 2 : 0;
    }
    if (cls == 1) {
      if (in_token && token_has_alnum) words++;
      in_token = token_has_alnum = false;
      continue;
    }
    in_token = true;
    if (cls == 2) token_has_alnum = true;
  }
  if (in_token && token_has_alnum) words++;
  return words;
}
