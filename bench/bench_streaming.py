"""Streaming batches from host memory against the in-memory path, on the MNIST MLP.

The model is Keras 1.2.2's examples/mnist_mlp.py network (Dense 512 relu, Dropout 0.2, x2,
Dense 10 softmax; RMSprop, categorical cross-entropy, batch 128) on a synthetic MNIST-sized
set (``--rows`` x 784 float32, one-hot targets).  One timed run is ``--epochs`` epochs of
``fit`` (shuffled, verbose=0), then ``predict`` on the same rows, with the batch source forced
by ``keras_compat.training.batches.set_streaming``:

  in-memory   'never': the arrays are copied to the device once; batches are device slices
  streaming   'always': the arrays stay in host memory; batch k+1 is gathered (into pinned
              memory and copied on a side stream, on CUDA) while the step on batch k runs

Both variants start from the same weights and NumPy seed, so they do the same arithmetic
(the test suite checks the results are equal).  They run interleaved (in-memory, streaming,
in-memory...) after a warm-up of each; the medians and the fastest runs of ``--repeats`` runs
are printed with the ratios streaming / in-memory (target on CPU: <= 1.10).

Usage: python bench/bench_streaming.py [--repeats 5] [--epochs 1] [--rows 60000]
                                       [--device cpu|cuda] [--threads N]
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from keras_compat.backend import device as device_module  # noqa: E402
from keras_compat.layers import Activation, Dense, Dropout  # noqa: E402
from keras_compat.models import Sequential  # noqa: E402
from keras_compat.optimizers import RMSprop  # noqa: E402
from keras_compat.training import batches  # noqa: E402

VARIANTS = (("in-memory", "never"), ("streaming", "always"))


def mnist_mlp():
    model = Sequential([Dense(512, input_shape=(784,)), Activation("relu"), Dropout(0.2),
                        Dense(512), Activation("relu"), Dropout(0.2),
                        Dense(10), Activation("softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=RMSprop(), metrics=["accuracy"])
    return model


def one_run(mode, weights, x, y, epochs):
    batches.set_streaming(mode)
    model = mnist_mlp()
    model.set_weights(weights)
    np.random.seed(1337)
    if device_module.resolve().type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    model.fit(x, y, batch_size=128, nb_epoch=epochs, verbose=0)
    model.predict(x, batch_size=128)
    if device_module.resolve().type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--rows", type=int, default=60000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device_module.set_device(args.device)
    rng = np.random.RandomState(0)
    x = rng.rand(args.rows, 784).astype("float32")
    y = np.eye(10, dtype="float32")[rng.randint(0, 10, args.rows)]
    np.random.seed(0)
    weights = mnist_mlp().get_weights()
    print("device %s, torch %s, %d threads, %d rows, %d epoch(s) + predict per run"
          % (args.device, torch.__version__, torch.get_num_threads(), args.rows, args.epochs))
    for _, mode in VARIANTS:  # warm-up: allocator, thread pools, first-call costs
        one_run(mode, weights, x[:4096], y[:4096], 1)
    times = {name: [] for name, _ in VARIANTS}
    for repeat in range(args.repeats):
        for name, mode in VARIANTS:
            seconds = one_run(mode, weights, x, y, args.epochs)
            times[name].append(seconds)
            print("run %d %-10s %.3f s" % (repeat + 1, name, seconds), flush=True)
    batches.set_streaming(None)
    for name, _ in VARIANTS:
        runs = times[name]
        print("%-10s median %.3f s  fastest %.3f s  spread %.3f-%.3f s"
              % (name, statistics.median(runs), min(runs), min(runs), max(runs)))
    medians = statistics.median(times["streaming"]) / statistics.median(times["in-memory"])
    fastest = min(times["streaming"]) / min(times["in-memory"])
    print("streaming / in-memory: %.3f (medians), %.3f (fastest runs); target <= 1.10"
          % (medians, fastest))


if __name__ == "__main__":
    main()
