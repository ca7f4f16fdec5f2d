/*
 * pdf.h - the private interface of the PDF writer, for the files of
 * src/write/pdf/ only: fonts (fonts.c), text into lines (lines.c),
 * shaping and bidi of the text that needs them (shape.c),
 * drawing on pages (draw.c), lines onto pages and articles into the
 * flow (flow.c), page geometry (page.c), cover (cover.c), contents and
 * outline (toc.c), compression of finished pages (seal.c), PDF/A
 * (pdfa.c), the document's life (doc.c), and every use of libharu's
 * internals (hpdf_compat.c).
 */
#ifndef GZ_WRITE_PDF_PDF_H
#define GZ_WRITE_PDF_PDF_H

/* Outside hpdf_compat.c libharu is seen through its public interface
 * only: HPDF_SHARED makes its handles opaque (see hpdf_compat.c). */
#ifndef GZ_HPDF_INTERNALS
#define HPDF_SHARED
#endif
#include <hpdf.h>

#include "lang/hyphen.h"
#include "write/pdf/breaker.h"
#include "write/write.h"

/* ---- fonts (fonts.c) ---- */

typedef enum font_role {
  ROLE_SERIF = 0,
  ROLE_SERIF_BOLD,
  ROLE_SERIF_ITALIC,
  ROLE_SERIF_BOLD_ITALIC,
  ROLE_SANS,
  ROLE_SANS_BOLD,
  ROLE_MONO,
  ROLE_COUNT
} font_role;

/* A glyph drawn by id through a CID of its own (see fonts.c). */
typedef struct pdf_gcid {
  uint16_t cid, gid;
  int width;             /* 1/1000 em */
  uint32_t text, n_text; /* its text: code points in pdf_font.gtext */
} pdf_gcid;

typedef struct pdf_font {
  char *path;
  int index; /* face in a collection */
  HPDF_Font font;
  HPDF_FontDef def;
  bool loaded;
  bool failed;
  uint16_t *widths[256]; /* pages of BMP advance widths; see fonts.c */
  struct hb_font_t *hb;  /* HarfBuzz's view of the same face, once needed */
  unsigned upem;
  uint32_t next_cid; /* the next CID to try for a glyph drawn by id */
  pdf_gcid *gcids;
  size_t n_gcids, cap_gcids;
  uint32_t *gtext;
  size_t n_gtext, cap_gtext;
  gz_count64 gcid_of; /* hash of glyph and text -> index in gcids + 1 */
  /* kerning from the face's 'kern' table (fonts.c): FreeType's view of
   * the face, whether it has pairs (0: not looked yet, 1: yes, -1: no)
   * and a cache of the pairs asked for */
  struct FT_FaceRec_ *ft;
  int8_t kerns;
  struct pdf_kern_slot *kern_cache;
} pdf_font;

typedef struct pdf_fonts {
  HPDF_Doc pdf;
  pdf_font *fonts;
  size_t n_fonts, cap_fonts;
  int role[ROLE_COUNT];   /* primary font of each role */
  bool slant[ROLE_COUNT]; /* italic drawn by slanting the upright face */
  int n_user;             /* fonts[0 .. n_user) come from --font */
  gz_count64 fallback;    /* code point + 1 -> font index + 2 (1: none) */
  const gz_allocator *al;
  /* An allocation failed while measuring or drawing: the document is
   * not what it should be and must not be saved. */
  bool oom;
  bool loading; /* libharu errors now are a face we skip, not a failure */
  /* glyphs not drawn because their font had no CID left (fonts.c) */
  size_t undrawn;
  struct FT_LibraryRec_ *ft; /* FreeType, once a face's kerning is asked for */
} pdf_fonts;

/* Finds the fonts (user files first, then fontconfig's DejaVu or generic
 * serif, sans and monospace) and loads the primary ones into `pdf`. */
int pdf_fonts_init(pdf_fonts *f, HPDF_Doc pdf, const gz_allocator *al, const gz_write_options *w,
                   gz_error *err);
void pdf_fonts_free(pdf_fonts *f);
/* The font that draws cp for a role: the role's font, the user fonts,
 * then any font fontconfig knows to cover cp. -1 when none has it. */
int pdf_font_for(pdf_fonts *f, font_role role, uint32_t cp);
/* Advance width of cp in font i, in thousandths of an em. */
int pdf_font_width(pdf_fonts *f, int i, uint32_t cp);
/* The kerning of the pair left, right (BMP code points) in font i from
 * its 'kern' table, in thousandths of an em (negative: closer); 0 when
 * the face has no such pair or no table. */
int pdf_font_kern(pdf_fonts *f, int i, uint32_t left, uint32_t right);
/* Adds to the descriptor of every loaded font the /CIDSet that PDF/A-1
 * wants for subset fonts; after the last text is drawn. */
int pdf_fonts_add_cidsets(pdf_fonts *f);
/* The font for a run of characters of a script that is shaped: the
 * first of the role's fonts and the fonts fontconfig gives for the
 * script's language `lang` that has every character but spaces. -1
 * when none has them all. */
int pdf_font_for_run(pdf_fonts *f, font_role role, const uint32_t *cps, size_t n, const char *lang);
/* HarfBuzz's font of font i (loaded if need be), or NULL. */
struct hb_font_t *pdf_font_hb(pdf_fonts *f, int i);
/* The CID that draws glyph gid of font i with `text` (n code points,
 * possibly none) as its text and `width` (1/1000 em) as its width; -1
 * when the font has no CID left or memory ran out. */
int pdf_font_glyph_cid(pdf_fonts *f, int i, uint16_t gid, const uint32_t *text, size_t n,
                       int width);
/* Width of glyph gid of font i as the PDF gives it, in 1/1000 em. */
int pdf_font_glyph_width(pdf_fonts *f, int i, uint16_t gid);
/* Writes what glyphs drawn by id need into every font (CIDToGIDMap,
 * widths, subset, ToUnicode); after the last text is drawn. */
int pdf_fonts_finish(pdf_fonts *f);

/* ---- text into lines (lines.c) ---- */

typedef struct pdf_style {
  font_role role; /* base role: styles of runs derive from it */
  float size;
  float leading;
  float indent; /* left indent of every line */
  float first;  /* extra indent of the first line (negative: hanging) */
  float r, g, b;
  bool pre;             /* keep spaces and line breaks */
  bool nowrap_ellipsis; /* one line, cut with an ellipsis */
  uint8_t dir;          /* gz_dir: GZ_DIR_ARTICLE finds it from the text */
  /* justified: lines chosen by the breaker (breaker.h), total fit or
   * with `first_fit`, hyphenated where `hyph` allows (NULL: nowhere) */
  bool justify;
  bool first_fit;
  const gz_hyphenator *hyph;
} pdf_style;

/* A laid-out line: a slice of the characters of a paragraph. */
typedef struct pdf_char {
  uint32_t cp;
  uint32_t byte; /* offset in the paragraph text */
  int16_t font;  /* -1: missing */
  uint16_t run;
  float width; /* its advance, kern included */
  /* the kerning with the next char (points), in width already; not
   * drawn when the next char begins another line */
  float kern;
  uint8_t brk; /* libunibreak's verdict for a break after this char */
  bool space;
  bool invisible;
} pdf_char;

typedef struct pdf_line {
  uint32_t first, count; /* chars */
  float width;           /* as drawn: a justified line's full measure */
  /* a justified line's spaces are each drawn `ratio` times their
   * stretch (width / 2) or shrink (width / 3) wider */
  float ratio;
  /* and its glyphs, spaces included, `scale` times their width (font
   * expansion, docs/typography.md) */
  float scale;
  bool hyphen; /* a hyphen is drawn at its end */
} pdf_line;

/* A glyph HarfBuzz chose (shape.c), for the lines of paragraphs that
 * need shaping or hold right-to-left text; in visual order per item. */
typedef struct pdf_glyph {
  uint16_t gid;
  bool first;          /* the first glyph of its cluster: it carries the text */
  bool alone;          /* the only glyph of its cluster */
  int16_t width;       /* in the PDF, 1/1000 em: a first glyph spans its cluster */
  uint32_t ch, ch_end; /* its cluster: chars ch .. ch_end */
  float adv, dx, dy;   /* points */
} pdf_glyph;

/* A run of chars in one font, style, script and bidi level. */
typedef struct pdf_item {
  uint32_t first, end; /* chars */
  uint32_t g0, g1;     /* glyphs */
  int16_t font;
  uint16_t run;
  uint8_t level;
} pdf_item;

typedef struct pdf_para {
  const char *text;
  size_t len;
  const gz_run *runs;
  size_t n_runs;
  gz_run single; /* when laying out a plain string */
  pdf_char *chars;
  size_t n_chars, cap_chars;
  pdf_line *lines;
  size_t n_lines, cap_lines;
  char *brks;
  size_t cap_brks;
  const gz_allocator *al;
  char *lb_text; /* the text as libunibreak is shown it (see lines.c) */
  size_t cap_lb_text;
  /* set by shape.c when the paragraph needs shaping or bidi */
  bool shaped;
  bool rtl; /* its base direction is right to left */
  pdf_item *items;
  size_t n_items, cap_items;
  pdf_glyph *glyphs;
  size_t n_glyphs, cap_glyphs;
  uint32_t *cps; /* the code points of chars */
  uint8_t *levels;
  size_t cap_cps;
  struct hb_buffer_t *hb;
  /* the breaker's items and working memory (lines.c) */
  pdf_kp kp;
  pdf_kp_item *kpi;
  struct pdf_kp_at *kpat;
  size_t cap_kpi, cap_kpat;
} pdf_para;

/* Missing characters of the article being laid out. */
typedef struct pdf_missing {
  uint32_t cps[32];
  size_t n;
  size_t total;
} pdf_missing;

void pdf_para_init(pdf_para *p, const gz_allocator *al);
void pdf_para_free(pdf_para *p);
/* Breaks text (with its runs, or one plain run when runs is NULL) into
 * lines of at most `width` points (the first line `first_width`). */
int pdf_para_layout(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, const char *text,
                    size_t len, const gz_run *runs, size_t n_runs, float first_width, float width,
                    pdf_missing *missing);
/* The breaker on one real paragraph, for the tests that hold total fit
 * to first fit (acceptance 1 of issue 17): the items lines.c makes of
 * the text in style st (set justified, total fit) broken by total fit
 * and by first fit, both lines' demerits summed by the breaker's one
 * formula (breaker.h); first fit's lines are never cut by a tolerance,
 * so a line too loose costs badness 10,000 and an overfull one as well. */
typedef struct pdf_kp_compare {
  size_t items;  /* 0: the paragraph has nothing to break */
  double total;  /* demerits of the total-fit breaks */
  double greedy; /* of the first-fit breaks */
  size_t total_lines, greedy_lines;
  int total_pass; /* the pass that found them (pdf_kp_result.pass) */
} pdf_kp_compare;
int pdf_para_kp_compare(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, const char *text,
                        size_t len, const gz_run *runs, size_t n_runs, float first_width,
                        float width, pdf_kp_compare *out);
/* The spaces that are the breaker's glue (U+00A0 binds: it is no glue). */
static inline bool pdf_glue_char(uint32_t cp) { return cp == ' ' || cp == 0x3000; }
/* How far a justified line's glyphs may be widened or narrowed: 2 %,
 * the limit of pdfTeX's font expansion as the microtype package sets it
 * by default (docs/typography.md). */
#define PDF_EXPANSION 0.02f
/* The extra width of a space of a justified line (ratio from pdf_line). */
static inline float pdf_space_extra(float space_width, float ratio) {
  return space_width * (ratio > 0 ? ratio / 2 : ratio / 3);
}
/* Width of a plain string in a role and size. */
float pdf_text_width(pdf_fonts *fonts, font_role role, float size, const char *s);
/* A style of plain text in one role, size, leading and grey level. */
pdf_style pdf_plain_style(font_role role, float size, float leading, float grey);
/* The role that draws a run's style in a base role, and whether it is
 * drawn slanted (no italic face). */
font_role pdf_role_for(font_role base, uint16_t style);
bool pdf_slanted(const pdf_fonts *f, font_role base, uint16_t style);
/* The size of a run's style (smaller for sub- and superscripts). */
float pdf_size_of(const pdf_style *st, uint16_t style);

/* ---- shaping and bidi (shape.c) ---- */

/* Does cp call for the shaped path (a script that is shaped, a combining
 * mark, right-to-left text, a bidi control, a character above U+FFFF)? */
bool pdf_needs_shaping(uint32_t cp);
/* Gives the laid-out chars of p one font per run of a shaped script,
 * their bidi levels and HarfBuzz's glyphs and widths. */
int pdf_shape(pdf_para *p, pdf_fonts *fonts, const pdf_style *st);
void pdf_shape_free(pdf_para *p);

/* ---- drawing (draw.c): what the other parts use instead of libharu ---- */

/* Draws line `i` with its baseline at y, starting at x. Links become
 * annotations (with the Print flag when `pdfa`). */
void pdf_para_draw_line(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, HPDF_Page page,
                        size_t i, float x, float y, bool pdfa);
/* Draws a plain string (fallback fonts applied) at x, y in a grey level
 * (0 black, 1 white). */
void pdf_draw_text(pdf_fonts *fonts, HPDF_Page page, font_role role, float size, float grey,
                   float x, float y, const char *s);
/* A horizontal rule from x0 to x1 at y. */
void pdf_draw_hline(HPDF_Page p, float x0, float x1, float y, float width, float grey);
/* A straight stroke from x0, y0 to x1, y1. */
void pdf_draw_stroke(HPDF_Page p, float x0, float y0, float x1, float y1, float width, float grey);
/* A filled rectangle from its lower left corner. */
void pdf_draw_box(HPDF_Page p, float x, float y, float w, float h, float grey);
/* A borderless link from the rectangle x0, y0 - x1, y1 of `from` to the
 * top `y` of page `to` (printable when `pdfa`). */
void pdf_draw_page_link(HPDF_Page from, float x0, float y0, float x1, float y1, HPDF_Page to,
                        float y, bool pdfa);

/* ---- lines onto pages (flow.c) ---- */

/* The vertical flow of a column: where the free space begins, how low
 * lines may go, and how the next page begins. */
typedef struct pdf_flow {
  float y;      /* top of the free space on the current page */
  float bottom; /* no line goes below it */
  /* begins the next page and sets y to its top; on failure y stays */
  void (*new_page)(void *user);
  void *user;
  float x, w; /* the column's left edge and width */
  /* the column ends above the foot of the page (the left one of
   * balanced columns): what lacks room on it goes on to the next */
  bool cut_short;
  /* Vertical justification (the balanced columns' shorter one): points
   * added to each space between blocks; the count of spaces so far in
   * this column and of those with something set under them, and the
   * foot of the last thing set in it. */
  float gap_stretch;
  unsigned gaps, gaps_filled;
  float ink;
  /* the longer one's: the share taken off each space (0 .. 1), and the
   * spaces' natural heights so far and above the last thing set */
  float gap_shrink;
  float gap_sum, gap_sum_filled;
  /* points added above each line but a column's first, and the lines
   * set in this column */
  float line_stretch;
  unsigned lines;
} pdf_flow;

/* Is there `need` points of height left on the page? */
bool pdf_flow_room(const pdf_flow *f, float need);
/* Begins a page unless `need` points are left. */
void pdf_flow_ensure(pdf_flow *f, float need);
/* Places line i of a paragraph of n lines, each `leading` high: no
 * widows or orphans (at least two lines of a paragraph on each side of
 * a page break; a paragraph of three lines or fewer is not split).
 * Returns the top of the line; y moves below it. */
float pdf_flow_line(pdf_flow *f, size_t i, size_t n, float leading);
/* The same, with `after` points of what follows kept on the page of the
 * paragraph's last lines (an introduction and its list). */
float pdf_flow_line_keep(pdf_flow *f, size_t i, size_t n, float leading, float after);
/* A space of `gap` points between blocks, stretched by gap_stretch or
 * shrunk by gap_shrink. */
void pdf_flow_gap(pdf_flow *f, float gap);
/* Something other than a line (a picture, a rule) was set above y: the
 * spaces above it are filled, and the column's ink ends at y. */
void pdf_flow_filled(pdf_flow *f);

/* How the columns of page `page` of an article's body end (columns.c):
 * the left one at `bottom`; column `stretch_col` (the shorter, -1:
 * none) with its spaces and lines stretched, the other's spaces shrunk. */
typedef struct pdf_balance {
  size_t page; /* SIZE_MAX: none */
  float bottom;
  int stretch_col;
  float stretch;      /* each space */
  float line_stretch; /* each line but the column's first */
  float shrink;       /* the other column's spaces: the share taken off */
} pdf_balance;

/* ---- the document (doc.c, page.c) ---- */

typedef struct geometry {
  float w, h;
  float ml, mr, mt, mb;
  float body, leading;
} geometry;

typedef struct place {
  uint32_t page; /* index in pages */
  float y;       /* top of the entry */
} place;

typedef struct pdf_ctx {
  const gz_view *d;
  const gz_write_options *w;
  gz_job *job;
  HPDF_Doc pdf;
  pdf_fonts fonts;
  geometry g;
  bool pdfa;
  char full_title[4096];
  gz_job_facts facts;
  /* pages */
  HPDF_Page *pages;
  size_t n_pages, cap_pages;
  size_t first_body; /* index of the first article page */
  size_t n_toc;
  pdf_flow flow; /* the column of articles */
  const char *group_label;
  place *group_at;
  place *article_at; /* per job article, in job order */
  pdf_para para;
  /* finished pages whose content is compressed by a worker */
  struct sealer *sealer;
  int threads;
  /* libharu errors */
  HPDF_STATUS error, detail;
  struct pdf_figures *figures; /* the pictures (figure.c) */
  struct pdf_hyph *hyph;       /* the job's hyphenation dictionaries (hyphens.c) */
  /* flow.c: the room the next block's first lines need below the
   * paragraph being placed (0 but for an introduction to a list) */
  float keep_after;
  /* columns.c: the two columns of an article's body (--columns 2) */
  struct pdf_cols {
    int n;           /* 1 or 2 */
    int col;         /* the column being filled: 0 left, 1 right */
    float top;       /* the top of both columns on this page */
    pdf_flow left;   /* the left column of this page as it ended */
    size_t page;     /* pages begun since the body began */
    pdf_balance bal; /* how the columns of the body's last page end */
  } cols;
  /* a dry pass: everything is laid out and placed, nothing drawn and no
   * page added (columns.c measures an article's body so) */
  bool dry;
} pdf_ctx;

/* page.c */
geometry pdf_geometry_of(gz_page_size size);
float pdf_content_w(const pdf_ctx *c);
float pdf_top(const pdf_ctx *c);
HPDF_Page pdf_cur(const pdf_ctx *c);
HPDF_Page pdf_add_page(pdf_ctx *c);
/* A page of articles with its running header; the flow starts at its top. */
HPDF_Page pdf_body_page(pdf_ctx *c);
/* The flow of article pages: its bottom margin, new pages from
 * pdf_body_page. */
void pdf_flow_on_pages(pdf_ctx *c);
/* "n / N" at the foot of every page but the cover; after the last page. */
void pdf_footers(pdf_ctx *c);

/* flow.c: an article's body blocks into the flow */
int pdf_draw_body(pdf_ctx *c, const gz_body *body, uint8_t adir, const char *alang,
                  pdf_missing *missing);
/* columns.c: the body in two balanced columns (c->cols.n == 2) */
int pdf_columns_body(pdf_ctx *c, const gz_body *body, uint8_t adir, const char *alang,
                     pdf_missing *missing);
/* flow.c: a group's heading and its articles, their places recorded */
int pdf_draw_group(pdf_ctx *c, const gz_group *grp, place *at, place *articles);
/* Warns of the characters of `text` (named by `what`) no font has. */
void pdf_report_missing_in(pdf_ctx *c, const char *what, const char *text, const pdf_missing *m);

/* figure.c: pictures. _new and _report give -1 with job->err set. */
int pdf_figures_new(pdf_ctx *c);
void pdf_figures_free(pdf_ctx *c);
int pdf_figures_report(pdf_ctx *c);
/* Starts article `a`: prepares its lead image and gives the height it
 * takes (0: none), for the title to keep with it. */
float pdf_figure_lead_height(pdf_ctx *c, const gz_article *a, const gz_body *body);
/* Draws the lead image prepared, if any. */
void pdf_figure_lead(pdf_ctx *c);
/* Draws image block `index` of the article in the column from x (from
 * the column's left edge), w wide; `held` by a heading above it, the
 * picture shrinks to the room left rather than leave the heading.
 * -1 when out of memory. */
int pdf_figure_draw(pdf_ctx *c, const gz_block *blk, size_t index, float x, float w, bool held,
                    pdf_missing *missing);
/* The height image block `index` asks of the page to begin there, w
 * wide: the picture and its caption (or the first lines of a caption set
 * as text); a heading above it keeps it. Lays out into c->para. */
float pdf_figure_need(pdf_ctx *c, const gz_block *blk, size_t index, float w);
/* hyphens.c: the dictionaries of the job's languages, loaded by a thread
 * started with the job (none with --align left or --no-hyphenate), and
 * the one for a language (NULL: none, or no hyphenation) */
int pdf_hyph_start(pdf_ctx *c);
void pdf_hyph_stop(pdf_ctx *c);
const gz_hyphenator *pdf_hyph_for(pdf_ctx *c, const char *lang);

/* cover.c */
void pdf_draw_cover(pdf_ctx *c, HPDF_Page p);

/* toc.c: the contents (the number of pages they take; drawn with
 * `draw`, once the articles' places are known) and the outline */
size_t pdf_toc_walk(pdf_ctx *c, bool draw);
void pdf_outlines(pdf_ctx *c);

/* seal.c: compressing finished pages in a worker */
int pdf_seal_start(pdf_ctx *c);
void pdf_seal_stop(pdf_ctx *c);
/* Hands a finished page's content to the worker. */
int pdf_seal_page(pdf_ctx *c, HPDF_Page page);
/* Puts compressed content back into its pages; with `wait`, all of it. */
int pdf_seal_put_back(pdf_ctx *c, bool wait);

/* pdfa.c: XMP metadata, an output intent and a fixed identifier */
int pdf_make_pdfa(pdf_ctx *c);

/* ---- libharu's internals (hpdf_compat.c) ---- */

/* libharu's error codes the writer names (hpdf_error.h, left out of the
 * public interface); hpdf_compat.c checks them against libharu's. */
enum { GZH_ERR_NOMEM = 0x1015, GZH_ERR_FILE_IO = 0x1016, GZH_ERR_FILE_OPEN = 0x1017 };

/* 0 when `have` (HPDF_GetVersion()) is the libharu version the internals
 * were written for; else -1 with a sentence in err. */
int gzh_check_version(const char *have, gz_error *err);
/* Takes a page's content out of libharu into a block of al: 1 when taken,
 * 0 when there is none to take, -1 when out of memory. */
int gzh_page_take_content(HPDF_Page page, const gz_allocator *al, unsigned char **raw, size_t *len);
/* Puts deflated content (NULL: its compression failed) back into its
 * page, which is then written as FlateDecode. -1 when it failed. */
int gzh_page_put_deflated(HPDF_Page page, const unsigned char *z, size_t len);
/* The Print flag that PDF/A wants on annotations. */
void gzh_annot_set_print(HPDF_Annotation a);
HPDF_FontDef gzh_font_def(HPDF_Doc pdf, const char *name);
/* Has the TrueType face a glyph for cp; its advance in 1/1000 em. */
bool gzh_ttf_has(HPDF_FontDef def, uint16_t cp);
int gzh_ttf_width(HPDF_FontDef def, uint16_t cp);
/* Replaces the font's ToUnicode map with a valid identity map. */
void gzh_font_fix_tounicode(HPDF_Font font);
/* A CID whose text is not its own code point: UTF-16 code units. */
typedef struct gzh_cid_text {
  uint16_t cid;
  uint16_t n_units;
  const uint16_t *units;
} gzh_cid_text;
/* The identity ToUnicode map but for `over` (sorted by CID). */
int gzh_font_write_tounicode(HPDF_Font font, const gzh_cid_text *over, size_t n_over);
/* Sends a CID the font's cmap leaves unmapped to glyph gid. */
bool gzh_font_map_cid(HPDF_Font font, uint16_t cid, uint16_t gid);
/* Appends /W widths (1/1000 em) of ascending CIDs. */
int gzh_font_add_widths(HPDF_Font font, const uint16_t *cids, const int *widths, size_t n);
uint16_t gzh_ttf_num_glyphs(HPDF_FontDef def);
/* Keeps a glyph in the subset libharu embeds; is it kept? */
void gzh_ttf_keep_glyph(HPDF_FontDef def, uint16_t gid);
bool gzh_ttf_glyph_kept(HPDF_FontDef def, uint16_t gid);
/* A glyph's advance in 1/1000 em, as libharu's /W gives it. */
int gzh_ttf_gid_width(HPDF_FontDef def, uint16_t gid);
/* Shows a TJ array (its operand with the brackets, `len` bytes: strings
 * of two-byte codes and adjustments) in the font set by
 * HPDF_Page_SetFontAndSize, inside a text object; `advance` (points)
 * moves libharu's idea of the text position as the array moves the
 * PDF's. The glyphs' subset flags must be set already (measuring sets
 * them). 0, or -1 (the page's error raised) when it cannot. */
int gzh_page_show_tj(HPDF_Page page, const char *array, size_t len, float advance);
/* Adds the /CIDSet of PDF/A-1 to a loaded font's descriptor; *oom is set
 * when an allocation failed. */
int gzh_font_add_cidset(HPDF_Font font, const gz_allocator *al, bool *oom);
void gzh_doc_set_pdf14(HPDF_Doc pdf);
/* The catalog's /Lang. */
int gzh_doc_set_lang(HPDF_Doc pdf, const char *lang);
/* The trailer's /ID: the same 16 bytes twice. */
int gzh_doc_set_id(HPDF_Doc pdf, const unsigned char id[16]);
/* An uncompressed XMP metadata stream in the catalog. */
int gzh_doc_add_metadata(HPDF_Doc pdf, const void *xml, size_t len);
/* The catalog's /OutputIntents: GTS_PDFA1 with the ICC profile at path. */
int gzh_doc_add_srgb_intent(HPDF_Doc pdf, const char *icc_path);
/* Does the saved file end as a whole libharu PDF does? */
bool gzh_file_complete(const char *path);

#endif
