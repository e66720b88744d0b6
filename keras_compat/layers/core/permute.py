"""``Permute``: permutes the non-batch axes."""
from keras_compat.engine.layer import Layer


class Permute(Layer):
    """Permutes the dimensions of the input according to a given pattern.

    # Arguments
        dims: tuple of ints, a permutation of ``1..n`` (1-based, the batch axis excluded),
            e.g. ``(2, 1)`` swaps the first and second non-batch axes.

    # Input shape
        ``(batch,) + n`` axes, ``n = len(dims)``.

    # Output shape
        Output axis ``i + 1`` is input axis ``dims[i]``.

    # Torch mapping
        ``x.permute((0,) + dims)``.

    # Differences from Keras 1
        ``dims`` is validated at construction (Keras 1 failed later, in the backend).
    """

    input_spec_ndim = "any"

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = tuple(dims)
        except TypeError:
            raise ValueError("Layer %s: dims must be a tuple of ints, got %r"
                             % (self.name, dims)) from None
        if (not dims or not all(isinstance(d, int) and not isinstance(d, bool) for d in dims)
                or sorted(dims) != list(range(1, len(dims) + 1))):
            raise ValueError("Layer %s: dims must be a permutation of 1..%d (1-based, the batch "
                             "axis excluded), got %r" % (self.name, len(dims), dims))
        self.dims = dims
        self.input_ndim = len(dims) + 1

    def get_output_shape_for(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def call(self, x, mask=None):
        return x.permute((0,) + self.dims)

    def extra_repr(self):
        return "name=%r, dims=%s" % (self.name, self.dims)
