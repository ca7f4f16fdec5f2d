/*
 * options.c - the command line, parsed from one sorted table.
 *
 * Each option is looked up by name (bsearch) and handled in one switch;
 * --help is printed from the same table, so an option cannot exist
 * without its help line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

/* Sorted by name (strcmp order): cli_parse looks options up with bsearch. */
const cli_option cli_options[] = {
    {"align", 0, "MODE", OPT_ALIGN,
     "PDF body text: justify (default; hyphenated, lines chosen per paragraph), left (ragged "
     "right) or first-fit (justified, lines filled one at a time)"},
    {"allow-private-hosts", 0, NULL, OPT_ALLOW_PRIVATE_HOSTS,
     "with --fetch-images: also fetch from loopback, private and link-local addresses "
     "(intranet archives)"},
    {"author", 0, "NAME", OPT_AUTHOR, "author shown in the digest's metadata"},
    {"columns", 0, "N", OPT_COLUMNS,
     "PDF article bodies in 1 (default) or 2 balanced columns under a full-width title (2: A4 "
     "or letter only)"},
    {"date-order", 0, "ORDER", OPT_DATE_ORDER,
     "how to read slash dates like 07/12/2020: dmy (default), mdy or ymd"},
    {"deflate-level", 0, "N", OPT_DEFLATE_LEVEL,
     "EPUB compression, 1 (fastest) to 9 (smallest); default 3"},
    {"fetch-images", 0, NULL, OPT_FETCH_IMAGES,
     "fetch remote (http, https) images and embed them; without it they are left out"},
    {"field", 0, "NAME=PATH", OPT_FIELD,
     "read NAME (items, title, body, summary, date, captured, author, url, tags, image, lang) "
     "from PATH in each record: headline.main, links[0].href, /headline/main (repeatable)"},
    {"font", 0, "FILE", OPT_FONT, "a TrueType font to use ahead of the system's (repeatable)"},
    {"format", 'f', "FORMAT", OPT_FORMAT, "epub or pdf (default: from the -o extension)"},
    {"grayscale-images", 0, NULL, OPT_GRAYSCALE_IMAGES, "embed images in shades of grey (e-ink)"},
    {"group-by", 'g', "UNIT", OPT_GROUP_BY, "day (default), week, month, year or all"},
    {"help", 'h', NULL, OPT_HELP, "show this help and exit"},
    {"image-cache", 0, "DIR", OPT_IMAGE_CACHE,
     "keep fetched images in DIR (default: $XDG_CACHE_HOME/gazette/images)"},
    {"image-max", 0, "N", OPT_IMAGE_MAX,
     "scale images down to N pixels on their long side (default: 1600)"},
    {"input-format", 0, "FORMAT", OPT_INPUT_FORMAT,
     "auto (default: by extension, else sniffed)"}, /* then the formats' names */
    {"jobs", 'j', "N", OPT_JOBS, "threads to use (default: the number of cores)"},
    {"json", 0, NULL, OPT_JSON, "with --list: print the plan as one JSON document"},
    {"keep-chrome", 0, NULL, OPT_KEEP_CHROME,
     "keep sidebars, repeated footers and capture dates of scraped pages as body"},
    {"lang", 0, "TAG", OPT_LANG, "language of the digest (default: en)"},
    {"list", 'l', NULL, OPT_LIST, "write no file: print the plan of groups and articles"},
    {"max-article-size", 0, "BYTES", OPT_MAX_ARTICLE_SIZE,
     "skip articles larger than this (default: 16M)"},
    {"max-articles", 0, "N", OPT_MAX_ARTICLES,
     "skip articles beyond this many in one digest (default: 1000000)"},
    {"max-html-depth", 0, "N", OPT_MAX_HTML_DEPTH,
     "flatten HTML nested deeper than this (default: 256)"},
    {"max-json-depth", 0, "N", OPT_MAX_JSON_DEPTH,
     "stop at JSON nested deeper than this (default: 512)"},
    {"max-line", 0, "BYTES", OPT_MAX_LINE,
     "skip text articles with a line longer than this (default: 64M)"},
    {"new-since", 0, "STATE", OPT_NEW_SINCE,
     "only articles not sent before, as recorded in the file STATE (updated after writing)"},
    {"newest-first", 0, NULL, OPT_NEWEST_FIRST, "put the newest groups and articles first"},
    {"no-dedupe", 0, NULL, OPT_NO_DEDUPE, "keep duplicate articles"},
    {"no-hyphenate", 0, NULL, OPT_NO_HYPHENATE, "do not hyphenate the PDF's justified text"},
    {"no-images", 0, NULL, OPT_NO_IMAGES, "embed no images; their alt text stays as a caption"},
    {"output", 'o', "PATH", OPT_OUTPUT,
     "write to PATH (.epub or .pdf); - is standard output; with --split, a template"},
    {"page-size", 0, "SIZE", OPT_PAGE_SIZE, "PDF page size: a4 (default), letter or a5"},
    {"pdfa", 0, NULL, OPT_PDFA, "write PDF/A-1b (for archiving)"},
    {"quiet", 'q', NULL, OPT_QUIET, "print errors only: no warnings, progress or summary"},
    {"since", 0, "DATE", OPT_SINCE,
     "only articles from DATE on: 2020-12-07, today, yesterday, -7d, -2w, -1m"},
    {"split", 0, NULL, OPT_SPLIT, "one file per group; PATH is a template with %Y %m %d %G %V %j"},
    {"strict", 0, NULL, OPT_STRICT, "write nothing (exit 3) when anything would be skipped"},
    {"title", 't', "TEXT", OPT_TITLE, "title of the digest (default: Digest)"},
    {"tz", 0, "ZONE", OPT_TZ,
     "time zone for dates and grouping, e.g. Europe/Berlin (default: UTC)"},
    {"until", 0, "DATE", OPT_UNTIL, "only articles up to DATE (inclusive); same forms as --since"},
    {"version", 'V', NULL, OPT_VERSION, "show the version and exit"},
};
const size_t cli_n_options = sizeof cli_options / sizeof cli_options[0];

/* The order --help shows them in, by purpose. */
static const struct {
  const char *heading;
  opt_id ids[12];
  int n;
} help_sections[] = {
    {"Output", {OPT_OUTPUT, OPT_FORMAT, OPT_SPLIT, OPT_TITLE, OPT_AUTHOR, OPT_LANG}, 6},
    {"Plan", {OPT_LIST, OPT_JSON}, 2},
    {"Dates and groups",
     {OPT_GROUP_BY, OPT_SINCE, OPT_UNTIL, OPT_NEWEST_FIRST, OPT_TZ, OPT_DATE_ORDER, OPT_NEW_SINCE},
     7},
    {"Reading", {OPT_INPUT_FORMAT, OPT_FIELD, OPT_NO_DEDUPE, OPT_KEEP_CHROME, OPT_STRICT}, 5},
    {"PDF", {OPT_PAGE_SIZE, OPT_PDFA, OPT_FONT, OPT_ALIGN, OPT_NO_HYPHENATE, OPT_COLUMNS}, 6},
    {"Images",
     {OPT_FETCH_IMAGES, OPT_IMAGE_CACHE, OPT_ALLOW_PRIVATE_HOSTS, OPT_IMAGE_MAX,
      OPT_GRAYSCALE_IMAGES, OPT_NO_IMAGES},
     6},
    {"Limits",
     {OPT_MAX_ARTICLE_SIZE, OPT_MAX_LINE, OPT_MAX_JSON_DEPTH, OPT_MAX_HTML_DEPTH, OPT_MAX_ARTICLES},
     5},
    {"Running", {OPT_JOBS, OPT_DEFLATE_LEVEL, OPT_QUIET, OPT_HELP, OPT_VERSION}, 5},
};

static const cli_option *by_id(opt_id id) {
  for (size_t i = 0; i < cli_n_options; i++)
    if (cli_options[i].id == id) return &cli_options[i];
  return NULL;
}

/* Prints the words of `text` from column `pos` on, wrapping lines at
 * `width` columns and starting each new line at column `indent`. */
static void print_words(const char *text, int pos, int indent, int width) {
  const char *p = text;
  while (*p) {
    size_t word = strcspn(p, " ");
    if (pos > indent && pos + 1 + (int)word > width) {
      printf("\n%*s", indent, "");
      pos = indent;
    } else if (pos > indent) {
      putchar(' ');
      pos++;
    }
    printf("%.*s", (int)word, p);
    pos += (int)word;
    p += word;
    while (*p == ' ') p++;
  }
  putchar('\n');
}

/* One option: its names in a column, its help wrapped at 79 columns. */
static void print_wrapped(const char *left, const char *help) {
  const int col = 31, width = 79;
  int pos = printf("  %-28s ", left);
  if (pos > col) {
    printf("\n%*s", col, "");
  }
  print_words(help, col, col, width);
}

/* The input formats the library reads, joined: each one's name, words
 * about it, or extensions as "*.ext" ("json, jsonl or text"). */
enum { FMT_NAMES, FMT_ABOUT, FMT_EXTENSIONS };
static void join_formats(char *out, size_t cap, int what, const char *sep, const char *last_sep) {
  const char *items[64];
  char globs[64][24];
  size_t n = 0;
  const char *name, *about;
  const char *const *ext;
  for (int f = 1; gz_input_format_info((gz_input_format)f, &name, &about, &ext) == 0; f++) {
    if (what == FMT_EXTENSIONS) {
      for (; *ext && n < 64; ext++, n++) {
        snprintf(globs[n], sizeof globs[n], "*%s", *ext);
        items[n] = globs[n];
      }
    } else if (n < 64) {
      items[n++] = what == FMT_NAMES ? name : about;
    }
  }
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < n && used < cap; i++) {
    const char *s = i == 0 ? "" : i + 1 == n ? last_sep : sep;
    int w = snprintf(out + used, cap - used, "%s%s", s, items[i]);
    if (w < 0) break;
    used += (size_t)w;
  }
}

/* A paragraph, wrapped at `width` columns. */
static void print_paragraph(const char *text, int width) { print_words(text, 0, 0, width); }

/* An option's help; --input-format's ends with the formats' names. */
static const char *option_help(const cli_option *o, char *buf, size_t cap) {
  if (o->id != OPT_INPUT_FORMAT) return o->help;
  char names[256];
  join_formats(names, sizeof names, FMT_NAMES, ", ", " or ");
  snprintf(buf, cap, "%s, %s", o->help, names);
  return buf;
}

void cli_print_help(void) {
  char about[256], globs[256], intro[768];
  join_formats(about, sizeof about, FMT_ABOUT, ", ", ", ");
  join_formats(globs, sizeof globs, FMT_EXTENSIONS, ", ", " and ");
  printf("Usage: gazette [OPTIONS] INPUT...\n");
  snprintf(intro, sizeof intro,
           "Turn archive dumps of news articles (%s) into EPUB and PDF digests grouped by date. "
           "INPUT is a file, a folder (its %s files) or - for standard input.",
           about, globs);
  print_paragraph(intro, 76);
  for (size_t s = 0; s < sizeof help_sections / sizeof help_sections[0]; s++) {
    printf("\n%s:\n", help_sections[s].heading);
    for (int k = 0; k < help_sections[s].n; k++) {
      const cli_option *o = by_id(help_sections[s].ids[k]);
      char left[64];
      if (o->short_name)
        snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
      else
        snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
      char help[768];
      print_wrapped(left, option_help(o, help, sizeof help));
    }
  }
  printf(
      "\nExamples:\n"
      "  gazette dump.json -o digest.epub\n"
      "      one EPUB, a chapter per day\n"
      "  gazette archive/ --since -7d --group-by week -o weekly.pdf\n"
      "      last week's articles as a PDF, e.g. from cron every Monday\n"
      "  gazette archive.jsonl --group-by month --split -o 'books/%%Y-%%m.epub'\n"
      "      a ten-year archive as one EPUB per month (books/ is created; undated\n"
      "      articles go to books/undated.epub; unchanged months are not rewritten)\n"
      "  gazette scraped/ --list --json | jq '.counts'\n"
      "      the plan for scripts, no file written\n"
      "\nExit status: 0 all written; 1 written, but something was skipped; 2 usage\n"
      "error; 3 nothing written (unusable input, or --strict); 4 the output could\n"
      "not be written.\n"
      "Environment: SOURCE_DATE_EPOCH fixes the digest's dates; TMPDIR holds the\n"
      "temporary spool; GAZETTE_NOW fixes \"now\" for relative dates.\n"
      "See gazette(1) for more.\n");
}

static int cmp_opt(const void *key, const void *elem) {
  return strcmp(key, ((const cli_option *)elem)->name);
}

static const cli_option *find_long(const char *name, size_t len) {
  char buf[64];
  if (len >= sizeof buf) return NULL;
  memcpy(buf, name, len);
  buf[len] = '\0';
  return bsearch(buf, cli_options, cli_n_options, sizeof cli_options[0], cmp_opt);
}

static const cli_option *find_short(char c) {
  for (size_t i = 0; i < cli_n_options; i++)
    if (cli_options[i].short_name == c) return &cli_options[i];
  return NULL;
}

static int usage(const char *fmt, const char *a, const char *b) {
  char msg[512];
  snprintf(msg, sizeof msg, fmt, a, b);
  msg_error("%s (see gazette --help)", msg);
  return EXIT_USAGE;
}

/* "16M", "512K", "1G", "1000" */
static int parse_size(const char *s, size_t *out) {
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (end == s || errno || *s == '-') return -1;
  unsigned long long mul = 1;
  if (*end == 'K' || *end == 'k')
    mul = 1024, end++;
  else if (*end == 'M' || *end == 'm')
    mul = 1024 * 1024, end++;
  else if (*end == 'G' || *end == 'g')
    mul = 1024ull * 1024 * 1024, end++;
  if (*end == 'B' || *end == 'b') end++;
  if (*end || v == 0 || v > SIZE_MAX / mul) return -1;
  *out = (size_t)(v * mul);
  return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out) {
  errno = 0;
  char *end;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno || v < lo || v > hi) return -1;
  *out = (int)v;
  return 0;
}

static int choose(const char *value, const char *const *names, int n) {
  for (int i = 0; i < n; i++)
    if (strcmp(value, names[i]) == 0) return i;
  return -1;
}

static int apply(cli_config *c, const cli_option *o, const char *v) {
  static const char *const group_names[] = {"day", "week", "month", "year", "all"};
  static const char *const order_names[] = {"dmy", "mdy", "ymd"};
  static const char *const format_names[] = {"epub", "pdf"};
  static const char *const page_names[] = {"a4", "letter", "a5"};
  /* in gz_align's order */
  static const char *const align_names[] = {"justify", "left", "first-fit"};
  int k;
  size_t sz;
  switch (o->id) {
    case OPT_AUTHOR:
      c->w.author = v;
      break;
    case OPT_DATE_ORDER:
      if ((k = choose(v, order_names, 3)) < 0)
        return usage("--date-order %s: use dmy, mdy or ymd", v, "");
      c->opts.date_order = (gz_date_order)k;
      break;
    case OPT_FETCH_IMAGES:
      c->w.fetch_images = 1;
      break;
    case OPT_IMAGE_CACHE:
      c->w.image_cache = v;
      break;
    case OPT_ALLOW_PRIVATE_HOSTS:
      c->w.allow_private_hosts = 1;
      break;
    case OPT_IMAGE_MAX:
      /* below 16 pixels nothing is recognisable; above 10000 a page gains nothing */
      if (parse_int(v, 16, 10000, &k)) return usage("--image-max %s: use 16 to 10000", v, "");
      c->w.image_max = k;
      break;
    case OPT_GRAYSCALE_IMAGES:
      c->w.grayscale_images = 1;
      break;
    case OPT_NO_IMAGES:
      c->w.no_images = 1;
      break;
    case OPT_DEFLATE_LEVEL:
      if (parse_int(v, 1, 9, &k)) return usage("--deflate-level %s: use 1 to 9", v, "");
      c->w.deflate_level = k;
      break;
    case OPT_FIELD: {
      const char **f = realloc(c->fields, (c->n_fields + 1) * sizeof *f);
      if (!f) return usage("out of memory%s%s", "", "");
      c->fields = f;
      c->fields[c->n_fields++] = v;
      c->opts.field_maps = c->fields;
      c->opts.n_field_maps = c->n_fields;
      break;
    }
    case OPT_FONT: {
      const char **f = realloc(c->fonts, (c->n_fonts + 1) * sizeof *f);
      if (!f) return usage("out of memory%s%s", "", "");
      c->fonts = f;
      c->fonts[c->n_fonts++] = v;
      break;
    }
    case OPT_FORMAT:
      if ((k = choose(v, format_names, 2)) < 0) return usage("--format %s: use epub or pdf", v, "");
      c->w.format = (gz_format)k;
      c->format_given = true;
      break;
    case OPT_GROUP_BY:
      if ((k = choose(v, group_names, 5)) < 0)
        return usage("--group-by %s: use day, week, month, year or all", v, "");
      c->opts.group_by = (gz_group_by)k;
      break;
    case OPT_HELP:
      c->help = true;
      break;
    case OPT_INPUT_FORMAT: {
      const char *name;
      k = strcmp(v, "auto") == 0 ? 0 : -1;
      for (int f = 1; k < 0 && gz_input_format_info((gz_input_format)f, &name, NULL, NULL) == 0;
           f++)
        if (strcmp(v, name) == 0) k = f;
      if (k < 0) {
        char names[256];
        join_formats(names, sizeof names, FMT_NAMES, ", ", " or ");
        return usage("--input-format %s: use auto, %s", v, names);
      }
      c->opts.input_format = (gz_input_format)k;
      break;
    }
    case OPT_JOBS:
      if (parse_int(v, 1, 64, &k)) return usage("--jobs %s: use 1 to 64", v, "");
      c->w.jobs = k;
      break;
    case OPT_JSON:
      c->json = true;
      break;
    case OPT_KEEP_CHROME:
      c->opts.keep_chrome = 1;
      break;
    case OPT_LANG:
      if (!*v || strlen(v) > 35 ||
          strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(v))
        return usage("--lang %s: not a language tag such as en or pt-BR", v, "");
      c->w.lang = v;
      break;
    case OPT_LIST:
      c->list = true;
      break;
    case OPT_MAX_ARTICLES:
      if (parse_size(v, &sz)) return usage("--max-articles %s: not a positive number", v, "");
      c->opts.max_articles = sz;
      break;
    case OPT_MAX_ARTICLE_SIZE:
      if (parse_size(v, &sz)) return usage("--max-article-size %s: not a size such as 16M", v, "");
      c->opts.max_article_size = sz;
      break;
    case OPT_MAX_HTML_DEPTH:
      if (parse_int(v, 1, 1024, &k)) return usage("--max-html-depth %s: use 1 to 1024", v, "");
      c->opts.max_html_depth = k;
      break;
    case OPT_MAX_JSON_DEPTH:
      if (parse_int(v, 2, 100000, &k)) return usage("--max-json-depth %s: use 2 to 100000", v, "");
      c->opts.max_json_depth = k;
      break;
    case OPT_MAX_LINE:
      if (parse_size(v, &sz)) return usage("--max-line %s: not a size such as 64M", v, "");
      c->opts.max_line = sz;
      break;
    case OPT_NEW_SINCE:
      c->opts.new_since_state = v;
      break;
    case OPT_NEWEST_FIRST:
      c->opts.newest_first = 1;
      break;
    case OPT_NO_DEDUPE:
      c->opts.dedupe = 0;
      break;
    case OPT_OUTPUT:
      c->output = v;
      break;
    case OPT_ALIGN:
      if ((k = choose(v, align_names, 3)) < 0)
        return usage("--align %s: use justify, left or first-fit", v, "");
      c->w.align = k;
      break;
    case OPT_COLUMNS:
      if (parse_int(v, 1, 2, &k)) return usage("--columns %s: use 1 or 2", v, "");
      c->w.columns = k;
      break;
    case OPT_NO_HYPHENATE:
      c->w.no_hyphenate = 1;
      break;
    case OPT_PAGE_SIZE:
      if ((k = choose(v, page_names, 3)) < 0)
        return usage("--page-size %s: use a4, letter or a5", v, "");
      c->w.page_size = (gz_page_size)k;
      break;
    case OPT_PDFA:
      c->w.pdfa = 1;
      break;
    case OPT_QUIET:
      c->quiet = true;
      break;
    case OPT_SINCE:
      c->opts.since = v;
      break;
    case OPT_SPLIT:
      c->w.split = 1;
      break;
    case OPT_STRICT:
      c->strict = true;
      break;
    case OPT_TITLE:
      c->w.title = v;
      break;
    case OPT_TZ:
      c->opts.tz = v;
      break;
    case OPT_UNTIL:
      c->opts.until = v;
      break;
    case OPT_VERSION:
      c->version = true;
      break;
  }
  return 0;
}

static int add_input(cli_config *c, const char *path) {
  const char **in = realloc(c->inputs, (c->n_inputs + 1) * sizeof *in);
  if (!in) return usage("out of memory%s%s", "", "");
  c->inputs = in;
  c->inputs[c->n_inputs++] = path;
  return 0;
}

int cli_parse(int argc, char **argv, cli_config *c) {
  memset(c, 0, sizeof *c);
  gz_options_init(&c->opts);
  gz_write_options_init(&c->w);
  bool only_inputs = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (only_inputs || arg[0] != '-' || strcmp(arg, "-") == 0) {
      if (add_input(c, arg)) return EXIT_USAGE;
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      only_inputs = true;
      continue;
    }
    if (arg[1] == '-') {
      const char *name = arg + 2, *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      const cli_option *o = find_long(name, len);
      if (!o) return usage("unknown option --%s", name, "");
      const char *v = NULL;
      if (o->arg) {
        if (eq)
          v = eq + 1;
        else if (i + 1 < argc)
          v = argv[++i];
        else
          return usage("--%s needs a value (%s)", o->name, o->arg);
      } else if (eq) {
        return usage("--%s takes no value", o->name, "");
      }
      if (apply(c, o, v)) return EXIT_USAGE;
      continue;
    }
    /* Short options, possibly bundled: -ql, -o out.epub, -oout.epub */
    for (const char *p = arg + 1; *p; p++) {
      const cli_option *o = find_short(*p);
      char name[2] = {*p, 0};
      if (!o) return usage("unknown option -%s", name, "");
      const char *v = NULL;
      if (o->arg) {
        if (p[1])
          v = p + 1;
        else if (i + 1 < argc)
          v = argv[++i];
        else
          return usage("-%s needs a value (%s)", name, o->arg);
        if (apply(c, o, v)) return EXIT_USAGE;
        break;
      }
      if (apply(c, o, NULL)) return EXIT_USAGE;
    }
  }
  if (c->w.columns == 2 && c->w.page_size == GZ_PAGE_A5)
    return usage("--columns 2: A5 is too narrow for two columns, use --page-size a4 or letter%s%s",
                 "", "");
  return 0;
}

void cli_config_free(cli_config *c) {
  free(c->inputs);
  free(c->fonts);
  free(c->fields);
}
