"""``save_weights``/``load_weights``: the native ``.pt`` format, and the choice of format.

``save_weights`` writes Keras 1's HDF5 layout unless the name ends in ``.pt``/``.pth``
(``save_weights('generator')`` writes HDF5, as Keras 1 did); ``load_weights`` decides by the
file's content (the HDF5 or zip signature), so a Keras-1 file named without ``.h5`` loads.

A ``.pt`` weights file is a plain dict of tensors and strings, so
``torch.load(path, weights_only=True)`` reads it without running any code:
``format``, ``format_version``, ``layer_names`` (layers that own weights, in model
order) and ``weights`` (``{layer_name: [tensor, ...]}`` in Keras-1 layout and order),
plus ``state_dict`` (torch layout, for plain PyTorch users), ``backend`` (the emulated
backend at save time) and ``dim_ordering`` (the layers' common image ordering, or None):
loading converts kernels with them exactly as it does for ``.h5`` files.
"""
import os

import torch

from keras_compat.backend import config
from keras_compat.saving import keras1_hdf5
from keras_compat.saving.atomic import atomic_path
from keras_compat.saving.keras1_hdf5 import file_format, is_hdf5_file, weight_layers, writes_hdf5

FORMAT = "keras_compat.weights"
FORMAT_VERSION = 1


def _weighted_layers(model):
    return [layer for layer in model.layers if layer.get_weights()]


def _common_dim_ordering(model):
    """The image_dim_ordering of the model's ordered layers when they share one, else None."""
    found = {getattr(layer, "dim_ordering", None) for layer in _leaves(weight_layers(model))}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _leaves(layers):
    for layer in layers:
        inner = getattr(layer, "layers", None)
        if inner:
            yield from _leaves(inner)
        else:
            yield layer


def _reads_hdf5(filepath):
    return is_hdf5_file(filepath)


def _check_not_hdf5(filepath):
    if file_format(filepath) == "hdf5":
        raise ValueError("%s is a Keras-1 HDF5 file, not a .pt file: use load_weights/load_model "
                         "(which read both)" % (filepath,))


def save_weights(model, filepath, overwrite=True):
    """``.pt``/``.pth``: the torch format; any other name: Keras 1's HDF5 layout."""
    if writes_hdf5(filepath):
        keras1_hdf5.save_weights(model, filepath, overwrite=overwrite)
        return
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError("%s already exists and overwrite=False" % (filepath,))
    layers = _weighted_layers(model)
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        # what load_weights needs to convert kernels as it does for .h5 files
        "backend": config.backend(),
        "dim_ordering": _common_dim_ordering(model),
        "layer_names": [layer.name for layer in layers],
        "weights": {layer.name: [torch.from_numpy(w) for w in layer.get_weights()]
                    for layer in layers},
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
    }
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


def read_weights_file(filepath):
    _check_not_hdf5(filepath)
    try:
        payload = torch.load(filepath, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise ValueError("%s is not a keras_compat weights file that can be loaded safely (it is "
                         "damaged, not a torch file, or holds pickled Python objects, which "
                         "could run code): %s" % (filepath, first_line(exc))) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError("%s is not a keras_compat weights file (no %r format marker)"
                         % (filepath, FORMAT))
    if payload.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError("%s was written by a newer keras_compat (format version %s)"
                         % (filepath, payload.get("format_version")))
    check_payload(payload, filepath, {"layer_names": list, "weights": dict})
    return payload


def load_weights(model, filepath, by_name=False, original_backend=None,
                 original_dim_ordering=None):
    """Load a weights file; nothing changes unless every layer's weights fit.

    ``.h5``/``.hdf5`` files (Keras 1, any version) go to ``keras1_hdf5``; ``original_backend``
    (``'theano'``/``'tensorflow'``, detected when None) and ``original_dim_ordering``
    (``'th'``/``'tf'``: the ordering the file was trained in) apply to them only."""
    if _reads_hdf5(filepath):
        return keras1_hdf5.load_weights(model, filepath, by_name=by_name,
                                        original_backend=original_backend,
                                        original_dim_ordering=original_dim_ordering)
    payload = read_weights_file(filepath)
    stored = [keras1_hdf5.StoredLayer(name, ["%s_param_%d" % (name, i)
                                             for i in range(len(payload["weights"][name]))],
                                      [t.numpy() for t in payload["weights"][name]])
              for name in payload["layer_names"]]
    # Files written before the backend was recorded hold this backend's layout.
    backend = original_backend or payload.get("backend") or config.backend()
    ordering = original_dim_ordering or payload.get("dim_ordering")
    return keras1_hdf5.load_into(model, stored, False, filepath, by_name=by_name,
                                 original_backend=backend, original_dim_ordering=ordering)
