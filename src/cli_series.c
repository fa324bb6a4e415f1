/* cli_series.c: "atlas series" (being written). */
#include "cli.h"

atlas_status
cli_series(int argc, char **argv, atlas_error *err)
{
    (void)argc;
    (void)argv;
    return atlas_error_set(err, ATLAS_E_INPUT, "series: not built yet");
}
