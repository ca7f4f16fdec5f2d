/*
 * lang.h - languages: BCP 47 tags as sources and users give them, and
 * the language of a text told from the text itself.
 *
 * Every stage that meets a language tag (readers: a source's field or
 * an HTML lang attribute; writers: --lang) goes through this module, so
 * that one rule decides what a tag is.
 */
#ifndef GZ_LANG_H
#define GZ_LANG_H

#include <stdbool.h>
#include <stddef.h>

/* Room for a BCP 47 tag as gazette keeps them (35 bytes and the NUL). */
#define GZ_LANG_MAX 36

/* A language tag given by a source ("pt_BR", "en-us", "uk-UA.UTF-8")
 * into its BCP 47 case ("pt-BR", "en-US", "uk-UA") in out; false when it
 * is not a well-formed tag, or "und". */
bool gz_lang_normalize(const char *s, size_t n, char out[GZ_LANG_MAX]);

/* Is `tag` a well-formed BCP 47 language tag (RFC 5646, 2.1), as given
 * (no case or separator repair)? */
bool gz_lang_tag_ok(const char *tag);

/* The language of a text (title and start of body, valid UTF-8) into
 * out, "" when it cannot be told: CLD2's answer when it is reliable,
 * else the language a script of one language means (Armenian hy,
 * Georgian ka, Greek el, Hebrew he, Hangul ko, Thai th, kana ja).
 * Thread-safe and without state: any reader thread may call it. */
void gz_lang_detect(const char *s, size_t len, char out[GZ_LANG_MAX]);

/* CLD2's reliable answer as its code ("en", "iw", "zh-Hant") in out;
 * false when it is unsure. For lang.c only (the C++ side of the
 * module). */
bool gz_lang_cld2(const char *s, size_t len, char out[GZ_LANG_MAX]);

#endif /* GZ_LANG_H */
