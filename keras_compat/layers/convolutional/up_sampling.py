"""``UpSampling1D``, ``UpSampling2D`` and ``UpSampling3D``: nearest-neighbour repetition."""
from keras_compat._args import groups, values
from keras_compat._args.rules import Custom
from keras_compat.backend.convolution import spatial_axes
from keras_compat.engine.layer import Layer


def _size_1d(owner, value, kwargs):
    return {"length": values.to_tuple(owner, "size", value, 1)[0]}


class UpSampling1D(Layer):
    """Repeats each temporal step ``length`` times along the time axis.

    # Arguments
        length: integer, upsampling factor.

    # Input shape
        ``(samples, steps, features)``.

    # Output shape
        ``(samples, length * steps, features)``.

    # Torch mapping
        ``x.repeat_interleave(length, dim=1)``.

    # Differences from Keras 1
        Keras-2 ``size=`` is accepted as ``length``.
    """

    aliases = (Custom("size", _size_1d, "size=n (or (n,)) sets length", example=2),)
    input_ndim = 3

    def __init__(self, length=2, **kwargs):
        super().__init__(**kwargs)
        self.length = values.check_positive_int(type(self).__name__, "length", length)

    def get_output_shape_for(self, input_shape):
        steps = input_shape[1] * self.length if input_shape[1] is not None else None
        return (input_shape[0], steps, input_shape[2])

    def call(self, x, mask=None):
        return x.repeat_interleave(self.length, dim=1)


class _SpatialUpSampling(Layer):
    """Shared body of ``UpSampling2D``/``UpSampling3D``: ``rank`` spatial axes repeated by
    ``size``."""

    aliases = groups.DATA_FORMAT
    rank = None

    def _store_arguments(self, size, dim_ordering):
        owner = type(self).__name__
        self.size = values.to_tuple(owner, "size", size, self.rank)
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)

    def _axes(self):
        return spatial_axes(self.dim_ordering, self.rank)

    def get_output_shape_for(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(self._axes(), self.size):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def call(self, x, mask=None):
        for axis, factor in zip(self._axes(), self.size):
            x = x.repeat_interleave(factor, dim=axis)
        return x


class UpSampling2D(_SpatialUpSampling):
    """Repeats the rows and columns of the data by ``size[0]`` and ``size[1]``.

    # Arguments
        size: tuple of 2 ints (or an int), the upsampling factors for rows and columns.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``.

    # Output shape
        Rows and cols multiplied by the factors.

    # Torch mapping
        ``repeat_interleave`` on the two spatial axes (nearest neighbour).

    # Differences from Keras 1
        None.
    """

    input_ndim = 4
    rank = 2

    def __init__(self, size=(2, 2), dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self._store_arguments(size, dim_ordering)


class UpSampling3D(_SpatialUpSampling):
    """Repeats the three spatial dimensions of the data by ``size[0]``, ``size[1]``, ``size[2]``.

    # Arguments
        size: tuple of 3 ints (or an int), the upsampling factors for dim1, dim2 and dim3.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, dim1, dim2, dim3)``; ``tf``: ``(samples, dim1, dim2, dim3,
        channels)``.

    # Output shape
        The three spatial dims multiplied by the factors (``None`` stays ``None``).

    # Torch mapping
        ``repeat_interleave`` on the three spatial axes (nearest neighbour).

    # Differences from Keras 1
        None.
    """

    input_ndim = 5
    rank = 3

    def __init__(self, size=(2, 2, 2), dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self._store_arguments(size, dim_ordering)
