/*
 * test_hyphen.c - hyphenation points by language (src/lang/hyphen.c)
 * with Debian's dictionaries: exact points of known words per language
 * (as libhyphen 2.8.8 gives them for these dictionaries: each was
 * checked against hnj_hyphen_hyphenate2 called directly on the word in
 * the dictionary's own encoding), the rules around the patterns (no
 * hyphen in URLs, e-mail addresses, numbers, acronyms, near the ends;
 * explicit and soft hyphens), the choice of the dictionary file for a
 * tag, a missing language, bad input and several threads at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/hyphen.h"
#include "testing.h"
#include "util/util.h"

/* The word with "=" at each point (and "|" after an explicit hyphen,
 * "~" at a soft one). */
static const char *marked(const gz_hyphenator *h, const char *word) {
  static char out[1024];
  gz_hyph_point pts[64];
  size_t n = gz_hyphen_points(h, word, strlen(word), pts, 64);
  size_t len = 0, from = 0;
  for (size_t i = 0; i <= n && i <= 64; i++) {
    size_t to = i < n ? pts[i].at : strlen(word);
    memcpy(out + len, word + from, to - from);
    len += to - from;
    if (i < n)
      out[len++] = pts[i].kind == GZ_HYPH_EXPLICIT ? '|' : pts[i].kind == GZ_HYPH_SOFT ? '~' : '=';
    from = to;
  }
  out[len] = '\0';
  return out;
}

typedef struct known {
  const char *lang, *word, *want;
} known;

static const known g_known[] = {
    /* English (US): hyph_en_US.dic, RIGHTHYPHENMIN 3 */
    {"en", "hyphenation", "hy=phen=ation"},
    {"en", "Hyphenation", "Hy=phen=ation"},
    {"en", "typography", "ty=pog=ra=phy"},
    {"en", "international", "in=ter=na=tional"},
    {"en", "computer", "com=puter"},
    {"en", "(hyphenation),", "(hy=phen=ation),"},
    {"en-US", "paragraph", "para=graph"},
    /* German (ISO8859-1 dictionary) */
    {"de", "Silbentrennung", "Sil=ben=tren=nung"},
    {"de", "Zeitungsartikel", "Zei=tungs=ar=ti=kel"},
    {"de", "Übersetzung", "Über=set=zung"},
    {"de-AT", "Straße", "Stra=ße"},
    {"de", "Donaudampfschifffahrt", "Do=nau=dampf=schiff=fahrt"},
    /* French (UTF-8, two levels) */
    {"fr", "dictionnaire", "dic=tion=naire"},
    {"fr", "développement", "dé=ve=lop=pe=ment"},
    {"fr", "bibliothèque", "bi=blio=thèque"},
    {"fr", "l'information", "l'in=for=ma=tion"},
    {"fr", "l\xE2\x80\x99information", "l\xE2\x80\x99in=for=ma=tion"},
    /* Spanish (hyph_es_ES.dic: no bare "es" file) */
    {"es", "computadora", "com=pu=ta=do=ra"},
    {"es-MX", "desarrollo", "de=sa=rro=llo"},
    /* Russian (KOI8-R dictionary) */
    {"ru", "библиотека", "биб=лио=тека"},
    {"ru", "Газета", "Га=зе=та"},
    {"ru-RU", "перенос", "пе=ре=нос"},
    /* Polish (ISO8859-2 dictionary) */
    {"pl", "przeniesienie", "prze=nie=sie=nie"},
    {"pl", "biblioteka", "bi=blio=te=ka"},
    /* Italian, Portuguese, Dutch, Ukrainian */
    {"it", "biblioteca", "bi=blio=te=ca"},
    {"pt-BR", "biblioteca", "bi=bli=o=te=ca"},
    {"pt", "biblioteca", "bi=bli=o=te=ca"},
    {"nl", "bibliotheek", "bi=bli=o=theek"},
    {"nl", "woordafbreking", "woord=af=bre=king"},
    {"uk", "бібліотека", "бібліо=тека"},
};

static void test_known_words(void) {
  for (size_t i = 0; i < GZ_ARRAY_LEN(g_known); i++) {
    const gz_hyphenator *h = gz_hyphen_for(g_known[i].lang);
    CHECK(h != NULL);
    if (!h) {
      fprintf(stderr, "no dictionary for %s\n", g_known[i].lang);
      continue;
    }
    CHECK_STR(marked(h, g_known[i].word), g_known[i].want);
  }
  /* the offsets themselves: "hy|phen|ation" */
  gz_hyph_point pts[8];
  CHECK_INT(gz_hyphen_points(gz_hyphen_for("en"), "hyphenation", 11, pts, 8), 2);
  CHECK_INT(pts[0].at, 2);
  CHECK_INT(pts[1].at, 6);
  CHECK_INT(pts[0].kind, GZ_HYPH_PATTERN);
  /* fewer slots than points: the count is still told */
  CHECK_INT(gz_hyphen_points(gz_hyphen_for("en"), "typography", 10, pts, 1), 3);
  CHECK_INT(pts[0].at, 2);
  /* Cyrillic offsets are bytes: "биб" is 6 */
  CHECK_INT(gz_hyphen_points(gz_hyphen_for("ru"), "библиотека", strlen("библиотека"), pts, 8), 2);
  CHECK_INT(pts[0].at, 6);
  CHECK_INT(pts[1].at, 12);
}

static void test_rules(void) {
  const gz_hyphenator *en = gz_hyphen_for("en");
  CHECK(en != NULL);
  static const char *const none[] = {
      "https://example.com/some-long-path",
      "example.com/hyphenation",
      "www.hyphenation.org",
      "hyphenation.example.org",
      "someone@example.com",
      "mailto:international@example.com",
      "COVID-19",
      "2026",
      "hyphenation2026",
      "international19",
      "UNESCO",
      "INTERNATIONAL",
      "don't",
      "cat",
      "",
      "--",
      "\xFF\xFE"
      "hyphenation",
      "hyphen\xC3",
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(none); i++) {
    gz_hyph_point pts[8];
    size_t n = gz_hyphen_points(en, none[i], strlen(none[i]), pts, 8);
    if (n) fprintf(stderr, "\"%s\" got %zu points\n", none[i], n);
    CHECK_INT(n, 0);
  }
  /* a word with a hyphen breaks only after it */
  CHECK_STR(marked(en, "well-known"), "well-|known");
  CHECK_STR(marked(en, "self-determination"), "self-|determination");
  CHECK_STR(marked(en,
                   "state\xE2\x80\x90of\xE2\x80\x90the\xE2\x80\x90"
                   "art"),
            "state\xE2\x80\x90|of\xE2\x80\x90|the\xE2\x80\x90|"
            "art");
  CHECK_STR(marked(en, "-hyphenation"), "-hy=phen=ation");
  CHECK_STR(marked(en, "hyphenation-"), "hy=phen=ation-");
  /* soft hyphens are the only points when there are some */
  CHECK_STR(marked(en,
                   "hyphen\xC2\xAD"
                   "ation"),
            "hyphen\xC2\xAD~ation");
  CHECK_STR(marked(en,
                   "in\xC2\xAD"
                   "ter\xC2\xAD"
                   "national"),
            "in\xC2\xAD~ter\xC2\xAD~national");
  CHECK_STR(marked(NULL,
                   "in\xC2\xAD"
                   "ter"),
            "in\xC2\xAD~ter");
  /* not within two letters of an end, whatever the patterns say (the
   * en_US patterns: RIGHTHYPHENMIN 3) */
  CHECK_STR(marked(en, "reading"), "read=ing");
  CHECK_STR(marked(en, "hyphens"), "hy=phens");
  /* longer than the bound */
  char big[GZ_HYPHEN_MAX_WORD + 8];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  gz_hyph_point pts[8];
  CHECK_INT(gz_hyphen_points(en, big, strlen(big), pts, 8), 0);
  CHECK_INT(gz_hyphen_points(en, NULL, 4, pts, 8), 0);
}

static void test_files(void) {
  static const char *const cases[][2] = {
      {"en", "/usr/share/hyphen/hyph_en.dic"},
      {"en-US", "/usr/share/hyphen/hyph_en_US.dic"},
      {"EN_us", "/usr/share/hyphen/hyph_en_US.dic"},
      {"en-GB", "/usr/share/hyphen/hyph_en_GB.dic"},
      {"en-Latn-GB", "/usr/share/hyphen/hyph_en_GB.dic"},
      {"es", "/usr/share/hyphen/hyph_es_ES.dic"},
      {"es-419", "/usr/share/hyphen/hyph_es_ES.dic"},
      {"pt-BR", "/usr/share/hyphen/hyph_pt_BR.dic"},
      {"pt", "/usr/share/hyphen/hyph_pt.dic"},
      {"pl", "/usr/share/hyphen/hyph_pl_PL.dic"},
      {"ru", "/usr/share/hyphen/hyph_ru_RU.dic"},
      {"uk-UA", "/usr/share/hyphen/hyph_uk_UA.dic"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++)
    CHECK_STR(gz_hyphen_path(gz_hyphen_for(cases[i][0])), cases[i][1]);
  /* the same tag twice: the same dictionary */
  CHECK(gz_hyphen_for("de") == gz_hyphen_for("de"));
  /* missing or not a language */
  static const char *const missing[] = {"xx", "zu", "und", "", "e", "english", "12", "ja-JP"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(missing); i++) CHECK(gz_hyphen_for(missing[i]) == NULL);
  CHECK(gz_hyphen_for(NULL) == NULL);
  CHECK(gz_hyphen_for_in("/nonexistent", "en") == NULL);
  /* without a dictionary, no pattern points */
  gz_hyph_point pts[8];
  CHECK_INT(gz_hyphen_points(gz_hyphen_for("xx"), "hyphenation", 11, pts, 8), 0);
}

/* A dictionary of our own: a hyphen around every "a", minima of 1 that
 * the rule of two letters overrides. */
static void test_own_dictionary(void) {
  char dir[] = "/tmp/gz-hyphen-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[128];
  snprintf(path, sizeof path, "%s/hyph_qq_QQ.dic", dir);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs("UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n1a1\n", f);
  fclose(f);
  const gz_hyphenator *h = gz_hyphen_for_in(dir, "qq");
  CHECK(h != NULL);
  CHECK_STR(gz_hyphen_path(h), path);
  if (h) {
    CHECK_STR(marked(h, "banana"), "ba=n=a=na");
    CHECK_STR(marked(h, "Banana!"), "Ba=n=a=na!");
  }
  /* an unreadable one */
  char bad[128];
  snprintf(bad, sizeof bad, "%s/hyph_qr_QR.dic", dir);
  f = fopen(bad, "w");
  if (f) {
    fputs("NO-SUCH-CHARSET\n1a1\n", f);
    fclose(f);
  }
  CHECK(gz_hyphen_for_in(dir, "qr") == NULL);
  unlink(path);
  unlink(bad);
  rmdir(dir);
}

static void *worker(void *arg) {
  int *bad = arg;
  static const char *const langs[] = {"en", "it", "ru", "fr"};
  for (int i = 0; i < 400; i++) {
    const known *k = &g_known[(size_t)i % GZ_ARRAY_LEN(g_known)];
    if (strncmp(k->lang, "de", 2) == 0) continue; /* 6 s to load: once is enough */
    const gz_hyphenator *h = gz_hyphen_for(k->lang);
    (void)gz_hyphen_for(langs[i % 4]);
    gz_hyph_point pts[16];
    size_t n = gz_hyphen_points(h, k->word, strlen(k->word), pts, 16);
    size_t want = 0;
    for (const char *s = k->want; *s; s++) want += *s == '=';
    if (n != want) (*bad)++;
  }
  return NULL;
}

static void test_threads(void) {
  gz_hyphen_release_all(); /* the threads race to load (all but German) */
  pthread_t t[4];
  int bad[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++) CHECK_INT(pthread_create(&t[i], NULL, worker, &bad[i]), 0);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < 4; i++) CHECK_INT(bad[i], 0);
}

int main(void) {
  test_known_words();
  test_rules();
  test_files();
  test_own_dictionary();
  test_threads();
  gz_hyphen_release_all();
  TEST_MAIN_END();
}
