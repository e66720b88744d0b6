"""LocallyConnected1D/2D: every output position has its own kernel.

The kernels stay in the Keras-1 layout as bare parameters, ``W`` ``(positions, patch, nb_filter)``
and ``b``; ``unfold`` cuts the patches, flattened in the order Keras 1 flattened them, and one
``einsum`` applies each position's kernel to its patch.
"""
from keras_compat.layers import LocallyConnected1D, LocallyConnected2D
from keras_compat.port.registry import translates


def _parameters(call):
    layer = call.layer
    call.src.parameter(call.var + "_W", layer.weight)
    if layer.bias is not None:
        bias = layer.bias.detach()
        if isinstance(layer, LocallyConnected2D) and layer.dim_ordering == "th":
            # Keras-1 quirk: the (rows, cols, nb_filter) bias is reshaped, not transposed, to
            # (nb_filter, rows, cols) before the add; store it reshaped already.
            bias = bias.reshape(layer.nb_filter, layer.output_row, layer.output_col)
        call.src.parameter(call.var + "_b", bias)


def _apply_kernels(call):
    return "torch.einsum('bpk,pkf->bpf', x, self.%s_W)" % call.var


@translates(LocallyConnected1D)
def locally_connected1d(call):
    layer = call.layer
    _parameters(call)
    positions = layer.W_shape[0]
    lines = ["x = x.unfold(1, %d, %d)  # (batch, positions, features, steps of a patch)"
             % (layer.filter_length, layer.subsample_length),
             "x = x.transpose(2, 3).reshape(x.shape[0], %d, -1)  # patches (step, feature)"
             % positions,
             "x = %s  # one kernel per position" % _apply_kernels(call)]
    if layer.bias is not None:
        lines.append("x = x + self.%s_b" % call.var)
    return lines + call.activation(layer.activation)


@translates(LocallyConnected2D)
def locally_connected2d(call):
    layer = call.layer
    _parameters(call)
    rows, cols, nf = layer.output_row, layer.output_col, layer.nb_filter
    (kr, kc), (sr, sc) = (layer.nb_row, layer.nb_col), tuple(layer.subsample)
    if layer.dim_ordering == "th":
        lines = ["x = x.unfold(2, %d, %d).unfold(3, %d, %d)  # (batch, ch, r, c, kr, kc)"
                 % (kr, sr, kc, sc),
                 "x = x.permute(0, 2, 3, 1, 4, 5).reshape(x.shape[0], %d, -1)  # patches "
                 "(channel, row, col)" % (rows * cols)]
    else:
        lines = ["x = x.unfold(1, %d, %d).unfold(2, %d, %d)  # (batch, r, c, ch, kr, kc)"
                 % (kr, sr, kc, sc),
                 "x = x.permute(0, 1, 2, 4, 5, 3).reshape(x.shape[0], %d, -1)  # patches "
                 "(row, col, channel)" % (rows * cols)]
    lines.append("x = %s.reshape(-1, %d, %d, %d)  # one kernel per position"
                 % (_apply_kernels(call), rows, cols, nf))
    if layer.dim_ordering == "th":
        lines.append("x = x.permute(0, 3, 1, 2)")
    if layer.bias is not None:
        lines.append("x = x + self.%s_b" % call.var)
    return lines + call.activation(layer.activation)
