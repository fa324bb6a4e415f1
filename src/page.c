/* page.c: paper, text and PDF surfaces for the page makers (handout.c,
 * series.c). Draws no map: that is render's, legend texts and all. */
#include "page.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MM (96 / 25.4)

atlas_status
atlas_page_paper(const char *paper, int landscape, double *w, double *h,
                 atlas_error *err)
{
    double pw, ph;

    if (paper == NULL || strcasecmp(paper, "a4") == 0) {
        pw = 210 * MM;
        ph = 297 * MM;
    } else if (strcasecmp(paper, "letter") == 0) {
        pw = 8.5 * 96;
        ph = 11 * 96;
    } else {
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--paper: \"%.40s\": expected a4 or letter",
                               paper);
    }
    *w = landscape ? ph : pw;
    *h = landscape ? pw : ph;
    return ATLAS_OK;
}

double
atlas_page_text(cairo_t *cr, PangoLayout *pl, const char *text, double x,
                double y, double w, double size, int flags, int draw)
{
    PangoFontDescription *fd = pango_font_description_new();
    int pw, ph;

    pango_font_description_set_family(fd, ATLAS_PAGE_FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (flags & ATLAS_TEXT_BOLD)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (flags & ATLAS_TEXT_ITALIC)
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_attributes(pl, NULL);
    /* set_text: data text is never pango markup ("<" stays "<") */
    pango_layout_set_text(pl, text, -1);
    pango_layout_set_width(pl, w > 0 ? (int)(w * PANGO_SCALE) : -1);
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(
        pl, (flags & ATLAS_TEXT_RIGHT)    ? PANGO_ALIGN_RIGHT
            : (flags & ATLAS_TEXT_CENTER) ? PANGO_ALIGN_CENTER
                                          : PANGO_ALIGN_LEFT);
    pango_layout_get_size(pl, &pw, &ph);
    if (draw) {
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, pl);
    }
    return (double)ph / PANGO_SCALE;
}

void
atlas_page_pdf_date(char *buf, size_t size)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = 946684800; /* 2000-01-01: no clock in the file */
    struct tm tm;

    if (sde != NULL && *sde != '\0') {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0)
            t = (time_t)v;
    }
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

cairo_status_t
atlas_page_write(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *fp = closure;
    return fwrite(data, 1, len, fp) == len ? CAIRO_STATUS_SUCCESS
                                           : CAIRO_STATUS_WRITE_ERROR;
}

cairo_surface_t *
atlas_page_pdf_create(FILE *fp, double w, double h, const char *title)
{
    char date[32];
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        atlas_page_write, fp, w * 0.75, h * 0.75);

    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        return s;
    atlas_page_pdf_date(date, sizeof date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                   "atlas " ATLAS_VERSION);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    return s;
}

atlas_status
atlas_page_finish(cairo_surface_t *surf, const char *path, atlas_error *err)
{
    cairo_surface_finish(surf);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return atlas_error_set(
            err, ATLAS_E_IO, "%s: cannot write: %s", path,
            cairo_status_to_string(cairo_surface_status(surf)));
    return ATLAS_OK;
}

const char *
atlas_page_style_path(const char *rel)
{
#ifdef ATLAS_SOURCE_DIR
    static char buf[4096];
    if (access(rel, R_OK) != 0) {
        snprintf(buf, sizeof buf, "%s/%s", ATLAS_SOURCE_DIR, rel);
        if (access(buf, R_OK) == 0)
            return buf;
    }
#endif
    return rel;
}
