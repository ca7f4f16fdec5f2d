/*
 * feed.c - the feed reader: RSS 2.0, RSS 1.0 (RDF) and Atom 1.0.
 *
 * The shapes, as their owners define them:
 *   RSS 2.0            https://www.rssboard.org/rss-specification
 *   content module     https://web.resource.org/rss/1.0/modules/content/
 *   Dublin Core module https://web.resource.org/rss/1.0/modules/dc/
 *   RSS 1.0            https://web.resource.org/rss/1.0/spec
 *   Atom 1.0           RFC 4287, https://www.rfc-editor.org/rfc/rfc4287
 *   Media RSS          https://www.rssboard.org/media-rss
 *
 * The clean UTF-8 of the input is pushed, chunk by chunk as feed() gets
 * it, into libxml2's push parser, whose SAX2 events this file turns into
 * one raw article per item (entry): only the item being read is held, so
 * a feed of any length is read in the memory of its largest item. (The
 * xmlTextReader interface pulls its input and takes a drained buffer for
 * the end of the document, which a reader that is fed cannot offer.)
 *
 * Safety: the network is off (XML_PARSE_NONET); entities are never
 * substituted by the parser (no XML_PARSE_NOENT) nor a DTD loaded (no
 * DTDLOAD, DTDATTR, DTDVALID), and the hooks that would load an external
 * entity or subset refuse: no file or URL named by a document is opened.
 * The replacement text of internal entities is counted against a budget
 * (ENTITY_BUDGET plus the size of the input), so an entity that expands
 * into billions of characters stops the read with an error instead of
 * filling the memory.
 */
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "read/reader.h"

/* The namespaces of the elements read (each spec above names its own). */
#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_RSS1 "http://purl.org/rss/1.0/"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_MEDIA "http://search.yahoo.com/mrss/"
#define NS_XML "http://www.w3.org/XML/1998/namespace"
#define NS_XHTML "http://www.w3.org/1999/xhtml"

/* Bytes of entity replacement text allowed beyond the input's own size:
 * real feeds use a few named characters; a billion laughs needs far more. */
#define ENTITY_BUDGET (1u << 20)

/* xml:lang values in scope, innermost last (deeper ones are not kept). */
#define LANG_DEPTH 16
#define LANG_MAX 64

typedef enum shape { SHAPE_NONE = 0, SHAPE_RSS2, SHAPE_RSS1, SHAPE_ATOM } shape;

/* What the text being collected is, and where it goes when its element
 * ends. */
typedef enum field {
  F_NONE = 0,
  F_TITLE,
  F_LINK,
  F_CONTENT,     /* content:encoded, atom:content */
  F_SUMMARY,     /* description, atom:summary */
  F_PUBDATE,     /* RSS 2.0 pubDate, atom:published */
  F_DCDATE,      /* dc:date */
  F_UPDATED,     /* atom:updated */
  F_RSS_AUTHOR,  /* RSS 2.0 author: "mail@example.com (Name)" */
  F_CREATOR,     /* dc:creator, atom:author/name */
  F_CATEGORY,    /* category, dc:subject */
  F_GUID,        /* RSS 2.0 guid */
  F_CHAN_LANG,   /* the channel's language, dc:language */
  F_CHAN_AUTHOR, /* the channel's dc:creator, the Atom feed's author/name */
  F_SRC_AUTHOR   /* author/name of an Atom entry's source */
} field;

/* How the text of a field is to be read. */
typedef enum kind { K_AUTO = 0, K_TEXT, K_HTML, K_XHTML, K_SKIP } kind;

typedef struct lang_entry {
  int depth;
  char tag[LANG_MAX];
} lang_entry;

typedef struct item {
  bool open;
  int depth;
  unsigned long line, col;
  uint64_t start;
  gz_buf title, link, content, summary, pubdate, dcdate, updated, guid;
  gz_buf creators, rss_authors, src_authors, tags, image;
  kind title_kind, content_kind, summary_kind;
  bool guid_link;
  int image_rank; /* 0 none; lower is better */
  char lang[LANG_MAX];
} item;

typedef struct feed_reader {
  gz_input *in;
  xmlParserCtxtPtr ctxt;
  xmlSAXHandler sax;
  shape shape;
  bool stop;    /* an error ended the read; events are ignored */
  bool too_big; /* a field of the item went over the size limit */
  bool warned_external;
  size_t item_bytes; /* of the item's fields so far */
  bool finishing;    /* the input has ended */
  int depth;         /* of the element open now; the root is 1 */
  int skip_depth;    /* inside a subtree left out (atom:source), or 0 */
  /* The field being collected: from the start of its element at
   * field_depth to its end; XHTML fields keep the markup inside their
   * wrapper div (div_depth). */
  field field;
  kind field_kind;
  int field_depth, div_depth;
  bool in_author; /* inside an author element whose name is wanted */
  int author_depth;
  field author_field;
  gz_buf text;
  item it;
  gz_buf chan_authors;
  char chan_lang[LANG_MAX];
  lang_entry langs[LANG_DEPTH];
  int n_langs;
  uint64_t fed;           /* bytes given to the parser */
  uint64_t entity_bytes;  /* entity replacement text met so far */
  const gz_allocator *al; /* the digest's: for this file's own memory */
  size_t limit;           /* the article size limit */
} feed_reader;

static feed_reader *reader_of(void *ctx) {
  return (feed_reader *)((xmlParserCtxtPtr)ctx)->_private;
}

static bool is(const xmlChar *uri, const char *ns) {
  return uri ? ns && strcmp((const char *)uri, ns) == 0 : ns == NULL;
}

static bool named(const xmlChar *local, const char *name) {
  return strcmp((const char *)local, name) == 0;
}

/* The value of attribute `name` (no namespace, or `ns`) of a SAX2 start
 * tag (five pointers an attribute: local, prefix, URI, value, end). */
static const char *attr(int n, const xmlChar **attrs, const char *ns, const char *name,
                        size_t *len) {
  for (int i = 0; i < n; i++) {
    const xmlChar **a = attrs + 5 * i;
    if (named(a[0], name) && is(a[2], ns)) {
      *len = (size_t)(a[4] - a[3]);
      return (const char *)a[3];
    }
  }
  *len = 0;
  return NULL;
}

/* Appends an attribute value as text. Without entity substitution SAX2
 * gives an "&amp;" of the document as "&#38;" (other character references
 * are decoded), so that one reference is turned back into '&'. */
static void put_attr_text(gz_buf *b, const char *s, size_t n) {
  gz_trim(&s, &n);
  size_t from = 0;
  for (size_t i = 0; i + 5 <= n; i++) {
    if (memcmp(s + i, "&#38;", 5) != 0) continue;
    gz_buf_append(b, s + from, i - from);
    gz_buf_putc(b, '&');
    from = i + 5;
    i += 4;
  }
  gz_buf_append(b, s + from, n - from);
}

static bool attr_is(int n, const xmlChar **attrs, const char *name, const char *value) {
  size_t len;
  const char *v = attr(n, attrs, NULL, name, &len);
  if (!v) return false;
  gz_trim(&v, &len);
  return gz_ascii_ieq(v, len, value);
}

/* ---- positions ---- */

/* Where the start tag just parsed begins. The parser's position is at the
 * tag's closing '>' (or "/>"), and a start tag holds no '<' of its own,
 * so the '<' before it opens the tag. */
static void tag_start(feed_reader *r, unsigned long *line, unsigned long *col, uint64_t *off) {
  xmlParserInputPtr in = r->ctxt->input;
  *line = in ? (unsigned long)in->line : 0;
  *col = in ? (unsigned long)in->col : 0;
  *off = r->fed;
  if (!in || !in->cur || !in->base || in != r->ctxt->inputTab[0]) return;
  const xmlChar *lt = in->cur;
  while (lt > in->base && *lt != '<') lt--;
  if (*lt != '<') return;
  *off = (uint64_t)in->consumed + (uint64_t)(lt - in->base);
  unsigned long lines = 0, chars = 0;
  for (const xmlChar *p = lt; p < in->cur; p++) {
    if (*p == '\n')
      lines++, chars = 0;
    else if ((*p & 0xC0) != 0x80)
      chars++;
  }
  if (lines == 0) {
    *col = *col > chars ? *col - chars : 1;
    return;
  }
  *line -= lines;
  const xmlChar *ls = lt;
  while (ls > in->base && ls[-1] != '\n') ls--;
  *col = 1;
  for (const xmlChar *p = ls; p < lt; p++)
    if ((*p & 0xC0) != 0x80) (*col)++;
}

static uint64_t here(const feed_reader *r) {
  xmlParserInputPtr in = r->ctxt->input;
  if (!in || !in->cur || !in->base || in != r->ctxt->inputTab[0]) return r->fed;
  return (uint64_t)in->consumed + (uint64_t)(in->cur - in->base);
}

/* ---- stopping ---- */

static void stop_with(feed_reader *r, unsigned long line, unsigned long col, const char *msg) {
  if (r->stop) return;
  r->stop = true;
  gz_digest *d = r->in->d;
  gz_digest_tally(d)->errors++;
  gz_diag_add(d, GZ_SEV_ERROR, r->in->name, line, col,
              "%s; reading of this file stops here (articles before are kept)", msg);
  r->in->stopped = true;
  xmlStopParser(r->ctxt);
}

static void nomem(feed_reader *r) {
  if (!r->in->failed) gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  r->in->failed = true;
  r->stop = true;
  xmlStopParser(r->ctxt);
}

/* libxml2's messages: a fatal one (not well-formed) ends the read at its
 * place; errors it recovers from and warnings lose nothing. */
static void on_error(void *ctx, xmlErrorPtr e) {
  feed_reader *r = reader_of(ctx);
  if (!e || e->level != XML_ERR_FATAL || r->stop) return;
  char msg[320];
  const char *m = e->message ? e->message : "not well-formed";
  size_t n = strlen(m);
  while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
  if (n > 200) n = 200;
  if (r->finishing && r->depth > 0 && e->code == XML_ERR_DOCUMENT_END)
    snprintf(msg, sizeof msg, "the XML ends too early (truncated?) with %d element%s open",
             r->depth, r->depth == 1 ? "" : "s");
  else
    snprintf(msg, sizeof msg, "not well-formed XML: %.*s", (int)n, m);
  unsigned long line = e->line > 0 ? (unsigned long)e->line : 0;
  unsigned long col = e->int2 > 0 ? (unsigned long)e->int2 : 0;
  /* An error inside an entity's text has a place in that text: the
   * document's place is where the reference is. */
  if (ctx != (void *)r->ctxt && r->ctxt->input) {
    line = (unsigned long)r->ctxt->input->line;
    col = (unsigned long)r->ctxt->input->col;
  }
  stop_with(r, line, col, msg);
}

/* ---- entities ---- */

/* Counts the replacement text of every internal entity met (nested
 * references included: they are looked up again each time) and stops the
 * read past the budget. */
static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name) {
  feed_reader *r = reader_of(ctx);
  if (r->stop) return NULL;
  xmlEntityPtr e = xmlSAX2GetEntity(ctx, name);
  if (e && e->etype == XML_INTERNAL_GENERAL_ENTITY) {
    r->entity_bytes += (uint64_t)(e->length > 0 ? e->length : 0) + 1;
    if (r->entity_bytes > ENTITY_BUDGET + r->fed) {
      xmlParserInputPtr in = r->ctxt->input;
      char msg[200];
      snprintf(msg, sizeof msg, "entity references expand to more than %llu bytes",
               (unsigned long long)(ENTITY_BUDGET + r->fed));
      stop_with(r, in ? (unsigned long)in->line : 0, in ? (unsigned long)in->col : 0, msg);
      return NULL;
    }
  }
  return e;
}

/* External entities and subsets are never loaded. */
static xmlParserInputPtr on_resolve(void *ctx, const xmlChar *public_id, const xmlChar *system_id) {
  (void)ctx, (void)public_id, (void)system_id;
  return NULL;
}

/* A reference the parser does not expand: an external entity, whose
 * text is left out with a warning (once a file). */
static void on_reference(void *ctx, const xmlChar *name) {
  feed_reader *r = reader_of(ctx);
  xmlEntityPtr e = xmlSAX2GetEntity(ctx, name);
  if (r->stop || r->warned_external || !e || e->etype == XML_INTERNAL_GENERAL_ENTITY) return;
  r->warned_external = true;
  xmlParserInputPtr in = r->ctxt->input;
  gz_diag_add(r->in->d, GZ_SEV_WARNING, r->in->name, in ? (unsigned long)in->line : 0,
              in ? (unsigned long)in->col : 0,
              "the external entity &%.60s; is not loaded: its text is left out",
              (const char *)name);
}

/* ---- collecting text ---- */

static int too_big(feed_reader *r, const gz_buf *b, size_t add) {
  if (b->len + add <= r->limit) return 0;
  r->too_big = true;
  return 1;
}

/* Appends text as HTML. In an attribute's value SAX2 left every '&' as
 * the reference "&#38;" (see put_attr_text), so '&' is not escaped again
 * there. */
static void put_escaped(gz_buf *b, const char *s, size_t n, bool attr_value) {
  size_t from = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep = s[i] == '&' && !attr_value  ? "&amp;"
                      : s[i] == '<'               ? "&lt;"
                      : s[i] == '>'               ? "&gt;"
                      : attr_value && s[i] == '"' ? "&quot;"
                                                  : NULL;
    if (!rep) continue;
    gz_buf_append(b, s + from, i - from);
    gz_buf_puts(b, rep);
    from = i + 1;
  }
  gz_buf_append(b, s + from, n - from);
}

static void on_text(void *ctx, const xmlChar *s, int n) {
  feed_reader *r = reader_of(ctx);
  if (r->stop || r->field == F_NONE || n <= 0 || r->field_kind == K_SKIP) return;
  /* Text of an XHTML field outside its div is white space by RFC 4287
   * 3.1.1.3, and not the content. */
  if (r->field_kind == K_XHTML && r->div_depth && r->depth < r->div_depth) return;
  if (too_big(r, &r->text, (size_t)n)) return;
  if (r->field_kind == K_XHTML)
    put_escaped(&r->text, (const char *)s, (size_t)n, false);
  else
    gz_buf_append(&r->text, s, (size_t)n);
}

static void begin_field(feed_reader *r, field f, kind k) {
  r->field = f;
  r->field_kind = k;
  r->field_depth = r->depth;
  r->div_depth = 0;
  gz_buf_clear(&r->text);
}

/* The kind an Atom text construct's type attribute gives (RFC 4287
 * 3.1.1: text, html, xhtml; content may also name a media type, 4.1.3). */
static kind atom_kind(int n, const xmlChar **attrs, bool content) {
  size_t len, src_len;
  if (content && attr(n, attrs, NULL, "src", &src_len)) return K_SKIP; /* out-of-line content */
  const char *t = attr(n, attrs, NULL, "type", &len);
  if (!t) return K_TEXT;
  gz_trim(&t, &len);
  if (gz_ascii_ieq(t, len, "text")) return K_TEXT;
  if (gz_ascii_ieq(t, len, "html") || gz_ascii_ieq(t, len, "text/html")) return K_HTML;
  if (gz_ascii_ieq(t, len, "xhtml")) return K_XHTML;
  if (content && gz_ascii_iprefix(t, len, "text/")) return K_TEXT;
  return K_SKIP; /* XML or base64 media: not a body */
}

/* Appends s as one item of a NUL-separated list. */
static void list_add(gz_buf *list, const char *s, size_t n) {
  gz_trim(&s, &n);
  if (!n) return;
  gz_buf_append(list, s, n);
  gz_buf_putc(list, '\0');
}

/* An RSS 2.0 author is a mail address, often with the name in brackets
 * ("news@example.com (Ada Lovelace)"): the name, when there is one. */
static void rss_author_add(gz_buf *list, const char *s, size_t n) {
  gz_trim(&s, &n);
  const char *open = memchr(s, '(', n);
  if (open && n && s[n - 1] == ')' && open + 1 < s + n - 1) {
    const char *name = open + 1;
    size_t nl = (size_t)(s + n - 1 - name);
    gz_trim(&name, &nl);
    if (nl) {
      list_add(list, name, nl);
      return;
    }
  }
  list_add(list, s, n);
}

static void set_once(gz_buf *b, const char *s, size_t n) {
  if (b->len) return;
  gz_trim(&s, &n);
  gz_buf_append(b, s, n);
}

/* set_once() for an attribute's value. */
static void set_once_attr(gz_buf *b, const char *s, size_t n) {
  if (!b->len) put_attr_text(b, s, n);
}

/* list_add() for an attribute's value. */
static void list_add_attr(gz_buf *list, const char *s, size_t n) {
  gz_trim(&s, &n);
  if (!n) return;
  put_attr_text(list, s, n);
  gz_buf_putc(list, '\0');
}

static void set_image(item *it, int rank, const char *url, size_t n) {
  gz_trim(&url, &n);
  if (!n || (it->image_rank && it->image_rank <= rank)) return;
  gz_buf_clear(&it->image);
  put_attr_text(&it->image, url, n);
  it->image_rank = rank;
}

/* Does the item have room for n more bytes of its fields? Past the
 * article size limit it is marked too big (ingest skips it) and nothing
 * more of it is kept: a feed item of a million categories costs no more
 * memory than the limit. */
static bool item_room(feed_reader *r, size_t n) {
  if (r->too_big) return false;
  r->item_bytes += n;
  if (r->item_bytes <= r->limit) return true;
  r->too_big = true;
  return false;
}

static void end_field(feed_reader *r) {
  item *it = &r->it;
  const char *s = gz_buf_cstr(&r->text);
  size_t n = r->text.len;
  bool channel = r->field == F_CHAN_LANG || r->field == F_CHAN_AUTHOR;
  if (channel ? r->chan_authors.len + n > r->limit : !item_room(r, n + 1)) r->field = F_NONE;
  switch (r->field) {
    case F_TITLE:
      if (!it->title.len) {
        set_once(&it->title, s, n);
        it->title_kind = r->field_kind;
      }
      break;
    case F_LINK:
      set_once(&it->link, s, n);
      break;
    case F_CONTENT:
      if (!it->content.len && r->field_kind != K_SKIP) {
        set_once(&it->content, s, n);
        it->content_kind = r->field_kind;
      }
      break;
    case F_SUMMARY:
      if (!it->summary.len) {
        set_once(&it->summary, s, n);
        it->summary_kind = r->field_kind;
      }
      break;
    case F_PUBDATE:
      set_once(&it->pubdate, s, n);
      break;
    case F_DCDATE:
      set_once(&it->dcdate, s, n);
      break;
    case F_UPDATED:
      set_once(&it->updated, s, n);
      break;
    case F_RSS_AUTHOR:
      rss_author_add(&it->rss_authors, s, n);
      break;
    case F_CREATOR:
      list_add(&it->creators, s, n);
      break;
    case F_SRC_AUTHOR:
      list_add(&it->src_authors, s, n);
      break;
    case F_CATEGORY:
      list_add(&it->tags, s, n);
      break;
    case F_GUID:
      set_once(&it->guid, s, n);
      break;
    case F_CHAN_LANG:
      if (!r->chan_lang[0]) {
        gz_trim(&s, &n);
        if (n < LANG_MAX) memcpy(r->chan_lang, s, n), r->chan_lang[n] = '\0';
      }
      break;
    case F_CHAN_AUTHOR:
      list_add(&r->chan_authors, s, n);
      break;
    case F_NONE:
      break;
  }
  r->field = F_NONE;
  gz_buf_clear(&r->text);
}

/* ---- items ---- */

static void item_clear(item *it) {
  gz_buf *bufs[] = {&it->title,       &it->link,    &it->content, &it->summary,  &it->pubdate,
                    &it->dcdate,      &it->updated, &it->guid,    &it->creators, &it->rss_authors,
                    &it->src_authors, &it->tags,    &it->image};
  for (size_t i = 0; i < GZ_ARRAY_LEN(bufs); i++) gz_buf_clear(bufs[i]);
  it->open = false;
  it->title_kind = it->content_kind = it->summary_kind = K_AUTO;
  it->guid_link = true;
  it->image_rank = 0;
  it->lang[0] = '\0';
}

static bool item_failed(const item *it) {
  const gz_buf *bufs[] = {&it->title,    &it->link,        &it->content,     &it->summary,
                          &it->pubdate,  &it->dcdate,      &it->updated,     &it->guid,
                          &it->creators, &it->rss_authors, &it->src_authors, &it->tags,
                          &it->image};
  for (size_t i = 0; i < GZ_ARRAY_LEN(bufs); i++)
    if (bufs[i]->failed) return true;
  return false;
}

static gz_raw_list as_list(const gz_buf *b) {
  gz_raw_list l = {b->data, b->len, 0};
  for (size_t i = 0; i < b->len; i++)
    if (b->data[i] == '\0') l.n++;
  return l;
}

/* Does a title hold markup or an entity reference (RSS titles are often
 * entity-encoded HTML, as the RSS Best Practices Profile notes)? */
static bool title_has_markup(const char *s, size_t n) {
  if (n == 0) return false;
  if (gz_looks_like_html(s, n)) return true;
  for (size_t i = 0; i + 2 < n; i++) {
    if (s[i] != '&') continue;
    size_t j = i + 1;
    if (s[j] == '#') j++;
    while (j < n && j < i + 12 &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
            (s[j] >= '0' && s[j] <= '9')))
      j++;
    if (j < n && s[j] == ';' && j > i + 1) return true;
  }
  return false;
}

static gz_body_kind body_kind(kind k) {
  return k == K_HTML || k == K_XHTML ? GZ_BODY_HTML : k == K_TEXT ? GZ_BODY_PLAIN : GZ_BODY_AUTO;
}

static bool html_kind(kind k, const gz_buf *b) {
  return k == K_HTML || k == K_XHTML ||
         (k == K_AUTO && b->len && gz_looks_like_html(b->data, b->len));
}

static void item_end(feed_reader *r) {
  item *it = &r->it;
  gz_input *in = r->in;
  it->open = false;
  if (item_failed(it) || r->text.failed || r->chan_authors.failed) {
    nomem(r);
    return;
  }
  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = it->line;
  raw.col = it->col;
  raw.bytes = here(r) - it->start;
  raw.too_big = r->too_big;
  r->too_big = false;
  r->item_bytes = 0;
  if (it->title.len) raw.title = it->title.data, raw.title_len = it->title.len;
  raw.title_html = it->title_kind == K_HTML || it->title_kind == K_XHTML ||
                   (it->title_kind == K_AUTO && title_has_markup(it->title.data, it->title.len));

  /* The fullest body: the content module's (or Atom's) content, with the
   * description (summary) beside it; without content, the description is
   * the body. */
  if (it->content.len) {
    raw.body = it->content.data;
    raw.body_len = it->content.len;
    raw.body_kind = body_kind(it->content_kind);
    if (it->summary.len) {
      raw.summary = it->summary.data;
      raw.summary_len = it->summary.len;
      raw.summary_html = html_kind(it->summary_kind, &it->summary);
    }
  } else if (it->summary.len) {
    raw.body = it->summary.data;
    raw.body_len = it->summary.len;
    raw.body_kind = body_kind(it->summary_kind);
  }

  /* Dates: RSS 2.0 pubDate over dc:date; Atom published over updated,
   * updated being then when the entry last changed (RFC 4287 4.2.15). */
  const gz_buf *date = it->pubdate.len ? &it->pubdate : it->dcdate.len ? &it->dcdate : NULL;
  if (!date && it->updated.len) {
    date = &it->updated;
  } else if (it->updated.len) {
    raw.captured = (gz_raw_date){it->updated.data, it->updated.len, 0, it->line, it->col};
    gz_when w;
    if (gz_raw_date_read(in->d, &raw.captured, &w)) {
      raw.has_captured = true;
      raw.captured_day = w.day;
    }
  }
  if (date) raw.date = (gz_raw_date){date->data, date->len, 0, it->line, it->col};

  /* Authors: the item's own (dc:creator, atom:author), else RSS 2.0
   * author addresses, else an Atom source's, else the channel's or
   * feed's (RFC 4287 4.2.1: an entry without author inherits them). */
  const gz_buf *authors = it->creators.len      ? &it->creators
                          : it->rss_authors.len ? &it->rss_authors
                          : it->src_authors.len ? &it->src_authors
                                                : &r->chan_authors;
  raw.authors = as_list(authors);
  raw.tags = as_list(&it->tags);

  /* The link; else an RSS 2.0 guid that is a permalink (its default). */
  if (it->link.len) {
    raw.url = it->link.data;
    raw.url_len = it->link.len;
  } else if (it->guid.len && it->guid_link) {
    raw.url = it->guid.data;
    raw.url_len = it->guid.len;
  }
  if (it->image.len) {
    raw.image = it->image.data;
    raw.image_len = it->image.len;
  }
  const char *lang = it->lang[0] ? it->lang : r->chan_lang[0] ? r->chan_lang : NULL;
  if (lang) {
    raw.lang = lang;
    raw.lang_len = strlen(lang);
  }
  if (gz_ingest_raw(in, &raw) || in->failed) nomem(r);
}

static void item_begin(feed_reader *r) {
  item *it = &r->it;
  item_clear(it);
  it->open = true;
  it->depth = r->depth;
  r->too_big = false;
  r->item_bytes = 0;
  tag_start(r, &it->line, &it->col, &it->start);
  if (r->n_langs) memcpy(it->lang, r->langs[r->n_langs - 1].tag, LANG_MAX);
}

/* ---- elements ---- */

static void lang_push(feed_reader *r, int n, const xmlChar **attrs) {
  size_t len;
  const char *v = attr(n, attrs, NS_XML, "lang", &len);
  if (!v || r->n_langs >= LANG_DEPTH) return;
  gz_trim(&v, &len);
  lang_entry *e = &r->langs[r->n_langs++];
  e->depth = r->depth;
  if (len >= LANG_MAX) len = 0; /* no tag is that long */
  memcpy(e->tag, v, len);
  e->tag[len] = '\0';
}

/* The root says the shape, or that this is not a feed. */
static void root(feed_reader *r, const xmlChar *local, const xmlChar *uri) {
  if (named(local, "rss") && !uri) {
    r->shape = SHAPE_RSS2, r->in->shape = "rss-2.0";
  } else if (named(local, "RDF") && is(uri, NS_RDF)) {
    r->shape = SHAPE_RSS1, r->in->shape = "rss-1.0";
  } else if (named(local, "feed") && is(uri, NS_ATOM)) {
    r->shape = SHAPE_ATOM, r->in->shape = "atom-1.0";
  } else {
    unsigned long line, col;
    uint64_t off;
    tag_start(r, &line, &col, &off);
    char msg[200];
    snprintf(msg, sizeof msg, "not a feed: the root element is <%.60s>, not rss, rdf:RDF or feed",
             (const char *)local);
    stop_with(r, line, col, msg);
  }
}

/* An element directly in the channel (RSS) or feed (Atom), outside the
 * items: what the items inherit. */
static void channel_child(feed_reader *r, const xmlChar *local, const xmlChar *uri) {
  if ((r->shape == SHAPE_RSS2 && !uri && named(local, "language")) ||
      (is(uri, NS_DC) && named(local, "language")))
    begin_field(r, F_CHAN_LANG, K_TEXT);
  else if (is(uri, NS_DC) && named(local, "creator"))
    begin_field(r, F_CHAN_AUTHOR, K_TEXT);
  else if (r->shape == SHAPE_ATOM && is(uri, NS_ATOM) && named(local, "author")) {
    r->in_author = true;
    r->author_depth = r->depth;
    r->author_field = F_CHAN_AUTHOR;
  }
}

/* Media RSS: media:content that is an image (its medium or its type
 * says so), media:thumbnail; RSS 2.0 enclosures of an image type. */
static void media(feed_reader *r, const xmlChar *local, const xmlChar *uri, int n,
                  const xmlChar **attrs) {
  size_t ul, tl;
  const char *url = attr(n, attrs, NULL, "url", &ul);
  if (!url) return;
  const char *type = attr(n, attrs, NULL, "type", &tl);
  bool image_type = type && gz_ascii_iprefix(type, tl, "image/");
  if (is(uri, NS_MEDIA) && named(local, "content") &&
      (image_type || attr_is(n, attrs, "medium", "image")))
    set_image(&r->it, 1, url, ul);
  else if (is(uri, NS_MEDIA) && named(local, "thumbnail"))
    set_image(&r->it, 2, url, ul);
  else if (!uri && named(local, "enclosure") && image_type)
    set_image(&r->it, 1, url, ul);
}

static void rss_item_child(feed_reader *r, const xmlChar *local, const xmlChar *uri, int n,
                           const xmlChar **attrs) {
  bool plain = (r->shape == SHAPE_RSS2 && !uri) || (r->shape == SHAPE_RSS1 && is(uri, NS_RSS1));
  if (plain && named(local, "title"))
    begin_field(r, F_TITLE, K_AUTO);
  else if (plain && named(local, "link"))
    begin_field(r, F_LINK, K_TEXT);
  else if (plain && named(local, "description"))
    begin_field(r, F_SUMMARY, K_AUTO);
  else if (r->shape == SHAPE_RSS2 && !uri && named(local, "pubDate"))
    begin_field(r, F_PUBDATE, K_TEXT);
  else if (r->shape == SHAPE_RSS2 && !uri && named(local, "author"))
    begin_field(r, F_RSS_AUTHOR, K_TEXT);
  else if (r->shape == SHAPE_RSS2 && !uri && named(local, "category"))
    begin_field(r, F_CATEGORY, K_TEXT);
  else if (r->shape == SHAPE_RSS2 && !uri && named(local, "guid")) {
    r->it.guid_link = !attr_is(n, attrs, "isPermaLink", "false");
    begin_field(r, F_GUID, K_TEXT);
  } else if (is(uri, NS_CONTENT) && named(local, "encoded"))
    begin_field(r, F_CONTENT, K_HTML);
  else if (is(uri, NS_DC) && named(local, "creator"))
    begin_field(r, F_CREATOR, K_TEXT);
  else if (is(uri, NS_DC) && named(local, "date"))
    begin_field(r, F_DCDATE, K_TEXT);
  else if (is(uri, NS_DC) && named(local, "subject"))
    begin_field(r, F_CATEGORY, K_TEXT);
}

static void atom_entry_child(feed_reader *r, const xmlChar *local, const xmlChar *uri, int n,
                             const xmlChar **attrs) {
  if (!is(uri, NS_ATOM)) {
    if (is(uri, NS_DC) && named(local, "creator")) begin_field(r, F_CREATOR, K_TEXT);
    return;
  }
  size_t len;
  if (named(local, "title")) {
    begin_field(r, F_TITLE, atom_kind(n, attrs, false));
  } else if (named(local, "content")) {
    begin_field(r, F_CONTENT, atom_kind(n, attrs, true));
    if (!r->it.lang[0] && r->n_langs && r->langs[r->n_langs - 1].depth == r->depth)
      memcpy(r->it.lang, r->langs[r->n_langs - 1].tag, LANG_MAX);
  } else if (named(local, "summary")) {
    begin_field(r, F_SUMMARY, atom_kind(n, attrs, false));
  } else if (named(local, "published")) {
    begin_field(r, F_PUBDATE, K_TEXT);
  } else if (named(local, "updated")) {
    begin_field(r, F_UPDATED, K_TEXT);
  } else if (named(local, "author")) {
    r->in_author = true;
    r->author_depth = r->depth;
    r->author_field = F_CREATOR;
  } else if (named(local, "source")) {
    r->skip_depth = r->depth; /* the feed the entry came from: its metadata is not the entry's */
  } else if (named(local, "category")) {
    const char *term = attr(n, attrs, NULL, "term", &len);
    if (term && item_room(r, len + 1)) list_add_attr(&r->it.tags, term, len);
  } else if (named(local, "link")) {
    /* RFC 4287 4.2.7.2: no rel means "alternate". */
    const char *rel = attr(n, attrs, NULL, "rel", &len);
    size_t hl, tl;
    const char *href = attr(n, attrs, NULL, "href", &hl);
    const char *type = attr(n, attrs, NULL, "type", &tl);
    if (href && (!rel || gz_ascii_ieq(rel, len, "alternate")))
      set_once_attr(&r->it.link, href, hl);
    else if (href && rel && gz_ascii_ieq(rel, len, "enclosure") && type &&
             gz_ascii_iprefix(type, tl, "image/"))
      set_image(&r->it, 1, href, hl);
  }
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nb_ns, const xmlChar **ns, int nb_attrs, int nb_defaulted,
                     const xmlChar **attrs) {
  (void)prefix, (void)nb_ns, (void)ns, (void)nb_defaulted;
  feed_reader *r = reader_of(ctx);
  r->depth++;
  if (r->stop) return;
  lang_push(r, nb_attrs, attrs);
  if (r->depth == 1) {
    root(r, local, uri);
    return;
  }
  if (r->field != F_NONE) {
    if (r->field_kind != K_XHTML) return; /* markup inside a text field: its text is kept */
    /* RFC 4287 3.1.1.3: the content is what the div holds. */
    if (!r->div_depth && r->depth == r->field_depth + 1 && named(local, "div") &&
        is(uri, NS_XHTML)) {
      r->div_depth = r->depth;
      return;
    }
    if (too_big(r, &r->text, 64)) return;
    gz_buf_putc(&r->text, '<');
    gz_buf_puts(&r->text, (const char *)local);
    for (int i = 0; i < nb_attrs; i++) {
      const xmlChar **a = attrs + 5 * i;
      gz_buf_putc(&r->text, ' ');
      gz_buf_puts(&r->text, (const char *)a[0]);
      gz_buf_puts(&r->text, "=\"");
      put_escaped(&r->text, (const char *)a[3], (size_t)(a[4] - a[3]), true);
      gz_buf_putc(&r->text, '"');
    }
    gz_buf_putc(&r->text, '>');
    return;
  }
  if (r->in_author) {
    if (r->depth == r->author_depth + 1 && is(uri, NS_ATOM) && named(local, "name"))
      begin_field(r, r->author_field, K_TEXT);
    return;
  }
  if (r->skip_depth) {
    /* RFC 4287 4.2.11: an entry without an author takes its source's. */
    if (r->depth == r->skip_depth + 1 && is(uri, NS_ATOM) && named(local, "author")) {
      r->in_author = true;
      r->author_depth = r->depth;
      r->author_field = F_SRC_AUTHOR;
    }
    return;
  }
  if (r->it.open) {
    media(r, local, uri, nb_attrs, attrs);
    if (r->depth != r->it.depth + 1) return;
    if (r->shape == SHAPE_ATOM)
      atom_entry_child(r, local, uri, nb_attrs, attrs);
    else
      rss_item_child(r, local, uri, nb_attrs, attrs);
    return;
  }
  switch (r->shape) {
    case SHAPE_RSS2: /* rss/channel/item */
      if (r->depth == 3 && !uri && named(local, "item"))
        item_begin(r);
      else if (r->depth == 3)
        channel_child(r, local, uri);
      break;
    case SHAPE_RSS1: /* rdf:RDF/item beside rdf:RDF/channel */
      if (r->depth == 2 && is(uri, NS_RSS1) && named(local, "item")) {
        item_begin(r);
        size_t len;
        const char *about = attr(nb_attrs, attrs, NS_RDF, "about", &len);
        if (about) set_once_attr(&r->it.guid, about, len);
      } else if (r->depth == 3) {
        channel_child(r, local, uri);
      }
      break;
    case SHAPE_ATOM: /* feed/entry */
      if (r->depth == 2 && is(uri, NS_ATOM) && named(local, "entry"))
        item_begin(r);
      else if (r->depth == 2)
        channel_child(r, local, uri);
      break;
    case SHAPE_NONE:
      break;
  }
}

static bool void_element(const xmlChar *local) {
  static const char *const v[] = {"br", "hr", "img", "wbr", "area", "col", "source"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(v); i++)
    if (named(local, v[i])) return true;
  return false;
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri) {
  (void)prefix, (void)uri;
  feed_reader *r = reader_of(ctx);
  int depth = r->depth--;
  while (r->n_langs && r->langs[r->n_langs - 1].depth >= depth) r->n_langs--;
  if (r->stop) return;
  if (r->field != F_NONE) {
    if (depth == r->field_depth) {
      end_field(r);
    } else if (r->field_kind == K_XHTML && depth != r->div_depth && !void_element(local) &&
               !too_big(r, &r->text, 64)) {
      gz_buf_puts(&r->text, "</");
      gz_buf_puts(&r->text, (const char *)local);
      gz_buf_putc(&r->text, '>');
    }
    return;
  }
  if (r->in_author) {
    if (depth == r->author_depth) r->in_author = false;
    return;
  }
  if (r->skip_depth) {
    if (depth == r->skip_depth) r->skip_depth = 0;
    return;
  }
  if (r->it.open && depth == r->it.depth) item_end(r);
}

/* ---- the reader's life ---- */

static void feed_free(void *self) {
  feed_reader *r = self;
  if (!r) return;
  if (r->ctxt) {
    if (r->ctxt->myDoc) xmlFreeDoc(r->ctxt->myDoc);
    r->ctxt->myDoc = NULL;
    xmlFreeParserCtxt(r->ctxt);
  }
  item *it = &r->it;
  gz_buf *bufs[] = {&it->title,       &it->link,    &it->content, &it->summary,  &it->pubdate,
                    &it->dcdate,      &it->updated, &it->guid,    &it->creators, &it->rss_authors,
                    &it->src_authors, &it->tags,    &it->image,   &r->text,      &r->chan_authors};
  for (size_t i = 0; i < GZ_ARRAY_LEN(bufs); i++) gz_buf_free(bufs[i]);
  gz_free(r->al, r);
}

static void *feed_new(gz_input *in, const char *path) {
  (void)path;
  const gz_setup *set = gz_digest_setup(in->d);
  feed_reader *r = gz_malloc(set->al, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->in = in;
  r->al = set->al;
  r->limit = set->opts->max_article_size;
  item *it = &r->it;
  gz_buf *bufs[] = {&it->title,       &it->link,    &it->content, &it->summary,  &it->pubdate,
                    &it->dcdate,      &it->updated, &it->guid,    &it->creators, &it->rss_authors,
                    &it->src_authors, &it->tags,    &it->image,   &r->text,      &r->chan_authors};
  for (size_t i = 0; i < GZ_ARRAY_LEN(bufs); i++) gz_buf_init(bufs[i], set->al);
  item_clear(it);

  /* SAX2's own handlers keep the DTD's declarations (so that internal
   * entities are known); elements, text and references come here, and
   * nothing is built into a tree. */
  xmlSAXVersion(&r->sax, 2);
  r->sax.startElementNs = on_start;
  r->sax.endElementNs = on_end;
  r->sax.characters = on_text;
  r->sax.ignorableWhitespace = on_text;
  r->sax.cdataBlock = on_text;
  r->sax.reference = on_reference;
  r->sax.getEntity = on_get_entity;
  r->sax.resolveEntity = on_resolve;
  r->sax.externalSubset = NULL;
  r->sax.comment = NULL;
  r->sax.processingInstruction = NULL;
  r->sax.warning = NULL;
  r->sax.error = NULL;
  r->sax.fatalError = NULL;
  r->sax.serror = on_error;
  r->ctxt = xmlCreatePushParserCtxt(&r->sax, NULL, NULL, 0, in->name);
  if (!r->ctxt) {
    feed_free(r);
    return NULL;
  }
  r->ctxt->_private = r;
  /* The input is UTF-8 already (input.c decoded and cleaned it): an
   * encoding the declaration names is no longer true of it. */
  xmlCtxtUseOptions(r->ctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
  r->ctxt->replaceEntities = 0;
  r->ctxt->loadsubset = 0;
  r->ctxt->validate = 0;
  return r;
}

static int feed_feed(void *self, const char *s, size_t n) {
  feed_reader *r = self;
  while (n > 0 && !r->stop) {
    int part = n > (1u << 30) ? 1 << 30 : (int)n;
    r->fed += (uint64_t)part;
    xmlParseChunk(r->ctxt, s, part, 0);
    s += part;
    n -= (size_t)part;
  }
  return r->in->failed || r->stop ? -1 : 0;
}

static int feed_finish(void *self) {
  feed_reader *r = self;
  r->finishing = true;
  if (!r->stop) xmlParseChunk(r->ctxt, NULL, 0, 1);
  if (!r->stop && !r->ctxt->wellFormed) {
    xmlParserInputPtr in = r->ctxt->input;
    stop_with(r, in ? (unsigned long)in->line : 0, in ? (unsigned long)in->col : 0,
              "not well-formed XML");
  }
  return r->in->failed ? -1 : 0;
}

/* An XML declaration, or the root of one of the three shapes, at the
 * start. */
static bool feed_sniff(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && gz_is_ascii_space((unsigned char)s[i])) i++;
  s += i, n -= i;
  static const char *const starts[] = {"<?xml", "<rss", "<feed", "<rdf:RDF"};
  for (size_t k = 0; k < GZ_ARRAY_LEN(starts); k++) {
    size_t l = strlen(starts[k]);
    if (n > l && memcmp(s, starts[k], l) == 0 &&
        (gz_is_ascii_space((unsigned char)s[l]) || s[l] == '>' || s[l] == '/'))
      return true;
  }
  return false;
}

static const char *const feed_ext[] = {".xml", ".rss", ".atom", ".rdf", NULL};

const gz_reader_class gz_reader_feed = {"feed",   "RSS or Atom feed", feed_ext,    feed_sniff,
                                        feed_new, feed_feed,          feed_finish, feed_free};
