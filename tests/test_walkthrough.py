"""migration_guide/walkthrough.md cannot drift from what keras_compat does: its blocks run, in
order, in an empty folder.

* a ```python block must start with ``# <file>.py``: it is written to that file;
* each line of a ```sh block is a command (``python``, ``keras-compat`` or ``cp``; ``$VARS``
  expanded); one ending in ``# fails: TEXT`` must fail with TEXT in its output;
* each line of an ```output block must appear in the output of the command before it
  (```text blocks are illustrations and are not checked).

``python`` is this interpreter and ``keras-compat`` is ``python -m keras_compat`` (the same
entry point), with this checkout first on PYTHONPATH.
"""
import os
import re
import shlex
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
WALKTHROUGH = os.path.join(ROOT, "migration_guide", "walkthrough.md")
EXAMPLE_DATA = os.path.join(ROOT, "tests", "data", "walkthrough")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
FAILS = re.compile(r"\s+#\s*fails:\s*(.+)$")
COMMAND_TIMEOUT_S = 600


def _blocks():
    with open(WALKTHROUGH) as handle:
        return [(m.group(1), m.group(2)) for m in BLOCK.finditer(handle.read())]


def _argv(line, env):
    words = [re.sub(r"\$(\w+)", lambda m: env[m.group(1)], word) for word in shlex.split(line)]
    if words[0] == "python":
        return [sys.executable] + words[1:]
    if words[0] == "keras-compat":
        return [sys.executable, "-m", "keras_compat"] + words[1:]
    if words[0] == "cp":
        return words
    raise AssertionError("walkthrough.md: the test does not know how to run %r" % line)


def test_every_block_has_a_known_kind():
    blocks = _blocks()
    assert {lang for lang, _ in blocks} <= {"python", "sh", "output", "text"}
    for lang, text in blocks:
        if lang == "python":
            assert re.match(r"# [\w.]+\.py\n", text), "a python block must name its file: %r" % text[:60]


def test_the_script_shown_is_the_one_keras_1_ran():
    # the .h5 was written by the committed script (tools/oracle_cases/walkthrough_case.py)
    shown = {text.split("\n", 1)[0][2:]: text.split("\n", 1)[1]
             for lang, text in _blocks() if lang == "python"}
    with open(os.path.join(EXAMPLE_DATA, "train_bars.py")) as handle:
        assert shown["train_bars.py"] == handle.read()


@pytest.mark.slow
def test_walkthrough_runs(tmp_path):
    pytest.importorskip("h5py")
    env = dict(os.environ, KERAS_COMPAT_REPO=ROOT, KERAS_HOME=str(tmp_path / "keras_home"),
               KERAS_COMPAT_DEVICE="cpu",
               PYTHONPATH=os.pathsep.join([ROOT] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    env.pop("KERAS_BACKEND", None)
    work = tmp_path / "work"
    work.mkdir()
    last_output, ran = None, 0
    for lang, text in _blocks():
        if lang == "python":
            name, source = text.split("\n", 1)
            (work / name[2:]).write_text(source)
        elif lang == "sh":
            for line in text.splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                fails = FAILS.search(line)
                command = _argv(FAILS.sub("", line) if fails else line, env)
                done = subprocess.run(command, cwd=str(work), env=env, capture_output=True,
                                      text=True, timeout=COMMAND_TIMEOUT_S)
                last_output = done.stdout + done.stderr
                if fails:
                    assert done.returncode != 0, "%s should fail:\n%s" % (line, last_output)
                    assert fails.group(1) in last_output, (line, last_output)
                else:
                    assert done.returncode == 0, "%s failed:\n%s" % (line, last_output)
                ran += 1
        elif lang == "output":
            assert last_output is not None, "an output block before any command"
            for expected in text.splitlines():
                assert expected in last_output, "%r not in the output:\n%s" % (expected, last_output)
    assert ran >= 6
    for written in ("bars_convnet.h5", "bars_net.py", "bars_net.pt", "bars_net_finetuned.pt"):
        assert (work / written).exists(), written
