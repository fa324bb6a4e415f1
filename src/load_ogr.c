/* load_ogr.c: reads GeoJSON and GeoPackage files through GDAL/OGR, every
 * layer of them, and hands each feature to load.c. */
#include "load_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

const char *
load_geom_name(void *g)
{
    switch (wkbFlatten(OGR_G_GetGeometryType((OGRGeometryH)g))) {
    case wkbPoint:
        return "Point";
    case wkbLineString:
        return "LineString";
    case wkbPolygon:
        return "Polygon";
    case wkbMultiPoint:
        return "MultiPoint";
    case wkbMultiLineString:
        return "MultiLineString";
    case wkbMultiPolygon:
        return "MultiPolygon";
    case wkbGeometryCollection:
        return "GeometryCollection";
    default:
        return OGRGeometryTypeToName(
            wkbFlatten(OGR_G_GetGeometryType((OGRGeometryH)g)));
    }
}

static atlas_status
feature_geom(OGRGeometryH g, const char *where, double **xy, size_t *n_pts,
             size_t **parts, size_t *n_parts, int *is_line, atlas_error *err)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int np;

    if (t == wkbPoint) {
        *xy = calloc(2, sizeof **xy);
        *parts = calloc(1, sizeof **parts);
        if (*xy == NULL || *parts == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        if (OGR_G_IsEmpty(g))
            return atlas_error_set(err, ATLAS_E_INPUT, "%s: empty geometry",
                                   where);
        (*xy)[0] = OGR_G_GetX(g, 0);
        (*xy)[1] = OGR_G_GetY(g, 0);
        *n_pts = 1;
        *n_parts = 1;
        *is_line = 0;
        return ATLAS_OK;
    }
    if (t != wkbLineString && t != wkbMultiLineString)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %s geometry: expected Point, LineString "
                               "or MultiLineString",
                               where, load_geom_name(g));
    np = t == wkbLineString ? 1 : OGR_G_GetGeometryCount(g);
    if (np == 0)
        return atlas_error_set(err, ATLAS_E_INPUT, "%s: empty geometry", where);
    size_t total = 0, k = 0;
    for (int p = 0; p < np; p++)
        total += (size_t)OGR_G_GetPointCount(
            t == wkbLineString ? g : OGR_G_GetGeometryRef(g, p));
    *xy = calloc(total ? 2 * total : 2, sizeof **xy);
    *parts = calloc((size_t)np, sizeof **parts);
    if (*xy == NULL || *parts == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    for (int p = 0; p < np; p++) {
        OGRGeometryH ls = t == wkbLineString ? g : OGR_G_GetGeometryRef(g, p);
        (*parts)[p] = k;
        for (int i = 0; i < OGR_G_GetPointCount(ls); i++, k++) {
            (*xy)[2 * k] = OGR_G_GetX(ls, i);
            (*xy)[2 * k + 1] = OGR_G_GetY(ls, i);
        }
    }
    *n_pts = total;
    *n_parts = (size_t)np;
    *is_line = 1;
    return ATLAS_OK;
}

/* 1 when LYR holds polygons: by its type, or by its first feature when
 * the type is mixed (GeoJSON with Polygon and MultiPolygon). */
static int
has_polygons(OGRLayerH lyr)
{
    OGRwkbGeometryType gt = wkbFlatten(OGR_L_GetGeomType(lyr));
    if (gt == wkbUnknown) {
        OGR_L_ResetReading(lyr);
        OGRFeatureH f = OGR_L_GetNextFeature(lyr);
        OGRGeometryH g = f != NULL ? OGR_F_GetGeometryRef(f) : NULL;
        if (g != NULL)
            gt = wkbFlatten(OGR_G_GetGeometryType(g));
        if (f != NULL)
            OGR_F_Destroy(f);
        OGR_L_ResetReading(lyr);
    }
    return gt == wkbPolygon || gt == wkbMultiPolygon;
}

static atlas_status
load_layer(load_ctx *ctx, OGRLayerH lyr, int n_layers, atlas_error *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int n = OGR_FD_GetFieldCount(defn);
    int has_geom =
        OGR_FD_GetGeomFieldCount(defn) > 0 && OGR_L_GetGeomType(lyr) != wkbNone;
    const char **names = calloc(n ? (size_t)n : 1, sizeof *names);
    const char **vals = calloc(n ? (size_t)n : 1, sizeof *vals);
    char where[600];
    OGRFeatureH f;
    long index = 0;

    if (names == NULL || vals == NULL) {
        free(names);
        free(vals);
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        names[i] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    if (has_polygons(lyr))
        has_geom = 2; /* polygons: borders */
    if (load_map_columns(ctx, names, n, has_geom, err))
        goto cleanup;
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        double *xy = NULL;
        size_t *parts = NULL;
        load_geom geom = {0};
        index++;
        if (n_layers > 1)
            snprintf(where, sizeof where, "%s: layer %s: feature %ld",
                     ctx->file, OGR_L_GetName(lyr), index);
        else
            snprintf(where, sizeof where, "%s: feature %ld", ctx->file, index);
        /* OGR_F_GetFieldAsString() reuses one buffer for numbers: copy */
        for (int i = 0; i < n; i++) {
            free((char *)vals[i]);
            vals[i] = NULL;
            if (!OGR_F_IsFieldSetAndNotNull(f, i))
                continue;
            char date[16];
            const char *v = OGR_F_GetFieldAsString(f, i);
            int y, mo, d, hh, mi, tz;
            float sec;
            /* OGR reads "1939-09-17" as a Date and prints 1939/09/17 */
            if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i)) == OFTDate &&
                OGR_F_GetFieldAsDateTimeEx(f, i, &y, &mo, &d, &hh, &mi, &sec,
                                           &tz)) {
                snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
                v = date;
            }
            if ((vals[i] = strdup(v)) == NULL)
                atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        }
        if (ctx->target == LOAD_BORDERS) {
            geom.ogr = OGR_F_GetGeometryRef(f);
        } else if (ctx->target == LOAD_FEATURES) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (g == NULL)
                atlas_error_set(err, ATLAS_E_INPUT, "%s: no geometry", where);
            else
                feature_geom(g, where, &xy, &geom.n_pts, &parts, &geom.n_parts,
                             &geom.is_line, err);
            geom.xy = xy;
            geom.parts = parts;
        }
        if (err->code == ATLAS_OK)
            load_record(ctx, where, index, vals, n, &geom, err);
        free(xy);
        free(parts);
        OGR_F_Destroy(f);
        if (err->code)
            break;
    }
    if (err->code == ATLAS_OK && CPLGetLastErrorType() >= CE_Failure)
        atlas_error_set(err, ATLAS_E_INPUT, "%s: %s", ctx->file,
                        CPLGetLastErrorMsg());

cleanup:
    for (int i = 0; i < n; i++)
        free((char *)vals[i]);
    free(names);
    free(vals);
    return err->code;
}

atlas_status
load_ogr(load_ctx *ctx, atlas_error *err)
{
    static const char *const drivers[] = {"GeoJSON", "GPKG", NULL};
    GDALDatasetH ds;
    const char *ext = strrchr(ctx->file, '.');
    int is_gpkg = ext != NULL && strcmp(ext, ".gpkg") == 0;

    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    ds = GDALOpenEx(ctx->file, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL,
                    NULL);
    if (ds == NULL) {
        FILE *fp = fopen(ctx->file, "rb");
        if (fp == NULL) {
            atlas_error_set(err, ATLAS_E_IO, "%s: cannot open", ctx->file);
        } else {
            int c = getc(fp);
            fclose(fp);
            if (c == EOF)
                atlas_error_set(err, ATLAS_E_INPUT, "%s: empty file",
                                ctx->file);
            else
                atlas_error_set(err, ATLAS_E_INPUT, "%s: not valid %s",
                                ctx->file, is_gpkg ? "GeoPackage" : "GeoJSON");
        }
        CPLPopErrorHandler();
        return err->code;
    }
    int n_layers = GDALDatasetGetLayerCount(ds);
    for (int l = 0; l < n_layers && err->code == ATLAS_OK; l++) {
        OGRLayerH lyr = GDALDatasetGetLayer(ds, l);
        if (is_gpkg && OGR_L_GetGeomType(lyr) == wkbNone &&
            OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(lyr)) == 0)
            continue;
        load_layer(ctx, lyr, n_layers, err);
    }
    GDALClose(ds);
    CPLPopErrorHandler();
    return err->code;
}

int
load_ogr_is_borders(const char *path)
{
    static const char *const drivers[] = {"GeoJSON", "GPKG", NULL};
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    int yes = 0;
    if (ds != NULL && GDALDatasetGetLayerCount(ds) > 0)
        yes = has_polygons(GDALDatasetGetLayer(ds, 0));
    if (ds != NULL)
        GDALClose(ds);
    CPLPopErrorHandler();
    return yes;
}
