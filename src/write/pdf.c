/*
 * pdf.c - PDF digests with libharu: a cover with a bar chart, a table of
 * contents with page numbers and links, the articles, bookmarks, running
 * headers and page numbers, and PDF/A-1b on request.
 *
 * The contents come before the articles but their page numbers are known
 * only after the articles are laid out: the number of contents pages is
 * computed first (each entry is one line), blank pages are reserved, and
 * they are drawn last, like the "n / N" footers. libharu keeps every page
 * in memory until it saves, so pages can be drawn on in any order.
 */
#include <hpdf_doc.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <libxml/xmlwriter.h>
#include <math.h>
#include <pthread.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "write/pdf.h"
#include "write/xhtml.h"

typedef struct geometry {
  float w, h;
  float ml, mr, mt, mb;
  float body, leading;
} geometry;

static const geometry geometries[] = {
    [GZ_PAGE_A4] = {595.28f, 841.89f, 64, 64, 72, 66, 10.5f, 14.6f},
    [GZ_PAGE_LETTER] = {612, 792, 66, 66, 70, 64, 10.5f, 14.6f},
    [GZ_PAGE_A5] = {419.53f, 595.28f, 44, 44, 58, 52, 9.2f, 12.8f},
};

typedef struct place {
  uint32_t page; /* index in pages */
  float y;       /* top of the entry */
} place;

typedef struct pdf_ctx {
  const gz_view *d;
  const gz_write_options *w;
  gz_job *job;
  HPDF_Doc pdf;
  pdf_fonts fonts;
  geometry g;
  bool pdfa;
  char full_title[4096];
  gz_job_facts facts;
  /* pages */
  HPDF_Page *pages;
  size_t n_pages, cap_pages;
  size_t first_body; /* index of the first article page */
  size_t n_toc;
  float y; /* top of the free space on the current page */
  const char *group_label;
  place *group_at;
  place *article_at; /* per job article, in job order */
  pdf_para para;
  /* finished pages whose content is compressed by a worker */
  struct sealer *sealer;
  int threads;
  /* libharu errors */
  HPDF_STATUS error, detail;
} pdf_ctx;

/* libharu's allocation callbacks take no context: the allocator of the
 * document being built in this thread is kept here, and every block
 * records it in front, so freeing needs no context either.
 *
 * libharu 2.3 does not survive a failed allocation everywhere (a new
 * page's content stream, a font added to a page's resources are used
 * unchecked and crash it), so when the allocator fails the block comes
 * from the C library instead, the failure is noted (tl_hpdf_oom) and the
 * document is given up as "out of memory" before it is saved. */
static _Thread_local const gz_allocator *tl_hpdf_al;
/* libharu reports a failed allocation under many codes (the first
 * error is often overwritten before its handler runs): noted here. */
static _Thread_local bool tl_hpdf_oom;

typedef union hpdf_head {
  const gz_allocator *al;
  max_align_t align;
} hpdf_head;

static void *hpdf_alloc(HPDF_UINT size) {
  const gz_allocator *al = tl_hpdf_al;
  hpdf_head *h = gz_malloc(al, sizeof *h + size);
  if (!h) {
    tl_hpdf_oom = true;
    al = NULL; /* from the C library */
    if (!(h = malloc(sizeof *h + size))) return NULL;
  }
  h->al = al;
  return h + 1;
}

static void hpdf_free(void *ptr) {
  if (!ptr) return;
  hpdf_head *h = (hpdf_head *)ptr - 1;
  if (h->al)
    gz_free(h->al, h);
  else
    free(h);
}

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user) {
  pdf_ctx *c = user;
  if (c->fonts.loading) return;
  if (!c->error) {
    c->error = error;
    c->detail = detail;
  }
}

static float content_w(const pdf_ctx *c) { return c->g.w - c->g.ml - c->g.mr; }
static float top(const pdf_ctx *c) { return c->g.h - c->g.mt; }
static HPDF_Page cur(const pdf_ctx *c) { return c->pages[c->n_pages - 1]; }

static HPDF_Page add_page(pdf_ctx *c) {
  if (gz_grow(c->d->al, (void **)&c->pages, &c->cap_pages, c->n_pages + 1, sizeof *c->pages)) {
    c->fonts.oom = true;
    return NULL;
  }
  HPDF_Page p = HPDF_AddPage(c->pdf);
  if (!p) {
    c->fonts.oom = true;
    return NULL;
  }
  HPDF_Page_SetWidth(p, c->g.w);
  HPDF_Page_SetHeight(p, c->g.h);
  c->pages[c->n_pages++] = p;
  return p;
}

static void hline(HPDF_Page p, float x0, float x1, float y, float width, float grey) {
  HPDF_Page_SetLineWidth(p, width);
  HPDF_Page_SetRGBStroke(p, grey, grey, grey);
  HPDF_Page_MoveTo(p, x0, y);
  HPDF_Page_LineTo(p, x1, y);
  HPDF_Page_Stroke(p);
}

/* ---- compressing finished pages ----
 *
 * libharu keeps every page's content uncompressed until it saves, then
 * deflates them one by one at zlib's default level: for a digest of
 * thousands of pages that is most of the time and memory. A page is
 * final once the next one starts (its footer goes to a second content
 * stream later), so its content is taken out at that moment, deflated
 * by a worker thread, and put back already compressed. */

typedef struct seal_job {
  HPDF_Page page;
  unsigned char *raw;
  size_t raw_len;
  unsigned char *z;
  size_t z_len;
  bool done, failed;
} seal_job;

typedef struct sealer {
  pthread_mutex_t lock;
  pthread_cond_t wake, finished;
  seal_job *jobs;
  size_t n, cap;
  size_t next_todo; /* next job for the worker */
  size_t next_back; /* next job to put back into its page */
  bool stop;
  bool threaded;
  pthread_t thread;
  const gz_allocator *al;
} sealer;

#define SEAL_LEVEL 3

/* What compress2() does, with zlib's state from the allocator. */
static void seal_compress(const gz_allocator *al, seal_job *j) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  zs.zalloc = gz_zalloc;
  zs.zfree = gz_zfree;
  zs.opaque = (voidpf)al;
  uLong bound = compressBound((uLong)j->raw_len);
  j->z = gz_malloc(al, bound);
  if (j->z && deflateInit(&zs, SEAL_LEVEL) == Z_OK) {
    zs.next_in = j->raw;
    zs.avail_in = (uInt)j->raw_len;
    zs.next_out = j->z;
    zs.avail_out = (uInt)bound;
    if (deflate(&zs, Z_FINISH) == Z_STREAM_END)
      j->z_len = zs.total_out;
    else
      j->failed = true;
    deflateEnd(&zs);
  } else {
    j->failed = true;
  }
  gz_free(al, j->raw);
  j->raw = NULL;
}

static void *seal_worker(void *arg) {
  sealer *s = arg;
  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (!s->stop && s->next_todo >= s->n) pthread_cond_wait(&s->wake, &s->lock);
    if (s->next_todo >= s->n && s->stop) break;
    size_t i = s->next_todo++;
    seal_job j = s->jobs[i]; /* the array may move while we work */
    pthread_mutex_unlock(&s->lock);
    seal_compress(s->al, &j);
    pthread_mutex_lock(&s->lock);
    s->jobs[i] = j;
    s->jobs[i].done = true;
    pthread_cond_broadcast(&s->finished);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream) {
  (void)dict;
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Puts compressed content back into its page (libharu is touched only by
 * the thread that owns the document). With `wait`, all of it. */
static int seal_put_back(pdf_ctx *c, bool wait) {
  sealer *s = c->sealer;
  int rc = 0;
  if (!s) return 0;
  pthread_mutex_lock(&s->lock);
  while (s->next_back < s->n) {
    seal_job *j = &s->jobs[s->next_back];
    if (!j->done) {
      if (!wait) break;
      pthread_cond_wait(&s->finished, &s->lock);
      continue;
    }
    seal_job done = *j;
    s->next_back++;
    pthread_mutex_unlock(&s->lock);
    HPDF_PageAttr attr = (HPDF_PageAttr)done.page->attr;
    if (done.failed || HPDF_Stream_Write(attr->stream, done.z, (HPDF_UINT)done.z_len) != HPDF_OK)
      rc = -1;
    /* libharu drops a Filter entry from streams it does not filter
     * itself; its write hook adds ours inside the dictionary. */
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = write_flate_filter;
    gz_free(c->d->al, done.z);
    pthread_mutex_lock(&s->lock);
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

static int seal_start(pdf_ctx *c) {
  sealer *s = gz_malloc(c->d->al, sizeof *s);
  if (!s) return -1;
  memset(s, 0, sizeof *s);
  s->al = c->d->al;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->wake, NULL);
  pthread_cond_init(&s->finished, NULL);
  c->sealer = s;
  if (c->threads > 1 && pthread_create(&s->thread, NULL, seal_worker, s) == 0) s->threaded = true;
  return 0;
}

static void seal_stop(pdf_ctx *c) {
  sealer *s = c->sealer;
  if (!s) return;
  pthread_mutex_lock(&s->lock);
  s->stop = true;
  pthread_cond_broadcast(&s->wake);
  pthread_mutex_unlock(&s->lock);
  if (s->threaded) pthread_join(s->thread, NULL);
  for (size_t i = s->next_back; i < s->n; i++) {
    gz_free(s->al, s->jobs[i].raw);
    gz_free(s->al, s->jobs[i].z);
  }
  gz_free(s->al, s->jobs);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->wake);
  pthread_cond_destroy(&s->finished);
  gz_free(c->d->al, s);
  c->sealer = NULL;
}

/* Takes a finished page's content out of libharu for compression. */
static int seal_page(pdf_ctx *c, HPDF_Page page) {
  sealer *s = c->sealer;
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  HPDF_Stream st = attr->stream;
  if (!s || !st || st->type != HPDF_STREAM_MEMORY) return 0;
  seal_job j;
  memset(&j, 0, sizeof j);
  j.page = page;
  j.raw_len = st->size;
  j.raw = gz_malloc(s->al, j.raw_len);
  if (!j.raw) return -1;
  size_t off = 0;
  for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(st) && off < j.raw_len; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(st, i, &len);
    if (!b) break;
    if (len > j.raw_len - off) len = (HPDF_UINT)(j.raw_len - off);
    memcpy(j.raw + off, b, len);
    off += len;
  }
  HPDF_MemStream_FreeData(st);
  if (!s->threaded) seal_compress(s->al, &j), j.done = true;
  pthread_mutex_lock(&s->lock);
  int rc = gz_grow(s->al, (void **)&s->jobs, &s->cap, s->n + 1, sizeof *s->jobs);
  if (rc == 0) s->jobs[s->n++] = j;
  pthread_cond_signal(&s->wake);
  pthread_mutex_unlock(&s->lock);
  if (rc) {
    gz_free(s->al, j.raw);
    gz_free(s->al, j.z);
    return -1;
  }
  return seal_put_back(c, false);
}

/* A page of articles: the running header carries the digest's title and
 * the group of the page. */
static HPDF_Page body_page(pdf_ctx *c) {
  if (c->n_pages > c->first_body && seal_page(c, cur(c))) c->error = HPDF_FAILD_TO_ALLOC_MEM;
  HPDF_Page p = add_page(c);
  if (!p) return NULL;
  float y = c->g.h - c->g.mt + 24;
  float size = 7.8f;
  char left[1100];
  gz_strlcpy(left, gz_digest_title(c->w), sizeof left);
  pdf_draw_text(&c->fonts, p, ROLE_SANS, size, 0.35f, c->g.ml, y, left);
  if (c->group_label) {
    float lw = pdf_text_width(&c->fonts, ROLE_SANS_BOLD, size, c->group_label);
    pdf_draw_text(&c->fonts, p, ROLE_SANS_BOLD, size, 0.35f, c->g.w - c->g.mr - lw, y,
                  c->group_label);
  }
  hline(p, c->g.ml, c->g.w - c->g.mr, y - 5, 0.4f, 0.6f);
  c->y = top(c);
  return p;
}

static bool room(const pdf_ctx *c, float need) { return c->y - need >= c->g.mb; }

static void ensure(pdf_ctx *c, float need) {
  if (!room(c, need)) body_page(c);
}

/* ---- styles ---- */

static pdf_style style(const pdf_ctx *c, font_role role, float size, float leading, float grey) {
  pdf_style st;
  memset(&st, 0, sizeof st);
  st.role = role;
  st.size = size;
  st.leading = leading;
  st.r = st.g = st.b = grey;
  (void)c;
  return st;
}

static pdf_style body_style(const pdf_ctx *c) {
  return style(c, ROLE_SERIF, c->g.body, c->g.leading, 0);
}

/* ---- paragraphs ---- */

/* Draws the paragraph laid out in c->para at the left edge x (indent
 * included), breaking pages as needed. `marker` is drawn before the
 * first line (a bullet or a number), `bars` draws quote bars per line. */
static void draw_para(pdf_ctx *c, const pdf_style *st, float x, const char *marker, int bars) {
  size_t n = c->para.n_lines;
  /* No single first line at the foot of a page. */
  if (n >= 2 && !room(c, 2 * st->leading)) body_page(c);
  for (size_t i = 0; i < n; i++) {
    /* ... nor a single last line at the top of the next one */
    if (i + 2 == n && n >= 3 && !room(c, 2 * st->leading) && room(c, st->leading)) body_page(c);
    ensure(c, st->leading);
    float base = c->y - st->size * 0.98f;
    HPDF_Page p = cur(c);
    if (i == 0 && marker) {
      float mw = pdf_text_width(&c->fonts, st->role, st->size, marker);
      pdf_draw_text(&c->fonts, p, st->role, st->size, 0.15f, x - mw - 4, base, marker);
    }
    for (int b = 0; b < bars; b++) {
      float bx = c->g.ml + 3 + 16.0f * (float)b;
      HPDF_Page_SetLineWidth(p, 1.2f);
      HPDF_Page_SetRGBStroke(p, 0.55f, 0.55f, 0.55f);
      HPDF_Page_MoveTo(p, bx, c->y);
      HPDF_Page_LineTo(p, bx, c->y - st->leading);
      HPDF_Page_Stroke(p);
    }
    pdf_para_draw_line(&c->para, &c->fonts, st, p, i, x, base, c->pdfa);
    c->y -= st->leading;
  }
}

/* Lays out a paragraph in width w and draws it (see draw_para). */
static int flow_para(pdf_ctx *c, const pdf_style *st, const char *text, size_t len,
                     const gz_run *runs, size_t n_runs, float x, float w, const char *marker,
                     int bars, pdf_missing *missing) {
  if (pdf_para_layout(&c->para, &c->fonts, st, text, len, runs, n_runs, w, w, missing)) return -1;
  draw_para(c, st, x, marker, bars);
  return 0;
}

/* ---- articles ---- */

static void meta_text(const pdf_ctx *c, const gz_article *a, gz_buf *out) {
  if (a->dated) {
    char when[96];
    gz_format_long(when, sizeof when, c->d->tz, &a->when);
    gz_buf_puts(out, when);
  }
  for (uint32_t i = 0; i < a->n_authors; i++) {
    gz_buf_puts(out, i == 0 ? (out->len ? " \xC2\xB7 " : "") : ", ");
    gz_buf_puts(out, a->authors[i]);
  }
}

static int draw_body(pdf_ctx *c, const gz_body *body, pdf_missing *missing) {
  pdf_style base = body_style(c);
  float cw = content_w(c);
  int hbase = gz_body_heading_base(body);
  for (size_t i = 0; i < body->n; i++) {
    const gz_block *blk = &body->blocks[i];
    int quote = blk->quote > GZ_INDENT_QUOTES ? GZ_INDENT_QUOTES : blk->quote;
    float qi = 16.0f * (float)quote;
    pdf_style st = base;
    if (quote) st.r = st.g = st.b = 0.18f;
    switch (blk->type) {
      case GZ_BLOCK_HEADING: {
        int rel = blk->heading.level - hbase;
        st = style(c, ROLE_SANS_BOLD,
                   rel <= 0   ? c->g.body * 1.18f
                   : rel == 1 ? c->g.body * 1.06f
                              : c->g.body,
                   c->g.leading * (rel <= 0 ? 1.15f : 1.05f), 0.1f);
        c->y -= c->g.leading * 0.45f;
        /* a heading keeps its first lines of text with it */
        ensure(c, st.leading + 2 * c->g.leading);
        if (flow_para(c, &st, blk->text, blk->len, blk->runs, blk->n_runs, c->g.ml + qi, cw - qi,
                      NULL, quote, missing))
          return -1;
        c->y -= c->g.leading * 0.15f;
        break;
      }
      case GZ_BLOCK_ITEM: {
        int depth = blk->item.depth
                        ? (blk->item.depth > GZ_INDENT_LISTS ? GZ_INDENT_LISTS : blk->item.depth)
                        : 1;
        float ind = qi + 18.0f * (float)depth;
        char marker[24];
        if (blk->item.ordered)
          snprintf(marker, sizeof marker, "%u.", blk->item.number);
        else
          gz_strlcpy(marker, depth % 2 ? "\xE2\x80\xA2" : "\xE2\x80\x93", sizeof marker);
        if (flow_para(c, &st, blk->text, blk->len, blk->runs, blk->n_runs, c->g.ml + ind, cw - ind,
                      marker, quote, missing))
          return -1;
        c->y -= c->g.leading * 0.15f;
        break;
      }
      case GZ_BLOCK_PRE:
        st = style(c, ROLE_MONO, c->g.body * 0.82f, c->g.leading * 0.86f, 0.1f);
        st.pre = true;
        if (flow_para(c, &st, blk->text, blk->len, blk->runs, blk->n_runs, c->g.ml + qi + 10,
                      cw - qi - 10, NULL, quote, missing))
          return -1;
        c->y -= c->g.leading * 0.5f;
        break;
      case GZ_BLOCK_RULE:
        ensure(c, c->g.leading);
        hline(cur(c), c->g.ml + cw * 0.35f, c->g.ml + cw * 0.65f, c->y - c->g.leading / 2, 0.6f,
              0.4f);
        c->y -= c->g.leading;
        break;
      default: {
        unsigned ld = gz_block_list_depth(blk);
        float ind = qi + (ld ? 18.0f * (float)(ld > GZ_INDENT_LISTS ? GZ_INDENT_LISTS : ld) : 0);
        if (flow_para(c, &st, blk->text, blk->len, blk->runs, blk->n_runs, c->g.ml + ind, cw - ind,
                      NULL, quote, missing))
          return -1;
        c->y -= c->g.leading * 0.45f;
        break;
      }
    }
  }
  return 0;
}

/* "中 (U+4E2D), 文 (U+6587) and 3 more" */
static void missing_list(const pdf_missing *m, gz_buf *list) {
  for (size_t i = 0; i < m->n; i++) {
    char ch[5];
    size_t n = gz_utf8_encode(m->cps[i], ch);
    ch[n] = '\0';
    gz_buf_printf(list, "%s%s (U+%04X)", i ? ", " : "", m->cps[i] >= 0x20 ? ch : "", m->cps[i]);
  }
  if (m->total > m->n) gz_buf_printf(list, " and %zu more", m->total - m->n);
}

/* Why they show as U+FFFD: libharu cannot embed characters beyond the
 * Basic Multilingual Plane, whatever the fonts. */
static const char *missing_reason(const pdf_missing *m) {
  for (size_t i = 0; i < m->n; i++)
    if (m->cps[i] > 0xFFFF)
      return "they show as \xEF\xBF\xBD (characters above U+FFFF cannot be embedded in PDF "
             "here; for the others add a font with --font)";
  return "they show as \xEF\xBF\xBD (add a font with --font)";
}

static void report_missing(pdf_ctx *c, const gz_article *a, const pdf_missing *m) {
  if (!m->total) return;
  gz_buf list;
  gz_buf_init(&list, c->d->al);
  missing_list(m, &list);
  char src[1100], title[96];
  gz_article_source(a, src, sizeof src);
  gz_job_diag(c->job, GZ_SEV_WARNING,
              "no installed font has %zu character%s of \"%s\" (%s): %s; %s", m->total,
              m->total == 1 ? "" : "s",
              gz_short(a->title ? a->title : "Untitled", title, sizeof title), src,
              gz_buf_cstr(&list), missing_reason(m));
  if (list.failed) c->fonts.oom = true;
  gz_buf_free(&list);
}

static void report_missing_in(pdf_ctx *c, const char *what, const char *text,
                              const pdf_missing *m) {
  if (!m->total) return;
  gz_buf list;
  gz_buf_init(&list, c->d->al);
  missing_list(m, &list);
  gz_job_diag(c->job, GZ_SEV_WARNING, "no installed font has %zu character%s of %s \"%s\": %s; %s",
              m->total, m->total == 1 ? "" : "s", what, text, gz_buf_cstr(&list),
              missing_reason(m));
  if (list.failed) c->fonts.oom = true;
  gz_buf_free(&list);
}

static int draw_article(pdf_ctx *c, const gz_article *a, const gz_body *loaded, place *at) {
  gz_body body = *loaded;
  pdf_missing missing;
  memset(&missing, 0, sizeof missing);
  float cw = content_w(c);
  pdf_style title = style(c, ROLE_SANS_BOLD, c->g.body * 1.45f, c->g.body * 1.78f, 0);
  pdf_style meta = style(c, ROLE_SANS, c->g.body * 0.8f, c->g.body * 1.1f, 0.33f);
  gz_buf m;
  gz_buf_init(&m, c->d->al);
  meta_text(c, a, &m);
  const char *t = a->title ? a->title : "Untitled";
  /* The title never stays alone at the foot of a page: it goes with its
   * meta line and the first two lines of the body. It is laid out once,
   * for its height and then to be drawn. */
  int rc = pdf_para_layout(&c->para, &c->fonts, &title, t, strlen(t), NULL, 0, cw, cw, &missing);
  float title_h = rc == 0 ? (float)c->para.n_lines * title.leading : 0;
  float need = title_h + meta.leading * 2 + 2 * c->g.leading + 8;
  if (!room(c, need)) body_page(c);
  at->page = (uint32_t)(c->n_pages - 1);
  at->y = c->y;
  if (rc == 0) draw_para(c, &title, c->g.ml, NULL, 0);
  c->y -= 2;
  /* meta: date and authors, then the source as a live link */
  if (rc == 0 && (m.len || a->url)) {
    gz_run runs[2];
    size_t n_runs = 0;
    gz_buf line;
    gz_buf_init(&line, c->d->al);
    gz_buf_append(&line, m.data, m.len);
    const char *s;
    size_t sl;
    char host[201] = "";
    if (a->url && gz_safe_href(a->url, strlen(a->url), &s, &sl)) {
      if (line.len) gz_buf_puts(&line, " \xC2\xB7 ");
      size_t start = line.len;
      gz_url_host(a->url, host, sizeof host);
      gz_buf_puts(&line, host);
      if (start) {
        runs[n_runs].text = line.data;
        runs[n_runs].len = (uint32_t)start;
        runs[n_runs].style = 0;
        runs[n_runs].href = NULL;
        runs[n_runs].href_len = 0;
        n_runs++;
      }
      runs[n_runs].text = line.data + start;
      runs[n_runs].len = (uint32_t)(line.len - start);
      runs[n_runs].style = 0;
      runs[n_runs].href = a->url;
      runs[n_runs].href_len = (uint16_t)(strlen(a->url) > 65535 ? 0 : strlen(a->url));
      if (!runs[n_runs].href_len) runs[n_runs].href = NULL;
      n_runs++;
    }
    if (line.len)
      rc = flow_para(c, &meta, line.data, line.len, n_runs ? runs : NULL, n_runs, c->g.ml, cw, NULL,
                     0, &missing);
    if (line.failed) c->fonts.oom = true;
    gz_buf_free(&line);
  }
  if (rc == 0 && a->n_tags) {
    gz_buf tags;
    gz_buf_init(&tags, c->d->al);
    for (uint32_t i = 0; i < a->n_tags; i++) {
      if (i) gz_buf_puts(&tags, ", ");
      gz_buf_puts(&tags, a->tags[i]);
    }
    pdf_style ts = meta;
    ts.role = ROLE_SANS;
    rc = flow_para(c, &ts, tags.data, tags.len, NULL, 0, c->g.ml, cw, NULL, 0, &missing);
    if (tags.failed) c->fonts.oom = true;
    gz_buf_free(&tags);
  }
  if (m.failed) c->fonts.oom = true;
  gz_buf_free(&m);
  c->y -= c->g.leading * 0.5f;
  if (rc == 0) rc = draw_body(c, &body, &missing);
  report_missing(c, a, &missing);
  /* a quiet rule between articles */
  c->y -= c->g.leading * 0.4f;
  if (room(c, c->g.leading * 2)) {
    hline(cur(c), c->g.ml + cw * 0.42f, c->g.ml + cw * 0.58f, c->y, 0.5f, 0.55f);
    c->y -= c->g.leading * 0.9f;
  }
  return rc;
}

static int draw_group(pdf_ctx *c, const gz_group *grp, place *at, place *articles) {
  c->group_label = grp->label;
  body_page(c);
  at->page = (uint32_t)(c->n_pages - 1);
  at->y = c->y;
  pdf_style head = style(c, ROLE_SANS_BOLD, c->g.body * 1.9f, c->g.body * 2.3f, 0);
  pdf_missing missing;
  memset(&missing, 0, sizeof missing);
  if (flow_para(c, &head, grp->label, strlen(grp->label), NULL, 0, c->g.ml, content_w(c), NULL, 0,
                &missing))
    return -1;
  hline(cur(c), c->g.ml, c->g.w - c->g.mr, c->y - 2, 1.2f, 0);
  c->y -= c->g.leading * 1.2f;
  gz_walk it;
  gz_walk_init(&it, c->d, grp, 1, GZ_WALK_BODIES | GZ_WALK_CANCEL);
  it.progress = c->job->progress;
  gz_walk_ev ev = GZ_WALK_DONE;
  int rc = 0;
  while (rc == 0 && (ev = gz_walk_next(&it, &c->job->err)) > GZ_WALK_DONE)
    if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER &&
        (draw_article(c, it.article, &it.body, &articles[it.item]) || c->error))
      rc = -1;
  gz_walk_free(&it);
  return rc || ev == GZ_WALK_ERROR ? -1 : 0;
}

/* ---- cover ---- */

static void center_text(pdf_ctx *c, HPDF_Page p, font_role role, float size, float grey, float y,
                        const char *s, pdf_missing *missing) {
  pdf_style st = style(c, role, size, size * 1.25f, grey);
  if (pdf_para_layout(&c->para, &c->fonts, &st, s, strlen(s), NULL, 0, content_w(c), content_w(c),
                      missing))
    return;
  for (size_t i = 0; i < c->para.n_lines; i++) {
    float x = c->g.ml + (content_w(c) - c->para.lines[i].width) / 2;
    pdf_para_draw_line(&c->para, &c->fonts, &st, p, i, x, y - (float)i * st.leading, c->pdfa);
  }
}

static void draw_cover(pdf_ctx *c, HPDF_Page p) {
  float y = c->g.h * 0.78f;
  const char *title = gz_digest_title(c->w);
  float ts = c->g.body * 3.0f;
  pdf_missing title_missing;
  memset(&title_missing, 0, sizeof title_missing);
  center_text(c, p, ROLE_SANS_BOLD, ts, 0, y, title, &title_missing);
  report_missing_in(c, "the title (--title)", title, &title_missing);
  y -= ts * 1.25f * (float)(c->para.n_lines ? c->para.n_lines : 1) + 6;
  if (c->facts.first_day <= c->facts.last_day) {
    char range[128];
    gz_format_range(range, sizeof range, c->facts.first_day, c->facts.last_day);
    center_text(c, p, ROLE_SANS, c->g.body * 1.4f, 0.25f, y, range, NULL);
    y -= c->g.body * 2.4f;
  }
  if (c->w->author && *c->w->author) {
    pdf_missing author_missing;
    memset(&author_missing, 0, sizeof author_missing);
    center_text(c, p, ROLE_SERIF_ITALIC, c->g.body * 1.15f, 0.2f, y, c->w->author, &author_missing);
    report_missing_in(c, "the author (--author)", c->w->author, &author_missing);
    y -= c->g.body * 2.2f;
  }
  gz_buf counts;
  gz_buf_init(&counts, c->d->al);
  gz_put_counts(&counts, c->facts.articles, c->job->n_groups);
  center_text(c, p, ROLE_SANS, c->g.body * 1.05f, 0.2f, y, gz_buf_cstr(&counts), NULL);
  if (counts.failed) c->fonts.oom = true;
  gz_buf_free(&counts);

  /* The bar chart: articles per group, at most 60 bars (neighbouring
   * groups share a bar when there are more). */
  size_t n = c->job->n_groups, bins = n < 60 ? n : 60;
  float chart_h = c->g.h * 0.22f, x0 = c->g.ml, cw = content_w(c);
  float chart_y = y - c->g.body * 5 - chart_h;
  uint64_t counts_bin[60] = {0}, max = 1;
  for (size_t g = 0; g < n; g++) {
    size_t b = g * bins / n;
    counts_bin[b] += c->job->groups[g].n_items;
  }
  for (size_t b = 0; b < bins; b++)
    if (counts_bin[b] > max) max = counts_bin[b];
  float slot = cw / (float)bins, bar = slot * 0.72f;
  for (size_t b = 0; b < bins; b++) {
    float h = chart_h * (float)counts_bin[b] / (float)max;
    float bx = x0 + slot * (float)b + (slot - bar) / 2;
    if (h > 0) {
      HPDF_Page_SetRGBFill(p, 0.15f, 0.15f, 0.15f); /* labels change the fill colour */
      HPDF_Page_Rectangle(p, bx, chart_y, bar, h);
      HPDF_Page_Fill(p);
    }
    if (bins <= GZ_CHART_COUNTS_MAX) {
      char num[24];
      snprintf(num, sizeof num, "%llu", (unsigned long long)counts_bin[b]);
      float nw = pdf_text_width(&c->fonts, ROLE_SANS, 7.5f, num);
      pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.2f, bx + bar / 2 - nw / 2, chart_y + h + 3,
                    num);
    }
  }
  hline(p, x0, x0 + cw, chart_y, 0.8f, 0);
  if (n > 0 && n <= GZ_CHART_LABELS_MAX) {
    for (size_t b = 0; b < n; b++) {
      const char *lab = c->job->groups[b].short_label;
      float lw = pdf_text_width(&c->fonts, ROLE_SANS, 7.5f, lab);
      pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0 + slot * (float)b + slot / 2 - lw / 2,
                    chart_y - 12, lab);
    }
  } else if (n > 0) {
    const char *first = c->job->groups[0].label, *last = c->job->groups[n - 1].label;
    pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0, chart_y - 12, first);
    if (n > 1) {
      float lw = pdf_text_width(&c->fonts, ROLE_SANS, 7.5f, last);
      pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0 + cw - lw, chart_y - 12, last);
    }
  }
  if (n > 0) {
    char cap[80];
    snprintf(cap, sizeof cap, "Articles per group (highest: %llu)", (unsigned long long)max);
    pdf_draw_text(&c->fonts, p, ROLE_SANS, 7.5f, 0.3f, x0, chart_y + chart_h + 16, cap);
  }
  char made[64];
  snprintf(made, sizeof made, "gazette %s", GAZETTE_VERSION);
  center_text(c, p, ROLE_SANS, 7.5f, 0.45f, c->g.mb, made, NULL);
}

/* ---- contents ---- */

typedef struct toc_metrics {
  float group_lead, article_lead, group_gap, head;
} toc_metrics;

static toc_metrics toc_sizes(const pdf_ctx *c) {
  toc_metrics m = {c->g.body * 1.5f, c->g.body * 1.3f, c->g.body * 0.5f, c->g.body * 3.6f};
  return m;
}

/* Walks the entries as they will be placed; with draw set, draws them. */
static size_t toc_walk(pdf_ctx *c, bool draw) {
  toc_metrics m = toc_sizes(c);
  size_t page = 0;
  float y = top(c) - m.head;
  size_t k = 0;
  float cw = content_w(c), num_w = c->g.body * 3.2f;
  pdf_style gs = style(c, ROLE_SANS_BOLD, c->g.body * 0.98f, m.group_lead, 0);
  pdf_style as = style(c, ROLE_SERIF, c->g.body * 0.9f, m.article_lead, 0.1f);
  gs.nowrap_ellipsis = as.nowrap_ellipsis = true;
  if (draw) {
    HPDF_Page p = c->pages[1];
    pdf_draw_text(&c->fonts, p, ROLE_SANS_BOLD, c->g.body * 1.7f, 0, c->g.ml,
                  top(c) - c->g.body * 1.7f, "Contents");
  }
  for (size_t g = 0; g < c->job->n_groups; g++) {
    const gz_group *grp = &c->job->groups[g];
    for (size_t i = 0; i <= grp->n_items; i++) {
      bool is_group = i == 0;
      float lead = is_group ? m.group_lead + (g ? m.group_gap : 0) : m.article_lead;
      if (y - lead < c->g.mb) {
        page++;
        y = top(c);
      }
      y -= lead;
      size_t article = is_group ? 0 : k++;
      if (!draw) continue;
      HPDF_Page p = c->pages[1 + page];
      const place *target = is_group ? &c->group_at[g] : &c->article_at[article];
      const pdf_style *st = is_group ? &gs : &as;
      float indent = is_group ? 0 : 14;
      const char *text = is_group ? grp->label : gz_group_article(c->d, grp, i - 1)->title;
      if (!text) text = "Untitled";
      if (pdf_para_layout(&c->para, &c->fonts, st, text, strlen(text), NULL, 0, cw - indent - num_w,
                          cw - indent - num_w, NULL) == 0)
        pdf_para_draw_line(&c->para, &c->fonts, st, p, 0, c->g.ml + indent, y + lead * 0.28f,
                           false);
      char num[24];
      snprintf(num, sizeof num, "%u", target->page + 1);
      float nw = pdf_text_width(&c->fonts, st->role, st->size, num);
      pdf_draw_text(&c->fonts, p, st->role, st->size, 0.1f, c->g.w - c->g.mr - nw, y + lead * 0.28f,
                    num);
      HPDF_Destination dst = HPDF_Page_CreateDestination(c->pages[target->page]);
      if (dst) HPDF_Destination_SetFitH(dst, target->y + 4);
      HPDF_Rect r = {c->g.ml + indent, y, c->g.w - c->g.mr, y + lead};
      HPDF_Annotation a = dst ? HPDF_Page_CreateLinkAnnot(p, r, dst) : NULL;
      if (a) {
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        HPDF_LinkAnnot_SetHighlightMode(a, HPDF_ANNOT_NO_HIGHTLIGHT);
        if (c->pdfa) HPDF_Dict_AddNumber(a, "F", 4);
      }
    }
  }
  return page + 1;
}

/* ---- document-level parts ---- */

static void footers(pdf_ctx *c) {
  size_t n = c->n_pages;
  for (size_t i = 1; i < n; i++) {
    char s[48];
    snprintf(s, sizeof s, "%zu / %zu", i + 1, n);
    float w = pdf_text_width(&c->fonts, ROLE_SANS, 7.8f, s);
    if (i >= c->first_body) {
      HPDF_Dict extra;
      HPDF_Page_New_Content_Stream(c->pages[i], &extra);
    }
    pdf_draw_text(&c->fonts, c->pages[i], ROLE_SANS, 7.8f, 0.35f, (c->g.w - w) / 2, c->g.mb - 30,
                  s);
  }
}

static void outlines(pdf_ctx *c) {
  HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
  size_t k = 0;
  for (size_t g = 0; g < c->job->n_groups; g++) {
    const gz_group *grp = &c->job->groups[g];
    HPDF_Outline o = HPDF_CreateOutline(c->pdf, NULL, grp->label, enc);
    HPDF_Destination dst = HPDF_Page_CreateDestination(c->pages[c->group_at[g].page]);
    if (!o || !dst) return;
    HPDF_Destination_SetFitH(dst, c->group_at[g].y + 4);
    HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, c->job->n_groups <= 40 ? HPDF_TRUE : HPDF_FALSE);
    for (size_t i = 0; i < grp->n_items; i++, k++) {
      const gz_article *a = gz_group_article(c->d, grp, i);
      HPDF_Outline ao = HPDF_CreateOutline(c->pdf, o, a->title ? a->title : "Untitled", enc);
      HPDF_Destination ad = HPDF_Page_CreateDestination(c->pages[c->article_at[k].page]);
      if (!ao || !ad) return;
      HPDF_Destination_SetFitH(ad, c->article_at[k].y + 4);
      HPDF_Outline_SetDestination(ao, ad);
    }
  }
}

static HPDF_Date pdf_date(int64_t t) {
  int64_t day = gz_floor_div(t, 86400), secs = t - day * 86400, y;
  int m, dd;
  gz_civil_from_days(day, &y, &m, &dd);
  HPDF_Date date;
  memset(&date, 0, sizeof date);
  date.year = (HPDF_INT)y;
  date.month = m;
  date.day = dd;
  date.hour = (HPDF_INT)(secs / 3600);
  date.minutes = (HPDF_INT)(secs / 60 % 60);
  date.seconds = (HPDF_INT)(secs % 60);
  date.ind = 'Z';
  return date;
}

/* The XMP packet of PDF/A-1b, its properties matching the document
 * information dictionary, written with libxml2 so that every value is
 * escaped. Returns NULL when the writer fails at any step: a packet cut
 * short must never be embedded. */
static xmlBufferPtr xmp_packet(const gz_allocator *al, const char *title, const char *author,
                               const char *producer, const char *date) {
  xmlBufferPtr buf = xmlBufferCreate();
  gz_xw xw = {buf ? xmlNewTextWriterMemory(buf, 0) : NULL, buf == NULL, al}, *x = &xw;
  if (!xw.w) x->failed = true;
  gz_xw_pi(x, "xpacket", "begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"");
  gz_xw_string(x, "\n");
  gz_xw_start(x, "x:xmpmeta");
  gz_xw_attr(x, "xmlns:x", "adobe:ns:meta/");
  gz_xw_start(x, "rdf:RDF");
  gz_xw_attr(x, "xmlns:rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  gz_xw_start(x, "dc:title");
  gz_xw_start(x, "rdf:Alt");
  gz_xw_start(x, "rdf:li");
  gz_xw_attr(x, "xml:lang", "x-default");
  gz_xw_string(x, title);
  gz_xw_end(x); /* rdf:li */
  gz_xw_end(x); /* rdf:Alt */
  gz_xw_end(x); /* dc:title */
  if (author && *author) {
    gz_xw_start(x, "dc:creator");
    gz_xw_start(x, "rdf:Seq");
    gz_xml_elem_text(x, "rdf:li", author);
    gz_xw_end(x); /* rdf:Seq */
    gz_xw_end(x); /* dc:creator */
  }
  gz_xw_end(x);

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:xmp", "http://ns.adobe.com/xap/1.0/");
  gz_xml_elem_text(x, "xmp:CreatorTool", "gazette " GAZETTE_VERSION);
  gz_xml_elem_text(x, "xmp:CreateDate", date);
  gz_xml_elem_text(x, "xmp:ModifyDate", date);
  gz_xw_end(x);

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:pdf", "http://ns.adobe.com/pdf/1.3/");
  gz_xml_elem_text(x, "pdf:Producer", producer);
  gz_xw_end(x);

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:pdfaid", "http://www.aiim.org/pdfa/ns/id/");
  gz_xml_elem_text(x, "pdfaid:part", "1");
  gz_xml_elem_text(x, "pdfaid:conformance", "B");
  gz_xw_end(x);

  gz_xw_end(x); /* rdf:RDF */
  gz_xw_end(x); /* x:xmpmeta */
  gz_xw_string(x, "\n");
  gz_xw_pi(x, "xpacket", "end=\"w\"");
  bool ok = xw.w && gz_xw_finish(x) == 0;
  if (xw.w) xmlFreeTextWriter(xw.w);
  if (!ok && buf) {
    xmlBufferFree(buf);
    buf = NULL;
  }
  return buf;
}

/* PDF/A-1b: XMP metadata matching the document information, an sRGB
 * output intent and a fixed file identifier. libharu's own PDF/A helper
 * writes the metadata without XML escaping, names the output profile key
 * with a trailing space and makes the identifier from the clock, so the
 * pieces are assembled here from its object API instead. */
static int make_pdfa(pdf_ctx *c) {
  HPDF_Doc pdf = c->pdf;
  static const char *const icc_paths[] = {"/usr/share/color/icc/sRGB.icc",
                                          "/usr/share/color/icc/colord/sRGB.icc"};
  const char *icc = NULL;
  for (size_t i = 0; i < GZ_ARRAY_LEN(icc_paths) && !icc; i++)
    if (access(icc_paths[i], R_OK) == 0) icc = icc_paths[i];
  if (!icc)
    return gz_error_set(&c->job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "--pdfa needs the sRGB colour profile (install icc-profiles-free)");
  pdf->pdf_version = HPDF_VER_14;
  /* identifier: a hash of the title and of every article */
  uint64_t h1 = gz_hash64(c->full_title, strlen(c->full_title), 7), h2 = h1 ^ 0x9e3779b97f4a7c15ULL;
  for (size_t g = 0; g < c->job->n_groups; g++)
    for (size_t i = 0; i < c->job->groups[g].n_items; i++) {
      const gz_article *a = gz_group_article(c->d, &c->job->groups[g], i);
      h1 = gz_hash_mix(h1, gz_hash_mix(a->title_fp, a->body_fp));
      h2 = gz_hash_mix(h2, gz_hash_mix(a->url_fp, (uint64_t)a->when.utc));
    }
  HPDF_BYTE id[16];
  for (int i = 0; i < 8; i++) {
    id[i] = (HPDF_BYTE)(h1 >> (8 * i));
    id[8 + i] = (HPDF_BYTE)(h2 >> (8 * i));
  }
  HPDF_Array ids = HPDF_Array_New(pdf->mmgr);
  if (!ids || HPDF_Dict_Add(pdf->trailer, "ID", ids) != HPDF_OK) return -1;
  HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, id, 16));
  HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, id, 16));

  /* XMP */
  char date[32];
  gz_format_utc(date, sizeof date, c->facts.modified);
  const char *producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER);
  xmlBufferPtr x =
      xmp_packet(c->d->al, c->full_title, c->w->author, producer ? producer : "", date);
  if (!x)
    return gz_error_set(&c->job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "cannot write the PDF/A metadata (XMP)");
  HPDF_Dict xmp = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  int rc = xmp ? 0 : -1;
  if (rc == 0) {
    xmp->filter = HPDF_STREAM_FILTER_NONE; /* metadata stays readable */
    if (HPDF_Dict_AddName(xmp, "Type", "Metadata") != HPDF_OK ||
        HPDF_Dict_AddName(xmp, "Subtype", "XML") != HPDF_OK ||
        HPDF_Stream_Write(xmp->stream, xmlBufferContent(x), (HPDF_UINT)xmlBufferLength(x)) !=
            HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "Metadata", xmp) != HPDF_OK)
      rc = -1;
  }
  xmlBufferFree(x);
  if (rc) return -1;

  /* output intent */
  HPDF_OutputIntent profile = HPDF_LoadIccProfileFromFile(pdf, icc, 3);
  HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
  if (!profile || !intent || HPDF_Xref_Add(pdf->xref, intent) != HPDF_OK) return -1;
  HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(pdf->mmgr, "sRGB", NULL));
  HPDF_Dict_Add(intent, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
  HPDF_Dict_Add(intent, "DestOutputProfile", profile);
  HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
  if (!intents) return -1;
  HPDF_Array_Add(intents, intent);
  HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
  return 0;
}

/* libharu writes through stdio and does not check the final flush: a
 * file cut short by a full disk or a size limit would look saved. A
 * complete PDF from libharu ends with %%EOF and a line feed. */
static bool complete_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char tail[7] = {0};
  bool ok =
      fseek(f, -6, SEEK_END) == 0 && fread(tail, 1, 6, f) == 6 && memcmp(tail, "%%EOF\n", 6) == 0;
  fclose(f);
  return ok;
}

int gz_pdf_render(const gz_view *d, const gz_write_options *w, gz_job *job, int threads) {
  pdf_ctx *c = gz_malloc(d->al, sizeof *c);
  if (!c) return gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  memset(c, 0, sizeof *c);
  c->d = d;
  c->w = w;
  c->job = job;
  c->g = geometries[w->page_size <= GZ_PAGE_A5 ? w->page_size : GZ_PAGE_A4];
  c->pdfa = w->pdfa != 0;
  c->threads = threads;
  pdf_para_init(&c->para, d->al);
  gz_job_facts_compute(d, w, job, &c->facts);
  gz_full_title(w, &c->facts, c->full_title, sizeof c->full_title);
  int rc = 0;
  const gz_allocator *outer_al = tl_hpdf_al;
  tl_hpdf_al = d->al;
  bool outer_oom = tl_hpdf_oom;
  tl_hpdf_oom = false;
  c->pdf = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, c);
  if (!c->pdf) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  /* Compression first: fonts loaded before it stay uncompressed. */
  HPDF_SetCompressionMode(c->pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(c->pdf);
  HPDF_SetCurrentEncoder(c->pdf, "UTF-8");
  HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (pdf_fonts_init(&c->fonts, c->pdf, d->al, w, &job->err)) {
    rc = -1;
    goto done;
  }
  c->group_at = gz_malloc(d->al, job->n_groups * sizeof *c->group_at);
  c->article_at = gz_malloc(d->al, c->facts.articles * sizeof *c->article_at);
  if (!c->group_at || !c->article_at) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  memset(c->group_at, 0, job->n_groups * sizeof *c->group_at);
  memset(c->article_at, 0, c->facts.articles * sizeof *c->article_at);
  /* cover, then room for the contents */
  HPDF_Page cover = add_page(c);
  c->n_toc = toc_walk(c, false);
  for (size_t i = 0; i < c->n_toc; i++) add_page(c);
  c->first_body = c->n_pages;
  if (seal_start(c)) {
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    goto done;
  }
  size_t k = 0;
  for (size_t g = 0; g < job->n_groups && rc == 0 && !c->error; g++) {
    rc = draw_group(c, &job->groups[g], &c->group_at[g], &c->article_at[k]);
    k += job->groups[g].n_items;
  }
  if (rc == 0 && !c->error && c->n_pages > c->first_body &&
      (seal_page(c, cur(c)) || seal_put_back(c, true)))
    rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while compressing");
  if (rc == 0 && !c->error) {
    if (cover) draw_cover(c, cover);
    toc_walk(c, true);
    footers(c);
    outlines(c);
    /* Title and author come cleaned (gz_write_options_clean): valid
     * UTF-8, no control characters, fit for XML and PDF text strings. */
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_TITLE, c->full_title);
    if (w->author && *w->author) HPDF_SetInfoAttr(c->pdf, HPDF_INFO_AUTHOR, w->author);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_CREATOR, "gazette " GAZETTE_VERSION);
    HPDF_Date date = pdf_date(c->facts.modified);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, date);
    /* the language of the text, for screen readers and text to speech */
    const char *lang = w->lang && *w->lang ? w->lang : "en";
    if (HPDF_Dict_Add(c->pdf->catalog, "Lang", HPDF_String_New(c->pdf->mmgr, lang, NULL)) !=
        HPDF_OK) {
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      goto done;
    }
    if (c->pdfa && make_pdfa(c)) {
      if (!job->err.message[0] && (tl_hpdf_oom || c->fonts.oom))
        gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      else if (!job->err.message[0])
        gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot build the PDF/A metadata");
      rc = -1;
    }
  }
  if (rc == 0 && !c->error && c->pdfa && pdf_fonts_add_cidsets(&c->fonts)) {
    if (!c->error && (tl_hpdf_oom || c->fonts.oom))
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    else if (!c->error)
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot build the PDF/A font subsets");
    else
      rc = -1;
  }
  /* A failed allocation that was worked around (by libharu, or a
   * width or a link left out) leaves a document that is not right. */
  if (rc == 0 && !c->error && (tl_hpdf_oom || c->fonts.oom)) c->error = HPDF_FAILD_TO_ALLOC_MEM;
  if (rc == 0 && !c->error && HPDF_SaveToFile(c->pdf, job->path) != HPDF_OK && !c->error)
    c->error = HPDF_FILE_IO_ERROR;
  if (rc == 0 && !c->error && !complete_file(job->path)) c->error = HPDF_FILE_IO_ERROR;
  /* A libharu error can end the drawing early with nothing said yet:
   * it is described here, so no failure reads as "no error". */
  if ((c->error || tl_hpdf_oom || c->fonts.oom) && (rc == 0 || job->err.code == GZ_OK)) {
    bool io = c->error == HPDF_FILE_IO_ERROR || c->error == HPDF_FILE_OPEN_ERROR ||
              c->detail == HPDF_FILE_IO_ERROR || c->detail == HPDF_FILE_OPEN_ERROR;
    if (tl_hpdf_oom || c->fonts.oom || c->error == HPDF_FAILD_TO_ALLOC_MEM ||
        c->detail == HPDF_FAILD_TO_ALLOC_MEM)
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    else if (io)
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "cannot write the PDF (disk full, or a file size limit)");
    else
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "the PDF library failed (error 0x%04X, detail %u)", (unsigned)c->error,
                        (unsigned)c->detail);
  } else if (rc != 0 && job->err.code == GZ_OK) {
    rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "the PDF writer failed");
  }
done:
  seal_stop(c);
  if (c->pdf) HPDF_Free(c->pdf);
  tl_hpdf_al = outer_al;
  tl_hpdf_oom = outer_oom;
  pdf_fonts_free(&c->fonts);
  pdf_para_free(&c->para);
  gz_free(d->al, c->pages);
  gz_free(d->al, c->group_at);
  gz_free(d->al, c->article_at);
  gz_free(d->al, c);
  return rc;
}
