"""Reference cases for the extra core layers, advanced activations and noise layers, made
with REAL Keras 1.2.2 (run under the oracle):

    /work/shared/oracle/run_keras1.sh tools/oracle_cases/core_extras_cases.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh \
        tools/oracle_cases/core_extras_cases.py

Writes tests/data/oracle/inputs/<case>.npz (backend independent: x_NN, w_NN in
get_weights() order, y_true where a loss is evaluated; written once from a seeded RNG and
re-read, so both backends use the same arrays) and tests/data/oracle/<backend>/<case>.npz
(outputs + a ``meta`` JSON string).  The training step of ``activity_regularization`` is
recorded on Theano only (TF 1.0.1 training numbers are not repeatable).
"""
from __future__ import print_function

import json
import os
import sys

import numpy as np

import keras
from keras import backend as K
from keras.layers import (ELU, Dense, GaussianDropout, GaussianNoise, Input, LSTM, Masking,
                          ParametricSoftplus, PReLU, SReLU, SpatialDropout1D, SpatialDropout2D,
                          SpatialDropout3D, ThresholdedReLU, TimeDistributedDense,
                          ActivityRegularization, LeakyReLU)
from keras.models import Model, Sequential
from keras.optimizers import SGD

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle")
BACKEND = K.backend()
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


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
    np.savez(os.path.join(DATA, BACKEND, name + ".npz"), **outputs)
    print(name, {k: v.shape for k, v in outputs.items() if k != "meta"})


def weights_dict(weights):
    return {"w_%02d" % i: w for i, w in enumerate(weights)}


def predict(model, x):
    return model.predict(x, batch_size=len(x))


@case
def srelu():
    """SReLU unshared on (6,) and shared_axes=[1] on (3, 5); a_left has negative entries."""
    rng = np.random.RandomState(11)
    x0 = rng.uniform(-2, 2, (5, 6)).astype("float32")
    x1 = rng.uniform(-2, 2, (4, 3, 5)).astype("float32")
    m0 = Sequential([SReLU(input_shape=(6,))])
    m1 = Sequential([SReLU(shared_axes=[1], input_shape=(3, 5))])
    weights = []
    for m in (m0, m1):
        shapes = [w.shape for w in m.get_weights()]
        ws = [rng.uniform(-0.6, 0.2, shapes[0]), rng.uniform(-0.8, 0.8, shapes[1]),
              rng.uniform(-1.0, 1.0, shapes[2]), rng.uniform(0.3, 1.5, shapes[3])]
        ws = [w.astype("float32") for w in ws]
        m.set_weights(ws)
        weights += ws
    save("srelu", dict(x_0=x0, x_1=x1, **weights_dict(weights)),
         dict(y_0=predict(m0, x0), y_1=predict(m1, x1)),
         "y_0: SReLU() on (6,) with w_00..w_03; y_1: SReLU(shared_axes=[1]) on (3, 5) with "
         "w_04..w_07 (params (1, 5)). a_left has negative entries (Theano and TF differ there)",
         m1)


@case
def parametric_softplus():
    """ParametricSoftplus unshared on (6,) and shared_axes=2 on (3, 4)."""
    rng = np.random.RandomState(12)
    x0 = rng.uniform(-2, 2, (5, 6)).astype("float32")
    x1 = rng.uniform(-2, 2, (4, 3, 4)).astype("float32")
    m0 = Sequential([ParametricSoftplus(input_shape=(6,))])
    m1 = Sequential([ParametricSoftplus(alpha_init=0.5, beta_init=2.0, shared_axes=2,
                                        input_shape=(3, 4))])
    default_y1 = predict(m1, x1)
    weights = []
    for m in (m0, m1):
        shapes = [w.shape for w in m.get_weights()]
        ws = [rng.uniform(0.1, 1.0, shapes[0]).astype("float32"),
              rng.uniform(0.5, 5.0, shapes[1]).astype("float32")]
        m.set_weights(ws)
        weights += ws
    save("parametric_softplus", dict(x_0=x0, x_1=x1, **weights_dict(weights)),
         dict(y_0=predict(m0, x0), y_1=predict(m1, x1), y_1_init=default_y1),
         "y_0: ParametricSoftplus() on (6,) with w_00, w_01; y_1: ParametricSoftplus("
         "alpha_init=0.5, beta_init=2.0, shared_axes=2) on (3, 4) with w_02, w_03 (params "
         "(3, 1)); y_1_init: the latter with its initial weights", m1)


@case
def prelu_shared_4d():
    """PReLU(shared_axes=[1, 2]) on a 4-D (rows, cols, channels) input."""
    rng = np.random.RandomState(13)
    x0 = rng.uniform(-1, 1, (2, 4, 5, 3)).astype("float32")
    model = Sequential([PReLU(shared_axes=[1, 2], input_shape=(4, 5, 3))])
    weights = [rng.uniform(-0.5, 0.9, w.shape).astype("float32") for w in model.get_weights()]
    model.set_weights(weights)
    save("prelu_shared_4d", dict(x_0=x0, **weights_dict(weights)), dict(y=predict(model, x0)),
         "PReLU(shared_axes=[1, 2]) on (4, 5, 3): alphas (1, 1, 3)", model)


@case
def time_distributed_dense():
    """TimeDistributedDense alone, and Masking(0.5) -> TimeDistributedDense -> LSTM."""
    rng = np.random.RandomState(14)
    x0 = rng.uniform(-1, 1, (3, 6, 8)).astype("float32")
    x0[0, 4:] = 0.5
    x0[2, 5:] = 0.5
    m0 = Sequential([TimeDistributedDense(5, activation="tanh", input_dim=8, input_length=6)])
    m1 = Sequential([Masking(mask_value=0.5, input_shape=(6, 8)),
                     TimeDistributedDense(4), LSTM(3)])
    weights = []
    for m in (m0, m1):
        ws = [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in m.get_weights()]
        m.set_weights(ws)
        weights += ws
    save("time_distributed_dense", dict(x_0=x0, **weights_dict(weights)),
         dict(y_0=predict(m0, x0), y_1=predict(m1, x0)),
         "y_0: TimeDistributedDense(5, activation='tanh', input_dim=8, input_length=6) with "
         "w_00, w_01; y_1: Masking(0.5) -> TimeDistributedDense(4) -> LSTM(3) (cpu layout) with "
         "w_02.. (x_0 rows 0 and 2 end in all-0.5 timesteps)", m1)


@case
def masking_value():
    """Masking(mask_value=0.5): output and mask."""
    rng = np.random.RandomState(15)
    x0 = rng.uniform(-1, 1, (3, 5, 4)).astype("float32")
    x0[0, 1] = 0.5
    x0[1, 3:] = 0.5
    x0[2, 2, :2] = 0.5  # partially 0.5: not masked
    model = Sequential([Masking(mask_value=0.5, input_shape=(5, 4))])
    mask_fn = K.function([model.input], [model.layers[0].output_mask])
    mask = np.asarray(mask_fn([x0])[0]).astype("float32")
    save("masking_value", dict(x_0=x0), dict(y=predict(model, x0), mask=mask),
         "Masking(mask_value=0.5) on (5, 4): y = output, mask = output_mask as float", model)


@case
def noise_test_phase():
    """SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout in the test phase (identity)."""
    rng = np.random.RandomState(16)
    x0 = rng.uniform(-1, 1, (3, 5, 4)).astype("float32")
    x1 = rng.uniform(-1, 1, (2, 3, 4, 4)).astype("float32")
    x2 = rng.uniform(-1, 1, (2, 3, 2, 3, 2)).astype("float32")
    models = [
        (Sequential([SpatialDropout1D(0.5, input_shape=(5, 4))]), x0),
        (Sequential([SpatialDropout2D(0.5, dim_ordering="th", input_shape=(3, 4, 4))]), x1),
        (Sequential([SpatialDropout2D(0.5, dim_ordering="tf", input_shape=(3, 4, 4))]), x1),
        (Sequential([SpatialDropout3D(0.5, dim_ordering="th", input_shape=(3, 2, 3, 2))]), x2),
        (Sequential([GaussianNoise(0.3, input_shape=(5, 4))]), x0),
        (Sequential([GaussianDropout(0.4, input_shape=(5, 4))]), x0),
    ]
    outputs = {"y_%d" % i: predict(m, x) for i, (m, x) in enumerate(models)}
    save("noise_test_phase", dict(x_0=x0, x_1=x1, x_2=x2), outputs,
         "test-phase predict of y_0 SpatialDropout1D(0.5) on x_0, y_1 SpatialDropout2D(0.5, th) "
         "on x_1, y_2 SpatialDropout2D(0.5, tf) on x_1, y_3 SpatialDropout3D(0.5, th) on x_2, "
         "y_4 GaussianNoise(0.3) on x_0, y_5 GaussianDropout(0.4) on x_0", models[0][0])


@case
def activity_regularization():
    """Dense -> ActivityRegularization(l1, l2) -> Dense, mse: evaluate and one SGD step."""
    rng = np.random.RandomState(17)
    x0 = rng.uniform(-1, 1, (8, 6)).astype("float32")
    y_true = rng.uniform(-1, 1, (8, 2)).astype("float32")
    model = Sequential([Dense(4, input_dim=6), ActivityRegularization(l1=0.01, l2=0.02),
                        Dense(2)])
    weights = [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()]
    model.set_weights(weights)
    model.compile(optimizer=SGD(lr=0.1), loss="mse")
    outputs = dict(y=predict(model, x0),
                   evaluate_full=np.float32(model.evaluate(x0, y_true, batch_size=8, verbose=0)),
                   evaluate_b3=np.float32(model.evaluate(x0, y_true, batch_size=3, verbose=0)),
                   test_on_batch=np.float32(model.test_on_batch(x0, y_true)))
    if BACKEND == "theano":
        outputs["train_on_batch"] = np.float32(model.train_on_batch(x0, y_true))
        for i, w in enumerate(model.get_weights()):
            outputs["w_after_%02d" % i] = w
    save("activity_regularization", dict(x_0=x0, y_true=y_true, **weights_dict(weights)),
         outputs,
         "Dense(4, input_dim=6) -> ActivityRegularization(l1=0.01, l2=0.02) -> Dense(2), "
         "compile(SGD(lr=0.1), 'mse'): evaluate (batch 8 and 3), test_on_batch, then (Theano "
         "only) one train_on_batch and the weights after it", model)


if __name__ == "__main__":
    wanted = sys.argv[1:]
    for fn in CASES:
        if not wanted or fn.__name__ in wanted:
            fn()
