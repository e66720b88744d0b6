"""SimpleRNN, GRU and LSTM as an explicit loop over time steps, with masks and stateful states.

The loop is written out so the port can be read against Keras 1's equations and runs any gate
activation (``hard_sigmoid`` included, which no fused torch RNN offers). A mask keeps every
state unchanged at a padded step, as Keras 1 did. A stateful layer's states are buffers of the
generated module, carried from one forward call to the next; ``reset_states()`` zeroes them.
"""
from keras_compat.layers import GRU, LSTM, SimpleRNN
from keras_compat.port.registry import translates


def _packed_parameters(call):
    for attr in ("weight_ih", "weight_hh", "bias"):
        call.src.parameter("%s_%s" % (call.var, attr), getattr(call.layer, attr))


def _initial_states(call, names):
    layer = call.layer
    if not layer.stateful:
        return ["%s = x.new_zeros(x.shape[0], %d)" % (name, layer.output_dim) for name in names]
    lines = []
    for buf, name in zip(layer.states, names):
        attr = "%s_%s" % (call.var, name)
        call.src.buffer(attr, buf, state=True)
        lines.append("%s = self.%s  # stateful: the states the last call ended with" % (name, attr))
    return lines


def _lstm_step(call, n, w_hh):
    """Lines computing ``h_new``, ``c_new`` at step ``t`` from ``xp[:, t]``."""
    layer = call.layer
    act = lambda e: call.activation_expr(layer.activation, e)  # noqa: E731
    gate = lambda e: call.activation_expr(layer.inner_activation, e)  # noqa: E731
    return ["z = xp[:, t] + h @ %s.t()  # gate blocks i, f, c, o" % w_hh,
            "i = %s" % gate("z[:, :%d]" % n),
            "f = %s" % gate("z[:, %d:%d]" % (n, 2 * n)),
            "c_new = f * c + i * %s" % act("z[:, %d:%d]" % (2 * n, 3 * n)),
            "h_new = %s * %s" % (gate("z[:, %d:]" % (3 * n)), act("c_new"))]


def _gru_step(call, n, w_hh):
    """Lines computing ``h_new`` at step ``t`` from ``xp[:, t]``."""
    layer = call.layer
    act = lambda e: call.activation_expr(layer.activation, e)  # noqa: E731
    gate = lambda e: call.activation_expr(layer.inner_activation, e)  # noqa: E731
    return ["zr = %s" % gate("xp[:, t, :%d] + h @ %s[:%d].t()" % (2 * n, w_hh, 2 * n)),
            "z, r = zr[:, :%d], zr[:, %d:]  # update and reset gates" % (n, n),
            "hh = %s" % act("xp[:, t, %d:] + (r * h) @ %s[%d:].t()" % (2 * n, w_hh, 2 * n)),
            "h_new = z * h + (1 - z) * hh"]


def _simple_rnn_step(call, n, w_hh):
    """Lines computing ``h_new`` at step ``t`` from ``xp[:, t]``."""
    return ["h_new = %s" % call.activation_expr(call.layer.activation,
                                                "xp[:, t] + h @ %s.t()" % w_hh)]


@translates(LSTM)
def lstm(call):
    return _recurrent(call, ("h", "c"), _lstm_step)


@translates(GRU)
def gru(call):
    return _recurrent(call, ("h",), _gru_step)


@translates(SimpleRNN)
def simple_rnn(call):
    return _recurrent(call, ("h",), _simple_rnn_step)


def _recurrent(call, names, step_equations):
    """The loop over time of a recurrent layer with states ``names``, whose step is written
    by ``step_equations(call, output_dim, recurrent_weight_expr)``."""
    layer = call.layer
    var, n = call.var, layer.output_dim
    _packed_parameters(call)
    lines = ["xp = F.linear(x, self.%s_weight_ih, self.%s_bias)  # x.W + b for every step"
             % (var, var)]
    lines += _initial_states(call, names)
    masked = call.mask is not None
    # Masked and stateful: the output before the first real step is zero, not the carried state.
    separate_output = masked and layer.stateful
    if separate_output:
        lines.append("out = x.new_zeros(x.shape[0], %d)" % n)
    if layer.return_sequences:
        lines.append("outputs = []")
    steps = "reversed(range(x.shape[1])):  # go_backwards" if layer.go_backwards \
        else "range(x.shape[1]):"
    lines.append("for t in %s" % steps)
    body = step_equations(call, n, "self.%s_weight_hh" % var)
    if masked:
        body.append("m = %s[:, t].unsqueeze(1)  # padded steps keep the states" % call.mask)
        body += ["%s = torch.where(m, %s_new, %s)" % (s, s, s) for s in names]
        if separate_output:
            body.append("out = torch.where(m, h_new, out)")
    else:
        body += ["%s = %s_new" % (s, s) for s in names]
    result = "out" if separate_output else "h"
    if layer.return_sequences:
        body.append("outputs.append(%s)" % result)
    lines += ["    " + line for line in body]
    if layer.stateful:
        lines += ["self.%s_%s = %s.detach()" % (var, s, s) for s in names]
    lines.append("x = torch.stack(outputs, 1)" if layer.return_sequences else "x = %s" % result)
    return lines
