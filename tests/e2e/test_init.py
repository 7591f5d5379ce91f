"""End-to-end tests of `mlpipe init DIR --data FILE --target COL [--positive LABEL] [--force]`.

Independent references: Python's yaml module reads the written spec; pandas
reads the data the spec points at.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import json
import os
import subprocess
import tempfile
import unittest

import numpy as np
import pandas as pd
import yaml

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "examples", "data")


class InitTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.project = os.path.join(self.tmp.name, "credit")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args):
        return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)

    def test_init_writes_a_spec_that_yaml_reads(self):
        data = os.path.join(DATA, "credit-g.csv")
        r = self.run_cli("init", self.project, "--data", data, "--target", "class",
                         "--positive", "bad")
        self.assertEqual(r.returncode, 0, r.stderr)
        path = os.path.join(self.project, "mlpipe.yaml")
        self.assertIn(path, r.stdout)
        with open(path) as f:
            text = f.read()
        spec = yaml.safe_load(text)
        self.assertEqual(spec["name"], "credit")
        self.assertEqual(spec["target"], {"column": "class", "positive": "bad", "task": "binary"})
        self.assertEqual(spec["columns"]["protected"], ["personal_status", "age", "foreign_worker"])
        self.assertIn("personal_status  # check: looks like a protected attribute", text)
        self.assertEqual(spec["kpis"]["primary"]["metric"], "roc_auc")
        self.assertEqual(spec["kpis"]["fairness"], ["demographic_parity_ratio >= 0.8"])
        self.assertEqual(spec["models"], ["logreg", "gbdt", "rf"])
        self.assertEqual(spec["search"], {"strategy": "random", "trials": 20, "cv": 5})
        self.assertEqual(spec["register"]["model"], "credit")
        # The data path is relative to the project folder and points at the file.
        source = spec["data"]["sources"][0]["path"]
        self.assertFalse(os.path.isabs(source))
        df = pd.read_csv(os.path.join(self.project, source))
        self.assertEqual(len(df), 1000)
        # Every column named in the spec exists in the data.
        for col in spec["columns"]["protected"] + [spec["target"]["column"]]:
            self.assertIn(col, df.columns)

    def test_refuses_to_overwrite_unless_forced(self):
        data = os.path.join(DATA, "credit_data.csv")
        args = ["init", self.project, "--data", data, "--target", "Status"]
        self.assertEqual(self.run_cli(*args).returncode, 0)
        path = os.path.join(self.project, "mlpipe.yaml")
        with open(path, "a") as f:
            f.write("# edited by hand\n")
        r = self.run_cli(*args)
        self.assertEqual(r.returncode, 2)
        self.assertIn("exists; use --force", r.stderr)
        with open(path) as f:
            self.assertIn("# edited by hand", f.read())
        r = self.run_cli(*args, "--positive", "bad", "--force", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["spec"], path)
        self.assertEqual({g["column"] for g in out["guesses"] if g["role"] == "protected"},
                         {"Age", "Marital"})
        with open(path) as f:
            text = f.read()
        self.assertNotIn("# edited by hand", text)
        self.assertEqual(yaml.safe_load(text)["target"]["positive"], "bad")

    def test_group_indicators_are_protected_and_name_their_attribute(self):
        # A churn table as such tables come: one-group columns in several encodings.
        rng = np.random.default_rng(11)
        n = 700
        female = rng.integers(0, 2, n)
        df = pd.DataFrame({
            "customer_id": [f"C{100000 + i}" for i in range(n)],
            "female": female,
            "SeniorCitizen": (rng.random(n) < 0.16).astype(int),
            "is_male": np.where(female == 1, "No", "Yes"),
            "race_white": rng.choice(["yes", "no"], n),
            "foreigner": rng.choice(["Y", "N"], n, p=[0.1, 0.9]),
            "female_count": rng.integers(0, 41, n),  # counts people: no group indicator
            "tenure": rng.integers(0, 73, n),
            "monthly_charges": rng.uniform(18, 119, n).round(2),
            "churn": rng.choice(["Yes", "No"], n, p=[0.27, 0.73]),
        })
        data = os.path.join(self.tmp.name, "churn.csv")
        df.to_csv(data, index=False)
        r = self.run_cli("--json", "init", self.project, "--data", data, "--target", "churn")
        self.assertEqual(r.returncode, 0, r.stderr)
        guesses = {g["column"]: g for g in json.loads(r.stdout)["guesses"]}
        attributes = {"female": "sex", "SeniorCitizen": "age", "is_male": "sex",
                      "race_white": "race", "foreigner": "nationality"}
        protected = {c for c, g in guesses.items() if g["role"] == "protected"}
        self.assertEqual(protected, set(attributes))
        for column, attribute in attributes.items():
            self.assertIn(f"protected attribute: {attribute} (", guesses[column]["reason"])
        self.assertNotIn("female_count", guesses)
        self.assertEqual(guesses["customer_id"]["role"], "id")

        with open(os.path.join(self.project, "mlpipe.yaml")) as f:
            text = f.read()
        spec = yaml.safe_load(text)
        self.assertEqual(spec["columns"]["protected"], list(attributes))
        self.assertIn("- female  # check: indicates one group of a protected attribute: sex "
                      "(female)", text)
        self.assertIn("- SeniorCitizen  # check: indicates one group of a protected attribute: "
                      "age (senior)", text)
        # The human output names the attribute too.
        r = self.run_cli("init", self.project, "--data", data, "--target", "churn", "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"(?m)^  foreigner: protected \(.*nationality \(foreigner\)\)$")

    def test_unknown_target_is_bad_input(self):
        r = self.run_cli("init", self.project, "--data", os.path.join(DATA, "iris.csv"),
                         "--target", "clas")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'clas'", r.stderr)
        self.assertIn("sepallength", r.stderr)  # the columns are listed
        self.assertFalse(os.path.exists(os.path.join(self.project, "mlpipe.yaml")))

    def test_unknown_positive_class_is_bad_input(self):
        r = self.run_cli("init", self.project, "--data", os.path.join(DATA, "credit-g.csv"),
                         "--target", "class", "--positive", "Bad")
        self.assertEqual(r.returncode, 2)
        self.assertIn("Bad", r.stderr)


if __name__ == "__main__":
    unittest.main()
