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

/* getopt_long values of the options that several subcommands share. They
 * take values, so no message shows them; each subcommand keeps its own
 * options' values as they were, below these. */
enum {
    CLI_OPT_DB = 0x1000,
    CLI_OPT_YEAR,
    CLI_OPT_FROM,
    CLI_OPT_TO,
    CLI_OPT_KIND,
    CLI_OPT_BBOX,
    CLI_OPT_EXTENT,
    CLI_OPT_STYLE,
    CLI_OPT_LANG,
    CLI_OPT_DATE
};

struct atlas_extent;

/* What export, list, render, handout and series read from the options
 * they share; each subcommand accepts only its own subset. Strings borrow
 * argv; KINDS is the caller's to free(). */
typedef struct cli_sel_opts {
    const char *db;       /* --db; NULL: the default database */
    const char *out;      /* -o */
    int year, from, to;   /* --year, --from, --to; 0 when not given */
    const char *kind_arg; /* --kind as given */
    char **kinds;         /* --kind split (cli_parse_kinds()) */
    size_t n_kinds;
    int has_bbox; /* --bbox W,S,E,N */
    double bbox[4];
    const struct atlas_extent *extent; /* --extent; NULL when not given */
    const char *style;                 /* --style as given */
    const char *lang;                  /* --lang as given */
    char date[11]; /* --date YYYY-MM-DD; "" when not given */
} cli_sel_opts;

/* The day whose borders a map or export of O shows: --date, else 1
 * January of --year or --from, into BUF (11 bytes); NULL when O names no
 * year at all (every period). */
const char *cli_border_date(const cli_sel_opts *o, char *buf);
/* The year whose place names O shows: --year, --from, else the year of
 * --date; 0 when none. */
int cli_names_year(const cli_sel_opts *o);

/* Reads the reference layers for O into P (atlas_period_init() first):
 * borders of cli_border_date(), places of cli_names_year() named in LANG.
 * A database without them gives an empty P. */
atlas_status cli_read_period(atlas_store *st, const cli_sel_opts *o,
                             const char *lang, atlas_period *p,
                             atlas_error *err);

/* Takes option C (a CLI_OPT_* value or 'o') with value ARG into O and
 * returns 1, with ERR set when ARG is bad; returns 0 for any other C. */
int cli_sel_option(cli_sel_opts *o, int c, const char *arg, atlas_error *err);

/* Sets Q's kinds, box (--bbox) and, for an --extent, the box its map
 * shows (cli_extent_query()). Q borrows O's kinds. */
atlas_status cli_sel_query(const cli_sel_opts *o, atlas_query *q,
                           atlas_error *err);

/* Fails with "CMD: unexpected argument ..." when getopt left operands. */
atlas_status cli_check_operands(const char *cmd, int argc, char **argv,
                                atlas_error *err);

/* The style file for --style NAME (DEFAULT when NAME is NULL): the
 * shipped "default" and "print-bw" by name, else NAME as a path.
 * Borrowed (static or argv). */
const char *cli_style_path(const char *name, const char *dflt);

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
