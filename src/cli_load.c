/* cli_load.c: "atlas load": options, then one atlas_load_paths() call. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"

static const char usage_text[] =
    "Usage: atlas load [--db PATH] [--replace] [--allow-years]\n"
    "                  [--map SRC=DST]... FILE|FOLDER...\n\n"
    "Imports sites, lines, per-year counts and sources into the database,\n"
    "all in one transaction: on any error nothing is written.\n\n"
    "  --db PATH        database (default out/atlas.gpkg, created if "
    "missing)\n"
    "  --replace        empty each table the files load into, first\n"
    "  --allow-years    accept years outside 1917-1991\n"
    "  --map SRC=DST    read column SRC as field DST (docs/schema.md)\n"
    "  -q, --quiet      print nothing on success\n\n"
    "Formats: CSV (lon,lat or wkt column), GeoJSON, GeoPackage, Shapefile.\n"
    "A folder loads its *.csv, *.geojson, *.json, *.gpkg and *.shp files.\n"
    "Loading the same file twice changes nothing (features are matched by "
    "id).\n";

atlas_status
cli_load(int argc, char **argv, atlas_error *err)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"replace", no_argument, NULL, 'r'},
        {"allow-years", no_argument, NULL, 'y'},
        {"map", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = CLI_DEFAULT_DB;
    const char **map = calloc((size_t)argc + 1, sizeof *map);
    atlas_load_opts opts = {0};
    atlas_load_stats stats;
    atlas_store *st = NULL;
    int quiet = 0, c, existed;

    if (map == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    opts.map = map;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            opts.replace = 1;
            break;
        case 'y':
            opts.allow_years = 1;
            break;
        case 'm':
            map[opts.n_map++] = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            cli_usage(stdout, usage_text);
            free(map);
            return ATLAS_OK;
        default:
            free(map);
            return cli_bad_option("load", c, argv, err);
        }
    }
    if (optind >= argc) {
        free(map);
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "load: no files given (see atlas load --help)");
    }
    if (db == (const char *)CLI_DEFAULT_DB)
        mkdir("out", 0755);
    existed = access(db, F_OK) == 0;
    st = atlas_store_open(db, ATLAS_STORE_CREATE, err);
    if (st != NULL) {
        atlas_load_paths(st, (const char *const *)argv + optind,
                         (size_t)(argc - optind), &opts, &stats, err);
        atlas_store_close(st);
        if (err->code != ATLAS_OK && !existed)
            unlink(db); /* as before: there was no database */
    }
    free(map);
    if (err->code != ATLAS_OK)
        return err->code;
    if (!quiet) {
        fprintf(stderr,
                "atlas: loaded %zu file%s into %s: %zu sites, %zu lines, "
                "%zu yearly counts, %zu sources\n",
                stats.n_files, stats.n_files == 1 ? "" : "s", db, stats.n_sites,
                stats.n_lines, stats.n_years, stats.n_sources);
        if (stats.n_borders + stats.n_places + stats.n_names + stats.n_totals)
            fprintf(stderr,
                    "atlas: reference layers: %zu border periods, %zu "
                    "places, %zu place names, %zu published totals\n",
                    stats.n_borders, stats.n_places, stats.n_names,
                    stats.n_totals);
        if (stats.ignored[0])
            fprintf(stderr,
                    "atlas: note: columns not in the schema were "
                    "ignored: %s\n",
                    stats.ignored);
    }
    return ATLAS_OK;
}
