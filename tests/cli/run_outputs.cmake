# What a finished run leaves behind, as a user opening the directory sees it.
#   cmake -DSUBNETSIM=... -DWORK=... -P run_outputs.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${SUBNETSIM} run scenarios/slashing-demo.json -o ${WORK} --horizon 1200 --quiet
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run failed (${rc}): ${err}")
endif()
if(NOT err STREQUAL "")
  message(FATAL_ERROR "--quiet run printed: ${err}")
endif()
foreach(f resolved_scenario.json events.csv epochs.csv classes.csv globals.csv agents.csv summary.json manifest.json)
  if(NOT EXISTS ${WORK}/${f})
    message(FATAL_ERROR "${f} is missing from the run directory")
  endif()
endforeach()
file(GLOB leftovers ${WORK}/*.partial)
if(leftovers)
  message(FATAL_ERROR "temporary files left behind: ${leftovers}")
endif()
file(READ ${WORK}/summary.json summary)
foreach(key "\"status\": \"completed\"" "\"gini\": 0\\.[0-9]" "\"top_5pct_share\": 0\\.[0-9]"
        "\"nakamoto_coefficient\": [1-9]" "\"apy_tao\": [-0-9]" "\"shares\": {" "\"governance\": {}")
  if(NOT summary MATCHES "${key}")
    message(FATAL_ERROR "summary.json lacks ${key}:\n${summary}")
  endif()
endforeach()
file(READ ${WORK}/manifest.json manifest)
if(NOT manifest MATCHES "\"scenario_sha256\": \"[0-9a-f]+\"" OR NOT manifest MATCHES "\"name\": \"epochs.csv\"")
  message(FATAL_ERROR "manifest.json lacks the scenario hash or the file list:\n${manifest}")
endif()
file(STRINGS ${WORK}/classes.csv header LIMIT_COUNT 1)
if(NOT header STREQUAL "block,netuid,epoch,group,uids,stake_tao,incentive,dividends,consensus_mean,validator_trust_mean,emission_tao,permits")
  message(FATAL_ERROR "classes.csv header: ${header}")
endif()

# --backend is part of the scenario the run records: rerunning resolved_scenario.json repeats it.
execute_process(COMMAND ${SUBNETSIM} run scenarios/slashing-demo.json -o ${WORK}-exact --horizon 360
                        --backend exact --quiet
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
file(READ ${WORK}-exact/resolved_scenario.json resolved)
if(NOT resolved MATCHES "\"consensus_backend\": \"exact\"")
  message(FATAL_ERROR "run --backend exact: resolved_scenario.json does not say so (${rc}: ${err})")
endif()
