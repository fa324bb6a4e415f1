/* layout.h: pages and where a map's parts go on them. Paper sizes, DPI,
 * raster size limits, margins, the frame, the title band and the foot
 * line. Units are CSS pixels (1/96 inch), the units of style values, so
 * a 2px line is 2px on a 96 dpi PNG and 1.5pt in a PDF. Knows no
 * drawing library. */
#ifndef ATLAS_LAYOUT_H
#define ATLAS_LAYOUT_H

#include "error.h"

/* Raster limits: checked before any allocation. */
#define ATLAS_LAYOUT_MAX_SIDE 30000
#define ATLAS_LAYOUT_MAX_PIXELS 150000000.0 /* 600 MB of RGBA */
#define ATLAS_LAYOUT_MIN_DPI 10
#define ATLAS_LAYOUT_MAX_DPI 2400

typedef struct atlas_box {
    double x, y, w, h;
} atlas_box;

typedef struct atlas_page {
    double w, h;    /* page in CSS px */
    double dpi;     /* raster pixels per inch */
    int w_px, h_px; /* raster size */
} atlas_page;

/* What the page is made from: a paper (name or "WxHmm"), a raster size
 * or the default (A4 landscape). Zero-initialise, then set. */
typedef struct atlas_page_spec {
    const char *paper;  /* "a4", "a3", "letter", "WxHmm", or NULL */
    int landscape;      /* turn the paper */
    int size_w, size_h; /* raster size in px (0: from the paper) */
    double dpi;         /* 0: 150 for paper, 96 for a raster size */
} atlas_page_spec;

/* Fills PAGE from SPEC. Fails with ATLAS_E_INPUT naming the option
 * ("--paper", "--size", "--dpi") for unknown papers, bad numbers and
 * rasters beyond the limits. */
atlas_status atlas_layout_page(const atlas_page_spec *spec, atlas_page *page,
                               atlas_error *err);

/* Parses "WxH" followed by SUFFIX ("px", "mm"; the suffix is optional)
 * into W and H; 0 on success, -1 when S is not of that form. */
int atlas_layout_parse_wxh(const char *s, const char *suffix, double *w,
                           double *h);

/* Where a map's parts go inside AREA. UNIT is the furniture's base text
 * size (atlas_layout_unit()). */
typedef struct atlas_map_layout {
    atlas_box title; /* title band above the frame (h 0 without title) */
    atlas_box frame; /* the map itself */
    atlas_box foot;  /* attribution line below the frame (h 0 without) */
    double unit;     /* base text size in CSS px */
} atlas_map_layout;

/* The base text size for furniture on a map of AREA's size. */
double atlas_layout_unit(const atlas_box *area);
void atlas_layout_map(const atlas_box *area, int has_title, int has_foot,
                      atlas_map_layout *out);

#endif /* ATLAS_LAYOUT_H */
