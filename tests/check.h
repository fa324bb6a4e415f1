/* check.h: the failure counting of the C unit tests (as Redis's
 * testhelp.h): CHECK() counts a check and reports a false one with its
 * file and line; check_summary() prints the totals and gives the exit
 * status. One test program includes it once. */
#ifndef ATLAS_TEST_CHECK_H
#define ATLAS_TEST_CHECK_H

#include <stdio.h>

static int n_checks, n_failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        n_checks++;                                                            \
        if (!(cond)) {                                                         \
            n_failed++;                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

/* Prints "N checks, M failed" and returns the exit status: 0 when none
 * failed, else 1. */
static inline int
check_summary(void)
{
    printf("%d checks, %d failed\n", n_checks, n_failed);
    return n_failed != 0;
}

#endif /* ATLAS_TEST_CHECK_H */
