"""``AtrousConvolution1D`` (alias ``AtrousConv1D``): dilated temporal convolution."""
from keras_compat._args import values
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.convolutional.convolution1d import Convolution1D


class AtrousConvolution1D(Convolution1D):
    """Atrous (dilated) convolution operator for filtering neighborhoods of 1-D inputs.

    # Arguments
        nb_filter, filter_length, init, activation, weights, border_mode, subsample_length,
        W_regularizer, b_regularizer, activity_regularizer, W_constraint, b_constraint, bias:
            as ``Convolution1D`` (the kernel is the same 4-D ``(filter_length, 1, input_dim,
            nb_filter)`` array, initialised with the same ``'th'``-fan quirk).
        atrous_rate: dilation factor; the kernel covers ``filter_length + (filter_length - 1) *
            (atrous_rate - 1)`` steps.
        input_dim, input_length: shorthand for ``input_shape=(input_length, input_dim)``.

    # Input shape
        ``(samples, steps, input_dim)``.

    # Output shape
        ``(samples, new_steps, nb_filter)`` with ``conv_output_length(..., dilation=atrous_rate)``.

    # Torch mapping
        ``F.conv1d(..., dilation=atrous_rate)`` on ``x.transpose(1, 2)``; under the emulated
        Theano backend the Keras-1 kernel is the parameter flipped (true convolution) and
        ``'same'`` is aligned as Theano's ``half`` mode.

    # Differences from Keras 1
        Keras 1 on TensorFlow asserted ``subsample_length == 1`` whenever ``atrous_rate > 1``
        and refused ``'full'``; both run here. Keras-2 ``dilation_rate`` is accepted.
    """

    aliases = base_conv.ATROUS1D_ARGS
    # Keras 1.2.2's convert_all_kernels_in_model left AtrousConvolution1D alone
    flipped_by_convert_all_kernels = False
    kernel_word = "dilated kernel"

    @classmethod
    def alias_rules(cls):
        return base_conv.without_dilation_rule(super().alias_rules())

    def __init__(self, nb_filter, filter_length, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample_length=1, atrous_rate=1,
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, **kwargs):
        super().__init__(nb_filter, filter_length, init, activation, weights, border_mode,
                         subsample_length, W_regularizer, b_regularizer, activity_regularizer,
                         W_constraint, b_constraint, bias, **kwargs)
        self.atrous_rate = values.check_positive_int(type(self).__name__, "atrous_rate",
                                                     atrous_rate)

    def conv_dilation(self):
        return (self.atrous_rate,)

    def extra_repr(self):
        return super().extra_repr() + ", atrous_rate=%d" % self.atrous_rate


AtrousConv1D = AtrousConvolution1D
