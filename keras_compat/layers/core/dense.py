"""``Dense``: the fully connected layer."""
import torch.nn.functional as F

from keras_compat import initializations
from keras_compat._args import groups, values
from keras_compat._args.rules import Rename
from keras_compat.layers.core.kernel_layer import TRANSPOSED, KernelLayer, kernel_weight


class Dense(KernelLayer):
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

    aliases = (Rename("units", "output_dim", example=3),) + groups.DENSE_KERNEL_ARGS
    config_extensions = ("bias_init",)
    min_input_ndim = 2

    def __init__(self, output_dim, init="glorot_uniform", activation=None, weights=None,
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, input_dim=None,
                 bias_init="zero", **kwargs):
        super().__init__(init, activation, weights, W_regularizer, b_regularizer,
                         activity_regularizer, W_constraint, b_constraint, bias, input_dim,
                         **kwargs)
        self.output_dim = values.check_positive_int("Dense", "output_dim", output_dim)
        self.bias_init = initializations.get(bias_init)

    def build(self, input_shape):
        super().build(input_shape)
        self.input_dim = self._n_in  # Keras 1's Dense reports the built input_dim in its config

    def kernel_weights(self, n_in):
        return [kernel_weight("W", "weight", (n_in, self.output_dim), self.init, TRANSPOSED),
                kernel_weight("b", "bias", (self.output_dim,), self.bias_init, is_bias=True)]

    def reorder_input_features(self, arrays, reorder):
        # W is (input_dim, output_dim): one row per input feature
        return [reorder(arrays[0])] + list(arrays[1:])

    def call(self, x, mask=None):
        return self.activation(F.linear(x, self.weight, self.bias))

    def get_output_shape_for(self, input_shape):
        return tuple(input_shape[:-1]) + (self.output_dim,)

    def extra_repr(self):
        return "name=%r, output_dim=%d, input_dim=%s, activation=%s" % (
            self.name, self.output_dim, self.input_dim, self.activation.__name__)

