"""``save_model``/``load_model`` (``model.save``), and ``model_from_yaml``/``to_yaml``.

Two file formats: ``save`` picks by name, ``load_model`` by content.

* ``.pt``/``.pth``: keras_compat's torch payload (``torch_format``), read with
  ``torch.load(path, weights_only=True)`` so loading runs no code; it records the backend and
  dim ordering the weights were saved under.
* any other name: Keras 1.2.2's ``model.save`` HDF5 layout (``model_config``,
  ``training_config``, ``model_weights``, ``optimizer_weights``), readable by real Keras
  1.2.2; needs h5py (``keras1_hdf5``).

Either way the weights go through ``assignment.assign`` and the optimizer state through
``optimizer_state``.
"""
import json
import os
import warnings

from keras_compat import KERAS_VERSION, optimizers
from keras_compat.backend import config as backend_config
from keras_compat.saving import (assignment, backend_detect, keras1_hdf5, limits,
                                 optimizer_state, torch_format)
from keras_compat.saving.model_config import model_from_config


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


# -- saving -------------------------------------------------------------------------------
def save_model(model, filepath, overwrite=True):
    """Save architecture, weights, and (when compiled) loss and optimizer state."""
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError("%s already exists and overwrite=False" % (filepath,))
    config = _model_config(model)
    training = training_config(model)
    optimizer_arrays = optimizer_state.optimizer_arrays(model)
    backend = backend_config.backend()
    groups = assignment.model_groups(model, backend)
    if keras1_hdf5.writes_hdf5(filepath):
        keras1_hdf5.write_model_file(filepath, config, groups, backend, training,
                                     optimizer_arrays)
        return
    torch_format.write_model_file(filepath, model, groups, backend,
                                  assignment.model_dim_ordering(model), KERAS_VERSION,
                                  json.dumps(config),
                                  json.dumps(training) if training is not None else "",
                                  optimizer_arrays)


# -- loading ------------------------------------------------------------------------------
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
        model.optimizer.set_weights(optimizer_state.optimizer_layout(model, arrays,
                                                                   to_keras=False))
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
        provenance = assignment.Provenance(original_backend, legacy=legacy)
    else:
        if not os.path.exists(filepath):
            raise FileNotFoundError("%s: no such file" % (filepath,))
        payload = torch_format.read_model_file(filepath)
        config = limits.parse_json(payload["model_config"], "%s: model_config" % filepath)
        training = (limits.parse_json(payload["training_config"],
                                      "%s: training_config" % filepath)
                    if payload["training_config"] else None)
        stored = torch_format.stored_groups(payload)
        optimizer_arrays = [t.numpy() for t in payload["optimizer_weights"]]
        provenance = torch_format.provenance(payload, original_backend, None,
                                             backend_config.backend())
    try:
        model = model_from_config(config, custom_objects, safe_mode=safe_mode)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValueError("%s: the model_config cannot be rebuilt: %s"
                         % (filepath, _message(exc))) from exc
    assignment.assign(model, stored, filepath, provenance)
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
