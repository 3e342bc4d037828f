# subnetsim cases: exit statuses and messages, and the outputs of a real comparison.
cli_test(cases_help 0 STDOUT "--variants" ARGS cases --help)
cli_test(cases_no_output 2 STDERR "no output directory given" ARGS cases scenarios/yuma-cases/kappa-moves-first.json)
cli_test(cases_missing_file 2 STDERR "nope.json: file not found"
         ARGS cases nope.json -o ${CMAKE_CURRENT_BINARY_DIR}/cases-missing)
# One line for the ten cases, before anything is read or run.
cli_test(cases_bad_variant 2
         STDERR "^subnetsim cases: --variants: unknown variant \"yuma4\" \\(expected one of classic, yuma3, yuma3_liquid, classic_liquid_v1, legacy_sigmoid\\)\n$"
         ARGS cases scenarios/yuma-cases --variants classic,yuma4 -o ${CMAKE_CURRENT_BINARY_DIR}/cases-bad-variant)
cli_test(cases_negative_threads 2 STDERR "--threads: expected a whole number from 1 to 1024, got \"-2\"" ARGS cases -o ${CMAKE_CURRENT_BINARY_DIR}/cases-neg --threads -2)
cli_test(cases_negative_horizon 2 STDERR "--horizon: expected a whole number from 1 to" ARGS cases -o ${CMAKE_CURRENT_BINARY_DIR}/cases-neg-horizon --horizon -1)
cli_test(cases_bad_set 2 STDERR "/subnets/1/kappa: must be in \\[0, 1\\], got 7"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json --set subnets.1.kappa=7
              -o ${CMAKE_CURRENT_BINARY_DIR}/cases-bad-set)
add_test(NAME cli:cases_outputs
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/cases
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cases_outputs.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:cases_outputs PROPERTIES LABELS cli)
# A variant or a case twice would run twice and show as two identical columns.
cli_test(cases_variant_twice 2 STDERR "^subnetsim cases: --variants: \"classic\" is given twice\n$"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json --variants classic,yuma3,classic
              -o ${CMAKE_CURRENT_BINARY_DIR}/cases-twice)
cli_test(cases_file_twice 2 STDERR "kappa-moves-first.json: given twice \\(also as scenarios/yuma-cases/kappa-moves-first.json\\)"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json scenarios/yuma-cases/../yuma-cases/kappa-moves-first.json
              -o ${CMAKE_CURRENT_BINARY_DIR}/cases-file-twice)
# The default cases are found from any directory (they were looked for in ./scenarios only).
add_test(NAME cli:cases_default_from_elsewhere
         COMMAND ${CMAKE_COMMAND} "-DCMD=$<TARGET_FILE:subnetsim>@@cases@@--horizon@@60@@--variants@@classic@@-o@@${CMAKE_CURRENT_BINARY_DIR}/cases-elsewhere"
                 -DRC=0 "-DSTDERR=10 cases x 1 variants" -P ${CMAKE_CURRENT_SOURCE_DIR}/run_cli.cmake
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(cli:cases_default_from_elsewhere PROPERTIES LABELS cli)
cli_test(cases_directory_and_one_of_its_files 2 STDERR "kappa-delayed.json: given twice"
         ARGS cases scenarios/yuma-cases scenarios/yuma-cases/kappa-delayed.json -o ${CMAKE_CURRENT_BINARY_DIR}/cases-dir-and-file)
cli_test(cases_same_id 2 STDERR "kappa-moves-first.json: its case id \"kappa-moves-first\" \\(the file's name\\) is also that of"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json tests/data/cases_same_id/kappa-moves-first.json
              -o ${CMAKE_CURRENT_BINARY_DIR}/cases-same-id)
# A case is one subnet: several would share one variant and mix their rows.
cli_test(cases_script_creates_subnet 2
         STDERR "kappa-moves-first.json: /script: a case is one subnet, and its script creates subnet 2 at block 30"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json
              "--set" "script=[{\"at_block\": 30, \"do\": \"create_subnet\", \"netuid\": 2}]" -o ${CMAKE_CURRENT_BINARY_DIR}/cases-created)
cli_test(cases_several_subnets 2 STDERR "weight-copying.json: a case is one subnet, this scenario has 4"
         ARGS cases scenarios/weight-copying.json -o ${CMAKE_CURRENT_BINARY_DIR}/cases-several)
# Expectations are for the case's own variant: without it they are not checked, and it says so.
cli_test(cases_own_variant_left_out 0
         STDERR "note: kappa-moves-first: its expectations are checked under its own variant \\(yuma3\\), which --variants leaves out: not checked"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json --variants classic
              -o ${CMAKE_CURRENT_BINARY_DIR}/cases-own-left-out)
# -q as for run and sweep: no progress lines and no closing line.
cli_test(cases_quiet 0 STDERR "^$"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json -q -o ${CMAKE_CURRENT_BINARY_DIR}/cases-quiet)
# ... but a case whose expectations went unchecked (its own variant left out) is said even so.
cli_test(cases_quiet_unchecked 0 STDERR "its expectations are checked under its own variant \\(yuma3\\), which --variants leaves out: not checked"
         ARGS cases scenarios/yuma-cases/kappa-moves-first.json -q --variants classic
              -o ${CMAKE_CURRENT_BINARY_DIR}/cases-quiet-unchecked)
cli_test(cases_horizon_twice 2 STDERR "--set horizon_blocks=20 and --horizon 10 both give horizon_blocks"
         ARGS cases --horizon 10 --set horizon_blocks=20 -o ${CMAKE_CURRENT_BINARY_DIR}/cases-horizon-twice)
# --junit: one suite per case, and a failed expectation is a failure in it (exit 1).
add_test(NAME cli:cases_junit
         COMMAND sh -c "rm -rf \"$1\"; \"$0\" cases scenarios/yuma-cases/kappa-delayed.json -o \"$1\" --junit \"$1/junit.xml\" -q --set 'expect=[{\"metric\": \"B.dividends\", \"op\": \">\", \"value\": 5}]'; rc=$?; cat \"$1/junit.xml\"; [ $rc -eq 1 ] && grep -q '<testsuite name=\"kappa-delayed\" tests=\"1\" failures=\"1\"' \"$1/junit.xml\""
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/cases-junit
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:cases_junit PROPERTIES LABELS cli)
# One cases command at a time in a directory (a second replaced the first's finished runs).
cli_test_locked_out(cases_refused_while_another_writes .cases.lock ""
                    "cases scenarios/yuma-cases -q --horizon 300 -o \"$1\""
                    "another cases command is writing to this directory" runs)
# Ctrl-C stops cases as it stops run: exit 130, the run under way complete (no .partial file),
# and no tables (earlier ones removed: they would not describe the runs replaced).
add_test(NAME cli:cases_interrupted
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; mkdir -p \"$d\"; echo stale > \"$d/cases.csv\"; timeout --preserve-status -s INT 2 \"$0\" cases scenarios/yuma-cases -q --horizon 300000 -o \"$d\" > \"$d.out\" 2>&1; rc=$?; cat \"$d.out\"; [ $rc -eq 130 ] && grep -q 'subnetsim cases: interrupted' \"$d.out\" && [ ! -e \"$d/cases.csv\" ] && [ -z \"$(find \"$d\" -name '*.partial')\" ]"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/cases-interrupted
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# Refused with nothing run: the output directory it made is gone again (no stray .cases.lock),
# and a --set that is wrong for every case is said once, not once a case.
add_test(NAME cli:cases_refused_leaves_nothing
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; \"$0\" cases -o \"$d\" --variants bogus 2> \"$d.err1\"; rc1=$?; \"$0\" cases -o \"$d/sub/deeper\" --horizon 24 --set nope=1 2> \"$d.err2\"; rc2=$?; cat \"$d.err1\" \"$d.err2\"; [ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && [ ! -e \"$d\" ] && [ $(grep -c 'nope=1: /nope: unknown field' \"$d.err2\") -eq 1 ] && [ $(wc -l < \"$d.err2\") -eq 1 ]"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/cases-refused
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:cases_refused_leaves_nothing PROPERTIES LABELS cli)
# What it takes away is only what it made, named as made: through a symbolic link and "..", a
# directory that was there keeps its lock file, and one it made goes.
add_test(NAME cli:cases_refused_takes_only_what_it_made
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; mkdir -p \"$d/real/sub\" \"$d/real/P\" && touch \"$d/real/P/.cases.lock\" && ln -s real/sub \"$d/l\" || exit 1; \"$0\" cases -q -o \"$d/l/../P\" --variants classic --set nope=1; \"$0\" cases -q -o \"$d/l/../Q/\" --variants classic --set nope=1; [ -e \"$d/real/P/.cases.lock\" ] && [ ! -e \"$d/real/Q\" ]"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/cases-made
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:cases_refused_takes_only_what_it_made PROPERTIES LABELS cli)
