"""End-to-end tests of the messages a newcomer acts on: every error line starts
with "error:", a mistyped subcommand, option, model family, metric or column
name gets "did you mean", and out-of-range option values are refused by their
own check.

Independent reference: the data's column names as pandas reads them, and the
literal expected text.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import os
import subprocess
import tempfile
import unittest

import pandas as pd

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CREDIT = os.path.join(SRC, "examples", "data", "credit-g.csv")


def mlpipe(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


class DidYouMeanTest(unittest.TestCase):
    def check(self, args, expected):
        r = mlpipe(*args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertTrue(r.stderr.startswith("error: "), r.stderr)
        self.assertIn(expected, r.stderr.splitlines()[0])

    def test_subcommands(self):
        self.check(["trian"], "unknown command 'trian' for 'mlpipe' (did you mean 'train'?)")
        self.check(["data", "profil", CREDIT],
                   "unknown command 'profil' for 'mlpipe data' (did you mean 'profile'?)")
        self.check(["runs", "lst"], "unknown command 'lst' for 'mlpipe runs' (did you mean 'list'?)")

    def test_options(self):
        self.check(["train", "--data", CREDIT, "--tagret", "class"],
                   "unknown option '--tagret' for 'mlpipe train' (did you mean '--target'?)")
        self.check(["data", "profile", CREDIT, "--protectd=age"],
                   "unknown option '--protectd' for 'mlpipe data profile' "
                   "(did you mean '--protected'?)")

    def test_model_families_and_metrics(self):
        self.check(["train", "--data", CREDIT, "--target", "class", "--models", "gdbt",
                    "--no-track"], "unknown model family 'gdbt' (did you mean 'gbdt'?)")
        self.check(["train", "--data", CREDIT, "--target", "class", "--metric", "roc_acu",
                    "--no-track"], "unknown metric 'roc_acu' (did you mean 'roc_auc'?)")

    def test_column_names(self):
        columns = list(pd.read_csv(CREDIT, nrows=1).columns)
        self.assertIn("class", columns)
        self.assertNotIn("Class", columns)
        for args in (["train", "--data", CREDIT, "--target", "Class", "--no-track"],
                     ["data", "profile", CREDIT, "--target", "Class"]):
            self.check(args, "no column named 'Class' (did you mean 'class'?)")
        self.check(["data", "profile", CREDIT, "--protected", "Age"],
                   "no column named 'Age' (did you mean 'age'?)")
        with tempfile.TemporaryDirectory() as tmp:
            self.check(["init", os.path.join(tmp, "p"), "--data", CREDIT, "--target", "Class"],
                       "(did you mean 'class'?)")


class Utf16Test(unittest.TestCase):
    def test_utf16_files_are_named(self):
        text = open(CREDIT, encoding="utf-8").read()[:5000]
        cases = [("utf-16-le", "\ufeff", "UTF-16 (byte order mark FF FE)"),
                 ("utf-16-be", "\ufeff", "UTF-16 (byte order mark FE FF)"),
                 ("utf-16-le", "", "UTF-16 (no byte order mark)"),
                 ("utf-16-be", "", "UTF-16 (no byte order mark)")]
        with tempfile.TemporaryDirectory() as tmp:
            for encoding, bom, how in cases:
                path = os.path.join(tmp, "credit.csv")
                with open(path, "wb") as f:
                    f.write((bom + text).encode(encoding))
                for args in (["data", "profile", path],
                             ["train", "--data", path, "--target", "class", "--no-track"]):
                    with self.subTest(encoding=encoding, bom=bool(bom), cmd=args[0]):
                        r = mlpipe(*args)
                        self.assertEqual(r.returncode, 2, r.stderr)
                        self.assertEqual(r.stderr.splitlines()[0],
                                         f"error: {path}: the file is {how}; save it as UTF-8")
            # The same text as UTF-8 reads.
            with open(path, "w", encoding="utf-8") as f:
                f.write(text[:text.rindex("\n") + 1])
            self.assertEqual(mlpipe("data", "profile", path, "-q").returncode, 0)


class RangeTest(unittest.TestCase):
    def check(self, args, expected):
        r = mlpipe("train", "--data", CREDIT, "--target", "class", "--no-track", "-q", *args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.splitlines()[0], "error: " + expected)

    def test_seed_must_be_unsigned(self):
        self.check(["--seed", "-1"],
                   "--seed: must be an integer from 0 to 18446744073709551615, got '-1'")
        self.check(["--seed", "18446744073709551616"],
                   "--seed: must be an integer from 0 to 18446744073709551615, "
                   "got '18446744073709551616'")

    def test_test_size_in_open_unit_interval(self):
        for v in ("0", "1", "-0.2", "1.5"):
            self.check(["--test-size", v], "--test-size: must be in (0, 1), got " + v)


if __name__ == "__main__":
    unittest.main()
