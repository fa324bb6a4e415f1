/* render_furniture.c: everything on a map that is not data: the
 * graticule and its labels, the legend (built from the style layers that
 * drew something), the scale bar, the title band, the foot line and the
 * frame. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_private.h"

static const atlas_color ink = {0.15, 0.15, 0.15, 1};
static const atlas_color grey = {0.35, 0.35, 0.35, 1};
static const atlas_color white = {1, 1, 1, 1};
static const atlas_color halo = {1, 1, 1, 0.85};

/* ---- graticule ---- */

#define GRAT_STEP 10.0    /* degrees between lines */
#define GRAT_STEP_REG 5.0 /* on regional maps */
#define GRAT_DENSE 0.5    /* degrees between projected points */
#define GRAT_MAX_PTS 800

/* The graticule's step: 10 degrees, 5 on the regional presets and on a
 * --bbox less than 40 degrees wide. */
static double
grat_step(const rmap *m)
{
    const atlas_render_opts *o = m->o;
    if (o->has_bbox)
        return o->bbox[2] - o->bbox[0] < 40 ? GRAT_STEP_REG : GRAT_STEP;
    if (o->extent != NULL && strcmp(o->extent, "ussr") != 0)
        return GRAT_STEP_REG;
    return GRAT_STEP;
}

/* Adds G's points (page px) to the path, lifting the pen across gaps and
 * jumps (a parallel across the projection's cut). */
static void
grat_path(rmap *m, const rgrat *g)
{
    const atlas_box *f = &m->lay.frame;
    double jump = (f->w + f->h) / 4;
    int pen = 0;
    for (size_t k = 0; k < g->n; k++) {
        double x = g->pts[2 * k], y = g->pts[2 * k + 1];
        if (isnan(x)) {
            pen = 0;
            continue;
        }
        if (pen && hypot(x - g->pts[2 * k - 2], y - g->pts[2 * k - 1]) > jump)
            pen = 0;
        if (pen)
            cairo_line_to(m->cr, x, y);
        else
            cairo_move_to(m->cr, x, y);
        pen = 1;
    }
}

/* Where G crosses the line x = V (VERTICAL) or y = V between LO and HI
 * of the other axis, the first from its start (FROM_END 0) or from its
 * end: 1 and the other coordinate in *AT. Jumps are no crossings. */
static int
grat_cross(const rmap *m, const rgrat *g, int vertical, double v, double lo,
           double hi, int from_end, double *at)
{
    const atlas_box *f = &m->lay.frame;
    double jump = (f->w + f->h) / 4;
    for (size_t j = 1; j < g->n; j++) {
        size_t k = from_end ? g->n - j : j;
        const double *a = &g->pts[2 * k - 2], *b = &g->pts[2 * k];
        if (isnan(a[0]) || isnan(b[0]) ||
            hypot(b[0] - a[0], b[1] - a[1]) > jump)
            continue;
        double av = vertical ? a[0] : a[1], bv = vertical ? b[0] : b[1];
        if ((av - v) * (bv - v) > 0 || av == bv)
            continue;
        double t = (v - av) / (bv - av);
        double u =
            vertical ? a[1] + t * (b[1] - a[1]) : a[0] + t * (b[0] - a[0]);
        if (u >= lo && u <= hi) {
            *at = u;
            return 1;
        }
    }
    return 0;
}

/* Projects the lines of the graticule into M->grat; 0, or -1 when out of
 * memory (what was made is freed with the map). */
static int
grat_build(rmap *m)
{
    double step = grat_step(m);
    int n_mer = (int)(360 / step), n_par = (int)(160 / step) + 1;
    m->grat = calloc((size_t)(n_mer + n_par), sizeof *m->grat);
    if (m->grat == NULL)
        return -1;
    for (int i = 0; i < n_mer + n_par; i++) {
        rgrat *g = &m->grat[m->n_grat];
        int mer = i < n_mer;
        /* meridians from 80S to the pole, parallels from 80S to 80N */
        double v = mer ? -180 + step * i : -80 + step * (i - n_mer);
        if (!mer && v > 80)
            continue;
        g->pts = calloc(2 * GRAT_MAX_PTS, sizeof *g->pts);
        if (g->pts == NULL)
            return -1;
        m->n_grat++;
        g->meridian = mer;
        g->deg = v;
        if (mer)
            for (double lat = -80; lat <= 90 + 1e-9 && g->n < GRAT_MAX_PTS;
                 lat += GRAT_DENSE)
                g->pts[2 * g->n] = v, g->pts[2 * g->n++ + 1] = fmin(lat, 90);
        else
            for (double lon = -180; lon <= 180 + 1e-9 && g->n < GRAT_MAX_PTS;
                 lon += 1)
                g->pts[2 * g->n] = lon, g->pts[2 * g->n++ + 1] = v;
        atlas_proj_fwd(m->proj, g->pts, g->n);
        for (size_t k = 0; k < g->n; k++) {
            double *q = &g->pts[2 * k];
            if (!isfinite(q[0]) || !isfinite(q[1]))
                q[0] = q[1] = NAN;
            else
                rmap_to_page(m, q[0], q[1], &q[0], &q[1]);
        }
        if (mer)
            snprintf(g->text, sizeof g->text, "%g\u00b0%s", fabs(v),
                     v < 0 && v > -180 ? "W"
                     : v > 0           ? "E"
                                       : "");
        else
            snprintf(g->text, sizeof g->text, "%g\u00b0%s", fabs(v),
                     v < 0   ? "S"
                     : v > 0 ? "N"
                             : "");
    }
    return 0;
}

void
render_graticule(rmap *m, const atlas_style_layer *l)
{
    cairo_t *cr = m->cr;
    atlas_eval_ctx ctx0 = {NULL, NULL, m->zoom};

    render_graticule_free(m);
    if (grat_build(m) != 0) {
        render_graticule_free(m); /* no graticule rather than half */
        return;
    }
    cairo_save(cr);
    /* 2026-12: a cairo_new_path() before each edge label threw away the
     * lines collected so far, so only the last few were stroked: every
     * line goes into one path, stroked once, and labels come later. */
    cairo_new_path(cr);
    for (size_t i = 0; i < m->n_grat; i++)
        grat_path(m, &m->grat[i]);
    if (l != NULL) {
        render_stroke_layer(m, l, &ctx0);
    } else {
        cairo_set_line_width(cr, 0.5);
        cairo_set_source_rgba(cr, 0.3, 0.35, 0.45, 0.45);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}

void
render_graticule_free(rmap *m)
{
    for (size_t i = 0; i < m->n_grat; i++)
        free(m->grat[i].pts);
    free(m->grat);
    m->grat = NULL;
    m->n_grat = 0;
}

/* Tries to put G's label, W x H, where G meets frame edge E (0 bottom,
 * 1 top, 2 left, 3 right), centred on the line a little inside the
 * frame, clear of everything in M's grid. 1 and G's box when it fits;
 * *MET 1 when G meets that edge at all. */
static int
grat_try_edge(rmap *m, rgrat *g, int e, double w, double h, int *met)
{
    static const char *const edges[4] = {"bottom", "top", "left", "right"};
    const atlas_box *f = &m->lay.frame;
    double in = 2; /* from the frame's edge */
    int vertical = e >= 2;
    double edge = e == 0   ? f->y + f->h
                  : e == 1 ? f->y
                  : e == 2 ? f->x
                           : f->x + f->w;
    double lo = vertical ? f->y : f->x,
           hi = vertical ? f->y + f->h : f->x + f->w;
    double at, mid, c;

    for (int from_end = 0; from_end < 2; from_end++) {
        if (!grat_cross(m, g, vertical, edge, lo + 4, hi - 4, from_end, &at))
            continue;
        *met = 1;
        /* the label's middle line, parallel to the edge, and where the
         * graticule line crosses it: the label sits on its line */
        mid = e == 0   ? edge - in - h / 2
              : e == 1 ? edge + in + h / 2
              : e == 2 ? edge + in + w / 2
                       : edge - in - w / 2;
        if (!grat_cross(m, g, vertical, mid, lo, hi, from_end, &c))
            c = at;
        if (fabs(c - at) > 6 * fmax(w, h))
            continue; /* a line nearly along the edge: off its crossing */
        double x0 = vertical ? mid - w / 2 : c - w / 2;
        double y0 = vertical ? c - h / 2 : mid - h / 2;
        if (x0 < f->x + 1 || y0 < f->y + 1 || x0 + w > f->x + f->w - 1 ||
            y0 + h > f->y + f->h - 1 ||
            rgrid_hits(&m->grid, x0 - 1, y0 - 1, x0 + w + 1, y0 + h + 1))
            continue;
        g->box[0] = x0, g->box[1] = y0, g->box[2] = x0 + w, g->box[3] = y0 + h;
        g->cross[0] = vertical ? edge : at;
        g->cross[1] = vertical ? at : edge;
        g->edge = edges[e];
        return 1;
    }
    return 0;
}

void
render_graticule_labels(rmap *m)
{
    /* parallels on the left edge, else the right; meridians at the
     * bottom, else on the sides (a conic's fan); the top edge last, where
     * the meridians crowd towards the pole */
    static const int order[2][4] = {{2, 3, 0, 1}, {0, 2, 3, 1}};
    double size = fmax(7, m->lay.unit * 0.7), w, h;

    for (size_t i = 0; i < m->n_grat; i++) {
        rgrat *g = &m->grat[i];
        int met = 0, ok = 0;
        render_text_layout(m, g->text, m->font, size, 0, &w, &h);
        for (int j = 0; j < 4 && !ok; j++)
            ok = grat_try_edge(m, g, order[g->meridian][j], w, h, &met);
        if (!ok) {
            g->drop = met ? "no room" : "not in the frame";
            continue;
        }
        g->placed = 1;
        render_text_draw(m, g->box[0], g->box[1], &grey, &halo, 1.5);
        rgrid_add(&m->grid, g->box[0], g->box[1], g->box[2], g->box[3]);
    }
}

/* ---- flows ---- */

/* 1 when line I is a deportation, drawn: a flow, whose parts end at
 * their destinations. */
static int
is_flow(const rmap *m, size_t i)
{
    const atlas_feature *fe = &m->fl->items[i];
    const char *k = atlas_feature_text(fe, ATLAS_F_KIND);
    return fe->layer == ATLAS_LAYER_LINES && m->sym_r[i] == 0 && k != NULL &&
           strcmp(k, "deportation") == 0;
}

int
render_flow_tips(const rmap *m, size_t i, double *tips, int max)
{
    const atlas_box *f = &m->lay.frame;
    const double *p = m->pxy + 2 * m->off[i];
    size_t n = m->npts[i];
    int got = 0;

    if (!is_flow(m, i))
        return 0;
    /* each part's last point, and a point before it at least 3 px off
     * for the direction */
    for (size_t k = 0; k < n && got < max; k++) {
        if (isnan(p[2 * k]) || (k + 1 < n && !isnan(p[2 * k + 2])))
            continue;
        const double *e = &p[2 * k];
        size_t end = k;
        if (e[0] < f->x || e[0] > f->x + f->w || e[1] < f->y ||
            e[1] > f->y + f->h) {
            /* its destination is off the map: the arrowhead where it
             * leaves the frame, pointing on, so the way still shows */
            size_t q = k;
            while (q > 0 && !isnan(p[2 * (q - 1)]) &&
                   !(p[2 * q] > f->x + 8 && p[2 * q] < f->x + f->w - 8 &&
                     p[2 * q + 1] > f->y + 8 && p[2 * q + 1] < f->y + f->h - 8))
                q--;
            if (q == 0 || isnan(p[2 * (q - 1)]) || q == k)
                continue; /* never in the frame */
            e = &p[2 * q];
            end = q; /* the search below goes back from here */
        }
        size_t j = end;
        while (j > 0 && !isnan(p[2 * (j - 1)]) &&
               hypot(p[2 * j] - e[0], p[2 * j + 1] - e[1]) < 3)
            j--;
        if (j == end || hypot(p[2 * j] - e[0], p[2 * j + 1] - e[1]) < 3)
            continue;
        tips[4 * got] = e[0], tips[4 * got + 1] = e[1];
        tips[4 * got + 2] = p[2 * j], tips[4 * got + 3] = p[2 * j + 1];
        got++;
    }
    return got;
}

void
render_flow_arrows(rmap *m)
{
    cairo_t *cr = m->cr;
    const atlas_box *f = &m->lay.frame;
    rfeat rf = {NULL, m->lang, 0, 0};
    atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
    double tips[4 * 16];

    cairo_save(cr);
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    cairo_clip(cr);
    for (size_t i = 0; i < m->fl->n; i++) {
        int n = render_flow_tips(m, i, tips, 16);
        if (n == 0)
            continue;
        /* the look of the first line layer that drew it */
        const atlas_style_layer *l = NULL;
        rf.fe = &m->fl->items[i];
        for (size_t li = 0; li < atlas_style_n_layers(m->style) && !l; li++) {
            const atlas_style_layer *c = atlas_style_layer_at(m->style, li);
            const char *src = atlas_style_layer_source(c);
            if (atlas_style_layer_type(c) == ATLAS_STYLE_LINE && src != NULL &&
                strcmp(src, "lines") == 0 && atlas_style_layer_visible(c) &&
                atlas_style_layer_filter(c, &ctx))
                l = c;
        }
        if (l == NULL)
            continue;
        atlas_color col = {0, 0, 0, 1};
        double w = 1, op = 1;
        atlas_style_color(l, ATLAS_P_LINE_COLOR, &ctx, &col);
        atlas_style_number(l, ATLAS_P_LINE_WIDTH, &ctx, &w);
        atlas_style_number(l, ATLAS_P_LINE_OPACITY, &ctx, &op);
        /* an open chevron, not a filled triangle: on a black and white
         * map a triangle reads as a transit camp's mark */
        double len = 5 + 2 * w, hw = 3 + 1.1 * w;
        for (int k = 0; k < n; k++) {
            const double *t = &tips[4 * k];
            double dx = t[0] - t[2], dy = t[1] - t[3], d = hypot(dx, dy);
            dx /= d, dy /= d;
            cairo_new_path(cr);
            cairo_move_to(cr, t[0] - dx * len - dy * hw,
                          t[1] - dy * len + dx * hw);
            cairo_line_to(cr, t[0], t[1]);
            cairo_line_to(cr, t[0] - dx * len + dy * hw,
                          t[1] - dy * len - dx * hw);
            cairo_set_line_width(cr, fmax(1, 0.8 * w));
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_set_dash(cr, NULL, 0, 0);
            render_set_color(cr, &col, fmax(op, 0.8));
            cairo_stroke(cr);
        }
    }
    cairo_restore(cr);
}

/* ---- legend ---- */

/* A round number at most V: 1, 2 or 5 times a power of ten. */
static double
nice_floor(double v)
{
    if (!(v > 0))
        return 0;
    double p = pow(10, floor(log10(v)));
    double d = v / p;
    return (d >= 5 ? 5 : d >= 2 ? 2 : 1) * p;
}

/* V with the language's digit grouping ("12,000", "12 000"). */
static void
format_count(const rmap *m, double v, char *buf, size_t size)
{
    if (m->tr != NULL)
        atlas_i18n_number(m->tr, (long long)v, buf, size);
    else
        snprintf(buf, size, "%.0f", v);
}

/* A legend text of the style in M's language: the "legend.*" key whose
 * English is exactly TEXT (a reworded style keeps its English). */
static const char *
legend_text(const rmap *m, const char *text)
{
    return m->tr != NULL ? atlas_i18n_translate(m->tr, "legend.", text) : text;
}

/* 1 when feature I shows inside the frame: a site's point, or a point
 * of a line (densified). */
static int
in_frame_feature(const rmap *m, size_t i)
{
    const atlas_box *f = &m->lay.frame;
    const double *p = m->pxy + 2 * m->off[i];
    for (size_t k = 0; k < m->npts[i]; k++)
        if (!isnan(p[2 * k]) && p[2 * k] >= f->x && p[2 * k] <= f->x + f->w &&
            p[2 * k + 1] >= f->y && p[2 * k + 1] <= f->y + f->h)
            return 1;
    return 0;
}

/* Whether style layer LI has a legend entry on this map: the caller's
 * choice (a series: the same entries on every page), else when it drew
 * a feature that shows in the frame (2026-12: a 1943 map of the west
 * listed a deportation route that was only near it). Basemap layers:
 * when they drew. Computed once, into M->legend_vis. */
static int
legend_shows(rmap *m, size_t li)
{
    size_t nl = atlas_style_n_layers(m->style);
    if (m->o->legend_layers != NULL)
        return m->o->legend_layers[li] != 0;
    if (m->legend_vis == NULL) {
        m->legend_vis = calloc(nl + 1, 1);
        if (m->legend_vis == NULL)
            return m->layer_count[li] > 0; /* as before, rather than none */
        for (size_t j = 0; j < nl; j++) {
            const atlas_style_layer *l = atlas_style_layer_at(m->style, j);
            const char *src = atlas_style_layer_source(l);
            int sites = src != NULL && strcmp(src, "sites") == 0;
            int lines = src != NULL && strcmp(src, "lines") == 0;
            rfeat rf = {NULL, m->lang, 0, 0};
            atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
            if (m->layer_count[j] == 0)
                continue;
            if (!sites && !lines) {
                m->legend_vis[j] = 1;
                continue;
            }
            for (size_t i = 0; i < m->fl->n && !m->legend_vis[j]; i++) {
                const atlas_feature *fe = &m->fl->items[i];
                if ((fe->layer == ATLAS_LAYER_SITES) != sites ||
                    m->sym_r[i] < 0 || !in_frame_feature(m, i))
                    continue;
                rf.fe = fe;
                m->legend_vis[j] = atlas_style_layer_filter(l, &ctx) != 0;
            }
        }
    }
    return m->legend_vis[li];
}

/* The feature a legend swatch of layer LI is drawn with: the layer's
 * first drawn feature as the style sees it (its kind), but always an
 * exact location and no count, so a swatch looks the same on every
 * map and page; a zeroed site or line where the layer drew none. TMP
 * holds it. */
static const atlas_feature *
swatch_feature(const rmap *m, size_t li, const char *precision,
               atlas_feature *tmp)
{
    const atlas_style_layer *l = atlas_style_layer_at(m->style, li);
    const char *src = atlas_style_layer_source(l);
    if (m->layer_count[li] > 0) {
        *tmp = m->fl->items[m->layer_rep[li]];
    } else {
        memset(tmp, 0, sizeof *tmp);
        tmp->layer = src != NULL && strcmp(src, "lines") == 0
                         ? ATLAS_LAYER_LINES
                         : ATLAS_LAYER_SITES;
    }
    tmp->f[ATLAS_F_LOCATION_PRECISION].s = (char *)precision;
    tmp->f[ATLAS_F_LOCATION_PRECISION].is_set = 1;
    tmp->has_prisoners = 0;
    /* no count of people deported either: a flow's swatch at its
     * thinnest */
    tmp->f[ATLAS_F_DEPORTED_MIN].is_set = tmp->f[ATLAS_F_DEPORTED_MAX].is_set =
        0;
    return tmp;
}

int
render_legend_entry(rmap *m, size_t li)
{
    const atlas_style_layer *l = atlas_style_layer_at(m->style, li);
    atlas_layer_type t = atlas_style_layer_type(l);
    return atlas_style_layer_legend(l) != NULL && legend_shows(m, li) &&
           !(t == ATLAS_STYLE_SYMBOL && !render_is_marker(l)) &&
           t != ATLAS_STYLE_BACKGROUND;
}

/* The first circle layer with an entry whose radius follows
 * "prisoners": its index, or -1; the largest count it drew in *PMAX. */
static long
size_layer(rmap *m, double *pmax)
{
    for (size_t li = 0; li < atlas_style_n_layers(m->style); li++) {
        const atlas_style_layer *l = atlas_style_layer_at(m->style, li);
        atlas_feature tmp;
        if (!legend_shows(m, li) ||
            atlas_style_layer_type(l) != ATLAS_STYLE_CIRCLE ||
            atlas_style_is_constant(l, ATLAS_P_CIRCLE_RADIUS) ||
            (m->layer_pmax[li] <= 0 && m->o->legend_max <= 0))
            continue;
        rfeat rf = {swatch_feature(m, li, "exact", &tmp), m->lang, 1, 1000};
        atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
        double r1 = 0, r2 = 0, top = fmax(m->layer_pmax[li], m->o->legend_max);
        atlas_style_number(l, ATLAS_P_CIRCLE_RADIUS, &ctx, &r1);
        rf.prisoners = top;
        atlas_style_number(l, ATLAS_P_CIRCLE_RADIUS, &ctx, &r2);
        if (r2 > r1 + 0.5) {
            *pmax = top;
            return (long)li;
        }
    }
    return -1;
}

/* The three location precisions a layer with a legend note shows as
 * swatches under its entry, and their words. */
static const struct {
    const char *value, *key, *en;
} precisions[3] = {
    {"exact", "legend.precision_exact", "the exact site"},
    {"settlement", "legend.precision_settlement", "the town or village"},
    {"approximate", "legend.precision_approximate", "the approximate area"},
};

/* Draws the circle of layer L for FE centred at CX, CY at radius R (the
 * layer's own paint, its radius scaled to R when it varies). */
static void
swatch_circle(rmap *m, const atlas_style_layer *l, const atlas_feature *fe,
              double cx, double cy, double r)
{
    rfeat rf = {fe, m->lang, 0, 0};
    atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
    double r0 = 0, sww = 0;
    cairo_save(m->cr);
    cairo_new_path(m->cr);
    atlas_style_number(l, ATLAS_P_CIRCLE_RADIUS, &ctx, &r0);
    atlas_style_number(l, ATLAS_P_CIRCLE_STROKE_WIDTH, &ctx, &sww);
    double s =
        atlas_style_is_constant(l, ATLAS_P_CIRCLE_RADIUS) && r0 + sww / 2 <= r
            ? 1
            : r / fmax(r0, 1e-9);
    cairo_translate(m->cr, cx, cy);
    cairo_scale(m->cr, s, s);
    render_circle(m, l, &ctx, 0, 0, NULL);
    cairo_restore(m->cr);
}

/* Lays the legend out at X, Y (top-left); draws when DRAW. One column,
 * or with COLW > 0 columns COLW apart, each at most MAX_H high (an
 * entry taller than that alone). Returns the size in *W, *H (0 when
 * there is nothing to show). */
static void
legend(rmap *m, double x, double y, int draw, double colw, double max_h,
       double *w_out, double *h_out)
{
    cairo_t *cr = m->cr;
    double u = m->lay.unit * (m->legend_k > 0 ? m->legend_k : 1);
    /* the smallest legend text (the size key's, at 0.74 u) no smaller
     * than the map's smallest; rows and swatches grow with it */
    u = fmax(u, m->o->min_text / (0.82 * 0.9));
    double pad = u * 0.6, row = u * 1.45;
    double sw = u * 2.2, ts = u * 0.82;
    double w = 0, h = pad, hmax = 0, tw, th, lx = x;
    int ncol = 1;
    size_t nl = atlas_style_n_layers(m->style);
    double pmax = 0;
    long sl = size_layer(m, &pmax);

    for (size_t li = 0; li < nl; li++) {
        const atlas_style_layer *l = atlas_style_layer_at(m->style, li);
        const char *label = atlas_style_layer_legend(l);
        atlas_layer_type t = atlas_style_layer_type(l);
        atlas_feature tmp;
        if (!render_legend_entry(m, li))
            continue;
        label = legend_text(m, label);
        /* a circle layer with a note on precision: three swatches, one
         * a row, under the entry (2026-12: a 3.7 pt sentence did it) */
        int prec = t == ATLAS_STYLE_CIRCLE &&
                   atlas_style_layer_meta(l, "legend-note") != NULL;
        double nh = prec ? 3 * row * 0.9 : 0, nw = 0;
        for (int k = 0; prec && k < 3; k++) {
            render_text_layout(
                m, render_tr(m, precisions[k].key, precisions[k].en), m->font,
                ts, 0, &tw, &th);
            nw = fmax(nw, sw * 0.6 + tw);
        }
        if (colw > 0 && h > pad && h + row + nh > max_h)
            lx += colw, h = pad, ncol++;
        render_text_layout(m, label, m->font, ts, 0, &tw, &th);
        w = fmax(w, sw + pad * 0.8 + fmax(tw, nw));
        if (draw) {
            double cy = y + h + row / 2;
            const char *src = atlas_style_layer_source(l);
            int data =
                src && (strcmp(src, "sites") == 0 || strcmp(src, "lines") == 0);
            rfeat rf = {NULL, m->lang, 0, 0};
            if (data)
                rf.fe = swatch_feature(m, li, "exact", &tmp);
            atlas_eval_ctx ctx = {data ? render_getter : NULL,
                                  data ? &rf : NULL, m->zoom};
            cairo_save(cr);
            cairo_new_path(cr);
            if (t == ATLAS_STYLE_CIRCLE) {
                /* the layer's own paint at one radius on every map: the
                 * size key shows sizes */
                swatch_circle(m, l, rf.fe, lx + pad + sw / 2, cy, row * 0.3);
            } else if (t == ATLAS_STYLE_SYMBOL) {
                render_marker(m, l, &ctx, lx + pad + sw / 2, cy, NULL);
            } else if (t == ATLAS_STYLE_LINE) {
                cairo_move_to(cr, lx + pad, cy);
                cairo_line_to(cr, lx + pad + sw, cy);
                render_stroke_layer(m, l, &ctx);
                /* Layers drawn into this swatch (railway ties). */
                for (size_t wi = 0; wi < nl; wi++) {
                    const atlas_style_layer *wl =
                        atlas_style_layer_at(m->style, wi);
                    const char *with =
                        atlas_style_layer_meta(wl, "legend-with");
                    if (with == NULL || m->layer_count[wi] == 0 ||
                        strcmp(with, atlas_style_layer_id(l)) != 0 ||
                        atlas_style_layer_type(wl) != ATLAS_STYLE_LINE)
                        continue;
                    cairo_move_to(cr, lx + pad, cy);
                    cairo_line_to(cr, lx + pad + sw, cy);
                    render_stroke_layer(m, wl, &ctx);
                }
            } else if (t == ATLAS_STYLE_FILL) {
                atlas_color c = {0.5, 0.5, 0.5, 1};
                double op = 1;
                atlas_style_color(l, ATLAS_P_FILL_COLOR, &ctx, &c);
                atlas_style_number(l, ATLAS_P_FILL_OPACITY, &ctx, &op);
                cairo_rectangle(cr, lx + pad, cy - row * 0.3, sw, row * 0.6);
                render_set_color(cr, &c, op);
                cairo_fill_preserve(cr);
                cairo_set_line_width(cr, 0.5);
                render_set_color(cr, &grey, 1);
                cairo_stroke(cr);
            }
            cairo_restore(cr);
            render_text_layout(m, label, m->font, ts, 0, &tw, &th);
            render_text_draw(m, lx + pad + sw + pad * 0.8, cy - th / 2, &ink,
                             NULL, 0);
            for (int k = 0; prec && k < 3; k++) {
                double ky = y + h + row + row * 0.9 * (k + 0.5);
                double kx = lx + pad + sw + pad * 0.8;
                swatch_circle(m, l,
                              swatch_feature(m, li, precisions[k].value, &tmp),
                              kx + row * 0.3, ky, row * 0.3);
                render_text_layout(
                    m, render_tr(m, precisions[k].key, precisions[k].en),
                    m->font, ts, 0, &tw, &th);
                render_text_draw(m, kx + sw * 0.6, ky - th / 2, &ink, NULL, 0);
            }
        }
        h += row + nh;
        hmax = fmax(hmax, h);
    }
    if (sl >= 0) {
        /* Size key: two or three nested circles of round counts. */
        const atlas_style_layer *l = atlas_style_layer_at(m->style, (size_t)sl);
        atlas_feature tmp;
        rfeat rf = {swatch_feature(m, (size_t)sl, "exact", &tmp), m->lang, 1,
                    0};
        atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
        double vals[3], rads[3], rmax = 0;
        int nv = 0;
        char head[128], num[32];
        /* 100,000 / 50,000 / 10,000: round steps of a fixed top (a
         * series') or the largest count drawn */
        double top = nice_floor(m->o->legend_max > 0 ? m->o->legend_max : pmax);
        double cand[3] = {top, nice_floor(top / 2), nice_floor(top / 10)};
        for (int i = 0; i < 3; i++) {
            double r = 0;
            rf.prisoners = cand[i];
            atlas_style_number(l, ATLAS_P_CIRCLE_RADIUS, &ctx, &r);
            if (r < 1.5 || (nv > 0 && (cand[i] >= vals[nv - 1] ||
                                       2 * (rads[nv - 1] - r) < ts * 1.1)))
                continue;
            vals[nv] = cand[i];
            rads[nv++] = r;
            rmax = fmax(rmax, r);
        }
        if (draw) { /* for --debug-labels */
            m->n_legend_keys = nv;
            memcpy(m->legend_keys, vals, sizeof vals);
        }
        if (m->o->year_from != 0 && m->o->year_from == m->o->year_to) {
            char yr[16];
            const char *vars[] = {"year", yr, NULL};
            snprintf(yr, sizeof yr, "%d", m->o->year_from);
            if (m->tr != NULL)
                atlas_i18n_format(m->tr, "map.prisoners_year", head,
                                  sizeof head, vars);
            else
                snprintf(head, sizeof head, "Prisoners, %s", yr);
        } else {
            snprintf(
                head, sizeof head, "%s",
                render_tr(m, "map.prisoners_max", "Prisoners (largest count)"));
        }
        if (colw > 0 && h > pad && h + row * 1.1 + 2 * rmax + row * 0.4 > max_h)
            lx += colw, h = pad, ncol++;
        render_text_layout(m, head, m->font, ts, 1, &tw, &th);
        if (draw)
            render_text_draw(m, lx + pad, y + h + row * 0.2, &ink, NULL, 0);
        w = fmax(w, tw);
        h += row * 1.1;
        double cx = lx + pad + rmax, base = y + h + 2 * rmax;
        double lw = 0;
        for (int i = 0; i < nv; i++) {
            format_count(m, vals[i], num, sizeof num);
            render_text_layout(m, num, m->font, ts * 0.9, 0, &tw, &th);
            lw = fmax(lw, tw);
            if (!draw)
                continue;
            double cy = base - rads[i];
            cairo_save(cr);
            cairo_new_path(cr);
            cairo_arc(cr, cx, cy, rads[i], 0, 2 * M_PI);
            cairo_set_line_width(cr, 0.8);
            render_set_color(cr, &grey, 1);
            cairo_stroke(cr);
            cairo_move_to(cr, cx, base - 2 * rads[i]);
            cairo_line_to(cr, cx + rmax + pad * 1.2, base - 2 * rads[i]);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
            cairo_restore(cr);
            render_text_draw(m, cx + rmax + pad * 1.5,
                             base - 2 * rads[i] - th / 2, &ink, NULL, 0);
        }
        w = fmax(w, 2 * rmax + pad * 1.5 + lw);
        h += 2 * rmax + row * 0.4;
        hmax = fmax(hmax, h);
    }
    if (w == 0) {
        *w_out = *h_out = 0;
        return;
    }
    *w_out = (ncol - 1) * colw + w + 2 * pad;
    *h_out = hmax + pad * 0.5;
}

int
render_box_hides(const rmap *m, const atlas_box *b, size_t i)
{
    const double *p = m->pxy + 2 * m->off[i];
    const atlas_box *f = &m->lay.frame;
    size_t in = 0, vis = 0;

    if (m->npts[i] == 0 || b->w == 0)
        return 0;
    if (m->fl->items[i].layer == ATLAS_LAYER_SITES) {
        double r = m->sym_r[i];
        return r >= 0 && !isnan(p[0]) && p[0] + r > b->x &&
               p[0] - r < b->x + b->w && p[1] + r > b->y &&
               p[1] - r < b->y + b->h;
    }
    /* a line hides when most of its visible run is under the box */
    for (size_t k = 0; k < m->npts[i]; k++) {
        double x = p[2 * k], y = p[2 * k + 1];
        if (isnan(x) || x < f->x || x > f->x + f->w || y < f->y ||
            y > f->y + f->h)
            continue;
        vis++;
        in += x > b->x && x < b->x + b->w && y > b->y && y < b->y + b->h;
    }
    return vis > 0 && in * 2 > vis;
}

static size_t
box_hides(const rmap *m, const atlas_box *b)
{
    size_t n = 0;
    for (size_t i = 0; i < m->fl->n; i++)
        n += (size_t)render_box_hides(m, b, i);
    return n;
}

/* The legend in columns in the band under the frame, as few rows as
 * the band's width allows; its text smaller when it does not fit, none
 * when it does not fit at half size. */
static void
legend_below_box(rmap *m)
{
    const atlas_box *b = &m->band;
    double w1, h1, w = 0, h = 0;

    for (m->legend_k = 1; m->legend_k > 0.5; m->legend_k *= 0.9) {
        legend(m, 0, 0, 0, 0, 0, &w1, &h1);
        if (w1 == 0)
            break; /* nothing to show */
        if (w1 > b->w)
            continue;
        /* the lowest column height that fits the band's width */
        int ncol = (int)floor(b->w / w1);
        double mh = h1 / ncol, step = m->lay.unit * m->legend_k * 0.5;
        for (; mh < h1 + step; mh += step) {
            legend(m, 0, 0, 0, w1, mh, &w, &h);
            if (w <= b->w)
                break;
        }
        if (w <= b->w && h <= b->h) {
            m->legend = (atlas_box){b->x, b->y, w, h};
            m->legend_colw = w1;
            m->legend_maxh = mh;
            return;
        }
    }
    m->legend_k = 1;
    m->legend.w = 0;
}

atlas_status
render_legend_box(rmap *m, atlas_error *err)
{
    const atlas_box *f = &m->lay.frame;
    double w, h, gap = m->lay.unit * 0.6;

    if (m->band.h > 0) {
        legend_below_box(m);
        return ATLAS_OK; /* outside the frame: no obstacle for labels */
    }
    legend(m, 0, 0, 0, 0, 0, &w, &h);
    if (w == 0 || w > f->w - 2 * gap || h > f->h - 2 * gap) {
        m->legend.w = 0; /* nothing to show, or no room: none */
        return ATLAS_OK;
    }
    /* The corner that hides no feature: bottom left first, then top
     * left, top right, and bottom right (the scale bar's) only without a
     * scale bar; else a place along an edge that hides none (2026-12: in
     * 1944 the legend hid deportations); else the place hiding the
     * fewest. Ties keep that order. */
    enum { N_ALONG = 7 };
    atlas_box corner[4 + 4 * N_ALONG];
    int n_c = 0;
    double x0 = f->x + gap, x1 = f->x + f->w - gap - w;
    double y0 = f->y + gap, y1 = f->y + f->h - gap - h;
    corner[n_c++] = (atlas_box){x0, y1, w, h};
    corner[n_c++] = (atlas_box){x0, y0, w, h};
    corner[n_c++] = (atlas_box){x1, y0, w, h};
    if (m->o->no_scale)
        corner[n_c++] = (atlas_box){x1, y1, w, h};
    for (int k = 1; k <= N_ALONG; k++) {
        double t = (double)k / (N_ALONG + 1);
        corner[n_c++] = (atlas_box){x0, y0 + t * (y1 - y0), w, h}; /* left */
        corner[n_c++] = (atlas_box){x0 + t * (x1 - x0), y0, w, h}; /* top */
        corner[n_c++] = (atlas_box){x1, y0 + t * (y1 - y0), w, h}; /* right */
        /* the bottom, clear of the scale bar's corner */
        if (m->o->no_scale || x0 + t * (x1 - x0) + w < f->x + f->w * 0.6)
            corner[n_c++] = (atlas_box){x0 + t * (x1 - x0), y1, w, h};
    }
    size_t best_n = SIZE_MAX;
    int best = 0;
    for (int c = 0; c < n_c && best_n > 0; c++) {
        size_t n = box_hides(m, &corner[c]);
        if (n < best_n)
            best_n = n, best = c;
    }
    m->legend = corner[best];
    if (rgrid_add(&m->grid, m->legend.x, m->legend.y, m->legend.x + m->legend.w,
                  m->legend.y + m->legend.h) != 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    return ATLAS_OK;
}

void
render_legend_draw(rmap *m)
{
    cairo_t *cr = m->cr;
    double w, h;
    if (m->legend.w == 0)
        return;
    if (m->band.h > 0) { /* under the frame, on the paper: no box */
        legend(m, m->legend.x, m->legend.y, 1, m->legend_colw, m->legend_maxh,
               &w, &h);
        return;
    }
    cairo_save(cr);
    cairo_rectangle(cr, m->legend.x, m->legend.y, m->legend.w, m->legend.h);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 0.6);
    render_set_color(cr, &grey, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
    legend(m, m->legend.x, m->legend.y, 1, 0, 0, &w, &h);
}

/* ---- scale bar ---- */

void
render_scale_bar(rmap *m)
{
    cairo_t *cr = m->cr;
    const atlas_box *f = &m->lay.frame;
    double cx = (m->ext[0] + m->ext[2]) / 2, cy = (m->ext[1] + m->ext[3]) / 2;
    double gpu = atlas_proj_ground_per_unit(m->proj, cx, cy,
                                            (m->ext[2] - m->ext[0]) / 100);
    double u = m->lay.unit, ts = u * 0.75, pad = u * 0.5;
    double mpp, km, len, tw, th, w0, h0, bx, by, bh = u * 0.35;
    char text[64];

    if (!(gpu > 0) || !isfinite(gpu))
        return;
    mpp = gpu / m->sc; /* ground metres per page px at the centre */
    km = nice_floor(f->w * 0.18 * mpp / 1000);
    if (!(km > 0))
        return;
    len = km * 1000 / mpp;
    {
        char n[32];
        const char *vars[] = {"n", n, NULL};
        format_count(m, km >= 1 ? km : km * 1000, n, sizeof n);
        if (m->tr != NULL)
            atlas_i18n_format(m->tr, km >= 1 ? "map.km" : "map.m", text,
                              sizeof text, vars);
        else
            snprintf(text, sizeof text, "%s %s", n, km >= 1 ? "km" : "m");
    }
    render_text_layout(m, text, m->font, ts, 0, &tw, &th);
    w0 = len + tw + 3 * pad;
    h0 = fmax(th, bh) + 2 * pad;
    bx = f->x + f->w - u * 0.6 - w0;
    by = f->y + f->h - u * 0.6 - h0;
    if (bx < f->x + f->w / 2)
        return;
    m->scale = (atlas_box){bx, by, w0, h0};
    rgrid_add(&m->grid, bx, by, bx + w0, by + h0);
    cairo_save(cr);
    cairo_rectangle(cr, bx, by, w0, h0);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_fill(cr);
    double yb = by + (h0 - bh) / 2;
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, bx + pad + len * i / 4, yb, len / 4, bh);
        render_set_color(cr, i % 2 ? &white : &ink, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, bx + pad, yb, len, bh);
    cairo_set_line_width(cr, 0.6);
    render_set_color(cr, &ink, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
    render_text_layout(m, text, m->font, ts, 0, &tw, &th);
    render_text_draw(m, bx + 2 * pad + len, by + (h0 - th) / 2, &ink, NULL, 0);
}

/* ---- title, foot, frame ---- */

static const struct {
    const char *lang, *title;
} titles[] = {
    {"en", "Soviet repression sites"},
    {"ru", "Места советских репрессий"},
    {"uk", "Місця радянських репресій"},
    {"pl", "Miejsca represji sowieckich"},
    {"lt", "Sovietinių represijų vietos"},
    {"lv", "Padomju represiju vietas"},
    {"et", "Nõukogude repressioonide paigad"},
};

void
render_title(rmap *m)
{
    const atlas_box *t = &m->lay.title;
    const char *title = m->o->title;
    double u = m->lay.unit, tw, th;
    char sub[512];
    size_t n = 0;

    for (size_t i = 0; title == NULL && i < sizeof titles / sizeof titles[0];
         i++)
        if (strcmp(titles[i].lang, m->lang) == 0)
            title = titles[i].title;
    if (title == NULL)
        title = titles[0].title;
    pango_layout_set_width(m->pl, (int)(t->w * PANGO_SCALE));
    pango_layout_set_ellipsize(m->pl, PANGO_ELLIPSIZE_END);
    render_text_layout(m, title, m->font, u * 1.6, 1, &tw, &th);
    render_text_draw(m, t->x, t->y, &ink, NULL, 0);
    sub[0] = '\0';
    if (m->o->subtitle != NULL)
        snprintf(sub, sizeof sub, "%s", m->o->subtitle);
    else if (m->o->year_from != 0 && m->o->year_from == m->o->year_to)
        n += (size_t)snprintf(sub, sizeof sub, "%d", m->o->year_from);
    else if (m->o->year_from != 0)
        n += (size_t)snprintf(sub, sizeof sub, "%d\u2013%d", m->o->year_from,
                              m->o->year_to);
    if (m->o->subtitle == NULL && m->o->filter != NULL && n < sizeof sub) {
        /* "camp,prison": each kind's name in the reader's language */
        const char *f = m->o->filter;
        int first = 1;
        while (*f != '\0' && n < sizeof sub) {
            size_t k = strcspn(f, ",");
            char key[64];
            snprintf(key, sizeof key, "kind.%.*s", (int)(k < 40 ? k : 40), f);
            const char *word = render_tr(m, key, key);
            if (word == key || strcmp(word, key) == 0)
                n += (size_t)snprintf(sub + n, sizeof sub - n, "%s%.*s",
                                      first ? (n ? " \u00b7 " : "") : ", ",
                                      (int)k, f);
            else
                n += (size_t)snprintf(sub + n, sizeof sub - n, "%s%s",
                                      first ? (n ? " \u00b7 " : "") : ", ",
                                      word);
            first = 0;
            f += k;
            if (*f == ',')
                f++;
        }
    }
    if (sub[0] != '\0') {
        double sw, sh;
        render_text_layout(m, sub, m->font, u * 0.95, 0, &sw, &sh);
        render_text_draw(m, t->x, t->y + th, &grey, NULL, 0);
    }
    pango_layout_set_width(m->pl, -1);
    pango_layout_set_ellipsize(m->pl, PANGO_ELLIPSIZE_NONE);
}

void
render_foot(rmap *m)
{
    const atlas_box *b = &m->lay.foot;
    char text[1024];
    double tw, th;

    char src[512] = "";
    if (m->o->sources != NULL) {
        snprintf(src, sizeof src, " Sources: %s", m->o->sources);
    } else if (m->o->n_sources > 0) {
        char n[32];
        const char *vars[] = {"n", n, NULL};
        snprintf(n, sizeof n, "%d", m->o->n_sources);
        src[0] = ' ';
        if (m->tr != NULL)
            atlas_i18n_format(m->tr, "map.sources", src + 1, sizeof src - 1,
                              vars);
        else
            snprintf(src + 1, sizeof src - 1,
                     "Sources: %s works cited for the features shown.", n);
    }
    char borders[600];
    snprintf(
        text, sizeof text, "%s%s",
        atlas_render_borders_note(m->o->period, m->tr, m->period_occupied,
                                  borders, sizeof borders),
        src);
    pango_layout_set_width(m->pl, (int)(b->w * PANGO_SCALE));
    pango_layout_set_ellipsize(m->pl, PANGO_ELLIPSIZE_END);
    render_text_layout(m, text, m->font, m->lay.unit * 0.72, 0, &tw, &th);
    render_text_draw(m, b->x, b->y + (b->h - th) / 2 + m->lay.unit * 0.15,
                     &grey, NULL, 0);
    pango_layout_set_width(m->pl, -1);
    pango_layout_set_ellipsize(m->pl, PANGO_ELLIPSIZE_NONE);
}

void
render_frame(rmap *m)
{
    cairo_t *cr = m->cr;
    const atlas_box *f = &m->lay.frame;
    cairo_save(cr);
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    cairo_set_line_width(cr, 0.8);
    render_set_color(cr, &ink, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
}
