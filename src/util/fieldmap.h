/*
 * fieldmap.h - the --field NAME=PATH mappings, parsed once when a digest
 * is made (a malformed one is a usage error before anything is read) and
 * read by every reader: JSON readers follow PATH into a record, the CSV
 * reader takes PATH as a column name.
 *
 * PATH is a dotted path with [n] indexes ("headline.main",
 * "links[0].href"; "[]" is every element: "data.children[].data") or a JSON Pointer (RFC 6901:
 * "/headline/main",
 * "/links/0/href", "~1" for "/" and "~0" for "~" inside a key).
 */
#ifndef GZ_UTIL_FIELDMAP_H
#define GZ_UTIL_FIELDMAP_H

#include "util/util.h"

typedef enum gz_map_name {
  GZ_MAP_ITEMS = 0, /* where the records are */
  GZ_MAP_TITLE,
  GZ_MAP_BODY,
  GZ_MAP_SUMMARY,
  GZ_MAP_DATE,
  GZ_MAP_CAPTURED,
  GZ_MAP_AUTHOR,
  GZ_MAP_URL,
  GZ_MAP_TAGS,
  GZ_MAP_IMAGE,
  GZ_MAP_LANG,
  GZ_MAP_COUNT
} gz_map_name;

/* One step of a path: a member `key[0..len)`, or an array element
 * `index` (key NULL). A JSON Pointer step of digits may be either: it
 * is a key with `index` set too. */
typedef struct gz_path_step {
  const char *key;
  size_t len;
  long index; /* -1 when the step is only a key; -2 for "[]", every element */
} gz_path_step;

typedef struct gz_field_map {
  gz_map_name name;
  const char *spec; /* "NAME=PATH" as given, for messages */
  const char *path; /* PATH as given: the CSV reader's column name */
  gz_path_step *steps;
  size_t n_steps;
} gz_field_map;

/* Parses the dotted PATH p[0..len) ("a.b[2].c", "[]" every element)
 * into at most `cap` steps, whose keys point into p (not copied, not
 * NUL-terminated). Returns how many steps the path has (when more than
 * cap, only the first cap were written), or -1 when it is malformed. The
 * one reading of the dotted form: --field's and the JSON shapes' paths. */
long gz_path_dotted(const char *p, size_t len, gz_path_step *steps, size_t cap);

/* The NAME of a mapping as --field takes it ("title"). */
const char *gz_map_name_str(gz_map_name n);

/* Parses "NAME=PATH" into `out`, its strings and steps in `arena`.
 * Returns 0, or -1 with one plain sentence in msg (unknown NAME, empty
 * or malformed PATH) or "out of memory". */
int gz_field_map_parse(const char *spec, gz_arena *arena, gz_field_map *out, char *msg, size_t cap);

#endif /* GZ_UTIL_FIELDMAP_H */
