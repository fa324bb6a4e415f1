/* export.c: the writers. GeoJSON and CSV stream feature by feature;
 * Shapefiles go through libshp. Every writer goes through outfile.c, so
 * a failed export leaves no partial file. Nothing of databases here. */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <ogr_srs_api.h>
#include <shapefil.h>

#include "outfile.h"

/* Degrees to 6 decimals: about 0.1 m, finer than any source. */
#define COORD_FMT "%.6f"

int
atlas_export_format_from_name(const char *name)
{
    if (strcmp(name, "geojson") == 0)
        return ATLAS_EXPORT_GEOJSON;
    if (strcmp(name, "geojsonseq") == 0)
        return ATLAS_EXPORT_GEOJSONSEQ;
    if (strcmp(name, "csv") == 0)
        return ATLAS_EXPORT_CSV;
    if (strcmp(name, "shp") == 0)
        return ATLAS_EXPORT_SHP;
    return -1;
}

/* Output goes through a buffer of our own: a feature is a few hundred
 * small writes, and stdio's per-call cost was a third of an export. */
typedef struct obuf {
    FILE *fp;
    char *b;
    size_t n, cap;
} obuf;

static void
ob_flush(obuf *o)
{
    if (o->n > 0)
        fwrite(o->b, 1, o->n, o->fp);
    o->n = 0;
}

static void
ob_w(obuf *o, const void *p, size_t n)
{
    if (o->n + n > o->cap) {
        ob_flush(o);
        if (n > o->cap) {
            fwrite(p, 1, n, o->fp);
            return;
        }
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void
ob_c(obuf *o, char c)
{
    if (o->n == o->cap)
        ob_flush(o);
    o->b[o->n++] = c;
}

static void
ob_s(obuf *o, const char *s)
{
    ob_w(o, s, strlen(s));
}

static void
ob_hex4(obuf *o, unsigned v)
{
    char buf[8];
    snprintf(buf, sizeof buf, "\\u%04x", v);
    ob_s(o, buf);
}

static void
json_string(obuf *fp, const char *s)
{
    ob_c(fp, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* most text needs no escape: write it in runs, not byte by byte */
        const unsigned char *q = p;
        while (*q >= 0x20 && *q != '"' && *q != '\\' && *q != 0x7f &&
               *q != 0xC2 && *q != 0xE2)
            q++;
        if (q > p) {
            ob_w(fp, p, (size_t)(q - p));
            p = q;
            if (*p == '\0')
                break;
        }
        switch (*p) {
        case '"':
            ob_s(fp, "\\\"");
            break;
        case '\\':
            ob_s(fp, "\\\\");
            break;
        case '\n':
            ob_s(fp, "\\n");
            break;
        case '\r':
            ob_s(fp, "\\r");
            break;
        case '\t':
            ob_s(fp, "\\t");
            break;
        default:
            /* C1 controls and bidi overrides are escaped too: valid raw
             * in JSON, but a terminal acts on them (jq gives them back) */
            if (*p < 0x20 || *p == 0x7f) {
                ob_hex4(fp, *p);
            } else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0) {
                ob_hex4(fp, p[1]);
                p++;
            } else if (p[0] == 0xE2 &&
                       ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                        (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
                ob_hex4(fp, 0x2000u | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
                p += 2;
            } else {
                ob_c(fp, *p);
            }
        }
    }
    ob_c(fp, '"');
}

void
atlas_export_json_string(FILE *fp, const char *s)
{
    char b[256];
    obuf o = {fp, b, 0, sizeof b};
    json_string(&o, s);
    ob_flush(&o);
}

/* Prints V in decimal ("-12", "0"). */
static void
put_int(obuf *fp, long long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u =
        v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    ob_w(fp, p, (size_t)(buf + sizeof buf - p));
}

/* V as COORD_FMT would print it, trailing zeros cut, into BUF; 0 when
 * V is too close to a rounding tie to be sure (then printf decides).
 * V * 1e6 is off by at most an ulp (< 1e-7 here), so a fraction that far
 * from .5 rounds as printf's exact decimal expansion does. */
static int
fast_coord(char *buf, double v)
{
    if (!(v > -1e9 && v < 1e9))
        return 0;
    double s = v * 1e6, r = nearbyint(s);
    if (fabs(fabs(s - r) - 0.5) < 1e-6)
        return 0;
    long long m = (long long)r;
    unsigned long long u =
        m < 0 ? 0 - (unsigned long long)m : (unsigned long long)m;
    unsigned long long ip = u / 1000000, fp = u % 1000000;
    char tmp[32], *t = tmp + sizeof tmp, *p = buf;
    int digits = 6;
    if (fp != 0) {
        while (fp % 10 == 0) { /* no trailing zeros */
            fp /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++, fp /= 10)
            *--t = (char)('0' + fp % 10);
        *--t = '.';
    }
    do
        *--t = (char)('0' + ip % 10);
    while ((ip /= 10) != 0);
    if (m < 0)
        *p++ = '-';
    memcpy(p, t, (size_t)(tmp + sizeof tmp - t));
    p[tmp + sizeof tmp - t] = '\0';
    return 1;
}

/* Prints a coordinate without trailing zeros ("64.5", not "64.500000").
 * The buffer holds DBL_MAX in full (309 digits and 6 decimals): a huge
 * value is written whole, never cut (2026-12: 1e308 went into 64 bytes).
 * Non-finite values do not come here for features (unwritable() skips
 * them); should one, it is null, never "nan", which no JSON reads. */
static void
put_coord(obuf *fp, double v)
{
    char buf[400];
    if (!isfinite(v)) {
        ob_s(fp, "null");
        return;
    }
    if (fast_coord(buf, v)) {
        ob_s(fp, buf);
        return;
    }
    snprintf(buf, sizeof buf, COORD_FMT, v);
    char *end = buf + strlen(buf) - 1;
    while (end > buf && *end == '0')
        *end-- = '\0';
    if (*end == '.')
        *end = '\0';
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    ob_s(fp, buf);
}

static void
put_position(obuf *fp, const atlas_feature *fe, size_t i)
{
    ob_c(fp, '[');
    put_coord(fp, fe->xy[2 * i]);
    ob_c(fp, ',');
    put_coord(fp, fe->xy[2 * i + 1]);
    ob_c(fp, ']');
}

static void
put_geometry(obuf *fp, const atlas_feature *fe)
{
    if (fe->layer == ATLAS_LAYER_SITES) {
        ob_s(fp, "{\"type\":\"Point\",\"coordinates\":");
        put_position(fp, fe, 0);
        ob_c(fp, '}');
        return;
    }
    int multi = fe->n_parts > 1;
    ob_s(fp, multi ? "{\"type\":\"MultiLineString\",\"coordinates\":"
                   : "{\"type\":\"LineString\",\"coordinates\":");
    if (multi)
        ob_c(fp, '[');
    for (size_t p = 0; p < fe->n_parts; p++) {
        size_t a = fe->parts[p];
        size_t b = p + 1 < fe->n_parts ? fe->parts[p + 1] : fe->n_pts;
        if (p > 0)
            ob_c(fp, ',');
        ob_c(fp, '[');
        for (size_t i = a; i < b; i++) {
            if (i > a)
                ob_c(fp, ',');
            put_position(fp, fe, i);
        }
        ob_c(fp, ']');
    }
    if (multi)
        ob_c(fp, ']');
    ob_c(fp, '}');
}

static void
put_feature(obuf *fp, const atlas_feature *fe, const atlas_export_opts *o)
{
    ob_s(fp, "{\"type\":\"Feature\",\"id\":");
    json_string(fp, fe->f[ATLAS_F_ID].s ? fe->f[ATLAS_F_ID].s : "");
    ob_s(fp, ",\"properties\":{\"layer\":");
    ob_s(fp, fe->layer == ATLAS_LAYER_SITES ? "\"sites\"" : "\"lines\"");
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        ob_c(fp, ',');
        ob_c(fp, '"');
        ob_s(fp, atlas_field_name(f));
        ob_c(fp, '"');
        ob_c(fp, ':');
        if (!fe->f[f].is_set)
            ob_s(fp, "null");
        else if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
            put_int(fp, fe->f[f].i);
        else
            json_string(fp, fe->f[f].s);
    }
    if (o->with_prisoners) {
        if (fe->has_prisoners) {
            ob_s(fp, ",\"prisoners\":");
            put_int(fp, fe->prisoners);
        } else {
            ob_s(fp, ",\"prisoners\":null");
        }
    }
    ob_s(fp, "},\"geometry\":");
    put_geometry(fp, fe);
    ob_c(fp, '}');
}

/* ---- CSV ---------------------------------------------------------------- */

static void
csv_field(obuf *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        ob_s(fp, s);
        return;
    }
    ob_c(fp, '"');
    for (; *s; s++) {
        if (*s == '"')
            ob_c(fp, '"');
        ob_c(fp, *s);
    }
    ob_c(fp, '"');
}

static void
csv_coord(obuf *fp, double v)
{
    put_coord(fp, v);
}

static void
csv_header(obuf *fp, const atlas_export_opts *o)
{
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        ob_s(fp, atlas_field_name(f));
        ob_c(fp, ',');
    }
    if (o->with_prisoners)
        ob_s(fp, "prisoners,");
    ob_s(fp, "lon,lat,wkt\n");
}

static void
csv_row(obuf *fp, const atlas_feature *fe, const atlas_export_opts *o)
{
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        if (fe->f[f].is_set) {
            if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
                put_int(fp, fe->f[f].i);
            else
                csv_field(fp, fe->f[f].s);
        }
        ob_c(fp, ',');
    }
    if (o->with_prisoners) {
        if (fe->has_prisoners)
            put_int(fp, fe->prisoners);
        ob_c(fp, ',');
    }
    if (fe->layer == ATLAS_LAYER_SITES) {
        csv_coord(fp, fe->xy[0]);
        ob_c(fp, ',');
        csv_coord(fp, fe->xy[1]);
        ob_s(fp, ",\n");
        return;
    }
    ob_s(fp, ",,\"");
    ob_s(fp, fe->n_parts > 1 ? "MULTILINESTRING (" : "LINESTRING ");
    for (size_t p = 0; p < fe->n_parts; p++) {
        size_t a = fe->parts[p];
        size_t b = p + 1 < fe->n_parts ? fe->parts[p + 1] : fe->n_pts;
        ob_s(fp, p ? ",(" : "(");
        for (size_t k = a; k < b; k++) {
            if (k > a)
                ob_c(fp, ',');
            csv_coord(fp, fe->xy[2 * k]);
            ob_c(fp, ' ');
            csv_coord(fp, fe->xy[2 * k + 1]);
        }
        ob_c(fp, ')');
    }
    if (fe->n_parts > 1)
        ob_c(fp, ')');
    ob_s(fp, "\"\n");
}

/* Why FE cannot be written (no geometry, a part out of its points, a
 * coordinate that is not a finite number: no format has a way to say
 * NaN), or NULL. The store skips such rows already; this guards what
 * others hand in. */
static const char *
unwritable(const atlas_feature *fe)
{
    if (fe->n_pts == 0 || fe->xy == NULL)
        return "no geometry";
    if (fe->layer == ATLAS_LAYER_LINES) {
        if (fe->n_parts == 0 || fe->parts == NULL)
            return "no geometry";
        for (size_t p = 0; p < fe->n_parts; p++)
            if (fe->parts[p] >= fe->n_pts ||
                (p > 0 && fe->parts[p] < fe->parts[p - 1]))
                return "a line part outside its points";
    }
    for (size_t i = 0; i < 2 * fe->n_pts; i++)
        if (!isfinite(fe->xy[i]))
            return "a coordinate is not a finite number";
    return NULL;
}

/* 1, with a warning on stderr naming FE, when FE is skipped. */
static int
skip_unwritable(const atlas_feature *fe)
{
    const char *why = unwritable(fe);
    if (why == NULL)
        return 0;
    char id[81];
    const char *s = fe->f[ATLAS_F_ID].is_set ? fe->f[ATLAS_F_ID].s : NULL;
    size_t n = 0;
    for (; s != NULL && s[n] != '\0' && n < sizeof id - 1; n++)
        id[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
    id[n] = '\0';
    fprintf(stderr, "atlas: warning: export: feature %s: %s; skipped\n",
            s == NULL ? "without an id" : id, why);
    return 1;
}

/* ---- streams ------------------------------------------------------------ */

struct atlas_export_stream {
    atlas_export_opts o;
    atlas_outfile of;
    obuf ob;    /* writes to of.fp */
    char *path; /* opened at the first feature or at the end, so that a
                 * query failing before any row writes nothing */
    int is_open;
    size_t n; /* features written */
};

atlas_export_stream *
atlas_export_open(const atlas_export_opts *o, const char *path,
                  atlas_error *err)
{
    atlas_export_stream *xs = calloc(1, sizeof *xs);

    if (xs == NULL || (xs->path = strdup(path)) == NULL ||
        (xs->ob.b = malloc(1 << 16)) == NULL) {
        if (xs != NULL)
            free(xs->path);
        free(xs);
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        return NULL;
    }
    xs->ob.cap = 1 << 16;
    xs->o = *o;
    return xs;
}

static atlas_status
stream_start(atlas_export_stream *xs, atlas_error *err)
{
    if (xs->is_open)
        return ATLAS_OK;
    if (atlas_outfile_open(&xs->of, xs->path, err))
        return err->code;
    xs->is_open = 1;
    xs->ob.fp = xs->of.fp;
    if (xs->o.format == ATLAS_EXPORT_CSV)
        csv_header(&xs->ob, &xs->o);
    else if (xs->o.format == ATLAS_EXPORT_GEOJSON)
        ob_s(&xs->ob, "{\"type\":\"FeatureCollection\",\"features\":[");
    return ATLAS_OK;
}

atlas_status
atlas_export_put(atlas_export_stream *xs, const atlas_feature *fe,
                 atlas_error *err)
{
    if (skip_unwritable(fe))
        return ATLAS_OK;
    if (stream_start(xs, err))
        return err->code;
    obuf *ob = &xs->ob;
    switch (xs->o.format) {
    case ATLAS_EXPORT_CSV:
        csv_row(ob, fe, &xs->o);
        break;
    case ATLAS_EXPORT_GEOJSONSEQ:
        ob_c(ob, 0x1e); /* RFC 8142 record separator */
        put_feature(ob, fe, &xs->o);
        ob_c(ob, '\n');
        break;
    default:
        ob_s(ob, xs->n ? ",\n" : "\n");
        put_feature(ob, fe, &xs->o);
    }
    xs->n++;
    return ATLAS_OK;
}

atlas_status
atlas_export_close(atlas_export_stream *xs, atlas_error *err)
{
    if (xs == NULL)
        return err->code;
    if (err->code != ATLAS_OK) {
        if (xs->is_open)
            atlas_outfile_abort(&xs->of);
    } else if (stream_start(xs, err) == ATLAS_OK) {
        if (xs->o.format == ATLAS_EXPORT_GEOJSON)
            ob_s(&xs->ob, "\n]}\n");
        ob_flush(&xs->ob);
        atlas_outfile_commit(&xs->of, err);
    }
    free(xs->ob.b);
    free(xs->path);
    free(xs);
    return err->code;
}

/* ---- the reference layers ------------------------------------------------ */

static void
put_text_prop(obuf *ob, const char *name, const char *v, int *first)
{
    ob_s(ob, *first ? "\"" : ",\"");
    *first = 0;
    ob_s(ob, name);
    ob_s(ob, "\":");
    if (v == NULL)
        ob_s(ob, "null");
    else
        json_string(ob, v);
}

static void
put_int_prop(obuf *ob, const char *name, long long v, int is_set, int *first)
{
    ob_s(ob, *first ? "\"" : ",\"");
    *first = 0;
    ob_s(ob, name);
    ob_s(ob, "\":");
    if (is_set)
        put_int(ob, v);
    else
        ob_s(ob, "null");
}

static void
put_xy(obuf *ob, const double *xy)
{
    ob_c(ob, '[');
    put_coord(ob, xy[0]);
    ob_c(ob, ',');
    put_coord(ob, xy[1]);
    ob_c(ob, ']');
}

static void
put_border(obuf *ob, const atlas_border *b, const char *lang)
{
    int first = 1;
    ob_s(ob, "{\"type\":\"Feature\",\"id\":");
    json_string(ob, b->t[ATLAS_B_ID] ? b->t[ATLAS_B_ID] : "");
    ob_s(ob, ",\"properties\":{");
    for (int f = 0; f < ATLAS_B_N_TEXT; f++)
        put_text_prop(ob, atlas_border_field_name(f), b->t[f], &first);
    put_text_prop(ob, "name", atlas_border_name(b, lang), &first);
    put_int_prop(ob, "year_start", b->year_start, 1, &first);
    put_int_prop(ob, "year_end", b->year_end, 1, &first);
    ob_s(ob, b->restored ? ",\"restored\":true" : ",\"restored\":false");
    if (b->has_label) {
        double l[2] = {b->label_lon, b->label_lat};
        ob_s(ob, ",\"label_lon\":");
        put_coord(ob, l[0]);
        ob_s(ob, ",\"label_lat\":");
        put_coord(ob, l[1]);
    } else {
        ob_s(ob, ",\"label_lon\":null,\"label_lat\":null");
    }
    ob_s(ob, "},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (size_t p = 0; p < b->n_polys; p++) {
        ob_s(ob, p ? ",[" : "[");
        for (size_t r = b->polys[p]; r < b->polys[p + 1]; r++) {
            ob_s(ob, r > b->polys[p] ? ",[" : "[");
            for (size_t k = b->parts[r]; k < b->parts[r + 1]; k++) {
                if (k > b->parts[r])
                    ob_c(ob, ',');
                put_xy(ob, &b->xy[2 * k]);
            }
            ob_c(ob, ']');
        }
        ob_c(ob, ']');
    }
    ob_s(ob, "]}}");
}

static void
put_place(obuf *ob, const atlas_place *pl, const atlas_place_name *names,
          size_t n_names)
{
    int first = 1;
    double xy[2] = {pl->lon, pl->lat};
    ob_s(ob, "{\"type\":\"Feature\",\"id\":");
    json_string(ob, pl->id);
    ob_s(ob, ",\"properties\":{");
    put_text_prop(ob, "id", pl->id, &first);
    put_text_prop(ob, "kind", pl->kind, &first);
    put_int_prop(ob, "rank", pl->rank, 1, &first);
    put_text_prop(ob, "name", pl->name, &first);
    put_text_prop(ob, "region", pl->region, &first);
    put_int_prop(ob, "year_start", pl->year_start, pl->year_start != 0,
                 &first);
    put_int_prop(ob, "year_end", pl->year_end, pl->year_end != 0, &first);
    put_text_prop(ob, "sources", pl->sources, &first);
    put_text_prop(ob, "notes", pl->notes, &first);
    ob_s(ob, ",\"names\":[");
    for (size_t i = 0; i < n_names; i++) {
        int f2 = 1;
        ob_s(ob, i ? ",{" : "{");
        put_text_prop(ob, "lang", names[i].lang, &f2);
        put_text_prop(ob, "name", names[i].name, &f2);
        put_int_prop(ob, "year_start", names[i].year_start,
                     names[i].year_start != 0, &f2);
        put_int_prop(ob, "year_end", names[i].year_end, names[i].year_end != 0,
                     &f2);
        put_text_prop(ob, "source", names[i].source, &f2);
        ob_c(ob, '}');
    }
    ob_s(ob, "]},\"geometry\":{\"type\":\"Point\",\"coordinates\":");
    put_xy(ob, xy);
    ob_s(ob, "}}");
}

atlas_status
atlas_export_period(const atlas_period *p, const char *layer,
                    const char *lang, const atlas_place_name *const *names,
                    const size_t *n_names, atlas_export_format format,
                    const char *path, atlas_error *err)
{
    atlas_outfile of;
    obuf ob = {0};
    int places = strcmp(layer, "places") == 0;
    size_t n = places ? p->n_places : p->n_borders;

    if (format != ATLAS_EXPORT_GEOJSON && format != ATLAS_EXPORT_GEOJSONSEQ)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--layer %s: only --format geojson or "
                               "geojsonseq",
                               layer);
    if ((ob.b = malloc(1 << 16)) == NULL)
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    ob.cap = 1 << 16;
    if (atlas_outfile_open(&of, path, err)) {
        free(ob.b);
        return err->code;
    }
    ob.fp = of.fp;
    if (format == ATLAS_EXPORT_GEOJSON)
        ob_s(&ob, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; i < n; i++) {
        if (format == ATLAS_EXPORT_GEOJSONSEQ)
            ob_c(&ob, 0x1e);
        else
            ob_s(&ob, i ? ",\n" : "\n");
        if (places)
            put_place(&ob, &p->places[i], names ? names[i] : NULL,
                      n_names ? n_names[i] : 0);
        else
            put_border(&ob, &p->borders[i], lang);
        if (format == ATLAS_EXPORT_GEOJSONSEQ)
            ob_c(&ob, '\n');
    }
    if (format == ATLAS_EXPORT_GEOJSON)
        ob_s(&ob, "\n]}\n");
    ob_flush(&ob);
    free(ob.b);
    return atlas_outfile_commit(&of, err);
}

/* ---- Shapefile ---------------------------------------------------------- */

/* DBF text holds 254 bytes: cut at a UTF-8 character boundary. */
static void
dbf_text(char *buf, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
}

static atlas_status
write_prj_cpg(const char *base, atlas_error *err)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL;
    char path[4096];
    atlas_outfile of;

    OSRImportFromEPSG(srs, 4326);
    OSRMorphToESRI(srs);
    OSRExportToWkt(srs, &wkt);
    OSRDestroySpatialReference(srs);
    snprintf(path, sizeof path, "%s.prj", base);
    if (atlas_outfile_open(&of, path, err) == ATLAS_OK) {
        fputs(wkt ? wkt : "", of.fp);
        atlas_outfile_commit(&of, err);
    }
    CPLFree(wkt);
    if (err->code)
        return err->code;
    snprintf(path, sizeof path, "%s.cpg", base);
    if (atlas_outfile_open(&of, path, err) == ATLAS_OK) {
        fputs("UTF-8\n", of.fp);
        atlas_outfile_commit(&of, err);
    }
    return err->code;
}

/* Writes the features of LAYER to BASE.shp/.shx/.dbf (+ .prj, .cpg),
 * each through a temporary name. */
static atlas_status
write_shp_layer(const atlas_feature_list *fl, atlas_layer layer,
                const atlas_export_opts *o, const char *base, atlas_error *err)
{
    static const char *const exts[] = {".shp", ".shx", ".dbf"};
    char tmpbase[4096], from[4200], to[4200];
    SHPHandle shp = NULL;
    DBFHandle dbf = NULL;
    int width[ATLAS_N_FIELDS];
    int fidx[ATLAS_N_FIELDS + 1];
    char buf[256];

    /* libshp takes everything after the last dot for an extension */
    snprintf(tmpbase, sizeof tmpbase, "%s-tmp%ld", base, (long)getpid());
    shp =
        SHPCreate(tmpbase, layer == ATLAS_LAYER_SITES ? SHPT_POINT : SHPT_ARC);
    snprintf(from, sizeof from, "%s.dbf", tmpbase);
    dbf = DBFCreateEx(from, "UTF-8");
    if (shp == NULL || dbf == NULL) {
        atlas_error_set(err, ATLAS_E_IO, "%s.shp: cannot write: %s", base,
                        strerror(errno));
        goto cleanup;
    }
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        width[f] = 1;
        for (size_t i = 0; i < fl->n; i++) {
            const atlas_feature *fe = &fl->items[i];
            if (fe->layer == layer && fe->f[f].is_set && fe->f[f].s) {
                int w = (int)strlen(fe->f[f].s);
                width[f] = w > width[f] ? w : width[f];
            }
        }
        if (width[f] > 254)
            width[f] = 254;
        if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
            fidx[f] =
                DBFAddField(dbf, atlas_field_shp_name(f), FTInteger, 11, 0);
        else
            fidx[f] = DBFAddField(dbf, atlas_field_shp_name(f), FTString,
                                  width[f], 0);
    }
    fidx[ATLAS_N_FIELDS] = o->with_prisoners
                               ? DBFAddField(dbf, "prisoners", FTInteger, 11, 0)
                               : -1;
    int rec = 0;
    for (size_t i = 0; i < fl->n && err->code == ATLAS_OK; i++) {
        const atlas_feature *fe = &fl->items[i];
        SHPObject *obj;
        if (fe->layer != layer || skip_unwritable(fe))
            continue;
        double *x = calloc(fe->n_pts, sizeof *x);
        double *y = calloc(fe->n_pts, sizeof *y);
        int *starts = calloc(fe->n_parts, sizeof *starts);
        if (x == NULL || y == NULL || starts == NULL) {
            free(x);
            free(y);
            free(starts);
            atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < fe->n_pts; k++) {
            x[k] = fe->xy[2 * k];
            y[k] = fe->xy[2 * k + 1];
        }
        for (size_t p = 0; p < fe->n_parts; p++)
            starts[p] = (int)fe->parts[p];
        obj = SHPCreateObject(
            layer == ATLAS_LAYER_SITES ? SHPT_POINT : SHPT_ARC, -1,
            layer == ATLAS_LAYER_SITES ? 0 : (int)fe->n_parts,
            layer == ATLAS_LAYER_SITES ? NULL : starts, NULL, (int)fe->n_pts, x,
            y, NULL, NULL);
        if (obj == NULL || SHPWriteObject(shp, -1, obj) < 0)
            atlas_error_set(err, ATLAS_E_IO, "%s.shp: cannot write shape",
                            base);
        SHPDestroyObject(obj);
        free(x);
        free(y);
        free(starts);
        for (int f = 0; f < ATLAS_N_FIELDS && err->code == ATLAS_OK; f++) {
            int ok;
            if (!fe->f[f].is_set) {
                ok = DBFWriteNULLAttribute(dbf, rec, fidx[f]);
            } else if (atlas_field_type_of(f) == ATLAS_TYPE_INT) {
                ok = DBFWriteIntegerAttribute(dbf, rec, fidx[f],
                                              (int)fe->f[f].i);
            } else {
                dbf_text(buf, sizeof buf - 1, fe->f[f].s);
                ok = DBFWriteStringAttribute(dbf, rec, fidx[f], buf);
            }
            if (!ok)
                atlas_error_set(err, ATLAS_E_IO, "%s.dbf: cannot write", base);
        }
        if (fidx[ATLAS_N_FIELDS] >= 0 && err->code == ATLAS_OK) {
            if (fe->has_prisoners)
                DBFWriteIntegerAttribute(dbf, rec, fidx[ATLAS_N_FIELDS],
                                         (int)fe->prisoners);
            else
                DBFWriteNULLAttribute(dbf, rec, fidx[ATLAS_N_FIELDS]);
        }
        rec++;
    }
    SHPClose(shp);
    DBFClose(dbf);
    shp = NULL;
    dbf = NULL;
    if (err->code == ATLAS_OK)
        write_prj_cpg(base, err);
    for (int e = 0; e < 3; e++) {
        snprintf(from, sizeof from, "%s%s", tmpbase, exts[e]);
        snprintf(to, sizeof to, "%s%s", base, exts[e]);
        if (err->code == ATLAS_OK)
            atlas_outfile_rename(from, to, err);
        else
            unlink(from);
    }

cleanup:
    if (shp != NULL)
        SHPClose(shp);
    if (dbf != NULL)
        DBFClose(dbf);
    /* DBFCreateEx() wrote a .cpg beside the temporary name; ours is
     * write_prj_cpg()'s */
    snprintf(from, sizeof from, "%s.cpg", tmpbase);
    unlink(from);
    if (err->code != ATLAS_OK)
        for (int e = 0; e < 3; e++) {
            snprintf(from, sizeof from, "%s%s", tmpbase, exts[e]);
            unlink(from);
        }
    return err->code;
}

static atlas_status
write_shp(const atlas_feature_list *fl, const atlas_export_opts *o,
          const char *dir, atlas_error *err)
{
    struct stat sb;
    char base[4096];

    if (strcmp(dir, "-") == 0)
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--format shp writes to a folder: give -o DIR");
    if (stat(dir, &sb) != 0) {
        if (mkdir(dir, 0755) != 0)
            return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", dir,
                                   strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "%s: --format shp writes to a folder, and this "
                               "is a file",
                               dir);
    }
    int has[2] = {0, 0};
    for (size_t i = 0; i < fl->n; i++)
        has[fl->items[i].layer] = 1;
    if (has[ATLAS_LAYER_SITES] || !has[ATLAS_LAYER_LINES]) {
        snprintf(base, sizeof base, "%s/sites", dir);
        if (write_shp_layer(fl, ATLAS_LAYER_SITES, o, base, err))
            return err->code;
    }
    if (has[ATLAS_LAYER_LINES]) {
        snprintf(base, sizeof base, "%s/lines", dir);
        write_shp_layer(fl, ATLAS_LAYER_LINES, o, base, err);
    }
    return err->code;
}

atlas_status
atlas_export_write(const atlas_feature_list *fl, const atlas_export_opts *o,
                   const char *path, atlas_error *err)
{
    atlas_export_stream *xs;

    if (o->format == ATLAS_EXPORT_SHP)
        return write_shp(fl, o, path, err);
    if ((xs = atlas_export_open(o, path, err)) == NULL)
        return err->code;
    for (size_t i = 0; i < fl->n && err->code == ATLAS_OK; i++)
        atlas_export_put(xs, &fl->items[i], err);
    return atlas_export_close(xs, err);
}
