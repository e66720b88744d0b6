"""``Dropout``: inverted dropout, active only in the training phase."""
import torch
import torch.nn.functional as F

from keras_compat._args.rules import Rename
from keras_compat.backend.ops import inverted_dropout_noise
from keras_compat.engine.layer import Layer


class Dropout(Layer):
    """Randomly sets a fraction ``p`` of input units to 0 at each update during training.

    # Arguments
        p: float between 0 and 1, fraction of the input units to drop.
        noise_shape: shape of the binary keep/drop mask, broadcast over the input (e.g.
            ``(batch_size, 1, features)`` for one mask for all timesteps); ``None`` entries
            take the input's size on that axis.  ``None``: one draw per input unit.
        seed: integer seed of the layer's own random generator (reproducible masks).

    # Torch mapping
        Inverted dropout (as Keras 1), on while the model is in ``train()`` mode: ``F.dropout``
        on accelerators; on CPU ``x * inverted_dropout_noise`` (a faster draw, same law).

    # Differences from Keras 1
        The random mask comes from torch's generator, so it differs draw by draw; its
        distribution and the 1/(1-p) scaling are the same.  As in Keras 1, ``get_config``
        stores ``p`` only (not ``noise_shape``/``seed``).
    """

    aliases = (Rename("rate", "p", example=0.5),)
    supports_masking = True
    config_exclude = ("weights", "noise_shape", "seed")

    def __init__(self, p, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        p = float(p)
        if not 0.0 <= p < 1.0:
            raise ValueError("Dropout: p must be in [0, 1), got %r" % (p,))
        self.p = p
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._generators = {}
        self.uses_learning_phase = 0.0 < p < 1.0

    def call(self, x, mask=None):
        if not (self.training and self.p > 0):
            return x
        if self.noise_shape is None and self.seed is None and x.device.type != "cpu":
            return F.dropout(x, self.p, True)   # one fused kernel on accelerators
        shape = tuple(x.shape)
        if self.noise_shape is not None:
            if len(self.noise_shape) != x.dim():
                raise ValueError("Layer %s: noise_shape %s must have one entry per input axis "
                                 "(input shape %s)" % (self.name, self.noise_shape, shape))
            shape = tuple(shape[i] if d is None else int(d) for i, d in enumerate(self.noise_shape))
        return x * inverted_dropout_noise(shape, 1.0 - self.p, x, self._generator(x.device))

    def _generator(self, device):
        if self.seed is None:
            return None
        if device not in self._generators:
            self._generators[device] = torch.Generator(device=device).manual_seed(int(self.seed))
        return self._generators[device]

    def extra_repr(self):
        return "name=%r, p=%s" % (self.name, self.p)
