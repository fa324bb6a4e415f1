/* store_period.c: the reference layers in the atlas database: borders
 * (polygons of each state between two dates), places, place_names and
 * gulag_totals. Few rows, read whole: they go through OGR on any driver,
 * inside the load's transaction. Knows nothing of input files or
 * drawing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "store_private.h"

enum { P_BORDERS, P_PLACES, P_NAMES, P_TOTALS, N_PLAYERS };

static const char *const player_names[N_PLAYERS] = {"borders", "places",
                                                    "place_names",
                                                    "gulag_totals"};

typedef struct pfield {
    const char *name;
    OGRFieldType type;
    int not_null;
} pfield;

static const pfield place_fields[] = {
    {"id", OFTString, 1},         {"kind", OFTString, 1},
    {"rank", OFTInteger, 1},      {"region", OFTString, 0},
    {"year_start", OFTInteger, 0}, {"year_end", OFTInteger, 0},
    {"sources", OFTString, 1},    {"notes", OFTString, 0},
    {NULL, OFTString, 0}};

static const pfield name_fields[] = {
    {"place_id", OFTString, 1},   {"lang", OFTString, 1},
    {"name", OFTString, 1},       {"year_start", OFTInteger, 0},
    {"year_end", OFTInteger, 0},  {"source", OFTString, 0},
    {NULL, OFTString, 0}};

static const pfield total_fields[] = {
    {"year", OFTInteger, 1},      {"prisoners", OFTInteger64, 1},
    {"as_of", OFTString, 1},      {"counts", OFTString, 1},
    {"source", OFTString, 1},     {NULL, OFTString, 0}};

static atlas_status
gdal_fail(const char *path, const char *what, atlas_error *err)
{
    const char *m = CPLGetLastErrorMsg();
    return atlas_error_set(err, ATLAS_E_IO, "%s: %s: %s", path, what,
                           (m != NULL && *m) ? m : "unknown GDAL error");
}

static atlas_status
add_field(OGRLayerH lyr, const char *path, const char *name, OGRFieldType t,
          int not_null, atlas_error *err)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, t);
    OGR_Fld_SetNullable(fd, !not_null);
    OGRErr e = OGR_L_CreateField(lyr, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE)
        return gdal_fail(path, "cannot add a field", err);
    return ATLAS_OK;
}

static atlas_status
create_player(GDALDatasetH ds, const char *path, int which,
              atlas_error *err)
{
    OGRSpatialReferenceH srs = NULL;
    char **opts = NULL;
    OGRwkbGeometryType gt = which == P_BORDERS  ? wkbMultiPolygon
                            : which == P_PLACES ? wkbPoint
                                                : wkbNone;
    atlas_status rc = ATLAS_OK;

    if (gt != wkbNone) {
        srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, 4326);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
        opts = CSLSetNameValue(opts, "SPATIAL_INDEX", "YES");
        opts = CSLSetNameValue(opts, "GEOMETRY_NAME", "geom");
    }
    opts = CSLSetNameValue(opts, "FID", "fid");
    CPLErrorReset();
    OGRLayerH lyr =
        GDALDatasetCreateLayer(ds, player_names[which], srs, gt, opts);
    CSLDestroy(opts);
    if (srs != NULL)
        OSRDestroySpatialReference(srs);
    if (lyr == NULL)
        return gdal_fail(path, "cannot create a reference layer", err);
    if (which == P_BORDERS) {
        for (int f = 0; f < ATLAS_B_N_TEXT && rc == ATLAS_OK; f++)
            rc = add_field(lyr, path, atlas_border_field_name(f), OFTString,
                           f == ATLAS_B_ID || f == ATLAS_B_STATE ||
                               f == ATLAS_B_KIND || f == ATLAS_B_DATE_START ||
                               f == ATLAS_B_DATE_END,
                           err);
        static const char *const ints[] = {"year_start", "year_end",
                                           "restored", NULL};
        for (int i = 0; ints[i] != NULL && rc == ATLAS_OK; i++)
            rc = add_field(lyr, path, ints[i], OFTInteger, 1, err);
        if (rc == ATLAS_OK)
            rc = add_field(lyr, path, "label_lon", OFTReal, 0, err);
        if (rc == ATLAS_OK)
            rc = add_field(lyr, path, "label_lat", OFTReal, 0, err);
        return rc;
    }
    const pfield *fs = which == P_PLACES  ? place_fields
                       : which == P_NAMES ? name_fields
                                          : total_fields;
    for (int i = 0; fs[i].name != NULL && rc == ATLAS_OK; i++)
        rc = add_field(lyr, path, fs[i].name, fs[i].type, fs[i].not_null,
                       err);
    return rc;
}

atlas_status
store_period_ensure(void *dataset, const char *path, int is_gpkg,
                    atlas_error *err)
{
    static const char *const gpkg_sql[] = {
        "CREATE UNIQUE INDEX IF NOT EXISTS borders_id ON borders(id)",
        "CREATE INDEX IF NOT EXISTS borders_dates ON "
        "borders(date_start, date_end)",
        "CREATE UNIQUE INDEX IF NOT EXISTS places_id ON places(id)",
        "CREATE INDEX IF NOT EXISTS place_names_key ON "
        "place_names(place_id, lang)",
        "CREATE UNIQUE INDEX IF NOT EXISTS gulag_totals_year ON "
        "gulag_totals(year)",
        NULL};
    GDALDatasetH ds = dataset;
    int made = 0;

    CPLPushErrorHandler(CPLQuietErrorHandler);
    for (int l = 0; l < N_PLAYERS && err->code == ATLAS_OK; l++)
        if (GDALDatasetGetLayerByName(ds, player_names[l]) == NULL) {
            create_player(ds, path, l, err);
            made = 1;
        }
    if (made && is_gpkg)
        for (int i = 0; gpkg_sql[i] != NULL && err->code == ATLAS_OK; i++) {
            CPLErrorReset();
            OGRLayerH r = GDALDatasetExecuteSQL(ds, gpkg_sql[i], NULL, NULL);
            if (r != NULL)
                GDALDatasetReleaseResultSet(ds, r);
            if (CPLGetLastErrorType() >= CE_Failure)
                gdal_fail(path, "cannot index a reference layer", err);
        }
    CPLPopErrorHandler();
    return err->code;
}

/* ---- writing ---------------------------------------------------------- */

/* The feature of LYR whose WHERE holds, or NULL. Owned by the caller. */
static OGRFeatureH
find_where(OGRLayerH lyr, const char *where)
{
    OGR_L_SetAttributeFilter(lyr, where);
    OGR_L_ResetReading(lyr);
    OGRFeatureH f = OGR_L_GetNextFeature(lyr);
    OGR_L_SetAttributeFilter(lyr, NULL);
    return f;
}

/* "NAME = 'VALUE'" with VALUE's quotes doubled, into BUF; 0 when too
 * long. */
static int
eq_clause(char *buf, size_t size, const char *name, const char *value)
{
    size_t n = (size_t)snprintf(buf, size, "%s = '", name);
    for (const char *p = value; *p && n + 3 < size; p++) {
        if (*p == '\'')
            buf[n++] = '\'';
        buf[n++] = *p;
    }
    if (n + 2 >= size)
        return 0;
    buf[n++] = '\'';
    buf[n] = '\0';
    return 1;
}

static OGRLayerH
player(void *dataset, int which)
{
    return GDALDatasetGetLayerByName((GDALDatasetH)dataset,
                                     player_names[which]);
}

static void
set_text(OGRFeatureH f, const char *name, const char *v)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0)
        return;
    if (v == NULL || *v == '\0')
        OGR_F_SetFieldNull(f, i);
    else
        OGR_F_SetFieldString(f, i, v);
}

static void
set_int(OGRFeatureH f, const char *name, long long v, int is_set)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0)
        return;
    if (!is_set)
        OGR_F_SetFieldNull(f, i);
    else
        OGR_F_SetFieldInteger64(f, i, v);
}

/* Writes F as new, or over OLD (whose fid it takes); destroys both. */
static atlas_status
write_feature(OGRLayerH lyr, OGRFeatureH f, OGRFeatureH old, const char *path,
              atlas_error *err)
{
    OGRErr e;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    if (old != NULL) {
        OGR_F_SetFID(f, OGR_F_GetFID(old));
        e = OGR_L_SetFeature(lyr, f);
    } else {
        e = OGR_L_CreateFeature(lyr, f);
    }
    if (e != OGRERR_NONE)
        gdal_fail(path, "cannot write a reference feature", err);
    CPLPopErrorHandler();
    OGR_F_Destroy(f);
    if (old != NULL)
        OGR_F_Destroy(old);
    return err->code;
}

/* Polygons of B as an OGR MultiPolygon. Owned by the caller. */
static OGRGeometryH
border_geometry(const atlas_border *b)
{
    OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
    for (size_t p = 0; p < b->n_polys; p++) {
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        for (size_t r = b->polys[p]; r < b->polys[p + 1]; r++) {
            OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
            for (size_t k = b->parts[r]; k < b->parts[r + 1]; k++)
                OGR_G_AddPoint_2D(ring, b->xy[2 * k], b->xy[2 * k + 1]);
            OGR_G_AddGeometryDirectly(poly, ring);
        }
        OGR_G_AddGeometryDirectly(mp, poly);
    }
    return mp;
}

atlas_status
store_period_put_border(void *ds, const char *path, const atlas_border *b,
                        atlas_error *err)
{
    OGRLayerH lyr = player(ds, P_BORDERS);
    char where[600];

    if (lyr == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: no borders table", path);
    if (!eq_clause(where, sizeof where, "id", b->t[ATLAS_B_ID]))
        return atlas_error_set(err, ATLAS_E_INPUT, "id is too long");
    OGRFeatureH old = find_where(lyr, where);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    for (int i = 0; i < ATLAS_B_N_TEXT; i++)
        set_text(f, atlas_border_field_name(i), b->t[i]);
    set_int(f, "year_start", b->year_start, 1);
    set_int(f, "year_end", b->year_end, 1);
    set_int(f, "restored", b->restored, 1);
    int il = OGR_F_GetFieldIndex(f, "label_lon");
    int ia = OGR_F_GetFieldIndex(f, "label_lat");
    if (b->has_label && il >= 0 && ia >= 0) {
        OGR_F_SetFieldDouble(f, il, b->label_lon);
        OGR_F_SetFieldDouble(f, ia, b->label_lat);
    }
    OGR_F_SetGeometryDirectly(f, border_geometry(b));
    return write_feature(lyr, f, old, path, err);
}

atlas_status
store_period_put_place(void *ds, const char *path, const atlas_place *pl,
                       atlas_error *err)
{
    OGRLayerH lyr = player(ds, P_PLACES);
    char where[600];

    if (lyr == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: no places table", path);
    if (!eq_clause(where, sizeof where, "id", pl->id))
        return atlas_error_set(err, ATLAS_E_INPUT, "id is too long");
    OGRFeatureH old = find_where(lyr, where);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    set_text(f, "id", pl->id);
    set_text(f, "kind", pl->kind);
    set_int(f, "rank", pl->rank, 1);
    set_text(f, "region", pl->region);
    set_int(f, "year_start", pl->year_start, pl->year_start != 0);
    set_int(f, "year_end", pl->year_end, pl->year_end != 0);
    set_text(f, "sources", pl->sources);
    set_text(f, "notes", pl->notes);
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(pt, 0, pl->lon, pl->lat);
    OGR_F_SetGeometryDirectly(f, pt);
    return write_feature(lyr, f, old, path, err);
}

atlas_status
store_period_put_name(void *ds, const char *path, const atlas_place_name *n,
                      atlas_error *err)
{
    OGRLayerH lyr = player(ds, P_NAMES);
    char a[300], b[300], where[700];

    if (lyr == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: no place_names table",
                               path);
    if (!eq_clause(a, sizeof a, "place_id", n->place_id) ||
        !eq_clause(b, sizeof b, "lang", n->lang))
        return atlas_error_set(err, ATLAS_E_INPUT, "place_id is too long");
    if (n->year_start != 0)
        snprintf(where, sizeof where, "%s AND %s AND year_start = %d", a, b,
                 n->year_start);
    else
        snprintf(where, sizeof where, "%s AND %s AND year_start IS NULL", a,
                 b);
    OGRFeatureH old = find_where(lyr, where);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    set_text(f, "place_id", n->place_id);
    set_text(f, "lang", n->lang);
    set_text(f, "name", n->name);
    set_int(f, "year_start", n->year_start, n->year_start != 0);
    set_int(f, "year_end", n->year_end, n->year_end != 0);
    set_text(f, "source", n->source);
    return write_feature(lyr, f, old, path, err);
}

atlas_status
store_period_put_total(void *ds, const char *path, const atlas_total *t,
                       atlas_error *err)
{
    OGRLayerH lyr = player(ds, P_TOTALS);
    char where[64];

    if (lyr == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: no gulag_totals table",
                               path);
    snprintf(where, sizeof where, "year = %d", t->year);
    OGRFeatureH old = find_where(lyr, where);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    set_int(f, "year", t->year, 1);
    set_int(f, "prisoners", t->prisoners, 1);
    set_text(f, "as_of", t->as_of);
    set_text(f, "counts", t->counts);
    set_text(f, "source", t->source);
    return write_feature(lyr, f, old, path, err);
}

int
store_period_has_place(void *ds, const char *id)
{
    OGRLayerH lyr = player(ds, P_PLACES);
    char where[600];
    if (lyr == NULL || !eq_clause(where, sizeof where, "id", id))
        return 0;
    OGRFeatureH f = find_where(lyr, where);
    if (f == NULL)
        return 0;
    OGR_F_Destroy(f);
    return 1;
}

int
store_period_layer(const char *name)
{
    for (int l = 0; l < N_PLAYERS; l++)
        if (strcmp(name, player_names[l]) == 0)
            return 1;
    return 0;
}

/* ---- reading ---------------------------------------------------------- */

static const char *
text_of(atlas_period *p, OGRFeatureH f, const char *name, int *ok)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
        return NULL;
    return atlas_period_strdup(p, OGR_F_GetFieldAsString(f, i), ok);
}

static long long
int_of(OGRFeatureH f, const char *name)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
        return 0;
    return OGR_F_GetFieldAsInteger64(f, i);
}

/* The rings of G (a Polygon or MultiPolygon) into B, in P's arena. */
static int
read_rings(atlas_period *p, atlas_border *b, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int np = t == wkbPolygon ? 1 : OGR_G_GetGeometryCount(g);
    size_t n_pts = 0, n_rings = 0;

    for (int i = 0; i < np; i++) {
        OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, i);
        for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
            n_pts += (size_t)OGR_G_GetPointCount(OGR_G_GetGeometryRef(poly, r));
            n_rings++;
        }
    }
    b->xy = atlas_feature_list_alloc(&p->arena,
                                     (2 * n_pts + 1) * sizeof(double));
    b->parts = atlas_feature_list_alloc(&p->arena,
                                        (n_rings + 1) * sizeof(size_t));
    b->polys = atlas_feature_list_alloc(&p->arena,
                                        ((size_t)np + 1) * sizeof(size_t));
    if (b->xy == NULL || b->parts == NULL || b->polys == NULL)
        return 0;
    size_t k = 0, rr = 0;
    for (int i = 0; i < np; i++) {
        OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, i);
        b->polys[i] = rr;
        for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
            OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
            b->parts[rr++] = k;
            for (int j = 0; j < OGR_G_GetPointCount(ring); j++, k++) {
                b->xy[2 * k] = OGR_G_GetX(ring, j);
                b->xy[2 * k + 1] = OGR_G_GetY(ring, j);
            }
        }
    }
    b->parts[rr] = k;
    b->polys[np] = rr;
    b->n_pts = k;
    b->n_parts = rr;
    b->n_polys = (size_t)np;
    return 1;
}

static atlas_status
read_borders(void *ds, const char *path, const char *date, atlas_period *p,
             atlas_error *err)
{
    OGRLayerH lyr = player(ds, P_BORDERS);
    char where[128];
    OGRFeatureH f;
    int ok = 1;

    if (lyr == NULL)
        return ATLAS_OK;
    if (date != NULL) {
        snprintf(where, sizeof where,
                 "date_start <= '%.10s' AND date_end >= '%.10s'", date, date);
        OGR_L_SetAttributeFilter(lyr, where);
    }
    OGR_L_ResetReading(lyr);
    while (ok && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
        atlas_border *b = atlas_period_add_border(p);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (b == NULL) {
            ok = 0;
        } else {
            for (int i = 0; i < ATLAS_B_N_TEXT; i++)
                b->t[i] = text_of(p, f, atlas_border_field_name(i), &ok);
            b->year_start = (int)int_of(f, "year_start");
            b->year_end = (int)int_of(f, "year_end");
            b->restored = int_of(f, "restored") != 0;
            int il = OGR_F_GetFieldIndex(f, "label_lon");
            int ia = OGR_F_GetFieldIndex(f, "label_lat");
            if (il >= 0 && ia >= 0 && OGR_F_IsFieldSetAndNotNull(f, il) &&
                OGR_F_IsFieldSetAndNotNull(f, ia)) {
                b->has_label = 1;
                b->label_lon = OGR_F_GetFieldAsDouble(f, il);
                b->label_lat = OGR_F_GetFieldAsDouble(f, ia);
            }
            if (g != NULL && !read_rings(p, b, g))
                ok = 0;
        }
        OGR_F_Destroy(f);
    }
    OGR_L_SetAttributeFilter(lyr, NULL);
    if (!ok)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    (void)path;
    return ATLAS_OK;
}

static int
cmp_border(const void *a, const void *b)
{
    const atlas_border *x = a, *y = b;
    /* occupied areas over the states; then by id, a stable order */
    int kx = x->t[ATLAS_B_KIND] && strcmp(x->t[ATLAS_B_KIND], "occupied") == 0;
    int ky = y->t[ATLAS_B_KIND] && strcmp(y->t[ATLAS_B_KIND], "occupied") == 0;
    if (kx != ky)
        return kx - ky;
    return strcmp(x->t[ATLAS_B_ID] ? x->t[ATLAS_B_ID] : "",
                  y->t[ATLAS_B_ID] ? y->t[ATLAS_B_ID] : "");
}

static int
cmp_place(const void *a, const void *b)
{
    const atlas_place *x = a, *y = b;
    return strcmp(x->id, y->id);
}

/* 1 when a name or place of [YS, YE] (0: open) holds in YEAR. */
static int
holds(int ys, int ye, int year)
{
    return year == 0 || ((ys == 0 || ys <= year) && (ye == 0 || year <= ye));
}

static atlas_place *
find_place(atlas_period *p, const char *id)
{
    atlas_place key = {0};
    key.id = id;
    return bsearch(&key, p->places, p->n_places, sizeof *p->places,
                   cmp_place);
}

static atlas_status
read_places(void *ds, int year, const char *lang, atlas_period *p,
            atlas_error *err)
{
    OGRLayerH lyr = player(ds, P_PLACES);
    OGRLayerH nl = player(ds, P_NAMES);
    OGRFeatureH f;
    int ok = 1;

    if (lyr == NULL)
        return ATLAS_OK;
    OGR_L_ResetReading(lyr);
    while (ok && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
        int ys = (int)int_of(f, "year_start"), ye = (int)int_of(f, "year_end");
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (holds(ys, ye, year) && g != NULL) {
            atlas_place *pl = atlas_period_add_place(p);
            if (pl == NULL) {
                ok = 0;
            } else {
                pl->id = text_of(p, f, "id", &ok);
                pl->kind = text_of(p, f, "kind", &ok);
                pl->region = text_of(p, f, "region", &ok);
                pl->sources = text_of(p, f, "sources", &ok);
                pl->notes = text_of(p, f, "notes", &ok);
                pl->rank = (int)int_of(f, "rank");
                pl->year_start = ys;
                pl->year_end = ye;
                pl->lon = OGR_G_GetX(g, 0);
                pl->lat = OGR_G_GetY(g, 0);
                if (pl->id == NULL)
                    p->n_places--; /* not a place atlas can name */
            }
        }
        OGR_F_Destroy(f);
    }
    if (!ok)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    if (p->n_places > 1)
        qsort(p->places, p->n_places, sizeof *p->places, cmp_place);
    if (nl == NULL || p->n_places == 0)
        return ATLAS_OK;
    /* The name of the year: in LANG, else English (the caller asked for
     * no Russian fallback; a place's local name is its name_LANG). */
    const char *want[2] = {lang != NULL ? lang : "en", "en"};
    for (int pass = 0; pass < 2 && ok; pass++) {
        char where[64];
        snprintf(where, sizeof where, "lang = '%.8s'", want[pass]);
        OGR_L_SetAttributeFilter(nl, where);
        OGR_L_ResetReading(nl);
        while (ok && (f = OGR_L_GetNextFeature(nl)) != NULL) {
            int ys = (int)int_of(f, "year_start");
            int ye = (int)int_of(f, "year_end");
            int i = OGR_F_GetFieldIndex(f, "place_id");
            int ni = OGR_F_GetFieldIndex(f, "name");
            atlas_place *pl =
                i >= 0 ? find_place(p, OGR_F_GetFieldAsString(f, i)) : NULL;
            /* without a year, the name in use at the end */
            int fits = year != 0 ? holds(ys, ye, year) : ye == 0;
            if (pl != NULL && pl->name == NULL && fits && ni >= 0)
                pl->name =
                    atlas_period_strdup(p, OGR_F_GetFieldAsString(f, ni), &ok);
            OGR_F_Destroy(f);
        }
        OGR_L_SetAttributeFilter(nl, NULL);
    }
    if (!ok)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

atlas_status
store_period_read(void *ds, const char *path, const char *date, int year,
                  const char *lang, int what, atlas_period *p,
                  atlas_error *err)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    if (date != NULL)
        snprintf(p->date, sizeof p->date, "%.10s", date);
    p->year = year;
    if ((what & 1) && read_borders(ds, path, date, p, err) == ATLAS_OK &&
        p->n_borders > 1)
        qsort(p->borders, p->n_borders, sizeof *p->borders, cmp_border);
    if ((what & 2) && err->code == ATLAS_OK)
        read_places(ds, year, lang, p, err);
    CPLPopErrorHandler();
    return err->code;
}

atlas_status
store_period_names(void *ds, const char *place_id, atlas_place_name **out,
                   size_t *n, atlas_period *p, atlas_error *err)
{
    OGRLayerH nl = player(ds, P_NAMES);
    char where[600];
    OGRFeatureH f;
    int ok = 1;

    *out = NULL;
    *n = 0;
    if (nl == NULL || !eq_clause(where, sizeof where, "place_id", place_id))
        return ATLAS_OK;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGR_L_SetAttributeFilter(nl, where);
    OGR_L_ResetReading(nl);
    while (ok && (f = OGR_L_GetNextFeature(nl)) != NULL) {
        atlas_place_name *bigger = realloc(*out, (*n + 1) * sizeof **out);
        if (bigger == NULL) {
            ok = 0;
        } else {
            *out = bigger;
            atlas_place_name *pn = &bigger[(*n)++];
            memset(pn, 0, sizeof *pn);
            pn->place_id = place_id;
            pn->lang = text_of(p, f, "lang", &ok);
            pn->name = text_of(p, f, "name", &ok);
            pn->source = text_of(p, f, "source", &ok);
            pn->year_start = (int)int_of(f, "year_start");
            pn->year_end = (int)int_of(f, "year_end");
        }
        OGR_F_Destroy(f);
    }
    OGR_L_SetAttributeFilter(nl, NULL);
    CPLPopErrorHandler();
    if (!ok)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

atlas_status
store_period_totals(void *ds, atlas_total **out, size_t *n, atlas_period *p,
                    atlas_error *err)
{
    OGRLayerH lyr = player(ds, P_TOTALS);
    OGRFeatureH f;
    int ok = 1;

    *out = NULL;
    *n = 0;
    if (lyr == NULL)
        return ATLAS_OK;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGR_L_ResetReading(lyr);
    while (ok && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
        atlas_total *bigger = realloc(*out, (*n + 1) * sizeof **out);
        if (bigger == NULL) {
            ok = 0;
        } else {
            *out = bigger;
            atlas_total *t = &bigger[(*n)++];
            t->year = (int)int_of(f, "year");
            t->prisoners = int_of(f, "prisoners");
            t->as_of = text_of(p, f, "as_of", &ok);
            t->counts = text_of(p, f, "counts", &ok);
            t->source = text_of(p, f, "source", &ok);
        }
        OGR_F_Destroy(f);
    }
    CPLPopErrorHandler();
    if (!ok)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}
