"""`keras-compat port`: a Keras-1 model file -> PyTorch source + weights, verified on load."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

pytest.importorskip("h5py")

from keras_compat import _runner  # noqa: E402
from keras_compat.backend import config  # noqa: E402

import reference_data

DATA = reference_data.data_path("hdf5")


def _data(name):
    return os.path.join(DATA, name)


def _import_port(path, class_name="PortedModel"):
    import importlib.util
    spec = importlib.util.spec_from_file_location("ported_for_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = getattr(module, class_name)()
    net.load_state_dict(torch.load(path[:-3] + ".pt", weights_only=True))
    return net.eval()


@pytest.mark.parametrize("case", ["convnet_th", "batchnorm_theano"])
def test_port_model_file_reproduces_keras1_predictions(tmp_path, capsys, case):
    out = str(tmp_path / "mymodel.py")
    assert _runner.main(["port", _data(case + "_model.h5"), "--out", out]) == 0
    printed = capsys.readouterr().out
    assert "max |torch - keras|" in printed and "mymodel.pt" in printed
    ref = np.load(_data(case + ".npz"))
    with torch.no_grad():
        got = _import_port(out)(torch.from_numpy(ref["x"])).numpy()
    np.testing.assert_allclose(got, ref["y"], atol=1e-4)


def test_port_json_with_weights_and_class_name(tmp_path, capsys):
    out = str(tmp_path / "net.py")
    rc = _runner.main(["port", _data("convnet_th.json"),
                       "--weights", _data("convnet_th_weights.h5"),
                       "--original-backend", "theano", "--class-name", "Net", "--out", out])
    assert rc == 0
    source = open(out).read()
    assert "class Net(nn.Module)" in source and "keras_compat" not in source
    ref = np.load(_data("convnet_th.npz"))
    with torch.no_grad():
        got = _import_port(out, "Net")(torch.from_numpy(ref["x"])).numpy()
    np.testing.assert_allclose(got, ref["y"], atol=1e-4)


def test_port_errors(tmp_path, capsys):
    out = str(tmp_path / "x.py")
    assert _runner.main(["port", _data("convnet_th.json"), "--out", out]) == 2
    assert "pass --weights" in capsys.readouterr().err
    assert _runner.main(["port", str(tmp_path / "missing.h5"), "--out", out]) == 2
    assert "missing.h5" in capsys.readouterr().err
    assert _runner.main(["port", _data("convnet_th_model.h5")]) == 2  # --out is required
    assert not os.path.exists(out)


def test_port_from_the_command_line(tmp_path):
    out = str(tmp_path / "cli.py")
    done = subprocess.run([sys.executable, "-m", "keras_compat", "port",
                           _data("h5_theano_seq_model.h5"), "--out", out],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "max |torch - keras|" in done.stdout
    assert os.path.exists(out) and os.path.exists(out[:-3] + ".pt")
    config.reload()


@pytest.mark.parametrize("case", ["port_two_inputs_theano", "port_masked_rnn_tensorflow",
                                  "port_bidirectional_theano"])
def test_port_graphs_and_masks(tmp_path, capsys, case):
    out = str(tmp_path / "net.py")
    assert _runner.main(["port", _data(case + "_model.h5"), "--out", out]) == 0
    printed = capsys.readouterr().out
    assert "max |torch - keras| on random input" in printed
    ref = np.load(_data(case + ".npz"))
    inputs = [torch.from_numpy(ref[k]) for k in sorted(ref.files) if k.startswith("x")]
    source = open(out).read()
    if len(inputs) > 1:
        assert "def forward(self, input_1, input_2):" in source
    with torch.no_grad():
        got = _import_port(out)(*inputs).numpy()
    np.testing.assert_allclose(got, ref["y"], atol=1e-4)


def test_port_stateful_model_uses_its_batch_size(tmp_path, capsys):
    from keras_compat.layers import LSTM, Dense
    from keras_compat.models import Sequential
    model = Sequential([LSTM(3, stateful=True, batch_input_shape=(5, 4, 2)), Dense(1)])
    model.save(str(tmp_path / "stateful.pt"))
    out = str(tmp_path / "stateful_port.py")
    assert _runner.main(["port", str(tmp_path / "stateful.pt"), "--out", out]) == 0
    assert "random input of shape (5, 4, 2)" in capsys.readouterr().out
    net = _import_port(out)
    assert hasattr(net, "reset_states") and tuple(net.lstm_1_h.shape) == (5, 3)
