"""Model: one loaded bundle, scored through the C API."""
import ctypes
import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._lib import c_model, lib

TASKS = {0: "binary", 1: "multiclass", 2: "regression"}
TYPES = {0: "bool", 1: "int64", 2: "float64", 3: "categorical", 4: "string"}
NUMERIC = ("bool", "int64", "float64")


class MlpipeError(Exception):
    """A failed C API call: `code` is its MLPIPE_ERR_* status, the message the
    library's (mlpipe_last_error)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _check(status):
    if status != 0:
        raise MlpipeError(status, lib().mlpipe_last_error().decode("utf-8", "replace"))


def load(path):
    """The bundle file at `path` (every checksum verified)."""
    handle = c_model()
    _check(lib().mlpipe_model_load_file(str(path).encode(), ctypes.byref(handle)))
    return Model(handle)


def load_bytes(data):
    """A bundle from its bytes."""
    data = bytes(data)
    handle = c_model()
    _check(lib().mlpipe_model_load_bytes(data, len(data), ctypes.byref(handle)))
    return Model(handle)


@dataclass
class Explanation:
    """Contributions of the model's features to one row's margin (before the
    link): bias[o] + contributions[o].sum() is output o's margin. Outputs: 1
    for binary (the positive class' log-odds) and regression, one per class
    for multiclass."""
    feature_names: list
    contributions: np.ndarray  # outputs x features
    bias: np.ndarray           # outputs


def _json_value(v):
    """A cell as JSON takes it: None for missing, Python numbers and strings."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


class Model:
    """A loaded bundle. Scoring may be called from many threads at once (the
    library releases the GIL during a call)."""

    def __init__(self, handle):
        self._h = handle
        self._lib = lib()
        L = self._lib
        task, n = ctypes.c_int(), ctypes.c_size_t()
        _check(L.mlpipe_model_task(handle, ctypes.byref(task)))
        self.task = TASKS[task.value]
        _check(L.mlpipe_model_num_classes(handle, ctypes.byref(n)))
        names = []
        for i in range(n.value):
            s = ctypes.c_char_p()
            _check(L.mlpipe_model_class_name(handle, i, ctypes.byref(s)))
            names.append(s.value.decode())
        # scikit-learn's attribute: the class of each predict_proba column.
        self.classes_ = np.array(names, dtype=object)
        _check(L.mlpipe_model_num_columns(handle, ctypes.byref(n)))
        self.schema = []
        for i in range(n.value):
            name, type_ = ctypes.c_char_p(), ctypes.c_int()
            _check(L.mlpipe_model_column(handle, i, ctypes.byref(name), ctypes.byref(type_)))
            col = {"name": name.value.decode(), "type": TYPES[type_.value]}
            k = ctypes.c_size_t()
            _check(L.mlpipe_model_column_num_categories(handle, i, ctypes.byref(k)))
            if k.value:
                cats = []
                for j in range(k.value):
                    s = ctypes.c_char_p()
                    _check(L.mlpipe_model_column_category(handle, i, j, ctypes.byref(s)))
                    cats.append(s.value.decode())
                col["categories"] = cats
            self.schema.append(col)
        self.feature_names_in_ = np.array([c["name"] for c in self.schema], dtype=object)
        _check(L.mlpipe_model_num_features(handle, ctypes.byref(n)))
        self.feature_names = []
        for i in range(n.value):
            s = ctypes.c_char_p()
            _check(L.mlpipe_model_feature_name(handle, i, ctypes.byref(s)))
            self.feature_names.append(s.value.decode())
        _check(L.mlpipe_model_num_outputs(handle, ctypes.byref(n)))
        self.num_outputs = n.value

    def close(self):
        """Releases the model now (also done when it is garbage-collected)."""
        if self._h:
            self._lib.mlpipe_model_free(self._h)
            self._h = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return (f"mlpipe.Model(task={self.task!r}, columns={len(self.schema)}, "
                f"classes={list(self.classes_)!r})")

    # ---- scoring ----------------------------------------------------------

    def _score(self, X):
        """(labels or None, probabilities or values) of every row of X."""
        if isinstance(X, dict):
            return self._score_json([X])
        if isinstance(X, (list, tuple)):
            return self._score_json(list(X))
        if not isinstance(X, pd.DataFrame):
            raise TypeError("X: expected a pandas DataFrame, a dict (one row) or a list of dicts")
        for c in self.schema:
            if c["name"] not in X.columns:
                raise MlpipeError(1, f"input has no column '{c['name']}' (the model needs "
                                     f"{len(self.schema)} input columns: "
                                     + ", ".join(s["name"] for s in self.schema) + ")")
        numeric = [c["name"] for c in self.schema if c["type"] in NUMERIC]
        text = [c["name"] for c in self.schema if c["type"] not in NUMERIC]
        # The matrix entry takes numbers for numeric columns and text for the
        # others; any other dtype goes as JSON, and the library converts it
        # (or names the column and row it cannot convert).
        if (any(not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c]))
                for c in numeric)
                or any(pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])
                       for c in text)):
            return self._score_json(X[list(self.feature_names_in_)].to_dict(orient="records"))
        return self._score_matrix(X, numeric, text)

    def _buffers(self, rows):
        if self.task == "regression":
            values = np.empty(rows, dtype=np.float64)
            return None, values, (None, 0, None, 0, values.ctypes.data_as(ctypes.POINTER(
                ctypes.c_double)), rows)
        k = len(self.classes_)
        labels = np.empty(rows, dtype=np.intc)
        probs = np.empty((rows, k), dtype=np.float64)
        return labels, probs, (labels.ctypes.data_as(ctypes.POINTER(ctypes.c_int)), rows,
                               probs.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), rows * k,
                               None, 0)

    def _score_json(self, records):
        text = json.dumps([{k: _json_value(v) for k, v in r.items()} for r in records],
                          allow_nan=False).encode()
        labels, out, args = self._buffers(len(records))
        _check(self._lib.mlpipe_predict_json(self._h, text, None, *args))
        return labels, out

    def _score_matrix(self, X, numeric, text):
        rows = len(X)
        num = np.ascontiguousarray(
            np.column_stack([X[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in numeric])
            if numeric else np.empty((rows, 0)), dtype=np.float64)
        cells = []
        for c in text:
            col = X[c].astype(object)
            cells.append([None if pd.isna(v) else str(v).encode() for v in col])
        flat = [cells[j][r] for r in range(rows) for j in range(len(text))]
        cat = (ctypes.c_char_p * max(1, len(flat)))(*flat)
        labels, out, args = self._buffers(rows)
        _check(self._lib.mlpipe_predict_matrix(
            self._h, rows, num.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), len(numeric),
            cat, len(text), *args))
        return labels, out

    def predict(self, X):
        """Class names (an object array) for a classifier, values (float64) for a
        regression model; one per row of X (a DataFrame, a dict or a list of dicts)."""
        labels, out = self._score(X)
        if labels is None:
            return out
        return self.classes_[labels]

    def predict_proba(self, X):
        """Probabilities, rows x classes in the order of `classes_` (scikit-learn's
        shape; binary models give two columns)."""
        if self.task == "regression":
            raise MlpipeError(1, "predict_proba: a regression model has no probabilities")
        return self._score(X)[1]

    def explain(self, row):
        """The Explanation of one row (a dict, a one-row DataFrame or a Series)."""
        if isinstance(row, pd.DataFrame):
            if len(row) != 1:
                raise MlpipeError(1, f"explain: expected one row, got {len(row)}")
            row = row.iloc[0]
        if isinstance(row, pd.Series):
            row = {k: row[k] for k in self.feature_names_in_ if k in row.index}
        text = json.dumps({k: _json_value(v) for k, v in row.items()}, allow_nan=False).encode()
        f, o = len(self.feature_names), self.num_outputs
        contrib = np.empty((o, f), dtype=np.float64)
        bias = np.empty(o, dtype=np.float64)
        _check(self._lib.mlpipe_explain_json(
            self._h, text, contrib.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), o * f,
            bias.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), o))
        return Explanation(list(self.feature_names), contrib, bias)
