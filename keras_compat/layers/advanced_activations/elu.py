"""``ELU``: the exponential linear unit."""
import torch.nn.functional as F

from keras_compat.layers.advanced_activations._scalar_activation import ScalarActivation


class ELU(ScalarActivation):
    """Exponential Linear Unit: ``f(x) = x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` else.

    # Arguments
        alpha: scale of the negative part (default 1.0); stored as a float32 value, so
            ``get_config()`` reads e.g. ``0.30000001192092896`` for ``0.3``, as in Keras 1.

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Torch mapping
        ``F.elu(x, alpha)``.

    # Differences from Keras 1
        None.
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self._set_scalar(alpha, as_float32=True)

    def call(self, x, mask=None):
        return F.elu(x, self.alpha)
