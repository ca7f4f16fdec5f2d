/*
 * output.c - getting digests onto disk safely: temporary files beside the
 * target renamed into place only when complete, --split templates checked
 * for collisions before anything is written, jobs rendered by a pool of
 * threads, and their messages replayed in a fixed order.
 */
#define _GNU_SOURCE /* syscall(), syncfs() */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "write/write.h"

void gz_write_options_init_sized(gz_write_options *w, size_t size) {
  gz_write_options full;
  memset(&full, 0, sizeof full);
  full.size = size;
  full.format = GZ_FORMAT_EPUB;
  full.title = "Digest";
  full.lang = "en";
  full.page_size = GZ_PAGE_A4;
  /* a caller built against an older header has a shorter struct */
  memcpy(w, &full, size < sizeof full ? size : sizeof full);
}

void gz_job_diag(gz_job *job, gz_severity sev, const char *fmt, ...) {
  if (gz_grow(job->diag_arena.al, (void **)&job->diags, &job->cap_diags, job->n_diags + 1,
              sizeof *job->diags))
    return;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  gz_diag *dg = &job->diags[job->n_diags].diag;
  dg->severity = sev;
  dg->file = "";
  dg->line = dg->col = 0;
  dg->message = gz_arena_strdup(&job->diag_arena, msg);
  if (dg->message) job->n_diags++;
}

/* ---- temporary files ---- */

/* Every live temporary path, so that a crash handler can remove them: a
 * fixed table of atomic pointers is safe to walk from a signal handler,
 * where no lock may be taken and no memory allocated. A table that is full
 * only costs that clean-up for the extra files. */
#define TEMP_SLOTS 16384
static _Atomic(char *) g_temps[TEMP_SLOTS];
/* The paths themselves come from malloc, not a digest's allocator: the
 * registry outlives any one digest (state.c registers its file too),
 * gz_temp_release() frees a path with no digest at hand, and a host's
 * allocator could not be trusted to stay valid for the crash handler. */

static void temp_register(char *path) {
  for (size_t i = 0; i < TEMP_SLOTS; i++) {
    char *none = NULL;
    if (!atomic_load_explicit(&g_temps[i], memory_order_relaxed) &&
        atomic_compare_exchange_strong(&g_temps[i], &none, path))
      return;
  }
}

/* libzip writes an archive to "NAME.XXXXXX" beside it and renames that
 * over NAME when done, so a crash inside zip_close() leaves that file
 * behind too. Its random part is unknown here: the folder is read with the
 * raw system call (opendir() may allocate, which a signal handler must
 * not) and "TEMP." plus six characters is removed. */
#ifdef SYS_getdents64
struct dirent64_raw {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[];
};

static void remove_companions(const char *tmp) {
  char dir[4096];
  size_t dir_len = 0, base = 0;
  for (size_t i = 0; tmp[i]; i++)
    if (tmp[i] == '/') base = i + 1;
  if (base == 0) {
    dir[dir_len++] = '.';
  } else {
    dir_len = base > 1 ? base - 1 : 1;
    if (dir_len >= sizeof dir) return;
    for (size_t i = 0; i < dir_len; i++) dir[i] = tmp[i];
  }
  dir[dir_len] = '\0';
  const char *name = tmp + base;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  _Alignas(8) char buf[4096];
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      const struct dirent64_raw *e = (const void *)(buf + off);
      size_t k = 0;
      while (name[k] && e->name[k] == name[k]) k++;
      size_t rest = 0;
      if (!name[k] && e->name[k] == '.')
        while (e->name[k + 1 + rest]) rest++;
      if (!name[k] && e->name[k] == '.' && rest == 6) unlinkat(fd, e->name, 0);
      off += e->reclen;
    }
  }
  close(fd);
}
#else
static void remove_companions(const char *tmp) { (void)tmp; }
#endif

void gz_remove_temp_files(void) {
  for (size_t i = 0; i < TEMP_SLOTS; i++) {
    char *p = atomic_load(&g_temps[i]);
    if (p) {
      unlink(p);
      remove_companions(p);
    }
  }
}

static void temp_unregister(char *path) {
  for (size_t i = 0; i < TEMP_SLOTS; i++) {
    char *mine = path;
    if (atomic_load_explicit(&g_temps[i], memory_order_relaxed) == path &&
        atomic_compare_exchange_strong(&g_temps[i], &mine, NULL))
      break;
  }
}

void gz_temp_release(char *path, bool remove) {
  if (!path) return;
  temp_unregister(path);
  if (remove) unlink(path);
  free(path);
}

/* A name no other run is likely to pick; O_EXCL settles the rest. The
 * umask is left alone (changing it races with a host's other threads):
 * open() applies it to 0666 as for any new file. */
char *gz_temp_create(const char *target, gz_error *err) {
  static _Atomic uint64_t counter;
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const char *slash = strrchr(target, '/');
  size_t dir_len = slash ? (size_t)(slash - target + 1) : 0;
  const char *base = slash ? slash + 1 : target;
  size_t n = dir_len + strlen(base) + 32;
  char *path = malloc(n);
  if (!path) {
    gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return NULL;
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t seed = gz_hash_mix(gz_hash_mix((uint64_t)getpid(), (uint64_t)now.tv_nsec),
                              (uint64_t)(uintptr_t)path ^ (uint64_t)now.tv_sec);
  int e = EEXIST;
  for (int attempt = 0; attempt < 100 && e == EEXIST; attempt++) {
    uint64_t r = gz_hash_mix(seed, atomic_fetch_add(&counter, 1));
    char suffix[7];
    for (int k = 0; k < 6; k++, r /= 62) suffix[k] = alphabet[r % 62];
    suffix[6] = '\0';
    snprintf(path, n, "%.*s.%s.gz-%s", (int)dir_len, target, base, suffix);
    /* Registered before it exists: a signal handled between creating the
     * file and registering it (by any thread) would leave it behind. A
     * name that turns out to be taken is unregistered at once. */
    temp_register(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    e = errno;
    if (fd < 0) temp_unregister(path);
    if (fd >= 0) {
      close(fd);
      return path;
    }
  }
  gz_error_set(err, GZ_ERR_OUTPUT, target, 0, 0, "cannot write here: %s", strerror(e));
  free(path);
  return NULL;
}

int gz_fsync_path(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  int e = errno;
  close(fd);
  errno = e;
  return rc;
}

/* A renamed entry is only durable once its folder is flushed too. Some
 * file systems cannot fsync a folder (EINVAL): nothing more can be done
 * there, so that is not an error. */
int gz_fsync_parent(const char *path) {
  char dir[4096];
  const char *slash = strrchr(path, '/');
  if (!slash)
    gz_strlcpy(dir, ".", sizeof dir);
  else if (slash == path)
    gz_strlcpy(dir, "/", sizeof dir);
  else
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  if (rc != 0 && (errno == EINVAL || errno == ENOTSUP)) rc = 0;
  int e = errno;
  close(fd);
  errno = e;
  return rc;
}

/* ---- inputs and outputs ---- */

static uint64_t id_key(uint64_t dev, uint64_t ino, bool dir) {
  return gz_hash_mix(gz_hash_mix(dev, ino), dir ? 0x444952 : 0x46494c45);
}

int gz_input_note(gz_digest *d, uint64_t dev, uint64_t ino, bool dir) {
  return gz_digest_input_add(d, id_key(dev, ino, dir));
}

typedef bool (*is_input_fn)(const struct stat *st, bool dir, const void *ctx);

/* An extension some reader takes in a folder walk (the reader table). */
static bool readable_ext(const char *path) {
  const char *const *ext;
  for (int f = 1; gz_input_format_info((gz_input_format)f, NULL, NULL, &ext) == 0; f++)
    for (; *ext; ext++)
      if (gz_has_ext(path, *ext)) return true;
  return false;
}

/* The folder `target` would land in, or the nearest one of its ancestors
 * that exists (a --split folder may be created later). */
static bool nearest_folder(const char *target, char *buf, size_t cap, struct stat *st) {
  gz_strlcpy(buf, target, cap);
  for (;;) {
    char *slash = strrchr(buf, '/');
    if (!slash) {
      gz_strlcpy(buf, ".", cap);
      return stat(buf, st) == 0;
    }
    if (slash == buf)
      slash[1] = '\0';
    else
      *slash = '\0';
    if (stat(buf, st) == 0) return S_ISDIR(st->st_mode);
    if (slash == buf) return false;
  }
}

static int check_target(const char *target, is_input_fn is_input, const void *ctx, gz_error *err) {
  struct stat st;
  bool hit = stat(target, &st) == 0 && is_input(&st, false, ctx);
  if (!hit && readable_ext(target)) {
    /* Inside a folder that is read: climb through ".." (the real parent,
     * whatever links led here) up to the root. */
    char path[4096 + 3 * 256];
    struct stat prev;
    if (nearest_folder(target, path, sizeof path - 3 * 256, &st)) {
      for (int depth = 0; depth < 256 && !hit; depth++) {
        if (is_input(&st, true, ctx)) hit = true;
        prev = st;
        strcat(path, "/..");
        if (stat(path, &st) != 0 || (st.st_dev == prev.st_dev && st.st_ino == prev.st_ino)) break;
      }
    }
  }
  if (hit)
    return gz_error_set(err, GZ_ERR_USAGE, target, 0, 0,
                        "is also an input; refusing to overwrite it");
  return 0;
}

static bool digest_has(const struct stat *st, bool dir, const void *ctx) {
  const gz_digest *d = ctx;
  return gz_digest_input_has(d, id_key((uint64_t)st->st_dev, (uint64_t)st->st_ino, dir));
}

int gz_target_check(const gz_digest *d, const char *target, gz_error *err) {
  return check_target(target, digest_has, d, err);
}

typedef struct path_inputs {
  const char *const *inputs;
  size_t n;
} path_inputs;

static bool paths_have(const struct stat *st, bool dir, const void *ctx) {
  const path_inputs *pi = ctx;
  for (size_t i = 0; i < pi->n; i++) {
    struct stat in;
    if (strcmp(pi->inputs[i], "-") == 0 || stat(pi->inputs[i], &in) != 0) continue;
    if ((S_ISDIR(in.st_mode) != 0) == dir && in.st_dev == st->st_dev && in.st_ino == st->st_ino)
      return true;
  }
  return false;
}

int gz_check_target(const char *const *inputs, size_t n_inputs, const char *target, gz_error *err) {
  gz_error_clear(err);
  path_inputs pi = {inputs, n_inputs};
  return check_target(target, paths_have, &pi, err) ? -1 : 0;
}

/* Folders a --split run created, removed again (deepest first) when the
 * run fails, so that a failure leaves nothing behind. */
typedef struct made_dirs {
  char **paths;
  size_t n, cap;
} made_dirs;

static int make_parents(const gz_allocator *al, const char *target, made_dirs *m, gz_error *err) {
  char buf[4096];
  gz_strlcpy(buf, target, sizeof buf);
  char *last = strrchr(buf, '/');
  if (!last) return 0;
  for (char *p = buf + 1; p <= last; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) == 0) {
      size_t len = strlen(buf) + 1;
      char *copy = gz_malloc(al, len);
      if (copy) memcpy(copy, buf, len);
      if (!copy || gz_grow(al, (void **)&m->paths, &m->cap, m->n + 1, sizeof *m->paths)) {
        rmdir(buf);
        gz_free(al, copy);
        return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      }
      m->paths[m->n++] = copy;
    } else if (errno != EEXIST) {
      return gz_error_set(err, GZ_ERR_OUTPUT, buf, 0, 0, "cannot create this folder: %s",
                          strerror(errno));
    }
    *p = '/';
  }
  return 0;
}

static void unmake_dirs(const gz_allocator *al, made_dirs *m, bool remove) {
  for (size_t i = m->n; i-- > 0;) {
    if (remove) rmdir(m->paths[i]);
    gz_free(al, m->paths[i]);
  }
  gz_free(al, m->paths);
}

/* 1 when `a` and `b` hold the same bytes, 0 when not (or unreadable),
 * -1 out of memory. */
static int same_bytes(const gz_allocator *al, const char *a, const char *b) {
  struct stat sa, sb;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0 || !S_ISREG(sb.st_mode) || sa.st_size != sb.st_size)
    return 0;
  int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC);
  int same = fa >= 0 && fb >= 0;
  static const size_t chunk = 65536;
  char *ba = same ? gz_malloc(al, 2 * chunk) : NULL;
  if (same && !ba) same = -1;
  while (same > 0) {
    ssize_t na = read(fa, ba, chunk);
    if (na < 0 && errno == EINTR) continue;
    if (na <= 0) {
      same = na == 0;
      break;
    }
    size_t got = 0;
    while (got < (size_t)na) {
      ssize_t nb = read(fb, ba + chunk + got, (size_t)na - got);
      if (nb < 0 && errno == EINTR) continue;
      if (nb <= 0) break;
      got += (size_t)nb;
    }
    if (got != (size_t)na || memcmp(ba, ba + chunk, got) != 0) same = 0;
  }
  gz_free(al, ba);
  if (fa >= 0) close(fa);
  if (fb >= 0) close(fb);
  return same;
}

/* Two spellings of one path ("out/%Y/../undated.epub" gives
 * "out/2020/../undated.epub") compared as the names they stand for. */
static void normalize_path(const char *in, char *out, size_t cap) {
  size_t len = 0;
  bool absolute = in[0] == '/';
  if (absolute && cap > 1) out[len++] = '/';
  size_t root = len;
  out[len] = '\0';
  const char *p = in;
  while (*p) {
    while (*p == '/') p++;
    const char *q = p;
    while (*q && *q != '/') q++;
    size_t n = (size_t)(q - p);
    if (n == 0 || (n == 1 && p[0] == '.')) {
      /* nothing */
    } else if (n == 2 && p[0] == '.' && p[1] == '.' && len > root &&
               !(len - root >= 2 && out[len - 1] == '.' && out[len - 2] == '.' &&
                 (len - root == 2 || out[len - 3] == '/'))) {
      while (len > root && out[len - 1] != '/') len--;
      if (len > root) len--;
      out[len] = '\0';
    } else if (!(n == 2 && p[0] == '.' && p[1] == '.' && absolute && len == root)) {
      if (len + n + 2 >= cap) break;
      if (len > root) out[len++] = '/';
      memcpy(out + len, p, n);
      len += n;
      out[len] = '\0';
    }
    p = q;
  }
}

/* ---- split templates ---- */

static int expand_path(const char *tmpl, const gz_group *g, char *out, size_t cap, gz_error *err) {
  char why[256];
  if (g->undated) {
    /* No date to fill in: the Undated group goes to "undated" with the
     * template's extension, in the deepest folder of the template that
     * holds no field ("digests/%G/W%V.pdf" -> "digests/undated.pdf"). */
    const char *field = strchr(tmpl, '%');
    size_t dir_len = 0;
    for (const char *p = tmpl; *p && (!field || p < field); p++)
      if (*p == '/') dir_len = (size_t)(p - tmpl) + 1;
    const char *slash = strrchr(tmpl, '/');
    const char *dot = strrchr(slash ? slash + 1 : tmpl, '.');
    if ((size_t)snprintf(out, cap, "%.*sundated%s", (int)dir_len, tmpl, dot ? dot : "") >= cap)
      return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "--split template %s: too long", tmpl);
    return 0;
  }
  if (gz_expand_template(tmpl, g->start, out, cap, why, sizeof why))
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "--split template %s: %s", tmpl, why);
  return 0;
}

/* ---- rendering jobs ---- */

typedef struct pool {
  const gz_view *d;
  const gz_write_options *w;
  gz_job *jobs;
  int inner_threads;
} pool;

static int render(const gz_view *d, const gz_write_options *w, gz_job *job, int threads) {
  if (w->format == GZ_FORMAT_PDF) return gz_pdf_render(d, w, job, threads);
  return gz_epub_render(d, w, job, threads);
}

static void render_job(void *ctx, size_t i) {
  pool *p = ctx;
  gz_job *job = &p->jobs[i];
  if (gz_view_canceled(p->d))
    job->rc = gz_error_set(&job->err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
  else
    job->rc = render(p->d, p->w, job, p->inner_threads);
}

static void run_jobs(const gz_view *d, const gz_write_options *w, gz_job *jobs, size_t n_jobs) {
  int threads = w->jobs > 0 ? w->jobs : gz_cores();
  uint64_t total = 0;
  for (size_t i = 0; i < n_jobs; i++)
    for (size_t g = 0; g < jobs[i].n_groups; g++) total += jobs[i].groups[g].n_items;
  gz_progress progress = {.opts = d->opts, .total = total};
  atomic_init(&progress.written, 0);
  pthread_mutex_init(&progress.lock, NULL);
  for (size_t i = 0; i < n_jobs; i++) jobs[i].progress = &progress;
  /* One big output uses the threads inside (chapters); many outputs use
   * them one job each. */
  pool p = {.d = d, .w = w, .jobs = jobs, .inner_threads = n_jobs == 1 ? threads : 1};
  gz_parallel_for(n_jobs, n_jobs == 1 ? 1 : threads, render_job, &p);
  for (size_t i = 0; i < n_jobs; i++) jobs[i].progress = NULL;
  pthread_mutex_destroy(&progress.lock);
}

static void free_jobs(const gz_allocator *al, gz_job *jobs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    gz_free(al, jobs[i].diags);
    gz_arena_clear(&jobs[i].diag_arena);
  }
  gz_free(al, jobs);
}

/* Replays each job's messages in job order, naming its file. */
static void replay(gz_digest *d, gz_job *jobs, size_t n, const char *const *names) {
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < jobs[i].n_diags; k++) {
      const gz_diag *dg = &jobs[i].diags[k].diag;
      gz_diag_add(d, dg->severity, names[i], 0, 0, "%s", dg->message);
    }
}

static int check_ready(const gz_view *d, gz_error *err) {
  gz_error_clear(err);
  if (!d->finished)
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "gz_digest_finish() must come first");
  if (d->n_groups == 0) return gz_error_set(err, GZ_ERR_EMPTY, "", 0, 0, "no articles to write");
  return 0;
}

/* Flushes many files at once: one syncfs() per file system they are on
 * costs far less than an fsync() per file (4,000 daily books: seconds,
 * not most of a minute). */
#define SYNC_EACH_MAX 32

static int sync_filesystems(char **paths, const bool *skip, size_t n) {
  dev_t devs[16];
  size_t n_devs = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (skip[i]) continue;
    if (stat(paths[i], &st) != 0) return -1;
    size_t k = 0;
    while (k < n_devs && devs[k] != st.st_dev) k++;
    if (k < n_devs) continue;
    int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = syncfs(fd);
    close(fd);
    if (rc != 0) return -1;
    if (n_devs < sizeof devs / sizeof devs[0]) devs[n_devs++] = st.st_dev;
  }
  return 0;
}

/* Moves the finished temporary files into place, flushed to disk first
 * (their folders after), and leaves an output whose bytes would not change
 * as it is (mtime and inode too), so that make, rsync and sync tools see
 * only real changes. */
static int install(gz_digest *digest, gz_job *jobs, char **finals, size_t n_jobs, gz_error *err) {
  const gz_view *d = gz_digest_view(digest);
  gz_counts *counts = gz_digest_tally(digest);
  size_t n = n_jobs ? n_jobs : 1;
  bool *same = gz_malloc(d->al, n * sizeof *same);
  char **tmps = gz_malloc(d->al, n * sizeof *tmps);
  int rc = 0;
  if (!same || !tmps) rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  size_t n_new = 0;
  for (size_t i = 0; i < n_jobs && rc == 0; i++) {
    tmps[i] = (char *)jobs[i].path;
    int s = same_bytes(d->al, jobs[i].path, finals[i]);
    if (s < 0) rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    same[i] = s > 0;
    if (!same[i]) n_new++;
  }
  bool each = n_new <= SYNC_EACH_MAX;
  if (rc == 0 && !each && sync_filesystems(tmps, same, n_jobs))
    rc = gz_error_set(err, GZ_ERR_OUTPUT, finals[0], 0, 0, "cannot write: %s", strerror(errno));
  for (size_t i = 0; i < n_jobs && rc == 0; i++)
    if (!same[i] && each && gz_fsync_path(jobs[i].path) != 0)
      rc = gz_error_set(err, GZ_ERR_OUTPUT, finals[i], 0, 0, "cannot write: %s", strerror(errno));
  for (size_t i = 0; i < n_jobs && rc == 0; i++) {
    if (same[i]) {
      gz_temp_release((char *)jobs[i].path, true);
      jobs[i].path = NULL;
      counts->files_unchanged++;
      continue;
    }
    if (rename(jobs[i].path, finals[i]) != 0) {
      rc = gz_error_set(err, GZ_ERR_OUTPUT, finals[i], 0, 0, "cannot move into place: %s",
                        strerror(errno));
      break;
    }
    gz_temp_release((char *)jobs[i].path, false);
    jobs[i].path = NULL;
    counts->files_written++;
    if (each && gz_fsync_parent(finals[i]) != 0)
      rc = gz_error_set(err, GZ_ERR_OUTPUT, finals[i], 0, 0, "cannot write: %s", strerror(errno));
  }
  if (rc == 0 && !each && sync_filesystems(finals, same, n_jobs))
    rc = gz_error_set(err, GZ_ERR_OUTPUT, finals[0], 0, 0, "cannot write: %s", strerror(errno));
  gz_free(d->al, same);
  gz_free(d->al, tmps);
  return rc;
}

static char *copy_str(const gz_allocator *al, const char *s) {
  size_t n = strlen(s) + 1;
  char *c = gz_malloc(al, n);
  if (c) memcpy(c, s, n);
  return c;
}

int gz_digest_write(gz_digest *digest, const gz_write_options *opts, const char *path,
                    gz_error *err) {
  const gz_view *d = gz_digest_view(digest);
  gz_write_options clean, *w = &clean; /* the options made safe, once */
  if (gz_write_options_clean(opts, &clean, gz_digest_arena(digest), err)) return -1;
  if (check_ready(d, err)) return -1;
  size_t n_jobs = w->split ? d->n_groups : 1;
  gz_job *jobs = gz_malloc(d->al, n_jobs * sizeof *jobs);
  char **finals = gz_malloc(d->al, n_jobs * sizeof *finals);
  char **norms = gz_malloc(d->al, n_jobs * sizeof *norms);
  made_dirs made = {NULL, 0, 0};
  int rc = 0;
  if (!jobs || !finals || !norms) {
    gz_free(d->al, jobs);
    gz_free(d->al, finals);
    gz_free(d->al, norms);
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  memset(jobs, 0, n_jobs * sizeof *jobs);
  memset(finals, 0, n_jobs * sizeof *finals);
  memset(norms, 0, n_jobs * sizeof *norms);
  for (size_t i = 0; i < n_jobs; i++) {
    gz_arena_init(&jobs[i].diag_arena, d->al);
    jobs[i].groups = w->split ? &d->groups[i] : d->groups;
    jobs[i].n_groups = w->split ? 1 : d->n_groups;
  }
  gz_digest_tally(digest)->files_written = gz_digest_tally(digest)->files_unchanged = 0;
  /* Every final path first: a template collision (also through "..", as
   * the Undated group's name could meet a dated one) is a usage error
   * before anything is written. */
  for (size_t i = 0; i < n_jobs && rc == 0; i++) {
    char buf[4096], norm[4096];
    if (w->split) {
      if (expand_path(path, &d->groups[i], buf, sizeof buf, err)) {
        rc = -1;
        break;
      }
    } else {
      gz_strlcpy(buf, path, sizeof buf);
    }
    normalize_path(buf, norm, sizeof norm);
    finals[i] = copy_str(d->al, buf);
    norms[i] = copy_str(d->al, norm);
    if (!finals[i] || !norms[i]) rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    for (size_t k = 0; k < i && rc == 0; k++)
      if (strcmp(norms[k], norms[i]) == 0 && (d->groups[k].undated || d->groups[i].undated))
        rc = gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                          "--split template %s gives \"%s\" the file %s, which is where "
                          "undated articles go; change the template",
                          path, d->groups[d->groups[k].undated ? i : k].label,
                          finals[d->groups[k].undated ? i : k]);
      else if (strcmp(norms[k], norms[i]) == 0)
        rc = gz_error_set(err, GZ_ERR_USAGE, "", 0, 0,
                          "--split template %s gives \"%s\" and \"%s\" the same file %s; add "
                          "fields such as %%d or %%V",
                          path, d->groups[k].label, d->groups[i].label, finals[i]);
  }
  /* No output may replace what was read, whatever name it goes by. */
  for (size_t i = 0; i < n_jobs && rc == 0; i++) rc = gz_target_check(digest, finals[i], err);
  if (rc == 0 && d->opts->new_since_state)
    rc = gz_target_check(digest, d->opts->new_since_state, err);
  /* From here the run writes: folders a template names come first. */
  for (size_t i = 0; i < n_jobs && rc == 0 && w->split; i++)
    rc = make_parents(d->al, finals[i], &made, err);
  for (size_t i = 0; i < n_jobs && rc == 0; i++) {
    char *tmp = gz_temp_create(finals[i], err);
    if (!tmp) {
      rc = -1;
      break;
    }
    jobs[i].path = tmp;
  }
  if (rc == 0) {
    run_jobs(d, w, jobs, n_jobs);
    replay(digest, jobs, n_jobs, (const char *const *)finals);
    for (size_t i = 0; i < n_jobs && rc == 0; i++)
      if (jobs[i].rc) {
        *err = jobs[i].err;
        if (!err->file[0] || strcmp(err->file, jobs[i].path) == 0)
          gz_strlcpy(err->file, finals[i], sizeof err->file);
        rc = -1;
      }
  }
  if (rc == 0 && gz_view_canceled(d))
    rc = gz_error_set(err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
  if (rc == 0) rc = install(digest, jobs, finals, n_jobs, err);
  for (size_t i = 0; i < n_jobs; i++) {
    gz_temp_release((char *)jobs[i].path, true);
    gz_free(d->al, finals[i]);
    gz_free(d->al, norms[i]);
  }
  /* A failed run takes back the folders it made (those still empty). */
  unmake_dirs(d->al, &made, rc != 0);
  gz_free(d->al, finals);
  gz_free(d->al, norms);
  free_jobs(d->al, jobs, n_jobs);
  return rc;
}

int gz_digest_write_fd(gz_digest *digest, const gz_write_options *opts, int fd, gz_error *err) {
  const gz_view *d = gz_digest_view(digest);
  gz_write_options clean, *w = &clean; /* the options made safe, once */
  if (gz_write_options_clean(opts, &clean, gz_digest_arena(digest), err)) return -1;
  if (check_ready(d, err)) return -1;
  if (w->split)
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "--split cannot write to one stream");
  /* Renderers need a seekable file; the stream gets a copy when done. */
  char target[4096];
  snprintf(target, sizeof target, "%s/gazette-out", gz_temp_dir(digest));
  char *tmp = gz_temp_create(target, err);
  if (!tmp) return -1;
  gz_job *job = gz_malloc(d->al, sizeof *job);
  if (!job) {
    gz_temp_release(tmp, true);
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  memset(job, 0, sizeof *job);
  gz_arena_init(&job->diag_arena, d->al);
  job->groups = d->groups;
  job->n_groups = d->n_groups;
  job->path = tmp;
  run_jobs(d, w, job, 1);
  const char *name = "<stdout>";
  replay(digest, job, 1, &name);
  int rc = 0;
  if (job->rc) {
    *err = job->err;
    rc = -1;
  }
  if (rc == 0) {
    int in = open(tmp, O_RDONLY | O_CLOEXEC);
    if (in < 0)
      rc = gz_error_set(err, GZ_ERR_OUTPUT, "", 0, 0, "cannot reopen: %s", strerror(errno));
    char buf[65536];
    while (rc == 0) {
      ssize_t n = read(in, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      /* A failed read is no end of file: the stream would be cut short. */
      if (n < 0)
        rc = gz_error_set(err, GZ_ERR_OUTPUT, "<stdout>", 0, 0,
                          "cannot read the finished output back: %s", strerror(errno));
      if (n <= 0) break;
      if (gz_write_all(fd, buf, (size_t)n))
        rc =
            gz_error_set(err, GZ_ERR_OUTPUT, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
    }
    if (in >= 0) close(in);
  }
  gz_temp_release(tmp, true);
  free_jobs(d->al, job, 1);
  if (rc == 0) gz_digest_tally(digest)->files_written = 1;
  return rc;
}
