/* store_private.h: what store.c shares with store_gpkg.c, the GeoPackage
 * write path that talks to SQLite directly. GDAL still creates the schema
 * and owns the connection; this path only borrows its handle. */
#ifndef ATLAS_STORE_PRIVATE_H
#define ATLAS_STORE_PRIVATE_H

#include "error.h"
#include "feature.h"
#include "store.h"

typedef struct store_gpkg store_gpkg;

/* Borrows DB (GDAL's sqlite3 handle of the GeoPackage at PATH). Returns
 * the write path, freed with store_gpkg_free() before GDAL closes DB; on
 * failure NULL with ERR set. */
store_gpkg *store_gpkg_new(void *db, const char *path, atlas_error *err);
void store_gpkg_free(store_gpkg *g);

/* Inside a transaction GDAL began: */
atlas_status store_gpkg_batch(store_gpkg *g, atlas_error *err);
atlas_status store_gpkg_put_feature(store_gpkg *g, const atlas_feature *fe,
                                    int *dup, atlas_error *err);
atlas_status store_gpkg_put_year(store_gpkg *g, const atlas_year_count *yc,
                                 int *dup, atlas_error *err);
atlas_status store_gpkg_put_source(store_gpkg *g, const atlas_source *src,
                                   int *dup, atlas_error *err);
int store_gpkg_has_feature(store_gpkg *g, const char *id, atlas_error *err);
atlas_status store_gpkg_clear(store_gpkg *g, const char *table,
                              atlas_error *err);
/* Rebuilds what bulk loading put off (indexes, R-trees, triggers, counts,
 * extents); call before the commit. */
atlas_status store_gpkg_finish(store_gpkg *g, atlas_error *err);
/* Forgets the transaction's state, after a commit or a rollback. */
void store_gpkg_reset(store_gpkg *g);

/* Reading, on any GeoPackage handle DB (read-only too): runs SQL[0]
 * (sites) and SQL[1] (lines), either NULL when not wanted, each selecting
 * geom, the schema's fields in order and the year's count (or NULL), and
 * ordered by id. With MERGE, calls FN with the rows of both in id order,
 * else all sites, then all lines. With BBOX, skips features with no
 * point inside it (the R-tree holds envelopes). PATH names the database
 * in messages. */
atlas_status store_gpkg_each(void *db, const char *path,
                             const char *const sql[2], int merge,
                             const double *bbox, atlas_store_each_fn fn,
                             void *ctx, atlas_error *err);

/* 1 when some point of FE lies inside B (west, south, east, north). */
int store_in_bbox(const atlas_feature *fe, const double b[4]);

/* Why FE, as read from a database, cannot be used (text not valid UTF-8,
 * no geometry, a site that is not one point, a line part of fewer than 2
 * points, a coordinate not finite or out of range: what the loader
 * refuses), or NULL. */
const char *store_feature_check(const atlas_feature *fe);
/* Tells stderr that FE of the database PATH is skipped, and WHY: the one
 * place the read path speaks, since a map without one bad row is better
 * than no map ("atlas: warning: PATH: feature ID: WHY"). */
void store_warn_skip(const char *path, const atlas_feature *fe,
                     const char *why);

/* The reference layers (store_period.c), on DATASET (a GDALDatasetH)
 * whose name in messages is PATH. */
/* Creates whichever of borders, places, place_names and gulag_totals is
 * missing (with their indexes on a GeoPackage). */
atlas_status store_period_ensure(void *dataset, const char *path, int is_gpkg,
                                 atlas_error *err);
/* 1 when NAME is one of those tables. */
int store_period_layer(const char *name);
/* Upserts: borders and places by id, names by place, language and first
 * year, totals by year. */
atlas_status store_period_put_border(void *dataset, const char *path,
                                     const atlas_border *b, atlas_error *err);
atlas_status store_period_put_place(void *dataset, const char *path,
                                    const atlas_place *pl, atlas_error *err);
atlas_status store_period_put_name(void *dataset, const char *path,
                                   const atlas_place_name *n,
                                   atlas_error *err);
atlas_status store_period_put_total(void *dataset, const char *path,
                                    const atlas_total *t, atlas_error *err);
int store_period_has_place(void *dataset, const char *id);
/* See atlas_store_period() and the functions after it in store.h. */
atlas_status store_period_read(void *dataset, const char *path,
                               const char *date, int year, const char *lang,
                               int what, atlas_period *p, atlas_error *err);
atlas_status store_period_names(void *dataset, const char *place_id,
                                atlas_place_name **out, size_t *n,
                                atlas_period *p, atlas_error *err);
atlas_status store_period_totals(void *dataset, atlas_total **out, size_t *n,
                                 atlas_period *p, atlas_error *err);

#endif /* ATLAS_STORE_PRIVATE_H */
