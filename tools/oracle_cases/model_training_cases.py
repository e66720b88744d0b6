"""Keras 1.2.2 training behaviour shared by Sequential and Model (the one model base).

Run under the oracle:
  KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh \
      tools/oracle_cases/model_training_cases.py tests/data/models/model_training_keras1.json

Every model gets fixed weights (``set_weights`` from a seeded RandomState) and plain SGD, so
its losses and predictions are reproducible numbers.  Recorded:
- dict data: ``fit``/``evaluate``/``predict``/``*_on_batch`` with inputs and targets given as
  dicts keyed by input/output layer names, against the same calls with lists;
- a model whose outputs are given as a ONE-element list: ``metrics_names``, the kind
  ``predict``/``train_on_batch`` return, and their values;
- ``model.updates`` / ``state_updates`` lengths (shared BatchNormalization, Sequential with BN,
  a model used as a layer, a stateful LSTM, a Dense model);
- ``metrics_names`` of a custom metric that returns a dict;
- a Sequential merging the same model twice: how many input arrays it takes.
"""
import json
import sys

import numpy as np
from keras import backend as K
from keras.layers import (LSTM, BatchNormalization, Dense, Input, Masking, Merge,
                          merge)
from keras.models import Model, Sequential
from keras.optimizers import SGD


def fixed_weights(model, seed):
    rng = np.random.RandomState(seed)
    model.set_weights([rng.uniform(-0.5, 0.5, size=w.shape).astype("float32")
                       for w in model.get_weights()])


def floats(values):
    if isinstance(values, list):
        return [float(v) for v in values]
    return float(values)


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


def dict_cases():
    xa, xb, ya, yb = data(2)
    out = {}
    for form in ("list", "dict"):
        model = two_in_two_out()
        x = [xa, xb] if form == "list" else {"input_a": xa, "input_b": xb}
        y = [ya, yb] if form == "list" else {"dense_a": ya, "dense_b": yb}
        case = {"train_on_batch": floats(model.train_on_batch(x, y)),
                "test_on_batch": floats(model.test_on_batch(x, y))}
        history = model.fit(x, y, batch_size=3, nb_epoch=2, shuffle=False, verbose=0,
                            validation_data=(x, y))
        case["fit_loss"] = floats(history.history["loss"])
        case["fit_val_loss"] = floats(history.history["val_loss"])
        case["evaluate"] = floats(model.evaluate(x, y, batch_size=4, verbose=0))
        case["predict"] = [p.tolist() for p in model.predict(x, batch_size=4)]
        case["predict_on_batch"] = [p.tolist() for p in model.predict_on_batch(x)]
        out[form] = case
    return out


def one_element_output_list():
    a = Input(shape=(3,), name="left")
    b = Input(shape=(3,), name="right")
    summed = merge([Dense(2, name="dense_l")(a), Dense(2, name="dense_r")(b)], mode="sum")
    model = Model([a, b], [summed])
    fixed_weights(model, 3)
    model.compile(SGD(lr=0.1), "mse", metrics=["mae"])
    xa, xb, _, _ = data(4)
    y = np.random.RandomState(5).uniform(size=(6, 2)).astype("float32")
    predicted = model.predict([xa, xb])
    trained = model.train_on_batch([xa, xb], [y])
    history = model.fit([xa, xb], [y], batch_size=3, nb_epoch=2, shuffle=False, verbose=0)
    return {"metrics_names": model.metrics_names,
            "predict_kind": type(predicted).__name__, "predict": np.asarray(predicted).tolist(),
            "train_on_batch_kind": type(trained).__name__, "train_on_batch": floats(trained),
            "fit_loss": floats(history.history["loss"]),
            "evaluate": floats(model.evaluate([xa, xb], [y], verbose=0))}


def update_cases():
    bn = BatchNormalization(input_shape=(4,), mode=0)
    bn(Input(shape=(4,)))
    x = Input(shape=(4,))
    shared = Model(x, bn(x))
    y = Input(shape=(4,))
    outer = Model(y, Dense(2)(shared(y)))
    seq = Sequential([Dense(4, input_dim=3), BatchNormalization(mode=0), Dense(2)])
    stateful = Sequential([LSTM(3, batch_input_shape=(2, 5, 4), stateful=True)])
    # Keras 1.2.2's Sequential read these from the inner model that ``compile`` built.
    seq.compile("sgd", "mse")
    stateful.compile("sgd", "mse")
    z = Input(shape=(3,))
    plain = Model(z, Dense(2)(z))
    return {"shared_batchnorm": len(shared.updates),
            "model_used_as_layer": len(outer.updates),
            "sequential_batchnorm": len(seq.updates),
            "sequential_batchnorm_state_updates": len(seq.state_updates),
            "stateful_lstm": len(stateful.updates),
            "stateful_lstm_state_updates": len(stateful.state_updates),
            "dense": len(plain.updates)}


def dict_metric_names():
    def mse_powers(y_true, y_pred):
        m = K.mean(K.square(y_true - y_pred))
        return {"mse_squared": K.pow(m, 2), "mse_cubed": K.pow(m, 3)}

    out = {}
    single = Sequential([Dense(3, input_dim=3)])
    single.compile("sgd", "mse", metrics=[mse_powers])
    out["sequential"] = single.metrics_names
    model = two_in_two_out()
    model.compile("sgd", "mse", metrics=[mse_powers])
    out["two_outputs"] = model.metrics_names
    return out


def merged_twice():
    left = Sequential([Dense(2, input_dim=3)])
    model = Sequential([Merge([left, left], mode="sum"), Dense(1)])
    model.compile("sgd", "mse")
    x = np.zeros((4, 3), "float32")
    y = np.zeros((4, 1), "float32")
    result = {"inputs": len(model.model.inputs)}
    try:
        model.train_on_batch([x, x], y)
        result["two_arrays"] = "accepted"
    except ValueError as exc:
        result["two_arrays"] = "ValueError: " + str(exc).split(":")[0]
    model.train_on_batch(x, y)
    result["one_array"] = "accepted"
    return result


def main(path):
    cases = {"dict_data": dict_cases(), "one_element_output_list": one_element_output_list(),
             "updates": update_cases(), "dict_metric_names": dict_metric_names(),
             "merged_twice": merged_twice()}
    with open(path, "w") as handle:
        json.dump({"keras": "1.2.2", "backend": K.backend(), "cases": cases}, handle, indent=1,
                  sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
