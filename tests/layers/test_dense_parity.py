"""Dense / Sequential-MLP (and Embedding+Conv1D model) parity with real Keras 1.2.2 outputs."""
import json

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers.core import Activation, Dense, Dropout, Flatten
from keras_compat.models import Sequential

BACKENDS = ("theano", "tensorflow")


def layer_outputs(model, x):
    """Every layer's test-phase output, as the oracle's ``lo_NN_<name>`` arrays."""
    model.eval()
    outs = []
    with torch.no_grad():
        t = torch.from_numpy(x)
        for layer in model.layers:
            t = layer(t)
            outs.append(t.numpy())
    return outs


@pytest.mark.parametrize("backend", BACKENDS)
def test_dense_linear(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("dense_linear", backend)
    x, weights, out = recorded.x, recorded.weights, recorded
    model = Sequential()
    model.add(Dense(5, input_dim=7))
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), out["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_dense_nobias_tanh(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("dense_nobias_tanh", backend)
    x, weights, out = recorded.x, recorded.weights, recorded
    model = Sequential()
    model.add(Dense(5, input_dim=7, bias=False, activation="tanh"))
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), out["y"], atol=1e-5, rtol=0)
    meta = json.loads(str(out["meta"]))
    assert meta["weight_shapes"] == [[7, 5]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_model_mlp(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("model_mlp", backend)
    x, weights, out = recorded.x, recorded.weights, recorded
    model = Sequential()
    model.add(Dense(output_dim=64, input_dim=100))
    model.add(Activation("relu"))
    model.add(Dropout(0.5))
    model.add(Dense(output_dim=10))
    model.add(Activation("softmax"))
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), out["y"], atol=1e-5, rtol=0)
    keys = sorted(k for k in out.files if k.startswith("lo_"))
    assert len(keys) == len(model.layers)
    for key, got in zip(keys, layer_outputs(model, x)):
        np.testing.assert_allclose(got, out[key], atol=1e-5, rtol=0, err_msg=key)


@pytest.mark.parametrize("backend", BACKENDS)
def test_model_embed_conv1d(backend, oracle):
    from keras_compat.layers.convolutional import Convolution1D
    from keras_compat.layers.embeddings import Embedding
    from keras_compat.layers.pooling import MaxPooling1D
    config.set_backend(backend)
    recorded = oracle("model_embed_conv1d", backend)
    x, weights, out = recorded.x, recorded.weights, recorded
    model = Sequential()
    model.add(Embedding(input_dim=200, output_dim=32, input_length=50))
    model.add(Convolution1D(8, 3, activation="relu"))
    model.add(MaxPooling1D(2))
    model.add(Flatten())
    model.add(Dense(1, activation="sigmoid"))
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), out["y"], atol=1e-5, rtol=0)
    keys = sorted(k for k in out.files if k.startswith("lo_"))
    for key, got in zip(keys, layer_outputs(model, x)):
        np.testing.assert_allclose(got, out[key], atol=1e-5, rtol=0, err_msg=key)
