"""model.to_torch() and the generated source: plain PyTorch matching the Keras model."""
import subprocess
import sys

import numpy as np
import pytest
import torch

from keras_compat import port
from keras_compat.backend import config
from keras_compat.layers import (Activation, AveragePooling2D, BatchNormalization,
                                 Convolution1D, Convolution2D, Dense, Dropout, Embedding,
                                 Flatten, MaxPooling1D, MaxPooling2D, Permute, RepeatVector,
                                 Reshape)
from keras_compat.models import Sequential

import reference_data


def _check(model, x, atol=1e-6):
    ported = model.to_torch()
    assert isinstance(ported, torch.nn.Module) and not ported.training
    with torch.no_grad():
        got = ported(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, model.predict(x), atol=atol, rtol=0)
    return ported


def _randomize(model):
    for layer in model.layers:
        arrays = layer.get_weights()
        if arrays:
            layer.set_weights([np.random.rand(*a.shape).astype("float32") * 0.5 + 0.1
                               if a.ndim else a for a in arrays])


def _convnet(ordering, border_mode, kernel=3, stride=1, pool="max"):
    shape = (2, 8, 7) if ordering == "th" else (8, 7, 2)
    pooling = MaxPooling2D if pool == "max" else AveragePooling2D
    model = Sequential([
        Convolution2D(3, kernel, kernel, border_mode=border_mode, subsample=(stride, stride),
                      dim_ordering=ordering, input_shape=shape, activation="relu"),
        BatchNormalization(axis=1 if ordering == "th" else -1),
        pooling((2, 2), border_mode="valid" if border_mode == "full" else border_mode,
                dim_ordering=ordering),
        Flatten(), Dropout(0.3), Dense(4, activation="softmax")])
    _randomize(model)
    return model, np.random.rand(3, *shape).astype("float32")


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("border_mode,kernel,stride,pool", [
    ("valid", 3, 1, "max"), ("same", 3, 1, "max"), ("same", 2, 2, "avg"), ("same", 4, 1, "max"),
    ("full", 3, 1, "max")])
def test_convnets(backend, ordering, border_mode, kernel, stride, pool):
    config.set_backend(backend)
    model, x = _convnet(ordering, border_mode, kernel, stride, pool)
    _check(model, x)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_conv1d_and_pooling1d(backend):
    config.set_backend(backend)
    model = Sequential([Convolution1D(4, 3, border_mode="same", input_shape=(9, 2)),
                        MaxPooling1D(2, border_mode="same"), Activation("tanh"), Flatten(),
                        Dense(2, activation="sigmoid")])
    _randomize(model)
    _check(model, np.random.rand(2, 9, 2).astype("float32"))


def test_dense_family_and_state_dict_layout():
    model = Sequential([Embedding(10, 4, input_length=3), Flatten(), Dense(6, activation="elu"),
                        Reshape((2, 3)), Permute((2, 1)), Flatten(), RepeatVector(2),
                        Flatten(), BatchNormalization(), Dense(2, activation="hard_sigmoid")])
    _randomize(model)
    ported = _check(model, np.random.randint(0, 10, size=(4, 3)).astype("float32"))
    state = ported.state_dict()
    dense = model.layers[2]
    np.testing.assert_array_equal(state["dense_1.weight"].numpy(), dense.get_weights()[0].T)
    bn = model.layers[8].get_weights()
    np.testing.assert_array_equal(state["batchnormalization_1.running_var"].numpy(), bn[3])
    assert isinstance(ported.embedding_1, torch.nn.Embedding)


def _standalone_script():
    model, x = _convnet("tf", "same")
    source, state = port.generate_source(model, "Net")
    script = (source + "\nimport sys, numpy\nnet = Net()\n"
              "net.load_state_dict(torch.load(sys.argv[1], weights_only=True))\nnet.eval()\n"
              "x = torch.from_numpy(numpy.load(sys.argv[2]))\n"
              "numpy.save(sys.argv[3], net(x).detach().numpy())\n"
              "assert not any(m.startswith('keras') for m in sys.modules), 'keras imported'\n")
    return model, source, script, state, x


def test_source_imports_only_torch():
    _, source, _, _, _ = _standalone_script()
    assert "keras_compat" not in source.replace("keras-compat port", "")
    assert "import torch\n" in source
    assert "# convolution2d_1 (Convolution2D)" in source


def test_generated_source_runs_in_a_fresh_interpreter(tmp_path):
    model, _, script, state, x = _standalone_script()
    model_file = tmp_path / "net.py"
    model_file.write_text(script)
    torch.save(state, str(tmp_path / "net.pt"))
    np.save(str(tmp_path / "x.npy"), x)
    subprocess.run([sys.executable, str(model_file), str(tmp_path / "net.pt"),
                    str(tmp_path / "x.npy"), str(tmp_path / "y.npy")], check=True, timeout=120,
                   cwd=str(tmp_path))
    np.testing.assert_allclose(np.load(str(tmp_path / "y.npy")), model.predict(x), atol=1e-6,
                               rtol=0)


def test_ported_module_trains_like_torch():
    model = Sequential([Dense(3, input_dim=2), BatchNormalization(), Dense(1)])
    ported = model.to_torch().train()
    out = ported(torch.rand(5, 2))
    out.sum().backward()
    assert ported.dense_1.weight.grad is not None


def test_unsupported_layer_is_named():
    from keras_compat.layers import Lambda
    model = Sequential([Dense(2, input_dim=3), Lambda(lambda t: t * 2)])
    with pytest.raises(ValueError, match=r"lambda_1 \(Lambda\) has no plain-PyTorch"):
        model.to_torch()
    custom = Sequential([Dense(2, input_dim=3, activation=lambda t: t * 3)])
    with pytest.raises(ValueError, match="dense_2 .* activation"):
        custom.to_torch()


@pytest.mark.parametrize("rnn", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("gate", ["hard_sigmoid", "sigmoid"])
def test_recurrent_layers(rnn, go_backwards, gate):
    from keras_compat import layers
    kwargs = dict(input_shape=(5, 4), go_backwards=go_backwards, return_sequences=go_backwards)
    kwargs["activation" if rnn == "SimpleRNN" else "inner_activation"] = gate
    model = Sequential([getattr(layers, rnn)(3, **kwargs)])
    model.layers[0].set_weights([np.random.randn(*w.shape).astype("float32") * 0.5
                                 for w in model.layers[0].get_weights()])
    _check(model, np.random.randn(3, 5, 4).astype("float32"))


@pytest.mark.parametrize("case", ["lstm_cpu_theano", "lstm_gpu_tensorflow", "gru_theano"])
def test_keras1_recurrent_files(case):
    pytest.importorskip("h5py")
    import os
    from keras_compat.models import load_model
    data = reference_data.data_path("hdf5")
    ref = np.load(os.path.join(data, case + ".npz"))
    model = load_model(os.path.join(data, case + "_model.h5"))
    ported = _check(model, ref["x"])
    with torch.no_grad():
        np.testing.assert_allclose(ported(torch.from_numpy(ref["x"])).numpy(), ref["y"],
                                   atol=1e-5)


def test_custom_layer_and_subclass_are_refused_by_name():
    from keras_compat.engine.layer import Layer

    class Doubling(Layer):
        def call(self, x, mask=None):
            return x * 2

    model = Sequential([Dense(2, input_dim=3), Doubling(name="twice")])
    with pytest.raises(ValueError, match=r"twice \(Doubling\) has no plain-PyTorch translation.*"
                                         r"custom layer"):
        model.to_torch()

    class ScaledDense(Dense):  # same class name family, other computation: not trusted
        def call(self, x, mask=None):
            return super().call(x) * 3

    with pytest.raises(ValueError, match=r"scaled \(ScaledDense\)"):
        Sequential([ScaledDense(2, input_dim=3, name="scaled")]).to_torch()
