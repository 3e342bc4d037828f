# subnetsim compare, and expectations given on the command line.
cli_test(compare_help 0 STDOUT "usage: subnetsim compare RUN_DIR GOLDEN_DIR.*--tolerance.*--default-tolerance"
         ARGS compare --help)
cli_test(compare_one_dir 2 STDERR "expected RUN_DIR and GOLDEN_DIR" ARGS compare tests/data)
cli_test(compare_three_dirs 2 STDERR "too many positional options" ARGS compare a b c)
cli_test(compare_missing_dir 2 STDERR "subnetsim compare: no-such-run: no such directory"
         ARGS compare no-such-run tests/data)
cli_test(compare_not_a_run 2 STDERR "tests/data: not a run directory \\(no summary.json and no CSV files\\)"
         ARGS compare tests/data tests/data)
cli_test(compare_unknown_tolerance_name 2
         STDERR "--tolerance pric_usd: no column or summary path of these runs has that name \\(did you mean price_usd\\?\\)"
         ARGS compare tests/data/golden/slashing-demo tests/data/golden/slashing-demo --tolerance pric_usd=1)
cli_test(compare_tolerance_on_text 2
         STDERR "--tolerance detail: that column holds text, which is compared exactly: a tolerance would change nothing"
         ARGS compare tests/data/golden/slashing-demo tests/data/golden/slashing-demo --tolerance detail=0.1)
cli_test(compare_sweep_directory 2 STDERR "a_sweep: a sweep directory, not a run directory"
         ARGS compare tests/data/bad_runs/a_sweep tests/data/golden/slashing-demo)
cli_test(compare_bad_summary 2
         STDERR "bad_summary/summary.json: not valid JSON: line 1, column 30: syntax error while parsing value - unexpected '}'"
         ARGS compare tests/data/bad_runs/bad_summary tests/data/golden/slashing-demo)
cli_test(compare_text_in_numbers 2
         STDERR "text_in_globals/globals.csv:4: column \"block\": expected a number, found \"abc\""
         ARGS compare tests/data/bad_runs/text_in_globals tests/data/golden/slashing-demo)
cli_test(compare_bad_tolerance 2 STDERR "--tolerance: expected NAME=REL with REL a number >= 0 \\(e.g. price_usd=1e-6\\), got \"price_usd\""
         ARGS compare tests/data tests/data --tolerance price_usd)
cli_test(compare_negative_tolerance 2 STDERR "--tolerance: expected NAME=REL.*got \"price_usd=-1\""
         ARGS compare tests/data tests/data --tolerance price_usd=-1)
cli_test(compare_bad_default_tolerance 2 STDERR "--default-tolerance: expected a number >= 0, got \"lots\""
         ARGS compare tests/data tests/data --default-tolerance lots)
# The list replaces the demo's own expectations (the regex avoids brackets: they would join list items).
cli_test(validate_set_expectations 0 STDOUT "\"expect\": .\n +{\n +\"at\": \"end\",\n +\"metric\": \"slashed_tao\",\n +\"op\": \">\",\n +\"tolerance\": 0.0,\n +\"value\": 0.0\n +}\n +.,"
         ARGS validate --resolved scenarios/slashing-demo.json --set "expect=[{\"metric\":\"slashed_tao\",\"op\":\">\",\"value\":0}]")
cli_test(validate_set_bad_expectation 2 STDERR "--set expect=.*: /expect/0/op: "
         ARGS validate scenarios/slashing-demo.json --set "expect=[{\"metric\":\"slashed_tao\",\"op\":\"~\",\"value\":0}]")
add_test(NAME cli:compare_runs
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DWORK=${CMAKE_CURRENT_BINARY_DIR}/compare
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/compare_runs.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:compare_runs PROPERTIES LABELS cli)
cli_test(compare_tolerance_twice 2 STDERR "--tolerance: price_usd is given twice \\(price_usd=2 after a value of 1\\): drop one"
         ARGS compare tests/data/golden/slashing-demo tests/data/golden/slashing-demo --tolerance price_usd=1 --tolerance price_usd=2)
