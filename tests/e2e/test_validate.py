"""End-to-end tests of `mlpipe data schema` and `mlpipe data validate`.

pandas is the independent reference: it computes the types, categories,
ranges and missing shares the inferred schema must hold, and, for a corrupted
copy of a data set, which rows every anomaly must name. Row numbers in reports
are 1-based data rows, so pandas index i is row i + 1. pandas also makes the
random halves of every example data set: a schema inferred from one half must
pass the other half, and damaged copies of it must fail.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import glob
import json
import math
import os
import re
import subprocess
import tempfile
import unittest

import pandas as pd

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "examples", "data")
# The CSV reader's default missing tokens (include/mlpipe/table/csv.h).
NA = ["", "NA", "N/A", "?", "null", "nan", "NaN", "-nan", "-NaN"]
MAX_EXAMPLES = 5
# A value more than this many widths of the observed range outside it is an
# error (docs/validation.md).
FAR_WIDTHS = 10


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


def read_csv(path):
    return pd.read_csv(path, keep_default_na=False, na_values=NA)


def missing_bound(share):
    """The documented rule (docs/validation.md), written independently."""
    return min(1.0, math.ceil((share + max(0.02, 0.5 * share)) * 100 - 1e-9) / 100)


def far_limits(c):
    """The documented "far outside the observed range" limits of a schema column, or None."""
    if "observed_min" not in c:
        return None
    lo, hi = c["observed_min"], c["observed_max"]
    width = hi - lo if hi > lo else abs(lo)
    if width == 0:
        return None
    return lo - FAR_WIDTHS * width, hi + FAR_WIDTHS * width


def range_verdicts(c, nums):
    """Splits numbers (a pandas Series) by the documented range rules:
    written bounds first, then the observed range, then "far" outside it."""
    written = (nums < c.get("min", -math.inf)) | (nums > c.get("max", math.inf))
    rest = nums[~written]
    far = outside = rest.iloc[0:0]
    if "observed_min" in c:
        outside = rest[(rest < c["observed_min"]) | (rest > c["observed_max"])]
        limits = far_limits(c)
        if limits:
            far = outside[(outside < limits[0]) | (outside > limits[1])]
            outside = outside.drop(far.index)
    return nums[written], far, outside


def expected_type(series):
    present = series.dropna()
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_numeric_dtype(series):
        if len(present) == 0:
            return "float64"
        integral = (present == present.round()).all() and present.abs().max() < 2**63
        return "int64" if pd.api.types.is_integer_dtype(series) or integral else "float64"
    distinct = present.astype(str).nunique()
    return "categorical" if distinct <= 1000 and distinct * 2 <= len(present) else "string"


def as_number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def same_value(reported, expected):
    """Reported example values are the reader's text; numbers compare by value."""
    a, b = as_number(reported), as_number(expected)
    if a is not None and b is not None:
        return a == b
    return reported == str(expected)


class SchemaTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def infer(self, name):
        out = os.path.join(self.tmp.name, name + ".schema.json")
        r = run("data", "schema", os.path.join(DATA, name), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            text = f.read()
        return text, json.loads(text)

    def check_against_pandas(self, name):
        text, schema = self.infer(name)
        df = read_csv(os.path.join(DATA, name))
        self.assertEqual(schema["format_version"], 2)
        self.assertEqual(schema["source"], name)
        self.assertEqual([c["name"] for c in schema["columns"]], list(df.columns))
        for c in schema["columns"]:
            s = df[c["name"]]
            with self.subTest(column=c["name"]):
                self.assertEqual(c["type"], expected_type(s))
                self.assertIs(c["required"], True)
                self.assertAlmostEqual(c["max_missing_share"], missing_bound(s.isna().mean()))
                if c["type"] == "categorical":
                    self.assertEqual(c["categories"], sorted(s.dropna().astype(str).unique()))
                    self.assertNotIn("observed_min", c)
                if c["type"] in ("int64", "float64"):
                    # The observed range; min/max are left for a person to write.
                    self.assertEqual(c["observed_min"], s.min())
                    self.assertEqual(c["observed_max"], s.max())
                    self.assertNotIn("categories", c)
                self.assertNotIn("min", c)
                self.assertNotIn("max", c)
                # Stable, human order of keys.
                self.assertEqual(list(c)[:4], ["name", "type", "required", "max_missing_share"])
        # One column per object, indented: the file is meant to be edited.
        self.assertIn('\n    {\n      "name": ', text)
        self.assertTrue(text.endswith("}\n"))
        return schema

    def test_credit_data_schema_matches_pandas(self):
        schema = self.check_against_pandas("credit_data.csv")
        income = next(c for c in schema["columns"] if c["name"] == "Income")
        self.assertGreater(income["max_missing_share"], 0)  # the file has missing incomes

    def test_credit_g_schema_matches_pandas(self):
        self.check_against_pandas("credit-g.csv")

    def test_schema_is_deterministic(self):
        a, _ = self.infer("credit-g.csv")
        b, _ = self.infer("credit-g.csv")
        self.assertEqual(a, b)


class ValidateTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.data = os.path.join(DATA, "credit_data.csv")
        self.schema_path = self.path("schema.json")
        r = run("data", "schema", self.data, "-o", self.schema_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.schema_path) as f:
            self.schema = json.load(f)
        # As a person edits it: Amount gets written bounds, the observed range kept.
        for c in self.schema["columns"]:
            if c["name"] == "Amount":
                c["min"], c["max"] = c["observed_min"], c["observed_max"]
        self.edited_path = self.path("edited.json")
        with open(self.edited_path, "w") as f:
            json.dump(self.schema, f, indent=2)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def test_reference_validates_clean(self):
        for name in ("credit_data.csv", "credit-g.csv"):
            with self.subTest(name=name):
                schema = self.path(name + ".json")
                self.assertEqual(run("data", "schema", os.path.join(DATA, name), "-o", schema).returncode, 0)
                out = self.path(name + ".report.json")
                r = run("data", "validate", os.path.join(DATA, name), "--schema", schema, "--json", out)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                self.assertIn("no anomalies", r.stdout)
                with open(out) as f:
                    report = json.load(f)
                self.assertEqual(report["anomalies"], [])
                self.assertEqual(report["errors"], 0)

    def corrupt(self):
        """A corrupted copy of credit_data and the anomalies pandas expects in it."""
        df = read_csv(self.data)
        n = len(df)
        cols = {c["name"]: c for c in self.schema["columns"]}
        df = df.drop(columns=["Seniority"])  # a required column goes missing
        df["Branch"] = ["north" if i % 3 else None for i in range(n)]  # a column the schema lacks
        df.loc[[10, 200, 3000, 4400, 4453, 77], "Home"] = "castle"  # unseen category
        amount = cols["Amount"]
        df.loc[[5, 50, 500], "Amount"] = amount["max"] + 1000  # above the written bound
        df.loc[[4000], "Amount"] = amount["min"] - 1  # below it
        price = cols["Price"]
        df.loc[[7, 70], "Price"] = price["observed_max"] + 1  # just beyond the observed range
        df.loc[[2, 22, 222], "Expenses"] *= 100  # in other units: far outside it
        df.loc[df.index % 4 == 1, "Debt"] = None  # 25% missing, far above the bound
        df["Age"] = df["Age"].astype(object)
        df.loc[[3, 33, 333], "Age"] = "abc"  # text in an int column
        df.loc[[1000], "Age"] = "2.5"
        df.loc[[17], "Time"] = 36.5  # a fraction: pandas writes the whole column as 60.0, ...
        path = self.path("corrupt.csv")
        df.to_csv(path, index=False)
        df = read_csv(path)  # exactly what the file holds

        expected = {}

        def add(kind, column, rows, values, severity="error", count=None):
            expected[(kind, column)] = {
                "severity": severity,
                "count": len(rows) if count is None else count,
                "examples": [(i + 1, v) for i, v in zip(rows[:MAX_EXAMPLES], values[:MAX_EXAMPLES])],
            }

        for c in self.schema["columns"]:
            name = c["name"]
            if name not in df.columns:
                add("missing_required_column", name, [], [], count=n)
                continue
            s = df[name]
            present = s.dropna()
            if c["type"] == "categorical":
                bad = present[~present.astype(str).isin(c["categories"])]
                if len(bad):
                    add("unseen_category", name, list(bad.index), list(bad.astype(str)))
            elif c["type"] in ("int64", "float64"):
                nums = present.map(as_number).astype(float)  # NaN: not a number
                wrong = nums.isna()
                if c["type"] == "int64":
                    wrong |= ~wrong & (nums != nums.round())
                if wrong.any():
                    add("type_mismatch", name, list(present[wrong].index), list(present[wrong]))
                ok = nums[~wrong].astype(float)
                written, far, outside = range_verdicts(c, ok)
                if len(written):
                    add("out_of_range", name, list(written.index), list(written))
                if len(far):
                    add("far_outside_observed_range", name, list(far.index), list(far))
                if len(outside):
                    add("outside_observed_range", name, list(outside.index), list(outside),
                        severity="warning")
            if s.isna().mean() > c["max_missing_share"] + 1e-12:
                rows = list(s[s.isna()].index)
                add("missing_share_exceeded", name, rows, [""] * len(rows))
        for name in df.columns:
            if name not in cols:
                present = df[name].dropna()
                add("unexpected_column", name, list(present.index), list(present), severity="warning")
        return path, expected

    def check_report(self, report, expected):
        got = {(a["kind"], a["column"]): a for a in report["anomalies"]}
        self.assertEqual(sorted(got), sorted(expected))
        for key, want in expected.items():
            a = got[key]
            with self.subTest(anomaly=key):
                self.assertEqual(a["severity"], want["severity"])
                self.assertEqual(a["count"], want["count"])
                self.assertEqual([e["row"] for e in a["examples"]], [r for r, _ in want["examples"]])
                for e, (_, v) in zip(a["examples"], want["examples"]):
                    self.assertTrue(same_value(e["value"], v), (e["value"], v))
                self.assertTrue(a["message"])

    def test_corrupted_copy(self):
        path, expected = self.corrupt()
        # Every kind the corruption was meant to cause is there.
        kinds = {k for k, _ in expected}
        self.assertEqual(kinds, {"missing_required_column", "unexpected_column", "unseen_category",
                                 "out_of_range", "missing_share_exceeded", "type_mismatch",
                                 "far_outside_observed_range", "outside_observed_range"})
        self.assertIn(("type_mismatch", "Time"), expected)
        self.assertIn(("out_of_range", "Amount"), expected)
        self.assertIn(("far_outside_observed_range", "Expenses"), expected)
        self.assertIn(("outside_observed_range", "Price"), expected)

        out = self.path("report.json")
        r = run("data", "validate", path, "--schema", self.edited_path, "--json", out)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        with open(out) as f:
            report = json.load(f)
        self.check_report(report, expected)
        self.assertEqual(report["errors"], sum(1 for v in expected.values() if v["severity"] == "error"))
        self.assertEqual(report["warnings"], sum(1 for v in expected.values() if v["severity"] == "warning"))
        self.assertEqual(report["rows"], len(read_csv(path)))

        # The terminal table names every anomaly.
        for kind, column in expected:
            self.assertRegex(r.stdout, rf"(?m)^(error|warning) +{kind} +{column} ")
        self.assertIn("the data does not match the schema", r.stdout)

        # The global --json prints the same report on standard output.
        r2 = run("--json", "data", "validate", path, "--schema", self.edited_path)
        self.assertEqual(r2.returncode, 1, r2.stderr)
        self.assertEqual(json.loads(r2.stdout), report)

    def test_warnings_only_exit_zero(self):
        df = read_csv(self.data)
        df["note"] = "x"
        path = self.path("extra.csv")
        df.to_csv(path, index=False)
        r = run("data", "validate", path, "--schema", self.schema_path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"(?m)^warning +unexpected_column +note ")

    def test_categorical_codes_compare_by_text(self):
        # A schema that says categorical for a column the reader infers as int64.
        schema = json.loads(json.dumps(self.schema))
        for c in schema["columns"]:
            if c["name"] == "Time":
                codes = sorted(read_csv(self.data)["Time"].dropna().unique())
                c.clear()
                c.update({"name": "Time", "type": "categorical", "required": True,
                          "max_missing_share": 0, "categories": [str(x) for x in codes[1:]]})
        path = self.path("codes.json")
        with open(path, "w") as f:
            json.dump(schema, f)
        r = run("--json", "data", "validate", self.data, "--schema", path)
        report = json.loads(r.stdout)
        df = read_csv(self.data)
        rows = list(df.index[df["Time"] == codes[0]])
        self.assertEqual(r.returncode, 1)
        self.assertEqual([(a["kind"], a["column"]) for a in report["anomalies"]], [("unseen_category", "Time")])
        self.assertEqual(report["anomalies"][0]["count"], len(rows))
        self.assertEqual([e["row"] for e in report["anomalies"][0]["examples"]], [i + 1 for i in rows[:5]])


    def test_version_1_bounds_stay_errors_and_observed_ones_warn(self):
        df = read_csv(self.data)
        amount = next(c for c in self.schema["columns"] if c["name"] == "Amount")
        cut = amount["observed_max"] - 1000
        beyond = list(df.index[df["Amount"] > cut])
        self.assertGreater(len(beyond), 0)

        # A file written before observed ranges existed: min/max only, read as error bounds.
        old = {"format_version": 1, "columns": []}
        for c in self.schema["columns"]:
            c = {k: v for k, v in c.items() if k not in ("min", "max")}
            if "observed_min" in c:
                c["min"], c["max"] = c.pop("observed_min"), c.pop("observed_max")
            if c["name"] == "Amount":
                c["max"] = cut
            old["columns"].append(c)
        path = self.path("v1.json")
        with open(path, "w") as f:
            json.dump(old, f)
        r = run("--json", "data", "validate", self.data, "--schema", path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual([(a["kind"], a["column"], a["count"]) for a in report["anomalies"]],
                         [("out_of_range", "Amount", len(beyond))])

        # The same range as an observed one: a warning, exit 0.
        new = json.loads(json.dumps(self.schema))
        for c in new["columns"]:
            c.pop("min", None)
            c.pop("max", None)
            if c["name"] == "Amount":
                c["observed_max"] = cut
        path = self.path("v2.json")
        with open(path, "w") as f:
            json.dump(new, f)
        r = run("--json", "data", "validate", self.data, "--schema", path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual([(a["kind"], a["severity"], a["column"], a["count"])
                          for a in report["anomalies"]],
                         [("outside_observed_range", "warning", "Amount", len(beyond))])


class RandomHalvesTest(unittest.TestCase):
    """Every example data set, split in random halves by pandas: the schema
    inferred from one half passes the other (warnings only), and damaged
    copies of the other half fail."""

    SEEDS = (0, 1, 2)

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def datasets(self):
        files = sorted(glob.glob(os.path.join(DATA, "*.csv")))
        self.assertGreaterEqual(len(files), 5)
        return files

    def halves(self, file, seed):
        df = read_csv(file)
        first = df.sample(frac=0.5, random_state=seed)
        second = df.drop(first.index)
        name = os.path.basename(file)
        a, b = self.path(f"{seed}-a-{name}"), self.path(f"{seed}-b-{name}")
        first.to_csv(a, index=False)
        second.to_csv(b, index=False)
        return a, b

    def schema(self, data):
        out = data + ".schema.json"
        r = run("data", "schema", data, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            return out, json.load(f)

    def validate(self, data, schema_path):
        r = run("--json", "data", "validate", data, "--schema", schema_path)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return r.returncode, json.loads(r.stdout)

    def test_the_other_half_passes(self):
        for file in self.datasets():
            for seed in self.SEEDS:
                a, b = self.halves(file, seed)
                for ref, new in ((a, b), (b, a)):
                    with self.subTest(data=os.path.basename(file), seed=seed,
                                      reference=os.path.basename(ref)):
                        schema_path, schema = self.schema(ref)
                        code, report = self.validate(new, schema_path)
                        self.assertEqual(code, 0, json.dumps(report["anomalies"], indent=1))
                        self.assertEqual(report["errors"], 0)
                        # The warnings are exactly the values pandas finds outside
                        # the reference half's observed ranges.
                        df = read_csv(new)
                        expected = {}
                        for c in schema["columns"]:
                            if "observed_min" in c:
                                _, far, outside = range_verdicts(c, df[c["name"]].dropna())
                                self.assertEqual(len(far), 0, c["name"])
                                if len(outside):
                                    expected[c["name"]] = len(outside)
                        got = {a["column"]: a["count"] for a in report["anomalies"]
                               if a["kind"] == "outside_observed_range"}
                        self.assertEqual(got, expected)
                        self.assertEqual(report["warnings"], len(report["anomalies"]))

    def test_damaged_copies_of_the_other_half_fail(self):
        for file in self.datasets():
            name = os.path.basename(file)
            a, b = self.halves(file, 0)
            schema_path, schema = self.schema(a)
            df = read_csv(b)
            columns = {c["name"]: c for c in schema["columns"]}

            def check(what, damaged, kind, column):
                path = self.path(f"damaged-{name}")
                damaged.to_csv(path, index=False)
                code, report = self.validate(path, schema_path)
                with self.subTest(data=name, damage=what):
                    self.assertEqual(code, 1, json.dumps(report["anomalies"], indent=1))
                    self.assertIn((kind, column, "error"),
                                  [(x["kind"], x["column"], x["severity"])
                                   for x in report["anomalies"]])

            # A column removed.
            gone = df.columns[0]
            check(f"{gone} removed", df.drop(columns=[gone]), "missing_required_column", gone)
            # A category renamed (the most frequent one of each categorical column).
            for col, c in columns.items():
                if c["type"] != "categorical":
                    continue
                top = df[col].value_counts().index[0]
                renamed = df.copy()
                renamed[col] = renamed[col].replace({top: f"{top} (renamed)"})
                check(f"{col} category '{top}' renamed", renamed, "unseen_category", col)
            # Values scaled by 100, one numeric column at a time.
            scaled_any = False
            for col, c in columns.items():
                if c["type"] not in ("int64", "float64") or far_limits(c) is None:
                    continue
                if not (df[col].dropna() != 0).any():
                    continue
                scaled = df.copy()
                scaled[col] = scaled[col] * 100
                check(f"{col} scaled by 100", scaled, "far_outside_observed_range", col)
                scaled_any = True
            self.assertTrue(scaled_any, name)


class BadInputTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.data = os.path.join(DATA, "iris.csv")

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_json_syntax_error_names_line_and_column(self):
        text = '{\n  "format_version": 1,\n  "columns": [\n    {"name": "a" "type": "int64"}\n  ]\n}\n'
        path = self.write("bad.json", text)
        offset = text.index('"type"')  # the unexpected token: a comma is missing before it
        line = text.count("\n", 0, offset) + 1
        first = offset - text.rfind("\n", 0, offset)
        r = run("data", "validate", self.data, "--schema", path)
        self.assertEqual(r.returncode, 2, r.stderr)
        m = re.search(re.escape(path) + r":(\d+):(\d+): invalid JSON", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        self.assertEqual(int(m.group(1)), line)
        # The parser names a column within the offending token "type".
        self.assertIn(int(m.group(2)), range(first, first + len('"type"')))

    def test_schema_errors_name_the_key(self):
        cases = {
            '{"format_version": 1, "columns": [{"name": "a", "type": "int64"}, {"name": "b", "type": "integer"}]}':
                "columns[1].type: unknown type 'integer'",
            '{"format_version": 1, "columns": [{"name": "a", "type": "int64"}, {"name": "a", "type": "bool"}]}':
                "columns[1].name: column 'a' is listed twice",
            '{"format_version": 1, "columns": [{"name": "a", "type": "float64", "min": 3, "max": 1}]}':
                "columns[0].min: 3 is greater than max 1",
            '{"format_version": 9, "columns": []}': "format_version: unsupported version 9",
            '{"format_version": 1, "columns": [{"name": "a", "type": "int64", "observed_min": 0}]}':
                "columns[0]: unknown key 'observed_min'",
            '{"format_version": 2, "columns": [{"name": "a", "type": "int64", "observed_min": 0}]}':
                "columns[0].observed_max: observed_min and observed_max go together",
            '{"columns": []}': "format_version: missing required key",
        }
        for text, message in cases.items():
            with self.subTest(message=message):
                path = self.write("s.json", text)
                r = run("data", "validate", self.data, "--schema", path)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(f"{path}: {message}", r.stderr)

    def test_missing_files(self):
        schema = os.path.join(self.tmp.name, "iris.json")
        self.assertEqual(run("data", "schema", self.data, "-o", schema).returncode, 0)
        r = run("data", "validate", os.path.join(self.tmp.name, "nope.csv"), "--schema", schema)
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope.csv", r.stderr)
        r = run("data", "validate", self.data, "--schema", os.path.join(self.tmp.name, "nope.json"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope.json", r.stderr)
        r = run("data", "schema", os.path.join(self.tmp.name, "nope.csv"), "-o", schema + "2")
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(schema + "2"))

    def test_json_error_object_under_global_json(self):
        path = self.write("s.json", "{")
        r = run("--json", "data", "validate", self.data, "--schema", path)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(json.loads(r.stdout)["error"]["code"], "invalid_argument")


if __name__ == "__main__":
    unittest.main()
