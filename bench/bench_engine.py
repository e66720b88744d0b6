"""Engine overhead: keras_compat against the best hand-written PyTorch loop for the same model.

Runs each pair interleaved (keras_compat, then torch, then keras_compat...) and prints the
median of ``--repeats`` runs and the ratio keras_compat / torch:

  A  one epoch of the MNIST-shaped MLP (60000x784, Dense 512 relu, Dropout 0.2, x2, Dense 10
     softmax, RMSprop, batch 128)
  B  one epoch of the mnist_cnn-shaped convnet (12000 x 1x28x28, Conv 32 3x3 x2, MaxPool,
     Dropout, Dense 128, Dense 10, Adadelta, batch 128)
  C  2000 ``train_on_batch`` calls on batches of 8 (the MLP)
  D  ``predict`` on 60000 rows (the MLP, batch 32 as Keras 1's default)
  E  ``import keras_compat`` in a fresh interpreter

Usage: python bench/bench_engine.py [--repeats 5] [--only A,B,C,D,E] [--device cpu|cuda]
Data is synthetic; the numbers are wall-clock seconds on this machine.
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from keras_compat.backend import device as device_module  # noqa: E402
from keras_compat.layers import Activation, Dense, Dropout, Flatten  # noqa: E402
from keras_compat.models import Sequential  # noqa: E402
from keras_compat.optimizers import Adadelta, RMSprop  # noqa: E402


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def mlp_data(n=60000):
    rng = np.random.RandomState(0)
    x = rng.rand(n, 784).astype("float32")
    y = np.eye(10, dtype="float32")[rng.randint(0, 10, n)]
    return x, y


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


def torch_mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 512),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10))


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


def torch_cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(), nn.Linear(4608, 128),
                         nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def torch_epoch(model, optimizer, x, y, batch_size, device):
    """The hand-written loop: data on the device once, a permutation, slices, fused CE."""
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    targets = y.argmax(1)
    order = torch.randperm(x.shape[0], device=device)
    xs, ts = x.index_select(0, order), targets.index_select(0, order)
    total = torch.zeros((), device=device)
    for start in range(0, x.shape[0], batch_size):
        xb, tb = xs[start:start + batch_size], ts[start:start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), tb)
        loss.backward()
        optimizer.step()
        total += loss.detach() * xb.shape[0]
    return float(total) / x.shape[0]


def timed(fn, device):
    _sync(device)
    start = time.perf_counter()
    fn()
    _sync(device)
    return time.perf_counter() - start


def bench_epoch(name, make_keras, make_torch, x, y, optimizer_factory, batch_size, repeats,
                device):
    k_model = make_keras()
    t_model = make_torch().to(device)
    t_opt = optimizer_factory(t_model.parameters())
    x_t = torch.from_numpy(x).to(device)
    y_t = torch.from_numpy(y).to(device)
    k_model.fit(x[:batch_size * 2], y[:batch_size * 2], nb_epoch=1, batch_size=batch_size,
                verbose=0)
    torch_epoch(t_model, t_opt, x_t[:batch_size * 2], y_t[:batch_size * 2], batch_size, device)
    keras_times, torch_times = [], []
    for _ in range(repeats):
        keras_times.append(timed(lambda: k_model.fit(x, y, nb_epoch=1, batch_size=batch_size,
                                                     verbose=0), device))
        # The torch loop gets the same once-per-epoch host->device copy the engine does.
        torch_times.append(timed(lambda: torch_epoch(t_model, t_opt, torch.from_numpy(x).to(device),
                                                     torch.from_numpy(y).to(device), batch_size,
                                                     device), device))
    report(name, keras_times, torch_times)


def bench_train_on_batch(repeats, device, calls=2000, batch=8):
    x, y = mlp_data(batch * 50)
    k_model = keras_mlp()
    t_model = torch_mlp().to(device)
    t_opt = torch.optim.RMSprop(t_model.parameters(), lr=0.001, alpha=0.9, eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()

    def keras_run():
        for i in range(calls):
            start = (i % 50) * batch
            k_model.train_on_batch(x[start:start + batch], y[start:start + batch])

    def torch_run():
        t_model.train()
        for i in range(calls):
            start = (i % 50) * batch
            xb = torch.from_numpy(x[start:start + batch]).to(device)
            tb = torch.from_numpy(y[start:start + batch]).to(device).argmax(1)
            t_opt.zero_grad(set_to_none=True)
            loss = loss_fn(t_model(xb), tb)
            loss.backward()
            t_opt.step()
            float(loss)

    keras_run()
    torch_run()
    keras_times, torch_times = [], []
    for _ in range(repeats):
        keras_times.append(timed(keras_run, device))
        torch_times.append(timed(torch_run, device))
    report("C train_on_batch x%d (batch %d)" % (calls, batch), keras_times, torch_times)


def bench_predict(repeats, device, batch_size=32):
    x, _ = mlp_data()
    k_model = keras_mlp()
    t_model = torch_mlp().to(device).eval()

    def torch_run():
        x_t = torch.from_numpy(x).to(device)
        with torch.no_grad():
            outs = [torch.softmax(t_model(x_t[s:s + batch_size]), -1)
                    for s in range(0, len(x), batch_size)]
        return torch.cat(outs).cpu().numpy()

    k_model.predict(x[:64], batch_size=batch_size)
    torch_run()
    keras_times, torch_times = [], []
    for _ in range(repeats):
        keras_times.append(timed(lambda: k_model.predict(x, batch_size=batch_size), device))
        torch_times.append(timed(torch_run, device))
    report("D predict 60000 rows (batch %d)" % batch_size, keras_times, torch_times)


def bench_import(repeats):
    times = []
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c",
                              "import time; t=time.perf_counter(); import keras_compat; "
                              "print(time.perf_counter()-t)"],
                             cwd=root, capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    print("%-44s %8.3fs  (target < 1.2 s)" % ("E import keras_compat", statistics.median(times)))


def report(name, keras_times, torch_times):
    k, t = statistics.median(keras_times), statistics.median(torch_times)
    print("%-44s keras_compat %8.3fs  torch %8.3fs  ratio %.3f" % (name, k, t, k / t), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="A,B,C,D,E")
    parser.add_argument("--device", default=None)
    args = parser.parse_args()
    if args.device:
        device_module.set_device(args.device)
    device = device_module.resolve()
    torch.set_flush_denormal(True)
    print("device: %s, torch %s, threads %d, repeats %d (median)"
          % (device, torch.__version__, torch.get_num_threads(), args.repeats))
    only = set(args.only.split(","))
    if "A" in only:
        x, y = mlp_data()
        bench_epoch("A MLP epoch (60000x784, RMSprop, batch 128)", keras_mlp, torch_mlp, x, y,
                    lambda p: torch.optim.RMSprop(p, lr=0.001, alpha=0.9, eps=1e-8), 128,
                    args.repeats, device)
    if "B" in only:
        rng = np.random.RandomState(0)
        x = rng.rand(12000, 1, 28, 28).astype("float32")
        y = np.eye(10, dtype="float32")[rng.randint(0, 10, 12000)]
        bench_epoch("B convnet epoch (12000x1x28x28, Adadelta, b128)", keras_cnn, torch_cnn, x, y,
                    lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.95, eps=1e-8), 128,
                    args.repeats, device)
    if "C" in only:
        bench_train_on_batch(args.repeats, device)
    if "D" in only:
        bench_predict(args.repeats, device)
    if "E" in only:
        bench_import(args.repeats)


if __name__ == "__main__":
    main()
