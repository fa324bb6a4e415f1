/* proj.h: map projections for atlas. Wraps PROJ: one transform from WGS84
 * longitude/latitude (OGC:CRS84, longitude first) to a map CRS, named
 * extent presets, and the true scale at a point. Knows nothing of drawing.
 * Longitudes beyond 180 (Chukotka unwrapped to 170..191) are accepted. */
#ifndef ATLAS_PROJ_H
#define ATLAS_PROJ_H

#include <stddef.h>

#include "error.h"

typedef struct atlas_proj atlas_proj; /* PROJ stays inside proj.c */

/* The CRS definition of the default map of the whole USSR. */
#define ATLAS_PROJ_DEFAULT                                                     \
    "+proj=aea +lat_1=52 +lat_2=68 +lon_0=100 +datum=WGS84 +units=m"

/* A named extent: its projection and the lon/lat box it shows. */
typedef struct atlas_extent {
    const char *name;      /* "ussr", "west", "north", "kolyma" */
    const char *proj;      /* PROJ string */
    double bbox[4];        /* west, south, east, north in degrees (east may
                            * exceed 180) */
    const double *outline; /* lon/lat pairs the map must show, or NULL:
                            * the bbox (a conic fan's corners waste room) */
    size_t n_outline;
    const char *about; /* for --help */
} atlas_extent;

/* The preset called NAME, or NULL. */
const atlas_extent *atlas_proj_extent(const char *name);
/* Preset I (0, 1, ...), or NULL past the last. */
const atlas_extent *atlas_proj_extent_at(size_t i);

/* An inset preset: a dense cluster drawn at a larger scale in a framed
 * box on a smaller-scale map ("moscow", "leningrad", "lviv", "kuzbass"). */
typedef struct atlas_inset_preset {
    const char *name;
    double bbox[4]; /* west, south, east, north in degrees */
    const char *about;
} atlas_inset_preset;

/* The inset preset called NAME, or NULL. */
const atlas_inset_preset *atlas_proj_inset(const char *name);
/* Inset preset I (0, 1, ...), or NULL past the last. */
const atlas_inset_preset *atlas_proj_inset_at(size_t i);

/* Opens a transform from lon/lat to DEF: "EPSG:N", any CRS PROJ names, or
 * a PROJ string ("+proj=..."). Returns a transform the caller frees with
 * atlas_proj_free(); on failure NULL with ERR saying why ("--proj" is
 * the subject of the message). */
atlas_proj *atlas_proj_new(const char *def, atlas_error *err);
void atlas_proj_free(atlas_proj *p);

/* Projects N lon/lat pairs in XY (interleaved) in place to map metres
 * (or degrees for a geographic CRS). A point that does not project
 * becomes NAN, NAN. */
void atlas_proj_fwd(atlas_proj *p, double *xy, size_t n);
/* The inverse: N map pairs in XY back to lon/lat; failures are NAN. */
void atlas_proj_inv(atlas_proj *p, double *xy, size_t n);

/* The lon/lat box BBOX (east may exceed 180), densified along its edges
 * and projected: its projected bounding box in OUT (x0, y0, x1, y1).
 * Returns 0, or -1 when no edge point projects. */
int atlas_proj_bbox(atlas_proj *p, const double bbox[4], double out[4]);

/* The projected bounding box of N lon/lat pairs PTS in OUT; 0, or -1
 * when none projects. */
int atlas_proj_points_bbox(atlas_proj *p, const double *pts, size_t n,
                           double out[4]);

/* Metres on the ground per map unit along the map's x axis at map point
 * (X, Y), measured on the ellipsoid between X - D and X + D (D small
 * against the map: a hundredth of its width); NAN when it cannot be
 * computed. */
double atlas_proj_ground_per_unit(atlas_proj *p, double x, double y, double d);

/* A PROJ string for an equal-area conic fitted to BBOX (for --bbox
 * without --proj), written to BUF of SIZE bytes. */
void atlas_proj_fit_conic(const double bbox[4], char *buf, size_t size);

#endif /* ATLAS_PROJ_H */
