"""Max/AveragePooling 1D/2D/3D and their global forms."""
import torch

from keras_compat.backend import convolution as geometry
from keras_compat.layers import (AveragePooling1D, AveragePooling2D, AveragePooling3D,
                                 GlobalAveragePooling1D, GlobalAveragePooling2D,
                                 GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D,
                                 GlobalMaxPooling3D, MaxPooling1D, MaxPooling2D, MaxPooling3D)
from keras_compat.port.layout import (pad_argument, spatial_size, to_channels_first,
                                                to_channels_last)
from keras_compat.port.registry import translates


def pooling(call, nd, channels_last, pool, strides, mode):
    layer = call.layer
    backend = layer.backend or "tensorflow"
    spatial = spatial_size(call, nd, channels_last)
    lines = [to_channels_first(nd)] if channels_last else []
    fn = "F.max_pool%dd" % nd if mode == "max" else "F.avg_pool%dd" % nd
    if layer.border_mode == "valid":
        lines.append("x = %s(x, %s, %s)" % (fn, tuple(pool), tuple(strides)))
    else:
        if backend == "theano":
            pads = [(p - 2, p - 2) if p > 2 and p % 2 else (p - 1, p - 1) for p in pool]
        else:
            pads = [geometry.same_padding(n, p, s, 1, "tensorflow")
                    for n, p, s in zip(spatial, pool, strides)]
        flat = pad_argument(pads)
        if mode == "max":
            lines.append("x = %s(F.pad(x, %s, value=float('-inf')), %s, %s)"
                         % (fn, flat, tuple(pool), tuple(strides)))
        else:
            # Keras averages over the real (unpadded) cells only: divide by their counts.
            ones = torch.nn.functional.pad(torch.ones((1, 1) + tuple(spatial)), flat)
            pool_fn = getattr(torch.nn.functional, "avg_pool%dd" % nd)
            counts = pool_fn(ones, tuple(pool), tuple(strides))[0, 0]
            call.src.buffer(call.var + "_counts", counts)
            lines.append("x = %s(F.pad(x, %s), %s, %s) / self.%s_counts"
                         % (fn, flat, tuple(pool), tuple(strides), call.var))
        if backend == "theano":
            crop = [geometry.theano_same_crop(n, s) for n, s in zip(spatial, strides)]
            lines.append("x = x[:, :, %s]" % ", ".join(":%d" % c for c in crop))
    if channels_last:
        lines.append(to_channels_last(nd))
    return lines


_MAX_POOLING = (MaxPooling1D, MaxPooling2D, MaxPooling3D)


def _mode(layer):
    return "max" if isinstance(layer, _MAX_POOLING) else "avg"


@translates(MaxPooling1D, AveragePooling1D)
def pooling1d(call):
    layer = call.layer
    return pooling(call, 1, True, (layer.pool_length,), (layer.stride,), _mode(layer))


@translates(MaxPooling2D, AveragePooling2D, MaxPooling3D, AveragePooling3D)
def pooling_nd(call):
    layer = call.layer
    return pooling(call, len(layer.pool_size), layer.dim_ordering == "tf", layer.pool_size,
                   layer.strides, _mode(layer))


def _global_pooling(call, reduction):
    nd = len(call.input_shape) - 2
    if nd == 1 or call.layer.dim_ordering == "tf":
        axes = tuple(range(1, nd + 1))
    else:
        axes = tuple(range(2, nd + 2))
    dims = axes[0] if nd == 1 else axes
    return ["x = x.%s(dim=%s)" % (reduction, dims)]


@translates(GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
def global_max_pooling(call):
    return _global_pooling(call, "amax")


@translates(GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
def global_average_pooling(call):
    return _global_pooling(call, "mean")
