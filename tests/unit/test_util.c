/*
 * test_util.c - the small helpers: UTF-8 repair, word counting, trimming,
 * links (safety and encoding, with IDNA hosts), hash sets, buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "testing.h"
#include "util/util.h"

static const char *clean(const char *s, size_t n) {
  static gz_buf b;
  gz_buf_free(&b);
  gz_buf_init(&b, NULL);
  gz_utf8_clean_append(&b, s, n);
  return gz_buf_cstr(&b);
}

static const char *uri(const char *s) {
  static gz_buf b;
  gz_buf_free(&b);
  gz_buf_init(&b, NULL);
  gz_uri_encode(&b, s, strlen(s));
  return gz_buf_cstr(&b);
}

static void test_utf8(void) {
  /* a cut never lands inside a sequence: "aé" is 'a', C3, A9 */
  CHECK_INT(gz_utf8_floor("a\xC3\xA9", 2), 1);
  CHECK_INT(gz_utf8_floor("a\xC3\xA9", 1), 1);
  CHECK_INT(gz_utf8_floor("a\xC3\xA9", 3), 3);
  CHECK_INT(gz_utf8_floor("\xE2\x80\xA6", 2), 0);
  CHECK_STR(clean("a\xff"
                  "b",
                  3),
            "a\xEF\xBF\xBD"
            "b");
  CHECK_STR(clean("tab\tnl\nbell\x07"
                  "del\x7f",
                  17),
            "tab\tnl\nbelldel");
  CHECK_STR(clean("\xC2\x85next", 6), "next"); /* C1 control dropped */
  CHECK_STR(clean("\xEF\xBF\xBEx", 4), "x");   /* U+FFFE dropped */
  CHECK_STR(clean("\xE0\x80\xAF", 3), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
  CHECK_STR(clean("\xED\xA0\x80", 3), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
  CHECK(gz_utf8_is_clean("plain ascii text here", 21));
  CHECK(gz_utf8_is_clean("Привет, мир", strlen("Привет, мир")));
  CHECK(!gz_utf8_is_clean("abcdefgh\x01", 9));
  CHECK(!gz_utf8_is_clean("abcdefghijklmno\x7f", 16));
  CHECK_INT(gz_ascii_printable_prefix("abcdefghijk\tl", 13), 11);
  CHECK_INT(gz_utf8_count("жёлтый", strlen("жёлтый")), 6);
  char out[4];
  CHECK_INT(gz_utf8_encode(0x10D0, out), 3);
  CHECK_INT(gz_lower_cp(0x130), 'i');
  CHECK_INT(gz_lower_cp(0x410), 0x430);
  CHECK_INT(gz_lower_cp(0x531), 0x561);
  CHECK_INT(gz_lower_cp(0x18F), 0x259);
}

static void test_words(void) {
  CHECK_INT(gz_count_words("", 0), 0);
  CHECK_INT(gz_count_words("one two  three", 14), 3);
  CHECK_INT(gz_count_words("a \xE2\x80\x93 b", 7), 2); /* a lone dash is no word */
  CHECK_INT(gz_count_words("U.S. 12:16 e-mail", 17), 3);
  const char *ru = "Мост открыли — наконец!";
  CHECK_INT(gz_count_words(ru, strlen(ru)), 3);
  const char *ka = "მთის გზებზე თოვლი";
  CHECK_INT(gz_count_words(ka, strlen(ka)), 3);
}

static void test_links(void) {
  const char *s;
  size_t n;
  CHECK(gz_safe_href("  https://example.com/x  ", 25, &s, &n) && n == 21);
  CHECK(gz_safe_href("MAILTO:a@b.example", 18, &s, &n));
  CHECK(!gz_safe_href("javascript:alert(1)", 19, &s, &n));
  CHECK(!gz_safe_href("java\tscript:alert(1)", 20, &s, &n));
  CHECK(!gz_safe_href("data:text/html,x", 16, &s, &n));
  CHECK(!gz_safe_href("https:/x", 8, &s, &n));
  CHECK(!gz_safe_href("/relative", 9, &s, &n));
  CHECK_STR(uri("https://e.example/a b|c{d}"), "https://e.example/a%20b%7Cc%7Bd%7D");
  CHECK_STR(uri("https://e.example/100%"), "https://e.example/100%25");
  CHECK_STR(uri("https://e.example/%41ok"), "https://e.example/%41ok");
  CHECK_STR(uri("https://e.example/p#one#two"), "https://e.example/p#one%23two");
  CHECK_STR(uri("https://e.example\\a\\b"), "https://e.example/a/b");
  CHECK_STR(uri("https://мост.рф/путь"), "https://xn--l1aeje.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C");
  CHECK_STR(uri("http://user@Bücher.example:8080/x"), "http://user@xn--bcher-kva.example:8080/x");
  CHECK_STR(uri("mailto:desk@e.example?subject=Hi there"),
            "mailto:desk@e.example?subject=Hi%20there");
}

static void test_text(void) {
  const char *s = " \xC2\xA0 hello\xE2\x80\x83 ";
  size_t n = strlen(s);
  gz_trim(&s, &n);
  CHECK_INT(n, 5);
  CHECK(gz_ascii_ieq("LaTeSt", 6, "latest"));
  CHECK(gz_ascii_digits("2020-12-07", 4));
  CHECK(!gz_ascii_digits("2020-12-07", 5));
  CHECK(!gz_ascii_digits("12/", 3));
  CHECK(gz_ascii_digits("", 0));
  CHECK_INT(gz_ascii_number("2020-12-07", 4), 2020);
  CHECK_INT(gz_ascii_number("0712", 2), 7);
  CHECK_INT(gz_ascii_number("999999999999999999", 18), 999999999999999999LL);
  CHECK_INT(gz_ascii_number("", 0), 0);
  CHECK(gz_has_ext("dump.JSON", ".json"));
  CHECK(!gz_has_ext(".json", ".json"));
  gz_buf b;
  gz_buf_init(&b, NULL);
  gz_buf_put_collapsed(&b, "  a \n\t b  ", 10);
  CHECK_STR(gz_buf_cstr(&b), "a b");
  gz_buf_clear(&b);
  gz_buf_put_count(&b, 1234567);
  CHECK_STR(gz_buf_cstr(&b), "1,234,567");
  gz_buf_free(&b);
  char small[5];
  gz_strlcpy(small, "abcд", sizeof small); /* 'д' does not fit whole */
  CHECK_STR(small, "abc");
}

/* Known answers of gz_hash64 and gz_hash_mix. The hash makes state file
 * keys, EPUB identifiers and duplicate keys, so a change to it must be a
 * deliberate one that updates these (and says so in the changelog).
 * tests/unit/hash_ref.py checks this same table against a second
 * implementation of the algorithm written in Python. */
static const struct {
  const char *in;
  uint64_t seed, want;
} hash64_vectors[] = {
    {"", 0, 0x0000000000000000ULL},
    {"", 1, 0xb456bcfc34c2cb2cULL},
    {"", 0x75726c, 0x08f94b7d2281ed5aULL},
    {"a", 0, 0x55831c136c16b407ULL},
    {"a", 1, 0x64c54cb7755628aaULL},
    {"a", 0x75726c, 0x515bc3e2a16452dbULL},
    {"abc", 0, 0xf92fc940da639155ULL},
    {"abc", 1, 0xf18d186d5c9df31cULL},
    {"abc", 0x75726c, 0x6975fe2b215c8d04ULL},
    {"abcdefg", 0, 0x71072c29fd686723ULL},
    {"abcdefg", 1, 0x9ac8295a506c7f91ULL},
    {"abcdefg", 0x75726c, 0x122aa55bf68f1009ULL},
    {"abcdefgh", 0, 0x476f0d99f0323482ULL},
    {"abcdefgh", 1, 0x21fc6b38bac5fba5ULL},
    {"abcdefgh", 0x75726c, 0x66a739894c3af13aULL},
    {"abcdefghi", 0, 0x573a1bcbc5197627ULL},
    {"abcdefghi", 1, 0x794d8fc0c3453f22ULL},
    {"abcdefghi", 0x75726c, 0xa89ccf0a5d33eb67ULL},
    {"Kestrel Line Extension Wins Backing", 0, 0x5be6800f7b7923b9ULL},
    {"Kestrel Line Extension Wins Backing", 1, 0x6977ace667becb4fULL},
    {"Kestrel Line Extension Wins Backing", 0x75726c, 0x5ed8b15e6ba8df51ULL},
    {"\xd0\x92\xd0\xb5\xd1\x81\xd1\x82\xd0\xb8 \xf0\x9f\x8c\x8a", 0, 0x61be2cdb29fee0feULL},
    {"\xd0\x92\xd0\xb5\xd1\x81\xd1\x82\xd0\xb8 \xf0\x9f\x8c\x8a", 1, 0x7500b6be074c0474ULL},
    {"\xd0\x92\xd0\xb5\xd1\x81\xd1\x82\xd0\xb8 \xf0\x9f\x8c\x8a", 0x75726c, 0xb0887a0804f1b44bULL},
};
static const struct {
  uint64_t a, b, want;
} hash_mix_vectors[] = {
    {0x0000000000000000ULL, 0x0000000000000000ULL, 0x9ca066f1a4ab2eeaULL},
    {0x0000000000000000ULL, 0x0000000000000001ULL, 0x9bf2f382ab1407c8ULL},
    {0x0000000000000000ULL, 0xffffffffffffffffULL, 0x3cd617bbbcc39640ULL},
    {0x0000000000000000ULL, 0x0123456789abcdefULL, 0x0ab0317d73fa479eULL},
    {0x0000000000000001ULL, 0x0000000000000000ULL, 0x25b775faeca8f520ULL},
    {0x0000000000000001ULL, 0x0000000000000001ULL, 0x3d558cc846c81e92ULL},
    {0x0000000000000001ULL, 0xffffffffffffffffULL, 0xd314d4f7bbe9a09eULL},
    {0x0000000000000001ULL, 0x0123456789abcdefULL, 0x653427aabc8b2886ULL},
    {0xffffffffffffffffULL, 0x0000000000000000ULL, 0x3cd617bbbcc39640ULL},
    {0xffffffffffffffffULL, 0x0000000000000001ULL, 0xc284245fa5401beeULL},
    {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x9ca066f1a4ab2eeaULL},
    {0xffffffffffffffffULL, 0x0123456789abcdefULL, 0x0e8f294c9f89a0ccULL},
    {0x0123456789abcdefULL, 0x0000000000000000ULL, 0x0a3f19cbbc4eb73dULL},
    {0x0123456789abcdefULL, 0x0000000000000001ULL, 0x2603e6b8aca1bdbbULL},
    {0x0123456789abcdefULL, 0xffffffffffffffffULL, 0x6c5ca810b01cb7b0ULL},
    {0x0123456789abcdefULL, 0x0123456789abcdefULL, 0x004bd23b494ebd2fULL},
};

static void test_hash_vectors(void) {
  for (size_t i = 0; i < sizeof hash64_vectors / sizeof *hash64_vectors; i++) {
    const char *in = hash64_vectors[i].in;
    CHECK_U64(gz_hash64(in, strlen(in), hash64_vectors[i].seed), hash64_vectors[i].want);
  }
  for (size_t i = 0; i < sizeof hash_mix_vectors / sizeof *hash_mix_vectors; i++)
    CHECK_U64(gz_hash_mix(hash_mix_vectors[i].a, hash_mix_vectors[i].b), hash_mix_vectors[i].want);
}

static void test_sets(void) {
  gz_set64 set;
  gz_set64_init(&set, NULL);
  for (uint64_t i = 0; i < 10000; i++) CHECK_INT(gz_set64_add(&set, i * 7919), 1);
  CHECK_INT(gz_set64_add(&set, 0), 0); /* 0 was added as 0 * 7919 */
  CHECK(gz_set64_has(&set, 7919 * 9999));
  CHECK(!gz_set64_has(&set, 5));
  gz_set64_free(&set);
  gz_count64 m;
  gz_count64_init(&m, NULL);
  for (uint64_t i = 0; i < 5000; i++) gz_count64_add(&m, i % 100 + 1, 1);
  CHECK_INT(gz_count64_get(&m, 1), 50);
  CHECK_INT(gz_count64_get(&m, 101), 0);
  gz_count64_free(&m);
}

/* gz_uri_encode on s[0..n) only, with its return code. */
static int uri_n(const char *s, size_t n, const char **out) {
  static gz_buf b;
  gz_buf_free(&b);
  gz_buf_init(&b, NULL);
  int rc = gz_uri_encode(&b, s, n);
  *out = gz_buf_cstr(&b);
  return rc;
}

/* Hosts go through libidn2 (UTS #46 mapping, NFC, Punycode); a host it
 * rejects makes no link. */
static void test_idna_hosts(void) {
  const char *u;
  CHECK_INT(uri_n("https://Bücher.example/x", 25, &u), 0);
  CHECK_STR(u, "https://xn--bcher-kva.example/x");
  /* the ideographic full stop is a dot */
  CHECK_STR(uri("https://bücher。example/x"), "https://xn--bcher-kva.example/x");
  /* decomposed u + U+0308 is normalised (NFC) first */
  CHECK_STR(uri("https://bu\xCC\x88"
                "cher.example/"),
            "https://xn--bcher-kva.example/");
  /* upper-case Cyrillic and Greek map to lower case */
  CHECK_STR(uri("https://МОСТ.РФ/"), "https://xn--l1aeje.xn--p1ai/");
  CHECK_STR(uri("http://ΑΘΗΝΑ.example:81/?q"), "http://xn--mxaard0a.example:81/?q");
  /* a label over 63 bytes once encoded: no link at all, not a partial one */
  char longhost[256] = "https://";
  for (int i = 0; i < 70; i++) strcat(longhost, "ü");
  strcat(longhost, ".example/");
  CHECK_INT(uri_n(longhost, strlen(longhost), &u), -1);
  const char *s;
  size_t n;
  CHECK(!gz_safe_href(longhost, strlen(longhost), &s, &n));
  CHECK(
      !gz_safe_href("https://a\xE2\x80\xAE"
                    "b.example/",
                    21, &s, &n));
  CHECK(gz_safe_href("https://bücher.example/", 24, &s, &n));
  CHECK_INT(n, 24);
  /* ASCII hosts are kept as written */
  CHECK_STR(uri("https://Under_Score.example/"), "https://Under_Score.example/");
}

/* A link is a slice of a body's text: nothing past its end is read. */
static void test_uri_slice(void) {
  const char *u;
  const char *whole = "https://evil.example/";
  CHECK_INT(uri_n(whole, 6, &u), 0);
  CHECK_STR(u, "https:");
  /* exact-size heap copies: ASan reports any read past the end */
  const char *cases[] = {"http:", "https://a.example/p", "mailto:x@y", "ab"};
  const char *want[] = {"http:", "https://a.example/p", "mailto:x@y", "ab"};
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) {
    size_t len = strlen(cases[i]);
    char *p = malloc(len);
    memcpy(p, cases[i], len);
    CHECK_INT(uri_n(p, len, &u), 0);
    CHECK_STR(u, want[i]);
    const char *s;
    size_t n;
    CHECK_INT(gz_safe_href(p, len, &s, &n), i == 1 || i == 2);
    free(p);
  }
}

int main(void) {
  test_utf8();
  test_words();
  test_links();
  test_text();
  test_sets();
  test_idna_hosts();
  test_uri_slice();
  test_hash_vectors();
  TEST_MAIN_END();
}
