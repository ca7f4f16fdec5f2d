/*
 * nav.c - the navigation document (nav.xhtml) and the EPUB 2 NCX
 * (toc.ncx): a group and its articles each.
 */
#include <stdio.h>

#include "write/epub/epub.h"

static void article_href(const epub_ctx *e, size_t g, size_t i, char *out, size_t cap) {
  const part *p = gz_epub_part_of(e, g, i);
  snprintf(out, cap, "%s#a%zu", p ? p->name : "", gz_epub_article_number(e, g, i));
}

void gz_epub_write_nav(const epub_ctx *e, gz_xw *x) {
  gz_xhtml_start_dir(x, e->lang, e->dir, "Contents", true);
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
      const part *first = gz_epub_part_of(e, it.group, 0);
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
      gz_xhtml_dir_lang(x, gz_epub_text_dir(e, it.article->title),
                        gz_epub_article_lang(e, it.article));
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

/* The NCX's own language marks (its DTD's %i18n: xml:lang and dir, on
 * ncx, docTitle and navLabel; https://daisy.org/z3986/2005/ncx-2005-1.dtd). */
static void ncx_dir_lang(gz_xw *x, uint8_t dir, const char *lang) {
  if (lang) gz_xw_attr(x, "xml:lang", lang);
  if (dir == GZ_DIR_LTR || dir == GZ_DIR_RTL)
    gz_xw_attr(x, "dir", dir == GZ_DIR_RTL ? "rtl" : "ltr");
}

static void ncx_point(gz_xw *x, const char *id, int order, const char *label, const char *src,
                      uint8_t dir, const char *lang) {
  gz_xw_start(x, "navPoint");
  gz_xw_attr(x, "id", id);
  gz_xw_attrf(x, "playOrder", "%d", order);
  gz_xw_start(x, "navLabel");
  ncx_dir_lang(x, dir, lang);
  gz_xml_elem_text(x, "text", label);
  gz_xw_end(x);
  gz_xw_start(x, "content");
  gz_xw_attr(x, "src", src);
  gz_xw_end(x);
}

void gz_epub_write_ncx(const epub_ctx *e, gz_xw *x, const char *uuid, const char *title) {
  gz_xw_start_document(x);
  gz_xw_start(x, "ncx");
  gz_xw_attr(x, "xmlns", "http://www.daisy.org/z3986/2005/ncx/");
  gz_xw_attr(x, "version", "2005-1");
  gz_xw_attr(x, "xml:lang", e->lang);
  ncx_dir_lang(x, e->dir == GZ_DIR_RTL ? GZ_DIR_RTL : GZ_DIR_ARTICLE, NULL);
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
  ncx_dir_lang(x, gz_epub_text_dir(e, title), NULL);
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
      const part *first = gz_epub_part_of(e, it.group, 0);
      snprintf(id, sizeof id, "g%zu", it.group + 1);
      ncx_point(x, id, order++, it.grp->label, first ? first->name : "", GZ_DIR_ARTICLE, NULL);
    } else if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER) {
      const gz_article *a = it.article;
      article_href(e, it.group, it.item, href, sizeof href);
      snprintf(id, sizeof id, "a%zu", gz_epub_article_number(e, it.group, it.item));
      ncx_point(x, id, order++, a->title ? a->title : "Untitled", href,
                gz_epub_text_dir(e, a->title), gz_epub_article_lang(e, a));
    } else if (it.node != GZ_NODE_ROOT) {
      gz_xw_end(x); /* navPoint of the article or group */
    }
  }
  gz_walk_free(&it);
  gz_xw_end_document(x);
}
