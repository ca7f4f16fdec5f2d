/*
 * epub.h - what the parts of the EPUB writer share (private to
 * src/write/epub/): the job being written, its content documents planned
 * as parts, and the functions each file of the folder gives the others.
 *
 * Content documents are planned before anything is rendered: one per
 * group, cut into parts of about 300 KB by the sizes recorded in the
 * spool. Parts are then rendered and deflated by worker threads, each
 * into its own buffer, and handed to libzip already compressed (a source
 * whose stat says "deflate"), so libzip only copies them. The bytes never
 * depend on the number of threads. Everything that is not a body (package
 * document, navigation, title page) is written in the calling thread.
 *
 * Nothing in a file depends on articles outside it: article ids count
 * from a1 within the output, and the identifier, dates and creator come
 * from the output's own articles, so a --split file is the same bytes
 * whatever else was read in the same run.
 */
#ifndef GZ_EPUB_H
#define GZ_EPUB_H

#include <pthread.h>

#include "write/xhtml.h"

#define PART_BYTES (280u * 1024u)
#define DEFAULT_LEVEL 3

/* Deflated bytes ready for the container. */
typedef struct zblob {
  unsigned char *data;
  size_t comp_len;
  size_t raw_len;
  unsigned long crc;
  size_t pos; /* read position for libzip */
} zblob;

typedef struct part {
  size_t group; /* index in job->groups */
  size_t first; /* first item of the group in this part */
  size_t count;
  int number; /* 1 for a group's first part */
  char name[40];
  zblob z; /* rendered and deflated */
} part;

typedef struct epub_ctx {
  const gz_view *d;
  const gz_write_options *w;
  gz_job *job;
  size_t *group_base; /* articles of the output before each group */
  part *parts;
  size_t n_parts;
  int level;
  const char *lang;
  uint8_t dir; /* gz_dir of the whole book (gz_epub_book_dir) */
  /* the first failure of a worker (parts are many: one error, not one each) */
  pthread_mutex_t err_lock;
  gz_error err;
  bool failed;
} epub_ctx;

/* ---- chapters.c: the content documents ---- */

/* Cuts the job's groups into parts (e->parts) and counts the articles
 * before each group (e->group_base); -1 out of memory. */
int gz_epub_plan(epub_ctx *e);
/* The part holding item `i` of group `g`, or NULL. */
const part *gz_epub_part_of(const epub_ctx *e, size_t g, size_t i);
/* An article's number within the output, from 1: its id is "a" and
 * the number. */
size_t gz_epub_article_number(const epub_ctx *e, size_t g, size_t i);
/* Renders and deflates every part with `threads` threads; a failure is
 * in e->err with e->failed set. */
void gz_epub_render_parts(epub_ctx *e, int threads);
/* Deflates `src` into z (raw deflate, the window fitted to the input). */
int gz_epub_deflate(const gz_allocator *al, zblob *z, const unsigned char *src, size_t len,
                    int level);

/* ---- direction.c: which way the book and its parts run ---- */

/* GZ_DIR_RTL when the book's language (--lang) is written right to left
 * and every article of the output runs right to left; else GZ_DIR_LTR. */
uint8_t gz_epub_book_dir(const epub_ctx *e);
/* The dir to write on an element holding `text` (a title) inside the
 * book's own direction: GZ_DIR_ARTICLE when it runs as the book does or
 * has no direction of its own. */
uint8_t gz_epub_text_dir(const epub_ctx *e, const char *text);
/* The same for an article element. */
uint8_t gz_epub_article_dir(const epub_ctx *e, const gz_article *a);
/* The article's language where it differs from the book's, or NULL. */
const char *gz_epub_article_lang(const epub_ctx *e, const gz_article *a);
/* The dir of an element of an article holding `text` (its title, its
 * standfirst): GZ_DIR_ARTICLE when it runs as the article does. */
uint8_t gz_epub_in_article_dir(const gz_article *a, const char *text);

/* ---- package.c: the package document ---- */

/* What the package document says about the book besides its files. */
typedef struct book_meta {
  char uuid[64];
  char modified[32];   /* dcterms:modified */
  char date[32];       /* dc:date, or "" */
  const char *creator; /* dc:creator, or NULL */
  char host[256];      /* a creator named by its site */
} book_meta;

void gz_epub_make_meta(const epub_ctx *e, const gz_job_facts *f, const char *full_title,
                       book_meta *m);
void gz_epub_write_opf(const epub_ctx *e, gz_xw *x, const book_meta *m, const char *title);

/* ---- nav.c: the navigation document and the EPUB 2 NCX ---- */

void gz_epub_write_nav(const epub_ctx *e, gz_xw *x);
void gz_epub_write_ncx(const epub_ctx *e, gz_xw *x, const char *uuid, const char *title);

/* ---- title.c and chart.c: the title page ---- */

void gz_epub_write_title_page(const epub_ctx *e, gz_xw *x, const gz_job_facts *f,
                              const char *full_title);
/* A bar per group, articles per group as height. */
void gz_epub_write_chart(const epub_ctx *e, gz_xw *x);

/* ---- style.c: the fixed files ---- */

extern const char gz_epub_container_xml[];
extern const char gz_epub_style_css[];

/* ---- container.c: the zip container ---- */

/* A file of the container besides the parts. */
typedef struct gz_epub_file {
  const char *name;
  const void *data;
  size_t len;
} gz_epub_file;

/* Writes the container to e->job->path: the mimetype, `files` and the
 * parts, every entry dated `modified`; -1 with e->job->err set. */
int gz_epub_write_container(epub_ctx *e, const gz_epub_file *files, size_t n_files,
                            int64_t modified);

#endif /* GZ_EPUB_H */
