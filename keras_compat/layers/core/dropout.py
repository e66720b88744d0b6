"""``Dropout``: inverted dropout, active only in the training phase."""
import torch.nn.functional as F

from keras_compat._args.rules import Rename
from keras_compat.engine.layer import Layer


class Dropout(Layer):
    """Randomly sets a fraction ``p`` of input units to 0 at each update during training.

    # Arguments
        p: float between 0 and 1, fraction of the input units to drop.

    # Torch mapping
        ``F.dropout`` (inverted dropout, as Keras 1), on while the model is in ``train()`` mode.

    # Differences from Keras 1
        The random mask comes from torch's generator, so it differs draw by draw; its
        distribution and the 1/(1-p) scaling are the same.
    """

    aliases = (Rename("rate", "p", example=0.5),)
    supports_masking = True

    def __init__(self, p, **kwargs):
        super().__init__(**kwargs)
        p = float(p)
        if not 0.0 <= p < 1.0:
            raise ValueError("Dropout: p must be in [0, 1), got %r" % (p,))
        self.p = p

    def call(self, x, mask=None):
        if self.training and self.p > 0:
            return F.dropout(x, self.p, True)
        return x

    def extra_repr(self):
        return "name=%r, p=%s" % (self.name, self.p)
