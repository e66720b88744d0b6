"""``AtrousConvolution2D`` (alias ``AtrousConv2D``): dilated 2-D convolution."""
from keras_compat._args import values
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
        ``F.conv2d(..., dilation=atrous_rate)`` on a channels-first view; under emulated Theano
        the Keras-1 kernel is the parameter flipped (true convolution) and ``'same'`` is
        aligned as Theano's.

    # Differences from Keras 1
        Keras 1 on TensorFlow required equal rates and ``subsample=(1, 1)`` (``tf.nn.atrous_conv2d``)
        and refused ``'full'``; here every combination runs. Keras-2 ``dilation_rate`` is
        accepted.
    """

    aliases = base_conv.ATROUS2D_ARGS
    kernel_word = "dilated kernel"

    @classmethod
    def alias_rules(cls):
        return base_conv.without_dilation_rule(super().alias_rules())

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample=(1, 1), atrous_rate=(1, 1),
                 dim_ordering="default", W_regularizer=None, b_regularizer=None,
                 activity_regularizer=None, W_constraint=None, b_constraint=None, bias=True,
                 **kwargs):
        super().__init__(nb_filter, nb_row, nb_col, init, activation, weights, border_mode,
                         subsample, dim_ordering, W_regularizer, b_regularizer,
                         activity_regularizer, W_constraint, b_constraint, bias, **kwargs)
        self.atrous_rate = values.to_tuple(type(self).__name__, "atrous_rate", atrous_rate, 2)

    def conv_dilation(self):
        return self.atrous_rate

    def extra_repr(self):
        return super().extra_repr() + ", atrous_rate=%s" % (self.atrous_rate,)


AtrousConv2D = AtrousConvolution2D
