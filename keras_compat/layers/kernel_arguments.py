"""The regularizer, constraint and bias arguments every Keras-1 kernel layer shares."""
import torch

from keras_compat import constraints, regularizers


def store_kernel_arguments(layer, W_regularizer, b_regularizer, activity_regularizer,
                           W_constraint, b_constraint, bias):
    """Resolve and store them under their Keras-1 names (``get_config`` echoes those)."""
    layer.W_regularizer = regularizers.get(W_regularizer)
    layer.b_regularizer = regularizers.get(b_regularizer)
    layer.activity_regularizer = regularizers.get(activity_regularizer)
    layer.W_constraint = constraints.get(W_constraint)
    layer.b_constraint = constraints.get(b_constraint)
    layer.has_bias = bool(bias)


def allocate_bias(layer, shape):
    """Register ``layer.bias`` (uninitialised) or, for ``bias=False``, a ``None`` bias."""
    if layer.has_bias:
        layer.bias = torch.nn.Parameter(torch.empty(shape))
    else:
        layer.register_parameter("bias", None)
