/* cli_handout.c: placeholder for "atlas handout" and "atlas series". */
#include "cli.h"

atlas_status
cli_handout(int argc, char **argv, atlas_error *err)
{
    (void)argc;
    (void)argv;
    return atlas_error_set(err, ATLAS_E_INPUT, "handout: not built yet");
}

atlas_status
cli_series(int argc, char **argv, atlas_error *err)
{
    (void)argc;
    (void)argv;
    return atlas_error_set(err, ATLAS_E_INPUT, "series: not built yet");
}
