"""keras_compat/_malloc.py: glibc's malloc keeps freed memory for the runner's scripts."""
import platform
import subprocess
import sys

import pytest

from keras_compat import _malloc


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="the thresholds are glibc's")
def test_glibc_takes_both_thresholds():
    # In a child: the setting is process-wide.
    code = "from keras_compat import _malloc; print(_malloc.reuse_freed_memory(), _malloc.applied)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_a_refused_threshold_is_reported(monkeypatch):
    calls = []

    def mallopt(parameter, value):
        calls.append(parameter)
        return 0   # glibc's answer to a value out of range

    monkeypatch.setattr(_malloc, "_mallopt", lambda: mallopt)
    monkeypatch.setattr(_malloc, "applied", None)
    assert _malloc.reuse_freed_memory() is False
    assert _malloc.applied is False
    assert calls == [_malloc.M_MMAP_THRESHOLD]


def test_other_systems_are_left_alone(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(_malloc, "applied", None)
    assert _malloc._mallopt() is None
    assert _malloc.reuse_freed_memory() is False
