# The scenario library (scenarios/README.md): every scenario runs on a short horizon that still
# shows its result, and all its expectations pass. The full horizons are for people.
# scenario_test(NAME HORIZON EXPECTATIONS [extra run arguments...])
function(scenario_test name horizon count)
  cli_test(scenario_${name} 0 STDOUT "\n${count} expectations?: ${count} passed, 0 failed\n"
           ARGS run scenarios/${name}.json --horizon ${horizon} -q
                -o ${CMAKE_CURRENT_BINARY_DIR}/scenarios/${name} ${ARGN})
endfunction()

scenario_test(slashing-demo 1200 5)
scenario_test(innovator-vs-cloners 230000 6)
scenario_test(reward-concentration 3600 4)
scenario_test(min-stake-governance 14400 7)
scenario_test(price-volatility-leverage 216000 9)
scenario_test(emission-splits 100000 9)
scenario_test(weight-copying 3600 6)
scenario_test(network-year 3600 4)

# One scenario against its golden run: any change of its outputs shows as a failing test with
# the differing series (tests/data/golden/README.md says how to regenerate it on purpose).
add_test(NAME cli:golden_slashing_demo
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DSCENARIO=scenarios/slashing-demo.json
                 -DHORIZON=1200 -DGOLDEN=${PROJECT_SOURCE_DIR}/tests/data/golden/slashing-demo
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/golden/slashing-demo
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/golden_run.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:golden_slashing_demo PROPERTIES LABELS cli)
