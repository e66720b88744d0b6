"""``TimeDistributedDense``: the deprecated Keras-1 Dense applied to every timestep."""
import warnings

import torch.nn.functional as F

from keras_compat import initializations
from keras_compat._args import groups, values
from keras_compat._args.rules import Rename
from keras_compat.layers.core.kernel_layer import TRANSPOSED, KernelLayer, kernel_weight


class TimeDistributedDense(KernelLayer):
    """Apply the same Dense layer to every temporal slice of a 3D input.

    Deprecated in Keras 1.2.2 (a warning is printed at construction); ``Dense`` on 3D input
    does the same.

    # Arguments
        output_dim: int > 0.
        init: initializer of ``W`` (default ``'glorot_uniform'``).
        activation: activation applied to the output; default linear.
        weights: ``[W (n_in, output_dim), b (output_dim,)]``.
        W_regularizer, b_regularizer, activity_regularizer: regularizers.
        W_constraint, b_constraint: constraints.
        bias: whether to add ``b``.
        input_dim, input_length: with ``input_dim`` given, the input shape becomes
            ``(input_length, input_dim)`` (for the first layer of a model).

    # Input shape / Output shape
        3D ``(nb_samples, timesteps, n_in)`` -> 3D ``(nb_samples, timesteps, output_dim)``.
        Supports masking (the mask passes through).

    # Weights
        ``W (n_in, output_dim)``, ``b (output_dim,)``.

    # Torch mapping
        ``weight`` ``(output_dim, n_in)`` = Keras ``W.T``; ``F.linear`` on the last axis.

    # Differences from Keras 1
        Keras 1 refused inputs whose number of timesteps is unknown at build time; here any
        length works.
    """

    input_spec_pins_shape = True

    aliases = (Rename("units", "output_dim", example=3),) + groups.KERNEL_ARGS
    supports_masking = True
    input_ndim = 3

    def __init__(self, output_dim, init="glorot_uniform", activation=None, weights=None,
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, input_dim=None,
                 input_length=None, **kwargs):
        warnings.warn("`TimeDistributedDense` is deprecated, And will be removed on May 1st, "
                      "2017. Please use a `Dense` layer instead.")
        if input_dim and not ({"input_shape", "batch_input_shape"} & set(kwargs)):
            kwargs["input_shape"] = (input_length, input_dim)
        super().__init__(init, activation, weights, W_regularizer, b_regularizer,
                         activity_regularizer, W_constraint, b_constraint, bias, input_dim,
                         **kwargs)
        self.output_dim = values.check_positive_int("TimeDistributedDense", "output_dim",
                                                    output_dim)
        self.input_length = input_length

    def kernel_weights(self, n_in):
        return [kernel_weight("W", "weight", (n_in, self.output_dim), self.init, TRANSPOSED),
                kernel_weight("b", "bias", (self.output_dim,), initializations.zero,
                              is_bias=True)]

    def call(self, x, mask=None):
        return self.activation(F.linear(x, self.weight, self.bias))

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], input_shape[1], self.output_dim)

    def extra_repr(self):
        return "name=%r, output_dim=%d, input_dim=%s, activation=%s" % (
            self.name, self.output_dim, getattr(self, "_n_in", self.input_dim),
            self.activation.__name__)
