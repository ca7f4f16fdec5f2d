/*
 * seal.c - compressing finished pages of the PDF in a worker thread.
 *
 * libharu keeps every page's content uncompressed until it saves, then
 * deflates them one by one at zlib's default level: for a digest of
 * thousands of pages that is most of the time and memory. A page is
 * final once the next one starts (its footer goes to a second content
 * stream later), so its content is taken out at that moment, deflated
 * by a worker thread, and put back already compressed.
 */
#include <pthread.h>
#include <string.h>
#include <zlib.h>

#include "write/pdf/pdf.h"

typedef struct seal_job {
  HPDF_Page page;
  unsigned char *raw;
  size_t raw_len;
  unsigned char *z;
  size_t z_len;
  bool done, failed;
} seal_job;

typedef struct sealer {
  pthread_mutex_t lock;
  pthread_cond_t wake, finished;
  seal_job *jobs;
  size_t n, cap;
  size_t next_todo; /* next job for the worker */
  size_t next_back; /* next job to put back into its page */
  bool stop;
  bool threaded;
  pthread_t thread;
  const gz_allocator *al;
} sealer;

#define SEAL_LEVEL 3

/* What compress2() does, with zlib's state from the allocator. */
static void seal_compress(const gz_allocator *al, seal_job *j) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  zs.zalloc = gz_zalloc;
  zs.zfree = gz_zfree;
  zs.opaque = (voidpf)al;
  uLong bound = compressBound((uLong)j->raw_len);
  j->z = gz_malloc(al, bound);
  if (j->z && deflateInit(&zs, SEAL_LEVEL) == Z_OK) {
    zs.next_in = j->raw;
    zs.avail_in = (uInt)j->raw_len;
    zs.next_out = j->z;
    zs.avail_out = (uInt)bound;
    if (deflate(&zs, Z_FINISH) == Z_STREAM_END)
      j->z_len = zs.total_out;
    else
      j->failed = true;
    deflateEnd(&zs);
  } else {
    j->failed = true;
  }
  gz_free(al, j->raw);
  j->raw = NULL;
}

static void *seal_worker(void *arg) {
  sealer *s = arg;
  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (!s->stop && s->next_todo >= s->n) pthread_cond_wait(&s->wake, &s->lock);
    if (s->next_todo >= s->n && s->stop) break;
    size_t i = s->next_todo++;
    seal_job j = s->jobs[i]; /* the array may move while we work */
    pthread_mutex_unlock(&s->lock);
    seal_compress(s->al, &j);
    pthread_mutex_lock(&s->lock);
    s->jobs[i] = j;
    s->jobs[i].done = true;
    pthread_cond_broadcast(&s->finished);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

/* Puts compressed content back into its page (libharu is touched only by
 * the thread that owns the document). With `wait`, all of it. */
int pdf_seal_put_back(pdf_ctx *c, bool wait) {
  sealer *s = c->sealer;
  int rc = 0;
  if (!s) return 0;
  pthread_mutex_lock(&s->lock);
  while (s->next_back < s->n) {
    seal_job *j = &s->jobs[s->next_back];
    if (!j->done) {
      if (!wait) break;
      pthread_cond_wait(&s->finished, &s->lock);
      continue;
    }
    seal_job done = *j;
    s->next_back++;
    pthread_mutex_unlock(&s->lock);
    if (gzh_page_put_deflated(done.page, done.failed ? NULL : done.z, done.z_len)) rc = -1;
    gz_free(c->d->al, done.z);
    pthread_mutex_lock(&s->lock);
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

int pdf_seal_start(pdf_ctx *c) {
  sealer *s = gz_malloc(c->d->al, sizeof *s);
  if (!s) return -1;
  memset(s, 0, sizeof *s);
  s->al = c->d->al;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->wake, NULL);
  pthread_cond_init(&s->finished, NULL);
  c->sealer = s;
  if (c->threads > 1 && pthread_create(&s->thread, NULL, seal_worker, s) == 0) s->threaded = true;
  return 0;
}

void pdf_seal_stop(pdf_ctx *c) {
  sealer *s = c->sealer;
  if (!s) return;
  pthread_mutex_lock(&s->lock);
  s->stop = true;
  pthread_cond_broadcast(&s->wake);
  pthread_mutex_unlock(&s->lock);
  if (s->threaded) pthread_join(s->thread, NULL);
  for (size_t i = s->next_back; i < s->n; i++) {
    gz_free(s->al, s->jobs[i].raw);
    gz_free(s->al, s->jobs[i].z);
  }
  gz_free(s->al, s->jobs);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->wake);
  pthread_cond_destroy(&s->finished);
  gz_free(c->d->al, s);
  c->sealer = NULL;
}

/* Takes a finished page's content out of libharu for compression. */
int pdf_seal_page(pdf_ctx *c, HPDF_Page page) {
  sealer *s = c->sealer;
  if (!s) return 0;
  seal_job j;
  memset(&j, 0, sizeof j);
  j.page = page;
  int taken = gzh_page_take_content(page, s->al, &j.raw, &j.raw_len);
  if (taken <= 0) return taken;
  if (!s->threaded) seal_compress(s->al, &j), j.done = true;
  pthread_mutex_lock(&s->lock);
  int rc = gz_grow(s->al, (void **)&s->jobs, &s->cap, s->n + 1, sizeof *s->jobs);
  if (rc == 0) s->jobs[s->n++] = j;
  pthread_cond_signal(&s->wake);
  pthread_mutex_unlock(&s->lock);
  if (rc) {
    gz_free(s->al, j.raw);
    gz_free(s->al, j.z);
    return -1;
  }
  return pdf_seal_put_back(c, false);
}
