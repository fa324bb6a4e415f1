# Faults: killed loads, full disks, unwritable outputs, two writers.
foreach(case kill_load dev_full disk_full unwritable_output concurrent_loads)
  add_test(NAME fault_${case}
           COMMAND sh ${ATLAS_TESTS}/cli/faults.sh ${ATLAS_BIN}
                   ${ATLAS_TESTS}/data ${case})
  set_tests_properties(fault_${case} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
