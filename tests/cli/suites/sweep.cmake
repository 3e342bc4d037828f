# subnetsim sweep and merge: bad designs are refused before any run, index.csv does not depend on
# -j, shards or MPI ranks, a rerun resumes.
cli_test(sweep_help 0 STDOUT "--replicates" ARGS sweep --help)
cli_test(merge_help 0 STDOUT "--shards" ARGS merge --help)
cli_test(sweep_no_file 2 STDERR "no scenario file given" ARGS sweep)
cli_test(sweep_bad_param_path 2
         STDERR "--param subnets.1.kapa=0.3,0.5: /subnets/1/kapa: unknown field \\(did you mean \"kappa\"\\?\\)"
         ARGS sweep scenarios/slashing-demo.json --param subnets.1.kapa=0.3,0.5 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_bad_param_value 2
         STDERR "--param subnets.1.kappa=0.3,7: /subnets/1/kappa: must be in \\[0, 1\\], got 7"
         ARGS sweep scenarios/slashing-demo.json --param subnets.1.kappa=0.3,7 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_bad_param_syntax 2 STDERR "--param kappa: expected PATH=V1,V2"
         ARGS sweep scenarios/slashing-demo.json --param kappa -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_zip_lengths 2 STDERR "--zip: every parameter needs the same number of values"
         ARGS sweep scenarios/slashing-demo.json --zip --param subnets.1.kappa=0.3,0.5 --param subnets.1.tempo=10
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_method_without_sample 2 STDERR "--method chooses how --sample points are drawn, and there is no --sample"
         ARGS sweep scenarios/slashing-demo.json --method random --param subnets.1.kappa=0.3,0.5
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_sample_without_count 2 STDERR "--sample needs --samples N"
         ARGS sweep scenarios/slashing-demo.json --sample subnets.1.kappa=0.3:0.7 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_bad_shard 2 STDERR "--shard: expected I/N" ARGS sweep scenarios/slashing-demo.json --shard 3/2)
cli_test(sweep_negative_jobs 2 STDERR "--jobs: expected a whole number from 1 to 1024, got \"-1\"" ARGS sweep scenarios/slashing-demo.json -j -1)
cli_test(sweep_zero_replicates 2 STDERR "--replicates: expected a whole number from 1 to" ARGS sweep scenarios/slashing-demo.json --replicates 0)
cli_test(merge_zero_shards 2 STDERR "--shards: expected a whole number from 1 to" ARGS merge sweeps/none --shards 0)
cli_test(sweep_bad_grid 2 STDERR "07_unknown_keys.json: /subnets: unknown field"
         ARGS sweep scenarios/slashing-demo.json --grid tests/data/bad_scenarios/07_unknown_keys.json)
# The shared --set alone is not a valid scenario (alpha_low above the default alpha_high);
# every point, which sweeps alpha_high above it, is.
cli_test(sweep_shared_set_completed_by_the_points 0
         ARGS sweep scenarios/slashing-demo.json --horizon 24 --set subnets.1.alpha_low=0.95
              --param subnets.1.alpha_high=0.97,0.99 -q -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-completed
         FRESH ${CMAKE_CURRENT_BINARY_DIR}/sweep-completed)
cli_test(sweep_seed_twice 2 STDERR "--set seed=7 and --seed 9 both give seed \\(one would be ignored\\): drop one"
         ARGS sweep scenarios/slashing-demo.json --set seed=7 --seed 9 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_note_names_the_param 0 STDERR "note: --param subnets.9.kappa=0.3,0.4: /subnets/9: the scenario has no subnet 9"
         ARGS sweep scenarios/slashing-demo.json --horizon 24 --param subnets.9.kappa=0.3,0.4
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-note FRESH ${CMAKE_CURRENT_BINARY_DIR}/sweep-note)
cli_test(merge_not_a_sweep 2 STDERR "sweep.json: not found" ARGS merge ${CMAKE_CURRENT_BINARY_DIR}/no-such-sweep)

add_test(NAME cli:sweep_identical_for_jobs_and_shards_and_resume
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/sweep
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/sweep_identical.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
find_program(SUBNETSIM_MPIRUN NAMES mpirun mpiexec)
add_test(NAME cli:sweep_mpi_identical
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/sweep-mpi
                 "-DMPIRUN=${SUBNETSIM_MPIRUN}" -P ${CMAKE_CURRENT_SOURCE_DIR}/sweep_identical.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:sweep_identical_for_jobs_and_shards_and_resume cli:sweep_mpi_identical
                     PROPERTIES LABELS cli TIMEOUT 600)
set_tests_properties(cli:sweep_mpi_identical PROPERTIES SKIP_REGULAR_EXPRESSION "SUBNETSIM-SKIP")
cli_test(sweep_grid_nul_after_json 2
         STDERR "grid_nul_after_json.json: line 1, column 44: a NUL byte, expected JSON text"
         ARGS sweep scenarios/slashing-demo.json --grid tests/data/bad_inputs/grid_nul_after_json.json -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_grid_endless_file 2
         STDERR "/dev/zero: file is too large \\(more than the limit of 16777216 bytes\\)"
         ARGS sweep scenarios/slashing-demo.json --grid /dev/zero -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_grid_duplicate_key 2
         STDERR "grid_duplicate_key.json: /params/subnets.1.kappa: duplicate key \"subnets.1.kappa\""
         ARGS sweep scenarios/slashing-demo.json --grid tests/data/bad_inputs/grid_duplicate_key.json -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_param_duplicate_key 2
         STDERR "--param subnets.1=[^ ]*: value [^ ]*: /tempo: duplicate key \"tempo\""
         ARGS sweep scenarios/slashing-demo.json --param "subnets.1={\"tempo\":12,\"tempo\":13}" -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_param_seed 2
         STDERR "--param seed=1,2: the seed cannot be swept: each run's seed is derived from the master seed"
         ARGS sweep scenarios/slashing-demo.json --param seed=1,2 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_param_value_twice 2
         STDERR "--param agents.honest.count=3,4,3.0: the value 3.0 is given twice \\(as 3 before\\)"
         ARGS sweep scenarios/slashing-demo.json --param agents.honest.count=3,4,3.0 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
# Zipped, a value may repeat in one parameter; only a whole point may not.
cli_test(sweep_zip_repeated_value 0 STDERR "sweep: 2 runs: " FRESH ${CMAKE_CURRENT_BINARY_DIR}/sweep-zip-repeat
         ARGS sweep scenarios/slashing-demo.json --horizon 240 --zip --param subnets.1.kappa=0.4,0.5
              --param subnets.1.rho=1,1 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-zip-repeat)
cli_test(sweep_zip_repeated_point 2 STDERR "--zip: point 2 repeats point 1"
         ARGS sweep scenarios/slashing-demo.json --zip --param subnets.1.kappa=0.4,0.4
              --param subnets.1.rho=1,1 -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
# A flag and the grid file giving one setting two values: one would be ignored.
cli_test(sweep_grid_and_flag_disagree 2
         STDERR "--replicates 5 and tests/data/bad_inputs/grid_replicates_3.json /replicates \\(3\\) disagree"
         ARGS sweep scenarios/slashing-demo.json --grid tests/data/bad_inputs/grid_replicates_3.json --replicates 5
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
# An empty argument (a CI variable left unset) is refused, not taken as "the default". The
# arguments go to sh as one line, as a CMake list cannot hold an empty element.
function(cli_test_empty_arg name expected_stderr args)
  add_test(NAME cli:${name}
           COMMAND sh -c "err=$(\"$0\" ${args} 2>&1 >/dev/null); rc=$?; echo \"$err\"; [ $rc -eq 2 ] && printf '%s' \"$err\" | grep -qF -- '${expected_stderr}'"
                   $<TARGET_FILE:subnetsim>
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:${name} PROPERTIES LABELS cli)
endfunction()
cli_test_empty_arg(sweep_empty_output "-o: expected a directory, got an empty path"
                   "sweep scenarios/slashing-demo.json --param subnets.1.kappa=0.3 -q -o ''")
cli_test_empty_arg(merge_empty_directory "merge: expected a sweep directory, got an empty path" "merge ''")
cli_test_empty_arg(run_empty_junit "--junit: expected a file name (e.g. junit.xml), got an empty path"
                   "run scenarios/slashing-demo.json --horizon 20 -q -o ${CMAKE_CURRENT_BINARY_DIR}/junit-empty --junit ''")
cli_test(sweep_horizon_twice 2 STDERR "--set horizon_blocks=70 and --horizon 60 both give horizon_blocks"
         ARGS sweep scenarios/slashing-demo.json --set horizon_blocks=70 --horizon 60 --param subnets.1.kappa=0.3
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_zip_without_params 2 STDERR "--zip pairs the values of --param lists"
         ARGS sweep scenarios/slashing-demo.json --zip --sample subnets.1.kappa=0.3:0.7 --samples 2
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
# Nothing at all to pair or to draw: refused too, and named where it was given (the grid file's
# field, as the flag's).
cli_test(sweep_bare_zip 2 STDERR "--zip pairs the values of --param lists, and there is no --param"
         ARGS sweep scenarios/slashing-demo.json --zip -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_grid_zip_without_params 2
         STDERR "grid_zip_without_params.json: /zip: pairs the values of params lists, and there is no --param"
         ARGS sweep scenarios/slashing-demo.json --grid tests/data/bad_inputs/grid_zip_without_params.json
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_grid_method_without_sample 2
         STDERR "grid_method_without_sample.json: /method: chooses how sample points are drawn, and there is no sample"
         ARGS sweep scenarios/slashing-demo.json --grid tests/data/bad_inputs/grid_method_without_sample.json
              -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
# merge waits for no one: while a shard holds the directory's lock (shared, as a running shard
# does), it refuses; once free, it merges.
find_program(FLOCK flock)
if(FLOCK)
  add_test(NAME cli:merge_refuses_while_a_shard_runs
           COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; for s in 1/2 2/2; do \"$0\" sweep scenarios/slashing-demo.json --horizon 24 --param subnets.1.kappa=0.3,0.5 --shard $s -q -o \"$d\" || exit 1; done; err=$(\"$2\" -s \"$d/.sweep.lock\" \"$0\" merge \"$d\" 2>&1); rc=$?; echo \"$err\"; [ $rc -eq 2 ] && printf '%s' \"$err\" | grep -q 'another sweep is writing to this directory' && \"$0\" merge \"$d\" -q"
                   $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/merge-locked ${FLOCK}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:merge_refuses_while_a_shard_runs PROPERTIES LABELS cli)
endif()
# A sweep refused for one of its points leaves no output directory behind.
add_test(NAME cli:sweep_bad_point_leaves_no_directory
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; \"$0\" sweep scenarios/slashing-demo.json -q -o \"$d\" --param subnets.1.kappa=0.3,2; rc=$?; [ $rc -eq 2 ] && [ ! -e \"$d\" ]"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad-point
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# A grid file's sampling fields are named by pointer; a directory is not read as JSON.
cli_test(sweep_grid_samples_without_ranges 2
         STDERR "grid_samples_without_ranges.json: /samples: sampled points need ranges: a \"sample\" object"
         ARGS sweep scenarios/slashing-demo.json --grid tests/data/bad_inputs/grid_samples_without_ranges.json -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
cli_test(sweep_grid_directory 2 STDERR "tests/data: is a directory, expected a grid file \\(JSON\\)"
         ARGS sweep scenarios/slashing-demo.json --grid tests/data -o ${CMAKE_CURRENT_BINARY_DIR}/sweep-bad)
# A sweep refused because another holds the directory leaves it as it found it: no sweep.json
# of its own (a second sweep of another design wrote its sweep.json over the running one's).
cli_test_locked_out(sweep_locked_out_writes_nothing .sweep.lock ""
                    "sweep scenarios/slashing-demo.json -q --horizon 24 --param subnets.1.kappa=0.4 -o \"$1\""
                    "another sweep is writing to this directory" sweep.json)
# A run started on a directory a sweep has just taken (before its sweep.json is there) gives way.
cli_test_locked_out(run_refused_while_a_sweep_holds_the_directory .sweep.lock ""
                    "run scenarios/slashing-demo.json -q --horizon 24 -o \"$1\""
                    "a sweep is writing to this directory" summary.json .run.lock)
# Shards of another count running in the directory: a shard gives way (1/2 and 1/3 would run
# some of the same runs at once).
cli_test_locked_out(sweep_shard_of_another_count_refused .shards-of-3.lock ""
                    "sweep scenarios/slashing-demo.json -q --horizon 24 --param subnets.1.kappa=0.3,0.5 --shard 1/2 -o \"$1\""
                    "shards of this sweep split 3 ways are running in this directory" runs)
