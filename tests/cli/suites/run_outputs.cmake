# subnetsim run: the output directory, metrics in summary.json, a killed run.
add_test(NAME cli:run_outputs
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/outputs
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_outputs.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME cli:killed_run_leaves_whole_lines
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/killed
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/killed_run.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:run_outputs cli:killed_run_leaves_whole_lines PROPERTIES LABELS cli)
