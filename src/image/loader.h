/*
 * loader.h - the loader's state, shared by source.c (where bytes come
 * from) and fetch.c (remote bytes through libcurl).
 */
#ifndef GZ_IMG_LOADER_H
#define GZ_IMG_LOADER_H

#include <pthread.h>

#include "image/imgint.h"

struct gz_img_loader {
  const gz_allocator *al;
  gz_img_loader_opts o; /* defaults filled in; cache_dir owned */
  pthread_mutex_t lock; /* guards the counters below */
  size_t requests;
  size_t fetched; /* bytes received for this digest, against o.max_total */
  char public_ip[64];
};

#endif
