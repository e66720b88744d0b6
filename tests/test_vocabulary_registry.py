"""keras_compat._registry.Vocabulary: the one ``get()`` behind every Keras-1 vocabulary."""
import pytest

from keras_compat import (_registry, activations, constraints, initializations, metrics,
                          objectives, regularizers)
from keras_compat.utils.generic_utils import custom_object_scope


def test_every_vocabulary_module_declares_one_vocabulary():
    declared = {module.__name__.rsplit(".", 1)[1]: vocabulary for module, vocabulary in (
        (activations, activations.ACTIVATIONS), (initializations, initializations.INITIALIZATIONS),
        (regularizers, regularizers.REGULARIZERS), (constraints, constraints.CONSTRAINTS),
        (objectives, objectives.OBJECTIVES), (metrics, metrics.METRICS))}
    assert all(isinstance(v, _registry.Vocabulary) for v in declared.values())
    assert declared["activations"].get("relu") is activations.relu
    assert declared["objectives"].get("mse") is objectives.mean_squared_error


def test_names_register_and_custom_objects_first():
    table = {"double": lambda x: 2 * x}
    vocabulary = _registry.Vocabulary("thing", table)
    triple = lambda x: 3 * x  # noqa: E731
    vocabulary.register("triple", triple)
    assert vocabulary.names() == ["double", "triple"]
    assert vocabulary.get("triple") is triple
    replacement = lambda x: x  # noqa: E731
    with custom_object_scope({"double": replacement}):
        assert vocabulary.get("double") is replacement
    assert vocabulary.get("double") is table["double"]


def test_messages_list_aliases_only_for_an_unknown_name():
    vocabulary = _registry.Vocabulary("thing", {"b": 1, "a": 2}, aliases={"c": 3}, hint="Note.")
    with pytest.raises(ValueError) as info:
        vocabulary.get("zz")
    assert str(info.value) == "Invalid thing: 'zz'. Valid: a, b, c. Note."
    with pytest.raises(ValueError) as info:
        vocabulary.get(5)
    assert str(info.value) == "Invalid thing: 5. Valid: a, b"
    assert vocabulary.get("c") == 3


def test_none_instantiate_and_keras2_configs():
    class Box(object):
        def __init__(self, size=1):
            self.size = size

        def get_config(self):
            return {"name": "Box", "size": self.size}

    renamed = _registry.Vocabulary("box", {"Box": Box}, none=None, instantiate=True,
                                   keras2_config=lambda name, config: {"size": config["width"]})
    assert renamed.get(None) is None and renamed.serialize(None) is None
    assert renamed.get("Box", {"size": 4}).size == 4
    assert renamed.get({"name": "Box", "size": 2}).size == 2
    assert renamed.get({"class_name": "Box", "config": {"width": 7}}).size == 7
    assert renamed.serialize(Box(3)) == {"name": "Box", "size": 3}
    plain = _registry.Vocabulary("fn", {"f": len}, none=len)
    assert plain.get(None) is len and plain.serialize(None) == "len"
    with pytest.raises(ValueError):
        _registry.Vocabulary("fn", {"f": len}).get(None)
