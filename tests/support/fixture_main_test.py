"""The fixture check (fixture_main.check) must be able to fail: a changed
value, a missing file, a changed non-JSON file or a generator that writes
nothing fails it; a last-bit difference of a float does not."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_main  # noqa: E402

DOC = {"cases": [{"name": "a", "x": 0.1 + 0.2, "n": 3, "s": "t", "z": None}]}


def writer(doc, extra=None):
    def write_all(out_dir):
        with open(os.path.join(out_dir, "f.json"), "w") as f:
            json.dump(doc, f)
        names = ["f.json"]
        if extra is not None:
            with open(os.path.join(out_dir, "g.csv"), "w") as f:
                f.write(extra)
            names.append("g.csv")
        return names
    return write_all


class CheckTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        writer(DOC, "a,b\n1,2\n")(self.dir)

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, doc, extra="a,b\n1,2\n"):
        return fixture_main.check(writer(doc, extra), self.dir)

    def test_identical_files_pass(self):
        self.assertEqual(self.check(DOC), 0)

    def test_a_last_bit_difference_passes(self):
        doc = json.loads(json.dumps(DOC))
        doc["cases"][0]["x"] = 0.30000000000000004 * (1 + 2e-16)
        self.assertEqual(self.check(doc), 0)

    def test_a_changed_value_fails(self):
        for key, value in [("x", 0.3 * (1 + 1e-9)), ("n", 4), ("s", "u"), ("z", 0.0),
                           ("name", "b")]:
            doc = json.loads(json.dumps(DOC))
            doc["cases"][0][key] = value
            with self.subTest(key=key):
                self.assertEqual(self.check(doc), 1)

    def test_a_missing_or_extra_case_fails(self):
        self.assertEqual(self.check({"cases": []}), 1)
        self.assertEqual(self.check({"cases": DOC["cases"] * 2}), 1)

    def test_a_changed_csv_fails(self):
        self.assertEqual(self.check(DOC, "a,b\n1,3\n"), 1)

    def test_a_missing_committed_file_fails(self):
        os.remove(os.path.join(self.dir, "g.csv"))
        self.assertEqual(self.check(DOC), 1)

    def test_a_generator_that_writes_nothing_fails(self):
        self.assertEqual(fixture_main.check(lambda out_dir: [], self.dir), 1)


if __name__ == "__main__":
    unittest.main()
