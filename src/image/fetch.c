/*
 * fetch.c - remote images through libcurl, only with --fetch-images, and
 * a cache folder so the next run of the same digest asks for nothing.
 *
 * A hostile dump must not turn a batch job into a probe of its own
 * network, so every connection's address is checked after name
 * resolution, on every hop: CURLOPT_OPENSOCKETFUNCTION is handed the
 * resolved address libcurl is about to connect to and refuses the
 * non-public ones (https://curl.se/libcurl/c/CURLOPT_OPENSOCKETFUNCTION.html),
 * so there is no window between a check and the connection. Redirects are
 * not followed by libcurl (CURLOPT_FOLLOWLOCATION off); the next hop's URL
 * comes from CURLINFO_REDIRECT_URL (https://curl.se/libcurl/c/CURLINFO_REDIRECT_URL.html)
 * and goes through the same checks, up to max_redirects. Proxies from the
 * environment are ignored (CURLOPT_NOPROXY "*",
 * https://curl.se/libcurl/c/CURLOPT_NOPROXY.html): through a proxy the
 * address checked would be the proxy's, not the target's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "image/loader.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

/* curl_global_init is not thread-safe and must run once per process
 * (https://curl.se/libcurl/c/curl_global_init.html). */
static void curl_init(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* ---- addresses ---- */

static bool v4_public(uint32_t a) {
  static const struct {
    uint32_t net;
    int bits;
  } blocked[] = {
      {0x00000000u, 8},  /* 0/8 "this network" */
      {0x0A000000u, 8},  /* 10/8 private (RFC 1918) */
      {0x64400000u, 10}, /* 100.64/10 shared, CGNAT (RFC 6598) */
      {0x7F000000u, 8},  /* 127/8 loopback */
      {0xA9FE0000u, 16}, /* 169.254/16 link-local, cloud metadata */
      {0xAC100000u, 12}, /* 172.16/12 private */
      {0xC0000000u, 24}, /* 192.0.0/24 IETF protocol assignments */
      {0xC0000200u, 24}, /* 192.0.2/24 TEST-NET-1 */
      {0xC0586300u, 24}, /* 192.88.99/24 6to4 relay anycast */
      {0xC0A80000u, 16}, /* 192.168/16 private */
      {0xC6120000u, 15}, /* 198.18/15 benchmarking */
      {0xC6336400u, 24}, /* 198.51.100/24 TEST-NET-2 */
      {0xCB007100u, 24}, /* 203.0.113/24 TEST-NET-3 */
      {0xE0000000u, 4},  /* 224/4 multicast */
      {0xF0000000u, 4},  /* 240/4 reserved, broadcast */
  };
  for (size_t i = 0; i < GZ_ARRAY_LEN(blocked); i++) {
    uint32_t mask = 0xFFFFFFFFu << (32 - blocked[i].bits);
    if ((a & mask) == blocked[i].net) return false;
  }
  return true;
}

/* Ranges from the IANA special-purpose registries (RFC 6890 and updates). */
bool gz_img_addr_public(const struct sockaddr *sa) {
  if (!sa) return false;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    return v4_public(ntohl(in->sin_addr.s_addr));
  }
  if (sa->sa_family != AF_INET6) return false;
  const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
  static const unsigned char zero[12] = {0};
  uint32_t v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
  if (memcmp(b, zero, 10) == 0 && b[10] == 0xFF && b[11] == 0xFF)
    return v4_public(v4);                     /* ::ffff:a.b.c.d, IPv4-mapped */
  if (memcmp(b, zero, 12) == 0) return false; /* ::, ::1, IPv4-compatible */
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && memcmp(b + 4, zero, 8) == 0)
    return v4_public(v4);             /* 64:ff9b::/96 NAT64 */
  if (b[0] == 0x20 && b[1] == 0x02) { /* 2002::/16 6to4 */
    uint32_t e = (uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 | (uint32_t)b[4] << 8 | b[5];
    return v4_public(e);
  }
  if ((b[0] & 0xFE) == 0xFC) return false;                 /* fc00::/7 unique local */
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return false; /* fe80::/10 link-local */
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return false; /* fec0::/10 site-local */
  if (b[0] == 0xFF) return false;                          /* ff00::/8 multicast */
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
    return false;                                                /* 2001:db8::/32 documentation */
  if (b[0] == 0x01 && memcmp(b + 1, zero, 7) == 0) return false; /* 100::/64 discard */
  return true;
}

/* ---- one transfer ---- */

typedef struct xfer {
  gz_img_loader *l;
  gz_buf body;
  bool over_image, over_total, refused_addr;
  char addr[INET6_ADDRSTRLEN];
} xfer;

static curl_socket_t open_socket(void *user, curlsocktype purpose, struct curl_sockaddr *a) {
  xfer *x = user;
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const struct sockaddr *sa = &a->addr;
  char ip[INET6_ADDRSTRLEN] = "";
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof ip);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip, sizeof ip);
  bool ok = x->l->o.allow_private_hosts || gz_img_addr_public(sa) ||
            (x->l->public_ip[0] && strcmp(ip, x->l->public_ip) == 0);
  if (!ok) {
    x->refused_addr = true;
    snprintf(x->addr, sizeof x->addr, "%s", ip);
    return CURL_SOCKET_BAD;
  }
  return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* The cap per image and the digest's budget, counted as bytes arrive
 * (CURLOPT_MAXFILESIZE_LARGE only sees a declared Content-Length). */
static size_t on_data(char *p, size_t size, size_t n, void *user) {
  xfer *x = user;
  size_t k = size * n;
  if (x->body.len + k > x->l->o.max_bytes) {
    x->over_image = true;
    return 0;
  }
  pthread_mutex_lock(&x->l->lock);
  bool over = x->l->fetched + k > x->l->o.max_total;
  if (!over) x->l->fetched += k;
  pthread_mutex_unlock(&x->l->lock);
  if (over) {
    x->over_total = true;
    return 0;
  }
  if (gz_buf_append(&x->body, p, k) != 0) return 0;
  return k;
}

static gz_img_status say(gz_img_status st, char *why, size_t why_len, const char *msg) {
  snprintf(why, why_len, "%s", msg);
  return st;
}

/* Options from https://curl.se/libcurl/c/curl_easy_setopt.html, each
 * page named beside its use. */
static void set_options(CURL *c, gz_img_loader *l, xfer *x) {
  /* CURLOPT_PROTOCOLS_STR, CURLOPT_REDIR_PROTOCOLS_STR (7.85.0): nothing
   * but http and https, even if a redirect were followed */
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else /* the bitmask forms, deprecated since */
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 0L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  /* CURLOPT_NOSIGNAL: the writers fetch from worker threads, and the
   * time-outs must not use signals there */
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, l->o.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, l->o.timeout_ms);
  /* CURLOPT_LOW_SPEED_LIMIT/TIME: a trickle below 1 KB/s for 5 s ends it
   * before the whole time-out is spent */
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 5L);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)l->o.max_bytes);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, x);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "gazette");
  /* no CURLOPT_COOKIEFILE/COOKIEJAR: the cookie engine stays off, and no
   * CURLOPT_ACCEPT_ENCODING: bodies arrive as sent, no inflating */
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
}

/* ---- the cache ---- */

static const char cache_magic[] = "gazette image cache 1\n";

char *gz_img_cache_path(gz_img_loader *l, const char *url) {
  gz_buf b;
  gz_buf_init(&b, l->al);
  if (l->o.cache_dir) {
    gz_buf_puts(&b, l->o.cache_dir);
  } else {
    const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    if (x && x[0] == '/')
      gz_buf_printf(&b, "%s/gazette/images", x);
    else if (h && h[0] == '/')
      gz_buf_printf(&b, "%s/.cache/gazette/images", h);
    else
      return NULL;
  }
  /* two independent 64-bit hashes: the name; the URL inside the file
   * guards against the rare collision */
  size_t n = strlen(url);
  gz_buf_printf(&b, "/%016llx%016llx", (unsigned long long)gz_hash64(url, n, 0x67617a65u),
                (unsigned long long)gz_hash64(url, n, 0x696d6167u));
  if (b.failed) {
    gz_buf_free(&b);
    return NULL;
  }
  return b.data;
}

static void make_dirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    mkdir(path, 0700);
    *p = '/';
  }
  mkdir(path, 0700);
}

static bool cache_read(gz_img_loader *l, const char *file, const char *url, unsigned char **bytes,
                       size_t *len) {
  int fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st;
  size_t hl = sizeof cache_magic - 1 + strlen(url) + 1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= hl ||
      (uint64_t)st.st_size - hl > l->o.max_bytes) {
    close(fd);
    return false;
  }
  size_t n = (size_t)st.st_size, got = 0;
  unsigned char *b = gz_malloc(l->al, n);
  while (b && got < n) {
    ssize_t r = read(fd, b + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  if (!b || got != n || memcmp(b, cache_magic, sizeof cache_magic - 1) != 0 ||
      memcmp(b + sizeof cache_magic - 1, url, hl - sizeof cache_magic) != 0 || b[hl - 1] != '\n') {
    gz_free(l->al, b);
    return false;
  }
  memmove(b, b + hl, n - hl);
  *bytes = b;
  *len = n - hl;
  return true;
}

/* Written under a temporary name and renamed: a reader never sees half a
 * file, and two jobs writing the same image both leave a whole one. */
static void cache_write(gz_img_loader *l, const char *file, const char *url,
                        const unsigned char *bytes, size_t len) {
  size_t fl = strlen(file);
  char *tmp = gz_malloc(l->al, fl + 8);
  if (!tmp) return;
  memcpy(tmp, file, fl);
  memcpy(tmp + fl, ".XXXXXX", 8);
  char *slash = strrchr(tmp, '/');
  if (slash && slash != tmp) {
    *slash = '\0';
    make_dirs(tmp);
    *slash = '/';
  }
  int fd = mkstemp(tmp);
  if (fd < 0) {
    gz_free(l->al, tmp);
    return;
  }
  bool ok = true;
  const void *parts[3] = {cache_magic, url, bytes};
  size_t lens[3] = {sizeof cache_magic - 1, strlen(url), len};
  for (int i = 0; i < 3 && ok; i++) {
    const unsigned char *p = parts[i];
    size_t n = lens[i];
    while (n > 0) {
      ssize_t w = write(fd, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        ok = false;
        break;
      }
      p += w;
      n -= (size_t)w;
    }
    if (i == 1 && ok) ok = write(fd, "\n", 1) == 1;
  }
  if (close(fd) != 0) ok = false;
  if (!ok || rename(tmp, file) != 0) unlink(tmp);
  gz_free(l->al, tmp);
}

/* ---- fetching ---- */

static gz_img_status fetch_hops(gz_img_loader *l, CURL *c, const char *first, xfer *x, char *why,
                                size_t why_len) {
  char *url = NULL; /* the current hop's URL when it is not `first` (curl's) */
  const char *cur = first;
  gz_img_status st = GZ_IMGSRC_FAILED;
  for (int hop = 0;; hop++) {
    if (hop > l->o.max_redirects) {
      snprintf(why, why_len, "more than %d redirects", l->o.max_redirects);
      st = GZ_IMGSRC_REFUSED;
      break;
    }
    gz_buf_clear(&x->body);
    curl_easy_setopt(c, CURLOPT_URL, cur);
    CURLcode rc = curl_easy_perform(c);
    /* counted when a request went out (CURLINFO_REQUEST_SIZE, the bytes
     * of the request sent), not when a refused address stopped it */
    long sent = 0;
    curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &sent);
    if (sent > 0) {
      pthread_mutex_lock(&l->lock);
      l->requests++;
      pthread_mutex_unlock(&l->lock);
    }
    if (rc != CURLE_OK) {
      if (x->refused_addr)
        snprintf(why, why_len, "the address %s is not public (loopback, private or reserved)",
                 x->addr);
      else if (x->over_image || rc == CURLE_FILESIZE_EXCEEDED)
        snprintf(why, why_len, "an image over the limit of %zu bytes", l->o.max_bytes);
      else if (x->over_total)
        snprintf(why, why_len, "the download budget of %zu bytes is spent", l->o.max_total);
      else if (rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(why, why_len, "no answer within %ld ms", l->o.timeout_ms);
      else if (rc == CURLE_UNSUPPORTED_PROTOCOL)
        snprintf(why, why_len, "a redirect to an address that is not http or https");
      else
        snprintf(why, why_len, "the download failed (%s)", curl_easy_strerror(rc));
      st = x->refused_addr || x->over_image || x->over_total || rc == CURLE_FILESIZE_EXCEEDED ||
                   rc == CURLE_UNSUPPORTED_PROTOCOL
               ? GZ_IMGSRC_REFUSED
               : GZ_IMGSRC_FAILED;
      break;
    }
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 300 && code < 400) {
      char *next = NULL;
      curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &next);
      if (!next) {
        snprintf(why, why_len, "a redirect (%ld) without a Location", code);
        break;
      }
      if (strncasecmp(next, "http://", 7) != 0 && strncasecmp(next, "https://", 8) != 0) {
        snprintf(why, why_len, "a redirect to an address that is not http or https");
        st = GZ_IMGSRC_REFUSED;
        break;
      }
      size_t n = strlen(next);
      char *copy = gz_malloc(l->al, n + 1); /* `next` lives only until the next perform */
      if (!copy) {
        snprintf(why, why_len, "out of memory");
        break;
      }
      memcpy(copy, next, n + 1);
      gz_free(l->al, url);
      url = copy;
      cur = url;
      continue;
    }
    if (code < 200 || code >= 300) {
      snprintf(why, why_len, "the server answered %ld", code);
      break;
    }
    if (x->body.len == 0) {
      snprintf(why, why_len, "the server sent nothing");
      break;
    }
    st = GZ_IMGSRC_OK;
    break;
  }
  gz_free(l->al, url);
  return st;
}

gz_img_status gz_img_fetch(gz_img_loader *l, const char *url, unsigned char **bytes, size_t *len,
                           char *why, size_t why_len) {
  char *cache = gz_img_cache_path(l, url);
  if (cache && cache_read(l, cache, url, bytes, len)) {
    gz_free(l->al, cache);
    return GZ_IMGSRC_OK;
  }
  pthread_once(&curl_once, curl_init);
  if (curl_init_rc != CURLE_OK) {
    gz_free(l->al, cache);
    return say(GZ_IMGSRC_FAILED, why, why_len, "libcurl could not start");
  }
  CURL *c = curl_easy_init();
  if (!c) {
    gz_free(l->al, cache);
    return say(GZ_IMGSRC_FAILED, why, why_len, "libcurl could not start");
  }
  xfer x;
  memset(&x, 0, sizeof x);
  x.l = l;
  gz_buf_init(&x.body, l->al);
  set_options(c, l, &x);
  gz_img_status st = fetch_hops(l, c, url, &x, why, why_len);
  curl_easy_cleanup(c);
  if (st == GZ_IMGSRC_OK && x.body.failed)
    st = say(GZ_IMGSRC_FAILED, why, why_len, "out of memory");
  if (st == GZ_IMGSRC_OK) {
    if (cache) cache_write(l, cache, url, (const unsigned char *)x.body.data, x.body.len);
    *bytes = (unsigned char *)x.body.data;
    *len = x.body.len;
  } else {
    gz_buf_free(&x.body);
  }
  gz_free(l->al, cache);
  return st;
}
