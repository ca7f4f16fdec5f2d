/*
 * state.c - the read stage's state between inputs (read.h): made on the
 * first input, freed with the digest through the hook it leaves there.
 */
#include <string.h>

#include "read/read.h"
#include "util/fieldmap.h"

static void read_state_free(gz_digest *d) {
  gz_pipeline_free(d);
  gz_read_state *rs = gz_digest_read_state(d);
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_free(al, rs->pending);
  gz_free(al, rs->map_hits);
  gz_arena_clear(&rs->dump_arena);
  gz_free(al, rs);
  gz_digest_set_read_state(d, NULL, NULL);
}

/* A --field mapping that matched no record is most likely a typing
 * mistake: said once, at the end, with the mapping as given. */
static void read_end(gz_digest *d) {
  gz_read_state *rs = gz_digest_read_state(d);
  const gz_setup *set = gz_digest_setup(d);
  for (size_t i = 0; rs && i < set->n_maps; i++)
    if (!rs->map_hits[i])
      gz_diag_add(d, GZ_SEV_WARNING, "", 0, 0, "--field %s matched no record of any input",
                  set->maps[i].spec);
}

int gz_read_state_attach(gz_digest *d) {
  if (gz_digest_read_state(d)) return 0;
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_read_state *rs = gz_malloc(al, sizeof *rs);
  if (!rs) return -1;
  memset(rs, 0, sizeof *rs);
  size_t n_maps = gz_digest_setup(d)->n_maps;
  if (n_maps && !(rs->map_hits = gz_malloc(al, n_maps * sizeof *rs->map_hits))) {
    gz_free(al, rs);
    return -1;
  }
  if (n_maps) memset(rs->map_hits, 0, n_maps * sizeof *rs->map_hits);
  gz_arena_init(&rs->dump_arena, al);
  gz_digest_set_read_state(d, rs, read_state_free);
  gz_digest_set_read_end(d, read_end);
  return 0;
}

void gz_read_map_hit(gz_input *in, size_t i) {
  gz_read_state *rs = gz_digest_read_state(in->d);
  if (rs && rs->map_hits && i < gz_digest_setup(in->d)->n_maps) rs->map_hits[i] = true;
}
