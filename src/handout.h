/* handout.h: a print-ready, cited handout for a class: page 1 the map
 * (numbered features, legend, scale bar, graticule) with a title and a
 * caption of what it shows and does not show; then a numbered table of
 * the features on the map and the list of the sources they cite. One PDF,
 * A4 or Letter, in the reader's language. Knows pages and text; the map
 * itself is render's, the data comes from the caller. */
#ifndef ATLAS_HANDOUT_H
#define ATLAS_HANDOUT_H

#include "error.h"
#include "feature.h"
#include "i18n.h"
#include "store.h" /* atlas_source_list */
#include "style.h"
#include "period.h"

typedef struct atlas_handout_opts {
    int year_from, year_to;    /* the selection, for title and caption */
    const char *extent;        /* extent preset; NULL: the whole USSR */
    const char *paper;         /* "a4" (default) or "letter" */
    const char *debug_numbers; /* tests: write "N<TAB>id" lines here */
    const char *debug_labels;  /* tests: the map's placed numbers, JSON */
    const char *title;         /* NULL: the region and the years */
    const char *subtitle;      /* a line under the title, or NULL */
    const char *insets;        /* insets of the map (atlas_render_opts) */
    int no_insets;
    const atlas_period *period; /* borders and places of the date, or NULL */
    /* the published total of the camp population of the handout's year
     * (a one-year handout), for the share the caption gives; NULL: none */
    const atlas_total *total;
    /* site id -> its 1 January count of the year (atlas_store_jan1_counts),
     * the counts the share adds up; NULL: none */
    const struct atlas_strmap *jan1;
} atlas_handout_opts;

/* Writes the handout of FEATURES (all of them are drawn and listed: the
 * caller selects) with STYLE, citing from SOURCES, in TR's language, to
 * the PDF PATH. The file appears whole or not at all. Returns ATLAS_OK
 * or fills ERR (ATLAS_E_INPUT for bad options, ATLAS_E_IO for output and
 * library failures). */
atlas_status atlas_handout_write(const atlas_feature_list *features,
                                 const atlas_source_list *sources,
                                 const atlas_style *style, const atlas_i18n *tr,
                                 const atlas_handout_opts *o, const char *path,
                                 atlas_error *err);

/* Numbers FEATURES for the map and the table: sites 1, 2, ... in reading
 * order (render's atlas_render_number()), then lines in the reading order
 * of their first point. NUMBERS has features->n entries. Returns how many
 * were numbered, or -1 when out of memory. */
int atlas_handout_number(const atlas_feature_list *features, int *numbers);

/* The height over width of a map frame that shows EXTENT (a preset name;
 * NULL: the whole USSR) without much else: for page makers sizing a map. */
double atlas_handout_aspect(const char *extent);

#endif /* ATLAS_HANDOUT_H */
