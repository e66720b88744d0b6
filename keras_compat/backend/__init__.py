"""``keras.backend`` (``K``): Keras-1 configuration functions and variables over torch.

The configuration and naming state live in ``config`` and ``naming``; this module is
the Keras-1 facade legacy code imports as ``from keras import backend as K``.
"""
import numpy as np
import torch

from keras_compat.backend.config import (backend, epsilon, floatx, image_dim_ordering,
                                         set_epsilon, set_floatx, set_image_dim_ordering)
from keras_compat.backend.naming import get_uid, reset_uids


def clear_session():
    """Reset layer-name counters (``dense_1`` again), as ``K.clear_session()`` did on TF."""
    reset_uids()


def variable(value, dtype=None, name=None):
    """A ``torch.nn.Parameter`` holding ``value`` (float32 by default).

    Assigned to a layer attribute (``self.W = K.variable(...)``) it becomes a registered
    parameter of the layer; get_value/set_value read and write it.
    """
    array = np.asarray(value, dtype=dtype or floatx())
    tensor = torch.tensor(array)
    param = torch.nn.Parameter(tensor, requires_grad=tensor.is_floating_point())
    if name is not None:
        param._keras_name = name
    return param


def get_value(x):
    """NumPy value of a tensor or variable (0-d tensors give a NumPy scalar array)."""
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def set_value(x, value):
    """Write ``value`` into the tensor ``x`` in place (shapes must agree)."""
    write = getattr(x, "_keras1_write", None)  # a Keras-1 weight attribute (layer.W)
    if write is not None:
        return write(value)
    value = np.asarray(value)
    if tuple(value.shape) != tuple(x.shape):
        raise ValueError("set_value: the variable has shape %s but the value has shape %s"
                         % (tuple(x.shape), value.shape))
    with torch.no_grad():
        x.copy_(torch.as_tensor(value, dtype=x.dtype))


def batch_get_value(xs):
    return [get_value(x) for x in xs]


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def count_params(x):
    return int(x.numel())


def int_shape(x):
    return tuple(x.shape) if x.shape is not None else None


from keras_compat.backend.ops import *  # noqa: E402,F401,F403
from keras_compat.backend.ops import Function  # noqa: E402,F401
