/*
 * readers.c - the built-in readers' table, and what the public API tells
 * of it (gz_input_format_info).
 */
#include "read/reader.h"

/* The readers, in the order of gz_input_format and of sniffing; a new
 * one goes at the end. */
#define GZ_READERS(X) X(json) X(jsonl) X(text) X(csv) X(tsv) X(feed) X(markdown) X(html)

#define DECLARE(n) extern const gz_reader_class gz_reader_##n;
GZ_READERS(DECLARE)
#undef DECLARE

#define ROW(n) &gz_reader_##n,
static const gz_reader_class *const rows[] = {GZ_READERS(ROW)};
#undef ROW

/* Scraped pages have no shape to sniff: text is what is left. */
const gz_reader_table gz_builtin_readers = {rows, sizeof rows / sizeof rows[0], &gz_reader_text};

int gz_input_format_info(gz_input_format f, const char **name, const char **about,
                         const char *const **extensions) {
  if ((int)f < 1 || (size_t)f > gz_builtin_readers.n) return -1;
  const gz_reader_class *r = gz_builtin_readers.rows[f - 1];
  if (name) *name = r->name;
  if (about) *about = r->about;
  if (extensions) *extensions = r->extensions;
  return 0;
}
