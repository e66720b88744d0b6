"""``TimeDistributedDense``: the deprecated Keras-1 Dense applied to every timestep."""
import warnings

import torch
import torch.nn.functional as F

from keras_compat import activations, initializations
from keras_compat._args import groups, values
from keras_compat._args.rules import Rename
from keras_compat.engine.layer import Layer, WeightSpec, transpose_2d
from keras_compat.layers.kernel_arguments import store_kernel_arguments


class TimeDistributedDense(Layer):
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

    input_spec_dtype = "float32"
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
        super().__init__(**kwargs)
        self.output_dim = values.check_positive_int("TimeDistributedDense", "output_dim",
                                                    output_dim)
        self.init = initializations.get(init)
        self.activation = activations.get(activation)
        store_kernel_arguments(self, W_regularizer, b_regularizer, activity_regularizer,
                               W_constraint, b_constraint, bias)
        self.input_dim = input_dim
        self.input_length = input_length
        self.initial_weights = weights

    def build(self, input_shape):
        n_in = input_shape[2]
        if n_in is None:
            raise ValueError("Layer %s: the last dimension of the input must be known, got input "
                             "shape %s" % (self.name, input_shape))
        self._n_in = n_in
        self.weight = torch.nn.Parameter(
            self.init((n_in, self.output_dim)).to(torch.float32).t().contiguous())
        if self.has_bias:
            self.bias = torch.nn.Parameter(torch.zeros(self.output_dim))
        else:
            self.register_parameter("bias", None)

    def weight_specs(self):
        specs = [WeightSpec("W", "weight", transpose_2d, transpose_2d)]
        if self.has_bias:
            specs.append(WeightSpec("b", "bias"))
        return specs

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if self.built and input_shape[-1] not in (None, self._n_in):
            raise ValueError("Input 0 is incompatible with layer %s: expected axis -1 of input "
                             "shape to have value %d but got shape %s"
                             % (self.name, self._n_in, input_shape))

    def call(self, x, mask=None):
        return self.activation(F.linear(x, self.weight, self.bias))

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], input_shape[1], self.output_dim)

    def extra_repr(self):
        return "name=%r, output_dim=%d, input_dim=%s, activation=%s" % (
            self.name, self.output_dim, getattr(self, "_n_in", self.input_dim),
            self.activation.__name__)
