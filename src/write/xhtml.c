/*
 * xhtml.c - articles as XHTML, through libxml2's xmlTextWriter.
 *
 * The body blocks are flat (a quote depth, a list depth); here they become
 * nested blockquote/ul/ol/li again. Every string goes through the writer,
 * which escapes it, so no input can add markup: the only elements in the
 * output are the ones written below, and the only attributes are ids,
 * classes, languages, directions and hrefs that passed gz_safe_href(). A failure
 * inside libxml2 (memory, an output that takes no more) is kept in the
 * gz_xw and ends the document as an error, never as a shorter file.
 */
#include <stdarg.h>
#include <string.h>

#include "write/xhtml.h"

#define W(x) (const xmlChar *)(x)

/* ---- checked writer calls ---- */

static void check(gz_xw *x, int rc) {
  if (rc < 0) x->failed = true;
}

void gz_xw_start_document(gz_xw *x) {
  if (!x->failed) check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
}

void gz_xw_end_document(gz_xw *x) {
  if (!x->failed) check(x, xmlTextWriterEndDocument(x->w));
}

void gz_xw_start(gz_xw *x, const char *name) {
  if (!x->failed) check(x, xmlTextWriterStartElement(x->w, W(name)));
}

void gz_xw_end(gz_xw *x) {
  if (!x->failed) check(x, xmlTextWriterEndElement(x->w));
}

void gz_xw_attr(gz_xw *x, const char *name, const char *value) {
  if (!x->failed) check(x, xmlTextWriterWriteAttribute(x->w, W(name), W(value)));
}

void gz_xw_attrf(gz_xw *x, const char *name, const char *fmt, ...) {
  if (x->failed) return;
  va_list ap;
  va_start(ap, fmt);
  check(x, xmlTextWriterWriteVFormatAttribute(x->w, W(name), fmt, ap));
  va_end(ap);
}

void gz_xw_string(gz_xw *x, const char *s) {
  if (!x->failed) check(x, xmlTextWriterWriteString(x->w, W(s)));
}

void gz_xw_pi(gz_xw *x, const char *target, const char *content) {
  if (!x->failed) check(x, xmlTextWriterWritePI(x->w, W(target), W(content)));
}

void gz_xw_stringf(gz_xw *x, const char *fmt, ...) {
  if (x->failed) return;
  va_list ap;
  va_start(ap, fmt);
  check(x, xmlTextWriterWriteVFormatString(x->w, fmt, ap));
  va_end(ap);
}

int gz_xw_finish(gz_xw *x) {
  if (!x->failed) check(x, xmlTextWriterFlush(x->w));
  return x->failed ? -1 : 0;
}

static void raised(void *ctx, const char *msg, ...) {
  (void)msg;
  ((gz_xml_quiet *)ctx)->raised = true;
}

static void raised_structured(void *ctx, xmlErrorPtr error) {
  (void)error;
  ((gz_xml_quiet *)ctx)->raised = true;
}

void gz_xml_quiet_begin(gz_xml_quiet *q) {
  q->func = xmlGenericError;
  q->ctx = xmlGenericErrorContext;
  q->sfunc = xmlStructuredError;
  q->sctx = xmlStructuredErrorContext;
  q->raised = false;
  xmlSetGenericErrorFunc(q, raised);
  xmlSetStructuredErrorFunc(q, raised_structured);
}

void gz_xml_quiet_end(const gz_xml_quiet *q) {
  xmlSetGenericErrorFunc(q->ctx, q->func);
  xmlSetStructuredErrorFunc(q->sctx, q->sfunc);
}

/* ---- text ---- */

void gz_xml_text(gz_xw *x, const char *s, size_t len) {
  /* xmlTextWriterWriteString wants a NUL-terminated string; runs are
   * slices, so write them in pieces through a small stack buffer. */
  char buf[4096];
  while (len > 0) {
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    if (n < len) n = gz_utf8_floor(s, n); /* never cut a UTF-8 sequence */
    memcpy(buf, s, n);
    buf[n] = '\0';
    gz_xw_string(x, buf);
    s += n;
    len -= n;
  }
}

void gz_xml_elem_text(gz_xw *x, const char *name, const char *text) {
  gz_xw_start(x, name);
  gz_xw_string(x, text ? text : "");
  gz_xw_end(x);
}

/* Opens the inline elements of a style, outermost first. */
static const struct {
  uint16_t bit;
  const char *elem;
} style_elems[] = {
    {GZ_STYLE_STRONG, "strong"}, {GZ_STYLE_EM, "em"},   {GZ_STYLE_CODE, "code"}, {GZ_STYLE_U, "u"},
    {GZ_STYLE_S, "s"},           {GZ_STYLE_SUB, "sub"}, {GZ_STYLE_SUP, "sup"},
};

static void write_run_text(gz_xw *x, const char *s, size_t len) {
  /* '\n' is a line break (<br/>) */
  while (len > 0) {
    const char *nl = memchr(s, '\n', len);
    size_t n = nl ? (size_t)(nl - s) : len;
    if (n) gz_xml_text(x, s, n);
    if (!nl) break;
    gz_xw_start(x, "br");
    gz_xw_end(x);
    s = nl + 1;
    len -= n + 1;
  }
}

/* A block's own direction and language (set by model/direction.c only
 * where they differ from its article's). */
static void block_dir_lang(gz_xw *x, const gz_block *blk) {
  gz_xhtml_dir_lang(x, blk->dir, blk->lang);
}

static void write_runs(gz_xw *x, const gz_block *blk) {
  for (uint32_t i = 0; i < blk->n_runs; i++) {
    const gz_run *r = &blk->runs[i];
    int open = 0;
    const char *s;
    size_t sl;
    if (r->href && gz_safe_href(r->href, r->href_len, &s, &sl)) {
      gz_buf uri;
      gz_buf_init(&uri, x->al);
      if (gz_uri_encode(&uri, s, sl) != 0 || uri.failed) x->failed = true; /* out of memory */
      gz_xw_start(x, "a");
      gz_xw_attr(x, "href", gz_buf_cstr(&uri));
      open++;
      gz_buf_free(&uri);
    }
    uint16_t style = blk->type == GZ_BLOCK_PRE ? (uint16_t)(r->style & ~GZ_STYLE_CODE) : r->style;
    for (size_t k = 0; k < GZ_ARRAY_LEN(style_elems); k++)
      if (style & style_elems[k].bit) {
        gz_xw_start(x, style_elems[k].elem);
        open++;
      }
    write_run_text(x, r->text, r->len);
    while (open-- > 0) gz_xw_end(x);
  }
}

/* ---- containers: blockquotes and lists ---- */

typedef struct containers {
  int quotes;
  int lists;
  bool li_open[GZ_LIST_MAX + 1]; /* + 1: a paragraph may name one more */
} containers;

static void close_lists(gz_xw *x, containers *c, int keep) {
  while (c->lists > keep) {
    if (c->li_open[c->lists - 1]) gz_xw_end(x); /* li */
    gz_xw_end(x);                               /* ul/ol */
    c->li_open[c->lists - 1] = false;
    c->lists--;
  }
}

static void set_quotes(gz_xw *x, containers *c, int depth) {
  if (depth == c->quotes) return;
  close_lists(x, c, 0);
  while (c->quotes > depth) {
    gz_xw_end(x);
    c->quotes--;
  }
  while (c->quotes < depth) {
    gz_xw_start(x, "blockquote");
    c->quotes++;
  }
}

static void open_list(gz_xw *x, containers *c, bool ordered, uint32_t first) {
  gz_xw_start(x, ordered ? "ol" : "ul");
  if (ordered && first > 1) gz_xw_attrf(x, "start", "%u", first);
  c->li_open[c->lists] = false;
  c->lists++;
}

static void start_item(gz_xw *x, containers *c, const gz_block *blk) {
  int depth = blk->item.depth ? blk->item.depth : 1;
  close_lists(x, c, depth);
  while (c->lists < depth) {
    /* A nested list lives inside an item of its parent list. */
    if (c->lists > 0 && !c->li_open[c->lists - 1]) {
      gz_xw_start(x, "li");
      c->li_open[c->lists - 1] = true;
    }
    bool innermost = c->lists + 1 == depth;
    open_list(x, c, innermost && blk->item.ordered, innermost ? blk->item.number : 1);
  }
  if (c->li_open[depth - 1]) gz_xw_end(x);
  gz_xw_start(x, "li");
  block_dir_lang(x, blk);
  c->li_open[depth - 1] = true;
}

void gz_xhtml_body(gz_xw *x, const gz_body *body, int first_heading) {
  containers c;
  memset(&c, 0, sizeof c);
  int base = gz_body_heading_base(body);
  for (size_t i = 0; i < body->n; i++) {
    const gz_block *blk = &body->blocks[i];
    set_quotes(x, &c, blk->quote);
    if (blk->type == GZ_BLOCK_ITEM) {
      start_item(x, &c, blk);
      write_runs(x, blk);
      continue;
    }
    /* A paragraph inside a list continues its item; anything else ends
     * the lists. */
    int depth = blk->type == GZ_BLOCK_PARA ? blk->para.depth : 0;
    if (depth > c.lists || (depth > 0 && !c.li_open[depth - 1])) depth = 0;
    close_lists(x, &c, depth);
    switch (blk->type) {
      case GZ_BLOCK_HEADING: {
        int level = first_heading + (blk->heading.level - base);
        if (level > 6) level = 6;
        char name[3] = {'h', (char)('0' + level), 0};
        gz_xw_start(x, name);
        block_dir_lang(x, blk);
        write_runs(x, blk);
        gz_xw_end(x);
        break;
      }
      case GZ_BLOCK_PRE:
        gz_xw_start(x, "pre");
        block_dir_lang(x, blk);
        write_runs(x, blk);
        gz_xw_end(x);
        break;
      case GZ_BLOCK_RULE:
        gz_xw_start(x, "hr");
        gz_xw_end(x);
        break;
      default:
        gz_xw_start(x, "p");
        block_dir_lang(x, blk);
        write_runs(x, blk);
        gz_xw_end(x);
        break;
    }
  }
  close_lists(x, &c, 0);
  set_quotes(x, &c, 0);
}

void gz_xhtml_meta(gz_xw *x, const gz_view *d, const gz_article *a) {
  gz_xw_start(x, "p");
  gz_xw_attr(x, "class", "meta");
  bool sep = false;
  if (a->dated) {
    char iso[64], human[96];
    gz_format_iso(iso, sizeof iso, d->tz, &a->when);
    gz_format_long(human, sizeof human, d->tz, &a->when);
    gz_xw_start(x, "time");
    gz_xw_attr(x, "datetime", iso);
    gz_xw_string(x, human);
    gz_xw_end(x);
    sep = true;
  }
  for (uint32_t i = 0; i < a->n_authors; i++) {
    gz_xw_string(x, i == 0 ? (sep ? " \xC2\xB7 " : "") : ", ");
    gz_xw_string(x, a->authors[i]);
    sep = true;
  }
  const char *s;
  size_t n;
  /* The source as a link; a source that is not http, https or mailto is
   * left out rather than shown. */
  if (a->url && gz_safe_href(a->url, strlen(a->url), &s, &n)) {
    char host[256];
    gz_buf uri;
    gz_buf_init(&uri, d->al);
    if (gz_uri_encode(&uri, s, n) != 0 || uri.failed) x->failed = true; /* out of memory */
    gz_url_host(a->url, host, sizeof host);
    if (sep) gz_xw_string(x, " \xC2\xB7 ");
    gz_xw_start(x, "a");
    gz_xw_attr(x, "href", gz_buf_cstr(&uri));
    gz_xw_string(x, host);
    gz_xw_end(x);
    gz_buf_free(&uri);
    sep = true;
  }
  if (!sep) gz_xw_string(x, "Undated");
  gz_xw_end(x);
  if (a->n_tags) {
    gz_xw_start(x, "p");
    gz_xw_attr(x, "class", "tags");
    for (uint32_t i = 0; i < a->n_tags; i++) {
      if (i) gz_xw_string(x, ", ");
      gz_xw_string(x, a->tags[i]);
    }
    gz_xw_end(x);
  }
}

void gz_xhtml_dir_lang(gz_xw *x, uint8_t dir, const char *lang) {
  if (lang) {
    gz_xw_attr(x, "xml:lang", lang);
    gz_xw_attr(x, "lang", lang);
  }
  if (dir == GZ_DIR_LTR || dir == GZ_DIR_RTL)
    gz_xw_attr(x, "dir", dir == GZ_DIR_RTL ? "rtl" : "ltr");
}

void gz_xhtml_start(gz_xw *x, const char *lang, const char *title, bool epub_ns) {
  gz_xhtml_start_dir(x, lang, GZ_DIR_ARTICLE, title, epub_ns);
}

void gz_xhtml_start_dir(gz_xw *x, const char *lang, uint8_t dir, const char *title, bool epub_ns) {
  gz_xw_start_document(x);
  if (!x->failed) check(x, xmlTextWriterWriteDTD(x->w, W("html"), NULL, NULL, NULL));
  gz_xw_start(x, "html");
  gz_xw_attr(x, "xmlns", "http://www.w3.org/1999/xhtml");
  if (epub_ns) gz_xw_attr(x, "xmlns:epub", "http://www.idpf.org/2007/ops");
  gz_xhtml_dir_lang(x, dir == GZ_DIR_RTL ? GZ_DIR_RTL : GZ_DIR_ARTICLE, lang);
  gz_xw_start(x, "head");
  gz_xml_elem_text(x, "title", title);
  gz_xw_start(x, "link");
  gz_xw_attr(x, "rel", "stylesheet");
  gz_xw_attr(x, "type", "text/css");
  gz_xw_attr(x, "href", "style.css");
  gz_xw_end(x);
  gz_xw_end(x); /* head */
  gz_xw_start(x, "body");
}

int gz_xhtml_end(gz_xw *x) {
  gz_xw_end_document(x); /* closes body and html */
  return gz_xw_finish(x);
}
