/*
 * read.h - what the readers share: one input being read, the HTML
 * allow-list sanitiser, and ingest (raw article -> article). The reader
 * contract and table are in reader.h.
 */
#ifndef GZ_READ_H
#define GZ_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* ---- HTML ---- */

typedef struct gz_html gz_html;

/* A reusable sanitiser (one libxml2 parser context). */
gz_html *gz_html_new(const gz_allocator *al);
void gz_html_free(gz_html *h);

/* Parses an HTML body and adds what the allow-list keeps to `b`: p,
 * h1-h6, blockquote, ul, ol, li, pre, code, em, i, strong, b, u, s, sub,
 * sup, br, hr, a (http, https, mailto only); img (its src, srcset, or a
 * <picture>'s source) as an image block splitting the paragraph around
 * it, a <figure>'s <figcaption> as its caption. Script, style, iframe, object, embed, form (and a
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

/* srcset.c: the width a srcset choice aims at, in pixels: the writers'
 * default long side (GZ_IMG_DEFAULT_MAX_SIDE in src/image/image.h). */
#define GZ_SRCSET_WIDTH 1600
/* The best candidate of a srcset attribute (see srcset.c) as a slice of
 * s; false when it has none. */
bool gz_srcset_best(const char *s, size_t len, const char **url, size_t *url_len);
/* Is a <source type> one the image library decodes? */
bool gz_image_type_ok(const char *type);

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
  /* The shape the reader recognised ("news-please", "json-feed",
   * "fields" under --field), a static string; NULL for none. */
  const char *shape;
  bool failed;  /* a fatal error (no memory, spool) is in err */
  bool stopped; /* the input stopped being read (malformed) */
} gz_input;

/* Raw fields of one article, as a reader found them. */
typedef struct gz_raw_list {
  const char *data; /* items separated by NUL bytes */
  size_t len;
  uint32_t n;
} gz_raw_list;

/* What a body is: HTML, plain text, or told from its text (AUTO). A TEXT
 * body holds the lines of a plain-text page as read (not trimmed): lines
 * it shares with many articles of its dump are chrome, unless
 * --keep-chrome. */
typedef enum gz_body_kind {
  GZ_BODY_AUTO = 0,
  GZ_BODY_HTML,
  GZ_BODY_PLAIN,
  GZ_BODY_TEXT
} gz_body_kind;

/* A date as a reader found it, with where it was found. */
enum { GZ_RAW_DATE_UTC = 1u << 8 }; /* no offset means UTC (date_gmt) */
typedef struct gz_raw_date {
  const char *text; /* NULL when none was found */
  size_t len;
  unsigned flags; /* GZ_DATE_EPOCH, GZ_RAW_DATE_UTC */
  unsigned long line, col;
} gz_raw_date;

/* Reads a date the one way every reader's dates are read: returns true and
 * fills `w` (its day in the digest's zone) when it is one. */
bool gz_raw_date_read(const gz_digest *d, const gz_raw_date *rd, gz_when *w);

/* One article as a reader found it: every reader hands these to
 * gz_ingest_raw(), which holds the rules that do not depend on the format. */
typedef struct gz_raw_article {
  unsigned long line, col; /* where the item starts, in the input named in->name */
  const char *title;
  size_t title_len;
  bool title_html;
  /* The reader found the title's place (the text reader's first line):
   * no title is taken from the body, even when this one cleans to
   * nothing, and the item is not skipped for lacking one. */
  bool title_found;
  const char *body;
  size_t body_len;
  gz_body_kind body_kind;
  gz_raw_date date;
  const char *bad_date_type; /* "an object", ... when the date had a wrong type */
  /* A day to fall back on when `date` is missing or unreadable (the text
   * reader's file name date), and the day the page was captured. */
  bool has_fallback_day, has_captured;
  int64_t fallback_day, captured_day;
  gz_raw_list authors;
  const char *url;
  size_t url_len;
  gz_raw_list tags;
  const char *lang; /* lang, language, inLanguage or locale, as given */
  size_t lang_len;
  /* A teaser the record gives beside its body (description, excerpt,
   * trailText): the body when there is no other, else the standfirst
   * unless the body starts with it. */
  const char *summary;
  size_t summary_len;
  bool summary_html;
  /* The body is all the producer gives, but is itself a teaser (NYT
   * lead_paragraph, Pocket excerpt): the plan marks the article. */
  bool teaser;
  /* When the page was saved, crawled or last changed: never the
   * publication date. */
  gz_raw_date captured;
  const char *image; /* the lead image's URL or path, as given */
  size_t image_len;
  uint64_t bytes; /* size of the item in the input */
  bool too_big;   /* a value was over the article size limit */
} gz_raw_article;

/* Turns raw fields into an article: checks, dates, filters, body kinds,
 * hands the body to the pipeline. Returns -1 only on a fatal error (in
 * in->err). */
int gz_ingest_raw(gz_input *in, const gz_raw_article *raw);

/* How a body is to be built. */
enum { GZ_TASK_HTML = 0, GZ_TASK_PLAIN, GZ_TASK_TEXT_KEYED };

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
 * hung on the digest (gz_digest_set_read_state), which frees it through
 * the hook given there. */
typedef struct gz_read_state {
  struct gz_pipeline *pipe; /* bodies being built, committed in input order */
  size_t n_accepted;        /* articles accepted so far, committed or not */
  gz_text_pending *pending;
  size_t n_pending, cap_pending;
  gz_arena dump_arena;
  uint32_t dump_index;
  bool *map_hits; /* per --field mapping: did it match a record? */
} gz_read_state;

/* Gives the digest its read state if it has none; -1 out of memory. */
int gz_read_state_attach(gz_digest *d);

/* Notes that --field mapping `i` (gz_setup.maps) matched a record: those
 * that never did are named in a warning when reading ends. */
void gz_read_map_hit(gz_input *in, size_t i);

/* Cleans a string (UTF-8 repair, controls dropped, white space collapsed)
 * into the digest's arena; NULL when nothing is left. */
const char *gz_clean_string(gz_input *in, const char *s, size_t n);
/* Items kept per list of one article: a byline or tag list is read for
 * its first names, and a file of 60,000 tags stays a file to read, not a
 * thing to wait for. The rest are counted in a warning. */
#define GZ_MAX_AUTHORS 100u
#define GZ_MAX_TAGS 500u

/* Counts an item as read and skipped, with its message. */
GZ_PRINTF(4, 5)
void gz_ingest_skip(gz_input *in, unsigned long line, unsigned long col, const char *fmt, ...);

/* Ends a dump (one INPUT): tells the repeated lines of its TEXT bodies,
 * fixes their word counts. */
int gz_ingest_dump_end(gz_digest *d, gz_error *err);

#endif /* GZ_READ_H */
