"""Shared pieces of the monitoring callbacks: Keras 1's ``mode`` rules and log lookups."""
import warnings

import numpy as np
import torch

from keras_compat import backend as K


def resolve_mode(mode, monitor, owner):
    """``'min'`` or ``'max'`` for ``mode`` in auto/min/max (Keras 1's auto rule).

    ``auto`` means ``max`` when ``'acc'`` occurs in the monitored name or it starts with
    ``'fmeasure'``, else ``min``.  An unknown mode warns and falls back to auto, as in Keras 1.
    """
    if mode not in ("auto", "min", "max"):
        warnings.warn("%s mode %s is unknown, fallback to auto mode." % (owner, mode),
                      RuntimeWarning, stacklevel=3)
        mode = "auto"
    if mode == "auto":
        return "max" if ("acc" in monitor or monitor.startswith("fmeasure")) else "min"
    return mode


def as_number(value):
    """A log value (float, NumPy scalar/0-d array or 0-d tensor) as a Python float."""
    if hasattr(value, "detach"):  # a 0-d torch tensor from a lazy batch log
        value = value.detach().cpu().item()
    return float(np.asarray(value))


def monitored_value(logs, monitor, missing_warning):
    """``logs[monitor]`` as a float; when it is missing, warn ``missing_warning`` (a
    RuntimeWarning, located at the caller, as Keras 1's callbacks did) and return None."""
    current = logs.get(monitor)
    if current is None:
        warnings.warn(missing_warning, RuntimeWarning, stacklevel=2)
        return None
    return as_number(current)


def require_optimizer_lr(model, owner):
    """The model's ``optimizer.lr`` variable, or a clear error."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise RuntimeError("%s needs a compiled model (model.optimizer is not set)" % owner)
    if not hasattr(optimizer, "lr"):
        raise AttributeError('%s: the optimizer %s must have a "lr" attribute.'
                             % (owner, type(optimizer).__name__))
    return optimizer.lr


def set_lr(model, value, owner):
    """Write ``value`` into ``model.optimizer.lr`` in place (the update reads it each step)."""
    lr = require_optimizer_lr(model, owner)
    if isinstance(lr, torch.Tensor):
        K.set_value(lr, np.float32(value))
    else:  # a plain number the user assigned; replace it
        model.optimizer.lr = float(value)


def get_lr(model, owner):
    return K.get_value(require_optimizer_lr(model, owner))
