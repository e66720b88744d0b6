"""Runner options for legacy scripts: --max-epochs/--max-steps caps, --legacy-numpy, headless plots."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from keras_compat import _malloc
from keras_compat._runner import parse_run_args
from keras_compat.callbacks import LambdaCallback
from keras_compat.layers import Dense
from keras_compat.models import Sequential
from keras_compat.training import caps

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FIT_SCRIPT = """
import json, os, sys
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.callbacks import LambdaCallback
batches = []
model = Sequential([Dense(1, input_dim=2)])
model.compile("sgd", "mse")
x = np.random.rand(100, 2).astype("float32")
history = model.fit(x, x[:, :1], nb_epoch=50, batch_size=10, verbose=0,
                    callbacks=[LambdaCallback(on_batch_end=lambda b, l: batches.append(b))])
print(json.dumps({"epochs": history.epoch, "batches": len(batches),
                  "env": [os.environ.get("KERAS_COMPAT_MAX_EPOCHS"),
                          os.environ.get("KERAS_COMPAT_MAX_STEPS")]}))
"""

NUMPY_SCRIPT = """
import numpy as np
a = np.zeros(3, dtype=np.float)
b = np.zeros(3, dtype=np.float)
c = np.array([1], dtype=np.int)
print("ok", a.dtype, c.dtype, np.Inf)
"""

MALLOC_SCRIPT = """
from keras_compat import _malloc
print(_malloc.applied)
"""

PLOT_SCRIPT = """
import os
print(os.environ.get("MPLBACKEND"))
"""


CLEAN_ENV = {name: None for name in ("KERAS_COMPAT_MAX_EPOCHS", "KERAS_COMPAT_MAX_STEPS",
                                      "MPLBACKEND", "DISPLAY", "WAYLAND_DISPLAY")}


def _env(tmp_path, env=None):
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = REPO
    full_env["KERAS_HOME"] = str(tmp_path / "keras_home")
    for name in CLEAN_ENV:
        full_env.pop(name, None)
    full_env.update(env or {})
    return full_env


def _subprocess(tmp_path, script, *options):
    """A real ``python -m keras_compat`` child (warnings reach its stderr as Python prints them)."""
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(script))
    return subprocess.run([sys.executable, "-m", "keras_compat", *options, str(path)],
                          capture_output=True, text=True, env=_env(tmp_path), cwd=str(tmp_path),
                          timeout=120)


@pytest.fixture
def _run(run_runner):
    """``_run(tmp_path, script, *options, env=...)``: the runner in process (tests/conftest.py)."""
    def run(tmp_path, script, *options, env=None):
        path = tmp_path / "script.py"
        path.write_text(textwrap.dedent(script))
        return run_runner(*options, str(path), env=dict(CLEAN_ENV, **(env or {})), cwd=tmp_path)
    return run


# -- option parsing ----------------------------------------------------------------------------
def test_parse_caps_and_numpy_flags():
    options = parse_run_args(["--max-epochs", "2", "--max-steps=5", "--no-legacy-numpy", "s.py",
                              "--max-epochs", "9"])
    assert (options.max_epochs, options.max_steps, options.legacy_numpy) == (2, 5, False)
    assert options.args == ["--max-epochs", "9"]  # after the script: the script's own
    assert parse_run_args(["s.py"]).legacy_numpy is True
    assert parse_run_args(["--no-legacy-numpy", "--legacy-numpy", "s.py"]).legacy_numpy is True


def test_parse_reuse_memory_flags():
    assert parse_run_args(["s.py"]).reuse_memory is True
    assert parse_run_args(["--no-reuse-memory", "s.py"]).reuse_memory is False
    assert parse_run_args(["--no-reuse-memory", "--reuse-memory", "s.py"]).reuse_memory is True


@pytest.mark.parametrize("options, expected", [
    ((), [(_malloc.M_MMAP_THRESHOLD, 32 * 2 ** 20), (_malloc.M_TRIM_THRESHOLD, 512 * 2 ** 20)]),
    (("--no-reuse-memory",), []),
], ids=["default", "no-reuse-memory"])
def test_the_runner_keeps_freed_memory_unless_told_not_to(tmp_path, _run, monkeypatch, options,
                                                          expected):
    calls = []

    def mallopt(parameter, value):
        calls.append((parameter, value))
        return 1

    monkeypatch.setattr(_malloc, "_mallopt", lambda: mallopt)
    monkeypatch.setattr(_malloc, "applied", None)
    done = _run(tmp_path, MALLOC_SCRIPT, *options)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("True" if expected else "None")
    assert calls == expected


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test_bad_cap_values_are_usage_errors(tmp_path, bad, _run):
    done = _run(tmp_path, "print('never')\n", "--max-epochs", bad)
    assert done.returncode == 2
    assert "--max-epochs needs a positive integer" in done.stderr
    assert "never" not in done.stdout


def test_bad_cap_in_environment_is_reported_before_the_script(tmp_path, _run):
    done = _run(tmp_path, "print('never')\n", env={"KERAS_COMPAT_MAX_STEPS": "lots"})
    assert done.returncode == 2
    assert "KERAS_COMPAT_MAX_STEPS must be a positive integer" in done.stderr


# -- caps --------------------------------------------------------------------------------------
def test_cap_functions_read_the_environment(monkeypatch):
    monkeypatch.delenv("KERAS_COMPAT_MAX_EPOCHS", raising=False)
    monkeypatch.delenv("KERAS_COMPAT_MAX_STEPS", raising=False)
    assert caps.cap_epochs(10, 0) == 10 and caps.cap_steps() is None
    monkeypatch.setenv("KERAS_COMPAT_MAX_EPOCHS", "3")
    monkeypatch.setenv("KERAS_COMPAT_MAX_STEPS", "4")
    assert caps.cap_epochs(10, 0) == 3
    assert caps.cap_epochs(10, 8) == 10  # initial_epoch + cap beyond nb_epoch
    assert caps.cap_epochs(10, 5) == 8
    assert caps.cap_epochs(2, 0) == 2
    assert caps.cap_steps() == 4
    monkeypatch.setenv("KERAS_COMPAT_MAX_EPOCHS", "0")
    with pytest.raises(ValueError, match="KERAS_COMPAT_MAX_EPOCHS must be a positive integer"):
        caps.cap_epochs(10)


def test_fit_honours_the_caps(monkeypatch):
    monkeypatch.setenv("KERAS_COMPAT_MAX_EPOCHS", "2")
    monkeypatch.setenv("KERAS_COMPAT_MAX_STEPS", "3")
    model = Sequential([Dense(1, input_dim=2)])
    model.compile("sgd", "mse")
    x = np.random.rand(100, 2).astype("float32")
    batches = []
    history = model.fit(x, x[:, :1], nb_epoch=10, batch_size=10, verbose=0,
                        callbacks=[LambdaCallback(on_batch_end=lambda b, l: batches.append(b))])
    assert history.epoch == [0, 1]
    assert batches == [0, 1, 2, 0, 1, 2]
    history = model.fit(x, x[:, :1], nb_epoch=10, batch_size=10, verbose=0, initial_epoch=4)
    assert history.epoch == [4, 5]


def test_runner_caps_fit(tmp_path, _run):
    done = _run(tmp_path, FIT_SCRIPT, "--max-epochs", "1", "--max-steps", "2")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"epochs": [0], "batches": 2, "env": ["1", "2"]}


def test_runner_caps_from_environment(tmp_path, _run):
    done = _run(tmp_path, FIT_SCRIPT, env={"KERAS_COMPAT_MAX_EPOCHS": "3"})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["epochs"] == [0, 1, 2] and report["batches"] == 30


# -- legacy numpy --------------------------------------------------------------------------------
def test_runner_restores_numpy_aliases_with_one_warning_each(tmp_path):
    if "float" in np.__dict__:
        pytest.skip("this NumPy still has np.float")
    done = _subprocess(tmp_path, NUMPY_SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok float64 int64 inf"
    assert done.stderr.count("LegacyNumpyWarning") == 3  # np.float, np.int, np.Inf: once each
    assert "np.float is a NumPy alias that NumPy has removed" in done.stderr
    assert "script.py:3" in done.stderr  # the warning points at the script's line


def test_runner_restores_numpy_aliases_in_process(tmp_path, _run):
    """The same run through the in-process fixture: the warnings are recorded, not printed."""
    if "float" in np.__dict__:
        pytest.skip("this NumPy still has np.float")
    done = _run(tmp_path, NUMPY_SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok float64 int64 inf"
    legacy = [text for text in done.warnings if "LegacyNumpyWarning" in text]
    assert len(legacy) == 3
    assert any("script.py:3" in text for text in legacy)


def test_runner_no_legacy_numpy(tmp_path, _run):
    if "float" in np.__dict__:
        pytest.skip("this NumPy still has np.float")
    done = _run(tmp_path, NUMPY_SCRIPT, "--no-legacy-numpy")
    assert done.returncode == 1
    assert "AttributeError" in done.stderr and "np.float" in done.stderr


# -- headless plotting ---------------------------------------------------------------------------
def test_runner_selects_agg_without_a_display(tmp_path, _run):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("these platforms have a native GUI backend")
    assert _run(tmp_path, PLOT_SCRIPT).stdout.strip() == "Agg"
    assert _run(tmp_path, PLOT_SCRIPT, env={"DISPLAY": ":0"}).stdout.strip() == "None"
    assert _run(tmp_path, PLOT_SCRIPT, env={"MPLBACKEND": "pdf"}).stdout.strip() == "pdf"


def test_plt_show_does_not_block_under_the_runner(tmp_path, _run):
    pytest.importorskip("matplotlib")
    script = ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"
              "print('shown', plt.get_backend())\n")
    done = _run(tmp_path, script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().lower() == "shown agg"
    assert "non-interactive" not in done.stderr


def test_fit_generator_honours_the_caps(monkeypatch):
    # cifar10_cnn.py (Keras 1.2.2 example) trains with fit_generator(nb_epoch=200).
    monkeypatch.setenv("KERAS_COMPAT_MAX_EPOCHS", "2")
    monkeypatch.setenv("KERAS_COMPAT_MAX_STEPS", "3")
    model = Sequential([Dense(1, input_dim=2)])
    model.compile("sgd", "mse")
    x = np.random.rand(100, 2).astype("float32")

    def batches_of_ten():
        while True:
            for start in range(0, 100, 10):
                yield x[start:start + 10], x[start:start + 10, :1]

    batches = []
    history = model.fit_generator(batches_of_ten(), samples_per_epoch=100, nb_epoch=10, verbose=0,
                                  validation_data=(x, x[:, :1]),
                                  callbacks=[LambdaCallback(on_batch_end=lambda b, l: batches.append(b))])
    assert history.epoch == [0, 1] and batches == [0, 1, 2, 0, 1, 2]
    assert len(history.history["val_loss"]) == 2
    history = model.fit_generator(batches_of_ten(), steps_per_epoch=5, epochs=10, verbose=0,
                                  initial_epoch=4)
    assert history.epoch == [4, 5]
    monkeypatch.delenv("KERAS_COMPAT_MAX_EPOCHS")
    monkeypatch.delenv("KERAS_COMPAT_MAX_STEPS")
    batches.clear()
    model.fit_generator(batches_of_ten(), samples_per_epoch=50, nb_epoch=1, verbose=0,
                        callbacks=[LambdaCallback(on_batch_end=lambda b, l: batches.append(b))])
    assert batches == [0, 1, 2, 3, 4]
