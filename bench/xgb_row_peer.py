#!/usr/bin/python3
"""XGBoost's own single-row prediction (python3-xgboost, Booster.inplace_predict on
one row, nthread 1) of a saved model, on the feature rows predictor_bench wrote.

usage: xgb_row_peer.py MODEL.json FEATURES.f32 COLS
Prints the median microseconds per call over 5 rounds of 2,000 calls."""
import statistics
import sys
import time

import numpy as np
import xgboost as xgb

model, features, cols = sys.argv[1], sys.argv[2], int(sys.argv[3])
booster = xgb.Booster()
booster.load_model(model)
booster.set_param({"nthread": 1})
x = np.fromfile(features, dtype=np.float32).reshape(-1, cols)
rows = [x[i:i + 1] for i in range(min(len(x), 2000))]
for r in rows[:200]:
    booster.inplace_predict(r)
per_call = []
for _ in range(5):
    t0 = time.perf_counter()
    for r in rows:
        booster.inplace_predict(r)
    per_call.append((time.perf_counter() - t0) / len(rows) * 1e6)
print(f"{statistics.median(per_call):.3f}")
