"""``Deconvolution2D`` (alias ``Deconv2D``): transposed 2-D convolution."""
import torch

from keras_compat._args import values
from keras_compat.backend.convolution import conv_output_length, conv_transpose2d_channels_first
from keras_compat.layers.convolutional.convolution2d import Convolution2D
from keras_compat.layers.kernel_arguments import allocate_bias


def _th_layout(tensor):
    # torch conv_transpose (in, out, r, c) <-> Keras-1 th (nb_filter=out, in, r, c)
    return tensor.permute(1, 0, 2, 3)


def _tf_layout(tensor):
    # torch (in, out, r, c) <-> Keras-1 tf (r, c, in, out)
    return tensor.permute(2, 3, 0, 1)


class Deconvolution2D(Convolution2D):
    """Transposed convolution (the gradient of ``Convolution2D`` with respect to its input).

    # Arguments
        nb_filter: number of output channels.
        nb_row, nb_col: kernel rows and columns.
        output_shape: the full output shape including the batch axis, e.g. ``(None, 3, 14,
            14)`` (``th``) or ``(None, 14, 14, 3)`` (``tf``); the layer's spatial output size is
            taken from it (Keras 1 did not compute it).
        init, activation, weights, border_mode (``'valid'``, ``'same'``, ``'full'``), subsample,
        dim_ordering, W_regularizer, b_regularizer, activity_regularizer, W_constraint,
        b_constraint, bias: as ``Convolution2D``. ``W`` has the ``Convolution2D`` layout with
        the layer's *input* channels in the channel slot: ``th`` ``(nb_filter, input_channels,
        nb_row, nb_col)``, ``tf`` ``(nb_row, nb_col, input_channels, nb_filter)``
        (as Keras 1.2.2 stores it).

    # Input shape
        4D tensor in the layer's ordering.

    # Output shape
        ``th``: ``(samples, nb_filter, output_shape[2], output_shape[3])``; ``tf``:
        ``(samples, output_shape[1], output_shape[2], nb_filter)``.

    # Torch mapping
        ``weight`` ``(input_channels, nb_filter, nb_row, nb_col)`` (``F.conv_transpose2d``
        layout); the full transposed result is cropped at the start by the forward
        convolution's padding (TF SAME split, Theano ``k // 2``, ``k - 1`` for ``'full'``) and
        cut or zero-extended at the end to ``output_shape``; then the bias. The parameter is in
        cross-correlation orientation; under emulated Theano the Keras-1 kernel is it flipped
        on both spatial axes (true convolution, as ``AbstractConv2d_gradInputs(filter_flip=
        True)``).

    # Differences from Keras 1
        The batch entry of ``output_shape`` is ignored (any batch size works). An
        ``output_shape`` whose forward convolution does not give back the input size is refused
        at build time with a ValueError (Keras 1 failed inside the backend at run time).
        ``'full'`` also runs under emulated TensorFlow. Under emulated Theano with
        ``border_mode='same'`` and an even kernel Keras 1 cropped the result to the *input*
        size (a Theano post-processing quirk); here the output always has ``output_shape``.
    """

    def __init__(self, nb_filter, nb_row, nb_col, output_shape, init="glorot_uniform",
                 activation=None, weights=None, border_mode="valid", subsample=(1, 1),
                 dim_ordering="default", W_regularizer=None, b_regularizer=None,
                 activity_regularizer=None, W_constraint=None, b_constraint=None, bias=True,
                 **kwargs):
        super().__init__(nb_filter, nb_row, nb_col, init, activation, weights, border_mode,
                         subsample, dim_ordering, W_regularizer, b_regularizer,
                         activity_regularizer, W_constraint, b_constraint, bias, **kwargs)
        owner = type(self).__name__
        shape = tuple(output_shape) if hasattr(output_shape, "__len__") else ()
        if len(shape) != 4:
            raise ValueError("%s: output_shape must be the full 4-D output shape including the "
                             "batch axis, e.g. (None, 3, 14, 14); got %r" % (owner, output_shape))
        self.output_shape_ = shape
        rows, cols = (shape[2], shape[3]) if self.dim_ordering == "th" else (shape[1], shape[2])
        self.out_rows = values.check_positive_int(owner, "output_shape rows", rows)
        self.out_cols = values.check_positive_int(owner, "output_shape cols", cols)
        channels = shape[1] if self.dim_ordering == "th" else shape[3]
        if channels is not None and channels != self.nb_filter:
            raise ValueError("%s: output_shape %r has %r channels but nb_filter=%d"
                             % (owner, shape, channels, self.nb_filter))

    def get_output_shape_for(self, input_shape):
        if self.dim_ordering == "th":
            return (input_shape[0], self.nb_filter, self.out_rows, self.out_cols)
        return (input_shape[0], self.out_rows, self.out_cols, self.nb_filter)

    def _check_sizes(self, input_shape):
        rows, cols = self._split(input_shape)[1]
        for axis, n_in, n_out, k, s in (("rows", rows, self.out_rows, self.nb_row,
                                         self.subsample[0]),
                                        ("cols", cols, self.out_cols, self.nb_col,
                                         self.subsample[1])):
            if n_in is None:
                continue
            forward = conv_output_length(n_out, k, self.border_mode, s)
            if forward != n_in:
                raise ValueError(
                    "Layer %s (Deconvolution2D): output_shape %r does not match the input shape "
                    "%s: a %s convolution (kernel %d, stride %d) of %d %s gives %d, not %d"
                    % (self.name, self.output_shape_, tuple(input_shape), self.border_mode, k, s,
                       n_out, axis, forward, n_in))

    def _check_geometry(self, input_shape):
        self._check_sizes(input_shape)

    def _allocate(self, channels):
        self.weight = torch.nn.Parameter(torch.empty(channels, self.nb_filter, self.nb_row,
                                                     self.nb_col))
        allocate_bias(self, self.nb_filter)

    def _check_input_channels(self, input_shape):
        super()._check_input_channels(input_shape)
        self._check_sizes(input_shape)

    def kernel_layout(self, dim_ordering):
        if dim_ordering == "th":
            return _th_layout, _th_layout
        return _tf_layout, _tf_layout

    def convolve(self, x):
        return conv_transpose2d_channels_first(x, self.weight, self.bias,
                                               (self.out_rows, self.out_cols), self.subsample,
                                               self.border_mode, self.emulated_backend())


Deconv2D = Deconvolution2D
