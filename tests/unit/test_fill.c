/*
 * test_fill.c - how the read stage and grouping fill the digest
 * (src/model/fill.c): the setup, articles added and changed in place,
 * chrome keys, the read state and its free hook, groups handed over, the
 * finished flag.
 */
#include <string.h>

#include "model/core.h" /* the test checks the functions against the digest */
#include "testing.h"

static void test_setup(void) {
  gz_options o;
  gz_options_init(&o);
  o.tz = "Europe/Paris";
  o.since = "2020-12-07";
  o.max_line = 77;
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  const gz_setup *set = gz_digest_setup(d);
  CHECK(set->al == gz_default_allocator());
  CHECK(set->opts == &d->opts);
  CHECK_INT(set->opts->max_line, 77);
  CHECK_STR(set->opts->tz, "Europe/Paris");
  CHECK(set->tz == d->tz);
  CHECK(set->utc == d->utc);
  CHECK(set->tz != set->utc);
  CHECK(set->has_since);
  CHECK(!set->has_until);
  CHECK_INT(set->since_day, gz_days_from_civil(2020, 12, 7));
  gz_digest_free(d);
}

static int freed;
static struct gz_read_state *freed_state;

static void free_state(gz_digest *d) {
  freed++;
  freed_state = gz_digest_read_state(d);
}

static void test_fill(void) {
  gz_error err;
  gz_digest *d = gz_digest_new(NULL, &err);
  CHECK(d != NULL);

  size_t n = 99;
  CHECK(gz_digest_articles(d, &n) == NULL);
  CHECK_INT(n, 0);
  for (uint32_t i = 0; i < 40; i++) {
    gz_article a = {.order = i, .words = 10 * i};
    CHECK_INT(gz_digest_article_add(d, &a), 0);
  }
  gz_article *arts = gz_digest_articles(d, &n);
  CHECK_INT(n, 40);
  CHECK(arts == d->articles);
  CHECK_INT(arts[39].order, 39);
  CHECK_INT(arts[17].words, 170);
  arts[3].status = GZ_ART_DUPLICATE;
  CHECK_INT(gz_digest_view(d)->articles[3].status, GZ_ART_DUPLICATE);

  CHECK_INT(gz_digest_chrome_add(d, 0x1234), 0);
  CHECK(gz_set64_has(&d->chrome, 0x1234));
  CHECK(!gz_set64_has(&d->chrome, 0x1235));

  gz_group *groups = gz_malloc(gz_digest_setup(d)->al, 2 * sizeof *groups);
  CHECK(groups != NULL);
  memset(groups, 0, 2 * sizeof *groups);
  groups[1].items = gz_malloc(gz_digest_setup(d)->al, sizeof *groups[1].items);
  CHECK(groups[1].items != NULL);
  groups[1].items[0] = 7;
  groups[1].n_items = 1;
  gz_digest_set_groups(d, groups, 2);
  CHECK_INT(gz_digest_view(d)->n_groups, 2);
  CHECK_INT(gz_digest_view(d)->groups[1].items[0], 7);

  CHECK(!gz_digest_finished(d));
  CHECK(!gz_digest_view(d)->finished);
  gz_digest_mark_finished(d);
  CHECK(gz_digest_finished(d));
  CHECK(gz_digest_view(d)->finished);

  /* the digest hands its read state to the hook when freed; the groups
   * are its own to free (LeakSanitizer sees them go) */
  static int marker;
  CHECK(gz_digest_read_state(d) == NULL);
  gz_digest_set_read_state(d, (struct gz_read_state *)(void *)&marker, free_state);
  CHECK(gz_digest_read_state(d) == (struct gz_read_state *)(void *)&marker);
  gz_digest_free(d);
  CHECK_INT(freed, 1);
  CHECK(freed_state == (struct gz_read_state *)(void *)&marker);
}

int main(void) {
  test_setup();
  test_fill();
  TEST_MAIN_END();
}
