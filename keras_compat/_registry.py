"""The Keras-1 ``get(identifier)`` look-ups, one :class:`Vocabulary` object per vocabulary.

Every vocabulary module (activations, initializations, regularizers, constraints, objectives,
metrics) declares its ``{name: object}`` table as a ``Vocabulary``, whose ``get`` resolves
names, config dicts and callables and turns a miss into one clear ``ValueError`` that names
the unknown identifier and lists the valid names.

It also holds Keras 1's global custom objects (``keras.utils.generic_utils.get_custom_objects``):
as in Keras 1.2.2, a name registered there wins over every table, so
``with custom_object_scope({'my_act': f}): Dense(3, activation='my_act')`` finds ``f``.
"""

# The live dictionary ``get_custom_objects()`` returns; ``CustomObjectScope`` restores it.
CUSTOM_OBJECTS = {}


def get_custom_objects():
    """The live global ``{name: object}`` dict the look-ups consult before their own tables."""
    return CUSTOM_OBJECTS


_INVALID = object()  # ``Vocabulary(none=...)`` default: ``None`` is not an identifier


class Vocabulary(object):
    """One Keras-1 vocabulary (activations, initializations, regularizers, constraints,
    objectives, metrics) and the ``get(identifier)`` that resolves its identifiers.

    A name is looked up in the global custom objects first (as Keras 1.2.2 did), then in
    ``table`` and ``aliases``; a miss raises one ``ValueError`` naming the unknown identifier
    and listing the valid names. A callable is returned as it is (through ``adopt``).

    # Arguments
        kind: what an identifier names, for messages (``'activation function'``).
        table: ``{name: object}`` of the Keras-1 names.
        aliases: ``{name: object}`` of further accepted spellings (Keras 2's), listed in
            the message for an unknown name but not in the one for a wrong type.
        hint: a sentence appended to the message for an unknown name.
        none: what ``None`` resolves to; by default ``None`` is rejected like any other
            non-identifier.
        instantiate: the names are factories (classes or functions): a name is called with
            ``kwargs``, and a config dict (``{'name': ..., **params}`` or Keras 2's
            ``{'class_name': ..., 'config': {...}}``) is instantiated.
        keras2_config: ``f(class_name, config) -> params`` translating a Keras-2 config's
            parameter names (with ``instantiate``).
        adopt: ``f(callable) -> object`` applied to a callable identifier.
    """

    def __init__(self, kind, table, aliases=None, hint=None, none=_INVALID, instantiate=False,
                 keras2_config=None, adopt=None):
        self.kind = kind
        self.table = table
        self.aliases = dict(aliases or {})
        self.hint = hint
        self.none = none
        self.instantiate = instantiate
        self.keras2_config = keras2_config or (lambda class_name, config: dict(config))
        self.adopt = adopt or (lambda identifier: identifier)

    def names(self):
        """The Keras-1 names, sorted."""
        return sorted(self.table)

    def register(self, name, obj):
        """Make ``name`` resolve to ``obj`` (a Keras-1 name of this vocabulary)."""
        self.table[name] = obj

    def invalid(self, identifier, valid_names=None, hint=None):
        """Build (not raise) the ValueError for an unknown ``identifier``."""
        valid_names = self.table if valid_names is None else valid_names
        message = "Invalid %s: %r. Valid: %s" % (self.kind, identifier,
                                                 ", ".join(sorted(valid_names)))
        if hint:
            message += ". " + hint
        return ValueError(message)

    def lookup(self, name):
        """``CUSTOM_OBJECTS[name]`` when registered there, else the table's (or an alias')
        entry, else the ValueError of :meth:`invalid` listing every accepted name."""
        custom = CUSTOM_OBJECTS.get(name) if isinstance(name, str) else None
        if custom:
            return custom
        for names in (self.table, self.aliases):
            try:
                return names[name]
            except (KeyError, TypeError):
                pass
        raise self.invalid(name, dict(self.table, **self.aliases), self.hint)

    def get(self, identifier, kwargs=None):
        """Resolve ``identifier`` (a name, a config dict with ``instantiate``, ``None`` where
        ``none`` is given, or a callable) as described in the class docstring."""
        if identifier is None and self.none is not _INVALID:
            return self.none
        if isinstance(identifier, str):
            found = self.lookup(identifier)
            return found(**(kwargs or {})) if self.instantiate else found
        if isinstance(identifier, dict) and self.instantiate:
            params = dict(identifier)
            if "class_name" in params:
                name = params["class_name"]
                params = self.keras2_config(name, params.get("config") or {})
            else:
                name = params.pop("name", None)
            return self.lookup(name)(**params)
        if callable(identifier):
            return self.adopt(identifier)
        raise self.invalid(identifier)

    def serialize(self, obj):
        """What a Keras-1 config records for ``obj``: the config dict of an instance (in an
        ``instantiate`` vocabulary), else the name; ``None`` is recorded as what it resolves
        to (``'linear'`` for an activation, ``None`` for a regularizer)."""
        if obj is None and self.none is not _INVALID:
            obj = self.none
            if obj is None:
                return None
        if self.instantiate and hasattr(obj, "get_config"):
            return obj.get_config()
        return name_of(obj)


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
