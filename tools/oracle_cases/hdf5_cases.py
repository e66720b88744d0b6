"""Keras-1 model and weight files (HDF5) with their predictions, made with REAL Keras 1.2.2.

Run under the oracle (Python 3.6, Keras 1.2.2):
    KERAS1_BACKEND=theano     KERAS1_DIM_ORDERING=th /work/shared/oracle/run_keras1.sh \
        tools/oracle_cases/hdf5_cases.py make
    KERAS1_BACKEND=tensorflow KERAS1_DIM_ORDERING=tf /work/shared/oracle/run_keras1.sh \
        tools/oracle_cases/hdf5_cases.py make
Writes into tests/data/hdf5/: for each case ``<case>_model.h5`` (``model.save``),
``<case>_weights.h5`` (``save_weights``), ``<case>.json`` (``to_json``) and ``<case>.npz``
(``x``: the fixed input, ``y``: ``model.predict(x)``, ``meta``: JSON). For the four files
copied from /work/shared/oracle/hdf5 it writes ``h5_<backend>_seq_pred.npz`` (``x``,
``y_model`` from ``load_model``, ``y_weights`` from the README's model + ``load_weights``).

    run_keras1.sh tools/oracle_cases/hdf5_cases.py predict MODEL.h5 X.npy OUT.npz
loads a model file (written by anyone, e.g. keras_compat) with ``keras.models.load_model``
and saves ``y = model.predict(x)`` (used by tests/saving/test_load_model.py).
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data",
                    "hdf5")


def _save_case(name, model, x, extra_meta=None):
    from keras import backend as K
    model.save(os.path.join(ROOT, name + "_model.h5"))
    model.save_weights(os.path.join(ROOT, name + "_weights.h5"))
    with open(os.path.join(ROOT, name + ".json"), "w") as handle:
        handle.write(model.to_json())
    y = model.predict(x, batch_size=len(x))
    meta = {"backend": K.backend(), "dim_ordering": K.image_dim_ordering(),
            "keras_version": "1.2.2"}
    meta.update(extra_meta or {})
    np.savez(os.path.join(ROOT, name + ".npz"), x=x, y=y, meta=json.dumps(meta))
    print("wrote", name, y.shape)


def copied_seq_predictions():
    """Predictions of the four files copied from /work/shared/oracle/hdf5."""
    from keras import backend as K
    from keras.layers import Activation, BatchNormalization, Dense
    from keras.models import Sequential, load_model
    backend = K.backend()
    x = np.random.RandomState(7).rand(6, 3).astype("float32")
    model = load_model(os.path.join(ROOT, "h5_%s_seq_model.h5" % backend))
    y_model = model.predict(x)
    m = Sequential()
    m.add(Dense(4, input_dim=3))
    m.add(Activation('relu'))
    m.add(BatchNormalization())
    m.add(Dense(2))
    m.load_weights(os.path.join(ROOT, "h5_%s_seq_weights.h5" % backend))
    y_weights = m.predict(x)
    np.savez(os.path.join(ROOT, "h5_%s_seq_pred.npz" % backend), x=x, y_model=y_model,
             y_weights=y_weights, meta=json.dumps({"backend": backend}))
    print("wrote h5_%s_seq_pred" % backend)


def convnet(ordering):
    from keras.layers import Activation, Convolution2D, Dense, Flatten, MaxPooling2D
    from keras.models import Sequential
    from keras.optimizers import SGD
    np.random.seed(1)
    shape = (2, 7, 7) if ordering == "th" else (7, 7, 2)
    m = Sequential()
    m.add(Convolution2D(4, 3, 3, border_mode="same", dim_ordering=ordering, input_shape=shape))
    m.add(Activation("relu"))
    m.add(Convolution2D(3, 2, 3, dim_ordering=ordering))
    m.add(MaxPooling2D((2, 2), dim_ordering=ordering))
    m.add(Flatten())
    m.add(Dense(3, activation="softmax"))
    m.compile(optimizer=SGD(lr=0.1, momentum=0.9), loss="categorical_crossentropy",
              metrics=["accuracy"])
    rng = np.random.RandomState(2)
    xt = rng.rand(8, *shape).astype("float32")
    yt = np.eye(3)[rng.randint(0, 3, 8)].astype("float32")
    for _ in range(3):
        m.train_on_batch(xt, yt)
    x = rng.rand(4, *shape).astype("float32")
    _save_case("convnet_%s" % ordering, m, x)


def batchnorm():
    from keras import backend as K
    from keras.layers import Activation, BatchNormalization, Dense
    from keras.models import Sequential
    np.random.seed(3)
    m = Sequential()
    m.add(Dense(5, input_dim=4))
    m.add(BatchNormalization(momentum=0.8))
    m.add(Activation("tanh"))
    m.add(Dense(2))
    m.compile(optimizer="rmsprop", loss="mse")
    rng = np.random.RandomState(4)
    xt = (rng.rand(32, 4) * 3 + 1).astype("float32")
    yt = rng.rand(32, 2).astype("float32")
    m.fit(xt, yt, batch_size=8, nb_epoch=2, verbose=0, shuffle=False)
    x = (rng.rand(5, 4) * 3 + 1).astype("float32")
    _save_case("batchnorm_%s" % K.backend(), m, x)


def recurrent():
    from keras import backend as K
    from keras.layers import GRU, LSTM, Dense, Embedding
    from keras.models import Sequential
    rng = np.random.RandomState(5)
    x = rng.randint(1, 10, size=(3, 5)).astype("int32")
    for name, rnn in (("lstm_cpu", lambda: LSTM(3, consume_less="cpu")),
                      ("lstm_gpu", lambda: LSTM(3, consume_less="gpu")),
                      ("gru", lambda: GRU(3))):
        np.random.seed(6)
        m = Sequential()
        m.add(Embedding(10, 4, input_length=5))
        m.add(rnn())
        m.add(Dense(2))
        m.compile(optimizer="adam", loss="mse")
        m.train_on_batch(x, rng.rand(3, 2).astype("float32"))
        _save_case("%s_%s" % (name, K.backend()), m, x.astype("float32"))


def functional_nested():
    from keras import backend as K
    from keras.layers import Dense, Input, merge
    from keras.models import Model, Sequential
    np.random.seed(8)
    inner = Sequential()
    inner.add(Dense(4, input_dim=3, activation="tanh"))
    inner.add(Dense(3))
    a = Input(shape=(3,))
    b = inner(a)
    c = merge([a, b], mode="sum")
    out = Dense(2)(c)
    m = Model(input=a, output=out)
    m.compile(optimizer="sgd", loss="mse")
    x = np.random.RandomState(9).rand(4, 3).astype("float32")
    _save_case("functional_nested_%s" % K.backend(), m, x)


def _save_multi_input_case(name, model, inputs):
    from keras import backend as K
    model.save(os.path.join(ROOT, name + "_model.h5"))
    y = model.predict(inputs, batch_size=len(inputs[0]))
    meta = {"backend": K.backend(), "dim_ordering": K.image_dim_ordering(),
            "keras_version": "1.2.2", "inputs": len(inputs)}
    arrays = {"x%d" % k: x for k, x in enumerate(inputs)}
    np.savez(os.path.join(ROOT, name + ".npz"), y=y, meta=json.dumps(meta), **arrays)
    print("wrote", name, y.shape)


def porting():
    """Models for ``keras-compat port``/``to_torch``: masks, merges, wrappers, the conv family."""
    from keras import backend as K
    from keras.layers import (GRU, LSTM, AtrousConvolution2D, Bidirectional, Convolution2D,
                              Dense, Embedding, GlobalAveragePooling2D, Input, LeakyReLU,
                              Masking, PReLU, TimeDistributed, UpSampling2D, ZeroPadding2D,
                              merge)
    from keras.models import Model, Sequential
    backend = K.backend()
    rng = np.random.RandomState(11)
    np.random.seed(12)
    # Embedding(mask_zero) -> LSTM(return_sequences) -> GRU, on pre-padded sequences
    m = Sequential()
    m.add(Embedding(12, 5, input_length=7, mask_zero=True))
    m.add(LSTM(4, return_sequences=True))
    m.add(GRU(3, go_backwards=True))
    m.add(Dense(2, activation="softmax"))
    m.compile(optimizer="adam", loss="categorical_crossentropy")
    tokens = rng.randint(1, 12, size=(6, 7))
    for row in range(6):
        tokens[row, :row] = 0
    m.train_on_batch(tokens, np.eye(2)[rng.randint(0, 2, 6)])
    _save_case("port_masked_rnn_%s" % backend, m, tokens.astype("float32"))
    # Masking -> TimeDistributed(Dense) -> Bidirectional(LSTM)
    m = Sequential()
    m.add(Masking(0.0, input_shape=(5, 3)))
    m.add(TimeDistributed(Dense(4, activation="tanh")))
    m.add(Bidirectional(LSTM(3), merge_mode="concat"))
    m.add(Dense(2))
    m.compile(optimizer="rmsprop", loss="mse")
    x = rng.rand(4, 5, 3).astype("float32")
    x[1, :2] = 0.0
    m.train_on_batch(x, rng.rand(4, 2).astype("float32"))
    _save_case("port_bidirectional_%s" % backend, m, x)
    # two inputs, a shared layer, element-wise and concat merges
    a, b = Input(shape=(4,)), Input(shape=(4,))
    shared = Dense(3, activation="relu")
    sa, sb = shared(a), shared(b)
    joined = merge([sa, sb, merge([sa, sb], mode="mul")], mode="concat")
    m = Model(input=[a, b], output=Dense(2, activation="sigmoid")(joined))
    m.compile(optimizer="sgd", loss="binary_crossentropy")
    inputs = [rng.rand(5, 4).astype("float32") for _ in range(2)]
    m.train_on_batch(inputs, rng.randint(0, 2, size=(5, 2)).astype("float32"))
    _save_multi_input_case("port_two_inputs_%s" % backend, m, inputs)
    # Keras 1's Merge of Sequential models (bAbI style), saved with model.save
    from keras.layers import Merge
    left = Sequential()
    left.add(Embedding(10, 4, input_length=3))
    left.add(LSTM(3))
    right = Sequential()
    right.add(Dense(3, input_dim=2, activation="tanh"))
    m = Sequential()
    m.add(Merge([left, right], mode="concat"))
    m.add(Dense(2, activation="softmax"))
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    inputs = [rng.randint(0, 10, size=(5, 3)).astype("float32"),
              rng.rand(5, 2).astype("float32")]
    m.train_on_batch(inputs, np.eye(2)[rng.randint(0, 2, 5)])
    _save_multi_input_case("port_merge_of_models_%s" % backend, m, inputs)
    # the conv family in the backend's usual ordering, with advanced activations
    ordering = K.image_dim_ordering()
    shape = (2, 8, 8) if ordering == "th" else (8, 8, 2)
    m = Sequential()
    m.add(ZeroPadding2D((1, 1), dim_ordering=ordering, input_shape=shape))
    m.add(Convolution2D(3, 3, 3, subsample=(2, 2), dim_ordering=ordering))
    m.add(LeakyReLU(0.2))
    m.add(UpSampling2D((2, 2), dim_ordering=ordering))
    m.add(AtrousConvolution2D(4, 3, 3, atrous_rate=(2, 2), border_mode="same",
                              dim_ordering=ordering))
    m.add(PReLU())
    m.add(GlobalAveragePooling2D(dim_ordering=ordering))
    m.add(Dense(2))
    m.compile(optimizer="sgd", loss="mse")
    x = rng.rand(3, *shape).astype("float32")
    m.train_on_batch(x, rng.rand(3, 2).astype("float32"))
    _save_case("port_conv_family_%s" % backend, m, x)
    # a Sequential nested at position 1: Keras 1.2.2 writes it as ONE group of its weights
    inner = Sequential()
    inner.add(Dense(4, input_dim=3, activation="relu"))
    inner.add(Dense(3))
    m = Sequential()
    m.add(Dense(3, input_dim=2, activation="tanh"))
    m.add(inner)
    m.add(Dense(2))
    m.compile(optimizer="sgd", loss="mse")
    x = rng.rand(4, 2).astype("float32")
    m.train_on_batch(x, rng.rand(4, 2).astype("float32"))
    _save_case("nested_sequential_%s" % backend, m, x)


def predict(model_path, x_path, out_path):
    from keras.models import load_model
    model = load_model(model_path)
    if x_path.endswith(".npz"):  # several inputs: x0, x1, ...
        data = np.load(x_path)
        x = [data[k] for k in sorted(data.files)]
        batch = len(x[0])
    else:
        x = np.load(x_path)
        batch = len(x)
    np.savez(out_path, y=model.predict(x, batch_size=batch))


def main(argv):
    if argv and argv[0] == "predict":
        predict(*argv[1:4])
        return
    from keras import backend as K
    if not os.path.isdir(ROOT):
        os.makedirs(ROOT)
    selected = argv[1:] if argv and argv[0] == "make" else argv
    jobs = [("seq", copied_seq_predictions),
            ("convnet", lambda: convnet(K.image_dim_ordering())),
            ("batchnorm", batchnorm), ("recurrent", recurrent),
            ("functional", functional_nested), ("porting", porting)]
    for name, job in jobs:
        if not selected or any(s in name for s in selected):
            job()


if __name__ == "__main__":
    main(sys.argv[1:])
