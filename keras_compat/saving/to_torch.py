"""Keras-1 model -> plain PyTorch: ``model.to_torch()`` and the source ``keras-compat port`` writes.

``generate_source(model)`` returns readable Python source for an ``nn.Module`` class that
imports only ``torch`` (Keras-1 layer names and classes kept as comments) and the matching
``state_dict`` (torch layouts: ``Linear.weight = W.T``, conv kernels ``(out, in, *k)``,
``BatchNorm.running_var`` = Keras' ``running_std``, which holds a variance). Every
backend-dependent choice is resolved at generation time into plain numbers:

* kernels of layers built under the emulated Theano backend are stored already flipped,
  so the port runs plain cross-correlation (``F.conv*``);
* ``'same'`` padding becomes explicit ``F.pad`` amounts (and Theano's crop), computed
  from the model's known input shape;
* ``tf`` ordering becomes explicit ``permute`` calls around the channels-first torch ops.

``to_torch(model)`` executes that source in a fresh namespace (nothing from keras_compat
is imported by it) and returns the module with the weights loaded, in eval mode.
Supported: Sequential models (nested Sequentials flattened) of Dense, Activation, Dropout,
GaussianNoise/GaussianDropout (identity at inference), Flatten, Reshape, Permute,
RepeatVector, Embedding, BatchNormalization (mode 0), Convolution1D/2D/3D,
Max/AveragePooling1D/2D/3D and unmasked, stateless LSTM/GRU/SimpleRNN (an explicit loop
over time steps); anything else raises a ``ValueError`` naming the layer.
"""
import torch

from keras_compat import activations as activations_module
from keras_compat._args import values

_ACTIVATION_CODE = {
    "linear": "{x}",
    "relu": "torch.relu({x})",
    "tanh": "torch.tanh({x})",
    "sigmoid": "torch.sigmoid({x})",
    "hard_sigmoid": "torch.clamp({x} * 0.2 + 0.5, 0.0, 1.0)",
    "softmax": "torch.softmax({x}, dim=-1)",
    "softplus": "F.softplus({x})",
    "softsign": "{x} / (torch.abs({x}) + 1.0)",
    "elu": "F.elu({x})",
}


class PortError(ValueError):
    """A layer of the model has no plain-PyTorch translation."""


class _Source:
    def __init__(self):
        self.init = []
        self.forward = []
        self.state = {}

    def param(self, name, tensor):
        self.state[name] = tensor.detach().cpu().clone().contiguous()


def _activation_expr(layer, fn, expr):
    name = getattr(fn, "__name__", None)
    if name not in _ACTIVATION_CODE or getattr(activations_module, name, None) is not fn:
        raise PortError("to_torch: layer %s (%s) uses the activation %r, which has no "
                        "plain-PyTorch translation here; replace it with a built-in activation "
                        "or port that layer by hand" % (layer.name, type(layer).__name__,
                                                       name or fn))
    if " " in expr and not expr.startswith("("):
        expr = "(%s)" % expr  # an operand of * and / below
    code = _ACTIVATION_CODE[name].format(x=expr)
    return code[1:-1] if code == expr and expr != "x" and expr.startswith("(") else code


def _activation(layer, fn):
    code = _activation_expr(layer, fn, "x")
    return [] if code == "x" else ["x = %s" % code]


def _recurrent(src, var, layer, masked):
    kind = type(layer).__name__
    if masked:
        raise PortError("to_torch: layer %s (%s) receives a mask (Embedding(mask_zero=True)); "
                        "masked recurrent layers are not ported" % (layer.name, kind))
    if getattr(layer, "stateful", False):
        raise PortError("to_torch: layer %s (%s) is stateful; stateful recurrent layers are not "
                        "ported" % (layer.name, kind))
    n = layer.output_dim
    for attr in ("weight_ih", "weight_hh", "bias"):
        src.param("%s_%s" % (var, attr), getattr(layer, attr))
        shape = tuple(getattr(layer, attr).shape)
        src.init.append("self.%s_%s = nn.Parameter(torch.empty(%s))"
                        % (var, attr, ", ".join(str(d) for d in shape)))
    act = lambda e: _activation_expr(layer, layer.activation, e)  # noqa: E731
    w_hh = "self.%s_weight_hh" % var
    steps = ("reversed(range(x.shape[1])):  # go_backwards" if layer.go_backwards
             else "range(x.shape[1]):")
    lines = ["xp = F.linear(x, self.%s_weight_ih, self.%s_bias)  # x.W + b for every step"
             % (var, var),
             "h = x.new_zeros(x.shape[0], %d)" % n]
    if kind == "LSTM":
        inner = lambda e: _activation_expr(layer, layer.inner_activation, e)  # noqa: E731
        lines += ["c = x.new_zeros(x.shape[0], %d)" % n, "outputs = []",
                  "for t in %s" % steps,
                  "    z = xp[:, t] + h @ %s.t()  # gate blocks i, f, c, o" % w_hh,
                  "    i = %s" % inner("z[:, :%d]" % n),
                  "    f = %s" % inner("z[:, %d:%d]" % (n, 2 * n)),
                  "    c = f * c + i * %s" % act("z[:, %d:%d]" % (2 * n, 3 * n)),
                  "    h = %s * %s" % (inner("z[:, %d:]" % (3 * n)), act("c")),
                  "    outputs.append(h)"]
    elif kind == "GRU":
        inner = lambda e: _activation_expr(layer, layer.inner_activation, e)  # noqa: E731
        lines += ["outputs = []",
                  "for t in %s" % steps,
                  "    zr = %s" % inner("xp[:, t, :%d] + h @ %s[:%d].t()" % (2 * n, w_hh, 2 * n)),
                  "    z, r = zr[:, :%d], zr[:, %d:]  # update and reset gates" % (n, n),
                  "    hh = %s" % act("xp[:, t, %d:] + (r * h) @ %s[%d:].t()" % (2 * n, w_hh,
                                                                              2 * n)),
                  "    h = z * h + (1 - z) * hh",
                  "    outputs.append(h)"]
    else:
        lines += ["outputs = []",
                  "for t in %s" % steps,
                  "    h = %s" % act("xp[:, t] + h @ %s.t()" % w_hh),
                  "    outputs.append(h)"]
    lines.append("x = torch.stack(outputs, 1)" if layer.return_sequences else "x = h")
    return lines


def _flat_layers(model):
    from keras_compat.models.sequential import Sequential
    if not isinstance(model, Sequential):
        raise PortError("to_torch: only Sequential models are supported (got %s); port a "
                        "functional Model by hand" % type(model).__name__)
    found = []
    for layer in model.layers:
        found.extend(_flat_layers(layer) if isinstance(layer, Sequential) else [layer])
    return found


def _pads_code(pads):
    flat = []
    for before, after in reversed(pads):
        flat.extend((int(before), int(after)))
    return flat


def _spatial(layer, nd, channels_last):
    shape = layer.input_shape
    spatial = shape[1:1 + nd] if channels_last else shape[2:2 + nd]
    if any(s is None for s in spatial):
        raise PortError("to_torch: layer %s (%s) has an unknown spatial input size %s; give the "
                        "model a fixed input_shape" % (layer.name, type(layer).__name__,
                                                        tuple(shape)))
    return [int(s) for s in spatial]


def _to_channels_first(nd):
    return "x = x.permute(0, %d, %s)" % (nd + 1, ", ".join(str(i) for i in range(1, nd + 1)))


def _to_channels_last(nd):
    return "x = x.permute(0, %s, 1)" % ", ".join(str(i) for i in range(2, nd + 2))


def _conv(src, var, layer, nd, channels_last, kernel, strides):
    backend = layer.backend or "tensorflow"
    weight = layer.weight.detach()
    if backend == "theano":  # true convolution: store the flipped kernel, run correlation
        weight = weight.flip(tuple(range(2, weight.dim())))
    src.param(var + ".weight", weight)
    has_bias = layer.bias is not None
    if has_bias:
        src.param(var + ".bias", layer.bias)
    spatial = _spatial(layer, nd, channels_last)
    lines = [_to_channels_first(nd)] if channels_last else []
    crop = None
    if layer.border_mode == "same":
        pads = [values.same_padding(n, k, s, 1, backend)
                for n, k, s in zip(spatial, kernel, strides)]
        if backend == "theano":
            crop = [values.theano_same_crop(n, s) for n, s in zip(spatial, strides)]
    elif layer.border_mode == "full":
        pads = [(k - 1, k - 1) for k in kernel]
    else:
        pads = [(0, 0)] * nd
    padding = ""
    if all(a == b for a, b in pads):  # symmetric: the conv pads (as the Keras layer does)
        if any(pads):
            padding = ", padding=%s" % (tuple(int(a) for a, _ in pads),)
    else:
        lines.append("x = F.pad(x, %s)" % (_pads_code(pads),))
    src.init.append("self.%s = nn.Conv%dd(%d, %d, kernel_size=%s, stride=%s%s, bias=%s)"
                    % (var, nd, weight.shape[1], weight.shape[0], tuple(kernel), tuple(strides),
                       padding, has_bias))
    lines.append("x = self.%s(x)" % var)
    if crop is not None:
        lines.append("x = x[:, :, %s]" % ", ".join(":%d" % c for c in crop))
    if channels_last:
        lines.append(_to_channels_last(nd))
    return lines + _activation(layer, layer.activation)


def _pool(src, var, layer, nd, channels_last, pool, strides, mode):
    backend = layer.backend or "tensorflow"
    spatial = _spatial(layer, nd, channels_last)
    lines = [_to_channels_first(nd)] if channels_last else []
    fn = "F.max_pool%dd" % nd if mode == "max" else "F.avg_pool%dd" % nd
    if layer.border_mode == "valid":
        lines.append("x = %s(x, %s, %s)" % (fn, tuple(pool), tuple(strides)))
    else:
        if backend == "theano":
            pads = [(p - 2, p - 2) if p > 2 and p % 2 else (p - 1, p - 1) for p in pool]
        else:
            pads = [values.same_padding(n, p, s, 1, "tensorflow")
                    for n, p, s in zip(spatial, pool, strides)]
        flat = _pads_code(pads)
        if mode == "max":
            lines.append("x = %s(F.pad(x, %s, value=float('-inf')), %s, %s)"
                         % (fn, flat, tuple(pool), tuple(strides)))
        else:
            ones = torch.nn.functional.pad(torch.ones((1, 1) + tuple(spatial)), flat)
            pool_fn = getattr(torch.nn.functional, "avg_pool%dd" % nd)
            src.state[var + "_counts"] = pool_fn(ones, tuple(pool), tuple(strides))[0, 0].clone()
            src.init.append("self.register_buffer(%r, torch.ones(%s))"
                            % (var + "_counts", tuple(src.state[var + "_counts"].shape)))
            lines.append("x = %s(F.pad(x, %s), %s, %s) / self.%s_counts"
                         % (fn, flat, tuple(pool), tuple(strides), var))
        if backend == "theano":
            crop = [values.theano_same_crop(n, s) for n, s in zip(spatial, strides)]
            lines.append("x = x[:, :, %s]" % ", ".join(":%d" % c for c in crop))
    if channels_last:
        lines.append(_to_channels_last(nd))
    return lines


def _batchnorm(src, var, layer):
    if layer.mode != 0:
        raise PortError("to_torch: layer %s (BatchNormalization) uses mode=%d; only mode 0 is "
                        "ported" % (layer.name, layer.mode))
    ndim = len(layer.input_shape)
    axis = layer.axis % ndim
    cls = "BatchNorm%dd" % {2: 1, 3: 1, 4: 2, 5: 3}[ndim]
    src.init.append("self.%s = nn.%s(%d, eps=%r, momentum=%r)"
                    % (var, cls, layer.gamma.shape[0], float(layer.epsilon),
                       round(1.0 - float(layer.momentum), 10)))
    src.param(var + ".weight", layer.gamma)
    src.param(var + ".bias", layer.beta)
    src.param(var + ".running_mean", layer.running_mean)
    src.param(var + ".running_var", layer.running_std)
    src.state[var + ".num_batches_tracked"] = torch.tensor(0)
    shape = [1] * ndim
    shape[axis] = -1
    bn = "self.%s" % var
    return [
        "if self.training:",
        "    x = %s(x.movedim(%d, 1)).movedim(1, %d)" % (bn, axis, axis),
        "else:  # Keras 1: (x - mean) * gamma / sqrt(running_std + eps) + beta",
        "    scale = (%s.weight * torch.rsqrt(%s.running_var + %r)).reshape(%s)"
        % (bn, bn, float(layer.epsilon), tuple(shape)),
        "    x = (x - %s.running_mean.reshape(%s)) * scale + %s.bias.reshape(%s)"
        % (bn, tuple(shape), bn, tuple(shape)),
    ]


def _layer_lines(src, var, layer, masked=False):
    kind = type(layer).__name__
    if kind in ("LSTM", "GRU", "SimpleRNN"):
        return _recurrent(src, var, layer, masked)
    if kind == "Dense":
        src.init.append("self.%s = nn.Linear(%d, %d, bias=%s)"
                        % (var, layer.weight.shape[1], layer.weight.shape[0],
                           layer.bias is not None))
        src.param(var + ".weight", layer.weight)
        if layer.bias is not None:
            src.param(var + ".bias", layer.bias)
        return ["x = self.%s(x)" % var] + _activation(layer, layer.activation)
    if kind == "Activation":
        return _activation(layer, layer.activation)
    if kind == "Dropout":
        src.init.append("self.%s = nn.Dropout(%r)" % (var, float(layer.p)))
        return ["x = self.%s(x)" % var]
    if kind in ("GaussianNoise", "GaussianDropout"):
        return ["# %s adds noise only while training: the identity here" % kind]
    if kind == "Flatten":
        return ["x = torch.flatten(x, 1)"]
    if kind == "Reshape":
        return ["x = x.reshape(x.shape[0], %s)" % ", ".join(str(int(d)) for d in
                                                           layer.target_shape)]
    if kind == "Permute":
        return ["x = x.permute(0, %s)" % ", ".join(str(int(d)) for d in layer.dims)]
    if kind == "RepeatVector":
        return ["x = x.unsqueeze(1).expand(-1, %d, -1)" % layer.n]
    if kind == "Embedding":
        src.init.append("self.%s = nn.Embedding(%d, %d)" % (var, layer.input_dim,
                                                            layer.output_dim))
        src.param(var + ".weight", layer.weight)
        return ["x = self.%s(x.long())" % var]
    if kind == "BatchNormalization":
        return _batchnorm(src, var, layer)
    if kind in ("Convolution2D", "Conv2D"):
        return _conv(src, var, layer, 2, layer.dim_ordering == "tf", (layer.nb_row, layer.nb_col),
                     layer.subsample)
    if kind in ("Convolution1D", "Conv1D"):
        return _conv(src, var, layer, 1, True, (layer.filter_length,),
                     (layer.subsample_length,))
    if kind in ("Convolution3D", "Conv3D"):
        return _conv(src, var, layer, 3, layer.dim_ordering == "tf",
                     (layer.kernel_dim1, layer.kernel_dim2, layer.kernel_dim3), layer.subsample)
    if kind in ("MaxPooling1D", "AveragePooling1D", "MaxPool1D", "AvgPool1D"):
        return _pool(src, var, layer, 1, True, (layer.pool_length,), (layer.stride,),
                     "max" if kind.startswith("Max") else "avg")
    if kind in ("MaxPooling2D", "AveragePooling2D", "MaxPooling3D", "AveragePooling3D",
                "MaxPool2D", "AvgPool2D", "MaxPool3D", "AvgPool3D"):
        nd = len(layer.pool_size)
        return _pool(src, var, layer, nd, layer.dim_ordering == "tf", layer.pool_size,
                     layer.strides, "max" if kind.startswith("Max") else "avg")
    raise PortError("to_torch: layer %s (%s) has no plain-PyTorch translation yet; supported "
                    "layers are listed in migration_guide/porting.md" % (layer.name, kind))


def _identifier(name, taken):
    var = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    if not var or var[0].isdigit():
        var = "layer_" + var
    while var in taken or var in ("training", "forward"):
        var += "_"
    taken.add(var)
    return var


def generate_source(model, class_name="PortedModel"):
    """``(source, state_dict)`` of a standalone PyTorch module computing ``model``."""
    src = _Source()
    taken = set()
    body = []
    masked = False
    for layer in _flat_layers(model):
        var = _identifier(layer.name, taken)
        lines = _layer_lines(src, var, layer, masked)
        masked = (masked or bool(getattr(layer, "mask_zero", False))) and \
            layer.output_has_mask(True)
        body.append("# %s (%s) -> %s" % (layer.name, type(layer).__name__,
                                         tuple(layer.output_shape)))
        body.extend(lines)
    init = src.init or ["pass"]
    input_shape = tuple(model.input_shape)
    source = '''"""PyTorch port of the Keras-1 model %(name)r, generated by keras-compat port.

Input shape (batch first): %(inp)s; output shape: %(out)s.
Only torch is needed to run it; load the weights with
    model = %(cls)s(); model.load_state_dict(torch.load("<weights>.pt", weights_only=True))
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class %(cls)s(nn.Module):
    def __init__(self):
        super().__init__()
%(init)s

    def forward(self, x):
%(body)s
        return x
''' % {"name": model.name, "inp": input_shape, "out": tuple(model.output_shape),
       "cls": class_name,
       "init": "\n".join("        " + line for line in init),
       "body": "\n".join("        " + line for line in body)}
    return source, src.state


def load_source(source, class_name="PortedModel", module_name="keras_compat_port"):
    """Execute generated source in a fresh namespace and return the class."""
    namespace = {"__name__": module_name}
    exec(compile(source, "<%s>" % module_name, "exec"), namespace)
    return namespace[class_name]


def to_torch(model):
    """A standalone ``nn.Module`` (eval mode) whose forward matches ``model.predict``."""
    source, state = generate_source(model)
    module = load_source(source)()
    module.load_state_dict(state)
    module._keras_compat_source = source
    return module.eval()
