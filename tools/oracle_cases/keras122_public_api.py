"""The table of Keras 1.2.2's public names and signatures (tests/data/keras122_public_api.json).

Run with the project's Python 3.11: ``python tools/oracle_cases/keras122_public_api.py``. It runs
itself twice under real Keras 1.2.2 (``/work/shared/oracle/run_keras1.sh --dump``, once with
``KERAS1_BACKEND=tensorflow`` and once with ``theano``), merges the two dumps and writes the JSON.

Which names are public (the rule the table follows)
---------------------------------------------------
For each module in ``MODULES``, a name of ``vars(module)`` is public when

1. it does not start with ``_``;
2. its value is not a module: neither third-party modules bound by ``import numpy as np``/``import
   six`` nor Keras' own module aliases (``K``, ``activations`` inside ``keras.layers.core``) are
   names a user imports from there; a package's submodules are rows of ``MODULES`` themselves;
3. when the value is a class, function, builtin or method, the module that defined it
   (``__module__``) is ``keras`` or ``keras.*``: classes and functions a Keras module imported from
   the standard library or a third party (``OrderedDict``, ``deque``, ``partial``, ``six.moves.range``,
   ``numpy.testing.assert_allclose``) are not Keras' surface;
4. any other value (a constant) is public when its type is a builtin or a Keras type, except
   ``from __future__`` directives (``absolute_import``), and the ``None`` that a module binds to an
   optional third-party module it could not import (``requests``, ``pil_image``, ``tables``: rule 2
   where the module is present). Instances of third-party types (the Theano op ``T_softsign``) are
   third-party objects, as in rule 3.

Keras' own re-exports stay in (``keras.layers.Layer``, ``keras.engine.Model``,
``keras.layers.convolutional.MaxPooling2D``, the star-imports of ``keras.layers``).

What is recorded
----------------
Per name: ``kind`` (``class``, ``function`` or ``constant``), ``defined_in`` (``__module__``) and,
for classes and functions, ``signature``: a list of ``[name, kind, default]`` with ``kind`` one of
``POSITIONAL_OR_KEYWORD``, ``VAR_POSITIONAL``, ``VAR_KEYWORD``, ``KEYWORD_ONLY``, and ``default``
the canonical repr of the default (see :func:`canonical_default`) or ``null`` when there is none.
For a class it is the signature of ``__init__`` without ``self`` (``[]`` when only
``object.__init__``); a class whose ``__init__`` takes ``**kwargs`` also has ``accepts_keywords``
(see :func:`accepted_keywords`). Constants record ``type`` and, for plain literals, ``value`` (the repr).
``backends`` lists where the name exists; a name whose signature differs between the backends
has ``signature_by_backend`` instead of ``signature``.

``keras.utils.visualize_util`` needs pydot with Graphviz, which the oracle does not have: the dump
puts a stand-in ``pydot`` module (``find_graphviz`` true) in ``sys.modules`` before importing it;
the names the module defines do not depend on pydot.
"""
import json
import os
import subprocess
import sys
import tempfile

MODULES = [
    "keras.models",
    "keras.layers",
    "keras.layers.core",
    "keras.layers.convolutional",
    "keras.layers.pooling",
    "keras.layers.local",
    "keras.layers.recurrent",
    "keras.layers.convolutional_recurrent",
    "keras.layers.embeddings",
    "keras.layers.normalization",
    "keras.layers.advanced_activations",
    "keras.layers.noise",
    "keras.layers.wrappers",
    "keras.engine",
    "keras.engine.topology",
    "keras.engine.training",
    "keras.optimizers",
    "keras.objectives",
    "keras.metrics",
    "keras.activations",
    "keras.initializations",
    "keras.regularizers",
    "keras.constraints",
    "keras.callbacks",
    "keras.backend",
    "keras.preprocessing",
    "keras.preprocessing.image",
    "keras.preprocessing.sequence",
    "keras.preprocessing.text",
    "keras.utils",
    "keras.utils.np_utils",
    "keras.utils.generic_utils",
    "keras.utils.io_utils",
    "keras.utils.data_utils",
    "keras.utils.layer_utils",
    "keras.utils.visualize_util",
    "keras.utils.test_utils",
    "keras.datasets",
    "keras.datasets.cifar",
    "keras.datasets.cifar10",
    "keras.datasets.cifar100",
    "keras.datasets.imdb",
    "keras.datasets.mnist",
    "keras.datasets.reuters",
    "keras.wrappers",
    "keras.wrappers.scikit_learn",
]

BACKENDS = ("tensorflow", "theano")
ORACLE = os.environ.get("KERAS1_ORACLE", "/work/shared/oracle/run_keras1.sh")
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "..", "tests", "data", "keras122_public_api.json")

LITERALS = (type(None), bool, int, float, str, bytes)


def is_literal(value):
    if isinstance(value, LITERALS):
        return True
    if isinstance(value, (tuple, list)):
        return all(is_literal(item) for item in value)
    if isinstance(value, dict):
        return all(is_literal(key) and is_literal(item) for key, item in value.items())
    return False


def canonical_default(value):
    """A repr that is the same in every process: literals as ``repr``, classes and functions as
    ``<callable module.qualname>``, anything else as ``<instance module.Class>``."""
    import inspect
    if is_literal(value):
        return repr(value)
    if inspect.isclass(value) or inspect.isroutine(value):
        module = getattr(value, "__module__", None) or "builtins"
        name = getattr(value, "__qualname__", None) or getattr(value, "__name__", "?")
        return "<callable %s.%s>" % (module, name)
    cls = type(value)
    return "<instance %s.%s>" % (cls.__module__, cls.__qualname__)


def signature_rows(func, drop_first=False):
    import inspect
    parameters = list(inspect.signature(func).parameters.values())
    if drop_first:
        parameters = parameters[1:]
    return [[p.name, p.kind.name,
             None if p.default is inspect.Parameter.empty else canonical_default(p.default)]
            for p in parameters]


def class_signature(cls):
    init = cls.__init__
    if init is object.__init__:
        return []
    return signature_rows(init, drop_first=True)


def filtered_keywords(base):
    """The keywords ``base.__init__(**kwargs)`` lets through (Keras 1.2.2's ``Layer`` and
    ``Optimizer`` check ``kwargs`` against a set of names): each string constant of its code is
    tried alone on a bare instance; the ones not refused with a TypeError naming them are
    accepted (a later failure on the ``None`` value, ``tuple(None)``, means it got through)."""
    candidates = sorted({const for const in base.__init__.__code__.co_consts
                         if isinstance(const, str) and const.isidentifier()})
    accepted = []
    for name in candidates:
        instance = base.__new__(base)
        try:
            base.__init__(instance, **{name: None})
        except TypeError as exc:
            if name in str(exc):
                continue
        except Exception:  # accepted, then failed on the None value
            pass
        accepted.append(name)
    return accepted


def accepted_keywords(cls):
    """For a class whose ``__init__`` takes ``**kwargs``: every keyword a call accepts, following
    ``**kwargs`` up the MRO (Keras 1 passes them to ``super().__init__``) until an ``__init__``
    without ``**kwargs``, or one of the checking bases (``Layer``, ``Optimizer``), whose filter
    is probed. ``None`` when the chain ends in an ``__init__`` that takes any keyword
    (``scikit_learn.BaseWrapper``'s ``**sk_params``)."""
    import inspect
    from keras.engine.topology import Layer
    from keras.optimizers import Optimizer
    names = []
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None or klass is object:
            continue
        if klass in (Layer, Optimizer):
            return names + [name for name in filtered_keywords(klass) if name not in names]
        parameters = list(inspect.signature(init).parameters.values())[1:]
        names += [p.name for p in parameters
                  if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in names]
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            return names
    return None


def describe(value):
    import inspect
    if inspect.isclass(value):
        row = {"kind": "class", "defined_in": value.__module__, "signature": class_signature(value)}
        if any(kind == "VAR_KEYWORD" for _, kind, _ in row["signature"]):
            row["accepts_keywords"] = accepted_keywords(value)
        return row
    if inspect.isroutine(value):
        row = {"kind": "function", "defined_in": getattr(value, "__module__", None)}
        try:
            row["signature"] = signature_rows(value)
        except (TypeError, ValueError):  # a builtin without a text signature
            row["signature"] = None
        return row
    row = {"kind": "constant", "type": "%s.%s" % (type(value).__module__, type(value).__qualname__)}
    if is_literal(value):
        row["value"] = repr(value)
    return row


# Names Keras 1.2.2 binds to an optional third-party module, or to None where it is missing.
OPTIONAL_MODULE_SLOTS = {"requests", "pil_image", "tables"}


def is_keras_module_name(module):
    return module == "keras" or module.startswith("keras.")


def is_public(name, value):
    import __future__
    import inspect
    if name.startswith("_") or inspect.ismodule(value):
        return False
    if inspect.isclass(value) or inspect.isroutine(value):
        return is_keras_module_name(getattr(value, "__module__", None) or "")
    if isinstance(value, __future__._Feature):
        return False
    if value is None and name in OPTIONAL_MODULE_SLOTS:
        return False
    return type(value).__module__ == "builtins" or is_keras_module_name(type(value).__module__)


def dump(path):
    """Runs under real Keras 1.2.2: the public names of every module, as JSON at ``path``."""
    import importlib
    import types
    import keras
    if "pydot" not in sys.modules:
        stand_in = types.ModuleType("pydot")
        stand_in.find_graphviz = lambda: True
        sys.modules["pydot"] = stand_in
    table = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "modules": {}}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        names = {}
        for name, value in sorted(vars(module).items()):
            if is_public(name, value):
                names[name] = describe(value)
        table["modules"][module_name] = names
    with open(path, "w") as handle:
        json.dump(table, handle, indent=1, sort_keys=True)


def merge(dumps):
    """One table from the per-backend dumps: ``backends`` on each name, and
    ``signature_by_backend`` where the backends disagree."""
    modules = {}
    for module_name in MODULES:
        merged = {}
        for backend in BACKENDS:
            for name, row in dumps[backend]["modules"][module_name].items():
                entry = merged.setdefault(name, {"rows": {}})
                entry["rows"][backend] = row
        names = {}
        for name, entry in sorted(merged.items()):
            rows = entry["rows"]
            first = dict(rows[next(iter(rows))])
            signatures = {backend: row.get("signature") for backend, row in rows.items()}
            kinds = {row["kind"] for row in rows.values()}
            if len(kinds) > 1:
                raise SystemExit("%s.%s is a different kind of object per backend: %r"
                                 % (module_name, name, rows))
            if len({json.dumps(sig) for sig in signatures.values()}) > 1:
                first.pop("signature", None)
                first["signature_by_backend"] = signatures
            if len({json.dumps(row.get("value")) for row in rows.values()}) > 1:
                first.pop("value", None)
                first["value_by_backend"] = {b: row.get("value") for b, row in rows.items()}
            first["backends"] = sorted(rows)
            names[name] = first
        modules[module_name] = names
    return {
        "keras_version": dumps[BACKENDS[0]]["keras_version"],
        "generator": "tools/oracle_cases/keras122_public_api.py",
        "rule": ("public = not '_'-prefixed, not a module, and for classes/functions/builtins "
                 "defined in keras.* (see the generator's docstring)"),
        "modules": modules,
    }


def main():
    dumps = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in BACKENDS:
            path = os.path.join(tmp, backend + ".json")
            env = dict(os.environ, KERAS1_BACKEND=backend, KERAS1_DIM_ORDERING="tf")
            subprocess.run([ORACLE, os.path.abspath(__file__), "--dump", path], env=env, check=True)
            with open(path) as handle:
                dumps[backend] = json.load(handle)
            if dumps[backend]["backend"] != backend:
                raise SystemExit("the oracle ran %s, not %s" % (dumps[backend]["backend"], backend))
    table = merge(dumps)
    with open(OUTPUT, "w") as handle:
        json.dump(table, handle, indent=1, sort_keys=True)
        handle.write("\n")
    count = sum(len(names) for names in table["modules"].values())
    print("wrote %s: %d names in %d modules" % (os.path.normpath(OUTPUT), count, len(MODULES)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        dump(sys.argv[2])
    else:
        main()
