/*
 * workq.c - the work queue (workq.h) and gz_parallel_for on top of it.
 *
 * One mutex guards the counters; tasks are handed out strictly by
 * number, so "started" is a counter, not a list. Only an ordered queue
 * needs per-task state, because tasks finish out of order but are taken
 * back in order.
 */
#include <string.h>
#include <unistd.h>

#include "util/workq.h"

enum { SLOT_QUEUED = 0, SLOT_DONE, SLOT_CANCELED };

static void finish_task(gz_workq *q, uint64_t seq) {
  if (q->window) q->state[seq % q->window] = SLOT_DONE;
  q->finished++;
  /* only the owner waits on `done` */
  pthread_cond_signal(&q->done);
}

static void *worker_main(void *arg) {
  gz_workq_worker *w = arg;
  gz_workq *q = w->q;
  pthread_mutex_lock(&q->lock);
  for (;;) {
    while (!q->stop && q->started >= q->submitted) pthread_cond_wait(&q->work, &q->lock);
    if (q->started >= q->submitted) break; /* stopping, and destroy canceled the rest */
    uint64_t seq = q->started++;
    pthread_mutex_unlock(&q->lock);
    q->run(q->ctx, seq, w->index);
    pthread_mutex_lock(&q->lock);
    finish_task(q, seq);
  }
  pthread_mutex_unlock(&q->lock);
  return NULL;
}

int gz_workq_init(gz_workq *q, const gz_allocator *al, int threads, size_t window, gz_task_fn run,
                  void *ctx) {
  memset(q, 0, sizeof *q);
  q->al = al;
  q->run = run;
  q->ctx = ctx;
  q->window = window;
  if (window) {
    q->state = gz_malloc(al, window);
    if (!q->state) return -1;
    memset(q->state, SLOT_QUEUED, window);
  }
  pthread_mutex_init(&q->lock, NULL);
  pthread_cond_init(&q->work, NULL);
  pthread_cond_init(&q->done, NULL);
  if (threads > GZ_WORKQ_MAX_THREADS) threads = GZ_WORKQ_MAX_THREADS;
  for (int t = 1; t < threads; t++) {
    gz_workq_worker *w = &q->workers[q->n_workers];
    w->q = q;
    w->index = q->n_workers + 1;
    if (pthread_create(&w->tid, NULL, worker_main, w) == 0) q->n_workers++;
  }
  return 0;
}

void gz_workq_destroy(gz_workq *q) {
  gz_workq_cancel(q);
  pthread_mutex_lock(&q->lock);
  q->stop = true;
  pthread_cond_broadcast(&q->work);
  pthread_mutex_unlock(&q->lock);
  for (int i = 0; i < q->n_workers; i++) pthread_join(q->workers[i].tid, NULL);
  pthread_mutex_destroy(&q->lock);
  pthread_cond_destroy(&q->work);
  pthread_cond_destroy(&q->done);
  gz_free(q->al, q->state);
  q->state = NULL;
  q->n_workers = 0;
}

int gz_workq_threads(const gz_workq *q) { return q->n_workers + 1; }

/* submitted and taken change only in the owner's thread, which may read
 * them without the lock. */
uint64_t gz_workq_next_seq(const gz_workq *q) { return q->submitted; }

bool gz_workq_full(const gz_workq *q) { return q->window && q->submitted - q->taken >= q->window; }

uint64_t gz_workq_in_flight(const gz_workq *q) { return q->submitted - q->taken; }

uint64_t gz_workq_waiting(gz_workq *q) {
  pthread_mutex_lock(&q->lock);
  uint64_t n = q->submitted - q->started;
  pthread_mutex_unlock(&q->lock);
  return n;
}

int gz_workq_submit(gz_workq *q, uint64_t *seq) {
  if (gz_workq_full(q)) return -1;
  pthread_mutex_lock(&q->lock);
  uint64_t s = q->submitted++;
  if (q->window) q->state[s % q->window] = SLOT_QUEUED;
  if (q->n_workers) pthread_cond_signal(&q->work);
  pthread_mutex_unlock(&q->lock);
  if (seq) *seq = s;
  /* Without workers nobody else would ever run it. */
  if (!q->n_workers) gz_workq_help(q);
  return 0;
}

bool gz_workq_help(gz_workq *q) {
  pthread_mutex_lock(&q->lock);
  if (q->started >= q->submitted) {
    pthread_mutex_unlock(&q->lock);
    return false;
  }
  uint64_t seq = q->started++;
  pthread_mutex_unlock(&q->lock);
  q->run(q->ctx, seq, 0);
  pthread_mutex_lock(&q->lock);
  finish_task(q, seq);
  pthread_mutex_unlock(&q->lock);
  return true;
}

gz_wq_result gz_workq_take(gz_workq *q, bool wait, uint64_t *seq) {
  if (!q->window || q->taken >= q->submitted) return GZ_WQ_NONE;
  uint8_t *st = &q->state[q->taken % q->window];
  pthread_mutex_lock(&q->lock);
  while (*st == SLOT_QUEUED && wait) pthread_cond_wait(&q->done, &q->lock);
  uint8_t s = *st;
  pthread_mutex_unlock(&q->lock);
  if (s == SLOT_QUEUED) return GZ_WQ_NONE;
  if (seq) *seq = q->taken;
  q->taken++;
  return s == SLOT_DONE ? GZ_WQ_RAN : GZ_WQ_CANCELED;
}

void gz_workq_finish(gz_workq *q) {
  while (gz_workq_help(q)) {
  }
  pthread_mutex_lock(&q->lock);
  while (q->finished < q->submitted) pthread_cond_wait(&q->done, &q->lock);
  pthread_mutex_unlock(&q->lock);
}

void gz_workq_cancel(gz_workq *q) {
  pthread_mutex_lock(&q->lock);
  for (uint64_t s = q->started; s < q->submitted; s++) {
    if (q->window) q->state[s % q->window] = SLOT_CANCELED;
    q->finished++;
  }
  q->started = q->submitted;
  pthread_cond_signal(&q->done);
  pthread_mutex_unlock(&q->lock);
}

/* ---- gz_parallel_for ---- */

typedef struct loop {
  void (*fn)(void *ctx, size_t i);
  void *ctx;
} loop;

static void loop_item(void *ctx, uint64_t seq, int worker) {
  (void)worker;
  loop *l = ctx;
  l->fn(l->ctx, (size_t)seq);
}

int gz_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)(n > GZ_WORKQ_MAX_THREADS ? GZ_WORKQ_MAX_THREADS : n) : 1;
}

void gz_parallel_for(size_t n, int threads, void (*fn)(void *ctx, size_t i), void *ctx) {
  loop l = {.fn = fn, .ctx = ctx};
  gz_workq q;
  if (threads < 1) threads = 1;
  if ((size_t)threads > n) threads = (int)n;
  /* Unordered: no ring, so nothing to allocate and nothing to fail. */
  gz_workq_init(&q, NULL, threads, 0, loop_item, &l);
  /* All at once: the owner takes its share in gz_workq_finish, and
   * uneven items balance themselves. */
  for (size_t i = 0; i < n; i++) gz_workq_submit(&q, NULL);
  gz_workq_finish(&q);
  gz_workq_destroy(&q);
}
