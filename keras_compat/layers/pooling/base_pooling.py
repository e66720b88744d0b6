"""Shared machinery of the pooling layers (Keras 1.2.2's ``pool2d`` per backend).

``valid`` pooling is floor mode on both backends. ``same`` pooling emulates the configured
Keras-1 backend (read when the layer is built):

* ``'tensorflow'``: TF SAME padding (extra element at the end); max pooling ignores the padded
  cells (padded with ``-inf``) and average pooling excludes them from the divisor;
* ``'theano'``: ``pool_2d(ignore_border=True, pad=...)`` with ``pad = p - 2`` for odd ``p > 2``
  and ``p - 1`` otherwise, on *both* sides, then the output cropped to ``ceil(n / s)``;
  padded cells never win a max and are excluded from averages (``'average_exc_pad'``).
"""
from keras_compat._args import groups, values
from keras_compat._args.rules import Custom
from keras_compat.backend import config
from keras_compat.backend.convolution import pool_channels_first, spatial_axes
from keras_compat.engine.layer import Layer
from keras_compat.layers._sliding_window import output_length

BORDER_MODES = ("valid", "same")


# The sections the max and average variants of one rank share in their docstrings.
_DOC_SECTIONS = {
    1: """
    # Arguments
        pool_length: size of the pooling window.
        stride: integer or None; factor by which to downscale (None: ``pool_length``).
        border_mode: ``'valid'`` or ``'same'``.

    # Input shape
        ``(samples, steps, features)``.

    # Output shape
        ``(samples, downsampled_steps, features)``.

    # Torch mapping
        %s

    # Differences from Keras 1
        Keras-2 ``pool_size``/``strides``/``padding`` are accepted.
    """,
    2: """
    # Arguments
        pool_size: tuple of 2 ints, factors by which to downscale (vertical, horizontal).
        strides: tuple of 2 ints or None (None: ``pool_size``).
        border_mode: ``'valid'`` or ``'same'``.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``.

    # Output shape
        Same layout with pooled rows and cols.

    # Torch mapping
        %s

    # Differences from Keras 1
        Keras-2 ``padding``/``data_format`` are accepted.
    """,
    3: """
    # Arguments
        pool_size: tuple of 3 ints, factors by which to downscale (dim1, dim2, dim3).
        strides: tuple of 3 ints or None (None: ``pool_size``).
        border_mode: ``'valid'`` or ``'same'``.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, dim1, dim2, dim3)``; ``tf``: ``(samples, dim1, dim2, dim3,
        channels)``.

    # Output shape
        Same layout with pooled dims (``valid``: floor mode; ``same``: ``ceil(n / s)``).

    # Torch mapping
        %s

    # Differences from Keras 1
        Keras-2 ``padding``/``data_format`` are accepted.
    """,
}


def pooling_doc(summary, rank, torch_mapping):
    """A pooling layer's docstring: its summary and torch mapping in the sections of its rank."""
    return summary + "\n" + _DOC_SECTIONS[rank] % torch_mapping


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


class _Pooling(Layer):
    """Base of the pooling layers: ``rank`` spatial axes pooled by ``mode`` ('max'/'avg')."""

    rank = None
    mode = None

    def pool_window(self):
        return self.pool_size

    def pool_strides(self):
        return self.strides

    def data_ordering(self):
        """'th' (channels first) or 'tf' (channels last)."""
        return self.dim_ordering

    def _spatial_axes(self):
        return spatial_axes(self.data_ordering(), self.rank)

    def get_output_shape_for(self, input_shape):
        shape = list(input_shape)
        window, strides = self.pool_window(), self.pool_strides()
        for i, axis in enumerate(self._spatial_axes()):
            shape[axis] = output_length(self, input_shape[axis], window[i], self.border_mode,
                                        strides[i], input_shape, window, what="pool size")
        return tuple(shape)

    def build(self, input_shape):
        self.get_output_shape_for(input_shape)
        self.backend = config.backend()

    def call(self, x, mask=None):
        channels_last = self.data_ordering() == "tf"
        if channels_last:
            x = x.movedim(-1, 1)
        y = pool_channels_first(x, self.mode, self.pool_window(), self.pool_strides(),
                                self.border_mode, self.backend or config.backend())
        return y.movedim(1, -1) if channels_last else y


class _Pooling1D(_Pooling):
    """Base of ``MaxPooling1D`` / ``AveragePooling1D``: pooling over the time axis."""

    aliases = POOL1D_ARGS
    input_ndim = 3
    rank = 1

    def __init__(self, pool_length=2, stride=None, border_mode="valid", **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.pool_length = values.check_positive_int(owner, "pool_length", pool_length)
        if stride is None:
            stride = self.pool_length
        self.stride = values.check_positive_int(owner, "stride", stride)
        self.border_mode = values.check_choice(owner, "border_mode", border_mode, BORDER_MODES)
        self.backend = None

    def pool_window(self):
        return (self.pool_length,)

    def pool_strides(self):
        return (self.stride,)

    def data_ordering(self):
        return "tf"  # (samples, steps, features)


class _SpatialPooling(_Pooling):
    """Shared arguments of the 2-D and 3-D pooling bases."""

    aliases = groups.POOL_ARGS

    def _store_arguments(self, pool_size, strides, border_mode, dim_ordering):
        owner = type(self).__name__
        self.pool_size = values.to_tuple(owner, "pool_size", pool_size, self.rank)
        if strides is None:
            strides = self.pool_size
        self.strides = values.to_tuple(owner, "strides", strides, self.rank)
        self.border_mode = values.check_choice(owner, "border_mode", border_mode, BORDER_MODES)
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)
        self.backend = None


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
