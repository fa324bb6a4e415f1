/* fuzz_proj.c: the --proj parser, atlas_proj_new() (proj.c), and a
 * forward and inverse transform of a few points, a box and a scale when
 * a definition is accepted. The input is the option's text, up to its
 * first NUL byte, as argv gives it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const double box[4] = {19, 35, 191, 78};
    atlas_error err = {0};
    char *s;

    if (size > 1024)
        return 0; /* an option, not a file */
    s = calloc(1, size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    atlas_proj *p = atlas_proj_new(s, &err);
    if (p != NULL) {
        double xy[] = {100, 60, 190.3, 66.1, -180, -90, 0, 0};
        double out[4];
        atlas_proj_fwd(p, xy, 4);
        atlas_proj_inv(p, xy, 4);
        (void)atlas_proj_bbox(p, box, out);
        (void)atlas_proj_points_bbox(p, xy, 4, out);
        (void)atlas_proj_ground_per_unit(p, 0, 0, 1000);
        atlas_proj_free(p);
    }
    free(s);
    return 0;
}
