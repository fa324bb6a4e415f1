# Handouts, series and their translations (tests/handout/).
set(HANDOUT_CASES
    handout_a4 handout_letter handout_table handout_kind handout_same
    handout_edge handout_lang handout_errors series_pages series_jobs series_files
    series_progress series_errors geodata_smoke legible handout_title series_legend)
foreach(case IN LISTS HANDOUT_CASES)
  add_test(NAME handout_${case}
           COMMAND sh ${ATLAS_TESTS}/handout/handout.sh ${ATLAS_BIN}
                   ${CMAKE_SOURCE_DIR} ${case})
  set_tests_properties(handout_${case} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
set_tests_properties(handout_geodata_smoke handout_series_legend PROPERTIES
                     TIMEOUT 600)

add_test(NAME handout_i18n_complete
         COMMAND sh ${ATLAS_TESTS}/handout/i18n_complete.sh
                 ${CMAKE_SOURCE_DIR}/i18n)
set_tests_properties(handout_i18n_complete PROPERTIES SKIP_RETURN_CODE 77)
