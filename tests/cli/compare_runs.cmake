# subnetsim compare on real runs: the demo twice (equal, exit 0), with another seed (differ, exit 1),
# with a file removed (differ) and with a damaged file (bad input, exit 2).
#   cmake -DSUBNETSIM=... -DWORK=... -P compare_runs.cmake
file(REMOVE_RECURSE ${WORK})
function(demo_run dir)
  # No expectations: the runs are inputs here, whatever the demo expects of them.
  execute_process(COMMAND ${SUBNETSIM} run scenarios/slashing-demo.json --horizon 1200 --set "expect=[]"
                          -o ${WORK}/${dir} ${ARGN}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run into ${dir} failed (${rc}): ${err}")
  endif()
endfunction()
# compare(RC STDOUT_REGEX STDERR_REGEX args...)
function(compare want out_regex err_regex)
  execute_process(COMMAND ${SUBNETSIM} compare ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "${want}" OR NOT out MATCHES "${out_regex}" OR NOT err MATCHES "${err_regex}")
    message(FATAL_ERROR "compare ${ARGN}: exit ${rc} (expected ${want}), stdout should match /${out_regex}/, "
                        "stderr /${err_regex}/\n--- stdout ---\n${out}\n--- stderr ---\n${err}")
  endif()
endfunction()

demo_run(a)
demo_run(b --threads 2)
demo_run(seed7 --seed 7)
compare(0 "^[1-9][0-9]* series compared, 0 differ\n$" "^$" ${WORK}/a ${WORK}/b)
# Runs of two scenarios: said first, before the differences that follow from it.
execute_process(COMMAND ${SUBNETSIM} run scenarios/reward-concentration.json --horizon 120 --set "expect=[]"
                        -q -o ${WORK}/other RESULT_VARIABLE rc)
compare(1 "^[^n]" "^note: the runs are of different scenarios \\(\"slashing-demo\" and \"reward-concentration\"\\)\n$"
        ${WORK}/a ${WORK}/other)
# The note goes to stderr: stdout holds only the differences and the count.
set(seed_note "^note: the runs' resolved scenarios differ at /seed \\(42 against 7\\)\n$")
compare(1 "^[^n].*summary.json seed: run 42, golden 7 .*\n[1-9][0-9]* series compared, [1-9][0-9]* differ\n$" "${seed_note}"
        ${WORK}/a ${WORK}/seed7)
compare(1 "epochs.csv stake_tao: first at row [0-9]+ \\(block [0-9]+, netuid 1, uid [0-9]+, agent [^)]+\\): run [0-9.e-]+, golden [0-9.e-]+ \\(relative difference [0-9.e-]+\\); [0-9]+ rows? differ"
        "${seed_note}" ${WORK}/a ${WORK}/seed7)

# The same run with globals.csv gone, then with events.csv cut mid-row.
file(COPY ${WORK}/a/ DESTINATION ${WORK}/cut)
file(REMOVE ${WORK}/cut/globals.csv)
compare(1 "globals.csv: missing in run [^\n]*/cut\n[0-9]+ series compared, 1 differ\n$" "^$" ${WORK}/cut ${WORK}/a)
file(READ ${WORK}/a/events.csv events)
string(REGEX REPLACE "\n[^\n]*\n$" "\n123,1\n" events "${events}")
file(WRITE ${WORK}/cut/events.csv "${events}")
compare(2 "^$" "subnetsim compare: [^\n]*/cut/events.csv:[0-9]+: expected 11 fields as in the header, found 2"
        ${WORK}/cut ${WORK}/a)
