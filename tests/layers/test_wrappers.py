"""TimeDistributed and Bidirectional: the harness, Keras-1 parity, weights, masks, configs."""
import json

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.engine import registry
from keras_compat.layers import (Bidirectional, ConvLSTM2D, Convolution2D, Dense, Dropout,
                                 Embedding, TimeDistributed)
from keras_compat.layers.recurrent import GRU, LSTM, SimpleRNN
from keras_compat.models import Sequential, model_from_json
from keras_compat.testing import layer_test

BACKENDS = ["theano", "tensorflow"]


def _predict(model, x):
    return model.predict(x, batch_size=len(x))


# -- TimeDistributed: harness ---------------------------------------------------------------
def test_time_distributed_dense_harness():
    out = layer_test(TimeDistributed, kwargs={"layer": Dense(5, input_dim=8)},
                     input_shape=(3, 10, 8), expected_output_shape=(None, 10, 5),
                     expected_params=8 * 5 + 5)
    assert out.shape == (3, 10, 5)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_time_distributed_conv2d_harness(backend, ordering):
    config.set_backend(backend)
    shape = (2, 4, 2, 6, 5) if ordering == "th" else (2, 4, 6, 5, 2)
    out = layer_test(TimeDistributed,
                     kwargs={"layer": Convolution2D(3, 3, 2, dim_ordering=ordering,
                                                    border_mode="same")},
                     input_shape=shape, expected_params=3 * 2 * 3 * 2 + 3)
    assert out.shape == ((2, 4, 3, 6, 5) if ordering == "th" else (2, 4, 6, 5, 3))


def test_time_distributed_dropout_harness():
    x = np.random.uniform(-1, 1, (2, 3, 4)).astype("float32")
    layer_test(TimeDistributed, kwargs={"layer": Dropout(0.5)}, input_data=x, expected_output=x)


def test_time_distributed_recurrent_harness():
    out = layer_test(TimeDistributed, kwargs={"layer": LSTM(3, input_dim=4)},
                     input_shape=(2, 5, 6, 4), expected_output_shape=(None, 5, 3))
    assert out.shape == (2, 5, 3)


# -- TimeDistributed: behaviour -------------------------------------------------------------
def test_time_distributed_folds_time_into_batch():
    layer = TimeDistributed(Dense(5), input_shape=(10, 8))
    model = Sequential([layer])
    x = np.random.uniform(-1, 1, (3, 10, 8)).astype("float32")
    W, b = layer.get_weights()
    np.testing.assert_allclose(_predict(model, x), x @ W + b, rtol=1e-5, atol=1e-6)


def test_time_distributed_keeps_the_inner_weight_names():
    inner = Dense(5)
    layer = TimeDistributed(inner, input_shape=(10, 8))
    model = Sequential([layer])
    assert layer.name == "timedistributed_1"
    assert layer.keras1_weight_names() == ["dense_1_W", "dense_1_b"]
    assert [n for n, _ in model.trainable_parameters()] == ["dense_1_W", "dense_1_b"]
    assert layer.trainable_weights == [inner.weight, inner.bias]
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


def test_time_distributed_conv2d_on_any_recurrent_shaped_input():
    conv = Convolution2D(2, 3, 3, dim_ordering="tf")
    model = Sequential([TimeDistributed(conv, input_shape=(4, 6, 6, 3))])
    x = np.random.uniform(-1, 1, (2, 4, 6, 6, 3)).astype("float32")
    alone = Sequential([Convolution2D(2, 3, 3, dim_ordering="tf", input_shape=(6, 6, 3))])
    alone.set_weights(model.get_weights())
    y = _predict(model, x)
    for t in range(4):
        np.testing.assert_allclose(y[:, t], _predict(alone, x[:, t]), rtol=1e-5, atol=1e-6)


def test_time_distributed_passes_the_mask_through():
    model = Sequential([Embedding(10, 4, mask_zero=True, input_length=5),
                        TimeDistributed(Dense(3))])
    td = model.layers[1]
    assert td.output_has_mask(True) and model._output_has_mask
    x = torch.tensor([[1, 2, 0, 0, 0]])
    mask = (x != 0)
    assert td.compute_mask(x, mask) is mask


def test_time_distributed_regularizers_and_constraints_of_the_inner_layer():
    inner = Dense(3, W_regularizer="l2", W_constraint="nonneg")
    model = Sequential([TimeDistributed(inner, input_shape=(4, 2))])
    assert model.has_regularizers()
    assert len(model.regularization_losses()) == 1
    assert list(model.constraints()) == [inner.weight]
    model.compile("sgd", "mse")
    x = np.random.uniform(-1, 1, (6, 4, 2)).astype("float32")
    model.train_on_batch(x, np.ones((6, 4, 3), "float32"))
    assert (inner.get_weights()[0] >= 0).all()


def test_time_distributed_fit_changes_the_inner_weights():
    model = Sequential([TimeDistributed(Dense(2), input_shape=(3, 4))])
    before = model.get_weights()
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 3, 4), "float32"), np.zeros((8, 3, 2), "float32"), nb_epoch=1,
              verbose=0)
    assert not np.allclose(before[0], model.get_weights()[0])


def test_time_distributed_config_is_keras1_form_and_round_trips():
    model = Sequential([TimeDistributed(Dense(5), input_shape=(10, 8))])
    config_ = model.get_config()[0]
    assert config_["class_name"] == "TimeDistributed"
    assert config_["config"]["layer"]["class_name"] == "Dense"
    assert config_["config"]["layer"]["config"]["output_dim"] == 5
    assert set(config_["config"]) == {"name", "trainable", "batch_input_shape", "input_dtype",
                                      "layer"}
    rebuilt = model_from_json(model.to_json())
    rebuilt.set_weights(model.get_weights())
    x = np.random.uniform(-1, 1, (2, 10, 8)).astype("float32")
    np.testing.assert_allclose(_predict(rebuilt, x), _predict(model, x))
    assert rebuilt.layers[0].layer.name == "dense_1"


def test_wrapper_from_config_uses_custom_objects():
    class MyDense(Dense):
        pass

    config_ = TimeDistributed(MyDense(2)).get_config()
    with pytest.raises(ValueError, match="Unknown layer: MyDense"):
        TimeDistributed.from_config(config_)
    restored = TimeDistributed.from_config(config_, custom_objects={"MyDense": MyDense})
    assert type(restored.layer) is MyDense
    with pytest.raises(ValueError, match="TimeDistributed.*'layer'"):
        TimeDistributed.from_config({"name": "x", "layer": "dense"})
    assert registry.layer_class("Dense") is Dense


def test_time_distributed_bad_input():
    with pytest.raises(ValueError, match="timedistributed_1.*dense_1.*at least 3D"):
        Sequential([TimeDistributed(Dense(2), input_shape=(4,))])
    with pytest.raises(TypeError, match="TimeDistributed.*Layer instance"):
        TimeDistributed("dense")


# -- TimeDistributed: parity with Keras 1.2.2 -------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_timedistributed_dense_matches_keras1(backend, oracle):
    recorded = oracle("timedistributed_dense", backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    model = Sequential([TimeDistributed(Dense(5), input_shape=(10, 8))])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", ["td_conv2d_th", "td_conv2d_tf_same"])
def test_timedistributed_conv2d_matches_keras1(case, backend, oracle):
    recorded = oracle(case, backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    if case == "td_conv2d_th":
        conv = Convolution2D(3, 3, 2, dim_ordering="th")
    else:
        conv = Convolution2D(3, 3, 3, border_mode="same", dim_ordering="tf")
    model = Sequential([TimeDistributed(conv, input_shape=x.shape[1:])])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-4, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_timedistributed_masked_lstm_matches_keras1(backend, oracle):
    recorded = oracle("td_dense_masked_lstm", backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    model = Sequential([Embedding(20, 4, mask_zero=True, input_length=6),
                        TimeDistributed(Dense(5)), LSTM(3)])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_model_rnn_stack_matches_keras1(backend, oracle):
    recorded = oracle("model_rnn_stack", backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    model = Sequential([GRU(6, return_sequences=True, input_shape=(10, 8)),
                        TimeDistributed(Dense(4)), SimpleRNN(3)])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-5, rtol=0)


# -- Bidirectional: harness -----------------------------------------------------------------
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
def test_bidirectional_lstm_harness(merge_mode):
    out = layer_test(Bidirectional, kwargs={"layer": LSTM(4, return_sequences=True),
                                            "merge_mode": merge_mode},
                     input_shape=(3, 6, 5), expected_params=2 * 4 * (5 * 4 + 4 * 4 + 4))
    assert out.shape == (3, 6, 8 if merge_mode == "concat" else 4)


def test_bidirectional_gru_last_harness():
    out = layer_test(Bidirectional, kwargs={"layer": GRU(3)}, input_shape=(2, 5, 4))
    assert out.shape == (2, 6)


@pytest.mark.parametrize("merge_mode", ["concat", "sum"])
def test_bidirectional_conv_lstm_harness(merge_mode):
    out = layer_test(Bidirectional, kwargs={"layer": ConvLSTM2D(2, 3, 3, dim_ordering="tf",
                                                                border_mode="same",
                                                                return_sequences=True),
                                            "merge_mode": merge_mode},
                     input_shape=(2, 3, 5, 4, 2))
    assert out.shape == (2, 3, 5, 4, 4 if merge_mode == "concat" else 2)


# -- Bidirectional: behaviour -----------------------------------------------------------------
def _conv_lstm(**kwargs):
    return ConvLSTM2D(2, 3, 3, dim_ordering="th", border_mode="same", **kwargs)


def test_bidirectional_runs_backward_copy_and_flips_it_back():
    bi = Bidirectional(_conv_lstm(return_sequences=True), merge_mode=None,
                       input_shape=(4, 2, 5, 5))
    bi.build_for((None, 4, 2, 5, 5))
    assert bi.backward_layer.go_backwards and not bi.forward_layer.go_backwards
    x = torch.from_numpy(np.random.uniform(-1, 1, (2, 4, 2, 5, 5)).astype("float32"))
    with torch.no_grad():
        y, y_rev = bi(x)
        backward_raw = bi.backward_layer(x)
        forward_raw = bi.forward_layer(x)
    torch.testing.assert_close(y, forward_raw)
    torch.testing.assert_close(y_rev, torch.flip(backward_raw, (1,)))
    assert bi.get_output_shape_for((None, 4, 2, 5, 5)) == [(None, 4, 2, 5, 5)] * 2
    mask = torch.ones(2, 4)
    assert bi.compute_mask(x, mask) == [mask, mask]


@pytest.mark.parametrize("merge_mode,combine", [
    ("concat", lambda a, b: torch.cat([a, b], -1)), ("sum", lambda a, b: a + b),
    ("mul", lambda a, b: a * b), ("ave", lambda a, b: (a + b) / 2)])
def test_bidirectional_merge_modes(merge_mode, combine):
    bi = Bidirectional(_conv_lstm(), merge_mode=merge_mode)
    bi.build_for((None, 3, 2, 5, 5))
    x = torch.from_numpy(np.random.uniform(-1, 1, (2, 3, 2, 5, 5)).astype("float32"))
    with torch.no_grad():
        want = combine(bi.forward_layer(x), bi.backward_layer(x))  # last outputs: no flip
        torch.testing.assert_close(bi(x), want)
    assert bi.compute_mask(x, torch.ones(2, 3)) is None


def test_bidirectional_names_weights_and_weights_argument():
    inner = _conv_lstm(return_sequences=True)
    bi = Bidirectional(inner, input_shape=(3, 2, 5, 5))
    model = Sequential([bi])
    names = bi.keras1_weight_names()
    assert names[0] == "forward_convlstm2d_1_W_i" and names[12] == "backward_convlstm2d_1_W_i"
    assert inner.name == "convlstm2d_1" and not inner.built  # the original stays untouched
    weights = bi.get_weights()
    assert len(weights) == 24
    for got, want in zip(weights, bi.forward_layer.get_weights() + bi.backward_layer.get_weights()):
        np.testing.assert_array_equal(got, want)
    new = [np.random.uniform(-0.5, 0.5, w.shape).astype("float32") for w in weights]
    again = Bidirectional(_conv_lstm(return_sequences=True), weights=new, input_shape=(3, 2, 5, 5))
    Sequential([again])
    for got, want in zip(again.forward_layer.get_weights(), new[:12]):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(again.backward_layer.get_weights(), new[12:]):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="bidirectional_1.*length 3"):
        bi.set_weights(new[:3])
    assert [n for n, _ in model.trainable_parameters()] == names


def test_bidirectional_config_is_keras1_form_and_round_trips():
    model = Sequential([Bidirectional(_conv_lstm(return_sequences=True), merge_mode="sum",
                                      input_shape=(3, 2, 5, 5))])
    config_ = model.get_config()[0]["config"]
    assert config_["merge_mode"] == "sum"
    assert config_["layer"]["class_name"] == "ConvLSTM2D"
    assert config_["layer"]["config"]["name"] == "convlstm2d_1"
    assert config_["layer"]["config"]["go_backwards"] is False
    rebuilt = model_from_json(model.to_json())
    rebuilt.set_weights(model.get_weights())
    x = np.random.uniform(-1, 1, (2, 3, 2, 5, 5)).astype("float32")
    np.testing.assert_allclose(_predict(rebuilt, x), _predict(model, x), atol=1e-6)
    assert json.loads(rebuilt.to_json()) == json.loads(model.to_json())


def test_bidirectional_bad_input():
    with pytest.raises(ValueError, match="dense_1 \\(Dense\\) is not a recurrent layer"):
        Bidirectional(Dense(3))
    with pytest.raises(ValueError, match="merge_mode"):
        Bidirectional(_conv_lstm(), merge_mode="max")


# -- Bidirectional: parity with Keras 1.2.2 ---------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_bidirectional_lstm_matches_keras1(backend, oracle):
    recorded = oracle("bidirectional_lstm", backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    model = Sequential([Bidirectional(LSTM(4, return_sequences=True), merge_mode="concat",
                                      input_shape=(10, 8))])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("merge_mode", ["sum", "mul", "ave"])
def test_bidirectional_merge_modes_match_keras1(merge_mode, backend, oracle):
    recorded = oracle("bidirectional_lstm_" + merge_mode, backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    model = Sequential([Bidirectional(LSTM(4, return_sequences=True), merge_mode=merge_mode,
                                      input_shape=(6, 5))])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_bidirectional_gru_last_matches_keras1(backend, oracle):
    recorded = oracle("bidirectional_gru_last", backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    model = Sequential([Bidirectional(GRU(3), input_shape=(6, 5))])
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_bidirectional_weights_argument_matches_keras1(backend, oracle):
    recorded = oracle("bidirectional_simplernn_weights_arg", backend)
    x, weights, ref = recorded.x, recorded.weights, recorded
    config.set_backend(backend)
    model = Sequential([Bidirectional(SimpleRNN(3, return_sequences=True), weights=weights,
                                      input_shape=(6, 5))])
    np.testing.assert_allclose(_predict(model, x), ref["y"], atol=1e-5, rtol=0)


def test_wrappers_report_inner_regularizers_to_the_model():
    td = Sequential([TimeDistributed(Dense(3, activity_regularizer="activity_l2"),
                                     input_shape=(4, 2))])
    assert td.has_regularizers()
    td.compile("sgd", "mse")
    td.train_on_batch(np.ones((2, 4, 2), "float32"), np.zeros((2, 4, 3), "float32"))
    assert len(td.regularization_losses()) == 1
    bi = Sequential([Bidirectional(_conv_lstm(U_regularizer="l2"), input_shape=(3, 2, 5, 5))])
    assert bi.has_regularizers()
    assert len(bi.regularization_losses()) == 8  # U_i, U_c, U_f, U_o of both directions
    with pytest.raises(ValueError, match="TimeDistributed.*activity regularizer"):
        td.layers[0].activity_regularizer = "l2"


def test_time_distributed_around_a_sequential_model_has_the_models_output_shape():
    """Keras 1.2.2 test_wrappers: TimeDistributed(Sequential([Dense(3, input_dim=2)]))."""
    import numpy as np
    from keras_compat.layers import Dense, TimeDistributed
    from keras_compat.models import Sequential
    inner = Sequential([Dense(3, input_dim=2)])
    outer = Sequential([TimeDistributed(inner, input_shape=(3, 2))])
    assert outer.output_shape == (None, 3, 3)
    outer.compile(optimizer="rmsprop", loss="mse")
    outer.fit(np.random.random((10, 3, 2)), np.random.random((10, 3, 3)), nb_epoch=1,
              batch_size=10, verbose=0)
    x = np.random.random((4, 3, 2)).astype("float32")
    expected = x.reshape(12, 2).dot(inner.get_weights()[0]) + inner.get_weights()[1]
    np.testing.assert_allclose(outer.predict(x), expected.reshape(4, 3, 3), rtol=1e-5, atol=1e-6)
