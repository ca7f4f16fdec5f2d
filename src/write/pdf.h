/*
 * pdf.h - the PDF writer's parts: fonts (fontconfig discovery, per
 * character fallback, widths) and the text layout on libharu pages.
 */
#ifndef GZ_PDF_H
#define GZ_PDF_H

#include <hpdf.h>

#include "write/write.h"

/* ---- fonts ---- */

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

typedef struct pdf_font {
  char *path;
  int index; /* face in a collection */
  HPDF_Font font;
  HPDF_FontDef def;
  bool loaded;
  bool failed;
  uint16_t *widths[256]; /* pages of BMP advance widths; see fonts.c */
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
/* Adds to the descriptor of every loaded font the /CIDSet that PDF/A-1
 * wants for subset fonts; after the last text is drawn. */
int pdf_fonts_add_cidsets(pdf_fonts *f);

/* ---- layout ---- */

typedef struct pdf_style {
  font_role role; /* base role: styles of runs derive from it */
  float size;
  float leading;
  float indent; /* left indent of every line */
  float first;  /* extra indent of the first line (negative: hanging) */
  float r, g, b;
  bool pre;             /* keep spaces and line breaks */
  bool nowrap_ellipsis; /* one line, cut with an ellipsis */
} pdf_style;

/* A laid-out line: a slice of the characters of a paragraph. */
typedef struct pdf_char {
  uint32_t cp;
  uint32_t byte; /* offset in the paragraph text */
  int16_t font;  /* -1: missing */
  uint16_t run;
  float width;
  uint8_t brk; /* libunibreak's verdict for a break after this char */
  bool space;
  bool invisible;
} pdf_char;

typedef struct pdf_line {
  uint32_t first, count; /* chars */
  float width;
} pdf_line;

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
  char *lb_text; /* the text as libunibreak is shown it (see pdf_layout.c) */
  size_t cap_lb_text;
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
/* Draws line `i` with its baseline at y, starting at x. Links become
 * annotations (with the Print flag when `pdfa`). */
void pdf_para_draw_line(pdf_para *p, pdf_fonts *fonts, const pdf_style *st, HPDF_Page page,
                        size_t i, float x, float y, bool pdfa);
/* Width of a plain string in a role and size. */
float pdf_text_width(pdf_fonts *fonts, font_role role, float size, const char *s);
/* Draws a plain string (fallback fonts applied) at x, y in a grey level
 * (0 black, 1 white). */
void pdf_draw_text(pdf_fonts *fonts, HPDF_Page page, font_role role, float size, float grey,
                   float x, float y, const char *s);

#endif
