/* load_private.h: what the readers (load_csv.c, load_ogr.c, load_shp.c)
 * share with load.c. A reader turns its file into records of named text
 * values (plus a geometry, where the format has one) and hands each to
 * load_record(), which checks it and writes it. */
#ifndef ATLAS_LOAD_PRIVATE_H
#define ATLAS_LOAD_PRIVATE_H

#include "feature.h"
#include "load.h"
#include "strmap.h"

typedef enum load_target {
    LOAD_FEATURES,
    LOAD_YEARS,
    LOAD_SOURCES,
    LOAD_PLACES,      /* places.csv: a rank column, lon and lat */
    LOAD_PLACE_NAMES, /* place_id, lang, name */
    LOAD_TOTALS,      /* year, prisoners, counts: published totals */
    LOAD_BORDERS,     /* polygons */
    LOAD_N_TARGETS
} load_target;

/* Columns that are not feature fields but carry geometry. */
enum {
    COL_IGNORED = -1,
    COL_LON = -2,
    COL_LAT = -3,
    COL_WKT = -4,
    COL_SITE_ID = -5,
    COL_YEAR = -6,
    COL_PRISONERS = -7,
    COL_SOURCE = -8,
    COL_CITATION = -9,
    COL_URL = -10,
    COL_AS_OF = -11,
    COL_NOTE = -12
};

typedef struct load_ctx {
    atlas_store *st;
    const atlas_load_opts *opts;
    atlas_load_stats *stats;
    const char *file;
    load_target target;
    int *cols; /* per input column: a field (>= 0) or a COL_ value */
    int n_cols;
    int shp_names;          /* also take DBF short names */
    int format;             /* 0 csv, 1 ogr, 2 shp */
    const char *find_key;   /* set: only look for this key (see load.c) */
    long found;             /* where find_key was first seen */
    atlas_feature_list row; /* reused for each record */
    char **names;           /* the header, for the reference layers */
    void *acc;              /* load_period.c's end-of-file checks */
    /* load.c: the ids of sites [0] and lines [1], stored or loaded, each
     * to where it was loaded ((file + 1) << 32 | line; 0: stored before);
     * FILES the paths by number; CLEARED the tables --replace emptied */
    atlas_strmap *ids[2];
    const char **files;
    size_t file_no;
    int cleared[2];
    char *pending[2]; /* the first site [0] or line [1] with the id of a
                       * stored feature of the other table: an error at
                       * the end unless --replace empties that table */
} load_ctx;

/* A geometry handed over by a reader; n_pts 0 means "take lon/lat or wkt
 * from the columns". is_line tells a one-vertex line from a point. */
typedef struct load_geom {
    const double *xy;
    size_t n_pts;
    const size_t *parts;
    size_t n_parts;
    int is_line;
    void *ogr; /* borders: the OGRGeometryH, borrowed */
} load_geom;

/* Maps the header NAMES onto fields for CTX (sets cols, n_cols, target).
 * WHERE prefixes messages. */
atlas_status load_map_columns(load_ctx *ctx, const char *const *names, int n,
                              int has_geom, atlas_error *err);
/* Checks one record and writes it. WHERE is "FILE:LINE" or
 * "FILE: feature N"; LINE orders duplicate reports. */
atlas_status load_record(load_ctx *ctx, const char *where, long line,
                         const char *const *vals, int n, const load_geom *geom,
                         atlas_error *err);
/* The GeoJSON name of G's type ("MultiPoint", "Polygon"), for messages.
 * G is an OGRGeometryH; void here to keep GDAL out of this header. */
const char *load_geom_name(void *g);
/* S as a whole number ("1937", or "1937.0" as GeoJSON gives it) into
 * *OUT; else ATLAS_E_INPUT "WHERE: COL: "S" is not a whole number". */
atlas_status load_parse_int(const char *where, const char *col, const char *s,
                            long long *out, atlas_error *err);
/* S as a finite number within LO..HI into *OUT; else ATLAS_E_INPUT
 * "WHERE: COL: "S" is not a number" or "... is out of range (LO..HI)". */
atlas_status load_parse_real(const char *where, const char *col,
                             const char *s, double lo, double hi, double *out,
                             atlas_error *err);
/* 1 when S is valid UTF-8 without NUL bytes. */
int load_utf8_ok(const char *s, size_t len);

/* The reference layers (load_period.c): one record of CTX's target, and
 * the checks at the end of a file (call it once per file, also after an
 * error, to free what the checks kept). */
atlas_status load_period_record(load_ctx *ctx, const char *where, long line,
                                const char *const *vals, const load_geom *geom,
                                atlas_error *err);
atlas_status load_period_finish(load_ctx *ctx, atlas_error *err);
/* 1 when the first layer of the GeoJSON or GeoPackage PATH holds
 * polygons (a borders file). */
int load_ogr_is_borders(const char *path);

/* The readers. Each calls load_map_columns() once, then load_record()
 * for every record. */
atlas_status load_csv(load_ctx *ctx, atlas_error *err);
atlas_status load_ogr(load_ctx *ctx, atlas_error *err);
atlas_status load_shp(load_ctx *ctx, atlas_error *err);
/* Reads the header of the CSV file PATH to tell what it holds. */
atlas_status load_csv_target(const char *path, load_target *out,
                             atlas_error *err);

#endif /* ATLAS_LOAD_PRIVATE_H */
