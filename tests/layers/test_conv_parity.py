"""Convolution/pooling numerics against real Keras 1.2.2 outputs, under both emulated backends.

The reference files under tests/data/oracle/ were produced by Keras 1.2.2 on Theano 0.9 and on
TensorFlow 1.0.1 (see tests/data/oracle/README.md). Every case is checked with the matching
emulated backend: Theano refs with ``config.set_backend('theano')``, TF refs with 'tensorflow'.
"""
import json

import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.layers.convolutional import (Convolution1D, Convolution2D, UpSampling2D,
                                               ZeroPadding2D)
from keras_compat.layers.core import Activation, Dense, Dropout, Flatten
from keras_compat.layers.pooling import (AveragePooling2D, GlobalAveragePooling2D, MaxPooling1D,
                                         MaxPooling2D)
from keras_compat.layers.embeddings import Embedding
from keras_compat.layers.normalization import BatchNormalization
from keras_compat.models import Sequential

BACKENDS = ("tensorflow", "theano")


def _predict(model, x):
    return model.predict(x, batch_size=len(x))


def _conv2d_case(case):
    ordering = "th" if "_th_" in case else "tf"
    size = 2 if case.endswith("_k2") else 3
    subsample = (2, 2) if "_s2" in case else (1, 1)
    border_mode = "same" if "_same" in case else "valid"
    return ordering, size, subsample, border_mode


CONV2D_CASES = ["conv2d_%s_%s" % (o, v) for o in ("th", "tf")
                for v in ("valid", "valid_s2", "same", "same_k2", "same_s2", "same_s2_even")]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CONV2D_CASES)
def test_conv2d(case, backend, oracle):
    config.set_backend(backend)
    recorded = oracle(case, backend)
    inputs, outputs, weights = recorded.inputs, recorded, recorded.weights
    ordering, size, subsample, border_mode = _conv2d_case(case)
    meta = json.loads(str(outputs["meta"]))
    assert "Convolution2D(4,%d,%d" % (size, size) in meta["description"]
    x = inputs["x_0"]
    model = Sequential([Convolution2D(4, size, size, border_mode=border_mode, subsample=subsample,
                                      dim_ordering=ordering, input_shape=x.shape[1:])])
    model.set_weights(weights)
    y = _predict(model, x)
    assert model.layers[0].output_shape[1:] == outputs["y"].shape[1:]
    np.testing.assert_allclose(y, outputs["y"], atol=1e-4, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", ["conv1d_valid", "conv1d_same_s2"])
def test_conv1d(case, backend, oracle):
    config.set_backend(backend)
    recorded = oracle(case, backend)
    inputs, outputs, weights = recorded.inputs, recorded, recorded.weights
    kwargs = {"border_mode": "same", "subsample_length": 2} if case == "conv1d_same_s2" else {}
    model = Sequential([Convolution1D(4, 3, input_shape=(10, 8), **kwargs)])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, inputs["x_0"]), outputs["y"], atol=1e-4, rtol=0)


POOL_CASES = ["maxpool2d_%s_%s" % (o, v) for o in ("th", "tf") for v in ("valid", "same", "3x3_s2")]
POOL_CASES += ["avgpool2d_th_same", "avgpool2d_tf_same"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", POOL_CASES)
def test_pool2d(case, backend, oracle):
    config.set_backend(backend)
    recorded = oracle(case, backend)
    inputs, outputs, _ = recorded.inputs, recorded, recorded.weights
    cls = MaxPooling2D if case.startswith("max") else AveragePooling2D
    ordering = "th" if "_th_" in case else "tf"
    x = inputs["x_0"]
    if case.endswith("3x3_s2"):
        layer = cls((3, 3), strides=(2, 2), dim_ordering=ordering, input_shape=x.shape[1:])
    elif case.endswith("same"):
        layer = cls((2, 2), border_mode="same", dim_ordering=ordering, input_shape=x.shape[1:])
    else:
        layer = cls(pool_size=(2, 2), dim_ordering=ordering, input_shape=x.shape[1:])
    y = _predict(Sequential([layer]), x)
    assert layer.output_shape[1:] == outputs["y"].shape[1:]
    np.testing.assert_allclose(y, outputs["y"], atol=1e-5, rtol=0)


def test_same_padding_really_differs_between_backends(oracle):
    """The refs pin a real difference: p=2 'same' pooling and even kernels shift windows."""
    for case in ("maxpool2d_th_same", "conv2d_th_same_k2", "conv2d_tf_same_s2_even"):
        recorded = oracle(case, "theano")
        _, th, _ = recorded.inputs, recorded, recorded.weights
        recorded = oracle(case, "tensorflow")
        _, tf, _ = recorded.inputs, recorded, recorded.weights
        assert np.abs(th["y"] - tf["y"]).max() > 1e-3, case


@pytest.mark.parametrize("backend", BACKENDS)
def test_globalavgpool_th(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("globalavgpool_th", backend)
    inputs, outputs, _ = recorded.inputs, recorded, recorded.weights
    model = Sequential([GlobalAveragePooling2D(dim_ordering="th", input_shape=(3, 5, 5))])
    np.testing.assert_allclose(_predict(model, inputs["x_0"]), outputs["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_upsample_pad_layers(backend, oracle):
    """UpSampling2D and ZeroPadding2D against the per-layer outputs of upsample_pad_crop_th."""
    config.set_backend(backend)
    recorded = oracle("upsample_pad_crop_th", backend)
    inputs, outputs, _ = recorded.inputs, recorded, recorded.weights
    model = Sequential([UpSampling2D((2, 2), dim_ordering="th", input_shape=(3, 4, 5)),
                        ZeroPadding2D((1, 2), dim_ordering="th")])
    np.testing.assert_allclose(_predict(model, inputs["x_0"]), outputs["lo_01_zeropadding2d_1"],
                               atol=1e-6, rtol=0)
    np.testing.assert_allclose(_predict(Sequential(model.layers[:1]), inputs["x_0"]),
                               outputs["lo_00_upsampling2d_1"], atol=1e-6, rtol=0)


def _convnet_front(ordering, shape):
    """The layers of model_convnet_* before BatchNormalization (Conv relu Pool Conv relu)."""
    return [Convolution2D(8, 3, 3, border_mode="same", input_shape=shape, dim_ordering=ordering),
            Activation("relu"),
            MaxPooling2D(pool_size=(2, 2), dim_ordering=ordering),
            Convolution2D(8, 3, 3, dim_ordering=ordering),
            Activation("relu")]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_model_convnet_front(ordering, backend, oracle):
    """The conv part of model_convnet_* against the stored per-layer output (no BN needed)."""
    config.set_backend(backend)
    case = "model_convnet_" + ordering
    recorded = oracle(case, backend)
    inputs, outputs, weights = recorded.inputs, recorded, recorded.weights
    x = inputs["x_0"]
    model = Sequential(_convnet_front(ordering, x.shape[1:]))
    model.set_weights(weights[:4])
    key = [k for k in outputs.files if k.startswith("lo_04_")][0]
    np.testing.assert_allclose(_predict(model, x), outputs[key], atol=1e-4, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_model_convnet(ordering, backend, oracle):
    config.set_backend(backend)
    case = "model_convnet_" + ordering
    recorded = oracle(case, backend)
    inputs, outputs, weights = recorded.inputs, recorded, recorded.weights
    x = inputs["x_0"]
    model = Sequential(_convnet_front(ordering, x.shape[1:]))
    model.add(BatchNormalization(axis=1 if ordering == "th" else -1))
    for layer in (Flatten(), Dense(16), Activation("relu"), Dropout(0.25), Dense(3),
                  Activation("softmax")):
        model.add(layer)
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), outputs["y"], atol=1e-4, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_model_embed_conv1d(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("model_embed_conv1d", backend)
    inputs, outputs, weights = recorded.inputs, recorded, recorded.weights
    model = Sequential()
    model.add(Embedding(input_dim=200, output_dim=32, input_length=50))
    model.add(Convolution1D(8, 3, activation="relu"))
    model.add(MaxPooling1D(2))
    model.add(Flatten())
    model.add(Dense(1, activation="sigmoid"))
    model.set_weights(weights)
    x = inputs["x_0"]
    for key in sorted(k for k in outputs.files if k.startswith("lo_")):
        index = int(key.split("_")[1])
        partial = Sequential(model.layers[:index + 1])
        np.testing.assert_allclose(_predict(partial, x), outputs[key], atol=1e-4, rtol=0,
                                   err_msg=key)
    np.testing.assert_allclose(_predict(model, x), outputs["y"], atol=1e-4, rtol=0)
