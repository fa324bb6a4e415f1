/* cli_render.c: "atlas render": parse the options, select the features
 * of the year(s) from the store, load the style, and hand both to
 * atlas_render(). Nothing is drawn here. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "page.h"
#include "proj.h"
#include "render.h"
#include "strmap.h"
#include "style.h"

#define DEFAULT_STYLE "styles/default.json"

static const char render_usage[] =
    "Usage: atlas render [--db PATH] (--year Y | --from Y1 --to Y2) "
    "-o FILE\n"
    "                    [--kind K,...] [--style styles/NAME.json]\n"
    "                    [--extent PRESET | --bbox W,S,E,N] "
    "[--proj EPSG:N|PROJSTRING]\n"
    "                    [--paper a4|a3|letter|WxHmm] [--landscape]\n"
    "                    [--dpi N | --size WxHpx] [--lang LANG] "
    "[--title TEXT]\n"
    "                    [--subtitle TEXT]\n"
    "                    [--no-legend] [--no-graticule] [--no-scale] "
    "[--no-labels]\n"
    "                    [--no-attribution] [--debug-labels FILE.json]\n"
    "                    [--inset NAME,... | --no-insets]\n"
    "                    [--format png|svg|pdf]\n\n"
    "Draws the sites, camps and lines active in year Y (or in some year of\n"
    "Y1..Y2) on a basemap, with labels, legend, graticule and scale bar.\n\n"
    "  --year Y, --from Y1 --to Y2   the year or years shown (required)\n"
    "  --kind K,...        only these kinds (camp, execution_site, prison, "
    "...)\n"
    "  --style FILE        a MapLibre style (default " DEFAULT_STYLE ")\n"
    "  --extent PRESET     ussr (default), west, north, kolyma; each with "
    "its own\n"
    "                      equal-area conic projection\n"
    "  --bbox W,S,E,N      the area in degrees instead (a conic fitted to "
    "it)\n"
    "  --proj CRS          EPSG:N or a PROJ string, for any extent\n"
    "  --paper P           a4, a3, a5, letter, legal, tabloid or WxHmm "
    "(portrait\n"
    "                      unless --landscape; default A4 landscape)\n"
    "  --dpi N             raster resolution (default 150; 96 with "
    "--size)\n"
    "  --size WxHpx        the PNG's size in pixels instead of a paper\n"
    "  --lang L            names in en, ru, uk, pl, lt, lv, et or de (falls "
    "back to en)\n"
    "  --title TEXT        the map's title\n"
    "  --subtitle TEXT     the line under it (default: the years, the kinds)\n"
    "  --date YYYY-MM-DD   the day whose borders the map shows (default: 1\n"
    "                      January of the first year)\n"
    "  --modern-borders    today's borders too, for orientation\n"
    "  --no-legend, --no-graticule, --no-scale, --no-labels, "
    "--no-attribution\n"
    "                      leave that part out\n"
    "  --inset NAME,...    insets of these dense areas: moscow, leningrad, "
    "lviv,\n"
    "                      kuzbass (default: those the map needs)\n"
    "  --no-insets         no insets\n"
    "  --debug-labels F    write placed and dropped labels as JSON to F\n"
    "  --format F          png, svg or pdf (default: from -o's extension)\n"
    "  -o FILE             the output; written whole or not at all\n";

static const char *const langs[] = {"en", "ru", "uk", "pl",
                                    "lt", "lv", "et", "de", NULL};

enum {
    OPT_PROJ = 256,
    OPT_PAPER,
    OPT_LANDSCAPE,
    OPT_DPI,
    OPT_SIZE,
    OPT_LANG,
    OPT_TITLE,
    OPT_NO_LEGEND,
    OPT_NO_GRATICULE,
    OPT_NO_SCALE,
    OPT_NO_LABELS,
    OPT_NO_ATTRIBUTION,
    OPT_DEBUG_LABELS,
    OPT_FORMAT,
    OPT_BASEMAP,
    OPT_MODERN_BORDERS,
    OPT_SUBTITLE,
    OPT_INSET,
    OPT_NO_INSETS
};

/* How many distinct works the features cite, for the foot line. */
static int
count_sources(const atlas_feature_list *fl)
{
    atlas_strmap *seen = atlas_strmap_new();
    char id[256];
    int n;

    if (seen == NULL)
        return 0;
    for (size_t i = 0; i < fl->n; i++) {
        const char *s = atlas_feature_text(&fl->items[i], ATLAS_F_SOURCES);
        while (s != NULL && *s != '\0') {
            size_t k = strcspn(s, ";");
            const char *a = s;
            while (k > 0 && *a == ' ')
                a++, k--;
            while (k > 0 && a[k - 1] == ' ')
                k--;
            if (k > 0 && k < sizeof id) {
                memcpy(id, a, k);
                id[k] = '\0';
                atlas_strmap_put(seen, id, 1);
            }
            s += strcspn(s, ";");
            if (*s == ';')
                s++;
        }
    }
    n = (int)atlas_strmap_count(seen);
    atlas_strmap_free(seen);
    return n;
}

atlas_status
cli_render(int argc, char **argv, atlas_error *err)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, CLI_OPT_DB},
        {"year", required_argument, NULL, CLI_OPT_YEAR},
        {"from", required_argument, NULL, CLI_OPT_FROM},
        {"to", required_argument, NULL, CLI_OPT_TO},
        {"kind", required_argument, NULL, CLI_OPT_KIND},
        {"style", required_argument, NULL, CLI_OPT_STYLE},
        {"extent", required_argument, NULL, CLI_OPT_EXTENT},
        {"bbox", required_argument, NULL, CLI_OPT_BBOX},
        {"proj", required_argument, NULL, OPT_PROJ},
        {"paper", required_argument, NULL, OPT_PAPER},
        {"landscape", no_argument, NULL, OPT_LANDSCAPE},
        {"dpi", required_argument, NULL, OPT_DPI},
        {"size", required_argument, NULL, OPT_SIZE},
        {"lang", required_argument, NULL, CLI_OPT_LANG},
        {"title", required_argument, NULL, OPT_TITLE},
        {"subtitle", required_argument, NULL, OPT_SUBTITLE},
        {"no-legend", no_argument, NULL, OPT_NO_LEGEND},
        {"no-graticule", no_argument, NULL, OPT_NO_GRATICULE},
        {"no-scale", no_argument, NULL, OPT_NO_SCALE},
        {"no-labels", no_argument, NULL, OPT_NO_LABELS},
        {"no-attribution", no_argument, NULL, OPT_NO_ATTRIBUTION},
        {"debug-labels", required_argument, NULL, OPT_DEBUG_LABELS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"basemap", required_argument, NULL, OPT_BASEMAP},
        {"date", required_argument, NULL, CLI_OPT_DATE},
        {"modern-borders", no_argument, NULL, OPT_MODERN_BORDERS},
        {"inset", required_argument, NULL, OPT_INSET},
        {"no-insets", no_argument, NULL, OPT_NO_INSETS},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    atlas_render_opts ro;
    cli_sel_opts o = {0};
    atlas_query q = {0};
    atlas_feature_list fl;
    atlas_period period;
    atlas_store *st = NULL;
    atlas_style *style = NULL;
    atlas_page page;
    int c;
    long v;

    atlas_feature_list_init(&fl);
    atlas_period_init(&period);
    atlas_render_opts_init(&ro);
    optind = 1;
    opterr = 0;
    while (err->code == ATLAS_OK &&
           (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            cli_usage(stdout, render_usage);
            free(o.kinds);
            return ATLAS_OK;
        case OPT_PROJ:
            ro.proj = optarg;
            break;
        case OPT_PAPER:
            ro.page.paper = optarg;
            break;
        case OPT_LANDSCAPE:
            ro.page.landscape = 1;
            break;
        case OPT_DPI:
            if (cli_parse_int("--dpi", optarg, ATLAS_LAYOUT_MIN_DPI,
                              ATLAS_LAYOUT_MAX_DPI, &v, err) == ATLAS_OK)
                ro.page.dpi = (double)v;
            break;
        case OPT_SIZE: {
            double w, h;
            if (atlas_layout_parse_wxh(optarg, "px", &w, &h) != 0 ||
                w != (int)w || h != (int)h || w < 1 || h < 1 || w > 1e9 ||
                h > 1e9)
                atlas_error_set(err, ATLAS_E_INPUT,
                                "--size: \"%.40s\": expected WxHpx, e.g. "
                                "1200x800px",
                                optarg);
            else
                ro.page.size_w = (int)w, ro.page.size_h = (int)h;
            break;
        }
        case CLI_OPT_LANG: {
            size_t i;
            for (i = 0; langs[i] != NULL; i++)
                if (strcmp(optarg, langs[i]) == 0)
                    break;
            if (langs[i] == NULL)
                atlas_error_set(err, ATLAS_E_INPUT,
                                "--lang: \"%.20s\": expected en, ru, uk, pl, "
                                "lt, lv, et or de",
                                optarg);
            ro.lang = optarg;
            break;
        }
        case OPT_TITLE:
            ro.title = optarg;
            break;
        case OPT_SUBTITLE:
            ro.subtitle = optarg;
            break;
        case OPT_NO_LEGEND:
            ro.no_legend = 1;
            break;
        case OPT_NO_GRATICULE:
            ro.no_graticule = 1;
            break;
        case OPT_NO_SCALE:
            ro.no_scale = 1;
            break;
        case OPT_NO_LABELS:
            ro.no_labels = 1;
            break;
        case OPT_NO_ATTRIBUTION:
            ro.no_attribution = 1;
            break;
        case OPT_DEBUG_LABELS:
            ro.debug_labels = optarg;
            break;
        case OPT_MODERN_BORDERS:
            ro.modern_borders = 1;
            break;
        case OPT_INSET:
            ro.insets = optarg;
            break;
        case OPT_NO_INSETS:
            ro.no_insets = 1;
            break;
        case OPT_BASEMAP:
            ro.basemap_dir = optarg;
            break;
        case OPT_FORMAT:
            ro.format = strcmp(optarg, "png") == 0   ? ATLAS_FMT_PNG
                        : strcmp(optarg, "svg") == 0 ? ATLAS_FMT_SVG
                        : strcmp(optarg, "pdf") == 0 ? ATLAS_FMT_PDF
                                                     : ATLAS_FMT_NONE;
            if (ro.format == ATLAS_FMT_NONE)
                atlas_error_set(err, ATLAS_E_INPUT,
                                "--format: \"%.20s\": expected png, svg or "
                                "pdf",
                                optarg);
            break;
        case ':':
            atlas_error_set(err, ATLAS_E_INPUT,
                            "render: %s needs a value (see atlas render "
                            "--help)",
                            argv[optind - 1]);
            break;
        default:
            if (cli_sel_option(&o, c, optarg, err))
                break;
            atlas_error_set(err, ATLAS_E_INPUT,
                            "render: unknown option \"%s\" (see atlas render "
                            "--help)",
                            argv[optind - 1]);
            break;
        }
    }
    if (err->code != ATLAS_OK ||
        cli_check_operands("render", argc, argv, err) != ATLAS_OK)
        goto cleanup;
    ro.filter = o.kind_arg;
    ro.extent = o.extent != NULL ? o.extent->name : NULL;
    ro.has_bbox = o.has_bbox;
    memcpy(ro.bbox, o.bbox, sizeof ro.bbox);
    if (o.out == NULL) {
        atlas_error_set(err, ATLAS_E_INPUT,
                        "render: -o FILE is required (see atlas render "
                        "--help)");
        goto cleanup;
    }
    if (o.year == 0 && o.from == 0 && o.to == 0) {
        atlas_error_set(err, ATLAS_E_INPUT,
                        "render: --year Y or --from Y1 --to Y2 is required");
        goto cleanup;
    }
    if (cli_check_years(o.year, o.from, o.to, &q, err) != ATLAS_OK)
        goto cleanup;
    if (ro.extent != NULL && ro.has_bbox) {
        atlas_error_set(err, ATLAS_E_INPUT, "--extent cannot go with --bbox");
        goto cleanup;
    }
    if (ro.page.size_w > 0 && ro.page.paper != NULL) {
        atlas_error_set(err, ATLAS_E_INPUT, "--size cannot go with --paper");
        goto cleanup;
    }
    if (ro.format == ATLAS_FMT_NONE &&
        atlas_render_format_of(o.out) == ATLAS_FMT_NONE) {
        atlas_error_set(err, ATLAS_E_INPUT,
                        "%s: unknown output format (expected .png, .svg or "
                        ".pdf, or --format)",
                        o.out);
        goto cleanup;
    }
    /* Sizes are refused before anything is read or allocated. */
    if (atlas_layout_page(&ro.page, &page, err) != ATLAS_OK)
        goto cleanup;
    ro.year_from = q.year_from;
    ro.year_to = q.year_to;
    q.kinds = (const char *const *)o.kinds;
    q.n_kinds = o.n_kinds;

    style = atlas_style_load(
        o.style ? o.style : atlas_page_style_path(DEFAULT_STYLE), err);
    if (style == NULL)
        goto cleanup;
    st = cli_open_store(o.db, err);
    if (st == NULL)
        goto cleanup;
    if (atlas_store_query(st, &q, &fl, err) != ATLAS_OK)
        goto cleanup;
    ro.n_sources = count_sources(&fl);
    if (cli_read_period(st, &o, ro.lang, &period, err) != ATLAS_OK)
        goto cleanup;
    ro.period = &period;
    atlas_render(&fl, style, &ro, o.out, err);

cleanup:
    atlas_period_free(&period);
    atlas_feature_list_free(&fl);
    atlas_store_close(st);
    atlas_style_free(style);
    free(o.kinds);
    return err->code;
}
