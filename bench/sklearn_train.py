#!/usr/bin/python3
"""The scikit-learn side of the training benchmark: the same search as
`mlpipe train --models logreg,gbdt,rf --search random:N --cv K` (or
ridge,gbdt,rf for regression), written the way a scikit-learn user would:
Pipeline + ColumnTransformer (median/most-frequent imputation, one-hot,
scaling for the linear family) + RandomizedSearchCV(n_jobs=2) per family,
refit on the training part, scored on the same test rows mlpipe held out.

Prints one JSON object: seconds (in-process, imports excluded) and the best
test metric per family."""
import argparse
import json
import time

import numpy as np
import pandas as pd
from scipy.stats import loguniform, randint, uniform
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import mean_squared_error, r2_score, roc_auc_score
from sklearn.model_selection import KFold, RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier, XGBRegressor


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
    tree_space = {
        "model__n_estimators": randint(50, 300),
        "model__max_depth": randint(2, 10),
        "model__learning_rate": loguniform(0.01, 0.3),
        "model__subsample": uniform(0.5, 0.5),
        "model__colsample_bytree": uniform(0.5, 0.5),
    }
    rf_space = {
        "model__n_estimators": randint(50, 300),
        "model__max_depth": randint(3, 16),
        "model__max_features": uniform(0.2, 0.8),
    }
    if regression:
        return [
            ("ridge", Ridge(), {"model__alpha": loguniform(1e-3, 1e3)}, True),
            ("gbdt", XGBRegressor(tree_method="hist", n_jobs=1, random_state=seed), tree_space,
             False),
            ("rf", RandomForestRegressor(n_jobs=1, random_state=seed), rf_space, False),
        ]
    return [
        ("logreg", LogisticRegression(solver="liblinear", max_iter=1000),
         {"model__C": loguniform(1e-3, 1e2), "model__penalty": ["l1", "l2"]}, True),
        ("gbdt", XGBClassifier(tree_method="hist", n_jobs=1, random_state=seed), tree_space, False),
        ("rf", RandomForestClassifier(n_jobs=1, random_state=seed), rf_space, False),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--positive")
    ap.add_argument("--test-rows", required=True, help="CSV with a 'row' column (mlpipe --predictions)")
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    df = pd.read_csv(args.data)
    y_raw = df.pop(args.target)
    regression = args.positive is None
    y = y_raw.to_numpy(dtype=float) if regression else (y_raw == args.positive).astype(int).to_numpy()
    test = np.zeros(len(df), dtype=bool)
    test[pd.read_csv(args.test_rows)["row"].to_numpy()] = True
    X_train, X_test, y_train, y_test = df[~test], df[test], y[~test], y[test]
    cv = (KFold if regression else StratifiedKFold)(args.cv, shuffle=True, random_state=args.seed)
    scoring = "neg_root_mean_squared_error" if regression else "roc_auc"
    results = {}
    for name, model, space, scale in families(regression, args.seed):
        pipe = Pipeline([("prep", preprocessor(df, scale)), ("model", model)])
        search = RandomizedSearchCV(pipe, space, n_iter=args.trials, cv=cv, scoring=scoring,
                                    n_jobs=2, random_state=args.seed, refit=True)
        search.fit(X_train, y_train)
        results[name] = {"cv": float(abs(search.best_score_))}
        if regression:
            pred = search.predict(X_test)
            results[name]["test"] = float(mean_squared_error(y_test, pred, squared=False))
            results[name]["test_r2"] = float(r2_score(y_test, pred))
        else:
            results[name]["test"] = float(roc_auc_score(y_test, search.predict_proba(X_test)[:, 1]))
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "families": results}))


if __name__ == "__main__":
    main()
