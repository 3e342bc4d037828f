# Runs stopped midway.
#  - Ctrl-C (SIGINT): the run stops between blocks and writes everything up to there, with
#    summary.json saying "interrupted", whole files under their final names, exit status 130.
#  - SIGKILL: nothing can be finished; summary.json still says "incomplete" and no manifest
#    claims the run is whole.
#   cmake -DSUBNETSIM=... -DWORK=... -P killed_run.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND timeout -s INT --preserve-status 3 ${SUBNETSIM} run scenarios/network-year.json
                        -o ${WORK}/int --quiet
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 130)
  message(FATAL_ERROR "an interrupted run exited with ${rc}, expected 130")
endif()
file(READ ${WORK}/int/summary.json summary)
if(NOT summary MATCHES "\"status\": \"interrupted\"" OR NOT summary MATCHES "\"conservation_verified\": true")
  message(FATAL_ERROR "summary.json of an interrupted run:\n${summary}")
endif()
foreach(f events.csv classes.csv globals.csv agents.csv manifest.json)
  if(NOT EXISTS ${WORK}/int/${f})
    message(FATAL_ERROR "an interrupted run did not write ${f}")
  endif()
endforeach()
foreach(f events.csv classes.csv globals.csv)
  file(SIZE ${WORK}/int/${f} size)
  math(EXPR last "${size} - 1")
  file(READ ${WORK}/int/${f} tail OFFSET ${last} HEX)
  if(NOT tail STREQUAL "0a")
    message(FATAL_ERROR "${f} of an interrupted run ends in the middle of a line")
  endif()
endforeach()

execute_process(COMMAND ${SUBNETSIM} run scenarios/network-year.json -o ${WORK}/kill --quiet
                TIMEOUT 3 RESULT_VARIABLE rc)
if(rc EQUAL 0)
  message(FATAL_ERROR "the year-long run finished within the timeout: the test needs a longer run")
endif()
file(READ ${WORK}/kill/summary.json summary)
if(NOT summary MATCHES "\"status\": \"incomplete\"")
  message(FATAL_ERROR "summary.json of a killed run does not say it is incomplete:\n${summary}")
endif()
if(EXISTS ${WORK}/kill/manifest.json)
  message(FATAL_ERROR "a killed run left a manifest.json as if it had finished")
endif()
