/* render_private.h: what the render_*.c files share: the state of one map
 * being drawn, the collision grid and the drawing helpers. Nothing outside
 * render*.c includes it. */
#ifndef ATLAS_RENDER_PRIVATE_H
#define ATLAS_RENDER_PRIVATE_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stddef.h>

#include "basemap.h"
#include "layout.h"
#include "proj.h"
#include "render.h"

/* A collision grid: rectangles binned into square cells, so a test looks
 * at a few cells, not at every label placed (100k features stay fast). */
typedef struct rgrid {
    double x0, y0, cell;
    int nx, ny;
    int *head;     /* nx * ny: first link of each cell, -1 none */
    double *rects; /* x0, y0, x1, y1 each */
    size_t n_rects, cap_rects;
    int *links; /* rect, next pairs */
    size_t n_links, cap_links;
} rgrid;

int rgrid_init(rgrid *g, const atlas_box *area, double cell);
void rgrid_free(rgrid *g);
/* 1 when the rectangle overlaps one added before. */
int rgrid_hits(const rgrid *g, double x0, double y0, double x1, double y1);
/* The area the rectangle shares with those added before (a rectangle
 * across several cells counts once a cell: a measure, not a sum). */
double rgrid_overlap(const rgrid *g, double x0, double y0, double x1,
                     double y1);
/* Adds a rectangle; -1 when out of memory. */
int rgrid_add(rgrid *g, double x0, double y0, double x1, double y1);

/* A feature as style expressions see it: FE, names in LANG, and the
 * prisoner count replaced by PRISONERS when OVERRIDE (legend circles). */
typedef struct rfeat {
    const atlas_feature *fe;
    const char *lang;
    int override;
    double prisoners;
} rfeat;

int render_getter(const void *obj, const char *name, atlas_value *out);

/* A label placed or dropped, for drawing and --debug-labels. */
typedef struct rlabel {
    size_t feature;
    const atlas_style_layer *layer;
    double key;            /* symbol-sort-key */
    double x0, y0, x1, y1; /* placed box (page px) */
    const char *drop;      /* why it was dropped, NULL when placed */
    const char *fallback;  /* a map number placed away from its site
                            * ("leader") or over others ("overlap") */
    int number;            /* a map number: never dropped */
    int must;              /* a name never dropped: RLABEL_SIGNIFICANT or
                            * RLABEL_LARGEST; 0 for the others */
    double ax, ay;         /* the site, for a leader line */
    double leader[4];      /* its ends: the symbol's edge, the box's */
    char *text;
    /* its look */
    const char *font;
    double size, halo_w;
    atlas_color color, halo;
    double tx, ty; /* where the layout's origin goes */
} rlabel;

enum { RLABEL_SIGNIFICANT = 1, RLABEL_LARGEST = 2 };

/* A mark drawn by a marker layer, for --debug-labels. */
typedef struct rmark {
    size_t feature;
    const atlas_style_layer *layer;
    double x, y;
} rmark;

/* A line of the graticule, for its label and --debug-labels. */
typedef struct rgrat {
    int meridian;     /* 1: a meridian, 0: a parallel */
    double deg;       /* its longitude or latitude */
    double *pts;      /* page px, N points, NAN at a gap */
    size_t n;
    char text[16];    /* "60°E" */
    int placed;       /* its label drawn at BOX */
    double box[4];    /* x0, y0, x1, y1 */
    double cross[2];  /* where the line meets the frame's EDGE there */
    const char *edge; /* "bottom", "top", "left", "right"; NULL: no
                       * crossing */
    const char *drop; /* why it has no label, NULL when placed */
} rgrat;

/* One map being drawn. */
typedef struct rmap {
    cairo_t *cr;
    const atlas_render_opts *o;
    const atlas_style *style;
    const atlas_feature_list *fl;
    atlas_basemap *bm;
    atlas_proj *proj;
    atlas_map_layout lay;
    const char *lang;
    const char *font;
    const atlas_i18n *tr; /* O's, or OWN_TR; NULL: English built in */
    atlas_i18n *own_tr;
    double ext[4]; /* map units shown in the frame: x0, y0, x1, y1 */
    double sc;     /* page px per map unit */
    double zoom;   /* the MapLibre zoom of this scale, for expressions */
    /* features projected to page px, lines densified: feature i's
     * points are pxy[2 * off[i] ...], n_pxy[i] of them; parts at
     * poff[] (lines), NAN where a point does not project */
    double *pxy;
    size_t *off, *npts;
    float *sym_r;        /* radius of the largest symbol drawn per feature, -1;
                          * a line drawn: 0 */
    size_t *layer_count; /* per style layer: features drawn */
    size_t *layer_rep;   /* per style layer: a feature drawn (first) */
    double *layer_pmax;  /* per style layer: largest prisoners drawn */
    rgrid grid;
    /* lines drawn, as obstacles for labels: segment k's bounding box is
     * rect k of SEG_GRID, its ends SEG[4 * k ...] (x0, y0, x1, y1) */
    rgrid seg_grid;
    double *seg;
    rlabel *labels;
    size_t n_labels;
    rmark *marks;
    size_t n_marks, cap_marks;
    atlas_box legend; /* where the legend went (w 0: none) */
    atlas_box band;   /* O->legend_below: the band under the frame */
    double legend_k;  /* legend text scale (1; less to fit the band) */
    double legend_colw, legend_maxh; /* its columns in the band, or 0 */
    atlas_box scale;                 /* where the scale bar went */
    rgrat *grat;                     /* the graticule's lines */
    unsigned char *legend_vis;       /* per style layer: in the legend */
    double legend_keys[3];           /* the size key's counts drawn */
    int n_legend_keys;
    size_t n_grat;
    double **bpxy;           /* render_period.c: borders in page px */
    size_t n_period_labels;  /* names of places and countries placed */
    int period_first;        /* placing the names before the site labels */
    rgrid period_syms;       /* the sites' symbols, for that first pass */
    int period_occupied;     /* an occupied area was drawn in the frame */
    struct rinset *insets;  /* render_inset.c: insets drawn */
    const unsigned char *inset_skip; /* an inset's: per feature, 1 when
                                      * the map names it, not the inset */
    size_t n_insets;
    PangoLayout *pl;                 /* one layout reused for all text */
    PangoFontDescription *fd;
} rmap;

/* Page px of map point (X, Y). */
static inline void
rmap_to_page(const rmap *m, double x, double y, double *px, double *py)
{
    *px = m->lay.frame.x + (x - m->ext[0]) * m->sc;
    *py = m->lay.frame.y + (m->ext[3] - y) * m->sc;
}

/* Sets M's layout to TEXT in FONT at SIZE px (weight bold when BOLD).
 * Returns the logical size in *W, *H. */
void render_text_layout(rmap *m, const char *text, const char *font,
                        double size, int bold, double *w, double *h);
/* Draws M's current layout at X, Y (top-left) in COLOR with a HALO of
 * width HW (0: none). */
void render_text_draw(rmap *m, double x, double y, const atlas_color *color,
                      const atlas_color *halo, double hw);

/* The text of KEY in M's language, or EN when there are no language
 * files. */
const char *render_tr(const rmap *m, const char *key, const char *en);

/* render_label.c */
atlas_status render_labels_collect(rmap *m, atlas_error *err);
atlas_status render_labels_place(rmap *m, atlas_error *err);
void render_labels_draw(rmap *m);
atlas_status render_labels_debug(rmap *m, const char *path, double k,
                                 atlas_error *err);
void render_labels_free(rmap *m);

/* render_furniture.c */
void render_graticule(rmap *m, const atlas_style_layer *l);
/* Labels the lines render_graticule() drew where they meet the frame,
 * clear of the legend, the scale bar and every label placed. */
void render_graticule_labels(rmap *m);
void render_graticule_free(rmap *m);
atlas_status render_legend_box(rmap *m, atlas_error *err);
/* 1 when box B hides feature I: a site whose symbol it touches, a line
 * mostly under it. */
int render_box_hides(const rmap *m, const atlas_box *b, size_t i);
void render_legend_draw(rmap *m);
/* 1 when style layer LI has an entry in M's legend. */
int render_legend_entry(rmap *m, size_t li);
/* The arrowheads of deportation I, at the ends of its parts that show
 * (or where a part leaves the frame for a destination off the map)
 * in the frame: up to MAX of them into TIPS (tip x, y, then a point
 * behind it on the line); returns how many. */
int render_flow_tips(const rmap *m, size_t i, double *tips, int max);
/* Draws them, in the look of the line (after the data layers). */
void render_flow_arrows(rmap *m);
void render_scale_bar(rmap *m);
void render_title(rmap *m);
void render_foot(rmap *m);
void render_frame(rmap *m);

/* render_inset.c: picks the insets M needs and a place for each that
 * hides no feature, the legend or the scale bar; outlines their areas
 * on M and keeps labels out of them. Then draws them, each a map of
 * its own (M's numbers and language), and frees them. */
atlas_status render_insets_place(rmap *m, atlas_error *err);
atlas_status render_insets_draw(rmap *m, atlas_error *err);
void render_insets_free(rmap *m);
/* 1 when site I is not to be named on M: on a map, it lies in the area
 * an inset enlarges and is named there; on an inset, the map names it
 * (its name would overlap others in the inset). */
int render_inset_shows(const rmap *m, size_t i);
/* Inset K (< M->n_insets)'s map, for --debug-labels. */
const rmap *render_inset_map(const rmap *m, size_t k);
/* render.c: a whole map into AREA of M->cr (M zeroed but for cr, o,
 * style and fl), and its release. */
atlas_status render_map_draw(rmap *m, const atlas_box *area, atlas_error *err);
void render_map_free(rmap *m);

/* render_period.c: the borders of the period for a "period" fill or line
 * layer L (returns how many were drawn); the names of countries and
 * places, after the site labels; what it kept. */
size_t render_period_layer(rmap *m, const atlas_style_layer *l);
atlas_status render_period_labels(rmap *m, int first, atlas_error *err);
void render_period_free(rmap *m);
/* render.c: adds the parts of PXY (N page points, NAN breaks) to the
 * path, rings when CLOSE; parts wholly outside the frame are left out.
 * Returns how many went in. */
size_t render_add_path(rmap *m, const double *pxy, size_t n,
                       const size_t *parts, size_t n_parts, int close);
/* render.c: paint a path with a style layer's line paint. */
void render_stroke_layer(rmap *m, const atlas_style_layer *l,
                         const atlas_eval_ctx *ctx);
void render_circle(rmap *m, const atlas_style_layer *l,
                   const atlas_eval_ctx *ctx, double x, double y,
                   double *r_out);
void render_set_color(cairo_t *cr, const atlas_color *c, double opacity);
/* 1 when L is a symbol layer of sites whose text is a constant (a glyph
 * such as a prison's square): a mark drawn on every site, not a label. */
int render_is_marker(const atlas_style_layer *l);
/* Draws L's glyph centred on X, Y; its radius (half the larger side of
 * the ink) in *R_OUT. */
void render_marker(rmap *m, const atlas_style_layer *l,
                   const atlas_eval_ctx *ctx, double x, double y,
                   double *r_out);

#endif /* ATLAS_RENDER_PRIVATE_H */
