# A scenario run against its committed golden run directory (tests/data/golden/README.md):
#   cmake -DSUBNETSIM=... -DSCENARIO=... -DHORIZON=... -DGOLDEN=... -DWORK=... -P golden_run.cmake
# The golden directory keeps summary.json and the small CSV files; the run's per-uid series
# (epochs.csv) is left out of it to keep it small, so it is removed here before comparing.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${SUBNETSIM} run ${SCENARIO} --horizon ${HORIZON} -q -o ${WORK}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run ${SCENARIO} --horizon ${HORIZON} failed (${rc}):\n${out}\n${err}")
endif()
file(REMOVE ${WORK}/epochs.csv)
execute_process(COMMAND ${SUBNETSIM} compare ${WORK} ${GOLDEN}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^[1-9][0-9]* series compared, 0 differ\n$")
  message(FATAL_ERROR "the run differs from the golden run ${GOLDEN} (compare exit ${rc}).\n"
                      "If the change is intended, regenerate it as tests/data/golden/README.md says.\n"
                      "--- compare ---\n${out}${err}")
endif()
