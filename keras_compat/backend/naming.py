"""Keras-1 automatic names: a global counter per prefix (``dense_1``, ``dense_2``...)."""
import collections

_uids = collections.defaultdict(int)


def get_uid(prefix=""):
    _uids[prefix] += 1
    return _uids[prefix]


def reset_uids():
    _uids.clear()


def class_prefix(cls_name):
    """Keras 1 used ``ClassName.lower()`` (``Convolution2D`` -> ``convolution2d``)."""
    return cls_name.lower()


def unique_layer_name(cls_name):
    prefix = class_prefix(cls_name)
    return "%s_%d" % (prefix, get_uid(prefix))


def check_layer_name(name):
    """Keras 1 took any non-empty string as a layer name ('output', 'a.b', 'with space')."""
    if not isinstance(name, str) or not name:
        raise ValueError("Layer name %r is not valid: use a non-empty string" % (name,))
    return name


def module_key(name, taken):
    """The key a layer named ``name`` gets as a torch submodule of a model.

    The name itself where torch allows it and ``taken(key)`` is false (so ``state_dict`` keys
    read ``dense_1.weight``); otherwise '.' becomes '_' (torch's path separator) and '_' is
    appended until the key is free: ``output`` -> ``output_`` on a model, whose ``output``
    is an attribute.
    """
    key = name.replace(".", "_") or "_"
    while taken(key):
        key += "_"
    return key
