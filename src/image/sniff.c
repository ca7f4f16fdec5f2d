/*
 * sniff.c - what an image is, from its first bytes alone. Names and
 * Content-Type headers lie (a hostile or careless producer labels anything
 * image/jpeg), the bytes do not.
 *
 * Signatures: JPEG SOI + marker (ITU T.81 B.1.1.3), the PNG signature
 * (PNG spec 5.2), "GIF87a"/"GIF89a" (GIF89a spec 17), RIFF....WEBP
 * (RFC 9649 2.5), SVG: an XML document whose root element is <svg>.
 */
#include <string.h>

#include "image/image.h"

static bool starts(const unsigned char *b, size_t len, size_t at, const char *s) {
  size_t n = strlen(s);
  return at <= len && len - at >= n && memcmp(b + at, s, n) == 0;
}

static size_t skip_space(const unsigned char *b, size_t len, size_t i) {
  while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
  return i;
}

/* The index just past `end` from i, or len when it never comes. */
static size_t skip_past(const unsigned char *b, size_t len, size_t i, const char *end) {
  size_t n = strlen(end);
  for (; i + n <= len; i++)
    if (memcmp(b + i, end, n) == 0) return i + n;
  return len;
}

/* An XML prolog (declaration, comments, processing instructions, a
 * DOCTYPE with or without an internal subset) and then <svg. */
static bool is_svg(const unsigned char *b, size_t len) {
  size_t i = 0;
  if (starts(b, len, 0, "\xEF\xBB\xBF")) i = 3;
  for (;;) {
    i = skip_space(b, len, i);
    if (i >= len) return false;
    if (starts(b, len, i, "<?")) {
      i = skip_past(b, len, i + 2, "?>");
    } else if (starts(b, len, i, "<!--")) {
      i = skip_past(b, len, i + 4, "-->");
    } else if (starts(b, len, i, "<!DOCTYPE") || starts(b, len, i, "<!doctype")) {
      size_t j = i + 9;
      while (j < len && b[j] != '>' && b[j] != '[') j++;
      if (j < len && b[j] == '[') j = skip_past(b, len, j, "]");
      i = skip_past(b, len, j, ">");
    } else {
      break;
    }
  }
  if (!starts(b, len, i, "<svg")) return false;
  i += 4;
  return i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n' || b[i] == '>' ||
                     b[i] == '/');
}

gz_img_type gz_img_sniff(const unsigned char *b, size_t len) {
  if (!b) return GZ_IMG_UNKNOWN;
  if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return GZ_IMG_JPEG;
  if (starts(b, len, 0, "\x89PNG\r\n\x1a\n")) return GZ_IMG_PNG;
  if (starts(b, len, 0, "GIF87a") || starts(b, len, 0, "GIF89a")) return GZ_IMG_GIF;
  if (starts(b, len, 0, "RIFF") && starts(b, len, 8, "WEBP")) return GZ_IMG_WEBP;
  if (is_svg(b, len)) return GZ_IMG_SVG;
  return GZ_IMG_UNKNOWN;
}

const char *gz_img_type_name(gz_img_type t) {
  switch (t) {
    case GZ_IMG_JPEG:
      return "JPEG";
    case GZ_IMG_PNG:
      return "PNG";
    case GZ_IMG_GIF:
      return "GIF";
    case GZ_IMG_WEBP:
      return "WebP";
    case GZ_IMG_SVG:
      return "SVG";
    default:
      return "unknown";
  }
}
