/* fuzz_options.c: the --bbox and --year option parsers (cli_common.c),
 * --kind's list parser and --size's WxH parser (layout.c). The input is
 * the option's text, up to its first NUL byte, as argv gives it. The
 * --proj parser has its own target (fuzz_proj.c): PROJ is slow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "layout.h"
#include "proj.h" /* atlas_proj_fit_conic() of a good --bbox */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;
    atlas_error err = {0};
    double bbox[4], w, h;
    int year;
    char **kinds = NULL;
    size_t n_kinds;

    if (size > 4096)
        return 0; /* an option, not a file */
    s = calloc(1, size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size); /* stops at an embedded NUL, as argv does */

    (void)cli_parse_year("--year", s, &year, &err);
    memset(&err, 0, sizeof err);
    if (cli_parse_bbox("--bbox", s, bbox, &err) == ATLAS_OK) {
        char def[256];
        atlas_proj_fit_conic(bbox, def, sizeof def);
    }
    memset(&err, 0, sizeof err);
    if (cli_parse_kinds("--kind", s, &kinds, &n_kinds, &err) == ATLAS_OK)
        free(kinds);
    memset(&err, 0, sizeof err);
    (void)atlas_layout_parse_wxh(s, "px", &w, &h);
    memset(&err, 0, sizeof err);

    free(s);
    return 0;
}
