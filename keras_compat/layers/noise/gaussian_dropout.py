"""``GaussianDropout``: multiplicative 1-centred Gaussian noise, in the training phase only."""
import math

import torch

from keras_compat._args import values
from keras_compat._args.rules import Rename
from keras_compat.engine.layer import Layer


class GaussianDropout(Layer):
    """Apply multiplicative 1-centred Gaussian noise: ``x * N(1, sqrt(p / (1 - p)))``.

    Active only while training and only when ``0 < p < 1`` (otherwise the identity, as
    in Keras 1).

    # Arguments
        p: float, drop probability as with ``Dropout`` (Keras-2 ``rate``).

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Torch mapping
        ``x * (1 + std * torch.randn_like(x))`` while the module is in ``train()`` mode.

    # Differences from Keras 1
        The noise comes from torch's generator (same distribution, different draws).
    """

    aliases = (Rename("rate", "p", example=0.5),)
    supports_masking = True

    def __init__(self, p, **kwargs):
        super().__init__(**kwargs)
        values.check_number("GaussianDropout", "p", p)
        self.p = p
        self.uses_learning_phase = 0 < p < 1

    def call(self, x, mask=None):
        if self.training and 0 < self.p < 1:
            std = math.sqrt(self.p / (1.0 - self.p))
            return x * (1.0 + std * torch.randn_like(x))
        return x

    def extra_repr(self):
        return "name=%r, p=%s" % (self.name, self.p)
