/*
 * group.c - the stage between reading and rendering: drop duplicates,
 * form the date groups and put groups and articles in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

/* Articles sent before (--new-since) are known by url, else by title and
 * body. */
uint64_t gz_article_identity(const gz_article *a) {
  if (a->url_fp) return a->url_fp;
  return gz_hash_mix(a->title_fp, a->body_fp) | 1;
}

static int dedupe(gz_digest *d) {
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_set64 urls, titles, bodies;
  gz_set64_init(&urls, al);
  gz_set64_init(&titles, al);
  gz_set64_init(&bodies, al);
  size_t n_articles;
  gz_article *articles = gz_digest_articles(d, &n_articles);
  int rc = 0;
  for (size_t i = 0; i < n_articles && rc == 0; i++) {
    gz_article *a = &articles[i];
    if (a->status != GZ_ART_KEPT) continue;
    uint64_t title_day =
        a->dated && a->title_fp ? gz_hash_mix(a->title_fp, (uint64_t)a->when.day) : 0;
    bool dup = (a->url_fp && gz_set64_has(&urls, a->url_fp)) ||
               (title_day && gz_set64_has(&titles, title_day)) ||
               (a->body_fp && gz_set64_has(&bodies, a->body_fp));
    if (dup) {
      a->status = GZ_ART_DUPLICATE;
      gz_digest_tally(d)->duplicates++;
      continue;
    }
    if ((a->url_fp && gz_set64_add(&urls, a->url_fp) < 0) ||
        (title_day && gz_set64_add(&titles, title_day) < 0) ||
        (a->body_fp && gz_set64_add(&bodies, a->body_fp) < 0))
      rc = -1;
  }
  gz_set64_free(&urls);
  gz_set64_free(&titles);
  gz_set64_free(&bodies);
  return rc;
}

/* The group an article belongs to, as a sortable key; undated last. */
static int64_t group_key(gz_group_by by, const gz_article *a) {
  if (!a->dated) return INT64_MAX;
  int64_t day = a->when.day, y;
  int m, dd;
  switch (by) {
    case GZ_GROUP_WEEK:
      return day - (gz_iso_weekday(day) - 1);
    case GZ_GROUP_MONTH:
      gz_civil_from_days(day, &y, &m, &dd);
      return gz_days_from_civil(y, m, 1);
    case GZ_GROUP_YEAR:
      gz_civil_from_days(day, &y, &m, &dd);
      return gz_days_from_civil(y, 1, 1);
    case GZ_GROUP_ALL:
      return 0;
    default:
      return day;
  }
}

typedef struct sort_item {
  int64_t group;
  int64_t time;
  uint32_t order;
  uint32_t index;
} sort_item;

static int cmp_oldest(const void *pa, const void *pb) {
  const sort_item *a = pa, *b = pb;
  if (a->group != b->group) return a->group < b->group ? -1 : 1;
  if (a->time != b->time) return a->time < b->time ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_newest(const void *pa, const void *pb) {
  const sort_item *a = pa, *b = pb;
  bool ua = a->group == INT64_MAX, ub = b->group == INT64_MAX;
  if (ua != ub) return ua ? 1 : -1; /* Undated stays last */
  if (a->group != b->group) return a->group > b->group ? -1 : 1;
  if (a->time != b->time) return a->time > b->time ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

static void label_group(gz_digest *d, gz_group *g, int64_t key) {
  gz_group_by by = gz_digest_setup(d)->opts->group_by;
  char buf[128];
  int64_t y;
  int m, dd;
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char short_label[32];
  if (g->undated) {
    g->label = "Undated";
    g->short_label = "Undated";
    return;
  }
  gz_civil_from_days(key, &y, &m, &dd);
  switch (by) {
    case GZ_GROUP_WEEK: {
      int64_t iy;
      int week;
      gz_iso_week(key, &iy, &week);
      snprintf(short_label, sizeof short_label, "W%d", week);
      break;
    }
    case GZ_GROUP_MONTH:
      snprintf(short_label, sizeof short_label, "%s", months[m - 1]);
      break;
    case GZ_GROUP_YEAR:
      snprintf(short_label, sizeof short_label, "%lld", (long long)y);
      break;
    case GZ_GROUP_ALL:
      snprintf(short_label, sizeof short_label, "All");
      break;
    default:
      snprintf(short_label, sizeof short_label, "%d %s", dd, months[m - 1]);
      break;
  }
  g->short_label = gz_arena_strdup(gz_digest_arena(d), short_label);
  switch (by) {
    case GZ_GROUP_WEEK:
      gz_format_week_label(buf, sizeof buf, key);
      g->start = key;
      g->end = key + 6;
      break;
    case GZ_GROUP_MONTH:
      gz_format_month_label(buf, sizeof buf, key);
      gz_civil_from_days(key, &y, &m, &dd);
      g->start = key;
      g->end = key + gz_days_in_month(y, m) - 1;
      break;
    case GZ_GROUP_YEAR:
      gz_format_year_label(buf, sizeof buf, key);
      gz_civil_from_days(key, &y, &m, &dd);
      g->start = key;
      g->end = gz_days_from_civil(y, 12, 31);
      break;
    case GZ_GROUP_ALL:
      gz_strlcpy(buf, "All articles", sizeof buf);
      g->start = g->first_day;
      g->end = g->last_day;
      break;
    default:
      gz_format_day_label(buf, sizeof buf, key);
      g->start = g->end = key;
      break;
  }
  g->label = gz_arena_strdup(gz_digest_arena(d), buf);
}

int gz_digest_finish(gz_digest *d, gz_error *err) {
  gz_error_clear(err);
  if (gz_digest_finished(d)) return 0;
  gz_digest_read_end(d);
  if (gz_spool_flush(d, err)) return -1;
  const gz_setup *set = gz_digest_setup(d);
  const gz_allocator *al = set->al;
  gz_counts *counts = gz_digest_tally(d);
  /* Duplicates first, over everything read: a new copy of an article sent
   * before (--new-since) is a duplicate of it, not a new article. */
  if (set->opts->dedupe && dedupe(d)) goto nomem;
  size_t n_articles;
  gz_article *articles = gz_digest_articles(d, &n_articles);
  struct gz_seen *seen = gz_digest_seen(d);
  if (seen) {
    for (size_t i = 0; i < n_articles; i++) {
      gz_article *a = &articles[i];
      if (a->status == GZ_ART_KEPT && gz_seen_has(seen, gz_article_identity(a))) {
        a->status = GZ_ART_FILTERED;
        counts->filtered++;
      }
    }
  }

  size_t n = 0;
  for (size_t i = 0; i < n_articles; i++)
    if (articles[i].status == GZ_ART_KEPT) n++;
  counts->written = n;
  sort_item *items = n ? gz_malloc(al, n * sizeof *items) : NULL;
  if (n && !items) goto nomem;
  size_t k = 0;
  for (size_t i = 0; i < n_articles; i++) {
    const gz_article *a = &articles[i];
    if (a->status != GZ_ART_KEPT) continue;
    items[k].group = group_key(set->opts->group_by, a);
    items[k].time = a->dated ? a->when.utc : 0;
    items[k].order = a->order;
    items[k].index = (uint32_t)i;
    k++;
  }
  if (n) qsort(items, n, sizeof *items, set->opts->newest_first ? cmp_newest : cmp_oldest);

  size_t n_groups = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || items[i].group != items[i - 1].group) n_groups++;
  gz_group *groups = n_groups ? gz_malloc(al, n_groups * sizeof *groups) : NULL;
  if (n_groups && !groups) {
    gz_free(al, items);
    goto nomem;
  }
  if (n_groups) memset(groups, 0, n_groups * sizeof *groups);
  size_t start = 0;
  for (size_t g = 0; g < n_groups; g++) {
    size_t end = start;
    while (end < n && items[end].group == items[start].group) end++;
    gz_group *grp = &groups[g];
    grp->undated = items[start].group == INT64_MAX;
    grp->n_items = end - start;
    grp->items = gz_malloc(al, grp->n_items * sizeof *grp->items);
    if (!grp->items) {
      gz_digest_set_groups(d, groups, g); /* the digest frees the groups made */
      gz_free(al, items);
      goto nomem;
    }
    grp->first_day = INT64_MAX;
    grp->last_day = INT64_MIN;
    for (size_t i = start; i < end; i++) {
      grp->items[i - start] = items[i].index;
      const gz_article *a = &articles[items[i].index];
      if (a->dated) {
        if (a->when.day < grp->first_day) grp->first_day = a->when.day;
        if (a->when.day > grp->last_day) grp->last_day = a->when.day;
      }
    }
    label_group(d, grp, items[start].group);
    start = end;
  }
  gz_digest_set_groups(d, groups, n_groups);
  counts->groups = n_groups;
  gz_free(al, items);
#ifndef NDEBUG
  /* Every article read is written, a duplicate, filtered out or skipped; a
   * reader or filter that loses or double-counts one would make the
   * summary and --list lie, so debug builds (and so the tests) refuse. */
  const gz_counts *c = counts;
  if (c->read != c->written + c->duplicates + c->filtered + c->skipped)
    return gz_error_set(err, GZ_ERR_INTERNAL, "", 0, 0,
                        "the article counts do not add up (read %llu, written %llu, duplicates "
                        "%llu, filtered %llu, skipped %llu)",
                        (unsigned long long)c->read, (unsigned long long)c->written,
                        (unsigned long long)c->duplicates, (unsigned long long)c->filtered,
                        (unsigned long long)c->skipped);
#endif
  gz_digest_mark_finished(d);
  return 0;
nomem:
  return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
}
