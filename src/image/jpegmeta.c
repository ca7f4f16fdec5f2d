/*
 * jpegmeta.c - walking a JPEG's marker segments (ITU T.81 B.1.1.4, B.2.4):
 * the metadata left out of a JPEG that passes through, and the EXIF
 * orientation kept by turning the pixels instead.
 *
 * Kept: every segment the decoder needs, APP0 "JFIF" (pixel aspect),
 * APP2 "ICC_PROFILE" (the colours mean nothing without it; a profile holds
 * no personal data) and APP14 "Adobe" (tells how CMYK/YCCK is stored).
 * Left out: every other APPn (APP1 EXIF with its GPS IFD and XMP, APP2 MPF,
 * APP13 Photoshop/IPTC, maker notes), COM comments, and anything after EOI
 * (some cameras append a second, full-size JPEG with its own EXIF there).
 */
#include <string.h>

#include "image/imgint.h"

static bool has_id(const unsigned char *p, size_t n, const char *id, size_t idlen) {
  return n >= idlen && memcmp(p, id, idlen) == 0;
}

static bool keep_segment(unsigned m, const unsigned char *p, size_t n) {
  if (m == 0xFE) return false;
  if (m < 0xE0 || m > 0xEF) return true;
  if (m == 0xE0) return has_id(p, n, "JFIF\0", 5);
  if (m == 0xE2) return has_id(p, n, "ICC_PROFILE\0", 12);
  if (m == 0xEE) return has_id(p, n, "Adobe", 5);
  return false;
}

int gz_img_jpeg_strip(const unsigned char *in, size_t len, gz_buf *b) {
  if (len < 4 || in[0] != 0xFF || in[1] != 0xD8) return -1;
  gz_buf_append(b, in, 2);
  size_t pos = 2;
  for (;;) {
    if (pos >= len || in[pos] != 0xFF) return -1;
    while (pos < len && in[pos] == 0xFF) pos++; /* fill bytes (B.1.1.2) */
    if (pos >= len) return -1;
    unsigned m = in[pos++];
    unsigned char mk[2] = {0xFF, (unsigned char)m};
    if (m == 0xD9) {
      gz_buf_append(b, mk, 2);
      return b->failed ? -1 : 0;
    }
    if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) { /* no length (B.1.1.4) */
      gz_buf_append(b, mk, 2);
      continue;
    }
    if (m == 0x00 || len - pos < 2) return -1;
    size_t seg = ((size_t)in[pos] << 8) | in[pos + 1];
    if (seg < 2 || seg > len - pos) return -1;
    if (keep_segment(m, in + pos + 2, seg - 2)) {
      gz_buf_append(b, mk, 2);
      gz_buf_append(b, in + pos, seg);
    }
    pos += seg;
    if (m != 0xDA) continue;
    /* Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a
     * restart marker inside it; any other marker ends it (B.1.1.5). */
    size_t start = pos;
    for (;;) {
      const unsigned char *ff = memchr(in + pos, 0xFF, len - pos);
      if (!ff || (size_t)(ff - in) + 1 >= len) return -1;
      pos = (size_t)(ff - in);
      unsigned n = in[pos + 1];
      if (n == 0x00 || (n >= 0xD0 && n <= 0xD7)) {
        pos += 2;
        continue;
      }
      break;
    }
    gz_buf_append(b, in + start, pos - start);
  }
}

static unsigned rd16(const unsigned char *p, bool le) {
  return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p, bool le) {
  return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
            : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Tag 0x0112 of IFD0 in the TIFF structure of APP1 "Exif\0\0" (EXIF 2.32,
 * 4.5.2 and 4.6.4 A). */
static int exif_orientation(const unsigned char *t, size_t n) {
  if (n < 8) return 1;
  bool le;
  if (memcmp(t, "II*\0", 4) == 0)
    le = true;
  else if (memcmp(t, "MM\0*", 4) == 0)
    le = false;
  else
    return 1;
  uint32_t ifd = rd32(t + 4, le);
  if (ifd > n - 2) return 1;
  unsigned count = rd16(t + ifd, le);
  for (unsigned i = 0; i < count; i++) {
    size_t e = ifd + 2 + (size_t)i * 12;
    if (e + 12 > n) return 1;
    if (rd16(t + e, le) == 0x0112 && rd16(t + e + 2, le) == 3) {
      unsigned v = rd16(t + e + 8, le);
      return v >= 1 && v <= 8 ? (int)v : 1;
    }
  }
  return 1;
}

int gz_img_jpeg_orientation(const unsigned char *in, size_t len) {
  if (len < 4 || in[0] != 0xFF || in[1] != 0xD8) return 1;
  size_t pos = 2;
  while (pos + 4 <= len && in[pos] == 0xFF) {
    unsigned m = in[pos + 1];
    if (m == 0xDA || m == 0xD9) break;
    size_t seg = ((size_t)in[pos + 2] << 8) | in[pos + 3];
    if (seg < 2 || seg > len - pos - 2) break;
    const unsigned char *p = in + pos + 4;
    if (m == 0xE1 && has_id(p, seg - 2, "Exif\0\0", 6)) return exif_orientation(p + 6, seg - 8);
    pos += 2 + seg;
  }
  return 1;
}
