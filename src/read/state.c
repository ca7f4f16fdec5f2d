/*
 * state.c - the read stage's state between inputs (read.h): made on the
 * first input, freed with the digest through the hook it leaves there.
 */
#include <string.h>

#include "read/read.h"

static void read_state_free(gz_digest *d) {
  gz_pipeline_free(d);
  gz_read_state *rs = d->rd;
  gz_free(d->al, rs->pending);
  gz_arena_clear(&rs->dump_arena);
  gz_free(d->al, rs);
  d->rd = NULL;
}

int gz_read_state_attach(gz_digest *d) {
  if (d->rd) return 0;
  gz_read_state *rs = gz_malloc(d->al, sizeof *rs);
  if (!rs) return -1;
  memset(rs, 0, sizeof *rs);
  gz_arena_init(&rs->dump_arena, d->al);
  d->rd = rs;
  d->rd_free = read_state_free;
  return 0;
}
