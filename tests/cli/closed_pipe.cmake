# A run whose stdout is a pipe closed early (`run ... --story | head -1`) still finishes, writes
# its outputs and exits with its own status (1: its expectation fails), not killed by SIGPIPE.
#   cmake -DSUBNETSIM=... -DWORK=dir -P closed_pipe.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(
  COMMAND "${SUBNETSIM}" run scenarios/slashing-demo.json --horizon 1200 -o "${WORK}/run" --story
          --junit "${WORK}/junit.xml" --set "expect=[{\"metric\":\"slashed_tao\",\"op\":\"<\",\"value\":0}]"
  COMMAND head -c 1
  RESULTS_VARIABLE codes OUTPUT_QUIET ERROR_QUIET)
list(GET codes 0 run_code)
if(NOT run_code STREQUAL "1")
  message(FATAL_ERROR "run behind a closed pipe exited with ${run_code}, expected 1")
endif()
if(NOT EXISTS "${WORK}/junit.xml" OR NOT EXISTS "${WORK}/run/summary.json")
  message(FATAL_ERROR "run behind a closed pipe did not write its JUnit report and summary")
endif()
file(READ "${WORK}/run/summary.json" summary)
if(NOT summary MATCHES "\"status\": \"completed\"")
  message(FATAL_ERROR "run behind a closed pipe did not complete: ${summary}")
endif()
