/*
 * test_abi.c - the options structs as a program built against an older,
 * shorter header hands them over: the library reads only the caller's
 * bytes and gives the missing fields their defaults; a struct not filled
 * by its init function is refused.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazette/gazette.h"
#include "testing.h"

static const char dump[] =
    "[{\"title\":\"Dated\",\"date\":\"2020-12-07\",\"body\":\"<p>a b</p>\"},"
    "{\"title\":\"Undated\",\"body\":\"<p>c</p>\"}]";

/* Bytes past an older caller's struct: whatever its stack held. Were
 * they read, on_diag would be called through 0xAAAA... and crash. */
#define JUNK 0xAA

static void test_older_options(void) {
  union {
    gz_options o;
    unsigned char bytes[sizeof(gz_options)];
  } u;
  memset(u.bytes, JUNK, sizeof u.bytes);
  const size_t old_size = offsetof(gz_options, on_diag);
  gz_options_init_sized(&u.o, old_size);
  /* init wrote only the caller's bytes */
  CHECK_INT(u.bytes[sizeof u.bytes - 1], JUNK);
  CHECK_INT(u.bytes[old_size], JUNK);
  CHECK_INT(u.o.size, old_size);
  CHECK_INT(u.o.dedupe, 1);
  gz_error err;
  gz_digest *d = gz_digest_new(&u.o, &err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_INT(gz_digest_add_memory(d, "a.json", dump, strlen(dump), &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  gz_counts c = gz_digest_counts(d);
  CHECK_INT(c.written, 2);
  /* the undated warning went to the digest, not to a junk callback */
  CHECK_INT(gz_digest_diag_count(d), 1);

  /* write options of an older caller: no jobs, no deflate level */
  union {
    gz_write_options w;
    unsigned char bytes[sizeof(gz_write_options)];
  } wu;
  memset(wu.bytes, JUNK, sizeof wu.bytes);
  const size_t old_wsize = offsetof(gz_write_options, jobs);
  gz_write_options_init_sized(&wu.w, old_wsize);
  CHECK_INT(wu.bytes[old_wsize], JUNK);
  CHECK_STR(wu.w.title, "Digest");
  wu.w.has_modified = 1;
  wu.w.modified = 1700000000;
  gz_write_options full;
  gz_write_options_init(&full);
  full.has_modified = 1;
  full.modified = 1700000000;
  char old_path[] = "/tmp/gazette-abi-old-XXXXXX";
  char new_path[] = "/tmp/gazette-abi-new-XXXXXX";
  int fd_old = mkstemp(old_path), fd_new = mkstemp(new_path);
  CHECK(fd_old >= 0 && fd_new >= 0);
  CHECK_INT(gz_digest_write_fd(d, &wu.w, fd_old, &err), 0);
  CHECK_INT(gz_digest_write_fd(d, &full, fd_new, &err), 0);
  /* the same book: the missing fields took their defaults */
  off_t n_old = lseek(fd_old, 0, SEEK_END), n_new = lseek(fd_new, 0, SEEK_END);
  CHECK(n_old > 0);
  CHECK_INT(n_old, n_new);
  if (n_old > 0 && n_old == n_new) {
    char *a = malloc((size_t)n_old), *b = malloc((size_t)n_new);
    CHECK(pread(fd_old, a, (size_t)n_old, 0) == n_old);
    CHECK(pread(fd_new, b, (size_t)n_new, 0) == n_new);
    CHECK(memcmp(a, b, (size_t)n_old) == 0);
    free(a);
    free(b);
  }
  close(fd_old);
  close(fd_new);
  unlink(old_path);
  unlink(new_path);
  gz_digest_free(d);
}

/* A struct zeroed by hand instead of filled by its init function. */
static void test_unfilled(void) {
  gz_options o;
  memset(&o, 0, sizeof o);
  gz_error err;
  CHECK(gz_digest_new(&o, &err) == NULL);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  CHECK_STR(err.message, "the options were not filled by gz_options_init");

  gz_digest *d = gz_digest_new(NULL, &err); /* NULL: every default */
  CHECK(d != NULL);
  if (!d) return;
  CHECK_INT(gz_digest_add_memory(d, "a.json", dump, strlen(dump), &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  gz_write_options w;
  memset(&w, 0, sizeof w);
  CHECK_INT(gz_digest_write_fd(d, &w, 1, &err), -1);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  CHECK_STR(err.message, "the write options were not filled by gz_write_options_init");
  gz_digest_free(d);
}

int main(void) {
  test_older_options();
  test_unfilled();
  TEST_MAIN_END();
}
