/* error.h: status codes and the error record every atlas function fills.
 * Library code never prints or exits; only main.c prints "atlas: error: ". */
#ifndef ATLAS_ERROR_H
#define ATLAS_ERROR_H

#if defined(__GNUC__)
#define ATLAS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define ATLAS_PRINTF(fmt, args)
#endif

typedef enum atlas_status {
    ATLAS_OK = 0,
    ATLAS_E_INPUT = 1, /* bad input or usage: exit 1 */
    ATLAS_E_IO = 2,    /* I/O, environment, library failure: exit 2 */
    ATLAS_E_NOMEM = 3  /* out of memory: exit 2 */
} atlas_status;

typedef struct atlas_error {
    atlas_status code; /* ATLAS_OK until the first error */
    char msg[512];     /* "<what>: <why>" */
} atlas_error;

/* Clears ERR to ATLAS_OK with an empty message. */
void atlas_error_init(atlas_error *err);

/* Records an error in ERR unless one is already there (the first error
 * wins) and returns ERR's code. Every error passes through here. */
atlas_status atlas_error_set(atlas_error *err, atlas_status code,
                             const char *fmt, ...) ATLAS_PRINTF(3, 4);

/* Like atlas_error_set(), replacing the message even if one is set: for a
 * caller that adds context ("FILE:LINE: " + inner message). */
atlas_status atlas_error_prefix(atlas_error *err, const char *fmt, ...)
    ATLAS_PRINTF(2, 3);

/* The process exit code for STATUS: 0, 1 for bad input, 2 otherwise. */
int atlas_error_exit_code(atlas_status status);

#endif /* ATLAS_ERROR_H */
