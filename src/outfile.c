/* outfile.c: temporary file + rename, so no reader ever sees half a file. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *
atlas_outfile_tmpname(const char *path)
{
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    const char *slash;
    if (tmp == NULL)
        return NULL;
    /* a dot file in the same folder, so rename() stays on one file system */
    slash = strrchr(path, '/');
    if (slash != NULL)
        snprintf(tmp, len, "%.*s/.%s.tmp%ld", (int)(slash - path), path,
                 slash + 1, (long)getpid());
    else
        snprintf(tmp, len, ".%s.tmp%ld", path, (long)getpid());
    return tmp;
}

atlas_status
atlas_outfile_open(atlas_outfile *of, const char *path, atlas_error *err)
{
    int fd;

    memset(of, 0, sizeof *of);
    if (strcmp(path, "-") == 0) {
        of->fp = stdout;
        return ATLAS_OK;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* a device or a pipe (/dev/null, /dev/full, a FIFO): there is no
         * earlier file to keep, and no folder to put a temporary file in */
        of->fp = fopen(path, "wb");
        if (of->fp == NULL)
            return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s",
                                   path, strerror(errno));
        of->path = strdup(path);
        if (of->path == NULL) {
            fclose(of->fp);
            of->fp = NULL;
            return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        }
        return ATLAS_OK;
    }
    of->path = strdup(path);
    of->tmp = atlas_outfile_tmpname(path);
    if (of->path == NULL || of->tmp == NULL) {
        atlas_outfile_abort(of);
        return atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
    }
    fd = open(of->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || (of->fp = fdopen(fd, "wb")) == NULL) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        free(of->path);
        free(of->tmp);
        memset(of, 0, sizeof *of);
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", path,
                               strerror(e));
    }
    return ATLAS_OK;
}

atlas_status
atlas_outfile_rename(const char *tmp, const char *path, atlas_error *err)
{
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", path,
                               strerror(e));
    }
    return ATLAS_OK;
}

atlas_status
atlas_outfile_commit(atlas_outfile *of, atlas_error *err)
{
    int bad;

    if (of->fp == NULL)
        return atlas_error_set(err, ATLAS_E_IO, "output not open");
    if (of->tmp == NULL) { /* standard output or a device */
        bad = fflush(of->fp) != 0 || ferror(of->fp);
        int e = errno;
        if (of->fp != stdout && fclose(of->fp) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad)
            atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s",
                            of->path ? of->path : "standard output",
                            strerror(e));
        free(of->path);
        of->path = NULL;
        of->fp = NULL;
        return err->code;
    }
    bad = fflush(of->fp) != 0 || ferror(of->fp);
    int e = errno;
    if (fclose(of->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    of->fp = NULL;
    if (bad || err->code != ATLAS_OK) {
        unlink(of->tmp);
        if (err->code == ATLAS_OK)
            atlas_error_set(err, ATLAS_E_IO, "%s: cannot write: %s", of->path,
                            strerror(e));
    } else {
        atlas_outfile_rename(of->tmp, of->path, err);
    }
    free(of->tmp);
    free(of->path);
    of->tmp = of->path = NULL;
    return err->code;
}

void
atlas_outfile_abort(atlas_outfile *of)
{
    if (of->fp != NULL && of->fp != stdout)
        fclose(of->fp);
    if (of->tmp != NULL)
        unlink(of->tmp);
    free(of->tmp);
    free(of->path);
    memset(of, 0, sizeof *of);
}
