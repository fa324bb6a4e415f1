/* render_cairo.h: drawing a map into a caller's cairo context, for the
 * page makers (handouts, series) that put maps on their own pages. Only
 * callers that draw include this: it brings cairo in. */
#ifndef ATLAS_RENDER_CAIRO_H
#define ATLAS_RENDER_CAIRO_H

#include <cairo.h>

#include "render.h"

/* Draws the map of FEATURES with STYLE into the rectangle X, Y, W, H of
 * CR's user space, whose unit is taken as one CSS pixel (1/96 inch: on a
 * PDF surface in points, cairo_scale(cr, 0.75, 0.75) first). The title,
 * legend and other furniture follow O and fit inside the rectangle. CR's
 * state is saved and restored. Returns ATLAS_OK, or fills ERR (a cairo
 * error in CR is reported, not cleared). */
atlas_status atlas_render_to_cairo(cairo_t *cr, double x, double y, double w,
                                   double h, const atlas_feature_list *features,
                                   const atlas_style *style,
                                   const atlas_render_opts *o,
                                   atlas_error *err);

#endif /* ATLAS_RENDER_CAIRO_H */
