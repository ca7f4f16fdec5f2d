/*
 * pdfa.c - PDF/A-1b: a fixed file identifier, XMP metadata matching the
 * document information, and an sRGB output intent.
 */
#include <libxml/xmlwriter.h>
#include <string.h>
#include <unistd.h>

#include "write/pdf/pdf.h"
#include "write/xhtml.h"

/* The XMP packet of PDF/A-1b, its properties matching the document
 * information dictionary, written with libxml2 so that every value is
 * escaped. Returns NULL when the writer fails at any step: a packet cut
 * short must never be embedded. */
static xmlBufferPtr xmp_packet(const gz_allocator *al, const char *title, const char *author,
                               const char *producer, const char *date) {
  xmlBufferPtr buf = xmlBufferCreate();
  gz_xw xw = {buf ? xmlNewTextWriterMemory(buf, 0) : NULL, buf == NULL, al}, *x = &xw;
  if (!xw.w) x->failed = true;
  gz_xw_pi(x, "xpacket", "begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"");
  gz_xw_string(x, "\n");
  gz_xw_start(x, "x:xmpmeta");
  gz_xw_attr(x, "xmlns:x", "adobe:ns:meta/");
  gz_xw_start(x, "rdf:RDF");
  gz_xw_attr(x, "xmlns:rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  gz_xw_start(x, "dc:title");
  gz_xw_start(x, "rdf:Alt");
  gz_xw_start(x, "rdf:li");
  gz_xw_attr(x, "xml:lang", "x-default");
  gz_xw_string(x, title);
  gz_xw_end(x); /* rdf:li */
  gz_xw_end(x); /* rdf:Alt */
  gz_xw_end(x); /* dc:title */
  if (author && *author) {
    gz_xw_start(x, "dc:creator");
    gz_xw_start(x, "rdf:Seq");
    gz_xml_elem_text(x, "rdf:li", author);
    gz_xw_end(x); /* rdf:Seq */
    gz_xw_end(x); /* dc:creator */
  }
  gz_xw_end(x);

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:xmp", "http://ns.adobe.com/xap/1.0/");
  gz_xml_elem_text(x, "xmp:CreatorTool", "gazette " GAZETTE_VERSION);
  gz_xml_elem_text(x, "xmp:CreateDate", date);
  gz_xml_elem_text(x, "xmp:ModifyDate", date);
  gz_xw_end(x);

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:pdf", "http://ns.adobe.com/pdf/1.3/");
  gz_xml_elem_text(x, "pdf:Producer", producer);
  gz_xw_end(x);

  gz_xw_start(x, "rdf:Description");
  gz_xw_attr(x, "rdf:about", "");
  gz_xw_attr(x, "xmlns:pdfaid", "http://www.aiim.org/pdfa/ns/id/");
  gz_xml_elem_text(x, "pdfaid:part", "1");
  gz_xml_elem_text(x, "pdfaid:conformance", "B");
  gz_xw_end(x);

  gz_xw_end(x); /* rdf:RDF */
  gz_xw_end(x); /* x:xmpmeta */
  gz_xw_string(x, "\n");
  gz_xw_pi(x, "xpacket", "end=\"w\"");
  bool ok = xw.w && gz_xw_finish(x) == 0;
  if (xw.w) xmlFreeTextWriter(xw.w);
  if (!ok && buf) {
    xmlBufferFree(buf);
    buf = NULL;
  }
  return buf;
}

/* PDF/A-1b: XMP metadata matching the document information, an sRGB
 * output intent and a fixed file identifier. libharu's own PDF/A helper
 * writes the metadata without XML escaping, names the output profile key
 * with a trailing space and makes the identifier from the clock, so the
 * pieces are assembled here from its object API instead. */
int pdf_make_pdfa(pdf_ctx *c) {
  HPDF_Doc pdf = c->pdf;
  static const char *const icc_paths[] = {"/usr/share/color/icc/sRGB.icc",
                                          "/usr/share/color/icc/colord/sRGB.icc"};
  const char *icc = NULL;
  for (size_t i = 0; i < GZ_ARRAY_LEN(icc_paths) && !icc; i++)
    if (access(icc_paths[i], R_OK) == 0) icc = icc_paths[i];
  if (!icc)
    return gz_error_set(&c->job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "--pdfa needs the sRGB colour profile (install icc-profiles-free)");
  gzh_doc_set_pdf14(pdf);
  /* identifier: a hash of the title and of every article */
  uint64_t h1 = gz_hash64(c->full_title, strlen(c->full_title), 7), h2 = h1 ^ 0x9e3779b97f4a7c15ULL;
  gz_walk it;
  gz_walk_init(&it, c->d, c->job->groups, c->job->n_groups, 0);
  while (gz_walk_next(&it, NULL) > GZ_WALK_DONE)
    if (it.ev == GZ_WALK_ENTER && it.node == GZ_NODE_ARTICLE) {
      const gz_article *a = it.article;
      h1 = gz_hash_mix(h1, gz_hash_mix(a->title_fp, a->body_fp));
      h2 = gz_hash_mix(h2, gz_hash_mix(a->url_fp, (uint64_t)a->when.utc));
    }
  gz_walk_free(&it);
  unsigned char id[16];
  for (int i = 0; i < 8; i++) {
    id[i] = (unsigned char)(h1 >> (8 * i));
    id[8 + i] = (unsigned char)(h2 >> (8 * i));
  }
  if (gzh_doc_set_id(pdf, id)) return -1;

  /* XMP */
  char date[32];
  gz_format_utc(date, sizeof date, c->facts.modified);
  const char *producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER);
  xmlBufferPtr x =
      xmp_packet(c->d->al, c->full_title, c->w->author, producer ? producer : "", date);
  if (!x)
    return gz_error_set(&c->job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "cannot write the PDF/A metadata (XMP)");
  int rc = gzh_doc_add_metadata(pdf, xmlBufferContent(x), (size_t)xmlBufferLength(x));
  xmlBufferFree(x);
  if (rc) return -1;

  /* output intent */
  if (gzh_doc_add_srgb_intent(pdf, icc)) return -1;
  return 0;
}
