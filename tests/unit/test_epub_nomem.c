/*
 * test_epub_nomem.c - libxml2 running out of memory while an EPUB is
 * written. Every allocation libxml2 makes during gz_digest_write fails in
 * turn (the n-th for every n, in the manner of curl's torture tests); each
 * write must either report GZ_ERR_NOMEM or GZ_ERR_OUTPUT and leave no
 * file, or succeed with exactly the bytes of an undisturbed write: never
 * a document cut short, zipped and reported as success.
 */
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "testing.h"

static atomic_long calls;
static long fail_at; /* 0: never */

static bool fail_now(void) {
  long n = atomic_fetch_add(&calls, 1) + 1;
  return fail_at && n == fail_at;
}

static void *t_malloc(size_t n) { return fail_now() ? NULL : malloc(n); }

static void *t_realloc(void *p, size_t n) { return fail_now() ? NULL : realloc(p, n); }

static char *t_strdup(const char *s) { return fail_now() ? NULL : strdup(s); }

static const char input[] =
    "[{\"title\": \"Harbour & <Bridge>\", \"date\": \"2020-12-07T09:30:00Z\", \"author\": \"A. "
    "Writer\", \"url\": \"https://news.example/a\", \"tags\": [\"port\", \"roads\"], \"content\": "
    "\"<p>First <em>paragraph</em> with <a href='https://x.example/'>a link</a>.</p><ul><li>one</"
    "li><li>two<ol><li>nested</li></ol></li></ul><blockquote><p>quoted</p></blockquote><h2>Sub</"
    "h2><pre>code\\nline</pre><hr/>\"},\n"
    " {\"title\": \"Second\", \"date\": \"2020-12-08T10:00:00Z\", \"content\": \"<p>Two.</p>\"},\n"
    " {\"title\": \"Third\", \"content\": \"<p>No date.</p>\"}]\n";

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *data = NULL;
  size_t cap = 0, n = 0, r;
  do {
    if (n + 4096 > cap) {
      cap = cap ? cap * 2 : 65536;
      char *bigger = realloc(data, cap);
      if (!bigger) break;
      data = bigger;
    }
    r = fread(data + n, 1, cap - n, f);
    n += r;
  } while (r > 0);
  fclose(f);
  *len = n;
  return data;
}

int main(void) {
  xmlInitParser();
  if (xmlMemSetup(free, t_malloc, t_realloc, t_strdup) != 0) {
    fprintf(stderr, "xmlMemSetup failed\n");
    return 1;
  }
  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) TEST_MAIN_END();
  CHECK_INT(gz_digest_add_memory(d, "in.json", input, sizeof input - 1, &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);

  char dir[] = "/tmp/gz-nomem-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/out.epub", dir);
  gz_write_options w;
  gz_write_options_init(&w);
  w.jobs = 1; /* one thread: the n-th allocation is the same one each time */
  w.modified = 1600000000;
  w.has_modified = 1;

  atomic_store(&calls, 0);
  CHECK_INT(gz_digest_write(d, &w, path, &err), 0);
  long total = atomic_load(&calls);
  size_t ref_len = 0;
  char *ref = slurp(path, &ref_len);
  CHECK(ref != NULL && ref_len > 1000);
  CHECK(total > 100);
  printf("an undisturbed write makes %ld libxml2 allocations\n", total);
  unlink(path);

  long reported = 0, bad = 0;
  for (long n = 1; n <= total; n++) {
    fail_at = n;
    atomic_store(&calls, 0);
    gz_error_clear(&err);
    int rc = gz_digest_write(d, &w, path, &err);
    fail_at = 0;
    size_t len = 0;
    char *got = slurp(path, &len);
    if (rc != 0) {
      reported++;
      if ((err.code != GZ_ERR_NOMEM && err.code != GZ_ERR_OUTPUT) || got) {
        if (bad++ < 5)
          fprintf(stderr, "allocation %ld: error %d (%s), file %s\n", n, (int)err.code, err.message,
                  got ? "left behind" : "absent");
      }
    } else if (!got || len != ref_len || memcmp(got, ref, len) != 0) {
      if (bad++ < 5)
        fprintf(stderr, "allocation %ld failed, the write reported success with other bytes\n", n);
    }
    free(got);
    unlink(path);
  }
  printf("%ld of %ld failing allocations reported as errors\n", reported, total);
  CHECK_INT(bad, 0);
  CHECK(reported > 0);
  free(ref);
  rmdir(dir);
  gz_digest_free(d);
  TEST_MAIN_END();
}
