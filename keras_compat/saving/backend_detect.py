"""Which Keras-1 backend wrote a weights file, and converting its kernels to ours.

Keras-1 files do not record their backend. What can be read from them:

* TensorFlow names every variable ``<name>:<digit>`` (``dense_1_W:0``), so such weight
  names mean TensorFlow;
* Theano keeps the bare name (``dense_1_W``), so named weights without the suffix mean
  Theano;
* Keras 0.x files (``param_<k>`` datasets, no names) and files with no named weights say
  nothing: the backend is undecidable and the caller is told, once, what to pass.

Why it matters: Theano convolutions are true convolutions (kernel flipped), TensorFlow's
are cross-correlations. keras_compat's parameters always hold torch's cross-correlation
kernel; a layer's ``weight_specs_for(backend)`` says how a file written under ``backend``
shows it. A file is therefore read through its own backend's specs (arrays -> parameters)
and handed to the layer in the layer's own Keras-1 view (parameters -> arrays).
"""
import re
import warnings

import numpy as np
import torch

from keras_compat.backend import config

BACKENDS = ("theano", "tensorflow")
_TF_NAME = re.compile(r":\d+$")
_LEGACY_NAME = re.compile(r"^param_\d+$")


# ``.pt`` files written since torch parameters always hold cross-correlation kernels carry
# ``kernel_orientation: PT_KERNEL_ORIENTATION``; their ``state_dict`` part loads as it is.
PT_KERNEL_ORIENTATION = "cross-correlation"


def legacy_pt_kernel_orientation(model, state_dict):
    """The ``state_dict`` part of a ``.pt`` file without the ``kernel_orientation`` marker
    (older keras_compat: a layer emulating Theano held Theano's kernel in its parameters),
    converted to today's orientation for ``model``. The Keras-1 ``weights`` part of such a
    file needs no conversion: its layout never changed."""
    converted = dict(state_dict)
    for path, module in model.named_modules():
        convert = getattr(module, "legacy_kernel_orientation", None)
        if convert is None:
            continue
        prefix = path + "." if path else ""
        own = {key[len(prefix):]: key for key in converted
               if key.startswith(prefix) and "." not in key[len(prefix):]}
        for name, tensor in convert({name: converted[key] for name, key in own.items()}).items():
            converted[prefix + name] = tensor
    return converted


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


def _ordered(specs):
    return [s for s in specs if s.trainable] + [s for s in specs if not s.trainable]


def _through_specs(layer, arrays, source_specs):
    """``arrays`` read through ``source_specs`` into parameter orientation, then shown
    through the layer's own specs; arrays that do not have the source shape stay as they
    are (the caller's shape check names them)."""
    source_specs, own_specs = _ordered(source_specs), layer._ordered_specs()
    if not len(source_specs) == len(own_specs) == len(arrays):
        return arrays  # a nested model: its layers are converted one by one
    converted = []
    for source, own, array in zip(source_specs, own_specs, arrays):
        param = getattr(layer, own.attr)
        if tuple(source.to_keras(param.detach()).shape) == tuple(np.shape(array)):
            tensor = source.from_keras(torch.as_tensor(np.ascontiguousarray(array)))
            array = own.to_keras(tensor).contiguous().numpy().copy()
        converted.append(array)
    return converted


def reads_backend(layer):
    """Whether a file's backend changes what ``layer``'s weights mean (its Theano and
    TensorFlow views of the same parameters differ)."""
    if hasattr(layer, "keras1_convert_loaded"):
        return True
    specs = [_ordered(layer.weight_specs_for(backend=b)) for b in BACKENDS]
    return any(not torch.equal(a.to_keras(getattr(layer, a.attr).detach()),
                               b.to_keras(getattr(layer, b.attr).detach()))
               for a, b in zip(*specs))


def convert_loaded(layer, arrays, original_backend):
    """Arrays read from a Keras-1 file, made to give ``layer`` the outputs Keras 1 computed."""
    if original_backend is None:
        return arrays
    hook = getattr(layer, "keras1_convert_loaded", None)
    target = current_backend(layer)
    if hook is not None:
        return hook(arrays, original_backend, target)
    if original_backend == target:
        return arrays
    converted = _through_specs(layer, arrays, layer.weight_specs_for(backend=original_backend))
    if any(not np.array_equal(a, b) for a, b in zip(arrays, converted)):
        _warn_same_padding(layer, original_backend, target)
    return converted


def convert_dim_ordering(layer, arrays, source):
    """Arrays written by a ``source``-ordered ('th'/'tf') model, in ``layer``'s ordering."""
    if source is None or not arrays:
        return arrays
    return _through_specs(layer, arrays, layer.weight_specs_for(dim_ordering=source))


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
    if found is None and any(reads_backend(layer) for layer in model_layers):
        warnings.warn(
            "%s does not say which Keras-1 backend wrote it (no weight names to tell by), so "
            "its convolution kernels are loaded as they are, assuming the backend this model "
            "emulates. If the model was trained under Theano, pass original_backend='theano' "
            "(or 'tensorflow') to load_weights/load_model, or `--original-backend theano` to "
            "`keras-compat port`." % (filepath,), BackendUndecidedWarning, stacklevel=4)
    return found
