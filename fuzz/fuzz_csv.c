/* fuzz_csv.c - the CSV and TSV readers: delimiters told from the header
 * line, quoting across lines and chunks, --field columns, Instapaper's
 * export, and rows over the size limit. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_options o;
  fuzz_options(&data, &size, &o, NULL);
  uint8_t c = size > 0 ? data[0] : 0;
  if (size > 0) data++, size--;
  o.input_format = (c & 1) ? GZ_INPUT_TSV : GZ_INPUT_CSV;
  /* small limits reach the bound on a row libcsv is gathering */
  o.max_article_size = (c & 2) ? (size_t)1 << 20 : 64 + (size_t)(c >> 2) * 64;
  static const char *const maps[] = {"title=Headline", "body=TEXT", "tags=Folder",
                                     "captured=Timestamp", "summary=Selection"};
  if (c & 0x80) {
    o.field_maps = maps;
    o.n_field_maps = sizeof maps / sizeof maps[0];
  }
  fuzz_read_one(&o, "fuzz.csv", data, size, 0);
  return 0;
}
