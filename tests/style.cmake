# The style module: expressions, colours, messages of bad styles; every
# shipped style parsed by atlas and validated by MapLibre's own validator.
add_executable(test_style ${CMAKE_CURRENT_SOURCE_DIR}/test_style.c)
target_link_libraries(test_style PRIVATE atlascore)
add_test(NAME style_unit COMMAND test_style)

file(GLOB ATLAS_SHIPPED_STYLES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/styles/*.json)
add_test(NAME style_shipped COMMAND test_style ${ATLAS_SHIPPED_STYLES})

# gl-style-validate from npm; 77 (skip) when npm or the registry is not
# reachable, any validation error fails.
add_test(NAME style_maplibre_validate
         COMMAND ${CMAKE_SOURCE_DIR}/scripts/validate-styles)
set_tests_properties(style_maplibre_validate PROPERTIES
  SKIP_RETURN_CODE 77
  ENVIRONMENT "ATLAS_NPM_CACHE=${CMAKE_BINARY_DIR}/npm-style-spec")
