"""End-to-end tests of `--threads N` (train, run, data profile): the size of
the library's shared thread pool, so a command computes on at most N threads.

Checked from outside the process: the number of threads the running `mlpipe`
process has (Linux /proc/PID/task, polled while it trains), that the results
do not depend on N, and that N outside 1..1024 is a usage error (exit 2).

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import json
import os
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CREDIT = os.path.join(SRC, "examples", "data", "credit-g.csv")


def train_watching_threads(threads, out_dir):
    """Runs `mlpipe train --threads N` and returns (process, most threads seen)."""
    cmd = [BIN, "train", "--data", CREDIT, "--target", "class", "--models", "logreg,gbdt,rf",
           "--search", "random:6", "--cv", "3", "--bootstrap", "200", "--seed", "3",
           "--threads", str(threads), "--no-track", "-o", out_dir, "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=out_dir)
    most = 0
    task_dir = f"/proc/{proc.pid}/task"
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            most = max(most, len(os.listdir(task_dir)))
        except FileNotFoundError:
            break
        time.sleep(0.002)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), most


def leaderboard(stdout):
    """The leaderboard without the timings, which legitimately vary."""
    board = json.loads(stdout)["leaderboard"]
    for entry in board:
        entry.pop("fit_seconds", None)
        entry.pop("search_fit_seconds", None)
    return board


class ThreadsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.runs = {}
        for n in (1, 3):
            out = os.path.join(cls.tmp.name, f"t{n}")
            os.makedirs(out)
            cls.runs[n] = train_watching_threads(n, out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_trains(self):
        for n, (proc, _) in self.runs.items():
            self.assertEqual(proc.returncode, 0, f"--threads {n}: {proc.stderr}")

    def test_one_thread_means_no_worker_computes_beside_the_main_thread(self):
        # The main thread and the pool's one worker, which ParallelFor leaves
        # idle (the caller runs every chunk); XGBoost fits on one thread.
        _, most = self.runs[1]
        self.assertGreaterEqual(most, 1)
        self.assertLessEqual(most, 2)

    def test_more_threads_start_that_many_workers(self):
        # The main thread and three pool workers at least (the final XGBoost
        # refits may add their OpenMP team).
        _, most = self.runs[3]
        self.assertGreaterEqual(most, 4)

    def test_results_do_not_depend_on_the_thread_count(self):
        # Search fits are single-threaded either way: the same trials, the
        # same CV scores. The final refits ran on 1 and 3 threads; their test
        # metrics may differ only in the last bits of XGBoost's sums.
        one, three = leaderboard(self.runs[1][0].stdout), leaderboard(self.runs[3][0].stdout)
        self.assertEqual([e["family"] for e in one], [e["family"] for e in three])
        for a, b in zip(one, three):
            for key in ("params", "cv", "trials", "fairness"):
                self.assertEqual(a[key], b[key], f"{a['family']} {key}")
            for metric, value in a["test"].items():
                for field in ("value", "ci_low", "ci_high"):
                    self.assertAlmostEqual(value[field], b["test"][metric][field], places=9,
                                           msg=f"{a['family']} test {metric} {field}")

    def test_out_of_range_is_a_usage_error(self):
        for args in (["train", "--data", CREDIT, "--target", "class"],
                     ["data", "profile", CREDIT],
                     ["run"]):
            for bad in ("0", "1025", "two"):
                with self.subTest(command=args[0], threads=bad):
                    proc = subprocess.run([BIN, *args, "--threads", bad], capture_output=True,
                                          text=True, timeout=60, cwd=self.tmp.name)
                    self.assertEqual(proc.returncode, 2, proc.stderr)
                    self.assertIn("--threads", proc.stderr)

    def test_profile_takes_the_option(self):
        proc = subprocess.run([BIN, "data", "profile", CREDIT, "--threads", "1", "--json"],
                              capture_output=True, text=True, timeout=120, cwd=self.tmp.name)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["rows"], 1000)


if __name__ == "__main__":
    unittest.main()
