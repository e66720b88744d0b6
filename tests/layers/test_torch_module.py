"""TorchModule: a torch.nn.Module as a Keras-1 layer (shapes from meta tensors, its parameters
the model's weights, configs that never rebuild code from a file), Sequential.add of a bare
module, and the Lambda warning for torch parameters a model does not own."""
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from keras_compat.layers import Dense, Input, Lambda, TorchModule
from keras_compat.layers.core.torch_module import TorchModule as TorchModuleFromFile
from keras_compat.layers.core import TorchModule as TorchModuleFromCore
from keras_compat.models import Model, Sequential, load_model, model_from_json
from keras_compat.optimizers import SGD

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class ReadsValues(nn.Module):
    def forward(self, x):
        return x * x.sum().item()


class TwoOutputs(nn.Module):
    def forward(self, x):
        return x, x


class Concat(nn.Module):
    def forward(self, a, b):
        return torch.cat([a, b], dim=-1)


class Scaled(nn.Module):
    """A module whose constructor takes no arguments (a config can name it, with opt-in)."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.full((3,), 2.0))

    def forward(self, x):
        return x * self.scale


def _mlp(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.Tanh(), nn.Linear(6, 2))


def _data(n=32, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.rand(n, 4).astype("float32")
    return x, np.stack([x.sum(1), x[:, 0] - x[:, 1]], axis=1).astype("float32")


# -- exports --------------------------------------------------------------------------------------
def test_exported_from_layers_and_core():
    assert TorchModule is TorchModuleFromFile is TorchModuleFromCore


def test_refuses_what_is_not_a_torch_module():
    with pytest.raises(TypeError, match=r"^TorchModule: module must be a torch.nn.Module, got "
                                        r"'function'$"):
        TorchModule(lambda x: x)
    with pytest.raises(TypeError, match=r"^TorchModule: 'd1' is already a Keras layer; add it to "
                                        r"the model directly$"):
        TorchModule(Dense(2, name="d1"))


# -- shapes from meta tensors ----------------------------------------------------------------------
def test_output_shape_inferred_on_meta_tensors():
    conv = TorchModule(nn.Conv2d(3, 5, 3), input_shape=(3, 8, 8))
    Sequential([conv])
    assert conv.output_shape == (None, 5, 6, 6)
    per_step = TorchModule(nn.Linear(4, 3), input_shape=(None, 4))
    Sequential([per_step])
    assert per_step.output_shape == (None, None, 3)  # the unknown time axis stays unknown
    fixed_batch = TorchModule(nn.Linear(4, 3), batch_input_shape=(7, 4))
    Sequential([fixed_batch])
    assert fixed_batch.output_shape == (7, 3)


def test_inference_leaves_real_parameters_and_statistics_alone():
    module = _mlp()
    before = {k: v.clone() for k, v in module.state_dict().items()}
    Sequential([TorchModule(module, input_shape=(4,))])  # train mode: BatchNorm would update
    after = module.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert all(v.device.type == "cpu" for v in after.values())


def test_lazy_modules_are_sized_when_added():
    module = nn.Sequential(nn.LazyLinear(3), nn.LazyBatchNorm1d())
    layer = TorchModule(module, input_shape=(4,))
    Sequential([layer])
    assert layer.output_shape == (None, 3)
    assert layer.count_params() == 4 * 3 + 3 + 3 * 4 + 1
    assert int(module[1].num_batches_tracked) == 0  # the sizing call ran in eval mode
    assert module.training


def test_inference_failure_names_the_layer_and_the_module():
    with pytest.raises(ValueError) as info:
        Sequential([TorchModule(ReadsValues(), input_shape=(5, 4), name="reader")])
    assert str(info.value) == (
        "Layer reader (TorchModule): could not infer the output shape of the wrapped torch "
        "module %s.ReadsValues by running it on meta-device tensors of input shape (None, 5, "
        "4): RuntimeError: Tensor.item() cannot be called on meta tensors. A module that reads "
        "tensor values (.item(), .numpy(), Python conditions on data) cannot run on the meta "
        "device; pass output_shape=(...) (without the batch axis) to TorchModule."
        % __name__)


def test_output_shape_argument_skips_inference():
    model = Sequential([TorchModule(ReadsValues(), input_shape=(5, 4), output_shape=(5, 4))])
    x = np.ones((2, 5, 4), "float32")
    assert model.layers[0].output_shape == (None, 5, 4)
    np.testing.assert_allclose(model.predict(x), x * 40.0)


def test_a_module_with_several_outputs_is_refused_with_its_class():
    with pytest.raises(ValueError, match=r"^Layer rnn \(TorchModule\): the wrapped torch module "
                                         r"torch.nn.modules.rnn.LSTM returned tuple, not one "
                                         r"tensor; a layer has one output here"):
        Sequential([TorchModule(nn.LSTM(4, 3, batch_first=True), input_shape=(5, 4),
                                name="rnn")])


# -- the module's parameters are the model's ---------------------------------------------------------
def test_weights_are_the_state_dict_in_order_with_buffers_not_trainable():
    module = _mlp()
    layer = TorchModule(module, input_shape=(4,), name="mlp")
    Sequential([layer])
    keys = list(module.state_dict())
    assert layer.keras1_weight_names() == ["mlp_" + k for k in keys]
    for array, key in zip(layer.get_weights(), keys):
        np.testing.assert_array_equal(array, module.state_dict()[key].numpy())
    assert [id(w) for w in layer.trainable_weights] == [id(p) for p in module.parameters()]
    assert [id(w) for w in layer.non_trainable_weights] == [id(b) for b in module.buffers()]
    arrays = [np.full(a.shape, 3, a.dtype) for a in layer.get_weights()]
    layer.set_weights(arrays)
    assert all(bool((v == 3).all()) for v in module.state_dict().values())


def test_tied_parameters_are_listed_once():
    first, second = nn.Linear(3, 3), nn.Linear(3, 3)
    second.weight = first.weight
    layer = TorchModule(nn.Sequential(first, second), input_shape=(3,), name="tied")
    Sequential([layer])
    assert layer.keras1_weight_names() == ["tied_0.weight", "tied_0.bias", "tied_1.bias"]
    assert layer.count_params() == 9 + 3 + 3


def test_fit_trains_the_wrapped_module():
    module = _mlp()
    model = Sequential([TorchModule(module, input_shape=(4,)), Dense(2)])
    model.compile(SGD(lr=0.1), "mse")
    x, y = _data()
    before = [p.detach().clone() for p in module.parameters()]
    history = model.fit(x, y, nb_epoch=20, batch_size=8, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert all(not torch.equal(b, p) for b, p in zip(before, module.parameters()))
    assert int(module[1].num_batches_tracked) == 20 * 4  # trained in train mode, 4 batches/epoch


class _FlattenByView(nn.Module):
    """Torch code as people write it: ``view`` assumes a C-contiguous input."""

    def forward(self, x):
        return x.view(x.shape[0], -1)


def test_the_module_gets_contiguous_inputs_after_a_channels_last_convolution():
    from keras_compat.layers import Convolution2D

    # A one-channel input runs channels-last in memory on CPU (base_conv.fastest_layout).
    model = Sequential([Convolution2D(3, 3, 3, input_shape=(1, 6, 6), dim_ordering="th"),
                        TorchModule(_FlattenByView()), Dense(2)])
    model.compile("sgd", "mse")
    x = np.random.rand(4, 1, 6, 6).astype("float32")
    assert model.layers[1].output_shape == (None, 48)
    model.fit(x, np.zeros((4, 2), "float32"), nb_epoch=1, verbose=0)
    conv = model.layers[0].weight.detach()
    expected = torch.nn.functional.conv2d(torch.from_numpy(x), conv,
                                          model.layers[0].bias.detach()).reshape(4, -1)
    dense = model.layers[2]
    np.testing.assert_allclose(model.predict(x), (expected @ dense.weight.detach().t()
                                                  + dense.bias.detach()).numpy(),
                               rtol=1e-5, atol=1e-6)


def test_trainable_false_freezes_the_module():
    module = _mlp()
    layer = TorchModule(module, input_shape=(4,), trainable=False)
    model = Sequential([layer, Dense(2)])
    model.compile("sgd", "mse")
    before = [p.detach().clone() for p in module.parameters()]
    model.fit(*_data(), nb_epoch=2, verbose=0)
    assert all(torch.equal(b, p) for b, p in zip(before, module.parameters()))
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 9


def test_predict_runs_the_module_in_eval_mode():
    model = Sequential([TorchModule(nn.Dropout(0.5), input_shape=(100,))])
    assert model.layers[0].uses_learning_phase
    x = np.ones((4, 100), "float32")
    np.testing.assert_array_equal(model.predict(x), x)


def test_summary_lists_the_parameters(capsys):
    model = Sequential([TorchModule(_mlp(), input_shape=(4,), name="mlp"), Dense(1, name="out")])
    model.summary()
    lines = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    # 4*6+6 + 4*6 (BatchNorm weight, bias, running mean and variance) + 1 (its batch count)
    # + 6*2+2 = 69, of which 6+6+1 are buffers
    assert lines == [
        "_" * 100,
        "Layer (type)                     Output Shape          Param #     Connected to",
        "=" * 100,
        "mlp (TorchModule)                (None, 2)             69          %s[0][0]"
        % model._input_name,
        "_" * 100,
        "out (Dense)                      (None, 1)             3           mlp[0][0]",
        "=" * 100,
        "Total params: 72",
        "Trainable params: 59",
        "Non-trainable params: 13",
        "_" * 100,
    ]


# -- saving and loading -------------------------------------------------------------------------------
def _trained_model():
    """A TorchModule MLP and a Dense, trained two epochs with Adam (optimizer state to save)."""
    model = Sequential([TorchModule(_mlp(0), input_shape=(4,)), Dense(2)])
    model.compile("adam", "mse")
    model.fit(*_data(), nb_epoch=2, verbose=0)
    return model


@pytest.mark.parametrize("extension", ["h5", "pt"])
def test_save_weights_round_trip(tmp_path, extension):
    pytest.importorskip("h5py") if extension == "h5" else None
    model = _trained_model()
    path = str(tmp_path / ("weights." + extension))
    model.save_weights(path)
    other = Sequential([TorchModule(_mlp(1), input_shape=(4,)), Dense(2)])
    x = _data(5, seed=1)[0]
    assert np.abs(other.predict(x) - model.predict(x)).max() > 1e-3
    other.load_weights(path)
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
    for mine, theirs in zip(model.layers[0].module.state_dict().values(),
                            other.layers[0].module.state_dict().values()):
        assert torch.equal(mine, theirs)


@pytest.mark.parametrize("extension", ["h5", "pt"])
def test_model_file_round_trip_in_one_process(tmp_path, extension):
    pytest.importorskip("h5py") if extension == "h5" else None
    model = _trained_model()
    path = str(tmp_path / ("model." + extension))
    model.save(path)
    loaded = load_model(path)  # this process wrote the config: its module is copied
    x = _data(5, seed=1)[0]
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert loaded.layers[0].module is not model.layers[0].module
    loaded.fit(*_data(), nb_epoch=1, verbose=0)  # the optimizer state was restored too


def _foreign(config):
    """A config as another process wrote it (its token names no module here)."""
    config = json.loads(json.dumps(config))
    config["module_token"] = "written-elsewhere-1"
    return config


def test_a_foreign_config_is_refused_without_the_module():
    layer = TorchModule(nn.Linear(4, 3), input_shape=(4,), name="head")
    with pytest.raises(ValueError) as info:
        TorchModule.from_config(_foreign(layer.get_config()))
    assert str(info.value) == (
        "Layer head (TorchModule): the config wraps a torch module of class "
        "torch.nn.modules.linear.Linear. A torch module is code, which a model file cannot "
        "carry, and loading never imports or calls what a file names. Pass the module: "
        "custom_objects={'head': module} (that object is used), or custom_objects={'Linear': "
        "Linear} (the class, or any function, called with no arguments); or, if you trust the "
        "file, load with safe_mode=False to import torch.nn.modules.linear.Linear and call it "
        "with no arguments.")


def test_safe_mode_never_imports_what_a_config_names():
    config = _foreign(TorchModule(nn.ReLU(), input_shape=(4,), name="act").get_config())
    config["module_class"] = {"module": "keras_compat_test_never_imported", "name": "Net"}
    with pytest.raises(ValueError, match="loading never imports or calls what a file names"):
        TorchModule.from_config(config)
    assert "keras_compat_test_never_imported" not in sys.modules
    with pytest.raises(ModuleNotFoundError):  # the opt-in does import
        TorchModule.from_config(config, safe_mode=False)


def test_custom_objects_give_the_module():
    layer = TorchModule(Scaled(), input_shape=(3,), name="scaled")
    config = _foreign(layer.get_config())
    mine = Scaled()
    assert TorchModule.from_config(config, custom_objects={"scaled": mine}).module is mine
    copied = TorchModule.from_config(config, custom_objects={"Scaled": mine}).module
    assert isinstance(copied, Scaled) and copied is not mine
    built = TorchModule.from_config(config, custom_objects={"%s.Scaled" % __name__: Scaled})
    assert isinstance(built.module, Scaled)
    with pytest.raises(ValueError, match=r"^Layer scaled \(TorchModule\): calling "
                                         r"custom_objects\['scaled'\] with no arguments to build "
                                         r"the torch module failed \(TypeError: "):
        TorchModule.from_config(config, custom_objects={"scaled": nn.Linear})


def test_safe_mode_false_imports_the_class_and_calls_it():
    config = _foreign(TorchModule(nn.ReLU(), input_shape=(4,), name="act").get_config())
    assert isinstance(TorchModule.from_config(config, safe_mode=False).module, nn.ReLU)


def test_load_model_from_another_process_needs_the_module(tmp_path):
    pytest.importorskip("h5py")
    model = Sequential([TorchModule(nn.Linear(4, 3), input_shape=(4,), name="head")])
    path = str(tmp_path / "model.h5")
    model.save(path)
    script = ("import sys, torch\n"
              "from keras_compat.models import load_model\n"
              "try:\n"
              "    load_model(sys.argv[1])\n"
              "except ValueError as exc:\n"
              "    print('refused:', exc)\n"
              "model = load_model(sys.argv[1], custom_objects={'head': torch.nn.Linear(4, 3)})\n"
              "print(model.layers[0].get_weights()[0].sum())\n")
    env = dict(os.environ, PYTHONPATH=REPO)
    done = subprocess.run([sys.executable, "-c", script, path], capture_output=True, text=True,
                          env=env, cwd=str(tmp_path), timeout=120)
    assert done.returncode == 0, done.stderr
    refused, total = done.stdout.splitlines()
    assert refused.startswith("refused: %s: " % path)
    assert ("Layer head (TorchModule): the config wraps a torch module of class "
            "torch.nn.modules.linear.Linear." in refused)
    assert float(total) == pytest.approx(float(model.layers[0].get_weights()[0].sum()), abs=1e-5)


def test_json_round_trip_in_one_process():
    model = Sequential([TorchModule(_mlp(), input_shape=(4,), name="mlp")])
    rebuilt = model_from_json(model.to_json())
    assert json.loads(rebuilt.to_json()) == json.loads(model.to_json())
    rebuilt.set_weights(model.get_weights())
    x = _data(4)[0]
    np.testing.assert_array_equal(rebuilt.predict(x), model.predict(x))


# -- Sequential.add of a bare module and the functional API ---------------------------------------
def test_sequential_add_wraps_a_bare_module():
    model = Sequential([Dense(4, input_dim=3)])
    model.add(nn.ReLU())
    model.add(nn.Linear(4, 2))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "TorchModule",
                                                                "TorchModule"]
    assert isinstance(model.layers[1].module, nn.ReLU) and model.layers[2].count_params() == 10
    assert model.output_shape == (None, 2)
    x = np.random.RandomState(0).rand(5, 3).astype("float32")
    dense, relu, linear = model.layers
    with torch.no_grad():
        expected = linear.module(torch.relu(dense(torch.from_numpy(x))))
    np.testing.assert_allclose(model.predict(x), expected.numpy(), rtol=1e-6)


def test_a_bare_module_cannot_be_the_first_layer():
    with pytest.raises(ValueError, match=r"^Sequential.add: the first layer needs an input shape, "
                                         r"which a bare torch module \(Linear\) cannot take: add "
                                         r"TorchModule\(module, input_shape=\(...\)\) instead$"):
        Sequential([nn.Linear(3, 2)])


def test_functional_api_with_one_and_two_inputs():
    a, b = Input(shape=(3,)), Input(shape=(2,))
    joined = TorchModule(Concat())([a, b])
    out = TorchModule(nn.Linear(5, 1))(joined)
    model = Model([a, b], out)
    assert model.output_shape == (None, 1)
    xa, xb = np.ones((2, 3), "float32"), np.zeros((2, 2), "float32")
    linear = model.layers[-1].module
    with torch.no_grad():
        expected = linear(torch.ones(2, 5) * torch.tensor([1., 1, 1, 0, 0]))
    np.testing.assert_allclose(model.predict([xa, xb]), expected.numpy(), rtol=1e-6)


# -- Lambda closing over torch parameters -------------------------------------------------------------
def _lambda_warnings(function, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Lambda(function, **kwargs)
    return [str(w.message) for w in caught]


HEAD = nn.Linear(3, 2)


def test_lambda_closing_over_a_module_warns_naming_its_parameters():
    inner = nn.Linear(3, 2)
    assert _lambda_warnings(lambda x: inner(x), name="closure") == [
        "Lambda closure: its function uses torch parameters that the model does not own, so "
        "fit() will not train them and save_weights() will not save them: inner.weight (2, 3), "
        "inner.bias (2,). Wrap the torch module in a TorchModule layer "
        "(keras_compat.layers.TorchModule) instead."]


def test_lambda_warns_for_globals_bound_modules_and_bare_parameters():
    assert "HEAD.weight (2, 3), HEAD.bias (2,)" in _lambda_warnings(lambda x: HEAD(x))[0]
    assert "Linear.weight (2, 3), Linear.bias (2,)" in _lambda_warnings(HEAD)[0]
    assert "Linear.weight (2, 3)" in _lambda_warnings(HEAD.forward)[0]
    scale = nn.Parameter(torch.ones(3))
    assert ": scale (3,)." in _lambda_warnings(lambda x: x * scale)[0]


def test_lambda_naming_a_global_defined_later_warns_at_its_first_call():
    layer = Lambda(lambda x: LATER(x), output_shape=(2,), name="later")
    globals()["LATER"] = nn.Linear(3, 2)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layer(torch.ones(1, 3))
            layer(torch.ones(1, 3))  # once only
        assert [str(w.message)[:60] for w in caught] == [
            "Lambda later: its function uses torch parameters that the mo"]
    finally:
        del globals()["LATER"]


def test_lambda_without_trainable_torch_parameters_is_silent():
    frozen = nn.Linear(3, 2).requires_grad_(False)
    constant = torch.ones(3)
    assert _lambda_warnings(lambda x: frozen(x) * 2) == []
    assert _lambda_warnings(lambda x: x * constant) == []
    assert _lambda_warnings(lambda x: x * 2) == []
