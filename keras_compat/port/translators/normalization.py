"""BatchNormalization (mode 0)."""
import torch

from keras_compat.layers import BatchNormalization
from keras_compat.port.registry import translates


@translates(BatchNormalization)
def batch_normalization(call):
    layer = call.layer
    if layer.mode != 0:
        call.fail("uses mode=%d; only mode 0 (feature-wise, running statistics at inference) "
                  "is ported" % layer.mode)
    ndim = len(call.input_shape)
    axis = layer.axis % ndim
    var = call.var
    call.src.declare("self.%s = nn.BatchNorm%dd(%d, eps=%r, momentum=%r)"
                     % (var, {2: 1, 3: 1, 4: 2, 5: 3}[ndim], layer.gamma.shape[0],
                        float(layer.epsilon), round(1.0 - float(layer.momentum), 10)))
    call.src.param(var + ".weight", layer.gamma)
    call.src.param(var + ".bias", layer.beta)
    call.src.param(var + ".running_mean", layer.running_mean)
    # Keras 1's running_std holds a variance, despite its name
    call.src.param(var + ".running_var", layer.running_std)
    call.src.state[var + ".num_batches_tracked"] = torch.tensor(0)
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
