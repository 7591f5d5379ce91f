#!/usr/bin/python3
"""`make bench`: mlpipe side by side with its peers, in one run, on this machine.

Each measurement is repeated and the median is reported, with the ratio
peer / mlpipe (above 1 means mlpipe is faster). Results also go to
bench/out/results.json."""
import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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
    if not positive:
        # RMSE is in the target's unit; R² (scale-free) is what "within 0.01" is
        # judged on. mlpipe's from its best model's test predictions, both
        # through scikit-learn's r2_score.
        from sklearn.metrics import r2_score
        rows = list(csv.DictReader(open(preds)))
        r2_ours = r2_score([float(r["label"]) for r in rows],
                           [float(r["prediction"]) for r in rows])
        best_family = min(theirs, key=theirs.get)
        r2_theirs = res["families"][best_family]["test_r2"]
        print(f"  best test R²: mlpipe {r2_ours:.4f}, scikit-learn {r2_theirs:.4f} "
              f"({best_family}); difference {r2_ours - r2_theirs:+.4f} (target within 0.01)")
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


RUN_STEPS = ["ingest", "validate", "profile", "governance", "split", "features", "train",
             "evaluate", "compare", "register", "gates"]


def children_cpu():
    """User + system CPU seconds of the waited-for children (and their descendants)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def bench_run(mlpipe, repeats):
    """`mlpipe run` of examples/credit-risk (3 families x 20 trials x 5-fold CV, every
    step from ingest to the gates) against bench/sklearn_pipeline.py doing the same
    steps; both timed as whole processes. Each repeat starts from a fresh copy of the
    example, so the step cache and the store are empty."""
    examples = os.path.join(HERE, "..", "examples")
    print("run benchmark: mlpipe run of examples/credit-risk (3 families x 20 trials x "
          "5-fold CV) vs bench/sklearn_pipeline.py", flush=True)
    mine, cached, peer, peer_inproc, mine_cpu, peer_cpu = [], [], [], [], [], []
    mine_steps, peer_steps = [], []
    ours = theirs = None
    for i in range(repeats):
        tmp = tempfile.mkdtemp(prefix="mlpipe_run_bench_")
        try:
            shutil.copytree(os.path.join(examples, "credit-risk"),
                            os.path.join(tmp, "examples", "credit-risk"))
            shutil.copytree(os.path.join(examples, "data"), os.path.join(tmp, "examples", "data"))
            project = os.path.join(tmp, "examples", "credit-risk")
            # Exit 1 is expected: the example's fairness gates fail.
            t0, cpu0 = time.perf_counter(), children_cpu()
            out = subprocess.run([mlpipe, "-q", "--json", "run", "--no-cache"], cwd=project,
                                 capture_output=True, text=True)
            mine.append(time.perf_counter() - t0)
            mine_cpu.append(children_cpu() - cpu0)
            if out.returncode not in (0, 1):
                sys.exit(f"mlpipe run exited {out.returncode}:\n{out.stderr}")
            doc = json.loads(out.stdout)
            ours = {"best": doc["train"]["best"], "roc_auc": next(
                k["value"] for k in doc["evaluate"]["kpis"] if k["metric"] == "roc_auc"),
                "families": {r["family"]: r["test"]["roc_auc"]["value"]
                             for r in doc["train"]["leaderboard"]},
                "exit": out.returncode}
            mine_steps.append({s["name"]: s["seconds"] for s in doc["steps"]})
            t0 = time.perf_counter()
            out = subprocess.run([mlpipe, "-q", "run"], cwd=project, capture_output=True,
                                 text=True)
            cached.append(time.perf_counter() - t0)
            if out.returncode not in (0, 1):
                sys.exit(f"cached mlpipe run exited {out.returncode}:\n{out.stderr}")
            t0, cpu0 = time.perf_counter(), children_cpu()
            out = subprocess.run([sys.executable, os.path.join(HERE, "sklearn_pipeline.py"),
                                  "--data", os.path.join(tmp, "examples", "data", "credit-g.csv"),
                                  "--out", os.path.join(tmp, "sklearn_run")],
                                 cwd=tmp, check=True, capture_output=True, text=True)
            peer.append(time.perf_counter() - t0)
            peer_cpu.append(children_cpu() - cpu0)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            peer_inproc.append(res["seconds"])
            peer_steps.append(res["steps"])
            theirs = {"best": res["best"], "roc_auc": res["best_test_roc_auc"],
                      "families": {k: v["test"] for k, v in res["families"].items()}}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"  run {i + 1}: mlpipe {mine[-1]:.2f} s (cached re-run {cached[-1]:.3f} s, "
              f"CPU {mine_cpu[-1]:.2f} s)   scikit-learn {peer[-1]:.2f} s (CPU "
              f"{peer_cpu[-1]:.2f} s)   load average {os.getloadavg()[0]:.2f}", flush=True)
    m, c, p = statistics.median(mine), statistics.median(cached), statistics.median(peer)
    med_m = {k: statistics.median(s.get(k, 0) for s in mine_steps) for k in RUN_STEPS}
    med_p = {k: statistics.median(s.get(k, 0) for s in peer_steps) for k in
             ["imports"] + RUN_STEPS}
    print("  median seconds per step, mlpipe: " +
          ", ".join(f"{k} {v:.3f}" for k, v in med_m.items()))
    print("  median seconds per step, scikit-learn: " +
          ", ".join(f"{k} {v:.3f}" for k, v in med_p.items()))
    print("  test roc_auc per family: mlpipe " +
          ", ".join(f"{k} {v:.4f}" for k, v in ours["families"].items()) + "; scikit-learn " +
          ", ".join(f"{k} {v:.4f}" for k, v in theirs["families"].items()))
    print(f"  best model's test roc_auc: mlpipe {ours['roc_auc']:.4f} ({ours['best']}), "
          f"scikit-learn {theirs['roc_auc']:.4f} ({theirs['best']})")
    print(f"  median: mlpipe run {m:.2f} s (wall, whole process; under 10 s: "
          f"{'yes' if m < 10 else f'NO, {m - 10:.2f} s over'}), cached re-run {c:.3f} s; "
          f"scikit-learn {p:.2f} s (wall, whole process; {statistics.median(peer_inproc):.2f} s "
          f"in-process)")
    print(f"  ratio scikit-learn/mlpipe: {p / m:.2f}x (target >= 3x: "
          f"{'yes' if p / m >= 3 else 'NO'})", flush=True)
    mc, pc = statistics.median(mine_cpu), statistics.median(peer_cpu)
    print(f"  median CPU seconds (user + system, whole process tree): mlpipe {mc:.2f} s, "
          f"scikit-learn {pc:.2f} s; ratio {pc / mc:.2f}x", flush=True)
    return {"mlpipe_s": mine, "mlpipe_cached_s": cached, "sklearn_s": peer,
            "sklearn_inprocess_s": peer_inproc, "median_mlpipe_s": m, "median_cached_s": c,
            "median_sklearn_s": p, "ratio": p / m, "mlpipe_cpu_s": mine_cpu,
            "sklearn_cpu_s": peer_cpu, "mlpipe_steps_median_s": med_m,
            "sklearn_steps_median_s": med_p, "mlpipe": ours, "sklearn": theirs}


def make_gb_csv(path, target_bytes=1_000_000_000):
    """A ~1 GB CSV: the 1M-row profile table's rows repeated under one header,
    cut at a record boundary once `target_bytes` is reached."""
    src = os.path.join(OUT, "profile_1000000.csv")
    if not os.path.exists(src):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_profile_data.py"),
                        "--rows", "1000000", "-o", src], check=True)
    with open(src, "rb") as f:
        header = f.readline()
        body = f.read()
    tmp = path + ".part"
    with open(tmp, "wb") as out:
        out.write(header)
        written = len(header)
        while written + len(body) <= target_bytes:
            out.write(body)
            written += len(body)
        cut = body.rfind(b"\n", 0, target_bytes - written) + 1
        out.write(body[:cut])
    os.replace(tmp, path)


def store_line(label, value_s, target_s, unit="ms"):
    scale = 1000 if unit == "ms" else 1
    return (f"{label}: {value_s * scale:.2f} {unit} (target < {target_s * scale:g} {unit}: "
            f"{'yes' if value_s < target_s else 'NO'}, {value_s / target_s:.2f}x the budget)")


def bench_store(mlpipe, store_bench, repeats, runs):
    """The metadata store: a 1,000-metric batch, 1M metric points, run search
    over `runs` runs (SQLite and PostgreSQL side by side), and `data add` of a
    1 GB file against sha256sum on the same file."""
    root = os.path.dirname(HERE)
    load = os.getloadavg()
    print(f"store benchmark (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"{os.cpu_count()} CPUs)", flush=True)
    res = {"load_before": load}
    tmpdir = os.path.join(OUT, "store_tmp")
    subprocess.run(["rm", "-rf", tmpdir], check=True)
    os.makedirs(tmpdir)

    def run_json(cmd):
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stderr}")
        return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]

    sqlite = {}
    sqlite["batch"] = run_json([store_bench, "batch", os.path.join(tmpdir, "batch.db"), "50"])[0]
    sqlite["points"] = run_json([store_bench, "points", os.path.join(tmpdir, "points.db"),
                                 "1000"])[0]
    search_db = os.path.join(OUT, f"store_search_{runs}.db")
    sqlite["search"] = run_json([store_bench, "search", search_db, str(runs), "20", mlpipe])[0]
    # The search store first, while the database holds nothing else.
    pg_cmd = " && ".join([f"'{store_bench}' search pg {runs} 20 '{mlpipe}'",
                          f"'{store_bench}' batch pg 50", f"'{store_bench}' points pg 1000"])
    pg_list = run_json([os.path.join(root, "scripts", "with_postgres.sh"), "sh", "-c", pg_cmd])
    pg = {j["mode"]: j for j in pg_list}
    res["sqlite"], res["postgresql"] = sqlite, pg
    if "build_s" in sqlite["search"]:
        print(f"  (built the SQLite search store of {runs} runs in "
              f"{sqlite['search']['build_s']:.1f} s, cached at {search_db})")
    print(f"  PostgreSQL search store of {runs} runs built in {pg['search']['build_s']:.1f} s")
    for name, r in (("SQLite", sqlite), ("PostgreSQL", pg)):
        print("  " + store_line(f"{name:10s} LogMetrics, one 1,000-point batch (median of 50)",
                                r["batch"]["median_s"], 0.010), flush=True)
    for name, r in (("SQLite", sqlite), ("PostgreSQL", pg)):
        print("  " + store_line(f"{name:10s} 1,000,000 metric points (1,000 batches)",
                                r["points"]["total_s"], 5.0, "s"), flush=True)
    for name, r in (("SQLite", sqlite), ("PostgreSQL", pg)):
        s = r["search"]
        print("  " + store_line(f"{name:10s} SearchRuns over {runs} runs, {s['matches']} match "
                                f"(median of 20)", s["median_search_s"], 0.200), flush=True)
        print("  " + store_line(f"{name:10s} `mlpipe runs search` whole process (median of "
                                f"{len(s['cli_s'])})", s["median_cli_s"], 0.200), flush=True)
    print(f"  SQLite / PostgreSQL: batch {sqlite['batch']['median_s'] / pg['batch']['median_s']:.2f}x, "
          f"points {sqlite['points']['total_s'] / pg['points']['total_s']:.2f}x, search "
          f"{sqlite['search']['median_search_s'] / pg['search']['median_search_s']:.2f}x "
          f"(below 1: SQLite faster)", flush=True)

    big = os.path.join(OUT, "store_1gb.csv")
    if not os.path.exists(big):
        print("  generating the 1 GB CSV ...", flush=True)
        make_gb_csv(big)
    size_gb = os.path.getsize(big) / 1e9
    project = os.path.join(tmpdir, "add_project")
    timed(["sha256sum", big])  # warms the page cache for both
    mine, peer = [], []
    for i in range(repeats):
        subprocess.run(["rm", "-rf", project], check=True)
        os.makedirs(project)
        peer.append(timed(["sha256sum", big]))
        mine.append(timed([mlpipe, "-q", "--project", project, "data", "add", big,
                           "--name", "big"]))
        print(f"    run {i + 1}: mlpipe data add {mine[-1]:.2f} s   sha256sum {peer[-1]:.2f} s",
              flush=True)
    subprocess.run(["rm", "-rf", project], check=True)
    m, p = statistics.median(mine), statistics.median(peer)
    print(f"  data add of {size_gb:.2f} GB: mlpipe {m:.2f} s, sha256sum {p:.2f} s; ratio "
          f"mlpipe/sha256sum {m / p:.2f}x (target <= 1.3x: {'yes' if m / p <= 1.3 else 'NO'})")
    res["data_add"] = {"bytes": os.path.getsize(big), "mlpipe_s": mine, "sha256sum_s": peer,
                       "ratio": m / p}
    subprocess.run(["rm", "-rf", tmpdir], check=True)
    res["load_after"] = os.getloadavg()
    print(f"  load average after: {res['load_after'][0]:.2f}", flush=True)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mlpipe", required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--suites", default="profile,fit,train,store,run,tracking",
                    help="comma-separated: profile, fit, train, store, run, tracking")
    ap.add_argument("--store-bench", default=None,
                    help="the store_bench binary (default: beside --mlpipe)")
    ap.add_argument("--store-runs", type=int, default=100_000,
                    help="runs in the store that the run-search benchmark queries")
    ap.add_argument("--store-repeats", type=int, default=3,
                    help="repeats of the 1 GB data add (and of sha256sum)")
    ap.add_argument("--fit-bench", default=None,
                    help="the fit_bench binary (default: beside --mlpipe)")
    ap.add_argument("--train-cases", default="credit_data,diamonds")
    ap.add_argument("--train-trials", type=int, default=20)
    ap.add_argument("--train-repeats", type=int, default=3)
    ap.add_argument("--run-repeats", type=int, default=3,
                    help="repeats of `mlpipe run` of examples/credit-risk (and of the "
                         "scikit-learn script)")
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
    if "store" in suites:
        store_bench = os.path.abspath(args.store_bench or os.path.join(
            os.path.dirname(mlpipe), "store_bench"))
        results["store"] = bench_store(mlpipe, store_bench, args.store_repeats, args.store_runs)
    if "run" in suites:
        results["run"] = bench_run(mlpipe, args.run_repeats)
    if "tracking" in suites:
        sys.path.insert(0, HERE)
        from tracking_bench import bench_tracking
        results["tracking"] = bench_tracking(os.path.join(os.path.dirname(mlpipe),
                                                          "tracking_api_bench"), args.repeats)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
