/*
 * shim.c - an LD_PRELOAD probe for test_outputs.py: logs umask(), fsync()
 * and rename() calls (with the paths involved) to $GZ_SHIM_LOG, and with
 * $GZ_SHIM_FAIL_READ set makes read() fail with EIO on any file whose
 * name contains that text, a fault no real file system gives on demand.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void note(const char *fmt, ...) {
  const char *log = getenv("GZ_SHIM_LOG");
  if (!log) return;
  int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  va_list ap;
  va_start(ap, fmt);
  vdprintf(fd, fmt, ap);
  va_end(ap);
  close(fd);
}

static void fd_path(int fd, char *buf, size_t cap) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, buf, cap - 1);
  buf[n > 0 ? n : 0] = '\0';
}

mode_t umask(mode_t mask) {
  mode_t (*real)(mode_t) = (mode_t(*)(mode_t))dlsym(RTLD_NEXT, "umask");
  note("umask\n");
  return real(mask);
}

int fsync(int fd) {
  int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  char path[4096];
  fd_path(fd, path, sizeof path);
  note("fsync %s\n", path);
  return real(fd);
}

int syncfs(int fd) {
  int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "syncfs");
  char path[4096];
  fd_path(fd, path, sizeof path);
  note("syncfs %s\n", path);
  return real(fd);
}

int rename(const char *from, const char *to) {
  int (*real)(const char *, const char *) =
      (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  int rc = real(from, to);
  if (rc == 0) note("rename %s %s\n", from, to);
  return rc;
}

ssize_t read(int fd, void *buf, size_t n) {
  ssize_t (*real)(int, void *, size_t) = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
  const char *fail = getenv("GZ_SHIM_FAIL_READ");
  if (fail && *fail) {
    char path[4096];
    fd_path(fd, path, sizeof path);
    if (strstr(path, fail)) {
      errno = EIO;
      return -1;
    }
  }
  return real(fd, buf, n);
}
