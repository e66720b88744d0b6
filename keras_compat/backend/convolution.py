"""``K.conv*``, ``K.pool*``, ``K.deconv2d``, resizing and padding, with Keras 1.2.2's kernel
layouts and the border placement of the emulated backend.

Kernels come in Keras 1's layouts: ``'th'`` ``(nb_filter, stack, rows, cols)``, ``'tf'``
``(rows, cols, stack, nb_filter)`` (3-D alike with one more spatial axis).  Emulated Theano
computes a true convolution (the kernel flipped on every spatial axis, as
``T.nnet.conv2d(filter_flip=True)``) and places ``'same'`` padding as its ``'half'`` mode
(``k // 2`` on both sides, the result cropped to ``ceil(n / stride)``); emulated TensorFlow
correlates and pads the odd element at the end (SAME).
"""
import math

import torch
import torch.nn.functional as F

from keras_compat.backend import config
from keras_compat.backend.symbolic import symbolic_aware

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_MAX_POOL = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {2: F.avg_pool2d, 3: F.avg_pool3d}


def _as_tensor(x):
    return x if isinstance(x, torch.Tensor) else torch.as_tensor(x, dtype=getattr(
        torch, config.floatx()))


def _ordering(dim_ordering, function):
    if dim_ordering == "default":
        dim_ordering = config.image_dim_ordering()
    if dim_ordering not in ("th", "tf"):
        raise ValueError("K.%s: unknown dim_ordering %r (expected 'th' or 'tf')"
                         % (function, dim_ordering))
    return dim_ordering


def _border(border_mode, function, allowed):
    if border_mode not in allowed:
        raise ValueError("K.%s: invalid border_mode %r (expected one of %s)"
                         % (function, border_mode, ", ".join(repr(m) for m in allowed)))
    return border_mode


def _tuple(value, n, function, argument):
    value = (value,) * n if isinstance(value, int) else tuple(value)
    if len(value) != n or not all(isinstance(v, int) and v > 0 for v in value):
        raise ValueError("K.%s: %s must be %d positive integers, got %r"
                         % (function, argument, n, value))
    return value


def _check_rank(x, rank, function, argument="x"):
    if x.dim() != rank:
        raise ValueError("K.%s: %s must be a %d-D tensor, got shape %s"
                         % (function, argument, rank, tuple(x.shape)))


def _channels_first(x, ordering):
    return x.movedim(-1, 1) if ordering == "tf" else x


def _channels_last_back(y, ordering):
    return y.movedim(1, -1) if ordering == "tf" else y


def _torch_kernel(kernel, ordering):
    """Keras-1 kernel -> torch ``(out, in, *spatial)``."""
    if ordering == "tf":
        nd = kernel.dim() - 2
        return kernel.permute(nd + 1, nd, *range(nd))
    return kernel


def same_pads(length, extent, stride, backend):
    """``(before, after)`` zeros that place a ``'same'`` window as the emulated backend did."""
    if backend == "theano":
        return extent // 2, extent // 2
    out = (length + stride - 1) // stride
    total = max((out - 1) * stride + extent - length, 0)
    return total // 2, total - total // 2


def _conv(x, weight, strides, border_mode, dilation, backend):
    """Channels-first convolution with a torch-layout ``weight`` under ``backend``'s rules."""
    nd = weight.dim() - 2
    if backend == "theano":
        weight = weight.flip(tuple(range(2, 2 + nd)))
    extents = [k + (k - 1) * (d - 1) for k, d in zip(weight.shape[2:], dilation)]
    spatial = tuple(x.shape[2:])
    if border_mode == "same":
        pads = [same_pads(n, e, s, backend) for n, e, s in zip(spatial, extents, strides)]
    elif border_mode == "full":
        pads = [(e - 1, e - 1) for e in extents]
    else:
        pads = [(0, 0)] * nd
    flat = []
    for before, after in reversed(pads):
        flat.extend((before, after))
    y = _CONV[nd](F.pad(x, flat), weight.to(x.dtype), None, stride=tuple(strides),
                  dilation=tuple(dilation))
    if border_mode == "same" and backend == "theano":
        keep = tuple(slice(0, int(math.ceil(n / float(s)))) for n, s in zip(spatial, strides))
        y = y[(slice(None), slice(None)) + keep]
    return y


def _conv_nd(function, nd, x, kernel, strides, border_mode, dim_ordering, dilation):
    ordering = _ordering(dim_ordering, function)
    backend = config.backend()
    modes = ("valid", "same", "full") if backend == "theano" else ("valid", "same")
    _border(border_mode, function, modes)
    x, kernel = _as_tensor(x), _as_tensor(kernel)
    _check_rank(x, nd + 2, function)
    _check_rank(kernel, nd + 2, function, "kernel")
    strides = _tuple(strides, nd, function, "strides")
    dilation = _tuple(dilation, nd, function, "filter_dilation")
    weight = _torch_kernel(kernel, ordering)
    xc = _channels_first(x, ordering)
    if weight.shape[1] != xc.shape[1]:
        raise ValueError("K.%s: the kernel expects %d input channels but x has %d (dim_ordering=%r)"
                         % (function, weight.shape[1], xc.shape[1], ordering))
    return _channels_last_back(_conv(xc, weight, strides, border_mode, dilation, backend),
                               ordering)


@symbolic_aware
def conv1d(x, kernel, stride=1, border_mode="valid", image_shape=None, filter_shape=None):
    """1-D convolution of ``x`` ``(batch, steps, input_dim)`` with ``kernel``
    ``(length, input_dim, nb_filter)``, as TensorFlow's ``conv1d`` (Theano had none)."""
    _border(border_mode, "conv1d", ("valid", "same"))
    x, kernel = _as_tensor(x), _as_tensor(kernel)
    _check_rank(x, 3, "conv1d")
    _check_rank(kernel, 3, "conv1d", "kernel")
    stride = _tuple(stride, 1, "conv1d", "stride")
    weight = kernel.permute(2, 1, 0)
    return _conv(x.movedim(-1, 1), weight, stride, border_mode, (1,), "tensorflow").movedim(1, -1)


@symbolic_aware
def conv2d(x, kernel, strides=(1, 1), border_mode="valid", dim_ordering="default",
           image_shape=None, filter_shape=None, filter_dilation=(1, 1)):
    """2-D convolution; ``image_shape``/``filter_shape`` were Theano hints and change nothing."""
    return _conv_nd("conv2d", 2, x, kernel, strides, border_mode, dim_ordering, filter_dilation)


@symbolic_aware
def conv3d(x, kernel, strides=(1, 1, 1), border_mode="valid", dim_ordering="default",
           volume_shape=None, filter_shape=None, filter_dilation=(1, 1, 1)):
    """3-D convolution (``filter_dilation`` existed on Theano only; TensorFlow took none)."""
    return _conv_nd("conv3d", 3, x, kernel, strides, border_mode, dim_ordering, filter_dilation)


@symbolic_aware
def atrous_conv2d(x, kernel, rate=1, border_mode="valid", dim_ordering="default",
                  image_shape=None, filter_shape=None):
    """2-D convolution with holes (dilation ``rate``), stride 1."""
    if not isinstance(rate, int) or rate < 1:
        raise ValueError("K.atrous_conv2d: rate must be a positive integer, got %r" % (rate,))
    return _conv_nd("atrous_conv2d", 2, x, kernel, (1, 1), border_mode, dim_ordering,
                    (rate, rate))


@symbolic_aware
def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1),
                     border_mode="valid", dim_ordering="default"):
    """Depthwise then 1x1 pointwise convolution.  Kernels in Keras 1's layouts:
    ``depthwise_kernel`` tf ``(rows, cols, in, multiplier)`` / th ``(multiplier, in, rows,
    cols)``; ``pointwise_kernel`` tf ``(1, 1, in * multiplier, out)`` / th ``(out, in *
    multiplier, 1, 1)``.  Computed as TensorFlow did (no kernel flip)."""
    ordering = _ordering(dim_ordering, "separable_conv2d")
    _border(border_mode, "separable_conv2d", ("valid", "same"))
    x = _as_tensor(x)
    depthwise, pointwise = _as_tensor(depthwise_kernel), _as_tensor(pointwise_kernel)
    _check_rank(x, 4, "separable_conv2d")
    strides = _tuple(strides, 2, "separable_conv2d", "strides")
    xc = _channels_first(x, ordering)
    # depthwise as torch grouped conv: (in * multiplier, 1, rows, cols), channel-major.
    if ordering == "tf":
        rows, cols, channels, multiplier = depthwise.shape
        dw = depthwise.permute(2, 3, 0, 1).reshape(channels * multiplier, 1, rows, cols)
    else:
        multiplier, channels, rows, cols = depthwise.shape
        dw = depthwise.permute(1, 0, 2, 3).reshape(channels * multiplier, 1, rows, cols)
    if channels != xc.shape[1]:
        raise ValueError("K.separable_conv2d: depthwise_kernel expects %d input channels but x "
                         "has %d" % (channels, xc.shape[1]))
    pads = [same_pads(n, k, s, "tensorflow") if border_mode == "same" else (0, 0)
            for n, k, s in zip(xc.shape[2:], (rows, cols), strides)]
    padded = F.pad(xc, (pads[1][0], pads[1][1], pads[0][0], pads[0][1]))
    y = F.conv2d(padded, dw.to(x.dtype), None, stride=strides, groups=channels)
    y = F.conv2d(y, _torch_kernel(pointwise, ordering).to(x.dtype))
    return _channels_last_back(y, ordering)


@symbolic_aware
def deconv2d(x, kernel, output_shape, strides=(1, 1), border_mode="valid",
             dim_ordering="default", image_shape=None, filter_shape=None):
    """Transposed 2-D convolution to ``output_shape`` (a full shape, batch first, in
    ``dim_ordering``).  ``kernel`` as the forward convolution's: th ``(nb_filter, stack, rows,
    cols)`` / tf ``(rows, cols, stack, nb_filter)``, ``nb_filter`` the output channels."""
    ordering = _ordering(dim_ordering, "deconv2d")
    backend = config.backend()
    _border(border_mode, "deconv2d", ("valid", "same"))
    x, kernel = _as_tensor(x), _as_tensor(kernel)
    _check_rank(x, 4, "deconv2d")
    strides = _tuple(strides, 2, "deconv2d", "strides")
    output_shape = tuple(int(d) for d in output_shape)
    if len(output_shape) != 4:
        raise ValueError("K.deconv2d: output_shape must have 4 entries, got %r" % (output_shape,))
    out_spatial = output_shape[2:] if ordering == "th" else output_shape[1:3]
    weight = kernel.permute(1, 0, 2, 3) if ordering == "th" else kernel.permute(2, 3, 0, 1)
    if backend == "theano":
        weight = weight.flip((2, 3))
    xc = _channels_first(x, ordering)
    y = F.conv_transpose2d(xc, weight.to(x.dtype), None, stride=strides)
    index = [slice(None), slice(None)]
    for axis, (n_in, n_out, k, s) in enumerate(zip(xc.shape[2:], out_spatial, weight.shape[2:],
                                                   strides)):
        if border_mode == "valid":
            start = 0
        elif backend == "theano":
            start = k // 2
        else:
            start = max((n_in - 1) * s + k - n_out, 0) // 2
        missing = start + n_out - y.shape[2 + axis]
        if missing > 0:
            pad = [0, 0, 0, 0]
            pad[2 * (1 - axis) + 1] = missing
            y = F.pad(y, pad)
        index.append(slice(start, start + n_out))
    return _channels_last_back(y[tuple(index)], ordering)


def _pool(function, nd, x, pool_size, strides, border_mode, dim_ordering, pool_mode):
    ordering = _ordering(dim_ordering, function)
    _border(border_mode, function, ("valid", "same"))
    if pool_mode not in ("max", "avg"):
        raise ValueError("K.%s: invalid pool_mode %r (expected 'max' or 'avg')"
                         % (function, pool_mode))
    x = _as_tensor(x)
    _check_rank(x, nd + 2, function)
    pool_size = _tuple(pool_size, nd, function, "pool_size")
    strides = _tuple(strides, nd, function, "strides")
    xc = _channels_first(x, ordering)
    backend = config.backend()
    if border_mode == "valid":
        pool = _MAX_POOL[nd] if pool_mode == "max" else _AVG_POOL[nd]
        return _channels_last_back(pool(xc, pool_size, strides), ordering)
    spatial = tuple(xc.shape[2:])
    if backend == "theano":
        # pool_2d(ignore_border=True, pad=p - 2 for odd p > 2, else p - 1) on both sides.
        pads = [(p - 2, p - 2) if p > 2 and p % 2 else (p - 1, p - 1) for p in pool_size]
    else:
        pads = [same_pads(n, p, s, backend) for n, p, s in zip(spatial, pool_size, strides)]
    flat = []
    for before, after in reversed(pads):
        flat.extend((before, after))
    if pool_mode == "max":
        y = _MAX_POOL[nd](F.pad(xc, flat, value=float("-inf")), pool_size, strides)
    else:
        # Padded cells are left out of the average on both backends.
        summed = _AVG_POOL[nd](F.pad(xc, flat), pool_size, strides)
        ones = torch.ones((1, 1) + spatial, dtype=xc.dtype, device=xc.device)
        y = summed / _AVG_POOL[nd](F.pad(ones, flat), pool_size, strides)
    if backend == "theano":
        keep = tuple(slice(0, int(math.ceil(n / float(s)))) for n, s in zip(spatial, strides))
        y = y[(slice(None), slice(None)) + keep]
    return _channels_last_back(y, ordering)


@symbolic_aware
def pool2d(x, pool_size, strides=(1, 1), border_mode="valid", dim_ordering="default",
           pool_mode="max"):
    return _pool("pool2d", 2, x, pool_size, strides, border_mode, dim_ordering, pool_mode)


@symbolic_aware
def pool3d(x, pool_size, strides=(1, 1, 1), border_mode="valid", dim_ordering="default",
           pool_mode="max"):
    return _pool("pool3d", 3, x, pool_size, strides, border_mode, dim_ordering, pool_mode)


def _spatial_axes(ordering, nd):
    return tuple(range(2, 2 + nd)) if ordering == "th" else tuple(range(1, 1 + nd))


def _repeat_axes(x, factors, axes):
    for factor, axis in zip(factors, axes):
        if not isinstance(factor, int) or factor < 1:
            raise ValueError("resize factors must be positive integers, got %r" % (factors,))
        x = torch.repeat_interleave(x, factor, dim=axis)
    return x


@symbolic_aware
def resize_images(X, height_factor, width_factor, dim_ordering):  # noqa: N803 (Keras 1's name)
    """Nearest-neighbour upscaling of the two spatial axes by integer factors."""
    if dim_ordering not in ("th", "tf"):
        raise ValueError("K.resize_images: invalid dim_ordering %r (expected 'th' or 'tf')"
                         % (dim_ordering,))
    X = _as_tensor(X)  # noqa: N806
    _check_rank(X, 4, "resize_images", "X")
    return _repeat_axes(X, (height_factor, width_factor), _spatial_axes(dim_ordering, 2))


@symbolic_aware
def resize_volumes(X, depth_factor, height_factor, width_factor, dim_ordering):  # noqa: N803
    """Nearest-neighbour upscaling of the three spatial axes by integer factors."""
    if dim_ordering not in ("th", "tf"):
        raise ValueError("K.resize_volumes: invalid dim_ordering %r (expected 'th' or 'tf')"
                         % (dim_ordering,))
    X = _as_tensor(X)  # noqa: N806
    _check_rank(X, 5, "resize_volumes", "X")
    return _repeat_axes(X, (depth_factor, height_factor, width_factor),
                        _spatial_axes(dim_ordering, 3))


def _pad_axes(x, pads_by_axis):
    flat = []
    for axis in reversed(range(x.dim())):
        before, after = pads_by_axis.get(axis, (0, 0))
        flat.extend((before, after))
    return F.pad(x, flat)


@symbolic_aware
def temporal_padding(x, padding=1):
    """Zeros on both ends of axis 1 of a 3-D tensor."""
    return asymmetric_temporal_padding.eager(x, padding, padding)


@symbolic_aware
def asymmetric_temporal_padding(x, left_pad=1, right_pad=1):
    x = _as_tensor(x)
    _check_rank(x, 3, "asymmetric_temporal_padding")
    return _pad_axes(x, {1: (left_pad, right_pad)})


@symbolic_aware
def spatial_2d_padding(x, padding=(1, 1), dim_ordering="default"):
    return asymmetric_spatial_2d_padding.eager(x, padding[0], padding[0], padding[1],
                                               padding[1], dim_ordering)


@symbolic_aware
def asymmetric_spatial_2d_padding(x, top_pad=1, bottom_pad=1, left_pad=1, right_pad=1,
                                  dim_ordering="default"):
    ordering = _ordering(dim_ordering, "asymmetric_spatial_2d_padding")
    x = _as_tensor(x)
    _check_rank(x, 4, "spatial_2d_padding")
    rows, cols = _spatial_axes(ordering, 2)
    return _pad_axes(x, {rows: (top_pad, bottom_pad), cols: (left_pad, right_pad)})


@symbolic_aware
def spatial_3d_padding(x, padding=(1, 1, 1), dim_ordering="default"):
    ordering = _ordering(dim_ordering, "spatial_3d_padding")
    x = _as_tensor(x)
    _check_rank(x, 5, "spatial_3d_padding")
    return _pad_axes(x, {axis: (p, p) for axis, p in zip(_spatial_axes(ordering, 3), padding)})
