/*
 * hpdf_compat.c - every use of libharu's internals by the PDF writer, in
 * one place: the structures behind its handles (documents, pages, fonts,
 * streams, dictionaries), its object API (hpdf_objects.h, hpdf_streams.h,
 * hpdf_fontdef.h) and what its save leaves unchecked.
 *
 * They were written for libharu 2.3.0 (Debian 12's libhpdf) and change
 * between versions without notice, so the writer checks the library's
 * version before it builds a document (gzh_check_version). The rest of
 * src/write/pdf/ sees libharu through its public interface only: pdf.h
 * defines HPDF_SHARED, which makes the handles opaque, so a reach into
 * libharu elsewhere does not compile. That is libharu's own arrangement
 * for users of its shared library: a handle is the same pointer in both
 * views.
 *
 * Internals touched (all 2.3.0):
 * - HPDF_Doc_Rec: pdf_version, catalog, trailer, xref, mmgr;
 * - HPDF_Page's HPDF_PageAttr_Rec: stream, contents (the content
 *   stream's dictionary: filter, write_fn); gstate (font, writing_mode),
 *   text_pos, text_matrix (a, b), written by gzh_page_show_tj as
 *   HPDF_Page_ShowText writes them; HPDF_FontAttr_Rec: type;
 * - HPDF_Dict_Rec: stream, filter, write_fn; HPDF_Stream_Rec: type, size;
 * - HPDF_Font's HPDF_FontAttr_Rec: fontdef, map_stream, xref,
 *   descendant_font (its /W array); the font's before_write_fn, mmgr,
 *   filter; HPDF_FontDef_Rec: descriptor, attr; HPDF_TTFontDefAttr_Rec:
 *   num_glyphs, glyph_tbl.flgs (the glyphs kept in the embedded subset,
 *   read and set);
 * - the bytes of the CIDToGIDMap stream, rewritten for glyphs drawn by
 *   id (gzh_font_map_cid);
 * - functions outside the public interface: HPDF_Array_New,
 *   HPDF_Array_Add, HPDF_Binary_New, HPDF_String_New, HPDF_Dict_New,
 *   HPDF_Dict_Add, HPDF_Dict_AddName, HPDF_Dict_AddNumber,
 *   HPDF_Dict_GetItem, HPDF_DictStream_New, HPDF_Xref_Add, HPDF_Array_AddNumber,
 *   HPDF_Stream_Write, HPDF_Stream_WriteStr, HPDF_MemStream_GetBufCount,
 *   HPDF_Page_CheckState, HPDF_RaiseError,
 *   HPDF_MemStream_GetBufPtr, HPDF_MemStream_FreeData, HPDF_GetFontDef,
 *   HPDF_TTFontDef_GetGlyphid, HPDF_TTFontDef_GetCharWidth,
 *   HPDF_TTFontDef_GetGidWidth;
 * - the end of a saved file (HPDF_SaveToFile does not check its flush).
 */
#define GZ_HPDF_INTERNALS
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <string.h>

#include "write/pdf/pdf.h"

_Static_assert(GZH_ERR_NOMEM == HPDF_FAILD_TO_ALLOC_MEM, "libharu's out of memory code");
_Static_assert(GZH_ERR_FILE_IO == HPDF_FILE_IO_ERROR, "libharu's file I/O error code");
_Static_assert(GZH_ERR_FILE_OPEN == HPDF_FILE_OPEN_ERROR, "libharu's file open error code");

#define GZH_WRITTEN_FOR "2.3.0"

int gzh_check_version(const char *have, gz_error *err) {
  if (have && strcmp(have, GZH_WRITTEN_FOR) == 0) return 0;
  return gz_error_set(err, GZ_ERR_OUTPUT, "", 0, 0,
                      "the PDF writer was built for libharu " GZH_WRITTEN_FOR
                      " and this program runs with libharu %s, whose internals differ "
                      "(rebuild gazette against the libharu installed)",
                      have ? have : "of an unknown version");
}

/* Copies the buffers of a memory stream into out (at most cap bytes);
 * returns the bytes copied. */
static size_t memstream_copy(HPDF_Stream st, unsigned char *out, size_t cap) {
  size_t off = 0;
  for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(st) && off < cap; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(st, i, &len);
    if (!b) break;
    if (len > cap - off) len = (HPDF_UINT)(cap - off);
    memcpy(out + off, b, len);
    off += len;
  }
  return off;
}

/* ---- page content ---- */

int gzh_page_take_content(HPDF_Page page, const gz_allocator *al, unsigned char **raw,
                          size_t *len) {
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  HPDF_Stream st = attr->stream;
  *raw = NULL;
  *len = 0;
  if (!st || st->type != HPDF_STREAM_MEMORY) return 0;
  *len = st->size;
  *raw = gz_malloc(al, *len);
  if (!*raw) return -1;
  memstream_copy(st, *raw, *len);
  HPDF_MemStream_FreeData(st);
  return 1;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream) {
  (void)dict;
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

int gzh_page_put_deflated(HPDF_Page page, const unsigned char *z, size_t len) {
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  int rc = 0;
  if (!z || HPDF_Stream_Write(attr->stream, z, (HPDF_UINT)len) != HPDF_OK) rc = -1;
  /* libharu drops a Filter entry from streams it does not filter
   * itself; its write hook adds ours inside the dictionary. */
  attr->contents->filter = HPDF_STREAM_FILTER_NONE;
  attr->contents->write_fn = write_flate_filter;
  return rc;
}

/* libharu has Tj (HPDF_Page_ShowText) and no TJ. This writes a TJ array
 * as ShowText writes a string: in a text object (CheckState raises the
 * error ShowText raises outside one), with the font that SetFontAndSize
 * set and registered in the page's resources, and it moves text_pos
 * along the text matrix's x axis as ShowText does. ShowText also
 * measures its text, which marks the glyphs for the embedded subset;
 * gazette measures every char it draws before (fonts.c), so the array
 * is not measured again. Only two-byte (Type0) fonts: the array's
 * strings are CIDs. */
int gzh_page_show_tj(HPDF_Page page, const char *array, size_t len, float advance) {
  if (HPDF_Page_CheckState(page, HPDF_GMODE_TEXT_OBJECT) != HPDF_OK) return -1;
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  HPDF_Font font = attr->gstate->font;
  if (!font) {
    HPDF_RaiseError(page->error, HPDF_PAGE_FONT_NOT_FOUND, 0);
    return -1;
  }
  if (((HPDF_FontAttr)font->attr)->type != HPDF_FONT_TYPE0_TT) {
    HPDF_RaiseError(page->error, HPDF_PAGE_INVALID_FONT, 0);
    return -1;
  }
  if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)array, (HPDF_UINT)len) != HPDF_OK ||
      HPDF_Stream_WriteStr(attr->stream, " TJ\012") != HPDF_OK) {
    HPDF_CheckError(page->error);
    return -1;
  }
  if (attr->gstate->writing_mode == HPDF_WMODE_HORIZONTAL) {
    attr->text_pos.x += advance * attr->text_matrix.a;
    attr->text_pos.y += advance * attr->text_matrix.b;
  }
  return 0;
}

/* ---- annotations ---- */

void gzh_annot_set_print(HPDF_Annotation a) { HPDF_Dict_AddNumber(a, "F", 4); }

/* ---- fonts ---- */

HPDF_FontDef gzh_font_def(HPDF_Doc pdf, const char *name) { return HPDF_GetFontDef(pdf, name); }

bool gzh_ttf_has(HPDF_FontDef def, uint16_t cp) { return HPDF_TTFontDef_GetGlyphid(def, cp) != 0; }

int gzh_ttf_width(HPDF_FontDef def, uint16_t cp) { return HPDF_TTFontDef_GetCharWidth(def, cp); }

/* libharu gives its UTF-8 fonts a ToUnicode "CMap" that maps codes to
 * CIDs (begincidrange), which viewers reject with a warning; the codes it
 * writes are Unicode code points, so the right map is the identity: one
 * bfrange per high byte (surrogates left out), except for the CIDs that
 * draw glyphs by id (gzh_font_map_cid), which map to their own text. The
 * syntax is that of Adobe's technical note 5411 (ToUnicode mapping file
 * tutorial): at most 100 entries between begin and end operators, a
 * bfchar destination a UTF-16BE string of one or more code units. */
static void tounicode_flush(HPDF_Stream st, const char *kind, const char *lines, int n) {
  char head[32];
  snprintf(head, sizeof head, "%d begin%s\n", n, kind);
  HPDF_Stream_WriteStr(st, head);
  HPDF_Stream_WriteStr(st, lines);
  snprintf(head, sizeof head, "end%s\n", kind);
  HPDF_Stream_WriteStr(st, head);
}

/* Appends the identity bfranges of CIDs lo..hi (one high byte). */
static void tounicode_range(HPDF_Stream st, char *ranges, int *n, unsigned lo, unsigned hi) {
  if (lo > hi) return;
  snprintf(ranges + strlen(ranges), 40, "<%04X> <%04X> <%04X>\n", lo, hi, lo);
  if (++*n == 100) {
    tounicode_flush(st, "bfrange", ranges, *n);
    *n = 0;
    ranges[0] = '\0';
  }
}

int gzh_font_write_tounicode(HPDF_Font font, const gzh_cid_text *over, size_t n_over) {
  HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
  if (!tu || !tu->stream || tu->stream->type != HPDF_STREAM_MEMORY) return -1;
  HPDF_MemStream_FreeData(tu->stream);
  HPDF_Stream st = tu->stream;
  HPDF_Stream_WriteStr(st,
                       "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                       "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  /* 100 lines of at most 19 bytes, or of a CID and 64 code units */
  static _Thread_local char buf[100 * 280 + 1];
  int n = 0;
  buf[0] = '\0';
  size_t k = 0; /* `over` is sorted by CID */
  for (unsigned hi = 0; hi < 256; hi++) {
    if (hi >= 0xD8 && hi <= 0xDF) continue;
    unsigned lo = hi << 8, end = lo | 0xFF;
    while (k < n_over && over[k].cid <= end) {
      tounicode_range(st, buf, &n, lo, over[k].cid - 1u);
      lo = over[k++].cid + 1u;
    }
    tounicode_range(st, buf, &n, lo, end);
  }
  if (n) tounicode_flush(st, "bfrange", buf, n);
  n = 0;
  buf[0] = '\0';
  for (k = 0; k < n_over; k++) {
    char *w = buf + strlen(buf);
    w += sprintf(w, "<%04X> <", over[k].cid);
    for (size_t u = 0; u < over[k].n_units && u < 64; u++)
      w += sprintf(w, "%04X", over[k].units[u]);
    strcpy(w, ">\n");
    if (++n == 100) {
      tounicode_flush(st, "bfchar", buf, n);
      n = 0;
      buf[0] = '\0';
    }
  }
  if (n) tounicode_flush(st, "bfchar", buf, n);
  return HPDF_Stream_WriteStr(
             st, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n") == HPDF_OK
             ? 0
             : -1;
}

void gzh_font_fix_tounicode(HPDF_Font font) { gzh_font_write_tounicode(font, NULL, 0); }

/* ---- glyphs drawn by id ----
 *
 * libharu's UTF-8 TrueType fonts are Type0 fonts with Identity-H codes
 * whose CIDs are BMP code points; at HPDF_GetFont it writes the
 * CIDToGIDMap (CID -> glyph through the font's cmap; 0 where the cmap
 * has nothing) and a /W array of the CIDs whose width is not /DW. A CID
 * the cmap does not map can therefore be pointed at any glyph: its
 * CIDToGIDMap entry is set, its width appended to /W, and the glyph
 * (with the parts of a composite glyph) flagged for the subset libharu
 * embeds, since only measuring a character flags its glyph there. */

bool gzh_font_map_cid(HPDF_Font font, uint16_t cid, uint16_t gid) {
  HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
  if (!attr->map_stream) return false;
  HPDF_Stream st = attr->map_stream->stream;
  size_t off = 2 * (size_t)cid, at = 0;
  if (st->type != HPDF_STREAM_MEMORY || off + 2 > st->size) return false;
  unsigned char be[2] = {(unsigned char)(gid >> 8), (unsigned char)gid};
  for (HPDF_UINT i = 0, done = 0; i < HPDF_MemStream_GetBufCount(st) && done < 2; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(st, i, &len);
    if (!b) return false;
    for (; done < 2 && off + done >= at && off + done < at + len; done++)
      b[off + done - at] = be[done];
    at += len;
  }
  return true;
}

uint16_t gzh_ttf_num_glyphs(HPDF_FontDef def) {
  return ((HPDF_TTFontDefAttr)def->attr)->num_glyphs;
}

bool gzh_ttf_glyph_kept(HPDF_FontDef def, uint16_t gid) {
  HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
  return gid < attr->num_glyphs && attr->glyph_tbl.flgs && attr->glyph_tbl.flgs[gid];
}

void gzh_ttf_keep_glyph(HPDF_FontDef def, uint16_t gid) {
  HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
  if (gid < attr->num_glyphs && attr->glyph_tbl.flgs) attr->glyph_tbl.flgs[gid] = 1;
}

int gzh_ttf_gid_width(HPDF_FontDef def, uint16_t gid) {
  return (int)HPDF_TTFontDef_GetGidWidth(def, gid);
}

int gzh_font_add_widths(HPDF_Font font, const uint16_t *cids, const int *widths, size_t n) {
  HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
  HPDF_Array w = HPDF_Dict_GetItem(attr->descendant_font, "W", HPDF_OCLASS_ARRAY);
  if (!w) return -1;
  /* consecutive CIDs share one "c [w1 w2 ...]" entry */
  for (size_t i = 0; i < n;) {
    HPDF_Array ws = HPDF_Array_New(font->mmgr);
    if (!ws || HPDF_Array_AddNumber(w, cids[i]) != HPDF_OK || HPDF_Array_Add(w, ws) != HPDF_OK)
      return -1;
    size_t j = i;
    do {
      if (HPDF_Array_AddNumber(ws, widths[j]) != HPDF_OK) return -1;
      j++;
    } while (j < n && cids[j] == cids[j - 1] + 1);
    i = j;
  }
  return 0;
}

/* PDF/A-1 (ISO 19005-1, 6.3.5) asks every CIDFont subset's descriptor
 * for a CIDSet stream "identifying which CIDs are present in the
 * embedded CIDFont file". libharu tags its fonts as subsets (HPDFAA+)
 * and, for CIDs that are Unicode code points, writes a CIDToGIDMap; the
 * font program it embeds keeps every glyph slot of the face and empties
 * the outlines of glyphs never measured. The tag stays (the program is a
 * subset in content, and untagging would not remove the CIDSet question
 * for validators that treat empty glyphs as present), and the CIDSet
 * names what the program holds: CID 0 and every CID that the CIDToGIDMap
 * maps to a glyph slot of the program. Empty glyphs count as present, as
 * the PDF/A validation working group reads the clause, so every CID a
 * page can show is in it and no bit names a CID without a glyph.
 * libharu makes the descriptor only while saving; its own function makes
 * it here ahead, which the save then finds done. */
int gzh_font_add_cidset(HPDF_Font font, const gz_allocator *al, bool *oom) {
  HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
  HPDF_TTFontDefAttr def = (HPDF_TTFontDefAttr)attr->fontdef->attr;
  if (!attr->map_stream || !font->before_write_fn) return -1;
  if (font->before_write_fn(font) != HPDF_OK || !attr->fontdef->descriptor) return -1;
  HPDF_Stream map = attr->map_stream->stream;
  size_t n_cids = map->size / 2;
  size_t n_bytes = n_cids / 8 + 1;
  unsigned char *bits = gz_malloc(al, n_bytes), *gids = gz_malloc(al, n_cids * 2 + 1);
  int rc = bits && gids ? 0 : -1;
  if (rc)
    *oom = true;
  else
    memset(bits, 0, n_bytes);
  if (rc == 0 && memstream_copy(map, gids, n_cids * 2) != n_cids * 2) rc = -1;
  if (rc == 0) {
    bits[0] = 0x80;
    for (size_t cid = 1; cid < n_cids; cid++) {
      unsigned gid = (unsigned)gids[2 * cid] << 8 | gids[2 * cid + 1];
      if (gid && gid < def->num_glyphs) bits[cid >> 3] |= (unsigned char)(0x80u >> (cid & 7));
    }
    HPDF_Dict set = HPDF_DictStream_New(font->mmgr, attr->xref);
    if (!set) rc = -1;
    if (rc == 0) {
      set->filter = font->filter;
      if (HPDF_Stream_Write(set->stream, bits, (HPDF_UINT)n_bytes) != HPDF_OK ||
          HPDF_Dict_Add(attr->fontdef->descriptor, "CIDSet", set) != HPDF_OK)
        rc = -1;
    }
  }
  gz_free(al, bits);
  gz_free(al, gids);
  return rc;
}

/* ---- the document ---- */

void gzh_doc_set_pdf14(HPDF_Doc pdf) { pdf->pdf_version = HPDF_VER_14; }

int gzh_doc_set_lang(HPDF_Doc pdf, const char *lang) {
  return HPDF_Dict_Add(pdf->catalog, "Lang", HPDF_String_New(pdf->mmgr, lang, NULL)) == HPDF_OK
             ? 0
             : -1;
}

int gzh_doc_set_id(HPDF_Doc pdf, const unsigned char id[16]) {
  HPDF_Array ids = HPDF_Array_New(pdf->mmgr);
  if (!ids || HPDF_Dict_Add(pdf->trailer, "ID", ids) != HPDF_OK) return -1;
  HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16));
  HPDF_Array_Add(ids, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16));
  return 0;
}

int gzh_doc_add_metadata(HPDF_Doc pdf, const void *xml, size_t len) {
  HPDF_Dict xmp = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!xmp) return -1;
  xmp->filter = HPDF_STREAM_FILTER_NONE; /* metadata stays readable */
  if (HPDF_Dict_AddName(xmp, "Type", "Metadata") != HPDF_OK ||
      HPDF_Dict_AddName(xmp, "Subtype", "XML") != HPDF_OK ||
      HPDF_Stream_Write(xmp->stream, xml, (HPDF_UINT)len) != HPDF_OK ||
      HPDF_Dict_Add(pdf->catalog, "Metadata", xmp) != HPDF_OK)
    return -1;
  return 0;
}

int gzh_doc_add_srgb_intent(HPDF_Doc pdf, const char *icc_path) {
  HPDF_OutputIntent profile = HPDF_LoadIccProfileFromFile(pdf, icc_path, 3);
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

/* libharu writes through stdio and does not check the final flush: a
 * file cut short by a full disk or a size limit would look saved. A
 * complete PDF from libharu ends with %%EOF and a line feed. */
bool gzh_file_complete(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char tail[7] = {0};
  bool ok =
      fseek(f, -6, SEEK_END) == 0 && fread(tail, 1, 6, f) == 6 && memcmp(tail, "%%EOF\n", 6) == 0;
  fclose(f);
  return ok;
}
