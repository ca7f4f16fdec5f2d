/*
 * io.c - writing a whole buffer to a descriptor.
 */
#include <errno.h>
#include <unistd.h>

#include "util/util.h"

int gz_write_all(int fd, const void *data, size_t n) {
  const char *p = data;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (w == 0) errno = EIO; /* no progress: never loop on it */
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}
