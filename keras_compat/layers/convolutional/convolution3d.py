"""``Convolution3D`` (alias ``Conv3D``): 3-D convolution over volumes."""
from keras_compat.layers.convolutional import base_conv


class Convolution3D(base_conv.ConvolutionBase):
    """Convolution operator for filtering windows of three-dimensional inputs.

    # Arguments
        nb_filter: number of convolution filters.
        kernel_dim1, kernel_dim2, kernel_dim3: kernel extent along the three spatial axes.
        init: initializer name or function, applied to the Keras-1 kernel shape with this
            layer's ``dim_ordering``. Keras-1 quirk kept: with ``'tf'`` the fans count only the
            first two kernel dims as receptive field (Keras 1.2.2's ``get_fans``).
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
        the new sizes follow ``conv_output_length``.

    # Torch mapping
        ``weight`` ``(nb_filter, channels, k1, k2, k3)`` in cross-correlation orientation (the
        Keras-1 ``th`` layout; the ``tf`` kernel ``(k1, k2, k3, channels, nb_filter)`` is a
        permutation of it), forward is ``F.conv3d`` on a channels-first view. Under emulated
        Theano the Keras-1 kernel is the parameter flipped on all three spatial axes (true
        convolution) and ``'same'`` is aligned as Theano's; emulated TensorFlow has TF SAME
        padding.

    # Differences from Keras 1
        ``border_mode='full'`` also runs under the emulated TensorFlow backend (Keras 1 raised).
        Keras-2 keywords (``filters``, ``kernel_size``, ``strides``, ``padding``,
        ``data_format``, ``kernel_initializer``, ...) are accepted.
    """

    aliases = base_conv.CONV3D_ARGS
    input_ndim = 5
    rank = 3
    kernel_args = ("kernel_dim1", "kernel_dim2", "kernel_dim3")
    flipped_by_convert_all_kernels = True

    def __init__(self, nb_filter, kernel_dim1, kernel_dim2, kernel_dim3, init="glorot_uniform",
                 activation=None, weights=None, border_mode="valid", subsample=(1, 1, 1),
                 dim_ordering="default", W_regularizer=None, b_regularizer=None,
                 activity_regularizer=None, W_constraint=None, b_constraint=None, bias=True,
                 **kwargs):
        super().__init__(**kwargs)
        self._store_arguments(nb_filter, (kernel_dim1, kernel_dim2, kernel_dim3), init, activation, border_mode, weights,
                              subsample=subsample, dim_ordering=dim_ordering,
                              kernel_arguments=(W_regularizer, b_regularizer,
                                                activity_regularizer, W_constraint,
                                                b_constraint, bias))


base_conv.reject_tuple_kernel(
    Convolution3D,
    "Convolution3D: kernel_dim1 got the tuple %(k)s; Keras 1 takes the kernel as three "
    "positional ints: use Convolution3D(%(nf)s, d1, d2, d3) or kernel_size=%(k)s")

Conv3D = Convolution3D
