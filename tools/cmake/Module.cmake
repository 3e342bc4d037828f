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
# COLD: the module's work is once per command (reading a scenario, the command line, reports,
# sweeps); of the block loop it sees only the progress line and --story's lines, which are light.
# These are the heaviest modules to compile (nlohmann_json's templates), so they compile for
# build speed (subnetsim_build_speed_level), eight files to a unit (CMake's unity build: the
# templates their files share are generated once a unit; 111 s of CPU in the Release tree
# instead of 319). Two files of a COLD module cannot then hold file-local names alike (a
# constant or helper in an anonymous namespace): the compiler says so, and one is renamed.
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
  if(M_COLD)
    subnetsim_build_speed_level(subnetsim_${name})
    set_target_properties(subnetsim_${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()

# subnetsim_build_speed_level(TARGET): for code whose speed does not show in a run's (COLD
# modules, the tests' own sources): -O1 in a Release build (~40% less compile time than -O3) and
# -O0 under the sanitizers (~45% less than -O1, and exact reports). Comes after the build type's
# flags on the command line, so it wins over them.
function(subnetsim_build_speed_level target)
  if(SUBNETSIM_SANITIZE)
    target_compile_options(${target} PRIVATE -O0)
  else()
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O1>)
  endif()
endfunction()
