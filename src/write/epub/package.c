/*
 * package.c - the package document (content.opf): the book's identifier,
 * dates and creator, its files and their order.
 */
#include <string.h>

#include "write/epub/epub.h"

static void make_uuid(const epub_ctx *e, const char *full_title, char *out, size_t cap) {
  uint64_t h1 = gz_hash64(full_title, strlen(full_title), 1);
  uint64_t h2 = gz_hash64(full_title, strlen(full_title), 2);
  h1 = gz_hash_mix(h1, gz_hash64(e->lang, strlen(e->lang), 3));
  gz_walk it;
  gz_walk_init(&it, e->d, e->job->groups, e->job->n_groups, 0);
  gz_walk_ev ev;
  while ((ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    const gz_article *a = it.article;
    if (it.node != GZ_NODE_ARTICLE || ev != GZ_WALK_ENTER) continue;
    uint64_t k = gz_hash_mix(a->title_fp, a->body_fp);
    k = gz_hash_mix(k, a->url_fp);
    k = gz_hash_mix(k, (uint64_t)a->when.utc);
    h1 = gz_hash_mix(h1, k);
    h2 = gz_hash_mix(h2 ^ 0x5555, k);
  }
  gz_walk_free(&it);
  /* RFC 9562 version 8 (custom), variant 10 */
  h1 = (h1 & ~0xF000ULL) | 0x8000ULL;
  h2 = (h2 & ~(3ULL << 62)) | (2ULL << 62);
  snprintf(out, cap, "urn:uuid:%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(h1 >> 32),
           (unsigned long long)((h1 >> 16) & 0xFFFF), (unsigned long long)(h1 & 0xFFFF),
           (unsigned long long)(h2 >> 48), (unsigned long long)(h2 & 0xFFFFFFFFFFFFULL));
}

/* The one source every article of the output shares: the same single
 * author, else the same site (the host of an http or https url); NULL
 * when the articles come from several. `host` holds a site's name. */
static const char *shared_source(const epub_ctx *e, char *host, size_t cap) {
  const char *author = NULL;
  bool one_author = true, one_host = true;
  host[0] = '\0';
  gz_walk it;
  gz_walk_init(&it, e->d, e->job->groups, e->job->n_groups, 0);
  gz_walk_ev ev;
  while ((one_author || one_host) && (ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    const gz_article *a = it.article;
    if (it.node != GZ_NODE_ARTICLE || ev != GZ_WALK_ENTER) continue;
    if (a->n_authors != 1 || (author && strcmp(author, a->authors[0]) != 0))
      one_author = false;
    else
      author = a->authors[0];
    size_t n = a->url ? strlen(a->url) : 0;
    if (!n ||
        !(gz_ascii_iprefix(a->url, n, "http://") || gz_ascii_iprefix(a->url, n, "https://"))) {
      one_host = false;
      continue;
    }
    char h[256];
    gz_url_host(a->url, h, sizeof h);
    if (!h[0] || (host[0] && !gz_ascii_ieq(h, strlen(h), host)))
      one_host = false;
    else if (!host[0])
      gz_strlcpy(host, h, cap);
  }
  gz_walk_free(&it);
  if (one_author && author) return author;
  return one_host && host[0] ? host : NULL;
}

void gz_epub_make_meta(const epub_ctx *e, const gz_job_facts *f, const char *full_title,
                       book_meta *m) {
  make_uuid(e, full_title, m->uuid, sizeof m->uuid);
  gz_format_utc(m->modified, sizeof m->modified, f->modified);
  /* The publication date is the newest article's time (the content's
   * own, so a re-run or a shard gives the same), else the fixed time. */
  int64_t newest = f->newest;
  if (newest == INT64_MIN && e->w->has_modified) newest = e->w->modified;
  m->date[0] = '\0';
  if (newest != INT64_MIN) gz_format_utc(m->date, sizeof m->date, newest);
  m->creator =
      e->w->author && *e->w->author ? e->w->author : shared_source(e, m->host, sizeof m->host);
}

void gz_epub_write_opf(const epub_ctx *e, gz_xw *x, const book_meta *m, const char *title) {
  gz_xw_start_document(x);
  gz_xw_start(x, "package");
  gz_xw_attr(x, "xmlns", "http://www.idpf.org/2007/opf");
  gz_xw_attr(x, "version", "3.0");
  gz_xw_attr(x, "unique-identifier", "uid");
  gz_xw_attr(x, "xml:lang", e->lang);
  gz_xw_start(x, "metadata");
  gz_xw_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  gz_xw_start(x, "dc:identifier");
  gz_xw_attr(x, "id", "uid");
  gz_xw_string(x, m->uuid);
  gz_xw_end(x);
  /* a right-to-left title says so: the package has no direction of its own */
  gz_bidi_info title_bidi;
  gz_bidi_text(title, strlen(title), &title_bidi);
  gz_xw_start(x, "dc:title");
  if (title_bidi.dir == GZ_BIDI_RTL) gz_xw_attr(x, "dir", "rtl");
  gz_xw_string(x, title);
  gz_xw_end(x);
  gz_xml_elem_text(x, "dc:language", e->lang);
  if (m->creator) gz_xml_elem_text(x, "dc:creator", m->creator);
  if (m->date[0]) gz_xml_elem_text(x, "dc:date", m->date);
  gz_xml_elem_text(x, "dc:publisher", "gazette");
  gz_xw_start(x, "meta");
  gz_xw_attr(x, "property", "dcterms:modified");
  gz_xw_string(x, m->modified);
  gz_xw_end(x);
  gz_xw_end(x); /* metadata */

  gz_xw_start(x, "manifest");
  static const char *const fixed[][4] = {
      {"title", "title.xhtml", "application/xhtml+xml", "svg"},
      {"nav", "nav.xhtml", "application/xhtml+xml", "nav"},
      {"ncx", "toc.ncx", "application/x-dtbncx+xml", NULL},
      {"css", "style.css", "text/css", NULL},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(fixed); i++) {
    gz_xw_start(x, "item");
    gz_xw_attr(x, "id", fixed[i][0]);
    gz_xw_attr(x, "href", fixed[i][1]);
    gz_xw_attr(x, "media-type", fixed[i][2]);
    if (fixed[i][3]) gz_xw_attr(x, "properties", fixed[i][3]);
    gz_xw_end(x);
  }
  for (size_t i = 0; i < e->n_parts; i++) {
    char id[32];
    snprintf(id, sizeof id, "c%zu", i + 1);
    gz_xw_start(x, "item");
    gz_xw_attr(x, "id", id);
    gz_xw_attr(x, "href", e->parts[i].name);
    gz_xw_attr(x, "media-type", "application/xhtml+xml");
    gz_xw_end(x);
  }
  gz_xw_end(x); /* manifest */

  gz_xw_start(x, "spine");
  gz_xw_attr(x, "toc", "ncx");
  /* direction.c says when a book turns its pages leftwards */
  if (e->dir == GZ_DIR_RTL) gz_xw_attr(x, "page-progression-direction", "rtl");
  const char *order[] = {"title", "nav"};
  for (size_t i = 0; i < 2; i++) {
    gz_xw_start(x, "itemref");
    gz_xw_attr(x, "idref", order[i]);
    gz_xw_end(x);
  }
  for (size_t i = 0; i < e->n_parts; i++) {
    char id[32];
    snprintf(id, sizeof id, "c%zu", i + 1);
    gz_xw_start(x, "itemref");
    gz_xw_attr(x, "idref", id);
    gz_xw_end(x);
  }
  gz_xw_end(x); /* spine */
  gz_xw_end_document(x);
}
