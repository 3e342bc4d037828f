# A small sweep of the demo (2 parameters x 2 values x 2 replicates, 240 blocks) must write a
# byte-identical index.csv and aggregates.csv however it is run.
#   cmake -DSUBNETSIM=... -DWORK=... -P sweep_identical.cmake
#       -j 1, -j 2, two shards merged; then a rerun resumes (runs nothing, rewrites the same tables)
#   cmake -DSUBNETSIM=... -DWORK=... -DMPIRUN=... -P sweep_identical.cmake
#       -j 1 against `mpirun -n 2 ... --mpi`; prints SUBNETSIM-SKIP when there is no mpirun or
#       the build has no MPI runner
file(REMOVE_RECURSE ${WORK})
set(design scenarios/slashing-demo.json --horizon 240 --replicates 2 --param subnets.1.kappa=0.3,0.6
           --param agents.honest.count=4,5)

function(sweep out)
  execute_process(COMMAND ${SUBNETSIM} sweep ${design} -o ${WORK}/${out} ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sweep ${ARGN} -o ${out} failed (${rc}):\n${log}")
  endif()
  set(sweep_log "${log}" PARENT_SCOPE)
endfunction()

# expect(RC REGEX command...): the command exits with RC and its stderr matches REGEX.
function(expect want pattern)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE log)
  if(NOT rc EQUAL want OR NOT log MATCHES "${pattern}")
    message(FATAL_ERROR "expected exit status ${want} and /${pattern}/ from ${ARGN}, got ${rc}:\n${log}")
  endif()
endfunction()

function(require_same a b)
  foreach(f index.csv aggregates.csv)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/${a}/${f} ${WORK}/${b}/${f} RESULT_VARIABLE diff)
    if(NOT diff EQUAL 0)
      file(READ ${WORK}/${a}/${f} ta)
      file(READ ${WORK}/${b}/${f} tb)
      message(FATAL_ERROR "${f} differs between ${a} and ${b}:\n--- ${a}\n${ta}\n--- ${b}\n${tb}")
    endif()
  endforeach()
endfunction()

sweep(j1 -j 1 --quiet)
file(STRINGS ${WORK}/j1/index.csv lines)
list(LENGTH lines n)
list(GET lines 0 header)
if(NOT n EQUAL 9 OR NOT header MATCHES "^run_id,point,replicate,subnets\\.1\\.kappa,agents\\.honest\\.count,seed,status,error,")
  message(FATAL_ERROR "index.csv should have a header and 8 rows:\n${lines}")
endif()
list(GET lines 8 last)
if(NOT last MATCHES "^p0003-r01,3,1,0\\.6,5,[0-9]+,ok,,")
  message(FATAL_ERROR "unexpected last row of index.csv: ${last}")
endif()
if(NOT header MATCHES ",slashed_tao" OR NOT header MATCHES ",validators\\.")
  message(FATAL_ERROR "index.csv lacks summary metrics: ${header}")
endif()

if(DEFINED MPIRUN)
  if(NOT MPIRUN)
    message(STATUS "SUBNETSIM-SKIP: no mpirun on this machine")
    return()
  endif()
  # As root, Open MPI wants --allow-run-as-root; --oversubscribe allows 2 ranks on 1 core.
  # An mpirun that cannot start two plain processes here is the machine's problem, not ours.
  execute_process(COMMAND ${MPIRUN} --allow-run-as-root --oversubscribe -n 2 ${CMAKE_COMMAND} -E true
                  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log TIMEOUT 120)
  if(NOT rc EQUAL 0)
    message(STATUS "SUBNETSIM-SKIP: mpirun cannot start 2 processes here (${rc}): ${log}")
    return()
  endif()
  execute_process(COMMAND ${MPIRUN} --allow-run-as-root --oversubscribe -n 2 ${SUBNETSIM} sweep ${design}
                          -o ${WORK}/mpi --mpi --quiet
                  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log TIMEOUT 300)
  if(log MATCHES "this build has no MPI support")
    message(STATUS "SUBNETSIM-SKIP: subnetsim was built without MPI")
    return()
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mpirun -n 2 subnetsim sweep --mpi failed (${rc}):\n${log}")
  endif()
  require_same(j1 mpi)
  return()
endif()

sweep(j2 -j 2 --quiet)
require_same(j1 j2)

sweep(sharded --shard 1/2 --quiet)
if(EXISTS ${WORK}/sharded/index.csv OR NOT EXISTS ${WORK}/sharded/index.shard-1-of-2.csv)
  message(FATAL_ERROR "--shard 1/2 should write index.shard-1-of-2.csv only")
endif()
expect(2 "shard indexes missing for --shard 2/2" ${SUBNETSIM} merge ${WORK}/sharded)
sweep(sharded --shard 2/2 -j 2 --quiet)
expect(0 "merge: 8 runs, 0 failed" ${SUBNETSIM} merge ${WORK}/sharded --shards 2)
require_same(j1 sharded)

# Resume: the same command again runs nothing and leaves the runs' files alone.
file(TIMESTAMP ${WORK}/j2/runs/p0002-r01/epochs.csv before "%s%f")
file(REMOVE ${WORK}/j2/index.csv)
sweep(j2 -j 2)
if(NOT sweep_log MATCHES "0 ran, 8 skipped, 0 failed")
  message(FATAL_ERROR "a rerun should skip every run:\n${sweep_log}")
endif()
file(TIMESTAMP ${WORK}/j2/runs/p0002-r01/epochs.csv after "%s%f")
if(NOT before STREQUAL after)
  message(FATAL_ERROR "a resumed sweep rewrote a finished run (epochs.csv ${before} -> ${after})")
endif()
require_same(j1 j2)

# A different design in the same directory is refused before anything runs.
expect(2 "describes a different sweep \\(its \"master_seed\" differs\\)" ${SUBNETSIM} sweep ${design} --seed 7 -o ${WORK}/j2)
# The same under --mpi as a single process (rank 0): rank 0 says why (it said "see rank 0").
execute_process(COMMAND ${SUBNETSIM} sweep ${design} --seed 7 -o ${WORK}/j2 --mpi
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT err MATCHES "no MPI support" AND (NOT rc EQUAL 2 OR NOT err MATCHES "describes a different sweep"))
  message(FATAL_ERROR "sweep --mpi into another sweep's directory (exit ${rc}): ${err}")
endif()

# The scenario is told by its content, not its path: the same file spelled another way resumes;
# once edited, it is a different sweep (resuming would keep results of the old content).
file(COPY scenarios/slashing-demo.json DESTINATION ${WORK}/copy)
set(copy_design --horizon 240 --param subnets.1.kappa=0.3,0.6 -q)
expect(0 "" ${SUBNETSIM} sweep ${WORK}/copy/slashing-demo.json ${copy_design} -o ${WORK}/edited)
expect(0 "" ${SUBNETSIM} sweep ${WORK}/copy/../copy/slashing-demo.json ${copy_design} -o ${WORK}/edited)
file(READ ${WORK}/copy/slashing-demo.json text)
string(REPLACE "\"description\": \"" "\"description\": \"Edited. " text "${text}")
file(WRITE ${WORK}/copy/slashing-demo.json "${text}")
expect(2 "describes a different sweep \\(its \"scenario_sha256\" differs: the scenario file, its price path, --set or --horizon changed\\)"
       ${SUBNETSIM} sweep ${WORK}/copy/slashing-demo.json ${copy_design} -o ${WORK}/edited)

# A run that fails (here: its directory cannot be created) is recorded and the others go on;
# exit status 1.
# The directory is this sweep's (its sweep.json, as j1 wrote it): a runs/ folder in a directory
# without one is refused as another's.
file(MAKE_DIRECTORY ${WORK}/failing/runs)
file(COPY ${WORK}/j1/sweep.json DESTINATION ${WORK}/failing)
file(TOUCH ${WORK}/failing/runs/p0001-r00)
expect(1 "1 of 8 runs failed" ${SUBNETSIM} sweep ${design} -o ${WORK}/failing)
file(STRINGS ${WORK}/failing/index.csv rows REGEX "^p0")
list(FILTER rows INCLUDE REGEX ",ok,,")
list(LENGTH rows ok)
file(STRINGS ${WORK}/failing/index.csv failed REGEX "^p0001-r00,1,0,0\\.3,5,[0-9]+,failed,[^,]*Not a directory")
if(NOT ok EQUAL 7 OR NOT failed)
  message(FATAL_ERROR "index.csv should hold 7 ok runs and the failed p0001-r00 with its error")
endif()
