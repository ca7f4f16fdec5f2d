/*
 * test_pipeline.c - the read pipeline (src/read/pipeline.c): bodies built
 * on worker threads are committed in input order, so one job, four jobs
 * and four jobs whose threads cannot start all give the same articles,
 * spool records, languages and messages, with exact expected values.
 */
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "fail_threads.h"
#include "read_digest.h"

#define N_ARTICLES 600 /* more than the pipeline's ring of 256 */

/* Article i: k(i) words in one paragraph, some with a language given,
 * some in German or English prose for the identifier, and every 50th
 * nested deeper than the HTML depth limit (a warning at commit). */
static size_t words_of(size_t i) { return 3 + (i * 37) % 200; }

static void make_dump(gz_buf *b) {
  gz_buf_puts(b, "[\n");
  for (size_t i = 0; i < N_ARTICLES; i++) {
    gz_buf_printf(b, "{\"title\":\"Story %zu\",\"date\":\"2020-12-%02zu\",", i, 1 + i % 28);
    if (i % 7 == 0) gz_buf_puts(b, "\"lang\":\"fr\",");
    gz_buf_puts(b, "\"body\":\"");
    bool deep = i % 50 == 25;
    if (deep)
      for (int k = 0; k < 12; k++) gz_buf_puts(b, "<div>");
    gz_buf_puts(b, "<p>");
    for (size_t w = 0; w < words_of(i); w++)
      if (i % 3 == 1)
        gz_buf_printf(b, "%sdie Katze schläft auf dem Sofa und der Hund bellt laut %zu",
                      w ? " " : "", i);
      else if (i % 3 == 2)
        gz_buf_printf(b, "%sthe quick brown fox jumps over the lazy dog %zu", w ? " " : "", i);
      else
        gz_buf_printf(b, "%sw%zux%zu", w ? " " : "", i, w);
    gz_buf_puts(b, "</p><p><em>end</em> <a href='https://example.com/");
    gz_buf_printf(b, "%zu'>link</a></p>", i);
    if (deep)
      for (int k = 0; k < 12; k++) gz_buf_puts(b, "</div>");
    gz_buf_printf(b, "\"}%s\n", i + 1 < N_ARTICLES ? "," : "");
  }
  gz_buf_puts(b, "]\n");
}

/* Everything the reading left that must not depend on threads, as text:
 * per article its order, title, words, fingerprints, language and the
 * spool record's bytes; then every message. */
static void describe(gz_digest *d, gz_buf *out) {
  const gz_view *v = gz_digest_view(d);
  gz_arena arena;
  gz_arena_init(&arena, NULL);
  for (size_t i = 0; i < v->n_articles; i++) {
    const gz_article *a = &v->articles[i];
    gz_buf_printf(out, "%u %s w=%u b=%u fp=%016llx lang=%s len=%u off=%llu\n", a->order, a->title,
                  a->words, a->n_blocks, (unsigned long long)a->body_fp, a->lang ? a->lang : "-",
                  a->spool_len, (unsigned long long)a->spool_off);
    gz_body body;
    gz_error err;
    if (gz_body_load(v, a, &arena, &body, &err) != 0) {
      gz_buf_printf(out, "load failed: %s\n", err.message);
      continue;
    }
    for (size_t k = 0; k < body.n; k++) {
      const gz_block *blk = &body.blocks[k];
      gz_buf_printf(out, "  %u %u %.*s", blk->type, blk->words, (int)blk->len, blk->text);
      for (uint32_t r = 0; r < blk->n_runs; r++)
        gz_buf_printf(out, " [%u %u %u %.*s]", (unsigned)(blk->runs[r].text - blk->text),
                      blk->runs[r].len, blk->runs[r].style, blk->runs[r].href_len,
                      blk->runs[r].href ? blk->runs[r].href : "");
      gz_buf_putc(out, '\n');
    }
    gz_arena_clear(&arena);
  }
  for (size_t i = 0; i < gz_digest_diag_count(d); i++) {
    const gz_diag *dg = gz_digest_diag(d, i);
    gz_buf_printf(out, "%d %s:%lu:%lu %s\n", (int)dg->severity, dg->file, dg->line, dg->col,
                  dg->message);
  }
  gz_arena_clear(&arena);
}

static gz_digest *read_with(const gz_buf *dump, int jobs) {
  gz_options o;
  gz_options_init(&o);
  o.jobs = jobs;
  o.max_html_depth = 8;
  return read_digest("dump.json", dump->data, dump->len, &o);
}

static void check_exact(gz_digest *d) {
  const gz_view *v = gz_digest_view(d);
  CHECK_INT(v->n_articles, N_ARTICLES);
  CHECK_INT(gz_digest_counts(d).written, N_ARTICLES);
  size_t bad_order = 0, bad_words = 0, bad_lang = 0;
  for (size_t i = 0; i < v->n_articles; i++) {
    const gz_article *a = &v->articles[i];
    char title[32];
    snprintf(title, sizeof title, "Story %zu", i);
    if (a->order != i || strcmp(a->title, title) != 0) bad_order++;
    /* German and English sentences have 12 and 10 words each */
    size_t per = i % 3 == 1 ? 12 : i % 3 == 2 ? 10 : 1;
    /* flattened markup runs the paragraphs together: "...25end link" */
    size_t extra = i % 50 == 25 ? 1 : 2;
    if (a->words != words_of(i) * per + extra) bad_words++;
    const char *lang = i % 7 == 0 ? "fr" : i % 3 == 1 ? "de" : i % 3 == 2 ? "en" : NULL;
    if (lang && (!a->lang || strcmp(a->lang, lang) != 0)) bad_lang++;
  }
  CHECK_INT(bad_order, 0);
  CHECK_INT(bad_words, 0);
  CHECK_INT(bad_lang, 0);
  /* one depth warning per 50 articles, in input order */
  size_t deep = 0, deep_order = 0;
  for (size_t i = 0; i < gz_digest_diag_count(d); i++) {
    const gz_diag *dg = gz_digest_diag(d, i);
    char want[160];
    snprintf(want, sizeof want,
             "HTML of \"Story %zu\" nested deeper than 8 levels (--max-html-depth); the deeper "
             "markup is flattened to text",
             deep * 50 + 25);
    if (strstr(dg->message, "nested deeper")) deep_order += strcmp(dg->message, want) != 0, deep++;
  }
  CHECK_INT(deep, N_ARTICLES / 50);
  CHECK_INT(deep_order, 0);
}

static void test_jobs_identical(void) {
  gz_buf dump;
  gz_buf_init(&dump, NULL);
  make_dump(&dump);
  gz_buf want;
  gz_buf_init(&want, NULL);
  gz_digest *one = read_with(&dump, 1);
  if (one) {
    check_exact(one);
    describe(one, &want);
    gz_digest_free(one);
  }
  CHECK(want.len > 100000);
  /* four jobs; then four jobs whose three worker threads cannot start;
   * then two of the three */
  const int fails[] = {0, 3, 2};
  for (size_t f = 0; f < GZ_ARRAY_LEN(fails); f++) {
    atomic_store(&g_starts, 0);
    atomic_store(&g_fail_starts, fails[f]);
    gz_digest *d = read_with(&dump, 4);
    CHECK_INT(atomic_load(&g_starts), 3);
    CHECK_INT(atomic_load(&g_fail_starts), 0);
    if (!d) continue;
    check_exact(d);
    gz_buf got;
    gz_buf_init(&got, NULL);
    describe(d, &got);
    CHECK_INT(got.len, want.len);
    CHECK(got.len == want.len && memcmp(got.data, want.data, got.len) == 0);
    gz_buf_free(&got);
    gz_digest_free(d);
  }
  gz_buf_free(&want);
  gz_buf_free(&dump);
}

int main(void) {
  alarm(300); /* a queue that loses a task hangs: fail instead */
  test_jobs_identical();
  TEST_MAIN_END();
}
