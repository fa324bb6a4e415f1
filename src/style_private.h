/* style_private.h: what style.c and style_expr.c share and nothing else
 * sees: the memory pool a style lives in, expression values and the
 * expression compiler and evaluator (style_expr.c). */
#ifndef ATLAS_STYLE_PRIVATE_H
#define ATLAS_STYLE_PRIVATE_H

#include <stddef.h>

#include <json-c/json.h>

#include "error.h"
#include "style.h"

/* A pool: blocks freed all at once with the style. Every node, string and
 * array of a compiled style lives in one, so a failed load frees cleanly
 * and a style is a few allocations, not thousands. */
typedef struct atlas_xpool atlas_xpool;

/* Returns N zeroed bytes from *POOL (starting it if NULL), or NULL. */
void *atlas_xpool_alloc(atlas_xpool **pool, size_t n);
/* Copies S into *POOL; NULL on no memory. */
char *atlas_xpool_strdup(atlas_xpool **pool, const char *s);
/* Frees every block of POOL; NULL is a no-op. */
void atlas_xpool_free(atlas_xpool *pool);

/* Value types of expressions. ANY is a static type only ("value": known
 * at run time); ERROR only a run-time one (a failed evaluation, which
 * makes a filter false and a property fall back to its default). */
typedef enum atlas_xtype {
    ATLAS_XT_NULL,
    ATLAS_XT_BOOL,
    ATLAS_XT_NUMBER,
    ATLAS_XT_STRING,
    ATLAS_XT_COLOR,
    ATLAS_XT_ARRAY,
    ATLAS_XT_ANY,
    ATLAS_XT_ERROR
} atlas_xtype;

typedef struct atlas_xarr atlas_xarr;

typedef struct atlas_xval {
    atlas_xtype type;
    union {
        int b;
        double num;
        const char *str; /* borrowed: pool, feature or scratch */
        atlas_color color;
        const atlas_xarr *arr;
    } u;
} atlas_xval;

struct atlas_xarr {
    size_t n;
    const atlas_xval *items;
};

/* Scratch space for strings and arrays made while evaluating (concat,
 * to-string, interpolated arrays): a caller's stack buffer, so evaluation
 * never allocates. What does not fit is truncated. */
typedef struct atlas_xscratch {
    char *buf;
    size_t cap, used;
} atlas_xscratch;

typedef struct atlas_expr atlas_expr;

/* Where compiling happens: the file name for messages, the pool, and the
 * interned property names of ["get", NAME]. */
typedef struct atlas_xenv {
    const char *file;
    atlas_xpool **pool;
    struct atlas_xname *names; /* interned names, a list in the pool */
    /* what the property being compiled accepts */
    const char *const *enums; /* allowed strings, or NULL for any */
    atlas_xtype item_type;    /* array items: NUMBER, STRING or ANY */
    size_t array_len;         /* arrays must have this length; 0: any */
    int item_min_zero;        /* array numbers must be >= 0 */
    int font_names;           /* strings are font families: no '/' */
    int is_filter;            /* compiling a layer filter */
} atlas_xenv;

/* Compiles the JSON value J as an expression or constant of type WANT
 * (ATLAS_XT_ANY for no expectation; ATLAS_XT_ARRAY accepts a bare JSON
 * array as a constant). PATH names J in messages. Returns the expression
 * (owned by the pool), or NULL with ERR set. */
atlas_expr *atlas_expr_compile(json_object *j, atlas_xtype want,
                               atlas_xenv *env, const char *path,
                               atlas_error *err);

/* Evaluates E for CTX; strings and arrays made on the way go to SCRATCH. */
atlas_xval atlas_expr_eval(const atlas_expr *e, const atlas_eval_ctx *ctx,
                           atlas_xscratch *scratch);

/* The static result type of E (ATLAS_XT_ANY when known only at run time). */
atlas_xtype atlas_expr_type(const atlas_expr *e);
/* 1 when E reads feature properties (get, has). */
int atlas_expr_uses_feature(const atlas_expr *e);
/* 1 when E is a constant; then *OUT is its value. */
int atlas_expr_constant(const atlas_expr *e, atlas_xval *out);

/* Value conversions with MapLibre's rules. */
/* to-string: writes V as text into SCRATCH; returns the string. */
const char *atlas_xval_to_string(atlas_xval v, atlas_xscratch *scratch);
/* A short description of a JSON value for messages: "\"big\"", "an
 * object", "3". Written into BUF of SIZE bytes. */
const char *atlas_json_describe(json_object *j, char *buf, size_t size);

#endif /* ATLAS_STYLE_PRIVATE_H */
