#!/usr/bin/python3
"""Trains the bundles that the C API, example and Python tests score.

Usage: make_test_bundles.py MLPIPE DATA_DIR OUT_DIR

Writes OUT_DIR/{binary,multiclass,regression}.mlpb (`mlpipe train --bundle`
on examples/data: credit-g, iris, cpu) and, for each, OUT_DIR/<name>.csv: every
row of the data file without its target, the rows the tests score."""
import csv
import os
import subprocess
import sys

CASES = {
    # name: (data file, target, families)
    "binary": ("credit-g.csv", "class", "gbdt"),
    "multiclass": ("iris.csv", "class", "gbdt"),
    "regression": ("cpu.csv", "class", "gbdt"),
}


def main(mlpipe, data_dir, out):
    os.makedirs(out, exist_ok=True)
    for name, (file, target, models) in CASES.items():
        bundle = os.path.join(out, f"{name}.mlpb")
        subprocess.run([mlpipe, "-q", "train", "--data", os.path.join(data_dir, file),
                        "--target", target, "--models", models, "--search", "random:2",
                        "--cv", "2", "--bootstrap", "20", "--seed", "3", "--no-track",
                        "--threads", "1", "-o", os.path.join(out, f"{name}-train"),
                        "--bundle", bundle], check=True, cwd=out)
        with open(os.path.join(data_dir, file), newline="") as f:
            rows = list(csv.reader(f))
        keep = [i for i, h in enumerate(rows[0]) if h != target]
        with open(os.path.join(out, f"{name}.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            for row in rows:
                w.writerow([row[i] for i in keep])
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
