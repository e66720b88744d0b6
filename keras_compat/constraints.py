"""Keras-1 weight constraints (``keras.constraints``) over torch tensors.

A constraint is called on a weight tensor **in Keras-1 layout** (axis 0 of a Dense ``W`` of
shape ``(input_dim, output_dim)`` is the input axis) and returns the constrained tensor; the
input is not modified. The optimizer applies it to each updated parameter after every step.
"""
import torch

from keras_compat import _registry
from keras_compat._registry import get_from_module as get_from_module  # Keras 1 exposed it here
from keras_compat.backend import config

__all__ = ["Constraint", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm",
           "maxnorm", "nonneg", "unitnorm", "get", "serialize"]


def _dims(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _norms(p, axis):
    return torch.sqrt(torch.sum(torch.square(p), dim=_dims(axis), keepdim=True))


class Constraint(object):
    """Base class: the identity."""

    def __call__(self, p):
        return p

    def get_config(self):
        return {"name": self.__class__.__name__}

    def __repr__(self):
        params = ", ".join("%s=%r" % kv for kv in sorted(self.get_config().items())
                           if kv[0] != "name")
        return "%s(%s)" % (self.__class__.__name__, params)


class MaxNorm(Constraint):
    """Rescale slices whose L2 norm ``n`` over ``axis`` exceeds ``m``.

    ``p * clip(n, 0, m) / (eps + n)``.
    """

    def __init__(self, m=2, axis=0):
        self.m = m
        self.axis = axis

    def __call__(self, p):
        norms = _norms(p, self.axis)
        desired = torch.clamp(norms, 0, self.m)
        return p * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"name": self.__class__.__name__, "m": self.m, "axis": self.axis}


class NonNeg(Constraint):
    """Zero out negative entries: ``p * (p >= 0)``."""

    def __call__(self, p):
        return p * (p >= 0).to(p.dtype)


class UnitNorm(Constraint):
    """``p / (eps + ||p||)`` with the norm taken over ``axis``."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, p):
        return p / (config.epsilon() + _norms(p, self.axis))

    def get_config(self):
        return {"name": self.__class__.__name__, "axis": self.axis}


class MinMaxNorm(Constraint):
    """``p * (rate * clip(n, low, high) + (1 - rate) * n) / (eps + n)``, norms over ``axis``."""

    def __init__(self, low=0.0, high=1.0, rate=1.0, axis=0):
        self.low = low
        self.high = high
        self.rate = rate
        self.axis = axis

    def __call__(self, p):
        norms = _norms(p, self.axis)
        high = self.high if self.high >= self.low else self.low  # K.clip with hi < lo
        desired = self.rate * torch.clamp(norms, self.low, high) + (1 - self.rate) * norms
        return p * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"name": self.__class__.__name__, "low": self.low, "high": self.high,
                "rate": self.rate, "axis": self.axis}


# Keras-1 lowercase aliases (the classes themselves).
maxnorm = MaxNorm
nonneg = NonNeg
unitnorm = UnitNorm

_CONSTRAINTS = {
    "Constraint": Constraint, "MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm, "maxnorm": MaxNorm, "nonneg": NonNeg, "unitnorm": UnitNorm,
    # Keras-2 spellings
    "max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm,
}


def _from_keras2(name, params):
    params = dict(params)
    if name in ("MinMaxNorm", "min_max_norm"):
        if "min_value" in params:
            params["low"] = params.pop("min_value")
        if "max_value" in params:
            params["high"] = params.pop("max_value")
    elif "max_value" in params:
        params["m"] = params.pop("max_value")
    return params


CONSTRAINTS = _registry.Vocabulary("constraint", _CONSTRAINTS, none=None, instantiate=True,
                                  keras2_config=_from_keras2)


def get(identifier, kwargs=None):
    """``None`` -> ``None``; an instance/callable -> itself; a name is instantiated
    (``'maxnorm'`` -> ``MaxNorm()``, with ``kwargs`` if given); a config dict
    ``{'name': 'MaxNorm', 'm': 2, 'axis': 0}`` (or Keras-2 ``{'class_name', 'config'}``) too.
    """
    return CONSTRAINTS.get(identifier, kwargs)


def serialize(constraint):
    """The Keras-1 config dict (``None`` for no constraint)."""
    return CONSTRAINTS.serialize(constraint)
