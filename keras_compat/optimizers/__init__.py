"""Keras-1 optimizers (``keras.optimizers`` of Keras 1.2.2) implemented over torch.

Each class is the Keras-facing object; ``bind(params)`` creates the matching
``torch.optim.Optimizer`` (``KerasSGD``, ``KerasRMSprop``, ...), kept as
``opt.torch_optimizer``.  ``set_fused_kernels(False)`` makes Adam, RMSprop and Adagrad use
their multi-tensor updates instead of torch's one-pass fused kernels on CPU (see
``_fused_kernels``).
"""
from ._adadelta import Adadelta, KerasAdadelta
from ._adagrad import Adagrad, KerasAdagrad
from ._adam import Adam, KerasAdam
from ._adamax import Adamax, KerasAdamax
from .base import KerasTorchOptimizer, Optimizer
from ._fused_kernels import set_fused_kernels as set_fused_kernels
from ._clip_norm import clip_norm
from .from_config import optimizer_from_config
from ._nadam import KerasNadam, Nadam
from ._rmsprop import KerasRMSprop, RMSprop
from ._sgd import SGD, KerasSGD
from .tf_optimizer import TFOptimizer
from keras_compat._registry import CUSTOM_OBJECTS
from keras_compat._registry import get_custom_objects, get_from_module  # noqa: F401 (Keras 1 names)

# Keras 1.2.2 exposed these module-level aliases of the classes.
sgd = SGD
rmsprop = RMSprop
adagrad = Adagrad
adadelta = Adadelta
adam = Adam
adamax = Adamax
nadam = Nadam

_BY_NAME = {cls.__name__.lower(): cls
            for cls in (SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam)}


def _lookup(name):
    cls = _BY_NAME.get(str(name).lower())
    if cls is None:
        raise ValueError("Unknown optimizer: %r; valid names are %s (or the class names)"
                         % (name, ", ".join(repr(n) for n in _BY_NAME)))
    return cls


def serialize(optimizer):
    """``{'class_name': ..., 'config': ...}`` of an optimizer instance."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config):
    """Instantiate from a ``serialize``-style dict (class name case-insensitive)."""
    return _lookup(config["class_name"]).from_config(dict(config.get("config") or {}))


def get(identifier, kwargs=None):
    """Retrieve an optimizer.

    # Arguments
        identifier: a name (``'sgd'``, ``'rmsprop'``, ``'adagrad'``, ``'adadelta'``,
            ``'adam'``, ``'adamax'``, ``'nadam'`` or a class name; case-insensitive),
            an ``Optimizer`` instance (returned as is) or a ``serialize`` dict.
        kwargs: constructor arguments used with a name.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = CUSTOM_OBJECTS.get(identifier) or _lookup(identifier)
        return cls(**(kwargs or {}))
    raise ValueError("Could not interpret optimizer identifier: %r" % (identifier,))


__all__ = ["Optimizer", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam",
           "get", "serialize", "deserialize", "sgd", "rmsprop", "adagrad", "adadelta", "adam",
           "adamax", "nadam", "KerasTorchOptimizer", "KerasSGD", "KerasRMSprop", "KerasAdagrad",
           "KerasAdadelta", "KerasAdam", "KerasAdamax", "KerasNadam", "TFOptimizer", "clip_norm",
           "optimizer_from_config"]
