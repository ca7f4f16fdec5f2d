/* fuzz_json.c - the JSON and JSON Lines readers, through the library. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_options o;
  fuzz_options(&data, &size, &o, NULL);
  bool lines = o.input_format == GZ_INPUT_JSONL;
  o.input_format = GZ_INPUT_AUTO;
  fuzz_read_one(&o, lines ? "fuzz.jsonl" : "fuzz.json", data, size, 1);
  return 0;
}
