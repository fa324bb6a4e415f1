/* style.h: map styles in a documented subset of the MapLibre Style
 * Specification (docs/styles.md). A style file is parsed once into typed
 * layers with compiled expressions; drawing code only reads them.
 * Knows JSON and expressions; nothing of cairo, PROJ or the store. */
#ifndef ATLAS_STYLE_H
#define ATLAS_STYLE_H

#include <stddef.h>

#include "error.h"
#include "feature.h" /* atlas_value */

typedef struct atlas_style atlas_style;
typedef struct atlas_style_layer atlas_style_layer;

typedef enum atlas_layer_type {
    ATLAS_STYLE_BACKGROUND,
    ATLAS_STYLE_FILL,
    ATLAS_STYLE_LINE,
    ATLAS_STYLE_CIRCLE,
    ATLAS_STYLE_SYMBOL
} atlas_layer_type;

/* Paint and layout properties atlas understands. Others valid in MapLibre
 * are accepted and ignored; unknown ones are an error. */
typedef enum atlas_prop {
    ATLAS_P_BACKGROUND_COLOR,
    ATLAS_P_BACKGROUND_OPACITY,
    ATLAS_P_FILL_COLOR,
    ATLAS_P_FILL_OPACITY,
    ATLAS_P_FILL_OUTLINE_COLOR,
    ATLAS_P_FILL_PATTERN, /* "hatch": diagonal lines atlas draws itself */
    ATLAS_P_LINE_COLOR,
    ATLAS_P_LINE_WIDTH,
    ATLAS_P_LINE_OPACITY,
    ATLAS_P_LINE_DASHARRAY, /* numbers, in line widths */
    ATLAS_P_LINE_GAP_WIDTH,
    ATLAS_P_LINE_CAP,  /* layout: "butt" | "round" | "square" */
    ATLAS_P_LINE_JOIN, /* layout: "bevel" | "round" | "miter" */
    ATLAS_P_CIRCLE_COLOR,
    ATLAS_P_CIRCLE_RADIUS,
    ATLAS_P_CIRCLE_OPACITY,
    ATLAS_P_CIRCLE_STROKE_COLOR,
    ATLAS_P_CIRCLE_STROKE_WIDTH,
    ATLAS_P_CIRCLE_STROKE_OPACITY,
    ATLAS_P_TEXT_FIELD,         /* layout */
    ATLAS_P_TEXT_FONT,          /* layout: strings, fontconfig family names */
    ATLAS_P_TEXT_SIZE,          /* layout */
    ATLAS_P_TEXT_ANCHOR,        /* layout */
    ATLAS_P_TEXT_OFFSET,        /* layout: two numbers, in ems */
    ATLAS_P_TEXT_MAX_WIDTH,     /* layout: ems */
    ATLAS_P_TEXT_ALLOW_OVERLAP, /* layout: boolean */
    ATLAS_P_TEXT_OPTIONAL,      /* layout: boolean */
    ATLAS_P_SYMBOL_SORT_KEY,    /* layout: lower is placed first */
    ATLAS_P_TEXT_COLOR,
    ATLAS_P_TEXT_OPACITY,
    ATLAS_P_TEXT_HALO_COLOR,
    ATLAS_P_TEXT_HALO_WIDTH,
    ATLAS_P_VISIBILITY, /* layout: "visible" | "none" */
    ATLAS_N_PROPS
} atlas_prop;

typedef struct atlas_color {
    double r, g, b, a; /* 0..1, not premultiplied */
} atlas_color;

/* Looks up property NAME of an object for an expression's ["get", NAME].
 * Returns 1 and fills *OUT, or 0 when the object has no such property. */
typedef int (*atlas_getter)(const void *obj, const char *name,
                            atlas_value *out);

/* What an expression is evaluated against: one feature (OBJ through GET;
 * GET NULL for layer-constant values) at zoom ZOOM. */
typedef struct atlas_eval_ctx {
    atlas_getter get;
    const void *obj;
    double zoom;
} atlas_eval_ctx;

/* Parses the style file PATH. Returns a style the caller frees with
 * atlas_style_free(); on failure NULL with ERR naming the file, the JSON
 * path (e.g. "layers[3].paint.circle-radius") and the reason. */
atlas_style *atlas_style_load(const char *path, atlas_error *err);
/* The same for JSON text in memory; NAME stands for the file in messages. */
atlas_style *atlas_style_parse(const char *json, size_t len, const char *name,
                               atlas_error *err);
void atlas_style_free(atlas_style *st);

/* The style's "name", or NULL. Borrowed from ST. */
const char *atlas_style_name(const atlas_style *st);
size_t atlas_style_n_layers(const atlas_style *st);
/* Layer I in drawing order (bottom first). Borrowed from ST. */
const atlas_style_layer *atlas_style_layer_at(const atlas_style *st, size_t i);

const char *atlas_style_layer_id(const atlas_style_layer *l);
atlas_layer_type atlas_style_layer_type(const atlas_style_layer *l);
/* The layer's "source": "sites", "lines", or a basemap source ("land",
 * "ocean", "lakes", "rivers", "borders", "coast", "graticule"); NULL for
 * background layers. */
const char *atlas_style_layer_source(const atlas_style_layer *l);
/* The legend label from "metadata": {"atlas:legend": "..."}, or NULL when
 * the layer has no legend entry. */
const char *atlas_style_layer_legend(const atlas_style_layer *l);
/* A string from the layer's metadata object ("atlas:<KEY>"), or NULL. */
const char *atlas_style_layer_meta(const atlas_style_layer *l, const char *key);
/* 0 when "visibility" is "none". */
int atlas_style_layer_visible(const atlas_style_layer *l);

/* 1 when the layer's filter accepts CTX's object (no filter: 1). */
int atlas_style_layer_filter(const atlas_style_layer *l,
                             const atlas_eval_ctx *ctx);
/* 1 when property P is set on the layer (else defaults apply). */
int atlas_style_has(const atlas_style_layer *l, atlas_prop p);
/* 1 when P does not depend on the feature (it may depend on zoom). */
int atlas_style_is_constant(const atlas_style_layer *l, atlas_prop p);

/* Evaluates P for CTX. Each returns 1 with *OUT set, or 0 when P is unset
 * or evaluates to null or a wrong type (*OUT is then the MapLibre default
 * for P). */
int atlas_style_number(const atlas_style_layer *l, atlas_prop p,
                       const atlas_eval_ctx *ctx, double *out);
int atlas_style_color(const atlas_style_layer *l, atlas_prop p,
                      const atlas_eval_ctx *ctx, atlas_color *out);
int atlas_style_bool(const atlas_style_layer *l, atlas_prop p,
                     const atlas_eval_ctx *ctx, int *out);
/* Strings (text-field, enums such as line-cap) are copied into BUF of SIZE
 * bytes (truncated at a UTF-8 boundary). */
int atlas_style_string(const atlas_style_layer *l, atlas_prop p,
                       const atlas_eval_ctx *ctx, char *buf, size_t size);
/* Arrays: numbers (line-dasharray, text-offset) or strings (text-font;
 * each copied into the arena of ST, borrowed). Return the count, at most
 * MAX, 0 when unset. */
size_t atlas_style_numbers(const atlas_style_layer *l, atlas_prop p,
                           const atlas_eval_ctx *ctx, double *out, size_t max);
size_t atlas_style_strings(const atlas_style_layer *l, atlas_prop p,
                           const atlas_eval_ctx *ctx, const char **out,
                           size_t max);

/* Parses a CSS colour ("#rgb", "#rrggbb", "#rrggbbaa", "rgb()", "rgba()",
 * "hsl()", "hsla()", named colours). Returns 1 and fills *OUT, or 0. */
int atlas_style_parse_color(const char *s, atlas_color *out);

/* Added by the style module (nothing above changed): */

/* The "data" of source SOURCE (a file name such as "sites.geojson" or a
 * URL), or NULL when there is no such source or its data is inline
 * GeoJSON. Borrowed from ST. */
const char *atlas_style_source_data(const atlas_style *st, const char *source);
/* The layer's "minzoom" and "maxzoom" (0 and 24 when absent). */
void atlas_style_layer_zoom_range(const atlas_style_layer *l,
                                  double *minzoom /* OUT */,
                                  double *maxzoom /* OUT */);
/* The MapLibre name of P ("circle-radius"), or NULL out of range. */
const char *atlas_style_prop_name(atlas_prop p);

#endif /* ATLAS_STYLE_H */
