/*
 * gazette.h - libgazette, the library behind the `gazette` command.
 *
 * libgazette turns archive dumps of news articles (JSON, JSON Lines, plain
 * text scraped from news pages) into EPUB and PDF digests grouped by date.
 *
 * The flow is one way: read -> normalise -> group -> render.
 *
 *     gz_options opts;
 *     gz_options_init(&opts);
 *     gz_digest *d = gz_digest_new(&opts, &err);
 *     gz_digest_add_path(d, "dump.json", &err);    (any number of inputs)
 *     gz_digest_finish(d, &err);                   (dedupe, filter, group)
 *     gz_write_options w;
 *     gz_write_options_init(&w);
 *     gz_digest_write(d, &w, "digest.epub", &err);
 *     gz_digest_free(d);
 *
 * Return convention. A function returning int gives 0 on success and -1
 * on failure, with `err` filled (code, one plain sentence, and the file,
 * line and column when the failure has a place). A function returning a
 * pointer gives NULL on failure, with `err` filled where it takes one.
 * `err` may not be NULL. Functions returning void cannot fail.
 *
 * Ownership. The digest owns everything it hands out (strings,
 * diagnostics, plan data, the info structs' strings) until
 * gz_digest_free(). Nothing returned by this API needs to be freed by the
 * caller unless its comment says so (gz_digest_new, gz_iter_new,
 * gz_cancel_new have their own free function). Memory for the digest comes
 * from the options' allocator. The libraries underneath allocate with
 * their own malloc, outside that allocator: libxml2 (HTML bodies; the
 * library calls xmlInitParser and never xmlCleanupParser, which would
 * break a host that uses libxml2 too), libharu (one document per PDF
 * written, freed when it is done), libzip (one archive per EPUB written),
 * yajl (one parser per JSON input), libyaml and libcmark (per Markdown
 * file; libcmark ends the process if its malloc fails, having no way to
 * report it) and fontconfig (its configuration and
 * font list, loaded on the first PDF and kept for the process, as
 * fontconfig intends; FcFini is the host's to call). A failed allocation
 * in any of them is reported as GZ_ERR_NOMEM.
 *
 * Threads. A digest is used by one thread at a time; different digests
 * may be used at once in different threads. The library starts its own
 * threads (options.jobs and gz_write_options.jobs, 0 meaning one per
 * core): a write joins its threads before it returns; the reader threads
 * live from the first add until gz_digest_free, idle
 * between calls. Callbacks: on_diag is
 * called in the thread that made the call that raised the diagnostic
 * (writers' messages are replayed there in a fixed order); on_progress
 * with "reading" in the calling thread, and with "writing" from the
 * library's writer threads, one call at a time; gz_write_fn in the
 * calling thread. No callback may call back into the same digest.
 *
 * Versions. Options structs grow at their end only and carry their size
 * (see gz_options); the shared library's soname changes when an existing
 * function or struct changes.
 *
 * The library never prints and never exits: problems come back as a
 * gz_error from the call that failed, and warnings as gz_diag records
 * delivered to the options' callback and kept in the digest.
 */
#ifndef GAZETTE_H
#define GAZETTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(GAZETTE_BUILDING) && defined(__GNUC__)
#define GZ_API __attribute__((visibility("default")))
#else
#define GZ_API
#endif

#define GAZETTE_VERSION "0.1.0"

/* Returns GAZETTE_VERSION of the library actually linked. */
GZ_API const char *gz_version(void);

/* ------------------------------------------------------------------ */
/* Errors and diagnostics                                              */
/* ------------------------------------------------------------------ */

typedef enum gz_code {
  GZ_OK = 0,
  GZ_ERR_NOMEM,    /* an allocation failed */
  GZ_ERR_USAGE,    /* an option or argument is invalid */
  GZ_ERR_INPUT,    /* an input could not be read at all */
  GZ_ERR_PARSE,    /* an input is not well formed (articles before kept) */
  GZ_ERR_LIMIT,    /* a documented limit was exceeded */
  GZ_ERR_EMPTY,    /* there is nothing to write */
  GZ_ERR_OUTPUT,   /* the output could not be written */
  GZ_ERR_CANCELED, /* the cancel flag was raised */
  GZ_ERR_INTERNAL  /* a bug; please report it */
} gz_code;

/* A failure of one call. `file` is empty and `line`/`col` are 0 when the
 * error has no position. `message` is one plain sentence without the file
 * prefix. */
typedef struct gz_error {
  gz_code code;
  unsigned long line;
  unsigned long col;
  char file[1024];
  char message[512];
} gz_error;

/* Returns a short English name of `code`, e.g. "out of memory". */
GZ_API const char *gz_code_name(gz_code code);

typedef enum gz_severity {
  GZ_SEV_WARNING = 0, /* nothing was lost (undated, repaired UTF-8, ...) */
  GZ_SEV_SKIP,        /* an article, item or input file was skipped */
  GZ_SEV_ERROR        /* an input stopped being read at this point */
} gz_severity;

/* One diagnostic. `file` is "" when it concerns no file; `line` and `col`
 * are 0 when unknown. Pointers stay valid until the digest is freed. */
typedef struct gz_diag {
  gz_severity severity;
  const char *file;
  unsigned long line;
  unsigned long col;
  const char *message;
} gz_diag;

typedef void (*gz_diag_fn)(const gz_diag *diag, void *user);

/* Progress of a long run: `done` of `total` units of `stage`
 * ("reading", "writing"); total is 0 when unknown. */
typedef void (*gz_progress_fn)(const char *stage, uint64_t done, uint64_t total, void *user);

/* An allocator table, so callers (and tests) can supply their own or fail
 * allocations on purpose. Every function receives `ctx`. */
typedef struct gz_allocator {
  void *(*malloc)(void *ctx, size_t size);
  void *(*realloc)(void *ctx, void *ptr, size_t size);
  void (*free)(void *ctx, void *ptr);
  void *ctx;
} gz_allocator;

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

typedef enum gz_input_format {
  GZ_INPUT_AUTO = 0,
  GZ_INPUT_JSON,
  GZ_INPUT_JSONL,
  GZ_INPUT_TEXT,
  GZ_INPUT_CSV,
  GZ_INPUT_TSV,
  GZ_INPUT_FEED,
  GZ_INPUT_MARKDOWN,
  GZ_INPUT_HTML
} gz_input_format;

/* The input formats this build reads, numbered from 1 without gaps (the
 * constants above name them): format f's name as
 * --input-format takes it ("jsonl"), a few words for help texts ("JSON
 * Lines") and the file name extensions a folder is searched for
 * ({".jsonl", ".ndjson", NULL}). Any out-parameter may be NULL. Returns 0,
 * or -1 (nothing set) for GZ_INPUT_AUTO and past the last format. The
 * strings are static. */
GZ_API int gz_input_format_info(gz_input_format f, const char **name, const char **about,
                                const char *const **extensions);

typedef enum gz_date_order { GZ_ORDER_DMY = 0, GZ_ORDER_MDY, GZ_ORDER_YMD } gz_date_order;

typedef enum gz_group_by {
  GZ_GROUP_DAY = 0,
  GZ_GROUP_WEEK,
  GZ_GROUP_MONTH,
  GZ_GROUP_YEAR,
  GZ_GROUP_ALL
} gz_group_by;

#define GZ_DEFAULT_MAX_ARTICLE_SIZE (16u * 1024u * 1024u)
#define GZ_DEFAULT_MAX_LINE (64u * 1024u * 1024u)
#define GZ_DEFAULT_MAX_JSON_DEPTH 512
#define GZ_DEFAULT_MAX_HTML_DEPTH 256
#define GZ_DEFAULT_MAX_ARTICLES 1000000u

/* A cancel flag shared by the caller and a digest's threads. Thread use:
 * gz_cancel_new and gz_cancel_free from any one thread, while no digest
 * that names the flag is alive; gz_cancel_raise from any thread and from
 * a signal handler (it is async-signal-safe: one store to a lock-free
 * atomic); gz_cancel_raised from any thread. Once raised it stays
 * raised: the calls of a digest then stop with GZ_ERR_CANCELED. */
typedef struct gz_cancel gz_cancel;

/* Returns a new flag, not raised, or NULL when out of memory. */
GZ_API gz_cancel *gz_cancel_new(void);
/* Frees a flag. NULL is allowed. */
GZ_API void gz_cancel_free(gz_cancel *c);
/* Raises the flag. NULL is allowed. */
GZ_API void gz_cancel_raise(gz_cancel *c);
/* Non-zero once the flag was raised; 0 for NULL. */
GZ_API int gz_cancel_raised(const gz_cancel *c);

/* Options structs can grow without breaking programs built against an
 * older header: each begins with `size`, which its init function sets to
 * the size the caller was compiled with (the init "functions" are macros
 * that pass it). The library reads only that many bytes and gives every
 * field beyond them its default; new fields only ever go at the end. A
 * struct not filled by its init function is refused with GZ_ERR_USAGE. */
typedef struct gz_options {
  size_t size;                  /* set by gz_options_init; do not change */
  gz_input_format input_format; /* default GZ_INPUT_AUTO */
  gz_date_order date_order;     /* slash dates; default GZ_ORDER_DMY */
  const char *tz;               /* IANA zone name; NULL means "UTC" */
  gz_group_by group_by;         /* default GZ_GROUP_DAY */
  int newest_first;             /* groups and articles newest first */
  int dedupe;                   /* default 1 */
  int keep_chrome;              /* keep sidebars, footers, capture dates */
  const char *since;            /* "2020-12-07", "today", "-7d"; or NULL */
  const char *until;            /* same forms; inclusive */
  int64_t now;                  /* Unix time used for relative dates */
  size_t max_article_size;      /* bytes; default 16 MB */
  size_t max_line;              /* bytes of one text line; default 64 MB */
  int max_json_depth;           /* default 512 */
  int max_html_depth;           /* default 256 */
  size_t max_articles;          /* per digest; default 1,000,000 */
  const char *new_since_state;  /* state file of --new-since, or NULL */
  const char *spool_dir;        /* temporary folder; NULL: $TMPDIR or /tmp */
  int jobs;                     /* reader threads; 0: the number of cores */
  gz_diag_fn on_diag;           /* called for every diagnostic, or NULL */
  void *diag_user;
  gz_progress_fn on_progress; /* or NULL */
  void *progress_user;
  gz_cancel *cancel;         /* when it is raised, calls stop; or NULL */
  const gz_allocator *alloc; /* NULL: the C library's */
  /* --field NAME=PATH mappings for shapes no reader knows ("title=
   * headline.main", "items=/response/docs"); a malformed one makes
   * gz_digest_new fail with GZ_ERR_USAGE. Copied. */
  const char *const *field_maps;
  size_t n_field_maps;
} gz_options;

/* Fills `opts` with the defaults documented above (now = current time).
 * Writes only `size` bytes: the size of the caller's struct. */
GZ_API void gz_options_init_sized(gz_options *opts, size_t size);
#define gz_options_init(opts) gz_options_init_sized((opts), sizeof *(opts))

/* ------------------------------------------------------------------ */
/* The digest                                                          */
/* ------------------------------------------------------------------ */

typedef struct gz_digest gz_digest;

/* Creates a digest. Copies what it needs from `opts`, except the callbacks
 * and the cancel flag, which must outlive the digest. Returns NULL and
 * fills `err` when an option is invalid (unknown time zone, bad --since). */
GZ_API gz_digest *gz_digest_new(const gz_options *opts, gz_error *err);

/* Frees the digest and everything it owns. NULL is allowed. */
GZ_API void gz_digest_free(gz_digest *d);

/* Reads one INPUT: a file, a directory (walked recursively in byte order of
 * relative paths, reading *.json, *.jsonl, *.ndjson and *.txt), or "-" for
 * standard input. Problems of the input (missing, unreadable, binary,
 * malformed) are diagnostics of severity GZ_SEV_SKIP or GZ_SEV_ERROR and
 * show in the counts; the call itself fails only on out of memory, when
 * the temporary spool cannot be written, or on cancel. */
GZ_API int gz_digest_add_path(gz_digest *d, const char *path, gz_error *err);

/* Reads an input held in memory; `name` is used in messages and decides
 * the format by its extension under GZ_INPUT_AUTO. */
GZ_API int gz_digest_add_memory(gz_digest *d, const char *name, const void *data, size_t size,
                                gz_error *err);

/* Ends reading: removes chrome repeated across dumps, filters by date,
 * drops duplicates and forms the groups. Call once, after the last add. */
GZ_API int gz_digest_finish(gz_digest *d, gz_error *err);

/* Counts; the identity read = written + duplicates + filtered + skipped
 * holds after gz_digest_finish(). */
typedef struct gz_counts {
  uint64_t read;
  uint64_t written;
  uint64_t duplicates;
  uint64_t filtered;
  uint64_t skipped;
  uint64_t groups;
  uint64_t inputs_skipped; /* input files that could not be read */
  uint64_t errors;         /* inputs that stopped early (malformed) */
  /* After gz_digest_write(): output files renamed into place, and those
   * left untouched because their bytes would not change. */
  uint64_t files_written;
  uint64_t files_unchanged;
} gz_counts;

GZ_API gz_counts gz_digest_counts(const gz_digest *d);

/* The diagnostics so far, in the order they were raised. */
GZ_API size_t gz_digest_diag_count(const gz_digest *d);
GZ_API const gz_diag *gz_digest_diag(const gz_digest *d, size_t i);

/* ------------------------------------------------------------------ */
/* The plan (--list)                                                   */
/* ------------------------------------------------------------------ */

/* A sink for text the library produces. Returns 0 on success. */
typedef int (*gz_write_fn)(const void *data, size_t size, void *user);

/* Writes the plan of groups and articles: human readable, or as one JSON
 * document when `json` is non-zero. Needs gz_digest_finish(). */
GZ_API int gz_digest_write_plan(gz_digest *d, int json, gz_write_fn write, void *user,
                                gz_error *err);

/* ------------------------------------------------------------------ */
/* Walking a finished digest                                           */
/* ------------------------------------------------------------------ */

/* An iterator over the groups of a finished digest and their articles,
 * in output order, with an event as each is entered and as it is left
 * (in the manner of cmark's iterator):
 *
 *     gz_iter *it = gz_iter_new(d, &err);
 *     gz_event ev;
 *     while ((ev = gz_iter_next(it)) > GZ_EVENT_DONE)
 *       if (ev == GZ_EVENT_ENTER && gz_iter_at(it) == GZ_ITER_ARTICLE)
 *         puts(gz_iter_article(it)->title);
 *     gz_iter_free(it);
 *
 * For groups G holding articles A the events are: ENTER digest, ENTER G,
 * ENTER A, EXIT A, (the group's other articles), EXIT G, (the other
 * groups), EXIT digest, then GZ_EVENT_DONE from every later call.
 *
 * Ownership: the iterator is the caller's (gz_iter_free). The info
 * structs it returns are its own and change with each gz_iter_next();
 * the strings they point to are the digest's and live until
 * gz_digest_free(). New fields are only ever added at the end of the
 * info structs, which the library alone allocates.
 *
 * Threads: an iterator is used by one thread at a time. Several
 * iterators may walk one digest at once, in any threads, while no other
 * call changes the digest (adding inputs, finishing, writing). */
typedef struct gz_iter gz_iter;

/* Events are positive, so that a loop runs while gz_iter_next() > 0. */
typedef enum gz_event { GZ_EVENT_DONE = 0, GZ_EVENT_ENTER = 1, GZ_EVENT_EXIT = 2 } gz_event;

/* What the iterator is at. */
typedef enum gz_iter_kind { GZ_ITER_DIGEST = 0, GZ_ITER_GROUP, GZ_ITER_ARTICLE } gz_iter_kind;

typedef struct gz_group_info {
  size_t index;            /* from 0, in output order */
  const char *label;       /* "Mon 7 Dec 2020", "Week 49, 2020 (...)", "Undated" */
  const char *short_label; /* "7 Dec", "W49", "Dec", "2020" */
  int undated;             /* the group of articles without a date */
  char start[16];          /* first and last calendar day, "2020-12-07"; */
  char end[16];            /* "" for the undated group */
  size_t n_articles;
} gz_group_info;

typedef struct gz_article_info {
  const char *title; /* or NULL */
  const char *url;   /* or NULL */
  const char *const *authors;
  size_t n_authors;
  const char *const *tags;
  size_t n_tags;
  const char *lang; /* BCP 47 tag, or NULL when none was given or found */
  int dated;
  int64_t time;     /* Unix time of its date, when dated */
  const char *file; /* the input it was read from, as named, and where */
  unsigned long line;
  uint32_t words;
} gz_article_info;

/* A walk of a finished digest; NULL with err set when gz_digest_finish()
 * has not run (GZ_ERR_USAGE) or memory ran out (GZ_ERR_NOMEM). */
GZ_API gz_iter *gz_iter_new(gz_digest *d, gz_error *err);
/* The next event: GZ_EVENT_ENTER or GZ_EVENT_EXIT, or GZ_EVENT_DONE when
 * the walk is over. A walk cannot fail once made. */
GZ_API gz_event gz_iter_next(gz_iter *it);
/* Where the last event was. */
GZ_API gz_iter_kind gz_iter_at(const gz_iter *it);
/* The group the iterator is in (also while at one of its articles), or
 * NULL at the digest. */
GZ_API const gz_group_info *gz_iter_group(const gz_iter *it);
/* The article the iterator is at, or NULL when not at an article. */
GZ_API const gz_article_info *gz_iter_article(const gz_iter *it);
GZ_API void gz_iter_free(gz_iter *it);

/* ------------------------------------------------------------------ */
/* Writing digests                                                     */
/* ------------------------------------------------------------------ */

typedef enum gz_format { GZ_FORMAT_EPUB = 0, GZ_FORMAT_PDF } gz_format;

typedef enum gz_page_size { GZ_PAGE_A4 = 0, GZ_PAGE_LETTER, GZ_PAGE_A5 } gz_page_size;

/* How the PDF sets body paragraphs, list items and quotes. */
typedef enum gz_align {
  GZ_ALIGN_JUSTIFY = 0, /* justified, lines chosen over the whole paragraph (total fit) */
  GZ_ALIGN_LEFT,        /* ragged right, lines filled one at a time */
  GZ_ALIGN_FIRST_FIT    /* justified, lines filled one at a time (for comparison) */
} gz_align;

typedef struct gz_write_options {
  size_t size; /* set by gz_write_options_init; do not change */
  gz_format format;
  const char *title;  /* default "Digest" */
  const char *author; /* or NULL */
  const char *lang;   /* BCP 47 tag; default "en" */
  int64_t modified;   /* fixed modification time (SOURCE_DATE_EPOCH) ... */
  int has_modified;   /* ... used when this is non-zero */
  gz_page_size page_size;
  int pdfa;                 /* PDF/A-1b */
  const char *const *fonts; /* extra TrueType files, ahead of fontconfig's */
  size_t n_fonts;
  int split;         /* one file per group; the path is a template */
  int jobs;          /* worker threads; 0 means the number of cores */
  int deflate_level; /* 1..9 for EPUB chapters; 0 means the default (3) */
  /* Pictures (<img> in bodies, lead images): local files inside the
   * input's folder tree and data: URIs are embedded; remote http(s)
   * images only with fetch_images, else left out (their alt text shown)
   * and counted in one warning per output. */
  int fetch_images;        /* fetch remote images through libcurl */
  const char *image_cache; /* folder for fetched images; NULL: $XDG_CACHE_HOME/gazette/images */
  int allow_private_hosts; /* let fetches reach loopback, private and link-local addresses */
  int image_max;           /* long side in pixels images are scaled down to; 0: 1600 */
  int grayscale_images;    /* embed images in shades of grey (e-ink) */
  int no_images;           /* embed no image at all; alt text stays as a caption */
  /* The PDF's body text: gz_align; the default justifies it with lines
   * broken over the whole paragraph. */
  int align;
  int no_hyphenate; /* justified PDF text is not hyphenated */
  /* The PDF's article bodies in two columns (2; A4 and letter only, A5
   * stays in one with a warning) or one (0 or 1, the default). */
  int columns;
} gz_write_options;

/* Fills `w` with the defaults documented above; writes only `size` bytes. */
GZ_API void gz_write_options_init_sized(gz_write_options *w, size_t size);
#define gz_write_options_init(w) gz_write_options_init_sized((w), sizeof *(w))

/* Writes the digest to `path` atomically: a temporary file beside it is
 * written, flushed to disk and renamed into place when complete; on
 * failure nothing is left behind and an existing file is untouched. A file
 * whose bytes would not change is left as it is (see files_unchanged).
 * With `split`, `path` is a template with %Y %m %d %G %V %j taken from
 * each group's first day, and missing folders it names are created; the
 * Undated group goes to "undated" plus the template's extension in the
 * template's last folder before the first field. A template giving two
 * groups one file is GZ_ERR_USAGE before anything is written. So is an
 * output (or the state file of --new-since) that is one of the input files
 * read, through any name, or that lies in a folder read as input and has
 * an extension read there (.json .jsonl .ndjson .txt). */
GZ_API int gz_digest_write(gz_digest *d, const gz_write_options *w, const char *path,
                           gz_error *err);

/* Writes one digest (no split) to an open file descriptor, e.g. standard
 * output. The descriptor is not closed. */
GZ_API int gz_digest_write_fd(gz_digest *d, const gz_write_options *w, int fd, gz_error *err);

/* After a successful write with a state file (--new-since): records the
 * written articles in the state file, atomically, keeping its mode. */
GZ_API int gz_digest_commit_state(gz_digest *d, gz_error *err);

/* Before reading: GZ_ERR_USAGE when `target` (an output or a state file)
 * is one of the `inputs` (files compared by device and inode, whatever
 * their spelling) or lies inside an input folder and has an extension that
 * is read there. "-" among the inputs is skipped. gz_digest_write() checks
 * again against what was really read; this only fails earlier. */
GZ_API int gz_check_target(const char *const *inputs, size_t n_inputs, const char *target,
                           gz_error *err);

/* Removes every temporary file the library has open in this process.
 * Async-signal-safe: meant for handlers of SIGABRT, SIGSEGV and the like,
 * which then re-raise the signal. */
GZ_API void gz_remove_temp_files(void);

#ifdef __cplusplus
}
#endif

#endif /* GAZETTE_H */
