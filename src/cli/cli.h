/*
 * cli.h - the gazette command: its option table, messages and progress.
 */
#ifndef GZ_CLI_H
#define GZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gazette/gazette.h"

/* Exit statuses (SPEC 5). */
enum { EXIT_OK = 0, EXIT_SKIPPED = 1, EXIT_USAGE = 2, EXIT_UNUSABLE = 3, EXIT_WRITE = 4 };

typedef enum opt_id {
  OPT_ALIGN,
  OPT_AUTHOR,
  OPT_DATE_ORDER,
  OPT_DEFLATE_LEVEL,
  OPT_FIELD,
  OPT_FONT,
  OPT_FORMAT,
  OPT_GROUP_BY,
  OPT_HELP,
  OPT_INPUT_FORMAT,
  OPT_JOBS,
  OPT_JSON,
  OPT_KEEP_CHROME,
  OPT_LANG,
  OPT_LIST,
  OPT_MAX_ARTICLES,
  OPT_MAX_ARTICLE_SIZE,
  OPT_MAX_HTML_DEPTH,
  OPT_MAX_JSON_DEPTH,
  OPT_MAX_LINE,
  OPT_NEW_SINCE,
  OPT_NEWEST_FIRST,
  OPT_NO_DEDUPE,
  OPT_NO_HYPHENATE,
  OPT_OUTPUT,
  OPT_PAGE_SIZE,
  OPT_PDFA,
  OPT_QUIET,
  OPT_SINCE,
  OPT_SPLIT,
  OPT_STRICT,
  OPT_TITLE,
  OPT_TZ,
  OPT_UNTIL,
  OPT_VERSION,
  OPT_FETCH_IMAGES,
  OPT_IMAGE_CACHE,
  OPT_ALLOW_PRIVATE_HOSTS,
  OPT_IMAGE_MAX,
  OPT_GRAYSCALE_IMAGES,
  OPT_NO_IMAGES,
  OPT_COLUMNS
} opt_id;

typedef struct cli_option {
  const char *name; /* long name without "--" */
  char short_name;  /* or 0 */
  const char *arg;  /* metavariable, or NULL for a flag */
  opt_id id;
  const char *help;
} cli_option;

/* The table, sorted by name, and its length. */
extern const cli_option cli_options[];
extern const size_t cli_n_options;

typedef struct cli_config {
  gz_options opts;
  gz_write_options w;
  const char *output;
  bool format_given;
  bool list;
  bool json;
  bool strict;
  bool quiet;
  bool help;
  bool version;
  const char **inputs;
  size_t n_inputs;
  const char **fonts;
  size_t n_fonts;
  const char **fields;
  size_t n_fields;
} cli_config;

/* Parses argv into cfg. Returns 0, or EXIT_USAGE after printing why. */
int cli_parse(int argc, char **argv, cli_config *cfg);
void cli_config_free(cli_config *cfg);
void cli_print_help(void);

/* Every message leaves through here, as "gazette: FILE:LINE:COL: text". */
void msg_error(const char *fmt, ...);
void msg_diag(const gz_diag *dg, void *user);
void msg_gz_error(const gz_error *err);
void msg_set_quiet(bool quiet);
/* The progress line, when standard error is a terminal. */
void progress_init(bool enabled);
void progress_update(const char *stage, uint64_t done, uint64_t total, void *user);
void progress_clear(void);

#endif
