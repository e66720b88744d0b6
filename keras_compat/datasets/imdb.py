"""IMDB sentiment (Keras-1 ``keras.datasets.imdb``) from the cached ``imdb_full.pkl``."""
import numpy as np

from keras_compat.datasets._io import (as_int_lists, bad_format, index_and_filter, load_pickle,
                                       sequences_array)
from keras_compat.utils.data_utils import get_file

ORIGIN = "https://s3.amazonaws.com/text-datasets/imdb_full.pkl"
MD5 = "d091312047c43cf9e4e38fef92437263"
WORD_INDEX_ORIGIN = "https://s3.amazonaws.com/text-datasets/imdb_word_index.pkl"
WORD_INDEX_MD5 = "72d94b01291be4ff843198d3b0e1e4d7"
_EXPECTED = "a pickle of ((x_train, labels_train), (x_test, labels_test)) with lists of word-index lists"


def load_data(path="imdb_full.pkl", nb_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3):
    """``((x_train, y_train), (x_test, y_test))``: x arrays of word-index lists, y label arrays.

    Train and test are shuffled with ``np.random.seed(seed)`` and ``seed * 2`` (this reseeds
    NumPy's global RNG, as Keras 1 did); see ``_io.index_and_filter`` for the index options.
    A checksum other than the real file's gives a warning, and the file is used.
    """
    path = get_file(path, origin=ORIGIN, md5_hash=MD5)
    data = load_pickle(path, encoding="latin1", what="IMDB")
    try:
        (x_train, labels_train), (x_test, labels_test) = data
        x_train, x_test = list(x_train), list(x_test)
        labels_train, labels_test = list(labels_train), list(labels_test)
    except (TypeError, ValueError):
        raise bad_format(path, _EXPECTED)
    if len(x_train) != len(labels_train) or len(x_test) != len(labels_test):
        raise bad_format(path, _EXPECTED + " (as many labels as sequences)")
    x_train = as_int_lists(path, x_train, _EXPECTED)
    x_test = as_int_lists(path, x_test, _EXPECTED)

    np.random.seed(seed)
    np.random.shuffle(x_train)
    np.random.seed(seed)
    np.random.shuffle(labels_train)
    np.random.seed(seed * 2)
    np.random.shuffle(x_test)
    np.random.seed(seed * 2)
    np.random.shuffle(labels_test)

    n_train = len(x_train)
    xs, labels = index_and_filter(x_train + x_test, labels_train + labels_test, nb_words, skip_top,
                                  maxlen, start_char, oov_char, index_from)
    # Keras 1.2.2 splits at the *unfiltered* train size, even after maxlen dropped sequences.
    x_train = sequences_array(xs[:n_train])
    y_train = np.array(labels[:n_train])
    x_test = sequences_array(xs[n_train:])
    y_test = np.array(labels[n_train:])
    return (x_train, y_train), (x_test, y_test)


def get_word_index(path="imdb_word_index.pkl"):
    """The pickled ``{word: index}`` dict."""
    path = get_file(path, origin=WORD_INDEX_ORIGIN, md5_hash=WORD_INDEX_MD5)
    data = load_pickle(path, encoding="latin1", what="IMDB word index")
    if not isinstance(data, dict):
        raise bad_format(path, "a pickled dict {word: index}")
    return data
