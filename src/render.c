/* render.c: one map from features and a style: projection and extent,
 * the basemap and the style's layers, then labels and furniture, onto a
 * PNG, SVG or PDF surface written atomically. Labels live in
 * render_label.c, legend, graticule, scale bar and titles in
 * render_furniture.c. Does not query the store or parse styles. */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "outfile.h"
#include "page.h"
#include "pngout.h"
#include "render_cairo.h"
#include "render_private.h"

#define DENSIFY_DEG 0.5 /* longest edge projected straight, degrees */

void
atlas_render_opts_init(atlas_render_opts *o)
{
    memset(o, 0, sizeof *o);
    o->lang = "en";
}

atlas_format
atlas_render_format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot == NULL)
        return ATLAS_FMT_NONE;
    if (strcasecmp(dot, ".png") == 0)
        return ATLAS_FMT_PNG;
    if (strcasecmp(dot, ".svg") == 0)
        return ATLAS_FMT_SVG;
    if (strcasecmp(dot, ".pdf") == 0)
        return ATLAS_FMT_PDF;
    return ATLAS_FMT_NONE;
}

int
render_getter(const void *obj, const char *name, atlas_value *out)
{
    const rfeat *rf = obj;
    if (rf->override && strcmp(name, "prisoners") == 0) {
        out->type = ATLAS_V_NUMBER;
        out->num = rf->prisoners;
        out->str = NULL;
        out->b = 0;
        return 1;
    }
    return atlas_feature_get(rf->fe, name, rf->lang, out);
}

void
render_set_color(cairo_t *cr, const atlas_color *c, double opacity)
{
    cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a * opacity);
}

/* ---- style values, constant ones evaluated once per layer ---- */

typedef struct pnum {
    int konst;
    double v;
} pnum;

typedef struct pcol {
    int konst;
    atlas_color c;
} pcol;

static void
pnum_init(pnum *p, const atlas_style_layer *l, atlas_prop prop,
          const atlas_eval_ctx *ctx0)
{
    p->konst = atlas_style_is_constant(l, prop);
    p->v = 0;
    if (p->konst)
        atlas_style_number(l, prop, ctx0, &p->v);
}

static double
pnum_get(const pnum *p, const atlas_style_layer *l, atlas_prop prop,
         const atlas_eval_ctx *ctx)
{
    double v = p->v;
    if (!p->konst)
        atlas_style_number(l, prop, ctx, &v);
    return v;
}

static void
pcol_init(pcol *p, const atlas_style_layer *l, atlas_prop prop,
          const atlas_eval_ctx *ctx0)
{
    p->konst = atlas_style_is_constant(l, prop);
    p->c = (atlas_color){0, 0, 0, 1};
    if (p->konst)
        atlas_style_color(l, prop, ctx0, &p->c);
}

static atlas_color
pcol_get(const pcol *p, const atlas_style_layer *l, atlas_prop prop,
         const atlas_eval_ctx *ctx)
{
    atlas_color c = p->c;
    if (!p->konst)
        atlas_style_color(l, prop, ctx, &c);
    return c;
}

/* Circle paint of a layer: what is constant is read once. */
typedef struct cpaint {
    pnum r, op, sw, sop;
    pcol c, sc;
} cpaint;

static void
cpaint_init(cpaint *p, const atlas_style_layer *l, const atlas_eval_ctx *c0)
{
    pnum_init(&p->r, l, ATLAS_P_CIRCLE_RADIUS, c0);
    pnum_init(&p->op, l, ATLAS_P_CIRCLE_OPACITY, c0);
    pnum_init(&p->sw, l, ATLAS_P_CIRCLE_STROKE_WIDTH, c0);
    pnum_init(&p->sop, l, ATLAS_P_CIRCLE_STROKE_OPACITY, c0);
    pcol_init(&p->c, l, ATLAS_P_CIRCLE_COLOR, c0);
    pcol_init(&p->sc, l, ATLAS_P_CIRCLE_STROKE_COLOR, c0);
}

static void
circle_paint(rmap *m, const atlas_style_layer *l, const cpaint *p,
             const atlas_eval_ctx *ctx, double x, double y, double *r_out)
{
    cairo_t *cr = m->cr;
    double r = pnum_get(&p->r, l, ATLAS_P_CIRCLE_RADIUS, ctx);
    double op = pnum_get(&p->op, l, ATLAS_P_CIRCLE_OPACITY, ctx);
    double sw = pnum_get(&p->sw, l, ATLAS_P_CIRCLE_STROKE_WIDTH, ctx);
    double sop = pnum_get(&p->sop, l, ATLAS_P_CIRCLE_STROKE_OPACITY, ctx);
    atlas_color c = pcol_get(&p->c, l, ATLAS_P_CIRCLE_COLOR, ctx);

    if (!(r >= 0) || r > 500)
        r = r > 500 ? 500 : 0;
    cairo_new_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    render_set_color(cr, &c, op);
    if (sw > 0) {
        atlas_color sc = pcol_get(&p->sc, l, ATLAS_P_CIRCLE_STROKE_COLOR, ctx);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, sw);
        render_set_color(cr, &sc, sop);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
    if (r_out != NULL)
        *r_out = r + (sw > 0 ? sw / 2 : 0);
}

void
render_circle(rmap *m, const atlas_style_layer *l, const atlas_eval_ctx *ctx,
              double x, double y, double *r_out)
{
    cpaint p;
    cpaint_init(&p, l, ctx);
    circle_paint(m, l, &p, ctx, x, y, r_out);
}

/* Line paint of a layer. */
typedef struct lpaint {
    pnum w, op;
    pcol c;
    int dash_konst, style_konst;
} lpaint;

static void
lpaint_init(lpaint *p, const atlas_style_layer *l, const atlas_eval_ctx *c0)
{
    pnum_init(&p->w, l, ATLAS_P_LINE_WIDTH, c0);
    pnum_init(&p->op, l, ATLAS_P_LINE_OPACITY, c0);
    pcol_init(&p->c, l, ATLAS_P_LINE_COLOR, c0);
}

static void
line_paint(rmap *m, const atlas_style_layer *l, const lpaint *p,
           const atlas_eval_ctx *ctx)
{
    cairo_t *cr = m->cr;
    double w = pnum_get(&p->w, l, ATLAS_P_LINE_WIDTH, ctx);
    double op = pnum_get(&p->op, l, ATLAS_P_LINE_OPACITY, ctx);
    atlas_color c = pcol_get(&p->c, l, ATLAS_P_LINE_COLOR, ctx);
    double dash[8];
    char buf[16];
    size_t nd;

    if (!(w > 0))
        return;
    cairo_set_line_width(cr, w);
    render_set_color(cr, &c, op);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (atlas_style_string(l, ATLAS_P_LINE_CAP, ctx, buf, sizeof buf))
        cairo_set_line_cap(cr, strcmp(buf, "round") == 0 ? CAIRO_LINE_CAP_ROUND
                               : strcmp(buf, "square") == 0
                                   ? CAIRO_LINE_CAP_SQUARE
                                   : CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    if (atlas_style_string(l, ATLAS_P_LINE_JOIN, ctx, buf, sizeof buf))
        cairo_set_line_join(
            cr, strcmp(buf, "round") == 0   ? CAIRO_LINE_JOIN_ROUND
                : strcmp(buf, "bevel") == 0 ? CAIRO_LINE_JOIN_BEVEL
                                            : CAIRO_LINE_JOIN_MITER);
    nd = atlas_style_numbers(l, ATLAS_P_LINE_DASHARRAY, ctx, dash, 8);
    for (size_t i = 0; i < nd; i++)
        dash[i] = fmax(0, dash[i]) * w; /* MapLibre: in line widths */
    cairo_set_dash(cr, dash, (int)nd, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

void
render_stroke_layer(rmap *m, const atlas_style_layer *l,
                    const atlas_eval_ctx *ctx)
{
    lpaint p;
    lpaint_init(&p, l, ctx);
    line_paint(m, l, &p, ctx);
}

/* ---- projection and extent ---- */

static atlas_status
setup_projection(rmap *m, atlas_error *err)
{
    const atlas_render_opts *o = m->o;
    const atlas_extent *ex = NULL;
    char fitted[256];
    const char *def;
    double bbox[4], pb[4];

    if (o->extent != NULL) {
        ex = atlas_proj_extent(o->extent);
        if (ex == NULL)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "--extent: \"%.40s\": expected ussr, "
                                   "west, north or kolyma",
                                   o->extent);
    } else {
        ex = atlas_proj_extent("ussr");
    }
    if (o->has_bbox) {
        memcpy(bbox, o->bbox, sizeof bbox);
        atlas_proj_fit_conic(bbox, fitted, sizeof fitted);
        def = fitted;
    } else {
        memcpy(bbox, ex->bbox, sizeof bbox);
        def = ex->proj;
    }
    if (o->proj != NULL)
        def = o->proj;
    m->proj = atlas_proj_new(def, err);
    if (m->proj == NULL)
        return err->code;
    if ((!o->has_bbox && ex->outline != NULL
             ? atlas_proj_points_bbox(m->proj, ex->outline, ex->n_outline, pb)
             : atlas_proj_bbox(m->proj, bbox, pb)) != 0)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--proj: \"%.80s\": the map's area does not "
                               "project",
                               def);
    /* A small margin, then grow the shorter side so the area fills the
     * frame, centred. */
    const atlas_box *f = &m->lay.frame;
    double w = pb[2] - pb[0], h = pb[3] - pb[1];
    pb[0] -= w * 0.03, pb[2] += w * 0.03, w *= 1.06;
    pb[1] -= h * 0.03, pb[3] += h * 0.03, h *= 1.06;
    double want = f->w / f->h;
    if (w / h < want) {
        double nw = h * want;
        pb[0] -= (nw - w) / 2;
        pb[2] += (nw - w) / 2;
    } else {
        double nh = w / want;
        pb[1] -= (nh - h) / 2;
        pb[3] += (nh - h) / 2;
    }
    memcpy(m->ext, pb, sizeof pb);
    m->sc = f->w / (pb[2] - pb[0]);

    /* The MapLibre zoom with the same ground resolution at the centre. */
    double cx = (pb[0] + pb[2]) / 2, cy = (pb[1] + pb[3]) / 2;
    double gpu =
        atlas_proj_ground_per_unit(m->proj, cx, cy, (pb[2] - pb[0]) / 100);
    double c[2] = {cx, cy};
    atlas_proj_inv(m->proj, c, 1);
    double lat = isnan(c[1]) ? 55 : c[1];
    m->zoom = 3;
    if (isfinite(gpu) && gpu > 0)
        m->zoom = log2(78271.517 * cos(lat * M_PI / 180) / (gpu / m->sc));
    return ATLAS_OK;
}

/* The points added between A and B (x, y in degrees) to densify the edge,
 * with its deltas in *DX, *DY (across the antimeridian the short way).
 * Both passes of project_features() count with this, so they agree on
 * every edge; an edge longer than a full turn is no edge of the earth (a
 * database written by another program: 0 -> 1060) and goes straight
 * rather than into millions of points. */
static size_t
densify_steps(const double *a, const double *b, double *dx, double *dy)
{
    *dx = b[0] - a[0];
    *dy = b[1] - a[1];
    if (*dx > 180)
        *dx -= 360;
    else if (*dx < -180)
        *dx += 360;
    double d = fmax(fabs(*dx), fabs(*dy));
    if (!(d > DENSIFY_DEG && d <= 360))
        return 0;
    return (size_t)ceil(d / DENSIFY_DEG) - 1;
}

/* Projects every feature's points into page px, lines densified and
 * parts separated by NAN, with one PROJ call for all. */
static atlas_status
project_features(rmap *m, atlas_error *err)
{
    const atlas_feature_list *fl = m->fl;
    size_t total = 0;

    m->off = calloc(fl->n + 1, sizeof *m->off);
    m->npts = calloc(fl->n + 1, sizeof *m->npts);
    m->sym_r = calloc(fl->n + 1, sizeof *m->sym_r);
    if (m->off == NULL || m->npts == NULL || m->sym_r == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        size_t n = fe->n_pts;
        m->sym_r[i] = -1;
        if (fe->layer == ATLAS_LAYER_LINES && fe->n_pts > 1) {
            n += fe->n_parts; /* separators */
            for (size_t k = 1; k < fe->n_pts; k++) {
                double dx, dy;
                n += densify_steps(&fe->xy[2 * k - 2], &fe->xy[2 * k], &dx,
                                   &dy);
            }
        }
        m->off[i] = total;
        m->npts[i] = n;
        total += n;
    }
    m->pxy = calloc(2 * total + 2, sizeof(double));
    if (m->pxy == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        double *o = m->pxy + 2 * m->off[i];
        size_t k = 0;
        if (fe->layer != ATLAS_LAYER_LINES || fe->n_pts < 2) {
            if (fe->n_pts > 0)
                memcpy(o, fe->xy, 2 * fe->n_pts * sizeof(double));
            continue;
        }
        for (size_t p = 0; p < fe->n_parts; p++) {
            size_t a = fe->parts ? fe->parts[p] : 0;
            size_t b =
                p + 1 < fe->n_parts && fe->parts ? fe->parts[p + 1] : fe->n_pts;
            for (size_t v = a; v < b; v++) {
                if (v > a) {
                    double x0 = fe->xy[2 * v - 2], y0 = fe->xy[2 * v - 1];
                    double dx, dy;
                    size_t steps = densify_steps(&fe->xy[2 * v - 2],
                                                 &fe->xy[2 * v], &dx, &dy) +
                                   1;
                    for (size_t s = 1; s < steps; s++) {
                        o[2 * k] = x0 + dx * (double)s / (double)steps;
                        o[2 * k + 1] = y0 + dy * (double)s / (double)steps;
                        k++;
                    }
                }
                o[2 * k] = fe->xy[2 * v];
                o[2 * k + 1] = fe->xy[2 * v + 1];
                k++;
            }
            o[2 * k] = o[2 * k + 1] = NAN;
            k++;
        }
        m->npts[i] = k;
    }
    /* PROJ does not keep NAN: some projections (a polar azimuthal) give
     * the origin for it, which drew spokes from every line's end to the
     * pole. Remember the part separators and put them back after. */
    unsigned char *sep = calloc(total + 1, 1);
    if (sep == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    for (size_t k = 0; k < total; k++)
        sep[k] = isnan(m->pxy[2 * k]);
    atlas_proj_fwd(m->proj, m->pxy, total);
    for (size_t k = 0; k < total; k++) {
        double *q = &m->pxy[2 * k];
        if (sep[k] || !isfinite(q[0]) || !isfinite(q[1]))
            q[0] = q[1] = NAN; /* a break: never a line to infinity */
        else
            rmap_to_page(m, q[0], q[1], &q[0], &q[1]);
    }
    free(sep);
    return ATLAS_OK;
}

/* 1 when page point X, Y is within the frame grown by PAD. */
static int
in_frame(const rmap *m, double x, double y, double pad)
{
    const atlas_box *f = &m->lay.frame;
    return x >= f->x - pad && x <= f->x + f->w + pad && y >= f->y - pad &&
           y <= f->y + f->h + pad;
}

/* Clamps a page point into a box around the frame, so cairo never sees
 * coordinates near its fixed-point limits; what shows inside the frame
 * is unchanged for the short edges of the basemap. */
static void
clamp_far(const rmap *m, double *x, double *y)
{
    const atlas_box *f = &m->lay.frame;
    double pad = fmax(f->w, f->h);
    *x = fmin(fmax(*x, f->x - pad), f->x + f->w + pad);
    *y = fmin(fmax(*y, f->y - pad), f->y + f->h + pad);
}

static size_t add_path(rmap *m, const double *pxy, size_t n,
                       const size_t *parts, size_t n_parts, int close);

size_t
render_add_path(rmap *m, const double *pxy, size_t n, const size_t *parts,
                size_t n_parts, int close)
{
    return add_path(m, pxy, n, parts, n_parts, close);
}

/* Adds the parts of PXY (N points, NAN breaks lines) to the path; rings
 * when CLOSE. Parts wholly outside the frame are left out. */
static size_t
add_path(rmap *m, const double *pxy, size_t n, const size_t *parts,
         size_t n_parts, int close)
{
    cairo_t *cr = m->cr;
    const atlas_box *f = &m->lay.frame;
    size_t added = 0;

    for (size_t p = 0; p < n_parts; p++) {
        size_t a = parts ? parts[p] : 0, b = parts ? parts[p + 1] : n;
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (size_t k = a; k < b; k++) {
            if (isnan(pxy[2 * k]))
                continue;
            x0 = fmin(x0, pxy[2 * k]), x1 = fmax(x1, pxy[2 * k]);
            y0 = fmin(y0, pxy[2 * k + 1]), y1 = fmax(y1, pxy[2 * k + 1]);
        }
        if (x1 < f->x - 20 || x0 > f->x + f->w + 20 || y1 < f->y - 20 ||
            y0 > f->y + f->h + 20)
            continue;
        int pen = 0;
        for (size_t k = a; k < b; k++) {
            double x = pxy[2 * k], y = pxy[2 * k + 1];
            if (isnan(x)) {
                pen = 0;
                continue;
            }
            clamp_far(m, &x, &y);
            if (pen)
                cairo_line_to(cr, x, y);
            else
                cairo_move_to(cr, x, y);
            pen = 1;
        }
        if (close && pen)
            cairo_close_path(cr);
        added++;
    }
    return added;
}

/* ---- basemap ---- */

typedef struct bmproj {
    double *pxy; /* page px, or NULL until first used */
} bmproj;

static const double *
basemap_projected(rmap *m, bmproj *cache, int idx, const atlas_geomset *g)
{
    if (cache[idx].pxy != NULL || g->n_pts == 0)
        return cache[idx].pxy;
    double *p = calloc(2 * g->n_pts, sizeof(double));
    if (p == NULL)
        return NULL;
    memcpy(p, g->xy, 2 * g->n_pts * sizeof(double));
    atlas_proj_fwd(m->proj, p, g->n_pts);
    for (size_t k = 0; k < g->n_pts; k++)
        if (!isnan(p[2 * k]))
            rmap_to_page(m, p[2 * k], p[2 * k + 1], &p[2 * k], &p[2 * k + 1]);
    cache[idx].pxy = p;
    return p;
}

static int
basemap_index(const char *src)
{
    for (int i = 0; i < ATLAS_BASEMAP_N; i++)
        if (strcmp(src, atlas_basemap_layers[i]) == 0)
            return i;
    return -1;
}

static size_t
draw_basemap_layer(rmap *m, bmproj *cache, const atlas_style_layer *l,
                   const char *src, const atlas_eval_ctx *ctx)
{
    cairo_t *cr = m->cr;
    atlas_layer_type t = atlas_style_layer_type(l);
    int bi = basemap_index(src);
    size_t added;
    double op;
    atlas_color c;

    if (strcmp(src, "ocean") == 0 && t == ATLAS_STYLE_FILL) {
        /* The sea is what land leaves: fill the frame under the land. */
        atlas_style_color(l, ATLAS_P_FILL_COLOR, ctx, &c);
        atlas_style_number(l, ATLAS_P_FILL_OPACITY, ctx, &op);
        cairo_rectangle(cr, m->lay.frame.x, m->lay.frame.y, m->lay.frame.w,
                        m->lay.frame.h);
        render_set_color(cr, &c, op);
        cairo_fill(cr);
        return 1;
    }
    if (bi < 0 || m->bm == NULL)
        return 0;
    const atlas_geomset *g = atlas_basemap_layer(m->bm, src);
    const double *p = basemap_projected(m, cache, bi, g);
    if (p == NULL)
        return 0;
    cairo_new_path(cr);
    if (t == ATLAS_STYLE_FILL) {
        added = add_path(m, p, g->n_pts, g->parts, g->n_parts, 1);
        if (added == 0)
            return 0;
        atlas_style_color(l, ATLAS_P_FILL_COLOR, ctx, &c);
        atlas_style_number(l, ATLAS_P_FILL_OPACITY, ctx, &op);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        render_set_color(cr, &c, op);
        if (atlas_style_has(l, ATLAS_P_FILL_OUTLINE_COLOR)) {
            atlas_color oc;
            atlas_style_color(l, ATLAS_P_FILL_OUTLINE_COLOR, ctx, &oc);
            cairo_fill_preserve(cr);
            cairo_set_line_width(cr, 0.5);
            render_set_color(cr, &oc, op);
            cairo_stroke(cr);
        } else {
            cairo_fill(cr);
        }
        return added;
    }
    if (t == ATLAS_STYLE_LINE) {
        added = add_path(m, p, g->n_pts, g->parts, g->n_parts, g->is_polygon);
        if (added > 0)
            render_stroke_layer(m, l, ctx);
        cairo_new_path(cr);
        return added;
    }
    return 0;
}

/* ---- the data layers ---- */

static size_t
draw_sites(rmap *m, size_t li, const atlas_style_layer *l, rfeat *rf,
           atlas_eval_ctx *ctx)
{
    const atlas_feature_list *fl = m->fl;
    cpaint p;
    size_t drawn = 0;
    double pad = 30;

    rf->fe = NULL;
    cpaint_init(&p, l, &(atlas_eval_ctx){NULL, NULL, m->zoom});
    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        if (fe->layer != ATLAS_LAYER_SITES || m->npts[i] == 0)
            continue;
        double x = m->pxy[2 * m->off[i]], y = m->pxy[2 * m->off[i] + 1];
        if (isnan(x) || !in_frame(m, x, y, pad)) /* cull before styling */
            continue;
        rf->fe = fe;
        if (!atlas_style_layer_filter(l, ctx))
            continue;
        double r = 0;
        circle_paint(m, l, &p, ctx, x, y, &r);
        if (r > m->sym_r[i])
            m->sym_r[i] = (float)r;
        if (drawn++ == 0)
            m->layer_rep[li] = i;
        if (fe->has_prisoners && fe->prisoners > m->layer_pmax[li])
            m->layer_pmax[li] = (double)fe->prisoners;
    }
    return drawn;
}

static size_t
draw_lines(rmap *m, size_t li, const atlas_style_layer *l, rfeat *rf,
           atlas_eval_ctx *ctx)
{
    const atlas_feature_list *fl = m->fl;
    lpaint p;
    size_t drawn = 0;

    lpaint_init(&p, l, &(atlas_eval_ctx){NULL, NULL, m->zoom});
    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        if (fe->layer != ATLAS_LAYER_LINES || m->npts[i] < 2)
            continue;
        cairo_new_path(m->cr);
        if (add_path(m, m->pxy + 2 * m->off[i], m->npts[i], NULL, 1, 0) == 0)
            continue; /* culled: outside the frame */
        rf->fe = fe;
        if (!atlas_style_layer_filter(l, ctx)) {
            cairo_new_path(m->cr);
            continue;
        }
        line_paint(m, l, &p, ctx);
        cairo_new_path(m->cr);
        m->sym_r[i] = 0; /* drawn: an obstacle for labels */
        if (drawn++ == 0)
            m->layer_rep[li] = i;
    }
    return drawn;
}

int
render_is_marker(const atlas_style_layer *l)
{
    const char *src = atlas_style_layer_source(l);
    return atlas_style_layer_type(l) == ATLAS_STYLE_SYMBOL && src != NULL &&
           strcmp(src, "sites") == 0 &&
           atlas_style_has(l, ATLAS_P_TEXT_FIELD) &&
           atlas_style_is_constant(l, ATLAS_P_TEXT_FIELD);
}

void
render_marker(rmap *m, const atlas_style_layer *l, const atlas_eval_ctx *ctx,
              double x, double y, double *r_out)
{
    char text[64];
    const char *fonts[4];
    double size = 16, hw = 0;
    atlas_color c = {0, 0, 0, 1}, halo = {0, 0, 0, 0};
    PangoRectangle ink, logical;

    if (!atlas_style_string(l, ATLAS_P_TEXT_FIELD, ctx, text, sizeof text) ||
        text[0] == '\0')
        return;
    atlas_style_number(l, ATLAS_P_TEXT_SIZE, ctx, &size);
    size = fmin(fmax(size, 4), 72);
    atlas_style_color(l, ATLAS_P_TEXT_COLOR, ctx, &c);
    atlas_style_color(l, ATLAS_P_TEXT_HALO_COLOR, ctx, &halo);
    atlas_style_number(l, ATLAS_P_TEXT_HALO_WIDTH, ctx, &hw);
    render_text_layout(m, text,
                       atlas_style_strings(l, ATLAS_P_TEXT_FONT, ctx, fonts, 4)
                           ? fonts[0]
                           : m->font,
                       size, 0, NULL, NULL);
    /* The glyph's ink, not its line box, centred on the site. */
    pango_layout_get_extents(m->pl, &ink, &logical);
    double ix = (double)ink.x / PANGO_SCALE, iy = (double)ink.y / PANGO_SCALE;
    double iw = (double)ink.width / PANGO_SCALE;
    double ih = (double)ink.height / PANGO_SCALE;
    render_text_draw(m, x - ix - iw / 2, y - iy - ih / 2, &c, &halo,
                     halo.a > 0 ? hw : 0);
    if (r_out != NULL)
        *r_out = fmax(iw, ih) / 2 + (halo.a > 0 ? hw / 2 : 0);
}

/* Sites of a symbol layer whose text is one constant glyph (a prison's
 * square): marks, drawn centred on the site in the layer's order like
 * circles, never dropped; names and numbers are placed around them. */
static size_t
draw_markers(rmap *m, size_t li, const atlas_style_layer *l, rfeat *rf,
             atlas_eval_ctx *ctx)
{
    const atlas_feature_list *fl = m->fl;
    size_t drawn = 0;

    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        if (fe->layer != ATLAS_LAYER_SITES || m->npts[i] == 0)
            continue;
        double x = m->pxy[2 * m->off[i]], y = m->pxy[2 * m->off[i] + 1];
        if (isnan(x) || !in_frame(m, x, y, 30))
            continue;
        rf->fe = fe;
        if (!atlas_style_layer_filter(l, ctx))
            continue;
        double r = -1;
        render_marker(m, l, ctx, x, y, &r);
        if (r < 0)
            continue;
        if (r > m->sym_r[i])
            m->sym_r[i] = (float)r;
        if (drawn++ == 0)
            m->layer_rep[li] = i;
        if (m->n_marks == m->cap_marks) {
            size_t cap = m->cap_marks ? 2 * m->cap_marks : 64;
            rmark *n = realloc(m->marks, cap * sizeof *n);
            if (n == NULL)
                continue; /* only --debug-labels misses it */
            m->marks = n;
            m->cap_marks = cap;
        }
        m->marks[m->n_marks++] = (rmark){i, l, x, y};
    }
    return drawn;
}

static atlas_status
check_cairo(rmap *m, const char *what, atlas_error *err)
{
    cairo_status_t st = cairo_status(m->cr);
    if (st != CAIRO_STATUS_SUCCESS)
        return atlas_error_set(err, ATLAS_E_IO, "render: %s: %s", what,
                               cairo_status_to_string(st));
    return ATLAS_OK;
}

static atlas_status
draw_layers(rmap *m, atlas_error *err)
{
    size_t n = atlas_style_n_layers(m->style);
    bmproj cache[ATLAS_BASEMAP_N] = {{NULL}};
    rfeat rf = {NULL, m->lang, 0, 0};
    atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
    atlas_eval_ctx ctx0 = {NULL, NULL, m->zoom};
    int graticule_done = m->o->no_graticule;
    cairo_t *cr = m->cr;

    cairo_save(cr);
    cairo_rectangle(cr, m->lay.frame.x, m->lay.frame.y, m->lay.frame.w,
                    m->lay.frame.h);
    cairo_clip(cr);
    for (size_t li = 0; li < n && err->code == ATLAS_OK; li++) {
        const atlas_style_layer *l = atlas_style_layer_at(m->style, li);
        const char *src = atlas_style_layer_source(l);
        atlas_layer_type t = atlas_style_layer_type(l);
        size_t drawn = 0;

        if (!atlas_style_layer_visible(l))
            continue;
        if (src != NULL && strcmp(src, "graticule") == 0) {
            if (!m->o->no_graticule && t == ATLAS_STYLE_LINE) {
                render_graticule(m, l);
                drawn = 1;
            }
            graticule_done = 1;
        } else if (t == ATLAS_STYLE_BACKGROUND) {
            atlas_color c;
            double op = 1;
            atlas_style_color(l, ATLAS_P_BACKGROUND_COLOR, &ctx0, &c);
            atlas_style_number(l, ATLAS_P_BACKGROUND_OPACITY, &ctx0, &op);
            cairo_rectangle(cr, m->lay.frame.x, m->lay.frame.y, m->lay.frame.w,
                            m->lay.frame.h);
            render_set_color(cr, &c, op);
            cairo_fill(cr);
            drawn = 1;
        } else if (render_is_marker(l)) {
            drawn = draw_markers(m, li, l, &rf, &ctx);
        } else if (src == NULL || t == ATLAS_STYLE_SYMBOL) {
            continue; /* names: labels, placed after every layer */
        } else if (strcmp(src, "period") == 0) {
            drawn = render_period_layer(m, l);
        } else if (strcmp(src, "borders") == 0 && !m->o->modern_borders &&
                   m->o->period != NULL && m->o->period->n_borders > 0) {
            continue; /* today's borders give way to the period's */
        } else if (strcmp(src, "sites") == 0 || strcmp(src, "lines") == 0) {
            if (!graticule_done) { /* under the data, over the basemap */
                render_graticule(m, NULL);
                graticule_done = 1;
            }
            if (t == ATLAS_STYLE_CIRCLE && strcmp(src, "sites") == 0)
                drawn = draw_sites(m, li, l, &rf, &ctx);
            else if (t == ATLAS_STYLE_LINE && strcmp(src, "lines") == 0)
                drawn = draw_lines(m, li, l, &rf, &ctx);
        } else {
            drawn = draw_basemap_layer(m, cache, l, src, &ctx0);
        }
        m->layer_count[li] = drawn;
        check_cairo(m, atlas_style_layer_id(l), err);
    }
    if (!graticule_done && err->code == ATLAS_OK)
        render_graticule(m, NULL);
    cairo_restore(cr);
    for (int i = 0; i < ATLAS_BASEMAP_N; i++)
        free(cache[i].pxy);
    return err->code;
}

/* ---- text ---- */

void
render_text_layout(rmap *m, const char *text, const char *font, double size,
                   int bold, double *w, double *h)
{
    PangoRectangle ink, logical;
    const char *fam = pango_font_description_get_family(m->fd);

    if (fam == NULL || strcmp(fam, font) != 0)
        pango_font_description_set_family(m->fd, font);
    size = fmax(size, m->o->min_text); /* legible when printed */
    pango_font_description_set_absolute_size(m->fd, size * PANGO_SCALE);
    pango_font_description_set_weight(m->fd, bold ? PANGO_WEIGHT_BOLD
                                                  : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(m->pl, m->fd);
    pango_layout_set_text(m->pl, text, -1); /* never markup */
    pango_layout_get_extents(m->pl, &ink, &logical);
    if (w != NULL)
        *w = (double)logical.width / PANGO_SCALE;
    if (h != NULL)
        *h = (double)logical.height / PANGO_SCALE;
}

void
render_text_draw(rmap *m, double x, double y, const atlas_color *color,
                 const atlas_color *halo, double hw)
{
    cairo_t *cr = m->cr;
    if (halo != NULL && hw > 0) {
        cairo_new_path(cr);
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, m->pl);
        cairo_set_line_width(cr, 2 * hw);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        render_set_color(cr, halo, 1);
        cairo_stroke(cr);
    }
    /* Glyphs, not paths: text stays selectable in PDF. */
    cairo_move_to(cr, x, y);
    render_set_color(cr, color, 1);
    pango_cairo_show_layout(cr, m->pl);
    cairo_new_path(cr);
}

static atlas_status
setup_text(rmap *m, atlas_error *err)
{
    cairo_font_options_t *fo;

    m->pl = pango_cairo_create_layout(m->cr);
    m->fd = pango_font_description_new();
    if (m->pl == NULL || m->fd == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    /* Unhinted outlines: the same text measures the same on PNG, SVG and
     * PDF at any DPI, so labels land in the same places. */
    fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(pango_layout_get_context(m->pl), fo);
    cairo_font_options_destroy(fo);
    pango_layout_context_changed(m->pl);
    pango_font_description_set_family(m->fd, m->font);
    return ATLAS_OK;
}

/* ---- one map ---- */

static void
rmap_free(rmap *m)
{
    render_labels_free(m);
    render_graticule_free(m);
    free(m->legend_vis);
    render_period_free(m);
    if (m->pl != NULL)
        g_object_unref(m->pl);
    if (m->fd != NULL)
        pango_font_description_free(m->fd);
    rgrid_free(&m->grid);
    rgrid_free(&m->seg_grid);
    free(m->seg);
    free(m->pxy);
    free(m->off);
    free(m->npts);
    free(m->sym_r);
    free(m->marks);
    free(m->layer_count);
    free(m->layer_rep);
    free(m->layer_pmax);
    atlas_proj_free(m->proj);
    atlas_basemap_free(m->bm);
    atlas_i18n_free(m->own_tr);
    render_insets_free(m);
}

const char *
render_tr(const rmap *m, const char *key, const char *en)
{
    return m->tr != NULL ? atlas_i18n_get(m->tr, key) : en;
}

/* M's translation: the caller's, else LANG's files, else English's; none
 * at all leaves the English built in (a map never fails for want of a
 * text). */
static void
setup_i18n(rmap *m)
{
    atlas_error local;
    m->tr = m->o->tr;
    if (m->tr != NULL)
        return;
    atlas_error_init(&local);
    m->own_tr = atlas_i18n_load(m->lang, &local);
    if (m->own_tr == NULL) {
        atlas_error_init(&local);
        m->own_tr = atlas_i18n_load("en", &local);
    }
    m->tr = m->own_tr;
}

/* The frame of a map in AREA and its projection: what drawing and
 * atlas_render_visible() share, so both see the same frame. */
static atlas_status
map_frame(rmap *m, const atlas_box *area, atlas_error *err)
{
    const atlas_render_opts *o = m->o;

    m->lang = o->lang ? o->lang : "en";
    m->font = o->font ? o->font : "DejaVu Sans";
    setup_i18n(m);
    atlas_box a = *area;
    double below = o->legend_below > 0 && !o->no_legend
                       ? fmin(o->legend_below, area->h / 2)
                       : 0;
    a.h -= below; /* the legend's band under the map */
    atlas_layout_map(&a, !o->no_title, !o->no_attribution, &m->lay);
    if (m->lay.frame.w < 10 || m->lay.frame.h < 10)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "render: the page is too small for a map");
    m->legend_k = 1;
    m->band = (atlas_box){m->lay.frame.x, a.y + a.h, m->lay.frame.w, below};
    return setup_projection(m, err);
}

/* 1 when feature I shows inside the frame: a site's point, or a point
 * of a line (densified); what can carry a label or a number. */
static int
feature_in_frame(const rmap *m, size_t i)
{
    const double *p = m->pxy + 2 * m->off[i];
    for (size_t k = 0; k < m->npts[i]; k++)
        if (!isnan(p[2 * k]) && in_frame(m, p[2 * k], p[2 * k + 1], 0))
            return 1;
    return 0;
}

atlas_status
atlas_render_visible(const atlas_feature_list *features,
                     const atlas_style *style, const atlas_render_opts *o,
                     double w, double h, unsigned char *visible,
                     size_t *n_visible, atlas_error *err)
{
    rmap m;

    memset(&m, 0, sizeof m);
    m.o = o;
    m.style = style;
    m.fl = features;
    *n_visible = 0;
    if (map_frame(&m, &(atlas_box){0, 0, w, h}, err) == ATLAS_OK &&
        project_features(&m, err) == ATLAS_OK)
        for (size_t i = 0; i < features->n; i++) {
            visible[i] = (unsigned char)feature_in_frame(&m, i);
            *n_visible += visible[i];
        }
    rmap_free(&m);
    return err->code;
}

atlas_status
atlas_render_query_bbox(const atlas_render_opts *o, double out[4],
                        atlas_error *err)
{
    /* Frames from wide to tall: a frame grows the area along one side,
     * so these two bound every frame between them. */
    static const double aspects[2] = {0.4, 1.25};
    double b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};

    for (int a = 0; a < 2 && err->code == ATLAS_OK; a++) {
        enum { N_EDGE = 64 };
        double xy[8 * N_EDGE + 2], c[2];
        rmap m;
        memset(&m, 0, sizeof m);
        m.o = o;
        if (map_frame(&m, &(atlas_box){0, 0, 1000, 1000 * aspects[a]}, err) !=
            ATLAS_OK) {
            rmap_free(&m);
            break;
        }
        const double *e = m.ext;
        for (int k = 0; k < N_EDGE; k++) {
            double t = (double)k / N_EDGE;
            double *q = xy + 8 * k;
            q[0] = e[0] + t * (e[2] - e[0]), q[1] = e[1];
            q[2] = e[2], q[3] = e[1] + t * (e[3] - e[1]);
            q[4] = e[2] - t * (e[2] - e[0]), q[5] = e[3];
            q[6] = e[0], q[7] = e[3] - t * (e[3] - e[1]);
        }
        c[0] = (e[0] + e[2]) / 2, c[1] = (e[1] + e[3]) / 2;
        atlas_proj_inv(m.proj, xy, 4 * N_EDGE);
        atlas_proj_inv(m.proj, c, 1);
        for (int k = 0; k < 4 * N_EDGE; k++) {
            double lon = xy[2 * k], lat = xy[2 * k + 1];
            if (isnan(lon) || isnan(lat))
                continue;
            if (!isnan(c[0])) /* unwrapped around the centre */
                lon += lon - c[0] > 180 ? -360 : lon - c[0] < -180 ? 360 : 0;
            b[0] = fmin(b[0], lon), b[2] = fmax(b[2], lon);
            b[1] = fmin(b[1], lat), b[3] = fmax(b[3], lat);
        }
        /* The pole inside the frame: every longitude shows. */
        double pole[2] = {0, 90};
        atlas_proj_fwd(m.proj, pole, 1);
        if (!isnan(pole[0]) && pole[0] > e[0] && pole[0] < e[2] &&
            pole[1] > e[1] && pole[1] < e[3])
            b[0] = -180, b[2] = 180, b[3] = 90;
        rmap_free(&m);
    }
    if (err->code != ATLAS_OK)
        return err->code;
    if (!(b[0] < b[2] && b[1] < b[3]))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "render: the map's area does not project");
    out[0] = b[0], out[1] = fmax(-90, b[1]);
    out[2] = b[2], out[3] = fmin(90, b[3]);
    return ATLAS_OK;
}

/* Draws the whole map into AREA of M->cr; M is freed by the caller with
 * rmap_free() (its labels outlive drawing for --debug-labels). */
static atlas_status
draw_map(rmap *m, const atlas_box *area, atlas_error *err)
{
    const atlas_render_opts *o = m->o;
    size_t nl = atlas_style_n_layers(m->style);

    if (map_frame(m, area, err) != ATLAS_OK)
        return err->code;
    m->bm = atlas_basemap_open(o->basemap_dir, err);
    if (m->bm == NULL)
        return err->code;
    m->layer_count = calloc(nl + 1, sizeof *m->layer_count);
    m->layer_rep = calloc(nl + 1, sizeof *m->layer_rep);
    m->layer_pmax = calloc(nl + 1, sizeof *m->layer_pmax);
    if (m->layer_count == NULL || m->layer_rep == NULL || m->layer_pmax == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    if (project_features(m, err) != ATLAS_OK || setup_text(m, err) != ATLAS_OK)
        return err->code;
    if (rgrid_init(&m->grid, &m->lay.frame, 24) != 0 ||
        rgrid_init(&m->seg_grid, &m->lay.frame, 24) != 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");

    if (draw_layers(m, err) != ATLAS_OK)
        return err->code;
    render_flow_arrows(m); /* deportations end at their destination */
    /* Furniture first claims its room, then labels fill what is left. */
    if (!o->no_legend && render_legend_box(m, err) != ATLAS_OK)
        return err->code;
    if (!o->no_scale)
        render_scale_bar(m);
    if (render_insets_place(m, err) != ATLAS_OK)
        return err->code;
    if (render_period_labels(m, 1, err) != ATLAS_OK)
        return err->code;
    if ((!o->no_labels || o->numbers != NULL) &&
        (render_labels_collect(m, err) != ATLAS_OK ||
         render_labels_place(m, err) != ATLAS_OK))
        return err->code;
    render_labels_draw(m);
    if (render_period_labels(m, 0, err) != ATLAS_OK)
        return err->code;
    if (!o->no_graticule)
        render_graticule_labels(m);
    if (check_cairo(m, "labels", err) != ATLAS_OK)
        return err->code;
    if (render_insets_draw(m, err) != ATLAS_OK)
        return err->code;
    if (!o->no_legend)
        render_legend_draw(m);
    render_frame(m);
    if (!o->no_title)
        render_title(m);
    if (!o->no_attribution)
        render_foot(m);
    return check_cairo(m, "furniture", err);
}

atlas_status
render_map_draw(rmap *m, const atlas_box *area, atlas_error *err)
{
    return draw_map(m, area, err);
}

void
render_map_free(rmap *m)
{
    rmap_free(m);
}

atlas_status
atlas_render_to_cairo(cairo_t *cr, double x, double y, double w, double h,
                      const atlas_feature_list *features,
                      const atlas_style *style, const atlas_render_opts *o,
                      atlas_error *err)
{
    rmap m;
    atlas_box area = {x, y, w, h};

    memset(&m, 0, sizeof m);
    m.cr = cr;
    m.o = o;
    m.style = style;
    m.fl = features;
    cairo_save(cr);
    if (draw_map(&m, &area, err) == ATLAS_OK && o->debug_labels != NULL)
        render_labels_debug(&m, o->debug_labels, 1, err);
    if (o->legend_out != NULL)
        *o->legend_out = m.legend;
    cairo_restore(cr);
    rmap_free(&m);
    return err->code;
}

atlas_status
atlas_render(const atlas_feature_list *features, const atlas_style *style,
             const atlas_render_opts *o, const char *out_path, atlas_error *err)
{
    atlas_format fmt = o->format ? o->format : atlas_render_format_of(out_path);
    atlas_page page;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    char *tmp = NULL;
    FILE *fp = NULL;
    rmap m;
    char date[32], title[512];
    double k; /* output units per CSS px */

    memset(&m, 0, sizeof m);
    if (fmt == ATLAS_FMT_NONE)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: unknown output format (expected "
                               ".png, .svg or .pdf, or --format)",
                               out_path);
    if (atlas_layout_page(&o->page, &page, err) != ATLAS_OK)
        return err->code;
    tmp = atlas_outfile_tmpname(out_path);
    if (tmp == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    fp = fopen(tmp, "wb");
    if (fp == NULL) {
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", out_path,
                        strerror(errno));
        goto cleanup;
    }
    if (fmt == ATLAS_FMT_PNG) {
        k = page.dpi / 96;
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, page.w_px,
                                          page.h_px);
    } else if (fmt == ATLAS_FMT_SVG) {
        k = 0.75;
        surf = cairo_svg_surface_create_for_stream(atlas_page_write, fp,
                                                   page.w * k, page.h * k);
        cairo_svg_surface_restrict_to_version(surf, CAIRO_SVG_VERSION_1_1);
    } else {
        k = 0.75;
        surf = cairo_pdf_surface_create_for_stream(atlas_page_write, fp,
                                                   page.w * k, page.h * k);
        snprintf(title, sizeof title, "%s",
                 o->title ? o->title : "Soviet repression sites");
        atlas_page_pdf_date(date, sizeof date);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
                                       "atlas " ATLAS_VERSION);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE,
                                       date);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot draw: %s", out_path,
                        cairo_status_to_string(cairo_surface_status(surf)));
        goto cleanup;
    }
    cr = cairo_create(surf);
    cairo_scale(cr, k, k);
    cairo_set_source_rgb(cr, 1, 1, 1); /* paper */
    cairo_paint(cr);

    m.cr = cr;
    m.o = o;
    m.style = style;
    m.fl = features;
    if (draw_map(&m, &(atlas_box){0, 0, page.w, page.h}, err) != ATLAS_OK)
        goto cleanup;
    if (o->debug_labels != NULL &&
        render_labels_debug(&m, o->debug_labels, fmt == ATLAS_FMT_PNG ? k : 1,
                            err) != ATLAS_OK)
        goto cleanup;
    cairo_show_page(cr);
    if (check_cairo(&m, out_path, err) != ATLAS_OK)
        goto cleanup;
    cairo_destroy(cr);
    cr = NULL;
    if (fmt == ATLAS_FMT_PNG &&
        atlas_png_write(surf, fp) != CAIRO_STATUS_SUCCESS) {
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot write PNG", out_path);
        goto cleanup;
    }
    cairo_surface_finish(surf);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", out_path,
                        cairo_status_to_string(cairo_surface_status(surf)));
        goto cleanup;
    }
    if (fflush(fp) != 0 || ferror(fp)) {
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", out_path,
                        strerror(errno));
        goto cleanup;
    }
    if (fclose(fp) != 0) {
        fp = NULL;
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", out_path,
                        strerror(errno));
        goto cleanup;
    }
    fp = NULL;
    atlas_outfile_rename(tmp, out_path, err);

cleanup:
    rmap_free(&m);
    if (cr != NULL)
        cairo_destroy(cr);
    if (surf != NULL)
        cairo_surface_destroy(surf);
    if (fp != NULL)
        fclose(fp);
    if (err->code != ATLAS_OK)
        remove(tmp);
    free(tmp);
    return err->code;
}

/* ---- map numbers ---- */

/* A site and its reading-order keys: qsort compares these alone, so
 * numbering needs no file-static state and is safe in threads. */
typedef struct rnum {
    double band, lon;
    const char *id;
    size_t i;
} rnum;

static int
cmp_reading(const void *a, const void *b)
{
    const rnum *na = a, *nb = b;
    /* Bands of 2 degrees, north first; west to east within a band. */
    if (na->band != nb->band)
        return na->band > nb->band ? -1 : 1;
    if (na->lon != nb->lon)
        return na->lon < nb->lon ? -1 : 1;
    return strcmp(na->id, nb->id);
}

int
atlas_render_number_layer(const atlas_feature_list *fl, atlas_layer layer,
                          int first, int *numbers)
{
    size_t n = 0;
    rnum *idx = calloc(fl->n + 1, sizeof *idx);
    if (idx == NULL)
        return -1;
    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        const char *id = atlas_feature_text(fe, ATLAS_F_ID);
        if (fe->layer != layer || fe->n_pts == 0)
            continue;
        /* a line is placed by its first point */
        idx[n].band = floor(fe->xy[1] / 2);
        idx[n].lon = fe->xy[0] < -100 ? fe->xy[0] + 360 : fe->xy[0];
        idx[n].id = id ? id : "";
        idx[n++].i = i;
    }
    qsort(idx, n, sizeof *idx, cmp_reading);
    for (size_t j = 0; j < n; j++)
        numbers[idx[j].i] = first + (int)(j + 1);
    free(idx);
    return first + (int)n;
}

int
atlas_render_number(const atlas_feature_list *fl, int *numbers)
{
    for (size_t i = 0; i < fl->n; i++)
        numbers[i] = 0;
    return atlas_render_number_layer(fl, ATLAS_LAYER_SITES, 0, numbers);
}
