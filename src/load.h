/* load.h: reads CSV, GeoJSON, GeoPackage and Shapefile input into the
 * store, checking every row, all inside one transaction: either every row
 * of every file goes in, or the database is as it was. */
#ifndef ATLAS_LOAD_H
#define ATLAS_LOAD_H

#include <stddef.h>

#include "error.h"
#include "store.h"

typedef struct atlas_load_opts {
    int allow_years;        /* accept years outside 1917-1991 */
    int replace;            /* empty each table a file loads into, first */
    const char *const *map; /* "src=dst" column renames, n_map of them */
    size_t n_map;
} atlas_load_opts;

typedef struct atlas_load_stats {
    size_t n_files, n_sites, n_lines, n_years, n_sources;
    size_t n_borders, n_places, n_names, n_totals; /* reference layers */
    char ignored[256]; /* columns no field took, "file: a, b; ..." */
} atlas_load_stats;

/* Loads PATHS (files, or folders whose *.csv, *.geojson, *.json, *.gpkg
 * and *.shp are taken, bibliography first and per-year counts last) into
 * ST. On failure ERR names "FILE:LINE: what is wrong" (or "FILE: feature
 * N: ...") and ST is unchanged. STATS may be NULL. */
atlas_status atlas_load_paths(atlas_store *st, const char *const *paths,
                              size_t n_paths, const atlas_load_opts *opts,
                              atlas_load_stats *stats, atlas_error *err);

#endif /* ATLAS_LOAD_H */
