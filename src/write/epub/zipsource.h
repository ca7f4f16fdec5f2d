/*
 * zipsource.h - what the EPUB's read-only libzip sources (container.c's
 * deflated parts, images.c's pictures) answer alike: every command but
 * OPEN, READ and STAT, which each source answers from its own bytes.
 *
 * The commands and their answers are those of libzip's
 * zip_source_function(3) (https://libzip.org/documentation/zip_source_function.html).
 */
#ifndef GZ_WRITE_EPUB_ZIPSOURCE_H
#define GZ_WRITE_EPUB_ZIPSOURCE_H

#include <zip.h>

/* Call from a source callback's default case. Our sources keep no error
 * of their own, so ERROR answers with an empty one; they hold nothing
 * that CLOSE or FREE must let go (their owners free their bytes); and
 * SUPPORTS names only the read commands, so libzip neither seeks in nor
 * writes to them. */
static inline zip_int64_t gz_zip_source_rest(void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
  switch (cmd) {
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_ERROR: {
      zip_error_t ze;
      zip_error_init(&ze);
      return zip_error_to_data(&ze, data, len);
    }
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
  }
}

#endif /* GZ_WRITE_EPUB_ZIPSOURCE_H */
