"""``Reshape``: reshapes the non-batch axes to ``target_shape``."""
from keras_compat.engine.layer import Layer


def _check_target_shape(owner, target_shape):
    try:
        target = tuple(target_shape)
    except TypeError:
        raise ValueError("Layer %s: target_shape must be a tuple of ints, got %r"
                         % (owner, target_shape)) from None
    for dim in target:
        if isinstance(dim, bool) or not isinstance(dim, int) or (dim <= 0 and dim != -1):
            raise ValueError("Layer %s: target_shape entries must be positive ints or one -1, "
                             "got %r" % (owner, target_shape))
    if target.count(-1) > 1:
        raise ValueError("Layer %s: can only specify one unknown dimension (-1) in target_shape, "
                         "got %r" % (owner, target_shape))
    return target


class Reshape(Layer):
    """Reshapes an output to a certain shape.

    # Arguments
        target_shape: tuple of ints, without the batch axis; one entry may be ``-1``,
            solved from the size of the input.

    # Input shape
        Arbitrary, but every non-batch axis should be known when ``-1`` is used.

    # Output shape
        ``(batch_size,) + target_shape`` (the ``-1`` replaced by the solved size).

    # Torch mapping
        ``x.reshape((x.shape[0],) + target_shape)`` in the Keras layout (C order, as Keras 1).

    # Differences from Keras 1
        The shape check happens when the layer is added to a model (the shape pass), and
        the ``ValueError`` names the layer; several ``-1`` are refused at construction.
        When the input has unknown (None) non-batch axes, the ``-1`` is reported as None.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = _check_target_shape(self.name, target_shape)

    def _solve(self, input_shape):
        """``target_shape`` with its ``-1`` solved for the non-batch ``input_shape``."""
        target = self.target_shape
        if any(d is None for d in input_shape):
            return tuple(None if d == -1 else d for d in target)
        original = 1
        for dim in input_shape:
            original *= dim
        known = 1
        for dim in target:
            if dim != -1:
                known *= dim
        if -1 in target:
            if known == 0 or original % known != 0:
                raise ValueError("Layer %s: total size of new array must be unchanged (cannot "
                                 "reshape input shape %s into target_shape %s)"
                                 % (self.name, tuple(input_shape), target))
            return tuple(original // known if d == -1 else d for d in target)
        if original != known:
            raise ValueError("Layer %s: total size of new array must be unchanged (input shape "
                             "%s has %d elements, target_shape %s has %d)"
                             % (self.name, tuple(input_shape), original, target, known))
        return target

    def get_output_shape_for(self, input_shape):
        return (input_shape[0],) + self._solve(tuple(input_shape[1:]))

    def call(self, x, mask=None):
        target = self._solve(tuple(x.shape[1:]))
        return x.reshape((x.shape[0],) + target)

    def extra_repr(self):
        return "name=%r, target_shape=%s" % (self.name, self.target_shape)
