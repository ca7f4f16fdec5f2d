/*
 * source.c - where an image's bytes come from: a data: URI, a local file
 * inside the folder tree of the input file, or (fetch.c) a remote http(s)
 * URL. Every other scheme is refused, and so is every file that is not
 * inside the tree, however the path was spelled.
 *
 * Confinement: the path is resolved with realpath() and must lie under
 * the resolved input folder, so nothing outside is even opened; the file
 * is then opened with O_NOFOLLOW|O_NONBLOCK and the path of the open
 * descriptor (/proc/self/fd/N, what the kernel actually opened) is checked
 * again, so a symlink swapped in between the check and the open cannot
 * lead out: the bytes are read only from a descriptor that was verified.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/loader.h"

static gz_img_status say(gz_img_status st, char *why, size_t why_len, const char *fmt,
                         const char *arg) {
  snprintf(why, why_len, fmt, arg ? arg : "");
  return st;
}

gz_img_loader *gz_img_loader_new(const gz_allocator *al, const gz_img_loader_opts *o) {
  if (!al) al = gz_default_allocator();
  gz_img_loader *l = gz_malloc(al, sizeof *l);
  if (!l) return NULL;
  memset(l, 0, sizeof *l);
  l->al = al;
  if (o) l->o = *o;
  l->o.cache_dir = NULL;
  if (o && o->cache_dir) {
    size_t n = strlen(o->cache_dir);
    char *d = gz_malloc(al, n + 1);
    if (!d) {
      gz_free(al, l);
      return NULL;
    }
    memcpy(d, o->cache_dir, n + 1);
    l->o.cache_dir = d;
  }
  if (l->o.timeout_ms <= 0) l->o.timeout_ms = GZ_IMG_DEFAULT_TIMEOUT_MS;
  if (!l->o.max_bytes) l->o.max_bytes = GZ_IMG_DEFAULT_MAX_BYTES;
  if (!l->o.max_total) l->o.max_total = GZ_IMG_DEFAULT_MAX_TOTAL;
  if (l->o.max_redirects <= 0) l->o.max_redirects = GZ_IMG_DEFAULT_MAX_REDIRECTS;
  pthread_mutex_init(&l->lock, NULL);
  return l;
}

void gz_img_loader_free(gz_img_loader *l) {
  if (!l) return;
  pthread_mutex_destroy(&l->lock);
  gz_free(l->al, (void *)l->o.cache_dir);
  gz_free(l->al, l);
}

size_t gz_img_loader_requests(const gz_img_loader *l) {
  if (!l) return 0;
  pthread_mutex_lock((pthread_mutex_t *)&l->lock);
  size_t n = l->requests;
  pthread_mutex_unlock((pthread_mutex_t *)&l->lock);
  return n;
}

void gz_img_loader_treat_as_public(gz_img_loader *l, const char *ip) {
  snprintf(l->public_ip, sizeof l->public_ip, "%s", ip ? ip : "");
}

/* ---- data: URIs (RFC 2397) ---- */

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decodes s[0..n) into out (room for n bytes); -1 on a bad escape. */
static long pct_decode(const char *s, size_t n, unsigned char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '%') {
      out[o++] = (unsigned char)s[i];
      continue;
    }
    if (i + 2 >= n) return -1;
    int h = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
    if (h < 0 || lo < 0) return -1;
    out[o++] = (unsigned char)(h * 16 + lo);
    i += 2;
  }
  return (long)o;
}

static int b64val(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

/* Base64 (RFC 4648 4, and the URL-safe alphabet of 5), spaces allowed,
 * padding optional; -1 on anything else. */
static long b64_decode(const char *s, size_t n, unsigned char *out) {
  uint32_t acc = 0;
  int bits = 0;
  size_t o = 0;
  bool pad = false;
  for (size_t i = 0; i < n; i++) {
    int c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      pad = true;
      continue;
    }
    int v = b64val(c);
    if (v < 0 || pad) return -1;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)(acc >> bits);
    }
  }
  if (bits >= 6) return -1; /* a lone sixth of a byte */
  return (long)o;
}

static gz_img_status load_data(gz_img_loader *l, const char *src, unsigned char **bytes,
                               size_t *len, char *why, size_t why_len) {
  const char *comma = strchr(src, ',');
  if (!comma) return say(GZ_IMGSRC_FAILED, why, why_len, "a data: URI without a comma", NULL);
  const char *meta = src + 5;
  size_t mlen = (size_t)(comma - meta);
  bool b64 = mlen >= 7 && strncasecmp(comma - 7, ";base64", 7) == 0;
  const char *d = comma + 1;
  size_t n = strlen(d);
  if (n / 4 * 3 > l->o.max_bytes + 3 && (b64 || n / 3 > l->o.max_bytes))
    return say(GZ_IMGSRC_REFUSED, why, why_len, "a data: URI over the size limit", NULL);
  unsigned char *out = gz_malloc(l->al, n + 1);
  if (!out) return say(GZ_IMGSRC_FAILED, why, why_len, "out of memory", NULL);
  long got = b64 ? b64_decode(d, n, out) : pct_decode(d, n, out);
  if (got <= 0) {
    gz_free(l->al, out);
    return say(GZ_IMGSRC_FAILED, why, why_len,
               got == 0 ? "an empty data: URI" : "a malformed data: URI", NULL);
  }
  if ((size_t)got > l->o.max_bytes) {
    gz_free(l->al, out);
    return say(GZ_IMGSRC_REFUSED, why, why_len, "a data: URI over the size limit", NULL);
  }
  *bytes = out;
  *len = (size_t)got;
  return GZ_IMGSRC_OK;
}

/* ---- local files ---- */

static bool inside(const char *root, const char *path) {
  size_t n = strlen(root);
  if (n == 1 && root[0] == '/') return path[0] == '/' && path[1] != '\0';
  return strncmp(root, path, n) == 0 && path[n] == '/' && path[n + 1] != '\0';
}

static gz_img_status read_confined(gz_img_loader *l, const char *root, const char *path,
                                   unsigned char **bytes, size_t *len, char *why, size_t why_len) {
  char real[PATH_MAX];
  if (!realpath(path, real)) {
    return say(GZ_IMGSRC_FAILED, why, why_len,
               errno == ENOENT || errno == ENOTDIR ? "the file %s does not exist"
                                                   : "the file %s cannot be read",
               path);
  }
  if (!inside(root, real))
    return say(GZ_IMGSRC_REFUSED, why, why_len, "%s is outside the input's folder", path);
  int fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return say(GZ_IMGSRC_FAILED, why, why_len, "the file %s cannot be read", path);
  char link[64], opened[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t k = readlink(link, opened, sizeof opened - 1);
  struct stat st;
  gz_img_status rc = GZ_IMGSRC_OK;
  if (k <= 0 || (size_t)k >= sizeof opened - 1) {
    rc = say(GZ_IMGSRC_REFUSED, why, why_len, "the place of %s cannot be checked", path);
  } else {
    opened[k] = '\0';
    if (!inside(root, opened))
      rc = say(GZ_IMGSRC_REFUSED, why, why_len, "%s is outside the input's folder", path);
    else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
      rc = say(GZ_IMGSRC_REFUSED, why, why_len, "%s is not a regular file", path);
    else if ((uint64_t)st.st_size > l->o.max_bytes)
      rc = say(GZ_IMGSRC_REFUSED, why, why_len, "the file %s is over the size limit", path);
    else if (st.st_size == 0)
      rc = say(GZ_IMGSRC_FAILED, why, why_len, "the file %s is empty", path);
  }
  if (rc != GZ_IMGSRC_OK) {
    close(fd);
    return rc;
  }
  size_t n = (size_t)st.st_size, got = 0;
  unsigned char *b = gz_malloc(l->al, n);
  if (!b) {
    close(fd);
    return say(GZ_IMGSRC_FAILED, why, why_len, "out of memory", NULL);
  }
  while (got < n) {
    ssize_t r = read(fd, b + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  if (got != n) {
    gz_free(l->al, b);
    return say(GZ_IMGSRC_FAILED, why, why_len, "the file %s cannot be read", path);
  }
  *bytes = b;
  *len = n;
  return GZ_IMGSRC_OK;
}

/* `path` (absolute, or relative to the input's folder) read if it lies in
 * that folder's tree; an HTML src may be percent-encoded, so the decoded
 * spelling is tried when the literal one does not exist. */
static gz_img_status load_local(gz_img_loader *l, const char *path, const char *input_file,
                                bool decode, unsigned char **bytes, size_t *len, char *why,
                                size_t why_len) {
  if (!input_file || !*input_file)
    return say(GZ_IMGSRC_REFUSED, why, why_len, "a local image without an input folder", NULL);
  char dir[PATH_MAX], root[PATH_MAX], full[PATH_MAX * 2];
  const char *slash = strrchr(input_file, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == input_file)
    snprintf(dir, sizeof dir, "/");
  else
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - input_file), input_file);
  if (!realpath(dir, root))
    return say(GZ_IMGSRC_FAILED, why, why_len, "the input's folder cannot be found", NULL);
  size_t plen = strlen(path);
  if (plen == 0 || plen >= PATH_MAX)
    return say(GZ_IMGSRC_FAILED, why, why_len, "an image path that is empty or too long", NULL);
  char decoded[PATH_MAX];
  if (decode) {
    long n = pct_decode(path, plen, (unsigned char *)decoded);
    if (n <= 0 || memchr(decoded, '\0', (size_t)n))
      return say(GZ_IMGSRC_FAILED, why, why_len, "a malformed file URL", NULL);
    decoded[n] = '\0';
    path = decoded;
  }
  if (path[0] == '/')
    snprintf(full, sizeof full, "%s", path);
  else
    snprintf(full, sizeof full, "%s/%s", root, path);
  gz_img_status st = read_confined(l, root, full, bytes, len, why, why_len);
  if (st == GZ_IMGSRC_FAILED && !decode && strchr(path, '%') && access(full, F_OK) != 0) {
    char alt[PATH_MAX];
    long n = pct_decode(path, plen, (unsigned char *)alt);
    if (n > 0 && !memchr(alt, '\0', (size_t)n)) {
      alt[n] = '\0';
      return load_local(l, alt, input_file, false, bytes, len, why, why_len);
    }
  }
  return st;
}

/* ---- dispatch ---- */

/* The scheme's length when src starts with one (RFC 3986 3.1), else 0. */
static size_t scheme_len(const char *s) {
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
  size_t i = 1;
  while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
         (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.')
    i++;
  return s[i] == ':' ? i : 0;
}

gz_img_status gz_img_load(gz_img_loader *l, const char *src, const char *input_file,
                          unsigned char **bytes, size_t *len, char *why, size_t why_len) {
  char scratch[8];
  if (!why || why_len == 0) why = scratch, why_len = sizeof scratch;
  why[0] = '\0';
  *bytes = NULL;
  *len = 0;
  if (!l || !src) return say(GZ_IMGSRC_FAILED, why, why_len, "no image source", NULL);
  while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r') src++;
  if (!*src) return say(GZ_IMGSRC_FAILED, why, why_len, "an empty image source", NULL);
  size_t sl = scheme_len(src);
  if (sl == 4 && strncasecmp(src, "data", 4) == 0)
    return load_data(l, src, bytes, len, why, why_len);
  bool remote = (sl == 4 && strncasecmp(src, "http", 4) == 0) ||
                (sl == 5 && strncasecmp(src, "https", 5) == 0);
  bool netpath = sl == 0 && src[0] == '/' && src[1] == '/';
  if (remote || netpath) {
    if (!l->o.fetch) return say(GZ_IMGSRC_REMOTE_SKIPPED, why, why_len, "a remote image", NULL);
    if (!netpath) return gz_img_fetch(l, src, bytes, len, why, why_len);
    /* "//host/path" takes the page's scheme; an archive has none: https */
    size_t n = strlen(src);
    char *u = gz_malloc(l->al, n + 7);
    if (!u) return say(GZ_IMGSRC_FAILED, why, why_len, "out of memory", NULL);
    memcpy(u, "https:", 6);
    memcpy(u + 6, src, n + 1);
    gz_img_status st = gz_img_fetch(l, u, bytes, len, why, why_len);
    gz_free(l->al, u);
    return st;
  }
  if (sl == 4 && strncasecmp(src, "file", 4) == 0) {
    /* file:///abs/path or file://localhost/abs/path (RFC 8089 2) */
    const char *p = src + 5;
    if (p[0] == '/' && p[1] == '/') {
      p += 2;
      if (strncasecmp(p, "localhost/", 10) == 0) p += 9;
      if (*p != '/')
        return say(GZ_IMGSRC_REFUSED, why, why_len, "a file URL naming another host", NULL);
    }
    char path[PATH_MAX];
    size_t n = strcspn(p, "?#");
    if (n >= sizeof path)
      return say(GZ_IMGSRC_FAILED, why, why_len, "an image path that is too long", NULL);
    memcpy(path, p, n);
    path[n] = '\0';
    return load_local(l, path, input_file, true, bytes, len, why, why_len);
  }
  if (sl) {
    char scheme[32];
    snprintf(scheme, sizeof scheme, "%.*s", (int)(sl < 30 ? sl : 30), src);
    return say(GZ_IMGSRC_REFUSED, why, why_len, "%s: addresses are not read", scheme);
  }
  return load_local(l, src, input_file, false, bytes, len, why, why_len);
}
