"""mlpipe's model bundles in Python: scoring through libmlpipe.so (the C API).

    import mlpipe
    model = mlpipe.load("credit.mlpb")
    model.predict_proba(df)        # numpy array rows x classes, columns in model.classes_
    model.predict(df)              # class names, or values for regression
    model.explain({"age": 42, ...})

The package compiles nothing: it binds the C API with ctypes. The library is
found through $MLPIPE_LIBRARY, else beside the package, else in the source
tree's build/lib (docs/embedded.md). Every failure of the library is raised as
MlpipeError carrying the library's message (naming the column, row or part)."""
from ._lib import find_library, lib
from ._model import Explanation, MlpipeError, Model, load, load_bytes

__all__ = ["Explanation", "MlpipeError", "Model", "find_library", "load", "load_bytes",
           "version"]


def version():
    """The library's version string."""
    return lib().mlpipe_version().decode()
