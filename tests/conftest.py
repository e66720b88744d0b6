"""Suite-wide set-up: deterministic seeds and fresh layer names for every test, and the
``oracle``/``data_path`` fixtures for the reference data under tests/data."""
import os
import random
import sys
import warnings

import numpy as np
import pytest
import torch

from keras_compat.backend import config, device, naming

import reference_data


@pytest.fixture
def oracle():
    """``oracle(case, backend="theano")`` -> :class:`reference_data.OracleCase` (Keras 1.2.2's arrays)."""
    return reference_data.oracle


@pytest.fixture
def data_path():
    """``data_path(*parts)`` -> the path of a committed file under tests/data (missing: failure)."""
    return reference_data.data_path


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch, tmp_path):
    # Tests never read the developer's ~/.keras and always run on the CPU unless marked cuda.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.delenv("KERAS_COMPAT_PRECISION", raising=False)  # full float32 unless asked
    config.reload()
    device.set_device("cpu")
    naming.reset_uids()
    np.random.seed(0)
    random.seed(0)
    torch.manual_seed(0)
    yield
    config.reload()
    device.set_device(None)


def pytest_collection_modifyitems(config, items):
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(skip)


class RunResult:
    """What one in-process run of the script runner left: its exit status and its output."""

    def __init__(self, returncode, stdout, stderr, caught):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        # Python prints warnings to stderr; pytest records them instead, so they are kept here.
        self.warnings = [warnings.formatwarning(w.message, w.category, w.filename, w.lineno)
                         for w in caught]


@pytest.fixture
def run_runner(monkeypatch, capsys):
    """``run_runner(*argv, env={...}, cwd=path)`` runs ``keras_compat._runner.main(argv)`` in this
    process as ``python -m keras_compat`` would in a fresh one, and returns a :class:`RunResult`.

    A fresh process is emulated by reading the configuration again after ``env`` is applied;
    afterwards the import hook, the legacy-NumPy patch, ``sys.argv``/``sys.path``/``sys.modules``
    (the scripts' own modules and the ``keras`` aliases), the working directory, the environment
    and the warning filters are put back, so the next test sees none of it.
    """
    from keras_compat import _importer, _legacy_numpy
    from keras_compat._runner import main

    saved_modules = set(sys.modules)
    saved_meta_path = list(sys.meta_path)
    saved_argv, saved_path, saved_cwd = list(sys.argv), list(sys.path), os.getcwd()
    saved_environ = dict(os.environ)
    hook_was_installed = any(getattr(finder, "_keras_compat_alias_finder", False)
                             for finder in sys.meta_path)
    numpy_was_patched = _legacy_numpy.is_installed()

    def run(*argv, env=None, cwd=None):
        for name, value in (env or {}).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        if cwd is not None:
            os.chdir(str(cwd))
        sys.argv = ["keras-compat"] + [str(arg) for arg in argv]
        sys.path.insert(0, os.getcwd())  # python -m puts the current folder first
        config.reload()  # a new process would read keras.json and the environment now
        capsys.readouterr()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            code = main([str(arg) for arg in argv])
        out, err = capsys.readouterr()
        return RunResult(code, out, err, caught)

    yield run

    if not hook_was_installed:
        _importer.uninstall()
    if not numpy_was_patched:
        _legacy_numpy.uninstall()
    sys.meta_path[:] = saved_meta_path
    for name in set(sys.modules) - saved_modules:
        module = sys.modules[name]
        path = getattr(module, "__file__", None) or ""
        if name == "keras" or name.startswith("keras.") or not _in_site(path):
            del sys.modules[name]
    sys.argv[:], sys.path[:] = saved_argv, saved_path
    os.chdir(saved_cwd)
    os.environ.clear()
    os.environ.update(saved_environ)


def _in_site(path):
    """Whether ``path`` belongs to an installed package or to keras_compat itself: modules that a
    script pulled in for the first time stay imported (dropping them would make duplicates)."""
    if not path:
        return True  # built-in, namespace package or a stub without a file
    path = os.path.abspath(path)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return (path.startswith(os.path.join(package_root, "keras_compat") + os.sep)
            or "site-packages" in path or path.startswith(sys.base_prefix))
