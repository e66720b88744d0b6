"""Value normalisation shared by layers, with Keras-1 helper names kept for traceability."""
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
