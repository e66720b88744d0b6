"""Saves are crash safe: a process killed (SIGKILL) at random points of model.save,
save_weights (.h5, .pt) and ModelCheckpoint leaves the previous file intact, and the next
save of that target removes the temp file the killed one left."""
import os
import random
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

pytest.importorskip("h5py")

from keras_compat.callbacks import ModelCheckpoint  # noqa: E402
from keras_compat.layers import Dense  # noqa: E402
from keras_compat.models import Sequential, load_model  # noqa: E402
from keras_compat.saving import atomic  # noqa: E402

KILLS = 20
MID_SAVE = 3  # kills that must land inside a save (a temp file left) for the test to count


def _model():
    model = Sequential([Dense(64, input_dim=64), Dense(4)])
    model.compile("sgd", "mse")
    return model


def _stamp(model, version):
    """Mark the weights with ``version`` (read back by _version)."""
    weights = model.get_weights()
    weights[-1][:] = version
    model.set_weights(weights)


def _version(array):
    values = set(np.unique(array).tolist())
    assert len(values) == 1, "a mixed file: %r" % sorted(values)[:5]
    return int(values.pop())


def _save(kind, model, path):
    if kind == "checkpoint":
        callback = ModelCheckpoint(path)
        callback.set_model(model)
        callback.on_epoch_end(0, {"loss": 1.0})
    elif kind.startswith("weights"):
        model.save_weights(path, overwrite=True)
    else:
        model.save(path)


def _read_version(kind, model, path):
    if kind.startswith("weights"):
        model.load_weights(path)
        return _version(model.get_weights()[-1])
    return _version(load_model(path, compile=False).get_weights()[-1])


def _temps(folder, path):
    pattern = atomic.temp_pattern(path)
    return [n for n in os.listdir(folder) if pattern.match(n)]


def _kill_trials(kind, name, folder):
    """Fork savers and kill them; run in a fresh interpreter whose torch has one thread, so
    the forked children never inherit a busy intra-op thread pool (a fork hazard)."""
    rng = random.Random(sum(map(ord, kind + name)))
    path = os.path.join(folder, name)
    model, reader = _model(), _model()
    _stamp(model, 1)
    _save(kind, model, path)
    start = time.perf_counter()
    _save(kind, model, path)
    save_seconds = time.perf_counter() - start
    landed_mid_save = kills = 0
    # At least KILLS kills; more (up to 4 * KILLS) until MID_SAVE of them have landed inside a
    # save, since where a kill lands is a matter of timing on a loaded machine.
    while kills < KILLS or (landed_mid_save < MID_SAVE and kills < 4 * KILLS):
        kills += 1
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child saves new versions until it is killed
            os.close(read)
            try:
                for version in range(2, 10 ** 6):
                    _stamp(model, version)
                    _save(kind, model, path)
                    os.write(write, b"s")
            finally:
                os._exit(1)
        os.close(write)
        time.sleep(rng.uniform(0, 3 * save_seconds))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        done = len(os.read(read, 1 << 20))
        os.close(read)
        leftovers = _temps(folder, path)
        assert len(leftovers) <= 1, leftovers
        landed_mid_save += len(leftovers)
        # the target is a whole file: the version before the child started or one it wrote
        version = _read_version(kind, reader, path)
        assert 1 <= version <= done + 2, (version, done)  # +2: renamed, not yet reported
        _stamp(model, 1)
        _save(kind, model, path)  # the next save removes what the killed one left
        assert _temps(folder, path) == []
    return kills, landed_mid_save


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills forked children (POSIX only)")
@pytest.mark.parametrize("kind, name", [("model", "m.h5"), ("model", "m.pt"),
                                        ("weights", "w.h5"), ("weights", "w.pt"),
                                        ("checkpoint", "c.h5")])
def test_kill_during_save_keeps_previous_file(tmp_path, kind, name):
    result = subprocess.run([sys.executable, os.path.abspath(__file__), kind, name,
                             str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    kills, landed = map(int, result.stdout.split()[-2:])
    assert kills >= KILLS
    assert landed >= MID_SAVE, "only %d of %d kills landed inside a save" % (landed, kills)


def test_failed_save_leaves_no_temp_and_mode_follows_umask(tmp_path):
    model = _model()
    path = str(tmp_path / "m.pt")
    old = os.umask(0o027)
    try:
        model.save(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    model.save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~old
    before = open(path, "rb").read()

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with atomic.atomic_path(path) as temp:
            open(temp, "wb").write(b"partial")
            raise Boom()
    assert open(path, "rb").read() == before
    assert _temps(str(tmp_path), path) == []


def test_stale_temps_of_live_processes_and_other_targets_stay(tmp_path):
    path = str(tmp_path / "m.pt")
    host = atomic._host_tag()
    dead = tmp_path / (".m.pt.kcsave-%s-%d-ab.tmp" % (host, 2 ** 22 + 12345))
    live = tmp_path / (".m.pt.kcsave-%s-%d-cd.tmp" % (host, os.getppid()))
    other = tmp_path / (".n.pt.kcsave-%s-%d-ef.tmp" % (host, 2 ** 22 + 12345))
    for temp in (dead, live, other):
        temp.write_bytes(b"x")
    with atomic.atomic_path(path) as temp:
        open(temp, "wb").write(b"new")
    assert sorted(os.listdir(str(tmp_path))) == sorted(["m.pt", live.name, other.name])


if __name__ == "__main__":
    import torch
    torch.set_num_threads(1)
    print("kills, of which landed mid-save: %d %d" % _kill_trials(*sys.argv[1:4]))
