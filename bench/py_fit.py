#!/usr/bin/python3
"""The Python side of the fit benchmark: builds the shared numeric matrices and
times the Python packages fitting them with the same hyperparameters as
build/bin/fit_bench.

Matrices: one-hot encoded categoricals, standardised numbers, median-imputed,
and a column "label" (class index for classification, the value for
regression). Both sides read the same CSV."""
import json
import os
import statistics
import time

import numpy as np
import pandas as pd


def make_matrix(src, target, positive, out):
    df = pd.read_csv(src)
    y = df.pop(target)
    if positive is not None:
        y = (y.astype(str) == positive).astype(int)
    num = df.select_dtypes(include="number")
    num = num.fillna(num.median())
    num = (num - num.mean()) / num.std(ddof=0).replace(0, 1)
    cat = pd.get_dummies(df.select_dtypes(exclude="number").astype(str), dtype=float)
    x = pd.concat([num, cat], axis=1)
    x.columns = [f"f{i}" for i in range(x.shape[1])]
    x["label"] = y.values
    x.to_csv(out, index=False, float_format="%.7g")
    return out


def load(path):
    m = pd.read_csv(path)
    y = m.pop("label").to_numpy()
    return m.to_numpy(dtype=np.float32), y


def fit_xgboost(path, task, params, repeats, threads=2):
    import xgboost as xgb
    x, y = load(path)
    booster_params = {
        "objective": "binary:logistic" if task == "binary" else "reg:squarederror",
        "tree_method": "hist", "seed": 1, "nthread": threads, "verbosity": 0,
        "max_depth": int(params.get("max_depth", 6)),
        "eta": params.get("learning_rate", 0.1),
        "subsample": params.get("subsample", 1), "colsample_bytree": params.get("colsample_bytree", 1),
        "min_child_weight": params.get("min_child_weight", 1),
        "reg_lambda": params.get("reg_lambda", 1),
    }
    rounds = int(params.get("n_estimators", 100))
    times, cpu, mean_pred = [], [], None
    for i in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        d = xgb.DMatrix(x, label=y, nthread=threads)
        b = xgb.train(booster_params, d, num_boost_round=rounds)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if i == 0:
            mean_pred = float(np.mean(b.predict(d)))
    return {"fit_s": times, "fit_cpu_s": cpu, "mean_prediction": mean_pred}


def fit_logreg(path, params, repeats, solver, threads=2):
    """liblinear is single-threaded; lbfgs runs numpy / BLAS on `threads`."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits
    x, y = load(path)
    times, cpu, mean_pred = [], [], None
    for i in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        with threadpool_limits(limits=threads):
            m = LogisticRegression(C=params.get("C", 1.0), solver=solver, max_iter=1000).fit(x, y)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if i == 0:
            mean_pred = float(np.mean(m.predict_proba(x)[:, 1]))
    return {"fit_s": times, "fit_cpu_s": cpu, "mean_prediction": mean_pred}


def median(v):
    return statistics.median(v)
