"""Training scenarios run once per process of a 2-rank Gloo job and once in one process.

``python distributed_scenarios.py OUT_DIR`` (with torchrun's RANK/WORLD_SIZE/MASTER_* set by
tests/training/test_distributed.py) runs every scenario and saves this rank's results to
``OUT_DIR/rank<R>.npz`` (``rank0.npz`` when started without that environment: the one-process
reference of the CUDA test); the CPU tests run the same functions in their own process for the
one-process reference.  Batch sizes are chosen so that batches split unevenly over two ranks
(a last batch of 5 rows: 3 + 2) and into an empty share (a last batch of 1 row).
"""
import os
import sys

import numpy as np
import torch


def _data(rows, shape, classes, seed):
    rng = np.random.RandomState(seed)
    x = rng.randn(rows, *shape).astype("float32")
    labels = rng.randint(0, classes, size=rows)
    return x, np.eye(classes, dtype="float32")[labels]


def _mlp():
    from keras_compat.layers import Dense
    from keras_compat.models import Sequential

    torch.manual_seed(1)
    model = Sequential()
    model.add(Dense(16, input_dim=8, activation="relu"))
    model.add(Dense(3, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def _convnet():
    from keras_compat.layers import (BatchNormalization, Convolution2D, Dense, Flatten,
                                     MaxPooling2D)
    from keras_compat.models import Sequential
    from keras_compat.optimizers import SGD

    torch.manual_seed(2)
    model = Sequential()
    model.add(Convolution2D(4, 3, 3, input_shape=(8, 8, 2), dim_ordering="tf",
                            activation="relu"))
    model.add(BatchNormalization())
    model.add(MaxPooling2D(dim_ordering="tf"))
    model.add(Flatten())
    model.add(Dense(3, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer=SGD(lr=0.1, momentum=0.9),
                  metrics=["accuracy"])
    return model


def _weights(model, prefix, out):
    for index, array in enumerate(model.get_weights()):
        out["%s_weight%d" % (prefix, index)] = array


def _history(history, prefix, out):
    for key, values in history.history.items():
        out["%s_history_%s" % (prefix, key)] = np.asarray(values, dtype="float64")


def run_mlp(out):
    """MLP, 3 epochs, shuffled, 65 rows in batches of 16 (last batch: 1 row), validation
    data; then evaluate, predict, train_on_batch and test_on_batch."""
    x, y = _data(65, (8,), 3, 0)
    vx, vy = _data(21, (8,), 3, 1)
    np.random.seed(3)
    model = _mlp()
    model.summary()
    history = model.fit(x, y, batch_size=16, nb_epoch=3, verbose=1, validation_data=(vx, vy))
    _history(history, "mlp", out)
    _weights(model, "mlp", out)
    out["mlp_evaluate"] = np.asarray(model.evaluate(vx, vy, batch_size=8, verbose=1))
    out["mlp_predict"] = model.predict(x, batch_size=16)
    out["mlp_train_on_batch"] = np.asarray(model.train_on_batch(x[:7], y[:7]))
    out["mlp_test_on_batch"] = np.asarray(model.test_on_batch(vx[:5], vy[:5]))
    _weights(model, "mlp_after_batch", out)


def run_convnet(out):
    """Conv + synchronised BatchNormalization, 3 epochs, 37 rows in batches of 8 (last: 5)."""
    x, y = _data(37, (8, 8, 2), 3, 4)
    np.random.seed(5)
    model = _convnet()
    history = model.fit(x, y, batch_size=8, nb_epoch=3, verbose=0)
    _history(history, "conv", out)
    _weights(model, "conv", out)
    out["conv_predict"] = model.predict(x, batch_size=8)


def run_generator(out):
    """fit_generator over a deterministic generator of 10-row batches."""
    x, y = _data(40, (8,), 3, 6)

    def batches():
        while True:
            for start in range(0, 40, 10):
                yield x[start:start + 10], y[start:start + 10]
    model = _mlp()
    history = model.fit_generator(batches(), samples_per_epoch=40, nb_epoch=2, verbose=0)
    _history(history, "gen", out)
    _weights(model, "gen", out)


def run_sample_weights(out):
    """Sample weights with zeros spread unevenly over the shares: Keras 1 divides by the
    fraction of non-zero weights of the whole batch."""
    x, y = _data(25, (8,), 3, 8)
    weights = np.ones(25, dtype="float32")
    weights[[0, 1, 2, 13, 21]] = 0.
    weights[[5, 17]] = 2.5
    model = _mlp()
    history = model.fit(x, y, batch_size=10, nb_epoch=2, verbose=0, shuffle=False,
                        sample_weight=weights)
    _history(history, "weighted", out)
    _weights(model, "weighted", out)


def run_multi(out):
    """A functional model with two inputs and two outputs (the MultiTrainer path)."""
    from keras_compat.layers import Dense, Input, merge
    from keras_compat.models import Model

    first, y = _data(21, (5,), 3, 9)
    second, _ = _data(21, (4,), 3, 10)
    target = first[:, :1] * 0.5
    torch.manual_seed(3)
    np.random.seed(3)
    a, b = Input(shape=(5,)), Input(shape=(4,))
    hidden = Dense(8, activation="tanh")(merge([a, b], mode="concat"))
    model = Model(input=[a, b], output=[Dense(3, activation="softmax")(hidden), Dense(1)(hidden)])
    model.compile(optimizer="rmsprop", loss=["categorical_crossentropy", "mse"],
                  loss_weights=[1., 0.5], metrics=["accuracy"])
    history = model.fit([first, second], [y, target], batch_size=8, nb_epoch=2, verbose=0)
    _history(history, "multi", out)
    _weights(model, "multi", out)
    for index, array in enumerate(model.predict([first, second], batch_size=8)):
        out["multi_predict%d" % index] = array


def run_dropout(out):
    """Dropout draws per rank: the ranks must still end with equal weights and equal global
    random generators (a model built afterwards starts equal everywhere)."""
    from keras_compat.layers import Dense, Dropout
    from keras_compat.models import Sequential

    x, y = _data(32, (8,), 3, 11)
    torch.manual_seed(4)
    model = Sequential()
    model.add(Dense(16, input_dim=8, activation="relu"))
    model.add(Dropout(0.5))
    model.add(Dense(3, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    model.fit(x, y, batch_size=8, nb_epoch=2, verbose=0)
    _weights(model, "dropout", out)
    out["dropout_next_draw"] = torch.rand(4).numpy()


def run_checkpoint_and_early_stopping(out, folder):
    """ModelCheckpoint (counting real writes on this rank) and EarlyStopping with a
    min_delta no epoch can reach, so training stops after patience + 1 epochs."""
    from keras_compat.callbacks import EarlyStopping, ModelCheckpoint
    from keras_compat.models import load_model
    from keras_compat.saving import model_io

    writes = []
    original = model_io.save_model

    def counting_save(*args, **kwargs):
        writes.append(args[1])
        return original(*args, **kwargs)
    model_io.save_model = counting_save
    try:
        x, y = _data(30, (8,), 3, 7)
        model = _mlp()
        path = os.path.join(folder, "checkpoint.h5")
        stopper = EarlyStopping(monitor="loss", min_delta=100., patience=1, verbose=1)
        history = model.fit(x, y, batch_size=10, nb_epoch=10, verbose=0, shuffle=False,
                            callbacks=[ModelCheckpoint(path, monitor="loss", verbose=1),
                                       stopper])
    finally:
        model_io.save_model = original
    out["stop_epochs"] = np.asarray(len(history.history["loss"]))
    out["checkpoint_writes"] = np.asarray(len(writes))
    loaded = load_model(path)
    out["checkpoint_matches"] = np.asarray(
        float(np.abs(loaded.predict(x) - model.predict(x)).max()))


def run_all(folder):
    torch.set_num_threads(1)
    out = {}
    run_mlp(out)
    run_convnet(out)
    run_generator(out)
    run_sample_weights(out)
    run_multi(out)
    run_dropout(out)
    run_checkpoint_and_early_stopping(out, folder)
    return out


def _record_exit_state(path):
    """Written after keras_compat's own exit handler has run (handlers run last-registered
    first): the DDP wrappers still alive and whether the process group is still up.  Both must
    be gone before interpreter finalization, which otherwise can abort the process."""
    import gc

    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    alive = sum(isinstance(obj, DistributedDataParallel) for obj in gc.get_objects())
    with open(path, "w") as handle:
        handle.write("%d %d" % (alive, int(dist.is_available() and dist.is_initialized())))


if __name__ == "__main__":
    import atexit

    destination = sys.argv[1]
    rank = int(os.environ.get("RANK", "0"))  # without torchrun's environment: one process
    atexit.register(_record_exit_state, os.path.join(destination, "exit_state%d.txt" % rank))
    results = run_all(destination)
    np.savez(os.path.join(destination, "rank%d.npz" % rank), **results)
