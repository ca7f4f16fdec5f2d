/*
 * container.c - the zip container: the mimetype stored first, the other
 * files already deflated, and every entry's time written exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "write/epub/epub.h"
#include "write/epub/zipsource.h"

static zip_int64_t raw_source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
  zblob *p = ud;
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      p->pos = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      size_t n = p->comp_len - p->pos;
      if (n > len) n = (size_t)len;
      memcpy(data, p->data + p->pos, n);
      p->pos += n;
      return (zip_int64_t)n;
    }
    case ZIP_SOURCE_STAT: {
      /* Already deflated: libzip copies the bytes as they are. */
      zip_stat_t *st = data;
      zip_stat_init(st);
      st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      st->size = p->raw_len;
      st->comp_size = p->comp_len;
      st->comp_method = ZIP_CM_DEFLATE;
      st->crc = (zip_uint32_t)p->crc;
      return sizeof *st;
    }
    default:
      return gz_zip_source_rest(data, len, cmd);
  }
}

static int cancel_cb(zip_t *za, void *ud) {
  (void)za;
  return gz_view_canceled(ud) ? 1 : 0;
}

/* A zip entry's time: the DOS date and time fields (2-second steps)
 * holding the UTC wall clock of an instant, computed here so that no
 * time zone of the process enters the bytes. DOS dates run from 1980 to
 * 2107. */
typedef struct dos_time {
  zip_uint16_t time, date;
} dos_time;

static dos_time dos_time_of(int64_t utc) {
  int64_t day = gz_floor_div(utc, 86400), secs = utc - day * 86400, y;
  int m, dd;
  gz_civil_from_days(day, &y, &m, &dd);
  if (y < 1980) y = 1980, m = 1, dd = 1, secs = 0;
  if (y > 2107) y = 2107, m = 12, dd = 31, secs = 86399;
  dos_time t;
  t.time = (zip_uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2);
  t.date = (zip_uint16_t)((y - 1980) << 9 | m << 5 | dd);
  return t;
}

static int set_time(zip_t *za, zip_int64_t idx, dos_time t) {
  return zip_file_set_dostime(za, (zip_uint64_t)idx, t.time, t.date, 0);
}

/* set_time for images.c, which does not know dos_time */
static int set_time_of(zip_t *za, int64_t idx, const void *t) {
  return set_time(za, idx, *(const dos_time *)t);
}

/* libzip 1.7.3 keeps an entry's time as a time_t: zip_file_set_dostime
 * turns the fields into one with mktime and zip_close turns it back with
 * localtime, both in the process's zone, so a wall clock that does not
 * exist there (a daylight-saving gap) comes out an hour off. The closed
 * file gets the fields written again, exactly: in every central directory
 * entry and the local header it points to (zip64 records included). */

static uint64_t le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static bool pread_all(int fd, void *buf, size_t n, uint64_t off) {
  return pread(fd, buf, n, (off_t)off) == (ssize_t)n;
}

/* The local header offset of a central directory entry `e` (46 bytes and
 * its name and extra field); UINT64_MAX when it cannot be found. */
static uint64_t local_offset(const unsigned char *e, size_t avail) {
  uint64_t off = le(e + 42, 4);
  if (off != 0xFFFFFFFFu) return off;
  size_t name = (size_t)le(e + 28, 2), extra = (size_t)le(e + 30, 2);
  if (46 + name + extra > avail) return UINT64_MAX;
  const unsigned char *x = e + 46 + name, *end = x + extra;
  while (x + 4 <= end) {
    size_t id = (size_t)le(x, 2), len = (size_t)le(x + 2, 2);
    if (x + 4 + len > end) break;
    if (id == 1) { /* zip64: the sizes that overflowed come first */
      size_t skip = (le(e + 24, 4) == 0xFFFFFFFFu ? 8 : 0) + (le(e + 20, 4) == 0xFFFFFFFFu ? 8 : 0);
      return skip + 8 <= len ? le(x + 4 + skip, 8) : UINT64_MAX;
    }
    x += 4 + len;
  }
  return UINT64_MAX;
}

/* -1 with errno for a file error, -2 out of memory. */
static int stamp_times(const gz_allocator *al, const char *path, dos_time t) {
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return -1;
  unsigned char *cd = NULL, eocd[22], buf[56];
  int rc = -1;
  struct stat st;
  /* libzip writes no archive comment: the end record is the last 22 bytes */
  if (fstat(fd, &st) || st.st_size < 22 || !pread_all(fd, eocd, 22, (uint64_t)st.st_size - 22) ||
      le(eocd, 4) != 0x06054b50u)
    goto done;
  uint64_t n = le(eocd + 10, 2), size = le(eocd + 12, 4), off = le(eocd + 16, 4);
  if (n == 0xFFFF || size == 0xFFFFFFFFu || off == 0xFFFFFFFFu) {
    if (st.st_size < 42 || !pread_all(fd, buf, 20, (uint64_t)st.st_size - 42) ||
        le(buf, 4) != 0x07064b50u || !pread_all(fd, buf, 56, le(buf + 8, 8)) ||
        le(buf, 4) != 0x06064b50u)
      goto done;
    n = le(buf + 32, 8), size = le(buf + 40, 8), off = le(buf + 48, 8);
  }
  if (size > (uint64_t)st.st_size) goto done;
  if (!(cd = gz_malloc(al, size ? size : 1))) {
    rc = -2;
    goto done;
  }
  if (!pread_all(fd, cd, size, off)) goto done;
  const unsigned char stamp[4] = {(unsigned char)t.time, (unsigned char)(t.time >> 8),
                                  (unsigned char)t.date, (unsigned char)(t.date >> 8)};
  size_t pos = 0;
  for (uint64_t i = 0; i < n; i++) {
    if (pos + 46 > size || le(cd + pos, 4) != 0x02014b50u) goto done;
    uint64_t local = local_offset(cd + pos, size - pos);
    if (local == UINT64_MAX || !pread_all(fd, buf, 4, local) || le(buf, 4) != 0x04034b50u ||
        pwrite(fd, stamp, 4, (off_t)local + 10) != 4)
      goto done;
    memcpy(cd + pos + 12, stamp, 4);
    pos += 46 + le(cd + pos + 28, 2) + le(cd + pos + 30, 2) + le(cd + pos + 32, 2);
  }
  if (pwrite(fd, cd, size, (off_t)off) == (ssize_t)size) rc = 0;
done:
  gz_free(al, cd);
  if (close(fd) && rc == 0) rc = -1;
  return rc;
}

/* Adds a file stored without compression (the mimetype must be). */
static int add_stored(zip_t *za, const char *name, const void *data, size_t len, dos_time mtime) {
  zip_source_t *src = zip_source_buffer(za, data, len, 0);
  if (!src) return -1;
  zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    return -1;
  }
  if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0)) return -1;
  return set_time(za, idx, mtime);
}

/* Adds deflated bytes as a file of the container. */
static int add_raw(zip_t *za, const char *name, zblob *z, dos_time mtime) {
  zip_source_t *src = zip_source_function(za, raw_source, z);
  zip_int64_t idx = src ? zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) : -1;
  if (idx < 0) {
    if (src) zip_source_free(src);
    return -1;
  }
  return set_time(za, idx, mtime);
}

/* Deflates a small file and adds it; `nomem` tells a failure to
 * deflate from libzip's. */
static int add_small(const epub_ctx *e, zip_t *za, const gz_epub_file *f, zblob *z, dos_time mtime,
                     bool *nomem) {
  if (gz_epub_deflate(e->d->al, z, f->data, f->len, e->level)) {
    *nomem = true;
    return -1;
  }
  return add_raw(za, f->name, z, mtime);
}

int gz_epub_write_container(epub_ctx *e, const gz_epub_file *files, size_t n_files,
                            int64_t modified) {
  gz_job *job = e->job;
  zblob small[8];
  memset(small, 0, sizeof small);
  if (n_files > GZ_ARRAY_LEN(small))
    return gz_error_set(&job->err, GZ_ERR_INTERNAL, "", 0, 0, "too many files for the EPUB");
  int rc = 0, zerr = 0;
  bool nomem = false;
  zip_t *za = zip_open(job->path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!za) return gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot create the EPUB");
  zip_register_cancel_callback_with_state(za, cancel_cb, NULL, (void *)e->d);
  dos_time mtime = dos_time_of(modified);
  static const char mimetype[] = "application/epub+zip";
  bool ok = add_stored(za, "mimetype", mimetype, sizeof mimetype - 1, mtime) == 0;
  for (size_t i = 0; i < n_files && ok; i++)
    ok = add_small(e, za, &files[i], &small[i], mtime, &nomem) == 0;
  for (size_t i = 0; i < e->n_parts && ok; i++) {
    char name[64];
    snprintf(name, sizeof name, "OEBPS/%s", e->parts[i].name);
    ok = add_raw(za, name, &e->parts[i].z, mtime) == 0;
  }
  if (ok) ok = gz_epub_add_images(e, za, set_time_of, &mtime) == 0;
  if (!ok) {
    if (nomem)
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory while compressing");
    else
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot build the EPUB: %s",
                        zip_strerror(za));
    zip_discard(za);
  } else if (zip_close(za) != 0) {
    zip_error_t *ze = zip_get_error(za);
    bool canceled = zip_error_code_zip(ze) == ZIP_ER_CANCELLED;
    rc = gz_error_set(&job->err, canceled ? GZ_ERR_CANCELED : GZ_ERR_OUTPUT, "", 0, 0, "%s",
                      canceled ? "interrupted" : zip_strerror(za));
    zip_discard(za);
  } else {
    errno = 0;
    int st = stamp_times(e->d->al, job->path, mtime);
    if (st == -2)
      rc = gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    else if (st)
      rc = gz_error_set(&job->err, GZ_ERR_OUTPUT, "", 0, 0, "cannot set the times in the EPUB: %s",
                        errno ? strerror(errno) : "not the zip file written");
  }
  for (size_t i = 0; i < GZ_ARRAY_LEN(small); i++) gz_free(e->d->al, small[i].data);
  return rc;
}
