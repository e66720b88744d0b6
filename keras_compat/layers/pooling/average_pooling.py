"""``AveragePooling1D``, ``AveragePooling2D`` and ``AveragePooling3D``."""
from keras_compat.layers.pooling.base_pooling import _Pooling1D, _Pooling2D, _Pooling3D


class AveragePooling1D(_Pooling1D):
    """Average pooling for temporal data.

    # Arguments
        pool_length: size of the region to which average pooling is applied.
        stride: integer or None; factor by which to downscale (None: ``pool_length``).
        border_mode: ``'valid'`` or ``'same'``.

    # Input shape
        ``(samples, steps, features)``.

    # Output shape
        ``(samples, downsampled_steps, features)``.

    # Torch mapping
        ``F.avg_pool1d``; with ``'same'`` the padded cells are excluded from the divisor (both
        Keras-1 backends do so), the padding placed as the emulated backend does.

    # Differences from Keras 1
        Keras-2 ``pool_size``/``strides``/``padding`` are accepted.
    """

    mode = "avg"


class AveragePooling2D(_Pooling2D):
    """Average pooling operation for spatial data.

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
        ``F.avg_pool2d`` on a channels-first view; with ``'same'`` the padded cells are excluded
        from the divisor, the padding placed as the emulated backend does.

    # Differences from Keras 1
        Keras-2 ``padding``/``data_format`` are accepted.
    """

    mode = "avg"


class AveragePooling3D(_Pooling3D):
    """Average pooling operation for 3D data (spatial or spatio-temporal).

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
        ``F.avg_pool3d`` on a channels-first view; with ``'same'`` the padded cells are excluded from the divisor (both Keras-1 backends do so), the padding placed as the emulated backend does.

    # Differences from Keras 1
        Keras-2 ``padding``/``data_format`` are accepted.
    """

    mode = "avg"
