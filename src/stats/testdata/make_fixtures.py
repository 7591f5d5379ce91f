#!/usr/bin/python3
"""Golden case files for the stats module: deterministic inputs (seeded numpy)
with the answers of scipy / numpy / pandas written beside them.

Usage (tests/support/fixture_main.py):
  /usr/bin/python3 make_fixtures.py OUT_DIR        write the files into OUT_DIR
  /usr/bin/python3 make_fixtures.py --check DIR    regenerate into a temporary folder;
                                                   exit 1 if a file differs from DIR's

Run with Debian's Python (scipy 1.10, numpy 1.24, pandas 1.5, scikit-learn 1.2:
mutual information is sklearn.metrics.mutual_info_score's). JSON has no NaN:
NaN is null.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance
from sklearn.metrics import mutual_info_score

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "support"))
import fixture_main  # noqa: E402

FILES = ["descriptive", "quantile", "histogram", "association", "outliers",
         "hypothesis", "distance", "bootstrap"]


def num(x):
    """A float for JSON: NaN becomes None (null)."""
    x = float(x)
    return None if math.isnan(x) else x


def arr(xs):
    return [num(v) for v in xs]


def rng(seed):
    return np.random.default_rng(seed)


def descriptive():
    r = rng(1)
    samples = {
        "normal_200": r.normal(3.0, 2.0, 200),
        "lognormal_150": r.lognormal(0.0, 0.8, 150),
        "offset_1e4": 1e4 + r.normal(0.0, 1.0, 100),
        "small_5": np.array([1.0, 2.0, 2.0, 3.5, 10.0]),
        "two_values": np.array([4.0, 7.0]),
        "constant": np.full(10, 0.1),
        "single": np.array([42.0]),
    }
    cases = []
    for name, x in samples.items():
        s = pd.Series(x)
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                case = {
                    "name": name,
                    "x": arr(x),
                    "count": len(x),
                    "mean": num(np.mean(x)),
                    "var_ddof1": num(np.var(x, ddof=1)) if len(x) > 1 else None,
                    "var_ddof0": num(np.var(x, ddof=0)),
                    "min": num(np.min(x)),
                    "max": num(np.max(x)),
                    "skew_unbiased": num(stats.skew(x, bias=False)) if len(x) > 2 else None,
                    "skew_biased": num(stats.skew(x, bias=True)),
                    "kurt_unbiased": num(stats.kurtosis(x, bias=False)) if len(x) > 3 else None,
                    "kurt_biased": num(stats.kurtosis(x, bias=True)),
                    "pandas_skew": num(s.skew()),
                    "pandas_kurt": num(s.kurt()),
                }
        cases.append(case)
    return {"source": "numpy.mean/var, scipy.stats.skew/kurtosis, pandas Series.skew/kurt",
            "cases": cases}


def quantile():
    r = rng(2)
    qs = [0.0, 0.01, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 0.99, 1.0]
    samples = {
        "normal_101": r.normal(0, 1, 101),
        "uniform_1000": r.uniform(-5, 5, 1000),
        "ties": np.round(r.normal(0, 2, 60)),
        "two": np.array([1.0, 3.0]),
        "single": np.array([-2.5]),
    }
    cases = [{"name": k, "x": arr(x), "q": qs, "expected": arr(np.quantile(x, qs))}
             for k, x in samples.items()]
    return {"source": "numpy.quantile(x, q) (method='linear')", "cases": cases}


def histogram():
    r = rng(3)
    eq = []
    for name, x, bins in [("normal_10", r.normal(0, 1, 500), 10),
                          ("uniform_7", r.uniform(0, 1, 300), 7),
                          ("integers_5", r.integers(0, 10, 200).astype(float), 5),
                          ("tenths_3", np.round(r.uniform(0, 1, 100), 1), 3)]:
        counts, edges = np.histogram(x, bins=bins)
        eq.append({"name": name, "x": arr(x), "bins": bins, "edges": arr(edges),
                   "counts": [int(c) for c in counts]})
    qh = []
    for name, x, bins in [("exponential_10", r.exponential(1.0, 400), 10),
                          ("ties_8", np.round(r.exponential(1.0, 200)), 8),
                          ("normal_4", r.normal(0, 1, 101), 4)]:
        edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
        counts, _ = np.histogram(x, bins=edges)
        qh.append({"name": name, "x": arr(x), "bins": bins, "edges": arr(edges),
                   "counts": [int(c) for c in counts]})
    cats = ["red", "green", "blue", "cyan", "magenta", "yellow", "black"]
    codes = r.choice([-1, 0, 1, 2, 3, 4, 5], size=300,
                     p=[0.05, 0.3, 0.2, 0.2, 0.15, 0.05, 0.05])
    vc = pd.Series([cats[c] for c in codes if c >= 0]).value_counts()
    ordered = sorted(vc.items(), key=lambda kv: (-kv[1], kv[0]))
    k = 3
    cc = {"codes": [int(c) for c in codes], "categories": cats, "k": k,
          "top": [[v, int(c)] for v, c in ordered[:k]],
          "other": int(sum(c for _, c in ordered[k:])), "distinct": len(ordered)}
    return {"source": "numpy.histogram; quantile edges numpy.unique(numpy.quantile(x, "
                      "numpy.linspace(0, 1, bins + 1))); pandas value_counts",
            "equal_width": eq, "quantile": qh, "categories": cc}


def association():
    r = rng(4)
    num_cases = []
    x = r.normal(0, 1, 200)
    for name, xv, yv in [("linear_noise", x, 2 * x + r.normal(0, 1, 200)),
                         ("monotone", x, np.exp(x)),
                         ("ties", np.round(x), np.round(x + r.normal(0, 1, 200))),
                         ("negative", x, -x + 0.1 * r.normal(0, 1, 200)),
                         ("small", np.array([1.0, 2, 3, 4, 5]), np.array([2.0, 1, 4, 3, 5]))]:
        num_cases.append({"name": name, "x": arr(xv), "y": arr(yv),
                          "pearson": num(stats.pearsonr(xv, yv)[0]),
                          "spearman": num(stats.spearmanr(xv, yv)[0])})
    rank_cases = [{"x": arr(v), "ranks": arr(stats.rankdata(v))}
                  for v in [np.array([3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]),
                            np.round(r.normal(0, 1, 50), 1), np.array([7.0])]]
    cat_cases = []
    for name, ka, kb, n, dep in [("independent", 4, 3, 500, False), ("dependent", 5, 4, 800, True),
                                 ("binary", 2, 2, 120, True), ("unused_category", 6, 3, 300, True)]:
        a = r.integers(0, ka - (1 if name == "unused_category" else 0), n)
        b = (a + r.integers(0, 2, n)) % kb if dep else r.integers(0, kb, n)
        table = pd.crosstab(a, b).values
        v = stats.contingency.association(table, method="cramer")
        cat_cases.append({"name": name, "a": [int(t) for t in a], "ka": ka,
                          "b": [int(t) for t in b], "kb": kb, "cramers_v": num(v),
                          "mutual_information": float(mutual_info_score(a, b))})
    eta_cases = []
    for name, k, n, shift in [("separated", 3, 300, 2.0), ("weak", 4, 400, 0.1)]:
        codes = r.integers(0, k, n)
        vals = r.normal(0, 1, n) + shift * codes
        df = pd.DataFrame({"c": codes, "v": vals})
        mean = vals.mean()
        g = df.groupby("c")["v"].agg(["mean", "count"])
        ssb = float((g["count"] * (g["mean"] - mean) ** 2).sum())
        sst = float(((vals - mean) ** 2).sum())
        eta_cases.append({"name": name, "values": arr(vals), "codes": [int(c) for c in codes],
                          "k": k, "eta": math.sqrt(ssb / sst)})
    return {"source": "scipy.stats.pearsonr, spearmanr, rankdata, "
                      "contingency.association(method='cramer'); eta by pandas groupby; "
                      "sklearn.metrics.mutual_info_score",
            "numeric": num_cases, "rank": rank_cases, "categorical": cat_cases,
            "correlation_ratio": eta_cases}


def outliers():
    r = rng(5)
    x = np.concatenate([r.normal(0, 1, 300), [6.5, -7.0, 9.0, 4.2]])
    q1, q3 = np.percentile(x, [25, 75])
    cases = []
    for k in [1.5, 3.0]:
        lo, hi = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
        cases.append({"k": k, "low": lo, "high": hi, "outside": int(np.sum((x < lo) | (x > hi)))})
    z = np.abs(stats.zscore(x))
    zc = [{"threshold": t, "count": int(np.sum(z > t))} for t in [2.0, 3.0]]
    return {"source": "numpy.percentile; scipy.stats.zscore (ddof 0)",
            "x": arr(x), "q1": q1, "q3": q3, "mean": float(np.mean(x)),
            "std": float(np.std(x)), "iqr": cases, "zscore": zc}


def hypothesis():
    r = rng(6)
    ks = []
    specs = [("exact_equal_n", 40, 40, 0.5, "auto"), ("exact_unequal", 30, 47, 0.4, "auto"),
             ("exact_same_dist", 100, 80, 0.0, "auto"), ("exact_shifted", 300, 250, 0.3, "exact"),
             ("asymp_small_en", 30, 40, 0.5, "asymp"), ("asymp_far", 60, 90, 1.5, "asymp"),
             ("asymp_mid", 400, 300, 0.15, "asymp"), ("asymp_close", 500, 700, 0.02, "asymp"),
             ("asymp_large", 1500, 1200, 0.1, "asymp"), ("asymp_tiny_p", 800, 900, 0.5, "asymp"),
             ("ties", 60, 50, 0.3, "auto")]
    for name, n1, n2, shift, method in specs:
        a = np.round(r.normal(0, 1, n1), 3)
        b = np.round(r.normal(shift, 1, n2), 3)
        if name == "ties":
            a, b = np.round(a), np.round(b)
        res = stats.ks_2samp(a, b, method=method)
        ks.append({"name": name, "a": arr(a), "b": arr(b), "method": method,
                   "statistic": num(res.statistic), "pvalue": num(res.pvalue)})
    kstwo = []
    for n in [1, 3, 10, 50, 140, 141, 400, 5000, 100001, 2000000]:
        for d in [0.0, 0.6 / n, 0.9 / n, 1.5 / n, 0.3 / math.sqrt(n), 0.7 / math.sqrt(n),
                  1.0 / math.sqrt(n), 1.6 / math.sqrt(n), 2.5 / math.sqrt(n), 5.0 / math.sqrt(n),
                  0.3, 0.55, 0.9, 1.0]:
            if 0 <= d <= 1:
                kstwo.append({"n": n, "d": d, "sf": num(stats.kstwo.sf(d, n))})
    chi2 = []
    for name, table in [("2x2", [[12, 5], [7, 15]]), ("3x4", r.integers(5, 40, (3, 4))),
                        ("strong", [[50, 2, 3], [4, 45, 6]]), ("1x3", [[3, 4, 5]])]:
        t = np.asarray(table)
        res = stats.chi2_contingency(t, correction=False)
        chi2.append({"name": name, "table": [[int(v) for v in row] for row in t],
                     "statistic": num(res[0]), "pvalue": num(res[1]), "dof": int(res[2])})
    gof = []
    for name, obs, exp, ddof in [("uniform", [16, 18, 16, 14, 12, 12], None, 0),
                                 ("given", [16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8], 0),
                                 ("ddof", [16, 18, 16, 14, 12, 12], None, 1),
                                 ("far", [100, 5, 5, 5], None, 0)]:
        res = stats.chisquare(obs, exp, ddof=ddof)
        gof.append({"name": name, "observed": obs, "expected": exp, "ddof": ddof,
                    "statistic": num(res.statistic), "pvalue": num(res.pvalue),
                    "dof": len(obs) - 1 - ddof})
    z = []
    for x1, n1, x2, n2 in [(45, 100, 30, 100), (120, 1000, 95, 1000), (5, 40, 9, 35),
                           (300, 400, 500, 600)]:
        p1, p2, p = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
        zs = (p1 - p2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
        z.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": zs,
                  "pvalue": float(2 * stats.norm.sf(abs(zs)))})
    return {"source": "scipy.stats.ks_2samp, kstwo.sf, chi2_contingency(correction=False), "
                      "chisquare; z-test as statsmodels proportions_ztest (pooled), by formula "
                      "with scipy.stats.norm",
            "ks_2samp": ks, "kstwo_sf": kstwo, "chi2_contingency": chi2, "chisquare": gof,
            "proportions_ztest": z}


def psi(e, a, eps):
    e = np.asarray(e, float) / np.sum(e)
    a = np.asarray(a, float) / np.sum(a)
    e = np.maximum(e, eps)
    a = np.maximum(a, eps)
    return float(np.sum((a - e) * np.log(a / e)))


def distances():
    r = rng(7)
    psi_cases = []
    for name, e, a in [("stable", [100, 200, 300, 250, 150], [110, 190, 310, 240, 150]),
                       ("shift", [100, 200, 300, 250, 150], [300, 250, 200, 150, 100]),
                       ("empty_bin", [0, 50, 50, 100], [10, 40, 50, 0])]:
        psi_cases.append({"name": name, "expected": e, "actual": a, "epsilon": 1e-4,
                          "psi": psi(e, a, 1e-4)})
    js = []
    for name, p, q in [("simple", [1.0, 0, 0], [0, 1.0, 0]), ("close", [0.2, 0.3, 0.5],
                                                              [0.25, 0.25, 0.5]),
                       ("unnormalised", [10, 20, 30, 0], [5, 5, 5, 5]),
                       ("random", r.uniform(0, 1, 20), r.uniform(0, 1, 20))]:
        for base in [None, 2.0]:
            js.append({"name": name, "p": arr(p), "q": arr(q), "base": base,
                       "value": num(distance.jensenshannon(p, q, base=base))})
    ws = []
    for name, u, v, uw, vw in [
            ("normal", r.normal(0, 1, 200), r.normal(0.5, 1.5, 150), None, None),
            ("ties", np.round(r.normal(0, 1, 50)), np.round(r.normal(0, 1, 60)), None, None),
            ("weighted", r.uniform(0, 5, 30), r.uniform(1, 6, 40), r.uniform(0, 2, 30),
             r.uniform(0, 2, 40)),
            ("scipy_doc", np.array([3.4, 3.9, 7.5, 7.8]), np.array([4.5, 1.4]),
             np.array([1.4, 0.9, 3.1, 7.2]), np.array([3.2, 3.5]))]:
        val = stats.wasserstein_distance(u, v, uw, vw)
        ws.append({"name": name, "u": arr(u), "v": arr(v),
                   "u_weights": None if uw is None else arr(uw),
                   "v_weights": None if vw is None else arr(vw), "value": num(val)})
    hel = []
    for name, p, q in [("simple", [1.0, 0, 0], [0, 1.0, 0]), ("close", [0.2, 0.3, 0.5],
                                                              [0.25, 0.25, 0.5]),
                       ("random", r.uniform(0, 1, 20), r.uniform(0, 1, 20))]:
        pn = np.asarray(p, float) / np.sum(p)
        qn = np.asarray(q, float) / np.sum(q)
        hel.append({"name": name, "p": arr(p), "q": arr(q),
                    "value": float(np.sqrt(np.sum((np.sqrt(pn) - np.sqrt(qn)) ** 2) / 2))})
    return {"source": "PSI by formula (numpy); scipy.spatial.distance.jensenshannon; "
                      "scipy.stats.wasserstein_distance; Hellinger by formula (numpy)",
            "psi": psi_cases, "jensenshannon": js, "wasserstein": ws, "hellinger": hel}


def bootstrap():
    """Percentile intervals at 95% and at 90% with many resamples, so that
    scipy's own Monte Carlo error (about 0.002 on these bounds) is far below
    the gap between the two levels (about 0.07 for the mean): the test can
    then tell a 90% interval from a 95% one."""
    r = rng(8)
    x = np.round(r.normal(10.0, 2.0, 100), 4)
    cases = []
    for name, fn in [("mean", np.mean), ("median", np.median)]:
        case = {"statistic": name}
        for level, suffix in [(0.95, ""), (0.90, "_90")]:
            res = stats.bootstrap((x,), fn, method="percentile", n_resamples=99999,
                                  confidence_level=level, random_state=np.random.default_rng(9))
            case["low" + suffix] = float(res.confidence_interval.low)
            case["high" + suffix] = float(res.confidence_interval.high)
        cases.append(case)
    return {"source": "scipy.stats.bootstrap(method='percentile', n_resamples=99999, "
                      "confidence_level=0.95 and 0.90); a different RNG from mlpipe's",
            "x": arr(x), "cases": cases}


GENERATORS = {"descriptive": descriptive, "quantile": quantile, "histogram": histogram,
              "association": association, "outliers": outliers, "hypothesis": hypothesis,
              "distance": distances, "bootstrap": bootstrap}


def write_all(out_dir):
    for name in FILES:
        data = GENERATORS[name]()
        text = json.dumps(data, allow_nan=False, separators=(",", ":"))
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            f.write(text + "\n")
    return [name + ".json" for name in FILES]


if __name__ == "__main__":
    sys.exit(fixture_main.main(sys.argv, write_all, __doc__))
