"""``AtrousConvolution2D`` (alias ``AtrousConv2D``): dilated 2-D convolution."""
from keras_compat._args import values
from keras_compat.backend import config
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.convolutional.convolution2d import Convolution2D


class AtrousConvolution2D(Convolution2D):
    """Atrous (dilated) convolution operator for filtering windows of 2-D inputs.

    # Arguments
        nb_filter, nb_row, nb_col, init, activation, weights, border_mode, subsample,
        dim_ordering, W_regularizer, b_regularizer, activity_regularizer, W_constraint,
        b_constraint, bias: as ``Convolution2D`` (same kernel layout and fans).
        atrous_rate: ``(rate_rows, rate_cols)`` dilation factors.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``.

    # Output shape
        As ``Convolution2D`` with the dilated kernel extent ``k + (k - 1) * (rate - 1)``.

    # Torch mapping
        ``F.conv2d(..., dilation=atrous_rate)`` on a channels-first view; emulated Theano flips
        the kernel (true convolution) and aligns ``'same'`` as Theano.

    # Differences from Keras 1
        Keras 1 on TensorFlow required equal rates and ``subsample=(1, 1)`` (``tf.nn.atrous_conv2d``)
        and refused ``'full'``; here every combination runs. Keras-2 ``dilation_rate`` is
        accepted.
    """

    aliases = base_conv.ATROUS2D_ARGS

    @classmethod
    def alias_rules(cls):
        return base_conv.without_dilation_rule(super().alias_rules())

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample=(1, 1), atrous_rate=(1, 1),
                 dim_ordering="default", W_regularizer=None, b_regularizer=None,
                 activity_regularizer=None, W_constraint=None, b_constraint=None, bias=True,
                 **kwargs):
        super().__init__(nb_filter, nb_row, nb_col, init=init, activation=activation,
                         weights=weights, border_mode=border_mode, subsample=subsample,
                         dim_ordering=dim_ordering, W_regularizer=W_regularizer,
                         b_regularizer=b_regularizer, activity_regularizer=activity_regularizer,
                         W_constraint=W_constraint, b_constraint=b_constraint, bias=bias,
                         **kwargs)
        self.atrous_rate = values.to_tuple(type(self).__name__, "atrous_rate", atrous_rate, 2)

    def get_output_shape_for(self, input_shape):
        _, rows, cols = self._split(input_shape)
        kernel = (self.nb_row, self.nb_col)
        rows = base_conv.output_length(self, rows, self.nb_row, self.border_mode,
                                       self.subsample[0], input_shape, kernel,
                                       what="dilated kernel", dilation=self.atrous_rate[0])
        cols = base_conv.output_length(self, cols, self.nb_col, self.border_mode,
                                       self.subsample[1], input_shape, kernel,
                                       what="dilated kernel", dilation=self.atrous_rate[1])
        if self.dim_ordering == "th":
            return (input_shape[0], self.nb_filter, rows, cols)
        return (input_shape[0], rows, cols, self.nb_filter)

    def call(self, x, mask=None):
        backend = self.backend or config.backend()
        if self.dim_ordering == "tf":
            y = base_conv.conv_nd(x.permute(0, 3, 1, 2), self.weight, self.bias, self.subsample,
                                  self.border_mode, backend, dilation=self.atrous_rate)
            return self.activation(y.permute(0, 2, 3, 1))
        return self.activation(base_conv.conv_nd(x, self.weight, self.bias, self.subsample,
                                                 self.border_mode, backend,
                                                 dilation=self.atrous_rate))

    def extra_repr(self):
        return super().extra_repr() + ", atrous_rate=%s" % (self.atrous_rate,)


AtrousConv2D = AtrousConvolution2D
