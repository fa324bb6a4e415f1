/* load.c: the load transaction, the column map and the checks every
 * record passes, whatever file it came from. The readers live in
 * load_csv.c, load_ogr.c (GeoJSON, GeoPackage) and load_shp.c. */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ogr_api.h>

#include "load_private.h"

#define YEAR_MIN 1917
#define YEAR_MAX 1991

typedef struct input {
    char *path;
    int format; /* 0 csv, 1 ogr, 2 shp */
    load_target target;
} input;

static const char *
ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (dot == NULL || (slash != NULL && dot < slash))
        return "";
    return dot + 1;
}

/* The reader for PATH, by extension, or -1. */
static int
format_of(const char *path)
{
    const char *e = ext_of(path);
    if (strcasecmp(e, "csv") == 0)
        return 0;
    if (strcasecmp(e, "geojson") == 0 || strcasecmp(e, "json") == 0 ||
        strcasecmp(e, "gpkg") == 0)
        return 1;
    if (strcasecmp(e, "shp") == 0)
        return 2;
    return -1;
}

static int
cmp_input(const void *a, const void *b)
{
    const input *x = a, *y = b;
    /* bibliography first, per-year counts (which need their sites) last */
    static const int rank[LOAD_N_TARGETS] = {
        [LOAD_SOURCES] = 0,     [LOAD_FEATURES] = 1, [LOAD_YEARS] = 2,
        [LOAD_PLACES] = 3,      [LOAD_PLACE_NAMES] = 4,
        [LOAD_BORDERS] = 5,     [LOAD_TOTALS] = 6};
    if (rank[x->target] != rank[y->target])
        return rank[x->target] - rank[y->target];
    return strcmp(x->path, y->path);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static atlas_status
add_input(input **v, size_t *n, size_t *cap, const char *path, int format,
          atlas_error *err)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        input *nv = realloc(*v, nc * sizeof *nv);
        if (nv == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        *v = nv;
        *cap = nc;
    }
    (*v)[*n].path = strdup(path);
    if ((*v)[*n].path == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    (*v)[*n].format = format;
    (*v)[*n].target = LOAD_FEATURES;
    (*n)++;
    return ATLAS_OK;
}

/* Adds the loadable files of folder DIR, in name order. */
static atlas_status
add_folder(input **v, size_t *n, size_t *cap, const char *dir, atlas_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0, nc = 0;

    if (d == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot open: %s", dir,
                               strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || format_of(de->d_name) < 0)
            continue;
        if (nn == nc) {
            nc = nc ? nc * 2 : 16;
            char **nv = realloc(names, nc * sizeof *nv);
            if (nv == NULL) {
                atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
                break;
            }
            names = nv;
        }
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        names[nn] = malloc(len);
        if (names[nn] == NULL) {
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
            break;
        }
        snprintf(names[nn], len, "%s%s%s", dir,
                 dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
        nn++;
    }
    closedir(d);
    if (err->code == ATLAS_OK) {
        qsort(names, nn, sizeof *names, cmp_str);
        for (size_t i = 0; i < nn && err->code == ATLAS_OK; i++) {
            struct stat sb;
            if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode))
                add_input(v, n, cap, names[i], format_of(names[i]), err);
        }
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return err->code;
}

/* ---- columns ---------------------------------------------------------- */

static int
column_of(const load_ctx *ctx, const char *name)
{
    static const struct {
        const char *name;
        int col;
    } extra[] = {{"lon", COL_LON},       {"lat", COL_LAT},
                 {"wkt", COL_WKT},       {"site_id", COL_SITE_ID},
                 {"year", COL_YEAR},     {"prisoners", COL_PRISONERS},
                 {"source", COL_SOURCE}, {"citation", COL_CITATION},
                 {"url", COL_URL},       {"as_of", COL_AS_OF},
                 {"note", COL_NOTE}};
    const char *const *map = ctx->opts->map;
    int f;

    /* --map src=dst renames a column first */
    for (size_t i = 0; i < ctx->opts->n_map; i++) {
        const char *eq = strchr(map[i], '=');
        if (eq != NULL && strlen(name) == (size_t)(eq - map[i]) &&
            strncmp(map[i], name, (size_t)(eq - map[i])) == 0) {
            name = eq + 1;
            break;
        }
    }
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (strcmp(extra[i].name, name) == 0)
            return extra[i].col;
    if (strcmp(name, "longitude") == 0 || strcmp(name, "lng") == 0)
        return COL_LON;
    if (strcmp(name, "latitude") == 0)
        return COL_LAT;
    f = atlas_field_lookup(name);
    if (f < 0 && ctx->shp_names)
        f = atlas_field_lookup_shp(name);
    return f >= 0 ? f : COL_IGNORED;
}

static void
note_ignored(load_ctx *ctx, const char *name)
{
    char *buf = ctx->stats->ignored;
    size_t size = sizeof ctx->stats->ignored;
    size_t len = strlen(buf);
    int n;

    if (len == 0)
        n = snprintf(buf, size, "%s: %s", ctx->file, name);
    else if (strstr(buf, ctx->file) != NULL)
        n = snprintf(buf + len, size - len, ", %s", name);
    else
        n = snprintf(buf + len, size - len, "; %s: %s", ctx->file, name);
    (void)n; /* a long list is cut; it is only a note */
}

static void
free_names(load_ctx *ctx)
{
    if (ctx->names != NULL)
        for (int i = 0; i < ctx->n_cols; i++)
            free(ctx->names[i]);
    free(ctx->names);
    ctx->names = NULL;
}

/* The reference layers are told by their header (or, for borders, their
 * polygons) and keep it by name. Returns 1 (ERR may be set) when NAMES is
 * one of theirs, 0 when not. */
static int
map_period_columns(load_ctx *ctx, const char *const *names, int n,
                   int has_geom, atlas_error *err)
{
    int has_rank = 0, has_pid = 0, has_counts = 0, has_year = 0;
    int has_lon = 0, has_site = 0;

    for (int i = 0; i < n; i++) {
        has_rank |= strcmp(names[i], "rank") == 0;
        has_pid |= strcmp(names[i], "place_id") == 0;
        has_counts |= strcmp(names[i], "counts") == 0;
        has_year |= strcmp(names[i], "year") == 0;
        has_lon |= strcmp(names[i], "lon") == 0;
        has_site |= strcmp(names[i], "site_id") == 0;
    }
    int has_state = 0, has_date = 0;
    for (int i = 0; i < n; i++) {
        has_state |= strcmp(names[i], "state") == 0;
        has_date |= strcmp(names[i], "date_start") == 0;
    }
    if (has_geom == 2 && has_state && has_date)
        ctx->target = LOAD_BORDERS; /* else polygons a feature cannot be */
    else if (has_rank && has_lon && !has_geom)
        ctx->target = LOAD_PLACES;
    else if (has_pid && !has_geom)
        ctx->target = LOAD_PLACE_NAMES;
    else if (has_year && has_counts && !has_site && !has_geom)
        ctx->target = LOAD_TOTALS;
    else {
        free_names(ctx);
        return 0;
    }
    free_names(ctx);
    free(ctx->cols);
    ctx->cols = calloc(n > 0 ? (size_t)n : 1, sizeof *ctx->cols);
    ctx->names = calloc(n > 0 ? (size_t)n : 1, sizeof *ctx->names);
    ctx->n_cols = ctx->cols && ctx->names ? n : 0;
    if (ctx->cols == NULL || ctx->names == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                atlas_error_set(err, ATLAS_E_INPUT,
                                "%s:1: column %s appears twice", ctx->file,
                                names[i]);
                return 1;
            }
        if ((ctx->names[i] = strdup(names[i])) == NULL) {
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
            return 1;
        }
        ctx->cols[i] = COL_IGNORED;
    }
    return 1;
}

atlas_status
load_map_columns(load_ctx *ctx, const char *const *names, int n, int has_geom,
                 atlas_error *err)
{
    int seen[ATLAS_N_FIELDS + 16];
    int has_lon = 0, has_lat = 0, has_wkt = 0, has_id = 0;
    int has_site = 0, has_year = 0, has_pris = 0, has_cit = 0;

    memset(seen, 0, sizeof seen);
    if (map_period_columns(ctx, names, n, has_geom, err) != 0)
        return err->code;
    free(ctx->cols);
    ctx->cols = calloc(n > 0 ? (size_t)n : 1, sizeof *ctx->cols);
    if (ctx->cols == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    ctx->n_cols = n;
    for (int i = 0; i < n; i++) {
        int c = column_of(ctx, names[i]);
        int slot = c >= 0 ? c : ATLAS_N_FIELDS - c;
        if (c != COL_IGNORED && seen[slot])
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s:1: column %s appears twice", ctx->file,
                                   names[i]);
        if (c != COL_IGNORED)
            seen[slot] = 1;
        ctx->cols[i] = c;
        has_lon |= c == COL_LON;
        has_lat |= c == COL_LAT;
        has_wkt |= c == COL_WKT;
        has_id |= c == ATLAS_F_ID;
        has_site |= c == COL_SITE_ID;
        has_year |= c == COL_YEAR;
        has_pris |= c == COL_PRISONERS;
        has_cit |= c == COL_CITATION;
    }
    if (has_site && has_year && has_pris && !has_lon && !has_wkt && !has_geom) {
        ctx->target = LOAD_YEARS;
    } else if (has_id && has_cit && !has_lon && !has_wkt && !has_geom) {
        ctx->target = LOAD_SOURCES;
    } else {
        ctx->target = LOAD_FEATURES;
        if (!has_id)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s:1: no id column (expected the columns "
                                   "of docs/schema.md, or --map SRC=id)",
                                   ctx->file);
        if (!has_geom && !has_wkt && !(has_lon && has_lat))
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s:1: no geometry: expected lon and lat "
                                   "columns, or a wkt column",
                                   ctx->file);
    }
    for (int i = 0; i < n; i++) {
        int c = ctx->cols[i];
        int keep;
        switch (ctx->target) {
        case LOAD_YEARS:
            keep = c == COL_SITE_ID || c == COL_YEAR || c == COL_PRISONERS ||
                   c == COL_SOURCE || c == COL_AS_OF || c == COL_NOTE;
            break;
        case LOAD_SOURCES:
            keep = c == ATLAS_F_ID || c == COL_CITATION || c == COL_URL;
            break;
        default:
            keep = c >= 0 || c == COL_LON || c == COL_LAT || c == COL_WKT;
        }
        if (!keep) {
            /* what atlas itself exports is not worth a note */
            if (strcmp(names[i], "fid") != 0 &&
                strcmp(names[i], "layer") != 0 &&
                strcmp(names[i], "prisoners") != 0)
                note_ignored(ctx, names[i]);
            ctx->cols[i] = COL_IGNORED;
        }
    }
    return ATLAS_OK;
}

/* ---- values ----------------------------------------------------------- */

int
load_utf8_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        size_t n;
        unsigned min;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            p++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            n = 1, c &= 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0)
            n = 2, c &= 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0)
            n = 3, c &= 0x07, min = 0x10000;
        else
            return 0;
        if ((size_t)(end - p) <= n)
            return 0;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0; /* overlong, out of range, or a surrogate */
        p += n + 1;
    }
    return 1;
}

atlas_status
load_parse_int(const char *where, const char *col, const char *s,
               long long *out, atlas_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    /* GeoJSON numbers may come back as "1937.0" */
    if (*end == '.' && end != s) {
        char *p = end + 1;
        while (*p == '0')
            p++;
        if (*p == '\0')
            end = p;
    }
    if (errno != 0 || end == s || *end != '\0')
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %s: \"%.40s\" is not a whole number", where,
                               col, s);
    *out = v;
    return ATLAS_OK;
}

atlas_status
load_parse_real(const char *where, const char *col, const char *s, double lo,
                double hi, double *out, atlas_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %s: \"%.40s\" is not a number", where, col,
                               s);
    if (v < lo || v > hi)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %s: %s is out of range (%g..%g)", where,
                               col, s, lo, hi);
    *out = v;
    return ATLAS_OK;
}

static atlas_status
check_year(const load_ctx *ctx, const char *where, const char *col, long long y,
           atlas_error *err)
{
    if (ctx->opts->allow_years ? (y < 1 || y > 9999)
                               : (y < YEAR_MIN || y > YEAR_MAX))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %s %lld is outside %d-%d "
                               "(--allow-years accepts it)",
                               where, col, y, YEAR_MIN, YEAR_MAX);
    return ATLAS_OK;
}

/* Geometry from the WKT text S into FE. */
static atlas_status
geom_from_wkt(load_ctx *ctx, const char *where, const char *s,
              atlas_feature *fe, atlas_error *err)
{
    OGRGeometryH g = NULL;
    char *text = (char *)s;
    atlas_status rc = ATLAS_OK;

    if (OGR_G_CreateFromWkt(&text, NULL, &g) != OGRERR_NONE || g == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: wkt: not valid WKT",
                               where);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint) {
        double xy[2] = {OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)};
        fe->layer = ATLAS_LAYER_SITES;
        if (atlas_feature_set_geom(&ctx->row, fe, xy, 1, NULL, 0) < 0)
            rc = atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    } else if (t == wkbLineString || t == wkbMultiLineString) {
        int np = t == wkbLineString ? 1 : OGR_G_GetGeometryCount(g);
        size_t total = 0, k = 0;
        for (int p = 0; p < np; p++)
            total += (size_t)OGR_G_GetPointCount(
                t == wkbLineString ? g : OGR_G_GetGeometryRef(g, p));
        double *xy = calloc(total ? total * 2 : 2, sizeof *xy);
        size_t *parts = calloc(np ? (size_t)np : 1, sizeof *parts);
        if (xy == NULL || parts == NULL) {
            rc = atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        } else {
            for (int p = 0; p < np; p++) {
                OGRGeometryH ls =
                    t == wkbLineString ? g : OGR_G_GetGeometryRef(g, p);
                parts[p] = k;
                for (int i = 0; i < OGR_G_GetPointCount(ls); i++, k++) {
                    xy[2 * k] = OGR_G_GetX(ls, i);
                    xy[2 * k + 1] = OGR_G_GetY(ls, i);
                }
            }
            fe->layer = ATLAS_LAYER_LINES;
            if (atlas_feature_set_geom(&ctx->row, fe, xy, total, parts,
                                       (size_t)np) < 0)
                rc = atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        }
        free(xy);
        free(parts);
    } else {
        rc = atlas_error_set(err, ATLAS_E_INPUT,
                             "%s: wkt: %s geometry: expected a point or a line",
                             where, load_geom_name(g));
    }
    OGR_G_DestroyGeometry(g);
    return rc;
}

static atlas_status
check_geom(const char *where, const atlas_feature *fe, atlas_error *err)
{
    if (fe->layer == ATLAS_LAYER_LINES) {
        for (size_t p = 0; p < fe->n_parts; p++) {
            size_t a = fe->parts[p];
            size_t b = p + 1 < fe->n_parts ? fe->parts[p + 1] : fe->n_pts;
            if (b - a < 2)
                return atlas_error_set(err, ATLAS_E_INPUT,
                                       "%s: a line needs at least 2 points",
                                       where);
        }
    }
    for (size_t i = 0; i < fe->n_pts; i++) {
        double x = fe->xy[2 * i], y = fe->xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y) || x < -180 || x > 180 || y < -90 ||
            y > 90)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: coordinate %g %g is out of range "
                                   "(lon -180..180, lat -90..90)",
                                   where, x, y);
    }
    return ATLAS_OK;
}

/* The key that must be unique within one file, or NULL. */
static const char *
record_key(const load_ctx *ctx, const char *const *vals, char *buf, size_t size)
{
    const char *id = NULL, *year = NULL;
    for (int i = 0; i < ctx->n_cols; i++) {
        if (ctx->target != LOAD_YEARS && ctx->cols[i] == ATLAS_F_ID)
            id = vals[i];
        if (ctx->target == LOAD_YEARS && ctx->cols[i] == COL_SITE_ID)
            id = vals[i];
        if (ctx->target == LOAD_YEARS && ctx->cols[i] == COL_YEAR)
            year = vals[i];
    }
    if (id == NULL || *id == '\0')
        return NULL;
    /* one file (a GeoPackage) may hold several tables: keep keys apart */
    if (ctx->target == LOAD_YEARS)
        snprintf(buf, size, "y %s %s", id, year ? year : "");
    else
        snprintf(buf, size, "%c %s", ctx->target == LOAD_SOURCES ? 's' : 'f',
                 id);
    return buf;
}

/* Reads the current file again for the record whose key is KEY; returns
 * its line (or feature number), 0 if not found. Only a duplicate's error
 * message needs it, so no map of every key read is kept. */
static long
find_first(const load_ctx *ctx, const char *key)
{
    load_ctx sub = *ctx;
    atlas_load_stats stats;
    atlas_error scratch = {0};
    struct stat sb;

    /* a pipe cannot be read again: opening it would wait for a writer
     * that never comes */
    if (stat(ctx->file, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    memset(&stats, 0, sizeof stats);
    sub.stats = &stats;
    sub.cols = NULL;
    sub.names = NULL;
    sub.acc = NULL;
    sub.n_cols = 0;
    sub.find_key = key;
    sub.found = 0;
    atlas_feature_list_init(&sub.row);
    switch (sub.format) {
    case 0:
        load_csv(&sub, &scratch);
        break;
    case 1:
        load_ogr(&sub, &scratch);
        break;
    default:
        load_shp(&sub, &scratch);
    }
    free_names(&sub);
    free(sub.cols);
    atlas_feature_list_free(&sub.row);
    return sub.found;
}

/* The error for a record whose key this file already wrote. */
static atlas_status
report_dup(load_ctx *ctx, const char *where, const char *const *vals,
           atlas_error *err)
{
    char key[512];
    const char *k = record_key(ctx, vals, key, sizeof key);
    long long first;

    if (k == NULL)
        k = "? ";
    char at[40] = ""; /* where the first copy was, when it can be found */
    first = find_first(ctx, k);
    if (first > 0)
        snprintf(at, sizeof at, " (first at %lld)", first);
    if (ctx->target == LOAD_YEARS)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: duplicate site_id and year \"%s\"%s", where,
                               k + 2, at);
    return atlas_error_set(err, ATLAS_E_INPUT, "%s: duplicate id \"%s\"%s",
                           where, k + 2, at);
}

/* Remembers the id of a stored feature (CTX a load_ctx). */
static atlas_status
note_stored_id(void *ctx, const atlas_feature *fe, atlas_error *err)
{
    load_ctx *c = ctx;
    const char *id = atlas_feature_text(fe, ATLAS_F_ID);
    if (id != NULL &&
        atlas_strmap_put(c->ids[fe->layer == ATLAS_LAYER_LINES], id, 0) < 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

/* Before FE (at WHERE, line LINE) is stored: with --replace, empties its
 * table at its first feature (a file of lines leaves the sites alone;
 * the yearly counts go with the sites they count), then checks that its
 * id names no feature of the other table, stored or loaded: ids are
 * unique across sites and lines (2026-12: a line silently replaced the
 * site of its id). */
static atlas_status
claim_id(load_ctx *ctx, const atlas_feature *fe, const char *where, long line,
         atlas_error *err)
{
    static const char *const tables[2][3] = {{"site_years", "sites", NULL},
                                             {"lines", NULL, NULL}};
    int l = fe->layer == ATLAS_LAYER_LINES;
    const char *id = atlas_feature_text(fe, ATLAS_F_ID);
    long long at = 0;

    if (ctx->ids[0] == NULL) { /* the first feature of the load */
        atlas_query q = {0};
        if ((ctx->ids[0] = atlas_strmap_new()) == NULL ||
            (ctx->ids[1] = atlas_strmap_new()) == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        q.layers = ATLAS_Q_SITES | ATLAS_Q_LINES;
        if (atlas_store_query_each(ctx->st, &q, note_stored_id, ctx, err))
            return err->code;
    }
    if (ctx->opts->replace && !ctx->cleared[l]) {
        for (const char *const *t = tables[l]; *t != NULL; t++)
            if (atlas_store_clear(ctx->st, *t, err))
                return err->code;
        atlas_strmap_clear(ctx->ids[l]);
        ctx->cleared[l] = 1;
    }
    if (id == NULL)
        return ATLAS_OK;
    if (atlas_strmap_get(ctx->ids[!l], id, &at) && at == 0) {
        /* a later file may yet replace that table: decided at the end */
        if (ctx->pending[l] == NULL && (ctx->pending[l] = malloc(512)) != NULL)
            snprintf(ctx->pending[l], 512,
                     "%s: id \"%.200s\" is already the id of a %s in the "
                     "database: ids are unique across sites and lines",
                     where, id, l ? "site" : "line");
        if (ctx->pending[l] == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    } else if (at != 0) {
        char first[600] = "";
        size_t f = (size_t)(at >> 32);
        /* where it was, as that file's reader says it */
        if (f > 0 && f <= ctx->file_no + 1 && format_of(ctx->files[f - 1]) == 0)
            snprintf(first, sizeof first, " (%s:%lld)", ctx->files[f - 1],
                     at & 0xffffffffLL);
        else if (f > 0 && f <= ctx->file_no + 1)
            snprintf(first, sizeof first, " (%s: feature %lld)",
                     ctx->files[f - 1], at & 0xffffffffLL);
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: id \"%.200s\" is already the id of a "
                               "%s%s: ids are unique across sites and lines",
                               where, id, l ? "site" : "line", first);
    }
    long long here = (long long)(ctx->file_no + 1) << 32 |
                     (line > 0 && line < 0xffffffffL ? line : 0);
    if (atlas_strmap_put(ctx->ids[l], id, here) < 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

static atlas_status
record_feature(load_ctx *ctx, const char *where, long line,
               const char *const *vals, const load_geom *geom,
               atlas_error *err)
{
    atlas_feature *fe;
    double lon = 0, lat = 0;
    int has_lon = 0, has_lat = 0;
    const char *wkt = NULL;
    long long ys, ye, v;
    int dup;

    atlas_feature_list_clear(&ctx->row);
    fe = atlas_feature_list_add(&ctx->row);
    if (fe == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    for (int i = 0; i < ctx->n_cols; i++) {
        int c = ctx->cols[i];
        const char *s = vals[i];
        if (c == COL_IGNORED || s == NULL || *s == '\0')
            continue;
        if (c == COL_LON) {
            if (load_parse_real(where, "lon", s, -180, 180, &lon, err))
                return err->code;
            has_lon = 1;
        } else if (c == COL_LAT) {
            if (load_parse_real(where, "lat", s, -90, 90, &lat, err))
                return err->code;
            has_lat = 1;
        } else if (c == COL_WKT) {
            wkt = s;
        } else if (atlas_field_type_of(c) == ATLAS_TYPE_INT) {
            if (load_parse_int(where, atlas_field_name(c), s, &v, err))
                return err->code;
            atlas_feature_set_int(fe, c, v);
        } else if (atlas_feature_set_text(&ctx->row, fe, c, s) < 0) {
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        }
    }

    /* geometry: the reader's, else wkt, else lon/lat */
    if (geom != NULL && geom->n_pts > 0) {
        fe->layer = geom->is_line ? ATLAS_LAYER_LINES : ATLAS_LAYER_SITES;
        if (atlas_feature_set_geom(&ctx->row, fe, geom->xy, geom->n_pts,
                                   geom->parts, geom->n_parts) < 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    } else if (wkt != NULL) {
        if (geom_from_wkt(ctx, where, wkt, fe, err))
            return err->code;
    } else if (has_lon && has_lat) {
        double xy[2] = {lon, lat};
        fe->layer = ATLAS_LAYER_SITES;
        if (atlas_feature_set_geom(&ctx->row, fe, xy, 1, NULL, 0) < 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    } else {
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: no geometry (lon and lat, or wkt, are "
                               "empty)",
                               where);
    }
    if (check_geom(where, fe, err))
        return err->code;

    /* the fields every feature needs */
    const char *id = atlas_feature_text(fe, ATLAS_F_ID);
    if (id == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: id is empty", where);
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: id \"%.60s\": use lowercase letters, "
                                   "digits, '_', '-' and '.'",
                                   where, id);
    const char *kind = atlas_feature_text(fe, ATLAS_F_KIND);
    if (kind == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: kind is empty", where);
    int kl = atlas_kind_layer(kind);
    if (kl < 0)
        return atlas_error_set(
            err, ATLAS_E_INPUT,
            "%s: kind \"%.40s\" is not one of camp, execution_site, prison, "
            "transit, special_settlement, station, uprising, railway, canal, "
            "road, deportation",
            where, kind);
    if (kl != (int)fe->layer)
        return atlas_error_set(
            err, ATLAS_E_INPUT, "%s: kind %s needs a %s geometry, not a %s",
            where, kind, kl == ATLAS_LAYER_SITES ? "point" : "line",
            fe->layer == ATLAS_LAYER_SITES ? "point" : "line");
    if (!atlas_feature_int(fe, ATLAS_F_YEAR_START, &ys))
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: year_start is empty",
                               where);
    if (!atlas_feature_int(fe, ATLAS_F_YEAR_END, &ye))
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: year_end is empty",
                               where);
    if (check_year(ctx, where, "year_start", ys, err) ||
        check_year(ctx, where, "year_end", ye, err))
        return err->code;
    if (ye < ys)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: year_end %lld is before year_start %lld",
                               where, ye, ys);
    const char *prec = atlas_feature_text(fe, ATLAS_F_LOCATION_PRECISION);
    if (prec != NULL && strcmp(prec, "exact") != 0 &&
        strcmp(prec, "settlement") != 0 && strcmp(prec, "approximate") != 0)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: location_precision \"%.40s\" is not one "
                               "of exact, settlement, approximate",
                               where, prec);
    static const atlas_field counts[] = {
        ATLAS_F_PRISONERS_PEAK, ATLAS_F_VICTIMS_MIN, ATLAS_F_VICTIMS_MAX,
        ATLAS_F_DEPORTED_MIN, ATLAS_F_DEPORTED_MAX};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (atlas_feature_int(fe, counts[i], &v) && v < 0)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: %s %lld is negative", where,
                                   atlas_field_name(counts[i]), v);
    long long lo, hi;
    if (atlas_feature_int(fe, ATLAS_F_VICTIMS_MIN, &lo) &&
        atlas_feature_int(fe, ATLAS_F_VICTIMS_MAX, &hi) && hi < lo)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: victims_max %lld is below victims_min "
                               "%lld",
                               where, hi, lo);
    if (atlas_feature_int(fe, ATLAS_F_DEPORTED_MIN, &lo) &&
        atlas_feature_int(fe, ATLAS_F_DEPORTED_MAX, &hi) && hi < lo)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: deported_max %lld is below deported_min "
                               "%lld",
                               where, hi, lo);
    if (atlas_feature_int(fe, ATLAS_F_PRISONERS_PEAK_YEAR, &v) &&
        check_year(ctx, where, "prisoners_peak_year", v, err))
        return err->code;
    if (atlas_feature_int(fe, ATLAS_F_SIGNIFICANT, &v) && v != 0 && v != 1)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: significant %lld is not 0 or 1", where, v);

    if (claim_id(ctx, fe, where, line, err) ||
        atlas_store_put_feature(ctx->st, fe, &dup, err))
        return err->code;
    if (dup)
        return report_dup(ctx, where, vals, err);
    if (fe->layer == ATLAS_LAYER_SITES)
        ctx->stats->n_sites++;
    else
        ctx->stats->n_lines++;
    return ATLAS_OK;
}

static atlas_status
record_year(load_ctx *ctx, const char *where, const char *const *vals,
            atlas_error *err)
{
    atlas_year_count yc = {0};
    long long v;

    for (int i = 0; i < ctx->n_cols; i++) {
        const char *s = vals[i];
        if (s == NULL || *s == '\0')
            continue;
        switch (ctx->cols[i]) {
        case COL_SITE_ID:
            yc.site_id = (char *)s;
            break;
        case COL_YEAR:
            if (load_parse_int(where, "year", s, &v, err) ||
                check_year(ctx, where, "year", v, err))
                return err->code;
            yc.year = (int)v;
            break;
        case COL_PRISONERS:
            if (load_parse_int(where, "prisoners", s, &v, err))
                return err->code;
            if (v < 0)
                return atlas_error_set(err, ATLAS_E_INPUT,
                                       "%s: prisoners %lld is negative", where,
                                       v);
            yc.prisoners = v;
            break;
        case COL_SOURCE:
            yc.source = (char *)s;
            break;
        case COL_AS_OF:
            yc.as_of = (char *)s;
            break;
        case COL_NOTE:
            yc.note = (char *)s;
            break;
        }
    }
    if (yc.as_of != NULL &&
        (!atlas_date_parse(yc.as_of, NULL) || atoi(yc.as_of) != yc.year))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: as_of \"%.20s\" is not a date "
                               "YYYY-MM-DD of year %d",
                               where, yc.as_of, yc.year);
    int has_pris = 0;
    for (int i = 0; i < ctx->n_cols; i++)
        if (ctx->cols[i] == COL_PRISONERS && vals[i] && *vals[i])
            has_pris = 1;
    if (yc.site_id == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: site_id is empty",
                               where);
    if (yc.year == 0)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: year is empty", where);
    if (!has_pris)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: prisoners is empty (leave the row out "
                               "when there is no count)",
                               where);
    int has = atlas_store_has_feature(ctx->st, yc.site_id, err);
    if (has < 0)
        return err->code;
    if (!has)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: site_id \"%.60s\" names no site", where,
                               yc.site_id);
    int dup;
    if (atlas_store_put_year(ctx->st, &yc, &dup, err))
        return err->code;
    if (dup)
        return report_dup(ctx, where, vals, err);
    ctx->stats->n_years++;
    return ATLAS_OK;
}

static atlas_status
record_source(load_ctx *ctx, const char *where, const char *const *vals,
              atlas_error *err)
{
    atlas_source src = {0};
    for (int i = 0; i < ctx->n_cols; i++) {
        const char *s = vals[i];
        if (s == NULL || *s == '\0')
            continue;
        if (ctx->cols[i] == ATLAS_F_ID)
            src.id = (char *)s;
        else if (ctx->cols[i] == COL_CITATION)
            src.citation = (char *)s;
        else if (ctx->cols[i] == COL_URL)
            src.url = (char *)s;
    }
    if (src.id == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: id is empty", where);
    if (src.citation == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: citation is empty",
                               where);
    int dup;
    if (atlas_store_put_source(ctx->st, &src, &dup, err))
        return err->code;
    if (dup)
        return report_dup(ctx, where, vals, err);
    ctx->stats->n_sources++;
    return ATLAS_OK;
}

atlas_status
load_record(load_ctx *ctx, const char *where, long line,
            const char *const *vals, int n, const load_geom *geom,
            atlas_error *err)
{
    if (ctx->find_key != NULL) {
        /* looking for a duplicate's first occurrence: stop there */
        char key[512];
        const char *k =
            n == ctx->n_cols ? record_key(ctx, vals, key, sizeof key) : NULL;
        if (k != NULL && strcmp(k, ctx->find_key) == 0) {
            ctx->found = line;
            return atlas_error_set(err, ATLAS_E_INPUT, "found");
        }
        return ATLAS_OK;
    }
    if (n != ctx->n_cols)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %d fields, expected %d (as in the header)",
                               where, n, ctx->n_cols);
    for (int i = 0; i < n; i++)
        if (vals[i] != NULL && !load_utf8_ok(vals[i], strlen(vals[i])))
            return atlas_error_set(err, ATLAS_E_INPUT, "%s: invalid UTF-8",
                                   where);
    switch (ctx->target) {
    case LOAD_FEATURES:
        return record_feature(ctx, where, line, vals, geom, err);
    case LOAD_YEARS:
        return record_year(ctx, where, vals, err);
    case LOAD_SOURCES:
        return record_source(ctx, where, vals, err);
    default:
        return load_period_record(ctx, where, line, vals, geom, err);
    }
}

/* ---- the transaction -------------------------------------------------- */

static atlas_status
check_map(const atlas_load_opts *opts, atlas_error *err)
{
    for (size_t i = 0; i < opts->n_map; i++) {
        const char *eq = strchr(opts->map[i], '=');
        if (eq == NULL || eq == opts->map[i] || eq[1] == '\0')
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "--map %s: expected SRC=DST", opts->map[i]);
        const char *dst = eq + 1;
        if (atlas_field_lookup(dst) < 0 && strcmp(dst, "lon") != 0 &&
            strcmp(dst, "lat") != 0 && strcmp(dst, "wkt") != 0 &&
            strcmp(dst, "site_id") != 0 && strcmp(dst, "year") != 0 &&
            strcmp(dst, "prisoners") != 0 && strcmp(dst, "source") != 0 &&
            strcmp(dst, "citation") != 0 && strcmp(dst, "url") != 0)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "--map %s: %s is not a field of "
                                   "docs/schema.md",
                                   opts->map[i], dst);
    }
    return ATLAS_OK;
}

atlas_status
atlas_load_paths(atlas_store *st, const char *const *paths, size_t n_paths,
                 const atlas_load_opts *opts, atlas_load_stats *stats,
                 atlas_error *err)
{
    input *in = NULL;
    size_t n = 0, cap = 0;
    atlas_load_stats local;
    load_ctx ctx;
    int cleared[LOAD_N_TARGETS] = {0};
    int began = 0;

    if (stats == NULL)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    memset(&ctx, 0, sizeof ctx);
    if (check_map(opts, err))
        return err->code;
    for (size_t i = 0; i < n_paths && err->code == ATLAS_OK; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) {
            atlas_error_set(err, ATLAS_E_IO, "%s: cannot open: %s", paths[i],
                            strerror(errno));
        } else if (S_ISDIR(sb.st_mode)) {
            add_folder(&in, &n, &cap, paths[i], err);
        } else if (format_of(paths[i]) < 0) {
            atlas_error_set(err, ATLAS_E_INPUT,
                            "%s: unknown file type (expected .csv, .geojson, "
                            ".json, .gpkg or .shp)",
                            paths[i]);
        } else {
            add_input(&in, &n, &cap, paths[i], format_of(paths[i]), err);
        }
    }
    /* tell what each CSV holds, so the bibliography can go first */
    for (size_t i = 0; i < n && err->code == ATLAS_OK; i++)
        if (in[i].format == 0)
            load_csv_target(in[i].path, &in[i].target, err);
        else if (in[i].format == 1 && load_ogr_is_borders(in[i].path))
            in[i].target = LOAD_BORDERS;
    if (err->code)
        goto cleanup;
    qsort(in, n, sizeof *in, cmp_input);

    if (atlas_store_begin(st, err))
        goto cleanup;
    began = 1;
    ctx.st = st;
    ctx.opts = opts;
    ctx.stats = stats;
    if ((ctx.files = calloc(n + 1, sizeof *ctx.files)) == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        ctx.files[i] = in[i].path;
    atlas_feature_list_init(&ctx.row);
    for (size_t i = 0; i < n && err->code == ATLAS_OK; i++) {
        ctx.file = in[i].path;
        ctx.shp_names = in[i].format == 2;
        ctx.format = in[i].format;
        ctx.file_no = i;
        /* a file of features empties sites or lines at its first feature
         * of each (claim_id()): which it holds is known only then */
        if (opts->replace && !cleared[in[i].target] &&
            in[i].target != LOAD_FEATURES) {
            static const char *const year_tables[] = {"site_years", NULL};
            static const char *const source_tables[] = {"sources", NULL};
            static const char *const period_tables[][2] = {
                [LOAD_PLACES] = {"places", NULL},
                [LOAD_PLACE_NAMES] = {"place_names", NULL},
                [LOAD_TOTALS] = {"gulag_totals", NULL},
                [LOAD_BORDERS] = {"borders", NULL}};
            const char *const *tables =
                in[i].target == LOAD_YEARS     ? year_tables
                : in[i].target == LOAD_SOURCES ? source_tables
                                               : period_tables[in[i].target];
            for (const char *const *t = tables; *t; t++)
                if (atlas_store_clear(st, *t, err))
                    break;
            cleared[in[i].target] = 1;
        }
        if (err->code == ATLAS_OK && atlas_store_batch(st, err) == ATLAS_OK) {
            switch (in[i].format) {
            case 0:
                load_csv(&ctx, err);
                break;
            case 1:
                load_ogr(&ctx, err);
                break;
            default:
                load_shp(&ctx, err);
            }
        }
        load_period_finish(&ctx, err);
        stats->n_files++;
    }
    for (int l = 0; l < 2 && err->code == ATLAS_OK; l++)
        if (ctx.pending[l] != NULL && !ctx.cleared[!l])
            atlas_error_set(err, ATLAS_E_INPUT, "%s", ctx.pending[l]);
    if (err->code == ATLAS_OK)
        atlas_store_commit(st, err);

cleanup:
    if (began && err->code != ATLAS_OK)
        atlas_store_rollback(st);
    atlas_feature_list_free(&ctx.row);
    atlas_strmap_free(ctx.ids[0]);
    atlas_strmap_free(ctx.ids[1]);
    free(ctx.pending[0]);
    free(ctx.pending[1]);
    free(ctx.files);
    free_names(&ctx);
    free(ctx.cols);
    for (size_t i = 0; i < n; i++)
        free(in[i].path);
    free(in);
    return err->code;
}
