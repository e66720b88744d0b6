"""BatchNormalization: oracle parity (modes 0/1/2, any axis), training-phase maths against
NumPy, running-stat updates under both emulated backends, harness, config, errors."""
import json

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers.core import Dense
from keras_compat.layers.normalization import BatchNormalization
from keras_compat.models import Sequential
from keras_compat.testing import layer_test

BACKENDS = ("theano", "tensorflow")
EPS = 1e-3


# -- NumPy references -----------------------------------------------------------------------
def np_bn(x, axis, gamma, beta, mean, var, eps=EPS):
    shape = [1] * x.ndim
    shape[axis] = -1
    r = lambda v: np.asarray(v, "float64").reshape(shape)  # noqa: E731
    return r(gamma) * (x - r(mean)) / np.sqrt(r(var) + eps) + r(beta)


def batch_stats(x, axis):
    axes = tuple(d for d in range(x.ndim) if d != axis % x.ndim)
    return x.astype("float64").mean(axis=axes), x.astype("float64").var(axis=axes)


# -- oracle parity --------------------------------------------------------------------------
CASES = [
    ("bn_mode0_2d", {"mode": 0}, (7,)),
    ("bn_mode0_tf_4d", {"mode": 0, "axis": -1}, (9, 9, 3)),
    ("bn_mode0_th_4d", {"mode": 0, "axis": 1}, (3, 9, 9)),
    ("bn_mode1_2d", {"mode": 1}, (7,)),
    ("bn_mode2_2d", {"mode": 2}, (7,)),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case, kwargs, input_shape", CASES)
def test_oracle(case, kwargs, input_shape, backend, oracle):
    config.set_backend(backend)
    recorded = oracle(case, backend)
    x, weights, out = recorded.x, recorded.weights, recorded
    model = Sequential([BatchNormalization(input_shape=input_shape, **kwargs)])
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), out["y"], atol=1e-5, rtol=0)
    # the Keras-1 config, key for key
    keras1 = json.loads(str(out["meta"]))["config"][0]["config"]
    ours = json.loads(json.dumps(BatchNormalization(name=keras1["name"], input_shape=input_shape,
                                                    **kwargs).get_config()))
    assert ours == keras1


def test_oracle_matches_numpy_formulas(oracle):
    recorded = oracle("bn_mode0_th_4d", "theano")
    x, (gamma, beta, mean, var), out = recorded.x, recorded.weights, recorded
    np.testing.assert_allclose(np_bn(x, 1, gamma, beta, mean, var), out["y"], atol=1e-5)
    recorded = oracle("bn_mode1_2d", "theano")
    x, (gamma, beta, _, _), out = recorded.x, recorded.weights, recorded
    m, v = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(gamma * (x - m) / (np.sqrt(v + EPS) + EPS) + beta, out["y"], atol=1e-5)


# -- training phase -------------------------------------------------------------------------
@pytest.mark.parametrize("axis, shape", [(-1, (8, 5)), (1, (4, 3, 5, 6)), (-1, (4, 5, 6, 3)),
                                         (2, (4, 5, 3, 2))])
def test_training_forward_uses_batch_stats(axis, shape):
    x = np.random.uniform(-2, 3, size=shape).astype("float32")
    layer = BatchNormalization(axis=axis, batch_input_shape=(None,) + shape[1:])
    Sequential([layer])
    c = shape[axis]
    gamma, beta = np.random.uniform(0.5, 1.5, c), np.random.uniform(-1, 1, c)
    layer.set_weights([gamma, beta, np.zeros(c), np.ones(c)])
    layer.train()
    got = layer(torch.from_numpy(x)).detach().numpy()
    mean, var = batch_stats(x, axis)
    np.testing.assert_allclose(got, np_bn(x, axis, gamma, beta, mean, var), atol=1e-5)
    layer.eval()
    got = layer(torch.from_numpy(x)).detach().numpy()
    running = layer.get_weights()
    np.testing.assert_allclose(got, np_bn(x, axis, gamma, beta, running[2], running[3]), atol=1e-5)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("axis, shape", [(-1, (8, 5)), (1, (4, 3, 5, 6))])
def test_running_update_after_train_on_batch(backend, axis, shape):
    config.set_backend(backend)
    momentum = 0.9
    x = np.random.uniform(-2, 3, size=shape).astype("float32")
    layer = BatchNormalization(axis=axis, momentum=momentum, batch_input_shape=(None,) + shape[1:])
    model = Sequential([layer])
    c = shape[axis]
    rm0, rv0 = np.random.uniform(-1, 1, c), np.random.uniform(0.5, 1.5, c)
    layer.set_weights([np.ones(c), np.zeros(c), rm0, rv0])
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(x, np.zeros_like(x))
    mean, var = batch_stats(x, axis)
    fed = var + EPS if backend == "theano" else var  # Keras 1.2.2 on Theano stores var + epsilon
    _, _, rm, rv = layer.get_weights()
    np.testing.assert_allclose(rm, momentum * rm0 + (1 - momentum) * mean, atol=1e-6)
    np.testing.assert_allclose(rv, momentum * rv0 + (1 - momentum) * fed, atol=1e-6)
    # a second batch moves them again from the updated values
    model.train_on_batch(x, np.zeros_like(x))
    _, _, rm2, rv2 = layer.get_weights()
    np.testing.assert_allclose(rm2, momentum * rm + (1 - momentum) * mean, atol=1e-6)
    np.testing.assert_allclose(rv2, momentum * rv + (1 - momentum) * fed, atol=1e-6)


def test_theano_and_tf_differ_by_momentum_times_eps():
    x = np.random.uniform(-1, 1, size=(6, 4)).astype("float32")
    results = {}
    for backend in BACKENDS:
        config.set_backend(backend)
        model = Sequential([BatchNormalization(input_shape=(4,))])
        model.compile(optimizer="sgd", loss="mse")
        model.train_on_batch(x, np.zeros_like(x))
        results[backend] = model.get_weights()[3]
    np.testing.assert_allclose(results["theano"] - results["tensorflow"], 0.01 * EPS, atol=1e-7)


@pytest.mark.parametrize("mode", [1, 2])
def test_modes_1_2_never_update_running_stats(mode):
    x = np.random.uniform(-1, 1, size=(6, 4)).astype("float32")
    model = Sequential([BatchNormalization(mode=mode, input_shape=(4,))])
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(x, np.zeros_like(x))
    _, _, rm, rv = model.get_weights()
    np.testing.assert_array_equal(rm, np.zeros(4))
    np.testing.assert_array_equal(rv, np.ones(4))


def test_mode2_uses_batch_stats_at_test_time():
    x = np.random.uniform(-1, 3, size=(6, 4)).astype("float32")
    model = Sequential([BatchNormalization(mode=2, input_shape=(4,))])
    mean, var = batch_stats(x, -1)
    np.testing.assert_allclose(model.predict(x, batch_size=6),
                               np_bn(x, -1, np.ones(4), np.zeros(4), mean, var), atol=1e-5)


def test_gradients_flow_to_gamma_beta():
    x = np.random.uniform(-1, 1, size=(6, 4)).astype("float32")
    model = Sequential([Dense(4, input_dim=4), BatchNormalization()])
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()
    model.train_on_batch(x, np.ones_like(x))
    after = model.get_weights()
    assert not np.allclose(before[3], after[3])  # beta moved


# -- weights, harness, config -----------------------------------------------------------
def test_weights_layout():
    layer = BatchNormalization(axis=1, input_shape=(3, 5, 5))
    model = Sequential([layer, Dense(2)])
    assert layer.keras1_weight_names() == ["batchnormalization_1_gamma", "batchnormalization_1_beta",
                                           "batchnormalization_1_running_mean",
                                           "batchnormalization_1_running_std"]
    gamma, beta, rm, rv = layer.get_weights()
    np.testing.assert_array_equal(gamma, np.ones(3))
    np.testing.assert_array_equal(beta, np.zeros(3))
    np.testing.assert_array_equal(rm, np.zeros(3))
    np.testing.assert_array_equal(rv, np.ones(3))
    assert [p is layer.gamma or p is layer.beta for p in layer.trainable_weights] == [True, True]
    assert len(layer.non_trainable_weights) == 2
    assert set(dict(layer.named_buffers())) == {"running_mean", "running_std"}
    assert layer.count_params() == 12
    assert len(model.trainable_weights) == 4


@pytest.mark.parametrize("kwargs, input_shape", [
    ({}, (4, 5)),
    ({"mode": 0, "axis": 1}, (2, 3, 4, 4)),
    ({"mode": 1}, (3, 6)),
    ({"mode": 2, "momentum": 0.9, "epsilon": 1e-2}, (4, 6)),
    ({"gamma_init": "normal", "beta_init": "uniform", "gamma_regularizer": "l2"}, (4, 5)),
    ({"axis": 2}, (3, 2, 4, 5)),
])
def test_harness(kwargs, input_shape):
    x = np.random.uniform(-1, 1, size=input_shape).astype("float32")
    channels = input_shape[kwargs.get("axis", -1)]
    layer_test(BatchNormalization, kwargs=kwargs, input_data=x, expected_params=4 * channels)


def test_weights_argument():
    w = [np.full(3, 2.0), np.full(3, 0.5), np.full(3, 0.1), np.full(3, 4.0)]
    model = Sequential([BatchNormalization(weights=w, input_shape=(3,))])
    for got, want in zip(model.get_weights(), w):
        np.testing.assert_allclose(got, want)
    x = np.random.random((2, 3)).astype("float32")
    np.testing.assert_allclose(model.predict(x), 2 * (x - 0.1) / np.sqrt(4 + EPS) + 0.5, atol=1e-6)


def test_keras2_spellings():
    keras2 = BatchNormalization(beta_initializer="zeros", gamma_initializer="ones", name="b")
    keras1 = BatchNormalization(beta_init="zero", gamma_init="one", name="b")
    assert keras2.get_config() == keras1.get_config()
    assert "beta_init" not in keras1.get_config()
    custom = BatchNormalization(gamma_initializer="random_normal", name="b").get_config()
    assert custom["gamma_init"] == "normal"
    for arg in ("center", "scale"):
        with pytest.raises(TypeError, match="does not exist in Keras 1"):
            BatchNormalization(**{arg: True})


def test_errors():
    with pytest.raises(ValueError, match="mode"):
        BatchNormalization(mode=3)
    with pytest.raises(ValueError, match="axis=3 is out of range"):
        Sequential([BatchNormalization(axis=3, input_shape=(4, 5))])
    with pytest.raises(ValueError, match="must be known"):
        Sequential([BatchNormalization(axis=1, input_shape=(None, 5))])


def test_masks_pass_through():
    from keras_compat.layers.embeddings import Embedding
    model = Sequential([Embedding(5, 3, input_length=4, mask_zero=True), BatchNormalization()])
    assert model.predict(np.array([[0, 1, 2, 3]], "int32")).shape == (1, 4, 3)
