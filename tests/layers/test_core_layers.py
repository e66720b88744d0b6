"""Reshape, Permute, RepeatVector, Lambda: harness, shapes, errors, serialisation."""
import json

import numpy as np
import pytest
import torch

from keras_compat.layers.core import Dense, Flatten
from keras_compat.layers.core import lambda_layer
from keras_compat.layers.core.lambda_layer import Lambda
from keras_compat.layers.core.permute import Permute
from keras_compat.layers.core.repeat_vector import RepeatVector
from keras_compat.layers.core.reshape import Reshape
from keras_compat.models import Sequential, model_from_json
from keras_compat.testing import layer_test

MINE = {"Reshape": Reshape, "Permute": Permute, "RepeatVector": RepeatVector, "Lambda": Lambda}




# -- module-level functions (serialised by reference) -------------------------------------
def double(x):
    return x * 2


def first_two(x):
    return x[:, :2]


def scaled(x, factor=1.0, offset=0.0):
    return x * factor + offset


def sum_shape(input_shape):
    return (input_shape[0], input_shape[-1])


def sum_axis1(x):
    return x.sum(dim=1)


# -- Reshape ------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, input_shape, expected", [
    ({"target_shape": (8, 1)}, (3, 4, 2), (None, 8, 1)),
    ({"target_shape": (-1, 2)}, (3, 4, 2), (None, 4, 2)),
    ({"target_shape": (2, -1, 2)}, (3, 12), (None, 2, 3, 2)),
    ({"target_shape": (6,)}, (2, 3, 2), (None, 6)),
])
def test_reshape_harness(kwargs, input_shape, expected):
    x = np.random.random(input_shape).astype("float32")
    out = layer_test(Reshape, kwargs=kwargs, input_data=x, expected_output_shape=expected)
    np.testing.assert_array_equal(out, x.reshape((len(x),) + expected[1:]))


def test_reshape_output_shape_solved_at_build():
    model = Sequential([Reshape((-1, 3), input_shape=(4, 6))])
    assert model.output_shape == (None, 8, 3)


def test_reshape_impossible_names_layer():
    with pytest.raises(ValueError, match="reshape_1.*total size of new array must be unchanged"):
        Sequential([Reshape((5, -1), input_shape=(3, 4), name="reshape_1")])
    with pytest.raises(ValueError, match="total size of new array must be unchanged"):
        Sequential([Reshape((5, 2), input_shape=(3, 4))])


def test_reshape_several_unknown():
    with pytest.raises(ValueError, match="only specify one unknown dimension"):
        Reshape((-1, -1))


def test_reshape_unknown_input_axis():
    model = Sequential([Reshape((-1, 2), input_shape=(None, 4))])
    assert model.output_shape == (None, None, 2)
    out = model.predict(np.zeros((2, 3, 4), "float32"))
    assert out.shape == (2, 6, 2)


# -- Permute ------------------------------------------------------------------------------
@pytest.mark.parametrize("dims, input_shape", [
    ((2, 1), (3, 4, 5)),
    ((1, 2), (3, 4, 5)),
    ((3, 1, 2), (2, 3, 4, 5)),
])
def test_permute_harness(dims, input_shape):
    x = np.random.random(input_shape).astype("float32")
    expected = (None,) + tuple(input_shape[d] for d in dims)
    out = layer_test(Permute, kwargs={"dims": dims}, input_data=x, expected_output_shape=expected)
    np.testing.assert_array_equal(out, np.transpose(x, (0,) + dims))


@pytest.mark.parametrize("dims", [(0, 1), (1, 1), (1, 3), (), (2, 3)])
def test_permute_invalid(dims):
    with pytest.raises(ValueError, match="permutation of 1"):
        Permute(dims)


def test_permute_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=3"):
        Sequential([Permute((2, 1), input_shape=(2, 3, 4))])


# -- RepeatVector -------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 3])
def test_repeat_vector_harness(n):
    x = np.random.random((2, 5)).astype("float32")
    out = layer_test(RepeatVector, kwargs={"n": n}, input_data=x, expected_output_shape=(None, n, 5))
    np.testing.assert_array_equal(out, np.repeat(x[:, None, :], n, axis=1))


def test_repeat_vector_needs_2d():
    with pytest.raises(ValueError, match="expected ndim=2"):
        Sequential([RepeatVector(2, input_shape=(3, 4))])
    with pytest.raises(ValueError, match="positive integer"):
        RepeatVector(0)


def test_keras2_spellings_unchanged():
    # Keras 2 kept these signatures: the Keras-1 config is what both spellings produce.
    assert Reshape(target_shape=(2, 3), name="r").get_config() == Reshape((2, 3), name="r").get_config()
    assert Permute(dims=(2, 1), name="p").get_config() == Permute((2, 1), name="p").get_config()
    assert RepeatVector(n=3, name="v").get_config() == RepeatVector(3, name="v").get_config()
    assert RepeatVector(3, name="v").get_config() == {"name": "v", "trainable": True, "n": 3}


# -- Lambda -------------------------------------------------------------------------------
def test_lambda_module_function_harness():
    x = np.random.random((3, 4)).astype("float32")
    out = layer_test(Lambda, kwargs={"function": double}, input_data=x)
    np.testing.assert_allclose(out, 2 * x)


def test_lambda_arguments_harness():
    x = np.random.random((3, 4)).astype("float32")
    out = layer_test(Lambda, kwargs={"function": scaled, "arguments": {"factor": 3.0, "offset": 1.0}},
                     input_data=x)
    np.testing.assert_allclose(out, 3 * x + 1, rtol=1e-6)


def test_lambda_output_shape_tuple_and_function():
    x = np.random.random((3, 5, 4)).astype("float32")
    layer_test(Lambda, kwargs={"function": sum_axis1, "output_shape": (4,)}, input_data=x,
               expected_output_shape=(None, 4))
    layer_test(Lambda, kwargs={"function": sum_axis1, "output_shape": sum_shape}, input_data=x,
               expected_output_shape=(None, 4))


def test_lambda_inferred_shape_tf_behaviour():
    model = Sequential([Lambda(first_two, input_shape=(5,))])
    assert model.output_shape == (None, 2)
    model = Sequential([Lambda(lambda x: x.sum(dim=1), input_shape=(None, 6))])
    assert model.output_shape == (None, 6)
    model = Sequential([Lambda(lambda x: x.reshape(x.shape[0], -1), input_shape=(None, 6))])
    assert model.output_shape == (None, None)


def test_lambda_output_shape_mismatch_names_layer():
    with pytest.raises(ValueError, match="lambda_7.*does not match"):
        Sequential([Lambda(first_two, output_shape=(3,), input_shape=(5,), name="lambda_7")])


def test_lambda_probe_failure_skips_check():
    def only_large(x):
        if x.shape[0] < 100:
            raise RuntimeError("needs a big batch")
        return x
    model = Sequential([Lambda(only_large, output_shape=(5,), input_shape=(5,))])
    assert model.output_shape == (None, 5)


def test_lambda_receives_mask_when_declared():
    seen = {}

    def fn(x, mask=None):
        seen["mask"] = mask
        return x
    model = Sequential([Lambda(fn, output_shape=(3,), input_shape=(3,))])
    model.predict(np.zeros((2, 3), "float32"))
    assert "mask" in seen and seen["mask"] is None


def test_lambda_reference_config():
    layer = Lambda(double, name="l")
    config = layer.get_config()
    assert config["function"] == {"module": double.__module__, "name": "double"}
    assert config["function_type"] == "function"
    assert config["output_shape_type"] == "raw" and config["arguments"] == {}
    restored = Lambda.from_config(json.loads(json.dumps(config)))
    assert restored.function is double


def test_lambda_bytecode_refused_by_default(monkeypatch):
    layer = Lambda(lambda x: x + 1, name="l")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["function_type"] == "lambda"
    # bytecode this process wrote itself loads back without opting in
    assert float(Lambda.from_config(config).function(torch.tensor(1.0))) == 2.0
    model = Sequential([Lambda(lambda x: x + 1, input_shape=(3,))])
    text = model.to_json()
    # as if the file came from another process: nothing of ours to recognise
    monkeypatch.setattr(lambda_layer, "_SERIALISED_DIGESTS", set())
    with pytest.raises(ValueError, match="runs code from the config"):
        Lambda.from_config(config)
    with pytest.raises(ValueError, match="safe_mode=False"):
        model_from_json(text)


def test_lambda_bytecode_with_opt_in():
    layer = Lambda(lambda x, k=2.0: x * k, name="l")
    config = json.loads(json.dumps(layer.get_config()))
    restored = Lambda.from_config(config, safe_mode=False)
    assert float(restored.function(torch.tensor(3.0))) == 6.0


def test_lambda_harness_with_lambda_and_module_flag(monkeypatch):
    monkeypatch.setattr(lambda_layer, "ALLOW_UNSAFE_DESERIALIZATION", True)
    x = np.random.random((3, 4)).astype("float32")
    out = layer_test(Lambda, kwargs={"function": lambda t: torch.tanh(t) * 2,
                                     "output_shape": lambda s: s}, input_data=x)
    np.testing.assert_allclose(out, np.tanh(x) * 2, rtol=1e-6)


def test_lambda_closure_values():
    k = 3.0
    layer = Lambda(lambda x: x * k, name="l")
    restored = Lambda.from_config(json.loads(json.dumps(layer.get_config())), safe_mode=False)
    assert float(restored.function(torch.tensor(2.0))) == 6.0
    weight = torch.ones(2)
    with pytest.raises(ValueError, match="cannot serialise"):
        Lambda(lambda x: x * weight, name="m").get_config()


def test_lambda_refuses_masked_input():
    from keras_compat.layers.embeddings import Embedding
    with pytest.raises(ValueError, match="does not support masking"):
        Sequential([Embedding(5, 2, input_length=3, mask_zero=True), Lambda(double)])


def test_flatten_then_dense_after_reshape():
    model = Sequential([Reshape((4, 3), input_shape=(12,)), Permute((2, 1)), Flatten(), Dense(2)])
    assert model.layers[2].output_shape == (None, 12)
    assert model.predict(np.zeros((2, 12), "float32")).shape == (2, 2)


def test_numpy_integer_sizes_are_accepted_and_serialise_as_int():
    # reuters_mlp.py (Keras 1.2.2 example): nb_classes = np.max(y_train) + 1, then Dense(nb_classes)
    import json

    from keras_compat.layers import Convolution2D, Dense, Flatten
    from keras_compat.models import Sequential

    model = Sequential()
    model.add(Convolution2D(np.int64(4), np.int32(3), np.int64(3), subsample=(np.int64(1), 1),
                            input_shape=(8, 8, 1)))
    model.add(Flatten())
    model.add(Dense(np.int64(46)))
    assert model.output_shape == (None, 46)
    config = model.layers[-1].get_config()
    assert type(config["output_dim"]) is int
    assert type(model.layers[0].get_config()["subsample"][0]) is int
    json.loads(model.to_json())
    with pytest.raises(ValueError, match="Dense: output_dim must be a positive integer"):
        Dense(np.int64(0))
    with pytest.raises(ValueError, match="Dense: output_dim must be a positive integer"):
        Dense(np.float64(3.0))
