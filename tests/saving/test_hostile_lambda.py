"""A Lambda config names functions by module and name: only Keras-1 activations and backend
functions, the caller's custom_objects and this process's own functions load by default."""
import json
import os

import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat.layers.core import lambda_layer
from keras_compat.models import Sequential, model_from_json
from keras_compat.layers import Dense, Lambda


def _json_with_lambda(function, output_shape=None, output_shape_type="raw"):
    model = Sequential([Dense(2, input_dim=3, name="d"), Lambda(K.relu, name="lam")])
    config = json.loads(model.to_json())
    lam = config["config"][-1]["config"]
    lam["function"] = function
    lam["function_type"] = "function"
    lam["output_shape"] = output_shape
    lam["output_shape_type"] = output_shape_type
    return json.dumps(config)


@pytest.mark.parametrize("module, name", [("torch", "save"), ("sys", "exit"), ("os", "system"),
                                          ("builtins", "exec"), ("keras_compat.backend",
                                                                 "config.set_floatx")])
def test_references_to_other_functions_are_refused(module, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = _json_with_lambda({"module": module, "name": name})
    expected = ("Lambda lam: the file names the function %s.%s, which is neither a Keras-1 "
                "activation or backend function nor in custom_objects; a model file may not "
                "choose arbitrary functions to call. Pass it in custom_objects, or load with "
                "safe_mode=False if you trust the file" % (module, name))
    with pytest.raises(ValueError) as info:
        model_from_json(text)
    assert str(info.value) == expected
    assert os.listdir(str(tmp_path)) == []  # torch.save wrote nothing


def test_callable_output_shape_reference_is_refused_too():
    text = _json_with_lambda({"module": "keras_compat.activations", "name": "relu"},
                             {"module": "sys", "name": "exit"}, "function")
    with pytest.raises(ValueError, match="names the function sys.exit"):
        model_from_json(text)


def test_keras_functions_and_custom_objects_load():
    x = np.random.RandomState(0).randn(4, 3).astype("float32")
    for function in ({"module": "keras_compat.activations", "name": "tanh"},
                     {"module": K.abs.__module__, "name": "abs"}):
        model = model_from_json(_json_with_lambda(function))
        assert model.layers[1].function.__name__ == function["name"]
    def halve(t):
        return t / 2
    halve.__module__, halve.__qualname__ = "numbers_of_mine", "halve"
    import sys
    import types
    sys.modules["numbers_of_mine"] = types.ModuleType("numbers_of_mine")
    sys.modules["numbers_of_mine"].halve = halve
    try:
        text = _json_with_lambda({"module": "numbers_of_mine", "name": "halve"})
        with pytest.raises(ValueError, match="names the function numbers_of_mine.halve"):
            model_from_json(text)
        model = model_from_json(text, custom_objects={"halve": halve})
        assert model.layers[1].function is halve
        out = model.predict(x)
        np.testing.assert_allclose(out, model.layers[0](torch.from_numpy(x)).detach().numpy() / 2,
                                   rtol=1e-6)
        assert model_from_json(text, safe_mode=False).layers[1].function is halve
    finally:
        del sys.modules["numbers_of_mine"]


def test_own_bytecode_loads_foreign_bytecode_is_refused(monkeypatch):
    import base64
    import marshal
    model = Sequential([Dense(2, input_dim=3), Lambda(lambda t: t * 3, name="lam")])
    text = model.to_json()
    assert model_from_json(text).layers[1].function(torch.tensor(1.0)) == 3.0
    config = json.loads(text)
    lam = config["config"][-1]["config"]
    lam["function"]["bytecode"] = base64.b64encode(
        marshal.dumps((lambda t: t * 4).__code__)).decode("ascii")
    with pytest.raises(ValueError, match="bytecode that this process did not write.*"
                                         "safe_mode=False"):
        model_from_json(json.dumps(config))
    assert model_from_json(json.dumps(config), safe_mode=False).layers[1].function(
        torch.tensor(1.0)) == 4.0
    monkeypatch.setattr(lambda_layer, "_SERIALISED_DIGESTS", set())
    with pytest.raises(ValueError, match="this process did not write"):
        model_from_json(text)
