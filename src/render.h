/* render.h: draws a map of features with a style to PNG, SVG or PDF.
 * The map has a basemap, the features by layer, labels placed without
 * overlap, a title, a legend, a graticule, a scale bar and the
 * attribution. Knows cairo, pango and PROJ inside; nothing of files other
 * than the basemap and the output, nothing of the store. */
#ifndef ATLAS_RENDER_H
#define ATLAS_RENDER_H

#include <stddef.h>

#include "error.h"
#include "feature.h"
#include "i18n.h"
#include "period.h"
#include "layout.h"
#include "style.h"

typedef enum atlas_format {
    ATLAS_FMT_NONE, /* from the file name */
    ATLAS_FMT_PNG,
    ATLAS_FMT_SVG,
    ATLAS_FMT_PDF
} atlas_format;

/* Everything a render can be told. atlas_render_opts_init() gives the
 * defaults: the whole USSR, A4 landscape, 150 dpi, English, all furniture
 * on. Strings are borrowed for the call. */
typedef struct atlas_render_opts {
    int year_from, year_to; /* for the subtitle (the caller filtered) */
    const char *filter;     /* the kind filter in words, or NULL */
    const char *extent;     /* preset name (atlas_proj_extent), or NULL */
    int has_bbox;
    double bbox[4];   /* west, south, east, north in degrees */
    const char *proj; /* CRS: EPSG code or PROJ string; NULL: the
                       * extent's own */
    atlas_page_spec page;
    const char *lang;  /* "en", "ru", ...: names and title */
    const char *title; /* NULL: "Soviet repression sites" */
    int no_legend, no_graticule, no_scale, no_labels, no_attribution, no_title;
    const char *debug_labels; /* write placed/dropped labels JSON here */
    atlas_format format;
    const char *basemap_dir; /* NULL: geodata/basemap */
    const char *font;        /* furniture font; NULL: "DejaVu Sans" */
    const char *sources;     /* text after "Sources: " in the foot, or
                              * NULL */
    int n_sources;           /* else "Sources: N works cited ..." when
                              * > 0 */
    /* The fixed texts (legend, size key, scale, foot) in the reader's
     * language; NULL: loaded for LANG (English when it has no file). */
    const atlas_i18n *tr;
    /* The size key's largest circle: a series passes its maximum over
     * all years so every page shows the same sample sizes; 0: the
     * largest count drawn. */
    double legend_max;
    /* Map numbers instead of names: numbers[i] (1, 2, ...) is drawn next
     * to feature i of the list, 0 draws none (see
     * atlas_render_number()). NULL: names from the style. */
    const int *numbers;
    /* The legend (and size key) under the frame, outside it, in columns
     * (handouts): the height in CSS px kept for it at the bottom of the
     * area, so the frame is that much shorter; 0: in a corner inside the
     * frame. atlas_render_visible() keeps the same frame. */
    double legend_below;
    /* OUT, or NULL: where the legend went (w 0: none), in the caller's
     * units, so a page maker can set text under it. */
    atlas_box *legend_out;
    /* The smallest text on the map in CSS px (handouts: 7 pt when
     * printed); 0: as the layout sizes it. Map numbers, legend, size
     * key, scale bar and graticule labels grow to it. */
    double min_text;
    const char *subtitle; /* NULL: the years and the kinds */
    /* Per style layer, 1 where its legend entry shows (a series: the
     * entries of all its pages, on every page); NULL: the layers that
     * drew a feature showing in the frame. */
    const unsigned char *legend_layers;
    /* The reference layers of the map's date (borders, places with their
     * names of the year), drawn by the style's "period" and "places"
     * layers; NULL: none. With period borders the modern borders of the
     * basemap are left out unless MODERN_BORDERS. */
    const atlas_period *period;
    int modern_borders;
    /* The foot's words on the borders ("Borders of 1 January 1937: ...");
     * NULL: the basemap's credit. */
    const char *borders_note;
    /* Insets (atlas_proj_inset() presets): NULL draws those the map
     * needs, a cluster of 4 features or more whose box is under a
     * fifteenth of the frame wide; else a comma-separated list of
     * presets drawn where they show. NO_INSETS: none. INSET_NAME is
     * set on an inset's own options (its preset), NULL on a main map. */
    const char *insets;
    int no_insets;
    const char *inset_name;
} atlas_render_opts;

void atlas_render_opts_init(atlas_render_opts *o);

/* What a map's foot or a handout's caption says of the borders of P
 * (drawn from the period's layers) into BUF, in TR's language (NULL:
 * English); the basemap's credit when P has no borders. The hatch is
 * explained when OCCUPIED is 1, or, when it is -1, when P has an
 * occupied area. Returns BUF. */
char *atlas_render_borders_note(const atlas_period *p, const atlas_i18n *tr,
                                int occupied, char *buf, size_t size);

/* The format OUT_PATH's extension names (.png, .svg, .pdf), or
 * ATLAS_FMT_NONE. */
atlas_format atlas_render_format_of(const char *out_path);

/* Draws FEATURES with STYLE as O says into OUT_PATH. The file appears
 * whole or not at all (a temporary file renamed into place); a failure
 * leaves an earlier file of that name intact. Returns ATLAS_OK or fills
 * ERR: ATLAS_E_INPUT for bad options, ATLAS_E_IO for output and library
 * failures. */
atlas_status atlas_render(const atlas_feature_list *features,
                          const atlas_style *style, const atlas_render_opts *o,
                          const char *out_path, atlas_error *err);

/* Which of FEATURES show inside the frame of a map drawn with O into an
 * area of W x H px (as atlas_render_to_cairo() would draw it): a site
 * whose point, a line one of whose points falls in the frame. Sets
 * VISIBLE[i] (features->n entries) to 1 or 0 and *N_VISIBLE to how many
 * show. Page makers list exactly these, and draw only these. Returns
 * ATLAS_OK or fills ERR as atlas_render() would. */
atlas_status atlas_render_visible(const atlas_feature_list *features,
                                  const atlas_style *style,
                                  const atlas_render_opts *o, double w,
                                  double h, unsigned char *visible /* OUT */,
                                  size_t *n_visible /* OUT */,
                                  atlas_error *err);

/* The lon/lat box (west, south, east, north; east may exceed 180) that
 * holds all a map of O's extent (or bbox) can show on any page from
 * wide to tall: the frame's outline, densified and inverse-projected.
 * Query with it, then cull with atlas_render_visible(): the preset's
 * own box is smaller than the frame, and sites near its edges would be
 * missing. Returns ATLAS_OK or fills ERR. */
atlas_status atlas_render_query_bbox(const atlas_render_opts *o,
                                     double out[4] /* OUT */, atlas_error *err);

/* Numbers the sites of FEATURES for a map key: 1, 2, ... in reading order
 * (north to south in bands of 2 degrees, then west to east); lines get 0.
 * NUMBERS has features->n entries. Returns how many were numbered. */
int atlas_render_number(const atlas_feature_list *features, int *numbers);
/* Numbers the features of LAYER alone the same way, FIRST+1, FIRST+2, ...
 * (a line by its first point), leaving the other entries of NUMBERS as
 * they are. Returns the last number given, or -1 when out of memory. */
int atlas_render_number_layer(const atlas_feature_list *features,
                              atlas_layer layer, int first, int *numbers);

#endif /* ATLAS_RENDER_H */
