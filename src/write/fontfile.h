/*
 * fontfile.h - the one place a writer asks fontconfig for a font's file:
 * the PDF's faces for each role (pdf/fonts.c) and the faces the EPUB's
 * cover is drawn with (epub/cover.c).
 */
#ifndef GZ_WRITE_FONTFILE_H
#define GZ_WRITE_FONTFILE_H

#include <fontconfig/fontconfig.h>

#include "util/util.h"

/* Whether a font fontconfig offers will do: its pattern, its file and
 * the index of its face in that file. */
typedef bool (*gz_font_accept)(FcPattern *font, const char *file, int index);

/* The file of a font for the fontconfig `pattern` ("DejaVu Sans:bold"),
 * copied with `al` (NULL: the C library's) for the caller to free, and
 * the index of its face in *index when index is not NULL. Without
 * `accept`, fontconfig's best match; with it, the first font in
 * fontconfig's order of preference that `accept` takes. NULL when there
 * is none, or when the copy could not be made: then *oom is set (when
 * oom is not NULL). */
char *gz_font_file(const char *pattern, gz_font_accept accept, const gz_allocator *al, int *index,
                   bool *oom);

#endif /* GZ_WRITE_FONTFILE_H */
