/*
 * srcset.c - the choice of one picture among an <img srcset> or a
 * <picture>'s <source srcset> candidates.
 *
 * The candidates are read as the HTML standard's "parse a srcset
 * attribute" algorithm says (WHATWG HTML, 4.8.4.3.10, "Parsing a srcset
 * attribute"): a URL is a run of non-white-space characters whose
 * trailing commas end the candidate; descriptors follow up to a comma
 * outside parentheses; a candidate with a bad or repeated descriptor is
 * dropped. A digest has no viewport, so instead of the standard's
 * selection we take the largest width descriptor not above
 * GZ_SRCSET_WIDTH (what the writers scale to anyway), else the smallest
 * one above it; without width descriptors, the highest density.
 */
#include <stdlib.h>
#include <string.h>

#include "read/read.h"

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A descriptor "<number><letter>": the letter and the number's value;
 * false when it is not one (the standard's "valid non-negative integer"
 * for w and h, "valid floating-point number" for x). */
static bool descriptor(const char *s, size_t n, char *kind, double *value) {
  if (n < 2) return false;
  char k = s[n - 1];
  if (k >= 'A' && k <= 'Z') k = (char)(k + 32);
  if (k != 'w' && k != 'x' && k != 'h') return false;
  char num[32];
  if (n - 1 >= sizeof num) return false;
  memcpy(num, s, n - 1);
  num[n - 1] = '\0';
  for (size_t i = 0; i < n - 1; i++) {
    char c = num[i];
    bool digit = c >= '0' && c <= '9';
    if (k != 'x' && !digit) return false;
    if (k == 'x' && !digit && c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+')
      return false;
  }
  char *end;
  double v = strtod(num, &end);
  if (*end || v != v) return false;
  if (k == 'x' ? v < 0 : v <= 0) return false;
  *kind = k;
  *value = v;
  return true;
}

bool gz_srcset_best(const char *s, size_t len, const char **url, size_t *url_len) {
  const char *best = NULL;
  size_t best_len = 0;
  double best_w = 0, best_x = -1;
  bool best_is_w = false;
  size_t pos = 0;
  for (;;) {
    /* white space and commas before a candidate */
    while (pos < len && (is_space(s[pos]) || s[pos] == ',')) pos++;
    if (pos >= len) break;
    size_t u0 = pos;
    while (pos < len && !is_space(s[pos])) pos++;
    size_t u1 = pos;
    bool descriptors = true;
    if (u1 > u0 && s[u1 - 1] == ',') {
      while (u1 > u0 && s[u1 - 1] == ',') u1--;
      descriptors = false;
    }
    bool have_w = false, have_x = false, have_h = false, bad = false;
    double w = 0, x = 1;
    if (descriptors) {
      /* descriptor tokens up to a comma outside parentheses */
      while (pos < len && is_space(s[pos])) pos++;
      bool in_parens = false;
      size_t t0 = pos;
      for (;; pos++) {
        bool end = pos >= len;
        char c = end ? ',' : s[pos];
        if (in_parens) {
          if (c == ')') in_parens = false;
          if (!end) continue;
        }
        if (c == '(') {
          in_parens = true;
          continue;
        }
        if (is_space(c) || c == ',') {
          if (pos > t0) {
            char k;
            double v;
            if (!descriptor(s + t0, pos - t0, &k, &v))
              bad = true;
            else if (k == 'w') {
              if (have_w || have_x) bad = true;
              have_w = true, w = v;
            } else if (k == 'x') {
              if (have_w || have_x || have_h) bad = true;
              have_x = true, x = v;
            } else {
              if (have_h || have_x) bad = true;
              have_h = true;
            }
          }
          t0 = pos + 1;
          if (c == ',' || end) {
            if (!end) pos++;
            break;
          }
        }
      }
      /* "h" alone is not allowed: it needs a width */
      if (have_h && !have_w) bad = true;
    }
    if (bad || u1 == u0) continue;
    bool better;
    if (have_w) {
      if (!best_is_w)
        better = true;
      else if (best_w <= GZ_SRCSET_WIDTH)
        better = w <= GZ_SRCSET_WIDTH && w > best_w;
      else
        better = w < best_w;
      if (better) best_is_w = true, best_w = w;
    } else {
      better = !best_is_w && x > best_x;
      if (better) best_x = x;
    }
    if (better) best = s + u0, best_len = u1 - u0;
  }
  if (!best) return false;
  *url = best;
  *url_len = best_len;
  return true;
}

bool gz_image_type_ok(const char *type) {
  /* the MIME types the image library decodes (src/image/) */
  static const char *const ok[] = {"image/jpeg", "image/jpg", "image/pjpeg",
                                   "image/png",  "image/gif", "image/webp"};
  size_t n = strlen(type);
  while (n && is_space(type[n - 1])) n--;
  while (n && is_space(*type)) type++, n--;
  const char *semi = memchr(type, ';', n);
  if (semi) n = (size_t)(semi - type);
  while (n && is_space(type[n - 1])) n--;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (gz_ascii_ieq(type, n, ok[i])) return true;
  return false;
}
