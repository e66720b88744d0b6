"""keras_compat.training.trainer: the fit/evaluate/predict loops against real Keras 1.2.2.

Reference: tests/data/oracle/trainer_theano.json, made by tools/oracle_cases/trainer_cases.py:
a Dense(1) model with fixed start weights, SGD(lr=0.1), trained on fixed data; the final
weights pin the batching, the shuffle order (drawn from NumPy's global RNG after
``np.random.seed(3)``), the validation split and the sample and class weights.
"""
import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.callbacks import Callback
from keras_compat.layers import Dense
from keras_compat.models import Sequential
from keras_compat.optimizers import SGD
from keras_compat.training.trainer import Trainer, predict

import reference_data

REF = reference_data.load_json("oracle", "trainer_theano.json")
X = np.array(REF["x"], "float32").reshape(10, 2)
Y = np.array(REF["y"], "float32").reshape(10, 1)
Y_BINARY = np.array(REF["y_binary"], "float32").reshape(10, 1)
START = [np.array(REF["start"][0], "float32").reshape(2, 1), np.array(REF["start"][1], "float32")]

FIT_KWARGS = {
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


class Recorder(Callback):
    """Every callback event with its index and sorted log keys (as the generator records)."""

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


def _model(activation="linear", loss="mse", metrics=None):
    model = Sequential([Dense(1, input_dim=2, activation=activation)])
    model.compile(optimizer=SGD(lr=0.1), loss=loss, metrics=metrics or [])
    model.set_weights(START)
    return model


@pytest.fixture(autouse=True)
def _theano():
    config.set_backend("theano")  # the numerics the reference was recorded with


def test_the_reference_covers_every_case():
    assert sorted(REF["fit"]) == sorted(FIT_KWARGS)


# Keras 1.2.2 shuffles the same index array again each epoch (np.random.shuffle(index_array)
# in _fit_loop, batch_shuffle likewise), so epoch 2's order is a permutation of epoch 1's; the
# multi-epoch shuffled cases check that keras_compat trains on the same batches.
FIT_CASES = sorted(FIT_KWARGS)


@pytest.mark.parametrize("case", FIT_CASES)
def test_fit_matches_keras1(case):
    expected = REF["fit"][case]
    binary = case.startswith("class_weight")
    model = _model("sigmoid", "binary_crossentropy") if binary else \
        _model(metrics=["mae"] if case == "validation_data_metrics" else None)
    recorder = Recorder()
    np.random.seed(3)
    history = model.fit(X, Y_BINARY if binary else Y, verbose=0, callbacks=[recorder],
                        **FIT_KWARGS[case])
    # The shuffles drew from NumPy's global RNG exactly as much as Keras 1's did.
    assert np.random.rand() == expected["rand_after"]
    for got, want in zip(model.get_weights(), expected["weights"]):
        np.testing.assert_allclose(got.ravel(), want, rtol=1e-5, atol=1e-6)
    assert history.epoch == expected["epoch"]
    assert sorted(history.history) == sorted(expected["history"])
    for key, values in expected["history"].items():
        np.testing.assert_allclose(history.history[key], values, rtol=1e-5, atol=1e-7)
    assert recorder.events == [[name, index, keys] + rest
                               for name, index, keys, *rest in expected["events"]]
    assert recorder.params == expected["params"]


def test_evaluate_is_the_batch_size_weighted_mean():
    model = _model(metrics=["mae"])
    for key, kwargs in (("evaluate_bs3", {"batch_size": 3}), ("evaluate_bs10", {"batch_size": 10}),
                        ("evaluate_weighted", {"batch_size": 4,
                                               "sample_weight": np.arange(1, 11, dtype="float32")})):
        np.testing.assert_allclose(model.evaluate(X, Y, verbose=0, **kwargs),
                                   REF["batches"][key], rtol=1e-6)


def test_on_batch_values_come_from_before_the_update():
    model = _model(metrics=["mae"])
    np.testing.assert_allclose(model.test_on_batch(X[:4], Y[:4]), REF["batches"]["test_on_batch"],
                               rtol=1e-6)
    trained = model.train_on_batch(X[:4], Y[:4])
    np.testing.assert_allclose(trained, REF["batches"]["train_on_batch"], rtol=1e-6)
    assert all(isinstance(value, np.float32) for value in trained)
    for got, want in zip(model.get_weights(), REF["batches"]["weights_after_train_on_batch"]):
        np.testing.assert_allclose(got.ravel(), want, rtol=1e-6)


def test_predict_in_batches_matches_keras1():
    model = _model()  # the generator predicted after its train_on_batch step
    model.set_weights([np.array(w, "float32").reshape(s.shape) for w, s in
                       zip(REF["batches"]["weights_after_train_on_batch"], START)])
    got = model.predict(X, batch_size=3)
    assert got.dtype == np.float32 and got.shape == (10, 1)
    np.testing.assert_allclose(got.ravel(), REF["batches"]["predict"], rtol=1e-6)
    with pytest.raises(ValueError, match="predict\\(\\) was given no samples"):
        predict(model, X[:0], batch_size=3, verbose=0, device="cpu")


class _Linear(torch.nn.Module):
    """The smallest model the Trainer drives: the interface its docstring names, no layers."""

    def __init__(self, trainable=True):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(2, 1), requires_grad=trainable)

    def forward(self, x):
        return x @ self.w

    def trainable_parameters(self):
        return [("w", self.w)] if self.w.requires_grad else []

    def regularization_losses(self):
        return []

    def constraints(self):
        return {}

    def has_regularizers(self):
        return False


def _mse(y_true, y_pred):
    return ((y_pred - y_true) ** 2).mean(-1)


def test_trainer_drives_any_module_with_the_interface():
    module = _Linear()
    optimizer = SGD(lr=0.1)
    trainer = Trainer(module, optimizer, _mse, "mse", [], "cpu")
    assert trainer.metrics_names == ["loss"]
    loss = trainer.train_on_batch(X[:2], Y[:2])
    # loss before the step: mean((x @ [1, 1] - y)^2) over the two rows
    assert loss == pytest.approx(float(np.mean((X[:2].sum(1) - Y[:2, 0]) ** 2)), rel=1e-6)
    assert not torch.equal(module.w.detach(), torch.ones(2, 1))


def test_trainer_without_parameters_still_steps():
    module = _Linear(trainable=False)
    trainer = Trainer(module, SGD(lr=0.1), _mse, "mse", [], "cpu")
    trainer.train_on_batch(X[:2], Y[:2])
    assert torch.equal(module.w.detach(), torch.ones(2, 1))


def test_bad_loop_arguments_are_named():
    model = _model()
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(X, Y, batch_size=0, nb_epoch=1, verbose=0)
    with pytest.raises(ValueError, match="nb_epoch"):
        model.fit(X, Y, batch_size=2, nb_epoch=-1, verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        model.evaluate(X, Y, batch_size=0, verbose=0)


def test_on_batch_calls_put_every_module_in_the_phase_they_run():
    model = Sequential([Dense(3, input_dim=2), Dense(1)])
    model.compile(loss="mse", optimizer=SGD())
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    model.train_on_batch(x, y)
    model.layers[1].eval()   # one module left in the other phase: set again, not skipped
    model.train_on_batch(x, y)
    assert all(module.training for module in model.modules())
    model.test_on_batch(x, y)
    assert not any(module.training for module in model.modules())
    model.layers[0].train()
    model.test_on_batch(x, y)
    assert not any(module.training for module in model.modules())
