/* cli.h: the subcommands of the atlas command and the option parsing they
 * share. Only the atlas executable links these (src/main.c, src/cli_*.c). */
#ifndef ATLAS_CLI_H
#define ATLAS_CLI_H

#include <stdio.h>

#include "error.h"
#include "store.h"

/* Each subcommand parses ARGV (ARGV[0] is its name), does its work and
 * returns a status; on failure ERR holds the message main prints. */
typedef atlas_status (*cli_command)(int argc, char **argv, atlas_error *err);

atlas_status cli_load(int argc, char **argv, atlas_error *err);
atlas_status cli_export(int argc, char **argv, atlas_error *err);
atlas_status cli_list(int argc, char **argv, atlas_error *err);
atlas_status cli_render(int argc, char **argv, atlas_error *err);
atlas_status cli_handout(int argc, char **argv, atlas_error *err);
atlas_status cli_series(int argc, char **argv, atlas_error *err);

/* The default database and data folder. */
#define CLI_DEFAULT_DB "out/atlas.gpkg"
#define CLI_DEFAULT_DATA "geodata"

/* Opens DB for reading, or the default database when DB is NULL; the
 * default is built from geodata/ first when it does not exist (said on
 * stderr). Returns NULL with ERR set on failure. */
atlas_store *cli_open_store(const char *db, atlas_error *err);

/* Option value parsers: each returns ATLAS_OK, or ATLAS_E_INPUT with ERR
 * naming OPT, the value and what was expected. */
atlas_status cli_parse_year(const char *opt, const char *s, int *out,
                            atlas_error *err);
atlas_status cli_parse_int(const char *opt, const char *s, long lo, long hi,
                           long *out, atlas_error *err);
atlas_status cli_parse_bbox(const char *opt, const char *s, double bbox[4],
                            atlas_error *err);
/* Splits a comma list S of kinds into *OUT (a NULL-terminated array the
 * caller frees with free(); one allocation) and checks each kind. */
atlas_status cli_parse_kinds(const char *opt, const char *s, char ***out,
                             size_t *n, atlas_error *err);

/* Year selection shared by export, list, render: --year Y | --from --to.
 * Fills Q's year range; returns ATLAS_E_INPUT on a contradiction. */
atlas_status cli_check_years(int year, int from, int to, atlas_query *q,
                             atlas_error *err);

/* Sets Q's box to what a map of preset EXTENT shows, which is more than
 * the preset's own box (no box when that crosses 180 degrees): the map
 * then keeps what falls inside its frame. */
atlas_status cli_extent_query(const char *extent, atlas_query *q,
                              atlas_error *err);

/* The error for getopt_long's '?' or ':' (C) in subcommand CMD, run with
 * opterr = 0 and an optstring starting with ':' so that getopt prints
 * nothing itself: "CMD: unknown option ..." or "CMD: -o needs a value".
 * Returns ATLAS_E_INPUT. */
atlas_status cli_bad_option(const char *cmd, int c, char **argv,
                            atlas_error *err);

/* Prints "Usage: ..." text for the subcommand to F. */
void cli_usage(FILE *f, const char *text);

#endif /* ATLAS_CLI_H */
