/* test_hostile.c: SQL in a query's values never runs. Loads the fixtures
 * (tests/data/load, named on the command line) into a new GeoPackage and
 * queries it with kinds and ids written to break out of a quoted SQL
 * string: each must match nothing, and leave every table in place. The
 * command line already refuses unknown kinds; this checks the store's own
 * quoting behind it.
 * test_hostile --render SRCDIR: the renderer given features no loader
 * would make (a line 0 -> 1060 -> 60 degrees, a site without geometry)
 * draws them without writing past a buffer.
 * test_hostile --export: features with NaN, infinite and huge numbers
 * export as valid text, the unwritable ones skipped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "export.h"
#include "load.h"
#include "render.h"
#include "store.h"
#include "style.h"

/* 2026-12: project_features() counted the densified points of an edge
 * wider than 360 degrees one way and wrote them another, past its
 * buffer (ASan heap-buffer-overflow); an empty site went to memcpy as
 * NULL (UBSan). */
static int
render_unloadable(const char *src)
{
    static const double far[] = {0, 60, 1060, 61, 60, 62};
    static const double wide[] = {-170, 60, 1e300, 61, 170, 62};
    char path[1024], out[64];
    atlas_feature_list fl;
    atlas_render_opts o;
    atlas_error err = {0};
    atlas_feature *fe;

    atlas_feature_list_init(&fl);
    for (int k = 0; k < 3; k++) {
        if ((fe = atlas_feature_list_add(&fl)) == NULL)
            return 1;
        fe->layer = k < 2 ? ATLAS_LAYER_LINES : ATLAS_LAYER_SITES;
        atlas_feature_set_text(&fl, fe, ATLAS_F_ID,
                               k == 0 ? "far" : k == 1 ? "wide" : "empty");
        atlas_feature_set_text(&fl, fe, ATLAS_F_KIND,
                               k < 2 ? "railway" : "camp");
        atlas_feature_set_text(&fl, fe, ATLAS_F_NAME_EN, "X");
        atlas_feature_set_int(fe, ATLAS_F_YEAR_START, 1937);
        atlas_feature_set_int(fe, ATLAS_F_YEAR_END, 1937);
        if (k < 2)
            CHECK(atlas_feature_set_geom(&fl, fe, k ? wide : far, 3, NULL,
                                         1) == 0);
    }
    snprintf(path, sizeof path, "%s/styles/default.json", src);
    atlas_style *st = atlas_style_load(path, &err);
    CHECK(st != NULL);
    atlas_render_opts_init(&o);
    o.page.size_w = 160;
    o.page.size_h = 120;
    o.year_from = o.year_to = 1937;
    snprintf(path, sizeof path, "%s/geodata/basemap", src);
    o.basemap_dir = path;
    snprintf(out, sizeof out, "hostile-%ld.png", (long)getpid());
    if (st != NULL) {
        CHECK(atlas_render(&fl, st, &o, out, &err) == ATLAS_OK);
        if (err.code)
            fprintf(stderr, "render: %s\n", err.msg);
    }
    unlink(out);
    atlas_style_free(st);
    atlas_feature_list_free(&fl);
    return check_summary();
}

/* Features matching the one kind KIND, or -1 on an error. */
static long
count_kind(atlas_store *st, const char *kind)
{
    const char *kinds[1] = {kind};
    atlas_query q = {0};
    atlas_feature_list fl;
    atlas_error err = {0};
    long n;

    q.kinds = kinds;
    q.n_kinds = 1;
    atlas_feature_list_init(&fl);
    n = atlas_store_query(st, &q, &fl, &err) == ATLAS_OK ? (long)fl.n : -1;
    atlas_feature_list_free(&fl);
    return n;
}

/* The text of file PATH (malloc'd), or NULL. */
static char *
slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *b = NULL;
    long n;
    if (fp != NULL && fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
        fseek(fp, 0, SEEK_SET) == 0 && (b = calloc((size_t)n + 1, 1)) != NULL &&
        fread(b, 1, (size_t)n, fp) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (fp != NULL)
        fclose(fp);
    return b;
}

/* 2026-12: exports wrote "nan" and "inf", cut 1e308 to 63 of its digits
 * in a 64-byte buffer, and a line without geometry as "coordinates":}.
 * Features whose numbers no format can hold are skipped; huge ones are
 * written whole. */
static int
export_unwritable(void)
{
    static const double pts[][2] = {{NAN, 60}, {60, INFINITY}, {1e308, 60},
                                    {60, 60}};
    static const char *const ids[] = {"bad_a", "bad_b", "huge", "good",
                                      "bad_line"};
    static const int formats[] = {ATLAS_EXPORT_GEOJSON,
                                  ATLAS_EXPORT_GEOJSONSEQ, ATLAS_EXPORT_CSV};
    atlas_feature_list fl;
    char out[64], huge[400];

    atlas_feature_list_init(&fl);
    for (int k = 0; k < 5; k++) {
        atlas_feature *fe = atlas_feature_list_add(&fl);
        if (fe == NULL)
            return 1;
        fe->layer = k < 4 ? ATLAS_LAYER_SITES : ATLAS_LAYER_LINES;
        atlas_feature_set_text(&fl, fe, ATLAS_F_ID, ids[k]);
        atlas_feature_set_text(&fl, fe, ATLAS_F_KIND, k < 4 ? "camp" : "road");
        if (k < 4)
            CHECK(atlas_feature_set_geom(&fl, fe, pts[k], 1, NULL, 0) == 0);
    }
    snprintf(huge, sizeof huge, "%.0f", 1e308);
    snprintf(out, sizeof out, "hostile-%ld.out", (long)getpid());
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        atlas_export_opts o = {0};
        atlas_error err = {0};
        o.format = formats[f];
        CHECK(atlas_export_write(&fl, &o, out, &err) == ATLAS_OK);
        char *t = slurp(out);
        CHECK(t != NULL);
        if (t == NULL)
            continue;
        for (char *p = t; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        CHECK(strstr(t, "nan") == NULL && strstr(t, "inf") == NULL);
        CHECK(strstr(t, "bad_") == NULL); /* skipped, not written */
        CHECK(strstr(t, "good") != NULL);
        CHECK(strstr(t, huge) != NULL); /* all 309 digits */
        CHECK(strstr(t, ":}") == NULL && strstr(t, ":,") == NULL);
        free(t);
    }
    unlink(out);
    atlas_feature_list_free(&fl);
    return check_summary();
}

int
main(int argc, char **argv)
{
    static const char *const hostile[] = {
        "x') OR ('1'='1",
        "x') OR 1=1 --",
        "x'); DROP TABLE sites; --",
        "camp' || '",
        "camp\\'",
        "camp\"",
        "camp'",
        "x') UNION SELECT * FROM sites --",
    };
    char path[64];
    atlas_error err = {0};
    atlas_load_opts opts = {0};
    atlas_store *st;

    if (argc == 3 && strcmp(argv[1], "--render") == 0)
        return render_unloadable(argv[2]);
    if (argc == 2 && strcmp(argv[1], "--export") == 0)
        return export_unwritable();
    if (argc != 2) {
        fprintf(stderr, "usage: test_hostile tests/data/load\n"
                        "       test_hostile --render SRCDIR\n"
                        "       test_hostile --export\n");
        return 2;
    }
    snprintf(path, sizeof path, "hostile-%ld.gpkg", (long)getpid());
    st = atlas_store_open(path, ATLAS_STORE_CREATE, &err);
    if (st == NULL || atlas_load_paths(st, (const char *const *)&argv[1], 1,
                                       &opts, NULL, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    long camps = count_kind(st, "camp");
    CHECK(camps > 0);
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        long n = count_kind(st, hostile[i]);
        if (n != 0)
            fprintf(stderr, "kind \"%s\": %ld features\n", hostile[i], n);
        CHECK(n == 0);
        err.code = ATLAS_OK;
        CHECK(atlas_store_has_feature(st, hostile[i], &err) == 0);
    }
    /* the tables are all still there and whole */
    CHECK(count_kind(st, "camp") == camps);
    err.code = ATLAS_OK;
    CHECK(atlas_store_has_feature(st, "camp_north", &err) == 1);
    atlas_store_close(st);
    unlink(path);
    return check_summary();
}
