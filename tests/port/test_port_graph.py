"""to_torch() on graphs: functional models, merges, nested and shared models, masks, states."""
import numpy as np
import pytest
import torch

from keras_compat import port
from keras_compat.engine.input_layer import Input
from keras_compat.layers import (GRU, LSTM, Activation, Bidirectional, Dense, Embedding, Masking,
                                 Merge, SimpleRNN, TimeDistributed, merge)
from keras_compat.models import Model, Sequential


def _randomize(model, scale=0.5):
    for layer in model.layers:
        if hasattr(layer, "layers") and not hasattr(layer, "weight_ih"):
            _randomize(layer, scale)
            continue
        arrays = layer.get_weights()
        if arrays:
            layer.set_weights([np.random.randn(*a.shape).astype("float32") * scale
                               for a in arrays])


def _run(ported, inputs):
    with torch.no_grad():
        got = ported(*[torch.from_numpy(x) for x in inputs])
    return [g.numpy() for g in got] if isinstance(got, tuple) else [got.numpy()]


def _check(model, inputs, atol=1e-6):
    ported = model.to_torch()
    expected = model.predict(inputs if len(inputs) > 1 else inputs[0])
    expected = expected if isinstance(expected, list) else [expected]
    got = _run(ported, inputs)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, atol=atol, rtol=0)
    return ported


def test_functional_model_with_shared_layer_nested_model_and_two_outputs():
    a, b = Input(shape=(6,), name="left"), Input(shape=(6,), name="right")
    shared = Dense(4, activation="tanh", name="shared")
    inner = Sequential([Dense(5, input_dim=4), Activation("relu")], name="inner")
    ya, yb = shared(a), shared(b)
    joined = merge([inner(ya), inner(yb)], mode="concat")
    out = Dense(2, activation="softmax", name="out")(joined)
    similarity = merge([ya, yb], mode="cos", dot_axes=1)
    model = Model(input=[a, b], output=[out, similarity])
    _randomize(model)
    ported = _check(model, [np.random.rand(3, 6).astype("float32") for _ in range(2)])
    source = ported._keras_compat_source
    assert "def forward(self, left, right):" in source
    assert source.count("self.shared = nn.Linear(6, 4") == 1  # shared: declared once
    keys = set(ported.state_dict())
    assert len(keys) == 6 and {"shared.weight", "shared.bias", "out.weight", "out.bias"} <= keys


def test_input_used_by_two_layers_keeps_its_value():
    x = Input(shape=(5,))
    model = Model(input=x, output=merge([Dense(3)(x), Dense(3, activation="sigmoid")(x)],
                                        mode="mul"))
    _randomize(model)
    ported = _check(model, [np.random.rand(4, 5).astype("float32")])
    assert "inputs = x" in ported._keras_compat_source


@pytest.mark.parametrize("mode,kwargs,shape", [
    ("sum", {}, (4,)), ("mul", {}, (4,)), ("ave", {}, (4,)), ("max", {}, (4,)),
    ("concat", {"concat_axis": 1}, (3, 4)), ("concat", {"concat_axis": -1}, (3, 4)),
    ("dot", {"dot_axes": 1}, (4,)), ("dot", {"dot_axes": [2, 2]}, (3, 4)),
    ("dot", {"dot_axes": [1, 1]}, (3, 4)), ("cos", {"dot_axes": 1}, (4,))])
def test_merge_modes(mode, kwargs, shape):
    a, b = Input(shape=shape), Input(shape=shape)
    model = Model(input=[a, b], output=merge([a, b], mode=mode, **kwargs))
    inputs = [np.random.randn(3, *shape).astype("float32") for _ in range(2)]
    _check(model, inputs, atol=1e-5 if mode in ("dot", "cos") else 1e-6)


def test_keras1_merge_of_sequential_models():
    left = Sequential([Dense(4, input_dim=3, activation="relu")])
    right = Sequential([Dense(4, input_dim=2, activation="tanh")])
    model = Sequential([Merge([left, right], mode="concat"), Dense(2, activation="softmax")])
    _randomize(model)
    _randomize(left)
    _randomize(right)
    ported = _check(model, [np.random.rand(5, 3).astype("float32"),
                            np.random.rand(5, 2).astype("float32")])
    assert "def forward(self, input_1, input_2):" in ported._keras_compat_source


def test_model_nested_in_model():
    inner_in = Input(shape=(4,))
    inner = Model(input=inner_in, output=Dense(3, activation="relu")(Dense(5)(inner_in)))
    outer_in = Input(shape=(4,))
    model = Model(input=outer_in, output=Dense(1)(inner(outer_in)))
    _randomize(model)
    _check(model, [np.random.rand(2, 4).astype("float32")])


def _padded_tokens(batch=4, steps=6, vocab=9):
    tokens = np.random.randint(1, vocab, size=(batch, steps))
    for row in range(batch):  # pre-padding of different lengths, plus a hole in one row
        tokens[row, :row] = 0
    tokens[0, 3] = 0
    return tokens.astype("float32")


@pytest.mark.parametrize("rnn", [LSTM, GRU, SimpleRNN])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_masked_recurrent_stack(rnn, go_backwards):
    model = Sequential([Embedding(9, 4, input_length=6, mask_zero=True),
                        rnn(5, return_sequences=True, go_backwards=go_backwards),
                        rnn(3)])
    _randomize(model)
    ported = _check(model, [_padded_tokens()])
    assert "embedding_1_mask = x != 0" in ported._keras_compat_source.replace("  ", " ")


def test_masking_layer_and_time_distributed_and_bidirectional_with_mask():
    model = Sequential([Masking(-1.0, input_shape=(6, 3)),
                        TimeDistributed(Dense(4, activation="tanh")),
                        Bidirectional(LSTM(3, return_sequences=True), merge_mode="sum"),
                        Bidirectional(GRU(2), merge_mode="concat")])
    _randomize(model)
    x = np.random.rand(4, 6, 3).astype("float32")
    x[1, :2] = -1.0
    x[2, 4] = -1.0
    _check(model, [x])


def test_stateful_lstm_carries_states_between_calls_and_resets():
    model = Sequential([LSTM(4, stateful=True, batch_input_shape=(2, 3, 5),
                             return_sequences=True), GRU(3, stateful=True)])
    _randomize(model)
    x1, x2 = (np.random.rand(2, 3, 5).astype("float32") for _ in range(2))
    model.predict(x1, batch_size=2)  # the port starts from the states the model holds now
    ported = model.to_torch()
    for x in (x2, x1):
        np.testing.assert_allclose(_run(ported, [x])[0], model.predict(x, batch_size=2),
                                   atol=1e-6, rtol=0)
    model.reset_states()
    ported.reset_states()
    np.testing.assert_allclose(_run(ported, [x2])[0], model.predict(x2, batch_size=2),
                               atol=1e-6, rtol=0)
    assert sorted(name for name, _ in ported.named_buffers()) == [
        "gru_1_h", "lstm_1_c", "lstm_1_h"]


def test_masked_stateful_layer_outputs_zero_before_the_first_real_step():
    model = Sequential([Embedding(9, 4, batch_input_shape=(4, 6), mask_zero=True),
                        SimpleRNN(3, stateful=True, return_sequences=True)])
    _randomize(model)
    tokens = _padded_tokens()
    model.predict(tokens, batch_size=4)
    ported = model.to_torch()
    np.testing.assert_allclose(_run(ported, [tokens])[0], model.predict(tokens, batch_size=4),
                               atol=1e-6, rtol=0)


def test_merge_with_a_python_function_is_refused():
    a, b = Input(shape=(3,)), Input(shape=(3,))
    model = Model(input=[a, b], output=merge([a, b], mode=lambda t: t[0] - t[1],
                                             output_shape=(3,)))
    with pytest.raises(ValueError, match=r"merge_1 \(Merge\) merges with a Python function"):
        model.to_torch()


def test_generated_source_is_deterministic_and_loads_in_fresh_namespace():
    x = Input(shape=(5,))
    model = Model(input=x, output=Dense(2)(x))
    first, state = port.generate_source(model, "Net")
    second, _ = port.generate_source(model, "Net")
    assert first == second
    net = port.load_source(first, "Net")()
    net.load_state_dict(state)
