"""Shared machinery of the convolution layers: alias rules, padding and the torch call.

Data stays in the Keras layout at the layer boundary; the helpers here take channels-first
views (``(batch, channels, *spatial)``) and emulate the numerics of the configured Keras-1
backend (semantics.md 3.1, 3.3):

* ``'tensorflow'``: cross-correlation (``F.conv2d`` as is), ``'same'`` padding split with the
  extra element at the end;
* ``'theano'``: true convolution (kernel flipped on every spatial axis), ``'same'`` padding of
  ``k // 2`` on both sides, then the output cropped to ``ceil(n / stride)`` from the start.
"""
import functools

import torch.nn.functional as F

from keras_compat._args import groups, values
from keras_compat._args.rules import ArgumentError, Custom

BORDER_MODES = ("valid", "same", "full")

_CONV_FUNCS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


# -- alias rules --------------------------------------------------------------------------
def _kernel_size_2d(owner, value, kwargs):
    size = values.to_tuple(owner, "kernel_size", value, 2)
    return {"nb_row": size[0], "nb_col": size[1]}


def _kernel_size_1d(owner, value, kwargs):
    size = values.to_tuple(owner, "kernel_size", value, 1)
    return {"filter_length": size[0]}


def _strides_1d(owner, value, kwargs):
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
    Custom("kernel_size", _kernel_size_2d, "kernel_size=(r, c) (or an int) sets nb_row, nb_col",
           example=(3, 3)),
    DILATION_RULE,
) + groups.KERNEL_ARGS

CONV1D_ARGS = tuple(r for r in groups.CONV_ARGS
                    if not set(r.names()) & {"dilation_rate", "strides", "data_format"}
                    and getattr(r, "arg", None) != "dim_ordering") + (
    Custom("kernel_size", _kernel_size_1d, "kernel_size=k (or (k,)) sets filter_length",
           example=3),
    Custom("strides", _strides_1d, "strides=s (or (s,)) sets subsample_length", example=1),
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


# -- numerics -----------------------------------------------------------------------------
def check_border_mode(owner, border_mode):
    return values.check_choice(owner, "border_mode", border_mode, BORDER_MODES)


def output_length(layer, input_length, kernel, border_mode, stride, input_shape, kernel_desc,
                  what="kernel", dilation=1):
    """``conv_output_length`` that refuses an empty output at build time."""
    length = values.conv_output_length(input_length, kernel, border_mode, stride, dilation)
    if length is not None and length <= 0:
        raise ValueError("Layer %s (%s): input shape %s is too small for the %s %s with "
                         "border_mode=%r (the output would have length %d)"
                         % (layer.name, type(layer).__name__, tuple(input_shape), what,
                            tuple(kernel_desc), border_mode, length))
    return length


def conv_nd(x, weight, bias, strides, border_mode, backend, dilation=None):
    """Convolution of a channels-first ``x`` with a torch-layout ``weight``.

    ``backend`` picks the Keras-1 numerics: Theano flips the kernel and aligns ``'same'``
    padding symmetrically (cropping the surplus at the end), TensorFlow does not flip and
    pads the extra element at the end. ``dilation`` (one int per spatial axis, default 1)
    is the atrous rate; padding then uses the dilated kernel extent.
    """
    nd = weight.dim() - 2
    dilation = tuple(dilation) if dilation is not None else (1,) * nd
    if backend == "theano":
        weight = weight.flip(tuple(range(2, 2 + nd)))
    pads, crop = values.conv_padding(tuple(x.shape[2:]), tuple(weight.shape[2:]), strides,
                                     border_mode, backend, dilation)
    if all(a == b for a, b in pads):
        y = _CONV_FUNCS[nd](x, weight, bias, stride=tuple(strides),
                            padding=tuple(a for a, _ in pads), dilation=dilation)
    else:
        flat = []
        for before, after in reversed(pads):
            flat.extend((before, after))
        y = _CONV_FUNCS[nd](F.pad(x, flat), weight, bias, stride=tuple(strides),
                            dilation=dilation)
    if crop is not None:
        y = y[(slice(None), slice(None)) + tuple(slice(0, c) for c in crop)]
    return y
