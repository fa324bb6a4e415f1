/* cli_series.c: "atlas series": parse the options, run every query in
 * this thread (the store is not shared with the page workers), load the
 * style and the language, and hand the pages to atlas_series_write(). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "page.h"
#include "proj.h"
#include "render.h"
#include "series.h"
#include "style.h"

static const char series_usage[] =
    "Usage: atlas series --from Y1 --to Y2 -o FILE.pdf|DIR/%Y.png|svg|pdf\n"
    "                    [--step N] [--db PATH] [--kind K,...] "
    "[--extent PRESET]\n"
    "                    [--style default|print-bw|FILE.json] [--lang L]\n"
    "                    [--paper a4|letter] [--summary] [--jobs N] "
    "[--quiet]\n"
    "                    [--title TEXT] [--subtitle TEXT]\n\n"
    "One map a year, with the same frame, extent and symbol scale on every\n"
    "page: a multi-page PDF, or one file a year when -o holds %Y.\n\n"
    "  --from Y1 --to Y2   the years (required)\n"
    "  --step N            every Nth year from Y1 (default 1)\n"
    "  --kind K,...        only these kinds (camp, execution_site, prison, "
    "...)\n"
    "  --extent PRESET     ussr (default), west, north, kolyma\n"
    "  --style S           default (colour, the default), print-bw, or a "
    "file\n"
    "  --lang L            texts and names in en (default), ru, uk or pl\n"
    "  --paper P           a4 (default) or letter, landscape\n"
    "  --summary           a first page charting the prisoners of the camps\n"
    "                      per year, and that chart small on every page\n"
    "  --jobs N            pages drawn at once (default: the cores); the\n"
    "                      output is the same for any N\n"
    "  --quiet             no progress bar (it shows only on a terminal)\n"
    "  --title TEXT        the title (default: the region and the years)\n"
    "  --subtitle TEXT     words after the title\n"
    "  -o OUT              FILE.pdf, or a pattern such as out/%Y.png; each\n"
    "                      file is written whole or not at all\n";

/* Values as before the shared options moved to cli.h: cli_bad_option()
 * shows a no-argument option's value in "--quiet=x"'s message. */
enum {
    OPT_SUMMARY = 265,
    OPT_JOBS,
    OPT_QUIET,
    OPT_STEP,
    OPT_PAPER,
    OPT_TITLE,
    OPT_SUBTITLE
};

atlas_status
cli_series(int argc, char **argv, atlas_error *err)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, CLI_OPT_DB},
        {"from", required_argument, NULL, CLI_OPT_FROM},
        {"to", required_argument, NULL, CLI_OPT_TO},
        {"step", required_argument, NULL, OPT_STEP},
        {"kind", required_argument, NULL, CLI_OPT_KIND},
        {"extent", required_argument, NULL, CLI_OPT_EXTENT},
        {"style", required_argument, NULL, CLI_OPT_STYLE},
        {"lang", required_argument, NULL, CLI_OPT_LANG},
        {"paper", required_argument, NULL, OPT_PAPER},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"title", required_argument, NULL, OPT_TITLE},
        {"subtitle", required_argument, NULL, OPT_SUBTITLE},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    atlas_series_opts so = {0};
    cli_sel_opts o = {0};
    atlas_query q = {0};
    atlas_feature_list *lists = NULL;
    atlas_period *periods = NULL;
    atlas_series_page *pages = NULL;
    long long *totals = NULL, *published = NULL;
    size_t n_pages = 0;
    atlas_store *st = NULL;
    atlas_style *style = NULL;
    atlas_i18n *tr = NULL;
    int from, to, quiet = 0, c;
    long step = 1, jobs = 0;
    double w, h;

    so.paper = "a4";
    o.lang = "en";
    optind = 1;
    opterr = 0;
    while (err->code == ATLAS_OK &&
           (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        if (cli_sel_option(&o, c, optarg, err))
            continue;
        switch (c) {
        case OPT_STEP:
            cli_parse_int("--step", optarg, 1, 100, &step, err);
            break;
        case OPT_PAPER:
            so.paper = optarg;
            atlas_page_paper(optarg, 1, &w, &h, err);
            break;
        case OPT_TITLE:
            so.title = optarg;
            break;
        case OPT_SUBTITLE:
            so.subtitle = optarg;
            break;
        case OPT_SUMMARY:
            so.summary = 1;
            break;
        case OPT_JOBS:
            cli_parse_int("--jobs", optarg, 1, 256, &jobs, err);
            break;
        case OPT_QUIET:
            quiet = 1;
            break;
        case 'h':
            cli_usage(stdout, series_usage);
            free(o.kinds);
            return ATLAS_OK;
        default:
            cli_bad_option("series", c, argv, err);
        }
    }
    from = o.from;
    to = o.to;
    if (err->code == ATLAS_OK)
        cli_check_operands("series", argc, argv, err);
    if (err->code == ATLAS_OK &&
        cli_check_years(0, from, to, &q, err) == ATLAS_OK && from == 0)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "series: --from and --to are required");
    if (err->code == ATLAS_OK && o.out == NULL)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "series: -o FILE.pdf or -o DIR/%%Y.png is required");
    if (err->code == ATLAS_OK)
        atlas_series_output_kind(o.out, err);
    if (err->code != ATLAS_OK)
        goto cleanup;
    tr = atlas_i18n_load(o.lang, err);
    if (tr == NULL)
        goto cleanup;
    style = atlas_style_load(cli_style_path(o.style, "default"), err);
    if (style == NULL)
        goto cleanup;
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (n > 256 ? 256 : n) : 1;
    }

    /* every query here, before any page is drawn */
    n_pages = (size_t)((to - from) / step + 1);
    lists = calloc(n_pages, sizeof *lists);
    periods = calloc(n_pages, sizeof *periods);
    pages = calloc(n_pages, sizeof *pages);
    totals = calloc((size_t)(to - from + 1), sizeof *totals);
    if (lists == NULL || periods == NULL || pages == NULL || totals == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "series: out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n_pages; i++) {
        atlas_feature_list_init(&lists[i]);
        atlas_period_init(&periods[i]);
    }
    st = cli_open_store(o.db, err);
    if (st == NULL || cli_sel_query(&o, &q, err) != ATLAS_OK)
        goto cleanup;
    for (size_t i = 0; i < n_pages; i++) {
        q.year_from = q.year_to = from + (int)(i * (size_t)step);
        if (atlas_store_query(st, &q, &lists[i], err) != ATLAS_OK)
            goto cleanup;
        pages[i].year = q.year_from;
        pages[i].features = &lists[i];
        cli_sel_opts po = o; /* the borders of the page's 1 January */
        po.year = q.year_from;
        po.from = po.to = 0;
        if (cli_read_period(st, &po, atlas_i18n_lang(tr), &periods[i], err) !=
            ATLAS_OK)
            goto cleanup;
        pages[i].period = &periods[i];
    }
    if (so.summary &&
        atlas_store_year_totals(st, from, to, totals, err) != ATLAS_OK)
        goto cleanup;
    if (so.summary) {
        atlas_total *t = NULL;
        size_t n_t = 0;
        published = calloc((size_t)(to - from + 1), sizeof *published);
        if (published == NULL) {
            atlas_error_set(err, ATLAS_E_NOMEM, "series: out of memory");
            goto cleanup;
        }
        for (int y = from; y <= to; y++)
            published[y - from] = -1;
        atlas_period scratch;
        atlas_period_init(&scratch);
        if (atlas_store_totals(st, &t, &n_t, &scratch, err) == ATLAS_OK)
            for (size_t i = 0; i < n_t; i++)
                if (t[i].year >= from && t[i].year <= to)
                    published[t[i].year - from] = t[i].prisoners;
        free(t);
        atlas_period_free(&scratch);
        if (err->code != ATLAS_OK)
            goto cleanup;
        so.published = published;
    }
    atlas_store_close(st);
    st = NULL;

    so.year_from = from;
    so.year_to = to;
    so.extent = o.extent != NULL ? o.extent->name : NULL;
    so.totals = so.summary ? totals : NULL;
    so.jobs = (int)jobs;
    so.progress = !quiet && isatty(STDERR_FILENO);
    atlas_series_write(pages, n_pages, style, tr, &so, o.out, err);

cleanup:
    atlas_store_close(st);
    for (size_t i = 0; lists != NULL && i < n_pages; i++)
        atlas_feature_list_free(&lists[i]);
    for (size_t i = 0; periods != NULL && i < n_pages; i++)
        atlas_period_free(&periods[i]);
    free(lists);
    free(periods);
    free(pages);
    free(totals);
    free(published);
    atlas_style_free(style);
    atlas_i18n_free(tr);
    free(o.kinds);
    return err->code;
}
