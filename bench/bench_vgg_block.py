"""VGG-style block: keras_compat ('tf' and 'th' dim ordering) against the same block in torch.

The block (issue 3's speed check): Convolution2D(64, 3, 3, border_mode='same', relu),
Convolution2D(64, 3, 3, border_mode='same', relu), MaxPooling2D((2, 2)) on 32x32x3 images,
batch 64, trained with MSE against a fixed random target of the block's output shape and plain
SGD(lr=0.01).  One timed run is ``--steps`` training steps (forward + backward + SGD update) on
consecutive batches of 64 of a synthetic data set:

  keras tf     ``model.train_on_batch`` on NHWC numpy batches (dim_ordering='tf')
  keras th     ``model.train_on_batch`` on NCHW numpy batches (dim_ordering='th')
  torch nchw   hand-written step: nn.Conv2d/ReLU/MaxPool2d on NCHW (contiguous) tensors
  torch nhwc   the same module in torch.channels_last memory format, fed the NHWC batches
               as a permuted view (what a careful torch user would write for NHWC data)

The variants run interleaved (one run of each, then again) after a warm-up; the median of
``--repeats`` runs is reported with the ratios tf/torch, th/torch and th/tf.
Usage: python bench/bench_vgg_block.py [--repeats 5] [--steps 50] [--threads N]
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from keras_compat.layers.convolutional import Convolution2D  # noqa: E402
from keras_compat.layers.pooling import MaxPooling2D  # noqa: E402
from keras_compat.models import Sequential  # noqa: E402
from keras_compat.optimizers import SGD  # noqa: E402

BATCH = 64


def keras_block(ordering):
    shape = (32, 32, 3) if ordering == "tf" else (3, 32, 32)
    model = Sequential()
    model.add(Convolution2D(64, 3, 3, border_mode="same", activation="relu", input_shape=shape,
                            dim_ordering=ordering))
    model.add(Convolution2D(64, 3, 3, border_mode="same", activation="relu",
                            dim_ordering=ordering))
    model.add(MaxPooling2D((2, 2), dim_ordering=ordering))
    model.compile(loss="mse", optimizer=SGD(lr=0.01))
    return model


def torch_block(channels_last):
    block = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(),
                          nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    if channels_last:
        block = block.to(memory_format=torch.channels_last)
    return block


def data(steps):
    rng = np.random.RandomState(0)
    n = steps * BATCH
    x_tf = rng.rand(n, 32, 32, 3).astype("float32")
    y_tf = rng.rand(n, 16, 16, 64).astype("float32")
    x_th = np.ascontiguousarray(x_tf.transpose(0, 3, 1, 2))
    y_th = np.ascontiguousarray(y_tf.transpose(0, 3, 1, 2))
    return x_tf, y_tf, x_th, y_th


def keras_run(model, x, y):
    def run():
        for start in range(0, x.shape[0], BATCH):
            model.train_on_batch(x[start:start + BATCH], y[start:start + BATCH])
    return run


def torch_run(block, x, y, nhwc):
    """The hand-written step; batches arrive as numpy like train_on_batch's do."""
    optimizer = torch.optim.SGD(block.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()

    def run():
        block.train()
        for start in range(0, x.shape[0], BATCH):
            xb = torch.from_numpy(x[start:start + BATCH])
            yb = torch.from_numpy(y[start:start + BATCH])
            if nhwc:   # NHWC data as a channels_last NCHW view: no copy
                xb, yb = xb.permute(0, 3, 1, 2), yb.permute(0, 3, 1, 2)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(block(xb), yb)
            loss.backward()
            optimizer.step()
            float(loss.detach())   # train_on_batch returns the loss as a Python float too
    return run


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    np.random.seed(0)
    x_tf, y_tf, x_th, y_th = data(args.steps)
    runs = {
        "keras tf": keras_run(keras_block("tf"), x_tf, y_tf),
        "keras th": keras_run(keras_block("th"), x_th, y_th),
        "torch nchw": torch_run(torch_block(False), x_th, y_th, nhwc=False),
        "torch nhwc": torch_run(torch_block(True), x_tf, y_tf, nhwc=True),
    }
    for fn in runs.values():   # warm-up: one full run each (allocator, oneDNN primitives)
        fn()
    times = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, fn in runs.items():
            times[name].append(timed(fn))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    print("VGG block (Conv64 3x3 same relu, Conv64 3x3 same relu, MaxPool 2x2), 32x32x3, batch %d,"
          " %d SGD steps per run, median of %d, torch %s, %d threads"
          % (BATCH, args.steps, args.repeats, torch.__version__, torch.get_num_threads()))
    for name in runs:
        print("  %-11s %7.3f s  (%.1f ms/step)  runs: %s" % (
            name, med[name], 1000 * med[name] / args.steps,
            " ".join("%.3f" % t for t in times[name])))
    best_torch = min(med["torch nchw"], med["torch nhwc"])
    print("  ratio tf/torch(nchw) %.3f   tf/torch(nhwc) %.3f   tf/best-torch %.3f" % (
        med["keras tf"] / med["torch nchw"], med["keras tf"] / med["torch nhwc"],
        med["keras tf"] / best_torch))
    print("  ratio th/torch(nchw) %.3f   th/tf %.3f" % (
        med["keras th"] / med["torch nchw"], med["keras th"] / med["keras tf"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
