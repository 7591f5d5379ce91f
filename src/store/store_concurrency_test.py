#!/usr/bin/python3
"""Reliability: four processes logging metrics to one store at once lose nothing.

Four `store_tool log-metrics` processes log into the same run of one store at
the same time, each with its own key prefix and its own batch size (1 point per
transaction up to 1,000), so their transactions interleave. Afterwards every
point is counted independently of mlpipe — Python's sqlite3 for the SQLite
store, psql for PostgreSQL — and must be there exactly once with its value,
and latest_metrics must hold the highest step of every key.

Usage (ctest runs it with STORE_TOOL set):
  store_concurrency_test.py            SQLite, in a temporary folder
  store_concurrency_test.py --postgres the store at $MLPIPE_TEST_POSTGRES_URI
                                       (under scripts/with_postgres.sh)
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

TOOL = os.environ.get("STORE_TOOL", "store_tool")
PSQL = os.path.join(os.environ.get("MLPIPE_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql")
POINTS = int(os.environ.get("STORE_CONCURRENCY_POINTS", "4000"))
# Batch size per writer: from one transaction per point to the 1,000-point batch.
BATCHES = [1, 7, 100, 1000]


def fail(msg):
    print("FAIL:", msg, flush=True)
    sys.exit(1)


def query_sqlite(path, sql, args=()):
    con = sqlite3.connect(path, timeout=30)
    try:
        return [tuple(r) for r in con.execute(sql, args).fetchall()]
    finally:
        con.close()


def query_postgres(uri, sql, args=()):
    # psql substitutes :'v0' ... as quoted literals; args are plain strings here.
    cmd = [PSQL, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", uri]
    for i, a in enumerate(args):
        cmd += ["-v", f"v{i}={a}"]
        sql = sql.replace("?", f":'v{i}'", 1)
    out = subprocess.run(cmd, input=sql, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"psql: {out.stderr.strip()}")
    return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]


def main():
    postgres = "--postgres" in sys.argv[1:]
    tmp = tempfile.TemporaryDirectory(prefix="mlpipe-concurrency-")
    if postgres:
        uri = os.environ.get("MLPIPE_TEST_POSTGRES_URI")
        if not uri:
            fail("--postgres needs MLPIPE_TEST_POSTGRES_URI (run under scripts/with_postgres.sh)")
        query = lambda sql, args=(): query_postgres(uri, sql, args)  # noqa: E731
    else:
        uri = os.path.join(tmp.name, "meta.db")
        query = lambda sql, args=(): query_sqlite(uri, sql, args)  # noqa: E731

    out = subprocess.run([TOOL, "create-run", uri, "concurrency"], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"create-run: {out.stderr}")
    run_id = out.stdout.strip()

    t0 = time.perf_counter()
    procs = []
    for i, batch in enumerate(BATCHES):
        procs.append(subprocess.Popen(
            [TOOL, "log-metrics", uri, run_id, str(POINTS), str(batch), f"w{i}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for i, p in enumerate(procs):
        stdout, stderr = p.communicate(timeout=600)
        if p.returncode != 0:
            fail(f"writer w{i} (batch {BATCHES[i]}) exited {p.returncode}: {stderr.strip()}")
        last = stdout.strip().splitlines()[-1]
        if last != f"done {POINTS}":
            fail(f"writer w{i}: last line '{last}', expected 'done {POINTS}'")
    elapsed = time.perf_counter() - t0
    print(f"{len(BATCHES)} writers x {POINTS} points (batches {BATCHES}) into run {run_id} "
          f"in {elapsed:.2f} s ({'PostgreSQL' if postgres else 'SQLite'})", flush=True)

    # Counted independently: every (writer, key, step) exactly once, value intact.
    total = int(query("SELECT COUNT(*) FROM metrics WHERE run_id = ?", (run_id,))[0][0])
    if total != len(BATCHES) * POINTS:
        fail(f"{total} metric rows, expected {len(BATCHES) * POINTS}")
    rows = query("SELECT key, step, COUNT(*), MIN(value), MAX(value) FROM metrics "
                 "WHERE run_id = ? GROUP BY key, step", (run_id,))
    seen = {}
    for key, step, count, vmin, vmax in rows:
        step, count, vmin, vmax = int(step), int(count), float(vmin), float(vmax)
        if count != 1:
            fail(f"{key} step {step} stored {count} times")
        if vmin != step * 0.5 or vmax != step * 0.5:
            fail(f"{key} step {step}: value {vmin}, expected {step * 0.5}")
        seen[(key, step)] = True
    for i in range(len(BATCHES)):
        for step in range(POINTS):
            if (f"w{i}.k{step % 10}", step) not in seen:
                fail(f"w{i}.k{step % 10} step {step} is missing")

    latest = {k: int(s) for k, s in query(
        "SELECT key, step FROM latest_metrics WHERE run_id = ?", (run_id,))}
    expected = {}
    for i in range(len(BATCHES)):
        for k in range(10):
            expected[f"w{i}.k{k}"] = max(s for s in range(POINTS) if s % 10 == k)
    if latest != expected:
        diff = {k: (latest.get(k), v) for k, v in expected.items() if latest.get(k) != v}
        fail(f"latest_metrics differs (key: (stored, expected)): {diff}")

    if not postgres:
        check = query("PRAGMA integrity_check")
        if check != [("ok",)]:
            fail(f"integrity_check: {check}")
    print(f"ok: {total} points, each exactly once; latest_metrics right for "
          f"{len(latest)} keys", flush=True)


if __name__ == "__main__":
    main()
