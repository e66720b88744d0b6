"""``ZeroPadding1D``, ``ZeroPadding2D`` and ``ZeroPadding3D``: zeros around the spatial axes."""
import torch.nn.functional as F

from keras_compat._args import groups, values
from keras_compat.backend.convolution import spatial_axes
from keras_compat.engine.layer import Layer


def _non_negative_int(owner, arg, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("%s: %s must be a non-negative int, got %r" % (owner, arg, value))
    return value


def _from_dict(owner, padding, keys):
    unknown = set(padding) - set(keys)
    if unknown:
        raise ValueError("%s: unexpected key(s) %s in the `padding` dict; keys have to be in %s"
                         % (owner, sorted(unknown), list(keys)))
    return tuple(_non_negative_int(owner, "padding[%r]" % k, padding.get(k, 0)) for k in keys)


def _items(padding):
    """``padding`` as a tuple, or ``()`` when it is not a sequence."""
    return tuple(padding) if hasattr(padding, "__len__") else ()


class _SpatialZeroPadding(Layer):
    """Shared body of ``ZeroPadding2D``/``ZeroPadding3D``: ``pads`` holds ``(before, after)``
    per spatial axis."""

    aliases = groups.DATA_FORMAT

    def _axes(self):
        return spatial_axes(self.dim_ordering, len(self.pads))

    def get_output_shape_for(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(self._axes(), self.pads):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def call(self, x, mask=None):
        flat = [] if self.dim_ordering == "th" else [0, 0]
        for before, after in reversed(self.pads):
            flat.extend((before, after))
        return F.pad(x, flat)


class ZeroPadding1D(Layer):
    """Zero-padding layer for 1D input (e.g. temporal sequence).

    # Arguments
        padding: int (same amount on both ends), tuple ``(left_pad, right_pad)``, or dict with
            keys ``'left_pad'``, ``'right_pad'`` (missing keys are 0).

    # Input shape
        ``(samples, axis_to_pad, features)``.

    # Output shape
        ``(samples, padded_axis, features)``.

    # Torch mapping
        ``F.pad`` on the time axis.

    # Differences from Keras 1
        None.
    """

    input_ndim = 3

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.padding = padding
        if isinstance(padding, dict):
            self.left_pad, self.right_pad = _from_dict(owner, padding, ("left_pad", "right_pad"))
        elif isinstance(padding, int) and not isinstance(padding, bool):
            self.left_pad = self.right_pad = _non_negative_int(owner, "padding", padding)
        else:
            pair = _items(padding)
            if len(pair) != 2:
                raise ValueError("%s: padding must be an int, a tuple (left_pad, right_pad) or a "
                                 "dict, got %r" % (owner, padding))
            self.left_pad = _non_negative_int(owner, "padding", pair[0])
            self.right_pad = _non_negative_int(owner, "padding", pair[1])

    def get_output_shape_for(self, input_shape):
        length = input_shape[1]
        if length is not None:
            length = length + self.left_pad + self.right_pad
        return (input_shape[0], length, input_shape[2])

    def call(self, x, mask=None):
        return F.pad(x, (0, 0, self.left_pad, self.right_pad))


class ZeroPadding2D(_SpatialZeroPadding):
    """Zero-padding layer for 2D input (e.g. picture).

    # Arguments
        padding: ``(rows, cols)`` (symmetric), a 4-tuple ``(top_pad, bottom_pad, left_pad,
            right_pad)``, or a dict with keys ``top_pad``, ``bottom_pad``, ``left_pad``,
            ``right_pad`` (missing keys are 0).
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``.

    # Output shape
        Same rank, rows and cols padded.

    # Torch mapping
        ``F.pad`` on the two spatial axes of the Keras layout.

    # Differences from Keras 1
        The Keras-2 form ``((top, bottom), (left, right))`` is also accepted (and an int, meaning
        the same padding on every side).
    """

    input_ndim = 4

    def __init__(self, padding=(1, 1), dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.padding = padding
        keys = ("top_pad", "bottom_pad", "left_pad", "right_pad")
        if isinstance(padding, dict):
            pads = _from_dict(owner, padding, keys)
        elif isinstance(padding, int) and not isinstance(padding, bool):
            pads = (_non_negative_int(owner, "padding", padding),) * 4
        else:
            items = _items(padding)
            if len(items) == 2 and all(isinstance(i, (tuple, list)) for i in items):
                items = tuple(items[0]) + tuple(items[1])
            elif len(items) == 2:
                items = (items[0], items[0], items[1], items[1])
            if len(items) != 4:
                raise ValueError("%s: padding must be a tuple of 2 or 4 ints, or a dict with "
                                 "keys %s; got %r" % (owner, ", ".join(keys), padding))
            pads = tuple(_non_negative_int(owner, "padding", p) for p in items)
        self.top_pad, self.bottom_pad, self.left_pad, self.right_pad = pads
        self.pads = (pads[:2], pads[2:])
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)


class ZeroPadding3D(_SpatialZeroPadding):
    """Zero-padding layer for 3D data (spatial or spatio-temporal).

    # Arguments
        padding: tuple of 3 ints (or an int): zeros added at *both* ends of dim1, dim2, dim3.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        ``th``: ``(samples, channels, dim1, dim2, dim3)``; ``tf``: ``(samples, dim1, dim2, dim3,
        channels)``.

    # Output shape
        Same rank, each spatial dim grown by ``2 * padding[i]`` (``None`` stays ``None``).

    # Torch mapping
        ``F.pad`` on the three spatial axes of the Keras layout.

    # Differences from Keras 1
        The Keras-2 form ``((a, b), (c, d), (e, f))`` (asymmetric) is also accepted.
    """

    input_ndim = 5

    def __init__(self, padding=(1, 1, 1), dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.padding = padding
        if isinstance(padding, int) and not isinstance(padding, bool):
            pairs = ((padding, padding),) * 3
        else:
            items = _items(padding)
            if len(items) != 3:
                raise ValueError("%s: padding must be a tuple of 3 ints (or of 3 (before, after) "
                                 "pairs); got %r" % (owner, padding))
            pairs = []
            for item in items:
                if isinstance(item, (tuple, list)):
                    if len(item) != 2:
                        raise ValueError("%s: padding must be a tuple of 3 ints (or of 3 "
                                         "(before, after) pairs); got %r" % (owner, padding))
                    pairs.append(tuple(item))
                else:
                    pairs.append((item, item))
        self.pads = tuple(tuple(_non_negative_int(owner, "padding", p) for p in pair)
                          for pair in pairs)
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)
