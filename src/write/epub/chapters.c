/*
 * chapters.c - the content documents: the groups cut into parts of about
 * 300 KB, each rendered and deflated by a worker thread.
 */
#include <string.h>
#include <zlib.h>

#include "write/epub/epub.h"

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

int gz_epub_plan(epub_ctx *e) {
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
      size = it.article->spool_len + (it.article->title ? strlen(it.article->title) : 0) +
             (it.article->standfirst ? strlen(it.article->standfirst) : 0) + 512;
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
const part *gz_epub_part_of(const epub_ctx *e, size_t g, size_t i) {
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

/* Raw deflate with a window sized to the input: zlib clears its hash
 * tables on every init, and for the many small files of a --split run
 * clearing 256 KB each time cost more than compressing. */
int gz_epub_deflate(const gz_allocator *al, zblob *z, const unsigned char *src, size_t len,
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

size_t gz_epub_article_number(const epub_ctx *e, size_t g, size_t i) {
  return e->group_base[g] + i + 1;
}

static void write_article(epub_ctx *e, gz_xw *x, const gz_article *a, size_t number,
                          const gz_body *body) {
  char id[32];
  snprintf(id, sizeof id, "a%zu", number);
  gz_xw_start(x, "article");
  gz_xw_attr(x, "id", id);
  gz_xhtml_dir_lang(x, gz_epub_article_dir(e, a), gz_epub_article_lang(e, a));
  gz_xw_start(x, "h2");
  gz_xhtml_dir_lang(x, gz_epub_in_article_dir(a, a->title), NULL);
  gz_xw_string(x, a->title ? a->title : "Untitled");
  gz_xw_end(x);
  /* the producer's teaser, where a newspaper sets it: under the headline */
  if (a->standfirst) {
    gz_xw_start(x, "p");
    gz_xw_attr(x, "class", "standfirst");
    gz_xhtml_dir_lang(x, gz_epub_in_article_dir(a, a->standfirst), NULL);
    gz_xw_string(x, a->standfirst);
    gz_xw_end(x);
  }
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
  gz_xhtml_start_dir(x, e->lang, e->dir, grp->label, true);
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
      write_article(e, x, it.article, gz_epub_article_number(e, p->group, it.item), &it.body);
  gz_walk_free(&it);
  int rc = ev == GZ_WALK_ERROR ? -1 : 0;
  if ((gz_xhtml_end(x) || q->raised) && rc == 0)
    rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while writing %s", p->name);
  xmlFreeTextWriter(xw.w);
  if (rc == 0 && gz_epub_deflate(e->d->al, &p->z, xmlBufferContent(buf),
                                 (size_t)xmlBufferLength(buf), e->level))
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

void gz_epub_render_parts(epub_ctx *e, int threads) {
  gz_parallel_for(e->n_parts, threads > 0 ? threads : 1, render_nth_part, e);
}
