/* pngout.h: writes a cairo image surface as a PNG, faster than cairo's
 * own writer (libpng at zlib's default level, adaptive filters) and with
 * the same pixels. Knows libpng; nothing of maps. */
#ifndef ATLAS_PNGOUT_H
#define ATLAS_PNGOUT_H

#include <stdio.h>

#include <cairo.h>

/* Writes SURF (an image surface) to FP as a PNG. An opaque ARGB32 or an
 * RGB24 image becomes 8-bit RGB, compressed at zlib level 3 without row
 * filters (a map's flat colours compress better so, and 2-3 times
 * faster); anything else goes through cairo_surface_write_to_png_stream().
 * Same image, same bytes. Returns CAIRO_STATUS_SUCCESS, or the error. */
cairo_status_t atlas_png_write(cairo_surface_t *surf, FILE *fp);

#endif /* ATLAS_PNGOUT_H */
