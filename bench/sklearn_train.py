#!/usr/bin/python3
"""The scikit-learn side of the training benchmark: the same search as
`mlpipe train --models logreg,gbdt,rf --search random:N --cv K --threads T`
(ridge,gbdt,rf for regression), written the way a scikit-learn user would:
Pipeline + ColumnTransformer (median / most-frequent imputation, one-hot,
scaling for the linear family) + RandomizedSearchCV(n_jobs=T) per family, the
best configuration refitted on the training part with T threads, scored on the
test rows mlpipe held out (read from its --predictions file).

The same work on both sides:
  - Each hyperparameter is drawn from mlpipe's own search range and scale
    (src/models family tables, narrowed by eval::DefaultSearchSpace:
    n_estimators capped at 300), by mlpipe's rule: u ~ U(0, 1), then
    min + u (max - min), or exp(log min + u (log max / min)) where the table
    says log scale, rounded for integers; choices uniformly:
      logreg  C log [1e-3, 100], penalty {l2, l1}, class_weight {None, balanced},
              tol 1e-4 (liblinear on both sides, bias regularised on both)
      ridge   alpha log [1e-3, 1e3]
      gbdt    XGBoost hist: n_estimators log [50, 300], max_depth [2, 10],
              learning_rate log [0.01, 0.3], subsample [0.5, 1],
              colsample_bytree [0.5, 1], min_child_weight [0.5, 20],
              reg_lambda [0, 10]; every round is fitted (mlpipe's train sets
              no validation set, so no early stopping there either)
      rf      n_estimators log [50, 300], max_depth [4, 16], rows per tree
              subsample [0.1, 0.99] (max_samples), features per split
              colsample_bynode [0.1, 1] (max_features), min_child_weight
              [0.5, 10] as min_samples_leaf (below)
  - Threads: T for both. mlpipe --threads T runs T fits at once, each on one
    thread, and the final refit on T threads; here RandomizedSearchCV(n_jobs=T)
    with single-threaded models, the refit with n_jobs=T, and BLAS / OpenMP
    pools in this process limited to T (threadpoolctl; joblib limits its
    workers' pools itself).
  - Folds: K-fold, stratified for classification, on the same training rows;
    same test rows; the same metric (roc_auc or rmse) optimised.

What still differs (and which way it leans):
  - rf is scikit-learn's RandomForest against mlpipe's XGBoost forest mode
    (one boosting round of parallel trees, learning rate 1): exact splits on
    impurity against histogram splits on gradient statistics. Rows per tree
    are drawn with replacement here, without in XGBoost (the same count).
    XGBoost's min_child_weight bounds the hessian in a leaf; in forest mode
    every row's hessian is the same (0.25 for logistic loss at the base score
    0.5, 1 for squared error), so its nearest counterpart is min_samples_leaf
    = ceil(min_child_weight / hessian) (sklearn counts distinct rows, XGBoost
    sums the hessian of the sampled ones); reg_lambda [0, 1] has none.
  - gbdt is XGBoost 1.7 on both sides (the Python package here, the C API in
    mlpipe): the same algorithm and parameters.
  - Features: mlpipe's default pipeline (median / mode imputation, one-hot for
    low-cardinality categoricals, target or hash encoding above that, scaling
    for linear families) is fitted inside each fold, as the ColumnTransformer
    here is; on credit_data and diamonds every categorical is one-hot on both.
  - Folds and trial draws come from different random generators, so the
    configurations differ draw by draw, not in distribution.
  - mlpipe also computes 1,000-resample bootstrap CIs of the test metrics and
    writes the predictions file; this script does neither (work mlpipe does
    and the peer does not).
  - Timing: `seconds` is in-process (imports and interpreter start excluded),
    `cpu_seconds` the user + system CPU of this process and its joblib
    workers over the same span. run_bench.py also times the whole process.

Prints one JSON object: seconds, cpu_seconds and the best test metric per
family."""
import argparse
import json
import math
import resource
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import mean_squared_error, r2_score, roc_auc_score
from sklearn.model_selection import KFold, RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits
from xgboost import XGBClassifier, XGBRegressor


class MlpipeRange:
    """A value drawn as mlpipe's random search draws it (eval/search.cc
    Interpolate): u ~ U(0, 1) mapped onto [low, high], linearly or on a log
    scale, rounded for integers; `scale` multiplies the value afterwards and
    `ceil` rounds it up (for min_samples_leaf)."""

    def __init__(self, low, high, log=False, integer=False, scale=1.0, ceil=False):
        self.low, self.high, self.log, self.integer = low, high, log, integer
        self.scale, self.ceil = scale, ceil

    def rvs(self, size=None, random_state=None):
        u = check_random_state(random_state).uniform()
        if self.log and self.low > 0:
            v = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            v = self.low + u * (self.high - self.low)
        if self.integer:
            v = float(round(v))
        v = min(max(v, self.low), self.high) * self.scale
        if self.ceil:
            return max(1, math.ceil(v))
        return int(v) if self.integer else v


def preprocessor(df, scale):
    num = [c for c in df.columns if df[c].dtype.kind in "if"]
    cat = [c for c in df.columns if c not in num]
    num_steps = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        num_steps.append(("scale", StandardScaler()))
    return ColumnTransformer([
        ("num", Pipeline(num_steps), num),
        ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]), cat),
    ])


def families(regression, seed):
    """(name, model factory taking n_jobs, search space, scale numerics)."""
    gbdt_space = {
        "model__n_estimators": MlpipeRange(50, 300, log=True, integer=True),
        "model__max_depth": MlpipeRange(2, 10, integer=True),
        "model__learning_rate": MlpipeRange(0.01, 0.3, log=True),
        "model__subsample": MlpipeRange(0.5, 1),
        "model__colsample_bytree": MlpipeRange(0.5, 1),
        "model__min_child_weight": MlpipeRange(0.5, 20),
        "model__reg_lambda": MlpipeRange(0, 10),
    }
    # Forest mode fits every tree on the gradients at the base score: each
    # row's hessian is 1 (squared error) or 0.5 * 0.5 (logistic loss).
    hessian = 1.0 if regression else 0.25
    rf_space = {
        "model__n_estimators": MlpipeRange(50, 300, log=True, integer=True),
        "model__max_depth": MlpipeRange(4, 16, integer=True),
        "model__max_samples": MlpipeRange(0.1, 0.99),
        "model__max_features": MlpipeRange(0.1, 1),
        "model__min_samples_leaf": MlpipeRange(0.5, 10, scale=1 / hessian, ceil=True),
    }
    xgb = XGBRegressor if regression else XGBClassifier
    rf = RandomForestRegressor if regression else RandomForestClassifier
    gbdt = ("gbdt", lambda n: xgb(tree_method="hist", n_jobs=n, random_state=seed), gbdt_space,
            False)
    forest = ("rf", lambda n: rf(n_jobs=n, random_state=seed), rf_space, False)
    if regression:
        return [("ridge", lambda n: Ridge(), {"model__alpha": MlpipeRange(1e-3, 1e3, log=True)},
                 True), gbdt, forest]
    return [
        ("logreg", lambda n: LogisticRegression(solver="liblinear", max_iter=1000, tol=1e-4),
         {"model__C": MlpipeRange(1e-3, 100, log=True), "model__penalty": ["l2", "l1"],
          "model__class_weight": [None, "balanced"]}, True),
        gbdt, forest,
    ]


def cpu_seconds():
    """User + system CPU of this process and of its reaped children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        total += ru.ru_utime + ru.ru_stime
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--positive")
    ap.add_argument("--test-rows", required=True, help="CSV with a 'row' column (mlpipe --predictions)")
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    t0, cpu0 = time.perf_counter(), cpu_seconds()
    with threadpool_limits(limits=args.threads):
        df = pd.read_csv(args.data)
        y_raw = df.pop(args.target)
        regression = args.positive is None
        y = (y_raw.to_numpy(dtype=float) if regression
             else (y_raw == args.positive).astype(int).to_numpy())
        test = np.zeros(len(df), dtype=bool)
        test[pd.read_csv(args.test_rows)["row"].to_numpy()] = True
        X_train, X_test, y_train, y_test = df[~test], df[test], y[~test], y[test]
        cv = (KFold if regression else StratifiedKFold)(args.cv, shuffle=True,
                                                        random_state=args.seed)
        scoring = "neg_root_mean_squared_error" if regression else "roc_auc"
        results = {}
        for name, model, space, scale in families(regression, args.seed):
            pipe = Pipeline([("prep", preprocessor(df, scale)), ("model", model(1))])
            search = RandomizedSearchCV(pipe, space, n_iter=args.trials, cv=cv, scoring=scoring,
                                        n_jobs=args.threads, random_state=args.seed,
                                        refit=False)
            search.fit(X_train, y_train)
            best = Pipeline([("prep", preprocessor(df, scale)), ("model", model(args.threads))])
            best.set_params(**search.best_params_).fit(X_train, y_train)
            results[name] = {"cv": float(abs(search.best_score_)),
                             "params": {k.removeprefix("model__"): v
                                        for k, v in search.best_params_.items()}}
            if regression:
                pred = best.predict(X_test)
                results[name]["test"] = float(mean_squared_error(y_test, pred, squared=False))
                results[name]["test_r2"] = float(r2_score(y_test, pred))
            else:
                results[name]["test"] = float(roc_auc_score(y_test,
                                                            best.predict_proba(X_test)[:, 1]))
    seconds = time.perf_counter() - t0
    # joblib's worker processes are reaped (and their CPU counted) only once
    # the executor shuts down.
    if args.threads > 1:
        from joblib.externals.loky import get_reusable_executor
        get_reusable_executor().shutdown(wait=True)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu0,
                      "threads": args.threads, "families": results}, default=str))


if __name__ == "__main__":
    main()
