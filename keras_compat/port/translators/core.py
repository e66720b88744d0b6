"""Core layers: Dense and its variants (Highway, MaxoutDense, TimeDistributedDense), Activation,
Dropout, SpatialDropout and noise, reshaping layers, Embedding, Masking."""
from keras_compat.layers import (Activation, ActivityRegularization, Dense, Dropout, Embedding,
                                 Flatten, GaussianDropout, GaussianNoise, Highway, Masking,
                                 MaxoutDense, Permute, RepeatVector, Reshape, SpatialDropout1D,
                                 SpatialDropout2D, SpatialDropout3D, TimeDistributedDense)
from keras_compat.port.registry import translates
from keras_compat.port.source import comment_text


@translates(Dense)
def dense(call):
    layer = call.layer
    call.src.declare("self.%s = nn.Linear(%d, %d, bias=%s)"
                     % (call.var, layer.weight.shape[1], layer.weight.shape[0],
                        layer.bias is not None))
    call.src.param(call.var + ".weight", layer.weight)
    if layer.bias is not None:
        call.src.param(call.var + ".bias", layer.bias)
    return ["x = self.%s(x)" % call.var] + call.activation(layer.activation)


@translates(Activation)
def activation(call):
    return call.activation(call.layer.activation)


@translates(Dropout)
def dropout(call):
    call.src.declare("self.%s = nn.Dropout(%r)" % (call.var, float(call.layer.p)))
    return ["x = self.%s(x)" % call.var]


@translates(GaussianNoise, GaussianDropout, ActivityRegularization)
def identity_at_inference(call):
    return ["# %s changes nothing at inference: the identity here" % comment_text(call.kind)]


@translates(Flatten)
def flatten(call):
    return ["x = torch.flatten(x, 1)"]


@translates(Reshape)
def reshape(call):
    return ["x = x.reshape(x.shape[0], %s)" % ", ".join(str(int(d))
                                                       for d in call.layer.target_shape)]


@translates(Permute)
def permute(call):
    return ["x = x.permute(0, %s)" % ", ".join(str(int(d)) for d in call.layer.dims)]


@translates(RepeatVector)
def repeat_vector(call):
    return ["x = x.unsqueeze(1).expand(-1, %d, -1)" % call.layer.n]


@translates(Embedding)
def embedding(call):
    layer = call.layer
    call.src.declare("self.%s = nn.Embedding(%d, %d)" % (call.var, layer.input_dim,
                                                         layer.output_dim))
    call.src.param(call.var + ".weight", layer.weight)
    lines = []
    if layer.mask_zero:
        call.out_mask = call.mask_name
        lines.append("%s = x != 0  # index 0 is padding (mask_zero=True)" % call.mask_name)
    return lines + ["x = self.%s(x.long())" % call.var]


@translates(Masking)
def masking(call):
    value = float(call.layer.mask_value)
    call.out_mask = call.mask_name
    return ["%s = (x != %r).any(-1)  # a step is padding when all its features equal %r"
            % (call.mask_name, value, value),
            "x = x * %s.unsqueeze(-1).to(x.dtype)" % call.mask_name]


@translates(Highway)
def highway(call):
    layer = call.layer
    n = layer.weight.shape[0]
    has_bias = layer.bias is not None
    for suffix, weight, bias in (("", layer.weight, layer.bias),
                                 ("_carry", layer.weight_carry, layer.bias_carry)):
        call.src.declare("self.%s%s = nn.Linear(%d, %d, bias=%s)"
                         % (call.var, suffix, n, n, has_bias))
        call.src.param("%s%s.weight" % (call.var, suffix), weight)
        if has_bias:
            call.src.param("%s%s.bias" % (call.var, suffix), bias)
    transformed = call.activation_expr(layer.activation, "self.%s(x)" % call.var)
    # Keras 1 names the weights of the transform gate t "carry"; the carried share is 1 - t.
    return ["t = torch.sigmoid(self.%s_carry(x))  # transform gate (Keras 1's W_carry)" % call.var,
            "x = %s * t + (1 - t) * x" % transformed]


@translates(MaxoutDense)
def maxout_dense(call):
    layer = call.layer
    pieces, units = layer.nb_feature, layer.output_dim
    call.src.declare("self.%s = nn.Linear(%d, %d, bias=%s)"
                     % (call.var, layer.weight.shape[1], pieces * units, layer.bias is not None))
    # Row k * output_dim + j of the weight is Keras' W[k, :, j] (b[k, j] for the bias).
    call.src.param(call.var + ".weight", layer.weight)
    if layer.bias is not None:
        call.src.param(call.var + ".bias", layer.bias)
    return ["x = self.%s(x).reshape(-1, %d, %d).amax(dim=1)  # max over the %d linear pieces"
            % (call.var, pieces, units, pieces)]


@translates(TimeDistributedDense)
def time_distributed_dense(call):
    return dense(call)  # nn.Linear acts on the last axis: every time step at once


_CHANNEL_DROPOUT = {3: "nn.Dropout1d", 4: "nn.Dropout2d", 5: "nn.Dropout3d"}


@translates(SpatialDropout1D, SpatialDropout2D, SpatialDropout3D)
def spatial_dropout(call):
    layer = call.layer
    ndim = len(call.input_shape)
    call.src.declare("self.%s = %s(%r)" % (call.var, _CHANNEL_DROPOUT[ndim], float(layer.p)))
    # Keras 1 keeps or drops whole channels (one draw per sample and channel), as torch's
    # DropoutNd does on channels-first input; it is the identity in eval mode.
    if isinstance(layer, SpatialDropout1D) or layer.dim_ordering == "tf":
        first = (0, ndim - 1) + tuple(range(1, ndim - 1))
        last = (0,) + tuple(range(2, ndim)) + (1,)
        return ["x = self.%s(x.permute%s).permute%s  # channels last: to axis 1 and back"
                % (call.var, first, last)]
    return ["x = self.%s(x)" % call.var]
