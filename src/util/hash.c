/*
 * hash.c - a stable 64-bit hash and two open-addressing tables keyed by
 * such hashes (a set, and a counter map).
 *
 * The hash reads bytes in little-endian order explicitly, so identifiers
 * derived from it are the same on every machine. State files and EPUB
 * identifiers keep its values: tests/unit/test_util.c pins them with known
 * answers, checked against a second implementation (tests/unit/hash_ref.py).
 */
#include <string.h>

#include "util/util.h"

static inline uint64_t load64(const unsigned char *p) {
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
         (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

uint64_t gz_hash_mix(uint64_t a, uint64_t b) {
  return fmix(a ^ rotl(b, 29) ^ 0x9e3779b97f4a7c15ULL);
}

uint64_t gz_hash64(const void *data, size_t len, uint64_t seed) {
  const unsigned char *p = data;
  const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t k = load64(p + i);
    k *= c1;
    k = rotl(k, 31);
    k *= c2;
    h ^= k;
    h = rotl(h, 27) * 5 + 0x52dce729;
  }
  uint64_t tail = 0;
  for (size_t j = 0; i + j < len; j++) tail |= (uint64_t)p[i + j] << (8 * j);
  tail *= c1;
  tail = rotl(tail, 31);
  tail *= c2;
  h ^= tail;
  return fmix(h ^ len);
}

/* ---- set ---- */

void gz_set64_init(gz_set64 *s, const gz_allocator *al) {
  memset(s, 0, sizeof *s);
  s->al = al;
}

static int set_rehash(gz_set64 *s, size_t ncap) {
  uint64_t *keys = gz_malloc(s->al, ncap * sizeof *keys);
  if (!keys) return -1;
  memset(keys, 0, ncap * sizeof *keys);
  for (size_t i = 0; i < s->cap; i++) {
    uint64_t k = s->keys[i];
    if (!k) continue;
    size_t j = (size_t)fmix(k) & (ncap - 1);
    while (keys[j]) j = (j + 1) & (ncap - 1);
    keys[j] = k;
  }
  gz_free(s->al, s->keys);
  s->keys = keys;
  s->cap = ncap;
  return 0;
}

int gz_set64_add(gz_set64 *s, uint64_t key) {
  if (key == 0) {
    if (s->has_zero) return 0;
    s->has_zero = true;
    return 1;
  }
  if ((s->count + 1) * 2 > s->cap && set_rehash(s, s->cap ? s->cap * 2 : 64)) return -1;
  size_t j = (size_t)fmix(key) & (s->cap - 1);
  while (s->keys[j]) {
    if (s->keys[j] == key) return 0;
    j = (j + 1) & (s->cap - 1);
  }
  s->keys[j] = key;
  s->count++;
  return 1;
}

bool gz_set64_has(const gz_set64 *s, uint64_t key) {
  if (key == 0) return s->has_zero;
  if (!s->cap) return false;
  size_t j = (size_t)fmix(key) & (s->cap - 1);
  while (s->keys[j]) {
    if (s->keys[j] == key) return true;
    j = (j + 1) & (s->cap - 1);
  }
  return false;
}

void gz_set64_free(gz_set64 *s) {
  gz_free(s->al, s->keys);
  s->keys = NULL;
  s->cap = s->count = 0;
  s->has_zero = false;
}

/* ---- counter map ---- */

void gz_count64_init(gz_count64 *m, const gz_allocator *al) {
  memset(m, 0, sizeof *m);
  m->al = al;
}

static int count_rehash(gz_count64 *m, size_t ncap) {
  uint64_t *keys = gz_malloc(m->al, ncap * sizeof *keys);
  uint32_t *counts = gz_malloc(m->al, ncap * sizeof *counts);
  if (!keys || !counts) {
    gz_free(m->al, keys);
    gz_free(m->al, counts);
    return -1;
  }
  memset(keys, 0, ncap * sizeof *keys);
  for (size_t i = 0; i < m->cap; i++) {
    uint64_t k = m->keys[i];
    if (!k) continue;
    size_t j = (size_t)fmix(k) & (ncap - 1);
    while (keys[j]) j = (j + 1) & (ncap - 1);
    keys[j] = k;
    counts[j] = m->counts[i];
  }
  gz_free(m->al, m->keys);
  gz_free(m->al, m->counts);
  m->keys = keys;
  m->counts = counts;
  m->cap = ncap;
  return 0;
}

int gz_count64_add(gz_count64 *m, uint64_t key, uint32_t n) {
  if (key == 0) {
    m->zero_count += n;
    return 0;
  }
  if ((m->count + 1) * 2 > m->cap && count_rehash(m, m->cap ? m->cap * 2 : 64)) return -1;
  size_t j = (size_t)fmix(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (m->keys[j] == key) {
      m->counts[j] += n;
      return 0;
    }
    j = (j + 1) & (m->cap - 1);
  }
  m->keys[j] = key;
  m->counts[j] = n;
  m->count++;
  return 0;
}

uint32_t gz_count64_get(const gz_count64 *m, uint64_t key) {
  if (key == 0) return m->zero_count;
  if (!m->cap) return 0;
  size_t j = (size_t)fmix(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (m->keys[j] == key) return m->counts[j];
    j = (j + 1) & (m->cap - 1);
  }
  return 0;
}

void gz_count64_free(gz_count64 *m) {
  gz_free(m->al, m->keys);
  gz_free(m->al, m->counts);
  memset(m, 0, sizeof *m);
}
