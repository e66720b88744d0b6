"""``SReLU``: the S-shaped rectified linear unit with four learned per-element parameters."""
import torch

from keras_compat import initializations
from keras_compat.backend import config as backend_config
from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.layers.advanced_activations._shared_axes import (normalize_shared_axes,
                                                                    param_shape)


class SReLU(Layer):
    """S-shaped Rectified Linear Unit.

    With ``t_r = t_left + |t_right|``::

        f(x) = t_r + a_right * (x - t_r)     for x >= t_r
        f(x) = x                             for t_r > x > t_left
        f(x) = t_left + a_left * (x - t_left) for x <= t_left

    # Arguments
        t_left_init, a_left_init, t_right_init, a_right_init: initializers of the four
            parameters (defaults ``'zero'``, ``'glorot_uniform'``, ``'glorot_uniform'``,
            ``'one'``); kept in ``get_config()`` as given.
        shared_axes: 1-based input axes (an int or a list) along which parameters are shared.
        weights: ``[t_left, a_left, t_right, a_right]`` (an extension: Keras 1's SReLU had no
            ``weights`` argument).

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Weights
        ``t_left``, ``a_left``, ``t_right``, ``a_right``: shape ``input_shape[1:]`` with 1 on
        every shared axis, drawn in that order.

    # Torch mapping
        Parameters in the Keras layout. Keras 1 writes the left/centre part as
        ``t_left + K.relu(x - t_left, a_left, max_value=t_r - t_left)``, whose backends
        disagree when ``a_left < 0``: Theano clips the (then positive) left branch at
        ``t_r - t_left`` too, TensorFlow only clips the positive part. The emulated
        ``backend()`` picks the rule.

    # Differences from Keras 1
        ``weights=`` is accepted; ``shared_axes`` is kept in ``get_config()`` when set.
    """

    supports_masking = True
    config_extensions = ("shared_axes",)

    def __init__(self, t_left_init="zero", a_left_init="glorot_uniform",
                 t_right_init="glorot_uniform", a_right_init="one", shared_axes=None,
                 weights=None, **kwargs):
        super().__init__(**kwargs)
        self.t_left_init = t_left_init
        self.a_left_init = a_left_init
        self.t_right_init = t_right_init
        self.a_right_init = a_right_init
        self._initializers = [initializations.get(i) for i in
                              (t_left_init, a_left_init, t_right_init, a_right_init)]
        self.shared_axes = normalize_shared_axes("SReLU", shared_axes)
        self.initial_weights = weights

    def build(self, input_shape):
        shape = param_shape(self, input_shape)
        for attr, init in zip(("t_left", "a_left", "t_right", "a_right"), self._initializers):
            value = init(shape).to(torch.float32).reshape(shape)
            setattr(self, attr, torch.nn.Parameter(value))

    def weight_specs(self):
        return [WeightSpec(name, name) for name in ("t_left", "a_left", "t_right", "a_right")]

    def call(self, x, mask=None):
        t_left = self.t_left
        t_right_actual = t_left + torch.abs(self.t_right)
        span = t_right_actual - t_left
        shifted = x - t_left
        left = self.a_left * shifted
        if backend_config.backend() == "theano":
            left = torch.minimum(left, span)
        centre = torch.where(shifted > 0, torch.minimum(shifted, span), left)
        return t_left + centre + torch.relu(x - t_right_actual) * self.a_right

    def extra_repr(self):
        return "name=%r, shared_axes=%s" % (self.name, self.shared_axes)
