/*
 * direction.c - which way the book, its articles and its titles run,
 * and which language marks they need, for every document of the EPUB.
 *
 * A book runs right to left (page-progression-direction="rtl", dir on
 * every document) only when the reader asked for a right-to-left
 * language with --lang and every article of the output is in one: a
 * reader of Arabic or Hebrew expects such a book to open from the right
 * and its pages to turn leftwards. Any other book runs left to right
 * and marks each right-to-left article and title with its own dir, so
 * that an English digest holding one Arabic article still turns its
 * pages as an English book.
 */
#include <string.h>

#include "write/epub/epub.h"

uint8_t gz_epub_book_dir(const epub_ctx *e) {
  if (!gz_lang_is_rtl(e->lang)) return GZ_DIR_LTR;
  bool any = false, all = true;
  gz_walk it;
  gz_walk_init(&it, e->d, e->job->groups, e->job->n_groups, 0);
  gz_walk_ev ev;
  while (all && (ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE)
    if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER) {
      any = true;
      all = it.article->dir == GZ_DIR_RTL;
    }
  gz_walk_free(&it);
  return any && all ? GZ_DIR_RTL : GZ_DIR_LTR;
}

/* a context not set up by gz_epub_book_dir (dir 0) is a left-to-right book */
static uint8_t book_dir(const epub_ctx *e) {
  return e->dir == GZ_DIR_RTL ? GZ_DIR_RTL : GZ_DIR_LTR;
}

uint8_t gz_epub_text_dir(const epub_ctx *e, const char *text) {
  if (!text) return GZ_DIR_ARTICLE;
  gz_bidi_info info;
  gz_bidi_text(text, strlen(text), &info);
  return info.dir == GZ_BIDI_NEUTRAL || info.dir == book_dir(e) ? GZ_DIR_ARTICLE : info.dir;
}

uint8_t gz_epub_article_dir(const epub_ctx *e, const gz_article *a) {
  /* an article no body builder saw (dir 0) runs left to right */
  uint8_t dir = a->dir == GZ_DIR_RTL ? GZ_DIR_RTL : GZ_DIR_LTR;
  return dir == book_dir(e) ? GZ_DIR_ARTICLE : dir;
}

const char *gz_epub_article_lang(const epub_ctx *e, const gz_article *a) {
  return a->lang && strcmp(a->lang, e->lang) != 0 ? a->lang : NULL;
}

uint8_t gz_epub_in_article_dir(const gz_article *a, const char *text) {
  if (!text) return GZ_DIR_ARTICLE;
  gz_bidi_info info;
  gz_bidi_text(text, strlen(text), &info);
  uint8_t own = a->dir == GZ_DIR_RTL ? GZ_DIR_RTL : GZ_DIR_LTR;
  return info.dir == GZ_BIDI_NEUTRAL || info.dir == own ? GZ_DIR_ARTICLE : info.dir;
}
