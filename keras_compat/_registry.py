"""Tiny shared helper for the Keras-1 ``get(identifier)`` look-ups.

Every registry module (activations, initializations, regularizers, constraints, objectives,
metrics) keeps a plain ``{name: object}`` table; this module turns a miss into one clear
``ValueError`` that names the unknown identifier and lists the valid names.

It also holds Keras 1's global custom objects (``keras.utils.generic_utils.get_custom_objects``):
as in Keras 1.2.2, a name registered there wins over every table, so
``with custom_object_scope({'my_act': f}): Dense(3, activation='my_act')`` finds ``f``.
"""

# The live dictionary ``get_custom_objects()`` returns; ``CustomObjectScope`` restores it.
CUSTOM_OBJECTS = {}


def get_custom_objects():
    """The live global ``{name: object}`` dict the look-ups consult before their own tables."""
    return CUSTOM_OBJECTS


def invalid(kind, identifier, valid_names, hint=None):
    """Build (not raise) the ValueError for an unknown ``identifier`` of ``kind``."""
    message = "Invalid %s: %r. Valid: %s" % (kind, identifier, ", ".join(sorted(valid_names)))
    if hint:
        message += ". " + hint
    return ValueError(message)


def lookup(name, table, kind, hint=None):
    """``CUSTOM_OBJECTS[name]`` when registered there, else ``table[name]``, else the
    ValueError described in :func:`invalid`."""
    custom = CUSTOM_OBJECTS.get(name) if isinstance(name, str) else None
    if custom:
        return custom
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


def get_from_module(identifier, module_params, module_name, instantiate=False, kwargs=None):
    """Keras 1's ``get_from_module``: resolve ``identifier`` against ``module_params`` (a
    name -> object dict, e.g. a module's ``globals()``), custom objects first.

    * a string is looked up (``ValueError('Invalid <module_name>: <id>')`` if missing or
      falsy); with ``instantiate`` the found object is called, with ``**kwargs`` when given;
    * a dict ``{'name': ..., **params}`` looks up ``name`` and returns ``obj(**params)`` (the
      caller's dict is left untouched, where Keras 1 popped ``'name'`` out of it);
    * anything else (an already built object, a callable) is returned unchanged.
    """
    if isinstance(identifier, str):
        found = CUSTOM_OBJECTS.get(identifier) or module_params.get(identifier)
        if not found:
            raise ValueError('Invalid ' + str(module_name) + ': ' + str(identifier))
        if instantiate:
            return found(**kwargs) if kwargs else found()
        return found
    if isinstance(identifier, dict):
        params = dict(identifier)
        name = params.pop('name')
        found = CUSTOM_OBJECTS.get(name) or module_params.get(name)
        if found:
            return found(**params)
        raise ValueError('Invalid ' + str(module_name) + ': ' + str(params))
    return identifier
