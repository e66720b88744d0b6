"""Keras-1 losses (``keras.objectives``) over torch tensors.

Every loss is ``f(y_true, y_pred)`` and returns a per-sample tensor: the last axis is reduced
(``(batch, dim) -> (batch,)``, ``(batch, time, dim) -> (batch, time)``). Clipping uses
``K.epsilon()`` (1e-7) exactly as Keras 1 did: ``categorical_crossentropy`` renormalises the
predictions and **sums** over classes, ``binary_crossentropy`` **means** over the last axis, so a
perfect float32 prediction still costs ``-log(float32(1 - 1e-7)) = 1.1921e-07``.
Where the two Keras-1 backends differ in rounding only (binary / sparse crossentropy, the
``l2_normalize`` of ``cosine_proximity``) the emulated ``config.backend()`` decides.
"""
import torch

from keras_compat import _registry
from keras_compat._registry import get_from_module as get_from_module  # Keras 1 exposed it here
from keras_compat.backend import config

__all__ = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
           "mean_squared_logarithmic_error", "squared_hinge", "hinge",
           "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
           "kullback_leibler_divergence", "poisson", "cosine_proximity",
           "mse", "mae", "mape", "msle", "kld", "cosine", "MSE", "MAE", "MAPE", "MSLE", "KLD",
           "get", "serialize"]


def mean_squared_error(y_true, y_pred):
    return torch.mean(torch.square(y_pred - y_true), dim=-1)


def mean_absolute_error(y_true, y_pred):
    return torch.mean(torch.abs(y_pred - y_true), dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=config.epsilon()))
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    eps = config.epsilon()
    first_log = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second_log = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.mean(torch.square(first_log - second_log), dim=-1)


def squared_hinge(y_true, y_pred):
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


def hinge(y_true, y_pred):
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


def categorical_crossentropy(y_true, y_pred):
    """``-sum(y_true * log(clip(y_pred / sum(y_pred), eps, 1 - eps)), -1)``."""
    eps = config.epsilon()
    p = torch.clamp(y_pred / y_pred.sum(dim=-1, keepdim=True), eps, 1.0 - eps)
    return -(y_true * torch.log(p)).sum(dim=-1)


def sparse_categorical_crossentropy(y_true, y_pred):
    """Integer class ids of shape ``y_pred.shape[:-1] + (1,)`` (or flattened) -> per-sample CE.

    TensorFlow backend: ``-log(clip(p)[t] / sum(clip(p)))``; Theano backend: one-hot then
    :func:`categorical_crossentropy` (renormalise, then clip).
    """
    eps = config.epsilon()
    target = y_true.reshape(tuple(y_pred.shape[:-1]) + (1,)).long()
    if config.backend() == "theano":
        p = torch.clamp(y_pred / y_pred.sum(dim=-1, keepdim=True), eps, 1.0 - eps)
        return -torch.log(torch.gather(p, -1, target)).squeeze(-1)
    p = torch.clamp(y_pred, eps, 1.0 - eps)
    picked = torch.gather(p, -1, target).squeeze(-1)
    return torch.log(p.sum(dim=-1)) - torch.log(picked)


def binary_crossentropy(y_true, y_pred):
    """``mean(-[y log p + (1 - y) log(1 - p)], -1)`` with ``p = clip(y_pred, eps, 1 - eps)``."""
    eps = config.epsilon()
    p = torch.clamp(y_pred, eps, 1.0 - eps)
    if config.backend() == "theano":
        ce = -(y_true * torch.log(p) + (1.0 - y_true) * torch.log(1.0 - p))
    else:
        # TF 1.x: sigmoid_cross_entropy_with_logits(logits=log(p / (1 - p))), i.e.
        # max(x, 0) - x * y + log1p(exp(-|x|)) (torch's fused version rounds differently).
        x = torch.log(p / (1.0 - p))
        ce = torch.relu(x) - x * y_true + torch.log1p(torch.exp(-torch.abs(x)))
    return torch.mean(ce, dim=-1)


def kullback_leibler_divergence(y_true, y_pred):
    eps = config.epsilon()
    y_true = torch.clamp(y_true, eps, 1.0)
    y_pred = torch.clamp(y_pred, eps, 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    return torch.mean(y_pred - y_true * torch.log(y_pred + config.epsilon()), dim=-1)


def _l2_normalize(x):
    """``K.l2_normalize(x, axis=-1)``: TF guards the squared norm with 1e-12, Theano does not."""
    square_sum = torch.sum(torch.square(x), dim=-1, keepdim=True)
    if config.backend() == "theano":
        return x / torch.sqrt(square_sum)
    return x * torch.rsqrt(torch.clamp(square_sum, min=1e-12))


def cosine_proximity(y_true, y_pred):
    """``-mean(l2_normalize(y_true) * l2_normalize(y_pred), -1)`` (a mean, not a sum)."""
    return -torch.mean(_l2_normalize(y_true) * _l2_normalize(y_pred), dim=-1)


# Aliases (Keras 1.2.2 defines both cases).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence
cosine = cosine_proximity

_LOSSES = {fn.__name__: fn for fn in (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, squared_hinge, hinge, categorical_crossentropy,
    sparse_categorical_crossentropy, binary_crossentropy, kullback_leibler_divergence,
    poisson, cosine_proximity)}
_LOSSES.update(mse=mse, mae=mae, mape=mape, msle=msle, kld=kld, cosine=cosine,
               MSE=MSE, MAE=MAE, MAPE=MAPE, MSLE=MSLE, KLD=KLD)


OBJECTIVES = _registry.Vocabulary("objective", _LOSSES)


def get(identifier):
    """A loss name (or alias) -> its function; a callable -> itself."""
    return OBJECTIVES.get(identifier)


def serialize(loss):
    """The name Keras 1 records (``fn.__name__``: ``mse`` -> ``'mean_squared_error'``)."""
    return _registry.name_of(loss)
