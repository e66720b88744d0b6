"""``Convolution3D`` (alias ``Conv3D``): 3-D convolution over volumes."""
import torch

from keras_compat import activations, initializations
from keras_compat._args import values
from keras_compat.backend import config
from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.kernel_arguments import allocate_bias, store_kernel_arguments


def _tf_to_keras(weight):
    # torch (out, in, d1, d2, d3) -> Keras-1 tf (d1, d2, d3, in, out)
    return weight.permute(2, 3, 4, 1, 0)


def _tf_from_keras(kernel):
    return kernel.permute(4, 3, 0, 1, 2)


class Convolution3D(Layer):
    """Convolution operator for filtering windows of three-dimensional inputs.

    # Arguments
        nb_filter: number of convolution filters.
        kernel_dim1, kernel_dim2, kernel_dim3: kernel extent along the three spatial axes.
        init: initializer name or function, applied to the Keras-1 kernel shape with this
            layer's ``dim_ordering``. Keras-1 quirk kept: with ``'tf'`` the fans count only the
            first two kernel dims as receptive field (semantics 5).
        activation: activation name or function; default linear.
        weights: ``[W, b]`` in Keras-1 layout (below).
        border_mode: ``'valid'``, ``'same'`` or ``'full'``.
        subsample: strides ``(s1, s2, s3)``.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.
        W_regularizer, b_regularizer, activity_regularizer, W_constraint, b_constraint, bias:
            as ``Dense``.

    # Input shape
        ``th``: ``(samples, channels, dim1, dim2, dim3)``; ``tf``: ``(samples, dim1, dim2, dim3,
        channels)``.

    # Output shape
        ``th``: ``(samples, nb_filter, new_dim1, new_dim2, new_dim3)``; ``tf``: channels last;
        the new sizes follow ``conv_output_length`` (semantics 3.3).

    # Torch mapping
        ``weight`` ``(nb_filter, channels, k1, k2, k3)`` (= the Keras-1 ``th`` kernel; the ``tf``
        kernel ``(k1, k2, k3, channels, nb_filter)`` is a permutation of it), forward is
        ``F.conv3d`` on a channels-first view. Emulated Theano flips the kernel on all three
        spatial axes (true convolution) and aligns ``'same'`` as Theano; emulated TensorFlow is
        cross-correlation with TF SAME padding.

    # Differences from Keras 1
        ``border_mode='full'`` also runs under the emulated TensorFlow backend (Keras 1 raised).
        Keras-2 keywords (``filters``, ``kernel_size``, ``strides``, ``padding``,
        ``data_format``, ``kernel_initializer``, ...) are accepted.
    """

    aliases = base_conv.CONV3D_ARGS
    input_ndim = 5

    def __init__(self, nb_filter, kernel_dim1, kernel_dim2, kernel_dim3, init="glorot_uniform",
                 activation=None, weights=None, border_mode="valid", subsample=(1, 1, 1),
                 dim_ordering="default", W_regularizer=None, b_regularizer=None,
                 activity_regularizer=None, W_constraint=None, b_constraint=None, bias=True,
                 **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.nb_filter = values.check_positive_int(owner, "nb_filter", nb_filter)
        self.kernel_dim1 = values.check_positive_int(owner, "kernel_dim1", kernel_dim1)
        self.kernel_dim2 = values.check_positive_int(owner, "kernel_dim2", kernel_dim2)
        self.kernel_dim3 = values.check_positive_int(owner, "kernel_dim3", kernel_dim3)
        self.init = initializations.get(init)
        self.activation = activations.get(activation)
        self.border_mode = base_conv.check_border_mode(owner, border_mode)
        self.subsample = values.to_tuple(owner, "subsample", subsample, 3)
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)
        store_kernel_arguments(self, W_regularizer, b_regularizer, activity_regularizer,
                               W_constraint, b_constraint, bias)
        self.initial_weights = weights
        self.backend = None

    def _kernel(self):
        return (self.kernel_dim1, self.kernel_dim2, self.kernel_dim3)

    def _split(self, input_shape):
        if self.dim_ordering == "th":
            return input_shape[1], tuple(input_shape[2:5])
        return input_shape[4], tuple(input_shape[1:4])

    def get_output_shape_for(self, input_shape):
        _, spatial = self._split(input_shape)
        kernel = self._kernel()
        out = tuple(base_conv.output_length(self, n, k, self.border_mode, s, input_shape, kernel)
                    for n, k, s in zip(spatial, kernel, self.subsample))
        if self.dim_ordering == "th":
            return (input_shape[0], self.nb_filter) + out
        return (input_shape[0],) + out + (self.nb_filter,)

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
            return (self.nb_filter, self.input_channels) + self._kernel()
        return self._kernel() + (self.input_channels, self.nb_filter)

    def build(self, input_shape):
        channels = self._split(input_shape)[0]
        if channels is None:
            raise ValueError("Layer %s: the channel dimension of the input must be known "
                             "(dim_ordering=%r), got input shape %s"
                             % (self.name, self.dim_ordering, input_shape))
        self.get_output_shape_for(input_shape)  # refuses inputs smaller than the kernel
        self.input_channels = channels
        self.backend = config.backend()
        self.weight = torch.nn.Parameter(torch.empty((self.nb_filter, channels) + self._kernel()))
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

    def call(self, x, mask=None):
        backend = self.backend or config.backend()
        if self.dim_ordering == "tf":
            y = base_conv.conv_nd(x.permute(0, 4, 1, 2, 3), self.weight, self.bias,
                                  self.subsample, self.border_mode, backend)
            return self.activation(y.permute(0, 2, 3, 4, 1))
        return self.activation(base_conv.conv_nd(x, self.weight, self.bias, self.subsample,
                                                 self.border_mode, backend))

    def extra_repr(self):
        return "name=%r, nb_filter=%d, kernel=%s, border_mode=%r, subsample=%s, " \
               "dim_ordering=%r" % (self.name, self.nb_filter, self._kernel(), self.border_mode,
                                    self.subsample, self.dim_ordering)


base_conv.reject_tuple_kernel(
    Convolution3D,
    "Convolution3D: kernel_dim1 got the tuple %(k)s; Keras 1 takes the kernel as three "
    "positional ints: use Convolution3D(%(nf)s, d1, d2, d3) or kernel_size=%(k)s")

Conv3D = Convolution3D
