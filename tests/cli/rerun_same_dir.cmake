# A second run into the directory of an earlier one leaves none of the earlier run's files:
# the first (slashing-demo --report) writes report.html and epochs.csv; the second
# (network-year, per-uid output off, no --report) writes neither, and they must be gone.
# A file of another name is left alone.
#   cmake -DSUBNETSIM=... -DWORK=... -P rerun_same_dir.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${SUBNETSIM} run scenarios/slashing-demo.json --horizon 120 -q --report -o ${WORK}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0 AND NOT rc EQUAL 1)
  message(FATAL_ERROR "first run failed (${rc}): ${err}")
endif()
foreach(f report.html epochs.csv)
  if(NOT EXISTS ${WORK}/${f})
    message(FATAL_ERROR "the first run did not write ${f}")
  endif()
endforeach()
file(WRITE ${WORK}/notes.txt "mine\n")
execute_process(COMMAND ${SUBNETSIM} run scenarios/network-year.json --horizon 400 -q -o ${WORK}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "second run failed (${rc}): ${err}")
endif()
foreach(f report.html epochs.csv)
  if(EXISTS ${WORK}/${f})
    message(FATAL_ERROR "${f} of the earlier run is still in the directory of the new one")
  endif()
endforeach()
if(NOT EXISTS ${WORK}/notes.txt)
  message(FATAL_ERROR "a file the run does not write was removed")
endif()
file(READ ${WORK}/summary.json summary)
if(NOT summary MATCHES "\"scenario\": \"network-year\"")
  message(FATAL_ERROR "summary.json is not the second run's:\n${summary}")
endif()
