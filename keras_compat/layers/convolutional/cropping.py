"""``Cropping1D``, ``Cropping2D`` and ``Cropping3D``: remove borders of the spatial axes."""
from keras_compat._args import groups, values
from keras_compat.backend.convolution import spatial_axes
from keras_compat.engine.layer import Layer


def _pair(owner, arg, value):
    try:
        pair = tuple(value)
    except TypeError:
        pair = ()
    if len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                 for v in pair):
        raise ValueError("%s: %s must be a tuple of 2 non-negative ints, got %r"
                         % (owner, arg, value))
    return pair


def _pairs(owner, value, n):
    if isinstance(value, int) and not isinstance(value, bool):
        value = ((value, value),) * n
    try:
        items = tuple(value)
    except TypeError:
        items = ()
    if len(items) != n:
        raise ValueError("%s: cropping must be a tuple of %d (before, after) pairs, got %r"
                         % (owner, n, value))
    return tuple(_pair(owner, "cropping[%d]" % i, item if isinstance(item, (tuple, list))
                       else (item, item)) for i, item in enumerate(items))


class _Cropping(Layer):
    """Shared shape arithmetic and slicing; ``_axes()`` names the cropped axes."""

    def _crop_length(self, input_shape, axis, before, after):
        length = input_shape[axis]
        if length is None:
            return None
        out = length - before - after
        # Keras 1.2.2 let a crop empty an axis (length 0: its test_cropping_1d does) and gave a
        # negative length, which fails later, when cropping more than the axis holds.
        if out < 0:
            raise ValueError("Layer %s (%s): cropping %r removes more than all of axis %d of "
                             "input shape %s" % (self.name, type(self).__name__, self.cropping,
                                                 axis, tuple(input_shape)))
        return out

    def _store_spatial(self, cropping, dim_ordering, rank):
        owner = type(self).__name__
        self._pairs = _pairs(owner, cropping, rank)
        self.cropping = self._pairs
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)

    def _axes(self):
        return spatial_axes(self.dim_ordering, len(self._pairs))

    def get_output_shape_for(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(self._axes(), self._pairs):
            shape[axis] = self._crop_length(input_shape, axis, before, after)
        return tuple(shape)

    def build(self, input_shape):
        self.get_output_shape_for(input_shape)

    def call(self, x, mask=None):
        index = [slice(None)] * x.dim()
        for axis, (before, after) in zip(self._axes(), self._pairs):
            index[axis] = slice(before, x.shape[axis] - after)
        return x[tuple(index)]


class Cropping1D(_Cropping):
    """Cropping layer for 1D input (e.g. temporal sequence).

    # Arguments
        cropping: tuple ``(left, right)`` of steps removed at each end (an int crops both ends).

    # Input shape
        ``(samples, axis_to_crop, features)``.

    # Output shape
        ``(samples, cropped_axis, features)``.

    # Torch mapping
        A slice (a view) of the time axis.

    # Differences from Keras 1
        A crop that removes the whole axis is refused at build time (ValueError).
    """

    input_ndim = 3
    aliases = ()

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        if isinstance(cropping, int) and not isinstance(cropping, bool):
            cropping = (cropping, cropping)
        self.cropping = _pair(owner, "cropping", cropping)
        self._pairs = (self.cropping,)

    def _axes(self):
        return (1,)


class Cropping2D(_Cropping):
    """Cropping layer for 2D input (e.g. picture).

    # Arguments
        cropping: ``((top, bottom), (left, right))``; a pair of ints ``(rows, cols)`` crops
            symmetrically, an int crops every side.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``.

    # Output shape
        Same rank with cropped rows and cols.

    # Torch mapping
        A slice (a view) of the two spatial axes.

    # Differences from Keras 1
        Keras 1 computed ``None - crop`` (TypeError) for unknown spatial dims; here ``None``
        stays ``None``. A crop that removes a whole axis is refused at build time.
    """

    input_spec_pins_shape = True

    aliases = groups.DATA_FORMAT
    input_ndim = 4

    def __init__(self, cropping=((0, 0), (0, 0)), dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self._store_spatial(cropping, dim_ordering, 2)


class Cropping3D(_Cropping):
    """Cropping layer for 3D data (e.g. spatial or spatio-temporal).

    # Arguments
        cropping: ``((d1_before, d1_after), (d2_before, d2_after), (d3_before, d3_after))``;
            ints in place of pairs crop symmetrically.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, dim1, dim2, dim3)``; ``tf``: ``(samples, dim1, dim2, dim3,
        channels)``.

    # Output shape
        Same rank with the three spatial dims cropped.

    # Torch mapping
        A slice (a view) of the three spatial axes.

    # Differences from Keras 1
        A crop that removes a whole axis is refused at build time.
    """

    aliases = groups.DATA_FORMAT
    input_ndim = 5

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self._store_spatial(cropping, dim_ordering, 3)
