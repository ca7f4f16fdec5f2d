/*
 * fields.c - the one table of field names and their ranking (SPEC 1.1),
 * for every reader.
 */
#include <string.h>

#include "read/fields.h"

/* SPEC 1.1's aliases in order of precedence (rank), plus wallabag's
 * published_by and NewsAPI's publishedAt at the end of their lists. */
const gz_field_alias gz_field_aliases[] = {
    {"title", GZ_F_TITLE, 0, 0},
    {"headline", GZ_F_TITLE, 1, 0},
    {"name", GZ_F_TITLE, 2, 0},
    {"content_html", GZ_F_BODY, 0, GZ_FIELD_HTML},
    {"content", GZ_F_BODY, 1, 0},
    {"body", GZ_F_BODY, 2, 0},
    {"text", GZ_F_BODY, 3, 0},
    {"raw_text", GZ_F_BODY, 4, 0},
    {"content_text", GZ_F_BODY, 5, 0},
    {"article", GZ_F_BODY, 6, 0},
    {"description", GZ_F_BODY, 7, 0},
    {"summary", GZ_F_BODY, 8, 0},
    {"date_published", GZ_F_DATE, 0, 0},
    {"published", GZ_F_DATE, 1, 0},
    {"published_at", GZ_F_DATE, 2, 0},
    {"pubDate", GZ_F_DATE, 3, 0},
    {"datePublished", GZ_F_DATE, 4, 0},
    {"date_gmt", GZ_F_DATE, 5, GZ_FIELD_UTC},
    {"date", GZ_F_DATE, 6, 0},
    {"created_at", GZ_F_DATE, 7, 0},
    {"time", GZ_F_DATE, 8, 0},
    {"timestamp", GZ_F_DATE, 9, 0},
    {"publishedAt", GZ_F_DATE, 10, 0},
    {"author", GZ_F_AUTHOR, 0, 0},
    {"authors", GZ_F_AUTHOR, 1, 0},
    {"byline", GZ_F_AUTHOR, 2, 0},
    {"creator", GZ_F_AUTHOR, 3, 0},
    {"published_by", GZ_F_AUTHOR, 4, 0},
    {"url", GZ_F_URL, 0, 0},
    {"link", GZ_F_URL, 1, 0},
    {"permalink", GZ_F_URL, 2, 0},
    {"source_url", GZ_F_URL, 3, 0},
    {"source", GZ_F_URL, 4, 0},
    {"tags", GZ_F_TAGS, 0, 0},
    {"categories", GZ_F_TAGS, 1, 0},
    {"keywords", GZ_F_TAGS, 2, 0},
    {"language", GZ_F_LANG, 0, 0},
    {"lang", GZ_F_LANG, 1, 0},
    {"inLanguage", GZ_F_LANG, 2, 0},
    {"locale", GZ_F_LANG, 3, 0},
};
const size_t gz_n_field_aliases = sizeof gz_field_aliases / sizeof gz_field_aliases[0];

const gz_field_alias *gz_field_find(const char *key, size_t len) {
  for (size_t i = 0; i < gz_n_field_aliases; i++)
    if (strlen(gz_field_aliases[i].key) == len && memcmp(gz_field_aliases[i].key, key, len) == 0)
      return &gz_field_aliases[i];
  return NULL;
}
