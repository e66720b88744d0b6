"""The bookkeeping attributes Keras-1 code reads on layers (``losses``, ``updates``,
``constraints``, ``input_spec``, ``stateful``, ``uses_learning_phase``, ``supports_masking``,
``trainable``, ``inbound_nodes``, the deprecated ``regularizers``), against the values REAL
Keras 1.2.2 had after calling each layer once on an ``Input``
(tests/data/oracle/layer_attributes.json, made by tools/oracle_cases/layer_attributes_cases.py)."""
import warnings

import pytest

from keras_compat import layers as L
from keras_compat.backend import config
from keras_compat.engine.input_layer import Input

import reference_data

CASES = reference_data.load_json("oracle", "layer_attributes.json")["cases"]

pytestmark = pytest.mark.filterwarnings("ignore:`TimeDistributedDense` is deprecated")


# Deliberate differences: ConvLSTM2D here accepts and propagates masks (Keras 1's refused them).
DIFFERENT = {("conv_lstm2d", "supports_masking")}


def build(case):
    config.set_image_dim_ordering("tf")
    if "inner" in case:
        inner_cls, inner_kwargs = case["inner"]
        layer = getattr(L, case["class"])(getattr(L, inner_cls)(**inner_kwargs))
    else:
        layer = getattr(L, case["class"])(**case["kwargs"])
    layer(Input(shape=tuple(case["input_shape"]), dtype=case["input_dtype"]))
    return layer


def optional(layer, name):
    return getattr(layer, name) if hasattr(layer, name) else None


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_layer_attributes_match_keras1(case):
    layer = build(case)
    expected = case["attributes"]
    assert len(layer.losses) == expected["losses"]
    updates = optional(layer, "updates")
    assert (None if updates is None else len(updates)) == expected["updates"]
    for name in ("stateful", "uses_learning_phase", "supports_masking", "trainable"):
        if (case["case"], name) in DIFFERENT:
            assert optional(layer, name) != expected[name], "no longer different: update DIFFERENT"
            continue
        assert optional(layer, name) == expected[name], name
    spec = layer.input_spec
    got_spec = None if spec is None else [
        {"dtype": s.dtype, "ndim": s.ndim, "shape": None if s.shape is None else list(s.shape)}
        for s in spec]
    assert got_spec == expected["input_spec"]
    assert len(layer.inbound_nodes) == expected["inbound_nodes"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert layer.regularizers == expected["regularizers"]
    assert [(w.category.__name__, str(w.message)) for w in caught] == \
        [tuple(w) for w in expected["regularizers_warning"]]


def test_activity_penalty_is_the_last_batch_penalty_once_data_has_flowed():
    import numpy as np
    import torch
    case = next(c for c in CASES if c["case"] == "dense_regularized")
    layer = build(case)
    assert float(layer.losses[-1]) == 0.0  # placeholder until data flows
    layer(torch.ones(2, 4))
    assert len(layer.losses) == case["attributes"]["losses"]
    assert all(loss.dim() == 0 for loss in layer.losses)
    np.testing.assert_allclose(float(layer.losses[-1]),
                               0.01 * float((layer(torch.ones(2, 4)) ** 2).sum()), rtol=1e-6)


def test_add_loss_and_add_update_extend_the_lists():
    layer = build(CASES[0])
    assert not hasattr(layer, "updates")
    layer.add_loss([torch_scalar(2.0)])
    layer.add_update([("a", "b")])
    assert len(layer.losses) == 1 and layer.updates == [("a", "b")]


def torch_scalar(value):
    import torch
    return torch.tensor(value)


def test_model_losses_list_each_layers_losses_right_after_compile():
    """Keras 1.2.2's test_regularizers: one loss per weight or activity regularizer."""
    from keras_compat.layers import Activation, Dense
    from keras_compat.models import Sequential
    for kwargs in ({"W_regularizer": "l2"}, {"activity_regularizer": "activity_l1"}):
        model = Sequential([Dense(5, input_shape=(4,)), Activation("relu"), Dense(3, **kwargs)])
        model.compile("rmsprop", "categorical_crossentropy")
        assert len(model.losses) == 1


def test_model_updates_list_the_batchnorm_updates_once_per_layer():
    """Keras 1.2.2's test_shared_batchnorm: a model over a BN layer has its 2 updates."""
    from keras_compat.engine.input_layer import Input
    from keras_compat.layers import BatchNormalization, Dense
    from keras_compat.models import Model
    bn = BatchNormalization(input_shape=(10,), mode=0)
    bn(Input(shape=(10,)))
    x2 = Input(shape=(10,))
    model = Model(x2, bn(x2))
    assert len(model.updates) == 2
    x3 = Input(shape=(10,))
    assert len(Model(x3, Dense(2)(x3)).updates) == 0


def test_get_updates_for_and_get_losses_for_as_keras1():
    """Keras 1.2.2 test_topology: conditional updates/losses are looked up by their inputs."""
    from keras_compat.engine.input_layer import Input
    from keras_compat.layers import Dense
    a = Input(shape=(2,))
    layer = Dense(1)
    layer.add_update(0, inputs=a)
    layer.add_update(1, inputs=None)
    layer.add_loss(2, inputs=a)
    layer.add_loss(3, inputs=None)
    assert layer.get_updates_for(a) == [0] and layer.get_updates_for(None) == [1]
    assert layer.get_losses_for(a) == [2] and layer.get_losses_for(None) == [3]
    assert layer.updates == [0, 1] and layer.losses == [2, 3]
