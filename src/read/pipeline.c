/*
 * pipeline.c - article bodies built by worker threads, committed in
 * input order.
 *
 * Parsing a dump (yajl, the text reader) is sequential, but turning each
 * body into blocks (the HTML sanitiser, white space, word counts, the
 * language, the spool record) is independent per article and is most of
 * the reading time. Readers hand each accepted article to the pipeline;
 * workers build its body; the reading thread commits finished articles
 * strictly in submission order, so the digest, the spool and every
 * message are the same whatever the number of threads. With one job
 * everything runs in the calling thread. The threads are an ordered
 * gz_workq (util/workq.h) whose window is the ring below.
 */
#include <stdlib.h>
#include <string.h>

#include "read/read.h"
#include "util/workq.h"

#define RING 256
#define MAX_BYTES_IN_FLIGHT (48u << 20)
/* Unclaimed bodies past which the reading thread lends a hand. */
#define HELP_BACKLOG 32

typedef struct task {
  gz_article a;
  char *body;
  size_t body_len;
  uint8_t kind; /* GZ_TASK_* */
  /* results */
  gz_buf record;
  uint64_t *keys;
  uint32_t *key_words;
  uint32_t n_keys;
  char lang[GZ_LANG_MAX]; /* found by build, when the source gave none */
  bool deep;
  bool failed;
} task;

/* What one thread needs to build bodies. */
typedef struct builder {
  gz_html *html;
  gz_arena arena;
  gz_body_builder body;
  gz_buf lang;
  gz_buf clean;
  int8_t ready; /* 0 not made yet, 1 made, -1 failed */
} builder;

typedef struct gz_pipeline {
  gz_digest *d;
  task ring[RING]; /* task seq lives at ring[seq % RING] */
  size_t bytes_in_flight;
  gz_workq q;
  /* one per queue thread; [0] is the reading thread's, made up front, the
   * others by their own thread on its first body */
  builder *builders;
  int n_builders;
} gz_pipeline;

static int builder_init(builder *b, const gz_allocator *al) {
  memset(b, 0, sizeof *b);
  gz_arena_init(&b->arena, al);
  gz_body_init(&b->body, al, &b->arena);
  gz_buf_init(&b->lang, al);
  gz_buf_init(&b->clean, al);
  b->html = gz_html_new(al);
  b->ready = b->html ? 1 : -1;
  return b->html ? 0 : -1;
}

static void builder_free(builder *b) {
  if (!b->ready) return;
  gz_html_free(b->html);
  gz_body_free(&b->body);
  gz_arena_clear(&b->arena);
  gz_buf_free(&b->lang);
  gz_buf_free(&b->clean);
}

/* Builds one body: blocks, words, fingerprint, language, spool record. */
static void build(const gz_digest *d, builder *bd, task *t) {
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_body_builder *b = &bd->body;
  gz_body_reset(b);
  gz_arena_clear(&bd->arena);
  const char *body = t->body;
  size_t len = t->body_len;
  if (len && !gz_utf8_is_clean(body, len)) {
    gz_buf_clear(&bd->clean);
    gz_utf8_clean_append(&bd->clean, body, len);
    if (bd->clean.failed) t->failed = true;
    body = gz_buf_cstr(&bd->clean);
    len = bd->clean.len;
  }
  if (len) {
    if (t->kind == GZ_TASK_HTML) {
      if (gz_html_to_body(bd->html, body, len, b, gz_digest_setup(d)->opts->max_html_depth,
                          &t->deep))
        t->failed = true;
    } else {
      gz_body_plain(b, body, len);
    }
  }
  if (b->failed) t->failed = true;
  if (t->kind == GZ_TASK_TEXT_KEYED && b->n_blocks) {
    t->keys = gz_malloc(al, b->n_blocks * sizeof *t->keys);
    t->key_words = gz_malloc(al, b->n_blocks * sizeof *t->key_words);
    if (!t->keys || !t->key_words) t->failed = true;
    for (size_t i = 0; t->keys && t->key_words && i < b->n_blocks; i++) {
      b->blocks[i].key = gz_block_hash(&b->blocks[i]);
      t->keys[i] = b->blocks[i].key;
      t->key_words[i] = b->blocks[i].words;
    }
    t->n_keys = (uint32_t)b->n_blocks;
  }
  /* The language: the source's (a JSON field, set at ingest; an HTML
   * body's outermost lang), else identified from the title and the
   * start of the body. */
  t->lang[0] = '\0';
  const char *html_lang = t->kind == GZ_TASK_HTML && len ? gz_html_lang(bd->html) : NULL;
  /* Directions before the language, which is told from the text that
   * runs the article's way: an Arabic paragraph quoted in an English
   * article does not make it Arabic. */
  t->a.dir =
      gz_body_direction(b->blocks, b->n_blocks, t->a.title, t->a.lang ? t->a.lang : html_lang);
  if (!t->a.lang && html_lang) {
    gz_strlcpy(t->lang, html_lang, sizeof t->lang);
  } else if (!t->a.lang) {
    gz_buf *l = &bd->lang;
    gz_buf_clear(l);
    if (t->a.title) gz_buf_puts(l, t->a.title);
    for (size_t i = 0; i < b->n_blocks && l->len < 400; i++) {
      if (b->blocks[i].dir != GZ_DIR_ARTICLE) continue;
      gz_buf_putc(l, ' ');
      gz_buf_append(l, b->blocks[i].text, b->blocks[i].len);
    }
    /* a few hundred bytes tell a language; more is only time */
    size_t n = l->len > 400 ? gz_utf8_floor(l->data, 400) : l->len;
    /* a text cut short by a failed allocation would tell another
     * language: the article fails instead */
    if (l->failed)
      t->failed = true;
    else
      gz_lang_detect(gz_buf_cstr(l), n, t->lang);
  }
  if (gz_body_langs(b->blocks, b->n_blocks, t->a.title,
                    t->a.lang    ? t->a.lang
                    : t->lang[0] ? t->lang
                                 : NULL,
                    &bd->arena))
    t->failed = true;
  gz_buf_clear(&t->record);
  uint32_t words;
  uint64_t fp;
  if (gz_spool_encode(b->blocks, b->n_blocks, &t->record, &words, &fp)) t->failed = true;
  t->a.n_blocks = (uint32_t)b->n_blocks;
  if (!t->a.text_keys) {
    t->a.words = words;
    t->a.body_fp = fp;
  }
  gz_free(al, t->body);
  t->body = NULL;
}

/* A queue task: the thread's builder builds the body of ring slot seq. */
static void run_task(void *ctx, uint64_t seq, int worker) {
  gz_pipeline *p = ctx;
  builder *bd = &p->builders[worker];
  task *t = &p->ring[seq % RING];
  if (!bd->ready) builder_init(bd, gz_digest_setup(p->d)->al);
  if (bd->ready > 0)
    build(p->d, bd, t);
  else
    t->failed = true;
}

static gz_pipeline *pipeline(gz_digest *d) {
  gz_read_state *rs = gz_digest_read_state(d);
  const gz_setup *set = gz_digest_setup(d);
  const gz_allocator *al = set->al;
  if (rs->pipe) return rs->pipe;
  gz_pipeline *p = gz_malloc(al, sizeof *p);
  if (!p) return NULL;
  memset(p, 0, sizeof *p);
  p->d = d;
  for (size_t i = 0; i < RING; i++) gz_buf_init(&p->ring[i].record, al);
  int jobs = set->opts->jobs > 0 ? set->opts->jobs : gz_cores();
  /* The reading thread counts as one of the jobs: it helps with bodies
   * whenever they pile up (gz_workq_help). With one job it builds them
   * all, inside gz_workq_submit. */
  if (gz_workq_init(&p->q, al, jobs, RING, run_task, p)) {
    gz_free(al, p);
    return NULL;
  }
  rs->pipe = p;
  p->n_builders = gz_workq_threads(&p->q);
  p->builders = gz_malloc(al, (size_t)p->n_builders * sizeof *p->builders);
  if (p->builders) memset(p->builders, 0, (size_t)p->n_builders * sizeof *p->builders);
  if (!p->builders || builder_init(&p->builders[0], al)) {
    gz_pipeline_free(d);
    return NULL;
  }
  return p;
}

/* The reading thread builds the oldest unclaimed body itself; 1 when it
 * did. It is one of the --jobs threads, so the workers number one fewer
 * and no core is shared by more threads than it can run: the reader
 * lends a hand when bodies pile up and reads when they do not. */
static int help_one(gz_pipeline *p) { return gz_workq_help(&p->q) ? 1 : 0; }

/* Commits the oldest task (waiting for it when `wait`); returns 1 when
 * one was committed, 0 when none was ready, -1 on a fatal error. */
static int commit_one(gz_digest *d, gz_pipeline *p, bool wait, gz_error *err) {
  gz_read_state *rs = gz_digest_read_state(d);
  const gz_allocator *al = gz_digest_setup(d)->al;
  uint64_t seq;
  /* Nothing is canceled before gz_pipeline_free: every task taken ran. */
  if (gz_workq_take(&p->q, wait, &seq) != GZ_WQ_RAN) return 0;
  task *t = &p->ring[seq % RING];

  int rc = 1;
  gz_article a = t->a;
  if (!a.lang && t->lang[0] && !(a.lang = gz_arena_strdup(gz_digest_arena(d), t->lang)))
    t->failed = true;
  if (t->failed) {
    rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  } else {
    char title[96];
    if (t->deep)
      gz_diag_add(d, GZ_SEV_WARNING, a.file, a.line, a.col,
                  "HTML of \"%s\" nested deeper than %d levels (--max-html-depth); the deeper "
                  "markup is flattened to text",
                  gz_short(a.title ? a.title : "untitled", title, sizeof title),
                  gz_digest_setup(d)->opts->max_html_depth);
    if (gz_spool_append(d, &a, t->record.data, t->record.len, err))
      rc = -1;
    else if (gz_digest_article_add(d, &a))
      rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    if (rc == 1 && a.text_keys) {
      if (gz_grow(al, (void **)&rs->pending, &rs->cap_pending, rs->n_pending + 1,
                  sizeof *rs->pending)) {
        rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      } else {
        gz_text_pending *pe = &rs->pending[rs->n_pending++];
        pe->article = a.order;
        pe->n = t->n_keys;
        pe->title_key = a.title_fp ? a.title_fp : gz_hash64(a.title ? a.title : "", 0, a.order);
        pe->keys = gz_arena_alloc(&rs->dump_arena, (t->n_keys + 1) * sizeof *pe->keys);
        pe->words = gz_arena_alloc(&rs->dump_arena, (t->n_keys + 1) * sizeof *pe->words);
        if (!pe->keys || !pe->words) {
          rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
        } else if (t->n_keys) {
          memcpy(pe->keys, t->keys, t->n_keys * sizeof *pe->keys);
          memcpy(pe->words, t->key_words, t->n_keys * sizeof *pe->words);
        }
      }
    }
  }
  gz_free(al, t->keys);
  gz_free(al, t->key_words);
  t->keys = NULL;
  t->key_words = NULL;
  gz_buf_clear(&t->record);
  p->bytes_in_flight -= t->body_len;
  return rc;
}

int gz_pipeline_submit(gz_digest *d, const gz_article *a, const char *body, size_t len, int kind,
                       gz_error *err) {
  gz_pipeline *p = pipeline(d);
  if (!p) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  /* Room in the ring, and a bound on the bytes waiting. */
  while (gz_workq_full(&p->q) ||
         (p->bytes_in_flight + len > MAX_BYTES_IN_FLIGHT && gz_workq_in_flight(&p->q))) {
    int r = commit_one(d, p, false, err);
    if (r < 0) return -1;
    if (r == 0 && !help_one(p) && commit_one(d, p, true, err) < 0) return -1;
  }
  task *t = &p->ring[gz_workq_next_seq(&p->q) % RING];
  t->a = *a;
  t->kind = (uint8_t)kind;
  t->body_len = len;
  t->body = gz_malloc(gz_digest_setup(d)->al, len);
  t->deep = t->failed = false;
  t->n_keys = 0;
  if (!t->body) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  if (len) memcpy(t->body, body, len);
  p->bytes_in_flight += len;
  gz_workq_submit(&p->q, NULL); /* the loop above made room */
  if (gz_workq_waiting(&p->q) > HELP_BACKLOG) help_one(p);
  /* Commit what is ready, so memory and messages keep pace. */
  int r;
  while ((r = commit_one(d, p, false, err)) > 0) {
  }
  return r < 0 ? -1 : 0;
}

int gz_pipeline_drain(gz_digest *d, gz_error *err) {
  gz_pipeline *p = gz_digest_read_state(d)->pipe;
  if (!p) return 0;
  int r;
  while ((r = commit_one(d, p, false, err)) > 0 || (r == 0 && help_one(p))) {
  }
  while (r >= 0 && (r = commit_one(d, p, true, err)) > 0) {
  }
  return r < 0 ? -1 : 0;
}

void gz_pipeline_free(gz_digest *d) {
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_pipeline *p = gz_digest_read_state(d)->pipe;
  if (!p) return;
  /* Bodies not started are not needed: an error or a cancel ends reading. */
  gz_workq_destroy(&p->q);
  for (size_t i = 0; i < RING; i++) {
    gz_free(al, p->ring[i].body);
    gz_free(al, p->ring[i].keys);
    gz_free(al, p->ring[i].key_words);
    gz_buf_free(&p->ring[i].record);
  }
  for (int i = 0; p->builders && i < p->n_builders; i++) builder_free(&p->builders[i]);
  gz_free(al, p->builders);
  gz_free(al, p);
  gz_digest_read_state(d)->pipe = NULL;
}
