#!/usr/bin/python3
"""The scikit-learn side of the `run` benchmark: the steps of `mlpipe run` on
examples/credit-risk (docs/run.md), written the way a pandas / scikit-learn user
would write them, with the spec's settings (3 families x 20 random trials x
5-fold CV, test_size 0.2, seed 42, protected sex / age / foreign_worker):

  ingest      sha256 of the data file, copied into a local content-addressed store
  validate    a schema inferred from the data (its first version is its own reference)
              and the data checked against it: dtypes, missing values, categories, ranges
  profile     per-column stats (describe, value counts, missing, skew/kurtosis,
              histogram), duplicate rows, Pearson + Spearman matrix, Cramer's V of
              categorical pairs, correlation ratios, target rate per protected group
  governance  protected columns kept out of the features; proxies: Cramer's V
              (chi2_contingency), correlation ratio, Pearson, normalised mutual
              information of every feature vs every protected column
  split       stratified train_test_split(test_size=0.2, random_state=42)
  features    ColumnTransformer: impute + one-hot categoricals, impute (+ scale for
              logreg) numerics
  train       RandomizedSearchCV(n_iter=20, StratifiedKFold(5), roc_auc, n_jobs=--threads) per
              family (logreg, XGBoost hist, random forest), refit on the training part;
              best family by CV
  evaluate    test ROC AUC with a 1000-resample bootstrap CI; demographic parity ratio
              per protected column (age in quartile bins) with 1000-resample CIs;
              p50/p99 of 200 one-row predict_proba calls
  compare     against a registered champion when the store has one (paired bootstrap)
  register    the best pipeline pickled with joblib (the "bundle") + evidence JSON
  gates       KPI, fairness, latency and integration (the bundle loaded in a fresh
              Python process re-predicts golden rows) gates; a Markdown model card

Prints one JSON line: wall seconds per step (imports included as `imports`), the
total in-process seconds, the test ROC AUC per family and of the best one."""
import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.stats import chi2_contingency, loguniform, randint, uniform  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import (RandomizedSearchCV, StratifiedKFold,  # noqa: E402
                                     train_test_split)
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402
from xgboost import XGBClassifier  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# The spec (examples/credit-risk/mlpipe.yaml), as constants.
SEX_MAP = {"male single": "male", "male div/sep": "male", "male mar/wid": "male",
           "female div/dep/mar": "female"}
TARGET, POSITIVE = "class", "bad"
PROTECTED = ["sex", "age", "foreign_worker"]
SEED, TRIALS, FOLDS, TEST_SIZE = 42, 20, 5, 0.2
AUC_MIN, DP_MIN, LATENCY_BUDGET_MS, CHAMPION_MARGIN = 0.75, 0.8, 50.0, 0.005
PROXY_THRESHOLD = 0.5
BOOTSTRAP = 1000


class LogUniformInt:
    """An integer drawn log-uniformly from [low, high] (mlpipe samples n_estimators so)."""

    def __init__(self, low, high):
        self.dist = loguniform(low, high + 1)

    def rvs(self, size=None, random_state=None):
        return np.floor(self.dist.rvs(size=size, random_state=random_state)).astype(int)


def families():
    # Search ranges of the spec / mlpipe's family table (docs/train.md).
    return [
        ("logreg", LogisticRegression(solver="liblinear", max_iter=1000),
         {"model__C": loguniform(1e-3, 1e2), "model__penalty": ["l1", "l2"],
          "model__class_weight": [None, "balanced"]}, True),
        ("gbdt", XGBClassifier(tree_method="hist", n_jobs=1, random_state=SEED),
         {"model__n_estimators": LogUniformInt(50, 300),
          "model__max_depth": randint(2, 7),                 # spec: [2, 6]
          "model__learning_rate": loguniform(0.01, 0.3),     # spec: [0.01, 0.3]
          "model__subsample": uniform(0.5, 0.5),
          "model__colsample_bytree": uniform(0.5, 0.5),
          "model__min_child_weight": uniform(0.5, 19.5),
          "model__reg_lambda": uniform(0, 10)}, False),
        ("rf", RandomForestClassifier(n_jobs=1, random_state=SEED),
         {"model__n_estimators": LogUniformInt(50, 300),
          "model__max_depth": randint(3, 13),
          "model__min_samples_leaf": randint(1, 11)}, False),
    ]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, default=str)


def is_numeric(s):
    return s.dtype.kind in "if"


def cramers_v(a, b):
    table = pd.crosstab(a, b)
    if min(table.shape) < 2:
        return 0.0
    chi2 = chi2_contingency(table, correction=False)[0]
    return float(np.sqrt(chi2 / (table.to_numpy().sum() * (min(table.shape) - 1))))


def correlation_ratio(values, groups):
    df = pd.DataFrame({"v": values, "g": groups}).dropna()
    total = ((df.v - df.v.mean()) ** 2).sum()
    if total == 0:
        return 0.0
    g = df.groupby("g", observed=True).v.agg(["mean", "count"])
    between = (g["count"] * (g["mean"] - df.v.mean()) ** 2).sum()
    return float(np.sqrt(between / total))


def mi_codes(s, bins=10):
    if is_numeric(s) and s.nunique() > bins:
        edges = np.unique(np.quantile(s.dropna(), np.arange(1, bins) / bins))
        return np.searchsorted(edges, s.to_numpy(), side="right")
    return pd.factorize(s)[0]


def quartile_groups(s):
    """A numeric protected column with over 10 values: its quartile bins."""
    if is_numeric(s) and s.nunique() > 10:
        q = np.unique(np.quantile(s, [0.25, 0.5, 0.75]))
        return pd.cut(s, [-np.inf, *q, np.inf], right=True).astype(str)
    return s.astype(str)


def step_ingest(args, store):
    digest = sha256_file(args.data)
    dest = os.path.join(store, "objects", digest[:2], digest)
    if not os.path.exists(dest):
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(args.data, dest + ".tmp")
        os.replace(dest + ".tmp", dest)
    versions_file = os.path.join(store, "datasets.json")
    versions = json.load(open(versions_file)) if os.path.exists(versions_file) else {}
    name = os.path.splitext(os.path.basename(args.data))[0]
    vs = versions.setdefault(name, [])
    if digest not in vs:
        vs.append(digest)
    write_json(versions_file, versions)
    df = pd.read_csv(dest)
    df["sex"] = df["personal_status"].map(SEX_MAP)
    return df, {"data_version": f"{name}@{vs.index(digest) + 1}", "sha256": digest,
                "rows": len(df)}


def infer_schema(df):
    schema = {}
    for c in df.columns:
        s = df[c]
        col = {"dtype": str(s.dtype), "nullable": bool(s.isna().any())}
        if is_numeric(s):
            col["min"], col["max"] = float(s.min()), float(s.max())
        else:
            col["categories"] = sorted(s.dropna().astype(str).unique().tolist())
        schema[c] = col
    return schema


def step_validate(df, out, store):
    # The first version of the data set is its own reference schema.
    ref_file = os.path.join(store, "schema.json")
    schema = json.load(open(ref_file)) if os.path.exists(ref_file) else infer_schema(df)
    errors = []
    for c, col in schema.items():
        if c not in df.columns:
            errors.append(f"{c}: missing column")
            continue
        s = df[c]
        if str(s.dtype) != col["dtype"]:
            errors.append(f"{c}: dtype {s.dtype}, expected {col['dtype']}")
        if not col["nullable"] and s.isna().any():
            errors.append(f"{c}: {int(s.isna().sum())} missing values")
        if "categories" in col:
            unknown = set(s.dropna().astype(str).unique()) - set(col["categories"])
            if unknown:
                errors.append(f"{c}: unknown categories {sorted(unknown)}")
        elif "min" in col and (s.min() < col["min"] or s.max() > col["max"]):
            errors.append(f"{c}: values outside [{col['min']}, {col['max']}]")
    extra = [c for c in df.columns if c not in schema]
    errors += [f"{c}: unexpected column" for c in extra]
    write_json(ref_file, schema)
    write_json(os.path.join(out, "validate", "validation.json"),
               {"schema": schema, "errors": errors})
    if errors:
        sys.exit("validation failed: " + "; ".join(errors))
    return {"errors": 0, "columns": len(schema)}


def step_profile(df, out):
    cols = {}
    desc = df.describe(include="all")
    for c in df.columns:
        s = df[c]
        col = {"dtype": str(s.dtype), "count": int(s.count()), "missing": int(s.isna().sum()),
               "distinct": int(s.nunique()),
               "top": s.value_counts().head(10).to_dict(),
               "describe": desc[c].dropna().to_dict()}
        if is_numeric(s):
            x = s.dropna()
            q1, q3 = x.quantile(0.25), x.quantile(0.75)
            iqr = q3 - q1
            counts, edges = np.histogram(x, 20)
            col.update({"skewness": float(x.skew()), "kurtosis": float(x.kurt()),
                        "zeros": int((x == 0).sum()),
                        "outliers_iqr": int(((x < q1 - 1.5 * iqr) | (x > q3 + 1.5 * iqr)).sum()),
                        "outliers_z": int((np.abs(x - x.mean()) / x.std(ddof=0) > 3).sum()),
                        "histogram": {"edges": edges.tolist(), "counts": counts.tolist()}})
        cols[c] = col
    num = [c for c in df.columns if is_numeric(df[c])]
    cat = [c for c in df.columns if c not in num]
    pairs = []
    pearson, spearman = df[num].corr(), df[num].corr(method="spearman")
    for i, a in enumerate(num):
        for b in num[i + 1:]:
            pairs.append({"a": a, "b": b, "method": "pearson", "value": pearson.loc[a, b]})
            pairs.append({"a": a, "b": b, "method": "spearman", "value": spearman.loc[a, b]})
    for i, a in enumerate(cat):
        for b in cat[i + 1:]:
            pairs.append({"a": a, "b": b, "method": "cramers_v", "value": cramers_v(df[a], df[b])})
    for a in num:
        for b in cat:
            pairs.append({"a": a, "b": b, "method": "correlation_ratio",
                          "value": correlation_ratio(df[a], df[b])})
    y = df[TARGET] == POSITIVE
    protected = {}
    for p in PROTECTED:
        rates = y.groupby(quartile_groups(df[p])).agg(["mean", "count"])
        protected[p] = {"groups": rates.reset_index().to_dict("records"),
                        "min_ratio": float(rates["mean"].min() / rates["mean"].max())}
    profile = {"rows": len(df), "columns": cols, "duplicate_rows": int(df.duplicated().sum()),
               "missing_cells": int(df.isna().sum().sum()), "associations": pairs,
               "target": {"classes": df[TARGET].value_counts().to_dict(),
                          "positive_rate": float(y.mean())},
               "protected": protected}
    write_json(os.path.join(out, "profile", "profile.json"), profile)
    return {"columns": len(cols), "pairs": len(pairs)}


def step_governance(df, out, features):
    leaks = [p for p in PROTECTED if p in features]
    if leaks:
        sys.exit(f"protected columns reach the features: {leaks}")
    findings = []
    for f in features:
        for p in PROTECTED:
            a, b = df[f], df[p]
            if not is_numeric(a) and not is_numeric(b):
                findings.append((f, p, "cramers_v", cramers_v(a, b)))
            elif is_numeric(a) and not is_numeric(b):
                findings.append((f, p, "correlation_ratio", correlation_ratio(a, b)))
            elif not is_numeric(a) and is_numeric(b):
                findings.append((f, p, "correlation_ratio", correlation_ratio(b, a)))
            else:
                findings.append((f, p, "pearson", abs(float(a.corr(b)))))
            findings.append((f, p, "mutual_information",
                             float(normalized_mutual_info_score(mi_codes(a), mi_codes(b)))))
    findings.sort(key=lambda r: -r[3])
    rows = [{"feature": f, "protected": p, "method": m, "value": v,
             "flagged": v > PROXY_THRESHOLD} for f, p, m, v in findings]
    write_json(os.path.join(out, "governance", "governance.json"),
               {"protected": PROTECTED, "leaks": leaks, "proxies": rows})
    return {"findings": len(rows), "flagged": sum(r["flagged"] for r in rows)}


def preprocessor(X, scale):
    num = [c for c in X.columns if is_numeric(X[c])]
    cat = [c for c in X.columns if c not in num]
    num_steps = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        num_steps.append(("scale", StandardScaler()))
    return ColumnTransformer([
        ("num", Pipeline(num_steps), num),
        ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]), cat),
    ])


def bootstrap_ci(values):
    values = np.asarray([v for v in values if np.isfinite(v)])
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def dp_ratio(pred, codes, n_groups):
    counts = np.bincount(codes, minlength=n_groups)
    rates = np.bincount(codes, weights=pred, minlength=n_groups)[counts > 0] / counts[counts > 0]
    return float(rates.min() / rates.max()) if rates.max() > 0 else 1.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(HERE, "..", "examples", "data",
                                                   "credit-g.csv"))
    ap.add_argument("--out", default="sklearn_run",
                    help="folder of the step files, the store and the reports")
    ap.add_argument("--threads", type=int, default=2,
                    help="RandomizedSearchCV's n_jobs (`mlpipe run --threads` on the other side)")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    store = os.path.join(out, "store")
    steps = {"imports": time.perf_counter() - T_START}
    t0 = time.perf_counter()
    summary = {}

    def done(name, result=None):
        nonlocal t0
        steps[name] = time.perf_counter() - t0
        summary[name] = result
        t0 = time.perf_counter()

    df, ingest = step_ingest(args, store)
    done("ingest", ingest)
    done("validate", step_validate(df, out, store))
    done("profile", step_profile(df, out))
    features = [c for c in df.columns if c != TARGET and c not in PROTECTED]
    done("governance", step_governance(df, out, features))

    y = (df[TARGET] == POSITIVE).astype(int).to_numpy()
    train_idx, test_idx = train_test_split(np.arange(len(df)), test_size=TEST_SIZE,
                                           stratify=y, random_state=SEED)
    write_json(os.path.join(out, "split", "split.json"),
               {"train": train_idx.tolist(), "test": test_idx.tolist()})
    X = df[features]
    X_train, X_test, y_train, y_test = X.iloc[train_idx], X.iloc[test_idx], y[train_idx], y[
        test_idx]
    done("split", {"train": len(train_idx), "test": len(test_idx)})

    pipes = {name: (Pipeline([("prep", preprocessor(X_train, scale)), ("model", model)]), space)
             for name, model, space, scale in families()}
    write_json(os.path.join(out, "features", "features.json"),
               {name: str(p.named_steps["prep"]) for name, (p, _) in pipes.items()})
    done("features", {"families": list(pipes)})

    cv = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    board = {}
    for name, (pipe, space) in pipes.items():
        search = RandomizedSearchCV(pipe, space, n_iter=TRIALS, cv=cv, scoring="roc_auc",
                                    n_jobs=args.threads, random_state=SEED, refit=True)
        search.fit(X_train, y_train)
        board[name] = {"search": search, "cv": float(search.best_score_),
                       "params": {k.removeprefix("model__"): getattr(v, "item", lambda: v)()
                                  for k, v in search.best_params_.items()}}
    best = max(board, key=lambda k: board[k]["cv"])
    model = board[best]["search"].best_estimator_
    bundle = os.path.join(out, "train", "model.joblib")
    os.makedirs(os.path.dirname(bundle), exist_ok=True)
    joblib.dump(model, bundle)
    write_json(os.path.join(out, "train", "leaderboard.json"),
               [{"family": k, "cv_roc_auc": v["cv"], "params": v["params"]}
                for k, v in sorted(board.items(), key=lambda kv: -kv[1]["cv"])])
    done("train", {"best": best})

    rng = np.random.default_rng(SEED)
    boot = rng.integers(0, len(test_idx), size=(BOOTSTRAP, len(test_idx)))
    families_test = {}
    for name, entry in board.items():
        families_test[name] = float(roc_auc_score(
            y_test, entry["search"].best_estimator_.predict_proba(X_test)[:, 1]))
    score = model.predict_proba(X_test)[:, 1]
    auc = float(roc_auc_score(y_test, score))
    aucs = [roc_auc_score(y_test[b], score[b]) if y_test[b].min() != y_test[b].max()
            else np.nan for b in boot]
    kpi = {"metric": "roc_auc", "value": auc, "ci": bootstrap_ci(aucs), "passed": auc >= AUC_MIN}
    pred = (score > 0.5).astype(float)
    test_rows = df.iloc[test_idx]
    fairness = []
    for p in PROTECTED:
        groups = quartile_groups(test_rows[p])
        codes, labels = pd.factorize(groups, sort=True)
        value = dp_ratio(pred, codes, len(labels))
        ci = bootstrap_ci([dp_ratio(pred[b], codes[b], len(labels)) for b in boot])
        rates = pd.Series(pred).groupby(codes).mean()
        fairness.append({"column": p, "metric": "demographic_parity_ratio", "value": value,
                         "ci": ci, "passed": value >= DP_MIN,
                         "groups": {str(labels[i]): float(r) for i, r in rates.items()}})
    times = []
    for i in range(200):
        row = X_test.iloc[[i % len(X_test)]]
        t = time.perf_counter()
        model.predict_proba(row)
        times.append((time.perf_counter() - t) * 1000)
    latency = {"p50_ms": float(np.percentile(times, 50)), "p99_ms": float(np.percentile(times, 99)),
               "budget_ms": LATENCY_BUDGET_MS}
    latency["passed"] = latency["p99_ms"] <= LATENCY_BUDGET_MS
    evaluation = {"kpis": [kpi], "fairness": fairness, "latency": latency,
                  "families_test_roc_auc": families_test}
    write_json(os.path.join(out, "evaluate", "evaluation.json"), evaluation)
    done("evaluate", {"roc_auc": auc})

    registry = os.path.join(store, "models", "credit-risk")
    champion = os.path.join(registry, "champion.joblib")
    if os.path.exists(champion):
        champ_score = joblib.load(champion).predict_proba(X_test)[:, 1]
        gains = [roc_auc_score(y_test[b], score[b]) - roc_auc_score(y_test[b], champ_score[b])
                 for b in boot if y_test[b].min() != y_test[b].max()]
        gain = auc - roc_auc_score(y_test, champ_score)
        comparison = {"champion": True, "gain": gain, "ci": bootstrap_ci(gains),
                      "passed": gain > 0 and gain >= CHAMPION_MARGIN}
    else:
        comparison = {"champion": False, "passed": True}
    write_json(os.path.join(out, "compare", "comparison.json"), comparison)
    done("compare", comparison)

    bundle_sha = sha256_file(bundle)
    os.makedirs(registry, exist_ok=True)
    version = len([f for f in os.listdir(registry) if f.startswith("v")]) + 1
    version_dir = os.path.join(registry, f"v{version}")
    os.makedirs(version_dir)
    shutil.copyfile(bundle, os.path.join(version_dir, "model.joblib"))
    evidence = {"model": "credit-risk", "version": version, "bundle_sha256": bundle_sha,
                "data": ingest, "evaluation": evaluation, "comparison": comparison,
                "status": "pending"}
    write_json(os.path.join(version_dir, "evidence.json"), evidence)
    write_json(os.path.join(out, "register", "evidence.json"), evidence)
    done("register", {"version": version})

    golden = X_test.iloc[:32]
    golden_file = os.path.join(out, "gates", "golden.pkl")
    os.makedirs(os.path.dirname(golden_file), exist_ok=True)
    golden.to_pickle(golden_file)
    check = ("import sys, joblib, numpy as np, pandas as pd; m = joblib.load(sys.argv[1]); "
             "print(' '.join(repr(float(p)) for p in m.predict_proba("
             "pd.read_pickle(sys.argv[2]))[:, 1]))")
    res = subprocess.run([sys.executable, "-c", check, bundle, golden_file],
                         capture_output=True, text=True)
    integration = res.returncode == 0 and np.allclose(
        [float(v) for v in res.stdout.split()], model.predict_proba(golden)[:, 1])
    gates = {"kpis": kpi["passed"], "fairness": all(f["passed"] for f in fairness),
             "latency": latency["passed"], "champion": comparison["passed"],
             "integration": bool(integration)}
    write_json(os.path.join(out, "gates", "gates.json"), gates)
    lines = [f"# Model card: credit-risk v{version}", "",
             f"Data: {ingest['data_version']} (sha256 {ingest['sha256'][:12]}), "
             f"{len(train_idx)} train / {len(test_idx)} test rows.", "",
             f"Model: {best} (`{json.dumps(board[best]['params'], default=str)}`), "
             f"bundle sha256 {bundle_sha[:12]}.", "", "## Leaderboard", "",
             "| family | CV ROC AUC | test ROC AUC |", "| --- | --- | --- |"]
    lines += [f"| {k} | {v['cv']:.4f} | {families_test[k]:.4f} |" for k, v in board.items()]
    lines += ["", "## KPIs", "", f"ROC AUC {auc:.4f} [{kpi['ci'][0]:.4f}, {kpi['ci'][1]:.4f}] "
              f"(>= {AUC_MIN}: {'pass' if kpi['passed'] else 'FAIL'})", "", "## Fairness", "",
              "| column | DP ratio | 95% CI | passed |", "| --- | --- | --- | --- |"]
    lines += [f"| {f['column']} | {f['value']:.3f} | [{f['ci'][0]:.3f}, {f['ci'][1]:.3f}] | "
              f"{f['passed']} |" for f in fairness]
    lines += ["", "## Latency", "", f"p50 {latency['p50_ms']:.2f} ms, p99 {latency['p99_ms']:.2f}"
              f" ms (budget {LATENCY_BUDGET_MS:g} ms)", "", "## Gates", ""]
    lines += [f"- {k}: {'pass' if v else 'FAIL'}" for k, v in gates.items()]
    with open(os.path.join(out, "gates", "model_card.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    os.makedirs(os.path.join(out, "reports"), exist_ok=True)
    shutil.copyfile(os.path.join(out, "gates", "model_card.md"),
                    os.path.join(out, "reports", "model_card.md"))
    done("gates", gates)

    total = time.perf_counter() - T_START
    print(json.dumps({"seconds": total, "steps": {k: round(v, 4) for k, v in steps.items()},
                      "best": best, "best_test_roc_auc": auc,
                      "families": {k: {"cv": v["cv"], "test": families_test[k]}
                                   for k, v in board.items()},
                      "gates": gates}))


if __name__ == "__main__":
    main()
