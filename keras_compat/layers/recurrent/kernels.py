"""Step loops and fused-kernel calls shared by the recurrent layers.

Everything here works on time-major input projections ``xp`` ``(T, B, G*n)`` (``x . W + b``
for all timesteps, computed in one matmul by the caller) and a transposed recurrent
matrix ``w_hh_t`` ``(n, G*n)``, so a step costs one ``addmm`` plus elementwise ops.
Masks are time-major ``(T, B, 1)`` booleans; dropout masks on the recurrent input are
``(G, B, n)``.  Autograd differentiates the loops: they are the reference the fused
recurrences with a hand-written backward (``fused_recurrence``) are tested against.
"""
import torch

from keras_compat import activations


def is_hard_sigmoid(fn):
    return fn is activations.hard_sigmoid


def fold_hard_sigmoid(w_ih, w_hh, bias, rows):
    """Fold ``hard_sigmoid``'s ``0.2 z + 0.5`` into the gate rows ``rows`` (a slice).

    Afterwards ``hard_sigmoid(pre-activation)`` is just ``clamp(pre-activation, 0, 1)``,
    one op per step instead of three.  Autograd carries the gradients back.
    """
    scale = torch.ones(w_ih.shape[0], dtype=w_ih.dtype, device=w_ih.device)
    scale[rows] = 0.2
    shift = torch.zeros_like(scale)
    shift[rows] = 0.5
    return w_ih * scale[:, None], w_hh * scale[:, None], bias * scale + shift


def fused_gate_kind(inner_activation, activation):
    """The ``fused_recurrence`` gate kind for these activations, or None when it has none
    (it computes ``hard_sigmoid`` (folded) or ``sigmoid`` gates with a ``tanh`` cell)."""
    if activation is not activations.tanh:
        return None
    if inner_activation is activations.hard_sigmoid:
        return "clamp"
    if inner_activation is activations.sigmoid:
        return "sigmoid"
    return None


def gate_activation(inner_activation, folded):
    if folded:
        return lambda z: torch.clamp(z, 0.0, 1.0)
    return inner_activation


def _recurrent(h, w_hh_t, mask_U, gates):
    """``h . U`` for all gates, with one dropout mask per gate on ``h`` when given."""
    if mask_U is None:
        return h.mm(w_hh_t)
    n = h.shape[1]
    dropped = h.unsqueeze(0) * mask_U                                  # (G, B, n)
    per_gate = torch.bmm(dropped, w_hh_t.reshape(n, gates, -1).transpose(0, 1))  # (G, B, n)
    return per_gate.transpose(0, 1).reshape(h.shape[0], -1)


def _run_steps(step, xp, states, mask, return_sequences):
    """Run ``step(x_t, states) -> new states`` over the time-major ``xp``; a step's output is
    its first state. Keras 1's masking: at a masked step every state is kept and the output
    repeats the previous output (zeros before the first unmasked step).

    Returns ``(outputs (B, T, n) or the last output, final states)``."""
    outputs = []
    out = torch.zeros_like(states[0]) if mask is not None else None
    steps = xp.unbind(0)
    masks = mask.unbind(0) if mask is not None else [None] * len(steps)
    for x_t, m_t in zip(steps, masks):
        new = step(x_t, states)
        if m_t is None:
            states = new
            if return_sequences:
                outputs.append(new[0])
        else:
            states = tuple(torch.where(m_t, a, b) for a, b in zip(new, states))
            out = torch.where(m_t, new[0], out)
            if return_sequences:
                outputs.append(out)
    last = states[0] if mask is None else out
    result = torch.stack(outputs, 1) if return_sequences else last
    return result, states


def lstm_loop(xp, h, c, w_hh_t, gate_act, act, mask, mask_U, return_sequences):
    """Keras-1 LSTM; gate blocks of ``xp``/``w_hh_t`` in order i, f, o, c (gates first)."""
    n = h.shape[1]

    def step(x_t, states):
        h, c = states
        if mask_U is None:
            z = torch.addmm(x_t, h, w_hh_t)
        else:
            z = x_t + _recurrent(h, w_hh_t, mask_U, 4)
        s = gate_act(z[:, :3 * n])
        i, f, o = s[:, :n], s[:, n:2 * n], s[:, 2 * n:]
        c_new = torch.addcmul(f * c, i, act(z[:, 3 * n:]))
        return o * act(c_new), c_new

    return _run_steps(step, xp, (h, c), mask, return_sequences)


def gru_loop(xp, h, w_hh_t, gate_act, act, mask, mask_U, return_sequences):
    """Keras-1 GRU (reset gate applied before ``U_h``); blocks z, r, h."""
    n = h.shape[1]
    u_zr, u_h = w_hh_t[:, :2 * n], w_hh_t[:, 2 * n:]

    def step(x_t, states):
        h, = states
        if mask_U is None:
            zr = gate_act(torch.addmm(x_t[:, :2 * n], h, u_zr))
            z, r = zr[:, :n], zr[:, n:]
            hh = act(torch.addmm(x_t[:, 2 * n:], r * h, u_h))
        else:
            zr = gate_act(x_t[:, :2 * n] + _recurrent(h, u_zr, mask_U[:2], 2))
            z, r = zr[:, :n], zr[:, n:]
            hh = act(torch.addmm(x_t[:, 2 * n:], r * h * mask_U[2], u_h))
        return (torch.addcmul(hh, z, h - hh),)  # z*h + (1-z)*hh

    return _run_steps(step, xp, (h,), mask, return_sequences)


def simple_loop(xp, h, w_hh_t, act, mask, mask_U, return_sequences):
    """Keras-1 SimpleRNN: ``h = act(x.W + b + h.U)``."""
    def step(x_t, states):
        h, = states
        h_in = h if mask_U is None else h * mask_U[0]
        return (act(torch.addmm(x_t, h_in, w_hh_t)),)

    return _run_steps(step, xp, (h,), mask, return_sequences)


def _zeros_bias(bias):
    return torch.zeros_like(bias, requires_grad=False)


def fused_lstm(x, h0, c0, w_ih, w_hh, bias, return_sequences):
    """torch's fused LSTM (cuDNN on CUDA); gate blocks i, f, c(=g), o as torch expects."""
    params = (w_ih, w_hh, bias, _zeros_bias(bias))
    # ``train`` must be on whenever a backward pass may follow (cuDNN keeps its workspace
    # only then); dropout is 0, so the forward numbers are the same either way.
    out, hn, cn = torch._VF.lstm(x, (h0.unsqueeze(0), c0.unsqueeze(0)), params, True, 1, 0.0,
                                 torch.is_grad_enabled(), False, True)
    h, c = hn[0], cn[0]
    return (out if return_sequences else h), (h, c)


def fused_rnn(x, h0, w_ih, w_hh, bias, nonlinearity, return_sequences):
    """torch's fused Elman RNN (``tanh`` or ``relu``)."""
    fn = torch._VF.rnn_tanh if nonlinearity == "tanh" else torch._VF.rnn_relu
    out, hn = fn(x, h0.unsqueeze(0), (w_ih, w_hh, bias, _zeros_bias(bias)), True, 1, 0.0,
                 torch.is_grad_enabled(), False, True)
    h = hn[0]
    return (out if return_sequences else h), (h,)
