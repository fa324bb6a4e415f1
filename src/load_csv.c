/* load_csv.c: reads CSV (RFC 4180: comma, double-quote quoting, CRLF or
 * LF) record by record, in bounded memory, and hands each to load.c.
 *
 * Why not OGR's CSV driver: it pads short rows, reads an unclosed quote
 * silently to the end of the file and numbers features, not lines, so it
 * cannot tell a user "FILE:LINE: what is wrong". GDAL still reads every
 * other format and the WKT in a CSV's wkt column. */
#include "load_private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One line may not exceed this: a 10 MB line is an error, not a wait. */
#define MAX_RECORD (1024 * 1024)
#define MAX_FIELDS 512

typedef struct csv_reader {
    FILE *fp;
    const char *path;
    long line; /* line of the next character */
    char *buf; /* the record's field texts, NUL-separated */
    size_t len, cap;
    size_t starts[MAX_FIELDS];
    const char *fields[MAX_FIELDS];
    int n;
    int pend[4]; /* bytes read ahead and given back, last on top */
    int n_pend;
} csv_reader;

/* getc() and ungetc() that can give back more than one byte: a pipe
 * cannot be rewound after looking for a byte order mark. */
static int
next(csv_reader *r)
{
    return r->n_pend > 0 ? r->pend[--r->n_pend] : getc(r->fp);
}

static void
unget(csv_reader *r, int c)
{
    if (c != EOF && r->n_pend < 4)
        r->pend[r->n_pend++] = c;
}

static int
put(csv_reader *r, char c)
{
    if (r->len == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4096;
        char *b = realloc(r->buf, cap);
        if (b == NULL)
            return -1;
        r->buf = b;
        r->cap = cap;
    }
    r->buf[r->len++] = c;
    return 0;
}

/* Reads one record. Returns 1 with the fields set, 0 at the end of the
 * file, or -1 with ERR set. *FIRST_LINE gets the line it started on. */
static int
read_record(csv_reader *r, long *first_line, atlas_error *err)
{
    int c, quoted = 0, after_quote = 0, at_start = 1;
    long quote_line = 0;

    r->len = 0;
    r->n = 0;
    *first_line = r->line;
    c = next(r);
    if (c == EOF) {
        if (ferror(r->fp)) {
            atlas_error_set(err, ATLAS_E_IO, "%s:%ld: read error: %s", r->path,
                            r->line, strerror(errno));
            return -1;
        }
        return 0;
    }
    r->starts[r->n++] = 0;
    for (;; c = next(r)) {
        if (r->len > MAX_RECORD) {
            atlas_error_set(err, ATLAS_E_INPUT,
                            "%s:%ld: line longer than %d bytes", r->path,
                            *first_line, MAX_RECORD);
            return -1;
        }
        if (c == EOF) {
            if (ferror(r->fp)) {
                atlas_error_set(err, ATLAS_E_IO, "%s:%ld: read error: %s",
                                r->path, r->line, strerror(errno));
                return -1;
            }
            if (quoted) {
                atlas_error_set(err, ATLAS_E_INPUT, "%s:%ld: unclosed quote",
                                r->path, quote_line);
                return -1;
            }
            break;
        }
        if (c == '\0') {
            atlas_error_set(err, ATLAS_E_INPUT,
                            "%s:%ld: invalid UTF-8 (a NUL byte)", r->path,
                            r->line);
            return -1;
        }
        if (quoted) {
            if (c == '"') {
                int d = next(r);
                if (d == '"') {
                    if (put(r, '"') < 0)
                        goto nomem;
                    continue;
                }
                unget(r, d);
                quoted = 0;
                after_quote = 1;
                continue;
            }
            if (c == '\n')
                r->line++;
            if (put(r, (char)c) < 0)
                goto nomem;
            continue;
        }
        if (c == '\r') {
            int d = next(r);
            if (d != '\n')
                unget(r, d);
            c = '\n';
        }
        if (c == '\n') {
            r->line++;
            break;
        }
        if (c == ',') {
            if (put(r, '\0') < 0)
                goto nomem;
            if (r->n == MAX_FIELDS) {
                atlas_error_set(err, ATLAS_E_INPUT,
                                "%s:%ld: more than %d fields", r->path,
                                *first_line, MAX_FIELDS);
                return -1;
            }
            r->starts[r->n++] = r->len;
            at_start = 1;
            after_quote = 0;
            continue;
        }
        if (c == '"' && at_start) {
            quoted = 1;
            quote_line = r->line;
            at_start = 0;
            continue;
        }
        if (after_quote) {
            atlas_error_set(err, ATLAS_E_INPUT,
                            "%s:%ld: text after a closing quote in field %d",
                            r->path, r->line, r->n);
            return -1;
        }
        at_start = 0;
        if (put(r, (char)c) < 0)
            goto nomem;
    }
    if (put(r, '\0') < 0)
        goto nomem;
    for (int i = 0; i < r->n; i++)
        r->fields[i] = r->buf + r->starts[i];
    return 1;

nomem:
    atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    return -1;
}

static FILE *
open_csv(const char *path, csv_reader *r, atlas_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->line = 1;
    r->fp = fopen(path, "rb");
    if (r->fp == NULL) {
        atlas_error_set(err, errno == ENOENT ? ATLAS_E_IO : ATLAS_E_IO,
                        "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    /* skip a UTF-8 byte order mark; give back what is not one (no
     * rewind(): the file may be a pipe) */
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    int got[3], n = 0;
    while (n < 3 && (got[n] = getc(r->fp)) == bom[n])
        n++;
    if (n < 3) {
        if (got[n] != EOF)
            n++; /* the byte that differed goes back too */
        while (n > 0)
            unget(r, got[--n]);
    }
    return r->fp;
}

/* Reads the header into R; 0 ok, else ERR set. */
static atlas_status
read_header(csv_reader *r, atlas_error *err)
{
    long first;
    int got = read_record(r, &first, err);
    if (got < 0)
        return err->code;
    if (got == 0 || (r->n == 1 && r->fields[0][0] == '\0'))
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: empty file (expected a header row)",
                               r->path);
    for (int i = 0; i < r->n; i++)
        if (!load_utf8_ok(r->fields[i], strlen(r->fields[i])))
            return atlas_error_set(err, ATLAS_E_INPUT, "%s:1: invalid UTF-8",
                                   r->path);
    return ATLAS_OK;
}

atlas_status
load_csv_target(const char *path, load_target *out, atlas_error *err)
{
    csv_reader r;
    struct stat sb;
    int has[8] = {0};

    *out = LOAD_FEATURES;
    /* a pipe can be read once: leave the header to load_csv(), which
     * tells the target again from it (only the load order is lost) */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return ATLAS_OK;
    if (open_csv(path, &r, err) == NULL)
        return err->code;
    if (read_header(&r, err) == ATLAS_OK) {
        for (int i = 0; i < r.n; i++) {
            const char *f = r.fields[i];
            has[0] |= strcmp(f, "site_id") == 0;
            has[1] |= strcmp(f, "year") == 0;
            has[2] |= strcmp(f, "citation") == 0;
            has[3] |= strcmp(f, "lon") == 0 || strcmp(f, "wkt") == 0;
            has[4] |= strcmp(f, "rank") == 0;
            has[5] |= strcmp(f, "place_id") == 0;
            has[6] |= strcmp(f, "counts") == 0;
        }
        if (has[4] && has[3])
            *out = LOAD_PLACES;
        else if (has[5])
            *out = LOAD_PLACE_NAMES;
        else if (has[1] && has[6] && !has[0])
            *out = LOAD_TOTALS;
        else if (has[0] && has[1] && !has[3])
            *out = LOAD_YEARS;
        else if (has[2] && !has[3])
            *out = LOAD_SOURCES;
    }
    fclose(r.fp);
    free(r.buf);
    return err->code;
}

atlas_status
load_csv(load_ctx *ctx, atlas_error *err)
{
    csv_reader r;
    char where[600];
    long line;
    int got;

    if (open_csv(ctx->file, &r, err) == NULL)
        return err->code;
    if (read_header(&r, err))
        goto cleanup;
    /* copy the header: the reader's buffer is reused */
    {
        char *names[MAX_FIELDS];
        int n = r.n, ok = 1;
        for (int i = 0; i < n; i++)
            if ((names[i] = strdup(r.fields[i])) == NULL)
                ok = 0;
        if (!ok)
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        else
            load_map_columns(ctx, (const char *const *)names, n, 0, err);
        for (int i = 0; i < n; i++)
            free(names[i]);
        if (err->code)
            goto cleanup;
    }
    while ((got = read_record(&r, &line, err)) == 1) {
        if (r.n == 1 && r.fields[0][0] == '\0')
            continue; /* a blank line */
        snprintf(where, sizeof where, "%s:%ld", ctx->file, line);
        if (load_record(ctx, where, line, r.fields, r.n, NULL, err))
            break;
    }

cleanup:
    fclose(r.fp);
    free(r.buf);
    return err->code;
}
