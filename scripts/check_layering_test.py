#!/usr/bin/env python3
"""Tests of check_layering.py on small made-up trees: a clean one passes, and
each kind of violation fails naming the file and line."""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_layering.py")

TOP = """project(x)
# The modules, in dependency order.
add_subdirectory(src/low)
add_subdirectory(src/high)
add_subdirectory(apps/cli)
"""

LOW_CMAKE = """mlpipe_module(low
  SOURCES
    low.cc
  DEPS
    fmt::fmt
  TESTS
    low_test.cc
    fixture.cc
)
"""

HIGH_CMAKE = """mlpipe_module(high
  SOURCES
    high.cc  # a comment
  DEPS
    mlpipe::low
  PRIVATE_DEPS
    zstd
  TESTS
    high_test.cc
)
"""


class CheckLayeringTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        self.write("CMakeLists.txt", TOP)
        self.write("src/low/CMakeLists.txt", LOW_CMAKE)
        self.write("src/high/CMakeLists.txt", HIGH_CMAKE)
        self.write("include/mlpipe/low/low.h", "#pragma once\n#include <vector>\n")
        self.write("include/mlpipe/high/high.h", '#pragma once\n#include "mlpipe/low/low.h"\n')
        self.write("src/low/detail.h", "#pragma once\n")
        self.write("src/low/low.cc", '#include "mlpipe/low/low.h"\n#include "detail.h"\n')
        self.write("src/low/fixture.h", "#pragma once\n")
        self.write("src/low/fixture.cc", '#include "fixture.h"\n')
        self.write("src/low/low_test.cc", '#include "fixture.h"\n#include "json_fixture.h"\n')
        self.write("src/high/high.cc",
                   '#include "mlpipe/high/high.h"\n#include "mlpipe/low/low.h"\n')
        self.write("src/high/high_test.cc", '#include "mlpipe/high/high.h"\n')
        self.write("apps/cli/main.cc",
                   '#include "mlpipe/high/high.h"\n#include "mlpipe/low/low.h"\n')
        self.write("tests/support/json_fixture.h", "#pragma once\n")
        self.write("include/mlpipe/c_api.h", "#include <stddef.h>\n")
        self.write("capi/c_api.cc", '#include "mlpipe/c_api.h"\n#include "handle.h"\n'
                   '#include "mlpipe/high/high.h"\n')
        self.write("capi/handle.h", '#pragma once\n#include "mlpipe/low/low.h"\n')
        self.write("examples/embedded/score.c", '#include "mlpipe/c_api.h"\n')

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def run_checker(self):
        r = subprocess.run([sys.executable, CHECKER, self.root], capture_output=True, text=True)
        return r.returncode, r.stdout

    def assert_fails_with(self, *fragments):
        code, out = self.run_checker()
        self.assertEqual(code, 1, out)
        for f in fragments:
            self.assertIn(f, out)

    def test_clean_tree_passes(self):
        code, out = self.run_checker()
        self.assertEqual(code, 0, out)
        self.assertEqual(out, "")

    def test_include_of_a_later_module_fails(self):
        self.write("src/low/low.cc", '#include "mlpipe/low/low.h"\n#include "mlpipe/high/high.h"\n')
        self.assert_fails_with("src/low/low.cc:2:", "mlpipe/high/high.h",
                               "high comes after low")

    def test_public_header_including_a_later_module_fails(self):
        self.write("include/mlpipe/low/low.h", '#pragma once\n#include "mlpipe/high/high.h"\n')
        self.assert_fails_with("include/mlpipe/low/low.h:2:", "high comes after low")

    def test_include_of_an_unknown_module_fails(self):
        self.write("src/high/high.cc", '#include <mlpipe/nosuch/x.h>\n')
        self.assert_fails_with("src/high/high.cc:1:", "no module 'nosuch'")

    def test_private_header_through_an_include_path_fails(self):
        self.write("src/high/high.cc", '#include "mlpipe/high/high.h"\n#include "detail.h"\n')
        self.assert_fails_with("src/high/high.cc:2:", "private header of src/low/")

    def test_private_header_through_a_relative_path_fails(self):
        self.write("src/high/high.cc", '#include "../low/detail.h"\n')
        self.assert_fails_with("src/high/high.cc:1:", "private header of src/low/")

    def test_app_including_a_private_header_fails(self):
        self.write("apps/cli/main.cc", '#include "detail.h"\n')
        self.assert_fails_with("apps/cli/main.cc:1:", "private header of src/low/")

    def test_unresolvable_quoted_include_fails(self):
        self.write("src/high/high.cc", '#include "nowhere.h"\n')
        self.assert_fails_with("src/high/high.cc:1:", "neither beside it")

    def test_test_support_only_from_test_code(self):
        self.write("src/high/high.cc", '#include "json_fixture.h"\n')
        self.assert_fails_with("src/high/high.cc:1:")

    def test_deps_on_a_later_module_fails(self):
        self.write("src/low/CMakeLists.txt", LOW_CMAKE.replace("fmt::fmt", "mlpipe::high"))
        self.assert_fails_with("src/low/CMakeLists.txt: DEPS names mlpipe::high")

    def test_private_deps_on_itself_fails(self):
        self.write("src/high/CMakeLists.txt", HIGH_CMAKE.replace("zstd", "mlpipe::high"))
        self.assert_fails_with("src/high/CMakeLists.txt: PRIVATE_DEPS names mlpipe::high")

    def test_order_comes_from_add_subdirectory(self):
        # Swapping the two lines makes high's use of low point the wrong way.
        self.write("CMakeLists.txt", TOP.replace(
            "add_subdirectory(src/low)\nadd_subdirectory(src/high)",
            "add_subdirectory(src/high)\nadd_subdirectory(src/low)"))
        self.assert_fails_with("src/high/high.cc:2:", "low comes after high",
                               "src/high/CMakeLists.txt: DEPS names mlpipe::low")

    def test_module_including_the_c_api_fails(self):
        self.write("src/high/high.cc", '#include "mlpipe/high/high.h"\n#include "mlpipe/c_api.h"\n')
        self.assert_fails_with("src/high/high.cc:2:", "the C API")

    def test_c_api_including_a_private_header_fails(self):
        self.write("capi/c_api.cc", '#include "mlpipe/c_api.h"\n#include "detail.h"\n')
        self.assert_fails_with("capi/c_api.cc:2:", "private header of src/low/")

    def test_example_including_a_module_header_is_checked(self):
        self.write("examples/embedded/score.c", '#include "mlpipe/nosuch/x.h"\n')
        self.assert_fails_with("examples/embedded/score.c:1:", "no module 'nosuch'")

    def test_commented_out_subdirectory_is_no_module(self):
        self.write("CMakeLists.txt", TOP.replace("add_subdirectory(src/high)",
                                                 "# add_subdirectory(src/high)"))
        self.assert_fails_with("src/high/high.cc:1:", "high is not a module")


if __name__ == "__main__":
    unittest.main()
