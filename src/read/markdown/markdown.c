/*
 * markdown.c - the Markdown reader: one article per .md or .markdown
 * file, as static-site generators keep their posts.
 *
 * The shapes, as their owners define them:
 *   Hugo front matter    https://gohugo.io/content-management/front-matter/
 *                        (YAML between "---" lines, TOML between "+++")
 *   Hugo's date keys     https://gohugo.io/configuration/front-matter/
 *                        (date, publishdate, pubdate, published; lastmod,
 *                        modified for the last change; keys in any case)
 *   Jekyll posts         https://jekyllrb.com/docs/posts/ (file names
 *                        YEAR-MONTH-DAY-title.MARKUP, the date of a post
 *                        without one in its front matter) and
 *                        https://jekyllrb.com/docs/front-matter/ (tags and
 *                        categories as a YAML list or a space-separated
 *                        string; "published: false" leaves a post out)
 *   Eleventy             https://www.11ty.dev/docs/data-frontmatter/
 *   Astro's blog schema  https://docs.astro.build/en/tutorial/6-islands/4/
 *                        (pubDate, updatedDate, heroImage)
 *
 * The file is gathered up to --max-article-size (one file is one article;
 * a larger one is skipped with ingest's message). Its front matter gives
 * the fields: YAML through libyaml's document API; TOML by hand, the flat
 * subset Hugo's front matter uses (see toml_read), since Debian 12 has no
 * C TOML library (only C++ ones: cpptoml, toml11, toml++). A front matter
 * that cannot be read (malformed YAML, an unreadable TOML line, no closing
 * line) is said in a warning naming its line and column, and the file is
 * read as Markdown without metadata: the text is still the article.
 *
 * The body is converted by libcmark with its default options, under which
 * raw HTML is replaced by a comment and javascript: links are emptied, and
 * handed to ingest as HTML, so the allow-list sanitiser applies as to any
 * HTML body. Without a title in the front matter, the first level-1
 * heading is the title (and leaves the body); else the file name is.
 */
#include <cmark.h>
#include <string.h>
#include <yaml.h>

#include "read/reader.h"
#include "time/gztime.h"

/* Front matter is a few lines of fields: a larger one is not parsed, as a
 * YAML parser's nodes take many times the bytes of their text. */
#define FRONT_MATTER_MAX (256u * 1024u)

/* The front matter's keys read, with the names that give them. */
typedef enum key {
  K_TITLE = 0,
  K_DATE,
  K_PUBLISHDATE,
  K_PUBDATE,
  K_PUBLISHED,
  K_LASTMOD,
  K_AUTHORS,
  K_AUTHOR,
  K_TAGS,
  K_CATEGORIES,
  K_SUMMARY,
  K_DESCRIPTION,
  K_IMAGE,
  K_IMAGES,
  K_LANG,
  K_DRAFT,
  K_URL,
  K_COUNT,
  K_HUGO, /* a key only Hugo has: tells the shape */
  K_NONE
} key;

static const struct {
  const char *name;
  key k;
} key_names[] = {
    {"title", K_TITLE},
    {"date", K_DATE},
    {"publishdate", K_PUBLISHDATE},
    {"pubdate", K_PUBDATE},
    {"published", K_PUBLISHED},
    {"lastmod", K_LASTMOD},
    {"modified", K_LASTMOD},
    {"updateddate", K_LASTMOD},
    {"updated", K_LASTMOD},
    {"authors", K_AUTHORS},
    {"author", K_AUTHOR},
    {"tags", K_TAGS},
    {"categories", K_CATEGORIES},
    {"summary", K_SUMMARY},
    {"description", K_DESCRIPTION},
    {"image", K_IMAGE},
    {"cover", K_IMAGE},
    {"featured_image", K_IMAGE},
    {"heroimage", K_IMAGE},
    {"images", K_IMAGES},
    {"lang", K_LANG},
    {"language", K_LANG},
    {"draft", K_DRAFT},
    {"slug", K_URL},
    {"url", K_URL},
    {"permalink", K_URL},
    /* Hugo's own (its front matter docs' field list) */
    {"aliases", K_HUGO},
    {"expirydate", K_HUGO},
    {"linktitle", K_HUGO},
    {"weight", K_HUGO},
    {"outputs", K_HUGO},
    {"params", K_HUGO},
};

static key key_of(const char *s, size_t n) {
  for (size_t i = 0; i < GZ_ARRAY_LEN(key_names); i++)
    if (gz_ascii_ieq(s, n, key_names[i].name)) return key_names[i].k;
  return K_NONE;
}

/* The values of one key: items separated by NUL bytes. */
typedef struct value {
  gz_buf items;
  uint32_t n;
  unsigned long line, col;
  bool truthy; /* a true boolean (draft: true) */
  bool falsy;  /* a false boolean (published: false) */
} value;

typedef struct md_reader {
  gz_input *in;
  const gz_allocator *al;
  const char *path;
  gz_buf text;
  uint64_t bytes;
  bool too_big;
  value v[K_COUNT];
  bool hugo_keys;
  bool toml;
  gz_buf tmp;
} md_reader;

static int nomem(md_reader *r) {
  if (!r->in->failed) gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  r->in->failed = true;
  return -1;
}

static void forget_fields(md_reader *r) {
  for (int k = 0; k < K_COUNT; k++) {
    gz_buf_clear(&r->v[k].items);
    r->v[k].n = 0;
    r->v[k].truthy = r->v[k].falsy = false;
  }
  r->hugo_keys = false;
}

static bool failed_fields(const md_reader *r) {
  for (int k = 0; k < K_COUNT; k++)
    if (r->v[k].items.failed) return true;
  return false;
}

/* Is a plain (unquoted) scalar a YAML 1.1 boolean, as Jekyll's Ruby YAML
 * reads it (Hugo's YAML 1.2 knows true and false only)? 1 true, 0 false,
 * -1 neither. */
static int yaml_bool(const char *s, size_t n) {
  static const char *const yes[] = {"true", "yes", "on"};
  static const char *const no[] = {"false", "no", "off"};
  for (size_t i = 0; i < 3; i++) {
    if (gz_ascii_ieq(s, n, yes[i])) return 1;
    if (gz_ascii_ieq(s, n, no[i])) return 0;
  }
  return -1;
}

/* Adds an item to key k's values (the first place it was given is kept). */
static void put(md_reader *r, key k, const char *s, size_t n, unsigned long line,
                unsigned long col) {
  value *v = &r->v[k];
  gz_trim(&s, &n);
  if (n == 0) return;
  if (v->n == 0) v->line = line, v->col = col;
  gz_buf_append(&v->items, s, n);
  gz_buf_putc(&v->items, '\0');
  v->n++;
}

/* The first item of key k, or NULL. */
static const char *first(const md_reader *r, key k, size_t *len) {
  const value *v = &r->v[k];
  if (v->n == 0) return NULL;
  *len = strlen(v->items.data);
  return v->items.data;
}

/* ---- YAML ---- */

/* Lines the front matter's text starts after (its opening line). */
typedef struct yaml_ctx {
  md_reader *r;
  yaml_document_t *doc;
  unsigned long line0;
} yaml_ctx;

static void yaml_pos(const yaml_ctx *y, const yaml_node_t *n, unsigned long *line,
                     unsigned long *col) {
  *line = y->line0 + (unsigned long)n->start_mark.line;
  *col = (unsigned long)n->start_mark.column + 1;
}

/* A scalar's text, or NULL. */
static const char *scalar(const yaml_node_t *n, size_t *len) {
  if (!n || n->type != YAML_SCALAR_NODE) return NULL;
  *len = n->data.scalar.length;
  return (const char *)n->data.scalar.value;
}

/* The scalar under one of `names` in mapping m, or NULL. */
static const yaml_node_t *map_get(yaml_document_t *doc, const yaml_node_t *m,
                                  const char *const *names) {
  if (!m || m->type != YAML_MAPPING_NODE) return NULL;
  for (const char *const *name = names; *name; name++)
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
      size_t n;
      const char *s = scalar(yaml_document_get_node(doc, p->key), &n);
      const yaml_node_t *val = yaml_document_get_node(doc, p->value);
      if (s && gz_ascii_ieq(s, n, *name) && val && val->type == YAML_SCALAR_NODE) return val;
    }
  return NULL;
}

/* Adds a value node to key k: a scalar, each scalar of a sequence, or of
 * a mapping the item named by `names` ({name: ...} of an author, {image:
 * ...} of a cover). */
static void yaml_put(yaml_ctx *y, key k, const yaml_node_t *n, const char *const *names) {
  unsigned long line, col;
  size_t len;
  if (!n) return;
  if (n->type == YAML_MAPPING_NODE) n = map_get(y->doc, n, names);
  if (!n) return;
  yaml_pos(y, n, &line, &col);
  if (n->type == YAML_SCALAR_NODE) {
    const char *s = scalar(n, &len);
    bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    int b = plain ? yaml_bool(s, len) : -1;
    if (b == 1) y->r->v[k].truthy = true;
    if (b == 0) y->r->v[k].falsy = true;
    if (b != -1 && k != K_TITLE) return;
    put(y->r, k, s, len, line, col);
    return;
  }
  if (n->type != YAML_SEQUENCE_NODE) return;
  for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
    const yaml_node_t *item = yaml_document_get_node(y->doc, *i);
    if (item && item->type == YAML_MAPPING_NODE) item = map_get(y->doc, item, names);
    const char *s = scalar(item, &len);
    if (!s) continue;
    yaml_pos(y, item, &line, &col);
    put(y->r, k, s, len, line, col);
  }
}

/* Reads the keys of a mapping; `nested` for params: (Hugo's own fields'
 * place), whose keys give way to the top level's. */
static void yaml_keys(yaml_ctx *y, const yaml_node_t *m, bool nested) {
  static const char *const person[] = {"name", NULL};
  static const char *const picture[] = {"image", "path", "src", "url", "feature", NULL};
  for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
    size_t n;
    const char *s = scalar(yaml_document_get_node(y->doc, p->key), &n);
    const yaml_node_t *val = yaml_document_get_node(y->doc, p->value);
    if (!s || !val) continue;
    key k = key_of(s, n);
    if (k == K_HUGO) {
      y->r->hugo_keys = true;
      if (!nested && gz_ascii_ieq(s, n, "params") && val->type == YAML_MAPPING_NODE)
        yaml_keys(y, val, true);
      continue;
    }
    if (gz_ascii_ieq(s, n, "lastmod") || gz_ascii_ieq(s, n, "publishdate")) y->r->hugo_keys = true;
    if (k == K_NONE || (nested && y->r->v[k].n)) continue;
    if (k == K_IMAGE && y->r->v[k].n) continue; /* image over cover over the rest */
    yaml_put(y, k, val, k == K_IMAGE || k == K_IMAGES ? picture : person);
  }
}

/* Reads YAML front matter s[0..n), which starts at line `line0`; false
 * (with a warning) when it cannot be read. */
static bool yaml_read(md_reader *r, const char *s, size_t n, unsigned long line0) {
  yaml_parser_t parser;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&parser)) return nomem(r), false;
  yaml_parser_set_input_string(&parser, (const unsigned char *)s, n);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  bool ok = yaml_parser_load(&parser, &doc);
  if (!ok) {
    if (parser.error == YAML_MEMORY_ERROR) {
      yaml_parser_delete(&parser);
      return nomem(r), false;
    }
    unsigned long line = line0 + (unsigned long)parser.problem_mark.line;
    unsigned long col = (unsigned long)parser.problem_mark.column + 1;
    gz_diag_add(r->in->d, GZ_SEV_WARNING, r->in->name, line, col,
                "the YAML front matter cannot be read (%s%s%s); the file is read as Markdown "
                "without metadata",
                parser.problem ? parser.problem : "malformed", parser.context ? ", " : "",
                parser.context ? parser.context : "");
    yaml_parser_delete(&parser);
    return false;
  }
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  bool mapping = !root || root->type == YAML_MAPPING_NODE;
  if (root && mapping) {
    yaml_ctx y = {r, &doc, line0};
    yaml_keys(&y, root, false);
  } else if (root) {
    gz_diag_add(r->in->d, GZ_SEV_WARNING, r->in->name, line0 + root->start_mark.line,
                root->start_mark.column + 1,
                "the YAML front matter is not a mapping of keys to values; the file is read as "
                "Markdown without metadata");
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return mapping;
}

/* ---- TOML ---- */

/* Reads one TOML string starting at s[*i] (a basic "..." string with its
 * escapes, or a literal '...' one) into out. False when it is not one or
 * is not closed on its line. */
static bool toml_string(const char *s, size_t n, size_t *i, gz_buf *out) {
  char q = s[*i];
  size_t k = *i + 1;
  gz_buf_clear(out);
  if (k + 1 < n && s[k] == q && s[k + 1] == q) return false; /* multi-line strings: not read */
  while (k < n && s[k] != q) {
    if (s[k] == '\n') return false;
    if (q == '"' && s[k] == '\\' && k + 1 < n) {
      char e = s[k + 1];
      static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
      const char *m = strchr(from, e);
      if (m && e) {
        gz_buf_putc(out, to[m - from]);
        k += 2;
        continue;
      }
      size_t digits = e == 'u' ? 4 : e == 'U' ? 8 : 0;
      if (!digits || k + 2 + digits > n) return false;
      uint32_t cp = 0;
      for (size_t j = 0; j < digits; j++) {
        char c = s[k + 2 + j];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return false;
        cp = cp * 16 + (uint32_t)d;
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
      char u[4];
      gz_buf_append(out, u, gz_utf8_encode(cp, u));
      k += 2 + digits;
      continue;
    }
    gz_buf_putc(out, s[k++]);
  }
  if (k >= n) return false;
  *i = k + 1;
  return true;
}

/* The column (in characters) of s[i] in the line starting at s[start]. */
static unsigned long col_of(const char *s, size_t start, size_t i) {
  unsigned long col = 1;
  for (size_t k = start; k < i; k++)
    if (((unsigned char)s[k] & 0xC0) != 0x80) col++;
  return col;
}

static size_t skip_blank(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  return i;
}

/* Is the rest of s from i blank or a comment? */
static bool line_rest_empty(const char *s, size_t n, size_t i) {
  i = skip_blank(s, n, i);
  return i >= n || s[i] == '\n' || s[i] == '#';
}

/* Reads the TOML front matter s[0..n), starting at line `line0`. Only the
 * subset Hugo's front matter uses is read, by hand (no C library in
 * Debian 12): bare or quoted keys; basic and literal strings on one line;
 * unquoted dates, numbers and booleans as their text; arrays of those,
 * across lines; a [params] table, whose keys give way to the top level's
 * (other tables are passed over). A line that does not fit is a warning
 * naming its line and column, and no field is kept. */
static bool toml_read(md_reader *r, const char *s, size_t n, unsigned long line0) {
  unsigned long line = line0;
  size_t i = 0;
  bool in_params = false, in_other = false;
  gz_buf *str = &r->tmp;
  while (i < n) {
    size_t start = i;
    i = skip_blank(s, n, i);
    unsigned long col = col_of(s, start, i);
    if (line_rest_empty(s, n, i)) goto next_line;
    if (s[i] == '[') { /* a table header */
      size_t e = i;
      while (e < n && s[e] != '\n' && s[e] != ']') e++;
      if (e >= n || s[e] != ']') goto bad;
      const char *name = s + i + 1;
      size_t len = e - i - 1;
      gz_trim(&name, &len);
      in_params = gz_ascii_ieq(name, len, "params");
      in_other = !in_params;
      r->hugo_keys = r->hugo_keys || in_params;
      i = e + 1;
      goto next_line;
    }
    /* the key */
    const char *k;
    size_t kl;
    if (s[i] == '"' || s[i] == '\'') {
      if (!toml_string(s, n, &i, str)) goto bad;
      k = gz_buf_cstr(str);
      kl = str->len;
    } else {
      size_t e = i;
      while (e < n && (gz_is_alnum_cp((unsigned char)s[e]) || s[e] == '_' || s[e] == '-')) e++;
      if (e == i) goto bad;
      k = s + i, kl = e - i;
      i = e;
    }
    key kk = in_other ? K_NONE : key_of(k, kl);
    i = skip_blank(s, n, i);
    if (i >= n || s[i] != '=') goto bad;
    i = skip_blank(s, n, i + 1);
    if (i >= n || s[i] == '\n') goto bad;
    col = col_of(s, start, i);
    if (kk == K_HUGO) r->hugo_keys = true;
    bool keep = kk < K_COUNT && !(in_params && r->v[kk].n);
    if (kk == K_IMAGE && r->v[kk].n) keep = false;
    /* the value: a string, an array, or a bare word */
    int depth = 0;
    do {
      i = skip_blank(s, n, i);
      if (i < n && s[i] == '\n') {
        line++;
        start = ++i;
        continue;
      }
      if (i < n && s[i] == '#' && depth > 0) { /* a comment inside an array */
        while (i < n && s[i] != '\n') i++;
        continue;
      }
      if (i >= n) goto bad;
      col = col_of(s, start, i);
      char c = s[i];
      if (c == '[') {
        depth++, i++;
      } else if (c == ']' && depth > 0) {
        depth--, i++;
      } else if (c == ',' && depth > 0) {
        i++;
      } else if (c == '"' || c == '\'') {
        if (!toml_string(s, n, &i, str)) goto bad;
        if (keep) put(r, kk, str->data ? str->data : "", str->len, line, col);
      } else if (c == '{') {
        /* an inline table: passed over (none of the fields read is one) */
        while (i < n && s[i] != '}' && s[i] != '\n') i++;
        if (i >= n || s[i] != '}') goto bad;
        i++;
      } else {
        size_t e = i;
        while (e < n && s[e] != '\n' && s[e] != ',' && s[e] != ']' && s[e] != '#') e++;
        const char *w = s + i;
        size_t wl = e - i;
        gz_trim(&w, &wl);
        if (wl == 0) goto bad;
        int b = gz_ascii_ieq(w, wl, "true") ? 1 : gz_ascii_ieq(w, wl, "false") ? 0 : -1;
        if (keep && b == 1) r->v[kk].truthy = true;
        if (keep && b == 0) r->v[kk].falsy = true;
        if (keep && b == -1) put(r, kk, w, wl, line, col);
        i = e;
      }
    } while (depth > 0);
    if (!line_rest_empty(s, n, i)) {
      col = col_of(s, start, i);
      goto bad;
    }
  next_line:
    while (i < n && s[i] != '\n') i++;
    if (i < n) i++, line++;
    continue;
  bad:
    forget_fields(r);
    gz_diag_add(r->in->d, GZ_SEV_WARNING, r->in->name, line, col,
                "the TOML front matter cannot be read here (gazette reads key = value lines of "
                "strings, dates, booleans and arrays); the file is read as Markdown without "
                "metadata");
    return false;
  }
  return true;
}

/* ---- the front matter's place ---- */

/* Is s[0..n) (a line without its newline) `mark` alone, trailing spaces
 * allowed? */
static bool fence(const char *s, size_t n, const char *mark) {
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return n == 3 && memcmp(s, mark, 3) == 0;
}

/* Finds the front matter: true when the text opens with one, with its
 * content s[*fm, *fm + *fm_len) and the body from *body; *closed false
 * when no closing line was found. */
static bool front_matter(const char *s, size_t n, const char **mark, size_t *fm, size_t *fm_len,
                         size_t *body, bool *closed) {
  const char *nl = memchr(s, '\n', n);
  size_t first = nl ? (size_t)(nl - s) : n;
  if (fence(s, first, "---"))
    *mark = "---";
  else if (fence(s, first, "+++"))
    *mark = "+++";
  else
    return false;
  *fm = nl ? first + 1 : n;
  for (size_t i = *fm; i < n;) {
    const char *e = memchr(s + i, '\n', n - i);
    size_t len = e ? (size_t)(e - (s + i)) : n - i;
    /* YAML may also end its document with "..." (Jekyll does not) */
    if (fence(s + i, len, *mark) || (**mark == '-' && fence(s + i, len, "..."))) {
      *fm_len = i - *fm;
      *body = e ? i + len + 1 : n;
      *closed = true;
      return true;
    }
    i += len + (e != NULL);
  }
  *closed = false;
  return true;
}

/* ---- file names ---- */

/* The base name of a path and its length without the extension. */
static const char *base_name(const char *path, size_t *stem) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  const char *dot = strrchr(b, '.');
  *stem = dot && dot > b ? (size_t)(dot - b) : strlen(b);
  return b;
}

/* A Jekyll post's name: YEAR-MONTH-DAY-title (jekyllrb.com/docs/posts):
 * its day, and where the title part starts. */
static bool jekyll_name(const char *b, size_t n, int64_t *day, size_t *rest) {
  if (n < 12 || !gz_ascii_digits(b, 4) || b[4] != '-' || !gz_ascii_digits(b + 5, 2) ||
      b[7] != '-' || !gz_ascii_digits(b + 8, 2) || b[10] != '-')
    return false;
  int y = (int)gz_ascii_number(b, 4), m = (int)gz_ascii_number(b + 5, 2),
      d = (int)gz_ascii_number(b + 8, 2);
  if (!gz_valid_civil(y, m, d)) return false;
  *day = gz_days_from_civil(y, m, d);
  *rest = 11;
  return true;
}

/* A title from a file name as Jekyll makes one from a slug (its
 * Utils.titleize_slug: words split at '-', '_' and spaces, each
 * capitalised; here ASCII letters only change case). */
static void title_from_name(const char *s, size_t n, gz_buf *out) {
  bool word_start = true;
  gz_buf_clear(out);
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '-' || c == '_' || c == ' ') {
      if (!word_start) gz_buf_putc(out, ' ');
      word_start = true;
      continue;
    }
    if (c >= 'a' && c <= 'z' && word_start) c = (char)(c - 'a' + 'A');
    if (c >= 'A' && c <= 'Z' && !word_start) c = (char)(c - 'A' + 'a');
    gz_buf_putc(out, c);
    word_start = false;
  }
  while (out->len && out->data[out->len - 1] == ' ') out->len--;
}

/* ---- the article ---- */

static bool http_url(const char *s, size_t n) {
  return (n > 7 && gz_ascii_ieq(s, 7, "http://")) || (n > 8 && gz_ascii_ieq(s, 8, "https://"));
}

/* Splits a tag or category string as Jekyll does (at spaces), or at
 * commas when it has any, into `out`. */
static void put_terms(gz_buf *out, uint32_t *count, const char *s, size_t n) {
  bool commas = memchr(s, ',', n) != NULL;
  size_t i = 0;
  while (i < n) {
    size_t e = i;
    while (e < n && (commas ? s[e] != ',' : (s[e] != ' ' && s[e] != '\t'))) e++;
    const char *t = s + i;
    size_t tl = e - i;
    gz_trim(&t, &tl);
    if (tl) {
      gz_buf_append(out, t, tl);
      gz_buf_putc(out, '\0');
      (*count)++;
    }
    i = e + 1;
  }
}

/* The terms of key k into out: each item of a list, or the words of a
 * single string. */
static void add_terms(const md_reader *r, key k, gz_buf *out, uint32_t *count) {
  const value *v = &r->v[k];
  const char *p = v->items.data;
  for (uint32_t i = 0; i < v->n; i++) {
    size_t len = strlen(p);
    if (v->n == 1)
      put_terms(out, count, p, len);
    else {
      gz_buf_append(out, p, len + 1);
      (*count)++;
    }
    p += len + 1;
  }
}

/* Does a heading's HTML say the same as the title (its text, white space
 * collapsed, ASCII case ignored)? */
static bool same_text(md_reader *r, const char *heading, const char *title, size_t len) {
  gz_buf_clear(&r->tmp);
  gz_html_to_text(r->in->html, heading, strlen(heading), &r->tmp);
  gz_buf t;
  gz_buf_init(&t, r->al);
  gz_buf_put_collapsed(&t, title, len);
  bool same = !r->tmp.failed && !t.failed && r->tmp.len && r->tmp.len == t.len &&
              gz_ascii_ieq(r->tmp.data, r->tmp.len, gz_buf_cstr(&t));
  gz_buf_free(&t);
  return same;
}

/* Renders the Markdown body with libcmark. Without a title (title NULL)
 * the first level-1 heading is taken out as one, into *heading; with one,
 * a level-1 heading opening the body that repeats it is left out (posts
 * often open with their title). Returns the HTML (libcmark's allocation)
 * or NULL. */
static char *render(md_reader *r, const char *s, size_t n, const char *title, size_t title_len,
                    char **heading) {
  cmark_node *doc = cmark_parse_document(s, n, CMARK_OPT_DEFAULT);
  if (!doc) return NULL;
  *heading = NULL;
  for (cmark_node *b = cmark_node_first_child(doc); b; b = cmark_node_next(b)) {
    bool h1 = cmark_node_get_type(b) == CMARK_NODE_HEADING && cmark_node_get_heading_level(b) == 1;
    if (title && !h1) break;
    if (!h1) continue;
    char *h = cmark_render_html(b, CMARK_OPT_DEFAULT);
    bool take = !title || (h && same_text(r, h, title, title_len));
    if (take) {
      cmark_node_unlink(b);
      cmark_node_free(b);
    }
    if (!title)
      *heading = h;
    else if (h)
      cmark_get_default_mem_allocator()->free(h);
    break;
  }
  char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
  cmark_node_free(doc);
  return html;
}

static int article(md_reader *r) {
  gz_input *in = r->in;
  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = raw.col = 1;
  raw.bytes = r->bytes;
  raw.too_big = r->too_big;
  if (r->too_big) return gz_ingest_raw(in, &raw);
  const char *s = r->text.data ? r->text.data : "";
  size_t n = r->text.len;

  const char *mark = NULL;
  size_t fm = 0, fm_len = 0, body = 0;
  bool closed = false;
  if (front_matter(s, n, &mark, &fm, &fm_len, &body, &closed)) {
    if (!closed) {
      gz_diag_add(in->d, GZ_SEV_WARNING, in->name, 1, 1,
                  "the front matter opened here has no closing %s line; the file is read as "
                  "Markdown without metadata",
                  mark);
      body = 0;
    } else if (fm_len > FRONT_MATTER_MAX) {
      gz_diag_add(in->d, GZ_SEV_WARNING, in->name, 1, 1,
                  "the front matter is larger than %u bytes; the file is read as Markdown "
                  "without metadata",
                  FRONT_MATTER_MAX);
    } else if (*mark == '-') {
      yaml_read(r, s + fm, fm_len, 2);
    } else {
      r->toml = true;
      toml_read(r, s + fm, fm_len, 2);
    }
    if (in->failed) return -1;
    if (failed_fields(r) || r->tmp.failed) return nomem(r);
  }
  size_t len;
  const char *title = first(r, K_TITLE, &len);
  if (title) raw.title = title, raw.title_len = len;

  /* a draft, or a post Jekyll would leave out, is no article */
  if (r->v[K_DRAFT].truthy || r->v[K_PUBLISHED].falsy) {
    char shown[96];
    gz_buf_clear(&r->tmp);
    gz_buf_append(&r->tmp, title ? title : "", title ? len : 0);
    gz_ingest_skip(in, 1, 1, "\"%s\" is a draft (%s); skipped",
                   gz_short(title ? gz_buf_cstr(&r->tmp) : "untitled", shown, sizeof shown),
                   r->v[K_DRAFT].truthy ? "draft: true" : "published: false");
    return 0;
  }

  static const key dates[] = {K_DATE, K_PUBLISHDATE, K_PUBDATE, K_PUBLISHED};
  for (size_t i = 0; i < GZ_ARRAY_LEN(dates) && !raw.date.text; i++) {
    const char *d = first(r, dates[i], &len);
    if (d) raw.date = (gz_raw_date){d, len, 0, r->v[dates[i]].line, r->v[dates[i]].col};
  }
  const char *lastmod = first(r, K_LASTMOD, &len);
  if (lastmod)
    raw.captured = (gz_raw_date){lastmod, len, 0, r->v[K_LASTMOD].line, r->v[K_LASTMOD].col};

  size_t stem = 0;
  const char *bn = r->path ? base_name(r->path, &stem) : NULL;
  int64_t day;
  size_t rest = 0;
  bool jekyll = bn && jekyll_name(bn, stem, &day, &rest);
  if (jekyll) {
    raw.has_fallback_day = true;
    raw.fallback_day = day;
  }
  in->shape = r->toml || r->hugo_keys ? "hugo" : jekyll ? "jekyll" : "markdown";

  key ak = r->v[K_AUTHORS].n ? K_AUTHORS : K_AUTHOR;
  if (r->v[ak].n) raw.authors = (gz_raw_list){r->v[ak].items.data, r->v[ak].items.len, r->v[ak].n};

  gz_buf tags;
  gz_buf_init(&tags, r->al);
  uint32_t n_tags = 0;
  add_terms(r, K_TAGS, &tags, &n_tags);
  add_terms(r, K_CATEGORIES, &tags, &n_tags);
  if (n_tags) raw.tags = (gz_raw_list){tags.data, tags.len, n_tags};

  const char *sum = first(r, K_SUMMARY, &len);
  if (!sum) sum = first(r, K_DESCRIPTION, &len);
  if (sum) {
    raw.summary = sum, raw.summary_len = len;
    raw.summary_html = gz_looks_like_html(sum, len);
  }
  raw.image = first(r, K_IMAGE, &raw.image_len);
  if (!raw.image) raw.image = first(r, K_IMAGES, &raw.image_len);
  raw.lang = first(r, K_LANG, &raw.lang_len);
  const value *u = &r->v[K_URL];
  const char *p = u->items.data;
  for (uint32_t i = 0; i < u->n && !raw.url; i++, p += strlen(p) + 1)
    if (http_url(p, strlen(p))) raw.url = p, raw.url_len = strlen(p);

  char *heading = NULL;
  char *html = render(r, s + body, n - body, title, title ? raw.title_len : 0, &heading);
  gz_buf name_title;
  gz_buf_init(&name_title, r->al);
  if (!title && heading) {
    raw.title = heading, raw.title_len = strlen(heading), raw.title_html = true;
  } else if (!title && bn) {
    title_from_name(bn + (jekyll ? rest : 0), stem - (jekyll ? rest : 0), &name_title);
    if (name_title.len) raw.title = name_title.data, raw.title_len = name_title.len;
  }
  raw.body = html;
  raw.body_len = html ? strlen(html) : 0;
  raw.body_kind = GZ_BODY_HTML;
  int rc;
  if (!html || tags.failed || name_title.failed)
    rc = nomem(r);
  else
    rc = gz_ingest_raw(in, &raw);
  cmark_mem *mem = cmark_get_default_mem_allocator();
  if (html) mem->free(html);
  if (heading) mem->free(heading);
  gz_buf_free(&tags);
  gz_buf_free(&name_title);
  return rc;
}

/* ---- the reader's row ---- */

static void *md_new(gz_input *in, const char *path) {
  const gz_allocator *al = gz_digest_setup(in->d)->al;
  md_reader *r = gz_malloc(al, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->in = in;
  r->al = al;
  r->path = path;
  gz_buf_init(&r->text, al);
  gz_buf_init(&r->tmp, al);
  for (int k = 0; k < K_COUNT; k++) gz_buf_init(&r->v[k].items, al);
  in->shape = "markdown";
  return r;
}

static int md_feed(void *self, const char *s, size_t n) {
  md_reader *r = self;
  r->bytes += n;
  if (r->too_big) return 0;
  if (r->bytes > gz_digest_setup(r->in->d)->opts->max_article_size) {
    r->too_big = true; /* the rest is not kept: ingest says so */
    gz_buf_free(&r->text);
    return 0;
  }
  gz_buf_append(&r->text, s, n);
  return r->text.failed ? nomem(r) : 0;
}

static int md_finish(void *self) {
  md_reader *r = self;
  return article(r) || r->in->failed ? -1 : 0;
}

static void md_free(void *self) {
  md_reader *r = self;
  if (!r) return;
  gz_buf_free(&r->text);
  gz_buf_free(&r->tmp);
  for (int k = 0; k < K_COUNT; k++) gz_buf_free(&r->v[k].items);
  gz_free(r->al, r);
}

static const char *const md_ext[] = {".md", ".markdown", NULL};

/* No sniff: Markdown is text, told by its name or --input-format. */
const gz_reader_class gz_reader_markdown = {
    "markdown", "Markdown with front matter", md_ext, NULL, md_new, md_feed, md_finish, md_free};
