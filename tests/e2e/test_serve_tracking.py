"""End-to-end test of `mlpipe serve --tracking` (docs/tracking.md, "HTTP API").

One server over its own project's store; two "machines" (two separate project
folders) record into it with `--store http://127.0.0.1:PORT` and
MLPIPE_API_TOKEN: `data add` and `train`; the objects they store live on the
server, and one machine reads back what the other stored. The independent truth is the
server's `.mlpipe/meta.db` read with Python's sqlite3, plus raw HTTP requests
with urllib. A write without the token fails with a clear message and exit 2;
SIGTERM stops the server with exit 0.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
IRIS = os.path.join(SRC, "examples", "data", "iris.csv")
TOKEN = "e2e-token-0123456789"


def mlpipe(cwd, *args, token=TOKEN, timeout=300):
    env = dict(os.environ)
    env.pop("MLPIPE_API_TOKEN", None)
    if token is not None:
        env["MLPIPE_API_TOKEN"] = token
    return subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


class ServeTrackingTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = cls.tmp.name
        cls.server_dir = os.path.join(root, "server")
        cls.machines = [os.path.join(root, "machine-a"), os.path.join(root, "machine-b")]
        for d in [cls.server_dir, *cls.machines]:
            os.makedirs(d)
        cls.token_file = os.path.join(root, "token")
        with open(cls.token_file, "w") as f:
            f.write(TOKEN + "\n")
        env = dict(os.environ)
        env.pop("MLPIPE_API_TOKEN", None)
        cls.server = subprocess.Popen(
            [BIN, "--project", cls.server_dir, "serve", "--tracking", "--host", "127.0.0.1",
             "--port", "0", "--token-file", cls.token_file, "--threads", "4"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        # The first line says where it listens; bounded wait.
        line = ""
        deadline = time.time() + 30
        while time.time() < deadline and not line:
            line = cls.server.stdout.readline()
            if cls.server.poll() is not None:
                break
        m = re.match(r"tracking API on (http://127\.0\.0\.1:(\d+)) \((.*)\)", line)
        assert m, "server did not start: %r %r" % (line, cls.server.stderr.read()
                                                   if cls.server.poll() is not None else "")
        cls.url = m.group(1)
        cls.db_path = m.group(3)
        assert cls.db_path == os.path.join(cls.server_dir, ".mlpipe", "meta.db"), cls.db_path
        cls.wait_ready()

    @classmethod
    def wait_ready(cls):
        for _ in range(100):
            try:
                with urllib.request.urlopen(cls.url + "/api/v1/health", timeout=2) as r:
                    if json.load(r)["status"] == "ok":
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        raise AssertionError("server never became ready")

    @classmethod
    def tearDownClass(cls):
        if cls.server.poll() is None:
            cls.server.kill()
            cls.server.wait(timeout=10)
        cls.tmp.cleanup()

    def remote(self, machine, *args, token=TOKEN):
        return mlpipe(machine, "--store", self.url, *args, token=token)

    def db(self):
        con = sqlite3.connect(self.db_path)
        con.row_factory = sqlite3.Row
        return con

    def request(self, method, path, body=None, token=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if token is not None:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def test_1_two_machines_record_into_one_store(self):
        a, b = self.machines
        add = self.remote(a, "data", "add", IRIS, "--name", "iris", "--json")
        self.assertEqual(add.returncode, 0, add.stderr)
        run_ids = []
        for machine, seed in [(a, "1"), (b, "2")]:
            p = self.remote(machine, "train", "--data", IRIS, "--target", "class", "--models",
                            "logreg", "--search", "random:2", "--cv", "2", "--bootstrap", "20",
                            "--seed", seed, "--json")
            self.assertEqual(p.returncode, 0, p.stderr)
            run_ids.append(json.loads(p.stdout)["run_id"])
        self.assertNotEqual(run_ids[0], run_ids[1])

        # Both runs through the API, from either machine...
        listed = self.remote(b, "runs", "list", "--limit", "1000", "--json")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        listed = json.loads(listed.stdout)
        ids = {r["run_id"] for r in listed["runs"]}
        self.assertTrue(set(run_ids) <= ids, (run_ids, ids))
        # ...and in the server's SQLite file, with their params and metrics.
        con = self.db()
        rows = {r["run_id"]: r for r in con.execute("SELECT run_id, status, seed FROM runs")}
        self.assertEqual(listed["total"], len(rows))
        for rid, seed in zip(run_ids, [1, 2]):
            self.assertIn(rid, rows)
            self.assertEqual(rows[rid]["status"], "FINISHED")
            self.assertEqual(rows[rid]["seed"], seed)
            n = con.execute("SELECT COUNT(*) FROM metrics WHERE run_id = ?", (rid,)).fetchone()[0]
            self.assertGreater(n, 0)
        data = con.execute("SELECT name, version FROM dataset_versions").fetchall()
        self.assertEqual([tuple(r) for r in data], [("iris", 1)])
        audit = con.execute("SELECT COUNT(*) FROM audit WHERE action = 'run.start'").fetchone()[0]
        self.assertGreaterEqual(audit, 2)
        con.close()
        # Nothing was recorded in the machines' own metadata stores.
        for m in self.machines:
            self.assertFalse(os.path.exists(os.path.join(m, ".mlpipe", "meta.db")))

        # runs show, audit verify over HTTP agree with the file.
        show = self.remote(a, "runs", "show", run_ids[1], "--json")
        self.assertEqual(show.returncode, 0, show.stderr)
        self.assertEqual(json.loads(show.stdout)["run"]["run_id"], run_ids[1])
        # The same command on the server's file directly prints the same JSON.
        local = mlpipe(a, "--store", self.db_path, "runs", "show", run_ids[1], "--json")
        self.assertEqual(local.returncode, 0, local.stderr)
        self.assertEqual(json.loads(show.stdout), json.loads(local.stdout))
        verify = self.remote(a, "audit", "verify")
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)

    def test_2_writes_need_the_token(self):
        a = self.machines[0]
        con = self.db()
        before = con.execute("SELECT COUNT(*) FROM dataset_versions").fetchone()[0]
        con.close()
        for token in [None, "wrong-token"]:
            p = self.remote(a, "data", "add", IRIS, "--name", "stolen", token=token)
            self.assertEqual(p.returncode, 2, (p.stdout, p.stderr))
            self.assertIn("MLPIPE_API_TOKEN", p.stderr)
            self.assertIn("token", p.stderr)
        con = self.db()
        self.assertEqual(con.execute("SELECT COUNT(*) FROM dataset_versions").fetchone()[0],
                         before)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM dataset_versions WHERE name = 'stolen'")
                         .fetchone()[0], 0)
        con.close()
        # Reads are open.
        p = self.remote(a, "runs", "list", "--json", token=None)
        self.assertEqual(p.returncode, 0, p.stderr)
        # Raw HTTP: 401 without, 200 with; the error shape.
        status, body = self.request("POST", "/api/v1/experiments", {"name": "x"})
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["code"], "unauthenticated")
        status, body = self.request("POST", "/api/v1/experiments", {"name": "x"}, token=TOKEN)
        self.assertEqual(status, 200)
        self.assertEqual(body["name"], "x")

    def test_3_errors_keep_codes_remotely(self):
        a = self.machines[0]
        p = self.remote(a, "runs", "show", "0" * 32)
        self.assertEqual(p.returncode, 2, (p.stdout, p.stderr))
        local = mlpipe(a, "--store", os.path.join(self.server_dir, ".mlpipe", "meta.db"),
                       "runs", "show", "0" * 32)
        self.assertEqual(local.returncode, 2)
        self.assertEqual(p.stderr, local.stderr)
        status, body = self.request("GET", "/api/v1/no/such/route")
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["code"], "not_found")
        # An unreachable server is the environment, not the input: exit 3,
        # the address in the message.
        p = mlpipe(a, "--store", "http://127.0.0.1:1", "runs", "list")
        self.assertEqual(p.returncode, 3, (p.stdout, p.stderr))
        self.assertIn("127.0.0.1:1", p.stderr)

    def test_4_serve_needs_something_to_serve(self):
        p = mlpipe(self.machines[0], "serve")
        self.assertEqual(p.returncode, 2)
        self.assertIn("nothing to serve: give --model REF (a model) or --tracking", p.stderr)
        p = mlpipe(self.machines[0], "serve", "--tracking", "--port", "0", token=None)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--read-only", p.stderr)

    def test_5_objects_live_on_the_server(self):
        """What one machine stores, another reads: objects go to the server (a
        file larger than one 16 MiB part goes as an upload in parts) and come
        back byte for byte; every object a record refers to is on the server."""
        a, b = self.machines
        big = os.path.join(self.tmp.name, "big.csv")
        with open(big, "w") as f:
            f.write("id,x,y,label\n")
            for i in range(900_000):
                f.write(f"{i},{(i * 7919) % 10007 / 13.0:.6f},{(i * 104729) % 997},"
                        f"{'ab'[(i * 31) % 7 % 2]}\n")
        size = os.path.getsize(big)
        self.assertGreater(size, 16 << 20)
        with open(big, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        add = self.remote(a, "data", "add", big, "--name", "big", "--json")
        self.assertEqual(add.returncode, 0, add.stderr)
        on_server = os.path.join(self.server_dir, ".mlpipe", "objects", digest[:2], digest[2:])
        self.assertTrue(os.path.exists(on_server))
        self.assertEqual(os.path.getsize(on_server), size)
        out = os.path.join(self.tmp.name, "restored.csv")
        got = self.remote(b, "data", "get", "big@1", "-o", out)
        self.assertEqual(got.returncode, 0, got.stderr)
        with open(out, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest)
        # Every object the store's records name (data, run artifacts of both
        # machines' runs) is in the server's folder and hashes to its name.
        status, body = self.request("GET", "/api/v1/referenced-objects")
        self.assertEqual(status, 200)
        self.assertIn(digest, body["hashes"])
        self.assertGreater(len(body["hashes"]), 3)
        for h in body["hashes"]:
            path = os.path.join(self.server_dir, ".mlpipe", "objects", h[:2], h[2:])
            with open(path, "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), h)

    def test_9_sigterm_stops_the_server_cleanly(self):
        self.server.send_signal(signal.SIGTERM)
        rc = self.server.wait(timeout=20)
        self.assertEqual(rc, 0, self.server.stderr.read())
        with self.assertRaises(urllib.error.URLError):
            urllib.request.urlopen(self.url + "/api/v1/health", timeout=2)


if __name__ == "__main__":
    unittest.main()
