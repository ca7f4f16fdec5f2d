/*
 * test_bidi.c - directions and scripts (src/lang/bidi.c) and what the
 * body builder makes of them (src/model/direction.c): the first strong
 * character of UAX #9 P2/P3 checked against libfribidi's own
 * fribidi_get_par_direction, the direction gazette sets a paragraph in,
 * letter counts per script, right-to-left language tags, and the
 * direction and language of an article's blocks.
 */
#include <fribidi.h>
#include <stdlib.h>
#include <string.h>

#include "lang/bidi.h"
#include "model/model.h"
#include "testing.h"

/* fribidi's base direction of s as its embedding-level resolution
 * finds it (P2 and P3, isolates skipped; fribidi 1.0.8's own
 * fribidi_get_par_direction does not skip them), as a gz_bidi_dir;
 * -1 when it fails. */
static int fribidi_base_dir(const char *s) {
  size_t len = strlen(s);
  FriBidiChar *u = calloc(len + 1, sizeof *u);
  FriBidiCharType *t = calloc(len + 1, sizeof *t);
  if (!u || !t) {
    free(u);
    free(t);
    return -1;
  }
  FriBidiStrIndex n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, s, (FriBidiStrIndex)len, u);
  fribidi_get_bidi_types(u, n, t);
  FriBidiBracketType *br = calloc(len + 1, sizeof *br);
  FriBidiLevel *levels = calloc(len + 1, sizeof *levels);
  FriBidiParType p = FRIBIDI_PAR_ON;
  int rc = -1;
  if (br && levels) {
    fribidi_get_bracket_types(u, n, t, br);
    /* a text without a strong character keeps p as given (ON): P3
     * makes it left to right */
    if (n == 0 || fribidi_get_par_embedding_levels_ex(t, br, n, &p, levels))
      rc = p == FRIBIDI_PAR_RTL ? GZ_BIDI_RTL : GZ_BIDI_LTR;
  }
  free(br);
  free(levels);
  free(u);
  free(t);
  return rc;
}

typedef struct bidi_case {
  const char *name, *text;
  int first_strong, dir, script;
  unsigned ltr, rtl;
} bidi_case;

static const bidi_case cases[] = {
    {"pure Arabic", "مرحبا بالعالم", GZ_BIDI_RTL, GZ_BIDI_RTL, GZ_SCRIPT_ARABIC, 0, 12},
    /* P2 says left to right (the name comes first); the Hebrew holds
     * 63 of the 74 strong letters, so the paragraph runs right to left */
    {"Hebrew starting with an English name",
     "Daniel Weber, הצלם שאסף את התמונות, סיפר כי הצילום הראשון בתערוכה נעשה בשנת 1968 ליד "
     "המזח הצפוני.",
     GZ_BIDI_LTR, GZ_BIDI_RTL, GZ_SCRIPT_HEBREW, 11, 63},
    /* an Arabic sentence quoted inside English: 26 of 128 letters */
    {"English with an Arabic quote",
     "Its director greeted the first class in Arabic, saying «نريد أن يرى كل طفل النجوم بعينيه», "
     "which means that every child should see the stars with their own eyes.",
     GZ_BIDI_LTR, GZ_BIDI_LTR, GZ_SCRIPT_LATIN, 102, 26},
    /* a short Hebrew opening does not turn an English paragraph */
    {"English starting with a Hebrew word", "שלום is how the guide greeted every visitor",
     GZ_BIDI_RTL, GZ_BIDI_LTR, GZ_SCRIPT_LATIN, 32, 4},
    {"numbers only", "2020-12-31 10:00 ١٢٣ ۳۵", GZ_BIDI_NEUTRAL, GZ_BIDI_NEUTRAL, GZ_SCRIPT_NONE, 0,
     0},
    {"empty", "", GZ_BIDI_NEUTRAL, GZ_BIDI_NEUTRAL, GZ_SCRIPT_NONE, 0, 0},
    {"neutral only", "«…» — !? 🎉 👋🏽 👩🏽‍🍳", GZ_BIDI_NEUTRAL,
     GZ_BIDI_NEUTRAL, GZ_SCRIPT_NONE, 0, 0},
    /* a flag's regional indicators are Bidi_Class L in the UCD */
    {"flag", "🇮🇪", GZ_BIDI_LTR, GZ_BIDI_LTR, GZ_SCRIPT_OTHER, 2, 0},
    /* an isolate is skipped by P2 (RLI "abc" PDI, then Hebrew) */
    {"isolated English before Hebrew",
     "\xE2\x81\xA7"
     "abc\xE2\x81\xA9 עברית",
     GZ_BIDI_RTL, GZ_BIDI_RTL, GZ_SCRIPT_HEBREW, 3, 5},
    /* an isolate never closed runs to the end: no first strong, but its
     * letters still say which way the text runs */
    {"unclosed isolate",
     "\xE2\x81\xA6"
     "abc",
     GZ_BIDI_NEUTRAL, GZ_BIDI_LTR, GZ_SCRIPT_LATIN, 3, 0},
    {"Japanese", "館長は「駅を使う人が気軽に立ち寄れる場所にしたい」と話している。", GZ_BIDI_LTR,
     GZ_BIDI_LTR, GZ_SCRIPT_KANA, 29, 0},
    {"left-to-right mark",
     "\xE2\x80\x8E"
     "123",
     GZ_BIDI_LTR, GZ_BIDI_LTR, GZ_SCRIPT_OTHER, 1, 0},
};

static void test_directions(void) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const bidi_case *c = &cases[i];
    gz_bidi_info info;
    gz_bidi_text(c->text, strlen(c->text), &info);
    if (info.first_strong != c->first_strong || info.dir != c->dir || info.script != c->script ||
        info.ltr != c->ltr || info.rtl != c->rtl)
      fprintf(stderr, "case: %s\n", c->name);
    CHECK_INT(info.first_strong, c->first_strong);
    CHECK_INT(info.first_strong ? info.first_strong : GZ_BIDI_LTR, fribidi_base_dir(c->text));
    CHECK_INT(info.dir, c->dir);
    CHECK_INT(info.script, c->script);
    CHECK_INT(info.ltr, c->ltr);
    CHECK_INT(info.rtl, c->rtl);
  }
  gz_bidi_info info;
  /* the Japanese sentence's 29 letters: 12 kanji, 17 kana */
  const char *ja = cases[10].text;
  gz_bidi_text(ja, strlen(ja), &info);
  CHECK_INT(info.letters[GZ_SCRIPT_HAN], 12);
  CHECK_INT(info.letters[GZ_SCRIPT_KANA], 17);
}

static void test_invalid_utf8(void) {
  gz_bidi_info info;
  /* a bad byte is U+FFFD, which is neutral: the letters after it decide */
  gz_bidi_text(
      "\xFF\xFE"
      "abc",
      5, &info);
  CHECK_INT(info.first_strong, GZ_BIDI_LTR);
  CHECK_INT(info.ltr, 3);
  gz_bidi_text(
      "\xFF"
      "\xD8\xA7",
      3, &info); /* then alef */
  CHECK_INT(info.first_strong, GZ_BIDI_RTL);
  CHECK_INT(info.rtl, 1);
  /* a sequence cut short is no letter, and nothing is read past len */
  gz_bidi_text("\xD8\xA7", 1, &info);
  CHECK_INT(info.first_strong, GZ_BIDI_NEUTRAL);
  CHECK_INT(info.dir, GZ_BIDI_NEUTRAL);
  CHECK_INT(info.rtl, 0);
  gz_bidi_text("\xE0\xA4", 2, &info);
  CHECK_INT(info.dir, GZ_BIDI_NEUTRAL);
  /* a surrogate encoded in UTF-8 is invalid */
  gz_bidi_text("\xED\xA0\x80", 3, &info);
  CHECK_INT(info.dir, GZ_BIDI_NEUTRAL);
  /* NUL inside the length is a neutral character like any other */
  gz_bidi_text(
      "\0"
      "\xD7\x90",
      3, &info);
  CHECK_INT(info.first_strong, GZ_BIDI_RTL);
}

static void test_accumulate(void) {
  /* texts added one by one: the first strong of the first text that has
   * one, the letters of all */
  gz_bidi_info info;
  gz_bidi_init(&info);
  gz_bidi_add(&info, "2020", 4);
  gz_bidi_add(&info, "عنوان", strlen("عنوان"));
  gz_bidi_add(&info, "a much longer English paragraph", strlen("a much longer English paragraph"));
  gz_bidi_finish(&info);
  CHECK_INT(info.first_strong, GZ_BIDI_RTL);
  CHECK_INT(info.rtl, 5);
  CHECK_INT(info.ltr, 27);
  CHECK_INT(info.dir, GZ_BIDI_LTR);
  CHECK_INT(info.script, GZ_SCRIPT_LATIN);
  /* an isolate left open in one text does not reach into the next */
  gz_bidi_init(&info);
  gz_bidi_add(&info, "\xE2\x81\xA6", 3);
  gz_bidi_add(&info, "עב", strlen("עב"));
  gz_bidi_finish(&info);
  CHECK_INT(info.first_strong, GZ_BIDI_RTL);
}

static void test_scripts(void) {
  static const struct {
    uint32_t cp;
    int script;
  } cps[] = {
      {'a', GZ_SCRIPT_LATIN},       {'Z', GZ_SCRIPT_LATIN},      {'1', GZ_SCRIPT_NONE},
      {' ', GZ_SCRIPT_NONE},        {0xE9, GZ_SCRIPT_LATIN},     {0xD7, GZ_SCRIPT_NONE},
      {0x3B1, GZ_SCRIPT_GREEK},     {0x416, GZ_SCRIPT_CYRILLIC}, {0x5D0, GZ_SCRIPT_HEBREW},
      {0x627, GZ_SCRIPT_ARABIC},    {0x6CC, GZ_SCRIPT_ARABIC},   {0x915, GZ_SCRIPT_DEVANAGARI},
      {0x995, GZ_SCRIPT_BENGALI},   {0xBA4, GZ_SCRIPT_TAMIL},    {0xE01, GZ_SCRIPT_THAI},
      {0x10D0, GZ_SCRIPT_GEORGIAN}, {0x3042, GZ_SCRIPT_KANA},    {0x30AB, GZ_SCRIPT_KANA},
      {0x3001, GZ_SCRIPT_NONE},     {0x3005, GZ_SCRIPT_HAN},     {0x4E00, GZ_SCRIPT_HAN},
      {0x9FFF, GZ_SCRIPT_HAN},      {0xAC00, GZ_SCRIPT_HANGUL},  {0xD7A3, GZ_SCRIPT_HANGUL},
      {0xFB50, GZ_SCRIPT_ARABIC},   {0xFEFC, GZ_SCRIPT_ARABIC},  {0x1F389, GZ_SCRIPT_NONE},
      {0x20000, GZ_SCRIPT_HAN},     {0x10FFFF, GZ_SCRIPT_NONE}};
  for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
    if ((int)gz_script_of(cps[i].cp) != cps[i].script) fprintf(stderr, "U+%04X\n", cps[i].cp);
    CHECK_INT(gz_script_of(cps[i].cp), cps[i].script);
  }
  CHECK_STR(gz_script_name(GZ_SCRIPT_ARABIC), "arabic");
  CHECK_STR(gz_script_name(GZ_SCRIPT_DEVANAGARI), "devanagari");
  CHECK_STR(gz_script_name(GZ_SCRIPT_OTHER), "other");
  CHECK_STR(gz_script_name((gz_script)200), "other");
}

static void test_rtl_langs(void) {
  static const struct {
    const char *tag;
    bool rtl;
  } tags[] = {{"ar", true},       {"ar-EG", true},      {"AR", true},         {"fa-IR", true},
              {"he", true},       {"iw", true},         {"yi", true},         {"ur_PK", true},
              {"ps", true},       {"sd", true},         {"ug", true},         {"ckb", true},
              {"dv", true},       {"az-Arab", true},    {"pa-Arab-PK", true}, {"sd-Deva", false},
              {"ku-Arab", true},  {"en", false},        {"arn", false},       {"zh-Hant", false},
              {"pa", false},      {"hi", false},        {"a", false},         {"", false},
              {"ar-Latn", false}, {"zh-yue-Arab", true}};
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
    if (gz_lang_is_rtl(tags[i].tag) != tags[i].rtl) fprintf(stderr, "tag: %s\n", tags[i].tag);
    CHECK_INT(gz_lang_is_rtl(tags[i].tag), tags[i].rtl);
  }
  CHECK_INT(gz_lang_is_rtl(NULL), false);
}

static gz_block para(const char *text) {
  gz_block b;
  memset(&b, 0, sizeof b);
  b.type = GZ_BLOCK_PARA;
  b.text = text;
  b.len = (uint32_t)strlen(text);
  return b;
}

static void test_article(void) {
  gz_arena arena;
  gz_arena_init(&arena, NULL);
  /* an English article quoting an Arabic sentence in a paragraph of its
   * own, with a rule and a numbers-only paragraph */
  gz_block en[5] = {
      para("A new observatory in the desert opened to school groups on Tuesday."),
      para("«السماء هنا صافية في معظم ليالي السنة، ولهذا اخترنا هذا المكان البعيد عن أضواء "
           "المدن.»"),
      para("2021"),
      para("The observatory will open to the public in March, with tickets sold at the gate."),
      {.type = GZ_BLOCK_RULE, .text = "", .len = 0},
  };
  CHECK_INT(gz_body_direction(en, 5, "Desert Observatory Opens Its Doors", NULL), GZ_DIR_LTR);
  CHECK_INT(en[0].dir, GZ_DIR_ARTICLE);
  CHECK_INT(en[1].dir, GZ_DIR_RTL);
  CHECK_INT(en[2].dir, GZ_DIR_ARTICLE);
  CHECK_INT(en[3].dir, GZ_DIR_ARTICLE);
  CHECK_INT(en[4].dir, GZ_DIR_ARTICLE);
  CHECK_INT(gz_body_langs(en, 5, "Desert Observatory Opens Its Doors", "en", &arena), 0);
  CHECK(en[0].lang == NULL);
  CHECK_STR(en[1].lang, "ar");
  CHECK(en[2].lang == NULL);
  CHECK(en[3].lang == NULL);

  /* Hebrew: the paragraph that opens with a name stays with its article */
  gz_block he[2] = {
      para("תערוכת צילום חדשה נפתחה השבוע במחסן הישן שליד הנמל."),
      para("Daniel Weber, הצלם שאסף את התמונות, סיפר כי הצילום הראשון בתערוכה נעשה בשנת 1968."),
  };
  CHECK_INT(gz_body_direction(he, 2, "תערוכת צילום חדשה", NULL), GZ_DIR_RTL);
  CHECK_INT(he[0].dir, GZ_DIR_ARTICLE);
  CHECK_INT(he[1].dir, GZ_DIR_ARTICLE);
  CHECK_INT(gz_body_langs(he, 2, "תערוכת צילום חדשה", "he", &arena), 0);
  CHECK(he[0].lang == NULL && he[1].lang == NULL);

  /* a source that names a right-to-left language decides, even when an
   * English title and paragraph outvote the Arabic one */
  gz_block mixed[2] = {para("An English summary of the speech."), para("نص الخطاب الكامل هنا.")};
  CHECK_INT(gz_body_direction(mixed, 2, "The speech", "ar"), GZ_DIR_RTL);
  CHECK_INT(mixed[0].dir, GZ_DIR_LTR);
  CHECK_INT(mixed[1].dir, GZ_DIR_ARTICLE);
  CHECK_INT(gz_body_direction(mixed, 2, "The speech", "en"), GZ_DIR_LTR);
  CHECK_INT(mixed[0].dir, GZ_DIR_ARTICLE);
  CHECK_INT(mixed[1].dir, GZ_DIR_RTL);

  /* a tie between paragraphs goes to the title's direction; no text at
   * all is left to right */
  gz_block tie[3] = {para("English one."), para("English two."), para("نص عربي")};
  CHECK_INT(gz_body_direction(tie, 3, "الخطاب", NULL), GZ_DIR_RTL);
  CHECK_INT(tie[0].dir, GZ_DIR_LTR);
  CHECK_INT(gz_body_direction(tie, 3, "The speech", NULL), GZ_DIR_LTR);
  CHECK_INT(tie[2].dir, GZ_DIR_RTL);
  CHECK_INT(gz_body_direction(NULL, 0, NULL, NULL), GZ_DIR_LTR);
  CHECK_INT(gz_body_direction(NULL, 0, "١٢٣", NULL), GZ_DIR_LTR);

  /* Japanese moving between kanji and kana, a Han-only line, and a
   * Latin name too short to tell a language: no paragraph is set apart */
  gz_block ja[3] = {
      para("市は土曜日、駅前に新しい図書館を開館した。館内には約八万冊の本が並ぶ。"),
      para("図書館開館記念式典"),
      para("Tokyo"),
  };
  CHECK_INT(gz_body_direction(ja, 3, "駅前に新しい図書館が開館", "ja"), GZ_DIR_LTR);
  CHECK_INT(gz_body_langs(ja, 3, "駅前に新しい図書館が開館", "ja", &arena), 0);
  CHECK(ja[0].lang == NULL && ja[1].lang == NULL && ja[2].lang == NULL);
  gz_arena_clear(&arena);
}

int main(void) {
  test_directions();
  test_invalid_utf8();
  test_accumulate();
  test_scripts();
  test_rtl_langs();
  test_article();
  TEST_MAIN_END();
}
