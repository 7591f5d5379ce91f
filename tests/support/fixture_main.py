"""The command line shared by every src/<module>/testdata/make_fixtures.py.

  make_fixtures.py OUT_DIR        write the fixture files into OUT_DIR
  make_fixtures.py --check DIR    regenerate into a temporary folder; exit 1 if
                                  a file is missing from DIR or differs from it

A generator script defines write_all(out_dir) -> the names of the files it
wrote, and ends with `sys.exit(fixture_main.main(sys.argv, write_all, __doc__))`.
The CTest check (mlpipe_fixture_check in cmake/mlpipe_fixtures.cmake) runs it
with --check, so that the committed references stay reproducible from the
libraries that computed them.

Files are compared byte for byte. A JSON file that differs is then compared
value by value: strings, integers, booleans and nulls exactly, other numbers to
a relative 1e-10. numpy's vectorised exp/log differ in the last bit between
processors (AVX2 and AVX-512 code paths), and a long sum with cancellation
(a mutual information near 0) carries that to about 1e-12; a reference that
moves by more than 1e-10 is a different answer, not rounding.
"""
import json
import math
import os
import tempfile

REL = 1e-10


def _same_value(a, b, where, out):
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            out.append(f"{where}: keys {sorted(a.keys() ^ b.keys())} differ")
            return
        for k in a:
            _same_value(a[k], b[k], f"{where}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} elements vs {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            _same_value(x, y, f"{where}[{i}]", out)
    elif isinstance(a, float) and isinstance(b, float):
        if not (a == b or math.isclose(a, b, rel_tol=REL, abs_tol=0.0)):
            out.append(f"{where}: {a!r} vs {b!r}")
    elif type(a) is not type(b) or a != b:
        out.append(f"{where}: {a!r} vs {b!r}")


def differences(fresh, committed):
    """What differs between two fixture files (empty when they agree)."""
    with open(fresh, "rb") as f:
        x = f.read()
    with open(committed, "rb") as f:
        y = f.read()
    if x == y:
        return []
    if not fresh.endswith(".json"):
        return ["the bytes differ"]
    out = []
    _same_value(json.loads(x), json.loads(y), "", out)
    return out


def check(write_all, committed_dir):
    with tempfile.TemporaryDirectory() as tmp:
        names = write_all(tmp)
        if not names:
            print("the generator wrote no file")
            return 1
        bad = 0
        for name in names:
            committed = os.path.join(committed_dir, name)
            if not os.path.exists(committed):
                print(f"{name}: not in {committed_dir}")
                bad += 1
                continue
            diff = differences(os.path.join(tmp, name), committed)
            if diff:
                bad += 1
                print(f"{name} differs from a fresh run ({len(diff)} values), first: " +
                      "; ".join(diff[:5]))
    if bad:
        print(f"{bad} of {len(names)} fixture files differ: regenerate them with "
              "make_fixtures.py and review the change")
        return 1
    print(f"all {len(names)} fixture files match")
    return 0


def main(argv, write_all, doc):
    if len(argv) == 3 and argv[1] == "--check":
        return check(write_all, argv[2])
    if len(argv) == 2 and not argv[1].startswith("-"):
        os.makedirs(argv[1], exist_ok=True)
        write_all(argv[1])
        return 0
    print(doc)
    return 2
