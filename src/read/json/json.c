/*
 * json.c - the streaming JSON and JSON Lines readers (yajl callbacks):
 * two rows of the reader table, one parser.
 *
 * The dump is never held as a parsed tree: yajl reports tokens as the
 * bytes stream in, and only the record being read is held (tree.h), with
 * the small members of the wrappers around it. Memory follows one record,
 * not the dump, at any depth of wrappers.
 *
 * Where the records are: a top-level array; the array under a wrapper key
 * (articles, items, response.docs, hits, data.children, orderedItems, ...)
 * at any depth; the values of an object keyed by id (Pocket's list); one
 * record object; JSON Lines; or where --field items=PATH says. An object
 * whose key says it is a record (a body, a publication date, a URL) is
 * read as one from there on, so an article's own members named like
 * wrappers are kept as its values. Which producer wrote a record, and its
 * fields, shapes.c tells.
 *
 * A document that starts with "{" and whose first line is a complete
 * value is JSON Lines. In JSON Lines a bad line loses only that line; in a
 * document, an error stops the reading and what came before is kept.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "read/fields.h"
#include "read/json/json.h"
#include "read/reader.h"
#include "util/fieldmap.h"

/* Keys under which producers keep their records, or the objects that
 * hold them (docs/producers.md). */
static const char *const wrapper_keys[] = {
    "articles", "items",    "entries", "posts", "data", "results",      "response",
    "docs",     "children", "hits",    "list",  "db",   "orderedItems", "stories"};

static bool is_wrapper_key(const char *key, size_t len) {
  for (size_t i = 0; i < GZ_ARRAY_LEN(wrapper_keys); i++)
    if (strlen(wrapper_keys[i]) == len && memcmp(wrapper_keys[i], key, len) == 0) return true;
  return false;
}

/* Pocket keys its records by item id: all digits, or a hex id. */
static bool is_id_key(const char *key, size_t len) {
  if (len < 4 || len > 64) return false;
  bool digit = false;
  for (size_t i = 0; i < len; i++) {
    char c = key[i];
    if (c >= '0' && c <= '9')
      digit = true;
    else if (!((c >= 'a' && c <= 'f') || c == '-'))
      return false;
  }
  return digit;
}

/* ---- frames ---- */

enum fkind {
  FR_CAND,      /* an object that is a record or a wrapper of records: held as a tree */
  FR_VALUE,     /* an object or array inside a held tree */
  FR_RECARRAY,  /* an array whose objects are records */
  FR_PENDARRAY, /* an array under a wrapper key, until its first element tells */
  FR_KEYED,     /* an object whose members' values are records (keyed by id) */
  FR_PATHARRAY, /* an array on the way of --field items=PATH */
  FR_SKIP
};

enum from { FROM_ROOT, FROM_ELEMENT, FROM_WRAPPED };

enum member {
  M_NONE = 0,
  M_STORE,  /* a value of the tree */
  M_HOLE,   /* under a wrapper key: records may be inside */
  M_IDHOLE, /* under an id: a record */
  M_PATH,   /* on the way of the items path */
  M_ITEMS   /* at the end of the items path */
};

typedef struct frame {
  uint8_t kind;
  uint8_t from;
  uint8_t member;
  bool is_obj;
  bool record_mode;    /* FR_CAND: a record from here on; no more wrappers */
  bool yielded;        /* FR_CAND: records came out of it: it is a wrapper */
  bool had_array_hole; /* FR_CAND: an array under a wrapper key was in it */
  bool items_end;      /* FR_CAND: at the items path's end, until its first key */
  int16_t pm;          /* steps of the items path this frame is at; -1 off it */
  int16_t child_pm;
  uint32_t idx; /* elements so far (arrays) */
  jref node;
  size_t mark;
  uint64_t start;
  unsigned long line, col;
} frame;

typedef struct held_record {
  jref node;
  int holder; /* frame index of the wrapper that reads it when it ends */
  unsigned long line, col;
  uint64_t bytes;
} held_record;

typedef struct gz_json_reader gz_json_reader;
struct gz_json_reader {
  gz_input *in;
  yajl_handle h;
  yajl_callbacks cb;
  yajl_alloc_funcs afs;
  bool lines;
  bool undecided;
  bool started;    /* non-space bytes went into the current handle */
  bool value_done; /* the handle's top-level value is complete */
  bool skip_line;
  bool oom;              /* the allocator failed yajl (see y_malloc) */
  uint64_t read_at_line; /* counts.read when the current line began */
  bool stop;
  /* where we are */
  const char *chunk;
  uint64_t chunk_base;
  size_t chunk_len;
  uint64_t seg_base; /* clean-stream offset of the bytes given to yajl */
  gz_pos pos;
  /* callback-raised error */
  bool depth_error;
  uint64_t depth_error_off;
  frame *frames;
  int n_frames;
  int max_depth;
  jref *ctx; /* the wrappers of a record, innermost first */
  jtree t;
  gz_buf key; /* the key whose value comes next */
  gz_shape_scratch scratch;
  held_record *held;
  size_t n_held, cap_held;
  const gz_field_map *items; /* --field items=PATH, or NULL */
  size_t items_index;
};

/* ---- positions ---- */

static void locate(gz_json_reader *r, uint64_t off, unsigned long *line, unsigned long *col) {
  uint64_t end = r->chunk_base + r->chunk_len;
  if (off > end) off = end;
  if (off > r->pos.offset && r->pos.offset >= r->chunk_base) {
    gz_pos_advance(&r->pos, r->chunk + (r->pos.offset - r->chunk_base),
                   (size_t)(off - r->pos.offset));
  }
  *line = r->pos.line;
  *col = r->pos.col;
}

static uint64_t consumed(gz_json_reader *r) { return r->seg_base + yajl_get_bytes_consumed(r->h); }

/* The start of the token that ends at `end` (scanning back inside the
 * current chunk), so that messages point at an item's first character. */
static uint64_t token_start(gz_json_reader *r, uint64_t end) {
  if (end <= r->chunk_base || end > r->chunk_base + r->chunk_len) return end;
  size_t i = (size_t)(end - r->chunk_base);
  const char *c = r->chunk;
  if (i == 0) return end;
  if (c[i - 1] == '"') {
    size_t j = i - 1;
    while (j > 0) {
      j--;
      if (c[j] != '"') continue;
      size_t bs = 0;
      while (j >= bs + 1 && c[j - bs - 1] == '\\') bs++;
      if (bs % 2 == 0) return r->chunk_base + j;
    }
    return end;
  }
  size_t j = i;
  while (j > 0 && (c[j - 1] == '-' || c[j - 1] == '+' || c[j - 1] == '.' ||
                   (c[j - 1] >= '0' && c[j - 1] <= '9') || (c[j - 1] >= 'a' && c[j - 1] <= 'z') ||
                   (c[j - 1] >= 'A' && c[j - 1] <= 'Z')))
    j--;
  return r->chunk_base + j;
}

/* ---- frames ---- */

static frame *top(gz_json_reader *r) { return r->n_frames ? &r->frames[r->n_frames - 1] : NULL; }

static frame *push(gz_json_reader *r, uint8_t kind) {
  if (r->n_frames >= r->max_depth) {
    r->depth_error = true;
    r->depth_error_off = consumed(r) - 1; /* the bracket that went too deep */
    return NULL;
  }
  frame *f = &r->frames[r->n_frames++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->pm = f->child_pm = -1;
  return f;
}

static void item_not_object_at(gz_json_reader *r, uint64_t off, const char *what) {
  unsigned long line, col;
  locate(r, off, &line, &col);
  gz_ingest_skip(r->in, line, col, "item is %s, not an article object; skipped", what);
}

/* The same, for the token just read. */
static void item_not_object(gz_json_reader *r, const char *what) {
  item_not_object_at(r, token_start(r, consumed(r)), what);
}

/* The pending key, for the node of the value that follows it. */
static const char *pending_key(gz_json_reader *r, const frame *f, size_t *len) {
  if (!f || !f->is_obj) {
    *len = 0;
    return NULL;
  }
  *len = r->key.len;
  return r->key.data ? r->key.data : "";
}

/* Adds a value node under the innermost held node (a member or an
 * element); 0 when the tree is full. */
static jref add_value(gz_json_reader *r, frame *f, uint8_t type, const char *s, size_t n) {
  size_t klen;
  const char *key = pending_key(r, f, &klen);
  jref v = jt_add(&r->t, type, key, klen, s, n);
  if (v && f->node) jt_link(&r->t, f->node, v);
  return v;
}

/* Opens a record (or wrapper) object. */
static frame *begin_candidate(gz_json_reader *r, uint8_t from, bool record_mode, int16_t pm) {
  uint64_t start = consumed(r) - 1;
  size_t klen;
  const char *key = pending_key(r, top(r), &klen);
  frame *f = push(r, FR_CAND);
  if (!f) return NULL;
  f->from = from;
  f->record_mode = record_mode;
  f->is_obj = true;
  f->pm = pm;
  f->start = start;
  f->mark = jt_mark(&r->t);
  f->node = jt_add(&r->t, JT_OBJ, key, klen, NULL, 0);
  locate(r, start, &f->line, &f->col);
  return f;
}

static bool items_mode(const gz_json_reader *r) { return r->items != NULL; }

/* Does the items path's step `pm` take the member `key`, or element `idx`? */
static bool step_takes(const gz_json_reader *r, int pm, const char *key, size_t len, long idx) {
  if (pm < 0 || (size_t)pm >= r->items->n_steps) return false;
  const gz_path_step *s = &r->items->steps[pm];
  if (key) return s->key && s->len == len && memcmp(s->key, key, len) == 0;
  return s->index == -2 || (s->index >= 0 && s->index == idx);
}

static int16_t items_end(const gz_json_reader *r) { return (int16_t)r->items->n_steps; }

/* ---- records ---- */

static void mark_yielded(gz_json_reader *r) {
  for (int i = 0; i < r->n_frames; i++)
    if (r->frames[i].kind == FR_CAND) r->frames[i].yielded = true;
}

/* Does the object have a member an article has? */
static bool article_like(const gz_json_reader *r, jref node) {
  if (!node) return false;
  for (jref c = jt_node(&r->t, node)->first; c; c = jt_node(&r->t, c)->next) {
    const jnode *n = jt_node(&r->t, c);
    const char *k = jt_text(&r->t, n->key);
    if (gz_field_find(k, n->klen) || gz_shape_record_key(k, n->klen)) return true;
  }
  return false;
}

/* The wrappers of a record: the held objects of the open frames below
 * `below`, innermost first. */
static size_t gather_ctx(gz_json_reader *r, int below) {
  size_t n = 0;
  for (int i = below - 1; i >= 0; i--)
    if (r->frames[i].kind == FR_CAND && r->frames[i].node) r->ctx[n++] = r->frames[i].node;
  return n;
}

static int pick_and_ingest(gz_json_reader *r, jref node, int depth, bool held, unsigned long line,
                           unsigned long col, uint64_t bytes) {
  gz_json_record rec = {&r->t, node, r->ctx, gather_ctx(r, depth), line, col, bytes};
  gz_raw_article raw;
  const char *shape = NULL;
  gz_shape_verdict v = gz_shape_pick(r->in, &rec, held, &r->scratch, &raw, &shape);
  if (shape && (!r->in->shape || strcmp(r->in->shape, "generic") == 0)) r->in->shape = shape;
  if (v == GZ_SHAPE_HOLD) {
    if (r->n_held == r->cap_held) {
      size_t cap = r->cap_held ? r->cap_held * 2 : 64;
      held_record *h = gz_realloc(gz_digest_setup(r->in->d)->al, r->held, cap * sizeof *h);
      if (!h) {
        r->in->failed = true;
        return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      }
      r->held = h;
      r->cap_held = cap;
    }
    int holder = depth - 1;
    while (holder > 0 && r->frames[holder].kind != FR_CAND) holder--;
    r->held[r->n_held++] = (held_record){node, holder, line, col, bytes};
    r->t.floor = jt_mark(&r->t);
    return 0;
  }
  if (v == GZ_SHAPE_SKIP) {
    gz_ingest_skip(r->in, line, col, "%s", r->scratch.why);
    return 0;
  }
  for (int i = 0; i < GZ_F_COUNT; i++)
    if (r->scratch.field[i].failed) r->in->failed = true;
  if (r->in->failed) return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  if (r->items && depth >= 0) gz_read_map_hit(r->in, r->items_index);
  return gz_ingest_raw(r->in, &raw);
}

/* Reads the records held until the wrapper at frame `depth` ended. */
static int read_held(gz_json_reader *r, int depth) {
  size_t keep = 0;
  int rc = 0;
  for (size_t i = 0; i < r->n_held; i++) {
    held_record h = r->held[i];
    if (h.holder != depth || rc) {
      r->held[keep++] = h;
      continue;
    }
    /* The wrapper is still on the stack: its tables are the context. */
    rc = pick_and_ingest(r, h.node, depth + 1, true, h.line, h.col, h.bytes);
  }
  r->n_held = keep;
  if (keep == 0) r->t.floor = 0;
  return rc;
}

/* An object of records or wrappers ended (`done`, popped; its wrapper
 * frames are still below). */
static int end_candidate(gz_json_reader *r, const frame *done, uint64_t end) {
  if (r->t.buf.failed) {
    /* A record missing a value for want of memory would be read wrong. */
    r->in->failed = true;
    return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  bool over = r->t.over || !done->node;
  if (r->n_held) {
    /* Ghost: the records wait in the wrapper that holds its tables. */
    r->n_frames++;
    int rc = read_held(r, r->n_frames - 1);
    r->n_frames--;
    if (rc) return rc;
  }
  bool like = !over && article_like(r, done->node);
  if (done->from == FROM_ROOT && r->items) {
    jt_cut(&r->t, done->mark); /* under --field items the records are where it says */
    return 0;
  }
  if (done->yielded || (done->had_array_hole && !like)) {
    jt_cut(&r->t, done->mark);
    return 0;
  }
  uint64_t bytes = end > done->start ? end - done->start : 0;
  if (over) {
    jt_cut(&r->t, done->mark);
    if (done->from == FROM_WRAPPED && !done->record_mode) return 0;
    mark_yielded(r);
    gz_ingest_skip(r->in, done->line, done->col,
                   "article larger than the limit of %zu bytes (--max-article-size); skipped",
                   gz_digest_setup(r->in->d)->opts->max_article_size);
    return 0;
  }
  if (done->from == FROM_WRAPPED && !done->record_mode && !like) {
    /* Not a record after all: a value of the object around it. */
    frame *p = top(r);
    if (p && p->kind == FR_CAND && p->node) jt_link(&r->t, p->node, done->node);
    return 0;
  }
  mark_yielded(r);
  int rc = pick_and_ingest(r, done->node, r->n_frames, false, done->line, done->col, bytes);
  jt_cut(&r->t, done->mark); /* not below a record held for later */
  return rc;
}

/* ---- yajl callbacks ---- */

static int scalar(gz_json_reader *r, uint8_t type, const char *s, size_t n) {
  if (gz_canceled(r->in->d)) return 0;
  frame *f = top(r);
  if (!f) {
    r->value_done = true;
    item_not_object(r, type == JT_STR ? "a string" : "a number or literal");
    return 1;
  }
  f->member = M_NONE;
  switch (f->kind) {
    case FR_RECARRAY:
    case FR_PATHARRAY:
      f->idx++;
      if (f->kind == FR_RECARRAY)
        item_not_object(r, type == JT_STR ? "a string" : "a number or literal");
      return 1;
    case FR_PENDARRAY: {
      frame *p = f - 1;
      if (p->from == FROM_ROOT) {
        /* The dump's own wrapper ({"articles": ["..."]}): its items are
         * records, and one that is not an object is told. */
        f->kind = FR_RECARRAY;
        f->idx++;
        item_not_object(r, type == JT_STR ? "a string" : "a number or literal");
        return 1;
      }
      /* An array of values, not of records: the tree keeps it. */
      f->kind = FR_VALUE;
      if (f->node && p->node) jt_link(&r->t, p->node, f->node);
    }
      /* fall through */
    case FR_CAND:
    case FR_VALUE:
      f->idx++;
      if (f->node) add_value(r, f, type, s, n);
      return 1;
    default:
      return 1;
  }
}

static int cb_null(void *ctx) { return scalar(ctx, JT_NULL, NULL, 0); }
static int cb_bool(void *ctx, int v) {
  return scalar(ctx, JT_BOOL, v ? "true" : "false", v ? 4 : 5);
}
static int cb_number(void *ctx, const char *s, size_t n) { return scalar(ctx, JT_NUM, s, n); }
static int cb_string(void *ctx, const unsigned char *s, size_t n) {
  return scalar(ctx, JT_STR, (const char *)s, n);
}

static int cb_key(void *ctx, const unsigned char *key, size_t n) {
  gz_json_reader *r = ctx;
  frame *f = top(r);
  const char *k = (const char *)key;
  gz_buf_clear(&r->key);
  gz_buf_append(&r->key, k, n);
  if (r->key.failed) {
    r->oom = true;
    return 0;
  }
  if (!f) return 1;
  f->member = M_STORE;
  if (f->kind != FR_CAND) return 1;
  if (f->items_end) {
    /* At the items path's end: an object keyed by id holds the records,
     * else it is the record. */
    f->items_end = false;
    if (is_id_key(k, n) || (n > 0 && k[0] >= '0' && k[0] <= '9')) {
      f->kind = FR_KEYED;
      f->member = M_NONE;
      return 1;
    }
    f->record_mode = true;
  }
  if (f->kind == FR_KEYED) return 1;
  if (items_mode(r)) {
    if (f->record_mode) return 1;
    f->child_pm = step_takes(r, f->pm, k, n, -1) ? (int16_t)(f->pm + 1) : -1;
    if (f->child_pm >= 0) f->member = f->child_pm == items_end(r) ? M_ITEMS : M_PATH;
    return 1;
  }
  if (!f->record_mode && gz_shape_record_key(k, n)) f->record_mode = true;
  if (f->record_mode) return 1;
  if (is_wrapper_key(k, n))
    f->member = M_HOLE;
  else if (is_id_key(k, n))
    f->member = M_IDHOLE;
  return 1;
}

static int cb_start_map(void *ctx) {
  gz_json_reader *r = ctx;
  if (gz_canceled(r->in->d) || r->in->failed) return 0;
  frame *f = top(r);
  if (!f) return begin_candidate(r, FROM_ROOT, false, items_mode(r) ? 0 : -1) != NULL;
  uint8_t member = f->member;
  f->member = M_NONE;
  switch (f->kind) {
    case FR_CAND:
      if (member == M_HOLE || member == M_IDHOLE || member == M_PATH)
        return begin_candidate(r, FROM_WRAPPED, false, f->child_pm) != NULL;
      if (member == M_ITEMS) {
        frame *c = begin_candidate(r, FROM_ELEMENT, false, -1);
        if (c) c->items_end = true;
        return c != NULL;
      }
      break;
    case FR_KEYED:
      return begin_candidate(r, FROM_ELEMENT, true, -1) != NULL;
    case FR_PENDARRAY:
      f->kind = FR_RECARRAY;
      /* fall through */
    case FR_RECARRAY:
      f->idx++;
      return begin_candidate(r, FROM_ELEMENT, items_mode(r), -1) != NULL;
    case FR_PATHARRAY: {
      bool take = step_takes(r, f->pm, NULL, 0, (long)f->idx++);
      if (!take) return push(r, FR_SKIP) != NULL;
      int16_t pm = (int16_t)(f->pm + 1);
      if (pm == items_end(r)) return begin_candidate(r, FROM_ELEMENT, true, -1) != NULL;
      return begin_candidate(r, FROM_WRAPPED, false, pm) != NULL;
    }
    case FR_VALUE:
      break;
    default:
      return push(r, FR_SKIP) != NULL;
  }
  /* An object inside a held tree. */
  f->idx++;
  jref v = f->node ? add_value(r, f, JT_OBJ, NULL, 0) : 0;
  frame *c = push(r, FR_VALUE);
  if (!c) return 0;
  c->node = v;
  c->is_obj = true;
  return 1;
}

static int cb_start_array(void *ctx) {
  gz_json_reader *r = ctx;
  if (gz_canceled(r->in->d) || r->in->failed) return 0;
  frame *f = top(r);
  if (!f) {
    bool path = items_mode(r) && r->items->steps[0].index != -1;
    frame *a = push(r, path ? FR_PATHARRAY : FR_RECARRAY);
    if (a) a->pm = 0;
    return a != NULL;
  }
  uint8_t member = f->member;
  f->member = M_NONE;
  switch (f->kind) {
    case FR_CAND:
      if (member == M_HOLE) {
        f->had_array_hole = true;
        size_t klen;
        const char *key = pending_key(r, f, &klen);
        jref v = f->node ? jt_add(&r->t, JT_ARR, key, klen, NULL, 0) : 0;
        frame *a = push(r, FR_PENDARRAY);
        if (a) a->node = v;
        return a != NULL;
      }
      if (member == M_PATH) {
        frame *a = push(r, FR_PATHARRAY);
        if (a) a->pm = f->child_pm;
        return a != NULL;
      }
      if (member == M_ITEMS) {
        f->had_array_hole = true;
        return push(r, FR_RECARRAY) != NULL;
      }
      break;
    case FR_RECARRAY:
      f->idx++;
      item_not_object_at(r, consumed(r) - 1, "an array");
      return push(r, FR_SKIP) != NULL;
    case FR_PATHARRAY: {
      bool take = step_takes(r, f->pm, NULL, 0, (long)f->idx++);
      if (!take) return push(r, FR_SKIP) != NULL;
      int16_t pm = (int16_t)(f->pm + 1);
      frame *a = push(r, pm == items_end(r) ? FR_RECARRAY : FR_PATHARRAY);
      if (a) a->pm = pm;
      return a != NULL;
    }
    case FR_PENDARRAY: {
      frame *p = f - 1;
      if (p->from == FROM_ROOT) {
        f->kind = FR_RECARRAY;
        f->idx++;
        item_not_object_at(r, consumed(r) - 1, "an array");
        return push(r, FR_SKIP) != NULL;
      }
      f->kind = FR_VALUE;
      if (f->node && p->node) jt_link(&r->t, p->node, f->node);
      break;
    }
    case FR_VALUE:
      break;
    default:
      return push(r, FR_SKIP) != NULL;
  }
  f->idx++;
  jref v = f->node ? add_value(r, f, JT_ARR, NULL, 0) : 0;
  frame *c = push(r, FR_VALUE);
  if (!c) return 0;
  c->node = v;
  return 1;
}

/* Takes the innermost frame off the stack into *done; false when there
 * is none (a close the parser let through at the top). */
static bool pop(gz_json_reader *r, frame *done) {
  frame *f = top(r);
  if (!f) return false;
  *done = *f;
  r->n_frames--;
  return true;
}

static int cb_end_map(void *ctx) {
  gz_json_reader *r = ctx;
  frame done;
  if (!pop(r, &done)) return 1;
  if (done.kind == FR_CAND && end_candidate(r, &done, consumed(r))) return 0;
  if (done.kind == FR_KEYED) jt_cut(&r->t, done.mark);
  if (r->n_frames == 0) r->value_done = true;
  return 1;
}

static int cb_end_array(void *ctx) {
  gz_json_reader *r = ctx;
  frame done;
  if (!pop(r, &done)) return 1;
  if (r->n_frames == 0) r->value_done = true;
  return 1;
}

/* ---- allocation through the digest's allocator ---- */

/* yajl 2.1 uses some of its allocations unchecked (yajl_alloc,
 * yajl_buf_alloc, the lexer's buffers): a NULL would crash it. So a
 * failure of the allocator is noted and the block comes from the C
 * library instead; the reader stops with "out of memory" as soon as yajl
 * returns. Each block records where it came from, and its size. */
typedef union y_head {
  struct {
    size_t size;
    bool own; /* from the digest's allocator */
  } h;
  max_align_t align;
} y_head;

static void *y_malloc(void *ctx, size_t n) {
  gz_json_reader *r = ctx;
  y_head *h = gz_malloc(gz_digest_setup(r->in->d)->al, sizeof *h + n);
  bool own = h != NULL;
  if (!h) {
    r->oom = true;
    if (!(h = malloc(sizeof *h + n))) return NULL;
  }
  h->h.size = n;
  h->h.own = own;
  return h + 1;
}

static void y_free(void *ctx, void *p) {
  if (!p) return;
  gz_json_reader *r = ctx;
  y_head *h = (y_head *)p - 1;
  if (h->h.own)
    gz_free(gz_digest_setup(r->in->d)->al, h);
  else
    free(h);
}

static void *y_realloc(void *ctx, void *p, size_t n) {
  if (!p) return y_malloc(ctx, n);
  gz_json_reader *r = ctx;
  y_head *h = (y_head *)p - 1, *nh;
  if (h->h.own && (nh = gz_realloc(gz_digest_setup(r->in->d)->al, h, sizeof *nh + n))) {
    nh->h.size = n;
    return nh + 1;
  }
  if (!h->h.own) {
    if (!(nh = realloc(h, sizeof *nh + n))) return NULL;
    nh->h.size = n;
    return nh + 1;
  }
  void *q = y_malloc(ctx, n); /* notes the failure, from the C library */
  if (!q) return NULL;
  memcpy(q, p, h->h.size < n ? h->h.size : n);
  y_free(ctx, p);
  return q;
}

/* After a yajl call: its allocation failed, so the read stops. */
static int y_failed(gz_json_reader *r) {
  if (!r->oom) return 0;
  if (!r->in->failed) {
    r->in->failed = true;
    gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  return -1;
}

static int new_handle(gz_json_reader *r) {
  if (r->h) yajl_free(r->h);
  r->read_at_line = gz_digest_tally(r->in->d)->read;
  r->h = yajl_alloc(&r->cb, &r->afs, r);
  r->started = r->value_done = false;
  r->n_frames = 0;
  r->depth_error = false;
  /* What a broken value left in the tree goes with it. */
  r->n_held = 0;
  r->t.floor = 0;
  jt_cut(&r->t, 0);
  if (!r->h) r->oom = true;
  return y_failed(r);
}

static void json_free(void *self);

static gz_json_reader *json_new(gz_input *in, bool lines) {
  const gz_setup *set = gz_digest_setup(in->d);
  const gz_allocator *al = set->al;
  gz_json_reader *r = gz_malloc(al, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->in = in;
  r->lines = lines;
  r->undecided = !lines;
  r->max_depth = set->opts->max_json_depth;
  r->frames = gz_malloc(al, (size_t)(r->max_depth + 1) * sizeof *r->frames);
  r->ctx = gz_malloc(al, (size_t)(r->max_depth + 1) * sizeof *r->ctx);
  static const yajl_callbacks callbacks = {
      .yajl_null = cb_null,
      .yajl_boolean = cb_bool,
      .yajl_number = cb_number,
      .yajl_string = cb_string,
      .yajl_start_map = cb_start_map,
      .yajl_map_key = cb_key,
      .yajl_end_map = cb_end_map,
      .yajl_start_array = cb_start_array,
      .yajl_end_array = cb_end_array,
  };
  r->cb = callbacks;
  r->afs = (yajl_alloc_funcs){.malloc = y_malloc, .realloc = y_realloc, .free = y_free, .ctx = r};
  /* A record's tree holds its text and a node per value: room for a
   * few times the article size limit, for the few wrapper members too. */
  size_t max = set->opts->max_article_size;
  jt_init(&r->t, al, max > (SIZE_MAX - (1u << 20)) / 4 ? SIZE_MAX : max * 4 + (1u << 20));
  gz_buf_init(&r->key, al);
  gz_shape_scratch_init(&r->scratch, al);
  for (size_t i = 0; i < set->n_maps; i++)
    if (set->maps[i].name == GZ_MAP_ITEMS) r->items = &set->maps[i], r->items_index = i;
  if (set->n_maps) in->shape = "fields";
  gz_pos_init(&r->pos);
  if (!r->frames || !r->ctx || r->t.buf.failed || new_handle(r)) {
    json_free(r);
    return NULL;
  }
  return r;
}

static void json_free(void *self) {
  gz_json_reader *r = self;
  if (!r) return;
  const gz_allocator *al = gz_digest_setup(r->in->d)->al;
  if (r->h) yajl_free(r->h);
  jt_free(&r->t);
  gz_buf_free(&r->key);
  gz_shape_scratch_free(&r->scratch);
  gz_free(al, r->held);
  gz_free(al, r->ctx);
  gz_free(al, r->frames);
  gz_free(al, r);
}

/* yajl's messages, made into one plain sentence. */
static void describe_error(gz_json_reader *r, char *out, size_t cap) {
  if (r->depth_error) {
    snprintf(out, cap, "JSON nested deeper than %d levels (--max-json-depth)", r->max_depth);
    return;
  }
  unsigned char *msg = yajl_get_error(r->h, 0, NULL, 0);
  const char *m = msg ? (const char *)msg : "malformed JSON";
  if (strncmp(m, "parse error: ", 13) == 0) m += 13;
  if (strncmp(m, "lexical error: ", 15) == 0) m += 15;
  char text[256];
  gz_strlcpy(text, m, sizeof text);
  size_t n = strlen(text);
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '.' || text[n - 1] == ' ')) text[--n] = 0;
  static const struct {
    const char *yajl, *plain;
  } plain[] = {
      {"after key and value, inside map, I expect ',' or '}'",
       "expected ',' or '}' after a member of an object"},
      {"after array element, I expect ',' or ']'", "expected ',' or ']' after an array element"},
      {"object key and value must be separated by a colon (':')",
       "expected ':' after an object key"},
      {"invalid object key (must be a string)", "expected a string as object key"},
      {"unallowed token at this point in JSON text", "unexpected token"},
      {"invalid char in json text", "unexpected character"},
      {"trailing garbage", "unexpected text after the end of the JSON value"},
  };
  const char *say = text;
  for (size_t i = 0; i < GZ_ARRAY_LEN(plain); i++)
    if (strcmp(text, plain[i].yajl) == 0) say = plain[i].plain;
  if (strcmp(text, "premature EOF") == 0)
    snprintf(out, cap, "the JSON ends too early (truncated?): expected more data");
  else
    snprintf(out, cap, "malformed JSON: %s", say);
  if (msg) yajl_free_error(r->h, msg);
}

/* yajl reports an offset just past the character it stumbled on, or
 * inside an unexpected string token: move back to where the offending
 * token starts, so the column points at it. Truncation points at the end. */
static uint64_t error_start(gz_json_reader *r, uint64_t off, const char *msg) {
  if (strstr(msg, "ends too early") || off <= r->chunk_base || off > r->chunk_base + r->chunk_len)
    return off;
  const char *c = r->chunk;
  size_t i = (size_t)(off - r->chunk_base);
  if (gz_is_ascii_space((unsigned char)c[i - 1])) return off;
  i--;
  while (i > 0 && ((c[i - 1] >= 'a' && c[i - 1] <= 'z') || (c[i - 1] >= 'A' && c[i - 1] <= 'Z') ||
                   (c[i - 1] >= '0' && c[i - 1] <= '9') || c[i - 1] == '_'))
    i--;
  if (i > 0 && c[i - 1] == '"') i--;
  return r->chunk_base + i;
}

/* Handles a failed yajl call; returns -1 when the whole read must stop. */
static int on_error(gz_json_reader *r, uint64_t off) {
  if (r->in->failed) return -1;
  if (gz_canceled(r->in->d)) {
    r->in->failed = true;
    return gz_error_set(r->in->err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
  }
  char msg[320];
  describe_error(r, msg, sizeof msg);
  unsigned long line, col;
  locate(r, r->depth_error ? r->depth_error_off : error_start(r, off, msg), &line, &col);
  gz_digest *d = r->in->d;
  if (r->lines) {
    /* The line is one lost item, unless items of it were counted already
     * (a line holding an array): then only its rest is lost. */
    if (gz_digest_tally(d)->read == r->read_at_line) {
      gz_ingest_skip(r->in, line, col, "%s; the line is skipped", msg);
    } else {
      gz_digest_tally(d)->errors++;
      gz_diag_add(d, GZ_SEV_ERROR, r->in->name, line, col, "%s; the rest of the line is skipped",
                  msg);
    }
    r->skip_line = true;
    return 0;
  }
  gz_digest_tally(d)->errors++;
  gz_diag_add(d, GZ_SEV_ERROR, r->in->name, line, col,
              "%s; reading of this file stops here (articles before are kept)", msg);
  r->stop = true;
  r->in->stopped = true;
  return 0;
}

static int parse(gz_json_reader *r, const char *s, size_t n) {
  if (r->stop || r->skip_line || n == 0) return 0;
  if (!r->started) {
    for (size_t i = 0; i < n; i++)
      if (!gz_is_ascii_space((unsigned char)s[i])) {
        r->started = true;
        break;
      }
  }
  r->seg_base = r->chunk_base + (uint64_t)(s - r->chunk);
  yajl_status st = yajl_parse(r->h, (const unsigned char *)s, n);
  if (y_failed(r)) return -1;
  if (st != yajl_status_ok) return on_error(r, consumed(r));
  return 0;
}

/* Ends one line of JSON Lines (or the first line while undecided). */
static int end_line(gz_json_reader *r, const char *nl) {
  if (r->started && !r->skip_line && !r->stop) {
    r->seg_base = r->chunk_base + (uint64_t)(nl - r->chunk);
    yajl_status st = yajl_complete_parse(r->h);
    if (y_failed(r)) return -1;
    if (st != yajl_status_ok && on_error(r, r->seg_base)) return -1;
  }
  r->skip_line = false;
  if (r->started) return new_handle(r);
  return 0;
}

static int json_feed(void *self, const char *s, size_t n) {
  gz_json_reader *r = self;
  r->chunk = s;
  r->chunk_len = n;
  r->chunk_base = r->pos.offset;
  const char *p = s, *end = s + n;
  while (p < end && !r->stop && (r->lines || r->undecided)) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
      if (parse(r, p, (size_t)(end - p))) return -1;
      p = end;
      break;
    }
    if (parse(r, p, (size_t)(nl - p))) return -1;
    if (r->undecided && r->started) {
      r->undecided = false;
      /* A complete object on the first line, with more to come: lines. */
      r->lines = r->value_done;
      if (!r->lines) {
        p = nl;
        break;
      }
    }
    if (r->lines && end_line(r, nl)) return -1;
    p = nl + 1;
  }
  if (p < end && !r->stop && !r->lines && parse(r, p, (size_t)(end - p))) return -1;
  /* Move the position tracker to the end of this chunk. */
  if (r->pos.offset < r->chunk_base + n)
    gz_pos_advance(&r->pos, s + (r->pos.offset - r->chunk_base),
                   (size_t)(r->chunk_base + n - r->pos.offset));
  return r->in->failed ? -1 : 0;
}

static int json_finish(void *self) {
  gz_json_reader *r = self;
  if (r->stop) return r->in->failed ? -1 : 0;
  r->chunk = "";
  r->chunk_len = 0;
  r->chunk_base = r->pos.offset;
  if (!r->started || r->skip_line) return 0;
  r->seg_base = r->pos.offset;
  yajl_status st = yajl_complete_parse(r->h);
  if (y_failed(r)) return -1;
  if (st != yajl_status_ok && on_error(r, r->pos.offset)) return -1;
  return r->in->failed ? -1 : 0;
}

/* ---- the readers' rows ---- */

/* A document whose first non-space byte opens an array or object. */
static bool json_sniff(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (gz_is_ascii_space((unsigned char)s[i])) continue;
    return s[i] == '[' || s[i] == '{';
  }
  return false;
}

static void *json_doc_new(gz_input *in, const char *path) {
  (void)path;
  return json_new(in, false);
}

static void *json_lines_new(gz_input *in, const char *path) {
  (void)path;
  return json_new(in, true);
}

static const char *const json_ext[] = {".json", NULL};
static const char *const jsonl_ext[] = {".jsonl", ".ndjson", NULL};

const gz_reader_class gz_reader_json = {"json",       "JSON",    json_ext,    json_sniff,
                                        json_doc_new, json_feed, json_finish, json_free};
const gz_reader_class gz_reader_jsonl = {"jsonl",        "JSON Lines", jsonl_ext,   NULL,
                                         json_lines_new, json_feed,    json_finish, json_free};
