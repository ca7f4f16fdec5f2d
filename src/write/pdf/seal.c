/*
 * seal.c - compressing finished pages of the PDF in a worker thread.
 *
 * libharu keeps every page's content uncompressed until it saves, then
 * deflates them one by one at zlib's default level: for a digest of
 * thousands of pages that is most of the time and memory. A page is
 * final once the next one starts (its footer goes to a second content
 * stream later), so its content is taken out at that moment, deflated
 * by the work queue's one thread, and put back already compressed. At
 * most SEAL_WINDOW pages wait, a bound on memory.
 */
#include <string.h>
#include <zlib.h>

#include "util/workq.h"
#include "write/pdf/pdf.h"

typedef struct seal_job {
  HPDF_Page page;
  unsigned char *raw;
  size_t raw_len;
  unsigned char *z;
  size_t z_len;
  bool failed;
} seal_job;

#define SEAL_WINDOW 64

typedef struct sealer {
  gz_workq q;                 /* one worker thread when c->threads > 1 */
  seal_job jobs[SEAL_WINDOW]; /* job seq at jobs[seq % SEAL_WINDOW] */
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

static void seal_run(void *ctx, uint64_t seq, int worker) {
  (void)worker;
  sealer *s = ctx;
  seal_compress(s->al, &s->jobs[seq % SEAL_WINDOW]);
}

/* Puts the oldest compressed page's content back into its page (libharu
 * is touched only by the thread that owns the document), waiting for it
 * when `wait`: 1 when one went back, 0 when none was ready, -1 when it
 * failed. */
static int seal_put_one(pdf_ctx *c, bool wait) {
  sealer *s = c->sealer;
  uint64_t seq;
  if (!s || gz_workq_take(&s->q, wait, &seq) != GZ_WQ_RAN) return 0;
  seal_job *done = &s->jobs[seq % SEAL_WINDOW];
  int rc = gzh_page_put_deflated(done->page, done->failed ? NULL : done->z, done->z_len) ? -1 : 1;
  gz_free(c->d->al, done->z);
  done->z = NULL;
  return rc;
}

/* Puts back every page that is ready; with `wait`, all of them. */
int pdf_seal_put_back(pdf_ctx *c, bool wait) {
  int r, rc = 0;
  while ((r = seal_put_one(c, wait)) != 0)
    if (r < 0) rc = -1;
  return rc;
}

int pdf_seal_start(pdf_ctx *c) {
  sealer *s = gz_malloc(c->d->al, sizeof *s);
  if (!s) return -1;
  memset(s, 0, sizeof *s);
  s->al = c->d->al;
  if (gz_workq_init(&s->q, s->al, c->threads > 1 ? 2 : 1, SEAL_WINDOW, seal_run, s)) {
    gz_free(c->d->al, s);
    return -1;
  }
  c->sealer = s;
  return 0;
}

void pdf_seal_stop(pdf_ctx *c) {
  sealer *s = c->sealer;
  if (!s) return;
  gz_workq_destroy(&s->q);
  for (size_t i = 0; i < SEAL_WINDOW; i++) {
    gz_free(s->al, s->jobs[i].raw);
    gz_free(s->al, s->jobs[i].z);
  }
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
  /* The oldest page goes back first when the window is full. */
  int rc = 0;
  while (gz_workq_full(&s->q))
    if (seal_put_one(c, true) < 0) rc = -1;
  s->jobs[gz_workq_next_seq(&s->q) % SEAL_WINDOW] = j;
  gz_workq_submit(&s->q, NULL); /* compressed at once without a worker */
  if (rc) return -1;
  return pdf_seal_put_back(c, false);
}
