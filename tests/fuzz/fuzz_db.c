/* fuzz_db.c: the --db read path, store_gpkg.c's blob reader and what
 * reads its features after it. A GeoPackage of one site and one line is
 * made once (its R-tree triggers dropped: they call GeoPackage functions
 * plain SQLite lacks, and atlas reads without them). Each input is
 * written into it, as another program could write it, then the store is
 * opened read-only and queried as `atlas export` and `atlas render` do:
 * every feature exported as GeoJSON and CSV, and culled and projected as
 * the renderer does. The first byte says where the rest goes:
 *   bit 0   the line's geom (else the site's)
 *   bit 1   as TEXT (else as a BLOB)
 *   bit 2   also as the feature's name_en (TEXT, any bytes)
 * Nothing may crash, leak or be undefined; a bad row is skipped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "load.h"
#include "render.h"
#include "store.h"
#include "style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char db_path[128], out_path[128];
static sqlite3 *db;
static atlas_style *style;
static const char reset_sql[] = /* each input meets the same rows */
    "UPDATE sites SET geom = (SELECT geom FROM atlas_fuzz_orig WHERE id = "
    "'s'), name_en = 'Site' WHERE id = 's';"
    "UPDATE lines SET geom = (SELECT geom FROM atlas_fuzz_orig WHERE id = "
    "'l'), name_en = 'Line' WHERE id = 'l';";

static void
done(void)
{
    sqlite3_close(db);
    atlas_style_free(style);
    unlink(db_path);
    unlink(out_path);
}

/* Writes TEXT to PATH; aborts on failure (the fixture, not the input). */
static void
put_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0)
        abort();
}

static void
setup(void)
{
    static const char sources[] = "id,citation,url\nref_a,A reference,\n";
    static const char sites[] =
        "id,kind,name_en,lon,lat,year_start,year_end,sources\n"
        "s,camp,Site,60,60,1930,1950,ref_a\n";
    static const char lines[] =
        "id,kind,name_en,wkt,year_start,year_end,sources\n"
        "l,railway,Line,\"LINESTRING (50 60, 60 62, 70 61)\",1930,1950,"
        "ref_a\n";
    char dir[64], p[3][160], style_path[1024];
    const char *files[3] = {p[0], p[1], p[2]};
    atlas_load_opts opts = {0};
    atlas_error err = {0};
    struct stat sb;

    snprintf(dir, sizeof dir, "%s",
             stat("/dev/shm", &sb) == 0 ? "/dev/shm" : "/tmp");
    snprintf(db_path, sizeof db_path, "%s/atlas-fuzz-db-%ld.gpkg", dir,
             (long)getpid());
    snprintf(out_path, sizeof out_path, "%s/atlas-fuzz-db-%ld.out", dir,
             (long)getpid());
    snprintf(p[0], sizeof p[0], "%s/atlas-fuzz-db-%ld-sources.csv", dir,
             (long)getpid());
    snprintf(p[1], sizeof p[1], "%s/atlas-fuzz-db-%ld-sites.csv", dir,
             (long)getpid());
    snprintf(p[2], sizeof p[2], "%s/atlas-fuzz-db-%ld-lines.csv", dir,
             (long)getpid());
    put_file(p[0], sources);
    put_file(p[1], sites);
    put_file(p[2], lines);
    unlink(db_path);
    atlas_store *st = atlas_store_open(db_path, ATLAS_STORE_CREATE, &err);
    if (st == NULL || atlas_load_paths(st, files, 3, &opts, NULL, &err)) {
        fprintf(stderr, "fuzz_db: setup: %s\n", err.msg);
        abort();
    }
    atlas_store_close(st);
    for (int i = 0; i < 3; i++)
        unlink(p[i]);
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        abort();
    sqlite3_stmt *s;
    char *drops = NULL;
    size_t n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = "
                           "'trigger' AND tbl_name IN ('sites', 'lines')",
                           -1, &s, NULL) != SQLITE_OK)
        abort();
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        size_t len = strlen(name) + 24;
        if ((drops = realloc(drops, n + len + 1)) == NULL)
            abort();
        n += (size_t)snprintf(drops + n, len + 1, "DROP TRIGGER \"%s\";", name);
    }
    sqlite3_finalize(s);
    if (drops != NULL && sqlite3_exec(db, drops, NULL, NULL, NULL) != SQLITE_OK)
        abort();
    free(drops);
    if (sqlite3_exec(db,
                     "CREATE TABLE atlas_fuzz_orig AS SELECT id, geom FROM "
                     "sites UNION ALL SELECT id, geom FROM lines",
                     NULL, NULL, NULL) != SQLITE_OK)
        abort();
    snprintf(style_path, sizeof style_path, "%s/styles/default.json",
             ATLAS_SOURCE_DIR);
    if ((style = atlas_style_load(style_path, &err)) == NULL) {
        fprintf(stderr, "fuzz_db: setup: %s\n", err.msg);
        abort();
    }
    atexit(done);
}

/* Writes the input into the fixture (the site's or the line's row). */
static void
write_row(const uint8_t *data, size_t size)
{
    const char *table = data[0] & 1 ? "lines" : "sites";
    const char *id = data[0] & 1 ? "l" : "s";
    const char *name = data[0] & 1 ? "Line" : "Site";
    char sql[160];
    sqlite3_stmt *s;

    if (sqlite3_exec(db, reset_sql, NULL, NULL, NULL) != SQLITE_OK)
        abort();
    snprintf(sql, sizeof sql,
             "UPDATE %s SET geom = ?1, name_en = coalesce(?2, ?3) "
             "WHERE id = ?4",
             table);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        abort();
    if (data[0] & 2)
        sqlite3_bind_text(s, 1, (const char *)data + 1, (int)size - 1,
                          SQLITE_STATIC);
    else
        sqlite3_bind_blob(s, 1, data + 1, (int)size - 1, SQLITE_STATIC);
    if (data[0] & 4)
        sqlite3_bind_text(s, 2, (const char *)data + 1, (int)size - 1,
                          SQLITE_STATIC);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, id, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        abort();
    sqlite3_finalize(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atlas_feature_list fl;
    atlas_error err = {0};
    atlas_query q = {0};

    if (size < 1 || size > 1 << 20)
        return 0;
    if (db == NULL)
        setup();
    write_row(data, size);
    atlas_store *st = atlas_store_open(db_path, ATLAS_STORE_READ, &err);
    if (st == NULL)
        return 0;
    atlas_feature_list_init(&fl);
    q.year_from = q.year_to = 1937;
    if (atlas_store_query(st, &q, &fl, &err) == ATLAS_OK) {
        static const int formats[] = {ATLAS_EXPORT_GEOJSON, ATLAS_EXPORT_CSV};
        for (int f = 0; f < 2; f++) {
            atlas_export_opts o = {0};
            atlas_error e = {0};
            o.format = formats[f];
            o.with_prisoners = 1;
            (void)atlas_export_write(&fl, &o, out_path, &e);
        }
        atlas_render_opts ro;
        atlas_render_opts_init(&ro);
        ro.year_from = ro.year_to = 1937;
        unsigned char *vis = calloc(fl.n + 1, 1);
        size_t n_vis;
        atlas_error e = {0};
        if (vis != NULL)
            (void)atlas_render_visible(&fl, style, &ro, 400, 300, vis, &n_vis,
                                       &e);
        free(vis);
    }
    atlas_feature_list_free(&fl);
    atlas_store_close(st);
    return 0;
}
