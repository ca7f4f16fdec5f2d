/*
 * xhtml.h - writing articles as XHTML with libxml2's xmlTextWriter.
 */
#ifndef GZ_XHTML_H
#define GZ_XHTML_H

#include <libxml/xmlwriter.h>

#include "write/write.h"

/* Writes text (not NUL-terminated), escaped. */
void gz_xml_text(xmlTextWriterPtr w, const char *s, size_t len);
/* <name>text</name> */
void gz_xml_elem_text(xmlTextWriterPtr w, const char *name, const char *text);

/* The XML declaration, doctype, <html>, <head> with title and style.css,
 * and an open <body>. */
void gz_xhtml_start(xmlTextWriterPtr w, const char *lang, const char *title, bool epub_ns);
/* Closes everything and flushes. */
void gz_xhtml_end(xmlTextWriterPtr w);

/* The body's blocks; the highest heading of the body becomes
 * <h`first_heading`>. Both return -1 when a link could not be
 * encoded for want of memory. */
int gz_xhtml_body(xmlTextWriterPtr w, const gz_allocator *al, const gz_body *body,
                  int first_heading);
/* The article's meta line: date and time, authors, source link; tags. */
int gz_xhtml_meta(xmlTextWriterPtr w, const gz_digest *d, const gz_article *a);

#endif
