"""Sequential as a functional chain, the model attributes 2016 code reads (issue 11 item 3).

Reference: tests/data/models/model_attributes_keras1.json, written by
tools/oracle_cases/model_attributes_cases.py under real Keras 1.2.2 (TensorFlow backend).
"""
import warnings

import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat.constraints import maxnorm
from keras_compat.layers import LSTM, Activation, Dense, Dropout, Input, Merge, merge
from keras_compat.models import Model, Sequential
from keras_compat.regularizers import l2

import reference_data

ORACLE = reference_data.load_json("models", "model_attributes_keras1.json")


def _sequential(stateful=False):
    model = Sequential(name="seq")
    if stateful:
        model.add(LSTM(3, batch_input_shape=(2, 4, 3), stateful=True, name="lstm"))
    else:
        model.add(Dense(4, input_dim=3, name="d1", W_constraint=maxnorm(2)))
    model.add(Dropout(0.5, name="drop"))
    model.add(Dense(2, activation="softmax", W_regularizer=l2(0.01), name="d2"))
    return model


def _functional():
    a = Input(shape=(3,), name="in_a")
    b = Input(shape=(5,), name="in_b")
    h = merge([Dense(4, name="da", W_constraint=maxnorm(2))(a), Dense(4, name="db")(b)],
              mode="concat", name="cat")
    h = Dropout(0.5, name="drop")(h)
    o1 = Dense(2, activation="softmax", W_regularizer=l2(0.01), name="out1")(h)
    o2 = Dense(1, name="out2")(h)
    return Model(input=[a, b], output=[o1, o2], name="fun")


def _tensor(t):
    layer, node_index, tensor_index = t._keras_history
    return "tensor:%s[%d][%d]" % (layer.name, node_index, tensor_index)


def _describe(model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regularizers = model.regularizers
    return {
        "inputs": [_tensor(t) for t in model.inputs],
        "outputs": [_tensor(t) for t in model.outputs],
        "input_names": model.input_names, "output_names": model.output_names,
        "input_layers": ["layer:" + l.name for l in model.input_layers],
        "output_layers": ["layer:" + l.name for l in model.output_layers],
        "layers": ["layer:" + l.name for l in model.layers],
        "uses_learning_phase": model.uses_learning_phase, "stateful": model.stateful,
        "state_updates": len(model.state_updates), "updates": len(model.updates),
        "losses": len(model.losses), "regularizers": regularizers,
        "constraints": len(model.constraints),
    }


def _expected(entry):
    return {
        "inputs": entry["inputs"]["items"], "outputs": entry["outputs"]["items"],
        "input_names": entry["input_names"]["items"],
        "output_names": entry["output_names"]["items"],
        "input_layers": entry["input_layers"]["items"],
        "output_layers": entry["output_layers"]["items"],
        "layers": entry["layers"]["items"],
        "uses_learning_phase": entry["uses_learning_phase"]["value"],
        "stateful": entry["stateful"]["value"],
        "state_updates": len(entry["state_updates"]["items"]),
        "updates": len(entry["updates"]["items"]), "losses": len(entry["losses"]["items"]),
        "regularizers": entry["regularizers"]["items"],
        "constraints": len(entry["constraints"]["keys"]),
    }


@pytest.mark.parametrize("case, build", [("sequential_compiled", _sequential),
                                         ("sequential_stateful_compiled",
                                          lambda: _sequential(stateful=True)),
                                         ("model_compiled", _functional)])
def test_model_attributes_match_keras1(case, build):
    entry = ORACLE[case]
    model = build()
    loss = "categorical_crossentropy" if case.startswith("sequential") else [
        "categorical_crossentropy", "mse"]
    metrics = {"sequential_compiled": ["accuracy"], "sequential_stateful_compiled": None,
               "model_compiled": ["accuracy", "mae"]}[case]
    model.compile(loss=loss, optimizer="sgd", metrics=metrics)
    assert _describe(model) == _expected(entry)
    assert model.metrics == (entry["metrics"].get("items") if "items" in entry["metrics"] else None)
    assert model.metrics_names == entry["metrics_names"]["items"]
    assert model.flattened_layers == model.layers


def test_metrics_before_compile_is_missing_as_in_keras1():
    model = _sequential()
    assert "error" in ORACLE["sequential_built"]["metrics"]
    with pytest.raises(AttributeError):
        model.metrics
    with pytest.raises(AttributeError):
        model.total_loss


def test_sequential_model_is_the_inner_functional_model():
    entry = ORACLE["sequential_compiled"]["model"]
    model = _sequential()
    inner = model.model
    assert isinstance(inner, Model)
    assert inner.name == entry["value"] == "seq_model"
    assert [l.name for l in inner.layers] == entry["layers"]
    assert inner is model.model  # kept while the chain does not change
    x = np.random.rand(4, 3).astype("float32")
    np.testing.assert_allclose(inner.predict(x), model.predict(x), rtol=1e-6)
    assert inner.get_weights()[0] is not None and len(inner.get_weights()) == 4
    model.pop()
    assert model.model is not inner and model.model.layers[-1].name == "drop"


def test_layer_input_and_output_right_after_add():
    model = Sequential()
    model.add(Dense(4, input_dim=3, name="first"))
    assert model.layers[0].input is model.input
    assert model.layers[0].output is model.output
    assert model.input._keras_shape == (None, 3)
    model.add(Dense(2, name="second"))
    assert model.layers[1].input is model.layers[0].output
    assert model.output is model.layers[1].output
    assert model.inputs == [model.input] and model.outputs == [model.output]
    assert model.input_names == ["dense_input_1"] and model.output_names == ["second"]
    model.pop()
    assert model.output is model.layers[0].output
    assert model.layers[0].outbound_nodes == []


def test_keras_faq_intermediate_output_recipe():
    model = Sequential()
    model.add(Dense(6, input_dim=4, name="d1"))
    model.add(Activation("relu"))
    model.add(Dropout(0.5))
    model.add(Dense(5, name="d2"))
    model.add(Dense(2))
    get_3rd_layer_output = K.function([model.layers[0].input, K.learning_phase()],
                                      [model.layers[3].output])
    x = np.random.rand(8, 4).astype("float32")
    test_phase = get_3rd_layer_output([x, 0])[0]
    hidden = Model(model.input, model.layers[3].output)
    np.testing.assert_allclose(test_phase, hidden.predict(x), rtol=1e-5)
    train_phase = get_3rd_layer_output([x, 1])[0]  # dropout active
    assert test_phase.shape == train_phase.shape == (8, 5)
    assert not np.allclose(test_phase, train_phase)
    assert model.training  # the function restores the modules' own mode


def test_torch_jit_trace_matches_predict():
    seq = Sequential()
    seq.add(Dense(5, input_dim=3, activation="tanh"))
    seq.add(Dropout(0.3))
    seq.add(Dense(2, activation="softmax"))
    a = Input(shape=(3,))
    fun = Model(a, Dense(2)(Dense(4, activation="relu")(a)))
    x = np.random.rand(6, 3).astype("float32")
    for model in (seq, fun):
        model.eval()
        traced = torch.jit.trace(model, torch.from_numpy(x))
        np.testing.assert_allclose(traced(torch.from_numpy(x)).detach().numpy(), model.predict(x),
                                   rtol=1e-5, atol=1e-6)


def test_get_layer_on_sequential_and_model():
    seq = _sequential()
    assert seq.get_layer("drop") is seq.layers[1]
    assert seq.get_layer(index=0).name == "d1"
    assert seq.get_layer(seq.input_names[0]) is seq.input_layers[0]
    fun = _functional()
    assert fun.get_layer("cat") is fun.layers[4]
    assert fun.get_layer(index=0).name == "in_a"
    for model in (seq, fun):
        with pytest.raises(ValueError, match="No such layer: nope"):
            model.get_layer("nope")
        with pytest.raises(ValueError, match="Was asked to retrieve layer at index 20"):
            model.get_layer(index=20)
        with pytest.raises(ValueError, match="Provide either a layer name or layer index"):
            model.get_layer()


def test_total_loss_is_the_last_training_batch_loss():
    model = _functional()
    model.compile(loss=["categorical_crossentropy", "mse"], optimizer="sgd")
    assert model.total_loss is None
    x = [np.random.rand(4, 3).astype("float32"), np.random.rand(4, 5).astype("float32")]
    y = [np.eye(2, dtype="float32")[[0, 1, 0, 1]], np.zeros((4, 1), "float32")]
    losses = model.train_on_batch(x, y)
    assert isinstance(model.total_loss, torch.Tensor) and model.total_loss.dim() == 0
    np.testing.assert_allclose(float(model.total_loss), losses[0], rtol=1e-6)
    seq = _sequential()
    seq.compile(loss="categorical_crossentropy", optimizer="sgd")
    loss = seq.train_on_batch(x[0], y[0])
    np.testing.assert_allclose(float(seq.total_loss), loss, rtol=1e-6)


def test_model_reset_states_resets_stateful_layers():
    inp = Input(batch_shape=(2, 4, 3))
    model = Model(inp, LSTM(3, stateful=True, name="lstm")(inp))
    model.predict(np.ones((2, 4, 3), "float32"), batch_size=2)
    lstm = model.get_layer("lstm")
    assert any(float(s.abs().sum()) > 0 for s in lstm.states)
    model.reset_states()
    assert all(float(s.abs().sum()) == 0 for s in lstm.states)
    assert model.stateful and len(model.state_updates) == 2


def test_nested_sequential_and_merge_of_sequentials_have_graph_inputs():
    inner = Sequential()
    inner.add(Dense(3, input_dim=4))
    outer = Sequential()
    outer.add(inner)
    outer.add(Dense(2))
    assert outer.layers[0] is inner and outer.input._keras_shape == (None, 4)
    x = np.random.rand(3, 4).astype("float32")
    get = K.function([outer.input, K.learning_phase()], [outer.output])
    np.testing.assert_allclose(get([x, 0])[0], outer.predict(x), rtol=1e-6)
    left = Sequential([Dense(2, input_dim=4)])
    right = Sequential([Dense(2, input_dim=5)])
    merged = Sequential()
    merged.add(Merge([left, right], mode="concat"))
    merged.add(Dense(1))
    assert [t._keras_shape for t in merged.inputs] == [(None, 4), (None, 5)]
    assert merged.output._keras_shape == (None, 1)


def test_model_shape_rule_masks_and_node_indices_as_keras1():
    a = Input(shape=(32,), name="input_a")
    b = Input(shape=(32,), name="input_b")
    shared = Dense(16, name="dense_1")
    merged = merge([shared(a), shared(b)], mode="concat", name="merge")
    model = Model([a, b], [merged, Dense(5, name="dense_3")(merged)])
    assert model.get_output_shape_for([(None, 32), (None, 32)]) == [(None, 32), (None, 5)]
    assert model.get_output_shape_for([(10, 32), (10, 32)]) == [(10, 32), (10, 5)]
    assert model.compute_mask([a, b], [None, None]) == [None, None]
    assert model.input_layers_node_indices == [0, 0]
    assert model.input_layers_tensor_indices == [0, 0]
    assert model.output_layers_node_indices == [0, 0]
    assert model.output_layers_tensor_indices == [0, 0]
    seq = Sequential([Dense(4, input_dim=3), Dense(2)])
    assert seq.get_output_shape_for((7, 3)) == (7, 2)
    seq.build()  # Keras 1 scripts call it; the chain is already built
    model._make_train_function()
    with pytest.raises(TypeError, match="model is empty"):
        Sequential().build()
