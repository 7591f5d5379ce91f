# mlpipe_fixture_check(TEST_NAME)
#
# The golden files in a module's testdata/ hold the answers of independent
# libraries (scipy, scikit-learn, python3-xgboost, Python's hmac), written by
# its testdata/make_fixtures.py. This declares the CTest test TEST_NAME
# (label "unit") that re-runs the generator into a temporary folder and fails
# if a committed file is missing or differs (tests/support/fixture_main.py),
# so that the references stay reproducible from those libraries themselves.
# Call it from the module's CMakeLists.txt.
function(mlpipe_fixture_check test_name)
  if(NOT MLPIPE_BUILD_TESTS)
    return()
  endif()
  add_test(NAME ${test_name}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/testdata/make_fixtures.py
            --check ${CMAKE_CURRENT_SOURCE_DIR}/testdata)
  set_tests_properties(${test_name} PROPERTIES LABELS unit TIMEOUT 300)
endfunction()
