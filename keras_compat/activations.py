"""Keras-1 activation functions over torch tensors (``keras.activations``).

Each function maps a tensor to a tensor of the same shape. ``get(identifier)`` resolves the
names a Keras-1 layer accepts for ``activation=``; ``None`` means ``linear``.
"""
import torch
import torch.nn.functional as F

from keras_compat import _registry
from keras_compat._registry import get_from_module as get_from_module  # Keras 1 exposed it here

__all__ = ["softmax", "elu", "softplus", "softsign", "relu", "tanh", "sigmoid",
           "hard_sigmoid", "linear", "get", "serialize"]


def softmax(x):
    """Softmax over the last axis; Keras 1 only allows 2-D and 3-D tensors."""
    ndim = x.dim()
    if ndim not in (2, 3):
        raise ValueError("Cannot apply softmax to a tensor that is not 2D or 3D. "
                         "Here, ndim=%d" % ndim)
    return torch.softmax(x, dim=-1)


def elu(x, alpha=1.0):
    """``x`` for ``x > 0`` else ``alpha * (exp(x) - 1)``."""
    return F.elu(x, alpha=alpha)


def softplus(x):
    """``log(1 + exp(x))``."""
    return F.softplus(x)


def softsign(x):
    """``x / (1 + |x|)``."""
    return x / (torch.abs(x) + 1.0)


def relu(x, alpha=0.0, max_value=None):
    """``K.relu``: ``relu(x)`` clipped to ``max_value``, minus ``alpha * relu(-x)``."""
    y = torch.relu(x)
    if max_value is not None:
        y = torch.clamp(y, max=max_value)
    if alpha:
        y = y - alpha * torch.relu(-x)
    return y


def tanh(x):
    return torch.tanh(x)


def sigmoid(x):
    return torch.sigmoid(x)


def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)`` (the Keras-1 recurrent gate default)."""
    return torch.clamp(x * 0.2 + 0.5, 0.0, 1.0)


def linear(x):
    """The identity."""
    return x


_ACTIVATIONS = {fn.__name__: fn for fn in (
    softmax, elu, softplus, softsign, relu, tanh, sigmoid, hard_sigmoid, linear)}


ACTIVATIONS = _registry.Vocabulary("activation function", _ACTIVATIONS, none=linear)


def get(identifier):
    """``None`` -> :func:`linear`; a name -> its function; a callable -> itself."""
    return ACTIVATIONS.get(identifier)


def serialize(activation):
    """The name stored in a Keras-1 layer config (``'linear'`` for ``None``)."""
    return ACTIVATIONS.serialize(activation)
