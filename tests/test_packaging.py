"""The release artefacts: ``python -m build`` makes an sdist that can run its own tests and a
wheel that holds only the package.

The build runs without isolation (``--no-isolation``) so that it needs no network: it uses the
installed setuptools, and is skipped when ``build`` or a setuptools new enough for the SPDX
``license`` string (PEP 639) is missing. The source is copied first so that no stale
``*.egg-info`` or bytecode of the working tree can leak into the archives.
"""
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SHIPPED_FOLDERS = ("tests", "migration_guide", "examples", "tools")
SETUPTOOLS_FLOOR = (77,)

pytestmark = pytest.mark.slow


def _setuptools_version():
    try:
        text = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        return None
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


def _tracked_files():
    """Files git tracks under the shipped folders, or None outside a git checkout (an sdist)."""
    try:
        listed = subprocess.run(["git", "ls-files", "--"] + list(SHIPPED_FOLDERS), cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if listed.returncode != 0 or not listed.stdout.strip():
        return None
    return {line for line in listed.stdout.splitlines()
            if os.path.exists(os.path.join(ROOT, line))}


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory):
    pytest.importorskip("build", reason="`build` is not installed (pip install build)")
    version = _setuptools_version()
    if version is None or version < SETUPTOOLS_FLOOR:
        pytest.skip("setuptools >= 77 is needed to build (found %s)" % (version,))
    base = tmp_path_factory.mktemp("release")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.py[cod]", "*.egg-info", "build", "dist", ".pytest_cache"))
    out = base / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir",
                            str(out), str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    sdists = sorted(out.glob("*.tar.gz"))
    wheels = sorted(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, sorted(os.listdir(out))
    with tarfile.open(sdists[0]) as archive:
        sdist_names = archive.getnames()
    with zipfile.ZipFile(wheels[0]) as archive:
        wheel_names = archive.namelist()
        dist_info = {name.split("/")[0] for name in wheel_names if ".dist-info/" in name}
        assert len(dist_info) == 1, dist_info
        wheel_metadata = archive.read("%s/METADATA" % dist_info.pop()).decode("utf-8")
    return {"build_log": built.stdout + built.stderr, "sdist": sdist_names,
            "wheel": wheel_names, "wheel_metadata": wheel_metadata}


def _sdist_relative(names):
    """Paths inside the sdist without its ``name-version/`` top folder."""
    return {name.split("/", 1)[1] for name in names if "/" in name}


def test_sdist_holds_the_tests_with_their_data_the_guide_and_the_examples(artefacts):
    files = _sdist_relative(artefacts["sdist"])
    for required in ("LICENSE", "README.md", "pyproject.toml", "MANIFEST.in",
                     "keras_compat/py.typed", "tests/conftest.py", "tests/data/README.md",
                     "tests/data/oracle/README.md", "tests/port/test_port_cli.py",
                     "migration_guide/README.md", "examples/seed_tutorial.py",
                     "tools/fake_keras_datasets.py"):
        assert required in files, required
    assert any(name.startswith("tests/data/hdf5/") and name.endswith(".h5") for name in files)
    assert any(name.startswith("tests/data/oracle/") and name.endswith(".npz") for name in files)
    assert not [name for name in files if name.startswith((".ci/", "bench/"))]
    assert not [name for name in files if "__pycache__" in name or name.endswith(".pyc")]


def test_sdist_leaves_out_no_tracked_file_of_the_shipped_folders(artefacts):
    tracked = _tracked_files()
    if tracked is None:
        pytest.skip("not a git checkout: nothing to compare the sdist with")
    missing = sorted(tracked - _sdist_relative(artefacts["sdist"]))
    assert not missing, "MANIFEST.in leaves out %d tracked files, e.g. %s" % (
        len(missing), missing[:5])


def test_wheel_holds_only_the_package_and_its_metadata(artefacts):
    top_level = {name.split("/")[0] for name in artefacts["wheel"]}
    others = top_level - {"keras_compat"}
    assert len(others) == 1 and re.fullmatch(r"keras_compat-[^/]+\.dist-info", others.pop()), \
        top_level
    names = set(artefacts["wheel"])
    assert "keras_compat/py.typed" in names
    assert "keras_compat/__init__.py" in names
    assert "keras_compat/port/cli.py" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), sorted(
        name for name in names if ".dist-info/" in name)


def test_wheel_metadata_declares_the_license_and_classifiers(artefacts):
    lines = artefacts["wheel_metadata"].splitlines()
    assert "License-Expression: MIT" in lines
    assert "License-File: LICENSE" in lines
    assert "Classifier: Operating System :: OS Independent" in lines
    assert "Classifier: Typing :: Typed" in lines
    assert "Classifier: Programming Language :: Python :: 3.9" in lines
    assert not [line for line in lines if line.startswith("Classifier: License ::")], \
        "PEP 639: the SPDX expression replaces license classifiers"
    assert [line for line in lines if line.startswith("Requires-Dist: build")
            and line.endswith('extra == "test"')], "the test extra installs build"


def test_build_prints_no_setuptools_deprecation(artefacts):
    log = artefacts["build_log"]
    assert "SetuptoolsDeprecationWarning" not in log
    assert "no files found matching" not in log
    assert "no previously-included files" not in log
