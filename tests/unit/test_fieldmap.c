/*
 * test_fieldmap.c - the dotted paths of --field and of the JSON shapes
 * (src/util/fieldmap.c): the steps of each form, the malformed ones,
 * keys that point into the path, a path given by length, fewer slots
 * than steps; and a --field mapping's steps pointing into its own copy.
 */
#include "testing.h"
#include "util/fieldmap.h"

typedef struct want_step {
  const char *key; /* NULL: an element */
  long index;
} want_step;

typedef struct dotted_case {
  const char *path;
  long n; /* -1: malformed */
  want_step steps[6];
} dotted_case;

static const dotted_case cases[] = {
    {"a", 1, {{"a", -1}}},
    {"headline.main", 2, {{"headline", -1}, {"main", -1}}},
    {"links[0].href", 3, {{"links", -1}, {NULL, 0}, {"href", -1}}},
    {"data.children[].data", 4, {{"data", -1}, {"children", -1}, {NULL, -2}, {"data", -1}}},
    {"_embedded.wp:term[][].name",
     5,
     {{"_embedded", -1}, {"wp:term", -1}, {NULL, -2}, {NULL, -2}, {"name", -1}}},
    {"[]", 1, {{NULL, -2}}},
    {"[3][]", 2, {{NULL, 3}, {NULL, -2}}},
    {"a[123456789]", 2, {{"a", -1}, {NULL, 123456789}}},
    {"", 0, {{NULL, 0}}},
    {"a..b", -1, {{NULL, 0}}},
    {"a.", -1, {{NULL, 0}}},
    {".a", -1, {{NULL, 0}}},
    {"a.[0]", -1, {{NULL, 0}}},
    {"a.[]", -1, {{NULL, 0}}},
    {"a[x]", -1, {{NULL, 0}}},
    {"a[", -1, {{NULL, 0}}},
    {"a[1", -1, {{NULL, 0}}},
    {"a]b", -1, {{NULL, 0}}},
    {"a[0]b", -1, {{NULL, 0}}},
    {"a[]b", -1, {{NULL, 0}}},
    {"[0].", -1, {{NULL, 0}}},
    {"a[1234567890]", -1, {{NULL, 0}}},
};

static void test_dotted(void) {
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) {
    const dotted_case *c = &cases[i];
    gz_path_step s[8];
    long n = gz_path_dotted(c->path, strlen(c->path), s, 8);
    if (n != c->n) fprintf(stderr, "path \"%s\":\n", c->path);
    CHECK_INT(n, c->n);
    for (long k = 0; n == c->n && k < n; k++) {
      const want_step *w = &c->steps[k];
      if (!w->key) {
        CHECK(s[k].key == NULL);
        CHECK_INT(s[k].len, 0);
      } else {
        /* the key is the path's own bytes, not a copy */
        CHECK(s[k].key >= c->path && s[k].key + s[k].len <= c->path + strlen(c->path));
        CHECK_INT(s[k].len, strlen(w->key));
        CHECK(s[k].key && memcmp(s[k].key, w->key, strlen(w->key)) == 0);
      }
      CHECK_INT(s[k].index, w->index);
    }
  }
}

static void test_bounds(void) {
  /* a path inside a longer string: "a.b|c.d" as the shapes write them */
  const char *alts = "a.b|c.d";
  gz_path_step s[4];
  CHECK_INT(gz_path_dotted(alts, 3, s, 4), 2);
  CHECK(s[1].key == alts + 2);
  CHECK_INT(s[1].len, 1);
  CHECK_INT(gz_path_dotted(alts + 4, 3, s, 4), 2);
  CHECK(s[0].key == alts + 4);

  /* fewer slots than steps: the count of all, only the first written */
  gz_path_step few[3];
  few[2] = (gz_path_step){"untouched", 9, 7};
  CHECK_INT(gz_path_dotted("a.b.c.d", 7, few, 2), 4);
  CHECK(few[1].key && few[1].len == 1 && few[1].key[0] == 'b');
  CHECK_STR(few[2].key, "untouched");
  CHECK_INT(few[2].index, 7);
  CHECK_INT(gz_path_dotted("a.b.c.d", 7, NULL, 0), 4);
  CHECK_INT(gz_path_dotted("a..d", 4, NULL, 0), -1);
}

static void test_field_map(void) {
  gz_arena arena;
  gz_arena_init(&arena, NULL);
  char spec[] = "author=who[].n";
  gz_field_map m;
  char msg[256] = "";
  CHECK_INT(gz_field_map_parse(spec, &arena, &m, msg, sizeof msg), 0);
  CHECK_INT(m.name, GZ_MAP_AUTHOR);
  CHECK_STR(m.path, "who[].n");
  CHECK_INT(m.n_steps, 3);
  /* the keys live in the mapping's copy of PATH, not in the caller's */
  spec[7] = 'X';
  CHECK(m.steps[0].key == m.path);
  CHECK_INT(m.steps[0].len, 3);
  CHECK_INT(m.steps[1].index, -2);
  CHECK(m.steps[2].key == m.path + 6);
  CHECK_STR(msg, "");

  CHECK_INT(gz_field_map_parse("title=links[x]", &arena, &m, msg, sizeof msg), -1);
  CHECK_STR(msg,
            "--field title=links[x]: PATH is not a dotted path (headline.main, links[0].href) or "
            "a JSON Pointer (/headline/main)");
  gz_arena_clear(&arena);
}

int main(void) {
  test_dotted();
  test_bounds();
  test_field_map();
  TEST_MAIN_END();
}
