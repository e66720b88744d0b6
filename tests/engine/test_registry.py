"""The layer class registry: what a config may name, in which order names are looked up, and
rebuilding nested layers (functional models, wrappers, Merge of models) through it."""
import base64
import json
import marshal

import numpy as np
import pytest
import torch

from keras_compat.engine import registry
from keras_compat.engine.layer import Layer
from keras_compat.layers import Convolution2D, Dense, Input, Lambda, Merge, TimeDistributed
from keras_compat.models import Model, Sequential, model_from_json
from keras_compat.utils.generic_utils import custom_object_scope


def _unknown(name):
    return "Unknown layer: %s. If it is a custom layer, pass its class in " \
           "custom_objects={'%s': %s}." % (name, name, name)


def test_built_in_classes_models_and_aliases_are_registered():
    assert registry.layer_class("Dense") is Dense
    assert registry.layer_class("Sequential") is Sequential
    assert registry.layer_class("Model") is Model
    assert registry.layer_class("Merge") is Merge
    assert registry.layer_class("Conv2D") is Convolution2D  # Keras-1 class alias
    assert {"Dense", "Sequential", "Model", "Conv2D", "TimeDistributed"} <= set(
        registry.registered_names())


def test_private_bases_and_classes_defined_elsewhere_are_not():
    class MyDense(Dense):
        pass

    names = registry.registered_names()
    assert "MyDense" not in names and "Layer" not in names
    assert not [name for name in names if name.startswith("_")]
    with pytest.raises(ValueError) as error:
        registry.layer_class("MyDense")
    assert str(error.value) == _unknown("MyDense")
    # A file cannot reach a class by its module path either.
    with pytest.raises(ValueError, match="Unknown layer: keras_compat.layers.core.dense.Dense"):
        registry.layer_class("keras_compat.layers.core.dense.Dense")


def test_custom_objects_win_over_the_scope_which_wins_over_built_ins():
    class Mine(Dense):
        pass

    class Scoped(Dense):
        pass

    assert registry.layer_class("Dense", {"Dense": Mine}) is Mine
    with custom_object_scope({"Dense": Scoped}):
        assert registry.layer_class("Dense") is Scoped
        assert registry.layer_class("Dense", {"Dense": Mine}) is Mine
    assert registry.layer_class("Dense") is Dense


def test_two_classes_with_one_name_are_refused():
    first = type("RegistryProbe", (), {"__module__": "keras_compat.probe_a"})
    second = type("RegistryProbe", (), {"__module__": "keras_compat.probe_b"})
    try:
        registry.register(first)
        registry.register(first)  # the same class again (a reload) is fine
        with pytest.raises(TypeError, match="two layer classes are registered as 'RegistryProbe'"
                                            ": keras_compat.probe_a.RegistryProbe and "
                                            "keras_compat.probe_b.RegistryProbe"):
            registry.register(second)
    finally:
        registry._CLASSES.pop("RegistryProbe", None)


def test_layer_from_config_rejects_a_config_without_class_name():
    with pytest.raises(ValueError, match="A layer config must be a dict with 'class_name'"):
        registry.layer_from_config({"config": {}})


def test_merge_of_models_rebuilds_its_branches():
    left = Sequential([Dense(3, input_dim=4, name="left_dense")])
    right = Sequential([Dense(3, input_dim=5, name="right_dense")])
    config = {"class_name": "Merge", "config": Merge([left, right], mode="concat").get_config()}
    rebuilt = registry.layer_from_config(config)
    assert [type(branch) for branch in rebuilt._branches] == [Sequential, Sequential]
    assert [branch.layers[0].name for branch in rebuilt._branches] == ["left_dense", "right_dense"]
    assert rebuilt.mode == "concat"


def test_wrapped_layer_comes_from_the_registry():
    wrapped = TimeDistributed(Dense(2), input_shape=(3, 4))
    config = {"class_name": "TimeDistributed", "config": wrapped.get_config()}
    rebuilt = registry.layer_from_config(config)
    assert type(rebuilt.layer) is Dense and rebuilt.layer.output_dim == 2


def _foreign_bytecode_model_json():
    """A functional model whose Lambda holds bytecode this process did not write."""
    x = Input(shape=(3,))
    out = Lambda(lambda t: t * 3, name="lam")(Dense(2, name="d")(x))
    config = json.loads(Model(input=x, output=out).to_json())
    lam = [layer for layer in config["config"]["layers"] if layer["name"] == "lam"][0]
    lam["config"]["function"]["bytecode"] = base64.b64encode(
        marshal.dumps((lambda t: t * 4).__code__)).decode("ascii")
    return json.dumps(config)


def test_safe_mode_reaches_the_layers_of_a_functional_model():
    text = _foreign_bytecode_model_json()
    with pytest.raises(ValueError, match="bytecode that this process did not write"):
        model_from_json(text)
    model = model_from_json(text, safe_mode=False)
    lam = model.get_layer("lam")
    assert lam.function(torch.tensor(1.0)) == 4.0
    x = np.ones((1, 3), dtype="float32")
    dense = model.get_layer("d")
    np.testing.assert_allclose(model.predict(x), dense(torch.from_numpy(x)).detach().numpy() * 4,
                               rtol=1e-6)


def test_defining_a_keras_compat_layer_class_registers_it():
    try:
        probe = type("RegistryProbeLayer", (Layer,), {"__module__": "keras_compat.probe"})
        assert registry.layer_class("RegistryProbeLayer") is probe
        outside = type("RegistryOutsideLayer", (Layer,), {"__module__": "my_project.layers"})
        assert issubclass(outside, Layer)
        assert "RegistryOutsideLayer" not in registry.registered_names()
    finally:
        registry._CLASSES.pop("RegistryProbeLayer", None)


@pytest.mark.parametrize("base", ["ConvolutionBase", "KernelLayer", "ScalarActivation"])
def test_family_bases_cannot_be_named_by_a_config(base):
    with pytest.raises(ValueError, match="Unknown layer: %s" % base):
        registry.layer_class(base)
    assert base not in registry.registered_names()
