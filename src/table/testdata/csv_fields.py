"""Prints the fields of a CSV file as Python's csv module parses it, as JSON.

Usage: csv_fields.py FILE DELIMITER. Blank lines (empty rows) are dropped and a
UTF-8 byte-order mark is removed, as mlpipe does. The independent reference
for csv_conformance_test.cc.
"""
import csv
import json
import sys

with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    rows = [r for r in csv.reader(f, delimiter=sys.argv[2]) if r]
print(json.dumps(rows))
