/*
 * test_iter.c - the public iterator of gazette.h, through the public API
 * only: the exact events and what each one shows, a digest not finished,
 * and two walks of one digest at once.
 */
#include <stdio.h>
#include <string.h>

#include "gazette/gazette.h"
#include "testing.h"

static const char dump[] =
    "[{\"title\":\"Late\",\"date\":\"2020-12-08T09:00:00Z\",\"url\":\"https://a.example/1\","
    "\"author\":\"Ann\",\"tags\":[\"x\",\"y\"],\"body\":\"<p>one two three</p>\"},"
    "{\"title\":\"Early\",\"date\":\"2020-12-07T08:00:00Z\",\"body\":\"<p>a b</p>\"},"
    "{\"title\":\"Loose\",\"body\":\"<p>no date</p>\"}]";

static gz_digest *make(int finish) {
  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  CHECK_INT(gz_digest_add_memory(d, "i.json", dump, strlen(dump), &err), 0);
  if (finish) CHECK_INT(gz_digest_finish(d, &err), 0);
  return d;
}

static void test_events(void) {
  gz_digest *d = make(1);
  gz_error err;
  gz_iter *it = gz_iter_new(d, &err);
  CHECK(it != NULL);
  if (!it) return;
  char got[1024] = "";
  size_t n = 0;
  gz_event ev;
  while ((ev = gz_iter_next(it)) > GZ_EVENT_DONE) {
    const char *sign = ev == GZ_EVENT_ENTER ? "+" : "-";
    const gz_group_info *g = gz_iter_group(it);
    const gz_article_info *a = gz_iter_article(it);
    switch (gz_iter_at(it)) {
      case GZ_ITER_DIGEST:
        CHECK(g == NULL);
        CHECK(a == NULL);
        n += (size_t)snprintf(got + n, sizeof got - n, "%sdigest ", sign);
        break;
      case GZ_ITER_GROUP:
        CHECK(a == NULL);
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%zu[%s|%s|%s|%zu] ", sign, g->index,
                              g->short_label, g->start, g->end, g->n_articles);
        break;
      case GZ_ITER_ARTICLE:
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%s(%zu) ", sign, a->title, g->index);
        break;
    }
  }
  CHECK_STR(got,
            "+digest +0[7 Dec|2020-12-07|2020-12-07|1] +Early(0) -Early(0) "
            "-0[7 Dec|2020-12-07|2020-12-07|1] +1[8 Dec|2020-12-08|2020-12-08|1] +Late(1) "
            "-Late(1) -1[8 Dec|2020-12-08|2020-12-08|1] +2[Undated|||1] +Loose(2) -Loose(2) "
            "-2[Undated|||1] -digest ");
  CHECK_INT(gz_iter_next(it), GZ_EVENT_DONE);
  CHECK_INT(gz_iter_next(it), GZ_EVENT_DONE);
  gz_iter_free(it);
  gz_digest_free(d);
}

static void test_article_info(void) {
  gz_digest *d = make(1);
  gz_error err;
  gz_iter *it = gz_iter_new(d, &err);
  const gz_article_info *late = NULL;
  gz_event ev;
  while ((ev = gz_iter_next(it)) > GZ_EVENT_DONE)
    if (ev == GZ_EVENT_ENTER && gz_iter_at(it) == GZ_ITER_ARTICLE &&
        strcmp(gz_iter_article(it)->title, "Late") == 0)
      break;
  late = gz_iter_article(it);
  CHECK(late != NULL);
  if (late) {
    CHECK_STR(late->url, "https://a.example/1");
    CHECK_INT(late->n_authors, 1);
    CHECK_STR(late->authors[0], "Ann");
    CHECK_INT(late->n_tags, 2);
    CHECK_STR(late->tags[1], "y");
    CHECK_INT(late->dated, 1);
    CHECK_INT(late->time, 1607418000);
    CHECK_STR(late->file, "i.json");
    CHECK_INT(late->line, 1);
    CHECK_INT(late->words, 3);
  }
  gz_iter_free(it);
  gz_digest_free(d);
}

static void test_not_finished(void) {
  gz_digest *d = make(0);
  gz_error err;
  CHECK(gz_iter_new(d, &err) == NULL);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  CHECK_STR(err.message, "gz_digest_finish() must come first");
  gz_iter_free(NULL);
  gz_digest_free(d);
}

static void test_two_walks(void) {
  gz_digest *d = make(1);
  gz_error err;
  gz_iter *a = gz_iter_new(d, &err), *b = gz_iter_new(d, &err);
  static const char *const order[] = {"Early", "Late", "Loose"};
  size_t na = 0, nb = 0;
  gz_event ev;
  while ((ev = gz_iter_next(a)) > GZ_EVENT_DONE) {
    if (ev != GZ_EVENT_ENTER || gz_iter_at(a) != GZ_ITER_ARTICLE) continue;
    if (na < 3) CHECK_STR(gz_iter_article(a)->title, order[na]);
    /* a whole walk of b in the middle of a's leaves a where it was */
    if (++na == 2)
      while ((ev = gz_iter_next(b)) > GZ_EVENT_DONE)
        nb += ev == GZ_EVENT_ENTER && gz_iter_at(b) == GZ_ITER_ARTICLE;
    if (na == 2) CHECK_STR(gz_iter_article(a)->title, "Late");
  }
  CHECK_INT(na, 3);
  CHECK_INT(nb, 3);
  gz_iter_free(a);
  gz_iter_free(b);
  gz_digest_free(d);
}

int main(void) {
  test_events();
  test_article_info();
  test_not_finished();
  test_two_walks();
  TEST_MAIN_END();
}
