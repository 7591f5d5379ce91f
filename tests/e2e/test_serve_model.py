"""End-to-end tests of `mlpipe serve --model` (docs/serve.md).

Three bundles trained by `mlpipe train --bundle` (binary credit-g, multiclass
iris, regression cpu) are served by one process. The truth for every
prediction is `mlpipe predict` on the same rows of examples/data; the server
is spoken to by an Open Inference Protocol v2 client written from the
protocol's text (serve_client.py), by KServe v1 and MLflow bodies built here,
and its /metrics page is checked by Debian's `promtool check metrics` and by
a real `prometheus` server scraping it. Explanations are checked by summing
the contributions and passing the margin through the sigmoid / softmax.
Bad requests of every kind get 4xx naming the field, and the server keeps
answering.

Run by ctest with MLPIPE_BIN (the built binary) and MLPIPE_SOURCE_DIR set.
"""

import csv
import io
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from serve_client import BIN, Http, V2Client, start_server, stop_server, wait_until  # noqa: E402

SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "examples", "data")
TOKEN = "serve-token-0123456789"

# name -> (data file, target, rows used, task)
MODELS = {
    "credit": ("credit-g.csv", "class", 300, "binary"),
    "iris": ("iris.csv", "class", 150, "multiclass"),
    "cpu": ("cpu.csv", "class", 209, "regression"),
}


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def softmax(xs):
    m = max(xs)
    e = [math.exp(x - m) for x in xs]
    return [v / sum(e) for v in e]


class ServeModelTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.rows, cls.truth, cls.bundles = {}, {}, []
        for name, (file, target, n, _) in MODELS.items():
            bundle = os.path.join(cls.tmp.name, name + ".mlpb")
            p = run("-q", "train", "--data", os.path.join(DATA, file), "--target", target,
                    "--models", "gbdt", "--search", "random:2", "--cv", "2", "--bootstrap", "20",
                    "--seed", "3", "--no-track", "--bundle", bundle, "-o",
                    os.path.join(cls.tmp.name, name + "_out"))
            assert p.returncode == 0, p.stderr
            rows = read_csv(os.path.join(DATA, file))[:n]
            for r in rows:
                del r[target]
            test = os.path.join(cls.tmp.name, name + "_rows.csv")
            with open(test, "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]))
                w.writeheader()
                w.writerows(rows)
            pred = os.path.join(cls.tmp.name, name + "_pred.csv")
            p = run("predict", "--model", bundle, "--input", test, "--output", pred)
            assert p.returncode == 0, p.stderr
            cls.rows[name] = rows
            cls.truth[name] = read_csv(pred)
            cls.bundles.append(bundle)
        cls.token_file = os.path.join(cls.tmp.name, "token")
        with open(cls.token_file, "w") as f:
            f.write(TOKEN + "\n")
        cls.feedback = os.path.join(cls.tmp.name, "feedback")
        args = []
        for b in cls.bundles:
            args += ["--model", b]
        cls.server, cls.port, cls.models = start_server(
            args + ["--token-file", cls.token_file, "--feedback", cls.feedback, "--threads", "2",
                    "--max-body", str(1 << 20)])
        cls.v2 = V2Client(cls.port)
        cls.http = Http(cls.port)

    @classmethod
    def tearDownClass(cls):
        code = stop_server(cls.server)
        cls.tmp.cleanup()
        assert code == 0, code

    # ---- checks against `mlpipe predict` -----------------------------------

    def check_rows(self, name, labels=None, probabilities=None, values=None, first=0):
        """labels / probabilities (rows of class-ordered lists) / values vs mlpipe predict."""
        truth = self.truth[name][first:]
        if values is not None:
            self.assertEqual(len(values), len(truth))
            for i, (v, t) in enumerate(zip(values, truth)):
                self.assertAlmostEqual(v, float(t["prediction"]), delta=1e-9 * max(1, abs(v)),
                                       msg=f"{name} row {i}")
            return
        classes = [c[len("prob_"):] for c in truth[0] if c.startswith("prob_")]
        self.assertEqual(len(labels), len(truth))
        for i, t in enumerate(truth):
            self.assertEqual(labels[i], t["predicted"], f"{name} row {i}")
            if probabilities is not None:
                for c, p in zip(classes, probabilities[i]):
                    self.assertAlmostEqual(p, float(t["prob_" + c]), places=12)
        return classes

    def infer_all(self, name):
        status, meta, _ = self.v2.model_metadata(name)
        self.assertEqual(status, 200, meta)
        req = V2Client.request_from_rows(meta, self.rows[name], request_id="req-" + name)
        status, reply, headers = self.v2.infer(name, req)
        self.assertEqual(status, 200, reply)
        self.assertEqual(reply["id"], "req-" + name)
        self.assertEqual(reply["model_name"], name)
        self.assertIn(reply["model_version"], meta["versions"])
        self.assertTrue(headers.get("x-request-id"))
        return meta, reply

    # ---- Open Inference Protocol v2 ----------------------------------------

    def test_v2_health_and_server_metadata(self):
        self.assertTrue(self.v2.live())
        self.assertTrue(self.v2.ready())
        md = self.v2.server_metadata()
        self.assertEqual(md["name"], "mlpipe")
        self.assertIn("version", md)
        self.assertIsInstance(md["extensions"], list)
        for name in MODELS:
            self.assertTrue(self.v2.model_ready(name))

    def test_v2_model_metadata_lists_every_feature(self):
        status, meta, _ = self.v2.model_metadata("credit")
        self.assertEqual(status, 200)
        self.assertEqual([i["name"] for i in meta["inputs"]], list(self.rows["credit"][0]))
        types = {i["name"]: i["datatype"] for i in meta["inputs"]}
        self.assertEqual(types["checking_status"], "BYTES")
        self.assertIn(types["duration"], ("INT64", "FP64"))
        for i in meta["inputs"]:
            self.assertEqual(i["shape"], [-1])
        outs = {o["name"]: o for o in meta["outputs"]}
        self.assertEqual(outs["label"]["datatype"], "BYTES")
        self.assertEqual(outs["probabilities"]["shape"], [-1, 2])
        self.assertEqual(sorted(outs["probabilities"]["parameters"].values()), ["bad", "good"])
        version = meta["versions"][0]
        self.assertEqual(self.v2.model_metadata("credit", version)[0], 200)
        status, body, _ = self.v2.model_metadata("credit", "no-such-version")
        self.assertEqual(status, 404)
        self.assertIn("no-such-version", body["error"])
        status, body, _ = self.v2.model_metadata("no-such-model")
        self.assertEqual(status, 404)
        self.assertIn("no-such-model", body["error"])

    def test_v2_infer_binary_matches_predict(self):
        meta, reply = self.infer_all("credit")
        labels = V2Client.unflatten(V2Client.output(reply, "label"))
        probs_t = V2Client.output(reply, "probabilities")
        self.assertEqual(probs_t["datatype"], "FP64")
        self.assertEqual(probs_t["shape"], [len(self.rows["credit"]), 2])
        params = probs_t["parameters"]
        classes = [params[f"class_{i}"] for i in range(2)]
        probs = V2Client.unflatten(probs_t)
        truth_classes = self.check_rows("credit", labels, None)
        by_truth = [[p[classes.index(c)] for c in truth_classes] for p in probs]
        self.check_rows("credit", labels, by_truth)

    def test_v2_infer_multiclass_and_regression_match_predict(self):
        _, reply = self.infer_all("iris")
        labels = V2Client.unflatten(V2Client.output(reply, "label"))
        probs = V2Client.unflatten(V2Client.output(reply, "probabilities"))
        self.check_rows("iris", labels, probs)
        _, reply = self.infer_all("cpu")
        value = V2Client.output(reply, "value")
        self.assertEqual(value["datatype"], "FP64")
        self.check_rows("cpu", values=V2Client.unflatten(value))

    def test_v2_infer_one_2d_tensor_when_every_feature_is_numeric(self):
        status, meta, _ = self.v2.model_metadata("iris")
        names = [i["name"] for i in meta["inputs"]]
        data = [float(r[n]) for r in self.rows["iris"] for n in names]
        status, reply, _ = self.v2.infer("iris", {"inputs": [
            {"name": "input-0", "shape": [len(self.rows["iris"]), len(names)],
             "datatype": "FP64", "data": data}]})
        self.assertEqual(status, 200, reply)
        self.check_rows("iris", V2Client.unflatten(V2Client.output(reply, "label")),
                        V2Client.unflatten(V2Client.output(reply, "probabilities")))
        # Nested data and a requested output only.
        nested = [[float(r[n]) for n in names] for r in self.rows["iris"][:5]]
        status, reply, _ = self.v2.infer("iris", {"inputs": [
            {"name": "x", "shape": [5, 4], "datatype": "FP64", "data": nested}],
            "outputs": [{"name": "label"}]})
        self.assertEqual(status, 200, reply)
        self.assertEqual([o["name"] for o in reply["outputs"]], ["label"])
        self.assertEqual(reply["outputs"][0]["data"],
                         [t["predicted"] for t in self.truth["iris"][:5]])
        # credit has categorical features: a matrix is refused, naming one.
        status, reply, _ = self.v2.infer("credit", {"inputs": [
            {"name": "x", "shape": [1, 20], "datatype": "FP64", "data": [0] * 20}]})
        self.assertEqual(status, 400)
        self.assertIn("categorical", reply["error"])

    def test_v2_missing_values_are_null(self):
        _, meta, _ = self.v2.model_metadata("credit")
        req = V2Client.request_from_rows(meta, self.rows["credit"][:3])
        req["inputs"][0]["data"][1] = None
        status, reply, _ = self.v2.infer("credit", req)
        self.assertEqual(status, 200, reply)
        # The same row through /v1 with null gives the same probabilities.
        inst = dict(self.rows["credit"][1])
        inst = {i["name"]: V2Client.tensor_value(i["datatype"], inst[i["name"]])
                for i in meta["inputs"]}
        inst[meta["inputs"][0]["name"]] = None
        status, v1, _ = self.http.json("POST", "/v1/models/credit:predict", {"instances": [inst]})
        self.assertEqual(status, 200, v1)
        probs = V2Client.unflatten(V2Client.output(reply, "probabilities"))[1]
        self.assertAlmostEqual(sum(probs), 1, places=12)
        self.assertAlmostEqual(max(probs), max(v1["predictions"][0]["probabilities"].values()),
                               places=12)

    # ---- KServe v1 and explanations ----------------------------------------

    def instances(self, name, rows):
        _, meta, _ = self.v2.model_metadata(name)
        types = {i["name"]: i["datatype"] for i in meta["inputs"]}
        return [{k: V2Client.tensor_value(types[k], v) for k, v in r.items()} for r in rows]

    def test_v1_predict_matches_predict_with_model_version(self):
        for name in MODELS:
            status, body, headers = self.http.json(
                "POST", f"/v1/models/{name}:predict",
                {"instances": self.instances(name, self.rows[name])},
                headers={"X-Request-Id": "client-id-" + name})
            self.assertEqual(status, 200, body)
            self.assertEqual(headers["x-request-id"], "client-id-" + name)
            preds = body["predictions"]
            version = [m["version"] for m in self.models if m["name"] == name][0]
            for p in preds:
                self.assertEqual(p["model_version"], version)
            if MODELS[name][3] == "regression":
                self.check_rows(name, values=[p["value"] for p in preds])
            else:
                classes = [c[5:] for c in self.truth[name][0] if c.startswith("prob_")]
                self.check_rows(name, [p["label"] for p in preds],
                                [[p["probabilities"][c] for c in classes] for p in preds])

    def test_v1_explain_sums_to_the_margin(self):
        for name in MODELS:
            rows = self.rows[name][:20]
            status, body, _ = self.http.json("POST", f"/v1/models/{name}:predict",
                                             {"instances": self.instances(name, rows),
                                              "explain": True})
            self.assertEqual(status, 200, body)
            for i, p in enumerate(body["predictions"]):
                margins = [e["bias"] + sum(e["contributions"].values())
                           for e in p["explanation"]]
                task = MODELS[name][3]
                if task == "binary":
                    self.assertEqual(len(margins), 1)
                    positive = p["explanation"][0]["output"]
                    self.assertAlmostEqual(sigmoid(margins[0]), p["probabilities"][positive],
                                           places=5, msg=f"{name} row {i}")
                elif task == "multiclass":
                    outputs = [e["output"] for e in p["explanation"]]
                    for c, q in zip(outputs, softmax(margins)):
                        self.assertAlmostEqual(q, p["probabilities"][c], places=5)
                else:
                    self.assertAlmostEqual(margins[0], p["value"],
                                           delta=1e-4 * max(1, abs(p["value"])))

    # ---- MLflow /invocations (the first model: credit) ---------------------

    def check_invocations(self, body, content_type="application/json", n=None):
        status, headers, data = self.http.request("POST", "/invocations", body,
                                                  {"Content-Type": content_type})
        self.assertEqual(status, 200, data)
        preds = json.loads(data)["predictions"]
        n = n or len(self.rows["credit"])
        truth_classes = [c[5:] for c in self.truth["credit"][0] if c.startswith("prob_")]
        labels = [p["label"] for p in preds]
        probs = [[p["probabilities"][c] for c in truth_classes] for p in preds]
        self.assertEqual(len(preds), n)
        for i in range(n):
            self.assertEqual(labels[i], self.truth["credit"][i]["predicted"])
            for c, q in zip(truth_classes, probs[i]):
                self.assertAlmostEqual(q, float(self.truth["credit"][i]["prob_" + c]), places=12)

    def test_invocations_every_format(self):
        inst = self.instances("credit", self.rows["credit"])
        cols = list(inst[0])
        self.check_invocations({"dataframe_split": {
            "columns": cols, "data": [[r[c] for c in cols] for r in inst]}})
        self.check_invocations({"dataframe_records": inst})
        self.check_invocations({"instances": inst})
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=list(self.rows["credit"][0]))
        w.writeheader()
        w.writerows(self.rows["credit"])
        self.check_invocations(out.getvalue(), content_type="text/csv")

    # ---- feedback -----------------------------------------------------------

    def test_feedback_appended_by_request_id(self):
        inst = self.instances("credit", self.rows["credit"][:2])
        status, body, headers = self.http.json("POST", "/v1/models/credit:predict",
                                               {"instances": inst})
        self.assertEqual(status, 200)
        rid = headers["x-request-id"]
        status, body, _ = self.http.json("POST", "/v1/models/credit/feedback", [
            {"request_id": rid, "label": "good"}, {"request_id": rid, "row": 1, "label": "bad"}])
        self.assertEqual(status, 200, body)
        with open(os.path.join(self.feedback, "feedback.jsonl")) as f:
            lines = [json.loads(x) for x in f]
        mine = [x for x in lines if x["request_id"] == rid]
        self.assertEqual([(x["row"], x["label"]) for x in mine], [(0, "good"), (1, "bad")])
        self.assertEqual(mine[0]["model"], "credit")
        status, body, _ = self.http.json("POST", "/v1/models/credit/feedback",
                                         {"request_id": rid, "label": "excellent"})
        self.assertEqual(status, 400)
        self.assertIn("excellent", body["error"])
        self.assertIn("label", body["error"])
        status, body, _ = self.http.json("POST", "/v1/models/credit/feedback",
                                         {"request_id": "bad id!", "label": "good"})
        self.assertEqual(status, 400)
        self.assertIn("request_id", body["error"])
        status, body, _ = self.http.json("POST", "/v1/models/cpu/feedback",
                                         {"request_id": rid, "label": "high"})
        self.assertEqual(status, 400)

    # ---- management ---------------------------------------------------------

    def test_management_needs_the_token(self):
        for headers in ({}, {"Authorization": "Bearer wrong-token"}):
            status, _, _ = self.http.request("POST", "/v2/repository/index", b"{}", headers)
            self.assertEqual(status, 401)
            status, _, _ = self.http.request("POST", "/v2/repository/models/iris/unload", b"",
                                             headers)
            self.assertEqual(status, 401)
        self.assertTrue(self.v2.model_ready("iris"))
        auth = {"Authorization": "Bearer " + TOKEN}
        status, index, _ = self.http.json("POST", "/v2/repository/index", {}, auth)
        self.assertEqual(status, 200)
        self.assertEqual(sorted(m["name"] for m in index), sorted(MODELS))
        self.assertTrue(all(m["state"] == "READY" for m in index))

    def test_unload_then_load(self):
        auth = {"Authorization": "Bearer " + TOKEN}
        inst = self.instances("cpu", self.rows["cpu"][:1])
        status, body, _ = self.http.json("POST", "/v2/repository/models/cpu/unload", {}, auth)
        self.assertEqual(status, 200, body)
        try:
            self.assertFalse(self.v2.model_ready("cpu"))
            self.assertFalse(self.v2.ready())
            status, body, _ = self.http.json("POST", "/v1/models/cpu:predict",
                                             {"instances": inst})
            self.assertEqual(status, 503)
        finally:
            status, body, _ = self.http.json("POST", "/v2/repository/models/cpu/load", {}, auth)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["state"], "READY")
        self.assertTrue(self.v2.model_ready("cpu"))
        self.assertTrue(self.v2.ready())
        status, body, _ = self.http.json("POST", "/v2/repository/models/nope/load", {}, auth)
        self.assertEqual(status, 404)

    # ---- bad input ----------------------------------------------------------

    def test_bad_requests_get_4xx_naming_the_field_and_the_server_keeps_serving(self):
        _, meta, _ = self.v2.model_metadata("credit")
        good = V2Client.request_from_rows(meta, self.rows["credit"][:2])

        def variant(fn):
            r = json.loads(json.dumps(good))
            fn(r)
            return r

        cases = [
            ("/v2/models/credit/infer", b"{not json", 400, "body"),
            ("/v2/models/credit/infer", b"[]", 400, "object"),
            ("/v2/models/credit/infer", {"inputs": []}, 400, "inputs"),
            ("/v2/models/credit/infer", variant(lambda r: r["inputs"].pop()), 400,
             meta["inputs"][-1]["name"]),
            ("/v2/models/credit/infer", variant(lambda r: r["inputs"].append(
                {"name": "zip", "shape": [2], "datatype": "BYTES", "data": ["a", "b"]})), 400,
             "zip"),
            ("/v2/models/credit/infer", variant(lambda r: r["inputs"][0].update(
                datatype="FP64")), 400, "inputs[0] (checking_status).datatype"),
            ("/v2/models/credit/infer", variant(lambda r: r["inputs"][1].update(
                data=["x", "y"])), 400, "inputs[1] (duration).data[0]"),
            ("/v2/models/credit/infer", variant(lambda r: r["inputs"][1].update(shape=[3])),
             400, "inputs[1] (duration)"),
            ("/v2/models/credit/infer", variant(lambda r: r["inputs"][1].update(shape=[2, 2])),
             400, "shape"),
            ("/v2/models/credit/infer", variant(lambda r: r["inputs"][1].pop("data")), 400,
             "data"),
            ("/v2/models/credit/infer", variant(lambda r: r.update(outputs=[{"name": "z"}])),
             400, "outputs[0]"),
            ("/v2/models/credit/infer",
             json.dumps(good).replace('"data": [', '"data": [1e999, ', 1).encode(), 400,
             "1e999"),
            ("/v2/models/credit/infer",
             json.dumps(good).replace('"data": [', '"data": [NaN, ', 1).encode(), 400, "body"),
            ("/v2/models/credit/versions/99/infer", good, 404, "version"),
            ("/v2/models/nope/infer", good, 404, "nope"),
            ("/v1/models/credit:predict", {"instances": [{"duration": 5}]}, 400, "missing"),
            ("/v1/models/credit:predict", {"instance": []}, 400, "instance"),
            ("/v1/models/credit:predict", {"instances": [1]}, 400, "instances[0]"),
            ("/v1/models/credit:predict", {"instances": []}, 200, None),
            ("/invocations", {"dataframe_split": {"columns": ["a"], "data": [[1]]}}, 400,
             "dataframe_split.columns[0]"),
            ("/invocations", {"inputs": {}}, 400, "inputs"),
        ]
        for path, body, want, text in cases:
            status, _, data = self.http.request("POST", path, body)
            self.assertEqual(status, want, (path, body if len(str(body)) < 300 else "", data))
            if text:
                self.assertIn(text, json.loads(data)["error"], (path, data))
        # Over the body limit: 413, and a fresh connection works.
        status, _, _ = self.http.request("POST", "/v2/models/credit/infer", b" " * (1 << 21))
        self.assertEqual(status, 413)
        # Garbage on a raw socket.
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"\x00\x01 NOT HTTP\r\n\r\n")
            s.recv(1000)
        status, reply, _ = self.v2.infer("credit", good)
        self.assertEqual(status, 200, reply)

    # ---- metrics ------------------------------------------------------------

    def metrics_text(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as r:
            self.assertTrue(r.headers["Content-Type"].startswith("text/plain"))
            return r.read().decode()

    def test_metrics_pass_promtool_and_count_requests(self):
        self.v2.infer("iris", {"inputs": []})  # a 400
        text = self.metrics_text()
        p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for needle in ['mlpipe_requests_total{model="iris"', 'route="v2_infer",status="400"',
                       "mlpipe_request_duration_seconds_bucket", "mlpipe_requests_in_flight",
                       'mlpipe_model_generation{model="credit"}', "process_resident_memory_bytes",
                       "process_cpu_seconds_total", "process_threads", "process_open_fds",
                       "mlpipe_http_connections_accepted_total", "mlpipe_predictions_total"]:
            self.assertIn(needle, text)

    def test_prometheus_scrapes_and_answers_p99(self):
        tmp = tempfile.mkdtemp(dir=self.tmp.name)
        port = free_port()
        cfg = os.path.join(tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: mlpipe\n    static_configs:\n"
                    f"      - targets: ['127.0.0.1:{self.port}']\n")
        with open(os.path.join(tmp, "prom.log"), "w") as log:
            prom = subprocess.Popen(
                ["prometheus", "--config.file", cfg, "--storage.tsdb.path",
                 os.path.join(tmp, "db"), "--web.listen-address", f"127.0.0.1:{port}"],
                stdout=subprocess.DEVNULL, stderr=log)
        try:
            query = ("histogram_quantile(0.99, sum by (le) "
                     "(rate(mlpipe_request_duration_seconds_bucket[30s])))")
            url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode(
                {"query": query})
            inst = self.instances("iris", self.rows["iris"][:1])
            client = Http(self.port)

            def answer():
                for _ in range(20):  # traffic between scrapes
                    client.request("POST", "/v1/models/iris:predict", {"instances": inst})
                try:
                    with urllib.request.urlopen(url, timeout=5) as r:
                        j = json.loads(r.read())
                except OSError:
                    return None
                res = j.get("data", {}).get("result", [])
                if res and res[0]["value"][1] not in ("NaN", "+Inf"):
                    return float(res[0]["value"][1])
                return None

            p99 = wait_until(answer, timeout=90, step=0.5)
            with open(os.path.join(tmp, "prom.log")) as f:
                self.assertIsNotNone(p99, f.read()[-2000:])
            self.assertGreater(p99, 0)
            self.assertLessEqual(p99, 10)
        finally:
            prom.terminate()
            prom.wait(timeout=30)


class ServeModelCliTest(unittest.TestCase):

    def test_two_models_with_one_name_and_bad_refs_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            p = run("serve", "--model", os.path.join(d, "missing.mlpb"), "--port", "0")
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("missing.mlpb", p.stderr)
            p = run("serve", "--port", "0")
            self.assertEqual(p.returncode, 2)
            self.assertIn("--model", p.stderr)


if __name__ == "__main__":
    unittest.main()
