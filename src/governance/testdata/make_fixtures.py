#!/usr/bin/python3
"""Reference answers for the governance tests, from scipy, scikit-learn and
Python's hmac, written to reference.json.

Proxies: examples/data/credit-g.csv with a column `sex` derived from
`personal_status` ("male ..." -> male, otherwise female), protected columns
sex and age, every other column but `class` a feature. Per pair:
  categorical x categorical  Cramér's V   scipy.stats.contingency.association
  numeric x categorical      correlation ratio (numpy, between / total SS)
  numeric x numeric          |Pearson r|   scipy.stats.pearsonr
  every pair                 normalised MI sklearn.metrics.normalized_mutual_info_score
                             (numeric columns coded by equal-frequency bins as
                             documented in include/mlpipe/governance/proxies.h)
PII: HMAC-SHA256(key, value) hex digests cut to 16 digits, and quantile
bands of age.

Usage (tests/support/fixture_main.py):
  /usr/bin/python3 make_fixtures.py OUT_DIR        write the files into OUT_DIR
  /usr/bin/python3 make_fixtures.py --check DIR    regenerate into a temporary folder;
                                                   exit 1 if a file differs from DIR's
"""
import hashlib
import hmac
import json
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import contingency
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "support"))
import fixture_main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CREDIT = os.path.join(HERE, "..", "..", "..", "examples", "data", "credit-g.csv")
BINS = 10
PII_KEY = "governance-test-key"
PII_VALUES = ["alice@example.com", "bob@example.org", "+44 20 7946 0958", "SW1A 1AA",
              "1169", "male single", "Zoë Ångström", ""]


def load_credit():
    df = pd.read_csv(CREDIT, dtype=str, keep_default_na=False)
    numeric = []
    for c in df.columns:
        try:
            df[c] = pd.to_numeric(df[c])
            numeric.append(c)
        except ValueError:
            pass
    df["sex"] = np.where(df["personal_status"].str.startswith("male"), "male", "female")
    return df, set(numeric)


def codes(x, is_numeric):
    """Codes of a column: categories for text, equal-frequency bins for numbers."""
    if not is_numeric:
        return pd.factorize(x)[0]
    x = np.asarray(x, dtype=float)
    distinct = np.unique(x)
    if len(distinct) <= BINS:
        return np.searchsorted(distinct, x, side="left")
    edges = np.unique(np.quantile(x, [k / BINS for k in range(1, BINS)]))
    return np.searchsorted(edges, x, side="right")


def correlation_ratio(values, groups):
    values = np.asarray(values, dtype=float)
    mean = values.mean()
    total = ((values - mean) ** 2).sum()
    between = 0.0
    for g in pd.unique(groups):
        v = values[groups == g]
        between += len(v) * (v.mean() - mean) ** 2
    return float(np.sqrt(between / total))


def proxies():
    df, numeric = load_credit()
    protected = ["sex", "age"]
    features = [c for c in df.columns if c not in ("class", "sex", "age")]
    out = []
    for f in features:
        for p in protected:
            fnum, pnum = f in numeric, p in numeric
            x, y = df[f].to_numpy(), df[p].to_numpy()
            if not fnum and not pnum:
                table = pd.crosstab(df[f], df[p]).to_numpy()
                out.append([f, p, "cramers_v",
                            float(contingency.association(table, method="cramer"))])
            elif fnum != pnum:
                values, groups = (x, y) if fnum else (y, x)
                out.append([f, p, "correlation_ratio", correlation_ratio(values, groups)])
            else:
                out.append([f, p, "pearson",
                            abs(float(stats.pearsonr(x.astype(float), y.astype(float))[0]))])
            out.append([f, p, "mutual_information",
                        float(normalized_mutual_info_score(codes(x, fnum), codes(y, pnum)))])
    return {"bins": BINS, "protected": protected, "features": features, "findings": out}


def pii():
    df, _ = load_credit()
    pseudonyms = [[v, hmac.new(PII_KEY.encode(), v.encode(), hashlib.sha256).hexdigest()[:16]]
                  for v in PII_VALUES]
    age = df["age"].to_numpy(dtype=float)
    edges = np.unique(np.quantile(age, [0.25, 0.5, 0.75]))
    bands = np.searchsorted(edges, age, side="right")
    counts = np.bincount(bands, minlength=len(edges) + 1)
    return {"key": PII_KEY, "pseudonyms": pseudonyms,
            "age_quartile_edges": [float(e) for e in edges],
            "age_quartile_counts": [int(c) for c in counts]}


def write_all(out_dir):
    data = {"proxies": proxies(), "pii": pii()}
    with open(os.path.join(out_dir, "reference.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(data, allow_nan=False, indent=1, ensure_ascii=False))
        f.write("\n")
    return ["reference.json"]


if __name__ == "__main__":
    sys.exit(fixture_main.main(sys.argv, write_all, __doc__))
