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
  fuzz_read_one(&o, sniffed ? "fuzz.txt" : "fuzz.html", data, size, 1);
  return 0;
}
