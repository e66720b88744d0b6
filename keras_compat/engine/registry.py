"""The layer classes a Keras-1 config may name, and rebuilding a layer from its config.

``Layer.__init_subclass__`` registers every public ``Layer`` subclass that keras_compat itself
defines (``Dense``, ``Merge``, ``Sequential``, ``Model``, ...) under its class name, the name
``get_config``/``to_json`` record; the layer families add their Keras-1 class aliases
(``Conv2D``). A config read from a file can therefore name only these classes, the global
custom objects (``custom_object_scope``) or the caller's ``custom_objects``: a layer class
defined anywhere else is found only when the caller passes it, as in Keras 1.2.2, and no
name in a file ever makes a module import.

The saving code, ``Container.from_config``, the wrappers and ``Merge`` of models all rebuild
nested layers through :func:`layer_from_config`, so none of them imports another.
"""
import inspect

from keras_compat._registry import CUSTOM_OBJECTS

_PACKAGE = "keras_compat."

# Keras-1 class name (or class alias) -> layer class.
_CLASSES = {}


def _registrable(cls):
    # A family base that declares ``family_base = True`` itself (not inherited) is shared code,
    # not a layer Keras 1 had: a config may not name it.
    return (cls.__module__.startswith(_PACKAGE) and not cls.__name__.startswith("_")
            and "<locals>" not in cls.__qualname__ and not cls.__dict__.get("family_base"))


def register(cls):
    """Record ``cls`` under its class name (called by ``Layer.__init_subclass__``).

    Only classes keras_compat defines with a public name count; two different classes with
    one name would make configs ambiguous, so that is refused (a reloaded module replaces
    its own classes)."""
    if not _registrable(cls):
        return
    _add(cls.__name__, cls)


def register_alias(alias, cls):
    """Let configs name ``cls`` by its Keras-1 alias too (``Conv2D`` for ``Convolution2D``)."""
    _add(alias, cls)


def _add(name, cls):
    known = _CLASSES.get(name)
    if known is not None and (known.__module__, known.__qualname__) != \
            (cls.__module__, cls.__qualname__):
        raise TypeError("two layer classes are registered as %r: %s.%s and %s.%s" % (
            name, known.__module__, known.__qualname__, cls.__module__, cls.__qualname__))
    _CLASSES[name] = cls


def registered_names():
    """Every class name and alias a config may name without ``custom_objects``."""
    return sorted(_CLASSES)


def layer_class(class_name, custom_objects=None):
    """The class a config's ``class_name`` means: the caller's ``custom_objects`` first, then
    the global custom objects, then the registered classes."""
    if custom_objects and class_name in custom_objects:
        return custom_objects[class_name]
    if class_name in CUSTOM_OBJECTS:
        return CUSTOM_OBJECTS[class_name]
    if class_name in _CLASSES:
        return _CLASSES[class_name]
    raise ValueError("Unknown layer: %s. If it is a custom layer, pass its class in "
                     "custom_objects={'%s': %s}." % (class_name, class_name, class_name))


def layer_from_config(config, custom_objects=None, safe_mode=None):
    """Build a layer (or a model) from ``{'class_name': ..., 'config': ...}``.

    ``safe_mode`` and ``custom_objects`` reach every ``from_config`` that takes them (``Lambda``:
    ``safe_mode=False`` allows marshalled bytecode, which runs code from the file)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("A layer config must be a dict with 'class_name' and 'config'; got %r"
                         % (config,))
    cls = layer_class(config["class_name"], custom_objects)
    inner = config.get("config", {})
    if isinstance(inner, dict):  # a Sequential's config may be its list of layers
        inner = dict(inner)
    return cls.from_config(inner, **_optional_keywords(cls, safe_mode, custom_objects))


def _optional_keywords(cls, safe_mode, custom_objects):
    """The ``safe_mode``/``custom_objects`` keywords that ``cls.from_config`` takes."""
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
