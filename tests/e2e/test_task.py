"""End-to-end tests of the learning task: one inference rule shared by
`data profile`, `train` and `init`, and `--task` / `target.task` stating it.

Independent reference: scikit-learn's type_of_target where it is meaningful
(non-integer floats are "continuous", i.e. regression; a binary column is
"binary"); yaml reads the spec `init` writes.

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
from sklearn.utils.multiclass import type_of_target

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")


def mlpipe(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


def make_data(path, y):
    rng = np.random.default_rng(7)
    n = len(y)
    pd.DataFrame({"x1": rng.normal(size=n).round(4), "x2": rng.integers(0, 5, n), "y": y}
                 ).to_csv(path, index=False)


class TaskTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def tasks(self, path, *extra):
        """The task that profile, train and init each take for column y."""
        p = mlpipe("data", "profile", path, "--target", "y", "--json", *extra)
        self.assertEqual(p.returncode, 0, p.stderr)
        profile = json.loads(p.stdout)["target"]["learning_task"]
        t = mlpipe("train", "--data", path, "--target", "y", "--no-track", "--json", "--models",
                   "gbdt", "--search", "random:1", "--cv", "2", "--bootstrap", "10", *extra)
        self.assertEqual(t.returncode, 0, t.stderr)
        train = json.loads(t.stdout)["target"]["task"]
        project = os.path.join(self.tmp.name, "p" + str(len(os.listdir(self.tmp.name))))
        i = mlpipe("init", project, "--data", path, "--target", "y", *extra)
        self.assertEqual(i.returncode, 0, i.stderr)
        with open(os.path.join(project, "mlpipe.yaml")) as f:
            init = yaml.safe_load(f)["target"]["task"]
        return profile, train, init

    def test_count_target_is_regression(self):
        rng = np.random.default_rng(1)
        y = np.concatenate([np.repeat(np.arange(18), 6), rng.poisson(4, 192).clip(0, 17)])
        self.assertEqual((y.min(), y.max(), len(np.unique(y))), (0, 17, 18))
        path = os.path.join(self.tmp.name, "count.csv")
        make_data(path, y)
        self.assertEqual(self.tasks(path), ("regression",) * 3)
        # Stated, the task wins: the same counts as classes.
        self.assertEqual(self.tasks(path, "--task", "multiclass"), ("multiclass",) * 3)

    def test_rare_class_is_named_by_its_label(self):
        # Stated multiclass on counts 100..117 where 117 occurs twice (one row
        # in the training part): the error names the class by its label, not
        # by its internal code (17).
        path = os.path.join(self.tmp.name, "rare.csv")
        make_data(path, np.concatenate([np.repeat(np.arange(100, 117), 20), [117, 117]]))
        r = mlpipe("train", "--data", path, "--target", "y", "--task", "multiclass",
                   "--no-track", "--cv", "3", "--test-size", "0.5")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"cv: class '117' has 1 row; stratified 3-fold needs")

    def test_float_coded_targets_agree(self):
        rng = np.random.default_rng(2)
        path = os.path.join(self.tmp.name, "f.csv")
        y = rng.choice([0.0, 1.0, 2.0], 300)
        make_data(path, [f"{v:.1f}" for v in y])
        self.assertEqual(type_of_target(y), "multiclass")
        self.assertEqual(self.tasks(path), ("multiclass",) * 3)
        halves = rng.choice([0.0, 0.5, 1.0], 300)
        make_data(path, [f"{v:.1f}" for v in halves])
        self.assertEqual(type_of_target(halves), "continuous")
        self.assertEqual(self.tasks(path), ("regression",) * 3)
        binary = rng.choice([0.0, 1.0], 300)
        make_data(path, [f"{v:.1f}" for v in binary])
        self.assertEqual(type_of_target(binary), "binary")
        self.assertEqual(self.tasks(path), ("binary",) * 3)
        self.assertEqual(self.tasks(path, "--task", "regression"), ("regression",) * 3)

    def test_infeasible_task_is_refused(self):
        path = os.path.join(self.tmp.name, "three.csv")
        make_data(path, np.random.default_rng(3).choice(["a", "b", "c"], 300))
        for cmd in (["train", "--data", path, "--no-track"], ["data", "profile", path],
                    ["init", os.path.join(self.tmp.name, "q"), "--data", path]):
            with self.subTest(cmd=cmd[0]):
                r = mlpipe(*cmd, "--target", "y", "--task", "binary")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertRegex(r.stderr, r"^error: task binary: target 'y' has more than 2 "
                                 r"distinct values \([abc], [abc], [abc]\); binary needs exactly 2")
                r = mlpipe(*cmd, "--target", "y", "--task", "regression")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("target 'y' is not numeric", r.stderr)
        r = mlpipe("train", "--data", path, "--target", "y", "--task", "regresion", "--no-track")
        self.assertEqual(r.returncode, 2)
        self.assertIn("(did you mean 'regression'?)", r.stderr)


if __name__ == "__main__":
    unittest.main()
