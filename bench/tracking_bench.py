"""Suite "tracking" of bench/run_bench.py: the tracking API's 1,000-metric
batch over HTTP (bench/tracking_api_bench.cc), repeated, against its budget of
250 ms per batch."""
import json
import statistics
import subprocess
import sys

BUDGET_MS = 250.0


def bench_tracking(tracking_bench, repeats, calls=21):
    """Runs `tracking_api_bench CALLS` `repeats` times (a fresh server and
    store each time) and reports the median of the per-run medians."""
    print(f"tracking benchmark: LogMetrics of a 1,000-metric batch over HTTP, {calls} calls "
          f"x {repeats} runs", flush=True)
    runs = []
    for i in range(repeats):
        out = subprocess.run([tracking_bench, str(calls)], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{tracking_bench} exited {out.returncode}:\n{out.stderr}")
        runs.append(json.loads(out.stdout))
        r = runs[-1]
        print(f"  run {i + 1}: median {r['median_ms']:.2f} ms, min {r['min_ms']:.2f} ms, "
              f"max {r['max_ms']:.2f} ms", flush=True)
    median = statistics.median(r["median_ms"] for r in runs)
    print(f"  median: {median:.2f} ms per batch (budget < {BUDGET_MS:g} ms: "
          f"{'yes' if median < BUDGET_MS else 'NO'})", flush=True)
    return {"runs": runs, "median_ms": median, "budget_ms": BUDGET_MS}
