/* fuzz_load.h: what the loader targets share. One store (a GeoPackage in
 * /dev/shm or /tmp, made once, removed at exit); each input is loaded through
 * the public atlas_load_paths(), as `atlas load FILE` does, and a load that
 * succeeds is emptied again, so every input meets the same empty database. */
#ifndef ATLAS_FUZZ_LOAD_H
#define ATLAS_FUZZ_LOAD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cpl_error.h>

#include "load.h"
#include "store.h"

static atlas_store *fuzz_st;
static char fuzz_store_path[128];

static void
fuzz_store_close(void)
{
    atlas_store_close(fuzz_st);
    unlink(fuzz_store_path);
}

static atlas_store *
fuzz_store(void)
{
    atlas_store *st = fuzz_st;
    if (st == NULL) {
        atlas_error err = {0};
        struct stat sb;
        snprintf(fuzz_store_path, sizeof fuzz_store_path,
                 "%s/atlas-fuzz-store-%ld.gpkg",
                 stat("/dev/shm", &sb) == 0 ? "/dev/shm" : "/tmp",
                 (long)getpid());
        unlink(fuzz_store_path);
        CPLPushErrorHandler(CPLQuietErrorHandler);
        st = fuzz_st =
            atlas_store_open(fuzz_store_path, ATLAS_STORE_CREATE, &err);
        if (st == NULL) {
            fprintf(stderr, "fuzz: cannot make the store: %s\n", err.msg);
            abort();
        }
        atexit(fuzz_store_close);
    }
    return st;
}

/* Loads FILE into the store, then empties the store again. */
static void
fuzz_load_file(const char *file)
{
    static const char *const tables[] = {"site_years", "sites", "lines",
                                         "sources"};
    atlas_store *st = fuzz_store();
    atlas_error err = {0};
    atlas_load_opts opts = {0};
    atlas_load_stats stats;
    const char *paths[1] = {file};

    atlas_load_paths(st, paths, 1, &opts, &stats, &err);
    if (memchr(err.msg, '\0', sizeof err.msg) == NULL)
        abort(); /* a message is always a terminated string */
    if (err.code != ATLAS_OK)
        return; /* the load undid itself */
    memset(&err, 0, sizeof err);
    if (atlas_store_begin(st, &err))
        abort();
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        if (atlas_store_clear(st, tables[i], &err))
            abort();
    if (atlas_store_commit(st, &err))
        abort();
}

#endif /* ATLAS_FUZZ_LOAD_H */
