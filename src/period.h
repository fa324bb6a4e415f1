/* period.h: the world of a date, as the reference layers give it: the
 * borders of the states (and the areas under occupation) in force that
 * day, the reference places with the names they had that year, and the
 * published totals of the camp population. Data model only: nothing of
 * files, databases or drawing. */
#ifndef ATLAS_PERIOD_H
#define ATLAS_PERIOD_H

#include <stddef.h>

#include "feature.h"

/* The fields of a border period (docs/schema.md, "borders"). */
typedef enum atlas_border_field {
    ATLAS_B_ID,
    ATLAS_B_STATE,
    ATLAS_B_KIND, /* "state" or "occupied" */
    ATLAS_B_NAME_EN,
    ATLAS_B_NAME_RU,
    ATLAS_B_NAME_UK,
    ATLAS_B_NAME_PL,
    ATLAS_B_NAME_LOCAL,
    ATLAS_B_LOCAL_LANG,
    ATLAS_B_DATE_START, /* YYYY-MM-DD, inclusive */
    ATLAS_B_DATE_END,   /* YYYY-MM-DD, inclusive */
    ATLAS_B_SOURCES,
    ATLAS_B_PRECISION, /* "exact", "approximate" or "sketch" */
    ATLAS_B_NOTES,
    ATLAS_B_N_TEXT
} atlas_border_field;

/* The border field's name ("name_en"), or NULL out of range. */
const char *atlas_border_field_name(int f);

/* One state (or occupied area) between two dates. Strings and points
 * live in the arena of the period that holds it. */
typedef struct atlas_border {
    const char *t[ATLAS_B_N_TEXT]; /* NULL where empty */
    int year_start, year_end;
    int restored; /* first period after a time the state did not exist */
    int has_label;
    double label_lon, label_lat;
    size_t n_pts;
    double *xy;     /* lon, lat pairs */
    size_t n_parts; /* rings, of every polygon */
    size_t *parts;  /* n_parts + 1 start indexes; the last is n_pts */
    size_t n_polys;
    size_t *polys; /* n_polys + 1 first-ring indexes; the last n_parts */
} atlas_border;

/* Place kinds, by the schema's names. */
extern const char *const atlas_place_kinds[]; /* NULL-terminated */

/* One reference place, with its name for a year and a language when it
 * came from atlas_store_period(). */
typedef struct atlas_place {
    const char *id, *kind, *region, *sources, *notes;
    int rank;                 /* 1 (largest) .. 4 */
    int year_start, year_end; /* 0 where open */
    double lon, lat;
    const char *name; /* the name of the year in the language, or NULL */
} atlas_place;

/* One name of a place, valid in [year_start, year_end] (0: open). */
typedef struct atlas_place_name {
    const char *place_id, *lang, *name, *source;
    int year_start, year_end;
} atlas_place_name;

/* A published total of the camp population (geodata/gulag_totals.csv). */
typedef struct atlas_total {
    int year;
    long long prisoners;
    const char *as_of, *counts, *source;
} atlas_total;

/* The reference layers of one date, owning every string and point. */
typedef struct atlas_period {
    char date[11]; /* YYYY-MM-DD the borders are of */
    int year;      /* the year the names are of */
    atlas_border *borders;
    size_t n_borders;
    atlas_place *places;
    size_t n_places;
    atlas_feature_list arena; /* holds the strings; has no features */
} atlas_period;

void atlas_period_init(atlas_period *p);
/* Frees everything P holds; P is empty afterwards. */
void atlas_period_free(atlas_period *p);
/* Appends a zeroed border or place; NULL when out of memory. The pointer
 * is valid until the next append. */
atlas_border *atlas_period_add_border(atlas_period *p);
atlas_place *atlas_period_add_place(atlas_period *p);
/* Copies S into P's arena ("" and NULL give NULL); sets *OK to 0 when out
 * of memory. */
const char *atlas_period_strdup(atlas_period *p, const char *s, int *ok);

/* The display name of border B in LANG: name_LANG, else the local name
 * where LANG is the state's language, else English. Borrowed. */
const char *atlas_border_name(const atlas_border *b, const char *lang);

/* 1 when the point LON, LAT lies inside B (rings even-odd). */
int atlas_border_contains(const atlas_border *b, double lon, double lat);

/* 1 when S is a valid date YYYY-MM-DD (Gregorian); *DAYS gets its day
 * number (days since 0000-03-01), for comparing and for "the next day". */
int atlas_date_parse(const char *s, long *days);

#endif /* ATLAS_PERIOD_H */
