/*
 * workq.h - the one work queue: every thread gazette starts is a worker
 * of a gz_workq.
 *
 * A queue runs numbered tasks on a fixed set of threads. It holds no
 * task data: a task is its number (0, 1, 2 ... in submission order) and
 * the owner keeps what the task works on in its own array or ring, at
 * `seq` (or `seq % window`). Results therefore never depend on which
 * thread ran a task, only on its number.
 *
 * Two ways to use it:
 * - ordered (window > 0): at most `window` tasks are submitted and not
 *   yet taken back, and gz_workq_take hands them back strictly in
 *   submission order, so the owner can commit results in input order
 *   with bounded memory (the read pipeline, the PDF page compressor);
 * - unordered (window 0): any number of tasks, and gz_workq_finish waits
 *   for all of them (gz_parallel_for).
 *
 * Threads: one thread owns the queue and is the only one to call
 * submit, help, take, finish and destroy; gz_workq_cancel may come from
 * any thread, a running task included (never from a signal handler).
 * The owner counts as one of the `threads`: it runs tasks only inside
 * gz_workq_help (and gz_workq_finish), and, when no worker thread could
 * start, inside gz_workq_submit, before it returns. A worker thread that
 * cannot start leaves its share to the others.
 */
#ifndef GZ_WORKQ_H
#define GZ_WORKQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* The most threads of one queue, the owner included (--jobs allows 64). */
#define GZ_WORKQ_MAX_THREADS 64

/* Runs task `seq`. `worker` tells the threads apart for per-thread state:
 * 0 is the owner, 1 .. gz_workq_threads() - 1 the worker threads, each
 * always the same thread. */
typedef void (*gz_task_fn)(void *ctx, uint64_t seq, int worker);

/* What gz_workq_take gives back. */
typedef enum gz_wq_result {
  GZ_WQ_NONE = 0, /* no task submitted and not taken, or (without wait) the oldest is not done */
  GZ_WQ_RAN,      /* the oldest task ran */
  GZ_WQ_CANCELED  /* the oldest task was canceled before any thread started it */
} gz_wq_result;

typedef struct gz_workq gz_workq;

typedef struct gz_workq_worker {
  gz_workq *q;
  pthread_t tid;
  int index;
} gz_workq_worker;

/* The fields are private: the struct is public only so that a queue can
 * live on the stack or inside its owner without an allocation. It must
 * not move between gz_workq_init and gz_workq_destroy. */
struct gz_workq {
  const gz_allocator *al;
  gz_task_fn run;
  void *ctx;
  size_t window;  /* 0: unordered */
  uint8_t *state; /* per ring slot (seq % window), ordered queues only */
  uint64_t submitted, started, finished, taken;
  pthread_mutex_t lock;
  pthread_cond_t work; /* workers wait for tasks */
  pthread_cond_t done; /* the owner waits for a finished task */
  bool stop;
  int n_workers;
  gz_workq_worker workers[GZ_WORKQ_MAX_THREADS - 1];
};

/* Starts up to `threads` - 1 worker threads (threads is clamped to 1 ..
 * GZ_WORKQ_MAX_THREADS). An ordered queue's ring of `window` states comes
 * from `al`. Returns 0, or -1 when that allocation fails (nothing to
 * destroy then). Threads that cannot start are no error. */
int gz_workq_init(gz_workq *q, const gz_allocator *al, int threads, size_t window, gz_task_fn run,
                  void *ctx);
/* Cancels the tasks no thread has started, waits for the running ones,
 * stops the threads and frees the ring. What the tasks worked on stays
 * the owner's to free. */
void gz_workq_destroy(gz_workq *q);

/* The threads that run tasks, the owner included: 1 + the workers started. */
int gz_workq_threads(const gz_workq *q);

/* Submits the next task; its number in *seq. The owner fills slot
 * gz_workq_next_seq() before: a worker may run the task at once. -1
 * without effect when an ordered queue is full (take one back first). */
int gz_workq_submit(gz_workq *q, uint64_t *seq);
/* The number the next submitted task gets. */
uint64_t gz_workq_next_seq(const gz_workq *q);
/* Is an ordered queue's window used up? Never for an unordered one. */
bool gz_workq_full(const gz_workq *q);
/* Tasks submitted and not taken back (ordered queues). */
uint64_t gz_workq_in_flight(const gz_workq *q);
/* Tasks submitted that no thread has started yet. */
uint64_t gz_workq_waiting(gz_workq *q);

/* The owner runs the oldest task no thread has started; false when none
 * is waiting. */
bool gz_workq_help(gz_workq *q);
/* Gives back the oldest task not yet taken (ordered queues), waiting for
 * it to finish when `wait`; its number in *seq. Does not run tasks
 * itself: call gz_workq_help for that. */
gz_wq_result gz_workq_take(gz_workq *q, bool wait, uint64_t *seq);
/* Helps until no task waits, then waits until every submitted task has
 * finished or was canceled. Tasks of an ordered queue still need taking. */
void gz_workq_finish(gz_workq *q);
/* Tasks no thread has started are not run: an ordered queue gives them
 * back as GZ_WQ_CANCELED. Running tasks finish. Later submissions run. */
void gz_workq_cancel(gz_workq *q);

#endif
