# Hostile input: strings that look like markup, format strings, SQL or
# terminal controls; SQL in filters; styles naming files; huge, absurd and
# deeply nested input. tests/cli/hostile.sh; 77 skips.
foreach(case strings_export strings_list strings_render sql_kind style_files
        db_far_line db_bad_geom no_labels replace_lines replace_sites
        replace_both db_bad_text
        huge_csv pipe_csv absurd_size deep_json)
  add_test(NAME hostile_${case}
           COMMAND sh ${ATLAS_TESTS}/cli/hostile.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/data ${case})
  set_tests_properties(hostile_${case} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()

# The store's own quoting, behind the command line's check of kinds.
add_executable(test_hostile ${CMAKE_CURRENT_SOURCE_DIR}/test_hostile.c)
target_link_libraries(test_hostile PRIVATE atlascore)
add_test(NAME hostile_sql_store
         COMMAND test_hostile ${CMAKE_CURRENT_SOURCE_DIR}/data/load)
# Features no loader would make, drawn: no write past a buffer.
add_test(NAME hostile_render_unloadable
         COMMAND test_hostile --render ${CMAKE_SOURCE_DIR})
# Numbers no format can hold are never written; huge ones are whole.
add_test(NAME hostile_export_numbers COMMAND test_hostile --export)
