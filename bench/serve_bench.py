"""Suite "serve" of `make bench` (bench/run_bench.py): `mlpipe serve --model` side by
side, in one run, with
  - the same model's shape served by FastAPI + uvicorn + a scikit-learn pipeline
    (bench/fastapi_peer.py: OneHotEncoder + GradientBoostingClassifier of the same
    size, trained on the same CSV), the shape of MLflow's scoring server;
  - the HTTP floor: the same HTTP layer answering a constant (bench/http_floor.cc);
driven by wrk (Debian's package) on 127.0.0.1 with single-row KServe v1 requests over
32 connections; and one 1,000-row Open Inference Protocol v2 request at a time for
rows per second. Each server gets the same number of threads (uvicorn workers). Every
measurement is repeated, the servers taking turns, and medians are reported with the
ratios the serving targets are stated in."""
import csv
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "examples", "data", "credit-g.csv")
PY = "/usr/bin/python3"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def lua_post(path, body):
    with open(path, "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write('wrk.headers["Content-Type"] = "application/json"\n')
        f.write("wrk.body = " + json.dumps(body) + "\n")


def parse_wrk(text):
    """Requests/s and p99 latency (seconds) from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
    m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    socket_errors = re.search(r"Socket errors:.*", text)
    if errors or socket_errors:
        raise RuntimeError("wrk saw errors:\n" + text)
    return rps, float(m.group(1)) * scale


def wrk(url, script, connections, seconds, threads=2):
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
                          "--latency", "-s", script, url],
                         check=True, capture_output=True, text=True).stdout
    return parse_wrk(out)


def rows_of(n):
    with open(DATA) as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows[:n]:
        del r["class"]
        out.append({k: (float(v) if re.fullmatch(r"-?[\d.]+", v) else v) for k, v in r.items()})
    return out


def bench_serve(mlpipe, repeats=3, seconds=10, threads=2):
    bindir = os.path.dirname(mlpipe)
    tmp = tempfile.mkdtemp(prefix="mlpipe-serve-bench-")
    bundle = os.path.join(tmp, "credit.mlpb")
    subprocess.run([os.path.join(bindir, "make_bench_bundle"), DATA, "class", bundle,
                    "--trees", "100", "--depth", "6"], check=True, capture_output=True)
    peer_model = os.path.join(tmp, "peer.pkl")
    subprocess.run([PY, os.path.join(HERE, "fastapi_peer.py"), "train", DATA, "class",
                    peer_model, "--trees", "100", "--depth", "6"], check=True)
    one = os.path.join(tmp, "one.lua")
    lua_post(one, json.dumps({"instances": rows_of(1)}))
    big_rows = rows_of(1000)
    names = list(big_rows[0])
    inputs = []
    procs = []
    try:
        mine = subprocess.Popen([mlpipe, "--json", "serve", "--model", bundle, "--port", "0",
                                 "--threads", str(threads), "--max-connections", "256",
                                 "--max-body", str(8 << 20)],
                                stdout=subprocess.PIPE, text=True)
        procs.append(mine)
        text = ""
        while True:  # the JSON start-up document spans lines
            line = mine.stdout.readline()
            if not line:
                raise RuntimeError("mlpipe serve did not start")
            text += line
            try:
                info = json.loads(text)
                break
            except json.JSONDecodeError:
                continue
        mine_port = info["port"]
        meta = json.loads(subprocess.run(
            ["curl", "-s", f"http://127.0.0.1:{mine_port}/v2/models/credit"],
            check=True, capture_output=True, text=True).stdout)
        for inp in meta["inputs"]:
            cast = (int if inp["datatype"].startswith(("INT", "UINT")) else
                    float if inp["datatype"].startswith("FP") else (lambda v: v))
            data = [cast(r[inp["name"]]) for r in big_rows]
            inputs.append({"name": inp["name"], "shape": [len(data)],
                           "datatype": inp["datatype"], "data": data})
        big = os.path.join(tmp, "big.lua")
        lua_post(big, json.dumps({"inputs": inputs}))
        floor = subprocess.Popen([os.path.join(bindir, "http_floor"), "--threads", str(threads)],
                                 stdout=subprocess.PIPE, text=True)
        procs.append(floor)
        floor_port = int(floor.stdout.readline().rsplit(":", 1)[1])
        peer_port = free_port()
        env = dict(os.environ, MLPIPE_PEER_MODEL=peer_model, OMP_NUM_THREADS="1")
        peer = subprocess.Popen([PY, "-m", "uvicorn", "fastapi_peer:app", "--port",
                                 str(peer_port), "--workers", str(threads), "--log-level",
                                 "warning"], cwd=HERE, env=env)
        procs.append(peer)
        wait_http(peer_port)
        time.sleep(2)
        path = "/v1/models/credit:predict"
        results = {"mlpipe": [], "floor": [], "fastapi": [], "oip_1000": []}
        load = os.getloadavg()
        print(f"serve benchmark: credit-g GBDT 100 trees depth 6, {threads} server threads, "
              f"wrk -c32 single-row KServe v1; load average {load[0]:.2f} on "
              f"{os.cpu_count()} CPUs", flush=True)
        for i in range(repeats):
            results["mlpipe"].append(wrk(f"http://127.0.0.1:{mine_port}{path}", one, 32, seconds))
            results["floor"].append(wrk(f"http://127.0.0.1:{floor_port}{path}", one, 32, seconds))
            results["fastapi"].append(wrk(f"http://127.0.0.1:{peer_port}{path}", one, 32, seconds))
            results["oip_1000"].append(wrk(f"http://127.0.0.1:{mine_port}/v2/models/credit/infer",
                                           big, 2, seconds, threads=1))
            print("  run {}: mlpipe {:.0f} req/s p99 {:.2f} ms; floor {:.0f} req/s; fastapi "
                  "{:.0f} req/s p99 {:.1f} ms; OIP v2 1,000 rows {:.0f} rows/s".format(
                      i + 1, results["mlpipe"][-1][0], results["mlpipe"][-1][1] * 1e3,
                      results["floor"][-1][0], results["fastapi"][-1][0],
                      results["fastapi"][-1][1] * 1e3, results["oip_1000"][-1][0] * 1000),
                  flush=True)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    med = {k: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v))
           for k, v in results.items()}
    out = {
        "mlpipe_rps": med["mlpipe"][0], "mlpipe_p99_s": med["mlpipe"][1],
        "floor_rps": med["floor"][0], "fastapi_rps": med["fastapi"][0],
        "fastapi_p99_s": med["fastapi"][1], "oip_1000_rows_per_s": med["oip_1000"][0] * 1000,
    }
    out["throughput_vs_fastapi"] = out["mlpipe_rps"] / out["fastapi_rps"]
    out["p99_fastapi_over_mlpipe"] = out["fastapi_p99_s"] / out["mlpipe_p99_s"]
    out["share_of_floor"] = out["mlpipe_rps"] / out["floor_rps"]
    print(f"  median: mlpipe {out['mlpipe_rps']:.0f} req/s, p99 {out['mlpipe_p99_s'] * 1e3:.2f} ms;"
          f" FastAPI + scikit-learn {out['fastapi_rps']:.0f} req/s, p99 "
          f"{out['fastapi_p99_s'] * 1e3:.1f} ms; HTTP floor {out['floor_rps']:.0f} req/s")
    print(f"  throughput mlpipe / FastAPI {out['throughput_vs_fastapi']:.1f}x (target >= 50x); "
          f"p99 FastAPI / mlpipe {out['p99_fastapi_over_mlpipe']:.1f}x (target >= 20x); "
          f"mlpipe / floor {out['share_of_floor']:.2f} (target >= 0.70); OIP v2 1,000-row "
          f"request {out['oip_1000_rows_per_s']:.0f} rows/s (target >= 500,000)", flush=True)
    return out


if __name__ == "__main__":
    print(json.dumps(bench_serve(sys.argv[1], repeats=int(sys.argv[2]) if len(sys.argv) > 2
                                 else 3), indent=2))
