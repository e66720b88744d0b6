"""Keras-1 global configuration: floatx, epsilon, image dim ordering and the emulated backend.

Read from ``~/.keras/keras.json`` when it exists (never written: Keras 1 created it on
import, we do not touch the user's home), overridden by ``KERAS_BACKEND`` and by the
runner's ``--dim-ordering``/``--backend`` flags.
"""
import contextlib
import json
import os

_DEFAULTS = {
    "floatx": "float32",
    # Keras 1 wrote this as 10e-8, which is 1e-7 (Keras 1.2.2's ``keras/backend/common.py``).
    "epsilon": 1e-7,
    "backend": "tensorflow",
    "image_dim_ordering": "tf",
}

_VALID_BACKENDS = ("tensorflow", "theano")
_VALID_FLOATX = ("float16", "float32", "float64")
# Keras 2 spelled the ordering as a data format; accept its keys in keras.json too.
_DATA_FORMAT_TO_ORDERING = {"channels_last": "tf", "channels_first": "th"}

_state = {}


def keras_home():
    """The Keras config folder (``$KERAS_HOME`` or ``~/.keras``)."""
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def _read_user_config():
    path = os.path.join(keras_home(), "keras.json")
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _load():
    state = dict(_DEFAULTS)
    user = _read_user_config()
    if user.get("floatx") in _VALID_FLOATX:
        state["floatx"] = user["floatx"]
    if isinstance(user.get("epsilon"), (int, float)):
        state["epsilon"] = float(user["epsilon"])
    if user.get("backend") in _VALID_BACKENDS:
        state["backend"] = user["backend"]
    ordering = user.get("image_dim_ordering")
    if ordering is None:
        ordering = _DATA_FORMAT_TO_ORDERING.get(user.get("image_data_format"))
    if ordering in ("tf", "th"):
        state["image_dim_ordering"] = ordering
    env_backend = os.environ.get("KERAS_BACKEND")
    if env_backend:
        set_backend(env_backend, _into=state)
    env_ordering = os.environ.get("KERAS_COMPAT_DIM_ORDERING")
    if env_ordering:
        state["image_dim_ordering"] = _check_ordering(env_ordering)
    return state


def _get(key):
    if not _state:
        _state.update(_load())
    return _state[key]


def _check_ordering(value):
    value = _DATA_FORMAT_TO_ORDERING.get(value, value)
    if value not in ("tf", "th"):
        raise ValueError("Unknown dim_ordering: %r (expected 'tf' or 'th')" % (value,))
    return value


def reload():
    """Forget cached settings so the next read sees keras.json and the environment again."""
    _state.clear()


def floatx():
    return _get("floatx")


def set_floatx(floatx):
    if floatx not in _VALID_FLOATX:
        raise ValueError("Unknown floatx type: %r (expected one of %s)"
                         % (floatx, ", ".join(_VALID_FLOATX)))
    _get("floatx")
    _state["floatx"] = floatx


def epsilon():
    return _get("epsilon")


def set_epsilon(e):
    if isinstance(e, bool) or not isinstance(e, (int, float)):
        raise ValueError("set_epsilon: e must be a number, got %r" % (e,))
    _get("epsilon")
    _state["epsilon"] = float(e)


def image_dim_ordering():
    return _get("image_dim_ordering")


def set_image_dim_ordering(dim_ordering):
    _get("image_dim_ordering")
    _state["image_dim_ordering"] = _check_ordering(dim_ordering)


def legacy_weight_ordering():
    """Keras 1.2.2's flag for reading pre-1.0 weight files (False unless set)."""
    _get("floatx")
    return _state.get("legacy_weight_ordering", False)


def set_legacy_weight_ordering(value):
    if not isinstance(value, bool):
        raise ValueError("set_legacy_weight_ordering: value must be True or False, got %r"
                         % (value,))
    _get("floatx")
    _state["legacy_weight_ordering"] = value


def backend():
    """The Keras-1 backend whose numerics are emulated ('tensorflow' or 'theano')."""
    return _get("backend")


def set_backend(value, _into=None):
    if value not in _VALID_BACKENDS:
        raise ValueError(
            "KERAS_BACKEND=%r is not supported: keras_compat emulates the numerics of "
            "'tensorflow' (default) or 'theano'" % (value,))
    target = _into if _into is not None else _state
    if _into is None:
        _get("backend")
    target["backend"] = value


@contextlib.contextmanager
def emulating(value):
    """Run a block with ``value`` as the emulated backend, then restore the previous one."""
    previous = backend()
    set_backend(value)
    try:
        yield
    finally:
        _state["backend"] = previous
