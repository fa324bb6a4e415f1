/* period.c: the reference layers of a date in memory: borders, places,
 * their names, dates. Nothing of files, databases or drawing. */
#include "period.h"

#include <stdlib.h>
#include <string.h>

static const char *const border_fields[ATLAS_B_N_TEXT] = {
    [ATLAS_B_ID] = "id",
    [ATLAS_B_STATE] = "state",
    [ATLAS_B_KIND] = "kind",
    [ATLAS_B_NAME_EN] = "name_en",
    [ATLAS_B_NAME_RU] = "name_ru",
    [ATLAS_B_NAME_UK] = "name_uk",
    [ATLAS_B_NAME_PL] = "name_pl",
    [ATLAS_B_NAME_LOCAL] = "name_local",
    [ATLAS_B_LOCAL_LANG] = "local_lang",
    [ATLAS_B_DATE_START] = "date_start",
    [ATLAS_B_DATE_END] = "date_end",
    [ATLAS_B_SOURCES] = "sources",
    [ATLAS_B_PRECISION] = "precision",
    [ATLAS_B_NOTES] = "notes",
};

const char *const atlas_place_kinds[] = {
    "capital", "city", "town", "sea", "lake", "river", "region", "line", NULL};

const char *
atlas_border_field_name(int f)
{
    if (f < 0 || f >= ATLAS_B_N_TEXT)
        return NULL;
    return border_fields[f];
}

void
atlas_period_init(atlas_period *p)
{
    memset(p, 0, sizeof *p);
    atlas_feature_list_init(&p->arena);
}

void
atlas_period_free(atlas_period *p)
{
    free(p->borders);
    free(p->places);
    atlas_feature_list_free(&p->arena);
    atlas_period_init(p);
}

/* Appends one zeroed item of SIZE bytes to *ITEMS; NULL on no memory.
 * A period holds hundreds of items, read once: no capacity is kept. */
static void *
grow(void **items, size_t *n, size_t size)
{
    void *bigger = realloc(*items, (*n + 1) * size);
    if (bigger == NULL)
        return NULL;
    *items = bigger;
    char *slot = (char *)bigger + *n * size;
    memset(slot, 0, size);
    (*n)++;
    return slot;
}

atlas_border *
atlas_period_add_border(atlas_period *p)
{
    return grow((void **)&p->borders, &p->n_borders, sizeof *p->borders);
}

atlas_place *
atlas_period_add_place(atlas_period *p)
{
    return grow((void **)&p->places, &p->n_places, sizeof *p->places);
}

const char *
atlas_period_strdup(atlas_period *p, const char *s, int *ok)
{
    if (s == NULL || *s == '\0')
        return NULL;
    char *c = atlas_feature_list_strndup(&p->arena, s, strlen(s));
    if (c == NULL)
        *ok = 0;
    return c;
}

const char *
atlas_border_name(const atlas_border *b, const char *lang)
{
    const char *name = NULL;

    if (lang != NULL) {
        if (strcmp(lang, "ru") == 0)
            name = b->t[ATLAS_B_NAME_RU];
        else if (strcmp(lang, "uk") == 0)
            name = b->t[ATLAS_B_NAME_UK];
        else if (strcmp(lang, "pl") == 0)
            name = b->t[ATLAS_B_NAME_PL];
        if (name == NULL && b->t[ATLAS_B_LOCAL_LANG] != NULL &&
            strcmp(b->t[ATLAS_B_LOCAL_LANG], lang) == 0)
            name = b->t[ATLAS_B_NAME_LOCAL];
    }
    return name != NULL ? name : b->t[ATLAS_B_NAME_EN];
}

int
atlas_border_contains(const atlas_border *b, double lon, double lat)
{
    int in = 0;

    for (size_t r = 0; r < b->n_parts; r++) {
        size_t a = b->parts[r], e = b->parts[r + 1];
        for (size_t i = a, j = e - 1; i < e; j = i++) {
            double xi = b->xy[2 * i], yi = b->xy[2 * i + 1];
            double xj = b->xy[2 * j], yj = b->xy[2 * j + 1];
            if ((yi > lat) != (yj > lat) &&
                lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                in = !in;
        }
    }
    return in;
}

int
atlas_date_parse(const char *s, long *days)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
    long y, m, d;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    y = strtol(s, NULL, 10);
    m = strtol(s + 5, NULL, 10);
    d = strtol(s + 8, NULL, 10);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] + (m == 2 && leap ? 1 : 0))
        return 0;
    if (days != NULL) {
        /* days from 0000-03-01, so leap days come last in a year */
        long yy = m <= 2 ? y - 1 : y;
        long mm = m <= 2 ? m + 9 : m - 3;
        *days = 365 * yy + yy / 4 - yy / 100 + yy / 400 + (153 * mm + 2) / 5 +
                d - 1;
    }
    return 1;
}
