"""Data-parallel training (keras_compat.training.distributed) with 2 Gloo processes on CPU.

Two worker processes run every scenario of distributed_scenarios.py once (a module fixture:
starting processes costs more than the scenarios); this process runs the same scenarios for
the one-process reference. Histories, weights, predictions and evaluations must agree within
1e-6, with batches that split unevenly (3 + 2 rows) and into an empty share (1 row).
"""
import importlib.util
import os
import random
import re
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch

from keras_compat import _runner
from keras_compat.training.distributed import shard_bounds

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORLD = 2
TOLERANCE = 1e-6


def _scenarios():
    spec = importlib.util.spec_from_file_location(
        "distributed_scenarios", os.path.join(HERE, "distributed_scenarios.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _worker_environment(rank, port):
    env = dict(os.environ)
    env.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(WORLD),
               LOCAL_WORLD_SIZE=str(WORLD), MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port),
               PYTHONPATH=ROOT + os.pathsep + env.get("PYTHONPATH", ""), OMP_NUM_THREADS="1",
               PYTHONFAULTHANDLER="1")  # a native abort prints the Python stacks
    env.pop("KERAS_COMPAT_DEVICE", None)
    return env


def _run_scenarios(folder, environments):
    """Run distributed_scenarios.py once per environment; each process's results and output."""
    os.makedirs(folder, exist_ok=True)
    workers = [subprocess.Popen([sys.executable, os.path.join(HERE, "distributed_scenarios.py"),
                                 folder], env=env, cwd=folder,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for env in environments]
    outputs = []
    try:
        for worker in workers:
            outputs.append(worker.communicate(timeout=300))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    for worker, (_, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-3000:]
    return [{"results": dict(np.load(os.path.join(folder, "rank%d.npz" % rank))),
             "exit_state": _read(os.path.join(folder, "exit_state%d.txt" % rank)),
             "stdout": out, "stderr": err} for rank, (out, err) in enumerate(outputs)]


def _read(path):
    with open(path) as handle:
        return handle.read()


@pytest.fixture(scope="module")
def ranks(tmp_path_factory):
    """Each rank's results (npz), stdout and stderr."""
    port = _free_port()
    return _run_scenarios(str(tmp_path_factory.mktemp("distributed")),
                          [_worker_environment(rank, port) for rank in range(WORLD)])


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    """The same scenarios in this process (its RNG and thread settings restored after)."""
    threads = torch.get_num_threads()
    torch_state, numpy_state, python_state = torch.get_rng_state(), np.random.get_state(), \
        random.getstate()
    try:
        return _scenarios().run_all(str(tmp_path_factory.mktemp("one_process")))
    finally:
        torch.set_num_threads(threads)
        torch.set_rng_state(torch_state)
        np.random.set_state(numpy_state)
        random.setstate(python_state)


def _assert_equal_to_one_process(ranks, one_process, prefix):
    keys = sorted(k for k in one_process if k.startswith(prefix))
    assert keys
    for rank in ranks:
        assert sorted(k for k in rank["results"] if k.startswith(prefix)) == keys
        for key in keys:
            np.testing.assert_allclose(rank["results"][key], one_process[key], rtol=0,
                                       atol=TOLERANCE, err_msg=key)


def test_shares_are_contiguous_and_differ_by_at_most_one_row():
    assert [shard_bounds(5, rank, 2) for rank in range(2)] == [(0, 3), (3, 5)]
    assert [shard_bounds(1, rank, 2) for rank in range(2)] == [(0, 1), (1, 1)]
    assert [shard_bounds(10, rank, 4) for rank in range(4)] == [(0, 3), (3, 6), (6, 8), (8, 10)]


def test_mlp_fit_equals_one_process(ranks, one_process):
    # History (loss, acc, val_loss, val_acc) and weights after 3 shuffled epochs.
    _assert_equal_to_one_process(ranks, one_process, "mlp_history_")
    _assert_equal_to_one_process(ranks, one_process, "mlp_weight")


def test_convnet_with_batch_normalization_fit_equals_one_process(ranks, one_process):
    _assert_equal_to_one_process(ranks, one_process, "conv_history_")
    _assert_equal_to_one_process(ranks, one_process, "conv_weight")


def test_predict_and_evaluate_equal_one_process_on_every_rank(ranks, one_process):
    _assert_equal_to_one_process(ranks, one_process, "mlp_predict")
    _assert_equal_to_one_process(ranks, one_process, "conv_predict")
    _assert_equal_to_one_process(ranks, one_process, "mlp_evaluate")
    assert ranks[0]["results"]["mlp_predict"].shape == (65, 3)


def test_train_and_test_on_batch_equal_one_process(ranks, one_process):
    # A batch of 7 rows (4 + 3), then the weights it left.
    _assert_equal_to_one_process(ranks, one_process, "mlp_train_on_batch")
    _assert_equal_to_one_process(ranks, one_process, "mlp_test_on_batch")
    _assert_equal_to_one_process(ranks, one_process, "mlp_after_batch")


def test_fit_generator_equals_one_process(ranks, one_process):
    _assert_equal_to_one_process(ranks, one_process, "gen_")


def test_sample_weights_with_zeros_equal_one_process(ranks, one_process):
    _assert_equal_to_one_process(ranks, one_process, "weighted_")


def test_two_input_two_output_model_equals_one_process(ranks, one_process):
    _assert_equal_to_one_process(ranks, one_process, "multi_")


def test_dropout_draws_per_rank_and_keeps_the_ranks_in_step(ranks):
    first, second = (r["results"] for r in ranks)
    for key in first:
        if key.startswith("dropout_"):
            np.testing.assert_array_equal(first[key], second[key], err_msg=key)


def test_progress_summary_and_callback_output_are_printed_once(ranks):
    first, second = ranks[0]["stdout"], ranks[1]["stdout"]
    assert first.count("Layer (type)") == 1
    assert first.count("Epoch 1/3") == 1
    assert first.count("Train on 65 samples, validate on 21 samples") == 1
    assert first.count("saving model to") == 3
    assert first.count("Epoch 00002: early stopping") == 1
    assert second == ""


def test_checkpoint_is_written_by_rank_zero_only_and_loads_on_every_rank(ranks, one_process):
    assert one_process["checkpoint_writes"] == 3
    assert [int(r["results"]["checkpoint_writes"]) for r in ranks] == [3, 0]
    for rank in ranks:  # the loaded model predicts exactly what the trained one does
        assert float(rank["results"]["checkpoint_matches"]) == 0.0


def test_early_stopping_stops_every_rank_at_the_same_epoch(ranks, one_process):
    assert int(one_process["stop_epochs"]) == 3
    assert [int(r["results"]["stop_epochs"]) for r in ranks] == [3, 3]


# -- the runner ---------------------------------------------------------------------------------
def test_wrappers_and_process_group_are_released_before_interpreter_exit(ranks):
    # "0 0": no DistributedDataParallel left and the process group destroyed, on every rank.
    assert [rank["exit_state"] for rank in ranks] == ["0 0"] * WORLD


def test_runner_splits_torchrun_options_from_its_own():
    options = _runner.parse_run_args(["--nproc_per_node=2", "--seed", "3", "--standalone",
                                      "--master-port", "123", "train.py", "--nnodes", "4"])
    assert options.launcher == ["--nproc-per-node=2", "--standalone", "--master-port", "123"]
    assert options.script == "train.py" and options.args == ["--nnodes", "4"]
    assert options.seed == 3
    assert _runner.torchrun_argv(options) == [
        "--nproc-per-node=2", "--standalone", "--master-port", "123", "-m", "keras_compat",
        "--seed", "3", "train.py", "--nnodes", "4"]


def test_runner_needs_a_value_for_nproc_per_node(capsys):
    assert _runner.main(["--nproc-per-node"]) == 2
    assert "option --nproc-per-node needs a value" in capsys.readouterr().err


TINY_SCRIPT = """\
import numpy as np
np.random.seed(0)
from keras.models import Sequential
from keras.layers import Dense
x = np.random.random((50, 4))
y = (x.sum(axis=1, keepdims=True) > 2).astype('float32')
model = Sequential()
model.add(Dense(1, input_dim=4, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='sgd')
history = model.fit(x, y, batch_size=8, nb_epoch=2)
print('final loss %.6f' % history.history['loss'][-1])
"""


def _launcher_environment():
    """This checkout importable, one thread per rank, Python stacks printed on a native abort."""
    return dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                OMP_NUM_THREADS="1", PYTHONFAULTHANDLER="1")


def _launch(arguments, tmp_path):
    script = tmp_path / "tiny.py"
    script.write_text(TINY_SCRIPT)
    return subprocess.run([sys.executable] + arguments + [str(script)], cwd=str(tmp_path),
                          env=_launcher_environment(), capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_runner_nproc_per_node_runs_a_keras1_script_on_two_processes(tmp_path):
    done = _launch(["-m", "keras_compat", "--nproc-per-node", str(WORLD),
                    "--master-port", str(_free_port())], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("Epoch 1/2") == 1  # rank 0's progress bar only
    # The script's own print runs on both ranks, with the same (global) loss.  Both ranks
    # share the launcher's stdout: one rank's text can land before the other's newline.
    finals = re.findall(r"final loss (\d+\.\d{6})", done.stdout)
    assert len(finals) == WORLD and len(set(finals)) == 1


@pytest.mark.slow
def test_torchrun_runs_keras_compat_as_a_module(tmp_path):
    done = _launch(["-m", "torch.distributed.run", "--nproc-per-node", str(WORLD),
                    "--master-port", str(_free_port()), "-m", "keras_compat"], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("Epoch 2/2") == 1


@pytest.mark.slow
def test_runner_runs_the_seed_tutorial_on_two_processes(tmp_path):
    tutorial = os.path.join(ROOT, "examples", "seed_tutorial.py")
    done = subprocess.run([sys.executable, "-m", "keras_compat", "--nproc-per-node", str(WORLD),
                           "--master-port", str(_free_port()), "--dim-ordering", "th",
                           "--max-epochs", "1", tutorial], cwd=str(tmp_path),
                          env=_launcher_environment(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("Layer (type)") == 1
    assert done.stdout.count("Epoch 1/1") == 1
    assert done.stdout.count("Test loss and accuracy:") == WORLD


@pytest.mark.cuda
def test_nccl_on_two_gpus_equals_one_gpu(tmp_path):
    """The NCCL path: one process per GPU (NCCL refuses two ranks on one GPU)."""
    if torch.cuda.device_count() < WORLD:
        pytest.skip("needs %d CUDA devices" % WORLD)
    port = _free_port()
    environments = [dict(_worker_environment(rank, port), KERAS_COMPAT_DEVICE="cuda")
                    for rank in range(WORLD)]
    ranks = _run_scenarios(str(tmp_path / "ranks"), environments)
    single = dict(os.environ, KERAS_COMPAT_DEVICE="cuda",
                  PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for name in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "LOCAL_RANK"):
        single.pop(name, None)
    reference = _run_scenarios(str(tmp_path / "one"), [single])[0]["results"]
    for rank in ranks:
        for key, value in reference.items():
            if key.startswith(("mlp_", "conv_", "gen_", "weighted_")):
                # cuDNN's convolution algorithms sum in a different order per batch shape.
                np.testing.assert_allclose(rank["results"][key], value, rtol=0, atol=1e-5,
                                           err_msg=key)
