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
  fuzz_finish_and_free(d, 0);
  return 0;
}
