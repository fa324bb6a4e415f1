/* test_style.c: the style module. Without arguments: expressions (each
 * operator and its edge cases), colours, filters, defaults and the exact
 * messages of bad styles. With arguments: parses each named style file
 * (the shipped styles) and checks what atlas relies on in them. */
#include "style.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "style_private.h"

/* ---- a feature to evaluate against -------------------------------------- */

static const struct prop {
    const char *name;
    atlas_value_type type;
    double num;
    const char *str;
} feature[] = {
    {"kind", ATLAS_V_STRING, 0, "camp"},
    {"prisoners", ATLAS_V_NUMBER, 10000, NULL},
    {"name", ATLAS_V_STRING, 0, "Vorkutlag"},
    {"name_ru", ATLAS_V_STRING, 0, "Воркутлаг"},
    {"zero", ATLAS_V_NUMBER, 0, NULL},
    {"five", ATLAS_V_STRING, 0, "5"},
    {"flag", ATLAS_V_BOOL, 1, NULL},
    {"precision", ATLAS_V_STRING, 0, "settlement"},
    {"explicit_null", ATLAS_V_NULL, 0, NULL},
};

static int
get(const void *obj, const char *name, atlas_value *out)
{
    (void)obj;
    for (size_t i = 0; i < sizeof feature / sizeof *feature; i++) {
        if (strcmp(feature[i].name, name) == 0) {
            out->type = feature[i].type;
            out->num = feature[i].num;
            out->b = feature[i].num != 0;
            out->str = feature[i].str;
            return 1;
        }
    }
    return 0;
}

static atlas_xpool *pool;
static atlas_error err;
static char scratch_buf[2048];

/* Compiles JSON (an expression) for WANT; NULL with err set on failure. */
static atlas_expr *
compile(const char *json, atlas_xtype want)
{
    atlas_xenv env;
    json_object *j = json_tokener_parse(json);
    atlas_expr *e;

    if (j == NULL) {
        fprintf(stderr, "bad test JSON: %s\n", json);
        return NULL;
    }
    memset(&env, 0, sizeof env);
    env.file = "t.json";
    env.pool = &pool;
    env.item_type = ATLAS_XT_ANY;
    atlas_error_init(&err);
    e = atlas_expr_compile(j, want, &env, "x", &err);
    json_object_put(j);
    return e;
}

/* Evaluates JSON against the feature at zoom 3. */
static atlas_xval
ev(const char *json)
{
    atlas_eval_ctx ctx = {get, NULL, 3};
    atlas_xscratch s = {scratch_buf, sizeof scratch_buf, 0};
    atlas_expr *e = compile(json, ATLAS_XT_ANY);
    atlas_xval bad;

    if (e == NULL) {
        fprintf(stderr, "does not compile: %s: %s\n", json, err.msg);
        memset(&bad, 0, sizeof bad);
        bad.type = ATLAS_XT_ERROR;
        return bad;
    }
    return atlas_expr_eval(e, &ctx, &s);
}

static int
is_num(const char *json, double want)
{
    atlas_xval v = ev(json);
    if (v.type == ATLAS_XT_NUMBER &&
        (v.u.num == want || fabs(v.u.num - want) < 1e-9))
        return 1;
    fprintf(stderr, "  %s: got type %d, %g; want %g\n", json, v.type,
            v.type == ATLAS_XT_NUMBER ? v.u.num : 0.0, want);
    return 0;
}

static int
is_str(const char *json, const char *want)
{
    atlas_xval v = ev(json);
    if (v.type == ATLAS_XT_STRING && strcmp(v.u.str, want) == 0)
        return 1;
    fprintf(stderr, "  %s: got type %d \"%s\"; want \"%s\"\n", json, v.type,
            v.type == ATLAS_XT_STRING ? v.u.str : "", want);
    return 0;
}

static int
is_bool(const char *json, int want)
{
    atlas_xval v = ev(json);
    if (v.type == ATLAS_XT_BOOL && v.u.b == want)
        return 1;
    fprintf(stderr, "  %s: got type %d; want %s\n", json, v.type,
            want ? "true" : "false");
    return 0;
}

static int
is_type(const char *json, atlas_xtype want)
{
    atlas_xval v = ev(json);
    if (v.type == want)
        return 1;
    fprintf(stderr, "  %s: got type %d; want type %d\n", json, v.type, want);
    return 0;
}

/* 1 when JSON fails to compile with exactly the message WANT. */
static int
compile_error(const char *json, const char *want)
{
    atlas_expr *e = compile(json, ATLAS_XT_ANY);
    if (e == NULL && strcmp(err.msg, want) == 0)
        return 1;
    fprintf(stderr, "  %s:\n    got  \"%s\"\n    want \"%s\"\n", json,
            e == NULL ? err.msg : "(compiled)", want);
    return 0;
}

static void
test_expressions(void)
{
    /* get, has, literal */
    CHECK(is_num("[\"get\", \"prisoners\"]", 10000));
    CHECK(is_str("[\"get\", \"kind\"]", "camp"));
    CHECK(is_type("[\"get\", \"nope\"]", ATLAS_XT_NULL));
    CHECK(is_type("[\"get\", \"explicit_null\"]", ATLAS_XT_NULL));
    CHECK(is_bool("[\"get\", \"flag\"]", 1));
    CHECK(is_bool("[\"has\", \"kind\"]", 1));
    CHECK(is_bool("[\"has\", \"nope\"]", 0));
    CHECK(is_bool("[\"has\", \"explicit_null\"]", 0));
    CHECK(is_type("[\"literal\", [1, 2]]", ATLAS_XT_ARRAY));
    CHECK(is_str("[\"literal\", \"get\"]", "get"));
    CHECK(is_num("[\"zoom\"]", 3));

    /* comparisons: null propagation and type mismatches */
    CHECK(is_bool("[\"==\", [\"get\", \"kind\"], \"camp\"]", 1));
    CHECK(is_bool("[\"==\", [\"get\", \"kind\"], \"prison\"]", 0));
    CHECK(is_bool("[\"==\", [\"get\", \"five\"], 5]", 0)); /* no coercion */
    CHECK(is_bool("[\"!=\", [\"get\", \"five\"], 5]", 1));
    CHECK(is_bool("[\"==\", [\"get\", \"nope\"], null]", 1));
    CHECK(is_bool("[\"==\", [\"get\", \"nope\"], 0]", 0));
    CHECK(is_bool("[\"<\", [\"get\", \"prisoners\"], 20000]", 1));
    CHECK(is_bool("[\">=\", [\"get\", \"prisoners\"], 10000]", 1));
    CHECK(is_bool("[\">\", [\"get\", \"prisoners\"], 10000]", 0));
    CHECK(is_bool("[\"<=\", [\"get\", \"zero\"], 0]", 1));
    CHECK(is_bool("[\"<\", [\"get\", \"kind\"], \"canal\"]", 1));
    CHECK(is_bool("[\">\", [\"get\", \"kind\"], \"canal\"]", 0));
    CHECK(is_bool("[\">\", [\"get\", \"kind\"], \"Zoo\"]", 1)); /* bytes */
    CHECK(is_type("[\"<\", [\"get\", \"nope\"], 5]", ATLAS_XT_ERROR));
    CHECK(is_type("[\"<\", [\"get\", \"kind\"], 5]", ATLAS_XT_ERROR));
    CHECK(compile_error("[\"==\", 1, \"a\"]",
                        "t.json: x: cannot compare a number and a string"));

    /* all, any, ! */
    CHECK(is_bool("[\"all\"]", 1));
    CHECK(is_bool("[\"any\"]", 0));
    CHECK(is_bool("[\"all\", true, [\"has\", \"kind\"]]", 1));
    CHECK(is_bool("[\"all\", true, false]", 0));
    CHECK(is_bool("[\"any\", false, [\"has\", \"kind\"]]", 1));
    /* short circuit: the failing ! is never evaluated */
    CHECK(is_bool("[\"any\", true, [\"!\", [\"get\", \"kind\"]]]", 1));
    CHECK(is_bool("[\"all\", false, [\"!\", [\"get\", \"kind\"]]]", 0));
    CHECK(is_type("[\"all\", true, [\"!\", [\"get\", \"kind\"]]]",
                  ATLAS_XT_ERROR));
    CHECK(is_bool("[\"!\", [\"has\", \"nope\"]]", 1));
    CHECK(is_type("[\"!\", [\"get\", \"nope\"]]", ATLAS_XT_ERROR));
    CHECK(
        compile_error("[\"!\", 3]", "t.json: x[1]: expected a boolean, got 3"));

    /* match */
    CHECK(is_num("[\"match\", [\"get\", \"kind\"], \"camp\", 1, 2]", 1));
    CHECK(is_num("[\"match\", [\"get\", \"kind\"], [\"prison\", \"camp\"], "
                 "1, \"transit\", 3, 2]",
                 1));
    CHECK(is_num("[\"match\", [\"get\", \"kind\"], \"prison\", 1, 2]", 2));
    CHECK(is_num("[\"match\", [\"get\", \"nope\"], \"camp\", 1, 2]", 2));
    CHECK(is_num("[\"match\", [\"get\", \"prisoners\"], \"camp\", 1, 2]",
                 2)); /* a number against string labels: the fallback */
    CHECK(is_num("[\"match\", [\"get\", \"prisoners\"], [1, 10000], 7, 2]", 7));
    CHECK(compile_error("[\"match\", [\"get\", \"kind\"], \"a\", 1]",
                        "t.json: x: \"match\" takes at least 4 arguments, "
                        "got 3"));
    CHECK(compile_error("[\"match\", [\"get\", \"kind\"], \"a\", 1, \"b\", 2]",
                        "t.json: x: expected [\"match\", input, label, "
                        "output, ..., fallback]: an even number of "
                        "arguments"));
    CHECK(compile_error("[\"match\", [\"get\", \"k\"], \"a\", 1, \"a\", 2, 3]",
                        "t.json: x[4]: duplicate label \"a\""));
    CHECK(compile_error("[\"match\", [\"get\", \"k\"], \"a\", 1, 5, 2, 3]",
                        "t.json: x[4]: labels must all be strings or all "
                        "numbers"));
    CHECK(compile_error("[\"match\", [\"get\", \"k\"], 1.5, 1, 3]",
                        "t.json: x[2]: expected a string or integer label, "
                        "got 1.5"));

    /* case, coalesce */
    CHECK(is_str("[\"case\", [\"has\", \"nope\"], \"a\", [\"has\", "
                 "\"kind\"], \"b\", \"c\"]",
                 "b"));
    CHECK(is_str("[\"case\", false, \"a\", \"c\"]", "c"));
    CHECK(is_type("[\"case\", [\"get\", \"kind\"], \"a\", \"c\"]",
                  ATLAS_XT_ERROR));
    CHECK(is_num("[\"coalesce\", [\"get\", \"nope\"], [\"get\", "
                 "\"prisoners\"], 0]",
                 10000));
    CHECK(is_num("[\"coalesce\", [\"get\", \"nope\"], 0]", 0));
    CHECK(is_type("[\"coalesce\", [\"get\", \"nope\"], [\"get\", \"no\"]]",
                  ATLAS_XT_NULL));

    /* interpolate: clamping, stops, exponential, colours, arrays */
#define INTERP(field)                                                          \
    "[\"interpolate\", [\"linear\"], [\"get\", \"" field                       \
    "\"], 100, 10, 1000, 20]"
    CHECK(is_num(INTERP("prisoners"), 20)); /* above the last: clamped */
    CHECK(is_num(INTERP("zero"), 10));      /* below the first: clamped */
    CHECK(is_type(INTERP("nope"), ATLAS_XT_ERROR)); /* no input: fails */
    CHECK(is_type(INTERP("kind"), ATLAS_XT_ERROR)); /* not a number */
    CHECK(
        is_num("[\"interpolate\", [\"linear\"], 550, 100, 10, 1000, 20]", 15));
    CHECK(
        is_num("[\"interpolate\", [\"linear\"], 100, 100, 10, 1000, 20]", 10));
    CHECK(
        is_num("[\"interpolate\", [\"linear\"], 1000, 100, 10, 1000, 20]", 20));
    CHECK(
        is_num("[\"interpolate\", [\"linear\"], 5, 0, 0, 10, 100, 20, 0]", 50));
    CHECK(is_num("[\"interpolate\", [\"linear\"], 15, 0, 0, 10, 100, 20, 0]",
                 50));
    CHECK(is_num("[\"interpolate\", [\"exponential\", 2], 1, 0, 0, 2, 30]",
                 10)); /* (2^1 - 1) / (2^2 - 1) = 1/3 of the way */
    CHECK(is_num("[\"interpolate\", [\"linear\"], [\"sqrt\", [\"get\", "
                 "\"prisoners\"]], 0, 0, 200, 20]",
                 10));
    {
        atlas_xval v = ev("[\"interpolate\", [\"linear\"], 0.5, 0, "
                          "[\"to-color\", \"#000000\"], 1, [\"to-color\", "
                          "\"#fff\"]]");
        CHECK(v.type == ATLAS_XT_COLOR && fabs(v.u.color.r - 0.5) < 1e-9 &&
              fabs(v.u.color.a - 1) < 1e-9);
        v = ev("[\"interpolate\", [\"linear\"], 0.5, 0, [\"literal\", [0, "
               "2]], 1, [\"literal\", [2, 4]]]");
        CHECK(v.type == ATLAS_XT_ARRAY && v.u.arr->n == 2 &&
              v.u.arr->items[0].u.num == 1 && v.u.arr->items[1].u.num == 3);
    }
    CHECK(compile_error("[\"interpolate\", [\"linear\"], 1, 10, 1, 5, 2]",
                        "t.json: x[5]: stops must be numbers in strictly "
                        "ascending order"));
    CHECK(compile_error("[\"interpolate\", [\"cubic\"], 1, 1, 1]",
                        "t.json: x[1]: expected [\"linear\"] or "
                        "[\"exponential\", base]"));
    CHECK(compile_error("[\"interpolate\", [\"linear\"], \"a\", 1, 1]",
                        "t.json: x[2]: expected a number, got \"a\""));

    /* step: boundaries belong to the stop at them */
    CHECK(is_str("[\"step\", 5, \"a\", 10, \"b\", 20, \"c\"]", "a"));
    CHECK(is_str("[\"step\", 10, \"a\", 10, \"b\", 20, \"c\"]", "b"));
    CHECK(is_str("[\"step\", 19.99, \"a\", 10, \"b\", 20, \"c\"]", "b"));
    CHECK(is_str("[\"step\", 20, \"a\", 10, \"b\", 20, \"c\"]", "c"));
    CHECK(is_str("[\"step\", 1e9, \"a\", 10, \"b\", 20, \"c\"]", "c"));
    CHECK(is_str("[\"step\", 1, \"only\"]", "only"));
    CHECK(is_type("[\"step\", [\"get\", \"kind\"], 1, 10, 2]", ATLAS_XT_ERROR));

    /* conversions */
    CHECK(is_num("[\"to-number\", [\"get\", \"five\"]]", 5));
    CHECK(is_num("[\"to-number\", \"\"]", 0));
    CHECK(is_num("[\"to-number\", [\"get\", \"nope\"]]", 0));
    CHECK(is_num("[\"to-number\", true]", 1));
    CHECK(is_num("[\"to-number\", \"1e3\"]", 1000));
    CHECK(is_type("[\"to-number\", \"abc\"]", ATLAS_XT_ERROR));
    CHECK(is_num("[\"to-number\", \"abc\", \"7\"]", 7));
    CHECK(is_str("[\"to-string\", [\"get\", \"prisoners\"]]", "10000"));
    CHECK(is_str("[\"to-string\", 0.5]", "0.5"));
    CHECK(is_str("[\"to-string\", [\"+\", 0.1, 0.2]]", "0.30000000000000004"));
    CHECK(is_str("[\"to-string\", [\"get\", \"nope\"]]", ""));
    CHECK(is_str("[\"to-string\", true]", "true"));
    CHECK(
        is_str("[\"to-string\", [\"to-color\", \"red\"]]", "rgba(255,0,0,1)"));
    CHECK(is_bool("[\"to-boolean\", \"\"]", 0));
    CHECK(is_bool("[\"to-boolean\", [\"get\", \"zero\"]]", 0));
    CHECK(is_bool("[\"to-boolean\", [\"get\", \"kind\"]]", 1));
    CHECK(is_str("[\"typeof\", [\"get\", \"prisoners\"]]", "number"));
    CHECK(is_str("[\"typeof\", [\"get\", \"nope\"]]", "null"));
    CHECK(is_num("[\"number\", [\"get\", \"kind\"], [\"get\", "
                 "\"prisoners\"]]",
                 10000));
    CHECK(is_type("[\"string\", [\"get\", \"prisoners\"]]", ATLAS_XT_ERROR));

    /* strings */
    CHECK(is_str("[\"concat\", [\"get\", \"name\"], \" (\", [\"get\", "
                 "\"prisoners\"], \")\"]",
                 "Vorkutlag (10000)"));
    CHECK(is_str("[\"concat\", \"a\", [\"get\", \"nope\"], \"b\"]", "ab"));
    CHECK(is_str("[\"concat\", [\"concat\", \"a\", 1], [\"concat\", \"b\", "
                 "2]]",
                 "a1b2"));
    CHECK(is_str("[\"upcase\", [\"get\", \"name_ru\"]]", "ВОРКУТЛАГ"));
    CHECK(is_str("[\"downcase\", \"ÉCOLE Ёлка\"]", "école ёлка"));
    CHECK(is_str("[\"upcase\", \"straße\"]", "STRAßE"));
    CHECK(is_type("[\"upcase\", [\"get\", \"prisoners\"]]", ATLAS_XT_ERROR));
    CHECK(is_str("[\"number-format\", 1234567.891, {}]", "1,234,567.891"));
    CHECK(is_str("[\"number-format\", 1234.5, {\"max-fraction-digits\": 0}]",
                 "1,235"));
    CHECK(is_str("[\"number-format\", -5, {\"min-fraction-digits\": 2}]",
                 "-5.00"));
    CHECK(is_str("[\"number-format\", 999, {\"locale\": \"en\"}]", "999"));

    /* arithmetic */
    CHECK(is_num("[\"+\", 1, 2, 3]", 6));
    CHECK(is_num("[\"-\", 5]", -5));
    CHECK(is_num("[\"-\", 5, 7]", -2));
    CHECK(is_num("[\"*\", 2, [\"get\", \"prisoners\"]]", 20000));
    CHECK(is_num("[\"/\", 7, 2]", 3.5));
    CHECK(is_num("[\"%\", 7, 3]", 1));
    CHECK(is_num("[\"%\", -7, 3]", -1)); /* JavaScript's sign */
    CHECK(is_num("[\"^\", 2, 10]", 1024));
    CHECK(is_num("[\"sqrt\", 16]", 4));
    CHECK(is_num("[\"ln\", [\"e\"]]", 1));
    CHECK(is_num("[\"log10\", 1000]", 3));
    CHECK(is_num("[\"log2\", 8]", 3));
    CHECK(is_num("[\"abs\", -3]", 3));
    CHECK(is_num("[\"min\", 3, 1, 2]", 1));
    CHECK(is_num("[\"max\", 3, 1, 2]", 3));
    CHECK(is_num("[\"round\", 2.5]", 3));
    CHECK(is_num("[\"round\", -2.5]", -3));
    CHECK(is_num("[\"floor\", -1.5]", -2));
    CHECK(is_num("[\"ceil\", 1.2]", 2));
    CHECK(is_num("[\"pi\"]", M_PI));
    CHECK(is_num("[\"-\", 0, [\"coalesce\", [\"get\", \"prisoners\"], 0]]",
                 -10000));
    {
        atlas_xval v = ev("[\"/\", 1, 0]");
        CHECK(v.type == ATLAS_XT_NUMBER && isinf(v.u.num));
        v = ev("[\"sqrt\", -1]");
        CHECK(v.type == ATLAS_XT_NUMBER && isnan(v.u.num));
    }
    CHECK(is_type("[\"+\", 1, [\"get\", \"kind\"]]", ATLAS_XT_ERROR));
    CHECK(is_type("[\"*\", 2, [\"get\", \"nope\"]]", ATLAS_XT_ERROR));
    CHECK(compile_error("[\"+\", 1, \"a\"]",
                        "t.json: x[2]: expected a number, got \"a\""));
    CHECK(compile_error("[\"sqrt\", 1, 2]",
                        "t.json: x: \"sqrt\" takes 1 argument, got 2"));
    CHECK(is_type("[\"rgb\", 255, 0, 0]", ATLAS_XT_COLOR));
    CHECK(is_type("[\"rgba\", 255, 0, 0, 2]", ATLAS_XT_ERROR));
    CHECK(is_bool("[\"in\", \"amp\", [\"get\", \"kind\"]]", 1));
    CHECK(is_bool("[\"in\", [\"get\", \"kind\"], [\"literal\", [\"prison\", "
                  "\"camp\"]]]",
                  1));
    CHECK(is_bool("[\"in\", [\"get\", \"kind\"], [\"literal\", "
                  "[\"prison\"]]]",
                  0));

    /* names of things that are not (yet) expressions */
    CHECK(compile_error("[\"gett\", \"kind\"]",
                        "t.json: x: unknown expression \"gett\""));
    CHECK(compile_error("[\"let\", \"a\", 1, [\"var\", \"a\"]]",
                        "t.json: x: expression \"let\" is not supported by "
                        "atlas"));
    CHECK(compile_error("[1, 2]",
                        "t.json: x: expected an expression name, got 1 (a "
                        "literal array is [\"literal\", [...]])"));
    CHECK(compile_error("[\"get\", [\"get\", \"a\"]]",
                        "t.json: x[1]: expected a property name (a string), "
                        "got an array"));

    /* constant subtrees are folded at load time */
    {
        atlas_xval k;
        atlas_expr *e = compile("[\"*\", 2, [\"+\", 1, 2]]", ATLAS_XT_ANY);
        CHECK(e != NULL && atlas_expr_constant(e, &k) && k.u.num == 6);
        e = compile("[\"*\", 2, [\"get\", \"prisoners\"]]", ATLAS_XT_ANY);
        CHECK(e != NULL && !atlas_expr_constant(e, &k) &&
              atlas_expr_uses_feature(e));
        e = compile("[\"concat\", \"a\", \"b\"]", ATLAS_XT_ANY);
        CHECK(e != NULL && atlas_expr_constant(e, &k) &&
              k.type == ATLAS_XT_STRING && strcmp(k.u.str, "ab") == 0);
        /* a folded string outlives the scratch it was made in */
        memset(scratch_buf, 'x', sizeof scratch_buf);
        CHECK(e != NULL && atlas_expr_constant(e, &k) &&
              strcmp(k.u.str, "ab") == 0);
    }
}

static int
color_is(const char *s, double r, double g, double b, double a)
{
    atlas_color c;
    if (!atlas_style_parse_color(s, &c)) {
        fprintf(stderr, "  colour %s: not parsed\n", s);
        return 0;
    }
    if (fabs(c.r - r) > 1e-3 || fabs(c.g - g) > 1e-3 || fabs(c.b - b) > 1e-3 ||
        fabs(c.a - a) > 1e-3) {
        fprintf(stderr, "  colour %s: %g %g %g %g\n", s, c.r, c.g, c.b, c.a);
        return 0;
    }
    return 1;
}

static void
test_colors(void)
{
    atlas_color c;

    CHECK(color_is("#f00", 1, 0, 0, 1));
    CHECK(color_is("#F0A", 1, 0, 170 / 255.0, 1));
    CHECK(color_is("#ff000080", 1, 0, 0, 128 / 255.0));
    CHECK(color_is("#f008", 1, 0, 0, 136 / 255.0));
    CHECK(color_is("#336699", 0.2, 0.4, 0.6, 1));
    CHECK(color_is("rgb(255, 0, 0)", 1, 0, 0, 1));
    CHECK(color_is("rgba(255,0,0,0.5)", 1, 0, 0, 0.5));
    CHECK(color_is("rgba(0, 0, 0, 0)", 0, 0, 0, 0));
    CHECK(color_is("rgb(100%, 50%, 0%)", 1, 0.5, 0, 1));
    CHECK(color_is("rgb(255 0 0 / 50%)", 1, 0, 0, 0.5));
    CHECK(color_is("rgb(300, -5, 0)", 1, 0, 0, 1)); /* clamped */
    CHECK(color_is("hsl(120, 100%, 50%)", 0, 1, 0, 1));
    CHECK(color_is("hsla(0, 100%, 50%, 0.25)", 1, 0, 0, 0.25));
    CHECK(color_is("hsl(240deg 100% 25%)", 0, 0, 0.5, 1));
    CHECK(color_is("hsl(0, 0%, 83%)", 0.83, 0.83, 0.83, 1));
    CHECK(color_is("steelblue", 70 / 255.0, 130 / 255.0, 180 / 255.0, 1));
    CHECK(color_is("  RED ", 1, 0, 0, 1));
    CHECK(color_is("transparent", 0, 0, 0, 0));
    CHECK(color_is("yellowgreen", 154 / 255.0, 205 / 255.0, 50 / 255.0, 1));
    CHECK(color_is("aliceblue", 240 / 255.0, 248 / 255.0, 1, 1));
    CHECK(!atlas_style_parse_color("#12", &c));
    CHECK(!atlas_style_parse_color("#ggg", &c));
    CHECK(!atlas_style_parse_color("rgb(1, 2)", &c));
    CHECK(!atlas_style_parse_color("rgb(1, 2, 3", &c));
    CHECK(!atlas_style_parse_color("rgb(100%, 2, 3)", &c));
    CHECK(!atlas_style_parse_color("rgb(1 2, 3)", &c));
    CHECK(!atlas_style_parse_color("hsl(1, 2, 3)", &c));
    CHECK(!atlas_style_parse_color("reddish", &c));
    CHECK(!atlas_style_parse_color("", &c));
    CHECK(!atlas_style_parse_color(NULL, &c));
}

/* ---- whole styles ------------------------------------------------------- */

#define HEAD                                                                   \
    "{\"version\": 8, \"sources\": {\"sites\": {\"type\": \"geojson\", "       \
    "\"data\": \"sites.geojson\"}}, \"layers\": ["

static atlas_style *
parse(const char *json)
{
    atlas_error_init(&err);
    return atlas_style_parse(json, strlen(json), "x.json", &err);
}

/* 1 when JSON fails to load with exactly the message WANT. */
static int
style_error(const char *json, const char *want)
{
    atlas_style *st = parse(json);
    if (st == NULL && strcmp(err.msg, want) == 0 && err.code == ATLAS_E_INPUT)
        return 1;
    fprintf(stderr, "  style:\n    got  \"%s\"\n    want \"%s\"\n",
            st == NULL ? err.msg : "(loaded)", want);
    atlas_style_free(st);
    return 0;
}

/* A circle layer with PAINT inside; for the error tests. */
static int
paint_error(const char *paint, const char *want)
{
    char json[2048];
    snprintf(json, sizeof json,
             HEAD "{\"id\": \"c\", \"type\": \"circle\", \"source\": "
                  "\"sites\", \"paint\": {%s}}]}",
             paint);
    return style_error(json, want);
}

static void
test_style_errors(void)
{
    CHECK(paint_error("\"circle-radius\": \"big\"",
                      "x.json: layers[0].paint.circle-radius: expected a "
                      "number or an expression, got \"big\""));
    CHECK(paint_error("\"circle-color\": \"reddish\"",
                      "x.json: layers[0].paint.circle-color: expected a "
                      "colour or an expression, got \"reddish\""));
    CHECK(paint_error("\"circle-color\": [\"match\", [\"get\", \"kind\"], "
                      "\"camp\", \"bleu\", \"red\"]",
                      "x.json: layers[0].paint.circle-color[3]: expected a "
                      "colour, got \"bleu\""));
    CHECK(paint_error("\"circle-opacity\": 2",
                      "x.json: layers[0].paint.circle-opacity: expected a "
                      "number from 0 to 1, got 2"));
    CHECK(paint_error("\"circle-radius\": -1",
                      "x.json: layers[0].paint.circle-radius: expected a "
                      "number >= 0, got -1"));
    CHECK(paint_error("\"circle-size\": 3",
                      "x.json: layers[0].paint.circle-size: unknown "
                      "property \"circle-size\""));
    CHECK(paint_error("\"line-width\": 3",
                      "x.json: layers[0].paint.line-width: \"line-width\" is "
                      "not a property of circle layers"));
    CHECK(paint_error("\"circle-sort-key\": 3",
                      "x.json: layers[0].paint.circle-sort-key: belongs in "
                      "\"layout\""));
    CHECK(paint_error("\"circle-radius\": {\"stops\": [[0, 1]]}",
                      "x.json: layers[0].paint.circle-radius: property "
                      "functions ({\"stops\": ...}) are not supported; use "
                      "an expression"));
    CHECK(paint_error("\"circle-radius\": [\"interpolate\", [\"linear\"], "
                      "[\"get\", \"prisoners\"], 0, 2, 100, \"x\"]",
                      "x.json: layers[0].paint.circle-radius[6]: expected a "
                      "number, got \"x\""));
    CHECK(paint_error("\"circle-radius\": [\"get\", \"kind\", \"x\"]",
                      "x.json: layers[0].paint.circle-radius: \"get\" takes "
                      "1 argument, got 2"));
    CHECK(paint_error("\"circle-radius\": [\"concat\", \"a\"]",
                      "x.json: layers[0].paint.circle-radius: expected a "
                      "number, got an expression giving a string"));
    /* ignored MapLibre properties load */
    {
        atlas_style *st = parse(HEAD "{\"id\": \"c\", \"type\": \"circle\", "
                                     "\"source\": \"sites\", \"paint\": "
                                     "{\"circle-blur\": 1}}]}");
        CHECK(st != NULL);
        atlas_style_free(st);
    }

    CHECK(style_error("{\"version\": 7, \"sources\": {}, \"layers\": []}",
                      "x.json: version: expected 8, got 7"));
    CHECK(style_error("{\"sources\": {}, \"layers\": []}",
                      "x.json: version: missing; expected 8"));
    CHECK(style_error("[]", "x.json: expected a style object, got an array"));
    CHECK(style_error("{\"version\": 8, \"sources\": {}}",
                      "x.json: layers: missing"));
    CHECK(style_error("{\"version\": 8, \"sources\": {}, \"layers\": [], "
                      "\"colour\": 1}",
                      "x.json: colour: unknown key \"colour\""));
    CHECK(style_error("{\"version\": 8, \"sources\": {\"t\": {\"type\": "
                      "\"vector\", \"url\": \"x\"}}, \"layers\": []}",
                      "x.json: sources.t: unsupported source type \"vector\" "
                      "(atlas reads geojson sources)"));
    CHECK(style_error(HEAD "{\"id\": \"h\", \"type\": \"hillshade\", "
                           "\"source\": \"sites\"}]}",
                      "x.json: layers[0].type: layer \"h\": unsupported "
                      "layer type \"hillshade\" (atlas draws background, "
                      "fill, line, circle and symbol layers)"));
    CHECK(style_error(HEAD "{\"id\": \"h\", \"type\": \"blob\", "
                           "\"source\": \"sites\"}]}",
                      "x.json: layers[0].type: layer \"h\": unknown layer "
                      "type \"blob\" (atlas draws background, fill, line, "
                      "circle and symbol layers)"));
    CHECK(style_error(HEAD "{\"id\": \"a\", \"type\": \"background\"}, "
                           "{\"id\": \"a\", \"type\": \"background\"}]}",
                      "x.json: layers[1].id: duplicate layer id \"a\""));
    CHECK(style_error(HEAD "{\"type\": \"background\"}]}",
                      "x.json: layers[0]: missing \"id\""));
    CHECK(style_error(HEAD "{\"id\": \"c\", \"type\": \"circle\"}]}",
                      "x.json: layers[0]: layer \"c\": missing \"source\""));
    CHECK(style_error(HEAD "{\"id\": \"c\", \"type\": \"circle\", "
                           "\"source\": \"camps\"}]}",
                      "x.json: layers[0].source: no source named \"camps\" "
                      "in \"sources\""));
    CHECK(style_error(HEAD "{\"id\": \"c\", \"type\": \"circle\", "
                           "\"source\": \"sites\", \"fliter\": true}]}",
                      "x.json: layers[0].fliter: unknown layer key "
                      "\"fliter\""));
    CHECK(style_error(HEAD "{\"id\": \"c\", \"type\": \"circle\", "
                           "\"source\": \"sites\", \"filter\": [\"==\", "
                           "\"kind\", \"camp\"]}]}",
                      "x.json: layers[0].filter: legacy filter syntax is "
                      "not supported; write [\"==\", [\"get\", \"field\"], "
                      "value]"));
    CHECK(style_error(HEAD "{\"id\": \"c\", \"type\": \"circle\", "
                           "\"source\": \"sites\", \"filter\": [\"all\", "
                           "[\"==\", [\"get\", \"a\"], 1], [\"gett\", "
                           "\"b\"]]}]}",
                      "x.json: layers[0].filter[2]: unknown expression "
                      "\"gett\""));
    {
        /* a filter known to be boolean only at run time: checked then */
        atlas_eval_ctx ctx = {get, NULL, 0};
        atlas_style *st = parse(HEAD "{\"id\": \"c\", \"type\": \"circle\", "
                                     "\"source\": \"sites\", \"filter\": "
                                     "[\"get\", \"flag\"]}, {\"id\": \"d\", "
                                     "\"type\": \"circle\", \"source\": "
                                     "\"sites\", \"filter\": [\"get\", "
                                     "\"kind\"]}]}");
        CHECK(st != NULL);
        if (st != NULL) {
            CHECK(atlas_style_layer_filter(atlas_style_layer_at(st, 0), &ctx));
            CHECK(!atlas_style_layer_filter(atlas_style_layer_at(st, 1), &ctx));
        }
        atlas_style_free(st);
    }
    CHECK(style_error(HEAD "{\"id\": \"c\", \"type\": \"circle\", "
                           "\"source\": \"sites\", \"filter\": 3}]}",
                      "x.json: layers[0].filter: expected a boolean or an "
                      "expression, got 3"));
    CHECK(style_error(HEAD "{\"id\": \"t\", \"type\": \"symbol\", "
                           "\"source\": \"sites\", \"layout\": "
                           "{\"text-font\": [\"/usr/share/fonts/a.ttf\"]}}]}",
                      "x.json: layers[0].layout.text-font[0]: expected a "
                      "font family name, got \"/usr/share/fonts/a.ttf\" (a "
                      "path; fonts are found by fontconfig)"));
    CHECK(style_error(HEAD "{\"id\": \"t\", \"type\": \"symbol\", "
                           "\"source\": \"sites\", \"layout\": "
                           "{\"text-offset\": [1, 2, 3]}}]}",
                      "x.json: layers[0].layout.text-offset: expected an "
                      "array of 2 numbers, got 3"));
    CHECK(style_error(HEAD "{\"id\": \"t\", \"type\": \"symbol\", "
                           "\"source\": \"sites\", \"layout\": "
                           "{\"text-anchor\": \"middle\"}}]}",
                      "x.json: layers[0].layout.text-anchor: expected one "
                      "of \"center\", \"left\", \"right\", \"top\", "
                      "\"bottom\", \"top-left\", \"top-right\", "
                      "\"bottom-left\", \"bottom-right\", got \"middle\""));
    CHECK(style_error(HEAD "{\"id\": \"l\", \"type\": \"line\", "
                           "\"source\": \"sites\", \"paint\": "
                           "{\"line-dasharray\": [2, -1]}}]}",
                      "x.json: layers[0].paint.line-dasharray[1]: expected "
                      "a number >= 0, got -1"));
    CHECK(style_error(HEAD "{\"id\": \"b\", \"type\": \"background\", "
                           "\"paint\": {\"background-color\": [\"get\", "
                           "\"c\"]}}]}",
                      "x.json: layers[0].paint.background-color: "
                      "\"background-color\" cannot depend on feature "
                      "properties (get, has)"));
    CHECK(style_error(HEAD "{\"id\": \"b\", \"type\": \"background\", "
                           "\"layout\": {\"visibility\": [\"literal\", "
                           "\"none\"]}}]}",
                      "x.json: layers[0].layout.visibility: expected a "
                      "string, got an array"));
    CHECK(style_error(HEAD "{\"id\": \"b\", \"type\": \"background\", "
                           "\"metadata\": {\"atlas:legend\": 3}}]}",
                      "x.json: layers[0].metadata.atlas:legend: expected a "
                      "string, got a number"));
    CHECK(style_error(HEAD "{\"id\": \"b\", \"type\": \"background\", "
                           "\"maxzoom\": 30}]}",
                      "x.json: layers[0].maxzoom: expected a number from 0 "
                      "to 24, got 30"));

    /* JSON syntax: file and line */
    CHECK(style_error("{\"version\": 8,\n\"sources\": {},\n\"layers\": [\n"
                      "  {\"id\": \"a\",, }\n]}",
                      "x.json:4: invalid JSON: quoted object property name "
                      "expected"));
    CHECK(style_error("{\"version\": 8,\n\"sources\": {}",
                      "x.json:2: invalid JSON: unexpected end of file"));
    CHECK(style_error("{\"version\": 8, \"name\": \"\xff\"}",
                      "x.json:1: invalid JSON: invalid utf-8 string"));
    CHECK(style_error("{\"version\": 8} x",
                      "x.json:1: invalid JSON: unexpected character"));
    CHECK(style_error("{\"version\": 8, /* c */ \"sources\": {}}",
                      "x.json:1: invalid JSON: quoted object property name "
                      "expected")); /* strict: no comments */
    CHECK(style_error("{\"version\": 8, \"sources\": {}, \"layers\": [1,]}",
                      "x.json:1: invalid JSON: unexpected character"));
    {
        /* 70 nested arrays */
        char deep[256] = "{\"version\": 8, \"x\": ";
        size_t n = strlen(deep);
        for (int i = 0; i < 70; i++)
            deep[n++] = '[';
        for (int i = 0; i < 70; i++)
            deep[n++] = ']';
        deep[n++] = '}';
        deep[n] = '\0';
        CHECK(style_error(deep, "x.json:1: invalid JSON: nested deeper than 64 "
                                "levels"));
    }
    {
        size_t big = 4 * 1024 * 1024 + 1;
        char *huge = malloc(big + 1);
        CHECK(huge != NULL);
        if (huge != NULL) {
            memset(huge, ' ', big);
            huge[0] = '{';
            huge[big - 1] = '}';
            huge[big] = '\0';
            CHECK(style_error(huge, "x.json: style is 4194305 bytes; at most "
                                    "4194304 are read"));
            free(huge);
        }
    }
    {
        atlas_error_init(&err);
        atlas_style *st = atlas_style_load("no/such/style.json", &err);
        CHECK(st == NULL && err.code == ATLAS_E_IO &&
              strcmp(err.msg, "no/such/style.json: No such file or "
                              "directory") == 0);
        atlas_error_init(&err);
    }
}

static void
test_style_reading(void)
{
    const char *json =
        "{\"version\": 8, \"name\": \"t\", \"sources\": {\"sites\": "
        "{\"type\": \"geojson\", \"data\": \"sites.geojson\"}, \"land\": "
        "{\"type\": \"geojson\", \"data\": {\"type\": "
        "\"FeatureCollection\", \"features\": []}}}, \"layers\": ["
        "{\"id\": \"bg\", \"type\": \"background\", \"paint\": "
        "{\"background-color\": \"#abc\"}},"
        "{\"id\": \"camps\", \"type\": \"circle\", \"source\": \"sites\", "
        " \"minzoom\": 2, \"metadata\": {\"atlas:legend\": \"Camp\", "
        " \"atlas:legend-size\": \"prisoners\", \"other\": 5},"
        " \"filter\": [\"all\", [\"==\", [\"get\", \"kind\"], \"camp\"], "
        "  [\"has\", \"prisoners\"]],"
        " \"paint\": {\"circle-radius\": [\"*\", 0.05, [\"sqrt\", "
        "  [\"get\", \"prisoners\"]]], \"circle-color\": [\"match\", "
        "  [\"get\", \"precision\"], \"settlement\", \"#ff0000\", "
        "  \"blue\"], \"circle-stroke-width\": [\"interpolate\", "
        "  [\"linear\"], [\"zoom\"], 0, 1, 10, 3]}},"
        "{\"id\": \"none\", \"type\": \"circle\", \"source\": \"sites\", "
        " \"filter\": [\"has\", \"nope\"], \"layout\": {\"visibility\": "
        " \"none\"}},"
        "{\"id\": \"f\", \"type\": \"fill\", \"source\": \"land\", \"paint\": "
        " {\"fill-color\": \"rgba(0, 255, 0, 0.5)\"}},"
        "{\"id\": \"l\", \"type\": \"line\", \"source\": \"sites\", "
        " \"layout\": {\"line-cap\": \"round\"}, \"paint\": "
        " {\"line-dasharray\": [4, 2], \"line-width\": [\"get\", "
        " \"kind\"]}},"
        "{\"id\": \"lab\", \"type\": \"symbol\", \"source\": \"sites\", "
        " \"layout\": {\"text-field\": \"{name} ({prisoners})\", "
        " \"text-font\": [\"DejaVu Sans\", \"Noto Sans\"], \"text-offset\": "
        " [0, 1.2], \"text-allow-overlap\": true, \"symbol-sort-key\": "
        " [\"-\", 0, [\"coalesce\", [\"get\", \"prisoners\"], 0]]}}]}";
    atlas_eval_ctx ctx = {get, NULL, 5};
    atlas_style *st = parse(json);
    const atlas_style_layer *l;
    double d, dz[4];
    atlas_color c;
    char buf[64];
    const char *fonts[4];
    int b;

    CHECK(st != NULL);
    if (st == NULL) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(strcmp(atlas_style_name(st), "t") == 0);
    CHECK(atlas_style_n_layers(st) == 6);
    CHECK(atlas_style_layer_at(st, 6) == NULL);
    CHECK(strcmp(atlas_style_source_data(st, "sites"), "sites.geojson") == 0);
    CHECK(atlas_style_source_data(st, "land") == NULL);
    CHECK(atlas_style_source_data(st, "nope") == NULL);

    l = atlas_style_layer_at(st, 0);
    CHECK(strcmp(atlas_style_layer_id(l), "bg") == 0);
    CHECK(atlas_style_layer_type(l) == ATLAS_STYLE_BACKGROUND);
    CHECK(atlas_style_layer_source(l) == NULL);
    CHECK(atlas_style_color(l, ATLAS_P_BACKGROUND_COLOR, NULL, &c) == 1 &&
          fabs(c.b - 0.8) < 1e-9);
    CHECK(atlas_style_number(l, ATLAS_P_BACKGROUND_OPACITY, NULL, &d) == 0 &&
          d == 1);
    CHECK(atlas_style_layer_filter(l, &ctx) == 1);
    CHECK(atlas_style_layer_legend(l) == NULL);
    CHECK(atlas_style_layer_visible(l));

    l = atlas_style_layer_at(st, 1);
    CHECK(strcmp(atlas_style_layer_source(l), "sites") == 0);
    CHECK(strcmp(atlas_style_layer_legend(l), "Camp") == 0);
    CHECK(strcmp(atlas_style_layer_meta(l, "legend-size"), "prisoners") == 0);
    CHECK(strcmp(atlas_style_layer_meta(l, "atlas:legend-size"), "prisoners") ==
          0);
    CHECK(atlas_style_layer_meta(l, "other") == NULL);
    CHECK(atlas_style_layer_filter(l, &ctx) == 1);
    CHECK(atlas_style_layer_filter(l, NULL) == 0);
    CHECK(atlas_style_has(l, ATLAS_P_CIRCLE_RADIUS));
    CHECK(!atlas_style_has(l, ATLAS_P_CIRCLE_OPACITY));
    CHECK(!atlas_style_is_constant(l, ATLAS_P_CIRCLE_RADIUS));
    CHECK(atlas_style_is_constant(l, ATLAS_P_CIRCLE_STROKE_WIDTH));
    CHECK(atlas_style_number(l, ATLAS_P_CIRCLE_RADIUS, &ctx, &d) == 1 &&
          fabs(d - 5) < 1e-9);
    /* no feature: get is null, sqrt fails, the default radius is used */
    CHECK(atlas_style_number(l, ATLAS_P_CIRCLE_RADIUS, NULL, &d) == 0 &&
          d == 5);
    CHECK(atlas_style_number(l, ATLAS_P_CIRCLE_STROKE_WIDTH, &ctx, &d) == 1 &&
          fabs(d - 2) < 1e-9);
    CHECK(atlas_style_color(l, ATLAS_P_CIRCLE_COLOR, &ctx, &c) == 1 &&
          c.r == 1 && c.b == 0);
    CHECK(atlas_style_color(l, ATLAS_P_CIRCLE_COLOR, NULL, &c) == 1 &&
          c.b == 1);
    CHECK(atlas_style_number(l, ATLAS_P_CIRCLE_OPACITY, &ctx, &d) == 0 &&
          d == 1);
    CHECK(atlas_style_color(l, ATLAS_P_CIRCLE_STROKE_COLOR, &ctx, &c) == 0 &&
          c.r == 0 && c.a == 1);
    {
        double mn, mx;
        atlas_style_layer_zoom_range(l, &mn, &mx);
        CHECK(mn == 2 && mx == 24);
    }

    l = atlas_style_layer_at(st, 2);
    CHECK(!atlas_style_layer_visible(l));
    CHECK(atlas_style_layer_filter(l, &ctx) == 0);
    CHECK(atlas_style_string(l, ATLAS_P_VISIBILITY, &ctx, buf, sizeof buf) ==
              1 &&
          strcmp(buf, "none") == 0);

    l = atlas_style_layer_at(st, 3);
    CHECK(strcmp(atlas_style_layer_source(l), "land") == 0);
    /* fill-outline-color defaults to the fill colour */
    CHECK(atlas_style_color(l, ATLAS_P_FILL_OUTLINE_COLOR, &ctx, &c) == 0 &&
          c.g == 1 && c.a == 0.5);

    l = atlas_style_layer_at(st, 4);
    CHECK(atlas_style_string(l, ATLAS_P_LINE_CAP, &ctx, buf, sizeof buf) == 1 &&
          strcmp(buf, "round") == 0);
    CHECK(atlas_style_string(l, ATLAS_P_LINE_JOIN, &ctx, buf, sizeof buf) ==
              0 &&
          strcmp(buf, "miter") == 0);
    CHECK(atlas_style_numbers(l, ATLAS_P_LINE_DASHARRAY, &ctx, dz, 4) == 2 &&
          dz[0] == 4 && dz[1] == 2);
    CHECK(atlas_style_numbers(l, ATLAS_P_LINE_DASHARRAY, &ctx, dz, 1) == 1);
    /* a string where a number is needed: the default */
    CHECK(atlas_style_number(l, ATLAS_P_LINE_WIDTH, &ctx, &d) == 0 && d == 1);
    /* asking a property of another type gets nothing */
    CHECK(atlas_style_numbers(l, ATLAS_P_TEXT_FONT, &ctx, dz, 4) == 0);

    l = atlas_style_layer_at(st, 5);
    CHECK(atlas_style_string(l, ATLAS_P_TEXT_FIELD, &ctx, buf, sizeof buf) ==
              1 &&
          strcmp(buf, "Vorkutlag (10000)") == 0);
    CHECK(atlas_style_string(l, ATLAS_P_TEXT_FIELD, &ctx, buf, 5) == 1 &&
          strcmp(buf, "Vork") == 0);
    CHECK(atlas_style_strings(l, ATLAS_P_TEXT_FONT, &ctx, fonts, 4) == 2 &&
          strcmp(fonts[0], "DejaVu Sans") == 0 &&
          strcmp(fonts[1], "Noto Sans") == 0);
    CHECK(atlas_style_numbers(l, ATLAS_P_TEXT_OFFSET, &ctx, dz, 4) == 2 &&
          dz[1] == 1.2);
    CHECK(atlas_style_bool(l, ATLAS_P_TEXT_ALLOW_OVERLAP, &ctx, &b) == 1 &&
          b == 1);
    CHECK(atlas_style_bool(l, ATLAS_P_TEXT_OPTIONAL, &ctx, &b) == 0 && b == 0);
    CHECK(atlas_style_number(l, ATLAS_P_SYMBOL_SORT_KEY, &ctx, &d) == 1 &&
          d == -10000);
    CHECK(atlas_style_number(l, ATLAS_P_TEXT_SIZE, &ctx, &d) == 0 && d == 16);
    CHECK(atlas_style_color(l, ATLAS_P_TEXT_HALO_COLOR, &ctx, &c) == 0 &&
          c.a == 0);
    CHECK(strcmp(atlas_style_prop_name(ATLAS_P_CIRCLE_RADIUS),
                 "circle-radius") == 0);
    CHECK(atlas_style_prop_name(ATLAS_N_PROPS) == NULL);
    atlas_style_free(st);
    atlas_style_free(NULL);
}

/* ---- shipped styles ------------------------------------------------------ */

/* A camp at exact precision with PRISONERS (< 0: no count). */
static double camp_prisoners;

static int
get_camp(const void *obj, const char *name, atlas_value *out)
{
    (void)obj;
    memset(out, 0, sizeof *out);
    if (strcmp(name, "kind") == 0 || strcmp(name, "location_precision") == 0) {
        out->type = ATLAS_V_STRING;
        out->str = name[0] == 'k' ? "camp" : "exact";
        return 1;
    }
    if (strcmp(name, "prisoners") == 0 && camp_prisoners >= 0) {
        out->type = ATLAS_V_NUMBER;
        out->num = camp_prisoners;
        return 1;
    }
    return 0;
}

/* How ST draws a camp with PRISONERS (< 0: none): the number of visible
 * circle layers with a legend that take it, and the radius of the last. */
static int
camp_layers(const atlas_style *st, double prisoners, double *radius, int *sized)
{
    atlas_eval_ctx ctx = {get_camp, NULL, 4};
    int n = 0;

    camp_prisoners = prisoners;
    *radius = 0;
    *sized = 0;
    for (size_t i = 0; i < atlas_style_n_layers(st); i++) {
        const atlas_style_layer *l = atlas_style_layer_at(st, i);
        const char *src = atlas_style_layer_source(l);
        if (src == NULL || strcmp(src, "sites") != 0 ||
            atlas_style_layer_legend(l) == NULL ||
            !atlas_style_layer_filter(l, &ctx))
            continue;
        n++;
        if (atlas_style_layer_type(l) == ATLAS_STYLE_CIRCLE)
            atlas_style_number(l, ATLAS_P_CIRCLE_RADIUS, &ctx, radius);
        *sized = atlas_style_layer_meta(l, "legend-size") != NULL;
    }
    return n;
}

/* Loads PATH and checks what atlas relies on: the sites and lines sources
 * and data files, a legend entry, labels from "name", fonts by family. */
static void
check_shipped(const char *path)
{
    atlas_error e;
    atlas_style *st;
    int legends = 0, labels = 0, sized = 0;

    atlas_error_init(&e);
    st = atlas_style_load(path, &e);
    if (st == NULL) {
        fprintf(stderr, "%s\n", e.msg);
        n_checks++;
        n_failed++;
        return;
    }
    CHECK(atlas_style_name(st) != NULL);
    CHECK(atlas_style_source_data(st, "sites") != NULL &&
          strcmp(atlas_style_source_data(st, "sites"), "sites.geojson") == 0);
    CHECK(atlas_style_source_data(st, "lines") != NULL &&
          strcmp(atlas_style_source_data(st, "lines"), "lines.geojson") == 0);
    CHECK(atlas_style_n_layers(st) > 0 &&
          atlas_style_layer_type(atlas_style_layer_at(st, 0)) ==
              ATLAS_STYLE_BACKGROUND);
    for (size_t i = 0; i < atlas_style_n_layers(st); i++) {
        const atlas_style_layer *l = atlas_style_layer_at(st, i);
        const char *fonts[8];
        legends += atlas_style_layer_legend(l) != NULL;
        sized += atlas_style_layer_meta(l, "legend-size") != NULL;
        if (atlas_style_layer_type(l) == ATLAS_STYLE_SYMBOL) {
            labels++;
            CHECK(atlas_style_strings(l, ATLAS_P_TEXT_FONT, NULL, fonts, 8) >
                  0);
        }
    }
    CHECK(legends >= 8);
    {
        /* counted camps: one sized layer, area proportional to the count
         * (4 times the prisoners, twice the radius) */
        double r1, r4;
        int sized;
        CHECK(camp_layers(st, 10000, &r1, &sized) == 1 && sized);
        CHECK(camp_layers(st, 40000, &r4, &sized) == 1 && sized);
        CHECK(r1 > 0 && fabs(r4 / r1 - 2) < 1e-9);
        /* a camp with no count: drawn, by its own layer, never as zero */
        CHECK(camp_layers(st, -1, &r1, &sized) == 1 && !sized);
        /* a count of zero is still a visible circle */
        CHECK(camp_layers(st, 0, &r1, &sized) == 1 && sized && r1 >= 1);
    }
    CHECK(labels >= 1);
    CHECK(sized >= 1);
    atlas_style_free(st);
}

int
main(int argc, char **argv)
{
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            check_shipped(argv[i]);
    } else {
        test_expressions();
        test_colors();
        test_style_errors();
        test_style_reading();
    }
    atlas_xpool_free(pool);
    return check_summary();
}
