"""saving.assignment: one path from a file's weight groups to a model, for .h5 and .pt files,
weights and whole models.

A model built under one emulated backend and saved must compute exactly the same outputs
when its file is loaded into the same architecture built under the other backend (Theano's
convolution flips the kernel, TensorFlow's does not: the loaded kernel is flipped), and
loading is all-or-nothing.
"""
import os

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers import (LSTM, BatchNormalization, Convolution2D, Dense, Flatten,
                                 MaxPooling2D, Reshape, TimeDistributed)
from keras_compat.models import Sequential, load_model

FORMATS = [".h5", ".pt"]
DIRECTIONS = [("theano", "tensorflow"), ("tensorflow", "theano")]


@pytest.fixture(autouse=True)
def _restore_backend():
    backend = config.backend()
    yield
    config.set_backend(backend)


def _needs(suffix):
    if suffix == ".h5":
        pytest.importorskip("h5py")


def _convnet():
    return Sequential([Convolution2D(3, 3, 3, input_shape=(2, 6, 6), dim_ordering="th"),
                       Flatten(), Dense(4)])


def _nested_convnet():
    """The convolution and the Flatten inside a nested model, the Dense outside it."""
    inner = Sequential([Convolution2D(3, 3, 3, input_shape=(2, 6, 6), dim_ordering="th"),
                        MaxPooling2D(dim_ordering="th"), Flatten()])
    return Sequential([inner, Dense(4)])


def _wrapped_convnet():
    """The convolution inside a wrapper: the wrapper's group holds its inner layer's kernel."""
    return Sequential([Reshape((1, 2, 6, 6), input_shape=(2, 6, 6)),
                       TimeDistributed(Convolution2D(3, 3, 3, dim_ordering="th")),
                       Flatten(), Dense(4)])


def _perturbed(model, seed=0):
    """Non-zero biases and statistics, so a misplaced array shows in the outputs."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for tensor in list(model.parameters()) + list(model.buffers()):
            if tensor.dtype.is_floating_point:
                tensor.add_(torch.rand(tensor.shape, generator=generator) * 0.5 + 0.1)
    return model


def _images(seed=0):
    return np.random.RandomState(seed).rand(3, 2, 6, 6).astype("float32")


def _save_and_reload(build, suffix, kind, source, target, tmp_path):
    config.set_backend(source)
    model = _perturbed(build())
    expected = model.predict(_images())
    path = str(tmp_path / (kind + suffix))
    if kind == "weights":
        model.save_weights(path)
        config.set_backend(target)
        loaded = build()
        loaded.load_weights(path)
    else:
        model.save(path)
        config.set_backend(target)
        loaded = load_model(path)
    return model, loaded, expected


@pytest.mark.parametrize("kind", ["weights", "model"])
@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("source, target", DIRECTIONS)
def test_other_backend_reloads_bit_identically(tmp_path, source, target, suffix, kind):
    _needs(suffix)
    model, loaded, expected = _save_and_reload(_convnet, suffix, kind, source, target, tmp_path)
    np.testing.assert_array_equal(loaded.predict(_images()), expected)
    kernel, loaded_kernel = model.layers[0].get_weights()[0], loaded.layers[0].get_weights()[0]
    np.testing.assert_array_equal(loaded_kernel, kernel[:, :, ::-1, ::-1])


@pytest.mark.parametrize("build", [_nested_convnet, _wrapped_convnet])
@pytest.mark.parametrize("kind", ["weights", "model"])
@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("source, target", DIRECTIONS)
def test_nested_kernels_are_converted_too(tmp_path, source, target, suffix, kind, build):
    """A nested model's or a wrapper's group holds its layers' weights; each is converted by
    the layer that owns it."""
    _needs(suffix)
    _, loaded, expected = _save_and_reload(build, suffix, kind, source, target, tmp_path)
    np.testing.assert_array_equal(loaded.predict(_images()), expected)


@pytest.mark.parametrize("suffix", FORMATS)
def test_nested_model_with_non_trainable_weights_round_trips(tmp_path, suffix):
    """The .pt file holds a nested model's group in Keras-1 order (trainable weights first),
    as the .h5 file does."""
    _needs(suffix)

    def build():
        return Sequential([Sequential([Dense(4, input_dim=3), BatchNormalization(), Dense(3)]),
                           Dense(2)])

    model = _perturbed(build())
    x = np.random.RandomState(1).rand(5, 3).astype("float32")
    path = str(tmp_path / ("w" + suffix))
    model.save_weights(path)
    loaded = build()
    loaded.load_weights(path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    for mine, theirs in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("suffix", FORMATS)
def test_nested_model_with_a_recurrent_layer_round_trips(tmp_path, suffix):
    """An LSTM packs its 12 Keras-1 weights into 3 torch parameters; a nested model's group
    holds the 12, named as Keras 1 names them."""
    _needs(suffix)

    def build():
        return Sequential([Sequential([LSTM(3, input_shape=(4, 2))]), Dense(2)])

    model = _perturbed(build())
    x = np.random.RandomState(2).rand(2, 4, 2).astype("float32")
    path = str(tmp_path / ("w" + suffix))
    model.save_weights(path)
    loaded = build()
    loaded.load_weights(path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    if suffix == ".h5":
        import h5py
        lstm = model.layers[0].layers[0]
        with h5py.File(path, "r") as handle:
            names = [n.decode() for n in handle[model.layers[0].name].attrs["weight_names"]]
        assert names == ["%s:0" % n if config.backend() == "tensorflow" else n
                         for n in lstm.keras1_weight_names()]


@pytest.mark.parametrize("suffix", FORMATS)
def test_other_dim_ordering_through_a_nested_flatten(tmp_path, suffix):
    """th weights into a tf model: the kernel is transposed and the Dense after the nested
    model's Flatten gets its rows in the tf flatten order."""
    _needs(suffix)

    def build(ordering):
        shape = (2, 6, 6) if ordering == "th" else (6, 6, 2)
        inner = Sequential([Convolution2D(3, 3, 3, input_shape=shape, dim_ordering=ordering),
                            Flatten()])
        return Sequential([inner, Dense(4)])

    model = _perturbed(build("th"))
    path = str(tmp_path / ("w" + suffix))
    model.save_weights(path)
    other = build("tf")
    other.load_weights(path, original_dim_ordering="th" if suffix == ".h5" else None)
    x = _images()
    np.testing.assert_allclose(other.predict(np.transpose(x, (0, 2, 3, 1))), model.predict(x),
                               atol=1e-5, rtol=0)


def test_pt_files_record_backend_and_dim_ordering(tmp_path):
    config.set_backend("theano")
    model = _convnet()
    weights, whole = str(tmp_path / "w.pt"), str(tmp_path / "m.pt")
    model.save_weights(weights)
    model.save(whole)
    payload = torch.load(weights, weights_only=True)
    assert (payload["format"], payload["format_version"]) == ("keras_compat.weights", 2)
    assert (payload["backend"], payload["dim_ordering"]) == ("theano", "th")
    assert payload["layer_names"] == [model.layers[0].name, model.layers[2].name]
    payload = torch.load(whole, weights_only=True)
    assert (payload["format"], payload["format_version"]) == ("keras_compat.model", 1)
    assert (payload["backend"], payload["dim_ordering"]) == ("theano", "th")


def _strip_provenance(path, version=None):
    payload = torch.load(path, weights_only=True)
    payload.pop("backend")
    payload.pop("dim_ordering")
    if version is not None:
        payload["format_version"] = version
    torch.save(payload, path)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_old_pt_weights_without_provenance_load_as_the_current_backend(tmp_path, backend):
    """Files written before the record meant the layout of the backend loading them."""
    config.set_backend(backend)
    model = _perturbed(_convnet())
    path = str(tmp_path / "old.pt")
    model.save_weights(path)
    _strip_provenance(path, version=1)
    loaded = _convnet()
    loaded.load_weights(path)
    for mine, theirs in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(loaded.predict(_images()), model.predict(_images()))


def test_pt_model_without_backend_record_is_not_taken_for_theano(tmp_path):
    """The .pt groups' positional weight names look like Theano's bare names; the backend of
    a .pt file is never guessed from them."""
    config.set_backend("tensorflow")
    model = _perturbed(_convnet())
    path = str(tmp_path / "old.pt")
    model.save(path)
    _strip_provenance(path)
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.layers[0].get_weights()[0],
                                  model.layers[0].get_weights()[0])


def test_pt_file_record_is_overridden_by_the_caller(tmp_path):
    config.set_backend("tensorflow")
    model = _perturbed(_convnet())
    path = str(tmp_path / "w.pt")
    model.save_weights(path)
    loaded = _convnet()
    loaded.load_weights(path, original_backend="theano")
    np.testing.assert_array_equal(loaded.layers[0].get_weights()[0],
                                  model.layers[0].get_weights()[0][:, :, ::-1, ::-1])


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_failing_assignment_changes_nothing(tmp_path, suffix, monkeypatch):
    """A layer that refuses its arrays after others took theirs: every layer is restored, and
    the error is the layer's own."""
    _needs(suffix)
    source = _perturbed(_convnet())
    path = str(tmp_path / ("w" + suffix))
    source.save_weights(path)
    target = _convnet()
    before = target.get_weights()
    dense = target.layers[2]
    real_set_weights = type(dense).set_weights
    calls = []

    def refuse_first_time(self, weights):
        calls.append(len(weights))
        if len(calls) == 1:
            raise ValueError("Layer %s: refused" % self.name)
        real_set_weights(self, weights)

    monkeypatch.setattr(dense, "set_weights", refuse_first_time.__get__(dense))
    with pytest.raises(ValueError, match="%s: refused" % dense.name):
        target.load_weights(path)
    for mine, theirs in zip(target.get_weights(), before):
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("suffix", FORMATS)
def test_misfit_names_the_layer_and_file_and_changes_nothing(tmp_path, suffix):
    _needs(suffix)
    source = _convnet()
    path = str(tmp_path / ("w" + suffix))
    source.save_weights(path)
    target = Sequential([Convolution2D(3, 3, 3, input_shape=(2, 6, 6), dim_ordering="th"),
                         Flatten(), Dense(5)])
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"Layer dense_\d+ \(Dense\) does not fit the weights "
                                         r"in .*%s" % os.path.basename(path)):
        target.load_weights(path)
    for mine, theirs in zip(target.get_weights(), before):
        np.testing.assert_array_equal(mine, theirs)


def test_layer_hooks_for_flattened_images():
    model = _convnet()
    conv, flatten, dense = model.layers
    assert conv.flattened_image_shape() is None
    assert flatten.flattened_image_shape() == (3, 4, 4)
    arrays = dense.get_weights()
    reordered = dense.reorder_input_features(arrays, lambda matrix: matrix[::-1])
    np.testing.assert_array_equal(reordered[0], arrays[0][::-1])
    np.testing.assert_array_equal(reordered[1], arrays[1])
    assert conv.reorder_input_features(arrays, lambda matrix: matrix[::-1]) is arrays
