/*
 * parallel.c - items handed out to a few threads, the caller among them.
 *
 * Each thread takes the next item from a shared counter until none is
 * left, so uneven items balance themselves. Results must not depend on
 * which thread ran an item: callers keep them per item.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "util/util.h"

#define MAX_THREADS 64

typedef struct shared {
  size_t n;
  void (*fn)(void *ctx, size_t i);
  void *ctx;
  atomic_size_t next;
} shared;

static void *take_items(void *arg) {
  shared *s = arg;
  for (size_t i; (i = atomic_fetch_add(&s->next, 1)) < s->n;) s->fn(s->ctx, i);
  return NULL;
}

int gz_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)(n > MAX_THREADS ? MAX_THREADS : n) : 1;
}

void gz_parallel_for(size_t n, int threads, void (*fn)(void *ctx, size_t i), void *ctx) {
  shared s = {.n = n, .fn = fn, .ctx = ctx};
  atomic_init(&s.next, 0);
  if ((size_t)threads > n) threads = (int)n;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  pthread_t tids[MAX_THREADS];
  int started = 0;
  /* A thread that cannot start leaves its share to the others. */
  for (int t = 1; t < threads; t++)
    if (pthread_create(&tids[started], NULL, take_items, &s) == 0) started++;
  take_items(&s);
  for (int t = 0; t < started; t++) pthread_join(tids[t], NULL);
}
