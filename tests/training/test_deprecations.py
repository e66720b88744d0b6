"""Deprecated Keras-1 arguments: accepted with the exact warning REAL Keras 1.2.2 raised
(tests/data/oracle/training_api_theano.json, made by tools/oracle_cases/training_api_cases.py);
the calls Keras 1.2.2 refused are refused here too."""
import warnings

import numpy as np
import pytest

from keras_compat._args.groups import SEQUENTIAL_DEPRECATIONS
from keras_compat.engine.input_layer import Input
from keras_compat.layers import Dense
from keras_compat.models import Model, Sequential

import reference_data

EXPECTED = reference_data.load_json("oracle", "training_api_theano.json")["cases"]

X = np.random.RandomState(0).uniform(size=(8, 4)).astype("float32")
Y = np.eye(3)[np.arange(8) % 3].astype("float32")


def sequential(activation="softmax"):
    model = Sequential([Dense(3, activation=activation, input_shape=(4,))])
    model.compile("sgd", "categorical_crossentropy")
    return model


def generator():
    while True:
        yield X, Y


CALLS = {
    "compile_class_mode": lambda: Sequential([Dense(3, input_shape=(4,))]).compile(
        "sgd", "mse", class_mode="categorical"),
    "fit_show_accuracy": lambda: sequential().fit(X, Y, nb_epoch=1, verbose=0,
                                                  show_accuracy=True) and None,
    "evaluate_show_accuracy": lambda: sequential().evaluate(X, Y, verbose=0, show_accuracy=True),
    "train_on_batch_accuracy": lambda: sequential().train_on_batch(X, Y, accuracy=True),
    "test_on_batch_accuracy": lambda: sequential().test_on_batch(X, Y, accuracy=True),
    "fit_generator_nb_worker": lambda: sequential().fit_generator(
        generator(), 8, 1, verbose=0, nb_worker=2) and None,
    "fit_generator_show_accuracy_nb_val_worker": lambda: sequential().fit_generator(
        generator(), 8, 1, verbose=0, show_accuracy=True, nb_val_worker=2) and None,
    "evaluate_generator_nb_worker_verbose": lambda: sequential().evaluate_generator(
        generator(), 8, nb_worker=2, verbose=1),
    "predict_generator_nb_worker": lambda: sequential().predict_generator(
        (X for _ in iter(int, 1)), 8, nb_worker=2),
    "predict_proba_invalid": lambda: sequential("linear").predict_proba(X * 100, verbose=0),
}


def user_warnings(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [[w.category.__name__, str(w.message)] for w in caught
            if issubclass(w.category, UserWarning)]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_deprecated_argument_warns_as_keras1(name):
    assert user_warnings(CALLS[name]) == EXPECTED[name]["warnings"]


def test_warning_points_at_the_callers_line():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sequential().evaluate(X, Y, verbose=0, show_accuracy=True)
    assert caught[-1].filename == __file__


def test_functional_model_refuses_show_accuracy_as_keras1():
    """Keras 1.2.2's Model.fit had no ``show_accuracy`` (only Sequential accepted it)."""
    assert EXPECTED["functional_fit_show_accuracy"]["error"][0] == "TypeError"
    inp = Input((4,))
    model = Model(inp, Dense(3, activation="softmax")(inp))
    model.compile("sgd", "categorical_crossentropy")
    with pytest.raises(TypeError, match="show_accuracy"):
        model.fit(X, Y, nb_epoch=1, verbose=0, show_accuracy=True)


def test_every_declared_deprecation_is_exercised_against_the_oracle():
    declared = {rule.message for rules in SEQUENTIAL_DEPRECATIONS.values() for rule in rules}
    recorded = {text for case in EXPECTED.values() for _, text in case["warnings"]}
    assert declared <= recorded


@pytest.mark.parametrize("method,kwargs,replacement", [
    ("compile", {"class_mode": "categorical"}, "remove it"),
    ("fit", {"show_accuracy": True}, 'metrics=["accuracy"]'),
    ("evaluate", {"show_accuracy": True}, 'metrics=["accuracy"]'),
    ("train_on_batch", {"accuracy": True}, 'metrics=["accuracy"]'),
    ("test_on_batch", {"accuracy": True}, 'metrics=["accuracy"]'),
    ("fit_generator", {"nb_val_worker": 2}, "remove it"),
])
def test_functional_model_refuses_sequential_only_arguments_naming_the_replacement(
        method, kwargs, replacement):
    inp = Input((4,))
    model = Model(inp, Dense(3, activation="softmax")(inp))
    args = {"compile": ("sgd", "mse"), "fit_generator": (generator(), 8, 1)}.get(method, (X, Y))
    if method != "compile":
        model.compile("sgd", "mse")
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(TypeError) as info:
        getattr(model, method)(*args, **kwargs)
    message = str(info.value)
    assert "Model.%s()" % method in message and "%s=" % list(kwargs)[0] in message
    assert "Sequential only" in message and replacement in message
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_compile_keywords_go_to_k_function_as_keras1(backend, monkeypatch):
    """Keras 1.2.2 handed compile(**kwargs) to K.function: Theano accepted theano.function's
    own keywords (``mode='FAST_COMPILE'`` in its test_core) and refused others; TensorFlow
    warned and ignored them."""
    from keras_compat.backend import config
    monkeypatch.setenv("KERAS_BACKEND", backend)
    config.reload()
    inp = Input((4,))
    model = Model(inp, Dense(3)(inp))
    for target in (model, Sequential([Dense(3, input_shape=(4,))])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            target.compile("rmsprop", "mse", mode="FAST_COMPILE")
        texts = [str(w.message) for w in caught]
        if backend == "theano":
            assert texts == []
            with pytest.raises(ValueError, match='Invalid argument "bogus" passed to K.function'):
                target.compile("rmsprop", "mse", bogus=1)
        else:
            assert texts == ["Expected no kwargs, you passed 1\nkwargs passed to function are "
                             "ignored with Tensorflow backend"]
        assert target.predict(X).shape == (8, 3)
