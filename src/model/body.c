/*
 * body.c - builds an article body as blocks of styled runs.
 *
 * Readers (the HTML sanitiser, plain text) feed text, styles and block
 * boundaries; the builder collapses white space the way a browser would,
 * merges runs of equal style and drops empty blocks, so every writer gets
 * the same clean structure.
 */
#include <string.h>

#include "model/model.h"

void gz_body_init(gz_body_builder *b, const gz_allocator *al, gz_arena *arena) {
  memset(b, 0, sizeof *b);
  b->al = al;
  b->arena = arena;
  gz_buf_init(&b->text, al);
}

void gz_body_reset(gz_body_builder *b) {
  b->n_blocks = 0;
  b->n_runs = 0;
  gz_buf_clear(&b->text);
  b->type = GZ_BLOCK_PARA;
  b->level = b->quote = b->depth = b->ordered = 0;
  b->number = 0;
  b->style = 0;
  b->href = NULL;
  b->href_len = 0;
  b->pending_space = false;
  b->failed = false;
}

void gz_body_free(gz_body_builder *b) {
  gz_free(b->al, b->blocks);
  gz_free(b->al, b->runs);
  gz_buf_free(&b->text);
  memset(b, 0, sizeof *b);
}

/* The run that new text goes to: the last one when its style and link
 * match, else a new one. */
static gz_run *current_run(gz_body_builder *b) {
  if (b->n_runs > 0) {
    gz_run *r = &b->runs[b->n_runs - 1];
    bool same_href = r->href_len == b->href_len &&
                     (b->href_len == 0 || memcmp(r->href, b->href, b->href_len) == 0);
    if (r->style == b->style && same_href) return r;
    if (r->len == 0) { /* nothing written yet: restyle in place */
      r->style = b->style;
      r->href = b->href;
      r->href_len = b->href_len;
      return r;
    }
  }
  if (gz_grow(b->al, (void **)&b->runs, &b->cap_runs, b->n_runs + 1, sizeof *b->runs)) {
    b->failed = true;
    return NULL;
  }
  gz_run *r = &b->runs[b->n_runs++];
  /* While building, `text` holds the offset into b->text (as a pointer
   * sized integer) because the buffer may move; fixed up in end(). */
  r->text = (const char *)(uintptr_t)b->text.len;
  r->len = 0;
  r->style = b->style;
  r->href = b->href;
  r->href_len = b->href_len;
  return r;
}

static void put(gz_body_builder *b, const char *s, size_t len) {
  gz_run *r = current_run(b);
  if (!r) return;
  if (gz_buf_append(&b->text, s, len)) {
    b->failed = true;
    return;
  }
  r->len += (uint32_t)len;
}

void gz_body_start(gz_body_builder *b, gz_block_type type) {
  gz_body_end(b);
  b->type = (uint8_t)type;
}

void gz_body_end(gz_body_builder *b) {
  b->pending_space = false;
  /* Drop trailing line breaks (and runs left empty): they would only add
   * empty lines. */
  for (;;) {
    while (b->n_runs > 0 && b->runs[b->n_runs - 1].len == 0) b->n_runs--;
    if (b->n_runs == 0 || b->text.len == 0 || b->text.data[b->text.len - 1] != '\n') break;
    b->text.len--;
    b->text.data[b->text.len] = '\0';
    b->runs[b->n_runs - 1].len--;
  }
  bool empty = b->text.len == 0;
  if (empty && b->type != GZ_BLOCK_RULE && b->type != GZ_BLOCK_IMAGE) goto reset;
  if (gz_grow(b->al, (void **)&b->blocks, &b->cap_blocks, b->n_blocks + 1, sizeof *b->blocks)) {
    b->failed = true;
    goto reset;
  }
  gz_block *blk = &b->blocks[b->n_blocks];
  memset(blk, 0, sizeof *blk);
  blk->type = b->type;
  /* The nesting every writer shows, decided here once. A paragraph's
   * list depth is no nesting: it names the item it continues. */
  blk->quote = b->quote > GZ_QUOTE_MAX ? GZ_QUOTE_MAX : b->quote;
  blk->dir = GZ_DIR_ARTICLE;
  blk->lang = NULL;
  switch (b->type) {
    case GZ_BLOCK_HEADING:
      blk->heading.level = b->level;
      break;
    case GZ_BLOCK_ITEM:
      blk->item.depth = b->depth > GZ_LIST_MAX ? GZ_LIST_MAX : b->depth;
      blk->item.ordered = b->ordered;
      blk->item.number = b->number;
      break;
    case GZ_BLOCK_PARA:
      blk->para.depth = b->depth;
      break;
    case GZ_BLOCK_IMAGE:
      blk->image.src = b->img_src ? b->img_src : "";
      blk->image.alt = b->img_alt ? b->img_alt : "";
      blk->image.width = b->img_width;
      blk->image.height = b->img_height;
      break;
    default:
      break;
  }
  blk->len = (uint32_t)b->text.len;
  char *text = gz_arena_strndup(b->arena, gz_buf_cstr(&b->text), b->text.len);
  size_t nr = 0;
  for (size_t i = 0; i < b->n_runs; i++)
    if (b->runs[i].len) nr++;
  gz_run *runs = nr ? gz_arena_alloc(b->arena, nr * sizeof *runs) : NULL;
  if (!text || (nr && !runs)) {
    b->failed = true;
    goto reset;
  }
  size_t k = 0;
  for (size_t i = 0; i < b->n_runs; i++) {
    if (!b->runs[i].len) continue;
    runs[k] = b->runs[i];
    runs[k].text = text + (uintptr_t)b->runs[i].text;
    k++;
  }
  blk->text = text;
  blk->runs = runs;
  blk->n_runs = (uint32_t)nr;
  blk->words = (uint32_t)gz_count_words(text, blk->len);
  b->n_blocks++;
reset:
  gz_buf_clear(&b->text);
  b->n_runs = 0;
  b->type = GZ_BLOCK_PARA;
}

void gz_body_text(gz_body_builder *b, const char *s, size_t len) {
  if (b->type == GZ_BLOCK_PRE) {
    /* Leading newlines of a pre block are an HTML formatting habit. */
    if (b->text.len == 0)
      while (len > 0 && (*s == '\n' || *s == '\r')) s++, len--;
    if (len) put(b, s, len);
    return;
  }
  /* Collapse white space straight into the block's buffer: this runs over
   * every byte of every body. U+00A0 no-break space is kept as it is:
   * authors put it on purpose. */
  gz_run *r = current_run(b);
  if (!r || gz_buf_reserve(&b->text, len + 1)) {
    b->failed = true;
    return;
  }
  const unsigned char *u = (const unsigned char *)s;
  char *out = b->text.data + b->text.len, *start = out;
  bool pending = b->pending_space;
  bool at_start = b->text.len == 0 || b->text.data[b->text.len - 1] == '\n';
  for (size_t i = 0; i < len; i++) {
    unsigned char c = u[i];
    if (gz_is_ascii_space(c)) {
      pending = !at_start || out > start;
      continue;
    }
    if (pending) {
      *out++ = ' ';
      pending = false;
    }
    *out++ = (char)c;
  }
  size_t added = (size_t)(out - start);
  b->text.len += added;
  b->text.data[b->text.len] = '\0';
  r->len += (uint32_t)added;
  b->pending_space = pending;
}

void gz_body_line_break(gz_body_builder *b) {
  b->pending_space = false;
  if (b->text.len == 0) return; /* a break before any text shows nothing */
  put(b, "\n", 1);
}

/* A pending space belongs to the text before a style change, so that
 * "word <em>stress</em>" keeps its space outside the emphasis. */
static void settle_space(gz_body_builder *b) {
  if (b->pending_space && b->text.len > 0) {
    put(b, " ", 1);
    b->pending_space = false;
  }
}

void gz_body_set_style(gz_body_builder *b, uint16_t style) {
  if (style == b->style) return;
  settle_space(b);
  b->style = style;
}

void gz_body_set_href(gz_body_builder *b, const char *href, size_t len) {
  if (len > UINT16_MAX) href = NULL, len = 0;
  settle_space(b);
  b->href = href;
  b->href_len = (uint16_t)len;
}

void gz_body_rule(gz_body_builder *b) {
  gz_body_start(b, GZ_BLOCK_RULE);
  gz_body_end(b);
}

void gz_body_image(gz_body_builder *b, const char *src, size_t src_len, const char *alt,
                   size_t alt_len, uint32_t width, uint32_t height) {
  gz_body_end(b);
  b->img_src = gz_arena_strndup(b->arena, src, src_len);
  b->img_alt = gz_arena_strndup(b->arena, alt ? alt : "", alt ? alt_len : 0);
  if (!b->img_src || !b->img_alt) {
    b->failed = true;
    return;
  }
  b->img_width = width;
  b->img_height = height;
  gz_body_start(b, GZ_BLOCK_IMAGE);
  gz_body_end(b);
  b->img_src = b->img_alt = NULL;
  b->img_width = b->img_height = 0;
}

int gz_body_caption(gz_body_builder *b, size_t img, size_t cap) {
  if (b->n_blocks < 2 || img == cap || img < b->n_blocks - 2 || cap < b->n_blocks - 2 ||
      img >= b->n_blocks || cap >= b->n_blocks || b->blocks[img].type != GZ_BLOCK_IMAGE ||
      b->blocks[img].len != 0)
    return -1;
  gz_block *i = &b->blocks[img], *c = &b->blocks[cap];
  i->text = c->text;
  i->len = c->len;
  i->runs = c->runs;
  i->n_runs = c->n_runs;
  i->words = c->words;
  /* the picture sits where the first of the two was: keep it there */
  gz_block merged = *i;
  b->n_blocks--;
  b->blocks[b->n_blocks - 1] = merged;
  return 0;
}

/* ---- plain text ---- */

/* The next line of s[0..len) from *pos, trimmed, in *ls and *ll; false
 * once every line was given. */
static bool next_line(const char *s, size_t len, size_t *pos, const char **ls, size_t *ll) {
  if (*pos > len) return false;
  const char *nl = memchr(s + *pos, '\n', len - *pos);
  size_t end = nl ? (size_t)(nl - s) : len;
  *ls = s + *pos;
  *ll = end - *pos;
  gz_trim(ls, ll);
  *pos = nl ? end + 1 : len + 1;
  return true;
}

void gz_body_plain(gz_body_builder *b, const char *s, size_t len) {
  /* First look at the shape: are there blank-line separated blocks of
   * several short lines (hard-wrapped), or one paragraph per line? */
  size_t max_line = 0;
  bool has_blank_between = false, multi_line_block = false, seen_text = false;
  size_t lines_in_block = 0;
  bool pending_blank = false;
  size_t pos = 0;
  const char *ls;
  size_t ll;
  while (next_line(s, len, &pos, &ls, &ll)) {
    if (ll == 0) {
      if (seen_text) pending_blank = true;
      lines_in_block = 0;
    } else {
      if (pending_blank) has_blank_between = true;
      pending_blank = false;
      seen_text = true;
      size_t cps = gz_utf8_count(ls, ll);
      if (cps > max_line) max_line = cps;
      if (++lines_in_block >= 2) multi_line_block = true;
    }
  }
  bool wrapped = has_blank_between && multi_line_block && max_line <= 100;

  pos = 0;
  bool open = false;
  while (next_line(s, len, &pos, &ls, &ll)) {
    if (ll == 0) {
      if (open) gz_body_end(b);
      open = false;
    } else {
      if (!wrapped && open) gz_body_end(b);
      if (!open || !wrapped) {
        gz_body_start(b, GZ_BLOCK_PARA);
        open = true;
      }
      gz_body_text(b, ls, ll);
      gz_body_text(b, " ", 1);
    }
  }
  if (open) gz_body_end(b);
}
