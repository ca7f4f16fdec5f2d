/*
 * fields.h - the article fields readers look for and the names each goes
 * by in the sources (JSON keys today; CSV headers, front matter keys and
 * feed elements use the same names), ranked: when an item gives a field
 * under several names, the one of lower rank wins.
 */
#ifndef GZ_READ_FIELDS_H
#define GZ_READ_FIELDS_H

#include <stddef.h>
#include <stdint.h>

typedef enum gz_field {
  GZ_F_TITLE = 0,
  GZ_F_BODY,
  GZ_F_DATE,
  GZ_F_AUTHOR,
  GZ_F_URL,
  GZ_F_TAGS,
  GZ_F_LANG,
  GZ_F_SUMMARY,  /* a teaser: description, excerpt, trailText */
  GZ_F_CAPTURED, /* saved, crawled or modified: never the publication date */
  GZ_F_IMAGE,    /* the lead image */
  GZ_F_COUNT
} gz_field;

/* What a name says about its value beyond the field. */
enum {
  GZ_FIELD_HTML = 1, /* the value is HTML (content_html) */
  GZ_FIELD_UTC = 2   /* a date without an offset is UTC (date_gmt) */
};

typedef struct gz_field_alias {
  const char *key;
  uint8_t field; /* gz_field */
  uint8_t rank;  /* 0 for a field's first name, then 1, 2, ... in table order */
  uint8_t flags; /* GZ_FIELD_* */
} gz_field_alias;

/* The table, in order of rank within each field. */
extern const gz_field_alias gz_field_aliases[];
extern const size_t gz_n_field_aliases;

/* The alias named exactly key[0..len), or NULL. */
const gz_field_alias *gz_field_find(const char *key, size_t len);

#endif /* GZ_READ_FIELDS_H */
