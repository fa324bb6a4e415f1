# Dataset checks over geodata/ (tests/test_dataset.py, Python 3 standard library).
# schema:    fields, types, ids, sources, regions, geometry, descriptions
# coverage:  minimum numbers of features and the named key sites
# forbidden: Khatyn, implausible figures, blame phrasing, sources on blogs or mirrors
# totals:    per-year 1 January sums of the camps within 3% of the reference book's
#            (tests/data/smirnov_year_sums.csv), the year-sum rule, gulag_totals.csv
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(ATLAS_PYTHON ${Python3_EXECUTABLE})
else()
  set(ATLAS_PYTHON python3)
endif()
foreach(part schema coverage forbidden totals)
  add_test(NAME dataset_${part}
           COMMAND ${ATLAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/test_dataset.py
                   ${CMAKE_SOURCE_DIR}/geodata ${CMAKE_CURRENT_SOURCE_DIR}/data --only ${part})
endforeach()
