"""``ParametricSoftplus``: ``alpha * softplus(beta * x)`` with learned per-element alpha, beta."""
import numbers

import numpy as np
import torch
import torch.nn.functional as F

from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.layers.advanced_activations._shared_axes import (normalize_shared_axes,
                                                                    param_shape)


class ParametricSoftplus(Layer):
    """Parametric Softplus: ``f(x) = alphas * log(1 + exp(betas * x))``.

    # Arguments
        alpha_init: float, initial value of every alpha (default 0.2; stored as float32).
        beta_init: float, initial value of every beta (default 5.0; stored as float32).
        weights: ``[alphas, betas]``, NumPy arrays of the parameter shape.
        shared_axes: 1-based input axes (an int or a list) along which parameters are shared.

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Weights
        ``alphas``, ``betas``: shape ``input_shape[1:]`` with 1 on every shared axis.

    # Torch mapping
        Parameters in the Keras layout; forward ``alphas * F.softplus(betas * x)``.

    # Differences from Keras 1
        ``shared_axes`` is kept in ``get_config()`` when set (Keras 1 dropped it).
    """

    supports_masking = True
    config_extensions = ("shared_axes",)

    def __init__(self, alpha_init=0.2, beta_init=5.0, weights=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("alpha_init", alpha_init), ("beta_init", beta_init)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError("ParametricSoftplus: %s must be a number (the initial value), "
                                 "got %r" % (arg, value))
        self.alpha_init = float(np.float32(alpha_init))
        self.beta_init = float(np.float32(beta_init))
        self.shared_axes = normalize_shared_axes("ParametricSoftplus", shared_axes)
        self.initial_weights = weights

    def build(self, input_shape):
        shape = param_shape(self, input_shape)
        self.alphas = torch.nn.Parameter(torch.full(shape, self.alpha_init, dtype=torch.float32))
        self.betas = torch.nn.Parameter(torch.full(shape, self.beta_init, dtype=torch.float32))

    def weight_specs(self):
        return [WeightSpec("alphas", "alphas"), WeightSpec("betas", "betas")]

    def call(self, x, mask=None):
        return F.softplus(self.betas * x) * self.alphas

    def extra_repr(self):
        return "name=%r, shared_axes=%s" % (self.name, self.shared_axes)
