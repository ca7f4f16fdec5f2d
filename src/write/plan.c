/*
 * plan.c - the plan of a digest (--list): groups and their articles, then
 * the counts, as text for people or as one JSON document for scripts.
 * JSON goes through yajl's generator, which escapes for us.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "write/write.h"

typedef struct plan_out {
  gz_write_fn write;
  void *user;
  bool failed;
  /* yajl's beautifier writes an empty array as "[", a blank line and an
   * indented "]": hold an opening bracket and the white space after it,
   * and write "[]" when the array turns out empty. */
  char held[256];
  size_t n_held;
  bool in_string, escaped; /* brackets inside strings are text */
  char buf[65536];
  size_t n_buf;
} plan_out;

static void flush_out(plan_out *o) {
  if (!o->failed && o->n_buf && o->write(o->buf, o->n_buf, o->user)) o->failed = true;
  o->n_buf = 0;
}

static void out_bytes(plan_out *o, const char *s, size_t n) {
  if (o->n_buf + n > sizeof o->buf) flush_out(o);
  if (n > sizeof o->buf) {
    if (!o->failed && o->write(s, n, o->user)) o->failed = true;
    return;
  }
  memcpy(o->buf + o->n_buf, s, n);
  o->n_buf += n;
}

static void release(plan_out *o) {
  out_bytes(o, o->held, o->n_held);
  o->n_held = 0;
}

static void print_cb(void *ctx, const char *s, size_t n) {
  plan_out *o = ctx;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (o->n_held) {
      if (c == ']') {
        o->n_held = 0;
        out_bytes(o, "[]", 2);
        continue;
      }
      if ((c == ' ' || c == '\n') && o->n_held < sizeof o->held) {
        o->held[o->n_held++] = c;
        continue;
      }
      release(o);
    }
    if (o->in_string) {
      if (o->escaped)
        o->escaped = false;
      else if (c == '\\')
        o->escaped = true;
      else if (c == '"')
        o->in_string = false;
    } else if (c == '"') {
      o->in_string = true;
    } else if (c == '[') {
      o->held[o->n_held++] = c;
      continue;
    }
    out_bytes(o, &c, 1);
  }
}

static void js(yajl_gen g, const char *s) {
  if (s)
    yajl_gen_string(g, (const unsigned char *)s, strlen(s));
  else
    yajl_gen_null(g);
}

static void jkey(yajl_gen g, const char *k) {
  yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

static void jint(yajl_gen g, uint64_t v) { yajl_gen_integer(g, (long long)v); }

static void jday(yajl_gen g, int64_t day, bool valid) {
  if (!valid) {
    yajl_gen_null(g);
    return;
  }
  char buf[32];
  gz_format_ymd(buf, sizeof buf, day);
  js(g, buf);
}

void gz_article_source(const gz_article *a, char *out, size_t cap) {
  snprintf(out, cap, "%s:%lu", a->file ? a->file : "", (unsigned long)a->line);
}

/* For the text plan: one line an article, whatever the file is called. */
static void printable_source(const gz_article *a, char *out, size_t cap) {
  char raw[1100];
  gz_article_source(a, raw, sizeof raw);
  gz_printable(raw, out, cap);
}

static void json_article(const gz_view *d, yajl_gen g, const gz_article *a) {
  char buf[1100];
  yajl_gen_map_open(g);
  jkey(g, "title");
  js(g, a->title ? a->title : "");
  jkey(g, "date");
  if (a->dated) {
    gz_format_iso(buf, sizeof buf, d->tz, &a->when);
    js(g, buf);
  } else {
    yajl_gen_null(g);
  }
  jkey(g, "authors");
  yajl_gen_array_open(g);
  for (uint32_t i = 0; i < a->n_authors; i++) js(g, a->authors[i]);
  yajl_gen_array_close(g);
  jkey(g, "url");
  js(g, a->url);
  jkey(g, "tags");
  yajl_gen_array_open(g);
  for (uint32_t i = 0; i < a->n_tags; i++) js(g, a->tags[i]);
  yajl_gen_array_close(g);
  jkey(g, "standfirst");
  js(g, a->standfirst);
  jkey(g, "image");
  js(g, a->image);
  /* to the minute when the capture time is known, like "date" */
  jkey(g, "captured");
  if (a->has_captured) {
    gz_when w = {a->captured, gz_tz_day(d->tz, a->captured), a->captured_time};
    gz_format_iso(buf, sizeof buf, d->tz, &w);
    js(g, buf);
  } else {
    yajl_gen_null(g);
  }
  jkey(g, "source");
  gz_article_source(a, buf, sizeof buf);
  js(g, buf);
  jkey(g, "words");
  jint(g, a->words);
  jkey(g, "teaser");
  yajl_gen_bool(g, a->teaser != 0);
  jkey(g, "lang");
  js(g, a->lang);
  /* only when right to left: plans of left-to-right archives unchanged */
  if (a->dir == GZ_DIR_RTL) {
    jkey(g, "dir");
    js(g, "rtl");
  }
  yajl_gen_map_close(g);
}

static const char *severity_name(gz_severity s) {
  switch (s) {
    case GZ_SEV_SKIP:
      return "skip";
    case GZ_SEV_ERROR:
      return "error";
    default:
      return "warning";
  }
}

void gz_diag_source(const gz_diag *dg, char *out, size_t cap) {
  if (dg->line && dg->col)
    snprintf(out, cap, "%s:%lu:%lu", dg->file, dg->line, dg->col);
  else if (dg->line)
    snprintf(out, cap, "%s:%lu", dg->file, dg->line);
  else
    snprintf(out, cap, "%s", dg->file);
}

static int write_json(gz_digest *digest, plan_out *o) {
  const gz_view *d = gz_digest_view(digest);
  /* yajl 2.1's generator uses its allocation unchecked (yajl_buf_alloc
   * writes through it, yajl_buf_ensure_available asserts), so a failure
   * there would crash rather than be reported: it stays on the C
   * library's allocator, whose failure is no worse. */
  yajl_gen g = yajl_gen_alloc(NULL);
  if (!g) return -1;
  yajl_gen_config(g, yajl_gen_beautify, 1);
  yajl_gen_config(g, yajl_gen_indent_string, "  ");
  yajl_gen_config(g, yajl_gen_print_callback, print_cb, o);
  yajl_gen_map_open(g);
  jkey(g, "inputs");
  yajl_gen_array_open(g);
  for (size_t i = 0; i < d->n_inputs; i++) {
    yajl_gen_map_open(g);
    jkey(g, "file");
    js(g, d->inputs[i].file);
    jkey(g, "format");
    js(g, d->inputs[i].format);
    jkey(g, "shape");
    js(g, d->inputs[i].shape);
    yajl_gen_map_close(g);
  }
  yajl_gen_array_close(g);
  jkey(g, "groups");
  yajl_gen_array_open(g);
  gz_walk it;
  gz_walk_init(&it, d, d->groups, d->n_groups, 0);
  gz_walk_ev ev;
  while ((ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    const gz_group *grp = it.grp;
    if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER) {
      json_article(d, g, it.article);
    } else if (it.node == GZ_NODE_GROUP && ev == GZ_WALK_ENTER) {
      yajl_gen_map_open(g);
      jkey(g, "label");
      js(g, grp->label);
      jkey(g, "start");
      jday(g, grp->start, !grp->undated);
      jkey(g, "end");
      jday(g, grp->end, !grp->undated);
      jkey(g, "articles");
      yajl_gen_array_open(g);
    } else if (it.node == GZ_NODE_GROUP) {
      yajl_gen_array_close(g);
      yajl_gen_map_close(g);
    }
  }
  gz_walk_free(&it);
  yajl_gen_array_close(g);
  const struct {
    const char *key;
    uint64_t value;
  } counts[] = {{"read", d->counts->read},
                {"written", d->counts->written},
                {"duplicates", d->counts->duplicates},
                {"filtered", d->counts->filtered},
                {"skipped", d->counts->skipped},
                {"groups", d->counts->groups},
                {"inputs_skipped", d->counts->inputs_skipped}};
  jkey(g, "counts");
  yajl_gen_map_open(g);
  for (size_t i = 0; i < GZ_ARRAY_LEN(counts); i++) {
    jkey(g, counts[i].key);
    jint(g, counts[i].value);
  }
  yajl_gen_map_close(g);
  jkey(g, "warnings");
  yajl_gen_array_open(g);
  for (size_t i = 0; i < gz_digest_diag_count(digest); i++) {
    const gz_diag *dg = gz_digest_diag(digest, i);
    char src[1200];
    gz_diag_source(dg, src, sizeof src);
    yajl_gen_map_open(g);
    jkey(g, "source");
    js(g, src);
    jkey(g, "severity");
    js(g, severity_name(dg->severity));
    jkey(g, "message");
    js(g, dg->message);
    yajl_gen_map_close(g);
  }
  yajl_gen_array_close(g);
  yajl_gen_map_close(g);
  release(o);
  out_bytes(o, "\n", 1);
  yajl_gen_free(g);
  return o->failed ? -1 : 0;
}

static int write_text(const gz_view *d, plan_out *o) {
  gz_buf b;
  gz_buf_init(&b, d->al);
  /* the shapes recognised, once per input, before the groups; records
   * read by the common names ("generic") are the rule, not news */
  bool shapes = false;
  for (size_t i = 0; i < d->n_inputs; i++) {
    if (!d->inputs[i].shape || strcmp(d->inputs[i].shape, "generic") == 0) continue;
    char file[1100];
    gz_printable(d->inputs[i].file, file, sizeof file);
    gz_buf_printf(&b, "%s: read as %s\n", file, d->inputs[i].shape);
    shapes = true;
  }
  if (shapes) {
    gz_buf_putc(&b, '\n');
    out_bytes(o, b.data, b.len);
  }
  gz_walk it;
  gz_walk_init(&it, d, d->groups, d->n_groups, 0);
  gz_walk_ev ev;
  while (!o->failed && (ev = gz_walk_next(&it, NULL)) > GZ_WALK_DONE) {
    const gz_group *grp = it.grp;
    if (it.node == GZ_NODE_GROUP && ev == GZ_WALK_ENTER) {
      gz_buf_clear(&b);
      gz_buf_printf(&b, "%s%s (", it.group ? "\n" : "", grp->label);
      gz_buf_put_count(&b, grp->n_items);
      gz_buf_printf(&b, " article%s)\n", grp->n_items == 1 ? "" : "s");
    } else if (it.node == GZ_NODE_GROUP) {
      out_bytes(o, b.data, b.len);
    } else if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER) {
      const gz_article *a = it.article;
      char date[64], src[1100];
      if (a->dated)
        gz_format_iso(date, sizeof date, d->tz, &a->when);
      else
        gz_strlcpy(date, "undated", sizeof date);
      printable_source(a, src, sizeof src);
      gz_buf_printf(&b, "  %-25s  %s  [%s]\n", date, a->title ? a->title : "", src);
      if (b.len > 65536) {
        out_bytes(o, b.data, b.len);
        gz_buf_clear(&b);
      }
    }
  }
  gz_walk_free(&it);
  gz_buf_clear(&b);
  gz_buf_puts(&b, d->n_groups ? "\n" : "");
  gz_put_counts(&b, d->counts->written, d->counts->groups);
  gz_buf_puts(&b, " (read ");
  gz_buf_put_count(&b, d->counts->read);
  gz_buf_puts(&b, ", ");
  gz_buf_put_count(&b, d->counts->duplicates);
  gz_buf_puts(&b, " duplicates, ");
  gz_buf_put_count(&b, d->counts->filtered);
  gz_buf_puts(&b, " filtered, ");
  gz_buf_put_count(&b, d->counts->skipped);
  gz_buf_puts(&b, " skipped)\n");
  out_bytes(o, b.data, b.len);
  int rc = b.failed ? -1 : 0;
  gz_buf_free(&b);
  return o->failed ? -1 : rc;
}

int gz_digest_write_plan(gz_digest *digest, int json, gz_write_fn write, void *user,
                         gz_error *err) {
  const gz_view *d = gz_digest_view(digest);
  gz_error_clear(err);
  if (!d->finished)
    return gz_error_set(err, GZ_ERR_USAGE, "", 0, 0, "gz_digest_finish() must come first");
  plan_out *o = gz_malloc(d->al, sizeof *o);
  if (!o) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  memset(o, 0, sizeof *o);
  o->write = write;
  o->user = user;
  int rc = json ? write_json(digest, o) : write_text(d, o);
  flush_out(o);
  if (o->failed) rc = -1;
  gz_free(d->al, o);
  if (rc) return gz_error_set(err, GZ_ERR_OUTPUT, "", 0, 0, "cannot write the plan");
  return 0;
}
