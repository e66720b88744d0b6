"""``Flatten``: collapses every axis but the batch axis."""
from keras_compat.backend.ops import rows_of
from keras_compat.engine.layer import Layer


class Flatten(Layer):
    """Flattens the input; does not affect the batch size.

    # Output shape
        ``(batch, prod(input_shape[1:]))``; every non-batch axis must be known.

    # Torch mapping
        ``x.reshape(x.shape[0], -1)`` (with the gradient kept channels-last after a
        convolution that ran channels-last); in ``tf`` ordering the element order is Keras 1's
        (channels last), since data stays in the Keras layout.

    # Differences from Keras 1
        None.
    """

    input_spec_ndim = "3+"

    min_input_ndim = 2

    def get_output_shape_for(self, input_shape):
        if not all(input_shape[1:]):
            # Keras 1.2.2's exact message (layers/core.py, Flatten.get_output_shape_for).
            raise ValueError('The shape of the input to "Flatten" is not fully defined '
                             "(got %s. Make sure to pass a complete \"input_shape\" or "
                             '"batch_input_shape" argument to the first layer in your model.'
                             % (str(tuple(input_shape[1:])),))
        total = 1
        for dim in input_shape[1:]:
            total *= dim
        return (input_shape[0], total)

    def call(self, x, mask=None):
        return rows_of(x)

    def flattened_image_shape(self):
        return tuple(self.input_shape[1:])
