/* fuzz_markdown.c - the Markdown reader: YAML and TOML front matter
 * (libyaml, the hand-read TOML subset), drafts, Jekyll file names, the
 * first heading as the title, libcmark bodies through the HTML
 * sanitiser, and files over the size limit. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gz_options o;
  fuzz_options(&data, &size, &o, NULL);
  uint8_t c = size > 0 ? data[0] : 0;
  if (size > 0) data++, size--;
  o.input_format = GZ_INPUT_MARKDOWN;
  /* small limits reach the skip of a file over the size limit */
  o.max_article_size = (c & 1) ? (size_t)1 << 20 : 64 + (size_t)(c >> 1) * 64;
  static const char *const names[] = {"post.md", "_posts/2020-12-07-a-slug.markdown",
                                      "2020-02-30-not-a-day.md", "x"};
  fuzz_read_one(&o, names[(c >> 6) & 3], data, size, 0);
  return 0;
}
