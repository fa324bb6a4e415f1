/* fuzz_style.c: the style JSON parser and the expression evaluator. Each
 * input is parsed with atlas_style_parse(); a style that loads has every
 * property of every layer evaluated, with every accessor, against a few
 * synthetic features (a camp with a count, a line with none, a feature
 * with odd values), and every layer's filter run on them. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "style.h"

struct prop {
    const char *name;
    atlas_value_type type;
    double num;
    const char *str;
};

static const struct prop camp[] = {
    {"kind", ATLAS_V_STRING, 0, "camp"},
    {"layer", ATLAS_V_STRING, 0, "sites"},
    {"prisoners", ATLAS_V_NUMBER, 73000, NULL},
    {"name", ATLAS_V_STRING, 0, "Vorkutlag"},
    {"name_ru", ATLAS_V_STRING, 0, "\xd0\x92\xd0\xbe\xd1\x80"},
    {"location_precision", ATLAS_V_STRING, 0, "settlement"},
    {"victims_max", ATLAS_V_NUMBER, 1e6, NULL},
    {NULL, 0, 0, NULL}};
static const struct prop line[] = {{"kind", ATLAS_V_STRING, 0, "railway"},
                                   {"layer", ATLAS_V_STRING, 0, "lines"},
                                   {"prisoners", ATLAS_V_NULL, 0, NULL},
                                   {"name", ATLAS_V_STRING, 0, ""},
                                   {NULL, 0, 0, NULL}};
static const struct prop odd[] = {
    {"kind", ATLAS_V_NUMBER, -0.0, NULL},
    {"prisoners", ATLAS_V_NUMBER, 1e308, NULL},
    {"victims_max", ATLAS_V_NUMBER, -1e308, NULL},
    {"name", ATLAS_V_STRING, 0, "<b>%s%n&amp;\x1b[31m\xe2\x80\x8f"},
    {"flag", ATLAS_V_BOOL, 1, NULL},
    {"nan", ATLAS_V_NUMBER, NAN, NULL},
    {"inf", ATLAS_V_NUMBER, INFINITY, NULL},
    {NULL, 0, 0, NULL}};

static int
get(const void *obj, const char *name, atlas_value *out)
{
    for (const struct prop *p = obj; p->name != NULL; p++) {
        if (strcmp(p->name, name) == 0) {
            out->type = p->type;
            out->num = p->num;
            out->b = p->num != 0;
            out->str = p->str;
            return 1;
        }
    }
    out->type = ATLAS_V_NULL;
    return 0;
}

static void
eval_layer(const atlas_style_layer *l, const atlas_eval_ctx *ctx)
{
    char buf[256];
    double nums[8];
    const char *strs[8];
    atlas_color c;
    double d;
    int b;

    (void)atlas_style_layer_filter(l, ctx);
    for (int p = 0; p < ATLAS_N_PROPS; p++) {
        if (!atlas_style_has(l, (atlas_prop)p))
            continue;
        (void)atlas_style_is_constant(l, (atlas_prop)p);
        (void)atlas_style_number(l, (atlas_prop)p, ctx, &d);
        (void)atlas_style_color(l, (atlas_prop)p, ctx, &c);
        (void)atlas_style_bool(l, (atlas_prop)p, ctx, &b);
        (void)atlas_style_string(l, (atlas_prop)p, ctx, buf, sizeof buf);
        (void)atlas_style_string(l, (atlas_prop)p, ctx, buf, 3);
        (void)atlas_style_numbers(l, (atlas_prop)p, ctx, nums, 8);
        (void)atlas_style_strings(l, (atlas_prop)p, ctx, strs, 8);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct prop *const objs[] = {camp, line, odd};
    static const double zooms[] = {0, 3.5, 24, -1};
    atlas_error err = {0};
    atlas_style *st =
        atlas_style_parse((const char *)data, size, "fuzz.json", &err);

    if (st == NULL)
        return 0;
    (void)atlas_style_name(st);
    (void)atlas_style_source_data(st, "sites");
    for (size_t i = 0; i < atlas_style_n_layers(st); i++) {
        const atlas_style_layer *l = atlas_style_layer_at(st, i);
        double z0, z1;
        (void)atlas_style_layer_id(l);
        (void)atlas_style_layer_type(l);
        (void)atlas_style_layer_source(l);
        (void)atlas_style_layer_legend(l);
        (void)atlas_style_layer_meta(l, "legend-size");
        (void)atlas_style_layer_visible(l);
        atlas_style_layer_zoom_range(l, &z0, &z1);
        for (size_t z = 0; z < sizeof zooms / sizeof *zooms; z++) {
            atlas_eval_ctx nofeat = {NULL, NULL, zooms[z]};
            eval_layer(l, &nofeat);
            for (size_t o = 0; o < sizeof objs / sizeof *objs; o++) {
                atlas_eval_ctx ctx = {get, objs[o], zooms[z]};
                eval_layer(l, &ctx);
            }
        }
    }
    atlas_style_free(st);
    return 0;
}
