"""Keras-1 automatic names: a global counter per prefix (``dense_1``, ``dense_2``...)."""
import collections
import re

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


_VALID = re.compile(r"^[A-Za-z0-9_.\-/]+$")


def check_layer_name(name):
    if not isinstance(name, str) or not name or "." in name:
        raise ValueError("Layer name %r is not valid: use a non-empty string without '.'" % (name,))
    return name
