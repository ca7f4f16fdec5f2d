/*
 * spool.c - normalised article bodies on disk.
 *
 * Bodies are serialised once, when read, to an unlinked temporary file;
 * the digest keeps only offsets. This keeps memory proportional to one
 * output instead of to the whole dump, and lets writer threads load
 * bodies concurrently with pread().
 *
 * Record layout (host byte order: the file never leaves this process):
 *   u32 n_blocks, then per block:
 *   u8 type level quote depth ordered dir lang_len pad, u32 number words len
 *   n_runs, u64 key, text[len], lang[lang_len], then per run: u32 offset
 *   len, u16 style href_len, href[href_len].
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/core.h"

#define SPOOL_FLUSH_AT (1u << 20)

static int put_u32(gz_buf *b, uint32_t v) { return gz_buf_append(b, &v, sizeof v); }
static int put_u64(gz_buf *b, uint64_t v) { return gz_buf_append(b, &v, sizeof v); }
static int put_u16(gz_buf *b, uint16_t v) { return gz_buf_append(b, &v, sizeof v); }

int gz_spool_flush(gz_digest *d, gz_error *err) {
  if (d->spool_buf.len == 0) return 0;
  if (gz_write_all(d->spool_fd, d->spool_buf.data, d->spool_buf.len)) {
    return gz_error_set(err, GZ_ERR_OUTPUT, "", 0, 0,
                        "cannot write the temporary spool file in %s (TMPDIR): %s",
                        d->spool_folder ? d->spool_folder : "/tmp", strerror(errno));
  }
  gz_buf_clear(&d->spool_buf);
  return 0;
}

uint64_t gz_block_hash(const gz_block *blk) {
  return gz_hash64(blk->text, blk->len, 0x5bd1e995u + blk->type);
}

uint64_t gz_chrome_key(uint64_t block_key, uint32_t dump) {
  return gz_hash_mix(block_key, (uint64_t)dump + 1);
}

int gz_spool_encode(const gz_block *blocks, size_t n, gz_buf *b, uint32_t *words_out,
                    uint64_t *fp_out) {
  uint32_t words = 0;
  uint64_t fp = 0;
  put_u32(b, (uint32_t)n);
  for (size_t i = 0; i < n; i++) {
    const gz_block *blk = &blocks[i];
    /* level for headings; depth for items and paragraphs; ordered and
     * number for items */
    uint8_t level = blk->type == GZ_BLOCK_HEADING ? blk->heading.level : 0;
    uint8_t ordered = blk->type == GZ_BLOCK_ITEM ? blk->item.ordered : 0;
    uint32_t number = blk->type == GZ_BLOCK_ITEM ? blk->item.number : 0;
    /* a language tag is shorter than GZ_LANG_MAX; a longer one is none */
    size_t lang_len = blk->lang ? strlen(blk->lang) : 0;
    if (lang_len >= GZ_LANG_MAX) lang_len = 0;
    uint8_t head[8] = {blk->type, level,    blk->quote,        (uint8_t)gz_block_list_depth(blk),
                       ordered,   blk->dir, (uint8_t)lang_len, 0};
    gz_buf_append(b, head, sizeof head);
    put_u32(b, number);
    put_u32(b, blk->words);
    put_u32(b, blk->len);
    put_u32(b, blk->n_runs);
    put_u64(b, blk->key);
    gz_buf_append(b, blk->text, blk->len);
    if (lang_len) gz_buf_append(b, blk->lang, lang_len);
    for (uint32_t r = 0; r < blk->n_runs; r++) {
      const gz_run *run = &blk->runs[r];
      put_u32(b, (uint32_t)(run->text - blk->text));
      put_u32(b, run->len);
      put_u16(b, run->style);
      put_u16(b, run->href_len);
      if (run->href_len) gz_buf_append(b, run->href, run->href_len);
    }
    words += blk->words;
    /* Text-keyed blocks already carry their hash as their chrome key. */
    if (blk->len) fp = gz_hash_mix(fp, blk->key ? blk->key : gz_block_hash(blk));
  }
  *words_out = words;
  *fp_out = words ? fp : 0;
  return b->failed ? -1 : 0;
}

int gz_spool_append(gz_digest *d, gz_article *a, const void *record, size_t len, gz_error *err) {
  if (len > UINT32_MAX) return gz_error_set(err, GZ_ERR_LIMIT, "", 0, 0, "article body too large");
  if (gz_buf_append(&d->spool_buf, record, len))
    return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  a->spool_off = d->spool_size;
  a->spool_len = (uint32_t)len;
  d->spool_size += len;
  if (d->spool_buf.len >= SPOOL_FLUSH_AT) return gz_spool_flush(d, err);
  return 0;
}

/* Reads fixed-size fields from the record, failing on a short record. */
typedef struct reader {
  const char *p;
  const char *end;
  bool bad;
} reader;

static const void *take(reader *r, size_t n) {
  if (r->bad || (size_t)(r->end - r->p) < n) {
    r->bad = true;
    return NULL;
  }
  const void *q = r->p;
  r->p += n;
  return q;
}

/* n bytes into out, which stays zero when the record is too short */
static void get(reader *r, void *out, size_t n) {
  const void *q = take(r, n);
  if (q) memcpy(out, q, n);
}

static uint16_t get_u16(reader *r) {
  uint16_t v = 0;
  get(r, &v, sizeof v);
  return v;
}

static uint32_t get_u32(reader *r) {
  uint32_t v = 0;
  get(r, &v, sizeof v);
  return v;
}

static uint64_t get_u64(reader *r) {
  uint64_t v = 0;
  get(r, &v, sizeof v);
  return v;
}

int gz_body_load(const gz_view *v, const gz_article *a, gz_arena *arena, gz_body *out,
                 gz_error *err) {
  const gz_digest *d = v->digest;
  out->blocks = NULL;
  out->n = 0;
  char *raw = gz_arena_alloc(arena, a->spool_len ? a->spool_len : 1);
  if (!raw) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  size_t got = 0;
  while (got < a->spool_len) {
    ssize_t r = pread(d->spool_fd, raw + got, a->spool_len - got, (off_t)(a->spool_off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      return gz_error_set(err, GZ_ERR_INTERNAL, "", 0, 0, "cannot read the spool file: %s",
                          r < 0 ? strerror(errno) : "short read");
    got += (size_t)r;
  }
  reader rd = {raw, raw + a->spool_len, false};
  uint32_t n = get_u32(&rd);
  if (n > a->spool_len / 32 + 1) rd.bad = true;
  gz_block *blocks = n && !rd.bad ? gz_arena_alloc(arena, n * sizeof *blocks) : NULL;
  if (n && !rd.bad && !blocks) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  size_t k = 0;
  for (uint32_t i = 0; i < n && !rd.bad; i++) {
    gz_block blk;
    memset(&blk, 0, sizeof blk);
    const uint8_t *head = take(&rd, 8);
    if (!head) break;
    blk.type = head[0];
    blk.quote = head[2];
    blk.dir = head[5];
    uint32_t number = get_u32(&rd);
    if (blk.type == GZ_BLOCK_HEADING) blk.heading.level = head[1];
    if (blk.type == GZ_BLOCK_PARA) blk.para.depth = head[3];
    if (blk.type == GZ_BLOCK_ITEM) {
      blk.item.depth = head[3];
      blk.item.ordered = head[4];
      blk.item.number = number;
    }
    blk.words = get_u32(&rd);
    blk.len = get_u32(&rd);
    blk.n_runs = get_u32(&rd);
    blk.key = get_u64(&rd);
    blk.text = take(&rd, blk.len);
    const char *lang = head[6] ? take(&rd, head[6]) : NULL;
    if (lang && !(blk.lang = gz_arena_strndup(arena, lang, head[6])))
      return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    if (rd.bad || blk.n_runs > blk.len + 1) {
      rd.bad = true;
      break;
    }
    blk.runs = blk.n_runs ? gz_arena_alloc(arena, blk.n_runs * sizeof *blk.runs) : NULL;
    if (blk.n_runs && !blk.runs) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
    for (uint32_t j = 0; j < blk.n_runs; j++) {
      gz_run *run = &blk.runs[j];
      uint32_t off = get_u32(&rd);
      run->len = get_u32(&rd);
      run->style = get_u16(&rd);
      run->href_len = get_u16(&rd);
      run->href = run->href_len ? take(&rd, run->href_len) : NULL;
      if (rd.bad || off > blk.len || run->len > blk.len - off) {
        rd.bad = true;
        break;
      }
      run->text = blk.text + off;
    }
    if (rd.bad) break;
    bool chrome = blk.key && !d->opts.keep_chrome &&
                  gz_set64_has(&d->chrome, gz_chrome_key(blk.key, a->dump));
    if (!chrome) blocks[k++] = blk;
  }
  if (rd.bad) return gz_error_set(err, GZ_ERR_INTERNAL, "", 0, 0, "the spool file is damaged");
  out->blocks = blocks;
  out->n = k;
  return 0;
}

int gz_body_heading_base(const gz_body *body) {
  int min = 7;
  for (size_t i = 0; i < body->n; i++)
    if (body->blocks[i].type == GZ_BLOCK_HEADING && body->blocks[i].heading.level < min)
      min = body->blocks[i].heading.level;
  return min == 7 ? 1 : min;
}
