/*
 * input.c - opening INPUTs and cleaning their bytes.
 *
 * An INPUT is a file, a directory walked in byte order of relative paths,
 * or standard input. Each file is checked (empty, binary, UTF-16), then
 * streamed in chunks through a clean-up that skips a BOM, decodes UTF-16
 * with a BOM, drops NUL and control bytes, repairs invalid UTF-8 with
 * U+FFFD and turns CRLF and CR into LF. The readers only ever see clean
 * UTF-8 with LF line ends, so they never deal with encodings. Which reader
 * reads a file, and which files of a folder are read, the reader table
 * (reader.h) says.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "read/reader.h"

#define CHUNK (256u * 1024u)
#define SNIFF (8u * 1024u)

/* ---- positions ---- */

void gz_pos_init(gz_pos *p) {
  p->offset = 0;
  p->line = 1;
  p->col = 1;
}

void gz_pos_advance(gz_pos *p, const char *s, size_t n) {
  const char *end = s + n;
  for (;;) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl) break;
    p->line++;
    p->col = 1;
    s = nl + 1;
  }
  for (; s < end; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) p->col++;
  p->offset += n;
}

/* ---- the byte clean-up ---- */

typedef enum encoding { ENC_UTF8 = 0, ENC_UTF16LE, ENC_UTF16BE } encoding;

typedef struct cleaner {
  encoding enc;
  bool last_cr;
  unsigned char carry[4];
  size_t n_carry;
  uint32_t high_surrogate;
  uint64_t raw_offset; /* bytes of the original stream before this chunk */
  uint64_t nuls, first_nul;
  uint64_t repairs, first_repair;
  gz_buf utf8; /* UTF-16 decoded */
  gz_buf work; /* carry + chunk */
} cleaner;

/* Counts a repair, remembering where the first one was. */
static void note_repair(cleaner *c, uint64_t offset) {
  if (c->repairs++ == 0) c->first_repair = offset;
}

/* Is s[0..len) the start of a valid UTF-8 sequence cut by the chunk end? */
static bool valid_prefix(const unsigned char *s, size_t len) {
  unsigned char c = s[0];
  size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (c < 0xC2 || c > 0xF4 || len >= need) return false;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return false;
  if (len >= 2) {
    if (c == 0xE0 && s[1] < 0xA0) return false;
    if (c == 0xED && s[1] >= 0xA0) return false;
    if (c == 0xF0 && s[1] < 0x90) return false;
    if (c == 0xF4 && s[1] >= 0x90) return false;
  }
  return true;
}

/* Cleans UTF-8 bytes into out. `last` says the stream ends here. */
static void clean_utf8(cleaner *c, const unsigned char *s, size_t n, bool last, gz_buf *out,
                       uint64_t base) {
  gz_buf_reserve(out, n + 8);
  size_t i = 0;
  while (i < n) {
    size_t start = i;
    i += gz_ascii_printable_prefix((const char *)s + i, n - i);
    if (i > start) {
      gz_buf_append(out, s + start, i - start);
      c->last_cr = false;
    }
    if (i >= n) break;
    unsigned char b = s[i];
    if (b == '\n') {
      if (!c->last_cr) gz_buf_putc(out, '\n');
      c->last_cr = false;
      i++;
    } else if (b == '\r') {
      gz_buf_putc(out, '\n');
      c->last_cr = true;
      i++;
    } else if (b == '\t' || b == '\f') {
      gz_buf_putc(out, (char)b);
      c->last_cr = false;
      i++;
    } else if (b == 0) {
      if (c->nuls++ == 0) c->first_nul = base + i;
      i++;
    } else if (b < 0x80) { /* other controls and DEL */
      c->last_cr = false;
      i++;
    } else {
      c->last_cr = false;
      size_t len = gz_utf8_valid_len(s + i, n - i);
      if (len == 0 && !last && valid_prefix(s + i, n - i)) {
        memcpy(c->carry, s + i, n - i);
        c->n_carry = n - i;
        return;
      }
      if (len == 0) {
        note_repair(c, base + i);
        gz_buf_append(out, "\xEF\xBF\xBD", 3);
        i++;
        continue;
      }
      if (gz_utf8_dropped(s + i, len)) {
        i += len;
        continue;
      }
      gz_buf_append(out, s + i, len);
      i += len;
    }
  }
}

static void put_cp(gz_buf *b, uint32_t cp) {
  char tmp[4];
  gz_buf_append(b, tmp, gz_utf8_encode(cp, tmp));
}

/* Decodes UTF-16 into c->utf8 (then cleaned like UTF-8); s[0] is at byte
 * `base` of the input. */
static void decode_utf16(cleaner *c, const unsigned char *s, size_t n, bool last, uint64_t base) {
  gz_buf_clear(&c->utf8);
  size_t i = 0;
  for (; i + 1 < n; i += 2) {
    uint32_t u =
        c->enc == ENC_UTF16LE ? (uint32_t)(s[i] | s[i + 1] << 8) : (uint32_t)(s[i] << 8 | s[i + 1]);
    if (c->high_surrogate) {
      if (u >= 0xDC00 && u <= 0xDFFF) {
        put_cp(&c->utf8, 0x10000 + ((c->high_surrogate - 0xD800) << 10) + (u - 0xDC00));
        c->high_surrogate = 0;
        continue;
      }
      put_cp(&c->utf8, GZ_REPLACEMENT);
      note_repair(c, base + i - 2); /* the lone high surrogate, just before */
      c->high_surrogate = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      c->high_surrogate = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      put_cp(&c->utf8, GZ_REPLACEMENT);
      note_repair(c, base + i);
    } else {
      put_cp(&c->utf8, u);
    }
  }
  if (i < n) {
    c->carry[0] = s[i];
    c->n_carry = 1;
  }
  if (last && (c->high_surrogate || c->n_carry)) {
    put_cp(&c->utf8, GZ_REPLACEMENT);
    note_repair(c, base + i - (c->high_surrogate ? 2 : 0));
    c->high_surrogate = 0;
    c->n_carry = 0;
  }
}

/* Cleans one raw chunk into `out` (cleared first). */
static void clean_chunk(cleaner *c, const unsigned char *s, size_t n, bool last, gz_buf *out) {
  gz_buf_clear(out);
  const unsigned char *p = s;
  size_t len = n;
  uint64_t base = c->raw_offset;
  if (c->n_carry) {
    gz_buf_clear(&c->work);
    gz_buf_append(&c->work, c->carry, c->n_carry);
    gz_buf_append(&c->work, s, n);
    p = (const unsigned char *)c->work.data;
    len = c->work.len;
    base -= c->n_carry;
    c->n_carry = 0;
  }
  if (c->enc == ENC_UTF8) {
    clean_utf8(c, p, len, last, out, base);
  } else {
    decode_utf16(c, p, len, last, base);
    clean_utf8(c, (const unsigned char *)c->utf8.data, c->utf8.len, last, out, base);
  }
  c->raw_offset += n;
}

/* ---- sniffing ---- */

typedef enum verdict { V_TEXT = 0, V_BINARY, V_UTF16_NO_BOM } verdict;

static verdict sniff(const unsigned char *s, size_t n) {
  size_t bad = 0, nul_even = 0, nul_odd = 0;
  size_t i = 0;
  while (i < n) {
    if (s[i] == 0) {
      if (i % 2)
        nul_odd++;
      else
        nul_even++;
      bad++;
      i++;
      continue;
    }
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t len = gz_utf8_valid_len(s + i, n - i);
    if (len == 0) {
      if (n - i < 4 && valid_prefix(s + i, n - i)) break; /* cut by the sample's end */
      bad++;
      i++;
    } else {
      i += len;
    }
  }
  if (bad * 10 <= n) return V_TEXT;
  /* ASCII in UTF-16 puts a NUL in every other byte. */
  if (n >= 4 && (nul_odd * 3 >= n || nul_even * 3 >= n)) return V_UTF16_NO_BOM;
  return V_BINARY;
}

/* ---- reading one file ---- */

/* The reader whose extension the file name has, or NULL. */
static const gz_reader_class *by_extension(const gz_reader_table *t, const char *name) {
  for (size_t i = 0; i < t->n; i++)
    for (const char *const *e = t->rows[i]->extensions; *e; e++)
      if (gz_has_ext(name, *e)) return t->rows[i];
  return NULL;
}

/* Does the text start with markup ('<' after white space)? */
static bool markup_start(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && gz_is_ascii_space((unsigned char)s[i])) i++;
  return i < n && s[i] == '<';
}

/* The reader of an input: the one --input-format names, else the one of
 * its extension, else the first whose sniff claims its first bytes, else
 * the table's fallback. */
static const gz_reader_class *reader_for(const gz_reader_table *t, const gz_digest *d,
                                         const char *name, const char *first, size_t n) {
  int f = (int)gz_digest_setup(d)->opts->input_format;
  if (f >= 1 && (size_t)f <= t->n) return t->rows[f - 1];
  const gz_reader_class *r = name ? by_extension(t, name) : NULL;
  /* Markup says what it is more surely than ".txt" does: a feed or page
   * saved as .txt goes to the reader whose sniff claims it. (A JSON
   * file's first bracket is too weak a sign to outweigh its name.) */
  if (r && !(r == t->fallback && markup_start(first, n))) return r;
  for (size_t i = 0; i < t->n; i++)
    if (t->rows[i]->sniff && t->rows[i]->sniff(first, n)) return t->rows[i];
  return t->fallback;
}

/* Where the bytes come from: a file descriptor, or memory. */
typedef struct source {
  int fd;
  const unsigned char *mem;
  size_t len, pos;
} source;

static ssize_t read_full(source *src, unsigned char *buf, size_t cap) {
  if (src->mem) {
    size_t n = src->len - src->pos < cap ? src->len - src->pos : cap;
    memcpy(buf, src->mem + src->pos, n);
    src->pos += n;
    return (ssize_t)n;
  }
  int fd = src->fd;
  size_t got = 0;
  while (got < cap) {
    ssize_t r = read(fd, buf + got, cap - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

static void input_skipped(gz_digest *d, const char *name, const char *fmt_msg, const char *detail) {
  gz_digest_tally(d)->inputs_skipped++;
  if (detail)
    gz_diag_add(d, GZ_SEV_SKIP, name, 0, 0, fmt_msg, detail);
  else
    gz_diag_add(d, GZ_SEV_SKIP, name, 0, 0, "%s", fmt_msg);
}

/* Reads and ingests one open file. `path` is what messages name. */
static int read_source(gz_digest *d, const gz_reader_table *t, uint32_t dump, const char *path,
                       source *src, const char *ext_name, gz_error *err) {
  const gz_setup *set = gz_digest_setup(d);
  const gz_allocator *al = set->al;
  gz_counts *counts = gz_digest_tally(d);
  int rc = 0;
  unsigned char *raw = gz_malloc(al, CHUNK);
  if (!raw) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  const char *name = gz_digest_intern(d, path);
  gz_input in;
  memset(&in, 0, sizeof in);
  in.d = d;
  in.name = name;
  in.dump = dump;
  in.err = err;
  gz_buf_init(&in.tmp, al);
  cleaner c;
  memset(&c, 0, sizeof c);
  gz_buf_init(&c.utf8, al);
  gz_buf_init(&c.work, al);
  gz_buf clean;
  gz_buf_init(&clean, al);
  const gz_reader_class *reader = NULL;
  void *r = NULL;
  uint64_t read_before = counts->read;

  ssize_t n = read_full(src, raw, SNIFF);
  if (n < 0) {
    input_skipped(d, name, "cannot read: %s", strerror(errno));
    goto done;
  }
  if (n == 0) {
    input_skipped(d, name, "empty file; nothing to read", NULL);
    goto done;
  }
  size_t skip = 0;
  if (n >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF) {
    skip = 3;
  } else if (n >= 2 && raw[0] == 0xFF && raw[1] == 0xFE) {
    c.enc = ENC_UTF16LE;
    skip = 2;
  } else if (n >= 2 && raw[0] == 0xFE && raw[1] == 0xFF) {
    c.enc = ENC_UTF16BE;
    skip = 2;
  }
  if (c.enc == ENC_UTF8) {
    verdict v = sniff(raw + skip, (size_t)n - skip);
    if (v == V_UTF16_NO_BOM) {
      input_skipped(d, name,
                    "looks like UTF-16 without a byte order mark; convert it to UTF-8 (e.g. "
                    "iconv -f UTF-16LE -t UTF-8); skipped",
                    NULL);
      goto done;
    }
    if (v == V_BINARY) {
      input_skipped(d, name, "not a text file (binary data); skipped", NULL);
      goto done;
    }
  }
  c.raw_offset = skip;
  bool eof = (size_t)n < SNIFF;
  clean_chunk(&c, raw + skip, (size_t)n - skip, eof, &clean);
  reader = reader_for(t, d, ext_name, gz_buf_cstr(&clean), clean.len);
  if (!(in.html = gz_html_new(al))) goto nomem;
  if (!(r = reader->new_reader(&in, ext_name ? path : NULL))) goto nomem;

  uint64_t done_bytes = (uint64_t)n;
  for (;;) {
    if (clean.failed) goto nomem;
    if (clean.len && reader->feed(r, clean.data, clean.len)) break;
    if (in.stopped || eof) break;
    if (gz_canceled(d)) {
      gz_error_set(err, GZ_ERR_CANCELED, "", 0, 0, "interrupted");
      in.failed = true;
      break;
    }
    n = read_full(src, raw, CHUNK);
    if (n < 0) {
      counts->errors++;
      gz_diag_add(d, GZ_SEV_ERROR, name, 0, 0, "read error: %s; reading of this file stops",
                  strerror(errno));
      break;
    }
    eof = n == 0;
    done_bytes += (uint64_t)n;
    if (set->opts->on_progress)
      set->opts->on_progress("reading", done_bytes, 0, set->opts->progress_user);
    clean_chunk(&c, raw, (size_t)n, eof, &clean);
  }
  if (!in.failed && !in.stopped) reader->finish(r);
  if (in.failed) {
    rc = -1;
    goto done;
  }
  if (gz_digest_input_read(d, name, reader->name, in.shape)) goto nomem;
  if (c.nuls)
    gz_diag_add(
        d, GZ_SEV_WARNING, name, 0, 0, "%llu NUL byte%s dropped (the first at byte offset %llu)",
        (unsigned long long)c.nuls, c.nuls == 1 ? "" : "s", (unsigned long long)c.first_nul);
  if (c.repairs)
    gz_diag_add(d, GZ_SEV_WARNING, name, 0, 0,
                "invalid UTF-8 replaced by U+FFFD in %llu place%s (the first at byte offset %llu)",
                (unsigned long long)c.repairs, c.repairs == 1 ? "" : "s",
                (unsigned long long)c.first_repair);
  if (counts->read == read_before && !in.stopped)
    gz_diag_add(d, GZ_SEV_WARNING, name, 0, 0, "no articles found in this file");
  goto done;
nomem:
  rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
done:
  if (reader && reader->free_reader) reader->free_reader(r);
  gz_html_free(in.html);
  gz_buf_free(&in.tmp);
  gz_buf_free(&c.utf8);
  gz_buf_free(&c.work);
  gz_buf_free(&clean);
  gz_free(al, raw);
  return rc;
}

static int read_file(gz_digest *d, const gz_reader_table *t, uint32_t dump, const char *path,
                     gz_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    input_skipped(d, path, "cannot read: %s", strerror(errno));
    return 0;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && gz_input_note(d, (uint64_t)st.st_dev, (uint64_t)st.st_ino, false)) {
    close(fd);
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  source src = {fd, NULL, 0, 0};
  int rc = read_source(d, t, dump, path, &src, path, err);
  close(fd);
  return rc;
}

/* ---- directories ---- */

typedef struct path_list {
  char **items;
  size_t n, cap;
} path_list;

static int walk(gz_digest *d, const gz_reader_table *t, const char *dir, const char *rel,
                path_list *out, int depth) {
  gz_arena *names = &gz_digest_read_state(d)->dump_arena;
  if (depth > 64) return 0;
  DIR *dh = opendir(dir);
  if (!dh) {
    input_skipped(d, dir, "cannot read this folder: %s", strerror(errno));
    return 0;
  }
  struct dirent *e;
  struct stat dst;
  int rc = fstat(dirfd(dh), &dst) == 0
               ? gz_input_note(d, (uint64_t)dst.st_dev, (uint64_t)dst.st_ino, true)
               : 0;
  while ((e = readdir(dh)) != NULL && rc == 0) {
    if (e->d_name[0] == '.') continue; /* ., .. and hidden files */
    char *full = gz_arena_printf(names, "%s/%s", dir, e->d_name);
    char *sub = gz_arena_printf(names, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
    if (!full || !sub) {
      rc = -1;
      break;
    }
    struct stat st;
    /* Symbolic links to folders are not followed: no loops. */
    if (lstat(full, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      rc = walk(d, t, full, sub, out, depth + 1);
    } else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && by_extension(t, e->d_name)) {
      if (gz_grow(gz_digest_setup(d)->al, (void **)&out->items, &out->cap, out->n + 1,
                  sizeof *out->items))
        rc = -1;
      else
        out->items[out->n++] = sub;
    }
  }
  closedir(dh);
  return rc;
}

static int cmp_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Says "no *.json, *.jsonl or *.txt files in this folder", of the
 * table's extensions. Returns -1 on out of memory. */
static int no_files(gz_digest *d, const gz_reader_table *t, const char *path) {
  gz_buf msg;
  gz_buf_init(&msg, gz_digest_setup(d)->al);
  gz_buf_puts(&msg, "no ");
  size_t total = 0, k = 0;
  for (size_t i = 0; i < t->n; i++)
    for (const char *const *e = t->rows[i]->extensions; *e; e++) total++;
  for (size_t i = 0; i < t->n; i++)
    for (const char *const *e = t->rows[i]->extensions; *e; e++, k++) {
      if (k) gz_buf_puts(&msg, k + 1 == total ? " or " : ", ");
      gz_buf_putc(&msg, '*');
      gz_buf_puts(&msg, *e);
    }
  gz_buf_puts(&msg, " files in this folder");
  bool failed = msg.failed;
  if (!failed) input_skipped(d, path, gz_buf_cstr(&msg), NULL);
  gz_buf_free(&msg);
  return failed ? -1 : 0;
}

static int read_dir(gz_digest *d, const gz_reader_table *t, uint32_t dump, const char *path,
                    gz_error *err) {
  const gz_allocator *al = gz_digest_setup(d)->al;
  gz_arena *names = &gz_digest_read_state(d)->dump_arena;
  path_list list = {NULL, 0, 0};
  size_t plen = strlen(path);
  while (plen > 1 && path[plen - 1] == '/') plen--;
  char *root = gz_arena_strndup(names, path, plen);
  if (!root || walk(d, t, root, "", &list, 0)) {
    gz_free(al, list.items);
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  }
  qsort(list.items, list.n, sizeof *list.items, cmp_paths);
  int rc = 0;
  if (list.n == 0 && no_files(d, t, path))
    rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  for (size_t i = 0; i < list.n && rc == 0; i++) {
    char *full = gz_arena_printf(names, "%s/%s", root, list.items[i]);
    if (!full) {
      rc = gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
      break;
    }
    rc = read_file(d, t, dump, full, err);
  }
  gz_free(al, list.items);
  return rc;
}

/* ---- the public entry points ---- */

static int end_input(gz_digest *d, int rc, gz_error *err) {
  if (rc == 0 && gz_pipeline_drain(d, err)) rc = -1;
  if (rc == 0 && gz_ingest_dump_end(d, err)) rc = -1;
  if (rc == 0 && gz_spool_flush(d, err)) rc = -1;
  return rc;
}

/* What every input starts with: the digest still reading, the read
 * state made, the input's dump number in *dump. */
static int begin_input(gz_digest *d, uint32_t *dump, gz_error *err) {
  gz_error_clear(err);
  if (gz_digest_finished(d))
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "inputs must be added before finishing");
  if (gz_read_state_attach(d)) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  xmlInitParser();
  *dump = gz_digest_read_state(d)->dump_index++;
  return 0;
}

int gz_read_add_path(gz_digest *d, const gz_reader_table *t, const char *path, gz_error *err) {
  uint32_t dump;
  if (begin_input(d, &dump, err)) return -1;
  int rc;
  if (strcmp(path, "-") == 0) {
    source src = {STDIN_FILENO, NULL, 0, 0};
    rc = read_source(d, t, dump, "<stdin>", &src, NULL, err);
    return end_input(d, rc, err);
  }
  struct stat st;
  if (stat(path, &st) != 0) {
    input_skipped(d, path, "cannot read: %s", strerror(errno));
    return 0;
  }
  if (S_ISDIR(st.st_mode))
    rc = read_dir(d, t, dump, path, err);
  else
    rc = read_file(d, t, dump, path, err);
  return end_input(d, rc, err);
}

int gz_read_add_memory(gz_digest *d, const gz_reader_table *t, const char *name, const void *data,
                       size_t size, gz_error *err) {
  uint32_t dump;
  if (begin_input(d, &dump, err)) return -1;
  source src = {-1, data ? data : (const void *)"", size, 0};
  int rc = read_source(d, t, dump, name ? name : "<memory>", &src, name, err);
  return end_input(d, rc, err);
}

int gz_digest_add_path(gz_digest *d, const char *path, gz_error *err) {
  return gz_read_add_path(d, &gz_builtin_readers, path, err);
}

int gz_digest_add_memory(gz_digest *d, const char *name, const void *data, size_t size,
                         gz_error *err) {
  return gz_read_add_memory(d, &gz_builtin_readers, name, data, size, err);
}
