/* fuzz_text.c - the plain-text reader and the byte clean-up. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_options o;
  fuzz_options(&data, &size, &o, NULL);
  o.input_format = GZ_INPUT_TEXT;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  if (!d) return 0;
  /* Two inputs in one dump: repeated lines across articles count. */
  size_t half = size / 2;
  gz_digest_add_memory(d, "2020-12-07-fuzz.txt", data, half, &err);
  gz_digest_add_memory(d, "fuzz.txt", data + half, size - half, &err);
  if (gz_digest_finish(d, &err) == 0) gz_digest_write_plan(d, 0, fuzz_discard, NULL, &err);
  gz_counts c = gz_digest_counts(d);
  if (c.read != c.written + c.duplicates + c.filtered + c.skipped) __builtin_trap();
  gz_digest_free(d);
  return 0;
}
