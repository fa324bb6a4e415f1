/* main.c: the atlas command line. Finds the subcommand, runs it, prints
 * its error as "atlas: error: ..." and exits 0, 1 (bad input or usage) or
 * 2 (I/O or environment). Nothing else happens here. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "error.h"

static const struct {
    const char *name;
    cli_command run;
    const char *summary;
} commands[] = {
    {"load", cli_load, "import CSV, GeoJSON, GeoPackage, Shapefile"},
    {"export", cli_export,
     "write filtered features as GeoJSON, CSV, Shapefile"},
    {"list", cli_list, "show what is active in a year, as a table or JSON"},
    {"render", cli_render, "draw a map to PNG, SVG or PDF"},
    {"handout", cli_handout, "a print-ready, cited PDF for a class"},
    {"series", cli_series, "one map per year: a multi-page PDF or files"},
};

static void
usage(FILE *f)
{
    fputs("Usage: atlas COMMAND [OPTIONS]\n"
          "       atlas COMMAND --help\n"
          "       atlas --version\n\n"
          "An atlas of Soviet repression sites: Gulag camps, execution "
          "sites,\nprisons, prisoner-built railways, canals and roads, "
          "deportations.\n\nCommands:\n",
          f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nThe database is out/atlas.gpkg unless --db says otherwise; "
          "it is built\nfrom geodata/ when missing.\n"
          "Exit status: 0 ok, 1 bad input or usage, 2 I/O or environment.\n",
          f);
}

int
main(int argc, char **argv)
{
    atlas_error err;
    atlas_status rc;

    atlas_error_init(&err);
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("atlas %s\n", ATLAS_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        rc = commands[i].run(argc - 1, argv + 1, &err);
        if (rc != ATLAS_OK) {
            fprintf(stderr, "atlas: error: %s\n",
                    err.msg[0] ? err.msg : "failed");
            return atlas_error_exit_code(rc);
        }
        return 0;
    }
    fprintf(stderr, "atlas: error: unknown command \"%s\" (see atlas --help)\n",
            argv[1]);
    return 1;
}
