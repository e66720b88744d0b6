"""The module-level helpers Keras 1.2.2 exposed (``keras.engine.training``'s data checks and
batching, ``weighted_objective``, ``GeneratorEnqueuer``, ``keras.engine.topology``'s helpers,
``InputSpec``, ``np_utils.conv_*_length``, ``convert_kernel``, the custom objects and
``get_from_module``, ``optimizers.clip_norm``/``optimizer_from_config``,
``time_distributed_dense``) give Keras 1.2.2's results and errors.

The reference, tests/data/keras122_helpers.json, was recorded under real Keras 1.2.2 (Theano) by
tools/oracle_cases/surface_helpers_cases.py; this test imports that script and runs its very
calls on keras_compat (through ``import keras``).
"""
import importlib.util
import os

import numpy as np
import pytest

import keras_compat
from keras_compat.backend import config

import reference_data

HERE = os.path.dirname(__file__)
_RECORDED = reference_data.load_json("keras122_helpers.json")
REFERENCE = _RECORDED["cases"]

_spec = importlib.util.spec_from_file_location(
    "surface_helpers_cases",
    os.path.join(HERE, "..", "tools", "oracle_cases", "surface_helpers_cases.py"))
CASES_SCRIPT = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(CASES_SCRIPT)

# Errors whose message keras_compat words more clearly than Keras 1's tuple-formatted one
# (``ValueError('Invalid dim_ordering:', 'xy')``): same exception type, the message names the
# offending value.
CLEARER_MESSAGES = {"convert_kernel_bad": "'xy'", "ofc_unknown": "'Foo'"}
# Messages that embed an array's repr: NumPy 1.13 (the oracle's) padded numbers with spaces,
# today's NumPy does not; compared with whitespace removed.
ARRAY_REPR_IN_MESSAGE = {"sid_wrong_count", "ssw_bad_type"}


@pytest.fixture(scope="module")
def ours():
    # The cases run under the Keras-1 backend that recorded them (K.eval of a scalar was a
    # 0-d array under Theano, a NumPy scalar under TensorFlow).
    previous = config.backend()
    config.set_backend(_RECORDED["backend"])
    try:
        with keras_compat.installed():
            return CASES_SCRIPT.run_cases()
    finally:
        config.set_backend(previous)


def _same(expected, actual, where):
    if isinstance(expected, dict) and "array" in expected:
        assert isinstance(actual, dict) and "array" in actual, where
        assert actual["shape"] == expected["shape"], where
        assert actual["dtype"] == expected["dtype"], where
        np.testing.assert_allclose(np.array(actual["array"], dtype=float),
                                   np.array(expected["array"], dtype=float),
                                   rtol=1e-6, atol=1e-7, err_msg=where)
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), (where, actual)
        for key in expected:
            _same(expected[key], actual[key], "%s.%s" % (where, key))
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (where, actual)
        for index, (e, a) in enumerate(zip(expected, actual)):
            _same(e, a, "%s[%d]" % (where, index))
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-6), where
    else:
        assert actual == expected, where


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_helper_matches_keras122(name, ours):
    expected, actual = REFERENCE[name], ours[name]
    if "error" in expected:
        assert "error" in actual, "%s: Keras 1.2.2 raised %s, keras_compat returned %r" % (
            name, expected["error"], actual.get("result"))
        assert actual["error"][0] == expected["error"][0], (name, actual["error"])
        if name in CLEARER_MESSAGES:
            assert CLEARER_MESSAGES[name] in actual["error"][1], (name, actual["error"])
        elif name in ARRAY_REPR_IN_MESSAGE:
            assert "".join(actual["error"][1].split()) == "".join(expected["error"][1].split())
        else:
            assert actual["error"][1] == expected["error"][1], name
    else:
        assert "result" in actual, "%s raised %s" % (name, actual["error"])
        _same(expected["result"], actual["result"], name)


def test_every_case_was_run(ours):
    assert sorted(ours) == sorted(REFERENCE)


def test_custom_objects_reach_model_loading_and_optimizers():
    """A name registered with custom_object_scope is found by model_from_json and
    optimizers.get, and is gone after the block."""
    with keras_compat.installed():
        from keras.layers import Dense
        from keras.models import Sequential, model_from_json
        from keras.optimizers import SGD, get
        from keras.utils.generic_utils import custom_object_scope

        class MyDense(Dense):
            pass

        model = Sequential([MyDense(2, input_dim=3)])
        text = model.to_json()
        with custom_object_scope({"MyDense": MyDense}, {"my_sgd": SGD}):
            assert type(model_from_json(text).layers[0]) is MyDense
            assert isinstance(get("my_sgd"), SGD)
        with pytest.raises(ValueError, match="MyDense"):
            model_from_json(text)


def test_func_dump_round_trip():
    with keras_compat.installed():
        from keras.engine.topology import func_dump, func_load
        offset = 3

        def shifted(x, scale=2):
            return x * scale + offset

        code, defaults, closure = func_dump(shifted)
        assert isinstance(code, str) and defaults == (2,) and closure == (3,)
        restored = func_load(code, defaults, closure)
        assert restored(5) == 13
        assert func_load((code, defaults, closure))(1, scale=10) == 13


def test_save_array_load_array(tmp_path):
    pytest.importorskip("h5py")
    with keras_compat.installed():
        from keras.utils.io_utils import load_array, save_array
        data = np.arange(12, dtype="int16").reshape(3, 4)
        path = str(tmp_path / "array.h5")
        save_array(data, path)
        loaded = load_array(path)
        assert loaded.dtype == np.int16 and np.array_equal(loaded, data)


def test_ask_to_proceed_with_overwrite(monkeypatch, capsys):
    with keras_compat.installed():
        from keras.engine.topology import ask_to_proceed_with_overwrite
        answers = iter(["maybe", "y"])
        prompts = []
        monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(answers))
        assert ask_to_proceed_with_overwrite("w.h5") is True
        assert prompts == ["[WARNING] w.h5 already exists - overwrite? [y/n]",
                           'Enter "y" (overwrite) or "n" (cancel).']
        assert capsys.readouterr().out == "[TIP] Next time specify overwrite=True!\n"
        monkeypatch.setattr("builtins.input", lambda prompt: "n")
        assert ask_to_proceed_with_overwrite("w.h5") is False


def test_tfoptimizer_says_it_has_no_meaning_on_torch():
    with keras_compat.installed():
        from keras.optimizers import Optimizer, TFOptimizer
        assert issubclass(TFOptimizer, Optimizer)
        with pytest.raises(NotImplementedError, match="native TensorFlow optimizer.*Adam"):
            TFOptimizer(object())


def test_conv_recurrent2d_is_the_base_of_convlstm2d():
    with keras_compat.installed():
        from keras.layers import ConvLSTM2D, ConvRecurrent2D
        layer = ConvLSTM2D(2, 3, 3, dim_ordering="tf", return_sequences=True)
        assert isinstance(layer, ConvRecurrent2D)
        assert layer.get_output_shape_for((None, 4, 8, 8, 1)) == (None, 4, 6, 6, 2)


def test_pooling_layers_from_convolutional_are_the_same_classes():
    with keras_compat.installed():
        from keras.layers.convolutional import Convolution2D, MaxPooling2D  # noqa: F401
        from keras.layers.core import Merge
        from keras.layers.pooling import MaxPooling2D as pooling_max
        from keras.engine import Merge as engine_merge
        assert MaxPooling2D is pooling_max and Merge is engine_merge


def test_callback_list_warns_about_slow_batch_hooks(monkeypatch):
    """Keras 1's CallbackList(queue_length=10): a batch hook slower than the batch update
    (median of the last ``queue_length`` calls, above 0.1 s) draws its warning."""
    with keras_compat.installed():
        from keras.callbacks import Callback, CallbackList
        clock = [0.0]
        monkeypatch.setattr("time.time", lambda: clock[0])

        class Slow(Callback):
            def on_batch_end(self, batch, logs=None):
                clock[0] += 0.5

        callbacks = CallbackList([Slow()], queue_length=3)
        assert callbacks.queue_length == 3
        callbacks.on_epoch_begin(0)
        callbacks.on_batch_begin(0)
        clock[0] += 0.2  # the batch update
        with pytest.warns(UserWarning, match=r"Method on_batch_end\(\) is slow compared to the "
                                             r"batch update \(0\.500000\)\. Check your callbacks\."):
            callbacks.on_batch_end(0)
