/*
 * text.c - small string helpers: trimming, case-insensitive ASCII
 * comparison, white-space collapsing, error filling.
 */
#include <stdio.h>
#include <string.h>

#include "util/util.h"

bool gz_is_ascii_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of a Unicode space at s (non-ASCII ones too), or 0. */
static size_t space_len(const unsigned char *s, size_t len) {
  if (len == 0) return 0;
  if (s[0] < 0x80) return gz_is_ascii_space(s[0]) ? 1 : 0;
  uint32_t cp;
  size_t n = gz_utf8_decode(s, len, &cp);
  return gz_is_space_cp(cp) ? n : 0;
}

/* Length of a Unicode space ending at s[len-1], or 0. */
static size_t space_len_back(const unsigned char *s, size_t len) {
  if (len == 0) return 0;
  if (s[len - 1] < 0x80) return gz_is_ascii_space(s[len - 1]) ? 1 : 0;
  size_t start = len - 1;
  while (start > 0 && (s[start] & 0xC0) == 0x80 && len - start < 4) start--;
  uint32_t cp;
  size_t n = gz_utf8_decode(s + start, len - start, &cp);
  return (n == len - start && gz_is_space_cp(cp)) ? n : 0;
}

void gz_trim(const char **s, size_t *len) {
  const unsigned char *u = (const unsigned char *)*s;
  size_t l = *len, n;
  while ((n = space_len(u, l)) > 0) {
    u += n;
    l -= n;
  }
  while ((n = space_len_back(u, l)) > 0) l -= n;
  *s = (const char *)u;
  *len = l;
}

static int ascii_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

bool gz_ascii_ieq(const char *a, size_t alen, const char *b) {
  size_t blen = strlen(b);
  if (alen != blen) return false;
  for (size_t i = 0; i < alen; i++)
    if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i])) return false;
  return true;
}

bool gz_ascii_iprefix(const char *s, size_t len, const char *prefix) {
  size_t plen = strlen(prefix);
  if (len < plen) return false;
  return gz_ascii_ieq(s, plen, prefix);
}

/* Bytes of the character at s, invalid bytes counting one each. */
static size_t char_len(const unsigned char *s, size_t len) {
  if (s[0] < 0x80) return 1;
  size_t n = gz_utf8_valid_len(s, len);
  return n ? n : 1;
}

int gz_buf_put_collapsed(gz_buf *b, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  bool pending_space = false, any = false;
  size_t i = 0;
  while (i < len) {
    size_t n = space_len(u + i, len - i);
    if (n) {
      pending_space = any;
      i += n;
      continue;
    }
    size_t start = i;
    while (i < len && !space_len(u + i, len - i)) i += char_len(u + i, len - i);
    if (pending_space && gz_buf_putc(b, ' ')) return -1;
    if (gz_buf_append(b, s + start, i - start)) return -1;
    pending_space = false;
    any = true;
  }
  return 0;
}

bool gz_has_ext(const char *name, const char *ext) {
  size_t n = strlen(name), e = strlen(ext);
  return n > e && gz_ascii_ieq(name + n - e, e, ext);
}

bool gz_safe_href(const char *href, size_t len, const char **start, size_t *out_len) {
  /* Browsers ignore leading/trailing spaces and controls: so do we, then
   * insist on a plain scheme with no hidden characters inside. */
  while (len > 0 && (unsigned char)href[0] <= ' ') href++, len--;
  while (len > 0 && (unsigned char)href[len - 1] <= ' ') len--;
  if (len == 0 || len > 8192) return false;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)href[i] < ' ' || href[i] == 0x7F) return false;
  size_t colon = 0;
  while (colon < len && href[colon] != ':') colon++;
  if (colon == len) return false;
  bool ok = false;
  if (gz_ascii_ieq(href, colon, "http") || gz_ascii_ieq(href, colon, "https"))
    ok = len > colon + 3 && href[colon + 1] == '/' && href[colon + 2] == '/';
  else if (gz_ascii_ieq(href, colon, "mailto"))
    ok = len > colon + 1;
  if (!ok) return false;
  *start = href;
  *out_len = len;
  return true;
}

void gz_strlcpy(char *dst, const char *src, size_t cap) {
  if (cap == 0) return;
  size_t n = strlen(src);
  if (n >= cap) {
    n = cap - 1;
    /* Do not cut a UTF-8 sequence in half. */
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
}

void gz_error_clear(gz_error *err) {
  if (!err) return;
  memset(err, 0, sizeof *err);
}

int gz_error_set(gz_error *err, gz_code code, const char *file, unsigned long line,
                 unsigned long col, const char *fmt, ...) {
  if (!err) return -1;
  err->code = code;
  err->line = line;
  err->col = col;
  gz_strlcpy(err->file, file ? file : "", sizeof err->file);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return -1;
}

const char *gz_code_name(gz_code code) {
  switch (code) {
  case GZ_OK:
    return "no error";
  case GZ_ERR_NOMEM:
    return "out of memory";
  case GZ_ERR_USAGE:
    return "usage error";
  case GZ_ERR_INPUT:
    return "unreadable input";
  case GZ_ERR_PARSE:
    return "malformed input";
  case GZ_ERR_LIMIT:
    return "limit exceeded";
  case GZ_ERR_EMPTY:
    return "nothing to write";
  case GZ_ERR_OUTPUT:
    return "output not written";
  case GZ_ERR_CANCELED:
    return "interrupted";
  case GZ_ERR_INTERNAL:
    return "internal error";
  }
  return "unknown error";
}
