"""``Convolution1D`` (alias ``Conv1D``): temporal convolution over sequences."""
from keras_compat._args import values
from keras_compat.layers.convolutional import base_conv


def _to_keras(weight):
    # torch (out, in, L) -> Keras-1 (L, 1, in, out)
    return weight.permute(2, 1, 0).unsqueeze(1)


def _from_keras(kernel):
    return kernel[:, 0].permute(2, 1, 0)


class Convolution1D(base_conv.ConvolutionBase):
    """Convolution operator for filtering neighborhoods of one-dimensional inputs.

    # Arguments
        nb_filter: number of convolution kernels.
        filter_length: extension (spatial or temporal) of each filter.
        init: initializer name or function; called on the 4-D Keras-1 kernel shape
            ``(filter_length, 1, input_dim, nb_filter)`` with ``dim_ordering='th'`` (the Keras-1
            quirk: fans ``input_dim * nb_filter`` and ``filter_length * input_dim * nb_filter``).
        activation: activation name or function; default linear.
        weights: ``[W (filter_length, 1, input_dim, nb_filter), b (nb_filter,)]``.
        border_mode: ``'valid'``, ``'same'`` or ``'full'``.
        subsample_length: stride.
        W_regularizer, b_regularizer, activity_regularizer, W_constraint, b_constraint, bias:
            as ``Dense``.
        input_dim, input_length: shorthand for ``input_shape=(input_length, input_dim)``.

    # Input shape
        ``(samples, steps, input_dim)``.

    # Output shape
        ``(samples, new_steps, nb_filter)``.

    # Torch mapping
        ``weight`` ``(nb_filter, input_dim, filter_length)`` (``torch.nn.Conv1d`` layout and
        cross-correlation orientation), forward is ``F.conv1d`` on ``x.transpose(1, 2)``. Under
        the emulated Theano backend the Keras-1 kernel is the parameter flipped along
        ``filter_length`` (true convolution) and ``'same'`` padding is aligned as Theano's.

    # Differences from Keras 1
        ``border_mode='full'`` also runs under the emulated TensorFlow backend. Keras-2
        keywords (``filters``, ``kernel_size``, ``strides``, ``padding``, ...) are accepted.
    """

    aliases = base_conv.CONV1D_ARGS
    input_ndim = 3
    rank = 1
    kernel_args = ("filter_length",)
    flipped_by_convert_all_kernels = True

    def __init__(self, nb_filter, filter_length, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample_length=1, W_regularizer=None,
                 b_regularizer=None, activity_regularizer=None, W_constraint=None,
                 b_constraint=None, bias=True, input_dim=None, input_length=None, **kwargs):
        if input_dim is not None and "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length, input_dim)
        super().__init__(**kwargs)
        owner = type(self).__name__
        if isinstance(filter_length, (tuple, list)):
            raise ValueError("%s: filter_length must be an int, got %r; use %s(%s, %s) or "
                             "kernel_size=%s" % (owner, filter_length, owner, nb_filter,
                                                 filter_length[0] if filter_length else "k",
                                                 filter_length[0] if filter_length else "k"))
        self._store_arguments(nb_filter, (filter_length,), init, activation, border_mode,
                              weights, kernel_arguments=(W_regularizer, b_regularizer,
                                                         activity_regularizer, W_constraint,
                                                         b_constraint, bias))
        self.subsample_length = values.check_positive_int(owner, "subsample_length",
                                                          subsample_length)
        self.input_dim = input_dim
        self.input_length = input_length

    def conv_strides(self):
        return (self.subsample_length,)

    def data_ordering(self):
        return "tf"  # (samples, steps, input_dim) whatever the image ordering

    def init_dim_ordering(self):
        # Keras 1.2.2 quirk (``get_fans`` of its Convolution1D kernel): 'th' fans on the 4-D
        # (L, 1, in, out) kernel.
        return "th"

    def kernel_shape(self):
        return (self.filter_length, 1, self.input_channels, self.nb_filter)

    def kernel_layout(self, dim_ordering):
        # one layout whatever the image ordering
        return _to_keras, _from_keras

    def _check_input_channels(self, input_shape):
        if input_shape[-1] not in (None, self.input_channels):
            raise ValueError("Input 0 is incompatible with layer %s: expected axis -1 of input "
                             "shape to have value %d but got shape %s"
                             % (self.name, self.input_channels, input_shape))

    def _known_channels(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError("Layer %s: the last dimension of the input must be known, got input "
                             "shape %s" % (self.name, input_shape))
        return input_shape[-1]

    def extra_repr(self):
        return "name=%r, nb_filter=%d, filter_length=%d, border_mode=%r, subsample_length=%d" % (
            self.name, self.nb_filter, self.filter_length, self.border_mode,
            self.subsample_length)


Conv1D = Convolution1D
