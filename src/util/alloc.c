/*
 * alloc.c - the allocator table, the arena and growable buffers.
 *
 * Every allocation of the library goes through a gz_allocator so that
 * tests can make any of them fail; running out of memory is an error
 * code, never an abort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void *std_malloc(void *ctx, size_t size) {
  (void)ctx;
  return malloc(size);
}

static void *std_realloc(void *ctx, void *ptr, size_t size) {
  (void)ctx;
  return realloc(ptr, size);
}

static void std_free(void *ctx, void *ptr) {
  (void)ctx;
  free(ptr);
}

static const gz_allocator std_allocator = {std_malloc, std_realloc, std_free, NULL};

const gz_allocator *gz_default_allocator(void) { return &std_allocator; }

void *gz_malloc(const gz_allocator *al, size_t size) {
  if (!al) al = &std_allocator;
  return al->malloc(al->ctx, size ? size : 1);
}

void *gz_realloc(const gz_allocator *al, void *ptr, size_t size) {
  if (!al) al = &std_allocator;
  return al->realloc(al->ctx, ptr, size ? size : 1);
}

void gz_free(const gz_allocator *al, void *ptr) {
  if (!ptr) return;
  if (!al) al = &std_allocator;
  al->free(al->ctx, ptr);
}

int gz_grow(const gz_allocator *al, void **items, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2 / elem) return -1;
    ncap *= 2;
  }
  void *p = gz_realloc(al, *items, ncap * elem);
  if (!p) return -1;
  *items = p;
  *cap = ncap;
  return 0;
}

void *gz_zalloc(void *opaque, unsigned items, unsigned size) {
  if (size && items > SIZE_MAX / size) return NULL;
  return gz_malloc(opaque, (size_t)items * size);
}

void gz_zfree(void *opaque, void *ptr) { gz_free(opaque, ptr); }

/* ---- arena ---- */

struct gz_arena_chunk {
  gz_arena_chunk *next;
  size_t size;
  /* payload follows, aligned by the union below */
  union {
    long double ld;
    void *p;
    uint64_t u;
  } align[];
};

#define ARENA_CHUNK (64u * 1024u)

void gz_arena_init(gz_arena *a, const gz_allocator *al) {
  memset(a, 0, sizeof *a);
  a->al = al ? al : &std_allocator;
}

void *gz_arena_alloc(gz_arena *a, size_t size) {
  size = (size + 15u) & ~(size_t)15u;
  if (size == 0) size = 16;
  if ((size_t)(a->end - a->cur) < size || !a->cur) {
    size_t payload = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
    if (payload > SIZE_MAX - sizeof(gz_arena_chunk)) return NULL;
    gz_arena_chunk *c = gz_malloc(a->al, sizeof(gz_arena_chunk) + payload);
    if (!c) return NULL;
    c->size = payload;
    a->bytes += payload;
    if (payload != ARENA_CHUNK && a->head) {
      /* A big block gets its own chunk behind the current one, so the
       * room left in the current chunk is not wasted. */
      c->next = a->head->next;
      a->head->next = c;
      return (char *)c->align;
    }
    c->next = a->head;
    a->head = c;
    a->cur = (char *)c->align;
    a->end = a->cur + payload;
  }
  void *p = a->cur;
  a->cur += size;
  return p;
}

char *gz_arena_strndup(gz_arena *a, const char *s, size_t len) {
  char *p = gz_arena_alloc(a, len + 1);
  if (!p) return NULL;
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *gz_arena_strdup(gz_arena *a, const char *s) { return gz_arena_strndup(a, s, strlen(s)); }

char *gz_arena_printf(gz_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *p = gz_arena_alloc(a, (size_t)n + 1);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void gz_arena_clear(gz_arena *a) {
  gz_arena_chunk *c = a->head;
  while (c) {
    gz_arena_chunk *next = c->next;
    gz_free(a->al, c);
    c = next;
  }
  a->head = NULL;
  a->cur = a->end = NULL;
  a->bytes = 0;
}

/* ---- buffers ---- */

void gz_buf_init(gz_buf *b, const gz_allocator *al) {
  memset(b, 0, sizeof *b);
  b->al = al ? al : &std_allocator;
}

int gz_buf_reserve(gz_buf *b, size_t extra) {
  if (b->failed) return -1;
  if (extra > SIZE_MAX - b->len - 1) {
    b->failed = true;
    return -1;
  }
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return 0;
  size_t ncap = b->cap ? b->cap : 256;
  while (ncap < need) ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
  char *p = gz_realloc(b->al, b->data, ncap);
  if (!p) {
    b->failed = true;
    return -1;
  }
  b->data = p;
  b->cap = ncap;
  return 0;
}

int gz_buf_append(gz_buf *b, const void *data, size_t len) {
  if (gz_buf_reserve(b, len)) return -1;
  if (len) memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

int gz_buf_puts(gz_buf *b, const char *s) { return gz_buf_append(b, s, strlen(s)); }

int gz_buf_putc(gz_buf *b, char c) {
  if (b->len + 1 >= b->cap && gz_buf_reserve(b, 1)) return -1;
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
  return 0;
}

int gz_buf_vprintf(gz_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || gz_buf_reserve(b, (size_t)n)) return -1;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int gz_buf_printf(gz_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = gz_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return r;
}

int gz_buf_put_count(gz_buf *b, uint64_t n) {
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0 && gz_buf_putc(b, ',')) return -1;
    if (gz_buf_putc(b, digits[i])) return -1;
  }
  return 0;
}

void gz_buf_clear(gz_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void gz_buf_free(gz_buf *b) {
  gz_free(b->al, b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = false;
}

const char *gz_buf_cstr(const gz_buf *b) { return b->data ? b->data : ""; }
