/*
 * hyphen.c - hyphenation points by language (see hyphen.h).
 *
 * Dictionaries: Debian names them hyph_<ll>_<RR>.dic, with links for the
 * bare language and other regions (hyph_en.dic -> hyph_en_US.dic) but
 * not always (Spanish is hyph_es_ES.dic alone), so a tag is tried as
 * ll_RR, then ll, then the language's usual region, then the first
 * ll_* file of the folder.
 *
 * Character sets: a dictionary's first line names its encoding, and
 * Debian 12 ships several that are not UTF-8 (German and Dutch
 * ISO8859-1, Polish ISO8859-2, Russian KOI8-R). libhyphen matches bytes,
 * so a word is lowered and re-encoded into the dictionary's set (a table
 * of its upper half made once with iconv at load) and the points it
 * gives per character are mapped back to the word's UTF-8 offsets.
 *
 * Threads: hnj_hyphen_hyphenate2 only reads the dictionary (its states,
 * hyphen minima and next level; libhyphen 2.8.8, hyphen.c), so loaded
 * dictionaries are shared without a lock; the cache that finds them is
 * guarded by a mutex. A word needing a dictionary's replacement rules
 * (old German "Schiff=fahrt") loses that point: a byte offset cannot
 * say that the spelling changes.
 */
#include "lang/hyphen.h"

#include <dirent.h>
#include <hyphen.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

struct gz_hyphenator {
  char path[512];
  HyphenDict *dict;
  bool utf8;
  uint32_t high[128]; /* code point of each byte 0x80..0xFF (0: none) */
  int lmin, rmin;     /* the stricter of 2 and the dictionary's */
};

/* A tag as asked, and what it found (NULL: nothing). */
typedef struct tag_entry {
  char tag[16];
  gz_hyphenator *h;
} tag_entry;

enum { MAX_DICTS = 64, MAX_TAGS = 256 };

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static gz_hyphenator *g_dicts[MAX_DICTS];
static size_t g_n_dicts;
static tag_entry g_tags[MAX_TAGS];
static size_t g_n_tags;

/* The usual region of a language whose dictionary Debian names by it. */
static const char *usual_region(const char *ll) {
  static const char *const map[][2] = {
      {"en", "US"}, {"de", "DE"}, {"es", "ES"}, {"fr", "FR"}, {"it", "IT"}, {"nl", "NL"},
      {"pl", "PL"}, {"pt", "PT"}, {"ru", "RU"}, {"uk", "UA"}, {"sv", "SE"}, {"da", "DK"},
      {"cs", "CZ"}, {"sk", "SK"}, {"hu", "HU"}, {"ro", "RO"}, {"el", "GR"}, {"bg", "BG"},
      {"ca", "ES"}, {"hr", "HR"}, {"sl", "SI"}, {"lt", "LT"}, {"lv", "LV"}, {"be", "BY"},
      {"gl", "ES"}, {"is", "IS"}, {"id", "ID"}, {"af", "ZA"}, {"sr", "RS"}, {"no", "NO"},
      {"nb", "NO"}, {"nn", "NO"}, {"th", "TH"}, {"mn", "MN"}, {"zu", "ZA"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(map); i++)
    if (strcmp(map[i][0], ll) == 0) return map[i][1];
  return NULL;
}

/* Splits a BCP 47 tag into its language (2-3 letters, lower case) and
 * region (2 letters, upper case; "" when none). */
static bool split_tag(const char *tag, char ll[4], char rr[3]) {
  size_t n = 0;
  while (tag[n] && tag[n] != '-' && tag[n] != '_') n++;
  if (n < 2 || n > 3) return false;
  for (size_t i = 0; i < n; i++) {
    char c = tag[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c < 'a' || c > 'z') return false;
    ll[i] = c;
  }
  ll[n] = '\0';
  rr[0] = '\0';
  const char *s = tag + n;
  while (*s == '-' || *s == '_') {
    s++;
    size_t m = 0;
    while (s[m] && s[m] != '-' && s[m] != '_') m++;
    if (m == 2 && ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z') &&
        ((s[1] | 32) >= 'a' && (s[1] | 32) <= 'z')) {
      rr[0] = (char)(s[0] & ~32);
      rr[1] = (char)(s[1] & ~32);
      rr[2] = '\0';
      break;
    }
    s += m;
  }
  return true;
}

static bool readable(const char *path) { return access(path, R_OK) == 0; }

/* The dictionary file for a tag into path; false when there is none. */
static bool find_file(const char *dir, const char *tag, char *path, size_t cap) {
  char ll[4], rr[3];
  if (!split_tag(tag, ll, rr)) return false;
  if (rr[0]) {
    snprintf(path, cap, "%s/hyph_%s_%s.dic", dir, ll, rr);
    if (readable(path)) return true;
  }
  snprintf(path, cap, "%s/hyph_%s.dic", dir, ll);
  if (readable(path)) return true;
  const char *usual = usual_region(ll);
  if (usual) {
    snprintf(path, cap, "%s/hyph_%s_%s.dic", dir, ll, usual);
    if (readable(path)) return true;
  }
  /* any region, the first by name so that the choice is stable */
  DIR *d = opendir(dir);
  if (!d) return false;
  char prefix[16], best[256] = "";
  snprintf(prefix, sizeof prefix, "hyph_%s_", ll);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && n < sizeof best &&
        gz_has_ext(e->d_name, ".dic") && (!best[0] || strcmp(e->d_name, best) < 0))
      memcpy(best, e->d_name, n + 1);
  }
  closedir(d);
  if (!best[0]) return false;
  snprintf(path, cap, "%s/%s", dir, best);
  return readable(path);
}

/* The code points of a single-byte set's upper half, through iconv. */
static bool fill_high(gz_hyphenator *h, const char *cset) {
  iconv_t cd = iconv_open("UTF-32LE", cset);
  if (cd == (iconv_t)-1) return false;
  for (int b = 0x80; b <= 0xFF; b++) {
    char in[1] = {(char)b};
    unsigned char outb[4] = {0};
    char *ip = in, *op = (char *)outb;
    size_t il = 1, ol = 4;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0)
      h->high[b - 0x80] = (uint32_t)outb[0] | (uint32_t)outb[1] << 8 | (uint32_t)outb[2] << 16 |
                          (uint32_t)outb[3] << 24;
  }
  iconv_close(cd);
  return true;
}

static gz_hyphenator *load(const char *path) {
  for (size_t i = 0; i < g_n_dicts; i++)
    if (strcmp(g_dicts[i]->path, path) == 0) return g_dicts[i];
  if (g_n_dicts == MAX_DICTS || strlen(path) >= sizeof g_dicts[0]->path) return NULL;
  gz_hyphenator *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  memcpy(h->path, path, strlen(path) + 1);
  h->dict = hnj_hyphen_load(path);
  if (!h->dict) goto fail;
  h->utf8 = h->dict->utf8 != 0;
  if (!h->utf8) {
    char cset[MAX_NAME + 1];
    memcpy(cset, h->dict->cset, MAX_NAME);
    cset[MAX_NAME] = '\0';
    cset[strcspn(cset, "\r\n \t")] = '\0';
    if (!fill_high(h, cset)) goto fail;
  }
  h->lmin = h->dict->lhmin > 2 ? h->dict->lhmin : 2;
  h->rmin = h->dict->rhmin > 2 ? h->dict->rhmin : 2;
  g_dicts[g_n_dicts++] = h;
  return h;
fail:
  if (h->dict) hnj_hyphen_free(h->dict);
  free(h);
  return NULL;
}

const gz_hyphenator *gz_hyphen_for_in(const char *dir, const char *lang) {
  if (!lang || !dir || strlen(lang) >= sizeof g_tags[0].tag) return NULL;
  pthread_mutex_lock(&g_lock);
  gz_hyphenator *h = NULL;
  bool known = false;
  /* tags of the default folder are remembered, found or not */
  bool default_dir = strcmp(dir, GZ_HYPHEN_DIR) == 0;
  if (default_dir)
    for (size_t i = 0; i < g_n_tags && !known; i++)
      if (strcmp(g_tags[i].tag, lang) == 0) h = g_tags[i].h, known = true;
  if (!known) {
    char path[512];
    if (find_file(dir, lang, path, sizeof path)) h = load(path);
    if (default_dir && g_n_tags < MAX_TAGS) {
      memcpy(g_tags[g_n_tags].tag, lang, strlen(lang) + 1);
      g_tags[g_n_tags++].h = h;
    }
  }
  pthread_mutex_unlock(&g_lock);
  return h;
}

const gz_hyphenator *gz_hyphen_for(const char *lang) {
  return gz_hyphen_for_in(GZ_HYPHEN_DIR, lang);
}

const char *gz_hyphen_path(const gz_hyphenator *h) { return h ? h->path : NULL; }

void gz_hyphen_release_all(void) {
  pthread_mutex_lock(&g_lock);
  for (size_t i = 0; i < g_n_dicts; i++) {
    hnj_hyphen_free(g_dicts[i]->dict);
    free(g_dicts[i]);
  }
  g_n_dicts = 0;
  g_n_tags = 0;
  pthread_mutex_unlock(&g_lock);
}

/* ---- one word ---- */

enum { MAX_CPS = GZ_HYPHEN_MAX_WORD };

static bool is_digit(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) || (cp >= 0x6F0 && cp <= 0x6F9) ||
         (cp >= 0x966 && cp <= 0x96F) || (cp >= 0xFF10 && cp <= 0xFF19);
}

static bool is_letter(uint32_t cp) { return gz_is_alnum_cp(cp) && !is_digit(cp); }

static bool is_apostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2019; }

static bool is_hyphen(uint32_t cp) { return cp == '-' || cp == 0x2010; }

/* URLs, e-mail addresses and paths: a scheme, an @, a slash, "www." or
 * a dot between letters (a host name). */
static bool looks_like_address(const uint32_t *cp, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (cp[i] == '@' || cp[i] == '/' || cp[i] == '\\') return true;
    if (cp[i] == ':' && i + 1 < n && cp[i + 1] == '/') return true;
    if (cp[i] == '.' && i > 0 && i + 1 < n && is_letter(cp[i - 1]) && is_letter(cp[i + 1]))
      return true;
  }
  return n >= 4 && gz_lower_cp(cp[0]) == 'w' && gz_lower_cp(cp[1]) == 'w' &&
         gz_lower_cp(cp[2]) == 'w' && cp[3] == '.';
}

static size_t put(gz_hyph_point *out, size_t max, size_t n, uint32_t at, gz_hyph_kind kind) {
  if (n < max) {
    out[n].at = at;
    out[n].kind = (uint8_t)kind;
  }
  return n + 1;
}

/* The byte of cp in a single-byte set, or 0 when it has none. */
static unsigned char to_byte(const gz_hyphenator *h, uint32_t cp) {
  if (cp < 0x80) return (unsigned char)cp;
  for (int i = 0; i < 128; i++)
    if (h->high[i] == cp) return (unsigned char)(0x80 + i);
  return 0;
}

/* Pattern points of the letters cp[a .. b) (offsets off[]). */
static size_t pattern_points(const gz_hyphenator *h, const uint32_t *cp, const uint32_t *off,
                             size_t a, size_t b, gz_hyph_point *out, size_t max) {
  size_t letters = 0, upper = 0, lower = 0;
  for (size_t i = a; i < b; i++) {
    if (is_apostrophe(cp[i])) continue;
    if (!is_letter(cp[i])) return 0; /* a symbol inside: not a word of the language */
    letters++;
    upper += gz_is_upper_cp(cp[i]);
    lower += gz_is_lower_cp(cp[i]);
  }
  if (letters < (size_t)(h->lmin + h->rmin)) return 0;
  if (upper >= 2 && lower == 0) return 0; /* an acronym */
  char word[4 * MAX_CPS + 1];
  size_t len = 0;
  for (size_t i = a; i < b; i++) {
    uint32_t c = is_apostrophe(cp[i]) ? '\'' : gz_lower_cp(cp[i]);
    if (h->utf8) {
      len += gz_utf8_encode(c, word + len);
    } else {
      unsigned char byte = to_byte(h, c);
      if (!byte) return 0;
      word[len++] = (char)byte;
    }
  }
  word[len] = '\0';
  char hyphens[4 * MAX_CPS + 5];
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  size_t n = 0;
  if (hnj_hyphen_hyphenate2(h->dict, word, (int)len, hyphens, NULL, &rep, &pos, &cut) == 0) {
    /* hyphens[i] odd: a break after the i-th character (the dictionary's
     * characters: the word's code points) */
    size_t seen = 0; /* letters up to and including i */
    for (size_t i = a; i + 1 < b; i++) {
      size_t k = i - a;
      if (!is_apostrophe(cp[i])) seen++;
      if (!(hyphens[k] & 1) || (rep && rep[k])) continue;
      if (is_apostrophe(cp[i]) || is_apostrophe(cp[i + 1])) continue;
      if (seen < (size_t)h->lmin || letters - seen < (size_t)h->rmin) continue;
      n = put(out, max, n, off[i + 1], GZ_HYPH_PATTERN);
    }
  }
  if (rep) {
    for (size_t i = 0; i < len; i++) free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);
  return n;
}

size_t gz_hyphen_points(const gz_hyphenator *h, const char *word, size_t len, gz_hyph_point *out,
                        size_t max) {
  if (!word || len == 0 || len > GZ_HYPHEN_MAX_WORD) return 0;
  const unsigned char *u = (const unsigned char *)word;
  uint32_t cp[MAX_CPS], off[MAX_CPS];
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    size_t k = gz_utf8_valid_len(u + i, len - i);
    if (!k) return 0;
    gz_utf8_decode(u + i, k, &cp[n]);
    off[n++] = (uint32_t)i;
    i += k;
  }
  if (looks_like_address(cp, n)) return 0;
  for (size_t i = 0; i < n; i++)
    if (is_digit(cp[i])) return 0;

  /* the letters, without punctuation around them */
  size_t a = 0, b = n;
  while (a < b && !is_letter(cp[a])) a++;
  while (b > a && !is_letter(cp[b - 1])) b--;
  if (a == b) return 0;

  size_t count = 0;
  bool soft = false, hard = false;
  for (size_t i = a; i < b; i++) soft |= cp[i] == 0xAD, hard |= is_hyphen(cp[i]);
  if (soft || hard) {
    for (size_t i = a; i + 1 < b; i++)
      if ((soft && cp[i] == 0xAD) || (!soft && is_hyphen(cp[i]) && is_letter(cp[i + 1])))
        count = put(out, max, count, off[i + 1], soft ? GZ_HYPH_SOFT : GZ_HYPH_EXPLICIT);
    return count;
  }
  if (!h || b - a > MAX_CPS) return 0;
  return pattern_points(h, cp, off, a, b, out, max);
}
