"""``train_on_batch``/``test_on_batch``/``predict_on_batch``: Keras 1's argument checks run once
per argument signature (container kinds, dtypes, shapes without the batch dimension); a new
signature, a new compile or a changed model checks again, with Keras 1's messages."""
import pickle

import numpy as np
import pytest
import torch

from keras_compat.engine.input_layer import Input
from keras_compat.layers import Dense
from keras_compat.models import Model, Sequential
from keras_compat.training import data as data_utils

SHAPE_ERROR = ("Error when checking model input: expected dense_input_1 to have shape (None, 4) "
               "but got array with shape (8, 5)")


def mlp():
    model = Sequential([Dense(3, input_shape=(4,), activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    return model


def batch(n=8, features=4, classes=3, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.rand(n, features).astype("float32")
    y = np.eye(classes, dtype="float32")[rng.randint(0, classes, n)]
    return x, y


@pytest.fixture
def shape_checks(monkeypatch):
    """Counts the per-array shape checks the standardisation runs."""
    calls = []
    original = data_utils.check_array_shape

    def counting(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)
    monkeypatch.setattr(data_utils, "check_array_shape", counting)
    return calls


def test_a_repeated_signature_skips_the_checks(shape_checks):
    model = mlp()
    x, y = batch()
    model.train_on_batch(x, y)
    checked = len(shape_checks)
    assert checked >= 2  # the input and the target, once
    x2, y2 = batch(seed=1)
    model.train_on_batch(x2, y2)
    model.test_on_batch(x2, y2)
    model.train_on_batch(x2[:5], y2[:5])  # another batch size: the same signature
    assert len(shape_checks) == checked
    model.predict_on_batch(x2)
    model.predict_on_batch(x2)
    assert len(shape_checks) == checked + 1  # predict_on_batch checks its input once


def test_cached_path_gives_the_checked_path_results():
    x, y = batch(16)
    torch.manual_seed(0)
    first = mlp()
    second = Sequential.from_config(first.get_config())
    second.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    second.set_weights(first.get_weights())
    cached = [first.train_on_batch(x[i:i + 4], y[i:i + 4]) for i in range(0, 16, 4)]
    checked = []
    for i in range(0, 16, 4):
        second.__dict__.pop("_checked_argument_signatures", None)  # forget: check every call
        checked.append(second.train_on_batch(x[i:i + 4], y[i:i + 4]))
    np.testing.assert_array_equal(np.array(cached), np.array(checked))
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_bad_shape_after_a_good_one_raises_the_keras1_error():
    model = mlp()
    x, y = batch()
    model.train_on_batch(x, y)
    bad = np.zeros((8, 5), dtype="float32")
    for call in (lambda: model.train_on_batch(bad, y), lambda: model.test_on_batch(bad, y)):
        with pytest.raises(ValueError) as error:
            call()
        assert str(error.value) == SHAPE_ERROR
    model.predict_on_batch(x)
    with pytest.raises(ValueError) as error:
        model.predict_on_batch(bad)
    assert str(error.value) == SHAPE_ERROR


def test_a_sample_count_mismatch_after_a_good_call_raises_the_keras1_error():
    model = mlp()
    x, y = batch()
    model.train_on_batch(x, y)
    with pytest.raises(ValueError) as error:
        model.train_on_batch(x, y[:6])
    assert str(error.value) == ("Input arrays should have the same number of samples as target "
                                "arrays. Found 8 input samples and 6 target samples.")


def test_a_new_compile_checks_again():
    model = mlp()
    x, y = batch()
    model.train_on_batch(x, y)
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    labels = y.argmax(1).reshape(-1, 1).astype("float32")
    with pytest.raises(ValueError, match="You are passing a target array of shape \\(8, 1\\) "
                                         "while using as loss `categorical_crossentropy`"):
        model.train_on_batch(x, labels)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
    model.train_on_batch(x, labels)  # now right for the loss


def test_a_fixed_batch_size_is_checked_on_every_call():
    model = Sequential([Dense(3, batch_input_shape=(8, 4))])
    model.compile(loss="mse", optimizer="sgd")
    x, y = batch()
    model.train_on_batch(x, y)
    with pytest.raises(ValueError) as error:
        model.train_on_batch(x[:4], y[:4])
    assert str(error.value) == ("Error when checking model input: expected dense_input_1 to have "
                                "shape (8, 4) but got array with shape (4, 4)")


def test_dicts_by_name_are_cached_and_a_wrong_key_still_refused():
    a = Input(shape=(4,), name="in_a")
    b = Input(shape=(2,), name="in_b")
    hidden = Dense(3, name="out")(Dense(5)(a))
    model = Model([a, b], [hidden, Dense(1, name="side")(b)])
    model.compile(loss="mse", optimizer="sgd")
    x, y = batch()
    inputs = {"in_a": x, "in_b": x[:, :2]}
    targets = {"out": y, "side": y[:, :1]}
    first = model.train_on_batch(inputs, targets)
    assert len(first) == 3
    assert len(model.train_on_batch(inputs, targets)) == 3
    with pytest.raises(ValueError, match='the dict key "in_c" names no model input'):
        model.train_on_batch({"in_a": x, "in_c": x[:, :2]}, targets)
    with pytest.raises(ValueError, match="expected in_b to have shape"):
        model.train_on_batch({"in_a": x, "in_b": x}, targets)


def test_float32_batches_reach_the_model_without_a_copy():
    model = mlp()
    x, y = batch()
    seen = []
    model.layers[0].register_forward_pre_hook(lambda module, args: seen.append(args[0]))
    for _ in range(2):  # the checked call and the cached one
        model.train_on_batch(x, y)
        model.predict_on_batch(x)
    assert [t.data_ptr() for t in seen] == [x.ctypes.data] * 4
    assert all(t.dtype == torch.float32 for t in seen)


def test_a_model_that_ran_on_batches_still_pickles():
    model = mlp()
    x, y = batch()
    model.train_on_batch(x, y)
    model.predict_on_batch(x)
    copy = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(copy.predict_on_batch(x), model.predict_on_batch(x))
