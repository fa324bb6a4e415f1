/* basemap.h: the Natural Earth basemap drawn under the data: land, lakes,
 * rivers, coastlines and modern country borders, read once from the
 * GeoJSON files scripts/basemap writes to geodata/basemap/. Knows OGR
 * (inside basemap.c) and nothing of drawing. */
#ifndef ATLAS_BASEMAP_H
#define ATLAS_BASEMAP_H

#include <stddef.h>

#include "error.h"

/* The basemap folder atlas uses when none is given. */
#define ATLAS_BASEMAP_DIR "geodata/basemap"

/* The credit every map carries. */
#define ATLAS_BASEMAP_CREDIT "Borders: Natural Earth, modern, for orientation"

/* One layer's geometry: rings (polygons) or lines as parts of one point
 * array, longitudes possibly beyond 180. */
typedef struct atlas_geomset {
    size_t n_pts;
    double *xy; /* lon, lat pairs */
    size_t n_parts;
    size_t *parts;  /* n_parts + 1 start indexes; the last is n_pts */
    int is_polygon; /* parts are rings; fill them together */
} atlas_geomset;

typedef struct atlas_basemap atlas_basemap;

/* The layers, by the style's source names. */
#define ATLAS_BASEMAP_N 5
extern const char *const atlas_basemap_layers[ATLAS_BASEMAP_N]; /* land,
    lakes, rivers, coast, borders */

/* Reads DIR (NULL: ATLAS_BASEMAP_DIR, then the source tree's). Returns a
 * basemap the caller frees with atlas_basemap_free(), or NULL with ERR
 * set. A missing layer file is an empty layer; a missing folder an
 * error. */
atlas_basemap *atlas_basemap_open(const char *dir, atlas_error *err);
void atlas_basemap_free(atlas_basemap *bm);

/* The layer NAME ("land", ...), or NULL when NAME is no basemap layer.
 * Borrowed from BM. */
const atlas_geomset *atlas_basemap_layer(const atlas_basemap *bm,
                                         const char *name);

#endif /* ATLAS_BASEMAP_H */
