"""``Highway``: a gated densely-connected layer (transform gate + carry of the input)."""
import warnings

import torch
import torch.nn.functional as F

from keras_compat import activations, initializations
from keras_compat._args import groups
from keras_compat.engine.layer import Layer, WeightSpec, transpose_2d
from keras_compat.layers.kernel_arguments import store_kernel_arguments


class Highway(Layer):
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

    input_spec_dtype = "float32"
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
        if input_dim is not None and not ({"input_shape", "batch_input_shape"} & set(kwargs)):
            kwargs["input_shape"] = (input_dim,)
        super().__init__(**kwargs)
        self.init = initializations.get(init)
        self.activation = activations.get(activation)
        store_kernel_arguments(self, W_regularizer, b_regularizer, activity_regularizer,
                               W_constraint, b_constraint, bias)
        self.input_dim = input_dim
        self.initial_weights = weights

    def build(self, input_shape):
        n = input_shape[1]
        if n is None:
            raise ValueError("Layer %s: the input dimension must be known, got input shape %s"
                             % (self.name, input_shape))
        self._n_in = n
        self.weight = torch.nn.Parameter(self.init((n, n)).t().contiguous())
        self.weight_carry = torch.nn.Parameter(self.init((n, n)).t().contiguous())
        if self.has_bias:
            self.bias = torch.nn.Parameter(torch.zeros(n))
            self.bias_carry = torch.nn.Parameter(torch.ones(n))
        else:
            self.register_parameter("bias", None)
            self.register_parameter("bias_carry", None)

    def weight_specs(self):
        specs = [WeightSpec("W", "weight", transpose_2d, transpose_2d),
                 WeightSpec("W_carry", "weight_carry", transpose_2d, transpose_2d)]
        if self.has_bias:
            specs += [WeightSpec("b", "bias"), WeightSpec("b_carry", "bias_carry")]
        return specs

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if self.built and input_shape[-1] not in (None, self._n_in):
            raise ValueError("Input 0 is incompatible with layer %s: expected axis -1 of input "
                             "shape to have value %d but got shape %s"
                             % (self.name, self._n_in, input_shape))

    def call(self, x, mask=None):
        transform = torch.sigmoid(F.linear(x, self.weight_carry, self.bias_carry))
        act = self.activation(F.linear(x, self.weight, self.bias))
        return act * transform + (1 - transform) * x

    def extra_repr(self):
        return "name=%r, input_dim=%s, activation=%s" % (
            self.name, getattr(self, "_n_in", self.input_dim), self.activation.__name__)
