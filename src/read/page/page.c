/*
 * page.c - the saved-page reader: one HTML article page (a browser's "save
 * page", a file of `wget -r`) is one article.
 *
 * The page is buffered (up to --max-article-size), parsed with libxml2's
 * HTML parser into a tree, and read from the tree:
 *   metadata  JSON-LD first (schema.org Article and its subtypes,
 *             https://schema.org/Article, also inside "@graph" as Yoast
 *             writes it), then Open Graph (https://ogp.me/: og:title,
 *             og:description, og:image, og:url, og:site_name and the
 *             article: properties), then plain HTML (<meta name=author>,
 *             <meta name=description>, <link rel=canonical>, <title>,
 *             <time datetime>, <html lang>);
 *   text      <article> (the one with most text), [itemprop=articleBody]
 *             (https://schema.org/articleBody), <main>, [role=main], else
 *             the container holding most paragraph text; page chrome
 *             (navigation, headers, footers, sidebars, comments, share
 *             bars, cookie banners, ...) is cut out of it, and the rest is
 *             handed to ingest as an HTML body, which the allow-list
 *             sanitiser (read/html.c) cleans like any other.
 * A page that is not an article (an index or tag page: many links, little
 * text, no article metadata) is skipped with a note.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <yajl/yajl_tree.h>

#include "read/reader.h"

/* A JSON-LD block larger than this is not metadata but something else
 * (a page's whole state as JSON); it is not parsed. */
#define JSONLD_MAX (256u * 1024u)
/* Nesting allowed in JSON-LD: real blocks use four or five levels; the
 * bound keeps yajl's recursive tree free (and our walk) shallow. */
#define JSONLD_DEPTH 32
/* Element depth the tree walks follow: deeper markup is not read for
 * metadata or chrome (its text still reaches the body). */
#define WALK_DEPTH 256

/* An index page: without article metadata, a page whose chosen text has
 * fewer than this many words (outside links) per link of the page is a
 * list of links, not an article. The articles of fixtures/pages have 12
 * to 20 words per link, their tag page 2.3. */
#define INDEX_WORDS_PER_LINK 5

typedef struct page_reader {
  gz_input *in;
  gz_buf page;
  bool too_big;
} page_reader;

/* What the page says of itself, as borrowed pointers into the tree or
 * the JSON-LD tree (both live until the article is handed over). */
typedef struct meta {
  const char *title, *summary, *date, *modified, *url, *image, *lang;
  gz_buf authors, tags;
  bool ld_article; /* a JSON-LD article object was found */
  bool og;         /* Open Graph or article: properties gave something */
  bool og_article; /* og:type article, or article: times */
  const char *og_title, *og_summary, *og_url, *og_image, *site_name;
  const char *og_date, *og_modified, *meta_author, *meta_summary, *canonical;
  const char *html_lang;
  gz_buf html_title;
  gz_buf og_authors, og_tags, og_section;
} meta;

/* ---- small tree helpers ---- */

static bool tag_is(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* An attribute's value as the parser stored it (one text child), or
 * NULL. Borrowed from the tree. */
static const char *attr(const xmlNode *n, const char *name) {
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    if (!a->name || strcmp((const char *)a->name, name) != 0) continue;
    if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
      return (const char *)a->children->content;
    return "";
  }
  return NULL;
}

static bool attr_ieq(const xmlNode *n, const char *name, const char *value) {
  const char *v = attr(n, name);
  if (!v) return false;
  size_t len = strlen(v);
  gz_trim(&v, &len);
  return gz_ascii_ieq(v, len, value);
}

/* Is `word` one of the white-space separated tokens of a value? */
static bool has_token(const char *v, const char *word) {
  if (!v) return false;
  size_t wl = strlen(word);
  for (const char *p = v; *p;) {
    while (*p && gz_is_ascii_space((unsigned char)*p)) p++;
    const char *s = p;
    while (*p && !gz_is_ascii_space((unsigned char)*p)) p++;
    if ((size_t)(p - s) == wl && gz_ascii_ieq(s, wl, word)) return true;
  }
  return false;
}

/* Elements whose content is never text of the article. */
static bool inert(const xmlNode *n) {
  static const char *const names[] = {"script", "style",  "noscript", "template",
                                      "iframe", "object", "svg",      "button"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(names); i++)
    if (tag_is(n, names[i])) return true;
  return false;
}

/* Words in class and id values that name page chrome. A word matches a
 * part of the value between non-letters ("comment-list", "share_bar",
 * "site-footer"); the short words only as the whole part, the long ones
 * also inside it ("comments", "relatedposts", "postfooter",
 * "advertisement"). "commentary" is an article, not comments. */
static const char *const chrome_inside[] = {
    "related", "comment",    "sharing",   "social",  "newsletter", "cookie",     "consent",
    "advert",  "breadcrumb", "subscribe", "sidebar", "footer",     "navigation", "byline"};
static const char *const chrome_prefixes[] = {"share", "promo", "menu"};
static const char *const chrome_words[] = {"ad", "ads", "nav", "navbar", "banner", "gdpr"};

static bool contains(const char *s, size_t n, const char *word) {
  size_t wl = strlen(word);
  for (size_t i = 0; i + wl <= n; i++)
    if (gz_ascii_iprefix(s + i, n - i, word)) return true;
  return false;
}

static bool chrome_part(const char *s, size_t n) {
  if (gz_ascii_iprefix(s, n, "commentary")) return false;
  for (size_t i = 0; i < GZ_ARRAY_LEN(chrome_words); i++)
    if (gz_ascii_ieq(s, n, chrome_words[i])) return true;
  for (size_t i = 0; i < GZ_ARRAY_LEN(chrome_prefixes); i++)
    if (gz_ascii_iprefix(s, n, chrome_prefixes[i])) return true;
  for (size_t i = 0; i < GZ_ARRAY_LEN(chrome_inside); i++)
    if (contains(s, n, chrome_inside[i])) return true;
  return false;
}

/* Class tokens that describe a state or a post's terms, not what the
 * element is: "has-sidebar", "no-comments", "is-sticky", and WordPress's
 * post classes "category-social", "tag-cookies". */
static const char *const flag_prefixes[] = {"has-",  "no-",   "is-",       "with-",
                                            "show-", "hide-", "category-", "tag-"};

static bool chrome_value(const char *v) {
  if (!v) return false;
  for (const char *p = v; *p;) {
    while (*p && gz_is_ascii_space((unsigned char)*p)) p++;
    const char *tok = p;
    while (*p && !gz_is_ascii_space((unsigned char)*p)) p++;
    size_t tl = (size_t)(p - tok);
    bool flag = false;
    for (size_t i = 0; i < GZ_ARRAY_LEN(flag_prefixes) && !flag; i++)
      flag = gz_ascii_iprefix(tok, tl, flag_prefixes[i]);
    if (flag) continue;
    for (const char *q = tok; q < p;) {
      while (q < p && !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))) q++;
      const char *s = q;
      while (q < p && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))) q++;
      if (q > s && chrome_part(s, (size_t)(q - s))) return true;
    }
  }
  return false;
}

/* Is this element page chrome, left out of the article with its content?
 * (Never asked of html and body, whose classes describe the whole page:
 * "single-post has-sidebar".) */
static bool chrome(const xmlNode *n) {
  if (n->type != XML_ELEMENT_NODE) return false;
  static const char *const names[] = {"nav", "header", "footer", "aside", "form", "dialog"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(names); i++)
    if (tag_is(n, names[i])) return true;
  static const char *const roles[] = {"navigation",    "banner", "contentinfo",
                                      "complementary", "search", "dialog"};
  const char *role = attr(n, "role");
  for (size_t i = 0; i < GZ_ARRAY_LEN(roles); i++)
    if (has_token(role, roles[i])) return true;
  return chrome_value(attr(n, "class")) || chrome_value(attr(n, "id"));
}

static bool skipped(const xmlNode *n) { return inert(n) || chrome(n); }

/* Text of a subtree outside chrome: its words, and the words inside
 * links. */
typedef struct text_count {
  size_t words, link_words, links;
} text_count;

static void count_text(const xmlNode *n, bool in_link, int depth, text_count *c) {
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type == XML_TEXT_NODE && k->content) {
      size_t w = gz_count_words((const char *)k->content, strlen((const char *)k->content));
      c->words += w;
      if (in_link) c->link_words += w;
    } else if (k->type == XML_ELEMENT_NODE && depth < WALK_DEPTH && !skipped(k)) {
      bool link = tag_is(k, "a") && attr(k, "href");
      if (link) c->links++;
      count_text(k, in_link || link, depth + 1, c);
    }
  }
}

static size_t prose_words(const xmlNode *n) {
  text_count c = {0, 0, 0};
  count_text(n, false, 0, &c);
  return c.words - c.link_words;
}

/* Links anywhere in the page, chrome included: an index page's lists are
 * often marked as navigation. */
static size_t count_links(const xmlNode *n, int depth) {
  size_t links = 0;
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE || depth >= WALK_DEPTH) continue;
    if (tag_is(k, "a") && attr(k, "href")) links++;
    links += count_links(k, depth + 1);
  }
  return links;
}

/* ---- choosing the article's element ---- */

typedef struct choice {
  const xmlNode *best;
  size_t best_words;
} choice;

/* The <article> (or the [itemprop=articleBody], <main>, [role=main]:
 * `which`) outside chrome with most prose. */
enum { BY_ARTICLE, BY_ITEMPROP, BY_MAIN };

static bool matches(const xmlNode *n, int which) {
  switch (which) {
    case BY_ARTICLE:
      return tag_is(n, "article");
    case BY_ITEMPROP:
      return has_token(attr(n, "itemprop"), "articleBody");
    default:
      return tag_is(n, "main") || has_token(attr(n, "role"), "main");
  }
}

static void find_best(const xmlNode *n, int which, int depth, choice *c) {
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE || depth >= WALK_DEPTH || skipped(k)) continue;
    if (matches(k, which)) {
      size_t w = prose_words(k);
      if (!c->best || w > c->best_words) c->best = k, c->best_words = w;
    }
    find_best(k, which, depth + 1, c);
  }
}

/* The text-density pass, for pages without semantic markup. Prose lives
 * in paragraphs, so each paragraph's words outside links credit the
 * element holding it, and the element credited most holds the article
 * (as Readability scores the parents of paragraphs, but counting words
 * only: a link list scores nothing, a comment or sidebar is already cut
 * out as chrome, and a page of one container of paragraphs - the common
 * plain blog - needs nothing finer). */
/* The parents credited, each once; a parent's words are kept in its
 * node's _private slot (unused by the HTML parser), so a page of many
 * paragraphs is scored in one pass. */
typedef struct density {
  xmlNode **parents;
  size_t n, cap;
  const gz_allocator *al;
  bool failed;
} density;

static void credit(density *d, xmlNode *parent, size_t words) {
  uintptr_t had = (uintptr_t)parent->_private;
  if (!had) {
    if (gz_grow(d->al, (void **)&d->parents, &d->cap, d->n + 1, sizeof *d->parents)) {
      d->failed = true;
      return;
    }
    d->parents[d->n++] = parent;
  }
  parent->_private = (void *)(had + words);
}

static void score_paragraphs(density *d, xmlNode *n, int depth) {
  for (xmlNode *k = n->children; k && !d->failed; k = k->next) {
    if (k->type != XML_ELEMENT_NODE || depth >= WALK_DEPTH || skipped(k)) continue;
    if (tag_is(k, "p") || tag_is(k, "pre") || tag_is(k, "blockquote")) {
      size_t w = prose_words(k);
      if (w) credit(d, n, w);
    } else {
      score_paragraphs(d, k, depth + 1);
    }
  }
}

/* Returns the chosen element, or NULL (no body, or out of memory in
 * *failed). */
static const xmlNode *choose_body(xmlNode *body, const gz_allocator *al, bool *failed) {
  for (int which = BY_ARTICLE; which <= BY_MAIN; which++) {
    choice c = {NULL, 0};
    find_best(body, which, 0, &c);
    if (c.best && c.best_words) return c.best;
  }
  density d = {NULL, 0, 0, al, false};
  score_paragraphs(&d, body, 0);
  const xmlNode *best = NULL;
  uintptr_t best_score = 0;
  for (size_t i = 0; i < d.n; i++) {
    uintptr_t w = (uintptr_t)d.parents[i]->_private;
    d.parents[i]->_private = NULL;
    if (w > best_score) best = d.parents[i], best_score = w;
  }
  *failed = d.failed;
  gz_free(al, d.parents);
  return best ? best : body;
}

/* ---- metadata: the head and Open Graph ---- */

static void list_add(gz_buf *b, const char *s) {
  size_t n = strlen(s);
  gz_trim(&s, &n);
  if (!n) return;
  gz_buf_append(b, s, n);
  gz_buf_putc(b, '\0');
}

static gz_raw_list as_list(const gz_buf *b) {
  gz_raw_list l = {b->data, b->len, 0};
  for (size_t i = 0; i < b->len; i++)
    if (b->data[i] == '\0') l.n++;
  return l;
}

static const char *nonempty(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  gz_trim(&s, &n);
  return n ? s : NULL;
}

static void set_once(const char **field, const char *v) {
  if (!*field) *field = nonempty(v);
}

/* One <meta> element: property= for Open Graph (some sites write name=). */
static void read_meta(meta *m, const xmlNode *n) {
  const char *key = attr(n, "property");
  if (!key) key = attr(n, "name");
  const char *v = attr(n, "content");
  if (!key || !v) return;
  size_t kl = strlen(key);
  gz_trim(&key, &kl);
  if (gz_ascii_ieq(key, kl, "og:title")) {
    set_once(&m->og_title, v);
  } else if (gz_ascii_ieq(key, kl, "og:description")) {
    set_once(&m->og_summary, v);
  } else if (gz_ascii_ieq(key, kl, "og:image") || gz_ascii_ieq(key, kl, "og:image:url")) {
    set_once(&m->og_image, v);
  } else if (gz_ascii_ieq(key, kl, "og:url")) {
    set_once(&m->og_url, v);
  } else if (gz_ascii_ieq(key, kl, "og:site_name")) {
    set_once(&m->site_name, v);
  } else if (gz_ascii_ieq(key, kl, "og:type")) {
    size_t vl = strlen(v);
    gz_trim(&v, &vl);
    if (gz_ascii_ieq(v, vl, "article")) m->og_article = true;
  } else if (gz_ascii_ieq(key, kl, "article:published_time")) {
    set_once(&m->og_date, v);
    m->og_article = true;
  } else if (gz_ascii_ieq(key, kl, "article:modified_time")) {
    set_once(&m->og_modified, v);
  } else if (gz_ascii_ieq(key, kl, "article:author")) {
    /* Often the author's profile URL (as Facebook asks): not a name. */
    if (!gz_ascii_iprefix(v, strlen(v), "http")) list_add(&m->og_authors, v);
  } else if (gz_ascii_ieq(key, kl, "article:section")) {
    list_add(&m->og_section, v);
  } else if (gz_ascii_ieq(key, kl, "article:tag")) {
    list_add(&m->og_tags, v);
  } else if (gz_ascii_ieq(key, kl, "author")) {
    set_once(&m->meta_author, v);
  } else if (gz_ascii_ieq(key, kl, "description")) {
    set_once(&m->meta_summary, v);
  }
}

/* ---- metadata: JSON-LD ---- */

static bool json_is_article_type(const char *t) {
  /* schema.org's Article and the subtypes news sites and blogs use. */
  static const char *const types[] = {"Article",
                                      "NewsArticle",
                                      "BlogPosting",
                                      "ReportageNewsArticle",
                                      "AnalysisNewsArticle",
                                      "OpinionNewsArticle",
                                      "ReviewNewsArticle",
                                      "BackgroundNewsArticle",
                                      "LiveBlogPosting",
                                      "ScholarlyArticle",
                                      "TechArticle",
                                      "Report",
                                      "SocialMediaPosting",
                                      "AskPublicQuestion"};
  size_t n = strlen(t);
  if (gz_ascii_iprefix(t, n, "schema:")) t += 7;
  for (size_t i = 0; i < GZ_ARRAY_LEN(types); i++)
    if (strcmp(t, types[i]) == 0) return true;
  return false;
}

static yajl_val member(yajl_val obj, const char *key) {
  if (!YAJL_IS_OBJECT(obj)) return NULL;
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp(obj->u.object.keys[i], key) == 0) return obj->u.object.values[i];
  return NULL;
}

static const char *str_member(yajl_val obj, const char *key) {
  yajl_val v = member(obj, key);
  return YAJL_IS_STRING(v) ? nonempty(v->u.string) : NULL;
}

static bool is_article(yajl_val obj) {
  yajl_val t = member(obj, "@type");
  if (YAJL_IS_STRING(t)) return json_is_article_type(t->u.string);
  if (YAJL_IS_ARRAY(t))
    for (size_t i = 0; i < t->u.array.len; i++)
      if (YAJL_IS_STRING(t->u.array.values[i]) &&
          json_is_article_type(t->u.array.values[i]->u.string))
        return true;
  return false;
}

/* The first article object in a value: itself, an item of an array, an
 * item of its "@graph" or its "mainEntity". */
static yajl_val find_article(yajl_val v, int depth) {
  if (!v || depth > 4) return NULL;
  if (YAJL_IS_ARRAY(v)) {
    for (size_t i = 0; i < v->u.array.len; i++) {
      yajl_val a = find_article(v->u.array.values[i], depth + 1);
      if (a) return a;
    }
    return NULL;
  }
  if (!YAJL_IS_OBJECT(v)) return NULL;
  if (is_article(v)) return v;
  yajl_val a = find_article(member(v, "@graph"), depth + 1);
  /* A WebPage whose main entity is the article. */
  return a ? a : find_article(member(v, "mainEntity"), depth + 1);
}

/* The object of the graph whose "@id" is `id` (Yoast's author is
 * {"@id": ".../#/schema/person/..."}, the Person given beside). */
static yajl_val by_id(yajl_val root, const char *id) {
  yajl_val g = member(root, "@graph");
  if (!YAJL_IS_ARRAY(g)) return NULL;
  for (size_t i = 0; i < g->u.array.len; i++) {
    const char *v = str_member(g->u.array.values[i], "@id");
    if (v && strcmp(v, id) == 0) return g->u.array.values[i];
  }
  return NULL;
}

/* A person or organisation: a string, or an object with a name (itself
 * or through its @id). */
static void add_person(gz_buf *out, yajl_val root, yajl_val v) {
  if (YAJL_IS_STRING(v)) {
    list_add(out, v->u.string);
    return;
  }
  const char *name = str_member(v, "name");
  if (!name) {
    const char *id = str_member(v, "@id");
    if (id) name = str_member(by_id(root, id), "name");
  }
  if (name) list_add(out, name);
}

/* A list that may be one value or an array of them. */
static void each(yajl_val v, void (*fn)(gz_buf *, yajl_val, yajl_val), gz_buf *out, yajl_val root) {
  if (YAJL_IS_ARRAY(v)) {
    for (size_t i = 0; i < v->u.array.len; i++) fn(out, root, v->u.array.values[i]);
  } else if (v) {
    fn(out, root, v);
  }
}

/* Keywords: an array of strings, or one string of comma-separated ones. */
static void add_keywords(gz_buf *out, yajl_val root, yajl_val v) {
  (void)root;
  if (!YAJL_IS_STRING(v)) return;
  const char *s = v->u.string;
  while (*s) {
    const char *comma = strchr(s, ',');
    size_t n = comma ? (size_t)(comma - s) : strlen(s);
    const char *t = s;
    size_t tl = n;
    gz_trim(&t, &tl);
    if (tl) gz_buf_append(out, t, tl), gz_buf_putc(out, '\0');
    s += n;
    if (*s == ',') s++;
  }
}

static const char *image_of(yajl_val v, int depth) {
  if (!v || depth > 3) return NULL;
  if (YAJL_IS_STRING(v)) return nonempty(v->u.string);
  if (YAJL_IS_ARRAY(v)) return v->u.array.len ? image_of(v->u.array.values[0], depth + 1) : NULL;
  const char *u = str_member(v, "url");
  return u ? u : str_member(v, "contentUrl");
}

/* Does the text nest arrays and objects deeper than JSONLD_DEPTH? */
static bool too_deep(const char *s) {
  int depth = 0;
  bool str = false;
  for (; *s; s++) {
    if (str) {
      if (*s == '\\' && s[1])
        s++;
      else if (*s == '"')
        str = false;
    } else if (*s == '"') {
      str = true;
    } else if (*s == '[' || *s == '{') {
      if (++depth > JSONLD_DEPTH) return true;
    } else if (*s == ']' || *s == '}') {
      depth--;
    }
  }
  return false;
}

/* Reads one JSON-LD block; keeps its tree in *tree when it gave the
 * article (the fields point into it). */
static void read_jsonld(meta *m, const char *json, yajl_val *tree) {
  if (m->ld_article || strlen(json) > JSONLD_MAX || too_deep(json)) return;
  yajl_val root = yajl_tree_parse(json, NULL, 0);
  if (!root) return;
  yajl_val a = find_article(root, 0);
  if (!a) {
    yajl_tree_free(root);
    return;
  }
  m->ld_article = true;
  *tree = root;
  m->title = str_member(a, "headline");
  if (!m->title) m->title = str_member(a, "name");
  m->date = str_member(a, "datePublished");
  m->modified = str_member(a, "dateModified");
  m->summary = str_member(a, "description");
  m->lang = str_member(a, "inLanguage");
  m->url = str_member(a, "url");
  m->image = image_of(member(a, "image"), 0);
  each(member(a, "author"), add_person, &m->authors, root);
  each(member(a, "articleSection"), add_keywords, &m->tags, root);
  each(member(a, "keywords"), add_keywords, &m->tags, root);
}

/* One pass over the page for what the head (and the body's scripts)
 * tell. */
static void read_head(meta *m, const xmlNode *n, int depth, yajl_val *tree) {
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE || depth >= WALK_DEPTH) continue;
    if (tag_is(k, "meta")) {
      read_meta(m, k);
    } else if (tag_is(k, "link")) {
      if (has_token(attr(k, "rel"), "canonical")) set_once(&m->canonical, attr(k, "href"));
    } else if (tag_is(k, "title")) {
      /* Its whole text: the parser makes elements of markup inside. */
      if (!m->html_title.len) {
        xmlChar *t = xmlNodeGetContent(k);
        if (t) gz_buf_puts(&m->html_title, (const char *)t);
        xmlFree(t);
      }
      continue;
    } else if (tag_is(k, "script")) {
      if (attr_ieq(k, "type", "application/ld+json") && k->children && k->children->content &&
          !k->children->next)
        read_jsonld(m, (const char *)k->children->content, tree);
      continue;
    }
    read_head(m, k, depth + 1, tree);
  }
}

/* The first <time datetime> of the article outside chrome, its own
 * header allowed (where the byline and date stand). */
static const char *find_time(const xmlNode *n, int depth) {
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE || depth >= WALK_DEPTH || inert(k)) continue;
    if (chrome(k) && !tag_is(k, "header")) continue;
    if (tag_is(k, "time")) {
      const char *v = nonempty(attr(k, "datetime"));
      if (v) return v;
    }
    const char *t = find_time(k, depth + 1);
    if (t) return t;
  }
  return NULL;
}

/* ---- the title without the site's name ---- */

/* Separators sites put between the headline and their name. */
static const char *const title_seps[] = {" | ",  " - ",       " \xE2\x80\x94 ", " \xE2\x80\x93 ",
                                         " :: ", " \xC2\xB7 "};

/* Is this end part of a <title> the site's name: equal to og:site_name,
 * or short (three words at most, as names of papers and blogs are) after
 * a headline? A longer end is the headline's own ("... - and what it
 * means for the harbour"). */
static bool site_part(const meta *m, const char *s, size_t n, size_t head) {
  gz_trim(&s, &n);
  if (!n) return true;
  if (m->site_name && gz_ascii_ieq(s, n, m->site_name)) return true;
  return head > 0 && gz_count_words(s, n) <= 3;
}

/* Appends the <title> cut of the site name at either end to `out`. */
static void clean_title(const meta *m, const char *t, gz_buf *out) {
  size_t n = strlen(t);
  for (int round = 0; round < 2; round++) {
    /* The last separator: "Headline | Section | Site" loses "Site", then
     * "Section". */
    const char *cut = NULL;
    size_t cut_len = 0;
    for (size_t k = 0; k < GZ_ARRAY_LEN(title_seps); k++) {
      size_t sl = strlen(title_seps[k]);
      for (size_t i = 0; i + sl <= n; i++)
        if (memcmp(t + i, title_seps[k], sl) == 0 && (!cut || t + i > cut))
          cut = t + i, cut_len = sl;
    }
    if (!cut) break;
    size_t head = (size_t)(cut - t), tail = n - head - cut_len;
    if (site_part(m, cut + cut_len, tail, head)) {
      n = head;
      continue;
    }
    /* "Site | Headline": the first part names the site. */
    const char *first = NULL;
    size_t first_len = 0;
    for (size_t k = 0; k < GZ_ARRAY_LEN(title_seps); k++) {
      const char *p = strstr(t, title_seps[k]);
      if (p && p < t + n && (!first || p < first)) first = p, first_len = strlen(title_seps[k]);
    }
    size_t pre = (size_t)(first - t);
    if (m->site_name && gz_ascii_ieq(t, pre, m->site_name)) {
      t += pre + first_len;
      n -= pre + first_len;
      continue;
    }
    break;
  }
  gz_buf_put_collapsed(out, t, n);
}

/* ---- the body ---- */

static bool heading(const xmlNode *n) {
  return tag_is(n, "h1") || tag_is(n, "h2") || tag_is(n, "h3");
}

/* Does the element's whole text equal the title? */
static bool says_title(xmlNode *n, const char *title) {
  xmlChar *text = xmlNodeGetContent(n);
  if (!text) return false;
  const char *s = (const char *)text;
  size_t sl = strlen(s);
  gz_trim(&s, &sl);
  bool same = sl == strlen(title) && memcmp(s, title, sl) == 0;
  xmlFree(text);
  return same;
}

static const xmlNode *first_time(const xmlNode *n, int depth) {
  for (const xmlNode *k = n->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE || depth >= WALK_DEPTH) continue;
    if (tag_is(k, "time")) return k;
    const xmlNode *t = first_time(k, depth + 1);
    if (t) return t;
  }
  return NULL;
}

/* A dateline: a block holding a <time> and at most a few words besides
 * ("Posted on 19 February 2024 by ..."); the plan has the date. */
static bool dateline(const xmlNode *n) {
  if (!(tag_is(n, "div") || tag_is(n, "p") || tag_is(n, "span"))) return false;
  const xmlNode *t = first_time(n, 0);
  if (!t) return false;
  text_count all = {0, 0, 0}, time = {0, 0, 0};
  count_text(n, false, 0, &all);
  count_text(t, false, 0, &time);
  return all.words <= time.words + 5;
}

/* Moves chrome, inert elements and datelines out of the chosen subtree,
 * and the first heading that repeats the title, into `trash`: kept until
 * the article is handed over, as metadata read from the page may point
 * into them (a <meta> inside a share bar). */
static void prune(xmlNode *n, xmlNode *trash, const char *title, bool *title_cut, int depth) {
  xmlNode *next;
  for (xmlNode *k = n->children; k; k = next) {
    next = k->next;
    if (k->type == XML_COMMENT_NODE) {
      xmlUnlinkNode(k);
      xmlAddChild(trash, k);
      continue;
    }
    if (k->type != XML_ELEMENT_NODE) continue;
    bool cut = skipped(k) || depth >= WALK_DEPTH || dateline(k);
    if (!cut && title && !*title_cut && heading(k) && says_title(k, title)) cut = *title_cut = true;
    if (cut) {
      xmlUnlinkNode(k);
      xmlAddChild(trash, k);
      continue;
    }
    prune(k, trash, title, title_cut, depth + 1);
  }
}

/* ---- reading one page ---- */

static int oom(gz_input *in) {
  in->failed = true;
  return gz_error_set(in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
}

static void meta_init(meta *m, const gz_allocator *al) {
  memset(m, 0, sizeof *m);
  gz_buf_init(&m->authors, al);
  gz_buf_init(&m->tags, al);
  gz_buf_init(&m->og_authors, al);
  gz_buf_init(&m->og_tags, al);
  gz_buf_init(&m->og_section, al);
  gz_buf_init(&m->html_title, al);
}

static void meta_free(meta *m) {
  gz_buf_free(&m->authors);
  gz_buf_free(&m->tags);
  gz_buf_free(&m->og_authors);
  gz_buf_free(&m->og_tags);
  gz_buf_free(&m->og_section);
  gz_buf_free(&m->html_title);
}

/* Fills the trust order: JSON-LD, then Open Graph, then plain HTML. */
static void settle(meta *m) {
  const char *og[] = {m->og_title, m->og_summary, m->og_url,
                      m->og_image, m->og_date,    m->og_modified};
  for (size_t i = 0; i < GZ_ARRAY_LEN(og); i++)
    if (og[i]) m->og = true;
  if (m->og_authors.len || m->og_tags.len || m->og_section.len) m->og = true;
  set_once(&m->title, m->og_title);
  set_once(&m->summary, m->og_summary);
  set_once(&m->summary, m->meta_summary);
  set_once(&m->url, m->og_url);
  set_once(&m->url, m->canonical);
  set_once(&m->image, m->og_image);
  set_once(&m->date, m->og_date);
  set_once(&m->modified, m->og_modified);
  set_once(&m->lang, m->html_lang);
  if (!m->authors.len) {
    if (m->og_authors.len)
      gz_buf_append(&m->authors, m->og_authors.data, m->og_authors.len);
    else if (m->meta_author)
      list_add(&m->authors, m->meta_author);
  }
  if (!m->tags.len) {
    /* As JSON-LD's articleSection before its keywords. */
    gz_buf_append(&m->tags, m->og_section.data, m->og_section.len);
    gz_buf_append(&m->tags, m->og_tags.data, m->og_tags.len);
  }
}

static int read_page(page_reader *r, const char *html, size_t len) {
  gz_input *in = r->in;
  const gz_allocator *al = gz_digest_setup(in->d)->al;
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt) return oom(in);
  if (len > INT32_MAX) len = INT32_MAX;
  htmlDocPtr doc = htmlCtxtReadMemory(
      ctxt, html, (int)len, NULL, "UTF-8",
      HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
  htmlFreeParserCtxt(ctxt);
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (!root) {
    if (doc) xmlFreeDoc(doc);
    gz_ingest_skip(in, 0, 0, "no HTML element in this page; skipped");
    return 0;
  }
  meta m;
  meta_init(&m, al);
  yajl_val tree = NULL;
  xmlNode *trash = NULL;
  gz_buf title, body, date;
  gz_buf_init(&title, al);
  gz_buf_init(&body, al);
  gz_buf_init(&date, al);
  int rc = 0;

  read_head(&m, root, 0, &tree);
  m.html_lang = nonempty(attr(root, "lang"));
  if (!m.html_lang) m.html_lang = nonempty(attr(root, "xml:lang"));
  settle(&m);
  in->shape = m.ld_article ? "json-ld" : m.og ? "open-graph" : "html";

  xmlNode *page_body = root;
  for (xmlNode *k = root->children; k; k = k->next)
    if (tag_is(k, "body")) page_body = k;
  bool failed = false;
  xmlNode *chosen = (xmlNode *)choose_body(page_body, al, &failed);
  if (failed) {
    rc = oom(in);
    goto done;
  }
  if (!m.date) {
    const char *t = find_time(chosen, 0);
    if (!t) t = find_time(page_body, 0);
    if (t) gz_buf_puts(&date, t), m.date = gz_buf_cstr(&date);
  }

  size_t words = prose_words(chosen), links = count_links(page_body, 0);
  if (words == 0) {
    gz_ingest_skip(in, 0, 0, "no article text in this page; skipped");
    goto done;
  }
  bool article_meta = m.ld_article || m.og_article;
  if (!article_meta && words < INDEX_WORDS_PER_LINK * links) {
    gz_ingest_skip(in, 0, 0, "looks like an index page: %zu links and %zu words of text; skipped",
                   links, words);
    goto done;
  }

  if (m.title) {
    gz_buf_put_collapsed(&title, m.title, strlen(m.title));
  } else if (m.html_title.len) {
    clean_title(&m, gz_buf_cstr(&m.html_title), &title);
  }
  bool title_cut = false;
  trash = xmlNewDocNode(doc, NULL, (const xmlChar *)"div", NULL);
  if (!trash) {
    rc = oom(in);
    goto done;
  }
  prune(chosen, trash, title.len ? gz_buf_cstr(&title) : NULL, &title_cut, 0);
  for (xmlNode *k = chosen->children; k; k = k->next) {
    xmlBufferPtr xb = xmlBufferCreate();
    if (!xb) {
      rc = oom(in);
      goto done;
    }
    if (htmlNodeDump(xb, doc, k) >= 0)
      gz_buf_append(&body, xmlBufferContent(xb), xmlBufferLength(xb));
    xmlBufferFree(xb);
  }
  if (title.failed || body.failed || date.failed || m.authors.failed || m.tags.failed ||
      m.og_authors.failed || m.og_tags.failed || m.og_section.failed || m.html_title.failed) {
    rc = oom(in);
    goto done;
  }

  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = 1;
  raw.col = 1;
  raw.bytes = len;
  raw.title = title.len ? title.data : NULL;
  raw.title_len = title.len;
  raw.body = gz_buf_cstr(&body);
  raw.body_len = body.len;
  raw.body_kind = GZ_BODY_HTML;
  if (m.date) raw.date = (gz_raw_date){m.date, strlen(m.date), 0, 0, 0};
  if (m.modified) raw.captured = (gz_raw_date){m.modified, strlen(m.modified), 0, 0, 0};
  raw.authors = as_list(&m.authors);
  raw.tags = as_list(&m.tags);
  if (m.url) raw.url = m.url, raw.url_len = strlen(m.url);
  if (m.image) raw.image = m.image, raw.image_len = strlen(m.image);
  if (m.lang) raw.lang = m.lang, raw.lang_len = strlen(m.lang);
  if (m.summary) raw.summary = m.summary, raw.summary_len = strlen(m.summary);
  rc = gz_ingest_raw(in, &raw);

done:
  gz_buf_free(&title);
  gz_buf_free(&body);
  gz_buf_free(&date);
  meta_free(&m);
  if (tree) yajl_tree_free(tree);
  if (trash) xmlFreeNode(trash);
  xmlFreeDoc(doc);
  return rc;
}

/* ---- the reader's row ---- */

static void *page_new(gz_input *in, const char *path) {
  (void)path;
  const gz_allocator *al = gz_digest_setup(in->d)->al;
  page_reader *r = gz_malloc(al, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->in = in;
  gz_buf_init(&r->page, al);
  return r;
}

static int page_feed(void *self, const char *s, size_t n) {
  page_reader *r = self;
  if (r->too_big) return 0;
  if (r->page.len + n > gz_digest_setup(r->in->d)->opts->max_article_size) {
    r->too_big = true;
    gz_buf_free(&r->page);
    return 0;
  }
  if (gz_buf_append(&r->page, s, n)) return oom(r->in), -1;
  return 0;
}

static int page_finish(void *self) {
  page_reader *r = self;
  if (r->too_big) {
    gz_raw_article raw;
    memset(&raw, 0, sizeof raw);
    raw.line = 1;
    raw.col = 1;
    raw.too_big = true; /* ingest says so */
    return gz_ingest_raw(r->in, &raw);
  }
  return read_page(r, gz_buf_cstr(&r->page), r->page.len) ? -1 : 0;
}

static void page_free(void *self) {
  page_reader *r = self;
  if (!r) return;
  gz_buf_free(&r->page);
  gz_free(gz_digest_setup(r->in->d)->al, r);
}

/* "<!DOCTYPE html" or "<html" at the start (after white space and
 * comments' absence: a saved page starts with one of them). */
static bool page_sniff(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && gz_is_ascii_space((unsigned char)s[i])) i++;
  s += i, n -= i;
  static const char *const starts[] = {"<!DOCTYPE html", "<html"};
  for (size_t k = 0; k < GZ_ARRAY_LEN(starts); k++) {
    size_t l = strlen(starts[k]);
    if (n > l && gz_ascii_iprefix(s, n, starts[k]) &&
        (gz_is_ascii_space((unsigned char)s[l]) || s[l] == '>'))
      return true;
  }
  return false;
}

static const char *const page_ext[] = {".html", ".htm", NULL};

const gz_reader_class gz_reader_html = {
    "html",   "saved HTML article page", page_ext, page_sniff, page_new, page_feed, page_finish,
    page_free};
