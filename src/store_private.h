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

#endif /* ATLAS_STORE_PRIVATE_H */
