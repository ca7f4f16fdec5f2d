/*
 * ingest.c - from raw fields to an article in the digest.
 *
 * Every reader ends here, so the rules that do not depend on the input
 * format live here once: what makes an item skippable, how dates are
 * read and filtered, which of a body and a teaser is the article and
 * which its standfirst, how bodies are told HTML from plain text, how
 * bylines split into names, the size and count limits, language
 * detection and spooling.
 */
#include <stdio.h>
#include <string.h>

#include "read/names.h"
#include "read/read.h"

void gz_ingest_skip(gz_input *in, unsigned long line, unsigned long col, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  gz_digest_tally(in->d)->read++;
  gz_digest_tally(in->d)->skipped++;
  gz_diag_add(in->d, GZ_SEV_SKIP, in->name, line, col, "%s", msg);
}

/* Applies --since/--until as soon as the date is known, before anything
 * else is kept of the article: returns true (counted as read and
 * filtered) when it is left out. Undated articles are left out of any
 * date range. */
static bool ingest_filtered(gz_digest *d, const gz_article *a) {
  const gz_setup *set = gz_digest_setup(d);
  if (!set->has_since && !set->has_until) return false;
  if (a->dated && (!set->has_since || a->when.day >= set->since_day) &&
      (!set->has_until || a->when.day <= set->until_day))
    return false;
  gz_counts *counts = gz_digest_tally(d);
  counts->read++;
  counts->filtered++;
  return true;
}

/* An allocation of the input failed: the input stops (gz_ingest_submit)
 * with the error, since a string or list item lost would change the
 * article. */
static void ingest_nomem(gz_input *in) {
  if (!in->failed) gz_error_set(in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  in->failed = true;
}

/* Cleans s[0..n) into in->tmp (UTF-8 repair, controls dropped, white
 * space collapsed); returns its length, 0 when nothing is left. */
static size_t clean_to_tmp(gz_input *in, const char *s, size_t n) {
  gz_buf *t = &in->tmp;
  gz_buf_clear(t);
  const char *src = s;
  size_t len = n;
  gz_buf raw;
  gz_buf_init(&raw, gz_digest_setup(in->d)->al);
  if (!gz_utf8_is_clean(s, n)) {
    gz_utf8_clean_append(&raw, s, n);
    src = gz_buf_cstr(&raw);
    len = raw.len;
  }
  gz_buf_put_collapsed(t, src, len);
  bool failed = raw.failed || t->failed;
  gz_buf_free(&raw);
  if (failed) ingest_nomem(in);
  return failed ? 0 : t->len;
}

const char *gz_clean_string(gz_input *in, const char *s, size_t n) {
  size_t len = clean_to_tmp(in, s, n);
  const char *out = len ? gz_arena_strndup(gz_digest_arena(in->d), in->tmp.data, len) : NULL;
  /* NULL also means empty: a failure is told by in->failed. */
  if (len && !out) ingest_nomem(in);
  return out;
}

/* Splits a NUL-separated list into cleaned, distinct strings (in the order
 * first seen, at most GZ_MAX_AUTHORS or GZ_MAX_TAGS, a warning naming
 * article `a` when more are left out); each item is split into names
 * (names.h): a list of one author item is a byline. */
static const char **clean_list(gz_input *in, const gz_raw_list *l, bool authors,
                               const gz_article *a, uint32_t *count) {
  *count = 0;
  if (l->n == 0) return NULL;
  const uint32_t limit = authors ? GZ_MAX_AUTHORS : GZ_MAX_TAGS;
  const gz_names_mode mode = !authors    ? GZ_NAMES_TAGS
                             : l->n == 1 ? GZ_NAMES_BYLINE
                                         : GZ_NAMES_AUTHOR;
  /* Kept items are gathered here and only their number copied to the
   * arena: room for the limit in every article was 4 KB an article. */
  const char *items[GZ_MAX_TAGS > GZ_MAX_AUTHORS ? GZ_MAX_TAGS : GZ_MAX_AUTHORS];
  uint64_t keys[GZ_MAX_TAGS > GZ_MAX_AUTHORS ? GZ_MAX_TAGS : GZ_MAX_AUTHORS];
  /* Every distinct item is hashed once, so a list of any length is read
   * in linear time; the kept items' own keys settle a hash hit. */
  gz_set64 seen;
  gz_set64_init(&seen, gz_digest_setup(in->d)->al);
  uint64_t distinct = 0;
  const char *p = l->data, *end = l->data + l->len;
  while (p < end) {
    size_t item_len = strnlen(p, (size_t)(end - p));
    const char *item_end = p + item_len;
    gz_names names;
    gz_names_init(&names, p, item_len, mode);
    const char *s;
    size_t n;
    while (gz_names_next(&names, &s, &n)) {
      size_t cl = clean_to_tmp(in, s, n);
      if (cl) {
        const char *c = in->tmp.data;
        uint64_t key = gz_hash64(c, cl, 0x6c697374);
        int added = gz_set64_add(&seen, key);
        if (added < 0) {
          ingest_nomem(in);
          break;
        }
        bool dup = added == 0;
        /* Below the limit nothing was left out, so a key seen before
         * whose text no kept item has is a hash collision, not a copy. */
        if (dup && *count < limit) {
          dup = false;
          for (uint32_t k = 0; !dup && k < *count; k++)
            dup = keys[k] == key && strcmp(items[k], c) == 0;
        }
        if (!dup) distinct++;
        if (!dup && *count < limit) {
          if (!(items[*count] = gz_arena_strndup(gz_digest_arena(in->d), c, cl))) {
            ingest_nomem(in);
            break;
          }
          keys[(*count)++] = key;
        }
      } else if (in->failed) {
        break;
      }
    }
    if (in->failed) break;
    p = item_end + 1;
  }
  gz_set64_free(&seen);
  if (in->failed) {
    *count = 0;
    return NULL;
  }
  if (distinct > *count) {
    char title[96];
    gz_diag_add(in->d, GZ_SEV_WARNING, in->name, a->line, a->col,
                "\"%s\" has %llu %s; the first %u are kept and %llu left out",
                gz_short(a->title ? a->title : "untitled", title, sizeof title),
                (unsigned long long)distinct, authors ? "authors" : "tags", (unsigned)*count,
                (unsigned long long)(distinct - *count));
  }
  if (*count == 0) return NULL;
  const char **kept = gz_arena_alloc(gz_digest_arena(in->d), *count * sizeof *kept);
  if (!kept) {
    *count = 0;
    ingest_nomem(in);
    return NULL;
  }
  memcpy(kept, items, *count * sizeof *kept);
  return kept;
}

/* Titles longer than this are cut, with a warning: a title is a line in
 * a table of contents, not a place for megabytes. */
#define MAX_TITLE 1000

static void limit_title(gz_input *in, gz_article *a) {
  size_t n = a->title ? strlen(a->title) : 0;
  if (n <= MAX_TITLE) return;
  size_t cut = gz_utf8_floor(a->title, MAX_TITLE);
  char *t = gz_arena_alloc(gz_digest_arena(in->d), cut + 4);
  if (!t) {
    ingest_nomem(in);
    return;
  }
  memcpy(t, a->title, cut);
  memcpy(t + cut, "\xE2\x80\xA6", 4);
  gz_diag_add(in->d, GZ_SEV_WARNING, in->name, a->line, a->col,
              "title of %zu bytes cut to its first %zu (\"%.40s...\")", n, cut, t);
  a->title = t;
}

/* Accepts an article of the date range (the count limit is checked
 * here) and hands its body to the pipeline; `a` holds the metadata.
 * Counts it as read. */
static int ingest_submit(gz_input *in, gz_article *a, const char *body, size_t len, int kind) {
  gz_digest *d = in->d;
  if (in->failed) return -1; /* a string of the article was lost for want of memory */
  gz_read_state *rs = gz_digest_read_state(d);
  size_t max_articles = gz_digest_setup(d)->opts->max_articles;
  if (rs->n_accepted >= max_articles) {
    char title[96];
    gz_ingest_skip(in, a->line, a->col,
                   "more than %zu articles in one digest (--max-articles); \"%s\" skipped",
                   max_articles, gz_short(a->title ? a->title : "", title, sizeof title));
    return 0;
  }
  gz_digest_tally(d)->read++;
  a->title_fp = a->title ? gz_title_key(a->title) : 0;
  a->url_fp = a->url ? gz_url_key(a->url) : 0;
  a->order = (uint32_t)rs->n_accepted++;
  a->dump = in->dump;
  a->text_keys = kind == GZ_TASK_TEXT_KEYED;
  if (gz_pipeline_submit(d, a, body, len, kind, in->err)) {
    in->failed = true;
    return -1;
  }
  return 0;
}

/* An article without a title is named by the start of its body, so that
 * plans, contents and bookmarks all show the same words. */
static const char *derive_title(gz_input *in, const char *body, size_t len, bool html) {
  gz_buf text;
  gz_buf_init(&text, gz_digest_setup(in->d)->al);
  size_t take = len < 4096 ? len : 4096;
  if (html)
    gz_html_to_text(in->html, body, take, &text);
  else
    gz_buf_put_collapsed(&text, body, take);
  const char *t = gz_buf_cstr(&text);
  size_t n = text.len, cut = n;
  if (n > 80) {
    cut = gz_utf8_floor(t, 80);
    size_t space = cut;
    while (space > 40 && t[space] != ' ') space--;
    if (space > 40) cut = space;
  }
  gz_buf title;
  gz_buf_init(&title, gz_digest_setup(in->d)->al);
  gz_buf_append(&title, t, cut);
  if (cut < n) gz_buf_puts(&title, "\xE2\x80\xA6");
  const char *result = title.len ? gz_clean_string(in, title.data, title.len) : NULL;
  gz_buf_free(&title);
  gz_buf_free(&text);
  return result;
}

/* The strings producers write for "no date" (Python's None, pandas'
 * NaT, a JSON null written as text): no date, not an unreadable one. */
static bool no_date(const gz_raw_date *rd) {
  static const char *const none[] = {"none", "null", "nat"};
  if (!rd->text) return true;
  const char *s = rd->text;
  size_t n = rd->len;
  gz_trim(&s, &n);
  for (size_t i = 0; i < GZ_ARRAY_LEN(none); i++)
    if (gz_ascii_ieq(s, n, none[i])) return true;
  return n == 0;
}

/* Warns that an article is undated, saying why (its date unreadable, of a
 * wrong type, or missing). */
static void warn_undated(gz_input *in, const gz_raw_article *raw, const char *full_title) {
  gz_digest *d = in->d;
  char title[96];
  gz_short(full_title, title, sizeof title);
  if (!no_date(&raw->date))
    gz_diag_add(d, GZ_SEV_WARNING, in->name, raw->line, raw->col,
                "cannot read the date \"%.*s\" of \"%s\"; it goes to Undated",
                (int)(raw->date.len > 80 ? 80 : raw->date.len), raw->date.text, title);
  else if (raw->bad_date_type)
    gz_diag_add(d, GZ_SEV_WARNING, in->name, raw->line, raw->col,
                "the date of \"%s\" is %s, not a date; it goes to Undated", title,
                raw->bad_date_type);
  else
    gz_diag_add(d, GZ_SEV_WARNING, in->name, raw->line, raw->col,
                "\"%s\" has no date; it goes to Undated", title);
}

bool gz_raw_date_read(const gz_digest *d, const gz_raw_date *rd, gz_when *w) {
  const gz_setup *set = gz_digest_setup(d);
  const gz_tz *tz = (rd->flags & GZ_RAW_DATE_UTC) ? set->utc : set->tz;
  if (gz_date_parse(rd->text, rd->len, set->opts->date_order, tz, rd->flags & GZ_DATE_EPOCH, w))
    return false;
  if (w->has_time) w->day = gz_tz_day(set->tz, w->utc);
  return true;
}

/* ---- body, teaser and standfirst ---- */

#define ELLIPSIS "\xE2\x80\xA6"

static bool ends_with(const char *s, size_t n, const char *tail) {
  size_t t = strlen(tail);
  return n >= t && memcmp(s + n - t, tail, t) == 0;
}

/* Cuts the mark a news API leaves on a body it cut, ellipsis and all
 * (NewsAPI's "… [+646 chars]", also "...[+646 chars]"): true when there
 * was one. */
static bool cut_truncation_mark(const char *s, size_t *n) {
  static const char tail[] = " chars]";
  size_t len = *n;
  if (!ends_with(s, len, tail)) return false;
  size_t i = len - (sizeof tail - 1), digits = 0;
  while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') i--, digits++;
  if (!digits || i < 2 || s[i - 1] != '+' || s[i - 2] != '[') return false;
  i -= 2;
  while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) i--;
  if (ends_with(s, i, ELLIPSIS))
    i -= strlen(ELLIPSIS);
  else if (ends_with(s, i, "..."))
    i -= 3;
  while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r'))
    i--;
  *n = i;
  return true;
}

/* Cuts a trailing ellipsis ("…", "...", and a WordPress auto-excerpt's
 * "[…]" or "[...]") and the white space before it: true when there was
 * one. */
static bool cut_ellipsis(const char *s, size_t *n) {
  static const char *const marks[] = {"[" ELLIPSIS "]", "[...]", ELLIPSIS, "..."};
  for (size_t i = 0; i < GZ_ARRAY_LEN(marks); i++) {
    if (!ends_with(s, *n, marks[i])) continue;
    *n -= strlen(marks[i]);
    while (*n && s[*n - 1] == ' ') (*n)--;
    return true;
  }
  return false;
}

/* The plain text of s[0..n) as a reader sees it, into `out`: tags
 * dropped and entities decoded when it is HTML or holds an entity, white
 * space collapsed. Only as much is read as gives `want` bytes of text
 * (and some to spare): prefix tests need no more of a long body. *whole
 * says whether all of s was read. */
static int plain_text(gz_input *in, const char *s, size_t n, bool html, size_t want, gz_buf *out,
                      bool *whole) {
  bool markup = html || memchr(s, '&', n) != NULL;
  size_t take = want * 4 + 16384;
  for (;;) {
    size_t cut = take >= n ? n : gz_utf8_floor(s, take);
    gz_buf_clear(out);
    int rc = markup ? gz_html_to_text(in->html, s, cut, out) : gz_buf_put_collapsed(out, s, cut);
    if (rc || out->failed) return -1;
    *whole = cut == n;
    if (*whole || out->len >= want + 256) return 0;
    take *= 4;
  }
}

/* A standfirst is a paragraph under the title, kept in memory with the
 * article: a "summary" that is in fact a whole article is cut at a word
 * before this many bytes. */
#define MAX_STANDFIRST 1000

/* What a record gives as its text, decided: the body, the kind it is
 * read as, and the standfirst (plain text, in the arena) when the teaser
 * says something the body does not start with. */
typedef struct chosen_text {
  const char *body;
  size_t body_len;
  gz_body_kind kind;
  bool teaser;
  const char *standfirst;
} chosen_text;

/* The fullest text is the body: the summary when there is no body or the
 * body (a cut one) is the start of it; else the summary is the
 * standfirst unless the body starts with it or it is the title. */
static int choose_text(gz_input *in, const gz_raw_article *raw, const char *title,
                       chosen_text *out) {
  const char *body = raw->body, *sum = raw->summary;
  size_t body_len = body ? raw->body_len : 0, sum_len = sum ? raw->summary_len : 0;
  if (body_len && raw->body_kind != GZ_BODY_TEXT) gz_trim(&body, &body_len);
  if (sum_len) gz_trim(&sum, &sum_len);
  gz_body_kind sum_kind = raw->summary_html ? GZ_BODY_HTML : GZ_BODY_AUTO;
  out->teaser = raw->teaser;
  out->standfirst = NULL;
  if (body_len == 0) {
    body = sum;
    body_len = sum_len;
    sum_len = 0;
    out->kind = sum_kind;
  } else {
    out->kind = raw->body_kind;
  }
  if (out->kind != GZ_BODY_TEXT && cut_truncation_mark(body, &body_len)) out->teaser = true;
  out->body = body;
  out->body_len = body_len;
  if (sum_len == 0) return 0;

  const gz_allocator *al = gz_digest_setup(in->d)->al;
  gz_buf st, bt;
  gz_buf_init(&st, al);
  gz_buf_init(&bt, al);
  bool sum_whole, body_whole;
  bool sum_html = sum_kind == GZ_BODY_HTML || gz_looks_like_html(sum, sum_len);
  bool body_html = out->kind == GZ_BODY_HTML ||
                   (out->kind == GZ_BODY_AUTO && gz_looks_like_html(body, body_len));
  int rc = plain_text(in, sum, sum_len, sum_html, MAX_STANDFIRST, &st, &sum_whole);
  /* the tests leave out an excerpt's closing ellipsis; a standfirst keeps it */
  size_t sl = st.len;
  if (rc == 0) cut_ellipsis(st.data ? st.data : "", &sl);
  if (rc == 0 && sl) rc = plain_text(in, body, body_len, body_html, sl, &bt, &body_whole);
  if (rc || sl == 0) goto done;
  size_t bl = bt.len;
  if (bl >= sl && memcmp(bt.data, st.data, sl) == 0) goto done; /* the body starts with it */
  cut_ellipsis(bt.data ? bt.data : "", &bl);
  if (body_whole && bl < sl && (bl == 0 || memcmp(bt.data, st.data, bl) == 0)) {
    /* the body is the start of the summary: the summary is the fuller */
    out->body = sum;
    out->body_len = sum_len;
    out->kind = sum_kind;
    goto done;
  }
  if (title && gz_ascii_ieq(st.data, sl, title)) goto done;
  if (st.len > MAX_STANDFIRST) {
    size_t keep = gz_utf8_floor(st.data, MAX_STANDFIRST), space = keep;
    while (space > MAX_STANDFIRST / 2 && st.data[space] != ' ') space--;
    st.len = space > MAX_STANDFIRST / 2 ? space : keep;
    gz_buf_puts(&st, ELLIPSIS);
  }
  if (st.failed) {
    rc = -1;
    goto done;
  }
  out->standfirst = gz_clean_string(in, st.data, st.len);
done:
  gz_buf_free(&st);
  gz_buf_free(&bt);
  if (rc) ingest_nomem(in);
  return rc;
}

/* The capture date: the record's own (with its time), else the day the
 * reader found (the text reader's file name). A capture date that cannot
 * be read is said, and left out. A day alone is kept as its midnight in
 * the digest's zone, which gives the day back. */
static void read_captured(gz_input *in, const gz_raw_article *raw, gz_article *a,
                          const char *title) {
  const gz_tz *tz = gz_digest_setup(in->d)->tz;
  if (!no_date(&raw->captured)) {
    gz_when w;
    if (gz_raw_date_read(in->d, &raw->captured, &w)) {
      a->has_captured = 1;
      a->captured_time = w.has_time;
      a->captured = w.has_time ? w.utc : gz_tz_to_utc(tz, w.day * 86400);
      return;
    }
    char shown[96];
    gz_diag_add(in->d, GZ_SEV_WARNING, in->name, raw->captured.line, raw->captured.col,
                "cannot read the capture date \"%.*s\" of \"%s\"; it is left out",
                (int)(raw->captured.len > 80 ? 80 : raw->captured.len), raw->captured.text,
                gz_short(title, shown, sizeof shown));
  }
  if (raw->has_captured) {
    a->has_captured = 1;
    a->captured_time = 0;
    a->captured = gz_tz_to_utc(tz, raw->captured_day * 86400);
  }
}

int gz_ingest_raw(gz_input *in, const gz_raw_article *raw) {
  gz_digest *d = in->d;
  const gz_setup *set = gz_digest_setup(d);
  if (raw->too_big || raw->bytes > set->opts->max_article_size) {
    gz_ingest_skip(in, raw->line, raw->col,
                   "article larger than the limit of %zu bytes (--max-article-size); skipped",
                   set->opts->max_article_size);
    return 0;
  }
  gz_article a;
  memset(&a, 0, sizeof a);
  a.file = in->name;
  a.line = (uint32_t)raw->line;
  a.col = (uint32_t)raw->col;

  if (raw->title && raw->title_len) {
    if (raw->title_html) {
      gz_buf plain;
      gz_buf_init(&plain, set->al);
      gz_html_to_text(in->html, raw->title, raw->title_len, &plain);
      a.title = plain.len ? gz_clean_string(in, plain.data, plain.len) : NULL;
      gz_buf_free(&plain);
    } else {
      a.title = gz_clean_string(in, raw->title, raw->title_len);
    }
  }
  chosen_text text;
  if (choose_text(in, raw, a.title, &text)) return -1;
  const char *body = text.body;
  size_t body_len = text.body_len;
  if (!a.title && body_len == 0 && !raw->title_found) {
    gz_ingest_skip(in, raw->line, raw->col, "item has neither title nor body; skipped");
    return 0;
  }
  a.standfirst = text.standfirst;
  a.teaser = text.teaser;
  /* Whether the body is HTML is told once, from all of it: the title
   * taken from its start is read the same way as the body. */
  bool html = body_len && (text.kind == GZ_BODY_HTML ||
                           (text.kind == GZ_BODY_AUTO && gz_looks_like_html(body, body_len)));
  if (!a.title && !raw->title_found) a.title = derive_title(in, body, body_len, html);
  limit_title(in, &a);
  const char *shown = a.title ? a.title : "untitled";

  if (!no_date(&raw->date) && gz_raw_date_read(d, &raw->date, &a.when)) a.dated = 1;
  if (!a.dated && raw->has_fallback_day) {
    a.dated = 1;
    a.when.day = raw->fallback_day;
    a.when.has_time = false;
    a.when.utc = gz_tz_to_utc(set->tz, raw->fallback_day * 86400);
  }
  if (ingest_filtered(d, &a)) return 0;
  if (!a.dated) warn_undated(in, raw, shown);
  read_captured(in, raw, &a, shown);

  if (raw->url && raw->url_len) a.url = gz_clean_string(in, raw->url, raw->url_len);
  if (raw->image && raw->image_len) a.image = gz_clean_string(in, raw->image, raw->image_len);
  a.authors = clean_list(in, &raw->authors, true, &a, &a.n_authors);
  a.tags = clean_list(in, &raw->tags, false, &a, &a.n_tags);
  /* A language the source gives wins over any guess; one that is not a
   * language tag is no language. */
  char lang[GZ_LANG_MAX];
  if (raw->lang && gz_lang_normalize(raw->lang, raw->lang_len, lang))
    a.lang = gz_arena_strdup(gz_digest_arena(d), lang);

  /* The body is repaired (control characters from JSON escapes) by the
   * pipeline's workers, off the reading thread. */
  int kind = html ? GZ_TASK_HTML : GZ_TASK_PLAIN;
  if (text.kind == GZ_BODY_TEXT && !set->opts->keep_chrome) kind = GZ_TASK_TEXT_KEYED;
  return ingest_submit(in, &a, body, body_len, kind);
}

/* ---- repeated lines across a dump ---- */

int gz_ingest_dump_end(gz_digest *d, gz_error *err) {
  gz_read_state *rs = gz_digest_read_state(d);
  if (rs->n_pending == 0) return 0;
  gz_set64 pairs;
  gz_count64 counts;
  gz_set64_init(&pairs, gz_digest_setup(d)->al);
  gz_count64_init(&counts, gz_digest_setup(d)->al);
  gz_article *articles = gz_digest_articles(d, NULL);
  int rc = 0;
  /* A line counts once per distinct title: the same article saved twice
   * must not make its own lines chrome. */
  for (size_t i = 0; i < rs->n_pending && rc == 0; i++) {
    const gz_text_pending *p = &rs->pending[i];
    for (uint32_t k = 0; k < p->n; k++) {
      int added = gz_set64_add(&pairs, gz_hash_mix(p->keys[k], p->title_key));
      if (added < 0 || (added == 1 && gz_count64_add(&counts, p->keys[k], 1) < 0)) rc = -1;
    }
  }
  for (size_t i = 0; i < rs->n_pending && rc == 0; i++) {
    const gz_text_pending *p = &rs->pending[i];
    gz_article *a = &articles[p->article];
    uint32_t words = 0;
    uint64_t fp = 0;
    for (uint32_t k = 0; k < p->n; k++) {
      if (gz_count64_get(&counts, p->keys[k]) >= 3) {
        if (gz_digest_chrome_add(d, gz_chrome_key(p->keys[k], a->dump))) rc = -1;
        continue;
      }
      words += p->words[k];
      fp = gz_hash_mix(fp, p->keys[k]);
    }
    a->words = words;
    a->body_fp = words ? fp : 0;
  }
  gz_set64_free(&pairs);
  gz_count64_free(&counts);
  rs->n_pending = 0;
  gz_arena_clear(&rs->dump_arena);
  if (rc) return gz_error_set(err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  return 0;
}
