"""Finding and binding libmlpipe.so (the C API, include/mlpipe/c_api.h) with ctypes."""
import ctypes
import ctypes.util
import os

_HERE = os.path.dirname(os.path.abspath(__file__))

# Where libmlpipe.so is looked for, in order, after $MLPIPE_LIBRARY.
CANDIDATES = (
    os.path.join(_HERE, "libmlpipe.so"),                           # installed beside the package
    os.path.join(_HERE, "..", "..", "build", "lib", "libmlpipe.so"),  # the source tree's build
)

c_size_p = ctypes.POINTER(ctypes.c_size_t)
c_int_p = ctypes.POINTER(ctypes.c_int)
c_double_p = ctypes.POINTER(ctypes.c_double)
c_str_p = ctypes.POINTER(ctypes.c_char_p)
c_model = ctypes.c_void_p

# name: (argument types); every function returns an int status.
SIGNATURES = {
    "mlpipe_model_load_file": (ctypes.c_char_p, ctypes.POINTER(c_model)),
    "mlpipe_model_load_bytes": (ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(c_model)),
    "mlpipe_model_free": (c_model,),
    "mlpipe_model_task": (c_model, c_int_p),
    "mlpipe_model_num_classes": (c_model, c_size_p),
    "mlpipe_model_class_name": (c_model, ctypes.c_size_t, c_str_p),
    "mlpipe_model_num_columns": (c_model, c_size_p),
    "mlpipe_model_column": (c_model, ctypes.c_size_t, c_str_p, c_int_p),
    "mlpipe_model_column_num_categories": (c_model, ctypes.c_size_t, c_size_p),
    "mlpipe_model_column_category": (c_model, ctypes.c_size_t, ctypes.c_size_t, c_str_p),
    "mlpipe_model_input_widths": (c_model, c_size_p, c_size_p),
    "mlpipe_model_num_features": (c_model, c_size_p),
    "mlpipe_model_feature_name": (c_model, ctypes.c_size_t, c_str_p),
    "mlpipe_model_num_outputs": (c_model, c_size_p),
    "mlpipe_predict_json": (c_model, ctypes.c_char_p, c_size_p, c_int_p, ctypes.c_size_t,
                            c_double_p, ctypes.c_size_t, c_double_p, ctypes.c_size_t),
    "mlpipe_predict_matrix": (c_model, ctypes.c_size_t, c_double_p, ctypes.c_size_t, c_str_p,
                              ctypes.c_size_t, c_int_p, ctypes.c_size_t, c_double_p,
                              ctypes.c_size_t, c_double_p, ctypes.c_size_t),
    "mlpipe_explain_json": (c_model, ctypes.c_char_p, c_double_p, ctypes.c_size_t, c_double_p,
                            ctypes.c_size_t),
}


def find_library():
    """The path of libmlpipe.so: $MLPIPE_LIBRARY, else beside the package, else the
    source tree's build/lib, else the system's library path."""
    env = os.environ.get("MLPIPE_LIBRARY")
    if env:
        if not os.path.exists(env):
            raise OSError(f"MLPIPE_LIBRARY={env}: no such file")
        return env
    for path in CANDIDATES:
        if os.path.exists(path):
            return os.path.normpath(path)
    found = ctypes.util.find_library("mlpipe")
    if found:
        return found
    raise OSError("libmlpipe.so not found: set MLPIPE_LIBRARY to its path (looked in "
                  + ", ".join(os.path.normpath(p) for p in CANDIDATES) + ")")


_lib = None


def lib():
    """The loaded library with every C API function's signature declared (once)."""
    global _lib
    if _lib is None:
        handle = ctypes.CDLL(find_library())
        for name, args in SIGNATURES.items():
            fn = getattr(handle, name)
            fn.argtypes = args
            fn.restype = ctypes.c_int
        handle.mlpipe_version.restype = ctypes.c_char_p
        handle.mlpipe_version.argtypes = ()
        handle.mlpipe_last_error.restype = ctypes.c_char_p
        handle.mlpipe_last_error.argtypes = ()
        _lib = handle
    return _lib
