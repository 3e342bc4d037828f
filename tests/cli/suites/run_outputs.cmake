# subnetsim run: the output directory, metrics in summary.json, a killed run.
add_test(NAME cli:run_outputs
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/outputs
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/run_outputs.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME cli:stopped_runs
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/killed
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/killed_run.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:run_outputs cli:stopped_runs PROPERTIES LABELS cli)
cli_test(run_expectation_fails 1 STDOUT "FAIL +miners\\.gini +end +< 0\\.1 .*1 expectation: 0 passed, 1 failed"
         ARGS run scenarios/slashing-demo.json --horizon 1200 -q -o ${CMAKE_CURRENT_BINARY_DIR}/expect-fail
              --set "expect=[{\"metric\": \"miners.gini\", \"op\": \"<\", \"value\": 0.1}]"
              --junit ${CMAKE_CURRENT_BINARY_DIR}/expect-fail.xml)
cli_test(run_expectation_passes 0 STDOUT "PASS +slashed_tao +end +> 0 .*1 expectation: 1 passed, 0 failed"
         ARGS run scenarios/slashing-demo.json --horizon 1200 -q -o ${CMAKE_CURRENT_BINARY_DIR}/expect-pass
              --set "expect=[{\"metric\": \"slashed_tao\", \"op\": \">\", \"value\": 0}]")
cli_test(run_expectation_unknown_metric 1 STDOUT "FAIL +slashd_tao.*did you mean.*slashed_tao"
         ARGS run scenarios/slashing-demo.json --horizon 1200 -q -o ${CMAKE_CURRENT_BINARY_DIR}/expect-unknown
              --set "expect=[{\"metric\": \"slashd_tao\", \"op\": \">\", \"value\": 0}]")
cli_test(run_story 0 STDOUT "validator grader/0 \\(uid 40, subnet 1\\) was slashed 10% of its stake"
         ARGS run scenarios/slashing-demo.json --horizon 1200 -q --story -o ${CMAKE_CURRENT_BINARY_DIR}/story)
# Out of memory is said as such (it printed "std::bad_alloc"), exit 4. 40 MB of address space
# holds the program but not network-year's 128 subnets.
add_test(NAME cli:run_out_of_memory
         COMMAND sh -c "err=$(ulimit -v 40000; \"$0\" run scenarios/network-year.json -q --horizon 100 -o \"$1\" 2>&1); rc=$?; echo \"$err\"; [ $rc -eq 4 ] && printf '%s' \"$err\" | grep -qF 'out of memory: this needs more memory than the machine'"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/oom
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:run_out_of_memory PROPERTIES LABELS cli)
# More threads than cores only wait for each other (8 on 2 cores ran slower than 2): the cores
# there are run, said in a note (found by a scale review).
cli_test(run_threads_beyond_cores 1 STDERR "note: --threads 1024: this process may run on [0-9]+ cores?, so [0-9]+ threads? runs? \\(more would only wait for each other"
         ARGS run scenarios/slashing-demo.json --horizon 30 --threads 1024 -o ${CMAKE_CURRENT_BINARY_DIR}/threads-beyond)
# An output directory whose files would pass PATH_MAX is bad input before anything is made (it
# failed at the first write, exit 4, leaving a directory with a lock file).
add_test(NAME cli:run_output_path_too_long
         COMMAND sh -c "d=\"$1/$(printf 'a%.0s' $(seq 1 4060))\"; err=$(\"$0\" run scenarios/slashing-demo.json -q --horizon 10 -o \"$d\" 2>&1); rc=$?; echo \"$err\"; [ $rc -eq 2 ] && printf '%s' \"$err\" | grep -qF 'the path is too long'"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:run_output_path_too_long PROPERTIES LABELS cli)
