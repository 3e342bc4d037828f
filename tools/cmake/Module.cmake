# subnetsim_compile_options(TARGET): the options every target of the project compiles with
# (warnings, -Werror, no floating-point contraction, -march=native when asked).
function(subnetsim_compile_options target)
  # -Wno-restrict: GCC 12 reports false positives on ordinary std::string concatenation
  # (GCC bug 105329), which -Werror would turn into build failures.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion -Wno-restrict)
  # The same bits from every build: GCC fuses a * b + c into one FMA (one rounding instead of
  # two) wherever the target has FMA (-march=native, or a function compiled for AVX-512), which
  # would make a native build's results differ from the portable one's.
  target_compile_options(${target} PRIVATE -ffp-contract=off)
  if(SUBNETSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(SUBNETSIM_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
endfunction()

# subnetsim_module(NAME [COLD] SOURCES src... [DEPS module...] [PUBLIC_LIBS lib...])
# Declares the static library subnetsim_<NAME> (alias subnetsim::<NAME>) for the folder src/<NAME>.
# A module links only the modules it may include (lower layers, see the architecture), so a
# wrong include shows up as a link or include error instead of a silent layering violation.
# COLD: the module runs once per command (reading a scenario, the command line, reports, sweeps),
# never inside the block loop. These are the heaviest modules to compile (nlohmann_json's
# templates) and their speed does not show in a run's, so they compile at -O1 in a Release build
# (in ~35% less time than at -O3) and at -O0 under the sanitizers (~45% less than at -O1).
function(subnetsim_module name)
  cmake_parse_arguments(M "COLD" "" "SOURCES;DEPS;PUBLIC_LIBS" ${ARGN})
  add_library(subnetsim_${name} STATIC ${M_SOURCES})
  add_library(subnetsim::${name} ALIAS subnetsim_${name})
  set_property(GLOBAL APPEND PROPERTY SUBNETSIM_MODULES ${name})
  target_include_directories(subnetsim_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  foreach(dep IN LISTS M_DEPS)
    target_link_libraries(subnetsim_${name} PUBLIC subnetsim::${dep})
  endforeach()
  if(M_PUBLIC_LIBS)
    target_link_libraries(subnetsim_${name} PUBLIC ${M_PUBLIC_LIBS})
  endif()
  subnetsim_compile_options(subnetsim_${name})
  if(M_COLD AND SUBNETSIM_SANITIZE)
    target_compile_options(subnetsim_${name} PRIVATE -O0)
  elseif(M_COLD)
    target_compile_options(subnetsim_${name} PRIVATE $<$<CONFIG:Release>:-O1>)
  endif()
endfunction()
