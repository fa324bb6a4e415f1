/* fuzz_geojson.c: the OGR ingest path (load_ogr.c) and the record checks
 * behind it (load.c). The input is loaded as a .geojson file, or as a
 * .gpkg when it starts with SQLite's magic string. */
#include "fuzz_load.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int gpkg = size >= 16 && memcmp(data, "SQLite format 3", 16) == 0;
    const char *path = fuzz_tmp_file(data, size, gpkg ? ".gpkg" : ".geojson");
    fuzz_load_file(path);
    unlink(path);
    return 0;
}
