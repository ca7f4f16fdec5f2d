/*
 * flow.c - the flow of the PDF's article pages: lines onto pages (the
 * rules that keep a paragraph's first or last line from standing alone;
 * the place for alignment and justification as well), and groups,
 * articles and their body blocks into styled paragraphs.
 */
#include <stdio.h>
#include <string.h>

#include "write/pdf/pdf.h"

/* ---- lines onto pages ---- */

bool pdf_flow_room(const pdf_flow *f, float need) { return f->y - need >= f->bottom; }

/* Begins the next page for `need` points the flow keeps together. The
 * page switch alone honours the keep when a page holds more than the
 * one left, but a column cut short may hold less: the keep is checked
 * again there, and what it lacks room for goes on to the column after
 * (whole, as the right one of balanced columns is). */
static void break_for(pdf_flow *f, float need) {
  f->new_page(f->user);
  if (f->cut_short && !pdf_flow_room(f, need)) f->new_page(f->user);
}

void pdf_flow_ensure(pdf_flow *f, float need) {
  if (!pdf_flow_room(f, need)) break_for(f, need);
}

float pdf_flow_line_keep(pdf_flow *f, size_t i, size_t n, float leading, float after) {
  /* The lines that stay together at the paragraph's end: its last two,
   * or all of a paragraph of three lines or fewer (which so has two on
   * each side of any break only when it is not broken). */
  size_t tail = n >= 4 ? 2 : n;
  /* No orphan: a page breaks no sooner than after the second line, */
  if (i == 0 && n >= 4) pdf_flow_ensure(f, 2 * leading);
  /* no widow: nor later than before the last two. */
  if (i == n - tail) pdf_flow_ensure(f, (float)tail * leading + after);
  pdf_flow_ensure(f, leading);
  if (f->lines++) f->y -= f->line_stretch;
  float top = f->y;
  f->y -= leading;
  pdf_flow_filled(f);
  return top;
}

void pdf_flow_gap(pdf_flow *f, float gap) {
  f->y -= gap * (1 - f->gap_shrink) + f->gap_stretch;
  f->gaps++;
  f->gap_sum += gap;
}

void pdf_flow_filled(pdf_flow *f) {
  f->gaps_filled = f->gaps;
  f->gap_sum_filled = f->gap_sum;
  f->ink = f->y;
}

float pdf_flow_line(pdf_flow *f, size_t i, size_t n, float leading) {
  return pdf_flow_line_keep(f, i, n, leading, 0);
}

/* ---- styles ---- */

static pdf_style body_style(const pdf_ctx *c) {
  return pdf_plain_style(ROLE_SERIF, c->g.body, c->g.leading, 0);
}

/* Justified (and hyphenated in `lang`) unless --align left: body
 * paragraphs, list items and quotes. */
static void justify(pdf_ctx *c, pdf_style *st, const char *lang) {
  st->justify = c->w->align != GZ_ALIGN_LEFT;
  st->first_fit = c->w->align == GZ_ALIGN_FIRST_FIT;
  st->hyph = st->justify ? pdf_hyph_for(c, lang) : NULL;
}

/* ---- paragraphs ---- */

/* Draws the paragraph laid out in c->para `ind` points in from the
 * column's left edge (the column may change between lines), breaking
 * pages as needed. `marker` is drawn before the first line (a bullet or
 * a number), `bars` draws quote bars per line. A right-to-left paragraph
 * is mirrored: its indent is taken from the column's right edge, its
 * lines end there, marker and bars stand on the right. */
static void draw_para(pdf_ctx *c, const pdf_style *st, float ind, const char *marker, int bars) {
  size_t n = c->para.n_lines;
  bool rtl = c->para.rtl;
  for (size_t i = 0; i < n; i++) {
    float y = pdf_flow_line_keep(&c->flow, i, n, st->leading, c->keep_after);
    if (c->dry) continue;
    float x = c->flow.x + ind;
    float right = c->flow.x + c->flow.w - (x - c->flow.x);
    float base = y - st->size * 0.98f;
    HPDF_Page p = pdf_cur(c);
    if (i == 0 && marker) {
      float mw = pdf_text_width(&c->fonts, st->role, st->size, marker);
      pdf_draw_text(&c->fonts, p, st->role, st->size, 0.15f, rtl ? right + 4 : x - mw - 4, base,
                    marker);
    }
    for (int b = 0; b < bars; b++) {
      float bx =
          rtl ? c->flow.x + c->flow.w - 3 - 16.0f * (float)b : c->flow.x + 3 + 16.0f * (float)b;
      pdf_draw_stroke(p, bx, y, bx, y - st->leading, 1.2f, 0.55f);
    }
    float lx = rtl ? right - c->para.lines[i].width : x;
    pdf_para_draw_line(&c->para, &c->fonts, st, p, i, lx, base, c->pdfa);
  }
}

/* Lays out a paragraph in width w and draws it `ind` points in from the
 * column's edge (see draw_para). */
static int flow_para(pdf_ctx *c, const pdf_style *st, const char *text, size_t len,
                     const gz_run *runs, size_t n_runs, float ind, float w, const char *marker,
                     int bars, pdf_missing *missing) {
  if (pdf_para_layout(&c->para, &c->fonts, st, text, len, runs, n_runs, w, w, missing)) return -1;
  draw_para(c, st, ind, marker, bars);
  return 0;
}

/* ---- articles ---- */

static void meta_text(const pdf_ctx *c, const gz_article *a, gz_buf *out) {
  if (a->dated) {
    char when[96];
    gz_format_long(when, sizeof when, c->d->tz, &a->when);
    gz_buf_puts(out, when);
  }
  for (uint32_t i = 0; i < a->n_authors; i++) {
    gz_buf_puts(out, i == 0 ? (out->len ? " \xC2\xB7 " : "") : ", ");
    gz_buf_puts(out, a->authors[i]);
  }
}

/* ---- body blocks ----
 *
 * Besides the rules of each paragraph (no single first or last line on
 * either side of a break), blocks keep with what follows them: a heading
 * with the first lines of its text; an introduction ("...include:") with
 * the first lines of its list or quote; a list or quote whose first item
 * is a single line with the first lines of its second, so that it never
 * begins with one line at a page's foot. Headings with no text after
 * them in their article head nothing: they are set as its closing lines,
 * in the text's italic, kept with the last lines of the text above them
 * (never alone at the top of a page, and never a heading at the foot of
 * one with the next article's title overleaf). */

static int quote_of(const gz_block *blk) {
  return blk->quote > GZ_INDENT_QUOTES ? GZ_INDENT_QUOTES : blk->quote;
}

/* The first of the headings that end the body with nothing after them
 * (body->n: none). */
static size_t closing_start(const gz_body *body) {
  size_t j = body->n;
  while (j > 0 && body->blocks[j - 1].type == GZ_BLOCK_HEADING) j--;
  return j;
}

/* How block i is set: its style, its indent from the column's edge (and
 * width cw less it) and the space under it. Images and rules have no
 * text (false). */
static bool block_style(pdf_ctx *c, const gz_body *body, size_t i, size_t closing, uint8_t adir,
                        const char *alang, pdf_style *st, float *ind, float *gap) {
  const gz_block *blk = &body->blocks[i];
  float qi = 16.0f * (float)quote_of(blk);
  *st = body_style(c);
  *ind = qi;
  *gap = c->g.leading * 0.45f;
  if (quote_of(blk)) st->r = st->g = st->b = 0.18f;
  switch (blk->type) {
    case GZ_BLOCK_HEADING: {
      int rel = blk->heading.level - gz_body_heading_base(body);
      if (i >= closing) /* an article's closing line */
        *st = pdf_plain_style(ROLE_SERIF_ITALIC, c->g.body, c->g.leading, 0.1f);
      else
        *st = pdf_plain_style(ROLE_SANS_BOLD,
                              rel <= 0   ? c->g.body * 1.18f
                              : rel == 1 ? c->g.body * 1.06f
                                         : c->g.body,
                              c->g.leading * (rel <= 0 ? 1.15f : 1.05f), 0.1f);
      *gap = c->g.leading * 0.15f;
      break;
    }
    case GZ_BLOCK_ITEM: {
      unsigned depth = blk->item.depth ? blk->item.depth : 1;
      *ind = qi + 18.0f * (float)(depth > GZ_INDENT_LISTS ? GZ_INDENT_LISTS : depth);
      justify(c, st, blk->lang ? blk->lang : alang);
      *gap = c->g.leading * 0.15f;
      break;
    }
    case GZ_BLOCK_PRE:
      *st = pdf_plain_style(ROLE_MONO, c->g.body * 0.82f, c->g.leading * 0.86f, 0.1f);
      st->pre = true;
      *ind = qi + 10;
      *gap = c->g.leading * 0.5f;
      break;
    case GZ_BLOCK_IMAGE:
    case GZ_BLOCK_RULE:
      return false;
    default: {
      unsigned ld = gz_block_list_depth(blk);
      *ind = qi + (ld ? 18.0f * (float)(ld > GZ_INDENT_LISTS ? GZ_INDENT_LISTS : ld) : 0);
      justify(c, st, blk->lang ? blk->lang : alang);
      break;
    }
  }
  st->dir = blk->dir ? blk->dir : adir;
  return true;
}

static bool in_list(const gz_block *b) {
  return b->type == GZ_BLOCK_ITEM || gz_block_list_depth(b) > 0;
}

/* Does block i begin a list or a quote that block i + 1 goes on? */
static bool opens_run(const gz_body *body, size_t i) {
  if (i + 1 >= body->n) return false;
  const gz_block *b = &body->blocks[i], *next = b + 1, *prev = i ? b - 1 : NULL;
  bool list = b->type == GZ_BLOCK_ITEM && (!prev || !in_list(prev)) && in_list(next);
  bool quote = b->quote > 0 && (!prev || prev->quote < b->quote) && next->quote >= b->quote;
  return list || quote;
}

/* The body being set: where its closing lines begin and their height. */
typedef struct body_at {
  const gz_body *body;
  size_t closing;
  float closing_h;
  uint8_t adir;
  const char *alang;
} body_at;

static void keeps(pdf_ctx *c, const body_at *ba, size_t i, float gap, int depth, float *keep,
                  float *keep_one);

/* The height block i needs at the foot of a page to begin there: its
 * lines the flow keeps together at a paragraph's start (two, or the
 * three or fewer of one it does not split), with what those keep with
 * when they are all of it. Lays out into c->para. */
static float start_need(pdf_ctx *c, const body_at *ba, size_t i, int depth) {
  pdf_style st;
  float ind, gap;
  const gz_block *blk = &ba->body->blocks[i];
  if (!block_style(c, ba->body, i, ba->closing, ba->adir, ba->alang, &st, &ind, &gap))
    return c->g.leading;
  float w = c->flow.w - ind;
  if (pdf_para_layout(&c->para, &c->fonts, &st, blk->text, blk->len, blk->runs, blk->n_runs, w, w,
                      NULL))
    return 0;
  size_t n = c->para.n_lines;
  float need = (float)(n >= 4 ? 2 : n) * st.leading;
  if (n < 4 && depth < 3) {
    float keep, keep_one;
    keeps(c, ba, i, gap, depth + 1, &keep, &keep_one);
    need += n == 1 && keep_one > keep ? keep_one : keep;
  }
  return need;
}

/* What the last lines of text block i (`gap` under it) keep with below
 * them, gap included: the closing lines after the last text, or the
 * first lines of the list or quote it introduces; `keep_one`, when the
 * block opens a list or quote and is a single line, the first lines of
 * the next. May lay out into c->para. */
static void keeps(pdf_ctx *c, const body_at *ba, size_t i, float gap, int depth, float *keep,
                  float *keep_one) {
  const gz_body *body = ba->body;
  const gz_block *blk = &body->blocks[i];
  const gz_block *next = i + 1 < body->n ? blk + 1 : NULL;
  *keep = *keep_one = 0;
  if (i + 1 == ba->closing) *keep = gap + ba->closing_h;
  if (blk->type != GZ_BLOCK_HEADING && blk->len && blk->text[blk->len - 1] == ':' && next &&
      (next->type == GZ_BLOCK_ITEM || next->quote > blk->quote)) {
    float k = gap + start_need(c, ba, i + 1, depth);
    *keep = k > *keep ? k : *keep;
  }
  if (opens_run(body, i)) *keep_one = gap + start_need(c, ba, i + 1, depth);
}

/* The height of the closing lines from block `closing` on, spaces
 * included. Lays out into c->para. */
static float closing_need(pdf_ctx *c, const gz_body *body, size_t closing, uint8_t adir,
                          const char *alang) {
  float h = 0;
  for (size_t j = closing; j < body->n; j++) {
    pdf_style st;
    float ind, gap;
    const gz_block *blk = &body->blocks[j];
    block_style(c, body, j, closing, adir, alang, &st, &ind, &gap);
    float w = c->flow.w - ind;
    if (pdf_para_layout(&c->para, &c->fonts, &st, blk->text, blk->len, blk->runs, blk->n_runs, w, w,
                        NULL))
      return 0;
    h += (float)c->para.n_lines * st.leading + gap;
  }
  return h;
}

/* Lays out block text and draws it, its last lines kept with `keep`
 * points below them (`keep_one` as well when it is a single line). */
static int place_text(pdf_ctx *c, const pdf_style *st, const gz_block *blk, float ind,
                      const char *marker, int bars, float keep, float keep_one,
                      pdf_missing *missing) {
  float w = c->flow.w - ind;
  if (pdf_para_layout(&c->para, &c->fonts, st, blk->text, blk->len, blk->runs, blk->n_runs, w, w,
                      missing))
    return -1;
  c->keep_after = c->para.n_lines == 1 && keep_one > keep ? keep_one : keep;
  draw_para(c, st, ind, marker, bars);
  c->keep_after = 0;
  return 0;
}

int pdf_draw_body(pdf_ctx *c, const gz_body *body, uint8_t adir, const char *alang,
                  pdf_missing *missing) {
  float cw = c->flow.w;
  size_t closing = closing_start(body);
  float closing_h = closing < body->n ? closing_need(c, body, closing, adir, alang) : 0;
  body_at ba = {body, closing, closing_h, adir, alang};
  for (size_t i = 0; i < body->n; i++) {
    const gz_block *blk = &body->blocks[i];
    int quote = quote_of(blk);
    float qi = 16.0f * (float)quote;
    pdf_style st;
    float ind, gap;
    bool text = block_style(c, body, i, closing, adir, alang, &st, &ind, &gap);
    float keep = 0, keep_one = 0;
    if (text && i < ba.closing) keeps(c, &ba, i, gap, 0, &keep, &keep_one);
    switch (blk->type) {
      case GZ_BLOCK_HEADING: {
        if (i >= closing) {
          /* the article's closing lines, kept together */
          if (i == closing) pdf_flow_ensure(&c->flow, closing_h);
          if (place_text(c, &st, blk, qi, NULL, quote, 0, 0, missing)) return -1;
          pdf_flow_gap(&c->flow, gap);
          break;
        }
        pdf_flow_gap(&c->flow, c->g.leading * 0.45f);
        /* a heading keeps with it the headings right under it (of a
         * line each, mostly) and the first lines of its text: two, or
         * the three of a paragraph that is not split, or a picture and
         * its caption; an introduction with the first lines of its list */
        size_t j = i + 1;
        float hkeep = 0;
        for (; j < body->n && body->blocks[j].type == GZ_BLOCK_HEADING; j++)
          hkeep += st.leading + 0.6f * c->g.leading;
        const gz_block *first = j < body->n ? &body->blocks[j] : NULL;
        if (first && first->type == GZ_BLOCK_IMAGE) {
          float qj = 16.0f * (float)quote_of(first);
          hkeep += pdf_figure_need(c, first, j, cw - qj);
        } else {
          hkeep += 3.15f * c->g.leading;
          if (first && first->len && first->text[first->len - 1] == ':')
            hkeep += 2.6f * c->g.leading;
        }
        if (pdf_para_layout(&c->para, &c->fonts, &st, blk->text, blk->len, blk->runs, blk->n_runs,
                            cw - qi, cw - qi, missing))
          return -1;
        hkeep += (float)c->para.n_lines * st.leading;
        pdf_flow_ensure(&c->flow, hkeep);
        draw_para(c, &st, qi, NULL, quote);
        c->flow.y -= gap; /* never stretched: it holds the heading to its text */
        break;
      }
      case GZ_BLOCK_ITEM: {
        unsigned depth = blk->item.depth ? blk->item.depth : 1;
        if (depth > GZ_INDENT_LISTS) depth = GZ_INDENT_LISTS;
        char marker[24];
        if (blk->item.ordered)
          snprintf(marker, sizeof marker, "%u.", blk->item.number);
        else
          gz_strlcpy(marker, depth % 2 ? "\xE2\x80\xA2" : "\xE2\x80\x93", sizeof marker);
        if (place_text(c, &st, blk, ind, marker, quote, keep, keep_one, missing)) return -1;
        pdf_flow_gap(&c->flow, gap);
        break;
      }
      case GZ_BLOCK_IMAGE:
        if (pdf_figure_draw(c, blk, i, qi, cw - qi,
                            i && body->blocks[i - 1].type == GZ_BLOCK_HEADING, missing))
          return -1;
        break;
      case GZ_BLOCK_RULE:
        pdf_flow_ensure(&c->flow, c->g.leading);
        if (!c->dry)
          pdf_draw_hline(pdf_cur(c), c->flow.x + cw * 0.35f, c->flow.x + cw * 0.65f,
                         c->flow.y - c->g.leading / 2, 0.6f, 0.4f);
        c->flow.y -= c->g.leading;
        pdf_flow_filled(&c->flow);
        break;
      default: /* paragraphs and preformatted text */
        if (place_text(c, &st, blk, ind, NULL, quote, keep, keep_one, missing)) return -1;
        pdf_flow_gap(&c->flow, gap);
        break;
    }
  }
  return 0;
}

/* "中 (U+4E2D), 文 (U+6587) and 3 more" */
static void missing_list(const pdf_missing *m, gz_buf *list) {
  for (size_t i = 0; i < m->n; i++) {
    char ch[5];
    size_t n = gz_utf8_encode(m->cps[i], ch);
    ch[n] = '\0';
    gz_buf_printf(list, "%s%s (U+%04X)", i ? ", " : "", m->cps[i] >= 0x20 ? ch : "", m->cps[i]);
  }
  if (m->total > m->n) gz_buf_printf(list, " and %zu more", m->total - m->n);
}

static const char missing_reason[] = "they show as \xEF\xBF\xBD (add a font with --font)";

static void report_missing(pdf_ctx *c, const gz_article *a, const pdf_missing *m) {
  if (!m->total) return;
  gz_buf list;
  gz_buf_init(&list, c->d->al);
  missing_list(m, &list);
  char src[1100], title[96];
  gz_article_source(a, src, sizeof src);
  gz_job_diag(c->job, GZ_SEV_WARNING,
              "no installed font has %zu character%s of \"%s\" (%s): %s; %s", m->total,
              m->total == 1 ? "" : "s",
              gz_short(a->title ? a->title : "Untitled", title, sizeof title), src,
              gz_buf_cstr(&list), missing_reason);
  if (list.failed) c->fonts.oom = true;
  gz_buf_free(&list);
}

void pdf_report_missing_in(pdf_ctx *c, const char *what, const char *text, const pdf_missing *m) {
  if (!m->total) return;
  gz_buf list;
  gz_buf_init(&list, c->d->al);
  missing_list(m, &list);
  gz_job_diag(c->job, GZ_SEV_WARNING, "no installed font has %zu character%s of %s \"%s\": %s; %s",
              m->total, m->total == 1 ? "" : "s", what, text, gz_buf_cstr(&list), missing_reason);
  if (list.failed) c->fonts.oom = true;
  gz_buf_free(&list);
}

static int draw_article(pdf_ctx *c, const gz_article *a, const gz_body *loaded, place *at) {
  gz_body body = *loaded;
  pdf_missing missing;
  memset(&missing, 0, sizeof missing);
  float cw = pdf_content_w(c);
  pdf_style title = pdf_plain_style(ROLE_SANS_BOLD, c->g.body * 1.45f, c->g.body * 1.78f, 0);
  pdf_style meta = pdf_plain_style(ROLE_SANS, c->g.body * 0.8f, c->g.body * 1.1f, 0.33f);
  /* the producer's teaser under the title, larger and in italics */
  pdf_style stand =
      pdf_plain_style(ROLE_SERIF_ITALIC, c->g.body * 1.1f, c->g.leading * 1.08f, 0.12f);
  title.dir = stand.dir = a->dir;
  gz_buf m;
  gz_buf_init(&m, c->d->al);
  meta_text(c, a, &m);
  const char *t = a->title ? a->title : "Untitled";
  /* The title never stays alone at the foot of a page: it goes with the
   * first two lines of its standfirst, its meta line and the first lines
   * of the body (two, or the three of a paragraph that is not split).
   * It is laid out once, for its height and then to be drawn. */
  int rc = pdf_para_layout(&c->para, &c->fonts, &title, t, strlen(t), NULL, 0, cw, cw, &missing);
  float title_h = rc == 0 ? (float)c->para.n_lines * title.leading : 0;
  float need = title_h + meta.leading * 2 + 3 * c->g.leading + 8;
  need += pdf_figure_lead_height(c, a, &body);
  if (a->standfirst) need += 2 * stand.leading;
  if (!pdf_flow_room(&c->flow, need)) pdf_body_page(c);
  at->page = (uint32_t)(c->n_pages - 1);
  at->y = c->flow.y;
  if (rc == 0) draw_para(c, &title, 0, NULL, 0);
  c->flow.y -= 2;
  if (rc == 0 && a->standfirst) {
    c->flow.y -= 2;
    rc = flow_para(c, &stand, a->standfirst, strlen(a->standfirst), NULL, 0, 0, cw, NULL, 0,
                   &missing);
    c->flow.y -= c->g.leading * 0.3f;
  }
  /* meta: date and authors, then the source as a live link */
  if (rc == 0 && (m.len || a->url)) {
    gz_run runs[2];
    size_t n_runs = 0;
    gz_buf line;
    gz_buf_init(&line, c->d->al);
    gz_buf_append(&line, m.data, m.len);
    const char *s;
    size_t sl;
    char host[201] = "";
    if (a->url && gz_safe_href(a->url, strlen(a->url), &s, &sl)) {
      if (line.len) gz_buf_puts(&line, " \xC2\xB7 ");
      size_t start = line.len;
      gz_url_host(a->url, host, sizeof host);
      gz_buf_puts(&line, host);
      if (start) {
        runs[n_runs].text = line.data;
        runs[n_runs].len = (uint32_t)start;
        runs[n_runs].style = 0;
        runs[n_runs].href = NULL;
        runs[n_runs].href_len = 0;
        n_runs++;
      }
      runs[n_runs].text = line.data + start;
      runs[n_runs].len = (uint32_t)(line.len - start);
      runs[n_runs].style = 0;
      runs[n_runs].href = a->url;
      runs[n_runs].href_len = (uint16_t)(strlen(a->url) > 65535 ? 0 : strlen(a->url));
      if (!runs[n_runs].href_len) runs[n_runs].href = NULL;
      n_runs++;
    }
    if (line.len)
      rc = flow_para(c, &meta, line.data, line.len, n_runs ? runs : NULL, n_runs, 0, cw, NULL, 0,
                     &missing);
    if (line.failed) c->fonts.oom = true;
    gz_buf_free(&line);
  }
  if (rc == 0 && a->n_tags) {
    gz_buf tags;
    gz_buf_init(&tags, c->d->al);
    for (uint32_t i = 0; i < a->n_tags; i++) {
      if (i) gz_buf_puts(&tags, ", ");
      gz_buf_puts(&tags, a->tags[i]);
    }
    pdf_style ts = meta;
    ts.role = ROLE_SANS;
    rc = flow_para(c, &ts, tags.data, tags.len, NULL, 0, 0, cw, NULL, 0, &missing);
    if (tags.failed) c->fonts.oom = true;
    gz_buf_free(&tags);
  }
  if (m.failed) c->fonts.oom = true;
  gz_buf_free(&m);
  c->flow.y -= c->g.leading * 0.5f;
  pdf_figure_lead(c);
  if (rc == 0)
    rc = c->cols.n == 2 ? pdf_columns_body(c, &body, a->dir, a->lang, &missing)
                        : pdf_draw_body(c, &body, a->dir, a->lang, &missing);
  report_missing(c, a, &missing);
  /* a quiet rule between articles */
  c->flow.y -= c->g.leading * 0.4f;
  if (pdf_flow_room(&c->flow, c->g.leading * 2)) {
    pdf_draw_hline(pdf_cur(c), c->g.ml + cw * 0.42f, c->g.ml + cw * 0.58f, c->flow.y, 0.5f, 0.55f);
    c->flow.y -= c->g.leading * 0.9f;
  }
  return rc;
}

int pdf_draw_group(pdf_ctx *c, const gz_group *grp, place *at, place *articles) {
  c->group_label = grp->label;
  pdf_body_page(c);
  at->page = (uint32_t)(c->n_pages - 1);
  at->y = c->flow.y;
  pdf_style head = pdf_plain_style(ROLE_SANS_BOLD, c->g.body * 1.9f, c->g.body * 2.3f, 0);
  pdf_missing missing;
  memset(&missing, 0, sizeof missing);
  if (flow_para(c, &head, grp->label, strlen(grp->label), NULL, 0, 0, pdf_content_w(c), NULL, 0,
                &missing))
    return -1;
  pdf_draw_hline(pdf_cur(c), c->g.ml, c->g.w - c->g.mr, c->flow.y - 2, 1.2f, 0);
  c->flow.y -= c->g.leading * 1.2f;
  gz_walk it;
  gz_walk_init(&it, c->d, grp, 1, GZ_WALK_BODIES | GZ_WALK_CANCEL);
  it.progress = c->job->progress;
  gz_walk_ev ev = GZ_WALK_DONE;
  int rc = 0;
  while (rc == 0 && (ev = gz_walk_next(&it, &c->job->err)) > GZ_WALK_DONE)
    if (it.node == GZ_NODE_ARTICLE && ev == GZ_WALK_ENTER &&
        (draw_article(c, it.article, &it.body, &articles[it.item]) || c->error))
      rc = -1;
  gz_walk_free(&it);
  return rc || ev == GZ_WALK_ERROR ? -1 : 0;
}
