"""Return types of the training API and the deprecation warnings of Keras 1.2.2, recorded
from REAL Keras 1.2.2 (run under the oracle, once per backend):

    /work/shared/oracle/run_keras1.sh tools/oracle_cases/training_api_cases.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh \\
        tools/oracle_cases/training_api_cases.py

Writes tests/data/oracle/training_api_<backend>.json: for each call, the Python type name of
the result (``ndarray`` with dtype and shape, ``float32``, ``list`` of item types) and the
warnings it raised (category, message), or the exception it raised.
"""
from __future__ import print_function

import json
import os
import warnings

import numpy as np

import keras
from keras import backend as K
from keras.layers import Dense, Input
from keras.models import Model, Sequential

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle",
                   "training_api_%s.json" % K.backend())


def describe(value):
    if isinstance(value, list):
        return {"type": "list", "items": [describe(v) for v in value]}
    if isinstance(value, np.ndarray):
        return {"type": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return {"type": type(value).__name__}
    if isinstance(value, dict):
        return {"type": "dict", "items": {k: describe(v) for k, v in sorted(value.items())}}
    return {"type": type(value).__name__}


def run(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = {"result": describe(call())}
        except Exception as exc:  # the error is the recorded behaviour
            result = {"error": [type(exc).__name__, str(exc)]}
    # Keras 1.2.2 warned with UserWarning; TensorFlow 1.0's own DeprecationWarnings are noise.
    result["warnings"] = [[w.category.__name__, str(w.message)] for w in caught
                          if issubclass(w.category, UserWarning)]
    return result


def sequential(metrics=None, activation="softmax"):
    np.random.seed(1)
    model = Sequential([Dense(3, activation=activation, input_shape=(4,))])
    model.compile("sgd", "categorical_crossentropy", metrics=metrics)
    return model


def generator(x, y):
    while True:
        yield x, y


def main():
    x = np.random.RandomState(0).uniform(size=(8, 4)).astype("float32")
    y = np.eye(3)[np.arange(8) % 3].astype("float32")
    plain, with_acc = sequential(), sequential(["accuracy"])
    inp = Input((4,))
    functional = Model(inp, Dense(3, activation="softmax")(inp))
    functional.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    cases = {
        "train_on_batch": lambda: plain.train_on_batch(x, y),
        "train_on_batch_metrics": lambda: with_acc.train_on_batch(x, y),
        "test_on_batch": lambda: plain.test_on_batch(x, y),
        "test_on_batch_metrics": lambda: with_acc.test_on_batch(x, y),
        "evaluate": lambda: plain.evaluate(x, y, verbose=0),
        "evaluate_metrics": lambda: with_acc.evaluate(x, y, verbose=0),
        "functional_train_on_batch_metrics": lambda: functional.train_on_batch(x, y),
        "functional_evaluate_metrics": lambda: functional.evaluate(x, y, verbose=0),
        "predict": lambda: plain.predict(x, verbose=0),
        "predict_on_batch": lambda: plain.predict_on_batch(x),
        "predict_classes": lambda: plain.predict_classes(x, verbose=0),
        "predict_proba": lambda: plain.predict_proba(x, verbose=0),
        "history": lambda: with_acc.fit(x, y, nb_epoch=1, verbose=0,
                                        validation_data=(x, y)).history,
        "evaluate_generator": lambda: with_acc.evaluate_generator(generator(x, y), 8),
        # deprecated arguments (Sequential)
        "compile_class_mode": lambda: Sequential([Dense(3, input_shape=(4,))]).compile(
            "sgd", "mse", class_mode="categorical"),
        "fit_show_accuracy": lambda: plain.fit(x, y, nb_epoch=1, verbose=0, show_accuracy=True)
        and None,
        "evaluate_show_accuracy": lambda: plain.evaluate(x, y, verbose=0, show_accuracy=True),
        "train_on_batch_accuracy": lambda: plain.train_on_batch(x, y, accuracy=True),
        "test_on_batch_accuracy": lambda: plain.test_on_batch(x, y, accuracy=True),
        "fit_generator_nb_worker": lambda: plain.fit_generator(
            generator(x, y), 8, 1, verbose=0, nb_worker=2) and None,
        "fit_generator_show_accuracy_nb_val_worker": lambda: plain.fit_generator(
            generator(x, y), 8, 1, verbose=0, show_accuracy=True, nb_val_worker=2) and None,
        "evaluate_generator_nb_worker_verbose": lambda: plain.evaluate_generator(
            generator(x, y), 8, nb_worker=2, verbose=1),
        "predict_generator_nb_worker": lambda: plain.predict_generator(
            (xb for xb in iter(lambda: x, None)), 8, nb_worker=2),
        "predict_proba_invalid": lambda: sequential(activation="linear").predict_proba(
            x * 100, verbose=0),
        "functional_fit_show_accuracy": lambda: functional.fit(x, y, nb_epoch=1, verbose=0,
                                                               show_accuracy=True),
        "functional_compile_class_mode": lambda: Model(inp, Dense(3)(inp)).compile(
            "sgd", "mse", class_mode="categorical"),
    }
    recorded = {name: run(call) for name, call in sorted(cases.items())}
    with open(OUT, "w") as handle:
        json.dump({"keras": keras.__version__, "backend": K.backend(), "cases": recorded},
                  handle, indent=1, sort_keys=True)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
