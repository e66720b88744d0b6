"""``LeakyReLU``: a ReLU with a fixed slope for negative inputs."""
import torch.nn.functional as F

from keras_compat._args import values
from keras_compat.engine.layer import Layer


class LeakyReLU(Layer):
    """Leaky version of a Rectified Linear Unit: ``f(x) = x`` for ``x >= 0``, ``alpha * x`` else.

    # Arguments
        alpha: float >= 0, the negative slope coefficient (default 0.3).

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Torch mapping
        ``F.leaky_relu(x, alpha)``.

    # Differences from Keras 1
        None.
    """

    supports_masking = True

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        values.check_number("LeakyReLU", "alpha", alpha)
        self.alpha = alpha

    def call(self, x, mask=None):
        return F.leaky_relu(x, float(self.alpha))

    def extra_repr(self):
        return "name=%r, alpha=%s" % (self.name, self.alpha)
