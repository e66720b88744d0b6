"""Shared machinery of the pooling layers (semantics.md 3.4).

``valid`` pooling is floor mode on both backends. ``same`` pooling emulates the configured
Keras-1 backend (read when the layer is built):

* ``'tensorflow'``: TF SAME padding (extra element at the end); max pooling ignores the padded
  cells (padded with ``-inf``) and average pooling excludes them from the divisor;
* ``'theano'``: ``pool_2d(ignore_border=True, pad=...)`` with ``pad = p - 2`` for odd ``p > 2``
  and ``p - 1`` otherwise, on *both* sides, then the output cropped to ``ceil(n / s)``;
  padded cells never win a max and are excluded from averages (``'average_exc_pad'``).
"""
import torch
import torch.nn.functional as F

from keras_compat._args import groups, values
from keras_compat._args.rules import Custom
from keras_compat.backend import config
from keras_compat.engine.layer import Layer

BORDER_MODES = ("valid", "same")

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _theano_pad(pool):
    return pool - 2 if pool > 2 and pool % 2 == 1 else pool - 1


def _same_pads(spatial, pool, strides, backend):
    if backend == "theano":
        return [(_theano_pad(p), _theano_pad(p)) for p in pool]
    return [values.same_padding(n, p, s, 1, "tensorflow")
            for n, p, s in zip(spatial, pool, strides)]


def pool_nd(x, mode, pool, strides, border_mode, backend):
    """Pool a channels-first ``x`` (``(batch, channels, *spatial)``); ``mode`` 'max' or 'avg'."""
    nd = len(pool)
    if border_mode == "valid":
        if mode == "max":
            return _MAX[nd](x, pool, strides)
        return _AVG[nd](x, pool, strides)
    spatial = tuple(x.shape[2:])
    pads = _same_pads(spatial, pool, strides, backend)
    flat = []
    for before, after in reversed(pads):
        flat.extend((before, after))
    if mode == "max":
        y = _MAX[nd](F.pad(x, flat, value=float("-inf")), pool, strides)
    else:
        summed = _AVG[nd](F.pad(x, flat), pool, strides)
        ones = torch.ones((1, 1) + spatial, dtype=x.dtype, device=x.device)
        counts = _AVG[nd](F.pad(ones, flat), pool, strides)
        y = summed / counts
    if backend == "theano":
        crop = [values.theano_same_crop(n, s) for n, s in zip(spatial, strides)]
        y = y[(slice(None), slice(None)) + tuple(slice(0, c) for c in crop)]
    return y


def output_length(layer, length, pool, border_mode, stride, input_shape, pool_desc):
    out = values.conv_output_length(length, pool, border_mode, stride)
    if out is not None and out <= 0:
        raise ValueError("Layer %s (%s): input shape %s is too small for the pool size %s with "
                         "border_mode=%r (the output would have length %d)"
                         % (layer.name, type(layer).__name__, tuple(input_shape),
                            tuple(pool_desc), border_mode, out))
    return out


def _pool_size_1d(owner, value, kwargs):
    return {"pool_length": values.to_tuple(owner, "pool_size", value, 1)[0]}


def _strides_1d(owner, value, kwargs):
    if value is None:
        return {"stride": None}
    return {"stride": values.to_tuple(owner, "strides", value, 1)[0]}


POOL1D_ARGS = (
    groups.POOL_ARGS[0],  # padding -> border_mode
    Custom("pool_size", _pool_size_1d, "pool_size=n (or (n,)) sets pool_length", example=2),
    Custom("strides", _strides_1d, "strides=s (or (s,)) sets stride", example=2),
)


class _Pooling1D(Layer):
    """Base of ``MaxPooling1D`` / ``AveragePooling1D``: pooling over the time axis."""

    aliases = POOL1D_ARGS
    input_ndim = 3
    mode = None

    def __init__(self, pool_length=2, stride=None, border_mode="valid", **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.pool_length = values.check_positive_int(owner, "pool_length", pool_length)
        if stride is None:
            stride = self.pool_length
        self.stride = values.check_positive_int(owner, "stride", stride)
        self.border_mode = values.check_choice(owner, "border_mode", border_mode, BORDER_MODES)
        self.backend = None

    def get_output_shape_for(self, input_shape):
        length = output_length(self, input_shape[1], self.pool_length, self.border_mode,
                               self.stride, input_shape, (self.pool_length,))
        return (input_shape[0], length, input_shape[2])

    def build(self, input_shape):
        self.get_output_shape_for(input_shape)
        self.backend = config.backend()

    def call(self, x, mask=None):
        y = pool_nd(x.transpose(1, 2), self.mode, (self.pool_length,), (self.stride,),
                    self.border_mode, self.backend or config.backend())
        return y.transpose(1, 2)


class _SpatialPooling(Layer):
    """Shared body of the 2-D and 3-D pooling bases; ``rank`` is the number of spatial axes."""

    aliases = groups.POOL_ARGS
    rank = None
    mode = None

    def _store_arguments(self, pool_size, strides, border_mode, dim_ordering):
        owner = type(self).__name__
        self.pool_size = values.to_tuple(owner, "pool_size", pool_size, self.rank)
        if strides is None:
            strides = self.pool_size
        self.strides = values.to_tuple(owner, "strides", strides, self.rank)
        self.border_mode = values.check_choice(owner, "border_mode", border_mode, BORDER_MODES)
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)
        self.backend = None

    def _spatial_axes(self):
        first = 2 if self.dim_ordering == "th" else 1
        return tuple(range(first, first + self.rank))

    def get_output_shape_for(self, input_shape):
        shape = list(input_shape)
        for i, axis in enumerate(self._spatial_axes()):
            shape[axis] = output_length(self, input_shape[axis], self.pool_size[i],
                                        self.border_mode, self.strides[i], input_shape,
                                        self.pool_size)
        return tuple(shape)

    def build(self, input_shape):
        self.get_output_shape_for(input_shape)
        self.backend = config.backend()

    def call(self, x, mask=None):
        backend = self.backend or config.backend()
        if self.dim_ordering == "tf":
            last = self.rank + 1
            y = pool_nd(x.permute(0, last, *range(1, last)), self.mode, self.pool_size,
                        self.strides, self.border_mode, backend)
            return y.permute(0, *range(2, last + 1), 1)
        return pool_nd(x, self.mode, self.pool_size, self.strides, self.border_mode, backend)


class _Pooling2D(_SpatialPooling):
    """Base of ``MaxPooling2D`` / ``AveragePooling2D``."""

    rank = 2
    input_ndim = 4

    def __init__(self, pool_size=(2, 2), strides=None, border_mode="valid",
                 dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self._store_arguments(pool_size, strides, border_mode, dim_ordering)


class _Pooling3D(_SpatialPooling):
    """Base of ``MaxPooling3D`` / ``AveragePooling3D``."""

    rank = 3
    input_ndim = 5

    def __init__(self, pool_size=(2, 2, 2), strides=None, border_mode="valid",
                 dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self._store_arguments(pool_size, strides, border_mode, dim_ordering)
