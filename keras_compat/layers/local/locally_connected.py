"""``LocallyConnected1D`` and ``LocallyConnected2D``: convolutions with unshared weights."""
import torch

from keras_compat._args import groups, values
from keras_compat._args.rules import Custom, Rename
from keras_compat.engine.layer import WeightSpec
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.kernel_arguments import allocate_bias


_COMMON = (
    Rename("filters", "nb_filter", example=4),
    Rename("padding", "border_mode", example="valid"),
) + groups.KERNEL_ARGS


class _LocallyConnected(base_conv.ConvolutionBase):
    """A convolution with unshared weights: ``W`` and ``b`` are stored in the Keras-1 layout
    as is, whatever the backend (no flip: it is a product per position, not a convolution)."""

    def _store_local_arguments(self, nb_filter, kernel, init, activation, border_mode,
                               weights, kernel_arguments, subsample=None, dim_ordering=None):
        if border_mode != "valid":
            raise ValueError("%s: invalid border_mode %r; only 'valid' is supported (pad the "
                             "input with a ZeroPadding layer instead)"
                             % (type(self).__name__, border_mode))
        self._store_arguments(nb_filter, kernel, init, activation, border_mode, weights,
                              subsample=subsample, dim_ordering=dim_ordering,
                              kernel_arguments=kernel_arguments)

    def _allocate(self, w_shape, b_shape):
        self.W_shape = w_shape
        self.weight = torch.nn.Parameter(torch.empty(w_shape))
        allocate_bias(self, b_shape)
        self.reset_parameters()

    def reset_parameters(self):
        # 3-D kernel: Keras-1 get_fans falls back to sqrt(prod(shape)) for both fans.
        kernel = self.init(self.W_shape, dim_ordering="th")
        with torch.no_grad():
            self.weight.copy_(torch.as_tensor(kernel))
            if self.bias is not None:
                self.bias.zero_()

    def weight_specs_for(self, backend=None, dim_ordering=None):
        specs = [WeightSpec("W", "weight")]
        if self.has_bias:
            specs.append(WeightSpec("b", "bias"))
        return specs


class LocallyConnected1D(_LocallyConnected):
    """Locally-connected layer for 1D inputs: a ``Convolution1D`` whose weights are not shared.

    # Arguments
        nb_filter: dimensionality of the output.
        filter_length: the extension of each filter.
        init: initializer; called on the 3-D ``W`` shape, so Keras 1's ``get_fans`` fallback
            ``fan_in = fan_out = sqrt(prod(shape))`` applies (Keras 1.2.2's ``get_fans``).
        activation: activation name or function; default linear.
        weights: ``[W (output_length, filter_length * input_dim, nb_filter), b (output_length,
            nb_filter)]``.
        border_mode: only ``'valid'``.
        subsample_length: stride.
        W_regularizer, b_regularizer, activity_regularizer, W_constraint, b_constraint, bias:
            as ``Dense``.
        input_dim, input_length: shorthand for ``input_shape=(input_length, input_dim)``.

    # Input shape
        ``(samples, steps, input_dim)``; ``steps`` must be known.

    # Output shape
        ``(samples, new_steps, nb_filter)``.

    # Torch mapping
        ``W`` and ``b`` are kept in the Keras-1 layout. Patches come from
        ``x.unfold(1, filter_length, stride)`` flattened step-major (step, channel) like Keras
        1, then ``einsum('bpk,pkf->bpf')``.

    # Differences from Keras 1
        Keras-2 keywords (``filters``, ``kernel_size``, ``strides``, ``padding``, ...) are
        accepted.
    """

    aliases = _COMMON + (
        Custom("kernel_size", base_conv.kernel_size_1d,
               "kernel_size=k (or (k,)) sets filter_length", example=3),
        Custom("strides", base_conv.strides_1d, "strides=s (or (s,)) sets subsample_length",
               example=1),
    )
    input_ndim = 3
    rank = 1
    kernel_args = ("filter_length",)

    def __init__(self, nb_filter, filter_length, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample_length=1, W_regularizer=None,
                 b_regularizer=None, activity_regularizer=None, W_constraint=None,
                 b_constraint=None, bias=True, input_dim=None, input_length=None, **kwargs):
        if input_dim is not None and "input_shape" not in kwargs \
                and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length, input_dim)
        super().__init__(**kwargs)
        self._store_local_arguments(nb_filter, (filter_length,), init, activation, border_mode,
                                    weights, (W_regularizer, b_regularizer, activity_regularizer,
                                              W_constraint, b_constraint, bias))
        self.subsample_length = values.check_positive_int(type(self).__name__,
                                                          "subsample_length", subsample_length)
        self.input_dim = input_dim
        self.input_length = input_length

    def conv_strides(self):
        return (self.subsample_length,)

    def data_ordering(self):
        return "tf"  # (samples, steps, input_dim)

    def build(self, input_shape):
        steps, input_dim = input_shape[1], input_shape[2]
        if steps is None or input_dim is None:
            raise ValueError("Layer %s (LocallyConnected1D): the number of steps and features "
                             "must be known (unshared weights per position), got input shape %s"
                             % (self.name, input_shape))
        out_len = self.get_output_shape_for(input_shape)[1]
        self.input_channels = input_dim
        self._allocate((out_len, self.filter_length * input_dim, self.nb_filter),
                       (out_len, self.nb_filter))

    def _check_input_channels(self, input_shape):
        if tuple(input_shape[1:]) != (self.built_steps(), self.input_channels):
            raise ValueError("Input 0 is incompatible with layer %s: expected input shape "
                             "(None, %d, %d), got %s" % (self.name, self.built_steps(),
                                                         self.input_channels, input_shape))

    def built_steps(self):
        return (self.W_shape[0] - 1) * self.subsample_length + self.filter_length

    def call(self, x, mask=None):
        out_len = self.W_shape[0]
        # (b, out_len, in, L) -> (b, out_len, L, in): Keras-1 patch order (step, channel)
        patches = x.unfold(1, self.filter_length, self.subsample_length)[:, :out_len]
        patches = patches.transpose(2, 3).reshape(x.shape[0], out_len, -1)
        y = torch.einsum("bpk,pkf->bpf", patches, self.weight)
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y)


class LocallyConnected2D(_LocallyConnected):
    """Locally-connected layer for 2D inputs: a ``Convolution2D`` whose weights are not shared.

    # Arguments
        nb_filter: number of filters.
        nb_row, nb_col: kernel rows and columns.
        init: initializer; called on the 3-D ``W`` shape (``sqrt(prod(shape))`` fans).
        activation: activation name or function; default linear.
        weights: ``[W (out_rows * out_cols, nb_row * nb_col * channels, nb_filter),
            b (out_rows, out_cols, nb_filter)]``.
        border_mode: only ``'valid'``.
        subsample: strides ``(rows, cols)``.
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.
        W_regularizer, b_regularizer, activity_regularizer, W_constraint, b_constraint, bias:
            as ``Dense``.

    # Input shape
        ``th``: ``(samples, channels, rows, cols)``; ``tf``: ``(samples, rows, cols, channels)``;
        all known.

    # Output shape
        ``th``: ``(samples, nb_filter, new_rows, new_cols)``; ``tf``: channels last.

    # Torch mapping
        ``W``/``b`` in the Keras-1 layout. Patches via ``unfold`` on both spatial axes,
        flattened as Keras 1 did: ``th`` channel-major ``(channel, row, col)``, ``tf``
        ``(row, col, channel)``; positions row-major; ``einsum('bpk,pkf->bpf')``.
        Keras-1 quirk kept: under ``th`` the bias ``(out_rows, out_cols, nb_filter)`` is
        *reshaped* (not transposed) to ``(1, nb_filter, out_rows, out_cols)`` before the add.

    # Differences from Keras 1
        Keras-2 keywords (``filters``, ``kernel_size``, ``strides``, ``padding``,
        ``data_format``, ...) are accepted.
    """

    aliases = _COMMON + (
        Rename("strides", "subsample", example=(1, 1)),
        Custom("kernel_size", base_conv.kernel_size_2d,
               "kernel_size=(r, c) (or an int) sets nb_row, nb_col", example=(3, 3)),
    ) + groups.DATA_FORMAT
    input_ndim = 4
    rank = 2
    kernel_args = ("nb_row", "nb_col")

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample=(1, 1), dim_ordering="default",
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, **kwargs):
        super().__init__(**kwargs)
        self._store_local_arguments(nb_filter, (nb_row, nb_col), init, activation, border_mode,
                                    weights, (W_regularizer, b_regularizer, activity_regularizer,
                                              W_constraint, b_constraint, bias),
                                    subsample=subsample, dim_ordering=dim_ordering)

    def build(self, input_shape):
        channels, (rows, cols) = self._split(input_shape)
        if None in (channels, rows, cols):
            raise ValueError("Layer %s (LocallyConnected2D): rows, cols and channels must be "
                             "known (unshared weights per position), got input shape %s"
                             % (self.name, input_shape))
        out = self.get_output_shape_for(input_shape)
        out_rows, out_cols = (out[2], out[3]) if self.dim_ordering == "th" else (out[1], out[2])
        self.output_row, self.output_col = out_rows, out_cols
        self.input_channels = channels
        self.built_input = (channels, rows, cols)
        self._allocate((out_rows * out_cols, self.nb_row * self.nb_col * channels,
                        self.nb_filter), (out_rows, out_cols, self.nb_filter))

    def _check_input_channels(self, input_shape):
        channels, spatial = self._split(input_shape)
        if (channels,) + spatial != self.built_input:
            raise ValueError("Input 0 is incompatible with layer %s: built for (channels, rows, "
                             "cols) = %s, got input shape %s"
                             % (self.name, self.built_input, input_shape))

    def call(self, x, mask=None):
        batch = x.shape[0]
        r, c = self.output_row, self.output_col
        if self.dim_ordering == "th":
            # (b, ch, R, C) -> (b, ch, r, c, kr, kc) -> (b, r, c, ch, kr, kc)
            patches = (x.unfold(2, self.nb_row, self.subsample[0])[:, :, :r]
                       .unfold(3, self.nb_col, self.subsample[1])[:, :, :, :c]
                       .permute(0, 2, 3, 1, 4, 5))
        else:
            # (b, R, C, ch) -> (b, r, c, ch, kr, kc) -> (b, r, c, kr, kc, ch)
            patches = (x.unfold(1, self.nb_row, self.subsample[0])[:, :r]
                       .unfold(2, self.nb_col, self.subsample[1])[:, :, :c]
                       .permute(0, 1, 2, 4, 5, 3))
        patches = patches.reshape(batch, r * c, -1)
        y = torch.einsum("bpk,pkf->bpf", patches, self.weight).reshape(batch, r, c,
                                                                        self.nb_filter)
        if self.dim_ordering == "th":
            y = y.permute(0, 3, 1, 2)
            if self.bias is not None:
                y = y + self.bias.reshape(1, self.nb_filter, r, c)
        elif self.bias is not None:
            y = y + self.bias
        return self.activation(y)
