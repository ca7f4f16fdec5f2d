/*
 * util.h - small building blocks shared by every stage: the allocator
 * table, an arena, growable buffers, UTF-8 helpers, hashing and error
 * filling. Nothing here knows about articles or output formats.
 */
#ifndef GZ_UTIL_H
#define GZ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gazette/gazette.h"

#if defined(__GNUC__)
#define GZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GZ_PRINTF(a, b)
#endif

#define GZ_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation ---- */

const gz_allocator *gz_default_allocator(void);
void *gz_malloc(const gz_allocator *al, size_t size);
void *gz_realloc(const gz_allocator *al, void *ptr, size_t size);
void gz_free(const gz_allocator *al, void *ptr);
/* Grows an array of `elem` sized items to hold at least `need`; returns 0
 * on success. */
int gz_grow(const gz_allocator *al, void **items, size_t *cap, size_t need, size_t elem);
/* zlib's zalloc/zfree with a gz_allocator as `opaque`, so its state is
 * counted and can fail like any other allocation. */
void *gz_zalloc(void *opaque, unsigned items, unsigned size);
void gz_zfree(void *opaque, void *ptr);

/* ---- arena: many small allocations freed at once ---- */

typedef struct gz_arena_chunk gz_arena_chunk;

typedef struct gz_arena {
  const gz_allocator *al;
  gz_arena_chunk *head;
  char *cur;
  char *end;
  size_t bytes; /* total held, for statistics */
} gz_arena;

void gz_arena_init(gz_arena *a, const gz_allocator *al);
void *gz_arena_alloc(gz_arena *a, size_t size);
char *gz_arena_strndup(gz_arena *a, const char *s, size_t len);
char *gz_arena_strdup(gz_arena *a, const char *s);
GZ_PRINTF(2, 3) char *gz_arena_printf(gz_arena *a, const char *fmt, ...);
/* Frees every chunk; the arena can be used again afterwards. */
void gz_arena_clear(gz_arena *a);

/* ---- growable byte buffer, always NUL-terminated when non-empty ---- */

typedef struct gz_buf {
  char *data;
  size_t len;
  size_t cap;
  const gz_allocator *al;
  bool failed; /* sticky: an append ran out of memory */
} gz_buf;

void gz_buf_init(gz_buf *b, const gz_allocator *al);
int gz_buf_reserve(gz_buf *b, size_t extra);
int gz_buf_append(gz_buf *b, const void *data, size_t len);
int gz_buf_puts(gz_buf *b, const char *s);
int gz_buf_putc(gz_buf *b, char c);
GZ_PRINTF(2, 3) int gz_buf_printf(gz_buf *b, const char *fmt, ...);
int gz_buf_vprintf(gz_buf *b, const char *fmt, va_list ap);
/* Appends `n` with thousands separators ("1,234"). */
int gz_buf_put_count(gz_buf *b, uint64_t n);
void gz_buf_clear(gz_buf *b);
void gz_buf_free(gz_buf *b);
/* Returns the text, "" for an empty buffer. */
const char *gz_buf_cstr(const gz_buf *b);

/* ---- UTF-8 ---- */

#define GZ_REPLACEMENT 0xFFFDu

/* Decodes one code point from s[0..len). Returns the number of bytes used
 * (at least 1 when len > 0); an invalid sequence yields U+FFFD and 1. */
size_t gz_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Length of the valid sequence at s, or 0 when it is invalid. */
size_t gz_utf8_valid_len(const unsigned char *s, size_t len);
/* The largest cut at or before byte n that does not split a UTF-8
 * sequence; s[n] must be readable (n below the length, or the NUL). */
static inline size_t gz_utf8_floor(const char *s, size_t n) {
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}
/* Writes cp as UTF-8 into out (4 bytes room); returns its length. */
size_t gz_utf8_encode(uint32_t cp, char *out);
/* Number of code points in s[0..len), counting invalid bytes as one. */
size_t gz_utf8_count(const char *s, size_t len);
/* Is the valid sequence s[0..n) a character gazette drops (C1 controls,
 * U+FFFE, U+FFFF)? */
bool gz_utf8_dropped(const unsigned char *s, size_t n);
/* Appends s to b, repairing invalid UTF-8 with U+FFFD and dropping control
 * characters other than tab and newline. Returns the number of repairs. */
size_t gz_utf8_clean_append(gz_buf *b, const char *s, size_t len);
/* Length of the leading run of printable ASCII (0x20..0x7E). */
size_t gz_ascii_printable_prefix(const char *s, size_t len);
/* Is s[0..len) valid UTF-8 without control characters (tab, LF allowed)? */
bool gz_utf8_is_clean(const char *s, size_t len);

/* Unicode White_Space, plus the zero-width joiners we treat as space. */
bool gz_is_space_cp(uint32_t cp);
/* Letters and digits of the scripts gazette knows (enough for counting
 * words and telling words from punctuation). */
bool gz_is_alnum_cp(uint32_t cp);
bool gz_is_upper_cp(uint32_t cp);
bool gz_is_lower_cp(uint32_t cp);
/* Simple lower-casing of Latin, Greek, Cyrillic and Armenian letters. */
uint32_t gz_lower_cp(uint32_t cp);
/* Counts words: runs of non-space characters holding a letter or digit. */
size_t gz_count_words(const char *s, size_t len);

/* ---- files ---- */

/* Writes all n bytes (retrying after signals); -1 with errno set when the
 * descriptor takes no more. */
int gz_write_all(int fd, const void *data, size_t n);

/* ---- text helpers ---- */

/* Inline: the body builder asks it for every byte. */
static inline bool gz_is_ascii_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
/* Trims ASCII and Unicode spaces at both ends, in place on the pointers. */
void gz_trim(const char **s, size_t *len);
/* ASCII case-insensitive comparisons. */
bool gz_ascii_ieq(const char *a, size_t alen, const char *b);
bool gz_ascii_iprefix(const char *s, size_t len, const char *prefix);
/* Are s[0..len) all ASCII digits (true when len is 0)? */
bool gz_ascii_digits(const char *s, size_t len);
/* The number the ASCII digits s[0..len) write; at most 18 of them, so
 * that it fits. */
long gz_ascii_number(const char *s, size_t len);
/* Collapses runs of white space into one space and trims; appends to b. */
int gz_buf_put_collapsed(gz_buf *b, const char *s, size_t len);
/* Is this link safe to keep (http, https or mailto)? Sets start and
 * out_len to the trimmed link. */
bool gz_safe_href(const char *href, size_t len, const char **start, size_t *out_len);
/* The host of a URL without "www." ("example.com" from
 * "https://www.example.com/path"), the text of source links; the whole
 * URL when it names no host. */
void gz_url_host(const char *url, char *out, size_t cap);
/* Appends a link as a plain ASCII URI: characters a URI cannot hold
 * (spaces, |, {, }, a stray %, a second #, non-ASCII bytes) are
 * percent-encoded, the rest is kept. */
int gz_uri_encode(gz_buf *out, const char *s, size_t n);
/* Does `name` end with `ext` (e.g. ".json"), ignoring ASCII case? */
bool gz_has_ext(const char *name, const char *ext);

/* ---- threads (util/workq.c; the work queue itself is util/workq.h) ---- */

/* Calls fn(ctx, i) for every i below n on up to `threads` threads (the
 * calling one included, at most 64), and returns when all are done. */
void gz_parallel_for(size_t n, int threads, void (*fn)(void *ctx, size_t i), void *ctx);
/* The cores online (1 to 64): the default number of jobs. */
int gz_cores(void);

/* ---- hashing (stable across machines: used in identifiers) ---- */

uint64_t gz_hash64(const void *data, size_t len, uint64_t seed);
uint64_t gz_hash_mix(uint64_t a, uint64_t b);

/* ---- a set of 64-bit keys (open addressing) ---- */

typedef struct gz_set64 {
  uint64_t *keys;
  size_t cap;
  size_t count;
  bool has_zero;
  const gz_allocator *al;
} gz_set64;

void gz_set64_init(gz_set64 *s, const gz_allocator *al);
/* Adds key; returns 1 when it was new, 0 when present, -1 on no memory. */
int gz_set64_add(gz_set64 *s, uint64_t key);
bool gz_set64_has(const gz_set64 *s, uint64_t key);
void gz_set64_free(gz_set64 *s);

/* A map from 64-bit keys to 32-bit counters. */
typedef struct gz_count64 {
  uint64_t *keys;
  uint32_t *counts;
  size_t cap;
  size_t count;
  uint32_t zero_count;
  const gz_allocator *al;
} gz_count64;

void gz_count64_init(gz_count64 *m, const gz_allocator *al);
int gz_count64_add(gz_count64 *m, uint64_t key, uint32_t n);
uint32_t gz_count64_get(const gz_count64 *m, uint64_t key);
void gz_count64_free(gz_count64 *m);

/* ---- errors ---- */

GZ_PRINTF(6, 7)
int gz_error_set(gz_error *err, gz_code code, const char *file, unsigned long line,
                 unsigned long col, const char *fmt, ...);
void gz_error_clear(gz_error *err);

/* A title for a message: at most cap-1 bytes, cut with an ellipsis at a
 * character boundary. Returns buf. */
const char *gz_short(const char *s, char *buf, size_t cap);
/* A file name for a one-line message: control characters (a newline in a
 * name) shown as \n, \t or \xNN. Returns buf. */
const char *gz_printable(const char *s, char *buf, size_t cap);

/* Copies at most cap-1 bytes and terminates. */
void gz_strlcpy(char *dst, const char *src, size_t cap);

#endif /* GZ_UTIL_H */
