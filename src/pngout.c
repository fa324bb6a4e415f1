/* pngout.c: a PNG writer for opaque map images (see pngout.h), through
 * libpng with settings that suit maps: 8-bit RGB, no row filters, zlib
 * level 3. cairo's own writer uses libpng too, but at zlib's default
 * level with adaptive filters, which took a fifth of a whole render. */
#include "pngout.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

static cairo_status_t
to_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

/* 1 when every pixel of the ARGB32 image is opaque. */
static int
is_opaque(const unsigned char *px, int w, int h, int stride)
{
    for (int y = 0; y < h; y++) {
        const uint32_t *p =
            (const uint32_t *)(const void *)(px + (size_t)y * stride);
        for (int x = 0; x < w; x++)
            if ((p[x] >> 24) != 0xff)
                return 0;
    }
    return 1;
}

/* libpng reports errors by longjmp; warnings are of no use to a user. */
static void
png_quiet(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

cairo_status_t
atlas_png_write(cairo_surface_t *surf, FILE *fp)
{
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *volatile row = NULL;
    cairo_format_t fmt;
    unsigned char *px;
    int w, h, stride;
    volatile cairo_status_t status = CAIRO_STATUS_WRITE_ERROR; /* set after setjmp */

    cairo_surface_flush(surf);
    if (cairo_surface_get_type(surf) != CAIRO_SURFACE_TYPE_IMAGE)
        return cairo_surface_write_to_png_stream(surf, to_file, fp);
    fmt = cairo_image_surface_get_format(surf);
    px = cairo_image_surface_get_data(surf);
    w = cairo_image_surface_get_width(surf);
    h = cairo_image_surface_get_height(surf);
    stride = cairo_image_surface_get_stride(surf);
    if (px == NULL || w <= 0 || h <= 0 ||
        !(fmt == CAIRO_FORMAT_RGB24 ||
          (fmt == CAIRO_FORMAT_ARGB32 && is_opaque(px, w, h, stride))))
        return cairo_surface_write_to_png_stream(surf, to_file, fp);

    row = malloc(3 * (size_t)w);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet,
                                  png_quiet);
    if (png != NULL)
        info = png_create_info_struct(png);
    if (row == NULL || png == NULL || info == NULL) {
        status = CAIRO_STATUS_NO_MEMORY;
        goto cleanup;
    }
    if (setjmp(png_jmpbuf(png)))
        goto cleanup; /* a write error: status stays WRITE_ERROR */
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* a map's flat colours compress as well without filters, 2-3 times
     * faster */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *p =
            (const uint32_t *)(const void *)(px + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            row[3 * x] = (unsigned char)(p[x] >> 16);
            row[3 * x + 1] = (unsigned char)(p[x] >> 8);
            row[3 * x + 2] = (unsigned char)p[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    status = CAIRO_STATUS_SUCCESS;

cleanup:
    if (png != NULL)
        png_destroy_write_struct(&png, info != NULL ? &info : NULL);
    free(row);
    return status;
}
