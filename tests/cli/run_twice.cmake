# Runs a scenario twice (threads 1 and 2) into separate directories and requires byte-identical
# outputs (summary.json compared without its wall time).
#   cmake -DSUBNETSIM=... -DSCENARIO=... -DWORK=... -P run_twice.cmake
file(REMOVE_RECURSE ${WORK})
foreach(t 1 2)
  execute_process(COMMAND ${SUBNETSIM} run ${SCENARIO} -o ${WORK}/t${t} --threads ${t} --horizon 1200
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run with --threads ${t} failed (${rc}): ${err}")
  endif()
endforeach()
foreach(f resolved_scenario.json events.csv epochs.csv classes.csv globals.csv agents.csv manifest.json)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/t1/${f} ${WORK}/t2/${f}
                  RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "${f} differs between --threads 1 and --threads 2")
  endif()
endforeach()
foreach(t 1 2)
  file(READ ${WORK}/t${t}/summary.json s${t})
  string(REGEX REPLACE "\"wall_time_s\": [0-9.e+-]+" "" s${t} "${s${t}}")
endforeach()
if(NOT s1 STREQUAL s2)
  message(FATAL_ERROR "summary.json differs between --threads 1 and --threads 2 (wall time aside)")
endif()
file(READ ${WORK}/t1/summary.json summary)
if(NOT summary MATCHES "\"conservation_verified\": true")
  message(FATAL_ERROR "summary.json does not say conservation was verified:\n${summary}")
endif()
