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
#include "strmap.h"
#include "style.h"

static const char handout_usage[] =
    "Usage: atlas handout (--year Y | --from Y1 --to Y2) -o FILE.pdf\n"
    "                     [--db PATH] [--kind K,...] [--extent PRESET]\n"
    "                     [--paper a4|letter] [--lang en|ru|uk|pl]\n"
    "                     [--style print-bw|default|FILE.json | --color]\n"
    "                     [--title TEXT] [--subtitle TEXT]\n"
    "                     [--inset NAME,... | --no-insets]\n\n"
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
    "  --title TEXT        the title (default: the region and the years)\n"
    "  --subtitle TEXT     a line under the title\n"
    "  --inset NAME,...    insets of these dense areas: moscow, leningrad, "
    "lviv,\n"
    "                      kuzbass (default: those the map needs)\n"
    "  --no-insets         no insets\n"
    "  -o FILE.pdf         the output; written whole or not at all\n";

/* Values as before the shared options moved to cli.h: cli_bad_option()
 * shows a no-argument option's value in "--color=x"'s message. */
enum {
    OPT_COLOR = 265,
    OPT_DEBUG_NUMBERS,
    OPT_DEBUG_LABELS,
    OPT_PAPER,
    OPT_TITLE,
    OPT_SUBTITLE,
    OPT_INSET,
    OPT_NO_INSETS
};

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
        {"db", required_argument, NULL, CLI_OPT_DB},
        {"year", required_argument, NULL, CLI_OPT_YEAR},
        {"from", required_argument, NULL, CLI_OPT_FROM},
        {"to", required_argument, NULL, CLI_OPT_TO},
        {"kind", required_argument, NULL, CLI_OPT_KIND},
        {"extent", required_argument, NULL, CLI_OPT_EXTENT},
        {"paper", required_argument, NULL, OPT_PAPER},
        {"lang", required_argument, NULL, CLI_OPT_LANG},
        {"style", required_argument, NULL, CLI_OPT_STYLE},
        {"color", no_argument, NULL, OPT_COLOR},
        {"title", required_argument, NULL, OPT_TITLE},
        {"subtitle", required_argument, NULL, OPT_SUBTITLE},
        {"debug-numbers", required_argument, NULL, OPT_DEBUG_NUMBERS},
        {"debug-labels", required_argument, NULL, OPT_DEBUG_LABELS},
        {"inset", required_argument, NULL, OPT_INSET},
        {"no-insets", no_argument, NULL, OPT_NO_INSETS},
        {"date", required_argument, NULL, CLI_OPT_DATE},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    atlas_handout_opts ho = {0};
    cli_sel_opts o = {0};
    atlas_query q = {0};
    atlas_feature_list fl;
    atlas_source_list src = {NULL, 0};
    atlas_period period;
    atlas_total *totals = NULL;
    atlas_strmap *jan1 = NULL;
    size_t n_totals = 0;
    atlas_store *st = NULL;
    atlas_style *style = NULL;
    atlas_i18n *tr = NULL;
    int color = 0, c;
    double w, h;

    atlas_feature_list_init(&fl);
    atlas_period_init(&period);
    ho.paper = "a4";
    o.lang = "en";
    optind = 1;
    opterr = 0;
    while (err->code == ATLAS_OK &&
           (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        if (cli_sel_option(&o, c, optarg, err))
            continue;
        switch (c) {
        case OPT_PAPER:
            ho.paper = optarg;
            atlas_page_paper(optarg, 0, &w, &h, err);
            break;
        case OPT_COLOR:
            color = 1;
            break;
        case OPT_DEBUG_NUMBERS:
            ho.debug_numbers = optarg;
            break;
        case OPT_TITLE:
            ho.title = optarg;
            break;
        case OPT_SUBTITLE:
            ho.subtitle = optarg;
            break;
        case OPT_DEBUG_LABELS:
            ho.debug_labels = optarg;
            break;
        case OPT_INSET:
            ho.insets = optarg;
            break;
        case OPT_NO_INSETS:
            ho.no_insets = 1;
            break;
        case 'h':
            cli_usage(stdout, handout_usage);
            free(o.kinds);
            return ATLAS_OK;
        default:
            cli_bad_option("handout", c, argv, err);
        }
    }
    if (err->code == ATLAS_OK)
        cli_check_operands("handout", argc, argv, err);
    if (err->code == ATLAS_OK && o.style != NULL && color)
        atlas_error_set(err, ATLAS_E_INPUT, "--style cannot go with --color");
    if (err->code == ATLAS_OK &&
        cli_check_years(o.year, o.from, o.to, &q, err) == ATLAS_OK &&
        q.year_from == 0)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "handout: --year or --from/--to is required");
    if (err->code == ATLAS_OK && o.out == NULL)
        atlas_error_set(err, ATLAS_E_INPUT, "handout: -o FILE.pdf is required");
    if (err->code == ATLAS_OK && strcmp(o.out, "-") != 0 && !is_pdf(o.out))
        atlas_error_set(err, ATLAS_E_INPUT,
                        "-o: \"%.200s\": a handout is a PDF (FILE.pdf)", o.out);
    if (err->code != ATLAS_OK)
        goto cleanup;
    /* everything that can fail on the user's input fails before the
     * database is opened */
    tr = atlas_i18n_load(o.lang, err);
    if (tr == NULL)
        goto cleanup;
    style = atlas_style_load(
        cli_style_path(o.style, color ? "default" : "print-bw"), err);
    if (style == NULL)
        goto cleanup;

    if (cli_sel_query(&o, &q, err) != ATLAS_OK)
        goto cleanup;
    st = cli_open_store(o.db, err);
    if (st == NULL || atlas_store_query(st, &q, &fl, err) != ATLAS_OK ||
        atlas_store_sources(st, &src, err) != ATLAS_OK ||
        cli_read_period(st, &o, atlas_i18n_lang(tr), &period, err) !=
            ATLAS_OK)
        goto cleanup;
    ho.period = &period;
    if (q.year_from != 0 && q.year_from == q.year_to &&
        atlas_store_totals(st, &totals, &n_totals, &period, err) != ATLAS_OK)
        goto cleanup;
    for (size_t i = 0; i < n_totals; i++)
        if (totals[i].year == q.year_from)
            ho.total = &totals[i];
    if (ho.total != NULL) {
        if ((jan1 = atlas_strmap_new()) == NULL) {
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
            goto cleanup;
        }
        if (atlas_store_jan1_counts(st, q.year_from, jan1, err) != ATLAS_OK)
            goto cleanup;
        ho.jan1 = jan1;
    }
    atlas_store_close(st);
    st = NULL;

    ho.year_from = q.year_from;
    ho.year_to = q.year_to;
    ho.extent = o.extent != NULL ? o.extent->name : NULL;
    atlas_handout_write(&fl, &src, style, tr, &ho, o.out, err);

cleanup:
    atlas_store_close(st);
    free(totals);
    atlas_strmap_free(jan1);
    atlas_period_free(&period);
    atlas_source_list_free(&src);
    atlas_feature_list_free(&fl);
    atlas_style_free(style);
    atlas_i18n_free(tr);
    free(o.kinds);
    return err->code;
}
