"""Property tests (hypothesis): random Keras-1 layer stacks infer the output shape they
really produce, and survive .h5 and .pt round trips bit for bit."""
import os
import tempfile

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from keras_compat import layers as L  # noqa: E402
from keras_compat.backend import config  # noqa: E402
from keras_compat.models import Sequential, load_model, model_from_json  # noqa: E402

# (rank of the per-sample input) -> builders of layers that accept it: fn(draw, shape)
# returning the layer; shapes exclude the batch axis.


def _vector_layers(draw, shape):
    kind = draw(st.sampled_from(["dense", "activation", "dropout", "repeat", "highway",
                                 "maxout", "prelu", "batchnorm"]))
    units = draw(st.integers(1, 5))
    if kind == "dense":
        return L.Dense(units, activation=draw(st.sampled_from(["linear", "tanh", "relu",
                                                                "softmax", "sigmoid"])))
    if kind == "activation":
        return L.Activation(draw(st.sampled_from(["tanh", "softplus", "hard_sigmoid"])))
    if kind == "dropout":
        return L.Dropout(0.5)
    if kind == "repeat":
        return L.RepeatVector(draw(st.integers(1, 3)))
    if kind == "highway":
        return L.Highway()
    if kind == "maxout":
        return L.MaxoutDense(units, nb_feature=2)
    if kind == "prelu":
        return L.PReLU()
    return L.BatchNormalization()


def _sequence_layers(draw, shape):
    steps, features = shape
    kind = draw(st.sampled_from(["lstm", "gru", "rnn", "conv", "pool", "flatten", "td",
                                 "gap", "pad", "upsample"]))
    units = draw(st.integers(1, 4))
    sequences = draw(st.booleans())
    if kind == "lstm":
        return L.LSTM(units, return_sequences=sequences)
    if kind == "gru":
        return L.GRU(units, return_sequences=sequences)
    if kind == "rnn":
        return L.SimpleRNN(units, return_sequences=sequences)
    if kind == "conv":
        return L.Convolution1D(units, draw(st.integers(1, min(3, steps))),
                               border_mode=draw(st.sampled_from(["valid", "same"])))
    if kind == "pool" and steps >= 2:
        return L.MaxPooling1D(2)
    if kind == "td":
        return L.TimeDistributed(L.Dense(units))
    if kind == "gap":
        return L.GlobalAveragePooling1D()
    if kind == "pad":
        return L.ZeroPadding1D(1)
    if kind == "upsample":
        return L.UpSampling1D(2)
    return L.Flatten()


def _image_layers(draw, shape, ordering):
    rows = shape[1] if ordering == "th" else shape[0]
    kind = draw(st.sampled_from(["conv", "pool", "flatten", "pad", "gmp"]))
    if kind == "conv":
        size = draw(st.integers(1, min(3, rows)))
        return L.Convolution2D(draw(st.integers(1, 3)), size, size, dim_ordering=ordering,
                               border_mode=draw(st.sampled_from(["valid", "same"])))
    if kind == "pool" and rows >= 2:
        return L.MaxPooling2D((2, 2), dim_ordering=ordering)
    if kind == "pad":
        return L.ZeroPadding2D((1, 1), dim_ordering=ordering)
    if kind == "gmp":
        return L.GlobalMaxPooling2D(dim_ordering=ordering)
    return L.Flatten()


@st.composite
def stacks(draw):
    start = draw(st.sampled_from(["vector", "sequence", "image_th", "image_tf"]))
    shape = {"vector": (3,), "sequence": (4, 3), "image_th": (2, 5, 5),
             "image_tf": (5, 5, 2)}[start]
    model = Sequential()
    model.add(L.Activation("linear", input_shape=shape))
    for _ in range(draw(st.integers(1, 4))):
        current = model.output_shape[1:]
        if len(current) == 1:
            layer = _vector_layers(draw, current)
        elif len(current) == 2:
            layer = _sequence_layers(draw, current)
        else:
            layer = _image_layers(draw, current, "th" if start == "image_th" else "tf")
        if any(d is not None and d > 40 for d in current):
            break
        model.add(layer)
    return model, shape


def _randomize(model, seed):
    rng = np.random.RandomState(seed)
    # positive values keep BatchNormalization's stored variance valid
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype(w.dtype)
                       for w in model.get_weights()])


SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(stacks(), st.sampled_from(["theano", "tensorflow"]))
def test_inferred_shape_is_the_real_shape(stack, backend):
    model, shape = stack
    old = config.backend()
    config.set_backend(backend)
    try:
        x = np.random.RandomState(0).rand(2, *shape).astype("float32")
        assert model.output_shape[1:] == model.predict(x).shape[1:]
    finally:
        config.set_backend(old)


@SETTINGS
@given(stacks())
def test_h5_and_pt_round_trips_are_bit_identical(stack):
    pytest.importorskip("h5py")
    model, shape = stack
    if not model.get_weights():
        model.add(L.Flatten() if len(model.output_shape) > 2 else L.Activation("linear"))
    _randomize(model, 1)
    x = np.random.RandomState(0).rand(3, *shape).astype("float32")
    expected = model.predict(x)
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".h5", ".pt"):
            path = os.path.join(folder, "m" + suffix)
            model.save(path)
            np.testing.assert_array_equal(load_model(path).predict(x), expected)
            path = os.path.join(folder, "w" + suffix)
            model.save_weights(path)
            fresh = model_from_json(model.to_json())
            fresh.load_weights(path)
            np.testing.assert_array_equal(fresh.predict(x), expected)
