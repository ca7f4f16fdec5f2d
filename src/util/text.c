/*
 * text.c - small string helpers: trimming, case-insensitive ASCII
 * comparison, white-space collapsing, error filling.
 */
#include <stdio.h>
#include <string.h>

#include <idn2.h>

#include "util/util.h"

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

bool gz_ascii_digits(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

long gz_ascii_number(const char *s, size_t len) {
  long v = 0;
  for (size_t i = 0; i < len; i++) v = v * 10 + (s[i] - '0');
  return v;
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

/* The "://" of a URL within s[0..n), which need not be NUL-terminated
 * (run hrefs are slices of a body's text): NULL when absent. */
static const char *find_scheme_sep(const char *s, size_t n) {
  for (const char *p = s; n >= 3 && (p = memchr(p, ':', n - 2 - (size_t)(p - s))) != NULL; p++)
    if (p[1] == '/' && p[2] == '/') return p;
  return NULL;
}

/* Longest host name handed to libidn2; DNS names are at most 253 bytes,
 * and a Unicode form of one is at most four times that. */
#define MAX_HOST 1024

/* Appends a host name as IDNA wants it on the wire: UTS #46 mapping
 * (case, width, "。" as a dot) and NFC by libidn2, non-ASCII labels as
 * "xn--" Punycode. A host of plain ASCII is kept as written. Returns -1
 * when libidn2 rejects the host (a label over 63 bytes, a disallowed
 * character): such a URL names no reachable host. */
static int encode_host(gz_buf *out, const char *s, size_t n) {
  bool ascii = true;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) ascii = false;
  if (ascii) return gz_buf_append(out, s, n);
  if (n > MAX_HOST) return -1;
  char host[MAX_HOST + 1];
  memcpy(host, s, n);
  host[n] = '\0';
  char *ace = NULL;
  if (idn2_to_ascii_8z(host, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK) return -1;
  int rc = gz_buf_puts(out, ace);
  idn2_free(ace);
  return rc;
}

/* Where the host of an http(s) URL s[0..n) lies: s[*at..*port), the
 * port and anything else up to the path following until *end. False for
 * another scheme. Browsers read "\\" as "/". */
static bool http_host(const char *s, size_t n, size_t *at, size_t *port, size_t *end) {
  const char *sep = find_scheme_sep(s, n);
  if (!sep || !(gz_ascii_iprefix(s, n, "http://") || gz_ascii_iprefix(s, n, "https://")))
    return false;
  size_t host = (size_t)(sep - s) + 3, e = host;
  while (e < n && s[e] != '/' && s[e] != '\\' && s[e] != '?' && s[e] != '#') e++;
  *at = host;
  for (size_t k = host; k < e; k++)
    if (s[k] == '@') *at = k + 1;
  *port = e;
  for (size_t k = *at; k < e; k++)
    if (s[k] == ':') *port = k;
  *end = e;
  return true;
}

void gz_url_host(const char *url, char *out, size_t cap) {
  const char *p = find_scheme_sep(url, strlen(url));
  p = p ? p + 3 : url;
  if (strncmp(p, "www.", 4) == 0) p += 4;
  size_t n = strcspn(p, "/?#:");
  if (n == 0) {
    gz_strlcpy(out, url, cap);
    return;
  }
  if (n >= cap) n = cap - 1;
  memcpy(out, p, n);
  out[n] = '\0';
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
  /* A host libidn2 rejects names nothing a reader could reach: the link
   * goes, its text stays. */
  size_t at, port, end;
  if (http_host(href, len, &at, &port, &end)) {
    gz_buf ace;
    gz_buf_init(&ace, NULL);
    ok = encode_host(&ace, href + at, port - at) == 0 && !ace.failed;
    gz_buf_free(&ace);
    if (!ok) return false;
  }
  *start = href;
  *out_len = len;
  return true;
}

static bool uri_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != 0 && strchr("-._~:/?#@!$&'()*+,;=", c) != NULL;
}

static bool hex_digit(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

int gz_uri_encode(gz_buf *out, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *u = (const unsigned char *)s;
  bool fragment = false;
  size_t i = 0;
  /* A non-ASCII host is written the IDNA way. */
  size_t at, port, end;
  bool http = http_host(s, n, &at, &port, &end);
  if (http) {
    gz_buf_append(out, s, at);
    if (encode_host(out, s + at, port - at)) return -1;
    gz_buf_append(out, s + port, end - port);
    i = end;
  }
  for (; i < n; i++) {
    unsigned char c = u[i];
    if (c == '\\' && http) c = '/';
    bool keep = uri_char(c);
    if (c == '#') keep = !fragment, fragment = true;
    if (c == '%') keep = i + 2 < n && hex_digit(u[i + 1]) && hex_digit(u[i + 2]);
    if (keep) {
      gz_buf_putc(out, (char)c);
    } else {
      char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
      gz_buf_append(out, esc, 3);
    }
  }
  return out->failed ? -1 : 0;
}

const char *gz_short(const char *s, char *buf, size_t cap) {
  size_t n = strlen(s);
  if (n < cap) {
    memcpy(buf, s, n + 1);
    return buf;
  }
  size_t cut = gz_utf8_floor(s, cap > 4 ? cap - 4 : 0);
  memcpy(buf, s, cut);
  memcpy(buf + cut, "\xE2\x80\xA6", 4); /* "..." and the NUL */
  return buf;
}

const char *gz_printable(const char *s, char *buf, size_t cap) {
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p && k + 5 < cap; p++) {
    if (*p < 0x20 || *p == 0x7F)
      k += (size_t)snprintf(buf + k, cap - k,
                            *p == '\n'   ? "\\n"
                            : *p == '\t' ? "\\t"
                                         : "\\x%02X",
                            *p);
    else
      buf[k++] = (char)*p;
  }
  buf[k] = '\0';
  return buf;
}

void gz_strlcpy(char *dst, const char *src, size_t cap) {
  if (cap == 0) return;
  size_t n = strlen(src);
  if (n >= cap) {
    n = gz_utf8_floor(src, cap - 1);
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
  gz_printable(file ? file : "", err->file, sizeof err->file);
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
