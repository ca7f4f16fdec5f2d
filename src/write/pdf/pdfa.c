/*
 * pdfa.c - PDF/A-1b: a fixed file identifier, XMP metadata matching the
 * document information, and an sRGB output intent.
 */
#include <hpdf_doc.h>
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
  pdf->pdf_version = HPDF_VER_14;
  /* identifier: a hash of the title and of every article */
  uint64_t h1 = gz_hash64(c->full_title, strlen(c->full_title), 7), h2 = h1 ^ 0x9e3779b97f4a7c15ULL;
  for (size_t g = 0; g < c->job->n_groups; g++)
    for (size_t i = 0; i < c->job->groups[g].n_items; i++) {
      const gz_article *a = &c->d->articles[c->job->groups[g].items[i]];
      h1 = gz_hash_mix(h1, gz_hash_mix(a->title_fp, a->body_fp));
      h2 = gz_hash_mix(h2, gz_hash_mix(a->url_fp, (uint64_t)a->when.utc));
    }
  HPDF_BYTE id[16];
  for (int i = 0; i < 8; i++) {
    id[i] = (HPDF_BYTE)(h1 >> (8 * i));
    id[8 + i] = (HPDF_BYTE)(h2 >> (8 * i));
  }
  HPDF_Array ids = HPDF_Array_New(pdf->mmgr);
  if (!ids || HPDF_Dict_Add(pdf->trailer, "ID", ids) != HPDF_OK) return -1;
  HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, id, 16));
  HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, id, 16));

  /* XMP */
  char date[32];
  gz_format_utc(date, sizeof date, c->facts.modified);
  const char *producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER);
  xmlBufferPtr x =
      xmp_packet(c->d->al, c->full_title, c->w->author, producer ? producer : "", date);
  if (!x)
    return gz_error_set(&c->job->err, GZ_ERR_OUTPUT, "", 0, 0,
                        "cannot write the PDF/A metadata (XMP)");
  HPDF_Dict xmp = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  int rc = xmp ? 0 : -1;
  if (rc == 0) {
    xmp->filter = HPDF_STREAM_FILTER_NONE; /* metadata stays readable */
    if (HPDF_Dict_AddName(xmp, "Type", "Metadata") != HPDF_OK ||
        HPDF_Dict_AddName(xmp, "Subtype", "XML") != HPDF_OK ||
        HPDF_Stream_Write(xmp->stream, xmlBufferContent(x), (HPDF_UINT)xmlBufferLength(x)) !=
            HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "Metadata", xmp) != HPDF_OK)
      rc = -1;
  }
  xmlBufferFree(x);
  if (rc) return -1;

  /* output intent */
  HPDF_OutputIntent profile = HPDF_LoadIccProfileFromFile(pdf, icc, 3);
  HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
  if (!profile || !intent || HPDF_Xref_Add(pdf->xref, intent) != HPDF_OK) return -1;
  HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(pdf->mmgr, "sRGB", NULL));
  HPDF_Dict_Add(intent, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
  HPDF_Dict_Add(intent, "DestOutputProfile", profile);
  HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
  if (!intents) return -1;
  HPDF_Array_Add(intents, intent);
  HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
  return 0;
}
