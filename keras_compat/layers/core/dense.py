"""``Dense``: the fully connected layer."""
import torch
import torch.nn.functional as F

from keras_compat import activations, initializations
from keras_compat._args import groups, values
from keras_compat._args.rules import Rename
from keras_compat.engine.layer import Layer, WeightSpec, transpose_2d
from keras_compat.layers.kernel_arguments import allocate_bias, store_kernel_arguments


class Dense(Layer):
    """Just your regular densely-connected NN layer: ``output = activation(x . W + b)``.

    # Arguments
        output_dim: int > 0.
        init: name of an initializer (Keras-1 names) or a function ``f(shape, name=None)``.
        activation: name of an activation or a function; default linear.
        weights: list of NumPy arrays ``[W (input_dim, output_dim), b (output_dim,)]``.
        W_regularizer, b_regularizer, activity_regularizer: regularizers.
        W_constraint, b_constraint: constraints.
        bias: whether to add a bias.
        input_dim: dimensionality of the input (for the first layer of a model).

    # Input shape
        nD tensor ``(nb_samples, ..., input_dim)``, usually 2D.

    # Output shape
        ``(nb_samples, ..., output_dim)``.

    # Torch mapping
        ``weight`` ``(output_dim, input_dim)`` = Keras-1 ``W.T``; forward is ``F.linear``.
        ``bias_init`` (Keras-2 ``bias_initializer``) is an extension: Keras 1 always zeroed b.

    # Differences from Keras 1
        None.
    """

    input_spec_dtype = "float32"

    aliases = (Rename("units", "output_dim", example=3),) + groups.DENSE_KERNEL_ARGS
    config_extensions = ("bias_init",)
    min_input_ndim = 2

    def __init__(self, output_dim, init="glorot_uniform", activation=None, weights=None,
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, input_dim=None,
                 bias_init="zero", **kwargs):
        if input_dim is not None and "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_dim,)
        super().__init__(**kwargs)
        self.output_dim = values.check_positive_int("Dense", "output_dim", output_dim)
        self.init = initializations.get(init)
        self.bias_init = initializations.get(bias_init)
        self.activation = activations.get(activation)
        store_kernel_arguments(self, W_regularizer, b_regularizer, activity_regularizer,
                               W_constraint, b_constraint, bias)
        self.input_dim = input_dim
        self.initial_weights = weights

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError("Layer %s: the last dimension of the input must be known, got input "
                             "shape %s" % (self.name, input_shape))
        self.input_dim = input_dim
        self.weight = torch.nn.Parameter(torch.empty(self.output_dim, input_dim))
        allocate_bias(self, self.output_dim)
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            self.weight.copy_(self.init((self.input_dim, self.output_dim)).t())
            if self.bias is not None:
                self.bias.copy_(self.bias_init((self.output_dim,)))

    def weight_specs(self):
        specs = [WeightSpec("W", "weight", transpose_2d, transpose_2d)]
        if self.has_bias:
            specs.append(WeightSpec("b", "bias"))
        return specs

    def reorder_input_features(self, arrays, reorder):
        # W is (input_dim, output_dim): one row per input feature
        return [reorder(arrays[0])] + list(arrays[1:])

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if self.built and input_shape[-1] not in (None, self.input_dim):
            raise ValueError("Input 0 is incompatible with layer %s: expected axis -1 of input shape "
                             "to have value %d but got shape %s"
                             % (self.name, self.input_dim, input_shape))

    def call(self, x, mask=None):
        return self.activation(F.linear(x, self.weight, self.bias))

    def get_output_shape_for(self, input_shape):
        return tuple(input_shape[:-1]) + (self.output_dim,)

    def extra_repr(self):
        return "name=%r, output_dim=%d, input_dim=%s, activation=%s" % (
            self.name, self.output_dim, self.input_dim, self.activation.__name__)

