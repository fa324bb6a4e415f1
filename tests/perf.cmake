# Performance: a smoke run of the benchmark (bench/run --quick: N = 10k,
# one run, no anchors installed) so it never rots. It asserts nothing about
# timings: machines here are small and noisy. Skipped without python3.
find_program(ATLAS_PYTHON3 python3)
if(ATLAS_PYTHON3)
  add_test(NAME perf_bench_quick
           COMMAND ${ATLAS_PYTHON3} ${CMAKE_SOURCE_DIR}/bench/run --quick
                   --atlas ${ATLAS_BIN}
                   --work ${CMAKE_CURRENT_BINARY_DIR}/bench-quick)
  set_tests_properties(perf_bench_quick PROPERTIES TIMEOUT 300)
endif()
