/* export.h: writes feature lists as GeoJSON (RFC 7946), GeoJSON text
 * sequences (RFC 8142), CSV and Shapefile (libshp). Field names and order
 * are those of docs/schema.md, so a diff of two exports shows only real
 * changes. */
#ifndef ATLAS_EXPORT_H
#define ATLAS_EXPORT_H

#include <stdio.h>

#include "error.h"
#include "feature.h"
#include "period.h"

typedef enum atlas_export_format {
    ATLAS_EXPORT_GEOJSON,
    ATLAS_EXPORT_GEOJSONSEQ,
    ATLAS_EXPORT_CSV,
    ATLAS_EXPORT_SHP
} atlas_export_format;

typedef struct atlas_export_opts {
    atlas_export_format format;
    int with_prisoners; /* add "prisoners" (the count of the queried year) */
} atlas_export_opts;

/* The format named NAME ("geojson", "geojsonseq", "csv", "shp"); -1 if
 * none. */
int atlas_export_format_from_name(const char *name);

/* Writes FL, in the order given, to PATH ("-" is standard output; for
 * Shapefiles a folder that gets sites.shp and lines.shp). The output
 * appears whole or not at all. */
atlas_status atlas_export_write(const atlas_feature_list *fl,
                                const atlas_export_opts *opts, const char *path,
                                atlas_error *err);

/* An export written feature by feature, for GeoJSON, GeoJSON sequences
 * and CSV (a Shapefile needs every feature first: atlas_export_write()).
 * Like atlas_export_write(), the output appears whole or not at all. */
typedef struct atlas_export_stream atlas_export_stream;

/* Opens PATH ("-": standard output) for O's format, which is not SHP.
 * Returns the stream, finished with atlas_export_close(); on failure NULL
 * with ERR set. */
atlas_export_stream *atlas_export_open(const atlas_export_opts *o,
                                       const char *path, atlas_error *err);
/* Writes FE (borrowed, not kept). */
atlas_status atlas_export_put(atlas_export_stream *xs, const atlas_feature *fe,
                              atlas_error *err);
/* With ERR clear, ends the output and puts the file in place; otherwise
 * drops it. Frees XS either way (NULL: nothing). */
atlas_status atlas_export_close(atlas_export_stream *xs, atlas_error *err);

/* The reference layers as GeoJSON (or GeoJSON sequences): P's borders
 * (LAYER "borders", with every property of docs/schema.md and "name", in
 * LANG with fallback to English) or its places
 * (LAYER "places": the place's fields, "name" for P's year and language,
 * and "names", every name with its years, from NAMES[i] for place i). */
atlas_status atlas_export_period(const atlas_period *p, const char *layer,
                                 const char *lang,
                                 const atlas_place_name *const *names,
                                 const size_t *n_names,
                                 atlas_export_format format, const char *path,
                                 atlas_error *err);

/* Writes S to FP as a JSON string literal (quotes, escapes). */
void atlas_export_json_string(FILE *fp, const char *s);

#endif /* ATLAS_EXPORT_H */
