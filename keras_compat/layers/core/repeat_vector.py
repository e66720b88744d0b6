"""``RepeatVector``: repeats a 2-D input ``n`` times along a new axis 1."""
from keras_compat._args import values
from keras_compat.engine.layer import Layer


class RepeatVector(Layer):
    """Repeats the input ``n`` times.

    # Arguments
        n: int > 0, repetition factor.

    # Input shape
        2D tensor ``(nb_samples, features)``.

    # Output shape
        3D tensor ``(nb_samples, n, features)``.

    # Torch mapping
        ``x.unsqueeze(1).repeat(1, n, 1)``.

    # Differences from Keras 1
        ``n`` must be a positive int (checked at construction).
    """

    input_ndim = 2

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = values.check_positive_int("RepeatVector", "n", n)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def call(self, x, mask=None):
        return x.unsqueeze(1).repeat(1, self.n, 1)

    def extra_repr(self):
        return "name=%r, n=%d" % (self.name, self.n)
