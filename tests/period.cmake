# The reference layers: borders of a date, places with the names of their
# year, published totals (tests/cli/period.sh), and the checks of their
# files in geodata/ (Python 3 standard library).
set(PERIOD_CASES
    load_counts borders_by_date places_by_year geodata_borders geodata_places
    handout_uk handout_pl map_period bad_name_year bad_name_overlap
    bad_name_place bad_border_polygon bad_border_gap bad_border_overlap
    bad_border_date bad_date_option totals_share)
foreach(case IN LISTS PERIOD_CASES)
  add_test(NAME period_${case}
           COMMAND sh ${ATLAS_TESTS}/cli/period.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/data ${CMAKE_SOURCE_DIR} ${case})
endforeach()
add_test(NAME dataset_borders
         COMMAND python3 ${ATLAS_TESTS}/test_borders.py
                 ${CMAKE_SOURCE_DIR}/geodata/borders.geojson
                 ${ATLAS_TESTS}/data/border_checks.csv)
add_test(NAME dataset_places
         COMMAND python3 ${ATLAS_TESTS}/test_places.py ${CMAKE_SOURCE_DIR}/geodata)
add_test(NAME dataset_site_names
         COMMAND python3 ${ATLAS_TESTS}/test_site_names.py ${CMAKE_SOURCE_DIR}/geodata)
