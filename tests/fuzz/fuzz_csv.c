/* fuzz_csv.c: the CSV reader (load_csv.c) and the record checks behind
 * it (load.c), on a file holding the input. */
#include "fuzz_load.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_tmp_file(data, size, ".csv");
    fuzz_load_file(path);
    unlink(path);
    return 0;
}
