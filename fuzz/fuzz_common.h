/*
 * fuzz_common.h - shared by the fuzz targets: the first input bytes pick
 * the options, so one target reaches many code paths.
 */
#ifndef GZ_FUZZ_COMMON_H
#define GZ_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gazette/gazette.h"

static const char *const fuzz_zones[] = {"UTC",          "Europe/Moscow",   "America/New_York",
                                         "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"};

/* A plan sink that drops what it is given. */
static inline int fuzz_discard(const void *p, size_t n, void *u) {
  (void)p, (void)n, (void)u;
  return 0;
}

/* Takes up to two bytes from the input for the options. */
static inline void fuzz_options(const uint8_t **data, size_t *size, gz_options *o,
                                gz_write_options *w) {
  gz_options_init(o);
  o->now = 1607343360; /* fixed: relative dates must not depend on the clock */
  o->max_article_size = 1 << 20;
  uint8_t a = *size > 0 ? (*data)[0] : 0, b = *size > 1 ? (*data)[1] : 0;
  if (*size >= 2) {
    *data += 2;
    *size -= 2;
  } else {
    *data += *size;
    *size = 0;
  }
  o->group_by = (gz_group_by)(a % 5);
  o->date_order = (gz_date_order)((a >> 3) % 3);
  o->newest_first = (a >> 5) & 1;
  o->keep_chrome = (a >> 6) & 1;
  o->dedupe = !((a >> 7) & 1);
  o->tz = fuzz_zones[b % (sizeof fuzz_zones / sizeof fuzz_zones[0])];
  o->input_format = (gz_input_format)((b >> 3) & 3);
  if (w) {
    gz_write_options_init(w);
    w->format = (b >> 5) & 1 ? GZ_FORMAT_PDF : GZ_FORMAT_EPUB;
    w->page_size = (gz_page_size)(((b >> 6) & 3) % 3);
    w->jobs = 1;
    w->deflate_level = 1;
    w->has_modified = 1;
    w->modified = 1607343360;
  }
}

/* Ends a digest the way every reader's target does: grouping, the plan
 * (JSON or text), and the accounting every plan must add up to. */
static inline void fuzz_finish_and_free(gz_digest *d, int json) {
  gz_error err;
  if (gz_digest_finish(d, &err) == 0) gz_digest_write_plan(d, json, fuzz_discard, NULL, &err);
  gz_counts c = gz_digest_counts(d);
  if (c.read != c.written + c.duplicates + c.filtered + c.skipped) __builtin_trap();
  gz_digest_free(d);
}

/* Reads data as one input named `name` under `o`, then the above. */
static inline void fuzz_read_one(const gz_options *o, const char *name, const uint8_t *data,
                                 size_t size, int json) {
  gz_error err;
  gz_digest *d = gz_digest_new(o, &err);
  if (!d) return;
  gz_digest_add_memory(d, name, data, size, &err);
  fuzz_finish_and_free(d, json);
}
#endif
