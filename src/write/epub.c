/*
 * epub.c - EPUB 3 digests (with an EPUB 2 toc.ncx) in a libzip container.
 *
 * Content documents are planned before anything is rendered: one per
 * group, cut into parts of about 300 KB by the sizes recorded in the
 * spool. Parts are then rendered and deflated by worker threads, each
 * into its own buffer, and handed to libzip already compressed (a source
 * whose stat says "deflate"), so libzip only copies them. The bytes never
 * depend on the number of threads. Everything that is not a body (package
 * document, navigation, title page) is written in the calling thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <zlib.h>

#include "write/xhtml.h"

#define W(x) (const xmlChar *)(x)
#define PART_BYTES (280u * 1024u)
#define DEFAULT_LEVEL 3

/* Deflated bytes ready for the container. */
typedef struct zblob {
  unsigned char *data;
  size_t comp_len;
  size_t raw_len;
  unsigned long crc;
  size_t pos; /* read position for libzip */
} zblob;

typedef struct part {
  size_t group; /* index in job->groups */
  size_t first; /* first item of the group in this part */
  size_t count;
  int number; /* 1 for a group's first part */
  char name[40];
  zblob z; /* rendered and deflated */
} part;

typedef struct epub_ctx {
  gz_digest *d;
  const gz_write_options *w;
  gz_job *job;
  part *parts;
  size_t n_parts;
  int level;
  const char *lang;
  /* the first failure of a worker (parts are many: one error, not one each) */
  pthread_mutex_t err_lock;
  gz_error err;
  bool failed;
  bool nomem; /* a small document could not be deflated */
} epub_ctx;

/* Records a worker's failure; the first one is reported. */
static int part_fail(epub_ctx *e, const gz_error *err) {
  pthread_mutex_lock(&e->err_lock);
  if (!e->failed) {
    e->err = *err;
    e->failed = true;
  }
  pthread_mutex_unlock(&e->err_lock);
  return -1;
}

/* ---- planning ---- */

static int plan_parts(epub_ctx *e) {
  const gz_job *job = e->job;
  size_t cap = 0;
  for (size_t g = 0; g < job->n_groups; g++) {
    const gz_group *grp = &job->groups[g];
    size_t est = 0, first = 0;
    int number = 1;
    for (size_t i = 0; i <= grp->n_items; i++) {
      bool last = i == grp->n_items;
      size_t size = 0;
      if (!last) {
        const gz_article *a = &e->d->articles[grp->items[i]];
        size = a->spool_len + (a->title ? strlen(a->title) : 0) + 512;
      }
      if (last || (est + size > PART_BYTES && i > first)) {
        if (gz_grow(e->d->al, (void **)&e->parts, &cap, e->n_parts + 1, sizeof *e->parts))
          return -1;
        part *p = &e->parts[e->n_parts++];
        memset(p, 0, sizeof *p);
        p->group = g;
        p->first = first;
        p->count = i - first;
        p->number = number;
        if (number == 1)
          snprintf(p->name, sizeof p->name, "g%04zu.xhtml", g + 1);
        else
          snprintf(p->name, sizeof p->name, "g%04zu-%d.xhtml", g + 1, number);
        number++;
        first = i;
        est = 0;
      }
      est += size;
    }
  }
  return 0;
}

/* The part holding item `i` of group `g`. plan_parts makes them in
 * (group, first item) order, so a binary search finds it: the nav and
 * the NCX ask once per article. */
static const part *part_of(const epub_ctx *e, size_t g, size_t i) {
  size_t lo = 0, hi = e->n_parts;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const part *p = &e->parts[mid];
    if (p->group < g || (p->group == g && p->first + p->count <= i))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == e->n_parts) return NULL;
  const part *p = &e->parts[lo];
  return p->group == g && i >= p->first && i < p->first + p->count ? p : NULL;
}

/* ---- rendering a part ---- */

/* Raw deflate with a window sized to the input: zlib clears its hash
 * tables on every init, and for the many small files of a --split run
 * clearing 256 KB each time cost more than compressing. */
static int deflate_into(const gz_allocator *al, zblob *z, const unsigned char *src, size_t len,
                        int level) {
  int bits = 9;
  while (bits < 15 && ((size_t)1 << bits) < len) bits++;
  int mem = bits - 6 < 1 ? 1 : bits - 6 > 8 ? 8 : bits - 6;
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  zs.zalloc = gz_zalloc;
  zs.zfree = gz_zfree;
  zs.opaque = (voidpf)al;
  if (deflateInit2(&zs, level, Z_DEFLATED, -bits, mem, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
  uLong bound = deflateBound(&zs, (uLong)len);
  z->data = gz_malloc(al, bound);
  if (!z->data) {
    deflateEnd(&zs);
    return -1;
  }
  zs.next_in = (Bytef *)src;
  zs.avail_in = (uInt)len;
  zs.next_out = z->data;
  zs.avail_out = (uInt)bound;
  int rc = deflate(&zs, Z_FINISH);
  z->comp_len = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return -1;
  z->raw_len = len;
  z->crc = crc32(crc32(0, Z_NULL, 0), src, (uInt)len);
  /* Parts wait in memory until the container is written: keep only
   * what the compressed bytes need, not deflate's worst case. */
  unsigned char *fit = gz_realloc(al, z->data, z->comp_len);
  if (fit) z->data = fit;
  return 0;
}

static int write_article(epub_ctx *e, xmlTextWriterPtr w, const gz_article *a,
                         const gz_body *body) {
  char id[32];
  snprintf(id, sizeof id, "a%u", a->order + 1);
  xmlTextWriterStartElement(w, W("article"));
  xmlTextWriterWriteAttribute(w, W("id"), W(id));
  if (a->lang && strcmp(a->lang, e->lang) != 0) {
    xmlTextWriterWriteAttribute(w, W("xml:lang"), W(a->lang));
    xmlTextWriterWriteAttribute(w, W("lang"), W(a->lang));
  }
  gz_xml_elem_text(w, "h2", a->title ? a->title : "Untitled");
  int rc = gz_xhtml_meta(w, e->d, a);
  if (gz_xhtml_body(w, e->d->al, body, 3)) rc = -1;
  xmlTextWriterEndElement(w);
  return rc;
}

static int render_part(epub_ctx *e, part *p) {
  gz_error err;
  gz_error_clear(&err);
  const gz_group *grp = &e->job->groups[p->group];
  xmlBufferPtr buf = xmlBufferCreateSize(PART_BYTES + PART_BYTES / 2);
  xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
  if (!w) {
    if (buf) xmlBufferFree(buf);
    gz_error_set(&err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return part_fail(e, &err);
  }
  gz_xhtml_start(w, e->lang, grp->label, true);
  if (p->number == 1) {
    char id[32];
    snprintf(id, sizeof id, "g%zu", p->group + 1);
    xmlTextWriterStartElement(w, W("h1"));
    xmlTextWriterWriteAttribute(w, W("id"), W(id));
    xmlTextWriterWriteString(w, W(grp->label));
    xmlTextWriterEndElement(w);
  }
  gz_arena arena;
  gz_arena_init(&arena, e->d->al);
  int rc = 0;
  for (size_t i = p->first; i < p->first + p->count && rc == 0; i++) {
    const gz_article *a = &e->d->articles[grp->items[i]];
    gz_body body;
    if (gz_body_load(e->d, a, &arena, &body, &err)) {
      rc = -1;
      break;
    }
    if (write_article(e, w, a, &body)) {
      rc = gz_error_set(&err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      break;
    }
    gz_arena_clear(&arena);
    gz_progress_written(e->d);
    if (gz_canceled(e->d)) rc = gz_error_set(&err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
  }
  gz_arena_clear(&arena);
  gz_xhtml_end(w);
  xmlFreeTextWriter(w);
  if (rc == 0 &&
      deflate_into(e->d->al, &p->z, xmlBufferContent(buf), (size_t)xmlBufferLength(buf), e->level))
    rc = gz_error_set(&err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while compressing");
  xmlBufferFree(buf);
  return rc ? part_fail(e, &err) : 0;
}

static void render_nth_part(void *ctx, size_t i) {
  epub_ctx *e = ctx;
  render_part(e, &e->parts[i]); /* a failure is kept in e->err */
}

/* ---- the small documents ---- */

typedef struct doc {
  xmlBufferPtr buf;
  xmlTextWriterPtr w;
} doc;

static int doc_open(doc *dc) {
  dc->buf = xmlBufferCreate();
  dc->w = dc->buf ? xmlNewTextWriterMemory(dc->buf, 0) : NULL;
  return dc->w ? 0 : -1;
}

static void doc_close(doc *dc) {
  if (dc->w) {
    xmlTextWriterFlush(dc->w);
    xmlFreeTextWriter(dc->w);
    dc->w = NULL;
  }
}

static void doc_free(doc *dc) {
  doc_close(dc);
  if (dc->buf) xmlBufferFree(dc->buf);
  dc->buf = NULL;
}

static const char container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

/* Small and plain, for e-ink: the reader's own font and margins, clear
 * breaks between days, no colours that grey out. */
static const char style_css[] =
    "body { font-family: serif; line-height: 1.45; margin: 0 0.4em; }\n"
    "h1 { font-size: 1.5em; margin: 0.6em 0 0.8em; page-break-before: always; "
    "break-before: page; }\n"
    "h2 { font-size: 1.25em; line-height: 1.25; margin: 1.6em 0 0.3em; "
    "page-break-after: avoid; break-after: avoid; }\n"
    "h3, h4, h5, h6 { font-size: 1.05em; margin: 1.1em 0 0.3em; page-break-after: avoid; "
    "break-after: avoid; }\n"
    "p { margin: 0 0 0.65em; }\n"
    "p.meta { font-family: sans-serif; font-size: 0.8em; margin: 0 0 1em; }\n"
    "p.tags { font-family: sans-serif; font-size: 0.75em; font-style: italic; "
    "margin: -0.6em 0 1em; }\n"
    "article { margin: 0 0 1.5em; }\n"
    "article + article { border-top: 1px solid #000; padding-top: 0.2em; }\n"
    "blockquote { margin: 0.6em 0 0.6em 1.2em; padding-left: 0.6em; border-left: 2px solid "
    "#000; }\n"
    "pre { font-size: 0.85em; white-space: pre-wrap; overflow-wrap: break-word; }\n"
    "code { font-family: monospace; }\n"
    "ul, ol { margin: 0 0 0.65em 1.4em; padding: 0; }\n"
    "li { margin: 0 0 0.3em; }\n"
    "hr { border: 0; border-top: 1px solid #000; margin: 1em 20%; }\n"
    "a { color: inherit; }\n"
    "nav ol { list-style: none; margin: 0; padding: 0; }\n"
    "nav ol ol { margin: 0.2em 0 0.6em 1.2em; font-size: 0.9em; }\n"
    "nav li { margin: 0.2em 0; }\n"
    ".titlepage { text-align: center; margin-top: 2em; }\n"
    ".titlepage h1 { page-break-before: avoid; break-before: avoid; font-size: 2em; "
    "margin: 0.5em 0 0.2em; }\n"
    ".titlepage .range { font-size: 1.2em; margin: 0 0 1.5em; }\n"
    ".titlepage .counts { margin: 0 0 1.5em; }\n"
    ".titlepage .author { font-style: italic; }\n"
    ".chart { width: 100%; max-width: 36em; }\n";

static void make_uuid(const epub_ctx *e, const char *full_title, char *out, size_t cap) {
  uint64_t h1 = gz_hash64(full_title, strlen(full_title), 1);
  uint64_t h2 = gz_hash64(full_title, strlen(full_title), 2);
  h1 = gz_hash_mix(h1, gz_hash64(e->lang, strlen(e->lang), 3));
  for (size_t g = 0; g < e->job->n_groups; g++) {
    const gz_group *grp = &e->job->groups[g];
    for (size_t i = 0; i < grp->n_items; i++) {
      const gz_article *a = &e->d->articles[grp->items[i]];
      uint64_t k = gz_hash_mix(a->title_fp, a->body_fp);
      k = gz_hash_mix(k, a->url_fp);
      k = gz_hash_mix(k, (uint64_t)a->when.utc);
      h1 = gz_hash_mix(h1, k);
      h2 = gz_hash_mix(h2 ^ 0x5555, k);
    }
  }
  /* RFC 9562 version 8 (custom), variant 10 */
  h1 = (h1 & ~0xF000ULL) | 0x8000ULL;
  h2 = (h2 & ~(3ULL << 62)) | (2ULL << 62);
  snprintf(out, cap, "urn:uuid:%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(h1 >> 32),
           (unsigned long long)((h1 >> 16) & 0xFFFF), (unsigned long long)(h1 & 0xFFFF),
           (unsigned long long)(h2 >> 48), (unsigned long long)(h2 & 0xFFFFFFFFFFFFULL));
}

static void write_opf(const epub_ctx *e, xmlTextWriterPtr w, const char *uuid, const char *title,
                      const char *modified) {
  xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
  xmlTextWriterStartElement(w, W("package"));
  xmlTextWriterWriteAttribute(w, W("xmlns"), W("http://www.idpf.org/2007/opf"));
  xmlTextWriterWriteAttribute(w, W("version"), W("3.0"));
  xmlTextWriterWriteAttribute(w, W("unique-identifier"), W("uid"));
  xmlTextWriterWriteAttribute(w, W("xml:lang"), W(e->lang));
  xmlTextWriterStartElement(w, W("metadata"));
  xmlTextWriterWriteAttribute(w, W("xmlns:dc"), W("http://purl.org/dc/elements/1.1/"));
  xmlTextWriterStartElement(w, W("dc:identifier"));
  xmlTextWriterWriteAttribute(w, W("id"), W("uid"));
  xmlTextWriterWriteString(w, W(uuid));
  xmlTextWriterEndElement(w);
  gz_xml_elem_text(w, "dc:title", title);
  gz_xml_elem_text(w, "dc:language", e->lang);
  if (e->w->author && *e->w->author) gz_xml_elem_text(w, "dc:creator", e->w->author);
  gz_xml_elem_text(w, "dc:publisher", "gazette");
  xmlTextWriterStartElement(w, W("meta"));
  xmlTextWriterWriteAttribute(w, W("property"), W("dcterms:modified"));
  xmlTextWriterWriteString(w, W(modified));
  xmlTextWriterEndElement(w);
  xmlTextWriterEndElement(w); /* metadata */

  xmlTextWriterStartElement(w, W("manifest"));
  static const char *const fixed[][4] = {
      {"title", "title.xhtml", "application/xhtml+xml", "svg"},
      {"nav", "nav.xhtml", "application/xhtml+xml", "nav"},
      {"ncx", "toc.ncx", "application/x-dtbncx+xml", NULL},
      {"css", "style.css", "text/css", NULL},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(fixed); i++) {
    xmlTextWriterStartElement(w, W("item"));
    xmlTextWriterWriteAttribute(w, W("id"), W(fixed[i][0]));
    xmlTextWriterWriteAttribute(w, W("href"), W(fixed[i][1]));
    xmlTextWriterWriteAttribute(w, W("media-type"), W(fixed[i][2]));
    if (fixed[i][3]) xmlTextWriterWriteAttribute(w, W("properties"), W(fixed[i][3]));
    xmlTextWriterEndElement(w);
  }
  for (size_t i = 0; i < e->n_parts; i++) {
    char id[32];
    snprintf(id, sizeof id, "c%zu", i + 1);
    xmlTextWriterStartElement(w, W("item"));
    xmlTextWriterWriteAttribute(w, W("id"), W(id));
    xmlTextWriterWriteAttribute(w, W("href"), W(e->parts[i].name));
    xmlTextWriterWriteAttribute(w, W("media-type"), W("application/xhtml+xml"));
    xmlTextWriterEndElement(w);
  }
  xmlTextWriterEndElement(w); /* manifest */

  xmlTextWriterStartElement(w, W("spine"));
  xmlTextWriterWriteAttribute(w, W("toc"), W("ncx"));
  const char *order[] = {"title", "nav"};
  for (size_t i = 0; i < 2; i++) {
    xmlTextWriterStartElement(w, W("itemref"));
    xmlTextWriterWriteAttribute(w, W("idref"), W(order[i]));
    xmlTextWriterEndElement(w);
  }
  for (size_t i = 0; i < e->n_parts; i++) {
    char id[32];
    snprintf(id, sizeof id, "c%zu", i + 1);
    xmlTextWriterStartElement(w, W("itemref"));
    xmlTextWriterWriteAttribute(w, W("idref"), W(id));
    xmlTextWriterEndElement(w);
  }
  xmlTextWriterEndElement(w); /* spine */
  xmlTextWriterEndDocument(w);
}

static void article_href(const epub_ctx *e, size_t g, size_t i, char *out, size_t cap) {
  const part *p = part_of(e, g, i);
  const gz_article *a = &e->d->articles[e->job->groups[g].items[i]];
  snprintf(out, cap, "%s#a%u", p ? p->name : "", a->order + 1);
}

static void write_nav(const epub_ctx *e, xmlTextWriterPtr w) {
  gz_xhtml_start(w, e->lang, "Contents", true);
  xmlTextWriterStartElement(w, W("nav"));
  xmlTextWriterWriteAttribute(w, W("epub:type"), W("toc"));
  xmlTextWriterWriteAttribute(w, W("id"), W("toc"));
  gz_xml_elem_text(w, "h1", "Contents");
  xmlTextWriterStartElement(w, W("ol"));
  for (size_t g = 0; g < e->job->n_groups; g++) {
    const gz_group *grp = &e->job->groups[g];
    const part *first = part_of(e, g, 0);
    xmlTextWriterStartElement(w, W("li"));
    xmlTextWriterStartElement(w, W("a"));
    xmlTextWriterWriteAttribute(w, W("href"), W(first ? first->name : ""));
    xmlTextWriterWriteString(w, W(grp->label));
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, W("ol"));
    for (size_t i = 0; i < grp->n_items; i++) {
      char href[64];
      article_href(e, g, i, href, sizeof href);
      const gz_article *a = &e->d->articles[grp->items[i]];
      xmlTextWriterStartElement(w, W("li"));
      xmlTextWriterStartElement(w, W("a"));
      xmlTextWriterWriteAttribute(w, W("href"), W(href));
      xmlTextWriterWriteString(w, W(a->title ? a->title : "Untitled"));
      xmlTextWriterEndElement(w);
      xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w); /* ol */
    xmlTextWriterEndElement(w); /* li */
  }
  xmlTextWriterEndElement(w); /* ol */
  xmlTextWriterEndElement(w); /* nav */

  xmlTextWriterStartElement(w, W("nav"));
  xmlTextWriterWriteAttribute(w, W("epub:type"), W("landmarks"));
  xmlTextWriterWriteAttribute(w, W("hidden"), W("hidden"));
  xmlTextWriterStartElement(w, W("ol"));
  static const char *const marks[][3] = {
      {"titlepage", "title.xhtml", "Title page"},
      {"toc", "nav.xhtml", "Contents"},
      {"bodymatter", NULL, "Articles"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(marks); i++) {
    const char *href = marks[i][1] ? marks[i][1] : e->parts[0].name;
    xmlTextWriterStartElement(w, W("li"));
    xmlTextWriterStartElement(w, W("a"));
    xmlTextWriterWriteAttribute(w, W("epub:type"), W(marks[i][0]));
    xmlTextWriterWriteAttribute(w, W("href"), W(href));
    xmlTextWriterWriteString(w, W(marks[i][2]));
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w);
  }
  xmlTextWriterEndElement(w);
  xmlTextWriterEndElement(w);
  gz_xhtml_end(w);
}

static void ncx_point(xmlTextWriterPtr w, const char *id, int order, const char *label,
                      const char *src) {
  xmlTextWriterStartElement(w, W("navPoint"));
  xmlTextWriterWriteAttribute(w, W("id"), W(id));
  xmlTextWriterWriteFormatAttribute(w, W("playOrder"), "%d", order);
  xmlTextWriterStartElement(w, W("navLabel"));
  gz_xml_elem_text(w, "text", label);
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, W("content"));
  xmlTextWriterWriteAttribute(w, W("src"), W(src));
  xmlTextWriterEndElement(w);
}

static void write_ncx(const epub_ctx *e, xmlTextWriterPtr w, const char *uuid, const char *title) {
  xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
  xmlTextWriterStartElement(w, W("ncx"));
  xmlTextWriterWriteAttribute(w, W("xmlns"), W("http://www.daisy.org/z3986/2005/ncx/"));
  xmlTextWriterWriteAttribute(w, W("version"), W("2005-1"));
  xmlTextWriterWriteAttribute(w, W("xml:lang"), W(e->lang));
  xmlTextWriterStartElement(w, W("head"));
  const char *metas[][2] = {{"dtb:uid", uuid},
                            {"dtb:depth", "2"},
                            {"dtb:totalPageCount", "0"},
                            {"dtb:maxPageNumber", "0"}};
  for (size_t i = 0; i < 4; i++) {
    xmlTextWriterStartElement(w, W("meta"));
    xmlTextWriterWriteAttribute(w, W("name"), W(metas[i][0]));
    xmlTextWriterWriteAttribute(w, W("content"), W(metas[i][1]));
    xmlTextWriterEndElement(w);
  }
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, W("docTitle"));
  gz_xml_elem_text(w, "text", title);
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, W("navMap"));
  int order = 1;
  for (size_t g = 0; g < e->job->n_groups; g++) {
    const gz_group *grp = &e->job->groups[g];
    const part *first = part_of(e, g, 0);
    char id[32];
    snprintf(id, sizeof id, "g%zu", g + 1);
    ncx_point(w, id, order++, grp->label, first ? first->name : "");
    for (size_t i = 0; i < grp->n_items; i++) {
      char href[64];
      article_href(e, g, i, href, sizeof href);
      const gz_article *a = &e->d->articles[grp->items[i]];
      snprintf(id, sizeof id, "a%u", a->order + 1);
      ncx_point(w, id, order++, a->title ? a->title : "Untitled", href);
      xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
  }
  xmlTextWriterEndDocument(w);
}

/* A bar per group, articles per group as height: small and legible on
 * e-ink (black bars, no colour). */
static void write_chart(const epub_ctx *e, xmlTextWriterPtr w) {
  size_t n = e->job->n_groups, max = 1;
  for (size_t g = 0; g < n; g++)
    if (e->job->groups[g].n_items > max) max = e->job->groups[g].n_items;
  const double width = 600, height = 240, top = 20, bottom = 200, left = 10, right = 590;
  double slot = (right - left) / (double)n, bar = slot * 0.7;
  xmlTextWriterStartElement(w, W("svg"));
  xmlTextWriterWriteAttribute(w, W("xmlns"), W("http://www.w3.org/2000/svg"));
  xmlTextWriterWriteFormatAttribute(w, W("viewBox"), "0 0 %.0f %.0f", width, height);
  xmlTextWriterWriteAttribute(w, W("class"), W("chart"));
  xmlTextWriterWriteAttribute(w, W("role"), W("img"));
  xmlTextWriterWriteAttribute(w, W("aria-label"), W("Articles per group"));
  gz_xml_elem_text(w, "title", "Articles per group");
  xmlTextWriterStartElement(w, W("line"));
  xmlTextWriterWriteFormatAttribute(w, W("x1"), "%.0f", left);
  xmlTextWriterWriteFormatAttribute(w, W("x2"), "%.0f", right);
  xmlTextWriterWriteFormatAttribute(w, W("y1"), "%.0f", bottom);
  xmlTextWriterWriteFormatAttribute(w, W("y2"), "%.0f", bottom);
  xmlTextWriterWriteAttribute(w, W("stroke"), W("#000"));
  xmlTextWriterEndElement(w);
  for (size_t g = 0; g < n; g++) {
    const gz_group *grp = &e->job->groups[g];
    double h = (bottom - top) * (double)grp->n_items / (double)max;
    double x = left + slot * (double)g + (slot - bar) / 2;
    xmlTextWriterStartElement(w, W("rect"));
    xmlTextWriterWriteFormatAttribute(w, W("x"), "%.2f", x);
    xmlTextWriterWriteFormatAttribute(w, W("y"), "%.2f", bottom - h);
    xmlTextWriterWriteFormatAttribute(w, W("width"), "%.2f", bar);
    xmlTextWriterWriteFormatAttribute(w, W("height"), "%.2f", h);
    xmlTextWriterWriteAttribute(w, W("fill"), W("#222"));
    gz_xml_elem_text(w, "title", grp->label);
    xmlTextWriterEndElement(w);
    if (n <= 31) {
      xmlTextWriterStartElement(w, W("text"));
      xmlTextWriterWriteFormatAttribute(w, W("x"), "%.2f", x + bar / 2);
      xmlTextWriterWriteFormatAttribute(w, W("y"), "%.2f", bottom - h - 4);
      xmlTextWriterWriteAttribute(w, W("font-size"), W("11"));
      xmlTextWriterWriteAttribute(w, W("text-anchor"), W("middle"));
      xmlTextWriterWriteFormatAttribute(w, W("font-family"), "sans-serif");
      xmlTextWriterWriteFormatString(w, "%zu", grp->n_items);
      xmlTextWriterEndElement(w);
    }
  }
  /* Few groups: each bar gets its short label; many: the first and the
   * last group under the axis. */
  if (n <= 12) {
    for (size_t g = 0; g < n; g++) {
      xmlTextWriterStartElement(w, W("text"));
      xmlTextWriterWriteFormatAttribute(w, W("x"), "%.2f", left + slot * (double)g + slot / 2);
      xmlTextWriterWriteAttribute(w, W("y"), W("218"));
      xmlTextWriterWriteAttribute(w, W("font-size"), W("12"));
      xmlTextWriterWriteAttribute(w, W("font-family"), W("sans-serif"));
      xmlTextWriterWriteAttribute(w, W("text-anchor"), W("middle"));
      xmlTextWriterWriteString(w, W(e->job->groups[g].short_label));
      xmlTextWriterEndElement(w);
    }
  }
  for (int end = 0; end < 2 && n > 12; end++) {
    const gz_group *grp = &e->job->groups[end ? n - 1 : 0];
    if (end && n == 1) break;
    xmlTextWriterStartElement(w, W("text"));
    xmlTextWriterWriteFormatAttribute(w, W("x"), "%.0f", end ? right : left);
    xmlTextWriterWriteAttribute(w, W("y"), W("222"));
    xmlTextWriterWriteAttribute(w, W("font-size"), W("12"));
    xmlTextWriterWriteAttribute(w, W("font-family"), W("sans-serif"));
    xmlTextWriterWriteAttribute(w, W("text-anchor"), W(end ? "end" : "start"));
    xmlTextWriterWriteString(w, W(grp->label));
    xmlTextWriterEndElement(w);
  }
  xmlTextWriterEndElement(w); /* svg */
}

static void write_title_page(epub_ctx *e, xmlTextWriterPtr w, const gz_job_facts *f,
                             const char *full_title) {
  gz_xhtml_start(w, e->lang, full_title, true);
  xmlTextWriterStartElement(w, W("section"));
  xmlTextWriterWriteAttribute(w, W("epub:type"), W("titlepage"));
  xmlTextWriterWriteAttribute(w, W("class"), W("titlepage"));
  gz_xml_elem_text(w, "h1", gz_digest_title(e->w));
  if (f->first_day <= f->last_day) {
    char range[128];
    gz_format_range(range, sizeof range, f->first_day, f->last_day);
    xmlTextWriterStartElement(w, W("p"));
    xmlTextWriterWriteAttribute(w, W("class"), W("range"));
    xmlTextWriterWriteString(w, W(range));
    xmlTextWriterEndElement(w);
  }
  if (e->w->author && *e->w->author) {
    xmlTextWriterStartElement(w, W("p"));
    xmlTextWriterWriteAttribute(w, W("class"), W("author"));
    xmlTextWriterWriteString(w, W(e->w->author));
    xmlTextWriterEndElement(w);
  }
  gz_buf counts;
  gz_buf_init(&counts, e->d->al);
  gz_put_counts(&counts, f->articles, e->job->n_groups);
  xmlTextWriterStartElement(w, W("p"));
  xmlTextWriterWriteAttribute(w, W("class"), W("counts"));
  xmlTextWriterWriteString(w, W(gz_buf_cstr(&counts)));
  xmlTextWriterEndElement(w);
  if (counts.failed) e->nomem = true;
  gz_buf_free(&counts);
  write_chart(e, w);
  xmlTextWriterEndElement(w); /* section */
  gz_xhtml_end(w);
}

/* ---- the container ---- */

static zip_int64_t raw_source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
  zblob *p = ud;
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      p->pos = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      size_t n = p->comp_len - p->pos;
      if (n > len) n = (size_t)len;
      memcpy(data, p->data + p->pos, n);
      p->pos += n;
      return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      /* Already deflated: libzip copies the bytes as they are. */
      zip_stat_t *st = data;
      zip_stat_init(st);
      st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      st->size = p->raw_len;
      st->comp_size = p->comp_len;
      st->comp_method = ZIP_CM_DEFLATE;
      st->crc = (zip_uint32_t)p->crc;
      return sizeof *st;
    }
    case ZIP_SOURCE_ERROR: {
      zip_error_t ze;
      zip_error_init(&ze);
      return zip_error_to_data(&ze, data, len);
    }
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
  }
}

static int cancel_cb(zip_t *za, void *ud) {
  (void)za;
  return gz_canceled(ud) ? 1 : 0;
}

/* libzip turns times into DOS dates through the process's local time;
 * handing it the instant whose local wall clock shows the UTC time we
 * want makes the bytes the same in every time zone. */
static time_t zip_time(int64_t utc) {
  int64_t day = gz_floor_div(utc, 86400), secs = utc - day * 86400, y;
  int m, dd;
  gz_civil_from_days(day, &y, &m, &dd);
  if (y < 1980) y = 1980, m = 1, dd = 1, secs = 0;
  if (y > 2107) y = 2107, m = 12, dd = 31, secs = 86399;
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = (int)y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = dd;
  tm.tm_hour = (int)(secs / 3600);
  tm.tm_min = (int)(secs / 60 % 60);
  tm.tm_sec = (int)(secs % 60);
  tm.tm_isdst = -1;
  /* mktime reads the process time zone; one thread at a time. */
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  time_t t = mktime(&tm);
  pthread_mutex_unlock(&lock);
  return t;
}

/* Adds a file stored without compression (the mimetype must be). */
static int add_stored(zip_t *za, const char *name, const void *data, size_t len, time_t mtime) {
  zip_source_t *src = zip_source_buffer(za, data, len, 0);
  if (!src) return -1;
  zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    return -1;
  }
  if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0)) return -1;
  return zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0);
}

/* Adds deflated bytes as a file of the container. */
static int add_raw(zip_t *za, const char *name, zblob *z, time_t mtime) {
  zip_source_t *src = zip_source_function(za, raw_source, z);
  zip_int64_t idx = src ? zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) : -1;
  if (idx < 0) {
    if (src) zip_source_free(src);
    return -1;
  }
  return zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0);
}

static int add_small(epub_ctx *e, zip_t *za, const char *name, zblob *z, const void *data,
                     size_t len, int level, time_t mtime) {
  if (deflate_into(e->d->al, z, data, len, level)) {
    e->nomem = true;
    return -1;
  }
  return add_raw(za, name, z, mtime);
}

int gz_epub_render(gz_digest *d, const gz_write_options *w, gz_job *job, int threads) {
  epub_ctx e;
  memset(&e, 0, sizeof e);
  e.d = d;
  e.w = w;
  e.job = job;
  e.level = w->deflate_level >= 1 && w->deflate_level <= 9 ? w->deflate_level : DEFAULT_LEVEL;
  e.lang = w->lang && *w->lang ? w->lang : "en";
  pthread_mutex_init(&e.err_lock, NULL);
  doc opf = {0}, nav = {0}, ncx = {0}, title = {0};
  zblob small[6];
  memset(small, 0, sizeof small);
  zip_t *za = NULL;
  int rc = 0;
  if (plan_parts(&e)) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  gz_parallel_for(e.n_parts, threads > 0 ? threads : 1, render_nth_part, &e);
  if (e.failed) {
    job->err = e.err;
    rc = -1;
    goto done;
  }

  gz_job_facts facts;
  gz_job_facts_compute(d, w, job, &facts);
  char full_title[4096], uuid[64], modified[32];
  gz_full_title(w, &facts, full_title, sizeof full_title);
  make_uuid(&e, full_title, uuid, sizeof uuid);
  gz_format_utc(modified, sizeof modified, facts.modified);
  if (doc_open(&opf) || doc_open(&nav) || doc_open(&ncx) || doc_open(&title)) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  write_opf(&e, opf.w, uuid, full_title, modified);
  write_nav(&e, nav.w);
  write_ncx(&e, ncx.w, uuid, full_title);
  write_title_page(&e, title.w, &facts, full_title);
  doc_close(&opf);
  doc_close(&nav);
  doc_close(&ncx);
  doc_close(&title);
  if (e.nomem) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }

  int zerr = 0;
  za = zip_open(job->path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!za) {
    rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot create the EPUB");
    goto done;
  }
  zip_register_cancel_callback_with_state(za, cancel_cb, NULL, d);
  time_t mtime = zip_time(facts.modified);
  static const char mimetype[] = "application/epub+zip";
  bool ok = add_stored(za, "mimetype", mimetype, sizeof mimetype - 1, mtime) == 0 &&
            add_small(&e, za, "META-INF/container.xml", &small[0], container_xml,
                      sizeof container_xml - 1, e.level, mtime) == 0 &&
            add_small(&e, za, "OEBPS/content.opf", &small[1], xmlBufferContent(opf.buf),
                      (size_t)xmlBufferLength(opf.buf), e.level, mtime) == 0 &&
            add_small(&e, za, "OEBPS/nav.xhtml", &small[2], xmlBufferContent(nav.buf),
                      (size_t)xmlBufferLength(nav.buf), e.level, mtime) == 0 &&
            add_small(&e, za, "OEBPS/toc.ncx", &small[3], xmlBufferContent(ncx.buf),
                      (size_t)xmlBufferLength(ncx.buf), e.level, mtime) == 0 &&
            add_small(&e, za, "OEBPS/style.css", &small[4], style_css, sizeof style_css - 1,
                      e.level, mtime) == 0 &&
            add_small(&e, za, "OEBPS/title.xhtml", &small[5], xmlBufferContent(title.buf),
                      (size_t)xmlBufferLength(title.buf), e.level, mtime) == 0;
  for (size_t i = 0; i < e.n_parts && ok; i++) {
    char name[64];
    snprintf(name, sizeof name, "OEBPS/%s", e.parts[i].name);
    ok = add_raw(za, name, &e.parts[i].z, mtime) == 0;
  }
  if (!ok) {
    if (e.nomem)
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while compressing");
    else
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot build the EPUB: %s",
                        zip_strerror(za));
    zip_discard(za);
    za = NULL;
    goto done;
  }
  if (zip_close(za) != 0) {
    zip_error_t *ze = zip_get_error(za);
    bool canceled = zip_error_code_zip(ze) == ZIP_ER_CANCELLED;
    rc = gz_error_set(&job->err, canceled ? GZ_ERR_CANCELED : GZ_ERR_OUTPUT, "", 0, 0, "%s",
                      canceled ? "interrupted" : zip_strerror(za));
    zip_discard(za);
  }
  za = NULL;
done:
  doc_free(&opf);
  doc_free(&nav);
  doc_free(&ncx);
  doc_free(&title);
  for (size_t i = 0; i < e.n_parts; i++) gz_free(d->al, e.parts[i].z.data);
  for (size_t i = 0; i < GZ_ARRAY_LEN(small); i++) gz_free(d->al, small[i].data);
  gz_free(d->al, e.parts);
  pthread_mutex_destroy(&e.err_lock);
  return rc;
}
