"""End-to-end tests: the commands that read or change existing records, run
outside a project, say there is none (exit 2) and create nothing.

Independent reference: the folder's listing before and after (os.walk).

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import os
import subprocess
import tempfile
import unittest

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")

# Every command over a project's records, with arguments it would accept inside one.
QUERIES = [
    ["runs", "list"],
    ["runs", "show", "abc123"],
    ["runs", "compare", "abc123", "def456"],
    ["runs", "search", "metrics.roc_auc > 0.5"],
    ["registry", "list"],
    ["registry", "show", "credit@1"],
    ["registry", "history", "credit"],
    ["gates", "credit@1"],
    ["approve", "credit@1", "--role", "risk", "--by", "ann"],
    ["promote", "credit@1", "--to", "champion"],
    ["rollback", "credit"],
    ["lineage", "credit@1"],
    ["audit", "log"],
    ["audit", "verify"],
    ["gc", "--dry-run"],
    ["gc"],
    ["data", "list"],
    ["data", "show", "credit@1"],
    ["data", "diff", "credit@1", "credit@2"],
    ["data", "get", "credit@1", "-o", "out.csv"],
    ["reproduce", "abc123"],
    ["bundle", "inspect", "credit@1"],
]


def listing(root):
    out = []
    for d, dirs, files in os.walk(root):
        out += [os.path.relpath(os.path.join(d, n), root) for n in dirs + files]
    return sorted(out)


class NoProjectTest(unittest.TestCase):
    def test_queries_outside_a_project_create_nothing(self):
        for args in QUERIES:
            with self.subTest(args=args), tempfile.TemporaryDirectory() as tmp:
                r = subprocess.run([BIN, *args], cwd=tmp, capture_output=True, text=True,
                                   timeout=60)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("no mlpipe project", r.stderr)
                self.assertTrue(r.stderr.startswith("error: "), r.stderr)
                self.assertEqual(listing(tmp), [])

    def test_project_flag_naming_an_empty_folder_creates_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            empty = os.path.join(tmp, "empty")
            os.mkdir(empty)
            r = subprocess.run([BIN, "--project", empty, "runs", "list"], cwd=tmp,
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("no mlpipe project in " + empty, r.stderr)
            self.assertEqual(listing(tmp), ["empty"])


if __name__ == "__main__":
    unittest.main()
