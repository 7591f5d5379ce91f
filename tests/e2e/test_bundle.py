"""End-to-end tests of the model bundle (docs/bundle.md).

`mlpipe train --bundle` writes a bundle; `mlpipe predict` with it, in a fresh
process, must reproduce the training-time test predictions (--predictions)
exactly. The byte layout is checked independently: Python's hashlib for every
SHA-256 and the `zstd` command-line tool to decompress the parts. A tampered
copy is refused with exit 3 (data loss) naming the part; a re-sealed copy whose golden
expectations were edited makes `bundle verify` exit 1.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import csv
import hashlib
import json
import os
import shutil
import struct
import subprocess
import tempfile
import unittest

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "examples", "data")


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def read_container(path):
    """The header, manifest and stored parts, parsed by the documented layout."""
    with open(path, "rb") as f:
        b = f.read()
    assert b[:8] == b"MLPIPEB1"
    (m,) = struct.unpack("<Q", b[8:16])
    manifest_bytes = b[80:80 + m]
    return b, m, manifest_bytes, json.loads(manifest_bytes)


def zstd(data, decompress=True):
    args = ["zstd", "-q", "-c"] + (["-d"] if decompress else ["-9", "--no-check"])
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


def seal(manifest, stored_parts):
    """Encodes a container the way docs/bundle.md describes."""
    offset = 0
    for p, data in zip(manifest["parts"], stored_parts):
        p["offset"], p["size"] = offset, len(data)
        p["sha256"] = hashlib.sha256(data).hexdigest()
        offset += len(data)
    text = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    return (b"MLPIPEB1" + struct.pack("<Q", len(text)) +
            hashlib.sha256(text).hexdigest().encode() + text + b"".join(stored_parts))


def write_rows(src, rows, dst, drop=None):
    """Copies the header and the given 0-based data rows of `src` to `dst`."""
    with open(src, newline="") as f:
        table = list(csv.reader(f))
    header, body = table[0], table[1:]
    keep = [i for i, h in enumerate(header) if h != drop]
    with open(dst, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([header[i] for i in keep])
        for r in rows:
            w.writerow([body[r][i] for i in keep])


class CreditBundleTest(unittest.TestCase):
    data = os.path.join(DATA, "credit-g.csv")
    target = "class"
    models = "gbdt"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.bundle = os.path.join(cls.tmp.name, "model.mlpb")
        cls.pred = os.path.join(cls.tmp.name, "train_pred.csv")
        cls.proc = run("train", "--data", cls.data, "--target", cls.target, "--models",
                       cls.models, "--search", "random:3", "--cv", "3", "--bootstrap", "50",
                       "--seed", "5", "--no-track", "--bundle", cls.bundle, "--predictions",
                       cls.pred, cwd=cls.tmp.name)
        with open(cls.pred, newline="") as f:
            cls.train_pred = list(csv.DictReader(f))
        cls.test_csv = os.path.join(cls.tmp.name, "test_rows.csv")
        write_rows(cls.data, [int(r["row"]) for r in cls.train_pred], cls.test_csv,
                   drop=cls.target)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def test_train_wrote_the_bundle(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertIn("wrote bundle", self.proc.stdout)

    def test_predict_reproduces_training_predictions_exactly(self):
        out = self.path("pred.csv")
        p = run("predict", "--model", self.bundle, "--input", self.test_csv, "--output", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, newline="") as f:
            got = list(csv.DictReader(f))
        self.assertEqual(len(got), len(self.train_pred))
        value_cols = [c for c in ("predicted", "score", "prediction") if c in self.train_pred[0]]
        self.assertTrue(value_cols)
        for i, (g, t) in enumerate(zip(got, self.train_pred)):
            self.assertEqual(int(g["row"]), i)
            for c in value_cols:
                self.assertEqual(g[c], t[c], f"row {i} column {c}")
        if "score" in got[0]:  # binary: every class probability too, summing to 1
            probs = [c for c in got[0] if c.startswith("prob_")]
            self.assertEqual(len(probs), 2)
            for g in got:
                self.assertEqual(float(g[probs[1]]), float(g["score"]))
                self.assertAlmostEqual(float(g[probs[0]]) + float(g[probs[1]]), 1, places=12)

    def test_verify_passes(self):
        p = run("bundle", "verify", self.bundle)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("bundle OK", p.stdout)

    def test_inspect_json_lists_the_parts(self):
        p = run("bundle", "inspect", self.bundle, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        j = json.loads(p.stdout)
        names = [x["name"] for x in j["parts"]]
        self.assertEqual(names, ["schema.json", "features.json", "model.json", "reference.json",
                                 "golden.json", "metrics.json", "lineage.json"])
        self.assertEqual(j["target"], self.target)
        with open(self.bundle, "rb") as f:
            self.assertEqual(j["sha256"], hashlib.sha256(f.read()).hexdigest())
        self.assertNotIn(self.target, [c["name"] for c in j["schema"]["columns"]])
        text = run("bundle", "inspect", self.bundle)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("model.json", text.stdout)

    def test_layout_checks_with_hashlib_and_zstd(self):
        b, m, manifest_bytes, manifest = read_container(self.bundle)
        self.assertEqual(b[16:80].decode(), hashlib.sha256(manifest_bytes).hexdigest())
        base = 80 + m
        for p in manifest["parts"]:
            stored = b[base + p["offset"]:base + p["offset"] + p["size"]]
            self.assertEqual(hashlib.sha256(stored).hexdigest(), p["sha256"])
            content = zstd(stored)
            self.assertEqual(len(content), p["raw_size"])
            self.assertEqual(hashlib.sha256(content).hexdigest(), p["content_sha256"])
        self.assertEqual(base + sum(p["size"] for p in manifest["parts"]), len(b))

    def test_tampered_copy_is_refused_naming_the_part(self):
        b, m, _, manifest = read_container(self.bundle)
        for part in ("model.json", "features.json", "golden.json"):
            p = next(x for x in manifest["parts"] if x["name"] == part)
            bad = bytearray(b)
            bad[80 + m + p["offset"] + p["size"] // 2] ^= 0x01
            path = self.path("tampered.mlpb")
            with open(path, "wb") as f:
                f.write(bad)
            for args in (["bundle", "verify", path],
                         ["predict", "--model", path, "--input", self.test_csv, "--output",
                          self.path("x.csv")]):
                r = run(*args)
                self.assertEqual(r.returncode, 3, r.stderr)  # data loss
                self.assertIn(f"part {part}: checksum mismatch", r.stderr)
        truncated = self.path("truncated.mlpb")
        with open(truncated, "wb") as f:
            f.write(b[:len(b) - 10])
        r = run("bundle", "verify", truncated)
        self.assertEqual(r.returncode, 3)
        self.assertIn("truncated", r.stderr)
        # A file that is no bundle at all is bad input (2), not data loss.
        for args in (["bundle", "verify", self.test_csv],
                     ["predict", "--model", self.test_csv, "--input", self.test_csv,
                      "--output", self.path("x.csv")]):
            r = run(*args)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("not an mlpipe bundle", r.stderr)

    def test_resealed_golden_edit_fails_verify_with_exit_1(self):
        b, m, _, manifest = read_container(self.bundle)
        base = 80 + m
        stored = [b[base + p["offset"]:base + p["offset"] + p["size"]] for p in manifest["parts"]]
        gi = [p["name"] for p in manifest["parts"]].index("golden.json")
        golden = json.loads(zstd(stored[gi]))
        e = golden["expected"][3]
        if "prediction" in e:
            e["prediction"] += 1.0
        else:
            e["probabilities"][0] += 1e-6
        content = json.dumps(golden).encode()
        manifest["parts"][gi]["raw_size"] = len(content)
        manifest["parts"][gi]["content_sha256"] = hashlib.sha256(content).hexdigest()
        stored[gi] = zstd(content, decompress=False)
        path = self.path("resealed.mlpb")
        with open(path, "wb") as f:
            f.write(seal(manifest, stored))
        r = run("bundle", "verify", path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("golden row 3", r.stderr)

    def reseal_part(self, name, edit_content=None, raw_size=None, frame=None):
        """A copy of the bundle with part `name` changed and every checksum valid."""
        b, m, _, manifest = read_container(self.bundle)
        base = 80 + m
        stored = [b[base + p["offset"]:base + p["offset"] + p["size"]] for p in manifest["parts"]]
        i = [p["name"] for p in manifest["parts"]].index(name)
        if edit_content is not None:
            content = edit_content(zstd(stored[i]))
            manifest["parts"][i]["raw_size"] = len(content)
            manifest["parts"][i]["content_sha256"] = hashlib.sha256(content).hexdigest()
            stored[i] = zstd(content, decompress=False)
        if frame is not None:
            stored[i] = frame
        if raw_size is not None:
            manifest["parts"][i]["raw_size"] = raw_size
        path = self.path("crafted-%s-%d.mlpb" % (name, len(os.listdir(self.tmp.name))))
        with open(path, "wb") as f:
            f.write(seal(manifest, stored))
        return path

    def test_crafted_golden_null_is_refused_naming_part_and_field(self):
        # Regression: a null where a class name belongs ended `bundle verify`
        # as exit 3 with a raw library message, and `predict` accepted it.
        kind = []

        def null_predicted(raw):
            golden = json.loads(raw)
            key = "predicted" if "predicted" in golden["expected"][3] else "prediction"
            golden["expected"][3][key] = None if key == "predicted" else "x"
            kind.append(key)
            return json.dumps(golden).encode()
        path = self.reseal_part("golden.json", edit_content=null_predicted)
        field = "expected[3].predicted: expected a string, found null"
        if kind == ["prediction"]:
            field = "expected[3].prediction: expected a number, found string"
        out = self.path("never.csv")
        for args in (["bundle", "verify", path], ["bundle", "inspect", path],
                     ["predict", "--model", path, "--input", self.test_csv, "--output", out]):
            r = run(*args)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))
            self.assertIn("part golden.json: " + field, r.stderr)
            self.assertNotIn("json.exception", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_part_claiming_4_gib_is_refused_without_allocating_it(self):
        # Regression: a manifest claiming a 4 GiB part (checksums valid) made
        # verify, predict and inspect allocate 4 GiB before refusing. Under a
        # 1.5 GB address-space limit the refusal must still name the part.
        import resource
        import time

        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (1500 << 20, 1500 << 20))

        huge = (4 << 30) - 1
        b, m, _, manifest = read_container(self.bundle)
        base = 80 + m
        gi = [p["name"] for p in manifest["parts"]].index("golden.json")
        p = manifest["parts"][gi]
        raw = zstd(b[base + p["offset"]:base + p["offset"] + p["size"]])
        cases = [
            # mlpipe's frame records its size: refused from the frame header.
            (self.reseal_part("golden.json", raw_size=huge),
             "raw_size %d in the manifest, but the compressed frame holds %d bytes"
             % (huge, len(raw))),
            # The zstd tool's frame (from a pipe) does not: refused when it ends short.
            (self.reseal_part("golden.json", raw_size=huge, frame=zstd(raw, decompress=False)),
             "decompresses to %d bytes, not its raw_size of %d" % (len(raw), huge)),
        ]
        for path, message in cases:
            self.assertLess(os.path.getsize(path), 1 << 20)
            for args in (["bundle", "verify", path], ["bundle", "inspect", path],
                         ["predict", "--model", path, "--input", self.test_csv, "--output",
                          self.path("never.csv")]):
                start = time.monotonic()
                r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120,
                                   preexec_fn=limit)
                self.assertEqual(r.returncode, 3, (args, r.stdout, r.stderr))
                self.assertIn("part golden.json: " + message, r.stderr)
                self.assertLess(time.monotonic() - start, 30)

    def test_missing_column_names_it(self):
        bad = self.path("no_age.csv")
        write_rows(self.data, [0, 1, 2], bad, drop=self.drop_column())
        r = run("predict", "--model", self.bundle, "--input", bad, "--output", self.path("o.csv"))
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"no column '{self.drop_column()}'", r.stderr)

    def test_unscorable_row_is_named_by_line_and_the_others_scored(self):
        with open(self.test_csv, newline="") as f:
            table = list(csv.reader(f))
        col = table[0].index(self.drop_column())
        rows = table[:11]
        rows[5][col] = "unknown"  # data row 4, file line 6: not a number
        rows[7][col] = ""         # data row 6: missing, scored all the same
        bad = self.path("one_bad_row.csv")
        with open(bad, "w", newline="") as f:
            csv.writer(f).writerows(rows)
        out = self.path("one_bad_pred.csv")
        r = run("predict", "--model", self.bundle, "--input", bad, "--output", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"{bad}:6: row not scored", r.stderr)
        self.assertIn("unknown", r.stderr)
        self.assertEqual(r.stderr.count("row not scored"), 1, r.stderr)
        with open(out, newline="") as f:
            got = list(csv.reader(f))
        self.assertEqual(len(got), 11)
        self.assertEqual(got[5], ["4"] + [""] * (len(got[0]) - 1))
        self.assertTrue(all(v != "" for v in got[7]), got[7])
        for i in (1, 2, 3, 4, 6, 8, 9, 10):
            want = self.train_pred[i - 1]
            self.assertEqual(got[i][1], want[got[0][1]], f"line {i}")

    def drop_column(self):
        return "age"


class CpuRegressionBundleTest(CreditBundleTest):
    data = os.path.join(DATA, "cpu.csv")
    target = "class"
    models = "ridge,gbdt"

    def drop_column(self):
        return "MMAX"


class ProjectArtifactTest(unittest.TestCase):
    """train --bundle inside a project logs the bundle as the run's artifact.
    (MODEL@VERSION refs are unit-tested in src/bundle/ref_test.cc: no command
    registers a version yet.)"""

    def test_train_in_project_logs_the_bundle_artifact(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, ".mlpipe"))
            data = os.path.join(tmp, "credit-g.csv")
            shutil.copy(os.path.join(DATA, "credit-g.csv"), data)
            bundle = os.path.join(tmp, "m.mlpb")
            p = run("train", "--data", data, "--target", "class", "--models", "logreg",
                    "--search", "random:2", "--cv", "2", "--bootstrap", "20", "--bundle", bundle,
                    "--json", cwd=tmp)
            self.assertEqual(p.returncode, 0, p.stderr)
            run_id = json.loads(p.stdout)["run_id"]
            shown = run("runs", "show", run_id, "--json", cwd=tmp)
            self.assertEqual(shown.returncode, 0, shown.stderr)
            arts = {a["path"]: a for a in json.loads(shown.stdout)["run"]["artifacts"]}
            self.assertIn("model.mlpb", arts)
            with open(bundle, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            self.assertEqual(arts["model.mlpb"]["hash"], digest)
            insp = json.loads(run("bundle", "inspect", bundle, "--json").stdout)
            self.assertEqual(insp["lineage"]["run_id"], run_id)


if __name__ == "__main__":
    unittest.main()
