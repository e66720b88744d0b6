"""``Convolution2D`` (alias ``Conv2D``): 2-D convolution over images."""
import warnings

import torch

from keras_compat import activations, initializations
from keras_compat._args import values
from keras_compat.backend import config
from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.kernel_arguments import allocate_bias, store_kernel_arguments

_warned_channels_first = []


def _th_to_keras(weight):
    return weight


def _tf_to_keras(weight):
    # torch (out, in, r, c) -> Keras-1 tf (r, c, in, out)
    return weight.permute(2, 3, 1, 0)


def _tf_from_keras(kernel):
    return kernel.permute(3, 2, 0, 1)


class Convolution2D(Layer):
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
        follow ``conv_output_length`` (semantics 3.3).

    # Torch mapping
        ``weight`` ``(nb_filter, channels, nb_row, nb_col)`` (= the Keras-1 ``th`` kernel; the
        ``tf`` kernel ``(nb_row, nb_col, channels, nb_filter)`` is a permutation of it), forward
        is ``F.conv2d`` on a channels-first view. The emulated backend is read at build time:
        ``'theano'`` flips the kernel (true convolution) and aligns ``'same'`` padding as
        Theano, ``'tensorflow'`` is cross-correlation with TF SAME padding.

    # Differences from Keras 1
        ``border_mode='full'`` also runs under the emulated TensorFlow backend (Keras 1 raised
        there). Keras-2 keywords are accepted (``filters``, ``kernel_size``, ``strides``,
        ``padding``, ``data_format``, ``kernel_initializer``, ...).
    """

    aliases = base_conv.CONV2D_ARGS
    input_ndim = 4

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample=(1, 1), dim_ordering="default",
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.nb_filter = values.check_positive_int(owner, "nb_filter", nb_filter)
        self.nb_row = values.check_positive_int(owner, "nb_row", nb_row)
        self.nb_col = values.check_positive_int(owner, "nb_col", nb_col)
        self.init = initializations.get(init)
        self.activation = activations.get(activation)
        self.border_mode = base_conv.check_border_mode(owner, border_mode)
        self.subsample = values.to_tuple(owner, "subsample", subsample, 2)
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)
        store_kernel_arguments(self, W_regularizer, b_regularizer, activity_regularizer,
                               W_constraint, b_constraint, bias)
        self.initial_weights = weights
        self.backend = None

    # -- shapes ---------------------------------------------------------------------------
    def _split(self, input_shape):
        if self.dim_ordering == "th":
            return input_shape[1], input_shape[2], input_shape[3]
        return input_shape[3], input_shape[1], input_shape[2]

    def get_output_shape_for(self, input_shape):
        _, rows, cols = self._split(input_shape)
        kernel = (self.nb_row, self.nb_col)
        rows = base_conv.output_length(self, rows, self.nb_row, self.border_mode,
                                       self.subsample[0], input_shape, kernel)
        cols = base_conv.output_length(self, cols, self.nb_col, self.border_mode,
                                       self.subsample[1], input_shape, kernel)
        if self.dim_ordering == "th":
            return (input_shape[0], self.nb_filter, rows, cols)
        return (input_shape[0], rows, cols, self.nb_filter)

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        channels = self._split(input_shape)[0]
        if self.built and channels not in (None, self.input_channels):
            raise ValueError("Input 0 is incompatible with layer %s: expected %d input channels "
                             "(dim_ordering=%r) but got input shape %s"
                             % (self.name, self.input_channels, self.dim_ordering, input_shape))

    def kernel_shape(self):
        """The Keras-1 ``W`` shape for this layer's ordering."""
        if self.dim_ordering == "th":
            return (self.nb_filter, self.input_channels, self.nb_row, self.nb_col)
        return (self.nb_row, self.nb_col, self.input_channels, self.nb_filter)

    # -- weights --------------------------------------------------------------------------
    def build(self, input_shape):
        channels = self._split(input_shape)[0]
        if channels is None:
            raise ValueError("Layer %s: the channel dimension of the input must be known "
                             "(dim_ordering=%r), got input shape %s"
                             % (self.name, self.dim_ordering, input_shape))
        self.get_output_shape_for(input_shape)  # refuses inputs smaller than the kernel
        self._maybe_warn_ordering(input_shape)
        self.input_channels = channels
        self.backend = config.backend()
        self.weight = torch.nn.Parameter(torch.empty(self.nb_filter, channels, self.nb_row,
                                                     self.nb_col))
        allocate_bias(self, self.nb_filter)
        self.reset_parameters()

    def reset_parameters(self):
        kernel = self.init(self.kernel_shape(), dim_ordering=self.dim_ordering)
        with torch.no_grad():
            self.weight.copy_(self._spec_W().from_keras(torch.as_tensor(kernel)))
            if self.bias is not None:
                self.bias.zero_()

    def _spec_W(self):
        if self.dim_ordering == "th":
            return WeightSpec("W", "weight")
        return WeightSpec("W", "weight", _tf_to_keras, _tf_from_keras)

    def weight_specs(self):
        specs = [self._spec_W()]
        if self.has_bias:
            specs.append(WeightSpec("b", "bias"))
        return specs

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
                          % (type(self).__name__, tuple(input_shape[1:])), stacklevel=3)

    # -- running --------------------------------------------------------------------------
    def call(self, x, mask=None):
        backend = self.backend or config.backend()
        if self.dim_ordering == "tf":
            y = base_conv.conv_nd(x.permute(0, 3, 1, 2), self.weight, self.bias, self.subsample,
                                  self.border_mode, backend)
            return self.activation(y.permute(0, 2, 3, 1))
        return self.activation(base_conv.conv_nd(x, self.weight, self.bias, self.subsample,
                                                 self.border_mode, backend))

    def extra_repr(self):
        return "name=%r, nb_filter=%d, kernel=(%d, %d), border_mode=%r, subsample=%s, " \
               "dim_ordering=%r" % (self.name, self.nb_filter, self.nb_row, self.nb_col,
                                    self.border_mode, self.subsample, self.dim_ordering)


base_conv.reject_tuple_kernel(
    Convolution2D,
    "Convolution2D: nb_row got the tuple %(k)s; Keras 1 takes the kernel as two positional "
    "ints: use Convolution2D(%(nf)s, %(k0)s, %(k1)s) or kernel_size=%(k)s")

Conv2D = Convolution2D
