/* fuzz_html.c - the HTML allow-list sanitiser. Whatever the input, no
 * kept link may have a scheme other than http, https or mailto. */
#include "fuzz_common.h"
#include "read/read.h"

static bool safe_scheme(const char *s, size_t n) {
  return (n >= 7 && gz_ascii_iprefix(s, n, "http://")) ||
         (n >= 8 && gz_ascii_iprefix(s, n, "https://")) ||
         (n >= 7 && gz_ascii_iprefix(s, n, "mailto:"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_arena arena;
  gz_arena_init(&arena, NULL);
  gz_body_builder b;
  gz_body_init(&b, NULL, &arena);
  gz_html *h = gz_html_new(NULL);
  if (!h) return 0;
  bool deep;
  gz_html_to_body(h, (const char *)data, size, &b, 64 + (size & 255), &deep);
  for (size_t i = 0; i < b.n_blocks; i++) {
    const gz_block *blk = &b.blocks[i];
    if (!gz_utf8_is_clean(blk->text, blk->len)) __builtin_trap();
    for (uint32_t k = 0; k < blk->n_runs; k++) {
      const gz_run *r = &blk->runs[k];
      if (r->text < blk->text || r->text + r->len > blk->text + blk->len) __builtin_trap();
      if (r->href && !safe_scheme(r->href, r->href_len)) __builtin_trap();
    }
  }
  gz_buf text;
  gz_buf_init(&text, NULL);
  gz_html_to_text(h, (const char *)data, size, &text);
  gz_buf_free(&text);
  gz_html_free(h);
  gz_body_free(&b);
  gz_arena_clear(&arena);
  return 0;
}
