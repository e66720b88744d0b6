"""Tiny shared helper for the Keras-1 ``get(identifier)`` look-ups.

Every registry module (activations, initializations, regularizers, constraints, objectives,
metrics) keeps a plain ``{name: object}`` table; this module turns a miss into one clear
``ValueError`` that names the unknown identifier and lists the valid names.
"""


def invalid(kind, identifier, valid_names, hint=None):
    """Build (not raise) the ValueError for an unknown ``identifier`` of ``kind``."""
    message = "Invalid %s: %r. Valid: %s" % (kind, identifier, ", ".join(sorted(valid_names)))
    if hint:
        message += ". " + hint
    return ValueError(message)


def lookup(name, table, kind, hint=None):
    """Return ``table[name]`` or raise the ValueError described in :func:`invalid`."""
    try:
        return table[name]
    except (KeyError, TypeError):
        raise invalid(kind, name, table, hint) from None


def name_of(obj):
    """The name Keras 1 records for a function or object (``__name__`` or the class name)."""
    name = getattr(obj, "__name__", None)
    if name is None:
        name = type(obj).__name__
    return name
