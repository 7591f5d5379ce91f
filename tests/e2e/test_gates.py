"""End-to-end tests of the deployment gates: `mlpipe gates`, `approve`,
`promote --to`, `rollback`.

A model version is registered the way the pipeline does it: a real bundle
from `mlpipe train --bundle` is put in the object store under its SHA-256 and
the version row, with its recorded evidence, is inserted with Python's sqlite3
(independent of mlpipe). The integration gate then runs `mlpipe bundle verify`
on it in a fresh process; a tampered object fails that gate.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CREDIT = os.path.join(SRC, "examples", "data", "credit-g.csv")


def evidence(kpi_passes=True):
    return {"evidence": {
        "validation": {"passed": True, "detail": "no anomalies"},
        "kpis": [{"name": "roc_auc >= 0.75", "passed": kpi_passes,
                  "evidence": "roc_auc = 0.79" if kpi_passes else "roc_auc = 0.70"}],
        "fairness": [{"name": "demographic_parity_ratio(sex) >= 0.8", "passed": True,
                      "evidence": "0.91"}],
        "champion": {"passed": True, "evidence": "no champion yet"},
        "required_approvals": [{"role": "risk-officer", "count": 1}]}}


class GatesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.bundle = os.path.join(cls.tmp.name, "model.mlpb")
        p = subprocess.run([BIN, "-q", "train", "--data", CREDIT, "--target", "class",
                            "--models", "logreg", "--search", "random:2", "--cv", "3",
                            "--bootstrap", "50", "--no-track", "--bundle", cls.bundle],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.project = tempfile.mkdtemp(dir=self.tmp.name)
        os.mkdir(os.path.join(self.project, ".mlpipe"))  # a project, empty
        # Creates the store (schema) through mlpipe itself.
        self.assertEqual(self.cli("registry", "list").returncode, 0)

    def cli(self, *args):
        return subprocess.run([BIN, "--project", self.project, *args], capture_output=True,
                              text=True, timeout=300)

    def register(self, version, kpi_passes=True, bundle=None):
        data = open(bundle or self.bundle, "rb").read()
        h = hashlib.sha256(data).hexdigest()
        d = os.path.join(self.project, ".mlpipe", "objects", h[:2])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, h[2:]), "wb") as f:
            f.write(data)
        now = int(time.time() * 1e6)
        with sqlite3.connect(os.path.join(self.project, ".mlpipe", "meta.db")) as c:
            c.execute("INSERT OR IGNORE INTO registered_models (name, description, created_us) "
                      "VALUES ('credit-risk', '', ?)", (now,))
            c.execute("INSERT INTO model_versions (model, version, bundle_hash, metrics_json, "
                      "status, created_us) VALUES ('credit-risk', ?, ?, ?, 'pending', ?)",
                      (version, h, json.dumps(evidence(kpi_passes)), now))
        return h

    def champion(self):
        with sqlite3.connect(os.path.join(self.project, ".mlpipe", "meta.db")) as c:
            row = c.execute("SELECT version FROM aliases WHERE model = 'credit-risk' AND "
                            "alias = 'champion'").fetchone()
        return row[0] if row else None

    def test_promote_refused_until_approved(self):
        self.register(1)
        g = self.cli("--json", "gates", "credit-risk@1")
        self.assertEqual(g.returncode, 1, g.stderr)
        gates = {x["name"]: x for x in json.loads(g.stdout)["gates"]}
        self.assertTrue(gates["integration"]["passed"], gates["integration"])
        self.assertFalse(gates["approval: risk-officer x1"]["passed"])

        p = self.cli("promote", "credit-risk@1", "--to", "champion")
        self.assertEqual(p.returncode, 1)
        self.assertIn("approval: risk-officer x1", p.stderr)
        self.assertIsNone(self.champion())

        a = self.cli("approve", "credit-risk@1", "--role", "risk-officer", "--by", "bo")
        self.assertEqual(a.returncode, 0, a.stderr)
        p = self.cli("promote", "credit-risk@1", "--to", "champion")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.champion(), 1)
        self.assertEqual(self.cli("gates", "credit-risk@1").returncode, 0)
        # Every attempt, refusal and move is in the audit log, and the chain holds.
        with sqlite3.connect(os.path.join(self.project, ".mlpipe", "meta.db")) as c:
            actions = [r[0] for r in c.execute("SELECT action FROM audit ORDER BY seq")]
        for a in ["promote.refused", "approve", "promote", "alias.move"]:
            self.assertIn(a, actions)
        self.assertEqual(self.cli("audit", "verify").returncode, 0)

    def test_failing_kpi_and_tampered_bundle(self):
        bad = os.path.join(self.tmp.name, "tampered.mlpb")
        shutil.copy(self.bundle, bad)
        with open(bad, "r+b") as f:
            f.seek(os.path.getsize(bad) - 10)
            f.write(b"\x00\x01")
        self.register(1, kpi_passes=False, bundle=bad)
        self.cli("approve", "credit-risk@1", "--role", "risk-officer", "--by", "bo")
        g = self.cli("--json", "gates", "credit-risk@1")
        self.assertEqual(g.returncode, 1)
        gates = {x["name"]: x for x in json.loads(g.stdout)["gates"]}
        self.assertFalse(gates["kpi: roc_auc >= 0.75"]["passed"])
        self.assertFalse(gates["integration"]["passed"])
        p = self.cli("promote", "credit-risk@1", "--to", "champion")
        self.assertEqual(p.returncode, 1)
        self.assertIn("integration", p.stderr)

    def test_rollback(self):
        for v in (1, 2):
            self.register(v)
            self.assertEqual(self.cli("approve", f"credit-risk@{v}", "--role", "risk-officer",
                                      "--by", "bo").returncode, 0)
            p = self.cli("promote", f"credit-risk@{v}", "--to", "champion")
            self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.champion(), 2)
        r = self.cli("rollback", "credit-risk", "--reason", "drift")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.champion(), 1)
        h = json.loads(self.cli("--json", "registry", "history", "credit-risk").stdout)
        self.assertIn("drift", json.dumps(h))

    def test_bad_input(self):
        self.register(1)
        for args in [("gates", "credit-risk@@2"), ("gates", "credit-risk@9"),
                     ("approve", "credit-risk@1", "--role", "", "--by", "x"),
                     ("promote", "credit-risk", "--to", "champion"),
                     ("rollback", "credit-risk@1")]:
            p = self.cli(*args)
            self.assertEqual(p.returncode, 2, (args, p.stdout, p.stderr))
        p = self.cli("rollback", "credit-risk")
        self.assertEqual(p.returncode, 2)
        self.assertIn("champion", p.stderr)


if __name__ == "__main__":
    unittest.main()
