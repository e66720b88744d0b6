"""The training surface Sequential and Model share (``ModelBase``), against real Keras 1.2.2.

Reference: tests/data/models/model_training_keras1.json, written by
tools/oracle_cases/model_training_cases.py under the oracle (TensorFlow backend); the models
here are built, weighted and trained exactly as there.
"""

import numpy as np
import pytest

from keras_compat import backend as K
from keras_compat.engine.input_layer import Input
from keras_compat.layers import LSTM, BatchNormalization, Dense, Merge, merge
from keras_compat.models import Model, Sequential
from keras_compat.models.base import ModelBase
from keras_compat.optimizers import SGD

import reference_data

ORACLE = reference_data.load_json("models", "model_training_keras1.json")["cases"]


def fixed_weights(model, seed):
    rng = np.random.RandomState(seed)
    model.set_weights([rng.uniform(-0.5, 0.5, size=w.shape).astype("float32")
                       for w in model.get_weights()])


def data(seed):
    rng = np.random.RandomState(seed)
    return (rng.uniform(size=(6, 3)).astype("float32"), rng.uniform(size=(6, 3)).astype("float32"),
            rng.uniform(size=(6, 4)).astype("float32"), rng.uniform(size=(6, 3)).astype("float32"))


def two_in_two_out():
    a = Input(shape=(3,), name="input_a")
    b = Input(shape=(3,), name="input_b")
    out_a = Dense(4, name="dense_a")(a)
    out_b = Dense(3, name="dense_b")(merge([a, b], mode="sum"))
    model = Model([a, b], [out_a, out_b])
    fixed_weights(model, 1)
    model.compile(SGD(lr=0.1), "mse", loss_weights=[1., 0.5])
    return model


def close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, dtype="float64"), expected, rtol=2e-5,
                               atol=1e-6)


# -- dict data, keyed by input and output layer names (Keras 1's standardize_input_data) -------
@pytest.mark.parametrize("form", ["list", "dict"])
def test_dict_and_list_data_train_and_predict_as_keras1(form):
    expected = ORACLE["dict_data"][form]
    xa, xb, ya, yb = data(2)
    model = two_in_two_out()
    x = [xa, xb] if form == "list" else {"input_a": xa, "input_b": xb}
    y = [ya, yb] if form == "list" else {"dense_a": ya, "dense_b": yb}
    close(model.train_on_batch(x, y), expected["train_on_batch"])
    close(model.test_on_batch(x, y), expected["test_on_batch"])
    history = model.fit(x, y, batch_size=3, nb_epoch=2, shuffle=False, verbose=0,
                        validation_data=(x, y))
    close(history.history["loss"], expected["fit_loss"])
    close(history.history["val_loss"], expected["fit_val_loss"])
    close(model.evaluate(x, y, batch_size=4, verbose=0), expected["evaluate"])
    for got, want in zip(model.predict(x, batch_size=4), expected["predict"]):
        close(got, want)
    for got, want in zip(model.predict_on_batch(x), expected["predict_on_batch"]):
        close(got, want)


def test_dict_data_names_the_missing_or_unknown_key():
    model = two_in_two_out()
    xa, xb, ya, yb = data(2)
    with pytest.raises(ValueError, match='No data provided for "input_b"'):
        model.predict({"input_a": xa})
    with pytest.raises(ValueError, match='the dict key "dense_c" names no model target'):
        model.train_on_batch([xa, xb], {"dense_a": ya, "dense_c": yb})


def test_sequential_takes_its_input_and_target_by_name():
    model = Sequential([Dense(2, input_dim=3, name="out")])
    fixed_weights(model, 0)
    model.compile("sgd", "mse")
    x = np.random.RandomState(1).uniform(size=(4, 3)).astype("float32")
    y = np.zeros((4, 2), "float32")
    by_name = model.test_on_batch({model.input_names[0]: x}, {"out": y})
    assert by_name == model.test_on_batch(x, y)
    np.testing.assert_array_equal(model.predict({model.input_names[0]: x}), model.predict(x))


# -- outputs given as a one-element list --------------------------------------------------------
def test_one_element_output_list_trains_as_one_output():
    expected = ORACLE["one_element_output_list"]
    a = Input(shape=(3,), name="left")
    b = Input(shape=(3,), name="right")
    summed = merge([Dense(2, name="dense_l")(a), Dense(2, name="dense_r")(b)], mode="sum")
    model = Model([a, b], [summed])
    fixed_weights(model, 3)
    model.compile(SGD(lr=0.1), "mse", metrics=["mae"])
    xa, xb, _, _ = data(4)
    y = np.random.RandomState(5).uniform(size=(6, 2)).astype("float32")
    predicted = model.predict([xa, xb])
    assert type(predicted).__name__ == expected["predict_kind"] == "ndarray"
    close(predicted, expected["predict"])
    trained = model.train_on_batch([xa, xb], [y])
    assert type(trained).__name__ == expected["train_on_batch_kind"]
    close(trained, expected["train_on_batch"])
    assert model.metrics_names == expected["metrics_names"]
    history = model.fit([xa, xb], [y], batch_size=3, nb_epoch=2, shuffle=False, verbose=0)
    close(history.history["loss"], expected["fit_loss"])
    close(model.evaluate([xa, xb], [y], verbose=0), expected["evaluate"])


def test_one_element_input_and_output_lists_train():
    inp = Input(shape=(3,))
    model = Model([inp], [Dense(2)(inp)])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    assert np.isfinite(model.train_on_batch([x], [y]))
    assert model.predict([x]).shape == (4, 2)
    assert model.predict(x).shape == (4, 2)


# -- updates: one rule for layers and models ----------------------------------------------------
def test_model_updates_list_their_layers_updates_as_keras1():
    expected = ORACLE["updates"]
    bn = BatchNormalization(input_shape=(4,), mode=0)
    bn(Input(shape=(4,)))
    x = Input(shape=(4,))
    shared = Model(x, bn(x))
    y = Input(shape=(4,))
    outer = Model(y, Dense(2)(shared(y)))
    seq = Sequential([Dense(4, input_dim=3), BatchNormalization(mode=0), Dense(2)])
    stateful = Sequential([LSTM(3, batch_input_shape=(2, 5, 4), stateful=True)])
    seq.compile("sgd", "mse")
    stateful.compile("sgd", "mse")
    z = Input(shape=(3,))
    plain = Model(z, Dense(2)(z))
    got = {"shared_batchnorm": len(shared.updates),
           "model_used_as_layer": len(outer.updates),
           "sequential_batchnorm": len(seq.updates),
           "sequential_batchnorm_state_updates": len(seq.state_updates),
           "stateful_lstm": len(stateful.updates),
           "stateful_lstm_state_updates": len(stateful.state_updates),
           "dense": len(plain.updates)}
    assert got == expected
    # Each pair names the variable that moves: BN's running mean and std, the LSTM's states.
    assert [pair[0] is bn.running_mean for pair in shared.updates] == [True, False]
    lstm = stateful.layers[0]
    assert all(a is b for (a, _), b in zip(stateful.updates, lstm.states))


def test_updates_property_is_the_layer_rule_for_both_model_classes():
    from keras_compat.engine.layer import Layer
    assert "updates" not in ModelBase.__dict__ and "losses" not in ModelBase.__dict__
    assert Sequential.updates is Layer.updates and Model.updates is Layer.updates


# -- custom metrics returning a dict -------------------------------------------------------------
def mse_powers(y_true, y_pred):
    m = K.mean(K.square(y_true - y_pred))
    return {"mse_squared": K.pow(m, 2), "mse_cubed": K.pow(m, 3)}


def test_dict_metric_lists_one_metric_per_key_as_keras1():
    expected = ORACLE["dict_metric_names"]
    single = Sequential([Dense(3, input_dim=3)])
    single.compile("sgd", "mse", metrics=[mse_powers])
    assert single.metrics_names == expected["sequential"]
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 3), "float32")
    loss, squared, cubed = single.test_on_batch(x, y)
    mse = float(np.mean(np.square(single.predict(x) - y)))
    np.testing.assert_allclose([squared, cubed], [mse ** 2, mse ** 3], rtol=1e-5)
    model = two_in_two_out()
    model.compile("sgd", "mse", metrics=[mse_powers])
    assert model.metrics_names == expected["two_outputs"]
    xa, xb, ya, yb = data(2)
    assert len(model.evaluate([xa, xb], [ya, yb], verbose=0)) == len(expected["two_outputs"])


# -- one body, each class's Keras-1 argument table -----------------------------------------------
def test_training_methods_live_once_in_the_model_base():
    for name in ("compile", "fit", "evaluate", "train_on_batch", "test_on_batch",
                 "fit_generator", "evaluate_generator", "predict_generator"):
        body = ModelBase.__dict__[name]
        for cls in (Sequential, Model):
            assert cls.__dict__[name].__wrapped__.__code__ is body.__code__
    for name in ("predict", "predict_on_batch", "_standardize_x", "_standardize_xy"):
        assert name not in Sequential.__dict__ and name not in Model.__dict__


def test_compile_keywords_follow_k_function_rules():
    """Keras 1.2.2 passed compile's other keywords to K.function (test_activity_regularization
    compiles with mode='FAST_COMPILE'); under TensorFlow it warned and ignored them."""
    model = Sequential([Dense(2, input_dim=3)])
    if K.backend() == "theano":
        model.compile("sgd", "mse", mode="FAST_COMPILE")
        with pytest.raises(ValueError, match='Invalid argument "bogus" passed to K.function'):
            model.compile("sgd", "mse", bogus=1)
    else:
        with pytest.warns(UserWarning, match="kwargs passed to function are ignored"):
            model.compile("sgd", "mse", mode="FAST_COMPILE")
    assert model.metrics_names == ["loss"]


# -- a Sequential merging the same model twice ---------------------------------------------------
def test_model_merged_twice_contributes_its_input_once():
    expected = ORACLE["merged_twice"]
    left = Sequential([Dense(2, input_dim=3)])
    model = Sequential([Merge([left, left], mode="sum"), Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.zeros((4, 3), "float32"), np.zeros((4, 1), "float32")
    assert len(model.model.inputs) == expected["inputs"] == 1
    assert expected["two_arrays"] == "ValueError: Error when checking model input"
    with pytest.raises(ValueError, match="Error when checking model input"):
        model.train_on_batch([x, x], y)
    assert np.isfinite(model.train_on_batch(x, y))
