"""Which Keras-1 backend wrote a weights file, and converting its kernels to ours.

Keras-1 files do not record their backend. What can be read from them:

* TensorFlow names every variable ``<name>:<digit>`` (``dense_1_W:0``), so such weight
  names mean TensorFlow;
* Theano keeps the bare name (``dense_1_W``), so named weights without the suffix mean
  Theano;
* Keras 0.x files (``param_<k>`` datasets, no names) and files with no named weights say
  nothing: the backend is undecidable and the caller is told, once, what to pass.

Why it matters: Theano convolutions are true convolutions (kernel flipped), TensorFlow's
are cross-correlations. A kernel trained under one backend gives the same outputs under the
other only after flipping its spatial axes. keras_compat's convolution layers emulate one
backend each (the ``backend`` they were built under, see ``keras_compat.backend.config``),
so a loaded kernel is flipped exactly when the file's backend and the layer's differ.
"""
import re
import warnings

import numpy as np
import torch

from keras_compat.backend import config

BACKENDS = ("theano", "tensorflow")
_TF_NAME = re.compile(r":\d+$")
_LEGACY_NAME = re.compile(r"^param_\d+$")


class BackendUndecidedWarning(UserWarning):
    """The backend that wrote a Keras-1 file could not be told from the file."""


def check_backend(value, what="original_backend"):
    if value is None or value in BACKENDS:
        return value
    raise ValueError("%s must be 'theano' or 'tensorflow' (or None to detect it), not %r"
                     % (what, value))


def detect_backend(weight_names):
    """'tensorflow', 'theano' or None (undecidable) from a file's weight names."""
    names = [n for n in weight_names if n]
    if any(_TF_NAME.search(n) for n in names):
        return "tensorflow"
    named = [n for n in names if not _LEGACY_NAME.match(n)]
    if named:
        return "theano"
    return None


def current_backend(layer):
    """The backend whose numerics ``layer`` emulates (conv layers fix it at build time)."""
    return getattr(layer, "backend", None) or config.backend()


def has_flippable_kernel(layer):
    """Whether ``layer`` holds convolution kernels whose meaning depends on the backend."""
    if hasattr(layer, "keras1_convert_loaded"):
        return True
    if "backend" not in layer.__dict__:
        return False
    return any(_is_kernel(layer, spec) for spec in layer._ordered_specs())


def _is_kernel(layer, spec):
    tensor = getattr(layer, spec.attr, None)
    return (isinstance(tensor, torch.Tensor) and tensor.dim() >= 3
            and not spec.suffix.startswith(("b", "running", "gamma", "beta")))


def flip_kernels(layer, arrays):
    """``arrays`` (Keras-1 layout) with every convolution kernel flipped on its spatial axes.

    The flip is done in torch layout (``(out, in, *spatial)`` or ``(in, out, *spatial)``),
    through the layer's own ``WeightSpec`` conversions, so it holds for th and tf orderings.
    """
    converted = []
    for spec, array in zip(layer._ordered_specs(), arrays):
        if _is_kernel(layer, spec):
            tensor = spec.from_keras(torch.as_tensor(np.ascontiguousarray(array)))
            tensor = tensor.flip(tuple(range(2, tensor.dim())))
            array = spec.to_keras(tensor).contiguous().numpy().copy()
        converted.append(array)
    return converted


def convert_loaded(layer, arrays, original_backend):
    """Arrays read from a Keras-1 file, made to give ``layer`` the outputs Keras 1 computed."""
    if original_backend is None:
        return arrays
    hook = getattr(layer, "keras1_convert_loaded", None)
    target = current_backend(layer)
    if hook is not None:
        return hook(arrays, original_backend, target)
    if "backend" not in layer.__dict__ or original_backend == target:
        return arrays
    _warn_same_padding(layer, original_backend, target)
    return flip_kernels(layer, arrays)


def _warn_same_padding(layer, original, target):
    """Flipping fixes the kernel; Theano's 'same' alignment differs for even kernels/strides."""
    if getattr(layer, "border_mode", None) != "same":
        return
    kernel = [getattr(layer, n) for n in ("nb_row", "nb_col", "filter_length", "kernel_dim1",
                                         "kernel_dim2", "kernel_dim3") if hasattr(layer, n)]
    strides = getattr(layer, "subsample", None) or (getattr(layer, "subsample_length", 1),)
    if any(k % 2 == 0 for k in kernel) or any(s != 1 for s in strides):
        warnings.warn(
            "Layer %s: its weights come from %s but the model emulates %s; the kernel was "
            "flipped, but border_mode='same' with an even kernel or a stride pads differently "
            "on the two backends, so outputs will differ near the borders. Build the model "
            "under the original backend (keras_compat.backend.config.set_backend(%r), or "
            "`--backend %s`) for exact outputs." % (layer.name, original, target, original,
                                                    original), stacklevel=4)


def resolve(original_backend, weight_names, model_layers, filepath):
    """The backend to assume for a file: the caller's, the detected one, or None with a warning.

    The warning is given only when it matters (the model has convolution kernels).
    """
    check_backend(original_backend)
    if original_backend is not None:
        return original_backend
    found = detect_backend(weight_names)
    if found is None and any(has_flippable_kernel(layer) for layer in model_layers):
        warnings.warn(
            "%s does not say which Keras-1 backend wrote it (no weight names to tell by), so "
            "its convolution kernels are loaded as they are, assuming the backend this model "
            "emulates. If the model was trained under Theano, pass original_backend='theano' "
            "(or 'tensorflow') to load_weights/load_model, or `--original-backend theano` to "
            "`keras-compat port`." % (filepath,), BackendUndecidedWarning, stacklevel=4)
    return found
