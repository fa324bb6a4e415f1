/* store_gpkg.c: the GeoPackage write path. Upserts go through prepared
 * SQLite statements on GDAL's own connection (same transaction), with
 * geometry blobs built here (GPKG header + WKB). Keys are looked up in the
 * tables' UNIQUE indexes, so memory stays bounded whatever the input size.
 *
 * Bulk loading: when a load writes into a table that was empty (or that
 * --replace emptied), its triggers and non-unique indexes are dropped for
 * the load and rebuilt once at the end: the R-trees filled in one pass,
 * the indexes built by sorting. Per-row trigger work (two R-tree inserts,
 * a feature-count update) is most of a big load's cost otherwise.
 * Everything here is inside the load's transaction: a failed load rolls
 * the schema back too.
 *
 * Duplicates within one file (a batch): a key whose row has a fid above
 * the table's largest fid when the batch began was written in this batch;
 * a pre-existing row updated in this batch is remembered in a TEMP table
 * (on disk, not in memory). */
#include "store_private.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

enum { T_SITES, T_LINES, T_YEARS, T_SOURCES, N_T };

static const char *const tname[N_T] = {"sites", "lines", "site_years",
                                       "sources"};

typedef struct saved_ddl {
    char **sql; /* CREATE INDEX / CREATE TRIGGER statements */
    int *is_trigger;
    size_t n, cap;
} saved_ddl;

struct store_gpkg {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *find[N_T], *ins[N_T], *upd[N_T], *del[2];
    sqlite3_stmt *touched_get, *touched_put;
    long long base[N_T]; /* largest fid when the batch began */
    int checked[N_T];    /* bulk mode decided in this transaction */
    int bulk[N_T];
    int has_touched;
    int batched; /* in a batch: tell duplicates (else plain upserts) */
    saved_ddl saved[N_T];
    double ext[2][4]; /* extent of what was written: x0, y0, x1, y1 */
    int has_ext[2];
    unsigned char *blob;
    size_t blob_cap;
};

static atlas_status
fail(store_gpkg *g, int t, atlas_error *err)
{
    const char *m = sqlite3_errmsg(g->db);
    if (strstr(m, "locked") || strstr(m, "busy"))
        m = "database is busy";
    return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write to %s: %s",
                           g->path, tname[t], m);
}

static atlas_status
exec(store_gpkg *g, int t, const char *sql, atlas_error *err)
{
    if (sqlite3_exec(g->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail(g, t, err);
    return ATLAS_OK;
}

/* The statement in *SLOT, prepared on first use; NULL with ERR set. */
static sqlite3_stmt *
prep(store_gpkg *g, int t, sqlite3_stmt **slot, const char *sql,
     atlas_error *err)
{
    if (*slot == NULL &&
        sqlite3_prepare_v3(g->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot,
                           NULL) != SQLITE_OK) {
        fail(g, t, err);
        *slot = NULL;
    }
    return *slot;
}

/* Steps S to the end; resets it. */
static atlas_status
run(store_gpkg *g, int t, sqlite3_stmt *s, atlas_error *err)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fail(g, t, err);
        sqlite3_reset(s);
        return err->code;
    }
    sqlite3_reset(s);
    return ATLAS_OK;
}

/* One integer from SQL (0 when no row). */
static atlas_status
query_int(store_gpkg *g, int t, const char *sql, long long *out,
          atlas_error *err)
{
    sqlite3_stmt *s = NULL;
    *out = 0;
    if (sqlite3_prepare_v2(g->db, sql, -1, &s, NULL) != SQLITE_OK)
        return fail(g, t, err);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        fail(g, t, err);
    sqlite3_finalize(s);
    return err->code;
}

static void sql_hilbert(sqlite3_context *ctx, int argc, sqlite3_value **argv);

store_gpkg *
store_gpkg_new(void *db, const char *path, atlas_error *err)
{
    store_gpkg *g = calloc(1, sizeof *g);
    if (g == NULL || (g->path = strdup(path)) == NULL) {
        free(g);
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        return NULL;
    }
    g->db = db;
    sqlite3_create_function(g->db, "atlas_hilbert", 2,
                            SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            sql_hilbert, NULL, NULL);
    return g;
}

static void
saved_clear(saved_ddl *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->sql[i]);
    free(d->sql);
    free(d->is_trigger);
    memset(d, 0, sizeof *d);
}

void
store_gpkg_reset(store_gpkg *g)
{
    for (int t = 0; t < N_T; t++) {
        saved_clear(&g->saved[t]);
        g->checked[t] = g->bulk[t] = 0;
        g->base[t] = 0;
    }
    g->has_ext[0] = g->has_ext[1] = 0;
    g->has_touched = 0;
    g->batched = 0;
}

void
store_gpkg_free(store_gpkg *g)
{
    if (g == NULL)
        return;
    store_gpkg_reset(g);
    for (int t = 0; t < N_T; t++) {
        sqlite3_finalize(g->find[t]);
        sqlite3_finalize(g->ins[t]);
        sqlite3_finalize(g->upd[t]);
    }
    sqlite3_finalize(g->del[0]);
    sqlite3_finalize(g->del[1]);
    sqlite3_finalize(g->touched_get);
    sqlite3_finalize(g->touched_put);
    free(g->blob);
    free(g->path);
    free(g);
}

/* ---- bulk mode ---------------------------------------------------------- */

static atlas_status
save_ddl(store_gpkg *g, int t, const char *sql, int is_trigger,
         atlas_error *err)
{
    saved_ddl *d = &g->saved[t];
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 16;
        char **ns = realloc(d->sql, nc * sizeof *ns);
        if (ns == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        d->sql = ns;
        int *nt = realloc(d->is_trigger, nc * sizeof *nt);
        if (nt == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        d->is_trigger = nt;
        d->cap = nc;
    }
    if ((d->sql[d->n] = strdup(sql)) == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    d->is_trigger[d->n++] = is_trigger;
    return ATLAS_OK;
}

/* Drops table T's triggers and non-unique indexes, keeping their SQL. */
static atlas_status
enter_bulk(store_gpkg *g, int t, atlas_error *err)
{
    sqlite3_stmt *s = NULL;
    char drop[512];
    size_t first = g->saved[t].n;

    if (sqlite3_prepare_v2(g->db,
                           "SELECT type, name, sql FROM sqlite_master WHERE "
                           "tbl_name = ?1 AND sql IS NOT NULL AND (type = "
                           "'trigger' OR (type = 'index' AND sql NOT LIKE "
                           "'CREATE UNIQUE%')) ORDER BY type, name",
                           -1, &s, NULL) != SQLITE_OK)
        return fail(g, t, err);
    sqlite3_bind_text(s, 1, tname[t], -1, SQLITE_STATIC);
    while (err->code == ATLAS_OK && sqlite3_step(s) == SQLITE_ROW)
        save_ddl(g, t, (const char *)sqlite3_column_text(s, 2),
                 strcmp((const char *)sqlite3_column_text(s, 0), "trigger") ==
                     0,
                 err);
    sqlite3_finalize(s);
    for (size_t i = first; i < g->saved[t].n && err->code == ATLAS_OK; i++) {
        /* the name is the third word: CREATE INDEX|TRIGGER name ... */
        const char *p = g->saved[t].sql[i];
        for (int w = 0; w < 2; w++) {
            p += strcspn(p, " \t\n");
            p += strspn(p, " \t\n");
        }
        size_t len = strcspn(p, " \t\n(");
        snprintf(drop, sizeof drop, "DROP %s %.*s",
                 g->saved[t].is_trigger[i] ? "TRIGGER" : "INDEX", (int)len, p);
        exec(g, t, drop, err);
    }
    g->bulk[t] = 1;
    return err->code;
}

/* Decides, at the first write to T in a transaction, whether to bulk
 * load it: only when it is empty, so the rebuild costs what was written. */
static atlas_status
decide(store_gpkg *g, int t, atlas_error *err)
{
    char sql[128];
    long long any;

    if (g->checked[t])
        return ATLAS_OK;
    g->checked[t] = 1;
    snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM \"%s\")", tname[t]);
    if (query_int(g, t, sql, &any, err))
        return err->code;
    return any ? ATLAS_OK : enter_bulk(g, t, err);
}

/* SQL of the schema object NAME (malloc'd), or NULL when none. */
static char *
schema_sql(store_gpkg *g, const char *name)
{
    sqlite3_stmt *s = NULL;
    char *sql = NULL;
    if (sqlite3_prepare_v2(g->db,
                           "SELECT sql FROM sqlite_master WHERE name = ?1", -1,
                           &s, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
        sql = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return sql;
}

/* Empties the R-tree NAME by dropping and recreating it: deleting a
 * million entries one by one would take longer than the load. */
static atlas_status
recreate_vtable(store_gpkg *g, int t, const char *name, atlas_error *err)
{
    char drop[320]; /* names are short: "rtree_sites_geom" */
    char *sql = schema_sql(g, name);
    if (sql == NULL)
        return ATLAS_OK;
    snprintf(drop, sizeof drop, "DROP TABLE \"%s\"", name);
    if (exec(g, t, drop, err) == ATLAS_OK)
        exec(g, t, sql, err);
    free(sql);
    return err->code;
}

atlas_status
store_gpkg_clear(store_gpkg *g, const char *table, atlas_error *err)
{
    char sql[256];
    int t;

    for (t = 0; t < N_T && strcmp(tname[t], table) != 0; t++)
        ;
    if (t == N_T)
        return atlas_error_set(err, ATLAS_E_INPUT, "no layer named %s", table);
    g->checked[t] = 1;
    if (!g->bulk[t] && enter_bulk(g, t, err))
        return err->code;
    snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", tname[t]);
    if (exec(g, t, sql, err))
        return err->code;
    if (t == T_SITES || t == T_LINES) {
        snprintf(sql, sizeof sql, "rtree_%s_geom", tname[t]);
        if (recreate_vtable(g, t, sql, err))
            return err->code;
        snprintf(sql, sizeof sql, "atlas_%s_years", tname[t]);
        if (recreate_vtable(g, t, sql, err))
            return err->code;
        g->has_ext[t] = 0;
    }
    return ATLAS_OK;
}

static int
has_object(store_gpkg *g, const char *name)
{
    char *sql = schema_sql(g, name);
    free(sql);
    return sql != NULL;
}

/* Sets the extent of T in gpkg_contents: from its R-tree after a bulk
 * load, else grown by what was written. */
static atlas_status
update_extent(store_gpkg *g, int t, atlas_error *err)
{
    char sql[512];
    sqlite3_stmt *s = NULL;
    double e[4];
    int have = 0;

    snprintf(sql, sizeof sql, "rtree_%s_geom", tname[t]);
    if (g->bulk[t] && has_object(g, sql)) {
        snprintf(sql, sizeof sql,
                 "SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "
                 "\"rtree_%s_geom\"",
                 tname[t]);
    } else if (g->has_ext[t]) {
        snprintf(sql, sizeof sql,
                 "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE "
                 "lower(table_name) = '%s'",
                 tname[t]);
    } else {
        return ATLAS_OK;
    }
    if (sqlite3_prepare_v2(g->db, sql, -1, &s, NULL) != SQLITE_OK)
        return fail(g, t, err);
    if (sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_type(s, 0) != SQLITE_NULL) {
        for (int i = 0; i < 4; i++)
            e[i] = sqlite3_column_double(s, i);
        have = 1;
    }
    sqlite3_finalize(s);
    if (!g->bulk[t] && g->has_ext[t]) {
        if (!have) {
            memcpy(e, g->ext[t], sizeof e);
        } else {
            for (int i = 0; i < 2; i++) {
                e[i] = e[i] < g->ext[t][i] ? e[i] : g->ext[t][i];
                e[i + 2] =
                    e[i + 2] > g->ext[t][i + 2] ? e[i + 2] : g->ext[t][i + 2];
            }
        }
        have = 1;
    }
    if (!have)
        snprintf(sql, sizeof sql,
                 "UPDATE gpkg_contents SET min_x = NULL, min_y = NULL, "
                 "max_x = NULL, max_y = NULL WHERE lower(table_name) = '%s'",
                 tname[t]);
    else
        snprintf(sql, sizeof sql,
                 "UPDATE gpkg_contents SET min_x = %.17g, min_y = %.17g, "
                 "max_x = %.17g, max_y = %.17g WHERE lower(table_name) = "
                 "'%s'",
                 e[0], e[1], e[2], e[3], tname[t]);
    return exec(g, t, sql, err);
}

/* ---- R-tree bulk loading -------------------------------------------------
 * SQLite inserts into an R-tree one entry at a time (choose a leaf, split,
 * adjust the path): most of a big load's time. Here an empty R-tree is
 * written whole instead, as a packed tree (Kamel and Faloutsos): entries in
 * Hilbert order (SQLite sorts them, in bounded memory), M to a leaf, then
 * each upper level from the boxes of the one below. The nodes, rowid and
 * parent tables are those of SQLite's rtree module (ext/rtree/rtree.c):
 * big-endian cells of an 8-byte id and 2 x dims coordinates (32-bit float,
 * or int32 for rtree_i32), a node's cell count at byte 2, the tree's depth
 * at byte 0 of the root (node 1). rtreecheck() accepts the result. */

typedef struct rt_cell {
    long long id;
    uint32_t c[4]; /* coordinates as stored (float bits or int32) */
} rt_cell;

typedef struct rt_build {
    store_gpkg *g;
    int t, dims, is_int;
    size_t node_size, max_cells;
    const char *name;
    sqlite3_stmt *put_node, *put_rowid, *put_parent;
    sqlite3_stmt *put_pair; /* leaf entries, written in id order at the end */
    rt_cell *leaf;          /* the leaf being filled */
    size_t n_leaf;
    rt_cell *up; /* one cell per node of the level being built */
    size_t n_up, cap_up;
    long long next_node;
    unsigned char *buf;
} rt_build;

/* SQLite's rtreeValueDown()/rtreeValueUp(): a float box never smaller
 * than the double one. */
static float
round_down(double d)
{
    float f = (float)d;
    if (f > d)
        f = (float)(d *
                    (d < 0 ? 1.0 + 1.0 / 8388608.0 : 1.0 - 1.0 / 8388608.0));
    return f;
}

static float
round_up(double d)
{
    float f = (float)d;
    if (f < d)
        f = (float)(d *
                    (d < 0 ? 1.0 - 1.0 / 8388608.0 : 1.0 + 1.0 / 8388608.0));
    return f;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Compares two stored coordinates. */
static int
coord_less(const rt_build *b, uint32_t x, uint32_t y)
{
    if (b->is_int)
        return (int32_t)x < (int32_t)y;
    float fx, fy;
    memcpy(&fx, &x, 4);
    memcpy(&fy, &y, 4);
    return fx < fy;
}

/* Writes node NO holding CELLS (N of them) at DEPTH (root only). */
static atlas_status
write_node(rt_build *b, long long no, const rt_cell *cells, size_t n, int depth,
           atlas_error *err)
{
    unsigned char *p = b->buf;
    memset(b->buf, 0, b->node_size);
    p[0] = (unsigned char)(depth >> 8);
    p[1] = (unsigned char)depth;
    p[2] = (unsigned char)(n >> 8);
    p[3] = (unsigned char)n;
    p += 4;
    for (size_t i = 0; i < n; i++) {
        uint64_t id = (uint64_t)cells[i].id;
        put_be32(p, (uint32_t)(id >> 32));
        put_be32(p + 4, (uint32_t)id);
        p += 8;
        for (int k = 0; k < 2 * b->dims; k++, p += 4)
            put_be32(p, cells[i].c[k]);
    }
    sqlite3_bind_int64(b->put_node, 1, no);
    sqlite3_bind_blob(b->put_node, 2, b->buf, (int)b->node_size, SQLITE_STATIC);
    return run(b->g, b->t, b->put_node, err);
}

/* The box of CELLS as one cell pointing to node NO. */
static rt_cell
cover(const rt_build *b, const rt_cell *cells, size_t n, long long no)
{
    rt_cell c = cells[0];
    c.id = no;
    for (size_t i = 1; i < n; i++)
        for (int d = 0; d < b->dims; d++) {
            if (coord_less(b, cells[i].c[2 * d], c.c[2 * d]))
                c.c[2 * d] = cells[i].c[2 * d];
            if (coord_less(b, c.c[2 * d + 1], cells[i].c[2 * d + 1]))
                c.c[2 * d + 1] = cells[i].c[2 * d + 1];
        }
    return c;
}

static atlas_status
push_up(rt_build *b, rt_cell c, atlas_error *err)
{
    if (b->n_up == b->cap_up) {
        size_t nc = b->cap_up ? 2 * b->cap_up : 256;
        rt_cell *nu = realloc(b->up, nc * sizeof *nu);
        if (nu == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        b->up = nu;
        b->cap_up = nc;
    }
    b->up[b->n_up++] = c;
    return ATLAS_OK;
}

/* Writes the full leaf as node NO, with its rowid entries. */
static atlas_status
flush_leaf(rt_build *b, long long no, int depth, atlas_error *err)
{
    if (write_node(b, no, b->leaf, b->n_leaf, depth, err))
        return err->code;
    for (size_t i = 0; i < b->n_leaf; i++) {
        sqlite3_bind_int64(b->put_pair, 1, b->leaf[i].id);
        sqlite3_bind_int64(b->put_pair, 2, no);
        if (run(b->g, b->t, b->put_pair, err))
            return err->code;
    }
    if (depth < 0)
        return ATLAS_OK;
    return push_up(b, cover(b, b->leaf, b->n_leaf, no), err);
}

/* Hilbert index of (x, y) on a 65536 x 65536 grid over the world. */
static void
sql_hilbert(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double fx = (sqlite3_value_double(argv[0]) + 180.0) / 360.0;
    double fy = (sqlite3_value_double(argv[1]) + 90.0) / 180.0;
    uint32_t n = 65536, x, y;
    uint64_t d = 0;
    (void)argc;
    fx = fx < 0 ? 0 : fx > 1 ? 1 : fx;
    fy = fy < 0 ? 0 : fy > 1 ? 1 : fy;
    x = (uint32_t)(fx * (n - 1));
    y = (uint32_t)(fy * (n - 1));
    for (uint32_t s = n / 2; s > 0; s /= 2) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += (uint64_t)s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            uint32_t tmp = x;
            x = y;
            y = tmp;
        }
    }
    sqlite3_result_int64(ctx, (sqlite3_int64)d);
}

/* Fills the empty R-tree NAME of table T from SELECT (id, lo0, hi0[, lo1,
 * hi1]) rows in the order they should be packed. */
static atlas_status
bulk_rtree(store_gpkg *g, int t, const char *name, int dims, int is_int,
           const char *select, atlas_error *err)
{
    rt_build b;
    char sql[512];
    long long size, rows;
    sqlite3_stmt *s = NULL;

    memset(&b, 0, sizeof b);
    b.g = g;
    b.t = t;
    b.dims = dims;
    b.is_int = is_int;
    b.name = name;
    snprintf(sql, sizeof sql,
             "SELECT length(data) FROM \"%s_node\" WHERE nodeno = 1", name);
    if (query_int(g, t, sql, &size, err))
        return err->code;
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM \"%s_node\") + (SELECT count(*) "
             "FROM \"%s_rowid\")",
             name, name);
    if (query_int(g, t, sql, &rows, err))
        return err->code;
    if (size < 64 || rows != 1) /* not a fresh empty tree: leave to SQL */
        return ATLAS_E_INPUT;
    b.node_size = (size_t)size;
    b.max_cells = (b.node_size - 4) / (8 + 8 * (size_t)dims);
    b.buf = malloc(b.node_size);
    b.leaf = calloc(b.max_cells, sizeof *b.leaf);
    if (b.buf == NULL || b.leaf == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        goto done;
    }
    snprintf(sql, sizeof sql, "DELETE FROM \"%s_node\"", name);
    if (exec(g, t, sql, err))
        goto done;
    snprintf(sql, sizeof sql, "INSERT INTO \"%s_node\" VALUES (?1, ?2)", name);
    if (sqlite3_prepare_v2(g->db, sql, -1, &b.put_node, NULL) != SQLITE_OK) {
        fail(g, t, err);
        goto done;
    }
    snprintf(sql, sizeof sql, "INSERT INTO \"%s_rowid\" VALUES (?1, ?2)", name);
    if (sqlite3_prepare_v2(g->db, sql, -1, &b.put_rowid, NULL) != SQLITE_OK) {
        fail(g, t, err);
        goto done;
    }
    /* The rowid table is keyed by id: written in the leaves' (Hilbert)
     * order, each entry lands on a random page and a big tree overflows
     * SQLite's cache. The pairs go to a temporary table in that order,
     * then in id order (SQLite sorts, in bounded memory) to the rowid
     * table, which then only grows at its end. */
    if (exec(g, t, "PRAGMA temp.cache_size = -512", err) ||
        exec(g, t,
             "CREATE TEMP TABLE IF NOT EXISTS atlas_rt_pairs (id INTEGER, "
             "node INTEGER)",
             err))
        goto done;
    if (sqlite3_prepare_v2(g->db,
                           "INSERT INTO temp.atlas_rt_pairs VALUES (?1, ?2)",
                           -1, &b.put_pair, NULL) != SQLITE_OK) {
        fail(g, t, err);
        goto done;
    }
    snprintf(sql, sizeof sql, "INSERT INTO \"%s_parent\" VALUES (?1, ?2)",
             name);
    if (sqlite3_prepare_v2(g->db, sql, -1, &b.put_parent, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(g->db, select, -1, &s, NULL) != SQLITE_OK) {
        fail(g, t, err);
        goto done;
    }
    /* leaves: node 1 is the root, so the first leaf waits until we know
     * whether it is the only one */
    b.next_node = 2;
    int pending = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rt_cell c;
        c.id = sqlite3_column_int64(s, 0);
        for (int d = 0; d < dims; d++) {
            if (is_int) {
                c.c[2 * d] = (uint32_t)sqlite3_column_int(s, 1 + 2 * d);
                c.c[2 * d + 1] = (uint32_t)sqlite3_column_int(s, 2 + 2 * d);
            } else {
                float lo = round_down(sqlite3_column_double(s, 1 + 2 * d));
                float hi = round_up(sqlite3_column_double(s, 2 + 2 * d));
                memcpy(&c.c[2 * d], &lo, 4);
                memcpy(&c.c[2 * d + 1], &hi, 4);
            }
        }
        if (b.n_leaf == b.max_cells) {
            if (flush_leaf(&b, b.next_node++, 0, err))
                goto done;
            b.n_leaf = 0;
            pending = 0;
        }
        b.leaf[b.n_leaf++] = c;
        pending = 1;
    }
    if (rc != SQLITE_DONE) {
        fail(g, t, err);
        goto done;
    }
    if (b.n_up == 0) { /* one leaf (perhaps empty): it is the root */
        write_node(&b, 1, b.leaf, b.n_leaf, 0, err);
        for (size_t i = 0; i < b.n_leaf && err->code == ATLAS_OK; i++) {
            sqlite3_bind_int64(b.put_rowid, 1, b.leaf[i].id);
            sqlite3_bind_int64(b.put_rowid, 2, 1);
            run(g, t, b.put_rowid, err);
        }
        goto done;
    }
    if (pending && flush_leaf(&b, b.next_node++, 0, err))
        goto done;
    /* upper levels, from the boxes of the level below */
    for (int depth = 1; err->code == ATLAS_OK; depth++) {
        rt_cell *level = b.up;
        size_t n = b.n_up;
        b.up = NULL;
        b.n_up = b.cap_up = 0;
        int root = n <= b.max_cells;
        for (size_t i = 0; i < n && err->code == ATLAS_OK; i += b.max_cells) {
            size_t k = n - i < b.max_cells ? n - i : b.max_cells;
            long long no = root ? 1 : b.next_node++;
            if (write_node(&b, no, level + i, k, root ? depth : 0, err))
                break;
            for (size_t j = 0; j < k; j++) {
                sqlite3_bind_int64(b.put_parent, 1, level[i + j].id);
                sqlite3_bind_int64(b.put_parent, 2, no);
                if (run(g, t, b.put_parent, err))
                    break;
            }
            if (!root && err->code == ATLAS_OK)
                push_up(&b, cover(&b, level + i, k, no), err);
        }
        free(level);
        if (root)
            break;
    }
    if (err->code == ATLAS_OK) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO \"%s_rowid\" SELECT id, node FROM "
                 "temp.atlas_rt_pairs ORDER BY id",
                 name);
        exec(g, t, sql, err);
    }

done:
    sqlite3_finalize(s);
    sqlite3_finalize(b.put_node);
    sqlite3_finalize(b.put_rowid);
    sqlite3_finalize(b.put_parent);
    if (b.put_pair != NULL) {
        sqlite3_finalize(b.put_pair);
        sqlite3_exec(g->db, "DROP TABLE IF EXISTS temp.atlas_rt_pairs", NULL,
                     NULL, NULL);
    }
    free(b.buf);
    free(b.leaf);
    free(b.up);
    return err->code;
}

atlas_status
store_gpkg_finish(store_gpkg *g, atlas_error *err)
{
    char sql[512];

    for (int t = 0; t < N_T && err->code == ATLAS_OK; t++) {
        saved_ddl *d = &g->saved[t];
        if (!g->bulk[t])
            continue;
        for (size_t i = 0; i < d->n && err->code == ATLAS_OK; i++)
            if (!d->is_trigger[i])
                exec(g, t, d->sql[i], err);
        if ((t == T_SITES || t == T_LINES) && err->code == ATLAS_OK) {
            snprintf(sql, sizeof sql, "rtree_%s_geom", tname[t]);
            if (has_object(g, sql)) {
                char name[64];
                snprintf(name, sizeof name, "rtree_%s_geom", tname[t]);
                snprintf(sql, sizeof sql,
                         "SELECT fid, ST_MinX(geom), ST_MaxX(geom), "
                         "ST_MinY(geom), ST_MaxY(geom) FROM \"%s\" WHERE "
                         "geom NOT NULL AND NOT ST_IsEmpty(geom) ORDER BY "
                         "atlas_hilbert((ST_MinX(geom) + ST_MaxX(geom)) / 2, "
                         "(ST_MinY(geom) + ST_MaxY(geom)) / 2)",
                         tname[t]);
                if (bulk_rtree(g, t, name, 2, 0, sql, err) == ATLAS_E_INPUT &&
                    err->code == ATLAS_OK) {
                    snprintf(sql, sizeof sql,
                             "INSERT INTO \"rtree_%s_geom\" SELECT fid, "
                             "ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), "
                             "ST_MaxY(geom) FROM \"%s\" WHERE geom NOT NULL "
                             "AND NOT ST_IsEmpty(geom)",
                             tname[t], tname[t]);
                    exec(g, t, sql, err);
                }
            }
            snprintf(sql, sizeof sql, "atlas_%s_years", tname[t]);
            if (err->code == ATLAS_OK && has_object(g, sql)) {
                char name[64];
                snprintf(name, sizeof name, "atlas_%s_years", tname[t]);
                snprintf(sql, sizeof sql,
                         "SELECT fid, year_start, year_end FROM \"%s\" "
                         "ORDER BY year_start + year_end, year_end",
                         tname[t]);
                if (bulk_rtree(g, t, name, 1, 1, sql, err) == ATLAS_E_INPUT &&
                    err->code == ATLAS_OK) {
                    snprintf(sql, sizeof sql,
                             "INSERT INTO \"atlas_%s_years\" SELECT fid, "
                             "year_start, year_end FROM \"%s\"",
                             tname[t], tname[t]);
                    exec(g, t, sql, err);
                }
            }
        }
        for (size_t i = 0; i < d->n && err->code == ATLAS_OK; i++)
            if (d->is_trigger[i])
                exec(g, t, d->sql[i], err);
        if (err->code == ATLAS_OK && has_object(g, "gpkg_ogr_contents")) {
            snprintf(sql, sizeof sql,
                     "UPDATE gpkg_ogr_contents SET feature_count = (SELECT "
                     "count(*) FROM \"%s\") WHERE lower(table_name) = '%s'",
                     tname[t], tname[t]);
            exec(g, t, sql, err);
        }
    }
    for (int t = T_SITES; t <= T_LINES && err->code == ATLAS_OK; t++)
        update_extent(g, t, err);
    return err->code;
}

/* ---- rows --------------------------------------------------------------- */

atlas_status
store_gpkg_batch(store_gpkg *g, atlas_error *err)
{
    char sql[128];
    for (int t = 0; t < N_T; t++) {
        snprintf(sql, sizeof sql, "SELECT coalesce(max(fid), 0) FROM \"%s\"",
                 tname[t]);
        if (query_int(g, t, sql, &g->base[t], err))
            return err->code;
    }
    g->batched = 1;
    if (g->has_touched)
        return exec(g, T_SITES, "DELETE FROM temp.atlas_touched", err);
    return ATLAS_OK;
}

/* 1 when pre-existing row FID of T was already updated in this batch,
 * else remembers it and returns 0; -1 on failure. */
static int
touch(store_gpkg *g, int t, long long fid, atlas_error *err)
{
    sqlite3_stmt *s;
    if (!g->batched)
        return 0;
    if (!g->has_touched) {
        if (exec(g, t,
                 "CREATE TEMP TABLE IF NOT EXISTS atlas_touched (t INTEGER "
                 "NOT NULL, fid INTEGER NOT NULL, PRIMARY KEY (t, fid)) "
                 "WITHOUT ROWID",
                 err) ||
            exec(g, t, "DELETE FROM temp.atlas_touched", err))
            return -1;
        g->has_touched = 1;
    }
    s = prep(g, t, &g->touched_get,
             "SELECT 1 FROM temp.atlas_touched WHERE t = ?1 AND fid = ?2", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int(s, 1, t);
    sqlite3_bind_int64(s, 2, fid);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE) {
        fail(g, t, err);
        return -1;
    }
    s = prep(g, t, &g->touched_put,
             "INSERT INTO temp.atlas_touched VALUES (?1, ?2)", err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int(s, 1, t);
    sqlite3_bind_int64(s, 2, fid);
    return run(g, t, s, err) ? -1 : 0;
}

/* The fid of the row of T with key A (and year B for site_years): > 0,
 * 0 when none, -1 on failure. */
static long long
find(store_gpkg *g, int t, const char *a, int b, atlas_error *err)
{
    static const char *const sql[N_T] = {
        "SELECT fid FROM sites WHERE id = ?1",
        "SELECT fid FROM lines WHERE id = ?1",
        "SELECT fid FROM site_years WHERE site_id = ?1 AND year = ?2",
        "SELECT fid FROM sources WHERE id = ?1"};
    sqlite3_stmt *s = prep(g, t, &g->find[t], sql[t], err);
    long long fid = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
    if (t == T_YEARS)
        sqlite3_bind_int(s, 2, b);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        fid = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        fid = -1, fail(g, t, err);
    sqlite3_reset(s);
    return fid;
}

/* Looks KEY up in T for a put: sets *FID (0: new) and *DUP (already
 * written in this batch). */
static atlas_status
lookup(store_gpkg *g, int t, const char *a, int b, long long *fid, int *dup,
       atlas_error *err)
{
    *fid = find(g, t, a, b, err);
    if (*fid < 0)
        return err->code;
    if (*fid == 0)
        return ATLAS_OK;
    if (g->batched && *fid > g->base[t]) {
        *dup = 1;
        return ATLAS_OK;
    }
    return ATLAS_OK;
}

static int
little_endian(void)
{
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

static unsigned char *
blob_room(store_gpkg *g, size_t n)
{
    if (n > g->blob_cap) {
        unsigned char *b = realloc(g->blob, n);
        if (b == NULL)
            return NULL;
        g->blob = b;
        g->blob_cap = n;
    }
    return g->blob;
}

#define PUT(p, v)                                                              \
    do {                                                                       \
        memcpy((p), &(v), sizeof(v));                                          \
        (p) += sizeof(v);                                                      \
    } while (0)

/* FE's geometry as a GeoPackage blob (EPSG:4326; an envelope for lines,
 * as GDAL writes them) into g->blob; its length, or 0 on no memory. */
static size_t
make_blob(store_gpkg *g, const atlas_feature *fe, double env[4])
{
    uint8_t bo = little_endian() ? 1 : 0;
    int is_site = fe->layer == ATLAS_LAYER_SITES;
    size_t n = 8 + (is_site ? 21 : 32 + 9 + fe->n_parts * 9 + fe->n_pts * 16);
    unsigned char *p = blob_room(g, n);
    int32_t srs = 4326;
    uint32_t u;

    if (p == NULL)
        return 0;
    env[0] = env[2] = fe->xy[0];
    env[1] = env[3] = fe->xy[1];
    for (size_t i = 1; i < fe->n_pts; i++) {
        double x = fe->xy[2 * i], y = fe->xy[2 * i + 1];
        env[0] = x < env[0] ? x : env[0];
        env[2] = x > env[2] ? x : env[2];
        env[1] = y < env[1] ? y : env[1];
        env[3] = y > env[3] ? y : env[3];
    }
    *p++ = 'G';
    *p++ = 'P';
    *p++ = 0;                           /* version 1 */
    *p++ = bo | (is_site ? 0 : 1 << 1); /* byte order; envelope [x, y] */
    PUT(p, srs);
    if (is_site) {
        *p++ = bo;
        u = 1; /* Point */
        PUT(p, u);
        PUT(p, fe->xy[0]);
        PUT(p, fe->xy[1]);
        return n;
    }
    PUT(p, env[0]); /* minx, maxx, miny, maxy */
    PUT(p, env[2]);
    PUT(p, env[1]);
    PUT(p, env[3]);
    *p++ = bo;
    u = 5; /* MultiLineString */
    PUT(p, u);
    u = (uint32_t)fe->n_parts;
    PUT(p, u);
    for (size_t k = 0; k < fe->n_parts; k++) {
        size_t a = fe->parts[k];
        size_t b = k + 1 < fe->n_parts ? fe->parts[k + 1] : fe->n_pts;
        *p++ = bo;
        u = 2; /* LineString */
        PUT(p, u);
        u = (uint32_t)(b - a);
        PUT(p, u);
        memcpy(p, fe->xy + 2 * a, (b - a) * 2 * sizeof(double));
        p += (b - a) * 2 * sizeof(double);
    }
    return n;
}

static atlas_status
delete_row(store_gpkg *g, int t, long long fid, atlas_error *err)
{
    static const char *const sql[2] = {"DELETE FROM sites WHERE fid = ?1",
                                       "DELETE FROM lines WHERE fid = ?1"};
    sqlite3_stmt *s = prep(g, t, &g->del[t], sql[t], err);
    if (s == NULL)
        return err->code;
    sqlite3_bind_int64(s, 1, fid);
    return run(g, t, s, err);
}

/* The INSERT (or, with UPDATE, the UPDATE ... WHERE fid) of a feature
 * table: geom, then the schema's fields in order. */
static sqlite3_stmt *
feature_stmt(store_gpkg *g, int t, int update, atlas_error *err)
{
    char sql[4096];
    size_t len;

    if (update) {
        if (g->upd[t] != NULL)
            return g->upd[t];
        len = (size_t)snprintf(sql, sizeof sql, "UPDATE \"%s\" SET geom = ?1",
                               tname[t]);
        for (int f = 0; f < ATLAS_N_FIELDS; f++)
            len +=
                (size_t)snprintf(sql + len, sizeof sql - len, ", \"%s\" = ?%d",
                                 atlas_field_name(f), f + 2);
        /* A row that would not change is not written: no page, journal
         * or trigger work, so reloading an unchanged file costs reads. */
        len += (size_t)snprintf(sql + len, sizeof sql - len,
                                " WHERE fid = ?%d AND NOT (geom IS ?1",
                                ATLAS_N_FIELDS + 2);
        for (int f = 0; f < ATLAS_N_FIELDS; f++)
            len += (size_t)snprintf(sql + len, sizeof sql - len,
                                    " AND \"%s\" IS ?%d", atlas_field_name(f),
                                    f + 2);
        snprintf(sql + len, sizeof sql - len, ")");
        return prep(g, t, &g->upd[t], sql, err);
    }
    if (g->ins[t] != NULL)
        return g->ins[t];
    len =
        (size_t)snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (geom", tname[t]);
    for (int f = 0; f < ATLAS_N_FIELDS; f++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", \"%s\"",
                                atlas_field_name(f));
    len += (size_t)snprintf(sql + len, sizeof sql - len, ") VALUES (?1");
    for (int f = 0; f < ATLAS_N_FIELDS; f++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", ?%d", f + 2);
    snprintf(sql + len, sizeof sql - len, ")");
    return prep(g, t, &g->ins[t], sql, err);
}

atlas_status
store_gpkg_put_feature(store_gpkg *g, const atlas_feature *fe, int *dup,
                       atlas_error *err)
{
    int t = fe->layer == ATLAS_LAYER_SITES ? T_SITES : T_LINES;
    int o = t == T_SITES ? T_LINES : T_SITES;
    const char *id = fe->f[ATLAS_F_ID].s;
    long long fid, other;
    double env[4];
    int r;

    *dup = 0;
    if (id == NULL)
        return atlas_error_set(err, ATLAS_E_INPUT, "feature without id");
    if (decide(g, t, err))
        return err->code;
    /* an id names one feature: a line that replaces a site moves tables */
    if (lookup(g, o, id, 0, &other, dup, err) || *dup)
        return err->code;
    if (other > 0) {
        if ((r = touch(g, o, other, err)) != 0) {
            *dup = r > 0;
            return err->code;
        }
        if (delete_row(g, o, other, err))
            return err->code;
    }
    if (lookup(g, t, id, 0, &fid, dup, err) || *dup)
        return err->code;
    if (fid > 0 && (r = touch(g, t, fid, err)) != 0) {
        *dup = r > 0;
        return err->code;
    }
    sqlite3_stmt *s = feature_stmt(g, t, fid > 0, err);
    if (s == NULL)
        return err->code;
    size_t n = make_blob(g, fe, env);
    if (n == 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    sqlite3_bind_blob(s, 1, g->blob, (int)n, SQLITE_STATIC);
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        const atlas_slot *sl = &fe->f[f];
        if (!sl->is_set)
            sqlite3_bind_null(s, f + 2);
        else if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
            sqlite3_bind_int64(s, f + 2, sl->i);
        else
            sqlite3_bind_text(s, f + 2, sl->s, -1, SQLITE_STATIC);
    }
    if (fid > 0)
        sqlite3_bind_int64(s, ATLAS_N_FIELDS + 2, fid);
    if (run(g, t, s, err))
        return err->code;
    if (!g->has_ext[t]) {
        memcpy(g->ext[t], env, sizeof env);
        g->has_ext[t] = 1;
    } else {
        for (int i = 0; i < 2; i++) {
            if (env[i] < g->ext[t][i])
                g->ext[t][i] = env[i];
            if (env[i + 2] > g->ext[t][i + 2])
                g->ext[t][i + 2] = env[i + 2];
        }
    }
    return ATLAS_OK;
}

atlas_status
store_gpkg_put_year(store_gpkg *g, const atlas_year_count *yc, int *dup,
                    atlas_error *err)
{
    long long fid;
    sqlite3_stmt *s;
    int r;

    *dup = 0;
    if (decide(g, T_YEARS, err) ||
        lookup(g, T_YEARS, yc->site_id, yc->year, &fid, dup, err) || *dup)
        return err->code;
    if (fid > 0) {
        if ((r = touch(g, T_YEARS, fid, err)) != 0) {
            *dup = r > 0;
            return err->code;
        }
        s = prep(g, T_YEARS, &g->upd[T_YEARS],
                 "UPDATE site_years SET site_id = ?1, year = ?2, prisoners = "
                 "?3, source = ?4, as_of = ?6, note = ?7 WHERE fid = ?5 AND "
                 "NOT (site_id IS ?1 AND year IS ?2 AND prisoners IS ?3 AND "
                 "source IS ?4 AND as_of IS ?6 AND note IS ?7)",
                 err);
    } else {
        s = prep(g, T_YEARS, &g->ins[T_YEARS],
                 "INSERT INTO site_years (site_id, year, prisoners, source, "
                 "as_of, note) VALUES (?1, ?2, ?3, ?4, ?6, ?7)",
                 err);
    }
    if (s == NULL)
        return err->code;
    sqlite3_bind_text(s, 1, yc->site_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, yc->year);
    sqlite3_bind_int64(s, 3, yc->prisoners);
    if (yc->source != NULL)
        sqlite3_bind_text(s, 4, yc->source, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 4);
    if (fid > 0)
        sqlite3_bind_int64(s, 5, fid);
    if (yc->as_of != NULL)
        sqlite3_bind_text(s, 6, yc->as_of, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 6);
    if (yc->note != NULL)
        sqlite3_bind_text(s, 7, yc->note, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 7);
    return run(g, T_YEARS, s, err);
}

atlas_status
store_gpkg_put_source(store_gpkg *g, const atlas_source *src, int *dup,
                      atlas_error *err)
{
    long long fid;
    sqlite3_stmt *s;
    int r;

    *dup = 0;
    if (decide(g, T_SOURCES, err) ||
        lookup(g, T_SOURCES, src->id, 0, &fid, dup, err) || *dup)
        return err->code;
    if (fid > 0) {
        if ((r = touch(g, T_SOURCES, fid, err)) != 0) {
            *dup = r > 0;
            return err->code;
        }
        s = prep(g, T_SOURCES, &g->upd[T_SOURCES],
                 "UPDATE sources SET id = ?1, citation = ?2, url = ?3 WHERE "
                 "fid = ?4 AND NOT (id IS ?1 AND citation IS ?2 AND url IS "
                 "?3)",
                 err);
    } else {
        s = prep(g, T_SOURCES, &g->ins[T_SOURCES],
                 "INSERT INTO sources (id, citation, url) VALUES (?1, ?2, ?3)",
                 err);
    }
    if (s == NULL)
        return err->code;
    sqlite3_bind_text(s, 1, src->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, src->citation, -1, SQLITE_STATIC);
    if (src->url != NULL)
        sqlite3_bind_text(s, 3, src->url, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 3);
    if (fid > 0)
        sqlite3_bind_int64(s, 4, fid);
    return run(g, T_SOURCES, s, err);
}

int
store_gpkg_has_feature(store_gpkg *g, const char *id, atlas_error *err)
{
    long long a = find(g, T_SITES, id, 0, err);
    if (a != 0)
        return a > 0 ? 1 : -1;
    long long b = find(g, T_LINES, id, 0, err);
    return b > 0 ? 1 : b < 0 ? -1 : 0;
}

/* ---- reading -------------------------------------------------------------
 * Queries stream rows from prepared statements: no OGR feature objects,
 * no list of every match. A GeoPackage geometry blob is a header (magic,
 * flags, srs id, an optional envelope) and then WKB. */

typedef struct wkb_reader {
    const unsigned char *p, *end;
    int swap; /* WKB byte order differs from ours */
} wkb_reader;

static int
rd_u32(wkb_reader *r, uint32_t *v)
{
    if (r->end - r->p < 4)
        return -1;
    memcpy(v, r->p, 4);
    if (r->swap)
        *v = (*v >> 24) | ((*v >> 8) & 0xff00) | ((*v << 8) & 0xff0000) |
             (*v << 24);
    r->p += 4;
    return 0;
}

static double
rd_f64(wkb_reader *r)
{
    uint64_t u;
    double d;
    memcpy(&u, r->p, 8);
    if (r->swap) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v = (v << 8) | ((u >> (8 * i)) & 0xff);
        u = v;
    }
    memcpy(&d, &u, 8);
    r->p += 8;
    return d;
}

/* Reads a WKB header: byte order and type; *BASE is the 2D type (1
 * point, 2 linestring, 5 multilinestring), *DIMS the coordinates per
 * point (ISO and EWKB Z/M flags both). */
static int
rd_head(wkb_reader *r, uint32_t *base, int *dims)
{
    uint32_t t;
    if (r->p >= r->end || *r->p > 1)
        return -1;
    r->swap = (*r->p++ == 1) != little_endian();
    if (rd_u32(r, &t))
        return -1;
    *dims = 2;
    if (t & 0x80000000u)
        (*dims)++;
    if (t & 0x40000000u)
        (*dims)++;
    t &= 0x0fffffffu;
    if (t >= 1000 && t < 4000) {
        *dims = t >= 3000 ? 4 : 3;
        t %= 1000;
    }
    *base = t;
    return 0;
}

/* Reads a linestring's points into XY (NULL: only counts them); returns
 * the count, or -1 when the blob is short. */
static long
rd_points(wkb_reader *r, int dims, double *xy)
{
    uint32_t n;
    if (rd_u32(r, &n) ||
        (size_t)(r->end - r->p) / (8 * (size_t)dims) < (size_t)n)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        if (xy == NULL) {
            r->p += 8 * (size_t)dims;
            continue;
        }
        xy[2 * i] = rd_f64(r);
        xy[2 * i + 1] = rd_f64(r);
        r->p += 8 * (size_t)(dims - 2);
    }
    return (long)n;
}

/* Sets FE's geometry from the GeoPackage blob B of N bytes (B NULL: the
 * column is NULL, or not a blob). Returns 0, or 1 with *WHY saying why
 * the blob gives no geometry atlas can use (FE then has none), or -1 when
 * out of memory. The blob comes from a file anyone can write: every count
 * is checked against its length before anything is read or allocated. */
static int
read_geom(atlas_feature_list *list, atlas_feature *fe, const unsigned char *b,
          size_t n, const char **why)
{
    static const size_t env_size[8] = {0, 32, 48, 48, 64, 0, 0, 0};
    wkb_reader r;
    uint32_t base, parts;
    int dims;

    *why = "the geometry is not a GeoPackage geometry blob";
    if (b == NULL || n < 8 || b[0] != 'G' || b[1] != 'P')
        return 1;
    *why = "the geometry is empty";
    if (b[3] & 0x10)
        return 1;
    *why = "the geometry blob is cut short or malformed";
    r.p = b + 8 + env_size[(b[3] >> 1) & 7];
    r.end = b + n;
    if (r.p > r.end || rd_head(&r, &base, &dims))
        return 1;
    if (base == 1) {
        if ((size_t)(r.end - r.p) < 8 * (size_t)dims)
            return 1;
        double xy[2];
        xy[0] = rd_f64(&r);
        xy[1] = rd_f64(&r);
        return atlas_feature_set_geom(list, fe, xy, 1, NULL, 0);
    }
    if (base != 2 && base != 5) {
        *why = "the geometry is neither a point nor a line";
        return 1;
    }
    wkb_reader start = r;
    size_t n_pts = 0;
    parts = 1;
    /* first pass: count, and check the blob holds what it says */
    if (base == 5 && rd_u32(&r, &parts))
        return 1;
    for (uint32_t k = 0; k < parts; k++) {
        uint32_t pb;
        int pd;
        if (base == 5 && (rd_head(&r, &pb, &pd) || pb != 2))
            return 1;
        long c = rd_points(&r, base == 5 ? pd : dims, NULL);
        if (c < 0)
            return 1;
        n_pts += (size_t)c;
    }
    *why = "the geometry is empty";
    if (parts == 0 || n_pts == 0)
        return 1;
    fe->xy = atlas_feature_list_alloc(list, n_pts * 2 * sizeof(double));
    fe->parts = atlas_feature_list_alloc(list, parts * sizeof(size_t));
    if (fe->xy == NULL || fe->parts == NULL)
        return -1;
    r = start;
    if (base == 5)
        rd_u32(&r, &parts);
    size_t at = 0;
    for (uint32_t k = 0; k < parts; k++) {
        uint32_t pb;
        int pd = dims;
        if (base == 5)
            rd_head(&r, &pb, &pd);
        fe->parts[k] = at;
        at += (size_t)rd_points(&r, pd, fe->xy + 2 * at);
    }
    fe->n_pts = n_pts;
    fe->n_parts = parts;
    return 0;
}

/* Reads the current row of S into a fresh feature of LIST (emptied).
 * A row atlas cannot use (its geometry unreadable or out of range) sets
 * *BAD to why, and LIST's feature is then only good for naming it. */
static atlas_status
read_row(sqlite3_stmt *s, atlas_layer layer, atlas_feature_list *list,
         const char **bad, atlas_error *err)
{
    atlas_feature *fe;

    atlas_feature_list_clear(list);
    if ((fe = atlas_feature_list_add(list)) == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    fe->layer = layer;
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        if (sqlite3_column_type(s, f + 1) == SQLITE_NULL)
            continue;
        if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
            atlas_feature_set_int(fe, f, sqlite3_column_int64(s, f + 1));
        else if (atlas_feature_set_text(
                     list, fe, f, (const char *)sqlite3_column_text(s, f + 1)) <
                 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    if (sqlite3_column_type(s, ATLAS_N_FIELDS + 1) != SQLITE_NULL) {
        fe->prisoners = sqlite3_column_int64(s, ATLAS_N_FIELDS + 1);
        fe->has_prisoners = 1;
    }
    /* a TEXT 'POINT(1 2)' is no blob: only a BLOB is parsed */
    int g = read_geom(list, fe,
                      sqlite3_column_type(s, 0) == SQLITE_BLOB
                          ? sqlite3_column_blob(s, 0)
                          : NULL,
                      (size_t)sqlite3_column_bytes(s, 0), bad);
    if (g < 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    if (g == 0)
        *bad = store_feature_check(fe);
    return ATLAS_OK;
}

/* Steps S; 1 with the row read into LIST, 0 at the end, -1 on error.
 * Rows atlas cannot use are skipped, each with a warning naming it. */
static int
next_row(sqlite3 *db, const char *path, sqlite3_stmt *s, atlas_layer layer,
         atlas_feature_list *list, atlas_error *err)
{
    for (;;) {
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            return 0;
        if (rc != SQLITE_ROW) {
            atlas_error_set(err, ATLAS_E_IO, "%s: query failed: %s", path,
                            sqlite3_errmsg(db));
            return -1;
        }
        const char *bad = NULL;
        if (read_row(s, layer, list, &bad, err))
            return -1;
        if (bad == NULL)
            return 1;
        store_warn_skip(path, &list->items[0], bad);
    }
}

atlas_status
store_gpkg_each(void *handle, const char *path, const char *const sql[2],
                int merge, const double *bbox, atlas_store_each_fn fn,
                void *ctx, atlas_error *err)
{
    sqlite3 *db = handle;
    sqlite3_stmt *s[2] = {NULL, NULL};
    atlas_feature_list cur[2];
    int have[2] = {0, 0};
    atlas_status rc = ATLAS_OK;

    atlas_feature_list_init(&cur[0]);
    atlas_feature_list_init(&cur[1]);
    for (int l = 0; l < 2; l++) {
        if (sql[l] == NULL)
            continue;
        if (sqlite3_prepare_v2(db, sql[l], -1, &s[l], NULL) != SQLITE_OK) {
            atlas_error_set(err, ATLAS_E_IO, "%s: query failed: %s", path,
                            sqlite3_errmsg(db));
            goto done;
        }
    }
    for (int l = 0; l < 2; l++)
        if (s[l] != NULL &&
            (have[l] = next_row(db, path, s[l],
                                l ? ATLAS_LAYER_LINES : ATLAS_LAYER_SITES,
                                &cur[l], err)) < 0)
            goto done;
    /* lines wait until the sites are done, or (merging) until their id
     * comes */
    while (have[0] || have[1]) {
        int l = have[0] ? 0 : 1;
        if (merge && have[0] && have[1]) {
            const char *a = cur[0].items[0].f[ATLAS_F_ID].s;
            const char *b = cur[1].items[0].f[ATLAS_F_ID].s;
            l = strcmp(a ? a : "", b ? b : "") <= 0 ? 0 : 1;
        }
        const atlas_feature *fe = &cur[l].items[0];
        if ((bbox == NULL || store_in_bbox(fe, bbox)) &&
            (rc = fn(ctx, fe, err)) != ATLAS_OK)
            break;
        if ((have[l] = next_row(db, path, s[l],
                                l ? ATLAS_LAYER_LINES : ATLAS_LAYER_SITES,
                                &cur[l], err)) < 0)
            break;
    }

done:
    sqlite3_finalize(s[0]);
    sqlite3_finalize(s[1]);
    atlas_feature_list_free(&cur[0]);
    atlas_feature_list_free(&cur[1]);
    return err->code ? err->code : rc;
}
