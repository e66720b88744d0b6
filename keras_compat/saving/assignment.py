"""Weight assignment: the one path from a file's weight groups to a model's layers.

Every weights file (Keras-1 ``.h5``, keras_compat ``.pt``; ``save_weights`` and ``model.save``)
holds one group per layer: the layer's name, its Keras-1 weight names and its arrays in
Keras-1 layout. Its *provenance* says what wrote it: the emulated backend (Theano's
convolutions flip the kernel, TensorFlow's do not), the image dim ordering and whether it is
the Keras 0.x layout (groups by position, no names).

``assign`` pairs groups with layers (by name, by order, or by the flattened order of Keras
1.0/1.1 files), converts each layer's arrays from the file's provenance to the layer's own
(legacy Convolution1D layout, th/tf ordering, backend flip), checks every shape and assigns
all of them or none. ``model_groups`` is the other direction: the groups a file of a model
holds. The file formats themselves are read and written by ``keras1_hdf5`` and
``torch_format``.
"""
import dataclasses

import numpy as np

from keras_compat.engine.container import LayerGroup
from keras_compat.saving import backend_detect

DIM_ORDERINGS = ("th", "tf")


class StoredLayer:
    """One layer's weights from a file: its name (None in the 0.x layout) and arrays."""

    def __init__(self, name, weight_names, arrays):
        self.name = name
        self.weight_names = weight_names
        self.arrays = arrays

    def __repr__(self):
        return "StoredLayer(%r, %s)" % (self.name, [a.shape for a in self.arrays])


@dataclasses.dataclass(frozen=True)
class Provenance:
    """What wrote a weights file, as far as the file (or the caller) tells.

    ``backend``: ``'theano'``/``'tensorflow'``, or None to detect it from the weight names
    (Keras-1 files record no backend). ``dim_ordering``: ``'th'``/``'tf'``, or None when the
    arrays already have the model's orderings. ``legacy``: the Keras 0.x layout.
    """
    backend: object = None
    dim_ordering: object = None
    legacy: bool = False

    def __post_init__(self):
        backend_detect.check_backend(self.backend)
        if self.dim_ordering not in (None,) + DIM_ORDERINGS:
            raise ValueError("original_dim_ordering must be 'th' or 'tf' (or None), not %r"
                             % (self.dim_ordering,))


# -- the model's side: which layers a file lists, and their arrays ------------------------
def _is_model(layer):
    return isinstance(layer, LayerGroup)


def _is_sequential(model):
    return _is_model(model) and model.is_layer_stack


def weight_layers(model, flatten_nested=False):
    """The layers whose groups a Keras-1 file of ``model`` lists, in file order.

    Keras 1.2.2's ``flattened_layers``: a Sequential's layers, each one group (a nested model
    too, holding all its weights), except that a first-layer ``Merge`` of models is replaced
    by the layers of the merged models. Keras 1.0 and 1.1 flattened nested Sequentials
    everywhere (``flatten_nested=True``).
    """
    if not _is_sequential(model):
        return list(model.layers)
    layers = model.layers
    found = []
    if layers and getattr(layers[0], "_branches", None):
        for branch in layers[0]._branches:
            if _is_sequential(branch):
                inner = weight_layers(branch, flatten_nested)
            else:
                inner = list(getattr(branch, "layers", None) or [branch])
            found.extend(layer for layer in inner if layer not in found)
        layers = layers[1:]
    for layer in layers:
        if flatten_nested and _is_sequential(layer):
            found.extend(weight_layers(layer, flatten_nested))
        else:
            found.append(layer)
    return found


def _members(layer):
    """The layers whose weights ``layer`` holds, in its ``get_weights()`` order (a model's
    layers, a wrapper's inner layers, a Keras-1 ``Merge``'s merged models), or None for a
    layer that owns its weights itself."""
    if _is_model(layer):
        return layer.layers
    if hasattr(layer, "inner_layers"):
        return layer.inner_layers()
    branches = getattr(layer, "_branches", None)
    if branches:
        return [b for i, b in enumerate(branches) if all(b is not o for o in branches[:i])]
    return None


def _group_entries(model):
    """``[(owner, index)]``: a nested model's file group, Keras 1's ``model.trainable_weights``
    then ``model.non_trainable_weights``, each the ``index``-th of ``owner.get_weights()``
    (a recurrent layer's packed torch parameter is several Keras-1 weights)."""
    trainable, frozen = [], []

    def collect(layer, active):
        active = active and layer.trainable
        members = _members(layer)
        if members is not None:
            for member in members:
                collect(member, active)
            return
        for index, spec in enumerate(layer._ordered_specs()):
            (trainable if active and spec.trainable else frozen).append((layer, index))

    collect(model, True)
    return trainable + frozen


def layer_arrays(layer):
    """A layer's arrays in the order of its file group (models: trainable, then not)."""
    if not _is_model(layer):
        return layer.get_weights()
    arrays = {}
    for owner, index in _group_entries(layer):
        if id(owner) not in arrays:
            arrays[id(owner)] = owner.get_weights()
    return [arrays[id(owner)][index] for owner, index in _group_entries(layer)]


def _expected_shapes(layer):
    return [tuple(a.shape) for a in layer_arrays(layer)]


def _file_weight_names(layer, backend):
    if _is_model(layer):
        names = [owner.keras1_weight_names()[index] for owner, index in _group_entries(layer)]
    else:
        names = layer.keras1_weight_names()
    if backend == "tensorflow":
        names = [n + ":0" for n in names]
    return names


def model_groups(model, backend):
    """The groups a file of ``model`` holds, one per ``weight_layers`` entry, named as Keras 1
    names variables under ``backend`` (``dense_1_W:0`` under TensorFlow)."""
    groups = []
    for layer in weight_layers(model):
        arrays = layer_arrays(layer)
        names = _file_weight_names(layer, backend)
        if len(set(names)) != len(names) or len(names) != len(arrays):
            names = ["param_%d" % i for i in range(len(arrays))]
        groups.append(StoredLayer(layer.name, names, arrays))
    return groups


def _leaves(layers):
    for layer in layers:
        inner = getattr(layer, "layers", None)
        if inner:
            yield from _leaves(inner)
        else:
            yield layer


def model_dim_ordering(model):
    """The image dim ordering of the model's ordered layers when they share one, else None."""
    found = {getattr(layer, "dim_ordering", None) for layer in _leaves(weight_layers(model))}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


# -- pairing groups with layers -------------------------------------------------------------
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


def _pair(layers, stored, filepath, by_name, legacy):
    """``[(layer, stored group)]``: by name, or by position among the layers with weights."""
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
        return pairs
    if legacy:
        if len(stored) != len(layers):
            raise ValueError("You are trying to load a weight file containing %d layers into a "
                             "model with %d layers (%s)." % (len(stored), len(layers), filepath))
        return [(layer, s) for layer, s in zip(layers, stored) if s.arrays]
    filled = [layer for layer in layers if _expected_shapes(layer)]
    kept = [s for s in stored if s.arrays]
    if len(kept) != len(filled):
        raise ValueError("You are trying to load a weight file containing %d layers into a "
                         "model with %d layers (%s)." % (len(kept), len(filled), filepath))
    return list(zip(filled, kept))


# -- converting a group's arrays to the layer's own layout ---------------------------------
def _owners(layer, count):
    """``[(owner, positions)]``: the layer owning each of a group's ``count`` arrays (its
    ``positions``, in the owner's ``get_weights()`` order), so that each array is converted
    by its own layer. A group that does not fit is left whole (and reported, unconverted, by
    the caller)."""
    whole = [(layer, list(range(count)))]
    if _is_model(layer):  # the file group's order: trainable weights first
        entries = _group_entries(layer)
        if count != len(entries):
            return whole
        found = {}
        for position, (owner, index) in enumerate(entries):
            found.setdefault(id(owner), (owner, {}))[1][index] = position
        return [(owner, [where[i] for i in sorted(where)]) for owner, where in found.values()]
    found = _owners_in_order(layer, 0)
    return found if sum(len(p) for _, p in found) == count else whole


def _owners_in_order(layer, offset):
    """``_owners`` of ``layer.get_weights()``: its members' weights one after the other."""
    members = _members(layer)
    if members is None:
        return [(layer, list(range(offset, offset + len(layer._ordered_specs()))))]
    found = []
    for member in members:
        found.extend(_owners_in_order(member, offset + sum(len(p) for _, p in found)))
    return found


def _upgrade_legacy_layout(layer, arrays):
    """Keras 0.x/1.0 Convolution1D kernel ``(nb_filter, n_in, L, 1)`` -> Keras 1.2's
    ``(L, 1, n_in, nb_filter)`` (as Keras 1.2.2 read old files).

    The layers concerned declare a 1-D kernel: ``filter_length`` and ``nb_filter`` with a
    Keras-1 kernel of shape ``(filter_length, 1, n_in, nb_filter)``. A kernel already in the
    layer's own shape is never transposed: ``Convolution1D(1, 1)`` over n_in features has
    kernel ``(1, 1, n_in, 1)``, which also reads as an old layout.
    """
    length, filters = getattr(layer, "filter_length", None), getattr(layer, "nb_filter", None)
    if length is None or filters is None or not arrays:
        return arrays
    own = _expected_shapes(layer)
    if not own or len(own[0]) != 4 or own[0][:2] != (length, 1) or own[0][3] != filters:
        return arrays
    kernel = arrays[0]
    if kernel.ndim != 4 or tuple(kernel.shape) == own[0]:
        return arrays
    if kernel.shape[3] == 1 and kernel.shape[0] == filters:
        kernel = np.transpose(kernel, (2, 3, 1, 0))
    return [kernel] + list(arrays[1:])


def _convert_ordering(layer, arrays, source, target):
    """A layer's arrays written in ``source`` dim ordering, in the layer's own ordering: read
    through the layer's weight specs for ``source`` (th ``(out, in, *k)`` and tf
    ``(*k, in, out)`` kernels differ by a transposition), shown through its own specs."""
    if target not in DIM_ORDERINGS or target == source:
        return arrays
    return backend_detect.convert_dim_ordering(layer, arrays, source)


def _flattened_image_before(sequence, index):
    """``(image shape, ordering)`` when ``sequence[index]`` directly follows a layer that
    flattens an image (its ``flattened_image_shape()``), else ``(None, None)``."""
    if index <= 0:
        return None, None
    shape = sequence[index - 1].flattened_image_shape()
    ordering = None
    for previous in reversed(sequence[:index - 1]):
        ordering = getattr(previous, "dim_ordering", None)
        if ordering in DIM_ORDERINGS:
            break
    if shape is None or len(shape) not in (3, 4) or ordering not in DIM_ORDERINGS:
        return None, None
    return tuple(shape), ordering


def _row_reorder(image, source, target):
    """A function putting a matrix's rows (one per flattened image element) from the
    ``source`` flatten order into the ``target`` one."""
    def reorder(weight):
        if target == "tf":  # image is (*spatial, channels); the file's rows (channels, *spatial)
            spatial, channels = image[:-1], image[-1]
            rows = weight.reshape((channels,) + spatial + (-1,))
            order = tuple(range(1, len(spatial) + 1)) + (0, len(spatial) + 1)
        else:  # image is (channels, *spatial); the file's rows are (*spatial, channels)
            channels, spatial = image[0], image[1:]
            rows = weight.reshape(spatial + (channels, -1))
            order = (len(spatial),) + tuple(range(len(spatial))) + (len(spatial) + 1,)
        return np.ascontiguousarray(rows.transpose(order).reshape(weight.shape))
    return reorder


def _layer_sequence(layers):
    """The layers in model order with nested Sequentials opened, so that a Flatten at the end
    of a nested model is seen right before the Dense that follows the model."""
    for layer in layers:
        if _is_sequential(layer):
            yield from _layer_sequence(layer.layers)
        else:
            yield layer


def _convert_dim_ordering(sequence, leaf, arrays, source):
    """Arrays written by a ``source``-ordered model, made to fit ``leaf``'s ordering: kernels
    are transposed between the th and tf layouts, and a layer reading a flattened image gets
    its input rows reordered between (channels, rows, cols) and (rows, cols, channels)."""
    if source is None or not arrays:
        return arrays
    arrays = _convert_ordering(leaf, arrays, source, getattr(leaf, "dim_ordering", None))
    index = next((i for i, layer in enumerate(sequence) if layer is leaf), -1)
    image, ordering = _flattened_image_before(sequence, index)
    if image is not None and ordering != source:
        arrays = leaf.reorder_input_features(arrays, _row_reorder(image, source, ordering))
    return arrays


def _misfit(layer, stored, stored_index, arrays, filepath):
    expected = _expected_shapes(layer)
    got = [tuple(a.shape) for a in arrays]
    if expected == got:
        return None
    hint = ""
    if sorted(map(sorted, expected)) == sorted(map(sorted, got)) and len(expected[0]) >= 3:
        other = "th" if getattr(layer, "dim_ordering", "tf") == "tf" else "tf"
        hint = (" (the same sizes in another order: the file may use the other "
                "image_dim_ordering; build the model with dim_ordering=%r, or pass "
                "original_dim_ordering=%r)" % (other, other))
    return ValueError("Layer %s (%s) does not fit the weights in %s: it expects weights of "
                      "shapes %s, the file's layer %r holds %s%s"
                      % (layer.name, type(layer).__name__, filepath, expected,
                         stored.name or "#%d" % stored_index, got, hint))


def _set_parts(parts):
    for leaf, arrays in parts:
        leaf.set_weights(arrays)


def assign(model, stored, filepath, provenance, by_name=False):
    """Assign the file's groups to ``model``'s layers; nothing changes unless all fit.

    Returns the backend the file was taken to come from (None when undecided).
    """
    layers = _file_layout(model, stored, provenance.legacy)
    names = [n for s in stored for n in s.weight_names if not provenance.legacy]
    backend = backend_detect.resolve(provenance.backend, names, layers, filepath)
    sequence = list(_layer_sequence(layers))
    plan = []
    for layer, group in _pair(layers, stored, filepath, by_name, provenance.legacy):
        owners = _owners(layer, len(group.arrays))
        arrays = list(group.arrays)
        for owner, positions in owners:
            owned = _upgrade_legacy_layout(owner, [arrays[p] for p in positions])
            owned = _convert_dim_ordering(sequence, owner, owned, provenance.dim_ordering)
            for p, array in zip(positions, owned):
                arrays[p] = array
        error = _misfit(layer, group, stored.index(group), arrays, filepath)
        if error is not None:
            raise error
        plan.extend((owner, backend_detect.convert_loaded(owner, [arrays[p] for p in positions],
                                                          backend))
                    for owner, positions in owners)
    backups = [(leaf, leaf.get_weights()) for leaf, _ in plan]
    try:
        _set_parts(plan)
    except Exception:
        _set_parts(backups)
        raise
    return backend
