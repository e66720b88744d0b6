"""Check that the dependency floors in pyproject.toml are true: install the oldest supported
releases on the oldest and the newest supported Python, then run a fast subset of the suite.

For each interpreter in ``PIN_SETS`` that exists on this machine the script

1. creates (or reuses) a virtual environment under ``--venv-root``
   (default ``~/.cache/keras_compat/dependency_floors``; the first run downloads torch and, on
   Linux, the CUDA libraries its PyPI wheels depend on: several GB and a few minutes per
   interpreter);
2. installs keras_compat's wheel (built once from a clean copy of this checkout) with its
   ``test`` extra and the exact pins of each pin set *as requirements*, so pip refuses when the
   metadata excludes a pinned floor (for example ``numpy<2`` against a ``numpy==2.0.2`` pin);
3. checks that the installed versions are the pinned ones and that ``keras_compat`` is imported
   from the environment, not from the checkout;
4. runs ``SUBSET`` with that environment's pytest from an empty folder.

An interpreter that is absent is reported as skipped (exit status 0, unless ``--require``).
Exit status 1 when any install or test run fails.

Usage:  python tools/check_dependency_floors.py [--python 3.9=/path/to/python3.9] [--only 3.9]
        [--no-search] [--venv-root DIR] [--require] [--list]
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# One pin set per line: the oldest release of every dependency that installs on that Python.
# torch 2.3.0 is the first release built against NumPy 2 (torch 2.1.2 and 2.2.2 with NumPy 2
# raise "RuntimeError: Numpy is not available" at the first initializer), hence the torch floor;
# it still runs on NumPy 1.x, so on Python 3.9 both NumPy majors are checked. h5py 3.2.0 is the
# first h5py that reads scalar datasets without a DeprecationWarning under NumPy >= 1.20 (3.1.0
# warns on every model file with optimizer state), h5py 3.11.0 the first built against NumPy 2. On Python 3.13 the floors are the first releases with wheels
# for it (numpy 2.1.0, Pillow 11.0.0, PyYAML 6.0.2, h5py 3.12.1), except torch: 2.5.0 and 2.5.1
# have cp313 wheels but their torch.save fails on CPython 3.13.0 ("'_pickle.Pickler' object
# attribute 'persistent_id' is read-only"), so pyproject.toml asks for torch>=2.6 there.
PIN_SETS = {
    "3.9": [
        ("floors, numpy 1", {"torch": "2.3.0", "numpy": "1.21.0", "pillow": "10.1.0",
                             "pyyaml": "5.4", "six": "1.16.0", "h5py": "3.2.0"}),
        ("floors, numpy 2", {"torch": "2.3.0", "numpy": "2.0.2", "pillow": "10.1.0",
                             "pyyaml": "5.4", "six": "1.16.0", "h5py": "3.11.0"}),
    ],
    "3.13": [
        ("floors", {"torch": "2.6.0", "numpy": "2.1.0", "pillow": "11.0.0",
                    "pyyaml": "6.0.2", "six": "1.16.0", "h5py": "3.12.1"}),
    ],
}

# About a minute on two cores: imports by every Keras-1 path, every layer built, trained and
# saved, 3-epoch training against Keras 1.2.2's loss history, HDF5 files (h5py), plot_model
# (Pillow), the NumPy-era shims the runner installs (NumPy), yaml configs (PyYAML).
SUBSET = [
    "tests/test_keras_paths.py",
    "tests/layers/test_every_layer.py",
    "tests/training/test_train_parity.py",
    "tests/saving/test_hdf5.py",
    "tests/saving/test_load_model.py",
    "tests/utils/test_vis_utils.py",
    "tests/test_legacy_numpy.py",
]

_COPY_IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", "build", "dist",
                                      "*.egg-info", ".pytest_cache", ".hypothesis", "bench")


def _version_of(python):
    """'3.9' for a working interpreter, None when it cannot run (a pyenv shim without a version)."""
    try:
        done = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def find_interpreter(version, given=None, search=True):
    """The path of a working ``python<version>``: the one given, else (when ``search``) PATH,
    else pyenv's folder."""
    candidates = [given] if given else []
    if not search:
        return given if given and _version_of(given) == version else None
    candidates.append(shutil.which("python" + version))
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", version + ".*", "bin",
                                                "python" + version)), reverse=True)
    candidates.append("/usr/bin/python" + version)
    for candidate in candidates:
        if candidate and os.path.exists(candidate) and _version_of(candidate) == version:
            return candidate
    return None


def _run(command, log, **kwargs):
    log.write("$ %s\n" % " ".join(command))
    log.flush()
    return subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, **kwargs).returncode


def build_wheel(workdir, log):
    """keras_compat's wheel, built from a clean copy so the checkout gets no build/ or egg-info."""
    source = os.path.join(workdir, "source")
    shutil.copytree(ROOT, source, ignore=_COPY_IGNORE)
    wheels = os.path.join(workdir, "wheel")
    if _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source],
            log) != 0:
        raise SystemExit("check_dependency_floors: building the wheel failed (log: %s)" % log.name)
    shutil.rmtree(source)  # the log and the wheel stay in workdir
    (wheel,) = glob.glob(os.path.join(wheels, "*.whl"))
    return wheel


def _installed_versions(python, names):
    code = ("import json, sys\nfrom importlib import metadata\n"
            "print(json.dumps({n: metadata.version(n) for n in sys.argv[1:]}))")
    done = subprocess.run([python, "-c", code] + list(names), capture_output=True, text=True)
    import json
    return json.loads(done.stdout) if done.returncode == 0 else {}


def check(version, python, label, pins, wheel, venv_root, workdir, log):
    """Install one pin set into the interpreter's venv and run SUBSET; returns (ok, summary)."""
    venv = os.path.join(venv_root, "py" + version)
    venv_python = os.path.join(venv, "bin", "python")
    if not os.path.exists(venv_python):
        if _run([python, "-m", "venv", venv], log) != 0:
            return False, "creating the venv failed"
    pinned = ["%s==%s" % item for item in sorted(pins.items())]
    started = time.time()
    if _run([venv_python, "-m", "pip", "install", "--quiet", wheel + "[test]"] + pinned, log) != 0:
        return False, "pip refused the pins (see the log): the metadata excludes them"
    # A re-run installs the same wheel version: force the fresh build in, without touching deps.
    if _run([venv_python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
             wheel], log) != 0:
        return False, "reinstalling keras_compat failed"
    installed = _installed_versions(venv_python, pins)
    wrong = {n: installed.get(n) for n, v in pins.items() if installed.get(n, "").split("+")[0] != v}
    if wrong:
        return False, "installed versions differ from the pins: %s" % wrong
    empty = tempfile.mkdtemp(dir=workdir)
    where = subprocess.run([venv_python, "-c", "import keras_compat; print(keras_compat.__file__)"],
                           cwd=empty, capture_output=True, text=True)
    if not where.stdout.startswith(venv):
        return False, "keras_compat was not imported from the venv: %s" % (where.stdout or where.stderr)
    install_s = time.time() - started
    started = time.time()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    tests = [os.path.join(ROOT, path) for path in SUBSET]
    command = [venv_python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "--rootdir", ROOT, "-c", os.path.join(ROOT, "pyproject.toml")] + tests
    log.write("$ %s\n" % " ".join(command))
    done = subprocess.run(command, cwd=empty, env=env, capture_output=True, text=True)
    log.write(done.stdout + done.stderr)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    versions = ", ".join("%s %s" % (n, installed[n]) for n in sorted(pins))
    summary = "%s; %s (install %.0f s, tests %.0f s)" % (
        versions, lines[-1].strip("= ") if lines else "no pytest output", install_s,
        time.time() - started)
    return done.returncode == 0, summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[], metavar="VERSION=PATH",
                        help="the interpreter to use for VERSION (default: PATH, then pyenv)")
    parser.add_argument("--only", action="append", default=[], metavar="VERSION",
                        help="check only these Python versions")
    parser.add_argument("--venv-root", default=os.path.expanduser(
        "~/.cache/keras_compat/dependency_floors"), help="where the venvs are kept between runs")
    parser.add_argument("--no-search", action="store_true",
                        help="use only the interpreters given with --python")
    parser.add_argument("--require", action="store_true",
                        help="fail (instead of skipping) when an interpreter is absent")
    parser.add_argument("--list", action="store_true", help="print the pin sets and exit")
    args = parser.parse_args(argv)
    given = dict(item.split("=", 1) for item in args.python)
    versions = args.only or list(PIN_SETS)
    if args.list:
        for version in versions:
            for label, pins in PIN_SETS[version]:
                print("python %s (%s): %s" % (version, label, " ".join(
                    "%s==%s" % item for item in sorted(pins.items()))))
        return 0
    failures = 0
    found = {v: find_interpreter(v, given.get(v), search=not args.no_search) for v in versions}
    for version, python in found.items():
        if python is None:
            print("python %s: skipped (no working python%s on PATH or under pyenv; "
                  "pass --python %s=PATH)" % (version, version, version))
            failures += args.require
    if not any(found.values()):
        return 1 if failures else 0
    os.makedirs(args.venv_root, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="keras_compat_floors_")
    log_path = os.path.join(workdir, "log.txt")
    with open(log_path, "w") as log:
        wheel = build_wheel(workdir, log)
        for version, python in found.items():
            if python is None:
                continue
            for label, pins in PIN_SETS[version]:
                ok, summary = check(version, python, label, pins, wheel, args.venv_root,
                                    workdir, log)
                print("python %s (%s, %s): %s: %s" % (version, label, python,
                                                      "PASS" if ok else "FAIL", summary),
                      flush=True)
                failures += not ok
    print("log: %s" % log_path)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
