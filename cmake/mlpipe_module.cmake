# mlpipe_module(NAME SOURCES ... DEPS ... [PRIVATE_DEPS ...] [TESTS ...] [TEST_DEPS ...])
#
# Declares the static library mlpipe_<NAME> (alias mlpipe::<NAME>) from an
# explicit source list, public headers under include/, and, when TESTS are
# given, the unit-test binary <NAME>_tests whose tests carry the CTest label
# "unit". Tests find their fixture files through MLPIPE_SOURCE_DIR and may
# use tests/support (golden-value JSON files, relative comparison).
#
# DEPS are what the public headers need (other modules, nlohmann_json, fmt):
# users of the module get them too. PRIVATE_DEPS are the implementation's
# libraries (Eigen, SQLite, zstd, ...): linked, but their headers and
# definitions do not reach the module's users, so a module cannot come to
# rely on a library it never named. A test that uses one itself lists it in
# TEST_DEPS. scripts/check_layering.py checks that the mlpipe:: entries of
# both point down the module order.
#
# `unit_tests` builds exactly what the "unit" tests run: every <NAME>_tests
# binary, plus whatever a unit test launches by TARGET_FILE (added where that
# test is declared, with add_dependencies(unit_tests ...)). `make asan` builds
# it instead of `all`, so the sanitizer build skips the benchmarks.
if(MLPIPE_BUILD_TESTS AND NOT TARGET unit_tests)
  add_custom_target(unit_tests)
endif()

function(mlpipe_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(mlpipe_${name} STATIC ${M_SOURCES})
  add_library(mlpipe::${name} ALIAS mlpipe_${name})
  target_include_directories(mlpipe_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(mlpipe_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  if(MLPIPE_BUILD_TESTS AND M_TESTS)
    add_executable(${name}_tests ${M_TESTS})
    target_link_libraries(${name}_tests PRIVATE mlpipe_${name} ${M_TEST_DEPS}
      mlpipe_test_support GTest::gtest_main GTest::gmock)
    target_include_directories(${name}_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    target_compile_definitions(${name}_tests PRIVATE
      MLPIPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    gtest_discover_tests(${name}_tests
      PROPERTIES LABELS unit
      DISCOVERY_MODE PRE_TEST
      DISCOVERY_TIMEOUT 60)
    add_dependencies(unit_tests ${name}_tests)
  endif()
endfunction()
