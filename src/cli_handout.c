/* cli_handout.c: "atlas handout": parse the options, select the features
 * and the sources from the store, load the style and the language, and
 * hand them to atlas_handout_write(). Nothing is drawn here. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handout.h"
#include "i18n.h"
#include "page.h"
#include "proj.h"
#include "render.h"
#include "style.h"

static const char handout_usage[] =
    "Usage: atlas handout (--year Y | --from Y1 --to Y2) -o FILE.pdf\n"
    "                     [--db PATH] [--kind K,...] [--extent PRESET]\n"
    "                     [--paper a4|letter] [--lang en|ru|uk|pl]\n"
    "                     [--style print-bw|default|FILE.json | --color]\n\n"
    "A print-ready handout for a class: page 1 the map with a title, legend,\n"
    "scale bar and a caption of what it shows; then a numbered table of the\n"
    "sites and lines on the map (numbers as on the map) and the sources they\n"
    "cite. Black and white unless --color.\n\n"
    "  --year Y, --from Y1 --to Y2   the year or years shown (required)\n"
    "  --kind K,...        only these kinds (camp, execution_site, prison, "
    "...)\n"
    "  --extent PRESET     ussr (default), west, north, kolyma\n"
    "  --paper P           a4 (default) or letter\n"
    "  --lang L            texts and names in en (default), ru, uk or pl\n"
    "  --style S           print-bw (default), default, or a style file\n"
    "  --color             the colour style (styles/default.json)\n"
    "  -o FILE.pdf         the output; written whole or not at all\n";

enum {
    OPT_DB = 256,
    OPT_YEAR,
    OPT_FROM,
    OPT_TO,
    OPT_KIND,
    OPT_EXTENT,
    OPT_PAPER,
    OPT_LANG,
    OPT_STYLE,
    OPT_COLOR,
    OPT_DEBUG_NUMBERS,
    OPT_DEBUG_LABELS
};

/* The style file for --style S: a shipped style's name or a path. */
static const char *
style_path(const char *s, int color)
{
    if (s == NULL)
        s = color ? "default" : "print-bw";
    if (strcmp(s, "print-bw") == 0)
        return atlas_page_style_path("styles/print-bw.json");
    if (strcmp(s, "default") == 0)
        return atlas_page_style_path("styles/default.json");
    return s;
}

/* 1 when PATH ends in ".pdf" (any case). */
static int
is_pdf(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".pdf") == 0;
}

atlas_status
cli_handout(int argc, char **argv, atlas_error *err)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"year", required_argument, NULL, OPT_YEAR},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"kind", required_argument, NULL, OPT_KIND},
        {"extent", required_argument, NULL, OPT_EXTENT},
        {"paper", required_argument, NULL, OPT_PAPER},
        {"lang", required_argument, NULL, OPT_LANG},
        {"style", required_argument, NULL, OPT_STYLE},
        {"color", no_argument, NULL, OPT_COLOR},
        {"debug-numbers", required_argument, NULL, OPT_DEBUG_NUMBERS},
        {"debug-labels", required_argument, NULL, OPT_DEBUG_LABELS},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    atlas_handout_opts ho = {0};
    atlas_query q = {0};
    atlas_feature_list fl;
    atlas_source_list src = {NULL, 0};
    atlas_store *st = NULL;
    atlas_style *style = NULL;
    atlas_i18n *tr = NULL;
    const atlas_extent *ext = NULL;
    const char *db = NULL, *out = NULL, *lang = "en", *style_name = NULL;
    char **kinds = NULL;
    size_t n_kinds = 0;
    int year = 0, from = 0, to = 0, color = 0, c;
    double w, h;

    atlas_feature_list_init(&fl);
    ho.paper = "a4";
    optind = 1;
    opterr = 0;
    while (err->code == ATLAS_OK &&
           (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_YEAR:
            cli_parse_year("--year", optarg, &year, err);
            break;
        case OPT_FROM:
            cli_parse_year("--from", optarg, &from, err);
            break;
        case OPT_TO:
            cli_parse_year("--to", optarg, &to, err);
            break;
        case OPT_KIND:
            free(kinds);
            kinds = NULL;
            cli_parse_kinds("--kind", optarg, &kinds, &n_kinds, err);
            break;
        case OPT_EXTENT:
            ext = atlas_proj_extent(optarg);
            if (ext == NULL)
                atlas_error_set(err, ATLAS_E_INPUT,
                                "--extent: \"%.40s\": expected ussr, west, "
                                "north or kolyma",
                                optarg);
            break;
        case OPT_PAPER:
            ho.paper = optarg;
            atlas_page_paper(optarg, 0, &w, &h, err);
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_STYLE:
            style_name = optarg;
            break;
        case OPT_COLOR:
            color = 1;
            break;
        case OPT_DEBUG_NUMBERS:
            ho.debug_numbers = optarg;
            break;
        case OPT_DEBUG_LABELS:
            ho.debug_labels = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            cli_usage(stdout, handout_usage);
            free(kinds);
            return ATLAS_OK;
        default:
            cli_bad_option("handout", c, argv, err);
        }
    }
    if (err->code == ATLAS_OK && optind < argc)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "handout: unexpected argument \"%s\"", argv[optind]);
    if (err->code == ATLAS_OK && style_name != NULL && color)
        atlas_error_set(err, ATLAS_E_INPUT, "--style cannot go with --color");
    if (err->code == ATLAS_OK &&
        cli_check_years(year, from, to, &q, err) == ATLAS_OK &&
        q.year_from == 0)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "handout: --year or --from/--to is required");
    if (err->code == ATLAS_OK && out == NULL)
        atlas_error_set(err, ATLAS_E_INPUT, "handout: -o FILE.pdf is required");
    if (err->code == ATLAS_OK && strcmp(out, "-") != 0 && !is_pdf(out))
        atlas_error_set(err, ATLAS_E_INPUT,
                        "-o: \"%.200s\": a handout is a PDF (FILE.pdf)", out);
    if (err->code != ATLAS_OK)
        goto cleanup;
    /* everything that can fail on the user's input fails before the
     * database is opened */
    tr = atlas_i18n_load(lang, err);
    if (tr == NULL)
        goto cleanup;
    style = atlas_style_load(style_path(style_name, color), err);
    if (style == NULL)
        goto cleanup;

    q.kinds = (const char *const *)kinds;
    q.n_kinds = n_kinds;
    if (ext != NULL && cli_extent_query(ext->name, &q, err) != ATLAS_OK)
        goto cleanup;
    st = cli_open_store(db, err);
    if (st == NULL || atlas_store_query(st, &q, &fl, err) != ATLAS_OK ||
        atlas_store_sources(st, &src, err) != ATLAS_OK)
        goto cleanup;
    atlas_store_close(st);
    st = NULL;

    ho.year_from = q.year_from;
    ho.year_to = q.year_to;
    ho.extent = ext != NULL ? ext->name : NULL;
    atlas_handout_write(&fl, &src, style, tr, &ho, out, err);

cleanup:
    atlas_store_close(st);
    atlas_source_list_free(&src);
    atlas_feature_list_free(&fl);
    atlas_style_free(style);
    atlas_i18n_free(tr);
    free(kinds);
    return err->code;
}
