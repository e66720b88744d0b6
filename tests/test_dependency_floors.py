"""tools/check_dependency_floors.py checks what pyproject.toml declares: its pins on the oldest
Python are the declared floors, and it covers the oldest and the newest supported Python.
(The installs themselves take minutes and gigabytes: `KERAS_COMPAT_CHECK_FLOORS=1 .ci/run`.)"""
import importlib.util
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TOOL = os.path.join(ROOT, "tools", "check_dependency_floors.py")


def _tool():
    spec = importlib.util.spec_from_file_location("check_dependency_floors", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pyproject():
    with open(os.path.join(ROOT, "pyproject.toml")) as handle:
        return handle.read()


def _floors():
    """{'torch': (2, 3), ...} from every `name>=version` requirement of pyproject.toml."""
    found = re.findall(r'"([A-Za-z0-9_.-]+)>=([0-9.]+)"', _pyproject())
    return {name.lower(): tuple(int(p) for p in version.split(".")) for name, version in found}


def _release(version):
    parts = tuple(int(p) for p in version.split("."))
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    return parts


def _trimmed(parts):
    return _release(".".join(map(str, parts)))


def test_oldest_python_pins_are_the_declared_floors():
    tool = _tool()
    floors = _floors()
    oldest = min(tool.PIN_SETS, key=lambda v: tuple(map(int, v.split("."))))
    label, pins = tool.PIN_SETS[oldest][0]
    for name, version in pins.items():
        assert _release(version) == _trimmed(floors[name]), (
            "%s: the floor check installs %s on Python %s but pyproject.toml says %s>=%s"
            % (name, version, oldest, name, ".".join(map(str, floors[name]))))
    assert {"torch", "numpy", "pillow", "pyyaml", "six", "h5py"} <= set(pins)


def test_newest_python_pins_torch_at_its_marker_floor():
    tool = _tool()
    newest = max(tool.PIN_SETS, key=lambda v: tuple(map(int, v.split("."))))
    marker = re.search(r'"torch>=([0-9.]+); python_version >= \'([0-9.]+)\'"', _pyproject())
    assert marker and marker.group(2) == newest
    for label, pins in tool.PIN_SETS[newest]:
        assert _release(pins["torch"]) == _release(marker.group(1)), (label, pins)


def test_pin_sets_cover_the_oldest_and_newest_supported_python():
    tool = _tool()
    text = _pyproject()
    requires = re.search(r'requires-python = ">=([0-9.]+)"', text).group(1)
    classified = re.findall(r'"Programming Language :: Python :: (3\.[0-9]+)"', text)
    newest = max(classified, key=lambda v: int(v.split(".")[1]))
    assert set(tool.PIN_SETS) == {requires, newest}


def test_no_pin_set_installs_numpy_2_with_a_torch_built_before_it():
    # torch < 2.3 with NumPy 2: "RuntimeError: Numpy is not available" at the first initializer
    for sets in _tool().PIN_SETS.values():
        for label, pins in sets:
            if _release(pins["numpy"]) >= (2,):
                assert _release(pins["torch"]) >= (2, 3), (label, pins)


def test_absent_interpreter_is_skipped_with_a_message(tmp_path):
    command = [sys.executable, TOOL, "--no-search", "--venv-root", str(tmp_path / "venvs"),
               "--python", "3.9=" + str(tmp_path / "no-such-python3.9")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "python 3.9: skipped (no working python3.9" in done.stdout
    assert "python 3.13: skipped (no working python3.13" in done.stdout
    required = subprocess.run(command + ["--require"], capture_output=True, text=True, timeout=120)
    assert required.returncode == 1
    assert not (tmp_path / "venvs").exists()  # nothing to check, nothing made


def test_current_interpreter_is_found_for_its_own_version():
    tool = _tool()
    version = "%d.%d" % sys.version_info[:2]
    assert tool.find_interpreter(version, given=sys.executable) == sys.executable
