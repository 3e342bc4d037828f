# subnetsim report: exit statuses and messages, and a report written from a real run.
cli_test(report_help 0 STDOUT "--output" ARGS report --help)
cli_test(report_no_dir 2 STDERR "no run directory given" ARGS report)
cli_test(report_missing_dir 2 STDERR "nope-run: no such run directory" ARGS report ${CMAKE_CURRENT_BINARY_DIR}/nope-run)
cli_test(report_not_a_run_dir 2 STDERR "resolved_scenario.json: not found \\(is tests/data a run directory\\?\\)"
         ARGS report tests/data)
add_test(NAME cli:report_demo_run
         COMMAND ${CMAKE_COMMAND} -DSUBNETSIM=$<TARGET_FILE:subnetsim> -DSCENARIO=scenarios/slashing-demo.json
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/report-demo -P ${CMAKE_CURRENT_SOURCE_DIR}/report_demo.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:report_demo_run PROPERTIES LABELS cli)
cli_test(report_bad_summary 2
         STDERR "bad_summary/summary.json: not valid JSON: line 1, column 30: syntax error while parsing value - unexpected '}'"
         ARGS report tests/data/bad_runs/bad_summary -o ${CMAKE_CURRENT_BINARY_DIR}/bad-summary.html)
cli_test(report_text_in_numbers 2
         STDERR "text_in_globals/globals.csv:4: column \"block\": expected a number, found \"abc\""
         ARGS report tests/data/bad_runs/text_in_globals -o ${CMAKE_CURRENT_BINARY_DIR}/text-in-numbers.html)
# The scenario's /outputs/report writes report.html as --report does (it was read and ignored).
cli_test(report_from_scenario_outputs 0 STDERR "report: [^\n]*report-from-outputs/report.html"
         FRESH ${CMAKE_CURRENT_BINARY_DIR}/report-from-outputs
         ARGS run scenarios/slashing-demo.json --horizon 120 --set outputs.report=true --set expect=[]
              -o ${CMAKE_CURRENT_BINARY_DIR}/report-from-outputs)
# report -o must not overwrite one of the run's own files.
cli_test(report_onto_run_file 2 STDERR "-o: \"[^\"]*report-from-outputs/summary.json\" is one of the run's own files"
         ARGS report ${CMAKE_CURRENT_BINARY_DIR}/report-from-outputs
              -o ${CMAKE_CURRENT_BINARY_DIR}/report-from-outputs/summary.json)
set_tests_properties(cli:report_onto_run_file PROPERTIES DEPENDS cli:report_from_scenario_outputs)
# report -o over a file that is not a report is refused and the file kept; a summary.json with a
# field of another type is bad input naming the file, not an internal error.
add_test(NAME cli:report_refuses_foreign_files
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; mkdir -p \"$d\"; \"$0\" run scenarios/slashing-demo.json -o \"$d/run\" -q --horizon 24 --set 'expect=[]' || exit 1; echo keep > \"$d/notes.txt\"; \"$0\" report \"$d/run\" -o \"$d/notes.txt\"; [ $? -eq 2 ] && [ \"$(cat \"$d/notes.txt\")\" = keep ] || exit 1; \"$0\" report \"$d/run\" -o \"$d/r.html\" && \"$0\" report \"$d/run\" -o \"$d/r.html\" || exit 1; echo '{\"status\": \"completed\", \"tool\": {\"version\": 3}}' > \"$d/run/summary.json\"; err=$(\"$0\" report \"$d/run\" 2>&1); rc=$?; echo \"$err\"; [ $rc -eq 2 ] && printf '%s' \"$err\" | grep -q 'summary.json: a field has a type this version does not write'"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/report-foreign
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:report_refuses_foreign_files PROPERTIES LABELS cli)
# A CSV whose column the report reads was renamed (or cut): refused naming it, rather than
# drawn as "no data" under a wrong reason.
add_test(NAME cli:report_refuses_a_renamed_column
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; \"$0\" run scenarios/slashing-demo.json -o \"$d\" -q --horizon 24 --set 'expect=[]' || exit 1; sed -i '1s/,price_usd/,price_xx/' \"$d/globals.csv\"; err=$(\"$0\" report \"$d\" 2>&1); rc=$?; echo \"$err\"; [ $rc -eq 2 ] && printf '%s' \"$err\" | grep -q 'globals.csv: no column \"price_usd\"'"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/report-renamed
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:report_refuses_a_renamed_column PROPERTIES LABELS cli)
# A run too short to record an epoch: the report says why its charts have no data.
add_test(NAME cli:report_says_why_a_file_has_no_rows
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; \"$0\" run scenarios/slashing-demo.json -o \"$d\" -q --horizon 5 --set 'expect=[]' --report || exit 1; grep -q 'epochs.csv has no rows: no epoch ran within the horizon' \"$d/report.html\""
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/report-no-rows
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:report_says_why_a_file_has_no_rows PROPERTIES LABELS cli)
# A report of a run's directory waits for the run that holds it (it read half a run, or wrote
# the old run's report into the new run's directory).
cli_test_locked_out(report_refused_while_a_run_writes .run.lock
                    "\"$0\" run scenarios/slashing-demo.json -q --horizon 24 -o \"$d\"; [ $? -le 1 ] || exit 1;"
                    "report \"$1\"" "a run is writing to this directory" report.html)
# A teacher's review, end to end: a vote short of its quorum and a passed vote the chain refused
# say why in the governance table; miners holding permits are not drawn as validators; --story
# heads the repeated refusals printed after the story's last block.
add_test(NAME cli:report_votes_validators_and_refusals
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; out=$(\"$0\" run scenarios/slashing-demo.json -o \"$d\" -q --story --report --horizon 480 --set 'expect=[]' --set '/agents/honest/vote=\"yes\"' --set 'script=[{\"at_block\": 50, \"do\": \"set_take\", \"agent\": \"honest\", \"take\": 0.5}]' --set 'proposals={\"unheard\": {\"at_block\": 100, \"voting_blocks\": 100, \"path\": \"/subnets/1/kappa\", \"value\": 0.6, \"quorum\": 0.99}, \"refused\": {\"at_block\": 300, \"voting_blocks\": 100, \"path\": \"/subnets/1/alpha_low\", \"value\": 0.95, \"quorum\": 0.01}}') || exit 1; printf '%s\\n' \"$out\" | tail -2 | head -1 | grep -qx 'Repeated refusals (the first of each is told above, in its place):' || { echo \"no heading: $out\"; exit 1; }; printf '%s\\n' \"$out\" | grep -q 'opened: kappa 0.499992 -> 0.6 ' || exit 1; h=\"$d/report.html\"; grep -q 'class=\"bad\">failed for lack of quorum (turnout 9[0-9.]*% &lt; quorum 99%)<' \"$h\" && grep -q 'class=\"warn\">passed, but not applied: refused, alpha_low 0.95 would exceed alpha_high (0.900008) of subnet 1<' \"$h\" && grep -q 'class=\"legend\">honest/0<' \"$h\" && ! grep -q 'class=\"legend\">miners/' \"$h\""
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/report-review
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:report_votes_validators_and_refusals PROPERTIES LABELS cli)
# -o naming a pipe (or a device) is refused: written beside it and renamed over it, the report
# would replace it with a file (/dev/null itself, as root). The pipe is left a pipe.
add_test(NAME cli:report_output_is_a_pipe
         COMMAND sh -c "d=\"$1\"; rm -rf \"$d\"; mkdir -p \"$d\"; \"$0\" run scenarios/slashing-demo.json --horizon 20 -q -o \"$d/run\" >/dev/null; [ -f \"$d/run/summary.json\" ] || exit 1; mkfifo \"$d/pipe\"; err=$(\"$0\" report \"$d/run\" -o \"$d/pipe\" 2>&1); rc=$?; echo \"$err\"; [ $rc -eq 2 ] && [ -p \"$d/pipe\" ] && printf '%s' \"$err\" | grep -qF 'is not a regular file (a device, a pipe or a socket)'"
                 $<TARGET_FILE:subnetsim> ${CMAKE_CURRENT_BINARY_DIR}/report-pipe
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli:report_output_is_a_pipe PROPERTIES LABELS cli)
