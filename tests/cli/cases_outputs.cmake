# subnetsim cases on "kappa moves first" under the three default variants: every run directory,
# cases.csv with one row per variant x epoch x validator, cases.md with the comparison table,
# cases.html self-contained with one chart per variant.
#   cmake -DSUBNETSIM=... -DWORK=dir -P cases_outputs.cmake
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND "${SUBNETSIM}" cases scenarios/yuma-cases/kappa-moves-first.json -o "${WORK}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit status ${rc}\n${out}\n${err}")
endif()
if(NOT err MATCHES "1 cases x 3 variants")
  message(FATAL_ERROR "no closing line:\n${err}")
endif()
foreach(variant classic yuma3 yuma3_liquid)
  foreach(f summary.json classes.csv epochs.csv resolved_scenario.json)
    if(NOT EXISTS "${WORK}/runs/kappa-moves-first/${variant}/${f}")
      message(FATAL_ERROR "missing runs/kappa-moves-first/${variant}/${f}")
    endif()
  endforeach()
  file(READ "${WORK}/runs/kappa-moves-first/${variant}/resolved_scenario.json" resolved)
  if(NOT resolved MATCHES "\"yuma\": \"${variant}\"")
    message(FATAL_ERROR "runs/kappa-moves-first/${variant} did not run under ${variant}")
  endif()
endforeach()

file(STRINGS "${WORK}/cases.csv" rows)
list(LENGTH rows n)
# A header, then 3 variants x 41 epochs x 3 validators.
if(NOT n EQUAL 370)
  message(FATAL_ERROR "cases.csv: ${n} lines, expected 370")
endif()
list(GET rows 0 header)
if(NOT header STREQUAL "case,variant,epoch,block,validator,stake_tao,dividends,bond_total,incentive_S1,incentive_S2")
  message(FATAL_ERROR "cases.csv header: ${header}")
endif()
list(GET rows 1 first)
if(NOT first MATCHES "^kappa-moves-first,classic,1,99,A,")
  message(FATAL_ERROR "cases.csv first row: ${first}")
endif()

file(READ "${WORK}/cases.md" md)
foreach(pattern "## kappa-moves-first" "\\| validator \\| stake share \\| classic \\| yuma3 \\(own\\) \\| yuma3_liquid \\|"
                "\\| A \\| 80% \\|" "Expectations under yuma3: 3 of 3 met")
  if(NOT md MATCHES "${pattern}")
    message(FATAL_ERROR "cases.md does not match /${pattern}/:\n${md}")
  endif()
endforeach()

file(READ "${WORK}/cases.html" html)
string(REGEX MATCHALL "<svg class=\"chart\"" charts "${html}")
list(LENGTH charts n_charts)
if(NOT n_charts EQUAL 3)
  message(FATAL_ERROR "cases.html: ${n_charts} charts, expected 3")
endif()
foreach(forbidden "<script" "http://" "https://")
  string(FIND "${html}" "${forbidden}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "cases.html is not self-contained: it holds ${forbidden}")
  endif()
endforeach()

# Another comparison into the same directory: the earlier runs stay, and a note names those
# not in the new tables (another case; then the variants a rerun with fewer leaves out).
function(cases_again scenario stale)
  execute_process(COMMAND "${SUBNETSIM}" cases scenarios/yuma-cases/${scenario}.json --variants classic
                          -o "${WORK}"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT err MATCHES "runs also holds runs of an earlier comparison, not in its tables: ${stale}\n")
    message(FATAL_ERROR "cases ${scenario} into a used directory (exit ${rc}) did not note ${stale}: ${err}")
  endif()
endfunction()
cases_again(one-epoch-switch "kappa-moves-first")
cases_again(kappa-moves-first "kappa-moves-first/yuma3 kappa-moves-first/yuma3_liquid one-epoch-switch")
