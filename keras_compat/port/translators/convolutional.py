"""The convolutional family: Convolution1D/2D/3D and their dilated (Atrous) forms,
Deconvolution2D, SeparableConvolution2D, and the shape layers beside them (ZeroPadding,
Cropping, UpSampling 1D/2D/3D)."""
from keras_compat.backend import convolution as geometry
from keras_compat.layers import (AtrousConvolution1D, AtrousConvolution2D, Convolution1D,
                                 Convolution2D, Convolution3D, Cropping1D, Cropping2D, Cropping3D,
                                 Deconvolution2D, SeparableConvolution2D, UpSampling1D,
                                 UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D,
                                 ZeroPadding3D)
from keras_compat.port.layout import (pad_argument, spatial_size, to_channels_first,
                                                to_channels_last)
from keras_compat.port.registry import translates


def padding_option(pads):
    """``(", padding=(...)", None)`` when the torch conv can pad symmetrically itself, else
    ``("", "x = F.pad(x, [...])")`` for the uneven padding Keras' backends used."""
    if all(a == b for a, b in pads):
        if any(a for a, _ in pads):
            return ", padding=%s" % (tuple(int(a) for a, _ in pads),), None
        return "", None
    return "", "x = F.pad(x, %s)" % (pad_argument(pads),)


def convolution(call, nd, channels_last, kernel, strides, dilation=None):
    layer = call.layer
    backend = layer.backend or "tensorflow"  # the numerics of 'same' padding
    weight = layer.weight.detach()
    call.src.param(call.var + ".weight", weight)
    has_bias = layer.bias is not None
    if has_bias:
        call.src.param(call.var + ".bias", layer.bias)
    spatial = spatial_size(call, nd, channels_last)
    lines = [to_channels_first(nd)] if channels_last else []
    pads, crop = geometry.conv_padding(spatial, kernel, strides, layer.border_mode, backend, dilation)
    if dilation is not None and any(d != 1 for d in dilation):
        dilated = ", dilation=%s" % (tuple(int(d) for d in dilation),)
    else:
        dilated = ""
    padding, pad_line = padding_option(pads)
    lines += [pad_line] if pad_line else []
    call.src.declare("self.%s = nn.Conv%dd(%d, %d, kernel_size=%s, stride=%s%s%s, bias=%s)"
                     % (call.var, nd, weight.shape[1], weight.shape[0], tuple(kernel),
                        tuple(strides), padding, dilated, has_bias))
    lines.append("x = self.%s(x)" % call.var)
    if crop is not None:
        lines.append("x = x[:, :, %s]" % ", ".join(":%d" % c for c in crop))
    if channels_last:
        lines.append(to_channels_last(nd))
    return lines + call.activation(layer.activation)


@translates(Convolution1D)
def convolution1d(call):
    layer = call.layer
    return convolution(call, 1, True, (layer.filter_length,), (layer.subsample_length,))


@translates(Convolution2D)
def convolution2d(call):
    layer = call.layer
    return convolution(call, 2, layer.dim_ordering == "tf", (layer.nb_row, layer.nb_col),
                       layer.subsample)


@translates(Convolution3D)
def convolution3d(call):
    layer = call.layer
    return convolution(call, 3, layer.dim_ordering == "tf",
                       (layer.kernel_dim1, layer.kernel_dim2, layer.kernel_dim3), layer.subsample)


# -- dilated, transposed and separable convolutions ----------------------------------------
@translates(AtrousConvolution1D)
def atrous_convolution1d(call):
    layer = call.layer
    return convolution(call, 1, True, (layer.filter_length,), (layer.subsample_length,),
                       dilation=(layer.atrous_rate,))


@translates(AtrousConvolution2D)
def atrous_convolution2d(call):
    layer = call.layer
    return convolution(call, 2, layer.dim_ordering == "tf", (layer.nb_row, layer.nb_col),
                       layer.subsample, dilation=layer.atrous_rate)


def _deconvolution_start(n_in, n_out, k, s, border_mode, backend):
    """Where the layer's output starts in the full transposed result: the padding the forward
    convolution (output -> input) would have put before the data."""
    if border_mode == "valid":
        return 0
    if border_mode == "full":
        return k - 1
    if backend == "theano":
        return k // 2
    return max((n_in - 1) * s + k - n_out, 0) // 2


def _slice_text(cut):
    if cut is None:
        return ":"
    return "%s:%d" % (cut[0] or "", cut[1])


@translates(Deconvolution2D)
def deconvolution2d(call):
    layer = call.layer
    backend = layer.backend or "tensorflow"  # the numerics of 'same' padding
    channels_last = layer.dim_ordering == "tf"
    # (input channels, nb_filter, r, c): the torch layout
    weight = layer.weight.detach()
    spatial = spatial_size(call, 2, channels_last)
    kernel, strides = (layer.nb_row, layer.nb_col), tuple(layer.subsample)
    # nn.ConvTranspose2d(padding=p, output_padding=q) keeps full[p:(n_in - 1) * s + k - p + q]
    # (q < stride; zeros past the end of full). The layer keeps full[start:start + n_out]
    # (zeros past the end): padding=start when that reaches far enough, else cut it out after.
    paddings, output_paddings, cuts, fills = [], [], [], []
    for n_in, n_out, k, s in zip(spatial, (layer.out_rows, layer.out_cols), kernel, strides):
        start = _deconvolution_start(n_in, n_out, k, s, layer.border_mode, backend)
        full = (n_in - 1) * s + k
        short = n_out - (full - 2 * start)  # what output_padding would have to add
        if full - 2 * start >= 1 and short < s:
            pad, extra, offset = start, max(short, 0), 0
        else:
            pad, extra, offset = 0, 0, start
        length = full - 2 * pad + extra
        fill = max(offset + n_out - length, 0)
        keep = (offset, offset + n_out)
        paddings.append(pad)
        output_paddings.append(extra)
        fills.append(fill)
        cuts.append(None if keep == (0, length + fill) else keep)
    has_bias = layer.bias is not None
    # Zeros added after the convolution still get the bias, as in the layer: add it last then.
    bias_in_module = has_bias and not any(fills)
    options = ""
    if any(paddings):
        options += ", padding=%s" % (tuple(paddings),)
    if any(output_paddings):
        options += ", output_padding=%s" % (tuple(output_paddings),)
    call.src.declare("self.%s = nn.ConvTranspose2d(%d, %d, kernel_size=%s, stride=%s%s, bias=%s)"
                     % (call.var, weight.shape[0], weight.shape[1], kernel, strides, options,
                        bias_in_module))
    call.src.param(call.var + ".weight", weight)
    if bias_in_module:
        call.src.param(call.var + ".bias", layer.bias)
    elif has_bias:
        call.src.parameter(call.var + "_bias", layer.bias)
    lines = [to_channels_first(2)] if channels_last else []
    lines.append("x = self.%s(x)" % call.var)
    if any(fills):
        lines.append("x = F.pad(x, %s)  # zeros up to output_shape"
                     % (pad_argument([(0, f) for f in fills]),))
    if any(cuts):
        lines.append("x = x[:, :, %s]" % ", ".join(_slice_text(cut) for cut in cuts))
    if has_bias and not bias_in_module:
        lines.append("x = x + self.%s_bias.view(1, -1, 1, 1)" % call.var)
    if channels_last:
        lines.append(to_channels_last(2))
    return lines + call.activation(layer.activation)


@translates(SeparableConvolution2D)
def separable_convolution2d(call):
    layer = call.layer
    channels_last = layer.dim_ordering == "tf"
    spatial = spatial_size(call, 2, channels_last)
    kernel, strides = (layer.nb_row, layer.nb_col), tuple(layer.subsample)
    channels, multiplier = layer.input_channels, layer.depth_multiplier
    # Keras 1.2.2 has this layer on TensorFlow only: cross-correlation, TF 'same' padding.
    pads, _ = geometry.conv_padding(spatial, kernel, strides, layer.border_mode, "tensorflow")
    lines = [to_channels_first(2)] if channels_last else []
    padding, pad_line = padding_option(pads)
    lines += [pad_line] if pad_line else []
    has_bias = layer.bias is not None
    call.src.declare("self.%s_depthwise = nn.Conv2d(%d, %d, kernel_size=%s, stride=%s%s, "
                     "groups=%d, bias=False)" % (call.var, channels, channels * multiplier,
                                                 kernel, strides, padding, channels))
    call.src.declare("self.%s_pointwise = nn.Conv2d(%d, %d, kernel_size=1, bias=%s)"
                     % (call.var, channels * multiplier, layer.nb_filter, has_bias))
    call.src.param(call.var + "_depthwise.weight", layer.depthwise)
    call.src.param(call.var + "_pointwise.weight", layer.pointwise)
    if has_bias:
        call.src.param(call.var + "_pointwise.bias", layer.bias)
    lines.append("x = self.%s_pointwise(self.%s_depthwise(x))  # depthwise (channel c * %d + m), "
                 "then pointwise 1x1" % (call.var, call.var, multiplier))
    if channels_last:
        lines.append(to_channels_last(2))
    return lines + call.activation(layer.activation)


# -- padding, cropping, upsampling -----------------------------------------------------------
def _spatial_axes(call, nd):
    """The tensor axes of the ``nd`` spatial dimensions, in the layer's own layout."""
    if nd == 1 or call.layer.dim_ordering == "tf":
        return tuple(range(1, nd + 1))
    return tuple(range(2, nd + 2))


def _zero_padding(call, pads):
    """``pads``: ``(before, after)`` per spatial axis, in the layer's order of axes."""
    nd = len(pads)
    if not any(a or b for a, b in pads):
        return ["# no padding: the identity"]
    channels_after = nd == 1 or call.layer.dim_ordering == "tf"
    if channels_after:
        pads = pads + [(0, 0)]  # F.pad lists the last axis (the channels here) first
    return ["x = F.pad(x, %s)" % (pad_argument(pads),)]


@translates(ZeroPadding1D)
def zero_padding1d(call):
    layer = call.layer
    return _zero_padding(call, [(layer.left_pad, layer.right_pad)])


@translates(ZeroPadding2D)
def zero_padding2d(call):
    layer = call.layer
    return _zero_padding(call, [(layer.top_pad, layer.bottom_pad),
                                (layer.left_pad, layer.right_pad)])


@translates(ZeroPadding3D)
def zero_padding3d(call):
    return _zero_padding(call, list(call.layer.pads))


def _slice(before, after):
    return "%s:%s" % (before or "", "-%d" % after if after else "")


def _cropping(call, pairs):
    axes = _spatial_axes(call, len(pairs))
    index = [":"] * (axes[-1] + 1)
    for axis, (before, after) in zip(axes, pairs):
        index[axis] = _slice(before, after)
    return ["x = x[%s]" % ", ".join(index)]


@translates(Cropping1D)
def cropping1d(call):
    return _cropping(call, [call.layer.cropping])  # Keras 1: one (left, right) pair


@translates(Cropping2D, Cropping3D)
def cropping_nd(call):
    return _cropping(call, list(call.layer.cropping))


def _up_sampling(call, sizes):
    lines = ["x = x.repeat_interleave(%d, dim=%d)" % (factor, axis)
             for axis, factor in zip(_spatial_axes(call, len(sizes)), sizes) if factor != 1]
    return lines or ["# upsampling by 1: the identity"]


@translates(UpSampling1D)
def up_sampling1d(call):
    return _up_sampling(call, (call.layer.length,))


@translates(UpSampling2D, UpSampling3D)
def up_sampling_nd(call):
    return _up_sampling(call, tuple(call.layer.size))
