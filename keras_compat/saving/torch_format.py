"""keras_compat's ``.pt`` files: reading and writing the weights and model payloads.

A payload is a plain dict of strings, numbers, lists and tensors, so
``torch.load(path, weights_only=True)`` reads it without running any code. Both kinds hold

* ``format`` (``'keras_compat.weights'`` or ``'keras_compat.model'``) and ``format_version``;
* the provenance of the weights: ``backend`` (the emulated backend at save time: Theano's
  convolutions flip the kernel) and ``dim_ordering`` (the layers' common image ordering, or
  None), which loading hands to ``assignment`` exactly as it does for ``.h5`` files;
* ``layer_names`` and ``weights`` (``{layer_name: [tensor, ...]}``): the groups of
  ``assignment.model_groups``, Keras-1 layout and order;
* ``state_dict`` (torch layout, for plain PyTorch users) and ``kernel_orientation``, which says
  its convolution kernels are cross-correlation ones whatever the backend (older files held a
  Theano-emulating layer's kernel flipped: ``backend_detect.legacy_pt_kernel_orientation``
  converts their ``state_dict``).

A model file adds ``keras_version``, ``model_config`` and ``training_config`` (JSON strings,
as in the HDF5 file) and ``optimizer_weights`` (Keras-1 ``optimizer.weights`` order).

Weights files of format version 1 listed ``model.layers`` with weights and each layer's
``get_weights()``; version 2 lists the groups a Keras-1 file has (a nested model's group holds
its trainable weights first, a first-layer ``Merge`` of models lists the merged layers). Files
written before the provenance was recorded (no ``backend``/``dim_ordering``) hold the layout
of the backend that loads them, as they always did.

This module is the file format only; which layer gets which arrays is ``assignment``'s.
"""
import numpy as np
import torch

from keras_compat.saving import backend_detect
from keras_compat.saving.assignment import Provenance, StoredLayer
from keras_compat.saving.atomic import atomic_path

WEIGHTS_FORMAT = "keras_compat.weights"
WEIGHTS_FORMAT_VERSION = 2
MODEL_FORMAT = "keras_compat.model"
MODEL_FORMAT_VERSION = 1


def _tensors(arrays):
    return [torch.from_numpy(np.array(a)) for a in arrays]


def _payload(kind, version, model, groups, backend, dim_ordering):
    return {
        "format": kind,
        "format_version": version,
        "backend": backend,
        "dim_ordering": dim_ordering,
        "layer_names": [group.name for group in groups],
        "weights": {group.name: _tensors(group.arrays) for group in groups},
        "kernel_orientation": backend_detect.PT_KERNEL_ORIENTATION,
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
    }


def write_weights_file(filepath, model, groups, backend, dim_ordering):
    """A ``save_weights`` file: the groups that hold weights, crash-safely written."""
    payload = _payload(WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, model,
                       [group for group in groups if group.arrays], backend, dim_ordering)
    with atomic_path(filepath) as temp:
        torch.save(payload, temp)


def write_model_file(filepath, model, groups, backend, dim_ordering, keras_version,
                     model_config, training_config, optimizer_arrays):
    """A ``model.save`` file; ``model_config``/``training_config`` are JSON strings."""
    payload = _payload(MODEL_FORMAT, MODEL_FORMAT_VERSION, model, groups, backend, dim_ordering)
    payload.update({
        "keras_version": keras_version,
        "model_config": model_config,
        "training_config": training_config,
        "optimizer_weights": _tensors(optimizer_arrays),
    })
    with atomic_path(filepath) as temp:
        torch.save(payload, temp)


def first_line(exc):
    """The first line of an exception's message (torch's are long), or its type's name."""
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def check_payload(payload, filepath, required):
    """Refuse a ``.pt`` payload whose parts (``{key: type}``) are missing or of the wrong kind,
    naming the file and the part, before anything reads them."""
    for key, kinds in required.items():
        if key not in payload:
            raise ValueError("%s: the file has the %r marker but no %r part (damaged or "
                             "hand-made file)" % (filepath, payload.get("format"), key))
        if not isinstance(payload[key], kinds):
            raise ValueError("%s: the file's %r part is a %s, not what keras_compat writes"
                             % (filepath, key, type(payload[key]).__name__))
    names, weights = payload.get("layer_names"), payload.get("weights")
    if names is None:
        return
    for name in names:
        if not isinstance(name, str) or name not in weights:
            raise ValueError("%s: the file lists layer %r but holds no weights for it (damaged "
                             "file)" % (filepath, name))
        tensors = weights[name]
        if not isinstance(tensors, (list, tuple)) or not all(
                isinstance(t, torch.Tensor) for t in tensors):
            raise ValueError("%s: the weights of layer %r are not a list of tensors (damaged "
                             "file)" % (filepath, name))


def _check_version(payload, filepath, newest):
    if payload.get("format_version", 0) > newest:
        raise ValueError("%s was written by a newer keras_compat (format version %s)"
                         % (filepath, payload.get("format_version")))


def _load(filepath, refusal):
    """``torch.load(weights_only=True)``: plain data only, never code the file chose; what it
    refuses is reported as ``refusal % (filepath, first line of torch's reason)``."""
    try:
        return torch.load(filepath, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise ValueError(refusal % (filepath, first_line(exc))) from None


def read_weights_file(filepath):
    payload = _load(filepath, "%s is not a keras_compat weights file that can be loaded safely "
                              "(it is damaged, not a torch file, or holds pickled Python "
                              "objects, which could run code): %s")
    if not isinstance(payload, dict) or payload.get("format") != WEIGHTS_FORMAT:
        raise ValueError("%s is not a keras_compat weights file (no %r format marker)"
                         % (filepath, WEIGHTS_FORMAT))
    _check_version(payload, filepath, WEIGHTS_FORMAT_VERSION)
    check_payload(payload, filepath, {"layer_names": list, "weights": dict})
    return payload


def read_model_file(filepath):
    payload = _load(filepath, "%s cannot be loaded safely (torch.load(weights_only=True) "
                              "refused it: it is not a keras_compat model file, or it holds "
                              "pickled Python objects, which could run code): %s")
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        if isinstance(payload, dict) and payload.get("format") == WEIGHTS_FORMAT:
            raise ValueError("%s is a weights file (save_weights), not a model file: build the "
                             "model and call model.load_weights(%r)" % (filepath, filepath))
        raise ValueError("%s is not a keras_compat model file (no %r format marker)"
                         % (filepath, MODEL_FORMAT))
    _check_version(payload, filepath, MODEL_FORMAT_VERSION)
    check_payload(payload, filepath, {"model_config": str, "training_config": (str, type(None)),
                                      "layer_names": list, "weights": dict,
                                      "optimizer_weights": list})
    return payload


def stored_groups(payload):
    """The payload's groups (its weight names are positional: ``.pt`` files need none)."""
    return [StoredLayer(name, ["%s_param_%d" % (name, i)
                               for i in range(len(payload["weights"][name]))],
                        [t.numpy() for t in payload["weights"][name]])
            for name in payload["layer_names"]]


def provenance(payload, original_backend, original_dim_ordering, current_backend):
    """What wrote the payload: the caller's word first, then the file's record; a file without
    a backend record was written in the layout of the backend that loads it."""
    return Provenance(backend=original_backend or payload.get("backend") or current_backend,
                      dim_ordering=original_dim_ordering or payload.get("dim_ordering"))
