/*
 * test_spool.c - the spool (src/model/spool.c): blocks with runs, styles,
 * links, directions and languages encoded, appended and loaded back field
 * for field; record sizes, word counts and fingerprints; chrome left out
 * on load; damaged records refused.
 */
#include <stdlib.h>
#include <string.h>

#include "model/core.h" /* the spool belongs to the core: its test sees the digest */
#include "testing.h"

/* A body with one block of every type, runs with styles and links, a
 * line break in a preformatted block, and a text-keyed block. */
static const char para[] = "Hello bold link world";
static const char href[] = "https://example.com/a";
static const char pre[] = "line one\nline two";

static gz_run para_runs[] = {
    {para, 6, 0, 0, NULL},
    {para + 6, 5, GZ_STYLE_STRONG, 0, NULL},
    {para + 11, 4, GZ_STYLE_EM | GZ_STYLE_U, sizeof href - 1, href},
    {para + 15, 6, 0, 0, NULL},
};
static gz_run head_runs[] = {{"Title", 5, 0, 0, NULL}};
static gz_run item_runs[] = {{"third point", 11, GZ_STYLE_CODE, 0, NULL}};
static gz_run pre_runs[] = {{pre, sizeof pre - 1, GZ_STYLE_CODE, 0, NULL}};

static void make_blocks(gz_block b[5]) {
  memset(b, 0, 5 * sizeof *b);
  b[0] = (gz_block){.type = GZ_BLOCK_PARA,
                    .quote = 1,
                    .dir = GZ_DIR_RTL,
                    .lang = "ar",
                    .words = 4,
                    .text = para,
                    .len = sizeof para - 1,
                    .n_runs = 4,
                    .runs = para_runs};
  b[1] = (gz_block){.type = GZ_BLOCK_HEADING,
                    .heading = {.level = 2},
                    .words = 1,
                    .text = "Title",
                    .len = 5,
                    .n_runs = 1,
                    .runs = head_runs};
  b[2] = (gz_block){.type = GZ_BLOCK_ITEM,
                    .item = {.depth = 2, .ordered = 1, .number = 3},
                    .dir = GZ_DIR_LTR,
                    .words = 2,
                    .text = "third point",
                    .len = 11,
                    .n_runs = 1,
                    .runs = item_runs,
                    .key = 0x1234567890abcdefull};
  b[3] = (gz_block){.type = GZ_BLOCK_PRE,
                    .words = 4,
                    .text = pre,
                    .len = sizeof pre - 1,
                    .n_runs = 1,
                    .runs = pre_runs};
  b[4] = (gz_block){.type = GZ_BLOCK_RULE, .text = "", .len = 0};
}

/* The record layout of spool.c's header comment, counted by hand. */
static size_t record_size(const gz_block *b, size_t n) {
  size_t size = 4;
  for (size_t i = 0; i < n; i++) {
    size += 8 + 4 * 4 + 8 + b[i].len + (b[i].lang ? strlen(b[i].lang) : 0);
    for (uint32_t r = 0; r < b[i].n_runs; r++) size += 4 + 4 + 2 + 2 + b[i].runs[r].href_len;
  }
  return size;
}

static void check_same_blocks(const gz_block *got, size_t n_got, const gz_block *want,
                              size_t n_want) {
  CHECK_INT(n_got, n_want);
  for (size_t i = 0; i < n_got && i < n_want; i++) {
    const gz_block *g = &got[i], *w = &want[i];
    CHECK_INT(g->type, w->type);
    CHECK_INT(g->quote, w->quote);
    CHECK_INT(g->dir, w->dir);
    CHECK_STR(g->lang ? g->lang : "", w->lang ? w->lang : "");
    if (w->type == GZ_BLOCK_HEADING) CHECK_INT(g->heading.level, w->heading.level);
    if (w->type == GZ_BLOCK_ITEM) {
      CHECK_INT(g->item.depth, w->item.depth);
      CHECK_INT(g->item.ordered, w->item.ordered);
      CHECK_INT(g->item.number, w->item.number);
    }
    CHECK_INT(g->words, w->words);
    CHECK_U64(g->key, w->key);
    CHECK_INT(g->len, w->len);
    CHECK(g->len == w->len && memcmp(g->text, w->text, g->len) == 0);
    CHECK_INT(g->n_runs, w->n_runs);
    for (uint32_t r = 0; r < g->n_runs && r < w->n_runs; r++) {
      const gz_run *gr = &g->runs[r], *wr = &w->runs[r];
      /* runs are slices of their block's text, as when built */
      CHECK_INT(gr->text - g->text, wr->text - w->text);
      CHECK_INT(gr->len, wr->len);
      CHECK_INT(gr->style, wr->style);
      CHECK_INT(gr->href_len, wr->href_len);
      if (wr->href_len)
        CHECK(gr->href && memcmp(gr->href, wr->href, wr->href_len) == 0);
      else
        CHECK(gr->href == NULL);
    }
  }
}

static gz_digest *new_digest(bool keep_chrome) {
  gz_options o;
  gz_options_init(&o);
  o.keep_chrome = keep_chrome;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  return d;
}

static void test_round_trip(void) {
  gz_block blocks[5];
  make_blocks(blocks);
  gz_buf rec;
  gz_buf_init(&rec, NULL);
  uint32_t words = 0;
  uint64_t fp = 0;
  CHECK_INT(gz_spool_encode(blocks, 5, &rec, &words, &fp), 0);
  CHECK_INT(rec.len, record_size(blocks, 5));
  CHECK_INT(rec.len, 4 + 5 * 32 + 21 + 2 + 5 + 11 + 17 + 7 * 12 + 21);
  CHECK_INT(words, 11);
  /* the fingerprint chains the blocks with text; a text-keyed block
   * brings its key instead of its hash */
  uint64_t want_fp = 0;
  want_fp = gz_hash_mix(want_fp, gz_block_hash(&blocks[0]));
  want_fp = gz_hash_mix(want_fp, gz_block_hash(&blocks[1]));
  want_fp = gz_hash_mix(want_fp, 0x1234567890abcdefull);
  want_fp = gz_hash_mix(want_fp, gz_block_hash(&blocks[3]));
  CHECK_U64(fp, want_fp);
  CHECK(fp != 0);

  /* an empty body: only the count, and no fingerprint */
  gz_buf empty;
  gz_buf_init(&empty, NULL);
  uint32_t empty_words = 99;
  uint64_t empty_fp = 99;
  CHECK_INT(gz_spool_encode(NULL, 0, &empty, &empty_words, &empty_fp), 0);
  CHECK_INT(empty.len, 4);
  CHECK_INT(empty_words, 0);
  CHECK_U64(empty_fp, 0);

  gz_digest *d = new_digest(false);
  if (!d) return;
  gz_error err;
  gz_article a1, a2, a3;
  memset(&a1, 0, sizeof a1);
  memset(&a2, 0, sizeof a2);
  memset(&a3, 0, sizeof a3);
  CHECK_INT(gz_spool_append(d, &a1, rec.data, rec.len, &err), 0);
  CHECK_INT(gz_spool_append(d, &a2, empty.data, empty.len, &err), 0);
  CHECK_INT(gz_spool_append(d, &a3, rec.data, rec.len, &err), 0);
  CHECK_U64(a1.spool_off, 0);
  CHECK_INT(a1.spool_len, rec.len);
  CHECK_U64(a2.spool_off, rec.len);
  CHECK_INT(a2.spool_len, 4);
  CHECK_U64(a3.spool_off, rec.len + 4);
  CHECK_INT(gz_spool_flush(d, &err), 0);

  gz_arena arena;
  gz_arena_init(&arena, NULL);
  gz_body body;
  /* the last first: records are found by offset, not by order */
  CHECK_INT(gz_body_load(gz_digest_view(d), &a3, &arena, &body, &err), 0);
  check_same_blocks(body.blocks, body.n, blocks, 5);
  CHECK_INT(gz_body_heading_base(&body), 2);
  CHECK_INT(gz_body_load(gz_digest_view(d), &a2, &arena, &body, &err), 0);
  CHECK_INT(body.n, 0);
  CHECK_INT(gz_body_heading_base(&body), 1);
  CHECK_INT(gz_body_load(gz_digest_view(d), &a1, &arena, &body, &err), 0);
  check_same_blocks(body.blocks, body.n, blocks, 5);

  /* a text-keyed block found repeated in its dump is chrome: left out */
  a1.dump = 3;
  CHECK_INT(gz_set64_add(&d->chrome, gz_chrome_key(0x1234567890abcdefull, 3)), 1);
  CHECK_INT(gz_body_load(gz_digest_view(d), &a1, &arena, &body, &err), 0);
  CHECK_INT(body.n, 4);
  if (body.n == 4) CHECK_INT(body.blocks[2].type, GZ_BLOCK_PRE);
  a1.dump = 2; /* another dump's chrome is not this one's */
  CHECK_INT(gz_body_load(gz_digest_view(d), &a1, &arena, &body, &err), 0);
  CHECK_INT(body.n, 5);
  gz_arena_clear(&arena);
  gz_digest_free(d);

  /* --keep-chrome keeps it */
  d = new_digest(true);
  if (d) {
    CHECK_INT(gz_spool_append(d, &a1, rec.data, rec.len, &err), 0);
    CHECK_INT(gz_spool_flush(d, &err), 0);
    a1.dump = 3;
    CHECK_INT(gz_set64_add(&d->chrome, gz_chrome_key(0x1234567890abcdefull, 3)), 1);
    CHECK_INT(gz_body_load(gz_digest_view(d), &a1, &arena, &body, &err), 0);
    CHECK_INT(body.n, 5);
    gz_arena_clear(&arena);
    gz_digest_free(d);
  }
  gz_buf_free(&rec);
  gz_buf_free(&empty);
}

/* Loads `len` bytes of a record changed by `damage` and expects the
 * damage to be named, not read past. */
static void expect_damaged(const char *what, const gz_buf *rec, size_t len, size_t at,
                           uint32_t value) {
  char *bad = malloc(rec->len);
  if (!bad) return;
  memcpy(bad, rec->data, rec->len);
  if (at + 4 <= rec->len) memcpy(bad + at, &value, 4);
  gz_digest *d = new_digest(false);
  gz_error err;
  gz_article a;
  memset(&a, 0, sizeof a);
  if (d) {
    CHECK_INT(gz_spool_append(d, &a, bad, len, &err), 0);
    CHECK_INT(gz_spool_flush(d, &err), 0);
    gz_arena arena;
    gz_arena_init(&arena, NULL);
    gz_body body;
    memset(&err, 0, sizeof err);
    int rc = gz_body_load(gz_digest_view(d), &a, &arena, &body, &err);
    if (rc == 0) fprintf(stderr, "damaged record accepted: %s\n", what);
    CHECK_INT(rc, -1);
    CHECK_INT(err.code, GZ_ERR_INTERNAL);
    CHECK_STR(err.message, "the spool file is damaged");
    CHECK(body.blocks == NULL && body.n == 0);
    gz_arena_clear(&arena);
    gz_digest_free(d);
  }
  free(bad);
}

static void test_damaged(void) {
  gz_block blocks[5];
  make_blocks(blocks);
  gz_buf rec;
  gz_buf_init(&rec, NULL);
  uint32_t words;
  uint64_t fp;
  CHECK_INT(gz_spool_encode(blocks, 5, &rec, &words, &fp), 0);
  /* offsets in the record: the count, then block 0's head (8), number,
   * words, len, n_runs, key, its text, its language ("ar"), then its
   * first run */
  size_t b0 = 4, b0_len = b0 + 8 + 8, b0_runs = b0_len + 4, run0 = b0 + 32 + (sizeof para - 1) + 2;
  expect_damaged("cut short", &rec, rec.len - 1, rec.len, 0);
  expect_damaged("cut in the first block", &rec, 20, rec.len, 0);
  expect_damaged("cut in a language", &rec, run0 - 1, rec.len, 0);
  expect_damaged("more blocks than bytes", &rec, rec.len, 0, 1000000);
  expect_damaged("text longer than the record", &rec, rec.len, b0_len, 1u << 30);
  expect_damaged("more runs than text", &rec, rec.len, b0_runs, 1000);
  expect_damaged("a run starting past its text", &rec, rec.len, run0, 22);
  expect_damaged("a run ending past its text", &rec, rec.len, run0 + 4, 22);
  /* the same record undamaged loads (the offsets above are right) */
  gz_digest *d = new_digest(false);
  gz_error err;
  gz_article a;
  memset(&a, 0, sizeof a);
  if (d) {
    gz_buf copy;
    gz_buf_init(&copy, NULL);
    gz_buf_append(&copy, rec.data, rec.len);
    uint32_t v;
    memcpy(&v, copy.data + run0 + 4, 4);
    CHECK_INT(v, 6); /* the first run's length */
    memcpy(&v, copy.data + b0_runs, 4);
    CHECK_INT(v, 4);
    CHECK_INT(gz_spool_append(d, &a, copy.data, copy.len, &err), 0);
    CHECK_INT(gz_spool_flush(d, &err), 0);
    gz_arena arena;
    gz_arena_init(&arena, NULL);
    gz_body body;
    CHECK_INT(gz_body_load(gz_digest_view(d), &a, &arena, &body, &err), 0);
    CHECK_INT(body.n, 5);
    gz_arena_clear(&arena);
    gz_buf_free(&copy);
    gz_digest_free(d);
  }
  gz_buf_free(&rec);
}

int main(void) {
  test_round_trip();
  test_damaged();
  TEST_MAIN_END();
}
