/* proj.c: the PROJ wrapper of proj.h. Every transform runs from
 * OGC:CRS84 (longitude first) and is normalised for visualisation, so an
 * EPSG code with latitude-first axes still takes and gives x = east. */
#include "proj.h"

#include <geodesic.h>
#include <math.h>
/* PROJ's own proj.h: src/ is on the quote path only (-iquote), so this
 * is not our proj.h. */
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct atlas_proj {
    PJ_CONTEXT *ctx;
    PJ *pj;
    struct geod_geodesic geod; /* WGS84, for true distances */
};

/* The USSR's outer points: Kaliningrad, the Kola peninsula, Novaya
 * Zemlya, Cape Chelyuskin, Cape Dezhnev (east of 180), Kamchatka,
 * Vladivostok, Kushka, Crimea, the Carpathians. */
static const double ussr_outline[] = {
    19.6,  54.4, 33.0,  69.8, 69.0, 77.0, 104.3, 77.8, 190.3, 66.1,
    156.7, 50.8, 131.0, 42.3, 62.3, 35.1, 33.5,  44.3, 22.2,  48.2};

static const atlas_extent extents[] = {
    {"ussr",
     ATLAS_PROJ_DEFAULT,
     {19, 35, 191, 78},
     ussr_outline,
     sizeof ussr_outline / sizeof ussr_outline[0] / 2,
     "the whole USSR (Albers equal-area, 52/68N, 100E)"},
    {"west",
     "+proj=aea +lat_1=49 +lat_2=58 +lon_0=28 +datum=WGS84 +units=m",
     {19.5, 47.5, 37, 59.8},
     NULL,
     0,
     "western borderlands: Baltics, Belarus, Ukraine, Katyn"},
    {"north",
     "+proj=aea +lat_1=63 +lat_2=69 +lon_0=60 +datum=WGS84 +units=m",
     {31, 61.5, 90, 70.5},
     NULL,
     0,
     "European north and the Urals: Solovki, Vorkuta, Trans-Polar line"},
    {"kolyma",
     "+proj=aea +lat_1=59 +lat_2=66 +lon_0=150 +datum=WGS84 +units=m",
     {140, 57.3, 162, 66.5},
     NULL,
     0,
     "Kolyma and Magadan"},
};

/* Dense clusters that a map of a whole extent cannot label: drawn in an
 * inset at a larger scale (render_inset.c). */
static const atlas_inset_preset insets[] = {
    {"moscow", {36.6, 55.2, 38.6, 56.6}, "Moscow and its oblast"},
    {"leningrad", {29.4, 59.5, 31.2, 60.4}, "Leningrad and Levashovo"},
    {"lviv", {23.3, 49.5, 24.7, 50.2}, "Lviv and its prisons"},
    {"kuzbass", {84.6, 53.4, 88.4, 56.2}, "the Kuzbass and Siblag"},
};

const atlas_inset_preset *
atlas_proj_inset_at(size_t i)
{
    return i < sizeof insets / sizeof insets[0] ? &insets[i] : NULL;
}

const atlas_inset_preset *
atlas_proj_inset(const char *name)
{
    for (size_t i = 0; i < sizeof insets / sizeof insets[0]; i++)
        if (strcmp(insets[i].name, name) == 0)
            return &insets[i];
    return NULL;
}

const atlas_extent *
atlas_proj_extent_at(size_t i)
{
    return i < sizeof extents / sizeof extents[0] ? &extents[i] : NULL;
}

const atlas_extent *
atlas_proj_extent(const char *name)
{
    for (size_t i = 0; i < sizeof extents / sizeof extents[0]; i++)
        if (strcmp(extents[i].name, name) == 0)
            return &extents[i];
    return NULL;
}

atlas_proj *
atlas_proj_new(const char *def, atlas_error *err)
{
    atlas_proj *p = NULL;
    PJ *raw = NULL;
    char *crs = NULL;

    if (def == NULL || def[0] == '\0') {
        atlas_error_set(err, ATLAS_E_INPUT, "--proj: empty definition");
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (p == NULL)
        goto nomem;
    p->ctx = proj_context_create();
    if (p->ctx == NULL)
        goto nomem;
    proj_log_level(p->ctx, PJ_LOG_NONE);
    /* A PROJ string names an operation unless it says it is a CRS. */
    if ((def[0] == '+' || strncmp(def, "proj=", 5) == 0) &&
        strstr(def, "type=crs") == NULL) {
        size_t len = strlen(def) + sizeof " +type=crs";
        crs = calloc(1, len);
        if (crs == NULL)
            goto nomem;
        snprintf(crs, len, "%s +type=crs", def);
    }
    raw = proj_create_crs_to_crs(p->ctx, "OGC:CRS84", crs ? crs : def, NULL);
    if (raw == NULL) {
        int e = proj_context_errno(p->ctx);
        atlas_error_set(err, ATLAS_E_INPUT,
                        "--proj: \"%.80s\": not a CRS PROJ knows (%s)", def,
                        e ? proj_context_errno_string(p->ctx, e)
                          : "unknown definition");
        goto fail;
    }
    p->pj = proj_normalize_for_visualization(p->ctx, raw);
    proj_destroy(raw);
    if (p->pj == NULL) {
        atlas_error_set(err, ATLAS_E_INPUT,
                        "--proj: \"%.80s\": cannot be normalised", def);
        goto fail;
    }
    geod_init(&p->geod, 6378137.0, 1 / 298.257223563);
    free(crs);
    return p;

nomem:
    atlas_error_set(err, ATLAS_E_NOMEM, "projection: out of memory");
fail:
    free(crs);
    atlas_proj_free(p);
    return NULL;
}

void
atlas_proj_free(atlas_proj *p)
{
    if (p == NULL)
        return;
    if (p->pj != NULL)
        proj_destroy(p->pj);
    if (p->ctx != NULL)
        proj_context_destroy(p->ctx);
    free(p);
}

static void
trans(atlas_proj *p, PJ_DIRECTION dir, double *xy, size_t n)
{
    if (n == 0)
        return;
    proj_trans_generic(p->pj, dir, xy, 2 * sizeof(double), n, xy + 1,
                       2 * sizeof(double), n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]) ||
            fabs(xy[2 * i]) > 1e20)
            xy[2 * i] = xy[2 * i + 1] = NAN;
}

void
atlas_proj_fwd(atlas_proj *p, double *xy, size_t n)
{
    trans(p, PJ_FWD, xy, n);
}

void
atlas_proj_inv(atlas_proj *p, double *xy, size_t n)
{
    trans(p, PJ_INV, xy, n);
}

int
atlas_proj_bbox(atlas_proj *p, const double bbox[4], double out[4])
{
    enum { STEPS = 64 };
    double pts[4 * STEPS * 2];
    size_t k = 0;
    int any = 0;

    for (int i = 0; i < STEPS; i++) {
        double t = (double)i / STEPS;
        double lon = bbox[0] + t * (bbox[2] - bbox[0]);
        double lat = bbox[1] + t * (bbox[3] - bbox[1]);
        pts[k++] = lon, pts[k++] = bbox[1];
        pts[k++] = bbox[2], pts[k++] = lat;
        pts[k++] = bbox[2] - t * (bbox[2] - bbox[0]), pts[k++] = bbox[3];
        pts[k++] = bbox[0], pts[k++] = bbox[3] - t * (bbox[3] - bbox[1]);
    }
    atlas_proj_fwd(p, pts, k / 2);
    out[0] = out[1] = INFINITY;
    out[2] = out[3] = -INFINITY;
    for (size_t i = 0; i < k; i += 2) {
        if (isnan(pts[i]))
            continue;
        any = 1;
        out[0] = fmin(out[0], pts[i]);
        out[1] = fmin(out[1], pts[i + 1]);
        out[2] = fmax(out[2], pts[i]);
        out[3] = fmax(out[3], pts[i + 1]);
    }
    return any && out[2] > out[0] && out[3] > out[1] ? 0 : -1;
}

int
atlas_proj_points_bbox(atlas_proj *p, const double *pts, size_t n,
                       double out[4])
{
    double *xy = calloc(2 * n + 2, sizeof(double));
    int any = 0;
    if (xy == NULL)
        return -1;
    memcpy(xy, pts, 2 * n * sizeof(double));
    atlas_proj_fwd(p, xy, n);
    out[0] = out[1] = INFINITY;
    out[2] = out[3] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (isnan(xy[2 * i]))
            continue;
        any = 1;
        out[0] = fmin(out[0], xy[2 * i]);
        out[1] = fmin(out[1], xy[2 * i + 1]);
        out[2] = fmax(out[2], xy[2 * i]);
        out[3] = fmax(out[3], xy[2 * i + 1]);
    }
    free(xy);
    return any && out[2] > out[0] && out[3] > out[1] ? 0 : -1;
}

double
atlas_proj_ground_per_unit(atlas_proj *p, double x, double y, double d)
{
    /* Two points a small map distance apart either side of (X, Y), back
     * to lon/lat, and their distance on the ellipsoid. */
    double probe[4];
    double s12 = NAN;

    for (int tries = 0; tries < 3; tries++) {
        if (tries > 0)
            d /= 100;
        probe[0] = x - d, probe[1] = y;
        probe[2] = x + d, probe[3] = y;
        atlas_proj_inv(p, probe, 2);
        if (!isnan(probe[0]) && !isnan(probe[2]))
            break;
    }
    if (isnan(probe[0]) || isnan(probe[2]))
        return NAN;
    geod_inverse(&p->geod, probe[1], probe[0], probe[3], probe[2], &s12, NULL,
                 NULL);
    return s12 / (2 * d);
}

void
atlas_proj_fit_conic(const double bbox[4], char *buf, size_t size)
{
    double h = bbox[3] - bbox[1];
    snprintf(buf, size,
             "+proj=aea +lat_1=%.4g +lat_2=%.4g +lon_0=%.4g +datum=WGS84 "
             "+units=m",
             bbox[1] + h / 6, bbox[3] - h / 6, (bbox[0] + bbox[2]) / 2);
}
