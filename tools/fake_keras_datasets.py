#!/usr/bin/env python
"""Write small, learnable stand-ins for the Keras 1.2.2 dataset cache files.

The files have the exact names and formats that Keras 1.2.2's loaders read from
``~/.keras/datasets/`` (Keras 1.2.2's ``get_file`` cache), so ``keras.datasets.*.load_data()``
and the Keras 1.2.2 example scripts run offline against them:

    mnist.pkl.gz                 gzip pickle ((X_train, y_train), (X_test, y_test)), X uint8 (n, 28, 28)
    cifar-10-batches-py.tar.gz   tar.gz of cifar-10-batches-py/{data_batch_1..5, test_batch, batches.meta}
    cifar-100-python.tar.gz      tar.gz of cifar-100-python/{train, test, meta}
    imdb_full.pkl                pickle ((x_train, labels_train), (x_test, labels_test)) of int lists
    imdb_word_index.pkl          pickle {word: index}
    reuters.pkl                  pickle (xs, labels)
    reuters_word_index.pkl       pickle {word: index}
    nietzsche.txt                plain text (the corpus lstm_text_generation.py fetches with get_file)

The data are synthetic (never real samples): each class has its own pattern (images) or its own
preferred words (texts), plus noise, so a model can learn them. ``--size full`` gives the real
sample counts (MNIST 60000/10000, CIFAR 50000/10000, IMDB 25000/25000, Reuters 11228) and a
text as long as the real nietzsche.txt (600893 characters).
Existing files are left alone unless ``--force`` is given. ``--cifar-extracted`` writes the
extracted folders (as Keras 1 left them after the first run) instead of the archives.

    python tools/fake_keras_datasets.py [--dest DIR] [--size tiny|small|full] [--only mnist,imdb] [--seed 0]
"""
import argparse
import gzip
import io
import os
import pickle
import sys
import tarfile

import numpy as np

DATASETS = ("mnist", "cifar10", "cifar100", "imdb", "reuters", "nietzsche")

# (train, test) sample counts.
SIZES = {
    "tiny": {"mnist": (200, 50), "cifar10": (100, 20), "cifar100": (100, 20), "imdb": (60, 60),
             "reuters": 100, "nietzsche": 4000},
    "small": {"mnist": (2000, 400), "cifar10": (1000, 200), "cifar100": (1000, 200),
              "imdb": (1000, 1000), "reuters": 2000, "nietzsche": 20000},
    "full": {"mnist": (60000, 10000), "cifar10": (50000, 10000), "cifar100": (50000, 10000),
             "imdb": (25000, 25000), "reuters": 11228, "nietzsche": 600893},
}
VOCAB = {"imdb": 6000, "reuters": 4000}


def default_dest():
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(home, "datasets")


def _class_images(rng, labels, prototypes, noise):
    """uint8 images: the label's prototype, randomly dimmed and shifted, plus noise."""
    n = len(labels)
    base = prototypes[labels].astype(np.float32)
    gain = rng.uniform(0.7, 1.0, size=(n,) + (1,) * (base.ndim - 1)).astype(np.float32)
    out = base * gain + rng.normal(0, noise, size=base.shape).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def _prototypes(rng, nb_class, shape, density):
    protos = (rng.uniform(size=(nb_class,) + shape) < density).astype(np.float32) * 255
    # Blur a little so neighbouring pixels agree, like strokes.
    for axis in (1, 2):
        protos = (protos + np.roll(protos, 1, axis=axis) + np.roll(protos, -1, axis=axis)) / 3.0
    return np.clip(protos * 1.5, 0, 255)


def _images_in_chunks(rng, labels, prototypes, noise, chunk=10000):
    parts = [_class_images(rng, labels[i:i + chunk], prototypes, noise) for i in range(0, len(labels), chunk)]
    return np.concatenate(parts) if parts else np.zeros((0,) + prototypes.shape[1:], np.uint8)


def make_mnist(rng, n_train, n_test):
    protos = _prototypes(rng, 10, (28, 28), 0.12)
    y_train = rng.randint(0, 10, size=n_train).astype(np.uint8)
    y_test = rng.randint(0, 10, size=n_test).astype(np.uint8)
    x_train = _images_in_chunks(rng, y_train, protos, 30)
    x_test = _images_in_chunks(rng, y_test, protos, 30)
    return (x_train, y_train), (x_test, y_test)


def _cifar_data(rng, labels, protos):
    imgs = _images_in_chunks(rng, labels, protos, 40)  # (n, 3, 32, 32), the CIFAR row layout
    return imgs.reshape(len(labels), 3 * 32 * 32)


def _pickled(obj):
    return pickle.dumps(obj, protocol=2)


def _write_tree(files, dest, dirname, as_archive):
    if as_archive:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=1) as tar:
            info = tarfile.TarInfo(dirname)
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            tar.addfile(info)
            for name, payload in files:
                info = tarfile.TarInfo(dirname + "/" + name)
                info.size = len(payload)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(payload))
        _atomic_write(os.path.join(dest, dirname + ".tar.gz"), buf.getvalue())
    else:
        folder = os.path.join(dest, dirname)
        os.makedirs(folder, exist_ok=True)
        for name, payload in files:
            _atomic_write(os.path.join(folder, name), payload)


def make_cifar10_files(rng, n_train, n_test):
    protos = _prototypes(rng, 10, (3, 32, 32), 0.3)
    files = []
    per_batch = [n_train // 5 + (1 if i < n_train % 5 else 0) for i in range(5)]
    for i, n in enumerate(per_batch, start=1):
        labels = rng.randint(0, 10, size=n)
        files.append(("data_batch_%d" % i, _pickled({
            b"batch_label": ("training batch %d of 5" % i).encode(), b"labels": [int(v) for v in labels],
            b"data": _cifar_data(rng, labels, protos),
            b"filenames": [("fake_%d_%d.png" % (i, j)).encode() for j in range(n)]})))
    labels = rng.randint(0, 10, size=n_test)
    files.append(("test_batch", _pickled({
        b"batch_label": b"testing batch 1 of 1", b"labels": [int(v) for v in labels],
        b"data": _cifar_data(rng, labels, protos),
        b"filenames": [("fake_test_%d.png" % j).encode() for j in range(n_test)]})))
    names = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]
    files.append(("batches.meta", _pickled({b"label_names": names, b"num_cases_per_batch": per_batch[0],
                                            b"num_vis": 3072})))
    return files


def make_cifar100_files(rng, n_train, n_test):
    protos = _prototypes(rng, 100, (3, 32, 32), 0.3)
    files = []
    for name, n in (("train", n_train), ("test", n_test)):
        fine = rng.randint(0, 100, size=n)
        files.append((name, _pickled({
            b"batch_label": name.encode(), b"fine_labels": [int(v) for v in fine],
            b"coarse_labels": [int(v) // 5 for v in fine], b"data": _cifar_data(rng, fine, protos),
            b"filenames": [("fake_%s_%d.png" % (name, j)).encode() for j in range(n)]})))
    files.append(("meta", _pickled({b"fine_label_names": [("fine%d" % i).encode() for i in range(100)],
                                    b"coarse_label_names": [("coarse%d" % i).encode() for i in range(20)]})))
    return files


def _zipf_words(rng, vocab, size):
    # Frequent words get small indices, as in the real files (index = frequency rank, from 1).
    return np.minimum(rng.zipf(1.3, size=size), vocab - 1).astype(np.int64)


def make_texts(rng, n, nb_class, vocab, min_len, max_len):
    """Word-index lists whose class shows in a band of class-specific words (indices >= 20)."""
    labels = rng.randint(0, nb_class, size=n)
    band = max(4, min(50, (vocab - 20) // (2 * nb_class)))
    seqs = []
    for label in labels:
        length = int(rng.randint(min_len, max_len + 1))
        words = _zipf_words(rng, vocab, length)
        marked = rng.uniform(size=length) < 0.25
        words[marked] = 20 + label * band + rng.randint(0, band, size=int(marked.sum()))
        seqs.append([int(w) for w in words])
    return seqs, [int(v) for v in labels]


_SYLLABLES = ("the", "will", "to", "pow", "er", "truth", "moral", "ity", "spir", "it", "free", "dom",
              "phil", "os", "o", "pher", "man", "life", "good", "e", "vil", "be", "yond", "self")


def make_text(rng, n_chars):
    """Mixed-case prose from a fixed set of made-up words, mostly in a repeating order (so the next
    character is learnable), with punctuation and line breaks; exactly ``n_chars`` characters."""
    words = ["".join(_SYLLABLES[j] for j in rng.randint(0, len(_SYLLABLES), size=rng.randint(1, 4)))
             for _ in range(60)]
    pieces, total, k = [], 0, 0
    while total < n_chars:
        k = (k + 1) % len(words) if rng.uniform() < 0.8 else int(rng.randint(0, len(words)))
        word = words[k]
        if rng.uniform() < 0.1:
            word = word.capitalize()
        end = rng.choice([" ", " ", " ", " ", ", ", ". ", "\n", "; ", "--"])
        pieces.append(word + end)
        total += len(word) + len(end)
    return "".join(pieces)[:n_chars]


def _word_index(vocab, prefix):
    return {"%s%d" % (prefix, i): i for i in range(1, vocab)}


def _atomic_write(path, payload):
    tmp = path + ".part"
    with open(tmp, "wb") as handle:
        handle.write(payload)
    os.replace(tmp, path)


def write_datasets(dest=None, size="small", only=None, seed=0, force=False, cifar_extracted=False,
                   verbose=True):
    """Write the stand-in files into ``dest`` (default ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``).

    Returns the list of paths written. Existing files are skipped unless ``force``.
    """
    if size not in SIZES:
        raise ValueError("size must be one of %s, got %r" % (sorted(SIZES), size))
    only = list(DATASETS) if only is None else list(only)
    unknown = sorted(set(only) - set(DATASETS))
    if unknown:
        raise ValueError("unknown dataset(s) %s; choose from %s" % (unknown, ", ".join(DATASETS)))
    dest = dest or default_dest()
    os.makedirs(dest, exist_ok=True)
    counts = SIZES[size]
    written = []

    def wanted(*names):
        paths = [os.path.join(dest, name) for name in names]
        if not force and any(os.path.exists(p) for p in paths):
            if verbose:
                print("skipping %s: already present (use --force to overwrite)" % ", ".join(names))
            return False
        written.extend(paths)
        return True

    for name in only:
        rng = np.random.RandomState(seed + DATASETS.index(name))
        if name == "mnist" and wanted("mnist.pkl.gz"):
            data = make_mnist(rng, *counts["mnist"])
            buf = io.BytesIO()
            with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=1) as gz:
                pickle.dump(data, gz, protocol=2)
            _atomic_write(os.path.join(dest, "mnist.pkl.gz"), buf.getvalue())
        elif name in ("cifar10", "cifar100"):
            dirname = "cifar-10-batches-py" if name == "cifar10" else "cifar-100-python"
            target = dirname if cifar_extracted else dirname + ".tar.gz"
            if wanted(target):
                maker = make_cifar10_files if name == "cifar10" else make_cifar100_files
                _write_tree(maker(rng, *counts[name]), dest, dirname, not cifar_extracted)
        elif name == "imdb" and wanted("imdb_full.pkl", "imdb_word_index.pkl"):
            n_train, n_test = counts["imdb"]
            train = make_texts(rng, n_train, 2, VOCAB["imdb"], 20, 300)
            test = make_texts(rng, n_test, 2, VOCAB["imdb"], 20, 300)
            _atomic_write(os.path.join(dest, "imdb_full.pkl"), _pickled((train, test)))
            _atomic_write(os.path.join(dest, "imdb_word_index.pkl"), _pickled(_word_index(VOCAB["imdb"], "w")))
        elif name == "reuters" and wanted("reuters.pkl", "reuters_word_index.pkl"):
            data = make_texts(rng, counts["reuters"], 46, VOCAB["reuters"], 10, 200)
            _atomic_write(os.path.join(dest, "reuters.pkl"), _pickled(data))
            _atomic_write(os.path.join(dest, "reuters_word_index.pkl"),
                          _pickled(_word_index(VOCAB["reuters"], "r")))
        elif name == "nietzsche" and wanted("nietzsche.txt"):
            _atomic_write(os.path.join(dest, "nietzsche.txt"),
                          make_text(rng, counts["nietzsche"]).encode("ascii"))
    if verbose:
        for path in written:
            print("wrote %s" % path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", help="target folder (default: $KERAS_HOME/datasets or ~/.keras/datasets)")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join(DATASETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument("--cifar-extracted", action="store_true",
                        help="write the extracted CIFAR folders instead of the .tar.gz archives")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    try:
        write_datasets(args.dest, args.size, only, args.seed, args.force, args.cifar_extracted)
    except ValueError as err:
        parser.error(str(err))
    return 0


if __name__ == "__main__":
    sys.exit(main())
