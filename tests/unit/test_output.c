/*
 * test_output.c - safe output files (src/write/output.c): temporary files
 * created beside their target and registered, released with or without
 * removal, removed by gz_remove_temp_files() with libzip's companions;
 * and the target checks that refuse to write over an input, through a
 * hard link, or into a folder that is read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"
#include "testing.h"
#include "write/write.h"

static char g_dir[512];

static void path_of(char *out, size_t cap, const char *name) {
  snprintf(out, cap, "%s/%s", g_dir, name);
}

static bool exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) {
    fputs("[]\n", f);
    fclose(f);
  }
}

static void test_temp_files(void) {
  char target[600], prefix[600];
  path_of(target, sizeof target, "out.epub");
  path_of(prefix, sizeof prefix, ".out.epub.gz-");
  gz_error err;
  mode_t old = umask(027);
  char *t1 = gz_temp_create(target, &err);
  char *t2 = gz_temp_create(target, &err);
  umask(old);
  CHECK(t1 != NULL && t2 != NULL);
  if (!t1 || !t2) return;
  /* beside the target, hidden, with six random characters */
  CHECK(strncmp(t1, prefix, strlen(prefix)) == 0);
  CHECK_INT(strlen(t1), strlen(prefix) + 6);
  CHECK(strcmp(t1, t2) != 0);
  struct stat st;
  CHECK_INT(stat(t1, &st), 0);
  CHECK(S_ISREG(st.st_mode));
  CHECK_INT(st.st_size, 0);
  CHECK_INT(st.st_mode & 0777, 0640); /* 0666 less the umask */

  /* libzip's "NAME.XXXXXX" beside a temporary file goes with it; other
   * names stay */
  char zip_tmp[700], not5[700], not7[700], kept[700];
  snprintf(zip_tmp, sizeof zip_tmp, "%s.Ab3dE9", t1);
  snprintf(not5, sizeof not5, "%s.Ab3dE", t1);
  snprintf(not7, sizeof not7, "%s.Ab3dE9x", t1);
  touch(zip_tmp);
  touch(not5);
  touch(not7);
  /* a released file is no longer the library's */
  gz_strlcpy(kept, t2, sizeof kept);
  gz_temp_release(t2, false);
  CHECK(exists(kept));

  gz_remove_temp_files();
  CHECK(!exists(t1));
  CHECK(!exists(zip_tmp));
  CHECK(exists(not5));
  CHECK(exists(not7));
  CHECK(exists(kept));
  /* still registered: a second call is harmless */
  gz_remove_temp_files();
  gz_temp_release(t1, true);

  /* released with removal */
  char *t3 = gz_temp_create(target, &err);
  CHECK(t3 != NULL);
  if (t3) {
    char copy[700];
    gz_strlcpy(copy, t3, sizeof copy);
    CHECK(exists(copy));
    gz_temp_release(t3, true);
    CHECK(!exists(copy));
    /* and after release gz_remove_temp_files no longer knows it */
    touch(copy);
    gz_remove_temp_files();
    CHECK(exists(copy));
    unlink(copy);
  }
  gz_temp_release(NULL, true);
  unlink(not5);
  unlink(not7);
  unlink(kept);

  /* a folder that does not exist */
  char missing[600];
  path_of(missing, sizeof missing, "missing/x.epub");
  memset(&err, 0, sizeof err);
  CHECK(gz_temp_create(missing, &err) == NULL);
  CHECK_INT(err.code, GZ_ERR_OUTPUT);
  CHECK_STR(err.file, missing);
  CHECK_STR(err.message, "cannot write here: No such file or directory");
}

static void expect_refused(const gz_digest *d, const char *target) {
  gz_error err;
  memset(&err, 0, sizeof err);
  int rc = gz_target_check(d, target, &err);
  if (rc == 0) fprintf(stderr, "not refused: %s\n", target);
  CHECK_INT(rc, -1);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  CHECK_STR(err.file, target);
  CHECK_STR(err.message, "is also an input; refusing to overwrite it");
}

static void expect_allowed(const gz_digest *d, const char *target) {
  gz_error err;
  memset(&err, 0, sizeof err);
  int rc = gz_target_check(d, target, &err);
  if (rc != 0) fprintf(stderr, "refused: %s (%s)\n", target, err.message);
  CHECK_INT(rc, 0);
}

static void test_targets(void) {
  char in[600], hard[600], other[600], sub[600], sub_in[600], p[700];
  path_of(in, sizeof in, "in.json");
  path_of(hard, sizeof hard, "same.json");
  path_of(other, sizeof other, "other.json");
  path_of(sub, sizeof sub, "walked");
  path_of(sub_in, sizeof sub_in, "walked/a.json");
  touch(in);
  touch(other);
  CHECK_INT(link(in, hard), 0);
  CHECK_INT(mkdir(sub, 0755), 0);
  touch(sub_in);

  gz_error err;
  gz_digest *d = gz_digest_new(NULL, &err);
  CHECK(d != NULL);
  if (!d) return;
  /* nothing read yet: everything may be written */
  expect_allowed(d, in);
  CHECK_INT(gz_digest_add_path(d, in, &err), 0);
  CHECK_INT(gz_digest_add_path(d, sub, &err), 0);
  expect_refused(d, in);
  expect_refused(d, hard); /* the same file by another name */
  expect_refused(d, sub_in);
  snprintf(p, sizeof p, "%s/new.json", sub); /* would be read next time */
  expect_refused(d, p);
  snprintf(p, sizeof p, "%s/deeper/new.txt", sub);
  expect_refused(d, p);
  snprintf(p, sizeof p, "%s/../walked/new.ndjson", sub);
  expect_refused(d, p);
  snprintf(p, sizeof p, "%s/new.epub", sub); /* not a readable extension */
  expect_allowed(d, p);
  expect_allowed(d, other); /* beside an input, not one */
  snprintf(p, sizeof p, "%s/new.json", g_dir);
  expect_allowed(d, p);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  gz_digest_free(d);

  /* noted by hand, by device and inode */
  d = gz_digest_new(NULL, &err);
  if (d) {
    struct stat st;
    CHECK_INT(stat(other, &st), 0);
    expect_allowed(d, other);
    CHECK_INT(gz_input_note(d, (uint64_t)st.st_dev, (uint64_t)st.st_ino, false), 0);
    expect_refused(d, other);
    /* a folder noted as a file is not a walked folder */
    CHECK_INT(stat(sub, &st), 0);
    CHECK_INT(gz_input_note(d, (uint64_t)st.st_dev, (uint64_t)st.st_ino, false), 0);
    snprintf(p, sizeof p, "%s/new.json", sub);
    expect_allowed(d, p);
    CHECK_INT(gz_input_note(d, (uint64_t)st.st_dev, (uint64_t)st.st_ino, true), 0);
    expect_refused(d, p);
    gz_digest_free(d);
  }

  /* the public check, by paths */
  const char *inputs[] = {"-", in, sub};
  memset(&err, 0, sizeof err);
  CHECK_INT(gz_check_target(inputs, 3, hard, &err), -1);
  CHECK_INT(err.code, GZ_ERR_USAGE);
  CHECK_INT(gz_check_target(inputs, 3, other, &err), 0);
  CHECK_INT(err.code, GZ_OK);
  snprintf(p, sizeof p, "%s/x.jsonl", sub);
  CHECK_INT(gz_check_target(inputs, 3, p, &err), -1);

  unlink(sub_in);
  rmdir(sub);
  unlink(in);
  unlink(hard);
  unlink(other);
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(g_dir, sizeof g_dir, "%s/gz-test-output-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(g_dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_temp_files();
  test_targets();
  CHECK_INT(rmdir(g_dir), 0); /* nothing left behind */
  TEST_MAIN_END();
}
