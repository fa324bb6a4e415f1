/* store.c: the atlas database through GDAL/OGR. Creates the GeoPackage
 * schema (docs/schema.md), upserts features by id inside one transaction,
 * and answers year/kind/bbox queries. Other OGR drivers (PostgreSQL) take
 * the same path, less the GeoPackage-only year index.
 * Knows nothing of input files, styles or drawing. */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "store_private.h"
#include "strmap.h"

enum { L_SITES, L_LINES, L_YEARS, L_SOURCES, N_LAYERS };

static const char *const layer_names[N_LAYERS] = {"sites", "lines",
                                                  "site_years", "sources"};

struct atlas_store {
    GDALDatasetH ds;
    OGRLayerH lyr[N_LAYERS];
    int fidx[2][ATLAS_N_FIELDS]; /* OGR field index per schema field */
    int is_gpkg;
    int in_tx;
    atlas_strmap *ids[N_LAYERS]; /* key -> fid, built on first upsert */
    atlas_strmap *seen;          /* keys written in this batch (OGR path) */
    store_gpkg *fast;            /* GeoPackage writes, straight to SQLite */
    char *path;
};

/* GDAL reports through a handler; we keep quiet and fold the last message
 * into ours. */
static void
gdal_quiet(void)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
}

static void
gdal_loud(void)
{
    CPLPopErrorHandler();
}

static const char *
gdal_msg(void)
{
    const char *m = CPLGetLastErrorMsg();
    return (m != NULL && *m) ? m : "unknown GDAL error";
}

static int
is_connection_string(const char *conn)
{
    return strncmp(conn, "PG:", 3) == 0 || strncmp(conn, "/vsi", 4) == 0;
}

/* Runs SQL that returns no rows. */
static atlas_status
exec_sql(atlas_store *st, const char *sql, atlas_error *err)
{
    gdal_quiet();
    OGRLayerH res = GDALDatasetExecuteSQL(st->ds, sql, NULL, NULL);
    int bad = CPLGetLastErrorType() >= CE_Failure;
    if (bad)
        atlas_error_set(err, ATLAS_E_IO, "%s: %s", st->path, gdal_msg());
    if (res != NULL)
        GDALDatasetReleaseResultSet(st->ds, res);
    gdal_loud();
    return err->code;
}

static atlas_status
create_layer(atlas_store *st, int which, OGRwkbGeometryType gt,
             atlas_error *err)
{
    OGRSpatialReferenceH srs = NULL;
    char **opts = NULL;
    OGRLayerH lyr;

    if (gt != wkbNone) {
        srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, 4326);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
        opts = CSLSetNameValue(opts, "SPATIAL_INDEX", "YES");
        opts = CSLSetNameValue(opts, "GEOMETRY_NAME", "geom");
    }
    opts = CSLSetNameValue(opts, "FID", "fid");
    lyr = GDALDatasetCreateLayer(st->ds, layer_names[which], srs, gt, opts);
    CSLDestroy(opts);
    if (srs != NULL)
        OSRDestroySpatialReference(srs);
    if (lyr == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot create %s: %s",
                               st->path, layer_names[which], gdal_msg());
    st->lyr[which] = lyr;
    return ATLAS_OK;
}

static atlas_status
add_field(atlas_store *st, OGRLayerH lyr, const char *name, OGRFieldType t,
          int not_null, atlas_error *err)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, t);
    if (t == OFTInteger64)
        OGR_Fld_SetSubType(fd, OFSTNone);
    OGR_Fld_SetNullable(fd, !not_null);
    OGRErr e = OGR_L_CreateField(lyr, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE)
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot add field %s: %s",
                               st->path, name, gdal_msg());
    return ATLAS_OK;
}

static atlas_status
create_schema(atlas_store *st, atlas_error *err)
{
    static const char *const post_sql[] = {
        "CREATE UNIQUE INDEX sites_id ON sites(id)",
        "CREATE UNIQUE INDEX lines_id ON lines(id)",
        "CREATE INDEX sites_year_start ON sites(year_start)",
        "CREATE INDEX sites_year_end ON sites(year_end)",
        "CREATE INDEX lines_year_start ON lines(year_start)",
        "CREATE INDEX lines_year_end ON lines(year_end)",
        "CREATE INDEX sites_kind ON sites(kind)",
        "CREATE UNIQUE INDEX site_years_key ON site_years(site_id, year)",
        "CREATE UNIQUE INDEX sources_id ON sources(id)",
        /* An interval index on the years: a year query then costs what it
         * returns, not what the table holds. Kept in step by triggers. */
        "CREATE VIRTUAL TABLE atlas_sites_years USING rtree_i32(id, y0, y1)",
        "CREATE VIRTUAL TABLE atlas_lines_years USING rtree_i32(id, y0, y1)",
        NULL};
    static const char *const tables[] = {"sites", "lines"};

    if (create_layer(st, L_SITES, wkbPoint, err) ||
        create_layer(st, L_LINES, wkbMultiLineString, err) ||
        create_layer(st, L_YEARS, wkbNone, err) ||
        create_layer(st, L_SOURCES, wkbNone, err))
        return err->code;
    for (int l = L_SITES; l <= L_LINES; l++) {
        for (int f = 0; f < ATLAS_N_FIELDS; f++) {
            OGRFieldType t = atlas_field_type_of(f) == ATLAS_TYPE_INT
                                 ? OFTInteger64
                                 : OFTString;
            int nn = f == ATLAS_F_ID || f == ATLAS_F_KIND ||
                     f == ATLAS_F_YEAR_START || f == ATLAS_F_YEAR_END;
            if (add_field(st, st->lyr[l], atlas_field_name(f), t, nn, err))
                return err->code;
        }
    }
    if (add_field(st, st->lyr[L_YEARS], "site_id", OFTString, 1, err) ||
        add_field(st, st->lyr[L_YEARS], "year", OFTInteger, 1, err) ||
        add_field(st, st->lyr[L_YEARS], "prisoners", OFTInteger64, 1, err) ||
        add_field(st, st->lyr[L_YEARS], "source", OFTString, 0, err) ||
        add_field(st, st->lyr[L_YEARS], "as_of", OFTString, 0, err) ||
        add_field(st, st->lyr[L_YEARS], "note", OFTString, 0, err) ||
        add_field(st, st->lyr[L_SOURCES], "id", OFTString, 1, err) ||
        add_field(st, st->lyr[L_SOURCES], "citation", OFTString, 1, err) ||
        add_field(st, st->lyr[L_SOURCES], "url", OFTString, 0, err))
        return err->code;
    if (store_period_ensure(st->ds, st->path, st->is_gpkg, err))
        return err->code;
    if (!st->is_gpkg)
        return ATLAS_OK;
    for (int i = 0; post_sql[i] != NULL; i++)
        if (exec_sql(st, post_sql[i], err))
            return err->code;
    for (int t = 0; t < 2; t++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER atlas_%s_yi AFTER INSERT ON %s BEGIN "
                 "INSERT INTO atlas_%s_years VALUES "
                 "(NEW.fid, NEW.year_start, NEW.year_end); END",
                 tables[t], tables[t], tables[t]);
        if (exec_sql(st, sql, err))
            return err->code;
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER atlas_%s_yu AFTER UPDATE ON %s BEGIN "
                 "DELETE FROM atlas_%s_years WHERE id = OLD.fid; "
                 "INSERT INTO atlas_%s_years VALUES "
                 "(NEW.fid, NEW.year_start, NEW.year_end); END",
                 tables[t], tables[t], tables[t], tables[t]);
        if (exec_sql(st, sql, err))
            return err->code;
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER atlas_%s_yd AFTER DELETE ON %s BEGIN "
                 "DELETE FROM atlas_%s_years WHERE id = OLD.fid; END",
                 tables[t], tables[t], tables[t]);
        if (exec_sql(st, sql, err))
            return err->code;
    }
    return ATLAS_OK;
}

static atlas_status
bind_layers(atlas_store *st, atlas_error *err)
{
    for (int l = 0; l < N_LAYERS; l++) {
        st->lyr[l] = GDALDatasetGetLayerByName(st->ds, layer_names[l]);
        if (st->lyr[l] == NULL)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: not an atlas database (no %s table)",
                                   st->path, layer_names[l]);
    }
    if (OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(st->lyr[L_YEARS]), "as_of") <
        0)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: not an atlas database (site_years has no "
                               "column as_of)",
                               st->path);
    for (int l = L_SITES; l <= L_LINES; l++) {
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(st->lyr[l]);
        for (int f = 0; f < ATLAS_N_FIELDS; f++) {
            st->fidx[l][f] = OGR_FD_GetFieldIndex(defn, atlas_field_name(f));
            if (st->fidx[l][f] < 0)
                return atlas_error_set(
                    err, ATLAS_E_INPUT,
                    "%s: not an atlas database (%s has no column %s)", st->path,
                    layer_names[l], atlas_field_name(f));
        }
    }
    return ATLAS_OK;
}

/* 1 when CONN has a rollback journal left by a writer that died. */
static int
has_hot_journal(const char *conn)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s-journal", conn);
    return stat(path, &sb) == 0 && sb.st_size > 0;
}

atlas_store *
atlas_store_open(const char *conn, atlas_store_mode mode, atlas_error *err)
{
    static const char *const gpkg_only[] = {"GPKG", NULL};
    atlas_store *st = NULL;
    struct stat sb;
    int creating = 0;

    GDALAllRegister();
    /* Another atlas process writing the same database: wait for it (a
     * minute) rather than fail at once. */
    if (CPLGetConfigOption("OGR_SQLITE_PRAGMA", NULL) == NULL)
        CPLSetConfigOption("OGR_SQLITE_PRAGMA", "busy_timeout=60000");
    st = calloc(1, sizeof *st);
    if (st == NULL || (st->path = strdup(conn)) == NULL) {
        free(st);
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        return NULL;
    }
    if (!is_connection_string(conn)) {
        if (stat(conn, &sb) != 0) {
            if (mode != ATLAS_STORE_CREATE) {
                atlas_error_set(err, ATLAS_E_IO, "%s: no such database", conn);
                goto fail;
            }
            creating = 1;
        } else if (S_ISDIR(sb.st_mode)) {
            atlas_error_set(err, ATLAS_E_INPUT,
                            "%s: is a folder, not a GeoPackage file", conn);
            goto fail;
        } else if (!S_ISREG(sb.st_mode)) {
            atlas_error_set(err, ATLAS_E_INPUT, "%s: not a GeoPackage file",
                            conn);
            goto fail;
        }
    }
    gdal_quiet();
    if (creating) {
        GDALDriverH drv = GDALGetDriverByName("GPKG");
        st->ds = drv ? GDALCreate(drv, conn, 0, 0, 0, GDT_Unknown, NULL) : NULL;
        if (st->ds == NULL) {
            atlas_error_set(err, ATLAS_E_IO, "%s: cannot create: %s", conn,
                            gdal_msg());
            gdal_loud();
            goto fail;
        }
    } else {
        unsigned flags = GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR;
        if (mode != ATLAS_STORE_READ)
            flags |= GDAL_OF_UPDATE;
        st->ds = GDALOpenEx(conn, flags,
                            is_connection_string(conn) ? NULL : gpkg_only, NULL,
                            NULL);
        if (st->ds == NULL && mode == ATLAS_STORE_READ &&
            has_hot_journal(conn)) {
            /* A writer was killed mid-load. Its journal must be rolled
             * back, which takes a writable connection; then read. */
            GDALDatasetH rw = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                         gpkg_only, NULL, NULL);
            if (rw != NULL) {
                OGRLayerH r = GDALDatasetExecuteSQL(
                    rw, "SELECT count(*) FROM sqlite_master", NULL, NULL);
                if (r != NULL)
                    GDALDatasetReleaseResultSet(rw, r);
                GDALClose(rw);
            }
            st->ds = GDALOpenEx(conn, flags, gpkg_only, NULL, NULL);
        }
        if (st->ds == NULL) {
            if (access(conn, R_OK) != 0 && !is_connection_string(conn))
                atlas_error_set(err, ATLAS_E_IO, "%s: cannot read: %s", conn,
                                strerror(errno));
            else
                atlas_error_set(err, ATLAS_E_INPUT, "%s: not a GeoPackage file",
                                conn);
            gdal_loud();
            goto fail;
        }
    }
    gdal_loud();
    st->is_gpkg = strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(st->ds)),
                         "GPKG") == 0;
    if (creating) {
        if (create_schema(st, err) != ATLAS_OK)
            goto fail;
        GDALClose(st->ds); /* reopen so every layer is seen as stored */
        gdal_quiet();
        st->ds = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, gpkg_only,
                            NULL, NULL);
        gdal_loud();
        if (st->ds == NULL) {
            atlas_error_set(err, ATLAS_E_IO, "%s: cannot reopen", conn);
            goto fail;
        }
    }
    if (bind_layers(st, err) != ATLAS_OK)
        goto fail;
    /* a database of an earlier atlas gets the reference layers */
    if (mode != ATLAS_STORE_READ && !creating &&
        store_period_ensure(st->ds, conn, st->is_gpkg, err) != ATLAS_OK)
        goto fail;
    if (st->is_gpkg && mode != ATLAS_STORE_READ) {
        /* GDAL's own connection, so that both write in one transaction */
        void *db = GDALGetInternalHandle(st->ds, "SQLITE_HANDLE");
        if (db != NULL && (st->fast = store_gpkg_new(db, conn, err)) == NULL)
            goto fail;
    }
    return st;

fail:
    if (st->ds != NULL)
        GDALClose(st->ds);
    if (creating)
        unlink(conn); /* leave no half-made database behind */
    free(st->path);
    free(st);
    return NULL;
}

void
atlas_store_close(atlas_store *st)
{
    if (st == NULL)
        return;
    if (st->in_tx)
        atlas_store_rollback(st);
    for (int l = 0; l < N_LAYERS; l++)
        atlas_strmap_free(st->ids[l]);
    atlas_strmap_free(st->seen);
    store_gpkg_free(st->fast); /* its statements go before the handle */
    if (st->ds != NULL)
        GDALClose(st->ds);
    free(st->path);
    free(st);
}

/* ---- writing ---------------------------------------------------------- */

/* Opens the transaction and takes the write lock at once. 1 when another
 * writer holds the lock (retry later), 0 done, -1 failed with *WHY. */
static int
try_begin(atlas_store *st, char *why, size_t size)
{
    gdal_quiet();
    OGRErr e = GDALDatasetStartTransaction(st->ds, FALSE);
    if (e != OGRERR_NONE) {
        snprintf(why, size, "%s", gdal_msg());
        gdal_loud();
        return (strstr(why, "locked") || strstr(why, "busy")) ? 1 : -1;
    }
    gdal_loud();
    st->in_tx = 1;
    if (!st->is_gpkg)
        return 0;
    /* Take the write lock now, before any read: a transaction that reads
     * first and writes later cannot wait for another writer (SQLite
     * answers "busy" at once to avoid a deadlock). */
    gdal_quiet();
    OGRLayerH r = GDALDatasetExecuteSQL(st->ds, "DELETE FROM sources WHERE 0",
                                        NULL, NULL);
    int bad = CPLGetLastErrorType() >= CE_Failure;
    snprintf(why, size, "%s", gdal_msg()); /* rollback clears GDAL's */
    if (r != NULL)
        GDALDatasetReleaseResultSet(st->ds, r);
    gdal_loud();
    if (!bad)
        return 0;
    atlas_store_rollback(st);
    return (strstr(why, "locked") || strstr(why, "busy")) ? 1 : -1;
}

atlas_status
atlas_store_begin(atlas_store *st, atlas_error *err)
{
    char why[512];
    int r;

    /* Another writer: nothing is written yet, so wait and try again, for
     * up to a minute, before telling the user the database is busy. */
    for (int tries = 0; (r = try_begin(st, why, sizeof why)) == 1; tries++) {
        if (tries >= 1200)
            return atlas_error_set(err, ATLAS_E_IO,
                                   "%s: database is busy (another atlas "
                                   "process is writing to it)",
                                   st->path);
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (r < 0)
        return atlas_error_set(err, ATLAS_E_IO,
                               "%s: cannot start a transaction: %s", st->path,
                               why);
    if (st->fast != NULL)
        store_gpkg_reset(st->fast);
    return ATLAS_OK;
}

atlas_status
atlas_store_commit(atlas_store *st, atlas_error *err)
{
    if (st->fast != NULL && store_gpkg_finish(st->fast, err)) {
        atlas_store_rollback(st);
        return err->code;
    }
    gdal_quiet();
    OGRErr e = GDALDatasetCommitTransaction(st->ds);
    gdal_loud();
    st->in_tx = 0;
    if (st->fast != NULL)
        store_gpkg_reset(st->fast);
    if (e != OGRERR_NONE) {
        const char *m = gdal_msg();
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot commit: %s", st->path,
                        (strstr(m, "locked") || strstr(m, "busy"))
                            ? "database is busy"
                            : m);
        atlas_store_rollback(st);
        return err->code;
    }
    return ATLAS_OK;
}

void
atlas_store_rollback(atlas_store *st)
{
    gdal_quiet();
    GDALDatasetRollbackTransaction(st->ds);
    gdal_loud();
    st->in_tx = 0;
    if (st->fast != NULL)
        store_gpkg_reset(st->fast);
    for (int l = 0; l < N_LAYERS; l++) {
        atlas_strmap_free(st->ids[l]);
        st->ids[l] = NULL;
    }
}

/* The key of a row in layer L, as the upsert map knows it. */
static void
row_key(int l, OGRFeatureH f, char *buf, size_t size)
{
    if (l == L_YEARS)
        snprintf(buf, size, "%s\x1f%d",
                 OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "site_id")),
                 OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "year")));
    else
        snprintf(buf, size, "%s",
                 OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "id")));
}

/* Builds the key -> fid map of layer L the first time it is needed. */
static atlas_status
ids_of(atlas_store *st, int l, atlas_error *err)
{
    OGRFeatureH f;
    char key[1024];

    if (st->ids[l] != NULL)
        return ATLAS_OK;
    st->ids[l] = atlas_strmap_new();
    if (st->ids[l] == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    OGR_L_SetAttributeFilter(st->lyr[l], NULL);
    OGR_L_SetSpatialFilter(st->lyr[l], NULL);
    OGR_L_ResetReading(st->lyr[l]);
    while ((f = OGR_L_GetNextFeature(st->lyr[l])) != NULL) {
        row_key(l, f, key, sizeof key);
        int r = atlas_strmap_put(st->ids[l], key, OGR_F_GetFID(f));
        OGR_F_Destroy(f);
        if (r < 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    return ATLAS_OK;
}

/* Writes F as a new row or over the row with the same key. */
static atlas_status
upsert(atlas_store *st, int l, OGRFeatureH f, atlas_error *err)
{
    char key[1024];
    long long fid;
    OGRErr e;

    if (ids_of(st, l, err))
        return err->code;
    row_key(l, f, key, sizeof key);
    gdal_quiet();
    if (atlas_strmap_get(st->ids[l], key, &fid)) {
        OGR_F_SetFID(f, fid);
        e = OGR_L_SetFeature(st->lyr[l], f);
    } else {
        e = OGR_L_CreateFeature(st->lyr[l], f);
        if (e == OGRERR_NONE &&
            atlas_strmap_put(st->ids[l], key, OGR_F_GetFID(f)) < 0) {
            gdal_loud();
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        }
    }
    gdal_loud();
    if (e != OGRERR_NONE)
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write to %s: %s",
                               st->path, layer_names[l], gdal_msg());
    return ATLAS_OK;
}

static OGRGeometryH
make_geom(const atlas_feature *fe)
{
    OGRGeometryH g;

    if (fe->layer == ATLAS_LAYER_SITES) {
        g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, fe->xy[0], fe->xy[1]);
        return g;
    }
    g = OGR_G_CreateGeometry(wkbMultiLineString);
    for (size_t p = 0; p < fe->n_parts; p++) {
        size_t a = fe->parts[p];
        size_t b = p + 1 < fe->n_parts ? fe->parts[p + 1] : fe->n_pts;
        OGRGeometryH ls = OGR_G_CreateGeometry(wkbLineString);
        OGR_G_SetPointCount(ls, (int)(b - a));
        for (size_t i = a; i < b; i++)
            OGR_G_SetPoint_2D(ls, (int)(i - a), fe->xy[2 * i],
                              fe->xy[2 * i + 1]);
        OGR_G_AddGeometryDirectly(g, ls);
    }
    return g;
}

int
atlas_store_has_feature(atlas_store *st, const char *id, atlas_error *err)
{
    if (st->fast != NULL)
        return store_gpkg_has_feature(st->fast, id, err);
    if (ids_of(st, L_SITES, err) || ids_of(st, L_LINES, err))
        return -1;
    return atlas_strmap_get(st->ids[L_SITES], id, NULL) ||
           atlas_strmap_get(st->ids[L_LINES], id, NULL);
}

atlas_status
atlas_store_upsert_feature(atlas_store *st, const atlas_feature *fe,
                           atlas_error *err)
{
    int l = fe->layer == ATLAS_LAYER_SITES ? L_SITES : L_LINES;
    int other = l == L_SITES ? L_LINES : L_SITES;
    const char *id = atlas_feature_text(fe, ATLAS_F_ID);
    OGRFeatureH f;
    long long fid;

    if (id == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "feature without id");
    if (st->fast != NULL) {
        int dup;
        return store_gpkg_put_feature(st->fast, fe, &dup, err);
    }
    /* an id names one feature: a line that replaces a site moves tables */
    if (ids_of(st, other, err))
        return err->code;
    if (atlas_strmap_get(st->ids[other], id, &fid)) {
        gdal_quiet();
        OGRErr e = OGR_L_DeleteFeature(st->lyr[other], fid);
        gdal_loud();
        if (e != OGRERR_NONE)
            return atlas_error_set(err, ATLAS_E_IO, "%s: cannot delete %s: %s",
                                   st->path, id, gdal_msg());
        atlas_strmap_del(st->ids[other], id);
    }
    f = OGR_F_Create(OGR_L_GetLayerDefn(st->lyr[l]));
    for (int i = 0; i < ATLAS_N_FIELDS; i++) {
        const atlas_slot *s = &fe->f[i];
        int idx = st->fidx[l][i];
        if (!s->is_set)
            OGR_F_SetFieldNull(f, idx);
        else if (atlas_field_type_of(i) == ATLAS_TYPE_INT)
            OGR_F_SetFieldInteger64(f, idx, s->i);
        else
            OGR_F_SetFieldString(f, idx, s->s);
    }
    OGR_F_SetGeometryDirectly(f, make_geom(fe));
    upsert(st, l, f, err);
    OGR_F_Destroy(f);
    return err->code;
}

atlas_status
atlas_store_upsert_year(atlas_store *st, const atlas_year_count *yc,
                        atlas_error *err)
{
    if (st->fast != NULL) {
        int dup;
        return store_gpkg_put_year(st->fast, yc, &dup, err);
    }
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(st->lyr[L_YEARS]));
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "site_id"), yc->site_id);
    OGR_F_SetFieldInteger(f, OGR_F_GetFieldIndex(f, "year"), yc->year);
    OGR_F_SetFieldInteger64(f, OGR_F_GetFieldIndex(f, "prisoners"),
                            yc->prisoners);
    const char *txt[3][2] = {{"source", yc->source},
                             {"as_of", yc->as_of},
                             {"note", yc->note}};
    for (int i = 0; i < 3; i++) {
        int fi = OGR_F_GetFieldIndex(f, txt[i][0]);
        if (txt[i][1] != NULL)
            OGR_F_SetFieldString(f, fi, txt[i][1]);
        else
            OGR_F_SetFieldNull(f, fi);
    }
    upsert(st, L_YEARS, f, err);
    OGR_F_Destroy(f);
    return err->code;
}

atlas_status
atlas_store_upsert_source(atlas_store *st, const atlas_source *src,
                          atlas_error *err)
{
    if (st->fast != NULL) {
        int dup;
        return store_gpkg_put_source(st->fast, src, &dup, err);
    }
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(st->lyr[L_SOURCES]));
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "id"), src->id);
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "citation"), src->citation);
    if (src->url != NULL)
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "url"), src->url);
    else
        OGR_F_SetFieldNull(f, OGR_F_GetFieldIndex(f, "url"));
    upsert(st, L_SOURCES, f, err);
    OGR_F_Destroy(f);
    return err->code;
}

atlas_status
atlas_store_clear(atlas_store *st, const char *layer, atlas_error *err)
{
    char sql[128];
    if (store_period_layer(layer)) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", layer);
        return exec_sql(st, sql, err);
    }
    if (st->fast != NULL)
        return store_gpkg_clear(st->fast, layer, err);
    for (int l = 0; l < N_LAYERS; l++) {
        if (strcmp(layer, layer_names[l]) != 0)
            continue;
        snprintf(sql, sizeof sql, "DELETE FROM %s", layer_names[l]);
        if (exec_sql(st, sql, err))
            return err->code;
        atlas_strmap_free(st->ids[l]);
        st->ids[l] = NULL;
        return ATLAS_OK;
    }
    return atlas_error_set(err, ATLAS_E_INPUT, "no layer named %s", layer);
}

atlas_status
atlas_store_batch(atlas_store *st, atlas_error *err)
{
    if (st->fast != NULL)
        return store_gpkg_batch(st->fast, err);
    atlas_strmap_free(st->seen);
    if ((st->seen = atlas_strmap_new()) == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

/* OGR path: *DUP when KEY was written in this batch, else remembers it. */
static atlas_status
seen_key(atlas_store *st, const char *key, int *dup, atlas_error *err)
{
    *dup = 0;
    if (st->seen == NULL)
        return ATLAS_OK;
    if (atlas_strmap_get(st->seen, key, NULL)) {
        *dup = 1;
        return ATLAS_OK;
    }
    if (atlas_strmap_put(st->seen, key, 1) < 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

atlas_status
atlas_store_put_feature(atlas_store *st, const atlas_feature *fe, int *dup,
                        atlas_error *err)
{
    char key[600];
    const char *id = atlas_feature_text(fe, ATLAS_F_ID);
    if (st->fast != NULL)
        return store_gpkg_put_feature(st->fast, fe, dup, err);
    snprintf(key, sizeof key, "f %s", id ? id : "");
    if (seen_key(st, key, dup, err) || *dup)
        return err->code;
    return atlas_store_upsert_feature(st, fe, err);
}

atlas_status
atlas_store_put_year(atlas_store *st, const atlas_year_count *yc, int *dup,
                     atlas_error *err)
{
    char key[600];
    if (st->fast != NULL)
        return store_gpkg_put_year(st->fast, yc, dup, err);
    snprintf(key, sizeof key, "y %s %d", yc->site_id, yc->year);
    if (seen_key(st, key, dup, err) || *dup)
        return err->code;
    return atlas_store_upsert_year(st, yc, err);
}

atlas_status
atlas_store_put_source(atlas_store *st, const atlas_source *src, int *dup,
                       atlas_error *err)
{
    char key[600];
    if (st->fast != NULL)
        return store_gpkg_put_source(st->fast, src, dup, err);
    snprintf(key, sizeof key, "s %s", src->id);
    if (seen_key(st, key, dup, err) || *dup)
        return err->code;
    return atlas_store_upsert_source(st, src, err);
}

/* ---- reading ---------------------------------------------------------- */

/* Appends "'s'" to BUF as an SQL string literal (quotes doubled). */
static int
append_literal(char *buf, size_t size, size_t *len, const char *s)
{
    if (*len + 2 >= size)
        return -1;
    buf[(*len)++] = '\'';
    for (; *s; s++) {
        if (*len + 3 >= size)
            return -1;
        if (*s == '\'')
            buf[(*len)++] = '\'';
        buf[(*len)++] = *s;
    }
    buf[(*len)++] = '\'';
    buf[*len] = '\0';
    return 0;
}

static atlas_status
read_feature(atlas_store *st, int l, OGRFeatureH f, int n_extra,
             atlas_feature_list *out, atlas_error *err)
{
    atlas_feature *fe = atlas_feature_list_add(out);
    OGRFeatureDefnH defn = OGR_F_GetDefnRef(f);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    (void)st;

    if (fe == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    fe->layer = l == L_SITES ? ATLAS_LAYER_SITES : ATLAS_LAYER_LINES;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn) - n_extra; i++) {
        if (!OGR_F_IsFieldSetAndNotNull(f, i))
            continue;
        int fld = atlas_field_lookup(
            OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (fld < 0)
            continue;
        if (atlas_field_type_of(fld) == ATLAS_TYPE_INT)
            atlas_feature_set_int(fe, fld, OGR_F_GetFieldAsInteger64(f, i));
        else if (atlas_feature_set_text(out, fe, fld,
                                        OGR_F_GetFieldAsString(f, i)) < 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    if (n_extra > 0) {
        int i = OGR_FD_GetFieldCount(defn) - 1;
        if (OGR_F_IsFieldSetAndNotNull(f, i)) {
            fe->prisoners = OGR_F_GetFieldAsInteger64(f, i);
            fe->has_prisoners = 1;
        }
    }
    if (g == NULL)
        return ATLAS_OK;
    if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint) {
        double xy[2] = {OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)};
        if (atlas_feature_set_geom(out, fe, xy, 1, NULL, 0) < 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        return ATLAS_OK;
    }
    /* lines: one part per linestring */
    int n_parts = wkbFlatten(OGR_G_GetGeometryType(g)) == wkbLineString
                      ? 1
                      : OGR_G_GetGeometryCount(g);
    size_t n_pts = 0;
    for (int p = 0; p < n_parts; p++) {
        OGRGeometryH ls = n_parts == 1 && OGR_G_GetGeometryCount(g) == 0
                              ? g
                              : OGR_G_GetGeometryRef(g, p);
        n_pts += (size_t)OGR_G_GetPointCount(ls);
    }
    double *xy = calloc(n_pts ? 2 * n_pts : 2, sizeof *xy);
    size_t *parts = calloc(n_parts ? (size_t)n_parts : 1, sizeof *parts);
    if (xy == NULL || parts == NULL) {
        free(xy);
        free(parts);
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    size_t k = 0;
    for (int p = 0; p < n_parts; p++) {
        OGRGeometryH ls = n_parts == 1 && OGR_G_GetGeometryCount(g) == 0
                              ? g
                              : OGR_G_GetGeometryRef(g, p);
        parts[p] = k;
        for (int i = 0; i < OGR_G_GetPointCount(ls); i++, k++) {
            xy[2 * k] = OGR_G_GetX(ls, i);
            xy[2 * k + 1] = OGR_G_GetY(ls, i);
        }
    }
    int r = atlas_feature_set_geom(out, fe, xy, n_pts, parts, (size_t)n_parts);
    free(xy);
    free(parts);
    if (r < 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

/* Builds the SELECT for layer L: with COLS (the GeoPackage fast path)
 * geom, the schema's fields in order and the count, else t.* (OGR maps
 * the columns by name). Exposed through ATLAS_DEBUG_SQL so the tests can
 * ask SQLite how it plans the query. */
static int
build_sql(const atlas_store *st, int l, const atlas_query *q, int cols,
          char *sql, size_t size)
{
    size_t len;
    const char *t = layer_names[l];
    int y0 = q->year_from, y1 = q->year_to;

    if (y0 != 0 && y1 == 0)
        y1 = y0;
    if (y0 == 0 && y1 != 0)
        y0 = y1;
    if (cols) {
        len = (size_t)snprintf(sql, size, "SELECT t.geom");
        for (int f = 0; f < ATLAS_N_FIELDS && len < size; f++)
            len += (size_t)snprintf(sql + len, size - len, ", t.\"%s\"",
                                    atlas_field_name(f));
    } else {
        len = (size_t)snprintf(sql, size, "SELECT t.*");
    }
    if (len >= size)
        return -1;
    if (l == L_SITES && y0 != 0)
        len += (size_t)snprintf(
            sql + len, size - len,
            ", (SELECT MAX(y.prisoners) FROM site_years y "
            "WHERE y.site_id = t.id AND y.year BETWEEN %d AND %d) "
            "AS atlas_prisoners FROM %s t",
            y1 == y0 ? y1 : y0, y1, t);
    else
        len += (size_t)snprintf(sql + len, size - len, "%s FROM %s t",
                                cols ? ", NULL" : "", t);
    if (len >= size)
        return -1;
    const char *glue = " WHERE ";
    if (y0 != 0) {
        if (st->is_gpkg)
            len += (size_t)snprintf(sql + len, size - len,
                                    "%st.fid IN (SELECT id FROM atlas_%s_years "
                                    "WHERE y0 <= %d AND y1 >= %d)",
                                    glue, t, y1, y0);
        else
            len += (size_t)snprintf(sql + len, size - len,
                                    "%st.year_start <= %d AND t.year_end >= %d",
                                    glue, y1, y0);
        glue = " AND ";
    }
    if (q->has_bbox && st->is_gpkg) {
        len += (size_t)snprintf(
            sql + len, size - len,
            "%st.fid IN (SELECT id FROM rtree_%s_geom WHERE maxx >= %.9g AND "
            "minx <= %.9g AND maxy >= %.9g AND miny <= %.9g)",
            glue, t, q->bbox[0], q->bbox[2], q->bbox[1], q->bbox[3]);
        glue = " AND ";
    }
    if (q->n_kinds > 0) {
        len += (size_t)snprintf(sql + len, size - len, "%st.kind IN (", glue);
        for (size_t k = 0; k < q->n_kinds; k++) {
            if (k > 0 && len + 1 < size)
                sql[len++] = ',';
            if (append_literal(sql, size, &len, q->kinds[k]) < 0)
                return -1;
        }
        len += (size_t)snprintf(sql + len, size - len, ")");
    }
    len += (size_t)snprintf(sql + len, size - len, " ORDER BY t.id");
    return len < size ? 0 : -1;
}

int
store_in_bbox(const atlas_feature *fe, const double b[4])
{
    for (size_t i = 0; i < fe->n_pts; i++) {
        double x = fe->xy[2 * i], y = fe->xy[2 * i + 1];
        if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3])
            return 1;
    }
    return 0;
}

/* 1 when S is valid UTF-8: no overlong form, surrogate or code point past
 * U+10FFFF (the loader's test; the store does not include the loader). */
static int
utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, min;
        int n;
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
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80) /* the NUL ends it here too */
                return 0;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        p += n + 1;
    }
    return 1;
}

const char *
store_feature_check(const atlas_feature *fe)
{
    /* text goes to Pango, JSON and terminals: invalid UTF-8 failed a
     * whole PDF render with no feature named */
    for (int f = 0; f < ATLAS_N_FIELDS; f++)
        if (fe->f[f].is_set && atlas_field_type_of(f) != ATLAS_TYPE_INT &&
            fe->f[f].s != NULL && !utf8_ok(fe->f[f].s))
            return "a text field is not valid UTF-8";
    if (fe->n_pts == 0 || fe->xy == NULL)
        return "no geometry";
    if (fe->layer == ATLAS_LAYER_SITES && fe->n_pts != 1)
        return "a site's geometry is one point";
    if (fe->layer == ATLAS_LAYER_LINES) {
        if (fe->n_parts == 0 || fe->parts == NULL)
            return "no geometry";
        for (size_t p = 0; p < fe->n_parts; p++) {
            size_t a = fe->parts[p];
            size_t b = p + 1 < fe->n_parts ? fe->parts[p + 1] : fe->n_pts;
            if (b < a || b > fe->n_pts || b - a < 2)
                return "a line needs at least 2 points";
        }
    }
    for (size_t i = 0; i < fe->n_pts; i++) {
        double x = fe->xy[2 * i], y = fe->xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            return "a coordinate is not a finite number";
        if (x < -180 || x > 180 || y < -90 || y > 90)
            return "a coordinate is out of range (lon -180..180, lat -90..90)";
    }
    return NULL;
}

void
store_warn_skip(const char *path, const atlas_feature *fe, const char *why)
{
    /* the id is the database's: no byte of it reaches the terminal raw */
    char id[81];
    const char *s = fe->f[ATLAS_F_ID].is_set ? fe->f[ATLAS_F_ID].s : NULL;
    size_t n = 0;
    for (; s != NULL && s[n] != '\0' && n < sizeof id - 1; n++)
        id[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
    id[n] = '\0';
    fprintf(stderr, "atlas: warning: %s: feature %s: %s; skipped\n", path,
            s == NULL ? "without an id" : id, why);
}

/* Copies FE (borrowed) to the end of the list CTX. */
static atlas_status
append_copy(void *ctx, const atlas_feature *fe, atlas_error *err)
{
    atlas_feature_list *out = ctx;
    atlas_feature *to = atlas_feature_list_add(out);

    if (to == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    to->layer = fe->layer;
    to->prisoners = fe->prisoners;
    to->has_prisoners = fe->has_prisoners;
    to->src_line = fe->src_line;
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        if (!fe->f[f].is_set)
            continue;
        if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
            atlas_feature_set_int(to, f, fe->f[f].i);
        else if (atlas_feature_set_text(out, to, f, fe->f[f].s) < 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    if (fe->n_pts > 0 && atlas_feature_set_geom(out, to, fe->xy, fe->n_pts,
                                                fe->parts, fe->n_parts) < 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return ATLAS_OK;
}

/* The GeoPackage read path: SQLite directly, on GDAL's handle. */
static atlas_status
query_gpkg(atlas_store *st, void *db, const atlas_query *q, int merge,
           atlas_store_each_fn fn, void *ctx, atlas_error *err)
{
    char sql[2][4096];
    const char *want[2] = {NULL, NULL};
    int layers = q->layers ? q->layers : ATLAS_Q_SITES | ATLAS_Q_LINES;

    for (int l = L_SITES; l <= L_LINES; l++) {
        if (!(layers & (l == L_SITES ? ATLAS_Q_SITES : ATLAS_Q_LINES)))
            continue;
        if (build_sql(st, l, q, 1, sql[l], sizeof sql[l]) < 0)
            return atlas_error_set(err, ATLAS_E_INPUT, "query too long");
        if (getenv("ATLAS_DEBUG_SQL") != NULL)
            fprintf(stderr, "atlas: sql: %s\n", sql[l]);
        want[l] = sql[l];
    }
    return store_gpkg_each(db, st->path, want, merge,
                           q->has_bbox ? q->bbox : NULL, fn, ctx, err);
}

static void *
gpkg_handle(atlas_store *st)
{
    if (!st->is_gpkg || getenv("ATLAS_QUERY_OGR") != NULL)
        return NULL;
    return GDALGetInternalHandle(st->ds, "SQLITE_HANDLE");
}

atlas_status
atlas_store_query_each(atlas_store *st, const atlas_query *q,
                       atlas_store_each_fn fn, void *ctx, atlas_error *err)
{
    atlas_feature_list fl;
    void *db = gpkg_handle(st);

    if (db != NULL)
        return query_gpkg(st, db, q, 1, fn, ctx, err);
    atlas_feature_list_init(&fl);
    if (atlas_store_query(st, q, &fl, err) == ATLAS_OK) {
        atlas_feature_list_sort(&fl);
        for (size_t i = 0; i < fl.n; i++)
            if (fn(ctx, &fl.items[i], err) != ATLAS_OK)
                break;
    }
    atlas_feature_list_free(&fl);
    return err->code;
}

atlas_status
atlas_store_query(atlas_store *st, const atlas_query *q,
                  atlas_feature_list *out, atlas_error *err)
{
    char sql[4096];
    int layers = q->layers ? q->layers : ATLAS_Q_SITES | ATLAS_Q_LINES;
    void *db = gpkg_handle(st);

    if (db != NULL)
        return query_gpkg(st, db, q, 0, append_copy, out, err);
    for (int l = L_SITES; l <= L_LINES; l++) {
        if (!(layers & (l == L_SITES ? ATLAS_Q_SITES : ATLAS_Q_LINES)))
            continue;
        if (build_sql(st, l, q, 0, sql, sizeof sql) < 0)
            return atlas_error_set(err, ATLAS_E_INPUT, "query too long");
        if (getenv("ATLAS_DEBUG_SQL") != NULL)
            fprintf(stderr, "atlas: sql: %s\n", sql);
        gdal_quiet();
        OGRLayerH res = GDALDatasetExecuteSQL(st->ds, sql, NULL, NULL);
        if (res == NULL) {
            atlas_error_set(err, ATLAS_E_IO, "%s: query failed: %s", st->path,
                            gdal_msg());
            gdal_loud();
            return err->code;
        }
        gdal_loud();
        int n_extra = strstr(sql, "atlas_prisoners") != NULL;
        size_t first = out->n;
        OGRFeatureH f;
        while ((f = OGR_L_GetNextFeature(res)) != NULL) {
            read_feature(st, l, f, n_extra, out, err);
            OGR_F_Destroy(f);
            if (err->code)
                break;
            const char *why = store_feature_check(&out->items[out->n - 1]);
            if (why != NULL) { /* checked as the loader checks a file */
                store_warn_skip(st->path, &out->items[out->n - 1], why);
                out->n--;
            }
        }
        GDALDatasetReleaseResultSet(st->ds, res);
        if (err->code)
            return err->code;
        if (q->has_bbox) {
            /* the R-tree holds envelopes: keep features really inside */
            size_t w = first;
            for (size_t r = first; r < out->n; r++)
                if (store_in_bbox(&out->items[r], q->bbox))
                    out->items[w++] = out->items[r];
            out->n = w;
        }
    }
    return ATLAS_OK;
}

atlas_status
atlas_store_sources(atlas_store *st, atlas_source_list *out, atlas_error *err)
{
    OGRFeatureH f;
    OGRLayerH res;
    size_t cap = 0;

    memset(out, 0, sizeof *out);
    gdal_quiet();
    res = GDALDatasetExecuteSQL(
        st->ds, "SELECT id, citation, url FROM sources ORDER BY id", NULL,
        NULL);
    gdal_loud();
    if (res == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: query failed: %s",
                               st->path, gdal_msg());
    while ((f = OGR_L_GetNextFeature(res)) != NULL) {
        if (out->n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            atlas_source *items = realloc(out->items, nc * sizeof *items);
            if (items == NULL) {
                OGR_F_Destroy(f);
                atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
                break;
            }
            out->items = items;
            cap = nc;
        }
        atlas_source *s = &out->items[out->n++];
        s->id = strdup(OGR_F_GetFieldAsString(f, 0));
        s->citation = strdup(OGR_F_GetFieldAsString(f, 1));
        s->url = OGR_F_IsFieldSetAndNotNull(f, 2)
                     ? strdup(OGR_F_GetFieldAsString(f, 2))
                     : NULL;
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(st->ds, res);
    return err->code;
}

void
atlas_source_list_free(atlas_source_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].id);
        free(list->items[i].citation);
        free(list->items[i].url);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

atlas_status
atlas_store_year_totals(atlas_store *st, int y0, int y1, long long *totals,
                        atlas_error *err)
{
    char sql[256];
    OGRFeatureH f;

    for (int y = y0; y <= y1; y++)
        totals[y - y0] = -1;
    snprintf(sql, sizeof sql,
             "SELECT year, SUM(prisoners) FROM site_years WHERE year BETWEEN "
             "%d AND %d AND (as_of IS NULL OR substr(as_of, 6, 5) = '01-01') "
             "GROUP BY year",
             y0, y1);
    gdal_quiet();
    OGRLayerH res = GDALDatasetExecuteSQL(st->ds, sql, NULL, NULL);
    gdal_loud();
    if (res == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: query failed: %s",
                               st->path, gdal_msg());
    while ((f = OGR_L_GetNextFeature(res)) != NULL) {
        int y = OGR_F_GetFieldAsInteger(f, 0);
        if (y >= y0 && y <= y1)
            totals[y - y0] = OGR_F_GetFieldAsInteger64(f, 1);
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(st->ds, res);
    return ATLAS_OK;
}

atlas_status
atlas_store_jan1_counts(atlas_store *st, int year, atlas_strmap *out,
                        atlas_error *err)
{
    char sql[256];
    OGRFeatureH f;

    snprintf(sql, sizeof sql,
             "SELECT site_id, prisoners FROM site_years WHERE year = %d AND "
             "(as_of IS NULL OR substr(as_of, 6, 5) = '01-01')",
             year);
    gdal_quiet();
    OGRLayerH res = GDALDatasetExecuteSQL(st->ds, sql, NULL, NULL);
    gdal_loud();
    if (res == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: query failed: %s",
                               st->path, gdal_msg());
    while ((f = OGR_L_GetNextFeature(res)) != NULL) {
        if (atlas_strmap_put(out, OGR_F_GetFieldAsString(f, 0),
                             OGR_F_GetFieldAsInteger64(f, 1)) < 0)
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(st->ds, res);
    return err->code;
}

/* ---- the reference layers -------------------------------------------- */

atlas_status
atlas_store_period(atlas_store *st, const char *date, int year,
                   const char *lang, int what, atlas_period *p,
                   atlas_error *err)
{
    return store_period_read(st->ds, st->path, date, year, lang, what, p,
                             err);
}

atlas_status
atlas_store_place_names(atlas_store *st, const char *id,
                        atlas_place_name **out, size_t *n, atlas_period *p,
                        atlas_error *err)
{
    return store_period_names(st->ds, id, out, n, p, err);
}

atlas_status
atlas_store_totals(atlas_store *st, atlas_total **out, size_t *n,
                   atlas_period *p, atlas_error *err)
{
    return store_period_totals(st->ds, out, n, p, err);
}

int
atlas_store_has_place(atlas_store *st, const char *id)
{
    return store_period_has_place(st->ds, id);
}

atlas_status
atlas_store_put_border(atlas_store *st, const atlas_border *b,
                       atlas_error *err)
{
    return store_period_put_border(st->ds, st->path, b, err);
}

atlas_status
atlas_store_put_place(atlas_store *st, const atlas_place *pl,
                      atlas_error *err)
{
    return store_period_put_place(st->ds, st->path, pl, err);
}

atlas_status
atlas_store_put_place_name(atlas_store *st, const atlas_place_name *n,
                           atlas_error *err)
{
    return store_period_put_name(st->ds, st->path, n, err);
}

atlas_status
atlas_store_put_total(atlas_store *st, const atlas_total *t,
                      atlas_error *err)
{
    return store_period_put_total(st->ds, st->path, t, err);
}
