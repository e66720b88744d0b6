"""NumPy names that 2016-era code used and NumPy has since removed (``np.float``, ``np.Inf``...),
and the pre-2.0 printing of NumPy scalars.

``install()`` wraps ``numpy.__getattr__`` (NumPy's module-level fallback for missing names):
a removed alias resolves to what it meant when Keras 1.2.2 was current, with one
``LegacyNumpyWarning`` per alias per process.  Names the installed NumPy still has are
never touched (NumPy 2's own ``np.bool`` and ``np.long`` stay as they are).  The runner
installs it by default (``--no-legacy-numpy`` turns it off); nothing else does.
"""
import builtins
import warnings

import numpy

__all__ = ["LegacyNumpyWarning", "ALIASES", "install", "uninstall", "is_installed"]


class LegacyNumpyWarning(UserWarning):
    """A script used a NumPy alias that today's NumPy no longer has."""


def _asscalar(a):
    return a.item()


def _asfarray(a, dtype=numpy.float64):
    if not numpy.issubdtype(dtype, numpy.inexact):
        dtype = numpy.float64
    return numpy.asarray(a, dtype=dtype)


# name -> (value, what to write instead)
ALIASES = {
    "bool": (builtins.bool, "bool"),
    "int": (builtins.int, "int"),
    "float": (builtins.float, "float"),
    "complex": (builtins.complex, "complex"),
    "object": (builtins.object, "object"),
    "str": (builtins.str, "str"),
    "long": (builtins.int, "int"),
    "unicode": (builtins.str, "str"),
    "float_": (numpy.float64, "np.float64"),
    "complex_": (numpy.complex128, "np.complex128"),
    "unicode_": (numpy.str_, "np.str_"),
    "string_": (numpy.bytes_, "np.bytes_"),
    "bool8": (numpy.bool_, "np.bool_"),
    "int0": (numpy.intp, "np.intp"),
    "uint0": (numpy.uintp, "np.uintp"),
    "object0": (numpy.object_, "np.object_"),
    "str0": (numpy.str_, "np.str_"),
    "bytes0": (numpy.bytes_, "np.bytes_"),
    "void0": (numpy.void, "np.void"),
    "longfloat": (numpy.longdouble, "np.longdouble"),
    "singlecomplex": (numpy.complex64, "np.complex64"),
    "cfloat": (numpy.complex128, "np.complex128"),
    "longcomplex": (numpy.clongdouble, "np.clongdouble"),
    "clongfloat": (numpy.clongdouble, "np.clongdouble"),
    "Inf": (numpy.inf, "np.inf"),
    "Infinity": (numpy.inf, "np.inf"),
    "infty": (numpy.inf, "np.inf"),
    "PINF": (numpy.inf, "np.inf"),
    "NINF": (-numpy.inf, "-np.inf"),
    "NaN": (numpy.nan, "np.nan"),
    "PZERO": (0.0, "0.0"),
    "NZERO": (-0.0, "-0.0"),
    "product": (numpy.prod, "np.prod"),
    "cumproduct": (numpy.cumprod, "np.cumprod"),
    "sometrue": (numpy.any, "np.any"),
    "alltrue": (numpy.all, "np.all"),
    "round_": (numpy.round, "np.round"),
    "asscalar": (_asscalar, "a.item()"),
    "asfarray": (_asfarray, "np.asarray(a, dtype=float)"),
}

_state = {"original": None, "installed": False, "warned": set(), "printoptions": None}

# NumPy 2 prints scalars as ``np.float32(0.5)``; 2016 scripts print lists of the NumPy scalars
# that Keras returned (``print(model.evaluate(...))``) and expect ``[0.69314718, 0.5]``, as NumPy
# printed them before 2.0.  NumPy 2 keeps the old spelling behind ``legacy='1.25'``.
_NUMPY2 = int(numpy.__version__.split(".")[0]) >= 2


def _legacy_getattr(name):
    entry = ALIASES.get(name)
    if entry is not None:
        value, instead = entry
        if name not in _state["warned"]:
            _state["warned"].add(name)
            warnings.warn("np.%s is a NumPy alias that NumPy has removed; keras_compat's "
                          "--legacy-numpy restores it as %s (write %s to silence this)"
                          % (name, instead, instead), LegacyNumpyWarning, stacklevel=2)
        return value
    original = _state["original"]
    if original is not None:
        return original(name)
    raise AttributeError("module 'numpy' has no attribute %r" % name)


def install():
    """Make the removed aliases resolve again (idempotent)."""
    if _state["installed"]:
        return
    _state["original"] = numpy.__dict__.get("__getattr__")
    numpy.__getattr__ = _legacy_getattr
    if _NUMPY2:
        _state["printoptions"] = numpy.get_printoptions()
        numpy.set_printoptions(legacy="1.25")
    _state["installed"] = True


def uninstall():
    """Restore NumPy's own ``__getattr__`` (and forget which aliases already warned)."""
    if not _state["installed"]:
        return
    if _state["original"] is None:
        del numpy.__getattr__
    else:
        numpy.__getattr__ = _state["original"]
    if _state["printoptions"] is not None:
        numpy.set_printoptions(**_state["printoptions"])
        _state["printoptions"] = None
    _state["original"] = None
    _state["installed"] = False
    _state["warned"].clear()


def is_installed():
    return _state["installed"]
