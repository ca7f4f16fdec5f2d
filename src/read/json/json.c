/*
 * json.c - the streaming JSON and JSON Lines readers (yajl callbacks):
 * two rows of the reader table, one parser.
 *
 * The dump is never held as a parsed tree: yajl reports tokens as the
 * bytes stream in, and we keep only the fields of the article being read,
 * so memory follows one article, not the dump.
 *
 * Shapes: a top-level array of articles; an object holding one under
 * articles, items, entries, posts, data or results; one article object;
 * or JSON Lines. A document that starts with "{" and whose first line is
 * a complete value is JSON Lines. In JSON Lines a bad line loses only that
 * line; in a document, an error stops the reading and what came before
 * is kept.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "read/fields.h"
#include "read/reader.h"

enum { F_NONE = 255 }; /* a frame's field when it is none */

static const char *const wrapper_keys[] = {"articles", "items", "entries",
                                           "posts",    "data",  "results"};

static bool is_wrapper_key(const char *key, size_t len) {
  for (size_t i = 0; i < GZ_ARRAY_LEN(wrapper_keys); i++)
    if (strlen(wrapper_keys[i]) == len && memcmp(wrapper_keys[i], key, len) == 0) return true;
  return false;
}

/* ---- collected fields ---- */

enum vkind { V_NONE = 0, V_STRING, V_NUMBER, V_HTML, V_LIST, V_PARAS };

typedef struct field_val {
  uint8_t rank; /* 255 when unset */
  uint8_t kind;
  uint8_t flags;
  uint32_t n; /* items of a list */
  gz_buf buf;
} field_val;

typedef struct collector {
  field_val f[GZ_F_COUNT];
  field_val stage; /* a container value being built */
  uint8_t stage_field;
  const char *bad_date_type;
  uint64_t start;
  unsigned long line, col;
  bool too_big;
} collector;

/* ---- frames ---- */

enum fkind {
  FR_ROOT_ARRAY,
  FR_ROOT_OBJECT, /* an article, or a wrapper of an article array */
  FR_WRAPPER,     /* the array under a wrapper key */
  FR_ITEM,        /* an article object */
  FR_VALOBJ,      /* an object as a field's value: {rendered}, {name}, ... */
  FR_VALARR,      /* an array as a field's value */
  FR_VALARR_OBJ,  /* an object inside such an array */
  FR_IGNORE
};

enum member { M_NONE = 0, M_VALUE, M_WRAPPER };

typedef struct frame {
  uint8_t kind;
  uint8_t coll; /* 0 root, 1 item */
  uint8_t field;
  uint8_t rank;
  uint8_t flags;
  uint8_t member; /* what the next value is, after a key */
  uint8_t taken;  /* a value object already gave its value */
} frame;

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
  bool wrapper_found;
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
  collector coll[2];
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

/* ---- collectors ---- */

static void field_reset(field_val *f) {
  f->rank = 255;
  f->kind = V_NONE;
  f->flags = 0;
  f->n = 0;
  gz_buf_clear(&f->buf);
}

static void collector_reset(collector *c) {
  for (int i = 0; i < GZ_F_COUNT; i++) field_reset(&c->f[i]);
  field_reset(&c->stage);
  c->bad_date_type = NULL;
  c->too_big = false;
}

static bool better(const collector *c, uint8_t field, uint8_t rank) {
  return field < GZ_F_COUNT && rank < c->f[field].rank;
}

static void set_scalar(gz_json_reader *r, collector *c, uint8_t field, uint8_t rank, uint8_t flags,
                       uint8_t kind, const char *s, size_t n) {
  if (n > gz_digest_setup(r->in->d)->opts->max_article_size) {
    c->too_big = true;
    return;
  }
  field_val *f = &c->f[field];
  field_reset(f);
  f->rank = rank;
  f->kind = kind;
  f->flags = flags;
  gz_buf_append(&f->buf, s, n);
  if (field == GZ_F_AUTHOR || field == GZ_F_TAGS) f->kind = V_LIST, f->n = 1;
  if (field == GZ_F_DATE) c->bad_date_type = NULL;
}

static void stage_add(gz_json_reader *r, collector *c, const char *s, size_t n, bool para) {
  field_val *st = &c->stage;
  if (st->buf.len + n > gz_digest_setup(r->in->d)->opts->max_article_size) {
    c->too_big = true;
    return;
  }
  if (st->n > 0) gz_buf_append(&st->buf, para ? "\n\n" : "\0", para ? 2 : 1);
  gz_buf_append(&st->buf, s, n);
  st->n++;
}

static void stage_commit(collector *c, uint8_t field, uint8_t rank, uint8_t flags, uint8_t kind) {
  if (field >= GZ_F_COUNT || c->stage.n == 0 || !better(c, field, rank)) return;
  field_val tmp = c->f[field];
  c->f[field] = c->stage;
  c->stage = tmp;
  c->f[field].rank = rank;
  c->f[field].kind = kind;
  c->f[field].flags = flags;
  if (field == GZ_F_DATE) c->bad_date_type = NULL;
}

static void stage_begin(collector *c) { field_reset(&c->stage); }

/* ---- frame helpers ---- */

static frame *top(gz_json_reader *r) { return r->n_frames ? &r->frames[r->n_frames - 1] : NULL; }

static int push(gz_json_reader *r, uint8_t kind, uint8_t coll) {
  if (r->n_frames >= r->max_depth) {
    r->depth_error = true;
    r->depth_error_off = consumed(r) - 1; /* the bracket that went too deep */
    return 0;
  }
  frame *f = &r->frames[r->n_frames++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->coll = coll;
  f->field = F_NONE;
  return 1;
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

static void begin_item(gz_json_reader *r, collector *c, uint64_t start) {
  collector_reset(c);
  c->start = start;
  locate(r, start, &c->line, &c->col);
}

/* Builds the raw article from a collector and hands it to ingest. */
static int emit(gz_json_reader *r, collector *c, uint64_t end) {
  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = c->line;
  raw.col = c->col;
  raw.bytes = end > c->start ? end - c->start : 0;
  raw.too_big = c->too_big;
  field_val *f = c->f;
  if (f[GZ_F_TITLE].kind != V_NONE) {
    raw.title = gz_buf_cstr(&f[GZ_F_TITLE].buf);
    raw.title_len = f[GZ_F_TITLE].buf.len;
    raw.title_html = f[GZ_F_TITLE].kind == V_HTML;
  }
  if (f[GZ_F_BODY].kind != V_NONE) {
    raw.body = gz_buf_cstr(&f[GZ_F_BODY].buf);
    raw.body_len = f[GZ_F_BODY].buf.len;
    raw.body_kind = (f[GZ_F_BODY].kind == V_HTML || (f[GZ_F_BODY].flags & GZ_FIELD_HTML))
                        ? GZ_BODY_HTML
                        : GZ_BODY_AUTO;
  }
  if (f[GZ_F_DATE].kind != V_NONE) {
    /* A streamed value's own position is not kept: the item's stands. */
    unsigned flags = GZ_DATE_EPOCH | ((f[GZ_F_DATE].flags & GZ_FIELD_UTC) ? GZ_RAW_DATE_UTC : 0);
    raw.date =
        (gz_raw_date){gz_buf_cstr(&f[GZ_F_DATE].buf), f[GZ_F_DATE].buf.len, flags, c->line, c->col};
  }
  raw.bad_date_type = c->bad_date_type;
  if (f[GZ_F_AUTHOR].kind == V_LIST) {
    raw.authors.data = gz_buf_cstr(&f[GZ_F_AUTHOR].buf);
    raw.authors.len = f[GZ_F_AUTHOR].buf.len;
    raw.authors.n = f[GZ_F_AUTHOR].n;
  }
  if (f[GZ_F_URL].kind != V_NONE) {
    raw.url = gz_buf_cstr(&f[GZ_F_URL].buf);
    raw.url_len = f[GZ_F_URL].buf.len;
  }
  if (f[GZ_F_TAGS].kind == V_LIST) {
    raw.tags.data = gz_buf_cstr(&f[GZ_F_TAGS].buf);
    raw.tags.len = f[GZ_F_TAGS].buf.len;
    raw.tags.n = f[GZ_F_TAGS].n;
  }
  if (f[GZ_F_LANG].kind == V_STRING) {
    raw.lang = gz_buf_cstr(&f[GZ_F_LANG].buf);
    raw.lang_len = f[GZ_F_LANG].buf.len;
  }
  for (int i = 0; i < GZ_F_COUNT; i++)
    if (f[i].buf.failed) r->in->failed = true;
  if (r->in->failed) return gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  return gz_ingest_raw(r->in, &raw);
}

/* ---- yajl callbacks ---- */

static int scalar(gz_json_reader *r, uint8_t vtype, const char *s, size_t n) {
  if (gz_canceled(r->in->d)) return 0;
  frame *f = top(r);
  if (!f) {
    r->value_done = true;
    item_not_object(r, vtype == V_STRING ? "a string" : "a number or literal");
    return 1;
  }
  collector *c = &r->coll[f->coll];
  uint8_t member = f->member;
  f->member = M_NONE;
  switch (f->kind) {
    case FR_ROOT_ARRAY:
    case FR_WRAPPER:
      item_not_object(r, vtype == V_STRING ? "a string" : "a number or literal");
      return 1;
    case FR_ROOT_OBJECT:
    case FR_ITEM: {
      if (member != M_VALUE || !better(c, f->field, f->rank)) return 1;
      if (vtype == 0) return 1; /* null, true, false: as if absent */
      uint8_t field = f->field;
      if (vtype == V_NUMBER &&
          (field == GZ_F_URL || field == GZ_F_AUTHOR || field == GZ_F_TAGS || field == GZ_F_LANG))
        return 1;
      set_scalar(r, c, field, f->rank, f->flags, vtype, s, n);
      return 1;
    }
    case FR_VALOBJ:
    case FR_VALARR_OBJ:
      if (member == M_VALUE && !f->taken && vtype != 0 &&
          (vtype == V_STRING || f->field == GZ_F_DATE || f->field == GZ_F_TITLE ||
           f->field == GZ_F_BODY)) {
        f->taken = 1;
        stage_add(r, c, s, n, f->field == GZ_F_BODY);
        if (f->flags & GZ_FIELD_HTML) c->stage.flags |= GZ_FIELD_HTML;
      }
      return 1;
    case FR_VALARR:
      if (vtype == V_STRING) stage_add(r, c, s, n, f->field == GZ_F_BODY);
      return 1;
    default:
      return 1;
  }
}

static int cb_null(void *ctx) { return scalar(ctx, 0, NULL, 0); }
static int cb_bool(void *ctx, int v) {
  (void)v;
  return scalar(ctx, 0, NULL, 0);
}
static int cb_number(void *ctx, const char *s, size_t n) { return scalar(ctx, V_NUMBER, s, n); }
static int cb_string(void *ctx, const unsigned char *s, size_t n) {
  return scalar(ctx, V_STRING, (const char *)s, n);
}

static int cb_key(void *ctx, const unsigned char *key, size_t n) {
  gz_json_reader *r = ctx;
  frame *f = top(r);
  if (!f) return 1;
  f->member = M_NONE;
  const char *k = (const char *)key;
  if (f->kind == FR_ROOT_OBJECT || f->kind == FR_ITEM) {
    if (f->kind == FR_ROOT_OBJECT && is_wrapper_key(k, n)) {
      f->member = M_WRAPPER;
      return 1;
    }
    const gz_field_alias *a = gz_field_find(k, n);
    if (a) {
      f->field = a->field;
      f->rank = a->rank;
      f->flags = a->flags;
      f->member = M_VALUE;
    }
    return 1;
  }
  if (f->kind == FR_VALOBJ || f->kind == FR_VALARR_OBJ) {
    bool take = false;
    switch (f->field) {
      case GZ_F_TITLE:
        take = n == 8 && memcmp(k, "rendered", 8) == 0;
        break;
      case GZ_F_BODY:
        /* {rendered} (WordPress), or paragraph objects in a body array */
        take = (n == 8 && memcmp(k, "rendered", 8) == 0) ||
               (f->kind == FR_VALARR_OBJ && ((n == 4 && memcmp(k, "text", 4) == 0) ||
                                             (n == 7 && memcmp(k, "content", 7) == 0)));
        break;
      case GZ_F_DATE:
        take = (n == 5 && memcmp(k, "$date", 5) == 0) || (n == 8 && memcmp(k, "rendered", 8) == 0);
        break;
      case GZ_F_URL:
        take = (n == 4 && memcmp(k, "href", 4) == 0) || (n == 3 && memcmp(k, "url", 3) == 0);
        break;
      case GZ_F_AUTHOR:
      case GZ_F_TAGS:
        take = (n == 4 && memcmp(k, "name", 4) == 0) || (n == 5 && memcmp(k, "label", 5) == 0) ||
               (n == 4 && memcmp(k, "term", 4) == 0);
        break;
      default:
        break;
    }
    if (take) f->member = M_VALUE;
    if (take && n == 8 && memcmp(k, "rendered", 8) == 0) f->flags |= GZ_FIELD_HTML;
  }
  return 1;
}

/* Opens a frame of `kind` that gathers the value of the member `f` is
 * at (its field and rank), with `flags`. */
static int push_value(gz_json_reader *r, uint8_t kind, const frame *f, uint8_t flags) {
  uint8_t field = f->field, rank = f->rank;
  if (!push(r, kind, f->coll)) return 0;
  frame *v = top(r);
  v->field = field;
  v->rank = rank;
  v->flags = flags;
  return 1;
}

static int cb_start_map(void *ctx) {
  gz_json_reader *r = ctx;
  if (gz_canceled(r->in->d) || r->in->failed) return 0;
  frame *f = top(r);
  uint64_t start = consumed(r) - 1;
  if (!f) {
    if (!push(r, FR_ROOT_OBJECT, 0)) return 0;
    begin_item(r, &r->coll[0], start);
    r->wrapper_found = false;
    return 1;
  }
  uint8_t member = f->member;
  f->member = M_NONE;
  collector *c = &r->coll[f->coll];
  switch (f->kind) {
    case FR_ROOT_ARRAY:
    case FR_WRAPPER:
      if (!push(r, FR_ITEM, 1)) return 0;
      begin_item(r, &r->coll[1], start);
      return 1;
    case FR_ROOT_OBJECT:
    case FR_ITEM:
      if (member == M_VALUE && better(c, f->field, f->rank)) {
        if (!push_value(r, FR_VALOBJ, f, f->flags & (uint8_t)~GZ_FIELD_HTML)) return 0;
        stage_begin(c);
        return 1;
      }
      return push(r, FR_IGNORE, f->coll);
    case FR_VALARR:
      return push_value(r, FR_VALARR_OBJ, f, f->flags);
    default:
      return push(r, FR_IGNORE, f->coll);
  }
}

static int cb_start_array(void *ctx) {
  gz_json_reader *r = ctx;
  if (gz_canceled(r->in->d) || r->in->failed) return 0;
  frame *f = top(r);
  if (!f) return push(r, FR_ROOT_ARRAY, 0);
  uint8_t member = f->member;
  f->member = M_NONE;
  collector *c = &r->coll[f->coll];
  switch (f->kind) {
    case FR_ROOT_ARRAY:
    case FR_WRAPPER:
      item_not_object_at(r, consumed(r) - 1, "an array");
      return push(r, FR_IGNORE, f->coll);
    case FR_ROOT_OBJECT:
      if (member == M_WRAPPER) {
        r->wrapper_found = true;
        return push(r, FR_WRAPPER, 1);
      }
      /* fall through */
    case FR_ITEM:
      if (member == M_VALUE && better(c, f->field, f->rank)) {
        uint8_t field = f->field;
        if (field == GZ_F_DATE) {
          c->bad_date_type = "an array";
          return push(r, FR_IGNORE, f->coll);
        }
        if (field == GZ_F_TITLE || field == GZ_F_URL || field == GZ_F_LANG)
          return push(r, FR_IGNORE, f->coll);
        if (!push_value(r, FR_VALARR, f, f->flags)) return 0;
        stage_begin(c);
        return 1;
      }
      return push(r, FR_IGNORE, f->coll);
    default:
      return push(r, FR_IGNORE, f->coll);
  }
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
  collector *c = &r->coll[done.coll];
  uint64_t end = consumed(r);
  switch (done.kind) {
    case FR_ITEM:
      if (emit(r, c, end)) return 0;
      break;
    case FR_ROOT_OBJECT:
      r->value_done = true;
      if (!r->wrapper_found && emit(r, c, end)) return 0;
      break;
    case FR_VALOBJ: {
      uint8_t kind = V_STRING;
      if (done.field == GZ_F_AUTHOR || done.field == GZ_F_TAGS) kind = V_LIST;
      if (c->stage.flags & GZ_FIELD_HTML) kind = V_HTML;
      if (c->stage.n == 0 && done.field == GZ_F_DATE && better(c, GZ_F_DATE, done.rank))
        c->bad_date_type = "an object";
      stage_commit(c, done.field, done.rank, done.flags, kind);
      break;
    }
    default:
      break;
  }
  if (r->n_frames == 0) r->value_done = true;
  return 1;
}

static int cb_end_array(void *ctx) {
  gz_json_reader *r = ctx;
  frame done;
  if (!pop(r, &done)) return 1;
  collector *c = &r->coll[done.coll];
  if (done.kind == FR_VALARR) {
    uint8_t kind = done.field == GZ_F_BODY ? V_PARAS : V_LIST;
    stage_commit(c, done.field, done.rank, done.flags, kind);
  }
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
  if (!r->h) r->oom = true;
  return y_failed(r);
}

static void json_free(void *self);

static gz_json_reader *json_new(gz_input *in, bool lines) {
  const gz_allocator *al = gz_digest_setup(in->d)->al;
  gz_json_reader *r = gz_malloc(al, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->in = in;
  r->lines = lines;
  r->undecided = !lines;
  r->max_depth = gz_digest_setup(in->d)->opts->max_json_depth;
  r->frames = gz_malloc(al, (size_t)(r->max_depth + 1) * sizeof *r->frames);
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
  for (int i = 0; i < 2; i++) {
    for (int k = 0; k < GZ_F_COUNT; k++) gz_buf_init(&r->coll[i].f[k].buf, al);
    gz_buf_init(&r->coll[i].stage.buf, al);
    collector_reset(&r->coll[i]);
  }
  gz_pos_init(&r->pos);
  if (!r->frames || new_handle(r)) {
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
  for (int i = 0; i < 2; i++) {
    for (int k = 0; k < GZ_F_COUNT; k++) gz_buf_free(&r->coll[i].f[k].buf);
    gz_buf_free(&r->coll[i].stage.buf);
  }
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
