/*
 * hyphen.h - where a word may be hyphenated, by language: libhyphen's
 * pattern dictionaries (Debian's hyphen-* packages, /usr/share/hyphen),
 * found by BCP 47 tag, loaded once per process and shared by every
 * thread, and the rules gazette adds around them (no hyphen in URLs,
 * e-mail addresses, words with digits or acronyms; not within the
 * first or last two letters; explicit and soft hyphens win).
 */
#ifndef GZ_LANG_HYPHEN_H
#define GZ_LANG_HYPHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where Debian's hyphen-* packages put their dictionaries. */
#define GZ_HYPHEN_DIR "/usr/share/hyphen"

/* The longest word (in bytes) given to the patterns. */
#define GZ_HYPHEN_MAX_WORD 256

typedef struct gz_hyphenator gz_hyphenator;

typedef enum gz_hyph_kind {
  GZ_HYPH_PATTERN = 0, /* from the language's patterns: a hyphen is drawn */
  GZ_HYPH_SOFT,        /* after a soft hyphen (U+00AD) of the text: a hyphen is drawn */
  GZ_HYPH_EXPLICIT     /* after a hyphen of the text: nothing is added */
} gz_hyph_kind;

typedef struct gz_hyph_point {
  uint32_t at;  /* byte offset: the word may end a line before word[at] */
  uint8_t kind; /* gz_hyph_kind */
} gz_hyph_point;

/* The dictionary of a language ("en", "en-GB", "pt-BR", "de-CH", "ru"),
 * or NULL when none is installed (or the tag is not one). The first call
 * for a dictionary loads it, under the cache's lock: most take 5 to 20
 * ms, but libhyphen 2.8.8 needs some 6 s of CPU for Debian's German one
 * (hyph_de_DE.dic, 1 MB of patterns). Later calls, from any thread, find
 * it in a cache that lives until gz_hyphen_release_all. */
const gz_hyphenator *gz_hyphen_for(const char *lang);
/* The same, from the dictionaries of another folder (tests). */
const gz_hyphenator *gz_hyphen_for_in(const char *dir, const char *lang);

/* The file a dictionary was loaded from. */
const char *gz_hyphen_path(const gz_hyphenator *h);

/* Where word[0 .. len) (UTF-8, one word as it stands between spaces,
 * punctuation included) may end a line, in increasing order: at most
 * `max` points into out; returns how many there are. With soft hyphens
 * in the word only they count; with hyphens (U+002D, U+2010) only the
 * places after them; else the patterns of h (none when h is NULL), kept
 * at least two letters (or the dictionary's stricter minimum) from
 * either end of the letters. URLs, e-mail addresses, paths, words with
 * digits, all-capital words and invalid UTF-8 get none. Thread-safe.
 *
 * libhyphen allocates with malloc and exits the process when that
 * fails (its hnj_malloc): words are bounded by GZ_HYPHEN_MAX_WORD so
 * its allocations stay a few hundred bytes. */
size_t gz_hyphen_points(const gz_hyphenator *h, const char *word, size_t len, gz_hyph_point *out,
                        size_t max);

/* Frees every cached dictionary; no gz_hyphenator may be in use. */
void gz_hyphen_release_all(void);

#endif /* GZ_LANG_HYPHEN_H */
