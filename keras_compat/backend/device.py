"""The one place that decides which torch device training and inference run on."""
import os

import torch

from keras_compat.backend import process_group

_override = None


def set_device(name):
    """Force a device ('cpu', 'cuda', 'cuda:1'); ``None`` restores automatic choice."""
    global _override
    _override = None if name is None else _validate(name)


def _validate(name):
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError) as exc:
        raise ValueError("Unknown device %r (expected cpu, cuda or cuda:N)" % (name,)) from exc
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("Device %r was requested but CUDA is not available on this machine" % (name,))
    return device


def resolve():
    """The device to use: explicit override, then KERAS_COMPAT_DEVICE, then CUDA if present.
    In a data-parallel run, a plain ``cuda`` is this process's GPU: ``cuda:LOCAL_RANK``."""
    if _override is not None:
        return _per_process(_override)
    env = os.environ.get("KERAS_COMPAT_DEVICE")
    if env:
        return _per_process(_validate(env))
    return _per_process(torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu"))


def _per_process(device):
    if device.type == "cuda" and device.index is None and process_group.launched():
        return torch.device("cuda", process_group.local_rank())
    return device


def use_full_float32(device):
    """Keep float32 arithmetic on CUDA: Keras 1 computed in full float32, while cuDNN's
    default TF32 mode rounds matmul inputs to 10 bits (errors near 1e-4 in an LSTM).
    ``KERAS_COMPAT_ALLOW_TF32=1`` trades that fidelity for speed."""
    if torch.device(device).type != "cuda" or os.environ.get("KERAS_COMPAT_ALLOW_TF32") == "1":
        return
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
