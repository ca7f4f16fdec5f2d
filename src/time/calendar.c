/*
 * calendar.c - the proleptic Gregorian calendar counted in days from
 * 1970-01-01, ISO 8601 weeks, the --split file name templates, and the
 * labels and ISO strings that plans and digests show for days and weeks.
 *
 * Everything is plain integer arithmetic on the civil calendar, so the
 * answers never depend on the C library's idea of the local time zone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "time/gztime.h"
#include "util/util.h"

/* The separator of ranges in labels: space, U+2013 EN DASH, space. */
#define GZ_EN_DASH " \xE2\x80\x93 "

static const char *const month_full[12] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};
static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const weekday_abbr[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/* ---- calendar arithmetic ---- */

int64_t gz_floor_div(int64_t a, int64_t b) {
  if (b == 0) return 0;
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

static bool is_leap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

/* Counting years from March makes February the last month of the year, so
 * the leap day falls at the end and the month lengths follow a pattern
 * (153 days every five months) that a division can express. Months
 * outside 1..12 roll into the neighbouring years, which month arithmetic
 * relies on. */
int64_t gz_days_from_civil(int64_t year, int month, int day) {
  int64_t m0 = (int64_t)month - 1;
  year += gz_floor_div(m0, 12);
  int64_t m = m0 - gz_floor_div(m0, 12) * 12 + 1;
  int64_t y = m <= 2 ? year - 1 : year;
  int64_t era = gz_floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void gz_civil_from_days(int64_t days, int64_t *year, int *month, int *day) {
  int64_t z = days + 719468;
  int64_t era = gz_floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  if (year) *year = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (month) *month = m;
  if (day) *day = d;
}

int gz_days_in_month(int64_t year, int month) {
  static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap(year)) return 29;
  return lengths[month - 1];
}

bool gz_valid_civil(int64_t year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= gz_days_in_month(year, month);
}

/* 1970-01-01 was a Thursday. */
int gz_iso_weekday(int64_t days) { return (int)(days - gz_floor_div(days + 3, 7) * 7 + 3) + 1; }

/* A week belongs to the year that holds its Thursday. */
void gz_iso_week(int64_t days, int64_t *iso_year, int *week) {
  int64_t thursday = days - gz_iso_weekday(days) + 4;
  int64_t y;
  gz_civil_from_days(thursday, &y, NULL, NULL);
  if (iso_year) *iso_year = y;
  if (week) *week = (int)((thursday - gz_days_from_civil(y, 1, 1)) / 7 + 1);
}

/* Week 1 is the week holding 4 January. */
int64_t gz_iso_week_monday(int64_t iso_year, int week) {
  int64_t jan4 = gz_days_from_civil(iso_year, 1, 4);
  return jan4 - (gz_iso_weekday(jan4) - 1) + 7 * ((int64_t)week - 1);
}

int gz_day_of_year(int64_t days) {
  int64_t y;
  gz_civil_from_days(days, &y, NULL, NULL);
  return (int)(days - gz_days_from_civil(y, 1, 1) + 1);
}

/* ---- templates ---- */

/* Appends text to out[*pos..cap), keeping room for the terminator. */
static int out_put(char *out, size_t cap, size_t *pos, const char *text) {
  size_t n = strlen(text);
  if (*pos + n >= cap) return -1;
  memcpy(out + *pos, text, n);
  *pos += n;
  out[*pos] = '\0';
  return 0;
}

static void why_set(char *why, size_t why_cap, const char *text) {
  if (why && why_cap) gz_strlcpy(why, text, why_cap);
}

/* The text a template conversion stands for, or -1 for an unknown one. */
static int template_field(char conv, int64_t day, char *field, size_t field_cap) {
  int64_t y, iso_year;
  int m, d, week;
  gz_civil_from_days(day, &y, &m, &d);
  gz_iso_week(day, &iso_year, &week);
  switch (conv) {
    case 'Y':
      snprintf(field, field_cap, "%04" PRId64, y);
      return 0;
    case 'm':
      snprintf(field, field_cap, "%02d", m);
      return 0;
    case 'd':
      snprintf(field, field_cap, "%02d", d);
      return 0;
    case 'G':
      snprintf(field, field_cap, "%04" PRId64, iso_year);
      return 0;
    case 'V':
      snprintf(field, field_cap, "%02d", week);
      return 0;
    case 'j':
      snprintf(field, field_cap, "%03d", gz_day_of_year(day));
      return 0;
    case '%':
      gz_strlcpy(field, "%", field_cap);
      return 0;
    default:
      return -1;
  }
}

int gz_expand_template(const char *tmpl, int64_t day, char *out, size_t cap, char *why,
                       size_t why_cap) {
  size_t pos = 0;
  if (!out || cap == 0) {
    why_set(why, why_cap, "no room for the file name");
    return -1;
  }
  out[0] = '\0';
  for (const char *p = tmpl; *p; p++) {
    char field[32];
    if (*p != '%') {
      field[0] = *p;
      field[1] = '\0';
    } else if (p[1] == '\0') {
      why_set(why, why_cap, "the template ends with a lone %");
      return -1;
    } else if (template_field(*++p, day, field, sizeof field) != 0) {
      char msg[96];
      snprintf(msg, sizeof msg,
               "unknown conversion %%%c in the template (known: %%Y %%m %%d "
               "%%G %%V %%j %%%%)",
               *p);
      why_set(why, why_cap, msg);
      return -1;
    }
    if (out_put(out, cap, &pos, field) != 0) {
      why_set(why, why_cap, "the expanded file name is too long");
      return -1;
    }
  }
  return 0;
}

/* ---- formatting ---- */

/* Every formatter writes into a scratch buffer first so that truncation
 * to `cap` never cuts the en dash or another UTF-8 sequence in half. */
#define GZ_SCRATCH 160

void gz_format_ymd(char *out, size_t cap, int64_t day) {
  char buf[GZ_SCRATCH];
  int64_t y;
  int m, d;
  gz_civil_from_days(day, &y, &m, &d);
  snprintf(buf, sizeof buf, "%04" PRId64 "-%02d-%02d", y, m, d);
  gz_strlcpy(out, buf, cap);
}

void gz_format_day_label(char *out, size_t cap, int64_t day) {
  char buf[GZ_SCRATCH];
  int64_t y;
  int m, d;
  gz_civil_from_days(day, &y, &m, &d);
  snprintf(buf, sizeof buf, "%s %d %s %" PRId64, weekday_abbr[gz_iso_weekday(day) - 1], d,
           month_abbr[m - 1], y);
  gz_strlcpy(out, buf, cap);
}

void gz_format_week_label(char *out, size_t cap, int64_t monday) {
  char buf[GZ_SCRATCH];
  int64_t iso_year, y;
  int week, m1, d1, m2, d2;
  /* A day other than a Monday stands for the week that holds it. */
  monday -= gz_iso_weekday(monday) - 1;
  gz_iso_week(monday, &iso_year, &week);
  gz_civil_from_days(monday, &y, &m1, &d1);
  gz_civil_from_days(monday + 6, &y, &m2, &d2);
  snprintf(buf, sizeof buf, "Week %d, %" PRId64 " (%d %s" GZ_EN_DASH "%d %s)", week, iso_year, d1,
           month_abbr[m1 - 1], d2, month_abbr[m2 - 1]);
  gz_strlcpy(out, buf, cap);
}

void gz_format_month_label(char *out, size_t cap, int64_t day) {
  char buf[GZ_SCRATCH];
  int64_t y;
  int m;
  gz_civil_from_days(day, &y, &m, NULL);
  snprintf(buf, sizeof buf, "%s %" PRId64, month_full[m - 1], y);
  gz_strlcpy(out, buf, cap);
}

void gz_format_year_label(char *out, size_t cap, int64_t day) {
  char buf[GZ_SCRATCH];
  int64_t y;
  gz_civil_from_days(day, &y, NULL, NULL);
  snprintf(buf, sizeof buf, "%" PRId64, y);
  gz_strlcpy(out, buf, cap);
}

void gz_format_range(char *out, size_t cap, int64_t first, int64_t last) {
  char buf[GZ_SCRATCH];
  int64_t y1, y2;
  int m1, d1, m2, d2;
  if (last < first) {
    int64_t t = first;
    first = last;
    last = t;
  }
  gz_civil_from_days(first, &y1, &m1, &d1);
  gz_civil_from_days(last, &y2, &m2, &d2);
  if (first == last)
    snprintf(buf, sizeof buf, "%d %s %" PRId64, d1, month_abbr[m1 - 1], y1);
  else if (y1 == y2 && m1 == m2)
    snprintf(buf, sizeof buf, "%d" GZ_EN_DASH "%d %s %" PRId64, d1, d2, month_abbr[m1 - 1], y1);
  else if (y1 == y2)
    snprintf(buf, sizeof buf, "%d %s" GZ_EN_DASH "%d %s %" PRId64, d1, month_abbr[m1 - 1], d2,
             month_abbr[m2 - 1], y1);
  else
    snprintf(buf, sizeof buf, "%d %s %" PRId64 GZ_EN_DASH "%d %s %" PRId64, d1, month_abbr[m1 - 1],
             y1, d2, month_abbr[m2 - 1], y2);
  gz_strlcpy(out, buf, cap);
}

/* Splits instant `utc` into the wall clock of `tz`. */
static void local_split(const gz_tz *tz, int64_t utc, int64_t *day, int *secs, int32_t *off) {
  int32_t o = gz_tz_offset(tz, utc);
  int64_t local = utc + o;
  *day = gz_floor_div(local, 86400);
  *secs = (int)(local - *day * 86400);
  if (off) *off = o;
}

void gz_format_iso(char *out, size_t cap, const gz_tz *tz, const gz_when *when) {
  char buf[GZ_SCRATCH];
  if (!when->has_time) {
    gz_format_ymd(out, cap, when->day);
    return;
  }
  int64_t day;
  int secs;
  int32_t off;
  local_split(tz, when->utc, &day, &secs, &off);
  char ymd[48];
  gz_format_ymd(ymd, sizeof ymd, day);
  char sign = off < 0 ? '-' : '+';
  int32_t a = off < 0 ? -off : off;
  int n = snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", ymd, secs / 3600,
                   secs / 60 % 60, secs % 60, sign, (int)(a / 3600), (int)(a / 60 % 60));
  /* Local mean time of old dates can be seconds off the minute; dropping
   * them would name a different instant. */
  if (a % 60 != 0 && n > 0 && (size_t)n < sizeof buf)
    snprintf(buf + n, sizeof buf - (size_t)n, ":%02d", (int)(a % 60));
  gz_strlcpy(out, buf, cap);
}

void gz_format_utc(char *out, size_t cap, int64_t utc) {
  int64_t day = gz_floor_div(utc, 86400), secs = utc - day * 86400, y;
  int m, d;
  gz_civil_from_days(day, &y, &m, &d);
  snprintf(out, cap, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(secs / 3600),
           (int)(secs / 60 % 60), (int)(secs % 60));
}

void gz_format_long(char *out, size_t cap, const gz_tz *tz, const gz_when *when) {
  char buf[GZ_SCRATCH];
  int64_t day = when->day, y;
  int secs = 0, m, d;
  if (when->has_time) local_split(tz, when->utc, &day, &secs, NULL);
  gz_civil_from_days(day, &y, &m, &d);
  if (when->has_time)
    snprintf(buf, sizeof buf, "%d %s %" PRId64 ", %02d:%02d", d, month_full[m - 1], y, secs / 3600,
             secs / 60 % 60);
  else
    snprintf(buf, sizeof buf, "%d %s %" PRId64, d, month_full[m - 1], y);
  gz_strlcpy(out, buf, cap);
}

void gz_format_hm(char *out, size_t cap, const gz_tz *tz, int64_t utc) {
  char buf[GZ_SCRATCH];
  int64_t day;
  int secs;
  local_split(tz, utc, &day, &secs, NULL);
  snprintf(buf, sizeof buf, "%02d:%02d", secs / 3600, secs / 60 % 60);
  gz_strlcpy(out, buf, cap);
}
