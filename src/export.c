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

void
atlas_export_json_string(FILE *fp, const char *s)
{
    putc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", fp);
            break;
        case '\\':
            fputs("\\\\", fp);
            break;
        case '\n':
            fputs("\\n", fp);
            break;
        case '\r':
            fputs("\\r", fp);
            break;
        case '\t':
            fputs("\\t", fp);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(fp, "\\u%04x", *p);
            else
                putc(*p, fp);
        }
    }
    putc('"', fp);
}

/* Prints a coordinate without trailing zeros ("64.5", not "64.500000"). */
static void
put_coord(FILE *fp, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, COORD_FMT, v);
    char *end = buf + strlen(buf) - 1;
    while (end > buf && *end == '0')
        *end-- = '\0';
    if (*end == '.')
        *end = '\0';
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    fputs(buf, fp);
}

static void
put_position(FILE *fp, const atlas_feature *fe, size_t i)
{
    putc('[', fp);
    put_coord(fp, fe->xy[2 * i]);
    putc(',', fp);
    put_coord(fp, fe->xy[2 * i + 1]);
    putc(']', fp);
}

static void
put_geometry(FILE *fp, const atlas_feature *fe)
{
    if (fe->layer == ATLAS_LAYER_SITES) {
        fputs("{\"type\":\"Point\",\"coordinates\":", fp);
        put_position(fp, fe, 0);
        putc('}', fp);
        return;
    }
    int multi = fe->n_parts > 1;
    fprintf(fp, "{\"type\":\"%s\",\"coordinates\":",
            multi ? "MultiLineString" : "LineString");
    if (multi)
        putc('[', fp);
    for (size_t p = 0; p < fe->n_parts; p++) {
        size_t a = fe->parts[p];
        size_t b = p + 1 < fe->n_parts ? fe->parts[p + 1] : fe->n_pts;
        if (p > 0)
            putc(',', fp);
        putc('[', fp);
        for (size_t i = a; i < b; i++) {
            if (i > a)
                putc(',', fp);
            put_position(fp, fe, i);
        }
        putc(']', fp);
    }
    if (multi)
        putc(']', fp);
    putc('}', fp);
}

static void
put_feature(FILE *fp, const atlas_feature *fe, const atlas_export_opts *o)
{
    fputs("{\"type\":\"Feature\",\"id\":", fp);
    atlas_export_json_string(fp, fe->f[ATLAS_F_ID].s ? fe->f[ATLAS_F_ID].s
                                                     : "");
    fputs(",\"properties\":{\"layer\":", fp);
    fputs(fe->layer == ATLAS_LAYER_SITES ? "\"sites\"" : "\"lines\"", fp);
    for (int f = 0; f < ATLAS_N_FIELDS; f++) {
        fprintf(fp, ",\"%s\":", atlas_field_name(f));
        if (!fe->f[f].is_set)
            fputs("null", fp);
        else if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
            fprintf(fp, "%lld", fe->f[f].i);
        else
            atlas_export_json_string(fp, fe->f[f].s);
    }
    if (o->with_prisoners) {
        if (fe->has_prisoners)
            fprintf(fp, ",\"prisoners\":%lld", fe->prisoners);
        else
            fputs(",\"prisoners\":null", fp);
    }
    fputs("},\"geometry\":", fp);
    put_geometry(fp, fe);
    putc('}', fp);
}

static void
write_geojson(FILE *fp, const atlas_feature_list *fl,
              const atlas_export_opts *o)
{
    if (o->format == ATLAS_EXPORT_GEOJSONSEQ) {
        for (size_t i = 0; i < fl->n; i++) {
            putc(0x1e, fp); /* RFC 8142 record separator */
            put_feature(fp, &fl->items[i], o);
            putc('\n', fp);
        }
        return;
    }
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", fp);
    for (size_t i = 0; i < fl->n; i++) {
        fputs(i ? ",\n" : "\n", fp);
        put_feature(fp, &fl->items[i], o);
    }
    fputs("\n]}\n", fp);
}

/* ---- CSV ---------------------------------------------------------------- */

static void
csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    putc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', fp);
        putc(*s, fp);
    }
    putc('"', fp);
}

static void
csv_coord(FILE *fp, double v)
{
    put_coord(fp, v);
}

static void
write_csv(FILE *fp, const atlas_feature_list *fl, const atlas_export_opts *o)
{
    for (int f = 0; f < ATLAS_N_FIELDS; f++)
        fprintf(fp, "%s,", atlas_field_name(f));
    if (o->with_prisoners)
        fputs("prisoners,", fp);
    fputs("lon,lat,wkt\n", fp);
    for (size_t i = 0; i < fl->n; i++) {
        const atlas_feature *fe = &fl->items[i];
        for (int f = 0; f < ATLAS_N_FIELDS; f++) {
            if (fe->f[f].is_set) {
                if (atlas_field_type_of(f) == ATLAS_TYPE_INT)
                    fprintf(fp, "%lld", fe->f[f].i);
                else
                    csv_field(fp, fe->f[f].s);
            }
            putc(',', fp);
        }
        if (o->with_prisoners) {
            if (fe->has_prisoners)
                fprintf(fp, "%lld", fe->prisoners);
            putc(',', fp);
        }
        if (fe->layer == ATLAS_LAYER_SITES) {
            csv_coord(fp, fe->xy[0]);
            putc(',', fp);
            csv_coord(fp, fe->xy[1]);
            fputs(",\n", fp);
            continue;
        }
        fputs(",,\"", fp);
        fputs(fe->n_parts > 1 ? "MULTILINESTRING (" : "LINESTRING ", fp);
        for (size_t p = 0; p < fe->n_parts; p++) {
            size_t a = fe->parts[p];
            size_t b = p + 1 < fe->n_parts ? fe->parts[p + 1] : fe->n_pts;
            fputs(p ? ",(" : "(", fp);
            for (size_t k = a; k < b; k++) {
                if (k > a)
                    putc(',', fp);
                csv_coord(fp, fe->xy[2 * k]);
                putc(' ', fp);
                csv_coord(fp, fe->xy[2 * k + 1]);
            }
            putc(')', fp);
        }
        if (fe->n_parts > 1)
            putc(')', fp);
        fputs("\"\n", fp);
    }
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
                const atlas_export_opts *o, const char *base,
                atlas_error *err)
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
    shp = SHPCreate(tmpbase, layer == ATLAS_LAYER_SITES ? SHPT_POINT
                                                        : SHPT_ARC);
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
            fidx[f] = DBFAddField(dbf, atlas_field_shp_name(f), FTInteger,
                                  11, 0);
        else
            fidx[f] = DBFAddField(dbf, atlas_field_shp_name(f), FTString,
                                  width[f], 0);
    }
    fidx[ATLAS_N_FIELDS] =
        o->with_prisoners ? DBFAddField(dbf, "prisoners", FTInteger, 11, 0)
                          : -1;
    int rec = 0;
    for (size_t i = 0; i < fl->n && err->code == ATLAS_OK; i++) {
        const atlas_feature *fe = &fl->items[i];
        SHPObject *obj;
        if (fe->layer != layer)
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
            layer == ATLAS_LAYER_SITES ? NULL : starts, NULL,
            (int)fe->n_pts, x, y, NULL, NULL);
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
                atlas_error_set(err, ATLAS_E_IO, "%s.dbf: cannot write",
                                base);
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
            return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s",
                                   dir, strerror(errno));
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
    atlas_outfile of;

    if (o->format == ATLAS_EXPORT_SHP)
        return write_shp(fl, o, path, err);
    if (atlas_outfile_open(&of, path, err))
        return err->code;
    if (o->format == ATLAS_EXPORT_CSV)
        write_csv(of.fp, fl, o);
    else
        write_geojson(of.fp, fl, o);
    return atlas_outfile_commit(&of, err);
}
