"""``MaxoutDense``: the element-wise maximum of ``nb_feature`` dense projections."""
import torch
import torch.nn.functional as F

from keras_compat import initializations
from keras_compat._args import groups, values
from keras_compat._args.rules import Rename
from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.layers.kernel_arguments import store_kernel_arguments


class MaxoutDense(Layer):
    """A dense maxout layer: ``output = max over k of (x . W[k] + b[k])``; no activation.

    # Arguments
        output_dim: int > 0.
        nb_feature: number of linear pieces the maximum is taken over (default 4).
        init: initializer of ``W`` (default ``'glorot_uniform'``; drawn on the 3-D shape, so
            both fans are ``sqrt(nb_feature * n_in * output_dim)`` as in Keras 1).
        weights: ``[W (nb_feature, n_in, output_dim), b (nb_feature, output_dim)]``.
        W_regularizer, b_regularizer, activity_regularizer: regularizers.
        W_constraint, b_constraint: constraints (applied in the Keras layout).
        bias: whether to add ``b``.
        input_dim: dimensionality of the input (for the first layer of a model).

    # Input shape / Output shape
        2D ``(nb_samples, n_in)`` -> 2D ``(nb_samples, output_dim)``.

    # Torch mapping
        ``weight`` ``(nb_feature * output_dim, n_in)`` and ``bias``
        ``(nb_feature * output_dim,)``: one ``F.linear``, viewed as
        ``(batch, nb_feature, output_dim)`` and reduced with ``amax(1)``.

    # Differences from Keras 1
        None.
    """

    input_spec_dtype = "float32"
    input_spec_pins_shape = True

    aliases = (Rename("units", "output_dim", example=3),) + groups.KERNEL_ARGS
    input_ndim = 2

    def __init__(self, output_dim, nb_feature=4, init="glorot_uniform", weights=None,
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, input_dim=None, **kwargs):
        if input_dim is not None and not ({"input_shape", "batch_input_shape"} & set(kwargs)):
            kwargs["input_shape"] = (input_dim,)
        super().__init__(**kwargs)
        self.output_dim = values.check_positive_int("MaxoutDense", "output_dim", output_dim)
        self.nb_feature = values.check_positive_int("MaxoutDense", "nb_feature", nb_feature)
        self.init = initializations.get(init)
        store_kernel_arguments(self, W_regularizer, b_regularizer, activity_regularizer,
                               W_constraint, b_constraint, bias)
        self.input_dim = input_dim
        self.initial_weights = weights

    def build(self, input_shape):
        n_in = input_shape[1]
        if n_in is None:
            raise ValueError("Layer %s: the input dimension must be known, got input shape %s"
                             % (self.name, input_shape))
        self._n_in = n_in
        kernel = self.init((self.nb_feature, n_in, self.output_dim))
        self.weight = torch.nn.Parameter(self._w_from_keras(kernel.to(torch.float32)))
        if self.has_bias:
            self.bias = torch.nn.Parameter(torch.zeros(self.nb_feature * self.output_dim))
        else:
            self.register_parameter("bias", None)

    def _w_to_keras(self, w):
        return w.reshape(self.nb_feature, self.output_dim, -1).permute(0, 2, 1)

    def _w_from_keras(self, w):
        return w.permute(0, 2, 1).reshape(self.nb_feature * self.output_dim, -1).contiguous()

    def _b_to_keras(self, b):
        return b.reshape(self.nb_feature, self.output_dim)

    def _b_from_keras(self, b):
        return b.reshape(-1)

    def weight_specs(self):
        specs = [WeightSpec("W", "weight", self._w_to_keras, self._w_from_keras)]
        if self.has_bias:
            specs.append(WeightSpec("b", "bias", self._b_to_keras, self._b_from_keras))
        return specs

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if self.built and input_shape[-1] not in (None, self._n_in):
            raise ValueError("Input 0 is incompatible with layer %s: expected axis -1 of input "
                             "shape to have value %d but got shape %s"
                             % (self.name, self._n_in, input_shape))

    def call(self, x, mask=None):
        pieces = F.linear(x, self.weight, self.bias)
        return pieces.view(x.shape[0], self.nb_feature, self.output_dim).amax(dim=1)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)

    def extra_repr(self):
        return "name=%r, output_dim=%d, nb_feature=%d, input_dim=%s" % (
            self.name, self.output_dim, self.nb_feature, getattr(self, "_n_in", self.input_dim))
