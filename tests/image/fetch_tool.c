/*
 * fetch_tool.c - the image loader and processing from the command line,
 * for images_fetch.py: one loader for all URLs given (its budget shared),
 * one line a URL: the status, the requests sent so far, and either what
 * the bytes became or why they were refused.
 *
 * fetch_tool [--fetch] [--allow-private] [--public IP] [--cache DIR]
 *            [--timeout MS] [--max-bytes N] [--max-total N] [--threads N] URL...
 *
 * With --threads N, N threads load every URL at once through the one
 * loader (as the writers' workers do) and one line sums them up; "{t}"
 * in a URL becomes the thread's number, so that threads can ask for
 * different images.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/imgint.h"

typedef struct crowd {
  gz_img_loader *l;
  char **urls;
  int nurls;
  pthread_mutex_t lock;
  size_t ok, refused, failed, ok_bytes;
} crowd;

typedef struct member {
  crowd *c;
  int t;
} member;

static void *worker(void *arg) {
  member *m = arg;
  crowd *c = m->c;
  for (int i = 0; i < c->nurls; i++) {
    unsigned char *b = NULL;
    size_t n = 0;
    char why[512], url[2048];
    const char *u = c->urls[i], *mark = strstr(u, "{t}");
    if (mark)
      snprintf(url, sizeof url, "%.*s%d%s", (int)(mark - u), u, m->t, mark + 3);
    else
      snprintf(url, sizeof url, "%s", u);
    gz_img_status st = gz_img_load(c->l, url, NULL, &b, &n, why, sizeof why);
    pthread_mutex_lock(&c->lock);
    if (st == GZ_IMGSRC_OK) {
      c->ok++;
      c->ok_bytes += n;
    } else if (st == GZ_IMGSRC_REFUSED) {
      c->refused++;
    } else {
      c->failed++;
    }
    pthread_mutex_unlock(&c->lock);
    free(b);
  }
  return NULL;
}

static int run_threads(gz_img_loader *l, int threads, char **urls, int nurls) {
  crowd c = {.l = l, .urls = urls, .nurls = nurls};
  pthread_mutex_init(&c.lock, NULL);
  pthread_t t[64];
  member m[64];
  if (threads > 64) threads = 64;
  for (int i = 0; i < threads; i++) {
    m[i] = (member){&c, i};
    pthread_create(&t[i], NULL, worker, &m[i]);
  }
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  printf("ok=%zu refused=%zu failed=%zu ok_bytes=%zu requests=%zu\n", c.ok, c.refused, c.failed,
         c.ok_bytes, gz_img_loader_requests(l));
  pthread_mutex_destroy(&c.lock);
  gz_img_loader_free(l);
  return 0;
}

int main(int argc, char **argv) {
  gz_img_loader_opts o = {0};
  const char *public_ip = NULL;
  int threads = 0;
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : "";
    if (strcmp(a, "--fetch") == 0) {
      o.fetch = true;
    } else if (strcmp(a, "--allow-private") == 0) {
      o.allow_private_hosts = true;
    } else if (strcmp(a, "--public") == 0) {
      public_ip = v, i++;
    } else if (strcmp(a, "--cache") == 0) {
      o.cache_dir = v, i++;
    } else if (strcmp(a, "--timeout") == 0) {
      o.timeout_ms = atol(v), i++;
    } else if (strcmp(a, "--max-bytes") == 0) {
      o.max_bytes = (size_t)atol(v), i++;
    } else if (strcmp(a, "--threads") == 0) {
      threads = atoi(v), i++;
    } else if (strcmp(a, "--max-total") == 0) {
      o.max_total = (size_t)atol(v), i++;
    } else {
      fprintf(stderr, "unknown option %s\n", a);
      return 2;
    }
  }
  gz_img_loader *l = gz_img_loader_new(NULL, &o);
  if (!l) return 2;
  if (public_ip) gz_img_loader_treat_as_public(l, public_ip);
  if (threads > 0) return run_threads(l, threads, argv + i, argc - i);
  static const char *names[] = {"OK", "REMOTE_SKIPPED", "REFUSED", "FAILED"};
  for (; i < argc; i++) {
    unsigned char *b = NULL;
    size_t n = 0;
    char why[512] = "";
    gz_img_status st = gz_img_load(l, argv[i], NULL, &b, &n, why, sizeof why);
    printf("%s requests=%zu", names[st], gz_img_loader_requests(l));
    if (st != GZ_IMGSRC_OK) {
      printf(" why=%s\n", why);
      continue;
    }
    printf(" bytes=%zu type=%s", n, gz_img_type_name(gz_img_sniff(b, n)));
    gz_img img;
    if (gz_img_process(NULL, b, n, NULL, &img, why, sizeof why) == 0) {
      printf(" image=%s %ux%u\n", img.media_type, img.width, img.height);
      gz_img_free(NULL, &img);
    } else {
      printf(" refused=%s\n", why);
    }
    free(b);
  }
  gz_img_loader_free(l);
  return 0;
}
