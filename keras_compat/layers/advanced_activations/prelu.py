"""``PReLU``: a ReLU with a learned slope per element for negative inputs."""
import torch

from keras_compat import initializations
from keras_compat._args import groups
from keras_compat._args.rules import MapValues, Rename
from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.layers.advanced_activations._shared_axes import (normalize_shared_axes,
                                                                    param_shape)


class PReLU(Layer):
    """Parametric Rectified Linear Unit: ``f(x) = x`` for ``x >= 0``, ``alphas * x`` else.

    # Arguments
        init: initializer of the alphas (default ``'zero'``).
        weights: ``[alphas]``, one NumPy array of the parameter shape.
        shared_axes: 1-based input axes (an int or a list) along which one alpha is shared,
            e.g. ``[1, 2]`` for one alpha per channel of ``(batch, rows, cols, channels)``.

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Weights
        ``alphas``: shape ``input_shape[1:]`` with 1 on every shared axis.

    # Torch mapping
        Parameter ``alphas`` in the Keras layout (it broadcasts against the batch as is);
        forward ``torch.where(x > 0, x, alphas * x)``, equal to Keras 1's
        ``relu(x) + alphas * (x - |x|) / 2``. Keras-2 ``alpha_initializer`` is accepted as
        ``init``.

    # Differences from Keras 1
        ``shared_axes`` is kept in ``get_config()`` when set (Keras 1 dropped it, so a
        reloaded model could not take its own weights).
    """

    aliases = (Rename("alpha_initializer", "init", example="zero"),
               MapValues("init", groups.INITIALIZER_NAMES, example="zeros"))
    supports_masking = True
    config_extensions = ("shared_axes",)

    def __init__(self, init="zero", weights=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.init = initializations.get(init)
        self.shared_axes = normalize_shared_axes("PReLU", shared_axes)
        self.initial_weights = weights

    def build(self, input_shape):
        shape = param_shape(self, input_shape)
        self.alphas = torch.nn.Parameter(self.init(shape).to(torch.float32).reshape(shape))

    def weight_specs(self):
        return [WeightSpec("alphas", "alphas")]

    def call(self, x, mask=None):
        return torch.where(x > 0, x, self.alphas * x)

    def extra_repr(self):
        return "name=%r, shared_axes=%s" % (self.name, self.shared_axes)
