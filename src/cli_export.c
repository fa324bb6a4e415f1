/* cli_export.c: "atlas export" and "atlas list": select features from the
 * store and write them for scripts or people. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static const char export_usage[] =
    "Usage: atlas export [--db PATH] [--year Y | --from Y1 --to Y2]\n"
    "                    [--kind K[,K...]] [--bbox W,S,E,N]\n"
    "                    [--format geojson|geojsonseq|csv|shp] [-o FILE|-]\n"
    "       atlas export --layer borders|places [--year Y | --date D]\n"
    "                    [--lang L] [--format geojson|geojsonseq] [-o FILE]\n\n"
    "Writes the selected features, ordered by id, to standard output or "
    "FILE.\n\n"
    "  --year Y            features active in year Y (with \"prisoners\", "
    "the\n"
    "                      count of that year, where known)\n"
    "  --from Y1 --to Y2   active in some year of the range (\"prisoners\": "
    "the\n"
    "                      largest count in the range)\n"
    "  --kind K,...        only these kinds (camp, execution_site, prison, "
    "transit,\n"
    "                      special_settlement, station, uprising, railway, "
    "canal,\n"
    "                      road, deportation)\n"
    "  --bbox W,S,E,N      only features with a point inside (degrees)\n"
    "  --format F          geojson (RFC 7946, default), geojsonseq (RFC "
    "8142),\n"
    "                      csv, shp (-o names a folder: sites.shp, "
    "lines.shp)\n"
    "  -o FILE             output (default -, standard output)\n"
    "  --layer L           a reference layer instead of the sites and "
    "lines:\n"
    "                      borders (the states and occupied areas in "
    "force on\n"
    "                      --date, default 1 January of --year; every "
    "period\n"
    "                      without either) or places (with \"name\", the "
    "name of\n"
    "                      --year in --lang, and \"names\", all of them)\n"
    "  --date YYYY-MM-DD   the day of the borders\n"
    "  --lang L            the language of the place names (default en)\n";

static const char list_usage[] =
    "Usage: atlas list [--db PATH] [--year Y | --from Y1 --to Y2]\n"
    "                  [--kind K[,K...]] [--bbox W,S,E,N] [--json] "
    "[--lang L]\n\n"
    "Prints what is active: a table for people, or with --json an array "
    "for\nscripts (id, kind, name, years, prisoners, victims).\n";

/* Fills Q from O and opens the store; NULL with ERR set on failure. */
static atlas_store *
open_selection(const cli_sel_opts *o, atlas_query *q, atlas_error *err)
{
    if (cli_check_years(o->year, o->from, o->to, q, err) ||
        cli_sel_query(o, q, err))
        return NULL;
    return cli_open_store(o->db, err);
}

/* Runs the selection of O into OUT. */
static atlas_status
select_features(const cli_sel_opts *o, atlas_query *q, atlas_feature_list *out,
                atlas_error *err)
{
    atlas_store *st = open_selection(o, q, err);

    if (st == NULL)
        return err->code;
    atlas_store_query(st, q, out, err);
    atlas_store_close(st);
    atlas_feature_list_sort(out);
    return err->code;
}

static atlas_status
put_one(void *ctx, const atlas_feature *fe, atlas_error *err)
{
    return atlas_export_put(ctx, fe, err);
}

/* Writes the selection of O as it comes from the store: no list of every
 * match (GeoJSON, GeoJSON sequences and CSV). */
static atlas_status
stream_features(const cli_sel_opts *o, atlas_query *q, atlas_export_opts *eo,
                const char *out, atlas_error *err)
{
    atlas_store *st = open_selection(o, q, err);
    atlas_export_stream *xs;

    if (st == NULL)
        return err->code;
    eo->with_prisoners = q->year_from != 0;
    if ((xs = atlas_export_open(eo, out, err)) != NULL) {
        atlas_store_query_each(st, q, put_one, xs, err);
        atlas_export_close(xs, err);
    }
    atlas_store_close(st);
    return err->code;
}

#define SEL_LONGOPTS                                                           \
    {"db", required_argument, NULL, CLI_OPT_DB},                               \
        {"year", required_argument, NULL, CLI_OPT_YEAR},                       \
        {"from", required_argument, NULL, CLI_OPT_FROM},                       \
        {"to", required_argument, NULL, CLI_OPT_TO},                           \
        {"kind", required_argument, NULL, CLI_OPT_KIND},                       \
        {"bbox", required_argument, NULL, CLI_OPT_BBOX},                       \
    {                                                                          \
        "help", no_argument, NULL, 'h'                                         \
    }

/* "export --layer borders|places": the reference layers of O. */
static atlas_status
export_period(const cli_sel_opts *o, const char *layer,
              atlas_export_format format, atlas_error *err)
{
    atlas_period p;
    atlas_place_name **names = NULL;
    size_t *n_names = NULL;
    atlas_store *st;
    char date[11];
    int places = strcmp(layer, "places") == 0;

    if (!places && strcmp(layer, "borders") != 0)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--layer: \"%.40s\": expected borders or "
                               "places",
                               layer);
    if (o->from != 0 || o->to != 0 || o->kinds != NULL || o->has_bbox)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--layer %s takes --year or --date, not "
                               "--from/--to, --kind or --bbox",
                               layer);
    if ((st = cli_open_store(o->db, err)) == NULL)
        return err->code;
    atlas_period_init(&p);
    if (atlas_store_period(st, places ? NULL : cli_border_date(o, date),
                           cli_names_year(o), o->lang ? o->lang : "en",
                           places ? ATLAS_PERIOD_PLACES : ATLAS_PERIOD_BORDERS,
                           &p, err) == ATLAS_OK &&
        places && p.n_places > 0) {
        names = calloc(p.n_places, sizeof *names);
        n_names = calloc(p.n_places, sizeof *n_names);
        if (names == NULL || n_names == NULL)
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        for (size_t i = 0; i < p.n_places && err->code == ATLAS_OK; i++)
            atlas_store_place_names(st, p.places[i].id, &names[i], &n_names[i],
                                    &p, err);
    }
    if (err->code == ATLAS_OK)
        atlas_export_period(&p, layer, o->lang ? o->lang : "en",
                            (const atlas_place_name *const *)names, n_names,
                            format, o->out, err);
    for (size_t i = 0; names != NULL && i < p.n_places; i++)
        free(names[i]);
    free(names);
    free(n_names);
    atlas_period_free(&p);
    atlas_store_close(st);
    return err->code;
}

atlas_status
cli_export(int argc, char **argv, atlas_error *err)
{
    static const struct option longopts[] = {
        SEL_LONGOPTS,
        {"format", required_argument, NULL, 'F'},
        {"output", required_argument, NULL, 'o'},
        {"layer", required_argument, NULL, 'L'},
        {"date", required_argument, NULL, CLI_OPT_DATE},
        {"lang", required_argument, NULL, CLI_OPT_LANG},
        {NULL, 0, NULL, 0}};
    cli_sel_opts o = {0};
    atlas_query q = {0};
    atlas_export_opts eo = {ATLAS_EXPORT_GEOJSON, 0};
    const char *layer = NULL;
    atlas_feature_list fl;
    int c;

    atlas_feature_list_init(&fl);
    o.out = "-";
    optind = 1;
    opterr = 0;
    while (err->code == ATLAS_OK &&
           (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        if (cli_sel_option(&o, c, optarg, err))
            continue;
        if (c == 'h') {
            cli_usage(stdout, export_usage);
            free(o.kinds);
            return ATLAS_OK;
        } else if (c == 'F') {
            int f = atlas_export_format_from_name(optarg);
            if (f < 0)
                atlas_error_set(err, ATLAS_E_INPUT,
                                "--format: \"%.40s\" is not one of geojson, "
                                "geojsonseq, csv, shp",
                                optarg);
            else
                eo.format = f;
        } else if (c == 'L') {
            layer = optarg;
        } else {
            cli_bad_option("export", c, argv, err);
        }
    }
    if (err->code == ATLAS_OK)
        cli_check_operands("export", argc, argv, err);
    if (err->code == ATLAS_OK && layer == NULL &&
        (o.date[0] != '\0' || o.lang != NULL))
        atlas_error_set(err, ATLAS_E_INPUT,
                        "--date and --lang go with --layer borders|places");
    if (err->code == ATLAS_OK && layer != NULL &&
        (strcmp(layer, "sites") == 0 || strcmp(layer, "lines") == 0)) {
        /* the feature layers by name: the same as --kind of their kinds */
        q.layers = strcmp(layer, "sites") == 0 ? ATLAS_Q_SITES : ATLAS_Q_LINES;
        layer = NULL;
    }
    if (err->code == ATLAS_OK && layer != NULL)
        export_period(&o, layer, eo.format, err);
    else if (err->code == ATLAS_OK && eo.format != ATLAS_EXPORT_SHP)
        stream_features(&o, &q, &eo, o.out, err);
    else if (err->code == ATLAS_OK &&
             select_features(&o, &q, &fl, err) == ATLAS_OK) {
        eo.with_prisoners = q.year_from != 0;
        atlas_export_write(&fl, &eo, o.out, err);
    }
    atlas_feature_list_free(&fl);
    free(o.kinds);
    return err->code;
}

/* 1 when the character of N bytes at P acts on a terminal rather than
 * showing: C0 and C1 controls, DEL, and the bidi embeddings, overrides
 * and isolates (U+202A-202E, U+2066-2069), which reorder a table. */
static int
is_control(const unsigned char *p, size_t n)
{
    if (n == 1)
        return *p < 0x20 || *p == 0x7f;
    if (n == 2)
        return p[0] == 0xC2 && p[1] < 0xA0;
    return n == 3 && p[0] == 0xE2 &&
           ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
            (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9));
}

/* Prints S padded with spaces to WIDTH terminal columns (UTF-8 aware,
 * cut with an ellipsis when longer). */
static void
put_cell(const char *s, int width, int pad)
{
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && cols < width) {
        const unsigned char *q = p + 1;
        while ((*q & 0xC0) == 0x80)
            q++;
        if (cols == width - 1 && q[0] != '\0') {
            fputs("…", stdout);
            cols++;
            break;
        }
        /* control characters are shown as '?', never sent to the terminal */
        if (is_control(p, (size_t)(q - p)))
            putchar('?');
        else
            fwrite(p, 1, (size_t)(q - p), stdout);
        cols++;
        p = q;
    }
    for (; pad && cols < width; cols++)
        putchar(' ');
}

atlas_status
cli_list(int argc, char **argv, atlas_error *err)
{
    static const struct option longopts[] = {
        SEL_LONGOPTS,
        {"json", no_argument, NULL, 'j'},
        {"lang", required_argument, NULL, CLI_OPT_LANG},
        {NULL, 0, NULL, 0}};
    cli_sel_opts o = {0};
    atlas_query q = {0};
    atlas_feature_list fl;
    int json = 0, c;

    atlas_feature_list_init(&fl);
    o.lang = "en";
    optind = 1;
    opterr = 0;
    while (err->code == ATLAS_OK &&
           (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (cli_sel_option(&o, c, optarg, err))
            continue;
        if (c == 'h') {
            cli_usage(stdout, list_usage);
            free(o.kinds);
            return ATLAS_OK;
        } else if (c == 'j') {
            json = 1;
        } else {
            cli_bad_option("list", c, argv, err);
        }
    }
    if (err->code == ATLAS_OK)
        cli_check_operands("list", argc, argv, err);
    if (err->code || select_features(&o, &q, &fl, err)) {
        atlas_feature_list_free(&fl);
        free(o.kinds);
        return err->code;
    }
    if (json)
        putchar('[');
    else
        printf("%-28s %-15s %-9s %10s %-17s %s\n", "id", "kind", "years",
               "prisoners", "victims", "name");
    for (size_t i = 0; i < fl.n; i++) {
        const atlas_feature *fe = &fl.items[i];
        long long ys = 0, ye = 0, vmin, vmax;
        char years[32], pris[32], vict[48];
        atlas_feature_int(fe, ATLAS_F_YEAR_START, &ys);
        atlas_feature_int(fe, ATLAS_F_YEAR_END, &ye);
        int has_vmin = atlas_feature_int(fe, ATLAS_F_VICTIMS_MIN, &vmin);
        int has_vmax = atlas_feature_int(fe, ATLAS_F_VICTIMS_MAX, &vmax);
        const char *name = atlas_feature_name(fe, o.lang);
        if (json) {
            printf("%s\n{\"id\":", i ? "," : "");
            atlas_export_json_string(stdout,
                                     atlas_feature_text(fe, ATLAS_F_ID));
            printf(",\"kind\":");
            atlas_export_json_string(stdout,
                                     atlas_feature_text(fe, ATLAS_F_KIND));
            printf(",\"name\":");
            atlas_export_json_string(stdout, name ? name : "");
            printf(",\"year_start\":%lld,\"year_end\":%lld", ys, ye);
            if (fe->has_prisoners)
                printf(",\"prisoners\":%lld", fe->prisoners);
            else
                printf(",\"prisoners\":null");
            printf(has_vmin ? ",\"victims_min\":%lld" : ",\"victims_min\":null",
                   vmin);
            printf(has_vmax ? ",\"victims_max\":%lld}"
                            : ",\"victims_max\":null}",
                   vmax);
            continue;
        }
        snprintf(years, sizeof years, "%lld-%lld", ys, ye);
        if (fe->has_prisoners)
            snprintf(pris, sizeof pris, "%lld", fe->prisoners);
        else
            snprintf(pris, sizeof pris, "%s", "-");
        if (has_vmin && has_vmax && vmin != vmax)
            snprintf(vict, sizeof vict, "%lld-%lld", vmin, vmax);
        else if (has_vmax || has_vmin)
            snprintf(vict, sizeof vict, "%lld", has_vmax ? vmax : vmin);
        else
            snprintf(vict, sizeof vict, "-");
        put_cell(atlas_feature_text(fe, ATLAS_F_ID), 28, 1);
        putchar(' ');
        put_cell(atlas_feature_text(fe, ATLAS_F_KIND), 15, 1);
        printf(" %-9s %10s %-17s ", years, pris, vict);
        put_cell(name ? name : "", 60, 0);
        putchar('\n');
    }
    if (json)
        puts(fl.n ? "\n]" : "]");
    else
        printf("%zu feature%s\n", fl.n, fl.n == 1 ? "" : "s");
    atlas_feature_list_free(&fl);
    free(o.kinds);
    if (fflush(stdout) != 0)
        return atlas_error_set(err, ATLAS_E_IO, "standard output: write error");
    return ATLAS_OK;
}
