"""Summarises a CSV file as pandas reads it, as JSON: rows, column names,
dtype kind, missing count and sum (numeric columns) per column. The missing
tokens are mlpipe's defaults. The reference for csv_conformance_test.cc.

Usage: pandas_summary.py FILE
"""
import json
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=["", "NA", "N/A", "?", "null", "nan", "NaN", "-nan", "-NaN"])
out = {"rows": len(df), "columns": []}
for name in df.columns:
    s = df[name]
    col = {"name": str(name), "kind": s.dtype.kind, "missing": int(s.isna().sum())}
    if s.dtype.kind in "if":
        col["sum"] = float(s.sum())
    out["columns"].append(col)
print(json.dumps(out))
