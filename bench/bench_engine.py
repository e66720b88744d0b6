"""keras_compat against the best hand-written PyTorch loop for the same model (and Keras 3).

Workloads (issue #15's table; data is synthetic, the numbers are wall-clock seconds):

  A    one epoch of the MNIST MLP (60000x784, Dense 512 relu, Dropout 0.2, x2, Dense 10
       softmax, RMSprop, batch 128)
  B    one epoch of the mnist_cnn convnet (12000 x 1x28x28, Conv 32 3x3 x2, MaxPool, Dropout,
       Dense 128, Dense 10, Adadelta, batch 128)
  C    one epoch of Embedding(20000, 128) + LSTM(128, sigmoid gates) + Dense(1, sigmoid),
       Adam, batch 32, 5000 sequences of 80 steps (the imdb_lstm shape)
  Chs  C with Keras 1's default LSTM (``inner_activation='hard_sigmoid'``), timed in the same
       interleaved run as C and given as a multiple of C's torch loop (``nn.LSTM``)
  D    2000 ``train_on_batch`` calls on batches of 8 (the MLP of A)
  Dp   ``predict`` on 60000 rows, batch 1024 (the MLP of A)
  E    ``import keras_compat`` in a fresh interpreter

Each workload's contestants run interleaved (keras_compat, torch[, Keras 3], keras_compat,
...) after a warm-up.  For each the script prints the median and fastest run and the spread
(slowest / fastest), then the ratio to the torch loop of the medians and of the fastest runs:
on a shared machine other tenants only ever add time, so the fastest runs are the cleaner
comparison, and a wide spread says to rerun.  Where ``keras`` 3 is importable (run this
script with an interpreter that has it, e.g. a venv made with ``--system-site-packages`` and
``pip install keras``), it is timed on the same workloads with ``KERAS_BACKEND=torch``
(not on Chs: Keras 3's ``hard_sigmoid`` is another function than Keras 1's gate).

Usage: python bench/bench_engine.py [--repeats 5] [--only A,B,C,Chs,D,Dp,E] [--device cpu|cuda]
           [--samples 5000] [--threads N] [--no-keras3] [--chs-loop] [--package-root DIR]
``--package-root`` times the keras_compat found in DIR (e.g. another checkout) instead of
this one; ``--chs-loop`` adds Chs on the plain autograd step loop (``set_implementation
('loop')``), the reference the fused recurrence replaced.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")


def _package_root(argv):
    for i, arg in enumerate(argv):
        if arg == "--package-root" and i + 1 < len(argv):
            return os.path.abspath(argv[i + 1])
        if arg.startswith("--package-root="):
            return os.path.abspath(arg.split("=", 1)[1])
    return ROOT


# keras_compat must come from the checkout being measured, before anything imports it.
sys.path.insert(0, _package_root(sys.argv[1:]))

import keras_compat  # noqa: E402
from keras_compat.backend import device as device_module  # noqa: E402
from keras_compat.layers import Activation, Dense, Dropout, Flatten  # noqa: E402
from keras_compat.layers.embeddings import Embedding  # noqa: E402
from keras_compat.layers.recurrent import LSTM, set_implementation  # noqa: E402
from keras_compat.models import Sequential  # noqa: E402
from keras_compat.optimizers import Adadelta, RMSprop  # noqa: E402

VOCAB, EMBED, UNITS, LENGTH, LSTM_BATCH = 20000, 128, 128, 80, 32


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, device):
    _sync(device)
    start = time.perf_counter()
    fn()
    _sync(device)
    return time.perf_counter() - start


def compare(name, contestants, repeats, device, baseline="torch", rows=None, verbose=True):
    """Run ``contestants`` (label -> zero-argument callable) interleaved ``repeats`` times
    after one warm-up call each; print every contestant and its ratios to ``baseline``.
    ``rows`` maps a contestant to the workload name its line is printed under."""
    for fn in contestants.values():
        fn()
    times = {label: [] for label in contestants}
    for run in range(repeats):
        for label, fn in contestants.items():
            times[label].append(timed(fn, device))
        if verbose:
            print("     run %d: %s" % (run + 1, ", ".join(
                "%s %.2fs" % (label, values[-1]) for label, values in times.items())),
                flush=True)
    base = times[baseline]
    base_med, base_min = statistics.median(base), min(base)
    for label, values in times.items():
        med, fastest = statistics.median(values), min(values)
        line = "%-4s %-34s median %8.3fs  fastest %8.3fs  spread %.2f" % (
            (rows or {}).get(label, name), label, med, fastest, max(values) / fastest)
        if label != baseline:
            line += "  ratio %.2f / %.2f" % (med / base_med, fastest / base_min)
        print(line, flush=True)
    return times


# -- data -------------------------------------------------------------------------------------
def mlp_data(n=60000):
    rng = np.random.RandomState(0)
    x = rng.rand(n, 784).astype("float32")
    y = np.eye(10, dtype="float32")[rng.randint(0, 10, n)]
    return x, y


def cnn_data(n=12000):
    rng = np.random.RandomState(0)
    x = rng.rand(n, 1, 28, 28).astype("float32")
    y = np.eye(10, dtype="float32")[rng.randint(0, 10, n)]
    return x, y


def lstm_data(n=5000):
    rng = np.random.RandomState(0)
    x = rng.randint(1, VOCAB, (n, LENGTH)).astype("int32")
    y = rng.randint(0, 2, (n, 1)).astype("float32")
    return x, y


# -- keras_compat models (the Keras-1 API) --------------------------------------------------------
def keras_mlp():
    model = Sequential()
    model.add(Dense(512, input_shape=(784,)))
    model.add(Activation("relu"))
    model.add(Dropout(0.2))
    model.add(Dense(512))
    model.add(Activation("relu"))
    model.add(Dropout(0.2))
    model.add(Dense(10))
    model.add(Activation("softmax"))
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(), metrics=["accuracy"])
    return model


def keras_cnn():
    from keras_compat.layers.convolutional import Convolution2D
    from keras_compat.layers.pooling import MaxPooling2D
    model = Sequential()
    model.add(Convolution2D(32, 3, 3, border_mode="valid", input_shape=(1, 28, 28),
                            dim_ordering="th"))
    model.add(Activation("relu"))
    model.add(Convolution2D(32, 3, 3, dim_ordering="th"))
    model.add(Activation("relu"))
    model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering="th"))
    model.add(Dropout(0.25))
    model.add(Flatten())
    model.add(Dense(128))
    model.add(Activation("relu"))
    model.add(Dropout(0.5))
    model.add(Dense(10))
    model.add(Activation("softmax"))
    model.compile(loss="categorical_crossentropy", optimizer=Adadelta(), metrics=["accuracy"])
    return model


def keras_lstm(inner_activation):
    model = Sequential()
    model.add(Embedding(VOCAB, EMBED, input_length=LENGTH))
    model.add(LSTM(UNITS, inner_activation=inner_activation))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


# -- the hand-written torch loops -----------------------------------------------------------------
def torch_mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 512),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10))


def torch_cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(), nn.Linear(4608, 128),
                         nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


class TorchLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED)
        self.lstm = nn.LSTM(EMBED, UNITS, batch_first=True)
        self.out = nn.Linear(UNITS, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(self.embed(x))
        return self.out(h[0])   # logits


def torch_epoch(model, optimizer, x, targets, batch_size, loss_fn):
    """The hand-written loop: tensors converted once, a permutation, slices, the loss on
    logits, losses accumulated as tensors and read once at the end."""
    model.train()
    order = torch.randperm(x.shape[0], device=x.device)
    xs, ts = x.index_select(0, order), targets.index_select(0, order)
    total = torch.zeros((), device=x.device)
    for start in range(0, x.shape[0], batch_size):
        xb, tb = xs[start:start + batch_size], ts[start:start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), tb)
        loss.backward()
        optimizer.step()
        total += loss.detach() * xb.shape[0]
    return float(total) / x.shape[0]


def torch_fit(model, optimizer, x, y, batch_size, device, classes=True):
    """One epoch from NumPy arrays, the conversion included (as ``fit`` does it)."""
    x_t = torch.from_numpy(x).to(device)
    y_t = torch.from_numpy(y).to(device)
    if classes:
        return torch_epoch(model, optimizer, x_t, y_t.argmax(1), batch_size,
                           nn.functional.cross_entropy)
    return torch_epoch(model, optimizer, x_t.long(), y_t, batch_size,
                       nn.functional.binary_cross_entropy_with_logits)


# -- Keras 3 ------------------------------------------------------------------------------------
def import_keras3():
    """Keras 3 on its torch backend, or None where it is not installed."""
    # Keras 3 reads KERAS_BACKEND once, at import; keras_compat reads the same variable
    # (Keras 1's meaning: theano or tensorflow) later, so it is set for the import only.
    previous = os.environ.get("KERAS_BACKEND")
    os.environ["KERAS_BACKEND"] = "torch"
    try:
        import keras
    except ImportError:
        return None
    finally:
        if previous is None:
            del os.environ["KERAS_BACKEND"]
        else:
            os.environ["KERAS_BACKEND"] = previous
    if not keras.__version__.startswith("3") or keras.backend.backend() != "torch":
        return None
    return keras


def k3_mlp(keras):
    layers = keras.layers
    model = keras.Sequential([keras.Input((784,)), layers.Dense(512, activation="relu"),
                              layers.Dropout(0.2), layers.Dense(512, activation="relu"),
                              layers.Dropout(0.2), layers.Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"],
                  optimizer=keras.optimizers.RMSprop(learning_rate=0.001, rho=0.9, epsilon=1e-8))
    return model


def k3_cnn(keras):
    layers = keras.layers
    cf = dict(data_format="channels_first")
    model = keras.Sequential([
        keras.Input((1, 28, 28)), layers.Conv2D(32, 3, activation="relu", **cf),
        layers.Conv2D(32, 3, activation="relu", **cf), layers.MaxPooling2D(2, **cf),
        layers.Dropout(0.25), layers.Flatten(), layers.Dense(128, activation="relu"),
        layers.Dropout(0.5), layers.Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"],
                  optimizer=keras.optimizers.Adadelta(learning_rate=1.0, rho=0.95,
                                                      epsilon=1e-8))
    return model


def k3_lstm(keras):
    layers = keras.layers
    model = keras.Sequential([keras.Input((LENGTH,), dtype="int32"),
                              layers.Embedding(VOCAB, EMBED), layers.LSTM(UNITS),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001, epsilon=1e-8),
                  loss="binary_crossentropy")
    return model


# -- workloads ------------------------------------------------------------------------------------
def bench_fit(name, keras_model, torch_model, optimizer_factory, x, y, batch_size, repeats,
              device, keras3_model=None, classes=True):
    t_model = torch_model().to(device)
    t_opt = optimizer_factory(t_model.parameters())
    contestants = {
        "keras_compat": lambda: keras_model.fit(x, y, nb_epoch=1, batch_size=batch_size,
                                                verbose=0),
        "torch": lambda: torch_fit(t_model, t_opt, x, y, batch_size, device, classes)}
    if keras3_model is not None:
        contestants["keras3"] = lambda: keras3_model.fit(x, y, epochs=1, batch_size=batch_size,
                                                         verbose=0)
    compare(name, contestants, repeats, device)


def bench_lstm(workloads, repeats, device, keras3, samples, chs_loop):
    """C and Chs in one interleaved run: both are measured against C's torch loop."""
    x, y = lstm_data(samples)
    t_model = TorchLSTM().to(device)
    t_opt = torch.optim.Adam(t_model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    contestants, rows = {}, {}

    def fit(model, implementation="auto"):
        def run():
            set_implementation(implementation)
            model.fit(x, y, nb_epoch=1, batch_size=LSTM_BATCH, verbose=0)
            set_implementation("auto")
        return run

    if "C" in workloads:
        contestants["keras_compat (sigmoid)"] = fit(keras_lstm("sigmoid"))
        rows["keras_compat (sigmoid)"] = "C"
    if "Chs" in workloads:
        contestants["keras_compat (hard_sigmoid)"] = fit(keras_lstm("hard_sigmoid"))
        rows["keras_compat (hard_sigmoid)"] = "Chs"
        if chs_loop:
            contestants["keras_compat (hard_sigmoid, loop)"] = fit(keras_lstm("hard_sigmoid"),
                                                                   "loop")
            rows["keras_compat (hard_sigmoid, loop)"] = "Chs"
    contestants["torch"] = lambda: torch_fit(t_model, t_opt, x, y, LSTM_BATCH, device, False)
    rows["torch"] = "C"
    if keras3 is not None and "C" in workloads:
        k3 = k3_lstm(keras3)
        contestants["keras3 (sigmoid)"] = lambda: k3.fit(x, y, epochs=1, batch_size=LSTM_BATCH,
                                                         verbose=0)
        rows["keras3 (sigmoid)"] = "C"
    compare("C", contestants, repeats, device, rows=rows)


def bench_train_on_batch(repeats, device, keras3, calls=2000, batch=8):
    x, y = mlp_data(batch * 50)
    k_model = keras_mlp()
    t_model = torch_mlp().to(device)
    t_opt = torch.optim.RMSprop(t_model.parameters(), lr=0.001, alpha=0.9, eps=1e-8)

    def keras_run(model):
        def run():
            losses = []
            for i in range(calls):
                start = (i % 50) * batch
                losses.append(model.train_on_batch(x[start:start + batch], y[start:start + batch]))
            return losses
        return run

    def torch_run():
        t_model.train()
        losses = []
        for i in range(calls):
            start = (i % 50) * batch
            xb = torch.from_numpy(x[start:start + batch]).to(device)
            tb = torch.from_numpy(y[start:start + batch]).to(device).argmax(1)
            t_opt.zero_grad(set_to_none=True)
            loss = nn.functional.cross_entropy(t_model(xb), tb)
            loss.backward()
            t_opt.step()
            losses.append(loss.detach())
        return [float(v) for v in losses]

    contestants = {"keras_compat": keras_run(k_model), "torch": torch_run}
    if keras3 is not None:
        contestants["keras3"] = keras_run(k3_mlp(keras3))
    compare("D", contestants, repeats, device)


def bench_predict(repeats, device, keras3, batch_size=1024):
    x, _ = mlp_data()
    k_model = keras_mlp()
    t_model = torch_mlp().to(device).eval()
    out = np.empty((len(x), 10), dtype="float32")

    def torch_run():
        x_t = torch.from_numpy(x).to(device)
        with torch.inference_mode():
            for s in range(0, len(x), batch_size):
                out[s:s + batch_size] = torch.softmax(t_model(x_t[s:s + batch_size]),
                                                      -1).cpu().numpy()
        return out

    contestants = {"keras_compat": lambda: k_model.predict(x, batch_size=batch_size),
                   "torch": torch_run}
    if keras3 is not None:
        k3 = k3_mlp(keras3)
        contestants["keras3"] = lambda: k3.predict(x, batch_size=batch_size, verbose=0)
    compare("Dp", contestants, repeats, device)


def bench_import(repeats, root):
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c",
                              "import time; t=time.perf_counter(); import keras_compat; "
                              "print(time.perf_counter()-t)"],
                             cwd=root, capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    print("E    import keras_compat                median %8.3fs  fastest %8.3fs  (target < 1.2 s)"
          % (statistics.median(times), min(times)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="A,B,C,Chs,D,Dp,E")
    parser.add_argument("--device", default=None)
    parser.add_argument("--samples", type=int, default=5000, help="sequences in C and Chs")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch.set_num_threads (default: torch's choice)")
    parser.add_argument("--no-keras3", action="store_true", help="do not time Keras 3")
    parser.add_argument("--chs-loop", action="store_true",
                        help="also time Chs on the plain autograd step loop")
    parser.add_argument("--package-root", default=ROOT,
                        help="directory whose keras_compat is timed (default: this checkout)")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device:
        device_module.set_device(args.device)
    device = torch.device(device_module.resolve())
    torch.set_flush_denormal(True)
    keras3 = None if args.no_keras3 else import_keras3()
    print("device %s, torch %s, %d threads, %d interleaved runs; keras_compat from %s; Keras 3: %s"
          % (device, torch.__version__, torch.get_num_threads(), args.repeats,
             os.path.dirname(os.path.abspath(keras_compat.__file__)),
             "%s (torch backend)" % keras3.__version__ if keras3 else "not timed"))
    print("ratio = time / the torch loop's, of the medians / of the fastest runs; "
          "spread = slowest / fastest")
    only = set(args.only.split(","))
    unknown = only - {"A", "B", "C", "Chs", "D", "Dp", "E"}
    if unknown:
        parser.error("--only: unknown workloads %s" % ", ".join(sorted(unknown)))
    if "A" in only:
        x, y = mlp_data()
        bench_fit("A", keras_mlp(), torch_mlp,
                  lambda p: torch.optim.RMSprop(p, lr=0.001, alpha=0.9, eps=1e-8), x, y, 128,
                  args.repeats, device, k3_mlp(keras3) if keras3 else None)
    if "B" in only:
        x, y = cnn_data()
        bench_fit("B", keras_cnn(), torch_cnn,
                  lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.95, eps=1e-8), x, y, 128,
                  args.repeats, device, k3_cnn(keras3) if keras3 else None)
    if only & {"C", "Chs"}:
        bench_lstm(only, args.repeats, device, keras3, args.samples, args.chs_loop)
    if "D" in only:
        bench_train_on_batch(args.repeats, device, keras3)
    if "Dp" in only:
        bench_predict(args.repeats, device, keras3)
    if "E" in only:
        bench_import(args.repeats, args.package_root)


if __name__ == "__main__":
    main()
