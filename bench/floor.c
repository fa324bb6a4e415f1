/* floor.c: the benchmark's floor for rendering. Reads "lon lat count"
 * lines, projects them to the default conic (Albers 52/68, 100E) with
 * PROJ and draws one circle per point, sized by count, on a white
 * W x H image, then writes the PNG. No basemap, no labels, no legend:
 * what no renderer can do faster with cairo.
 *
 * Usage: floor POINTS.txt OUT.png [W H] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>
#include <proj.h>

/* the USSR box (lon 20-180, lat 40-75) in the conic, meters */
#define X0 (-5495245.0)
#define X1 5495245.0
#define Y0 (-2209596.0)
#define Y1 2952654.0

int
main(int argc, char **argv)
{
    int w = argc > 4 ? atoi(argv[3]) : 2000,
        h = argc > 4 ? atoi(argv[4]) : 1500;
    FILE *fp;
    PJ *pj;
    cairo_surface_t *sf;
    cairo_t *cr;
    double lon, lat, count;
    long n = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: floor POINTS.txt OUT.png [W H]\n");
        return 2;
    }
    fp = fopen(argv[1], "r");
    if (fp == NULL) {
        perror(argv[1]);
        return 2;
    }
    pj = proj_create_crs_to_crs(PJ_DEFAULT_CTX, "OGC:CRS84",
                                "+proj=aea +lat_1=52 +lat_2=68 +lat_0=60 "
                                "+lon_0=100 +datum=WGS84 +units=m +no_defs",
                                NULL);
    if (pj == NULL) {
        fprintf(stderr, "floor: no projection\n");
        return 2;
    }
    sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cr = cairo_create(sf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    /* fit the box, keeping the aspect ratio, centred */
    double s = fmin(w / (X1 - X0), h / (Y1 - Y0));
    double ox = (w - s * (X1 - X0)) / 2, oy = (h - s * (Y1 - Y0)) / 2;
    cairo_set_line_width(cr, 0.8);
    while (fscanf(fp, "%lf %lf %lf", &lon, &lat, &count) == 3) {
        PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
        double x = ox + (c.xy.x - X0) * s, y = oy + (Y1 - c.xy.y) * s;
        double r = 2.0 + 18.0 * sqrt(fmax(count, 0) / 60000.0);
        cairo_new_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        cairo_set_source_rgba(cr, 0.75, 0.1, 0.1, 0.6);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.3, 0, 0);
        cairo_stroke(cr);
        n++;
    }
    fclose(fp);
    cairo_destroy(cr);
    if (cairo_surface_write_to_png(sf, argv[2]) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "floor: cannot write %s\n", argv[2]);
        return 2;
    }
    cairo_surface_destroy(sf);
    proj_destroy(pj);
    fprintf(stderr, "floor: %ld circles\n", n);
    return 0;
}
