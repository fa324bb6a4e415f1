# Fuzzing (tests/fuzz/): one target per parser that reads outside input.
# Every build compiles each target with tests/fuzz/driver.c, a main() that
# replays the crash inputs kept in tests/fuzz/regress/<target>/ and the
# seed corpus, so they run in the ordinary suite. With -DATLAS_FUZZ=ON
# (clang only; scripts/fuzz configures build-fuzz/ so) the same targets
# are also built as libFuzzer binaries, fuzz_<target>.
set(ATLAS_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(ATLAS_FUZZ_TARGETS csv geojson style options proj db)
option(ATLAS_FUZZ "Build the libFuzzer targets of tests/fuzz (clang)" OFF)

if(ATLAS_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ATLAS_FUZZ needs clang: configure with CC=clang")
  endif()
  # instrument the library for coverage; every binary gets the runtimes
  target_compile_options(atlascore PRIVATE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all)
  target_link_options(atlascore INTERFACE -fsanitize=address,undefined)
endif()

foreach(t IN LISTS ATLAS_FUZZ_TARGETS)
  set(srcs ${ATLAS_FUZZ_DIR}/fuzz_${t}.c)
  if(t STREQUAL "options") # the option parsers live with the command line
    list(APPEND srcs ${CMAKE_SOURCE_DIR}/src/cli_common.c)
  endif()
  add_executable(fuzz_${t}_replay ${srcs} ${ATLAS_FUZZ_DIR}/driver.c)
  target_link_libraries(fuzz_${t}_replay PRIVATE atlascore)
  add_test(NAME fuzz_regress_${t}
           COMMAND fuzz_${t}_replay ${ATLAS_FUZZ_DIR}/regress/${t}
                   ${ATLAS_FUZZ_DIR}/corpus/${t})
  if(ATLAS_FUZZ)
    add_executable(fuzz_${t} ${srcs})
    target_compile_options(fuzz_${t} PRIVATE
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_${t} PRIVATE atlascore)
  endif()
endforeach()
