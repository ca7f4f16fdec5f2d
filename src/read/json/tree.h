/*
 * tree.h - one JSON record held as a small tree while its shape is told
 * and its fields are picked.
 *
 * The dump is streamed (json.c); only the record being read, and the few
 * members of the wrappers around it (a feed's own authors, a Ghost
 * export's tables), are held. Nodes live in one growable buffer and point
 * at each other by offset, so the buffer may move as it grows, and a
 * record is let go by cutting the buffer back to where it began.
 */
#ifndef GZ_READ_JSON_TREE_H
#define GZ_READ_JSON_TREE_H

#include "util/util.h"

typedef uint32_t jref; /* offset of a node in the buffer; 0 is none */

enum { JT_NULL = 1, JT_BOOL, JT_NUM, JT_STR, JT_OBJ, JT_ARR };

typedef struct jnode {
  jref next;  /* next member or element of the parent */
  jref first; /* first member or element (objects, arrays) */
  jref last;
  uint32_t key, klen; /* the member's key (offset of its text), or 0 */
  uint32_t s, len;    /* a string's or number's text (offset), a bool's value in len */
  uint32_t n;         /* members or elements */
  uint8_t type;
} jnode;

typedef struct jtree {
  gz_buf buf;
  size_t limit; /* bytes the buffer may hold above `floor`; past it `over` is set */
  size_t floor; /* held records end here: cuts never go below */
  bool over;
} jtree;

void jt_init(jtree *t, const gz_allocator *al, size_t limit);
void jt_free(jtree *t);

static inline jnode *jt_node(const jtree *t, jref r) { return (jnode *)(t->buf.data + r); }
static inline size_t jt_mark(const jtree *t) { return t->buf.len; }
/* Lets go of everything added since `mark` (not below the floor). */
void jt_cut(jtree *t, size_t mark);

/* A new node (key may be NULL); 0 when the limit is passed or memory ran
 * out (`over` or buf.failed tells which). */
jref jt_add(jtree *t, uint8_t type, const char *key, size_t klen, const char *s, size_t len);
/* Links `child` as the last member or element of `parent`. */
void jt_link(jtree *t, jref parent, jref child);

static inline const char *jt_text(const jtree *t, uint32_t off) { return t->buf.data + off; }
/* A member of an object by key, or 0. */
jref jt_get(const jtree *t, jref obj, const char *key);
/* Does the member's key equal k? */
bool jt_key_is(const jtree *t, jref r, const char *k);
/* The string (or number) value of a node, or NULL. */
const char *jt_str(const jtree *t, jref r, size_t *len);
/* The string member `key` of an object, or NULL; empty strings are none. */
const char *jt_get_str(const jtree *t, jref obj, const char *key, size_t *len);

#endif /* GZ_READ_JSON_TREE_H */
