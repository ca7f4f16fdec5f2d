/*
 * test_plan.c - the plan of a digest (--list) as text and as JSON, on a
 * small digest read through the public API: exact bytes, the empty
 * arrays written "[]", and a write callback that fails.
 */
#include <stdlib.h>
#include <string.h>

#include "read_digest.h"

static const char dump[] =
    "[{\"title\":\"Late\",\"date\":\"2020-12-08T09:00:00Z\",\"url\":\"https://a.example/1\","
    "\"author\":\"Ann\",\"body\":\"<p>Tuesday [sic]</p>\"},"
    "{\"title\":\"Early\",\"date\":\"2020-12-07T08:00:00Z\",\"tags\":[\"x\",\"y\"],"
    "\"body\":\"<p>one two</p>\"},"
    "{\"title\":\"Early\",\"date\":\"2020-12-07T09:00:00Z\",\"body\":\"<p>copy</p>\"}]";

typedef struct sink {
  char buf[8192];
  size_t len;
  int fail_after; /* calls that succeed before one fails; -1 never */
} sink;

static int collect(const void *s, size_t n, void *user) {
  sink *k = user;
  if (k->fail_after == 0) return -1;
  if (k->fail_after > 0) k->fail_after--;
  if (k->len + n >= sizeof k->buf) return -1;
  memcpy(k->buf + k->len, s, n);
  k->len += n;
  k->buf[k->len] = '\0';
  return 0;
}

static void test_text(void) {
  gz_digest *d = read_digest("p.json", dump, strlen(dump), NULL);
  sink k = {.fail_after = -1};
  gz_error err;
  CHECK_INT(gz_digest_write_plan(d, 0, collect, &k, &err), 0);
  CHECK_STR(k.buf,
            "Mon 7 Dec 2020 (1 article)\n"
            "  2020-12-07T08:00:00+00:00  Early  [p.json:1]\n"
            "\n"
            "Tue 8 Dec 2020 (1 article)\n"
            "  2020-12-08T09:00:00+00:00  Late  [p.json:1]\n"
            "\n"
            "2 articles in 2 groups (read 3, 1 duplicates, 0 filtered, 0 skipped)\n");
  gz_digest_free(d);
}

static void test_json(void) {
  gz_digest *d = read_digest("p.json", dump, strlen(dump), NULL);
  sink k = {.fail_after = -1};
  gz_error err;
  CHECK_INT(gz_digest_write_plan(d, 1, collect, &k, &err), 0);
  CHECK_STR(k.buf,
            "{\n"
            "  \"inputs\": [\n"
            "    {\n"
            "      \"file\": \"p.json\",\n"
            "      \"format\": \"json\",\n"
            "      \"shape\": \"generic\"\n"
            "    }\n"
            "  ],\n"
            "  \"groups\": [\n"
            "    {\n"
            "      \"label\": \"Mon 7 Dec 2020\",\n"
            "      \"start\": \"2020-12-07\",\n"
            "      \"end\": \"2020-12-07\",\n"
            "      \"articles\": [\n"
            "        {\n"
            "          \"title\": \"Early\",\n"
            "          \"date\": \"2020-12-07T08:00:00+00:00\",\n"
            "          \"authors\": [],\n"
            "          \"url\": null,\n"
            "          \"tags\": [\n"
            "            \"x\",\n"
            "            \"y\"\n"
            "          ],\n"
            "          \"standfirst\": null,\n"
            "          \"image\": null,\n"
            "          \"captured\": null,\n"
            "          \"source\": \"p.json:1\",\n"
            "          \"words\": 2,\n"
            "          \"teaser\": false,\n"
            "          \"lang\": \"en\"\n"
            "        }\n"
            "      ]\n"
            "    },\n"
            "    {\n"
            "      \"label\": \"Tue 8 Dec 2020\",\n"
            "      \"start\": \"2020-12-08\",\n"
            "      \"end\": \"2020-12-08\",\n"
            "      \"articles\": [\n"
            "        {\n"
            "          \"title\": \"Late\",\n"
            "          \"date\": \"2020-12-08T09:00:00+00:00\",\n"
            "          \"authors\": [\n"
            "            \"Ann\"\n"
            "          ],\n"
            "          \"url\": \"https://a.example/1\",\n"
            "          \"tags\": [],\n"
            "          \"standfirst\": null,\n"
            "          \"image\": null,\n"
            "          \"captured\": null,\n"
            "          \"source\": \"p.json:1\",\n"
            "          \"words\": 2,\n"
            "          \"teaser\": false,\n"
            "          \"lang\": \"en\"\n"
            "        }\n"
            "      ]\n"
            "    }\n"
            "  ],\n"
            "  \"counts\": {\n"
            "    \"read\": 3,\n"
            "    \"written\": 2,\n"
            "    \"duplicates\": 1,\n"
            "    \"filtered\": 0,\n"
            "    \"skipped\": 0,\n"
            "    \"groups\": 2,\n"
            "    \"inputs_skipped\": 0\n"
            "  },\n"
            "  \"warnings\": []\n"
            "}\n"
            "\n");
  gz_digest_free(d);
}

static void test_failures(void) {
  gz_error err;
  gz_options o;
  gz_options_init(&o);
  gz_digest *d = gz_digest_new(&o, &err);
  sink k = {.fail_after = -1};
  CHECK_INT(gz_digest_write_plan(d, 0, collect, &k, &err), -1);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  CHECK_STR(err.message, "gz_digest_finish() must come first");
  gz_digest_free(d);
  d = read_digest("p.json", dump, strlen(dump), NULL);
  k.fail_after = 0;
  CHECK_INT(gz_digest_write_plan(d, 1, collect, &k, &err), -1);
  CHECK_INT(err.code, GZ_ERR_OUTPUT);
  CHECK_STR(err.message, "cannot write the plan");
  gz_digest_free(d);
}

int main(void) {
  test_text();
  test_json();
  test_failures();
  TEST_MAIN_END();
}
