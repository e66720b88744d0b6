"""Weights larger than the machine's memory are refused before torch allocates them.

A config from a file can declare ``Dense(output_dim=10**12)``; building it would end in the
allocator's own error (or the OOM killer) with no layer named. ``checked_build(layer)``
watches the tensors a layer's ``build`` creates through torch's factory functions and
refuses, naming the layer and the byte count, once their total exceeds the memory
available now (Linux ``MemAvailable``; elsewhere the free physical pages).
"""
import contextlib
import math
import os

import torch
from torch.overrides import TorchFunctionMode

# Below this a tensor is not worth a look at /proc/meminfo.
_CHECK_FROM_BYTES = 64 * 1024 * 1024

_FACTORIES = frozenset({torch.empty, torch.zeros, torch.ones, torch.full, torch.rand,
                        torch.randn, torch.randint, torch.normal})


def available_bytes():
    """Memory the process could allocate now, in bytes (None when unknown)."""
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _requested_shape(func, args, kwargs):
    if "size" in kwargs:
        size = kwargs["size"]
    elif func is torch.full:
        size = args[0] if args else ()
    elif func is torch.randint:
        size = args[-1] if args else ()
    elif func is torch.normal:
        size = args[2] if len(args) > 2 else None
    elif len(args) == 1 and isinstance(args[0], (tuple, list, torch.Size)):
        size = args[0]
    else:
        size = args
    try:
        return tuple(int(d) for d in size)
    except (TypeError, ValueError):
        return None


def refuse_if_too_large(owner, nbytes, what):
    """Raise ``MemoryError`` naming ``owner`` when ``nbytes`` cannot fit in memory now."""
    if nbytes < _CHECK_FROM_BYTES:
        return
    available = available_bytes()
    if available is not None and nbytes > available:
        raise MemoryError("%s: %s need %d bytes, more than the %d bytes of memory available; "
                          "refused before allocating (check the layer's sizes)"
                          % (owner, what, nbytes, available))


class _AllocationWatch(TorchFunctionMode):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner
        self.total = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _FACTORIES:
            shape = _requested_shape(func, args, kwargs)
            if shape is not None:
                dtype = kwargs.get("dtype") or torch.get_default_dtype()
                itemsize = torch.empty((), dtype=dtype).element_size()
                if any(d < 0 for d in shape):
                    raise ValueError("%s: a weight would have the negative shape %s; check the "
                                     "layer's sizes" % (self.owner, shape))
                self.total += math.prod(shape) * itemsize
                refuse_if_too_large(self.owner, self.total,
                                    "its weights (the last of shape %s)" % (shape,))
        return func(*args, **kwargs)


@contextlib.contextmanager
def checked_build(owner):
    """Context for a layer's ``build``: refuses weights larger than the available memory."""
    with _AllocationWatch(owner):
        yield
