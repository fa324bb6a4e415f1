/* page.c: paper, text, PDF surfaces and translated styles for the page
 * makers (handout.c, series.c). Draws no map: that is render's. */
#include "page.h"

#include <cairo-pdf.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MM (96 / 25.4)

atlas_status
atlas_page_paper(const char *paper, int landscape, double *w, double *h,
                 atlas_error *err)
{
    double pw, ph;

    if (paper == NULL || strcasecmp(paper, "a4") == 0) {
        pw = 210 * MM;
        ph = 297 * MM;
    } else if (strcasecmp(paper, "letter") == 0) {
        pw = 8.5 * 96;
        ph = 11 * 96;
    } else {
        return atlas_error_set(err, ATLAS_E_INPUT,
                               "--paper: \"%.40s\": expected a4 or letter",
                               paper);
    }
    *w = landscape ? ph : pw;
    *h = landscape ? pw : ph;
    return ATLAS_OK;
}

double
atlas_page_text(cairo_t *cr, PangoLayout *pl, const char *text, double x,
                double y, double w, double size, int flags, int draw)
{
    PangoFontDescription *fd = pango_font_description_new();
    int pw, ph;

    pango_font_description_set_family(fd, ATLAS_PAGE_FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (flags & ATLAS_TEXT_BOLD)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (flags & ATLAS_TEXT_ITALIC)
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_attributes(pl, NULL);
    /* set_text: data text is never pango markup ("<" stays "<") */
    pango_layout_set_text(pl, text, -1);
    pango_layout_set_width(pl, w > 0 ? (int)(w * PANGO_SCALE) : -1);
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(pl, (flags & ATLAS_TEXT_RIGHT)
                                       ? PANGO_ALIGN_RIGHT
                                   : (flags & ATLAS_TEXT_CENTER)
                                       ? PANGO_ALIGN_CENTER
                                       : PANGO_ALIGN_LEFT);
    pango_layout_get_size(pl, &pw, &ph);
    if (draw) {
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, pl);
    }
    return (double)ph / PANGO_SCALE;
}

void
atlas_page_pdf_date(char *buf, size_t size)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = 946684800; /* 2000-01-01: no clock in the file */
    struct tm tm;

    if (sde != NULL && *sde != '\0') {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0)
            t = (time_t)v;
    }
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

cairo_status_t
atlas_page_write(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *fp = closure;
    return fwrite(data, 1, len, fp) == len ? CAIRO_STATUS_SUCCESS
                                           : CAIRO_STATUS_WRITE_ERROR;
}

cairo_surface_t *
atlas_page_pdf_create(FILE *fp, double w, double h, const char *title)
{
    char date[32];
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        atlas_page_write, fp, w * 0.75, h * 0.75);

    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        return s;
    atlas_page_pdf_date(date, sizeof date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                   "atlas " ATLAS_VERSION);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    return s;
}

atlas_status
atlas_page_finish(cairo_surface_t *surf, const char *path, atlas_error *err)
{
    cairo_surface_finish(surf);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return atlas_error_set(
            err, ATLAS_E_IO, "%s: cannot write: %s", path,
            cairo_status_to_string(cairo_surface_status(surf)));
    return ATLAS_OK;
}

const char *
atlas_page_style_path(const char *rel)
{
#ifdef ATLAS_SOURCE_DIR
    static char buf[4096];
    if (access(rel, R_OK) != 0) {
        snprintf(buf, sizeof buf, "%s/%s", ATLAS_SOURCE_DIR, rel);
        if (access(buf, R_OK) == 0)
            return buf;
    }
#endif
    return rel;
}

/* Replaces metadata string KEY of layer object LAYER by its translation. */
static void
translate_meta(json_object *layer, const char *key, const atlas_i18n *tr)
{
    json_object *meta, *v;

    if (!json_object_object_get_ex(layer, "metadata", &meta) ||
        !json_object_is_type(meta, json_type_object) ||
        !json_object_object_get_ex(meta, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return;
    const char *en = json_object_get_string(v);
    const char *t = atlas_i18n_translate(tr, "legend.", en);
    if (t != en)
        json_object_object_add(meta, key, json_object_new_string(t));
}

atlas_style *
atlas_page_style_load(const char *path, const atlas_i18n *tr,
                      atlas_error *err)
{
    json_object *root, *layers;
    atlas_style *st;
    const char *text;

    if (strcmp(atlas_i18n_lang(tr), "en") == 0)
        return atlas_style_load(path, err);
    /* The style module reports JSON errors with their place: let it see
     * the file first, then translate a copy known to be good. */
    st = atlas_style_load(path, err);
    if (st == NULL)
        return NULL;
    root = json_object_from_file(path);
    if (root == NULL)
        return st; /* read once already: keep the English legend */
    if (json_object_object_get_ex(root, "layers", &layers) &&
        json_object_is_type(layers, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(layers); i++) {
            json_object *l = json_object_array_get_idx(layers, i);
            translate_meta(l, "atlas:legend", tr);
            translate_meta(l, "atlas:legend-note", tr);
        }
        text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
        atlas_error local;
        atlas_error_init(&local);
        atlas_style *tst = atlas_style_parse(text, strlen(text), path, &local);
        if (tst != NULL) {
            atlas_style_free(st);
            st = tst;
        }
    }
    json_object_put(root);
    return st;
}
