"""Keras-1 HDF5 weight files: layouts (current, 0.x), attributes, backend detection, bad input."""
import os
import warnings

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from keras_compat.backend import config  # noqa: E402
from keras_compat.layers import (Activation, BatchNormalization, Convolution2D,  # noqa: E402
                                 Dense, Flatten, MaxPooling2D)
from keras_compat.models import Sequential  # noqa: E402
from keras_compat.saving import backend_detect, keras1_hdf5  # noqa: E402

import reference_data

DATA = reference_data.data_path("hdf5")


def _readme_model():
    return Sequential([Dense(4, input_dim=3), Activation("relu"), BatchNormalization(), Dense(2)])


def _convnet():
    return Sequential([Convolution2D(3, 3, 3, dim_ordering="th", input_shape=(2, 5, 5)),
                       Flatten(), Dense(2)])


def test_written_layout_is_keras1s(tmp_path):
    config.set_backend("tensorflow")
    model = _readme_model()
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as handle:
        names = handle.attrs["layer_names"]
        assert names.dtype.kind == "S"  # fixed-length bytes, as real Keras 1 reads them
        assert [n.decode() for n in names] == ["dense_1", "activation_1",
                                               "batchnormalization_1", "dense_2"]
        empty = handle["activation_1"].attrs["weight_names"]
        assert empty.dtype == np.float64 and empty.shape == (0,)
        bn = [n.decode() for n in handle["batchnormalization_1"].attrs["weight_names"]]
        assert bn == ["batchnormalization_1_gamma:0", "batchnormalization_1_beta:0",
                      "batchnormalization_1_running_mean:0", "batchnormalization_1_running_std:0"]
        np.testing.assert_array_equal(handle["dense_1"]["dense_1_W:0"][()],
                                      model.layers[0].get_weights()[0])
        assert handle["dense_1"]["dense_1_W:0"].shape == (3, 4)  # Keras layout, not torch's
    config.set_backend("theano")
    model.save_weights(path)
    with h5py.File(path, "r") as handle:
        assert [n.decode() for n in handle["dense_1"].attrs["weight_names"]] == ["dense_1_W",
                                                                                "dense_1_b"]


def test_real_keras_file_layout_matches_ours(tmp_path):
    """Group, attribute and dataset names of our file equal those of Keras 1's for one model."""
    config.set_backend("theano")
    model = _readme_model()
    path = str(tmp_path / "w.h5")
    model.save_weights(path)

    def listing(p):
        found = []
        with h5py.File(p, "r") as handle:
            root = handle["model_weights"] if "model_weights" in handle else handle
            root.visit(found.append)
        return sorted(found)

    assert listing(path) == listing(os.path.join(DATA, "h5_theano_seq_weights.h5"))


@pytest.mark.parametrize("as_bytes", [True, False])
def test_attributes_as_bytes_or_str(tmp_path, as_bytes):
    model = _readme_model()
    path = str(tmp_path / "w.h5")
    weights = [layer.get_weights() for layer in model.layers]
    with h5py.File(path, "w") as handle:
        names = [layer.name for layer in model.layers]
        handle.attrs["layer_names"] = (np.array([n.encode() for n in names]) if as_bytes
                                       else names)
        for layer, arrays in zip(model.layers, weights):
            group = handle.create_group(layer.name)
            wnames = layer.keras1_weight_names()
            group.attrs["weight_names"] = (np.array([n.encode() for n in wnames]) if as_bytes and
                                           wnames else wnames if wnames else np.array([]))
            for n, a in zip(wnames, arrays):
                group.create_dataset(n, data=a * 2)
    fresh = _readme_model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b * 2)


def test_legacy_keras0_layout(tmp_path):
    model = _readme_model()
    path = str(tmp_path / "old.h5")
    with h5py.File(path, "w") as handle:
        handle.attrs["nb_layers"] = len(model.layers)
        for k, layer in enumerate(model.layers):
            group = handle.create_group("layer_%d" % k)
            arrays = layer.get_weights()
            group.attrs["nb_params"] = len(arrays)
            for p, a in enumerate(arrays):
                group.create_dataset("param_%d" % p, data=a + 1)
    fresh = _readme_model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b + 1)
    with pytest.raises(ValueError, match="0.x weights file.*by_name"):
        fresh.load_weights(path, by_name=True)


def test_legacy_file_with_convolutions_warns_once_what_to_pass(tmp_path):
    model = _convnet()
    path = str(tmp_path / "old_conv.h5")
    with h5py.File(path, "w") as handle:
        handle.attrs["nb_layers"] = 3
        for k, layer in enumerate(model.layers):
            group = handle.create_group("layer_%d" % k)
            arrays = layer.get_weights()
            group.attrs["nb_params"] = len(arrays)
            for p, a in enumerate(arrays):
                group.create_dataset("param_%d" % p, data=a)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _convnet().load_weights(path)
    undecided = [w for w in caught if issubclass(w.category,
                                                 backend_detect.BackendUndecidedWarning)]
    assert len(undecided) == 1
    assert "original_backend='theano'" in str(undecided[0].message)
    assert "old_conv.h5" in str(undecided[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _convnet().load_weights(path, original_backend="tensorflow")


def test_detect_backend():
    assert backend_detect.detect_backend(["dense_1_W:0", "dense_1_b:0"]) == "tensorflow"
    assert backend_detect.detect_backend(["dense_1_W", "dense_1_b"]) == "theano"
    assert backend_detect.detect_backend(["param_0", "param_1"]) is None
    assert backend_detect.detect_backend([]) is None
    with pytest.raises(ValueError, match="original_backend must be"):
        backend_detect.check_backend("cntk")


@pytest.mark.parametrize("file_backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("model_backend", ["theano", "tensorflow"])
def test_conv_kernel_flip_rule(tmp_path, file_backend, model_backend):
    """Our own file written under one emulated backend, loaded under another: same outputs."""
    config.set_backend(file_backend)
    source = _convnet()
    x = np.random.rand(3, 2, 5, 5).astype("float32")
    expected = source.predict(x)
    path = str(tmp_path / "c.h5")
    source.save_weights(path)
    config.set_backend(model_backend)
    target = _convnet()
    target.load_weights(path)
    np.testing.assert_allclose(target.predict(x), expected, atol=1e-5)
    kernel_in, kernel_out = source.layers[0].get_weights()[0], target.layers[0].get_weights()[0]
    if file_backend == model_backend:
        np.testing.assert_array_equal(kernel_out, kernel_in)
    else:
        np.testing.assert_array_equal(kernel_out, kernel_in[:, :, ::-1, ::-1])


def test_by_name_loads_matching_layers_only(tmp_path):
    model = _readme_model()
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    other = Sequential([Dense(4, input_dim=3, name="dense_1"), Dense(7, name="other")])
    before = other.layers[1].get_weights()
    other.load_weights(path, by_name=True)
    np.testing.assert_array_equal(other.layers[0].get_weights()[0],
                                  model.layers[0].get_weights()[0])
    np.testing.assert_array_equal(other.layers[1].get_weights()[0], before[0])


def test_other_architecture_names_first_misfit_and_changes_nothing(tmp_path):
    model = _readme_model()
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    other = Sequential([Dense(4, input_dim=3), Activation("relu"), BatchNormalization(),
                        Dense(5)])
    before = other.get_weights()
    with pytest.raises(ValueError, match=r"Layer dense_\d+ \(Dense\) does not fit.*w\.h5"):
        other.load_weights(path)
    for a, b in zip(other.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    fewer = Sequential([Dense(4, input_dim=3), Dense(2)])
    with pytest.raises(ValueError, match="containing 3 layers into a model with 2 layers"):
        fewer.load_weights(path)


def test_other_dim_ordering_is_hinted(tmp_path):
    config.set_backend("tensorflow")
    model = _convnet()
    path = str(tmp_path / "th.h5")
    model.save_weights(path)
    tf_model = Sequential([Convolution2D(3, 3, 3, dim_ordering="tf", input_shape=(5, 5, 2)),
                           Flatten(), Dense(2)])
    with pytest.raises(ValueError, match="dim_ordering='th'"):
        tf_model.load_weights(path)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_corrupt_files_get_a_clear_error(tmp_path, damage):
    model = _readme_model()
    path = str(tmp_path / "bad.h5")
    model.save_weights(path)
    data = open(path, "rb").read()
    with open(path, "wb") as handle:
        if damage == "truncate":
            handle.write(data[:len(data) // 3])
        elif damage == "garbage":
            handle.write(b"not an hdf5 file at all" * 10)
    with pytest.raises(ValueError, match="bad.h5 is not a readable HDF5 file"):
        model.load_weights(path)


def test_hdf5_without_weights_is_refused(tmp_path):
    path = str(tmp_path / "other.h5")
    with h5py.File(path, "w") as handle:
        handle.create_dataset("x", data=np.zeros(3))
    with pytest.raises(ValueError, match="other.h5 holds no Keras weights"):
        _readme_model().load_weights(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        _readme_model().load_weights(str(tmp_path / "nope.h5"))


def test_nested_sequential_is_one_group_like_keras_1_2_2(tmp_path):
    # Keras 1.2.2 (checked with the oracle: tests/data/hdf5/nested_sequential_*) writes a
    # Sequential nested after the first layer as one group holding all of its weights.
    inner = Sequential([Dense(4, input_dim=3), Dense(3)])
    outer = Sequential([Dense(3, input_dim=2), inner, Dense(2)])
    path = str(tmp_path / "nested.h5")
    outer.save_weights(path)
    with h5py.File(path, "r") as handle:
        names = keras1_hdf5.decode_list(handle.attrs["layer_names"])
        assert names == [outer.layers[0].name, inner.name, outer.layers[2].name]
        assert len(handle[inner.name].attrs["weight_names"]) == 4
    copy = Sequential([Dense(3, input_dim=2), Sequential([Dense(4, input_dim=3), Dense(3)]),
                       Dense(2)])
    copy.load_weights(path, by_name=False)
    x = np.random.rand(2, 2).astype("float32")
    np.testing.assert_allclose(copy.predict(x), outer.predict(x), atol=1e-6)


def test_keras_1_0_flattened_nested_sequential_still_loads(tmp_path):
    # Keras 1.0/1.1 flattened nested Sequentials into one group per layer.
    flat = Sequential([Dense(3, input_dim=2), Dense(4), Dense(3), Dense(2)])
    path = str(tmp_path / "flat.h5")
    flat.save_weights(path)
    nested = Sequential([Dense(3, input_dim=2), Sequential([Dense(4, input_dim=3), Dense(3)]),
                         Dense(2)])
    nested.load_weights(path)
    x = np.random.rand(2, 2).astype("float32")
    np.testing.assert_allclose(nested.predict(x), flat.predict(x), atol=1e-6)


def test_hdf5_reader_returns_named_groups():
    with h5py.File(os.path.join(DATA, "h5_tensorflow_seq_model.h5"), "r") as handle:
        stored, legacy = keras1_hdf5.read_weight_groups(handle, "x")
    assert not legacy
    assert [s.name for s in stored] == ["dense_1", "activation_1", "batchnormalization_1",
                                        "dense_2"]
    assert stored[0].weight_names == ["dense_1_W:0", "dense_1_b:0"]
    assert [a.shape for a in stored[2].arrays] == [(4,)] * 4


def test_nested_model_group_lists_trainable_then_other_weights(tmp_path):
    """Keras 1: a nested container is one group, trainable weights first (Keras 1.2.2 Container.save_weights_to_hdf5_group)."""
    from keras_compat.models import model as model_module
    from keras_compat.layers import Input

    def build():
        inner = Sequential([Dense(4, input_dim=3), BatchNormalization(), Dense(3)])
        a = Input(shape=(3,))
        return model_module.Model(input=a, output=Dense(2)(inner(a))), inner

    config.set_backend("theano")
    model, inner = build()
    for layer in inner.layers:
        layer.set_weights([w + np.random.rand(*w.shape).astype("float32")
                           for w in layer.get_weights()])
    path = str(tmp_path / "nested.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as handle:
        names = [n.decode() for n in handle.attrs["layer_names"]]
        assert names == ["input_1", inner.name, model.layers[-1].name]
        listed = [n.decode() for n in handle[inner.name].attrs["weight_names"]]
    assert listed == ["dense_1_W", "dense_1_b", "batchnormalization_1_gamma",
                      "batchnormalization_1_beta", "dense_2_W", "dense_2_b",
                      "batchnormalization_1_running_mean", "batchnormalization_1_running_std"]
    other, _ = build()
    other.load_weights(path)
    x = np.random.rand(2, 3).astype("float32")
    np.testing.assert_array_equal(other.predict(x), model.predict(x))


@pytest.mark.parametrize("source,target", [("th", "tf"), ("tf", "th")])
def test_weights_move_between_dim_orderings(source, target):
    """A Keras-1 convnet file trained in one ordering, loaded into the other ordering's model:
    kernels transposed, Flatten -> Dense rows reordered, same predictions as Keras 1."""
    ref = np.load(os.path.join(DATA, "convnet_%s.npz" % source))
    shape = (7, 7, 2) if target == "tf" else (2, 7, 7)
    model = Sequential([
        Convolution2D(4, 3, 3, border_mode="same", dim_ordering=target, input_shape=shape),
        Activation("relu"), Convolution2D(3, 2, 3, dim_ordering=target),
        MaxPooling2D((2, 2), dim_ordering=target), Flatten(), Dense(3, activation="softmax")])
    path = os.path.join(DATA, "convnet_%s_weights.h5" % source)
    with pytest.raises(ValueError, match="original_dim_ordering=%r" % source):
        model.load_weights(path)
    model.load_weights(path, original_dim_ordering=source)
    x = ref["x"].transpose(0, 2, 3, 1) if target == "tf" else ref["x"].transpose(0, 3, 1, 2)
    np.testing.assert_allclose(model.predict(x), ref["y"], atol=1e-5)
    with pytest.raises(ValueError, match="original_dim_ordering must be"):
        model.load_weights(path, original_dim_ordering="channels_last")
