"""Masking, Highway, MaxoutDense, TimeDistributedDense, ActivityRegularization, SpatialDropout."""
import json

import numpy as np
import pytest
import torch

from keras_compat import regularizers
from keras_compat._args.rules import ArgumentError
from keras_compat.layers.core import (ActivityRegularization, Highway, Masking, MaxoutDense,
                                      SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
                                      TimeDistributedDense)
from keras_compat.layers.recurrent import LSTM
from keras_compat.models import Sequential
from keras_compat.testing.layer_test import layer_test

import reference_data

pytestmark = pytest.mark.filterwarnings("ignore:`TimeDistributedDense` is deprecated")


def keras1_config(case, index):
    meta = reference_data.oracle(case, "theano").meta
    config = dict(meta["config"][index]["config"])
    config.pop("name")
    return config


def our_config(layer):
    config = json.loads(json.dumps(layer.get_config()))
    config.pop("name")
    return config


# -- Masking ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mask_value", [0.0, 0.5, -1.0])
def test_masking_harness(mask_value):
    x = np.random.uniform(-1, 1, (3, 5, 4)).astype("float32")
    x[0, 2] = mask_value
    x[2, 3:] = mask_value
    want = x * np.any(x != mask_value, axis=-1, keepdims=True)
    layer_test(Masking, {"mask_value": mask_value}, input_data=x, expected_output=want)


def test_masking_mask_and_flow():
    x = np.random.uniform(-1, 1, (2, 4, 3)).astype("float32")
    x[0, 1] = 0.5
    x[1, 0, :2] = 0.5  # partially equal: kept
    layer = Masking(mask_value=0.5, input_shape=(4, 3))
    model = Sequential([layer, LSTM(2)])
    assert layer.output_has_mask(False)
    mask = layer.compute_mask(torch.from_numpy(x))
    np.testing.assert_array_equal(mask.numpy(), [[True, False, True, True], [True] * 4])
    out = model.predict(x)
    # a masked step leaves the LSTM state untouched: dropping it gives the same output
    dropped = Sequential([LSTM(2, input_shape=(3, 3))])
    dropped.set_weights(model.layers[1].get_weights())
    np.testing.assert_allclose(dropped.predict(x[:1, [0, 2, 3]]), out[:1], rtol=1e-5, atol=1e-6)
    assert our_config(layer) == keras1_config("masking_value", 0) | {
        "batch_input_shape": [None, 4, 3]}


def test_masking_errors():
    with pytest.raises(ValueError, match="Masking: mask_value"):
        Masking(mask_value="pad")
    with pytest.raises(ValueError, match="expected ndim>=2"):
        Sequential([Masking(batch_input_shape=(None,))])


# -- Highway ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, {"activation": "relu"}, {"bias": False},
                                    {"activation": "tanh", "init": "he_normal",
                                     "W_regularizer": "l2", "b_constraint": "maxnorm"}])
def test_highway_harness(kwargs):
    n_weights = 2 if kwargs.get("bias") is False else 4
    layer_test(Highway, kwargs, input_shape=(3, 5), expected_params=50 if n_weights == 2 else 60)


def test_highway_formula_layout_and_init():
    np.random.seed(1)
    layer = Highway(activation="tanh", input_dim=4)
    model = Sequential([layer])
    W, W_carry, b, b_carry = layer.get_weights()
    assert [w.shape for w in (W, W_carry, b, b_carry)] == [(4, 4), (4, 4), (4,), (4,)]
    np.testing.assert_array_equal(b, 0)
    np.testing.assert_array_equal(b_carry, 1)  # Keras 1.2.2 starts the gate bias at 1
    np.random.seed(1)
    limit = np.sqrt(6.0 / 8)
    np.testing.assert_allclose(W, np.random.uniform(-limit, limit, (4, 4)), rtol=1e-6)
    np.testing.assert_allclose(W_carry, np.random.uniform(-limit, limit, (4, 4)), rtol=1e-6)
    assert layer.keras1_weight_names() == ["highway_1_W", "highway_1_W_carry", "highway_1_b",
                                           "highway_1_b_carry"]
    b = np.random.uniform(-1, 1, 4).astype("float32")
    b_carry = np.random.uniform(-1, 1, 4).astype("float32")
    layer.set_weights([W, W_carry, b, b_carry])
    x = np.random.uniform(-1, 1, (3, 4)).astype("float32")
    t = 1 / (1 + np.exp(-(x @ W_carry + b_carry)))
    want = np.tanh(x @ W + b) * t + (1 - t) * x
    np.testing.assert_allclose(model.predict(x), want, rtol=1e-5, atol=1e-6)


def test_highway_config_matches_keras1_and_transform_bias_is_deprecated():
    layer = Highway(activation="relu", input_shape=(7,))
    Sequential([layer])
    assert our_config(layer) == keras1_config("highway_maxout", 0)
    with pytest.warns(UserWarning, match="transform_bias"):
        legacy = Highway(transform_bias=-2, input_dim=3)
    assert "transform_bias" not in legacy.get_config()
    Sequential([legacy])
    np.testing.assert_array_equal(legacy.get_weights()[3], 1)


def test_highway_regularizers_only_on_W_and_b():
    layer = Highway(input_dim=3, W_regularizer=regularizers.l2(0.1),
                    b_regularizer=regularizers.l1(0.1))
    Sequential([layer])
    W, W_carry, b, b_carry = layer.get_weights()
    total = sum(float(p.detach()) for p in layer.regularization_losses())
    np.testing.assert_allclose(total, 0.1 * np.sum(W ** 2) + 0.1 * np.sum(np.abs(b)), rtol=1e-5)


def test_highway_errors():
    with pytest.raises(ValueError, match="expected ndim=2"):
        Sequential([Highway(input_shape=(3, 4))])
    with pytest.raises(ArgumentError, match="Highway"):
        Highway(output_dim=3)


# -- MaxoutDense -----------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,params", [
    ({"output_dim": 3}, 4 * 5 * 3 + 4 * 3),
    ({"output_dim": 2, "nb_feature": 1}, 5 * 2 + 2),
    ({"output_dim": 4, "nb_feature": 3, "bias": False, "W_constraint": "maxnorm"}, 3 * 5 * 4),
    ({"units": 2, "nb_feature": 2, "kernel_regularizer": "l1"}, 2 * 5 * 2 + 2 * 2),
])
def test_maxout_dense_harness(kwargs, params):
    layer_test(MaxoutDense, kwargs, input_shape=(3, 5), expected_params=params)


def test_maxout_dense_formula_and_layout():
    layer = MaxoutDense(4, nb_feature=3, input_dim=5)
    model = Sequential([layer])
    W = np.random.uniform(-1, 1, (3, 5, 4)).astype("float32")
    b = np.random.uniform(-1, 1, (3, 4)).astype("float32")
    layer.set_weights([W, b])
    np.testing.assert_array_equal(layer.get_weights()[0], W)
    np.testing.assert_array_equal(layer.get_weights()[1], b)
    x = np.random.uniform(-1, 1, (6, 5)).astype("float32")
    want = np.max(np.einsum("ni,kio->nko", x, W) + b, axis=1)
    np.testing.assert_allclose(model.predict(x), want, rtol=1e-5, atol=1e-6)
    assert our_config(layer) | {"batch_input_shape": None} == keras1_config(
        "highway_maxout", 1) | {"output_dim": 4, "batch_input_shape": None, "input_dim": 5,
                                "input_dtype": "float32"}


def test_maxout_dense_glorot_on_the_3d_shape():
    np.random.seed(5)
    layer = MaxoutDense(2, nb_feature=3, input_dim=4)
    Sequential([layer])
    np.random.seed(5)
    fan = np.sqrt(3 * 4 * 2)
    limit = np.sqrt(6.0 / (2 * fan))
    np.testing.assert_allclose(layer.get_weights()[0],
                               np.random.uniform(-limit, limit, (3, 4, 2)), rtol=1e-6)


def test_maxout_dense_constraint_in_keras_layout():
    from keras_compat import constraints
    layer = MaxoutDense(2, nb_feature=2, input_dim=3, W_constraint=constraints.nonneg())
    Sequential([layer])
    W = np.random.uniform(-1, 1, (2, 3, 2)).astype("float32")
    layer.set_weights([W, np.zeros((2, 2), "float32")])
    for param, fn in layer.constraints().items():
        with torch.no_grad():
            param.copy_(fn(param))
    np.testing.assert_array_equal(layer.get_weights()[0], W * (W >= 0))


def test_maxout_dense_errors():
    with pytest.raises(ValueError, match="MaxoutDense: nb_feature"):
        MaxoutDense(3, nb_feature=0)
    with pytest.raises(ValueError, match="MaxoutDense: output_dim"):
        MaxoutDense(-1)
    with pytest.raises(ValueError, match="expected ndim=2"):
        Sequential([MaxoutDense(3, input_shape=(3, 4))])


# -- TimeDistributedDense --------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{"output_dim": 3}, {"output_dim": 2, "activation": "relu"},
                                    {"output_dim": 4, "bias": False, "W_regularizer": "l2"}])
def test_time_distributed_dense_harness(kwargs):
    layer_test(TimeDistributedDense, kwargs, input_shape=(2, 4, 5))


def test_time_distributed_dense_equals_dense_per_step_and_keeps_mask():
    with pytest.warns(UserWarning, match="TimeDistributedDense"):
        layer = TimeDistributedDense(3, activation="tanh", input_dim=5, input_length=4)
    assert layer.batch_input_shape == (None, 4, 5)
    model = Sequential([layer])
    W, b = layer.get_weights()
    assert W.shape == (5, 3) and b.shape == (3,)
    x = np.random.uniform(-1, 1, (2, 4, 5)).astype("float32")
    np.testing.assert_allclose(model.predict(x), np.tanh(x @ W + b), rtol=1e-5, atol=1e-6)
    mask = torch.tensor([[True, False, True, True]] * 2)
    assert layer.compute_mask(torch.from_numpy(x), mask) is mask
    assert layer.output_has_mask(True)
    assert our_config(layer) == keras1_config("time_distributed_dense", 1) | {
        "output_dim": 3, "activation": "tanh", "input_dim": 5, "input_length": 4,
        "batch_input_shape": [None, 4, 5], "input_dtype": "float32"}
    # any number of timesteps, as Dense on 3D input
    free = Sequential([TimeDistributedDense(2, input_shape=(None, 5))])
    assert free.predict(np.ones((2, 7, 5), "float32")).shape == (2, 7, 2)


def test_time_distributed_dense_errors():
    with pytest.raises(ValueError, match="expected ndim=3"):
        Sequential([TimeDistributedDense(3, input_shape=(5,))])
    with pytest.raises(ValueError, match="TimeDistributedDense: output_dim"):
        TimeDistributedDense(0)


# -- ActivityRegularization ------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, {"l1": 0.01}, {"l1": 0.01, "l2": 0.1}])
@pytest.mark.parametrize("input_shape", [(3, 4), (2, 3, 4)])
def test_activity_regularization_harness(kwargs, input_shape):
    x = np.random.uniform(-1, 1, input_shape).astype("float32")
    layer_test(ActivityRegularization, kwargs, input_data=x, expected_output=x)


def test_activity_regularization_penalty():
    layer = ActivityRegularization(l1=0.1, l2=0.2)
    x = torch.tensor([[1.0, -2.0], [0.5, 0.0]])
    for training in (True, False):
        layer.train(training)
        assert torch.equal(layer(x), x)
        (penalty,) = layer.regularization_losses()
        np.testing.assert_allclose(float(penalty), 0.1 * 3.5 + 0.2 * 5.25, rtol=1e-6)
    assert layer.get_config()["l1"] == 0.1 and layer.get_config()["l2"] == 0.2
    assert layer.supports_masking


def test_activity_regularization_errors():
    with pytest.raises(ValueError, match="ActivityRegularization: l1"):
        ActivityRegularization(l1=-1)
    with pytest.raises(ValueError, match="ActivityRegularization: l2"):
        ActivityRegularization(l2="x")


# -- SpatialDropout --------------------------------------------------------------------------
@pytest.mark.parametrize("cls,kwargs,input_shape", [
    (SpatialDropout1D, {"p": 0.5}, (2, 5, 4)),
    (SpatialDropout1D, {"p": 0.0}, (2, 5, 4)),
    (SpatialDropout2D, {"p": 0.3, "dim_ordering": "th"}, (2, 3, 4, 4)),
    (SpatialDropout2D, {"p": 0.3, "dim_ordering": "tf"}, (2, 4, 4, 3)),
    (SpatialDropout3D, {"p": 0.2, "dim_ordering": "th"}, (2, 3, 2, 2, 2)),
    (SpatialDropout3D, {"p": 0.2, "dim_ordering": "tf"}, (2, 2, 2, 2, 3)),
])
def test_spatial_dropout_harness(cls, kwargs, input_shape):
    x = np.random.uniform(-1, 1, input_shape).astype("float32")
    layer_test(cls, kwargs, input_data=x, expected_output=x)


@pytest.mark.parametrize("cls,kwargs,shape,channel_axis", [
    (SpatialDropout1D, {}, (64, 7, 16), 2),
    (SpatialDropout2D, {"dim_ordering": "th"}, (64, 16, 5, 6), 1),
    (SpatialDropout2D, {"dim_ordering": "tf"}, (64, 5, 6, 16), 3),
    (SpatialDropout3D, {"dim_ordering": "th"}, (32, 16, 3, 4, 2), 1),
    (SpatialDropout3D, {"dim_ordering": "tf"}, (32, 3, 4, 2, 16), 4),
])
def test_spatial_dropout_drops_whole_feature_maps(cls, kwargs, shape, channel_axis):
    layer = cls(0.4, **kwargs)
    layer.train()
    x = torch.ones(shape)
    y = layer(x)
    values = np.unique(y.numpy())
    assert len(values) == 2 and values[0] == 0
    np.testing.assert_allclose(values[1], 1 / 0.6, rtol=1e-6)
    # constant over every non-(sample, channel) axis
    other = tuple(a for a in range(1, len(shape)) if a != channel_axis)
    per_map = y.amax(dim=other)
    assert torch.equal(y.amin(dim=other), per_map)
    dropped = float((per_map == 0).float().mean())
    assert 0.3 < dropped < 0.5
    layer.eval()
    assert torch.equal(layer(x), x)


def test_spatial_dropout_config_aliases_and_default_ordering():
    from keras_compat.backend import config
    config.set_image_dim_ordering("th")
    layer = SpatialDropout2D(0.5)
    assert layer.dim_ordering == "th"
    config.set_image_dim_ordering("tf")
    assert layer.get_config()["dim_ordering"] == "th"  # resolved at construction
    assert SpatialDropout2D(rate=0.2, data_format="channels_first").dim_ordering == "th"
    assert SpatialDropout3D(rate=0.2, data_format="channels_last").dim_ordering == "tf"
    assert SpatialDropout1D(rate=0.25).p == 0.25
    assert our_config(SpatialDropout1D(0.5, input_shape=(5, 4))) == keras1_config(
        "noise_test_phase", 0)
    from keras_compat.layers.core import Dropout
    assert isinstance(SpatialDropout2D(0.1), Dropout)
    assert not isinstance(SpatialDropout3D(0.1), SpatialDropout2D)


def test_spatial_dropout_errors():
    with pytest.raises(ValueError, match="SpatialDropout2D: p"):
        SpatialDropout2D(1.5)
    with pytest.raises(ValueError, match="SpatialDropout1D: p"):
        SpatialDropout1D("half")
    with pytest.raises(ValueError, match="SpatialDropout3D: dim_ordering"):
        SpatialDropout3D(0.1, dim_ordering="channels_middle")
    with pytest.raises(ValueError, match="expected ndim=4"):
        Sequential([SpatialDropout2D(0.1, input_shape=(3, 4))])
    with pytest.raises(ValueError, match="expected ndim=3"):
        Sequential([SpatialDropout1D(0.1, input_shape=(3, 4, 5))])
