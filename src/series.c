/* series.c: year-by-year atlases. Worker threads draw the pages, each on
 * its own cairo surface with its own pango layout: for one PDF onto
 * recording surfaces the main thread replays in year order (so the file
 * is the same for any number of jobs), for a %Y pattern straight into
 * their own files. The main thread also draws the progress bar. */
#include "series.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "handout.h"
#include "outfile.h"
#include "page.h"
#include "render_cairo.h"

#define SZ_YEAR 30.0
#define SZ_TITLE 13.0
#define SZ_FOOT 9.0
#define SZ_CHART 8.0
#define PNG_DPI 150.0

typedef enum out_format { OUT_PDF, OUT_PNG, OUT_SVG } out_format;

/* One page's work and result. */
typedef struct job {
    int year;                     /* 0: the summary page */
    const atlas_feature_list *fl; /* NULL for the summary */
    const atlas_period *period;   /* the page's borders and places */
    cairo_surface_t *rec;         /* PDF: the recorded page */
    atlas_error err;
    int done;
} job;

/* The whole series being drawn. */
typedef struct series {
    const atlas_series_opts *o;
    const atlas_style *style;
    const atlas_i18n *tr;
    const char *out;
    int pattern;       /* one file a page */
    out_format fmt;    /* of each file, for a pattern */
    double pw, ph;     /* page in px */
    char title[256];   /* the series title */
    double legend_max; /* the largest count on any page */
    /* per style layer: 1 its legend entry on every page (a feature of
     * it shows on some page), 2 on the pages that draw it (basemap and
     * period layers), 0 none */
    unsigned char *legend_layers;
    job *jobs;
    size_t n_jobs;
    size_t next; /* next job to take */
    size_t n_done;
    size_t window;   /* PDF: jobs drawn ahead of the replay, at most */
    size_t replayed; /* PDF: jobs replayed so far */
    int stop;        /* an error: take no more jobs */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} series;

int
atlas_series_output_kind(const char *out, atlas_error *err)
{
    const char *y = strstr(out, "%Y");
    const char *dot = strrchr(out, '.');
    int pdf = dot != NULL && strcasecmp(dot, ".pdf") == 0;

    if (y != NULL && strstr(y + 2, "%Y") == NULL && dot != NULL && dot > y &&
        (pdf || strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".svg") == 0))
        return 1;
    if (y == NULL && pdf)
        return 0;
    atlas_error_set(err, ATLAS_E_INPUT,
                    "-o: \"%.200s\": expected FILE.pdf, or a pattern with "
                    "one %%Y and .png, .svg or .pdf (out/%%Y.png)",
                    out);
    return -1;
}

/* ---- drawing ---- */

/* A round number at least V for a chart's axis. */
static double
nice_ceil(double v)
{
    double e = pow(10, floor(log10(v))), f = v / e;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
}

/* A bar chart of the totals in BOX with YEAR's bar marked (0: none).
 * BIG: the summary page's chart, with axis labels every few years. */
static void
draw_chart(cairo_t *cr, PangoLayout *pl, const series *s, double x, double y,
           double w, double h, int year, int big)
{
    const atlas_series_opts *o = s->o;
    int n = o->year_to - o->year_from + 1;
    double max = 0, lab_h = SZ_CHART * 1.4, top = 0;
    double sz = big ? SZ_FOOT + 1 : SZ_CHART;
    char buf[64];

    for (int i = 0; i < n; i++) {
        max = fmax(max, (double)o->totals[i]);
        if (o->published != NULL)
            max = fmax(max, (double)o->published[i]);
    }
    if (big) {
        lab_h = sz * 1.6;
        top = sz;
    }
    /* title above the bars */
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (!big) {
        top =
            atlas_page_text(cr, pl, atlas_i18n_get(s->tr, "series.chart_title"),
                            x, y, w, SZ_CHART, 0, 1) +
            2;
    }
    double ax = x + (big ? 60 : 0), aw = w - (big ? 60 : 0);
    double by = y + top, bh = h - top - lab_h;
    double bw = aw / n;
    double vmax = max > 0 ? nice_ceil(max) : 1;

    /* axis and grid */
    cairo_set_line_width(cr, 0.5);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    for (int k = 0; big && k <= 4; k++) {
        double gy = by + bh - bh * k / 4;
        cairo_move_to(cr, ax, gy);
        cairo_line_to(cr, ax + aw, gy);
        cairo_stroke(cr);
        atlas_i18n_number(s->tr, (long long)(vmax * k / 4), buf, sizeof buf);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        atlas_page_text(cr, pl, buf, x, gy - sz * 0.7, 55, sz, ATLAS_TEXT_RIGHT,
                        1);
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    }
    for (int i = 0; i < n; i++) {
        int yr = o->year_from + i;
        double bx = ax + i * bw, v = (double)o->totals[i];
        if (o->totals[i] >= 0) {
            double hh = bh * v / vmax;
            /* grays that stay apart on a black-and-white printer */
            double g = yr == year ? 0 : 0.62;
            cairo_set_source_rgb(cr, g, g, g);
            cairo_rectangle(cr, bx + bw * 0.12, by + bh - hh, bw * 0.76, hh);
            cairo_fill(cr);
        }
        if (yr == year) {
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, 1);
            cairo_rectangle(cr, bx + 0.5, by + 0.5, bw - 1, bh - 1);
            cairo_stroke(cr);
        }
    }
    /* the published totals of the whole camp system: black dots joined
     * where two years follow each other, so the share the map shows is
     * seen against the whole */
    for (int i = 0; o->published != NULL && i < n; i++) {
        if (o->published[i] < 0)
            continue;
        double px = ax + (i + 0.5) * bw;
        double py = by + bh - bh * (double)o->published[i] / vmax;
        cairo_set_source_rgb(cr, 0, 0, 0);
        if (i > 0 && o->published[i - 1] >= 0) {
            cairo_set_line_width(cr, big ? 1.2 : 0.7);
            cairo_move_to(cr, px - bw,
                          by + bh - bh * (double)o->published[i - 1] / vmax);
            cairo_line_to(cr, px, py);
            cairo_stroke(cr);
        }
        cairo_new_path(cr);
        cairo_arc(cr, px, py, fmin(bw * 0.3, big ? 3.2 : 1.6), 0, 2 * M_PI);
        cairo_fill(cr);
    }
    if (big && o->published != NULL) {
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        atlas_page_text(cr, pl, atlas_i18n_get(s->tr, "series.chart_published"),
                        ax, by - sz * 1.3, aw, sz * 0.9, 0, 1);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, ax, by + bh);
    cairo_line_to(cr, ax + aw, by + bh);
    cairo_stroke(cr);
    /* year labels: first, last, and each multiple of 5 (or 10) between
     * that leaves room */
    int every = bw * 5 >= sz * 3 ? 5 : 10;
    int cur = year - o->year_from;
    for (int i = 0; i < n; i++) {
        int yr = o->year_from + i, show;
        if (big)
            show =
                i == 0 || i == n - 1 || (yr % every == 0 && i > 1 && i < n - 2);
        else /* the ends, and the marked year; ends give way to it */
            show = i == cur ||
                   ((i == 0 || i == n - 1) &&
                    (year == 0 || fabs((double)(i - cur)) * bw >= sz * 3.2));
        if (!show)
            continue;
        snprintf(buf, sizeof buf, "%d", yr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        atlas_page_text(cr, pl, buf, ax + i * bw + bw / 2 - 30, by + bh + 2, 60,
                        sz,
                        yr == year ? ATLAS_TEXT_BOLD | ATLAS_TEXT_CENTER
                                   : ATLAS_TEXT_CENTER,
                        1);
    }
}

/* The foot line of every page: caveats and the page number. */
static void
draw_foot(cairo_t *cr, PangoLayout *pl, const series *s, size_t idx)
{
    double m = ATLAS_PAGE_MARGIN, w = s->pw - 2 * m;
    double y = s->ph - m - SZ_FOOT * 1.3;
    char pg[16], pgs[16], buf[128], text[1024];
    const char *vars[] = {"page", pg, "pages", pgs, NULL};

    snprintf(pg, sizeof pg, "%zu", idx + 1);
    snprintf(pgs, sizeof pgs, "%zu", s->n_jobs);
    atlas_i18n_format(s->tr, "page.number", buf, sizeof buf, vars);
    snprintf(text, sizeof text, "%s %s",
             atlas_i18n_get(s->tr, "caption.incomplete"),
             atlas_i18n_get(s->tr, s->n_jobs > 0 && s->jobs[s->n_jobs - 1]
                                                     .period != NULL &&
                                           s->jobs[s->n_jobs - 1]
                                                   .period->n_borders > 0
                                       ? "caption.borders_yearly"
                                       : "caption.borders"));
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    atlas_page_text(cr, pl, text, m, y, w * 0.85, SZ_FOOT, 0, 1);
    atlas_page_text(cr, pl, buf, m, y, w, SZ_FOOT, ATLAS_TEXT_RIGHT, 1);
}

static atlas_status
draw_summary(cairo_t *cr, PangoLayout *pl, const series *s, atlas_error *err)
{
    double m = ATLAS_PAGE_MARGIN, w = s->pw - 2 * m, y = m;
    char y0[16], y1[16], buf[512];
    const char *vars[] = {"from", y0, "to", y1, NULL};

    snprintf(y0, sizeof y0, "%d", s->o->year_from);
    snprintf(y1, sizeof y1, "%d", s->o->year_to);
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += atlas_page_text(cr, pl, s->title, m, y, w, SZ_YEAR * 0.7,
                         ATLAS_TEXT_BOLD, 1) +
         16;
    atlas_i18n_format(s->tr, "series.summary_title", buf, sizeof buf, vars);
    y +=
        atlas_page_text(cr, pl, buf, m, y, w, SZ_TITLE, ATLAS_TEXT_BOLD, 1) + 8;
    draw_chart(cr, pl, s, m, y, w, s->ph * 0.5, 0, 1);
    y += s->ph * 0.5 + 12;
    cairo_set_source_rgb(cr, 0, 0, 0);
    atlas_page_text(cr, pl, atlas_i18n_get(s->tr, "series.summary_note"), m, y,
                    w, SZ_FOOT + 2, 0, 1);
    (void)err;
    return ATLAS_OK;
}

/* The map's area on a page: what draw_page() gives the map. */
static void
map_area(const series *s, double *w, double *h)
{
    double m = ATLAS_PAGE_MARGIN, y = m + SZ_YEAR * 1.3 + 6;
    *w = s->pw - 2 * m;
    *h = s->ph - m - SZ_FOOT * 3 - y;
}

typedef struct lgetter {
    const atlas_feature *fe;
    const char *lang;
} lgetter;

static int
lget(const void *obj, const char *name, atlas_value *out)
{
    const lgetter *g = obj;
    return atlas_feature_get(g->fe, name, g->lang, out);
}

/* One legend for the whole series (2026-12: its entries changed from
 * page to page): S->legend_layers marks each data layer with a legend
 * entry of which a feature shows in the frame of some page, and the
 * other layers with an entry to be shown where they draw. */
static atlas_status
legend_union(series *s, const atlas_series_page *pages, size_t n_pages,
             atlas_error *err)
{
    size_t nl = atlas_style_n_layers(s->style);
    double w, h;
    lgetter g = {NULL, atlas_i18n_lang(s->tr)};
    atlas_eval_ctx ctx = {lget, &g, 3};

    s->legend_layers = calloc(nl + 1, 1);
    if (s->legend_layers == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "series: out of memory");
    map_area(s, &w, &h);
    for (size_t li = 0; li < nl; li++) {
        const atlas_style_layer *l = atlas_style_layer_at(s->style, li);
        const char *src = atlas_style_layer_source(l);
        if (atlas_style_layer_legend(l) != NULL &&
            (src == NULL ||
             (strcmp(src, "sites") != 0 && strcmp(src, "lines") != 0)))
            s->legend_layers[li] = 2;
    }
    for (size_t p = 0; p < n_pages; p++) {
        const atlas_feature_list *fl = pages[p].features;
        unsigned char *vis = calloc(fl->n + 1, 1);
        atlas_render_opts ro;
        size_t n_vis = 0;
        if (vis == NULL)
            return atlas_error_set(err, ATLAS_E_NOMEM, "series: out of memory");
        atlas_render_opts_init(&ro);
        ro.year_from = ro.year_to = pages[p].year;
        ro.period = pages[p].period;
        ro.extent = s->o->extent;
        ro.lang = g.lang;
        ro.tr = s->tr;
        ro.no_title = 1;
        ro.no_attribution = 1;
        if (atlas_render_visible(fl, s->style, &ro, w, h, vis, &n_vis, err) !=
            ATLAS_OK) {
            free(vis);
            return err->code;
        }
        for (size_t li = 0; li < nl; li++) {
            const atlas_style_layer *l = atlas_style_layer_at(s->style, li);
            const char *src = atlas_style_layer_source(l);
            int sites = src != NULL && strcmp(src, "sites") == 0;
            if (s->legend_layers[li] != 0 || atlas_style_layer_legend(l) == NULL ||
                !atlas_style_layer_visible(l) ||
                (!sites && (src == NULL || strcmp(src, "lines") != 0)))
                continue;
            for (size_t i = 0; i < fl->n && !s->legend_layers[li]; i++) {
                if (!vis[i] || (fl->items[i].layer == ATLAS_LAYER_SITES) != sites)
                    continue;
                g.fe = &fl->items[i];
                s->legend_layers[li] = atlas_style_layer_filter(l, &ctx) != 0;
            }
        }
        free(vis);
    }
    return ATLAS_OK;
}

/* Draws page JB onto CR (in CSS px, white already). */
static atlas_status
draw_page(cairo_t *cr, const series *s, const job *jb, size_t idx,
          atlas_error *err)
{
    double m = ATLAS_PAGE_MARGIN, w = s->pw - 2 * m, y = m;
    double chart_w = 220, head_h = SZ_YEAR * 1.3;
    PangoLayout *pl = pango_cairo_create_layout(cr);
    atlas_render_opts ro;
    char buf[64];

    if (jb->fl == NULL) {
        draw_summary(cr, pl, s, err);
    } else {
        /* the year large, where a reader flipping pages looks */
        snprintf(buf, sizeof buf, "%d", jb->year);
        cairo_set_source_rgb(cr, 0, 0, 0);
        double yw =
            atlas_page_text(cr, pl, buf, m, y, 0, SZ_YEAR, ATLAS_TEXT_BOLD, 1);
        (void)yw;
        int pw_, ph_;
        pango_layout_get_size(pl, &pw_, &ph_);
        atlas_page_text(cr, pl, s->title, m + (double)pw_ / PANGO_SCALE + 14,
                        y + SZ_YEAR - SZ_TITLE * 1.2, w * 0.55, SZ_TITLE, 0, 1);
        if (s->o->summary && s->o->totals != NULL)
            draw_chart(cr, pl, s, m + w - chart_w, y, chart_w, head_h, jb->year,
                       0);
        y += head_h + 6;
        atlas_render_opts_init(&ro);
        ro.year_from = ro.year_to = jb->year;
        ro.period = jb->period;
        ro.extent = s->o->extent;
        ro.lang = atlas_i18n_lang(s->tr);
        ro.tr = s->tr;
        ro.legend_max = s->legend_max; /* the same size key every year */
        ro.legend_layers = s->legend_layers; /* and the same entries */
        ro.no_title = 1;
        ro.no_attribution = 1; /* the foot line credits the basemap */
        atlas_render_to_cairo(cr, m, y, w, s->ph - m - SZ_FOOT * 3 - y, jb->fl,
                              s->style, &ro, err);
    }
    if (err->code == ATLAS_OK)
        draw_foot(cr, pl, s, idx);
    g_object_unref(pl);
    if (err->code == ATLAS_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        atlas_error_set(err, ATLAS_E_IO, "page %zu: cannot draw: %s", idx + 1,
                        cairo_status_to_string(cairo_status(cr)));
    return err->code;
}

/* The file of page JB for a pattern: "%Y" replaced by the year (or
 * "summary"), into BUF. */
static void
page_path(const series *s, const job *jb, char *buf, size_t size)
{
    const char *y = strstr(s->out, "%Y");
    char yr[16];
    if (jb->fl == NULL)
        snprintf(yr, sizeof yr, "summary");
    else
        snprintf(yr, sizeof yr, "%d", jb->year);
    snprintf(buf, size, "%.*s%s%s", (int)(y - s->out), s->out, yr, y + 2);
}

/* Writes page JB to its own file. */
static atlas_status
write_file(series *s, job *jb, size_t idx)
{
    char path[4096];
    atlas_outfile of;
    cairo_surface_t *surf;
    cairo_t *cr;
    double k = s->fmt == OUT_PNG ? PNG_DPI / 96 : 0.75;
    atlas_error *err = &jb->err;

    page_path(s, jb, path, sizeof path);
    if (atlas_outfile_open(&of, path, err) != ATLAS_OK)
        return err->code;
    if (s->fmt == OUT_PNG)
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                          (int)ceil(s->pw * k - 1e-6),
                                          (int)ceil(s->ph * k - 1e-6));
    else if (s->fmt == OUT_SVG)
        surf = cairo_svg_surface_create_for_stream(atlas_page_write, of.fp,
                                                   s->pw * k, s->ph * k);
    else
        surf = atlas_page_pdf_create(of.fp, s->pw, s->ph, s->title);
    cr = cairo_create(surf);
    cairo_scale(cr, k, k);
    cairo_set_source_rgb(cr, 1, 1, 1); /* paper */
    cairo_paint(cr);
    draw_page(cr, s, jb, idx, err);
    cairo_show_page(cr);
    cairo_destroy(cr);
    if (err->code == ATLAS_OK && s->fmt == OUT_PNG &&
        cairo_surface_write_to_png_stream(surf, atlas_page_write, of.fp) !=
            CAIRO_STATUS_SUCCESS)
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot write PNG", path);
    if (err->code == ATLAS_OK)
        atlas_page_finish(surf, path, err);
    cairo_surface_destroy(surf);
    if (err->code == ATLAS_OK)
        atlas_outfile_commit(&of, err);
    else
        atlas_outfile_abort(&of);
    return err->code;
}

/* Records page JB for the main thread to replay into the PDF. */
static atlas_status
record_page(series *s, job *jb, size_t idx)
{
    cairo_rectangle_t ext = {0, 0, s->pw * 0.75, s->ph * 0.75};
    cairo_surface_t *rec =
        cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    cairo_t *cr = cairo_create(rec);

    cairo_scale(cr, 0.75, 0.75); /* CSS px on a PDF in points */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_page(cr, s, jb, idx, &jb->err);
    cairo_destroy(cr);
    if (jb->err.code != ATLAS_OK) {
        cairo_surface_destroy(rec);
        return jb->err.code;
    }
    jb->rec = rec;
    return ATLAS_OK;
}

static void *
worker(void *arg)
{
    series *s = arg;

    pthread_mutex_lock(&s->mu);
    for (;;) {
        /* PDF: stay within a window of the replay, so finished pages
         * do not pile up in memory */
        while (!s->stop && s->next < s->n_jobs && !s->pattern &&
               s->next >= s->replayed + s->window)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->stop || s->next >= s->n_jobs)
            break;
        size_t i = s->next++;
        pthread_mutex_unlock(&s->mu);
        job *jb = &s->jobs[i];
        atlas_status rc =
            s->pattern ? write_file(s, jb, i) : record_page(s, jb, i);
        pthread_mutex_lock(&s->mu);
        jb->done = 1;
        s->n_done++;
        if (rc != ATLAS_OK)
            s->stop = 1;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- progress ---- */

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
progress(const series *s, size_t done, double t0)
{
    char bar[32];
    size_t n = s->n_jobs, fill = n ? done * 24 / n : 24;
    double el = now() - t0;

    for (size_t i = 0; i < 24; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[24] = '\0';
    if (done > 0 && done < n) {
        long left = (long)(el / done * (n - done) + 0.5);
        fprintf(stderr, "\ratlas: series [%s] %zu/%zu pages, %ld:%02ld left ",
                bar, done, n, left / 60, left % 60);
    } else {
        fprintf(stderr, "\ratlas: series [%s] %zu/%zu pages%-16s", bar, done, n,
                "");
    }
    fflush(stderr);
}

/* ---- the series ---- */

atlas_status
atlas_series_write(const atlas_series_page *pages, size_t n_pages,
                   const atlas_style *style, const atlas_i18n *tr,
                   const atlas_series_opts *o, const char *out,
                   atlas_error *err)
{
    series s;
    pthread_t *th = NULL;
    size_t n_threads = 0, shown = (size_t)-1;
    int kind, mu_ok = 0;
    char y0[16], y1[16], ext_key[64];
    const char *vars[] = {"from", y0, "to", y1, "region", "", NULL};
    atlas_outfile of;
    int opened = 0;
    cairo_surface_t *pdf = NULL;
    cairo_t *cr = NULL;
    double t0 = now();

    memset(&s, 0, sizeof s);
    kind = atlas_series_output_kind(out, err);
    if (kind < 0)
        return err->code;
    s.o = o;
    s.style = style;
    s.tr = tr;
    s.out = out;
    s.pattern = kind;
    if (kind) {
        const char *dot = strrchr(out, '.');
        s.fmt = strcasecmp(dot, ".png") == 0   ? OUT_PNG
                : strcasecmp(dot, ".svg") == 0 ? OUT_SVG
                                               : OUT_PDF;
    }
    if (atlas_page_paper(o->paper, 1, &s.pw, &s.ph, err) != ATLAS_OK)
        return err->code;
    snprintf(y0, sizeof y0, "%d", o->year_from);
    snprintf(y1, sizeof y1, "%d", o->year_to);
    snprintf(ext_key, sizeof ext_key, "extent.%s",
             o->extent != NULL ? o->extent : "ussr");
    vars[5] = atlas_i18n_get(tr, ext_key);
    atlas_i18n_format(tr,
                      strcmp(vars[5], ext_key) != 0 ? "title.region_series"
                                                    : "title.series",
                      s.title, sizeof s.title, vars);
    if (o->title != NULL)
        snprintf(s.title, sizeof s.title, "%s", o->title);
    if (o->subtitle != NULL && o->subtitle[0] != '\0') {
        size_t n = strlen(s.title);
        snprintf(s.title + n, sizeof s.title - n, " \u2014 %s", o->subtitle);
    }

    s.n_jobs = n_pages + (o->summary && o->totals != NULL);
    s.jobs = calloc(s.n_jobs + 1, sizeof *s.jobs);
    if (s.jobs == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "series: out of memory");
    for (size_t i = 0, j = s.n_jobs - n_pages; i < n_pages; i++, j++) {
        s.jobs[j].year = pages[i].year;
        s.jobs[j].period = pages[i].period;
        s.jobs[j].fl = pages[i].features;
    }
    for (size_t i = 0; i < s.n_jobs; i++)
        atlas_error_init(&s.jobs[i].err);
    for (size_t i = 0; i < n_pages; i++)
        for (size_t k = 0; k < pages[i].features->n; k++) {
            const atlas_feature *fe = &pages[i].features->items[k];
            if (fe->has_prisoners && (double)fe->prisoners > s.legend_max)
                s.legend_max = (double)fe->prisoners;
        }
    s.window = 2 * (size_t)(o->jobs > 0 ? o->jobs : 1);
    if (legend_union(&s, pages, n_pages, err) != ATLAS_OK)
        goto cleanup;

    if (!s.pattern) {
        if (atlas_outfile_open(&of, out, err) != ATLAS_OK)
            goto cleanup;
        opened = 1;
        pdf = atlas_page_pdf_create(of.fp, s.pw, s.ph, s.title);
        cr = cairo_create(pdf);
    }
    if (pthread_mutex_init(&s.mu, NULL) != 0 ||
        pthread_cond_init(&s.cv, NULL) != 0) {
        atlas_error_set(err, ATLAS_E_IO, "series: cannot start threads");
        goto cleanup;
    }
    mu_ok = 1;
    /* cairo numbers SVG surfaces ("surface12") from one counter for the
     * whole process: pages drawn at once would number theirs in a
     * different order each run. SVG files are drawn one at a time. */
    int n_work = o->jobs > 0 ? o->jobs : 1;
    if (s.pattern && s.fmt == OUT_SVG)
        n_work = 1;
    th = calloc((size_t)n_work, sizeof *th);
    if (th == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "series: out of memory");
        goto cleanup;
    }
    for (int t = 0; t < n_work; t++) {
        if (pthread_create(&th[t], NULL, worker, &s) != 0)
            break;
        n_threads++;
    }
    if (n_threads == 0) {
        atlas_error_set(err, ATLAS_E_IO, "series: cannot start threads");
        goto cleanup;
    }

    /* Replay finished pages in order; show progress as pages finish. */
    pthread_mutex_lock(&s.mu);
    for (;;) {
        while (s.replayed < s.n_jobs && s.jobs[s.replayed].done && !s.pattern) {
            job *jb = &s.jobs[s.replayed];
            cairo_surface_t *rec = jb->rec;
            jb->rec = NULL;
            pthread_mutex_unlock(&s.mu);
            if (rec != NULL) {
                cairo_set_source_surface(cr, rec, 0, 0);
                cairo_paint(cr);
                cairo_show_page(cr);
                cairo_surface_destroy(rec);
            }
            pthread_mutex_lock(&s.mu);
            s.replayed++;
            pthread_cond_broadcast(&s.cv);
        }
        if (o->progress && s.n_done != shown) {
            shown = s.n_done;
            progress(&s, shown, t0);
        }
        if (s.n_done == s.n_jobs || (s.stop && s.n_done == s.next))
            break;
        pthread_cond_wait(&s.cv, &s.mu);
    }
    pthread_mutex_unlock(&s.mu);
    if (o->progress)
        fputc('\n', stderr);

cleanup:
    for (size_t t = 0; t < n_threads; t++)
        pthread_join(th[t], NULL);
    free(th);
    /* the earliest page's error is the one reported */
    for (size_t i = 0; i < s.n_jobs && err->code == ATLAS_OK; i++)
        if (s.jobs[i].err.code != ATLAS_OK)
            atlas_error_set(err, s.jobs[i].err.code, "%s", s.jobs[i].err.msg);
    if (err->code == ATLAS_OK && cr != NULL &&
        cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot draw: %s", out,
                        cairo_status_to_string(cairo_status(cr)));
    if (cr != NULL)
        cairo_destroy(cr);
    if (pdf != NULL) {
        if (err->code == ATLAS_OK)
            atlas_page_finish(pdf, out, err);
        cairo_surface_destroy(pdf);
    }
    if (opened) {
        if (err->code == ATLAS_OK)
            atlas_outfile_commit(&of, err);
        else
            atlas_outfile_abort(&of); /* a failure leaves no partial file */
    }
    for (size_t i = 0; i < s.n_jobs; i++)
        if (s.jobs[i].rec != NULL)
            cairo_surface_destroy(s.jobs[i].rec);
    free(s.jobs);
    free(s.legend_layers);
    if (mu_ok) {
        pthread_mutex_destroy(&s.mu);
        pthread_cond_destroy(&s.cv);
    }
    return err->code;
}
