/*
 * model.h - the article model shared by every stage.
 *
 * Memory follows the output, not the dump: while reading, each article's
 * body is normalised once into blocks and appended to a spool file on
 * disk; the digest keeps in memory only what planning and grouping need
 * (title, dates, authors, url, tags, fingerprints, the spool offset).
 * Writers load one article's blocks at a time back from the spool.
 */
#ifndef GZ_MODEL_H
#define GZ_MODEL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "gazette/gazette.h"
#include "lang/bidi.h"
#include "lang/lang.h"
#include "time/gztime.h"
#include "util/util.h"

/* ---- body blocks ---- */

enum gz_style {
  GZ_STYLE_EM = 1u << 0,
  GZ_STYLE_STRONG = 1u << 1,
  GZ_STYLE_CODE = 1u << 2,
  GZ_STYLE_U = 1u << 3,
  GZ_STYLE_S = 1u << 4,
  GZ_STYLE_SUB = 1u << 5,
  GZ_STYLE_SUP = 1u << 6
};

/* A stretch of text with one style. '\n' inside means a line break. */
typedef struct gz_run {
  const char *text;
  uint32_t len;
  uint16_t style;
  uint16_t href_len;
  const char *href; /* a safe http, https or mailto link, or NULL */
} gz_run;

/* The kinds of block. A block quote is no kind of its own: quotes hold
 * paragraphs, lists and code alike, so every block carries the depth of
 * quotes around it (gz_block.quote). */
typedef enum gz_block_type {
  GZ_BLOCK_PARA = 0,
  GZ_BLOCK_HEADING,
  GZ_BLOCK_ITEM, /* a list item */
  GZ_BLOCK_PRE,
  GZ_BLOCK_RULE,
  /* reserved for the readers to come: no reader makes them yet, and the
   * writers draw nothing for them */
  GZ_BLOCK_IMAGE,
  GZ_BLOCK_FIGURE
} gz_block_type;

/* The direction of a block's text (lang/bidi.h decides it: the same
 * values as gz_bidi_dir). */
typedef enum gz_dir {
  GZ_DIR_ARTICLE = 0, /* as the article's */
  GZ_DIR_LTR,
  GZ_DIR_RTL
} gz_dir;
_Static_assert(GZ_DIR_LTR == (int)GZ_BIDI_LTR && GZ_DIR_RTL == (int)GZ_BIDI_RTL,
               "gz_dir and gz_bidi_dir share their values");

/* Nesting the body builder keeps (model/body.c clamps to them once):
 * deeper quotes and list items count as these. */
#define GZ_QUOTE_MAX 16
#define GZ_LIST_MAX 63
/* How many levels of quotes and lists a printed page indents: deeper
 * ones line up with the last (the PDF writer). */
#define GZ_INDENT_QUOTES 6
#define GZ_INDENT_LISTS 8

/* A block of an article's body: what every kind has, then the part of
 * its kind (`type` tells which member of the union holds). */
typedef struct gz_block {
  uint8_t type;     /* gz_block_type */
  uint8_t quote;    /* block quote nesting depth, 0 outside quotes, <= GZ_QUOTE_MAX */
  uint8_t dir;      /* gz_dir */
  const char *lang; /* BCP 47 tag, or NULL: the article's language */
  uint32_t words;
  uint64_t key;     /* plain-text dumps: gz_block_hash, for chrome; else 0 */
  const char *text; /* the whole block text; runs are slices of it */
  uint32_t len;
  uint32_t n_runs;
  gz_run *runs;
  union {
    struct {
      uint8_t level; /* as written, 1..6 */
    } heading;
    struct {
      uint8_t depth;   /* list nesting, 1 = outermost, <= GZ_LIST_MAX */
      uint8_t ordered; /* an item of an ordered list */
      uint32_t number; /* its ordinal in an ordered list */
    } item;
    struct {
      uint8_t depth; /* > 0: continues the list item at this depth */
    } para;
    struct {
      const char *src, *alt;
      uint32_t width, height; /* 0 when unknown */
    } image;
    struct {
      const char *src, *caption;
    } figure;
  };
} gz_block;

/* The list depth a block sits at: an item's, or the item a paragraph
 * continues; 0 for the others. */
static inline unsigned gz_block_list_depth(const gz_block *b) {
  return b->type == GZ_BLOCK_ITEM ? b->item.depth : b->type == GZ_BLOCK_PARA ? b->para.depth : 0;
}

/* ---- articles ---- */

typedef enum gz_article_status {
  GZ_ART_KEPT = 0,
  GZ_ART_DUPLICATE,
  GZ_ART_FILTERED
} gz_article_status;

typedef struct gz_article {
  const char *title;
  const char *url;
  const char **authors;
  const char **tags;
  const char *file; /* the source file as named on the command line */
  const char *lang; /* detected language (BCP 47) or NULL */
  /* The producer's teaser when the body does not start with it, as plain
   * text (shown under the title); NULL when none. */
  const char *standfirst;
  const char *image; /* the lead image's URL or path as given, or NULL */
  gz_when when;
  /* When the page was saved or crawled (has_captured): the instant, or
   * the local midnight of its day unless captured_time. Never the
   * publication date. */
  int64_t captured;
  uint64_t spool_off;
  uint64_t body_fp; /* fingerprint of the body text, 0 when empty */
  uint64_t title_fp;
  uint64_t url_fp;
  uint32_t spool_len;
  uint32_t n_authors;
  uint32_t n_tags;
  uint32_t line;
  uint32_t col;
  uint32_t words;
  uint32_t dump;  /* index of the INPUT it came from */
  uint32_t order; /* input order */
  uint32_t n_blocks;
  uint8_t status; /* gz_article_status */
  uint8_t dir;    /* gz_dir of the whole article: GZ_DIR_LTR or GZ_DIR_RTL */
  /* flags in one byte: 10,000s of articles stay in memory */
  unsigned dated : 1;
  unsigned has_captured : 1;
  unsigned captured_time : 1; /* `captured` has its time of day */
  unsigned text_keys : 1;     /* blocks carry chrome keys (plain-text dumps) */
  /* The body is itself a teaser: the producer marked it so, or cut it
   * (a news API's "[+646 chars]"). */
  unsigned teaser : 1;
} gz_article;

typedef struct gz_group {
  const char *label;
  const char *short_label; /* for charts: "7 Dec", "W49", "Dec", "2020" */
  int64_t start;           /* calendar bounds (days); meaningless when undated */
  int64_t end;
  int64_t first_day; /* first and last article day */
  int64_t last_day;
  bool undated;
  uint32_t *items; /* indexes into d->articles, in output order */
  size_t n_items;
} gz_group;

typedef struct gz_diag_rec {
  gz_diag diag;
} gz_diag_rec;

/* An input as it was read: its name as messages give it, the reader
 * that read it ("json") and the shape that reader recognised
 * ("news-please"), or NULL. */
typedef struct gz_input_info {
  const char *file;
  const char *format;
  const char *shape;
} gz_input_info;

/* What every stage reads of a digest: options, articles, groups and
 * counts. The pointers stay valid until the digest is freed; articles
 * and groups do not change once gz_digest_finish() has run (writers and
 * --list run after it). `digest` is the handle it came from, for the
 * calls that take one (body loads, diagnostics). */
typedef struct gz_view {
  const gz_digest *digest;
  const gz_allocator *al;
  const gz_options *opts;
  const gz_tz *tz;
  const gz_article *articles;
  size_t n_articles;
  const gz_group *groups;
  size_t n_groups;
  const gz_counts *counts;
  const gz_input_info *inputs; /* the files read, in read order */
  size_t n_inputs;
  bool finished;
} gz_view;

/* The progress of a writing run: articles rendered so far, for
 * on_progress. The write stage owns one per run; walks count into it. */
typedef struct gz_progress {
  const gz_options *opts;
  _Atomic uint64_t written;
  uint64_t total;
  pthread_mutex_t lock;
} gz_progress;

/* Counts one rendered article and reports progress; safe from any writer
 * thread, and the callback runs in one thread at a time. */
void gz_progress_written(gz_progress *p);

/* The digest's view as it is now (refreshed by each call). */
const gz_view *gz_digest_view(gz_digest *d);
/* The counts a stage adds to (the files written, say). */
gz_counts *gz_digest_tally(gz_digest *d);
/* The arena whose strings live as long as the digest. */
gz_arena *gz_digest_arena(gz_digest *d);
/* Has the host asked to stop (gz_options.cancel)? */
bool gz_view_canceled(const gz_view *v);
/* The input files and folders read (keys of write/output.c). */
int gz_digest_input_add(gz_digest *d, uint64_t key);
bool gz_digest_input_has(const gz_digest *d, uint64_t key);
/* ---- digest internals ---- */

/* Records a diagnostic and hands it to the callback. */
GZ_PRINTF(6, 7)
void gz_diag_add(gz_digest *d, gz_severity sev, const char *file, unsigned long line,
                 unsigned long col, const char *fmt, ...);
bool gz_canceled(const gz_digest *d);
/* Interns a file name for the digest's lifetime. */
const char *gz_digest_intern(gz_digest *d, const char *s);

/* ---- filling the digest: the read stage and grouping ---- */

/* What a digest was made with, fixed once gz_digest_new() has returned;
 * the pointer stays valid until the digest is freed. */
typedef struct gz_setup {
  const gz_allocator *al;
  const gz_options *opts;
  const gz_tz *tz;           /* the digest's zone (--tz) */
  const gz_tz *utc;          /* for dates that say they are UTC (date_gmt) */
  bool has_since, has_until; /* the --since/--until window, days in tz */
  int64_t since_day, until_day;
  const struct gz_field_map *maps; /* --field, parsed (util/fieldmap.h) */
  size_t n_maps;
} gz_setup;
const gz_setup *gz_digest_setup(const gz_digest *d);

/* Appends an article (copied); -1 out of memory. Articles are numbered in
 * the order they are added. */
int gz_digest_article_add(gz_digest *d, const gz_article *a);
/* The articles added so far, to change in place (statuses, word counts);
 * `*n` gets their number when n is not NULL. Adding one may move them. */
gz_article *gz_digest_articles(gz_digest *d, size_t *n);
/* Records that an input was read, in read order: `file` as messages name
 * it (interned, gz_digest_intern), `format` the reader's name and
 * `shape` what it recognised or NULL, both static strings. -1 out of
 * memory. */
int gz_digest_input_read(gz_digest *d, const char *file, const char *format, const char *shape);
/* Marks a repeated text block as chrome (gz_chrome_key); -1 out of memory. */
int gz_digest_chrome_add(gz_digest *d, uint64_t key);

/* The read stage's state between inputs: the digest holds it and hands it
 * to `free_state` when it is freed. */
struct gz_read_state;
struct gz_read_state *gz_digest_read_state(const gz_digest *d);
void gz_digest_set_read_state(gz_digest *d, struct gz_read_state *rs,
                              void (*free_state)(gz_digest *d));
/* What the read stage does once all inputs are read (warnings about the
 * run as a whole); gz_digest_read_end() calls it, once. */
void gz_digest_set_read_end(gz_digest *d, void (*read_end)(gz_digest *d));
void gz_digest_read_end(gz_digest *d);

/* The groups, in output order, given to the digest once: it frees the
 * array and each group's items. */
void gz_digest_set_groups(gz_digest *d, gz_group *groups, size_t n);
/* Has gz_digest_finish() run to its end? Grouping says when it has. */
bool gz_digest_finished(const gz_digest *d);
void gz_digest_mark_finished(gz_digest *d);

/* ---- body building (readers) ---- */

typedef struct gz_body_builder {
  const gz_allocator *al;
  gz_arena *arena; /* where finished blocks live */
  gz_block *blocks;
  size_t n_blocks, cap_blocks;
  /* the block being built */
  gz_buf text;
  gz_run *runs;
  size_t n_runs, cap_runs;
  uint8_t type, level, quote, depth, ordered;
  uint32_t number;
  uint16_t style;
  const char *href;
  uint16_t href_len;
  bool pending_space;
  bool failed;
} gz_body_builder;

void gz_body_init(gz_body_builder *b, const gz_allocator *al, gz_arena *arena);
void gz_body_reset(gz_body_builder *b);
void gz_body_free(gz_body_builder *b);
/* Starts a new block (ending the current one). */
void gz_body_start(gz_body_builder *b, gz_block_type type);
/* Ends the current block; empty blocks vanish. */
void gz_body_end(gz_body_builder *b);
/* Appends text; white space is collapsed except in preformatted blocks. */
void gz_body_text(gz_body_builder *b, const char *s, size_t len);
void gz_body_line_break(gz_body_builder *b);
void gz_body_set_style(gz_body_builder *b, uint16_t style);
void gz_body_set_href(gz_body_builder *b, const char *href, size_t len);
void gz_body_rule(gz_body_builder *b);
/* Adds paragraphs from plain text: one per line, or one per block of
 * hard-wrapped lines when blank lines separate blocks and no line is
 * longer than 100 characters. */
void gz_body_plain(gz_body_builder *b, const char *s, size_t len);
/* The article's direction (GZ_DIR_LTR or GZ_DIR_RTL) from its title and
 * built blocks, setting each block's dir to GZ_DIR_ARTICLE or to its own
 * when it runs the other way (model/direction.c). given_lang is the
 * language the source named, or NULL: an RTL language decides. */
uint8_t gz_body_direction(gz_block *blocks, size_t n, const char *title, const char *given_lang);
/* Sets the lang of the blocks whose script clearly differs from the
 * article's (an Arabic paragraph in an English article), told by
 * gz_lang_detect and copied into arena; -1 when out of memory. */
int gz_body_langs(gz_block *blocks, size_t n, const char *title, const char *article_lang,
                  gz_arena *arena);

/* ---- the spool ---- */

/* Serialises blocks into one spool record (appended to b), giving the
 * body's word count and fingerprint (0 when it has no words). Needs no
 * digest: readers' worker threads call it. */
int gz_spool_encode(const gz_block *blocks, size_t n, gz_buf *b, uint32_t *words, uint64_t *fp);
/* Appends an encoded record to the spool; sets spool_off and spool_len. */
int gz_spool_append(gz_digest *d, gz_article *a, const void *record, size_t len, gz_error *err);
int gz_spool_flush(gz_digest *d, gz_error *err);
/* The folder for temporary files: the spool_dir option, else $TMPDIR,
 * else /tmp. */
const char *gz_temp_dir(const gz_digest *d);

/* A loaded body: blocks live in `arena`, text points into `raw`. */
typedef struct gz_body {
  gz_block *blocks;
  size_t n;
} gz_body;

/* Loads an article's blocks, leaving out chrome found by repetition.
 * Thread-safe (pread). Allocates from `arena`. */
int gz_body_load(const gz_view *v, const gz_article *a, gz_arena *arena, gz_body *out,
                 gz_error *err);
/* The lowest heading level used in a body (1 when it has none): the
 * writers set the body's headings below the article title from it. */
int gz_body_heading_base(const gz_body *body);

/* The hash of a block's text: the chrome key of plain-text blocks, and
 * the unit of body fingerprints. */
uint64_t gz_block_hash(const gz_block *blk);
/* The key under which a repeated block of dump `dump` is chrome. */
uint64_t gz_chrome_key(uint64_t block_key, uint32_t dump);

/* ---- helpers shared by readers and writers ---- */

/* The --new-since state (group/state.c owns it): read from `path` (none
 * there yet is an empty state), or NULL with err. The digest keeps it
 * and frees it with gz_seen_free. */
struct gz_seen;
struct gz_seen *gz_seen_load(const char *path, const gz_allocator *al, gz_error *err);
void gz_seen_free(struct gz_seen *s);
/* The digest's state, or NULL without --new-since. */
struct gz_seen *gz_digest_seen(gz_digest *d);
/* Was an article of this identity sent before? */
bool gz_seen_has(const struct gz_seen *s, uint64_t identity);

/* ---- safe output files (write/output.c) ---- */

/* Notes an input file (dir false) or walked folder (dir true). */
int gz_input_note(gz_digest *d, uint64_t dev, uint64_t ino, bool dir);
/* GZ_ERR_USAGE when `target` is an input, or would land in a walked
 * folder with an extension read there. */
int gz_target_check(const gz_digest *d, const char *target, gz_error *err);
/* Creates an empty file beside `target` (mode 0666 less the umask) under a
 * fresh name, registered for gz_remove_temp_files(); returns its path. */
char *gz_temp_create(const char *target, gz_error *err);
/* Unregisters and frees a temporary path; unlinks it first if `remove`. */
void gz_temp_release(char *path, bool remove);
/* Flushes a file, or the folder that holds `path`, to disk. */
int gz_fsync_path(const char *path);
int gz_fsync_parent(const char *path);

/* What --new-since remembers of an article: its url, else title and body. */
uint64_t gz_article_identity(const gz_article *a);

/* Keys for duplicate detection. */
uint64_t gz_title_key(const char *title);
uint64_t gz_url_key(const char *url);

#endif /* GZ_MODEL_H */
