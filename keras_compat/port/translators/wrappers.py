"""TimeDistributed and Bidirectional: the wrapped layer's own translation, placed in context."""
from keras_compat.layers import Bidirectional, TimeDistributed
from keras_compat.port.registry import translates, translator_for
from keras_compat.port.source import comment_text


def _wrapped_lines(call, layer, input_shape):
    inner = call.sub_call(layer, input_shape)
    return translator_for(layer)(inner)


@translates(TimeDistributed)
def time_distributed(call):
    shape = tuple(call.input_shape)
    inner = _wrapped_lines(call, call.layer.layer, (None,) + shape[2:])
    return (["td_shape = x.shape  # apply %s to every time step"
             % comment_text(call.layer.layer.name),
             "x = x.reshape((-1,) + tuple(td_shape[2:]))"] + inner +
            ["x = x.reshape((td_shape[0], td_shape[1]) + tuple(x.shape[1:]))"])


@translates(Bidirectional)
def bidirectional(call):
    layer = call.layer
    if layer.merge_mode is None:
        call.fail("has merge_mode=None (two outputs); only concat, sum, ave and mul are ported")
    shape = tuple(call.input_shape)
    lines = ["seq_in = x"]
    lines += _wrapped_lines(call, layer.forward_layer, shape)
    lines += ["fwd = x", "x = seq_in"]
    lines += _wrapped_lines(call, layer.backward_layer, shape)
    if layer.return_sequences:
        lines.append("x = x.flip(1)  # the backward outputs, back in input order")
    lines.append({"concat": "x = torch.cat([fwd, x], dim=-1)", "sum": "x = fwd + x",
                  "ave": "x = (fwd + x) / 2", "mul": "x = fwd * x"}[layer.merge_mode])
    return lines
