"""Hot reload of `mlpipe serve --model MODEL@ALIAS` (docs/serve.md, "Hot reload").

Two versions of credit-risk are registered the way test_gates.py does it (the
bundle in the object store under its SHA-256, the version row inserted with
Python's sqlite3), approved and moved between with `mlpipe promote` and
`mlpipe rollback`, 100 alias moves in all, while two clients score without
pause. Every request must succeed, every reply must come from one of the two
versions with that version's prediction (from `mlpipe predict`), and the
server must follow each move. Then the alias is pointed (with sqlite3) at a
version whose stored bundle is damaged: the old version keeps serving and the
failure shows in /metrics.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import csv
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from serve_client import BIN, Http, start_server, stop_server, wait_until  # noqa: E402

SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CREDIT = os.path.join(SRC, "examples", "data", "credit-g.csv")
MOVES = 100

EVIDENCE = {"evidence": {
    "validation": {"passed": True, "detail": "no anomalies"},
    "kpis": [{"name": "roc_auc >= 0.7", "passed": True, "evidence": "roc_auc = 0.79"}],
    "fairness": [{"name": "demographic_parity_ratio(sex) >= 0.8", "passed": True,
                  "evidence": "0.91"}],
    "champion": {"passed": True, "evidence": "no champion yet"},
    "required_approvals": [{"role": "risk-officer", "count": 1}]}}


class ServeReloadTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        with open(CREDIT, newline="") as f:
            rows = list(csv.DictReader(f))[:5]
        for r in rows:
            del r["class"]
        cls.rows_csv = os.path.join(d, "rows.csv")
        with open(cls.rows_csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        cls.instance = {k: (int(v) if v.lstrip("-").isdigit() else v) for k, v in rows[0].items()}
        cls.bundles, cls.expected = {}, {}
        for version, family in ((1, "logreg"), (2, "gbdt")):
            b = os.path.join(d, f"v{version}.mlpb")
            p = subprocess.run([BIN, "-q", "train", "--data", CREDIT, "--target", "class",
                                "--models", family, "--search", "random:2", "--cv", "2",
                                "--bootstrap", "20", "--no-track", "--bundle", b, "-o",
                                os.path.join(d, f"out{version}")],
                               capture_output=True, text=True, timeout=600)
            assert p.returncode == 0, p.stderr
            pred = os.path.join(d, f"pred{version}.csv")
            p = subprocess.run([BIN, "predict", "--model", b, "--input", cls.rows_csv,
                                "--output", pred], capture_output=True, text=True, timeout=300)
            assert p.returncode == 0, p.stderr
            with open(pred, newline="") as f:
                cls.expected[str(version)] = float(next(csv.DictReader(f))["prob_good"])
            cls.bundles[version] = b
        assert cls.expected["1"] != cls.expected["2"]
        cls.project = os.path.join(d, "project")
        os.makedirs(os.path.join(cls.project, ".mlpipe"))
        assert cls.cli("registry", "list").returncode == 0
        for version in (1, 2):
            cls.register(version, cls.bundles[version])
            p = cls.cli("approve", f"credit-risk@{version}", "--role", "risk-officer", "--by", "bo")
            assert p.returncode == 0, p.stderr
        p = cls.cli("promote", "credit-risk@1", "--to", "champion")
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def cli(cls, *args):
        return subprocess.run([BIN, "--project", cls.project, *args], capture_output=True,
                              text=True, timeout=300)

    @classmethod
    def register(cls, version, bundle):
        with open(bundle, "rb") as f:
            data = f.read()
        h = hashlib.sha256(data).hexdigest()
        d = os.path.join(cls.project, ".mlpipe", "objects", h[:2])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, h[2:]), "wb") as f:
            f.write(data)
        now = int(time.time() * 1e6)
        with sqlite3.connect(os.path.join(cls.project, ".mlpipe", "meta.db")) as c:
            c.execute("INSERT OR IGNORE INTO registered_models (name, description, created_us) "
                      "VALUES ('credit-risk', '', ?)", (now,))
            c.execute("INSERT INTO model_versions (model, version, bundle_hash, metrics_json, "
                      "status, created_us) VALUES ('credit-risk', ?, ?, ?, 'pending', ?)",
                      (version, h, json.dumps(EVIDENCE), now))
        return h

    def served_version(self, http):
        status, body, _ = http.json("GET", "/v2/models/credit-risk")
        return body["versions"][0] if status == 200 else None

    def test_alias_moves_under_load_without_a_failed_request(self):
        server, port, models = start_server(
            ["--model", "credit-risk@champion", "--reload-interval", "0.05", "--threads", "3"],
            cwd=self.project)
        try:
            self.assertEqual(models[0]["name"], "credit-risk")
            self.assertEqual(models[0]["version"], "1")
            stop = threading.Event()
            results = []  # (status, version, probability of good)
            errors = []

            def load():
                http = Http(port)
                while not stop.is_set():
                    try:
                        status, body, _ = http.json("POST", "/v1/models/credit-risk:predict",
                                                    {"instances": [self.instance]})
                        p = body["predictions"][0] if status == 200 else {}
                        results.append((status, p.get("model_version"),
                                        p.get("probabilities", {}).get("good")))
                    except Exception as e:  # a dropped connection is a failure too
                        errors.append(repr(e))
                http.conn.close()

            threads = [threading.Thread(target=load) for _ in range(2)]
            for t in threads:
                t.start()
            http = Http(port)
            want = "1"
            for move in range(MOVES):
                if want == "1":
                    p = self.cli("promote", "credit-risk@2", "--to", "champion")
                    want = "2"
                else:
                    p = self.cli("rollback", "credit-risk")
                    want = "1"
                self.assertEqual(p.returncode, 0, p.stderr)
                got = wait_until(lambda: self.served_version(http) == want, timeout=30,
                                 step=0.01)
                self.assertTrue(got, f"move {move}: server did not follow to version {want}")
            time.sleep(0.2)
            stop.set()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertGreater(len(results), MOVES)
            bad = [r for r in results if r[0] != 200]
            self.assertEqual(bad, [])
            seen = set()
            for status, version, prob in results:
                self.assertIn(version, ("1", "2"))
                self.assertAlmostEqual(prob, self.expected[version], places=12)
                seen.add(version)
            self.assertEqual(seen, {"1", "2"})
            print(f"{len(results)} requests, all 200, across {MOVES} alias moves",
                  file=sys.stderr)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
                text = r.read().decode()
            self.assertIn(f'mlpipe_model_generation{{model="credit-risk"}} {MOVES + 1}', text)

            # A version whose stored bundle is damaged: the alias moves, the load fails,
            # the old version keeps serving, and the failure is counted.
            h = self.register(3, self.bundles[2])
            obj = os.path.join(self.project, ".mlpipe", "objects", h[:2], h[2:])
            # Same bytes as v2 but for one flipped byte near the end.
            with open(obj, "rb") as f:
                data = bytearray(f.read())
            data[-5] ^= 0xFF
            damaged_hash = hashlib.sha256(bytes(data)).hexdigest()
            d = os.path.join(self.project, ".mlpipe", "objects", damaged_hash[:2])
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, damaged_hash[2:]), "wb") as f:
                f.write(bytes(data))
            before = self.served_version(http)
            with sqlite3.connect(os.path.join(self.project, ".mlpipe", "meta.db")) as c:
                c.execute("UPDATE model_versions SET bundle_hash = ? WHERE model = 'credit-risk' "
                          "AND version = 3", (damaged_hash,))
                c.execute("UPDATE aliases SET version = 3 WHERE model = 'credit-risk' AND "
                          "alias = 'champion'")

            def failures():
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
                    for line in r.read().decode().splitlines():
                        if line.startswith('mlpipe_model_load_failures_total{model="credit-risk"}'):
                            return float(line.split()[-1]) > 0
                return False

            self.assertTrue(wait_until(failures, timeout=30))
            self.assertEqual(self.served_version(http), before)
            status, body, _ = http.json("POST", "/v1/models/credit-risk:predict",
                                        {"instances": [self.instance]})
            self.assertEqual(status, 200, body)
            self.assertEqual(body["predictions"][0]["model_version"], before)
            http.conn.close()
        finally:
            stop_server(server)


if __name__ == "__main__":
    unittest.main()
