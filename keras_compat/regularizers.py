"""Keras-1 weight and activity regularizers (``keras.regularizers``) over torch tensors.

A regularizer is called on a weight tensor (or, as an activity regularizer, on a whole batch
of layer outputs) and returns the scalar penalty that is added, unscaled, to the loss.
In Keras 1.2.2 ``WeightRegularizer`` and ``ActivityRegularizer`` are the same class,
``L1L2Regularizer``; its factors are stored as float32 (``K.cast_to_floatx``), which is why a
config reads ``'l2': 0.009999999776482582`` for ``l2(0.01)``.
"""
import warnings

import numpy as np
import torch

from keras_compat import _registry
from keras_compat._registry import get_from_module as get_from_module  # Keras 1 exposed it here
from keras_compat.backend import config

__all__ = ["Regularizer", "L1L2Regularizer", "WeightRegularizer", "ActivityRegularizer",
           "EigenvalueRegularizer", "l1", "l2", "l1l2", "l1_l2", "activity_l1", "activity_l2",
           "activity_l1l2", "get", "serialize"]


def _floatx(value):
    return np.asarray(value, dtype=config.floatx())


class Regularizer(object):
    """Base class: no penalty."""

    def __call__(self, x):
        return 0

    def get_config(self):
        return {"name": self.__class__.__name__}

    def set_param(self, _):
        warnings.warn("The `set_param` method on regularizers is deprecated. "
                      "It no longer does anything.")

    def set_layer(self, _):
        warnings.warn("The `set_layer` method on regularizers is deprecated. "
                      "It no longer does anything.")

    def __repr__(self):
        params = ", ".join("%s=%r" % kv for kv in sorted(self.get_config().items())
                           if kv[0] != "name")
        return "%s(%s)" % (self.__class__.__name__, params)


class L1L2Regularizer(Regularizer):
    """``sum(l1 * |x|) + sum(l2 * x**2)`` (no 1/2 factor, no batch normalisation)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _floatx(l1)
        self.l2 = _floatx(l2)

    def __call__(self, x):
        penalty = None
        if self.l1:
            penalty = torch.sum(float(self.l1) * torch.abs(x))
        if self.l2:
            term = torch.sum(float(self.l2) * torch.square(x))
            penalty = term if penalty is None else penalty + term
        if penalty is None:
            return x.new_zeros(()) if isinstance(x, torch.Tensor) else 0
        return penalty

    def get_config(self):
        return {"name": self.__class__.__name__, "l1": float(self.l1), "l2": float(self.l2)}


# Keras 1.2.2 aliases: the same class (so configs say 'L1L2Regularizer').
WeightRegularizer = L1L2Regularizer
ActivityRegularizer = L1L2Regularizer


class EigenvalueRegularizer(Regularizer):
    """``k * sqrt(dominant eigenvalue of x^T x)``, via 9 power iterations from a ones vector.

    Only for rank-2 weights.
    """

    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        if x.dim() != 2:
            raise ValueError("EigenvalueRegularizer is only available for tensors of rank 2 "
                             "(got rank %d)." % x.dim())
        covariance = x.t() @ x
        vector = covariance @ torch.ones((covariance.shape[0], 1), dtype=x.dtype,
                                         device=x.device)
        for _ in range(8):
            vector = covariance @ vector
        projected = covariance @ vector
        eigenvalue = (projected.t() @ vector) / (vector.t() @ vector)
        return torch.sum(eigenvalue ** 0.5 * self.k)

    def get_config(self):
        # Keras 1.2.2 stored only the name; 'k' is added so that get(config) works.
        return {"name": self.__class__.__name__, "k": self.k}


def l1(l=0.01):
    return L1L2Regularizer(l1=l)


def l2(l=0.01):
    return L1L2Regularizer(l2=l)


def l1l2(l1=0.01, l2=0.01):
    return L1L2Regularizer(l1=l1, l2=l2)


# Keras 1.2.2's activity_* functions built the same regularizer as l1/l2/l1l2 (the layer's
# argument decides whether it penalises weights or the output); l1_l2 is Keras 2's spelling.
activity_l1, activity_l2, activity_l1l2, l1_l2 = l1, l2, l1l2, l1l2


_REGULARIZERS = {
    "Regularizer": Regularizer,
    "L1L2Regularizer": L1L2Regularizer,
    "WeightRegularizer": L1L2Regularizer,
    "ActivityRegularizer": L1L2Regularizer,
    "EigenvalueRegularizer": EigenvalueRegularizer,
    "L1L2": L1L2Regularizer,  # Keras-2 class name
    "l1": l1, "l2": l2, "l1l2": l1l2, "l1_l2": l1_l2,
    "activity_l1": activity_l1, "activity_l2": activity_l2, "activity_l1l2": activity_l1l2,
}


REGULARIZERS = _registry.Vocabulary("regularizer", _REGULARIZERS, none=None, instantiate=True)


def get(identifier, kwargs=None):
    """Resolve a regularizer the way Keras 1 did.

    ``None`` -> ``None``; an instance or other callable -> itself; a name is **called**
    (``'l2'`` -> ``l2(0.01)``, with ``kwargs`` if given); a config dict
    ``{'name': 'L1L2Regularizer', 'l1': ..., 'l2': ...}`` (or a Keras-2
    ``{'class_name': 'L1L2', 'config': {...}}``) is instantiated.
    """
    return REGULARIZERS.get(identifier, kwargs)


def serialize(regularizer):
    """The Keras-1 config dict (``None`` for no regularizer)."""
    return REGULARIZERS.serialize(regularizer)
