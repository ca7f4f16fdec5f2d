/*
 * names.c - splits bylines, author items and tag strings into names
 * (names.h). Crawlers and APIs hand several authors in one string
 * ("By Ann Lee and Bo Park", "Ann Lee, Bo Park"); a list the producer
 * split itself is only split further at ';', since a comma inside one of
 * its items belongs to the name ("Lee, Ann", "Ann Lee, Science Editor").
 */
#include <string.h>

#include "read/names.h"
#include "util/util.h"

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Words that follow a name after a comma and belong to it. */
static const char *const suffixes[] = {"jr", "sr", "ii", "iii", "iv", "phd", "ph.d", "md", "m.d"};

/* Words that follow "&" or "and" in the name of a firm: "Ines Costa &
 * Co", "Smith and Sons". */
static const char *const firms[] = {"co", "company", "sons", "partners", "associates"};

static bool is_word_of(const char *s, size_t n, const char *const *words, size_t count) {
  gz_trim(&s, &n);
  if (n && s[n - 1] == '.') n--;
  for (size_t i = 0; i < count; i++)
    if (gz_ascii_ieq(s, n, words[i])) return true;
  return false;
}

/* Is s[i..) a byline's word separator "and" or "&" standing between
 * white space (s[i - 1] is white space)? Its length, else 0. */
static size_t joiner_at(const char *s, size_t i, size_t n) {
  if (i == 0 || !is_ws(s[i - 1])) return 0;
  size_t w = 0;
  if (n - i >= 3 && gz_ascii_ieq(s + i, 3, "and"))
    w = 3;
  else if (s[i] == '&')
    w = 1;
  return w && i + w < n && is_ws(s[i + w]) ? w : 0;
}

/* A leading word and the white space after it, case ignored; the word
 * alone leaves nothing. */
static void drop_word(const char **s, size_t *n, const char *word) {
  size_t w = strlen(word);
  if (gz_ascii_ieq(*s, *n, word)) {
    *n = 0;
  } else if (*n > w && gz_ascii_ieq(*s, w, word) && is_ws((*s)[w])) {
    *s += w;
    *n -= w;
    gz_trim(s, n);
  }
}

void gz_names_init(gz_names *it, const char *s, size_t n, gz_names_mode mode) {
  it->p = s;
  it->end = s + n;
  it->mode = mode;
}

/* Where the piece starting at s[from] ends: the next separator, or n.
 * *skip gets the separator's length. */
static size_t piece_end(const char *s, size_t from, size_t n, gz_names_mode mode, size_t *skip) {
  for (size_t i = from; i < n; i++) {
    char c = s[i];
    if (c == ';' || (c == ',' && mode != GZ_NAMES_AUTHOR)) {
      *skip = 1;
      return i;
    }
    size_t w = mode == GZ_NAMES_BYLINE ? joiner_at(s, i, n) : 0;
    if (w) {
      *skip = w;
      return i;
    }
  }
  *skip = 0;
  return n;
}

bool gz_names_next(gz_names *it, const char **name, size_t *len) {
  while (it->p < it->end) {
    const char *s = it->p;
    size_t n = (size_t)(it->end - s), skip;
    size_t stop = piece_end(s, 0, n, it->mode, &skip);
    /* "Smith, Jr." is one name, and "Costa & Co" one firm: a suffix
     * after a comma, or a firm's word after "&" or "and", joins it. */
    while (it->mode == GZ_NAMES_BYLINE && stop < n && s[stop] != ';') {
      size_t next_skip, next = piece_end(s, stop + skip, n, it->mode, &next_skip);
      const char *after = s + stop + skip;
      size_t after_len = next - stop - skip;
      if (s[stop] == ',' ? !is_word_of(after, after_len, suffixes, GZ_ARRAY_LEN(suffixes))
                         : !is_word_of(after, after_len, firms, GZ_ARRAY_LEN(firms)))
        break;
      stop = next;
      skip = next_skip;
    }
    it->p = s + stop + skip;
    const char *piece = s;
    size_t pl = stop;
    gz_trim(&piece, &pl);
    if (it->mode != GZ_NAMES_TAGS) drop_word(&piece, &pl, "by");
    /* ", and C" of a list of three */
    if (it->mode == GZ_NAMES_BYLINE) {
      drop_word(&piece, &pl, "and");
      drop_word(&piece, &pl, "&");
    }
    if (pl) {
      *name = piece;
      *len = pl;
      return true;
    }
  }
  return false;
}
