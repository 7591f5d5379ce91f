#!/usr/bin/python3
"""Runs an embedded example program on every row of the test bundles' data
files and compares its output with `mlpipe predict` on the same rows.

Usage: test_examples.py PROGRAM score_c|score_cc

score_c reads the CSV; score_cc reads JSON Lines, written here from the CSV
with Python's csv and json modules (every value as text, an empty field as
null: the library converts text to the column's type as the CSV reader does).
The bundles come from capi/make_test_bundles.py (MLPIPE_CAPI_TESTDATA)."""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

PROGRAM, KIND = sys.argv[1], sys.argv[2]
BIN = os.environ["MLPIPE_BIN"]
DATA = os.environ["MLPIPE_CAPI_TESTDATA"]


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


class ExampleTest(unittest.TestCase):
    def check(self, name):
        bundle = os.path.join(DATA, f"{name}.mlpb")
        rows_csv = os.path.join(DATA, f"{name}.csv")
        with tempfile.TemporaryDirectory() as tmp:
            want_path = os.path.join(tmp, "want.csv")
            p = subprocess.run([BIN, "-q", "predict", "--model", bundle, "--input", rows_csv,
                                "--output", want_path], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(want_path, newline="") as f:
                want = list(csv.DictReader(f))
            if KIND == "score_c":
                source = rows_csv
            else:
                source = os.path.join(tmp, "rows.jsonl")
                with open(rows_csv, newline="") as f, open(source, "w") as out:
                    for row in csv.DictReader(f):
                        out.write(json.dumps({k: (v if v != "" else None)
                                              for k, v in row.items()}) + "\n")
            p = subprocess.run([PROGRAM, bundle, source], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("input columns", p.stderr)  # the schema was printed
            got = read_csv(p.stdout)
        self.assertEqual(len(got), len(want))
        self.assertEqual(list(got[0].keys()), list(want[0].keys()))
        for i, (g, w) in enumerate(zip(got, want)):
            for col in w:
                if col in ("row", "predicted"):
                    self.assertEqual(g[col], w[col], f"{name} row {i} {col}")
                else:
                    self.assertEqual(float(g[col]), float(w[col]), f"{name} row {i} {col}")

    def test_binary(self):
        self.check("binary")

    def test_multiclass(self):
        self.check("multiclass")

    def test_regression(self):
        self.check("regression")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
