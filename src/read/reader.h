/*
 * reader.h - the reader contract and the table of readers.
 *
 * A reader turns the clean UTF-8 of one input (LF line ends, fed chunk by
 * chunk) into raw articles for gz_ingest_raw(). Each is one row of a
 * table; the table drives the choice of reader for an input (by
 * --input-format, by extension, else by sniffing), the extensions a
 * folder walk reads, and the names --input-format takes. A new reader is
 * a folder under src/read/ with its row, and that row's name in the list
 * of readers.c.
 */
#ifndef GZ_READ_READER_H
#define GZ_READ_READER_H

#include "read/read.h"

typedef struct gz_reader_class {
  const char *name;              /* as --input-format takes it: "jsonl" */
  const char *about;             /* a few words for help texts: "JSON Lines" */
  const char *const *extensions; /* file names it reads: {".jsonl", ".ndjson", NULL} */
  /* Does an input whose clean text starts with s[0..n) look like this
   * format? NULL: chosen only by extension or --input-format. */
  bool (*sniff)(const char *s, size_t n);
  /* `path` is the input's file name, NULL for standard input. */
  void *(*new_reader)(gz_input *in, const char *path);
  int (*feed)(void *r, const char *s, size_t n); /* -1: in->failed, or the read stopped */
  int (*finish)(void *r);
  void (*free_reader)(void *r); /* NULL is allowed */
} gz_reader_class;

/* Rows in order: sniffing asks them in this order. --input-format's value
 * k (1, 2, ...) names row k - 1, so new rows go at the end and the
 * numbers of gz_input_format stay. */
typedef struct gz_reader_table {
  const gz_reader_class *const *rows;
  size_t n;
  const gz_reader_class *fallback; /* reads what no row claims */
} gz_reader_table;

extern const gz_reader_table gz_builtin_readers;

/* gz_digest_add_path() and gz_digest_add_memory() with the readers of
 * `t`: the built-in table there, another one in tests. */
int gz_read_add_path(gz_digest *d, const gz_reader_table *t, const char *path, gz_error *err);
int gz_read_add_memory(gz_digest *d, const gz_reader_table *t, const char *name, const void *data,
                       size_t size, gz_error *err);

#endif /* GZ_READ_READER_H */
