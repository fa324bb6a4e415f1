/* series.h: a year-by-year atlas: one page (or one file) per year with
 * the same frame, extent and symbol scale on every page, so a reader can
 * flip through the years; optionally a summary page and, on each page, a
 * small chart of the prisoners per year with the page's year marked.
 * Pages are drawn on all cores and come out in year order, the same as
 * with one. Knows pages and threads; the maps are render's, the data the
 * caller's. */
#ifndef ATLAS_SERIES_H
#define ATLAS_SERIES_H

#include <stddef.h>

#include "error.h"
#include "feature.h"
#include "i18n.h"
#include "style.h"
#include "period.h"

typedef struct atlas_series_opts {
    int year_from, year_to;  /* the whole range (chart and title) */
    const char *extent;      /* extent preset; NULL: the whole USSR */
    const char *paper;       /* "a4" (default) or "letter", landscape */
    int summary;             /* a summary page first, and a chart inset on
                              * every page */
    const long long *totals; /* prisoners per year from year_from to
                              * year_to (-1: no count), or NULL */
    const long long *published; /* the published totals of the camp
                                 * population, the same years (-1: none),
                                 * drawn as dots beside the bars; or NULL */
    int jobs;                /* worker threads, at least 1 */
    int progress;            /* draw a progress bar on stderr */
    const char *title;       /* NULL: the region and the years */
    const char *subtitle;    /* a line after the title, or NULL */
} atlas_series_opts;

/* One page of the series: a year and what is active in it. */
typedef struct atlas_series_page {
    int year;
    const atlas_feature_list *features;
    const atlas_period *period; /* borders and places of 1 January, or NULL */
} atlas_series_page;

/* The output OUT names: one multi-page PDF ("atlas.pdf"), or one file a
 * year when it holds "%Y" ("out/%Y.png", ".svg", ".pdf"). Returns 0 for
 * a PDF, 1 for a pattern, -1 when it is neither (ERR set, naming -o). */
int atlas_series_output_kind(const char *out, atlas_error *err);

/* Writes N_PAGES pages of PAGES with STYLE in TR's language to OUT (see
 * atlas_series_output_kind()). Each file appears whole or not at all.
 * Returns ATLAS_OK or fills ERR with the error of the earliest page that
 * failed. */
atlas_status atlas_series_write(const atlas_series_page *pages, size_t n_pages,
                                const atlas_style *style, const atlas_i18n *tr,
                                const atlas_series_opts *o, const char *out,
                                atlas_error *err);

#endif /* ATLAS_SERIES_H */
