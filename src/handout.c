/* handout.c: the handout PDF: a map page with title and caption, then the
 * numbered table of the features on the map and their sources, laid out
 * twice (once to count the pages, once to draw with "page N of M"; the
 * first draws the map on a scratch surface to learn where its legend
 * ends, so the table can start on page 1 under the caption).
 * Draws text with pango only; the map is atlas_render_to_cairo()'s. */
#include "handout.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "page.h"
#include "proj.h"
#include "render_cairo.h"
#include "strmap.h"

/* Text sizes in CSS px (12px is 9pt). Nothing smaller than 7pt: a
 * pupil reads it on paper. */
#define SZ_MIN (7 / 0.75 + 0.05)
#define SZ_TITLE 22.0
#define SZ_SUBTITLE 13.0
#define SZ_CAPTION 11.5
#define SZ_HEAD 14.0
#define SZ_CELL 10.5
#define SZ_SMALL 9.6
#define SZ_FOOT 9.6
/* Maps wider than this (height over width) get a landscape page 1: the
 * whole USSR is twice as wide as high. */
#define LANDSCAPE_ASPECT 0.75
/* Room between the caption and a table that starts on page 1. */
#define TABLE_GAP 16.0

/* One handout being laid out or drawn. */
typedef struct doc {
    cairo_t *cr;
    cairo_surface_t *surf; /* the PDF, whose page size may change */
    PangoLayout *pl;
    int draw; /* 0: only measure (the first pass) */
    const atlas_i18n *tr;
    const atlas_feature_list *fl;
    const atlas_source_list *src;
    const atlas_style *style;
    const atlas_handout_opts *o;
    const char *title;
    double pw, ph;     /* page */
    int landscape1;    /* page 1 landscape, the others portrait */
    double x0, x1;     /* content left and right */
    double y, ybot;    /* cursor, content bottom */
    int page, n_pages; /* current page (1-based), total (second pass) */
    atlas_box legend;  /* where the map's legend went (w 0: none) */
    int table_p1;      /* the table starts on page 1, under the caption */
    int *numbers;      /* per feature */
    size_t *order;     /* features by number */
    size_t n_rows;
    int *src_num;            /* per source: its number in the list, 0 unused */
    atlas_strmap *src_index; /* source id -> index in src */
    atlas_error *err;
} doc;

/* ---- numbering ---- */

int
atlas_handout_number(const atlas_feature_list *fl, int *numbers)
{
    /* sites in reading order, then lines in the same order after them */
    int n = atlas_render_number(fl, numbers);
    if (n < 0)
        return -1;
    return atlas_render_number_layer(fl, ATLAS_LAYER_LINES, n, numbers);
}

/* ---- sources ---- */

/* Calls FN for each source id FE cites (sources, and the sources of its
 * victim and deportation counts). */
static void
each_source(const atlas_feature *fe, void (*fn)(doc *, const char *, void *),
            doc *d, void *arg)
{
    static const atlas_field fields[] = {
        ATLAS_F_SOURCES, ATLAS_F_VICTIMS_MIN_SOURCE, ATLAS_F_VICTIMS_MAX_SOURCE,
        ATLAS_F_DEPORTED_MIN_SOURCE, ATLAS_F_DEPORTED_MAX_SOURCE};
    char id[256];

    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        const char *s = atlas_feature_text(fe, fields[k]);
        while (s != NULL && *s != '\0') {
            size_t n = strcspn(s, ";");
            const char *a = s;
            while (n > 0 && *a == ' ')
                a++, n--;
            while (n > 0 && a[n - 1] == ' ')
                n--;
            if (n > 0 && n < sizeof id) {
                memcpy(id, a, n);
                id[n] = '\0';
                fn(d, id, arg);
            }
            s += strcspn(s, ";");
            if (*s == ';')
                s++;
        }
    }
}

static void
mark_source(doc *d, const char *id, void *arg)
{
    long long i;
    (void)arg;
    if (atlas_strmap_get(d->src_index, id, &i))
        d->src_num[i] = 1;
}

/* Numbers the sources the listed features cite, in the store's order. */
static int
number_sources(doc *d)
{
    int k = 0;

    d->src_num = calloc(d->src->n + 1, sizeof *d->src_num);
    d->src_index = atlas_strmap_new();
    if (d->src_num == NULL || d->src_index == NULL)
        return -1;
    for (size_t i = 0; i < d->src->n; i++)
        if (atlas_strmap_put(d->src_index, d->src->items[i].id, (long long)i) <
            0)
            return -1;
    for (size_t r = 0; r < d->n_rows; r++)
        each_source(&d->fl->items[d->order[r]], mark_source, d, NULL);
    /* the caption cites the published total it compares with */
    for (const char *s = d->o->total ? d->o->total->source : NULL;
         s != NULL && *s != '\0';) {
        char id[128];
        size_t k = strcspn(s, ";");
        if (k > 0 && k < sizeof id) {
            memcpy(id, s, k);
            id[k] = '\0';
            mark_source(d, id, NULL);
        }
        s += k;
        if (*s == ';')
            s++;
    }
    for (size_t i = 0; i < d->src->n; i++)
        if (d->src_num[i])
            d->src_num[i] = ++k;
    return k;
}

typedef struct refs {
    int nums[64];
    size_t n;
} refs;

static void
add_ref(doc *d, const char *id, void *arg)
{
    refs *r = arg;
    long long i;
    if (!atlas_strmap_get(d->src_index, id, &i) || d->src_num[i] == 0)
        return;
    for (size_t k = 0; k < r->n; k++)
        if (r->nums[k] == d->src_num[i])
            return;
    if (r->n < sizeof r->nums / sizeof r->nums[0])
        r->nums[r->n++] = d->src_num[i];
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* "[1, 3]": the numbers of the sources FE cites, into BUF. */
static void
source_refs(doc *d, const atlas_feature *fe, char *buf, size_t size)
{
    refs r = {{0}, 0};
    size_t len = 0;

    buf[0] = '\0';
    each_source(fe, add_ref, d, &r);
    if (r.n == 0)
        return;
    qsort(r.nums, r.n, sizeof r.nums[0], cmp_int);
    for (size_t k = 0; k < r.n && len + 16 < size; k++)
        len += (size_t)snprintf(buf + len, size - len, "%s%d", k ? ", " : "[",
                                r.nums[k]);
    snprintf(buf + len, size - len, "]");
}

/* ---- pages ---- */

static void
set_gray(doc *d, double g)
{
    cairo_set_source_rgb(d->cr, g, g, g);
}

/* Ends the current page (its foot line) and starts the next. */
static void
next_page(doc *d)
{
    if (d->page > 0 && d->draw) {
        char pg[16], pgs[16], buf[256];
        const char *vars[] = {"page", pg, "pages", pgs, NULL};
        double yf = d->ph - ATLAS_PAGE_MARGIN - SZ_FOOT * 1.3;
        snprintf(pg, sizeof pg, "%d", d->page);
        snprintf(pgs, sizeof pgs, "%d", d->n_pages);
        atlas_i18n_format(d->tr, "page.number", buf, sizeof buf, vars);
        set_gray(d, 0.3);
        cairo_move_to(d->cr, d->x0, yf - 3);
        cairo_line_to(d->cr, d->x1, yf - 3);
        cairo_set_line_width(d->cr, 0.5);
        cairo_stroke(d->cr);
        atlas_page_text(d->cr, d->pl, d->title, d->x0, yf,
                        (d->x1 - d->x0) * 0.7, SZ_FOOT, 0, 1);
        atlas_page_text(d->cr, d->pl, buf, d->x0, yf, d->x1 - d->x0, SZ_FOOT,
                        ATLAS_TEXT_RIGHT, 1);
        cairo_show_page(d->cr);
    }
    d->page++;
    if (d->landscape1 && d->page <= 2) {
        /* page 1 turned for a wide map, the table's pages upright */
        atlas_page_paper(d->o->paper, d->page == 1, &d->pw, &d->ph, d->err);
        d->x1 = d->pw - ATLAS_PAGE_MARGIN;
        if (d->draw && d->surf != NULL)
            cairo_pdf_surface_set_size(d->surf, d->pw * 0.75, d->ph * 0.75);
    }
    d->y = ATLAS_PAGE_MARGIN;
    d->ybot = d->ph - ATLAS_PAGE_MARGIN - SZ_FOOT * 1.3 - 8;
}

/* A paragraph across the content width; returns its height. */
static double
para(doc *d, const char *text, double size, int flags)
{
    double h;
    set_gray(d, 0);
    h = atlas_page_text(d->cr, d->pl, text, d->x0, d->y, d->x1 - d->x0, size,
                        flags, d->draw);
    d->y += h;
    return h;
}

/* The kinds present in the list, in atlas_kinds order, as the caption
 * names them ("camp administrations (...); prisons"). */
static void
kinds_present(doc *d, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; atlas_kinds[k] != NULL; k++) {
        char key[64];
        size_t i;
        for (i = 0; i < d->fl->n; i++) {
            const char *kind =
                atlas_feature_text(&d->fl->items[i], ATLAS_F_KIND);
            if (kind != NULL && strcmp(kind, atlas_kinds[k]) == 0)
                break;
        }
        if (i == d->fl->n)
            continue;
        snprintf(key, sizeof key, "kinds.%s", atlas_kinds[k]);
        /* "; " between kinds: their names may hold commas */
        len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                                len ? "; " : "", atlas_i18n_get(d->tr, key));
        if (len >= size)
            break;
    }
}

static void
year_vars(const atlas_handout_opts *o, char *y0, char *y1, size_t size)
{
    snprintf(y0, size, "%d", o->year_from);
    snprintf(y1, size, "%d", o->year_to);
}

/* What share of the year's published camp population the camps listed
 * hold, with the total's source number, into BUF ("" when there is no
 * total or no count). */
static void
share_text(const doc *d, char *buf, size_t size)
{
    const atlas_total *t = d->o->total;
    long long sum = 0;

    buf[0] = '\0';
    if (t == NULL || t->prisoners <= 0 || d->o->year_from != d->o->year_to)
        return;
    /* 1 January counts only, as the published total: a camp split or
     * renamed during the year is counted once */
    for (size_t i = 0; d->o->jan1 != NULL && i < d->fl->n; i++) {
        const atlas_feature *fe = &d->fl->items[i];
        const char *k = atlas_feature_text(fe, ATLAS_F_KIND);
        const char *id = atlas_feature_text(fe, ATLAS_F_ID);
        long long v;
        if (k != NULL && strcmp(k, "camp") == 0 && id != NULL &&
            atlas_strmap_get(d->o->jan1, id, &v))
            sum += v;
    }
    if (sum == 0)
        return;
    char pct[16], total[32], year[16], src[16] = "?";
    double p = 100.0 * (double)sum / (double)t->prisoners;
    snprintf(pct, sizeof pct, p < 1 ? "%.1f" : "%.0f", p);
    atlas_i18n_number(d->tr, t->prisoners, total, sizeof total);
    snprintf(year, sizeof year, "%d", t->year);
    char id[128];
    size_t k = strcspn(t->source ? t->source : "", ";");
    long long i;
    /* the sources are numbered after the first layout pass */
    if (t->source != NULL && k < sizeof id && d->src_index != NULL) {
        memcpy(id, t->source, k);
        id[k] = '\0';
        if (atlas_strmap_get(d->src_index, id, &i) && d->src_num[i] > 0)
            snprintf(src, sizeof src, "%d", d->src_num[i]);
    }
    const char *vars[] = {"pct", pct, "total", total, "year", year,
                          "source", src, NULL};
    atlas_i18n_format(d->tr, "caption.share", buf, size, vars);
}

/* The caption under the map: what it shows and what it does not; the
 * table it refers to is BELOW it, or on the following pages. */
static void
caption_text(doc *d, int below, char *buf, size_t size)
{
    char kinds[2048], y0[16], y1[16], s1[3072], note[600];
    const char *vars[] = {"kinds", kinds, "year", y0,  "from",
                          y0,      "to",  y1,     NULL};
    year_vars(d->o, y0, y1, sizeof y0);
    kinds_present(d, kinds, sizeof kinds);
    if (d->fl->n == 0)
        snprintf(s1, sizeof s1, "%s", atlas_i18n_get(d->tr, "caption.none"));
    else
        atlas_i18n_format(d->tr,
                          d->o->year_from == d->o->year_to
                              ? "caption.shown_year"
                              : "caption.shown_range",
                          s1, sizeof s1, vars);
    char share[1024] = "";
    share_text(d, share, sizeof share);
    snprintf(buf, size, "%s %s%s%s %s %s", s1, share, share[0] ? " " : "",
             d->fl->n ? atlas_i18n_get(d->tr, below ? "caption.numbers_below"
                                                    : "caption.numbers")
                      : "",
             atlas_i18n_get(d->tr, "caption.incomplete"),
             atlas_render_borders_note(d->o->period, d->tr, -1, note,
                                       sizeof note));
}

double
atlas_handout_aspect(const char *extent)
{
    const atlas_extent *ext = atlas_proj_extent(extent ? extent : "ussr");
    atlas_error e;
    atlas_proj *p;
    double box[4], a = 0.75;

    atlas_error_init(&e);
    if (ext == NULL || (p = atlas_proj_new(ext->proj, &e)) == NULL)
        return a;
    if (atlas_proj_bbox(p, ext->bbox, box) == 0 && box[2] > box[0])
        a = (box[3] - box[1]) / (box[2] - box[0]);
    atlas_proj_free(p);
    /* room for the frame's margins; never a sliver nor a tower */
    return fmin(1.1, fmax(0.45, a * 1.08));
}

/* The render options of the handout's map. */
static void
map_opts(const doc *d, atlas_render_opts *ro)
{
    atlas_render_opts_init(ro);
    ro->year_from = d->o->year_from;
    ro->year_to = d->o->year_to;
    ro->extent = d->o->extent;
    ro->lang = atlas_i18n_lang(d->tr);
    ro->tr = d->tr;
    ro->no_title = 1;
    ro->no_attribution = 1; /* the caption credits the basemap */
    ro->numbers = d->numbers;
    ro->min_text = SZ_MIN;
    ro->debug_labels = d->o->debug_labels;
    ro->period = d->o->period;
    ro->insets = d->o->insets;
    ro->no_insets = d->o->no_insets;
}

/* Starts page 1 and sets its title; the height of the map's area in
 * *MAP_H (its top is then D->y), of which *BAND at the bottom holds the
 * legend in columns under the frame, and the caption in CAPTION. The
 * map takes the full width; the legend the room left, at least a fifth
 * of the width. */
static void
map_top(doc *d, char *caption, size_t size, double *map_h, double *band)
{
    double w, cap_h, room, map;

    next_page(d);
    w = d->x1 - d->x0; /* page 1's, which may be turned */
    set_gray(d, 0);
    d->y += atlas_page_text(d->cr, d->pl, d->title, d->x0, d->y, w, SZ_TITLE,
                            ATLAS_TEXT_BOLD, d->draw) +
            6;
    if (d->o->subtitle != NULL && d->o->subtitle[0] != '\0') {
        set_gray(d, 0.25);
        d->y += atlas_page_text(d->cr, d->pl, d->o->subtitle, d->x0, d->y, w,
                                SZ_SUBTITLE, 0, d->draw) +
                4;
        set_gray(d, 0);
    }
    /* the map is sized for the longer caption of a table on the next
     * pages, so where the table starts does not move the map */
    caption_text(d, 0, caption, size);
    cap_h =
        atlas_page_text(d->cr, d->pl, caption, d->x0, 0, w, SZ_CAPTION, 0, 0);
    room = d->ybot - d->y - cap_h - 10;
    /* a landscape page 1 is short: its legend, in more columns, needs
     * less of the width's height */
    map = fmin(w * atlas_handout_aspect(d->o->extent),
               room - w * (d->landscape1 && d->page == 1 ? 0.12 : 0.2));
    *band = fmin(room - map, map); /* render keeps the band <= the map */
    *map_h = map + *band;
}

/* Where render puts the legend of the map in the area at D->y, MAP_H
 * high with BAND under the frame, into *LB: the first pass draws it on
 * a scratch recording surface, so that the caption, and a table under
 * it, are laid out where the second pass draws them. */
static atlas_status
legend_box(doc *d, double map_h, double band, atlas_box *lb)
{
    cairo_surface_t *s =
        cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    atlas_render_opts ro;

    map_opts(d, &ro);
    ro.legend_below = band;
    ro.legend_out = lb;
    ro.debug_labels = NULL;      /* written once, by the drawing pass */
    cairo_scale(cr, 0.75, 0.75); /* as on the page */
    atlas_render_to_cairo(cr, d->x0, d->y, d->x1 - d->x0, map_h, d->fl,
                          d->style, &ro, d->err);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return d->err->code;
}

static double table_start_h(doc *d);

/* Page 1: title, map, legend and caption. The first pass also decides
 * whether the table starts under the caption: when the page holds its
 * heading and two rows (or the one there is) after a caption that says
 * "below"; the second pass follows that decision. */
static atlas_status
map_page(doc *d)
{
    char caption[4096];
    double map_h, band, y_cap;
    atlas_render_opts ro;

    map_top(d, caption, sizeof caption, &map_h, &band);
    map_opts(d, &ro);
    ro.legend_below = band;
    if (!d->draw) {
        memset(&d->legend, 0, sizeof d->legend);
        if (legend_box(d, map_h, band, &d->legend) != ATLAS_OK)
            return d->err->code;
    } else if (atlas_render_to_cairo(d->cr, d->x0, d->y, d->x1 - d->x0, map_h,
                                     d->fl, d->style, &ro,
                                     d->err) != ATLAS_OK) {
        return d->err->code;
    }
    /* the caption right under the legend, or under the map */
    y_cap = d->legend.w > 0 ? d->legend.y + d->legend.h + 8
                            : d->y + map_h - band + 10;
    if (!d->draw) {
        d->table_p1 = 0;
        if (d->n_rows > 0) {
            caption_text(d, 1, caption, sizeof caption);
            d->y = y_cap + atlas_page_text(d->cr, d->pl, caption, d->x0, 0,
                                           d->x1 - d->x0, SZ_CAPTION, 0, 0);
            d->table_p1 = d->y + TABLE_GAP + table_start_h(d) <= d->ybot;
        }
    }
    caption_text(d, d->table_p1, caption, sizeof caption);
    d->y = y_cap;
    para(d, caption, SZ_CAPTION, 0);
    return ATLAS_OK;
}

/* Keeps in VIEW (whose items the caller frees; the features stay D->fl's)
 * the features that fall in the map's frame: the preset's box is
 * smaller than the frame, so the caller selected more, and only what
 * the map shows is numbered and listed. */
static atlas_status
visible_features(doc *d, atlas_feature_list *view)
{
    char caption[4096];
    double map_h, band;
    unsigned char *vis = calloc(d->fl->n + 1, 1);
    atlas_render_opts ro;
    size_t n = 0;

    if (vis == NULL)
        return atlas_error_set(d->err, ATLAS_E_NOMEM, "handout: out of memory");
    map_top(d, caption, sizeof caption, &map_h, &band);
    d->page = 0;
    map_opts(d, &ro);
    ro.legend_below = band; /* the frame map_page() draws */
    ro.debug_labels = NULL;
    if (atlas_render_visible(d->fl, d->style, &ro, d->x1 - d->x0, map_h, vis,
                             &n, d->err) == ATLAS_OK) {
        view->items = calloc(n + 1, sizeof *view->items);
        if (view->items == NULL)
            atlas_error_set(d->err, ATLAS_E_NOMEM, "handout: out of memory");
        for (size_t i = 0; view->items != NULL && i < d->fl->n; i++)
            if (vis[i])
                view->items[view->n++] = d->fl->items[i];
        view->cap = view->n;
    }
    free(vis);
    return d->err->code;
}

/* Columns of the table, as x offsets from x0 and widths. */
typedef struct cols {
    double no, name, kind, years, fig, place, loc; /* x */
    double w_no, w_name, w_kind, w_years, w_fig, w_place, w_loc;
} cols;

static void
table_cols(const doc *d, cols *c)
{
    double w = d->x1 - d->x0, pad = 6;
    c->w_no = 26;
    c->w_name = w * 0.22;
    c->w_kind = w * 0.14;
    c->w_years = w * 0.105; /* "1935–1956" on one line */
    c->w_fig = w * 0.175;
    c->w_place = w * 0.17;
    c->no = d->x0;
    c->name = c->no + c->w_no;
    c->kind = c->name + c->w_name;
    c->years = c->kind + c->w_kind;
    c->fig = c->years + c->w_years;
    c->place = c->fig + c->w_fig;
    c->loc = c->place + c->w_place;
    c->w_loc = d->x1 - c->loc;
    /* text keeps PAD from the next column */
    c->w_no -= pad;
    c->w_name -= pad;
    c->w_kind -= pad;
    c->w_years -= pad;
    c->w_fig -= pad;
    c->w_place -= pad;
}

static void
rule(doc *d, double y, double width, double gray)
{
    if (!d->draw)
        return;
    set_gray(d, gray);
    cairo_set_line_width(d->cr, width);
    cairo_move_to(d->cr, d->x0, y);
    cairo_line_to(d->cr, d->x1, y);
    cairo_stroke(d->cr);
}

/* The table's heading (title, and column heads) at the top of a page. */
static void
table_head(doc *d, const cols *c, int continued)
{
    const atlas_i18n *tr = d->tr;
    char title[256];
    double h = 0;

    snprintf(title, sizeof title, "%s%s%s", atlas_i18n_get(tr, "table.title"),
             continued ? " " : "",
             continued ? atlas_i18n_get(tr, "table.continued") : "");
    para(d, title, SZ_HEAD, ATLAS_TEXT_BOLD);
    d->y += 6;
    if (!continued) {
        char note[2048];
        const char *en = atlas_i18n_get(tr, "table.english_descriptions");
        snprintf(note, sizeof note, "%s%s%s",
                 atlas_i18n_get(tr, d->o->year_from == d->o->year_to
                                        ? "table.note"
                                        : "table.note_range"),
                 *en ? " " : "", en);
        para(d, note, SZ_SMALL, 0);
        d->y += 6;
    }
    set_gray(d, 0);
#define HEAD(col, key)                                                         \
    h = fmax(h, atlas_page_text(d->cr, d->pl, atlas_i18n_get(tr, key), c->col, \
                                d->y, c->w_##col, SZ_CELL, ATLAS_TEXT_BOLD,    \
                                d->draw))
    HEAD(no, "table.no");
    HEAD(name, "table.name");
    HEAD(kind, "table.kind");
    HEAD(years, "table.years");
    HEAD(fig, "table.figures");
    HEAD(place, "table.place");
    HEAD(loc, "table.precision");
#undef HEAD
    d->y += h + 3;
    rule(d, d->y, 1.2, 0);
    d->y += 4;
}

/* The figures of FE: prisoners of the year (or the largest in the
 * range), victims, deported; one a line. */
static void
figures(doc *d, const atlas_feature *fe, char *buf, size_t size)
{
    char n[64], a[32], b[32], line[256], y0[16], y1[16];
    const char *nv[] = {"n", n, "year", y0, "from", y0, "to", y1, NULL};
    const char *rv[] = {"a", a, "b", b, NULL};
    long long lo, hi;
    size_t len = 0;
    static const struct {
        atlas_field lo, hi;
        const char *key;
    } ranges[] = {{ATLAS_F_VICTIMS_MIN, ATLAS_F_VICTIMS_MAX, "fig.victims"},
                  {ATLAS_F_DEPORTED_MIN, ATLAS_F_DEPORTED_MAX, "fig.deported"}};

    buf[0] = '\0';
    year_vars(d->o, y0, y1, sizeof y0);
    if (fe->has_prisoners) {
        atlas_i18n_number(d->tr, fe->prisoners, n, sizeof n);
        atlas_i18n_format(d->tr,
                          d->o->year_from == d->o->year_to
                              ? "fig.prisoners_year"
                              : "fig.prisoners_range",
                          line, sizeof line, nv);
        len += (size_t)snprintf(buf + len, size - len, "%s", line);
    }
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
        int has_lo = atlas_feature_int(fe, ranges[k].lo, &lo);
        int has_hi = atlas_feature_int(fe, ranges[k].hi, &hi);
        if (!has_lo && !has_hi)
            continue;
        if (has_lo && has_hi && lo != hi) {
            atlas_i18n_number(d->tr, lo, a, sizeof a);
            atlas_i18n_number(d->tr, hi, b, sizeof b);
            atlas_i18n_format(d->tr, "range", n, sizeof n, rv);
        } else {
            atlas_i18n_number(d->tr, has_lo ? lo : hi, n, sizeof n);
        }
        atlas_i18n_format(d->tr, ranges[k].key, line, sizeof line, nv);
        if (len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                    len ? "\n" : "", line);
    }
    if (buf[0] == '\0')
        snprintf(buf, size, "%s", atlas_i18n_get(d->tr, "fig.none"));
}

/* The name of region or country CODE ("RU-KO", "KZ") in the reader's
 * language, or the code itself where the texts have none. Borrowed. */
static const char *
code_name(const doc *d, const char *prefix, const char *code)
{
    char key[160];
    snprintf(key, sizeof key, "%s%s", prefix, code);
    const char *s = atlas_i18n_get(d->tr, key);
    return strcmp(s, key) == 0 ? code : s;
}

/* Where FE is today, from its ISO 3166 region codes ("RU-KO" or
 * "RU-CE;RU-IN;RU;KZ"): "Komi Republic, Russia"; two regions of one
 * country "Arkhangelsk Oblast; Komi Republic, Russia"; more, or several
 * countries, the countries ("Russia; Kazakhstan"). Empty without a
 * code. */
static void
place_text(const doc *d, const atlas_feature *fe, char *buf, size_t size)
{
    const char *s = atlas_feature_text(fe, ATLAS_F_REGION);
    char codes[8][16], countries[8][4];
    int n = 0, n_c = 0, n_reg = 0;
    size_t len = 0;

    buf[0] = '\0';
    /* the nearest town of the year within 40 km, named as the map names
     * it ("Lwów" on a Polish handout of 1941), then today's region */
    const atlas_period *p = d->o->period;
    if (p != NULL && fe->n_pts > 0 && fe->layer == ATLAS_LAYER_SITES) {
        const atlas_place *best = NULL;
        double best_d = 40.0, lat0 = fe->xy[1] * M_PI / 180;
        for (size_t i = 0; i < p->n_places; i++) {
            const atlas_place *pl = &p->places[i];
            if (pl->name == NULL || (strcmp(pl->kind, "capital") != 0 &&
                                     strcmp(pl->kind, "city") != 0 &&
                                     strcmp(pl->kind, "town") != 0))
                continue;
            double dx = (pl->lon - fe->xy[0]) * cos(lat0) * 111.2;
            double dy = (pl->lat - fe->xy[1]) * 111.2;
            double km = sqrt(dx * dx + dy * dy);
            if (km < best_d)
                best = pl, best_d = km;
        }
        if (best != NULL)
            len = (size_t)snprintf(buf, size, "%s, ", best->name);
        if (len >= size)
            len = size - 1;
    }
    while (s != NULL && *s != '\0' && n < 8) {
        size_t k = strcspn(s, ";");
        if (k > 0 && k < sizeof codes[0]) {
            memcpy(codes[n], s, k);
            codes[n][k] = '\0';
            char cc[4] = {0};
            memcpy(cc, s, k < 3 || s[2] != '-' ? (k < 3 ? k : 3) : 2);
            int seen = 0;
            for (int j = 0; j < n_c; j++)
                seen |= strcmp(countries[j], cc) == 0;
            if (!seen)
                memcpy(countries[n_c++], cc, sizeof cc);
            n_reg += strchr(codes[n], '-') != NULL;
            n++;
        }
        s += k;
        if (*s == ';')
            s++;
    }
    if (n == 0) {
        if (len >= 2 && buf[len - 2] == ',')
            buf[len - 2] = '\0'; /* the town alone */
        return;
    }
    if (n_c == 1 && n_reg == n && n <= 2) {
        for (int i = 0; i < n && len < size; i++)
            len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                    i ? "; " : "",
                                    code_name(d, "region.", codes[i]));
        if (len < size)
            snprintf(buf + len, size - len, ", %s",
                     code_name(d, "country.", countries[0]));
        return;
    }
    for (int i = 0; i < n_c && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "; " : "",
                                code_name(d, "country.", countries[i]));
}

/* Lays out (and draws when DRAW) the row of feature FE numbered NUM at
 * the cursor; returns its height. */
static double
table_row(doc *d, const cols *c, const atlas_feature *fe, int num, int draw)
{
    const char *lang = atlas_i18n_lang(d->tr);
    const char *name = atlas_feature_name(fe, lang);
    const char *en = atlas_feature_text(fe, ATLAS_F_NAME_EN);
    /* the second name: English, or for English readers the Russian */
    const char *alt =
        strcmp(lang, "en") == 0 ? atlas_feature_text(fe, ATLAS_F_NAME_RU) : en;
    const char *desc = atlas_feature_text(fe, ATLAS_F_DESCRIPTION);
    const char *prec = atlas_feature_text(fe, ATLAS_F_LOCATION_PRECISION);
    const char *kind = atlas_feature_text(fe, ATLAS_F_KIND);
    char no[16], key[64], years[64], fig[512], refs_s[256], dtext[2048];
    char place[512];
    long long ys = 0, ye = 0;
    double y = d->y, h, hn;
    cairo_t *cr = d->cr;
    PangoLayout *pl = d->pl;

    snprintf(no, sizeof no, "%d", num);
    atlas_feature_int(fe, ATLAS_F_YEAR_START, &ys);
    atlas_feature_int(fe, ATLAS_F_YEAR_END, &ye);
    if (ys == ye)
        snprintf(years, sizeof years, "%lld", ys);
    else
        snprintf(years, sizeof years, "%lld–%lld", ys, ye);
    figures(d, fe, fig, sizeof fig);
    source_refs(d, fe, refs_s, sizeof refs_s);
    snprintf(dtext, sizeof dtext, "%s%s%s", desc ? desc : "",
             desc && refs_s[0] ? " " : "", refs_s);

    set_gray(d, 0);
    h = atlas_page_text(cr, pl, no, c->no, y, c->w_no, SZ_CELL, ATLAS_TEXT_BOLD,
                        draw);
    hn = atlas_page_text(cr, pl, name ? name : "", c->name, y, c->w_name,
                         SZ_CELL, ATLAS_TEXT_BOLD, draw);
    if (alt != NULL && name != NULL && strcmp(alt, name) != 0)
        hn += atlas_page_text(cr, pl, alt, c->name, y + hn, c->w_name, SZ_SMALL,
                              ATLAS_TEXT_ITALIC, draw);
    h = fmax(h, hn);
    snprintf(key, sizeof key, "kind.%s", kind ? kind : "");
    h = fmax(h, atlas_page_text(cr, pl, atlas_i18n_get(d->tr, key), c->kind, y,
                                c->w_kind, SZ_CELL, 0, draw));
    h = fmax(h, atlas_page_text(cr, pl, years, c->years, y, c->w_years, SZ_CELL,
                                0, draw));
    h = fmax(
        h, atlas_page_text(cr, pl, fig, c->fig, y, c->w_fig, SZ_CELL, 0, draw));
    place_text(d, fe, place, sizeof place);
    h = fmax(h, atlas_page_text(cr, pl, place, c->place, y, c->w_place,
                                SZ_CELL, 0, draw));
    snprintf(key, sizeof key, "precision.%s", prec ? prec : "");
    h = fmax(h, atlas_page_text(cr, pl, atlas_i18n_get(d->tr, key), c->loc, y,
                                c->w_loc, SZ_CELL, 0, draw));
    if (dtext[0] != '\0') {
        /* the description spans the columns right of the number */
        set_gray(d, 0.2);
        h += 2 + atlas_page_text(cr, pl, dtext, c->name, y + h + 2,
                                 d->x1 - c->name, SZ_SMALL, 0, draw);
    }
    return h + 5;
}

/* The height of the table's heading and of its first two rows (or the
 * one there is): what a page must hold for the table to start there, so
 * no heading stands alone at the foot of page 1. Draws nothing. */
static double
table_start_h(doc *d)
{
    int draw = d->draw;
    double y = d->y, h;
    cols c;

    table_cols(d, &c);
    d->draw = 0;
    table_head(d, &c, 0);
    for (size_t r = 0; r < d->n_rows && r < 2; r++)
        d->y += table_row(d, &c, &d->fl->items[d->order[r]],
                          d->numbers[d->order[r]], 0);
    h = d->y - y;
    d->y = y;
    d->draw = draw;
    return h;
}

/* The table: rows in number order, the heading repeated on each page;
 * on page 1 under the caption when map_page() found room for it. */
static void
table(doc *d)
{
    cols c;

    if (d->n_rows == 0)
        return;
    if (d->table_p1)
        d->y += TABLE_GAP;
    else
        next_page(d);
    table_cols(d, &c); /* the table's page, upright after a turned one */
    table_head(d, &c, 0);
    for (size_t r = 0; r < d->n_rows; r++) {
        const atlas_feature *fe = &d->fl->items[d->order[r]];
        int num = d->numbers[d->order[r]];
        double h = table_row(d, &c, fe, num, 0);
        if (d->y + h > d->ybot) {
            next_page(d);
            table_head(d, &c, 1);
        }
        if (d->draw)
            table_row(d, &c, fe, num, 1);
        d->y += h;
        if (r + 1 < d->n_rows)
            rule(d, d->y - 3, 0.4, 0.55);
    }
}

/* Writes the attribute value S quoted for a cairo tag ('...' with \ and '
 * escaped) into BUF. */
static void
tag_quote(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    for (; *s != '\0' && n + 3 < size; s++) {
        if (*s == '\'' || *s == '\\')
            buf[n++] = '\\';
        buf[n++] = *s;
    }
    buf[n] = '\0';
}

/* The numbered list of the sources cited, continued across pages. */
static void
source_list(doc *d)
{
    double ind = 26, w = d->x1 - d->x0;
    int first = 1;

    for (size_t i = 0; i < d->src->n; i++) {
        const atlas_source *s = &d->src->items[i];
        char no[16], text[4096];
        double h;
        if (d->src_num[i] == 0)
            continue;
        snprintf(no, sizeof no, "%d.", d->src_num[i]);
        snprintf(text, sizeof text, "%s%s%s", s->citation ? s->citation : "",
                 s->url ? " " : "", s->url ? s->url : "");
        h = atlas_page_text(d->cr, d->pl, text, d->x0 + ind, d->y, w - ind,
                            SZ_CELL, 0, 0);
        if (first) {
            /* the heading goes with the first source, never alone at the
             * foot of a page */
            double hh = atlas_page_text(
                d->cr, d->pl, atlas_i18n_get(d->tr, "sources.title"), d->x0, 0,
                w, SZ_HEAD, ATLAS_TEXT_BOLD, 0);
            if (d->y + 14 + hh + 6 + h > d->ybot)
                next_page(d);
            else
                d->y += 14;
            para(d, atlas_i18n_get(d->tr, "sources.title"), SZ_HEAD,
                 ATLAS_TEXT_BOLD);
            d->y += 6;
            first = 0;
        }
        if (d->y + h > d->ybot)
            next_page(d);
        set_gray(d, 0);
        atlas_page_text(d->cr, d->pl, no, d->x0, d->y, ind - 4, SZ_CELL,
                        ATLAS_TEXT_RIGHT, d->draw);
        if (d->draw && s->url != NULL) {
            char q[2048], attr[2100];
            tag_quote(s->url, q, sizeof q);
            snprintf(attr, sizeof attr, "uri='%s'", q);
            cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attr);
        }
        atlas_page_text(d->cr, d->pl, text, d->x0 + ind, d->y, w - ind, SZ_CELL,
                        0, d->draw);
        if (d->draw && s->url != NULL)
            cairo_tag_end(d->cr, CAIRO_TAG_LINK);
        d->y += h + 4;
    }
}

/* One pass over the whole document; the last page is ended here too. */
static atlas_status
lay_out(doc *d)
{
    d->page = 0;
    if (map_page(d) != ATLAS_OK)
        return d->err->code;
    table(d);
    source_list(d);
    next_page(d); /* ends the last page */
    d->page--;
    return ATLAS_OK;
}

static atlas_status
write_debug(const doc *d, const char *path, atlas_error *err)
{
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write", path);
    for (size_t r = 0; r < d->n_rows; r++)
        fprintf(fp, "%d\t%s\n", d->numbers[d->order[r]],
                atlas_feature_text(&d->fl->items[d->order[r]], ATLAS_F_ID));
    if (fclose(fp) != 0)
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write", path);
    return ATLAS_OK;
}

atlas_status
atlas_handout_write(const atlas_feature_list *fl,
                    const atlas_source_list *sources, const atlas_style *style,
                    const atlas_i18n *tr, const atlas_handout_opts *o,
                    const char *path, atlas_error *err)
{
    doc d;
    char title[512], y0[16], y1[16];
    char ext_key[64];
    const char *region = "";
    const char *vars[] = {"year", y0,     "from", y0, "to", y1,
                          "region", region, NULL};
    cairo_surface_t *surf = NULL;
    atlas_outfile of;
    atlas_feature_list view; /* the features in the frame, borrowed */
    int opened = 0;

    memset(&d, 0, sizeof d);
    memset(&view, 0, sizeof view);
    d.tr = tr;
    d.fl = fl;
    d.src = sources;
    d.style = style;
    d.o = o;
    d.err = err;
    d.landscape1 = atlas_handout_aspect(o->extent) < LANDSCAPE_ASPECT;
    if (atlas_page_paper(o->paper, d.landscape1, &d.pw, &d.ph, err) !=
        ATLAS_OK)
        return err->code;
    d.x0 = ATLAS_PAGE_MARGIN;
    d.x1 = d.pw - ATLAS_PAGE_MARGIN;
    year_vars(o, y0, y1, sizeof y0);
    snprintf(ext_key, sizeof ext_key, "extent.%s",
             o->extent != NULL ? o->extent : "ussr");
    region = atlas_i18n_get(tr, ext_key);
    vars[7] = region;
    if (strcmp(region, ext_key) != 0)
        atlas_i18n_format(tr,
                          o->year_from == o->year_to ? "title.region_year"
                                                     : "title.region_range",
                          title, sizeof title, vars);
    else
        atlas_i18n_format(tr,
                          o->year_from == o->year_to ? "title.year"
                                                     : "title.range",
                          title, sizeof title, vars);
    if (o->title != NULL)
        snprintf(title, sizeof title, "%s", o->title);
    d.title = title;

    if (atlas_outfile_open(&of, path, err) != ATLAS_OK)
        goto cleanup;
    opened = 1;
    surf = atlas_page_pdf_create(of.fp, d.pw, d.ph, title);
    d.surf = surf;
    d.cr = cairo_create(surf);
    cairo_scale(d.cr, 0.75, 0.75); /* CSS px on a PDF in points */
    d.pl = pango_cairo_create_layout(d.cr);

    if (visible_features(&d, &view) != ATLAS_OK)
        goto cleanup;
    d.fl = fl = &view;
    d.numbers = calloc(fl->n + 1, sizeof *d.numbers);
    d.order = calloc(fl->n + 1, sizeof *d.order);
    if (d.numbers == NULL || d.order == NULL ||
        atlas_handout_number(fl, d.numbers) < 0) {
        atlas_error_set(err, ATLAS_E_NOMEM, "handout: out of memory");
        goto cleanup;
    }
    /* numbers run 1..n_rows, each once: feature i is row numbers[i] */
    for (size_t i = 0; i < fl->n; i++)
        if (d.numbers[i] > 0)
            d.n_rows++;
    for (size_t i = 0; i < fl->n; i++)
        if (d.numbers[i] > 0 && (size_t)d.numbers[i] <= d.n_rows)
            d.order[d.numbers[i] - 1] = i;
    if (number_sources(&d) < 0) {
        atlas_error_set(err, ATLAS_E_NOMEM, "handout: out of memory");
        goto cleanup;
    }
    if (o->debug_numbers != NULL &&
        write_debug(&d, o->debug_numbers, err) != ATLAS_OK)
        goto cleanup;
    /* first pass: count the pages; second: draw them */
    if (lay_out(&d) != ATLAS_OK)
        goto cleanup;
    d.n_pages = d.page;
    d.draw = 1;
    if (lay_out(&d) != ATLAS_OK)
        goto cleanup;
    if (cairo_status(d.cr) != CAIRO_STATUS_SUCCESS) {
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot draw: %s", path,
                        cairo_status_to_string(cairo_status(d.cr)));
        goto cleanup;
    }
    g_object_unref(d.pl);
    d.pl = NULL;
    cairo_destroy(d.cr);
    d.cr = NULL;
    if (atlas_page_finish(surf, path, err) != ATLAS_OK)
        goto cleanup;
    opened = 0;
    atlas_outfile_commit(&of, err);

cleanup:
    if (d.pl != NULL)
        g_object_unref(d.pl);
    if (d.cr != NULL)
        cairo_destroy(d.cr);
    if (surf != NULL)
        cairo_surface_destroy(surf);
    if (opened)
        atlas_outfile_abort(&of); /* a failure leaves no partial file */
    free(view.items);             /* only the array: the features are FL's */
    free(d.numbers);
    free(d.order);
    free(d.src_num);
    atlas_strmap_free(d.src_index);
    return err->code;
}
