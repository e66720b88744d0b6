"""Types of what the training API returns, against REAL Keras 1.2.2
(tests/data/oracle/training_api_tensorflow.json, made by tools/oracle_cases/training_api_cases.py;
the Theano file records 0-d float32 arrays where TensorFlow gave np.float32 scalars: both print
as ``0.50003``, this package returns the TensorFlow form)."""

import numpy as np
import pytest

from keras_compat.layers import Dense
from keras_compat.models import Sequential

import reference_data

EXPECTED = reference_data.load_json("oracle", "training_api_tensorflow.json")["cases"]


def describe(value):
    if isinstance(value, list):
        return {"type": "list", "items": [describe(v) for v in value]}
    if isinstance(value, np.ndarray):
        return {"type": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return {"type": value.dtype.name}
    if isinstance(value, dict):
        return {"type": "dict", "items": {k: describe(v) for k, v in sorted(value.items())}}
    return {"type": type(value).__name__}


def sequential(metrics=None):
    model = Sequential([Dense(3, activation="softmax", input_shape=(4,))])
    model.compile("sgd", "categorical_crossentropy", metrics=metrics)
    return model


X = np.random.RandomState(0).uniform(size=(8, 4)).astype("float32")
Y = np.eye(3)[np.arange(8) % 3].astype("float32")

CALLS = {
    "train_on_batch": lambda: sequential().train_on_batch(X, Y),
    "train_on_batch_metrics": lambda: sequential(["accuracy"]).train_on_batch(X, Y),
    "test_on_batch": lambda: sequential().test_on_batch(X, Y),
    "test_on_batch_metrics": lambda: sequential(["accuracy"]).test_on_batch(X, Y),
    "evaluate": lambda: sequential().evaluate(X, Y, verbose=0),
    "evaluate_metrics": lambda: sequential(["accuracy"]).evaluate(X, Y, verbose=0),
    "predict": lambda: sequential().predict(X, verbose=0),
    "predict_on_batch": lambda: sequential().predict_on_batch(X),
    "predict_classes": lambda: sequential().predict_classes(X, verbose=0),
    "predict_proba": lambda: sequential().predict_proba(X, verbose=0),
    "history": lambda: sequential(["accuracy"]).fit(X, Y, nb_epoch=1, verbose=0,
                                                    validation_data=(X, Y)).history,
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_return_type_matches_keras1(name):
    assert describe(CALLS[name]()) == EXPECTED[name]["result"]


def test_printed_cost_looks_like_keras1():
    """Printed alone or in a list, as NumPy 1.x printed Keras 1's results."""
    import pickle
    cost = sequential().train_on_batch(X, Y)
    assert str(cost) == str(np.float32(float(cost))) and len(str(cost)) <= 10
    loss, acc = sequential(["accuracy"]).evaluate(X, Y, verbose=0)
    assert str([loss, acc]) == "[%s, %s]" % (float(loss), float(acc))
    assert repr(cost) == str(cost) and type(pickle.loads(pickle.dumps(cost))) is np.float32
