"""End-to-end tests of `mlpipe train`.

scikit-learn is the independent reference: the test metrics mlpipe reports are
recomputed from the test-row predictions it writes (--predictions), with the
true labels of those rows read from the source CSV by pandas (the file's
`row` column names them), not from the `label` column mlpipe wrote. Also
checks the model folder (docs/train.md), determinism, the error cases and
their exit codes, and that multiclass and regression targets train.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import json
import math
import os
import subprocess
import tempfile
import unittest

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, mean_squared_error, r2_score, roc_auc_score

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "examples", "data")
CREDIT = os.path.join(DATA, "credit-g.csv")


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


def true_labels(data, target, pred):
    """The target of the predicted rows as pandas reads the source file. Also
    fails when a row is predicted twice or mlpipe's `label` column disagrees."""
    source = pd.read_csv(data)
    rows = pred["row"].to_numpy()
    if len(set(rows)) != len(rows):
        raise AssertionError("a row is predicted twice")
    y = source[target].iloc[rows].reset_index(drop=True)
    if y.dtype == object:
        same = y == pred["label"].astype(str)
    else:
        same = np.isclose(y, pred["label"], rtol=1e-12, atol=0)
    if not same.all():
        raise AssertionError(f"the label column differs from {data} in {(~same).sum()} rows")
    return y


def train(*args, search="random:4"):
    return run("train", "--search", search, "--cv", "3", "--bootstrap", "200", *args)


class CreditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "model")
        cls.pred = os.path.join(cls.tmp.name, "pred.csv")
        cls.proc = train("--data", CREDIT, "--target", "class", "--models", "logreg,gbdt",
                         "--protected", "personal_status", "--seed", "7", "-o", cls.out,
                         "--predictions", cls.pred, "--json")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_runs_and_prints_json(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        summary = json.loads(self.proc.stdout)
        self.assertEqual(summary["target"]["task"], "binary")
        self.assertEqual(summary["target"]["classes"], ["good", "bad"])  # minority positive
        families = [e["family"] for e in summary["leaderboard"]]
        self.assertEqual(sorted(families), ["gbdt", "logreg"])
        for e in summary["leaderboard"]:
            self.assertEqual(e["trials"], 4)
            self.assertIn("personal_status", e["fairness"])
            cv = e["cv"]["roc_auc"]
            self.assertTrue(0.5 < cv["mean"] < 1 and cv["std"] >= 0)
            t = e["test"]["roc_auc"]
            self.assertLessEqual(t["ci_low"], t["value"])
            self.assertLessEqual(t["value"], t["ci_high"])
        cvs = [e["cv"]["roc_auc"]["mean"] for e in summary["leaderboard"]]
        self.assertEqual(cvs, sorted(cvs, reverse=True))

    def test_test_metric_matches_sklearn(self):
        summary = json.loads(self.proc.stdout)
        pred = pd.read_csv(self.pred)
        self.assertEqual(len(pred), 200)
        # Stratified hold-out: 30% bad in the data, so 60 of 200.
        truth = true_labels(CREDIT, "class", pred)
        self.assertEqual((truth == "bad").sum(), 60)
        y = (truth == "bad").astype(int)
        auc = roc_auc_score(y, pred["score"])
        self.assertAlmostEqual(auc, summary["best"]["test"]["roc_auc"]["value"], delta=1e-9)
        self.assertEqual(summary["best"], summary["leaderboard"][0])

    def test_model_folder(self):
        with open(os.path.join(self.out, "model.json")) as f:
            model = json.load(f)
        with open(os.path.join(self.out, "features.json")) as f:
            features = json.load(f)
        with open(os.path.join(self.out, "metrics.json")) as f:
            metrics = json.load(f)
        self.assertEqual(model["name"], metrics["best"]["family"])
        self.assertTrue(features["fitted"])
        inputs = [c["name"] for c in features["inputs"]]
        self.assertNotIn("personal_status", inputs)  # protected: not a feature
        self.assertNotIn("class", inputs)
        self.assertIn("checking_status", inputs)
        self.assertEqual(metrics["leaderboard"], json.loads(self.proc.stdout)["leaderboard"])

    def test_same_seed_same_results(self):
        again = train("--data", CREDIT, "--target", "class", "--models", "logreg,gbdt",
                      "--protected", "personal_status", "--seed", "7", "--json")
        self.assertEqual(again.returncode, 0, again.stderr)
        a, b = json.loads(self.proc.stdout), json.loads(again.stdout)
        for x, y in zip(a["leaderboard"], b["leaderboard"]):
            self.assertEqual(x["params"], y["params"])
            self.assertEqual(x["cv"], y["cv"])
            self.assertEqual(x["test"], y["test"])


class NumericProtectedTest(unittest.TestCase):
    """A numeric protected column is grouped into quartile bins with the
    membership of pandas.qcut(q=4, duplicates="drop") over the whole column,
    not one group per value (credit-g's `age` has 53 distinct values)."""

    def test_train_groups_age_into_qcut_quartiles(self):
        with tempfile.TemporaryDirectory() as tmp:
            pred_path = os.path.join(tmp, "pred.csv")
            proc = train("--data", CREDIT, "--target", "class", "--models", "logreg",
                         "--protected", "age", "--seed", "7", "--predictions", pred_path,
                         "--json")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            fair = json.loads(proc.stdout)["leaderboard"][0]["fairness"]["age"]
            source = pd.read_csv(CREDIT)
            bins = pd.qcut(source["age"], 4, duplicates="drop")
            self.assertEqual(len(bins.cat.categories), 4)
            self.assertEqual(fair["groups"], 4)
            # Recompute the fairness figures of the test rows with qcut's groups.
            pred = pd.read_csv(pred_path)
            group = bins.cat.codes.to_numpy()[pred["row"].to_numpy()]
            truth = true_labels(CREDIT, "class", pred) == "bad"  # the minority class
            chosen = pred["predicted"].to_numpy() == "bad"
            sel, tpr, fpr = [], [], []
            for g in np.unique(group):
                m = group == g
                sel.append(chosen[m].mean())
                tpr.append(chosen[m & truth].mean() if (m & truth).any() else 0.0)
                fpr.append(chosen[m & ~truth].mean() if (m & ~truth).any() else 0.0)
            self.assertAlmostEqual(fair["demographic_parity_ratio"], min(sel) / max(sel),
                                   delta=1e-12)
            self.assertAlmostEqual(fair["equalized_odds_difference"],
                                   max(max(tpr) - min(tpr), max(fpr) - min(fpr)), delta=1e-12)

    def test_profile_bins_equal_qcut(self):
        proc = run("data", "profile", CREDIT, "--target", "class", "--protected", "age", "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        groups = json.loads(proc.stdout)["protected"][0]
        source = pd.read_csv(CREDIT)
        bins = pd.qcut(source["age"], 4, duplicates="drop")
        counts = bins.value_counts(sort=False)
        self.assertTrue(groups["binned"])
        self.assertEqual([g["rows"] for g in groups["groups"]], counts.tolist())
        edges = [bins.cat.categories[0].left] + [c.right for c in bins.cat.categories]
        edges[0] = source["age"].min()  # pandas widens the first edge by 0.1%
        self.assertEqual(groups["edges"], edges)
        rate = (source["class"] == "bad").groupby(bins).mean().tolist()
        for g, r in zip(groups["groups"], rate):
            self.assertAlmostEqual(g["rate"], r, delta=1e-12)


class ErrorTest(unittest.TestCase):
    def expect_error(self, args, *needles):
        proc = run("train", "--data", CREDIT, *args)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        for n in needles:
            self.assertIn(n, proc.stderr)

    def test_unknown_target_lists_columns(self):
        self.expect_error(["--target", "nope"], "nope", "checking_status")

    def test_one_class_target(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "one.csv")
            pd.DataFrame({"x": range(20), "y": ["a"] * 20}).to_csv(path, index=False)
            proc = train("--data", path, "--target", "y")
            self.assertEqual(proc.returncode, 2)
            self.assertIn("one class", proc.stderr)

    def test_infinite_feature_is_refused_naming_its_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "inf.csv")
            x = [str(i) for i in range(40)]
            x[17] = "inf"  # data row 17, file line 19
            pd.DataFrame({"x": x, "y": ["a", "b"] * 20}).to_csv(path, index=False)
            proc = train("--data", path, "--target", "y")
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn(f"{path}:19: column 'x' is inf", proc.stderr)

    def test_unknown_family_lists_valid(self):
        self.expect_error(["--target", "class", "--models", "logreg,svm"], "svm", "gbdt")

    def test_bad_search_spec(self):
        self.expect_error(["--target", "class", "--search", "bayes:3"], "bayes:3", "random:N")

    def test_unknown_metric_lists_valid(self):
        self.expect_error(["--target", "class", "--metric", "auc"], "auc", "roc_auc")

    def test_metric_that_does_not_fit_task(self):
        self.expect_error(["--target", "class", "--metric", "rmse"], "rmse", "does not fit")


    def test_unknown_protected_column(self):
        self.expect_error(["--target", "class", "--protected", "gender"], "gender", "personal_status")

    def test_positive_not_a_class(self):
        self.expect_error(["--target", "class", "--positive", "yes"], "yes", "good")


class OtherTasksTest(unittest.TestCase):
    def test_halving_and_positive(self):
        proc = train("--data", CREDIT, "--target", "class", "--positive", "good", "--models",
                     "logreg", "--json", search="halving:9")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        summary = json.loads(proc.stdout)
        self.assertEqual(summary["target"]["classes"], ["bad", "good"])
        self.assertEqual(summary["best"]["trials"], 9 + 3 + 1)

    def test_iris_multiclass(self):
        with tempfile.TemporaryDirectory() as tmp:
            pred_path = os.path.join(tmp, "pred.csv")
            proc = train("--data", os.path.join(DATA, "iris.csv"), "--target", "class",
                         "--models", "logreg,gbdt", "--predictions", pred_path, "--json",
                         search="grid")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            summary = json.loads(proc.stdout)
            self.assertEqual(summary["target"]["task"], "multiclass")
            pred = pd.read_csv(pred_path)
            truth = true_labels(os.path.join(DATA, "iris.csv"), "class", pred)
            acc = accuracy_score(truth, pred["predicted"])
            self.assertAlmostEqual(acc, summary["best"]["test"]["accuracy"]["value"], delta=1e-12)
            self.assertGreater(acc, 0.8)

    def test_cpu_regression(self):
        with tempfile.TemporaryDirectory() as tmp:
            pred_path = os.path.join(tmp, "pred.csv")
            proc = train("--data", os.path.join(DATA, "cpu.csv"), "--target", "class",
                         "--models", "ridge,gbdt", "--metric", "rmse,r2",
                         "--predictions", pred_path, "--json")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            summary = json.loads(proc.stdout)
            self.assertEqual(summary["target"]["task"], "regression")
            pred = pd.read_csv(pred_path)
            truth = true_labels(os.path.join(DATA, "cpu.csv"), "class", pred)
            rmse = math.sqrt(mean_squared_error(truth, pred["prediction"]))
            best = summary["best"]["test"]
            self.assertAlmostEqual(rmse, best["rmse"]["value"], delta=1e-9 * max(1, rmse))
            self.assertAlmostEqual(r2_score(truth, pred["prediction"]),
                                   best["r2"]["value"], delta=1e-9)


if __name__ == "__main__":
    unittest.main()
