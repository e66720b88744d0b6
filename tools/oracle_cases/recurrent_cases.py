"""Recurrent-layer reference cases, made with REAL Keras 1.2.2 (run under the oracle).

    /work/shared/oracle/run_keras1.sh tools/oracle_cases/recurrent_cases.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh tools/oracle_cases/recurrent_cases.py

Writes tests/data/oracle/inputs/<case>.npz (backend independent: x_0, x_1.., w_NN in
get_weights() order, y_true for training cases; written once from a seeded RNG and
re-read, so both backends use the same arrays) and tests/data/oracle/<backend>/<case>.npz
(outputs + a ``meta`` JSON string).  Training cases run only on Theano (see the shared
oracle README: TF 1.0.1 training numbers are not repeatable).
"""
from __future__ import print_function

import json
import os
import sys

import numpy as np

import keras
from keras import backend as K
from keras.layers import GRU, LSTM, Dense, Embedding, Masking, SimpleRNN, TimeDistributed
from keras.models import Sequential

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle")
BACKEND = K.backend()
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def seeded_weights(model, rng):
    return [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()]


def save(name, inputs, outputs, desc, model):
    in_path = os.path.join(DATA, "inputs", name + ".npz")
    if os.path.exists(in_path):
        stored = np.load(in_path)
        for key, value in inputs.items():
            if not np.array_equal(stored[key], value):
                raise SystemExit("%s: input %s differs from the stored file" % (name, key))
    else:
        np.savez(in_path, **inputs)
    meta = dict(case=name, description=desc, backend=BACKEND, keras=keras.__version__,
                config=model.get_config(),
                weight_names=[w.name for w in model.weights],
                weight_shapes=[list(w.shape) for w in model.get_weights()])
    outputs = dict(outputs)
    outputs["meta"] = np.array(json.dumps(meta, default=str))
    out_dir = os.path.join(DATA, BACKEND)
    np.savez(os.path.join(out_dir, name + ".npz"), **outputs)
    print(name, {k: v.shape for k, v in outputs.items() if k != "meta"})


def weights_dict(weights):
    return {"w_%02d" % i: w for i, w in enumerate(weights)}


def stateful_case(name, cls, **kwargs):
    rng = np.random.RandomState(101)
    model = Sequential([cls(4, stateful=True, batch_input_shape=(2, 5, 3), **kwargs)])
    weights = seeded_weights(model, rng)
    x0 = rng.uniform(-1, 1, (2, 5, 3)).astype("float32")
    x1 = rng.uniform(-1, 1, (2, 5, 3)).astype("float32")
    x2 = rng.uniform(-1, 1, (4, 5, 3)).astype("float32")
    model.set_weights(weights)
    y0 = model.predict(x0, batch_size=2)
    y1 = model.predict(x1, batch_size=2)
    model.reset_states()
    y1_reset = model.predict(x1, batch_size=2)
    model.reset_states()
    y2 = model.predict(x2, batch_size=2)  # two batches: the second continues the first's state
    inputs = dict(x_0=x0, x_1=x1, x_2=x2, **weights_dict(weights))
    save(name, inputs, dict(y_0=y0, y_1=y1, y_1_reset=y1_reset, y_2=y2),
         "%s(4, stateful=True, batch_input_shape=(2, 5, 3), %s): predict x_0 then x_1 (state "
         "carried), reset_states, predict x_1 again, reset_states, predict x_2 (4 samples, "
         "batch_size=2)" % (cls.__name__, kwargs), model)


@case
def lstm_stateful():
    stateful_case("lstm_stateful", LSTM, return_sequences=True)


@case
def gru_stateful():
    stateful_case("gru_stateful", GRU)


@case
def simplernn_stateful():
    stateful_case("simplernn_stateful", SimpleRNN, return_sequences=True)


def masked_input(rng, mask_value):
    x = rng.uniform(-1, 1, (4, 7, 3)).astype("float32")
    x[0, 5:] = mask_value        # trailing padding
    x[1, :3] = mask_value        # leading padding
    x[2, 2] = mask_value         # a hole in the middle
    x[3, 1] = mask_value
    x[3, 1, 0] = 0.25            # only partly equal: NOT masked
    return x


def masking_case(name, cls, **kwargs):
    rng = np.random.RandomState(202)
    model = Sequential([Masking(mask_value=-1.0, input_shape=(7, 3)), cls(4, **kwargs)])
    weights = seeded_weights(model, rng)
    x = masked_input(rng, -1.0)
    model.set_weights(weights)
    y = model.predict(x, batch_size=len(x))
    save(name, dict(x_0=x, **weights_dict(weights)), dict(y=y),
         "Masking(mask_value=-1.0, input_shape=(7, 3)) -> %s(4, %s)" % (cls.__name__, kwargs),
         model)


@case
def masking_lstm_seq():
    masking_case("masking_lstm_seq", LSTM, return_sequences=True)


@case
def masking_gru_backwards():
    masking_case("masking_gru_backwards", GRU, return_sequences=True, go_backwards=True)


@case
def masking_simplernn_last():
    masking_case("masking_simplernn_last", SimpleRNN)


@case
def masking_lstm_gpu_last():
    masking_case("masking_lstm_gpu_last", LSTM, consume_less="gpu", inner_activation="sigmoid")


def dropout_case(name, cls, **kwargs):
    rng = np.random.RandomState(303)
    model = Sequential([cls(4, input_shape=(6, 3), dropout_W=0.3, dropout_U=0.4,
                            return_sequences=True, **kwargs)])
    weights = seeded_weights(model, rng)
    x = rng.uniform(-1, 1, (3, 6, 3)).astype("float32")
    model.set_weights(weights)
    y = model.predict(x, batch_size=len(x))
    save(name, dict(x_0=x, **weights_dict(weights)), dict(y=y),
         "%s(4, dropout_W=0.3, dropout_U=0.4, return_sequences=True, %s) in the test phase "
         "(predict)" % (cls.__name__, kwargs), model)


@case
def lstm_dropout_test_phase():
    dropout_case("lstm_dropout_test_phase", LSTM)


@case
def gru_dropout_test_phase():
    dropout_case("gru_dropout_test_phase", GRU, consume_less="gpu")


@case
def simplernn_dropout_test_phase():
    dropout_case("simplernn_dropout_test_phase", SimpleRNN, consume_less="mem")


def train_case(name, mask_zero, inner_activation):
    if BACKEND != "theano":
        return
    rng = np.random.RandomState(404 + int(mask_zero))
    model = Sequential([Embedding(30, 8, input_length=7, mask_zero=mask_zero),
                        LSTM(6, inner_activation=inner_activation),
                        Dense(1, activation="sigmoid")])
    weights = seeded_weights(model, rng)
    x = rng.randint(1, 30, (16, 7)).astype("int32")
    if mask_zero:
        for i in range(16):
            x[i, 7 - (i % 4):] = 0  # 0..3 trailing padding steps
    y_true = rng.randint(0, 2, (16, 1)).astype("float32")
    model.set_weights(weights)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    y_before = model.predict(x, batch_size=16)
    history = model.fit(x, y_true, batch_size=4, nb_epoch=2, shuffle=False, verbose=0)
    y_after = model.predict(x, batch_size=16)
    outputs = dict(y_before=y_before, y_after=y_after,
                   history_loss=np.array(history.history["loss"], "float64"),
                   history_acc=np.array(history.history["acc"], "float64"))
    for i, w in enumerate(model.get_weights()):
        outputs["w_after_%02d" % i] = w
    save(name, dict(x_0=x, y_true=y_true, **weights_dict(weights)), outputs,
         "fit 2 epochs, batch_size=4, shuffle=False, Adam(), binary_crossentropy, "
         "metrics=['accuracy'] of Embedding(30, 8, input_length=7, mask_zero=%s) -> "
         "LSTM(6, inner_activation=%r) -> Dense(1, sigmoid)" % (mask_zero, inner_activation),
         model)


@case
def train_embed_lstm_adam():
    train_case("train_embed_lstm_adam", False, "hard_sigmoid")


@case
def train_embed_lstm_masked_adam():
    train_case("train_embed_lstm_masked_adam", True, "hard_sigmoid")


@case
def embed_lstm_seq_masked_loss():
    """The masked temporal loss: Keras 1 scales the per-step score by mask / mean(mask)."""
    rng = np.random.RandomState(505)
    model = Sequential([Embedding(30, 8, input_length=7, mask_zero=True),
                        LSTM(5, return_sequences=True),
                        TimeDistributed(Dense(2, activation="softmax"))])
    weights = seeded_weights(model, rng)
    x = rng.randint(1, 30, (6, 7)).astype("int32")
    for i in range(6):
        x[i, 7 - (i % 4):] = 0
    labels = rng.randint(0, 2, (6, 7))
    y_true = np.eye(2, dtype="float32")[labels]
    model.set_weights(weights)
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    y = model.predict(x, batch_size=6)
    evaluate = np.array(model.evaluate(x, y_true, batch_size=6, verbose=0), "float64")
    save("embed_lstm_seq_masked_loss", dict(x_0=x, y_true=y_true, **weights_dict(weights)),
         dict(y=y, evaluate=evaluate),
         "Embedding(30, 8, input_length=7, mask_zero=True) -> LSTM(5, return_sequences=True) -> "
         "TimeDistributed(Dense(2, softmax)); evaluate() with categorical_crossentropy on the "
         "masked sequence output ([loss, acc], batch_size=6)", model)


def gradient_case(name, cls, **kwargs):
    """Gradients of a fixed weighting of the output sequence with respect to every weight
    and the input: what the fused recurrences' hand-written backward must reproduce.  The
    weights are drawn wide (uniform(-1.5, 1.5)) so that many hard_sigmoid pre-activations
    fall outside [-2.5, 2.5], where the gate's slope is 0."""
    rng = np.random.RandomState(606)
    model = Sequential([cls(5, return_sequences=True, input_shape=(6, 4), **kwargs)])
    weights = [rng.uniform(-1.5, 1.5, w.shape).astype("float32") for w in model.get_weights()]
    x = rng.uniform(-1, 1, (3, 6, 4)).astype("float32")
    coeff = rng.uniform(-1, 1, (3, 6, 5)).astype("float32")
    model.set_weights(weights)
    loss = K.sum(model.output * K.variable(coeff))
    grads = K.gradients(loss, model.trainable_weights + [model.input])
    values = K.function([model.input], [model.output] + grads)([x])
    outputs = dict(y=values[0], grad_x=values[-1])
    for i, g in enumerate(values[1:-1]):
        outputs["grad_w_%02d" % i] = g
    save(name, dict(x_0=x, coeff=coeff, **weights_dict(weights)), outputs,
         "%s(5, return_sequences=True, %s) on x_0 (3, 6, 4): y and the gradients of "
         "sum(y * coeff) with respect to each weight (get_weights() order, grad_w_NN) and "
         "to the input (grad_x)" % (cls.__name__, kwargs), model)


@case
def lstm_gradients():
    gradient_case("lstm_gradients", LSTM)


@case
def lstm_gradients_gpulayout():
    gradient_case("lstm_gradients_gpulayout", LSTM, consume_less="gpu")


@case
def gru_gradients():
    gradient_case("gru_gradients", GRU)


@case
def gru_gradients_gpulayout():
    gradient_case("gru_gradients_gpulayout", GRU, consume_less="gpu")


def main(names):
    for sub in ("inputs", BACKEND):
        path = os.path.join(DATA, sub)
        if not os.path.isdir(path):
            os.makedirs(path)
    for fn in CASES:
        if names and not any(n in fn.__name__ for n in names):
            continue
        fn()


if __name__ == "__main__":
    main(sys.argv[1:])
