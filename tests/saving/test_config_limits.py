"""Configs are parsed with bounds: alias bombs, deep nesting and weights larger than memory
are refused fast, with the source and the layer named."""
import json
import time

import pytest

from keras_compat.engine import allocation
from keras_compat.layers import Dense
from keras_compat.models import Sequential, model_from_json, model_from_yaml
from keras_compat.saving import limits

# 9 levels of 9-fold aliases: ~300 bytes expanding to ~10^8 values
BOMB = "".join("%s: &%s [%s]\n" % (name, name, ",".join([prev] * 9))
               for name, prev in zip("abcdefgh", ["x", "*a", "*b", "*c", "*d", "*e", "*f", "*g"]))
BOMB += "class_name: Sequential\nconfig: [*h]\n"


def test_yaml_alias_bomb_is_refused_fast():
    pytest.importorskip("yaml")
    assert len(BOMB) < 400
    start = time.perf_counter()
    with pytest.raises(ValueError) as info:
        model_from_yaml(BOMB)
    assert time.perf_counter() - start < 2.0
    assert str(info.value) == (
        "model_from_yaml: the YAML config's aliases expand it to 102908578 values, more than "
        "the 2000000 a model config may have (an alias bomb?); refused before expanding it")


def test_yaml_recursive_alias_and_python_tags_are_refused():
    pytest.importorskip("yaml")
    with pytest.raises(ValueError, match="refers to itself through an alias"):
        model_from_yaml("&a [*a]")
    with pytest.raises(ValueError, match="not YAML that can be read safely"):
        model_from_yaml("!!python/object/apply:os.system ['touch pwned']")


def test_small_aliases_still_load():
    pytest.importorskip("yaml")
    model = Sequential([Dense(3, input_dim=2, name="d")])
    text = model.to_yaml()
    assert model_from_yaml(text).layers[0].output_dim == 3


def test_deep_json_is_refused_with_the_source_named():
    with pytest.raises(ValueError, match=r"model_from_json: the config is nested deeper than "
                                         r"200 levels or has more than 2000000 values"):
        model_from_json("[" * 300 + "]" * 300)
    with pytest.raises(ValueError, match=r"model_from_json: the config (is not valid JSON|nests)"):
        model_from_json("[" * 100000 + "]" * 100000)
    with pytest.raises(ValueError, match=r"model_from_json: the config is not valid JSON "
                                         r"\(Expecting property name enclosed in double "):
        model_from_json("{oops")


def test_oversized_config_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CONFIG_BYTES", 100)
    with pytest.raises(ValueError, match=r"model_from_json: the config is \d+ bytes, more "
                                         r"than the 100 a model config may have"):
        model_from_json(Sequential([Dense(3, input_dim=2)]).to_json())


def test_weights_larger_than_memory_are_refused_before_allocation():
    config = json.loads(Sequential([Dense(3, input_dim=4, name="big")]).to_json())
    config["config"][0]["config"]["output_dim"] = 10 ** 12
    with pytest.raises(MemoryError) as info:
        model_from_json(json.dumps(config))
    message = str(info.value)
    assert message.startswith("Layer big (Dense): its weights (the last of shape "
                              "(1000000000000, 4)) need 16000000000000 bytes, more than the ")
    assert message.endswith("bytes of memory available; refused before allocating (check the "
                            "layer's sizes)")


def test_memory_check_uses_the_available_figure(monkeypatch):
    monkeypatch.setattr(allocation, "available_bytes", lambda: 100 * 1024 * 1024)
    with pytest.raises(MemoryError, match=r"Layer wide \(Dense\): its weights .* need "
                                          r"200000000 bytes, more than the 104857600 bytes"):
        Sequential([Dense(50000, input_dim=1000, name="wide", bias=False)])
    Sequential([Dense(1000, input_dim=1000)])  # 4 MB: no question asked
