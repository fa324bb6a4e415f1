# The renderer: golden images, Chukotka in one piece, determinism, label
# overlap, map numbers' leaders, size limits and atomic output (test_render,
# features built in memory), then the atlas render command on a small fixture (cli/render.sh
# in tests/render/: PDF, SVG, year differences, exact error messages).
# Fonts are pinned: a fontconfig file naming only DejaVu's folder.
add_executable(test_render ${CMAKE_CURRENT_SOURCE_DIR}/test_render.c)
target_link_libraries(test_render PRIVATE atlascore)

execute_process(COMMAND fc-match -f "%{file}" "DejaVu Sans"
                OUTPUT_VARIABLE ATLAS_DEJAVU RESULT_VARIABLE fc_rc)
if(fc_rc EQUAL 0 AND ATLAS_DEJAVU MATCHES "DejaVuSans")
  get_filename_component(ATLAS_DEJAVU_DIR "${ATLAS_DEJAVU}" DIRECTORY)
else()
  set(ATLAS_DEJAVU_DIR "/usr/share/fonts/truetype/dejavu")
endif()
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/render-fonts.conf
  "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n"
  "<fontconfig><dir>${ATLAS_DEJAVU_DIR}</dir>"
  "<cachedir>${CMAKE_CURRENT_BINARY_DIR}/render-fontcache</cachedir>"
  "</fontconfig>\n")
set(ATLAS_RENDER_ENV
    "FONTCONFIG_FILE=${CMAKE_CURRENT_BINARY_DIR}/render-fonts.conf"
    "SOURCE_DATE_EPOCH=0")

foreach(case golden chukotka deterministic labels errors markers legend_corner
             polar_lines leaders)
  add_test(NAME render_${case}
           COMMAND test_render ${CMAKE_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/render-out ${case})
  set_tests_properties(render_${case} PROPERTIES
    SKIP_RETURN_CODE 77 ENVIRONMENT "${ATLAS_RENDER_ENV}")
endforeach()

foreach(case help pdf svg years deterministic bad_options defaults
             line_labels legend_below line_obstacles kept kept_geodata graticule legend_visible flows)
  add_test(NAME render_cli_${case}
           COMMAND sh ${ATLAS_TESTS}/render/cli.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/render ${case})
  set_tests_properties(render_cli_${case} PROPERTIES
    SKIP_RETURN_CODE 77 ENVIRONMENT "${ATLAS_RENDER_ENV}")
endforeach()

# Insets of dense clusters (Moscow, Leningrad) on the dataset's 1937 map
# and handout: drawn by themselves, --inset / --no-insets, the handout's
# numbers (tests/render/inset.sh).
foreach(case auto options handout)
  add_test(NAME render_inset_${case}
           COMMAND sh ${ATLAS_TESTS}/render/inset.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/render ${case})
  set_tests_properties(render_inset_${case} PROPERTIES
    SKIP_RETURN_CODE 77 ENVIRONMENT "${ATLAS_RENDER_ENV}")
endforeach()
