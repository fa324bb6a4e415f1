/* load_period.c: the records of the reference layers — borders (polygons
 * of a state between two dates), places, place names by period and
 * language, published totals — checked and handed to the store. The
 * checks that need a whole file (a state's periods follow one another,
 * a place's names of one language never overlap) run when the file ends
 * (load_period_finish). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ogr_api.h>

#include "load_private.h"

#define NAME_YEAR_MIN 1900
#define NAME_YEAR_MAX 2000

/* What a file's records left for its end-of-file checks. */
typedef struct span {
    char *key;   /* "STATE" or "PLACE LANG" */
    char *id;    /* border id, or the name */
    long a, b;   /* days (borders) or years (names; 0 open) */
    int restored;
    long line;
    char where[160];
} span;

typedef struct period_acc {
    span *s;
    size_t n;
} period_acc;

static const char *
val(const load_ctx *ctx, const char *const *vals, const char *name)
{
    for (int i = 0; i < ctx->n_cols; i++)
        if (ctx->names[i] != NULL && strcmp(ctx->names[i], name) == 0)
            return (vals[i] != NULL && *vals[i]) ? vals[i] : NULL;
    return NULL;
}

static atlas_status
need(const load_ctx *ctx, const char *where, const char *const *vals,
     const char *name, const char **out, atlas_error *err)
{
    *out = val(ctx, vals, name);
    if (*out == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: %s is empty", where,
                               name);
    return ATLAS_OK;
}

static atlas_status
to_int(const char *where, const char *col, const char *s, long long lo,
       long long hi, long long *out, atlas_error *err)
{
    long long v = 0;
    if (load_parse_int(where, col, s, &v, err))
        return err->code;
    if (v < lo || v > hi)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %s %lld is outside %lld-%lld", where, col,
                               v, lo, hi);
    *out = v;
    return ATLAS_OK;
}

static atlas_status
check_slug(const char *where, const char *col, const char *s, atlas_error *err)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: %s \"%.60s\": use lowercase letters, "
                                   "digits, '_', '-' and '.'",
                                   where, col, s);
    return ATLAS_OK;
}

static int
one_of(const char *s, const char *const *set)
{
    for (; *set != NULL; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static atlas_status
remember(load_ctx *ctx, const char *where, long line, const char *key,
         const char *id, long a, long b, int restored, atlas_error *err)
{
    period_acc *acc = ctx->acc;
    if (acc == NULL) {
        if ((acc = calloc(1, sizeof *acc)) == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        ctx->acc = acc;
    }
    span *bigger = realloc(acc->s, (acc->n + 1) * sizeof *acc->s);
    if (bigger == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    acc->s = bigger;
    span *s = &acc->s[acc->n];
    memset(s, 0, sizeof *s);
    s->key = strdup(key);
    s->id = strdup(id);
    if (s->key == NULL || s->id == NULL) {
        free(s->key);
        free(s->id);
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    acc->n++;
    s->a = a;
    s->b = b;
    s->restored = restored;
    s->line = line;
    snprintf(s->where, sizeof s->where, "%s", where);
    return ATLAS_OK;
}

/* ---- borders ---------------------------------------------------------- */

/* The rings of G (Polygon or MultiPolygon) into B's arrays (malloc'd). */
static atlas_status
border_rings(const char *where, OGRGeometryH g, atlas_border *b,
             atlas_error *err)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t != wkbPolygon && t != wkbMultiPolygon)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %s geometry: a border is a Polygon or a "
                               "MultiPolygon",
                               where, load_geom_name(g));
    if (!OGR_G_IsValid(g))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: invalid polygon (a ring crosses itself or "
                               "another ring)",
                               where);
    int np = t == wkbPolygon ? 1 : OGR_G_GetGeometryCount(g);
    size_t n_pts = 0, n_rings = 0;
    for (int i = 0; i < np; i++) {
        OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, i);
        for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
            n_pts += (size_t)OGR_G_GetPointCount(OGR_G_GetGeometryRef(poly, r));
            n_rings++;
        }
    }
    if (n_rings == 0)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: empty polygon", where);
    b->xy = calloc(2 * n_pts + 2, sizeof *b->xy);
    b->parts = calloc(n_rings + 1, sizeof *b->parts);
    b->polys = calloc((size_t)np + 1, sizeof *b->polys);
    if (b->xy == NULL || b->parts == NULL || b->polys == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    size_t k = 0, rr = 0;
    for (int i = 0; i < np; i++) {
        OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, i);
        b->polys[i] = rr;
        for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
            OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
            b->parts[rr++] = k;
            for (int j = 0; j < OGR_G_GetPointCount(ring); j++, k++) {
                double x = OGR_G_GetX(ring, j), y = OGR_G_GetY(ring, j);
                /* east of 180 is allowed: Chukotka stays in one piece */
                if (!isfinite(x) || !isfinite(y) || x < -180 || x > 360 ||
                    y < -90 || y > 90)
                    return atlas_error_set(err, ATLAS_E_INPUT,
                                           "%s: coordinate %g %g is out of "
                                           "range (lon -180..360, lat "
                                           "-90..90)",
                                           where, x, y);
                b->xy[2 * k] = x;
                b->xy[2 * k + 1] = y;
            }
        }
    }
    b->parts[rr] = k;
    b->polys[np] = rr;
    b->n_pts = k;
    b->n_parts = rr;
    b->n_polys = (size_t)np;
    return ATLAS_OK;
}

static atlas_status
record_border(load_ctx *ctx, const char *where, long line,
              const char *const *vals, const load_geom *geom, atlas_error *err)
{
    static const char *const kinds[] = {"state", "occupied", NULL};
    static const char *const precisions[] = {"exact", "approximate", "sketch",
                                             NULL};
    atlas_border b;
    long d0, d1;
    long long v = 0;
    const char *s;

    memset(&b, 0, sizeof b);
    for (int f = 0; f < ATLAS_B_N_TEXT; f++)
        b.t[f] = val(ctx, vals, atlas_border_field_name(f));
    static const int required[] = {ATLAS_B_ID,         ATLAS_B_STATE,
                                   ATLAS_B_KIND,       ATLAS_B_NAME_EN,
                                   ATLAS_B_NAME_RU,    ATLAS_B_DATE_START,
                                   ATLAS_B_DATE_END,   ATLAS_B_SOURCES,
                                   ATLAS_B_PRECISION};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (b.t[required[i]] == NULL)
            return atlas_error_set(err, ATLAS_E_INPUT, "%s: %s is empty",
                                   where,
                                   atlas_border_field_name(required[i]));
    if (check_slug(where, "id", b.t[ATLAS_B_ID], err))
        return err->code;
    s = b.t[ATLAS_B_STATE];
    if (strlen(s) != 2 || !isupper((unsigned char)s[0]) ||
        !isupper((unsigned char)s[1]))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: state \"%.20s\" is not a two-letter code "
                               "(ISO 3166-1 alpha-2, SU for the Soviet Union)",
                               where, s);
    if (!one_of(b.t[ATLAS_B_KIND], kinds))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: kind \"%.20s\" is not state or occupied",
                               where, b.t[ATLAS_B_KIND]);
    if (!one_of(b.t[ATLAS_B_PRECISION], precisions))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: precision \"%.20s\" is not exact, "
                               "approximate or sketch",
                               where, b.t[ATLAS_B_PRECISION]);
    if (!atlas_date_parse(b.t[ATLAS_B_DATE_START], &d0))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: date_start \"%.20s\" is not a date "
                               "YYYY-MM-DD",
                               where, b.t[ATLAS_B_DATE_START]);
    if (!atlas_date_parse(b.t[ATLAS_B_DATE_END], &d1))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: date_end \"%.20s\" is not a date "
                               "YYYY-MM-DD",
                               where, b.t[ATLAS_B_DATE_END]);
    if (d1 < d0)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: date_end %s is before date_start %s",
                               where, b.t[ATLAS_B_DATE_END],
                               b.t[ATLAS_B_DATE_START]);
    b.year_start = atoi(b.t[ATLAS_B_DATE_START]);
    b.year_end = atoi(b.t[ATLAS_B_DATE_END]);
    if ((s = val(ctx, vals, "year_start")) != NULL) {
        if (to_int(where, "year_start", s, 1, 9999, &v, err))
            return err->code;
        if (v != b.year_start)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: year_start %lld is not the year of "
                                   "date_start %s",
                                   where, v, b.t[ATLAS_B_DATE_START]);
    }
    if ((s = val(ctx, vals, "year_end")) != NULL) {
        if (to_int(where, "year_end", s, 1, 9999, &v, err))
            return err->code;
        if (v != b.year_end)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: year_end %lld is not the year of "
                                   "date_end %s",
                                   where, v, b.t[ATLAS_B_DATE_END]);
    }
    if ((s = val(ctx, vals, "restored")) != NULL) {
        if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
            b.restored = 1;
        else if (strcmp(s, "false") != 0 && strcmp(s, "0") != 0)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: restored \"%.20s\" is not true or "
                                   "false",
                                   where, s);
    }
    const char *lx = val(ctx, vals, "label_lon");
    const char *ly = val(ctx, vals, "label_lat");
    if ((lx == NULL) != (ly == NULL))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: label_lon and label_lat go together",
                               where);
    if (lx != NULL) {
        if (load_parse_real(where, "label_lon", lx, -180, 360, &b.label_lon, err) ||
            load_parse_real(where, "label_lat", ly, -90, 90, &b.label_lat, err))
            return err->code;
        b.has_label = 1;
    }
    if (geom == NULL || geom->ogr == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: no geometry", where);
    atlas_status rc = border_rings(where, geom->ogr, &b, err);
    /* a state's periods follow one another; occupied areas of one power
     * may lie side by side (Poland, the Soviet west) */
    if (rc == ATLAS_OK && strcmp(b.t[ATLAS_B_KIND], "state") == 0) {
        char key[64];
        snprintf(key, sizeof key, "%s %s", b.t[ATLAS_B_STATE],
                 b.t[ATLAS_B_KIND]);
        rc = remember(ctx, where, line, key, b.t[ATLAS_B_ID], d0, d1,
                      b.restored, err);
    }
    if (rc == ATLAS_OK)
        rc = atlas_store_put_border(ctx->st, &b, err);
    if (rc == ATLAS_OK)
        ctx->stats->n_borders++;
    free(b.xy);
    free(b.parts);
    free(b.polys);
    return err->code;
}

/* ---- places and their names -------------------------------------------- */

static atlas_status
opt_year(const char *where, const char *col, const char *s, int *out,
         atlas_error *err)
{
    long long v = 0;
    *out = 0;
    if (s == NULL)
        return ATLAS_OK;
    if (to_int(where, col, s, NAME_YEAR_MIN, NAME_YEAR_MAX, &v, err))
        return err->code;
    *out = (int)v;
    return ATLAS_OK;
}

static atlas_status
record_place(load_ctx *ctx, const char *where, const char *const *vals,
             atlas_error *err)
{
    atlas_place pl;
    long long v = 0;
    const char *s;

    memset(&pl, 0, sizeof pl);
    if (need(ctx, where, vals, "id", &pl.id, err) ||
        check_slug(where, "id", pl.id, err) ||
        need(ctx, where, vals, "kind", &pl.kind, err) ||
        need(ctx, where, vals, "rank", &s, err) ||
        to_int(where, "rank", s, 1, 4, &v, err))
        return err->code;
    pl.rank = (int)v;
    if (!one_of(pl.kind, atlas_place_kinds))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: kind \"%.20s\" is not one of capital, "
                               "city, town, sea, lake, river, region, line",
                               where, pl.kind);
    if (need(ctx, where, vals, "lon", &s, err) ||
        load_parse_real(where, "lon", s, -180, 360, &pl.lon, err) ||
        need(ctx, where, vals, "lat", &s, err) ||
        load_parse_real(where, "lat", s, -90, 90, &pl.lat, err) ||
        opt_year(where, "year_start", val(ctx, vals, "year_start"),
                 &pl.year_start, err) ||
        opt_year(where, "year_end", val(ctx, vals, "year_end"), &pl.year_end,
                 err) ||
        need(ctx, where, vals, "sources", &pl.sources, err))
        return err->code;
    if (pl.year_start && pl.year_end && pl.year_end < pl.year_start)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: year_end %d is before year_start %d", where,
                               pl.year_end, pl.year_start);
    if (atlas_store_has_feature(ctx->st, pl.id, err) > 0)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: id \"%.60s\" is already a site or a line",
                               where, pl.id);
    if (err->code)
        return err->code;
    pl.region = val(ctx, vals, "region");
    pl.notes = val(ctx, vals, "notes");
    if (atlas_store_put_place(ctx->st, &pl, err))
        return err->code;
    ctx->stats->n_places++;
    return ATLAS_OK;
}

/* The names of one place and language never overlap in time: N against
 * those stored already (this file's earlier rows among them). A row with
 * the same first year is the one N replaces. */
static atlas_status
check_overlap(load_ctx *ctx, const char *where, const atlas_place_name *n,
              atlas_error *err)
{
    atlas_period scratch;
    atlas_place_name *old = NULL;
    size_t n_old = 0;

    atlas_period_init(&scratch);
    if (atlas_store_place_names(ctx->st, n->place_id, &old, &n_old, &scratch,
                                err) == ATLAS_OK)
        for (size_t i = 0; i < n_old; i++) {
            const atlas_place_name *o = &old[i];
            if (o->lang == NULL || strcmp(o->lang, n->lang) != 0 ||
                o->year_start == n->year_start)
                continue;
            int a0 = o->year_start ? o->year_start : NAME_YEAR_MIN - 1;
            int a1 = o->year_end ? o->year_end : NAME_YEAR_MAX + 1;
            int b0 = n->year_start ? n->year_start : NAME_YEAR_MIN - 1;
            int b1 = n->year_end ? n->year_end : NAME_YEAR_MAX + 1;
            if (a0 <= b1 && b0 <= a1) {
                char ya[16] = "", yb[16] = "";
                if (o->year_start)
                    snprintf(ya, sizeof ya, "%d", o->year_start);
                if (o->year_end)
                    snprintf(yb, sizeof yb, "%d", o->year_end);
                atlas_error_set(err, ATLAS_E_INPUT,
                                "%s: the %s name \"%.80s\" of %.60s overlaps "
                                "\"%.80s\" (%s-%s) in time: one name a year a "
                                "language",
                                where, n->lang, n->name, n->place_id,
                                o->name ? o->name : "", ya, yb);
                break;
            }
        }
    free(old);
    atlas_period_free(&scratch);
    return err->code;
}

static atlas_status
record_name(load_ctx *ctx, const char *where, long line,
            const char *const *vals, atlas_error *err)
{
    atlas_place_name n;

    memset(&n, 0, sizeof n);
    if (need(ctx, where, vals, "place_id", &n.place_id, err) ||
        need(ctx, where, vals, "lang", &n.lang, err) ||
        need(ctx, where, vals, "name", &n.name, err) ||
        opt_year(where, "year_start", val(ctx, vals, "year_start"),
                 &n.year_start, err) ||
        opt_year(where, "year_end", val(ctx, vals, "year_end"), &n.year_end,
                 err))
        return err->code;
    size_t ll = strlen(n.lang);
    int lang_ok = ll == 2 || ll == 3;
    for (size_t i = 0; i < ll; i++)
        lang_ok &= n.lang[i] >= 'a' && n.lang[i] <= 'z';
    if (!lang_ok)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: lang \"%.20s\" is not an ISO 639-1 code",
                               where, n.lang);
    if (n.year_start && n.year_end && n.year_end < n.year_start)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: year_end %d is before year_start %d", where,
                               n.year_end, n.year_start);
    n.source = val(ctx, vals, "source");
    if ((n.year_start || n.year_end) && n.source == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: a name with years needs a source (the "
                               "source of the rename)",
                               where);
    if (!atlas_store_has_place(ctx->st, n.place_id))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: place_id \"%.60s\" names no place", where,
                               n.place_id);
    if (check_overlap(ctx, where, &n, err) ||
        atlas_store_put_place_name(ctx->st, &n, err))
        return err->code;
    (void)line;
    ctx->stats->n_names++;
    return ATLAS_OK;
}

static atlas_status
record_total(load_ctx *ctx, const char *where, const char *const *vals,
             atlas_error *err)
{
    atlas_total t;
    long long v = 0;
    const char *s;

    memset(&t, 0, sizeof t);
    if (need(ctx, where, vals, "year", &s, err) ||
        to_int(where, "year", s, 1917, 1991, &v, err))
        return err->code;
    t.year = (int)v;
    if (need(ctx, where, vals, "prisoners", &s, err) ||
        to_int(where, "prisoners", s, 0, 100000000, &t.prisoners, err) ||
        need(ctx, where, vals, "as_of", &t.as_of, err) ||
        need(ctx, where, vals, "counts", &t.counts, err) ||
        need(ctx, where, vals, "source", &t.source, err))
        return err->code;
    if (!atlas_date_parse(t.as_of, NULL))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: as_of \"%.20s\" is not a date YYYY-MM-DD",
                               where, t.as_of);
    if (atlas_store_put_total(ctx->st, &t, err))
        return err->code;
    ctx->stats->n_totals++;
    return ATLAS_OK;
}

atlas_status
load_period_record(load_ctx *ctx, const char *where, long line,
                   const char *const *vals, const load_geom *geom,
                   atlas_error *err)
{
    switch (ctx->target) {
    case LOAD_BORDERS:
        return record_border(ctx, where, line, vals, geom, err);
    case LOAD_PLACES:
        return record_place(ctx, where, vals, err);
    case LOAD_PLACE_NAMES:
        return record_name(ctx, where, line, vals, err);
    case LOAD_TOTALS:
        return record_total(ctx, where, vals, err);
    default:
        return ATLAS_OK;
    }
}

/* ---- the end of a file -------------------------------------------------- */

static int
cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    if (x->a != y->a) /* 0 (open) first */
        return x->a < y->a ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void
acc_free(load_ctx *ctx)
{
    period_acc *acc = ctx->acc;
    if (acc == NULL)
        return;
    for (size_t i = 0; i < acc->n; i++) {
        free(acc->s[i].key);
        free(acc->s[i].id);
    }
    free(acc->s);
    free(acc);
    ctx->acc = NULL;
}

atlas_status
load_period_finish(load_ctx *ctx, atlas_error *err)
{
    period_acc *acc = ctx->acc;

    if (acc == NULL || err->code != ATLAS_OK) {
        acc_free(ctx);
        return err->code;
    }
    qsort(acc->s, acc->n, sizeof *acc->s, cmp_span);
    for (size_t i = 1; i < acc->n && err->code == ATLAS_OK; i++) {
        const span *p = &acc->s[i - 1], *s = &acc->s[i];
        if (strcmp(p->key, s->key) != 0)
            continue;
        if (ctx->target == LOAD_BORDERS) {
            /* the later one of the pair is the line to fix */
            const span *late = p->line > s->line ? p : s;
            if (s->a <= p->b)
                atlas_error_set(err, ATLAS_E_INPUT,
                                "%s: border %s overlaps %s in time (both "
                                "are %s)",
                                late->where, late == s ? s->id : p->id,
                                late == s ? p->id : s->id, s->key);
            else if (s->a != p->b + 1 && !s->restored)
                atlas_error_set(err, ATLAS_E_INPUT,
                                "%s: a gap between the periods %s and %s of "
                                "%s (a period starts the day after the one "
                                "before ends; set restored where the state "
                                "did not exist between)",
                                late->where, p->id, s->id, s->key);
        } else if (ctx->target == LOAD_PLACE_NAMES) {
            /* sorted by first year, open first: overlap when the earlier
             * one is open-ended or ends at or after the later's start */
            int overlap = p->b == 0 || s->a == 0 || p->b >= s->a;
            if (overlap) {
                const span *late = p->line > s->line ? p : s;
                atlas_error_set(err, ATLAS_E_INPUT,
                                "%s: names \"%s\" and \"%s\" of %s overlap "
                                "in time (one name a year a language)",
                                late->where, p->id, s->id, s->key);
            }
        }
    }
    acc_free(ctx);
    return err->code;
}
