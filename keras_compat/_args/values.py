"""Value normalisation shared by layers, with Keras-1 helper names kept for traceability."""
import math
import numbers

from keras_compat.backend import config


def _as_int(value):
    """A Python int for ints and NumPy integers (``np.max(y) + 1`` in many Keras-1 scripts), else None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return None
    return int(value)


def normalize_dim_ordering(owner, value):
    """``'default'`` resolves to the configured ordering *at construction*, as in Keras 1."""
    if value in (None, "default"):
        return config.image_dim_ordering()
    if value not in ("tf", "th"):
        raise ValueError("%s: dim_ordering must be in {tf, th}, got %r" % (owner, value))
    return value


def check_choice(owner, arg, value, allowed):
    if value not in allowed:
        raise ValueError("%s: invalid %s %r; expected one of %s"
                         % (owner, arg, value, ", ".join(repr(a) for a in allowed)))
    return value


def check_positive_int(owner, arg, value):
    number = _as_int(value)
    if number is None or number <= 0:
        raise ValueError("%s: %s must be a positive integer, got %r" % (owner, arg, value))
    return number


def check_non_negative_int(owner, arg, value):
    number = _as_int(value)
    if number is None or number < 0:
        raise ValueError("%s: %s must be a non-negative integer, got %r" % (owner, arg, value))
    return number


def check_number(owner, arg, value, minimum=None):
    """``value``, when it is a real number (a bool is not) and at least ``minimum`` if given."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or (
            minimum is not None and value < minimum):
        bound = "" if minimum is None else " >= %s" % (minimum,)
        raise ValueError("%s: %s must be a number%s, got %r" % (owner, arg, bound, value))
    return value


def check_input_shape(owner, batch_input_shape):
    """No size of a declared input shape (``input_dim``, ``input_shape``, ``input_length``,
    ``batch_input_shape``) is zero or negative."""
    for size in batch_input_shape:
        # only numbers are judged: configs written by Keras 1 may hold sizes as strings
        if isinstance(size, numbers.Real) and not isinstance(size, bool) and size <= 0:
            raise ValueError("%s: the input shape (input_dim / input_length / input_shape / "
                             "batch_input_shape) must hold positive sizes or None, got %r"
                             % (owner, tuple(batch_input_shape)[1:]))
    return batch_input_shape


def to_tuple(owner, arg, value, n):
    """An int or a length-n sequence of positive ints as a tuple."""
    if _as_int(value) is not None:
        value = (value,) * n
    try:
        value = tuple(value)
    except TypeError:
        raise ValueError("%s: %s must be an int or a tuple of %d ints, got %r"
                         % (owner, arg, n, value)) from None
    numbers_ = tuple(_as_int(v) for v in value)
    if len(value) != n or not all(v is not None and v > 0 for v in numbers_):
        raise ValueError("%s: %s must be %d positive ints, got %r" % (owner, arg, n, value))
    return numbers_


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


def same_padding(input_length, filter_size, stride, dilation, backend):
    """(before, after) padding that reproduces ``'same'`` placement of the emulated backend.

    TensorFlow pads the total evenly with the extra element at the end; Theano pads
    ``k // 2`` on both sides and crops the surplus at the end, which shifts windows
    for even kernels and strided convolutions (semantics.md 3.3).
    """
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    out = (input_length + stride - 1) // stride
    if backend == "theano":
        half = dilated // 2
        return half, half
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
