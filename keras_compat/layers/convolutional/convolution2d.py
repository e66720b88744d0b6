"""``Convolution2D`` (alias ``Conv2D``): 2-D convolution over images."""
import warnings


from keras_compat.layers.convolutional import base_conv

_warned_channels_first = []


class Convolution2D(base_conv.ConvolutionBase):
    """Convolution operator for filtering windows of two-dimensional inputs.

    # Arguments
        nb_filter: number of convolution filters.
        nb_row, nb_col: kernel rows and columns (two positional ints, not a tuple).
        init: initializer name or function ``f(shape, name=None, dim_ordering='th')``, applied to
            the Keras-1 kernel shape with this layer's ``dim_ordering`` (fans as Keras 1).
        activation: activation name or function; default linear.
        weights: ``[W, b]`` in Keras-1 layout (below).
        border_mode: ``'valid'``, ``'same'`` or ``'full'``.
        subsample: strides ``(rows, cols)``.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'`` (the configured ``image_dim_ordering``
            at construction).
        W_regularizer, b_regularizer, activity_regularizer, W_constraint, b_constraint, bias:
            as ``Dense``.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``.

    # Output shape
        ``th``: ``(samples, nb_filter, new_rows, new_cols)``; ``tf``: channels last; the new sizes
        follow ``conv_output_length``.

    # Torch mapping
        ``weight`` ``(nb_filter, channels, nb_row, nb_col)`` in cross-correlation orientation,
        forward is ``F.conv2d`` on a channels-first view. The Keras-1 ``th`` kernel has the same
        layout, the ``tf`` kernel ``(nb_row, nb_col, channels, nb_filter)`` is a permutation;
        under the emulated Theano backend (read at build time) the Keras-1 kernel is the
        parameter flipped on both spatial axes (true convolution) and ``'same'`` padding is
        aligned as Theano's; ``'tensorflow'`` has TF SAME padding.

    # Differences from Keras 1
        ``border_mode='full'`` also runs under the emulated TensorFlow backend (Keras 1 raised
        there). Keras-2 keywords are accepted (``filters``, ``kernel_size``, ``strides``,
        ``padding``, ``data_format``, ``kernel_initializer``, ...).
    """

    aliases = base_conv.CONV2D_ARGS
    input_ndim = 4
    rank = 2
    kernel_args = ("nb_row", "nb_col")
    flipped_by_convert_all_kernels = True

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample=(1, 1), dim_ordering="default",
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, **kwargs):
        super().__init__(**kwargs)
        self._store_arguments(nb_filter, (nb_row, nb_col), init, activation, border_mode, weights,
                              subsample=subsample, dim_ordering=dim_ordering,
                              kernel_arguments=(W_regularizer, b_regularizer,
                                                activity_regularizer, W_constraint,
                                                b_constraint, bias))

    def _check_geometry(self, input_shape):
        super()._check_geometry(input_shape)
        self._maybe_warn_ordering(input_shape)

    def _maybe_warn_ordering(self, input_shape):
        if (self.dim_ordering != "tf" or self.batch_input_shape is None
                or _warned_channels_first):
            return
        first, last = input_shape[1], input_shape[3]
        if first in (1, 3) and last is not None and last > 4:
            _warned_channels_first.append(True)
            warnings.warn("%s input_shape %s looks channels-first but image_dim_ordering is "
                          "'tf'; this script was probably written for Theano ordering: run it "
                          "with `python -m keras_compat --dim-ordering th script.py`"
                          % (type(self).__name__, tuple(input_shape[1:])), stacklevel=4)


base_conv.reject_tuple_kernel(
    Convolution2D,
    "Convolution2D: nb_row got the tuple %(k)s; Keras 1 takes the kernel as two positional "
    "ints: use Convolution2D(%(nf)s, %(k0)s, %(k1)s) or kernel_size=%(k)s")

Conv2D = Convolution2D
