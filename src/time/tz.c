/*
 * tz.c - IANA time zones read straight from the system's TZif files
 * (RFC 8536, versions 1 to 4), with the POSIX TZ string of the file's
 * footer for instants after the last transition.
 *
 * We never touch TZ, localtime or mktime: they share process-wide state,
 * so a library that wants a zone of its own (and threads) must read the
 * zone data itself. Debian and others ship "slim" files whose transitions
 * stop at the last rule change, which makes the footer the only source of
 * truth for modern dates, so it is evaluated here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "time/gztime.h"
#include "util/util.h"

#define GZ_TZ_DEFAULT_DIR "/usr/share/zoneinfo"
/* Real zone files are a few kilobytes; anything far larger is not one. */
#define GZ_TZ_MAX_FILE ((size_t)1 << 20)
#define GZ_TZ_MAX_NAME 255
/* Offsets beyond a week cannot be real and would only risk overflow. */
#define GZ_TZ_MAX_OFFSET (7 * 86400)
/* Instants beyond this (about 31,000 years) are clamped before the
 * calendar arithmetic of the footer rules. */
#define GZ_TZ_MAX_INSTANT ((int64_t)1 << 40)

/* When a rule switches: day `n` of kind 'J' (1..365, no leap day), 'N'
 * (0..365, leap day counted) or 'M' (month, week 1..5, weekday 0..6 with
 * 0 = Sunday), at `secs` of local time (may be negative or past a day). */
typedef struct gz_tz_when {
  char kind;
  int n, month, week, wday;
  int32_t secs;
} gz_tz_when;

/* A POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0". Offsets here are
 * seconds east of UTC (the string itself counts west). */
typedef struct gz_tz_rule {
  int32_t std_off;
  int32_t dst_off;
  bool has_dst;
  gz_tz_when start, end;
} gz_tz_rule;

struct gz_tz {
  const gz_allocator *al;
  char *name;
  size_t ntrans;
  int64_t *trans;     /* instants, strictly ascending */
  int32_t *trans_off; /* the offset in force from each transition on */
  int32_t first_off;  /* before the first transition: time type 0 */
  bool has_rule;      /* the footer rule applies after the last transition */
  gz_tz_rule rule;
};

/* What went wrong reading a zone file. */
enum { GZ_TZIF_OK = 0, GZ_TZIF_INVALID = -1, GZ_TZIF_NOMEM = -2 };

/* The message templates are our own constants holding one %s. */
static void why_printf(char *why, size_t cap, const char *fmt, const char *name) {
  if (!why || cap == 0) return;
  char buf[512];
  snprintf(buf, sizeof buf, fmt, name);
  gz_strlcpy(why, buf, cap);
}

/* ---- POSIX TZ strings ---- */

typedef struct gz_tz_scan {
  const char *s;
  size_t i;
} gz_tz_scan;

static bool scan_is_digit(const gz_tz_scan *sc) {
  return sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9';
}

static bool scan_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Reads an unsigned number up to `max`; -1 when there is none. */
static long scan_number(gz_tz_scan *sc, long max) {
  if (!scan_is_digit(sc)) return -1;
  long v = 0;
  while (scan_is_digit(sc)) {
    v = v * 10 + (sc->s[sc->i++] - '0');
    if (v > max) return -1;
  }
  return v;
}

/* A zone abbreviation: three or more letters, or anything in <...>. */
static int scan_name(gz_tz_scan *sc) {
  size_t start = sc->i;
  if (sc->s[sc->i] == '<') {
    sc->i++;
    while (sc->s[sc->i] && sc->s[sc->i] != '>') sc->i++;
    if (sc->s[sc->i] != '>' || sc->i == start + 1) return -1;
    sc->i++;
    return 0;
  }
  while (scan_is_alpha(sc->s[sc->i])) sc->i++;
  return sc->i - start >= 3 ? 0 : -1;
}

/* [+-]hh[:mm[:ss]] with hours up to `max_hours`; seconds into *out. */
static int scan_hms(gz_tz_scan *sc, long max_hours, int32_t *out) {
  int sign = 1;
  if (sc->s[sc->i] == '+' || sc->s[sc->i] == '-') sign = sc->s[sc->i++] == '-' ? -1 : 1;
  long h = scan_number(sc, max_hours), m = 0, s = 0;
  if (h < 0) return -1;
  if (sc->s[sc->i] == ':') {
    sc->i++;
    if ((m = scan_number(sc, 59)) < 0) return -1;
    if (sc->s[sc->i] == ':') {
      sc->i++;
      if ((s = scan_number(sc, 59)) < 0) return -1;
    }
  }
  *out = (int32_t)(sign * (h * 3600 + m * 60 + s));
  return 0;
}

/* Jn, n or Mm.w.d, then an optional /time (RFC 8536 allows -167..167 h). */
static int scan_when(gz_tz_scan *sc, gz_tz_when *w) {
  memset(w, 0, sizeof *w);
  if (sc->s[sc->i] == 'J') {
    sc->i++;
    w->kind = 'J';
    w->n = (int)scan_number(sc, 365);
    if (w->n < 1) return -1;
  } else if (sc->s[sc->i] == 'M') {
    sc->i++;
    w->kind = 'M';
    w->month = (int)scan_number(sc, 12);
    if (w->month < 1 || sc->s[sc->i++] != '.') return -1;
    w->week = (int)scan_number(sc, 5);
    if (w->week < 1 || sc->s[sc->i++] != '.') return -1;
    w->wday = (int)scan_number(sc, 6);
    if (w->wday < 0) return -1;
  } else {
    w->kind = 'N';
    w->n = (int)scan_number(sc, 365);
    if (w->n < 0) return -1;
  }
  w->secs = 2 * 3600;
  if (sc->s[sc->i] == '/') {
    sc->i++;
    return scan_hms(sc, 167, &w->secs);
  }
  return 0;
}

/* Parses a whole POSIX TZ string; 0 on success. */
static int gz_tz_rule_parse(const char *s, gz_tz_rule *r) {
  gz_tz_scan sc = {s, 0};
  int32_t west;
  memset(r, 0, sizeof *r);
  if (scan_name(&sc) != 0 || scan_hms(&sc, 24, &west) != 0) return -1;
  r->std_off = -west;
  if (s[sc.i] == '\0') return 0;
  if (scan_name(&sc) != 0) return -1;
  r->has_dst = true;
  r->dst_off = r->std_off + 3600;
  if (s[sc.i] != ',' && s[sc.i] != '\0') {
    if (scan_hms(&sc, 24, &west) != 0) return -1;
    r->dst_off = -west;
  }
  if (s[sc.i] == '\0') {
    /* No rule given: POSIX leaves it to the implementation; the tz
     * project's own choice is the United States rule. */
    r->start = (gz_tz_when){'M', 0, 3, 2, 0, 2 * 3600};
    r->end = (gz_tz_when){'M', 0, 11, 1, 0, 2 * 3600};
    return 0;
  }
  if (s[sc.i++] != ',' || scan_when(&sc, &r->start) != 0) return -1;
  if (s[sc.i++] != ',' || scan_when(&sc, &r->end) != 0) return -1;
  return s[sc.i] == '\0' ? 0 : -1;
}

/* The local instant (seconds) at which `w` happens in `year`. */
static int64_t when_local(const gz_tz_when *w, int64_t year) {
  int64_t jan1 = gz_days_from_civil(year, 1, 1), day;
  if (w->kind == 'J') {
    /* Jn never counts 29 February. */
    day = jan1 + w->n - 1;
    if (gz_days_in_month(year, 2) == 29 && w->n >= 60) day++;
  } else if (w->kind == 'N') {
    day = jan1 + w->n;
  } else {
    int64_t first = gz_days_from_civil(year, w->month, 1);
    int first_wday = gz_iso_weekday(first) % 7; /* 0 = Sunday */
    int mday = 1 + (w->wday - first_wday + 7) % 7 + 7 * (w->week - 1);
    while (mday > gz_days_in_month(year, w->month)) mday -= 7;
    day = first + mday - 1;
  }
  return day * 86400 + w->secs;
}

/* The offset a rule gives at `utc`. The switches of the year around
 * `utc` and its neighbours are sorted, and the last one at or before
 * `utc` decides; this holds for both hemispheres and for all-year DST. */
static int32_t rule_offset(const gz_tz_rule *r, int64_t utc) {
  if (!r->has_dst) return r->std_off;
  if (utc > GZ_TZ_MAX_INSTANT) utc = GZ_TZ_MAX_INSTANT;
  if (utc < -GZ_TZ_MAX_INSTANT) utc = -GZ_TZ_MAX_INSTANT;
  int64_t year;
  gz_civil_from_days(gz_floor_div(utc + r->std_off, 86400), &year, NULL, NULL);
  int64_t at[6];
  bool dst[6];
  int n = 0;
  for (int64_t y = year - 1; y <= year + 1; y++) {
    /* Start is given in standard time, end in daylight time. */
    at[n] = when_local(&r->start, y) - r->std_off;
    dst[n++] = true;
    at[n] = when_local(&r->end, y) - r->dst_off;
    dst[n++] = false;
  }
  /* Insertion sort; on a tie the switch to DST sorts last so that an
   * end meeting the next start (all-year DST) leaves DST in force. */
  for (int i = 1; i < n; i++) {
    for (int j = i; j > 0 && (at[j] < at[j - 1] || (at[j] == at[j - 1] && !dst[j] && dst[j - 1]));
         j--) {
      int64_t ta = at[j];
      bool td = dst[j];
      at[j] = at[j - 1];
      dst[j] = dst[j - 1];
      at[j - 1] = ta;
      dst[j - 1] = td;
    }
  }
  bool in_dst = !dst[0];
  for (int i = 0; i < n && at[i] <= utc; i++) in_dst = dst[i];
  return in_dst ? r->dst_off : r->std_off;
}

/* ---- TZif files ---- */

typedef struct gz_tzif_counts {
  uint32_t isut, isstd, leap, time, type, chars;
} gz_tzif_counts;

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64(const unsigned char *p) {
  uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
  return v > (uint64_t)INT64_MAX ? -(int64_t)(~v) - 1 : (int64_t)v;
}

static int32_t be32s(const unsigned char *p) {
  uint32_t v = be32(p);
  return v > (uint32_t)INT32_MAX ? -(int32_t)(~v) - 1 : (int32_t)v;
}

/* Reads a 44-byte header; returns the version (1, 2, ...) or -1. */
static int tzif_header(const unsigned char *p, size_t n, gz_tzif_counts *c) {
  if (n < 44 || memcmp(p, "TZif", 4) != 0) return -1;
  int version = p[4] == 0 ? 1 : (p[4] >= '2' && p[4] <= '9') ? p[4] - '0' : -1;
  c->isut = be32(p + 20);
  c->isstd = be32(p + 24);
  c->leap = be32(p + 28);
  c->time = be32(p + 32);
  c->type = be32(p + 36);
  c->chars = be32(p + 40);
  /* The file size limit bounds the counts; these keep the sums small. */
  if (c->time > GZ_TZ_MAX_FILE || c->leap > GZ_TZ_MAX_FILE || c->chars > GZ_TZ_MAX_FILE) return -1;
  if (c->type == 0 || c->type > 256) return -1;
  if ((c->isstd != 0 && c->isstd != c->type) || (c->isut != 0 && c->isut != c->type)) return -1;
  return version;
}

/* Bytes of the data block after a header, with `tsize`-byte times. */
static size_t tzif_block_size(const gz_tzif_counts *c, size_t tsize) {
  return c->time * tsize + c->time + c->type * 6u + c->chars + c->leap * (tsize + 4) + c->isstd +
         c->isut;
}

/* Fills the transitions of `tz` from one data block. */
static int tzif_block_load(gz_tz *tz, const unsigned char *p, const gz_tzif_counts *c,
                           size_t tsize) {
  const unsigned char *times = p, *idx = p + c->time * tsize, *types = idx + c->time;
  for (uint32_t t = 0; t < c->type; t++) {
    int32_t off = be32s(types + 6 * t);
    if (off < -GZ_TZ_MAX_OFFSET || off > GZ_TZ_MAX_OFFSET || types[6 * t + 4] > 1)
      return GZ_TZIF_INVALID;
    if (c->chars && types[6 * t + 5] >= c->chars) return GZ_TZIF_INVALID;
  }
  tz->first_off = be32s(types);
  if (c->time == 0) return GZ_TZIF_OK;
  tz->trans = gz_malloc(tz->al, c->time * sizeof *tz->trans);
  tz->trans_off = gz_malloc(tz->al, c->time * sizeof *tz->trans_off);
  if (!tz->trans || !tz->trans_off) return GZ_TZIF_NOMEM;
  for (uint32_t i = 0; i < c->time; i++) {
    int64_t at = tsize == 8 ? be64(times + 8 * i) : be32s(times + 4 * i);
    if (idx[i] >= c->type || (i > 0 && at <= tz->trans[i - 1])) return GZ_TZIF_INVALID;
    tz->trans[i] = at;
    tz->trans_off[i] = be32s(types + 6 * idx[i]);
  }
  tz->ntrans = c->time;
  return GZ_TZIF_OK;
}

/* The footer "\nTZ-string\n" of a version 2+ file. An empty or unusable
 * string leaves the last transition's offset in force, as RFC 8536 asks
 * of readers that cannot use it. */
static int tzif_footer_load(gz_tz *tz, const unsigned char *p, size_t n) {
  if (n < 2 || p[0] != '\n') return GZ_TZIF_INVALID;
  const unsigned char *end = memchr(p + 1, '\n', n - 1);
  if (!end) return GZ_TZIF_INVALID;
  size_t len = (size_t)(end - p - 1);
  char text[256];
  if (len == 0 || len >= sizeof text) return GZ_TZIF_OK;
  memcpy(text, p + 1, len);
  text[len] = '\0';
  if (gz_tz_rule_parse(text, &tz->rule) == 0) tz->has_rule = true;
  return GZ_TZIF_OK;
}

static int tzif_parse(gz_tz *tz, const unsigned char *p, size_t n) {
  gz_tzif_counts c;
  int version = tzif_header(p, n, &c);
  if (version < 0) return GZ_TZIF_INVALID;
  size_t v1 = tzif_block_size(&c, 4);
  if (n - 44 < v1) return GZ_TZIF_INVALID;
  if (version == 1) return tzif_block_load(tz, p + 44, &c, 4);
  /* Version 2+ repeats everything with 64-bit times; only that part
   * reaches beyond 2038. */
  p += 44 + v1;
  n -= 44 + v1;
  if (tzif_header(p, n, &c) < 2) return GZ_TZIF_INVALID;
  size_t v2 = tzif_block_size(&c, 8);
  if (n - 44 < v2) return GZ_TZIF_INVALID;
  int rc = tzif_block_load(tz, p + 44, &c, 8);
  if (rc != GZ_TZIF_OK) return rc;
  return tzif_footer_load(tz, p + 44 + v2, n - 44 - v2);
}

/* Reads a whole file through the allocator, in growing steps since zone
 * files are small; GZ_TZIF_INVALID when it cannot be read (a directory,
 * a missing file) or is too large to be a zone. */
static int file_read(const char *path, const gz_allocator *al, unsigned char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return GZ_TZIF_INVALID;
  unsigned char *data = NULL;
  size_t n = 0, cap = 0;
  int rc = GZ_TZIF_OK;
  for (;;) {
    if (n == cap) {
      if (cap > GZ_TZ_MAX_FILE) {
        rc = GZ_TZIF_INVALID;
        break;
      }
      size_t ncap = cap ? cap * 2 : 8192;
      unsigned char *grown = gz_realloc(al, data, ncap);
      if (!grown) {
        rc = GZ_TZIF_NOMEM;
        break;
      }
      data = grown;
      cap = ncap;
    }
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) rc = GZ_TZIF_INVALID;
      break;
    }
  }
  fclose(f);
  if (rc != GZ_TZIF_OK) {
    gz_free(al, data);
    return rc;
  }
  *out = data;
  *len = n;
  return GZ_TZIF_OK;
}

static bool name_is_utc(const char *name) {
  static const char *const names[] = {"UTC", "Etc/UTC", "GMT", "Z"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(names); i++)
    if (gz_ascii_ieq(name, strlen(name), names[i])) return true;
  return false;
}

/* Zone names become paths, so nothing may climb out of the zone
 * directory or hide control characters in messages. */
static bool name_is_safe(const char *name) {
  size_t len = strlen(name);
  if (len == 0 || len > GZ_TZ_MAX_NAME || name[0] == '/' || strstr(name, "..")) return false;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F || name[i] == '\\') return false;
  return true;
}

static int tz_load_file(gz_tz *tz, const char *name, char *why, size_t why_cap) {
  const char *dir = getenv("TZDIR");
  if (!dir || !*dir) dir = GZ_TZ_DEFAULT_DIR;
  size_t dlen = strlen(dir), nlen = strlen(name);
  char *path = gz_malloc(tz->al, dlen + nlen + 2);
  if (!path) {
    why_printf(why, why_cap, "out of memory loading time zone \"%s\"", name);
    return -1;
  }
  memcpy(path, dir, dlen);
  path[dlen] = '/';
  memcpy(path + dlen + 1, name, nlen + 1);
  size_t len = 0;
  unsigned char *data = NULL;
  int rc = file_read(path, tz->al, &data, &len);
  gz_free(tz->al, path);
  if (rc == GZ_TZIF_OK) {
    rc = tzif_parse(tz, data, len);
    gz_free(tz->al, data);
    if (rc == GZ_TZIF_INVALID)
      why_printf(why, why_cap, "time zone \"%s\" is not a valid TZif file", name);
  } else if (rc == GZ_TZIF_INVALID) {
    why_printf(why, why_cap,
               "unknown time zone \"%s\" (an IANA name such as Europe/Moscow is expected)", name);
  }
  if (rc == GZ_TZIF_NOMEM) why_printf(why, why_cap, "out of memory loading time zone \"%s\"", name);
  return rc == GZ_TZIF_OK ? 0 : -1;
}

gz_tz *gz_tz_load(const char *name, const gz_allocator *al, char *why, size_t why_cap) {
  if (why && why_cap) why[0] = '\0';
  if (!name) name = "UTC";
  if (!name_is_safe(name)) {
    why_printf(why, why_cap, "time zone name \"%s\" is not allowed", name);
    return NULL;
  }
  gz_tz *tz = gz_malloc(al, sizeof *tz);
  if (!tz) {
    why_printf(why, why_cap, "out of memory loading time zone \"%s\"", name);
    return NULL;
  }
  memset(tz, 0, sizeof *tz);
  tz->al = al;
  size_t nlen = strlen(name);
  tz->name = gz_malloc(al, nlen + 1);
  if (!tz->name) {
    why_printf(why, why_cap, "out of memory loading time zone \"%s\"", name);
    goto fail;
  }
  memcpy(tz->name, name, nlen + 1);
  if (name_is_utc(name)) return tz;
  if (tz_load_file(tz, name, why, why_cap) != 0) goto fail;
  return tz;
fail:
  gz_tz_free(tz);
  return NULL;
}

void gz_tz_free(gz_tz *tz) {
  if (!tz) return;
  gz_free(tz->al, tz->trans);
  gz_free(tz->al, tz->trans_off);
  gz_free(tz->al, tz->name);
  gz_free(tz->al, tz);
}

const char *gz_tz_name(const gz_tz *tz) { return tz ? tz->name : "UTC"; }

/* ---- lookups (a NULL zone is UTC) ---- */

int32_t gz_tz_offset(const gz_tz *tz, int64_t utc) {
  if (!tz) return 0;
  size_t n = tz->ntrans;
  if (n == 0) return tz->has_rule ? rule_offset(&tz->rule, utc) : tz->first_off;
  if (utc < tz->trans[0]) return tz->first_off;
  if (utc >= tz->trans[n - 1])
    return tz->has_rule ? rule_offset(&tz->rule, utc) : tz->trans_off[n - 1];
  /* The last transition at or before utc. */
  size_t lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (tz->trans[mid] <= utc)
      lo = mid;
    else
      hi = mid;
  }
  return tz->trans_off[lo];
}

/* Offsets are read a day either side of the wall time: far enough to
 * straddle any one transition near it, near enough not to reach the
 * next (zones never change twice within a day). Each offset names a
 * candidate instant that is right when the zone agrees with it there. */
int64_t gz_tz_to_utc(const gz_tz *tz, int64_t local) {
  if (!tz) return local;
  int32_t before = gz_tz_offset(tz, local - 86400);
  int32_t after = gz_tz_offset(tz, local + 86400);
  int64_t early = local - before, late = local - after;
  bool early_ok = gz_tz_offset(tz, early) == before;
  bool late_ok = gz_tz_offset(tz, late) == after;
  if (early_ok && late_ok) return early < late ? early : late;
  if (late_ok) return late;
  /* Either valid, or a gap: the offset before the gap applies. */
  return early;
}

int64_t gz_tz_day(const gz_tz *tz, int64_t utc) {
  return gz_floor_div(utc + gz_tz_offset(tz, utc), 86400);
}
