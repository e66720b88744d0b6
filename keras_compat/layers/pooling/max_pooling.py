"""``MaxPooling1D``, ``MaxPooling2D`` and ``MaxPooling3D``."""
from keras_compat.layers.pooling.base_pooling import _Pooling1D, _Pooling2D, _Pooling3D


class MaxPooling1D(_Pooling1D):
    """Max pooling operation for temporal data.

    # Arguments
        pool_length: size of the region to which max pooling is applied.
        stride: integer or None; factor by which to downscale (None: ``pool_length``).
        border_mode: ``'valid'`` or ``'same'``.

    # Input shape
        ``(samples, steps, features)``.

    # Output shape
        ``(samples, downsampled_steps, features)``.

    # Torch mapping
        ``F.max_pool1d`` on ``x.transpose(1, 2)``; ``'same'`` padding with ``-inf`` placed as the
        emulated backend does (semantics 3.4).

    # Differences from Keras 1
        Keras-2 ``pool_size``/``strides``/``padding`` are accepted.
    """

    mode = "max"


class MaxPooling2D(_Pooling2D):
    """Max pooling operation for spatial data.

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
        ``F.max_pool2d`` on a channels-first view; ``'same'`` padding with ``-inf`` placed as the
        emulated backend does (TF: at the end; Theano: on both sides, then cropped).

    # Differences from Keras 1
        Keras-2 ``padding``/``data_format`` are accepted.
    """

    mode = "max"


class MaxPooling3D(_Pooling3D):
    """Max pooling operation for 3D data (spatial or spatio-temporal).

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
        ``F.max_pool3d`` on a channels-first view; ``'same'`` padding with ``-inf`` placed as the emulated backend does (TF: at the end; Theano: ``pool_3d`` padding on both sides, then cropped).

    # Differences from Keras 1
        Keras-2 ``padding``/``data_format`` are accepted.
    """

    mode = "max"
