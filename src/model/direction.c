/*
 * direction.c - which way an article and each of its blocks run, and
 * the language of a block written in another script than its article.
 *
 * Decided once, when the body is built (read/pipeline.c), and kept in
 * the spool, so that the EPUB and the PDF writer agree. The direction
 * of a text is lang/bidi.c's (the Unicode bidirectional algorithm's
 * classes); here only the article's share of it is decided.
 */
#include <string.h>

#include "model/model.h"

/* Blocks whose text has a direction or a script. */
static bool has_text(const gz_block *b) {
  return b->len && b->type != GZ_BLOCK_RULE && b->type != GZ_BLOCK_IMAGE;
}

uint8_t gz_body_direction(gz_block *blocks, size_t n, const char *title, const char *given_lang) {
  gz_bidi_info info;
  uint8_t title_dir = GZ_BIDI_NEUTRAL, first_dir = GZ_BIDI_NEUTRAL;
  size_t votes[3] = {0, 0, 0};
  if (title) {
    gz_bidi_text(title, strlen(title), &info);
    title_dir = info.dir;
    votes[info.dir]++;
  }
  for (size_t i = 0; i < n; i++) {
    gz_block *b = &blocks[i];
    b->dir = GZ_BIDI_NEUTRAL;
    if (!has_text(b)) continue;
    gz_bidi_text(b->text, b->len, &info);
    b->dir = info.dir; /* for now the block's own; made relative below */
    votes[info.dir]++;
    if (!first_dir) first_dir = info.dir;
  }
  /* A language the source named is the surest sign; else the title and
   * the paragraphs vote, one each, the title breaking a tie. */
  uint8_t dir;
  if (given_lang && gz_lang_is_rtl(given_lang))
    dir = GZ_DIR_RTL;
  else if (votes[GZ_BIDI_RTL] != votes[GZ_BIDI_LTR])
    dir = votes[GZ_BIDI_RTL] > votes[GZ_BIDI_LTR] ? GZ_DIR_RTL : GZ_DIR_LTR;
  else if (title_dir)
    dir = title_dir;
  else
    dir = first_dir ? first_dir : GZ_DIR_LTR;
  for (size_t i = 0; i < n; i++)
    if (blocks[i].dir == dir) blocks[i].dir = GZ_DIR_ARTICLE;
  return dir;
}

/* Kana and Han write one language (Japanese mixes them; Chinese is
 * Han): a paragraph is not set apart for moving between them. */
static uint8_t family(uint8_t script) { return script == GZ_SCRIPT_KANA ? GZ_SCRIPT_HAN : script; }

/* "en-GB" and "en" are one language here. */
static bool same_language(const char *a, const char *b) {
  size_t na = strcspn(a, "-"), nb = strcspn(b, "-");
  return na == nb && strncmp(a, b, na) == 0;
}

/* A paragraph counts as written in another script when it has at least
 * this many letters and three quarters of them are of that script: a
 * name or a word quoted in another script leaves it alone. */
#define OTHER_SCRIPT_LETTERS 12

int gz_body_langs(gz_block *blocks, size_t n, const char *title, const char *article_lang,
                  gz_arena *arena) {
  gz_bidi_info all, info;
  gz_bidi_init(&all);
  if (title) gz_bidi_add(&all, title, strlen(title));
  for (size_t i = 0; i < n; i++)
    if (has_text(&blocks[i])) gz_bidi_add(&all, blocks[i].text, blocks[i].len);
  gz_bidi_finish(&all);
  if (all.script == GZ_SCRIPT_NONE) return 0;
  for (size_t i = 0; i < n; i++) {
    gz_block *b = &blocks[i];
    if (!has_text(b) || b->type == GZ_BLOCK_PRE) continue;
    gz_bidi_text(b->text, b->len, &info);
    uint32_t letters = info.ltr + info.rtl;
    if (info.script == GZ_SCRIPT_NONE || family(info.script) == family(all.script) ||
        letters < OTHER_SCRIPT_LETTERS)
      continue;
    uint32_t mine = info.letters[info.script];
    if (info.script == GZ_SCRIPT_HAN || info.script == GZ_SCRIPT_KANA)
      mine = info.letters[GZ_SCRIPT_HAN] + info.letters[GZ_SCRIPT_KANA];
    if ((uint64_t)mine * 4 < (uint64_t)letters * 3) continue;
    char lang[GZ_LANG_MAX];
    gz_lang_detect(b->text, b->len, lang);
    if (!lang[0] || (article_lang && same_language(lang, article_lang))) continue;
    if (!(b->lang = gz_arena_strdup(arena, lang))) return -1;
  }
  return 0;
}
