"""The model graph: layers and shape inference (no training here).

As ``keras.engine`` it also offers what Keras 1.2.2 re-exported from it (``Layer``, ``Input``,
``InputLayer``, ``InputSpec``, ``Merge``, ``merge``, ``get_source_inputs``, ``Model``). They are
resolved on first access: the layers and models they come from import this package.
"""
import importlib

# name -> (module, attribute)
_REEXPORTS = {
    "InputSpec": ("keras_compat.engine.input_spec", "InputSpec"),
    "Input": ("keras_compat.engine.input_layer", "Input"),
    "InputLayer": ("keras_compat.engine.input_layer", "InputLayer"),
    "Layer": ("keras_compat.engine.layer", "Layer"),
    "Merge": ("keras_compat.layers.core.merge_layer", "Merge"),
    "merge": ("keras_compat.layers.core.merge_layer", "merge"),
    "get_source_inputs": ("keras_compat.engine.container", "get_source_inputs"),
    "Model": ("keras_compat.models.model", "Model"),
}

__all__ = sorted(_REEXPORTS)


def __getattr__(name):
    try:
        module, attribute = _REEXPORTS[name]
    except KeyError:
        raise AttributeError("module 'keras_compat.engine' has no attribute %r" % (name,)) from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_REEXPORTS))
