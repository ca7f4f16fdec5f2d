/*
 * core.h - the digest itself: private to the core.
 *
 * The core (src/model/) owns the digest's memory: options, the arena,
 * articles, groups, diagnostics, the spool and the chrome set. Writers
 * and the --new-since state never see this struct; they read the digest
 * through gz_digest_view() and walk it with the iterator (model/walk.h).
 * The two stages that fill it (the read stage: articles and counts as
 * they arrive; grouping: statuses, groups and labels at finish) do so
 * through the functions of model.h ("filling the digest"), not this
 * header: only src/model/ includes it.
 */
#ifndef GZ_CORE_H
#define GZ_CORE_H

#include "model/model.h"

struct gz_digest {
  const gz_allocator *al;
  gz_options opts;
  gz_arena arena; /* strings and arrays that live as long as the digest */
  gz_tz *tz;
  gz_tz *utc; /* for date_gmt */
  bool has_since, has_until;
  int64_t since_day, until_day;

  gz_article *articles;
  size_t n_articles, cap_articles;
  gz_input_info *inputs; /* the inputs read, for the plan */
  size_t n_inputs, cap_inputs;

  /* Records live in the arena and never move (gz_digest_diag's pointers
   * stay valid); only this array of pointers to them grows. */
  gz_diag_rec **diags;
  size_t n_diags, cap_diags;
  pthread_mutex_t diag_lock;

  /* the spool: normalised bodies */
  int spool_fd;
  char *spool_folder;
  uint64_t spool_size;
  gz_buf spool_buf; /* pending bytes not yet written */

  /* chrome found by repetition: keys of text blocks to leave out */
  gz_set64 chrome;

  gz_counts counts;
  gz_group *groups;
  size_t n_groups;
  bool finished;
  gz_view view;   /* what gz_digest_view hands the stages */
  gz_setup setup; /* what gz_digest_setup hands the filling stages */

  /* the read stage's own state (read/read.h), freed by its hook */
  struct gz_read_state *rd;
  void (*rd_free)(gz_digest *d);
  void (*rd_end)(gz_digest *d);

  /* --new-since: what was sent before, owned by group/state.c */
  struct gz_seen *seen;
  struct gz_field_map *maps; /* --field, in the arena */

  /* device and inode of every input file read and folder walked, so that
   * no output overwrites one (write/output.c) */
  gz_set64 input_ids;
};

#endif /* GZ_CORE_H */
