"""Advanced activation layers: harness runs, formulas, weight layout, config, errors."""
import json

import numpy as np
import pytest
import torch

from keras_compat._args.rules import ArgumentError
from keras_compat.backend import config
from keras_compat.layers.advanced_activations import (ELU, LeakyReLU, ParametricSoftplus, PReLU,
                                                      SReLU, ThresholdedReLU)
from keras_compat.layers.core import Masking
from keras_compat.models import Sequential
from keras_compat.testing.layer_test import layer_test


def _x(*shape):
    return np.random.uniform(-2, 2, shape).astype("float32")


# -- the harness in several configurations -------------------------------------------------
@pytest.mark.parametrize("alpha", [0.3, 0.0, 1.5])
def test_leaky_relu_harness(alpha):
    x = _x(4, 5)
    layer_test(LeakyReLU, {"alpha": alpha}, input_data=x,
               expected_output=np.where(x > 0, x, alpha * x))
    layer_test(LeakyReLU, {"alpha": alpha}, input_shape=(2, 3, 4))


@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu_harness(alpha):
    x = _x(4, 5)
    layer_test(ELU, {"alpha": alpha}, input_data=x,
               expected_output=np.where(x > 0, x, alpha * (np.exp(x) - 1)))
    layer_test(ELU, {"alpha": alpha}, input_shape=(2, 3, 4))


@pytest.mark.parametrize("theta", [1.0, 0.0, -0.5])
def test_thresholded_relu_harness(theta):
    x = _x(4, 5)
    layer_test(ThresholdedReLU, {"theta": theta}, input_data=x,
               expected_output=x * (x > np.float32(theta)))


@pytest.mark.parametrize("kwargs,input_shape,params", [
    ({}, (2, 6), 6),
    ({"shared_axes": [1]}, (2, 3, 5), 5),
    ({"shared_axes": [1, 2]}, (2, 4, 5, 3), 3),
    ({"shared_axes": 3, "init": "uniform"}, (2, 4, 5, 3), 20),
])
def test_prelu_harness(kwargs, input_shape, params):
    layer_test(PReLU, kwargs, input_shape=input_shape, expected_params=params)


@pytest.mark.parametrize("kwargs,input_shape,params", [
    ({}, (2, 6), 12),
    ({"alpha_init": 0.5, "beta_init": 2.0, "shared_axes": 2}, (2, 3, 4), 6),
    ({"shared_axes": [1, 2]}, (2, 3, 3, 2), 4),
])
def test_parametric_softplus_harness(kwargs, input_shape, params):
    layer_test(ParametricSoftplus, kwargs, input_shape=input_shape, expected_params=params)


@pytest.mark.parametrize("kwargs,input_shape,params", [
    ({}, (2, 6), 24),
    ({"shared_axes": [1]}, (2, 3, 5), 20),
    ({"shared_axes": [1, 2], "a_left_init": "zero", "t_right_init": "one"}, (2, 3, 3, 2), 8),
])
def test_srelu_harness(kwargs, input_shape, params):
    layer_test(SReLU, kwargs, input_shape=input_shape, expected_params=params)


# -- formulas --------------------------------------------------------------------------------
def test_prelu_formula_and_layout():
    x = _x(3, 4, 5, 2)
    layer = PReLU(shared_axes=[1, 2], input_shape=(4, 5, 2))
    model = Sequential([layer])
    assert [w.shape for w in layer.get_weights()] == [(1, 1, 2)]
    np.testing.assert_array_equal(layer.get_weights()[0], 0)  # init='zero'
    alphas = np.array([[[0.25, -0.5]]], dtype="float32")
    layer.set_weights([alphas])
    want = np.maximum(x, 0) + alphas * (x - np.abs(x)) / 2
    np.testing.assert_allclose(model.predict(x), want, rtol=1e-6, atol=1e-7)
    assert layer.keras1_weight_names() == ["prelu_1_alphas"]


def test_parametric_softplus_formula_and_initial_values():
    x = _x(3, 2, 4)
    layer = ParametricSoftplus(alpha_init=0.3, beta_init=4.0, shared_axes=1, input_shape=(2, 4))
    model = Sequential([layer])
    alphas, betas = layer.get_weights()
    assert alphas.shape == betas.shape == (1, 4)
    np.testing.assert_allclose(alphas, 0.3, rtol=1e-7)
    np.testing.assert_allclose(betas, 4.0)
    np.testing.assert_allclose(model.predict(x), 0.3 * np.log1p(np.exp(4.0 * x)), rtol=1e-5)


def _srelu_numpy(x, t_left, a_left, t_right, a_right, backend):
    t_r = t_left + np.abs(t_right)
    d = x - t_left
    left = a_left * d
    if backend == "theano":
        left = np.minimum(left, t_r - t_left)
    centre = np.where(d > 0, np.minimum(d, t_r - t_left), left)
    return t_left + centre + np.maximum(x - t_r, 0) * a_right


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_srelu_piecewise(backend):
    config.set_backend(backend)
    layer = SReLU(input_shape=(4,))
    model = Sequential([layer])
    weights = [np.array(w, "float32") for w in ([-0.5, 0.0, 0.2, -1.0], [0.1, -0.7, 0.3, 0.5],
                                                [1.0, -0.4, 0.6, 2.0], [2.0, 0.5, 1.0, 0.0])]
    layer.set_weights(weights)
    x = np.linspace(-3, 3, 40, dtype="float32").reshape(10, 4)
    got = model.predict(x)
    np.testing.assert_allclose(got, _srelu_numpy(x, *weights, backend), rtol=1e-6, atol=1e-6)
    # the centre region is the identity
    t_left, _, t_right, _ = weights
    inside = (x > t_left) & (x < t_left + np.abs(t_right))
    np.testing.assert_allclose(got[inside], x[inside], rtol=1e-6)


def test_srelu_initialisation_order_uses_numpy_rng():
    np.random.seed(3)
    layer = SReLU(input_shape=(3, 2))
    Sequential([layer])
    t_left, a_left, t_right, a_right = layer.get_weights()
    np.testing.assert_array_equal(t_left, 0)
    np.testing.assert_array_equal(a_right, 1)
    np.random.seed(3)
    limit = np.sqrt(6.0 / (3 + 2))  # glorot_uniform on the 2-D (3, 2) param: fans 3 and 2
    first = np.random.uniform(-limit, limit, (3, 2))
    second = np.random.uniform(-limit, limit, (3, 2))
    np.testing.assert_allclose(a_left, first, rtol=1e-6)
    np.testing.assert_allclose(t_right, second, rtol=1e-6)


def test_activations_support_masking():
    x = np.random.uniform(-1, 1, (2, 4, 3)).astype("float32")
    x[0, 3] = 0
    for layer in (LeakyReLU(), ELU(), ThresholdedReLU(0.1), PReLU(), ParametricSoftplus(),
                  SReLU()):
        model = Sequential([Masking(input_shape=(4, 3)), layer])
        assert model.predict(x).shape == x.shape


# -- config ----------------------------------------------------------------------------------
def test_configs_match_keras1(oracle):
    for case, build in (("srelu", lambda: SReLU(input_shape=(3, 5))),
                        ("parametric_softplus",
                         lambda: ParametricSoftplus(alpha_init=0.5, beta_init=2.0,
                                                    input_shape=(3, 4))),
                        ("prelu_shared_4d", lambda: PReLU(input_shape=(4, 5, 3)))):
        meta = oracle(case, "theano").meta
        want = dict(meta["config"][0]["config"])
        got = json.loads(json.dumps(build().get_config()))
        want.pop("name")
        got.pop("name")
        assert got == want, case


def test_float32_values_in_config_and_shared_axes_kept():
    assert ELU(alpha=0.3).get_config()["alpha"] == float(np.float32(0.3))
    assert ThresholdedReLU(theta=0.2).get_config()["theta"] == float(np.float32(0.2))
    assert LeakyReLU(alpha=0.2).get_config()["alpha"] == 0.2
    config_ = PReLU(shared_axes=[1, 2]).get_config()
    assert config_["shared_axes"] == [1, 2] and config_["init"] == "zero"
    assert "shared_axes" not in PReLU().get_config()
    assert SReLU(shared_axes=1).get_config()["shared_axes"] == [1]


def test_keras2_spelling_for_prelu():
    layer = PReLU(alpha_initializer="ones", input_shape=(3,))
    Sequential([layer])
    np.testing.assert_array_equal(layer.get_weights()[0], 1)


# -- errors ----------------------------------------------------------------------------------
def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="PReLU: shared_axes"):
        PReLU(shared_axes=[0])
    with pytest.raises(ValueError, match="SReLU: shared_axes"):
        SReLU(shared_axes="1")
    with pytest.raises(ValueError, match="LeakyReLU: alpha"):
        LeakyReLU(alpha="big")
    with pytest.raises(ValueError, match="ELU: alpha"):
        ELU(alpha=None)
    with pytest.raises(ValueError, match="ThresholdedReLU: theta"):
        ThresholdedReLU(theta=[1])
    with pytest.raises(ValueError, match="ParametricSoftplus: beta_init"):
        ParametricSoftplus(beta_init="x")
    with pytest.raises(ArgumentError, match="LeakyReLU"):
        LeakyReLU(slope=0.1)


def test_unknown_or_missing_axes_are_clear_errors():
    with pytest.raises(ValueError, match="shared axis 3 does not exist"):
        Sequential([PReLU(shared_axes=3, input_shape=(4, 5))])
    with pytest.raises(ValueError, match="non-shared input dimension"):
        Sequential([PReLU(input_shape=(None, 5))])
    layer = PReLU(shared_axes=1, input_shape=(None, 5))  # a shared unknown axis is fine
    model = Sequential([layer])
    assert model.predict(np.ones((2, 7, 5), "float32")).shape == (2, 7, 5)


def test_prelu_trains():
    layer = PReLU(input_shape=(4,))
    model = Sequential([layer])
    model.compile(optimizer="sgd", loss="mse")
    x = -np.ones((8, 4), "float32")
    model.train_on_batch(x, -np.ones((8, 4), "float32"))
    assert np.all(layer.get_weights()[0] > 0)  # alphas move towards 1 for negative inputs
    assert torch.is_tensor(layer.alphas) and layer.alphas.requires_grad
