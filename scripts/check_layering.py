#!/usr/bin/env python3
"""Checks that dependencies between mlpipe's modules point one way.

The module order is the order of `add_subdirectory(src/<module>)` in the top
CMakeLists.txt (the order of DESIGN.md's module table): a module may use only
the modules before it. The check fails, naming file and line, when

  * a file of module M includes `mlpipe/N/...` for a module N after M, or an
    unknown module;
  * a file includes a private header (one under src/) that is not in its own
    folder: another module's internals, whether reached through `../` or
    through an include path. The exceptions are test libraries (TEST_HEADERS
    below), which only test code may include;
  * a module's CMakeLists.txt lists `mlpipe::N` in DEPS or PRIVATE_DEPS for a
    module N that is not before it.

Files under apps/, capi/, examples/ and tests/ sit above every module: they
may include any module's public headers, never a private one (tests/support
excepted). The C API's header `mlpipe/c_api.h` (capi/, libmlpipe.so) sits
above every module too: only capi/, examples/, tests/ and bench/ may include
it; a module including it fails the check.
bench/ is not scanned: a benchmark may measure internals (the XGBoost
adapter, bulk loading through SqlConnection) and is never part of a library.

Usage: check_layering.py [ROOT]   (ROOT defaults to the repository holding
this script). Exit status 0 when clean, 1 with one line per violation.
"""

import os
import re
import sys

# Private headers that test code of later modules may include: the store's
# MetadataStore conformance suite (library mlpipe_store_conformance), which
# serve_tests runs against the tracking server.
TEST_HEADERS = {"src/store/conformance_fixture.h"}
# Folders whose headers any test code may include.
TEST_SUPPORT_DIRS = ("tests/support",)
# Folders scanned, relative to ROOT.
SCANNED = ("src", "include", "apps", "capi", "examples", "tests")
# The C API's public header, and the folders whose files may include it.
C_API_HEADER = "mlpipe/c_api.h"
C_API_USERS = ("capi/", "examples/", "tests/", "bench/")
SOURCE_EXTENSIONS = (".h", ".hpp", ".c", ".cc", ".cpp")

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SUBDIR_RE = re.compile(r"^\s*add_subdirectory\(\s*src/([A-Za-z0-9_]+)\s*\)", re.M)
MODULE_CALL_RE = re.compile(r"mlpipe_module\(\s*([A-Za-z0-9_]+)(.*?)\n\)", re.S)
KEYWORDS = ("SOURCES", "DEPS", "PRIVATE_DEPS", "TESTS", "TEST_DEPS")


def module_order(root):
    """The modules in the order of add_subdirectory in ROOT/CMakeLists.txt."""
    with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
        text = re.sub(r"#.*", "", f.read())
    return SUBDIR_RE.findall(text)


def module_lists(cmake_text):
    """{keyword: [words]} of the mlpipe_module() call in a CMakeLists.txt."""
    m = MODULE_CALL_RE.search(re.sub(r"#.*", "", cmake_text))
    if not m:
        return None
    lists, current = {}, None
    for word in m.group(2).split():
        if word in KEYWORDS:
            current = lists.setdefault(word, [])
        elif current is not None:
            current.append(word)
    return lists


def owner(rel):
    """The module a file belongs to; None for apps/ and tests/."""
    parts = rel.split("/")
    if parts[0] == "src" and len(parts) > 2:
        return parts[1]
    if parts[0] == "include" and len(parts) > 3 and parts[1] == "mlpipe":
        return parts[2]
    return None


def is_test_code(rel, library_sources):
    parts = rel.split("/")
    if parts[0] == "tests":
        return True
    if parts[0] == "src" and len(parts) > 2:
        return "/".join(parts[2:]) not in library_sources.get(parts[1], set())
    return False


def check(root):
    root = os.path.abspath(root)
    order = module_order(root)
    rank = {m: i for i, m in enumerate(order)}
    errors = []
    if not order:
        return ["CMakeLists.txt: no add_subdirectory(src/<module>) found"]

    # Library sources per module, and DEPS pointing the wrong way.
    library_sources = {}
    for m in order:
        path = os.path.join(root, "src", m, "CMakeLists.txt")
        if not os.path.exists(path):
            errors.append(f"src/{m}/CMakeLists.txt: missing")
            continue
        with open(path, encoding="utf-8") as f:
            lists = module_lists(f.read())
        if lists is None:
            errors.append(f"src/{m}/CMakeLists.txt: no mlpipe_module() call")
            continue
        library_sources[m] = set(lists.get("SOURCES", []))
        for key in ("DEPS", "PRIVATE_DEPS"):
            for dep in lists.get(key, []):
                if not dep.startswith("mlpipe::"):
                    continue
                d = dep[len("mlpipe::"):]
                if d not in rank:
                    errors.append(f"src/{m}/CMakeLists.txt: {key} names unknown module {dep}")
                elif rank[d] >= rank[m]:
                    errors.append(f"src/{m}/CMakeLists.txt: {key} names {dep}, which does not "
                                  f"come before {m} in the module order (CMakeLists.txt)")

    # Every private header under src/, by path relative to ROOT.
    private = {}
    src = os.path.join(root, "src")
    for dirpath, _, files in os.walk(src):
        for name in files:
            if name.endswith((".h", ".hpp")):
                rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                private.setdefault(name, []).append(rel)

    for top in SCANNED:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(SOURCE_EXTENSIONS):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                errors.extend(check_file(root, rel, rank, private, library_sources))
    return errors


def check_file(root, rel, rank, private, library_sources):
    errors = []
    mod = owner(rel)
    if mod is not None and mod not in rank:
        # A folder under src/ or include/mlpipe/ that is no module: its
        # includes are still checked as if it sat above every module.
        errors.append(f"{rel}: {mod} is not a module listed in CMakeLists.txt")
        mod = None
    my_rank = rank[mod] if mod is not None else len(rank)
    folder = os.path.dirname(rel)
    test_code = is_test_code(rel, library_sources)
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    for lineno, line in enumerate(lines, 1):
        m = INCLUDE_RE.match(line)
        if not m:
            continue
        bracket, inc = m.groups()
        where = f"{rel}:{lineno}"
        if inc == C_API_HEADER:
            if not rel.startswith(C_API_USERS):
                errors.append(f"{where}: includes {inc}, the C API, which sits above every "
                              "module: only capi/, examples/ and tests/ may use it")
            continue
        if inc.startswith("mlpipe/"):
            parts = inc.split("/")
            target = parts[1] if len(parts) > 2 else None
            if target not in rank:
                errors.append(f"{where}: includes {inc}: no module '{target}' in CMakeLists.txt")
            elif rank[target] > my_rank:
                errors.append(f"{where}: includes {inc}, but {target} comes after {mod} in the "
                              "module order (CMakeLists.txt): a module uses only those before it")
            continue
        if bracket == "<":
            continue  # system and third-party headers
        resolved = os.path.normpath(os.path.join(folder, inc)).replace(os.sep, "/")
        if os.path.exists(os.path.join(root, resolved)):
            if resolved.startswith("src/") and os.path.dirname(resolved) != folder:
                if not allowed_test_header(resolved, test_code):
                    errors.append(f"{where}: includes {inc}, a private header of "
                                  f"{os.path.dirname(resolved)}/; use that module's public "
                                  "headers (include/mlpipe/)")
            continue
        # Not beside the file: found through an include path.
        candidates = [p for p in private.get(os.path.basename(inc), [])
                      if p.endswith("/" + inc) or p.split("/", 2)[-1] == inc]
        support = [d for d in TEST_SUPPORT_DIRS
                   if os.path.exists(os.path.join(root, d, inc))]
        if support and test_code:
            continue
        if candidates:
            if all(allowed_test_header(c, test_code) for c in candidates):
                continue
            errors.append(f"{where}: includes {inc}, a private header of "
                          f"{os.path.dirname(candidates[0])}/; use that module's public "
                          "headers (include/mlpipe/)")
        else:
            errors.append(f"{where}: includes \"{inc}\", which is neither beside it nor a "
                          "public mlpipe/ header")
    return errors


def allowed_test_header(rel, test_code):
    return test_code and rel in TEST_HEADERS


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    errors = check(root)
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} layering violation(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
