# SIGTERM (what Slurm sends at a job's time limit) stops a sweep cleanly: the runs under way stop
# between blocks, no more start, index.csv lists the runs begun, a line says so, exit 130.
#   cmake -DSUBNETSIM=... -DWORK=... -P sweep_interrupt.cmake
file(REMOVE_RECURSE ${WORK})
find_program(TIMEOUT timeout)
if(NOT TIMEOUT)
  message("SUBNETSIM-SKIP: no timeout program")
  return()
endif()
# Runs of ~7 s each (400,000 blocks): when the signal comes after 2 s, both workers are in the
# middle of one, however loaded the machine (with runs of under a second, both were now and then
# between runs, writing, and none was stopped).
execute_process(COMMAND ${TIMEOUT} --preserve-status -s TERM 2 ${SUBNETSIM} sweep scenarios/slashing-demo.json
                        --horizon 400000 --param subnets.1.kappa=0.3,0.5,0.7 --replicates 100 -j 2 -q -o ${WORK}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 130)
  message(FATAL_ERROR "an interrupted sweep should exit 130, got ${rc}:\n${err}")
endif()
if(NOT err MATCHES "subnetsim sweep: interrupted: [0-9]+ runs finished, [0-9]+ stopped or failed, [0-9]+ not started .*the same command resumes")
  message(FATAL_ERROR "no interruption line:\n${err}")
endif()
file(STRINGS ${WORK}/index.csv rows)
list(LENGTH rows n)
if(n GREATER_EQUAL 301)
  message(FATAL_ERROR "index.csv should list only the runs begun, it has ${n} lines")
endif()
# The runs under way when the signal came are marked interrupted (merge refuses a shard holding
# one), not failed.
file(STRINGS ${WORK}/index.csv stopped REGEX ",interrupted,[^,]*interrupted after block")
if(NOT stopped)
  message(FATAL_ERROR "index.csv should mark the stopped runs interrupted:\n${rows}")
endif()
