/* feature.c: the in-memory feature, its field table and the arena that
 * holds a list's strings and points. Nothing of files or databases. */
#include "feature.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    atlas_field_type type;
} fields[ATLAS_N_FIELDS] = {
    [ATLAS_F_ID] = {"id", ATLAS_TYPE_TEXT},
    [ATLAS_F_GROUP_ID] = {"group_id", ATLAS_TYPE_TEXT},
    [ATLAS_F_KIND] = {"kind", ATLAS_TYPE_TEXT},
    [ATLAS_F_SIGNIFICANT] = {"significant", ATLAS_TYPE_INT},
    [ATLAS_F_NAME_EN] = {"name_en", ATLAS_TYPE_TEXT},
    [ATLAS_F_NAME_RU] = {"name_ru", ATLAS_TYPE_TEXT},
    [ATLAS_F_NAME_LOCAL] = {"name_local", ATLAS_TYPE_TEXT},
    [ATLAS_F_LOCAL_LANG] = {"local_lang", ATLAS_TYPE_TEXT},
    [ATLAS_F_NAME_UK] = {"name_uk", ATLAS_TYPE_TEXT},
    [ATLAS_F_NAME_PL] = {"name_pl", ATLAS_TYPE_TEXT},
    [ATLAS_F_NAME_ALT] = {"name_alt", ATLAS_TYPE_TEXT},
    [ATLAS_F_REGION] = {"region", ATLAS_TYPE_TEXT},
    [ATLAS_F_LOCATION_PRECISION] = {"location_precision", ATLAS_TYPE_TEXT},
    [ATLAS_F_YEAR_START] = {"year_start", ATLAS_TYPE_INT},
    [ATLAS_F_YEAR_END] = {"year_end", ATLAS_TYPE_INT},
    [ATLAS_F_DATE_START] = {"date_start", ATLAS_TYPE_TEXT},
    [ATLAS_F_DATE_END] = {"date_end", ATLAS_TYPE_TEXT},
    [ATLAS_F_PRISONERS_PEAK] = {"prisoners_peak", ATLAS_TYPE_INT},
    [ATLAS_F_PRISONERS_PEAK_YEAR] = {"prisoners_peak_year", ATLAS_TYPE_INT},
    [ATLAS_F_VICTIMS_MIN] = {"victims_min", ATLAS_TYPE_INT},
    [ATLAS_F_VICTIMS_MAX] = {"victims_max", ATLAS_TYPE_INT},
    [ATLAS_F_VICTIMS_MIN_SOURCE] = {"victims_min_source", ATLAS_TYPE_TEXT},
    [ATLAS_F_VICTIMS_MAX_SOURCE] = {"victims_max_source", ATLAS_TYPE_TEXT},
    [ATLAS_F_DEPORTED_MIN] = {"deported_min", ATLAS_TYPE_INT},
    [ATLAS_F_DEPORTED_MAX] = {"deported_max", ATLAS_TYPE_INT},
    [ATLAS_F_DEPORTED_MIN_SOURCE] = {"deported_min_source", ATLAS_TYPE_TEXT},
    [ATLAS_F_DEPORTED_MAX_SOURCE] = {"deported_max_source", ATLAS_TYPE_TEXT},
    [ATLAS_F_ORIGIN] = {"origin", ATLAS_TYPE_TEXT},
    [ATLAS_F_DESTINATION] = {"destination", ATLAS_TYPE_TEXT},
    [ATLAS_F_DESCRIPTION] = {"description", ATLAS_TYPE_TEXT},
    [ATLAS_F_SOURCES] = {"sources", ATLAS_TYPE_TEXT},
    [ATLAS_F_NOTES] = {"notes", ATLAS_TYPE_TEXT},
};

const char *
atlas_field_name(atlas_field f)
{
    if ((int)f < 0 || f >= ATLAS_N_FIELDS)
        return NULL;
    return fields[f].name;
}

atlas_field_type
atlas_field_type_of(atlas_field f)
{
    return fields[f].type;
}

/* DBF field names hold at most 10 characters. */
static const char *const shp_names[ATLAS_N_FIELDS] = {
    [ATLAS_F_ID] = "id",
    [ATLAS_F_GROUP_ID] = "group_id",
    [ATLAS_F_KIND] = "kind",
    [ATLAS_F_SIGNIFICANT] = "signif",
    [ATLAS_F_NAME_EN] = "name_en",
    [ATLAS_F_NAME_RU] = "name_ru",
    [ATLAS_F_NAME_LOCAL] = "name_local",
    [ATLAS_F_LOCAL_LANG] = "local_lang",
    [ATLAS_F_NAME_UK] = "name_uk",
    [ATLAS_F_NAME_PL] = "name_pl",
    [ATLAS_F_NAME_ALT] = "name_alt",
    [ATLAS_F_REGION] = "region",
    [ATLAS_F_LOCATION_PRECISION] = "loc_prec",
    [ATLAS_F_YEAR_START] = "year_start",
    [ATLAS_F_YEAR_END] = "year_end",
    [ATLAS_F_DATE_START] = "date_start",
    [ATLAS_F_DATE_END] = "date_end",
    [ATLAS_F_PRISONERS_PEAK] = "pris_peak",
    [ATLAS_F_PRISONERS_PEAK_YEAR] = "pris_pk_yr",
    [ATLAS_F_VICTIMS_MIN] = "vict_min",
    [ATLAS_F_VICTIMS_MAX] = "vict_max",
    [ATLAS_F_VICTIMS_MIN_SOURCE] = "vict_min_s",
    [ATLAS_F_VICTIMS_MAX_SOURCE] = "vict_max_s",
    [ATLAS_F_DEPORTED_MIN] = "dep_min",
    [ATLAS_F_DEPORTED_MAX] = "dep_max",
    [ATLAS_F_DEPORTED_MIN_SOURCE] = "dep_min_s",
    [ATLAS_F_DEPORTED_MAX_SOURCE] = "dep_max_s",
    [ATLAS_F_ORIGIN] = "origin",
    [ATLAS_F_DESTINATION] = "dest",
    [ATLAS_F_DESCRIPTION] = "descr",
    [ATLAS_F_SOURCES] = "sources",
    [ATLAS_F_NOTES] = "notes",
};

const char *
atlas_field_shp_name(atlas_field f)
{
    if ((int)f < 0 || f >= ATLAS_N_FIELDS)
        return NULL;
    return shp_names[f];
}

int
atlas_field_lookup_shp(const char *name)
{
    for (int i = 0; i < ATLAS_N_FIELDS; i++)
        if (strcmp(shp_names[i], name) == 0)
            return i;
    return -1;
}

int
atlas_field_lookup(const char *name)
{
    for (int i = 0; i < ATLAS_N_FIELDS; i++)
        if (strcmp(fields[i].name, name) == 0)
            return i;
    return -1;
}

/* The arena: a chain of blocks, freed all at once with the list. A list of
 * a million features then costs a few hundred allocations, not millions. */
typedef struct atlas_arena {
    struct atlas_arena *next;
    size_t used, size;
    max_align_t data[];
} atlas_arena;

#define ARENA_BLOCK (256 * 1024)

static void *
arena_alloc(atlas_arena **head, size_t n)
{
    atlas_arena *a = *head;
    size_t align = sizeof(max_align_t);
    size_t need = (n + align - 1) / align * align;

    if (need < n)
        return NULL;
    if (a == NULL || a->size - a->used < need) {
        size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        atlas_arena *b = malloc(sizeof *b + size);
        if (b == NULL)
            return NULL;
        b->size = size;
        b->used = 0;
        if (a != NULL && need > ARENA_BLOCK) {
            /* keep filling the current block; put the big one behind it */
            b->next = a->next;
            a->next = b;
        } else {
            b->next = a;
            *head = b;
        }
        a = b;
    }
    void *p = (char *)a->data + a->used;
    a->used += need;
    memset(p, 0, n);
    return p;
}

void
atlas_feature_list_init(atlas_feature_list *list)
{
    memset(list, 0, sizeof *list);
}

void
atlas_feature_list_clear(atlas_feature_list *list)
{
    atlas_arena *a = list->arena;
    if (a != NULL) {
        /* keep the newest block, free the rest */
        atlas_arena *rest = a->next;
        while (rest != NULL) {
            atlas_arena *next = rest->next;
            free(rest);
            rest = next;
        }
        a->next = NULL;
        a->used = 0;
    }
    list->n = 0;
}

void
atlas_feature_list_free(atlas_feature_list *list)
{
    atlas_arena *a = list->arena;
    while (a != NULL) {
        atlas_arena *next = a->next;
        free(a);
        a = next;
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

atlas_feature *
atlas_feature_list_add(atlas_feature_list *list)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        atlas_feature *items;
        if (cap > SIZE_MAX / sizeof *items)
            return NULL;
        items = realloc(list->items, cap * sizeof *items);
        if (items == NULL)
            return NULL;
        list->items = items;
        list->cap = cap;
    }
    atlas_feature *fe = &list->items[list->n++];
    memset(fe, 0, sizeof *fe);
    return fe;
}

static int
cmp_id(const void *a, const void *b)
{
    const atlas_feature *x = a, *y = b;
    const char *s = x->f[ATLAS_F_ID].s ? x->f[ATLAS_F_ID].s : "";
    const char *t = y->f[ATLAS_F_ID].s ? y->f[ATLAS_F_ID].s : "";
    int c = strcmp(s, t);
    if (c != 0)
        return c;
    return (int)x->layer - (int)y->layer;
}

void
atlas_feature_list_sort(atlas_feature_list *list)
{
    if (list->n > 1)
        qsort(list->items, list->n, sizeof *list->items, cmp_id);
}

char *
atlas_feature_list_strndup(atlas_feature_list *list, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(&list->arena, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *
atlas_feature_list_alloc(atlas_feature_list *list, size_t n)
{
    return arena_alloc(&list->arena, n);
}

int
atlas_feature_set_text(atlas_feature_list *list, atlas_feature *fe,
                       atlas_field f, const char *s)
{
    atlas_slot *slot = &fe->f[f];
    if (s == NULL || *s == '\0') {
        slot->s = NULL;
        slot->is_set = 0;
        return 0;
    }
    slot->s = atlas_feature_list_strndup(list, s, strlen(s));
    if (slot->s == NULL)
        return -1;
    slot->is_set = 1;
    return 0;
}

void
atlas_feature_set_int(atlas_feature *fe, atlas_field f, long long v)
{
    fe->f[f].i = v;
    fe->f[f].is_set = 1;
}

int
atlas_feature_set_geom(atlas_feature_list *list, atlas_feature *fe,
                       const double *xy, size_t n, const size_t *parts,
                       size_t n_parts)
{
    if (n > SIZE_MAX / (2 * sizeof(double)))
        return -1;
    fe->xy = atlas_feature_list_alloc(list, n * 2 * sizeof(double));
    if (fe->xy == NULL && n > 0)
        return -1;
    if (n > 0)
        memcpy(fe->xy, xy, n * 2 * sizeof(double));
    fe->n_pts = n;
    if (parts == NULL || n_parts == 0)
        n_parts = 1;
    fe->parts = atlas_feature_list_alloc(list, n_parts * sizeof(size_t));
    if (fe->parts == NULL)
        return -1;
    if (parts != NULL)
        memcpy(fe->parts, parts, n_parts * sizeof(size_t));
    fe->n_parts = n_parts;
    return 0;
}

const char *
atlas_feature_text(const atlas_feature *fe, atlas_field f)
{
    return fe->f[f].is_set ? fe->f[f].s : NULL;
}

int
atlas_feature_int(const atlas_feature *fe, atlas_field f, long long *out)
{
    if (!fe->f[f].is_set || fields[f].type != ATLAS_TYPE_INT)
        return 0;
    *out = fe->f[f].i;
    return 1;
}

const char *
atlas_feature_name(const atlas_feature *fe, const char *lang)
{
    const char *name = NULL;

    /* The name in LANG; else the local name where LANG is the language
     * of the place; else English. Russian only when asked for: it is no
     * fallback for Ukrainian, Polish or the Baltic languages. */
    if (lang != NULL && strcmp(lang, "ru") == 0)
        name = atlas_feature_text(fe, ATLAS_F_NAME_RU);
    else if (lang != NULL && strcmp(lang, "uk") == 0)
        name = atlas_feature_text(fe, ATLAS_F_NAME_UK);
    else if (lang != NULL && strcmp(lang, "pl") == 0)
        name = atlas_feature_text(fe, ATLAS_F_NAME_PL);
    if (name == NULL && lang != NULL && strcmp(lang, "en") != 0) {
        const char *local = atlas_feature_text(fe, ATLAS_F_LOCAL_LANG);
        if (local != NULL && strcmp(local, lang) == 0)
            name = atlas_feature_text(fe, ATLAS_F_NAME_LOCAL);
    }
    if (name == NULL)
        name = atlas_feature_text(fe, ATLAS_F_NAME_EN);
    if (name == NULL)
        name = atlas_feature_text(fe, ATLAS_F_ID);
    return name;
}

int
atlas_feature_get(const atlas_feature *fe, const char *name, const char *lang,
                  atlas_value *out)
{
    int f;

    memset(out, 0, sizeof *out);
    out->type = ATLAS_V_NULL;
    if (strcmp(name, "prisoners") == 0) {
        if (!fe->has_prisoners)
            return 0;
        out->type = ATLAS_V_NUMBER;
        out->num = (double)fe->prisoners;
        return 1;
    }
    if (strcmp(name, "name") == 0) {
        out->str = atlas_feature_name(fe, lang);
        if (out->str == NULL)
            return 0;
        out->type = ATLAS_V_STRING;
        return 1;
    }
    if (strcmp(name, "layer") == 0) {
        out->type = ATLAS_V_STRING;
        out->str = fe->layer == ATLAS_LAYER_SITES ? "sites" : "lines";
        return 1;
    }
    f = atlas_field_lookup(name);
    if (f < 0 || !fe->f[f].is_set)
        return 0;
    if (fields[f].type == ATLAS_TYPE_INT) {
        out->type = ATLAS_V_NUMBER;
        out->num = (double)fe->f[f].i;
    } else {
        out->type = ATLAS_V_STRING;
        out->str = fe->f[f].s;
    }
    return 1;
}

int
atlas_feature_active(const atlas_feature *fe, int y0, int y1)
{
    long long s, e;
    if (!atlas_feature_int(fe, ATLAS_F_YEAR_START, &s) ||
        !atlas_feature_int(fe, ATLAS_F_YEAR_END, &e))
        return 0;
    return s <= y1 && e >= y0;
}

const char *const atlas_kinds[] = {"camp",
                                   "execution_site",
                                   "prison",
                                   "transit",
                                   "special_settlement",
                                   "station",
                                   "uprising",
                                   "railway",
                                   "canal",
                                   "road",
                                   "deportation",
                                   NULL};

int
atlas_kind_layer(const char *kind)
{
    for (int i = 0; atlas_kinds[i] != NULL; i++)
        if (strcmp(atlas_kinds[i], kind) == 0)
            return i < 7 ? ATLAS_LAYER_SITES : ATLAS_LAYER_LINES;
    return -1;
}
