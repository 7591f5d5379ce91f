"""A small client of the Open Inference Protocol v2 REST API (KServe / Triton /
MLServer "Predict Protocol - Version 2"), written from the protocol's text and
independent of mlpipe: tensors are built from the model metadata's inputs
(name, datatype, shape), and replies are read as the protocol defines them.
Also: starting `mlpipe serve` on a free port, and a raw HTTP helper.
"""

import http.client
import json
import os
import subprocess
import time

BIN = os.environ.get("MLPIPE_BIN", "mlpipe")


def start_server(args, cwd=None, env=None):
    """Starts `mlpipe --json serve ARGS --port 0`; returns (process, port, models)."""
    p = subprocess.Popen([BIN, "--json", "serve", *args, "--port", "0"], cwd=cwd, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    text = ""
    while True:  # the JSON document may span lines
        line = p.stdout.readline()
        if not line:
            raise RuntimeError("server did not start: " + p.stderr.read())
        text += line
        try:
            info = json.loads(text)
            break
        except json.JSONDecodeError:
            continue
    return p, info["port"], info["models"]


def stop_server(p):
    p.terminate()
    try:
        code = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        code = p.wait()
    p.stdout.close()
    p.stderr.close()
    return code


class Http:
    """One keep-alive connection; request() returns (status, headers, body bytes)."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise

    def json(self, method, path, body=None, headers=None):
        status, h, data = self.request(method, path, body, headers)
        return status, (json.loads(data) if data else None), h


class V2Client:
    """The protocol's REST endpoints."""

    def __init__(self, port):
        self.http = Http(port)

    def live(self):
        return self.http.request("GET", "/v2/health/live")[0] == 200

    def ready(self):
        return self.http.request("GET", "/v2/health/ready")[0] == 200

    def server_metadata(self):
        return self.http.json("GET", "/v2")[1]

    def model_metadata(self, name, version=None):
        path = f"/v2/models/{name}" + (f"/versions/{version}" if version else "")
        return self.http.json("GET", path)

    def model_ready(self, name):
        return self.http.request("GET", f"/v2/models/{name}/ready")[0] == 200

    def infer(self, name, request, version=None, headers=None):
        path = f"/v2/models/{name}" + (f"/versions/{version}" if version else "") + "/infer"
        return self.http.json("POST", path, request, headers)

    @staticmethod
    def tensor_value(datatype, text):
        """A CSV cell as the element of a tensor of `datatype`; "" is missing (null)."""
        if text == "":
            return None
        if datatype == "BYTES":
            return text
        if datatype == "BOOL":
            return text.lower() in ("true", "1")
        if datatype.startswith("INT") or datatype.startswith("UINT"):
            return int(float(text))
        return float(text)

    @classmethod
    def request_from_rows(cls, metadata, rows, request_id=None):
        """One tensor per metadata input (shape [n]) from CSV rows (dicts)."""
        inputs = []
        for inp in metadata["inputs"]:
            data = [cls.tensor_value(inp["datatype"], r[inp["name"]]) for r in rows]
            inputs.append({"name": inp["name"], "shape": [len(rows)],
                           "datatype": inp["datatype"], "data": data})
        req = {"inputs": inputs}
        if request_id is not None:
            req["id"] = request_id
        return req

    @staticmethod
    def output(reply, name):
        for o in reply["outputs"]:
            if o["name"] == name:
                return o
        raise KeyError(name)

    @staticmethod
    def unflatten(tensor):
        """A tensor's data as nested rows following its shape (2-D: list of rows)."""
        data, shape = tensor["data"], tensor["shape"]
        if len(shape) == 1:
            assert len(data) == shape[0], tensor
            return data
        n, k = shape
        assert len(data) == n * k, tensor
        return [data[i * k:(i + 1) * k] for i in range(n)]


def wait_until(fn, timeout=30, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(step)
    return fn()
