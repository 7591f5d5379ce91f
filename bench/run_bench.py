#!/usr/bin/python3
"""`make bench`: mlpipe side by side with its peers, in one run, on this machine.

Each measurement is repeated and the median is reported, with the ratio
peer / mlpipe (above 1 means mlpipe is faster). Results also go to
bench/out/results.json."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")


def timed(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def bench_profile(mlpipe, rows, repeats):
    data = os.path.join(OUT, f"profile_{rows}.csv")
    if not os.path.exists(data):
        print(f"generating {rows} x 20 CSV ...", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_profile_data.py"),
                        "--rows", str(rows), "-o", data], check=True)
    size_mb = os.path.getsize(data) / 1e6
    print(f"profile benchmark: {data} ({size_mb:.0f} MB)", flush=True)
    mine, peer = [], []
    for i in range(repeats):
        # Alternate so both see the same machine load.
        mine.append(timed([mlpipe, "-q", "data", "profile", data,
                           "--json", os.path.join(OUT, "profile.json")]))
        out = subprocess.run([sys.executable, os.path.join(HERE, "pandas_profile.py"), data],
                             check=True, capture_output=True, text=True)
        peer.append(float(out.stdout.strip()))
        print(f"  run {i + 1}: mlpipe {mine[-1]:.3f} s   pandas {peer[-1]:.3f} s", flush=True)
    m, p = statistics.median(mine), statistics.median(peer)
    print(f"  median: mlpipe read+profile {m:.3f} s (wall, whole process); "
          f"pandas read_csv+describe+value_counts+corr {p:.3f} s (in-process)")
    print(f"  ratio pandas/mlpipe: {p / m:.2f}x   (target >= 5x; profile under 2 s: "
          f"{'yes' if m < 2 else 'NO'})")
    return {"rows": rows, "mlpipe_s": mine, "pandas_s": peer, "median_mlpipe_s": m,
            "median_pandas_s": p, "ratio": p / m}


TRAIN_CASES = {
    # name: (file, target, positive class or None for regression, families, metric)
    "credit_data": ("credit_data.csv", "Status", "bad", "logreg,gbdt,rf", "roc_auc"),
    "diamonds": ("diamonds.csv", "price", None, "ridge,gbdt,rf", "rmse"),
}


def bench_train(mlpipe, case, trials, repeats):
    file, target, positive, models, metric = TRAIN_CASES[case]
    data = os.path.join(HERE, "..", "examples", "data", file)
    preds = os.path.join(OUT, f"train_{case}_predictions.csv")
    cmd = [mlpipe, "-q", "train", "--data", data, "--target", target, "--models", models,
           "--search", f"random:{trials}", "--cv", "5", "--metric", metric, "--seed", "1",
           "--json", "--predictions", preds]
    if positive:
        cmd += ["--positive", positive]
    peer_cmd = [sys.executable, os.path.join(HERE, "sklearn_train.py"), "--data", data,
                "--target", target, "--test-rows", preds, "--trials", str(trials)]
    if positive:
        peer_cmd += ["--positive", positive]
    print(f"train benchmark: {case}, 3 families x {trials} random trials x 5-fold CV", flush=True)
    mine, peer = [], []
    for i in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        mine.append(time.perf_counter() - t0)
        board = json.loads(out.stdout)
        ours = {row["family"]: row["test"][metric]["value"] for row in board["leaderboard"]}
        res = json.loads(subprocess.run(peer_cmd, check=True, capture_output=True,
                                        text=True).stdout)
        peer.append(res["seconds"])
        theirs = {k: v["test"] for k, v in res["families"].items()}
        print(f"  run {i + 1}: mlpipe {mine[-1]:.2f} s   scikit-learn {peer[-1]:.2f} s", flush=True)
    m, p = statistics.median(mine), statistics.median(peer)
    better = max if metric == "roc_auc" else min
    print(f"  test {metric} per family: mlpipe " +
          ", ".join(f"{k} {v:.4f}" for k, v in ours.items()) + "; scikit-learn " +
          ", ".join(f"{k} {v:.4f}" for k, v in theirs.items()))
    print(f"  best test {metric}: mlpipe {better(ours.values()):.4f}, "
          f"scikit-learn {better(theirs.values()):.4f}")
    print(f"  median: mlpipe {m:.2f} s (wall, whole process), scikit-learn {p:.2f} s "
          f"(in-process); ratio {p / m:.2f}x (target >= 3x)")
    return {"case": case, "mlpipe_s": mine, "sklearn_s": peer, "ratio": p / m,
            "mlpipe_test": ours, "sklearn_test": theirs}


FIT_CASES = [
    # (label, data file, target, positive class or None, task)
    ("credit_data", "credit_data.csv", "Status", "bad", "binary"),
    ("diamonds cut=Ideal", "diamonds.csv", "cut", "Ideal", "binary"),
    ("diamonds price", "diamonds.csv", "price", None, "regression"),
]
XGB_PARAMS = {"n_estimators": 200, "max_depth": 6, "learning_rate": 0.1, "subsample": 0.8,
              "colsample_bytree": 0.8, "min_child_weight": 1, "reg_lambda": 1}


def bench_fit(fit_bench, repeats):
    """(a) XGBoost through mlpipe vs the Python xgboost package and (b) logistic
    regression vs scikit-learn: the same matrix, the same hyperparameters."""
    sys.path.insert(0, HERE)
    import py_fit
    results = []
    print("fit benchmark: same matrix, same hyperparameters, fit time only", flush=True)
    for label, file, target, positive, task in FIT_CASES:
        src = os.path.join(HERE, "..", "examples", "data", file)
        matrix = py_fit.make_matrix(src, target, positive,
                                    os.path.join(OUT, f"fit_{label.replace(' ', '_')}.csv"))
        runs = [("gbdt", XGB_PARAMS, "xgboost", lambda: py_fit.fit_xgboost(
            matrix, task, XGB_PARAMS, repeats))]
        if task == "binary":
            runs.append(("logreg", {"C": 1.0}, "scikit-learn liblinear",
                         lambda: py_fit.fit_logreg(matrix, {"C": 1.0}, repeats, "liblinear")))
            runs.append(("logreg", {"C": 1.0}, "scikit-learn lbfgs",
                         lambda: py_fit.fit_logreg(matrix, {"C": 1.0}, repeats, "lbfgs")))
        for family, params, peer_name, peer_fit in runs:
            out = subprocess.run([fit_bench, "--matrix", matrix, "--family", family, "--task",
                                  task, "--params", json.dumps(params), "--repeats",
                                  str(repeats)], check=True, capture_output=True, text=True)
            mine = json.loads(out.stdout)
            peer = peer_fit()
            m, p = statistics.median(mine["fit_s"]), statistics.median(peer["fit_s"])
            print(f"  {label} ({mine['rows']} x {mine['features']}), {family} vs {peer_name}: "
                  f"mlpipe {m * 1000:.1f} ms, peer {p * 1000:.1f} ms, ratio peer/mlpipe "
                  f"{p / m:.2f}x; mean prediction {mine['mean_prediction']:.5f} vs "
                  f"{peer['mean_prediction']:.5f}", flush=True)
            results.append({"case": label, "family": family, "peer": peer_name,
                            "mlpipe_s": mine["fit_s"], "peer_s": peer["fit_s"], "ratio": p / m,
                            "mlpipe_mean_prediction": mine["mean_prediction"],
                            "peer_mean_prediction": peer["mean_prediction"]})
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mlpipe", required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--suites", default="profile,fit,train",
                    help="comma-separated: profile, fit, train")
    ap.add_argument("--fit-bench", default=None,
                    help="the fit_bench binary (default: beside --mlpipe)")
    ap.add_argument("--train-cases", default="credit_data,diamonds")
    ap.add_argument("--train-trials", type=int, default=20)
    ap.add_argument("--train-repeats", type=int, default=3)
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    mlpipe = os.path.abspath(args.mlpipe)
    suites = args.suites.split(",")
    results = {}
    if "profile" in suites:
        results["profile"] = bench_profile(mlpipe, args.rows, args.repeats)
    if "fit" in suites:
        fit_bench = os.path.abspath(args.fit_bench or os.path.join(os.path.dirname(mlpipe),
                                                                   "fit_bench"))
        results["fit"] = bench_fit(fit_bench, args.repeats)
    if "train" in suites:
        results["train"] = [bench_train(mlpipe, c, args.train_trials, args.train_repeats)
                            for c in args.train_cases.split(",")]
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
