"""End-to-end tests of `mlpipe run` and `mlpipe reproduce` on the credit-risk
example (examples/credit-risk, credit-g.csv with a derived `sex` column).

Figures are checked against independent computations: the test part's ROC AUC
and demographic parity ratio with scikit-learn / pandas from `mlpipe predict`
output, the proxy's Cramér's V with scipy, pseudonyms with Python's hmac, and
the search for raw PII under .mlpipe/ with Python's zstandard (every zstd
frame decompressed) and plain byte search.

Searches are kept small (--set search.trials=3, search.cv=3) so the suite stays
fast; the full example is what `make demo` runs.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency
from sklearn.metrics import roc_auc_score

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(SRC, "examples", "credit-risk")
DATA = os.path.join(SRC, "examples", "data")
SMALL = ["--set", "search.trials=3", "--set", "search.cv=3"]
SEX = {"male single": "male", "male div/sep": "male", "male mar/wid": "male",
       "female div/dep/mar": "female"}


def make_project(root, spec_edit=None, data_edit=None):
    """A copy of the example in `root`/credit-risk with its data in `root`/data."""
    shutil.copytree(EXAMPLE, os.path.join(root, "credit-risk"))
    shutil.copytree(DATA, os.path.join(root, "data"),
                    ignore=shutil.ignore_patterns("*.md"))
    project = os.path.join(root, "credit-risk")
    spec = os.path.join(project, "mlpipe.yaml")
    if spec_edit:
        with open(spec) as f:
            text = f.read()
        with open(spec, "w") as f:
            f.write(spec_edit(text))
    if data_edit:
        path = os.path.join(root, "data", "credit-g.csv")
        df = data_edit(pd.read_csv(path))
        df.to_csv(path, index=False)
    return project


def run(project, *args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BIN, "--project", project, *args], capture_output=True, text=True,
                          timeout=600, env=e, cwd=project)


def run_json(project, *args, env=None):
    p = run(project, "--json", "run", *SMALL, *args, env=env)
    try:
        out = json.loads(p.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"no JSON (exit {p.returncode}): {p.stdout}\n{p.stderr}")
    return p, out


def object_bytes(project, digest):
    with open(os.path.join(project, ".mlpipe", "objects", digest[:2], digest[2:]), "rb") as f:
        return f.read()


class FullRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.project = make_project(cls.tmp.name)
        cls.first, cls.out = run_json(cls.project)
        cls.second, cls.again = run_json(cls.project)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def step(self, out, name):
        return next(s for s in out["steps"] if s["name"] == name)

    def test_governance_removals_are_printed_every_time(self):
        # The example's spec: protected: [sex, age, foreign_worker], pii: [].
        line = ("governance: removed columns sex (protected), age (protected), "
                "foreign_worker (protected) before training")
        self.assertIn(line, self.first.stderr.splitlines())
        self.assertIn(line, self.second.stderr.splitlines())  # cached run too

    def test_every_step_runs_then_every_step_is_cached(self):
        # The example's model fails its fairness constraints: exit 1, a gate failed.
        self.assertEqual(self.first.returncode, 1, self.first.stderr)
        self.assertEqual([s["state"] for s in self.out["steps"]], ["ran"] * 11)
        self.assertEqual([s["state"] for s in self.again["steps"]], ["cached"] * 11)
        self.assertEqual(self.second.returncode, 1)
        self.assertEqual(self.again["register"]["model_ref"], "credit-risk@1")
        for name in ("ingest", "train", "gates"):
            self.assertEqual(self.step(self.out, name)["key"], self.step(self.again, name)["key"])

    def test_summary_holds_data_version_leaderboard_gates_and_reports(self):
        self.assertEqual(self.out["ingest"]["dataset_ref"], "credit-g@1")
        self.assertEqual(self.out["ingest"]["rows"], 1000)
        families = sorted(e["family"] for e in self.out["train"]["leaderboard"])
        self.assertEqual(families, ["gbdt", "logreg", "rf"])
        self.assertEqual(self.out["train"]["trials"], 9)
        names = [g["name"] for g in self.out["gates"]["gates"]]
        for gate in ("validation", "kpi: roc_auc >= 0.75", "champion", "integration",
                     "approval: risk-officer x1"):
            self.assertIn(gate, names)
        approvals = [g for g in self.out["gates"]["gates"] if g["name"].startswith("approval")]
        self.assertFalse(approvals[0]["passed"])
        for report in ("profile.html", "model_card.html", "model_card.md"):
            path = os.path.join(self.project, "reports", report)
            self.assertTrue(os.path.exists(path), path)
        with open(os.path.join(self.project, "reports", "model_card.md")) as f:
            card = f.read()
        self.assertIn("credit-risk", card)
        self.assertIn("demographic_parity_ratio", card)
        self.assertIn("personal_status", card)  # the proxy, as a limitation

    def test_test_metrics_match_scikit_learn_on_predict_output(self):
        split = json.loads(object_bytes(self.project, self.step(self.out, "split")["outputs"]
                                        ["split.json"]))
        df = pd.read_csv(os.path.join(self.tmp.name, "data", "credit-g.csv"))
        df["sex"] = df["personal_status"].map(SEX)
        test = df.iloc[split["test"]].reset_index(drop=True)
        self.assertEqual(len(test), 200)
        inp = os.path.join(self.tmp.name, "test.csv")
        outp = os.path.join(self.tmp.name, "pred.csv")
        test.to_csv(inp, index=False)
        p = run(self.project, "predict", "--model", "credit-risk@1", "--input", inp,
                "--output", outp)
        self.assertEqual(p.returncode, 0, p.stderr)
        pred = pd.read_csv(outp)
        y = (test["class"] == "bad").astype(int)
        kpi = next(k for k in self.out["evaluate"]["kpis"] if k["metric"] == "roc_auc")
        self.assertAlmostEqual(kpi["value"], roc_auc_score(y, pred["score"]), places=9)
        self.assertLessEqual(kpi["ci_low"], kpi["value"])
        self.assertGreaterEqual(kpi["ci_high"], kpi["value"])
        # Demographic parity ratio over sex: min / max selection rate.
        rates = (pred["predicted"] == "bad").groupby(test["sex"]).mean()
        fair = next(f for f in self.out["evaluate"]["fairness"] if f["column"] == "sex")
        self.assertAlmostEqual(fair["value"], rates.min() / rates.max(), places=9)
        self.assertEqual(fair["passed"], rates.min() / rates.max() >= 0.8)

    def test_personal_status_is_caught_as_a_proxy_of_sex(self):
        df = pd.read_csv(os.path.join(self.tmp.name, "data", "credit-g.csv"))
        table = pd.crosstab(df["personal_status"], df["personal_status"].map(SEX))
        chi2 = chi2_contingency(table, correction=False)[0]
        v = np.sqrt(chi2 / (table.values.sum() * (min(table.shape) - 1)))
        found = [p for p in self.out["governance"]["proxies"]
                 if p["feature"] == "personal_status" and p["protected"] == "sex"
                 and p["method"] == "cramers_v"]
        self.assertEqual(len(found), 1, self.out["governance"]["proxies"])
        self.assertAlmostEqual(found[0]["value"], v, places=9)

    def test_gate_refusal_and_reproduce(self):
        p = run(self.project, "promote", "credit-risk@1", "--to", "champion")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("fairness", p.stdout + p.stderr)
        self.assertIn("approval", p.stdout + p.stderr)
        p = run(self.project, "--json", "reproduce", self.out["run_id"])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        rep = json.loads(p.stdout)
        self.assertTrue(rep["bundle_identical"])
        self.assertTrue(all(f["same"] for f in rep["files"]), rep["files"])
        p = run(self.project, "--json", "audit", "log")
        self.assertIn("run.reproduce", p.stdout)


class StepRangeTest(unittest.TestCase):
    def test_until_then_from_reuses_the_cached_steps(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp)
            p = run(project, "--json", "run", *SMALL, "--from", "train")
            self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
            self.assertIn("no cached result", p.stdout + p.stderr)
            p, out = run_json(project, "--until", "split")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual([s["state"] for s in out["steps"]][:6],
                             ["ran"] * 5 + ["not_run"])
            p, out = run_json(project, "--from", "features", "--until", "train")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual([s["state"] for s in out["steps"]][:8],
                             ["cached"] * 5 + ["ran", "ran", "not_run"])
            p = run(project, "run", "--from", "nope")
            self.assertEqual(p.returncode, 2)
            self.assertIn("unknown step 'nope'", p.stderr)

    def test_a_missing_data_file_is_named_at_its_spec_line(self):
        # Regression: the run said only "PATH: No such file or directory".
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp, spec_edit=lambda t: t.replace("credit-g.csv", "nope.csv"))
            with open(os.path.join(project, "mlpipe.yaml")) as f:
                line = next(i for i, l in enumerate(f, 1) if "nope.csv" in l)
            p = run(project, "run")
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertRegex(p.stderr, r"mlpipe\.yaml:%d:\d+: data file '[^']*nope\.csv' not found"
                             % line)


class ProtectedTest(unittest.TestCase):
    def derived_from_protected(self, text):
        # A feature derived from the protected foreign_worker.
        return text.replace("  derived:\n", "  derived:\n"
                            "    - name: foreigner\n"
                            "      from: foreign_worker\n"
                            "      map: {\"yes\": \"1\", \"no\": \"0\"}\n", 1)

    def test_refusal_names_the_column_and_policy_line_and_override_is_audited(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp, spec_edit=self.derived_from_protected)
            p = run(project, "run", *SMALL)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("protected column 'foreign_worker'", p.stderr)
            self.assertIn("foreigner", p.stderr)
            with open(os.path.join(project, "mlpipe.yaml")) as f:
                line = next(i + 1 for i, l in enumerate(f) if l.strip().startswith("protected:"))
            self.assertIn(f"mlpipe.yaml:{line}:", p.stderr)
            p, out = run_json(project, "--no-cache")
            self.assertEqual(p.returncode, 1)
            self.assertIn("foreign_worker", out["stopped"])
            states = {s["name"]: s["state"] for s in out["steps"]}
            self.assertEqual(states["governance"], "ran")
            self.assertEqual(states["train"], "not_run")
            p = run(project, "run", *SMALL, "--override", "protected:foreign_worker")
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("--reason", p.stderr)
            p, out = run_json(project, "--override", "protected:foreign_worker", "--reason",
                              "legal review LR-17 allows it")
            self.assertIn(p.returncode, (0, 1), p.stderr)
            self.assertTrue(out["stopped"] is None, out["stopped"])
            self.assertIn("train", [s["name"] for s in out["steps"] if s["state"] == "ran"])
            audit = json.loads(run(project, "--json", "audit", "log").stdout)
            entries = audit["entries"] if isinstance(audit, dict) else audit
            overrides = [e for e in entries if e["action"] == "governance.override"]
            self.assertEqual(len(overrides), 1)
            self.assertEqual(overrides[0]["subject"], "protected:foreign_worker")
            self.assertIn("LR-17", json.dumps(overrides[0]))


class NewDataTest(unittest.TestCase):
    def test_a_new_version_that_breaks_the_schema_stops_the_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp)
            p, out = run_json(project, "--until", "validate")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(out["validate"]["passed"])
            path = os.path.join(tmp, "data", "credit-g.csv")
            pd.read_csv(path).drop(columns=["own_telephone"]).to_csv(path, index=False)
            p, out = run_json(project)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertEqual(out["ingest"]["dataset_ref"], "credit-g@2")
            self.assertFalse(out["validate"]["passed"])
            self.assertIn("credit-g@2 breaks the schema of credit-g@1", out["stopped"])
            self.assertIn("own_telephone", json.dumps(out["validate"]["anomalies"]))
            states = {s["name"]: s["state"] for s in out["steps"]}
            self.assertEqual(states["profile"], "not_run")


    def test_the_other_half_of_a_random_split_passes_and_a_rescaled_copy_stops(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp)
            path = os.path.join(tmp, "data", "credit-g.csv")
            full = pd.read_csv(path)
            first = full.sample(frac=0.5, random_state=3)
            second = full.drop(first.index)
            first.to_csv(path, index=False)
            p, out = run_json(project, "--until", "validate")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(out["ingest"]["dataset_ref"], "credit-g@1")
            # Version 2, the other half: beyond the first half's observed ranges
            # here and there, which warns and does not stop the run.
            second.to_csv(path, index=False)
            p, out = run_json(project, "--until", "validate")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(out["ingest"]["dataset_ref"], "credit-g@2")
            self.assertTrue(out["validate"]["passed"], out["validate"])
            self.assertEqual(out["validate"]["errors"], 0)
            beyond = [c for c in full.columns if pd.api.types.is_numeric_dtype(full[c])
                      and ((second[c] < first[c].min()) | (second[c] > first[c].max())).any()]
            self.assertTrue(beyond)  # so the warnings are tested, not absent
            self.assertEqual(out["validate"]["warnings"], len(beyond))
            self.assertEqual(sorted(a["column"] for a in out["validate"]["anomalies"]),
                             sorted(beyond))
            self.assertEqual({a["severity"] for a in out["validate"]["anomalies"]}, {"warning"})
            # Version 3: amounts in cents instead of marks is an error and stops the run.
            cents = second.copy()
            cents["credit_amount"] = cents["credit_amount"] * 100
            cents.to_csv(path, index=False)
            p, out = run_json(project, "--until", "validate")
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertFalse(out["validate"]["passed"])
            self.assertIn("credit-g@3 breaks the schema of credit-g@2", out["stopped"])
            errors = [a for a in out["validate"]["anomalies"] if a["severity"] == "error"]
            self.assertEqual([a["column"] for a in errors], ["credit_amount"])


class PolicyTest(unittest.TestCase):
    def test_a_policy_that_refuses_proxies_stops_before_training(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp)
            p, out = run_json(project, "--set", "governance.proxy.refuse=true")
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("'personal_status' is a proxy for protected column 'sex'",
                          out["stopped"])
            self.assertIn("governance.proxy.refuse", out["stopped"])
            states = {s["name"]: s["state"] for s in out["steps"]}
            self.assertEqual(states["train"], "not_run")

    def test_interpretability_searches_only_interpretable_families(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp)
            p, out = run_json(project, "--set", "interpretability.required=true",
                              "--set", "models=[]", "--until", "train")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(sorted(e["family"] for e in out["train"]["leaderboard"]),
                             ["logreg", "tree"])
            p = run(project, "run", "--set", "interpretability.required=true")
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("'gbdt' is not interpretable", p.stderr)
            self.assertIn("mlpipe.yaml:", p.stderr)


class PiiTest(unittest.TestCase):
    KEY = "test-key-4711"

    def add_pii(self, df):
        df = df.copy()
        df["email"] = [f"applicant.{i:04d}.zq@example.org" for i in range(len(df))]
        df["full_name"] = [f"Qwyn Zarathustra{i:04d}" for i in range(len(df))]
        return df

    def pii_spec(self, text):
        return text.replace("  pii: []\n", "  pii:\n"
                            "    - {column: email, handling: pseudonymise}\n"
                            "    - full_name\n", 1)

    def test_no_raw_pii_value_under_the_store(self):
        import zstandard
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp, spec_edit=self.pii_spec, data_edit=self.add_pii)
            p = run(project, "run", *SMALL)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("MLPIPE_PII_KEY", p.stderr)
            p, out = run_json(project, env={"MLPIPE_PII_KEY": self.KEY})
            self.assertIn(p.returncode, (0, 1), p.stderr)
            self.assertIsNone(out["stopped"])
            raw = [f"applicant.{i:04d}.zq@example.org".encode() for i in range(1000)]
            raw += [f"Zarathustra{i:04d}".encode() for i in range(1000)]
            pseudonym = hmac.new(self.KEY.encode(), raw[0], hashlib.sha256).hexdigest()[:16]
            blobs = []
            for root, _, files in os.walk(os.path.join(project, ".mlpipe")):
                for name in files:
                    with open(os.path.join(root, name), "rb") as f:
                        data = f.read()
                    blobs.append(data)
                    start = data.find(b"\x28\xb5\x2f\xfd")
                    while start >= 0:  # every zstd frame, decompressed
                        try:
                            d = zstandard.ZstdDecompressor().decompressobj()
                            blobs.append(d.decompress(data[start:]))
                        except zstandard.ZstdError:
                            pass
                        start = data.find(b"\x28\xb5\x2f\xfd", start + 1)
            everything = b"\n".join(blobs)
            leaks = [v for v in raw if v in everything]
            self.assertEqual(leaks, [])
            # The scan sees pseudonymised values, so it would have seen raw ones.
            self.assertIn(pseudonym.encode(), everything)
            self.assertTrue(any(b"bundle" in b or b"email" in b for b in blobs))
            # The version names the project's file as its source, not the
            # protected copy that was stored.
            db = sqlite3.connect(os.path.join(project, ".mlpipe", "meta.db"))
            sources = [r[0] for r in db.execute("SELECT source_path FROM dataset_versions")]
            db.close()
            self.assertEqual(sources, [os.path.join(tmp, "data", "credit-g.csv")])
            # The protected data reproduces too (from its stored version, no key needed).
            p = run(project, "--json", "reproduce", out["run_id"])
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            rep = json.loads(p.stdout)
            self.assertTrue(all(f["same"] for f in rep["files"]), rep["files"])


class AuditAndSpecTest(unittest.TestCase):
    def test_audit_verify_catches_an_edited_entry(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(tmp)
            p, _ = run_json(project, "--until", "register")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(run(project, "audit", "verify").returncode, 0)
            db = sqlite3.connect(os.path.join(project, ".mlpipe", "meta.db"))
            table = next(r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'audit%'"))
            db.execute(f"UPDATE {table} SET actor = 'mallory' WHERE seq = 2")
            db.commit()
            db.close()
            p = run(project, "audit", "verify")
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("2", p.stdout + p.stderr)

    def test_bad_specs_name_file_line_and_column_and_exit_2(self):
        cases = [
            (lambda t: t.replace("seed: 42", "seed: 42\ncolour: blue"), "colour"),
            (lambda t: t.replace("roc_auc >= 0.75", "roc_auk >= 0.75"), "roc_auk"),
            (lambda t: t.replace("protected: [sex, age, foreign_worker]",
                                 "protected: [sex, agee, foreign_worker]"), "agee"),
            (lambda t: t.replace("trials: 20", "trials: many"), "trials"),
        ]
        for edit, word in cases:
            with tempfile.TemporaryDirectory() as tmp:
                project = make_project(tmp, spec_edit=edit)
                p = run(project, "run")
                self.assertEqual(p.returncode, 2, (word, p.stderr))
                self.assertIn("mlpipe.yaml:", p.stderr)
                self.assertIn(word, p.stderr)
                self.assertFalse(os.path.exists(os.path.join(project, ".mlpipe", "meta.db")) and
                                 "run.start" in run(project, "audit", "log").stdout, word)


if __name__ == "__main__":
    unittest.main()
