"""Sequential: building, training loop behaviour, saving, and clear errors on bad input."""
import json
import os

import numpy as np
import pytest
import torch

from keras_compat.callbacks import Callback
from keras_compat.layers import Activation, Dense, Dropout, Flatten
from keras_compat.models import Sequential, model_from_json
from keras_compat.optimizers import SGD


def _mlp(input_dim=6, hidden=8, classes=3):
    model = Sequential()
    model.add(Dense(hidden, input_dim=input_dim))
    model.add(Activation("relu"))
    model.add(Dense(classes))
    model.add(Activation("softmax"))
    return model


def _data(n=40, input_dim=6, classes=3):
    x = np.random.random((n, input_dim)).astype("float32")
    y = np.eye(classes)[np.argmax(x[:, :classes], axis=1)]
    return x, y


def test_shapes_names_and_params_are_known_before_data():
    model = _mlp()
    assert [layer.name for layer in model.layers] == ["dense_1", "activation_1", "dense_2",
                                                      "activation_2"]
    assert model.input_shape == (None, 6)
    assert model.output_shape == (None, 3)
    assert model.count_params() == 6 * 8 + 8 + 8 * 3 + 3
    assert list(model.state_dict()) == ["dense_1.weight", "dense_1.bias", "dense_2.weight",
                                        "dense_2.bias"]


def test_first_layer_without_input_shape_is_refused():
    with pytest.raises(ValueError, match="first layer in a Sequential model must get an `input_shape`"):
        Sequential().add(Dense(3))


def test_pop_removes_the_last_layer():
    model = _mlp()
    model.pop()
    assert model.output_shape == (None, 3)
    assert len(model.layers) == 3
    with pytest.raises(TypeError, match="no layers"):
        Sequential().pop()


def test_fit_returns_history_and_learns():
    model = _mlp()
    model.compile(loss="categorical_crossentropy", optimizer=SGD(lr=0.5), metrics=["accuracy"])
    x, y = _data(200)
    history = model.fit(x, y, nb_epoch=15, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "acc"}
    assert history.epoch == list(range(15))
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(x, y, verbose=0)[1] > 0.6


def test_epochs_is_the_keras2_spelling_of_nb_epoch():
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd")
    x, y = _data()
    assert model.fit(x, y, epochs=2, verbose=0).epoch == [0, 1]
    with pytest.raises(TypeError, match="'epochs'.*'nb_epoch'"):
        model.fit(x, y, epochs=2, nb_epoch=3, verbose=0)


def test_validation_split_takes_the_last_fraction_before_shuffling():
    seen = {}

    class Spy(Callback):
        def on_train_begin(self, logs=None):
            seen["val_x"] = self.validation_data[0]
            seen["params"] = self.params

    model = _mlp()
    model.compile(loss="mse", optimizer="sgd", metrics=["accuracy"])
    x, y = _data(50)
    history = model.fit(x, y, nb_epoch=1, validation_split=0.2, verbose=0, callbacks=[Spy()])
    np.testing.assert_array_equal(seen["val_x"], x[40:])
    assert seen["params"]["nb_sample"] == 40
    assert seen["params"]["metrics"] == ["loss", "acc", "val_loss", "val_acc"]
    assert set(history.history) == {"loss", "acc", "val_loss", "val_acc"}


def test_validation_data_is_evaluated_each_epoch():
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd")
    x, y = _data(30)
    history = model.fit(x, y, nb_epoch=2, validation_data=(x[:10], y[:10]), verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert history.history["val_loss"][-1] == pytest.approx(
        model.evaluate(x[:10], y[:10], verbose=0), rel=1e-6)


def test_shuffle_false_is_deterministic_and_shuffle_batch_runs():
    x, y = _data(33)
    results = []
    for _ in range(2):
        model = _mlp()
        model.set_weights([np.full(w.shape, 0.1, "float32") for w in model.get_weights()])
        model.compile(loss="mse", optimizer="sgd")
        results.append(model.fit(x, y, nb_epoch=2, batch_size=8, shuffle=False,
                                 verbose=0).history["loss"])
    assert results[0] == results[1]
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd")
    model.fit(x, y, nb_epoch=1, batch_size=8, shuffle="batch", verbose=0)


def test_sample_weight_matches_keras1_normalisation():
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd")
    x, y = _data(10)
    weights = np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1], "float32")
    per_sample = ((model.predict(x) - y) ** 2).mean(axis=1)
    # Keras 1: mean(loss * w) / mean(w != 0)
    expected = (per_sample * weights).mean() / (weights != 0).mean()
    assert model.evaluate(x, y, batch_size=10, verbose=0, sample_weight=weights) == \
        pytest.approx(expected, rel=1e-5)


def test_class_weight_is_applied_per_sample():
    model = _mlp()
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    x, y = _data(12)
    pred = model.predict(x)
    per_sample = -(y * np.log(np.clip(pred, 1e-7, 1 - 1e-7))).sum(axis=1)
    weights = np.where(y.argmax(axis=1) == 0, 3.0, 0.5)
    expected = (per_sample * weights).mean()
    loss = model.train_on_batch(x, y, class_weight={0: 3.0, 1: 0.5, 2: 0.5})
    assert loss == pytest.approx(expected, rel=1e-5)
    with pytest.raises(KeyError, match="class_weight has no entry"):
        model.fit(x, y, class_weight={0: 1.0}, verbose=0)


def test_initial_epoch_and_stop_training():
    class StopAfterFirst(Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = True

    model = _mlp()
    model.compile(loss="mse", optimizer="sgd")
    x, y = _data()
    assert model.fit(x, y, nb_epoch=5, initial_epoch=3, verbose=0).epoch == [3, 4]
    assert model.fit(x, y, nb_epoch=5, verbose=0, callbacks=[StopAfterFirst()]).epoch == [0]


def test_batch_callbacks_get_float_logs():
    logs_seen = []

    class Recorder(Callback):
        def on_batch_end(self, batch, logs=None):
            logs_seen.append(dict(logs))

    model = _mlp()
    model.compile(loss="mse", optimizer="sgd", metrics=["accuracy"])
    x, y = _data(20)
    model.fit(x, y, nb_epoch=1, batch_size=8, verbose=0, callbacks=[Recorder()])
    assert [log["size"] for log in logs_seen] == [8, 8, 4]
    assert all(isinstance(log["loss"], float) and isinstance(log["acc"], float) for log in logs_seen)


def test_verbose_2_prints_one_line_per_epoch(capsys):
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd", metrics=["accuracy"])
    x, y = _data(20)
    model.fit(x, y, nb_epoch=2, batch_size=8, verbose=2, validation_data=(x, y))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Train on 20 samples, validate on 20 samples"
    assert lines[1] == "Epoch 1/2"
    assert lines[2].startswith("0s - loss: ") and " - acc: " in lines[2] and " - val_acc: " in lines[2]
    assert lines[3] == "Epoch 2/2"


def test_verbose_1_final_line_shows_the_epoch_average(capsys):
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd")
    x, y = _data(20)
    history = model.fit(x, y, nb_epoch=1, batch_size=8, verbose=1, shuffle=False)
    out = capsys.readouterr().out
    final = out.split("\r")[-1]
    assert final.startswith("20/20 [==============================] - 0s - loss: ")
    shown = float(final.split("loss: ")[1].split()[0])
    assert shown == pytest.approx(history.history["loss"][0], abs=1e-4)


def test_predict_classes_and_proba():
    model = _mlp()
    x, _ = _data(7)
    proba = model.predict_proba(x, verbose=0)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(model.predict_classes(x, verbose=0), proba.argmax(axis=1))
    binary = Sequential([Dense(1, input_dim=6, activation="sigmoid")])
    classes = binary.predict_classes(x, verbose=0)
    assert classes.shape == (7, 1) and classes.dtype == np.int32


def test_train_and_test_on_batch():
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd", metrics=["accuracy"])
    x, y = _data(8)
    loss, acc = model.train_on_batch(x, y)
    assert isinstance(loss, np.float32) and 0 <= acc <= 1  # Keras 1 returned np.float32
    assert isinstance(model.test_on_batch(x, y), list)
    assert model.predict_on_batch(x).shape == (8, 3)


def test_dropout_is_off_in_predict_and_on_in_training():
    model = Sequential([Dropout(0.5, input_shape=(100,))])
    x = np.ones((4, 100), "float32")
    np.testing.assert_array_equal(model.predict(x), x)
    model.train()
    out = model(torch.ones(4, 100)).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0} and (out == 0).any()


def test_json_round_trip_and_weights_file(tmp_path):
    model = _mlp()
    x, _ = _data(5)
    rebuilt = model_from_json(model.to_json())
    assert [type(layer).__name__ for layer in rebuilt.layers] == ["Dense", "Activation", "Dense",
                                                                  "Activation"]
    assert json.loads(model.to_json())["keras_version"] == "1.2.2"
    path = str(tmp_path / "w.pt")
    model.save_weights(path)
    payload = torch.load(path, weights_only=True)
    assert payload["layer_names"] == ["dense_1", "dense_2"]
    rebuilt.load_weights(path)
    np.testing.assert_array_equal(rebuilt.predict(x), model.predict(x))


# -- bad input: clear errors, nothing changed -----------------------------------------------
def test_compile_is_required_before_fit():
    model = _mlp()
    with pytest.raises(RuntimeError, match="needs to be compiled"):
        model.fit(*_data(), verbose=0)


def test_wrong_input_shape_names_the_input_layer():
    model = _mlp()
    model.compile(loss="mse", optimizer="sgd")
    with pytest.raises(ValueError, match=r"expected dense_input_1 to have shape \(None, 6\) but got "
                                         r"array with shape \(4, 5\)"):
        model.fit(np.zeros((4, 5)), np.zeros((4, 3)), verbose=0)
    with pytest.raises(ValueError, match="expected dense_input_1 to have 2 dimensions"):
        model.predict(np.zeros((4, 6, 1)))


def test_wrong_targets_are_refused():
    model = _mlp()
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    with pytest.raises(ValueError, match="to_categorical"):
        model.fit(np.zeros((4, 6)), np.zeros((4, 1)), verbose=0)
    with pytest.raises(ValueError, match=r"target array with shape \(4, 5\) was passed for an output of shape \(None, 3\)"):
        model.fit(np.zeros((4, 6)), np.zeros((4, 5)), verbose=0)
    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(np.zeros((4, 6)), np.zeros((3, 3)), verbose=0)


def test_unknown_loss_and_optimizer_names():
    model = _mlp()
    with pytest.raises(ValueError, match="nope"):
        model.compile(loss="nope", optimizer="sgd")
    with pytest.raises(ValueError, match="adamw"):
        model.compile(loss="mse", optimizer="adamw")


def test_set_weights_with_wrong_arrays_changes_nothing():
    model = _mlp()
    before = model.get_weights()
    with pytest.raises(ValueError, match="expecting 4 weights"):
        model.set_weights(before[:3])
    bad = [w.copy() + 1 for w in before]
    bad[3] = np.zeros((5,), "float32")
    with pytest.raises(ValueError, match="dense_2"):
        model.set_weights(bad)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_load_weights_from_another_architecture_changes_nothing(tmp_path):
    other = _mlp(hidden=5)
    path = str(tmp_path / "other.pt")
    other.save_weights(path)
    model = _mlp()
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"Layer dense_3 \(Dense\) does not fit the weights in "):
        model.load_weights(path)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_load_weights_refuses_pickled_objects(tmp_path):
    path = str(tmp_path / "evil.pt")
    torch.save({"format": "keras_compat.weights", "payload": Sequential}, path)
    with pytest.raises(ValueError, match="cannot|safely"):
        _mlp().load_weights(path)


def test_save_is_atomic(tmp_path, monkeypatch):
    model = _mlp()
    path = str(tmp_path / "w.pt")
    model.save_weights(path)
    original = open(path, "rb").read()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        _mlp().save_weights(path)
    assert open(path, "rb").read() == original
    assert os.listdir(tmp_path) == ["w.pt"]


def test_flatten_on_unknown_dimension_uses_keras1_message():
    model = Sequential([Dense(4, batch_input_shape=(None, None, 3))])
    with pytest.raises(ValueError, match=r'The shape of the input to "Flatten" is not fully defined '
                                         r"\(got \(None, 4\)\. Make sure to pass a complete"):
        model.add(Flatten())


def test_unknown_constructor_argument_names_the_layer():
    with pytest.raises(TypeError, match="Dense.*'nb_filter'"):
        Dense(3, nb_filter=2)
    with pytest.raises(ValueError, match="activation.*'nope'|nope"):
        Dense(3, activation="nope")


def test_bool_and_int_inputs_feed_float_layers_as_float():
    # addition_rnn.py (Keras 1.2.2 example) one-hot encodes into np.bool arrays; Keras 1 fed every
    # input through a float32 placeholder. Embedding inputs (declared int32) stay integers.
    from keras_compat.layers import LSTM, Embedding, Input
    from keras_compat.models import Model

    x = np.random.rand(6, 3, 4) > 0.5
    y = np.random.rand(6, 2) > 0.5
    model = Sequential([LSTM(2, input_shape=(3, 4))])
    model.compile("sgd", "mse")
    expected = model.predict(x.astype("float32"))
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-6)
    history = model.fit(x, y, nb_epoch=1, batch_size=3, verbose=0, validation_data=(x, y))
    assert np.isfinite(history.history["val_loss"][0])
    first = Input(shape=(4,))
    second = Input(shape=(3,), dtype="int32")
    merged = Dense(1)(first)
    functional = Model([first, second], [merged, Embedding(5, 2)(second)])
    out = functional.predict([np.ones((2, 4), dtype=np.uint8), np.array([[1, 2, 3], [0, 4, 1]])])
    assert out[0].shape == (2, 1) and out[1].shape == (2, 3, 2)


def test_models_without_trainable_weights_still_train_on_batch():
    from keras_compat.engine.input_layer import Input
    from keras_compat.layers import Lambda
    from keras_compat.models import Model
    x = np.random.random((4, 3)).astype("float32")
    sequential = Sequential([Activation("tanh", input_shape=(3,))])
    sequential.compile(loss="mse", optimizer="rmsprop")
    assert sequential.train_on_batch(x, x) == pytest.approx(float(((np.tanh(x) - x) ** 2).mean()),
                                                            rel=1e-5)
    inp = Input(shape=(3,))
    functional = Model(input=inp, output=Lambda(lambda t: t * 2)(inp))
    functional.compile(loss="mse", optimizer="rmsprop")
    assert functional.train_on_batch(x, x) == pytest.approx(float((x ** 2).mean()), rel=1e-5)
