# Foundation: loading, the store, exports, the command line.
set(BAD_INPUT_CASES
    missing_file unreadable_file empty_file unclosed_quote column_count
    coord_not_number lat_out_of_range lon_out_of_range years_reversed
    years_outside duplicate_ids invalid_utf8 long_line not_json null_geometry
    wrong_geometry multipoint db_is_folder kind_geometry unknown_kind orphan_years shp_missing_dbf
    not_geopackage output_dir_missing partial_load new_db_removed bad_option
    unknown_option)
foreach(case IN LISTS BAD_INPUT_CASES)
  add_test(NAME bad_input_${case}
           COMMAND sh ${ATLAS_TESTS}/cli/bad_input.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/data ${case})
endforeach()

set(STORE_CASES
    export_golden geojson_ogr roundtrip_csv roundtrip_shp idempotent replace
    gpkg_valid year_index_plan kinds_bbox geojsonseq list_json default_db
    help_version ranges)
foreach(case IN LISTS STORE_CASES)
  add_test(NAME store_${case}
           COMMAND sh ${ATLAS_TESTS}/cli/store.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/data ${case})
endforeach()

# Ids are unique across sites and lines, within a load and against the
# stored other table (tests/cli/bad_input.sh).
foreach(case id_clash_load id_clash_stored)
  add_test(NAME bad_input_${case}
           COMMAND sh ${ATLAS_TESTS}/cli/bad_input.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/data ${case})
endforeach()
