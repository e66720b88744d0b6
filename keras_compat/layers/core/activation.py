"""``Activation``: applies an activation function to its input."""
from keras_compat import activations
from keras_compat.engine.layer import Layer


class Activation(Layer):
    """Applies an activation function to an output.

    # Arguments
        activation: name of an activation function (``'relu'``, ``'softmax'``...) or a function.

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input.

    # Torch mapping
        The matching ``torch`` function (``torch.relu``, ``torch.softmax`` over the last axis...).

    # Differences from Keras 1
        None.
    """

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, x, mask=None):
        return self.activation(x)

    def extra_repr(self):
        return "name=%r, activation=%s" % (self.name, self.activation.__name__)
