/* render_inset.c: insets, small framed maps at a larger scale of the
 * clusters a map cannot label at its own scale (Moscow, Leningrad, Lviv,
 * the Kuzbass: atlas_proj_inset()). Picks which a map needs, a place for
 * each inside the frame that hides no feature, the legend or the scale
 * bar, outlines the enlarged area on the map, and draws each inset as a
 * map of its own with render_map_draw(), the same style, language and
 * numbers. Of labels it knows only which names go where: an inset that
 * would set names over one another gives those back to the map, and one
 * that would set a number so, or a name over the map, is not drawn. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_private.h"

/* One inset of a map: its preset, its box on the page, the area it
 * enlarges as the main map shows it, and its own map. */
typedef struct rinset {
    const atlas_inset_preset *preset;
    atlas_box box;     /* the inset, page px */
    atlas_box outline; /* its area on the main map, page px */
    atlas_render_opts opts;
    unsigned char *skip; /* per feature: 1 when not named in the inset */
    rmap map;
} rinset;

static const atlas_color ink = {0.15, 0.15, 0.15, 1};

static int
boxes_meet(const atlas_box *a, const atlas_box *b)
{
    return a->w > 0 && b->w > 0 && a->x < b->x + b->w && b->x < a->x + a->w &&
           a->y < b->y + b->h && b->y < a->y + a->h;
}

/* 1 when NAME is one of the comma-separated LIST. */
static int
in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p += len + (e != NULL);
    }
    return 0;
}

/* Checks that every name of LIST is a preset; fills ERR if not. */
static atlas_status
check_list(const char *list, atlas_error *err)
{
    for (const char *p = list; *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        size_t i;
        for (i = 0; atlas_proj_inset_at(i) != NULL; i++) {
            const char *nm = atlas_proj_inset_at(i)->name;
            if (strlen(nm) == len && strncmp(p, nm, len) == 0)
                break;
        }
        if (atlas_proj_inset_at(i) == NULL)
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "--inset: \"%.*s\": expected moscow, "
                                   "leningrad, lviv or kuzbass",
                                   (int)(len > 40 ? 40 : len), p);
        p += len + (e != NULL);
    }
    return ATLAS_OK;
}

/* The area of preset P on M's page, or w 0 when it does not lie wholly
 * inside the frame. */
static atlas_box
outline_of(const rmap *m, const atlas_inset_preset *p)
{
    double pb[4], x0, y0, x1, y1;
    const atlas_box *f = &m->lay.frame;

    if (atlas_proj_bbox(m->proj, p->bbox, pb) != 0)
        return (atlas_box){0, 0, 0, 0};
    rmap_to_page(m, pb[0], pb[3], &x0, &y0);
    rmap_to_page(m, pb[2], pb[1], &x1, &y1);
    if (!(x0 >= f->x && y0 >= f->y && x1 <= f->x + f->w && y1 <= f->y + f->h &&
          x1 > x0 && y1 > y0))
        return (atlas_box){0, 0, 0, 0};
    return (atlas_box){x0, y0, x1 - x0, y1 - y0};
}

/* How many features M drew whose site (a line's first point) is in B. */
static size_t
n_in(const rmap *m, const atlas_box *b)
{
    size_t n = 0;
    for (size_t i = 0; i < m->fl->n; i++) {
        const double *p = m->pxy + 2 * m->off[i];
        if (m->npts[i] == 0 || isnan(p[0]) || m->sym_r[i] < 0)
            continue;
        n += p[0] >= b->x && p[0] <= b->x + b->w && p[1] >= b->y &&
             p[1] <= b->y + b->h;
    }
    return n;
}

/* 1 when box B of M is free for an inset: it hides no feature, meets
 * neither the legend, the scale bar, the area OUTLINE it enlarges nor an
 * inset placed before. */
static int
box_free(const rmap *m, const atlas_box *b, const atlas_box *outline)
{
    if (boxes_meet(b, &m->legend) || boxes_meet(b, &m->scale) ||
        boxes_meet(b, outline))
        return 0;
    for (size_t k = 0; k < m->n_insets; k++)
        if (boxes_meet(b, &m->insets[k].box) ||
            boxes_meet(b, &m->insets[k].outline))
            return 0;
    for (size_t i = 0; i < m->fl->n; i++)
        if (render_box_hides(m, b, i))
            return 0;
    return 1;
}

/* A place of W x H in M's frame that box_free() accepts: the corners
 * first (top right, top left, bottom right, bottom left), then along the
 * edges; 0 when there is none. */
static int
find_place(const rmap *m, double w, double h, const atlas_box *outline,
           atlas_box *out)
{
    enum { N_ALONG = 7 };
    const atlas_box *f = &m->lay.frame;
    double gap = m->lay.unit * 0.6;
    double x0 = f->x + gap, x1 = f->x + f->w - gap - w;
    double y0 = f->y + gap, y1 = f->y + f->h - gap - h;
    atlas_box c[4 + 4 * N_ALONG];
    int n = 0;

    if (x1 < x0 || y1 < y0)
        return 0;
    c[n++] = (atlas_box){x1, y0, w, h};
    c[n++] = (atlas_box){x0, y0, w, h};
    c[n++] = (atlas_box){x1, y1, w, h};
    c[n++] = (atlas_box){x0, y1, w, h};
    for (int k = 1; k <= N_ALONG; k++) {
        double t = (double)k / (N_ALONG + 1);
        c[n++] = (atlas_box){x0 + t * (x1 - x0), y0, w, h};
        c[n++] = (atlas_box){x1, y0 + t * (y1 - y0), w, h};
        c[n++] = (atlas_box){x0, y0 + t * (y1 - y0), w, h};
        c[n++] = (atlas_box){x0 + t * (x1 - x0), y1, w, h};
    }
    for (int k = 0; k < n; k++)
        if (box_free(m, &c[k], outline)) {
            *out = c[k];
            return 1;
        }
    return 0;
}

/* IN's options: O's, for the area of P alone, without furniture. */
static void
inset_opts(rinset *in, const atlas_render_opts *o, const atlas_inset_preset *p)
{
    in->preset = p;
    in->opts = *o;
    in->opts.extent = NULL;
    in->opts.has_bbox = 1;
    memcpy(in->opts.bbox, p->bbox, sizeof in->opts.bbox);
    in->opts.proj = NULL;
    in->opts.no_legend = in->opts.no_title = in->opts.no_scale = 1;
    in->opts.no_graticule = in->opts.no_attribution = 1;
    in->opts.no_insets = 1;
    in->opts.inset_name = p->name;
    in->opts.debug_labels = NULL;
    in->opts.legend_below = 0;
    in->opts.legend_out = NULL;
}

/* 1 when inset IN, drawn at IN->box, sets every name and number it
 * places inside its box and none over another: trial drawings, thrown
 * away. A name that would overlap others is left to the main map (in
 * IN->skip), and the trial runs again without it; 0 when a number would
 * overlap, or after a few rounds. */
static int
labels_clean(const rmap *m, rinset *in, atlas_error *err)
{
    const atlas_box *b = &in->box;
    int clean = 0;

    memset(in->skip, 0, m->fl->n + 1);
    for (int round = 0; round < 4 && !clean && err->code == ATLAS_OK; round++) {
        cairo_surface_t *s =
            cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
        cairo_t *cr = cairo_create(s);
        cairo_matrix_t mx;
        rmap d;
        int bad = 0;

        cairo_get_matrix(m->cr, &mx); /* the same text metrics */
        cairo_set_matrix(cr, &mx);
        memset(&d, 0, sizeof d);
        d.cr = cr;
        d.o = &in->opts;
        d.style = m->style;
        d.fl = m->fl;
        d.inset_skip = in->skip;
        clean = render_map_draw(&d, b, err) == ATLAS_OK;
        for (size_t j = 0; j < d.n_labels && !bad; j++) {
            const rlabel *lb = &d.labels[j];
            if (lb->drop != NULL)
                continue;
            if (!(lb->x0 >= b->x && lb->x1 <= b->x + b->w && lb->y0 >= b->y &&
                  lb->y1 <= b->y + b->h))
                bad = 1; /* over the main map */
            else if (lb->fallback != NULL &&
                     strcmp(lb->fallback, "overlap") == 0) {
                if (lb->number)
                    bad = 1;
                in->skip[lb->feature] = 1, clean = 0;
            }
        }
        render_map_free(&d);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        if (bad)
            return 0;
    }
    return clean;
}

atlas_status
render_insets_place(rmap *m, atlas_error *err)
{
    const atlas_render_opts *o = m->o;
    const atlas_box *f = &m->lay.frame;
    size_t n_p = 0;

    if (o->no_insets || o->inset_name != NULL)
        return ATLAS_OK;
    if (o->insets != NULL && check_list(o->insets, err) != ATLAS_OK)
        return err->code;
    while (atlas_proj_inset_at(n_p) != NULL)
        n_p++;
    m->insets = calloc(n_p, sizeof *m->insets);
    if (m->insets == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    for (size_t i = 0; i < n_p; i++) {
        const atlas_inset_preset *p = atlas_proj_inset_at(i);
        atlas_box ob = outline_of(m, p), box;

        if (ob.w == 0)
            continue; /* not on this map */
        if (o->insets != NULL ? !in_list(o->insets, p->name)
                              : n_in(m, &ob) < 4 || ob.w >= f->w / 15)
            continue;
        /* From half the frame wide down to a fifth, the area's shape, at
         * most half the frame high: the largest that finds a place and
         * sets its names clear of one another inside it. */
        static const double widths[] = {0.5, 0.4, 0.3, 0.24, 0.19};
        rinset *in = &m->insets[m->n_insets];
        int found = 0;
        inset_opts(in, o, p);
        in->outline = ob;
        if (in->skip == NULL)
            in->skip = calloc(m->fl->n + 1, 1);
        if (in->skip == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
        for (size_t s = 0; s < 5 && !found && err->code == ATLAS_OK; s++) {
            double w = f->w * widths[s], h = w * ob.h / ob.w;
            if (h > f->h * 0.5)
                h = f->h * 0.5, w = h * ob.w / ob.h;
            found =
                find_place(m, w, h, &ob, &in->box) && labels_clean(m, in, err);
        }
        if (err->code != ATLAS_OK)
            return err->code;
        if (!found)
            continue; /* no place, or names that would overlap: none */
        m->n_insets++;
        box = in->box;
        if (rgrid_add(&m->grid, box.x, box.y, box.x + box.w, box.y + box.h) !=
            0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
        /* the enlarged area, under the labels */
        cairo_save(m->cr);
        cairo_rectangle(m->cr, ob.x, ob.y, ob.w, ob.h);
        cairo_set_line_width(m->cr, 0.8);
        render_set_color(m->cr, &ink, 1);
        cairo_stroke(m->cr);
        cairo_restore(m->cr);
    }
    return ATLAS_OK;
}

atlas_status
render_insets_draw(rmap *m, atlas_error *err)
{
    cairo_t *cr = m->cr;

    for (size_t k = 0; k < m->n_insets && err->code == ATLAS_OK; k++) {
        rinset *in = &m->insets[k];
        const atlas_box *b = &in->box;

        cairo_save(cr);
        cairo_rectangle(cr, b->x, b->y, b->w, b->h);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, 0.6);
        render_set_color(cr, &ink, 1);
        cairo_stroke(cr);
        cairo_restore(cr);
        in->map.cr = cr;
        in->map.o = &in->opts;
        in->map.style = m->style;
        in->map.fl = m->fl;
        in->map.inset_skip = in->skip;
        cairo_save(cr);
        render_map_draw(&in->map, b, err);
        cairo_restore(cr);
    }
    return err->code;
}

int
render_inset_shows(const rmap *m, size_t i)
{
    const double *p = m->pxy + 2 * m->off[i];

    if (m->inset_skip != NULL) /* an inset: what it leaves to the map */
        return m->inset_skip[i];
    if (m->npts[i] == 0 || isnan(p[0]))
        return 0;
    for (size_t k = 0; k < m->n_insets; k++) {
        const atlas_box *b = &m->insets[k].outline;
        if (p[0] >= b->x && p[0] <= b->x + b->w && p[1] >= b->y &&
            p[1] <= b->y + b->h)
            return !m->insets[k].skip[i];
    }
    return 0;
}

const rmap *
render_inset_map(const rmap *m, size_t k)
{
    return &m->insets[k].map;
}

void
render_insets_free(rmap *m)
{
    for (size_t k = 0; k < m->n_insets; k++)
        render_map_free(&m->insets[k].map);
    if (m->insets != NULL) /* a slot tried and given up keeps its skip */
        for (size_t k = 0; atlas_proj_inset_at(k) != NULL; k++)
            free(m->insets[k].skip);
    free(m->insets);
    m->insets = NULL;
    m->n_insets = 0;
}
