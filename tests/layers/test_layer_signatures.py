"""Every layer class of Keras 1.2.2's ``keras.layers`` takes the same constructor arguments, in
the same order, with the same defaults (tests/data/oracle/layer_signatures.json, made by
tools/oracle_cases/layer_signatures_cases.py).  Keras-2 spellings stay accepted as keywords
through the alias rules (tests/test_aliases.py)."""
import inspect

import pytest

from keras_compat import layers as L

import reference_data

CLASSES = reference_data.load_json("oracle", "layer_signatures.json")["classes"]

def test_every_keras1_layer_class_exists():
    assert sorted(name for name in CLASSES if not hasattr(L, name)) == []


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_constructor_signature_matches_keras1(name):
    expected = CLASSES[name]["params"]
    signature = inspect.signature(getattr(L, name).__init__)
    positional = [p for p in signature.parameters.values()
                  if p.name != "self" and p.kind == p.POSITIONAL_OR_KEYWORD]
    assert [p.name for p in positional][:len(expected)] == [p["name"] for p in expected]
    for param in expected:
        if "default" in param:
            assert repr(signature.parameters[param["name"]].default) == param["default"], \
                param["name"]
        else:
            assert signature.parameters[param["name"]].default is inspect.Parameter.empty
    if CLASSES[name]["kwargs"]:
        assert any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
