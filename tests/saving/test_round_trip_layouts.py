"""Round trips that once lost data: Convolution1D(1, 1) kernels read as a Keras 0.x layout,
and .pt weight files that did not record the backend or dim ordering that wrote them."""
import os

import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.layers import Convolution1D, Convolution2D, Dense, Flatten
from keras_compat.models import Sequential, load_model


@pytest.fixture(autouse=True)
def _restore_backend():
    backend = config.backend()
    yield
    config.set_backend(backend)


@pytest.mark.parametrize("suffix", [".h5", ".pt"])
@pytest.mark.parametrize("nb_filter, length", [(1, 1), (1, 2), (2, 1), (3, 3)])
def test_conv1d_model_loads_its_own_save(tmp_path, suffix, nb_filter, length):
    if suffix == ".h5":
        pytest.importorskip("h5py")
    model = Sequential([Convolution1D(nb_filter, length, input_shape=(5, 3)), Flatten(),
                        Dense(2)])
    x = np.random.RandomState(0).rand(2, 5, 3).astype("float32")
    path = str(tmp_path / ("m" + suffix))
    model.save(path)
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def _convnet(ordering):
    shape = (2, 6, 6) if ordering == "th" else (6, 6, 2)
    return Sequential([Convolution2D(3, 3, 3, input_shape=shape, dim_ordering=ordering),
                       Flatten(), Dense(2)])


@pytest.mark.parametrize("suffix", [".h5", ".pt"])
def test_theano_weights_load_under_tensorflow(tmp_path, suffix):
    if suffix == ".h5":
        pytest.importorskip("h5py")
    config.set_backend("theano")
    model = _convnet("th")
    x = np.random.RandomState(0).rand(2, 2, 6, 6).astype("float32")
    expected = model.predict(x)
    path = str(tmp_path / ("w" + suffix))
    model.save_weights(path)
    config.set_backend("tensorflow")
    fresh = _convnet("th")
    fresh.load_weights(path)
    np.testing.assert_allclose(fresh.predict(x), expected, atol=1e-5, rtol=0)


def test_pt_weights_convert_dim_ordering(tmp_path):
    model = _convnet("th")
    x = np.random.RandomState(1).rand(2, 2, 6, 6).astype("float32")
    path = str(tmp_path / "w.pt")
    model.save_weights(path)
    other = _convnet("tf")
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(np.transpose(x, (0, 2, 3, 1))), model.predict(x),
                               atol=1e-5, rtol=0)
