"""Keras-1 HDF5 files: ``save_weights``/``load_weights`` and the ``model.save`` layout.

Layouts (semantics.md 13.2-13.4):

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
from keras_compat.backend import config
from keras_compat.saving import backend_detect, limits
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
class StoredLayer:
    """One layer's weights from a file: its name (None in the 0.x layout) and arrays."""

    def __init__(self, name, weight_names, arrays):
        self.name = name
        self.weight_names = weight_names
        self.arrays = arrays

    def __repr__(self):
        return "StoredLayer(%r, %s)" % (self.name, [a.shape for a in self.arrays])


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


def weight_layers(model, flatten_nested=False):
    """The layers whose groups a Keras-1 file of ``model`` lists, in file order.

    Keras 1.2.2's ``flattened_layers``: a Sequential's layers, each one group (a nested model
    too, holding all its weights), except that a first-layer ``Merge`` of models is replaced
    by the layers of the merged models. Keras 1.0 and 1.1 flattened nested Sequentials
    everywhere (``flatten_nested=True``).
    """
    if not _is_layer_stack(model):
        return list(model.layers)
    layers = model.layers
    found = []
    if layers and getattr(layers[0], "_branches", None):
        for branch in layers[0]._branches:
            if _is_layer_stack(branch):
                inner = weight_layers(branch, flatten_nested)
            else:
                inner = list(getattr(branch, "layers", None) or [branch])
            found.extend(layer for layer in inner if layer not in found)
        layers = layers[1:]
    for layer in layers:
        if flatten_nested and _is_layer_stack(layer):
            found.extend(weight_layers(layer, flatten_nested))
        else:
            found.append(layer)
    return found


def _is_layer_stack(layer):
    """Whether ``layer`` is a Sequential (``LayerGroup.is_layer_stack``); any layer may be asked."""
    return getattr(layer, "is_layer_stack", False)


def _file_layout(model, stored, legacy):
    """Keras 1.2.2's layout, or the flattened one of Keras 1.0/1.1 when only that fits."""
    standard = weight_layers(model)
    flat = weight_layers(model, flatten_nested=True)
    if flat == standard:
        return standard
    if legacy:
        count, fits = len(stored), lambda layers: len(layers)
    else:
        count = len([s for s in stored if s.arrays])
        fits = lambda layers: len([l for l in layers if _expected_shapes(l)])  # noqa: E731
    return flat if fits(standard) != count and fits(flat) == count else standard


def layer_arrays(layer):
    """A layer's arrays in the order of its file group (containers: trainable, then not)."""
    if hasattr(layer, "layers") and hasattr(layer, "trainable_weights"):
        return [_keras_array(layer, w, True) for w in layer.trainable_weights] + \
               [_keras_array(layer, w, False) for w in layer.non_trainable_weights]
    return layer.get_weights()


def _leaf_layers(container):
    """Every layer inside ``container`` (at any depth) that owns weight specs."""
    return [m for m in container.modules()
            if m is not container and hasattr(m, "_ordered_specs") and m._ordered_specs()]


def _keras_array(container, param, _trainable):
    for layer in _leaf_layers(container):
        for spec in layer._ordered_specs():
            if getattr(layer, spec.attr) is param:
                return spec.to_keras(param.detach()).cpu().numpy().copy()
    return param.detach().cpu().numpy().copy()


def _set_layer_arrays(layer, arrays):
    if hasattr(layer, "layers") and hasattr(layer, "trainable_weights"):
        # a nested container: the file holds trainable weights first, then the others
        order = [id(w) for w in layer.trainable_weights + layer.non_trainable_weights]
        position = {key: i for i, key in enumerate(order)}
        per_layer = []
        for sub in _leaf_layers(layer):
            params = [getattr(sub, s.attr) for s in sub._ordered_specs()]
            per_layer.append((sub, [arrays[position[id(p)]] for p in params]))
        for sub, values in per_layer:
            sub.set_weights(values)
        return
    layer.set_weights(arrays)


def _expected_shapes(layer):
    return [tuple(a.shape) for a in layer_arrays(layer)]


_ORDERING_PERMS = {  # Keras-1 kernel layouts: th (out, in, *k) <-> tf (*k, in, out)
    ("th", "tf", 4): (2, 3, 1, 0), ("tf", "th", 4): (3, 2, 0, 1),
    ("th", "tf", 5): (2, 3, 4, 1, 0), ("tf", "th", 5): (4, 3, 0, 1, 2),
}
_ORDERED_KERNELS = ("Convolution2D", "Conv2D", "Convolution3D", "Conv3D", "AtrousConvolution2D",
                    "AtrousConv2D")


def _check_ordering(value):
    if value not in (None, "th", "tf"):
        raise ValueError("original_dim_ordering must be 'th' or 'tf' (or None), not %r" % (value,))
    return value


def convert_dim_ordering(layers, pairs, source):
    """Arrays written by a ``source``-ordered model, made to fit the ``layers``' orderings.

    Convolution kernels are transposed between the th and tf layouts, and the first Dense
    after a Flatten of an image tensor gets its rows reordered from (channels, rows, cols)
    to (rows, cols, channels) order or back, so the model computes what the original did.
    """
    if source is None:
        return pairs
    converted = []
    for layer, arrays in pairs:
        target = getattr(layer, "dim_ordering", None)
        if type(layer).__name__ in _ORDERED_KERNELS and target in ("th", "tf") and \
                target != source and arrays and arrays[0].ndim in (4, 5):
            perm = _ORDERING_PERMS[(source, target, arrays[0].ndim)]
            arrays = [np.ascontiguousarray(np.transpose(arrays[0], perm))] + list(arrays[1:])
        elif type(layer).__name__ == "Dense" and arrays:
            image, ordering = _flattened_image_before(layers, layer)
            if image is not None and ordering != source:
                arrays = [_reorder_rows(arrays[0], image, source, ordering)] + list(arrays[1:])
        converted.append((layer, arrays))
    return converted


def _flattened_image_before(layers, dense):
    """``(image shape, ordering)`` when ``dense`` directly follows a Flatten of an image."""
    index = layers.index(dense)
    if index == 0 or type(layers[index - 1]).__name__ != "Flatten":
        return None, None
    shape = tuple(layers[index - 1].input_shape[1:])
    ordering = None
    for previous in reversed(layers[:index - 1]):
        ordering = getattr(previous, "dim_ordering", None)
        if ordering in ("th", "tf"):
            break
    if len(shape) not in (3, 4) or ordering not in ("th", "tf"):
        return None, None
    return shape, ordering


def _reorder_rows(weight, image, source, target):
    """Dense ``W`` rows from the ``source`` flatten order to the ``target`` one."""
    if target == "tf":  # image is (*spatial, channels); the file's rows are (channels, *spatial)
        spatial, channels = image[:-1], image[-1]
        rows = weight.reshape((channels,) + spatial + (-1,))
        order = tuple(range(1, len(spatial) + 1)) + (0, len(spatial) + 1)
    else:  # image is (channels, *spatial); the file's rows are (*spatial, channels)
        channels, spatial = image[0], image[1:]
        rows = weight.reshape(spatial + (channels, -1))
        order = (len(spatial),) + tuple(range(len(spatial))) + (len(spatial) + 1,)
    return np.ascontiguousarray(rows.transpose(order).reshape(weight.shape))


def load_into(model, stored, legacy, filepath, by_name=False, original_backend=None,
              original_dim_ordering=None):
    """Assign stored layers to the model's; nothing changes unless every layer fits."""
    _check_ordering(original_dim_ordering)
    layers = _file_layout(model, stored, legacy)
    all_names = [n for s in stored for n in s.weight_names if not legacy]
    backend = backend_detect.resolve(original_backend, all_names, layers, filepath)
    if by_name:
        if legacy:
            raise ValueError("%s is a Keras 0.x weights file (no layer names): load_weights("
                             "by_name=True) cannot match it; use by_name=False" % (filepath,))
        by_layer = {}
        for layer in layers:
            by_layer.setdefault(layer.name, []).append(layer)
        pairs = [(layer, s) for s in stored for layer in by_layer.get(s.name, ())]
        for layer, s in pairs:
            if len(s.arrays) != len(_expected_shapes(layer)):
                raise ValueError(
                    "Layer #%d (named \"%s\") expects %d weight(s), but the saved weights have "
                    "%d element(s) (%s)." % (layers.index(layer), layer.name,
                                             len(_expected_shapes(layer)), len(s.arrays),
                                             filepath))
    elif legacy:
        if len(stored) != len(layers):
            raise ValueError("You are trying to load a weight file containing %d layers into a "
                             "model with %d layers (%s)." % (len(stored), len(layers), filepath))
        pairs = [(layer, s) for layer, s in zip(layers, stored) if s.arrays]
    else:
        filled = [layer for layer in layers if _expected_shapes(layer)]
        kept = [s for s in stored if s.arrays]
        if len(kept) != len(filled):
            raise ValueError("You are trying to load a weight file containing %d layers into a "
                             "model with %d layers (%s)." % (len(kept), len(filled), filepath))
        pairs = list(zip(filled, kept))
    plan = []
    ordered = convert_dim_ordering(layers, [(layer, [_legacy_conv1d(layer, a) for a in s.arrays])
                                            for layer, s in pairs], original_dim_ordering)
    for (layer, s), (_, arrays) in zip(pairs, ordered):
        expected = _expected_shapes(layer)
        got = [tuple(a.shape) for a in arrays]
        if expected != got:
            hint = ""
            if sorted(map(sorted, expected)) == sorted(map(sorted, got)) and len(expected[0]) >= 3:
                other = "th" if getattr(layer, "dim_ordering", "tf") == "tf" else "tf"
                hint = (" (the same sizes in another order: the file may use the other "
                        "image_dim_ordering; build the model with dim_ordering=%r, or pass "
                        "original_dim_ordering=%r)" % (other, other))
            raise ValueError("Layer %s (%s) does not fit the weights in %s: it expects weights of "
                             "shapes %s, the file's layer %r holds %s%s"
                             % (layer.name, type(layer).__name__, filepath, expected,
                                s.name or "#%d" % stored.index(s), got, hint))
        plan.append((layer, backend_detect.convert_loaded(layer, arrays, backend)))
    backups = [(layer, layer_arrays(layer)) for layer, _ in plan]
    try:
        for layer, arrays in plan:
            _set_layer_arrays(layer, arrays)
    except Exception:
        for layer, old in backups:
            _set_layer_arrays(layer, old)
        raise
    return backend


def _legacy_conv1d(layer, array):
    """Keras 0.x/1.0 Convolution1D kernel ``(nb_filter, n_in, L, 1)`` -> Keras 1.2's
    ``(L, 1, n_in, nb_filter)``, only when the array does not already have the layer's own
    kernel shape: ``Convolution1D(1, 1)`` over n_in features has kernel ``(1, 1, n_in, 1)``,
    which also reads as an old layout and must not be transposed."""
    if type(layer).__name__ not in ("Convolution1D", "Conv1D", "AtrousConvolution1D") or \
            array.ndim != 4:
        return array
    if tuple(array.shape) in [tuple(shape) for shape in _expected_shapes(layer)]:
        return array
    if array.shape[3] == 1 and array.shape[0] == getattr(layer, "nb_filter", None):
        return np.transpose(array, (2, 3, 1, 0))
    return array


def load_weights(model, filepath, by_name=False, original_backend=None,
                 original_dim_ordering=None):
    with open_file(filepath) as handle, reading(filepath):
        stored, legacy = read_weight_groups(handle, filepath)
    return load_into(model, stored, legacy, filepath, by_name, original_backend,
                     original_dim_ordering)


# -- writing ------------------------------------------------------------------------------
def _file_weight_names(layer, backend):
    if hasattr(layer, "layers") and hasattr(layer, "trainable_weights"):
        by_param = {}
        for sub in _leaf_layers(layer):
            for spec, name in zip(sub._ordered_specs(), sub.keras1_weight_names()):
                by_param[id(getattr(sub, spec.attr))] = name
        names = [by_param.get(id(w), "param_%d" % i) for i, w in
                 enumerate(layer.trainable_weights + layer.non_trainable_weights)]
    else:
        names = layer.keras1_weight_names()
    if backend == "tensorflow":
        names = [n + ":0" for n in names]
    return names


def write_weight_groups(group, model, backend=None):
    backend = backend or config.backend()
    layers = weight_layers(model)
    group.attrs["layer_names"] = _encode_list([layer.name for layer in layers])
    for layer in layers:
        sub = group.create_group(layer.name)
        arrays = layer_arrays(layer)
        names = _file_weight_names(layer, backend)
        if len(set(names)) != len(names) or len(names) != len(arrays):
            names = ["param_%d" % i for i in range(len(arrays))]
        sub.attrs["weight_names"] = _encode_list(names)
        for name, array in zip(names, arrays):
            sub.create_dataset(name, data=np.asarray(array, dtype=array.dtype))


def save_weights(model, filepath, overwrite=True):
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError("%s already exists and overwrite=False" % (filepath,))
    h5py = require_h5py()
    with atomic_path(filepath) as temp:
        with h5py.File(temp, "w") as handle:
            write_weight_groups(handle, model)


def write_model_file(filepath, model_config, model, training_config=None, optimizer_weights=None):
    """The ``model.save`` layout: config attrs, ``model_weights`` and ``optimizer_weights``."""
    h5py = require_h5py()
    with atomic_path(filepath) as temp:
        with h5py.File(temp, "w") as handle:
            handle.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
            handle.attrs["model_config"] = json.dumps(model_config).encode("utf8")
            if training_config is not None:
                handle.attrs["training_config"] = json.dumps(training_config).encode("utf8")
            write_weight_groups(handle.create_group("model_weights"), model)
            if optimizer_weights:
                tf = config.backend() == "tensorflow"
                names = [("Variable_%d:0" % i if i else "Variable:0") if tf else "param_%d" % i
                         for i in range(len(optimizer_weights))]
                group = handle.create_group("optimizer_weights")
                group.attrs["weight_names"] = _encode_list(names)
                for name, array in zip(names, optimizer_weights):
                    group.create_dataset(name, data=np.asarray(array))


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
