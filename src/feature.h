/* feature.h: the in-memory feature (a site or a line) and lists of them.
 * Knows field names and types, geometry and string storage; nothing of
 * files, databases or drawing. */
#ifndef ATLAS_FEATURE_H
#define ATLAS_FEATURE_H

#include <stddef.h>

#include "error.h"

/* The attribute fields of docs/schema.md, in its order. */
typedef enum atlas_field {
    ATLAS_F_ID,
    ATLAS_F_GROUP_ID,
    ATLAS_F_KIND,
    ATLAS_F_SIGNIFICANT,
    ATLAS_F_NAME_EN,
    ATLAS_F_NAME_RU,
    ATLAS_F_NAME_LOCAL,
    ATLAS_F_LOCAL_LANG,
    ATLAS_F_NAME_UK,
    ATLAS_F_NAME_PL,
    ATLAS_F_NAME_ALT,
    ATLAS_F_REGION,
    ATLAS_F_LOCATION_PRECISION,
    ATLAS_F_YEAR_START,
    ATLAS_F_YEAR_END,
    ATLAS_F_DATE_START,
    ATLAS_F_DATE_END,
    ATLAS_F_PRISONERS_PEAK,
    ATLAS_F_PRISONERS_PEAK_YEAR,
    ATLAS_F_VICTIMS_MIN,
    ATLAS_F_VICTIMS_MAX,
    ATLAS_F_VICTIMS_MIN_SOURCE,
    ATLAS_F_VICTIMS_MAX_SOURCE,
    ATLAS_F_DEPORTED_MIN,
    ATLAS_F_DEPORTED_MAX,
    ATLAS_F_DEPORTED_MIN_SOURCE,
    ATLAS_F_DEPORTED_MAX_SOURCE,
    ATLAS_F_ORIGIN,
    ATLAS_F_DESTINATION,
    ATLAS_F_DESCRIPTION,
    ATLAS_F_SOURCES,
    ATLAS_F_NOTES,
    ATLAS_N_FIELDS
} atlas_field;

typedef enum atlas_field_type {
    ATLAS_TYPE_TEXT,
    ATLAS_TYPE_INT
} atlas_field_type;

/* Which table a feature belongs to. */
typedef enum atlas_layer { ATLAS_LAYER_SITES, ATLAS_LAYER_LINES } atlas_layer;

/* A field's name as in the schema ("name_en"), or NULL out of range. */
const char *atlas_field_name(atlas_field f);
atlas_field_type atlas_field_type_of(atlas_field f);
/* The field named NAME, or -1. */
int atlas_field_lookup(const char *name);
/* The field's name in a Shapefile (DBF names hold 10 characters). */
const char *atlas_field_shp_name(atlas_field f);
/* The field whose Shapefile name is NAME, or -1. */
int atlas_field_lookup_shp(const char *name);

typedef struct atlas_slot {
    char *s;     /* text value (list arena), NULL when NULL or an INT */
    long long i; /* integer value when is_set and the field is an INT */
    int is_set;  /* 0: NULL (unknown) */
} atlas_slot;

/* One feature. Its strings and points live in the arena of the list that
 * holds it: they are valid until that list is freed. */
typedef struct atlas_feature {
    atlas_layer layer;
    atlas_slot f[ATLAS_N_FIELDS];
    long long prisoners; /* count for the queried year, if has_prisoners */
    int has_prisoners;
    size_t n_pts;   /* points: 1; lines: all vertices of all parts */
    double *xy;     /* lon, lat pairs, n_pts of them */
    size_t n_parts; /* 1 for points and simple lines */
    size_t *parts;  /* start index (in points) of each part */
    long src_line;  /* where it was read (for messages), 0 if unknown */
} atlas_feature;

/* A growable list of features owning one arena for all their strings. */
typedef struct atlas_feature_list {
    atlas_feature *items;
    size_t n, cap;
    struct atlas_arena *arena;
} atlas_feature_list;

void atlas_feature_list_init(atlas_feature_list *list);
/* Frees every feature and string of LIST; LIST is empty afterwards. */
void atlas_feature_list_free(atlas_feature_list *list);
/* Empties LIST but keeps its memory for reuse (a loader's row buffer). */
void atlas_feature_list_clear(atlas_feature_list *list);
/* Appends a zeroed feature; returns it, or NULL when out of memory. The
 * pointer is valid until the next append. */
atlas_feature *atlas_feature_list_add(atlas_feature_list *list);
/* Sorts LIST by id (bytewise), the stable order of exports. */
void atlas_feature_list_sort(atlas_feature_list *list);

/* Copies LEN bytes of S (NUL added) into LIST's arena; NULL on no memory. */
char *atlas_feature_list_strndup(atlas_feature_list *list, const char *s,
                                 size_t len);
/* Allocates N zeroed bytes in LIST's arena; NULL on no memory. */
void *atlas_feature_list_alloc(atlas_feature_list *list, size_t n);

/* Sets field F of FE to the text S (copied into LIST's arena). S NULL or ""
 * makes it NULL. Returns 0, or -1 when out of memory. */
int atlas_feature_set_text(atlas_feature_list *list, atlas_feature *fe,
                           atlas_field f, const char *s);
void atlas_feature_set_int(atlas_feature *fe, atlas_field f, long long v);
/* Sets FE's geometry to N points (copied); N_PARTS parts starting at PARTS
 * (NULL for one part). Returns 0, or -1 when out of memory. */
int atlas_feature_set_geom(atlas_feature_list *list, atlas_feature *fe,
                           const double *xy, size_t n, const size_t *parts,
                           size_t n_parts);

/* Text of field F, or NULL when it is NULL. Borrowed from the list. */
const char *atlas_feature_text(const atlas_feature *fe, atlas_field f);
/* 1 and *OUT = the value when INT field F is set, else 0. */
int atlas_feature_int(const atlas_feature *fe, atlas_field f, long long *out);

/* The display name in language LANG: name_ru, name_uk or name_pl for
 * "ru", "uk", "pl"; else the local name when LANG is the feature's local
 * language; else English (Russian is never the fallback). Borrowed from
 * the list. */
const char *atlas_feature_name(const atlas_feature *fe, const char *lang);

/* A property value as style expressions see it. */
typedef enum atlas_value_type {
    ATLAS_V_NULL,
    ATLAS_V_BOOL,
    ATLAS_V_NUMBER,
    ATLAS_V_STRING
} atlas_value_type;

typedef struct atlas_value {
    atlas_value_type type;
    int b;
    double num;
    const char *str; /* borrowed */
} atlas_value;

/* Property NAME of FE for styling: any schema field, "prisoners" (the
 * count of the queried year), "name" (in LANG with fallback), "layer"
 * ("sites" or "lines"). Returns 1 with *OUT set, or 0 (and ATLAS_V_NULL)
 * when the feature has no such value. */
int atlas_feature_get(const atlas_feature *fe, const char *name,
                      const char *lang, atlas_value *out);

/* The table a kind belongs to ("camp" -> sites, "railway" -> lines), or
 * -1 for a kind atlas does not know. */
int atlas_kind_layer(const char *kind);
/* The known kinds, NULL-terminated, sites first. */
extern const char *const atlas_kinds[];

/* 1 when FE is active in some year of [Y0, Y1]. */
int atlas_feature_active(const atlas_feature *fe, int y0, int y1);

#endif /* ATLAS_FEATURE_H */
