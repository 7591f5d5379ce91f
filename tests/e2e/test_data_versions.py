"""End-to-end tests of data versioning and of training recorded in a project:
`mlpipe data add | list | show | diff | get` and `mlpipe train` inside a project.

Independent references: hashlib for content hashes, pandas for row counts and
statistics, Python's sqlite3 for what the metadata store holds.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

import pandas as pd

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "examples", "data")
CREDIT = os.path.join(DATA, "credit_data.csv")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class DataVersionsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.project = os.path.join(self.tmp.name, "proj")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args):
        return subprocess.run([BIN, "--project", self.project, *args], capture_output=True,
                              text=True, timeout=300)

    def ok_json(self, *args):
        p = self.run_cli("--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def db(self):
        return sqlite3.connect(os.path.join(self.project, ".mlpipe", "meta.db"))

    def test_add_show_list_get(self):
        v = self.ok_json("data", "add", CREDIT, "--name", "credit")
        df = pd.read_csv(CREDIT)
        self.assertEqual(v["ref"], "credit@1")
        self.assertFalse(v["existed"])
        self.assertEqual(v["hash"], sha256(CREDIT))
        self.assertEqual(v["size"], os.path.getsize(CREDIT))
        self.assertEqual(v["rows"], len(df))
        # The object is stored under objects/ab/cdef... with the same bytes.
        obj = os.path.join(self.project, ".mlpipe", "objects", v["hash"][:2], v["hash"][2:])
        self.assertEqual(sha256(obj), v["hash"])
        # The summary agrees with pandas.
        cols = {c["name"]: c for c in v["summary"]["columns"]}
        self.assertAlmostEqual(cols["Income"]["mean"], df["Income"].mean(), places=9)
        self.assertEqual(cols["Income"]["missing"], int(df["Income"].isna().sum()))
        # The store holds the version (independent read with sqlite3).
        with self.db() as c:
            row = c.execute("SELECT version, hash, rows_count FROM dataset_versions "
                            "WHERE name = 'credit'").fetchall()
        self.assertEqual(row, [(1, v["hash"], len(df))])

        again = self.ok_json("data", "add", CREDIT, "--name", "credit")
        self.assertTrue(again["existed"])
        self.assertEqual(again["ref"], "credit@1")

        shown = self.ok_json("data", "show", "credit@1")
        self.assertEqual(shown["hash"], v["hash"])
        listed = self.ok_json("data", "list")
        self.assertEqual([d["ref"] for d in listed], ["credit@1"])

        out = os.path.join(self.tmp.name, "restored.csv")
        self.ok_json("data", "get", "credit@1", "-o", out)
        self.assertEqual(sha256(out), v["hash"])

    def test_new_version_and_diff(self):
        self.ok_json("data", "add", CREDIT, "--name", "credit")
        df = pd.read_csv(CREDIT)
        changed = df[df["Age"] < 50].drop(columns=["Debt"]).copy()
        changed["Extra"] = 1
        path = os.path.join(self.tmp.name, "credit_v2.csv")
        changed.to_csv(path, index=False)
        v2 = self.ok_json("data", "add", path, "--name", "credit")
        self.assertEqual(v2["ref"], "credit@2")
        self.assertEqual(v2["rows"], len(changed))
        d = self.ok_json("data", "diff", "credit@1", "credit@2")
        self.assertEqual(d["columns_added"], ["Extra"])
        self.assertEqual(d["columns_removed"], ["Debt"])
        self.assertEqual(d["rows"]["change"], len(changed) - len(df))
        age = [c for c in d["columns_changed"] if c["column"] == "Age"][0]
        self.assertAlmostEqual(age["max"]["b"], changed["Age"].max())
        self.assertAlmostEqual(age["mean"]["change"], changed["Age"].mean() - df["Age"].mean(),
                               places=9)
        # data list NAME shows every version.
        self.assertEqual([d["ref"] for d in self.ok_json("data", "list", "credit")],
                         ["credit@1", "credit@2"])

    def test_audit_entries_written(self):
        self.ok_json("data", "add", CREDIT, "--name", "credit")
        with self.db() as c:
            rows = c.execute("SELECT action, subject FROM audit ORDER BY seq").fetchall()
        self.assertIn(("data.add", "credit@1"), rows)

    def test_bad_input(self):
        for args, fragment in [
            (("data", "add", os.path.join(self.tmp.name, "missing.csv"), "--name", "x"),
             "missing.csv"),
            (("data", "add", CREDIT, "--name", "bad name"), "bad name"),
            (("data", "show", "credit@@2"), "credit@@2"),
            (("data", "show", "nothing"), "nothing"),
        ]:
            p = self.run_cli(*args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn(fragment, p.stderr)
        self.ok_json("data", "add", CREDIT, "--name", "credit")
        p = self.run_cli("data", "show", "credit@7")
        self.assertEqual(p.returncode, 2)
        self.assertIn("credit", p.stderr)

    def test_corrupted_object_refused_on_get(self):
        v = self.ok_json("data", "add", CREDIT, "--name", "credit")
        obj = os.path.join(self.project, ".mlpipe", "objects", v["hash"][:2], v["hash"][2:])
        os.chmod(obj, 0o644)
        with open(obj, "r+b") as f:
            f.seek(100)
            f.write(b"X")
        out = os.path.join(self.tmp.name, "restored.csv")
        p = self.run_cli("data", "get", "credit@1", "-o", out)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(v["hash"], p.stderr)
        self.assertFalse(os.path.exists(out))


class TrainRecordedTest(unittest.TestCase):
    """`mlpipe train` inside a project records a run with its trials."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.project = os.path.join(cls.tmp.name, "proj")
        os.makedirs(os.path.join(cls.project, ".mlpipe"))
        data = os.path.join(cls.project, "credit_data.csv")
        shutil.copy(CREDIT, data)
        cls.proc = subprocess.run(
            [BIN, "--json", "train", "--data", "credit_data.csv", "--target", "Status",
             "--positive", "bad", "--models", "logreg,gbdt", "--search", "random:3", "--cv", "3",
             "--bootstrap", "50", "--seed", "3"],
            cwd=cls.project, capture_output=True, text=True, timeout=300)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_run_recorded(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        out = json.loads(self.proc.stdout)
        run_id = out["run_id"]
        self.assertEqual(out["data_version"], "credit_data@1")
        with sqlite3.connect(os.path.join(self.project, ".mlpipe", "meta.db")) as c:
            status, seed, cmd = c.execute(
                "SELECT status, seed, command FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            self.assertEqual(status, "FINISHED")
            self.assertEqual(seed, 3)
            self.assertIn("train", cmd)
            children = c.execute("SELECT COUNT(*) FROM runs WHERE parent_run_id = ?",
                                 (run_id,)).fetchone()[0]
            self.assertEqual(children, 6)  # 2 families x 3 trials
            best = out["best"]["family"] if "best" in out else out["leaderboard"][0]["family"]
            metric = c.execute("SELECT value FROM latest_metrics WHERE run_id = ? AND key = ?",
                               (run_id, "test.roc_auc")).fetchone()[0]
            board = {e["family"]: e for e in out["leaderboard"]}
            self.assertAlmostEqual(metric, board[best]["test"]["roc_auc"]["value"], places=12)
            arts = dict(c.execute("SELECT path, object_hash FROM run_artifacts WHERE run_id = ?",
                                  (run_id,)).fetchall())
            self.assertEqual(set(arts), {"model.json", "features.json", "metrics.json"})
            inputs = c.execute("SELECT dataset, version, role FROM run_inputs WHERE run_id = ? "
                               "ORDER BY role", (run_id,)).fetchall()
            self.assertEqual(inputs, [("credit_data", 1, "test"), ("credit_data", 1, "train")])
        for h in arts.values():
            obj = os.path.join(self.project, ".mlpipe", "objects", h[:2], h[2:])
            self.assertEqual(sha256(obj), h)


if __name__ == "__main__":
    unittest.main()
