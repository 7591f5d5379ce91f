#!/usr/bin/python3
"""Writes the profiling benchmark's table: ROWS rows x 20 columns (12 numeric,
8 categorical), about 5% of the values missing, deterministic for a seed."""
import argparse

import numpy as np
import pandas as pd


def make(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {}
    for i in range(6):
        cols[f"num_f{i}"] = np.round(rng.normal(100 * (i + 1), 15 * (i + 1), rows), 4)
    for i in range(3):
        cols[f"num_i{i}"] = rng.integers(0, 10 ** (i + 2), rows).astype("float64")
    cols["amount"] = np.round(rng.lognormal(8, 1, rows), 2)
    cols["ratio"] = np.round(rng.uniform(0, 1, rows), 6)
    cols["score"] = np.round(cols["num_f0"] * 0.5 + rng.normal(0, 5, rows), 3)
    for i in range(8):
        k = [2, 3, 5, 8, 12, 20, 50, 200][i]
        names = np.array([f"cat{i}_{j}" for j in range(k)])
        p = rng.dirichlet(np.ones(k))
        cols[f"cat{i}"] = names[rng.choice(k, rows, p=p)]
    df = pd.DataFrame(cols)
    for c in df.columns:
        mask = rng.uniform(0, 1, rows) < 0.05
        df.loc[mask, c] = np.nan
    # Integer columns stay integers in the file even with missing values.
    for i in range(3):
        df[f"num_i{i}"] = df[f"num_i{i}"].astype("Int64")
    return df


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    make(args.rows, args.seed).to_csv(args.output, index=False)


if __name__ == "__main__":
    main()
