"""Which translator writes the PyTorch lines of which Keras-1 layer class.

Translators are registered by class and found along the layer's MRO, so a subclass of a
built-in layer (one that adds a method, changes a default) ports as that layer. A subclass
that overrides a method computing the output or the mask may compute something the
translator does not write; it is refused like a custom layer.
"""
from keras_compat.layers import Lambda
from keras_compat.port.source import PortError

_TRANSLATORS = {}

# The methods whose result the translators write out: forward/call compute the output (``run``
# is the recurrent layers' loop over time), compute_mask the mask passed on.
COMPUTING_METHODS = ("forward", "call", "run", "compute_mask")


def translates(*classes):
    """Register the decorated ``fn(call) -> lines`` for these layer classes (and subclasses
    that compute as they do)."""
    def register(fn):
        for klass in classes:
            if klass in _TRANSLATORS:
                raise RuntimeError("two translators for %s" % klass.__name__)
            _TRANSLATORS[klass] = fn
        return fn
    return register


def _overridden(cls, base):
    """The computing methods ``cls`` defines differently from ``base``."""
    return [name for name in COMPUTING_METHODS
            if getattr(cls, name, None) is not getattr(base, name, None)]


def registered_class(layer):
    """The class ``layer`` is translated as: the nearest registered class along its MRO,
    provided ``layer``'s own class computes as that one does; else a ``PortError``."""
    cls = type(layer)
    for klass in cls.__mro__:
        if klass in _TRANSLATORS:
            overridden = _overridden(cls, klass)
            if not overridden:
                return klass
            why = "; %s overrides %s.%s(), so it may compute something else" % (
                cls.__name__, klass.__name__, overridden[0])
            break
    else:
        why = ""
    if isinstance(layer, Lambda):
        raise PortError("to_torch: layer %s (%s) has no plain-PyTorch translation: its "
                        "function is arbitrary Python; port the model without it, or write that "
                        "step by hand in the generated forward()" % (layer.name, cls.__name__))
    raise PortError("to_torch: layer %s (%s) has no plain-PyTorch translation; supported "
                    "layers are listed in migration_guide/porting.md, and a custom layer must "
                    "be written by hand in the generated forward()%s"
                    % (layer.name, cls.__name__, why))


def translator_for(layer):
    """The translator of ``layer``'s registered class (see ``registered_class``)."""
    return _TRANSLATORS[registered_class(layer)]


def supported_classes():
    """The registered layer classes, by name."""
    return sorted(_TRANSLATORS, key=lambda klass: klass.__name__)
