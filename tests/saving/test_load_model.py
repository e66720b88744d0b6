"""load_model / save_model: Keras-1 files made by real Keras 1.2.2, and keras_compat's own."""
import glob
import json
import os
import subprocess
import warnings

import numpy as np
import pytest
import torch

pytest.importorskip("h5py")

from keras_compat.backend import config  # noqa: E402
from keras_compat.layers import Activation, BatchNormalization, Dense, Lambda  # noqa: E402
from keras_compat.models import (Sequential, load_model, model_from_json,  # noqa: E402
                                 model_from_yaml)
from keras_compat.saving import keras1_hdf5, model_io, optimizer_state  # noqa: E402

import reference_data

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = reference_data.data_path("hdf5")
ORACLE_PY = os.path.expanduser("~/.cache/keras1-oracle/venv/bin/python")
ORACLE_SH = os.path.join(HERE, "..", "..", "..", "shared", "oracle", "run_keras1.sh")
if not os.path.exists(ORACLE_SH):
    ORACLE_SH = "/work/shared/oracle/run_keras1.sh"
CASES_SCRIPT = os.path.join(HERE, "..", "..", "tools", "oracle_cases", "hdf5_cases.py")


def _data(name):
    return os.path.join(DATA, name)


def _readme_model():
    m = Sequential()
    m.add(Dense(4, input_dim=3))
    m.add(Activation("relu"))
    m.add(BatchNormalization())
    m.add(Dense(2))
    return m


# -- the four files from /work/shared/oracle/hdf5 -----------------------------------------------
@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("emulated", ["theano", "tensorflow"])
def test_copied_oracle_files_reproduce_predictions(backend, emulated):
    config.set_backend(emulated)
    ref = np.load(_data("h5_%s_seq_pred.npz" % backend))
    model = load_model(_data("h5_%s_seq_model.h5" % backend))
    np.testing.assert_allclose(model.predict(ref["x"]), ref["y_model"], atol=1e-5)
    fresh = _readme_model()
    fresh.load_weights(_data("h5_%s_seq_weights.h5" % backend))
    np.testing.assert_allclose(fresh.predict(ref["x"]), ref["y_weights"], atol=1e-5)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_load_model_restores_compile_and_optimizer_state(backend):
    h5py = pytest.importorskip("h5py")
    path = _data("h5_%s_seq_model.h5" % backend)
    model = load_model(path)
    assert type(model.optimizer).__name__ == "Adam"
    assert model.metrics_names == ["loss", "acc"]
    with h5py.File(path, "r") as handle:
        group = handle["optimizer_weights"]
        names = keras1_hdf5.decode_list(group.attrs["weight_names"])
        stored = [group[n][()] for n in names]
    ours = optimizer_state.optimizer_arrays(model)
    assert len(ours) == len(stored) == 13
    for a, b in zip(ours, stored):
        np.testing.assert_array_equal(a, b)
    assert float(stored[0]) == 1.0  # one train_on_batch: iterations restored, not reset
    x = np.random.rand(5, 3).astype("float32")
    loss = model.train_on_batch(x, np.random.rand(5, 2).astype("float32"))
    assert np.isfinite(loss).all()
    assert float(model.optimizer.get_weights()[0]) == 2.0


# -- files made by tools/oracle_cases/hdf5_cases.py ---------------------------------------------
def _cases():
    found = []
    for path in sorted(glob.glob(_data("*.npz"))):
        name = os.path.basename(path)[:-4]
        if name.startswith("h5_") or not os.path.exists(_data(name + ".json")):
            continue  # the copied files and multi-input cases have tests of their own
        found.append(name)
    return found


def _tolerance(name):
    return 1e-4 if name.startswith(("convnet", "lstm", "gru", "port_")) else 1e-5


@pytest.mark.parametrize("keras_json_ordering", ["th", "tf"])
def test_layers_whose_keras1_config_omits_dim_ordering_follow_the_model(keras_json_ordering):
    # Keras 1.2.2 writes no dim_ordering for ZeroPadding2D/UpSampling2D: this th model,
    # saved under Theano, loads the same whatever keras.json says.
    config.set_image_dim_ordering(keras_json_ordering)
    ref = np.load(_data("port_conv_family_theano.npz"))
    model = load_model(_data("port_conv_family_theano_model.h5"))
    assert [layer.dim_ordering for layer in model.layers[:4:3]] == ["th", "th"]
    np.testing.assert_allclose(model.predict(ref["x"]), ref["y"], atol=1e-4)


def test_omitted_dim_ordering_is_left_to_keras_json_when_the_model_is_mixed():
    from keras_compat.saving.model_config import infer_left_out_dim_ordering
    layers = [{"class_name": "UpSampling2D", "config": {}},
              {"class_name": "Convolution2D", "config": {"dim_ordering": "th"}},
              {"class_name": "Convolution2D", "config": {"dim_ordering": "tf"}}]
    infer_left_out_dim_ordering({"class_name": "Sequential", "config": layers})
    assert "dim_ordering" not in layers[0]["config"]
    del layers[2]
    infer_left_out_dim_ordering({"class_name": "Sequential", "config": layers})
    assert layers[0]["config"]["dim_ordering"] == "th"


def _build_needs(name):
    if name.startswith("functional"):
        pytest.importorskip("keras_compat.models.model")


@pytest.mark.parametrize("emulated", ["theano", "tensorflow"])
@pytest.mark.parametrize("case", _cases())
def test_oracle_case_load_model(case, emulated):
    _build_needs(case)
    ref = np.load(_data(case + ".npz"))
    meta = json.loads(str(ref["meta"]))
    config.set_backend(emulated)
    config.set_image_dim_ordering(meta["dim_ordering"])
    model = load_model(_data(case + "_model.h5"))
    np.testing.assert_allclose(model.predict(ref["x"]), ref["y"], atol=_tolerance(case))


@pytest.mark.parametrize("emulated", ["theano", "tensorflow"])
@pytest.mark.parametrize("case", _cases())
def test_oracle_case_json_plus_weights(case, emulated):
    _build_needs(case)
    ref = np.load(_data(case + ".npz"))
    meta = json.loads(str(ref["meta"]))
    config.set_backend(emulated)
    config.set_image_dim_ordering(meta["dim_ordering"])
    with open(_data(case + ".json")) as handle:
        model = model_from_json(handle.read())
    model.load_weights(_data(case + "_weights.h5"))
    np.testing.assert_allclose(model.predict(ref["x"]), ref["y"], atol=_tolerance(case))


def test_theano_convnet_flipped_only_when_backends_differ():
    ref = np.load(_data("convnet_th.npz"))
    config.set_image_dim_ordering("th")
    config.set_backend("tensorflow")
    flipped = load_model(_data("convnet_th_model.h5"))
    config.set_backend("theano")
    as_is = load_model(_data("convnet_th_model.h5"))
    w_flipped = flipped.layers[0].get_weights()[0]
    w_as_is = as_is.layers[0].get_weights()[0]
    np.testing.assert_array_equal(w_flipped, w_as_is[:, :, ::-1, ::-1])
    # declaring the wrong backend gives the wrong predictions: the flip is what matters
    config.set_backend("tensorflow")
    wrong = load_model(_data("convnet_th_model.h5"), original_backend="tensorflow")
    assert np.abs(wrong.predict(ref["x"]) - ref["y"]).max() > 1e-3


# -- keras_compat -> .pt -> keras_compat ---------------------------------------------------------
def _trained_model():
    np.random.seed(1)
    model = _readme_model()
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    x = np.random.rand(8, 3).astype("float32")
    model.train_on_batch(x, np.random.rand(8, 2).astype("float32"))
    return model, x


@pytest.mark.parametrize("suffix", [".pt", ".h5", ".weights"])
def test_round_trip_is_bit_exact(tmp_path, suffix):
    model, x = _trained_model()
    path = str(tmp_path / ("m" + suffix))
    model.save(path)
    with open(path, "rb") as handle:  # only .pt/.pth write torch's format; any other name
        head = handle.read(8)           # gets Keras 1's HDF5, as Keras 1 wrote
    assert head == (b"PK\x03\x04" + head[4:] if suffix == ".pt" else b"\x89HDF\r\n\x1a\n")
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(loaded.optimizer.get_weights(), model.optimizer.get_weights()):
        np.testing.assert_array_equal(a, b)
    y = np.random.rand(8, 2).astype("float32")
    assert loaded.train_on_batch(x, y) == pytest.approx(model.train_on_batch(x, y), abs=1e-7)


def test_pt_file_is_weights_only_and_refuses_pickles(tmp_path):
    model, _ = _trained_model()
    path = str(tmp_path / "m.pt")
    model.save(path)
    payload = torch.load(path, weights_only=True)
    assert json.loads(payload["model_config"])["class_name"] == "Sequential"
    evil = str(tmp_path / "evil.pt")
    payload["model_config"] = _Pickled()
    torch.save(payload, evil)
    with pytest.raises(ValueError, match="evil.pt.*cannot be loaded safely"):
        load_model(evil)


class _Pickled:
    """An arbitrary Python object: torch.save pickles it, weights_only refuses it."""


def test_weights_file_is_not_a_model_file(tmp_path):
    model, _ = _trained_model()
    model.save_weights(str(tmp_path / "w.h5"))
    model.save_weights(str(tmp_path / "w.pt"))
    with pytest.raises(ValueError, match="weights file"):
        load_model(str(tmp_path / "w.h5"))
    with pytest.raises(ValueError, match="weights file"):
        load_model(str(tmp_path / "w.pt"))


def test_unknown_layer_class_is_named(tmp_path):
    model, _ = _trained_model()
    path = str(tmp_path / "m.pt")
    model.save(path)
    payload = torch.load(path, weights_only=True)
    payload["model_config"] = payload["model_config"].replace('"Activation"', '"MyActivation"')
    torch.save(payload, path)
    with pytest.raises(ValueError, match="Unknown layer: MyActivation.*custom_objects"):
        load_model(path)
    loaded = load_model(path, custom_objects={"MyActivation": Activation})
    assert type(loaded.layers[1]).__name__ == "Activation"


@pytest.mark.parametrize("suffix", [".h5", ".pt"])
def test_lambda_bytecode_needs_safe_mode_false(tmp_path, suffix, monkeypatch):
    from keras_compat.layers.core import lambda_layer
    model = Sequential([Dense(2, input_dim=3), Lambda(lambda t: t * 2 + 1)])
    x = np.random.rand(4, 3).astype("float32")
    path = str(tmp_path / ("lam" + suffix))
    model.save(path)
    np.testing.assert_allclose(load_model(path).predict(x), model.predict(x), atol=1e-6)
    monkeypatch.setattr(lambda_layer, "_SERIALISED_DIGESTS", set())  # a file from elsewhere
    with pytest.raises(ValueError, match="this process did not write.*safe_mode=False"):
        load_model(path)
    loaded = load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), atol=1e-6)


def test_atomic_save_keeps_previous_file(tmp_path, monkeypatch):
    model, x = _trained_model()
    path = str(tmp_path / "m.h5")
    model.save(path)
    before = open(path, "rb").read()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(keras1_hdf5, "write_weight_groups", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save(path)
    assert open(path, "rb").read() == before
    assert os.listdir(str(tmp_path)) == ["m.h5"]
    monkeypatch.undo()
    np.testing.assert_array_equal(load_model(path).predict(x), model.predict(x))


# -- YAML ----------------------------------------------------------------------------------------
def test_yaml_round_trip_and_keras1_tuple_tags():
    pytest.importorskip("yaml")
    model = _readme_model()
    text = model.to_yaml()
    assert "!!python" not in text  # plain YAML: safe loaders read it
    from_yaml = model_from_yaml(text)
    from_json = model_from_json(model.to_json())
    assert from_yaml.to_json() == from_json.to_json()
    keras1 = (
        "class_name: Sequential\nconfig:\n- class_name: Dense\n  config:\n"
        "    batch_input_shape: !!python/tuple [null, 3]\n    output_dim: 2\n"
        "    name: dense_9\nkeras_version: 1.2.2\n")
    loaded = model_from_yaml(keras1)
    assert loaded.input_shape == (None, 3) and loaded.output_shape == (None, 2)
    with pytest.raises(ValueError, match="YAML"):
        model_from_yaml("!!python/object/apply:os.system ['true']")


# -- keras_compat -> .h5 -> real Keras 1.2.2 -----------------------------------------------------
def _trained_convnet(ordering):
    from keras_compat.layers import Convolution2D, Flatten, MaxPooling2D
    np.random.seed(2)
    shape = (2, 6, 6) if ordering == "th" else (6, 6, 2)
    model = Sequential([
        Convolution2D(3, 3, 3, border_mode="same", dim_ordering=ordering, input_shape=shape,
                      activation="relu"),
        MaxPooling2D((2, 2), dim_ordering=ordering), Flatten(), Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.rand(4, *shape).astype("float32")
    model.train_on_batch(x, np.random.rand(4, 2).astype("float32"))
    return model, x


@pytest.mark.slow
@pytest.mark.skipif(not (os.path.exists(ORACLE_PY) and os.path.exists(ORACLE_SH)),
                    reason="the Keras 1.2.2 oracle is not installed")
@pytest.mark.parametrize("backend,kind", [("theano", "dense"), ("tensorflow", "dense"),
                                          ("theano", "convnet_th"), ("tensorflow", "convnet_tf"),
                                          ("theano", "nested"), ("tensorflow", "merge")])
def test_real_keras_reads_our_h5(tmp_path, backend, kind):
    config.set_backend(backend)
    if kind in ("nested", "merge"):
        model, x = _trained_nested(kind)
    else:
        model, x = _trained_model() if kind == "dense" else _trained_convnet(kind[-2:])
    path = str(tmp_path / "ours.h5")
    model.save(path)
    if isinstance(x, list):
        x_path = str(tmp_path / "x.npz")
        np.savez(x_path, **{"x%d" % k: a for k, a in enumerate(x)})
    else:
        x_path = str(tmp_path / "x.npy")
        np.save(x_path, x)
    out = str(tmp_path / "y.npz")
    env = dict(os.environ, KERAS1_BACKEND=backend,
               KERAS1_DIM_ORDERING=kind[-2:] if kind.startswith("convnet") else "tf")
    subprocess.run([ORACLE_SH, CASES_SCRIPT, "predict", path, x_path, out],
                   check=True, env=env, capture_output=True, timeout=300)
    np.testing.assert_allclose(np.load(out)["y"], model.predict(x), atol=1e-5)


def _trained_nested(kind):
    """A Sequential nested after the first layer, or a Keras-1 Merge of two Sequentials."""
    from keras_compat.layers import Merge
    np.random.seed(3)
    if kind == "nested":
        model = Sequential([Dense(3, input_dim=2, activation="tanh"),
                            Sequential([Dense(4, input_dim=3), Dense(3)]), Dense(2)])
        x = np.random.rand(4, 2).astype("float32")
    else:
        left = Sequential([Dense(3, input_dim=2, activation="relu")])
        right = Sequential([Dense(2, input_dim=2)])
        model = Sequential([Merge([left, right], mode="concat"), Dense(2)])
        x = [np.random.rand(4, 2).astype("float32") for _ in range(2)]
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(x, np.random.rand(4, 2).astype("float32"))
    return model, x


def test_missing_h5py_message(monkeypatch, tmp_path):
    import sys
    monkeypatch.setitem(sys.modules, "h5py", None)
    model, _ = _trained_model()
    with pytest.raises(ImportError, match=r"keras-compat\[hdf5\]"):
        model.save(str(tmp_path / "m.h5"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.save(str(tmp_path / "m.pt"))  # .pt needs no h5py


@pytest.mark.parametrize("case", [c for c in _cases() if not c.startswith("functional")] +
                         ["h5_theano_seq", "h5_tensorflow_seq"])
def test_optimizer_state_round_trips_through_keras_layout(case):
    """Every saved optimizer array (Keras order and layout) comes back out unchanged."""
    h5py = pytest.importorskip("h5py")
    path = _data(case + "_model.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "optimizer state was not restored" would fail here
        model = load_model(path)
    with h5py.File(path, "r") as handle:
        group = handle["optimizer_weights"]
        stored = [group[n][()] for n in keras1_hdf5.decode_list(group.attrs["weight_names"])]
    ours = optimizer_state.optimizer_arrays(model)
    assert len(ours) == len(stored)
    for a, b in zip(ours, stored):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("suffix", [".h5", ".pt"])
@pytest.mark.parametrize("loss_weights", [[1.0, 0.25], {"first": 2.0, "second": 0.5}])
def test_loss_weights_are_saved_and_restored(tmp_path, suffix, loss_weights):
    from keras_compat.engine.input_layer import Input
    from keras_compat.models import Model
    x = Input(shape=(3,))
    model = Model(input=x, output=[Dense(2, name="first")(x), Dense(1, name="second")(x)])
    model.compile("sgd", ["mse", "mae"], loss_weights=loss_weights)
    path = str(tmp_path / ("m" + suffix))
    model.save(path)
    data = np.random.rand(6, 3).astype("float32")
    targets = [np.random.rand(6, 2).astype("float32"), np.random.rand(6, 1).astype("float32")]
    expected = model.evaluate(data, targets, verbose=0)
    assert model_io.training_config(model)["loss_weights"] == loss_weights
    loaded = load_model(path)
    assert model_io.training_config(loaded)["loss_weights"] == loss_weights
    got = loaded.evaluate(data, targets, verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    first, second = expected[1:3]
    weights = ([loss_weights["first"], loss_weights["second"]] if isinstance(loss_weights, dict)
               else loss_weights)
    np.testing.assert_allclose(expected[0], weights[0] * first + weights[1] * second, rtol=1e-5)
