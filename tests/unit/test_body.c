/*
 * test_body.c - the one body builder: the kind-specific part of each
 * block, direction and language as the article's, the nesting clamps
 * decided there once, and the spool record those blocks make.
 */
#include <string.h>

#include "model/model.h"
#include "testing.h"

typedef struct built {
  gz_arena arena;
  gz_body_builder b;
} built;

static void begin(built *t) {
  gz_arena_init(&t->arena, NULL);
  gz_body_init(&t->b, gz_default_allocator(), &t->arena);
}

static void block(built *t, gz_block_type type, const char *text) {
  gz_body_start(&t->b, type);
  gz_body_text(&t->b, text, strlen(text));
  gz_body_end(&t->b);
}

static void finish(built *t) {
  gz_body_free(&t->b);
  gz_arena_clear(&t->arena);
}

static void test_kinds(void) {
  built t;
  begin(&t);
  t.b.level = 3;
  block(&t, GZ_BLOCK_HEADING, "Head");
  t.b.depth = 2;
  t.b.ordered = 1;
  t.b.number = 7;
  block(&t, GZ_BLOCK_ITEM, "Seventh");
  t.b.ordered = 0;
  t.b.number = 0;
  block(&t, GZ_BLOCK_PARA, "more of it");
  t.b.depth = 0;
  gz_body_rule(&t.b);
  CHECK_INT(t.b.n_blocks, 4);
  if (t.b.n_blocks == 4) {
    const gz_block *b = t.b.blocks;
    CHECK_INT(b[0].type, GZ_BLOCK_HEADING);
    CHECK_INT(b[0].heading.level, 3);
    CHECK_INT(b[1].type, GZ_BLOCK_ITEM);
    CHECK_INT(b[1].item.depth, 2);
    CHECK_INT(b[1].item.ordered, 1);
    CHECK_INT(b[1].item.number, 7);
    CHECK_INT(gz_block_list_depth(&b[1]), 2);
    CHECK_INT(b[2].type, GZ_BLOCK_PARA);
    CHECK_INT(b[2].para.depth, 2);
    CHECK_INT(gz_block_list_depth(&b[2]), 2);
    CHECK_INT(b[2].words, 3);
    CHECK_INT(b[3].type, GZ_BLOCK_RULE);
    CHECK_INT(gz_block_list_depth(&b[3]), 0);
    CHECK_INT(gz_block_list_depth(&b[0]), 0);
    for (int i = 0; i < 4; i++) {
      CHECK_INT(b[i].dir, GZ_DIR_ARTICLE);
      CHECK(b[i].lang == NULL);
    }
  }
  finish(&t);
}

static void test_clamps(void) {
  built t;
  begin(&t);
  t.b.quote = 40;
  t.b.depth = 64; /* the HTML reader's deepest list */
  block(&t, GZ_BLOCK_ITEM, "deep item");
  block(&t, GZ_BLOCK_PARA, "its paragraph");
  t.b.quote = GZ_QUOTE_MAX;
  t.b.depth = GZ_LIST_MAX;
  block(&t, GZ_BLOCK_ITEM, "at the limit");
  CHECK_INT(t.b.n_blocks, 3);
  if (t.b.n_blocks == 3) {
    const gz_block *b = t.b.blocks;
    CHECK_INT(b[0].quote, 16);
    CHECK_INT(b[0].item.depth, 63);
    CHECK_INT(b[1].quote, 16);
    /* a paragraph names the item it continues: no nesting, not clamped */
    CHECK_INT(b[1].para.depth, 64);
    CHECK_INT(b[2].quote, 16);
    CHECK_INT(b[2].item.depth, 63);
  }
  finish(&t);
}

static void test_spool_record(void) {
  built t;
  begin(&t);
  t.b.level = 2;
  block(&t, GZ_BLOCK_HEADING, "Hi");
  t.b.depth = 1;
  block(&t, GZ_BLOCK_ITEM, "one two");
  gz_buf rec;
  gz_buf_init(&rec, NULL);
  uint32_t words = 0;
  uint64_t fp = 0;
  CHECK_INT(gz_spool_encode(t.b.blocks, t.b.n_blocks, &rec, &words, &fp), 0);
  /* u32 count, then per block 8 head bytes, 4 u32, a u64, the text and
   * 12 bytes a run: the size EPUB parts are planned by */
  CHECK_INT(rec.len, 4 + (32 + 2 + 12) + (32 + 7 + 12));
  CHECK_INT(words, 3);
  CHECK(fp != 0);
  if (rec.len >= 4 + 8) {
    const unsigned char *head = (const unsigned char *)rec.data + 4;
    CHECK_INT(head[0], GZ_BLOCK_HEADING);
    CHECK_INT(head[1], 2); /* level */
    CHECK_INT(head[3], 0); /* no list depth */
    CHECK_INT(head[5], GZ_DIR_ARTICLE);
  }
  gz_buf_free(&rec);
  finish(&t);
}

int main(void) {
  test_kinds();
  test_clamps();
  test_spool_record();
  TEST_MAIN_END();
}
