"""``save_model``/``load_model`` (``model.save``), and ``model_from_yaml``/``to_yaml``.

Two file formats, picked by extension:

* ``.h5``/``.hdf5`` (also ``.keras``, ``.hdf``): Keras 1.2.2's ``model.save`` layout
  (``model_config``, ``training_config``, ``model_weights``, ``optimizer_weights``), readable
  by real Keras 1.2.2; needs h5py.
* anything else: a ``.pt`` file holding only strings, numbers, lists, dicts and tensors, so
  ``torch.load(path, weights_only=True)`` reads it without running code: ``format``
  (``'keras_compat.model'``), ``format_version``, ``keras_version``, ``backend`` (the
  emulated backend at save time), ``model_config`` and ``training_config`` (JSON strings,
  the same as in the HDF5 file), ``layer_names`` + ``weights`` (``{layer: [tensors]}``,
  Keras-1 layout and order), ``optimizer_weights`` (tensors in Keras-1 ``optimizer.weights``
  order) and ``state_dict`` (torch layout, for plain PyTorch users).
"""
import json
import os
import warnings

import numpy as np
import torch

from keras_compat import KERAS_VERSION, optimizers
from keras_compat.backend import config as backend_config
from keras_compat.saving import backend_detect, keras1_hdf5, limits
from keras_compat.saving.atomic import atomic_path
from keras_compat.saving.keras1_hdf5 import StoredLayer
from keras_compat.saving.model_config import model_from_config
from keras_compat.saving.weights_io import check_payload, first_line

FORMAT = "keras_compat.model"
FORMAT_VERSION = 1


def _model_config(model):
    return {"class_name": type(model).__name__, "config": model.get_config()}


def _function_name(value):
    return value if isinstance(value, str) else getattr(value, "__name__", str(value))


def training_config(model):
    """Keras 1's ``training_config`` of a compiled model (None when not compiled)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(model, "_trainer", None) is None:
        return None
    loss = model.loss
    if isinstance(loss, dict):
        loss = {k: _function_name(v) for k, v in loss.items()}
    elif isinstance(loss, (list, tuple)):
        loss = [_function_name(v) for v in loss]
    else:
        loss = _function_name(loss)
    compiled = getattr(model, "_compile_args", None) or {}
    if "metrics" in compiled:
        metrics = _metrics_config(compiled["metrics"])
    else:  # compiled outside compile(): read the one-output names
        names = list(getattr(model, "metrics_names", None) or [])[1:]
        metrics = ["accuracy" if n == "acc" else n for n in names] or None
    trainer = model._trainer
    mode = compiled.get("sample_weight_mode")
    if mode is None and getattr(trainer, "temporal", False):
        mode = "temporal"
    return {"optimizer_config": optimizers.serialize(optimizer), "loss": loss,
            "metrics": metrics, "sample_weight_mode": mode,
            "loss_weights": _json_numbers(compiled.get("loss_weights"))}


def _metrics_config(metrics):
    """``compile(metrics=...)`` as names: None, a list, or lists per output name."""
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        return {k: [_function_name(m) for m in (v if isinstance(v, (list, tuple)) else [v])]
                for k, v in metrics.items()}
    return [_function_name(m) for m in metrics]


def _json_numbers(value):
    """``loss_weights`` as JSON can hold them (NumPy scalars become floats)."""
    if isinstance(value, dict):
        return {k: float(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value]
    return None if value is None else float(value)


def _optimizer_arrays(model):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(model, "_trainer", None) is None:
        return []
    return _optimizer_layout(model, optimizer.get_weights(), to_keras=True)


def _optimizer_layout(model, arrays, to_keras):
    """Optimizer state between keras_compat's list and Keras 1's ``optimizer.weights`` list.

    Keras 1 lists leading scalars (``iterations``, Nadam's ``m_schedule``), then one block per
    state kind, each holding one array per trainable *Keras* variable, sorted by variable name,
    in Keras layout. keras_compat keeps one state tensor per torch parameter (in the trainer's
    order, torch layout; a recurrent layer packs its per-gate matrices into one parameter).
    Each block is converted through the owning layer's own ``get_weights``/``set_weights``
    (the state is swapped into the parameters for the call), so every layout rule of the
    layer applies to its optimizer state too.
    """
    params = list(getattr(model._trainer, "parameters", ()))
    owners = _state_owners(model, params)
    names = sorted(name for _, specs in owners for name, spec, _ in specs if spec.trainable)
    if not params or not names:
        return list(arrays)
    lead = 0
    while lead < len(arrays) and np.asarray(arrays[lead]).ndim == 0:
        lead += 1
    size = len(params) if to_keras else len(names)
    if (len(arrays) - lead) % size:
        return list(arrays)
    converted = [np.asarray(a) for a in arrays[:lead]]
    for start in range(lead, len(arrays), size):
        block = [np.asarray(a) for a in arrays[start:start + size]]
        converted.extend(_block_to_keras(owners, params, block, names) if to_keras
                         else _block_from_keras(owners, params, block, names))
    return converted


def _state_owners(model, params):
    """``[(layer, [(keras_name, spec, owned_params)])]`` for layers owning trainer parameters."""
    wanted = {id(p) for p in params}
    found = []
    for module in model.modules():
        if not hasattr(module, "_ordered_specs"):
            continue
        owned = [p for p in module._parameters.values() if p is not None and id(p) in wanted]
        if not owned:
            continue
        specs = module._ordered_specs()
        found.append((module, [(n, s, owned) for n, s in zip(module.keras1_weight_names(),
                                                              specs)]))
    return found


class _Swapped:
    """Temporarily give parameters other values (optimizer state), restoring them after."""

    def __init__(self, params, values):
        self.params, self.values = params, values

    def __enter__(self):
        with torch.no_grad():
            self.saved = [p.detach().clone() for p in self.params]
            for p, v in zip(self.params, self.values):
                p.copy_(torch.as_tensor(np.asarray(v), dtype=p.dtype))
        return self

    def __exit__(self, *exc):
        with torch.no_grad():
            for p, v in zip(self.params, self.saved):
                p.copy_(v)
        return False


def _block_to_keras(owners, params, block, names):
    state_of = {id(p): v for p, v in zip(params, block)}
    by_name = {}
    for layer, specs in owners:
        owned = specs[0][2]
        with _Swapped(owned, [state_of[id(p)] for p in owned]):
            values = layer.get_weights()
        for (name, spec, _), value in zip(specs, values):
            if spec.trainable:
                by_name[name] = value
    return [by_name[n] for n in names]


def _block_from_keras(owners, params, block, names):
    by_name = dict(zip(names, block))
    state = {}
    for layer, specs in owners:
        owned = specs[0][2]
        current = layer.get_weights()
        wanted = [by_name[name] if spec.trainable else value
                  for (name, spec, _), value in zip(specs, current)]
        with _Swapped(owned, [p.detach() for p in owned]):
            layer.set_weights(wanted)
            for p in owned:
                state[id(p)] = p.detach().cpu().numpy().copy()
    return [state[id(p)] for p in params]


# -- saving -------------------------------------------------------------------------------
def save_model(model, filepath, overwrite=True):
    """Save architecture, weights, and (when compiled) loss and optimizer state."""
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError("%s already exists and overwrite=False" % (filepath,))
    config = _model_config(model)
    training = training_config(model)
    optimizer_arrays = _optimizer_arrays(model)
    if keras1_hdf5.writes_hdf5(filepath):
        keras1_hdf5.write_model_file(filepath, config, model, training, optimizer_arrays)
        return
    layers = keras1_hdf5.weight_layers(model)
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "keras_version": KERAS_VERSION,
        "backend": backend_config.backend(),
        "model_config": json.dumps(config),
        "training_config": json.dumps(training) if training is not None else "",
        "layer_names": [layer.name for layer in layers],
        "weights": {layer.name: [torch.from_numpy(np.array(a))
                                 for a in keras1_hdf5.layer_arrays(layer)] for layer in layers},
        "optimizer_weights": [torch.from_numpy(np.array(a)) for a in optimizer_arrays],
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
    }
    with atomic_path(filepath) as temp:
        torch.save(payload, temp)


# -- loading ------------------------------------------------------------------------------
def read_pt_model(filepath):
    try:
        payload = torch.load(filepath, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise ValueError("%s cannot be loaded safely (torch.load(weights_only=True) refused it: "
                         "it is not a keras_compat model file, or it holds pickled Python "
                         "objects, which could run code): %s"
                         % (filepath, first_line(exc))) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        if isinstance(payload, dict) and payload.get("format") == "keras_compat.weights":
            raise ValueError("%s is a weights file (save_weights), not a model file: build the "
                             "model and call model.load_weights(%r)" % (filepath, filepath))
        raise ValueError("%s is not a keras_compat model file (no %r format marker)"
                         % (filepath, FORMAT))
    if payload.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError("%s was written by a newer keras_compat (format version %s)"
                         % (filepath, payload.get("format_version")))
    check_payload(payload, filepath, {"model_config": str, "training_config": (str, type(None)),
                                      "layer_names": list, "weights": dict,
                                      "optimizer_weights": list})
    return payload


def _lookup(name, custom_objects):
    if isinstance(name, str) and custom_objects and name in custom_objects:
        return custom_objects[name]
    return name


def _compile(model, training, custom_objects):
    optimizer = optimizers.deserialize(training["optimizer_config"])
    loss = training["loss"]
    if isinstance(loss, dict):
        loss = {k: _lookup(v, custom_objects) for k, v in loss.items()}
    elif isinstance(loss, list):
        loss = [_lookup(v, custom_objects) for v in loss]
    else:
        loss = _lookup(loss, custom_objects)
    metrics = [_lookup(m, custom_objects) for m in training.get("metrics") or []]
    kwargs = {}
    if training.get("sample_weight_mode") is not None:
        kwargs["sample_weight_mode"] = training["sample_weight_mode"]
    if training.get("loss_weights") is not None:
        kwargs["loss_weights"] = training["loss_weights"]
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics or None, **kwargs)


def _restore_optimizer(model, arrays, filepath):
    if not arrays:
        return
    try:
        model.optimizer.set_weights(_optimizer_layout(model, arrays, to_keras=False))
    except ValueError as exc:
        warnings.warn("%s: the optimizer state was not restored (%s); training resumes with a "
                      "fresh optimizer state." % (filepath, exc), stacklevel=3)


def _message(exc):
    return str(exc) if not isinstance(exc, KeyError) else "missing %s" % (exc,)


def load_model(filepath, custom_objects=None, compile=True, original_backend=None,
               safe_mode=True):
    """Rebuild a model saved with ``model.save``/``save_model`` (.h5 from Keras 1, or .pt).

    # Arguments
        custom_objects: ``{name: class or function}`` for custom layers, losses, metrics.
        compile: compile with the saved loss/optimizer and restore the optimizer state.
        original_backend: ``'theano'``/``'tensorflow'``: the Keras-1 backend that wrote an HDF5
            file (detected from weight names when None; see ``backend_detect``).
        safe_mode: refuse ``Lambda`` bytecode this process did not write and function
            references other than Keras-1 activations/backend functions and
            ``custom_objects`` (both would run code the file chose); pass ``False`` only for
            files you trust (migration_guide/security.md).
    """
    filepath = os.fspath(filepath)
    backend_detect.check_backend(original_backend)
    if keras1_hdf5.is_hdf5_file(filepath):
        config, training, stored, legacy, optimizer_arrays = keras1_hdf5.read_model_file(filepath)
    else:
        if not os.path.exists(filepath):
            raise FileNotFoundError("%s: no such file" % (filepath,))
        payload = read_pt_model(filepath)
        config = limits.parse_json(payload["model_config"], "%s: model_config" % filepath)
        training = (limits.parse_json(payload["training_config"],
                                      "%s: training_config" % filepath)
                    if payload["training_config"] else None)
        stored = [StoredLayer(name, None, [t.numpy() for t in payload["weights"][name]])
                  for name in payload["layer_names"]]
        legacy = False
        optimizer_arrays = [t.numpy() for t in payload["optimizer_weights"]]
        original_backend = original_backend or payload.get("backend")
        for item in stored:
            item.weight_names = ["%s_param_%d" % (item.name, i) for i in range(len(item.arrays))]
    try:
        model = model_from_config(config, custom_objects, safe_mode=safe_mode)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValueError("%s: the model_config cannot be rebuilt: %s"
                         % (filepath, _message(exc))) from exc
    keras1_hdf5.load_into(model, stored, legacy, filepath, original_backend=original_backend)
    if compile and training is not None:
        try:
            _compile(model, training, custom_objects)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ValueError("%s: the training_config cannot be used to compile the model: %s"
                             % (filepath, _message(exc))) from exc
        _restore_optimizer(model, optimizer_arrays, filepath)
    return model


# -- YAML ---------------------------------------------------------------------------------
def _require_yaml():
    try:
        import yaml
    except ImportError:
        raise ImportError("model_from_yaml/to_yaml need PyYAML, a keras-compat dependency that "
                          "is missing here: pip install pyyaml") from None
    return yaml


def to_yaml(model, **kwargs):
    yaml = _require_yaml()
    config = json.loads(json.dumps({"class_name": type(model).__name__,
                                    "config": model.get_config(),
                                    "keras_version": KERAS_VERSION}))
    return yaml.safe_dump(config, **kwargs)


def model_from_yaml(yaml_string, custom_objects=None, safe_mode=True):
    """Rebuild a model from ``to_yaml`` output (also Keras 1's, tuples included); aliases,
    size and nesting are bounded, ``safe_mode`` as in ``load_model``."""
    yaml = _require_yaml()
    config = limits.parse_yaml(yaml, yaml_string, "model_from_yaml")
    if not isinstance(config, dict):
        raise ValueError("model_from_yaml: expected a mapping with 'class_name' and 'config', got "
                         "%r" % (type(config).__name__,))
    config.pop("keras_version", None)
    return model_from_config(config, custom_objects, safe_mode=safe_mode)
