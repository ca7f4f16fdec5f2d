/*
 * fail_threads.h - thread starts that fail on purpose, for tests linked
 * with -Wl,--wrap=pthread_create (tests/CMakeLists.txt): every
 * pthread_create of the library comes here first. Include it in one file
 * of the test program.
 */
#ifndef GZ_FAIL_THREADS_H
#define GZ_FAIL_THREADS_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);

static atomic_int g_fail_starts; /* this many next thread starts fail */
static atomic_int g_starts;      /* thread starts tried */

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
                          void *arg) {
  atomic_fetch_add(&g_starts, 1);
  if (atomic_load(&g_fail_starts) > 0) {
    atomic_fetch_sub(&g_fail_starts, 1);
    return EAGAIN;
  }
  return __real_pthread_create(t, attr, fn, arg);
}

#endif
