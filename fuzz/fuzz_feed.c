/* fuzz_feed.c - the feed reader (RSS 2.0, RSS 1.0, Atom), chosen by a
 * feed extension or by sniffing a ".txt" name, through the library. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_options o;
  fuzz_options(&data, &size, &o, NULL);
  bool sniffed = o.input_format == GZ_INPUT_TEXT;
  o.input_format = GZ_INPUT_AUTO;
  fuzz_read_one(&o, sniffed ? "fuzz.txt" : "fuzz.rss", data, size, 1);
  return 0;
}
