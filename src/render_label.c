/* render_label.c: labels. Collects a label for every feature a symbol
 * layer names and ranks them: features flagged significant first, then
 * those with a prisoner count for the year, then the rest, each rank in
 * the order of the style's symbol-sort-key (lower first). Tries eight
 * places around each symbol and keeps the first that overlaps no label,
 * no symbol and no furniture and stays inside the frame; the rest are
 * dropped. Map numbers (handouts), significant features and the ten
 * largest camps are never dropped: they go further out with a leader
 * line, or at last where they overlap least. Also the collision grid and
 * the --debug-labels JSON. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_private.h"

/* Bytes of a label's text drawn before an ellipsis cuts it. */
#define LABEL_MAX 500
/* The camps with the largest counts of the year whose names are never
 * dropped, besides the features flagged significant. */
#define LABEL_N_LARGEST 10
/* A rank's share of the sort key: ranks never mix, whatever a style's
 * symbol-sort-key gives (prisoner counts are far below it). */
#define LABEL_RANK 1e12

/* 1 when FE is flagged significant in the data (the sites every history
 * of the period names). */
static int
is_significant(const atlas_feature *fe)
{
    atlas_value v;
    return atlas_feature_get(fe, "significant", NULL, &v) &&
           v.type == ATLAS_V_NUMBER && v.num == 1;
}

/* The place of FE's label among the labels of layer L, lower first:
 * significant features (rank 0), then those with a prisoner count for
 * the year (rank 1, the largest first unless the style's
 * symbol-sort-key says otherwise), then the rest (rank 2); the key
 * orders within a rank, list order breaks ties (I of N). A layer with
 * metadata "atlas:label-order": "sort-key" is ordered by its key alone,
 * and none of its names is kept at all costs (*MUST 0). */
static double
label_key(const atlas_style_layer *l, const atlas_eval_ctx *ctx,
          const atlas_feature *fe, size_t i, size_t n, int *must)
{
    const char *order = atlas_style_layer_meta(l, "label-order");
    int by_key = order != NULL && strcmp(order, "sort-key") == 0;
    double key, k = (double)i / (double)(n + 1); /* ties: list order */
    int has = atlas_style_number(l, ATLAS_P_SYMBOL_SORT_KEY, ctx, &key);
    int rank;

    *must = 0;
    if (!has && !by_key && fe->has_prisoners)
        key = -(double)fe->prisoners, has = 1;
    if (has)
        k += floor(key) * 2 + (key - floor(key));
    if (by_key)
        return k;
    if (is_significant(fe))
        rank = 0, *must = RLABEL_SIGNIFICANT;
    else
        rank = fe->has_prisoners ? 1 : 2;
    return rank * LABEL_RANK + k;
}

/* ---- the grid ---- */

int
rgrid_init(rgrid *g, const atlas_box *area, double cell)
{
    memset(g, 0, sizeof *g);
    g->x0 = area->x;
    g->y0 = area->y;
    g->cell = cell;
    g->nx = (int)ceil(area->w / cell) + 1;
    g->ny = (int)ceil(area->h / cell) + 1;
    g->head = calloc((size_t)g->nx * (size_t)g->ny, sizeof *g->head);
    if (g->head == NULL)
        return -1;
    for (size_t i = 0; i < (size_t)g->nx * (size_t)g->ny; i++)
        g->head[i] = -1;
    return 0;
}

void
rgrid_free(rgrid *g)
{
    free(g->head);
    free(g->rects);
    free(g->links);
    memset(g, 0, sizeof *g);
}

/* The cells a rectangle covers, clamped to the grid. */
static void
cells(const rgrid *g, double x0, double y0, double x1, double y1, int *cx0,
      int *cy0, int *cx1, int *cy1)
{
    *cx0 = (int)fmax(0, floor((x0 - g->x0) / g->cell));
    *cy0 = (int)fmax(0, floor((y0 - g->y0) / g->cell));
    *cx1 = (int)fmin(g->nx - 1, floor((x1 - g->x0) / g->cell));
    *cy1 = (int)fmin(g->ny - 1, floor((y1 - g->y0) / g->cell));
}

int
rgrid_hits(const rgrid *g, double x0, double y0, double x1, double y1)
{
    int cx0, cy0, cx1, cy1;
    if (g->head == NULL)
        return 0;
    cells(g, x0, y0, x1, y1, &cx0, &cy0, &cx1, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++)
            for (int k = g->head[cy * g->nx + cx]; k >= 0;
                 k = g->links[2 * k + 1]) {
                const double *r = &g->rects[4 * g->links[2 * k]];
                if (x0 < r[2] && x1 > r[0] && y0 < r[3] && y1 > r[1])
                    return 1;
            }
    return 0;
}

double
rgrid_overlap(const rgrid *g, double x0, double y0, double x1, double y1)
{
    int cx0, cy0, cx1, cy1;
    double area = 0;
    if (g->head == NULL)
        return 0;
    cells(g, x0, y0, x1, y1, &cx0, &cy0, &cx1, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++)
            for (int k = g->head[cy * g->nx + cx]; k >= 0;
                 k = g->links[2 * k + 1]) {
                const double *r = &g->rects[4 * g->links[2 * k]];
                double w = fmin(x1, r[2]) - fmax(x0, r[0]);
                double h = fmin(y1, r[3]) - fmax(y0, r[1]);
                if (w > 0 && h > 0)
                    area += w * h;
            }
    return area;
}

int
rgrid_add(rgrid *g, double x0, double y0, double x1, double y1)
{
    int cx0, cy0, cx1, cy1;
    if (g->head == NULL)
        return 0;
    cells(g, x0, y0, x1, y1, &cx0, &cy0, &cx1, &cy1);
    if (cx1 < cx0 || cy1 < cy0)
        return 0; /* outside the grid: nothing there to collide with */
    if (g->n_rects == g->cap_rects) {
        size_t cap = g->cap_rects ? 2 * g->cap_rects : 1024;
        double *r = realloc(g->rects, cap * 4 * sizeof(double));
        if (r == NULL)
            return -1;
        g->rects = r;
        g->cap_rects = cap;
    }
    size_t need = (size_t)(cx1 - cx0 + 1) * (size_t)(cy1 - cy0 + 1);
    if (g->n_links + need > g->cap_links) {
        size_t cap = g->cap_links ? 2 * g->cap_links : 4096;
        while (cap < g->n_links + need)
            cap *= 2;
        int *l = realloc(g->links, cap * 2 * sizeof(int));
        if (l == NULL)
            return -1;
        g->links = l;
        g->cap_links = cap;
    }
    double *r = &g->rects[4 * g->n_rects];
    r[0] = x0, r[1] = y0, r[2] = x1, r[3] = y1;
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++) {
            int k = (int)g->n_links++;
            g->links[2 * k] = (int)g->n_rects;
            g->links[2 * k + 1] = g->head[cy * g->nx + cx];
            g->head[cy * g->nx + cx] = k;
        }
    g->n_rects++;
    return 0;
}

/* ---- collecting ---- */

static int
add_label(rmap *m, size_t *cap, const rlabel *lb)
{
    if (m->n_labels == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        rlabel *n = realloc(m->labels, c * sizeof *n);
        if (n == NULL)
            return -1;
        m->labels = n;
        *cap = c;
    }
    m->labels[m->n_labels++] = *lb;
    return 0;
}

/* A label per feature of symbol layer L (index LI) that passes its
 * filter and has text. */
static atlas_status
collect_layer(rmap *m, size_t li, const atlas_style_layer *l, size_t *cap,
              atlas_error *err)
{
    const atlas_feature_list *fl = m->fl;
    const char *src = atlas_style_layer_source(l);
    int sites = strcmp(src, "sites") == 0;
    rfeat rf = {NULL, m->lang, 0, 0};
    atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
    const char *fonts[4];
    char text[2 * LABEL_MAX]; /* longer than LABEL_MAX: cut below */
    size_t drawn = 0;
    (void)li;

    if (!sites && strcmp(src, "lines") != 0)
        return ATLAS_OK;
    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        rlabel lb;
        if ((fe->layer == ATLAS_LAYER_SITES) != sites || m->npts[i] == 0)
            continue;
        double x = m->pxy[2 * m->off[i]];
        if (isnan(x) || render_inset_shows(m, i))
            continue; /* not shown, or named in its inset */
        rf.fe = fe;
        if (!atlas_style_layer_filter(l, &ctx))
            continue;
        if (!atlas_style_string(l, ATLAS_P_TEXT_FIELD, &ctx, text,
                                sizeof text) ||
            text[0] == '\0')
            continue;
        if (strlen(text) > LABEL_MAX) {
            /* cut visibly, at a character boundary: a label is never
             * silently shorter than its text */
            size_t cut = LABEL_MAX;
            while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
                cut--;
            memcpy(text + cut, "\xe2\x80\xa6", 4); /* U+2026 and NUL */
        }
        memset(&lb, 0, sizeof lb);
        lb.feature = i;
        lb.layer = l;
        lb.text = strdup(text);
        if (lb.text == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
        lb.font = atlas_style_strings(l, ATLAS_P_TEXT_FONT, &ctx, fonts, 4)
                      ? fonts[0]
                      : m->font;
        lb.size = 16;
        atlas_style_number(l, ATLAS_P_TEXT_SIZE, &ctx, &lb.size);
        lb.size = fmin(fmax(lb.size, 4), 72);
        lb.key = label_key(l, &ctx, fe, i, fl->n, &lb.must);
        lb.color = (atlas_color){0, 0, 0, 1};
        atlas_style_color(l, ATLAS_P_TEXT_COLOR, &ctx, &lb.color);
        lb.halo = (atlas_color){0, 0, 0, 0};
        atlas_style_color(l, ATLAS_P_TEXT_HALO_COLOR, &ctx, &lb.halo);
        atlas_style_number(l, ATLAS_P_TEXT_HALO_WIDTH, &ctx, &lb.halo_w);
        if (add_label(m, cap, &lb) != 0) {
            free(lb.text);
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
        }
        drawn++;
    }
    return ATLAS_OK;
}

/* 1 when FE is a line built by prisoners (railway, canal, road): the
 * lines that carry a name; deportation flows do not. */
static int
is_built_line(const atlas_feature *fe)
{
    const char *k = atlas_feature_text(fe, ATLAS_F_KIND);
    return fe->layer == ATLAS_LAYER_LINES && k != NULL &&
           (strcmp(k, "railway") == 0 || strcmp(k, "canal") == 0 ||
            strcmp(k, "road") == 0);
}

/* A style without a symbol layer for lines still names the lines built
 * by prisoners, once each, in the look of the site labels (layer L),
 * after every site label: sites win collisions. */
static atlas_status
collect_built_lines(rmap *m, const atlas_style_layer *l, size_t *cap,
                    atlas_error *err)
{
    const atlas_feature_list *fl = m->fl;
    rfeat rf = {NULL, m->lang, 0, 0};
    atlas_eval_ctx ctx = {render_getter, &rf, m->zoom};
    const char *fonts[4];

    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        const char *name = atlas_feature_name(fe, m->lang);
        rlabel lb;
        if (!is_built_line(fe) || m->npts[i] < 2 || name == NULL ||
            name[0] == '\0')
            continue;
        rf.fe = fe;
        memset(&lb, 0, sizeof lb);
        lb.feature = i;
        lb.layer = l;
        /* the name up to its details: "Trans-Polar railway, eastern
         * section (Construction 503): ..." is named up to the " (" */
        size_t len = strcspn(name, ":(");
        while (len > 0 && name[len - 1] == ' ')
            len--;
        lb.text = strndup(name, len > 0 ? len : strlen(name));
        if (lb.text == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
        lb.font = atlas_style_strings(l, ATLAS_P_TEXT_FONT, &ctx, fonts, 4)
                      ? fonts[0]
                      : m->font;
        lb.size = 16;
        atlas_style_number(l, ATLAS_P_TEXT_SIZE, &ctx, &lb.size);
        lb.size = fmin(fmax(lb.size * 0.95, 4), 72);
        /* after every site label; a significant line after the
         * significant sites, and never dropped */
        lb.key = 1e15 + (double)i;
        if (is_significant(fe))
            lb.key = 0.5 * LABEL_RANK + (double)i, lb.must = RLABEL_SIGNIFICANT;
        lb.color = (atlas_color){0, 0, 0, 1};
        atlas_style_color(l, ATLAS_P_TEXT_COLOR, &ctx, &lb.color);
        lb.halo = (atlas_color){1, 1, 1, 0.9};
        atlas_style_color(l, ATLAS_P_TEXT_HALO_COLOR, &ctx, &lb.halo);
        lb.halo_w = 1;
        atlas_style_number(l, ATLAS_P_TEXT_HALO_WIDTH, &ctx, &lb.halo_w);
        if (add_label(m, cap, &lb) != 0) {
            free(lb.text);
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
        }
    }
    return ATLAS_OK;
}

/* 1 when layer L orders its names by its symbol-sort-key alone. */
static int
by_sort_key(const atlas_style_layer *l)
{
    const char *order = l ? atlas_style_layer_meta(l, "label-order") : NULL;
    return order != NULL && strcmp(order, "sort-key") == 0;
}

/* Marks the names of the LABEL_N_LARGEST sites with the largest
 * prisoner counts whose symbols show in the frame as never dropped
 * (RLABEL_LARGEST, unless already significant). */
static void
mark_largest(rmap *m)
{
    const atlas_box *f = &m->lay.frame;
    size_t picked[LABEL_N_LARGEST];
    int n_picked = 0;

    while (n_picked < LABEL_N_LARGEST) {
        long long best = -1;
        size_t bi = SIZE_MAX;
        for (size_t j = 0; j < m->n_labels; j++) {
            const rlabel *lb = &m->labels[j];
            const atlas_feature *fe = &m->fl->items[lb->feature];
            const double *p = m->pxy + 2 * m->off[lb->feature];
            int seen = 0;
            if (lb->number || fe->layer != ATLAS_LAYER_SITES ||
                !fe->has_prisoners || fe->prisoners <= best ||
                by_sort_key(lb->layer) || isnan(p[0]) || p[0] < f->x ||
                p[0] > f->x + f->w || p[1] < f->y || p[1] > f->y + f->h)
                continue;
            for (int k = 0; k < n_picked; k++)
                seen |= picked[k] == lb->feature;
            if (!seen)
                best = fe->prisoners, bi = lb->feature;
        }
        if (bi == SIZE_MAX)
            break;
        picked[n_picked++] = bi;
        for (size_t j = 0; j < m->n_labels; j++)
            if (m->labels[j].feature == bi && m->labels[j].must == 0)
                m->labels[j].must = RLABEL_LARGEST;
    }
}

atlas_status
render_labels_collect(rmap *m, atlas_error *err)
{
    size_t cap = 0;

    if (m->o->numbers != NULL) { /* map numbers instead of names */
        for (size_t i = 0; i < m->fl->n; i++) {
            char num[16];
            rlabel lb;
            if (m->o->numbers[i] <= 0 || m->npts[i] == 0 ||
                isnan(m->pxy[2 * m->off[i]]))
                continue;
            snprintf(num, sizeof num, "%d", m->o->numbers[i]);
            memset(&lb, 0, sizeof lb);
            lb.feature = i;
            lb.text = strdup(num);
            lb.font = m->font;
            lb.size = fmax(7, m->lay.unit * 0.8);
            lb.key = m->o->numbers[i];
            lb.color = (atlas_color){0, 0, 0, 1};
            lb.halo = (atlas_color){1, 1, 1, 0.9};
            lb.halo_w = 1.5;
            lb.number = 1;
            if (lb.text == NULL || add_label(m, &cap, &lb) != 0) {
                free(lb.text);
                return atlas_error_set(err, ATLAS_E_NOMEM,
                                       "render: out of memory");
            }
        }
        return ATLAS_OK;
    }
    const atlas_style_layer *site_labels = NULL;
    int line_labels = 0;
    for (size_t li = 0; li < atlas_style_n_layers(m->style); li++) {
        const atlas_style_layer *l = atlas_style_layer_at(m->style, li);
        if (atlas_style_layer_type(l) != ATLAS_STYLE_SYMBOL ||
            !atlas_style_layer_visible(l) ||
            atlas_style_layer_source(l) == NULL || render_is_marker(l))
            continue; /* marks are drawn with the data layers */
        if (strcmp(atlas_style_layer_source(l), "lines") == 0)
            line_labels = 1;
        else if (site_labels == NULL)
            site_labels = l;
        if (collect_layer(m, li, l, &cap, err) != ATLAS_OK)
            return err->code;
    }
    if (!line_labels && site_labels != NULL &&
        collect_built_lines(m, site_labels, &cap, err) != ATLAS_OK)
        return err->code;
    mark_largest(m);
    return ATLAS_OK;
}

/* ---- placing ---- */

/* Names never dropped first, so no other name takes their place; then
 * by key. */
static int
cmp_label(const void *a, const void *b)
{
    const rlabel *la = a, *lb = b;
    if ((la->must != 0) != (lb->must != 0))
        return la->must ? -1 : 1;
    if (la->key != lb->key)
        return la->key < lb->key ? -1 : 1;
    return la->feature < lb->feature ? -1 : la->feature > lb->feature;
}

/* Where a label W x H goes for candidate C around a symbol of radius R
 * at X, Y: its top-left corner. Right, left, above, below, then the
 * diagonals, as MapLibre's variable anchors. */
static void
candidate(int c, double x, double y, double r, double w, double h, double *bx,
          double *by)
{
    double d = r + 2;
    switch (c) {
    case 0:
        *bx = x + d, *by = y - h / 2;
        break;
    case 1:
        *bx = x - d - w, *by = y - h / 2;
        break;
    case 2:
        *bx = x - w / 2, *by = y - d - h;
        break;
    case 3:
        *bx = x - w / 2, *by = y + d;
        break;
    case 4:
        *bx = x + d, *by = y - d - h;
        break;
    case 5:
        *bx = x - d - w, *by = y - d - h;
        break;
    case 6:
        *bx = x + d, *by = y + d;
        break;
    default:
        *bx = x - d - w, *by = y + d;
        break;
    }
}

/* The label's anchor point: a site's symbol, or for a line its TRY-th
 * place along the points inside the frame: the middle first, then
 * further out on either side (TRY 0..4). */
static int
anchor(const rmap *m, size_t i, int try, double *x, double *y)
{
    static const double at[5] = {0.5, 0.35, 0.65, 0.2, 0.8};
    const double *p = m->pxy + 2 * m->off[i];
    size_t n = m->npts[i];
    size_t best = SIZE_MAX;
    if (m->fl->items[i].layer == ATLAS_LAYER_SITES) {
        *x = p[0], *y = p[1];
        return !isnan(*x);
    }
    /* middle of the visible points */
    size_t vis = 0;
    for (size_t k = 0; k < n; k++)
        if (!isnan(p[2 * k]) && p[2 * k] >= m->lay.frame.x &&
            p[2 * k] <= m->lay.frame.x + m->lay.frame.w &&
            p[2 * k + 1] >= m->lay.frame.y &&
            p[2 * k + 1] <= m->lay.frame.y + m->lay.frame.h)
            vis++;
    if (vis == 0)
        return 0;
    size_t want = (size_t)(at[try] * (double)vis), seen = 0;
    for (size_t k = 0; k < n && best == SIZE_MAX; k++)
        if (!isnan(p[2 * k]) && p[2 * k] >= m->lay.frame.x &&
            p[2 * k] <= m->lay.frame.x + m->lay.frame.w &&
            p[2 * k + 1] >= m->lay.frame.y &&
            p[2 * k + 1] <= m->lay.frame.y + m->lay.frame.h && seen++ == want)
            best = k;
    *x = p[2 * best], *y = p[2 * best + 1];
    return 1;
}

/* Adds the segments of the lines drawn (sym_r 0) inside the frame to
 * M's segment grid; -1 when out of memory. */
static int
add_line_segments(rmap *m)
{
    const atlas_box *f = &m->lay.frame;
    size_t cap = 0;

    for (size_t i = 0; i < m->fl->n; i++) {
        const double *p = m->pxy + 2 * m->off[i];
        if (m->fl->items[i].layer != ATLAS_LAYER_LINES || m->sym_r[i] < 0)
            continue;
        for (size_t k = 1; k < m->npts[i]; k++) {
            double x0 = p[2 * k - 2], y0 = p[2 * k - 1];
            double x1 = p[2 * k], y1 = p[2 * k + 1];
            if (isnan(x0) || isnan(x1) || fmax(x0, x1) < f->x ||
                fmin(x0, x1) > f->x + f->w || fmax(y0, y1) < f->y ||
                fmin(y0, y1) > f->y + f->h)
                continue;
            if (m->seg_grid.n_rects == cap) {
                size_t c = cap ? 2 * cap : 1024;
                double *n = realloc(m->seg, c * 4 * sizeof *n);
                if (n == NULL)
                    return -1;
                m->seg = n;
                cap = c;
            }
            size_t n0 = m->seg_grid.n_rects;
            if (rgrid_add(&m->seg_grid, fmin(x0, x1), fmin(y0, y1),
                          fmax(x0, x1), fmax(y0, y1)) != 0)
                return -1;
            if (m->seg_grid.n_rects > n0) {
                double *s = &m->seg[4 * n0];
                s[0] = x0, s[1] = y0, s[2] = x1, s[3] = y1;
            }
        }
    }
    return 0;
}

/* 1 when segment A-B crosses the box X0, Y0, X1, Y1 (Liang-Barsky). */
static int
seg_in_box(const double *s, double x0, double y0, double x1, double y1)
{
    double dx = s[2] - s[0], dy = s[3] - s[1], t0 = 0, t1 = 1;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {s[0] - x0, x1 - s[0], s[1] - y0, y1 - s[1]};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = fmax(t0, t);
        else
            t1 = fmin(t1, t);
        if (t0 > t1)
            return 0;
    }
    return 1;
}

/* 1 when a line drawn crosses the box. */
static int
line_hits(const rmap *m, double x0, double y0, double x1, double y1)
{
    const rgrid *g = &m->seg_grid;
    int cx0, cy0, cx1, cy1;
    if (g->head == NULL || g->n_rects == 0)
        return 0;
    cells(g, x0, y0, x1, y1, &cx0, &cy0, &cx1, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++)
            for (int k = g->head[cy * g->nx + cx]; k >= 0;
                 k = g->links[2 * k + 1]) {
                int r = g->links[2 * k];
                const double *b = &g->rects[4 * r];
                if (x0 < b[2] && x1 > b[0] && y0 < b[3] && y1 > b[1] &&
                    seg_in_box(&m->seg[4 * r], x0, y0, x1, y1))
                    return 1;
            }
    return 0;
}

/* 1 when a name at X, Y beside a symbol of radius R cannot have room,
 * whatever its size: each of the eight places of a W x H label holds the
 * place of a smaller one, so when every place of a 0 x HMIN label (HMIN
 * below any line's height) is cut by the frame or taken, the real one's
 * are too. Spares measuring the text of names that will be dropped,
 * most of them on a crowded map. PAD and LPAD as in the placing. */
static int
surely_no_room(const rmap *m, double x, double y, double r, double hmin,
               double pad, double lpad)
{
    const atlas_box *f = &m->lay.frame;
    for (int c = 0; c < 8; c++) {
        double bx, by;
        candidate(c, x, y, r, 0, hmin, &bx, &by);
        if (bx < f->x + 1 || by < f->y + 1 || bx > f->x + f->w - 1 ||
            by + hmin > f->y + f->h - 1)
            continue;
        if (line_hits(m, bx - lpad, by - lpad, bx + lpad, by + hmin + lpad) ||
            rgrid_hits(&m->grid, bx - pad, by - pad, bx + pad, by + hmin + pad))
            continue;
        return 0;
    }
    return 1;
}

/* The leader of a box X0, Y0, X1, Y1 to a symbol of radius R at AX, AY:
 * from the symbol's edge to the box's nearest point, in L (x0, y0, x1,
 * y1); its length returned (0 when the box touches the symbol). */
static double
leader_ends(double ax, double ay, double r, double x0, double y0, double x1,
            double y1, double *l)
{
    double px = fmin(fmax(ax, x0), x1), py = fmin(fmax(ay, y0), y1);
    double d = hypot(px - ax, py - ay);
    if (d <= r) {
        l[0] = l[2] = px, l[1] = l[3] = py;
        return 0;
    }
    l[0] = ax + (px - ax) * r / d, l[1] = ay + (py - ay) * r / d;
    l[2] = px, l[3] = py;
    return d - r;
}

/* ---- map numbers further out ---- */

/* What a map number placed away from its site keeps clear of beyond M's
 * grid: the labels placed (a leader never runs through one), the symbols
 * (a leader through one costs a little) and the leaders drawn (one
 * crossed costs much; a number never sits on one). Handouts only. */
typedef struct rfar {
    rgrid boxes; /* labels placed */
    rgrid syms;  /* symbols: rect k is feature SYM_OF[k]'s */
    size_t *sym_of;
    rgrid leads; /* leaders: rect k's ends are LEAD[4 * k ...] */
    double *lead;
    size_t cap_lead;
    double cap; /* the longest leader: 12% of the frame's diagonal */
} rfar;

static void
far_free(rfar *fa)
{
    rgrid_free(&fa->boxes);
    rgrid_free(&fa->syms);
    rgrid_free(&fa->leads);
    free(fa->sym_of);
    free(fa->lead);
    memset(fa, 0, sizeof *fa);
}

/* Sets FA up for M's frame and symbols; -1 when out of memory (FA then
 * still goes to far_free()). */
static int
far_init(rfar *fa, const rmap *m)
{
    const atlas_box *f = &m->lay.frame;

    memset(fa, 0, sizeof *fa);
    fa->cap = 0.12 * hypot(f->w, f->h);
    if (rgrid_init(&fa->boxes, f, 24) != 0 ||
        rgrid_init(&fa->syms, f, 24) != 0 || rgrid_init(&fa->leads, f, 24) != 0)
        return -1;
    fa->sym_of = calloc(m->fl->n + 1, sizeof *fa->sym_of);
    if (fa->sym_of == NULL)
        return -1;
    for (size_t i = 0; i < m->fl->n; i++) {
        double r = m->sym_r[i];
        if (r <= 0 || m->fl->items[i].layer == ATLAS_LAYER_LINES)
            continue;
        double x = m->pxy[2 * m->off[i]], y = m->pxy[2 * m->off[i] + 1];
        size_t n0 = fa->syms.n_rects;
        if (rgrid_add(&fa->syms, x - r, y - r, x + r, y + r) != 0)
            return -1;
        if (fa->syms.n_rects > n0)
            fa->sym_of[n0] = i;
    }
    return 0;
}

/* Adds leader L (x0, y0, x1, y1) to FA; -1 when out of memory. */
static int
far_add_leader(rfar *fa, const double *l)
{
    if (fa->leads.n_rects == fa->cap_lead) {
        size_t c = fa->cap_lead ? 2 * fa->cap_lead : 64;
        double *n = realloc(fa->lead, c * 4 * sizeof *n);
        if (n == NULL)
            return -1;
        fa->lead = n;
        fa->cap_lead = c;
    }
    size_t n0 = fa->leads.n_rects;
    if (rgrid_add(&fa->leads, fmin(l[0], l[2]), fmin(l[1], l[3]),
                  fmax(l[0], l[2]), fmax(l[1], l[3])) != 0)
        return -1;
    if (fa->leads.n_rects > n0)
        memcpy(&fa->lead[4 * n0], l, 4 * sizeof *l);
    return 0;
}

/* What a visit of a grid's rects does with rect K; nonzero stops it. */
typedef int (*rgrid_visit)(void *arg, int k);

/* Visits each rect of G whose box meets X0, Y0, X1, Y1 (edges count:
 * a leader's box may be a line), once: in the first cell both cover.
 * Returns what stopped the visit, else 0. */
static int
grid_each(const rgrid *g, double x0, double y0, double x1, double y1,
          rgrid_visit fn, void *arg)
{
    int cx0, cy0, cx1, cy1;
    if (g->head == NULL || g->n_rects == 0)
        return 0;
    cells(g, x0, y0, x1, y1, &cx0, &cy0, &cx1, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++)
            for (int k = g->head[cy * g->nx + cx]; k >= 0;
                 k = g->links[2 * k + 1]) {
                int ri = g->links[2 * k], rx0, ry0, rx1, ry1;
                const double *r = &g->rects[4 * ri];
                if (x0 > r[2] || x1 < r[0] || y0 > r[3] || y1 < r[1])
                    continue;
                cells(g, r[0], r[1], r[2], r[3], &rx0, &ry0, &rx1, &ry1);
                if (cx != (rx0 > cx0 ? rx0 : cx0) ||
                    cy != (ry0 > cy0 ? ry0 : cy0))
                    continue; /* seen in an earlier cell */
                int rc = fn(arg, ri);
                if (rc != 0)
                    return rc;
            }
    return 0;
}

/* > 0 when C lies on one side of A->B, < 0 on the other, 0 on it. */
static double
orient(const double *a, const double *b, const double *c)
{
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/* 1 when segments S and T (x0, y0, x1, y1) cross; touching does not. */
static int
segs_cross(const double *s, const double *t)
{
    return orient(t, t + 2, s) * orient(t, t + 2, s + 2) < 0 &&
           orient(s, s + 2, t) * orient(s, s + 2, t + 2) < 0;
}

/* The distance of point X, Y from segment S. */
static double
seg_dist(const double *s, double x, double y)
{
    double dx = s[2] - s[0], dy = s[3] - s[1], l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - s[0]) * dx + (y - s[1]) * dy) / l2 : 0;
    t = fmin(fmax(t, 0), 1);
    return hypot(s[0] + t * dx - x, s[1] + t * dy - y);
}

/* A visit of FA for a leader S of feature SELF, or for a box B. */
typedef struct rfar_visit {
    const rmap *m;
    const rfar *fa;
    const double *s, *b;
    size_t self;
    int n; /* leaders or symbols crossed */
} rfar_visit;

static int
visit_box_on_leader(void *arg, int k)
{
    const rfar_visit *v = arg;
    const double *b = v->b;
    return seg_in_box(&v->fa->lead[4 * k], b[0], b[1], b[2], b[3]);
}

static int
visit_leader_in_box(void *arg, int k)
{
    rfar_visit *v = arg;
    const double *b = &v->fa->boxes.rects[4 * k];
    /* less a hair: a leader ends on its own box's edge, not in it */
    v->n +=
        seg_in_box(v->s, b[0] + 0.25, b[1] + 0.25, b[2] - 0.25, b[3] - 0.25);
    return 0;
}

static int
visit_leader_crosses(void *arg, int k)
{
    rfar_visit *v = arg;
    v->n += segs_cross(v->s, &v->fa->lead[4 * k]);
    return 0;
}

static int
visit_symbol_crossed(void *arg, int k)
{
    rfar_visit *v = arg;
    size_t i = v->fa->sym_of[k];
    const double *p = v->m->pxy + 2 * v->m->off[i];
    if (i != v->self && seg_dist(v->s, p[0], p[1]) < v->m->sym_r[i])
        v->n++;
    return 0;
}

/* Moves the start of leader L onto the start of a leader drawn that
 * begins less than 1.5 px from it: two sites (or a site and a line)
 * that close would else start leaders crossing at once, where the eye
 * sees one point. */
static void
far_snap_start(const rfar *fa, double *l)
{
    for (size_t k = 0; k < fa->leads.n_rects; k++) {
        const double *o = &fa->lead[4 * k];
        if (hypot(o[0] - l[0], o[1] - l[1]) < 1.5) {
            l[0] = o[0], l[1] = o[1];
            return;
        }
    }
}

/* 1 when a leader drawn runs through box X0, Y0, X1, Y1. */
static int
far_box_on_leader(const rmap *m, const rfar *fa, double x0, double y0,
                  double x1, double y1)
{
    double b[4] = {x0, y0, x1, y1};
    rfar_visit v = {m, fa, NULL, b, 0, 0};
    return grid_each(&fa->leads, x0, y0, x1, y1, visit_box_on_leader, &v);
}

/* What leader S of feature SELF costs beyond its length: H for each
 * symbol it runs through, FA's cap for each leader it crosses (one that
 * crosses none always wins) and four times that for each label it runs
 * through: in a cluster too dense for better, a leader through a number
 * still reads, a number over another does not. */
static double
far_cost(const rmap *m, const rfar *fa, const double *s, size_t self, double h)
{
    double x0 = fmin(s[0], s[2]), y0 = fmin(s[1], s[3]);
    double x1 = fmax(s[0], s[2]), y1 = fmax(s[1], s[3]);
    rfar_visit v = {m, fa, s, NULL, self, 0};
    double cost;
    grid_each(&fa->boxes, x0, y0, x1, y1, visit_leader_in_box, &v);
    cost = v.n * 4 * fa->cap;
    v.n = 0;
    grid_each(&fa->leads, x0, y0, x1, y1, visit_leader_crosses, &v);
    cost += v.n * fa->cap;
    v.n = 0;
    grid_each(&fa->syms, x0, y0, x1, y1, visit_symbol_crossed, &v);
    return cost + v.n * h;
}

/* A place away from its site for map number LB, W x H, whose symbol of
 * radius RS (R to keep clear of) is at X, Y. Rings a number's height
 * apart, out to FA's cap; on a ring of distance D every place has its
 * nearest point D from the site (a corner, or on the axes an edge's
 * middle), a number's height apart. The place free of labels, symbols,
 * lines and leaders whose leader costs least (its length plus
 * far_cost()) wins, the first among equals; a farther ring, whose leaders
 * are longer, is not tried once one is found that it cannot beat.
 * Returns 1 and the box's corner in *BX, *BY, or 0. */
static int
far_place(const rmap *m, const rfar *fa, const rlabel *lb, double x, double y,
          double r, double rs, double w, double h, double pad, double lpad,
          double *bx, double *by)
{
    const atlas_box *f = &m->lay.frame;
    double best = INFINITY;

    for (int k = 1;; k++) {
        double d = r + 2 + k * h;
        if (d - rs > fa->cap || d - rs >= best)
            break;
        int q = (int)ceil(2 * M_PI * d / (8 * h)), n = 8 * q;
        for (int j = 0; j < n; j++) {
            double a = 2 * M_PI * j / n, ca = cos(a), sa = sin(a);
            double px = x + d * ca, py = y + d * sa, cx, cy, l[4];
            if (j % (2 * q) == 0) /* on an axis: an edge's middle */
                ca = round(ca), sa = round(sa);
            cx = ca > 0 ? px : ca < 0 ? px - w : px - w / 2;
            cy = sa > 0 ? py : sa < 0 ? py - h : py - h / 2;
            if (cx < f->x + 1 || cy < f->y + 1 || cx + w > f->x + f->w - 1 ||
                cy + h > f->y + f->h - 1)
                continue;
            if (line_hits(m, cx - lpad, cy - lpad, cx + w + lpad,
                          cy + h + lpad) ||
                rgrid_hits(&m->grid, cx - pad, cy - pad, cx + w + pad,
                           cy + h + pad) ||
                far_box_on_leader(m, fa, cx - pad, cy - pad, cx + w + pad,
                                  cy + h + pad))
                continue;
            double cost = leader_ends(x, y, rs, cx, cy, cx + w, cy + h, l);
            if (cost >= best)
                continue;
            far_snap_start(fa, l);
            cost += far_cost(m, fa, l, lb->feature, h);
            if (cost < best)
                best = cost, *bx = cx, *by = cy;
        }
    }
    return isfinite(best);
}

/* 1 when label LB was placed away from its site, with a leader. */
static int
has_leader(const rlabel *lb)
{
    return lb->drop == NULL && lb->fallback != NULL &&
           strcmp(lb->fallback, "leader") == 0;
}

/* What leader L would be faulted for: each placed label it runs
 * through but box SKIP (where it ends), and each leader it crosses of
 * a label other than A and B (those two are counted by the caller). */
static int
leader_faults(const rmap *m, const double *l, size_t skip, size_t a, size_t b)
{
    int n = 0;
    for (size_t j = 0; j < m->n_labels; j++) {
        const rlabel *o = &m->labels[j];
        if (o->drop != NULL)
            continue;
        if (j != skip && seg_in_box(l, o->x0 + 0.25, o->y0 + 0.25, o->x1 - 0.25,
                                    o->y1 - 0.25))
            n++;
        if (j != a && j != b && has_leader(o) && segs_cross(l, o->leader))
            n++;
    }
    return n;
}

/* Two leaders that cross, to boxes of one size, cross no more when the
 * boxes trade places (and are shorter together): a last pass over the
 * labels placed away from their sites trades them where that leaves
 * fewer leaders crossed and labels run through, a few rounds. The boxes
 * stay where they were, so the grid stays true. */
static void
uncross_leaders(rmap *m)
{
    for (int round = 0; round < 4; round++) {
        int swapped = 0;
        for (size_t a = 0; a < m->n_labels; a++) {
            rlabel *la = &m->labels[a];
            if (!has_leader(la))
                continue;
            for (size_t b = a + 1; b < m->n_labels; b++) {
                rlabel *lb = &m->labels[b];
                double na[4], nb[4];
                if (!has_leader(lb) || !segs_cross(la->leader, lb->leader) ||
                    fabs((la->x1 - la->x0) - (lb->x1 - lb->x0)) > 0.5 ||
                    fabs((la->y1 - la->y0) - (lb->y1 - lb->y0)) > 0.5)
                    continue;
                double ra = fmax(0, m->sym_r[la->feature]);
                double rb = fmax(0, m->sym_r[lb->feature]);
                /* A's leader to B's box and the reverse */
                leader_ends(la->ax, la->ay, ra, lb->x0, lb->y0, lb->x1, lb->y1,
                            na);
                leader_ends(lb->ax, lb->ay, rb, la->x0, la->y0, la->x1, la->y1,
                            nb);
                int before = 2 + leader_faults(m, la->leader, a, a, b) +
                             leader_faults(m, lb->leader, b, a, b);
                int after = 2 * segs_cross(na, nb) +
                            leader_faults(m, na, b, a, b) +
                            leader_faults(m, nb, a, a, b);
                if (after >= before)
                    continue;
                double t;
#define SWAP(f) (t = la->f, la->f = lb->f, lb->f = t)
                SWAP(x0), SWAP(y0), SWAP(x1), SWAP(y1), SWAP(tx), SWAP(ty);
#undef SWAP
                memcpy(la->leader, na, sizeof na);
                memcpy(lb->leader, nb, sizeof nb);
                swapped = 1;
            }
        }
        if (!swapped)
            break;
    }
}

/* A label placed with a leader that still crosses another after
 * uncross_leaders() tries once more further out, the others where they
 * are: its new place wins when its leader has fewer faults. Its old box
 * stays an obstacle (room lost, nothing overlapped). -1 when out of
 * memory. */
static int
replace_crossing(rmap *m, rfar *fa, double pad, double lpad)
{
    for (size_t b = 0; b < m->n_labels; b++) {
        rlabel *lb = &m->labels[b];
        int crossed = 0;
        if (!has_leader(lb))
            continue;
        for (size_t a = 0; a < m->n_labels && !crossed; a++)
            crossed = a != b && has_leader(&m->labels[a]) &&
                      segs_cross(lb->leader, m->labels[a].leader);
        if (!crossed)
            continue;
        double w = lb->x1 - lb->x0, h = lb->y1 - lb->y0, bx, by, l[4];
        double r = fmax(0, m->sym_r[lb->feature]);
        if (m->fl->items[lb->feature].layer == ATLAS_LAYER_LINES)
            r = 3;
        if (!far_place(m, fa, lb, lb->ax, lb->ay, r,
                       fmax(0, m->sym_r[lb->feature]), w, h, pad, lpad, &bx,
                       &by))
            continue;
        leader_ends(lb->ax, lb->ay, fmax(0, m->sym_r[lb->feature]), bx, by,
                    bx + w, by + h, l);
        if (leader_faults(m, l, b, b, b) >=
            leader_faults(m, lb->leader, b, b, b))
            continue;
        lb->x0 = lb->tx = bx, lb->y0 = lb->ty = by;
        lb->x1 = bx + w, lb->y1 = by + h;
        memcpy(lb->leader, l, sizeof l);
        if (rgrid_add(&m->grid, lb->x0, lb->y0, lb->x1, lb->y1) != 0 ||
            rgrid_add(&fa->boxes, lb->x0, lb->y0, lb->x1, lb->y1) != 0 ||
            far_add_leader(fa, l) != 0)
            return -1;
    }
    return 0;
}

atlas_status
render_labels_place(rmap *m, atlas_error *err)
{
    const atlas_box *f = &m->lay.frame;
    double pad = 1;       /* a label's breathing room, px */
    double lpad = 1.5;    /* and from a line's middle */
    rfar far, *fa = NULL; /* map numbers only */

    /* Lines drawn are obstacles for every label, their own too. */
    if (add_line_segments(m) != 0)
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    /* Symbols are obstacles for every label. */
    for (size_t i = 0; i < m->fl->n; i++) {
        double r = m->sym_r[i];
        if (r < 0 || m->fl->items[i].layer == ATLAS_LAYER_LINES)
            continue;
        double x = m->pxy[2 * m->off[i]], y = m->pxy[2 * m->off[i] + 1];
        if (rgrid_add(&m->grid, x - r, y - r, x + r, y + r) != 0)
            return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    }
    /* Names and numbers never dropped may go further out with a
     * leader, which every label placed after them keeps clear of. */
    int keep_any = m->o->numbers != NULL;
    for (size_t j = 0; j < m->n_labels && !keep_any; j++)
        keep_any = m->labels[j].must != 0;
    if (keep_any) {
        fa = &far;
        if (far_init(fa, m) != 0)
            goto nomem;
    }
    if (m->n_labels > 0) /* labels is NULL then: qsort wants an array */
        qsort(m->labels, m->n_labels, sizeof *m->labels, cmp_label);
    for (size_t j = 0; j < m->n_labels; j++) {
        rlabel *lb = &m->labels[j];
        double x, y, w, h, r = fmax(0, m->sym_r[lb->feature]);
        double rs = r; /* the symbol drawn: a leader's start */
        int c, line = m->fl->items[lb->feature].layer == ATLAS_LAYER_LINES;
        int keep = lb->number || lb->must; /* never dropped */
        if (!anchor(m, lb->feature, 0, &x, &y) || x < f->x || x > f->x + f->w ||
            y < f->y || y > f->y + f->h) {
            lb->drop = "outside the frame";
            continue;
        }
        if (line)
            r = 3; /* beside the line, not on it */
        /* a line of text is at least half its font size high */
        if (!line && !keep &&
            surely_no_room(m, x, y, r, 0.5 * lb->size, pad, lpad)) {
            lb->drop = "no room";
            continue;
        }
        render_text_layout(m, lb->text, lb->font, lb->size, 0, &w, &h);
        /* Names try the eight places next to the symbol (a line's name
         * also further along the line). A map number must be found:
         * then further out with a leader (far_place()), and at last
         * the place next to it overlapping least. */
        int tries = line ? 5 : 1, try = 0; /* numbers too: off a cluster */
        double x_first = x, y_first = y;
        double best = INFINITY, bbx = 0, bby = 0;
        for (c = 8; try < tries && c == 8; try++) {
            if (try > 0 && !anchor(m, lb->feature, try, &x, &y))
                break;
            for (c = 0; c < 8; c++) {
                double bx, by;
                candidate(c, x, y, r, w, h, &bx, &by);
                if (bx < f->x + 1 || by < f->y + 1 ||
                    bx + w > f->x + f->w - 1 || by + h > f->y + f->h - 1)
                    continue; /* cut by the frame */
                int on_line = line_hits(m, bx - lpad, by - lpad, bx + w + lpad,
                                        by + h + lpad) ||
                              (fa != NULL &&
                               far_box_on_leader(m, fa, bx - pad, by - pad,
                                                 bx + w + pad, by + h + pad));
                if (on_line || rgrid_hits(&m->grid, bx - pad, by - pad,
                                          bx + w + pad, by + h + pad)) {
                    /* Only a map number, never dropped, needs the
                     * least overlapping place; summing overlaps for
                     * every name tried was a third of a crowded map's
                     * time. A line or leader under it counts as a
                     * little overlap. */
                    if (!keep)
                        continue;
                    double ov =
                        rgrid_overlap(&m->grid, bx, by, bx + w, by + h) +
                        (on_line ? h : 0);
                    if (ov < best)
                        best = ov, bbx = bx, bby = by;
                    continue;
                }
                lb->x0 = bx, lb->y0 = by, lb->x1 = bx + w, lb->y1 = by + h;
                lb->tx = bx, lb->ty = by;
                break;
            }
        }
        if (c == 8 && keep && line)
            x = x_first, y = y_first; /* a line's far place: from its middle */
        if (c == 8 && keep && fa != NULL &&
            far_place(m, fa, lb, x, y, r, rs, w, h, pad, lpad, &lb->x0,
                      &lb->y0)) {
            lb->x1 = lb->x0 + w, lb->y1 = lb->y0 + h;
            lb->tx = lb->x0, lb->ty = lb->y0;
            lb->fallback = "leader";
            c = 0;
        }
        if (c == 8 && keep) {
            if (!isfinite(best)) { /* every place cut by the frame */
                candidate(0, x, y, r, w, h, &bbx, &bby);
                bbx = fmin(fmax(bbx, f->x + 1), f->x + f->w - 1 - w);
                bby = fmin(fmax(bby, f->y + 1), f->y + f->h - 1 - h);
            }
            lb->x0 = bbx, lb->y0 = bby, lb->x1 = bbx + w, lb->y1 = bby + h;
            lb->tx = bbx, lb->ty = bby;
            lb->fallback = "overlap";
            c = 0;
        }
        if (c == 8) {
            lb->drop = "no room";
            continue;
        }
        lb->ax = x, lb->ay = y;
        if (rgrid_add(&m->grid, lb->x0, lb->y0, lb->x1, lb->y1) != 0)
            goto nomem;
        if (fa == NULL)
            continue;
        if (rgrid_add(&fa->boxes, lb->x0, lb->y0, lb->x1, lb->y1) != 0)
            goto nomem;
        if (lb->fallback != NULL && strcmp(lb->fallback, "leader") == 0) {
            leader_ends(x, y, rs, lb->x0, lb->y0, lb->x1, lb->y1, lb->leader);
            far_snap_start(fa, lb->leader);
            if (far_add_leader(fa, lb->leader) != 0)
                goto nomem;
        }
    }
    if (fa != NULL) {
        for (int round = 0; round < 3; round++) {
            uncross_leaders(m);
            if (replace_crossing(m, fa, pad, lpad) != 0)
                goto nomem;
        }
        far_free(fa);
    }
    return ATLAS_OK;

nomem:
    if (fa != NULL)
        far_free(fa);
    return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
}

void
render_labels_draw(rmap *m)
{
    for (size_t j = 0; j < m->n_labels; j++) {
        const rlabel *lb = &m->labels[j];
        if (lb->drop != NULL)
            continue;
        if (lb->fallback != NULL && strcmp(lb->fallback, "leader") == 0 &&
            hypot(lb->leader[2] - lb->leader[0],
                  lb->leader[3] - lb->leader[1]) > 1) {
            cairo_save(m->cr);
            cairo_new_path(m->cr);
            cairo_move_to(m->cr, lb->leader[0], lb->leader[1]);
            cairo_line_to(m->cr, lb->leader[2], lb->leader[3]);
            cairo_set_line_width(m->cr, 0.6);
            render_set_color(m->cr, &lb->color, 0.8);
            cairo_stroke(m->cr);
            cairo_restore(m->cr);
        }
        render_text_layout(m, lb->text, lb->font, lb->size, 0, NULL, NULL);
        render_text_draw(m, lb->tx, lb->ty, &lb->color, &lb->halo,
                         lb->halo.a > 0 ? lb->halo_w : 0);
    }
}

void
render_labels_free(rmap *m)
{
    for (size_t j = 0; j < m->n_labels; j++)
        free(m->labels[j].text);
    free(m->labels);
    m->labels = NULL;
    m->n_labels = 0;
}

/* ---- --debug-labels ---- */

/* V rounded to 2 decimals, written so. */
static json_object *
json_double(double v)
{
    char s[32];
    double d = round(v * 100) / 100;
    snprintf(s, sizeof s, "%.2f", d);
    return json_object_new_double_s(d, s);
}

atlas_status
render_labels_debug(rmap *m, const char *path, double k, atlas_error *err)
{
    json_object *root = json_object_new_object();
    json_object *placed = json_object_new_array();
    json_object *dropped = json_object_new_array();
    atlas_status rc = ATLAS_OK;

    if (root == NULL || placed == NULL || dropped == NULL) {
        json_object_put(root);
        json_object_put(placed);
        json_object_put(dropped);
        return atlas_error_set(err, ATLAS_E_NOMEM, "render: out of memory");
    }
    json_object_object_add(root, "placed", placed);
    json_object_object_add(root, "dropped", dropped);
    /* the legend's box, and what it hides: nothing, unless every corner
     * would hide something (then the fewest) */
    json_object *legend = json_object_new_object();
    json_object *hides = json_object_new_array();
    json_object *lb_box = json_object_new_array();
    double lv[4] = {m->legend.x, m->legend.y, m->legend.x + m->legend.w,
                    m->legend.y + m->legend.h};
    for (int i = 0; i < 4 && m->legend.w > 0; i++) {
        char s[32];
        double d = round(lv[i] * k * 100) / 100;
        snprintf(s, sizeof s, "%.2f", d);
        json_object_array_add(lb_box, json_object_new_double_s(d, s));
    }
    for (size_t i = 0; i < m->fl->n; i++)
        if (render_box_hides(m, &m->legend, i)) {
            const char *id = atlas_feature_text(&m->fl->items[i], ATLAS_F_ID);
            json_object_array_add(hides, json_object_new_string(id ? id : ""));
        }
    /* the frame, and the lines drawn as segments: what labels avoid */
    json_object *fr = json_object_new_array();
    const atlas_box *f = &m->lay.frame;
    double fv[4] = {f->x, f->y, f->x + f->w, f->y + f->h};
    for (int i = 0; i < 4; i++)
        json_object_array_add(fr, json_double(fv[i] * k));
    json_object_object_add(root, "frame", fr);
    json_object *segs = json_object_new_array();
    for (size_t j = 0; j < m->seg_grid.n_rects; j++) {
        json_object *sg = json_object_new_array();
        for (int i = 0; i < 4; i++)
            json_object_array_add(sg, json_double(m->seg[4 * j + i] * k));
        json_object_array_add(segs, sg);
    }
    json_object_object_add(root, "line_segments", segs);
    /* the scale bar's box, and the graticule: each line's points in the
     * frame, its label and where it meets the frame there */
    json_object *sc = json_object_new_array();
    double sv[4] = {m->scale.x, m->scale.y, m->scale.x + m->scale.w,
                    m->scale.y + m->scale.h};
    for (int i = 0; i < 4 && m->scale.w > 0; i++)
        json_object_array_add(sc, json_double(sv[i] * k));
    json_object_object_add(root, "scale", sc);
    json_object *grat = json_object_new_array();
    for (size_t j = 0; j < m->n_grat; j++) {
        const rgrat *g = &m->grat[j];
        json_object *o = json_object_new_object();
        json_object *pts = json_object_new_array();
        json_object_object_add(o, "text", json_object_new_string(g->text));
        json_object_object_add(
            o, "line",
            json_object_new_string(g->meridian ? "meridian" : "parallel"));
        json_object_object_add(o, "deg", json_double(g->deg));
        for (size_t q = 0; q < g->n; q++) {
            const double *a = &g->pts[2 * q];
            int near = 0; /* in the frame, or next to a point in it */
            for (size_t r = q > 0 ? q - 1 : 0; r <= q + 1 && r < g->n; r++)
                near |= !isnan(g->pts[2 * r]) && g->pts[2 * r] >= f->x &&
                        g->pts[2 * r] <= f->x + f->w &&
                        g->pts[2 * r + 1] >= f->y &&
                        g->pts[2 * r + 1] <= f->y + f->h;
            if (!near)
                continue;
            json_object *pt = json_object_new_array();
            json_object_array_add(pt, json_double(a[0] * k));
            json_object_array_add(pt, json_double(a[1] * k));
            json_object_array_add(pts, pt);
        }
        json_object_object_add(o, "points", pts);
        if (g->placed) {
            json_object *b = json_object_new_array(),
                        *c = json_object_new_array();
            for (int i = 0; i < 4; i++)
                json_object_array_add(b, json_double(g->box[i] * k));
            for (int i = 0; i < 2; i++)
                json_object_array_add(c, json_double(g->cross[i] * k));
            json_object_object_add(o, "bbox", b);
            json_object_object_add(o, "cross", c);
            json_object_object_add(o, "edge", json_object_new_string(g->edge));
        } else {
            json_object_object_add(
                o, "reason",
                json_object_new_string(g->drop ? g->drop : "not drawn"));
        }
        json_object_array_add(grat, o);
    }
    json_object_object_add(root, "graticule", grat);
    json_object_object_add(legend, "bbox", lb_box);
    /* its entries (style layer ids) and the size key's counts */
    json_object *ent = json_object_new_array(), *keys = json_object_new_array();
    for (size_t li = 0; li < atlas_style_n_layers(m->style) && m->legend.w > 0;
         li++)
        if (render_legend_entry(m, li))
            json_object_array_add(ent,
                                  json_object_new_string(atlas_style_layer_id(
                                      atlas_style_layer_at(m->style, li))));
    for (int i = 0; i < m->n_legend_keys && m->legend.w > 0; i++)
        json_object_array_add(keys, json_double(m->legend_keys[i]));
    /* the arrowheads of deportations: tip, and a point behind it */
    json_object *flows = json_object_new_array();
    for (size_t i = 0; i < m->fl->n; i++) {
        double tips[4 * 16];
        int n = render_flow_tips(m, i, tips, 16);
        if (n == 0)
            continue;
        const char *id = atlas_feature_text(&m->fl->items[i], ATLAS_F_ID);
        json_object *o = json_object_new_object(),
                    *ta = json_object_new_array();
        json_object_object_add(o, "id", json_object_new_string(id ? id : ""));
        for (int t = 0; t < n; t++) {
            json_object *tp = json_object_new_array();
            for (int c = 0; c < 4; c++)
                json_object_array_add(tp, json_double(tips[4 * t + c] * k));
            json_object_array_add(ta, tp);
        }
        json_object_object_add(o, "tips", ta);
        json_object_array_add(flows, o);
    }
    json_object_object_add(root, "flows", flows);
    json_object_object_add(legend, "entries", ent);
    json_object_object_add(legend, "size_key", keys);
    json_object_object_add(legend, "hides", hides);
    json_object_object_add(root, "legend", legend);
    json_object *marks = json_object_new_array();
    json_object_object_add(root, "marks", marks);
    for (size_t j = 0; j < m->n_marks; j++) {
        const rmark *mk = &m->marks[j];
        const char *id =
            atlas_feature_text(&m->fl->items[mk->feature], ATLAS_F_ID);
        json_object *o = json_object_new_object();
        json_object *at = json_object_new_array();
        json_object_object_add(o, "id", json_object_new_string(id ? id : ""));
        json_object_object_add(
            o, "layer",
            json_object_new_string(atlas_style_layer_id(mk->layer)));
        for (int i = 0; i < 2; i++) {
            char s[32];
            double d = round((i ? mk->y : mk->x) * k * 100) / 100;
            snprintf(s, sizeof s, "%.2f", d);
            json_object_array_add(at, json_object_new_double_s(d, s));
        }
        json_object_object_add(o, "at", at);
        json_object_array_add(marks, o);
    }
    /* the map's labels, then each inset's, named by its preset */
    for (size_t q = 0; q <= m->n_insets; q++) {
        const rmap *lm = q == 0 ? m : render_inset_map(m, q - 1);
        for (size_t j = 0; j < lm->n_labels; j++) {
            const rlabel *lb = &lm->labels[j];
            if (q > 0 && lb->drop != NULL &&
                strcmp(lb->drop, "outside the frame") == 0)
                continue; /* an inset reports what it shows */
            const char *id =
                atlas_feature_text(&m->fl->items[lb->feature], ATLAS_F_ID);
            json_object *o = json_object_new_object();
            json_object_object_add(o, "id",
                                   json_object_new_string(id ? id : ""));
            json_object_object_add(o, "text", json_object_new_string(lb->text));
            if (lm->o->inset_name != NULL)
                json_object_object_add(
                    o, "inset", json_object_new_string(lm->o->inset_name));
            if (lb->must != 0) /* why it is never dropped */
                json_object_object_add(
                    o, "keep",
                    json_object_new_string(lb->must == RLABEL_SIGNIFICANT
                                               ? "significant"
                                               : "largest"));
            if (lb->drop == NULL) {
                json_object *b = json_object_new_array();
                double v[4] = {lb->x0, lb->y0, lb->x1, lb->y1};
                for (int i = 0; i < 4; i++) {
                    char s[32];
                    double d = round(v[i] * k * 100) / 100;
                    snprintf(s, sizeof s, "%.2f", d);
                    json_object_array_add(b, json_object_new_double_s(d, s));
                }
                json_object_object_add(o, "bbox", b);
                if (lb->fallback != NULL)
                    json_object_object_add(
                        o, "fallback", json_object_new_string(lb->fallback));
                if (lb->fallback != NULL &&
                    strcmp(lb->fallback, "leader") == 0) {
                    json_object *ld = json_object_new_array();
                    for (int i = 0; i < 4; i++)
                        json_object_array_add(ld,
                                              json_double(lb->leader[i] * k));
                    json_object_object_add(o, "leader", ld);
                }
                json_object_array_add(placed, o);
            } else {
                json_object_object_add(o, "reason",
                                       json_object_new_string(lb->drop));
                json_object_array_add(dropped, o);
            }
        }
    }
    /* the insets: each one's box and the area it enlarges */
    json_object *ins = json_object_new_array();
    for (size_t q = 0; q < m->n_insets; q++) {
        const rmap *im = render_inset_map(m, q);
        json_object *o = json_object_new_object(), *b = json_object_new_array();
        const atlas_box *f = &im->lay.frame;
        double v[4] = {f->x, f->y, f->x + f->w, f->y + f->h};
        json_object_object_add(o, "name",
                               json_object_new_string(im->o->inset_name));
        for (int i = 0; i < 4; i++)
            json_object_array_add(b, json_double(v[i] * k));
        json_object_object_add(o, "frame", b);
        json_object_array_add(ins, o);
    }
    json_object_object_add(root, "insets", ins);
    if (json_object_to_file_ext(path, root,
                                JSON_C_TO_STRING_PRETTY |
                                    JSON_C_TO_STRING_NOSLASHESCAPE) != 0)
        rc = atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", path,
                             json_util_get_last_err());
    json_object_put(root);
    return rc;
}
