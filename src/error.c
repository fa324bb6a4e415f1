/* error.c: the single place errors are recorded (break here to see them). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
atlas_error_init(atlas_error *err)
{
    err->code = ATLAS_OK;
    err->msg[0] = '\0';
}

atlas_status
atlas_error_set(atlas_error *err, atlas_status code, const char *fmt, ...)
{
    va_list ap;

    if (err->code != ATLAS_OK)
        return err->code; /* the first error is the most significant */
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

atlas_status
atlas_error_prefix(atlas_error *err, const char *fmt, ...)
{
    char prefix[256];
    size_t np, nold;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    np = strlen(prefix);
    if (np >= sizeof err->msg)
        np = sizeof err->msg - 1;
    nold = strnlen(err->msg, sizeof err->msg - 1);
    if (np + nold >= sizeof err->msg)
        nold = sizeof err->msg - 1 - np; /* the tail is cut, not the place */
    memmove(err->msg + np, err->msg, nold);
    memcpy(err->msg, prefix, np);
    err->msg[np + nold] = '\0';
    return err->code;
}

int
atlas_error_exit_code(atlas_status status)
{
    switch (status) {
    case ATLAS_OK:
        return 0;
    case ATLAS_E_INPUT:
        return 1;
    default:
        return 2;
    }
}
