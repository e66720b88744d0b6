"""Keras-1 model configs: ``layer_from_config``, ``model_from_json``, ``model_from_config``."""
import inspect
import json


def _known_classes():
    from keras_compat import layers
    from keras_compat.models.model import Model
    from keras_compat.models.sequential import Sequential
    classes = {name: getattr(layers, name) for name in layers.__all__}
    classes["Sequential"] = Sequential
    classes["Model"] = Model
    return classes


def layer_from_config(config, custom_objects=None, safe_mode=None):
    """Build a layer (or a Sequential) from ``{'class_name': ..., 'config': ...}``.

    ``safe_mode`` reaches every ``from_config`` that takes it (``Lambda``: ``False`` allows
    marshalled bytecode, which runs code from the file)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("A layer config must be a dict with 'class_name' and 'config'; got %r"
                         % (config,))
    class_name = config["class_name"]
    classes = _known_classes()
    classes.update(custom_objects or {})
    if class_name not in classes:
        raise ValueError("Unknown layer: %s. If it is a custom layer, pass its class in "
                         "custom_objects={'%s': %s}." % (class_name, class_name, class_name))
    cls = classes[class_name]
    inner = config.get("config", {})
    if class_name in ("Sequential", "Model"):
        return cls.from_config(inner, custom_objects, **_safe_kw(cls, safe_mode))
    return cls.from_config(dict(inner), **_safe_kw(cls, safe_mode, custom_objects))


def _safe_kw(cls, safe_mode, custom_objects=None):
    """The optional ``safe_mode``/``custom_objects`` keywords that ``cls.from_config`` takes."""
    try:
        accepted = inspect.signature(cls.from_config).parameters
    except (TypeError, ValueError):
        return {}
    extra = {}
    if safe_mode is not None and "safe_mode" in accepted:
        extra["safe_mode"] = safe_mode
    if custom_objects and "custom_objects" in accepted:
        extra["custom_objects"] = custom_objects
    return extra


def model_from_config(config, custom_objects=None, safe_mode=None):
    if isinstance(config, list):
        raise TypeError("`model_from_config` expects a dictionary, not a list. Maybe you meant to "
                        "use `Sequential.from_config(config)`?")
    return layer_from_config(config, custom_objects, safe_mode)


def model_from_json(json_string, custom_objects=None, safe_mode=None):
    """Rebuild a model from ``model.to_json()`` output (no weights)."""
    try:
        config = json.loads(json_string)
    except ValueError as exc:
        raise ValueError("model_from_json: the string is not valid JSON (%s)" % exc) from None
    return layer_from_config(config, custom_objects, safe_mode)
