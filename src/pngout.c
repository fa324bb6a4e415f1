/* pngout.c: a PNG writer for opaque map images (see pngout.h): IHDR, one
 * IDAT stream deflated row by row, IEND, CRCs from zlib. */
#include "pngout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

static void
put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Writes a chunk of TYPE with N bytes of DATA; 0 on success. */
static int
chunk(FILE *fp, const char *type, const unsigned char *data, size_t n)
{
    unsigned char b[8];
    uLong crc = crc32(0, (const Bytef *)type, 4);

    put_be32(b, (uint32_t)n);
    memcpy(b + 4, type, 4);
    if (fwrite(b, 1, 8, fp) != 8 || (n > 0 && fwrite(data, 1, n, fp) != n))
        return -1;
    if (n > 0)
        crc = crc32(crc, data, (uInt)n);
    put_be32(b, (uint32_t)crc);
    return fwrite(b, 1, 4, fp) == 4 ? 0 : -1;
}

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
        const uint32_t *p = (const uint32_t *)(const void *)(px + (size_t)y *
                                                                      stride);
        for (int x = 0; x < w; x++)
            if ((p[x] >> 24) != 0xff)
                return 0;
    }
    return 1;
}

cairo_status_t
atlas_png_write(cairo_surface_t *surf, FILE *fp)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G',
                                         '\r', '\n', 0x1a, '\n'};
    cairo_format_t fmt;
    unsigned char *px, *row = NULL, *out = NULL, ihdr[13];
    int w, h, stride, ok = 0;
    size_t out_cap = 1 << 16;
    z_stream zs;

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

    memset(&zs, 0, sizeof zs);
    row = malloc(3 * (size_t)w + 1);
    out = malloc(out_cap);
    if (row == NULL || out == NULL ||
        deflateInit2(&zs, 3, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(row);
        free(out);
        return CAIRO_STATUS_NO_MEMORY;
    }
    put_be32(ihdr, (uint32_t)w);
    put_be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bits per channel */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (each row says "none") */
    ihdr[12] = 0; /* not interlaced */
    if (fwrite(sig, 1, 8, fp) != 8 || chunk(fp, "IHDR", ihdr, 13) != 0)
        goto done;
    /* Rows go in one at a time; IDAT chunks come out as the buffer fills,
     * so memory stays a row and a buffer. */
    for (int y = 0; y <= h; y++) {
        int flush = y == h ? Z_FINISH : Z_NO_FLUSH;
        if (y < h) {
            const uint32_t *p =
                (const uint32_t *)(const void *)(px + (size_t)y * stride);
            row[0] = 0; /* filter: none */
            for (int x = 0; x < w; x++) {
                row[1 + 3 * x] = (unsigned char)(p[x] >> 16);
                row[2 + 3 * x] = (unsigned char)(p[x] >> 8);
                row[3 + 3 * x] = (unsigned char)p[x];
            }
            zs.next_in = row;
            zs.avail_in = (uInt)(3 * (size_t)w + 1);
        }
        int zr;
        do {
            zs.next_out = out;
            zs.avail_out = (uInt)out_cap;
            zr = deflate(&zs, flush);
            if (zr == Z_STREAM_ERROR)
                goto done;
            size_t n = out_cap - zs.avail_out;
            if (n > 0 && chunk(fp, "IDAT", out, n) != 0)
                goto done;
        } while (zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
    }
    ok = chunk(fp, "IEND", NULL, 0) == 0;

done:
    deflateEnd(&zs);
    free(row);
    free(out);
    return ok ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}
