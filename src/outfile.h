/* outfile.h: output files that appear whole or not at all. Data goes to a
 * temporary file beside the target, which is renamed into place only when
 * everything was written; a failure leaves any earlier file intact. */
#ifndef ATLAS_OUTFILE_H
#define ATLAS_OUTFILE_H

#include <stdio.h>

#include "error.h"

typedef struct atlas_outfile {
    FILE *fp;   /* write here */
    char *path; /* the target */
    char *tmp;  /* the temporary file; NULL for stdout */
} atlas_outfile;

/* Opens PATH for writing ("-" is stdout). On failure fills ERR with
 * "PATH: cannot write: why" and returns non-zero. */
atlas_status atlas_outfile_open(atlas_outfile *of, const char *path,
                                atlas_error *err);
/* A temporary path beside PATH for writers that open files themselves
 * (cairo, libshp); the caller frees it. NULL when out of memory. */
char *atlas_outfile_tmpname(const char *path);
/* Flushes, checks for write errors, renames into place. On any error the
 * temporary file is removed and ERR filled. Always releases OF. */
atlas_status atlas_outfile_commit(atlas_outfile *of, atlas_error *err);
/* Drops the output: removes the temporary file, releases OF. */
void atlas_outfile_abort(atlas_outfile *of);
/* Renames TMP to PATH, removing TMP on failure. */
atlas_status atlas_outfile_rename(const char *tmp, const char *path,
                                  atlas_error *err);

#endif /* ATLAS_OUTFILE_H */
