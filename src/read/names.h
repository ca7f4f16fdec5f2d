/*
 * names.h - splitting the strings that hold several names: a byline
 * ("By Ann Lee and Bo Park", "Ann Lee, Bo Park; Cy Dunn"), an item of an
 * author list, a tag string ("politics; economy, trade"). The pieces are
 * slices of the input; ingest cleans and de-duplicates them.
 */
#ifndef GZ_READ_NAMES_H
#define GZ_READ_NAMES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum gz_names_mode {
  /* tags: split at ',' and ';' */
  GZ_NAMES_TAGS = 0,
  /* an item of a list of authors the producer split itself: split at ';'
   * only, a leading "By " dropped */
  GZ_NAMES_AUTHOR,
  /* a whole byline in one string: split at ';', ',', " and ", " & "
   * (", and " too), a leading "By " dropped; a name suffix after a comma
   * ("Smith, Jr.") stays with its name */
  GZ_NAMES_BYLINE
} gz_names_mode;

typedef struct gz_names {
  const char *p, *end;
  gz_names_mode mode;
} gz_names;

void gz_names_init(gz_names *it, const char *s, size_t n, gz_names_mode mode);
/* The next name, without the white space around it; false when there
 * are no more. Empty pieces are skipped. */
bool gz_names_next(gz_names *it, const char **name, size_t *len);

#endif /* GZ_READ_NAMES_H */
