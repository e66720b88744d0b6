"""``MaxoutDense``: the element-wise maximum of ``nb_feature`` dense projections."""
import torch.nn.functional as F

from keras_compat import initializations
from keras_compat._args import groups, values
from keras_compat._args.rules import Rename
from keras_compat.layers.core.kernel_layer import KernelLayer, Layout, kernel_weight


class MaxoutDense(KernelLayer):
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

    input_spec_pins_shape = True

    aliases = (Rename("units", "output_dim", example=3),) + groups.KERNEL_ARGS
    input_ndim = 2

    def __init__(self, output_dim, nb_feature=4, init="glorot_uniform", weights=None,
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, input_dim=None, **kwargs):
        super().__init__(init, None, weights, W_regularizer, b_regularizer,
                         activity_regularizer, W_constraint, b_constraint, bias, input_dim,
                         **kwargs)
        self.output_dim = values.check_positive_int("MaxoutDense", "output_dim", output_dim)
        self.nb_feature = values.check_positive_int("MaxoutDense", "nb_feature", nb_feature)

    def kernel_weights(self, n_in):
        # torch holds the nb_feature pieces stacked: one F.linear computes them all.
        stacked_w = Layout(self._w_to_keras, self._w_from_keras,
                           lambda shape: (shape[0] * shape[2], shape[1]))
        stacked_b = Layout(self._b_to_keras, self._b_from_keras,
                           lambda shape: (shape[0] * shape[1],))
        return [kernel_weight("W", "weight", (self.nb_feature, n_in, self.output_dim),
                              self.init, stacked_w),
                kernel_weight("b", "bias", (self.nb_feature, self.output_dim),
                              initializations.zero, stacked_b, is_bias=True)]

    def _w_to_keras(self, w):
        return w.reshape(self.nb_feature, self.output_dim, -1).permute(0, 2, 1)

    def _w_from_keras(self, w):
        return w.permute(0, 2, 1).reshape(self.nb_feature * self.output_dim, -1).contiguous()

    def _b_to_keras(self, b):
        return b.reshape(self.nb_feature, self.output_dim)

    def _b_from_keras(self, b):
        return b.reshape(-1)

    def call(self, x, mask=None):
        pieces = F.linear(x, self.weight, self.bias)
        return pieces.view(x.shape[0], self.nb_feature, self.output_dim).amax(dim=1)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)

    def extra_repr(self):
        return "name=%r, output_dim=%d, nb_feature=%d, input_dim=%s" % (
            self.name, self.output_dim, self.nb_feature, getattr(self, "_n_in", self.input_dim))
