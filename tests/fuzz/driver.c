/* driver.c: a main() for builds without libFuzzer. Feeds each file named
 * on the command line (or every file of each folder named) to the
 * target's LLVMFuzzerTestOneInput(), so the crash inputs kept under
 * tests/fuzz/regress/ replay in the ordinary test suite. Exit status 0
 * when every input ran; a crash is the sanitizer's or the kernel's. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (fp == NULL) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *b = realloc(buf, cap);
            if (b == NULL) {
                free(buf);
                fclose(fp);
                return -1;
            }
            buf = b;
        }
        n = fread(buf + len, 1, cap - len, fp);
        len += n;
    } while (n > 0);
    fclose(fp);
    fprintf(stderr, "running %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_path(const char *path, int *n_run)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        (*n_run)++;
        return run_file(path);
    }
    DIR *d = opendir(path);
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0;
    int rc = 0;
    if (d == NULL)
        return -1;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char **v = realloc(names, (nn + 1) * sizeof *v);
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        if (v == NULL || (v[nn] = malloc(len)) == NULL) {
            names = v ? v : names;
            rc = -1;
            break;
        }
        names = v;
        snprintf(names[nn++], len, "%s/%s", path, de->d_name);
    }
    closedir(d);
    if (nn > 0)
        qsort(names, nn, sizeof *names, cmp_str);
    for (size_t i = 0; i < nn; i++) {
        if (rc == 0 && run_path(names[i], n_run) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int
main(int argc, char **argv)
{
    int n_run = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &n_run) != 0)
            return 1;
    fprintf(stderr, "%d inputs ran\n", n_run);
    return 0;
}
