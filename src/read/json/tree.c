/*
 * tree.c - the record tree (tree.h).
 */
#include <string.h>

#include "read/json/tree.h"

void jt_init(jtree *t, const gz_allocator *al, size_t limit) {
  memset(t, 0, sizeof *t);
  gz_buf_init(&t->buf, al);
  t->limit = limit;
  /* Offset 0 means "none": the first 8 bytes are never a node. */
  gz_buf_append(&t->buf, "\0\0\0\0\0\0\0\0", 8);
}

void jt_free(jtree *t) { gz_buf_free(&t->buf); }

void jt_cut(jtree *t, size_t mark) {
  if (mark < t->floor) mark = t->floor;
  if (mark < 8) mark = 8;
  if (mark < t->buf.len) t->buf.len = mark;
  if (t->buf.len - t->floor <= t->limit) t->over = false;
}

static size_t pad8(size_t n) { return (n + 7u) & ~(size_t)7u; }

jref jt_add(jtree *t, uint8_t type, const char *key, size_t klen, const char *s, size_t len) {
  size_t need = pad8(sizeof(jnode)) + (key ? pad8(klen + 1) : 0) + (s ? pad8(len + 1) : 0);
  if (t->over || t->buf.len + need - t->floor > t->limit || t->buf.len + need > UINT32_MAX) {
    t->over = true;
    return 0;
  }
  if (gz_buf_reserve(&t->buf, need)) return 0;
  size_t at = t->buf.len;
  char *base = t->buf.data;
  memset(base + at, 0, need);
  jnode *nd = (jnode *)(base + at);
  nd->type = type;
  size_t p = at + pad8(sizeof(jnode));
  if (key) {
    memcpy(base + p, key, klen);
    nd->key = (uint32_t)p;
    nd->klen = (uint32_t)klen;
    p += pad8(klen + 1);
  }
  if (s) {
    memcpy(base + p, s, len);
    nd->s = (uint32_t)p;
    nd->len = (uint32_t)len;
  }
  t->buf.len = at + need;
  return (jref)at;
}

void jt_link(jtree *t, jref parent, jref child) {
  jnode *p = jt_node(t, parent);
  if (p->last)
    jt_node(t, p->last)->next = child;
  else
    p->first = child;
  p->last = child;
  p->n++;
}

bool jt_key_is(const jtree *t, jref r, const char *k) {
  const jnode *n = jt_node(t, r);
  size_t kl = strlen(k);
  return n->key && n->klen == kl && memcmp(jt_text(t, n->key), k, kl) == 0;
}

jref jt_get(const jtree *t, jref obj, const char *key) {
  if (!obj || jt_node(t, obj)->type != JT_OBJ) return 0;
  for (jref c = jt_node(t, obj)->first; c; c = jt_node(t, c)->next)
    if (jt_key_is(t, c, key)) return c;
  return 0;
}

const char *jt_str(const jtree *t, jref r, size_t *len) {
  if (!r) return NULL;
  const jnode *n = jt_node(t, r);
  if (n->type != JT_STR && n->type != JT_NUM) return NULL;
  *len = n->len;
  return jt_text(t, n->s);
}

const char *jt_get_str(const jtree *t, jref obj, const char *key, size_t *len) {
  const char *s = jt_str(t, jt_get(t, obj, key), len);
  return s && *len ? s : NULL;
}
