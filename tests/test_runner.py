"""The script runner: ``python -m keras_compat [options] script.py [args...]``.

Most cases run the runner in this process through the ``run_runner`` fixture (tests/conftest.py),
which emulates a fresh interpreter and puts the process back afterwards; the first case and the
refusal of a real Keras also run a real ``python -m keras_compat`` child to pin what the fixture
emulates.
"""
import json
import os
import subprocess
import sys
import textwrap
import types

import pytest

from keras_compat._importer import KerasAliasFinder, uninstall
from keras_compat._runner import SUBCOMMANDS, UsageError, main, parse_run_args

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What a fresh process inherits from this one's settings: none (KERAS_HOME comes from conftest).
CLEAN_ENV = {"KERAS_BACKEND": None, "KERAS_COMPAT_DIM_ORDERING": None, "KERAS_COMPAT_DEVICE": None}

REPORT_SCRIPT = """
import json, os, sys
import helper
import keras
import keras.backend.config as C
print(json.dumps({
    "argv": sys.argv,
    "path0": sys.path[0],
    "helper": helper.VALUE,
    "name": __name__,
    "keras": keras.__name__,
    "ordering": C.image_dim_ordering(),
    "backend": C.backend(),
}))
"""


def _env(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO
    env["KERAS_HOME"] = str(tmp_path / "keras_home")  # no user keras.json
    for name in CLEAN_ENV:
        env.pop(name, None)
    return env


def _subprocess(tmp_path, *args):
    """A real ``python -m keras_compat`` child."""
    return subprocess.run([sys.executable, "-m", "keras_compat", *args], capture_output=True,
                          text=True, env=_env(tmp_path), cwd=str(tmp_path), timeout=120)


@pytest.fixture
def _run(run_runner, tmp_path):
    """``_run(tmp_path, *args, env=...)``: the runner in process, from ``tmp_path``."""
    def run(folder, *args, env=None):
        return run_runner(*args, env=dict(CLEAN_ENV, **(env or {})), cwd=folder)
    return run


@pytest.fixture
def script_dir(tmp_path):
    """A script in its own folder next to a helper module it imports."""
    folder = tmp_path / "legacy"
    folder.mkdir()
    (folder / "helper.py").write_text("VALUE = 42\n")
    (folder / "report.py").write_text(REPORT_SCRIPT)
    return folder


def _report(done):
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _write(path, text):
    path.write_text(textwrap.dedent(text))
    return path


# --- argv, sys.path[0], __main__ --------------------------------------------------------


@pytest.mark.parametrize("how", ["subprocess", "in_process"])
def test_script_gets_argv_path0_and_sibling_imports(tmp_path, script_dir, _run, how):
    args = (str(script_dir / "report.py"), "a", "--seed", "3", "-m", "x")
    done = _subprocess(tmp_path, *args) if how == "subprocess" else _run(tmp_path, *args)
    report = _report(done)
    assert report["argv"] == [str(script_dir / "report.py"), "a", "--seed", "3", "-m", "x"]
    assert report["path0"] == str(script_dir)
    assert report["helper"] == 42
    assert report["name"] == "__main__"
    assert report["keras"] == "keras_compat"
    assert (report["ordering"], report["backend"]) == ("tf", "tensorflow")


def test_relative_script_path(tmp_path, script_dir, _run):
    done = _run(tmp_path, "legacy/report.py", "b")
    report = _report(done)
    assert report["argv"] == ["legacy/report.py", "b"]
    assert report["path0"] == str(script_dir)


def test_run_subcommand_is_equivalent(tmp_path, script_dir, _run):
    done = _run(tmp_path, "run", "--dim-ordering", "th", "legacy/report.py", "c")
    report = _report(done)
    assert report["argv"] == ["legacy/report.py", "c"]
    assert report["ordering"] == "th"


def test_double_dash_ends_options(tmp_path, script_dir, _run):
    report = _report(_run(tmp_path, "--", "legacy/report.py", "--version"))
    assert report["argv"] == ["legacy/report.py", "--version"]


def test_run_module(tmp_path, _run):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helper.py").write_text("VALUE = 42\n")
    (package / "tool.py").write_text(REPORT_SCRIPT.replace("import helper", "from pkg import helper"))
    report = _report(_run(tmp_path, "--backend", "theano", "-m", "pkg.tool", "x", "--seed", "1"))
    assert report["argv"] == [str(package / "tool.py"), "x", "--seed", "1"]
    assert report["path0"] == str(tmp_path)
    assert report["backend"] == "theano"
    assert report["name"] == "__main__"


# --- options ------------------------------------------------------------------------------


def test_dim_ordering_is_visible_in_the_script(tmp_path, script_dir, _run):
    report = _report(_run(tmp_path, "--dim-ordering", "th", "legacy/report.py"))
    assert report["ordering"] == "th"


def test_options_with_equals_override_the_environment(tmp_path, script_dir, _run):
    env = {"KERAS_COMPAT_DIM_ORDERING": "th", "KERAS_BACKEND": "tensorflow"}
    done = _run(tmp_path, "--backend=theano", "--dim-ordering=tf", "legacy/report.py", env=env)
    report = _report(done)
    assert (report["ordering"], report["backend"]) == ("tf", "theano")


def test_device_option(tmp_path, _run):
    _write(tmp_path / "dev.py", """
        import keras.backend.device as D
        print(D.resolve())
    """)
    done = _run(tmp_path, "--device", "cpu", "dev.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "cpu"


def test_seed_makes_runs_repeatable(tmp_path, _run):
    _write(tmp_path / "rand.py", """
        import random
        import numpy
        import torch
        print(random.random(), numpy.random.rand(), torch.rand(1).item())
    """)
    outputs = []
    for seed in ("7", "7", "8"):
        done = _run(tmp_path, "--seed", seed, "rand.py")
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.strip())
    first, second, other = outputs
    assert first == second
    assert first != other


# --- exit codes -----------------------------------------------------------------------------


def test_exit_code_through_the_command_line(tmp_path, _run):
    (tmp_path / "exits.py").write_text("import sys; sys.exit(3)\n")
    assert _run(tmp_path, "exits.py").returncode == 3


EXIT_CASES = {
    "exit3.py": ("import sys; sys.exit(3)", 3),
    "exit0.py": ("import sys; sys.exit(0)", 0),
    "exit_none.py": ("import sys; sys.exit()", 0),
    "falls_off.py": ("x = 1", 0),
    "exit_message.py": ("import sys; sys.exit('giving up')", 1),
    "raises.py": ("raise KeyError('k')", 1),
}


@pytest.mark.parametrize("name", sorted(EXIT_CASES))
def test_exit_codes_from_main(tmp_path, _run, name):
    """main() returns the status python would exit with."""
    body, expected = EXIT_CASES[name]
    (tmp_path / name).write_text(body + "\n")
    done = _run(tmp_path, name)
    assert done.returncode == expected
    if name == "exit_message.py":
        assert done.stderr == "giving up\n"
    if name == "raises.py":
        assert done.stderr.splitlines()[-1] == "KeyError: 'k'"


def test_uncaught_exception_prints_traceback_and_exits_1(tmp_path, _run):
    _write(tmp_path / "boom.py", """
        def fail():
            raise ValueError("boom")
        fail()
    """)
    done = _run(tmp_path, "boom.py")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert 'boom.py", line 4, in <module>' in lines[1]
    assert lines[-1] == "ValueError: boom"
    assert "_runner.py" not in done.stderr and "runpy" not in done.stderr


# --- refusals (exit code 2) -------------------------------------------------------------------
# These fail before the hook is installed or anything runs, so they are checked in process.


@pytest.mark.parametrize("args, message", [
    ([], "usage:"),
    (["nowhere.py"], "can't open file 'nowhere.py': no such file"),
    (["--dim-ordering", "xy", "s.py"], "--dim-ordering must be one of th|tf"),
    (["--backend", "cntk", "s.py"], "--backend must be one of theano|tensorflow"),
    (["--seed", "x", "s.py"], "--seed needs an integer"),
    (["--device", "tpu", "s.py"], "Unknown device"),
    (["--frobnicate", "s.py"], "unknown option '--frobnicate'"),
    (["--seed"], "needs a value"),
    (["-m"], "needs a module name"),
    (["frobnicate"], "neither a script nor a command"),
])
def test_usage_errors(tmp_path, monkeypatch, capsys, args, message):
    (tmp_path / "s.py").write_text("print('ran')\n")
    monkeypatch.chdir(tmp_path)
    meta_path = list(sys.meta_path)
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert message in err
    assert "ran" not in out
    assert sys.meta_path == meta_path  # refused before installing the hook


def test_missing_module(tmp_path, _run):
    done = _run(tmp_path, "-m", "no_such_pkg.tool")
    assert done.returncode == 2
    assert "no module named 'no_such_pkg.tool'" in done.stderr


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("keras_compat ")
    assert main(["run", "--help"]) == 0
    assert "usage: python -m keras_compat" in capsys.readouterr().out


def test_refuses_when_a_real_keras_is_already_imported(tmp_path, _run, monkeypatch):
    (tmp_path / "s.py").write_text("print('ran')\n")
    real = types.ModuleType("keras")
    real.__file__ = "/site-packages/keras/__init__.py"
    was_installed = any(isinstance(f, KerasAliasFinder) for f in sys.meta_path)
    if was_installed:
        uninstall()  # as in a fresh process, where nothing has installed the hook yet
    monkeypatch.setitem(sys.modules, "keras", real)
    done = _run(tmp_path, "s.py")
    assert done.returncode == 2
    assert "a real Keras is already imported: /site-packages/keras/__init__.py" in done.stderr
    assert "ran" not in done.stdout


# --- argument parsing (in process) -------------------------------------------------------------


def test_parse_stops_at_the_script():
    options = parse_run_args(["--seed", "3", "--device=cpu", "train.py", "--seed", "9", "-m", "z"])
    assert (options.seed, options.device, options.script) == (3, "cpu", "train.py")
    assert options.args == ["--seed", "9", "-m", "z"]
    assert options.module is None


def test_parse_module():
    options = parse_run_args(["--dim-ordering", "th", "-m", "pkg.mod", "--backend", "theano"])
    assert (options.dim_ordering, options.module, options.script) == ("th", "pkg.mod", None)
    assert options.args == ["--backend", "theano"]
    assert options.backend is None


def test_parse_errors():
    with pytest.raises(UsageError):
        parse_run_args([])
    with pytest.raises(UsageError):
        parse_run_args(["-m"])
    with pytest.raises(UsageError):
        parse_run_args(["--dim-ordering", "channels_first", "x.py"])


def test_run_is_a_subcommand():
    assert "run" in SUBCOMMANDS
