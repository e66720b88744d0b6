"""Per-element parameter shapes with Keras-1 ``shared_axes`` (PReLU, ParametricSoftplus, SReLU)."""


def normalize_shared_axes(owner, shared_axes):
    """``None``, an int or a sequence of 1-based axes -> ``None`` or a list of ints."""
    if shared_axes is None:
        return None
    if isinstance(shared_axes, (list, tuple)):
        axes = list(shared_axes)
    else:
        axes = [shared_axes]
    if axes == [None]:
        return None
    for axis in axes:
        if isinstance(axis, bool) or not isinstance(axis, int) or axis < 1:
            raise ValueError("%s: shared_axes must be 1-based axes of the input (ints >= 1; the "
                             "batch axis 0 cannot be shared), got %r" % (owner, shared_axes))
    return axes


def param_shape(layer, input_shape):
    """``input_shape[1:]`` with 1 on every shared axis; every other axis must be known."""
    shape = list(input_shape[1:])
    for axis in layer.shared_axes or ():
        if axis > len(shape):
            raise ValueError("Layer %s: shared axis %d does not exist in an input of shape %s"
                             % (layer.name, axis, tuple(input_shape)))
        shape[axis - 1] = 1
    if any(d is None for d in shape):
        raise ValueError("Layer %s needs every non-shared input dimension to be known to build "
                         "its per-element parameters; got input shape %s (share the unknown "
                         "axes with shared_axes=...)" % (layer.name, tuple(input_shape)))
    return tuple(int(d) for d in shape)
