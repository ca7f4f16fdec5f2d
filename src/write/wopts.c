/*
 * wopts.c - the write options made safe once, where the library is
 * entered: --title and --author become valid UTF-8 without control
 * characters and with single spaces (as article strings are), and
 * --lang must be a well-formed BCP 47 tag, so neither writer can be handed
 * a string that makes a document malformed.
 */
#include <stddef.h>
#include <string.h>

#include "write/write.h"

/* Repaired (U+FFFD), controls dropped, white space collapsed and trimmed;
 * NULL when out of memory. */
static const char *clean_text(const char *s, gz_arena *arena) {
  gz_buf repaired, collapsed;
  gz_buf_init(&repaired, arena->al);
  gz_buf_init(&collapsed, arena->al);
  gz_utf8_clean_append(&repaired, s, strlen(s));
  gz_buf_put_collapsed(&collapsed, repaired.data ? repaired.data : "", repaired.len);
  const char *out = repaired.failed || collapsed.failed
                        ? NULL
                        : gz_arena_strndup(arena, gz_buf_cstr(&collapsed), collapsed.len);
  gz_buf_free(&repaired);
  gz_buf_free(&collapsed);
  return out;
}

int gz_write_options_clean(const gz_write_options *in, gz_write_options *out, gz_arena *arena,
                           gz_error *err) {
  /* Only the bytes of the caller's struct are read (gz_options's comment
   * in gazette.h); fields it is too old to have keep their defaults. */
  if (in->size < offsetof(gz_write_options, format) + sizeof in->format)
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                        "the write options were not filled by gz_write_options_init");
  gz_write_options_init(out);
  memcpy(out, in, in->size < sizeof *out ? in->size : sizeof *out);
  out->size = sizeof *out;
  if (in->lang && *in->lang && !gz_lang_tag_ok(in->lang)) {
    char shown[64];
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                        "the language %s is not a BCP 47 tag such as en, pt-BR or sr-Latn",
                        gz_printable(in->lang, shown, sizeof shown));
  }
  if (in->title && !(out->title = clean_text(in->title, arena)))
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  if (in->author && !(out->author = clean_text(in->author, arena)))
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  return 0;
}
