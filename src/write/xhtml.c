/*
 * xhtml.c - articles as XHTML, through libxml2's xmlTextWriter.
 *
 * The body blocks are flat (a quote depth, a list depth); here they become
 * nested blockquote/ul/ol/li again. Every string goes through the writer,
 * which escapes it, so no input can add markup: the only elements in the
 * output are the ones written below, and the only attributes are ids,
 * classes, languages and hrefs that passed gz_safe_href().
 */
#include <string.h>

#include "write/xhtml.h"

#define W(x) (const xmlChar *)(x)

void gz_xml_text(xmlTextWriterPtr w, const char *s, size_t len) {
  /* xmlTextWriterWriteString wants a NUL-terminated string; runs are
   * slices, so write them in pieces through a small stack buffer. */
  char buf[4096];
  while (len > 0) {
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    if (n < len) n = gz_utf8_floor(s, n); /* never cut a UTF-8 sequence */
    memcpy(buf, s, n);
    buf[n] = '\0';
    xmlTextWriterWriteString(w, W(buf));
    s += n;
    len -= n;
  }
}

void gz_xml_elem_text(xmlTextWriterPtr w, const char *name, const char *text) {
  xmlTextWriterStartElement(w, W(name));
  xmlTextWriterWriteString(w, W(text ? text : ""));
  xmlTextWriterEndElement(w);
}

/* Opens the inline elements of a style, outermost first. */
static const struct {
  uint16_t bit;
  const char *elem;
} style_elems[] = {
    {GZ_STYLE_STRONG, "strong"}, {GZ_STYLE_EM, "em"},   {GZ_STYLE_CODE, "code"}, {GZ_STYLE_U, "u"},
    {GZ_STYLE_S, "s"},           {GZ_STYLE_SUB, "sub"}, {GZ_STYLE_SUP, "sup"},
};

static void write_run_text(xmlTextWriterPtr w, const char *s, size_t len) {
  /* '\n' is a line break (<br/>) */
  while (len > 0) {
    const char *nl = memchr(s, '\n', len);
    size_t n = nl ? (size_t)(nl - s) : len;
    if (n) gz_xml_text(w, s, n);
    if (!nl) break;
    xmlTextWriterStartElement(w, W("br"));
    xmlTextWriterEndElement(w);
    s = nl + 1;
    len -= n + 1;
  }
}

/* -1 when a link could not be encoded for want of memory. */
static int write_runs(xmlTextWriterPtr w, const gz_allocator *al, const gz_block *blk) {
  int rc = 0;
  for (uint32_t i = 0; i < blk->n_runs; i++) {
    const gz_run *r = &blk->runs[i];
    int open = 0;
    const char *s;
    size_t sl;
    if (r->href && gz_safe_href(r->href, r->href_len, &s, &sl)) {
      gz_buf uri;
      gz_buf_init(&uri, al);
      if (gz_uri_encode(&uri, s, sl) == 0 && !uri.failed) {
        xmlTextWriterStartElement(w, W("a"));
        xmlTextWriterWriteAttribute(w, W("href"), W(gz_buf_cstr(&uri)));
        open++;
      }
      if (uri.failed) rc = -1;
      gz_buf_free(&uri);
    }
    uint16_t style = blk->type == GZ_BLOCK_PRE ? (uint16_t)(r->style & ~GZ_STYLE_CODE) : r->style;
    for (size_t k = 0; k < GZ_ARRAY_LEN(style_elems); k++)
      if (style & style_elems[k].bit) {
        xmlTextWriterStartElement(w, W(style_elems[k].elem));
        open++;
      }
    write_run_text(w, r->text, r->len);
    while (open-- > 0) xmlTextWriterEndElement(w);
  }
  return rc;
}

/* ---- containers: blockquotes and lists ---- */

typedef struct containers {
  int quotes;
  int lists;
  bool li_open[64];
} containers;

static void close_lists(xmlTextWriterPtr w, containers *c, int keep) {
  while (c->lists > keep) {
    if (c->li_open[c->lists - 1]) xmlTextWriterEndElement(w); /* li */
    xmlTextWriterEndElement(w);                               /* ul/ol */
    c->li_open[c->lists - 1] = false;
    c->lists--;
  }
}

static void set_quotes(xmlTextWriterPtr w, containers *c, int depth) {
  if (depth == c->quotes) return;
  close_lists(w, c, 0);
  while (c->quotes > depth) {
    xmlTextWriterEndElement(w);
    c->quotes--;
  }
  while (c->quotes < depth) {
    xmlTextWriterStartElement(w, W("blockquote"));
    c->quotes++;
  }
}

static void open_list(xmlTextWriterPtr w, containers *c, bool ordered, uint32_t first) {
  xmlTextWriterStartElement(w, W(ordered ? "ol" : "ul"));
  if (ordered && first > 1) xmlTextWriterWriteFormatAttribute(w, W("start"), "%u", first);
  c->li_open[c->lists] = false;
  c->lists++;
}

static void start_item(xmlTextWriterPtr w, containers *c, const gz_block *blk) {
  int depth = blk->depth ? blk->depth : 1;
  if (depth > 63) depth = 63;
  close_lists(w, c, depth);
  while (c->lists < depth) {
    /* A nested list lives inside an item of its parent list. */
    if (c->lists > 0 && !c->li_open[c->lists - 1]) {
      xmlTextWriterStartElement(w, W("li"));
      c->li_open[c->lists - 1] = true;
    }
    bool innermost = c->lists + 1 == depth;
    open_list(w, c, innermost && blk->ordered, innermost ? blk->number : 1);
  }
  if (c->li_open[depth - 1]) xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, W("li"));
  c->li_open[depth - 1] = true;
}

int gz_xhtml_body(xmlTextWriterPtr w, const gz_allocator *al, const gz_body *body,
                  int first_heading) {
  int rc = 0;
  containers c;
  memset(&c, 0, sizeof c);
  int base = gz_body_heading_base(body);
  for (size_t i = 0; i < body->n; i++) {
    const gz_block *blk = &body->blocks[i];
    set_quotes(w, &c, blk->quote > 16 ? 16 : blk->quote);
    if (blk->type == GZ_BLOCK_ITEM) {
      start_item(w, &c, blk);
      if (write_runs(w, al, blk)) rc = -1;
      continue;
    }
    /* A paragraph inside a list continues its item; anything else ends
     * the lists. */
    int depth = blk->type == GZ_BLOCK_PARA ? blk->depth : 0;
    if (depth > c.lists || (depth > 0 && !c.li_open[depth - 1])) depth = 0;
    close_lists(w, &c, depth);
    switch (blk->type) {
      case GZ_BLOCK_HEADING: {
        int level = first_heading + (blk->level - base);
        if (level > 6) level = 6;
        char name[3] = {'h', (char)('0' + level), 0};
        xmlTextWriterStartElement(w, W(name));
        if (write_runs(w, al, blk)) rc = -1;
        xmlTextWriterEndElement(w);
        break;
      }
      case GZ_BLOCK_PRE:
        xmlTextWriterStartElement(w, W("pre"));
        if (write_runs(w, al, blk)) rc = -1;
        xmlTextWriterEndElement(w);
        break;
      case GZ_BLOCK_RULE:
        xmlTextWriterStartElement(w, W("hr"));
        xmlTextWriterEndElement(w);
        break;
      default:
        xmlTextWriterStartElement(w, W("p"));
        if (write_runs(w, al, blk)) rc = -1;
        xmlTextWriterEndElement(w);
        break;
    }
  }
  close_lists(w, &c, 0);
  set_quotes(w, &c, 0);
  return rc;
}

int gz_xhtml_meta(xmlTextWriterPtr w, const gz_digest *d, const gz_article *a) {
  int rc = 0;
  xmlTextWriterStartElement(w, W("p"));
  xmlTextWriterWriteAttribute(w, W("class"), W("meta"));
  bool sep = false;
  if (a->dated) {
    char iso[64], human[96];
    gz_format_iso(iso, sizeof iso, d->tz, &a->when);
    gz_format_long(human, sizeof human, d->tz, &a->when);
    xmlTextWriterStartElement(w, W("time"));
    xmlTextWriterWriteAttribute(w, W("datetime"), W(iso));
    xmlTextWriterWriteString(w, W(human));
    xmlTextWriterEndElement(w);
    sep = true;
  }
  for (uint32_t i = 0; i < a->n_authors; i++) {
    xmlTextWriterWriteString(w, W(i == 0 ? (sep ? " \xC2\xB7 " : "") : ", "));
    xmlTextWriterWriteString(w, W(a->authors[i]));
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
    gz_uri_encode(&uri, s, n);
    if (uri.failed) rc = -1;
    gz_url_host(a->url, host, sizeof host);
    if (sep) xmlTextWriterWriteString(w, W(" \xC2\xB7 "));
    xmlTextWriterStartElement(w, W("a"));
    xmlTextWriterWriteAttribute(w, W("href"), W(gz_buf_cstr(&uri)));
    xmlTextWriterWriteString(w, W(host));
    xmlTextWriterEndElement(w);
    gz_buf_free(&uri);
    sep = true;
  }
  if (!sep) xmlTextWriterWriteString(w, W("Undated"));
  xmlTextWriterEndElement(w);
  if (a->n_tags) {
    xmlTextWriterStartElement(w, W("p"));
    xmlTextWriterWriteAttribute(w, W("class"), W("tags"));
    for (uint32_t i = 0; i < a->n_tags; i++) {
      if (i) xmlTextWriterWriteString(w, W(", "));
      xmlTextWriterWriteString(w, W(a->tags[i]));
    }
    xmlTextWriterEndElement(w);
  }
  return rc;
}

void gz_xhtml_start(xmlTextWriterPtr w, const char *lang, const char *title, bool epub_ns) {
  xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
  xmlTextWriterWriteDTD(w, W("html"), NULL, NULL, NULL);
  xmlTextWriterStartElement(w, W("html"));
  xmlTextWriterWriteAttribute(w, W("xmlns"), W("http://www.w3.org/1999/xhtml"));
  if (epub_ns) xmlTextWriterWriteAttribute(w, W("xmlns:epub"), W("http://www.idpf.org/2007/ops"));
  xmlTextWriterWriteAttribute(w, W("xml:lang"), W(lang));
  xmlTextWriterWriteAttribute(w, W("lang"), W(lang));
  xmlTextWriterStartElement(w, W("head"));
  gz_xml_elem_text(w, "title", title);
  xmlTextWriterStartElement(w, W("link"));
  xmlTextWriterWriteAttribute(w, W("rel"), W("stylesheet"));
  xmlTextWriterWriteAttribute(w, W("type"), W("text/css"));
  xmlTextWriterWriteAttribute(w, W("href"), W("style.css"));
  xmlTextWriterEndElement(w);
  xmlTextWriterEndElement(w); /* head */
  xmlTextWriterStartElement(w, W("body"));
}

void gz_xhtml_end(xmlTextWriterPtr w) {
  xmlTextWriterEndDocument(w); /* closes body and html */
  xmlTextWriterFlush(w);
}
