"""The convolution family's base class (``ConvolutionBase``, with ``rank`` spatial axes) and
its alias rules.

Data stays in the Keras layout at the layer boundary; the numerics run on channels-first
views (``(batch, channels, *spatial)``) through ``keras_compat.backend.convolution``.

The kernel-orientation rule: torch parameters always hold the kernel in torch's
cross-correlation orientation, the one ``F.convNd`` uses as it is, so nothing flips at run
time. A layer that emulates Theano (true convolution) shows its kernel flipped on every
spatial axis in its Keras-1 view (``get_weights``/``set_weights``, ``layer.W``, HDF5 files):
its ``WeightSpec`` composes ``theano_kernel_flip`` with the layout permutation. The emulated
backend then decides only the run-time difference, the placement of ``'same'`` padding
(TensorFlow: extra element at the end; Theano: ``k // 2`` on both sides, output cropped to
``ceil(n / stride)`` from the start).
"""
import functools

import torch

from keras_compat import activations, initializations
from keras_compat._args import groups, values
from keras_compat._args.rules import ArgumentError, Custom
from keras_compat.backend import config
from keras_compat.backend.convolution import conv_channels_first, theano_kernel_flip
from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.layers._sliding_window import output_length
from keras_compat.layers.kernel_arguments import allocate_bias, store_kernel_arguments

BORDER_MODES = ("valid", "same", "full")


# -- alias rules --------------------------------------------------------------------------
def kernel_size_2d(owner, value, kwargs):
    size = values.to_tuple(owner, "kernel_size", value, 2)
    return {"nb_row": size[0], "nb_col": size[1]}


def kernel_size_1d(owner, value, kwargs):
    size = values.to_tuple(owner, "kernel_size", value, 1)
    return {"filter_length": size[0]}


def strides_1d(owner, value, kwargs):
    return {"subsample_length": values.to_tuple(owner, "strides", value, 1)[0]}


def _no_dilation(owner, value, kwargs):
    try:
        rates = tuple(value) if not isinstance(value, int) else (value,)
    except TypeError:
        rates = (value,)
    if all(r == 1 for r in rates):
        return {}
    raise ArgumentError("%s(dilation_rate=%r) is not supported: a dilated convolution is "
                        "AtrousConvolution%s in Keras 1" % (owner, value, "1D" if "1D" in owner
                                                            else "2D"))


def _channels_last_only(owner, value, kwargs):
    if value in ("channels_last", "tf"):
        return {}
    raise ArgumentError("%s(data_format=%r) is not supported: Keras-1 Convolution1D input is "
                        "always (batch, steps, channels)" % (owner, value))


DILATION_RULE = Custom("dilation_rate", _no_dilation,
                       "accepted when it is 1 (no dilation); dilated convolutions are the "
                       "Atrous layers", example=(1, 1))

CONV2D_ARGS = tuple(r for r in groups.CONV_ARGS if "dilation_rate" not in r.names()) + (
    Custom("kernel_size", kernel_size_2d, "kernel_size=(r, c) (or an int) sets nb_row, nb_col",
           example=(3, 3)),
    DILATION_RULE,
) + groups.KERNEL_ARGS

CONV1D_ARGS = tuple(r for r in groups.CONV_ARGS
                    if not set(r.names()) & {"dilation_rate", "strides", "data_format"}
                    and getattr(r, "arg", None) != "dim_ordering") + (
    Custom("kernel_size", kernel_size_1d, "kernel_size=k (or (k,)) sets filter_length",
           example=3),
    Custom("strides", strides_1d, "strides=s (or (s,)) sets subsample_length", example=1),
    DILATION_RULE,
    Custom("data_format", _channels_last_only,
           "only 'channels_last' (the Keras-1 Convolution1D layout)", example="channels_last"),
) + groups.KERNEL_ARGS


def _kernel_size_3d(owner, value, kwargs):
    size = values.to_tuple(owner, "kernel_size", value, 3)
    return {"kernel_dim1": size[0], "kernel_dim2": size[1], "kernel_dim3": size[2]}


def _dilation_1d(owner, value, kwargs):
    return {"atrous_rate": values.to_tuple(owner, "dilation_rate", value, 1)[0]}


CONV3D_ARGS = tuple(r for r in groups.CONV_ARGS if "dilation_rate" not in r.names()) + (
    Custom("kernel_size", _kernel_size_3d,
           "kernel_size=(d1, d2, d3) (or an int) sets kernel_dim1, kernel_dim2, kernel_dim3",
           example=(2, 2, 2)),
    DILATION_RULE,
) + groups.KERNEL_ARGS

# The Atrous layers subclass Convolution1D/2D, whose rules refuse a dilation; they drop
# DILATION_RULE (see ``without_dilation_rule``) and add these instead.
ATROUS2D_ARGS = (
    Custom("dilation_rate", lambda owner, value, kwargs: {
        "atrous_rate": values.to_tuple(owner, "dilation_rate", value, 2)},
        "dilation_rate=(r, c) (or an int) sets atrous_rate", example=(2, 2)),
)

ATROUS1D_ARGS = (
    Custom("dilation_rate", _dilation_1d, "dilation_rate=r (or (r,)) sets atrous_rate",
           example=2),
)


def without_dilation_rule(rules):
    return tuple(r for r in rules if r is not DILATION_RULE)


def reject_tuple_kernel(cls, usage):
    """Wrap ``cls.__init__`` so a tuple in the ``nb_row`` slot gets a clear message.

    ``Convolution2D(64, (3, 3))`` is Keras-2 positional style; in Keras 1 the second
    positional argument is ``nb_row`` and the third ``nb_col``.
    """
    init = cls.__init__

    @functools.wraps(init)
    def checked(self, *args, **kwargs):
        candidate = args[1] if len(args) > 1 else kwargs.get("nb_row")
        if isinstance(candidate, (tuple, list)):
            kernel = tuple(candidate) + ("k",) * 2
            raise ValueError(usage % {"k": tuple(candidate), "k0": kernel[0], "k1": kernel[1],
                                      "nf": args[0] if args else kwargs.get("nb_filter", "nb_filter")})
        return init(self, *args, **kwargs)

    cls.__init__ = checked
    return cls


# -- the layout the convolution runs in --------------------------------------------------
# One-channel inputs (MNIST-style first layers) run channels-last on CPU: oneDNN's NCHW kernel
# for a single input channel is about 10x slower on this project's 2-core CPU (torch 2.13):
# workload B's first layer, batch 128, 12.8 ms forward NCHW against 1.1 ms channels-last, and
# 27.9 ms against 5.1 ms forward and backward.  Its output then stays channels-last through
# the next layers (ReLU, the 32-channel convolution, pooling: 49.6 against 68.1 ms and 2.8
# against 9.8 ms forward and backward), so the whole of B's convnet takes 0.89 (median) and
# 0.88 (fastest) of its all-NCHW time in the engine (11 alternating epochs of 1280 rows).
#
# Channels-last for every 2-D convolution was measured and is not chosen: with a copy of each
# multi-channel 'th' input it gave 1.04/0.96 (median/fastest) on bench/bench_vgg_block.py's
# block ('th', batch 64) and 1.06/1.01 with 'tf' ordering (whose input is channels-last in
# memory already: noise), earlier runs 0.92-1.13.  Set to True to choose it
# (tests/layers/test_convolution_layout.py checks both give the same values).
CPU_CHANNELS_LAST = False


def fastest_layout(x, rank, static_shape):
    """``x`` (channels-first, as ``conv_channels_first`` takes it) in the memory layout torch
    convolves fastest on its device; its shape and values are unchanged, so Keras-1 code never
    sees the choice (outputs reach NumPy C-contiguous, weights stay in their layout).

    CPU, 2-D: channels-last memory for a one-channel input or when ``CPU_CHANNELS_LAST``,
    else NCHW as given (see above).
    CUDA: cuDNN's benchmark mode (it times the algorithms once per input shape) when every
    dimension but the batch is known, so shapes repeat; not yet measured on a GPU.
    """
    if x.device.type == "cpu":
        if rank == 2 and x.dim() == 4 and _MKLDNN and (CPU_CHANNELS_LAST or x.shape[1] == 1):
            # ``to``, not ``contiguous``: a one-channel NCHW tensor already counts as
            # channels-last contiguous, so ``contiguous`` would keep its NCHW strides and
            # oneDNN would still pick its NCHW kernel.
            return x.to(memory_format=torch.channels_last)
        return x
    if x.device.type == "cuda" and static_shape and not torch.backends.cudnn.benchmark:
        torch.backends.cudnn.benchmark = True
    return x


_MKLDNN = torch.backends.mkldnn.is_available()


# -- the base class ---------------------------------------------------------------------
def check_border_mode(owner, border_mode, allowed=BORDER_MODES):
    return values.check_choice(owner, "border_mode", border_mode, allowed)


def _identity(tensor):
    return tensor


def channels_last_layout(rank):
    """``(to_keras, from_keras)`` between torch ``(out, in, *k)`` and Keras-1 tf ``(*k, in,
    out)``."""
    to_keras = (*range(2, 2 + rank), 1, 0)
    from_keras = (rank + 1, rank, *range(rank))
    return (lambda w: w.permute(to_keras)), (lambda k: k.permute(from_keras))


def kernel_spec(suffix, attr, layout, backend):
    """``WeightSpec`` of a kernel: ``layout`` (``(to_keras, from_keras)`` between torch and
    Keras-1 layouts) composed with the emulated backend's orientation (Theano's view is the
    torch kernel flipped on its spatial axes)."""
    to_layout, from_layout = layout
    if backend != "theano":
        return WeightSpec(suffix, attr, to_layout, from_layout)
    return WeightSpec(suffix, attr,
                      lambda weight: to_layout(theano_kernel_flip(weight, backend)),
                      lambda kernel: theano_kernel_flip(from_layout(kernel), backend))


class ConvolutionBase(Layer):
    """Base of the convolution family: ``rank`` spatial axes, ``nb_filter`` output channels.

    A subclass names its Keras-1 kernel-size arguments (``kernel_args``) and keeps its own
    Keras-1 constructor; the base does the geometry (``get_output_shape_for``, the input
    channel check), the kernel build, ``reset_parameters``, the weight specs of either
    emulated backend and ordering (``weight_specs_for``) and the forward convolution.
    """

    family_base = True  # shared code, not a Keras-1 layer: configs cannot name it

    rank = None
    kernel_args = ()
    # Keras 1.2.2's ``convert_all_kernels_in_model`` flipped exactly these layers' kernels
    # (Convolution1D/2D/3D, AtrousConvolution2D, Deconvolution2D).
    flipped_by_convert_all_kernels = False
    # the word ``output_length``'s error uses for the kernel
    kernel_word = "kernel"

    def _store_arguments(self, nb_filter, kernel, init, activation, border_mode, weights,
                         subsample=None, dim_ordering=None, kernel_arguments=None,
                         border_modes=BORDER_MODES):
        """Check and store the Keras-1 arguments the family shares: ``kernel`` holds the
        values of ``kernel_args``; ``subsample`` (one stride per spatial axis),
        ``dim_ordering`` and ``kernel_arguments`` (regularizers, constraints, bias) are
        stored when given."""
        owner = type(self).__name__
        self.nb_filter = values.check_positive_int(owner, "nb_filter", nb_filter)
        for name, size in zip(self.kernel_args, kernel):
            setattr(self, name, values.check_positive_int(owner, name, size))
        self.init = initializations.get(init)
        self.activation = activations.get(activation)
        self.border_mode = check_border_mode(owner, border_mode, border_modes)
        if subsample is not None:
            self.subsample = values.to_tuple(owner, "subsample", subsample, self.rank)
        if dim_ordering is not None:
            self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)
        if kernel_arguments is not None:
            store_kernel_arguments(self, *kernel_arguments)
        self.initial_weights = weights
        self.backend = None

    # -- geometry ---------------------------------------------------------------------------
    def conv_kernel_size(self):
        return tuple(getattr(self, name) for name in self.kernel_args)

    def conv_strides(self):
        return self.subsample

    def conv_dilation(self):
        return (1,) * self.rank

    def data_ordering(self):
        """'th' (channels first) or 'tf' (channels last) of the layer's input and output."""
        return self.dim_ordering

    def emulated_backend(self):
        """The Keras-1 backend whose numerics the layer emulates (fixed when it is built)."""
        return self.backend or config.backend()

    def _split(self, input_shape):
        """``(channels, spatial sizes)`` of an input shape."""
        if self.data_ordering() == "th":
            return input_shape[1], tuple(input_shape[2:2 + self.rank])
        return input_shape[1 + self.rank], tuple(input_shape[1:1 + self.rank])

    def _with_channels(self, batch, spatial, channels):
        if self.data_ordering() == "th":
            return (batch, channels) + tuple(spatial)
        return (batch,) + tuple(spatial) + (channels,)

    def _output_spatial(self, spatial, input_shape):
        kernel = self.conv_kernel_size()
        return tuple(output_length(self, n, k, self.border_mode, s, input_shape, kernel,
                                   what=self.kernel_word, dilation=d)
                     for n, k, s, d in zip(spatial, kernel, self.conv_strides(),
                                           self.conv_dilation()))

    def get_output_shape_for(self, input_shape):
        _, spatial = self._split(input_shape)
        return self._with_channels(input_shape[0], self._output_spatial(spatial, input_shape),
                                   self.nb_filter)

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if self.built:
            self._check_input_channels(input_shape)

    def _check_input_channels(self, input_shape):
        if self._split(input_shape)[0] not in (None, self.input_channels):
            raise ValueError("Input 0 is incompatible with layer %s: expected %d input channels "
                             "(dim_ordering=%r) but got input shape %s"
                             % (self.name, self.input_channels, self.dim_ordering, input_shape))

    def _known_channels(self, input_shape):
        channels = self._split(input_shape)[0]
        if channels is None:
            raise ValueError("Layer %s: the channel dimension of the input must be known "
                             "(dim_ordering=%r), got input shape %s"
                             % (self.name, self.dim_ordering, tuple(input_shape)))
        return channels

    # -- weights ----------------------------------------------------------------------------
    def build(self, input_shape):
        channels = self._known_channels(input_shape)
        self._check_geometry(input_shape)
        self.input_channels = channels
        self.backend = config.backend()
        self._allocate(channels)
        self.reset_parameters()

    def _check_geometry(self, input_shape):
        self.get_output_shape_for(input_shape)  # refuses inputs smaller than the kernel

    def _allocate(self, channels):
        self.weight = torch.nn.Parameter(torch.empty((self.nb_filter, channels)
                                                     + self.conv_kernel_size()))
        allocate_bias(self, self.nb_filter)

    def kernel_shape(self):
        """The Keras-1 ``W`` shape for this layer's ordering."""
        if self.data_ordering() == "th":
            return (self.nb_filter, self.input_channels) + self.conv_kernel_size()
        return self.conv_kernel_size() + (self.input_channels, self.nb_filter)

    def init_dim_ordering(self):
        """The ``dim_ordering`` Keras 1 passed the initializer (fans follow it)."""
        return self.dim_ordering

    def reset_parameters(self):
        kernel = self.init(self.kernel_shape(), dim_ordering=self.init_dim_ordering())
        with torch.no_grad():
            self.weight.copy_(self.weight_specs()[0].from_keras(torch.as_tensor(kernel)))
            if self.bias is not None:
                self.bias.zero_()

    def kernel_layout(self, dim_ordering):
        """``(to_keras, from_keras)`` between the torch kernel layout and Keras 1's."""
        if dim_ordering == "th":
            return _identity, _identity
        return channels_last_layout(self.rank)

    def weight_specs_for(self, backend=None, dim_ordering=None):
        """The specs a Keras-1 file written under ``backend``/``dim_ordering`` (default: the
        layer's own) is read through."""
        backend = backend or self.emulated_backend()
        ordering = dim_ordering or getattr(self, "dim_ordering", None)
        specs = [kernel_spec("W", "weight", self.kernel_layout(ordering), backend)]
        if self.has_bias:
            specs.append(WeightSpec("b", "bias"))
        return specs

    def weight_specs(self):
        return self.weight_specs_for()

    # -- torch state_dict compatibility ----------------------------------------------------
    # ``state_dict`` version 2: parameters hold cross-correlation kernels under every emulated
    # backend. Version 1 (keras_compat before the one kernel-orientation rule): a layer that
    # emulated Theano held Theano's true-convolution kernel in its parameters.
    _version = 2

    def legacy_kernel_orientation(self, tensors):
        """``{attr: tensor}`` from a version-1 ``state_dict`` in today's orientation: what
        such a tensor meant is its unflipped Keras-1 view, read back through the layer's own
        (Theano) specs."""
        converted = dict(tensors)
        if self.emulated_backend() != "theano":
            return converted
        unflipped = self.weight_specs_for(backend="tensorflow")
        for old, new in zip(unflipped, self.weight_specs_for(backend="theano")):
            if old.attr in converted:
                converted[old.attr] = new.from_keras(old.to_keras(converted[old.attr]))
        return converted

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, *args, **kwargs):
        if local_metadata.get("version") == 1:
            mine = {name: state_dict[prefix + name] for name in self._parameters
                    if prefix + name in state_dict}
            for name, tensor in self.legacy_kernel_orientation(mine).items():
                state_dict[prefix + name] = tensor
        super()._load_from_state_dict(state_dict, prefix, local_metadata, *args, **kwargs)

    # -- running ----------------------------------------------------------------------------
    def convolve(self, x):
        """The convolution of a channels-first ``x`` (bias included)."""
        x = fastest_layout(x, self.rank, self._static_shape())
        return conv_channels_first(x, self.weight, self.bias, self.conv_strides(),
                                   self.border_mode, self.emulated_backend(),
                                   self.conv_dilation())

    def _static_shape(self):
        """Every input shape the layer was built for fixes all dimensions but the batch."""
        shapes = self._input_shapes
        return bool(shapes) and all(isinstance(shape, tuple) and None not in shape[1:]
                                    for shape in shapes)

    def call(self, x, mask=None):
        if self.data_ordering() == "th":
            return self.activation(self.convolve(x))
        return self.activation(self.convolve(x.movedim(-1, 1)).movedim(1, -1))

    def extra_repr(self):
        return "name=%r, nb_filter=%d, kernel=%s, border_mode=%r, subsample=%s, " \
               "dim_ordering=%r" % (self.name, self.nb_filter, self.conv_kernel_size(),
                                    self.border_mode, self.conv_strides(),
                                    self.data_ordering())

