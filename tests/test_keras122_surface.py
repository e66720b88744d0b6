"""Every public name of Keras 1.2.2's user-facing modules imports from the same ``keras.*`` path
through keras_compat's importer, and every callable accepts Keras 1.2.2's parameters.

The table, tests/data/keras122_public_api.json, was made once from real Keras 1.2.2 (TensorFlow
and Theano backends) by tools/oracle_cases/keras122_public_api.py; its docstring says which names
count as public. One test per (module, name).

How a signature is compared (Keras 1.2.2's against keras_compat's; for a class, ``__init__``
without ``self``):

1. Keras 1's positional-or-keyword parameters are keras_compat's first positional-or-keyword
   parameters: same names, same order, same defaults (literal defaults compared by value and
   type, ``0.0`` is not ``0``; a missing default stays missing).
2. keras_compat may add parameters after them only when they have defaults (Keras-2 spellings,
   keyword-only or not) and only when Keras 1 had no ``*args`` (which they would capture).
3. Keras 1's ``*args`` needs a ``*args``; Keras 1's ``**kwargs`` needs a ``**kwargs``.
4. A class whose Keras-1 ``__init__`` took ``**kwargs`` lists the keywords Keras 1 let through
   (``accepts_keywords``: its own and its bases' parameters, and the names the base ``Layer`` or
   ``Optimizer`` accepted); keras_compat must accept each one, as a parameter of some
   ``__init__`` up its MRO, a keyword of its base's allowed set (``BASE_KWARGS`` of the layer
   engine, the optimizers' clip arguments) or the source name of one of the class's alias rules.
5. Kind is kept: a Keras-1 class is a class (``isinstance``/subclassing keep working), a
   function is a callable that is not a class.

Where the backends disagree (``signature_by_backend``), keras_compat must satisfy each.
"""
import ast
import importlib
import inspect

import pytest

import keras_compat

import reference_data

TABLE = reference_data.load_json("keras122_public_api.json")

# keras.applications is another table's business; keras.backend is in this one, and its rows
# fail until every K.* function of Keras 1.2.2 is there.
ROWS = [(module, name) for module, names in sorted(TABLE["modules"].items())
        for name in sorted(names)]


def _row(module, name):
    return TABLE["modules"][module][name]


def _import_from_keras(module, name):
    with keras_compat.installed():
        try:
            imported = importlib.import_module(module)
        except ImportError as exc:
            pytest.fail("import %s failed: %s" % (module, exc))
        if not hasattr(imported, name):
            pytest.fail("from %s import %s: the name is missing" % (module, name))
        return getattr(imported, name)


def _literal(text):
    return ast.literal_eval(text)


def _same_default(expected, actual):
    """``expected`` is the table's canonical repr, ``actual`` a keras_compat default value."""
    if expected is None:
        return actual is inspect.Parameter.empty
    if actual is inspect.Parameter.empty:
        return False
    if expected.startswith("<"):  # a callable or instance default: same qualified name
        qualname = getattr(actual, "__qualname__", type(actual).__qualname__)
        return expected.rstrip(">").rsplit(".", 1)[-1] == qualname.rsplit(".", 1)[-1]
    value = _literal(expected)
    return _same_literal(value, actual)


def _same_literal(expected, actual):
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, (tuple, list)):
        return len(expected) == len(actual) and all(
            _same_literal(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, dict):
        return expected.keys() == actual.keys() and all(
            _same_literal(expected[k], actual[k]) for k in expected)
    return expected == actual


def _keras_compat_parameters(obj, is_class):
    if is_class:
        init = obj.__init__
        if init is object.__init__:
            return []
        return list(inspect.signature(init).parameters.values())[1:]
    return list(inspect.signature(obj).parameters.values())


def _accepted_by_keras_compat(cls):
    """Keywords a keras_compat class's constructor accepts: parameters up the MRO while
    ``**kwargs`` is passed on, the engine's allowed sets at the bases, alias source names."""
    from keras_compat.engine.layer import BASE_KWARGS, Layer
    from keras_compat.optimizers.base import _CLIP_ARGS, Optimizer
    names = set()
    for rule in getattr(cls, "alias_rules", lambda: ())():
        if type(rule).__name__ != "Reject":
            names.update(rule.names())
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None or klass is object:
            continue
        if klass is Layer:
            return names | set(BASE_KWARGS)
        if klass is Optimizer:
            return names | set(_CLIP_ARGS)
        parameters = list(inspect.signature(init).parameters.values())[1:]
        names.update(p.name for p in parameters
                     if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            return names
    return None  # **kwargs all the way up: any keyword


def signature_gaps(expected, actual_parameters):
    """What keras_compat's parameters lack against one Keras-1 signature (empty when none)."""
    gaps = []
    k1_positional = [p for p in expected if p[1] == "POSITIONAL_OR_KEYWORD"]
    k1_var_positional = any(p[1] == "VAR_POSITIONAL" for p in expected)
    k1_var_keyword = any(p[1] == "VAR_KEYWORD" for p in expected)
    positional = [p for p in actual_parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    for index, (name, _, default) in enumerate(k1_positional):
        if index >= len(positional):
            gaps.append("missing parameter %r (position %d)" % (name, index))
            continue
        got = positional[index]
        if got.name != name:
            gaps.append("position %d is %r, Keras 1 has %r" % (index, got.name, name))
        elif got.kind is not got.POSITIONAL_OR_KEYWORD:
            gaps.append("%r is positional-only" % name)
        elif not _same_default(default, got.default):
            gaps.append("%r default is %s, Keras 1 has %s" % (
                name, "none" if got.default is got.empty else repr(got.default),
                "none" if default is None else default))
    for extra in positional[len(k1_positional):]:
        if k1_var_positional:
            gaps.append("extra positional %r would capture Keras 1's *args" % extra.name)
        elif extra.default is extra.empty:
            gaps.append("extra parameter %r has no default" % extra.name)
    for extra in actual_parameters:
        if extra.kind is extra.KEYWORD_ONLY and extra.default is extra.empty:
            gaps.append("keyword-only %r has no default" % extra.name)
    if k1_var_positional and not any(p.kind is p.VAR_POSITIONAL for p in actual_parameters):
        gaps.append("Keras 1 takes *args")
    if k1_var_keyword and not any(p.kind is p.VAR_KEYWORD for p in actual_parameters):
        gaps.append("Keras 1 takes **kwargs")
    return gaps


def _signatures(row):
    if "signature_by_backend" in row:
        return row["signature_by_backend"]
    return {"all": row.get("signature")}


@pytest.mark.parametrize("module, name", ROWS, ids=["%s.%s" % row for row in ROWS])
def test_keras122_name(module, name):
    row = _row(module, name)
    obj = _import_from_keras(module, name)
    if row["kind"] == "constant":
        if "value" in row and len(row["backends"]) == 2:
            assert _same_literal(_literal(row["value"]), obj), (
                "%s.%s is %r, Keras 1.2.2 has %s" % (module, name, obj, row["value"]))
        return
    is_class = row["kind"] == "class"
    if is_class:
        assert inspect.isclass(obj), "%s.%s is a class in Keras 1.2.2, here %r" % (module, name, obj)
    else:
        assert callable(obj) and not inspect.isclass(obj), (
            "%s.%s is a function in Keras 1.2.2, here %r" % (module, name, obj))
    gaps = []
    parameters = _keras_compat_parameters(obj, is_class)
    for backend, signature in _signatures(row).items():
        if signature is None:
            continue
        gaps += ["%s%s" % ("" if backend == "all" else backend + ": ", gap)
                 for gap in signature_gaps(signature, parameters)]
    if is_class and row.get("accepts_keywords"):
        accepted = _accepted_by_keras_compat(obj)
        if accepted is not None:
            missing = [kw for kw in row["accepts_keywords"] if kw not in accepted]
            if missing:
                gaps.append("keywords Keras 1 accepted are refused: %s" % ", ".join(missing))
    assert not gaps, "%s.%s%s differs from Keras 1.2.2: %s" % (
        module, name, inspect.signature(obj) if parameters else "()", "; ".join(gaps))


def test_table_covers_every_module_of_the_issue():
    assert TABLE["keras_version"] == "1.2.2"
    for module in ("keras.models", "keras.layers.convolutional_recurrent", "keras.engine.training",
                   "keras.backend", "keras.utils.visualize_util", "keras.datasets.reuters",
                   "keras.wrappers.scikit_learn", "keras.preprocessing.text"):
        assert TABLE["modules"][module] or module in ("keras.datasets",)


@pytest.mark.parametrize("module, name", [
    ("keras.layers", "Concatenate"),            # Keras 2
    ("keras.layers.core", "MaxPooling2D"),      # core never re-exported pooling
    ("keras.engine.training", "fit_loop"),      # a method, not a module function
    ("keras.optimizers", "Adagrad2"),
])
def test_a_name_keras122_lacks_is_an_import_error(module, name):
    assert name not in TABLE["modules"][module]
    with keras_compat.installed():
        with pytest.raises(ImportError):
            exec("from %s import %s" % (module, name), {})


def test_signature_rule_catches_gaps():
    """The comparison fails on a renamed, reordered or re-defaulted parameter."""
    def keras_compat_like(output_dim, init="uniform", *, units=None, **kwargs):
        pass
    parameters = list(inspect.signature(keras_compat_like).parameters.values())
    expected = [["output_dim", "POSITIONAL_OR_KEYWORD", None],
                ["init", "POSITIONAL_OR_KEYWORD", "'glorot_uniform'"],
                ["activation", "POSITIONAL_OR_KEYWORD", "'linear'"],
                ["kwargs", "VAR_KEYWORD", None]]
    assert signature_gaps(expected, parameters) == [
        "'init' default is 'uniform', Keras 1 has 'glorot_uniform'",
        "missing parameter 'activation' (position 2)"]
    assert signature_gaps([["p", "POSITIONAL_OR_KEYWORD", "0.0"]],
                          list(inspect.signature(lambda p=0: p).parameters.values())) == [
        "'p' default is 0, Keras 1 has 0.0"]
    assert signature_gaps([["args", "VAR_POSITIONAL", None]],
                          list(inspect.signature(lambda a=1: a).parameters.values())) == [
        "extra positional 'a' would capture Keras 1's *args", "Keras 1 takes *args"]
