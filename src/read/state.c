/*
 * state.c - the read stage's state between inputs (read.h): made on the
 * first input, freed with the digest through the hook it leaves there.
 */
#include <string.h>

#include "read/read.h"

static void read_state_free(gz_digest *d) {
  gz_pipeline_free(d);
  gz_read_state *rs = gz_digest_read_state(d);
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_free(al, rs->pending);
  gz_arena_clear(&rs->dump_arena);
  gz_free(al, rs);
  gz_digest_set_read_state(d, NULL, NULL);
}

int gz_read_state_attach(gz_digest *d) {
  if (gz_digest_read_state(d)) return 0;
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_read_state *rs = gz_malloc(al, sizeof *rs);
  if (!rs) return -1;
  memset(rs, 0, sizeof *rs);
  gz_arena_init(&rs->dump_arena, al);
  gz_digest_set_read_state(d, rs, read_state_free);
  return 0;
}
