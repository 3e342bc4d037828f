# --junit never leaves an earlier run's report behind: a run refused for bad input removes the
# old file, and a run that stops (exit 3) writes one with an <error>. --junit naming the scenario
# file itself is refused and the scenario kept.
#   cmake -DSUBNETSIM=... -DWORK=dir -P junit_stale.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(S scenarios/slashing-demo.json)
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/ok" --junit "${WORK}/j.xml"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
# (Its expectations fail so early in the demo: exit 1, with a report.)
if(NOT rc STREQUAL "1" OR NOT EXISTS "${WORK}/j.xml")
  message(FATAL_ERROR "the first run (exit ${rc}) wrote no JUnit report")
endif()
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/bad" --junit "${WORK}/j.xml"
                        --set subnets.1.kapa=1
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc STREQUAL "2" OR EXISTS "${WORK}/j.xml")
  message(FATAL_ERROR "a run refused for bad input (exit ${rc}) left the earlier JUnit report")
endif()
execute_process(COMMAND "${SUBNETSIM}" run tests/data/bad_inputs/position_value_overflow.json -q
                        -o "${WORK}/broken" --junit "${WORK}/j.xml"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
file(READ "${WORK}/j.xml" xml)
if(NOT rc STREQUAL "3" OR NOT xml MATCHES "errors=\"1\"" OR NOT xml MATCHES "<error type=\"run\"")
  message(FATAL_ERROR "a run stopped by a broken invariant (exit ${rc}) did not report an error: ${xml}")
endif()
configure_file(${S} "${WORK}/mine.json" COPYONLY)
execute_process(COMMAND "${SUBNETSIM}" run "${WORK}/mine.json" --horizon 240 -q -o "${WORK}/mine"
                        --junit "${WORK}/mine.json"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
file(READ "${WORK}/mine.json" kept)
if(NOT rc STREQUAL "2" OR NOT kept MATCHES "slashing-demo" OR NOT err MATCHES "is the scenario file itself")
  message(FATAL_ERROR "--junit naming the scenario (exit ${rc}): ${err}")
endif()
# --junit naming a file that is not a JUnit report (a typo for a note, a run's summary.json) is
# refused before anything else, and the file is left as it was: only an earlier report is removed.
file(WRITE "${WORK}/notes.txt" "important\n")
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/notes" --junit "${WORK}/notes.txt"
                        --set subnets.1.kapa=1
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
file(READ "${WORK}/notes.txt" kept)
if(NOT rc STREQUAL "2" OR NOT kept STREQUAL "important\n" OR NOT err MATCHES "exists and is not a JUnit report")
  message(FATAL_ERROR "--junit naming a note (exit ${rc}) did not keep it: ${err}")
endif()
# An empty file holds nothing to lose: it is taken (and written) as the report.
file(WRITE "${WORK}/empty.xml" "")
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/empty" --junit "${WORK}/empty.xml"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
file(READ "${WORK}/empty.xml" written)
if(NOT rc STREQUAL "1" OR NOT written MATCHES "<testsuites")
  message(FATAL_ERROR "--junit naming an empty file (exit ${rc}) wrote no report: ${err}")
endif()
# Refused while its options are parsed (a --horizon of 0, an unknown option): the earlier report
# goes all the same, for run and for cases.
foreach(bad "--horizon;0" "--frobnicate;1")
  execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/ok" --junit "${WORK}/opts.xml"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  execute_process(COMMAND "${SUBNETSIM}" run ${S} -q -o "${WORK}/opts" --junit "${WORK}/opts.xml" ${bad}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc STREQUAL "2" OR EXISTS "${WORK}/opts.xml")
    message(FATAL_ERROR "run refused for its option ${bad} (exit ${rc}) left the earlier JUnit report")
  endif()
endforeach()
configure_file("${WORK}/empty.xml" "${WORK}/cases.xml" COPYONLY)
execute_process(COMMAND "${SUBNETSIM}" cases -q -o "${WORK}/cases" "--junit=${WORK}/cases.xml" --threads 0
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc STREQUAL "2" OR EXISTS "${WORK}/cases.xml")
  message(FATAL_ERROR "cases refused for --threads 0 (exit ${rc}) left the earlier JUnit report")
endif()
# A lock file is never taken for the report (another process may hold it).
file(MAKE_DIRECTORY "${WORK}/locked")
file(WRITE "${WORK}/locked/.run.lock" "")
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/locked" --junit "${WORK}/locked/.run.lock"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc STREQUAL "2" OR NOT EXISTS "${WORK}/locked/.run.lock" OR NOT err MATCHES "is a lock file subnetsim keeps")
  message(FATAL_ERROR "--junit naming .run.lock (exit ${rc}): ${err}")
endif()
# The early removal never takes a file the command reads (the scenario named as the report), a
# file whose text only mentions <testsuite>, or a shard's lock; it does take an abbreviated
# --jun's old report.
file(READ ${S} demo)
string(REPLACE "\"name\": \"slashing-demo\"" "\"name\": \"victim\", \"description\": \"<testsuite> in text\"" victim "${demo}")
file(WRITE "${WORK}/victim.json" "${victim}")
execute_process(COMMAND "${SUBNETSIM}" run "${WORK}/victim.json" -q -o "${WORK}/victim" --junit "${WORK}/victim.json" --horizon 0
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc STREQUAL "2" OR NOT EXISTS "${WORK}/victim.json")
  message(FATAL_ERROR "--junit naming the scenario, refused for --horizon 0 (exit ${rc}), removed the scenario")
endif()
# refused_keeps(FILE WHAT): a run refused for --horizon 0 with --junit FILE exits 2 and keeps FILE.
function(refused_keeps file what)
  execute_process(COMMAND "${SUBNETSIM}" run ${S} -q -o "${WORK}/refused" --junit "${file}" --horizon 0
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc STREQUAL "2" OR NOT EXISTS "${file}")
    message(FATAL_ERROR "--junit naming ${what} (exit ${rc}) removed it")
  endif()
endfunction()
file(WRITE "${WORK}/notes.md" "# CI\n<testsuite name=\"a\"/> is what we write\n")
refused_keeps("${WORK}/notes.md" "notes that mention <testsuite>")
file(MAKE_DIRECTORY "${WORK}/shards")
file(WRITE "${WORK}/shards/.shard-0-of-2.lock" "")
refused_keeps("${WORK}/shards/.shard-0-of-2.lock" "a shard's lock")
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/ok" --junit "${WORK}/abbrev.xml"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
execute_process(COMMAND "${SUBNETSIM}" run ${S} -q -o "${WORK}/abbrev" --jun "${WORK}/abbrev.xml" --horizon 0
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc STREQUAL "2" OR EXISTS "${WORK}/abbrev.xml")
  message(FATAL_ERROR "run --jun, refused for --horizon 0 (exit ${rc}), left the earlier JUnit report")
endif()
# Only a command refused while parsing its options removes the report early: --help removes
# nothing, nor does anything after "--" (positional), nor a file an --option=VALUE names.
file(WRITE "${WORK}/kept.xml" "<testsuites/>\n")
execute_process(COMMAND "${SUBNETSIM}" run --help --junit "${WORK}/kept.xml" OUTPUT_QUIET ERROR_QUIET)
execute_process(COMMAND "${SUBNETSIM}" cases -q -o "${WORK}/dashdash" -- --junit "${WORK}/kept.xml" OUTPUT_QUIET ERROR_QUIET)
file(WRITE "${WORK}/empty-scenario.json" "")
execute_process(COMMAND "${SUBNETSIM}" run -q -o "${WORK}/fi" --junit "${WORK}/empty-scenario.json"
                        "--fi=${WORK}/empty-scenario.json" --horizon 0 OUTPUT_QUIET ERROR_QUIET)
if(NOT EXISTS "${WORK}/kept.xml" OR NOT EXISTS "${WORK}/empty-scenario.json")
  message(FATAL_ERROR "--help, \"--\" or --fi=FILE let the early --junit removal take a file")
endif()
# --junit naming a symbolic link (a CI workspace linking its report into an artifacts folder):
# the report is written to the link's target and the link stays; a refused run removes the
# target's stale report, not the link.
file(MAKE_DIRECTORY "${WORK}/artifacts")
file(CREATE_LINK "artifacts/linked.xml" "${WORK}/linked.xml" SYMBOLIC)
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/linked" --junit "${WORK}/linked.xml"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT IS_SYMLINK "${WORK}/linked.xml" OR NOT EXISTS "${WORK}/artifacts/linked.xml")
  message(FATAL_ERROR "--junit through a symbolic link (exit ${rc}) replaced the link by the report")
endif()
file(READ "${WORK}/artifacts/linked.xml" xml)
if(NOT xml MATCHES "<testsuites")
  message(FATAL_ERROR "--junit through a symbolic link wrote no report to its target: ${xml}")
endif()
execute_process(COMMAND "${SUBNETSIM}" run ${S} -q -o "${WORK}/linked-bad" --junit "${WORK}/linked.xml" --horizon 0
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc STREQUAL "2" OR NOT IS_SYMLINK "${WORK}/linked.xml" OR EXISTS "${WORK}/artifacts/linked.xml")
  message(FATAL_ERROR "a refused run (exit ${rc}) with --junit through a link kept the stale report or lost the link")
endif()
# A link is checked as the file it points at: one to a run's lock file is refused (exit 2, the
# lock kept empty), one into a missing folder is refused before the run (exit 2, not 4 after it).
file(MAKE_DIRECTORY "${WORK}/lockdir")
file(WRITE "${WORK}/lockdir/.run.lock" "")
file(CREATE_LINK "lockdir/.run.lock" "${WORK}/to-lock.xml" SYMBOLIC)
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/to-lock" --junit "${WORK}/to-lock.xml"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
file(SIZE "${WORK}/lockdir/.run.lock" lock_size)
if(NOT rc STREQUAL "2" OR NOT lock_size EQUAL 0)
  message(FATAL_ERROR "--junit through a link to a lock file (exit ${rc}) wrote ${lock_size} bytes into the lock")
endif()
file(CREATE_LINK "nodir/x.xml" "${WORK}/dangling.xml" SYMBOLIC)
execute_process(COMMAND "${SUBNETSIM}" run ${S} --horizon 240 -q -o "${WORK}/dangling" --junit "${WORK}/dangling.xml"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc STREQUAL "2" OR NOT err MATCHES "does not exist")
  message(FATAL_ERROR "--junit through a link into a missing folder (exit ${rc}): ${err}")
endif()
