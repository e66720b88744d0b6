"""``SeparableConvolution2D`` (alias ``SeparableConv2D``): depthwise then pointwise convolution."""
import torch

from keras_compat import constraints, regularizers
from keras_compat._args import groups, values
from keras_compat._args.rules import Custom, Rename
from keras_compat.backend import config
from keras_compat.backend.convolution import separable_conv2d_channels_first
from keras_compat.engine.layer import WeightSpec
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.kernel_arguments import allocate_bias, store_kernel_arguments


# torch depthwise weight (ch * dm, 1, r, c): output channel i * dm + m (TF's order).
def _depth_th_to_keras(weight, dm):
    ch = weight.shape[0] // dm
    return weight[:, 0].reshape(ch, dm, *weight.shape[2:]).permute(1, 0, 2, 3)


def _depth_th_from_keras(kernel):
    dm, ch = kernel.shape[0], kernel.shape[1]
    return kernel.permute(1, 0, 2, 3).reshape(ch * dm, 1, *kernel.shape[2:])


def _depth_tf_to_keras(weight, dm):
    return _depth_th_to_keras(weight, dm).permute(2, 3, 1, 0)


def _depth_tf_from_keras(kernel):
    return _depth_th_from_keras(kernel.permute(3, 2, 0, 1))


class SeparableConvolution2D(base_conv.ConvolutionBase):
    """Separable convolution: a depthwise spatial convolution followed by a 1x1 pointwise one.

    # Arguments
        nb_filter: number of output filters.
        nb_row, nb_col: depthwise kernel rows and columns.
        init: initializer for both kernels, applied to their Keras-1 shapes with this layer's
            ``dim_ordering`` (fans as Keras 1).
        activation: activation name or function; default linear.
        weights: ``[depthwise_kernel, pointwise_kernel, b]`` in Keras-1 layout (below).
        border_mode: ``'valid'`` or ``'same'``.
        subsample: strides of the depthwise step.
        depth_multiplier: depthwise output channels per input channel.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.
        depthwise_regularizer, pointwise_regularizer, b_regularizer, activity_regularizer,
        depthwise_constraint, pointwise_constraint, b_constraint, bias: as their names say.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``.

    # Output shape
        As ``Convolution2D`` with ``nb_filter`` channels.

    # Torch mapping
        ``depthwise`` ``(channels * depth_multiplier, 1, nb_row, nb_col)`` used by
        ``F.conv2d(groups=channels)`` (output channel ``c * depth_multiplier + m`` as in
        ``tf.nn.separable_conv2d``), ``pointwise`` ``(nb_filter, channels * depth_multiplier,
        1, 1)``. Keras-1 layouts: ``depthwise_kernel`` th ``(depth_multiplier, channels, r,
        c)`` / tf ``(r, c, channels, depth_multiplier)``; ``pointwise_kernel`` th ``(nb_filter,
        depth_multiplier * channels, 1, 1)`` / tf ``(1, 1, depth_multiplier * channels,
        nb_filter)``. TF SAME padding, cross-correlation.

    # Differences from Keras 1
        None: like Keras 1.2.2 it exists only for the TensorFlow backend; constructing it
        while the emulated backend is ``'theano'`` raises RuntimeError. As TensorFlow did at run
        time, ``depth_multiplier * channels > nb_filter`` is refused (here at build time).
    """

    aliases = (
        Rename("filters", "nb_filter", example=4),
        Rename("padding", "border_mode", example="same"),
        Rename("strides", "subsample", example=(1, 1)),
        Custom("kernel_size", base_conv.kernel_size_2d,
               "kernel_size=(r, c) (or an int) sets nb_row, nb_col", example=(3, 3)),
        Rename("depthwise_initializer", "init", example="glorot_uniform"),
        Rename("use_bias", "bias", example=False),
        Rename("bias_regularizer", "b_regularizer", example=None),
        Rename("bias_constraint", "b_constraint", example=None),
    ) + groups.DATA_FORMAT
    input_ndim = 4
    rank = 2
    kernel_args = ("nb_row", "nb_col")

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample=(1, 1), depth_multiplier=1,
                 dim_ordering="default", depthwise_regularizer=None, pointwise_regularizer=None,
                 b_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, b_constraint=None, bias=True, **kwargs):
        owner = type(self).__name__
        if config.backend() != "tensorflow":
            raise RuntimeError("%s is only available with the TensorFlow backend in Keras 1.2.2 "
                               "(the emulated backend is %r); run with the emulated "
                               "'tensorflow' backend" % (owner, config.backend()))
        super().__init__(**kwargs)
        self._store_arguments(nb_filter, (nb_row, nb_col), init, activation, border_mode,
                              weights, subsample=subsample, dim_ordering=dim_ordering,
                              border_modes=("valid", "same"))
        self.depth_multiplier = values.check_positive_int(owner, "depth_multiplier",
                                                          depth_multiplier)
        # stored under the argument names (get_config) and under the weight suffixes (the
        # engine looks regularizers and constraints up by ``<suffix>_regularizer``)
        self.depthwise_regularizer = self.depthwise_kernel_regularizer = \
            regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = self.pointwise_kernel_regularizer = \
            regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = self.depthwise_kernel_constraint = \
            constraints.get(depthwise_constraint)
        self.pointwise_constraint = self.pointwise_kernel_constraint = \
            constraints.get(pointwise_constraint)
        store_kernel_arguments(self, None, b_regularizer, activity_regularizer, None,
                               b_constraint, bias)

    def _check_geometry(self, input_shape):
        super()._check_geometry(input_shape)
        channels, dm = self._split(input_shape)[0], self.depth_multiplier
        if dm * channels > self.nb_filter:
            # tf.nn.separable_conv2d (TF 1.0, the Keras-1.2.2 backend) refuses this at run time
            raise ValueError("Layer %s (SeparableConvolution2D): depth_multiplier * input "
                             "channels = %d * %d = %d > nb_filter = %d; TensorFlow refuses such "
                             "an overparameterized separable convolution"
                             % (self.name, dm, channels, dm * channels, self.nb_filter))

    def _allocate(self, channels):
        dm = self.depth_multiplier
        self.depthwise = torch.nn.Parameter(torch.empty(channels * dm, 1, self.nb_row,
                                                        self.nb_col))
        self.pointwise = torch.nn.Parameter(torch.empty(self.nb_filter, channels * dm, 1, 1))
        allocate_bias(self, self.nb_filter)

    def _shapes(self):
        ch, dm = self.input_channels, self.depth_multiplier
        if self.dim_ordering == "th":
            return (dm, ch, self.nb_row, self.nb_col), (self.nb_filter, dm * ch, 1, 1)
        return (self.nb_row, self.nb_col, ch, dm), (1, 1, dm * ch, self.nb_filter)

    def reset_parameters(self):
        depth_shape, point_shape = self._shapes()
        specs = self.weight_specs()
        depth = self.init(depth_shape, dim_ordering=self.dim_ordering)
        point = self.init(point_shape, dim_ordering=self.dim_ordering)
        with torch.no_grad():
            self.depthwise.copy_(specs[0].from_keras(torch.as_tensor(depth)))
            self.pointwise.copy_(specs[1].from_keras(torch.as_tensor(point)))
            if self.bias is not None:
                self.bias.zero_()

    def weight_specs_for(self, backend=None, dim_ordering=None):
        # Keras 1.2.2 had this layer on TensorFlow only: the kernels never flip.
        dm = self.depth_multiplier
        if (dim_ordering or self.dim_ordering) == "th":
            specs = [WeightSpec("depthwise_kernel", "depthwise",
                                lambda w: _depth_th_to_keras(w, dm), _depth_th_from_keras),
                     WeightSpec("pointwise_kernel", "pointwise")]
        else:
            to_keras, from_keras = base_conv.channels_last_layout(2)
            specs = [WeightSpec("depthwise_kernel", "depthwise",
                                lambda w: _depth_tf_to_keras(w, dm), _depth_tf_from_keras),
                     WeightSpec("pointwise_kernel", "pointwise", to_keras, from_keras)]
        if self.has_bias:
            specs.append(WeightSpec("b", "bias"))
        return specs

    def convolve(self, x):
        return separable_conv2d_channels_first(x, self.depthwise, self.pointwise, self.bias,
                                               self.subsample, self.border_mode)


SeparableConv2D = SeparableConvolution2D
