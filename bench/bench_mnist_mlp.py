"""Keras 1.2.2's examples/mnist_mlp.py through the runner, against the same work hand-written in torch.

Both sides run as fresh processes on the same full-size MNIST stand-in (60000/10000 rows from
tools/fake_keras_datasets.py --size full, written into a private KERAS_HOME when missing) and are
timed wall-clock from process start to exit, interleaved (keras_compat, torch, keras_compat...):

  keras_compat  python -m keras_compat mnist_mlp.py   (unmodified; 20 epochs, verbose=1 progress bar
                                                        into a pipe, validation every epoch, evaluate)
  torch         this file with --torch-side: the same loading/scaling/one-hot, the same network
                (Dense 512 relu, Dropout 0.2, x2, Dense 10 softmax), RMSprop(lr 0.001, rho 0.9,
                eps 1e-8), batch 128, shuffled every epoch, training loss and accuracy per batch,
                validation loss/accuracy every epoch, a final evaluation and the same prints

The script comes from --script, or mnist_mlp.py in $KERAS122_EXAMPLES (the examples/ folder of
Keras 1.2.2; not shipped in this repository).

Usage: python bench/bench_mnist_mlp.py [--repeats 3] [--script PATH] [--keras-home DIR] [--epochs 20]
Prints each run's seconds, the medians and the ratio keras_compat / torch (target <= 1.15).
"""
import argparse
import gzip
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def torch_side(keras_home, epochs):
    """mnist_mlp.py written directly in torch (what a user would hand-write)."""
    import numpy as np
    import torch
    import torch.nn as nn

    np.random.seed(1337)
    with gzip.open(os.path.join(keras_home, "datasets", "mnist.pkl.gz"), "rb") as handle:
        (x_train, y_train), (x_test, y_test) = pickle.load(handle, encoding="bytes")
    x_train = torch.from_numpy(x_train.reshape(60000, 784).astype("float32") / 255)
    x_test = torch.from_numpy(x_test.reshape(10000, 784).astype("float32") / 255)
    t_train = torch.from_numpy(y_train.astype("int64"))
    t_test = torch.from_numpy(y_test.astype("int64"))
    print(x_train.shape[0], "train samples")
    print(x_test.shape[0], "test samples")

    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 512),
                          nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10))
    for layer in model:
        if isinstance(layer, nn.Linear):  # glorot_uniform weights, zero biases (Keras 1 defaults)
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()

    def evaluate(x, t, batch_size=128):
        model.eval()
        loss = acc = 0.0
        with torch.no_grad():
            for start in range(0, x.shape[0], batch_size):
                logits = model(x[start:start + batch_size])
                tb = t[start:start + batch_size]
                loss += float(loss_fn(logits, tb)) * tb.shape[0]
                acc += float((logits.argmax(1) == tb).sum())
        return loss / x.shape[0], acc / x.shape[0]

    batch_size = 128
    for epoch in range(epochs):
        model.train()
        order = torch.from_numpy(np.random.permutation(60000))
        total = torch.zeros(())
        correct = torch.zeros(())
        for start in range(0, 60000, batch_size):
            index = order[start:start + batch_size]
            xb, tb = x_train[index], t_train[index]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, tb)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total += loss.detach() * tb.shape[0]
                correct += (logits.argmax(1) == tb).sum()
        val_loss, val_acc = evaluate(x_test, t_test)
        print("Epoch %d/%d - loss: %.4f - acc: %.4f - val_loss: %.4f - val_acc: %.4f"
              % (epoch + 1, epochs, float(total) / 60000, float(correct) / 60000, val_loss, val_acc))
    score = evaluate(x_test, t_test)
    print("Test score:", score[0])
    print("Test accuracy:", score[1])


def ensure_data(keras_home):
    path = os.path.join(keras_home, "datasets", "mnist.pkl.gz")
    if os.path.exists(path):
        with gzip.open(path, "rb") as handle:
            (x_train, _), _ = pickle.load(handle, encoding="bytes")
        if x_train.shape[0] == 60000:
            return
        sys.exit("%s has %d training rows; mnist_mlp.py needs the full 60000 (use another "
                 "--keras-home or tools/fake_keras_datasets.py --size full --force)" % (path, x_train.shape[0]))
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "fake_keras_datasets.py"), "--dest",
                    os.path.join(keras_home, "datasets"), "--size", "full", "--only", "mnist"],
                   check=True, stdout=subprocess.DEVNULL)


def timed_run(argv, env, cwd):
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace")
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit("%s failed (exit %d):\n%s" % (" ".join(argv), done.returncode, done.stderr[-3000:]))
    accuracy = [line for line in done.stdout.splitlines() if line.startswith("Test accuracy:")]
    return seconds, (accuracy[-1] if accuracy else "(no 'Test accuracy:' line)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--script", help="path of Keras 1.2.2's examples/mnist_mlp.py")
    parser.add_argument("--keras-home", help="KERAS_HOME with datasets/mnist.pkl.gz (full size)")
    parser.add_argument("--epochs", type=int, default=20,
                        help="torch side only; keep 20, what the script does (for a quick check)")
    parser.add_argument("--torch-side", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    keras_home = args.keras_home or os.path.join(tempfile.gettempdir(), "keras_compat_bench_home")
    if args.torch_side:
        torch_side(keras_home, args.epochs)
        return 0
    script = args.script or os.path.join(os.environ.get("KERAS122_EXAMPLES", ""), "mnist_mlp.py")
    if not os.path.isfile(script):
        parser.error("mnist_mlp.py not found at %r: pass --script or set KERAS122_EXAMPLES" % script)
    ensure_data(keras_home)
    env = dict(os.environ, KERAS_HOME=keras_home, KERAS_COMPAT_DEVICE="cpu", MPLBACKEND="Agg")
    for name in ("KERAS_COMPAT_MAX_EPOCHS", "KERAS_COMPAT_MAX_STEPS"):
        env.pop(name, None)
    workdir = tempfile.mkdtemp(prefix="bench_mnist_mlp_")
    sides = {
        "keras_compat": [sys.executable, "-m", "keras_compat", os.path.abspath(script)],
        "torch": [sys.executable, os.path.abspath(__file__), "--torch-side", "--keras-home", keras_home,
                  "--epochs", str(args.epochs)],
    }
    times = {name: [] for name in sides}
    print("mnist_mlp.py, %d epochs, torch %d threads; %d interleaved repeats"
          % (args.epochs, __import__("torch").get_num_threads(), args.repeats))
    for repeat in range(args.repeats):
        for name, command in sides.items():
            seconds, accuracy = timed_run(command, env, workdir)
            times[name].append(seconds)
            print("  run %d %-12s %8.2f s   %s" % (repeat + 1, name, seconds, accuracy), flush=True)
    k, t = statistics.median(times["keras_compat"]), statistics.median(times["torch"])
    print("median keras_compat %.2f s, torch %.2f s, ratio %.3f (target <= 1.15)" % (k, t, k / t))
    return 0


if __name__ == "__main__":
    sys.exit(main())
