/*
 * html.c - the HTML allow-list sanitiser.
 *
 * libxml2's HTML parser does the hard part (tag soup, implied closes,
 * entities); we listen to its SAX events and keep only what the
 * allow-list names, as blocks and styled runs. No tree is built and no
 * markup survives: writers re-create markup from the blocks, so nothing
 * in an input can reach an EPUB as markup. The parser never touches the
 * network (HTML_PARSE_NONET) and the encoding is forced to UTF-8 so that
 * a <meta charset> inside a body cannot garble it.
 */
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

#include "read/read.h"

typedef enum kind {
  K_INLINE = 0, /* dropped tag, content kept inline (span, font, ...) */
  K_BLOCK,      /* dropped tag, content kept as its own block (div, ...) */
  K_P,
  K_H,
  K_QUOTE,
  K_UL,
  K_OL,
  K_LI,
  K_PRE,
  K_STYLE,
  K_BR,
  K_HR,
  K_A,
  K_IMG,
  K_FIGURE,
  K_FIGCAPTION,
  K_PICTURE,
  K_SOURCE, /* a <picture>'s <source> */
  K_CELL,
  K_VOID, /* a void element: ignored (libxml2 may nest what follows in it) */
  K_DROP  /* dropped with everything inside */
} kind;

typedef struct tag_info {
  const char *name;
  uint8_t kind;
  uint16_t style;
} tag_info;

/* Sorted by name for bsearch. */
static const tag_info tags[] = {
    {"a", K_A, 0},
    {"address", K_BLOCK, 0},
    {"applet", K_DROP, 0},
    {"area", K_VOID, 0},
    {"article", K_BLOCK, 0},
    {"aside", K_BLOCK, 0},
    {"audio", K_DROP, 0},
    {"b", K_STYLE, GZ_STYLE_STRONG},
    {"base", K_VOID, 0},
    {"blockquote", K_QUOTE, 0},
    {"body", K_BLOCK, 0},
    {"br", K_BR, 0},
    {"button", K_DROP, 0},
    {"canvas", K_DROP, 0},
    {"caption", K_BLOCK, 0},
    {"center", K_BLOCK, 0},
    {"cite", K_STYLE, GZ_STYLE_EM},
    {"code", K_STYLE, GZ_STYLE_CODE},
    {"col", K_VOID, 0},
    {"dd", K_BLOCK, 0},
    {"del", K_STYLE, GZ_STYLE_S},
    {"details", K_BLOCK, 0},
    {"dialog", K_DROP, 0},
    {"dir", K_UL, 0},
    {"div", K_BLOCK, 0},
    {"dl", K_BLOCK, 0},
    {"dt", K_BLOCK, 0},
    {"em", K_STYLE, GZ_STYLE_EM},
    {"embed", K_VOID, 0},
    {"fieldset", K_BLOCK, 0},
    {"figcaption", K_FIGCAPTION, 0},
    {"figure", K_FIGURE, 0},
    {"footer", K_BLOCK, 0},
    {"form", K_DROP, 0},
    {"frame", K_DROP, 0},
    {"frameset", K_DROP, 0},
    {"h1", K_H, 1},
    {"h2", K_H, 2},
    {"h3", K_H, 3},
    {"h4", K_H, 4},
    {"h5", K_H, 5},
    {"h6", K_H, 6},
    {"head", K_DROP, 0},
    {"header", K_BLOCK, 0},
    {"hr", K_HR, 0},
    {"i", K_STYLE, GZ_STYLE_EM},
    {"iframe", K_DROP, 0},
    {"img", K_IMG, 0},
    {"input", K_VOID, 0},
    {"ins", K_STYLE, GZ_STYLE_U},
    {"kbd", K_STYLE, GZ_STYLE_CODE},
    {"li", K_LI, 0},
    {"link", K_VOID, 0},
    {"listing", K_PRE, 0},
    {"main", K_BLOCK, 0},
    {"map", K_DROP, 0},
    {"math", K_DROP, 0},
    {"menu", K_UL, 0},
    {"meta", K_VOID, 0},
    {"nav", K_BLOCK, 0},
    {"noembed", K_DROP, 0},
    {"noframes", K_DROP, 0},
    {"noscript", K_DROP, 0},
    {"object", K_DROP, 0},
    {"ol", K_OL, 0},
    {"option", K_DROP, 0},
    {"p", K_P, 0},
    {"param", K_VOID, 0},
    {"picture", K_PICTURE, 0},
    {"plaintext", K_PRE, 0},
    {"pre", K_PRE, 0},
    {"q", K_INLINE, 0},
    {"s", K_STYLE, GZ_STYLE_S},
    {"samp", K_STYLE, GZ_STYLE_CODE},
    {"script", K_DROP, 0},
    {"section", K_BLOCK, 0},
    {"select", K_DROP, 0},
    {"source", K_SOURCE, 0},
    {"strike", K_STYLE, GZ_STYLE_S},
    {"strong", K_STYLE, GZ_STYLE_STRONG},
    {"style", K_DROP, 0},
    {"sub", K_STYLE, GZ_STYLE_SUB},
    {"summary", K_BLOCK, 0},
    {"sup", K_STYLE, GZ_STYLE_SUP},
    {"svg", K_DROP, 0},
    {"table", K_BLOCK, 0},
    {"td", K_CELL, 0},
    {"template", K_DROP, 0},
    {"textarea", K_DROP, 0},
    {"th", K_CELL, 0},
    {"title", K_DROP, 0},
    {"tr", K_BLOCK, 0},
    {"track", K_VOID, 0},
    {"tt", K_STYLE, GZ_STYLE_CODE},
    {"u", K_STYLE, GZ_STYLE_U},
    {"ul", K_UL, 0},
    {"var", K_STYLE, GZ_STYLE_EM},
    {"video", K_DROP, 0},
    {"wbr", K_VOID, 0},
    {"xmp", K_PRE, 0},
};

static int tag_cmp(const void *key, const void *elem) {
  return strcmp(key, ((const tag_info *)elem)->name);
}

static const tag_info *lookup(const char *name) {
  return bsearch(name, tags, GZ_ARRAY_LEN(tags), sizeof tags[0], tag_cmp);
}

/* Markup stack entries restore the state an element changed. */
typedef struct frame {
  uint8_t kind;
  uint16_t prev_style;
  const char *prev_href;
  uint16_t prev_href_len;
} frame;

typedef struct list_state {
  bool ordered;
  uint32_t counter;
} list_state;

#define MAX_STACK 1024
#define MAX_LISTS 64

struct gz_html {
  const gz_allocator *al;
  htmlParserCtxtPtr ctxt;
  /* per parse */
  gz_body_builder *b;
  gz_buf *text; /* text-only mode when set */
  gz_buf clean;
  int depth;
  int skip_depth; /* > 0: inside a dropped element opened at this depth */
  int max_depth;
  bool depth_hit;
  frame stack[MAX_STACK + 1];
  list_state lists[MAX_LISTS];
  int n_lists;
  int quote;
  bool failed;
  /* the lang attribute of the body's outermost element (through html
   * and body elements), BCP 47, "" when it has none */
  bool lang_decided;
  char lang[GZ_LANG_MAX];
  /* the outermost open <figure>: its image block and caption block
   * (indexes in the builder, -1 none) become one image with a caption */
  int fig_depth;
  int fig_imgs;
  long fig_img, fig_cap;
  int cap_depth; /* the open <figcaption> of that figure */
  size_t cap_start;
  /* the outermost open <picture> and the source it chose */
  int pic_depth;
  bool pic_has;
  gz_buf pic_src;
};

gz_html *gz_html_new(const gz_allocator *al) {
  gz_html *h = gz_malloc(al, sizeof *h);
  if (!h) return NULL;
  memset(h, 0, sizeof *h);
  h->al = al;
  gz_buf_init(&h->clean, al);
  gz_buf_init(&h->pic_src, al);
  h->ctxt = htmlNewParserCtxt();
  if (!h->ctxt) {
    gz_free(al, h);
    return NULL;
  }
  return h;
}

void gz_html_free(gz_html *h) {
  if (!h) return;
  htmlFreeParserCtxt(h->ctxt);
  gz_buf_free(&h->clean);
  gz_buf_free(&h->pic_src);
  gz_free(h->al, h);
}

static list_state *top_list(gz_html *h) { return h->n_lists ? &h->lists[h->n_lists - 1] : NULL; }

/* Starts a paragraph-like block, keeping list and quote context. */
static void start_block(gz_html *h, gz_block_type type) {
  gz_body_builder *b = h->b;
  /* A <p> right inside an <li> belongs to the item. */
  if (b->type == GZ_BLOCK_ITEM && b->text.len == 0 && type == GZ_BLOCK_PARA) return;
  gz_body_end(b);
  b->quote = (uint8_t)(h->quote > 255 ? 255 : h->quote);
  b->depth = (uint8_t)h->n_lists;
  b->ordered = 0;
  b->number = 0;
  b->level = 0;
  gz_body_start(b, type);
}

/* In text-only mode, does this element separate words (a block does, a
 * <span> or a link does not)? */
static bool separates_words(int k) {
  return k != K_INLINE && k != K_STYLE && k != K_A && k != K_VOID && k != K_PICTURE &&
         k != K_SOURCE;
}

static void text_sep(gz_html *h) {
  if (h->text && h->text->len) gz_buf_putc(h->text, ' ');
}

/* Adds text to the body (or the plain text), repaired when libxml2 hands
 * over bytes that are not clean UTF-8 (raw attribute values, odd
 * character references). */
static void add_text(gz_html *h, const char *s, size_t n) {
  if (!gz_utf8_is_clean(s, n)) {
    gz_buf_clear(&h->clean);
    gz_utf8_clean_append(&h->clean, s, n);
    s = gz_buf_cstr(&h->clean);
    n = h->clean.len;
  }
  if (h->text)
    gz_buf_append(h->text, s, n);
  else
    gz_body_text(h->b, s, n);
}

static void on_text(void *ctx, const xmlChar *xs, int len) {
  gz_html *h = ctx;
  if (h->skip_depth || len <= 0) return;
  add_text(h, (const char *)xs, (size_t)len);
}

/* The value of attribute `name`, or NULL. */
static const char *attr(const xmlChar **atts, const char *name) {
  for (int i = 0; atts && atts[i]; i += 2)
    if (strcmp((const char *)atts[i], name) == 0 && atts[i + 1]) return (const char *)atts[i + 1];
  return NULL;
}

/* A width or height attribute in pixels ("640", "640px"); 0 when it says
 * none or something else (a percentage). */
static uint32_t dimension(const char *v) {
  if (!v) return 0;
  while (*v == ' ' || *v == '\t' || *v == '\n') v++;
  uint64_t n = 0;
  const char *p = v;
  while (*p >= '0' && *p <= '9' && n < 1000000) n = n * 10 + (uint64_t)(*p++ - '0');
  if (p == v || n >= 1000000) return 0;
  while (*p == ' ') p++;
  return *p == '\0' || strcmp(p, "px") == 0 ? (uint32_t)n : 0;
}

/* Trims s[0..*n) of HTML white space. */
static const char *trim_url(const char *s, size_t *n) {
  while (*n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')) s++, (*n)--;
  while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\n' || s[*n - 1] == '\r' ||
                s[*n - 1] == '\f'))
    (*n)--;
  return s;
}

/* Joins the figure's image and caption blocks once both are made, the
 * figure holding one image and a caption of one paragraph. */
static void figure_join(gz_html *h) {
  if (h->fig_imgs != 1 || h->fig_img < 0 || h->fig_cap < 0) return;
  if (gz_body_caption(h->b, (size_t)h->fig_img, (size_t)h->fig_cap) == 0)
    h->fig_img = h->fig_cap = -1;
}

/* A <picture>'s <source>: the first one of a type we decode gives the
 * picture (a digest has no viewport for `media` to choose by). */
static void picture_source(gz_html *h, const xmlChar **atts) {
  if (!h->pic_depth || h->pic_has) return;
  const char *type = attr(atts, "type"), *set = attr(atts, "srcset");
  if ((type && !gz_image_type_ok(type)) || !set) return;
  const char *u;
  size_t n;
  if (!gz_srcset_best(set, strlen(set), &u, &n)) return;
  gz_buf_clear(&h->pic_src);
  gz_utf8_clean_append(&h->pic_src, u, n);
  h->pic_has = !h->pic_src.failed;
}

/* An <img>: an image block of its own, splitting the paragraph it sits
 * in; its alt text stays in the text when it names no picture. */
static void add_image(gz_html *h, const xmlChar **atts) {
  gz_body_builder *b = h->b;
  const char *alt = attr(atts, "alt"), *set = attr(atts, "srcset");
  const char *src = attr(atts, "src");
  /* pages that load pictures late keep the real one in data-src */
  if (!src || !*src) src = attr(atts, "data-src");
  const char *u = NULL;
  size_t n = 0;
  if (h->pic_depth && h->pic_has) {
    u = gz_buf_cstr(&h->pic_src);
    n = h->pic_src.len;
  } else if (!(set && gz_srcset_best(set, strlen(set), &u, &n)) && src) {
    n = strlen(src);
    u = trim_url(src, &n);
  }
  if (!u || !n) {
    if (alt && *alt) {
      gz_body_text(b, " ", 1);
      add_text(h, alt, strlen(alt));
      gz_body_text(b, " ", 1);
    }
    return;
  }
  gz_buf s, a, c;
  gz_buf_init(&s, h->al);
  gz_buf_init(&a, h->al);
  gz_buf_init(&c, h->al);
  gz_utf8_clean_append(&s, u, n);
  if (alt) {
    gz_utf8_clean_append(&c, alt, strlen(alt));
    gz_buf_put_collapsed(&a, gz_buf_cstr(&c), c.len);
  }
  if (s.failed || a.failed || c.failed) {
    b->failed = true;
  } else {
    size_t before = b->n_blocks;
    gz_body_image(b, gz_buf_cstr(&s), s.len, gz_buf_cstr(&a), a.len, dimension(attr(atts, "width")),
                  dimension(attr(atts, "height")));
    if (h->fig_depth && b->n_blocks == before + 1) {
      h->fig_imgs++;
      h->fig_img = (long)before;
      figure_join(h);
    }
  }
  gz_buf_free(&s);
  gz_buf_free(&a);
  gz_buf_free(&c);
  start_block(h, GZ_BLOCK_PARA);
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts) {
  gz_html *h = ctx;
  const char *name = (const char *)xname;
  h->depth++;
  if (h->skip_depth) return;
  if (!h->lang_decided) {
    for (int i = 0; atts && atts[i]; i += 2)
      if ((strcmp((const char *)atts[i], "lang") == 0 ||
           strcmp((const char *)atts[i], "xml:lang") == 0) &&
          atts[i + 1] &&
          gz_lang_normalize((const char *)atts[i + 1], strlen((const char *)atts[i + 1]), h->lang))
        h->lang_decided = true;
    if (strcmp(name, "html") != 0 && strcmp(name, "body") != 0) h->lang_decided = true;
  }
  const tag_info *t = lookup(name);
  uint8_t k = t ? t->kind : K_INLINE;
  if (k == K_DROP) {
    h->skip_depth = h->depth;
    return;
  }
  if (h->depth > h->max_depth || h->depth > MAX_STACK) {
    h->depth_hit = true;
    return;
  }
  frame *f = &h->stack[h->depth];
  f->kind = k;
  if (h->text) { /* text only: elements just separate words */
    if (separates_words(k)) text_sep(h);
    if (k == K_IMG && atts)
      for (int i = 0; atts[i]; i += 2)
        if (strcmp((const char *)atts[i], "alt") == 0 && atts[i + 1])
          add_text(h, (const char *)atts[i + 1], strlen((const char *)atts[i + 1]));
    return;
  }
  gz_body_builder *b = h->b;
  f->prev_style = b->style;
  f->prev_href = b->href;
  f->prev_href_len = b->href_len;
  switch (k) {
    case K_BLOCK:
    case K_P:
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_H:
      start_block(h, GZ_BLOCK_HEADING);
      b->level = (uint8_t)t->style;
      break;
    case K_QUOTE:
      gz_body_end(b);
      h->quote++;
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_UL:
    case K_OL:
      gz_body_end(b);
      if (h->n_lists < MAX_LISTS) {
        list_state *l = &h->lists[h->n_lists++];
        l->ordered = k == K_OL;
        l->counter = 0;
        for (int i = 0; l->ordered && atts && atts[i]; i += 2)
          if (strcmp((const char *)atts[i], "start") == 0 && atts[i + 1]) {
            long v = strtol((const char *)atts[i + 1], NULL, 10);
            if (v > 0 && v < 1000000) l->counter = (uint32_t)(v - 1);
          }
      }
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_LI: {
      list_state *l = top_list(h);
      gz_body_end(b);
      start_block(h, GZ_BLOCK_ITEM);
      if (l) {
        l->counter++;
        b->ordered = l->ordered;
        b->number = l->counter;
      }
      if (b->depth == 0) b->depth = 1;
      break;
    }
    case K_PRE:
      start_block(h, GZ_BLOCK_PRE);
      break;
    case K_STYLE:
      gz_body_set_style(b, (uint16_t)(b->style | t->style));
      break;
    case K_BR:
      gz_body_line_break(b);
      break;
    case K_HR:
      gz_body_end(b);
      gz_body_rule(b);
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_A:
      for (int i = 0; atts && atts[i]; i += 2) {
        if (strcmp((const char *)atts[i], "href") != 0 || !atts[i + 1]) continue;
        const char *s;
        size_t n;
        const char *raw = (const char *)atts[i + 1];
        if (gz_safe_href(raw, strlen(raw), &s, &n)) {
          char *copy = gz_arena_strndup(b->arena, s, n);
          if (copy) gz_body_set_href(b, copy, n);
        }
        break;
      }
      break;
    case K_IMG:
      add_image(h, atts);
      break;
    case K_FIGURE:
      start_block(h, GZ_BLOCK_PARA);
      if (!h->fig_depth) {
        h->fig_depth = h->depth;
        h->fig_imgs = 0;
        h->fig_img = h->fig_cap = -1;
      }
      break;
    case K_FIGCAPTION:
      start_block(h, GZ_BLOCK_PARA);
      if (h->fig_depth && !h->cap_depth) {
        h->cap_depth = h->depth;
        h->cap_start = b->n_blocks;
      }
      break;
    case K_PICTURE:
      if (!h->pic_depth) {
        h->pic_depth = h->depth;
        h->pic_has = false;
      }
      break;
    case K_SOURCE:
      picture_source(h, atts);
      break;
    case K_CELL:
      gz_body_text(b, " ", 1);
      break;
    default:
      break;
  }
}

static void on_end(void *ctx, const xmlChar *xname) {
  gz_html *h = ctx;
  (void)xname;
  int depth = h->depth;
  if (depth > 0) h->depth--;
  if (h->skip_depth) {
    if (depth == h->skip_depth) h->skip_depth = 0;
    return;
  }
  if (depth <= 0 || depth > h->max_depth || depth > MAX_STACK) return;
  frame *f = &h->stack[depth];
  if (h->text) {
    if (separates_words(f->kind)) text_sep(h);
    return;
  }
  gz_body_builder *b = h->b;
  switch (f->kind) {
    case K_BLOCK:
    case K_P:
    case K_H:
    case K_LI:
    case K_PRE:
      gz_body_end(b);
      /* Text after a nested block inside an item continues as a paragraph
       * of that item. */
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_QUOTE:
      gz_body_end(b);
      if (h->quote > 0) h->quote--;
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_FIGCAPTION:
      gz_body_end(b);
      if (depth == h->cap_depth) {
        h->cap_depth = 0;
        size_t last = b->n_blocks - 1;
        if (b->n_blocks == h->cap_start + 1 && b->blocks[last].type == GZ_BLOCK_PARA) {
          h->fig_cap = (long)last;
          figure_join(h);
        }
      }
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_FIGURE:
      gz_body_end(b);
      if (depth == h->fig_depth) h->fig_depth = 0;
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_PICTURE:
      if (depth == h->pic_depth) h->pic_depth = 0;
      break;
    case K_UL:
    case K_OL:
      gz_body_end(b);
      if (h->n_lists > 0) h->n_lists--;
      start_block(h, GZ_BLOCK_PARA);
      break;
    case K_STYLE:
      gz_body_set_style(b, f->prev_style);
      break;
    case K_A:
      if (b->href != f->prev_href) gz_body_set_href(b, f->prev_href, f->prev_href_len);
      break;
    default:
      break;
  }
}

static void on_cdata(void *ctx, const xmlChar *s, int len) {
  /* Only script and style content arrives as CDATA, and those are
   * dropped; anything else is plain text. */
  gz_html *h = ctx;
  if (h->skip_depth) return;
  on_text(ctx, s, len);
}

static int parse(gz_html *h, const char *html, size_t len) {
  htmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  sax.startElement = on_start;
  sax.endElement = on_end;
  sax.characters = on_text;
  sax.ignorableWhitespace = on_text;
  sax.cdataBlock = on_cdata;
  h->depth = 0;
  h->skip_depth = 0;
  h->n_lists = 0;
  h->quote = 0;
  h->depth_hit = false;
  h->lang_decided = false;
  h->lang[0] = '\0';
  h->fig_depth = h->cap_depth = h->pic_depth = 0;
  h->fig_img = h->fig_cap = -1;
  h->pic_has = false;
  if (len > INT32_MAX) len = INT32_MAX;
  memcpy(h->ctxt->sax, &sax, sizeof sax);
  h->ctxt->userData = h;
  htmlDocPtr doc = htmlCtxtReadMemory(
      h->ctxt, html, (int)len, NULL, "UTF-8",
      HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
  if (doc) xmlFreeDoc(doc);
  return 0;
}

int gz_html_to_body(gz_html *h, const char *html, size_t len, gz_body_builder *b, int max_depth,
                    bool *depth_hit) {
  h->b = b;
  h->text = NULL;
  h->max_depth = max_depth;
  gz_body_start(b, GZ_BLOCK_PARA);
  parse(h, html, len);
  gz_body_end(b);
  b->quote = b->depth = 0;
  gz_body_set_style(b, 0);
  gz_body_set_href(b, NULL, 0);
  if (depth_hit) *depth_hit = h->depth_hit;
  h->b = NULL;
  return b->failed ? -1 : 0;
}

const char *gz_html_lang(const gz_html *h) { return h->lang[0] ? h->lang : NULL; }

int gz_html_to_text(gz_html *h, const char *html, size_t len, gz_buf *out) {
  gz_buf raw;
  gz_buf_init(&raw, h->al);
  h->text = &raw;
  h->b = NULL;
  h->max_depth = MAX_STACK;
  parse(h, html, len);
  h->text = NULL;
  int rc = gz_buf_put_collapsed(out, gz_buf_cstr(&raw), raw.len);
  if (raw.failed) rc = -1;
  gz_buf_free(&raw);
  return rc;
}

bool gz_looks_like_html(const char *s, size_t len) {
  for (const char *p = memchr(s, '<', len); p; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s))) {
    size_t left = len - (size_t)(p - s);
    if (left < 3) return false;
    const char *q = p + 1;
    if (*q == '/') q++;
    if (*q == '!' && left >= 4 && q[1] == '-' && q[2] == '-') return true; /* a comment */
    char name[12];
    size_t n = 0;
    while ((size_t)(q - s) < len && n < sizeof name - 1 &&
           ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '1' && *q <= '6'))) {
      name[n++] = (char)((*q >= 'A' && *q <= 'Z') ? *q + 32 : *q);
      q++;
    }
    name[n] = '\0';
    if (n == 0 || (size_t)(q - s) >= len) continue;
    if (*q != '>' && *q != ' ' && *q != '/' && *q != '\t' && *q != '\n') continue;
    if (lookup(name)) return true;
  }
  return false;
}
