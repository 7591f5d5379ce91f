"""End-to-end test of deploy/ (docs/deploy.md): the KServe runtime and
InferenceService parse as Kubernetes objects of the right kinds that refer to
each other, the container's command is the image's entry point
(deploy/Dockerfile), and the exact command line the runtime names — with
{{.Name}} and /mnt/models filled in as KServe fills them, and a free port in
place of 8080 — runs as a local process that answers the liveness and
readiness probes as the kubelet sends them (HTTP GET, success is 200-399)
and scores through the Open Inference Protocol v2 at the InferenceService's
name.

Run by ctest with MLPIPE_BIN and MLPIPE_SOURCE_DIR set.
"""

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_client import V2Client  # noqa: E402

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")
SRC = os.environ.get("MLPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(SRC, "deploy")
DATA = os.path.join(SRC, "examples", "data")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(name):
    with open(os.path.join(DEPLOY, "kserve", name)) as f:
        return yaml.safe_load(f)


def dockerfile_entrypoint():
    with open(os.path.join(DEPLOY, "Dockerfile")) as f:
        text = f.read()
    stages = re.findall(r"^FROM .*$", text, re.M)
    assert stages and all("debian:12" in s for s in stages), stages
    entry = re.findall(r"^ENTRYPOINT (\[.*\])$", text, re.M)
    assert len(entry) == 1, entry
    return json.loads(entry[0])


def probe(port, spec):
    """One kubelet httpGet probe: True when it answers 200-399."""
    get = spec["httpGet"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=spec.get("timeoutSeconds", 1))
    try:
        conn.request("GET", get["path"])
        return 200 <= conn.getresponse().status < 400
    except OSError:
        return False
    finally:
        conn.close()


class KServeRuntime(unittest.TestCase):
    def setUp(self):
        self.runtime = load("runtime.yaml")
        self.isvc = load("inference_service.yaml")

    def test_objects_refer_to_each_other(self):
        rt, isvc = self.runtime, self.isvc
        self.assertEqual(rt["apiVersion"], "serving.kserve.io/v1alpha1")
        self.assertEqual(rt["kind"], "ClusterServingRuntime")
        self.assertEqual(isvc["apiVersion"], "serving.kserve.io/v1beta1")
        self.assertEqual(isvc["kind"], "InferenceService")
        model = isvc["spec"]["predictor"]["model"]
        self.assertEqual(model["runtime"], rt["metadata"]["name"])
        self.assertIn(model["modelFormat"]["name"],
                      [f["name"] for f in rt["spec"]["supportedModelFormats"]])
        self.assertIn(model["protocolVersion"], rt["spec"]["protocolVersions"])
        self.assertTrue(model["storageUri"].endswith("/" + isvc["metadata"]["name"] + ".mlpb"))
        (container,) = rt["spec"]["containers"]
        self.assertEqual(container["name"], "kserve-container")
        self.assertEqual(container["command"], dockerfile_entrypoint())

    def test_the_runtime_command_serves_and_answers_the_probes(self):
        (container,) = self.runtime["spec"]["containers"]
        name = self.isvc["metadata"]["name"]
        port = container["ports"][0]["containerPort"]
        with tempfile.TemporaryDirectory() as tmp:
            mnt = os.path.join(tmp, "mnt", "models")
            os.makedirs(mnt)
            # What KServe's storage initializer leaves: the file of storageUri.
            storage_file = self.isvc["spec"]["predictor"]["model"]["storageUri"].rsplit("/", 1)[1]
            p = subprocess.run(
                [BIN, "-q", "train", "--data", os.path.join(DATA, "credit-g.csv"), "--target",
                 "class", "--models", "logreg", "--search", "random:1", "--cv", "2",
                 "--bootstrap", "10", "--no-track", "--bundle", os.path.join(mnt, storage_file),
                 "-o", os.path.join(tmp, "train")], capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr)
            local_port = free_port()
            argv = [BIN]
            for a in container["args"]:
                a = a.replace("{{.Name}}", name).replace("/mnt/models", mnt)
                argv.append(str(local_port) if a == str(port) else a)
            self.assertIn(str(local_port), argv)
            server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
            try:
                time.sleep(container["livenessProbe"].get("initialDelaySeconds", 0))
                deadline = time.time() + 30
                while not probe(local_port, container["readinessProbe"]):
                    self.assertIsNone(server.poll(), server.stderr.read() if server.poll() else "")
                    self.assertLess(time.time(), deadline, "never ready")
                    time.sleep(0.2)
                self.assertTrue(probe(local_port, container["livenessProbe"]))
                v2 = V2Client(local_port)
                status, meta, _ = v2.model_metadata(name)
                self.assertEqual(status, 200, meta)
                row = {i["name"]: None for i in meta["inputs"]}
                with open(os.path.join(DATA, "credit-g.csv")) as f:
                    header = f.readline().strip().split(",")
                    values = f.readline().strip().split(",")
                rows = [dict(zip(header, values))]
                for k in row:
                    row[k] = rows[0][k]
                status, reply, _ = v2.infer(name, V2Client.request_from_rows(meta, [row]))
                self.assertEqual(status, 200, reply)
                (label,) = V2Client.output(reply, "label")["data"]
                self.assertIn(label, ["good", "bad"])
            finally:
                server.terminate()
                self.assertEqual(server.wait(timeout=20), 0, server.stderr.read())
                server.stdout.close()
                server.stderr.close()


if __name__ == "__main__":
    unittest.main()
