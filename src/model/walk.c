/*
 * walk.c - the iterator over digest -> group -> article -> block
 * (walk.h), and the progress counter walks count into.
 */
#include <stdint.h>
#include <string.h>

#include "model/walk.h"

void gz_progress_written(gz_progress *p) {
  uint64_t done = atomic_fetch_add(&p->written, 1) + 1;
  if (!p->opts->on_progress) return;
  /* A busy lock means another thread is reporting: skip rather than wait. */
  if (pthread_mutex_trylock(&p->lock) != 0) return;
  p->opts->on_progress("writing", done, p->total, p->opts->progress_user);
  pthread_mutex_unlock(&p->lock);
}

const gz_article *gz_group_article(const gz_view *v, const gz_group *grp, size_t i) {
  return &v->articles[grp->items[i]];
}

void gz_walk_init(gz_walk *w, const gz_view *v, const gz_group *groups, size_t n_groups,
                  unsigned flags) {
  memset(w, 0, sizeof *w);
  w->v = v;
  w->groups = groups;
  w->n_groups = n_groups;
  w->count = SIZE_MAX;
  w->flags = flags & GZ_WALK_BLOCKS ? flags | GZ_WALK_BODIES : flags;
  gz_arena_init(&w->arena, v->al);
}

void gz_walk_slice(gz_walk *w, size_t first, size_t count) {
  w->first = first;
  w->count = count;
}

void gz_walk_free(gz_walk *w) { gz_arena_clear(&w->arena); }

static gz_walk_ev at(gz_walk *w, gz_walk_node node, gz_walk_ev ev) {
  w->node = node;
  w->ev = ev;
  return ev;
}

static gz_walk_ev fail(gz_walk *w) {
  w->failed = true;
  return w->ev = GZ_WALK_ERROR;
}

/* The end of the current group's items in this walk. */
static size_t items_end(const gz_walk *w) {
  size_t n = w->grp->n_items;
  if (w->first >= n) return w->first;
  return w->count < n - w->first ? w->first + w->count : n;
}

static gz_walk_ev enter_group(gz_walk *w, size_t g) {
  if (g >= w->n_groups) {
    w->grp = NULL;
    return at(w, GZ_NODE_ROOT, GZ_WALK_EXIT);
  }
  w->group = g;
  w->grp = &w->groups[g];
  w->article = NULL;
  return at(w, GZ_NODE_GROUP, GZ_WALK_ENTER);
}

static gz_walk_ev enter_article(gz_walk *w, size_t i, gz_error *err) {
  w->blk = NULL;
  w->body.blocks = NULL;
  w->body.n = 0;
  gz_arena_clear(&w->arena);
  if (i >= items_end(w)) {
    w->article = NULL;
    return at(w, GZ_NODE_GROUP, GZ_WALK_EXIT);
  }
  if (w->flags & GZ_WALK_CANCEL && gz_view_canceled(w->v)) {
    gz_error_set(err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
    return fail(w);
  }
  w->item = i;
  w->article = gz_group_article(w->v, w->grp, i);
  w->ordinal++;
  if (w->flags & GZ_WALK_BODIES && gz_body_load(w->v, w->article, &w->arena, &w->body, err))
    return fail(w);
  return at(w, GZ_NODE_ARTICLE, GZ_WALK_ENTER);
}

static gz_walk_ev enter_block(gz_walk *w, size_t b) {
  if (b >= w->body.n) {
    w->blk = NULL;
    return at(w, GZ_NODE_ARTICLE, GZ_WALK_EXIT);
  }
  w->block = b;
  w->blk = &w->body.blocks[b];
  return at(w, GZ_NODE_BLOCK, GZ_WALK_ENTER);
}

gz_walk_ev gz_walk_next(gz_walk *w, gz_error *err) {
  if (w->failed) return GZ_WALK_ERROR;
  if (!w->started) {
    w->started = true;
    return at(w, GZ_NODE_ROOT, GZ_WALK_ENTER);
  }
  if (w->ev == GZ_WALK_DONE) return GZ_WALK_DONE;
  switch (w->node) {
    case GZ_NODE_ROOT:
      if (w->ev == GZ_WALK_ENTER) return enter_group(w, 0);
      return at(w, GZ_NODE_ROOT, GZ_WALK_DONE);
    case GZ_NODE_GROUP:
      if (w->ev == GZ_WALK_ENTER) return enter_article(w, w->first, err);
      return enter_group(w, w->group + 1);
    case GZ_NODE_ARTICLE:
      if (w->ev == GZ_WALK_ENTER)
        return w->flags & GZ_WALK_BLOCKS ? enter_block(w, 0) : at(w, GZ_NODE_ARTICLE, GZ_WALK_EXIT);
      if (w->progress) gz_progress_written(w->progress);
      return enter_article(w, w->item + 1, err);
    case GZ_NODE_BLOCK:
      return enter_block(w, w->block + 1);
  }
  return GZ_WALK_DONE;
}
