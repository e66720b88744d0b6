"""Keras-1 HDF5 files: reading and writing the ``save_weights`` and ``model.save`` layouts.

This module is the file format only: groups, attributes, datasets. Which layer a group
belongs to and how its arrays are converted is ``assignment``'s business.

Layouts (as Keras 1.2.2 writes and reads them):

* current (Keras 1.0-1.2.2): root (or ``/model_weights``) attr ``layer_names``; one group
  per layer with attr ``weight_names`` and one dataset per weight;
* pre-1.0 (Keras 0.x): root attr ``nb_layers``; groups ``layer_<k>`` with attr
  ``nb_params`` and datasets ``param_<p>``.

Attributes may be ``bytes`` (h5py 2, arrays) or ``str`` (h5py 3 scalars): both are read.
Written files use fixed-length byte strings, so real Keras 1.2.2 reads them.
h5py is an optional dependency: ``pip install keras-compat[hdf5]``.
"""
import contextlib
import json
import os

import numpy as np

from keras_compat import KERAS_VERSION
from keras_compat.saving import limits
from keras_compat.saving.assignment import StoredLayer
from keras_compat.saving.atomic import atomic_path

HDF5_SUFFIXES = (".h5", ".hdf5", ".keras", ".hdf")


HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"  # torch.save's format (a zip archive)
TORCH_SUFFIXES = (".pt", ".pth")


def is_hdf5_path(filepath):
    """By name only: what a missing or unrecognised file to read is taken for."""
    return str(filepath).lower().endswith(HDF5_SUFFIXES)


def writes_hdf5(filepath):
    """What ``save``/``save_weights`` write: Keras 1's HDF5 for every name (Keras 1 wrote HDF5
    whatever the name, ``save_weights('generator')`` included), torch's format for ``.pt``/``.pth``."""
    return not str(filepath).lower().endswith(TORCH_SUFFIXES)


def file_format(filepath):
    """``'hdf5'``, ``'torch'`` or None, from the content of an existing file.

    The HDF5 signature sits at byte 0, or after a user block of 512, 1024, 2048... bytes.
    """
    try:
        with open(filepath, "rb") as handle:
            head = handle.read(8)
            if head == HDF5_SIGNATURE:
                return "hdf5"
            if head[:4] == ZIP_SIGNATURE:
                return "torch"
            size = os.fstat(handle.fileno()).st_size
            offset = 512
            while offset + 8 <= size:
                handle.seek(offset)
                if handle.read(8) == HDF5_SIGNATURE:
                    return "hdf5"
                offset *= 2
    except (OSError, TypeError):
        return None
    return None


def is_hdf5_file(filepath):
    """What to read: an existing file's content decides, its name only when that is unknown
    (a missing or unrecognised file gets the error of the format its name suggests)."""
    found = file_format(filepath)
    if found is not None:
        return found == "hdf5"
    return is_hdf5_path(filepath)


def require_h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError("Reading or writing Keras-1 HDF5 files (.h5) needs h5py: "
                          "pip install 'keras-compat[hdf5]' (or pip install h5py), or use a "
                          ".pt file instead.") from None
    return h5py


def open_file(filepath, mode="r"):
    """``h5py.File`` with a clear, file-named error for missing, truncated or corrupt files."""
    h5py = require_h5py()
    if mode == "r" and not os.path.exists(filepath):
        raise FileNotFoundError("%s: no such file" % (filepath,))
    try:
        return h5py.File(filepath, mode)
    except OSError as exc:
        raise ValueError("%s is not a readable HDF5 file (it may be truncated or corrupt, or not "
                         "HDF5 at all): %s" % (filepath, exc)) from None


@contextlib.contextmanager
def reading(filepath):
    """Turn what h5py raises on a damaged or unexpected layout into a ValueError naming the
    file (errors of ours, already ValueErrors, pass through)."""
    try:
        yield
    except (KeyError, RuntimeError, OSError, TypeError, AttributeError,
            UnicodeDecodeError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError("%s: the HDF5 file is damaged or does not have the Keras-1 layout "
                         "(%s: %s)" % (filepath, type(exc).__name__, exc)) from None


def decode(value):
    """An attribute value as ``str`` (h5py gives bytes or str)."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return decode(value.item())
    return str(value)


def decode_list(value):
    if value is None:
        return []
    return [decode(v) for v in np.asarray(value).reshape(-1)
            if not isinstance(v, (float, np.floating))]


def _encode_list(names):
    """Fixed-length byte strings, as Keras 1 writes (an empty list is an empty float array)."""
    if not names:
        return np.array([], dtype="float64")
    return np.array([n.encode("utf8") for n in names])


# -- reading ------------------------------------------------------------------------------
def _read_dataset(group, key, filepath):
    try:
        return np.asarray(group[key][()])
    except KeyError:
        raise ValueError("%s: layer group %r lists weight %r but holds no such dataset (the file "
                         "is damaged)" % (filepath, group.name, key)) from None
    except OSError as exc:
        raise ValueError("%s: cannot read %s/%s (truncated or corrupt file?): %s"
                         % (filepath, group.name, key, exc)) from None


def read_weight_groups(root, filepath):
    """``(stored_layers, legacy)`` from a file root or a ``model_weights`` group."""
    attrs = root.attrs
    if "layer_names" not in attrs and "nb_layers" not in attrs and "model_weights" in root:
        root = root["model_weights"]
        attrs = root.attrs
    if "layer_names" in attrs:
        stored = []
        for name in decode_list(attrs["layer_names"]):
            if name not in root:
                raise ValueError("%s lists layer %r but has no group for it (damaged file)"
                                 % (filepath, name))
            group = root[name]
            names = decode_list(group.attrs.get("weight_names"))
            stored.append(StoredLayer(name, names,
                                      [_read_dataset(group, n, filepath) for n in names]))
        return stored, False
    if "nb_layers" in attrs:
        stored = []
        for k in range(int(attrs["nb_layers"])):
            group = root["layer_%d" % k]
            count = int(group.attrs["nb_params"])
            names = ["param_%d" % p for p in range(count)]
            stored.append(StoredLayer(None, names,
                                      [_read_dataset(group, n, filepath) for n in names]))
        return stored, True
    raise ValueError("%s holds no Keras weights (no 'layer_names', 'nb_layers' or "
                     "'model_weights')" % (filepath,))


def read_weights_file(filepath):
    """``(stored_layers, legacy)`` of a ``save_weights`` file (or a ``model.save`` one)."""
    with open_file(filepath) as handle, reading(filepath):
        return read_weight_groups(handle, filepath)


def read_model_file(filepath):
    """``(model_config, training_config, stored_layers, legacy, optimizer_arrays)``."""
    with open_file(filepath) as handle, reading(filepath):
        if "model_config" not in handle.attrs:
            raise ValueError("%s holds no model config: it is a weights file (save_weights), not a "
                             "model.save file; build the model (e.g. model_from_json) and call "
                             "model.load_weights(%r)" % (filepath, filepath))
        model_config = limits.parse_json(decode(handle.attrs["model_config"]),
                                         "%s: model_config" % filepath)
        training = handle.attrs.get("training_config")
        training_config = (limits.parse_json(decode(training), "%s: training_config" % filepath)
                           if training is not None else None)
        stored, legacy = read_weight_groups(handle, filepath)
        optimizer_arrays = None
        if "optimizer_weights" in handle:
            group = handle["optimizer_weights"]
            names = decode_list(group.attrs.get("weight_names"))
            optimizer_arrays = [_read_dataset(group, n, filepath) for n in names]
    return model_config, training_config, stored, legacy, optimizer_arrays


# -- writing ------------------------------------------------------------------------------
def write_weight_groups(root, groups):
    """Keras 1's layout of ``groups`` (``assignment.model_groups``) under ``root``."""
    root.attrs["layer_names"] = _encode_list([group.name for group in groups])
    for group in groups:
        sub = root.create_group(group.name)
        sub.attrs["weight_names"] = _encode_list(group.weight_names)
        for name, array in zip(group.weight_names, group.arrays):
            sub.create_dataset(name, data=np.asarray(array, dtype=array.dtype))


def write_weights_file(filepath, groups):
    """The ``save_weights`` layout, written crash-safely."""
    h5py = require_h5py()
    with atomic_path(filepath) as temp:
        with h5py.File(temp, "w") as handle:
            write_weight_groups(handle, groups)


def optimizer_weight_names(count, backend):
    """Keras 1's names of ``optimizer.weights`` variables (TensorFlow numbers them)."""
    if backend == "tensorflow":
        return ["Variable_%d:0" % i if i else "Variable:0" for i in range(count)]
    return ["param_%d" % i for i in range(count)]


def write_model_file(filepath, model_config, groups, backend, training_config=None,
                     optimizer_weights=None):
    """The ``model.save`` layout: config attrs, ``model_weights`` and ``optimizer_weights``."""
    h5py = require_h5py()
    with atomic_path(filepath) as temp:
        with h5py.File(temp, "w") as handle:
            handle.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
            handle.attrs["model_config"] = json.dumps(model_config).encode("utf8")
            if training_config is not None:
                handle.attrs["training_config"] = json.dumps(training_config).encode("utf8")
            write_weight_groups(handle.create_group("model_weights"), groups)
            if optimizer_weights:
                names = optimizer_weight_names(len(optimizer_weights), backend)
                group = handle.create_group("optimizer_weights")
                group.attrs["weight_names"] = _encode_list(names)
                for name, array in zip(names, optimizer_weights):
                    group.create_dataset(name, data=np.asarray(array))
