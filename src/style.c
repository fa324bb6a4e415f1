/* style.c: style files (a documented subset of the MapLibre Style
 * Specification, docs/styles.md) into typed layers: the root, sources,
 * layers, the table of properties with their types and defaults, and the
 * accessors the renderer reads while drawing. Expressions themselves are
 * compiled and evaluated in style_expr.c; nothing here draws. */
#include "style.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "strmap.h"
#include "style_private.h"

#define STYLE_MAX_BYTES (4 * 1024 * 1024)
#define STYLE_MAX_DEPTH 64

/* ---- properties ------------------------------------------------------------
 */

typedef enum ptype {
    PT_NUMBER,
    PT_COLOR,
    PT_ENUM, /* one of a few strings */
    PT_BOOL,
    PT_NUMBERS, /* array of numbers */
    PT_STRINGS, /* array of strings */
    PT_TEXT     /* any value shown as text (text-field) */
} ptype;

static const char *const cap_values[] = {"butt", "round", "square", NULL};
static const char *const join_values[] = {"bevel", "round", "miter", NULL};
static const char *const anchor_values[] = {
    "center",   "left",      "right",       "top",          "bottom",
    "top-left", "top-right", "bottom-left", "bottom-right", NULL};
static const char *const visibility_values[] = {"visible", "none", NULL};
static const char *const pattern_values[] = {"hatch", NULL};

#define ANY_LAYER (-1)

static const struct prop_spec {
    const char *name;
    int layer;  /* atlas_layer_type, or ANY_LAYER */
    int layout; /* 1: "layout", 0: "paint" */
    ptype type;
    int data_driven; /* may read feature properties */
    double min, max; /* constants outside are errors, results clamped */
    const char *const *enums;
    double def_num;      /* default of numbers and booleans */
    const char *def_str; /* default of colours and strings */
    size_t array_len;    /* arrays of exactly this many items; 0: any */
} props[ATLAS_N_PROPS] = {
#define P(id, name, layer, layout, type, dd, min, max, enums, dn, ds, alen)    \
    [id] = {name, layer, layout, type, dd, min, max, enums, dn, ds, alen}
    P(ATLAS_P_BACKGROUND_COLOR, "background-color", ATLAS_STYLE_BACKGROUND, 0,
      PT_COLOR, 0, -HUGE_VAL, HUGE_VAL, NULL, 0, "#000000", 0),
    P(ATLAS_P_BACKGROUND_OPACITY, "background-opacity", ATLAS_STYLE_BACKGROUND,
      0, PT_NUMBER, 0, 0, 1, NULL, 1, NULL, 0),
    P(ATLAS_P_FILL_COLOR, "fill-color", ATLAS_STYLE_FILL, 0, PT_COLOR, 1,
      -HUGE_VAL, HUGE_VAL, NULL, 0, "#000000", 0),
    P(ATLAS_P_FILL_OPACITY, "fill-opacity", ATLAS_STYLE_FILL, 0, PT_NUMBER, 1,
      0, 1, NULL, 1, NULL, 0),
    /* default: the fill colour (see atlas_style_color) */
    P(ATLAS_P_FILL_OUTLINE_COLOR, "fill-outline-color", ATLAS_STYLE_FILL, 0,
      PT_COLOR, 1, -HUGE_VAL, HUGE_VAL, NULL, 0, "#000000", 0),
    P(ATLAS_P_FILL_PATTERN, "fill-pattern", ATLAS_STYLE_FILL, 0, PT_ENUM, 0,
      -HUGE_VAL, HUGE_VAL, pattern_values, 0, "hatch", 0),
    P(ATLAS_P_LINE_COLOR, "line-color", ATLAS_STYLE_LINE, 0, PT_COLOR, 1,
      -HUGE_VAL, HUGE_VAL, NULL, 0, "#000000", 0),
    P(ATLAS_P_LINE_WIDTH, "line-width", ATLAS_STYLE_LINE, 0, PT_NUMBER, 1, 0,
      HUGE_VAL, NULL, 1, NULL, 0),
    P(ATLAS_P_LINE_OPACITY, "line-opacity", ATLAS_STYLE_LINE, 0, PT_NUMBER, 1,
      0, 1, NULL, 1, NULL, 0),
    P(ATLAS_P_LINE_DASHARRAY, "line-dasharray", ATLAS_STYLE_LINE, 0, PT_NUMBERS,
      1, 0, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_LINE_GAP_WIDTH, "line-gap-width", ATLAS_STYLE_LINE, 0, PT_NUMBER,
      1, 0, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_LINE_CAP, "line-cap", ATLAS_STYLE_LINE, 1, PT_ENUM, 1, -HUGE_VAL,
      HUGE_VAL, cap_values, 0, "butt", 0),
    P(ATLAS_P_LINE_JOIN, "line-join", ATLAS_STYLE_LINE, 1, PT_ENUM, 1,
      -HUGE_VAL, HUGE_VAL, join_values, 0, "miter", 0),
    P(ATLAS_P_CIRCLE_COLOR, "circle-color", ATLAS_STYLE_CIRCLE, 0, PT_COLOR, 1,
      -HUGE_VAL, HUGE_VAL, NULL, 0, "#000000", 0),
    P(ATLAS_P_CIRCLE_RADIUS, "circle-radius", ATLAS_STYLE_CIRCLE, 0, PT_NUMBER,
      1, 0, HUGE_VAL, NULL, 5, NULL, 0),
    P(ATLAS_P_CIRCLE_OPACITY, "circle-opacity", ATLAS_STYLE_CIRCLE, 0,
      PT_NUMBER, 1, 0, 1, NULL, 1, NULL, 0),
    P(ATLAS_P_CIRCLE_STROKE_COLOR, "circle-stroke-color", ATLAS_STYLE_CIRCLE, 0,
      PT_COLOR, 1, -HUGE_VAL, HUGE_VAL, NULL, 0, "#000000", 0),
    P(ATLAS_P_CIRCLE_STROKE_WIDTH, "circle-stroke-width", ATLAS_STYLE_CIRCLE, 0,
      PT_NUMBER, 1, 0, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_CIRCLE_STROKE_OPACITY, "circle-stroke-opacity",
      ATLAS_STYLE_CIRCLE, 0, PT_NUMBER, 1, 0, 1, NULL, 1, NULL, 0),
    P(ATLAS_P_TEXT_FIELD, "text-field", ATLAS_STYLE_SYMBOL, 1, PT_TEXT, 1,
      -HUGE_VAL, HUGE_VAL, NULL, 0, "", 0),
    P(ATLAS_P_TEXT_FONT, "text-font", ATLAS_STYLE_SYMBOL, 1, PT_STRINGS, 1,
      -HUGE_VAL, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_TEXT_SIZE, "text-size", ATLAS_STYLE_SYMBOL, 1, PT_NUMBER, 1, 0,
      HUGE_VAL, NULL, 16, NULL, 0),
    P(ATLAS_P_TEXT_ANCHOR, "text-anchor", ATLAS_STYLE_SYMBOL, 1, PT_ENUM, 1,
      -HUGE_VAL, HUGE_VAL, anchor_values, 0, "center", 0),
    P(ATLAS_P_TEXT_OFFSET, "text-offset", ATLAS_STYLE_SYMBOL, 1, PT_NUMBERS, 1,
      -HUGE_VAL, HUGE_VAL, NULL, 0, NULL, 2),
    P(ATLAS_P_TEXT_MAX_WIDTH, "text-max-width", ATLAS_STYLE_SYMBOL, 1,
      PT_NUMBER, 1, 0, HUGE_VAL, NULL, 10, NULL, 0),
    P(ATLAS_P_TEXT_ALLOW_OVERLAP, "text-allow-overlap", ATLAS_STYLE_SYMBOL, 1,
      PT_BOOL, 0, -HUGE_VAL, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_TEXT_OPTIONAL, "text-optional", ATLAS_STYLE_SYMBOL, 1, PT_BOOL, 0,
      -HUGE_VAL, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_SYMBOL_SORT_KEY, "symbol-sort-key", ATLAS_STYLE_SYMBOL, 1,
      PT_NUMBER, 1, -HUGE_VAL, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_TEXT_COLOR, "text-color", ATLAS_STYLE_SYMBOL, 0, PT_COLOR, 1,
      -HUGE_VAL, HUGE_VAL, NULL, 0, "#000000", 0),
    P(ATLAS_P_TEXT_OPACITY, "text-opacity", ATLAS_STYLE_SYMBOL, 0, PT_NUMBER, 1,
      0, 1, NULL, 1, NULL, 0),
    P(ATLAS_P_TEXT_HALO_COLOR, "text-halo-color", ATLAS_STYLE_SYMBOL, 0,
      PT_COLOR, 1, -HUGE_VAL, HUGE_VAL, NULL, 0, "rgba(0, 0, 0, 0)", 0),
    P(ATLAS_P_TEXT_HALO_WIDTH, "text-halo-width", ATLAS_STYLE_SYMBOL, 0,
      PT_NUMBER, 1, 0, HUGE_VAL, NULL, 0, NULL, 0),
    P(ATLAS_P_VISIBILITY, "visibility", ANY_LAYER, 1, PT_ENUM, 0, -HUGE_VAL,
      HUGE_VAL, visibility_values, 0, "visible", 0),
#undef P
};

/* Properties valid in MapLibre (style spec v8) that atlas accepts and
 * ignores, per layer type: "paint" first, then "layout" after the NULL. */
static const char *const ignored_background[] = {"background-pattern", NULL,
                                                 NULL};
static const char *const ignored_fill[] = {"fill-antialias",
                                           "fill-translate",
                                           "fill-translate-anchor",
                                           "fill-layer-opacity",
                                           "fill-layer-blend",
                                           NULL,
                                           "fill-sort-key",
                                           NULL};
static const char *const ignored_line[] = {"line-translate",
                                           "line-translate-anchor",
                                           "line-offset",
                                           "line-blur",
                                           "line-pattern",
                                           "line-gradient",
                                           "line-layer-opacity",
                                           "line-layer-blend",
                                           NULL,
                                           "line-miter-limit",
                                           "line-round-limit",
                                           "line-sort-key",
                                           NULL};
static const char *const ignored_circle[] = {"circle-blur",
                                             "circle-translate",
                                             "circle-translate-anchor",
                                             "circle-pitch-scale",
                                             "circle-pitch-alignment",
                                             NULL,
                                             "circle-sort-key",
                                             NULL};
static const char *const ignored_symbol[] = {"icon-opacity",
                                             "icon-color",
                                             "icon-halo-color",
                                             "icon-halo-width",
                                             "icon-halo-blur",
                                             "icon-translate",
                                             "icon-translate-anchor",
                                             "text-halo-blur",
                                             "text-translate",
                                             "text-translate-anchor",
                                             NULL,
                                             "symbol-placement",
                                             "symbol-spacing",
                                             "symbol-avoid-edges",
                                             "symbol-z-order",
                                             "icon-allow-overlap",
                                             "icon-overlap",
                                             "icon-ignore-placement",
                                             "icon-optional",
                                             "icon-rotation-alignment",
                                             "icon-size",
                                             "icon-text-fit",
                                             "icon-text-fit-padding",
                                             "icon-image",
                                             "icon-rotate",
                                             "icon-padding",
                                             "icon-keep-upright",
                                             "icon-offset",
                                             "icon-anchor",
                                             "icon-pitch-alignment",
                                             "text-pitch-alignment",
                                             "text-rotation-alignment",
                                             "text-line-height",
                                             "text-letter-spacing",
                                             "text-justify",
                                             "text-radial-offset",
                                             "text-variable-anchor",
                                             "text-variable-anchor-offset",
                                             "text-max-angle",
                                             "text-writing-mode",
                                             "text-rotate",
                                             "text-padding",
                                             "text-keep-upright",
                                             "text-transform",
                                             "text-overlap",
                                             "text-ignore-placement",
                                             "symbol-height-offset",
                                             "symbol-height-anchor",
                                             NULL};
static const char *const *const ignored_props[] = {
    [ATLAS_STYLE_BACKGROUND] = ignored_background,
    [ATLAS_STYLE_FILL] = ignored_fill,
    [ATLAS_STYLE_LINE] = ignored_line,
    [ATLAS_STYLE_CIRCLE] = ignored_circle,
    [ATLAS_STYLE_SYMBOL] = ignored_symbol,
};

static const char *const layer_type_names[] = {
    [ATLAS_STYLE_BACKGROUND] = "background",
    [ATLAS_STYLE_FILL] = "fill",
    [ATLAS_STYLE_LINE] = "line",
    [ATLAS_STYLE_CIRCLE] = "circle",
    [ATLAS_STYLE_SYMBOL] = "symbol",
};

/* ---- the model -------------------------------------------------------------
 */

typedef struct style_meta {
    const char *key; /* "atlas:legend" */
    const char *value;
} style_meta;

struct atlas_style_layer {
    const char *id; /* from the file, quoted in every message */
    atlas_layer_type type;
    const char *source; /* NULL for background */
    atlas_expr *filter; /* compiled once; NULL matches every feature */
    double minzoom, maxzoom;
    atlas_expr *props[ATLAS_N_PROPS]; /* NULL: unset, the default applies */
    style_meta *meta;                 /* the "atlas:*" strings */
    size_t n_meta;
    int visible;
};

typedef struct style_source {
    const char *name;
    const char *data; /* a file name or URL; NULL for inline GeoJSON */
} style_source;

struct atlas_style {
    atlas_xpool *pool; /* everything below lives in it */
    const char *name;
    atlas_style_layer *layers;
    size_t n_layers;
    style_source *sources;
    size_t n_sources;
};

/* ---- loading ---------------------------------------------------------------
 */

typedef struct loader {
    atlas_style *st;
    atlas_xenv env;
    atlas_error *err;
    const char *file;
} loader;

static int bad(loader *ld, const char *path, const char *fmt, ...)
    ATLAS_PRINTF(3, 4);

/* Records "FILE: PATH: WHY" and returns -1. */
static int
bad(loader *ld, const char *path, const char *fmt, ...)
{
    char why[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    atlas_error_set(ld->err, ATLAS_E_INPUT, "%s: %s: %s", ld->file, path, why);
    return -1;
}

static int
nomem(loader *ld)
{
    atlas_error_set(ld->err, ATLAS_E_NOMEM, "%s: out of memory", ld->file);
    return -1;
}

static const char *
json_type_word(json_object *j)
{
    switch (json_object_get_type(j)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_int:
    case json_type_double:
        return "a number";
    case json_type_string:
        return "a string";
    case json_type_array:
        return "an array";
    default:
        return "an object";
    }
}

static int
find_prop(const char *name)
{
    for (int i = 0; i < ATLAS_N_PROPS; i++)
        if (strcmp(props[i].name, name) == 0)
            return i;
    return -1;
}

/* 1 when NAME is a property atlas ignores for TYPE in SECTION (0 paint, 1
 * layout); 2 when it is one, but in the other section. */
static int
is_ignored(atlas_layer_type type, const char *name, int layout)
{
    const char *const *list = ignored_props[type];
    int section = 0;
    for (size_t i = 0; section < 2; i++) {
        if (list[i] == NULL) {
            section++;
            continue;
        }
        if (strcmp(list[i], name) == 0)
            return section == layout ? 1 : 2;
    }
    return 0;
}

/* A text-field string with MapLibre's "{field}" tokens into the JSON of
 * ["concat", "text", ["to-string", ["get", "field"]], ...]; NULL when S
 * has no token (or no memory: the caller then compiles S as it is). */
static json_object *
tokens_to_concat(const char *s)
{
    json_object *arr;
    const char *p = s, *open;

    if (strchr(s, '{') == NULL || strchr(s, '}') == NULL)
        return NULL;
    arr = json_object_new_array();
    if (arr == NULL)
        return NULL;
    json_object_array_add(arr, json_object_new_string("concat"));
    while ((open = strchr(p, '{')) != NULL) {
        const char *close = strchr(open, '}');
        if (close == NULL)
            break;
        if (open > p)
            json_object_array_add(
                arr, json_object_new_string_len(p, (int)(open - p)));
        json_object *get = json_object_new_array();
        json_object *str = json_object_new_array();
        json_object_array_add(get, json_object_new_string("get"));
        json_object_array_add(
            get, json_object_new_string_len(open + 1, (int)(close - open - 1)));
        json_object_array_add(str, json_object_new_string("to-string"));
        json_object_array_add(str, get);
        json_object_array_add(arr, str);
        p = close + 1;
    }
    if (*p != '\0')
        json_object_array_add(arr, json_object_new_string(p));
    return arr;
}

static atlas_xtype
want_of(ptype t)
{
    switch (t) {
    case PT_NUMBER:
        return ATLAS_XT_NUMBER;
    case PT_COLOR:
        return ATLAS_XT_COLOR;
    case PT_BOOL:
        return ATLAS_XT_BOOL;
    case PT_NUMBERS:
    case PT_STRINGS:
        return ATLAS_XT_ARRAY;
    default:
        return ATLAS_XT_STRING;
    }
}

static int
parse_prop(loader *ld, atlas_style_layer *l, int p, json_object *val,
           const char *path)
{
    const struct prop_spec *sp = &props[p];
    json_object *tokens = NULL;
    atlas_xval k;
    char why[160];

    if (sp->type == PT_ENUM && !sp->data_driven &&
        !json_object_is_type(val, json_type_string))
        return bad(ld, path, "expected a string, got %s", json_type_word(val));
    ld->env.enums = sp->enums;
    ld->env.item_type = sp->type == PT_NUMBERS   ? ATLAS_XT_NUMBER
                        : sp->type == PT_STRINGS ? ATLAS_XT_STRING
                                                 : ATLAS_XT_ANY;
    ld->env.array_len = sp->array_len;
    ld->env.item_min_zero = sp->type == PT_NUMBERS && sp->min == 0;
    ld->env.font_names = p == ATLAS_P_TEXT_FONT;
    ld->env.is_filter = 0;
    if (p == ATLAS_P_TEXT_FIELD && json_object_is_type(val, json_type_string))
        tokens = tokens_to_concat(json_object_get_string(val));
    l->props[p] = atlas_expr_compile(tokens ? tokens : val, want_of(sp->type),
                                     &ld->env, path, ld->err);
    json_object_put(tokens);
    ld->env.enums = NULL;
    ld->env.item_type = ATLAS_XT_ANY;
    ld->env.array_len = 0;
    ld->env.item_min_zero = 0;
    ld->env.font_names = 0;
    if (l->props[p] == NULL)
        return -1;
    if (!sp->data_driven && atlas_expr_uses_feature(l->props[p])) {
        snprintf(why, sizeof why,
                 "\"%s\" cannot depend on feature properties (get, has)",
                 sp->name);
        return bad(ld, path, "%s", why);
    }
    if (atlas_expr_constant(l->props[p], &k) && k.type == ATLAS_XT_NUMBER &&
        (k.u.num < sp->min || k.u.num > sp->max)) {
        if (sp->max == HUGE_VAL)
            snprintf(why, sizeof why, "expected a number >= %g, got %s",
                     sp->min, json_object_to_json_string(val));
        else
            snprintf(why, sizeof why, "expected a number from %g to %g, got %s",
                     sp->min, sp->max, json_object_to_json_string(val));
        return bad(ld, path, "%s", why);
    }
    return 0;
}

/* The "paint" or "layout" object of layer L. */
static int
parse_props(loader *ld, atlas_style_layer *l, json_object *obj, int layout,
            const char *lpath)
{
    const char *section = layout ? "layout" : "paint";
    char path[512];

    snprintf(path, sizeof path, "%s.%s", lpath, section);
    if (!json_object_is_type(obj, json_type_object))
        return bad(ld, path, "expected an object, got %s", json_type_word(obj));
    json_object_object_foreach(obj, key, val)
    {
        int p = find_prop(key);
        snprintf(path, sizeof path, "%s.%s.%s", lpath, section, key);
        if (p >= 0 &&
            (props[p].layer == (int)l->type || props[p].layer == ANY_LAYER)) {
            if (props[p].layout != layout)
                return bad(ld, path, "belongs in \"%s\"",
                           props[p].layout ? "layout" : "paint");
            if (parse_prop(ld, l, p, val, path) < 0)
                return -1;
            continue;
        }
        switch (is_ignored(l->type, key, layout)) {
        case 1:
            continue; /* valid MapLibre; atlas does not draw it */
        case 2:
            return bad(ld, path, "belongs in \"%s\"",
                       layout ? "paint" : "layout");
        default:
            break;
        }
        if (p >= 0 || is_ignored(ATLAS_STYLE_FILL, key, layout) ||
            is_ignored(ATLAS_STYLE_LINE, key, layout) ||
            is_ignored(ATLAS_STYLE_CIRCLE, key, layout) ||
            is_ignored(ATLAS_STYLE_SYMBOL, key, layout)) {
            char why[160];
            snprintf(why, sizeof why, "\"%s\" is not a property of %s layers",
                     key, layer_type_names[l->type]);
            return bad(ld, path, "%s", why);
        }
        return bad(ld, path, "unknown property \"%s\"", key);
    }
    return 0;
}

static int
parse_meta(loader *ld, atlas_style_layer *l, json_object *obj,
           const char *lpath)
{
    char path[512];
    size_t n = 0;

    snprintf(path, sizeof path, "%s.metadata", lpath);
    if (!json_object_is_type(obj, json_type_object))
        return bad(ld, path, "expected an object, got %s", json_type_word(obj));
    json_object_object_foreach(obj, key0, val0)
    {
        (void)val0;
        if (strncmp(key0, "atlas:", 6) == 0)
            n++;
    }
    l->meta = atlas_xpool_alloc(&ld->st->pool, (n ? n : 1) * sizeof *l->meta);
    if (l->meta == NULL)
        return nomem(ld);
    json_object_object_foreach(obj, key, val)
    {
        if (strncmp(key, "atlas:", 6) != 0)
            continue; /* other tools' metadata is theirs */
        snprintf(path, sizeof path, "%s.metadata.%s", lpath, key);
        if (!json_object_is_type(val, json_type_string))
            return bad(ld, path, "expected a string, got %s",
                       json_type_word(val));
        style_meta *m = &l->meta[l->n_meta++];
        m->key = atlas_xpool_strdup(&ld->st->pool, key);
        m->value =
            atlas_xpool_strdup(&ld->st->pool, json_object_get_string(val));
        if (m->key == NULL || m->value == NULL)
            return nomem(ld);
    }
    return 0;
}

static const style_source *
find_source(const atlas_style *st, const char *name)
{
    for (size_t i = 0; i < st->n_sources; i++)
        if (strcmp(st->sources[i].name, name) == 0)
            return &st->sources[i];
    return NULL;
}

static int
parse_zoom(loader *ld, json_object *v, const char *path, double *out)
{
    if (!json_object_is_type(v, json_type_int) &&
        !json_object_is_type(v, json_type_double))
        return bad(ld, path, "expected a number, got %s", json_type_word(v));
    *out = json_object_get_double(v);
    if (*out < 0 || *out > 24)
        return bad(ld, path, "expected a number from 0 to 24, got %s",
                   json_object_to_json_string(v));
    return 0;
}

static int
parse_layer(loader *ld, atlas_style_layer *l, json_object *obj,
            const char *lpath, atlas_strmap *ids)
{
    static const char *const known_types[] = {"raster",       "hillshade",
                                              "heatmap",      "fill-extrusion",
                                              "color-relief", NULL};
    json_object *v;
    char path[512];

    if (!json_object_is_type(obj, json_type_object))
        return bad(ld, lpath, "expected a layer object, got %s",
                   json_type_word(obj));
    snprintf(path, sizeof path, "%s.id", lpath);
    if (!json_object_object_get_ex(obj, "id", &v))
        return bad(ld, lpath, "missing \"id\"");
    if (!json_object_is_type(v, json_type_string))
        return bad(ld, path, "expected a string, got %s", json_type_word(v));
    l->id = atlas_xpool_strdup(&ld->st->pool, json_object_get_string(v));
    if (l->id == NULL)
        return nomem(ld);
    switch (atlas_strmap_put(ids, l->id, 0)) {
    case 0:
        return bad(ld, path, "duplicate layer id \"%s\"", l->id);
    case -1:
        return nomem(ld);
    default:
        break;
    }
    l->visible = 1;
    l->maxzoom = 24;

    snprintf(path, sizeof path, "%s.type", lpath);
    if (!json_object_object_get_ex(obj, "type", &v))
        return bad(ld, lpath, "layer \"%s\": missing \"type\"", l->id);
    if (!json_object_is_type(v, json_type_string))
        return bad(ld, path, "expected a string, got %s", json_type_word(v));
    const char *type = json_object_get_string(v);
    int found = 0;
    for (int t = 0; t <= ATLAS_STYLE_SYMBOL; t++) {
        if (strcmp(layer_type_names[t], type) == 0) {
            l->type = (atlas_layer_type)t;
            found = 1;
        }
    }
    if (!found) {
        char why[256];
        int maplibre = 0;
        for (int i = 0; known_types[i] != NULL; i++)
            maplibre |= strcmp(known_types[i], type) == 0;
        snprintf(why, sizeof why,
                 "layer \"%s\": %s layer type \"%.40s\" (atlas draws "
                 "background, fill, line, circle and symbol layers)",
                 l->id, maplibre ? "unsupported" : "unknown", type);
        return bad(ld, path, "%s", why);
    }

    json_object_object_foreach(obj, key, val)
    {
        snprintf(path, sizeof path, "%s.%s", lpath, key);
        if (strcmp(key, "id") == 0 || strcmp(key, "type") == 0) {
            continue;
        } else if (strcmp(key, "source") == 0) {
            if (!json_object_is_type(val, json_type_string))
                return bad(ld, path, "expected a string, got %s",
                           json_type_word(val));
            const style_source *src =
                find_source(ld->st, json_object_get_string(val));
            if (src == NULL)
                return bad(ld, path, "no source named \"%s\" in \"sources\"",
                           json_object_get_string(val));
            l->source = src->name;
        } else if (strcmp(key, "source-layer") == 0) {
            continue; /* vector tiles only: nothing to do for geojson */
        } else if (strcmp(key, "filter") == 0) {
            ld->env.is_filter = 1;
            l->filter =
                atlas_expr_compile(val, ATLAS_XT_BOOL, &ld->env, path, ld->err);
            ld->env.is_filter = 0;
            if (l->filter == NULL)
                return -1;
        } else if (strcmp(key, "minzoom") == 0) {
            if (parse_zoom(ld, val, path, &l->minzoom) < 0)
                return -1;
        } else if (strcmp(key, "maxzoom") == 0) {
            if (parse_zoom(ld, val, path, &l->maxzoom) < 0)
                return -1;
        } else if (strcmp(key, "layout") == 0) {
            if (parse_props(ld, l, val, 1, lpath) < 0)
                return -1;
        } else if (strcmp(key, "paint") == 0) {
            if (parse_props(ld, l, val, 0, lpath) < 0)
                return -1;
        } else if (strcmp(key, "metadata") == 0) {
            if (parse_meta(ld, l, val, lpath) < 0)
                return -1;
        } else {
            return bad(ld, path, "unknown layer key \"%s\"", key);
        }
    }
    if (l->type != ATLAS_STYLE_BACKGROUND && l->source == NULL)
        return bad(ld, lpath, "layer \"%s\": missing \"source\"", l->id);
    if (l->props[ATLAS_P_VISIBILITY] != NULL) {
        atlas_xval k;
        if (atlas_expr_constant(l->props[ATLAS_P_VISIBILITY], &k) &&
            k.type == ATLAS_XT_STRING && strcmp(k.u.str, "none") == 0)
            l->visible = 0;
    }
    return 0;
}

static int
parse_sources(loader *ld, json_object *obj)
{
    atlas_style *st = ld->st;
    char path[512];

    if (!json_object_is_type(obj, json_type_object))
        return bad(ld, "sources", "expected an object, got %s",
                   json_type_word(obj));
    st->sources = atlas_xpool_alloc(
        &st->pool,
        (size_t)(json_object_object_length(obj) + 1) * sizeof *st->sources);
    if (st->sources == NULL)
        return nomem(ld);
    json_object_object_foreach(obj, name, src)
    {
        json_object *v;
        style_source *s = &st->sources[st->n_sources];
        snprintf(path, sizeof path, "sources.%s", name);
        if (!json_object_is_type(src, json_type_object))
            return bad(ld, path, "expected an object, got %s",
                       json_type_word(src));
        if (!json_object_object_get_ex(src, "type", &v) ||
            !json_object_is_type(v, json_type_string))
            return bad(ld, path, "expected \"type\": \"geojson\"");
        if (strcmp(json_object_get_string(v), "geojson") != 0)
            return bad(ld, path,
                       "unsupported source type \"%s\" (atlas reads geojson "
                       "sources)",
                       json_object_get_string(v));
        if (!json_object_object_get_ex(src, "data", &v))
            return bad(ld, path, "missing \"data\"");
        s->name = atlas_xpool_strdup(&st->pool, name);
        if (s->name == NULL)
            return nomem(ld);
        if (json_object_is_type(v, json_type_string)) {
            s->data = atlas_xpool_strdup(&st->pool, json_object_get_string(v));
            if (s->data == NULL)
                return nomem(ld);
        } else if (!json_object_is_type(v, json_type_object)) {
            snprintf(path, sizeof path, "sources.%s.data", name);
            return bad(ld, path, "expected a URL or GeoJSON, got %s",
                       json_type_word(v));
        }
        st->n_sources++;
    }
    return 0;
}

static int
parse_root(loader *ld, json_object *root)
{
    static const char *const ignored_root[] = {
        "metadata",   "center",  "centerAltitude", "zoom",   "bearing",
        "pitch",      "roll",    "state",          "light",  "sky",
        "projection", "terrain", "sprite",         "glyphs", "font-faces",
        "transition", NULL};
    atlas_style *st = ld->st;
    json_object *v, *layers;
    atlas_strmap *ids = NULL;
    char path[64];
    int rc = -1;

    if (!json_object_is_type(root, json_type_object)) {
        atlas_error_set(ld->err, ATLAS_E_INPUT,
                        "%s: expected a style object, got %s", ld->file,
                        json_type_word(root));
        return -1;
    }
    if (!json_object_object_get_ex(root, "version", &v))
        return bad(ld, "version", "missing; expected 8");
    if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) != 8)
        return bad(ld, "version", "expected 8, got %s",
                   json_object_to_json_string(v));
    json_object_object_foreach(root, key, val)
    {
        int ok = 0;
        for (int i = 0; ignored_root[i] != NULL; i++)
            ok |= strcmp(ignored_root[i], key) == 0;
        if (ok || strcmp(key, "version") == 0 || strcmp(key, "sources") == 0 ||
            strcmp(key, "layers") == 0)
            continue;
        if (strcmp(key, "name") == 0) {
            if (!json_object_is_type(val, json_type_string))
                return bad(ld, "name", "expected a string, got %s",
                           json_type_word(val));
            st->name =
                atlas_xpool_strdup(&st->pool, json_object_get_string(val));
            if (st->name == NULL)
                return nomem(ld);
            continue;
        }
        return bad(ld, key, "unknown key \"%s\"", key);
    }
    if (!json_object_object_get_ex(root, "sources", &v))
        return bad(ld, "sources", "missing");
    if (parse_sources(ld, v) < 0)
        return -1;
    if (!json_object_object_get_ex(root, "layers", &layers))
        return bad(ld, "layers", "missing");
    if (!json_object_is_type(layers, json_type_array))
        return bad(ld, "layers", "expected an array, got %s",
                   json_type_word(layers));
    st->n_layers = json_object_array_length(layers);
    st->layers = atlas_xpool_alloc(
        &st->pool, (st->n_layers ? st->n_layers : 1) * sizeof *st->layers);
    if (st->layers == NULL)
        return nomem(ld);
    ids = atlas_strmap_new();
    if (ids == NULL)
        return nomem(ld);
    for (size_t i = 0; i < st->n_layers; i++) {
        snprintf(path, sizeof path, "layers[%zu]", i);
        if (parse_layer(ld, &st->layers[i],
                        json_object_array_get_idx(layers, i), path, ids) < 0)
            goto cleanup;
    }
    rc = 0;

cleanup:
    atlas_strmap_free(ids);
    return rc;
}

atlas_style *
atlas_style_parse(const char *json, size_t len, const char *name,
                  atlas_error *err)
{
    json_tokener *tok = NULL;
    json_object *root = NULL;
    atlas_style *st = NULL;
    loader ld;

    if (len > STYLE_MAX_BYTES) {
        atlas_error_set(err, ATLAS_E_INPUT,
                        "%s: style is %zu bytes; at most %d are read", name,
                        len, STYLE_MAX_BYTES);
        return NULL;
    }
    tok = json_tokener_new_ex(STYLE_MAX_DEPTH);
    if (tok == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "%s: out of memory", name);
        return NULL;
    }
    json_tokener_set_flags(tok,
                           JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    root = json_tokener_parse_ex(tok, json, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_success) {
        /* only blanks may follow the value */
        while (end < len && (json[end] == ' ' || json[end] == '\t' ||
                             json[end] == '\n' || json[end] == '\r'))
            end++;
        if (end < len)
            jerr = json_tokener_error_parse_unexpected;
    }
    if (jerr != json_tokener_success) {
        long line = 1;
        const char *why =
            jerr == json_tokener_continue      ? "unexpected end of file"
            : jerr == json_tokener_error_depth ? "nested deeper than 64 levels"
                                               : json_tokener_error_desc(jerr);
        if (jerr == json_tokener_continue)
            end = len;
        for (size_t i = 0; i < end && i < len; i++)
            line += json[i] == '\n';
        atlas_error_set(err, ATLAS_E_INPUT, "%s:%ld: invalid JSON: %s", name,
                        line, why);
        goto cleanup;
    }

    st = calloc(1, sizeof *st);
    if (st == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "%s: out of memory", name);
        goto cleanup;
    }
    memset(&ld, 0, sizeof ld);
    ld.st = st;
    ld.err = err;
    ld.file = name;
    ld.env.file = name;
    ld.env.pool = &st->pool;
    ld.env.item_type = ATLAS_XT_ANY;
    if (parse_root(&ld, root) < 0) {
        atlas_style_free(st);
        st = NULL;
    }

cleanup:
    json_object_put(root);
    json_tokener_free(tok);
    return st;
}

atlas_style *
atlas_style_load(const char *path, atlas_error *err)
{
    FILE *fp = NULL;
    char *buf = NULL;
    size_t n;
    atlas_style *st = NULL;

    fp = fopen(path, "rb");
    if (fp == NULL) {
        atlas_error_set(err, ATLAS_E_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* one byte more than allowed tells a file that is too big */
    buf = malloc(STYLE_MAX_BYTES + 1);
    if (buf == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    n = fread(buf, 1, STYLE_MAX_BYTES + 1, fp);
    if (ferror(fp)) {
        atlas_error_set(err, ATLAS_E_IO, "%s: read error", path);
        goto cleanup;
    }
    if (n > STYLE_MAX_BYTES) {
        atlas_error_set(err, ATLAS_E_INPUT, "%s: style file larger than 4 MiB",
                        path);
        goto cleanup;
    }
    st = atlas_style_parse(buf, n, path, err);

cleanup:
    free(buf);
    if (fp != NULL)
        fclose(fp);
    return st;
}

void
atlas_style_free(atlas_style *st)
{
    if (st == NULL)
        return;
    atlas_xpool_free(st->pool);
    free(st);
}

/* ---- reading ----------------------------------------------------------- */

const char *
atlas_style_name(const atlas_style *st)
{
    return st->name;
}

size_t
atlas_style_n_layers(const atlas_style *st)
{
    return st->n_layers;
}

const atlas_style_layer *
atlas_style_layer_at(const atlas_style *st, size_t i)
{
    return i < st->n_layers ? &st->layers[i] : NULL;
}

const char *
atlas_style_source_data(const atlas_style *st, const char *source)
{
    const style_source *s = find_source(st, source);
    return s != NULL ? s->data : NULL;
}

const char *
atlas_style_layer_id(const atlas_style_layer *l)
{
    return l->id;
}

atlas_layer_type
atlas_style_layer_type(const atlas_style_layer *l)
{
    return l->type;
}

const char *
atlas_style_layer_source(const atlas_style_layer *l)
{
    return l->source;
}

const char *
atlas_style_layer_meta(const atlas_style_layer *l, const char *key)
{
    size_t skip = strncmp(key, "atlas:", 6) == 0 ? 6 : 0;
    for (size_t i = 0; i < l->n_meta; i++)
        if (strcmp(l->meta[i].key + 6, key + skip) == 0)
            return l->meta[i].value;
    return NULL;
}

const char *
atlas_style_layer_legend(const atlas_style_layer *l)
{
    return atlas_style_layer_meta(l, "legend");
}

int
atlas_style_layer_visible(const atlas_style_layer *l)
{
    return l->visible;
}

void
atlas_style_layer_zoom_range(const atlas_style_layer *l, double *minzoom,
                             double *maxzoom)
{
    *minzoom = l->minzoom;
    *maxzoom = l->maxzoom;
}

/* Scratch for one evaluation: strings made on the way live here until the
 * accessor has copied its result out. */
#define SCRATCH_BYTES 2048

static const atlas_eval_ctx no_feature = {NULL, NULL, 0};

int
atlas_style_layer_filter(const atlas_style_layer *l, const atlas_eval_ctx *ctx)
{
    max_align_t buf[SCRATCH_BYTES / sizeof(max_align_t)];
    atlas_xscratch s = {(char *)buf, sizeof buf, 0};

    if (l->filter == NULL)
        return 1;
    atlas_xval v = atlas_expr_eval(l->filter, ctx ? ctx : &no_feature, &s);
    return v.type == ATLAS_XT_BOOL && v.u.b;
}

int
atlas_style_has(const atlas_style_layer *l, atlas_prop p)
{
    return (int)p >= 0 && p < ATLAS_N_PROPS && l->props[p] != NULL;
}

int
atlas_style_is_constant(const atlas_style_layer *l, atlas_prop p)
{
    if (!atlas_style_has(l, p))
        return 1;
    return !atlas_expr_uses_feature(l->props[p]);
}

/* Property P of L for CTX: its value, or an error value when unset. */
static atlas_xval
eval_prop(const atlas_style_layer *l, atlas_prop p, const atlas_eval_ctx *ctx,
          atlas_xscratch *s)
{
    atlas_xval v;
    if (!atlas_style_has(l, p)) {
        memset(&v, 0, sizeof v);
        v.type = ATLAS_XT_ERROR;
        return v;
    }
    return atlas_expr_eval(l->props[p], ctx ? ctx : &no_feature, s);
}

int
atlas_style_number(const atlas_style_layer *l, atlas_prop p,
                   const atlas_eval_ctx *ctx, double *out)
{
    max_align_t buf[SCRATCH_BYTES / sizeof(max_align_t)];
    atlas_xscratch s = {(char *)buf, sizeof buf, 0};

    if ((int)p < 0 || p >= ATLAS_N_PROPS) {
        *out = 0;
        return 0;
    }
    *out = props[p].def_num;
    atlas_xval v = eval_prop(l, p, ctx, &s);
    if (v.type != ATLAS_XT_NUMBER || !isfinite(v.u.num))
        return 0;
    /* out of range results are clamped, as MapLibre draws them */
    *out = v.u.num < props[p].min   ? props[p].min
           : v.u.num > props[p].max ? props[p].max
                                    : v.u.num;
    return 1;
}

int
atlas_style_color(const atlas_style_layer *l, atlas_prop p,
                  const atlas_eval_ctx *ctx, atlas_color *out)
{
    max_align_t buf[SCRATCH_BYTES / sizeof(max_align_t)];
    atlas_xscratch s = {(char *)buf, sizeof buf, 0};

    if ((int)p < 0 || p >= ATLAS_N_PROPS || props[p].type != PT_COLOR) {
        *out = (atlas_color){0, 0, 0, 1};
        return 0;
    }
    atlas_xval v = eval_prop(l, p, ctx, &s);
    if (v.type == ATLAS_XT_COLOR) {
        *out = v.u.color;
        return 1;
    }
    if (v.type == ATLAS_XT_STRING && atlas_style_parse_color(v.u.str, out))
        return 1;
    if (p == ATLAS_P_FILL_OUTLINE_COLOR) {
        /* MapLibre outlines a fill in its fill colour by default */
        atlas_style_color(l, ATLAS_P_FILL_COLOR, ctx, out);
        return 0;
    }
    atlas_style_parse_color(props[p].def_str, out);
    return 0;
}

int
atlas_style_bool(const atlas_style_layer *l, atlas_prop p,
                 const atlas_eval_ctx *ctx, int *out)
{
    max_align_t buf[SCRATCH_BYTES / sizeof(max_align_t)];
    atlas_xscratch s = {(char *)buf, sizeof buf, 0};

    if ((int)p < 0 || p >= ATLAS_N_PROPS) {
        *out = 0;
        return 0;
    }
    *out = props[p].def_num != 0;
    atlas_xval v = eval_prop(l, p, ctx, &s);
    if (v.type != ATLAS_XT_BOOL)
        return 0;
    *out = v.u.b;
    return 1;
}

/* Copies S into BUF of SIZE bytes, cut at a UTF-8 character boundary. */
static void
copy_utf8(char *buf, size_t size, const char *s)
{
    size_t n;
    if (size == 0)
        return;
    n = strlen(s);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
}

int
atlas_style_string(const atlas_style_layer *l, atlas_prop p,
                   const atlas_eval_ctx *ctx, char *buf, size_t size)
{
    max_align_t sbuf[SCRATCH_BYTES / sizeof(max_align_t)];
    atlas_xscratch s = {(char *)sbuf, sizeof sbuf, 0};
    const struct prop_spec *sp;

    if ((int)p < 0 || p >= ATLAS_N_PROPS) {
        copy_utf8(buf, size, "");
        return 0;
    }
    sp = &props[p];
    copy_utf8(buf, size, sp->def_str != NULL ? sp->def_str : "");
    if (sp->type != PT_ENUM && sp->type != PT_TEXT)
        return 0;
    atlas_xval v = eval_prop(l, p, ctx, &s);
    if (v.type == ATLAS_XT_ERROR || v.type == ATLAS_XT_NULL ||
        v.type == ATLAS_XT_ARRAY || v.type == ATLAS_XT_COLOR)
        return 0;
    const char *str = atlas_xval_to_string(v, &s);
    if (sp->enums != NULL) {
        int ok = 0;
        for (int i = 0; sp->enums[i] != NULL; i++)
            ok |= strcmp(sp->enums[i], str) == 0;
        if (!ok)
            return 0;
    }
    copy_utf8(buf, size, str);
    return 1;
}

size_t
atlas_style_numbers(const atlas_style_layer *l, atlas_prop p,
                    const atlas_eval_ctx *ctx, double *out, size_t max)
{
    max_align_t buf[SCRATCH_BYTES / sizeof(max_align_t)];
    atlas_xscratch s = {(char *)buf, sizeof buf, 0};

    if ((int)p < 0 || p >= ATLAS_N_PROPS || props[p].type != PT_NUMBERS)
        return 0;
    atlas_xval v = eval_prop(l, p, ctx, &s);
    if (v.type != ATLAS_XT_ARRAY)
        return 0;
    if (props[p].array_len > 0 && v.u.arr->n != props[p].array_len)
        return 0;
    for (size_t i = 0; i < v.u.arr->n; i++) {
        const atlas_xval *it = &v.u.arr->items[i];
        if (it->type != ATLAS_XT_NUMBER || !isfinite(it->u.num) ||
            it->u.num < props[p].min)
            return 0;
    }
    size_t n = v.u.arr->n < max ? v.u.arr->n : max;
    for (size_t i = 0; i < n; i++)
        out[i] = v.u.arr->items[i].u.num;
    return n;
}

size_t
atlas_style_strings(const atlas_style_layer *l, atlas_prop p,
                    const atlas_eval_ctx *ctx, const char **out, size_t max)
{
    max_align_t buf[SCRATCH_BYTES / sizeof(max_align_t)];
    atlas_xscratch s = {(char *)buf, sizeof buf, 0};

    if ((int)p < 0 || p >= ATLAS_N_PROPS || props[p].type != PT_STRINGS)
        return 0;
    /* arrays of strings only come from constants in the style's pool, so
     * the pointers outlive this call */
    atlas_xval v = eval_prop(l, p, ctx, &s);
    if (v.type != ATLAS_XT_ARRAY)
        return 0;
    for (size_t i = 0; i < v.u.arr->n; i++)
        if (v.u.arr->items[i].type != ATLAS_XT_STRING)
            return 0;
    size_t n = v.u.arr->n < max ? v.u.arr->n : max;
    for (size_t i = 0; i < n; i++)
        out[i] = v.u.arr->items[i].u.str;
    return n;
}

const char *
atlas_style_prop_name(atlas_prop p)
{
    if ((int)p < 0 || p >= ATLAS_N_PROPS)
        return NULL;
    return props[p].name;
}
