/*
 * fields.c - the one table of field names and their ranking (SPEC 1.1),
 * for every reader.
 */
#include <string.h>

#include "read/fields.h"

/* SPEC 1.1's aliases in order of precedence (rank), then the names the
 * known producers use (docs/producers.md), each at the end of its field's
 * list. A teaser (description, summary) is a field of its own: ingest
 * makes it the body only when there is no other. */
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
    {"maintext", GZ_F_BODY, 7, 0},                  /* news-please */
    {"html_content", GZ_F_BODY, 8, GZ_FIELD_HTML},  /* Readwise Reader */
    {"html", GZ_F_BODY, 9, GZ_FIELD_HTML},          /* Ghost */
    {"article_html", GZ_F_BODY, 10, GZ_FIELD_HTML}, /* newspaper */
    {"description", GZ_F_SUMMARY, 0, 0},
    {"summary", GZ_F_SUMMARY, 1, 0},
    {"excerpt", GZ_F_SUMMARY, 2, 0},
    {"standfirst", GZ_F_SUMMARY, 3, 0},
    {"abstract", GZ_F_SUMMARY, 4, 0},
    {"subtitle", GZ_F_SUMMARY, 5, 0},
    {"meta_description", GZ_F_SUMMARY, 6, 0}, /* newspaper */
    {"custom_excerpt", GZ_F_SUMMARY, 7, 0},   /* Ghost */
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
    {"date_publish", GZ_F_DATE, 11, 0},       /* news-please */
    {"publish_date", GZ_F_DATE, 12, 0},       /* newspaper */
    {"pub_date", GZ_F_DATE, 13, 0},           /* NYT */
    {"webPublicationDate", GZ_F_DATE, 14, 0}, /* The Guardian */
    {"published_date", GZ_F_DATE, 15, 0},     /* Readwise Reader */
    {"created_utc", GZ_F_DATE, 16, 0},        /* Reddit */
    {"date_download", GZ_F_CAPTURED, 0, 0},   /* news-please */
    {"crawled_at", GZ_F_CAPTURED, 1, 0},
    {"scraped_at", GZ_F_CAPTURED, 2, 0},
    {"crawled", GZ_F_CAPTURED, 3, 0}, /* webz.io */
    {"saved_at", GZ_F_CAPTURED, 4, 0},
    {"savedAt", GZ_F_CAPTURED, 5, 0},
    {"fetched_at", GZ_F_CAPTURED, 6, 0},
    {"date_crawled", GZ_F_CAPTURED, 7, 0},
    {"filedate", GZ_F_CAPTURED, 8, 0}, /* trafilatura */
    {"author", GZ_F_AUTHOR, 0, 0},
    {"authors", GZ_F_AUTHOR, 1, 0},
    {"byline", GZ_F_AUTHOR, 2, 0},
    {"creator", GZ_F_AUTHOR, 3, 0},
    {"published_by", GZ_F_AUTHOR, 4, 0},
    {"url", GZ_F_URL, 0, 0},
    {"link", GZ_F_URL, 1, 0},
    {"permalink", GZ_F_URL, 2, 0},
    {"web_url", GZ_F_URL, 3, 0}, /* NYT */
    {"webUrl", GZ_F_URL, 4, 0},  /* The Guardian */
    {"source_url", GZ_F_URL, 5, 0},
    {"source", GZ_F_URL, 6, 0},
    {"tags", GZ_F_TAGS, 0, 0},
    {"categories", GZ_F_TAGS, 1, 0},
    {"keywords", GZ_F_TAGS, 2, 0},
    {"labels", GZ_F_TAGS, 3, 0}, /* Omnivore */
    {"language", GZ_F_LANG, 0, 0},
    {"lang", GZ_F_LANG, 1, 0},
    {"inLanguage", GZ_F_LANG, 2, 0},
    {"locale", GZ_F_LANG, 3, 0},
    {"image", GZ_F_IMAGE, 0, 0},
    {"image_url", GZ_F_IMAGE, 1, 0},
    {"urlToImage", GZ_F_IMAGE, 2, 0}, /* NewsAPI */
    {"top_image", GZ_F_IMAGE, 3, 0},  /* newspaper */
    {"thumbnail", GZ_F_IMAGE, 4, 0},
    {"preview_picture", GZ_F_IMAGE, 5, 0}, /* wallabag */
    {"feature_image", GZ_F_IMAGE, 6, 0},   /* Ghost */
    {"lead_image_url", GZ_F_IMAGE, 7, 0},
    {"banner_image", GZ_F_IMAGE, 8, 0},  /* JSON Feed */
    {"top_image_url", GZ_F_IMAGE, 9, 0}, /* Pocket */
};
const size_t gz_n_field_aliases = sizeof gz_field_aliases / sizeof gz_field_aliases[0];

const gz_field_alias *gz_field_find(const char *key, size_t len) {
  for (size_t i = 0; i < gz_n_field_aliases; i++)
    if (strlen(gz_field_aliases[i].key) == len && memcmp(gz_field_aliases[i].key, key, len) == 0)
      return &gz_field_aliases[i];
  return NULL;
}
