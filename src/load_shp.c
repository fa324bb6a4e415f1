/* load_shp.c: reads Shapefiles (points and polylines) with libshp and
 * hands each shape with its DBF record to load.c. DBF names are at most
 * 10 characters: atlas's short names (feature.c) map back to fields. */
#include "load_private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shapefil.h>

/* PATH with its extension replaced by EXT; the caller frees it. */
static char *
with_ext(const char *path, const char *ext)
{
    const char *dot = strrchr(path, '.');
    size_t base = dot ? (size_t)(dot - path) : strlen(path);
    char *p = malloc(base + strlen(ext) + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, path, base);
    strcpy(p + base, ext);
    return p;
}

atlas_status
load_shp(load_ctx *ctx, atlas_error *err)
{
    SHPHandle shp = NULL;
    DBFHandle dbf = NULL;
    char *dbf_path = with_ext(ctx->file, ".dbf");
    char **names = NULL, **vals = NULL;
    int n_fields = 0, n_ents = 0, type = 0;
    char where[600];

    if (dbf_path == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    if (access(dbf_path, R_OK) != 0) {
        const char *base = strrchr(dbf_path, '/');
        atlas_error_set(err, ATLAS_E_INPUT, "%s: missing %s", ctx->file,
                        base ? base + 1 : dbf_path);
        goto cleanup;
    }
    shp = SHPOpen(ctx->file, "rb");
    if (shp == NULL) {
        atlas_error_set(err, ATLAS_E_INPUT, "%s: not a readable Shapefile",
                        ctx->file);
        goto cleanup;
    }
    dbf = DBFOpen(dbf_path, "rb");
    if (dbf == NULL) {
        atlas_error_set(err, ATLAS_E_INPUT, "%s: not a readable DBF file",
                        dbf_path);
        goto cleanup;
    }
    SHPGetInfo(shp, &n_ents, &type, NULL, NULL);
    if (type != SHPT_POINT && type != SHPT_ARC && type != SHPT_POINTZ &&
        type != SHPT_ARCZ && type != SHPT_POINTM && type != SHPT_ARCM) {
        atlas_error_set(err, ATLAS_E_INPUT,
                        "%s: %s shapes: expected points or polylines",
                        ctx->file, SHPTypeName(type));
        goto cleanup;
    }
    if (DBFGetRecordCount(dbf) != n_ents) {
        atlas_error_set(err, ATLAS_E_INPUT, "%s: %d shapes but %d DBF records",
                        ctx->file, n_ents, DBFGetRecordCount(dbf));
        goto cleanup;
    }
    n_fields = DBFGetFieldCount(dbf);
    names = calloc(n_fields ? (size_t)n_fields : 1, sizeof *names);
    vals = calloc(n_fields ? (size_t)n_fields : 1, sizeof *vals);
    if (names == NULL || vals == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < n_fields; i++) {
        char name[XBASE_FLDNAME_LEN_READ + 1];
        DBFGetFieldInfo(dbf, i, name, NULL, NULL);
        names[i] = strdup(name);
        if (names[i] == NULL) {
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (load_map_columns(ctx, (const char *const *)names, n_fields, 1, err))
        goto cleanup;
    for (int e = 0; e < n_ents && err->code == ATLAS_OK; e++) {
        SHPObject *obj = SHPReadObject(shp, e);
        double *xy = NULL;
        size_t *parts = NULL;
        load_geom geom = {0};

        snprintf(where, sizeof where, "%s: feature %d", ctx->file, e + 1);
        for (int i = 0; i < n_fields; i++) {
            free(vals[i]);
            vals[i] = NULL;
            /* the DBF buffer lives until the next DBF call: copy it */
            if (!DBFIsAttributeNULL(dbf, e, i)) {
                vals[i] = strdup(DBFReadStringAttribute(dbf, e, i));
                if (vals[i] == NULL)
                    atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
            }
        }
        if (obj == NULL || obj->nSHPType == SHPT_NULL || obj->nVertices == 0) {
            atlas_error_set(err, ATLAS_E_INPUT, "%s: no geometry", where);
        } else if (err->code == ATLAS_OK) {
            size_t n = (size_t)obj->nVertices;
            size_t np = obj->nParts > 0 ? (size_t)obj->nParts : 1;
            xy = calloc(2 * n, sizeof *xy);
            parts = calloc(np, sizeof *parts);
            if (xy == NULL || parts == NULL) {
                atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
            } else {
                for (size_t i = 0; i < n; i++) {
                    xy[2 * i] = obj->padfX[i];
                    xy[2 * i + 1] = obj->padfY[i];
                }
                for (size_t p = 0; p < np; p++)
                    parts[p] =
                        obj->nParts > 0 ? (size_t)obj->panPartStart[p] : 0;
                geom.xy = xy;
                geom.n_pts = n;
                geom.parts = parts;
                geom.n_parts = np;
                geom.is_line = type != SHPT_POINT && type != SHPT_POINTZ &&
                               type != SHPT_POINTM;
                load_record(ctx, where, e + 1, (const char *const *)vals,
                            n_fields, &geom, err);
            }
        }
        free(xy);
        free(parts);
        SHPDestroyObject(obj);
    }

cleanup:
    if (vals != NULL)
        for (int i = 0; i < n_fields; i++)
            free(vals[i]);
    if (names != NULL)
        for (int i = 0; i < n_fields; i++)
            free(names[i]);
    free(vals);
    free(names);
    if (dbf != NULL)
        DBFClose(dbf);
    if (shp != NULL)
        SHPClose(shp);
    free(dbf_path);
    return err->code;
}
