"""Fused Keras-1 LSTM and GRU recurrences: one autograd node each, with a hand-written backward.

The autograd step loops in ``kernels`` record about ten graph nodes per timestep and
autograd then walks them one by one; here the forward runs the steps without recording
a graph, writing every step into preallocated buffers, and the backward walks the steps
in reverse with a handful of element-wise ops and one recurrent product per step (two
for the GRU, whose reset gate sits between its two products).  Derivative factors that
do not depend on the incoming gradient are computed for all steps at once before the
reverse walk, and the recurrent weight gradient is one matrix product over all steps
after it.  The input projections ``xp`` (``x . W + b`` for every step, one matmul) stay
outside: their gradient ``d xp`` is returned and autograd carries it into ``W``, ``b``
and ``x``.

Gates: ``'clamp'`` is Keras 1's ``hard_sigmoid`` with its ``0.2 z + 0.5`` already folded
into the gate rows of ``xp`` and ``w_hh_t`` (``kernels.fold_hard_sigmoid``), so the gate is
``clamp(z, 0, 1)``.  Its derivative is 1 on the closed interval ``0 <= z <= 1`` and 0
outside (``0.2`` on ``-2.5 <= x <= 2.5`` before folding): Theano's and TensorFlow's clip
gradients, the ones Keras 1 trained with, include both ends, and so does torch's
``clamp``, which the step loop differentiates.  The pre-activations are kept so the
boundary test is made on them, not on the clamped values.  ``'sigmoid'`` is the logistic
gate (derivative ``s (1 - s)``).  The cell/candidate activation is ``tanh``.

Variational ``dropout_U``: the per-sequence masks ``(G, B, n)`` multiply ``h`` inside the
recurrence, one mask per gate (Keras 1's cpu/mem modes) or one shared mask (gpu mode,
an expanded tensor); the backward multiplies by the same masks.  Keras 1's timestep
masking (a masked step keeps the states and repeats the previous output) is handled for
the LSTM (:class:`MaskedLSTMRecurrence`); a masked GRU runs the autograd step loop.

Shapes: ``xp`` ``(T, B, G*n)`` time-major, states ``(B, n)``, ``w_hh_t`` ``(n, G*n)``.

Per-step views (a step's gate block, its cell state) are made once, before a loop, with
``unbind``: indexing ``acts[t][:, :3 * n]`` inside the loop costs about 5 us a view on this
project's CPU, as much per step as the element-wise maths of a step.
"""
import torch

GATE_KINDS = ("clamp", "sigmoid")


class _RecurrentProduct:
    """``h . U`` for one block of gates, with optional variational dropout masks on ``h``.

    ``w_t`` is ``(n, G*n)``; ``masks`` is None, or ``(G, B, n)`` (a mask per gate; an
    expanded tensor means one mask shared by every gate), or ``(B, n)`` (one mask).
    """

    def __init__(self, w_t, masks):
        self.w_t = w_t
        self.gates = w_t.shape[1] // w_t.shape[0]
        self.shared = None     # one mask for every gate
        self.per_gate = None   # (G, B, n), one mask per gate
        if masks is not None:
            if masks.dim() == 2:
                self.shared = masks
            elif masks.stride(0) == 0 or masks.shape[0] == 1:
                self.shared = masks[0]
            else:
                self.per_gate = masks
        if self.per_gate is not None:
            n = w_t.shape[0]
            self.w_g = w_t.reshape(n, self.gates, n).transpose(0, 1).contiguous()  # (G, n, n)
            self.w_g_t = self.w_g.transpose(1, 2)
        self._w = None   # U itself (G*n, n), contiguous: made on the first input_grad

    def add_to(self, z, h):
        """``z += h . U`` in place (``z`` ``(B, G*n)``, holding the input projection)."""
        if self.per_gate is None:
            return z.addmm_(h if self.shared is None else h * self.shared, self.w_t)
        batch, n = h.shape
        per_gate = torch.bmm(h.unsqueeze(0) * self.per_gate, self.w_g)       # (G, B, n)
        z.view(batch, self.gates, n).add_(per_gate.transpose(0, 1))
        return z

    def input_grad(self, d_out):
        """Gradient with respect to ``h`` of ``h . U`` given ``d_out`` ``(B, G*n)``."""
        if self.per_gate is None:
            if self._w is None:
                self._w = self.w_t.t().contiguous()
            d_h = d_out.mm(self._w)
            return d_h if self.shared is None else d_h * self.shared
        batch, n = d_out.shape[0], self.w_t.shape[0]
        d_gates = torch.bmm(d_out.view(batch, self.gates, n).transpose(0, 1), self.w_g_t)
        return (d_gates * self.per_gate).sum(0)

    def weight_grad(self, h_prev, d_out):
        """``d U`` over all steps at once: ``h_prev`` ``(T, B, n)``, ``d_out`` ``(T, B, G*n)``."""
        n = self.w_t.shape[0]
        if self.per_gate is None:
            h_in = h_prev if self.shared is None else h_prev * self.shared
            return h_in.reshape(-1, n).t().mm(d_out.reshape(-1, d_out.shape[-1]))
        steps, batch = h_prev.shape[:2]
        h_in = (h_prev.unsqueeze(0) * self.per_gate.unsqueeze(1)).reshape(self.gates, -1, n)
        d_g = d_out.reshape(steps * batch, self.gates, n).transpose(0, 1)     # (G, T*B, n)
        d_w_g = torch.bmm(h_in.transpose(1, 2), d_g)                          # (G, n, n)
        return d_w_g.transpose(0, 1).reshape(n, self.gates * n)


def _gate_(pre, out, kind):
    if kind == "clamp":
        return torch.clamp(pre, 0.0, 1.0, out=out)
    return torch.sigmoid(pre, out=out)


def _gate_slope(pre, gate, kind):
    """The gate's derivative for all steps at once, from its pre-activation/value.

    For ``clamp`` a boolean tensor (it multiplies as 0/1): ``clamp(z, 0, 1) == z`` exactly
    where ``0 <= z <= 1``, the closed interval, so one comparison of the kept gate values
    with the pre-activations replaces two comparisons, an ``and`` and a conversion.
    """
    if kind == "clamp":
        return torch.eq(gate, pre)
    return gate * (1 - gate)


def _steps(tensor, start=None, stop=None):
    """The per-step views ``tensor[t][:, start:stop]`` of a time-major tensor, all at once."""
    if start is not None or stop is not None:
        tensor = tensor[..., start:stop]
    return tensor.unbind(0)


def _lstm_step_views(pre, acts, n):
    """Each step's views the LSTM forward reads and writes: pre-activations (all, gates,
    candidate) and activations (gates, i, f, o, candidate)."""
    return (_steps(pre), _steps(pre, 0, 3 * n), _steps(pre, 3 * n),
            _steps(acts, 0, 3 * n), _steps(acts, 0, n), _steps(acts, n, 2 * n),
            _steps(acts, 2 * n, 3 * n), _steps(acts, 3 * n))


def _previous(first, rest):
    """``(T, B, n)`` states entering each step: the initial state, then all but the last."""
    return torch.cat((first.unsqueeze(0), rest[:-1]))


def _lstm_step_factors(pre, acts, cells, tanh_cells, c0, kind):
    """What the LSTM's reverse walk multiplies by at every step, for all steps at once.

    Returns ``(f, factors, o_dtanh)``: the forget gates, the factors with which
    ``d pre[t] = [dc, dc, dh, dc] * factors[t]`` (blocks i, f, o, c), and ``o * tanh'(c)``,
    which carries ``dh`` into ``dc``.
    """
    n = acts.shape[-1] // 4
    slope = _gate_slope(pre[..., :3 * n], acts[..., :3 * n], kind)
    i, f, g = acts[..., :n], acts[..., n:2 * n], acts[..., 3 * n:]
    factors = torch.cat((g * slope[..., :n], _previous(c0, cells) * slope[..., n:2 * n],
                         tanh_cells * slope[..., 2 * n:], i * (1 - g * g)), -1)
    o_dtanh = acts[..., 2 * n:3 * n] * (1 - tanh_cells * tanh_cells)
    return f, factors, o_dtanh


class LSTMRecurrence(torch.autograd.Function):
    """Keras-1 LSTM recurrence, gate blocks of ``xp``/``w_hh_t`` in order i, f, o, c.

    ``forward(xp, h0, c0, w_hh_t, mask_U, kind, sequences)`` returns the hidden states
    (all of them ``(T, B, n)`` when ``sequences``, else the last ``(B, n)``) and the last
    cell state ``(B, n)``.
    """

    @staticmethod
    def forward(ctx, xp, h0, c0, w_hh_t, mask_U, kind, sequences):
        steps, batch, width = xp.shape
        n = width // 4
        product = _RecurrentProduct(w_hh_t, mask_U)
        pre = xp.clone()   # one copy; each step then adds its recurrent product in place
        acts = torch.empty_like(xp)
        cells = xp.new_empty(steps, batch, n)
        tanh_cells = torch.empty_like(cells)
        hs = torch.empty_like(cells)
        h, c = h0, c0
        for z, gate_z, cand_z, gates, i, f, o, cand, c_out, tanh_c, h_out in zip(
                *_lstm_step_views(pre, acts, n), _steps(cells), _steps(tanh_cells),
                _steps(hs)):
            product.add_to(z, h)
            _gate_(gate_z, gates, kind)
            torch.tanh(cand_z, out=cand)
            c = torch.addcmul(f * c, i, cand, out=c_out)
            torch.tanh(c, out=tanh_c)
            h = torch.mul(o, tanh_c, out=h_out)
        ctx.kind = kind
        ctx.sequences = sequences
        ctx.save_for_backward(pre, acts, cells, tanh_cells, hs, h0, c0, w_hh_t, mask_U)
        return (hs if sequences else h.clone()), c.clone()

    @staticmethod
    def backward(ctx, d_out, d_c_last):
        pre, acts, cells, tanh_cells, hs, h0, c0, w_hh_t, mask_U = ctx.saved_tensors
        steps = acts.shape[0]
        product = _RecurrentProduct(w_hh_t, mask_U)
        f, factors, o_dtanh = _lstm_step_factors(pre, acts, cells, tanh_cells, c0, ctx.kind)
        d_pre = torch.empty_like(acts)
        if ctx.sequences:
            dh = torch.zeros_like(h0)
        else:   # only the last step's output is used: its gradient enters once, at the end
            dh = d_out
        dc = d_c_last
        d_outs = _steps(d_out) if ctx.sequences else (None,) * steps
        for d_out_t, o_dtanh_t, factors_t, d_pre_t, f_t in zip(
                reversed(d_outs), reversed(_steps(o_dtanh)), reversed(_steps(factors)),
                reversed(_steps(d_pre)), reversed(_steps(f))):
            if d_out_t is not None:
                dh = dh + d_out_t
            dc = torch.addcmul(dc, dh, o_dtanh_t)
            torch.mul(torch.cat((dc, dc, dh, dc), 1), factors_t, out=d_pre_t)
            dc = dc * f_t
            dh = product.input_grad(d_pre_t)
        d_w = product.weight_grad(_previous(h0, hs), d_pre)
        return d_pre, dh, dc, d_w, None, None, None


class MaskedLSTMRecurrence(torch.autograd.Function):
    """:class:`LSTMRecurrence` with Keras 1's timestep masking: ``mask`` ``(T, B, 1)`` bool;
    at a masked step both states are carried over unchanged and the output repeats the
    previous output (zeros before the first unmasked step).

    ``forward(xp, h0, c0, w_hh_t, mask_U, kind, sequences, mask)`` returns the outputs
    (``(T, B, n)`` when ``sequences``, else the last ``(B, n)``) and the last ``h`` and ``c``
    states (which differ from the last output only before a sample's first unmasked step).
    """

    @staticmethod
    def forward(ctx, xp, h0, c0, w_hh_t, mask_U, kind, sequences, mask):
        steps, batch, width = xp.shape
        n = width // 4
        product = _RecurrentProduct(w_hh_t, mask_U)
        pre = xp.clone()
        acts = torch.empty_like(xp)
        tanh_cells = xp.new_empty(steps, batch, n)
        hs, cs, outs = (torch.empty_like(tanh_cells) for _ in range(3))   # states kept
        h, c, out = h0, c0, torch.zeros_like(h0)
        for z, gate_z, cand_z, gates, i, f, o, cand, tanh_c, m, h_out, c_out, y_out in zip(
                *_lstm_step_views(pre, acts, n), _steps(tanh_cells), _steps(mask),
                _steps(hs), _steps(cs), _steps(outs)):
            product.add_to(z, h)
            _gate_(gate_z, gates, kind)
            torch.tanh(cand_z, out=cand)
            c_new = torch.addcmul(f * c, i, cand)
            torch.tanh(c_new, out=tanh_c)
            h_new = o * tanh_c
            h = torch.where(m, h_new, h, out=h_out)
            c = torch.where(m, c_new, c, out=c_out)
            out = torch.where(m, h_new, out, out=y_out)
        ctx.kind = kind
        ctx.sequences = sequences
        ctx.save_for_backward(pre, acts, cs, tanh_cells, hs, h0, c0, w_hh_t, mask_U, mask)
        return (outs if sequences else out.clone()), h.clone(), c.clone()

    @staticmethod
    def backward(ctx, d_out, d_h_last, d_c_last):
        pre, acts, cs, tanh_cells, hs, h0, c0, w_hh_t, mask_U, mask = ctx.saved_tensors
        steps = acts.shape[0]
        product = _RecurrentProduct(w_hh_t, mask_U)
        f, factors, o_dtanh = _lstm_step_factors(pre, acts, cs, tanh_cells, c0, ctx.kind)
        kept = mask.to(acts.dtype)
        d_pre = torch.empty_like(acts)
        dh, dc = d_h_last, d_c_last          # into the h and c states after step t
        d_y = torch.zeros_like(h0) if ctx.sequences else d_out   # into the output of step t
        d_outs = _steps(d_out) if ctx.sequences else (None,) * steps
        for d_out_t, m, o_dtanh_t, factors_t, d_pre_t, f_t in zip(
                reversed(d_outs), reversed(_steps(kept)), reversed(_steps(o_dtanh)),
                reversed(_steps(factors)), reversed(_steps(d_pre)), reversed(_steps(f))):
            if d_out_t is not None:
                d_y = d_y + d_out_t
            # An unmasked step's new h is both the state and the output; a masked step
            # passes both gradients through to the previous step unchanged.
            d_h_new = (dh + d_y) * m
            dh = torch.addcmul(dh, dh, m, value=-1)
            d_y = torch.addcmul(d_y, d_y, m, value=-1)
            d_c_new = torch.addcmul(dc * m, d_h_new, o_dtanh_t)
            dc = torch.addcmul(dc, dc, m, value=-1)
            torch.mul(torch.cat((d_c_new, d_c_new, d_h_new, d_c_new), 1), factors_t,
                      out=d_pre_t)
            dc = torch.addcmul(dc, d_c_new, f_t)
            dh = dh + product.input_grad(d_pre_t)
        d_w = product.weight_grad(_previous(h0, hs), d_pre)
        return d_pre, dh, dc, d_w, None, None, None, None


class GRURecurrence(torch.autograd.Function):
    """Keras-1 GRU recurrence (reset gate applied to ``h`` before ``U_h``), blocks z, r, h.

    ``forward(xp, h0, w_hh_t, mask_U, kind)`` returns all hidden states ``(T, B, n)``.
    """

    @staticmethod
    def forward(ctx, xp, h0, w_hh_t, mask_U, kind):
        steps, batch, width = xp.shape
        n = width // 3
        gates = _RecurrentProduct(w_hh_t[:, :2 * n], None if mask_U is None else mask_U[:2])
        u_h = w_hh_t[:, 2 * n:]
        mask_h = None if mask_U is None else mask_U[2]
        pre = xp[..., :2 * n].clone()  # each step adds its recurrent product in place
        zr = torch.empty_like(pre)
        reset_h = xp.new_empty(steps, batch, n)
        cand = torch.empty_like(reset_h)
        hs = torch.empty_like(reset_h)
        h = h0
        for pre_t, zr_t, z_t, r_t, rh_out, x_cand, cand_t, h_out in zip(
                _steps(pre), _steps(zr), _steps(zr, 0, n), _steps(zr, n), _steps(reset_h),
                _steps(xp, 2 * n), _steps(cand), _steps(hs)):
            gates.add_to(pre_t, h)
            _gate_(pre_t, zr_t, kind)
            rh = torch.mul(r_t, h, out=rh_out)
            if mask_h is not None:
                rh.mul_(mask_h)
            torch.tanh(torch.addmm(x_cand, rh, u_h), out=cand_t)
            # z * h + (1 - z) * hh
            h = torch.addcmul(cand_t, z_t, h - cand_t, out=h_out)
        ctx.kind = kind
        ctx.save_for_backward(pre, zr, reset_h, cand, hs, h0, w_hh_t, mask_U)
        return hs

    @staticmethod
    def backward(ctx, d_hs):
        pre, zr, reset_h, cand, hs, h0, w_hh_t, mask_U = ctx.saved_tensors
        steps, batch, n = hs.shape
        gates = _RecurrentProduct(w_hh_t[:, :2 * n], None if mask_U is None else mask_U[:2])
        u_h_t = w_hh_t[:, 2 * n:].t()
        slope = _gate_slope(pre, zr, ctx.kind)
        z, r = zr[..., :n], zr[..., n:]
        h_prev = _previous(h0, hs)
        d_z_factor = (h_prev - cand) * slope[..., :n]
        d_cand_factor = (1 - z) * (1 - cand * cand)
        d_r_factor = h_prev * slope[..., n:]
        r_eff = r
        if mask_U is not None:
            d_r_factor = d_r_factor * mask_U[2]
            r_eff = r * mask_U[2]
        d_xp = hs.new_empty(steps, batch, 3 * n)
        dh = torch.zeros_like(h0)
        for d_hs_t, d_gates, d_z, d_r, d_cand, d_z_f, d_cand_f, d_r_f, z_t, r_t in zip(
                *(reversed(steps_of) for steps_of in (
                    _steps(d_hs), _steps(d_xp, 0, 2 * n), _steps(d_xp, 0, n),
                    _steps(d_xp, n, 2 * n), _steps(d_xp, 2 * n), _steps(d_z_factor),
                    _steps(d_cand_factor), _steps(d_r_factor), _steps(z), _steps(r_eff)))):
            dh = dh + d_hs_t
            torch.mul(dh, d_z_f, out=d_z)
            torch.mul(dh, d_cand_f, out=d_cand)
            d_rh = d_cand.mm(u_h_t)
            torch.mul(d_rh, d_r_f, out=d_r)
            dh = torch.addcmul(dh * z_t, d_rh, r_t)
            dh = dh + gates.input_grad(d_gates)
        d_w_gates = gates.weight_grad(h_prev, d_xp[..., :2 * n])
        d_w_h = reset_h.reshape(-1, n).t().mm(d_xp[..., 2 * n:].reshape(-1, n))
        return d_xp, dh, torch.cat((d_w_gates, d_w_h), 1), None, None


def lstm(xp, h0, c0, w_hh_t, mask_U, kind, return_sequences, mask=None):
    """Run :class:`LSTMRecurrence` (:class:`MaskedLSTMRecurrence` with a time-major ``mask``
    ``(T, B, 1)``); returns ``(outputs (B, T, n) or the last output, (h, c))``."""
    if mask is not None:
        out, h, c = MaskedLSTMRecurrence.apply(xp, h0, c0, w_hh_t, mask_U, kind,
                                               return_sequences, mask)
        return (out.transpose(0, 1) if return_sequences else out), (h, c)
    out, c = LSTMRecurrence.apply(xp, h0, c0, w_hh_t, mask_U, kind, return_sequences)
    if not return_sequences:
        return out, (out, c)
    h = out[-1]
    return out.transpose(0, 1), (h, c)


def gru(xp, h0, w_hh_t, mask_U, kind, return_sequences):
    """Run :class:`GRURecurrence`; returns ``(outputs (B, T, n) or last h, (h,))``."""
    hs = GRURecurrence.apply(xp, h0, w_hh_t, mask_U, kind)
    h = hs[-1]
    return (hs.transpose(0, 1) if return_sequences else h), (h,)
