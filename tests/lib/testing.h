/*
 * testing.h - the C half of the shared test library (tests/lib): CHECK
 * macros that report file:line and the values compared, and a summary exit
 * status. The Python half is gztest.py.
 */
#ifndef GZ_TESTING_H
#define GZ_TESTING_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int gz_test_failures;
static int gz_test_checks;

#define CHECK(cond)                                                            \
  do {                                                                         \
    gz_test_checks++;                                                          \
    if (!(cond)) {                                                             \
      gz_test_failures++;                                                      \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_INT(got, want)                                                               \
  do {                                                                                     \
    long long g_ = (long long)(got), w_ = (long long)(want);                               \
    gz_test_checks++;                                                                      \
    if (g_ != w_) {                                                                        \
      gz_test_failures++;                                                                  \
      fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
    }                                                                                      \
  } while (0)

#define CHECK_STR(got, want)                                                          \
  do {                                                                                \
    const char *g_ = (got), *w_ = (want);                                             \
    gz_test_checks++;                                                                 \
    if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                          \
      gz_test_failures++;                                                             \
      fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
              g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                \
    }                                                                                 \
  } while (0)

#define CHECK_U64(got, want)                                                              \
  do {                                                                                    \
    uint64_t g_ = (got), w_ = (want);                                                     \
    gz_test_checks++;                                                                     \
    if (g_ != w_) {                                                                       \
      gz_test_failures++;                                                                 \
      fprintf(stderr, "%s:%d: %s is 0x%016" PRIx64 ", want 0x%016" PRIx64 "\n", __FILE__, \
              __LINE__, #got, g_, w_);                                                    \
    }                                                                                     \
  } while (0)

#define TEST_MAIN_END()                                                              \
  do {                                                                               \
    if (gz_test_failures) {                                                          \
      fprintf(stderr, "%d of %d checks failed\n", gz_test_failures, gz_test_checks); \
      return 1;                                                                      \
    }                                                                                \
    printf("%d checks passed\n", gz_test_checks);                                    \
    return 0;                                                                        \
  } while (0)

#endif
