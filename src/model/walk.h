/*
 * walk.h - the one way the stages after grouping go through a digest: an
 * iterator over digest -> group -> article -> block with enter and exit
 * events, in the manner of cmark's iterator.
 *
 * A walk covers a range of groups (a job's) and, optionally, a slice of
 * each group's items (an EPUB part). With GZ_WALK_BODIES it loads each
 * article's body from the spool when it enters the article; with
 * GZ_WALK_BLOCKS it also enters each block. It counts progress when it
 * leaves an article and, with GZ_WALK_CANCEL, stops with GZ_ERR_CANCELED
 * before entering an article once the host asked to stop: writers do
 * neither themselves.
 *
 * Events, for groups G with articles A and blocks B:
 *   ENTER ROOT, ENTER G, ENTER A, ENTER B..., EXIT A, ..., EXIT G, ...,
 *   EXIT ROOT, then DONE (and DONE again). Blocks are leaves: they have
 *   no EXIT event. A failure (no memory, an unreadable spool, a cancel)
 *   is GZ_WALK_ERROR with `err` set, and every later call says it again.
 */
#ifndef GZ_WALK_H
#define GZ_WALK_H

#include "model/model.h"

/* Events are positive, so that a loop runs `while (gz_walk_next() > 0)`. */
typedef enum gz_walk_ev {
  GZ_WALK_ERROR = -1,
  GZ_WALK_DONE = 0,
  GZ_WALK_ENTER = 1,
  GZ_WALK_EXIT = 2
} gz_walk_ev;

typedef enum gz_walk_node {
  GZ_NODE_ROOT = 0,
  GZ_NODE_GROUP,
  GZ_NODE_ARTICLE,
  GZ_NODE_BLOCK
} gz_walk_node;

enum gz_walk_flags {
  GZ_WALK_BODIES = 1u << 0, /* load each article's body at its entry */
  GZ_WALK_BLOCKS = 1u << 1, /* enter each block (implies GZ_WALK_BODIES) */
  GZ_WALK_CANCEL = 1u << 2  /* stop with GZ_ERR_CANCELED when the host asks */
};

typedef struct gz_walk {
  /* what is walked (gz_walk_init, gz_walk_slice) */
  const gz_view *v;
  const gz_group *groups;
  size_t n_groups;
  size_t first, count; /* the items of each group walked */
  unsigned flags;
  gz_progress *progress; /* counted as each article is left; may be NULL */
  /* where the walk is: valid after an ENTER or EXIT of that node */
  gz_walk_node node;
  gz_walk_ev ev;
  size_t group;              /* index in groups */
  size_t item;               /* index in the group's items */
  size_t block;              /* index in body.blocks */
  size_t ordinal;            /* articles entered so far, the current one included */
  const gz_group *grp;       /* the current group */
  const gz_article *article; /* the current article */
  gz_body body;              /* its blocks, with GZ_WALK_BODIES; live until it is left */
  const gz_block *blk;       /* the current block */
  gz_arena arena;            /* the body's memory, cleared at each article */
  bool started, failed;
} gz_walk;

/* Walks `n_groups` groups from `groups` (which belong to v's digest).
 * Needs gz_walk_free. */
void gz_walk_init(gz_walk *w, const gz_view *v, const gz_group *groups, size_t n_groups,
                  unsigned flags);
/* Walks only items [first, first + count) of each group. */
void gz_walk_slice(gz_walk *w, size_t first, size_t count);
/* The next event; see the top of this file. `err` may be NULL for a walk
 * that cannot fail (neither GZ_WALK_BODIES nor GZ_WALK_CANCEL). */
gz_walk_ev gz_walk_next(gz_walk *w, gz_error *err);
void gz_walk_free(gz_walk *w);

/* Item `i` of a group: for lookups that are no walk (a contents line
 * that links to an article drawn earlier). */
const gz_article *gz_group_article(const gz_view *v, const gz_group *grp, size_t i);

#endif /* GZ_WALK_H */
