"""Keras-1 weight attributes (``layer.W``, ``layer.gamma``, ``layer.W_i``) against the table
recorded from REAL Keras 1.2.2 by tools/oracle_cases/layer_attributes_cases.py
(tests/data/oracle/layer_attributes.json): every attribute that held a weight variable there
exists here, reads as ``get_weights()[index]`` through ``K.get_value`` and writes the layer
through ``K.set_value`` (and Theano's ``.get_value()``/``.set_value()``)."""

import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat import layers as L
from keras_compat.backend import config
from keras_compat.engine.input_layer import Input

import reference_data

CASES = reference_data.load_json("oracle", "layer_attributes.json")["cases"]

pytestmark = pytest.mark.filterwarnings("ignore:`TimeDistributedDense` is deprecated")

# ConvLSTM2D keeps its per-gate kernels under the Keras-1 names in torch layout; with 'tf'
# ordering the attribute is therefore the torch-layout tensor (get_weights() is Keras layout).
TORCH_LAYOUT_ATTRIBUTES = {"conv_lstm2d"}


def build(case):
    config.set_image_dim_ordering("tf")
    if "inner" in case:
        inner_cls, inner_kwargs = case["inner"]
        layer = getattr(L, case["class"])(getattr(L, inner_cls)(**inner_kwargs))
    else:
        layer = getattr(L, case["class"])(**case["kwargs"])
    layer(Input(shape=tuple(case["input_shape"]), dtype=case["input_dtype"]))
    return layer


def weight_cases():
    return [pytest.param(c, id=c["case"]) for c in CASES if c["weight_attributes"]
            and c["case"] not in TORCH_LAYOUT_ATTRIBUTES]


@pytest.mark.parametrize("case", weight_cases())
def test_weight_attribute_reads_as_get_weights(case):
    layer = build(case)
    weights = layer.get_weights()
    assert len(weights) == len(case["weight_attributes"])
    for name, (index, shape) in case["weight_attributes"].items():
        value = K.get_value(getattr(layer, name))
        assert value.shape == tuple(shape), name
        np.testing.assert_array_equal(value, weights[index], err_msg=name)


@pytest.mark.parametrize("case", weight_cases())
def test_weight_attribute_set_value_changes_the_layer(case):
    layer = build(case)
    rng = np.random.RandomState(3)
    for name, (index, shape) in case["weight_attributes"].items():
        new = rng.uniform(-1, 1, shape).astype("float32")
        K.set_value(getattr(layer, name), new)
        np.testing.assert_array_equal(layer.get_weights()[index], new, err_msg=name)
        np.testing.assert_array_equal(K.get_value(getattr(layer, name)), new)


def test_set_value_with_the_wrong_shape_names_layer_and_weight_and_changes_nothing():
    layer = build(CASES[0])
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"Layer dense_\d+: weight W has shape \(4, 3\), but the "
                                         r"value has shape \(3, 4\)"):
        K.set_value(layer.W, np.zeros((3, 4)))
    for old, new in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_theano_style_value_methods_on_a_transposed_weight():
    layer = build(CASES[0])
    np.testing.assert_array_equal(layer.W.get_value(), layer.get_weights()[0])
    layer.W.set_value(np.ones((4, 3), "float32"))
    np.testing.assert_array_equal(layer.get_weights()[0], np.ones((4, 3)))


def test_weight_attribute_is_differentiable_and_live():
    layer = build(CASES[0])
    penalty = (layer.W ** 2).sum()
    penalty.backward()
    assert layer.weight.grad is not None
    with torch.no_grad():
        layer.weight.add_(1.0)
    np.testing.assert_array_equal(K.get_value(layer.W), layer.get_weights()[0])


def test_missing_weight_attribute_still_raises_attribute_error():
    layer = build(CASES[2])  # Dense(bias=False): Keras 1 had no ``b``
    assert not hasattr(layer, "b")
    with pytest.raises(AttributeError):
        layer.U


@pytest.mark.parametrize("case", weight_cases())
def test_assigning_a_weight_attribute_writes_the_trained_parameter(case):
    layer = build(case)
    params_before = [id(p) for p in layer.parameters()]
    rng = np.random.RandomState(5)
    for name, (index, shape) in case["weight_attributes"].items():
        new = rng.uniform(-1, 1, shape).astype("float32")
        setattr(layer, name, K.variable(new))
        np.testing.assert_array_equal(layer.get_weights()[index], new, err_msg=name)
        setattr(layer, name, new + 1)
        np.testing.assert_array_equal(K.get_value(getattr(layer, name)), new + 1, err_msg=name)
    assert [id(p) for p in layer.parameters()] == params_before
