"""Keras-1 model configs: ``layer_from_config``, ``model_from_json``, ``model_from_config``."""
import copy
import inspect


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
    from keras_compat._registry import CUSTOM_OBJECTS
    classes = _known_classes()
    classes.update(CUSTOM_OBJECTS)  # custom_object_scope(...) names, as Keras 1 looked them up
    classes.update(custom_objects or {})
    if class_name not in classes:
        raise ValueError("Unknown layer: %s. If it is a custom layer, pass its class in "
                         "custom_objects={'%s': %s}." % (class_name, class_name, class_name))
    cls = classes[class_name]
    inner = config.get("config", {})
    if class_name in ("Sequential", "Model"):
        return cls.from_config(inner, custom_objects, **_safe_kw(cls, safe_mode))
    extra = _safe_kw(cls, safe_mode, custom_objects)
    if class_name == "Merge" and inner.get("layers"):  # Keras 1's Merge of models
        extra["layers"] = [layer_from_config(branch, custom_objects, safe_mode)
                           for branch in inner["layers"]]
    return cls.from_config(dict(inner), **extra)


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


# Keras 1.2.2's get_config of these layers leaves dim_ordering out, so its own loader gave
# them keras.json's ordering: a th model saved under Theano broke on a tf machine.
_ORDERING_LEFT_OUT = frozenset({"ZeroPadding2D", "ZeroPadding3D", "UpSampling2D", "UpSampling3D",
                                "Cropping2D", "Cropping3D"})


def _layer_configs(config):
    """Every ``{'class_name', 'config'}`` dict inside a model config, nested models included."""
    if isinstance(config, dict):
        if "class_name" in config and isinstance(config.get("config"), dict):
            yield config
        for value in config.values():
            yield from _layer_configs(value)
    elif isinstance(config, list):
        for value in config:
            yield from _layer_configs(value)


def infer_left_out_dim_ordering(config):
    """Give the layers whose Keras-1 config omits ``dim_ordering`` the model's own ordering.

    When every layer that does record it agrees (``th`` or ``tf``), that is the ordering the
    model was built with; otherwise keras.json's default applies, as in Keras 1. Changes
    ``config`` in place and returns it.
    """
    layers = list(_layer_configs(config))
    recorded = {c["config"].get("dim_ordering") for c in layers} & {"th", "tf"}
    if len(recorded) == 1:
        ordering = recorded.pop()
        for layer in layers:
            if layer["class_name"] in _ORDERING_LEFT_OUT and \
                    layer["config"].get("dim_ordering", "default") == "default":
                layer["config"]["dim_ordering"] = ordering
    return config


def model_from_config(config, custom_objects=None, safe_mode=None):
    if isinstance(config, list):
        raise TypeError("`model_from_config` expects a dictionary, not a list. Maybe you meant to "
                        "use `Sequential.from_config(config)`?")
    config = infer_left_out_dim_ordering(copy.deepcopy(config))
    return layer_from_config(config, custom_objects, safe_mode)


def model_from_json(json_string, custom_objects=None, safe_mode=None):
    """Rebuild a model from ``model.to_json()`` output (no weights)."""
    from keras_compat.saving import limits
    config = limits.parse_json(json_string, "model_from_json")
    return layer_from_config(infer_left_out_dim_ordering(config), custom_objects, safe_mode)
