"""Data-parallel scaling of ``fit``: training samples/second with 1 process and with N processes.

Each run starts fresh processes: one plain process (no process group), or N processes with
torchrun's environment (RANK, WORLD_SIZE, MASTER_ADDR/PORT on a free port; Gloo on CPU, NCCL
with one GPU per process on CUDA).  Every process builds the same Keras-1 model and data, trains
one warm-up epoch, then times ``fit`` over --epochs epochs between two barriers; rank 0
reports samples/second (global batch --batch-size, the whole data set per epoch).  Runs are
interleaved (1, N, 1, N, ...) and the medians and the fastest runs are printed.

On CPU the cores are shared: by default a process uses cores / processes threads, so both
settings use the same cores (a 2-process run on a 2-core machine gives each process one thread).

Usage: python bench/bench_distributed.py [--model mlp|convnet] [--processes 1,2] [--repeats 3]
       [--epochs 2] [--samples 8192] [--batch-size 256] [--device cpu|cuda] [--threads N]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def _build(model_name):
    from keras_compat.layers import Convolution2D, Dense, Flatten, MaxPooling2D
    from keras_compat.models import Sequential

    model = Sequential()
    if model_name == "mlp":  # Keras 1's mnist_mlp without Dropout
        model.add(Dense(512, input_dim=784, activation="relu"))
        model.add(Dense(512, activation="relu"))
        model.add(Dense(10, activation="softmax"))
        shape = (784,)
    else:  # a small mnist_cnn-like convnet, channels last
        model.add(Convolution2D(32, 3, 3, input_shape=(28, 28, 1), dim_ordering="tf",
                                activation="relu"))
        model.add(Convolution2D(32, 3, 3, dim_ordering="tf", activation="relu"))
        model.add(MaxPooling2D(dim_ordering="tf"))
        model.add(Flatten())
        model.add(Dense(128, activation="relu"))
        model.add(Dense(10, activation="softmax"))
        shape = (28, 28, 1)
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    return model, shape


def worker(args):
    """One process of a run: warm up, time fit, rank 0 prints one JSON line."""
    import numpy as np
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    np.random.seed(0)
    torch.manual_seed(0)
    model, shape = _build(args.model)
    rng = np.random.RandomState(1)
    x = rng.rand(args.samples, *shape).astype("float32")
    y = np.eye(10, dtype="float32")[rng.randint(0, 10, size=args.samples)]
    model.fit(x, y, batch_size=args.batch_size, nb_epoch=1, verbose=0)  # warm-up
    distributed = torch.distributed.is_available() and torch.distributed.is_initialized()
    if distributed:
        torch.distributed.barrier()
    started = time.perf_counter()
    model.fit(x, y, batch_size=args.batch_size, nb_epoch=args.epochs, verbose=0)
    if args.device == "cuda":
        torch.cuda.synchronize()
    if distributed:
        torch.distributed.barrier()
    seconds = time.perf_counter() - started
    if not distributed or torch.distributed.get_rank() == 0:
        print(json.dumps({"samples_per_second": args.samples * args.epochs / seconds}))


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(processes, args):
    command = [sys.executable, os.path.abspath(__file__), "--worker", "--model", args.model,
               "--epochs", str(args.epochs), "--samples", str(args.samples),
               "--batch-size", str(args.batch_size), "--device", args.device,
               "--threads", str(args.threads or max(1, (os.cpu_count() or 1) // processes))]
    base = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                KERAS_COMPAT_DEVICE=args.device)
    port = _free_port()
    workers = []
    for rank in range(processes):
        env = dict(base)
        if processes > 1:
            env.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(processes),
                       LOCAL_WORLD_SIZE=str(processes), MASTER_ADDR="127.0.0.1",
                       MASTER_PORT=str(port))
        workers.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True))
    outputs = [w.communicate()[0] for w in workers]
    if any(w.returncode for w in workers):
        raise SystemExit("a %d-process run failed" % processes)
    return json.loads(outputs[0].strip().splitlines()[-1])["samples_per_second"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=("mlp", "convnet"), default="mlp")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--samples", type=int, default=8192)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads per process (default: cores / processes)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    counts = [int(c) for c in args.processes.split(",")]
    if args.device == "cuda":
        import torch

        gpus = torch.cuda.device_count()
        skipped = [c for c in counts if c > gpus]
        if skipped:
            print("skipping %s processes: NCCL needs one GPU per process, %d GPU(s) here"
                  % (skipped, gpus))
        counts = [c for c in counts if c <= gpus]
    results = {c: [] for c in counts}
    for repeat in range(args.repeats):
        for count in counts:  # interleaved: 1, N, 1, N, ...
            rate = _run(count, args)
            results[count].append(rate)
            print("repeat %d, %d process(es): %.0f samples/s" % (repeat + 1, count, rate),
                  flush=True)
    print("\n%s on %s, global batch %d, %d samples x %d epochs, %d cores"
          % (args.model, args.device, args.batch_size, args.samples, args.epochs,
             os.cpu_count() or 1))
    base = statistics.median(results[counts[0]]) if counts else None
    for count in counts:
        median = statistics.median(results[count])
        print("%d process(es): median %.0f samples/s, fastest %.0f, speed-up vs %d: %.2fx"
              % (count, median, max(results[count]), counts[0], median / base))


if __name__ == "__main__":
    main()
