#!/usr/bin/python3
"""Golden case files for the eval module: real predictions of scikit-learn
models on the example data sets, with scikit-learn's (and pandas/scipy's)
metric values written beside them.

Usage (tests/support/fixture_main.py):
  /usr/bin/python3 make_fixtures.py OUT_DIR        write the files into OUT_DIR
  /usr/bin/python3 make_fixtures.py --check DIR    regenerate into a temporary folder;
                                                   exit 1 if a file differs from DIR's

Run with Debian's Python (scikit-learn 1.2, scipy 1.10, numpy 1.24, pandas 1.5).
McNemar's test is statsmodels' (python3-statsmodels). fairlearn is not a
Debian package: the fairness metrics are computed from fairlearn's documented
definitions with pandas groupby and sklearn.metrics.confusion_matrix(
normalize='true') (the path fairlearn's true_positive_rate /
false_positive_rate take).
JSON has no NaN or infinity: both are written as null.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from statsmodels.stats import contingency_tables

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "support"))
import fixture_main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "examples", "data")
LIFT_FRACTION = 0.1
COST_FP, COST_FN = 1.0, 5.0


def num(x):
    x = float(x)
    return None if (math.isnan(x) or math.isinf(x)) else x


def arr(xs):
    return [num(v) for v in xs]


def ints(xs):
    return [int(v) for v in xs]


def weights_for(n, seed):
    return np.round(np.random.default_rng(seed).uniform(0.5, 2.0, n), 3)


# ---------------------------------------------------------------- binary ---

def lift_at(y, s, fraction):
    order = np.argsort(-s, kind="mergesort")  # stable: ties keep row order
    k = max(1, int(math.floor(fraction * len(y) + 0.5)))
    return float(np.mean(y[order[:k]]) / np.mean(y))


def lift_table(y, s, bins=10):
    order = np.argsort(-s, kind="mergesort")
    n = len(y)
    total_pos = y.sum()
    rate = total_pos / n
    rows, cum_pos, cum_n = [], 0, 0
    for d in range(bins):
        lo, hi = (d * n) // bins, ((d + 1) * n) // bins
        idx = order[lo:hi]
        pos = int(y[idx].sum())
        cum_pos += pos
        cum_n += len(idx)
        rows.append({"count": len(idx), "positives": pos,
                     "min_score": num(s[idx].min()) if len(idx) else None,
                     "max_score": num(s[idx].max()) if len(idx) else None,
                     "lift": num((pos / len(idx)) / rate) if len(idx) else None,
                     "cumulative_gain": num(cum_pos / total_pos),
                     "cumulative_lift": num((cum_pos / cum_n) / rate) if cum_n else None})
    return rows


def confusion_at(y, s, t):
    p = s >= t
    tp = int(np.sum(p & (y == 1)))
    fp = int(np.sum(p & (y == 0)))
    fn = int(np.sum(~p & (y == 1)))
    tn = int(np.sum(~p & (y == 0)))
    return tp, fp, tn, fn


def thresholds(y, s):
    """Best thresholds over the distinct scores (predict positive when
    score >= t); ties go to the highest threshold. The best values are checked
    against sklearn's precision_recall_curve / roc_curve."""
    cands = np.unique(s)[::-1]  # descending: the first maximum is the highest t
    best = {}
    f1s, js, costs = [], [], []
    for t in cands:
        tp, fp, tn, fn = confusion_at(y, s, t)
        f1s.append(2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else 0.0)
        js.append(tp / (tp + fn) - fp / (fp + tn))
        costs.append((COST_FP * fp + COST_FN * fn) / len(y))
    # Predicting nothing positive (threshold +inf) is a candidate for cost.
    none_cost = COST_FN * y.sum() / len(y)
    p, r, _ = metrics.precision_recall_curve(y, s)
    with np.errstate(all="ignore"):
        f1_curve = np.nan_to_num(2 * p * r / (p + r))
    fpr, tpr, _ = metrics.roc_curve(y, s, drop_intermediate=False)
    assert abs(max(f1s) - f1_curve[:-1].max()) < 1e-12
    assert abs(max(js) - (tpr - fpr).max()) < 1e-12
    i = int(np.argmax(f1s))
    best["max_f1"] = {"threshold": num(cands[i]), "value": f1s[i],
                      "confusion": confusion_at(y, s, cands[i])}
    i = int(np.argmax(js))
    best["youden"] = {"threshold": num(cands[i]), "value": js[i],
                      "confusion": confusion_at(y, s, cands[i])}
    i = int(np.argmin(costs))
    assert costs[i] < none_cost
    best["cost"] = {"threshold": num(cands[i]), "value": costs[i], "cost_fp": COST_FP,
                    "cost_fn": COST_FN, "confusion": confusion_at(y, s, cands[i])}
    return best


def calibration(y, s):
    out = {}
    for strategy in ["uniform", "quantile"]:
        pt, pp = calibration_curve(y, s, n_bins=10, strategy=strategy)
        out[strategy] = {"n_bins": 10, "prob_true": arr(pt), "prob_pred": arr(pp)}
    return out


def fairness(y, pred, codes, names):
    """fairlearn's definitions: per-group metrics via MetricFrame semantics
    (groups present in the data), between-group differences (max - min) and
    ratios (min / max)."""
    df = pd.DataFrame({"y": y, "p": pred, "g": codes})
    rows = []
    for g, part in df.groupby("g", sort=True):
        cm = metrics.confusion_matrix(part["y"], part["p"], labels=[0, 1], normalize="true")
        tnr, fpr, fnr, tpr = cm.ravel()
        rows.append({"group": int(g), "count": len(part),
                     "selection_rate": float(part["p"].mean()),
                     "tpr": float(tpr), "fpr": float(fpr),
                     "accuracy": float(metrics.accuracy_score(part["y"], part["p"]))})
    sel = np.array([r["selection_rate"] for r in rows])
    tpr = np.array([r["tpr"] for r in rows])
    fpr = np.array([r["fpr"] for r in rows])
    with np.errstate(all="ignore"):
        di = sel / sel.max()
        out = {
            "per_group": rows,
            "demographic_parity_difference": float(sel.max() - sel.min()),
            "demographic_parity_ratio": num(sel.min() / sel.max()),
            "equalized_odds_difference": float(max(tpr.max() - tpr.min(),
                                                   fpr.max() - fpr.min())),
            "equalized_odds_ratio": num(min(tpr.min() / tpr.max(), fpr.min() / fpr.max())),
            "equal_opportunity_difference": float(tpr.max() - tpr.min()),
            "disparate_impact": arr(di),
            "four_fifths_flag": [bool(v < 0.8) for v in di],
        }
    return out


def binary_metrics(y, s, pred, w=None):
    m = {
        "accuracy": metrics.accuracy_score(y, pred, sample_weight=w),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred, sample_weight=w),
        "precision": metrics.precision_score(y, pred, sample_weight=w, zero_division=0),
        "recall": metrics.recall_score(y, pred, sample_weight=w, zero_division=0),
        "f1": metrics.f1_score(y, pred, sample_weight=w, zero_division=0),
        "roc_auc": metrics.roc_auc_score(y, s, sample_weight=w),
        "average_precision": metrics.average_precision_score(y, s, sample_weight=w),
        "log_loss": metrics.log_loss(y, s, sample_weight=w, labels=[0, 1]),
        "brier": metrics.brier_score_loss(y, s, sample_weight=w),
    }
    if w is None:
        m["ks"] = stats.ks_2samp(s[y == 1], s[y == 0]).statistic
        m["lift"] = lift_at(y, s, LIFT_FRACTION)
    return {k: float(v) for k, v in m.items()}


def credit_g():
    df = pd.read_csv(os.path.join(DATA, "credit-g.csv"))
    y = (df["class"] == "bad").astype(int).to_numpy()
    sex = df["personal_status"].str.split(" ").str[0]
    groups = {"sex": sex, "foreign_worker": df["foreign_worker"],
              "age_group": np.where(df["age"] <= 25, "<=25", ">25")}
    X = pd.get_dummies(df.drop(columns=["class"]), dtype=float)
    idx = np.arange(len(df))
    tr, te = train_test_split(idx, test_size=0.3, random_state=0, stratify=y)
    models = {
        "logistic_regression": make_pipeline(StandardScaler(),
                                             LogisticRegression(max_iter=5000)),
        "gradient_boosting": GradientBoostingClassifier(n_estimators=60, max_depth=2,
                                                        random_state=0),
    }
    yt = y[te]
    w = weights_for(len(te), 11)
    group_cols = []
    for gname, col in groups.items():
        col = pd.Series(np.asarray(col))
        names = sorted(col.unique())
        codes = col.map({v: i for i, v in enumerate(names)}).to_numpy()[te]
        group_cols.append({"name": gname, "group_names": names, "codes": ints(codes)})
    cases = []
    for mname, model in models.items():
        model.fit(X.iloc[tr], y[tr])
        s = model.predict_proba(X.iloc[te])[:, 1]
        s = np.array(json.loads(json.dumps(arr(s))))  # exactly what the C++ reads
        pred = (s >= 0.5).astype(int)
        cm = metrics.confusion_matrix(yt, pred, labels=[0, 1])
        cmw = metrics.confusion_matrix(yt, pred, labels=[0, 1], sample_weight=w)
        case = {
            "model": mname,
            "probabilities": arr(s),
            "predicted": ints(pred),
            "metrics": binary_metrics(yt, s, pred),
            "weighted_metrics": binary_metrics(yt, s, pred, w),
            "confusion_matrix": [ints(r) for r in cm],
            "confusion_matrix_weighted": [arr(r) for r in cmw],
            "calibration": calibration(yt, s),
            "lift_table": lift_table(yt, s),
            "thresholds": thresholds(yt, s),
            "fairness": {g["name"]: fairness(yt, pred, np.array(g["codes"]),
                                             g["group_names"]) for g in group_cols},
        }
        cases.append(case)
    return {"source": "credit-g test split (30%, stratified, random_state=0); "
                      "sklearn 1.2 metrics; calibration_curve(n_bins=10); "
                      "ks = scipy.stats.ks_2samp statistic; fairness by pandas groupby "
                      "with fairlearn's definitions",
            "labels": ints(yt), "weights": arr(w), "lift_fraction": LIFT_FRACTION,
            "groups": group_cols, "cases": cases}


# ------------------------------------------------------------ multiclass ---

def iris():
    df = pd.read_csv(os.path.join(DATA, "iris.csv"))
    names = sorted(df["class"].unique())
    y = df["class"].map({v: i for i, v in enumerate(names)}).to_numpy()
    idx = np.arange(len(df))
    tr, te = train_test_split(idx, test_size=0.4, random_state=1, stratify=y)
    yt = y[te]
    w = weights_for(len(te), 12)
    cases = []
    for mname, cols in [("logistic_regression_sepal", ["sepallength", "sepalwidth"]),
                        ("logistic_regression_all", list(df.columns[:4]))]:
        model = LogisticRegression(max_iter=5000).fit(df[cols].iloc[tr], y[tr])
        proba = model.predict_proba(df[cols].iloc[te])
        proba = np.array(json.loads(json.dumps([arr(r) for r in proba])))
        pred = np.argmax(proba, axis=1)
        labels = [0, 1, 2]

        def mc(wt):
            return {
                "accuracy": metrics.accuracy_score(yt, pred, sample_weight=wt),
                "balanced_accuracy": metrics.balanced_accuracy_score(yt, pred,
                                                                     sample_weight=wt),
                "precision": metrics.precision_score(yt, pred, average="macro",
                                                     sample_weight=wt, zero_division=0),
                "recall": metrics.recall_score(yt, pred, average="macro", sample_weight=wt,
                                               zero_division=0),
                "f1": metrics.f1_score(yt, pred, average="macro", sample_weight=wt,
                                       zero_division=0),
                "roc_auc": metrics.roc_auc_score(yt, proba, multi_class="ovr",
                                                 average="macro", sample_weight=wt,
                                                 labels=labels),
                "log_loss": metrics.log_loss(yt, proba, sample_weight=wt, labels=labels),
            }
        cases.append({
            "model": mname,
            "probabilities": [v for r in proba for v in arr(r)],
            "predicted": ints(pred),
            "metrics": {k: float(v) for k, v in mc(None).items()},
            "weighted_metrics": {k: float(v) for k, v in mc(w).items()},
            "confusion_matrix": [ints(r) for r in metrics.confusion_matrix(yt, pred,
                                                                           labels=labels)],
        })
    return {"source": "iris test split (40%, stratified, random_state=1); multinomial "
                      "LogisticRegression; macro averages; roc_auc_score(multi_class='ovr')",
            "num_classes": 3, "class_names": names, "labels": ints(yt), "weights": arr(w),
            "binary_only": ["average_precision", "brier", "ks", "lift"], "cases": cases}


# ------------------------------------------------------------ regression ---

def cpu():
    df = pd.read_csv(os.path.join(DATA, "cpu.csv"))
    X, y = df.drop(columns=["class"]), df["class"].to_numpy(dtype=float)
    idx = np.arange(len(df))
    tr, te = train_test_split(idx, test_size=0.3, random_state=0)
    model = LinearRegression().fit(X.iloc[tr], y[tr])
    pred = np.array(json.loads(json.dumps(arr(model.predict(X.iloc[te])))))
    yt = y[te]
    w = weights_for(len(te), 13)

    def rm(wt):
        m = {
            "rmse": metrics.mean_squared_error(yt, pred, sample_weight=wt, squared=False),
            "mae": metrics.mean_absolute_error(yt, pred, sample_weight=wt),
            "r2": metrics.r2_score(yt, pred, sample_weight=wt),
            "mape": metrics.mean_absolute_percentage_error(yt, pred, sample_weight=wt),
        }
        m["median_absolute_error"] = metrics.median_absolute_error(yt, pred, sample_weight=wt)
        return {k: float(v) for k, v in m.items()}
    return {"source": "cpu test split (30%, random_state=0); LinearRegression; sklearn 1.2 "
                      "regression metrics (median_absolute_error with weights uses "
                      "sklearn's _weighted_percentile)",
            "y_true": arr(yt), "y_pred": arr(pred), "weights": arr(w),
            "metrics": rm(None), "weighted_metrics": rm(w)}


# --------------------------------------------------------------- compare ---

def mcnemar(y, a, b):
    """statsmodels.stats.contingency_tables.mcnemar on the 2x2 table of
    (A right, B right): exact=True (binomial) and exact=False, correction=True
    (chi-square with continuity correction)."""
    ca, cb = a == y, b == y
    table = [[int(np.sum(ca & cb)), int(np.sum(ca & ~cb))],
             [int(np.sum(~ca & cb)), int(np.sum(~ca & ~cb))]]
    exact = contingency_tables.mcnemar(table, exact=True)
    chi = contingency_tables.mcnemar(table, exact=False, correction=True)
    return {"a_only_correct": table[0][1], "b_only_correct": table[1][0],
            "exact_statistic": int(exact.statistic), "exact_p_value": float(exact.pvalue),
            "chi2_statistic": float(chi.statistic), "chi2_p_value": float(chi.pvalue)}


def compare(binary, multiclass):
    y = np.array(binary["labels"])
    a = np.array(binary["cases"][0]["predicted"])
    b = np.array(binary["cases"][1]["predicted"])
    ym = np.array(multiclass["labels"])
    am = np.array(multiclass["cases"][0]["predicted"])
    bm = np.array(multiclass["cases"][1]["predicted"])
    return {"source": "statsmodels.stats.contingency_tables.mcnemar (exact=True; "
                      "exact=False, correction=True)",
            "cases": [{"name": "credit_lr_vs_gbc", "labels": ints(y), "a": ints(a),
                       "b": ints(b), **mcnemar(y, a, b)},
                      {"name": "iris_sepal_vs_all", "labels": ints(ym), "a": ints(am),
                       "b": ints(bm), **mcnemar(ym, am, bm)}]}


def generate():
    b = credit_g()
    m = iris()
    return {"binary": b, "multiclass": m, "regression": cpu(), "compare": compare(b, m)}


def write_all(out_dir):
    names = []
    for name, data in generate().items():
        text = json.dumps(data, allow_nan=False, separators=(",", ":"))
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            f.write(text + "\n")
        names.append(name + ".json")
    return names


if __name__ == "__main__":
    sys.exit(fixture_main.main(sys.argv, write_all, __doc__))
