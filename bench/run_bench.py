#!/usr/bin/python3
"""`make bench`: mlpipe side by side with its peers, in one run, on this machine.

Each measurement is repeated and the median is reported, with the ratio
peer / mlpipe (above 1 means mlpipe is faster), for wall seconds and for CPU
seconds (user + system; of whole process trees where whole processes are
timed). Both sides compute on the same number of threads, --threads (mlpipe
--threads / fit_bench --nthread; n_jobs and nthread on the Python side, BLAS
pools limited with threadpoolctl); pandas and sqlite3 compute on one thread
whatever it is. On a loaded machine the CPU ratio is the steadier figure: the
load average is printed with every suite. Results also go to
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


def children_cpu():
    """User + system CPU seconds of the waited-for children (and their descendants)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd, **kwargs):
    """Runs `cmd` to completion; returns (wall seconds, CPU seconds of its process tree)
    and, with capture_output, the completed process as well."""
    t0, cpu0 = time.perf_counter(), children_cpu()
    capture = kwargs.pop("capture_output", False)
    out = subprocess.run(cmd, check=True, stdout=None if capture else subprocess.DEVNULL,
                         capture_output=capture, text=capture, **kwargs)
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    return (wall, cpu, out) if capture else (wall, cpu)


def load_line():
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def med(values):
    return statistics.median(values)


def bench_profile(mlpipe, rows, repeats, threads):
    data = os.path.join(OUT, f"profile_{rows}.csv")
    if not os.path.exists(data):
        print(f"generating {rows} x 20 CSV ...", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_profile_data.py"),
                        "--rows", str(rows), "-o", data], check=True)
    size_mb = os.path.getsize(data) / 1e6
    print(f"profile benchmark: {data} ({size_mb:.0f} MB); mlpipe --threads {threads}, pandas "
          f"on one thread; {load_line()}", flush=True)
    mine, mine_cpu, peer, peer_cpu = [], [], [], []
    for i in range(repeats):
        # Alternate so both see the same machine load.
        wall, cpu = timed([mlpipe, "-q", "data", "profile", data, "--threads", str(threads),
                           "--json", os.path.join(OUT, "profile.json")])
        mine.append(wall)
        mine_cpu.append(cpu)
        out = subprocess.run([sys.executable, os.path.join(HERE, "pandas_profile.py"), data],
                             check=True, capture_output=True, text=True)
        wall, cpu = (float(v) for v in out.stdout.split())
        peer.append(wall)
        peer_cpu.append(cpu)
        print(f"  run {i + 1}: mlpipe {mine[-1]:.3f} s (CPU {mine_cpu[-1]:.3f} s)   pandas "
              f"{peer[-1]:.3f} s (CPU {peer_cpu[-1]:.3f} s)", flush=True)
    m, p, mc, pc = med(mine), med(peer), med(mine_cpu), med(peer_cpu)
    print(f"  median: mlpipe read+profile {m:.3f} s wall, {mc:.3f} s CPU (whole process); "
          f"pandas read_csv+describe+value_counts+corr {p:.3f} s wall, {pc:.3f} s CPU "
          f"(in-process)")
    print(f"  ratio pandas/mlpipe: wall {p / m:.2f}x, CPU {pc / mc:.2f}x   (target >= 5x; "
          f"profile under 2 s: {'yes' if m < 2 else 'NO'}); {load_line()}")
    return {"rows": rows, "threads": threads, "mlpipe_s": mine, "mlpipe_cpu_s": mine_cpu,
            "pandas_s": peer, "pandas_cpu_s": peer_cpu, "median_mlpipe_s": m,
            "median_pandas_s": p, "ratio": p / m, "cpu_ratio": pc / mc}


TRAIN_CASES = {
    # name: (file, target, positive class or None for regression, families, metric)
    "credit_data": ("credit_data.csv", "Status", "bad", "logreg,gbdt,rf", "roc_auc"),
    "diamonds": ("diamonds.csv", "price", None, "ridge,gbdt,rf", "rmse"),
}


def bench_train(mlpipe, case, trials, repeats, threads):
    """`mlpipe train` against bench/sklearn_train.py: the same families, search
    distributions, folds count, test rows and threads (its header lists what
    still differs). Both are timed as whole processes (wall and CPU of the
    process tree); the peer's in-process figures (imports excluded) are shown
    too, and the headline ratios use them: the conservative side for mlpipe."""
    file, target, positive, models, metric = TRAIN_CASES[case]
    data = os.path.join(HERE, "..", "examples", "data", file)
    preds = os.path.join(OUT, f"train_{case}_predictions.csv")
    cmd = [mlpipe, "-q", "train", "--data", data, "--target", target, "--models", models,
           "--search", f"random:{trials}", "--cv", "5", "--metric", metric, "--seed", "1",
           "--threads", str(threads), "--json", "--predictions", preds]
    if positive:
        cmd += ["--positive", positive]
    peer_cmd = [sys.executable, os.path.join(HERE, "sklearn_train.py"), "--data", data,
                "--target", target, "--test-rows", preds, "--trials", str(trials),
                "--threads", str(threads)]
    if positive:
        peer_cmd += ["--positive", positive]
    print(f"train benchmark: {case}, 3 families x {trials} random trials x 5-fold CV, "
          f"{threads} threads each side; {load_line()}", flush=True)
    mine, mine_cpu, peer, peer_cpu, peer_in, peer_in_cpu = [], [], [], [], [], []
    for i in range(repeats):
        wall, cpu, out = timed(cmd, capture_output=True)
        mine.append(wall)
        mine_cpu.append(cpu)
        board = json.loads(out.stdout)
        ours = {row["family"]: row["test"][metric]["value"] for row in board["leaderboard"]}
        wall, cpu, out = timed(peer_cmd, capture_output=True)
        res = json.loads(out.stdout)
        peer.append(wall)
        peer_cpu.append(cpu)
        peer_in.append(res["seconds"])
        peer_in_cpu.append(res["cpu_seconds"])
        theirs = {k: v["test"] for k, v in res["families"].items()}
        print(f"  run {i + 1}: mlpipe {mine[-1]:.2f} s (CPU {mine_cpu[-1]:.2f} s)   scikit-learn "
              f"{peer[-1]:.2f} s (CPU {peer_cpu[-1]:.2f} s; in-process {peer_in[-1]:.2f} s, "
              f"CPU {peer_in_cpu[-1]:.2f} s)   {load_line()}", flush=True)
    m, mc = med(mine), med(mine_cpu)
    p, pc, pi, pic = med(peer), med(peer_cpu), med(peer_in), med(peer_in_cpu)
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
    print(f"  median: mlpipe {m:.2f} s wall, {mc:.2f} s CPU (whole process); scikit-learn "
          f"{p:.2f} s wall, {pc:.2f} s CPU (whole process), {pi:.2f} s wall, {pic:.2f} s CPU "
          f"(in-process, imports excluded)")
    print(f"  ratio scikit-learn/mlpipe: wall {pi / m:.2f}x, CPU {pic / mc:.2f}x (peer "
          f"in-process; whole process: wall {p / m:.2f}x, CPU {pc / mc:.2f}x) (target >= 3x)",
          flush=True)
    return {"case": case, "threads": threads, "mlpipe_s": mine, "mlpipe_cpu_s": mine_cpu,
            "sklearn_s": peer, "sklearn_cpu_s": peer_cpu, "sklearn_inprocess_s": peer_in,
            "sklearn_inprocess_cpu_s": peer_in_cpu, "ratio": pi / m, "cpu_ratio": pic / mc,
            "ratio_whole_process": p / m, "cpu_ratio_whole_process": pc / mc,
            "mlpipe_test": ours, "sklearn_test": theirs}


FIT_CASES = [
    # (label, data file, target, positive class or None, task)
    ("credit_data", "credit_data.csv", "Status", "bad", "binary"),
    ("diamonds cut=Ideal", "diamonds.csv", "cut", "Ideal", "binary"),
    ("diamonds price", "diamonds.csv", "price", None, "regression"),
]
XGB_PARAMS = {"n_estimators": 200, "max_depth": 6, "learning_rate": 0.1, "subsample": 0.8,
              "colsample_bytree": 0.8, "min_child_weight": 1, "reg_lambda": 1}


def bench_fit(fit_bench, repeats, threads):
    """(a) XGBoost through mlpipe vs the Python xgboost package and (b) logistic
    regression vs scikit-learn: the same matrix, the same hyperparameters, the
    same threads (liblinear uses one whatever they are)."""
    sys.path.insert(0, HERE)
    import py_fit
    results = []
    print(f"fit benchmark: same matrix, same hyperparameters, fit time only, {threads} "
          f"threads; {load_line()}", flush=True)
    for label, file, target, positive, task in FIT_CASES:
        src = os.path.join(HERE, "..", "examples", "data", file)
        matrix = py_fit.make_matrix(src, target, positive,
                                    os.path.join(OUT, f"fit_{label.replace(' ', '_')}.csv"))
        runs = [("gbdt", XGB_PARAMS, "xgboost", lambda: py_fit.fit_xgboost(
            matrix, task, XGB_PARAMS, repeats, threads))]
        if task == "binary":
            runs.append(("logreg", {"C": 1.0}, "scikit-learn liblinear",
                         lambda: py_fit.fit_logreg(matrix, {"C": 1.0}, repeats, "liblinear",
                                                   threads)))
            runs.append(("logreg", {"C": 1.0}, "scikit-learn lbfgs",
                         lambda: py_fit.fit_logreg(matrix, {"C": 1.0}, repeats, "lbfgs",
                                                   threads)))
        for family, params, peer_name, peer_fit in runs:
            out = subprocess.run([fit_bench, "--matrix", matrix, "--family", family, "--task",
                                  task, "--params", json.dumps(params), "--repeats",
                                  str(repeats), "--nthread", str(threads)],
                                 check=True, capture_output=True, text=True)
            mine = json.loads(out.stdout)
            peer = peer_fit()
            m, p = med(mine["fit_s"]), med(peer["fit_s"])
            mc, pc = med(mine["fit_cpu_s"]), med(peer["fit_cpu_s"])
            print(f"  {label} ({mine['rows']} x {mine['features']}), {family} vs {peer_name}: "
                  f"mlpipe {m * 1000:.1f} ms (CPU {mc * 1000:.1f} ms), peer {p * 1000:.1f} ms "
                  f"(CPU {pc * 1000:.1f} ms), ratio peer/mlpipe wall {p / m:.2f}x, CPU "
                  f"{pc / mc:.2f}x; mean prediction {mine['mean_prediction']:.5f} vs "
                  f"{peer['mean_prediction']:.5f}", flush=True)
            results.append({"case": label, "family": family, "peer": peer_name,
                            "threads": threads, "mlpipe_s": mine["fit_s"],
                            "mlpipe_cpu_s": mine["fit_cpu_s"], "peer_s": peer["fit_s"],
                            "peer_cpu_s": peer["fit_cpu_s"], "ratio": p / m,
                            "cpu_ratio": pc / mc,
                            "mlpipe_mean_prediction": mine["mean_prediction"],
                            "peer_mean_prediction": peer["mean_prediction"]})
    return results


RUN_STEPS = ["ingest", "validate", "profile", "governance", "split", "features", "train",
             "evaluate", "compare", "register", "gates"]


def bench_run(mlpipe, repeats, threads):
    """`mlpipe run` of examples/credit-risk (3 families x 20 trials x 5-fold CV, every
    step from ingest to the gates) against bench/sklearn_pipeline.py doing the same
    steps; both timed as whole processes. Each repeat starts from a fresh copy of the
    example, so the step cache and the store are empty."""
    examples = os.path.join(HERE, "..", "examples")
    print("run benchmark: mlpipe run of examples/credit-risk (3 families x 20 trials x "
          f"5-fold CV) vs bench/sklearn_pipeline.py, {threads} threads each side; "
          f"{load_line()}", flush=True)
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
            out = subprocess.run([mlpipe, "-q", "--json", "run", "--no-cache", "--threads",
                                  str(threads)], cwd=project, capture_output=True, text=True)
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
            out = subprocess.run([mlpipe, "-q", "run", "--threads", str(threads)], cwd=project,
                                 capture_output=True, text=True)
            cached.append(time.perf_counter() - t0)
            if out.returncode not in (0, 1):
                sys.exit(f"cached mlpipe run exited {out.returncode}:\n{out.stderr}")
            t0, cpu0 = time.perf_counter(), children_cpu()
            out = subprocess.run([sys.executable, os.path.join(HERE, "sklearn_pipeline.py"),
                                  "--data", os.path.join(tmp, "examples", "data", "credit-g.csv"),
                                  "--out", os.path.join(tmp, "sklearn_run"),
                                  "--threads", str(threads)],
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


def store_cpu(r, per=1):
    """Client + server CPU seconds of a write figure, divided by `per`, and its text."""
    client, server = r["client_cpu_s"] / per, r.get("server_cpu_s", 0) / per
    text = f"CPU {client * 1000:.1f} ms" if per > 1 else f"CPU {client:.2f} s"
    if "server_cpu_s" in r:
        text += (f" client + {server * 1000:.1f} ms server" if per > 1
                 else f" client + {server:.2f} s server")
    return client + server, text


def store_peer_lines(name, mine, peers):
    """mlpipe's batch and points figures beside each peer's, with the ratios."""
    b, bc = mine["batch"]["median_s"], store_cpu(mine["batch"], mine["batch"]["repeats"])
    pt, pc = mine["points"]["total_s"], store_cpu(mine["points"])
    print(f"  {name:10s} mlpipe LogMetrics: batch {b * 1000:.2f} ms ({bc[1]} per batch); "
          f"1M points {pt:.2f} s ({pc[1]})", flush=True)
    out = {}
    for label, peer in peers.items():
        pb, pbc = peer["batch"]["median_s"], store_cpu(peer["batch"], peer["batch"]["repeats"])
        pp, ppc = peer["points"]["total_s"], store_cpu(peer["points"])
        print(f"  {name:10s} {label}: batch {pb * 1000:.2f} ms ({pbc[1]} per batch), ratio "
              f"peer/mlpipe wall {pb / b:.2f}x, CPU {pbc[0] / bc[0]:.2f}x; 1M points "
              f"{pp:.2f} s ({ppc[1]}), ratio wall {pp / pt:.2f}x, CPU {ppc[0] / pc[0]:.2f}x",
              flush=True)
        out[label] = {"batch_ratio": pb / b, "batch_cpu_ratio": pbc[0] / bc[0],
                      "points_ratio": pp / pt, "points_cpu_ratio": ppc[0] / pc[0]}
    return out


def bench_store(mlpipe, store_bench, repeats, runs):
    """The metadata store: a 1,000-metric batch and 1M metric points (against
    MLflow's schema and log_batch statements, bench/mlflow_store_peer.py), run
    search over `runs` runs (SQLite and PostgreSQL side by side; no peer), and
    `data add` of a 1 GB file against sha256sum on the same file. Writing
    metrics is single-threaded on every side."""
    root = os.path.dirname(HERE)
    load = os.getloadavg()
    print(f"store benchmark ({load_line()})", flush=True)
    res = {"load_before": load}
    tmpdir = os.path.join(OUT, "store_tmp")
    subprocess.run(["rm", "-rf", tmpdir], check=True)
    os.makedirs(tmpdir)
    peer_py = [sys.executable, os.path.join(HERE, "mlflow_store_peer.py")]

    def run_json(cmd):
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stderr}")
        return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]

    sqlite = {}
    sqlite["batch"] = run_json([store_bench, "batch", os.path.join(tmpdir, "batch.db"), "50"])[0]
    sqlite["points"] = run_json([store_bench, "points", os.path.join(tmpdir, "points.db"),
                                 "1000"])[0]
    sqlite_peers = {}
    for label, flags in (("MLflow SQL, MLflow's SQLite defaults", []),
                         ("MLflow SQL, WAL + synchronous=NORMAL as mlpipe", ["--wal"])):
        tag = "wal" if flags else "default"
        sqlite_peers[label] = {
            "batch": run_json(peer_py + ["batch", os.path.join(tmpdir, f"mlflow_b_{tag}.db"),
                                         "50"] + flags)[0],
            "points": run_json(peer_py + ["points", os.path.join(tmpdir, f"mlflow_p_{tag}.db"),
                                          "1000"] + flags)[0]}
    search_db = os.path.join(OUT, f"store_search_{runs}.db")
    sqlite["search"] = run_json([store_bench, "search", search_db, str(runs), "20", mlpipe])[0]
    # The search store first, while the database holds nothing else; MLflow's
    # tables go to a schema of their own.
    pg_cmd = " && ".join([f"'{store_bench}' search pg {runs} 20 '{mlpipe}'",
                          f"'{store_bench}' batch pg 50",
                          f"'{sys.executable}' '{peer_py[1]}' batch pg 50",
                          f"'{store_bench}' points pg 1000",
                          f"'{sys.executable}' '{peer_py[1]}' points pg 1000"])
    pg_list = run_json([os.path.join(root, "scripts", "with_postgres.sh"), "sh", "-c", pg_cmd])
    pg = {j["mode"]: j for j in pg_list if "wal" not in j}
    pg_peer = {j["mode"]: j for j in pg_list if "wal" in j}
    res["sqlite"], res["postgresql"] = sqlite, pg
    res["mlflow_sqlite"] = sqlite_peers
    res["mlflow_postgresql"] = pg_peer
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
    print("  the same batches through MLflow's tables and log_batch statements "
          "(bench/mlflow_store_peer.py; a lower bound of MLflow, no ORM):")
    res["ratios"] = {
        "sqlite": store_peer_lines("SQLite", sqlite, sqlite_peers),
        "postgresql": store_peer_lines("PostgreSQL", pg, {"MLflow SQL": pg_peer})}
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
    mine, mine_cpu, peer, peer_cpu = [], [], [], []
    for i in range(repeats):
        subprocess.run(["rm", "-rf", project], check=True)
        os.makedirs(project)
        wall, cpu = timed(["sha256sum", big])
        peer.append(wall)
        peer_cpu.append(cpu)
        wall, cpu = timed([mlpipe, "-q", "--project", project, "data", "add", big,
                           "--name", "big"])
        mine.append(wall)
        mine_cpu.append(cpu)
        print(f"    run {i + 1}: mlpipe data add {mine[-1]:.2f} s (CPU {mine_cpu[-1]:.2f} s)   "
              f"sha256sum {peer[-1]:.2f} s (CPU {peer_cpu[-1]:.2f} s)", flush=True)
    subprocess.run(["rm", "-rf", project], check=True)
    m, p, mc, pc = med(mine), med(peer), med(mine_cpu), med(peer_cpu)
    print(f"  data add of {size_gb:.2f} GB: mlpipe {m:.2f} s ({mc:.2f} s CPU), sha256sum "
          f"{p:.2f} s ({pc:.2f} s CPU); ratio mlpipe/sha256sum wall {m / p:.2f}x (target <= "
          f"1.3x: {'yes' if m / p <= 1.3 else 'NO'}), CPU {mc / pc:.2f}x")
    res["data_add"] = {"bytes": os.path.getsize(big), "mlpipe_s": mine, "mlpipe_cpu_s": mine_cpu,
                       "sha256sum_s": peer, "sha256sum_cpu_s": peer_cpu, "ratio": m / p,
                       "cpu_ratio": mc / pc}
    subprocess.run(["rm", "-rf", tmpdir], check=True)
    res["load_after"] = os.getloadavg()
    print(f"  {load_line()} after", flush=True)
    return res


def bench_capi(capi_bench, repeats):
    """The embedded C API (bench/capi_bench.cc): single-row latency through the JSON and
    the matrix entries, features included, and batch rows/s through the matrix entry,
    on a 100-tree depth-6 GBDT. Medians over `repeats` runs of the binary."""
    print(f"capi benchmark: libmlpipe.so, GBDT 100 trees depth 6, 18 numeric + 2 "
          f"categorical inputs; {load_line()}", flush=True)
    runs = []
    for i in range(repeats):
        out = subprocess.run([capi_bench, "--json", "--seconds", "2"], check=True,
                             capture_output=True, text=True)
        runs.append(json.loads(out.stdout))
        r = runs[-1]
        print(f"  run {i + 1}: JSON row p50 {r['json_row']['p50_us']:.2f} us, matrix row p50 "
              f"{r['matrix_row']['p50_us']:.2f} us, batch {r['batch_rows_per_s_1_thread']:,.0f} "
              f"rows/s (1 thread), {r['batch_rows_per_s_2_threads']:,.0f} rows/s (2 threads)",
              flush=True)
    res = {
        "json_row_p50_us": med([r["json_row"]["p50_us"] for r in runs]),
        "json_row_p99_us": med([r["json_row"]["p99_us"] for r in runs]),
        "matrix_row_p50_us": med([r["matrix_row"]["p50_us"] for r in runs]),
        "matrix_row_p99_us": med([r["matrix_row"]["p99_us"] for r in runs]),
        "batch_rows_per_s_1_thread": med([r["batch_rows_per_s_1_thread"] for r in runs]),
        "batch_rows_per_s_2_threads": med([r["batch_rows_per_s_2_threads"] for r in runs]),
        "json_row_cpu_us": med([r["json_row"]["cpu_us"] for r in runs]),
        "matrix_row_cpu_us": med([r["matrix_row"]["cpu_us"] for r in runs]),
        "batch_rows_per_cpu_s": med([r["batch_rows_per_cpu_s"] for r in runs]),
        "runs": runs,
    }
    print(f"  median: single row (features included) JSON p50 {res['json_row_p50_us']:.2f} us "
          f"(p99 {res['json_row_p99_us']:.2f}), matrix p50 {res['matrix_row_p50_us']:.2f} us "
          f"(p99 {res['matrix_row_p99_us']:.2f}); CPU per row: JSON "
          f"{res['json_row_cpu_us']:.2f} us, matrix {res['matrix_row_cpu_us']:.2f} us   "
          f"(target < 2 us)")
    print(f"  median: batch {res['batch_rows_per_s_1_thread']:,.0f} rows/s on 1 thread, "
          f"{res['batch_rows_per_s_2_threads']:,.0f} rows/s on 2, "
          f"{res['batch_rows_per_cpu_s']:,.0f} rows per CPU second   (target >= 2,000,000 on 2 "
          f"cores); {load_line()}")
    return res


def bench_predictor(binary, repeats):
    """The Predictor's single-row and batch paths and XGBoost's Python single-row
    prediction, in one process (bench/predictor_bench.cc prints the ratios)."""
    print(f"predictor benchmark: {load_line()}", flush=True)
    out = subprocess.run([binary, f"--benchmark_repetitions={repeats}",
                          "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True)
    lines = [l for l in out.stdout.splitlines() if l.startswith(("single row", "ratios", "batch"))]
    for l in lines:
        print("  " + l, flush=True)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mlpipe", required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="threads of both sides in every suite (default: the CPUs)")
    ap.add_argument("--suites", default="profile,fit,train,store,run,tracking,capi,serve,predictor",
                    help="comma-separated: profile, fit, train, store, run, tracking, capi, serve, "
                         "predictor")
    ap.add_argument("--capi-bench", default=None,
                    help="the capi_bench binary (default: beside --mlpipe)")
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
        results["profile"] = bench_profile(mlpipe, args.rows, args.repeats, args.threads)
    if "fit" in suites:
        fit_bench = os.path.abspath(args.fit_bench or os.path.join(os.path.dirname(mlpipe),
                                                                   "fit_bench"))
        results["fit"] = bench_fit(fit_bench, args.repeats, args.threads)
    if "train" in suites:
        results["train"] = [bench_train(mlpipe, c, args.train_trials, args.train_repeats,
                                        args.threads) for c in args.train_cases.split(",")]
    if "store" in suites:
        store_bench = os.path.abspath(args.store_bench or os.path.join(
            os.path.dirname(mlpipe), "store_bench"))
        results["store"] = bench_store(mlpipe, store_bench, args.store_repeats, args.store_runs)
    if "run" in suites:
        results["run"] = bench_run(mlpipe, args.run_repeats, args.threads)
    if "tracking" in suites:
        sys.path.insert(0, HERE)
        from tracking_bench import bench_tracking
        results["tracking"] = bench_tracking(os.path.join(os.path.dirname(mlpipe),
                                                          "tracking_api_bench"), args.repeats)
    if "capi" in suites:
        capi_bench = os.path.abspath(args.capi_bench or os.path.join(os.path.dirname(mlpipe),
                                                                     "capi_bench"))
        results["capi"] = bench_capi(capi_bench, 3)
    if "serve" in suites:
        sys.path.insert(0, HERE)
        from serve_bench import bench_serve
        results["serve"] = bench_serve(mlpipe, repeats=3, threads=args.threads)
    if "predictor" in suites:
        results["predictor"] = bench_predictor(os.path.join(os.path.dirname(mlpipe),
                                                            "predictor_bench"), args.repeats)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
