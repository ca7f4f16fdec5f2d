/* fuzz_e2e.c - read, group and render an EPUB or a PDF into a temporary
 * folder: the whole pipeline on hostile input. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_options o;
  gz_write_options w;
  fuzz_options(&data, &size, &o, &w);
  o.max_articles = 50;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  if (!d) return 0;
  const char *name = o.input_format == GZ_INPUT_TEXT ? "fuzz.txt" : "fuzz.json";
  gz_digest_add_memory(d, name, data, size, &err);
  if (gz_digest_finish(d, &err) == 0 && gz_digest_counts(d).written > 0) {
    char dir[] = "/tmp/gz-fuzz-XXXXXX";
    if (mkdtemp(dir)) {
      char path[64];
      snprintf(path, sizeof path, "%s/out.%s", dir, w.format == GZ_FORMAT_PDF ? "pdf" : "epub");
      if (gz_digest_write(d, &w, path, &err) != 0 && err.code != GZ_ERR_EMPTY) __builtin_trap();
      unlink(path);
      rmdir(dir);
    }
  }
  gz_digest_free(d);
  return 0;
}
