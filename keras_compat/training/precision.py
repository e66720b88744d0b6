"""Mixed precision, an opt-in Keras 1 never had: ``--precision bfloat16|float16`` (the runner
sets ``KERAS_COMPAT_PRECISION``, so the training loop and child processes see it) or
``keras.json`` ``"floatx": "float16"``.

The default is full float32, Keras 1's arithmetic, and costs nothing: no policy object exists
(``for_training`` returns None) and the trainer runs its float32 step.

``bfloat16``/``float16``
    ``torch.autocast`` around the forward pass; the parameters stay float32 and
    are the master weights the optimizer updates.  ``float16`` scales the loss with a
    ``torch.amp.GradScaler`` (its small gradients would underflow otherwise); a step whose
    gradients overflow is skipped and the scale lowered, as ``GradScaler`` does.
``floatx = "float16"``
    real half-precision storage: the model's parameters and buffers are float16 (what
    ``get_weights`` returns, as Keras 1 with that floatx), the forward runs under float16
    autocast, and the optimizer updates float32 master copies that are written back into the
    float16 parameters after each step.  ``set_weights`` (or any in-place write) between steps
    is noticed through the tensors' version counters and refreshes the masters.

Losses and metrics are computed and reported in float32 in every mode.
"""
import contextlib
import os

import torch

from keras_compat.backend import config

PRECISION_VARIABLE = "KERAS_COMPAT_PRECISION"
CHOICES = ("float32", "bfloat16", "float16")
_DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16}


def check_precision(value, what="--precision"):
    if value not in CHOICES:
        raise ValueError("%s must be one of %s, not %r" % (what, "|".join(CHOICES), value))
    return value


def requested():
    """``(compute, half_storage)``: the autocast dtype name asked for (None: full float32) and
    whether parameters are stored in float16 (``floatx`` float16)."""
    value = os.environ.get(PRECISION_VARIABLE)
    if value:
        check_precision(value, PRECISION_VARIABLE)
    half_storage = config.floatx() == "float16"
    if half_storage:
        return "float16", True
    return (None if value in (None, "", "float32") else value), False


def for_training(model, device):
    """The mixed-precision policy of a trainer, or None for full float32."""
    compute, half_storage = requested()
    if compute is None:
        return None
    return MixedPrecision(model, torch.device(device), compute, half_storage)


def autocast_for(device):
    """The autocast context ``predict`` runs its forward passes in (a no-op in float32)."""
    compute, _ = requested()
    if compute is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=torch.device(device).type, dtype=_DTYPES[compute])


class MixedPrecision:
    """One compiled model's precision policy: autocast, loss scaling and master weights."""

    def __init__(self, model, device, compute, half_storage):
        self.name = compute
        self.device = device
        self.dtype = _DTYPES[compute]
        self.half_storage = half_storage
        if half_storage:
            model.to(torch.float16)
        # float16 gradients underflow without loss scaling; bfloat16 has float32's range.
        self.scaler = torch.amp.GradScaler(device.type) if compute == "float16" else None
        self._pairs = []  # (float16 parameter, float32 master, parameter version written)

    def autocast(self):
        return torch.autocast(device_type=self.device.type, dtype=self.dtype)

    def bind_arguments(self, parameters, constraints):
        """What the optimizer binds: the parameters themselves (float32 storage), or float32
        master copies with the constraints moved onto them (float16 storage)."""
        if not self.half_storage:
            return parameters, constraints
        masters = []
        for param in parameters:
            master = param.detach().float().clone().requires_grad_(True)
            masters.append(master)
            self._pairs.append([param, master, param._version])
        # A constraint maps a tensor of the parameter's shape: it applies to the master as is.
        moved = {master: constraints[param] for param, master in zip(parameters, masters)
                 if constraints and param in constraints}
        return masters, moved

    def update(self, loss, optimizer):
        """Backward pass and optimizer step for ``loss`` (float32, from the autocast output)."""
        optimizer.zero_grad()
        for pair in self._pairs:  # parameters written since our last step
            param, master, version = pair
            if param._version != version:
                with torch.no_grad():
                    master.copy_(param)
                pair[2] = param._version
            param.grad = None
        (loss if self.scaler is None else self.scaler.scale(loss)).backward()
        for param, master, _ in self._pairs:
            master.grad = None if param.grad is None else param.grad.float()
        if self.scaler is None:
            optimizer.step()
        else:
            self.scaler.step(optimizer.torch_optimizer)
            self.scaler.update()
        with torch.no_grad():
            for pair in self._pairs:
                pair[0].copy_(pair[1])
                pair[2] = pair[0]._version

