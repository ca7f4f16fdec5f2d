/*
 * test_group.c - duplicates, date filters, groups and their order.
 */
#include <string.h>

#include "read_digest.h"

/* The digest as the stages see it. */
#define V(d) gz_digest_view(d)

static gz_digest *run(const char *json, gz_options *o) {
  return read_digest("g.json", json, strlen(json), o);
}

static const char *title_at(gz_digest *d, size_t g, size_t i) {
  if (g >= V(d)->n_groups || i >= V(d)->groups[g].n_items) return "(none)";
  return V(d)->articles[V(d)->groups[g].items[i]].title;
}

static void test_dedupe(void) {
  const char *json =
      "[{\"title\":\"First\",\"url\":\"https://Example.com/a/"
      "\",\"body\":\"one\",\"date\":\"2020-12-07\"},"
      "{\"title\":\"Other\",\"url\":\"https://example.com/"
      "a#top\",\"body\":\"two\",\"date\":\"2020-12-08\"},"
      "{\"title\":\"first!\",\"body\":\"three\",\"date\":\"2020-12-07T18:00:00Z\"},"
      "{\"title\":\"First\",\"body\":\"four\",\"date\":\"2020-12-09\"},"
      "{\"title\":\"Copy\",\"body\":\"<p>one</p>\",\"date\":\"2020-12-10\"},"
      "{\"title\":\"Empty 1\",\"date\":\"2020-12-10\"},{\"title\":\"Empty "
      "2\",\"date\":\"2020-12-10\"}]";
  gz_digest *d = run(json, NULL);
  gz_counts c = gz_digest_counts(d);
  CHECK_INT(c.read, 7);
  CHECK_INT(c.duplicates, 3); /* same url, same title and day, same body */
  CHECK_INT(c.written, 4);
  CHECK_INT(V(d)->articles[1].status, GZ_ART_DUPLICATE);
  CHECK_INT(V(d)->articles[2].status, GZ_ART_DUPLICATE);
  CHECK_INT(V(d)->articles[3].status, GZ_ART_KEPT); /* same title, another day */
  CHECK_INT(V(d)->articles[4].status, GZ_ART_DUPLICATE);
  CHECK_INT(V(d)->articles[6].status, GZ_ART_KEPT); /* empty bodies are not "the same body" */
  CHECK_INT(c.read, c.written + c.duplicates + c.filtered + c.skipped);
  gz_digest_free(d);

  gz_options o;
  gz_options_init(&o);
  o.dedupe = 0;
  d = run(json, &o);
  CHECK_INT(gz_digest_counts(d).written, 7);
  gz_digest_free(d);
}

static const char *week_json =
    "[{\"title\":\"Thu\",\"date\":\"2020-12-31T10:00:00Z\"},"
    "{\"title\":\"Sun late\",\"date\":\"2021-01-03T23:00:00Z\"},"
    "{\"title\":\"Sun early\",\"date\":\"2021-01-03T08:00:00Z\"},"
    "{\"title\":\"Mon\",\"date\":\"2021-01-04\"},"
    "{\"title\":\"Nodate\"},"
    "{\"title\":\"Same time B\",\"date\":\"2020-12-31T10:00:00Z\"}]";

static void test_weeks(void) {
  gz_options o;
  gz_options_init(&o);
  o.group_by = GZ_GROUP_WEEK;
  gz_digest *d = run(week_json, &o);
  CHECK_INT(V(d)->n_groups, 3);
  CHECK_STR(V(d)->groups[0].label, "Week 53, 2020 (28 Dec \xE2\x80\x93 3 Jan)");
  CHECK_INT(V(d)->groups[0].start, gz_days_from_civil(2020, 12, 28));
  CHECK_INT(V(d)->groups[0].end, gz_days_from_civil(2021, 1, 3));
  CHECK_STR(title_at(d, 0, 0), "Thu");
  CHECK_STR(title_at(d, 0, 1), "Same time B");
  CHECK_STR(title_at(d, 0, 2), "Sun early");
  CHECK_STR(title_at(d, 0, 3), "Sun late");
  CHECK_STR(V(d)->groups[1].label, "Week 1, 2021 (4 Jan \xE2\x80\x93 10 Jan)");
  CHECK_STR(V(d)->groups[2].label, "Undated");
  CHECK(V(d)->groups[2].undated);
  gz_digest_free(d);

  /* --tz moves the late Sunday article into Monday's week */
  o.tz = "Europe/Moscow";
  d = run(week_json, &o);
  CHECK_INT(V(d)->groups[1].n_items, 2);
  CHECK_STR(title_at(d, 1, 0), "Mon"); /* Monday 00:00 Moscow is 21:00 UTC on Sunday */
  CHECK_STR(title_at(d, 1, 1), "Sun late");
  gz_digest_free(d);

  o.tz = NULL;
  o.newest_first = 1;
  d = run(week_json, &o);
  CHECK_STR(V(d)->groups[0].label, "Week 1, 2021 (4 Jan \xE2\x80\x93 10 Jan)");
  CHECK_STR(title_at(d, 1, 0), "Sun late");
  CHECK_STR(title_at(d, 1, 2), "Thu"); /* equal times keep input order */
  CHECK_STR(title_at(d, 1, 3), "Same time B");
  CHECK_STR(V(d)->groups[2].label, "Undated");
  gz_digest_free(d);
}

static void test_other_units(void) {
  gz_options o;
  gz_options_init(&o);
  o.group_by = GZ_GROUP_MONTH;
  gz_digest *d = run(week_json, &o);
  CHECK_INT(V(d)->n_groups, 3);
  CHECK_STR(V(d)->groups[0].label, "December 2020");
  CHECK_INT(V(d)->groups[0].end, gz_days_from_civil(2020, 12, 31));
  CHECK_STR(V(d)->groups[1].label, "January 2021");
  gz_digest_free(d);
  o.group_by = GZ_GROUP_YEAR;
  d = run(week_json, &o);
  CHECK_STR(V(d)->groups[1].label, "2021");
  CHECK_INT(V(d)->groups[1].start, gz_days_from_civil(2021, 1, 1));
  CHECK_INT(V(d)->groups[1].end, gz_days_from_civil(2021, 12, 31));
  gz_digest_free(d);
  o.group_by = GZ_GROUP_ALL;
  d = run(week_json, &o);
  CHECK_INT(V(d)->n_groups, 2);
  CHECK_INT(V(d)->groups[0].start, gz_days_from_civil(2020, 12, 31));
  CHECK_INT(V(d)->groups[0].end, gz_days_from_civil(2021, 1, 4));
  gz_digest_free(d);
  o.group_by = GZ_GROUP_DAY;
  d = run(week_json, &o);
  CHECK_INT(V(d)->n_groups, 4);
  CHECK_STR(V(d)->groups[0].label, "Thu 31 Dec 2020");
  gz_digest_free(d);
}

static void test_filters(void) {
  gz_options o;
  gz_options_init(&o);
  o.now = 1609718400; /* 2021-01-04T00:00:00Z */
  o.since = "-1d";
  gz_digest *d = run(week_json, &o);
  gz_counts c = gz_digest_counts(d);
  CHECK_INT(c.written, 3);
  CHECK_INT(c.filtered, 3); /* Thursday twice, and the undated one */
  CHECK_INT(c.read, c.written + c.duplicates + c.filtered + c.skipped);
  CHECK_INT(V(d)->n_groups, 2);
  gz_digest_free(d);
  o.since = "2020-12-31";
  o.until = "2021-01-03";
  d = run(week_json, &o);
  CHECK_INT(gz_digest_counts(d).written, 4);
  gz_digest_free(d);
  o.since = "last tuesday";
  gz_error err;
  CHECK(gz_digest_new(&o, &err) == NULL);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  o.since = NULL;
  o.until = NULL;
  o.tz = "Mars/Olympus";
  CHECK(gz_digest_new(&o, &err) == NULL);
  CHECK_STR(err.message,
            "--tz: unknown time zone \"Mars/Olympus\" (an IANA name such as Europe/Moscow is "
            "expected)");
}

/* Debug builds check read = written + duplicates + filtered + skipped at
 * the end of gz_digest_finish: a count that a reader got wrong is an
 * internal error there, not a plan that does not add up. */
static void test_accounting_invariant(void) {
#ifndef NDEBUG
  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return;
  const char *json = "[{\"title\":\"A\",\"date\":\"2020-12-07\"}]";
  CHECK_INT(gz_digest_add_memory(d, "a.json", json, strlen(json), &err), 0);
  gz_digest_tally(d)->read++; /* an article read that no count explains */
  CHECK_INT(gz_digest_finish(d, &err), -1);
  CHECK_INT(err.code, GZ_ERR_INTERNAL);
  CHECK_STR(err.message,
            "the article counts do not add up (read 2, written 1, duplicates 0, filtered 0, "
            "skipped 0)");
  gz_digest_free(d);
#endif
}

int main(void) {
  test_dedupe();
  test_weeks();
  test_other_units();
  test_filters();
  test_accounting_invariant();
  TEST_MAIN_END();
}
