"""Keras-1 weight initializers (``keras.initializations``) producing torch tensors.

Every initializer is ``f(shape, ..., name=None, dim_ordering='th')`` and returns a CPU tensor
of dtype ``floatx()`` (float32 by default). Random values come from **NumPy's global RNG**
(``np.random.uniform`` / ``np.random.normal``, drawn in float64 and then cast), exactly as the
Keras-1 Theano backend drew them, so ``np.random.seed(s)`` reproduces Theano-Keras-1 weights.
"""
import functools
import inspect

import numpy as np
import torch

from keras_compat import _registry
from keras_compat._registry import get_from_module as get_from_module  # Keras 1 exposed it here
from keras_compat.backend import config

__all__ = ["get_fans", "uniform", "normal", "lecun_uniform", "glorot_normal", "glorot_uniform",
           "he_normal", "he_uniform", "orthogonal", "identity", "zero", "one", "get", "serialize"]


def _shape(shape):
    return tuple(int(d) for d in shape)


def _to_tensor(array, name=None):
    return _named(torch.from_numpy(np.array(array, dtype=config.floatx())), name)


def _named(tensor, name):
    """Keras 1 returned ``K.variable(value, name=name)``: keep the name, as K.variable does, so a
    layer listing the tensor in its weights reports the Keras-1 weight name."""
    if name is not None:
        tensor._keras_name = name
    return tensor


def get_fans(shape, dim_ordering="th"):
    """``(fan_in, fan_out)`` with Keras 1.2.2's ``get_fans`` rules.

    2-D: ``(shape[0], shape[1])``. 4-D/5-D ``'th'``: receptive field ``prod(shape[2:])``.
    4-D/5-D ``'tf'``: receptive field ``prod(shape[:2])`` only (so a 5-D ``tf`` kernel misses its
    third spatial dim, as in Keras 1). Any other rank: both fans are ``sqrt(prod(shape))``.
    """
    shape = _shape(shape)
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) in (4, 5):
        if dim_ordering == "th":
            receptive_field = int(np.prod(shape[2:]))
            return shape[1] * receptive_field, shape[0] * receptive_field
        if dim_ordering == "tf":
            receptive_field = int(np.prod(shape[:2]))
            return shape[-2] * receptive_field, shape[-1] * receptive_field
        raise ValueError("Invalid dim_ordering: " + str(dim_ordering))
    fan = float(np.sqrt(np.prod(shape)))
    return fan, fan


def uniform(shape, scale=0.05, name=None, dim_ordering="th"):
    """U(-scale, scale)."""
    return _to_tensor(np.random.uniform(low=-scale, high=scale, size=_shape(shape)), name)


def normal(shape, scale=0.05, name=None, dim_ordering="th"):
    """N(0, scale), not truncated."""
    return _to_tensor(np.random.normal(loc=0.0, scale=scale, size=_shape(shape)), name)


def lecun_uniform(shape, name=None, dim_ordering="th"):
    fan_in, _ = get_fans(shape, dim_ordering=dim_ordering)
    return uniform(shape, np.sqrt(3.0 / fan_in), name=name)


def glorot_normal(shape, name=None, dim_ordering="th"):
    fan_in, fan_out = get_fans(shape, dim_ordering=dim_ordering)
    return normal(shape, np.sqrt(2.0 / (fan_in + fan_out)), name=name)


def glorot_uniform(shape, name=None, dim_ordering="th"):
    fan_in, fan_out = get_fans(shape, dim_ordering=dim_ordering)
    return uniform(shape, np.sqrt(6.0 / (fan_in + fan_out)), name=name)


def he_normal(shape, name=None, dim_ordering="th"):
    fan_in, _ = get_fans(shape, dim_ordering=dim_ordering)
    return normal(shape, np.sqrt(2.0 / fan_in), name=name)


def he_uniform(shape, name=None, dim_ordering="th"):
    fan_in, _ = get_fans(shape, dim_ordering=dim_ordering)
    return uniform(shape, np.sqrt(6.0 / fan_in), name=name)


def orthogonal(shape, scale=1.1, name=None, dim_ordering="th"):
    """SVD of an N(0, 1) draw of shape ``(shape[0], prod(shape[1:]))``, times ``scale``."""
    shape = _shape(shape)
    flat_shape = (shape[0], int(np.prod(shape[1:])))
    a = np.random.normal(0.0, 1.0, flat_shape)
    u, _, v = np.linalg.svd(a, full_matrices=False)
    q = u if u.shape == flat_shape else v
    q = q.reshape(shape)
    return _to_tensor(scale * q[:shape[0], :shape[1]], name)


def identity(shape, scale=1, name=None, dim_ordering="th"):
    """``scale * I``; only for 2-D square shapes."""
    shape = _shape(shape)
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError("Identity matrix initialization can only be used "
                         "for 2D square matrices (got shape %r)." % (shape,))
    return _to_tensor(scale * np.identity(shape[0]), name)


def zero(shape, name=None, dim_ordering="th"):
    return _named(torch.zeros(_shape(shape), dtype=getattr(torch, config.floatx())), name)


def one(shape, name=None, dim_ordering="th"):
    return _named(torch.ones(_shape(shape), dtype=getattr(torch, config.floatx())), name)


_INITIALIZERS = {fn.__name__: fn for fn in (
    uniform, normal, lecun_uniform, glorot_normal, glorot_uniform, he_normal, he_uniform,
    orthogonal, identity, zero, one)}

# Keras-2 spellings whose Keras-1 counterpart has the same defaults.
_KERAS2_ALIASES = {
    "zeros": zero, "Zeros": zero,
    "ones": one, "Ones": one,
    "random_uniform": uniform, "RandomUniform": uniform,
    "random_normal": normal, "RandomNormal": normal,
    "Orthogonal": orthogonal, "Identity": identity,
    "GlorotUniform": glorot_uniform, "GlorotNormal": glorot_normal,
    "HeNormal": he_normal, "HeUniform": he_uniform, "LecunUniform": lecun_uniform,
}



def get(identifier, **kwargs):
    """A Keras-1 name (or a Keras-2 name that maps), or a callable (returned as is, or wrapped
    to be called without ``name``: see ``_with_keras1_name``).

    Extra keyword arguments are accepted and ignored, as in Keras 1.
    """
    return INITIALIZATIONS.get(identifier)


def _with_keras1_name(init):
    """Keras 1 always called an initializer as ``init(shape, name=...)``, so user callables could
    require ``name`` (the IRNN example's ``lambda shape, name: normal(shape, scale=0.001,
    name=name)``).  Such a callable is wrapped to receive ``name=None`` when a layer here calls
    it with the shape only; any other callable is returned unchanged."""
    try:
        parameters = list(inspect.signature(init).parameters.values())
    except (TypeError, ValueError):
        return init
    required = [p for p in parameters[1:] if p.default is p.empty
                and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if not any(p.name == "name" for p in required):
        return init

    @functools.wraps(init)
    def keras1_initializer(shape, *args, **kwargs):
        if not args:
            kwargs.setdefault("name", None)
        return init(shape, *args, **kwargs)

    keras1_initializer.keras1_initializer = init
    return keras1_initializer


INITIALIZATIONS = _registry.Vocabulary("initialization", _INITIALIZERS, aliases=_KERAS2_ALIASES,
                                       adopt=_with_keras1_name)


def serialize(initializer):
    """The name stored in a Keras-1 layer config (e.g. ``'glorot_uniform'``)."""
    return _registry.name_of(initializer)
