"""End-to-end tests of the commands over the project's stores: `mlpipe runs`,
`registry`, `lineage`, `audit` and `gc` (docs/tracking.md).

Runs, data versions, lineage and the audit chain are produced by mlpipe itself
(`mlpipe data add`, `mlpipe train` inside a project). The registry has no
command that writes yet, so models, versions, aliases and their history are
inserted with Python's sqlite3 into the schema of src/store/schema.cc. The
independent truth is `.mlpipe/meta.db` read with Python's sqlite3, the object
files re-hashed with hashlib and the audit hashes recomputed from their
documented definition.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import calendar
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
IRIS = os.path.join(SRC, "examples", "data", "iris.csv")
CREDIT = os.path.join(SRC, "examples", "data", "credit-g.csv")

ZERO = "0" * 64


def utc_us(y, mo, d, h=0, mi=0, s=0):
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) * 1000000


# Alias moves seeded into the registry, in time order.
T1 = utc_us(2024, 1, 10, 9)  # prod: - -> 1
T2 = utc_us(2024, 2, 1, 12)  # staging: - -> 2
T3 = utc_us(2024, 3, 1, 12)  # prod: 1 -> 2
T4 = utc_us(2024, 4, 1, 0)  # staging: 2 -> - (removed)


def mlpipe(project, *args, env=None):
    return subprocess.run([BIN, "--project", project, *args], capture_output=True, text=True,
                          timeout=300, env=env)


def js(proc):
    return json.loads(proc.stdout)


def db(project):
    con = sqlite3.connect(os.path.join(project, ".mlpipe", "meta.db"))
    con.row_factory = sqlite3.Row
    return con


def object_path(project, h):
    return os.path.join(project, ".mlpipe", "objects", h[:2], h[2:])


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def audit_hash(row):
    """The documented hash of an audit entry (src/store/audit_records.cc)."""
    def field(x):
        b = x.encode() if isinstance(x, str) else x
        return b"%d:%s\n" % (len(b), b)
    parts = [str(row["seq"]), str(row["time_us"]), row["actor"], row["action"], row["subject"],
             row["details_json"], row["prev_hash"]]
    return hashlib.sha256(b"".join(field(p) for p in parts)).hexdigest()


def seed_registry(project, run1, run2, bundle1, bundle2):
    """Two versions of credit-risk, aliases prod and staging with four moves,
    and lineage: run1's model.json -> register -> model credit-risk@1."""
    con = db(project)
    with con:
        con.execute("INSERT INTO registered_models (name, description, created_us) VALUES "
                    "('credit-risk', 'default risk', ?)", (T1 - 1000,))
        for v, bundle, run, status, metrics in [
                (1, bundle1, run1, "ready", '{"roc_auc": 0.75}'),
                (2, bundle2, run2, "pending", '{"roc_auc": 0.8125}')]:
            con.execute("INSERT INTO model_versions (model, version, bundle_hash, run_id, "
                        "metrics_json, status, description, created_us) VALUES "
                        "('credit-risk', ?, ?, ?, ?, ?, '', ?)",
                        (v, bundle, run, metrics, status, T1 - 500 + v))
        con.execute("INSERT INTO model_version_tags VALUES ('credit-risk', 1, 'team', 'risk')")
        con.execute("INSERT INTO aliases VALUES ('credit-risk', 'prod', 2)")
        for alias, frm, to, t, who, why in [("prod", 0, 1, T1, "alice", "first"),
                                            ("staging", 0, 2, T2, "bob", "try it"),
                                            ("prod", 1, 2, T3, "carol", "better auc"),
                                            ("staging", 2, 0, T4, "bob", "done")]:
            con.execute("INSERT INTO alias_history (model, alias, from_version, to_version, "
                        "actor, time_us, reason) VALUES ('credit-risk', ?, ?, ?, ?, ?, ?)",
                        (alias, frm, to, who, t, why))
        src = con.execute("SELECT id FROM lineage_artifacts WHERE kind = 'object' AND name = ?",
                          (run1 + "/model.json",)).fetchone()
        assert src is not None, "train recorded no model.json lineage node"
        cur = con.execute("INSERT INTO lineage_artifacts (kind, name, hash) VALUES "
                          "('model', 'credit-risk@1', ?)", (bundle1,))
        model_id = cur.lastrowid
        cur = con.execute("INSERT INTO executions (type, run_id, properties_json, start_us, end_us)"
                          " VALUES ('register', ?, '{}', ?, ?)", (run1, T1, T1))
        ex = cur.lastrowid
        con.execute("INSERT INTO events VALUES (?, ?, 'input', 'model')", (ex, src["id"]))
        con.execute("INSERT INTO events VALUES (?, ?, 'output', 'version')", (ex, model_id))
    con.close()


class TrackingTest(unittest.TestCase):
    """One project: iris added as data, two tracked trainings, a seeded registry."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.project = os.path.join(cls.tmp.name, "proj")
        os.makedirs(cls.project)
        add = mlpipe(cls.project, "data", "add", IRIS, "--name", "iris")
        assert add.returncode == 0, add.stderr
        cls.runs = []
        for seed, experiment in [("1", "Default"), ("2", "tuning")]:
            p = mlpipe(cls.project, "train", "--data", IRIS, "--target", "class", "--models",
                       "logreg", "--search", "random:2", "--cv", "2", "--bootstrap", "20",
                       "--seed", seed, "--experiment", experiment, "--json")
            assert p.returncode == 0, p.stderr
            cls.runs.append(js(p)["run_id"])
            time.sleep(0.01)
        con = db(cls.project)
        arts = {r["path"]: r["object_hash"] for r in
                con.execute("SELECT path, object_hash FROM run_artifacts WHERE run_id = ?",
                            (cls.runs[0],))}
        arts2 = {r["path"]: r["object_hash"] for r in
                 con.execute("SELECT path, object_hash FROM run_artifacts WHERE run_id = ?",
                             (cls.runs[1],))}
        con.close()
        seed_registry(cls.project, cls.runs[0], cls.runs[1], arts["model.json"],
                      arts2["model.json"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_ok(self, *args):
        p = mlpipe(self.project, *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p

    def run_bad(self, *args, code=2):
        p = mlpipe(self.project, *args)
        self.assertEqual(p.returncode, code, (p.stdout, p.stderr))
        return p

    def copy_project(self):
        dst = os.path.join(tempfile.mkdtemp(dir=self.tmp.name), "proj")
        shutil.copytree(self.project, dst)
        return dst

    # ---- runs -------------------------------------------------------------

    def test_runs_list_newest_first(self):
        out = js(self.run_ok("runs", "list", "--limit", "1000", "--json"))
        con = db(self.project)
        truth = [tuple(r) for r in con.execute(
            "SELECT run_id, COALESCE(parent_run_id, '') FROM runs ORDER BY start_us DESC, run_id")]
        con.close()
        self.assertEqual(out["total"], len(truth))
        self.assertEqual([(r["run_id"], r["parent_run_id"] or "") for r in out["runs"]], truth)
        # Each training is a run with one child run per search trial.
        children = [r for r in out["runs"] if r["parent_run_id"] == self.runs[0]]
        self.assertEqual(len(children), 2)
        self.assertTrue(all(c["name"].startswith("logreg trial") for c in children))
        first = [r for r in out["runs"] if r["run_id"] == self.runs[0]][0]
        self.assertEqual(first["status"], "FINISHED")
        self.assertEqual(first["experiment"], "Default")
        self.assertTrue(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["start_time"]))
        self.assertEqual(calendar.timegm(time.strptime(first["start_time"], "%Y-%m-%dT%H:%M:%SZ")),
                         first["start_us"] // 1000000)
        self.assertGreaterEqual(first["end_us"], first["start_us"])
        text = self.run_ok("runs", "list").stdout
        self.assertIn(self.runs[0], text)
        self.assertIn("FINISHED", text)
        self.assertTrue(text.splitlines()[0].startswith("RUN"))

    def test_runs_list_paging_and_experiment(self):
        all_runs = js(self.run_ok("runs", "list", "--json"))
        page = js(self.run_ok("runs", "list", "--limit", "1", "--offset", "1", "--json"))
        self.assertEqual(page["total"], all_runs["total"])
        self.assertEqual((page["limit"], page["offset"]), (1, 1))
        self.assertEqual([r["run_id"] for r in page["runs"]], [all_runs["runs"][1]["run_id"]])
        tuning = js(self.run_ok("runs", "list", "--experiment", "tuning", "--json"))
        self.assertEqual({r["parent_run_id"] or r["run_id"] for r in tuning["runs"]},
                         {self.runs[1]})
        p = self.run_bad("runs", "list", "--experiment", "nope")
        self.assertIn("nope", p.stderr)
        self.run_bad("runs", "list", "--limit", "-1")

    def test_runs_show_matches_the_database(self):
        run = js(self.run_ok("runs", "show", self.runs[0], "--json"))["run"]
        con = db(self.project)
        rid = self.runs[0]
        row = con.execute("SELECT * FROM runs WHERE run_id = ?", (rid,)).fetchone()
        params = dict(con.execute("SELECT key, value FROM params WHERE run_id = ?", (rid,)))
        tags = dict(con.execute("SELECT key, value FROM tags WHERE run_id = ?", (rid,)))
        metrics = {r["key"]: r["value"] for r in
                   con.execute("SELECT key, value FROM latest_metrics WHERE run_id = ?", (rid,))}
        arts = {r["path"]: (r["object_hash"], r["size"]) for r in
                con.execute("SELECT * FROM run_artifacts WHERE run_id = ?", (rid,))}
        inputs = sorted((r["dataset"], r["version"], r["role"]) for r in
                        con.execute("SELECT * FROM run_inputs WHERE run_id = ?", (rid,)))
        con.close()
        self.assertEqual(run["run_id"], rid)
        self.assertEqual(run["params"], params)
        self.assertEqual(params["seed"], "1")
        self.assertEqual(run["tags"], tags)
        self.assertEqual({k: v["value"] for k, v in run["metrics"].items()}, metrics)
        self.assertTrue(metrics)
        self.assertEqual({a["path"]: (a["hash"], a["size"]) for a in run["artifacts"]}, arts)
        for h, size in arts.values():  # the objects exist and hash to their names
            self.assertEqual(sha256_file(object_path(self.project, h)), h)
            self.assertEqual(os.path.getsize(object_path(self.project, h)), size)
        self.assertEqual(sorted((i["dataset"], i["version"], i["role"]) for i in run["inputs"]),
                         inputs)
        self.assertIn(("iris", 1, "train"), inputs)
        origin = run["origin"]
        self.assertEqual(origin["host"], row["host"])
        self.assertEqual(origin["host"], socket.gethostname())
        self.assertEqual(origin["user"], row["user_name"])
        self.assertIn("train", origin["command"])
        self.assertEqual(origin["git_commit"], row["git_commit"])
        self.assertEqual(origin["git_dirty"], bool(row["git_dirty"]))

        text = self.run_ok("runs", "show", rid).stdout
        for needle in ["host", "git commit", "params", "metrics (latest)", "artifacts",
                       "dataset inputs", "iris@1", "model.json", arts["model.json"][0]]:
            self.assertIn(needle, text)

    def test_runs_show_prefix_and_unknown(self):
        run = js(self.run_ok("runs", "show", self.runs[1][:10], "--json"))["run"]
        self.assertEqual(run["run_id"], self.runs[1])
        p = self.run_bad("runs", "show", "0123456789abcdef0123456789abcdef")
        self.assertIn("0123456789abcdef0123456789abcdef", p.stderr)
        p = mlpipe(self.project, "--json", "runs", "show", "no-such-run")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(js(p)["error"]["code"], "not_found")

    def test_runs_compare(self):
        out = js(self.run_ok("runs", "compare", *self.runs, "--json"))
        self.assertEqual([r["run_id"] for r in out["runs"]], self.runs)
        con = db(self.project)
        for key, cell in out["params"].items():
            truth = [con.execute("SELECT value FROM params WHERE run_id = ? AND key = ?",
                                 (r, key)).fetchone() for r in self.runs]
            truth = [t[0] if t else None for t in truth]
            self.assertEqual(cell["values"], truth, key)
            self.assertEqual(cell["differs"], truth[0] != truth[1], key)
        for key, cell in out["metrics"].items():
            truth = [con.execute("SELECT value FROM latest_metrics WHERE run_id = ? AND key = ?",
                                 (r, key)).fetchone() for r in self.runs]
            truth = [t[0] if t else None for t in truth]
            self.assertEqual(cell["values"], truth, key)
        con.close()
        self.assertTrue(out["params"]["seed"]["differs"])
        text = self.run_ok("runs", "compare", *self.runs).stdout
        seed_line = [l for l in text.splitlines() if "params.seed" in l][0]
        self.assertTrue(seed_line.startswith("*"), seed_line)
        self.run_bad("runs", "compare", self.runs[0])  # needs two runs
        self.run_bad("runs", "compare", self.runs[0], "ffffffffffffffffffffffffffffffff")

    def test_runs_search_against_sqlite(self):
        con = db(self.project)
        key = con.execute("SELECT key FROM latest_metrics WHERE run_id = ? ORDER BY key LIMIT 1",
                          (self.runs[0],)).fetchone()[0]
        values = {r["run_id"]: r["value"] for r in
                  con.execute("SELECT run_id, value FROM latest_metrics WHERE key = ?", (key,))}
        con.close()
        threshold = min(values.values())
        q = 'metrics."%s" >= %r' % (key, threshold)
        out = js(self.run_ok("runs", "search", q, "--json"))
        self.assertEqual(sorted(r["run_id"] for r in out["runs"]),
                         sorted(r for r, v in values.items() if v >= threshold))
        out = js(self.run_ok("runs", "search", "params.seed = '2'", "--json"))
        self.assertEqual([r["run_id"] for r in out["runs"]], [self.runs[1]])
        out = js(self.run_ok("runs", "search", "attributes.status = 'FINISHED'",
                             "--order-by", "start_time", "--json"))
        starts = [r["start_us"] for r in out["runs"]]
        self.assertEqual(starts, sorted(starts))
        out = js(self.run_ok("runs", "search", "", "--order-by", "start_time DESC", "--limit",
                             "1", "--json"))
        con = db(self.project)
        newest = con.execute("SELECT run_id FROM runs ORDER BY start_us DESC, run_id").fetchone()
        # Top-level runs by a metric, best first; runs without it come last.
        by_metric = [r[0] for r in con.execute(
            "SELECT r.run_id FROM runs r LEFT JOIN latest_metrics m ON m.run_id = r.run_id "
            "AND m.key = ? ORDER BY m.value IS NULL, m.value DESC, r.run_id", (key,))]
        con.close()
        self.assertEqual(out["runs"][0]["run_id"], newest[0])
        out = js(self.run_ok("runs", "search", "", "--order-by", 'metrics."%s" DESC' % key,
                             "--limit", "1000", "--json"))
        self.assertEqual([r["run_id"] for r in out["runs"]], by_metric)
        text = self.run_ok("runs", "search", "params.seed = '2'").stdout
        self.assertIn(self.runs[1], text)
        self.assertIn("(1 run)", text)

    def test_runs_search_malformed_query_points_at_the_column(self):
        q = "metrics.roc_auc > 0.8 and params.model =="
        p = self.run_bad("runs", "search", q)
        m = re.search(r"column (\d+)", p.stderr)
        self.assertIsNotNone(m, p.stderr)
        column = int(m.group(1))
        lines = p.stderr.splitlines()
        qi = [i for i, l in enumerate(lines) if l.strip() == q][0]
        caret = lines[qi + 1]
        self.assertEqual(caret.index("^") - lines[qi].index(q), column - 1)
        p = mlpipe(self.project, "--json", "runs", "search", "metrics.x > > 1")
        self.assertEqual(p.returncode, 2)
        err = js(p)["error"]
        self.assertEqual(err["code"], "invalid_argument")
        self.assertIn("column 13", err["message"])
        p = self.run_bad("runs", "search", "", "--order-by", "metrics.x SIDEWAYS")
        self.assertIn("order-by", p.stderr)

    def test_runs_search_hostile_queries_are_bad_input(self):
        # Regression: 10,000 nested parentheses crashed, 500 ended as an
        # internal error (exit 3) and a time beyond int64 matched every run.
        for depth in (500, 10000):
            p = self.run_bad("runs", "search", "(" * depth + "seed = 1" + ")" * depth)
            self.assertIn("deeper than 32 levels", p.stderr)
        p = self.run_bad("runs", "search", "not " * 10000 + "seed = 1")
        self.assertIn("deeper than 32 levels", p.stderr)
        p = self.run_bad("runs", "search", "start_time > 9223372036854775807")
        self.assertIn("out of range", p.stderr)
        p = self.run_bad("runs", "search", "metrics.roc_auc < 1e999")
        self.assertIn("out of range", p.stderr)
        # Within range, a time past every run matches none (sqlite3 agrees).
        out = js(self.run_ok("runs", "search", "start_time > 9223372036854774784", "--json"))
        n = db(self.project).execute(
            "SELECT COUNT(*) FROM runs WHERE start_us > 9223372036854774784").fetchone()[0]
        self.assertEqual(n, 0)
        self.assertEqual(out["runs"], [])

    # ---- registry ---------------------------------------------------------

    def test_registry_list_and_show(self):
        models = js(self.run_ok("registry", "list", "--json"))["models"]
        self.assertEqual(len(models), 1)
        self.assertEqual(models[0]["name"], "credit-risk")
        self.assertEqual(models[0]["versions"], 2)
        self.assertEqual(models[0]["latest_version"], 2)
        self.assertEqual(models[0]["aliases"], {"prod": 2})
        self.assertIn("credit-risk", self.run_ok("registry", "list").stdout)

        model = js(self.run_ok("registry", "show", "credit-risk", "--json"))["model"]
        self.assertEqual([v["version"] for v in model["versions"]], [1, 2])
        self.assertEqual(model["versions"][1]["aliases"], ["prod"])
        self.assertEqual(model["versions"][0]["status"], "ready")

        v = js(self.run_ok("registry", "show", "credit-risk@prod", "--json"))["version"]
        self.assertEqual(v["version"], 2)
        self.assertEqual(v["run_id"], self.runs[1])
        self.assertEqual(v["metrics"], {"roc_auc": 0.8125})
        self.assertEqual(v["status"], "pending")
        v1 = js(self.run_ok("registry", "show", "credit-risk@1", "--json"))["version"]
        self.assertEqual(v1["tags"], {"team": "risk"})
        self.assertEqual(v1["aliases"], [])
        latest = js(self.run_ok("registry", "show", "credit-risk@latest", "--json"))["version"]
        self.assertEqual(latest["version"], 2)
        text = self.run_ok("registry", "show", "credit-risk@1").stdout
        self.assertIn(v1["bundle_hash"], text)
        self.assertIn("0.75", text)

    def test_registry_bad_references(self):
        p = self.run_bad("registry", "show", "credit-risk@@2")
        self.assertIn("credit-risk@@2", p.stderr)
        self.assertIn("column 13", p.stderr)
        p = self.run_bad("registry", "show", "credit-risk@canary")
        self.assertIn("no alias 'canary'", p.stderr)
        self.assertIn("prod", p.stderr)  # lists the aliases there are
        p = self.run_bad("registry", "show", "credit-risk@9")
        self.assertIn("no version 9", p.stderr)
        p = self.run_bad("registry", "show", "nope")
        self.assertIn("nope", p.stderr)
        self.run_bad("registry", "history", "nope")

    def test_registry_history(self):
        out = js(self.run_ok("registry", "history", "credit-risk", "--json"))
        moves = [(m["alias"], m["from_version"], m["to_version"], m["actor"], m["time_us"])
                 for m in out["moves"]]
        self.assertEqual(moves, [("prod", None, 1, "alice", T1), ("staging", None, 2, "bob", T2),
                                 ("prod", 1, 2, "carol", T3), ("staging", 2, None, "bob", T4)])
        self.assertEqual(out["moves"][2]["reason"], "better auc")
        self.assertEqual(out["moves"][0]["time"], "2024-01-10T09:00:00Z")
        self.assertNotIn("aliases", out)
        text = self.run_ok("registry", "history", "credit-risk").stdout
        self.assertIn("1 -> 2", text)
        self.assertIn("better auc", text)

        def at(text):
            out = js(self.run_ok("registry", "history", "credit-risk", "--at", text, "--json"))
            return out["aliases"], len(out["moves"]), out["at_us"]

        self.assertEqual(at("2024-01-01"), ({}, 0, utc_us(2024, 1, 1)))
        self.assertEqual(at("2024-01-10T09:00:00Z")[:2], ({"prod": 1}, 1))  # at the move: included
        self.assertEqual(at("2024-01-10T08:59:59Z")[:2], ({}, 0))
        # 13:00 at +02:00 is 11:00 UTC, before T2 (12:00 UTC); 15:00+02:00 is after.
        self.assertEqual(at("2024-02-01T13:00:00+02:00"), ({"prod": 1}, 1, T2 - 3600000000))
        self.assertEqual(at("2024-02-01T15:00:00+02:00")[0], {"prod": 1, "staging": 2})
        self.assertEqual(at("2024-03-15")[0], {"prod": 2, "staging": 2})
        self.assertEqual(at(str(T4))[0], {"prod": 2})
        self.assertEqual(at("2030-01-01 00:00:00")[0], {"prod": 2})
        text = self.run_ok("registry", "history", "credit-risk", "--at", "2024-03-15").stdout
        self.assertIn("credit-risk@2", text)
        for bad in ["yesterday", "2024-13-01", "2024-02-30", "2024-01-01T25:00"]:
            p = self.run_bad("registry", "history", "credit-risk", "--at", bad)
            self.assertIn(bad, p.stderr)
            self.assertIn("--at", p.stderr)

    # ---- lineage ----------------------------------------------------------

    def test_lineage_upstream_of_a_model(self):
        out = js(self.run_ok("lineage", "credit-risk@1", "--json"))
        self.assertEqual((out["kind"], out["name"], out["direction"]),
                         ("model", "credit-risk@1", "upstream"))
        kinds = {(a["kind"], a["name"]) for a in out["artifacts"]}
        self.assertIn(("model", "credit-risk@1"), kinds)
        self.assertIn(("object", self.runs[0] + "/model.json"), kinds)
        self.assertIn(("dataset", "iris@1"), kinds)
        files = [n for k, n in kinds if k == "file"]
        self.assertEqual(len(files), 1)
        self.assertTrue(os.path.samefile(files[0], IRIS), files)
        types = sorted(e["type"] for e in out["executions"])
        self.assertEqual(types, ["ingest", "register", "train"])
        train = [e for e in out["executions"] if e["type"] == "train"][0]
        self.assertEqual(train["run_id"], self.runs[0])
        ids = {a["id"] for a in out["artifacts"]}
        exec_ids = {e["id"] for e in out["executions"]}
        for e in out["edges"]:
            self.assertIn(e["artifact_id"], ids)
            self.assertIn(e["execution_id"], exec_ids)
            self.assertIn(e["direction"], ["input", "output"])
        text = self.run_ok("lineage", "credit-risk@1").stdout
        lines = text.splitlines()
        self.assertTrue(lines[0].startswith("model credit-risk@1"))
        order = [next(i for i, l in enumerate(lines) if needle in l)
                 for needle in ["<- register", "<- train", "dataset iris@1", "<- ingest"]]
        self.assertEqual(order, sorted(order))
        # Deeper nodes are indented further.
        indent = [len(lines[i]) - len(lines[i].lstrip(" |`-")) for i in order]
        self.assertEqual(indent, sorted(indent))

    def test_lineage_downstream_of_data(self):
        out = js(self.run_ok("lineage", "iris@1", "--downstream", "--json"))
        self.assertEqual(out["kind"], "dataset")
        runs = sorted(e["run_id"] for e in out["executions"] if e["type"] == "train")
        self.assertEqual(runs, sorted(self.runs))
        self.assertIn(("model", "credit-risk@1"),
                      {(a["kind"], a["name"]) for a in out["artifacts"]})
        text = self.run_ok("lineage", "iris@1", "--downstream").stdout
        self.assertIn("-> train", text)
        self.assertIn("model credit-risk@1", text)

    def test_lineage_refs(self):
        # A version with nothing recorded about it: just the node.
        out = js(self.run_ok("lineage", "credit-risk@prod", "--json"))
        self.assertEqual(out["name"], "credit-risk@2")
        self.assertEqual(out["executions"], [])
        self.run_bad("lineage", "nope@1")
        self.run_bad("lineage", "iris@7")
        self.run_bad("lineage", "credit-risk@@1")
        self.run_bad("lineage", "--kind", "dataset", "credit-risk@1")
        out = js(self.run_ok("lineage", "--kind", "dataset", "iris", "--json"))
        self.assertEqual(out["name"], "iris@1")

    # ---- audit ------------------------------------------------------------

    def test_audit_log_matches_the_database_and_hashes(self):
        out = js(self.run_ok("audit", "log", "--json"))["entries"]
        con = db(self.project)
        rows = con.execute("SELECT * FROM audit ORDER BY seq").fetchall()
        con.close()
        self.assertEqual(len(out), len(rows))
        self.assertGreaterEqual(len(rows), 5)  # data.add, 2 x (run.start, run.end)
        prev = ZERO
        for e, r in zip(out, rows):
            self.assertEqual((e["seq"], e["actor"], e["action"], e["subject"], e["hash"]),
                             (r["seq"], r["actor"], r["action"], r["subject"], r["hash"]))
            self.assertEqual(e["details"], json.loads(r["details_json"]))
            self.assertEqual(r["prev_hash"], prev)
            self.assertEqual(audit_hash(r), r["hash"])  # the documented definition
            prev = r["hash"]
        actions = [e["action"] for e in out]
        self.assertIn("data.add", actions)
        self.assertIn("run.start", actions)
        only = js(self.run_ok("audit", "log", "--subject", "iris@1", "--json"))["entries"]
        self.assertEqual([e["seq"] for e in only],
                         [r["seq"] for r in rows if r["subject"] == "iris@1"])
        self.assertTrue(only)
        mid = rows[len(rows) // 2]["time_us"]
        since = js(self.run_ok("audit", "log", "--since", str(mid), "--json"))["entries"]
        self.assertEqual([e["seq"] for e in since], [r["seq"] for r in rows if r["time_us"] >= mid])
        self.assertEqual(js(self.run_ok("audit", "log", "--since", "2999-01-01", "--json")),
                         {"entries": []})
        p = self.run_bad("audit", "log", "--since", "last tuesday")
        self.assertIn("last tuesday", p.stderr)
        text = self.run_ok("audit", "log").stdout
        self.assertIn("data.add", text)

    def test_audit_verify_intact(self):
        con = db(self.project)
        n = con.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
        con.close()
        p = self.run_ok("audit", "verify")
        self.assertIn("audit log intact: %d entries" % n, p.stdout)
        self.assertEqual(js(self.run_ok("audit", "verify", "--json")),
                         {"ok": True, "entries": n, "first_bad_seq": None, "problem": None})

    def test_audit_verify_finds_an_edited_entry(self):
        proj = self.copy_project()
        con = db(proj)
        with con:
            con.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
        con.close()
        p = mlpipe(proj, "audit", "verify")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("entry 2", p.stdout)
        self.assertIn("hash does not match", p.stdout)
        v = js(mlpipe(proj, "audit", "verify", "--json"))
        self.assertEqual((v["ok"], v["first_bad_seq"]), (False, 2))

    def test_audit_verify_finds_a_rewritten_entry(self):
        # Fixing the entry's own hash breaks the link from the next one.
        proj = self.copy_project()
        con = db(proj)
        with con:
            row = dict(con.execute("SELECT * FROM audit WHERE seq = 2").fetchone())
            row["details_json"] = '{"forged": true}'
            con.execute("UPDATE audit SET details_json = ?, hash = ? WHERE seq = 2",
                        (row["details_json"], audit_hash(row)))
        con.close()
        p = mlpipe(proj, "--json", "audit", "verify")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(js(p)["first_bad_seq"], 3)
        self.assertIn("entry 3", js(p)["problem"])

    def test_audit_verify_finds_a_deleted_entry(self):
        proj = self.copy_project()
        con = db(proj)
        with con:
            con.execute("DELETE FROM audit WHERE seq = 2")
        con.close()
        p = mlpipe(proj, "audit", "verify")
        self.assertEqual(p.returncode, 1)
        self.assertIn("entry 3", p.stdout)

    # ---- gc ---------------------------------------------------------------

    def test_gc(self):
        proj = self.copy_project()
        con = db(proj)
        referenced = {r[0] for r in con.execute(
            "SELECT object_hash FROM run_artifacts UNION SELECT hash FROM dataset_versions "
            "UNION SELECT bundle_hash FROM model_versions "
            "UNION SELECT hash FROM lineage_artifacts WHERE hash <> ''")}
        con.close()

        def put(data, age_s):
            h = hashlib.sha256(data).hexdigest()
            path = object_path(proj, h)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            t = time.time() - age_s
            os.utime(path, (t, t))
            return h

        old = put(b"nobody refers to me" * 100, 7200)
        young = put(b"just written, not yet recorded", 0)
        dry = js(mlpipe(proj, "gc", "--dry-run", "--json"))
        self.assertEqual(dry["dry_run"], True)
        self.assertEqual(dry["objects_removed"], 1)
        self.assertEqual(dry["bytes_freed"], 1900)
        self.assertEqual(dry["removed"], [old])
        self.assertTrue(os.path.exists(object_path(proj, old)))
        p = mlpipe(proj, "gc", "--dry-run")
        self.assertIn("would remove 1 object", p.stdout)

        done = mlpipe(proj, "gc")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("removed 1 object, freed 1.9 KiB", done.stdout)
        self.assertFalse(os.path.exists(object_path(proj, old)))
        self.assertTrue(os.path.exists(object_path(proj, young)))
        for h in referenced:
            if os.path.exists(object_path(self.project, h)):
                self.assertEqual(sha256_file(object_path(proj, h)), h)
        again = js(mlpipe(proj, "gc", "--json"))
        self.assertEqual(again["objects_removed"], 0)
        zero = js(mlpipe(proj, "gc", "--grace-hours", "0", "--json"))
        self.assertEqual(zero["removed"], [young])


class EmptyProjectTest(unittest.TestCase):
    def test_commands_on_an_empty_project(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, ".mlpipe"))  # a project with nothing recorded yet
            self.assertEqual(js(mlpipe(tmp, "runs", "list", "--json")),
                             {"runs": [], "total": 0, "limit": 100, "offset": 0})
            self.assertEqual(js(mlpipe(tmp, "registry", "list", "--json")), {"models": []})
            p = mlpipe(tmp, "audit", "verify")
            self.assertEqual(p.returncode, 0)
            self.assertIn("audit log intact: 0 entries", p.stdout)
            self.assertEqual(mlpipe(tmp, "registry", "show", "credit@@2").returncode, 2)
            self.assertEqual(mlpipe(tmp, "registry", "history", "credit", "--at", "soon")
                             .returncode, 2)


if __name__ == "__main__":
    unittest.main()
