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
 *
 * Nothing in a file depends on articles outside it: article ids count
 * from a1 within the output, and the identifier, dates and creator come
 * from the output's own articles, so a --split file is the same bytes
 * whatever else was read in the same run.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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
  const gz_view *d;
  const gz_write_options *w;
  gz_job *job;
  size_t *group_base; /* articles of the output before each group */
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
  size_t cap = 0, before = 0, est = 0, first = 0;
  int number = 1, rc = 0;
  gz_walk it;
  gz_walk_init(&it, e->d, job->groups, job->n_groups, 0);
  gz_walk_ev ev;
  while (rc == 0 && (ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    size_t g = it.group;
    if (it.node == GZ_NODE_GROUP && ev == GZ_WALK_ENTER) {
      e->group_base[g] = before;
      before += it.grp->n_items;
      est = first = 0;
      number = 1;
      continue;
    }
    /* A part ends before the article that would make it too big, and
     * at the end of its group. */
    bool last = it.node == GZ_NODE_GROUP;
    if (!last && it.node != GZ_NODE_ARTICLE) continue;
    if (!last && ev != GZ_WALK_ENTER) continue;
    size_t i = last ? it.grp->n_items : it.item, size = 0;
    if (!last)
      size = it.article->spool_len + (it.article->title ? strlen(it.article->title) : 0) + 512;
    if (last || (est + size > PART_BYTES && i > first)) {
      if (gz_grow(e->d->al, (void **)&e->parts, &cap, e->n_parts + 1, sizeof *e->parts)) {
        rc = -1;
        break;
      }
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
  gz_walk_free(&it);
  return rc;
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
  unsigned char *fit = gz_realloc(al, z->data, z->comp_len ? z->comp_len : 1);
  if (fit) z->data = fit;
  return 0;
}

/* An article's number within the output, from 1: its id is "a" and
 * the number. */
static size_t article_number(const epub_ctx *e, size_t g, size_t i) {
  return e->group_base[g] + i + 1;
}

static void write_article(epub_ctx *e, gz_xw *x, const gz_article *a, size_t number,
                          const gz_body *body) {
  char id[32];
  snprintf(id, sizeof id, "a%zu", number);
  gz_xw_start(x, "article");
  gz_xw_attr(x, "id", id);
  if (a->lang && strcmp(a->lang, e->lang) != 0) {
    gz_xw_attr(x, "xml:lang", a->lang);
    gz_xw_attr(x, "lang", a->lang);
  }
  gz_xml_elem_text(x, "h2", a->title ? a->title : "Untitled");
  gz_xhtml_meta(x, e->d, a);
  gz_xhtml_body(x, body, 3);
  gz_xw_end(x);
}

/* Renders and deflates a part; `q` has caught libxml2's reports. */
static int render_part_quiet(epub_ctx *e, part *p, const gz_xml_quiet *q, gz_error *err) {
  const gz_group *grp = &e->job->groups[p->group];
  xmlBufferPtr buf = xmlBufferCreateSize(PART_BYTES + PART_BYTES / 2);
  gz_xw xw = {buf ? xmlNewTextWriterMemory(buf, 0) : NULL, false, e->d->al}, *x = &xw;
  if (!xw.w) {
    if (buf) xmlBufferFree(buf);
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  gz_xhtml_start(x, e->lang, grp->label, true);
  if (p->number == 1) {
    char id[32];
    snprintf(id, sizeof id, "g%zu", p->group + 1);
    gz_xw_start(x, "h1");
    gz_xw_attr(x, "id", id);
    gz_xw_string(x, grp->label);
    gz_xw_end(x);
  }
  gz_walk it;
  gz_walk_init(&it, e->d, grp, 1, GZ_WALK_BODIES | GZ_WALK_CANCEL);
  gz_walk_slice(&it, p->first, p->count);
  it.progress = e->job->progress;
  gz_walk_ev ev = GZ_WALK_DONE;
  while (!x->failed && (ev = gz_walk_next(&it, err)) > GZ_WALK_DONE)
    if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER)
      write_article(e, x, it.article, article_number(e, p->group, it.item), &it.body);
  gz_walk_free(&it);
  int rc = ev == GZ_WALK_ERROR ? -1 : 0;
  if ((gz_xhtml_end(x) || q->raised) && rc == 0)
    rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while writing %s", p->name);
  xmlFreeTextWriter(xw.w);
  if (rc == 0 &&
      deflate_into(e->d->al, &p->z, xmlBufferContent(buf), (size_t)xmlBufferLength(buf), e->level))
    rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while compressing");
  xmlBufferFree(buf);
  return rc;
}

static int render_part(epub_ctx *e, part *p) {
  gz_error err;
  gz_error_clear(&err);
  gz_xml_quiet q;
  gz_xml_quiet_begin(&q);
  int rc = render_part_quiet(e, p, &q, &err);
  gz_xml_quiet_end(&q);
  return rc ? part_fail(e, &err) : 0;
}

static void render_nth_part(void *ctx, size_t i) {
  epub_ctx *e = ctx;
  render_part(e, &e->parts[i]); /* a failure is kept in e->err */
}

/* ---- the small documents ---- */

typedef struct doc {
  xmlBufferPtr buf;
  gz_xw x;
} doc;

static int doc_open(doc *dc, const gz_allocator *al) {
  dc->x.al = al;
  dc->buf = xmlBufferCreate();
  dc->x.w = dc->buf ? xmlNewTextWriterMemory(dc->buf, 0) : NULL;
  dc->x.failed = false;
  return dc->x.w ? 0 : -1;
}

/* Flushes and frees the writer; -1 when any of its calls failed. */
static int doc_close(doc *dc) {
  int rc = 0;
  if (dc->x.w) {
    rc = gz_xw_finish(&dc->x);
    xmlFreeTextWriter(dc->x.w);
    dc->x.w = NULL;
  }
  return rc;
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

/* What the package document says about the book besides its files. */
typedef struct book_meta {
  char uuid[64];
  char modified[32];   /* dcterms:modified */
  char date[32];       /* dc:date, or "" */
  const char *creator; /* dc:creator, or NULL */
  char host[256];      /* a creator named by its site */
} book_meta;

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

static void make_meta(const epub_ctx *e, const gz_job_facts *f, const char *full_title,
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

static void write_opf(const epub_ctx *e, gz_xw *x, const book_meta *m, const char *title) {
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
  gz_xml_elem_text(x, "dc:title", title);
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

static void article_href(const epub_ctx *e, size_t g, size_t i, char *out, size_t cap) {
  const part *p = part_of(e, g, i);
  snprintf(out, cap, "%s#a%zu", p ? p->name : "", article_number(e, g, i));
}

static void write_nav(const epub_ctx *e, gz_xw *x) {
  gz_xhtml_start(x, e->lang, "Contents", true);
  gz_xw_start(x, "nav");
  gz_xw_attr(x, "epub:type", "toc");
  gz_xw_attr(x, "id", "toc");
  gz_xml_elem_text(x, "h1", "Contents");
  gz_xw_start(x, "ol");
  gz_walk it;
  gz_walk_init(&it, e->d, e->job->groups, e->job->n_groups, 0);
  gz_walk_ev ev;
  while ((ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    if (it.node == GZ_NODE_GROUP && ev == GZ_WALK_ENTER) {
      const part *first = part_of(e, it.group, 0);
      gz_xw_start(x, "li");
      gz_xw_start(x, "a");
      gz_xw_attr(x, "href", first ? first->name : "");
      gz_xw_string(x, it.grp->label);
      gz_xw_end(x);
      gz_xw_start(x, "ol");
    } else if (it.node == GZ_NODE_GROUP) {
      gz_xw_end(x); /* ol */
      gz_xw_end(x); /* li */
    } else if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER) {
      char href[64];
      article_href(e, it.group, it.item, href, sizeof href);
      gz_xw_start(x, "li");
      gz_xw_start(x, "a");
      gz_xw_attr(x, "href", href);
      gz_xw_string(x, it.article->title ? it.article->title : "Untitled");
      gz_xw_end(x);
      gz_xw_end(x);
    }
  }
  gz_walk_free(&it);
  gz_xw_end(x); /* ol */
  gz_xw_end(x); /* nav */

  gz_xw_start(x, "nav");
  gz_xw_attr(x, "epub:type", "landmarks");
  gz_xw_attr(x, "hidden", "hidden");
  gz_xw_start(x, "ol");
  static const char *const marks[][3] = {
      {"titlepage", "title.xhtml", "Title page"},
      {"toc", "nav.xhtml", "Contents"},
      {"bodymatter", NULL, "Articles"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(marks); i++) {
    const char *href = marks[i][1] ? marks[i][1] : e->parts[0].name;
    gz_xw_start(x, "li");
    gz_xw_start(x, "a");
    gz_xw_attr(x, "epub:type", marks[i][0]);
    gz_xw_attr(x, "href", href);
    gz_xw_string(x, marks[i][2]);
    gz_xw_end(x);
    gz_xw_end(x);
  }
  gz_xw_end(x);
  gz_xw_end(x);
  gz_xhtml_end(x); /* a failure stays in x for doc_close */
}

static void ncx_point(gz_xw *x, const char *id, int order, const char *label, const char *src) {
  gz_xw_start(x, "navPoint");
  gz_xw_attr(x, "id", id);
  gz_xw_attrf(x, "playOrder", "%d", order);
  gz_xw_start(x, "navLabel");
  gz_xml_elem_text(x, "text", label);
  gz_xw_end(x);
  gz_xw_start(x, "content");
  gz_xw_attr(x, "src", src);
  gz_xw_end(x);
}

static void write_ncx(const epub_ctx *e, gz_xw *x, const char *uuid, const char *title) {
  gz_xw_start_document(x);
  gz_xw_start(x, "ncx");
  gz_xw_attr(x, "xmlns", "http://www.daisy.org/z3986/2005/ncx/");
  gz_xw_attr(x, "version", "2005-1");
  gz_xw_attr(x, "xml:lang", e->lang);
  gz_xw_start(x, "head");
  const char *metas[][2] = {{"dtb:uid", uuid},
                            {"dtb:depth", "2"},
                            {"dtb:totalPageCount", "0"},
                            {"dtb:maxPageNumber", "0"}};
  for (size_t i = 0; i < 4; i++) {
    gz_xw_start(x, "meta");
    gz_xw_attr(x, "name", metas[i][0]);
    gz_xw_attr(x, "content", metas[i][1]);
    gz_xw_end(x);
  }
  gz_xw_end(x);
  gz_xw_start(x, "docTitle");
  gz_xml_elem_text(x, "text", title);
  gz_xw_end(x);
  gz_xw_start(x, "navMap");
  int order = 1;
  gz_walk it;
  gz_walk_init(&it, e->d, e->job->groups, e->job->n_groups, 0);
  gz_walk_ev ev;
  while ((ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    char id[32], href[64];
    if (it.node == GZ_NODE_GROUP && ev == GZ_WALK_ENTER) {
      const part *first = part_of(e, it.group, 0);
      snprintf(id, sizeof id, "g%zu", it.group + 1);
      ncx_point(x, id, order++, it.grp->label, first ? first->name : "");
    } else if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER) {
      const gz_article *a = it.article;
      article_href(e, it.group, it.item, href, sizeof href);
      snprintf(id, sizeof id, "a%zu", article_number(e, it.group, it.item));
      ncx_point(x, id, order++, a->title ? a->title : "Untitled", href);
    } else if (it.node != GZ_NODE_ROOT) {
      gz_xw_end(x); /* navPoint of the article or group */
    }
  }
  gz_walk_free(&it);
  gz_xw_end_document(x);
}

/* A bar per group, articles per group as height: small and legible on
 * e-ink (black bars, no colour). */
static void write_chart(const epub_ctx *e, gz_xw *x) {
  size_t n = e->job->n_groups, max = 1;
  for (size_t g = 0; g < n; g++)
    if (e->job->groups[g].n_items > max) max = e->job->groups[g].n_items;
  const double width = 600, height = 240, top = 20, bottom = 200, left = 10, right = 590;
  double slot = (right - left) / (double)n, bar = slot * 0.7;
  gz_xw_start(x, "svg");
  gz_xw_attr(x, "xmlns", "http://www.w3.org/2000/svg");
  gz_xw_attrf(x, "viewBox", "0 0 %.0f %.0f", width, height);
  gz_xw_attr(x, "class", "chart");
  gz_xw_attr(x, "role", "img");
  gz_xw_attr(x, "aria-label", "Articles per group");
  gz_xml_elem_text(x, "title", "Articles per group");
  gz_xw_start(x, "line");
  gz_xw_attrf(x, "x1", "%.0f", left);
  gz_xw_attrf(x, "x2", "%.0f", right);
  gz_xw_attrf(x, "y1", "%.0f", bottom);
  gz_xw_attrf(x, "y2", "%.0f", bottom);
  gz_xw_attr(x, "stroke", "#000");
  gz_xw_end(x);
  for (size_t g = 0; g < n; g++) {
    const gz_group *grp = &e->job->groups[g];
    double h = (bottom - top) * (double)grp->n_items / (double)max;
    double bx = left + slot * (double)g + (slot - bar) / 2;
    gz_xw_start(x, "rect");
    gz_xw_attrf(x, "x", "%.2f", bx);
    gz_xw_attrf(x, "y", "%.2f", bottom - h);
    gz_xw_attrf(x, "width", "%.2f", bar);
    gz_xw_attrf(x, "height", "%.2f", h);
    gz_xw_attr(x, "fill", "#222");
    gz_xml_elem_text(x, "title", grp->label);
    gz_xw_end(x);
    if (n <= 31) {
      gz_xw_start(x, "text");
      gz_xw_attrf(x, "x", "%.2f", bx + bar / 2);
      gz_xw_attrf(x, "y", "%.2f", bottom - h - 4);
      gz_xw_attr(x, "font-size", "11");
      gz_xw_attr(x, "text-anchor", "middle");
      gz_xw_attrf(x, "font-family", "sans-serif");
      gz_xw_stringf(x, "%zu", grp->n_items);
      gz_xw_end(x);
    }
  }
  /* Few groups: each bar gets its short label; many: the first and the
   * last group under the axis. */
  if (n <= 12) {
    for (size_t g = 0; g < n; g++) {
      gz_xw_start(x, "text");
      gz_xw_attrf(x, "x", "%.2f", left + slot * (double)g + slot / 2);
      gz_xw_attr(x, "y", "218");
      gz_xw_attr(x, "font-size", "12");
      gz_xw_attr(x, "font-family", "sans-serif");
      gz_xw_attr(x, "text-anchor", "middle");
      gz_xw_string(x, e->job->groups[g].short_label);
      gz_xw_end(x);
    }
  }
  for (int end = 0; end < 2 && n > 12; end++) {
    const gz_group *grp = &e->job->groups[end ? n - 1 : 0];
    if (end && n == 1) break;
    gz_xw_start(x, "text");
    gz_xw_attrf(x, "x", "%.0f", end ? right : left);
    gz_xw_attr(x, "y", "222");
    gz_xw_attr(x, "font-size", "12");
    gz_xw_attr(x, "font-family", "sans-serif");
    gz_xw_attr(x, "text-anchor", end ? "end" : "start");
    gz_xw_string(x, grp->label);
    gz_xw_end(x);
  }
  gz_xw_end(x); /* svg */
}

static void write_title_page(const epub_ctx *e, gz_xw *x, const gz_job_facts *f,
                             const char *full_title) {
  gz_xhtml_start(x, e->lang, full_title, true);
  gz_xw_start(x, "section");
  gz_xw_attr(x, "epub:type", "titlepage");
  gz_xw_attr(x, "class", "titlepage");
  gz_xml_elem_text(x, "h1", gz_digest_title(e->w));
  if (f->first_day <= f->last_day) {
    char range[128];
    gz_format_range(range, sizeof range, f->first_day, f->last_day);
    gz_xw_start(x, "p");
    gz_xw_attr(x, "class", "range");
    gz_xw_string(x, range);
    gz_xw_end(x);
  }
  if (e->w->author && *e->w->author) {
    gz_xw_start(x, "p");
    gz_xw_attr(x, "class", "author");
    gz_xw_string(x, e->w->author);
    gz_xw_end(x);
  }
  gz_buf counts;
  gz_buf_init(&counts, e->d->al);
  gz_put_counts(&counts, f->articles, e->job->n_groups);
  if (counts.failed) x->failed = true; /* out of memory */
  gz_xw_start(x, "p");
  gz_xw_attr(x, "class", "counts");
  gz_xw_string(x, gz_buf_cstr(&counts));
  gz_xw_end(x);
  gz_buf_free(&counts);
  write_chart(e, x);
  gz_xw_end(x);    /* section */
  gz_xhtml_end(x); /* a failure stays in x for doc_close */
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
  return gz_view_canceled(ud) ? 1 : 0;
}

/* A zip entry's time: the DOS date and time fields (2-second steps)
 * holding the UTC wall clock of an instant, computed here so that no
 * time zone of the process enters the bytes. DOS dates run from 1980 to
 * 2107. */
typedef struct dos_time {
  zip_uint16_t time, date;
} dos_time;

static dos_time dos_time_of(int64_t utc) {
  int64_t day = gz_floor_div(utc, 86400), secs = utc - day * 86400, y;
  int m, dd;
  gz_civil_from_days(day, &y, &m, &dd);
  if (y < 1980) y = 1980, m = 1, dd = 1, secs = 0;
  if (y > 2107) y = 2107, m = 12, dd = 31, secs = 86399;
  dos_time t;
  t.time = (zip_uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2);
  t.date = (zip_uint16_t)((y - 1980) << 9 | m << 5 | dd);
  return t;
}

static int set_time(zip_t *za, zip_int64_t idx, dos_time t) {
  return zip_file_set_dostime(za, (zip_uint64_t)idx, t.time, t.date, 0);
}

/* libzip 1.7.3 keeps an entry's time as a time_t: zip_file_set_dostime
 * turns the fields into one with mktime and zip_close turns it back with
 * localtime, both in the process's zone, so a wall clock that does not
 * exist there (a daylight-saving gap) comes out an hour off. The closed
 * file gets the fields written again, exactly: in every central directory
 * entry and the local header it points to (zip64 records included). */

static uint64_t le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static bool pread_all(int fd, void *buf, size_t n, uint64_t off) {
  return pread(fd, buf, n, (off_t)off) == (ssize_t)n;
}

/* The local header offset of a central directory entry `e` (46 bytes and
 * its name and extra field); UINT64_MAX when it cannot be found. */
static uint64_t local_offset(const unsigned char *e, size_t avail) {
  uint64_t off = le(e + 42, 4);
  if (off != 0xFFFFFFFFu) return off;
  size_t name = (size_t)le(e + 28, 2), extra = (size_t)le(e + 30, 2);
  if (46 + name + extra > avail) return UINT64_MAX;
  const unsigned char *x = e + 46 + name, *end = x + extra;
  while (x + 4 <= end) {
    size_t id = (size_t)le(x, 2), len = (size_t)le(x + 2, 2);
    if (x + 4 + len > end) break;
    if (id == 1) { /* zip64: the sizes that overflowed come first */
      size_t skip = (le(e + 24, 4) == 0xFFFFFFFFu ? 8 : 0) + (le(e + 20, 4) == 0xFFFFFFFFu ? 8 : 0);
      return skip + 8 <= len ? le(x + 4 + skip, 8) : UINT64_MAX;
    }
    x += 4 + len;
  }
  return UINT64_MAX;
}

/* -1 with errno for a file error, -2 out of memory. */
static int stamp_times(const gz_allocator *al, const char *path, dos_time t) {
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return -1;
  unsigned char *cd = NULL, eocd[22], buf[56];
  int rc = -1;
  struct stat st;
  /* libzip writes no archive comment: the end record is the last 22 bytes */
  if (fstat(fd, &st) || st.st_size < 22 || !pread_all(fd, eocd, 22, (uint64_t)st.st_size - 22) ||
      le(eocd, 4) != 0x06054b50u)
    goto done;
  uint64_t n = le(eocd + 10, 2), size = le(eocd + 12, 4), off = le(eocd + 16, 4);
  if (n == 0xFFFF || size == 0xFFFFFFFFu || off == 0xFFFFFFFFu) {
    if (st.st_size < 42 || !pread_all(fd, buf, 20, (uint64_t)st.st_size - 42) ||
        le(buf, 4) != 0x07064b50u || !pread_all(fd, buf, 56, le(buf + 8, 8)) ||
        le(buf, 4) != 0x06064b50u)
      goto done;
    n = le(buf + 32, 8), size = le(buf + 40, 8), off = le(buf + 48, 8);
  }
  if (size > (uint64_t)st.st_size) goto done;
  if (!(cd = gz_malloc(al, size ? size : 1))) {
    rc = -2;
    goto done;
  }
  if (!pread_all(fd, cd, size, off)) goto done;
  const unsigned char stamp[4] = {(unsigned char)t.time, (unsigned char)(t.time >> 8),
                                  (unsigned char)t.date, (unsigned char)(t.date >> 8)};
  size_t pos = 0;
  for (uint64_t i = 0; i < n; i++) {
    if (pos + 46 > size || le(cd + pos, 4) != 0x02014b50u) goto done;
    uint64_t local = local_offset(cd + pos, size - pos);
    if (local == UINT64_MAX || !pread_all(fd, buf, 4, local) || le(buf, 4) != 0x04034b50u ||
        pwrite(fd, stamp, 4, (off_t)local + 10) != 4)
      goto done;
    memcpy(cd + pos + 12, stamp, 4);
    pos += 46 + le(cd + pos + 28, 2) + le(cd + pos + 30, 2) + le(cd + pos + 32, 2);
  }
  if (pwrite(fd, cd, size, (off_t)off) == (ssize_t)size) rc = 0;
done:
  gz_free(al, cd);
  if (close(fd) && rc == 0) rc = -1;
  return rc;
}

/* Adds a file stored without compression (the mimetype must be). */
static int add_stored(zip_t *za, const char *name, const void *data, size_t len, dos_time mtime) {
  zip_source_t *src = zip_source_buffer(za, data, len, 0);
  if (!src) return -1;
  zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    return -1;
  }
  if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0)) return -1;
  return set_time(za, idx, mtime);
}

/* Adds deflated bytes as a file of the container. */
static int add_raw(zip_t *za, const char *name, zblob *z, dos_time mtime) {
  zip_source_t *src = zip_source_function(za, raw_source, z);
  zip_int64_t idx = src ? zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) : -1;
  if (idx < 0) {
    if (src) zip_source_free(src);
    return -1;
  }
  return set_time(za, idx, mtime);
}

static int add_small(epub_ctx *e, zip_t *za, const char *name, zblob *z, const void *data,
                     size_t len, int level, dos_time mtime) {
  if (deflate_into(e->d->al, z, data, len, level)) {
    e->nomem = true;
    return -1;
  }
  return add_raw(za, name, z, mtime);
}

int gz_epub_render(const gz_view *d, const gz_write_options *w, gz_job *job, int threads) {
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
  e.group_base = gz_malloc(d->al, (job->n_groups ? job->n_groups : 1) * sizeof *e.group_base);
  if (!e.group_base || plan_parts(&e)) {
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
  char full_title[4096];
  book_meta meta;
  gz_full_title(w, &facts, full_title, sizeof full_title);
  make_meta(&e, &facts, full_title, &meta);
  gz_xml_quiet q;
  gz_xml_quiet_begin(&q);
  if (doc_open(&opf, d->al) || doc_open(&nav, d->al) || doc_open(&ncx, d->al) ||
      doc_open(&title, d->al)) {
    gz_xml_quiet_end(&q);
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  write_opf(&e, &opf.x, &meta, full_title);
  write_nav(&e, &nav.x);
  write_ncx(&e, &ncx.x, meta.uuid, full_title);
  write_title_page(&e, &title.x, &facts, full_title);
  /* every document whole, or no EPUB */
  const char *broken = doc_close(&opf)     ? "content.opf"
                       : doc_close(&nav)   ? "nav.xhtml"
                       : doc_close(&ncx)   ? "toc.ncx"
                       : doc_close(&title) ? "title.xhtml"
                       : q.raised          ? "the package documents"
                                           : NULL;
  gz_xml_quiet_end(&q);
  if (broken) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while writing %s", broken);
    goto done;
  }

  int zerr = 0;
  za = zip_open(job->path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!za) {
    rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot create the EPUB");
    goto done;
  }
  zip_register_cancel_callback_with_state(za, cancel_cb, NULL, (void *)d);
  dos_time mtime = dos_time_of(facts.modified);
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
  } else {
    errno = 0;
    int st = stamp_times(d->al, job->path, mtime);
    if (st == -2)
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    else if (st)
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot set the times in the EPUB: %s",
                        errno ? strerror(errno) : "not the zip file written");
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
  gz_free(d->al, e.group_base);
  pthread_mutex_destroy(&e.err_lock);
  return rc;
}
