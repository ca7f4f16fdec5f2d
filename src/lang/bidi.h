/*
 * bidi.h - the direction and the scripts of a text.
 *
 * Owns every answer to "which way does this text run" and "which
 * script is it in": the body builder sets each block's and each
 * article's direction from it, the EPUB writer writes `dir` from those,
 * the PDF writer chooses its line order and shaping from them. The
 * character classes are the Unicode Bidi_Class values (UAX #9) as
 * libfribidi gives them; no letter range is guessed here.
 */
#ifndef GZ_BIDI_H
#define GZ_BIDI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A direction; the values are those of gz_dir (model/model.h), where
 * 0 means "as the article's". */
typedef enum gz_bidi_dir {
  GZ_BIDI_NEUTRAL = 0, /* no strong character (digits, punctuation, emoji) */
  GZ_BIDI_LTR = 1,
  GZ_BIDI_RTL = 2
} gz_bidi_dir;

/* The scripts gazette tells apart (Unicode Script property, by block
 * ranges): what a PDF font or shaper must cover, and what sets a
 * paragraph's language apart from its article's. */
typedef enum gz_script {
  GZ_SCRIPT_NONE = 0, /* no letters */
  GZ_SCRIPT_LATIN,
  GZ_SCRIPT_GREEK,
  GZ_SCRIPT_CYRILLIC,
  GZ_SCRIPT_ARMENIAN,
  GZ_SCRIPT_GEORGIAN,
  GZ_SCRIPT_HEBREW,
  GZ_SCRIPT_ARABIC,
  GZ_SCRIPT_SYRIAC,
  GZ_SCRIPT_THAANA,
  GZ_SCRIPT_DEVANAGARI,
  GZ_SCRIPT_BENGALI,
  GZ_SCRIPT_GURMUKHI,
  GZ_SCRIPT_GUJARATI,
  GZ_SCRIPT_ORIYA,
  GZ_SCRIPT_TAMIL,
  GZ_SCRIPT_TELUGU,
  GZ_SCRIPT_KANNADA,
  GZ_SCRIPT_MALAYALAM,
  GZ_SCRIPT_SINHALA,
  GZ_SCRIPT_THAI,
  GZ_SCRIPT_LAO,
  GZ_SCRIPT_TIBETAN,
  GZ_SCRIPT_MYANMAR,
  GZ_SCRIPT_ETHIOPIC,
  GZ_SCRIPT_KHMER,
  GZ_SCRIPT_HANGUL,
  GZ_SCRIPT_KANA, /* hiragana and katakana */
  GZ_SCRIPT_HAN,
  GZ_SCRIPT_OTHER, /* a letter of a script not named above */
  GZ_SCRIPT_COUNT
} gz_script;

/* What one text holds. Counts are of strong letters (Bidi_Class L, R
 * or AL): digits, punctuation, marks and emoji have no direction and
 * no script of their own here. */
typedef struct gz_bidi_info {
  /* UAX #9 rules P2 and P3: the first strong character outside
   * isolates (LRI/RLI/FSI ... PDI) gives the paragraph's base
   * direction; GZ_BIDI_NEUTRAL when there is none. */
  uint8_t first_strong;
  /* The direction gazette sets the text in: first_strong, unless the
   * other direction holds at least two thirds of the strong letters,
   * so that a Hebrew paragraph opening with an English name stays
   * right to left and an English one quoting a short Arabic phrase
   * stays left to right. NEUTRAL when there is no strong letter. */
  uint8_t dir;
  uint8_t script; /* gz_script with the most letters; NONE when none */
  uint32_t ltr;   /* strong letters of type L */
  uint32_t rtl;   /* strong letters of types R and AL */
  uint32_t letters[GZ_SCRIPT_COUNT];
} gz_bidi_info;

/* Clears info before gz_bidi_add. */
void gz_bidi_init(gz_bidi_info *info);
/* Adds a text (UTF-8; an invalid byte counts as U+FFFD, which is
 * neutral) as one paragraph: its strong letters are counted, and its
 * first strong character decides first_strong when no earlier text
 * had one. Then gz_bidi_finish decides dir and script. */
void gz_bidi_add(gz_bidi_info *info, const char *s, size_t len);
void gz_bidi_finish(gz_bidi_info *info);
/* init, add and finish for one text. */
void gz_bidi_text(const char *s, size_t len, gz_bidi_info *info);

/* The script whose Unicode block holds a code point (so the Arabic
 * comma is Arabic); GZ_SCRIPT_NONE for ASCII other than letters, the
 * shared punctuation and symbol blocks, emoji, and blocks not named in
 * gz_script. gz_bidi_add counts a strong letter it cannot place as
 * GZ_SCRIPT_OTHER. */
gz_script gz_script_of(uint32_t cp);
/* Its lower-case English name ("arabic", "han"), for messages. */
const char *gz_script_name(gz_script s);

/* Is a BCP 47 tag's language written right to left? A script subtag
 * decides when there is one (az-Arab yes, sd-Deva no); else the
 * primary language: ar, fa, he (iw), ur, yi (ji), ps, sd, ug, ckb, dv,
 * syr and a few more written only in RTL scripts. */
bool gz_lang_is_rtl(const char *tag);

#endif /* GZ_BIDI_H */
