"""SimpleRNN / GRU / LSTM: the generic harness, Keras-1 layouts, init and regularizer quirks,
dropout, masking in Sequential, stateful states, and bad input."""
import numpy as np
import pytest
import torch

from keras_compat import regularizers
from keras_compat.layers.core import Dense
from keras_compat.layers.embeddings import Embedding
from keras_compat.layers.recurrent import GRU, LSTM, Recurrent, SimpleRNN
from keras_compat.models import Sequential
from keras_compat.testing.layer_test import layer_test

RNNS = [SimpleRNN, GRU, LSTM]
GATES = {SimpleRNN: 1, GRU: 3, LSTM: 4}


@pytest.mark.parametrize("cls", RNNS)
@pytest.mark.parametrize("kwargs", [
    dict(), dict(return_sequences=True), dict(go_backwards=True), dict(consume_less="gpu"),
    dict(consume_less="mem", return_sequences=True), dict(unroll=True),
    dict(dropout_W=0.2, dropout_U=0.3), dict(W_regularizer="l2", U_regularizer="l1",
                                              b_regularizer="l1l2"),
])
def test_layer_harness(cls, kwargs):
    g = GATES[cls]
    layer_test(cls, dict(output_dim=3, **kwargs), input_shape=(2, 4, 5),
               expected_params=g * (5 * 3 + 3 * 3 + 3))


def test_lstm_weight_layouts():
    lstm = LSTM(3, input_dim=2)
    lstm.build_for((None, 4, 2))
    names = [n.split("_", 2)[-1] for n in lstm.keras1_weight_names()]
    assert names == ["W_i", "U_i", "b_i", "W_c", "U_c", "b_c", "W_f", "U_f", "b_f",
                     "W_o", "U_o", "b_o"]
    weights = lstm.get_weights()
    assert [w.shape for w in weights[:3]] == [(2, 3), (3, 3), (3,)]
    np.testing.assert_array_equal(weights[8], np.ones(3))      # b_f: forget_bias_init='one'
    np.testing.assert_array_equal(weights[2], np.zeros(3))     # b_i
    gpu = LSTM(3, input_dim=2, consume_less="gpu")
    gpu.build_for((None, 4, 2))
    W, U, b = gpu.get_weights()
    assert W.shape == (2, 12) and U.shape == (3, 12)
    np.testing.assert_array_equal(b, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])  # blocks i, f, c, o
    # cpu arrays go to the packed (torch) layout i, f, c, o.
    arrays = [np.full(w.shape, k, "float32") for k, w in enumerate(weights)]
    lstm.set_weights(arrays)
    assert lstm.weight_ih[:3].unique().tolist() == [0.0]       # W_i
    assert lstm.weight_ih[3:6].unique().tolist() == [6.0]      # W_f (6th array)
    assert lstm.weight_ih[6:9].unique().tolist() == [3.0]      # W_c
    assert lstm.bias[3:6].unique().tolist() == [8.0]           # b_f
    for got, want in zip(lstm.get_weights(), arrays):
        np.testing.assert_array_equal(got, want)


def test_gru_weight_names():
    gru = GRU(2, input_dim=3)
    gru.build_for((None, 4, 3))
    assert [n.split("_", 2)[-1] for n in gru.keras1_weight_names()] == [
        "W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W_h", "U_h", "b_h"]
    gpu = GRU(2, input_dim=3, consume_less="gpu")
    gpu.build_for((None, 4, 3))
    assert [w.shape for w in gpu.get_weights()] == [(3, 6), (2, 6), (6,)]


def test_init_quirk_cpu_recurrent_matrices_use_init():
    """cpu/mem: U_* use `init` (glorot), gpu and SimpleRNN use inner_init (orthogonal*1.1)."""
    n = 16
    lstm = LSTM(n, input_dim=n)
    lstm.build_for((None, 3, n))
    U_i = lstm.get_weights()[1]
    assert np.abs(U_i).max() <= np.sqrt(6.0 / (2 * n)) + 1e-6
    assert not np.allclose(U_i.dot(U_i.T), 1.21 * np.eye(n), atol=1e-3)
    gpu = LSTM(n, input_dim=n, consume_less="gpu")
    gpu.build_for((None, 3, n))
    U = gpu.get_weights()[1]
    np.testing.assert_allclose(U.dot(U.T), 1.21 * np.eye(n), atol=1e-4)
    rnn = SimpleRNN(n, input_dim=n)
    rnn.build_for((None, 3, n))
    U = rnn.get_weights()[1]
    np.testing.assert_allclose(U.dot(U.T), 1.21 * np.eye(n), atol=1e-4)


@pytest.mark.parametrize("cls,mode,count", [(SimpleRNN, "cpu", 3), (GRU, "cpu", 9),
                                            (LSTM, "cpu", 12), (LSTM, "gpu", 3)])
def test_regularizer_counts(cls, mode, count):
    layer = cls(3, input_dim=2, consume_less=mode, W_regularizer=regularizers.l2(0.1),
                U_regularizer=regularizers.l1(0.1), b_regularizer=regularizers.l2(0.1))
    layer.build_for((None, 4, 2))
    losses = layer.regularization_losses()
    assert len(losses) == count
    total = sum(losses)
    total.backward()
    assert layer.weight_hh.grad is not None


def test_cpu_mode_regularizes_U_with_W_regularizer():
    layer = LSTM(3, input_dim=2, W_regularizer=regularizers.l1(1.0))
    layer.build_for((None, 4, 2))
    expected = sum(np.abs(w).sum() for w, name in zip(layer.get_weights(),
                                                      layer.keras1_weight_names())
                   if name.split("_")[-2] in ("W", "U"))
    np.testing.assert_allclose(float(sum(layer.regularization_losses()).detach()), expected,
                               rtol=1e-5)


@pytest.mark.parametrize("cls", RNNS)
def test_dropout_only_in_training_and_per_sequence(cls):
    layer = cls(4, input_dim=3, dropout_W=0.5, dropout_U=0.5, return_sequences=True)
    layer.build_for((None, 6, 3))
    x = torch.randn(2, 6, 3)
    layer.eval()
    a, b = layer(x), layer(x)
    torch.testing.assert_close(a, b)
    layer.train()
    torch.manual_seed(0)
    c = layer(x)
    torch.manual_seed(1)
    d = layer(x)
    assert not torch.allclose(c, d)
    # Same seed, same masks: the masks are drawn per batch, not per step.
    torch.manual_seed(0)
    torch.testing.assert_close(layer(x), c)


def test_simplernn_mem_mode_ignores_dropout_W_like_keras_1_2_2():
    layer = SimpleRNN(4, input_dim=3, dropout_W=0.9, consume_less="mem")
    layer.build_for((None, 6, 3))
    x = torch.randn(2, 6, 3)
    layer.train()
    out_train = layer(x)
    layer.eval()
    torch.testing.assert_close(out_train, layer(x))


@pytest.mark.parametrize("cls", RNNS)
def test_mask_left_and_right_padding_agree(cls):
    """Masked steps carry every state: padding on either side gives the same last output."""
    torch.manual_seed(0)
    layer = cls(4, input_dim=3)
    layer.build_for((None, 6, 3), input_has_mask=True)
    core = torch.randn(2, 4, 3)
    pad = torch.zeros(2, 2, 3)
    right = torch.cat([core, pad], 1)
    left = torch.cat([pad, core], 1)
    m_right = torch.tensor([[1, 1, 1, 1, 0, 0]] * 2, dtype=torch.bool)
    m_left = m_right.flip(1)
    torch.testing.assert_close(layer(right, m_right), layer(left, m_left))
    torch.testing.assert_close(layer(right, m_right), layer(core))


def test_mask_flows_through_sequential():
    model = Sequential([Embedding(10, 4, input_length=5, mask_zero=True),
                        LSTM(3, return_sequences=True), GRU(2)])
    assert model.layers[1].output_has_mask(True)
    assert not model.layers[2].output_has_mask(True)
    x = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8]], "int32")
    y = model.predict(x, batch_size=2)
    assert y.shape == (2, 2)
    # Trailing zeros are skipped: the first sample's output equals running 3 steps only.
    model.eval()
    with torch.no_grad():
        t = torch.from_numpy(x[:1])
        emb = model.layers[0](t)
        seq = model.layers[1](emb[:, :3])
        last = model.layers[2](seq)
    np.testing.assert_allclose(y[:1], last.numpy(), atol=1e-6)


def test_return_sequences_mask_passthrough():
    layer = LSTM(2, input_dim=3, return_sequences=True)
    mask = torch.ones(1, 4, dtype=torch.bool)
    assert layer.compute_mask(None, mask) is mask
    assert LSTM(2, input_dim=3).compute_mask(None, mask) is None


def test_go_backwards_returns_processing_order():
    torch.manual_seed(0)
    fwd = SimpleRNN(3, input_dim=2, return_sequences=True)
    fwd.build_for((None, 5, 2))
    bwd = SimpleRNN(3, input_dim=2, return_sequences=True, go_backwards=True,
                    weights=fwd.get_weights())
    bwd.build_for((None, 5, 2))
    x = torch.randn(2, 5, 2)
    torch.testing.assert_close(bwd(x), fwd(x.flip(1)))


def test_stateful_keeps_and_resets_states():
    model = Sequential([LSTM(3, stateful=True, batch_input_shape=(2, 4, 2))])
    layer = model.layers[0]
    x = np.random.rand(2, 4, 2).astype("float32")
    first = model.predict(x, batch_size=2)
    second = model.predict(x, batch_size=2)
    assert not np.allclose(first, second)
    assert float(layer.states[0].abs().sum()) > 0 and len(layer.states) == 2
    layer.reset_states()
    assert float(layer.states[0].abs().sum()) == 0
    np.testing.assert_allclose(model.predict(x, batch_size=2), first, atol=1e-6)
    assert "state_0" not in model.state_dict() and "lstm_1.state_0" not in model.state_dict()


def test_states_of_non_stateful_layer():
    layer = GRU(2, input_dim=3)
    assert layer.states == [None]
    with pytest.raises(AttributeError, match="stateful"):
        layer.reset_states()


def test_stateful_needs_batch_size():
    with pytest.raises(ValueError, match="stateful.*batch size"):
        Sequential([LSTM(3, stateful=True, input_shape=(4, 2))])


def test_stateful_batch_size_mismatch():
    model = Sequential([SimpleRNN(3, stateful=True, batch_input_shape=(2, 4, 2))])
    with pytest.raises(ValueError, match="simplernn_1.*batch size 2.*3 samples"):
        model.predict(np.zeros((3, 4, 2), "float32"), batch_size=3)


def test_2d_input_is_rejected():
    with pytest.raises(ValueError, match="lstm_1: expected ndim=3, found ndim=2"):
        Sequential([Dense(3, input_dim=2), LSTM(4)])
    layer = GRU(2, input_dim=3)
    layer.build_for((None, 4, 3))
    with pytest.raises(ValueError, match="gru_1.*ndim=3"):
        layer(torch.zeros(2, 3))


def test_unroll_needs_timesteps():
    with pytest.raises(ValueError, match="unroll=True"):
        Sequential([LSTM(3, unroll=True, input_shape=(None, 2))])


@pytest.mark.parametrize("arg,value", [("consume_less", "fast"), ("dropout_W", 1.0),
                                       ("dropout_U", -0.1), ("output_dim", 0)])
def test_bad_arguments(arg, value):
    kwargs = {"output_dim": 3, arg: value}
    with pytest.raises(ValueError, match="LSTM"):
        LSTM(**kwargs)


def test_input_dim_and_input_length_and_config():
    layer = GRU(4, input_dim=3, input_length=7, return_sequences=True)
    model = Sequential([layer])
    assert layer.output_shape == (None, 7, 4)
    config = layer.get_config()
    for key in ("output_dim", "init", "inner_init", "activation", "inner_activation",
                "W_regularizer", "U_regularizer", "b_regularizer", "dropout_W", "dropout_U",
                "return_sequences", "go_backwards", "stateful", "unroll", "consume_less",
                "input_dim", "input_length"):
        assert key in config, key
    assert config["inner_activation"] == "hard_sigmoid" and config["input_dim"] == 3
    assert model.count_params() == 3 * (3 * 4 + 4 * 4 + 4)


def test_keras2_spellings():
    layer = LSTM(units=3, recurrent_activation="sigmoid", recurrent_dropout=0.1, dropout=0.2)
    assert (layer.output_dim, layer.dropout_U, layer.dropout_W) == (3, 0.1, 0.2)
    assert layer.inner_activation.__name__ == "sigmoid"


def test_trainable_false_moves_weights_to_non_trainable():
    layer = LSTM(2, input_dim=3, trainable=False)
    layer.build_for((None, 4, 3))
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 3
    assert isinstance(layer, Recurrent)


def test_regularizers_enter_the_training_loss():
    model = Sequential([LSTM(2, input_shape=(3, 2), W_regularizer=regularizers.l2(10.0))])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((2, 3, 2), "float32"), np.zeros((2, 2), "float32")
    plain = Sequential([LSTM(2, input_shape=(3, 2), weights=model.get_weights())])
    plain.compile(optimizer="sgd", loss="mse")
    penalty = float(sum(model.layers[0].regularization_losses()).detach())
    assert penalty > 0
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0),
                               plain.evaluate(x, y, verbose=0) + penalty, rtol=1e-5)


@pytest.mark.parametrize("cls", [LSTM, GRU, SimpleRNN])
def test_stateful_trains_across_batches(cls):
    # stateful_lstm.py (Keras 1.2.2 example): fit() on a stateful stack, several batches per epoch.
    # The kernels keep the initial states for backward, so the buffers must not alias them.
    model = Sequential([cls(4, stateful=True, return_sequences=True, batch_input_shape=(2, 3, 1)),
                        cls(4, stateful=True), Dense(1)])
    model.compile(loss="mse", optimizer="rmsprop")
    x = np.random.rand(6, 3, 1).astype("float32")
    history = model.fit(x, np.random.rand(6, 1), batch_size=2, nb_epoch=2, shuffle=False, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert float(model.layers[1].states[0].abs().sum()) > 0
    model.reset_states()
    assert float(model.layers[1].states[0].abs().sum()) == 0
