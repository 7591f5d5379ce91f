"""End-to-end tests of inputs that used to cost minutes or gigabytes and of
outputs that used to be replaced instead of written:

- 20,000 copies of one column name are renamed in linear time, as pandas
  renames them; 100,000 one-row columns profile without walking every pair;
  a 15 MB column name is refused (exit 2) with a short message naming the
  column, instead of costing gigabytes.
- "-" is standard output for every output option; a symlink stays a link,
  /dev/null stays a device; a missing folder is named, never a temporary.

Time and memory are bounded generously (a timeout, RLIMIT_AS) so that the old
quadratic or copying behaviour fails, without asserting tight timings.
"""

import json
import os
import resource
import stat
import subprocess
import tempfile
import unittest

import pandas as pd

BIN = os.environ["MLPIPE_BIN"]
SRC = os.environ["MLPIPE_SOURCE_DIR"]
IRIS = os.path.join(SRC, "examples", "data", "iris.csv")


def run(*args, timeout=300, memory_mb=None, cwd=None):
    def limit():
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    return subprocess.run([BIN, *args], capture_output=True, timeout=timeout,
                          preexec_fn=limit, cwd=cwd)


class LargeHeaders(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def test_many_identical_names_are_renamed_as_pandas_does(self):
        n = 20000
        csv = self.path("dup.csv")
        with open(csv, "w") as f:
            f.write(",".join(["a"] * n) + "\n" + ",".join(["1"] * n) + "\n")
        out = self.path("dup.json")
        # Was over 60 s (quadratic renaming).
        r = run("data", "profile", csv, "--json", out, timeout=45)
        self.assertEqual(r.returncode, 0, r.stderr.decode()[-2000:])
        with open(out) as f:
            names = [c["name"] for c in json.load(f)["columns"]]
        self.assertEqual(names, list(pd.read_csv(csv).columns))

    def test_wide_table_counts_skipped_pairs_without_walking_them(self):
        n = 100000
        csv = self.path("wide.csv")
        with open(csv, "w") as f:
            f.write(",".join("c%d" % i for i in range(n)) + "\n")
            f.write(",".join(str(i % 7) for i in range(n)) + "\n")
        out = self.path("wide.json")
        r = run("data", "profile", csv, "--json", out, "--threads", "1", timeout=45)
        self.assertEqual(r.returncode, 0, r.stderr.decode()[-2000:])
        with open(out) as f:
            profile = json.load(f)
        a = profile["associations"]
        computed = len({(p["a"], p["b"]) for p in a["pairs"]})
        usable = n - len(a["excluded_columns"])
        self.assertEqual(a["pairs_skipped"] + computed, usable * (usable - 1) // 2)

    def test_huge_column_name_is_refused_with_a_short_message(self):
        csv = self.path("longname.csv")
        with open(csv, "w") as f:
            f.write("b," + "x" * 15_000_000 + ",c\n1,2,3\n4,5,6\n")
        # Was exit 0 after about 1 GB (a copy of the name per pair and warning).
        r = run("data", "profile", csv, "--json", self.path("l.json"), timeout=60, memory_mb=1024)
        self.assertEqual(r.returncode, 2, r.stderr.decode()[-500:])
        err = r.stderr.decode()
        self.assertLess(len(err), 1000, err[:1000])
        self.assertIn("column 2", err)
        self.assertIn("15000000 bytes", err)


class Outputs(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.bundle = os.path.join(cls.tmp.name, "iris.bundle")
        r = run("train", "--data", IRIS, "--target", "class", "--models", "logreg",
                "--search", "grid", "--cv", "2", "--no-track", "--bundle", cls.bundle)
        assert r.returncode == 0, r.stderr.decode()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def test_dash_is_standard_output_for_every_output_option(self):
        # Each command once into a file and once into "-": the same bytes, and
        # nothing else on standard output.
        cases = [
            (["data", "profile", IRIS, "--json"], "profile.json"),
            (["data", "profile", IRIS, "--html"], "profile.html"),
            (["data", "schema", IRIS, "-o"], "schema.json"),
            (["predict", "--model", self.bundle, "--input", IRIS, "--output"], "pred.csv"),
        ]
        for args, name in cases:
            with self.subTest(args=args):
                f = self.path(name)
                r1 = run(*args, f)
                self.assertEqual(r1.returncode, 0, r1.stderr.decode())
                r2 = run(*args, "-")
                self.assertEqual(r2.returncode, 0, r2.stderr.decode())
                with open(f, "rb") as fh:
                    self.assertEqual(r2.stdout, fh.read())
                self.assertFalse(os.path.exists("-"))
        schema = self.path("schema.json")
        r = run("data", "validate", IRIS, "--schema", schema, "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        report = json.loads(r.stdout)  # standard output holds the JSON alone
        self.assertEqual((report["data"], report["rows"]), (IRIS, 150))
        # Predictions are the rows of the input, read back by pandas.
        r = run("predict", "--model", self.bundle, "--input", IRIS, "--output", "-")
        pred = pd.read_csv(__import__("io").BytesIO(r.stdout))
        self.assertEqual(len(pred), len(pd.read_csv(IRIS)))
        r = run("train", "--data", IRIS, "--target", "class", "--models", "logreg",
                "--search", "grid", "--cv", "2", "--no-track", "--bundle", "-",
                "--predictions", "-")
        self.assertEqual(r.returncode, 2)
        self.assertIn("only one output", r.stderr.decode())

    def test_symlink_stays_a_link_and_dev_null_a_device(self):
        real = self.path("real.json")
        link = self.path("link.json")
        os.symlink("real.json", link)
        r = run("data", "schema", IRIS, "-o", link)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertTrue(os.path.islink(link))
        with open(real) as f:
            self.assertEqual([c["name"] for c in json.load(f)["columns"]],
                             list(pd.read_csv(IRIS).columns))
        # As root, a private null device: a regression must never replace the
        # system's /dev/null. Without root, /dev is not writable: /dev/null is safe.
        device = "/dev/null"
        if os.geteuid() == 0:
            device = self.path("null-device")
            os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        r = run("data", "profile", IRIS, "--json", device)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertTrue(stat.S_ISCHR(os.stat(device).st_mode))

    def test_fifo_is_written_into(self):
        fifo = self.path("fifo")
        os.mkfifo(fifo)
        p = subprocess.Popen([BIN, "data", "schema", IRIS, "-o", fifo],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with open(fifo) as f:
            schema = json.load(f)
        self.assertEqual(p.wait(timeout=60), 0)
        p.stderr.close()
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))
        self.assertEqual(len(schema["columns"]), 5)

    def test_missing_folder_names_the_users_path(self):
        out = self.path("no/such/o.csv")
        r = run("predict", "--model", self.bundle, "--input", IRIS, "--output", out)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 2, err)
        self.assertIn(out, err)
        self.assertNotIn(".tmp", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
