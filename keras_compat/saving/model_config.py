"""Keras-1 model configs: ``layer_from_config``, ``model_from_json``, ``model_from_config``.

Class names are looked up in the engine's layer registry (``engine.registry``), which the
layer and model classes fill as they are defined; importing ``keras_compat.layers`` here makes
sure every built-in layer is there before a config names it.
"""
import copy

from keras_compat import layers as _all_layers  # noqa: F401 (registers every built-in layer)
from keras_compat.engine.registry import layer_from_config as layer_from_config
from keras_compat.saving import limits


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
    """Rebuild a model from ``model.to_json()`` output (no weights); size and nesting are
    bounded, ``safe_mode`` as in ``load_model`` (migration_guide/security.md)."""
    config = limits.parse_json(json_string, "model_from_json")
    return layer_from_config(infer_left_out_dim_ordering(config), custom_objects, safe_mode)
