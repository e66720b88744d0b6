"""ConvLSTM2D: the harness, Keras-1 parity (both backends and orderings), init, masking, state."""
import json

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers import ConvLSTM2D
from keras_compat.models import Sequential
from keras_compat.testing import layer_test


def _seq_shape(ordering, batch=2, steps=3, channels=2, rows=5, cols=4):
    if ordering == "th":
        return (batch, steps, channels, rows, cols)
    return (batch, steps, rows, cols, channels)


# -- harness ------------------------------------------------------------------------------
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("border_mode", ["same", "valid"])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_conv_lstm_harness(ordering, border_mode, return_sequences):
    out = layer_test(ConvLSTM2D, kwargs={"nb_filter": 3, "nb_row": 3, "nb_col": 2,
                                         "dim_ordering": ordering, "border_mode": border_mode,
                                         "return_sequences": return_sequences},
                     input_shape=_seq_shape(ordering),
                     expected_params=4 * (3 * 2 * 3 * 2 + 3 * 3 * 3 * 2 + 3))
    rows, cols = (5, 4) if border_mode == "same" else (3, 3)
    image = (3, rows, cols) if ordering == "th" else (rows, cols, 3)
    assert out.shape == ((2, 3) + image if return_sequences else (2,) + image)


def test_conv_lstm_harness_go_backwards_subsample_theano():
    config.set_backend("theano")
    layer_test(ConvLSTM2D, kwargs={"nb_filter": 2, "nb_row": 3, "nb_col": 3, "dim_ordering": "tf",
                                   "border_mode": "same", "subsample": (2, 2),
                                   "go_backwards": True, "return_sequences": True,
                                   "inner_activation": "sigmoid"},
               input_shape=_seq_shape("tf"), expected_output_shape=(None, 3, 3, 2, 2))


# -- parity with Keras 1.2.2 ----------------------------------------------------------------
CASES = ["convlstm2d_%s_%s_%s" % (o, b, s) for o in ("th", "tf") for b in ("same", "valid")
         for s in ("seq", "last")] + ["convlstm2d_tf_same_seq_backwards"]


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("case", CASES)
def test_conv_lstm_matches_keras1(case, backend, oracle):
    inputs = oracle(case).inputs
    ref = oracle(case, backend)
    cfg = json.loads(str(ref["meta"]))["config"][0]["config"]
    config.set_backend(backend)
    layer = ConvLSTM2D(3, 3, 3, dim_ordering=cfg["dim_ordering"], border_mode=cfg["border_mode"],
                       return_sequences=cfg["return_sequences"], go_backwards=cfg["go_backwards"],
                       input_shape=inputs["x_0"].shape[1:])
    model = Sequential([layer])
    weights = [inputs["w_%02d" % i] for i in range(12)]
    assert [w.shape for w in layer.get_weights()] == [w.shape for w in weights]
    model.set_weights(weights)
    y = model.predict(inputs["x_0"], batch_size=len(inputs["x_0"]))
    np.testing.assert_allclose(y, ref["y"], atol=1e-4, rtol=0)


def test_conv_lstm_backends_differ_by_the_kernel_flip(oracle):
    # Theano computes true convolution: flipping every kernel on TF gives the Theano numbers.
    inputs = oracle("convlstm2d_th_same_seq").inputs
    ref = oracle("convlstm2d_th_same_seq")
    config.set_backend("tensorflow")
    layer = ConvLSTM2D(3, 3, 3, dim_ordering="th", border_mode="same", return_sequences=True,
                       input_shape=inputs["x_0"].shape[1:])
    model = Sequential([layer])
    weights = [inputs["w_%02d" % i] for i in range(12)]
    model.set_weights([w[:, :, ::-1, ::-1] if w.ndim == 4 else w for w in weights])
    np.testing.assert_allclose(model.predict(inputs["x_0"]), ref["y"], atol=1e-4)


# -- weights and init -------------------------------------------------------------------------
@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_conv_lstm_weight_layout_and_names(ordering):
    layer = ConvLSTM2D(4, 3, 2, dim_ordering=ordering, input_shape=_seq_shape(ordering)[1:])
    Sequential([layer])
    names = [n[len(layer.name) + 1:] for n in layer.keras1_weight_names()]
    assert names == ["W_i", "U_i", "b_i", "W_c", "U_c", "b_c", "W_f", "U_f", "b_f",
                     "W_o", "U_o", "b_o"]
    shapes = [w.shape for w in layer.get_weights()]
    w_shape, u_shape = ((4, 2, 3, 2), (4, 4, 3, 2)) if ordering == "th" else \
        ((3, 2, 2, 4), (3, 2, 4, 4))
    assert shapes == [w_shape, u_shape, (4,)] * 4
    biases = layer.get_weights()[2::3]
    np.testing.assert_array_equal(biases[2], np.ones(4))  # b_f = forget_bias_init 'one'
    for b in (biases[0], biases[1], biases[3]):
        np.testing.assert_array_equal(b, np.zeros(4))


def test_conv_lstm_init_uses_th_fans_and_keras1_draw_order():
    # tf kernel (r, c, in, out) = (3, 3, 2, 4) with 'th' fans: rf = 2*4, fan_in = 3*8, fan_out = 3*8.
    np.random.seed(7)
    limit = np.sqrt(6.0 / (24 + 24))
    expected_W_i = np.random.uniform(-limit, limit, (3, 3, 2, 4))
    np.random.seed(7)
    layer = ConvLSTM2D(4, 3, 3, dim_ordering="tf", input_shape=(2, 5, 5, 2))
    Sequential([layer])
    weights = dict(zip([n.rsplit("_", 2)[-2] + "_" + n.rsplit("_", 1)[-1]
                        for n in layer.keras1_weight_names()], layer.get_weights()))
    np.testing.assert_allclose(weights["W_i"], expected_W_i, rtol=1e-6)
    for gate in "cfo":
        assert np.abs(weights["W_" + gate]).max() <= limit
    # the recurrent kernels come from the orthogonal initializer (scale 1.1) on the flat shape
    flat = weights["U_i"].reshape(3, -1)
    np.testing.assert_allclose(flat @ flat.T, 1.21 * np.eye(3), atol=1e-5)


def test_conv_lstm_regularizers_and_constructor_weights():
    layer = ConvLSTM2D(2, 3, 3, dim_ordering="th", W_regularizer="l2", U_regularizer="l1",
                       b_regularizer="l2", input_shape=(3, 2, 5, 5))
    Sequential([layer])
    assert len(layer.regularization_losses()) == 12
    weights = [np.full(w.shape, 0.1, "float32") for w in layer.get_weights()]
    again = ConvLSTM2D(2, 3, 3, dim_ordering="th", weights=weights, input_shape=(3, 2, 5, 5))
    Sequential([again])
    for got, want in zip(again.get_weights(), weights):
        np.testing.assert_array_equal(got, want)


# -- masking, go_backwards, states ----------------------------------------------------------
def _layer(**kwargs):
    kwargs.setdefault("input_shape", (4, 2, 5, 5))
    layer = ConvLSTM2D(2, 3, 3, dim_ordering="th", border_mode="same", **kwargs)
    Sequential([layer])
    return layer


def test_conv_lstm_masked_steps_carry_the_state():
    layer = _layer()
    x = torch.from_numpy(np.random.uniform(-1, 1, (2, 4, 2, 5, 5)).astype("float32"))
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]])
    with torch.no_grad():
        y = layer(x, mask)
        short0 = layer(x[:1, :3])
        short1 = layer(x[1:, :2])
    torch.testing.assert_close(y[0], short0[0])
    torch.testing.assert_close(y[1], short1[0])
    assert layer.compute_mask(x, mask) is None
    seq = _layer(return_sequences=True)
    seq.load_state_dict(layer.state_dict())
    with torch.no_grad():
        ys = seq(x, mask)
    torch.testing.assert_close(ys[1, 2], ys[1, 1])  # a masked step repeats the previous output
    assert seq.compute_mask(x, mask) is mask


def test_conv_lstm_go_backwards_equals_reversed_input():
    forward = _layer(return_sequences=True)
    backward = _layer(return_sequences=True, go_backwards=True)
    backward.set_weights(forward.get_weights())
    x = torch.from_numpy(np.random.uniform(-1, 1, (2, 4, 2, 5, 5)).astype("float32"))
    with torch.no_grad():
        torch.testing.assert_close(backward(x), forward(torch.flip(x, (1,))))


def test_conv_lstm_stateful_continues_across_batches():
    whole = _layer(return_sequences=True)
    stateful = _layer(return_sequences=True, stateful=True, batch_input_shape=(2, 2, 2, 5, 5))
    stateful.set_weights(whole.get_weights())
    x = torch.from_numpy(np.random.uniform(-1, 1, (2, 4, 2, 5, 5)).astype("float32"))
    with torch.no_grad():
        ref = whole(x)
        first, second = stateful(x[:, :2]), stateful(x[:, 2:])
        torch.testing.assert_close(torch.cat([first, second], 1), ref)
        stateful.reset_states()
        torch.testing.assert_close(stateful(x[:, :2]), ref[:, :2])
    with pytest.raises(ValueError, match="stateful with batch size 2"):
        stateful(x[:1, :2])


def test_conv_lstm_dropout_only_in_training():
    plain = _layer()
    dropped = _layer(dropout_W=0.5, dropout_U=0.5)
    dropped.set_weights(plain.get_weights())
    x = torch.from_numpy(np.random.uniform(-1, 1, (2, 4, 2, 5, 5)).astype("float32"))
    plain.eval()
    dropped.eval()
    with torch.no_grad():
        torch.testing.assert_close(dropped(x), plain(x))
        dropped.train()
        assert not torch.allclose(dropped(x), plain(x))


# -- bad input ------------------------------------------------------------------------------
def test_conv_lstm_bad_input():
    with pytest.raises(ValueError, match="convlstm2d_1.*expected ndim=5"):
        Sequential([ConvLSTM2D(2, 3, 3, input_shape=(5, 5, 2))])
    with pytest.raises(ValueError, match="stateful.*batch size"):
        Sequential([ConvLSTM2D(2, 3, 3, stateful=True, input_shape=(3, 5, 5, 2))])
    with pytest.raises(ValueError, match="border_mode"):
        ConvLSTM2D(2, 3, 3, border_mode="full")
    with pytest.raises(ValueError, match="too small"):
        Sequential([ConvLSTM2D(2, 7, 7, input_shape=(3, 5, 5, 2))])
    with pytest.raises(ValueError, match="dropout_U"):
        ConvLSTM2D(2, 3, 3, dropout_U=1.5)


def test_conv_lstm_keras2_keywords():
    layer = ConvLSTM2D(filters=2, kernel_size=(3, 2), padding="same", data_format="channels_first",
                       recurrent_activation="sigmoid")
    config_ = layer.get_config()
    assert (config_["nb_filter"], config_["nb_row"], config_["nb_col"]) == (2, 3, 2)
    assert config_["border_mode"] == "same" and config_["dim_ordering"] == "th"
    assert config_["inner_activation"] == "sigmoid"


def test_conv_lstm_regularizers_reach_the_training_loss():
    model = Sequential([ConvLSTM2D(2, 3, 3, dim_ordering="th", W_regularizer="l2",
                                   input_shape=(3, 2, 5, 5))])
    assert model.has_regularizers()
    model.compile("sgd", "mse")
    x = np.random.uniform(-1, 1, (2, 3, 2, 5, 5)).astype("float32")
    y = np.zeros((2, 2, 3, 3), "float32")
    penalty = float(sum(loss.detach() for loss in model.regularization_losses()))
    assert penalty > 0
    loss = float(model.test_on_batch(x, y))
    plain = float(np.mean((model.predict(x) - y) ** 2))
    np.testing.assert_allclose(loss, plain + penalty, rtol=1e-4)


def test_conv_lstm_stateful_trains_from_the_state_predict_left():
    # predict runs in inference mode; the states it keeps must still start a training step
    # (Keras 1.2.2's own test_recurrent_convolutional does predict, then train_on_batch).
    model = Sequential([ConvLSTM2D(2, 3, 3, stateful=True, border_mode="same",
                                   dim_ordering="tf", batch_input_shape=(2, 3, 5, 5, 1))])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((2, 3, 5, 5, 1), dtype="float32")
    kept = model.predict(x)
    before = [w.copy() for w in model.get_weights()]
    loss = model.train_on_batch(x, np.ones_like(kept))
    assert np.isfinite(loss)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
