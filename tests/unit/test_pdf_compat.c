/*
 * test_pdf_compat.c - the libharu version check of the PDF writer
 * (src/write/pdf/hpdf_compat.c): the version it was written for passes,
 * any other is refused with one sentence, and a PDF write under another
 * version fails with that sentence and leaves no file.
 *
 * HPDF_GetVersion is defined here, so the writer linked into this program
 * asks this one instead of libharu's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "testing.h"
#include "write/pdf/pdf.h"

static const char *reported_version = "2.3.0";

const char *HPDF_GetVersion(void) { return reported_version; }

static const char input[] =
    "[{\"title\": \"Harbour\", \"date\": \"2020-12-07T09:30:00Z\", \"content\": "
    "\"<p>One.</p>\"}]\n";

static const char mismatch_24[] =
    "the PDF writer was built for libharu 2.3.0 and this program runs with libharu 2.4.0, whose "
    "internals differ (rebuild gazette against the libharu installed)";

static void check_version_function(void) {
  gz_error err;
  gz_error_clear(&err);
  CHECK_INT(gzh_check_version("2.3.0", &err), 0);
  CHECK_INT(err.code, GZ_OK);
  CHECK_STR(err.message, "");

  CHECK_INT(gzh_check_version("2.4.0", &err), -1);
  CHECK_INT(err.code, GZ_ERR_OUTPUT);
  CHECK_STR(err.message, mismatch_24);

  gz_error_clear(&err);
  CHECK_INT(gzh_check_version("2.3.0rc3", &err), -1);
  CHECK_INT(err.code, GZ_ERR_OUTPUT);

  gz_error_clear(&err);
  CHECK_INT(gzh_check_version(NULL, &err), -1);
  CHECK_STR(err.message,
            "the PDF writer was built for libharu 2.3.0 and this program runs with libharu of an "
            "unknown version, whose internals differ (rebuild gazette against the libharu "
            "installed)");
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

static void check_write(void) {
  gz_options o;
  gz_options_init(&o);
  gz_error err;
  gz_error_clear(&err);
  gz_digest *d = gz_digest_new(&o, &err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_INT(gz_digest_add_memory(d, "in.json", input, sizeof input - 1, &err), 0);
  CHECK_INT(gz_digest_finish(d, &err), 0);
  char dir[] = "/tmp/gz-pdf-compat-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/out.pdf", dir);
  gz_write_options w;
  gz_write_options_init(&w);
  w.format = GZ_FORMAT_PDF;
  w.jobs = 1;

  reported_version = "2.4.0";
  CHECK_INT(gz_digest_write(d, &w, path, &err), -1);
  CHECK_INT(err.code, GZ_ERR_OUTPUT);
  CHECK_STR(err.message, mismatch_24);
  CHECK(!exists(path));

  reported_version = "2.3.0";
  gz_error_clear(&err);
  CHECK_INT(gz_digest_write(d, &w, path, &err), 0);
  CHECK_STR(err.message, "");
  CHECK(exists(path));
  unlink(path);
  rmdir(dir);
  gz_digest_free(d);
}

int main(void) {
  check_version_function();
  check_write();
  TEST_MAIN_END();
}
