/* style_expr.c: the expression language of styles (a subset of MapLibre
 * expressions, docs/styles.md): compiling JSON into a tree once, then
 * evaluating it per feature without allocating, and CSS colours.
 * Knows json-c and values; nothing of layers, properties or drawing. */
#include "style_private.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the pool ---------------------------------------------------------- */

struct atlas_xpool {
    struct atlas_xpool *next;
    size_t used, size;
    max_align_t data[];
};

#define POOL_BLOCK (16 * 1024)

void *
atlas_xpool_alloc(atlas_xpool **pool, size_t n)
{
    atlas_xpool *p = *pool;
    size_t align = sizeof(max_align_t);
    size_t need = (n + align - 1) / align * align;

    if (need < n)
        return NULL;
    if (p == NULL || p->size - p->used < need) {
        size_t size = need > POOL_BLOCK ? need : POOL_BLOCK;
        atlas_xpool *b = malloc(sizeof *b + size);
        if (b == NULL)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = p;
        *pool = b;
        p = b;
    }
    void *r = (char *)p->data + p->used;
    p->used += need;
    memset(r, 0, n);
    return r;
}

char *
atlas_xpool_strdup(atlas_xpool **pool, const char *s)
{
    size_t n = strlen(s);
    char *r = atlas_xpool_alloc(pool, n + 1);
    if (r != NULL)
        memcpy(r, s, n + 1);
    return r;
}

void
atlas_xpool_free(atlas_xpool *pool)
{
    while (pool != NULL) {
        atlas_xpool *next = pool->next;
        free(pool);
        pool = next;
    }
}

/* ---- colours ------------------------------------------------------------ */

/* CSS named colours (CSS Color 4), sorted for bsearch. */
static const struct named_color {
    const char *name;
    unsigned char r, g, b;
} named_colors[] = {
    {"aliceblue", 240, 248, 255},
    {"antiquewhite", 250, 235, 215},
    {"aqua", 0, 255, 255},
    {"aquamarine", 127, 255, 212},
    {"azure", 240, 255, 255},
    {"beige", 245, 245, 220},
    {"bisque", 255, 228, 196},
    {"black", 0, 0, 0},
    {"blanchedalmond", 255, 235, 205},
    {"blue", 0, 0, 255},
    {"blueviolet", 138, 43, 226},
    {"brown", 165, 42, 42},
    {"burlywood", 222, 184, 135},
    {"cadetblue", 95, 158, 160},
    {"chartreuse", 127, 255, 0},
    {"chocolate", 210, 105, 30},
    {"coral", 255, 127, 80},
    {"cornflowerblue", 100, 149, 237},
    {"cornsilk", 255, 248, 220},
    {"crimson", 220, 20, 60},
    {"cyan", 0, 255, 255},
    {"darkblue", 0, 0, 139},
    {"darkcyan", 0, 139, 139},
    {"darkgoldenrod", 184, 134, 11},
    {"darkgray", 169, 169, 169},
    {"darkgreen", 0, 100, 0},
    {"darkgrey", 169, 169, 169},
    {"darkkhaki", 189, 183, 107},
    {"darkmagenta", 139, 0, 139},
    {"darkolivegreen", 85, 107, 47},
    {"darkorange", 255, 140, 0},
    {"darkorchid", 153, 50, 204},
    {"darkred", 139, 0, 0},
    {"darksalmon", 233, 150, 122},
    {"darkseagreen", 143, 188, 143},
    {"darkslateblue", 72, 61, 139},
    {"darkslategray", 47, 79, 79},
    {"darkslategrey", 47, 79, 79},
    {"darkturquoise", 0, 206, 209},
    {"darkviolet", 148, 0, 211},
    {"deeppink", 255, 20, 147},
    {"deepskyblue", 0, 191, 255},
    {"dimgray", 105, 105, 105},
    {"dimgrey", 105, 105, 105},
    {"dodgerblue", 30, 144, 255},
    {"firebrick", 178, 34, 34},
    {"floralwhite", 255, 250, 240},
    {"forestgreen", 34, 139, 34},
    {"fuchsia", 255, 0, 255},
    {"gainsboro", 220, 220, 220},
    {"ghostwhite", 248, 248, 255},
    {"gold", 255, 215, 0},
    {"goldenrod", 218, 165, 32},
    {"gray", 128, 128, 128},
    {"green", 0, 128, 0},
    {"greenyellow", 173, 255, 47},
    {"grey", 128, 128, 128},
    {"honeydew", 240, 255, 240},
    {"hotpink", 255, 105, 180},
    {"indianred", 205, 92, 92},
    {"indigo", 75, 0, 130},
    {"ivory", 255, 255, 240},
    {"khaki", 240, 230, 140},
    {"lavender", 230, 230, 250},
    {"lavenderblush", 255, 240, 245},
    {"lawngreen", 124, 252, 0},
    {"lemonchiffon", 255, 250, 205},
    {"lightblue", 173, 216, 230},
    {"lightcoral", 240, 128, 128},
    {"lightcyan", 224, 255, 255},
    {"lightgoldenrodyellow", 250, 250, 210},
    {"lightgray", 211, 211, 211},
    {"lightgreen", 144, 238, 144},
    {"lightgrey", 211, 211, 211},
    {"lightpink", 255, 182, 193},
    {"lightsalmon", 255, 160, 122},
    {"lightseagreen", 32, 178, 170},
    {"lightskyblue", 135, 206, 250},
    {"lightslategray", 119, 136, 153},
    {"lightslategrey", 119, 136, 153},
    {"lightsteelblue", 176, 196, 222},
    {"lightyellow", 255, 255, 224},
    {"lime", 0, 255, 0},
    {"limegreen", 50, 205, 50},
    {"linen", 250, 240, 230},
    {"magenta", 255, 0, 255},
    {"maroon", 128, 0, 0},
    {"mediumaquamarine", 102, 205, 170},
    {"mediumblue", 0, 0, 205},
    {"mediumorchid", 186, 85, 211},
    {"mediumpurple", 147, 112, 219},
    {"mediumseagreen", 60, 179, 113},
    {"mediumslateblue", 123, 104, 238},
    {"mediumspringgreen", 0, 250, 154},
    {"mediumturquoise", 72, 209, 204},
    {"mediumvioletred", 199, 21, 133},
    {"midnightblue", 25, 25, 112},
    {"mintcream", 245, 255, 250},
    {"mistyrose", 255, 228, 225},
    {"moccasin", 255, 228, 181},
    {"navajowhite", 255, 222, 173},
    {"navy", 0, 0, 128},
    {"oldlace", 253, 245, 230},
    {"olive", 128, 128, 0},
    {"olivedrab", 107, 142, 35},
    {"orange", 255, 165, 0},
    {"orangered", 255, 69, 0},
    {"orchid", 218, 112, 214},
    {"palegoldenrod", 238, 232, 170},
    {"palegreen", 152, 251, 152},
    {"paleturquoise", 175, 238, 238},
    {"palevioletred", 219, 112, 147},
    {"papayawhip", 255, 239, 213},
    {"peachpuff", 255, 218, 185},
    {"peru", 205, 133, 63},
    {"pink", 255, 192, 203},
    {"plum", 221, 160, 221},
    {"powderblue", 176, 224, 230},
    {"purple", 128, 0, 128},
    {"rebeccapurple", 102, 51, 153},
    {"red", 255, 0, 0},
    {"rosybrown", 188, 143, 143},
    {"royalblue", 65, 105, 225},
    {"saddlebrown", 139, 69, 19},
    {"salmon", 250, 128, 114},
    {"sandybrown", 244, 164, 96},
    {"seagreen", 46, 139, 87},
    {"seashell", 255, 245, 238},
    {"sienna", 160, 82, 45},
    {"silver", 192, 192, 192},
    {"skyblue", 135, 206, 235},
    {"slateblue", 106, 90, 205},
    {"slategray", 112, 128, 144},
    {"slategrey", 112, 128, 144},
    {"snow", 255, 250, 250},
    {"springgreen", 0, 255, 127},
    {"steelblue", 70, 130, 180},
    {"tan", 210, 180, 140},
    {"teal", 0, 128, 128},
    {"thistle", 216, 191, 216},
    {"tomato", 255, 99, 71},
    {"turquoise", 64, 224, 208},
    {"violet", 238, 130, 238},
    {"wheat", 245, 222, 179},
    {"white", 255, 255, 255},
    {"whitesmoke", 245, 245, 245},
    {"yellow", 255, 255, 0},
    {"yellowgreen", 154, 205, 50},
};

static int
cmp_named(const void *key, const void *elem)
{
    return strcmp(key, ((const struct named_color *)elem)->name);
}

static double
clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static int
hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* One number of rgb()/hsl(): digits with an optional '%'. Advances *P. */
static int
css_number(const char **p, double *v, int *pct)
{
    char *end;
    while (**p == ' ')
        (*p)++;
    *v = strtod(*p, &end);
    if (end == *p || !isfinite(*v))
        return 0;
    *p = end;
    *pct = 0;
    if (**p == '%') {
        *pct = 1;
        (*p)++;
    }
    while (**p == ' ')
        (*p)++;
    return 1;
}

/* The arguments of "rgb(" or "hsl(" from P (after the parenthesis): three
 * values and an optional alpha, comma- or space-separated (CSS Color 4
 * "r g b / a"), as MapLibre's parser takes them. */
static int
css_args(const char *p, double v[4], int pct[4])
{
    int commas;

    if (!css_number(&p, &v[0], &pct[0]))
        return 0;
    commas = *p == ',';
    for (int i = 1; i < 3; i++) {
        if (commas) {
            if (*p != ',')
                return 0;
            p++;
        }
        if (!css_number(&p, &v[i], &pct[i]))
            return 0;
    }
    v[3] = 1;
    pct[3] = 0;
    if ((commas && *p == ',') || (!commas && *p == '/')) {
        p++;
        if (!css_number(&p, &v[3], &pct[3]))
            return 0;
        v[3] = clamp01(pct[3] ? v[3] / 100 : v[3]);
    }
    return p[0] == ')' && p[1] == '\0';
}

static double
hue_to_rgb(double m1, double m2, double h)
{
    h -= floor(h);
    if (h * 6 < 1)
        return m1 + (m2 - m1) * h * 6;
    if (h * 2 < 1)
        return m2;
    if (h * 3 < 2)
        return m1 + (m2 - m1) * (2.0 / 3 - h) * 6;
    return m1;
}

int
atlas_style_parse_color(const char *s, atlas_color *out)
{
    char buf[64];
    size_t n = 0;
    double v[4];
    int pct[4];

    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    /* lower-case copy without trailing blanks */
    for (; s[n] != '\0'; n++) {
        if (n + 1 >= sizeof buf)
            return 0;
        buf[n] = (char)tolower((unsigned char)s[n]);
    }
    while (n > 0 &&
           (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\n'))
        n--;
    buf[n] = '\0';

    if (strcmp(buf, "transparent") == 0) {
        *out = (atlas_color){0, 0, 0, 0};
        return 1;
    }
    if (buf[0] == '#') {
        int d[8], step;
        if (n != 4 && n != 5 && n != 7 && n != 9)
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((d[i - 1] = hexval(buf[i])) < 0)
                return 0;
        step = n < 7 ? 1 : 2;
        double c[4] = {0, 0, 0, 1};
        for (int i = 0; i < (int)(n - 1) / step; i++)
            c[i] = step == 1 ? (d[i] * 17) / 255.0
                             : (d[2 * i] * 16 + d[2 * i + 1]) / 255.0;
        *out = (atlas_color){c[0], c[1], c[2], c[3]};
        return 1;
    }
    if (strncmp(buf, "rgb(", 4) == 0 || strncmp(buf, "rgba(", 5) == 0) {
        if (!css_args(strchr(buf, '(') + 1, v, pct))
            return 0;
        if (pct[0] != pct[1] || pct[1] != pct[2])
            return 0; /* all percentages or none, as CSS says */
        double max = pct[0] ? 100 : 255;
        *out = (atlas_color){clamp01(v[0] / max), clamp01(v[1] / max),
                             clamp01(v[2] / max), v[3]};
        return 1;
    }
    if (strncmp(buf, "hsl(", 4) == 0 || strncmp(buf, "hsla(", 5) == 0) {
        /* "deg" after the hue is allowed */
        char *deg = strstr(buf, "deg");
        if (deg != NULL)
            memmove(deg, deg + 3, strlen(deg + 3) + 1);
        if (!css_args(strchr(buf, '(') + 1, v, pct))
            return 0;
        if (pct[0] || !pct[1] || !pct[2])
            return 0;
        double h = v[0] / 360, sat = clamp01(v[1] / 100);
        double l = clamp01(v[2] / 100);
        double m2 = l <= 0.5 ? l * (sat + 1) : l + sat - l * sat;
        double m1 = l * 2 - m2;
        *out = (atlas_color){clamp01(hue_to_rgb(m1, m2, h + 1.0 / 3)),
                             clamp01(hue_to_rgb(m1, m2, h)),
                             clamp01(hue_to_rgb(m1, m2, h - 1.0 / 3)), v[3]};
        return 1;
    }
    const struct named_color *nc =
        bsearch(buf, named_colors, sizeof named_colors / sizeof *named_colors,
                sizeof *named_colors, cmp_named);
    if (nc == NULL)
        return 0;
    *out = (atlas_color){nc->r / 255.0, nc->g / 255.0, nc->b / 255.0, 1};
    return 1;
}

/* ---- the tree ------------------------------------------------------------ */

typedef enum xop {
    OP_CONST,
    OP_GET,
    OP_HAS,
    OP_ZOOM,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_ALL,
    OP_ANY,
    OP_NOT,
    OP_IN,
    OP_MATCH,
    OP_CASE,
    OP_COALESCE,
    OP_INTERPOLATE,
    OP_STEP,
    OP_TO_NUMBER,
    OP_TO_STRING,
    OP_TO_BOOLEAN,
    OP_TO_COLOR,
    OP_TYPEOF,
    OP_IS_NUMBER, /* the assertions "number", "string", "boolean" */
    OP_IS_STRING,
    OP_IS_BOOLEAN,
    OP_CONCAT,
    OP_UPCASE,
    OP_DOWNCASE,
    OP_NUMBER_FORMAT,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_POW,
    OP_SQRT,
    OP_LN,
    OP_LOG10,
    OP_LOG2,
    OP_ABS,
    OP_MIN,
    OP_MAX,
    OP_ROUND,
    OP_FLOOR,
    OP_CEIL,
    OP_RGB,
    OP_RGBA,
    OP_E,
    OP_PI,
    OP_LN2
} xop;

/* A label of a match: the value and which output it selects. */
typedef struct xlabel {
    atlas_xval v; /* a string or a number */
    unsigned out;
} xlabel;

struct atlas_expr {
    xop op;
    atlas_xtype type;  /* static result type */
    int uses_feature;  /* reads feature properties */
    size_t n;          /* arguments */
    atlas_expr **args; /* match: input, outputs..., fallback;
                          interpolate: input, outputs; step: input, outputs */
    atlas_xval k;      /* OP_CONST: the value; get/has: k.u.str the name */
    xlabel *labels;    /* match */
    size_t n_labels;
    double *stops;          /* interpolate, step: ascending */
    double base;            /* interpolate: 1 linear, else exponential */
    int min_frac, max_frac; /* number-format */
};

/* Interned property names: one pointer per distinct name of a style. */
struct atlas_xname {
    struct atlas_xname *next;
    const char *s;
};

static const char *
intern(atlas_xenv *env, const char *s)
{
    for (struct atlas_xname *n = env->names; n != NULL; n = n->next)
        if (strcmp(n->s, s) == 0)
            return n->s;
    struct atlas_xname *n = atlas_xpool_alloc(env->pool, sizeof *n);
    if (n == NULL || (n->s = atlas_xpool_strdup(env->pool, s)) == NULL)
        return NULL;
    n->next = env->names;
    env->names = n;
    return n->s;
}

static const struct opdef {
    const char *name;
    xop op;
    int min, max; /* argument counts; max -1: any */
} opdefs[] = {
    {"!", OP_NOT, 1, 1},
    {"!=", OP_NE, 2, 2},
    {"%", OP_MOD, 2, 2},
    {"*", OP_MUL, 1, -1},
    {"+", OP_ADD, 1, -1},
    {"-", OP_SUB, 1, 2},
    {"/", OP_DIV, 2, 2},
    {"<", OP_LT, 2, 2},
    {"<=", OP_LE, 2, 2},
    {"==", OP_EQ, 2, 2},
    {">", OP_GT, 2, 2},
    {">=", OP_GE, 2, 2},
    {"^", OP_POW, 2, 2},
    {"abs", OP_ABS, 1, 1},
    {"all", OP_ALL, 0, -1},
    {"any", OP_ANY, 0, -1},
    {"boolean", OP_IS_BOOLEAN, 1, -1},
    {"case", OP_CASE, 3, -1},
    {"ceil", OP_CEIL, 1, 1},
    {"coalesce", OP_COALESCE, 1, -1},
    {"concat", OP_CONCAT, 1, -1},
    {"downcase", OP_DOWNCASE, 1, 1},
    {"e", OP_E, 0, 0},
    {"floor", OP_FLOOR, 1, 1},
    {"get", OP_GET, 1, 1},
    {"has", OP_HAS, 1, 1},
    {"in", OP_IN, 2, 2},
    {"interpolate", OP_INTERPOLATE, 4, -1},
    {"literal", OP_CONST, 1, 1},
    {"ln", OP_LN, 1, 1},
    {"ln2", OP_LN2, 0, 0},
    {"log10", OP_LOG10, 1, 1},
    {"log2", OP_LOG2, 1, 1},
    {"match", OP_MATCH, 4, -1},
    {"max", OP_MAX, 1, -1},
    {"min", OP_MIN, 1, -1},
    {"number", OP_IS_NUMBER, 1, -1},
    {"number-format", OP_NUMBER_FORMAT, 2, 2},
    {"pi", OP_PI, 0, 0},
    {"rgb", OP_RGB, 3, 3},
    {"rgba", OP_RGBA, 4, 4},
    {"round", OP_ROUND, 1, 1},
    {"sqrt", OP_SQRT, 1, 1},
    {"step", OP_STEP, 2, -1},
    {"string", OP_IS_STRING, 1, -1},
    {"to-boolean", OP_TO_BOOLEAN, 1, 1},
    {"to-color", OP_TO_COLOR, 1, -1},
    {"to-number", OP_TO_NUMBER, 1, -1},
    {"to-string", OP_TO_STRING, 1, 1},
    {"typeof", OP_TYPEOF, 1, 1},
    {"upcase", OP_UPCASE, 1, 1},
    {"zoom", OP_ZOOM, 0, 0},
};

/* MapLibre expressions atlas does not evaluate: named in messages so that
 * a valid MapLibre style gets "not supported", not "unknown". */
static const char *const unsupported_ops[] = {"accumulated",
                                              "acos",
                                              "array",
                                              "asin",
                                              "at",
                                              "atan",
                                              "collator",
                                              "cos",
                                              "distance",
                                              "elevation",
                                              "feature-state",
                                              "format",
                                              "geometry-type",
                                              "global-state",
                                              "heatmap-density",
                                              "id",
                                              "image",
                                              "index-of",
                                              "interpolate-hcl",
                                              "interpolate-lab",
                                              "is-supported-script",
                                              "join",
                                              "length",
                                              "let",
                                              "line-progress",
                                              "object",
                                              "properties",
                                              "resolved-locale",
                                              "semiliteral",
                                              "sin",
                                              "slice",
                                              "split",
                                              "tan",
                                              "to-rgba",
                                              "var",
                                              "within",
                                              NULL};

static int
cmp_opdef(const void *key, const void *elem)
{
    return strcmp(key, ((const struct opdef *)elem)->name);
}

static const struct opdef *
find_op(const char *name)
{
    return bsearch(name, opdefs, sizeof opdefs / sizeof *opdefs, sizeof *opdefs,
                   cmp_opdef);
}

static int
is_unsupported_op(const char *name)
{
    for (int i = 0; unsupported_ops[i] != NULL; i++)
        if (strcmp(unsupported_ops[i], name) == 0)
            return 1;
    return 0;
}

/* ---- values ----------------------------------------------------------------
 */

static atlas_xval
xnull(void)
{
    atlas_xval v;
    memset(&v, 0, sizeof v);
    v.type = ATLAS_XT_NULL;
    return v;
}

static atlas_xval
xerror(void)
{
    atlas_xval v = xnull();
    v.type = ATLAS_XT_ERROR;
    return v;
}

static atlas_xval
xbool(int b)
{
    atlas_xval v = xnull();
    v.type = ATLAS_XT_BOOL;
    v.u.b = b != 0;
    return v;
}

static atlas_xval
xnum(double d)
{
    atlas_xval v = xnull();
    v.type = ATLAS_XT_NUMBER;
    v.u.num = d;
    return v;
}

static atlas_xval
xstr(const char *s)
{
    atlas_xval v = xnull();
    v.type = ATLAS_XT_STRING;
    v.u.str = s;
    return v;
}

static atlas_xval
xcolor(atlas_color c)
{
    atlas_xval v = xnull();
    v.type = ATLAS_XT_COLOR;
    v.u.color = c;
    return v;
}

/* N bytes of SCRATCH, aligned for atlas_xval, or NULL when it is full. */
static void *
scratch_alloc(atlas_xscratch *s, size_t n)
{
    size_t align = sizeof(double);
    size_t at = (s->used + align - 1) / align * align;
    if (s->buf == NULL || at > s->cap || s->cap - at < n)
        return NULL;
    s->used = at + n;
    return s->buf + at;
}

/* Copies the LEN bytes at P into SCRATCH as a string, cut at a UTF-8
 * boundary when it does not fit; "" when nothing fits. */
static const char *
scratch_str(atlas_xscratch *s, const char *p, size_t len)
{
    size_t room = s->buf != NULL && s->cap > s->used ? s->cap - s->used : 0;
    if (room == 0)
        return "";
    if (len >= room) {
        len = room - 1;
        while (len > 0 && ((unsigned char)p[len] & 0xC0) == 0x80)
            len--;
    }
    char *r = s->buf + s->used;
    memcpy(r, p, len);
    r[len] = '\0';
    s->used += len + 1;
    return r;
}

/* A number as JavaScript's String() writes it, near enough: integers in
 * full, others with the fewest digits that read back the same. */
static void
format_number(double d, char *buf, size_t size)
{
    if (isnan(d)) {
        snprintf(buf, size, "NaN");
    } else if (isinf(d)) {
        snprintf(buf, size, d > 0 ? "Infinity" : "-Infinity");
    } else if (d == 0) {
        snprintf(buf, size, "0");
    } else if (d == trunc(d) && fabs(d) < 1e21) {
        snprintf(buf, size, "%.0f", d);
    } else {
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, size, "%.*g", prec, d);
            if (strtod(buf, NULL) == d)
                break;
        }
    }
}

const char *
atlas_xval_to_string(atlas_xval v, atlas_xscratch *scratch)
{
    char buf[96];

    switch (v.type) {
    case ATLAS_XT_STRING:
        return v.u.str;
    case ATLAS_XT_BOOL:
        return v.u.b ? "true" : "false";
    case ATLAS_XT_NUMBER:
        format_number(v.u.num, buf, sizeof buf);
        return scratch_str(scratch, buf, strlen(buf));
    case ATLAS_XT_COLOR: {
        char a[32];
        format_number(v.u.color.a, a, sizeof a);
        snprintf(buf, sizeof buf, "rgba(%d,%d,%d,%s)",
                 (int)lround(v.u.color.r * 255), (int)lround(v.u.color.g * 255),
                 (int)lround(v.u.color.b * 255), a);
        return scratch_str(scratch, buf, strlen(buf));
    }
    case ATLAS_XT_ARRAY: {
        /* JSON, as JSON.stringify() writes it */
        char out[256];
        size_t n = 0;
        out[n++] = '[';
        for (size_t i = 0; i < v.u.arr->n && n < sizeof out - 2; i++) {
            atlas_xval it = v.u.arr->items[i];
            int w;
            if (it.type == ATLAS_XT_NUMBER) {
                format_number(it.u.num, buf, sizeof buf);
                w = snprintf(out + n, sizeof out - n, "%s%s", i ? "," : "",
                             buf);
            } else if (it.type == ATLAS_XT_STRING) {
                w = snprintf(out + n, sizeof out - n, "%s\"%s\"", i ? "," : "",
                             it.u.str);
            } else if (it.type == ATLAS_XT_BOOL) {
                w = snprintf(out + n, sizeof out - n, "%s%s", i ? "," : "",
                             it.u.b ? "true" : "false");
            } else {
                w = snprintf(out + n, sizeof out - n, "%snull", i ? "," : "");
            }
            if (w < 0 || (size_t)w >= sizeof out - n) {
                n = sizeof out - 2;
                break;
            }
            n += (size_t)w;
        }
        out[n++] = ']';
        return scratch_str(scratch, out, n);
    }
    default:
        return "";
    }
}

/* ---- messages --------------------------------------------------------------
 */

static const char *
type_name(atlas_xtype t)
{
    switch (t) {
    case ATLAS_XT_NULL:
        return "null";
    case ATLAS_XT_BOOL:
        return "a boolean";
    case ATLAS_XT_NUMBER:
        return "a number";
    case ATLAS_XT_STRING:
        return "a string";
    case ATLAS_XT_COLOR:
        return "a colour";
    case ATLAS_XT_ARRAY:
        return "an array";
    default:
        return "a value";
    }
}

const char *
atlas_json_describe(json_object *j, char *buf, size_t size)
{
    const char *s;

    switch (json_object_get_type(j)) {
    case json_type_object:
        snprintf(buf, size, "an object");
        return buf;
    case json_type_array:
        snprintf(buf, size, "an array");
        return buf;
    default:
        break;
    }
    s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
                                              JSON_C_TO_STRING_NOSLASHESCAPE);
    if (strlen(s) > 40)
        snprintf(buf, size, "%.37s...", s);
    else
        snprintf(buf, size, "%s", s);
    return buf;
}

/* ---- compiling -------------------------------------------------------------
 */

typedef struct cctx {
    atlas_xenv *env;
    atlas_error *err;
} cctx;

static atlas_expr *compile(cctx *c, json_object *j, atlas_xtype want,
                           const char *path, int top);

static atlas_expr *
fail(cctx *c, const char *path, const char *why)
{
    atlas_error_set(c->err, ATLAS_E_INPUT, "%s: %s: %s", c->env->file, path,
                    why);
    return NULL;
}

static atlas_expr *
nomem(cctx *c)
{
    atlas_error_set(c->err, ATLAS_E_NOMEM, "%s: out of memory", c->env->file);
    return NULL;
}

static atlas_expr *
new_node(cctx *c, xop op, atlas_xtype type, size_t n)
{
    atlas_expr *e = atlas_xpool_alloc(c->env->pool, sizeof *e);
    if (e == NULL)
        return nomem(c);
    e->op = op;
    e->type = type;
    e->n = n;
    e->base = 1;
    if (n > 0) {
        e->args = atlas_xpool_alloc(c->env->pool, n * sizeof *e->args);
        if (e->args == NULL)
            return nomem(c);
    }
    return e;
}

static atlas_expr *
new_const(cctx *c, atlas_xval v)
{
    atlas_expr *e = new_node(c, OP_CONST, v.type, 0);
    if (e != NULL)
        e->k = v;
    return e;
}

/* "PATH[I]" into BUF. */
static const char *
sub_path(char *buf, size_t size, const char *path, size_t i)
{
    int n = snprintf(buf, size, "%s[%zu]", path, i);
    if (n < 0 || (size_t)n >= size)
        snprintf(buf, size, "...[%zu]", i); /* absurdly deep: the tail */
    return buf;
}

/* Can a value of static type HAVE stand where WANT is expected? Values
 * known only at run time are checked then. */
static int
type_fits(atlas_xtype want, atlas_xtype have)
{
    return want == ATLAS_XT_ANY || have == ATLAS_XT_ANY || want == have;
}

static int
check_enum(cctx *c, const char *s, const char *path)
{
    char why[256];
    size_t n = 0;

    if (c->env->enums == NULL)
        return 1;
    for (int i = 0; c->env->enums[i] != NULL; i++)
        if (strcmp(c->env->enums[i], s) == 0)
            return 1;
    n += (size_t)snprintf(why, sizeof why, "expected one of");
    for (int i = 0; c->env->enums[i] != NULL && n < sizeof why; i++)
        n += (size_t)snprintf(why + n, sizeof why - n, "%s \"%s\"",
                              i ? "," : "", c->env->enums[i]);
    if (n < sizeof why)
        snprintf(why + n, sizeof why - n, ", got \"%s\"", s);
    fail(c, path, why);
    return 0;
}

static int
check_font(cctx *c, const char *s, const char *path)
{
    char why[160];
    if (!c->env->font_names || strchr(s, '/') == NULL)
        return 1;
    snprintf(why, sizeof why,
             "expected a font family name, got \"%.60s\" (a path; fonts are "
             "found by fontconfig)",
             s);
    fail(c, path, why);
    return 0;
}

/* A constant from a JSON scalar, typed for WANT. */
static atlas_expr *
compile_scalar(cctx *c, json_object *j, atlas_xtype want, const char *path,
               int top)
{
    char why[256], desc[64];
    atlas_xval v = xnull();

    switch (json_object_get_type(j)) {
    case json_type_null:
        return new_const(c, v);
    case json_type_boolean:
        v = xbool(json_object_get_boolean(j));
        break;
    case json_type_int:
    case json_type_double:
        v = xnum(json_object_get_double(j));
        break;
    case json_type_string: {
        const char *s = json_object_get_string(j);
        if (want == ATLAS_XT_COLOR) {
            atlas_color col;
            if (!atlas_style_parse_color(s, &col)) {
                snprintf(why, sizeof why, "expected a colour%s, got %s",
                         top ? " or an expression" : "",
                         atlas_json_describe(j, desc, sizeof desc));
                return fail(c, path, why);
            }
            return new_const(c, xcolor(col));
        }
        if (want == ATLAS_XT_STRING && !check_enum(c, s, path))
            return NULL;
        const char *copy = atlas_xpool_strdup(c->env->pool, s);
        if (copy == NULL)
            return nomem(c);
        v = xstr(copy);
        break;
    }
    default:
        break;
    }
    /* numbers and booleans convert to text where text is wanted */
    if (want == ATLAS_XT_STRING &&
        (v.type == ATLAS_XT_NUMBER || v.type == ATLAS_XT_BOOL) &&
        c->env->enums == NULL)
        return new_const(c, v);
    if (!type_fits(want, v.type)) {
        snprintf(why, sizeof why, "expected %s%s, got %s", type_name(want),
                 top ? " or an expression" : "",
                 atlas_json_describe(j, desc, sizeof desc));
        return fail(c, path, why);
    }
    return new_const(c, v);
}

/* A constant array (a bare array where one is expected, or the argument of
 * "literal"): items null, booleans, numbers or strings; of ITEM_TYPE when
 * the property asks for one. */
static atlas_expr *
compile_array(cctx *c, json_object *j, const char *path)
{
    size_t n = json_object_array_length(j);
    atlas_xarr *arr = atlas_xpool_alloc(c->env->pool, sizeof *arr);
    atlas_xval *items =
        atlas_xpool_alloc(c->env->pool, (n ? n : 1) * sizeof *items);
    char sub[512], why[256], desc[64];
    atlas_xtype item = c->env->item_type;

    if (arr == NULL || items == NULL)
        return nomem(c);
    if (c->env->array_len > 0 && n != c->env->array_len) {
        snprintf(why, sizeof why, "expected an array of %zu %s, got %zu",
                 c->env->array_len,
                 item == ATLAS_XT_STRING ? "strings" : "numbers", n);
        return fail(c, path, why);
    }
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_array_get_idx(j, i);
        sub_path(sub, sizeof sub, path, i);
        switch (json_object_get_type(it)) {
        case json_type_null:
            items[i] = xnull();
            break;
        case json_type_boolean:
            items[i] = xbool(json_object_get_boolean(it));
            break;
        case json_type_int:
        case json_type_double:
            items[i] = xnum(json_object_get_double(it));
            break;
        case json_type_string: {
            const char *s = json_object_get_string(it);
            if (!check_font(c, s, sub))
                return NULL;
            const char *copy = atlas_xpool_strdup(c->env->pool, s);
            if (copy == NULL)
                return nomem(c);
            items[i] = xstr(copy);
            break;
        }
        default:
            snprintf(why, sizeof why,
                     "nested arrays and objects are not supported, got %s",
                     atlas_json_describe(it, desc, sizeof desc));
            return fail(c, sub, why);
        }
        if (item != ATLAS_XT_ANY && items[i].type != item) {
            snprintf(why, sizeof why, "expected %s, got %s", type_name(item),
                     atlas_json_describe(it, desc, sizeof desc));
            return fail(c, sub, why);
        }
        if (item == ATLAS_XT_NUMBER && c->env->item_min_zero &&
            items[i].u.num < 0) {
            snprintf(why, sizeof why, "expected a number >= 0, got %s",
                     atlas_json_describe(it, desc, sizeof desc));
            return fail(c, sub, why);
        }
    }
    arr->n = n;
    arr->items = items;
    atlas_xval v = xnull();
    v.type = ATLAS_XT_ARRAY;
    v.u.arr = arr;
    return new_const(c, v);
}

/* Argument I of the expression array J at PATH, compiled for WANT; fails
 * when its static type cannot be WANT. */
static atlas_expr *
compile_arg(cctx *c, json_object *j, size_t i, atlas_xtype want,
            const char *path)
{
    char sub[512], why[160];
    atlas_expr *e;

    sub_path(sub, sizeof sub, path, i);
    e = compile(c, json_object_array_get_idx(j, i), want, sub, 0);
    if (e == NULL)
        return NULL;
    if (!type_fits(want, e->type)) {
        snprintf(why, sizeof why, "expected %s, got %s", type_name(want),
                 type_name(e->type));
        return fail(c, sub, why);
    }
    return e;
}

/* The output type of branches: T when all are T, else ANY. */
static atlas_xtype
join_type(atlas_xtype a, atlas_xtype b)
{
    return a == b ? a : ATLAS_XT_ANY;
}

static atlas_xval eval(const atlas_expr *e, const atlas_eval_ctx *ctx,
                       atlas_xscratch *s);

/* Replaces E by a constant when nothing it reads can change: evaluated
 * once here instead of once per feature. Strings and arrays made by the
 * evaluation are copied into the pool. */
static atlas_expr *
fold(cctx *c, atlas_expr *e)
{
    char buf[1024];
    atlas_xscratch s = {buf, sizeof buf, 0};
    atlas_eval_ctx none = {NULL, NULL, 0};

    if (e->op == OP_CONST || e->op == OP_GET || e->op == OP_HAS ||
        e->op == OP_ZOOM)
        return e;
    for (size_t i = 0; i < e->n; i++)
        if (e->args[i]->op != OP_CONST)
            return e;
    atlas_xval v = eval(e, &none, &s);
    if (v.type == ATLAS_XT_ERROR)
        return e; /* fails at run time too; the property falls back */
    if (v.type == ATLAS_XT_STRING) {
        v.u.str = atlas_xpool_strdup(c->env->pool, v.u.str);
        if (v.u.str == NULL)
            return nomem(c);
    } else if (v.type == ATLAS_XT_ARRAY && (const char *)v.u.arr >= buf &&
               (const char *)v.u.arr < buf + sizeof buf) {
        atlas_xarr *arr = atlas_xpool_alloc(c->env->pool, sizeof *arr);
        atlas_xval *items = atlas_xpool_alloc(
            c->env->pool, (v.u.arr->n ? v.u.arr->n : 1) * sizeof *items);
        if (arr == NULL || items == NULL)
            return nomem(c);
        memcpy(items, v.u.arr->items, v.u.arr->n * sizeof *items);
        arr->n = v.u.arr->n;
        arr->items = items;
        v.u.arr = arr;
    }
    e->op = OP_CONST;
    e->k = v;
    e->type = v.type;
    e->n = 0;
    return e;
}

static atlas_expr *
compile_match(cctx *c, json_object *j, atlas_xtype want, const char *path,
              atlas_expr *e)
{
    size_t len = json_object_array_length(j);
    size_t n_out = (len - 3) / 2; /* pairs, then the fallback */
    char sub[512], why[256], desc[64];
    atlas_xtype label_type = ATLAS_XT_ANY, out_type;

    if ((len - 3) % 2 != 0)
        return fail(c, path,
                    "expected [\"match\", input, label, output, ..., "
                    "fallback]: an even number of arguments");
    e->args[0] = compile_arg(c, j, 1, ATLAS_XT_ANY, path);
    if (e->args[0] == NULL)
        return NULL;
    for (size_t k = 0; k < n_out; k++) {
        json_object *lab = json_object_array_get_idx(j, 2 + 2 * k);
        size_t nl = json_object_is_type(lab, json_type_array)
                        ? json_object_array_length(lab)
                        : 1;
        sub_path(sub, sizeof sub, path, 2 + 2 * k);
        if (nl == 0)
            return fail(c, sub, "expected at least one label");
        e->n_labels += nl;
    }
    e->labels = atlas_xpool_alloc(
        c->env->pool, (e->n_labels ? e->n_labels : 1) * sizeof *e->labels);
    if (e->labels == NULL)
        return nomem(c);
    size_t li = 0;
    for (size_t k = 0; k < n_out; k++) {
        json_object *lab = json_object_array_get_idx(j, 2 + 2 * k);
        int is_arr = json_object_is_type(lab, json_type_array);
        size_t nl = is_arr ? json_object_array_length(lab) : 1;
        for (size_t m = 0; m < nl; m++) {
            json_object *l = is_arr ? json_object_array_get_idx(lab, m) : lab;
            char lsub[512];
            atlas_xval v;
            sub_path(sub, sizeof sub, path, 2 + 2 * k);
            if (is_arr)
                sub_path(lsub, sizeof lsub, sub, m);
            else
                snprintf(lsub, sizeof lsub, "%s", sub);
            if (json_object_is_type(l, json_type_string)) {
                v = xstr(atlas_xpool_strdup(c->env->pool,
                                            json_object_get_string(l)));
                if (v.u.str == NULL)
                    return nomem(c);
            } else if (json_object_is_type(l, json_type_int) ||
                       (json_object_is_type(l, json_type_double) &&
                        json_object_get_double(l) ==
                            trunc(json_object_get_double(l)))) {
                v = xnum(json_object_get_double(l));
            } else {
                snprintf(why, sizeof why,
                         "expected a string or integer label, got %s",
                         atlas_json_describe(l, desc, sizeof desc));
                return fail(c, lsub, why);
            }
            if (label_type != ATLAS_XT_ANY && v.type != label_type)
                return fail(c, lsub,
                            "labels must all be strings or all numbers");
            label_type = v.type;
            for (size_t q = 0; q < li; q++) {
                const atlas_xval *o = &e->labels[q].v;
                if (v.type == ATLAS_XT_STRING ? strcmp(o->u.str, v.u.str) == 0
                                              : o->u.num == v.u.num) {
                    snprintf(why, sizeof why, "duplicate label %s",
                             atlas_json_describe(l, desc, sizeof desc));
                    return fail(c, lsub, why);
                }
            }
            e->labels[li].v = v;
            e->labels[li].out = (unsigned)(1 + k);
            li++;
        }
        e->args[1 + k] = compile_arg(c, j, 3 + 2 * k, want, path);
        if (e->args[1 + k] == NULL)
            return NULL;
    }
    if (!type_fits(label_type, e->args[0]->type)) {
        snprintf(why, sizeof why,
                 "expected %s input to match the labels, "
                 "got %s",
                 type_name(label_type), type_name(e->args[0]->type));
        return fail(c, sub_path(sub, sizeof sub, path, 1), why);
    }
    e->args[1 + n_out] = compile_arg(c, j, len - 1, want, path);
    if (e->args[1 + n_out] == NULL)
        return NULL;
    e->n = 2 + n_out;
    out_type = e->args[1]->type;
    for (size_t k = 1; k <= n_out + 1; k++)
        out_type = join_type(out_type, e->args[k]->type);
    e->type = out_type;
    return e;
}

/* Stops of interpolate and step: numeric literals, strictly ascending. */
static int
compile_stop(cctx *c, json_object *j, size_t i, const char *path, double prev,
             int first, double *out)
{
    char sub[512], why[256], desc[64];
    json_object *s = json_object_array_get_idx(j, i);

    sub_path(sub, sizeof sub, path, i);
    if (!json_object_is_type(s, json_type_int) &&
        !json_object_is_type(s, json_type_double)) {
        snprintf(why, sizeof why, "expected a number (a stop), got %s",
                 atlas_json_describe(s, desc, sizeof desc));
        fail(c, sub, why);
        return 0;
    }
    *out = json_object_get_double(s);
    if (!first && !(*out > prev)) {
        fail(c, sub, "stops must be numbers in strictly ascending order");
        return 0;
    }
    return 1;
}

static atlas_expr *
compile_interpolate(cctx *c, json_object *j, atlas_xtype want, const char *path,
                    atlas_expr *e)
{
    size_t len = json_object_array_length(j);
    size_t n_stops = (len - 3) / 2;
    json_object *how = json_object_array_get_idx(j, 1);
    char sub[512], why[256];
    const char *kind = NULL;

    sub_path(sub, sizeof sub, path, 1);
    if (json_object_is_type(how, json_type_array) &&
        json_object_array_length(how) >= 1 &&
        json_object_is_type(json_object_array_get_idx(how, 0),
                            json_type_string))
        kind = json_object_get_string(json_object_array_get_idx(how, 0));
    if (kind != NULL && strcmp(kind, "linear") == 0 &&
        json_object_array_length(how) == 1) {
        e->base = 1;
    } else if (kind != NULL && strcmp(kind, "exponential") == 0 &&
               json_object_array_length(how) == 2 &&
               (json_object_is_type(json_object_array_get_idx(how, 1),
                                    json_type_int) ||
                json_object_is_type(json_object_array_get_idx(how, 1),
                                    json_type_double))) {
        e->base = json_object_get_double(json_object_array_get_idx(how, 1));
        if (!(e->base > 0))
            return fail(c, sub, "the exponential base must be above 0");
    } else if (kind != NULL && strcmp(kind, "cubic-bezier") == 0) {
        return fail(c, sub,
                    "[\"cubic-bezier\", ...] interpolation is not "
                    "supported; use [\"linear\"] or "
                    "[\"exponential\", base]");
    } else {
        return fail(c, sub,
                    "expected [\"linear\"] or [\"exponential\", "
                    "base]");
    }
    if (len < 5 || (len - 3) % 2 != 0)
        return fail(c, path,
                    "expected [\"interpolate\", type, input, stop, "
                    "output, ...]: pairs of stops and outputs");
    if (want != ATLAS_XT_ANY && want != ATLAS_XT_NUMBER &&
        want != ATLAS_XT_COLOR && want != ATLAS_XT_ARRAY) {
        snprintf(why, sizeof why, "cannot interpolate %s", type_name(want));
        return fail(c, path, why);
    }
    e->args[0] = compile_arg(c, j, 2, ATLAS_XT_NUMBER, path);
    if (e->args[0] == NULL)
        return NULL;
    e->stops = atlas_xpool_alloc(c->env->pool, n_stops * sizeof *e->stops);
    if (e->stops == NULL)
        return nomem(c);
    for (size_t k = 0; k < n_stops; k++) {
        if (!compile_stop(c, j, 3 + 2 * k, path, k ? e->stops[k - 1] : 0,
                          k == 0, &e->stops[k]))
            return NULL;
        e->args[1 + k] = compile_arg(c, j, 4 + 2 * k, want, path);
        if (e->args[1 + k] == NULL)
            return NULL;
        atlas_xtype t = e->args[1 + k]->type;
        if (t != ATLAS_XT_NUMBER && t != ATLAS_XT_COLOR &&
            t != ATLAS_XT_ARRAY && t != ATLAS_XT_ANY) {
            snprintf(why, sizeof why,
                     "cannot interpolate %s (numbers, colours and arrays "
                     "of numbers can be)",
                     type_name(t));
            return fail(c, sub_path(sub, sizeof sub, path, 4 + 2 * k), why);
        }
        e->type = k == 0 ? t : join_type(e->type, t);
    }
    return e;
}

static atlas_expr *
compile_step(cctx *c, json_object *j, atlas_xtype want, const char *path,
             atlas_expr *e)
{
    size_t len = json_object_array_length(j);
    size_t n_stops = (len - 3) / 2;

    if ((len - 3) % 2 != 0)
        return fail(c, path,
                    "expected [\"step\", input, output, stop, "
                    "output, ...]: pairs of stops and outputs");
    e->args[0] = compile_arg(c, j, 1, ATLAS_XT_NUMBER, path);
    if (e->args[0] == NULL)
        return NULL;
    e->args[1] = compile_arg(c, j, 2, want, path);
    if (e->args[1] == NULL)
        return NULL;
    e->type = e->args[1]->type;
    e->stops = atlas_xpool_alloc(c->env->pool,
                                 (n_stops ? n_stops : 1) * sizeof *e->stops);
    if (e->stops == NULL)
        return nomem(c);
    for (size_t k = 0; k < n_stops; k++) {
        if (!compile_stop(c, j, 3 + 2 * k, path, k ? e->stops[k - 1] : 0,
                          k == 0, &e->stops[k]))
            return NULL;
        e->args[2 + k] = compile_arg(c, j, 4 + 2 * k, want, path);
        if (e->args[2 + k] == NULL)
            return NULL;
        e->type = join_type(e->type, e->args[2 + k]->type);
    }
    return e;
}

/* ["number-format", input, {"min-fraction-digits": m,
 * "max-fraction-digits": n}]; "locale" and "currency" are accepted and
 * ignored (atlas writes "12,345.6"). */
static atlas_expr *
compile_number_format(cctx *c, json_object *j, const char *path, atlas_expr *e)
{
    json_object *opts = json_object_array_get_idx(j, 2);
    char sub[512], why[256];

    e->args[0] = compile_arg(c, j, 1, ATLAS_XT_NUMBER, path);
    if (e->args[0] == NULL)
        return NULL;
    sub_path(sub, sizeof sub, path, 2);
    if (!json_object_is_type(opts, json_type_object))
        return fail(c, sub, "expected an object of options");
    e->min_frac = 0;
    e->max_frac = 3;
    json_object_object_foreach(opts, key, val)
    {
        int *slot = NULL;
        if (strcmp(key, "min-fraction-digits") == 0)
            slot = &e->min_frac;
        else if (strcmp(key, "max-fraction-digits") == 0)
            slot = &e->max_frac;
        else if (strcmp(key, "locale") == 0 || strcmp(key, "currency") == 0)
            continue;
        if (slot == NULL || !json_object_is_type(val, json_type_int) ||
            json_object_get_int(val) < 0 || json_object_get_int(val) > 20) {
            snprintf(why, sizeof why,
                     slot == NULL ? "unknown option \"%s\""
                                  : "\"%s\" must be an integer 0 to 20",
                     key);
            return fail(c, sub, why);
        }
        *slot = json_object_get_int(val);
    }
    if (e->min_frac > e->max_frac)
        e->max_frac = e->min_frac;
    e->type = ATLAS_XT_STRING;
    e->n = 1;
    return e;
}

static int
is_operand_array(json_object *j)
{
    return json_object_is_type(j, json_type_array);
}

/* Filters in MapLibre's legacy syntax (["==", "kind", "camp"]) would
 * compile as expressions comparing two constants and silently match
 * nothing; MapLibre tells them apart the same way. */
static int
is_legacy_filter(json_object *j, const char *op)
{
    size_t len = json_object_array_length(j);
    static const char *const legacy_only[] = {"!in", "!has", "none", NULL};
    for (int i = 0; legacy_only[i] != NULL; i++)
        if (strcmp(op, legacy_only[i]) == 0)
            return 1;
    if (strcmp(op, "in") == 0)
        return len != 3 || !is_operand_array(json_object_array_get_idx(j, 1));
    if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0 ||
        strcmp(op, "<") == 0 || strcmp(op, "<=") == 0 || strcmp(op, ">") == 0 ||
        strcmp(op, ">=") == 0)
        return len == 3 && !is_operand_array(json_object_array_get_idx(j, 1)) &&
               !is_operand_array(json_object_array_get_idx(j, 2));
    if (strcmp(op, "has") == 0)
        return 0; /* the same in both syntaxes */
    return 0;
}

static atlas_expr *
compile_expr(cctx *c, json_object *j, atlas_xtype want, const char *path)
{
    size_t len = json_object_array_length(j);
    json_object *head = len > 0 ? json_object_array_get_idx(j, 0) : NULL;
    const struct opdef *def;
    char why[256], desc[64], sub[512];
    const char *name;
    atlas_expr *e;
    size_t nargs;

    if (head == NULL)
        return fail(c, path,
                    "expected an expression, got an empty array "
                    "(a literal array is [\"literal\", [...]])");
    if (!json_object_is_type(head, json_type_string)) {
        snprintf(why, sizeof why,
                 "expected an expression name, got %s (a literal array is "
                 "[\"literal\", [...]])",
                 atlas_json_describe(head, desc, sizeof desc));
        return fail(c, path, why);
    }
    name = json_object_get_string(head);
    if (c->env->is_filter && is_legacy_filter(j, name)) {
        snprintf(why, sizeof why,
                 "legacy filter syntax is not supported; write "
                 "[\"%s\", [\"get\", \"field\"], value]",
                 strcmp(name, "!in") == 0 || strcmp(name, "none") == 0 ? "in"
                                                                       : name);
        return fail(c, path, why);
    }
    def = find_op(name);
    if (def == NULL) {
        snprintf(why, sizeof why,
                 is_unsupported_op(name)
                     ? "expression \"%s\" is not supported by atlas"
                     : "unknown expression \"%s\"",
                 name);
        return fail(c, path, why);
    }
    nargs = len - 1;
    if ((int)nargs < def->min || (def->max >= 0 && (int)nargs > def->max)) {
        if (def->min == def->max)
            snprintf(why, sizeof why, "\"%s\" takes %d argument%s, got %zu",
                     name, def->min, def->min == 1 ? "" : "s", nargs);
        else
            snprintf(why, sizeof why,
                     "\"%s\" takes at least %d argument%s, got %zu", name,
                     def->min, def->min == 1 ? "" : "s", nargs);
        return fail(c, path, why);
    }

    switch (def->op) {
    case OP_CONST: { /* literal */
        json_object *v = json_object_array_get_idx(j, 1);
        sub_path(sub, sizeof sub, path, 1);
        if (json_object_is_type(v, json_type_array))
            return compile_array(c, v, sub);
        if (json_object_is_type(v, json_type_object))
            return fail(c, sub, "objects are not supported");
        return compile_scalar(c, v, want, sub, 0);
    }
    case OP_E:
        return new_const(c, xnum(M_E));
    case OP_PI:
        return new_const(c, xnum(M_PI));
    case OP_LN2:
        return new_const(c, xnum(M_LN2));
    case OP_GET:
    case OP_HAS: {
        json_object *k = json_object_array_get_idx(j, 1);
        if (!json_object_is_type(k, json_type_string)) {
            snprintf(why, sizeof why,
                     "expected a property name (a string), got %s",
                     atlas_json_describe(k, desc, sizeof desc));
            return fail(c, sub_path(sub, sizeof sub, path, 1), why);
        }
        e = new_node(c, def->op,
                     def->op == OP_HAS ? ATLAS_XT_BOOL : ATLAS_XT_ANY, 0);
        if (e == NULL)
            return NULL;
        e->k = xstr(intern(c->env, json_object_get_string(k)));
        if (e->k.u.str == NULL)
            return nomem(c);
        e->uses_feature = 1;
        return e;
    }
    case OP_ZOOM:
        return new_node(c, OP_ZOOM, ATLAS_XT_NUMBER, 0);
    default:
        break;
    }

    e = new_node(c, def->op, ATLAS_XT_ANY, nargs);
    if (e == NULL)
        return NULL;
    switch (def->op) {
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE: {
        for (size_t i = 0; i < 2; i++)
            if ((e->args[i] = compile_arg(c, j, 1 + i, ATLAS_XT_ANY, path)) ==
                NULL)
                return NULL;
        atlas_xtype a = e->args[0]->type, b = e->args[1]->type;
        int ordered = def->op != OP_EQ && def->op != OP_NE;
        if (ordered) {
            for (int i = 0; i < 2; i++) {
                atlas_xtype t = e->args[i]->type;
                if (t != ATLAS_XT_ANY && t != ATLAS_XT_NUMBER &&
                    t != ATLAS_XT_STRING) {
                    snprintf(why, sizeof why,
                             "\"%s\" compares numbers or strings, got %s", name,
                             type_name(t));
                    return fail(c, sub_path(sub, sizeof sub, path, 1 + i), why);
                }
            }
        }
        if (a != ATLAS_XT_ANY && b != ATLAS_XT_ANY && a != b &&
            (ordered || (a != ATLAS_XT_NULL && b != ATLAS_XT_NULL))) {
            snprintf(why, sizeof why, "cannot compare %s and %s", type_name(a),
                     type_name(b));
            return fail(c, path, why);
        }
        e->type = ATLAS_XT_BOOL;
        break;
    }
    case OP_ALL:
    case OP_ANY:
    case OP_NOT:
        for (size_t i = 0; i < nargs; i++)
            if ((e->args[i] = compile_arg(c, j, 1 + i, ATLAS_XT_BOOL, path)) ==
                NULL)
                return NULL;
        e->type = ATLAS_XT_BOOL;
        break;
    case OP_IN:
        for (size_t i = 0; i < 2; i++)
            if ((e->args[i] = compile_arg(c, j, 1 + i, ATLAS_XT_ANY, path)) ==
                NULL)
                return NULL;
        e->type = ATLAS_XT_BOOL;
        break;
    case OP_MATCH:
        if (compile_match(c, j, want, path, e) == NULL)
            return NULL;
        break;
    case OP_CASE: {
        if (nargs % 2 == 0)
            return fail(c, path,
                        "expected [\"case\", condition, output, "
                        "..., fallback]: an odd number of "
                        "arguments");
        for (size_t i = 0; i + 1 < nargs; i += 2) {
            if ((e->args[i] = compile_arg(c, j, 1 + i, ATLAS_XT_BOOL, path)) ==
                    NULL ||
                (e->args[i + 1] = compile_arg(c, j, 2 + i, want, path)) == NULL)
                return NULL;
        }
        if ((e->args[nargs - 1] = compile_arg(c, j, nargs, want, path)) == NULL)
            return NULL;
        e->type = e->args[nargs - 1]->type;
        for (size_t i = 1; i + 1 < nargs; i += 2)
            e->type = join_type(e->type, e->args[i]->type);
        break;
    }
    case OP_COALESCE:
        for (size_t i = 0; i < nargs; i++)
            if ((e->args[i] = compile_arg(c, j, 1 + i, want, path)) == NULL)
                return NULL;
        e->type = e->args[0]->type;
        for (size_t i = 1; i < nargs; i++)
            e->type = join_type(e->type, e->args[i]->type);
        break;
    case OP_INTERPOLATE:
        if (compile_interpolate(c, j, want, path, e) == NULL)
            return NULL;
        e->n = 1 + (len - 3) / 2;
        break;
    case OP_STEP:
        if (compile_step(c, j, want, path, e) == NULL)
            return NULL;
        e->n = 2 + (len - 3) / 2;
        break;
    case OP_NUMBER_FORMAT:
        if (compile_number_format(c, j, path, e) == NULL)
            return NULL;
        break;
    default: {
        /* the rest take arguments of one type each */
        atlas_xtype arg = ATLAS_XT_ANY, res = ATLAS_XT_ANY;
        switch (def->op) {
        case OP_TO_NUMBER:
            res = ATLAS_XT_NUMBER;
            break;
        case OP_TO_STRING:
        case OP_TYPEOF:
            res = ATLAS_XT_STRING;
            break;
        case OP_TO_BOOLEAN:
            res = ATLAS_XT_BOOL;
            break;
        case OP_TO_COLOR:
            res = ATLAS_XT_COLOR;
            break;
        case OP_IS_NUMBER:
            res = ATLAS_XT_NUMBER;
            break;
        case OP_IS_STRING:
            res = ATLAS_XT_STRING;
            break;
        case OP_IS_BOOLEAN:
            res = ATLAS_XT_BOOL;
            break;
        case OP_CONCAT:
            res = ATLAS_XT_STRING;
            break;
        case OP_UPCASE:
        case OP_DOWNCASE:
            arg = res = ATLAS_XT_STRING;
            break;
        case OP_RGB:
        case OP_RGBA:
            arg = ATLAS_XT_NUMBER;
            res = ATLAS_XT_COLOR;
            break;
        default: /* arithmetic */
            arg = res = ATLAS_XT_NUMBER;
            break;
        }
        for (size_t i = 0; i < nargs; i++)
            if ((e->args[i] = compile_arg(c, j, 1 + i, arg, path)) == NULL)
                return NULL;
        e->type = res;
        break;
    }
    }
    for (size_t i = 0; i < e->n; i++)
        if (e->args[i]->uses_feature)
            e->uses_feature = 1;
    return fold(c, e);
}

static atlas_expr *
compile(cctx *c, json_object *j, atlas_xtype want, const char *path, int top)
{
    char why[256];

    if (json_object_is_type(j, json_type_object)) {
        if (top && json_object_object_get_ex(j, "stops", NULL))
            return fail(c, path,
                        "property functions ({\"stops\": ...}) "
                        "are not supported; use an expression");
        snprintf(why, sizeof why, "expected %s%s, got an object",
                 type_name(want), top ? " or an expression" : "");
        return fail(c, path, why);
    }
    if (!json_object_is_type(j, json_type_array))
        return compile_scalar(c, j, want, path, top);
    if (want == ATLAS_XT_ARRAY && top) {
        /* a bare array is a constant unless it names an operator */
        json_object *head = json_object_array_get_idx(j, 0);
        if (head == NULL || !json_object_is_type(head, json_type_string) ||
            (find_op(json_object_get_string(head)) == NULL &&
             !is_unsupported_op(json_object_get_string(head))))
            return compile_array(c, j, path);
    }
    return compile_expr(c, j, want, path);
}

atlas_expr *
atlas_expr_compile(json_object *j, atlas_xtype want, atlas_xenv *env,
                   const char *path, atlas_error *err)
{
    cctx c = {env, err};
    char why[160];
    atlas_expr *e = compile(&c, j, want, path, 1);

    if (e == NULL)
        return NULL;
    if (want == ATLAS_XT_STRING && e->type != ATLAS_XT_COLOR &&
        e->type != ATLAS_XT_ARRAY)
        return e; /* text takes any scalar */
    if (want == ATLAS_XT_COLOR && e->type == ATLAS_XT_STRING)
        return e; /* parsed at run time */
    if (!type_fits(want, e->type)) {
        snprintf(why, sizeof why, "expected %s, got an expression giving %s",
                 type_name(want), type_name(e->type));
        fail(&c, path, why);
        return NULL;
    }
    return e;
}

atlas_xtype
atlas_expr_type(const atlas_expr *e)
{
    return e->type;
}

int
atlas_expr_uses_feature(const atlas_expr *e)
{
    return e->uses_feature;
}

int
atlas_expr_constant(const atlas_expr *e, atlas_xval *out)
{
    if (e->op != OP_CONST)
        return 0;
    *out = e->k;
    return 1;
}

/* ---- evaluating ------------------------------------------------------------
 */

static int
values_equal(atlas_xval a, atlas_xval b)
{
    if (a.type != b.type)
        return 0;
    switch (a.type) {
    case ATLAS_XT_NULL:
        return 1;
    case ATLAS_XT_BOOL:
        return a.u.b == b.u.b;
    case ATLAS_XT_NUMBER:
        return a.u.num == b.u.num;
    case ATLAS_XT_STRING:
        return strcmp(a.u.str, b.u.str) == 0;
    case ATLAS_XT_COLOR:
        return memcmp(&a.u.color, &b.u.color, sizeof a.u.color) == 0;
    default:
        return 0;
    }
}

static atlas_xval
eval_compare(const atlas_expr *e, atlas_xval a, atlas_xval b)
{
    int c;

    if (a.type == ATLAS_XT_ERROR || b.type == ATLAS_XT_ERROR)
        return xerror();
    if (e->op == OP_EQ)
        return xbool(values_equal(a, b));
    if (e->op == OP_NE)
        return xbool(!values_equal(a, b));
    /* ordering needs two numbers or two strings; anything else, null
     * included, is an evaluation error (the filter fails) */
    if (a.type == ATLAS_XT_NUMBER && b.type == ATLAS_XT_NUMBER) {
        c = a.u.num < b.u.num ? -1 : a.u.num > b.u.num ? 1 : 0;
        if (isnan(a.u.num) || isnan(b.u.num))
            return xbool(0);
    } else if (a.type == ATLAS_XT_STRING && b.type == ATLAS_XT_STRING) {
        c = strcmp(a.u.str, b.u.str);
    } else {
        return xerror();
    }
    switch (e->op) {
    case OP_LT:
        return xbool(c < 0);
    case OP_LE:
        return xbool(c <= 0);
    case OP_GT:
        return xbool(c > 0);
    default:
        return xbool(c >= 0);
    }
}

/* Upper- or lower-cases ASCII, Latin-1 and basic Cyrillic (the languages
 * of the atlas); other characters pass unchanged. */
static const char *
change_case(const char *s, int up, atlas_xscratch *scratch)
{
    char buf[512];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;

    while (*p != '\0' && n + 4 < sizeof buf) {
        unsigned cp, len;
        if (*p < 0x80) {
            cp = *p, len = 1;
        } else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu), len = 2;
        } else {
            /* longer sequences: copied as they are */
            len = (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 1;
            for (unsigned i = 0; i < len && p[i] != '\0'; i++)
                buf[n++] = (char)p[i];
            p += len;
            continue;
        }
        if (up) {
            if (cp >= 'a' && cp <= 'z')
                cp -= 32;
            else if ((cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) ||
                     (cp >= 0x430 && cp <= 0x44F))
                cp -= 32;
            else if (cp >= 0x450 && cp <= 0x45F)
                cp -= 80;
        } else {
            if (cp >= 'A' && cp <= 'Z')
                cp += 32;
            else if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
                     (cp >= 0x410 && cp <= 0x42F))
                cp += 32;
            else if (cp >= 0x400 && cp <= 0x40F)
                cp += 80;
        }
        if (cp < 0x80) {
            buf[n++] = (char)cp;
        } else {
            buf[n++] = (char)(0xC0 | (cp >> 6));
            buf[n++] = (char)(0x80 | (cp & 0x3F));
        }
        p += len;
    }
    return scratch_str(scratch, buf, n);
}

/* JavaScript's Number() of a string: blank is 0, else the whole string
 * must be a number. */
static int
string_to_number(const char *s, double *out)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0') {
        *out = 0;
        return 1;
    }
    if (strcmp(s, "Infinity") == 0 || strcmp(s, "+Infinity") == 0) {
        *out = INFINITY;
        return 1;
    }
    if (strcmp(s, "-Infinity") == 0) {
        *out = -INFINITY;
        return 1;
    }
    if (isalpha((unsigned char)*s) || strncasecmp(s, "nan", 3) == 0 ||
        strncasecmp(s + (*s == '-' || *s == '+'), "inf", 3) == 0)
        return 0;
    *out = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return *end == '\0';
}

static double
interp_factor(double base, double lo, double hi, double x)
{
    double diff = hi - lo, progress = x - lo;
    if (diff == 0)
        return 0;
    if (base == 1)
        return progress / diff;
    return (pow(base, progress) - 1) / (pow(base, diff) - 1);
}

static atlas_xval
lerp(atlas_xval a, atlas_xval b, double t, atlas_xscratch *s)
{
    if (a.type == ATLAS_XT_ERROR || b.type == ATLAS_XT_ERROR ||
        a.type != b.type)
        return xerror();
    switch (a.type) {
    case ATLAS_XT_NUMBER:
        return xnum(a.u.num + (b.u.num - a.u.num) * t);
    case ATLAS_XT_COLOR: {
        atlas_color x = a.u.color, y = b.u.color;
        return xcolor(
            (atlas_color){x.r + (y.r - x.r) * t, x.g + (y.g - x.g) * t,
                          x.b + (y.b - x.b) * t, x.a + (y.a - x.a) * t});
    }
    case ATLAS_XT_ARRAY: {
        size_t n = a.u.arr->n;
        if (b.u.arr->n != n)
            return xerror();
        atlas_xarr *arr = scratch_alloc(s, sizeof *arr);
        atlas_xval *items = scratch_alloc(s, (n ? n : 1) * sizeof *items);
        if (arr == NULL || items == NULL)
            return xerror();
        for (size_t i = 0; i < n; i++) {
            items[i] = lerp(a.u.arr->items[i], b.u.arr->items[i], t, s);
            if (items[i].type != ATLAS_XT_NUMBER)
                return xerror();
        }
        arr->n = n;
        arr->items = items;
        atlas_xval v = xnull();
        v.type = ATLAS_XT_ARRAY;
        v.u.arr = arr;
        return v;
    }
    default:
        return xerror();
    }
}

/* The index of the last stop <= X, or -1 when X is below the first. */
static long
find_stop(const double *stops, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (stops[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

/* "12,345.6": X with at least MIN and at most MAX fraction digits and
 * thousands separated by commas. */
static const char *
number_format(double x, int min, int max, atlas_xscratch *s)
{
    char digits[64], out[96];
    size_t n = 0;

    if (!isfinite(x) || fabs(x) >= 1e21) {
        format_number(x, digits, sizeof digits);
        return scratch_str(s, digits, strlen(digits));
    }
    /* halves away from zero, as Intl.NumberFormat rounds */
    double scale = pow(10, max);
    if (fabs(x) * scale < 1e18)
        x = round(x * scale) / scale;
    snprintf(digits, sizeof digits, "%.*f", max, x);
    char *dot = strchr(digits, '.');
    if (dot != NULL) {
        /* drop trailing zeros down to MIN fraction digits */
        char *end = digits + strlen(digits);
        while (end - dot - 1 > min && end[-1] == '0')
            *--end = '\0';
        if (end - dot - 1 == 0)
            *dot = '\0';
    }
    const char *p = digits;
    if (*p == '-') {
        if (strspn(p + 1, "0.") != strlen(p + 1))
            out[n++] = '-';
        p++;
    }
    size_t int_len = strcspn(p, ".");
    for (size_t i = 0; i < int_len; i++) {
        out[n++] = p[i];
        if (i + 1 < int_len && (int_len - i - 1) % 3 == 0)
            out[n++] = ',';
    }
    size_t rest = strlen(p + int_len);
    memcpy(out + n, p + int_len, rest);
    n += rest;
    return scratch_str(s, out, n);
}

static atlas_xval
eval_math(const atlas_expr *e, const atlas_eval_ctx *ctx, atlas_xscratch *s)
{
    double v[4] = {0, 0, 0, 0}, r = 0;
    int nary = e->op == OP_ADD || e->op == OP_MUL || e->op == OP_MIN ||
               e->op == OP_MAX;

    if (!nary && e->n <= 4) {
        for (size_t i = 0; i < e->n; i++) {
            atlas_xval a = eval(e->args[i], ctx, s);
            if (a.type != ATLAS_XT_NUMBER)
                return xerror();
            v[i] = a.u.num;
        }
    }
    switch (e->op) {
    case OP_ADD:
    case OP_MUL:
    case OP_MIN:
    case OP_MAX:
        /* n-ary: evaluated one by one */
        for (size_t i = 0; i < e->n; i++) {
            atlas_xval a = eval(e->args[i], ctx, s);
            if (a.type != ATLAS_XT_NUMBER)
                return xerror();
            if (i == 0)
                r = a.u.num;
            else if (e->op == OP_ADD)
                r += a.u.num;
            else if (e->op == OP_MUL)
                r *= a.u.num;
            else if (e->op == OP_MIN)
                r = a.u.num < r || isnan(a.u.num) ? a.u.num : r;
            else
                r = a.u.num > r || isnan(a.u.num) ? a.u.num : r;
        }
        return xnum(r);
    case OP_SUB:
        return xnum(e->n == 1 ? -v[0] : v[0] - v[1]);
    case OP_DIV:
        return xnum(v[0] / v[1]);
    case OP_MOD:
        return xnum(fmod(v[0], v[1]));
    case OP_POW:
        return xnum(pow(v[0], v[1]));
    case OP_SQRT:
        return xnum(sqrt(v[0]));
    case OP_LN:
        return xnum(log(v[0]));
    case OP_LOG10:
        return xnum(log10(v[0]));
    case OP_LOG2:
        return xnum(log2(v[0]));
    case OP_ABS:
        return xnum(fabs(v[0]));
    case OP_ROUND:
        return xnum(round(v[0])); /* halves away from zero, as MapLibre */
    case OP_FLOOR:
        return xnum(floor(v[0]));
    case OP_CEIL:
        return xnum(ceil(v[0]));
    case OP_RGB:
    case OP_RGBA: {
        double a = e->op == OP_RGBA ? v[3] : 1;
        if (v[0] < 0 || v[0] > 255 || v[1] < 0 || v[1] > 255 || v[2] < 0 ||
            v[2] > 255 || !(a >= 0 && a <= 1))
            return xerror();
        return xcolor((atlas_color){v[0] / 255, v[1] / 255, v[2] / 255, a});
    }
    default:
        return xerror();
    }
}

static atlas_xval
eval(const atlas_expr *e, const atlas_eval_ctx *ctx, atlas_xscratch *s)
{
    atlas_xval a;

    switch (e->op) {
    case OP_CONST:
        return e->k;
    case OP_GET:
    case OP_HAS: {
        atlas_value v;
        int found = 0;
        if (ctx->get != NULL) {
            memset(&v, 0, sizeof v);
            found = ctx->get(ctx->obj, e->k.u.str, &v);
        }
        if (e->op == OP_HAS)
            return xbool(found && v.type != ATLAS_V_NULL);
        if (!found)
            return xnull();
        switch (v.type) {
        case ATLAS_V_BOOL:
            return xbool(v.b);
        case ATLAS_V_NUMBER:
            return xnum(v.num);
        case ATLAS_V_STRING:
            return v.str != NULL ? xstr(v.str) : xnull();
        default:
            return xnull();
        }
    }
    case OP_ZOOM:
        return xnum(ctx->zoom);
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE: {
        atlas_xval x = eval(e->args[0], ctx, s);
        return eval_compare(e, x, eval(e->args[1], ctx, s));
    }
    case OP_ALL:
    case OP_ANY:
        for (size_t i = 0; i < e->n; i++) {
            a = eval(e->args[i], ctx, s);
            if (a.type != ATLAS_XT_BOOL)
                return xerror();
            if (a.u.b != (e->op == OP_ALL))
                return xbool(e->op != OP_ALL);
        }
        return xbool(e->op == OP_ALL);
    case OP_NOT:
        a = eval(e->args[0], ctx, s);
        return a.type == ATLAS_XT_BOOL ? xbool(!a.u.b) : xerror();
    case OP_IN: {
        atlas_xval needle = eval(e->args[0], ctx, s);
        atlas_xval hay = eval(e->args[1], ctx, s);
        if (needle.type == ATLAS_XT_ERROR || hay.type == ATLAS_XT_ERROR)
            return xerror();
        if (hay.type == ATLAS_XT_STRING) {
            if (needle.type != ATLAS_XT_STRING)
                return xerror();
            return xbool(strstr(hay.u.str, needle.u.str) != NULL);
        }
        if (hay.type != ATLAS_XT_ARRAY)
            return xerror();
        for (size_t i = 0; i < hay.u.arr->n; i++)
            if (values_equal(needle, hay.u.arr->items[i]))
                return xbool(1);
        return xbool(0);
    }
    case OP_MATCH: {
        a = eval(e->args[0], ctx, s);
        if (a.type == ATLAS_XT_ERROR)
            return a;
        if (a.type == ATLAS_XT_STRING) {
            for (size_t i = 0; i < e->n_labels; i++) {
                const atlas_xval *l = &e->labels[i].v;
                if (l->type == ATLAS_XT_STRING && l->u.str[0] == a.u.str[0] &&
                    strcmp(l->u.str, a.u.str) == 0)
                    return eval(e->args[e->labels[i].out], ctx, s);
            }
        } else if (a.type == ATLAS_XT_NUMBER) {
            for (size_t i = 0; i < e->n_labels; i++) {
                const atlas_xval *l = &e->labels[i].v;
                if (l->type == ATLAS_XT_NUMBER && l->u.num == a.u.num)
                    return eval(e->args[e->labels[i].out], ctx, s);
            }
        }
        return eval(e->args[e->n - 1], ctx, s); /* the fallback */
    }
    case OP_CASE:
        for (size_t i = 0; i + 1 < e->n; i += 2) {
            a = eval(e->args[i], ctx, s);
            if (a.type != ATLAS_XT_BOOL)
                return xerror();
            if (a.u.b)
                return eval(e->args[i + 1], ctx, s);
        }
        return eval(e->args[e->n - 1], ctx, s);
    case OP_COALESCE:
        a = xnull();
        for (size_t i = 0; i < e->n; i++) {
            a = eval(e->args[i], ctx, s);
            if (a.type != ATLAS_XT_NULL)
                return a;
        }
        return a;
    case OP_INTERPOLATE:
    case OP_STEP: {
        size_t n_stops = e->op == OP_STEP ? e->n - 2 : e->n - 1;
        a = eval(e->args[0], ctx, s);
        if (a.type != ATLAS_XT_NUMBER || isnan(a.u.num))
            return xerror();
        long i = find_stop(e->stops, n_stops, a.u.num);
        if (e->op == OP_STEP)
            return eval(e->args[2 + i], ctx, s); /* i = -1: args[1] */
        if (i < 0)
            return eval(e->args[1], ctx, s); /* clamped below */
        if ((size_t)i == n_stops - 1)
            return eval(e->args[n_stops], ctx, s); /* clamped above */
        double t =
            interp_factor(e->base, e->stops[i], e->stops[i + 1], a.u.num);
        atlas_xval lo = eval(e->args[1 + i], ctx, s);
        return lerp(lo, eval(e->args[2 + i], ctx, s), t, s);
    }
    case OP_TO_NUMBER:
        for (size_t i = 0; i < e->n; i++) {
            double d;
            a = eval(e->args[i], ctx, s);
            switch (a.type) {
            case ATLAS_XT_NULL:
                return xnum(0);
            case ATLAS_XT_BOOL:
                return xnum(a.u.b);
            case ATLAS_XT_NUMBER:
                return a;
            case ATLAS_XT_STRING:
                if (string_to_number(a.u.str, &d))
                    return xnum(d);
                break;
            case ATLAS_XT_ERROR:
                return a;
            default:
                break;
            }
        }
        return xerror();
    case OP_TO_STRING:
        a = eval(e->args[0], ctx, s);
        if (a.type == ATLAS_XT_ERROR)
            return a;
        if (a.type == ATLAS_XT_NULL)
            return xstr("");
        return xstr(atlas_xval_to_string(a, s));
    case OP_TO_BOOLEAN:
        a = eval(e->args[0], ctx, s);
        switch (a.type) {
        case ATLAS_XT_NULL:
            return xbool(0);
        case ATLAS_XT_BOOL:
            return a;
        case ATLAS_XT_NUMBER:
            return xbool(a.u.num != 0 && !isnan(a.u.num));
        case ATLAS_XT_STRING:
            return xbool(a.u.str[0] != '\0');
        case ATLAS_XT_ERROR:
            return a;
        default:
            return xbool(1);
        }
    case OP_TO_COLOR:
        for (size_t i = 0; i < e->n; i++) {
            atlas_color col;
            a = eval(e->args[i], ctx, s);
            if (a.type == ATLAS_XT_COLOR)
                return a;
            if (a.type == ATLAS_XT_STRING &&
                atlas_style_parse_color(a.u.str, &col))
                return xcolor(col);
            if (a.type == ATLAS_XT_ERROR)
                return a;
        }
        return xerror();
    case OP_TYPEOF: {
        static const char *const names[] = {"null",   "boolean", "number",
                                            "string", "color",   "array"};
        a = eval(e->args[0], ctx, s);
        if (a.type > ATLAS_XT_ARRAY)
            return xerror();
        return xstr(names[a.type]);
    }
    case OP_IS_NUMBER:
    case OP_IS_STRING:
    case OP_IS_BOOLEAN: {
        atlas_xtype want = e->op == OP_IS_NUMBER   ? ATLAS_XT_NUMBER
                           : e->op == OP_IS_STRING ? ATLAS_XT_STRING
                                                   : ATLAS_XT_BOOL;
        for (size_t i = 0; i < e->n; i++) {
            a = eval(e->args[i], ctx, s);
            if (a.type == want)
                return a;
        }
        return xerror();
    }
    case OP_CONCAT: {
        /* pieces are built on the stack: evaluating an argument may itself
         * use SCRATCH */
        char buf[512];
        size_t n = 0;
        for (size_t i = 0; i < e->n; i++) {
            a = eval(e->args[i], ctx, s);
            if (a.type == ATLAS_XT_ERROR)
                return a;
            size_t mark = s->used;
            const char *piece =
                a.type == ATLAS_XT_NULL ? "" : atlas_xval_to_string(a, s);
            size_t len = strlen(piece);
            if (len > sizeof buf - 1 - n) {
                len = sizeof buf - 1 - n; /* cut at a character boundary */
                while (len > 0 && ((unsigned char)piece[len] & 0xC0) == 0x80)
                    len--;
            }
            memcpy(buf + n, piece, len);
            n += len;
            s->used = mark; /* the piece is copied: its space is free */
        }
        return xstr(scratch_str(s, buf, n));
    }
    case OP_UPCASE:
    case OP_DOWNCASE:
        a = eval(e->args[0], ctx, s);
        if (a.type != ATLAS_XT_STRING)
            return xerror();
        return xstr(change_case(a.u.str, e->op == OP_UPCASE, s));
    case OP_NUMBER_FORMAT:
        a = eval(e->args[0], ctx, s);
        if (a.type != ATLAS_XT_NUMBER)
            return xerror();
        return xstr(number_format(a.u.num, e->min_frac, e->max_frac, s));
    default:
        return eval_math(e, ctx, s);
    }
}

atlas_xval
atlas_expr_eval(const atlas_expr *e, const atlas_eval_ctx *ctx,
                atlas_xscratch *scratch)
{
    return eval(e, ctx, scratch);
}
