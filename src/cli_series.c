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
    "[--quiet]\n\n"
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
    "  -o OUT              FILE.pdf, or a pattern such as out/%Y.png; each\n"
    "                      file is written whole or not at all\n";

enum {
    OPT_DB = 256,
    OPT_FROM,
    OPT_TO,
    OPT_STEP,
    OPT_KIND,
    OPT_EXTENT,
    OPT_STYLE,
    OPT_LANG,
    OPT_PAPER,
    OPT_SUMMARY,
    OPT_JOBS,
    OPT_QUIET
};

static const char *
style_path(const char *s)
{
    if (s == NULL || strcmp(s, "default") == 0)
        return atlas_page_style_path("styles/default.json");
    if (strcmp(s, "print-bw") == 0)
        return atlas_page_style_path("styles/print-bw.json");
    return s;
}

atlas_status
cli_series(int argc, char **argv, atlas_error *err)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"step", required_argument, NULL, OPT_STEP},
        {"kind", required_argument, NULL, OPT_KIND},
        {"extent", required_argument, NULL, OPT_EXTENT},
        {"style", required_argument, NULL, OPT_STYLE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"paper", required_argument, NULL, OPT_PAPER},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    atlas_series_opts so = {0};
    atlas_query q = {0};
    atlas_feature_list *lists = NULL;
    atlas_series_page *pages = NULL;
    long long *totals = NULL;
    size_t n_pages = 0;
    atlas_store *st = NULL;
    atlas_style *style = NULL;
    atlas_i18n *tr = NULL;
    const atlas_extent *ext = NULL;
    const char *db = NULL, *out = NULL, *lang = "en", *style_name = NULL;
    char **kinds = NULL;
    size_t n_kinds = 0;
    int from = 0, to = 0, quiet = 0, c;
    long step = 1, jobs = 0;
    double w, h;

    so.paper = "a4";
    optind = 1;
    opterr = 0;
    while (err->code == ATLAS_OK &&
           (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_FROM:
            cli_parse_year("--from", optarg, &from, err);
            break;
        case OPT_TO:
            cli_parse_year("--to", optarg, &to, err);
            break;
        case OPT_STEP:
            cli_parse_int("--step", optarg, 1, 100, &step, err);
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
        case OPT_STYLE:
            style_name = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_PAPER:
            so.paper = optarg;
            atlas_page_paper(optarg, 1, &w, &h, err);
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
        case 'o':
            out = optarg;
            break;
        case 'h':
            cli_usage(stdout, series_usage);
            free(kinds);
            return ATLAS_OK;
        default:
            cli_bad_option("series", c, argv, err);
        }
    }
    if (err->code == ATLAS_OK && optind < argc)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "series: unexpected argument \"%s\"", argv[optind]);
    if (err->code == ATLAS_OK &&
        cli_check_years(0, from, to, &q, err) == ATLAS_OK && from == 0)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "series: --from and --to are required");
    if (err->code == ATLAS_OK && out == NULL)
        atlas_error_set(err, ATLAS_E_INPUT,
                        "series: -o FILE.pdf or -o DIR/%%Y.png is required");
    if (err->code == ATLAS_OK)
        atlas_series_output_kind(out, err);
    if (err->code != ATLAS_OK)
        goto cleanup;
    tr = atlas_i18n_load(lang, err);
    if (tr == NULL)
        goto cleanup;
    style = atlas_style_load(style_path(style_name), err);
    if (style == NULL)
        goto cleanup;
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (n > 256 ? 256 : n) : 1;
    }

    /* every query here, before any page is drawn */
    n_pages = (size_t)((to - from) / step + 1);
    lists = calloc(n_pages, sizeof *lists);
    pages = calloc(n_pages, sizeof *pages);
    totals = calloc((size_t)(to - from + 1), sizeof *totals);
    if (lists == NULL || pages == NULL || totals == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "series: out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n_pages; i++)
        atlas_feature_list_init(&lists[i]);
    st = cli_open_store(db, err);
    if (st == NULL)
        goto cleanup;
    q.kinds = (const char *const *)kinds;
    q.n_kinds = n_kinds;
    if (ext != NULL && cli_extent_query(ext->name, &q, err) != ATLAS_OK)
        goto cleanup;
    for (size_t i = 0; i < n_pages; i++) {
        q.year_from = q.year_to = from + (int)(i * (size_t)step);
        if (atlas_store_query(st, &q, &lists[i], err) != ATLAS_OK)
            goto cleanup;
        pages[i].year = q.year_from;
        pages[i].features = &lists[i];
    }
    if (so.summary &&
        atlas_store_year_totals(st, from, to, totals, err) != ATLAS_OK)
        goto cleanup;
    atlas_store_close(st);
    st = NULL;

    so.year_from = from;
    so.year_to = to;
    so.extent = ext != NULL ? ext->name : NULL;
    so.totals = so.summary ? totals : NULL;
    so.jobs = (int)jobs;
    so.progress = !quiet && isatty(STDERR_FILENO);
    atlas_series_write(pages, n_pages, style, tr, &so, out, err);

cleanup:
    atlas_store_close(st);
    for (size_t i = 0; lists != NULL && i < n_pages; i++)
        atlas_feature_list_free(&lists[i]);
    free(lists);
    free(pages);
    free(totals);
    atlas_style_free(style);
    atlas_i18n_free(tr);
    free(kinds);
    return err->code;
}
