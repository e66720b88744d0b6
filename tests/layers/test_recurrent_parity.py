"""SimpleRNN / GRU / LSTM parity with real Keras 1.2.2 outputs (both backends, both paths)."""
import json

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers.core import Dense
from keras_compat.layers.embeddings import Embedding
from keras_compat.layers.recurrent import GRU, LSTM, SimpleRNN, set_implementation
from keras_compat.models import Sequential

BACKENDS = ("theano", "tensorflow")
IMPLEMENTATIONS = ("auto", "loop")


@pytest.fixture(autouse=True)
def _restore_implementation():
    yield
    set_implementation("auto")


SINGLE = {
    "lstm_last": (LSTM, 5, {}),
    "lstm_seq": (LSTM, 5, dict(return_sequences=True)),
    "lstm_last_gpulayout": (LSTM, 5, dict(consume_less="gpu")),
    "lstm_seq_gpulayout": (LSTM, 5, dict(consume_less="gpu", return_sequences=True)),
    "lstm_go_backwards": (LSTM, 5, dict(go_backwards=True, return_sequences=True)),
    "gru_last": (GRU, 4, {}),
    "gru_seq": (GRU, 4, dict(return_sequences=True)),
    "gru_last_gpulayout": (GRU, 4, dict(consume_less="gpu")),
    "gru_seq_gpulayout": (GRU, 4, dict(consume_less="gpu", return_sequences=True)),
    "gru_sigmoid_inner": (GRU, 4, dict(activation="relu", inner_activation="sigmoid")),
    "simplernn_last": (SimpleRNN, 3, {}),
    "simplernn_seq": (SimpleRNN, 3, dict(return_sequences=True)),
    "simplernn_last_gpulayout": (SimpleRNN, 3, dict(consume_less="gpu")),
    "simplernn_seq_gpulayout": (SimpleRNN, 3, dict(consume_less="gpu", return_sequences=True)),
    "lstm_dropout_test_phase": (LSTM, 4, dict(dropout_W=0.3, dropout_U=0.4,
                                              return_sequences=True)),
    "gru_dropout_test_phase": (GRU, 4, dict(dropout_W=0.3, dropout_U=0.4, return_sequences=True,
                                            consume_less="gpu")),
    "simplernn_dropout_test_phase": (SimpleRNN, 4, dict(dropout_W=0.3, dropout_U=0.4,
                                                        return_sequences=True,
                                                        consume_less="mem")),
}


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(SINGLE))
def test_single_layer(case, backend, implementation, oracle):
    config.set_backend(backend)
    set_implementation(implementation)
    cls, units, kwargs = SINGLE[case]
    recorded = oracle(case, backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    x = inputs["x_0"]
    model = Sequential([cls(units, input_shape=x.shape[1:], **kwargs)])
    meta = json.loads(str(out["meta"]))
    if "weight_shapes" in meta:
        assert [list(w.shape) for w in model.get_weights()] == meta["weight_shapes"]
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), out["y"], atol=1e-5, rtol=0)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_model_embed_lstm_masked(backend, implementation, oracle):
    config.set_backend(backend)
    set_implementation(implementation)
    recorded = oracle("model_embed_lstm_masked", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    x = inputs["x_0"]
    model = Sequential([Embedding(30, 8, input_length=7, mask_zero=True), LSTM(6),
                        Dense(1, activation="sigmoid")])
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), out["y"], atol=1e-5, rtol=0)
    lstm_out = sorted(k for k in out.files if k.startswith("lo_"))[1]
    model.eval()
    with torch.no_grad():
        t = torch.from_numpy(x)
        mask = model.layers[0].compute_mask(t)
        got = model.layers[1](model.layers[0](t), mask).numpy()
    np.testing.assert_allclose(got, out[lstm_out], atol=1e-5, rtol=0)


def _masked_pair(inputs, mask_value=-1.0):
    """The Masking layer's output and mask, computed here (Masking is another module)."""
    x = torch.from_numpy(inputs["x_0"])
    mask = (x != mask_value).any(-1)
    return x * mask.unsqueeze(-1).to(x.dtype), mask


MASKING = {
    "masking_lstm_seq": (LSTM, dict(return_sequences=True)),
    "masking_gru_backwards": (GRU, dict(return_sequences=True, go_backwards=True)),
    "masking_simplernn_last": (SimpleRNN, {}),
    "masking_lstm_gpu_last": (LSTM, dict(consume_less="gpu", inner_activation="sigmoid")),
}


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(MASKING))
def test_masking_nonzero_mask_value(case, backend, implementation, oracle):
    """Masking(mask_value=-1.0) -> RNN: leading, trailing and interior masked steps."""
    config.set_backend(backend)
    set_implementation(implementation)
    cls, kwargs = MASKING[case]
    recorded = oracle(case, backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    layer = cls(4, input_shape=(7, 3), **kwargs)
    layer.build_for((None, 7, 3), input_has_mask=True)
    layer.set_weights(weights)
    layer.eval()
    x, mask = _masked_pair(inputs)
    with torch.no_grad():
        got = layer(x, mask)
    np.testing.assert_allclose(got.numpy(), out["y"], atol=1e-5, rtol=0)
    try:
        from keras_compat.layers.core import Masking
    except ImportError:
        return
    model = Sequential([Masking(mask_value=-1.0, input_shape=(7, 3)),
                        cls(4, **kwargs)])
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(inputs["x_0"], batch_size=4), out["y"], atol=1e-5,
                               rtol=0)


STATEFUL = {"lstm_stateful": (LSTM, dict(return_sequences=True)),
            "gru_stateful": (GRU, {}),
            "simplernn_stateful": (SimpleRNN, dict(return_sequences=True))}


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(STATEFUL))
def test_stateful_across_predict_calls(case, backend, implementation, oracle):
    config.set_backend(backend)
    set_implementation(implementation)
    cls, kwargs = STATEFUL[case]
    recorded = oracle(case, backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    model = Sequential([cls(4, stateful=True, batch_input_shape=(2, 5, 3), **kwargs)])
    model.set_weights(weights)
    layer = model.layers[0]
    np.testing.assert_allclose(model.predict(inputs["x_0"], batch_size=2), out["y_0"], atol=1e-5)
    np.testing.assert_allclose(model.predict(inputs["x_1"], batch_size=2), out["y_1"], atol=1e-5)
    layer.reset_states()
    np.testing.assert_allclose(model.predict(inputs["x_1"], batch_size=2), out["y_1_reset"],
                               atol=1e-5)
    layer.reset_states()
    np.testing.assert_allclose(model.predict(inputs["x_2"], batch_size=2), out["y_2"], atol=1e-5)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("mask_zero", [False, True])
def test_fit_embed_lstm_adam(mask_zero, implementation, oracle):
    """2 epochs of Embedding+LSTM+Dense with Adam: history and weights after training."""
    config.set_backend("theano")
    set_implementation(implementation)
    case = "train_embed_lstm_masked_adam" if mask_zero else "train_embed_lstm_adam"
    recorded = oracle(case, "theano")
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    model = Sequential([Embedding(30, 8, input_length=7, mask_zero=mask_zero), LSTM(6),
                        Dense(1, activation="sigmoid")])
    model.set_weights(weights)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    x, y = inputs["x_0"], inputs["y_true"]
    np.testing.assert_allclose(model.predict(x, batch_size=16), out["y_before"], atol=1e-5)
    history = model.fit(x, y, batch_size=4, nb_epoch=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], out["history_loss"], atol=1e-4, rtol=0)
    np.testing.assert_allclose(history.history["acc"], out["history_acc"], atol=1e-6, rtol=0)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, out["w_after_%02d" % i], atol=1e-4, rtol=0,
                                   err_msg="w_after_%02d" % i)
    np.testing.assert_allclose(model.predict(x, batch_size=16), out["y_after"], atol=1e-4)


@pytest.mark.parametrize("backend", BACKENDS)
def test_masked_temporal_loss_formula(backend, oracle):
    """Keras 1's masked loss on a sequence output: mean(score * mask / mean(mask)).

    The trainer does not yet receive the output mask; this pins the formula (and our
    masked forward) against Keras's own ``evaluate``.
    """
    config.set_backend(backend)
    recorded = oracle("embed_lstm_seq_masked_loss", backend)
    inputs, weights, out = recorded.inputs, recorded.weights, recorded
    x, y_true = inputs["x_0"], inputs["y_true"]
    embed = Embedding(30, 8, input_length=7, mask_zero=True)
    lstm = LSTM(5, return_sequences=True)
    dense = Dense(2, activation="softmax")
    embed.build_for((None, 7))
    lstm.build_for((None, 7, 8), input_has_mask=True)
    dense.build_for((None, 7, 5))
    embed.set_weights(weights[:1])
    lstm.set_weights(weights[1:13])
    dense.set_weights(weights[13:])
    with torch.no_grad():
        t = torch.from_numpy(x)
        mask = embed.compute_mask(t)
        seq = lstm(embed(t), mask)
        assert lstm.compute_mask(t, mask) is mask
        y = dense(seq)
    np.testing.assert_allclose(y.numpy(), out["y"], atol=1e-5, rtol=0)
    pred = y / y.sum(-1, keepdim=True)
    pred = pred.clamp(1e-7, 1 - 1e-7)
    score = -(torch.from_numpy(y_true) * torch.log(pred)).sum(-1)
    m = mask.to(score.dtype)
    loss = (score * m / m.mean()).mean()
    np.testing.assert_allclose(float(loss), out["evaluate"][0], atol=1e-5, rtol=0)
