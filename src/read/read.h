/*
 * read.h - the readers: input files and their clean-up, JSON, plain text,
 * the HTML allow-list sanitiser, and ingest (raw fields -> article).
 */
#ifndef GZ_READ_H
#define GZ_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/core.h" /* the ingest side fills the digest */

/* ---- HTML ---- */

typedef struct gz_html gz_html;

/* A reusable sanitiser (one libxml2 parser context). */
gz_html *gz_html_new(const gz_allocator *al);
void gz_html_free(gz_html *h);

/* Parses an HTML body and adds what the allow-list keeps to `b`: p,
 * h1-h6, blockquote, ul, ol, li, pre, code, em, i, strong, b, u, s, sub,
 * sup, br, hr, a (http, https, mailto only), figure and figcaption as
 * text, img alt text. Script, style, iframe, object, embed, form (and a
 * few more containers of active content) are dropped with their content.
 * Elements nested deeper than `max_depth` lose their markup but keep their
 * text; *depth_hit is set then. Returns 0, or -1 on out of memory. */
int gz_html_to_body(gz_html *h, const char *html, size_t len, gz_body_builder *b, int max_depth,
                    bool *depth_hit);

/* The language the last gz_html_to_body() input gave itself: the lang
 * (or xml:lang) attribute of its outermost element, looking through html
 * and body elements, as a BCP 47 tag; NULL when it gives none. */
const char *gz_html_lang(const gz_html *h);

/* Appends the text of an HTML fragment (entities decoded, tags dropped,
 * white space collapsed) to `out`. */
int gz_html_to_text(gz_html *h, const char *html, size_t len, gz_buf *out);

/* Does the text hold HTML markup (a known element's tag)? */
bool gz_looks_like_html(const char *s, size_t len);

/* ---- one input being read ---- */

/* Tracks line and column (in characters) of byte offsets in a clean
 * stream, moving forward only. */
typedef struct gz_pos {
  uint64_t offset; /* bytes of the clean stream consumed so far */
  unsigned long line;
  unsigned long col;
} gz_pos;

void gz_pos_init(gz_pos *p);
/* Advances over bytes s[0..n), which start at p->offset. */
void gz_pos_advance(gz_pos *p, const char *s, size_t n);

typedef struct gz_input {
  gz_digest *d;
  const char *name; /* as shown in messages */
  uint32_t dump;
  gz_html *html; /* for titles given as HTML */
  gz_buf tmp;
  gz_error *err;
  bool failed;  /* a fatal error (no memory, spool) is in err */
  bool stopped; /* the input stopped being read (malformed) */
} gz_input;

/* Raw fields of one article, as a reader found them. */
typedef struct gz_raw_list {
  const char *data; /* items separated by NUL bytes */
  size_t len;
  uint32_t n;
} gz_raw_list;

typedef enum gz_body_kind { GZ_BODY_AUTO = 0, GZ_BODY_HTML, GZ_BODY_PLAIN } gz_body_kind;

typedef struct gz_raw_article {
  unsigned long line, col;
  const char *title;
  size_t title_len;
  bool title_html;
  const char *body;
  size_t body_len;
  gz_body_kind body_kind;
  const char *date;
  size_t date_len;
  bool date_utc; /* date_gmt: no offset means UTC */
  gz_raw_list authors;
  const char *url;
  size_t url_len;
  gz_raw_list tags;
  const char *lang; /* lang, language, inLanguage or locale, as given */
  size_t lang_len;
  uint64_t bytes;            /* size of the item in the input */
  bool too_big;              /* a value was over the article size limit */
  const char *bad_date_type; /* "an object", ... when the date had a wrong type */
} gz_raw_article;

/* Turns raw JSON fields into an article: checks, dates, filters, body
 * sanitising, spooling. Returns -1 only on a fatal error (in in->err). */
int gz_ingest_raw(gz_input *in, const gz_raw_article *raw);

/* How a body is to be built. */
enum { GZ_TASK_HTML = 0, GZ_TASK_PLAIN, GZ_TASK_TEXT_KEYED };

/* Accepts an article of the date range (the count limit is checked
 * here) and hands its body to the pipeline; `a` holds the metadata.
 * Counts it as read. */
int gz_ingest_submit(gz_input *in, gz_article *a, const char *body, size_t len, int kind);

/* The pipeline (pipeline.c): bodies built by worker threads (--jobs),
 * committed to the digest in submission order. */
int gz_pipeline_submit(gz_digest *d, const gz_article *a, const char *body, size_t len, int kind,
                       gz_error *err);
/* Commits everything submitted so far. */
int gz_pipeline_drain(gz_digest *d, gz_error *err);
void gz_pipeline_free(gz_digest *d);

/* Per plain-text dump: each text block's chrome key and words, kept until
 * the dump ends and repeated lines can be told. */
typedef struct gz_text_pending {
  uint32_t article;
  uint32_t n;
  uint64_t title_key;
  uint64_t *keys;
  uint32_t *words;
} gz_text_pending;

/* What the read stage keeps between inputs: the pipeline, the articles
 * accepted so far and the pending plain-text dump. Owned by read/ and
 * hung on the digest, which frees it through d->rd_free. */
typedef struct gz_read_state {
  struct gz_pipeline *pipe; /* bodies being built, committed in input order */
  size_t n_accepted;        /* articles accepted so far, committed or not */
  gz_text_pending *pending;
  size_t n_pending, cap_pending;
  gz_arena dump_arena;
  uint32_t dump_index;
} gz_read_state;

/* Gives the digest its read state if it has none; -1 out of memory. */
int gz_read_state_attach(gz_digest *d);

/* Cleans a string (UTF-8 repair, controls dropped, white space collapsed)
 * into the digest's arena; NULL when nothing is left. */
const char *gz_clean_string(gz_input *in, const char *s, size_t n);
/* Items kept per list of one article: a byline or tag list is read for
 * its first names, and a file of 60,000 tags stays a file to read, not a
 * thing to wait for. The rest are counted in a warning. */
#define GZ_MAX_AUTHORS 100u
#define GZ_MAX_TAGS 500u

/* Splits a NUL-separated list into cleaned, distinct strings (in the order
 * first seen, at most GZ_MAX_AUTHORS or GZ_MAX_TAGS, a warning naming
 * article `a` when more are left out); each item is split again at
 * `split_at` (',' for tags, ';' for authors, whose leading "By " goes). */
const char **gz_clean_list(gz_input *in, const gz_raw_list *l, char split_at, bool authors,
                           const gz_article *a, uint32_t *count);
/* Cuts a title over 1,000 bytes (with a warning). */
void gz_limit_title(gz_input *in, gz_article *a);
/* Warns that an article is undated, saying why (raw->date unreadable, of a
 * wrong type, or missing). */
void gz_warn_undated(gz_input *in, const gz_raw_article *raw, const char *title);

/* Counts an item as read and skipped, with its message. */
GZ_PRINTF(4, 5)
void gz_ingest_skip(gz_input *in, unsigned long line, unsigned long col, const char *fmt, ...);

/* Applies --since/--until as soon as the date is known, before anything
 * else is kept of the article: returns true (counted as read and
 * filtered) when it is left out. Undated articles are left out of any
 * date range. */
bool gz_ingest_filtered(gz_digest *d, const gz_article *a);

/* Streaming readers: feed clean UTF-8 (LF line ends) chunk by chunk. */
typedef struct gz_json_reader gz_json_reader;
gz_json_reader *gz_json_new(gz_input *in, bool lines);
int gz_json_feed(gz_json_reader *r, const char *s, size_t n);
int gz_json_finish(gz_json_reader *r);
void gz_json_free(gz_json_reader *r);

typedef struct gz_text_reader gz_text_reader;
gz_text_reader *gz_text_new(gz_input *in, const char *path);
int gz_text_feed(gz_text_reader *r, const char *s, size_t n);
int gz_text_finish(gz_text_reader *r);
void gz_text_free(gz_text_reader *r);

/* Ends a dump (one INPUT): tells repeated lines, fixes word counts. */
int gz_text_dump_end(gz_digest *d, gz_error *err);

/* Finds a date in a file name ("2020-12-07", "20201207"). */
bool gz_date_from_name(const char *path, int64_t *day);

#endif /* GZ_READ_H */
