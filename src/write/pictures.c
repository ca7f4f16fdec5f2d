/*
 * pictures.c - the pictures of one output (pictures.h): loading and
 * processing through the image library, storing each picture once, and
 * the warnings for those left out, handed to the job in output order
 * whatever thread met them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "write/pictures.h"

typedef struct kept {
  gz_pic pic; /* data NULL: the bytes are in the temporary file */
  uint64_t off;
  uint64_t key; /* of the src as written and the input it is relative to */
} kept;

typedef struct warning {
  uint64_t order;
  char *msg;
} warning;

struct gz_pics {
  const gz_view *d;
  const gz_write_options *w;
  gz_job *job;
  gz_img_loader *loader;
  gz_img_opts io;
  bool off;
  int fd; /* the temporary file of kept pictures (spill), or -1 */
  uint64_t fd_size;
  pthread_mutex_t lock;
  kept *kept;
  size_t n_kept, cap_kept;
  gz_set64 hashes;
  warning *warns;
  size_t n_warns, cap_warns;
  size_t remote; /* remote pictures left out without --fetch-images */
  bool oom;
};

gz_pics *gz_pics_new(const gz_view *d, const gz_write_options *w, gz_job *job, bool no_alpha,
                     bool spill) {
  gz_pics *p = gz_malloc(d->al, sizeof *p);
  if (!p) {
    gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    return NULL;
  }
  memset(p, 0, sizeof *p);
  p->d = d;
  p->w = w;
  p->job = job;
  p->fd = -1;
  p->off = w->no_images != 0;
  p->io.max_side = w->image_max > 0 ? (uint32_t)w->image_max : 0;
  p->io.grayscale = w->grayscale_images != 0;
  p->io.no_alpha = no_alpha;
  pthread_mutex_init(&p->lock, NULL);
  gz_set64_init(&p->hashes, d->al);
  if (p->off) return p;
  gz_img_loader_opts lo;
  memset(&lo, 0, sizeof lo);
  lo.fetch = w->fetch_images != 0;
  lo.allow_private_hosts = w->allow_private_hosts != 0;
  lo.cache_dir = w->image_cache;
  if (!(p->loader = gz_img_loader_new(d->al, &lo))) {
    gz_error_set(&job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    gz_pics_free(p);
    return NULL;
  }
  if (spill) {
    const char *dir = gz_temp_dir(d->digest);
    char path[4096];
    snprintf(path, sizeof path, "%s/gazette-images-XXXXXX", dir);
    p->fd = mkstemp(path);
    if (p->fd < 0) {
      gz_error_set(&job->err, GZ_ERR_OUTPUT, dir, 0, 0,
                   "cannot create a temporary file in this folder: %s", strerror(errno));
      gz_pics_free(p);
      return NULL;
    }
    /* unlinked at once: it vanishes however the process ends */
    unlink(path);
  }
  return p;
}

void gz_pics_free(gz_pics *p) {
  if (!p) return;
  const gz_allocator *al = p->d->al;
  if (p->loader) gz_img_loader_free(p->loader);
  if (p->fd >= 0) close(p->fd);
  for (size_t i = 0; i < p->n_kept; i++) gz_free(al, p->kept[i].pic.data);
  gz_free(al, p->kept);
  for (size_t i = 0; i < p->n_warns; i++) gz_free(al, p->warns[i].msg);
  gz_free(al, p->warns);
  gz_set64_free(&p->hashes);
  pthread_mutex_destroy(&p->lock);
  gz_free(al, p);
}

bool gz_pics_off(const gz_pics *p) { return p->off; }

/* Records a warning about a picture of article `a`; under the lock. */
static void warn(gz_pics *p, const gz_article *a, const char *src, uint64_t order,
                 const char *why) {
  char shown[80], printable[80], title[96], where[1100], msg[2400];
  /* a data: URI is long and says nothing to a reader of the message */
  if (strncmp(src, "data:", 5) == 0)
    gz_strlcpy(shown, "data: URI", sizeof shown);
  else
    gz_short(gz_printable(src, printable, sizeof printable), shown, sizeof shown);
  gz_article_source(a, where, sizeof where);
  snprintf(msg, sizeof msg, "the image %s of \"%s\" (%s) is left out: %s", shown,
           gz_short(a->title ? a->title : "Untitled", title, sizeof title), where, why);
  const gz_allocator *al = p->d->al;
  char *copy = gz_malloc(al, strlen(msg) + 1);
  if (!copy || gz_grow(al, (void **)&p->warns, &p->cap_warns, p->n_warns + 1, sizeof *p->warns)) {
    gz_free(al, copy);
    p->oom = true;
    return;
  }
  memcpy(copy, msg, strlen(msg) + 1);
  p->warns[p->n_warns].order = order;
  p->warns[p->n_warns].msg = copy;
  p->n_warns++;
}

static uint64_t src_key(const gz_article *a, const char *src) {
  const char *f = a->file ? a->file : "";
  return gz_hash_mix(gz_hash64(f, strlen(f), 7), gz_hash64(src, strlen(src), 11));
}

/* A kept picture by the key of its src; under the lock. */
static const kept *find_src(const gz_pics *p, uint64_t key) {
  for (size_t i = p->n_kept; i-- > 0;)
    if (p->kept[i].key == key) return &p->kept[i];
  return NULL;
}

static void copy_out(const kept *k, gz_pic *out) {
  *out = k->pic;
  out->data = NULL;
  out->len = k->pic.len;
}

int gz_pics_get(gz_pics *p, const gz_article *a, const char *src, uint64_t order, bool bytes,
                gz_pic *out) {
  memset(out, 0, sizeof *out);
  if (p->off || !src || !*src) return -1;
  const gz_allocator *al = p->d->al;
  uint64_t key = src_key(a, src);
  { /* used before in this output: nothing to load */
    pthread_mutex_lock(&p->lock);
    const kept *k = find_src(p, key);
    if (k) copy_out(k, out);
    pthread_mutex_unlock(&p->lock);
    if (k) return 0;
  }
  unsigned char *raw = NULL;
  size_t raw_len = 0;
  char why[512] = "";
  gz_img_status st = gz_img_load(p->loader, src, a->file, &raw, &raw_len, why, sizeof why);
  gz_img img;
  memset(&img, 0, sizeof img);
  int rc = -1;
  if (st == GZ_IMGSRC_OK) {
    rc = gz_img_process(al, raw, raw_len, &p->io, &img, why, sizeof why);
    gz_free(al, raw);
  }
  pthread_mutex_lock(&p->lock);
  if (st == GZ_IMGSRC_REMOTE_SKIPPED) {
    p->remote++;
  } else if (rc != 0) {
    warn(p, a, src, order, why[0] ? why : "it cannot be read");
  } else {
    uint64_t h = gz_hash64(img.data, img.len, 0x9e3779b97f4a7c15ull);
    gz_pic pic;
    memset(&pic, 0, sizeof pic);
    snprintf(pic.name, sizeof pic.name, "images/%016llx.%s", (unsigned long long)h,
             strcmp(img.media_type, "image/png") == 0 ? "png" : "jpg");
    pic.media_type = img.media_type;
    pic.width = img.width;
    pic.height = img.height;
    pic.hash = h;
    pic.alpha = img.alpha;
    pic.passthrough = img.passthrough;
    pic.len = img.len;
    int added = gz_set64_add(&p->hashes, h);
    if (added < 0 || gz_grow(al, (void **)&p->kept, &p->cap_kept, p->n_kept + 1, sizeof *p->kept)) {
      p->oom = true;
      rc = -1;
    } else {
      kept *k = &p->kept[p->n_kept];
      memset(k, 0, sizeof *k);
      k->pic = pic;
      k->key = key;
      k->off = UINT64_MAX;
      if (added == 0) { /* the same picture from another src: stored once */
        for (size_t i = 0; i < p->n_kept; i++)
          if (p->kept[i].pic.hash == h) k->off = p->kept[i].off;
      } else if (p->fd >= 0) {
        size_t done = 0;
        while (done < img.len) {
          ssize_t n = pwrite(p->fd, img.data + done, img.len - done, (off_t)(p->fd_size + done));
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) break;
          done += (size_t)n;
        }
        if (done < img.len) {
          rc = -1;
          gz_error_set(&p->job->err, GZ_ERR_OUTPUT, "", 0, 0,
                       "cannot write the temporary file of images: %s",
                       errno ? strerror(errno) : "short write");
          p->oom = true;
        } else {
          k->off = p->fd_size;
          p->fd_size += img.len;
        }
      }
      if (rc == 0) p->n_kept++;
      *out = pic;
      out->data = NULL;
    }
  }
  pthread_mutex_unlock(&p->lock);
  if (rc == 0 && bytes) {
    out->data = img.data;
    out->len = img.len;
  } else {
    gz_img_free(al, &img);
  }
  return rc;
}

void gz_pic_release(gz_pics *p, gz_pic *pic) {
  gz_free(p->d->al, pic->data);
  pic->data = NULL;
}

static int by_name(const void *x, const void *y) {
  return strcmp(((const kept *)x)->pic.name, ((const kept *)y)->pic.name);
}

void gz_pics_sort(gz_pics *p) {
  /* one entry per picture: those met again under another src go */
  size_t n = 0;
  if (p->n_kept) qsort(p->kept, p->n_kept, sizeof *p->kept, by_name);
  for (size_t i = 0; i < p->n_kept; i++)
    if (n == 0 || strcmp(p->kept[n - 1].pic.name, p->kept[i].pic.name) != 0)
      p->kept[n++] = p->kept[i];
  p->n_kept = n;
}

size_t gz_pics_count(const gz_pics *p) { return p->n_kept; }

const gz_pic *gz_pics_at(const gz_pics *p, size_t i, uint64_t *off) {
  *off = p->kept[i].off;
  return &p->kept[i].pic;
}

int gz_pics_pread(const gz_pics *p, void *buf, size_t n, uint64_t off) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = pread(p->fd, (char *)buf + done, n - done, (off_t)(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    done += (size_t)r;
  }
  return 0;
}

static int by_order(const void *x, const void *y) {
  uint64_t a = ((const warning *)x)->order, b = ((const warning *)y)->order;
  return a < b ? -1 : a > b;
}

void gz_pics_report(gz_pics *p) {
  if (p->n_warns) qsort(p->warns, p->n_warns, sizeof *p->warns, by_order);
  for (size_t i = 0; i < p->n_warns; i++)
    gz_job_diag(p->job, GZ_SEV_WARNING, "%s", p->warns[i].msg);
  if (p->remote)
    gz_job_diag(p->job, GZ_SEV_WARNING, "%zu remote image%s left out; --fetch-images embeds them",
                p->remote, p->remote == 1 ? "" : "s");
  if (p->oom && p->job->err.code == GZ_OK)
    gz_error_set(&p->job->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
}

bool gz_pics_failed(const gz_pics *p) { return p->oom; }

bool gz_pics_lead_in_body(const gz_article *a, const gz_body *body) {
  if (!a->image) return true;
  for (size_t i = 0; i < body->n; i++)
    if (body->blocks[i].type == GZ_BLOCK_IMAGE)
      return strcmp(body->blocks[i].image.src, a->image) == 0;
  return false;
}
