"""What Keras 1.2.2's training loop and its data helpers did, recorded from REAL Keras 1.2.2
(Theano backend) for tests/training/test_trainer.py and tests/training/test_data.py:

    KERAS1_BACKEND=theano /work/shared/oracle/run_keras1.sh tools/oracle_cases/trainer_cases.py

Writes tests/data/oracle/trainer_theano.json:
- ``helpers``: ``make_batches``, ``batch_shuffle`` and ``np.random.shuffle`` orders after a
  given seed, and ``standardize_weights`` for sample and class weights;
- ``fit``: for each case, a Dense(1) model with fixed start weights trained with SGD: the
  final weights, ``history.history``/``history.epoch``, every callback event with its batch
  index and sorted log keys, ``params``, and ``np.random.rand()`` drawn right after fit (how
  much of NumPy's global RNG the shuffles used);
- ``evaluate``/``on_batch``: evaluate's batch-size weighted mean, train/test_on_batch values.
"""
from __future__ import print_function

import json
import os

import numpy as np

from keras.callbacks import Callback
from keras.engine import training as T
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle", "trainer_theano.json")

X = (np.arange(20, dtype="float32").reshape(10, 2) / 10.0).astype("float32")
Y = (X.dot(np.array([[1.0], [-1.0]], "float32")) + 0.5).astype("float32")
Y_BINARY = np.array([[0], [1], [1], [0], [1], [0], [0], [1], [1], [1]], "float32")
START = [np.array([[0.1], [0.2]], "float32"), np.array([0.0], "float32")]


class Recorder(Callback):
    def __init__(self):
        super(Recorder, self).__init__()
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append(["train_begin", None, sorted(logs or {})])

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(["epoch_begin", epoch, sorted(logs or {})])

    def on_batch_begin(self, batch, logs=None):
        self.events.append(["batch_begin", batch, sorted(logs or {}), int(logs["size"])])

    def on_batch_end(self, batch, logs=None):
        self.events.append(["batch_end", batch, sorted(logs or {})])

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(["epoch_end", epoch, sorted(logs or {})])

    def on_train_end(self, logs=None):
        self.events.append(["train_end", None, sorted(logs or {})])


def model(activation="linear", loss="mse", metrics=None):
    m = Sequential([Dense(1, input_dim=2, activation=activation)])
    m.compile(optimizer=SGD(lr=0.1), loss=loss, metrics=metrics or [])
    m.set_weights(START)
    return m


def floats(values):
    return [float(v) for v in np.ravel(values)]


FIT_CASES = {
    "shuffle_validation_split": dict(batch_size=3, nb_epoch=2, shuffle=True, validation_split=0.2),
    "shuffle_batch": dict(batch_size=3, nb_epoch=2, shuffle="batch"),
    "no_shuffle_sample_weight": dict(batch_size=4, nb_epoch=2, shuffle=False,
                                     sample_weight=np.arange(1, 11, dtype="float32")),
    "zero_sample_weights": dict(batch_size=5, nb_epoch=1, shuffle=False,
                                sample_weight=np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1], "float32")),
    "class_weight_binary": dict(batch_size=4, nb_epoch=2, shuffle=False,
                                class_weight={0: 0.5, 1: 3.0}),
    "initial_epoch": dict(batch_size=5, nb_epoch=3, shuffle=False, initial_epoch=1),
    "validation_data_metrics": dict(batch_size=5, nb_epoch=1, shuffle=False,
                                    validation_data=(X[:4], Y[:4])),
}


def fit_case(name, kwargs):
    binary = name.startswith("class_weight")
    m = model("sigmoid", "binary_crossentropy") if binary else \
        model(metrics=["mae"] if name == "validation_data_metrics" else None)
    recorder = Recorder()
    np.random.seed(3)
    history = m.fit(X, Y_BINARY if binary else Y, verbose=0, callbacks=[recorder], **kwargs)
    after = float(np.random.rand())
    params = dict(recorder.params)
    return {
        "weights": [floats(w) for w in m.get_weights()],
        "history": {k: floats(v) for k, v in history.history.items()},
        "epoch": list(history.epoch),
        "events": recorder.events,
        "params": {k: v for k, v in params.items()},
        "rand_after": after,
    }


def helpers():
    out = {"make_batches": {"%d,%d" % (n, b): [list(p) for p in T.make_batches(n, b)]
                            for n, b in [(10, 3), (9, 3), (1, 5), (7, 7)]}}
    np.random.seed(7)
    out["batch_shuffle_10_3"] = [int(i) for i in T.batch_shuffle(np.arange(10), 3)]
    np.random.seed(7)
    order = np.arange(10)
    np.random.shuffle(order)
    out["shuffle_10"] = [int(i) for i in order]
    onehot = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], "float32")
    out["class_weight_onehot"] = floats(T.standardize_weights(onehot, class_weight={0: 1., 1: 2., 2: 3.}))
    out["class_weight_binary"] = floats(T.standardize_weights(Y_BINARY[:4], class_weight={0: .5, 1: 4.}))
    out["sample_weight"] = floats(T.standardize_weights(Y_BINARY[:4], sample_weight=np.array([1, 2, 3, 4])))
    out["no_weights"] = floats(T.standardize_weights(Y_BINARY[:4]))
    out["split_at"] = {str(s): int(10 * (1. - s)) for s in (0.1, 0.2, 0.25, 0.33)}
    return out


def batches():
    m = model(metrics=["mae"])
    out = {"evaluate_bs3": floats(m.evaluate(X, Y, batch_size=3, verbose=0)),
           "evaluate_bs10": floats(m.evaluate(X, Y, batch_size=10, verbose=0)),
           "evaluate_weighted": floats(m.evaluate(X, Y, batch_size=4, verbose=0,
                                                  sample_weight=np.arange(1, 11, dtype="float32")))}
    out["test_on_batch"] = floats(m.test_on_batch(X[:4], Y[:4]))
    out["train_on_batch"] = floats(m.train_on_batch(X[:4], Y[:4]))
    out["weights_after_train_on_batch"] = [floats(w) for w in m.get_weights()]
    out["predict"] = floats(m.predict(X, batch_size=3))
    return out


def main():
    result = {"helpers": helpers(), "batches": batches(),
              "fit": {name: fit_case(name, kwargs) for name, kwargs in sorted(FIT_CASES.items())},
              "x": floats(X), "y": floats(Y), "y_binary": floats(Y_BINARY),
              "start": [floats(w) for w in START]}
    with open(OUT, "w") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
