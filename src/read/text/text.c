/*
 * text.c - the plain-text reader: pages scraped from news sites, and
 * email/archive style text.
 *
 * A file holds one article or several, separated by a line holding only a
 * form feed or five or more "=". In an article: the title is the first
 * non-blank line; "Key: value" header lines may follow; a line holding
 * only a date is metadata (the first is the publication date); from a
 * sidebar heading ("Latest news", ...) to the end is site chrome, and a
 * lone date closing it is the capture date. Lines repeated verbatim in many
 * articles of one dump are chrome too: that needs the whole dump, so it is
 * settled in gz_ingest_dump_end().
 */
#include <string.h>

#include "read/reader.h"

typedef struct line_rec {
  uint64_t off; /* into text */
  uint32_t len;
  unsigned long no;
} line_rec;

typedef struct gz_text_reader gz_text_reader;
struct gz_text_reader {
  gz_input *in;
  const char *path;
  gz_buf partial; /* a line split across chunks */
  bool partial_too_long;
  unsigned long line_no;
  /* the article being collected */
  gz_buf text;
  line_rec *lines;
  size_t n_lines, cap_lines;
  bool too_big;
  unsigned long long_line; /* a line over the limit, or 0 */
  gz_buf body;
  bool name_date_checked;
  bool name_dated;
  int64_t name_day;
};

static bool date_from_name(const char *path, int64_t *day);

/* Sidebar headings, English first (SPEC 1.2), then the same words as
 * Russian and Turkish sites print them. Matched case-insensitively. */
static const char *const sidebar_headings[] = {
    "latest news",    "related articles", "read more",         "most read",     "more news",
    "popular",        "recommended",      "последние новости", "читайте также", "похожие статьи",
    "самое читаемое", "другие новости",   "популярное",        "son haberler",  "ilgili haberler",
    "devamını oku",   "en çok okunanlar", "diğer haberler",    "popüler",
};

static bool is_blank(const char *s, size_t len) {
  gz_trim(&s, &len);
  return len == 0;
}

/* Length of the match of `heading` at the start of s, case-insensitively
 * (Unicode simple case), or 0. */
static size_t match_heading(const char *s, size_t len, const char *heading) {
  const unsigned char *u = (const unsigned char *)s, *h = (const unsigned char *)heading;
  size_t i = 0, j = 0, hl = strlen(heading);
  while (j < hl) {
    if (i >= len) return 0;
    uint32_t a, b;
    size_t na = gz_utf8_decode(u + i, len - i, &a);
    size_t nb = gz_utf8_decode(h + j, hl - j, &b);
    if (gz_lower_cp(a) != b) return 0;
    i += na;
    j += nb;
  }
  return i;
}

typedef enum sidebar { NOT_SIDEBAR = 0, SIDEBAR_ALONE, SIDEBAR_GLUED } sidebar;

static sidebar sidebar_kind(const char *s, size_t len) {
  if (len > 2000) return NOT_SIDEBAR; /* a headline glued on, in any script, is shorter */
  for (size_t k = 0; k < GZ_ARRAY_LEN(sidebar_headings); k++) {
    size_t m = match_heading(s, len, sidebar_headings[k]);
    if (!m) continue;
    const char *rest = s + m;
    size_t rl = len - m;
    gz_trim(&rest, &rl);
    if (rl == 0 || (rl == 1 && rest[0] == ':')) return SIDEBAR_ALONE;
    if (m == len) continue;
    /* Glued to the first headline, as scrapers flatten the sidebar:
     * "Latest newsForeign Interests". A space after the words means an
     * ordinary sentence ("Popular protests spread"). */
    uint32_t next;
    gz_utf8_decode((const unsigned char *)s + m, len - m, &next);
    /* The headline starts with a capital, a digit, a quote, or a letter
     * of a script without case (Georgian, ...): anything but a lower-case
     * letter continuing a word ("Popularity"). */
    bool letter = gz_is_alnum_cp(next) && !gz_is_lower_cp(next);
    if (letter || next == '"' || next == 0x201C || next == 0x201E || next == 0xAB || next == '\'' ||
        next == 0x2018)
      return SIDEBAR_GLUED;
  }
  return NOT_SIDEBAR;
}

/* A line holding only a date or a date-time. */
static bool date_line(const gz_digest *d, const char *s, size_t len, gz_when *when) {
  if (len < 6 || len > 64) return false;
  bool digit = false;
  for (size_t i = 0; i < len && !digit; i++) digit = s[i] >= '0' && s[i] <= '9';
  if (!digit) return false;
  gz_raw_date rd = {s, len, 0, 0, 0};
  return gz_raw_date_read(d, &rd, when);
}

typedef enum header { H_NONE = 0, H_DATE, H_AUTHOR, H_URL, H_TAGS } header;

static header header_kind(const char *s, size_t len, const char **value, size_t *vlen) {
  static const struct {
    const char *key;
    header kind;
  } keys[] = {{"date", H_DATE},  {"published", H_DATE}, {"author", H_AUTHOR}, {"by", H_AUTHOR},
              {"source", H_URL}, {"url", H_URL},        {"tags", H_TAGS}};
  const char *colon = memchr(s, ':', len);
  if (!colon) return H_NONE;
  const char *k = s;
  size_t kl = (size_t)(colon - s);
  gz_trim(&k, &kl);
  for (size_t i = 0; i < GZ_ARRAY_LEN(keys); i++) {
    if (!gz_ascii_ieq(k, kl, keys[i].key)) continue;
    *value = colon + 1;
    *vlen = (size_t)(s + len - *value);
    gz_trim(value, vlen);
    return *vlen ? keys[i].kind : H_NONE;
  }
  return H_NONE;
}

static void *text_new(gz_input *in, const char *path) {
  const gz_allocator *al = gz_digest_setup(in->d)->al;
  gz_text_reader *r = gz_malloc(al, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->in = in;
  r->path = path;
  gz_buf_init(&r->partial, al);
  gz_buf_init(&r->text, al);
  gz_buf_init(&r->body, al);
  return r;
}

static void text_free(void *self) {
  gz_text_reader *r = self;
  if (!r) return;
  const gz_allocator *al = gz_digest_setup(r->in->d)->al;
  gz_buf_free(&r->partial);
  gz_buf_free(&r->text);
  gz_buf_free(&r->body);
  gz_free(al, r->lines);
  gz_free(al, r);
}

static void reset_article(gz_text_reader *r) {
  gz_buf_clear(&r->text);
  r->n_lines = 0;
  r->too_big = false;
  r->long_line = 0;
}

static const char *line_text(gz_text_reader *r, size_t i, size_t *len) {
  const char *s = r->text.data + r->lines[i].off;
  *len = r->lines[i].len;
  gz_trim(&s, len);
  return s;
}

/* The column (in characters) of p, in line k. */
static unsigned long col_at(const gz_text_reader *r, size_t k, const char *p) {
  unsigned long col = 1;
  for (const char *s = r->text.data + r->lines[k].off; s < p; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) col++;
  return col;
}

static bool name_date(gz_text_reader *r, int64_t *day) {
  if (!r->name_date_checked) {
    r->name_date_checked = true;
    r->name_dated = r->path && date_from_name(r->path, &r->name_day);
  }
  *day = r->name_day;
  return r->name_dated;
}

static int process(gz_text_reader *r) {
  gz_input *in = r->in;
  gz_digest *d = in->d;
  size_t n = r->n_lines, i = 0, len;
  while (i < n && is_blank(r->text.data + r->lines[i].off, r->lines[i].len)) i++;
  if (i == n) return 0; /* nothing but blank lines: not an article */
  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = r->lines[i].no;
  raw.col = 1;
  raw.too_big = r->too_big; /* ingest says so, at the title */
  if (r->long_line && !r->too_big) {
    gz_ingest_skip(in, r->long_line, 1,
                   "line longer than the limit of %zu bytes; its article is skipped",
                   gz_digest_setup(d)->opts->max_line);
    return 0;
  }
  raw.title = line_text(r, i, &raw.title_len);
  raw.title_found = true;
  i++;

  /* Header lines, right after the title (one blank line allowed). */
  size_t j = i;
  const char *v;
  size_t vl;
  if (j + 1 < n && is_blank(r->text.data + r->lines[j].off, r->lines[j].len)) {
    const char *s = line_text(r, j + 1, &len);
    if (header_kind(s, len, &v, &vl) != H_NONE) j++;
  }
  bool any_header = false;
  for (; j < n; j++) {
    const char *s = line_text(r, j, &len);
    header h = header_kind(s, len, &v, &vl);
    if (h == H_NONE) break;
    any_header = true;
    switch (h) {
      case H_DATE:
        if (!raw.date.text) raw.date = (gz_raw_date){v, vl, 0, r->lines[j].no, col_at(r, j, v)};
        break;
      case H_AUTHOR:
        if (!raw.authors.n) raw.authors = (gz_raw_list){v, vl, 1};
        break;
      case H_URL:
        if (!raw.url) raw.url = v, raw.url_len = vl;
        break;
      case H_TAGS:
        if (!raw.tags.n) raw.tags = (gz_raw_list){v, vl, 1};
        break;
      default:
        break;
    }
  }
  if (any_header) i = j;
  gz_when w;
  bool header_dated = raw.date.text && gz_raw_date_read(d, &raw.date, &w);

  /* The rest: body, date lines, chrome. */
  size_t last = n;
  while (last > i && is_blank(r->text.data + r->lines[last - 1].off, r->lines[last - 1].len))
    last--;
  size_t chrome_at = SIZE_MAX, pub_line = SIZE_MAX;
  gz_buf *body = &r->body;
  gz_buf_clear(body);
  for (size_t k = i; k < last; k++) {
    const char *s = line_text(r, k, &len);
    if (chrome_at != SIZE_MAX) {
      if (gz_digest_setup(d)->opts->keep_chrome)
        gz_buf_append(body, s, len), gz_buf_putc(body, '\n');
      continue;
    }
    if (len == 0) {
      gz_buf_putc(body, '\n');
      continue;
    }
    if (date_line(d, s, len, &w)) {
      /* The first is the publication date, unless a header gave one. */
      if (!raw.date.text) {
        raw.date = (gz_raw_date){s, len, 0, r->lines[k].no, col_at(r, k, s)};
        pub_line = k;
      }
      continue; /* metadata, never body */
    }
    if (sidebar_kind(s, len) != NOT_SIDEBAR) {
      chrome_at = k;
      if (gz_digest_setup(d)->opts->keep_chrome)
        gz_buf_append(body, s, len), gz_buf_putc(body, '\n');
      continue;
    }
    gz_buf_append(body, s, len);
    gz_buf_putc(body, '\n');
  }
  /* The capture date: a lone date closing the article after the chrome
   * (or after the publication date), set off by a blank line. */
  if (last > i + 1) {
    const char *s = line_text(r, last - 1, &len);
    size_t pl;
    line_text(r, last - 2, &pl);
    bool after =
        chrome_at != SIZE_MAX || (pub_line != SIZE_MAX && pub_line < last - 1) || header_dated;
    if (pl == 0 && after && last - 1 != pub_line && date_line(d, s, len, &w)) {
      raw.has_captured = true;
      raw.captured_day = w.day;
    }
  }
  raw.has_fallback_day = name_date(r, &raw.fallback_day);
  if (body->failed || r->text.failed) {
    in->failed = true;
    return gz_error_set(in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  raw.body = gz_buf_cstr(body);
  raw.body_len = body->len;
  raw.body_kind = GZ_BODY_TEXT;
  return gz_ingest_raw(in, &raw);
}

static bool separator(const char *s, size_t len) {
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  if (len == 1 && s[0] == '\f') return true;
  if (len < 5) return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] != '=') return false;
  return true;
}

static int end_article(gz_text_reader *r) {
  int rc = process(r);
  reset_article(r);
  return rc;
}

static int add_line(gz_text_reader *r, const char *s, size_t len, bool too_long) {
  r->line_no++;
  if (!too_long && separator(s, len)) return end_article(r);
  if (too_long) {
    if (!r->long_line) r->long_line = r->line_no;
    len = 0;
  }
  if (r->too_big) return 0;
  if (r->text.len + len + 1 > gz_digest_setup(r->in->d)->opts->max_article_size) {
    r->too_big = true;
    /* Keep the first line (the title) for the message's position. */
    return 0;
  }
  if (gz_grow(gz_digest_setup(r->in->d)->al, (void **)&r->lines, &r->cap_lines, r->n_lines + 1,
              sizeof *r->lines)) {
    r->in->failed = true;
    return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  line_rec *l = &r->lines[r->n_lines++];
  l->off = r->text.len;
  l->len = (uint32_t)len;
  l->no = r->line_no;
  gz_buf_append(&r->text, s, len);
  gz_buf_putc(&r->text, '\n');
  if (r->text.failed) { /* process() must not read a text that is not there */
    r->in->failed = true;
    return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  return 0;
}

static int text_feed(void *self, const char *s, size_t n) {
  gz_text_reader *r = self;
  const char *p = s, *end = s + n;
  size_t max_line = gz_digest_setup(r->in->d)->opts->max_line;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t seg = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (r->partial.len || r->partial_too_long || !nl) {
      if (!r->partial_too_long) {
        if (r->partial.len + seg > max_line) {
          r->partial_too_long = true;
          gz_buf_clear(&r->partial);
        } else {
          gz_buf_append(&r->partial, p, seg);
        }
      }
      if (nl) {
        int rc = add_line(r, gz_buf_cstr(&r->partial), r->partial.len, r->partial_too_long);
        gz_buf_clear(&r->partial);
        r->partial_too_long = false;
        if (rc) return -1;
      }
    } else if (seg > max_line) {
      if (add_line(r, p, 0, true)) return -1;
    } else if (add_line(r, p, seg, false)) {
      return -1;
    }
    if (r->in->failed) return -1;
    if (!nl) break;
    p = nl + 1;
  }
  if (r->partial.failed) {
    r->in->failed = true;
    return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  return 0;
}

static int text_finish(void *self) {
  gz_text_reader *r = self;
  if (r->partial.len || r->partial_too_long) {
    if (add_line(r, gz_buf_cstr(&r->partial), r->partial.len, r->partial_too_long)) return -1;
    gz_buf_clear(&r->partial);
  }
  return end_article(r);
}

/* ---- dates in file names ---- */

/* Finds a date in a file name ("2020-12-07", "20201207"). */
static bool date_from_name(const char *path, int64_t *day) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && base[i - 1] >= '0' && base[i - 1] <= '9') continue;
    int y = 0, m = 0, dd = 0;
    size_t used = 0;
    const char *d = base + i;
    if (i + 10 <= n && gz_ascii_digits(d, 4) && d[4] == '-' && gz_ascii_digits(d + 5, 2) &&
        d[7] == '-' && gz_ascii_digits(d + 8, 2)) {
      y = (int)gz_ascii_number(d, 4), m = (int)gz_ascii_number(d + 5, 2);
      dd = (int)gz_ascii_number(d + 8, 2);
      used = 10;
    } else if (i + 8 <= n && gz_ascii_digits(d, 8)) {
      y = (int)gz_ascii_number(d, 4), m = (int)gz_ascii_number(d + 4, 2);
      dd = (int)gz_ascii_number(d + 6, 2);
      used = 8;
    }
    if (!used) continue;
    if (i + used < n && base[i + used] >= '0' && base[i + used] <= '9') continue;
    if (y < 1900 || y > 2199 || !gz_valid_civil(y, m, dd)) continue;
    *day = gz_days_from_civil(y, m, dd);
    return true;
  }
  return false;
}

/* ---- the reader's row ---- */

static const char *const text_ext[] = {".txt", NULL};

/* No sniff: the table's fallback, for what no other reader claims. */
const gz_reader_class gz_reader_text = {"text",   "scraped text", text_ext,    NULL,
                                        text_new, text_feed,      text_finish, text_free};
