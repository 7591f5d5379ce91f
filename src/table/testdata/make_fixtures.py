#!/usr/bin/python3
"""The expected files of the CSV conformance corpus (csv/NAME.csv beside
csv/NAME.expected.json), read by csv_conformance_test.cc.

For a file mlpipe reads, the expected columns come from independent parsers:
  - field values: Python's csv module (blank lines dropped, a UTF-8 byte-order
    mark removed, as mlpipe does), converted to the column's type;
  - column names: pandas.read_csv (which names a duplicate `x.1` and an empty
    header `Unnamed: 2`, as mlpipe does);
  - missing values: pandas with mlpipe's missing tokens ("", NA, N/A, ?, null,
    nan, NaN, -nan, -NaN); a float64 value that is NaN in another spelling is
    missing too (pandas keeps such a column as text).
The column types are mlpipe's inference, written in CASES below: Python has no
categorical/string distinction. Each is checked against the dtype pandas infers
(int64 <-> i, or f with a missing value; float64 <-> f; bool <-> b; string and
categorical <-> O); where pandas differs, the case says why.

The error cases are written by hand: the expected text is mlpipe's own error
message (file, line, byte offset), which no other parser produces. Each says
how Python's parsers treat the same file.

Usage (tests/support/fixture_main.py):
  /usr/bin/python3 make_fixtures.py OUT_DIR        write csv/*.expected.json into OUT_DIR
  /usr/bin/python3 make_fixtures.py --check DIR    regenerate into a temporary folder;
                                                   exit 1 if a file differs from DIR's
"""
import csv
import json
import math
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "support"))
import fixture_main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "csv")
# mlpipe's default missing tokens (table/csv.h)
MISSING = ["", "NA", "N/A", "?", "null", "nan", "NaN", "-nan", "-NaN"]
PANDAS_KIND = {"int64": "i", "float64": "f", "bool": "b", "string": "O", "categorical": "O"}

CASES = {
    "basic": {"types": ["string", "int64", "float64", "bool", "categorical"],
              # pandas reads true/false/TRUE/False as bool.
              },
    # Decimal commas in a ';' file are numbers: pandas with decimal=",".
    "bom_semicolon": {"delimiter": ";", "decimal": ",",
                      "types": ["int64", "float64", "categorical"]},
    "cr_only": {"types": ["int64", "string"]},
    "numeric_edges": {
        "types": ["float64", "float64", "float64", "float64"],
        # 2^63 fits no int64 and -1 no uint64: mlpipe makes the column float64,
        # pandas keeps it as text. nan and NaN are missing in both.
        "pandas_kinds": ["O", "f", "f", "f"],
    },
    "nan_spellings": {
        "types": ["float64", "float64", "string"],
        # NAN is no missing token, but mlpipe reads it as a float64 NaN, which
        # is missing; pandas keeps that column as text. -inf and Infinity are
        # numbers in both.
        "pandas_kinds": ["O", "f", "O"],
    },
    "pipe_duplicate_names": {"delimiter": "|", "types": ["int64"] * 4},
    "quote_oddities": {"types": ["string", "string"]},
    "quoted_crlf": {
        "types": ["int64", "string", "int64"],
        # Python's csv module and pandas cannot tell a quoted "NA" from a bare NA;
        # mlpipe reads a quoted missing token as text (only "" is missing however
        # quoted). Row 4 of `text` is written "NA" in quotes.
        "quoted_tokens": {"text": [4]},
    },
    "tab_blank_line": {"delimiter": "\t", "types": ["int64", "string"]},
    # Hand-written: mlpipe's messages. Python's csv module raises UnicodeDecodeError
    # on the same bytes.
    "bad_utf8": {"error": "bad_utf8.csv: invalid UTF-8 at byte offset 17 (line 3)"},
    # pandas raises EmptyDataError; the csv module yields no row.
    "empty": {"error": "empty.csv: the file is empty"},
    # The csv module returns the short row and pandas fills it with NaN: mlpipe
    # rejects a record with the wrong number of fields.
    "ragged": {"error": "ragged.csv:4: expected 2 fields, found 1"},
    # The csv module in strict mode raises "unexpected end of data".
    "unterminated": {"error": "unterminated.csv:2: unterminated quoted field (opened here)"},
}


def fields(path, delimiter):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [r for r in csv.reader(f, delimiter=delimiter) if r]


def value(text, kind, missing, decimal="."):
    if missing:
        return None
    if kind == "int64":
        return int(text)
    if kind == "float64":
        x = float(text.replace(decimal, ".") if decimal != "." else text)
        if math.isnan(x):
            return None  # NaN is missing, never a value
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"not a bool: {text!r}")
        return text.lower() == "true"
    return text


def expected(name, spec):
    if "error" in spec:
        return {"error": spec["error"]}
    path = os.path.join(CORPUS, name + ".csv")
    delimiter = spec.get("delimiter", ",")
    rows = fields(path, delimiter)
    decimal = spec.get("decimal", ".")
    df = pd.read_csv(path, sep=delimiter, keep_default_na=False, na_values=MISSING,
                     encoding="utf-8-sig", decimal=decimal)
    types = spec["types"]
    names = [str(c) for c in df.columns]
    if len(names) != len(types) or any(len(r) != len(types) for r in rows):
        raise SystemExit(f"{name}: {len(types)} types for rows of {[len(r) for r in rows]}")
    if len(df) != len(rows) - 1:
        raise SystemExit(f"{name}: pandas reads {len(df)} rows, the csv module {len(rows) - 1}")
    # pandas cannot hold a missing value in an integer column: it makes it float.
    kinds = spec.get("pandas_kinds", [
        "f" if t == "int64" and df[n].isna().any() else PANDAS_KIND[t]
        for n, t in zip(names, types)])
    quoted = spec.get("quoted_tokens", {})
    columns = []
    for c, (col, kind) in enumerate(zip(names, types)):
        if df[col].dtype.kind != kinds[c]:
            raise SystemExit(f"{name}: column {col} is {df[col].dtype} in pandas, "
                             f"expected kind {kinds[c]} for {kind}")
        values = []
        for r, row in enumerate(rows[1:]):
            missing = bool(df[col].isna().iloc[r]) and r not in quoted.get(col, [])
            values.append(value(row[c], kind, missing, decimal))
        columns.append({"name": col, "type": kind, "values": values})
    out = {}
    if delimiter != ",":
        out["delimiter"] = delimiter
    out["columns"] = columns
    return out


def dump(doc):
    """One column per line, as the hand-written files were laid out."""
    if "columns" not in doc:
        return json.dumps(doc) + "\n"
    head = json.dumps({k: v for k, v in doc.items() if k != "columns"})[:-1]
    head = head + ", " if head != "{" else head
    cols = ",\n".join("  " + json.dumps(c, allow_nan=False) for c in doc["columns"])
    return head + '"columns": [\n' + cols + "\n]}\n"


def write_all(out_dir):
    os.makedirs(os.path.join(out_dir, "csv"), exist_ok=True)
    corpus = sorted(f[:-4] for f in os.listdir(CORPUS) if f.endswith(".csv"))
    if sorted(CASES) != corpus:
        raise SystemExit(f"CASES {sorted(CASES)} do not match the corpus {corpus}")
    names = []
    for name in corpus:
        rel = os.path.join("csv", name + ".expected.json")
        with open(os.path.join(out_dir, rel), "w", encoding="utf-8") as f:
            f.write(dump(expected(name, CASES[name])))
        names.append(rel)
    return names


if __name__ == "__main__":
    sys.exit(fixture_main.main(sys.argv, write_all, __doc__))
