/*
 * test_workq.c - the work queue (src/util/workq.c): tasks taken back in
 * submission order, the window bound, cancellation and shutdown with
 * tasks pending, threads that cannot start, and gz_parallel_for giving
 * the same results on one thread as on many.
 *
 * Thread starts fail on purpose through fail_threads.h.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include <time.h>

#include "fail_threads.h"
#include "testing.h"
#include "util/workq.h"

/* ---- a task that records what it did ---- */

#define N_TASKS 1000
#define WINDOW 8

typedef struct bench {
  uint64_t ring[WINDOW]; /* the owner's inputs and the results, at seq % WINDOW */
  atomic_int runs[N_TASKS];
  atomic_int running, max_running;
  atomic_int max_worker;
  gz_workq *q;
  /* a gate that holds tasks until the test opens it */
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool gate_open;
  int entered;
  uint64_t gate_seq; /* only this task waits at the gate */
} bench;

static void nap(uint64_t seq) {
  /* uneven task lengths, so that tasks finish out of order */
  struct timespec ts = {0, (long)((seq * 7919) % 5) * 20000};
  nanosleep(&ts, NULL);
}

static uint64_t work(uint64_t x) { return x * 0x9E3779B97F4A7C15ull ^ (x >> 3); }

static void run_bench(void *ctx, uint64_t seq, int worker) {
  bench *b = ctx;
  int now = atomic_fetch_add(&b->running, 1) + 1;
  int max = atomic_load(&b->max_running);
  while (now > max && !atomic_compare_exchange_weak(&b->max_running, &max, now)) {
  }
  int mw = atomic_load(&b->max_worker);
  while (worker > mw && !atomic_compare_exchange_weak(&b->max_worker, &mw, worker)) {
  }
  if (seq < N_TASKS) atomic_fetch_add(&b->runs[seq], 1);
  pthread_mutex_lock(&b->lock);
  if (seq == b->gate_seq) {
    b->entered++;
    pthread_cond_broadcast(&b->cond);
    while (!b->gate_open) pthread_cond_wait(&b->cond, &b->lock);
  }
  pthread_mutex_unlock(&b->lock);
  nap(seq);
  uint64_t *slot = &b->ring[seq % WINDOW];
  *slot = work(*slot);
  atomic_fetch_sub(&b->running, 1);
}

static void bench_init(bench *b) {
  memset(b, 0, sizeof *b);
  pthread_mutex_init(&b->lock, NULL);
  pthread_cond_init(&b->cond, NULL);
  b->gate_open = true;
  b->gate_seq = UINT64_MAX;
}

static void bench_free(bench *b) {
  pthread_mutex_destroy(&b->lock);
  pthread_cond_destroy(&b->cond);
}

static void gate_close(bench *b, uint64_t seq) {
  pthread_mutex_lock(&b->lock);
  b->gate_open = false;
  b->gate_seq = seq;
  b->entered = 0;
  pthread_mutex_unlock(&b->lock);
}

static void gate_wait_entered(bench *b) {
  pthread_mutex_lock(&b->lock);
  while (!b->entered) pthread_cond_wait(&b->cond, &b->lock);
  pthread_mutex_unlock(&b->lock);
}

static void gate_open(bench *b) {
  pthread_mutex_lock(&b->lock);
  b->gate_open = true;
  pthread_cond_broadcast(&b->cond);
  pthread_mutex_unlock(&b->lock);
}

/* Runs N_TASKS through an ordered queue of `threads`; checks that every
 * task comes back once, in order, with its own result, and that no more
 * than WINDOW are out at once. Returns a digest of the results. */
static uint64_t ordered_run(int threads, int expect_threads) {
  bench b;
  bench_init(&b);
  gz_workq q;
  CHECK_INT(gz_workq_init(&q, NULL, threads, WINDOW, run_bench, &b), 0);
  CHECK_INT(gz_workq_threads(&q), expect_threads);
  uint64_t sum = 0, next_take = 0, max_in_flight = 0;
  int out_of_order = 0, wrong = 0;
  for (uint64_t i = 0; i < N_TASKS || gz_workq_in_flight(&q);) {
    if (i < N_TASKS && !gz_workq_full(&q)) {
      CHECK_U64(gz_workq_next_seq(&q), i);
      b.ring[i % WINDOW] = i; /* the task's input */
      uint64_t seq = UINT64_MAX;
      CHECK_INT(gz_workq_submit(&q, &seq), 0);
      CHECK_U64(seq, i);
      i++;
      if (gz_workq_in_flight(&q) > max_in_flight) max_in_flight = gz_workq_in_flight(&q);
      continue;
    }
    if (i < N_TASKS) CHECK_INT(gz_workq_submit(&q, NULL), -1); /* full: refused */
    uint64_t seq = UINT64_MAX;
    gz_wq_result r = gz_workq_take(&q, false, &seq);
    if (r == GZ_WQ_NONE) {
      if (gz_workq_help(&q)) continue;
      r = gz_workq_take(&q, true, &seq);
    }
    CHECK_INT(r, GZ_WQ_RAN);
    if (seq != next_take) out_of_order++;
    if (b.ring[seq % WINDOW] != work(seq)) wrong++;
    sum = sum * 31 + b.ring[seq % WINDOW];
    next_take++;
  }
  CHECK_INT(out_of_order, 0);
  CHECK_INT(wrong, 0);
  CHECK_U64(next_take, N_TASKS);
  CHECK_U64(max_in_flight, WINDOW);
  CHECK(atomic_load(&b.max_running) <= expect_threads);
  CHECK(atomic_load(&b.max_worker) < expect_threads);
  int not_once = 0;
  for (int i = 0; i < N_TASKS; i++) not_once += atomic_load(&b.runs[i]) != 1;
  CHECK_INT(not_once, 0);
  CHECK_INT(gz_workq_take(&q, true, NULL), GZ_WQ_NONE); /* nothing left */
  gz_workq_destroy(&q);
  bench_free(&b);
  return sum;
}

static void test_ordered(void) {
  uint64_t want = 0;
  for (uint64_t i = 0; i < N_TASKS; i++) want = want * 31 + work(i);
  CHECK_U64(ordered_run(1, 1), want);
  CHECK_U64(ordered_run(2, 2), want);
  CHECK_U64(ordered_run(4, 4), want);
  CHECK_U64(ordered_run(16, 16), want);
  /* more than the most threads: clamped */
  atomic_store(&g_starts, 0);
  CHECK_U64(ordered_run(1000, GZ_WORKQ_MAX_THREADS), want);
  CHECK_INT(atomic_load(&g_starts), GZ_WORKQ_MAX_THREADS - 1);
}

/* Threads that cannot start leave their share to the others. */
static void test_thread_start_failure(void) {
  uint64_t want = 0;
  for (uint64_t i = 0; i < N_TASKS; i++) want = want * 31 + work(i);
  atomic_store(&g_fail_starts, 2);
  CHECK_U64(ordered_run(4, 2), want);
  CHECK_INT(atomic_load(&g_fail_starts), 0);
  /* none starts: the owner runs each task inside submit */
  atomic_store(&g_fail_starts, 3);
  bench b;
  bench_init(&b);
  gz_workq q;
  CHECK_INT(gz_workq_init(&q, NULL, 4, WINDOW, run_bench, &b), 0);
  CHECK_INT(gz_workq_threads(&q), 1);
  b.ring[0] = 5;
  CHECK_INT(gz_workq_submit(&q, NULL), 0);
  CHECK_INT(atomic_load(&b.runs[0]), 1);
  CHECK_U64(b.ring[0], work(5));
  CHECK_U64(gz_workq_waiting(&q), 0);
  uint64_t seq = 99;
  CHECK_INT(gz_workq_take(&q, false, &seq), GZ_WQ_RAN);
  CHECK_U64(seq, 0);
  gz_workq_destroy(&q);
  bench_free(&b);
}

/* Cancel: tasks no thread started come back canceled and never run. */
static void test_cancel(void) {
  bench b;
  bench_init(&b);
  gz_workq q;
  CHECK_INT(gz_workq_init(&q, NULL, 2, WINDOW, run_bench, &b), 0);
  CHECK_INT(gz_workq_threads(&q), 2);
  gate_close(&b, 0);
  for (int i = 0; i < 6; i++) CHECK_INT(gz_workq_submit(&q, NULL), 0);
  gate_wait_entered(&b); /* the one worker holds task 0 */
  CHECK_U64(gz_workq_waiting(&q), 5);
  CHECK_U64(gz_workq_in_flight(&q), 6);
  gz_workq_cancel(&q);
  CHECK_U64(gz_workq_waiting(&q), 0);
  uint64_t seq = 99;
  CHECK_INT(gz_workq_take(&q, false, &seq), GZ_WQ_NONE); /* task 0 still runs */
  gate_open(&b);
  CHECK_INT(gz_workq_take(&q, true, &seq), GZ_WQ_RAN);
  CHECK_U64(seq, 0);
  for (uint64_t i = 1; i < 6; i++) {
    CHECK_INT(gz_workq_take(&q, true, &seq), GZ_WQ_CANCELED);
    CHECK_U64(seq, i);
  }
  CHECK_INT(gz_workq_take(&q, true, &seq), GZ_WQ_NONE);
  int ran = 0;
  for (int i = 0; i < 6; i++) ran += atomic_load(&b.runs[i]);
  CHECK_INT(ran, 1);
  /* after a cancel the queue goes on */
  CHECK_INT(gz_workq_submit(&q, &seq), 0);
  CHECK_U64(seq, 6);
  CHECK_INT(gz_workq_take(&q, true, &seq), GZ_WQ_RAN);
  CHECK_INT(atomic_load(&b.runs[6]), 1);
  gz_workq_destroy(&q);
  bench_free(&b);
}

/* Destroy with tasks pending: the running one finishes, the rest never
 * run, and destroy returns. Task 0 finishes only once destroy has
 * canceled the others, so nothing else can have started. */
typedef struct shutdown {
  gz_workq *q;
  atomic_int runs;
  atomic_int entered;
} shutdown;

static void run_until_canceled(void *ctx, uint64_t seq, int worker) {
  (void)worker;
  shutdown *s = ctx;
  atomic_fetch_add(&s->runs, 1);
  if (seq != 0) return;
  atomic_store(&s->entered, 1);
  while (gz_workq_waiting(s->q) != 0) {
    struct timespec ts = {0, 100000};
    nanosleep(&ts, NULL);
  }
}

static void test_destroy_pending(void) {
  for (int ordered = 0; ordered < 2; ordered++) {
    shutdown s = {0};
    gz_workq q;
    s.q = &q;
    CHECK_INT(gz_workq_init(&q, NULL, 2, ordered ? WINDOW : 0, run_until_canceled, &s), 0);
    for (int i = 0; i < 5; i++) CHECK_INT(gz_workq_submit(&q, NULL), 0);
    while (!atomic_load(&s.entered)) {
      struct timespec ts = {0, 100000};
      nanosleep(&ts, NULL);
    }
    gz_workq_destroy(&q);
    CHECK_INT(atomic_load(&s.runs), 1);
  }
}

/* An unordered queue takes any number of tasks; finish waits for all. */
static void test_unordered(void) {
  bench b;
  bench_init(&b);
  gz_workq q;
  CHECK_INT(gz_workq_init(&q, NULL, 3, 0, run_bench, &b), 0);
  for (int i = 0; i < 100; i++) {
    CHECK(!gz_workq_full(&q));
    CHECK_INT(gz_workq_submit(&q, NULL), 0);
  }
  gz_workq_finish(&q);
  CHECK_U64(gz_workq_waiting(&q), 0);
  int not_once = 0;
  for (int i = 0; i < 100; i++) not_once += atomic_load(&b.runs[i]) != 1;
  CHECK_INT(not_once, 0);
  CHECK_INT(gz_workq_take(&q, false, NULL), GZ_WQ_NONE); /* nothing to take back */
  gz_workq_destroy(&q);
  bench_free(&b);
}

/* The ring of an ordered queue comes from the allocator. */
static void *fail_malloc(void *ctx, size_t n) {
  (void)ctx;
  (void)n;
  return NULL;
}
static void *fail_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  (void)p;
  (void)n;
  return NULL;
}
static void plain_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

static void test_no_memory(void) {
  gz_allocator al = {fail_malloc, fail_realloc, plain_free, NULL};
  bench b;
  bench_init(&b);
  gz_workq q;
  atomic_store(&g_starts, 0);
  CHECK_INT(gz_workq_init(&q, &al, 4, WINDOW, run_bench, &b), -1);
  CHECK_INT(atomic_load(&g_starts), 0); /* no thread left behind */
  /* unordered needs no memory */
  CHECK_INT(gz_workq_init(&q, &al, 2, 0, run_bench, &b), 0);
  CHECK_INT(gz_workq_submit(&q, NULL), 0);
  gz_workq_finish(&q);
  CHECK_INT(atomic_load(&b.runs[0]), 1);
  gz_workq_destroy(&q);
  bench_free(&b);
}

/* ---- gz_parallel_for: the same result on any number of threads ---- */

typedef struct squares {
  uint64_t out[5000];
  atomic_int calls[5000];
} squares;

static void square(void *ctx, size_t i) {
  squares *s = ctx;
  atomic_fetch_add(&s->calls[i], 1);
  nap(i);
  s->out[i] = (uint64_t)i * i % 1000003;
}

static void test_parallel_for(void) {
  static squares s;
  const int threads[] = {1, 2, 4, 64, 0};
  for (size_t t = 0; t < GZ_ARRAY_LEN(threads); t++) {
    memset(&s, 0, sizeof s);
    gz_parallel_for(1000, threads[t], square, &s);
    uint64_t sum = 0;
    int not_once = 0;
    for (size_t i = 0; i < 1000; i++) {
      sum += s.out[i] * (i + 1);
      not_once += atomic_load(&s.calls[i]) != 1;
    }
    CHECK_INT(not_once, 0);
    CHECK_U64(sum, 249833083500ull);
    CHECK_INT(atomic_load(&s.calls[1000]), 0);
  }
  /* no items, and more threads than items */
  memset(&s, 0, sizeof s);
  atomic_store(&g_starts, 0);
  gz_parallel_for(0, 8, square, &s);
  CHECK_INT(atomic_load(&g_starts), 0);
  gz_parallel_for(2, 8, square, &s);
  CHECK_INT(atomic_load(&g_starts), 1);
  CHECK_INT(atomic_load(&s.calls[0]) + atomic_load(&s.calls[1]) + atomic_load(&s.calls[2]), 2);
  /* every thread start failing: all on the calling thread */
  atomic_store(&g_fail_starts, 100);
  memset(&s, 0, sizeof s);
  gz_parallel_for(1000, 8, square, &s);
  atomic_store(&g_fail_starts, 0);
  uint64_t sum = 0;
  for (size_t i = 0; i < 1000; i++) sum += s.out[i] * (i + 1);
  CHECK_U64(sum, 249833083500ull);
  CHECK(gz_cores() >= 1 && gz_cores() <= GZ_WORKQ_MAX_THREADS);
}

int main(void) {
  alarm(300); /* a queue that loses a task hangs: fail instead */
  test_ordered();
  test_thread_start_failure();
  test_cancel();
  test_destroy_pending();
  test_unordered();
  test_no_memory();
  test_parallel_for();
  TEST_MAIN_END();
}
