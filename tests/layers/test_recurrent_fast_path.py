"""The fast paths (torch's fused kernels, the hand-derived LSTM kernel) agree with the plain
autograd step loop to 1e-5: forward outputs, final states, and gradients of inputs and weights."""
import numpy as np
import pytest
import torch

from keras_compat.layers.recurrent import (GRU, LSTM, SimpleRNN, get_implementation,
                                           set_implementation)


@pytest.fixture(autouse=True)
def _restore_implementation():
    yield
    set_implementation("auto")


def _run(layer, x, implementation, mask=None):
    set_implementation(implementation)
    layer.zero_grad()
    xx = x.clone().requires_grad_(True)
    y = layer(xx, mask)
    weights = torch.linspace(-1.0, 1.0, y.numel()).view_as(y)
    (y * weights).sum().backward()
    return y.detach(), xx.grad.clone(), [p.grad.clone() for p in layer.parameters()]


CONFIGS = [
    (LSTM, dict(inner_activation="sigmoid")),                      # fused torch LSTM
    (LSTM, dict(inner_activation="sigmoid", return_sequences=True, go_backwards=True)),
    (LSTM, dict()),                                                # hard_sigmoid kernel
    (LSTM, dict(return_sequences=True)),
    (LSTM, dict(consume_less="gpu", go_backwards=True)),
    (SimpleRNN, dict()),                                           # fused rnn_tanh
    (SimpleRNN, dict(activation="relu", return_sequences=True)),   # fused rnn_relu
    (GRU, dict(return_sequences=True)),
]


@pytest.mark.parametrize("cls,kwargs", CONFIGS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_fast_path_matches_loop(cls, kwargs):
    torch.manual_seed(1)
    layer = cls(6, **kwargs)
    layer.build_for((None, 9, 5))
    with torch.no_grad():
        for p in layer.parameters():
            p.uniform_(-0.6, 0.6)
    x = torch.randn(4, 9, 5)
    fast = _run(layer, x, "auto")
    slow = _run(layer, x, "loop")
    np.testing.assert_allclose(fast[0], slow[0], atol=1e-5, rtol=0)
    np.testing.assert_allclose(fast[1], slow[1], atol=1e-5, rtol=0)
    for a, b in zip(fast[2], slow[2]):
        np.testing.assert_allclose(a, b, atol=1e-5, rtol=0)


def test_fast_path_is_really_taken(monkeypatch):
    from keras_compat.layers.recurrent import kernels
    calls = []

    def fake_fused(*args):
        calls.append("fused")
        raise RuntimeError("fused")

    monkeypatch.setattr(kernels, "fused_lstm", fake_fused)
    layer = LSTM(3, inner_activation="sigmoid")
    layer.build_for((None, 4, 2))
    with pytest.raises(RuntimeError, match="fused"):
        layer(torch.randn(2, 4, 2))
    set_implementation("loop")
    layer(torch.randn(2, 4, 2))  # the loop does not touch the fused kernel
    assert calls == ["fused"]


def test_stateful_fast_and_loop_agree():
    torch.manual_seed(2)
    outs = {}
    for implementation in ("auto", "loop"):
        torch.manual_seed(2)
        np.random.seed(2)
        layer = LSTM(5, stateful=True, inner_activation="sigmoid", batch_input_shape=(3, 6, 4))
        layer.build_for((3, 6, 4))
        set_implementation(implementation)
        x = torch.randn(3, 6, 4)
        with torch.no_grad():
            outs[implementation] = [layer(x), layer(x), layer.states[1].clone()]
    for a, b in zip(outs["auto"], outs["loop"]):
        np.testing.assert_allclose(a, b, atol=1e-5, rtol=0)
    assert not np.allclose(outs["auto"][0], outs["auto"][1])  # the state carried over


def test_set_implementation_validates():
    with pytest.raises(ValueError, match="mode"):
        set_implementation("cudnn")
    set_implementation("fused")
    assert get_implementation() == "fused"
