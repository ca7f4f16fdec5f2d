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

/* What gz_body_langs keeps of each block's analysis. */
typedef struct block_script {
  uint8_t script;   /* the block's main script */
  uint32_t letters; /* its strong letters */
  uint32_t mine;    /* those of its main script (kana and Han together) */
} block_script;

static void add_letters(uint32_t all[GZ_SCRIPT_COUNT], const gz_bidi_info *info) {
  for (int sc = 0; sc < GZ_SCRIPT_COUNT; sc++) all[sc] += info->letters[sc];
}

int gz_body_langs(gz_block *blocks, size_t n, const char *title, const char *article_lang,
                  gz_arena *arena) {
  if (!n) return 0;
  /* One pass over the text: each block's script, and their sum, which
   * is the article's. */
  block_script *bs = gz_arena_alloc(arena, n * sizeof *bs);
  if (!bs) return -1;
  uint32_t all[GZ_SCRIPT_COUNT] = {0};
  gz_bidi_info info;
  if (title) {
    gz_bidi_text(title, strlen(title), &info);
    add_letters(all, &info);
  }
  for (size_t i = 0; i < n; i++) {
    bs[i].script = GZ_SCRIPT_NONE;
    if (!has_text(&blocks[i]) || blocks[i].type == GZ_BLOCK_PRE) continue;
    gz_bidi_text(blocks[i].text, blocks[i].len, &info);
    add_letters(all, &info);
    bs[i].script = info.script;
    bs[i].letters = info.ltr + info.rtl;
    bs[i].mine = info.letters[info.script];
    if (info.script == GZ_SCRIPT_HAN || info.script == GZ_SCRIPT_KANA)
      bs[i].mine = info.letters[GZ_SCRIPT_HAN] + info.letters[GZ_SCRIPT_KANA];
  }
  uint8_t article = GZ_SCRIPT_NONE;
  uint32_t best = 0;
  for (int sc = 1; sc < GZ_SCRIPT_COUNT; sc++) /* ties: the earlier script */
    if (all[sc] > best) {
      best = all[sc];
      article = (uint8_t)sc;
    }
  if (article == GZ_SCRIPT_NONE) return 0;
  for (size_t i = 0; i < n; i++) {
    gz_block *b = &blocks[i];
    if (bs[i].script == GZ_SCRIPT_NONE || family(bs[i].script) == family(article) ||
        bs[i].letters < OTHER_SCRIPT_LETTERS ||
        (uint64_t)bs[i].mine * 4 < (uint64_t)bs[i].letters * 3)
      continue;
    char lang[GZ_LANG_MAX];
    gz_lang_detect(b->text, b->len, lang);
    if (!lang[0] || (article_lang && same_language(lang, article_lang))) continue;
    if (!(b->lang = gz_arena_strdup(arena, lang))) return -1;
  }
  return 0;
}
