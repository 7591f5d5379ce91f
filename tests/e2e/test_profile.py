"""End-to-end tests of `mlpipe data profile`: every figure is checked against
pandas / numpy / scipy computed here, never against mlpipe's own output."""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import contingency

BIN = os.environ["MLPIPE_BIN"]
SRC = os.environ["MLPIPE_SOURCE_DIR"]
DATA = os.path.join(SRC, "examples", "data")
# mlpipe's default missing tokens (table/csv.h).
NA = ["", "NA", "N/A", "?", "null", "nan", "NaN", "-nan", "-NaN"]  # mlpipe's defaults


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


def read(name):
    return pd.read_csv(os.path.join(DATA, name), keep_default_na=False, na_values=NA)


def close(a, b, rel=1e-9, abs_=1e-9):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None) and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def value_key(series, text):
    """The pandas value that mlpipe printed as `text`."""
    if pd.api.types.is_numeric_dtype(series):
        return float(text)
    return text


class ProfileCase:
    FILE = None
    TARGET = None
    PROTECTED = []

    @classmethod
    def setUpClass(cls):
        cls.df = read(cls.FILE)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.json_path = os.path.join(cls.tmp.name, "p.json")
        cls.html_path = os.path.join(cls.tmp.name, "p.html")
        args = ["data", "profile", os.path.join(DATA, cls.FILE), "--json", cls.json_path,
                "--html", cls.html_path, "--target", cls.TARGET]
        for p in cls.PROTECTED:
            args += ["--protected", p]
        cls.result = run(*args)
        assert cls.result.returncode == 0, cls.result.stderr
        with open(cls.json_path) as f:
            cls.profile = json.load(f)
        cls.columns = {c["name"]: c for c in cls.profile["columns"]}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_table_figures(self):
        p = self.profile
        self.assertEqual(p["format_version"], 1)
        self.assertEqual(p["rows"], len(self.df))
        self.assertEqual([c["name"] for c in p["columns"]], list(self.df.columns))
        self.assertEqual(p["duplicate_rows"], int(self.df.duplicated().sum()))
        self.assertEqual(p["missing_cells"], int(self.df.isna().sum().sum()))
        constant = [c for c in self.df.columns if self.df[c].nunique() == 1]
        self.assertEqual(p["constant_columns"], constant)

    def test_counts_and_distinct(self):
        for name, s in self.df.items():
            with self.subTest(column=name):
                c = self.columns[name]
                self.assertEqual(c["count"], int(s.count()))
                self.assertEqual(c["missing"], int(s.isna().sum()))
                self.assertTrue(close(c["missing_share"], s.isna().mean()))
                self.assertEqual(c["distinct"], int(s.nunique()))

    def test_top_values(self):
        for name, s in self.df.items():
            with self.subTest(column=name):
                c = self.columns[name]
                counts = s.value_counts()
                top = c["top"]
                self.assertEqual(len(top), min(10, len(counts)))
                # The count sequence is pandas' (ties may be ordered differently),
                self.assertEqual([t["count"] for t in top], counts.head(len(top)).tolist())
                # each value has its pandas count,
                for t in top:
                    self.assertEqual(t["count"], int(counts[value_key(s, t["value"])]), t)
                # and ties are ordered by value.
                for a, b in zip(top, top[1:]):
                    if a["count"] == b["count"]:
                        self.assertLess(value_key(s, a["value"]), value_key(s, b["value"]))

    def test_numeric_figures(self):
        numeric = [n for n, s in self.df.items() if pd.api.types.is_numeric_dtype(s)]
        self.assertTrue(numeric)
        for name in numeric:
            s = self.df[name].dropna().astype(float)
            with self.subTest(column=name):
                c = self.columns[name]
                self.assertIn(c["type"], ("int64", "float64"))
                n = c["numeric"]
                q1, q2, q3 = s.quantile([0.25, 0.5, 0.75]).tolist()
                expected = {"mean": s.mean(), "std": s.std(ddof=1), "min": s.min(), "q1": q1,
                            "median": q2, "q3": q3, "max": s.max(), "skewness": s.skew(),
                            "kurtosis": s.kurt()}
                for key, value in expected.items():
                    self.assertTrue(close(n[key], float(value), rel=1e-9, abs_=1e-9),
                                    f"{key}: mlpipe {n[key]} pandas {value}")
                self.assertEqual(n["zeros"], int((s == 0).sum()))
                iqr = q3 - q1
                self.assertEqual(n["outliers_iqr"],
                                 int(((s < q1 - 1.5 * iqr) | (s > q3 + 1.5 * iqr)).sum()))
                std0 = s.std(ddof=0)
                z = int((np.abs((s - s.mean()) / std0) > 3).sum()) if std0 > 0 else 0
                self.assertEqual(n["outliers_z"], z)
                counts, edges = np.histogram(s.to_numpy(), bins=20)
                self.assertEqual(n["histogram"]["counts"], counts.tolist())
                for a, b in zip(n["histogram"]["edges"], edges.tolist()):
                    self.assertTrue(close(a, b, rel=1e-12))

    def test_categorical_columns_have_no_numeric_figures(self):
        for name, s in self.df.items():
            if not pd.api.types.is_numeric_dtype(s):
                self.assertIsNone(self.columns[name]["numeric"], name)

    def test_target_balance(self):
        t = self.profile["target"]
        y = self.df[self.TARGET]
        counts = y.value_counts()
        self.assertEqual(t["column"], self.TARGET)
        self.assertEqual(t["task"], "classification")
        self.assertEqual({c["value"]: c["count"] for c in t["classes"]}, counts.to_dict())
        minority = counts.idxmin()
        self.assertEqual(t["positive"], minority)
        self.assertTrue(close(t["positive_rate"], (y.dropna() == minority).mean()))
        self.assertEqual(t["missing"], int(y.isna().sum()))

    def test_group_rates(self):
        t = self.profile["target"]
        d = self.df.dropna(subset=[self.TARGET])
        positive = d[self.TARGET] == t["positive"]
        by_name = {g["column"]: g for g in self.profile["protected"]}
        self.assertEqual(list(by_name), self.PROTECTED)
        for name in self.PROTECTED:
            with self.subTest(column=name):
                g = by_name[name]
                col = d[name]
                if g["binned"]:
                    full = self.df[name].dropna()
                    edges = [-np.inf] + sorted(set(full.quantile([0.25, 0.5, 0.75]))) + [np.inf]
                    self.assertEqual(g["edges"][1:-1], edges[1:-1])
                    keys = pd.cut(col, edges, right=True)
                else:
                    keys = col
                grouped = positive.groupby(keys, observed=True)
                rates = grouped.mean()
                sizes = grouped.size()
                self.assertEqual(len(g["groups"]), len(rates))
                for got, (key, rate) in zip(g["groups"], rates.items()):
                    if not g["binned"]:
                        self.assertEqual(value_key(col, got["group"]), key)
                    self.assertEqual(got["rows"], int(sizes[key]))
                    self.assertTrue(close(got["rate"], rate), (got, rate))
                self.assertEqual(g["missing"], int(self.df[name].isna().sum()))
                big = [r for r, n in zip(rates, sizes) if n >= 30]
                if len(big) >= 2:
                    self.assertTrue(close(g["max_gap"], max(big) - min(big)))

    def test_associations(self):
        pairs = self.profile["associations"]["pairs"]
        self.assertTrue(pairs)
        numeric = {n for n, s in self.df.items() if pd.api.types.is_numeric_dtype(s)}
        with_missing = 0
        for p in pairs:
            with self.subTest(pair=(p["a"], p["b"], p["method"])):
                both = self.df[[p["a"], p["b"]]].dropna()
                self.assertEqual(p["rows"], len(both))
                x, y = both[p["a"]], both[p["b"]]
                if p["method"] == "pearson":
                    expected = stats.pearsonr(x, y)[0]
                elif p["method"] == "spearman":
                    a, b = self.df[p["a"]], self.df[p["b"]]
                    if a.isna().any() or b.isna().any():
                        # docs/profile.md: each column's average ranks among its own
                        # present values (pandas' rank skips NaN), correlated over
                        # the rows where both are present.
                        ra, rb = a.rank(method="average"), b.rank(method="average")
                        keep = ra.notna() & rb.notna()
                        expected = stats.pearsonr(ra[keep], rb[keep])[0]
                        with_missing += 1
                    else:
                        expected = stats.spearmanr(x, y)[0]
                elif p["method"] == "cramers_v":
                    table = pd.crosstab(x, y).to_numpy()
                    expected = contingency.association(table, method="cramer")
                else:
                    self.assertIn(p["a"], numeric)
                    total = ((x - x.mean()) ** 2).sum()
                    means = x.groupby(y).agg(["mean", "size"])
                    between = (means["size"] * (means["mean"] - x.mean()) ** 2).sum()
                    expected = math.sqrt(between / total)
                self.assertTrue(close(p["value"], float(expected), rel=1e-7, abs_=1e-9),
                                (p["value"], expected))
        # A file whose numeric columns have missing values has Spearman pairs
        # with missing values, and each was checked above.
        gappy = [n for n in numeric if self.df[n].isna().any()]
        if gappy and len(numeric) > 1:
            self.assertGreater(with_missing, 0)

    def test_warnings_are_well_formed(self):
        rules = set()
        for w in self.profile["warnings"]:
            self.assertIn(w["severity"], ("info", "warning", "error"))
            self.assertNotIn("\n", w["message"])
            rules.add(w["rule"])
        for name, s in self.df.items():
            share = s.isna().mean()
            if share > 0.05:
                self.assertTrue(any(w["rule"] == "missing_values" and w["column"] == name
                                    for w in self.profile["warnings"]), name)

    def test_html_report(self):
        with open(self.html_path, encoding="utf-8") as f:
            html = f.read()
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertGreater(html.count("<svg"), len(self.df.columns))
        self.assertNotIn("<script", html.lower())
        without_ns = html.replace("http://www.w3.org/2000/svg", "")
        self.assertNotIn("http:", without_ns)
        self.assertNotIn("https:", without_ns)

    def test_text_summary(self):
        out = self.result.stdout
        self.assertIn(f"{len(self.df):,} rows", out)
        for name in self.df.columns:
            self.assertIn(name[:24], out)
        self.assertFalse(out.lstrip().startswith("{"))


class CreditG(ProfileCase, unittest.TestCase):
    FILE = "credit-g.csv"
    TARGET = "class"
    PROTECTED = ["personal_status", "age", "foreign_worker"]


class CreditData(ProfileCase, unittest.TestCase):
    FILE = "credit_data.csv"
    TARGET = "Status"
    PROTECTED = ["Marital", "Age"]


class CommandLine(unittest.TestCase):
    FILE = os.path.join(DATA, "credit-g.csv")

    def test_global_json_prints_the_profile(self):
        for args in (["--json", "data", "profile", self.FILE, "--target", "class"],
                     ["data", "profile", self.FILE, "--target", "class", "--json"]):
            r = run(*args)
            self.assertEqual(r.returncode, 0, r.stderr)
            p = json.loads(r.stdout)
            self.assertEqual(p["rows"], 1000)
            self.assertEqual(p["target"]["positive"], "bad")

    def test_positive_option(self):
        r = run("--json", "data", "profile", self.FILE, "--target", "class", "--positive", "good")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["target"]["positive_rate"], 0.7)
        r = run("data", "profile", self.FILE, "--target", "class", "--positive", "ugly")
        self.assertEqual(r.returncode, 2)
        self.assertIn("ugly", r.stderr)

    def test_unknown_columns(self):
        r = run("data", "profile", self.FILE, "--target", "klass")
        self.assertEqual(r.returncode, 2)
        self.assertIn("klass", r.stderr)
        self.assertIn("checking_status", r.stderr)  # lists the columns there are
        r = run("data", "profile", self.FILE, "--target", "class", "--protected", "sex")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'sex'", r.stderr)
        self.assertIn("personal_status", r.stderr)

    def test_missing_file(self):
        r = run("data", "profile", os.path.join(DATA, "no-such-file.csv"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("no-such-file.csv", r.stderr)

    def test_duplicates_and_missing_on_a_small_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "small.csv")
            with open(path, "w") as f:
                f.write("a,b,c\n1,x,\n1,x,\n2,y,\n1,x,\n")
            r = run("--json", "data", "profile", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            p = json.loads(r.stdout)
            df = pd.read_csv(path, keep_default_na=False, na_values=NA)
            self.assertEqual(p["duplicate_rows"], int(df.duplicated().sum()))
            rules = {w["rule"] for w in p["warnings"]}
            self.assertIn("all_missing", rules)
            self.assertIn("duplicate_rows", rules)

    def test_nan_is_missing_and_inf_is_warned_as_pandas_reads_them(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "nan_inf.csv")
            with open(path, "w") as f:
                f.write("a,b,c\n1.5,NaN,x\nnan,inf,y\n2,-inf,nan\n-nan,4,x\n3,inf,y\n")
            r = run("--json", "data", "profile", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            p = json.loads(r.stdout)
            df = pd.read_csv(path)  # pandas' default missing values
            cols = {c["name"]: c for c in p["columns"]}
            for name in "abc":
                self.assertEqual(cols[name]["missing"], int(df[name].isna().sum()), name)
            inf = {w["column"]: w["message"] for w in p["warnings"]
                   if w["rule"] == "infinite_values"}
            self.assertEqual(set(inf), {"b"})
            want = int(df["b"].isin([float("inf"), float("-inf")]).sum())
            self.assertIn(f"{want} infinite values", inf["b"])

    def test_decimal_commas_read_as_pandas_reads_them(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "eu.csv")
            with open(path, "w") as f:
                f.write("preis;menge;name;datum\n1,5;3;a;1.2.2024\n2,25;4;b;2.2.2024\n"
                        ";5;c;3.2.2024\n-0,125;6;a;4.2.2024\n10;7;b;5.2.2024\n")
            r = run("--json", "data", "profile", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("decimal comma", r.stderr)
            self.assertIn("preis", r.stderr)
            p = json.loads(r.stdout)
            df = pd.read_csv(path, sep=";", decimal=",")
            cols = {c["name"]: c for c in p["columns"]}
            self.assertEqual(df["preis"].dtype.kind, "f")
            self.assertEqual(cols["preis"]["type"], "float64")
            self.assertEqual(cols["preis"]["missing"], int(df["preis"].isna().sum()))
            self.assertAlmostEqual(cols["preis"]["numeric"]["mean"], df["preis"].mean(), places=12)
            self.assertAlmostEqual(cols["preis"]["numeric"]["min"], df["preis"].min(), places=12)
            self.assertEqual(df["datum"].dtype.kind, "O")  # dates stay text in both
            self.assertNotEqual(cols["datum"]["type"], "float64")



class HostileInputTest(unittest.TestCase):
    """Files that crashed or were refused wrongly are read or refused cleanly."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_jsonl_nested_100000_deep_is_bad_input(self):
        # Regression: a value nested 100,000 deep crashed (stack overflow).
        deep = b'{"a": 1}\n{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}\n"
        p = run("data", "profile", self.write("deep.jsonl", deep))
        self.assertEqual(p.returncode, 2, p.stderr[-500:])
        self.assertIn("deep.jsonl:2:262: JSON nested deeper than 256 levels", p.stderr)

    def test_ascii_files_of_32_byte_multiples_are_read(self):
        # Regression: a valid file whose size is a multiple of 32 bytes was
        # refused as "invalid UTF-8 at byte offset <size>" or crashed.
        for size in (4096, 110592):
            # 4-byte lines: the header and size / 4 - 1 rows fill the file exactly.
            data = b"a,b\n" + b"".join(b"%d,x\n" % (i % 10) for i in range(size // 4 - 1))
            self.assertEqual(len(data), size)
            path = self.write("f%d.csv" % size, data)
            p = run("data", "profile", path, "--json", os.path.join(self.tmp.name, "p.json"))
            self.assertEqual(p.returncode, 0, p.stderr)
            rows = len(pd.read_csv(path))
            with open(os.path.join(self.tmp.name, "p.json")) as f:
                self.assertEqual(json.load(f)["rows"], rows)


if __name__ == "__main__":
    unittest.main(verbosity=2)
