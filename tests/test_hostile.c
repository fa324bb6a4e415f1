/* test_hostile.c: SQL in a query's values never runs. Loads the fixtures
 * (tests/data/load, named on the command line) into a new GeoPackage and
 * queries it with kinds and ids written to break out of a quoted SQL
 * string: each must match nothing, and leave every table in place. The
 * command line already refuses unknown kinds; this checks the store's own
 * quoting behind it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "load.h"
#include "store.h"

/* Features matching the one kind KIND, or -1 on an error. */
static long
count_kind(atlas_store *st, const char *kind)
{
    const char *kinds[1] = {kind};
    atlas_query q = {0};
    atlas_feature_list fl;
    atlas_error err = {0};
    long n;

    q.kinds = kinds;
    q.n_kinds = 1;
    atlas_feature_list_init(&fl);
    n = atlas_store_query(st, &q, &fl, &err) == ATLAS_OK ? (long)fl.n : -1;
    atlas_feature_list_free(&fl);
    return n;
}

int
main(int argc, char **argv)
{
    static const char *const hostile[] = {
        "x') OR ('1'='1",
        "x') OR 1=1 --",
        "x'); DROP TABLE sites; --",
        "camp' || '",
        "camp\\'",
        "camp\"",
        "camp'",
        "x') UNION SELECT * FROM sites --",
    };
    char path[64];
    atlas_error err = {0};
    atlas_load_opts opts = {0};
    atlas_store *st;

    if (argc != 2) {
        fprintf(stderr, "usage: test_hostile tests/data/load\n");
        return 2;
    }
    snprintf(path, sizeof path, "hostile-%ld.gpkg", (long)getpid());
    st = atlas_store_open(path, ATLAS_STORE_CREATE, &err);
    if (st == NULL || atlas_load_paths(st, (const char *const *)&argv[1], 1,
                                       &opts, NULL, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    long camps = count_kind(st, "camp");
    CHECK(camps > 0);
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        long n = count_kind(st, hostile[i]);
        if (n != 0)
            fprintf(stderr, "kind \"%s\": %ld features\n", hostile[i], n);
        CHECK(n == 0);
        err.code = ATLAS_OK;
        CHECK(atlas_store_has_feature(st, hostile[i], &err) == 0);
    }
    /* the tables are all still there and whole */
    CHECK(count_kind(st, "camp") == camps);
    err.code = ATLAS_OK;
    CHECK(atlas_store_has_feature(st, "camp_north", &err) == 1);
    atlas_store_close(st);
    unlink(path);
    return check_summary();
}
