"""Parity of the extra core layers, advanced activations and noise layers with REAL Keras 1.2.2.

The arrays under tests/data/oracle/ were made by Keras 1.2.2 itself (highway_maxout and
activations copied from the shared reference set; the rest by
tools/oracle_cases/core_extras_cases.py).  Set KERAS_COMPAT_PARITY_REPORT=1 to print the
measured maximum errors.
"""
import os

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers.advanced_activations import (ELU, LeakyReLU, ParametricSoftplus, PReLU,
                                                      SReLU, ThresholdedReLU)
from keras_compat.layers.core import (ActivityRegularization, Dense, Highway, Masking, MaxoutDense,
                                      SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
                                      TimeDistributedDense)
from keras_compat.layers.noise import GaussianDropout, GaussianNoise
from keras_compat.layers.recurrent import LSTM
from keras_compat.models import Sequential
from keras_compat.optimizers import SGD

BACKENDS = ("theano", "tensorflow")
ATOL = 1e-5

pytestmark = pytest.mark.filterwarnings("ignore:`TimeDistributedDense` is deprecated")


def close(got, want, label):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (label, got.shape, want.shape)
    err = float(np.max(np.abs(got.astype(np.float64) - want))) if got.size else 0.0
    if os.environ.get("KERAS_COMPAT_PARITY_REPORT"):
        print("PARITY %-55s max abs err %.3g" % (label, err))
    assert err <= ATOL, (label, err)


def predict(model, x):
    return model.predict(x, batch_size=len(x))


@pytest.mark.parametrize("backend", BACKENDS)
def test_highway_maxout(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("highway_maxout", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    model = Sequential([Highway(activation="relu", input_dim=7), MaxoutDense(5, nb_feature=3)])
    assert [w.shape for w in model.get_weights()] == [w.shape for w in weights]
    model.set_weights(weights)
    x = inputs["x_0"]
    close(predict(model, x), out["y"], "highway_maxout/%s y" % backend)
    model.eval()
    with torch.no_grad():
        hidden = model.layers[0](torch.from_numpy(x)).numpy()
    lo = sorted(k for k in out.files if k.startswith("lo_"))
    close(hidden, out[lo[0]], "highway_maxout/%s %s" % (backend, lo[0]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_advanced_activations_of_activations_case(backend, oracle):
    """y_9..y_12 of the shared ``activations`` case: LeakyReLU, ELU, ThresholdedReLU(0.2), PReLU."""
    config.set_backend(backend)
    recorded = oracle("activations", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    x = inputs["x_0"]
    dense_w, dense_b, alphas = weights
    dense = Sequential([Dense(6, input_dim=6)])
    dense.set_weights([dense_w, dense_b])
    hidden = predict(dense, x)
    close(hidden, out["y_0"], "activations/%s y_0 (Dense, linear)" % backend)
    layers = {9: LeakyReLU(0.3, input_shape=(6,)), 10: ELU(1.0, input_shape=(6,)),
              11: ThresholdedReLU(0.2, input_shape=(6,)), 12: PReLU(input_shape=(6,))}
    for index, layer in layers.items():
        model = Sequential([layer])
        if index == 12:
            model.set_weights([alphas])
        close(predict(model, hidden), out["y_%d" % index],
              "activations/%s y_%d (%s)" % (backend, index, type(layer).__name__))


@pytest.mark.parametrize("backend", BACKENDS)
def test_srelu(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("srelu", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    m0 = Sequential([SReLU(input_shape=(6,))])
    m1 = Sequential([SReLU(shared_axes=[1], input_shape=(3, 5))])
    assert [w.shape for w in m1.get_weights()] == [(1, 5)] * 4
    m0.set_weights(weights[:4])
    m1.set_weights(weights[4:])
    close(predict(m0, inputs["x_0"]), out["y_0"], "srelu/%s y_0" % backend)
    close(predict(m1, inputs["x_1"]), out["y_1"], "srelu/%s y_1 shared_axes=[1]" % backend)


def test_srelu_backends_really_differ(oracle):
    """The oracle's Theano and TF SReLU numbers differ (negative a_left); both are matched above."""
    theano = oracle("srelu")
    tensorflow = oracle("srelu", "tensorflow")
    assert np.max(np.abs(theano["y_1"] - tensorflow["y_1"])) > 1e-2


@pytest.mark.parametrize("backend", BACKENDS)
def test_parametric_softplus(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("parametric_softplus", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    m0 = Sequential([ParametricSoftplus(input_shape=(6,))])
    m1 = Sequential([ParametricSoftplus(alpha_init=0.5, beta_init=2.0, shared_axes=2,
                                        input_shape=(3, 4))])
    assert [w.shape for w in m1.get_weights()] == [(3, 1), (3, 1)]
    close(predict(m1, inputs["x_1"]), out["y_1_init"], "parametric_softplus/%s y_1_init" % backend)
    m0.set_weights(weights[:2])
    m1.set_weights(weights[2:])
    close(predict(m0, inputs["x_0"]), out["y_0"], "parametric_softplus/%s y_0" % backend)
    close(predict(m1, inputs["x_1"]), out["y_1"], "parametric_softplus/%s y_1 shared" % backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_prelu_shared_axes_4d(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("prelu_shared_4d", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    model = Sequential([PReLU(shared_axes=[1, 2], input_shape=(4, 5, 3))])
    assert model.get_weights()[0].shape == (1, 1, 3)
    model.set_weights(weights)
    close(predict(model, inputs["x_0"]), out["y"], "prelu_shared_4d/%s y" % backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_time_distributed_dense_and_masking(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("time_distributed_dense", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    x = inputs["x_0"]
    m0 = Sequential([TimeDistributedDense(5, activation="tanh", input_dim=8, input_length=6)])
    m1 = Sequential([Masking(mask_value=0.5, input_shape=(6, 8)), TimeDistributedDense(4),
                     LSTM(3)])
    m0.set_weights(weights[:2])
    m1.set_weights(weights[2:])
    close(predict(m0, x), out["y_0"], "time_distributed_dense/%s y_0" % backend)
    close(predict(m1, x), out["y_1"], "time_distributed_dense/%s y_1 masked LSTM" % backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_masking_value(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("masking_value", backend)
    inputs, _, out = recorded.inputs, recorded.weights, recorded
    x = inputs["x_0"]
    layer = Masking(mask_value=0.5, input_shape=(5, 4))
    model = Sequential([layer])
    close(predict(model, x), out["y"], "masking_value/%s y" % backend)
    mask = layer.compute_mask(torch.from_numpy(x))
    close(mask.numpy().astype("float32"), out["mask"], "masking_value/%s mask" % backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_noise_layers_are_identity_at_test_time(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("noise_test_phase", backend)
    inputs, _, out = recorded.inputs, recorded.weights, recorded
    x0, x1, x2 = inputs["x_0"], inputs["x_1"], inputs["x_2"]
    cases = [
        (SpatialDropout1D(0.5, input_shape=(5, 4)), x0),
        (SpatialDropout2D(0.5, dim_ordering="th", input_shape=(3, 4, 4)), x1),
        (SpatialDropout2D(0.5, dim_ordering="tf", input_shape=(3, 4, 4)), x1),
        (SpatialDropout3D(0.5, dim_ordering="th", input_shape=(3, 2, 3, 2)), x2),
        (GaussianNoise(0.3, input_shape=(5, 4)), x0),
        (GaussianDropout(0.4, input_shape=(5, 4)), x0),
    ]
    for index, (layer, x) in enumerate(cases):
        close(predict(Sequential([layer]), x), out["y_%d" % index],
              "noise_test_phase/%s y_%d (%s)" % (backend, index, type(layer).__name__))


def _activity_model(weights):
    model = Sequential([Dense(4, input_dim=6), ActivityRegularization(l1=0.01, l2=0.02), Dense(2)])
    model.set_weights(weights)
    model.compile(optimizer=SGD(lr=0.1), loss="mse")
    return model


@pytest.mark.parametrize("backend", BACKENDS)
def test_activity_regularization_loss(backend, oracle):
    config.set_backend(backend)
    recorded = oracle("activity_regularization", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    x, y = inputs["x_0"], inputs["y_true"]
    model = _activity_model(weights)
    close(predict(model, x), out["y"], "activity_regularization/%s y" % backend)
    close(model.evaluate(x, y, batch_size=8, verbose=0), out["evaluate_full"],
          "activity_regularization/%s evaluate(batch_size=8)" % backend)
    close(model.evaluate(x, y, batch_size=3, verbose=0), out["evaluate_b3"],
          "activity_regularization/%s evaluate(batch_size=3)" % backend)
    close(model.test_on_batch(x, y), out["test_on_batch"],
          "activity_regularization/%s test_on_batch" % backend)
    # the penalty is really part of it: the plain mse is smaller
    plain = float(np.mean((predict(model, x) - y) ** 2))
    assert float(out["evaluate_full"]) - plain > 1e-3


def test_activity_regularization_training_step(oracle):
    config.set_backend("theano")
    recorded = oracle("activity_regularization", "theano")
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    x, y = inputs["x_0"], inputs["y_true"]
    model = _activity_model(weights)
    close(model.train_on_batch(x, y), out["train_on_batch"],
          "activity_regularization/theano train_on_batch loss")
    for index, w in enumerate(model.get_weights()):
        close(w, out["w_after_%02d" % index], "activity_regularization/theano w_after_%02d" % index)
