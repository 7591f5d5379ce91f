#!/usr/bin/python3
"""The Python package against `mlpipe predict` on every row of the test data
files (binary: credit-g, multiclass: iris, regression: cpu), read with pandas;
explanations against the predictions through the link; bad input raised as
MlpipeError naming the column; concurrent scoring from threads.

Run by ctest with MLPIPE_BIN, MLPIPE_LIBRARY and MLPIPE_CAPI_TESTDATA set (the
bundles come from capi/make_test_bundles.py)."""
import csv
import os
import subprocess
import sys
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mlpipe  # noqa: E402

BIN = os.environ["MLPIPE_BIN"]
DATA = os.environ["MLPIPE_CAPI_TESTDATA"]


def bundle(name):
    return os.path.join(DATA, f"{name}.mlpb")


def rows_csv(name):
    return os.path.join(DATA, f"{name}.csv")


def read_frame(name):
    # round_trip: the decimal text to the nearest double, as mlpipe's reader does.
    return pd.read_csv(rows_csv(name), float_precision="round_trip")


def mlpipe_predict(name, path=None):
    """`mlpipe predict` on the test file (or `path`): (header, rows as dicts)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "pred.csv")
        p = subprocess.run([BIN, "-q", "predict", "--model", bundle(name), "--input",
                            path or rows_csv(name), "--output", out],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        with open(out, newline="") as f:
            r = csv.DictReader(f)
            return r.fieldnames, list(r)


class AgainstMlpipePredict(unittest.TestCase):
    def check_classifier(self, name, classes):
        model = mlpipe.load(bundle(name))
        header, want = mlpipe_predict(name)
        df = read_frame(name)
        self.assertEqual(len(df), len(want))
        self.assertEqual(list(model.classes_), classes)
        # predict_proba's columns are classes_, as the prob_ columns are.
        self.assertEqual([f"prob_{c}" for c in model.classes_],
                         [h for h in header if h.startswith("prob_")])
        proba = model.predict_proba(df)
        self.assertEqual(proba.shape, (len(df), len(classes)))
        expected = np.array([[float(w[f"prob_{c}"]) for c in classes] for w in want])
        np.testing.assert_array_equal(proba, expected)
        self.assertEqual(list(model.predict(df)), [w["predicted"] for w in want])
        # Rows as a list of dicts take the JSON entry: the same numbers.
        records = df.head(25).to_dict(orient="records")
        np.testing.assert_array_equal(model.predict_proba(records), expected[:25])
        # Numbers given as text are converted by the library as the CSV reader does.
        as_text = df.head(25).apply(lambda col: col.map(lambda v: None if pd.isna(v) else str(v)))
        np.testing.assert_array_equal(model.predict_proba(as_text), expected[:25])
        return model, df, proba

    def test_binary(self):
        model, df, proba = self.check_classifier("binary", ["good", "bad"])
        self.assertEqual(model.task, "binary")
        self.assertEqual([c["name"] for c in model.schema], list(df.columns))
        purpose = next(c for c in model.schema if c["name"] == "purpose")
        self.assertEqual(purpose["type"], "categorical")
        self.assertEqual(set(purpose["categories"]), set(df["purpose"].unique()))
        for i in range(0, len(df), 97):
            e = model.explain(df.iloc[i])
            self.assertEqual(e.contributions.shape, (1, len(model.feature_names)))
            margin = e.bias[0] + e.contributions[0].sum()
            self.assertAlmostEqual(1 / (1 + np.exp(-margin)), proba[i, 1], places=5)

    def test_missing_values(self):
        # Blanks in a numeric and a categorical column: NaN and None through the
        # matrix entry, null through the JSON entry, empty fields for mlpipe predict.
        model = mlpipe.load(bundle("binary"))
        df = read_frame("binary").head(40).copy()
        df["duration"] = df["duration"].astype(float)
        df.loc[::3, "duration"] = np.nan
        df.loc[1::4, "purpose"] = None
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "blanks.csv")
            df.to_csv(path, index=False)
            _, want = mlpipe_predict("binary", path)
        expected = np.array([[float(w["prob_good"]), float(w["prob_bad"])] for w in want])
        np.testing.assert_array_equal(model.predict_proba(df), expected)
        np.testing.assert_array_equal(model.predict_proba(df.to_dict(orient="records")),
                                      expected)

    def test_multiclass(self):
        model, df, proba = self.check_classifier(
            "multiclass", ["Iris-setosa", "Iris-versicolor", "Iris-virginica"])
        e = model.explain(df.iloc[[60]])
        self.assertEqual(e.contributions.shape, (3, len(model.feature_names)))
        margins = e.bias + e.contributions.sum(axis=1)
        softmax = np.exp(margins - margins.max())
        np.testing.assert_allclose(softmax / softmax.sum(), proba[60], atol=1e-5)

    def test_regression(self):
        model = mlpipe.load(bundle("regression"))
        _, want = mlpipe_predict("regression")
        df = read_frame("regression")
        values = model.predict(df)
        self.assertEqual(values.dtype, np.float64)
        np.testing.assert_array_equal(values, [float(w["prediction"]) for w in want])
        with self.assertRaises(mlpipe.MlpipeError):
            model.predict_proba(df)
        e = model.explain(df.iloc[5].to_dict())
        self.assertAlmostEqual(e.bias[0] + e.contributions[0].sum(), values[5],
                               delta=1e-4 * max(1, abs(values[5])))

    def test_threads_score_like_one(self):
        model = mlpipe.load(bundle("multiclass"))
        df = read_frame("multiclass")
        want = model.predict_proba(df)
        with ThreadPoolExecutor(max_workers=8) as pool:
            parts = list(pool.map(lambda i: (i, model.predict_proba(df.iloc[i:i + 1])),
                                  list(range(len(df))) * 4))
        for i, p in parts:
            np.testing.assert_array_equal(p[0], want[i])


class BadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = mlpipe.load(bundle("binary"))
        cls.df = read_frame("binary").head(5)

    def test_missing_column_is_named(self):
        with self.assertRaisesRegex(mlpipe.MlpipeError, "no column 'duration'"):
            self.model.predict(self.df.drop(columns=["duration"]))

    def test_wrong_type_is_named(self):
        df = self.df.copy()
        df["duration"] = df["duration"].astype(object)
        df.loc[3, "duration"] = "six"
        with self.assertRaises(mlpipe.MlpipeError) as e:
            self.model.predict_proba(df)
        self.assertIn("column 'duration' row 3: 'six' is not a valid int64", str(e.exception))
        self.assertEqual(e.exception.code, 1)

    def test_unknown_key_is_named(self):
        row = self.df.iloc[0].to_dict()
        row["agee"] = 30
        with self.assertRaisesRegex(mlpipe.MlpipeError, "'agee' is not an input column"):
            self.model.predict([row])

    def test_damaged_bundle_names_the_part(self):
        with open(bundle("binary"), "rb") as f:
            data = bytearray(f.read())
        data[-10] ^= 0x55
        with self.assertRaises(mlpipe.MlpipeError) as e:
            mlpipe.load_bytes(data)
        self.assertEqual(e.exception.code, 6)  # MLPIPE_ERR_DATA_LOSS
        self.assertIn(".json", str(e.exception))
        with self.assertRaisesRegex(mlpipe.MlpipeError, "nosuch.mlpb"):
            mlpipe.load("/nonexistent/nosuch.mlpb")

    def test_library_path_from_the_environment(self):
        self.assertEqual(os.path.realpath(mlpipe.find_library()),
                         os.path.realpath(os.environ["MLPIPE_LIBRARY"]))
        p = subprocess.run([sys.executable, "-c", "import mlpipe; mlpipe.version()"],
                           env={**os.environ, "MLPIPE_LIBRARY": "/nonexistent/libmlpipe.so",
                                "PYTHONPATH": os.path.dirname(os.path.dirname(mlpipe.__file__))},
                           capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("MLPIPE_LIBRARY=/nonexistent/libmlpipe.so", p.stderr)


if __name__ == "__main__":
    unittest.main()
