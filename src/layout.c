/* layout.c: paper sizes, raster limits and the parts of a map page. */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MM_TO_PX (96.0 / 25.4)

static const struct {
    const char *name;
    double w, h; /* mm, portrait */
} papers[] = {
    {"a4", 210, 297},        {"a3", 297, 420},
    {"a5", 148, 210},        {"letter", 215.9, 279.4},
    {"legal", 215.9, 355.6}, {"tabloid", 279.4, 431.8},
};

int
atlas_layout_parse_wxh(const char *s, const char *suffix, double *w, double *h)
{
    char *end;
    double a = strtod(s, &end);
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    const char *p = end + 1;
    double b = strtod(p, &end);
    if (end == p || !isfinite(a) || !isfinite(b))
        return -1;
    if (*end != '\0' && strcmp(end, suffix) != 0)
        return -1;
    *w = a;
    *h = b;
    return 0;
}

atlas_status
atlas_layout_page(const atlas_page_spec *spec, atlas_page *page,
                  atlas_error *err)
{
    double dpi = spec->dpi;
    double w_mm = 297, h_mm = 210; /* default: A4 landscape */
    double wpx, hpx;

    if (dpi != 0 && (!isfinite(dpi) || dpi < ATLAS_LAYOUT_MIN_DPI ||
                     dpi > ATLAS_LAYOUT_MAX_DPI))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--dpi: %g is out of range (%d..%d)", dpi,
                               ATLAS_LAYOUT_MIN_DPI, ATLAS_LAYOUT_MAX_DPI);
    if (spec->size_w > 0 || spec->size_h > 0) {
        if (spec->size_w < 16 || spec->size_h < 16 ||
            spec->size_w > ATLAS_LAYOUT_MAX_SIDE ||
            spec->size_h > ATLAS_LAYOUT_MAX_SIDE ||
            (double)spec->size_w * spec->size_h > ATLAS_LAYOUT_MAX_PIXELS)
            return atlas_error_set(
                err, ATLAS_E_INPUT,
                "--size: %dx%d: expected 16..%d pixels a side and at most "
                "%.0f megapixels",
                spec->size_w, spec->size_h, ATLAS_LAYOUT_MAX_SIDE,
                ATLAS_LAYOUT_MAX_PIXELS / 1e6);
        if (dpi == 0)
            dpi = 96;
        page->dpi = dpi;
        page->w_px = spec->size_w;
        page->h_px = spec->size_h;
        page->w = spec->size_w * 96.0 / dpi;
        page->h = spec->size_h * 96.0 / dpi;
        return ATLAS_OK;
    }
    if (spec->paper != NULL) {
        size_t i, n = sizeof papers / sizeof papers[0];
        for (i = 0; i < n; i++)
            if (strcasecmp(spec->paper, papers[i].name) == 0)
                break;
        if (i < n) {
            w_mm = papers[i].w;
            h_mm = papers[i].h;
        } else if (atlas_layout_parse_wxh(spec->paper, "mm", &w_mm, &h_mm) !=
                   0) {
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "--paper: \"%.40s\": expected a4, a3, "
                                   "a5, letter, legal, tabloid or WxHmm",
                                   spec->paper);
        }
        if (w_mm < 20 || h_mm < 20 || w_mm > 5000 || h_mm > 5000)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "--paper: \"%.40s\": expected 20..5000 "
                                   "mm a side",
                                   spec->paper);
        if (spec->landscape != (w_mm > h_mm)) {
            double t = w_mm;
            w_mm = h_mm;
            h_mm = t;
        }
    }
    if (dpi == 0)
        dpi = 150;
    wpx = ceil(w_mm / 25.4 * dpi - 1e-6);
    hpx = ceil(h_mm / 25.4 * dpi - 1e-6);
    if (wpx > ATLAS_LAYOUT_MAX_SIDE || hpx > ATLAS_LAYOUT_MAX_SIDE ||
        wpx * hpx > ATLAS_LAYOUT_MAX_PIXELS)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--dpi: %g makes a %.0fx%.0f pixel image "
                               "(at most %d a side and %.0f megapixels)",
                               dpi, wpx, hpx, ATLAS_LAYOUT_MAX_SIDE,
                               ATLAS_LAYOUT_MAX_PIXELS / 1e6);
    page->dpi = dpi;
    page->w = w_mm * MM_TO_PX;
    page->h = h_mm * MM_TO_PX;
    page->w_px = (int)wpx;
    page->h_px = (int)hpx;
    return ATLAS_OK;
}

double
atlas_layout_unit(const atlas_box *area)
{
    /* About 11px on A4, never below 7px (the smallest legible size). */
    double u = fmin(area->w, area->h) / 70;
    return fmax(7, fmin(u, 16));
}

void
atlas_layout_map(const atlas_box *area, int has_title, int has_foot,
                 atlas_map_layout *out)
{
    double u = atlas_layout_unit(area);
    double m = fmax(4, fmin(area->w, area->h) * 0.025); /* margin */
    double title_h = has_title ? u * 3.4 : 0;
    double foot_h = has_foot ? u * 1.6 : 0;

    out->unit = u;
    out->title =
        (atlas_box){area->x + m, area->y + m, area->w - 2 * m, title_h};
    out->frame =
        (atlas_box){area->x + m, area->y + m + title_h, area->w - 2 * m,
                    area->h - 2 * m - title_h - foot_h};
    out->foot = (atlas_box){area->x + m, out->frame.y + out->frame.h,
                            area->w - 2 * m, foot_h};
}
