"""Measure the max abs error of keras_compat against every real-Keras-1.2.2 reference case.

The parity tests already know how to rebuild each reference case (layer arguments, weights in
get_weights() order, which stored output a model is compared with, and under which emulated
backend).  Rather than re-typing ~150 model builders, this tool runs those very tests through
pytest with a small plugin that

* tags every array read from ``tests/data/oracle/{theano,tensorflow}/<case>.npz`` with
  (backend, case, key), and
* wraps ``numpy.testing.assert_allclose`` (and the ``close`` helper of
  test_core_extras_parity.py) so that whenever one side of a comparison is a tagged reference
  array, ``max |ours - keras1|`` is recorded before the assertion runs.

Comparisons against arrays computed in numpy (formula checks) are not tagged and not counted.
The tool prints one line per (case, backend) with the largest error over all stored outputs of
that case and the number of compared arrays, then the reference files that no test compares
with (``--all`` lists them, otherwise only their count).

Usage:  python tools/measure_parity.py [--markdown] [--all] [pytest selection ...]
"""
import argparse
import collections
import json
import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORACLE = os.path.join(ROOT, "tests", "data", "oracle")
BACKENDS = ("theano", "tensorflow")
TEST_FILES = [
    "tests/layers/test_conv_parity.py",
    "tests/layers/test_conv_family_parity.py",
    "tests/layers/test_core_extras_parity.py",
    "tests/layers/test_dense_parity.py",
    "tests/layers/test_recurrent_parity.py",
    "tests/layers/test_batch_normalization.py",
    "tests/layers/test_embedding.py",
    "tests/layers/test_wrappers.py",
    "tests/layers/test_conv_lstm.py",
    "tests/engine/test_functional.py",
    "tests/engine/test_merge.py",
    "tests/engine/test_custom_layers.py",
]


def _reference_tag(path):
    """(backend, case) for an output file of the oracle, else None."""
    path = os.path.abspath(os.fspath(path))
    folder, name = os.path.split(path)
    backend = os.path.basename(folder)
    if (os.path.dirname(folder) == ORACLE and backend in BACKENDS and name.endswith(".npz")):
        return backend, name[:-4]
    return None


class ParityRecorder:
    """pytest plugin: records max abs error of every comparison against a reference array."""

    def __init__(self):
        self.tags = {}          # id(array) -> (backend, case, key); arrays kept alive below
        self.alive = []
        self.errors = collections.defaultdict(list)   # (case, backend) -> [(key, err, nodeid)]
        self.failed = set()
        self.nodeid = None
        self._undo = []

    # -- patching -----------------------------------------------------------------------------
    def _patch(self, owner, name, replacement):
        original = getattr(owner, name)
        setattr(owner, name, replacement(original))
        self._undo.append((owner, name, original))

    def install(self):
        recorder = self
        npz_class = type(np.load(os.path.join(ORACLE, "tensorflow", "dense_linear.npz")))

        def wrap_getitem(original):
            def __getitem__(npz, key):
                value = original(npz, key)
                tag = _reference_tag(getattr(npz, "_keras_compat_path", "") or "")
                if tag is not None and isinstance(value, np.ndarray):
                    recorder.tags[id(value)] = tag + (key,)
                    recorder.alive.append(value)
                return value
            return __getitem__

        def wrap_load(original):
            def load(file, *args, **kwargs):
                result = original(file, *args, **kwargs)
                if isinstance(result, npz_class) and isinstance(file, (str, os.PathLike)):
                    result._keras_compat_path = os.fspath(file)
                return result
            return load

        def wrap_assert_allclose(original):
            def assert_allclose(actual, desired, *args, **kwargs):
                recorder.record(actual, desired)
                return original(actual, desired, *args, **kwargs)
            return assert_allclose

        self._patch(npz_class, "__getitem__", wrap_getitem)
        self._patch(np, "load", wrap_load)
        self._patch(np.testing, "assert_allclose", wrap_assert_allclose)
        self._wrap_assert_allclose = wrap_assert_allclose

    def uninstall(self):
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo = []

    def record(self, actual, desired):
        tag = self.tags.get(id(desired)) or self.tags.get(id(actual))
        if tag is None:
            return
        ours = actual if self.tags.get(id(desired)) else desired
        ref = desired if ours is actual else actual
        ours = np.asarray(ours, dtype=np.float64)
        ref = np.asarray(ref, dtype=np.float64)
        if ours.shape != ref.shape and ours.size != ref.size:
            return   # the assertion itself will report the shape mismatch
        err = float(np.max(np.abs(ours.reshape(ref.shape) - ref))) if ref.size else 0.0
        backend, case, key = tag
        self.errors[(case, backend)].append((key, err, self.nodeid))

    # -- pytest hooks -------------------------------------------------------------------------
    def pytest_collection_finish(self, session):
        """test_core_extras_parity compares through its own ``close``; wrap it there too."""
        seen = set()
        for item in session.items:
            module = getattr(item, "module", None)
            if module is None or id(module) in seen:
                continue
            seen.add(id(module))
            helper = getattr(module, "close", None)
            if callable(helper) and getattr(helper, "__module__", None) == module.__name__:
                self._patch(module, "close", self._wrap_close)

    def _wrap_close(self, original):
        def close(got, want, *args, **kwargs):
            self.record(got, want)
            return original(got, want, *args, **kwargs)
        return close

    def pytest_runtest_setup(self, item):
        self.nodeid = item.nodeid

    def pytest_runtest_teardown(self, item):
        self.tags.clear()
        self.alive = []

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.failed.add(report.nodeid)


def reference_files():
    cases = collections.defaultdict(set)
    for backend in BACKENDS:
        folder = os.path.join(ORACLE, backend)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".npz"):
                cases[name[:-4]].add(backend)
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--all", action="store_true", help="list unmeasured reference files")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("selection", nargs="*", help="pytest selection (default: parity tests)")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    recorder = ParityRecorder()
    recorder.install()
    try:
        code = pytest.main(["-q", "-p", "no:cacheprovider"]
                           + (args.selection or TEST_FILES), plugins=[recorder])
    finally:
        recorder.uninstall()

    rows = []
    for (case, backend), hits in sorted(recorder.errors.items()):
        worst_key, worst, nodeid = max(hits, key=lambda hit: hit[1])
        failed = any(node in recorder.failed for _, _, node in hits)
        rows.append({"case": case, "backend": backend, "max_abs_err": worst,
                     "worst_output": worst_key, "compared_outputs": len(hits),
                     "test": nodeid.split("::")[0], "failed": failed})
    print()
    if args.markdown:
        print("| case | backend | max abs err | outputs compared | worst output | test file |")
        print("|---|---|---|---|---|---|")
        for row in rows:
            print("| %s | %s | %.2e%s | %d | %s | %s |" % (
                row["case"], row["backend"], row["max_abs_err"], " (FAILED)" * row["failed"],
                row["compared_outputs"], row["worst_output"], os.path.basename(row["test"])))
    else:
        print("%-40s %-10s %12s %5s  %s" % ("case", "backend", "max abs err", "n", "worst output"))
        for row in rows:
            print("%-40s %-10s %12.3e %5d  %s%s" % (row["case"], row["backend"], row["max_abs_err"],
                                                   row["compared_outputs"], row["worst_output"],
                                                   "  FAILED" * row["failed"]))
    measured = {(row["case"], row["backend"]) for row in rows}
    missing = sorted((case, backend) for case, backends in reference_files().items()
                     for backend in backends if (case, backend) not in measured)
    print("\n%d (case, backend) pairs measured; %d reference files not compared by the selected "
          "tests%s" % (len(rows), len(missing), ":" if args.all and missing else
                       " (--all lists them)" if missing else ""))
    if args.all:
        for case, backend in missing:
            print("  unmeasured: %s/%s.npz" % (backend, case))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"rows": rows, "unmeasured": missing}, handle, indent=1)
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
