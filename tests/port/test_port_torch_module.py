"""TorchModule layers in ports: ``to_torch`` carries the module over as an object (a copy);
generated source takes it as an ``__init__`` argument and never writes or imports its code;
``keras-compat port`` gets it only from ``--torch-module`` (code named on the command line)."""
import importlib.util
import json
import textwrap

import numpy as np
import pytest
import torch
from torch import nn

from keras_compat import _runner, port
from keras_compat.layers import Dense, Input, TorchModule
from keras_compat.models import Model, Sequential
from keras_compat.optimizers import SGD

FACTORY_SOURCE = textwrap.dedent('''
    import torch
    from torch import nn


    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(4, 6)
            self.norm = nn.BatchNorm1d(6)

        def forward(self, x):
            return torch.tanh(self.norm(self.linear(x)))


    def build():
        return Block()
''')


class Gate(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.linspace(-1, 1, 5))

    def forward(self, a, b):
        return torch.cat([a, b], dim=-1) * torch.sigmoid(self.weight)


def _trained(model, n_in=(4,), n_out=2):
    rng = np.random.RandomState(0)
    model.compile(SGD(lr=0.05), "mse")
    inputs = [rng.rand(16, n).astype("float32") for n in n_in]
    model.fit(inputs if len(inputs) > 1 else inputs[0], rng.rand(16, n_out).astype("float32"),
              nb_epoch=2, batch_size=4, verbose=0)
    return model


def _sequential(block):
    return Sequential([Dense(4, input_dim=3, name="pre"), TorchModule(block, name="block"),
                       Dense(2, name="post")])


def test_to_torch_carries_a_copy_of_the_module_with_equal_outputs():
    torch.manual_seed(0)
    block = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.Tanh())
    model = _trained(_sequential(block), n_in=(3,))
    ported = model.to_torch()
    x = np.random.RandomState(1).rand(5, 3).astype("float32")
    with torch.no_grad():
        np.testing.assert_allclose(ported(torch.from_numpy(x)).numpy(), model.predict(x),
                                   rtol=1e-5, atol=1e-6)
    assert isinstance(ported.block, nn.Sequential) and ported.block is not block
    assert not ported.block.training  # eval mode: BatchNorm uses the running statistics
    with torch.no_grad():
        ported.block[0].weight.add_(1.0)
    assert not torch.equal(ported.block[0].weight, block[0].weight)


def test_to_torch_of_a_functional_model_with_a_two_input_module():
    a, b = Input(shape=(3,)), Input(shape=(2,))
    gated = TorchModule(Gate(), name="gate")([a, b])
    model = _trained(Model([a, b], Dense(2, name="out")(gated)), n_in=(3, 2))
    ported = model.to_torch()
    xa = np.random.RandomState(2).rand(4, 3).astype("float32")
    xb = np.random.RandomState(3).rand(4, 2).astype("float32")
    with torch.no_grad():
        got = ported(torch.from_numpy(xa), torch.from_numpy(xb)).numpy()
    np.testing.assert_allclose(got, model.predict([xa, xb]), rtol=1e-5, atol=1e-6)


def test_generated_source_takes_the_module_as_an_argument_and_never_names_its_code():
    model = _sequential(nn.Sequential(nn.Linear(4, 4)))
    source, state = port.generate_source(model, "Net")
    assert "    def __init__(self, block):" in source
    assert "        self.block = block" in source
    assert "        x = self.block(x)" in source
    assert "model = Net(block=<the torch module of that layer>)" in source
    assert "Sequential" not in source  # the module's class is never named
    assert [line for line in source.splitlines() if "import" in line] == [
        "import torch", "import torch.nn as nn", "import torch.nn.functional as F"]
    assert sorted(k for k in state if k.startswith("block.")) == ["block.0.bias",
                                                                  "block.0.weight"]
    net_class = port.load_source(source, "Net")
    with pytest.raises(TypeError):
        net_class()  # the module must be given
    net = net_class(block=nn.Sequential(nn.Linear(4, 4)))
    net.load_state_dict(state)
    x = np.random.RandomState(4).rand(3, 3).astype("float32")
    with torch.no_grad():
        np.testing.assert_allclose(net.eval()(torch.from_numpy(x)).numpy(), model.predict(x),
                                   rtol=1e-5, atol=1e-6)


def test_a_layer_named_like_a_global_gets_another_argument_name():
    model = Sequential([TorchModule(nn.Linear(3, 2), input_shape=(3,), name="torch")])
    source, _ = port.generate_source(model)
    assert "def __init__(self, torch_):" in source and "self.torch_ = torch_" in source


# -- keras-compat port ------------------------------------------------------------------------------
@pytest.fixture
def factory(tmp_path, monkeypatch):
    folder = tmp_path / "user_code"
    folder.mkdir()
    (folder / "torchmod_factory.py").write_text(FACTORY_SOURCE)
    monkeypatch.syspath_prepend(str(folder))
    spec = importlib.util.spec_from_file_location("torchmod_factory",
                                                  str(folder / "torchmod_factory.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _foreign_model_file(path, model):
    """Save ``model`` as another process would have: no token of this process in the file."""
    h5py = pytest.importorskip("h5py")
    model.save(path)
    with h5py.File(path, "r+") as handle:
        raw = handle.attrs["model_config"]
        config = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        for layer in config["config"]:
            if layer["class_name"] == "TorchModule":
                layer["config"]["module_token"] = "written-elsewhere-1"
        handle.attrs["model_config"] = json.dumps(config).encode("utf-8")


def test_port_cli_refuses_a_torch_module_it_is_not_given(tmp_path, factory, capsys):
    path = str(tmp_path / "model.h5")
    _foreign_model_file(path, _trained(_sequential(factory.build()), n_in=(3,)))
    assert _runner.main(["port", path, "--out", str(tmp_path / "net.py"), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("keras-compat port: error: ")
    assert ("Layer block (TorchModule): the config wraps a torch module of class "
            "torchmod_factory.Block." in err)
    assert not (tmp_path / "net.py").exists()


def test_port_cli_with_torch_module_option(tmp_path, factory, capsys):
    model = _trained(_sequential(factory.build()), n_in=(3,))
    path = str(tmp_path / "model.h5")
    _foreign_model_file(path, model)
    out = str(tmp_path / "net.py")
    assert _runner.main(["port", path, "--out", out, "-q",
                         "--torch-module", "block=torchmod_factory:build"]) == 0
    printed = capsys.readouterr().out
    assert "PortedModel takes the torch modules of its TorchModule layers as arguments: " \
           "PortedModel(block=...)" in printed
    source = open(out).read()
    assert "torchmod_factory" not in source and "Block" not in source
    spec = importlib.util.spec_from_file_location("ported_torch_module_test", out)
    written = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(written)
    net = written.PortedModel(block=factory.build())
    net.load_state_dict(torch.load(out[:-3] + ".pt", weights_only=True))
    x = np.random.RandomState(5).rand(4, 3).astype("float32")
    with torch.no_grad():
        np.testing.assert_allclose(net.eval()(torch.from_numpy(x)).numpy(), model.predict(x),
                                   rtol=1e-5, atol=1e-5)


def test_port_cli_torch_module_option_must_name_a_factory(tmp_path, factory, capsys):
    path = str(tmp_path / "model.h5")
    _foreign_model_file(path, _sequential(factory.build()))
    assert _runner.main(["port", path, "--out", str(tmp_path / "net.py"), "-q",
                         "--torch-module", "block=torchmod_factory"]) == 2
    assert capsys.readouterr().err == ("keras-compat port: error: --torch-module "
                                       "'block=torchmod_factory': expected "
                                       "LAYER=package.module:factory\n")
