/* fuzz_page.c - the saved-page reader (HTML tree, JSON-LD through yajl,
 * Open Graph, chrome, the index-page rule), chosen by a ".html" name or by
 * sniffing a ".txt" name, through the library. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_options o;
  fuzz_options(&data, &size, &o, NULL);
  bool sniffed = o.input_format == GZ_INPUT_TEXT;
  o.input_format = GZ_INPUT_AUTO;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  if (!d) return 0;
  gz_digest_add_memory(d, sniffed ? "fuzz.txt" : "fuzz.html", data, size, &err);
  if (gz_digest_finish(d, &err) == 0) gz_digest_write_plan(d, 1, fuzz_discard, NULL, &err);
  gz_counts c = gz_digest_counts(d);
  if (c.read != c.written + c.duplicates + c.filtered + c.skipped) __builtin_trap();
  gz_digest_free(d);
  return 0;
}
