/*
 * read_digest.h - the unit tests' way to read a dump held in memory: a
 * digest with the given options (defaults when NULL), finished, with
 * every step checked.
 */
#ifndef GZ_READ_DIGEST_H
#define GZ_READ_DIGEST_H

#include "model/model.h"
#include "testing.h"

static inline gz_digest *read_digest(const char *name, const char *data, size_t len,
                                     gz_options *o) {
  gz_options defaults;
  if (!o) {
    gz_options_init(&defaults);
    o = &defaults;
  }
  gz_error err;
  gz_digest *d = gz_digest_new(o, &err);
  CHECK(d != NULL);
  if (!d) return NULL;
  CHECK_INT(gz_digest_add_memory(d, name, data, len, &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  return d;
}

#endif
