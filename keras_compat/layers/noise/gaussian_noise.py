"""``GaussianNoise``: additive zero-centred Gaussian noise, in the training phase only."""
import torch

from keras_compat._args import values
from keras_compat._args.rules import Rename
from keras_compat.engine.layer import Layer


class GaussianNoise(Layer):
    """Apply additive zero-centred Gaussian noise: ``x + N(0, sigma)`` while training.

    A regularisation layer: it is the identity in the test phase (``predict``, ``evaluate``).

    # Arguments
        sigma: float >= 0, standard deviation of the noise (Keras-2 ``stddev``).

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Torch mapping
        ``x + sigma * torch.randn_like(x)`` while the module is in ``train()`` mode.

    # Differences from Keras 1
        The noise comes from torch's generator (same distribution, different draws).
    """

    aliases = (Rename("stddev", "sigma", example=0.1),)
    supports_masking = True
    uses_learning_phase = True

    def __init__(self, sigma, **kwargs):
        super().__init__(**kwargs)
        values.check_number("GaussianNoise", "sigma", sigma, minimum=0)
        self.sigma = sigma

    def call(self, x, mask=None):
        if self.training and self.sigma:
            return x + torch.randn_like(x) * float(self.sigma)
        return x

    def extra_repr(self):
        return "name=%r, sigma=%s" % (self.name, self.sigma)
