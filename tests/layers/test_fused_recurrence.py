"""The fused LSTM/GRU recurrences (``fused_recurrence``, hand-written backward) against the
autograd step loop they replace, against torch's numerical gradients, and against the
gradients real Keras 1.2.2 computed (oracle cases ``*_gradients``)."""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keras_compat.backend import config
from keras_compat.layers.recurrent import GRU, LSTM, fused_recurrence, kernels, set_implementation
from keras_compat.models import Sequential

F64 = torch.float64


@pytest.fixture(autouse=True)
def _restore_implementation():
    yield
    set_implementation("auto")


def _gate(kind):
    return (lambda z: torch.clamp(z, 0.0, 1.0)) if kind == "clamp" else torch.sigmoid


def _dropout_masks(mode, gates, batch, n, seed):
    """None, one mask shared by every gate (gpu layout, an expanded tensor) or one per gate."""
    if mode == "none":
        return None
    generator = torch.Generator().manual_seed(seed)
    count = 1 if mode == "shared" else gates
    masks = torch.bernoulli(torch.full((count, batch, n), 0.6, dtype=F64),
                            generator=generator) / 0.6
    return masks.expand(gates, batch, n) if mode == "shared" else masks


def _lstm_inputs(steps, batch, n, gates, seed):
    generator = torch.Generator().manual_seed(seed)

    def draw(*shape, scale=1.0):
        return (torch.randn(*shape, dtype=F64, generator=generator) * scale).requires_grad_(True)

    return (draw(steps, batch, gates * n, scale=2.0), draw(batch, n), draw(batch, n),
            draw(n, gates * n, scale=0.7))


MASK_MODES = ("none", "shared", "per_gate")
KINDS = ("clamp", "sigmoid")


@pytest.mark.parametrize("sequences", (True, False))
@pytest.mark.parametrize("mode", MASK_MODES)
@pytest.mark.parametrize("kind", KINDS)
def test_lstm_recurrence_gradcheck(kind, mode, sequences):
    xp, h0, c0, w = _lstm_inputs(4, 3, 3, 4, seed=1)
    masks = _dropout_masks(mode, 4, 3, 3, seed=2)
    assert torch.autograd.gradcheck(
        lambda *a: fused_recurrence.LSTMRecurrence.apply(*a, masks, kind, sequences),
        (xp, h0, c0, w))


@pytest.mark.parametrize("mode", MASK_MODES)
@pytest.mark.parametrize("kind", KINDS)
def test_gru_recurrence_gradcheck(kind, mode):
    xp, h0, _, w = _lstm_inputs(4, 3, 3, 3, seed=3)
    masks = _dropout_masks(mode, 3, 3, 3, seed=4)
    assert torch.autograd.gradcheck(
        lambda *a: fused_recurrence.GRURecurrence.apply(*a, masks, kind), (xp, h0, w))


def _grads(outputs, inputs, seed):
    generator = torch.Generator().manual_seed(seed)
    total = sum((out * torch.randn(out.shape, dtype=F64, generator=generator)).sum()
                for out in outputs)
    return torch.autograd.grad(total, inputs)


def _assert_close(fused, loop):
    for a, b in zip(fused, loop):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), atol=1e-6, rtol=0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.integers(1, 6), batch=st.integers(1, 4), n=st.integers(1, 5),
       kind=st.sampled_from(KINDS), mode=st.sampled_from(MASK_MODES),
       sequences=st.booleans(), masked=st.booleans(), seed=st.integers(0, 1000))
def test_lstm_kernel_matches_loop(steps, batch, n, kind, mode, sequences, masked, seed):
    xp, h0, c0, w = _lstm_inputs(steps, batch, n, 4, seed)
    masks = _dropout_masks(mode, 4, batch, n, seed)
    time_mask = _time_mask(steps, batch, seed) if masked else None
    loop = kernels.lstm_loop(xp, h0, c0, w, _gate(kind), torch.tanh, time_mask, masks,
                             sequences)
    fused = fused_recurrence.lstm(xp, h0, c0, w, masks, kind, sequences, time_mask)
    loop, fused = (loop[0],) + loop[1], (fused[0],) + fused[1]   # output, h, c
    _assert_close(fused, loop)
    inputs = (xp, h0, c0, w)
    _assert_close(_grads(fused, inputs, seed), _grads(loop, inputs, seed))


def _time_mask(steps, batch, seed):
    """Keras-1 timestep mask ``(T, B, 1)``; sample 0 is fully masked (its output stays 0
    while its states keep the initial ones)."""
    generator = torch.Generator().manual_seed(seed)
    mask = torch.rand(steps, batch, 1, generator=generator) > 0.4
    mask[:, 0] = False
    return mask


@pytest.mark.parametrize("sequences", (True, False))
@pytest.mark.parametrize("kind", KINDS)
def test_masked_lstm_recurrence_gradcheck(kind, sequences):
    xp, h0, c0, w = _lstm_inputs(5, 3, 3, 4, seed=5)
    masks = _dropout_masks("per_gate", 4, 3, 3, seed=6)
    time_mask = _time_mask(5, 3, seed=7)
    assert torch.autograd.gradcheck(
        lambda *a: fused_recurrence.MaskedLSTMRecurrence.apply(*a, masks, kind, sequences,
                                                               time_mask),
        (xp, h0, c0, w))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.integers(1, 6), batch=st.integers(1, 4), n=st.integers(1, 5),
       kind=st.sampled_from(KINDS), mode=st.sampled_from(MASK_MODES),
       sequences=st.booleans(), seed=st.integers(0, 1000))
def test_gru_kernel_matches_loop(steps, batch, n, kind, mode, sequences, seed):
    xp, h0, _, w = _lstm_inputs(steps, batch, n, 3, seed)
    masks = _dropout_masks(mode, 3, batch, n, seed)
    loop_out, _ = kernels.gru_loop(xp, h0, w, _gate(kind), torch.tanh, None, masks, sequences)
    fused_out, _ = fused_recurrence.gru(xp, h0, w, masks, kind, sequences)
    _assert_close((fused_out,), (loop_out,))
    inputs = (xp, h0, w)
    _assert_close(_grads((fused_out,), inputs, seed), _grads((loop_out,), inputs, seed))


@pytest.mark.parametrize("gates,run", [
    (4, lambda xp, h0, c0, w: fused_recurrence.lstm(xp, h0, c0, w, None, "clamp", True)[0]),
    (3, lambda xp, h0, c0, w: fused_recurrence.gru(xp, h0, w, None, "clamp", True)[0]),
])
def test_clamp_slope_includes_both_ends(gates, run):
    """Pre-activations exactly 0 or 1 (x = -2.5 or 2.5 before folding) get slope 1, as torch's
    clamp, Theano's and TensorFlow's clip give it: the step loop's gradient is the reference."""
    steps, batch, n = 3, 2, 2
    xp = torch.tensor([0.0, 1.0, 0.5, -0.3, 1.4, 0.0], dtype=F64).repeat(
        steps * batch * gates * n // 6).view(steps, batch, gates * n).requires_grad_(True)
    h0 = torch.zeros(batch, n, dtype=F64)
    c0 = torch.full((batch, n), 0.5, dtype=F64)
    w = torch.zeros(n, gates * n, dtype=F64, requires_grad=True)  # pre-activation == xp
    fused = run(xp, h0, c0, w)
    if gates == 4:
        loop = kernels.lstm_loop(xp, h0, c0, w, _gate("clamp"), torch.tanh, None, None, True)[0]
    else:
        loop = kernels.gru_loop(xp, h0, w, _gate("clamp"), torch.tanh, None, None, True)[0]
    (d_fused,) = torch.autograd.grad(fused.sum(), xp)
    (d_loop,) = torch.autograd.grad(loop.sum(), xp)
    np.testing.assert_allclose(d_fused.numpy(), d_loop.numpy(), atol=1e-12, rtol=0)
    at_ends = (xp.detach() == 0) | (xp.detach() == 1)
    at_ends[..., (gates - 1) * n:] = False   # the tanh block has no clamp
    assert (d_fused[at_ends] != 0).any()     # the ends are inside, not cut off


LAYER_CASES = st.fixed_dictionaries(dict(
    cls=st.sampled_from((LSTM, GRU)),
    inner_activation=st.sampled_from(("hard_sigmoid", "sigmoid")),
    consume_less=st.sampled_from(("cpu", "mem", "gpu")),
    dropout_W=st.sampled_from((0.0, 0.3)),
    dropout_U=st.sampled_from((0.0, 0.4)),
    return_sequences=st.booleans(),
    go_backwards=st.booleans(),
))


def _layer_run(layer, x, implementation, seed, mask=None):
    set_implementation(implementation)
    layer.zero_grad()
    xx = x.clone().requires_grad_(True)
    torch.manual_seed(seed)  # the same dropout masks for both implementations
    y = layer(xx, mask)
    weights = torch.linspace(-1.0, 1.0, y.numel(), dtype=F64).view_as(y)
    (y * weights).sum().backward()
    return [y.detach(), xx.grad] + [p.grad.clone() for p in layer.parameters()]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=LAYER_CASES, steps=st.integers(1, 5), batch=st.integers(1, 3),
       units=st.integers(1, 4), masked=st.booleans(), seed=st.integers(0, 1000))
def test_layer_fused_matches_loop_in_training(case, steps, batch, units, masked, seed):
    """Training phase, dropout active, masked or not: outputs and the gradients of W, U, b
    and the input."""
    cls = case.pop("cls")
    torch.manual_seed(seed)
    layer = cls(units, **case)
    layer.build_for((None, steps, 3), input_has_mask=masked)
    layer.double().train()
    with torch.no_grad():
        for p in layer.parameters():
            p.uniform_(-1.0, 1.0)
    x = torch.randn(batch, steps, 3, dtype=F64)
    mask = _time_mask(steps, batch, seed)[..., 0].t() if masked else None   # (B, T)
    _assert_close(_layer_run(layer, x, "auto", seed, mask),
                  _layer_run(layer, x, "loop", seed, mask))


def _fused_node(y):
    """Whether ``y`` comes out of one of the fused recurrences (within a few view ops)."""
    node, seen = y.grad_fn, 0
    while node is not None and seen < 4:
        if "Recurrence" in type(node).__name__:
            return True
        node = node.next_functions[0][0] if node.next_functions else None
        seen += 1
    return False


@pytest.mark.parametrize("cls", [LSTM, GRU])
def test_fused_path_taken_unless_loop(cls):
    layer = cls(3, dropout_U=0.3, return_sequences=True)
    layer.build_for((None, 4, 2), input_has_mask=True)
    layer.train()
    x = torch.randn(2, 4, 2, requires_grad=True)
    assert _fused_node(layer(x))
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=torch.bool)
    # Keras-1 masking: fused for the LSTM, the step loop for the GRU
    assert _fused_node(layer(x, mask)) == (cls is LSTM)
    set_implementation("loop")
    assert not _fused_node(layer(x))


GRADIENT_CASES = {
    "lstm_gradients": (LSTM, {}),
    "lstm_gradients_gpulayout": (LSTM, dict(consume_less="gpu")),
    "gru_gradients": (GRU, {}),
    "gru_gradients_gpulayout": (GRU, dict(consume_less="gpu")),
}


@pytest.mark.parametrize("implementation", ("auto", "loop"))
@pytest.mark.parametrize("backend", ("theano", "tensorflow"))
@pytest.mark.parametrize("case", sorted(GRADIENT_CASES))
def test_gradients_match_keras1(case, backend, implementation, oracle):
    config.set_backend(backend)
    set_implementation(implementation)
    cls, kwargs = GRADIENT_CASES[case]
    recorded = oracle(case, backend)
    x, coeff = recorded.inputs["x_0"], recorded.inputs["coeff"]
    model = Sequential([cls(5, return_sequences=True, input_shape=(6, 4), **kwargs)])
    model.set_weights(recorded.weights)
    layer = model.layers[0]
    xx = torch.from_numpy(x).requires_grad_(True)
    y = layer(xx)
    np.testing.assert_allclose(y.detach().numpy(), recorded["y"], atol=1e-5, rtol=0)
    (y * torch.from_numpy(coeff)).sum().backward()
    np.testing.assert_allclose(xx.grad.numpy(), recorded["grad_x"], atol=1e-5, rtol=0)
    with torch.no_grad():  # the packed gradients, read back through the Keras-1 weight views
        for p in layer.parameters():
            p.copy_(p.grad)
    for i, grad in enumerate(layer.get_weights()):
        np.testing.assert_allclose(grad, recorded["grad_w_%02d" % i], atol=1e-5, rtol=0,
                                   err_msg="grad_w_%02d" % i)
