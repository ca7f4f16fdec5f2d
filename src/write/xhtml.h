/*
 * xhtml.h - writing articles as XHTML with libxml2's xmlTextWriter.
 *
 * Every writer call goes through gz_xw, which keeps the first failure:
 * after one, later calls do nothing and the document is known to be
 * incomplete, so a caller can report it instead of shipping it.
 */
#ifndef GZ_XHTML_H
#define GZ_XHTML_H

#include <libxml/xmlwriter.h>

#include "write/write.h"

/* An xmlTextWriter and its first failure. */
typedef struct gz_xw {
  xmlTextWriterPtr w;
  bool failed;
  const gz_allocator *al; /* for what is built beside the writer (link URIs) */
} gz_xw;

/* Each wraps the xmlTextWriter call of the same name and records a
 * failure in x->failed. */
void gz_xw_start_document(gz_xw *x);
void gz_xw_end_document(gz_xw *x);
void gz_xw_start(gz_xw *x, const char *name);
void gz_xw_end(gz_xw *x);
void gz_xw_attr(gz_xw *x, const char *name, const char *value);
GZ_PRINTF(3, 4) void gz_xw_attrf(gz_xw *x, const char *name, const char *fmt, ...);
void gz_xw_string(gz_xw *x, const char *s);
/* <?target content?> */
void gz_xw_pi(gz_xw *x, const char *target, const char *content);
GZ_PRINTF(2, 3) void gz_xw_stringf(gz_xw *x, const char *fmt, ...);
/* Flushes; returns 0, or -1 when any call on x failed. */
int gz_xw_finish(gz_xw *x);

/* libxml2 reports its failures on standard error, and a few of them
 * (an allocation inside the doctype's end, say) only there, with a
 * return value that says success. While a gz_xml_quiet is on, the calling
 * thread's reports (libxml2 keeps handlers per thread) go to it instead:
 * nothing is printed, and `raised` tells that the document written
 * meanwhile cannot be trusted. _end puts the host's handlers back. */
typedef struct gz_xml_quiet {
  xmlGenericErrorFunc func;
  void *ctx;
  xmlStructuredErrorFunc sfunc;
  void *sctx;
  bool raised;
} gz_xml_quiet;
void gz_xml_quiet_begin(gz_xml_quiet *q);
void gz_xml_quiet_end(const gz_xml_quiet *q);

/* Writes text (not NUL-terminated), escaped. */
void gz_xml_text(gz_xw *x, const char *s, size_t len);
/* <name>text</name> */
void gz_xml_elem_text(gz_xw *x, const char *name, const char *text);

/* The XML declaration, doctype, <html>, <head> with title and style.css,
 * and an open <body>. */
void gz_xhtml_start(gz_xw *x, const char *lang, const char *title, bool epub_ns);
/* The same with the document's direction: dir="rtl" on <html> when dir
 * is GZ_DIR_RTL (a book all in a right-to-left language). */
void gz_xhtml_start_dir(gz_xw *x, const char *lang, uint8_t dir, const char *title, bool epub_ns);
/* An element's language and direction where they differ from what
 * holds it: xml:lang and lang when lang is not NULL, dir when dir is
 * not GZ_DIR_ARTICLE. Written as explicit directions, never "auto":
 * HTML's auto is the first strong character, and gazette's direction
 * of a paragraph (lang/bidi.h) also weighs the rest of it, as the PDF
 * does. */
void gz_xhtml_dir_lang(gz_xw *x, uint8_t dir, const char *lang);
/* Closes everything and flushes; returns gz_xw_finish(). */
int gz_xhtml_end(gz_xw *x);

/* The body's blocks; the highest heading of the body becomes
 * <h`first_heading`>. */
void gz_xhtml_body(gz_xw *x, const gz_body *body, int first_heading);
/* The article's meta line: date and time, authors, source link; tags. */
void gz_xhtml_meta(gz_xw *x, const gz_view *d, const gz_article *a);

#endif
