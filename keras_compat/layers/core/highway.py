"""``Highway``: a gated densely-connected layer (transform gate + carry of the input)."""
import warnings

import torch
import torch.nn.functional as F

from keras_compat import initializations
from keras_compat._args import groups
from keras_compat.layers.core.kernel_layer import TRANSPOSED, KernelLayer, kernel_weight


class Highway(KernelLayer):
    """Densely connected highway network, a natural extension of LSTMs to feed-forward nets.

    ``t = sigmoid(x . W_carry + b_carry)``; ``y = activation(x . W + b) * t + (1 - t) * x``.
    As in Keras 1, the weights named ``carry`` feed the *transform* gate ``t``.

    # Arguments
        init: initializer of ``W`` and ``W_carry`` (default ``'glorot_uniform'``).
        activation: activation of the transformed branch; default linear.
        weights: ``[W (n, n), W_carry (n, n), b (n,), b_carry (n,)]`` (only the two W
            when ``bias=False``).
        W_regularizer, b_regularizer, activity_regularizer: regularizers (``W_carry`` and
            ``b_carry`` are not regularised, as Keras 1).
        W_constraint, b_constraint: constraints on ``W`` and ``b`` only.
        bias: whether to use the biases ``b`` and ``b_carry``.
        input_dim: dimensionality of the input (for the first layer of a model).
        transform_bias: deprecated in Keras 1.2.2 and ignored there (a warning is printed);
            ``b_carry`` always starts at 1.

    # Input shape / Output shape
        2D ``(nb_samples, n)``; same shape out.

    # Weights
        ``W (n, n)``, ``W_carry (n, n)``, ``b (n,)`` (zeros), ``b_carry (n,)`` (ones), drawn in
        that order.

    # Torch mapping
        ``weight``, ``weight_carry`` in ``nn.Linear`` layout (Keras ``W.T``), ``bias``,
        ``bias_carry``; two ``F.linear`` calls.

    # Differences from Keras 1
        None.
    """

    input_spec_pins_shape = True

    aliases = groups.KERNEL_ARGS[:-2]
    config_exclude = ("weights", "transform_bias")
    input_ndim = 2

    def __init__(self, init="glorot_uniform", activation=None, weights=None, W_regularizer=None,
                 b_regularizer=None, activity_regularizer=None, W_constraint=None,
                 b_constraint=None, bias=True, input_dim=None, transform_bias=None, **kwargs):
        if transform_bias is not None:
            warnings.warn("`transform_bias` argument is deprecated and will be removed after "
                          "5/2017.")
        super().__init__(init, activation, weights, W_regularizer, b_regularizer,
                         activity_regularizer, W_constraint, b_constraint, bias, input_dim,
                         **kwargs)

    def kernel_weights(self, n_in):
        return [kernel_weight("W", "weight", (n_in, n_in), self.init, TRANSPOSED),
                kernel_weight("W_carry", "weight_carry", (n_in, n_in), self.init, TRANSPOSED),
                kernel_weight("b", "bias", (n_in,), initializations.zero, is_bias=True),
                kernel_weight("b_carry", "bias_carry", (n_in,), initializations.one,
                              is_bias=True)]

    def call(self, x, mask=None):
        transform = torch.sigmoid(F.linear(x, self.weight_carry, self.bias_carry))
        act = self.activation(F.linear(x, self.weight, self.bias))
        return act * transform + (1 - transform) * x

    def extra_repr(self):
        return "name=%r, input_dim=%s, activation=%s" % (
            self.name, getattr(self, "_n_in", self.input_dim), self.activation.__name__)
