#!/usr/bin/python3
"""Reference fixtures for the models module: numeric matrices prepared from
examples/data/*.csv, with the predictions of python3-xgboost and the
coefficients / probabilities of scikit-learn written beside them.

Usage (tests/support/fixture_main.py):
  /usr/bin/python3 make_fixtures.py OUT_DIR        write the files into OUT_DIR
  /usr/bin/python3 make_fixtures.py --check DIR    regenerate into a temporary folder;
                                                   exit 1 if a file differs from DIR's

Run with Debian's Python (xgboost 1.7.4, scikit-learn 1.2.1, pandas 1.5, numpy 1.24).

Each data set becomes <name>.csv: a header of feature names then `label`, one row
per example, an empty field for a missing value. Categorical columns are one-hot
encoded (pandas.get_dummies, drop_first); every numeric column is divided by a
power of ten so that its largest magnitude is below 10 and rounded to 4 decimals,
which keeps the files small and makes every value exactly one float32 on both
sides. The label is the class index (classes sorted by name) or the target value.
The models are trained on the matrix as read back from that CSV, so the C++ tests
and the references see identical float32 inputs.

<name>_expected.json holds the cases: family, hyperparameters (mlpipe names),
seed, training rows, and the reference outputs. The mapping from mlpipe's
hyperparameters to XGBoost's parameters is written out here independently of
the C++ code (see xgb_params), so a mapping mistake on either side shows up.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "support"))
import fixture_main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "examples", "data"))

# name: (file, target, task, max rows kept (first N, None = all))
DATASETS = {
    "credit_g": ("credit-g.csv", "class", "binary", None),
    "credit_data": ("credit_data.csv", "Status", "binary", None),
    "iris": ("iris.csv", "class", "multiclass", None),
    "cpu": ("cpu.csv", "class", "regression", None),
    "diamonds": ("diamonds.csv", "price", "regression", 1500),
}
SEED = 7


def f32(values):
    """float32 values as the shortest decimal strings that round-trip, as floats."""
    return [float(str(np.float32(v))) for v in np.asarray(values, dtype=np.float32).ravel()]


def f64(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def prepare(name):
    file, target, task, max_rows = DATASETS[name]
    df = pd.read_csv(os.path.join(DATA, file))
    if max_rows is not None:
        df = df.iloc[:max_rows].reset_index(drop=True)
    y_raw = df.pop(target)
    if task == "regression":
        y = y_raw.astype(np.float64).to_numpy()
    else:
        classes = sorted(y_raw.unique())
        y = y_raw.map({c: i for i, c in enumerate(classes)}).astype(np.float64).to_numpy()
    cat_cols = [c for c in df.columns if df[c].dtype == object]
    num_cols = [c for c in df.columns if c not in cat_cols]
    for c in num_cols:
        m = np.nanmax(np.abs(df[c].to_numpy(dtype=np.float64)))
        scale = 10.0 ** max(0, int(np.floor(np.log10(m))) + 1) if m > 0 else 1.0
        df[c] = (df[c] / scale).round(4)
    # Missing categories stay missing: every dummy of that column is NaN.
    dummies = []
    for c in cat_cols:
        d = pd.get_dummies(df[c], prefix=c, drop_first=True, dtype=np.float64)
        d[df[c].isna()] = np.nan
        dummies.append(d)
    x = pd.concat([df[num_cols]] + dummies, axis=1)
    x.columns = [str(c).replace(",", "_").replace(" ", "_") for c in x.columns]
    x["label"] = y
    return x


def write_matrix(x, path):
    x.to_csv(path, index=False, na_rep="", float_format="%.10g", lineterminator="\n")


def read_matrix(path):
    df = pd.read_csv(path)
    y = df.pop("label").to_numpy(dtype=np.float64)
    x = df.to_numpy(dtype=np.float32)
    return x, y, list(df.columns)


def xgb_params(family, hp, task, num_classes, nthread):
    """mlpipe hyperparameters -> XGBoost parameters and number of rounds."""
    objective = {"binary": "binary:logistic", "multiclass": "multi:softprob",
                 "regression": "reg:squarederror"}[task]
    p = {"objective": objective, "tree_method": "hist", "seed": SEED, "nthread": nthread}
    if task == "multiclass":
        p["num_class"] = num_classes
    if family == "gbdt":
        p.update(max_depth=hp["max_depth"], eta=hp["learning_rate"], subsample=hp["subsample"],
                 colsample_bytree=hp["colsample_bytree"],
                 min_child_weight=hp["min_child_weight"], reg_lambda=hp["reg_lambda"])
        rounds = hp["n_estimators"]
    elif family == "rf":
        p.update(num_parallel_tree=hp["n_estimators"], max_depth=hp["max_depth"], eta=1.0,
                 subsample=hp["subsample"], colsample_bynode=hp["colsample_bynode"],
                 min_child_weight=hp["min_child_weight"], reg_lambda=hp["reg_lambda"])
        rounds = 1
    elif family == "tree":
        p.update(max_depth=hp["max_depth"], eta=1.0, min_child_weight=hp["min_child_weight"],
                 reg_lambda=hp["reg_lambda"])
        rounds = 1
    else:
        raise ValueError(family)
    return p, rounds


GBDT = {"n_estimators": 100, "max_depth": 6, "learning_rate": 0.1, "subsample": 1.0,
        "colsample_bytree": 1.0, "min_child_weight": 1.0, "reg_lambda": 1.0}
RF = {"n_estimators": 50, "max_depth": 6, "subsample": 0.8, "colsample_bynode": 0.8,
      "min_child_weight": 1.0, "reg_lambda": 1e-5}
TREE = {"max_depth": 4, "min_child_weight": 1.0, "reg_lambda": 1.0}


def weights_for(scheme, n):
    if scheme == "none":
        return None
    if scheme == "cycle3":  # 1, 2, 3, 1, 2, 3, ...
        return (np.arange(n) % 3 + 1).astype(np.float64)
    raise ValueError(scheme)


def xgb_case(x, y, task, k, family, hp, extra=None):
    extra = extra or {}
    n = x.shape[0]
    train_end = extra.get("train_end", n)
    weights = weights_for(extra.get("weights", "none"), n)
    p, rounds = xgb_params(family, hp, task, k, 1)
    dtrain = xgb.DMatrix(x[:train_end], label=y[:train_end], missing=np.nan,
                         weight=None if weights is None else weights[:train_end])
    case = {"family": family, "params": hp, "seed": SEED, "train_end": train_end,
            "weights": extra.get("weights", "none")}
    kwargs = {}
    if "early_stopping_rounds" in extra:
        dvalid = xgb.DMatrix(x[train_end:], label=y[train_end:], missing=np.nan)
        kwargs = {"evals": [(dvalid, "valid")],
                  "early_stopping_rounds": extra["early_stopping_rounds"], "verbose_eval": False}
        case["params"] = dict(hp, early_stopping_rounds=extra["early_stopping_rounds"])
    bst = xgb.train(p, dtrain, num_boost_round=rounds, **kwargs)
    end = bst.best_iteration + 1 if kwargs else 0
    if kwargs:
        case["best_iteration"] = bst.best_iteration
    dall = xgb.DMatrix(x, missing=np.nan)
    if family == "gbdt":  # margins once per data set keep the files small
        case["margin"] = f32(bst.predict(dall, output_margin=True, iteration_range=(0, end)))
    case["prediction"] = f32(bst.predict(dall, iteration_range=(0, end)))
    return case


def logreg_case(x, y, hp):
    m = LogisticRegression(solver="liblinear", penalty=hp["penalty"], C=hp["C"], tol=hp["tol"],
                           class_weight=None if hp["class_weight"] == "none" else "balanced",
                           random_state=0, max_iter=1000)
    m.fit(x.astype(np.float64), y.astype(int))
    return {"family": "logreg", "params": hp, "seed": SEED, "train_end": x.shape[0],
            "weights": "none", "coef": f64(m.coef_), "intercept": f64(m.intercept_),
            "prediction": f64(m.predict_proba(x.astype(np.float64)))}


def linear_case(x, y, family, hp, weights="none"):
    w = weights_for(weights, x.shape[0])
    m = LinearRegression() if family == "linear" else Ridge(alpha=hp["alpha"])
    m.fit(x.astype(np.float64), y, sample_weight=w)
    return {"family": family, "params": hp, "seed": SEED, "train_end": x.shape[0],
            "weights": weights, "coef": f64(m.coef_), "intercept": f64([m.intercept_]),
            "prediction": f64(m.predict(x.astype(np.float64)))}


def cases_for(name, x, y):
    task = DATASETS[name][2]
    k = int(y.max()) + 1 if task != "regression" else 0
    cases = []
    cases.append(xgb_case(x, y, task, k, "gbdt", GBDT))
    cases.append(xgb_case(x, y, task, k, "rf", RF))
    cases.append(xgb_case(x, y, task, k, "tree", TREE))
    if name == "credit_g":
        deep = dict(GBDT, subsample=0.8, colsample_bytree=0.7, learning_rate=0.3)
        cases.append(xgb_case(x, y, task, k, "gbdt", deep,
                              {"train_end": 700, "early_stopping_rounds": 5}))
        cases.append(xgb_case(x, y, task, k, "gbdt", dict(GBDT, n_estimators=30),
                              {"weights": "cycle3"}))
        base = {"penalty": "l2", "C": 1.0, "class_weight": "none", "tol": 1e-8}
        cases.append(logreg_case(x, y, base))
        cases.append(logreg_case(x, y, dict(base, class_weight="balanced", C=0.3)))
        cases.append(logreg_case(x, y, dict(base, penalty="l1", C=0.5)))
    if name == "iris":
        cases.append(logreg_case(x, y, {"penalty": "l2", "C": 1.0, "class_weight": "none",
                                        "tol": 1e-8}))
    if task == "regression":
        cases.append(linear_case(x, y, "linear", {}))
        cases.append(linear_case(x, y, "linear", {}, weights="cycle3"))
        cases.append(linear_case(x, y, "ridge", {"alpha": 1.0}))
        cases.append(linear_case(x, y, "ridge", {"alpha": 10.0}, weights="cycle3"))
    return {"dataset": name, "task": task, "num_classes": k, "rows": int(x.shape[0]),
            "cols": int(x.shape[1]), "cases": cases}


def write_all(out_dir):
    files = []
    for name in DATASETS:
        csv_path = os.path.join(out_dir, name + ".csv")
        write_matrix(prepare(name), csv_path)
        x, y, _ = read_matrix(csv_path)
        data = {"source": "python3-xgboost %s, scikit-learn (liblinear, LinearRegression, Ridge)"
                % xgb.__version__}
        data.update(cases_for(name, x, y))
        with open(os.path.join(out_dir, name + "_expected.json"), "w") as f:
            f.write(json.dumps(data, allow_nan=False, separators=(",", ":")) + "\n")
        files += [name + ".csv", name + "_expected.json"]
    return files


if __name__ == "__main__":
    sys.exit(fixture_main.main(sys.argv, write_all, __doc__))
