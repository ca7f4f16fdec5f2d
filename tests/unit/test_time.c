/*
 * test_time.c - unit tests of src/time: the calendar, ISO weeks, time
 * zones (the system's TZif files and hand-made ones that exercise the
 * footer rules), the date parser, --since/--until values, labels and
 * --split templates. Expected values are written out in full so that a
 * change of any output is seen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testing.h"
#include "time/gztime.h"
#include "util/util.h"

#define DMY GZ_ORDER_DMY
#define MDY GZ_ORDER_MDY
#define YMD GZ_ORDER_YMD

static int64_t ymd(int64_t y, int m, int d) { return gz_days_from_civil(y, m, d); }

/* Unix seconds of a UTC wall time. */
static int64_t utc_at(int64_t y, int m, int d, int hh, int mm, int ss) {
  return ymd(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static gz_tz *tz_must(const char *name) {
  char why[256];
  gz_tz *tz = gz_tz_load(name, NULL, why, sizeof why);
  if (!tz) fprintf(stderr, "cannot load %s: %s\n", name, why);
  return tz;
}

/* The parse of `in` as gz_format_iso shows it in `show`, or "reject". */
static const char *parse_iso(char *buf, size_t cap, const char *in, gz_date_order order,
                             const gz_tz *tz, const gz_tz *show, unsigned flags) {
  gz_when w;
  if (gz_date_parse(in, strlen(in), order, tz, flags, &w) != 0) {
    gz_strlcpy(buf, "reject", cap);
    return buf;
  }
  gz_format_iso(buf, cap, show, &w);
  return buf;
}

/* ---- calendar ---- */

static void test_calendar(void) {
  CHECK_INT(gz_floor_div(7, 2), 3);
  CHECK_INT(gz_floor_div(-7, 2), -4);
  CHECK_INT(gz_floor_div(-8, 2), -4);
  CHECK_INT(gz_floor_div(7, -2), -4);
  CHECK_INT(ymd(1970, 1, 1), 0);
  CHECK_INT(ymd(1969, 12, 31), -1);
  CHECK_INT(ymd(2000, 3, 1), 11017);
  CHECK_INT(ymd(2020, 12, 7), 18603);
  CHECK_INT(ymd(1600, 1, 1), -135140);
  /* Months outside 1..12 roll into the next or previous year. */
  CHECK_INT(ymd(2020, 13, 1), ymd(2021, 1, 1));
  CHECK_INT(ymd(2021, 0, 31), ymd(2020, 12, 31));

  int64_t y;
  int m, d;
  gz_civil_from_days(-1, &y, &m, &d);
  CHECK(y == 1969 && m == 12 && d == 31);
  gz_civil_from_days(ymd(2020, 2, 29), &y, &m, &d);
  CHECK(y == 2020 && m == 2 && d == 29);

  /* Every day of 2,200 years goes there and back, one day after another. */
  int bad = 0;
  int64_t prev = ymd(999, 12, 31);
  for (int64_t day = ymd(1000, 1, 1); day <= ymd(3199, 12, 31); day++) {
    int64_t py;
    int pm, pd;
    gz_civil_from_days(day, &y, &m, &d);
    gz_civil_from_days(prev, &py, &pm, &pd);
    if (!gz_valid_civil(y, m, d) || ymd(y, m, d) != day) bad++;
    if (!(d == pd + 1 || (d == 1 && pd == gz_days_in_month(py, pm)))) bad++;
    prev = day;
  }
  CHECK_INT(bad, 0);

  CHECK(gz_valid_civil(2000, 2, 29));
  CHECK(gz_valid_civil(2020, 2, 29));
  CHECK(!gz_valid_civil(1900, 2, 29));
  CHECK(!gz_valid_civil(2021, 2, 29));
  CHECK(!gz_valid_civil(2020, 2, 31));
  CHECK(!gz_valid_civil(2020, 13, 1));
  CHECK(!gz_valid_civil(2020, 0, 1));
  CHECK(!gz_valid_civil(2020, 4, 31));
  CHECK(!gz_valid_civil(2020, 1, 0));
  CHECK_INT(gz_days_in_month(2020, 2), 29);
  CHECK_INT(gz_days_in_month(2100, 2), 28);
  CHECK_INT(gz_days_in_month(2020, 12), 31);
  CHECK_INT(gz_days_in_month(2020, 11), 30);
  CHECK_INT(gz_days_in_month(2020, 13), 0);

  CHECK_INT(gz_iso_weekday(0), 4); /* Thursday */
  CHECK_INT(gz_iso_weekday(-1), 3);
  CHECK_INT(gz_iso_weekday(ymd(2020, 12, 7)), 1);
  CHECK_INT(gz_iso_weekday(ymd(2020, 12, 13)), 7);
  CHECK_INT(gz_iso_weekday(ymd(1900, 1, 1)), 1);

  CHECK_INT(gz_day_of_year(ymd(2020, 1, 1)), 1);
  CHECK_INT(gz_day_of_year(ymd(2020, 12, 31)), 366);
  CHECK_INT(gz_day_of_year(ymd(2021, 12, 31)), 365);
  CHECK_INT(gz_day_of_year(ymd(2021, 3, 1)), 60);
}

static void check_week(int64_t day, int64_t want_year, int want_week, int line) {
  int64_t iy = 0;
  int w = 0;
  gz_iso_week(day, &iy, &w);
  gz_test_checks++;
  if (iy != want_year || w != want_week) {
    gz_test_failures++;
    fprintf(stderr, "%s:%d: week is %lld-W%02d, want %lld-W%02d\n", __FILE__, line, (long long)iy,
            w, (long long)want_year, want_week);
  }
}

static void test_iso_weeks(void) {
  check_week(ymd(2020, 12, 31), 2020, 53, __LINE__);
  check_week(ymd(2021, 1, 3), 2020, 53, __LINE__);
  check_week(ymd(2021, 1, 4), 2021, 1, __LINE__);
  check_week(ymd(2018, 12, 31), 2019, 1, __LINE__);
  check_week(ymd(2020, 12, 7), 2020, 50, __LINE__);
  check_week(ymd(2020, 11, 30), 2020, 49, __LINE__);
  check_week(ymd(2016, 1, 3), 2015, 53, __LINE__);
  check_week(ymd(2026, 1, 1), 2026, 1, __LINE__);
  check_week(ymd(2027, 1, 1), 2026, 53, __LINE__);
  check_week(ymd(2008, 12, 29), 2009, 1, __LINE__);
  check_week(ymd(1969, 12, 31), 1970, 1, __LINE__);

  CHECK_INT(gz_iso_week_monday(2020, 53), ymd(2020, 12, 28));
  CHECK_INT(gz_iso_week_monday(2021, 1), ymd(2021, 1, 4));
  CHECK_INT(gz_iso_week_monday(2019, 1), ymd(2018, 12, 31));
  CHECK_INT(gz_iso_week_monday(2026, 1), ymd(2025, 12, 29));
  CHECK_INT(gz_iso_week_monday(2020, 50), ymd(2020, 12, 7));

  /* Week and Monday agree for every day of four centuries. */
  int bad = 0;
  for (int64_t day = ymd(1900, 1, 1); day <= ymd(2300, 12, 31); day++) {
    int64_t iy;
    int w;
    gz_iso_week(day, &iy, &w);
    if (w < 1 || w > 53 || gz_iso_week_monday(iy, w) + gz_iso_weekday(day) - 1 != day) bad++;
  }
  CHECK_INT(bad, 0);
}

/* ---- labels and templates ---- */

static void test_labels(void) {
  char buf[128];
  gz_format_ymd(buf, sizeof buf, ymd(2020, 12, 7));
  CHECK_STR(buf, "2020-12-07");
  gz_format_ymd(buf, sizeof buf, ymd(1005, 1, 2));
  CHECK_STR(buf, "1005-01-02");
  gz_format_utc(buf, sizeof buf, 1607343360);
  CHECK_STR(buf, "2020-12-07T12:16:00Z");
  gz_format_utc(buf, sizeof buf, -1); /* the second before the epoch */
  CHECK_STR(buf, "1969-12-31T23:59:59Z");
  gz_format_day_label(buf, sizeof buf, ymd(2020, 12, 7));
  CHECK_STR(buf, "Mon 7 Dec 2020");
  gz_format_day_label(buf, sizeof buf, ymd(2026, 1, 11));
  CHECK_STR(buf, "Sun 11 Jan 2026");
  gz_format_week_label(buf, sizeof buf, ymd(2020, 12, 7));
  CHECK_STR(buf, "Week 50, 2020 (7 Dec \xE2\x80\x93 13 Dec)");
  gz_format_week_label(buf, sizeof buf, ymd(2020, 11, 30));
  CHECK_STR(buf, "Week 49, 2020 (30 Nov \xE2\x80\x93 6 Dec)");
  gz_format_week_label(buf, sizeof buf, ymd(2020, 12, 28));
  CHECK_STR(buf, "Week 53, 2020 (28 Dec \xE2\x80\x93 3 Jan)");
  gz_format_week_label(buf, sizeof buf, ymd(2018, 12, 31));
  CHECK_STR(buf, "Week 1, 2019 (31 Dec \xE2\x80\x93 6 Jan)");
  /* A day inside the week stands for its week. */
  gz_format_week_label(buf, sizeof buf, ymd(2020, 12, 10));
  CHECK_STR(buf, "Week 50, 2020 (7 Dec \xE2\x80\x93 13 Dec)");
  gz_format_month_label(buf, sizeof buf, ymd(2020, 12, 7));
  CHECK_STR(buf, "December 2020");
  gz_format_month_label(buf, sizeof buf, ymd(2021, 2, 28));
  CHECK_STR(buf, "February 2021");
  gz_format_year_label(buf, sizeof buf, ymd(2020, 12, 7));
  CHECK_STR(buf, "2020");

  gz_format_range(buf, sizeof buf, ymd(2020, 12, 7), ymd(2020, 12, 7));
  CHECK_STR(buf, "7 Dec 2020");
  gz_format_range(buf, sizeof buf, ymd(2020, 12, 1), ymd(2020, 12, 6));
  CHECK_STR(buf, "1 \xE2\x80\x93 6 Dec 2020");
  gz_format_range(buf, sizeof buf, ymd(2020, 11, 30), ymd(2020, 12, 6));
  CHECK_STR(buf, "30 Nov \xE2\x80\x93 6 Dec 2020");
  gz_format_range(buf, sizeof buf, ymd(2020, 12, 28), ymd(2021, 1, 3));
  CHECK_STR(buf, "28 Dec 2020 \xE2\x80\x93 3 Jan 2021");
  gz_format_range(buf, sizeof buf, ymd(2021, 1, 3), ymd(2020, 12, 28));
  CHECK_STR(buf, "28 Dec 2020 \xE2\x80\x93 3 Jan 2021");

  /* Truncation keeps whole UTF-8 sequences: cap 23 would end inside the
   * en dash, which is dropped whole. */
  gz_format_week_label(buf, 23, ymd(2020, 12, 7));
  CHECK_STR(buf, "Week 50, 2020 (7 Dec ");
  gz_format_day_label(buf, 4, ymd(2020, 12, 7));
  CHECK_STR(buf, "Mon");
  gz_format_range(NULL, 0, 0, 0); /* nothing written, nothing crashes */

  gz_when w = {utc_at(2020, 12, 7, 12, 16, 0), ymd(2020, 12, 7), true};
  gz_format_long(buf, sizeof buf, NULL, &w);
  CHECK_STR(buf, "7 December 2020, 12:16");
  w.has_time = false;
  gz_format_long(buf, sizeof buf, NULL, &w);
  CHECK_STR(buf, "7 December 2020");
  gz_format_hm(buf, sizeof buf, NULL, utc_at(2020, 12, 7, 9, 5, 59));
  CHECK_STR(buf, "09:05");
}

static void test_templates(void) {
  char out[64], why[128];
  CHECK_INT(
      gz_expand_template("digests/%G-W%V.pdf", ymd(2021, 1, 3), out, sizeof out, why, sizeof why),
      0);
  CHECK_STR(out, "digests/2020-W53.pdf");
  CHECK_INT(gz_expand_template("%Y-%m-%d.epub", ymd(2020, 12, 7), out, sizeof out, why, sizeof why),
            0);
  CHECK_STR(out, "2020-12-07.epub");
  CHECK_INT(gz_expand_template("%Y/%j", ymd(2020, 12, 31), out, sizeof out, why, sizeof why), 0);
  CHECK_STR(out, "2020/366");
  CHECK_INT(gz_expand_template("%j", ymd(2021, 1, 5), out, sizeof out, why, sizeof why), 0);
  CHECK_STR(out, "005");
  CHECK_INT(gz_expand_template("%G-W%V", ymd(2018, 12, 31), out, sizeof out, why, sizeof why), 0);
  CHECK_STR(out, "2019-W01");
  CHECK_INT(gz_expand_template("100%% %m", ymd(2021, 3, 9), out, sizeof out, why, sizeof why), 0);
  CHECK_STR(out, "100% 03");
  CHECK_INT(gz_expand_template("plain.pdf", 0, out, sizeof out, why, sizeof why), 0);
  CHECK_STR(out, "plain.pdf");

  why[0] = '\0';
  CHECK_INT(gz_expand_template("x-%q.pdf", 0, out, sizeof out, why, sizeof why), -1);
  CHECK_STR(why, "unknown conversion %q in the template (known: %Y %m %d %G %V %j %%)");
  why[0] = '\0';
  CHECK_INT(gz_expand_template("x-%", 0, out, sizeof out, why, sizeof why), -1);
  CHECK_STR(why, "the template ends with a lone %");
  why[0] = '\0';
  CHECK_INT(gz_expand_template("%Y-%m-%d", 0, out, 8, why, sizeof why), -1);
  CHECK_STR(why, "the expanded file name is too long");
  CHECK_INT(gz_expand_template("%Y-%m-%d", 0, out, 11, why, sizeof why), 0);
  CHECK_STR(out, "1970-01-01");
}

/* ---- time zones from the system ---- */

static void test_system_zones(void) {
  gz_tz *ny = tz_must("America/New_York");
  gz_tz *msk = tz_must("Europe/Moscow");
  gz_tz *syd = tz_must("Australia/Sydney");
  gz_tz *teh = tz_must("Asia/Tehran");
  gz_tz *kol = tz_must("Asia/Kolkata");
  CHECK(ny && msk && syd && teh && kol);
  if (!ny || !msk || !syd || !teh || !kol) goto done;

  CHECK_STR(gz_tz_name(ny), "America/New_York");
  CHECK_INT(gz_tz_offset(ny, utc_at(2020, 12, 7, 12, 0, 0)), -5 * 3600);
  CHECK_INT(gz_tz_offset(ny, utc_at(2020, 7, 1, 12, 0, 0)), -4 * 3600);
  /* The switch itself: 2021-03-14 07:00Z and 2021-11-07 06:00Z. */
  CHECK_INT(gz_tz_offset(ny, utc_at(2021, 3, 14, 6, 59, 59)), -5 * 3600);
  CHECK_INT(gz_tz_offset(ny, utc_at(2021, 3, 14, 7, 0, 0)), -4 * 3600);
  CHECK_INT(gz_tz_offset(ny, utc_at(2021, 11, 7, 5, 59, 59)), -4 * 3600);
  CHECK_INT(gz_tz_offset(ny, utc_at(2021, 11, 7, 6, 0, 0)), -5 * 3600);
  /* Past 2037 only the footer answers. */
  CHECK_INT(gz_tz_offset(ny, utc_at(2090, 7, 1, 16, 0, 0)), -4 * 3600);
  CHECK_INT(gz_tz_offset(ny, utc_at(2090, 1, 1, 17, 0, 0)), -5 * 3600);
  CHECK_INT(gz_tz_offset(ny, utc_at(2090, 3, 12, 7, 0, 0)), -4 * 3600);
  CHECK_INT(gz_tz_offset(ny, utc_at(2090, 3, 12, 6, 59, 59)), -5 * 3600);
  /* Before standard time: local mean time, -4:56:02. */
  CHECK_INT(gz_tz_offset(ny, utc_at(1850, 1, 1, 0, 0, 0)), -17762);

  CHECK_INT(gz_tz_offset(msk, utc_at(2012, 7, 1, 0, 0, 0)), 4 * 3600);
  CHECK_INT(gz_tz_offset(msk, utc_at(2015, 7, 1, 0, 0, 0)), 3 * 3600);
  CHECK_INT(gz_tz_offset(msk, utc_at(2090, 1, 1, 0, 0, 0)), 3 * 3600);
  /* Southern hemisphere: summer time spans the new year. */
  CHECK_INT(gz_tz_offset(syd, utc_at(2090, 1, 1, 0, 0, 0)), 11 * 3600);
  CHECK_INT(gz_tz_offset(syd, utc_at(2090, 7, 1, 0, 0, 0)), 10 * 3600);
  CHECK_INT(gz_tz_offset(syd, utc_at(2090, 12, 31, 0, 0, 0)), 11 * 3600);
  CHECK_INT(gz_tz_offset(teh, utc_at(2090, 7, 1, 0, 0, 0)), 3 * 3600 + 1800);
  CHECK_INT(gz_tz_offset(kol, utc_at(2020, 7, 1, 0, 0, 0)), 5 * 3600 + 1800);

  /* Wall clock to instant, in the gap and in the overlap. */
  CHECK_INT(gz_tz_to_utc(ny, utc_at(2020, 12, 7, 12, 0, 0)), utc_at(2020, 12, 7, 17, 0, 0));
  CHECK_INT(gz_tz_to_utc(ny, utc_at(2021, 3, 14, 2, 30, 0)), utc_at(2021, 3, 14, 7, 30, 0));
  CHECK_INT(gz_tz_to_utc(ny, utc_at(2021, 11, 7, 1, 30, 0)), utc_at(2021, 11, 7, 5, 30, 0));
  CHECK_INT(gz_tz_to_utc(ny, utc_at(2021, 11, 7, 2, 0, 0)), utc_at(2021, 11, 7, 7, 0, 0));
  CHECK_INT(gz_tz_to_utc(ny, utc_at(2090, 11, 5, 1, 30, 0)), utc_at(2090, 11, 5, 5, 30, 0));
  CHECK_INT(gz_tz_to_utc(ny, utc_at(2090, 11, 6, 1, 30, 0)), utc_at(2090, 11, 6, 6, 30, 0));
  CHECK_INT(gz_tz_to_utc(syd, utc_at(2090, 4, 2, 2, 30, 0)), utc_at(2090, 4, 1, 15, 30, 0));
  CHECK_INT(gz_tz_to_utc(NULL, 12345), 12345);
  CHECK_INT(gz_tz_day(ny, utc_at(2020, 12, 7, 4, 59, 59)), ymd(2020, 12, 6));
  CHECK_INT(gz_tz_day(ny, utc_at(2020, 12, 7, 5, 0, 0)), ymd(2020, 12, 7));
  CHECK_INT(gz_tz_offset(NULL, 0), 0);

  /* A wall time round-trips through every hour of a year with DST. */
  int bad = 0;
  for (int64_t t = utc_at(2021, 1, 1, 0, 0, 0); t < utc_at(2022, 1, 1, 0, 0, 0); t += 1800) {
    int64_t local = t + gz_tz_offset(ny, t);
    if (gz_tz_offset(ny, gz_tz_to_utc(ny, local)) + gz_tz_to_utc(ny, local) != local) bad++;
  }
  CHECK_INT(bad, 0);

  char buf[64];
  gz_format_hm(buf, sizeof buf, msk, utc_at(2020, 12, 7, 9, 16, 0));
  CHECK_STR(buf, "12:16");
  gz_when w = {utc_at(2020, 12, 7, 9, 16, 0), ymd(2020, 12, 7), true};
  gz_format_long(buf, sizeof buf, msk, &w);
  CHECK_STR(buf, "7 December 2020, 12:16");
  gz_format_iso(buf, sizeof buf, kol, &w);
  CHECK_STR(buf, "2020-12-07T14:46:00+05:30");
  gz_when lmt = {utc_at(1850, 1, 1, 12, 0, 0), 0, true};
  gz_format_iso(buf, sizeof buf, ny, &lmt);
  CHECK_STR(buf, "1850-01-01T07:03:58-04:56:02");

done:
  gz_tz_free(ny);
  gz_tz_free(msk);
  gz_tz_free(syd);
  gz_tz_free(teh);
  gz_tz_free(kol);
}

static void test_zone_names(void) {
  char why[256];
  const char *utc_names[] = {"UTC", "Etc/UTC", "GMT", "Z", "utc"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(utc_names); i++) {
    gz_tz *tz = gz_tz_load(utc_names[i], NULL, why, sizeof why);
    CHECK(tz != NULL);
    if (!tz) continue;
    CHECK_STR(gz_tz_name(tz), utc_names[i]);
    CHECK_INT(gz_tz_offset(tz, utc_at(2020, 7, 1, 0, 0, 0)), 0);
    gz_tz_free(tz);
  }
  const char *refused[] = {
      "Mars/Base", "../etc/passwd", "/etc/passwd",     "America/../../etc/passwd",
      "",          "America",       "Europe/Moscow\n", "zone.tab"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(refused); i++) {
    why[0] = '\0';
    gz_tz *tz = gz_tz_load(refused[i], NULL, why, sizeof why);
    CHECK(tz == NULL);
    CHECK(why[0] != '\0');
    gz_tz_free(tz);
  }
  gz_tz_load("Mars/Base", NULL, why, sizeof why);
  CHECK_STR(why,
            "unknown time zone \"Mars/Base\" (an IANA name such as Europe/Moscow is expected)");
  gz_tz_load("../etc/passwd", NULL, why, sizeof why);
  CHECK_STR(why, "time zone name \"../etc/passwd\" is not allowed");
  gz_tz_load("zone.tab", NULL, why, sizeof why);
  CHECK_STR(why, "time zone \"zone.tab\" is not a valid TZif file");
  CHECK(gz_tz_load("Mars/Base", NULL, NULL, 0) == NULL);
  gz_tz_free(NULL);
}

/* ---- hand-made TZif files ---- */

typedef struct tzif_spec {
  int version; /* 1, 2 or 3 */
  size_t ntrans;
  const int64_t *trans;
  const unsigned char *idx;
  size_t ntypes;
  const int32_t *offs;
  const char *footer; /* version 2+ */
} tzif_spec;

static size_t put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
  return 4;
}

static size_t put_header(unsigned char *p, const tzif_spec *z) {
  memset(p, 0, 44);
  memcpy(p, "TZif", 4);
  p[4] = z->version == 1 ? 0 : (unsigned char)('0' + z->version);
  put32(p + 32, (uint32_t)z->ntrans);
  put32(p + 36, (uint32_t)z->ntypes);
  put32(p + 40, 4); /* "ABC\0" */
  return 44;
}

static size_t put_block(unsigned char *p, const tzif_spec *z, size_t tsize) {
  size_t n = 0;
  for (size_t i = 0; i < z->ntrans; i++) {
    if (tsize == 8) n += put32(p + n, (uint32_t)((uint64_t)z->trans[i] >> 32));
    n += put32(p + n, (uint32_t)(uint64_t)z->trans[i]);
  }
  for (size_t i = 0; i < z->ntrans; i++) p[n++] = z->idx[i];
  for (size_t i = 0; i < z->ntypes; i++) {
    n += put32(p + n, (uint32_t)z->offs[i]);
    p[n++] = 0;
    p[n++] = 0;
  }
  memcpy(p + n, "ABC", 4);
  return n + 4;
}

static size_t tzif_build(unsigned char *p, const tzif_spec *z) {
  size_t n = put_header(p, z);
  n += put_block(p + n, z, 4);
  if (z->version == 1) return n;
  n += put_header(p + n, z);
  n += put_block(p + n, z, 8);
  size_t flen = strlen(z->footer);
  p[n++] = '\n';
  memcpy(p + n, z->footer, flen);
  n += flen;
  p[n++] = '\n';
  return n;
}

static void write_file(const char *dir, const char *name, const void *data, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fwrite(data, 1, len, f);
  fclose(f);
}

static void write_zone(const char *dir, const char *name, const tzif_spec *z) {
  unsigned char buf[4096];
  write_file(dir, name, buf, tzif_build(buf, z));
}

static void write_rule_zone(const char *dir, const char *name, int32_t off0, const char *footer) {
  const int32_t offs[] = {off0};
  tzif_spec z = {2, 0, NULL, NULL, 1, offs, footer};
  write_zone(dir, name, &z);
}

static const char *const made_zones[] = {"Slim",      "Fixed",    "V1",   "South",     "AllDst",
                                         "Negative",  "Julian",   "Zero", "Truncated", "Text",
                                         "BadFooter", "Unsorted", "V3"};

static void make_zones(const char *dir) {
  write_rule_zone(dir, "Slim", -18000, "EST5EDT,M3.2.0,M11.1.0");
  write_rule_zone(dir, "South", 36000, "AEST-10AEDT,M10.1.0,M4.1.0/3");
  write_rule_zone(dir, "AllDst", -14400, "EST5EDT4,0/0,J365/25");
  write_rule_zone(dir, "Negative", -7200, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  write_rule_zone(dir, "Julian", 0, "AAA0BBB,J60/0,J300/0");
  write_rule_zone(dir, "Zero", 0, "AAA0BBB,59/0,299/0");
  write_rule_zone(dir, "BadFooter", 3600, "this is not a rule");

  /* Local mean time until 1938, then +03 for good. */
  const int64_t fixed_t[] = {-1000000000};
  const unsigned char fixed_i[] = {1};
  const int32_t fixed_o[] = {9017, 10800};
  tzif_spec fixed = {2, 1, fixed_t, fixed_i, 2, fixed_o, "<+03>-3"};
  write_zone(dir, "Fixed", &fixed);

  const int64_t v1_t[] = {0, 1000000000};
  const unsigned char v1_i[] = {1, 2};
  const int32_t v1_o[] = {1800, 3600, 7200};
  tzif_spec v1 = {1, 2, v1_t, v1_i, 3, v1_o, NULL};
  write_zone(dir, "V1", &v1);

  /* Version 3 with a transition past 2038 that only 64-bit times hold;
   * the 32-bit block is written with the same numbers truncated, which a
   * reader of version 2+ files must ignore. */
  const int64_t v3_t[] = {-100, 4102444800}; /* 2100-01-01 */
  const unsigned char v3_i[] = {1, 0};
  const int32_t v3_o[] = {3600, 7200};
  tzif_spec v3 = {3, 2, v3_t, v3_i, 2, v3_o, ""};
  write_zone(dir, "V3", &v3);

  const int64_t uns_t[] = {100, 50};
  const unsigned char uns_i[] = {0, 0};
  const int32_t uns_o[] = {0};
  tzif_spec uns = {2, 2, uns_t, uns_i, 1, uns_o, ""};
  write_zone(dir, "Unsorted", &uns);

  unsigned char buf[4096];
  size_t n = tzif_build(buf, &fixed);
  write_file(dir, "Truncated", buf, n - 20);
  write_file(dir, "Text", "Europe/Moscow\n", 14);
}

static void test_made_zones(const char *dir) {
  const char *old = getenv("TZDIR");
  char *saved = old ? strdup(old) : NULL;
  setenv("TZDIR", dir, 1);
  char why[256];

  gz_tz *slim = tz_must("Slim");
  gz_tz *fixed = tz_must("Fixed");
  gz_tz *v1 = tz_must("V1");
  gz_tz *south = tz_must("South");
  gz_tz *alldst = tz_must("AllDst");
  gz_tz *neg = tz_must("Negative");
  gz_tz *jul = tz_must("Julian");
  gz_tz *zero = tz_must("Zero");
  gz_tz *badf = tz_must("BadFooter");
  gz_tz *v3 = tz_must("V3");
  CHECK(slim && fixed && v1 && south && alldst && neg && jul && zero && badf && v3);
  if (!(slim && fixed && v1 && south && alldst && neg && jul && zero && badf && v3)) goto done;

  /* A slim file: no transitions, the footer is the whole truth. */
  CHECK_INT(gz_tz_offset(slim, utc_at(2021, 1, 1, 0, 0, 0)), -18000);
  CHECK_INT(gz_tz_offset(slim, utc_at(2021, 7, 1, 0, 0, 0)), -14400);
  CHECK_INT(gz_tz_offset(slim, utc_at(2021, 3, 14, 6, 59, 59)), -18000);
  CHECK_INT(gz_tz_offset(slim, utc_at(2021, 3, 14, 7, 0, 0)), -14400);
  CHECK_INT(gz_tz_offset(slim, utc_at(2021, 11, 7, 5, 59, 59)), -14400);
  CHECK_INT(gz_tz_offset(slim, utc_at(2021, 11, 7, 6, 0, 0)), -18000);
  CHECK_INT(gz_tz_to_utc(slim, utc_at(2021, 3, 14, 2, 30, 0)), utc_at(2021, 3, 14, 7, 30, 0));
  CHECK_INT(gz_tz_to_utc(slim, utc_at(2021, 11, 7, 1, 30, 0)), utc_at(2021, 11, 7, 5, 30, 0));
  /* March 2026 starts on a Sunday, so its second Sunday is the 8th. */
  CHECK_INT(gz_tz_offset(slim, utc_at(2026, 3, 8, 7, 0, 0)), -14400);

  CHECK_INT(gz_tz_offset(fixed, -1000000001), 9017);
  CHECK_INT(gz_tz_offset(fixed, -1000000000), 10800);
  CHECK_INT(gz_tz_offset(fixed, utc_at(2090, 1, 1, 0, 0, 0)), 10800);

  CHECK_INT(gz_tz_offset(v1, -1), 1800);
  CHECK_INT(gz_tz_offset(v1, 0), 3600);
  CHECK_INT(gz_tz_offset(v1, 999999999), 3600);
  CHECK_INT(gz_tz_offset(v1, 1000000000), 7200);
  CHECK_INT(gz_tz_offset(v1, utc_at(2090, 1, 1, 0, 0, 0)), 7200);

  CHECK_INT(gz_tz_offset(v3, -101), 3600);
  CHECK_INT(gz_tz_offset(v3, -100), 7200);
  CHECK_INT(gz_tz_offset(v3, 4102444799), 7200);
  CHECK_INT(gz_tz_offset(v3, 4102444800), 3600);

  CHECK_INT(gz_tz_offset(south, utc_at(2030, 1, 15, 0, 0, 0)), 39600);
  CHECK_INT(gz_tz_offset(south, utc_at(2030, 7, 15, 0, 0, 0)), 36000);
  /* 2030-04-07 03:00 AEDT = 2030-04-06 16:00Z; 2030-10-06 02:00 AEST =
   * 2030-10-05 16:00Z. */
  CHECK_INT(gz_tz_offset(south, utc_at(2030, 4, 6, 15, 59, 59)), 39600);
  CHECK_INT(gz_tz_offset(south, utc_at(2030, 4, 6, 16, 0, 0)), 36000);
  CHECK_INT(gz_tz_offset(south, utc_at(2030, 10, 5, 15, 59, 59)), 36000);
  CHECK_INT(gz_tz_offset(south, utc_at(2030, 10, 5, 16, 0, 0)), 39600);

  CHECK_INT(gz_tz_offset(alldst, utc_at(2030, 1, 1, 4, 30, 0)), -14400);
  CHECK_INT(gz_tz_offset(alldst, utc_at(2030, 7, 1, 0, 0, 0)), -14400);
  CHECK_INT(gz_tz_offset(alldst, utc_at(2030, 12, 31, 23, 0, 0)), -14400);
  CHECK_INT(gz_tz_offset(alldst, utc_at(2031, 1, 1, 3, 59, 59)), -14400);
  CHECK_INT(gz_tz_offset(alldst, utc_at(2031, 1, 1, 4, 0, 0)), -14400);
  CHECK_INT(gz_tz_offset(alldst, utc_at(2031, 1, 1, 5, 0, 0)), -14400);

  /* Nuuk: the last Sunday of March at -1:00 local, 2024-03-31 01:00Z. */
  CHECK_INT(gz_tz_offset(neg, utc_at(2024, 3, 31, 0, 59, 59)), -7200);
  CHECK_INT(gz_tz_offset(neg, utc_at(2024, 3, 31, 1, 0, 0)), -3600);
  CHECK_INT(gz_tz_offset(neg, utc_at(2024, 10, 27, 0, 59, 59)), -3600);
  CHECK_INT(gz_tz_offset(neg, utc_at(2024, 10, 27, 1, 0, 0)), -7200);

  /* Jn skips 29 February, n counts it. */
  CHECK_INT(gz_tz_offset(jul, utc_at(2024, 2, 29, 12, 0, 0)), 0);
  CHECK_INT(gz_tz_offset(jul, utc_at(2024, 3, 1, 12, 0, 0)), 3600);
  CHECK_INT(gz_tz_offset(jul, utc_at(2023, 3, 1, 12, 0, 0)), 3600);
  CHECK_INT(gz_tz_offset(zero, utc_at(2024, 2, 29, 12, 0, 0)), 3600);
  CHECK_INT(gz_tz_offset(zero, utc_at(2024, 2, 28, 12, 0, 0)), 0);
  CHECK_INT(gz_tz_offset(zero, utc_at(2023, 3, 1, 12, 0, 0)), 3600);
  CHECK_INT(gz_tz_offset(zero, utc_at(2023, 2, 28, 12, 0, 0)), 0);

  /* A footer we cannot use leaves the last offset in force. */
  CHECK_INT(gz_tz_offset(badf, utc_at(2030, 7, 1, 0, 0, 0)), 3600);

  char buf[64];
  gz_when lmt = {-1000000001, 0, true};
  gz_format_iso(buf, sizeof buf, fixed, &lmt);
  CHECK_STR(buf, "1938-04-25T00:43:36+02:30:17");

  const char *broken[] = {"Truncated", "Text", "Unsorted"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(broken); i++) {
    why[0] = '\0';
    gz_tz *tz = gz_tz_load(broken[i], NULL, why, sizeof why);
    CHECK(tz == NULL);
    char want[128];
    snprintf(want, sizeof want, "time zone \"%s\" is not a valid TZif file", broken[i]);
    CHECK_STR(why, want);
    gz_tz_free(tz);
  }
  /* UTC needs no file, even when TZDIR holds none. */
  gz_tz *utc = gz_tz_load("UTC", NULL, why, sizeof why);
  CHECK(utc != NULL);
  gz_tz_free(utc);

done:
  gz_tz_free(slim);
  gz_tz_free(fixed);
  gz_tz_free(v1);
  gz_tz_free(south);
  gz_tz_free(alldst);
  gz_tz_free(neg);
  gz_tz_free(jul);
  gz_tz_free(zero);
  gz_tz_free(badf);
  gz_tz_free(v3);
  if (saved) {
    setenv("TZDIR", saved, 1);
    free(saved);
  } else {
    unsetenv("TZDIR");
  }
}

static void test_tzif_files(void) {
  char dir[] = "/tmp/gz_test_time_XXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  make_zones(dir);
  test_made_zones(dir);
  for (size_t i = 0; i < GZ_ARRAY_LEN(made_zones); i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, made_zones[i]);
    remove(path);
  }
  rmdir(dir);
}

/* ---- allocation failures ---- */

typedef struct counting {
  int calls;
  int fail_at; /* the call that fails, 1-based; 0 never */
  int live;
} counting;

static void *counting_malloc(void *ctx, size_t size) {
  counting *c = ctx;
  if (++c->calls == c->fail_at) return NULL;
  void *p = malloc(size);
  if (p) c->live++;
  return p;
}

static void *counting_realloc(void *ctx, void *ptr, size_t size) {
  counting *c = ctx;
  if (++c->calls == c->fail_at) return NULL;
  void *p = realloc(ptr, size);
  if (p && !ptr) c->live++;
  return p;
}

static void counting_free(void *ctx, void *ptr) {
  counting *c = ctx;
  if (ptr) c->live--;
  free(ptr);
}

static void test_alloc_failures(void) {
  int failed_cleanly = 0, attempts = 0;
  for (int fail_at = 1; fail_at < 20; fail_at++) {
    counting c = {0, fail_at, 0};
    gz_allocator al = {counting_malloc, counting_realloc, counting_free, &c};
    char why[256] = "";
    gz_tz *tz = gz_tz_load("America/New_York", &al, why, sizeof why);
    if (tz) {
      CHECK_INT(gz_tz_offset(tz, utc_at(2020, 7, 1, 0, 0, 0)), -14400);
      gz_tz_free(tz);
      CHECK_INT(c.live, 0);
      break;
    }
    attempts++;
    CHECK_STR(why, "out of memory loading time zone \"America/New_York\"");
    CHECK_INT(c.live, 0);
    if (c.live == 0 && strcmp(why, "out of memory loading time zone \"America/New_York\"") == 0)
      failed_cleanly++;
  }
  CHECK(attempts > 0);
  CHECK_INT(failed_cleanly, attempts);
}

/* ---- the parser ---- */

typedef struct parse_case {
  const char *in;
  gz_date_order order;
  unsigned flags;
  const char *want; /* gz_format_iso in UTC, or "reject" */
} parse_case;

#define EPOCH GZ_DATE_EPOCH

static const parse_case parse_cases[] = {
    /* day-first dotted */
    {"07.12.2020 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"07.12.2020", DMY, 0, "2020-12-07"},
    {"7.12.2020", MDY, 0, "2020-12-07"},
    {"07.12.20", DMY, 0, "2020-12-07"},
    {"07-12-2020", DMY, 0, "2020-12-07"},
    {"07.12.2020, 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"07.12.2020 12:16:30", DMY, 0, "2020-12-07T12:16:30+00:00"},
    {"11.Jan.2026", DMY, 0, "2026-01-11"},
    {"11-Jan-2026", DMY, 0, "2026-01-11"},
    {"11.jan.2026 9:05", DMY, 0, "2026-01-11T09:05:00+00:00"},
    /* ISO 8601 */
    {"2020-12-07", DMY, 0, "2020-12-07"},
    {"2020-12-07T12:16:00+03:00", DMY, 0, "2020-12-07T09:16:00+00:00"},
    {"2020-12-07T12:16:00Z", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"2020-12-07t12:16:00z", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"2020-12-07T12:16Z", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"2020-12-07T12:16:00.123456Z", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"2020-12-07T12:16:00,5+01:00", DMY, 0, "2020-12-07T11:16:00+00:00"},
    {"2020-12-07T12:16:00-05:00", DMY, 0, "2020-12-07T17:16:00+00:00"},
    {"2020-12-07T12:16:00+0300", DMY, 0, "2020-12-07T09:16:00+00:00"},
    {"2020-12-07T12:16:00+03", DMY, 0, "2020-12-07T09:16:00+00:00"},
    {"2020-12-07T23:30:00-05:30", DMY, 0, "2020-12-08T05:00:00+00:00"},
    {"2020-12-07 12:16:00", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"2020-12-07 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"2020-12-07 12:16:00 +0300", DMY, 0, "2020-12-07T09:16:00+00:00"},
    {"2020-12-07 12:16:00 UTC", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"2020-12-07 12:16 GMT+3", DMY, 0, "2020-12-07T09:16:00+00:00"},
    {"2020-12-07 12:16 UTC-05:00", DMY, 0, "2020-12-07T17:16:00+00:00"},
    {"2020-12-31T23:59:60Z", DMY, 0, "2020-12-31T23:59:59+00:00"},
    /* RFC 2822 */
    {"Mon, 07 Dec 2020 12:16:00 +0300", DMY, 0, "2020-12-07T09:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 GMT", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 UT", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"Mon, 7 Dec 2020 12:16:00 EST", DMY, 0, "2020-12-07T17:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 EDT", DMY, 0, "2020-12-07T16:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 CST", DMY, 0, "2020-12-07T18:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 CDT", DMY, 0, "2020-12-07T17:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 MST", DMY, 0, "2020-12-07T19:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 MDT", DMY, 0, "2020-12-07T18:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 PST", DMY, 0, "2020-12-07T20:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 PDT", DMY, 0, "2020-12-07T19:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 Z", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16:00 +0000 (UTC)", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"Mon, 07 Dec 2020 12:16 -0800", DMY, 0, "2020-12-07T20:16:00+00:00"},
    {"07 Dec 2020 12:16:00 +0300", DMY, 0, "2020-12-07T09:16:00+00:00"},
    /* written English dates */
    {"7 December 2020", DMY, 0, "2020-12-07"},
    {"7 DECEMBER 2020", DMY, 0, "2020-12-07"},
    {"7 Dec 2020", DMY, 0, "2020-12-07"},
    {"7 Dec. 2020", DMY, 0, "2020-12-07"},
    {"14 Jan 2026", DMY, 0, "2026-01-14"},
    {"7th December 2020", DMY, 0, "2020-12-07"},
    {"1st May 2021", DMY, 0, "2021-05-01"},
    {"7 Sept 2020", DMY, 0, "2020-09-07"},
    {"Mon 7 Dec 2020", DMY, 0, "2020-12-07"},
    {"Monday, 7 December 2020 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"December 7, 2020", DMY, 0, "2020-12-07"},
    {"December 7 2020", DMY, 0, "2020-12-07"},
    {"December 7th, 2020", DMY, 0, "2020-12-07"},
    {"Monday, December 7, 2020", DMY, 0, "2020-12-07"},
    {"Dec 7, 2020 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"Dec. 7, 2020", DMY, 0, "2020-12-07"},
    {"Sept. 7, 2020", DMY, 0, "2020-09-07"},
    {"December 7, 2020 at 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"December 7, 2020 at 12:16 PM", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"December 7, 2020, 1:05 pm", DMY, 0, "2020-12-07T13:05:00+00:00"},
    {"December 7, 2020 12:30 AM", DMY, 0, "2020-12-07T00:30:00+00:00"},
    {"December 7, 2020 11:59 p.m.", DMY, 0, "2020-12-07T23:59:00+00:00"},
    {"Dec 7, 2020 12:16:05 PM EST", DMY, 0, "2020-12-07T17:16:05+00:00"},
    {"7 December 2020 23:59:60", DMY, 0, "2020-12-07T23:59:59+00:00"},
    /* Russian */
    {"7 декабря 2020", DMY, 0, "2020-12-07"},
    {"7 Декабря 2020", DMY, 0, "2020-12-07"},
    {"7 ДЕКАБРЯ 2020", DMY, 0, "2020-12-07"},
    {"7 декабря 2020 г.", DMY, 0, "2020-12-07"},
    {"7 декабря 2020г.", DMY, 0, "2020-12-07"},
    {"7 декабря 2020 года, 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"7 декабря 2020 в 12:16", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"12:16, 7 декабря 2020", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"понедельник, 7 декабря 2020", DMY, 0, "2020-12-07"},
    {"1 январь 2021", DMY, 0, "2021-01-01"},
    {"3 января 2021", DMY, 0, "2021-01-03"},
    {"28 февраля 2021", DMY, 0, "2021-02-28"},
    {"8 марта 2021", DMY, 0, "2021-03-08"},
    {"12 апреля 2021", DMY, 0, "2021-04-12"},
    {"9 мая 2021", DMY, 0, "2021-05-09"},
    {"12 июня 2021", DMY, 0, "2021-06-12"},
    {"4 июля 2021", DMY, 0, "2021-07-04"},
    {"19 августа 2021", DMY, 0, "2021-08-19"},
    {"1 сентября 2021", DMY, 0, "2021-09-01"},
    {"7 октября 2021", DMY, 0, "2021-10-07"},
    {"4 ноября 2021", DMY, 0, "2021-11-04"},
    {"7 дек 2020", DMY, 0, "2020-12-07"},
    {"7 дек. 2020", DMY, 0, "2020-12-07"},
    {"15 янв 2021", DMY, 0, "2021-01-15"},
    {"15 сент. 2021", DMY, 0, "2021-09-15"},
    /* slash dates */
    {"07/12/2020", DMY, 0, "2020-12-07"},
    {"07/12/2020", MDY, 0, "2020-07-12"},
    {"07/12/2020", YMD, 0, "2020-12-07"},
    {"12/07/20", MDY, 0, "2020-12-07"},
    {"20/12/07", YMD, 0, "2020-12-07"},
    {"2020/12/07", DMY, 0, "2020-12-07"},
    {"2020/12/07", MDY, 0, "2020-12-07"},
    {"2020/12/07", YMD, 0, "2020-12-07"},
    {"2020.12.07", DMY, 0, "2020-12-07"},
    {"12/7/2020 4:05 PM", MDY, 0, "2020-12-07T16:05:00+00:00"},
    /* white space around and inside */
    {"  07.12.2020 12:16  ", DMY, 0, "2020-12-07T12:16:00+00:00"},
    {"\t7 December 2020\n", DMY, 0, "2020-12-07"},
    {"\xC2\xA0"
     "7\xC2\xA0"
     "December\xC2\xA0"
     "2020\xC2\xA0",
     DMY, 0, "2020-12-07"},
    /* epoch numbers */
    {"1607343360", DMY, EPOCH, "2020-12-07T12:16:00+00:00"},
    {"1607343360000", DMY, EPOCH, "2020-12-07T12:16:00+00:00"},
    {"1607343360.75", DMY, EPOCH, "2020-12-07T12:16:00+00:00"},
    {"1607343360123", DMY, EPOCH, "2020-12-07T12:16:00+00:00"},
    {"0", DMY, EPOCH, "1970-01-01T00:00:00+00:00"},
    {" 1607343360 ", DMY, EPOCH, "2020-12-07T12:16:00+00:00"},
    {"07.12.2020", DMY, EPOCH, "2020-12-07"},
    /* as producers write them: Reddit's created_utc, news APIs' milliseconds,
     * news-please's zone-less "YYYY-MM-DD HH:MM:SS", offsets without a colon */
    {"1733750400.0", DMY, EPOCH, "2024-12-09T13:20:00+00:00"},
    {"1733750400", DMY, EPOCH, "2024-12-09T13:20:00+00:00"},
    {"1733750400123", DMY, EPOCH, "2024-12-09T13:20:00+00:00"},
    {"1733750400123.0", DMY, EPOCH, "2024-12-09T13:20:00+00:00"},
    {"1733750400.0", DMY, 0, "reject"},
    {"2024-03-05 14:30:00", DMY, 0, "2024-03-05T14:30:00+00:00"},
    {"2024-03-05T14:30:00+0000", DMY, 0, "2024-03-05T14:30:00+00:00"},
    {"2024-03-05T14:30:00-0500", DMY, 0, "2024-03-05T19:30:00+00:00"},
    {"2024-03-05 14:30:00+0000", DMY, 0, "2024-03-05T14:30:00+00:00"},
    {"2024-03-05 14:30:00-0500", DMY, 0, "2024-03-05T19:30:00+00:00"},
    {"2025-11-03T06:40:00.000+02:00", DMY, 0, "2025-11-03T04:40:00+00:00"},
    {"2025-11-03T06:40:00.000Z", DMY, 0, "2025-11-03T06:40:00+00:00"},
    {"2025-11-03T06:40:00.123456789-04:00", DMY, 0, "2025-11-03T10:40:00+00:00"},
    {"2025-11-03 06:40:00.123456+00:00", DMY, 0, "2025-11-03T06:40:00+00:00"},
    {"2025-11-03T06:40:00Z", DMY, 0, "2025-11-03T06:40:00+00:00"},
    {"None", DMY, EPOCH, "reject"},
    {"null", DMY, EPOCH, "reject"},
    {"NaT", DMY, EPOCH, "reject"},
    /* rejected */
    {"31.02.2020", DMY, 0, "reject"},
    {"29.02.2021", DMY, 0, "reject"},
    {"25:00", DMY, 0, "reject"},
    {"07.12.2020 25:00", DMY, 0, "reject"},
    {"07.12.2020 12:60", DMY, 0, "reject"},
    {"2020-12-07T24:00:00", DMY, 0, "reject"},
    {"2020-13-01", DMY, 0, "reject"},
    {"2020-12-32", DMY, 0, "reject"},
    {"hello", DMY, 0, "reject"},
    {"", DMY, 0, "reject"},
    {"   ", DMY, 0, "reject"},
    {"7 December", DMY, 0, "reject"},
    {"December 2020", DMY, 0, "reject"},
    {"Popular protests spread", DMY, 0, "reject"},
    {"2020", DMY, 0, "reject"},
    {"12:16", DMY, 0, "reject"},
    {"1607343360", DMY, 0, "reject"},
    {"20201207", DMY, 0, "reject"},
    {"-1607343360", DMY, EPOCH, "reject"},
    {"+1607343360", DMY, EPOCH, "reject"},
    {"1e9", DMY, EPOCH, "reject"},
    {"999999999999999999", DMY, EPOCH, "reject"},
    {"9999999999999999999999", DMY, EPOCH, "reject"},
    {"07.12.2020 12:16 extra words", DMY, 0, "reject"},
    {"7 December 2020 was a Monday", DMY, 0, "reject"},
    {"07.12.2020,", DMY, 0, "reject"},
    {"07.12.2020 at", DMY, 0, "reject"},
    {"07.12.2020 +0300", DMY, 0, "reject"},
    {"2020-12-07T", DMY, 0, "reject"},
    {"2020-12-07T12", DMY, 0, "reject"},
    {"2020-12-07 12:16 +5", DMY, 0, "reject"},
    {"2020-12-07 12:16 +2400", DMY, 0, "reject"},
    {"07.12.123", DMY, 0, "reject"},
    {"0999-01-01", DMY, 0, "reject"},
    {"7 Dec 20", DMY, 0, "reject"},
    {"7 Dec 0999", DMY, 0, "reject"},
    {"7December 2020", DMY, 0, "reject"},
    {"Mon", DMY, 0, "reject"},
    {"Mondays 7 Dec 2020", DMY, 0, "reject"},
    {"Mon7 Dec 2020", DMY, 0, "reject"},
    {"13:00 PM 7 Dec 2020", DMY, 0, "reject"},
    {"Dec 7, 2020 13:05 PM", DMY, 0, "reject"},
    {"07.12/2020", DMY, 0, "reject"},
    {"7 Decembre 2020", DMY, 0, "reject"},
    {"123.12.2020", DMY, 0, "reject"},
    {"Date: 7 December 2020", DMY, 0, "reject"},
    {"(7 December 2020)", DMY, 0, "reject"},
};

static void test_parse_table(void) {
  char buf[64];
  for (size_t i = 0; i < GZ_ARRAY_LEN(parse_cases); i++) {
    const parse_case *pc = &parse_cases[i];
    parse_iso(buf, sizeof buf, pc->in, pc->order, NULL, NULL, pc->flags);
    gz_test_checks++;
    if (strcmp(buf, pc->want) != 0) {
      gz_test_failures++;
      fprintf(stderr, "%s: parse of \"%s\" is \"%s\", want \"%s\"\n", __FILE__, pc->in, buf,
              pc->want);
    }
  }
}

static void test_parse_details(void) {
  gz_when w;
  /* Only [s, s+len) is read. */
  const char *s = "2020-12-07 and more";
  CHECK_INT(gz_date_parse(s, 10, DMY, NULL, 0, &w), 0);
  CHECK_INT(w.day, ymd(2020, 12, 7));
  CHECK(!w.has_time);
  CHECK_INT(w.utc, ymd(2020, 12, 7) * 86400);
  CHECK_INT(gz_date_parse("07.12.2020\0 x", 13, DMY, NULL, 0, &w), -1);
  CHECK_INT(gz_date_parse(NULL, 0, DMY, NULL, 0, &w), -1);

  CHECK_INT(gz_date_parse("1607343360", 10, DMY, NULL, GZ_DATE_EPOCH, &w), 0);
  CHECK_INT(w.utc, 1607343360);
  CHECK(w.has_time);
  CHECK_INT(w.day, ymd(2020, 12, 7));
  CHECK_INT(gz_date_parse("1607343360000", 13, DMY, NULL, GZ_DATE_EPOCH, &w), 0);
  CHECK_INT(w.utc, 1607343360);
}

/* --tz: the zone reads offset-less times and decides the day. */
static void test_parse_zones(void) {
  gz_tz *utc = tz_must("UTC");
  gz_tz *ny = tz_must("America/New_York");
  gz_tz *msk = tz_must("Europe/Moscow");
  CHECK(utc && ny && msk);
  if (!utc || !ny || !msk) goto done;
  char buf[64];
  gz_when w;
  const char *late = "2020-12-06T23:30:00-05:00";
  CHECK_INT(gz_date_parse(late, strlen(late), DMY, utc, 0, &w), 0);
  CHECK_INT(w.day, ymd(2020, 12, 7));
  CHECK_INT(w.utc, utc_at(2020, 12, 7, 4, 30, 0));
  gz_format_iso(buf, sizeof buf, utc, &w);
  CHECK_STR(buf, "2020-12-07T04:30:00+00:00");
  CHECK_INT(gz_date_parse(late, strlen(late), DMY, ny, 0, &w), 0);
  CHECK_INT(w.day, ymd(2020, 12, 6));
  gz_format_iso(buf, sizeof buf, ny, &w);
  CHECK_STR(buf, "2020-12-06T23:30:00-05:00");

  CHECK_STR(parse_iso(buf, sizeof buf, "2020-07-01 12:00", DMY, msk, utc, 0),
            "2020-07-01T09:00:00+00:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2020-07-01 12:00", DMY, msk, msk, 0),
            "2020-07-01T12:00:00+03:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "7 декабря 2020 года, 12:16", DMY, msk, utc, 0),
            "2020-12-07T09:16:00+00:00");
  /* The gap takes the offset before it; the overlap the earlier instant. */
  CHECK_STR(parse_iso(buf, sizeof buf, "2021-03-14 02:30", DMY, ny, utc, 0),
            "2021-03-14T07:30:00+00:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2021-03-14 02:30", DMY, ny, ny, 0),
            "2021-03-14T03:30:00-04:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2021-11-07 01:30", DMY, ny, utc, 0),
            "2021-11-07T05:30:00+00:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2021-11-07 01:30", DMY, ny, ny, 0),
            "2021-11-07T01:30:00-04:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2090-07-01 12:00", DMY, ny, ny, 0),
            "2090-07-01T12:00:00-04:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2090-07-01 12:00", DMY, ny, utc, 0),
            "2090-07-01T16:00:00+00:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2090-01-01 12:00", DMY, ny, ny, 0),
            "2090-01-01T12:00:00-05:00");
  /* news-please's zone-less form is wall time in --tz; an offset without
   * a colon is not. */
  CHECK_STR(parse_iso(buf, sizeof buf, "2024-03-05 14:30:00", DMY, ny, utc, 0),
            "2024-03-05T19:30:00+00:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2024-03-05 14:30:00", DMY, ny, ny, 0),
            "2024-03-05T14:30:00-05:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "2024-03-05T14:30:00+0000", DMY, ny, ny, 0),
            "2024-03-05T09:30:00-05:00");
  /* An explicit offset wins over the zone. */
  CHECK_STR(parse_iso(buf, sizeof buf, "Mon, 07 Dec 2020 12:16:00 +0300", DMY, ny, utc, 0),
            "2020-12-07T09:16:00+00:00");
  CHECK_STR(parse_iso(buf, sizeof buf, "Mon, 07 Dec 2020 12:16:00 +0300", DMY, ny, ny, 0),
            "2020-12-07T04:16:00-05:00");

  /* A date alone: local midnight, and the day as written. */
  const char *d = "2020-12-07";
  CHECK_INT(gz_date_parse(d, strlen(d), DMY, ny, 0, &w), 0);
  CHECK(!w.has_time);
  CHECK_INT(w.day, ymd(2020, 12, 7));
  CHECK_INT(w.utc, utc_at(2020, 12, 7, 5, 0, 0));
  gz_format_iso(buf, sizeof buf, ny, &w);
  CHECK_STR(buf, "2020-12-07");
  CHECK_INT(gz_date_parse(d, strlen(d), DMY, msk, 0, &w), 0);
  CHECK_INT(w.day, ymd(2020, 12, 7));
  CHECK_INT(w.utc, utc_at(2020, 12, 6, 21, 0, 0));

  /* Epoch numbers are instants; the zone only names their day. */
  CHECK_INT(gz_date_parse("1607311800", 10, DMY, ny, GZ_DATE_EPOCH, &w), 0);
  CHECK_INT(w.day, ymd(2020, 12, 6));
  gz_format_iso(buf, sizeof buf, ny, &w);
  CHECK_STR(buf, "2020-12-06T22:30:00-05:00");

done:
  gz_tz_free(utc);
  gz_tz_free(ny);
  gz_tz_free(msk);
}

/* ---- --since / --until ---- */

static void check_filter(const char *in, const gz_tz *tz, int64_t now, int want_rc,
                         int64_t want_day, int line) {
  int64_t day = -999999;
  int rc = gz_date_parse_filter(in, tz, now, &day);
  gz_test_checks++;
  if (rc != want_rc || (rc == 0 && day != want_day)) {
    char got[32], want[32];
    gz_format_ymd(got, sizeof got, day);
    gz_format_ymd(want, sizeof want, want_day);
    gz_test_failures++;
    fprintf(stderr, "%s:%d: filter \"%s\" gives %d %s, want %d %s\n", __FILE__, line, in, rc,
            rc == 0 ? got : "-", want_rc, want_rc == 0 ? want : "-");
  }
}

static void test_filter(void) {
  int64_t now = utc_at(2020, 12, 10, 15, 0, 0);
  check_filter("today", NULL, now, 0, ymd(2020, 12, 10), __LINE__);
  check_filter("Today", NULL, now, 0, ymd(2020, 12, 10), __LINE__);
  check_filter("yesterday", NULL, now, 0, ymd(2020, 12, 9), __LINE__);
  check_filter("-7d", NULL, now, 0, ymd(2020, 12, 3), __LINE__);
  check_filter(" -7d ", NULL, now, 0, ymd(2020, 12, 3), __LINE__);
  check_filter("-0d", NULL, now, 0, ymd(2020, 12, 10), __LINE__);
  check_filter("-2w", NULL, now, 0, ymd(2020, 11, 26), __LINE__);
  check_filter("-1m", NULL, now, 0, ymd(2020, 11, 10), __LINE__);
  check_filter("-12m", NULL, now, 0, ymd(2019, 12, 10), __LINE__);
  check_filter("-1y", NULL, now, 0, ymd(2019, 12, 10), __LINE__);
  check_filter("2020-12-07", NULL, now, 0, ymd(2020, 12, 7), __LINE__);
  check_filter("-1m", NULL, utc_at(2021, 3, 31, 12, 0, 0), 0, ymd(2021, 2, 28), __LINE__);
  check_filter("-1m", NULL, utc_at(2020, 3, 31, 12, 0, 0), 0, ymd(2020, 2, 29), __LINE__);
  check_filter("-13m", NULL, utc_at(2021, 1, 31, 12, 0, 0), 0, ymd(2019, 12, 31), __LINE__);
  check_filter("-1y", NULL, utc_at(2020, 2, 29, 12, 0, 0), 0, ymd(2019, 2, 28), __LINE__);

  check_filter("-7x", NULL, now, -1, 0, __LINE__);
  check_filter("lastweek", NULL, now, -1, 0, __LINE__);
  check_filter("-d", NULL, now, -1, 0, __LINE__);
  check_filter("7d", NULL, now, -1, 0, __LINE__);
  check_filter("-7dd", NULL, now, -1, 0, __LINE__);
  check_filter("-1234567d", NULL, now, -1, 0, __LINE__);
  check_filter("", NULL, now, -1, 0, __LINE__);
  check_filter("2020-12-32", NULL, now, -1, 0, __LINE__);
  check_filter("2020-12-7", NULL, now, -1, 0, __LINE__);
  check_filter("2020-12-07T00:00", NULL, now, -1, 0, __LINE__);
  check_filter(NULL, NULL, now, -1, 0, __LINE__);

  /* "today" is the day of `now` in the zone. */
  gz_tz *ny = tz_must("America/New_York");
  if (ny) {
    int64_t early = utc_at(2020, 12, 10, 3, 0, 0);
    check_filter("today", ny, early, 0, ymd(2020, 12, 9), __LINE__);
    check_filter("-1d", ny, early, 0, ymd(2020, 12, 8), __LINE__);
    check_filter("today", NULL, early, 0, ymd(2020, 12, 10), __LINE__);
    gz_tz_free(ny);
  }
}

int main(void) {
  test_calendar();
  test_iso_weeks();
  test_labels();
  test_templates();
  test_system_zones();
  test_zone_names();
  test_tzif_files();
  test_alloc_failures();
  test_parse_table();
  test_parse_details();
  test_parse_zones();
  test_filter();
  TEST_MAIN_END();
}
