/*
 * date.c - reads publication dates in the formats of SPEC 1.3 (ISO 8601,
 * RFC 2822, dotted and slash dates, English and Russian month names,
 * Unix epoch numbers) and the --since/--until values.
 *
 * The parser is strict on purpose: the text reader asks it whether a
 * scraped line "holds only a date", so the whole string must be one date
 * and nothing else, and impossible dates are refused rather than rolled
 * over into the next month.
 */
#include <string.h>

#include "time/gztime.h"
#include "util/util.h"

/* A cursor over the input; the parse functions advance it only on
 * success, so a failed alternative can simply be retried from a saved
 * position. */
typedef struct gz_cursor {
  const unsigned char *s;
  size_t n;
  size_t i;
} gz_cursor;

/* What the text said, before the time zone is applied. */
typedef struct gz_fields {
  int64_t year;
  int month, day;
  bool has_time;
  int hour, min, sec;
  bool has_off;
  int32_t off;
} gz_fields;

typedef struct gz_word {
  const char *text;
  int value;
} gz_word;

/* Month names, lower case: English full and short, Russian genitive,
 * nominative and the short forms of Russian sites. */
static const gz_word month_words[] = {
    {"january", 1},   {"jan", 1},     {"february", 2},  {"feb", 2},      {"march", 3},
    {"mar", 3},       {"april", 4},   {"apr", 4},       {"may", 5},      {"june", 6},
    {"jun", 6},       {"july", 7},    {"jul", 7},       {"august", 8},   {"aug", 8},
    {"september", 9}, {"sep", 9},     {"sept", 9},      {"october", 10}, {"oct", 10},
    {"november", 11}, {"nov", 11},    {"december", 12}, {"dec", 12},     {"января", 1},
    {"январь", 1},    {"янв", 1},     {"февраля", 2},   {"февраль", 2},  {"фев", 2},
    {"февр", 2},      {"марта", 3},   {"март", 3},      {"мар", 3},      {"апреля", 4},
    {"апрель", 4},    {"апр", 4},     {"мая", 5},       {"май", 5},      {"июня", 6},
    {"июнь", 6},      {"июн", 6},     {"июля", 7},      {"июль", 7},     {"июл", 7},
    {"августа", 8},   {"август", 8},  {"авг", 8},       {"сентября", 9}, {"сентябрь", 9},
    {"сен", 9},       {"сент", 9},    {"октября", 10},  {"октябрь", 10}, {"окт", 10},
    {"ноября", 11},   {"ноябрь", 11}, {"ноя", 11},      {"нояб", 11},    {"декабря", 12},
    {"декабрь", 12},  {"дек", 12},
};

/* Weekday names; the value is not checked against the date, since a
 * wrong weekday in a scraped page should not lose the date. */
static const gz_word weekday_words[] = {
    {"monday", 1},    {"mon", 1},    {"tuesday", 2},     {"tue", 2},      {"tues", 2},
    {"wednesday", 3}, {"wed", 3},    {"thursday", 4},    {"thu", 4},      {"thur", 4},
    {"thurs", 4},     {"friday", 5}, {"fri", 5},         {"saturday", 6}, {"sat", 6},
    {"sunday", 7},    {"sun", 7},    {"понедельник", 1}, {"пн", 1},       {"вторник", 2},
    {"вт", 2},        {"среда", 3},  {"ср", 3},          {"четверг", 4},  {"чт", 4},
    {"пятница", 5},   {"пт", 5},     {"суббота", 6},     {"сб", 6},       {"воскресенье", 7},
    {"вс", 7},
};

/* Zone names of RFC 2822 (and UTC), in minutes east. */
static const gz_word zone_words[] = {
    {"utc", 0},    {"gmt", 0},    {"ut", 0},     {"z", 0},      {"est", -300}, {"edt", -240},
    {"cst", -360}, {"cdt", -300}, {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
};

static const char *const ordinal_words[] = {"st", "nd", "rd", "th"};
/* Words that may follow a Russian year: "2020 г.", "2020 года". */
static const char *const year_words[] = {"г", "года", "год"};
/* Words that may sit between date and time. */
static const char *const at_words[] = {"at", "в"};

/* ---- the cursor ---- */

static bool cur_end(const gz_cursor *c) { return c->i >= c->n; }

static int cur_peek(const gz_cursor *c, size_t ahead) {
  return c->i + ahead < c->n ? c->s[c->i + ahead] : -1;
}

static bool is_digit(int ch) { return ch >= '0' && ch <= '9'; }

static bool cur_eat(gz_cursor *c, char ch) {
  if (cur_peek(c, 0) != (unsigned char)ch) return false;
  c->i++;
  return true;
}

/* Skips ASCII and Unicode white space (no-break spaces come with scraped
 * pages); returns how many bytes were skipped. */
static size_t cur_space(gz_cursor *c) {
  size_t start = c->i;
  while (!cur_end(c)) {
    uint32_t cp;
    size_t k = gz_utf8_decode(c->s + c->i, c->n - c->i, &cp);
    if (!gz_is_space_cp(cp)) break;
    c->i += k;
  }
  return c->i - start;
}

/* Reads a whole run of digits, refused unless its length is within
 * [min, max] (at most 18, so the value fits); *len gets the length. */
static bool cur_number(gz_cursor *c, int min, int max, int64_t *value, int *len) {
  size_t j = c->i;
  int64_t v = 0;
  while (j < c->n && is_digit(c->s[j]) && j - c->i < 18) v = v * 10 + (c->s[j++] - '0');
  int l = (int)(j - c->i);
  if (l < min || l > max || (j < c->n && is_digit(c->s[j]))) return false;
  c->i = j;
  *value = v;
  if (len) *len = l;
  return true;
}

static bool cur_int(gz_cursor *c, int min, int max, int *value) {
  int64_t v;
  if (!cur_number(c, min, max, &v, NULL)) return false;
  *value = (int)v;
  return true;
}

static bool is_letter(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return cp != GZ_REPLACEMENT && gz_is_alnum_cp(cp);
}

/* Reads a run of letters, lower-cased into buf; false when there is none
 * or it is too long to be a word we know. */
static bool cur_word(gz_cursor *c, char *buf, size_t cap) {
  size_t j = c->i, o = 0;
  while (j < c->n) {
    uint32_t cp;
    size_t k = gz_utf8_decode(c->s + j, c->n - j, &cp);
    if (!is_letter(cp)) break;
    if (o + 5 > cap) return false;
    o += gz_utf8_encode(gz_lower_cp(cp), buf + o);
    j += k;
  }
  if (o == 0) return false;
  buf[o] = '\0';
  c->i = j;
  return true;
}

/* Reads a word found in `table`; its value into *value. */
static bool cur_lookup(gz_cursor *c, const gz_word *table, size_t count, int *value) {
  gz_cursor save = *c;
  char buf[64];
  if (cur_word(c, buf, sizeof buf)) {
    for (size_t k = 0; k < count; k++) {
      if (strcmp(buf, table[k].text) == 0) {
        *value = table[k].value;
        return true;
      }
    }
  }
  *c = save;
  return false;
}

static bool cur_keyword(gz_cursor *c, const char *const *words, size_t count) {
  gz_cursor save = *c;
  char buf[64];
  if (cur_word(c, buf, sizeof buf)) {
    for (size_t k = 0; k < count; k++)
      if (strcmp(buf, words[k]) == 0) return true;
  }
  *c = save;
  return false;
}

/* Matches ASCII text ignoring case, not followed by a letter. */
static bool cur_literal(gz_cursor *c, const char *text) {
  size_t len = strlen(text);
  if (c->n - c->i < len || !gz_ascii_ieq((const char *)c->s + c->i, len, text)) return false;
  if (c->i + len < c->n && is_letter(c->s[c->i + len])) return false;
  c->i += len;
  return true;
}

/* ---- times ---- */

/* "+03:00", "+0300", "+03"; after UTC/GMT also "+3". */
static bool parse_numeric_offset(gz_cursor *c, bool short_ok, int32_t *off) {
  gz_cursor save = *c;
  int sign = cur_peek(c, 0) == '-' ? -1 : 1;
  if (!cur_eat(c, '+') && !cur_eat(c, '-')) return false;
  int64_t v;
  int len, h, m = 0;
  if (!cur_number(c, short_ok ? 1 : 2, 4, &v, &len) || len == 3) goto fail;
  if (len == 4) {
    h = (int)(v / 100);
    m = (int)(v % 100);
  } else {
    h = (int)v;
    if (cur_peek(c, 0) == ':' && is_digit(cur_peek(c, 1))) {
      c->i++;
      if (!cur_int(c, 2, 2, &m)) goto fail;
    }
  }
  if (h > 23 || m > 59) goto fail;
  *off = (int32_t)(sign * (h * 3600 + m * 60));
  return true;
fail:
  *c = save;
  return false;
}

/* An RFC 2822 comment after the zone, "(UTC)" or "(MSK)". */
static void skip_comment(gz_cursor *c) {
  gz_cursor save = *c;
  cur_space(c);
  if (!cur_eat(c, '(')) {
    *c = save;
    return;
  }
  while (!cur_end(c) && cur_peek(c, 0) != ')' && cur_peek(c, 0) != '(') c->i++;
  if (!cur_eat(c, ')')) *c = save;
}

/* A zone after a time: numeric, "Z", or a name, with optional space. */
static bool parse_zone(gz_cursor *c, int32_t *off) {
  gz_cursor save = *c;
  int minutes;
  cur_space(c);
  if (parse_numeric_offset(c, false, off)) {
    skip_comment(c);
    return true;
  }
  if (cur_lookup(c, zone_words, GZ_ARRAY_LEN(zone_words), &minutes)) {
    *off = minutes * 60;
    int32_t extra;
    /* "UTC+3", "GMT+03:00" */
    if (minutes == 0 && parse_numeric_offset(c, true, &extra)) *off = extra;
    skip_comment(c);
    return true;
  }
  *c = save;
  return false;
}

/* "AM", "PM", "a.m.", "p.m." after optional space: 1 for PM, 0 for AM. */
static int parse_meridiem(gz_cursor *c) {
  gz_cursor save = *c;
  cur_space(c);
  if (cur_literal(c, "a.m.") || cur_literal(c, "am")) return 0;
  if (cur_literal(c, "p.m.") || cur_literal(c, "pm")) return 1;
  *c = save;
  return -1;
}

/* H:MM[:SS[.fff]] [AM|PM] [zone]. */
static bool parse_time(gz_cursor *c, gz_fields *f) {
  gz_cursor save = *c;
  int h, m, s = 0;
  if (!cur_int(c, 1, 2, &h) || !cur_eat(c, ':') || !cur_int(c, 2, 2, &m)) goto fail;
  if (cur_peek(c, 0) == ':' && is_digit(cur_peek(c, 1))) {
    c->i++;
    if (!cur_int(c, 2, 2, &s)) goto fail;
    /* A fraction of a second does not change the minute we show. */
    if ((cur_peek(c, 0) == '.' || cur_peek(c, 0) == ',') && is_digit(cur_peek(c, 1))) {
      c->i++;
      while (is_digit(cur_peek(c, 0))) c->i++;
    }
  }
  if (h > 23 || m > 59 || s > 60) goto fail;
  if (s == 60) s = 59; /* a leap second stays inside its minute */
  int pm = parse_meridiem(c);
  if (pm >= 0) {
    if (h > 12) goto fail;
    h = h % 12 + (pm ? 12 : 0);
  }
  f->has_time = true;
  f->hour = h;
  f->min = m;
  f->sec = s;
  f->has_off = parse_zone(c, &f->off);
  return true;
fail:
  *c = save;
  return false;
}

/* ---- dates ---- */

/* A two-digit year of a dotted or slash date means 20xx. */
static bool numeric_year(int64_t v, int len, int64_t *year) {
  if (len == 2) {
    *year = 2000 + v;
    return true;
  }
  if (len == 4 && v >= 1000) {
    *year = v;
    return true;
  }
  return false;
}

static bool is_date_sep(int ch) { return ch == '.' || ch == '/' || ch == '-'; }

/* "2020-12-07", "2020/12/07", "2020.12.07": a four-digit first field
 * always means year, month, day. */
static bool parse_year_first(gz_cursor *c, gz_fields *f) {
  gz_cursor save = *c;
  int64_t y;
  int sep;
  if (!cur_number(c, 4, 4, &y, NULL) || y < 1000) goto fail;
  sep = cur_peek(c, 0);
  if (!is_date_sep(sep)) goto fail;
  c->i++;
  if (!cur_int(c, 1, 2, &f->month) || !cur_eat(c, (char)sep) || !cur_int(c, 1, 2, &f->day))
    goto fail;
  f->year = y;
  /* ISO 8601 joins date and time with "T". */
  if ((cur_peek(c, 0) == 'T' || cur_peek(c, 0) == 't') && sep == '-' && is_digit(cur_peek(c, 1))) {
    c->i++;
    if (!parse_time(c, f)) goto fail;
  }
  return true;
fail:
  *c = save;
  return false;
}

/* "07.12.2020", "07-12-2020" day first; "07/12/2020" by `order`. */
static bool parse_numeric(gz_cursor *c, gz_date_order order, gz_fields *f) {
  gz_cursor save = *c;
  int64_t a, b, y;
  int alen, blen, ylen, sep;
  if (!cur_number(c, 1, 2, &a, &alen)) goto fail;
  sep = cur_peek(c, 0);
  if (!is_date_sep(sep)) goto fail;
  c->i++;
  if (!cur_number(c, 1, 2, &b, &blen) || !cur_eat(c, (char)sep)) goto fail;
  if (!cur_number(c, 2, 4, &y, &ylen)) goto fail;
  if (sep == '/' && order == GZ_ORDER_YMD && ylen == 2 && alen == 2) {
    f->year = 2000 + a;
    f->month = (int)b;
    f->day = (int)y;
    return true;
  }
  if (!numeric_year(y, ylen, &f->year)) goto fail;
  bool month_first = sep == '/' && order == GZ_ORDER_MDY;
  f->day = (int)(month_first ? b : a);
  f->month = (int)(month_first ? a : b);
  return true;
fail:
  *c = save;
  return false;
}

/* Separators between the parts of a written date: white space and at
 * most one of . - / , ; false when there is none at all. */
static bool skip_date_sep(gz_cursor *c) {
  size_t start = c->i;
  cur_space(c);
  if (is_date_sep(cur_peek(c, 0)) || cur_peek(c, 0) == ',') c->i++;
  cur_space(c);
  return c->i > start;
}

static bool parse_month_word(gz_cursor *c, int *month) {
  if (!cur_lookup(c, month_words, GZ_ARRAY_LEN(month_words), month)) return false;
  cur_eat(c, '.'); /* "Dec." */
  return true;
}

static void skip_ordinal(gz_cursor *c) {
  cur_keyword(c, ordinal_words, GZ_ARRAY_LEN(ordinal_words));
}

static bool parse_written_year(gz_cursor *c, gz_fields *f) {
  int64_t y;
  if (!cur_number(c, 4, 4, &y, NULL) || y < 1000) return false;
  f->year = y;
  return true;
}

/* "7 December 2020", "07 Dec 2020", "11.Jan.2026", "7-Dec-2020". */
static bool parse_day_month(gz_cursor *c, gz_fields *f) {
  gz_cursor save = *c;
  size_t month_end;
  if (!cur_int(c, 1, 2, &f->day)) goto fail;
  skip_ordinal(c);
  if (!skip_date_sep(c) || !parse_month_word(c, &f->month)) goto fail;
  month_end = c->i;
  /* The abbreviation's dot of "11.Jan.2026" is the separator too. */
  if (!skip_date_sep(c) && c->s[month_end - 1] != '.') goto fail;
  if (!parse_written_year(c, f)) goto fail;
  return true;
fail:
  *c = save;
  return false;
}

/* "December 7, 2020", "Dec. 7 2020", "December 7th, 2020". */
static bool parse_month_day(gz_cursor *c, gz_fields *f) {
  gz_cursor save = *c;
  if (!parse_month_word(c, &f->month)) goto fail;
  cur_space(c);
  if (!cur_int(c, 1, 2, &f->day)) goto fail;
  skip_ordinal(c);
  if (!skip_date_sep(c) || !parse_written_year(c, f)) goto fail;
  return true;
fail:
  *c = save;
  return false;
}

static bool parse_date(gz_cursor *c, gz_date_order order, gz_fields *f) {
  return parse_year_first(c, f) || parse_numeric(c, order, f) || parse_day_month(c, f) ||
         parse_month_day(c, f);
}

/* A weekday before the date: "Mon, ", "Monday ", "Tue. ". */
static void skip_weekday(gz_cursor *c) {
  gz_cursor save = *c;
  int wd;
  if (!cur_lookup(c, weekday_words, GZ_ARRAY_LEN(weekday_words), &wd)) return;
  size_t word_end = c->i;
  cur_eat(c, '.');
  cur_space(c);
  cur_eat(c, ',');
  cur_space(c);
  /* "Mon7 Dec" is not a weekday followed by a date. */
  if (c->i == word_end) *c = save;
}

/* "2020 г.", "2020 года" */
static void skip_year_word(gz_cursor *c) {
  gz_cursor save = *c;
  cur_space(c);
  if (cur_keyword(c, year_words, GZ_ARRAY_LEN(year_words)))
    cur_eat(c, '.');
  else
    *c = save;
}

/* The time after a date: "12:16", ", 12:16", " at 12:16", "T12:16". */
static bool parse_trailing_time(gz_cursor *c, gz_fields *f) {
  gz_cursor save = *c;
  cur_space(c);
  if (cur_end(c)) return true;
  cur_eat(c, ',');
  cur_space(c);
  if (cur_keyword(c, at_words, GZ_ARRAY_LEN(at_words))) cur_space(c);
  if (parse_time(c, f)) return true;
  *c = save;
  return false;
}

/* A time may also come first: "12:16, 7 декабря 2020". */
static bool parse_leading_time(gz_cursor *c, gz_fields *f) {
  gz_cursor save = *c;
  if (!parse_time(c, f)) return false;
  cur_space(c);
  cur_eat(c, ',');
  if (cur_space(c) == 0 && c->s[c->i - 1] != ',') {
    *c = save;
    f->has_time = f->has_off = false;
    return false;
  }
  return true;
}

static bool parse_fields(gz_cursor *c, gz_date_order order, gz_fields *f) {
  bool time_first = parse_leading_time(c, f);
  skip_weekday(c);
  if (!parse_date(c, order, f)) return false;
  if (!gz_valid_civil(f->year, f->month, f->day)) return false;
  skip_year_word(c);
  if (!time_first && !f->has_time && !parse_trailing_time(c, f)) return false;
  cur_space(c);
  return cur_end(c);
}

/* ---- epoch numbers ---- */

/* Digits, with an optional fraction as JSON numbers may have. */
static bool parse_epoch(const char *s, size_t len, int64_t *utc) {
  gz_cursor c = {(const unsigned char *)s, len, 0};
  int64_t v;
  int digits;
  if (!cur_number(&c, 1, 18, &v, &digits)) return false;
  if (cur_peek(&c, 0) == '.' && is_digit(cur_peek(&c, 1))) {
    c.i++;
    while (is_digit(cur_peek(&c, 0))) c.i++;
  }
  if (!cur_end(&c)) return false;
  if (digits >= 12) v /= 1000;
  /* The calendar of labels and templates stops at year 9999. */
  if (v > gz_days_from_civil(10000, 1, 1) * 86400 - 1) return false;
  *utc = v;
  return true;
}

/* ---- entry points ---- */

int gz_date_parse(const char *s, size_t len, gz_date_order order, const gz_tz *tz, unsigned flags,
                  gz_when *out) {
  if (!s) return -1;
  gz_trim(&s, &len);
  if (len == 0) return -1;
  int64_t utc;
  if (parse_epoch(s, len, &utc)) {
    if (!(flags & GZ_DATE_EPOCH)) return -1;
    out->utc = utc;
    out->day = gz_tz_day(tz, utc);
    out->has_time = true;
    return 0;
  }
  gz_cursor c = {(const unsigned char *)s, len, 0};
  gz_fields f;
  memset(&f, 0, sizeof f);
  if (!parse_fields(&c, order, &f)) return -1;
  int64_t day = gz_days_from_civil(f.year, f.month, f.day);
  if (!f.has_time) {
    out->utc = gz_tz_to_utc(tz, day * 86400);
    out->day = day;
    out->has_time = false;
    return 0;
  }
  int64_t local = day * 86400 + f.hour * 3600 + f.min * 60 + f.sec;
  out->utc = f.has_off ? local - f.off : gz_tz_to_utc(tz, local);
  out->day = gz_tz_day(tz, out->utc);
  out->has_time = true;
  return 0;
}

/* Moves `day` by `months`, keeping the day of month where the target
 * month has it and taking its last day otherwise. */
static int64_t add_months(int64_t day, int64_t months) {
  int64_t y;
  int m, d;
  gz_civil_from_days(day, &y, &m, &d);
  int64_t total = y * 12 + (m - 1) + months;
  int64_t ny = gz_floor_div(total, 12);
  int nm = (int)(total - ny * 12) + 1;
  int last = gz_days_in_month(ny, nm);
  return gz_days_from_civil(ny, nm, d < last ? d : last);
}

/* "-7d", "-2w", "-1m", "-1y" */
static int parse_relative(const char *s, size_t len, int64_t today, int64_t *day) {
  gz_cursor c = {(const unsigned char *)s, len, 0};
  int64_t n;
  if (!cur_eat(&c, '-') || !cur_number(&c, 1, 6, &n, NULL) || c.n - c.i != 1) return -1;
  switch (c.s[c.i] | 0x20) {
    case 'd':
      *day = today - n;
      return 0;
    case 'w':
      *day = today - 7 * n;
      return 0;
    case 'm':
      *day = add_months(today, -n);
      return 0;
    case 'y':
      *day = add_months(today, -12 * n);
      return 0;
    default:
      return -1;
  }
}

/* Exactly YYYY-MM-DD. */
static int parse_iso_day(const char *s, size_t len, int64_t *day) {
  gz_cursor c = {(const unsigned char *)s, len, 0};
  int64_t y;
  int m, d;
  if (!cur_number(&c, 4, 4, &y, NULL) || !cur_eat(&c, '-') || !cur_int(&c, 2, 2, &m) ||
      !cur_eat(&c, '-') || !cur_int(&c, 2, 2, &d) || !cur_end(&c) || !gz_valid_civil(y, m, d))
    return -1;
  *day = gz_days_from_civil(y, m, d);
  return 0;
}

int gz_date_parse_filter(const char *s, const gz_tz *tz, int64_t now, int64_t *day) {
  if (!s) return -1;
  size_t len = strlen(s);
  gz_trim(&s, &len);
  int64_t today = gz_tz_day(tz, now);
  if (gz_ascii_ieq(s, len, "today")) {
    *day = today;
    return 0;
  }
  if (gz_ascii_ieq(s, len, "yesterday")) {
    *day = today - 1;
    return 0;
  }
  if (len > 0 && s[0] == '-') return parse_relative(s, len, today, day);
  return parse_iso_day(s, len, day);
}
