"""Step loops and fused-kernel calls shared by the recurrent layers.

Everything here works on time-major input projections ``xp`` ``(T, B, G*n)`` (``x . W + b``
for all timesteps, computed in one matmul by the caller) and a transposed recurrent
matrix ``w_hh_t`` ``(n, G*n)``, so a step costs one ``addmm`` plus elementwise ops.
Masks are time-major ``(T, B, 1)`` booleans; dropout masks on the recurrent input are
``(G, B, n)``.  Autograd differentiates the loops; no hand-written backward.
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


class _ClampLSTM(torch.autograd.Function):
    """The hard-sigmoid LSTM (gates clamped after folding, ``tanh`` cell) as one autograd node.

    Forward runs the step loop without recording a graph, writing every step into
    preallocated buffers; backward walks the steps in reverse with six small ops per step
    (the per-step derivative factors are computed for all steps at once) and forms the
    weight gradient with one large matmul over all steps instead of one per step.
    Inputs: ``xp`` ``(T, B, 4n)`` (blocks i, f, o, c, hard-sigmoid rows pre-folded),
    ``h0``, ``c0`` ``(B, n)``, ``w_hh_t`` ``(n, 4n)``.  Outputs: all hidden states
    ``(T, B, n)`` and the last cell state.
    """

    @staticmethod
    def forward(ctx, xp, h0, c0, w_hh_t):
        steps, batch, width = xp.shape
        n = width // 4
        z = torch.empty_like(xp)
        cells = xp.new_empty(steps, batch, n)
        tanh_cells = torch.empty_like(cells)
        hs = torch.empty_like(cells)
        h, c = h0, c0
        for t in range(steps):
            zt = torch.addmm(xp[t], h, w_hh_t, out=z[t])
            zt[:, :3 * n].clamp_(0.0, 1.0)
            zt[:, 3 * n:].tanh_()
            c = torch.addcmul(zt[:, n:2 * n] * c, zt[:, :n], zt[:, 3 * n:], out=cells[t])
            torch.tanh(c, out=tanh_cells[t])
            h = torch.mul(zt[:, 2 * n:3 * n], tanh_cells[t], out=hs[t])
        ctx.save_for_backward(z, cells, tanh_cells, hs, h0, c0, w_hh_t)
        return hs, c.clone()

    @staticmethod
    def backward(ctx, d_hs, d_c_last):
        z, cells, tanh_cells, hs, h0, c0, w_hh_t = ctx.saved_tensors
        steps, batch, width = z.shape
        n = width // 4
        i, f, o, g = z[..., :n], z[..., n:2 * n], z[..., 2 * n:3 * n], z[..., 3 * n:]
        c_prev = torch.cat((c0.unsqueeze(0), cells[:-1]))
        in_range = ((z[..., :3 * n] > 0) & (z[..., :3 * n] < 1)).to(z.dtype)
        # dZ[t] = [dc, dc, dh, dc] * factors[t]
        factors = torch.cat((g * in_range[..., :n], c_prev * in_range[..., n:2 * n],
                             tanh_cells * in_range[..., 2 * n:], i * (1 - g * g)), -1)
        o_dtanh = o * (1 - tanh_cells * tanh_cells)
        d_z = torch.empty_like(z)
        w_t = w_hh_t.t()
        dh = torch.zeros_like(h0)
        dc = d_c_last if d_c_last is not None else torch.zeros_like(c0)
        if d_hs is None:
            d_hs = torch.zeros_like(hs)
        for t in range(steps - 1, -1, -1):
            dh = dh + d_hs[t]
            dc = torch.addcmul(dc, dh, o_dtanh[t])
            torch.mul(torch.cat((dc, dc, dh, dc), 1), factors[t], out=d_z[t])
            dc = dc * f[t]
            dh = d_z[t].mm(w_t)
        h_prev = torch.cat((h0.unsqueeze(0), hs[:-1])).reshape(-1, n)
        d_w = h_prev.t().mm(d_z.reshape(-1, width))
        return d_z, dh, dc, d_w


def clamp_lstm(xp, h0, c0, w_hh_t, return_sequences):
    """Hard-sigmoid/tanh LSTM without mask or dropout through :class:`_ClampLSTM`."""
    hs, c = _ClampLSTM.apply(xp, h0, c0, w_hh_t)
    h = hs[-1]
    return (hs.transpose(0, 1) if return_sequences else h), (h, c)
