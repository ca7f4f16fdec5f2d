/*
 * iter.c - the public iterator (gazette.h): the core's walk over groups
 * and articles, handing out copies of what the host may read.
 */
#include <string.h>

#include "model/walk.h"

struct gz_iter {
  gz_walk walk;
  const gz_allocator *al;
  gz_group_info group;
  gz_article_info article;
};

gz_iter *gz_iter_new(gz_digest *d, gz_error *err) {
  gz_error_clear(err);
  const gz_view *v = gz_digest_view(d);
  if (!v->finished) {
    gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "gz_digest_finish() must come first");
    return NULL;
  }
  gz_iter *it = gz_malloc(v->al, sizeof *it);
  if (!it) {
    gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return NULL;
  }
  memset(it, 0, sizeof *it);
  it->al = v->al;
  gz_walk_init(&it->walk, v, v->groups, v->n_groups, 0);
  return it;
}

static void fill_group(gz_iter *it) {
  const gz_group *g = it->walk.grp;
  gz_group_info *gi = &it->group;
  gi->index = it->walk.group;
  gi->label = g->label;
  gi->short_label = g->short_label;
  gi->undated = g->undated;
  gi->n_articles = g->n_items;
  gi->start[0] = gi->end[0] = '\0';
  if (!g->undated) {
    gz_format_ymd(gi->start, sizeof gi->start, g->start);
    gz_format_ymd(gi->end, sizeof gi->end, g->end);
  }
}

static void fill_article(gz_iter *it) {
  const gz_article *a = it->walk.article;
  gz_article_info *ai = &it->article;
  ai->title = a->title;
  ai->url = a->url;
  ai->authors = a->authors;
  ai->n_authors = a->n_authors;
  ai->tags = a->tags;
  ai->n_tags = a->n_tags;
  ai->lang = a->lang;
  ai->dated = a->dated;
  ai->time = a->dated ? a->when.utc : 0;
  ai->file = a->file;
  ai->line = a->line;
  ai->words = a->words;
}

gz_event gz_iter_next(gz_iter *it) {
  gz_walk_ev ev = gz_walk_next(&it->walk, NULL);
  if (ev <= GZ_WALK_DONE) return GZ_EVENT_DONE;
  if (ev == GZ_WALK_ENTER && it->walk.node == GZ_NODE_GROUP) fill_group(it);
  if (ev == GZ_WALK_ENTER && it->walk.node == GZ_NODE_ARTICLE) fill_article(it);
  return ev == GZ_WALK_ENTER ? GZ_EVENT_ENTER : GZ_EVENT_EXIT;
}

gz_iter_kind gz_iter_at(const gz_iter *it) {
  switch (it->walk.node) {
    case GZ_NODE_GROUP:
      return GZ_ITER_GROUP;
    case GZ_NODE_ARTICLE:
    case GZ_NODE_BLOCK:
      return GZ_ITER_ARTICLE;
    default:
      return GZ_ITER_DIGEST;
  }
}

const gz_group_info *gz_iter_group(const gz_iter *it) {
  return it->walk.grp && it->walk.ev != GZ_WALK_DONE ? &it->group : NULL;
}

const gz_article_info *gz_iter_article(const gz_iter *it) {
  return it->walk.article && it->walk.node == GZ_NODE_ARTICLE ? &it->article : NULL;
}

void gz_iter_free(gz_iter *it) {
  if (!it) return;
  gz_walk_free(&it->walk);
  gz_free(it->al, it);
}
