/* render_period.c: the world of the map's date under the data: the states
 * of that day (Soviet territory tinted, other states' borders lighter,
 * occupied areas hatched) from the style's "period" layers, and the names
 * of countries and reference places from its symbol layers on "period"
 * and "places", placed after every site label and never over a site, a
 * site's label or a line: sites win every collision. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "render_private.h"

#define PERIOD_LABEL_MAX 128
#define PERIOD_FIRST_KEY 1.5 /* names placed before the site labels */

/* What expressions see of a border or a place. */
typedef struct pobj {
    const atlas_border *b;
    const atlas_place *pl;
    const char *lang;
} pobj;

static int
str_value(const char *s, atlas_value *out)
{
    if (s == NULL)
        return 0;
    out->type = ATLAS_V_STRING;
    out->str = s;
    return 1;
}

static int
period_getter(const void *obj, const char *name, atlas_value *out)
{
    const pobj *o = obj;
    out->type = ATLAS_V_NULL;
    if (strcmp(name, "layer") == 0)
        return str_value(o->b != NULL ? "period" : "places", out);
    if (o->b != NULL) {
        const atlas_border *b = o->b;
        if (strcmp(name, "name") == 0)
            return str_value(atlas_border_name(b, o->lang), out);
        if (strcmp(name, "year_start") == 0 || strcmp(name, "year_end") == 0) {
            out->type = ATLAS_V_NUMBER;
            out->num = name[5] == 's' ? b->year_start : b->year_end;
            return 1;
        }
        for (int f = 0; f < ATLAS_B_N_TEXT; f++)
            if (strcmp(name, atlas_border_field_name(f)) == 0)
                return str_value(b->t[f], out);
        return 0;
    }
    const atlas_place *pl = o->pl;
    if (strcmp(name, "rank") == 0) {
        out->type = ATLAS_V_NUMBER;
        out->num = pl->rank;
        return 1;
    }
    if (strcmp(name, "name") == 0)
        return str_value(pl->name, out);
    if (strcmp(name, "kind") == 0)
        return str_value(pl->kind, out);
    if (strcmp(name, "id") == 0)
        return str_value(pl->id, out);
    if (strcmp(name, "region") == 0)
        return str_value(pl->region, out);
    return 0;
}

/* The borders of the map's period projected to page px, once per map. */
static const double *
border_px(rmap *m, size_t i)
{
    const atlas_period *p = m->o->period;
    if (m->bpxy == NULL) {
        m->bpxy = calloc(p->n_borders, sizeof *m->bpxy);
        if (m->bpxy == NULL)
            return NULL;
    }
    if (m->bpxy[i] != NULL)
        return m->bpxy[i];
    const atlas_border *b = &p->borders[i];
    double *px = calloc(2 * b->n_pts + 2, sizeof *px);
    if (px == NULL)
        return NULL;
    memcpy(px, b->xy, 2 * b->n_pts * sizeof *px);
    atlas_proj_fwd(m->proj, px, b->n_pts);
    for (size_t k = 0; k < b->n_pts; k++)
        if (!isnan(px[2 * k]))
            rmap_to_page(m, px[2 * k], px[2 * k + 1], &px[2 * k],
                         &px[2 * k + 1]);
    m->bpxy[i] = px;
    return px;
}

/* Diagonal lines over the current path, which becomes the clip. */
static void
hatch_path(rmap *m, const atlas_color *c, double opacity)
{
    cairo_t *cr = m->cr;
    const atlas_box *f = &m->lay.frame;
    double step = 5; /* CSS px between the lines */
    cairo_save(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
    cairo_new_path(cr);
    for (double d = -f->h; d < f->w; d += step) {
        cairo_move_to(cr, f->x + d, f->y + f->h);
        cairo_line_to(cr, f->x + d + f->h, f->y);
    }
    cairo_set_line_width(cr, fmax(0.6, step / 6));
    render_set_color(cr, c, opacity);
    cairo_stroke(cr);
    cairo_restore(cr);
}

size_t
render_period_layer(rmap *m, const atlas_style_layer *l)
{
    const atlas_period *p = m->o->period;
    atlas_layer_type t = atlas_style_layer_type(l);
    pobj obj = {NULL, NULL, m->lang};
    atlas_eval_ctx ctx = {period_getter, &obj, m->zoom};
    size_t drawn = 0;
    cairo_t *cr = m->cr;

    if (p == NULL || (t != ATLAS_STYLE_FILL && t != ATLAS_STYLE_LINE))
        return 0;
    for (size_t i = 0; i < p->n_borders; i++) {
        const atlas_border *b = &p->borders[i];
        obj.b = b;
        if (!atlas_style_layer_filter(l, &ctx))
            continue;
        const double *px = border_px(m, i);
        if (px == NULL)
            continue;
        cairo_new_path(cr);
        if (render_add_path(m, px, b->n_pts, b->parts, b->n_parts, 1) == 0)
            continue;
        if (t == ATLAS_STYLE_LINE) {
            render_stroke_layer(m, l, &ctx);
        } else {
            atlas_color c;
            double op = 1;
            atlas_style_color(l, ATLAS_P_FILL_COLOR, &ctx, &c);
            atlas_style_number(l, ATLAS_P_FILL_OPACITY, &ctx, &op);
            if (atlas_style_has(l, ATLAS_P_FILL_PATTERN)) {
                hatch_path(m, &c, op);
            } else {
                cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
                render_set_color(cr, &c, op);
                cairo_fill(cr);
            }
        }
        cairo_new_path(cr);
        if (b->t[ATLAS_B_KIND] != NULL &&
            strcmp(b->t[ATLAS_B_KIND], "occupied") == 0)
            m->period_occupied = 1; /* the foot explains the hatch */
        drawn++;
    }
    return drawn;
}

/* ---- names ---- */

typedef struct pcand {
    const atlas_style_layer *l;
    const atlas_border *b;
    const atlas_place *pl;
    double key; /* lower is placed first */
    double x, y;
} pcand;

static int
cmp_cand(const void *a, const void *b)
{
    const pcand *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    const char *ix = x->b ? x->b->t[ATLAS_B_ID] : x->pl->id;
    const char *iy = y->b ? y->b->t[ATLAS_B_ID] : y->pl->id;
    return strcmp(ix ? ix : "", iy ? iy : "");
}

static int
is_settlement(const atlas_place *pl)
{
    return pl != NULL && (strcmp(pl->kind, "capital") == 0 ||
                          strcmp(pl->kind, "city") == 0 ||
                          strcmp(pl->kind, "town") == 0);
}

/* The sites' symbols into M->period_syms; -1 when out of memory. */
static int
add_symbols(rmap *m)
{
    for (size_t i = 0; i < m->fl->n; i++) {
        double r = m->sym_r[i];
        if (r < 0 || m->fl->items[i].layer == ATLAS_LAYER_LINES)
            continue;
        double x = m->pxy[2 * m->off[i]], y = m->pxy[2 * m->off[i] + 1];
        if (rgrid_add(&m->period_syms, x - r, y - r, x + r, y + r) != 0)
            return -1;
    }
    return 0;
}

/* 1 when the box is inside the frame and clear of everything placed. */
static int
box_free(const rmap *m, double x0, double y0, double x1, double y1)
{
    const atlas_box *f = &m->lay.frame;
    if (x0 < f->x + 2 || y0 < f->y + 2 || x1 > f->x + f->w - 2 ||
        y1 > f->y + f->h - 2)
        return 0;
    if (m->legend.w > 0 && x1 > m->legend.x && x0 < m->legend.x + m->legend.w &&
        y1 > m->legend.y && y0 < m->legend.y + m->legend.h)
        return 0;
    if (m->scale.w > 0 && x1 > m->scale.x && x0 < m->scale.x + m->scale.w &&
        y1 > m->scale.y && y0 < m->scale.y + m->scale.h)
        return 0;
    return !rgrid_hits(&m->grid, x0, y0, x1, y1) &&
           !rgrid_hits(&m->seg_grid, x0, y0, x1, y1) &&
           !(m->period_first && rgrid_hits(&m->period_syms, x0, y0, x1, y1));
}

/* 1 when a leader from C's point to the box X0, Y0, W, H runs clear of
 * every label, number and symbol placed: tested at points along it, from
 * the edge of the crowd at its point (its first third) to the box. */
static int
leader_free(const rmap *m, const pcand *c, double x0, double y0, double w,
            double h)
{
    double ex = fmin(fmax(c->x, x0), x0 + w);
    double ey = fmin(fmax(c->y, y0), y0 + h);
    for (int k = 3; k < 10; k++) {
        double t = k / 10.0;
        double px = c->x + (ex - c->x) * t, py = c->y + (ey - c->y) * t;
        if (rgrid_hits(&m->grid, px - 0.5, py - 0.5, px + 0.5, py + 0.5))
            return 0;
    }
    return 1;
}

/* Lays out TEXT as candidate C's layer says; *SIZE, *COLOR, *HALO, *HW
 * get its look. Country names are spaced capitals, water and regions
 * italic. */
static void
layout_name(rmap *m, const pcand *c, const atlas_eval_ctx *ctx,
            const char *text, double *w, double *h, double *size,
            atlas_color *color, atlas_color *halo, double *hw)
{
    const char *fonts[2] = {NULL, NULL};
    double sz = 11;
    int italic = c->pl != NULL && !is_settlement(c->pl);

    atlas_style_number(c->l, ATLAS_P_TEXT_SIZE, ctx, &sz);
    sz = fmin(fmax(sz, 4), 72); /* CSS px, as the site labels */
    atlas_style_color(c->l, ATLAS_P_TEXT_COLOR, ctx, color);
    atlas_style_color(c->l, ATLAS_P_TEXT_HALO_COLOR, ctx, halo);
    *hw = 0;
    atlas_style_number(c->l, ATLAS_P_TEXT_HALO_WIDTH, ctx, hw);
    *hw = fmin(*hw, 4);
    atlas_style_strings(c->l, ATLAS_P_TEXT_FONT, ctx, fonts, 1);
    pango_font_description_set_style(m->fd, italic ? PANGO_STYLE_ITALIC
                                                   : PANGO_STYLE_NORMAL);
    if (c->b != NULL) {
        PangoAttrList *al = pango_attr_list_new();
        pango_attr_list_insert(
            al, pango_attr_letter_spacing_new((int)(sz * 0.18 * PANGO_SCALE)));
        pango_layout_set_attributes(m->pl, al);
        pango_attr_list_unref(al);
        char *up = g_utf8_strup(text, -1);
        render_text_layout(m, up, fonts[0] ? fonts[0] : m->font, sz, 0, w, h);
        g_free(up);
    } else {
        pango_layout_set_attributes(m->pl, NULL);
        render_text_layout(m, text, fonts[0] ? fonts[0] : m->font, sz, 0, w,
                           h);
    }
    *size = sz;
}

static void
layout_reset(rmap *m)
{
    pango_layout_set_attributes(m->pl, NULL);
    pango_font_description_set_style(m->fd, PANGO_STYLE_NORMAL);
}

/* Places candidate C: settlements beside their dot (right, left, above,
 * below), the others centred on their point. Returns 1 when placed. */
static int
place_one(rmap *m, const pcand *c, const atlas_eval_ctx *ctx)
{
    char text[PERIOD_LABEL_MAX];
    double w, h, size, hw;
    atlas_color color, halo;

    if (!atlas_style_string(c->l, ATLAS_P_TEXT_FIELD, ctx, text, sizeof text) ||
        text[0] == '\0')
        return 0;
    layout_name(m, c, ctx, text, &w, &h, &size, &color, &halo, &hw);
    int dot = is_settlement(c->pl);
    double r = dot ? (strcmp(c->pl->kind, "capital") == 0 ? 2.6 : 1.8) : 0;
    /* A town under a site's symbol keeps its name, set beside the
     * symbol, but no dot: the site is not covered. */
    if (dot && !box_free(m, c->x - r, c->y - r, c->x + r, c->y + r))
        dot = 0, r = -1;
    double rings[4] = {r >= 0 ? r + size * 0.25 : size * 0.7, size * 1.6,
                       size * 2.8, size * 4};
    /* the capitals of the first pass may stand further from a crowd */
    /* the capitals may stand further out, with a leader: before the site
     * labels on a map of names, after the numbers on a map of numbers */
    int far = m->period_first || (c->key < PERIOD_FIRST_KEY && m->o->numbers);
    /* never further than a few lines of text: a name far from its town
     * reads as the name of another place */
    int n_rings = dot || r < 0 ? (far ? (m->o->numbers ? 3 : 4) : 2) : 0;
    for (int ring = 0; ring < (n_rings ? n_rings : 1); ring++) {
        double gap = rings[ring];
        double cand[4][2] = {{c->x + gap, c->y - h / 2},
                             {c->x - gap - w, c->y - h / 2},
                             {c->x - w / 2, c->y - gap - h},
                             {c->x - w / 2, c->y + gap}};
        int n = n_rings ? 4 : 1;
        if (!n_rings) { /* water, areas: centred on the point */
            cand[0][0] = c->x - w / 2;
            cand[0][1] = c->y - h / 2;
        }
        for (int k = 0; k < n; k++) {
            double x0 = cand[k][0], y0 = cand[k][1];
            if (!box_free(m, x0, y0, x0 + w, y0 + h) ||
                (ring >= 2 && !leader_free(m, c, x0, y0, w, h)))
                continue;
            if (dot) {
                cairo_t *cr = m->cr;
                cairo_new_path(cr);
                cairo_arc(cr, c->x, c->y, r, 0, 2 * M_PI);
                render_set_color(cr, &(atlas_color){1, 1, 1, 1}, 1);
                cairo_fill_preserve(cr);
                cairo_set_line_width(cr, fmax(0.5, r * 0.45));
                render_set_color(cr, &color, 1);
                cairo_stroke(cr);
                if (strcmp(c->pl->kind, "capital") == 0) {
                    cairo_arc(cr, c->x, c->y, r * 0.45, 0, 2 * M_PI);
                    cairo_fill(cr);
                }
                rgrid_add(&m->grid, c->x - r, c->y - r, c->x + r, c->y + r);
            }
            if (ring >= 2) {
                /* far from its point: a leader to the nearest edge */
                double ex = fmin(fmax(c->x, x0), x0 + w);
                double ey = fmin(fmax(c->y, y0), y0 + h);
                cairo_t *cr = m->cr;
                cairo_new_path(cr);
                cairo_move_to(cr, c->x, c->y);
                cairo_line_to(cr, ex, ey);
                cairo_set_line_width(cr, 0.6);
                render_set_color(cr, &color, 0.8);
                cairo_stroke(cr);
                cairo_arc(cr, c->x, c->y, 1.2, 0, 2 * M_PI);
                cairo_fill(cr);
            }
            render_text_draw(m, x0, y0, &color, &halo, hw);
            rgrid_add(&m->grid, x0, y0, x0 + w, y0 + h);
            return 1;
        }
        if (dot) /* a dot's name stays next to it */
            break;
    }
    return 0;
}

/* The candidates of symbol layer L into *OUT (grown). */
static atlas_status
collect(rmap *m, const atlas_style_layer *l, int borders, pcand **out,
        size_t *n, atlas_error *err)
{
    const atlas_period *p = m->o->period;
    pobj obj = {NULL, NULL, m->lang};
    atlas_eval_ctx ctx = {period_getter, &obj, m->zoom};
    size_t count = borders ? p->n_borders : p->n_places;

    for (size_t i = 0; i < count; i++) {
        double xy[2];
        obj.b = borders ? &p->borders[i] : NULL;
        obj.pl = borders ? NULL : &p->places[i];
        if (borders && !obj.b->has_label)
            continue;
        if (!atlas_style_layer_filter(l, &ctx))
            continue;
        xy[0] = borders ? obj.b->label_lon : obj.pl->lon;
        xy[1] = borders ? obj.b->label_lat : obj.pl->lat;
        atlas_proj_fwd(m->proj, xy, 1);
        if (isnan(xy[0]))
            continue;
        rmap_to_page(m, xy[0], xy[1], &xy[0], &xy[1]);
        const atlas_box *f = &m->lay.frame;
        if (xy[0] < f->x || xy[0] > f->x + f->w || xy[1] < f->y ||
            xy[1] > f->y + f->h)
            continue;
        pcand *bigger = realloc(*out, (*n + 1) * sizeof **out);
        if (bigger == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
        *out = bigger;
        pcand *c = &bigger[(*n)++];
        c->l = l;
        c->b = obj.b;
        c->pl = obj.pl;
        c->x = xy[0];
        c->y = xy[1];
        c->key = borders ? 1.5 : obj.pl->rank;
        atlas_style_number(l, ATLAS_P_SYMBOL_SORT_KEY, &ctx, &c->key);
    }
    return ATLAS_OK;
}

atlas_status
render_period_labels(rmap *m, int first, atlas_error *err)
{
    const atlas_period *p = m->o->period;
    pcand *c = NULL;
    size_t n = 0;

    if (p == NULL || m->o->no_labels)
        return ATLAS_OK;
    for (size_t li = 0; li < atlas_style_n_layers(m->style); li++) {
        const atlas_style_layer *l = atlas_style_layer_at(m->style, li);
        const char *src = atlas_style_layer_source(l);
        if (src == NULL || atlas_style_layer_type(l) != ATLAS_STYLE_SYMBOL ||
            !atlas_style_layer_visible(l))
            continue;
        if (strcmp(src, "period") == 0 || strcmp(src, "places") == 0)
            if (collect(m, l, strcmp(src, "period") == 0, &c, &n, err))
                break;
    }
    if (err->code == ATLAS_OK && n > 0) {
        qsort(c, n, sizeof *c, cmp_cand);
        m->period_first = first;
        /* before the site labels the symbols are not yet in the grid:
         * a grid of their own, made once */
        if (first && (rgrid_init(&m->period_syms, &m->lay.frame, 24) != 0 ||
                      add_symbols(m) != 0)) {
            free(c);
            return atlas_error_set(err, ATLAS_E_NOMEM,
                                   "render: out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            /* the first pass: the capitals a reader finds the map by,
             * before the site labels (clear of every symbol); then the
             * rest, after them */
            /* a map of numbers (handouts) keeps the crowd for them: every
             * name after the numbers */
            int early = c[i].key < PERIOD_FIRST_KEY && m->o->numbers == NULL;
            if (early != first)
                continue;
            pobj obj = {c[i].b, c[i].pl, m->lang};
            atlas_eval_ctx ctx = {period_getter, &obj, m->zoom};
            m->n_period_labels += (size_t)place_one(m, &c[i], &ctx);
        }
        layout_reset(m);
    }
    free(c);
    return err->code;
}

void
render_period_free(rmap *m)
{
    if (m->bpxy != NULL && m->o->period != NULL)
        for (size_t i = 0; i < m->o->period->n_borders; i++)
            free(m->bpxy[i]);
    free(m->bpxy);
    m->bpxy = NULL;
    rgrid_free(&m->period_syms);
}

char *
atlas_render_borders_note(const atlas_period *p, const atlas_i18n *tr,
                          int shown, char *buf, size_t size)
{
    int occupied = 0;

    if (p == NULL || p->n_borders == 0) {
        snprintf(buf, size, "%s",
                 tr ? atlas_i18n_get(tr, "caption.borders")
                    : ATLAS_BASEMAP_CREDIT ".");
        return buf;
    }
    for (size_t i = 0; i < p->n_borders; i++)
        occupied |= p->borders[i].t[ATLAS_B_KIND] != NULL &&
                    strcmp(p->borders[i].t[ATLAS_B_KIND], "occupied") == 0;
    if (shown >= 0)
        occupied = shown;
    const char *vars[] = {"date", p->date, NULL};
    char first[512];
    if (tr != NULL)
        atlas_i18n_format(tr, "caption.borders_period", first, sizeof first,
                          vars);
    else
        snprintf(first, sizeof first,
                 "Borders as of %s, approximate, after the treaties of the "
                 "period; tinted: the Soviet Union.",
                 p->date);
    snprintf(buf, size, "%s%s%s", first, occupied ? " " : "",
             !occupied ? ""
             : tr      ? atlas_i18n_get(tr, "caption.borders_occupied")
                       : "Hatched: under German and allied occupation.");
    return buf;
}
