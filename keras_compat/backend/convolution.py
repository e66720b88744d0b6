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
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


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


# -- geometry: the one place output sizes and padding placement are computed ---------------
def conv_output_length(input_length, filter_size, border_mode, stride, dilation=1):
    """Keras-1 ``conv_utils.conv_output_length`` (None stays None)."""
    if input_length is None:
        return None
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    if border_mode == "same":
        length = input_length
    elif border_mode == "valid":
        length = input_length - dilated + 1
    elif border_mode == "full":
        length = input_length + dilated - 1
    else:
        raise ValueError("Unknown border_mode %r" % (border_mode,))
    return (length + stride - 1) // stride


def conv_input_length(output_length, filter_size, border_mode, stride):
    """The input length a convolution maps to ``output_length`` (the transposed convolution's
    output length): ``(output_length - 1) * stride - 2 * pad + filter_size`` with ``pad``
    ``filter_size // 2`` (same), 0 (valid) or ``filter_size - 1`` (full). None stays None."""
    if output_length is None:
        return None
    pads = {"same": filter_size // 2, "valid": 0, "full": filter_size - 1}
    if border_mode not in pads:
        raise ValueError("conv_input_length: unknown border_mode %r (expected 'same', 'valid' "
                         "or 'full')" % (border_mode,))
    return (output_length - 1) * stride - 2 * pads[border_mode] + filter_size


def same_padding(input_length, filter_size, stride, dilation, backend):
    """(before, after) padding that reproduces ``'same'`` placement of the emulated backend.

    TensorFlow pads the total evenly with the extra element at the end; Theano pads
    ``k // 2`` on both sides and crops the surplus at the end, which shifts windows
    for even kernels and strided convolutions.
    """
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    if backend == "theano":
        return dilated // 2, dilated // 2
    out = (input_length + stride - 1) // stride
    total = max((out - 1) * stride + dilated - input_length, 0)
    return total // 2, total - total // 2


def theano_same_crop(input_length, stride):
    """Output length Theano keeps after its symmetric 'same' padding."""
    return int(math.ceil(input_length / float(stride)))


def conv_padding(spatial, kernel, strides, border_mode, backend, dilation=None):
    """``(pads, crop)`` of a Keras-1 convolution of the emulated ``backend``.

    ``pads``: per spatial axis ``(before, after)`` zeros; ``crop``: the sizes Theano's
    ``'same'`` keeps from the start of the result (None when nothing is cut). ``dilation``
    (atrous rates) widens each kernel to its dilated extent.
    """
    dilation = dilation or (1,) * len(kernel)
    extent = [k + (k - 1) * (d - 1) for k, d in zip(kernel, dilation)]
    crop = None
    if border_mode == "same":
        pads = [same_padding(n, k, s, 1, backend) for n, k, s in zip(spatial, extent, strides)]
        if backend == "theano":
            crop = [theano_same_crop(n, s) for n, s in zip(spatial, strides)]
    elif border_mode == "full":
        pads = [(k - 1, k - 1) for k in extent]
    else:
        pads = [(0, 0)] * len(kernel)
    return pads, crop


def pool_padding(spatial, pool, strides, backend):
    """``(pads, crop)`` of ``'same'`` pooling: TF SAME, or Theano's ``pool_2d(ignore_border=True,
    pad=p - 2 for odd p > 2, else p - 1)`` on both sides with the result cropped to
    ``ceil(n / s)``."""
    if backend == "theano":
        pads = [(p - 2, p - 2) if p > 2 and p % 2 else (p - 1, p - 1) for p in pool]
        return pads, [theano_same_crop(n, s) for n, s in zip(spatial, strides)]
    return [same_padding(n, p, s, 1, "tensorflow") for n, p, s in zip(spatial, pool, strides)], None


def pad_spatial(x, pads, value=0.0):
    """``x`` (channels first) with ``(before, after)`` ``value`` cells on each spatial axis."""
    flat = []
    for before, after in reversed(pads):
        flat.extend((before, after))
    return F.pad(x, flat, value=value)


def crop_spatial(y, crop):
    """The first ``crop[i]`` cells of each spatial axis of ``y`` (None: ``y`` as it is)."""
    if crop is None:
        return y
    return y[(slice(None), slice(None)) + tuple(slice(0, c) for c in crop)]


# -- kernel orientation ----------------------------------------------------------------------
def theano_kernel_flip(weight, backend):
    """The one kernel-orientation rule: torch parameters hold cross-correlation kernels
    (what ``F.convNd`` uses), Theano's Keras-1 kernels are true-convolution kernels, i.e.
    those flipped on every spatial axis (axes 2... of a torch-layout kernel). The flip is
    its own inverse, so the same call maps a Theano kernel to torch's and back; under
    TensorFlow the kernel is returned as it is."""
    if backend == "theano":
        return weight.flip(tuple(range(2, weight.dim())))
    return weight


# -- channels-first numerics shared by ``K.*`` and the layers ------------------------------
def conv_channels_first(x, weight, bias, strides, border_mode, backend, dilation=None):
    """Cross-correlation of a channels-first ``x`` with a torch-orientation ``weight`` and
    ``border_mode`` padding placed as the emulated ``backend`` placed it."""
    nd = weight.dim() - 2
    dilation = tuple(dilation) if dilation is not None else (1,) * nd
    pads, crop = conv_padding(tuple(x.shape[2:]), tuple(weight.shape[2:]), strides,
                              border_mode, backend, dilation)
    if all(a == b for a, b in pads):
        y = _CONV[nd](x, weight, bias, stride=tuple(strides),
                      padding=tuple(a for a, _ in pads), dilation=dilation)
    else:
        y = _CONV[nd](pad_spatial(x, pads), weight, bias, stride=tuple(strides),
                      dilation=dilation)
    return crop_spatial(y, crop)


def conv_transpose2d_channels_first(x, weight, bias, out_spatial, strides, border_mode,
                                    backend):
    """Transposed convolution of a channels-first ``x`` with a torch ``(in, out, r, c)``
    ``weight``: the full result cropped at the start by the forward convolution's padding
    (TF SAME split, Theano ``k // 2``, ``k - 1`` for ``'full'``) and cut or zero-extended at
    the end to ``out_spatial``; then the bias."""
    y = F.conv_transpose2d(x, weight, None, stride=tuple(strides))
    index = [slice(None), slice(None)]
    for axis, (n_in, n_out, k, s) in enumerate(zip(x.shape[2:], out_spatial, weight.shape[2:],
                                                   strides)):
        if border_mode == "valid":
            start = 0
        elif border_mode == "full":
            start = k - 1
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
    y = y[tuple(index)]
    if bias is not None:
        y = y + bias.view(1, -1, 1, 1)
    return y


def separable_conv2d_channels_first(x, depthwise, pointwise, bias, strides, border_mode):
    """Depthwise (torch ``(channels * multiplier, 1, r, c)``, output channel ``c * multiplier
    + m`` as ``tf.nn.separable_conv2d``) then 1x1 pointwise convolution, TF SAME padding."""
    if border_mode == "same":
        x = pad_spatial(x, [same_padding(n, k, s, 1, "tensorflow")
                            for n, k, s in zip(x.shape[2:], depthwise.shape[2:], strides)])
    y = F.conv2d(x, depthwise, None, stride=tuple(strides), groups=x.shape[1])
    return F.conv2d(y, pointwise, bias)


def pool_channels_first(x, mode, pool, strides, border_mode, backend):
    """Pool a channels-first ``x``; ``mode`` 'max' or 'avg'. ``valid`` is floor mode; ``same``
    pads as the emulated backend did, padded cells never win a max and are left out of
    averages."""
    nd = len(pool)
    if border_mode == "valid":
        return (_MAX_POOL if mode == "max" else _AVG_POOL)[nd](x, pool, strides)
    spatial = tuple(x.shape[2:])
    pads, crop = pool_padding(spatial, pool, strides, backend)
    if mode == "max":
        y = _MAX_POOL[nd](pad_spatial(x, pads, float("-inf")), pool, strides)
    else:
        summed = _AVG_POOL[nd](pad_spatial(x, pads), pool, strides)
        ones = torch.ones((1, 1) + spatial, dtype=x.dtype, device=x.device)
        y = summed / _AVG_POOL[nd](pad_spatial(ones, pads), pool, strides)
    return crop_spatial(y, crop)


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
    weight = theano_kernel_flip(_torch_kernel(kernel, ordering), backend)
    xc = _channels_first(x, ordering)
    if weight.shape[1] != xc.shape[1]:
        raise ValueError("K.%s: the kernel expects %d input channels but x has %d (dim_ordering=%r)"
                         % (function, weight.shape[1], xc.shape[1], ordering))
    return _channels_last_back(conv_channels_first(xc, weight.to(x.dtype), None, strides,
                                                   border_mode, backend, dilation), ordering)


@symbolic_aware
def conv1d(x, kernel, stride=1, border_mode="valid", image_shape=None, filter_shape=None):
    """1-D convolution of ``x`` ``(batch, steps, input_dim)`` with ``kernel``
    ``(length, input_dim, nb_filter)``, as TensorFlow's ``conv1d`` (Theano had none)."""
    _border(border_mode, "conv1d", ("valid", "same"))
    x, kernel = _as_tensor(x), _as_tensor(kernel)
    _check_rank(x, 3, "conv1d")
    _check_rank(kernel, 3, "conv1d", "kernel")
    stride = _tuple(stride, 1, "conv1d", "stride")
    weight = kernel.permute(2, 1, 0).to(x.dtype)
    return conv_channels_first(x.movedim(-1, 1), weight, None, stride, border_mode,
                               "tensorflow").movedim(1, -1)


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
    y = separable_conv2d_channels_first(xc, dw.to(x.dtype),
                                        _torch_kernel(pointwise, ordering).to(x.dtype), None,
                                        strides, border_mode)
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
    xc = _channels_first(x, ordering)
    y = conv_transpose2d_channels_first(xc, theano_kernel_flip(weight, backend).to(x.dtype), None,
                                        out_spatial, strides, border_mode, backend)
    return _channels_last_back(y, ordering)


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
    y = pool_channels_first(_channels_first(x, ordering), pool_mode, pool_size, strides,
                            border_mode, config.backend())
    return _channels_last_back(y, ordering)


@symbolic_aware
def pool2d(x, pool_size, strides=(1, 1), border_mode="valid", dim_ordering="default",
           pool_mode="max"):
    return _pool("pool2d", 2, x, pool_size, strides, border_mode, dim_ordering, pool_mode)


@symbolic_aware
def pool3d(x, pool_size, strides=(1, 1, 1), border_mode="valid", dim_ordering="default",
           pool_mode="max"):
    return _pool("pool3d", 3, x, pool_size, strides, border_mode, dim_ordering, pool_mode)


def spatial_axes(ordering, rank):
    """The ``rank`` spatial axes of a batch in ``ordering`` ('th': after the channels,
    'tf': before them)."""
    first = 2 if ordering == "th" else 1
    return tuple(range(first, first + rank))


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
    return _repeat_axes(X, (height_factor, width_factor), spatial_axes(dim_ordering, 2))


@symbolic_aware
def resize_volumes(X, depth_factor, height_factor, width_factor, dim_ordering):  # noqa: N803
    """Nearest-neighbour upscaling of the three spatial axes by integer factors."""
    if dim_ordering not in ("th", "tf"):
        raise ValueError("K.resize_volumes: invalid dim_ordering %r (expected 'th' or 'tf')"
                         % (dim_ordering,))
    X = _as_tensor(X)  # noqa: N806
    _check_rank(X, 5, "resize_volumes", "X")
    return _repeat_axes(X, (depth_factor, height_factor, width_factor),
                        spatial_axes(dim_ordering, 3))


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
    rows, cols = spatial_axes(ordering, 2)
    return _pad_axes(x, {rows: (top_pad, bottom_pad), cols: (left_pad, right_pad)})


@symbolic_aware
def spatial_3d_padding(x, padding=(1, 1, 1), dim_ordering="default"):
    ordering = _ordering(dim_ordering, "spatial_3d_padding")
    x = _as_tensor(x)
    _check_rank(x, 5, "spatial_3d_padding")
    return _pad_axes(x, {axis: (p, p) for axis, p in zip(spatial_axes(ordering, 3), padding)})
