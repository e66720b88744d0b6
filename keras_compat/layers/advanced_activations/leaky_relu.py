"""``LeakyReLU``: a ReLU with a fixed slope for negative inputs."""
import torch.nn.functional as F

from keras_compat.layers.advanced_activations._scalar_activation import ScalarActivation


class LeakyReLU(ScalarActivation):
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

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self._set_scalar(alpha)

    def call(self, x, mask=None):
        return F.leaky_relu(x, float(self.alpha))
