/* store.h: the atlas database. A path or a GDAL connection string goes in,
 * features come out; GeoPackage (via GDAL/OGR) is the embedded default.
 * Nothing of SQLite or OGR shows through this header. */
#ifndef ATLAS_STORE_H
#define ATLAS_STORE_H

#include <stddef.h>

#include "error.h"
#include "feature.h"
#include "period.h"

typedef struct atlas_store atlas_store;

typedef enum atlas_store_mode {
    ATLAS_STORE_READ,  /* must exist */
    ATLAS_STORE_WRITE, /* must exist, opened for update */
    ATLAS_STORE_CREATE /* created with the schema when missing */
} atlas_store_mode;

/* Opens the database CONN (a file path or a GDAL connection string).
 * Returns a store the caller closes with atlas_store_close(); on failure
 * NULL with ERR set ("not a GeoPackage", "no such file", ...). */
atlas_store *atlas_store_open(const char *conn, atlas_store_mode mode,
                              atlas_error *err);
void atlas_store_close(atlas_store *st);

/* What to select. Zero-initialise, then set what you need. */
typedef struct atlas_query {
    int year_from, year_to;   /* active in some year of the range; 0: any */
    const char *const *kinds; /* NULL: every kind */
    size_t n_kinds;
    int has_bbox;
    double bbox[4]; /* west, south, east, north (degrees) */
    int layers;     /* ATLAS_Q_SITES | ATLAS_Q_LINES; 0 means both */
    int attrs_min;  /* 1: only id, kind, names, years, precision, counts */
} atlas_query;

#define ATLAS_Q_SITES 1
#define ATLAS_Q_LINES 2

/* Appends the features matching Q to OUT, sites first, each layer ordered
 * by id. Sites get "prisoners" for the year: the count of year_to when
 * year_from == year_to, else the largest count in the range. */
atlas_status atlas_store_query(atlas_store *st, const atlas_query *q,
                               atlas_feature_list *out, atlas_error *err);

/* Called by atlas_store_query_each() with each feature in turn. FE and
 * its strings are borrowed: valid only during the call. Returns ATLAS_OK
 * to go on; anything else stops the query, which then returns it (with
 * ERR as the callback filled it). */
typedef atlas_status (*atlas_store_each_fn)(void *ctx, const atlas_feature *fe,
                                            atlas_error *err);

/* Calls FN with each feature matching Q, sites and lines together in id
 * order (bytewise; a site before a line of the same id): the order of
 * atlas_store_query() followed by atlas_feature_list_sort(). On a
 * GeoPackage the rows stream from SQLite and memory stays bounded by the
 * largest feature, whatever the number of matches; other drivers (PG:)
 * collect the list first. */
atlas_status atlas_store_query_each(atlas_store *st, const atlas_query *q,
                                    atlas_store_each_fn fn, void *ctx,
                                    atlas_error *err);

typedef struct atlas_source {
    char *id, *citation, *url; /* url may be NULL */
} atlas_source;

typedef struct atlas_source_list {
    atlas_source *items;
    size_t n;
} atlas_source_list;

/* Fills OUT with every source, ordered by id; free with
 * atlas_source_list_free(). */
atlas_status atlas_store_sources(atlas_store *st, atlas_source_list *out,
                                 atlas_error *err);
void atlas_source_list_free(atlas_source_list *list);

/* Sum of prisoners over all sites for each year Y0..Y1 into TOTALS
 * (Y1-Y0+1 entries; -1 where no site has a count that year). Only counts
 * of 1 January go in (as_of empty or YYYY-01-01): a camp split or renamed
 * during a year is counted once, by its 1 January count, never with its
 * successor's later one (docs/data.md). */
atlas_status atlas_store_year_totals(atlas_store *st, int y0, int y1,
                                     long long *totals, atlas_error *err);

struct atlas_strmap;
/* The 1 January counts of YEAR (as_of empty or YYYY-01-01), site id ->
 * prisoners, into OUT (an atlas_strmap of strmap.h, made by the caller):
 * the counts a sum over sites may add up (see atlas_store_year_totals). */
atlas_status atlas_store_jan1_counts(atlas_store *st, int year,
                                     struct atlas_strmap *out,
                                     atlas_error *err);

/* Per-year counts of one site, for tables. */
typedef struct atlas_year_count {
    char *site_id;
    int year;
    long long prisoners;
    char *source; /* may be NULL */
    char *as_of;  /* the day the count refers to, YYYY-MM-DD; NULL: 1
                   * January of YEAR */
    char *note;   /* "annual average", "count in the founding year", ... */
} atlas_year_count;

/* 1 when a site or line with ID is stored (or written in this
 * transaction), 0 when not, -1 with ERR set on failure. */
int atlas_store_has_feature(atlas_store *st, const char *id, atlas_error *err);

/* Writing: one transaction around a whole load. */
atlas_status atlas_store_begin(atlas_store *st, atlas_error *err);
atlas_status atlas_store_commit(atlas_store *st, atlas_error *err);
/* Undoes everything since atlas_store_begin(); never fails visibly. */
void atlas_store_rollback(atlas_store *st);

/* Starts a batch (one input file). Until the next batch, the put
 * functions below refuse to write a key twice: they write nothing and set
 * *DUP. Memory stays bounded whatever the batch holds (GeoPackage: the
 * tables' UNIQUE indexes tell; other drivers keep the keys). */
atlas_status atlas_store_batch(atlas_store *st, atlas_error *err);
atlas_status atlas_store_put_feature(atlas_store *st, const atlas_feature *fe,
                                     int *dup /* OUT */, atlas_error *err);
atlas_status atlas_store_put_year(atlas_store *st, const atlas_year_count *yc,
                                  int *dup /* OUT */, atlas_error *err);
atlas_status atlas_store_put_source(atlas_store *st, const atlas_source *src,
                                    int *dup /* OUT */, atlas_error *err);

/* Empties LAYER ("sites", "lines", "site_years", "sources", "borders",
 * "places", "place_names", "gulag_totals") inside the
 * transaction, for --replace. */
atlas_status atlas_store_clear(atlas_store *st, const char *layer,
                               atlas_error *err);
/* Inserts FE, or replaces the feature with its id. */
atlas_status atlas_store_upsert_feature(atlas_store *st,
                                        const atlas_feature *fe,
                                        atlas_error *err);
atlas_status atlas_store_upsert_year(atlas_store *st,
                                     const atlas_year_count *yc,
                                     atlas_error *err);
atlas_status atlas_store_upsert_source(atlas_store *st, const atlas_source *src,
                                       atlas_error *err);

/* ---- the reference layers: borders, places, published totals ---- */

#define ATLAS_PERIOD_BORDERS 1
#define ATLAS_PERIOD_PLACES 2

/* Fills P (initialised by the caller, freed with atlas_period_free())
 * with what WHAT asks for: the borders in force on DATE (YYYY-MM-DD;
 * NULL: every period), ordered states first, then occupied areas, each by
 * id; the places that exist in YEAR (0: every place), ordered by id, each
 * with its name of YEAR in LANG, else in English (NULL when it has
 * neither). A database without these tables gives none. */
atlas_status atlas_store_period(atlas_store *st, const char *date, int year,
                                const char *lang, int what, atlas_period *p,
                                atlas_error *err);
/* Every name of the place ID into *OUT (N of them, malloc'd, strings in
 * P's arena; free(*OUT)). */
atlas_status atlas_store_place_names(atlas_store *st, const char *id,
                                     atlas_place_name **out, size_t *n,
                                     atlas_period *p, atlas_error *err);
/* The published totals, by year, into *OUT (free(*OUT)). */
atlas_status atlas_store_totals(atlas_store *st, atlas_total **out, size_t *n,
                                atlas_period *p, atlas_error *err);
/* 1 when a place with ID is stored (or written in this transaction). */
int atlas_store_has_place(atlas_store *st, const char *id);
/* Upserts inside the load's transaction (see store_period.c). */
atlas_status atlas_store_put_border(atlas_store *st, const atlas_border *b,
                                    atlas_error *err);
atlas_status atlas_store_put_place(atlas_store *st, const atlas_place *pl,
                                   atlas_error *err);
atlas_status atlas_store_put_place_name(atlas_store *st,
                                        const atlas_place_name *n,
                                        atlas_error *err);
atlas_status atlas_store_put_total(atlas_store *st, const atlas_total *t,
                                   atlas_error *err);

#endif /* ATLAS_STORE_H */
