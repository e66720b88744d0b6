"""Which translator writes the PyTorch lines of which Keras-1 layer class."""
from keras_compat.saving.porting.source import PortError

_TRANSLATORS = {}


def translates(*class_names):
    """Register the decorated ``fn(call) -> lines`` for these layer class names (and aliases)."""
    def register(fn):
        for name in class_names:
            if name in _TRANSLATORS:
                raise RuntimeError("two translators for %s" % name)
            _TRANSLATORS[name] = fn
        return fn
    return register


def translator_for(layer):
    kind = type(layer).__name__
    # Only keras_compat's own classes: a user's subclass of Dense may compute something else.
    if kind in _TRANSLATORS and type(layer).__module__.startswith("keras_compat."):
        return _TRANSLATORS[kind]
    if kind == "Lambda":
        raise PortError("to_torch: layer %s (Lambda) has no plain-PyTorch translation: its "
                        "function is arbitrary Python; port the model without it, or write that "
                        "step by hand in the generated forward()" % layer.name)
    raise PortError("to_torch: layer %s (%s) has no plain-PyTorch translation; supported "
                    "layers are listed in migration_guide/porting.md, and a custom layer must "
                    "be written by hand in the generated forward()" % (layer.name, kind))


def supported_classes():
    return sorted(_TRANSLATORS)
