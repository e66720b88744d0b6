"""keras_compat.datasets on tools/fake_keras_datasets.py stand-ins, imdb/reuters checked against Keras 1.2.2."""
import hashlib
import importlib.util
import os

import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.datasets import cifar10, cifar100, imdb, mnist, reuters
from keras_compat.utils.data_utils import DatasetFormatError

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def _tool():
    spec = importlib.util.spec_from_file_location("fake_keras_datasets",
                                                  os.path.join(ROOT, "tools", "fake_keras_datasets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fake(capsys):
    dest = os.path.join(config.keras_home(), "datasets")
    _tool().write_datasets(dest, size="tiny", seed=0, verbose=False)
    return dest


def test_mnist_and_cifar_shapes(fake):
    (x, y), (xt, yt) = mnist.load_data()
    assert x.shape == (200, 28, 28) and x.dtype == np.uint8 and y.shape == (200,) and xt.shape == (50, 28, 28)
    assert set(np.unique(y)) <= set(range(10))
    (x, y), (xt, yt) = cifar10.load_data()  # default tf ordering, read when called
    assert x.shape == (100, 32, 32, 3) and x.dtype == np.uint8 and y.shape == (100, 1) and y.dtype == np.uint8
    assert xt.shape == (20, 32, 32, 3) and yt.shape == (20, 1)
    config.set_image_dim_ordering("th")
    (x2, _), _ = cifar10.load_data()
    np.testing.assert_array_equal(x2.transpose(0, 2, 3, 1), x)
    (x, y), _ = cifar100.load_data(label_mode="coarse")
    assert x.shape == (100, 3, 32, 32) and y.max() < 20
    (_, yf), _ = cifar100.load_data()
    np.testing.assert_array_equal(yf // 5, y)
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data(label_mode="medium")


def test_mnist_stand_in_is_learnable(fake):
    (x, y), (xt, yt) = mnist.load_data()
    means = np.stack([x[y == k].reshape(-1, 784).mean(0) for k in range(10)])
    pred = np.argmin(((xt.reshape(-1, 1, 784) - means[None]) ** 2).sum(-1), axis=1)
    assert (pred == yt).mean() > 0.9


def test_cifar_extracted_folder_is_used(tmp_path):
    dest = os.path.join(config.keras_home(), "datasets")
    _tool().write_datasets(dest, size="tiny", only=["cifar10"], cifar_extracted=True, verbose=False)
    assert not os.path.exists(os.path.join(dest, "cifar-10-batches-py.tar.gz"))
    (x, y), _ = cifar10.load_data()
    assert x.shape == (100, 32, 32, 3)


def _seqs(ref, prefix):
    lens, sums, head = ref[prefix + "_len"], ref[prefix + "_sum"], ref[prefix + "_head"]
    return lens, sums, head


def _check_against_ref(ref, name, xtr, ytr, xte, yte):
    for split, xs in (("xtr", xtr), ("xte", xte)):
        lens, sums, head = _seqs(ref, "%s_%s" % (name, split))
        assert [len(s) for s in xs] == lens.tolist()
        assert [sum(s) for s in xs] == sums.tolist()
        assert [w for s in list(xs)[:5] for w in s] == head.tolist()
    np.testing.assert_array_equal(np.array(ytr), ref[name + "_ytr"])
    np.testing.assert_array_equal(np.array(yte), ref[name + "_yte"])


IMDB_CASES = {
    "imdb_default": {},
    "imdb_opts": dict(nb_words=300, skip_top=5, seed=42, start_char=7, oov_char=9, index_from=2),
    "imdb_maxlen": dict(maxlen=150),
    "imdb_nostart": dict(start_char=None, index_from=4, nb_words=100),
    "imdb_oovnone": dict(oov_char=None, nb_words=200, skip_top=3),
}
REUTERS_CASES = {
    "reuters_default": {},
    "reuters_opts": dict(nb_words=100, skip_top=2, maxlen=80, test_split=0.3, seed=3),
}


def test_imdb_and_reuters_match_keras1(fake, oracle):
    ref = oracle("preprocessing_cases")
    meta = ref.meta
    for fname in ("imdb_full.pkl", "reuters.pkl"):
        with open(os.path.join(fake, fname), "rb") as handle:
            assert hashlib.md5(handle.read()).hexdigest() == meta["md5_" + fname], "stand-in generator drifted"
    for name, kwargs in IMDB_CASES.items():
        with pytest.warns(UserWarning, match="d091312047c43cf9e4e38fef92437263"):
            (xtr, ytr), (xte, yte) = imdb.load_data(**kwargs)
        assert isinstance(xtr, np.ndarray) and isinstance(ytr, np.ndarray)
        _check_against_ref(ref, name, xtr, ytr, xte, yte)
    for name, kwargs in REUTERS_CASES.items():
        (xtr, ytr), (xte, yte) = reuters.load_data(**kwargs)
        assert type(xtr) is list and type(ytr) is list
        _check_against_ref(ref, name, xtr, ytr, xte, yte)


def test_word_indexes(fake):
    with pytest.warns(UserWarning, match="72d94b01291be4ff843198d3b0e1e4d7"):
        index = imdb.get_word_index()
    assert index["w1"] == 1 and len(index) > 100
    assert reuters.get_word_index()["r3"] == 3


def test_missing_file_names_file_folder_and_origin():
    folder = os.path.join(config.keras_home(), "datasets")
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_data()
    msg = str(info.value)
    assert "mnist.pkl.gz" in msg and folder in msg and "https://s3.amazonaws.com/img-datasets/mnist.pkl.gz" in msg
    with pytest.raises(FileNotFoundError, match="cifar-10-batches-py.tar.gz.*cifar-10-python.tar.gz"):
        cifar10.load_data()
    assert not os.path.exists(folder)  # nothing created, nothing downloaded


@pytest.mark.parametrize("name,loader", [("mnist.pkl.gz", mnist.load_data), ("imdb_full.pkl", imdb.load_data),
                                         ("reuters.pkl", reuters.load_data)])
def test_truncated_or_wrong_format_file_is_named_and_kept(fake, name, loader):
    path = os.path.join(fake, name)
    with open(path, "rb") as handle:
        payload = handle.read()
    with open(path, "wb") as handle:
        handle.write(payload[: len(payload) // 2])
    with _maybe_warns(name):
        with pytest.raises(DatasetFormatError, match=name.replace(".", r"\.")):
            loader()
    with open(path, "rb") as handle:
        assert handle.read() == payload[: len(payload) // 2]  # nothing overwritten
    import pickle
    with open(path, "wb") as handle:
        pickle.dump({"not": "a dataset"}, handle)
    with _maybe_warns(name):
        with pytest.raises(DatasetFormatError, match="not in the format"):
            loader()


def _maybe_warns(name):
    if name.startswith("imdb"):
        return pytest.warns(UserWarning, match="MD5")
    import contextlib
    return contextlib.nullcontext()


def test_truncated_cifar_archive_is_named(fake):
    path = os.path.join(fake, "cifar-10-batches-py.tar.gz")
    with open(path, "rb") as handle:
        payload = handle.read()
    with open(path, "wb") as handle:
        handle.write(payload[:5000])
    with pytest.raises(DatasetFormatError, match="cifar-10-batches-py.tar.gz"):
        cifar10.load_data()
    assert not os.path.exists(os.path.join(fake, "cifar-10-batches-py"))


def test_tool_cli_skips_existing_and_validates(tmp_path, capsys):
    tool = _tool()
    dest = str(tmp_path / "d")
    assert tool.main(["--dest", dest, "--size", "tiny", "--only", "reuters"]) == 0
    before = os.path.getmtime(os.path.join(dest, "reuters.pkl"))
    tool.main(["--dest", dest, "--size", "tiny", "--only", "reuters"])
    assert "already present" in capsys.readouterr().out
    assert os.path.getmtime(os.path.join(dest, "reuters.pkl")) == before
    with pytest.raises(SystemExit):
        tool.main(["--dest", dest, "--only", "boston"])
    assert tool.SIZES["full"]["mnist"] == (60000, 10000)
