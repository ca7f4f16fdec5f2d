/*
 * shapes.c - which producer wrote a JSON record, and its fields.
 *
 * Each known producer is a row: the keys that tell its records apart,
 * and for each field the paths to read, where the common names
 * (read/fields.c) would read wrong: a save date taken for the
 * publication date, a teaser for the body, a service's own link for the
 * source's. A few fields need more than a path (an author list made of
 * name parts, tags filtered by type, tables joined by id): each is a small
 * function of its row. --field mappings win over everything. The shapes
 * and where each was read from are in docs/producers.md and the README.
 */
#include <stdio.h>
#include <string.h>

#include "read/fields.h"
#include "read/json/json.h"
#include "util/fieldmap.h"

void gz_shape_scratch_init(gz_shape_scratch *s, const gz_allocator *al) {
  for (int i = 0; i < GZ_F_COUNT; i++) gz_buf_init(&s->field[i], al);
  s->why[0] = 0;
}

void gz_shape_scratch_free(gz_shape_scratch *s) {
  for (int i = 0; i < GZ_F_COUNT; i++) gz_buf_free(&s->field[i]);
}

static bool key_eq(const char *k, size_t n, const char *lit) {
  return strlen(lit) == n && memcmp(k, lit, n) == 0;
}

bool gz_shape_record_key(const char *k, size_t n) {
  /* Keys only an article has: a body or a publication date. Not a URL or
   * a title: feeds and API responses have those around their records. */
  static const char *const keys[] = {
      "content_html",       "content",        "body",         "text",
      "raw_text",           "content_text",   "article",      "maintext",
      "html_content",       "html",           "selftext",     "story_text",
      "lead_paragraph",     "date_published", "published_at", "pubDate",
      "datePublished",      "date_publish",   "publish_date", "pub_date",
      "webPublicationDate", "created_utc",    "publishedAt",  "date_gmt"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(keys); i++)
    if (key_eq(k, n, keys[i])) return true;
  return false;
}

/* ---- one record being picked ---- */

typedef struct pick {
  gz_input *in;
  const jtree *t;
  jref rec;
  const gz_json_record *r;
  gz_shape_scratch *s;
  uint32_t n[GZ_F_COUNT];    /* items of a list field */
  uint8_t flags[GZ_F_COUNT]; /* GZ_FIELD_HTML, GZ_FIELD_UTC */
  const char *bad_date_type;
  bool teaser;
} pick;

static gz_buf *out(pick *p, int f) { return &p->s->field[f]; }
static bool have(pick *p, int f) { return out(p, f)->len > 0; }
static void reset(pick *p, int f) {
  gz_buf_clear(out(p, f));
  p->n[f] = 0;
  p->flags[f] = 0;
}

static uint8_t type_of(const jtree *t, jref r) { return r ? jt_node(t, r)->type : 0; }

static jref nth(const jtree *t, jref arr, long i) {
  if (type_of(t, arr) != JT_ARR) return 0;
  for (jref c = jt_node(t, arr)->first; c; c = jt_node(t, c)->next)
    if (i-- == 0) return c;
  return 0;
}

/* Paths of the shapes are short: "_embedded.wp:term[][].name" is 5 steps. */
#define MAX_STEPS 16

/* The member or element one step names in v, or 0. A JSON Pointer step
 * of digits names either. "[]" (every element) is not one node: walk()
 * takes it. */
static jref step(const jtree *t, jref v, const gz_path_step *s) {
  if (type_of(t, v) == JT_ARR && s->index >= 0) return nth(t, v, s->index);
  if (type_of(t, v) == JT_OBJ && s->key)
    for (jref c = jt_node(t, v)->first; c; c = jt_node(t, c)->next) {
      const jnode *m = jt_node(t, c);
      if (m->klen == s->len && memcmp(jt_text(t, m->key), s->key, s->len) == 0) return c;
    }
  return 0;
}

/* "a.b[0].c": the node at a path without "[]", or 0. */
static jref at(const jtree *t, jref from, const char *path) {
  gz_path_step s[MAX_STEPS];
  long n = gz_path_dotted(path, strlen(path), s, MAX_STEPS);
  if (n < 0 || n > MAX_STEPS) return 0;
  jref cur = from;
  for (long i = 0; i < n && cur; i++) cur = step(t, cur, &s[i]);
  return cur;
}

static const char *text_of(const jtree *t, jref r, size_t *len) {
  const char *s = jt_str(t, r, len);
  return s && *len ? s : NULL;
}

/* A lead image may be a picture's path beside the dump ("pics/a.jpg"):
 * one word ending in an image file's extension, or a data: URI. */
static bool looks_like_picture(const char *s, size_t n) {
  static const char *const ext[] = {".jpg", ".jpeg", ".png", ".gif", ".webp"};
  if (n > 11 && gz_ascii_iprefix(s, n, "data:image/")) return true;
  if (memchr(s, ' ', n)) return false;
  for (size_t i = 0; i < GZ_ARRAY_LEN(ext); i++) {
    size_t el = strlen(ext[i]);
    if (n > el && gz_ascii_ieq(s + n - el, el, ext[i])) return true;
  }
  return false;
}

static bool looks_like_url(const char *s, size_t n) {
  bool scheme = false;
  for (size_t i = 0; i + 3 <= n && !scheme; i++) scheme = memcmp(s + i, "://", 3) == 0;
  return scheme || (n > 0 && s[0] == '/') || (n > 4 && memcmp(s, "www.", 4) == 0);
}

/* ---- values of each kind of field ---- */

static bool take_scalar(pick *p, int f, jref v);

/* An object standing for a scalar: {"rendered": ...}, {"$date": ...},
 * {"href": ...}, {"main": ...}. */
static bool take_scalar_obj(pick *p, int f, jref v) {
  static const char *const title_keys[] = {"rendered", "main", "value", NULL};
  static const char *const date_keys[] = {"$date", "rendered", NULL};
  static const char *const url_keys[] = {"href", "url", "src", NULL};
  const char *const *keys = f == GZ_F_TITLE                          ? title_keys
                            : (f == GZ_F_DATE || f == GZ_F_CAPTURED) ? date_keys
                            : (f == GZ_F_URL || f == GZ_F_IMAGE)     ? url_keys
                                                                     : NULL;
  for (; keys && *keys; keys++) {
    jref m = jt_get(p->t, v, *keys);
    if (m && take_scalar(p, f, m)) {
      if (strcmp(*keys, "rendered") == 0) p->flags[f] |= GZ_FIELD_HTML;
      return true;
    }
  }
  return false;
}

static bool take_scalar(pick *p, int f, jref v) {
  const jtree *t = p->t;
  size_t len;
  const char *s;
  switch (type_of(t, v)) {
    case JT_STR:
    case JT_NUM:
      if (!(s = text_of(t, v, &len))) return false;
      if (type_of(t, v) == JT_NUM && (f == GZ_F_URL || f == GZ_F_LANG || f == GZ_F_IMAGE))
        return false;
      reset(p, f);
      gz_buf_append(out(p, f), s, len);
      return true;
    case JT_OBJ:
      return take_scalar_obj(p, f, v);
    case JT_ARR:
      if (f != GZ_F_URL && f != GZ_F_IMAGE) return false;
      for (jref c = jt_node(t, v)->first; c; c = jt_node(t, c)->next)
        if (take_scalar(p, f, c)) return true;
      return false;
    default:
      return false;
  }
}

/* A body or teaser: a string, {"rendered"}, or paragraphs. */
static bool add_text(pick *p, int f, jref v, int depth) {
  const jtree *t = p->t;
  size_t len;
  const char *s;
  gz_buf *b = out(p, f);
  switch (type_of(t, v)) {
    case JT_STR:
      if (!(s = text_of(t, v, &len))) return false;
      if (b->len) gz_buf_append(b, "\n\n", 2);
      gz_buf_append(b, s, len);
      return true;
    case JT_OBJ: {
      static const char *const keys[] = {"rendered", "content", "text", "value", "html"};
      for (size_t i = 0; i < GZ_ARRAY_LEN(keys); i++) {
        jref m = jt_get(t, v, keys[i]);
        if (m && type_of(t, m) == JT_STR && add_text(p, f, m, depth + 1)) {
          if (i == 0 || i == 4) p->flags[f] |= GZ_FIELD_HTML;
          return true;
        }
      }
      return false;
    }
    case JT_ARR: {
      if (depth > 0) return false;
      bool any = false;
      for (jref c = jt_node(t, v)->first; c; c = jt_node(t, c)->next)
        any |= add_text(p, f, c, depth + 1);
      return any;
    }
    default:
      return false;
  }
}

static bool take_text(pick *p, int f, jref v) {
  reset(p, f);
  return add_text(p, f, v, 0);
}

static void list_add(pick *p, int f, const char *s, size_t len) {
  gz_buf *b = out(p, f);
  /* A tag string may hold several, ";"-separated (trafilatura). */
  while (len) {
    const char *sep = f == GZ_F_TAGS ? memchr(s, ';', len) : NULL;
    size_t n = sep ? (size_t)(sep - s) : len;
    if (n) {
      if (p->n[f]) gz_buf_putc(b, '\0');
      gz_buf_append(b, s, n);
      p->n[f]++;
    }
    if (!sep) break;
    len -= n + 1;
    s = sep + 1;
  }
}

static const char *const name_keys[] = {"name", "label",    "term",        "value",
                                        "tag",  "webTitle", "display_name"};

static bool add_list_item(pick *p, int f, jref v) {
  const jtree *t = p->t;
  size_t len;
  const char *s;
  if (type_of(t, v) == JT_STR) {
    if (!(s = text_of(t, v, &len))) return false;
    list_add(p, f, s, len);
    return true;
  }
  if (type_of(t, v) != JT_OBJ) return false; /* numbers: ids without their names */
  for (size_t i = 0; i < GZ_ARRAY_LEN(name_keys); i++) {
    if ((s = jt_get_str(t, v, name_keys[i], &len))) {
      list_add(p, f, s, len);
      return true;
    }
  }
  return false;
}

/* Authors or tags: a string, an array of strings or of objects with a
 * name, one such object, or an object keyed by name or id. */
static bool add_list(pick *p, int f, jref v) {
  const jtree *t = p->t;
  uint32_t before = p->n[f];
  switch (type_of(t, v)) {
    case JT_STR:
    case JT_NUM:
      add_list_item(p, f, v);
      break;
    case JT_ARR:
      for (jref c = jt_node(t, v)->first; c; c = jt_node(t, c)->next) add_list_item(p, f, c);
      break;
    case JT_OBJ:
      if (add_list_item(p, f, v)) break;
      for (jref c = jt_node(t, v)->first; c; c = jt_node(t, c)->next) {
        if (add_list_item(p, f, c)) continue;
        const jnode *n = jt_node(t, c);
        if (n->type == JT_OBJ || n->type == JT_BOOL || n->type == JT_NUM)
          list_add(p, f, jt_text(t, n->key), n->klen);
      }
      break;
    default:
      break;
  }
  return p->n[f] > before;
}

static bool is_list(int f) { return f == GZ_F_AUTHOR || f == GZ_F_TAGS; }
static bool is_text(int f) { return f == GZ_F_BODY || f == GZ_F_SUMMARY; }

/* Reads field f from node v by its kind; false when v gives nothing. */
static bool take(pick *p, int f, jref v) {
  if (!v) return false;
  if (is_list(f)) return add_list(p, f, v);
  if (is_text(f)) return take_text(p, f, v);
  return take_scalar(p, f, v);
}

/* ---- paths with "[]" (every element): a shape's and --field's ---- */

/* Reads field f from the nodes at steps s[0..n) from v, "[]" taking
 * every element: a list gathers from all of them, any other field takes
 * the first that gives a value. */
static void walk(pick *p, jref v, const gz_path_step *s, size_t n, int f, bool *got) {
  if (!v) return;
  if (n == 0) {
    if (is_list(f))
      *got |= add_list(p, f, v);
    else if (!*got)
      *got = take(p, f, v);
    return;
  }
  const jtree *t = p->t;
  if (s->index == -2) {
    if (type_of(t, v) != JT_ARR) return;
    for (jref c = jt_node(t, v)->first; c; c = jt_node(t, c)->next)
      walk(p, c, s + 1, n - 1, f, got);
    return;
  }
  walk(p, step(t, v, s), s + 1, n - 1, f, got);
}

/* A shape's paths for a field: "a|b.c" tries a, then b.c; "a+b" reads a
 * list from both. */
static bool take_paths(pick *p, int f, const char *paths) {
  reset(p, f);
  bool got = false;
  const char *s = paths;
  while (*s) {
    const char *e = s + strcspn(s, "|+");
    gz_path_step steps[MAX_STEPS];
    long n = gz_path_dotted(s, (size_t)(e - s), steps, MAX_STEPS);
    bool before = got;
    if (n >= 0 && n <= MAX_STEPS) walk(p, p->rec, steps, (size_t)n, f, &got);
    if (got && !before && (f == GZ_F_URL || f == GZ_F_IMAGE) &&
        !looks_like_url(out(p, f)->data, out(p, f)->len)) {
      reset(p, f);
      got = false;
    }
    if (*e == '|' && got) break;
    s = *e ? e + 1 : e;
  }
  return got;
}

/* ---- the common names (read/fields.c) ---- */

typedef struct alias_hit {
  const gz_field_alias *a;
  jref v;
} alias_hit;

/* Fills every field the shape leaves to the common names: for each, the
 * member of lowest rank that gives a value. */
static void take_aliases(pick *p, const char *const *paths) {
  alias_hit hits[GZ_F_COUNT][8];
  size_t nh[GZ_F_COUNT] = {0};
  const jtree *t = p->t;
  for (jref c = jt_node(t, p->rec)->first; c; c = jt_node(t, c)->next) {
    const jnode *n = jt_node(t, c);
    const gz_field_alias *a = gz_field_find(jt_text(t, n->key), n->klen);
    if (!a || (paths && paths[a->field]) || nh[a->field] == 8) continue;
    size_t k = nh[a->field]++;
    /* Kept in rank order. */
    while (k > 0 && hits[a->field][k - 1].a->rank > a->rank) {
      hits[a->field][k] = hits[a->field][k - 1];
      k--;
    }
    hits[a->field][k] = (alias_hit){a, c};
  }
  for (int f = 0; f < GZ_F_COUNT; f++) {
    for (size_t k = 0; k < nh[f]; k++) {
      jref v = hits[f][k].v;
      if (!take(p, f, v)) {
        if (f == GZ_F_DATE && !p->bad_date_type && type_of(t, v) == JT_OBJ)
          p->bad_date_type = "an object";
        if (f == GZ_F_DATE && !p->bad_date_type && type_of(t, v) == JT_ARR)
          p->bad_date_type = "an array";
        continue;
      }
      if ((f == GZ_F_URL || f == GZ_F_IMAGE) && !looks_like_url(out(p, f)->data, out(p, f)->len) &&
          !(f == GZ_F_IMAGE && looks_like_picture(out(p, f)->data, out(p, f)->len))) {
        reset(p, f);
        continue;
      }
      p->flags[f] |= hits[f][k].a->flags;
      if (f == GZ_F_DATE) p->bad_date_type = NULL;
      break;
    }
  }
}

/* ---- shapes ---- */

typedef struct shape {
  const char *name;
  bool (*is)(const pick *p);
  /* Per field: NULL reads the common names; "" reads nothing. */
  const char *paths[GZ_F_COUNT];
  uint16_t html; /* fields whose text is HTML: 1 << field */
  uint16_t utc;  /* dates without an offset that are UTC */
  bool teaser;   /* the body it gives is itself a teaser */
  gz_shape_verdict (*fix)(pick *p, bool held);
} shape;

#define BIT(f) (1u << (f))

static bool has(const pick *p, const char *key) { return jt_get(p->t, p->rec, key) != 0; }
static bool has_path(const pick *p, const char *path) { return at(p->t, p->rec, path) != 0; }

static const char *str_at(const pick *p, jref from, const char *path, size_t *len) {
  return text_of(p->t, at(p->t, from, path), len);
}

/* Google Reader categories: user/<id>/label/X is the tag X; user/<id>/
 * state/... are read, starred, reading-list: states, not tags. */
static gz_shape_verdict fix_google_reader(pick *p, bool held) {
  (void)held;
  reset(p, GZ_F_TAGS);
  jref cats = jt_get(p->t, p->rec, "categories");
  if (type_of(p->t, cats) == JT_ARR) {
    for (jref c = jt_node(p->t, cats)->first; c; c = jt_node(p->t, c)->next) {
      size_t len;
      const char *s = text_of(p->t, c, &len);
      if (!s) continue;
      if (len > 5 && memcmp(s, "user/", 5) == 0) {
        const char *slash = memchr(s + 5, '/', len - 5);
        if (!slash) continue;
        size_t rest = len - (size_t)(slash + 1 - s);
        if (rest > 6 && memcmp(slash + 1, "label/", 6) == 0)
          list_add(p, GZ_F_TAGS, slash + 7, rest - 6);
        continue; /* a state, or another kind of stream */
      }
      list_add(p, GZ_F_TAGS, s, len);
    }
  }
  return GZ_SHAPE_EMIT;
}

/* The first enclosure of an image type: Miniflux enclosures[], Google
 * Reader enclosure[]. */
static void image_enclosure(pick *p, const char *array, const char *type_key, const char *url_key) {
  if (have(p, GZ_F_IMAGE)) return;
  jref arr = jt_get(p->t, p->rec, array);
  if (type_of(p->t, arr) != JT_ARR) return;
  for (jref c = jt_node(p->t, arr)->first; c; c = jt_node(p->t, c)->next) {
    size_t tl, ul;
    const char *type = jt_get_str(p->t, c, type_key, &tl);
    const char *url = jt_get_str(p->t, c, url_key, &ul);
    if (type && url && tl > 6 && memcmp(type, "image/", 6) == 0) {
      reset(p, GZ_F_IMAGE);
      gz_buf_append(out(p, GZ_F_IMAGE), url, ul);
      return;
    }
  }
}

static gz_shape_verdict fix_miniflux(pick *p, bool held) {
  (void)held;
  image_enclosure(p, "enclosures", "mime_type", "url");
  return GZ_SHAPE_EMIT;
}

static gz_shape_verdict fix_greader_image(pick *p, bool held) {
  image_enclosure(p, "enclosure", "type", "href");
  return fix_google_reader(p, held);
}

/* NYT: byline.person[] as "first middle last"; else the organization;
 * else the printed byline ("By A and B"), which ingest splits. */
static gz_shape_verdict fix_nyt(pick *p, bool held) {
  (void)held;
  const jtree *t = p->t;
  reset(p, GZ_F_AUTHOR);
  jref persons = at(t, p->rec, "byline.person");
  if (type_of(t, persons) == JT_ARR) {
    for (jref c = jt_node(t, persons)->first; c; c = jt_node(t, c)->next) {
      char name[256];
      size_t n = 0;
      static const char *const parts[] = {"firstname", "middlename", "lastname"};
      for (size_t i = 0; i < 3; i++) {
        size_t len;
        const char *s = jt_get_str(t, c, parts[i], &len);
        if (!s || n + len + 1 >= sizeof name) continue;
        if (n) name[n++] = ' ';
        memcpy(name + n, s, len);
        n += len;
      }
      if (n) list_add(p, GZ_F_AUTHOR, name, n);
    }
  }
  size_t len;
  const char *s;
  if (!p->n[GZ_F_AUTHOR] && (s = str_at(p, p->rec, "byline.organization", &len)))
    list_add(p, GZ_F_AUTHOR, s, len);
  if (!p->n[GZ_F_AUTHOR] && (s = str_at(p, p->rec, "byline.original", &len)))
    list_add(p, GZ_F_AUTHOR, s, len);
  return GZ_SHAPE_EMIT;
}

/* The Guardian: with show-tags, contributors are the authors and
 * keywords the tags. */
static gz_shape_verdict fix_guardian(pick *p, bool held) {
  (void)held;
  const jtree *t = p->t;
  jref tags = jt_get(t, p->rec, "tags");
  uint32_t authors = 0;
  reset(p, GZ_F_TAGS);
  if (type_of(t, tags) == JT_ARR) {
    for (jref c = jt_node(t, tags)->first; c; c = jt_node(t, c)->next) {
      size_t tl, nl;
      const char *type = jt_get_str(t, c, "type", &tl);
      const char *name = jt_get_str(t, c, "webTitle", &nl);
      if (!type || !name) continue;
      if (key_eq(type, tl, "contributor")) {
        if (!authors++) reset(p, GZ_F_AUTHOR);
        list_add(p, GZ_F_AUTHOR, name, nl);
      } else if (key_eq(type, tl, "keyword")) {
        list_add(p, GZ_F_TAGS, name, nl);
      }
    }
  }
  return GZ_SHAPE_EMIT;
}

/* Ghost keeps authors and tags in tables joined to posts by id: read
 * once the tables, which come after the posts, are in. */
static void ghost_join(pick *p, jref data, const char *link_table, const char *link_key,
                       const char *table, int f) {
  const jtree *t = p->t;
  size_t idl;
  const char *id = jt_get_str(t, p->rec, "id", &idl);
  jref links = jt_get(t, data, link_table), rows = jt_get(t, data, table);
  if (!id || type_of(t, links) != JT_ARR || type_of(t, rows) != JT_ARR) return;
  reset(p, f);
  /* Links in sort_order; exports write them in that order. */
  for (jref l = jt_node(t, links)->first; l; l = jt_node(t, l)->next) {
    size_t pl, kl;
    const char *post = jt_get_str(t, l, "post_id", &pl);
    const char *key = jt_get_str(t, l, link_key, &kl);
    if (!post || !key || pl != idl || memcmp(post, id, idl) != 0) continue;
    for (jref r = jt_node(t, rows)->first; r; r = jt_node(t, r)->next) {
      size_t rl, nl;
      const char *rid = jt_get_str(t, r, "id", &rl);
      const char *name = jt_get_str(t, r, "name", &nl);
      if (!rid || !name || rl != kl || memcmp(rid, key, kl) != 0) continue;
      /* "#tags" are Ghost's internal tags, not the reader's. */
      if (!(f == GZ_F_TAGS && name[0] == '#')) list_add(p, f, name, nl);
      break;
    }
  }
}

static gz_shape_verdict fix_ghost(pick *p, bool held) {
  if (!held) return GZ_SHAPE_HOLD;
  jref data = p->r->n_ctx ? p->r->ctx[0] : 0;
  ghost_join(p, data, "posts_authors", "author_id", "users", GZ_F_AUTHOR);
  ghost_join(p, data, "posts_tags", "tag_id", "tags", GZ_F_TAGS);
  return GZ_SHAPE_EMIT;
}

/* Appends s with "&amp;" read as "&" (Reddit escapes its URLs). */
static void put_unamp(gz_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    gz_buf_putc(b, s[i]);
    if (s[i] == '&' && n - i >= 5 && memcmp(s + i, "&amp;", 5) == 0) i += 4;
  }
}

static gz_shape_verdict fix_reddit(pick *p, bool held) {
  (void)held;
  /* selftext_html is HTML escaped once more: its text is the markup. */
  size_t len;
  const char *s = jt_get_str(p->t, p->rec, "selftext_html", &len);
  if (s) {
    reset(p, GZ_F_BODY);
    if (gz_html_to_text(p->in->html, s, len, out(p, GZ_F_BODY))) p->in->failed = true;
    p->flags[GZ_F_BODY] = GZ_FIELD_HTML;
  }
  const char *a = jt_get_str(p->t, p->rec, "author", &len);
  if (a && key_eq(a, len, "[deleted]")) reset(p, GZ_F_AUTHOR);
  if (have(p, GZ_F_IMAGE)) {
    gz_buf tmp = *out(p, GZ_F_IMAGE);
    gz_buf clean;
    gz_buf_init(&clean, tmp.al);
    put_unamp(&clean, tmp.data, tmp.len);
    reset(p, GZ_F_IMAGE);
    gz_buf_append(out(p, GZ_F_IMAGE), clean.data, clean.len);
    gz_buf_free(&clean);
  }
  return GZ_SHAPE_EMIT;
}

/* Hacker News: a text post's URL is its discussion page; _tags hold the
 * kind and the author and story ids beside the real tags. */
static gz_shape_verdict fix_hn(pick *p, bool held) {
  (void)held;
  size_t len;
  const char *id = jt_get_str(p->t, p->rec, "objectID", &len);
  if (!have(p, GZ_F_URL) && id) {
    gz_buf_puts(out(p, GZ_F_URL), "https://news.ycombinator.com/item?id=");
    gz_buf_append(out(p, GZ_F_URL), id, len);
  }
  reset(p, GZ_F_TAGS);
  jref tags = jt_get(p->t, p->rec, "_tags");
  if (type_of(p->t, tags) == JT_ARR) {
    for (jref c = jt_node(p->t, tags)->first; c; c = jt_node(p->t, c)->next) {
      const char *s = text_of(p->t, c, &len);
      if (!s || (len > 7 && memcmp(s, "author_", 7) == 0) ||
          (len > 6 && memcmp(s, "story_", 6) == 0))
        continue;
      list_add(p, GZ_F_TAGS, s, len);
    }
  }
  return GZ_SHAPE_EMIT;
}

/* A Mastodon note: hashtags are tag[] of type Hashtag; images are
 * attachments. */
static gz_shape_verdict fix_activitypub(pick *p, bool held) {
  (void)held;
  const jtree *t = p->t;
  reset(p, GZ_F_TAGS);
  jref tags = jt_get(t, p->rec, "tag");
  if (type_of(t, tags) == JT_ARR) {
    for (jref c = jt_node(t, tags)->first; c; c = jt_node(t, c)->next) {
      size_t tl, nl;
      const char *type = jt_get_str(t, c, "type", &tl);
      const char *name = jt_get_str(t, c, "name", &nl);
      if (!type || !name || !key_eq(type, tl, "Hashtag")) continue;
      if (name[0] == '#') name++, nl--;
      list_add(p, GZ_F_TAGS, name, nl);
    }
  }
  image_enclosure(p, "attachment", "mediaType", "url");
  return GZ_SHAPE_EMIT;
}

/* JSON Feed: an item without authors has the feed's. */
static gz_shape_verdict fix_json_feed(pick *p, bool held) {
  (void)held;
  if (p->n[GZ_F_AUTHOR]) return GZ_SHAPE_EMIT;
  for (size_t i = 0; i < p->r->n_ctx; i++) {
    jref feed = p->r->ctx[i];
    jref a = jt_get(p->t, feed, "authors");
    if (!a) a = jt_get(p->t, feed, "author");
    if (a && add_list(p, GZ_F_AUTHOR, a)) break;
  }
  return GZ_SHAPE_EMIT;
}

static gz_shape_verdict fix_newsapi(pick *p, bool held) {
  (void)held;
  /* NewsAPI's stand-in for an article taken down. */
  if (key_eq(out(p, GZ_F_TITLE)->data ? out(p, GZ_F_TITLE)->data : "", out(p, GZ_F_TITLE)->len,
             "[Removed]")) {
    snprintf(p->s->why, sizeof p->s->why, "NewsAPI placeholder of a removed article; skipped");
    return GZ_SHAPE_SKIP;
  }
  return GZ_SHAPE_EMIT;
}

static bool is_news_please(const pick *p) { return has(p, "maintext") && has(p, "date_publish"); }
static bool is_newspaper(const pick *p) {
  return has(p, "publish_date") && (has(p, "meta_description") || has(p, "top_image"));
}
static bool is_trafilatura(const pick *p) {
  return has(p, "source-hostname") || (has(p, "fingerprint") && has(p, "raw_text"));
}
static bool is_wallabag(const pick *p) { return has(p, "is_archived") && has(p, "reading_time"); }
static bool is_miniflux(const pick *p) { return has(p, "feed_id") && has(p, "changed_at"); }
static bool is_google_reader(const pick *p) {
  return has(p, "crawlTimeMsec") && (has(p, "origin") || has(p, "canonical"));
}
static bool is_pocket(const pick *p) {
  return has(p, "item_id") && (has(p, "resolved_url") || has(p, "given_url"));
}
static bool is_omnivore(const pick *p) { return has(p, "slug") && has(p, "savedAt"); }
static bool is_readwise(const pick *p) {
  return has(p, "source_url") && has(p, "reading_progress");
}
static bool is_newsapi(const pick *p) { return has(p, "urlToImage") && has(p, "publishedAt"); }
static bool is_nyt(const pick *p) {
  return has(p, "web_url") && has(p, "pub_date") && has_path(p, "headline");
}
static bool is_guardian(const pick *p) {
  return has(p, "webTitle") && has(p, "webPublicationDate");
}
static bool is_webz(const pick *p) {
  return has(p, "thread") && has(p, "uuid") && has(p, "ord_in_thread");
}
static bool is_wordpress(const pick *p) {
  return has(p, "date_gmt") && (has_path(p, "content.rendered") || has_path(p, "guid.rendered"));
}
static bool is_ghost(const pick *p) {
  return has(p, "uuid") && (has(p, "mobiledoc") || has(p, "lexical")) && has(p, "html");
}
static bool is_reddit(const pick *p) { return has(p, "subreddit") && has(p, "created_utc"); }
static bool is_hn(const pick *p) { return has(p, "objectID") && has(p, "created_at_i"); }
static bool is_note(const pick *p) { return has(p, "attributedTo") && has(p, "content"); }
static bool is_json_feed(const pick *p) {
  for (size_t i = 0; i < p->r->n_ctx; i++) {
    size_t len;
    const char *v = jt_get_str(p->t, p->r->ctx[i], "version", &len);
    if (v && len > 28 && memcmp(v, "https://jsonfeed.org/version/", 29) == 0) return true;
  }
  return false;
}

/* Field order: title, body, date, author, url, tags, lang, summary,
 * captured, image (read/fields.h). */
#define P(title, body, date, author, url, tags, lang, summary, captured, image) \
  { title, body, date, author, url, tags, lang, summary, captured, image }

static const shape shapes[] = {
    {"news-please", is_news_please,
     P(NULL, "maintext|text", "date_publish", NULL, NULL, NULL, NULL, "description",
       "date_download", "image_url"),
     0, 0, false, NULL},
    {"newspaper", is_newspaper,
     P(NULL, "text", "publish_date", NULL, "canonical_link|url", "tags|keywords", "meta_lang",
       "meta_description|summary", "", "top_image|meta_img"),
     0, 0, false, NULL},
    {"trafilatura", is_trafilatura,
     P(NULL, "text|raw_text", "date", NULL, "source|url", "categories+tags", NULL, "excerpt",
       "filedate", "image"),
     0, 0, false, NULL},
    {"wallabag", is_wallabag,
     P(NULL, "content", "published_at", "published_by", "url|given_url", NULL, NULL, "",
       "created_at", "preview_picture"),
     BIT(GZ_F_BODY), 0, false, NULL},
    {"miniflux", is_miniflux,
     P(NULL, "content", "published_at", NULL, "url", NULL, NULL, "", "created_at", ""),
     BIT(GZ_F_BODY), 0, false, fix_miniflux},
    {"google-reader", is_google_reader,
     P(NULL, "content|summary", "published", NULL, "canonical[0].href|alternate[0].href", "", NULL,
       "", "crawlTimeMsec", ""),
     BIT(GZ_F_BODY) | BIT(GZ_F_TITLE), 0, false, fix_greader_image},
    {"pocket", is_pocket,
     P("resolved_title|given_title", "excerpt", "", "authors", "resolved_url|given_url", "tags",
       NULL, "", "time_added", "top_image_url|image.src"),
     0, 0, true, NULL},
    {"omnivore", is_omnivore,
     P(NULL, "description", "publishedAt", NULL, "url", "labels", NULL, "", "savedAt", "thumbnail"),
     0, 0, true, NULL},
    {"readwise-reader", is_readwise,
     P(NULL, "html_content|content", "published_date", NULL, "source_url|url", "tags", NULL,
       "summary", "saved_at|created_at", "image_url"),
     BIT(GZ_F_BODY), 0, false, NULL},
    {"newsapi", is_newsapi,
     P(NULL, "content", "publishedAt", NULL, "url", "", NULL, "description", "", "urlToImage"), 0,
     0, false, fix_newsapi},
    {"nyt", is_nyt,
     P("headline.main", "lead_paragraph", "pub_date", "", "web_url", "keywords[].value", "",
       "abstract|snippet", "", "multimedia[0].url"),
     0, 0, true, fix_nyt},
    {"guardian", is_guardian,
     P("webTitle|fields.headline", "fields.body", "webPublicationDate", "fields.byline", "webUrl",
       "", "fields.lang", "fields.standfirst|fields.trailText", "fields.lastModified",
       "fields.thumbnail"),
     BIT(GZ_F_BODY) | BIT(GZ_F_SUMMARY), 0, false, fix_guardian},
    {"webz", is_webz,
     P("title|thread.title", "text", "published", NULL, "url", "categories", NULL, "", "crawled",
       "thread.main_image"),
     0, 0, false, NULL},
    {"wordpress", is_wordpress,
     P("title", "content", "date_gmt", "_embedded.author[].name", "link",
       "_embedded.wp:term[][].name", "", "excerpt", "modified_gmt",
       "_embedded.wp:featuredmedia[0].source_url|jetpack_featured_media_url"),
     BIT(GZ_F_BODY) | BIT(GZ_F_SUMMARY) | BIT(GZ_F_TITLE), BIT(GZ_F_DATE) | BIT(GZ_F_CAPTURED),
     false, NULL},
    {"ghost", is_ghost,
     P(NULL, "html|plaintext", "published_at", "", "canonical_url", "", "", "custom_excerpt",
       "created_at", "feature_image"),
     BIT(GZ_F_BODY), 0, false, fix_ghost},
    {"reddit", is_reddit,
     P(NULL, "selftext", "created_utc", "author", "url", "subreddit+link_flair_text", "", "", "",
       "preview.images[0].source.url"),
     0, 0, false, fix_reddit},
    {"hacker-news", is_hn,
     P(NULL, "story_text", "created_at_i|created_at", "author", "url", "", "", "", "", ""),
     BIT(GZ_F_BODY), 0, false, fix_hn},
    {"activitypub", is_note,
     P("", "content", "published", "attributedTo", "url", "", "", "", "", ""), BIT(GZ_F_BODY), 0,
     false, fix_activitypub},
    {"json-feed", is_json_feed,
     P(NULL, "content_html|content_text", "date_published", "authors|author", "url|external_url",
       "tags", "language", "summary", "date_modified", "image|banner_image"),
     0, 0, false, fix_json_feed},
};

/* ---- --field mappings ---- */

static const int8_t map_field[GZ_MAP_COUNT] = {
    [GZ_MAP_ITEMS] = -1,           [GZ_MAP_TITLE] = GZ_F_TITLE,
    [GZ_MAP_BODY] = GZ_F_BODY,     [GZ_MAP_SUMMARY] = GZ_F_SUMMARY,
    [GZ_MAP_DATE] = GZ_F_DATE,     [GZ_MAP_CAPTURED] = GZ_F_CAPTURED,
    [GZ_MAP_AUTHOR] = GZ_F_AUTHOR, [GZ_MAP_URL] = GZ_F_URL,
    [GZ_MAP_TAGS] = GZ_F_TAGS,     [GZ_MAP_IMAGE] = GZ_F_IMAGE,
    [GZ_MAP_LANG] = GZ_F_LANG};

static void apply_maps(pick *p) {
  const gz_setup *set = gz_digest_setup(p->in->d);
  for (size_t i = 0; i < set->n_maps; i++) {
    const gz_field_map *m = &set->maps[i];
    int f = map_field[m->name];
    if (f < 0) continue;
    /* Read aside first: a mapping that matches nothing leaves the
     * field as the aliases found it. */
    gz_buf saved = *out(p, f);
    uint32_t saved_n = p->n[f];
    uint8_t saved_flags = p->flags[f];
    gz_buf_init(out(p, f), saved.al);
    p->n[f] = 0;
    p->flags[f] = 0;
    bool got = false;
    walk(p, p->rec, m->steps, m->n_steps, f, &got);
    if (got) {
      gz_buf_free(&saved);
      gz_read_map_hit(p->in, i);
      if (f == GZ_F_DATE) p->bad_date_type = NULL;
    } else {
      gz_buf_free(out(p, f));
      *out(p, f) = saved;
      p->n[f] = saved_n;
      p->flags[f] = saved_flags;
    }
  }
}

/* ---- the record ---- */

/* An ActivityPub activity wraps the note it creates or shares. */
static gz_shape_verdict unwrap_activity(pick *p) {
  size_t tl;
  const char *type = jt_get_str(p->t, p->rec, "type", &tl);
  jref obj = jt_get(p->t, p->rec, "object");
  if (!type || !obj || !(key_eq(type, tl, "Create") || key_eq(type, tl, "Announce")))
    return GZ_SHAPE_EMIT;
  if (type_of(p->t, obj) == JT_OBJ) {
    p->rec = obj;
    return GZ_SHAPE_EMIT;
  }
  size_t ol;
  const char *uri = text_of(p->t, obj, &ol);
  snprintf(p->s->why, sizeof p->s->why,
           "the activity shares %.80s, which this archive does not hold; skipped",
           uri ? uri : "a note");
  return GZ_SHAPE_SKIP;
}

gz_shape_verdict gz_shape_pick(gz_input *in, const gz_json_record *rec, bool held,
                               gz_shape_scratch *s, gz_raw_article *raw, const char **shape_name) {
  pick p;
  memset(&p, 0, sizeof p);
  p.in = in;
  p.t = rec->t;
  p.rec = rec->node;
  p.r = rec;
  p.s = s;
  for (int f = 0; f < GZ_F_COUNT; f++) reset(&p, f);
  memset(raw, 0, sizeof *raw);
  *shape_name = NULL;
  if (type_of(p.t, p.rec) == JT_OBJ && unwrap_activity(&p) == GZ_SHAPE_SKIP) {
    *shape_name = "activitypub";
    return GZ_SHAPE_SKIP;
  }
  const shape *sh = NULL;
  for (size_t i = 0; i < GZ_ARRAY_LEN(shapes) && !sh; i++)
    if (shapes[i].is(&p)) sh = &shapes[i];
  *shape_name = sh ? sh->name : "generic";
  if (sh) {
    for (int f = 0; f < GZ_F_COUNT; f++) {
      if (!sh->paths[f] || !*sh->paths[f]) continue;
      if (take_paths(&p, f, sh->paths[f])) {
        if (sh->html & BIT(f)) p.flags[f] |= GZ_FIELD_HTML;
        if (sh->utc & BIT(f)) p.flags[f] |= GZ_FIELD_UTC;
      }
    }
  }
  take_aliases(&p, sh ? sh->paths : NULL);
  gz_shape_verdict v = GZ_SHAPE_EMIT;
  if (sh && sh->fix) v = sh->fix(&p, held);
  if (v != GZ_SHAPE_EMIT) return v;
  apply_maps(&p);

  raw->line = rec->line;
  raw->col = rec->col;
  raw->bytes = rec->bytes;
  gz_buf *b = s->field;
  if (b[GZ_F_TITLE].len) {
    raw->title = b[GZ_F_TITLE].data;
    raw->title_len = b[GZ_F_TITLE].len;
    raw->title_html = p.flags[GZ_F_TITLE] & GZ_FIELD_HTML;
  }
  if (b[GZ_F_BODY].len) {
    raw->body = b[GZ_F_BODY].data;
    raw->body_len = b[GZ_F_BODY].len;
    raw->body_kind = (p.flags[GZ_F_BODY] & GZ_FIELD_HTML) ? GZ_BODY_HTML : GZ_BODY_AUTO;
    raw->teaser = sh && sh->teaser;
  }
  if (b[GZ_F_SUMMARY].len) {
    raw->summary = b[GZ_F_SUMMARY].data;
    raw->summary_len = b[GZ_F_SUMMARY].len;
    raw->summary_html = p.flags[GZ_F_SUMMARY] & GZ_FIELD_HTML;
  }
  /* A streamed value's own position is not kept: the record's stands. */
  if (b[GZ_F_DATE].len) {
    unsigned flags = GZ_DATE_EPOCH | ((p.flags[GZ_F_DATE] & GZ_FIELD_UTC) ? GZ_RAW_DATE_UTC : 0);
    raw->date = (gz_raw_date){b[GZ_F_DATE].data, b[GZ_F_DATE].len, flags, rec->line, rec->col};
  }
  raw->bad_date_type = p.bad_date_type;
  if (b[GZ_F_CAPTURED].len) {
    unsigned flags =
        GZ_DATE_EPOCH | ((p.flags[GZ_F_CAPTURED] & GZ_FIELD_UTC) ? GZ_RAW_DATE_UTC : 0);
    raw->captured =
        (gz_raw_date){b[GZ_F_CAPTURED].data, b[GZ_F_CAPTURED].len, flags, rec->line, rec->col};
  }
  if (p.n[GZ_F_AUTHOR])
    raw->authors = (gz_raw_list){b[GZ_F_AUTHOR].data, b[GZ_F_AUTHOR].len, p.n[GZ_F_AUTHOR]};
  if (p.n[GZ_F_TAGS])
    raw->tags = (gz_raw_list){b[GZ_F_TAGS].data, b[GZ_F_TAGS].len, p.n[GZ_F_TAGS]};
  if (b[GZ_F_URL].len) {
    raw->url = b[GZ_F_URL].data;
    raw->url_len = b[GZ_F_URL].len;
  }
  if (b[GZ_F_LANG].len) {
    raw->lang = b[GZ_F_LANG].data;
    raw->lang_len = b[GZ_F_LANG].len;
  }
  if (b[GZ_F_IMAGE].len) {
    raw->image = b[GZ_F_IMAGE].data;
    raw->image_len = b[GZ_F_IMAGE].len;
  }
  if (raw->bytes > gz_digest_setup(in->d)->opts->max_article_size) raw->too_big = true;
  return GZ_SHAPE_EMIT;
}
