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


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mlpipe", required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    results = {"profile": bench_profile(os.path.abspath(args.mlpipe), args.rows, args.repeats)}
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
