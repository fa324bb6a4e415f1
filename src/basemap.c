/* basemap.c: reads the basemap GeoJSON files with OGR into flat point
 * arrays, one per layer, keeping the last read for the process. Does not
 * project or draw. */
#include "basemap.h"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

const char *const atlas_basemap_layers[ATLAS_BASEMAP_N] = {
    "land", "lakes", "rivers", "coast", "borders"};

struct atlas_basemap {
    atlas_geomset layers[ATLAS_BASEMAP_N];
};

typedef struct grow {
    atlas_geomset *g;
    size_t cap_pts, cap_parts;
} grow;

static int
add_part(grow *gr, OGRGeometryH ring)
{
    atlas_geomset *g = gr->g;
    int n = OGR_G_GetPointCount(ring);
    if (n < 2)
        return 0;
    if (g->n_pts + (size_t)n > gr->cap_pts) {
        size_t cap = gr->cap_pts ? gr->cap_pts : 4096;
        while (cap < g->n_pts + (size_t)n)
            cap *= 2;
        double *xy = realloc(g->xy, cap * 2 * sizeof(double));
        if (xy == NULL)
            return -1;
        g->xy = xy;
        gr->cap_pts = cap;
    }
    if (g->n_parts + 2 > gr->cap_parts) {
        size_t cap = gr->cap_parts ? 2 * gr->cap_parts : 256;
        size_t *parts = realloc(g->parts, cap * sizeof(size_t));
        if (parts == NULL)
            return -1;
        g->parts = parts;
        gr->cap_parts = cap;
    }
    g->parts[g->n_parts++] = g->n_pts;
    OGR_G_GetPoints(ring, g->xy + 2 * g->n_pts, 2 * sizeof(double),
                    g->xy + 2 * g->n_pts + 1, 2 * sizeof(double), NULL, 0);
    g->n_pts += (size_t)n;
    g->parts[g->n_parts] = g->n_pts;
    return 0;
}

/* Adds every line or ring of GEOM; -1 when out of memory. */
static int
add_geom(grow *gr, OGRGeometryH geom)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(geom));
    switch (t) {
    case wkbLineString:
    case wkbLinearRing:
        return add_part(gr, geom);
    case wkbPolygon:
        gr->g->is_polygon = 1;
        for (int i = 0; i < OGR_G_GetGeometryCount(geom); i++)
            if (add_geom(gr, OGR_G_GetGeometryRef(geom, i)) != 0)
                return -1;
        return 0;
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (int i = 0; i < OGR_G_GetGeometryCount(geom); i++)
            if (add_geom(gr, OGR_G_GetGeometryRef(geom, i)) != 0)
                return -1;
        return 0;
    default:
        return 0;
    }
}

static atlas_status
read_layer(const char *path, atlas_geomset *g, atlas_error *err)
{
    struct stat sb;
    GDALDatasetH ds;
    grow gr = {g, 0, 0};
    int rc = 0;

    if (stat(path, &sb) != 0)
        return ATLAS_OK; /* an absent layer is an empty one */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    CPLPopErrorHandler();
    if (ds == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot read: %s", path,
                               CPLGetLastErrorMsg());
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f;
    if (layer != NULL) {
        OGR_L_ResetReading(layer);
        while (rc == 0 && (f = OGR_L_GetNextFeature(layer)) != NULL) {
            OGRGeometryH geom = OGR_F_GetGeometryRef(f);
            if (geom != NULL)
                rc = add_geom(&gr, geom);
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
    if (rc != 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "%s: out of memory", path);
    return ATLAS_OK;
}

/* ---- the cache ---------------------------------------------------------
 * A series or a handout draws the basemap on every page: the last one
 * read is kept for the process (parsing its GeoJSON cost a fifth of a
 * 24-page series) and every open still gets its own copy, so ownership
 * is as before. The files' size, time and inode tell when to read again. */

typedef struct file_key {
    int present;
    off_t size;
    time_t mtime;
    long mtime_ns;
    ino_t ino;
} file_key;

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static char cache_dir[4096];
static file_key cache_key[ATLAS_BASEMAP_N];
static atlas_basemap *cache_bm; /* owned by the cache, never handed out */

static void
key_of(const char *dir, file_key key[ATLAS_BASEMAP_N])
{
    char path[4096];
    struct stat sb;
    memset(key, 0, ATLAS_BASEMAP_N * sizeof *key);
    for (int i = 0; i < ATLAS_BASEMAP_N; i++) {
        snprintf(path, sizeof path, "%s/%s.geojson", dir,
                 atlas_basemap_layers[i]);
        if (stat(path, &sb) != 0)
            continue;
        key[i].present = 1;
        key[i].size = sb.st_size;
        key[i].mtime = sb.st_mtim.tv_sec;
        key[i].mtime_ns = sb.st_mtim.tv_nsec;
        key[i].ino = sb.st_ino;
    }
}

/* A deep copy of SRC, or NULL when out of memory. */
static atlas_basemap *
copy_basemap(const atlas_basemap *src)
{
    atlas_basemap *bm = calloc(1, sizeof *bm);
    if (bm == NULL)
        return NULL;
    for (int i = 0; i < ATLAS_BASEMAP_N; i++) {
        const atlas_geomset *s = &src->layers[i];
        atlas_geomset *d = &bm->layers[i];
        *d = *s;
        d->xy = NULL;
        d->parts = NULL;
        if (s->xy != NULL &&
            (d->xy = calloc(2 * s->n_pts, sizeof(double))) == NULL)
            goto fail;
        if (s->parts != NULL &&
            (d->parts = calloc(s->n_parts + 1, sizeof(size_t))) == NULL)
            goto fail;
        if (s->xy != NULL)
            memcpy(d->xy, s->xy, 2 * s->n_pts * sizeof(double));
        if (s->parts != NULL)
            memcpy(d->parts, s->parts, (s->n_parts + 1) * sizeof(size_t));
    }
    return bm;
fail:
    atlas_basemap_free(bm);
    return NULL;
}

atlas_basemap *
atlas_basemap_open(const char *dir, atlas_error *err)
{
    struct stat sb;
    atlas_basemap *bm;
    char path[4096];
    file_key key[ATLAS_BASEMAP_N];

    if (dir == NULL) {
        dir = ATLAS_BASEMAP_DIR;
#ifdef ATLAS_SOURCE_DIR
        if (stat(dir, &sb) != 0)
            dir = ATLAS_SOURCE_DIR "/" ATLAS_BASEMAP_DIR;
#endif
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        atlas_error_set(err, ATLAS_E_IO,
                        "%s: no basemap folder (scripts/basemap makes it)",
                        dir);
        return NULL;
    }
    key_of(dir, key);
    pthread_mutex_lock(&cache_mu);
    if (cache_bm != NULL && strcmp(cache_dir, dir) == 0 &&
        memcmp(cache_key, key, sizeof key) == 0) {
        bm = copy_basemap(cache_bm);
        pthread_mutex_unlock(&cache_mu);
        if (bm == NULL)
            atlas_error_set(err, ATLAS_E_NOMEM, "basemap: out of memory");
        return bm;
    }
    pthread_mutex_unlock(&cache_mu);
    bm = calloc(1, sizeof *bm);
    if (bm == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "basemap: out of memory");
        return NULL;
    }
    GDALAllRegister();
    for (int i = 0; i < ATLAS_BASEMAP_N; i++) {
        snprintf(path, sizeof path, "%s/%s.geojson", dir,
                 atlas_basemap_layers[i]);
        if (read_layer(path, &bm->layers[i], err) != ATLAS_OK) {
            atlas_basemap_free(bm);
            return NULL;
        }
    }
    /* keep a copy; without the memory for it, only the cache is lost */
    atlas_basemap *keep =
        strlen(dir) < sizeof cache_dir ? copy_basemap(bm) : NULL;
    if (keep != NULL) {
        pthread_mutex_lock(&cache_mu);
        atlas_basemap_free(cache_bm);
        cache_bm = keep;
        memcpy(cache_key, key, sizeof key);
        snprintf(cache_dir, sizeof cache_dir, "%s", dir);
        pthread_mutex_unlock(&cache_mu);
    }
    return bm;
}

void
atlas_basemap_free(atlas_basemap *bm)
{
    if (bm == NULL)
        return;
    for (int i = 0; i < ATLAS_BASEMAP_N; i++) {
        free(bm->layers[i].xy);
        free(bm->layers[i].parts);
    }
    free(bm);
}

const atlas_geomset *
atlas_basemap_layer(const atlas_basemap *bm, const char *name)
{
    for (int i = 0; i < ATLAS_BASEMAP_N; i++)
        if (strcmp(name, atlas_basemap_layers[i]) == 0)
            return &bm->layers[i];
    return NULL;
}
