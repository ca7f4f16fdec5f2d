/*
 * csv.c - the CSV and TSV readers (libcsv callbacks): two rows of the
 * reader table, one parser.
 *
 * The first row is the header: its cells name the columns, found by the
 * field names of fields.h (exactly, then ignoring case) or by --field
 * NAME=COLUMN, and each later row is one article. Quoting is RFC 4180's
 * (fields with the delimiter, quotes or newlines inside double quotes, a
 * quote doubled inside them), for TSV too, as spreadsheet programs write
 * it. A .csv file's delimiter is told from its header line: `;` (as
 * spreadsheets write CSV in locales whose decimal mark is a comma) or a
 * tab when either is more frequent outside quotes than `,`.
 *
 * Memory follows one row: the cells of the row being read, at most
 * --max-article-size bytes; a larger row is skipped with a message and
 * reading goes on.
 *
 * Instapaper's CSV export (docs/producers.md section 10: header
 * URL,Title,Selection,Folder,Timestamp) is recognised by its header: the
 * Selection is the only text (a teaser), a user Folder is a tag and the
 * Timestamp is the save date, never the publication date. So is Pocket's
 * (section 9: title,url,time_added,tags,status): time_added is the save
 * date and the tags are joined with '|'.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "read/fields.h"
#include "read/reader.h"
#include "util/fieldmap.h"

enum {
  MAX_COLUMNS = 4096,       /* header cells beyond are ignored, with a warning */
  SLICE = 64 * 1024,        /* bytes given to libcsv at a time, at most */
  HEADER_SNIFF = 64 * 1024, /* bytes of the header line looked at for the delimiter */
  COL_NONE = 0xFFFF
};

/* libcsv takes a realloc and a free without a context: the allocator of
 * the reader calling into it is set here around every call (the calls
 * run on the reading thread, so one per thread is enough). */
static _Thread_local const gz_allocator *csv_al;

static void *csv_realloc(void *p, size_t n) { return gz_realloc(csv_al, p, n); }
static void csv_free_fn(void *p) { gz_free(csv_al, p); }

typedef struct cell {
  size_t off, len;
} cell;

/* A column that may give a field, and how much it counts: mappings
 * first, in the order given, then aliases by rank. */
typedef struct candidate {
  uint8_t field;
  uint8_t flags; /* GZ_FIELD_* */
  uint16_t col;
  uint32_t prio;
} candidate;

typedef struct gz_csv_reader {
  gz_input *in;
  const gz_allocator *al;
  struct csv_parser p;
  bool parser_ready;
  bool tsv;
  unsigned char delim;
  /* the header line, gathered until its delimiter can be told */
  gz_buf pre;
  bool sniffed;
  /* the columns */
  bool header_done;
  size_t n_cols;
  candidate *cands;
  size_t n_cands;
  uint32_t cand_start[GZ_F_COUNT + 1]; /* field f's candidates: cands[start[f] .. start[f+1]) */
  bool instapaper;
  bool pocket;
  uint16_t folder_col; /* Instapaper's Folder: a tag unless a state */
  /* the row being read */
  gz_buf row;
  cell *cells;
  size_t n_cells, cap_cells;
  size_t row_cells; /* cells seen in the row, stored or not */
  uint64_t row_bytes;
  bool too_big;
  bool extra_warned;
  bool columns_warned;
  gz_buf tags;
  /* where we are */
  unsigned long line;     /* of the next byte given to libcsv */
  bool at_line_start;     /* that byte starts a line */
  bool row_open;          /* a row has begun and not ended */
  unsigned long row_line; /* where the row being read began */
} gz_csv_reader;

static int nomem(gz_csv_reader *r) {
  if (!r->in->failed) gz_error_set(r->in->err, GZ_ERR_NOMEM, "", 0, 0, "out of memory");
  r->in->failed = true;
  return -1;
}

/* Stops reading the file with an error at line:1 (articles before are
 * kept). */
static void stop(gz_csv_reader *r, unsigned long line, const char *msg) {
  gz_digest *d = r->in->d;
  gz_digest_tally(d)->errors++;
  gz_diag_add(d, GZ_SEV_ERROR, r->in->name, line, 1,
              "%s; reading of this file stops here (articles before are kept)", msg);
  r->in->stopped = true;
}

/* ---- names ---- */

/* Do a header cell and a name agree: exactly, or (`loose`) ignoring ASCII
 * case and taking ' ' and '-' for '_' ("Published At", "date-published"). */
static bool name_eq(const char *s, size_t n, const char *name, bool loose) {
  size_t k = strlen(name);
  if (n != k) return false;
  if (!loose) return memcmp(s, name, n) == 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char a = (unsigned char)s[i], b = (unsigned char)name[i];
    if (a == ' ' || a == '-') a = '_';
    if (b == ' ' || b == '-') b = '_';
    if (a >= 'A' && a <= 'Z') a = (unsigned char)(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = (unsigned char)(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

static const gz_field_alias *find_alias(const char *s, size_t n) {
  const gz_field_alias *a = gz_field_find(s, n);
  for (size_t i = 0; !a && i < gz_n_field_aliases; i++)
    if (name_eq(s, n, gz_field_aliases[i].key, true)) a = &gz_field_aliases[i];
  return a;
}

/* The article field a --field NAME fills; GZ_F_COUNT for items. */
static uint8_t map_field(gz_map_name m) {
  switch (m) {
    case GZ_MAP_TITLE:
      return GZ_F_TITLE;
    case GZ_MAP_BODY:
      return GZ_F_BODY;
    case GZ_MAP_SUMMARY:
      return GZ_F_SUMMARY;
    case GZ_MAP_DATE:
      return GZ_F_DATE;
    case GZ_MAP_CAPTURED:
      return GZ_F_CAPTURED;
    case GZ_MAP_AUTHOR:
      return GZ_F_AUTHOR;
    case GZ_MAP_URL:
      return GZ_F_URL;
    case GZ_MAP_TAGS:
      return GZ_F_TAGS;
    case GZ_MAP_IMAGE:
      return GZ_F_IMAGE;
    case GZ_MAP_LANG:
      return GZ_F_LANG;
    default:
      return GZ_F_COUNT;
  }
}

static const char *cell_text(const gz_csv_reader *r, size_t i, size_t *len) {
  const char *s = r->row.data + r->cells[i].off;
  *len = r->cells[i].len;
  gz_trim(&s, len);
  return s;
}

/* ---- the header ---- */

static int cmp_cand(const void *a, const void *b) {
  const candidate *x = a, *y = b;
  if (x->field != y->field) return x->field < y->field ? -1 : 1;
  if (x->prio != y->prio) return x->prio < y->prio ? -1 : 1;
  return x->col < y->col ? -1 : x->col > y->col;
}

static int add_cand(gz_csv_reader *r, size_t *cap, uint8_t field, uint8_t flags, size_t col,
                    uint32_t prio) {
  if (gz_grow(r->al, (void **)&r->cands, cap, r->n_cands + 1, sizeof *r->cands)) return -1;
  r->cands[r->n_cands++] = (candidate){field, flags, (uint16_t)col, prio};
  return 0;
}

/* The Instapaper export's header: URL,Title,Selection,Folder,Timestamp
 * (newer exports add Tags; docs/producers.md section 10). */
static bool instapaper_header(const gz_csv_reader *r) {
  static const char *const names[] = {"URL", "Title", "Selection", "Folder", "Timestamp"};
  for (size_t k = 0; k < GZ_ARRAY_LEN(names); k++) {
    bool found = false;
    for (size_t i = 0; i < r->n_cells && !found; i++) {
      size_t n;
      const char *s = cell_text(r, i, &n);
      found = name_eq(s, n, names[k], true);
    }
    if (!found) return false;
  }
  return true;
}

/* Pocket's CSV export: title,url,time_added,tags,status (section 9). */
static bool pocket_header(const gz_csv_reader *r) {
  static const char *const names[] = {"title", "url", "time_added", "tags", "status"};
  if (r->n_cells != GZ_ARRAY_LEN(names)) return false;
  for (size_t i = 0; i < r->n_cells; i++) {
    size_t n;
    const char *s = cell_text(r, i, &n);
    if (!name_eq(s, n, names[i], false)) return false;
  }
  return true;
}

/* Reads the header row's cells into the columns' candidates. */
static int header(gz_csv_reader *r) {
  const gz_setup *set = gz_digest_setup(r->in->d);
  r->header_done = true;
  r->n_cols = r->n_cells;
  r->folder_col = COL_NONE;
  r->instapaper = instapaper_header(r);
  r->pocket = !r->instapaper && pocket_header(r);
  r->in->shape = r->instapaper ? "instapaper" : r->pocket ? "pocket" : r->tsv ? "tsv" : "csv";
  size_t cap = 0;
  bool *taken = r->n_cols ? gz_malloc(r->al, r->n_cols * sizeof *taken) : NULL;
  if (r->n_cols && !taken) return nomem(r);
  if (taken) memset(taken, 0, r->n_cols * sizeof *taken);
  /* --field NAME=COLUMN: the column named exactly, else ignoring case; a
   * mapped column wins over every alias and is no alias itself. */
  for (size_t m = 0; m < set->n_maps; m++) {
    uint8_t field = map_field(set->maps[m].name);
    if (field == GZ_F_COUNT) continue;
    const char *want = set->maps[m].path;
    size_t col = SIZE_MAX;
    for (int loose = 0; loose < 2 && col == SIZE_MAX; loose++)
      for (size_t i = 0; i < r->n_cols && col == SIZE_MAX; i++) {
        size_t n;
        const char *s = cell_text(r, i, &n);
        if (name_eq(s, n, want, loose)) col = i;
      }
    if (col == SIZE_MAX) continue;
    gz_read_map_hit(r->in, m);
    taken[col] = true;
    if (add_cand(r, &cap, field, 0, col, (uint32_t)m)) goto oom;
  }
  for (size_t i = 0; i < r->n_cols; i++) {
    if (taken[i]) continue;
    size_t n;
    const char *s = cell_text(r, i, &n);
    uint8_t field = GZ_F_COUNT, rank = 0, flags = 0;
    if (r->instapaper && name_eq(s, n, "Selection", true)) {
      field = GZ_F_BODY;
    } else if (r->instapaper && name_eq(s, n, "Timestamp", true)) {
      field = GZ_F_CAPTURED; /* the save date */
    } else if (r->pocket && name_eq(s, n, "time_added", false)) {
      field = GZ_F_CAPTURED; /* the save date */
    } else if (r->instapaper && name_eq(s, n, "Folder", true)) {
      r->folder_col = (uint16_t)i;
      continue;
    } else {
      const gz_field_alias *a = find_alias(s, n);
      if (!a) continue;
      field = a->field, rank = a->rank, flags = a->flags;
    }
    if (add_cand(r, &cap, field, flags, i, (uint32_t)(set->n_maps + rank))) goto oom;
  }
  gz_free(r->al, taken);
  if (r->n_cands) qsort(r->cands, r->n_cands, sizeof *r->cands, cmp_cand);
  size_t k = 0;
  for (uint8_t f = 0; f <= GZ_F_COUNT; f++) {
    while (k < r->n_cands && r->cands[k].field < f) k++;
    r->cand_start[f] = (uint32_t)k;
  }
  bool text = false;
  static const uint8_t text_fields[] = {GZ_F_TITLE, GZ_F_BODY, GZ_F_SUMMARY};
  for (size_t i = 0; i < GZ_ARRAY_LEN(text_fields); i++)
    text = text || r->cand_start[text_fields[i] + 1] > r->cand_start[text_fields[i]];
  if (!text)
    stop(r, r->row_line,
         "the header row names no title, body or summary column (columns are found by their "
         "names, or given with --field NAME=COLUMN)");
  return 0;
oom:
  gz_free(r->al, taken);
  return nomem(r);
}

/* ---- a row ---- */

/* The first non-empty cell of field f's columns, or NULL. */
static const char *pick(const gz_csv_reader *r, uint8_t f, size_t *len, uint8_t *flags) {
  for (uint32_t k = r->cand_start[f]; k < r->cand_start[f + 1]; k++) {
    const candidate *c = &r->cands[k];
    if (c->col >= r->n_cells) continue;
    const char *s = cell_text(r, c->col, len);
    if (*len == 0) continue;
    if (flags) *flags = c->flags;
    return s;
  }
  *len = 0;
  return NULL;
}

/* Instapaper's built-in folders are reading states, not tags. */
static bool instapaper_state(const char *s, size_t n) {
  return name_eq(s, n, "Unread", true) || name_eq(s, n, "Archive", true) ||
         name_eq(s, n, "Starred", true);
}

/* Adds the items of a tag cell, split at ',' and ';' (and Pocket's '|'),
 * to r->tags. */
static void add_tags(gz_csv_reader *r, const char *s, size_t n, uint32_t *count) {
  while (n > 0) {
    size_t k = 0;
    while (k < n && s[k] != ',' && s[k] != ';' && (s[k] != '|' || !r->pocket)) k++;
    const char *item = s;
    size_t len = k;
    gz_trim(&item, &len);
    if (len) {
      gz_buf_append(&r->tags, item, len);
      gz_buf_putc(&r->tags, '\0');
      (*count)++;
    }
    if (k == n) break;
    s += k + 1, n -= k + 1;
  }
}

static int article(gz_csv_reader *r) {
  gz_input *in = r->in;
  gz_raw_article raw;
  memset(&raw, 0, sizeof raw);
  raw.line = r->row_line;
  raw.col = 1;
  raw.bytes = r->row_bytes;
  raw.too_big = r->too_big;
  if (r->too_big) return gz_ingest_raw(in, &raw);
  bool empty = true;
  for (size_t i = 0; i < r->n_cells && empty; i++) {
    size_t n;
    cell_text(r, i, &n);
    empty = n == 0;
  }
  if (empty) return 0; /* a blank row (";;;;" as spreadsheets end a sheet) */
  size_t n;
  uint8_t flags = 0;
  raw.title = pick(r, GZ_F_TITLE, &raw.title_len, NULL);
  raw.body = pick(r, GZ_F_BODY, &raw.body_len, &flags);
  raw.body_kind = (flags & GZ_FIELD_HTML) ? GZ_BODY_HTML : GZ_BODY_AUTO;
  raw.teaser = r->instapaper && raw.body;
  raw.summary = pick(r, GZ_F_SUMMARY, &raw.summary_len, NULL);
  raw.summary_html = raw.summary && gz_looks_like_html(raw.summary, raw.summary_len);
  flags = 0;
  const char *s = pick(r, GZ_F_DATE, &n, &flags);
  if (s)
    raw.date = (gz_raw_date){s, n, GZ_DATE_EPOCH | ((flags & GZ_FIELD_UTC) ? GZ_RAW_DATE_UTC : 0),
                             r->row_line, 1};
  s = pick(r, GZ_F_CAPTURED, &n, NULL);
  if (s) {
    raw.captured = (gz_raw_date){s, n, GZ_DATE_EPOCH, r->row_line, 1};
    gz_when w;
    if (gz_raw_date_read(in->d, &raw.captured, &w)) {
      raw.has_captured = true;
      raw.captured_day = w.day;
    }
  }
  s = pick(r, GZ_F_AUTHOR, &n, NULL);
  if (s) raw.authors = (gz_raw_list){s, n, 1};
  raw.url = pick(r, GZ_F_URL, &raw.url_len, NULL);
  raw.image = pick(r, GZ_F_IMAGE, &raw.image_len, NULL);
  raw.lang = pick(r, GZ_F_LANG, &raw.lang_len, NULL);
  gz_buf_clear(&r->tags);
  uint32_t n_tags = 0;
  if (r->folder_col != COL_NONE && r->folder_col < r->n_cells) {
    s = cell_text(r, r->folder_col, &n);
    if (n && !instapaper_state(s, n)) add_tags(r, s, n, &n_tags);
  }
  s = pick(r, GZ_F_TAGS, &n, NULL);
  if (s) add_tags(r, s, n, &n_tags);
  if (r->tags.failed) return nomem(r);
  if (n_tags) raw.tags = (gz_raw_list){r->tags.data, r->tags.len, n_tags};
  return gz_ingest_raw(in, &raw);
}

static void end_row(gz_csv_reader *r) {
  gz_buf_clear(&r->row);
  r->n_cells = r->row_cells = 0;
  r->row_bytes = 0;
  r->too_big = false;
  r->row_open = false;
}

/* libcsv: a field ended. */
static void on_cell(void *s, size_t len, void *data) {
  gz_csv_reader *r = data;
  if (r->in->failed || r->in->stopped) return;
  r->row_cells++;
  r->row_bytes += len;
  size_t limit = r->header_done ? r->n_cols : MAX_COLUMNS;
  if (r->row_cells > limit) return; /* told when the row ends */
  if (r->row_bytes > gz_digest_setup(r->in->d)->opts->max_article_size) r->too_big = true;
  if (r->too_big) return;
  if (gz_grow(r->al, (void **)&r->cells, &r->cap_cells, r->n_cells + 1, sizeof *r->cells)) {
    nomem(r);
    return;
  }
  r->cells[r->n_cells++] = (cell){r->row.len, len};
  gz_buf_append(&r->row, s, len);
  if (r->row.failed) nomem(r);
}

/* libcsv: a row ended. */
static void on_row(int c, void *data) {
  (void)c;
  gz_csv_reader *r = data;
  if (r->in->failed || r->in->stopped) {
    end_row(r);
    return;
  }
  if (!r->header_done) {
    if (r->too_big)
      stop(r, r->row_line, "the header row is larger than the limit (--max-article-size)");
    else {
      if (r->row_cells > MAX_COLUMNS)
        gz_diag_add(r->in->d, GZ_SEV_WARNING, r->in->name, r->row_line, 1,
                    "the header row has %zu columns; those after the first %d are ignored",
                    r->row_cells, MAX_COLUMNS);
      header(r);
    }
  } else {
    if (r->row_cells > r->n_cols && !r->extra_warned) {
      r->extra_warned = true;
      gz_diag_add(r->in->d, GZ_SEV_WARNING, r->in->name, r->row_line, 1,
                  "this row has %zu cells but the header names %zu columns; cells beyond them "
                  "are ignored (in this row and any other)",
                  r->row_cells, r->n_cols);
    }
    article(r);
  }
  end_row(r);
}

/* ---- feeding libcsv ---- */

/* Keeps the field libcsv is gathering within the row limit: once the row
 * is too big, the field's bytes are dropped as they come. libcsv keeps
 * the field in its public entry buffer; what is left there must keep its
 * parse state whole (libcsv.c: a closing quote and the spaces after it
 * are taken off when the field ends, trailing spaces of an unquoted one
 * likewise), so only the quote of FIELD_MIGHT_HAVE_ENDED (3) stays. */
static void bound_field(gz_csv_reader *r) {
  size_t max = gz_digest_setup(r->in->d)->opts->max_article_size;
  struct csv_parser *p = &r->p;
  if (!r->too_big && r->row_bytes + p->entry_pos <= max) {
    /* Grow geometrically: libcsv adds blk_size bytes at a time. */
    if (p->entry_size > p->blk_size) csv_set_blk_size(p, p->entry_size);
    return;
  }
  r->too_big = true;
  enum { FIELD_MIGHT_HAVE_ENDED = 3 };
  if (p->pstate == FIELD_MIGHT_HAVE_ENDED && p->entry_pos > 0) {
    p->entry_buf[0] = p->quote_char;
    p->entry_pos = 1;
  } else {
    p->entry_pos = 0;
  }
  p->spaces = 0;
}

static bool blank(const gz_csv_reader *r, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\n' && (s[i] != '\t' || r->tsv)) return false;
  return true;
}

/* Gives s[0..n) to libcsv a line (or SLICE bytes) at a time, so that
 * every row is known to start at the line it began on. */
static int parse(gz_csv_reader *r, const char *s, size_t n) {
  while (n > 0 && !r->in->stopped) {
    const char *nl = memchr(s, '\n', n < SLICE ? n : SLICE);
    size_t take = nl ? (size_t)(nl - s) + 1 : (n < SLICE ? n : SLICE);
    if (r->at_line_start && !r->row_open) r->row_line = r->line;
    if (!r->row_open && !blank(r, s, take)) r->row_open = true;
    csv_al = r->al;
    size_t done = csv_parse(&r->p, s, take, on_cell, on_row, r);
    if (r->in->failed) return -1;
    if (done < take) return nomem(r); /* CSV_ENOMEM, CSV_ETOOBIG: no room for the field */
    if (r->row_open) bound_field(r);
    r->at_line_start = nl != NULL;
    if (nl) r->line++;
    s += take, n -= take;
  }
  return 0;
}

/* Tells a .csv file's delimiter from its header line: ';' or a tab when
 * more frequent outside quotes than ','. */
static unsigned char sniff_delim(const char *s, size_t n) {
  size_t commas = 0, semis = 0, tabs = 0;
  bool quoted = false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    commas += c == ',';
    semis += c == ';';
    tabs += c == '\t';
  }
  if (semis > commas && semis >= tabs) return ';';
  if (tabs > commas && tabs > semis) return '\t';
  return ',';
}

/* Does s[0..n) hold the end of the header line (a newline outside
 * quotes)? */
static bool header_line_ends(const char *s, size_t n) {
  bool quoted = false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') quoted = !quoted;
    if (s[i] == '\n' && !quoted) return true;
  }
  return false;
}

static int begin(gz_csv_reader *r) {
  r->sniffed = true;
  if (!r->tsv) r->delim = sniff_delim(r->pre.data, r->pre.len);
  csv_set_delim(&r->p, r->delim);
  int rc = parse(r, r->pre.data, r->pre.len);
  gz_buf_free(&r->pre);
  return rc;
}

static int csv_feed(void *self, const char *s, size_t n) {
  gz_csv_reader *r = self;
  if (r->in->stopped) return 0;
  if (!r->sniffed) {
    gz_buf_append(&r->pre, s, n);
    if (r->pre.failed) return nomem(r);
    if (r->pre.len < HEADER_SNIFF && !header_line_ends(r->pre.data, r->pre.len))
      return 0; /* not yet: the header line goes on */
    return begin(r);
  }
  return parse(r, s, n);
}

static int csv_finish(void *self) {
  gz_csv_reader *r = self;
  if (!r->sniffed && begin(r)) return -1;
  if (r->in->stopped) return 0;
  /* Strict at the end only: a quoted field left open is an error, while
   * stray quotes inside rows are read as spreadsheets read them. */
  csv_set_opts(&r->p, CSV_STRICT | CSV_STRICT_FINI);
  csv_al = r->al;
  if (csv_fini(&r->p, on_cell, on_row, r) != 0) {
    const char *what = "a quoted field of the row that starts here is never closed (truncated?)";
    if (!r->header_done)
      stop(r, r->row_line, "a quoted field of the header row is never closed (truncated?)");
    else
      gz_ingest_skip(r->in, r->row_line, 1, "%s; the row is skipped", what);
    end_row(r);
  }
  return r->in->failed ? -1 : 0;
}

/* ---- the readers' rows ---- */

static void csv_free_reader(void *self) {
  gz_csv_reader *r = self;
  if (!r) return;
  const gz_allocator *al = r->al;
  if (r->parser_ready) {
    csv_al = al;
    csv_free(&r->p);
  }
  gz_buf_free(&r->pre);
  gz_buf_free(&r->row);
  gz_buf_free(&r->tags);
  gz_free(al, r->cells);
  gz_free(al, r->cands);
  gz_free(al, r);
}

static gz_csv_reader *reader_new(gz_input *in, bool tsv) {
  const gz_allocator *al = gz_digest_setup(in->d)->al;
  gz_csv_reader *r = gz_malloc(al, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->in = in;
  r->al = al;
  r->tsv = tsv;
  r->delim = tsv ? '\t' : ',';
  r->line = r->row_line = 1;
  r->at_line_start = true;
  gz_buf_init(&r->pre, al);
  gz_buf_init(&r->row, al);
  gz_buf_init(&r->tags, al);
  in->shape = tsv ? "tsv" : "csv";
  if (csv_init(&r->p, 0) != 0) {
    csv_free_reader(r);
    return NULL;
  }
  r->parser_ready = true;
  csv_set_realloc_func(&r->p, csv_realloc);
  csv_set_free_func(&r->p, csv_free_fn);
  csv_set_blk_size(&r->p, 4096);
  return r;
}

static void *csv_new(gz_input *in, const char *path) {
  (void)path;
  return reader_new(in, false);
}

static void *tsv_new(gz_input *in, const char *path) {
  (void)path;
  return reader_new(in, true);
}

static const char *const csv_ext[] = {".csv", NULL};
static const char *const tsv_ext[] = {".tsv", NULL};

/* No sniff: nothing in a CSV file's first bytes tells it from text. */
const gz_reader_class gz_reader_csv = {
    "csv", "CSV with a header row", csv_ext, NULL, csv_new, csv_feed, csv_finish, csv_free_reader};
const gz_reader_class gz_reader_tsv = {
    "tsv", "TSV with a header row", tsv_ext, NULL, tsv_new, csv_feed, csv_finish, csv_free_reader};
