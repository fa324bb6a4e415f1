/* fuzz_tmp.h: writes a fuzz input to a file of this process, for readers
 * that take a path (the loader stats and opens what it is given). */
#ifndef ATLAS_FUZZ_TMP_H
#define ATLAS_FUZZ_TMP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path (ending in EXT) holding DATA; the same buffer every call. */
static const char *
fuzz_tmp_file(const uint8_t *data, size_t size, const char *ext)
{
    static char path[128];
    struct stat sb;
    const char *dir = stat("/dev/shm", &sb) == 0 ? "/dev/shm" : "/tmp";
    FILE *fp;

    snprintf(path, sizeof path, "%s/atlas-fuzz-%ld%s", dir, (long)getpid(),
             ext);
    fp = fopen(path, "wb");
    if (fp == NULL)
        abort();
    if (fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort();
    return path;
}

#endif /* ATLAS_FUZZ_TMP_H */
