/*
 * json.h - what the JSON stream (json.c) and the shapes (shapes.c) share.
 *
 * json.c finds the records in a dump (at any depth of wrappers) and holds
 * each as a tree; shapes.c tells which producer wrote it and picks its
 * fields into a raw article for ingest.
 */
#ifndef GZ_READ_JSON_H
#define GZ_READ_JSON_H

#include "read/json/tree.h"
#include "read/read.h"

/* One record, with the wrappers around it: ctx[0] is the innermost
 * wrapper object (its members other than the records), ctx[n_ctx - 1]
 * the outermost. */
typedef struct gz_json_record {
  const jtree *t;
  jref node;
  const jref *ctx;
  size_t n_ctx;
  unsigned long line, col;
  uint64_t bytes;
} gz_json_record;

typedef enum gz_shape_verdict {
  GZ_SHAPE_EMIT = 0, /* picked into the raw article */
  GZ_SHAPE_HOLD,     /* read it once its wrapper has ended (Ghost joins tables) */
  GZ_SHAPE_SKIP      /* not an article (an activity pointing elsewhere): skipped, told */
} gz_shape_verdict;

/* Scratch space for picking one record's fields, reused record after
 * record. */
typedef struct gz_shape_scratch {
  gz_buf field[GZ_F_COUNT];
  char why[160]; /* the skip message of GZ_SHAPE_SKIP */
} gz_shape_scratch;

void gz_shape_scratch_init(gz_shape_scratch *s, const gz_allocator *al);
void gz_shape_scratch_free(gz_shape_scratch *s);

/* Tells the record's shape and fills `raw` (pointing into the tree and
 * the scratch); `shape` gets the shape's name. `held` says the record
 * is read after its wrapper ended (its tables are in ctx now). */
gz_shape_verdict gz_shape_pick(gz_input *in, const gz_json_record *rec, bool held,
                               gz_shape_scratch *s, gz_raw_article *raw, const char **shape);

/* Would an object with this key be a record rather than a wrapper? Keys
 * only articles have (a body, a publication date, a URL). */
bool gz_shape_record_key(const char *key, size_t len);

#endif /* GZ_READ_JSON_H */
