/*
 * test_image_source.c - where image bytes may come from (src/image/
 * source.c): files inside the input's folder tree by relative, absolute
 * and file: spellings; `../` escapes, absolute paths elsewhere and
 * symlinks out refused without reading the outside file; data: URIs good
 * and malformed; other schemes refused; remote addresses left alone
 * without fetch; and the address rule of fetch.c on every range.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image.h"
#include "image/imgint.h"
#include "testing.h"

static char base[PATH_MAX];

static void put(const char *rel, const char *text) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", base, rel);
  FILE *f = fopen(p, "wb");
  if (!f) exit(2);
  fputs(text, f);
  fclose(f);
}

static void sub(char *out, size_t n, const char *rel) { snprintf(out, n, "%s/%s", base, rel); }

typedef struct want {
  const char *src;
  gz_img_status st;
  const char *bytes; /* for OK */
  const char *why;   /* exact sentence, or NULL */
} want;

static bool has_secret(const unsigned char *b, size_t n) {
  for (size_t i = 0; b && i + 9 <= n; i++)
    if (memcmp(b + i, "TOPSECRET", 9) == 0) return true;
  return false;
}

static void run(gz_img_loader *l, const char *input, const want *w) {
  unsigned char *b = NULL;
  size_t n = 0;
  char why[512] = "";
  gz_img_status st = gz_img_load(l, w->src, input, &b, &n, why, sizeof why);
  if ((int)st != (int)w->st) fprintf(stderr, "source %s: %s\n", w->src, why);
  CHECK_INT(st, w->st);
  if (w->st == GZ_IMGSRC_OK) {
    CHECK_INT(n, strlen(w->bytes));
    CHECK(b && memcmp(b, w->bytes, n) == 0);
  } else {
    CHECK(b == NULL);
    CHECK_INT(n, 0);
  }
  /* the outside file is never handed back, whatever the spelling */
  CHECK(!has_secret(b, n));
  if (w->why) CHECK_STR(why, w->why);
  free(b);
}

static void test_local(void) {
  snprintf(base, sizeof base, "/tmp/gz_img_src_XXXXXX");
  if (!mkdtemp(base)) exit(2);
  char p[PATH_MAX + 64], q[PATH_MAX + 64];
  sub(p, sizeof p, "in");
  mkdir(p, 0755);
  sub(p, sizeof p, "in/pics");
  mkdir(p, 0755);
  put("secret.txt", "TOPSECRET");
  put("in/input.json", "[]");
  put("in/pics/a.png", "PICTURE-A");
  put("in/my pic.png", "PICTURE-SPACE");
  sub(p, sizeof p, "in/link_out");
  CHECK_INT(symlink("../secret.txt", p), 0);
  sub(p, sizeof p, "in/abs_link_out");
  sub(q, sizeof q, "secret.txt");
  CHECK_INT(symlink(q, p), 0);
  sub(p, sizeof p, "in/pics/dir_out");
  CHECK_INT(symlink("../..", p), 0);
  sub(p, sizeof p, "in/link_in");
  CHECK_INT(symlink("pics/a.png", p), 0);

  char input[PATH_MAX + 64], abs_in[PATH_MAX + 64], abs_out[PATH_MAX + 64];
  char file_in[PATH_MAX + 80], file_out[PATH_MAX + 80];
  sub(input, sizeof input, "in/input.json");
  sub(abs_in, sizeof abs_in, "in/pics/a.png");
  sub(abs_out, sizeof abs_out, "secret.txt");
  snprintf(file_in, sizeof file_in, "file://%s", abs_in);
  snprintf(file_out, sizeof file_out, "file://localhost%s", abs_out);

  gz_img_loader_opts o = {.max_bytes = 64};
  gz_img_loader *l = gz_img_loader_new(NULL, &o);
  const want cases[] = {
      {"pics/a.png", GZ_IMGSRC_OK, "PICTURE-A", ""},
      {"./pics/../pics/a.png", GZ_IMGSRC_OK, "PICTURE-A", NULL},
      {abs_in, GZ_IMGSRC_OK, "PICTURE-A", NULL},
      {file_in, GZ_IMGSRC_OK, "PICTURE-A", NULL},
      {"link_in", GZ_IMGSRC_OK, "PICTURE-A", NULL},
      {"my%20pic.png", GZ_IMGSRC_OK, "PICTURE-SPACE", NULL},
      {"my pic.png", GZ_IMGSRC_OK, "PICTURE-SPACE", NULL},
      {"../secret.txt", GZ_IMGSRC_REFUSED, NULL, NULL},
      {"pics/../../secret.txt", GZ_IMGSRC_REFUSED, NULL, NULL},
      {"..%2Fsecret.txt", GZ_IMGSRC_REFUSED, NULL, NULL},
      {abs_out, GZ_IMGSRC_REFUSED, NULL, NULL},
      {file_out, GZ_IMGSRC_REFUSED, NULL, NULL},
      {"/etc/passwd", GZ_IMGSRC_REFUSED, NULL, "/etc/passwd is outside the input's folder"},
      {"file:///etc/passwd", GZ_IMGSRC_REFUSED, NULL, NULL},
      {"link_out", GZ_IMGSRC_REFUSED, NULL, NULL},
      {"abs_link_out", GZ_IMGSRC_REFUSED, NULL, NULL},
      {"pics/dir_out/secret.txt", GZ_IMGSRC_REFUSED, NULL, NULL},
      {"pics", GZ_IMGSRC_REFUSED, NULL, NULL},
      {".", GZ_IMGSRC_REFUSED, NULL, NULL},
      {"missing.png", GZ_IMGSRC_FAILED, NULL, NULL},
      {"file://elsewhere/etc/passwd", GZ_IMGSRC_REFUSED, NULL, "a file URL naming another host"},
      {"ftp://example.com/a.png", GZ_IMGSRC_REFUSED, NULL, "ftp: addresses are not read"},
      {"javascript:alert(1)", GZ_IMGSRC_REFUSED, NULL, "javascript: addresses are not read"},
      {"http://example.com/a.jpg", GZ_IMGSRC_REMOTE_SKIPPED, NULL, "a remote image"},
      {"HTTPS://example.com/a.jpg", GZ_IMGSRC_REMOTE_SKIPPED, NULL, "a remote image"},
      {"//example.com/a.jpg", GZ_IMGSRC_REMOTE_SKIPPED, NULL, "a remote image"},
      {"data:image/png;base64,UElDVFVSRS1B", GZ_IMGSRC_OK, "PICTURE-A", NULL},
      {"data:;BASE64,UElD VFVS\nRS1C", GZ_IMGSRC_OK, "PICTURE-B", NULL},
      {"data:image/png;base64,UElDVA==", GZ_IMGSRC_OK, "PICT", NULL},
      {"data:image/svg+xml,%3Csvg%3E%3C/svg%3E", GZ_IMGSRC_OK, "<svg></svg>", NULL},
      {"data:image/png;base64,@@@@", GZ_IMGSRC_FAILED, NULL, "a malformed data: URI"},
      {"data:image/png;base64,UElDVA==UE", GZ_IMGSRC_FAILED, NULL, "a malformed data: URI"},
      {"data:image/png;base64,U", GZ_IMGSRC_FAILED, NULL, "a malformed data: URI"},
      {"data:text/plain,%zz", GZ_IMGSRC_FAILED, NULL, "a malformed data: URI"},
      {"data:text/plain,%4", GZ_IMGSRC_FAILED, NULL, "a malformed data: URI"},
      {"data:image/png;base64", GZ_IMGSRC_FAILED, NULL, "a data: URI without a comma"},
      {"data:image/png;base64,", GZ_IMGSRC_FAILED, NULL, "an empty data: URI"},
      {"data:,0123456789012345678901234567890123456789012345678901234567890123456789",
       GZ_IMGSRC_REFUSED, NULL, "a data: URI over the size limit"},
      {"", GZ_IMGSRC_FAILED, NULL, "an empty image source"},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) run(l, input, &cases[i]);
  /* a local file over the size limit */
  put("in/big.bin", "0123456789012345678901234567890123456789012345678901234567890123456789");
  want big = {"big.bin", GZ_IMGSRC_REFUSED, NULL, NULL};
  run(l, input, &big);
  /* no input file (standard input): no local files at all */
  want none = {"pics/a.png", GZ_IMGSRC_REFUSED, NULL, "a local image without an input folder"};
  run(l, NULL, &none);
  CHECK_INT(gz_img_loader_requests(l), 0);
  gz_img_loader_free(l);

  char cmd[PATH_MAX + 32];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  CHECK_INT(system(cmd), 0);
}

static void test_addresses(void) {
  static const struct {
    const char *ip;
    bool pub;
  } cases[] = {
      {"8.8.8.8", true},
      {"93.184.216.34", true},
      {"127.0.0.1", false},
      {"127.0.0.2", false},
      {"10.1.2.3", false},
      {"172.16.0.1", false},
      {"172.31.255.255", false},
      {"172.32.0.1", true},
      {"192.168.1.1", false},
      {"169.254.169.254", false},
      {"100.64.0.1", false},
      {"100.127.255.255", false},
      {"100.128.0.1", true},
      {"0.1.2.3", false},
      {"224.0.0.1", false},
      {"239.255.255.250", false},
      {"240.0.0.1", false},
      {"255.255.255.255", false},
      {"198.18.0.1", false},
      {"192.0.2.1", false},
      {"::1", false},
      {"::", false},
      {"fc00::1", false},
      {"fd12:3456::1", false},
      {"fe80::1", false},
      {"fec0::1", false},
      {"ff02::1", false},
      {"::ffff:127.0.0.1", false},
      {"::ffff:169.254.169.254", false},
      {"::ffff:8.8.8.8", true},
      {"::127.0.0.1", false},
      {"2001:4860:4860::8888", true},
      {"2001:db8::1", false},
      {"64:ff9b::a00:1", false},
      {"64:ff9b::808:808", true},
      {"2002:c0a8:101::1", false},
      {"2a00:1450:4001::1", true},
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(cases); i++) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (strchr(cases[i].ip, ':')) {
      struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
      s6->sin6_family = AF_INET6;
      CHECK_INT(inet_pton(AF_INET6, cases[i].ip, &s6->sin6_addr), 1);
    } else {
      struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
      s4->sin_family = AF_INET;
      CHECK_INT(inet_pton(AF_INET, cases[i].ip, &s4->sin_addr), 1);
    }
    bool got = gz_img_addr_public((const struct sockaddr *)&ss);
    if (got != cases[i].pub) fprintf(stderr, "address %s\n", cases[i].ip);
    CHECK_INT(got, cases[i].pub);
  }
}

int main(void) {
  test_local();
  test_addresses();
  TEST_MAIN_END();
}
