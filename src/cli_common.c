/* cli_common.c: option parsing and database opening that every subcommand
 * shares. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "page.h"
#include "proj.h"
#include "render.h"

atlas_status
cli_bad_option(const char *cmd, int c, char **argv, atlas_error *err)
{
    /* getopt has stepped past the offending word: argv[optind - 1] is
     * "--bogus", or "-o" / "--db" when its value is missing. */
    const char *word = optind > 0 ? argv[optind - 1] : "?";

    if (c == ':')
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %.60s needs a value (see atlas %s --help)",
                               cmd, word, cmd);
    if (word[0] == '-' && word[1] == '-' && strchr(word, '=') != NULL &&
        optopt != 0)
        /* "--color=x": a known long option that takes no value; optopt
         * is then our option code, not a character to print */
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %.*s takes no value (see atlas %s --help)",
                               cmd, (int)(strchr(word, '=') - word), word, cmd);
    if (optopt > ' ' && optopt < 127 && (word[0] != '-' || word[1] != '-'))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: unknown option \"-%c\" (see atlas %s "
                               "--help)",
                               cmd, optopt, cmd);
    return atlas_error_set(err, ATLAS_E_INPUT,
                           "%s: unknown option \"%.60s\" (see atlas %s --help)",
                           cmd, word, cmd);
}

void
cli_usage(FILE *f, const char *text)
{
    fputs(text, f);
}

atlas_status
cli_parse_int(const char *opt, const char *s, long lo, long hi, long *out,
              atlas_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: \"%.40s\" is not a whole number", opt, s);
    if (v < lo || v > hi)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: %ld is out of range (%ld..%ld)", opt, v, lo,
                               hi);
    *out = v;
    return ATLAS_OK;
}

atlas_status
cli_parse_year(const char *opt, const char *s, int *out, atlas_error *err)
{
    long v = 0;
    if (cli_parse_int(opt, s, 1000, 2999, &v, err))
        return err->code;
    *out = (int)v;
    return ATLAS_OK;
}

atlas_status
cli_parse_bbox(const char *opt, const char *s, double bbox[4], atlas_error *err)
{
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        char *end;
        errno = 0;
        bbox[i] = strtod(p, &end);
        if (errno != 0 || end == p || !isfinite(bbox[i]) ||
            (i < 3 && *end != ',') || (i == 3 && *end != '\0'))
            return atlas_error_set(err, ATLAS_E_INPUT,
                                   "%s: \"%.60s\": expected W,S,E,N in "
                                   "degrees",
                                   opt, s);
        p = end + 1;
    }
    if (bbox[0] < -180 || bbox[2] > 180 || bbox[1] < -90 || bbox[3] > 90 ||
        bbox[0] >= bbox[2] || bbox[1] >= bbox[3])
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: \"%.60s\": expected W < E within "
                               "-180..180 and S < N within -90..90",
                               opt, s);
    return ATLAS_OK;
}

atlas_status
cli_parse_kinds(const char *opt, const char *s, char ***out, size_t *n,
                atlas_error *err)
{
    size_t len = strlen(s), count = 1;
    for (const char *p = s; *p; p++)
        count += *p == ',';
    /* one block: the pointer array, then the text */
    char **v = calloc(1, (count + 1) * sizeof *v + len + 1);
    if (v == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    char *text = (char *)(v + count + 1);
    memcpy(text, s, len + 1);
    size_t k = 0;
    for (char *tok = text;; k++) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (atlas_kind_layer(tok) < 0) {
            atlas_error_set(err, ATLAS_E_INPUT,
                            "%s: unknown kind \"%.40s\" (one of camp, "
                            "execution_site, prison, transit, "
                            "special_settlement, station, uprising, "
                            "railway, canal, road, deportation)",
                            opt, tok);
            free(v);
            return err->code;
        }
        v[k] = tok;
        if (!comma)
            break;
        tok = comma + 1;
    }
    *out = v;
    *n = k + 1;
    return ATLAS_OK;
}

atlas_status
cli_check_years(int year, int from, int to, atlas_query *q, atlas_error *err)
{
    if (year != 0 && (from != 0 || to != 0))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--year cannot go with --from/--to");
    if (year != 0) {
        q->year_from = q->year_to = year;
        return ATLAS_OK;
    }
    if ((from != 0) != (to != 0))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--from and --to go together");
    if (from > to)
        return atlas_error_set(err, ATLAS_E_INPUT, "--from %d is after --to %d",
                               from, to);
    q->year_from = from;
    q->year_to = to;
    return ATLAS_OK;
}

/* Builds the default database from geodata/ into a temporary file, then
 * renames it into place: a failed build leaves nothing behind. */
static atlas_status
build_default(const char *db, atlas_error *err)
{
    char tmp[4096];
    const char *paths[1] = {CLI_DEFAULT_DATA};
    atlas_load_opts opts = {0};
    atlas_store *st;
    struct stat sb;

    if (stat(CLI_DEFAULT_DATA, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return atlas_error_set(err, ATLAS_E_IO,
                               "%s: no such database, and no %s/ here to "
                               "build it from (run atlas in the atlas folder, "
                               "or give --db)",
                               db, CLI_DEFAULT_DATA);
    fprintf(stderr, "atlas: %s does not exist: building it from %s/\n", db,
            CLI_DEFAULT_DATA);
    mkdir("out", 0755);
    snprintf(tmp, sizeof tmp, "%s.build%ld.gpkg", db, (long)getpid());
    st = atlas_store_open(tmp, ATLAS_STORE_CREATE, err);
    if (st == NULL)
        return err->code;
    atlas_load_paths(st, paths, 1, &opts, NULL, err);
    atlas_store_close(st);
    if (err->code == ATLAS_OK && rename(tmp, db) != 0)
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", db,
                        strerror(errno));
    if (err->code != ATLAS_OK)
        unlink(tmp);
    return err->code;
}

atlas_store *
cli_open_store(const char *db, atlas_error *err)
{
    if (db == NULL) {
        db = CLI_DEFAULT_DB;
        if (access(db, F_OK) != 0 && build_default(db, err))
            return NULL;
        atlas_store *st = atlas_store_open(db, ATLAS_STORE_READ, err);
        if (st != NULL || strstr(err->msg, "not an atlas database") == NULL)
            return st;
        /* made by an earlier atlas, with another schema: the default
         * database is only geodata/ loaded, so it is made again */
        fprintf(stderr, "atlas: %s is of an earlier atlas: rebuilding it\n",
                db);
        memset(err, 0, sizeof *err);
        if (build_default(db, err))
            return NULL;
    }
    return atlas_store_open(db, ATLAS_STORE_READ, err);
}

atlas_status
cli_extent_query(const char *extent, atlas_query *q, atlas_error *err)
{
    atlas_render_opts ro;

    atlas_render_opts_init(&ro);
    ro.extent = extent;
    if (atlas_render_query_bbox(&ro, q->bbox, err) != ATLAS_OK)
        return err->code;
    q->has_bbox = q->bbox[0] >= -180 && q->bbox[2] <= 180;
    return ATLAS_OK;
}

int
cli_sel_option(cli_sel_opts *o, int c, const char *arg, atlas_error *err)
{
    switch (c) {
    case 'o':
        o->out = arg;
        return 1;
    case CLI_OPT_DB:
        o->db = arg;
        return 1;
    case CLI_OPT_YEAR:
        cli_parse_year("--year", arg, &o->year, err);
        return 1;
    case CLI_OPT_FROM:
        cli_parse_year("--from", arg, &o->from, err);
        return 1;
    case CLI_OPT_TO:
        cli_parse_year("--to", arg, &o->to, err);
        return 1;
    case CLI_OPT_KIND:
        free(o->kinds);
        o->kinds = NULL;
        if (cli_parse_kinds("--kind", arg, &o->kinds, &o->n_kinds, err) ==
            ATLAS_OK)
            o->kind_arg = arg;
        return 1;
    case CLI_OPT_BBOX:
        o->has_bbox = cli_parse_bbox("--bbox", arg, o->bbox, err) == ATLAS_OK;
        return 1;
    case CLI_OPT_EXTENT:
        o->extent = atlas_proj_extent(arg);
        if (o->extent == NULL)
            atlas_error_set(err, ATLAS_E_INPUT,
                            "--extent: \"%.40s\": expected ussr, west, "
                            "north or kolyma",
                            arg);
        return 1;
    case CLI_OPT_STYLE:
        o->style = arg;
        return 1;
    case CLI_OPT_LANG:
        o->lang = arg;
        return 1;
    case CLI_OPT_DATE:
        if (!atlas_date_parse(arg, NULL) || atoi(arg) < 1900 ||
            atoi(arg) > 2000)
            atlas_error_set(err, ATLAS_E_INPUT,
                            "--date: \"%.40s\": expected a date YYYY-MM-DD "
                            "between 1900 and 2000",
                            arg);
        else
            snprintf(o->date, sizeof o->date, "%s", arg);
        return 1;
    }
    return 0;
}

const char *
cli_border_date(const cli_sel_opts *o, char *buf)
{
    int y = o->year ? o->year : o->from;
    if (o->date[0] != '\0') {
        memcpy(buf, o->date, 11);
        return buf;
    }
    if (y == 0)
        return NULL;
    snprintf(buf, 11, "%04d-01-01", y);
    return buf;
}

int
cli_names_year(const cli_sel_opts *o)
{
    if (o->year || o->from)
        return o->year ? o->year : o->from;
    return o->date[0] ? atoi(o->date) : 0;
}

atlas_status
cli_read_period(atlas_store *st, const cli_sel_opts *o, const char *lang,
                atlas_period *p, atlas_error *err)
{
    char date[11];
    return atlas_store_period(st, cli_border_date(o, date), cli_names_year(o),
                              lang, ATLAS_PERIOD_BORDERS | ATLAS_PERIOD_PLACES,
                              p, err);
}

atlas_status
cli_sel_query(const cli_sel_opts *o, atlas_query *q, atlas_error *err)
{
    q->kinds = (const char *const *)o->kinds;
    q->n_kinds = o->n_kinds;
    q->has_bbox = o->has_bbox;
    memcpy(q->bbox, o->bbox, sizeof q->bbox);
    if (o->extent != NULL)
        return cli_extent_query(o->extent->name, q, err);
    return ATLAS_OK;
}

atlas_status
cli_check_operands(const char *cmd, int argc, char **argv, atlas_error *err)
{
    if (optind < argc)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: unexpected argument \"%s\"", cmd,
                               argv[optind]);
    return ATLAS_OK;
}

const char *
cli_style_path(const char *name, const char *dflt)
{
    if (name == NULL)
        name = dflt;
    if (strcmp(name, "print-bw") == 0)
        return atlas_page_style_path("styles/print-bw.json");
    if (strcmp(name, "default") == 0)
        return atlas_page_style_path("styles/default.json");
    return name;
}
