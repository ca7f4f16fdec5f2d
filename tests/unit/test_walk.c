/*
 * test_walk.c - the iterator over digest -> group -> article -> block:
 * exact event sequences on a small digest read through the public API,
 * slices, progress counted as articles are left, cancellation, and the
 * sticky error.
 */
#include <stdatomic.h>
#include <string.h>

#include "model/walk.h"
#include "read_digest.h"

static const char dump[] =
    "[{\"title\":\"Late\",\"date\":\"2020-12-08T09:00:00Z\",\"body\":\"<p>Tuesday</p>\"},"
    "{\"title\":\"Early\",\"date\":\"2020-12-07T08:00:00Z\","
    "\"body\":\"<h3>Head</h3><p>One</p><ul><li>item</li></ul><hr><pre>x  y</pre>\"},"
    "{\"title\":\"Noon\",\"date\":\"2020-12-07T12:00:00Z\",\"body\":\"\"}]";

static gz_digest *small(gz_options *o) { return read_digest("w.json", dump, strlen(dump), o); }

static const char *const type_names[] = {"p", "h", "li", "pre", "hr"};

/* The events of a walk as text: "+" enter, "-" exit, then the node. */
static gz_walk_ev trace(gz_walk *w, gz_error *err, char *out, size_t cap) {
  size_t n = 0;
  out[0] = '\0';
  gz_walk_ev ev;
  while ((ev = gz_walk_next(w, err)) > GZ_WALK_DONE) {
    const char *sign = ev == GZ_WALK_ENTER ? "+" : "-";
    switch (w->node) {
      case GZ_NODE_ROOT:
        n += (size_t)snprintf(out + n, cap - n, "%sroot ", sign);
        break;
      case GZ_NODE_GROUP:
        n += (size_t)snprintf(out + n, cap - n, "%sg[%s] ", sign, w->grp->label);
        break;
      case GZ_NODE_ARTICLE:
        n += (size_t)snprintf(out + n, cap - n, "%sa%zu[%s] ", sign, w->ordinal, w->article->title);
        break;
      case GZ_NODE_BLOCK:
        n += (size_t)snprintf(out + n, cap - n, "%s%s[%.*s] ", sign, type_names[w->blk->type],
                              (int)w->blk->len, w->blk->text ? w->blk->text : "");
        break;
    }
    if (n >= cap) break;
  }
  return ev;
}

static void test_events(void) {
  gz_digest *d = small(NULL);
  const gz_view *v = gz_digest_view(d);
  char got[1024];
  gz_walk w;
  /* groups and articles only */
  gz_walk_init(&w, v, v->groups, v->n_groups, 0);
  CHECK_INT(trace(&w, NULL, got, sizeof got), GZ_WALK_DONE);
  CHECK_STR(got,
            "+root +g[Mon 7 Dec 2020] +a1[Early] -a1[Early] +a2[Noon] -a2[Noon] "
            "-g[Mon 7 Dec 2020] +g[Tue 8 Dec 2020] +a3[Late] -a3[Late] -g[Tue 8 Dec 2020] "
            "-root ");
  /* after the end, DONE again */
  CHECK_INT(gz_walk_next(&w, NULL), GZ_WALK_DONE);
  gz_walk_free(&w);

  /* with blocks: leaves, entered only */
  gz_error err;
  gz_error_clear(&err);
  gz_walk_init(&w, v, v->groups, 1, GZ_WALK_BLOCKS);
  CHECK_INT(trace(&w, &err, got, sizeof got), GZ_WALK_DONE);
  CHECK_STR(got,
            "+root +g[Mon 7 Dec 2020] +a1[Early] +h[Head] +p[One] +li[item] +hr[] +pre[x  y] "
            "-a1[Early] +a2[Noon] -a2[Noon] -g[Mon 7 Dec 2020] -root ");
  gz_walk_free(&w);
  gz_digest_free(d);
}

static void test_slice_and_progress(void) {
  gz_digest *d = small(NULL);
  const gz_view *v = gz_digest_view(d);
  gz_progress p = {.opts = v->opts, .total = 3};
  atomic_init(&p.written, 0);
  pthread_mutex_init(&p.lock, NULL);
  char got[512];
  gz_error err;
  gz_walk w;
  gz_walk_init(&w, v, v->groups, 1, GZ_WALK_BODIES);
  gz_walk_slice(&w, 1, 5); /* past the end: to the end */
  w.progress = &p;
  CHECK_INT(trace(&w, &err, got, sizeof got), GZ_WALK_DONE);
  CHECK_STR(got, "+root +g[Mon 7 Dec 2020] +a1[Noon] -a1[Noon] -g[Mon 7 Dec 2020] -root ");
  CHECK_INT(atomic_load(&p.written), 1);
  gz_walk_free(&w);

  /* a body is there at the article's entry */
  gz_walk_init(&w, v, v->groups, 1, GZ_WALK_BODIES);
  gz_walk_slice(&w, 0, 1);
  w.progress = &p;
  size_t blocks = 99;
  gz_walk_ev ev;
  while ((ev = gz_walk_next(&w, &err)) > GZ_WALK_DONE)
    if (w.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER) blocks = w.body.n;
  CHECK_INT(ev, GZ_WALK_DONE);
  CHECK_INT(blocks, 5);
  CHECK_INT(atomic_load(&p.written), 2);
  gz_walk_free(&w);
  pthread_mutex_destroy(&p.lock);
  gz_digest_free(d);
}

static void test_cancel(void) {
  gz_options o;
  gz_options_init(&o);
  o.cancel = gz_cancel_new();
  gz_digest *d = small(&o);
  const gz_view *v = gz_digest_view(d);
  char got[512];
  gz_error err;
  gz_error_clear(&err);
  gz_walk w;
  gz_walk_init(&w, v, v->groups, v->n_groups, GZ_WALK_CANCEL);
  CHECK_INT(gz_walk_next(&w, &err), GZ_WALK_ENTER); /* root */
  CHECK_INT(gz_walk_next(&w, &err), GZ_WALK_ENTER); /* the first group */
  CHECK_INT(gz_walk_next(&w, &err), GZ_WALK_ENTER); /* its first article */
  gz_cancel_raise(o.cancel);
  CHECK_INT(gz_walk_next(&w, &err), GZ_WALK_EXIT);
  CHECK_INT(trace(&w, &err, got, sizeof got), GZ_WALK_ERROR);
  CHECK_STR(got, "");
  CHECK_INT(err.code, GZ_ERR_CANCELED);
  CHECK_STR(err.message, "interrupted");
  CHECK_INT(gz_walk_next(&w, &err), GZ_WALK_ERROR); /* and it stays so */
  gz_walk_free(&w);
  /* without GZ_WALK_CANCEL the same walk goes to the end */
  gz_walk_init(&w, v, v->groups, v->n_groups, 0);
  CHECK_INT(trace(&w, NULL, got, sizeof got), GZ_WALK_DONE);
  gz_walk_free(&w);
  gz_digest_free(d);
  gz_cancel_free(o.cancel);
}

static void test_group_article(void) {
  gz_digest *d = small(NULL);
  const gz_view *v = gz_digest_view(d);
  CHECK_STR(gz_group_article(v, &v->groups[1], 0)->title, "Late");
  CHECK_STR(gz_group_article(v, &v->groups[0], 1)->title, "Noon");
  gz_digest_free(d);
}

int main(void) {
  test_events();
  test_slice_and_progress();
  test_cancel();
  test_group_article();
  TEST_MAIN_END();
}
