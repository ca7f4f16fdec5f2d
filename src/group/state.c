/*
 * state.c - the --new-since state file: which articles went out before.
 *
 * A text file, "gazette-state 1" then one 16-digit hexadecimal identity per
 * line, sorted, so that it diffs well and stays small (17 bytes an
 * article). It is read when the digest is created and rewritten
 * atomically only after the output was written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"

#define STATE_MAGIC "gazette-state 1"

/* The identities of the articles sent before. */
struct gz_seen {
  gz_set64 ids;
};

bool gz_seen_has(const struct gz_seen *s, uint64_t identity) {
  return s && gz_set64_has(&s->ids, identity);
}

void gz_seen_free(struct gz_seen *s) {
  if (!s) return;
  const gz_allocator *al = s->ids.al;
  gz_set64_free(&s->ids);
  gz_free(al, s);
}

static int load(struct gz_seen *s, const char *path, gz_error *err) {
  FILE *f = fopen(path, "r");
  if (!f) {
    if (errno == ENOENT) return 0; /* the first run: nothing was sent yet */
    return gz_error_set(err, GZ_ERR_USAGE, path, 0, 0, "cannot read the state file: %s",
                        strerror(errno));
  }
  char line[128];
  unsigned long no = 0;
  int rc = 0;
  while (fgets(line, sizeof line, f)) {
    no++;
    size_t n = strcspn(line, "\r\n");
    line[n] = '\0';
    if (no == 1) {
      if (strcmp(line, STATE_MAGIC) != 0) {
        rc = gz_error_set(err, GZ_ERR_USAGE, path, 1, 1,
                          "not a gazette state file (it should start with \"%s\")", STATE_MAGIC);
        break;
      }
      continue;
    }
    if (n == 0) continue;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(line, &end, 16);
    if (n != 16 || *end || errno) {
      rc = gz_error_set(err, GZ_ERR_USAGE, path, no, 1, "damaged state file: not an identity");
      break;
    }
    if (gz_set64_add(&s->ids, v) < 0) {
      rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      break;
    }
  }
  if (rc == 0 && no == 0)
    rc = gz_error_set(err, GZ_ERR_USAGE, path, 0, 0, "empty state file (delete it to start over)");
  fclose(f);
  return rc;
}

struct gz_seen *gz_seen_load(const char *path, const gz_allocator *al, gz_error *err) {
  struct gz_seen *s = gz_malloc(al, sizeof *s);
  if (!s) {
    gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return NULL;
  }
  gz_set64_init(&s->ids, al);
  if (load(s, path, err)) {
    gz_seen_free(s);
    return NULL;
  }
  return s;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

int gz_digest_commit_state(gz_digest *d, gz_error *err) {
  gz_error_clear(err);
  const gz_view *v = gz_digest_view(d);
  const char *path = v->opts->new_since_state;
  struct gz_seen *seen = gz_digest_seen(d);
  if (!path || !seen) return 0;
  gz_set64 *set = &seen->ids;
  /* What went out, and the copies it stood for. */
  for (size_t i = 0; i < v->n_articles; i++)
    if ((v->articles[i].status == GZ_ART_KEPT || v->articles[i].status == GZ_ART_DUPLICATE) &&
        gz_set64_add(set, gz_article_identity(&v->articles[i])) < 0)
      return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  size_t n = set->count + (set->has_zero ? 1 : 0);
  uint64_t *ids = gz_malloc(v->al, (n ? n : 1) * sizeof *ids);
  if (!ids) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  size_t k = 0;
  for (size_t i = 0; i < set->cap; i++)
    if (set->keys[i]) ids[k++] = set->keys[i];
  if (set->has_zero) ids[k++] = 0;
  qsort(ids, k, sizeof *ids, cmp_u64);
  if (gz_target_check(d, path, err)) {
    gz_free(v->al, ids);
    return -1;
  }
  char *tmp = gz_temp_create(path, err);
  if (!tmp) {
    gz_free(v->al, ids);
    if (err->code != GZ_ERR_OUTPUT) return -1;
    char why[sizeof err->message];
    gz_strlcpy(why, err->message, sizeof why);
    return gz_error_set(err, GZ_ERR_OUTPUT, path, 0, 0, "the state file: %s", why);
  }
  /* The new file takes the old one's mode (a state file shared with a
   * group stays readable by it); a first one gets 0666 less the umask. */
  struct stat st;
  int fd = open(tmp, O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && stat(path, &st) == 0) fchmod(fd, st.st_mode & 07777);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    int e = errno;
    if (fd >= 0) close(fd);
    gz_temp_release(tmp, true);
    gz_free(v->al, ids);
    return gz_error_set(err, GZ_ERR_OUTPUT, path, 0, 0, "cannot write the state file: %s",
                        strerror(e));
  }
  fprintf(f, "%s\n", STATE_MAGIC);
  for (size_t i = 0; i < k; i++) fprintf(f, "%016llx\n", (unsigned long long)ids[i]);
  gz_free(v->al, ids);
  /* On disk before the rename, so that a crash leaves the old state or
   * the new one, never an empty file. */
  bool bad = fflush(f) != 0 || ferror(f) != 0 || fsync(fileno(f)) != 0;
  int e = errno;
  if (fclose(f) != 0 && !bad) {
    bad = true;
    e = errno;
  }
  if (!bad && rename(tmp, path) != 0) {
    bad = true;
    e = errno;
  }
  if (bad) {
    gz_temp_release(tmp, true);
    return gz_error_set(err, GZ_ERR_OUTPUT, path, 0, 0, "cannot write the state file: %s",
                        strerror(e));
  }
  gz_temp_release(tmp, false);
  if (gz_fsync_parent(path) != 0)
    return gz_error_set(err, GZ_ERR_OUTPUT, path, 0, 0, "cannot write the state file: %s",
                        strerror(errno));
  return 0;
}
