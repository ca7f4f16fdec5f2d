/*
 * gztime.h - dates for gazette: the proleptic Gregorian calendar, ISO 8601
 * weeks, IANA time zones read from the system's TZif files, the date
 * parser for every format of SPEC 1.3, and the labels used in plans and
 * digests.
 *
 * Days are counted from 1970-01-01 (day 0), seconds are Unix seconds.
 * Nothing here depends on the process time zone (TZ, localtime), so the
 * module is thread-safe and gives the same answers on every machine.
 */
#ifndef GZ_TIME_H
#define GZ_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gazette/gazette.h"

/* ---- calendar ---- */

int64_t gz_floor_div(int64_t a, int64_t b);
int64_t gz_days_from_civil(int64_t year, int month, int day);
void gz_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
bool gz_valid_civil(int64_t year, int month, int day);
int gz_days_in_month(int64_t year, int month);
/* 1 = Monday ... 7 = Sunday */
int gz_iso_weekday(int64_t days);
void gz_iso_week(int64_t days, int64_t *iso_year, int *week);
/* The Monday of ISO week `week` of `iso_year`. */
int64_t gz_iso_week_monday(int64_t iso_year, int week);
/* 1 ... 366 */
int gz_day_of_year(int64_t days);

/* ---- time zones ---- */

typedef struct gz_tz gz_tz;

/* Loads an IANA zone ("Europe/Moscow") from $TZDIR or
 * /usr/share/zoneinfo; "UTC", "Etc/UTC", "GMT" and "Z" need no file.
 * Returns NULL and writes a plain sentence to `why` when the name is
 * unknown or the file is not a valid TZif file. Names holding ".." or
 * starting with "/" are refused. */
gz_tz *gz_tz_load(const char *name, const gz_allocator *al, char *why, size_t why_cap);
void gz_tz_free(gz_tz *tz);
/* The zone's name as given. */
const char *gz_tz_name(const gz_tz *tz);
/* Offset from UTC, in seconds east, in force at instant `utc`. */
int32_t gz_tz_offset(const gz_tz *tz, int64_t utc);
/* The instant at which the zone's wall clock shows `local` (local seconds
 * counted like Unix seconds). In a gap (spring forward) the wall time is
 * taken with the offset in force before the gap; in an overlap (fall back)
 * the earlier instant is chosen. */
int64_t gz_tz_to_utc(const gz_tz *tz, int64_t local);
/* The calendar day (days since 1970-01-01) of instant `utc` in the zone. */
int64_t gz_tz_day(const gz_tz *tz, int64_t utc);

/* ---- parsing ---- */

/* A parsed publication time. */
typedef struct gz_when {
  int64_t utc;   /* the instant; for a date without time: local midnight */
  int64_t day;   /* the calendar day in the zone given to the parser */
  bool has_time; /* the input had a time of day */
} gz_when;

enum {
  /* Accept a bare number as Unix epoch seconds, or milliseconds when it
   * has 12 or more digits (JSON numbers and digit strings). */
  GZ_DATE_EPOCH = 1u << 0
};

/* Parses the whole of s[0..len) (leading and trailing white space
 * ignored) as one date or date-time in any format of SPEC 1.3:
 *   ISO 8601 (date, date-time, with or without offset or Z, fractions,
 *     "T" or space), "2020-12-07", "2020-12-07T12:16:00+03:00"
 *   RFC 2822 "Mon, 07 Dec 2020 12:16:00 +0300" (GMT, UT, UTC, Z and the
 *     US zone names EST EDT CST CDT MST MDT PST PDT too)
 *   day-first dotted "07.12.2020", "07.12.2020 12:16", "11.Jan.2026"
 *   "7 December 2020", "7 Dec 2020", "December 7, 2020", "Dec 7, 2020
 *     12:16", optionally led by a weekday ("Mon 7 Dec 2020",
 *     "Monday, December 7, 2020"), with "12:16", "12:16:00", "12:16 PM"
 *   Russian month names in the genitive and nominative ("7 декабря 2020",
 *     "7 декабря 2020 г.", "7 декабря 2020 года, 12:16")
 *   slash dates "07/12/2020" read by `order` (a four-digit first field
 *     always means year/month/day)
 *   with GZ_DATE_EPOCH, digit strings as epoch seconds or milliseconds.
 * A time without an offset is wall-clock time in `tz`. Returns 0 and fills
 * `out`, or -1 when s is not exactly one valid date (also for impossible
 * dates such as 31.02.2020 or 25:00). */
int gz_date_parse(const char *s, size_t len, gz_date_order order, const gz_tz *tz, unsigned flags,
                  gz_when *out);

/* Parses a --since/--until value: an ISO date "2020-12-07", or relative to
 * the day of `now` in `tz`: "today", "yesterday", "-7d", "-2w", "-1m",
 * "-1y" (months and years keep the day of month, clamped to the month's
 * last day). Returns 0 and the calendar day, or -1. */
int gz_date_parse_filter(const char *s, const gz_tz *tz, int64_t now, int64_t *day);

/* ---- formatting (all outputs NUL-terminated, truncated to cap) ---- */

/* "2020-12-07T12:16:00+03:00" for instant `utc` in zone `tz` when
 * has_time; "2020-12-07" (the day `day`) otherwise. Offset +00:00 is
 * written as "+00:00", never "Z". */
void gz_format_iso(char *out, size_t cap, const gz_tz *tz, const gz_when *when);
/* "2020-12-07T12:16:00Z": the form metadata asks for (EPUB's
 * dcterms:modified, XMP dates), always UTC. */
void gz_format_utc(char *out, size_t cap, int64_t utc);
/* "2020-12-07" */
void gz_format_ymd(char *out, size_t cap, int64_t day);
/* "Mon 7 Dec 2020" */
void gz_format_day_label(char *out, size_t cap, int64_t day);
/* "Week 49, 2020 (30 Nov – 6 Dec)"; across a year end
 * "Week 53, 2020 (28 Dec – 3 Jan)". `monday` is the week's first day. */
void gz_format_week_label(char *out, size_t cap, int64_t monday);
/* "December 2020" */
void gz_format_month_label(char *out, size_t cap, int64_t day);
/* "2020" */
void gz_format_year_label(char *out, size_t cap, int64_t day);
/* A range of days: "7 Dec 2020" (one day), "1 – 6 Dec 2020" (one month),
 * "30 Nov – 6 Dec 2020" (one year), "28 Dec 2020 – 3 Jan 2021". The dash is
 * an en dash with spaces. */
void gz_format_range(char *out, size_t cap, int64_t first, int64_t last);
/* "7 December 2020" and, with a time, "7 December 2020, 12:16" in `tz`. */
void gz_format_long(char *out, size_t cap, const gz_tz *tz, const gz_when *when);
/* "12:16" in `tz`. */
void gz_format_hm(char *out, size_t cap, const gz_tz *tz, int64_t utc);

/* Expands a --split template: %Y (year), %m (month 01-12), %d (day 01-31),
 * %G (ISO week-based year), %V (ISO week 01-53), %j (day of year 001-366),
 * %% (a percent sign), from `day`. Any other % sequence is an error.
 * Returns 0, or -1 with `why` set. */
int gz_expand_template(const char *tmpl, int64_t day, char *out, size_t cap, char *why,
                       size_t why_cap);

#endif /* GZ_TIME_H */
