"""ConvLSTM2D as an explicit loop over time steps, like the LSTM of translators/recurrent.py.

The four gates' input kernels (order i, c, f, o) form one ``nn.Conv2d`` run on every step at
once; their recurrent kernels form a second one, always ``'same'`` with stride 1, run once per
step on ``h``. Backend choices are resolved as for Convolution2D: kernels are stored in torch's
orientation (``port/kernels.py``), and ``'same'`` padding is written out.
"""
import torch

from keras_compat.backend import convolution as geometry
from keras_compat.layers import ConvLSTM2D
from keras_compat.port.layout import pad_argument
from keras_compat.port.registry import translates
from keras_compat.port.translators.convolutional import padding_option

GATES = ("i", "c", "f", "o")


def _conv_module(call, attr, weight, bias, strides, pads):
    """Declare ``self.<attr>`` (an nn.Conv2d); return the F.pad amounts it cannot do itself."""
    padding, pad_line = padding_option(pads)
    outside = pad_argument(pads) if pad_line else None
    call.src.declare("self.%s = nn.Conv2d(%d, %d, kernel_size=%s, stride=%s%s, bias=%s)"
                     % (attr, weight.shape[1], weight.shape[0], tuple(weight.shape[2:]),
                        tuple(strides), padding, bias is not None))
    call.src.param(attr + ".weight", weight)
    if bias is not None:
        call.src.param(attr + ".bias", bias)
    return outside


def _conv_expr(attr, source, outside, keep, natural):
    """``self.<attr>`` applied to ``source``, with its outside padding and Theano's crop."""
    if outside is not None:
        source = "F.pad(%s, %s)" % (source, outside)
    expr = "self.%s(%s)" % (attr, source)
    if keep is not None and tuple(keep) != tuple(natural):
        expr += "[:, :, %s]" % ", ".join(":%d" % k for k in keep)
    return expr


def _result_size(spatial, kernel, strides, pads):
    return [(n + a + b - k) // s + 1 for n, k, s, (a, b) in zip(spatial, kernel, strides, pads)]


@translates(ConvLSTM2D)
def conv_lstm2d(call):
    layer = call.layer
    var, nf = call.var, layer.nb_filter
    backend = layer.backend or "tensorflow"  # the numerics of 'same' padding
    channels_last = layer.dim_ordering == "tf"
    shape = tuple(call.input_shape)
    spatial = list(shape[2:4] if channels_last else shape[3:5])
    if any(s is None for s in spatial):
        call.fail("has an unknown spatial input size %s; give the model a fixed input_shape"
                  % (shape,))
    kernel = (layer.nb_row, layer.nb_col)

    def stacked(prefix):  # the four gates' kernels as one convolution, blocks i, c, f, o
        weight = torch.cat([getattr(layer, prefix + g).detach() for g in GATES], 0)
        return weight

    pads, crop = geometry.conv_padding(spatial, kernel, layer.subsample, layer.border_mode, backend)
    natural = _result_size(spatial, kernel, layer.subsample, pads)
    state_size = crop or natural
    outside = _conv_module(call, var + "_input", stacked("W_"), stacked("b_"), layer.subsample,
                           pads)
    x_conv = _conv_expr(var + "_input", "x.reshape((-1,) + tuple(shape[2:]))", outside, crop,
                        natural)
    rec_pads, rec_crop = geometry.conv_padding(state_size, kernel, (1, 1), "same", backend)
    rec_natural = _result_size(state_size, kernel, (1, 1), rec_pads)
    rec_outside = _conv_module(call, var + "_recurrent", stacked("U_"), None, (1, 1), rec_pads)
    h_conv = _conv_expr(var + "_recurrent", "h", rec_outside, rec_crop, rec_natural)

    lines = ["x = x.permute(0, 1, 4, 2, 3)  # every step channels first"] if channels_last else []
    if layer.dropout_W or layer.dropout_U:
        lines.append("# dropout_W/dropout_U act in training only: nothing to do here")
    lines += ["shape = x.shape",
              "xp = %s  # x * W + b for every step at once" % x_conv,
              "xp = xp.reshape((shape[0], shape[1]) + tuple(xp.shape[1:]))"]
    rows, cols = state_size
    if layer.stateful:
        batch = shape[0]
        saved = layer.port_spec()["states"] or (torch.zeros(batch, nf, rows, cols),) * 2
        for name, value in zip(("h", "c"), saved):
            attr = "%s_%s" % (var, name)
            call.src.buffer(attr, value.detach().cpu(), state=True)
            lines.append("%s = self.%s  # stateful: the states the last call ended with"
                         % (name, attr))
    else:
        lines += ["%s = xp.new_zeros(shape[0], %d, %d, %d)" % (name, nf, rows, cols)
                  for name in ("h", "c")]
    masked = call.mask is not None
    # Masked and stateful: the output before the first real step is zero, not the carried state.
    separate_output = masked and layer.stateful
    if separate_output:
        lines.append("out = torch.zeros_like(h)")
    if layer.return_sequences:
        lines.append("outputs = []")
    lines.append("for t in %s" % ("reversed(range(shape[1])):  # go_backwards"
                                  if layer.go_backwards else "range(shape[1]):"))
    gate = lambda e: call.activation_expr(layer.inner_activation, e)  # noqa: E731
    act = lambda e: call.activation_expr(layer.activation, e)  # noqa: E731
    body = ["z = xp[:, t] + %s  # gate blocks i, c, f, o" % h_conv,
            "i = %s" % gate("z[:, :%d]" % nf),
            "f = %s" % gate("z[:, %d:%d]" % (2 * nf, 3 * nf)),
            "c_new = f * c + i * %s" % act("z[:, %d:%d]" % (nf, 2 * nf)),
            "h_new = %s * %s" % (gate("z[:, %d:]" % (3 * nf)), act("c_new"))]
    if masked:
        body.append("m = %s[:, t].reshape(-1, 1, 1, 1)  # padded steps keep the states"
                    % call.mask)
        body += ["c = torch.where(m, c_new, c)", "h = torch.where(m, h_new, h)"]
        if separate_output:
            body.append("out = torch.where(m, h_new, out)")
    else:
        body += ["h, c = h_new, c_new"]
    result = "out" if separate_output else "h"
    if layer.return_sequences:
        body.append("outputs.append(%s)" % result)
    lines += ["    " + line for line in body]
    if layer.stateful:
        lines += ["self.%s_%s = %s.detach()" % (var, s, s) for s in ("h", "c")]
    if layer.return_sequences:
        lines.append("x = torch.stack(outputs, 1)")
        if channels_last:
            lines.append("x = x.permute(0, 1, 3, 4, 2)")
    else:
        lines.append("x = %s" % result)
        if channels_last:
            lines.append("x = x.permute(0, 2, 3, 1)")
    return lines
