/*
 * fetch_tool.c - the image loader and processing from the command line,
 * for images_fetch.py: one loader for all URLs given (its budget shared),
 * one line a URL: the status, the requests sent so far, and either what
 * the bytes became or why they were refused.
 *
 * fetch_tool [--fetch] [--allow-private] [--public IP] [--cache DIR]
 *            [--timeout MS] [--max-bytes N] [--max-total N] URL...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/imgint.h"

int main(int argc, char **argv) {
  gz_img_loader_opts o = {0};
  const char *public_ip = NULL;
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
