#!/usr/bin/python3
"""The pandas side of the profiling benchmark: read_csv, describe, value_counts
of every text column and the numeric correlation matrix (pandas computes on one
thread). Prints the wall and the CPU seconds taken, measured inside the
interpreter (start-up and imports not counted)."""
import sys
import time

import pandas as pd

t0, cpu0 = time.perf_counter(), time.process_time()
df = pd.read_csv(sys.argv[1])
df.describe(include="all")
for c in df.columns:
    if df[c].dtype == object:
        df[c].value_counts()
df.corr(numeric_only=True)
print(f"{time.perf_counter() - t0:.4f} {time.process_time() - cpu0:.4f}")
