#!/usr/bin/python3
"""Golden case files for the features module: each case names a real data file
(examples/data), the training and test row ranges, a transform spec, and the
expected output columns on the test rows as scikit-learn 1.2 / numpy / pandas
compute them. The C++ test reads the same CSV, fits the spec on the training
rows and compares its transform of the test rows.

Usage (tests/support/fixture_main.py):
  /usr/bin/python3 make_fixtures.py OUT_DIR        write the files into OUT_DIR
  /usr/bin/python3 make_fixtures.py --check DIR    regenerate into a temporary folder;
                                                   exit 1 if a file differs from DIR's

Run with Debian's Python (scikit-learn 1.2, numpy 1.24, pandas 1.5).
JSON has no NaN: a missing output is null.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.feature_selection import VarianceThreshold
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import (KBinsDiscretizer, MinMaxScaler, OneHotEncoder,
                                   OrdinalEncoder, RobustScaler, StandardScaler)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "support"))
import fixture_main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "examples", "data"))
MISSING = ["", "NA", "N/A", "?", "null", "nan", "NaN", "-nan", "-NaN"]  # the C++ CSV reader's missing tokens


def load(name):
    return pd.read_csv(os.path.join(DATA, name), na_values=MISSING, keep_default_na=False)


def col(values):
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        else:
            out.append(float(v))
    return out


def case(name, data, train, test, spec, expected, source, **extra):
    c = {"name": name, "data": data, "train_rows": list(train), "test_rows": list(test),
         "spec": spec, "source": source,
         "expected": {k: col(v) for k, v in expected.items()}}
    c.update(extra)
    return c


def numeric_cases():
    d = load("credit_data.csv")
    tr, te = (0, 4000), (4000, 4100)
    train, test = d.iloc[tr[0]:tr[1]], d.iloc[te[0]:te[1]]
    assert test["Income"].isna().any()
    cases = []
    miss = ["Income", "Assets", "Debt"]
    for strategy in ["mean", "median", "most_frequent"]:
        imp = SimpleImputer(strategy=strategy, add_indicator=True).fit(train[miss])
        out = imp.transform(test[miss])
        names = miss + [miss[i] + "_missing" for i in imp.indicator_.features_]
        cases.append(case(f"impute_{strategy}", "credit_data.csv", tr, te,
                          {"name": "impute", "columns": miss, "strategy": strategy,
                           "add_indicator": True},
                          dict(zip(names, out.T)), f"SimpleImputer(strategy={strategy!r}, "
                          "add_indicator=True)"))
    imp = SimpleImputer(strategy="constant", fill_value=-1).fit(train[miss])
    cases.append(case("impute_constant", "credit_data.csv", tr, te,
                      {"name": "impute", "columns": miss, "strategy": "constant",
                       "fill_value": -1},
                      dict(zip(miss, imp.transform(test[miss]).T)),
                      "SimpleImputer(strategy='constant', fill_value=-1)"))
    scalers = {"standard": StandardScaler(), "minmax": MinMaxScaler(feature_range=(-1, 2)),
               "robust": RobustScaler(quantile_range=(10, 90))}
    cols = ["Seniority", "Age", "Income", "Amount"]
    for method, sc in scalers.items():
        sc.fit(train[cols])
        spec = {"name": "scale", "columns": cols, "method": method}
        if method == "minmax":
            spec["feature_range"] = [-1, 2]
        if method == "robust":
            spec["quantile_range"] = [10, 90]
        cases.append(case(f"scale_{method}", "credit_data.csv", tr, te, spec,
                          dict(zip(cols, sc.transform(test[cols]).T)), type(sc).__name__))
    cols = ["Seniority", "Age", "Amount", "Price"]
    for strategy in ["quantile", "uniform"]:
        kb = KBinsDiscretizer(n_bins=6, encode="ordinal", strategy=strategy).fit(train[cols])
        cases.append(case(f"bin_{strategy}", "credit_data.csv", tr, te,
                          {"name": "bin", "columns": cols, "method": strategy, "n_bins": 6},
                          dict(zip(cols, kb.transform(test[cols]).T)),
                          f"KBinsDiscretizer(n_bins=6, encode='ordinal', strategy={strategy!r})"))
    cols = ["Expenses", "Income"]
    cases.append(case("log1p", "credit_data.csv", tr, te, {"name": "log1p", "columns": cols},
                      {c: np.log1p(test[c].to_numpy(float)) for c in cols}, "numpy.log1p"))
    cols = ["Income", "Amount", "Price"]
    q = {c: np.nanquantile(train[c].to_numpy(float), [0.05, 0.95]) for c in cols}
    cases.append(case("clip_quantile", "credit_data.csv", tr, te,
                      {"name": "clip", "columns": cols, "method": "quantile", "lower": 0.05,
                       "upper": 0.95},
                      {c: np.clip(test[c].to_numpy(float), *q[c]) for c in cols},
                      "numpy.clip at numpy.nanquantile([0.05, 0.95])"))
    exp = {}
    for c in cols:
        q1, q3 = np.nanquantile(train[c].to_numpy(float), [0.25, 0.75])
        exp[c] = np.clip(test[c].to_numpy(float), q1 - 2.0 * (q3 - q1), q3 + 2.0 * (q3 - q1))
    cases.append(case("clip_iqr", "credit_data.csv", tr, te,
                      {"name": "clip", "columns": cols, "method": "iqr", "k": 2.0}, exp,
                      "numpy.clip at Q1 - k IQR, Q3 + k IQR"))
    ratio = test["Amount"].to_numpy(float) / test["Time"].to_numpy(float)
    cases.append(case("expression", "credit_data.csv", tr, te,
                      {"name": "expression", "output": "amount_per_month",
                       "expression": "Amount / Time + 0 * Income"},
                      {"amount_per_month": np.where(test["Income"].isna(), np.nan, ratio)},
                      "pandas arithmetic; missing Income gives missing"))
    cols = ["Seniority", "Time", "Age", "Expenses", "Amount", "Price"]
    pca = PCA(n_components=3, svd_solver="full").fit(train[cols])
    cases.append(case("pca", "credit_data.csv", tr, te,
                      {"name": "pca", "columns": cols, "n_components": 3},
                      dict(zip(["pc1", "pc2", "pc3"], pca.transform(test[cols]).T)),
                      "PCA(n_components=3, svd_solver=full), compared up to the sign of each component",
                      sign_free=True,
                      explained_variance=[float(v) for v in pca.explained_variance_]))
    cols = ["Seniority", "Time", "Age", "Expenses"]
    vt = VarianceThreshold(threshold=120.0).fit(train[cols])
    kept = [c for c, k in zip(cols, vt.get_support()) if k]
    dropped = [c for c, k in zip(cols, vt.get_support()) if not k]
    assert kept and dropped
    cases.append(case("variance_threshold", "credit_data.csv", tr, te,
                      {"name": "variance_threshold", "columns": cols, "threshold": 120.0},
                      {c: test[c].to_numpy(float) for c in kept},
                      "VarianceThreshold(threshold=120)", absent=dropped))
    return cases


def encoder_cases():
    g = load("credit-g.csv")
    cases = []

    def split(a, b, c):
        return (a, b), (b, c), g.iloc[a:b], g.iloc[b:c]

    def onehot_expected(enc, cols, test, other_name="(other)"):
        out = enc.transform(test[cols])
        out = out.toarray() if hasattr(out, "toarray") else out
        names = []
        for name in enc.get_feature_names_out(cols):
            for c in cols:
                if name.startswith(c + "_"):
                    val = name[len(c) + 1:]
                    names.append(f"{c}={other_name}" if val == "infrequent_sklearn"
                                 else f"{c}={val}")
                    break
        return dict(zip(names, out.T))

    cols = ["purpose", "housing", "checking_status"]
    tr, te, train, test = split(0, 700, 800)
    enc = OneHotEncoder(handle_unknown="error").fit(train[cols])
    cases.append(case("one_hot", "credit-g.csv", tr, te, {"name": "one_hot", "columns": cols},
                      onehot_expected(enc, cols, test), "OneHotEncoder()"))
    tr, te, train, test = split(0, 100, 300)
    unseen = set(test["purpose"]) - set(train["purpose"])
    assert unseen, "the test rows must hold a category unseen in training"
    enc = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5,
                        max_categories=5).fit(train[cols])
    assert enc.infrequent_categories_[0] is not None
    cases.append(case("one_hot_pooled_other", "credit-g.csv", tr, te,
                      {"name": "one_hot", "columns": cols, "min_frequency": 5,
                       "max_categories": 5, "handle_unknown": "other"},
                      onehot_expected(enc, cols, test),
                      "OneHotEncoder(handle_unknown='infrequent_if_exist', min_frequency=5, "
                      "max_categories=5)"))
    enc = OneHotEncoder(handle_unknown="ignore", min_frequency=0.1).fit(train[cols])
    cases.append(case("one_hot_ignore_fraction", "credit-g.csv", tr, te,
                      {"name": "one_hot", "columns": cols, "min_frequency": 0.1,
                       "handle_unknown": "ignore"},
                      onehot_expected(enc, cols, test),
                      "OneHotEncoder(handle_unknown='ignore', min_frequency=0.1)"))
    tr, te, train, test = split(0, 700, 800)
    dcols = ["housing", "checking_status"]
    enc = OneHotEncoder(drop="first").fit(train[dcols])
    cases.append(case("dummy", "credit-g.csv", tr, te, {"name": "dummy", "columns": dcols},
                      onehot_expected(enc, dcols, test), "OneHotEncoder(drop='first')"))
    tr, te, train, test = split(0, 100, 300)
    ocols = ["purpose", "employment"]
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(train[ocols])
    cases.append(case("ordinal", "credit-g.csv", tr, te,
                      {"name": "ordinal", "columns": ocols, "handle_unknown": "value",
                       "unknown_value": -1},
                      dict(zip(ocols, enc.transform(test[ocols]).T)),
                      "OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1)"))
    # hash: FeatureHasher's scheme on "<col>=<value>" tokens with FNV-1a (documented in
    # hash_encode.cc), recomputed here independently.
    hcols, nb = ["purpose", "housing"], 8

    def fnv1a(s):
        h = 14695981039346656037
        for b in s.encode("utf-8"):
            h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
        return h

    buckets = np.zeros((len(test), nb))
    for r, (_, row) in enumerate(test[hcols].iterrows()):
        for c in hcols:
            h = fnv1a(f"{c}={row[c]}")
            buckets[r, h % nb] += -1.0 if h >> 63 else 1.0
    cases.append(case("hash", "credit-g.csv", tr, te,
                      {"name": "hash", "columns": hcols, "n_buckets": nb,
                       "alternate_sign": True, "prefix": "h"},
                      {f"h{b}": buckets[:, b] for b in range(nb)},
                      "FeatureHasher scheme with FNV-1a, recomputed in Python"))
    # target_encode: the encoding applied to new rows, fitted on all training rows:
    # (sum_c + m prior) / (n_c + m) by a pandas groupby; unseen -> prior.
    tr, te, train, test = split(0, 300, 400)
    tcols, m = ["purpose", "employment"], 5.0
    y = (train["class"] == "good").astype(float)
    prior = y.mean()
    exp = {}
    for c in tcols:
        stats = y.groupby(train[c]).agg(["sum", "count"])
        enc = (stats["sum"] + m * prior) / (stats["count"] + m)
        exp[c] = test[c].map(enc).fillna(prior).to_numpy(float)
    cases.append(case("target_encode_binary", "credit-g.csv", tr, te,
                      {"name": "target_encode", "columns": tcols, "smoothing": m},
                      exp, "pandas groupby smoothed mean, target class == 'good'",
                      target="class"))
    d = load("credit_data.csv")
    tr, te = (0, 3000), (3000, 3100)
    train, test = d.iloc[0:3000], d.iloc[3000:3100]
    tcols, m = ["Job", "Marital"], 20.0
    y = train["Amount"].astype(float)
    prior = y.mean()
    exp = {}
    for c in tcols:
        stats = y.groupby(train[c]).agg(["sum", "count"])
        enc = (stats["sum"] + m * prior) / (stats["count"] + m)
        exp[c] = test[c].map(enc).fillna(prior).to_numpy(float)
    cases.append(case("target_encode_regression", "credit_data.csv", tr, te,
                      {"name": "target_encode", "columns": tcols, "smoothing": m},
                      exp, "pandas groupby smoothed mean of Amount", target="Amount"))
    return cases


def write_all(out_dir):
    cases = numeric_cases() + encoder_cases()
    doc = {"source": "scikit-learn 1.2 / numpy / pandas on examples/data", "cases": cases}
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    return ["reference.json"]


if __name__ == "__main__":
    sys.exit(fixture_main.main(sys.argv, write_all, __doc__))
