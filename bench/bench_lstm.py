"""LSTM training speed: keras_compat against a hand-written torch ``nn.LSTM`` model.

One epoch of ``Embedding(20000, 128) -> LSTM(128) -> Dense(1, sigmoid)`` on 5000 synthetic
sequences of length 80, batch 32, Adam, binary crossentropy (the imdb_lstm shape):

  (a) keras_compat with Keras-1 defaults (``inner_activation='hard_sigmoid'``: the fused
      recurrence with a hand-written backward)
  (b) keras_compat with ``inner_activation='sigmoid'`` (torch's fused LSTM kernel)
  (c) a hand-written torch model (``nn.Embedding``, ``nn.LSTM``, ``nn.Linear``) and loop

The three run interleaved (a, b, c, a, b, c, ...); the script prints the median of
``--repeats`` runs of each and the ratios (a)/(c) and (b)/(c).  ``bench_engine.py`` times the
same model as its workloads C and Chs, beside the other workloads and Keras 3.

Usage: python bench/bench_lstm.py [--repeats 5] [--samples 5000] [--device cpu|cuda]
                                  [--threads N] [--clock wall|cpu]
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

from keras_compat.backend import device as device_module  # noqa: E402
from keras_compat.layers.core import Dense  # noqa: E402
from keras_compat.layers.embeddings import Embedding  # noqa: E402
from keras_compat.layers.recurrent import LSTM  # noqa: E402
from keras_compat.models import Sequential  # noqa: E402

VOCAB, EMBED, UNITS, LENGTH, BATCH = 20000, 128, 128, 80, 32


def data(n):
    rng = np.random.RandomState(0)
    x = rng.randint(1, VOCAB, (n, LENGTH)).astype("int32")
    y = rng.randint(0, 2, (n, 1)).astype("float32")
    return x, y


def keras_model(inner_activation):
    model = Sequential()
    model.add(Embedding(VOCAB, EMBED, input_length=LENGTH))
    model.add(LSTM(UNITS, inner_activation=inner_activation))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


class TorchModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED)
        self.lstm = nn.LSTM(EMBED, UNITS, batch_first=True)
        self.out = nn.Linear(UNITS, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(self.embed(x))
        return torch.sigmoid(self.out(h[0]))


def torch_epoch(model, optimizer, x, y, device):
    """The hand-written loop: data on the device once, a permutation, slices."""
    model.train()
    x = torch.from_numpy(x).long().to(device)
    y = torch.from_numpy(y).to(device)
    order = torch.randperm(x.shape[0], device=device)
    xs, ys = x.index_select(0, order), y.index_select(0, order)
    loss_fn = nn.BCELoss()
    for start in range(0, x.shape[0], BATCH):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[start:start + BATCH]), ys[start:start + BATCH])
        loss.backward()
        optimizer.step()


def timed(fn, device, clock):
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = clock()
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return clock() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--device", default=None)
    parser.add_argument("--threads", type=int, default=None,
                        help="torch.set_num_threads (default: torch's choice)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall-clock seconds, or this process's CPU seconds (steadier on a "
                             "shared machine; on CPU devices only)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    if args.device:
        os.environ["KERAS_COMPAT_DEVICE"] = args.device
    device = torch.device(device_module.resolve())
    x, y = data(args.samples)
    model_a, model_b = keras_model("hard_sigmoid"), keras_model("sigmoid")
    model_c = TorchModel().to(device)
    opt_c = torch.optim.Adam(model_c.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    warm = BATCH * 4
    for model in (model_a, model_b):  # warm-up: allocator, kernels
        model.fit(x[:warm], y[:warm], nb_epoch=1, batch_size=BATCH, verbose=0)
    torch_epoch(model_c, opt_c, x[:warm], y[:warm], device)
    times = {"a": [], "b": [], "c": []}
    for _ in range(args.repeats):
        times["a"].append(timed(lambda: model_a.fit(x, y, nb_epoch=1, batch_size=BATCH,
                                                    verbose=0), device, clock))
        times["b"].append(timed(lambda: model_b.fit(x, y, nb_epoch=1, batch_size=BATCH,
                                                    verbose=0), device, clock))
        times["c"].append(timed(lambda: torch_epoch(model_c, opt_c, x, y, device), device, clock))
    med = {k: statistics.median(v) for k, v in times.items()}
    print("device %s, %d samples x %d steps, batch %d, median of %d, %s seconds, %d threads" % (
        device, args.samples, LENGTH, BATCH, args.repeats, args.clock, torch.get_num_threads()))
    print("(a) keras_compat LSTM, hard_sigmoid (Keras-1 default): %.3f s  %s" % (
        med["a"], ["%.2f" % t for t in times["a"]]))
    print("(b) keras_compat LSTM, inner_activation='sigmoid':    %.3f s  %s" % (
        med["b"], ["%.2f" % t for t in times["b"]]))
    print("(c) hand-written torch nn.LSTM:                       %.3f s  %s" % (
        med["c"], ["%.2f" % t for t in times["c"]]))
    print("(a)/(c) = %.2f   (target <= 1.5)" % (med["a"] / med["c"]))
    print("(b)/(c) = %.2f   (target <= 1.10)" % (med["b"] / med["c"]))
    return med


if __name__ == "__main__":
    main()
